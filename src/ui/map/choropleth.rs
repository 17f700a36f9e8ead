//! The count classes that colour the territories, and their legend under the map.

use yew::prelude::*;

use crate::i18n::{legend_title, not_located_count, number, t, Locale, Msg, Noun};

/// Choropleth classes (besides « none »).
const CLASSES: usize = 5;
/// The `data-q` value of each class.
pub(super) const CLASS_NAMES: [&str; CLASSES + 1] = ["0", "1", "2", "3", "4", "5"];

/// The class of a count on a square-root scale up to `max`: 0 for none, then 1 to [`CLASSES`].
pub(super) fn class_of(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        return 0;
    }
    let r = (count as f64 / max as f64).sqrt();
    ((r * CLASSES as f64).ceil() as usize).clamp(1, CLASSES)
}

pub(super) fn max_count(counts: &[usize]) -> usize {
    counts.iter().copied().max().unwrap_or(0)
}

/// The count range of each non-empty class, for the legend.
fn class_ranges(max: usize) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for c in 1..=max {
        let class = class_of(c, max);
        match out.last_mut() {
            Some(last) if last.0 == class => last.2 = c,
            _ => out.push((class, c, c)),
        }
        if out.len() > CLASSES {
            break;
        }
    }
    out
}

/// The foot of the map: the legend of the classes for counts up to `max`, and how many results are not on the map.
pub(super) fn map_foot(
    locale: Locale,
    noun: &Noun,
    max: usize,
    missing: usize,
    stages: &[(&'static str, &'static str, String)],
) -> Html {
    let mut shapes = Vec::with_capacity(stages.len());
    for (shape, stage, label) in stages {
        shapes.push(html! {
            <p class="es-legend-item">
                // CSS shapes (`data-shape`): the widget's only SVG is the map.
                <span class="es-legend-marker"><span class="es-legend-shape" data-shape={*shape} data-stage={*stage}></span></span>
                { label.clone() }
            </p>
        });
    }
    let mut classes = Vec::new();
    for (class, lo, hi) in class_ranges(max) {
        classes.push(html! {
            <p class="es-legend-item"><span class="es-swatch" data-q={CLASS_NAMES[class]}></span>
                { if lo == hi { number(locale, lo) } else { format!("{}–{}", number(locale, lo), number(locale, hi)) } }
            </p>
        });
    }
    // Each part of a legend a paragraph: without the stylesheet they stand on their own lines (RGAA 10.3).
    html! {
        <div class="es-map-foot">
            if !stages.is_empty() {
                // The markers' shapes and colours (the list and the detail write each innovation's stage).
                <div class="es-legend es-stage-legend" aria-hidden="true">
                    <p class="es-legend-title">{ t(locale, Msg::Stage) }</p>
                    { for shapes }
                </div>
            }
            <div class="es-legend" aria-hidden="true">
                <p class="es-legend-title">{ legend_title(locale, noun) }</p>
                <p class="es-legend-item"><span class="es-swatch" data-q="0"></span>{ t(locale, Msg::LegendNone) }</p>
                { for classes }
            </div>
            if missing > 0 {
                <p class="es-map-note">{ not_located_count(locale, noun, missing) }</p>
            }
        </div>
    }
}
