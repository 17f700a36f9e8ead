//! The marker layer: clusters and single-innovation markers of the results, the open innovation's marker and the
//! links from origins to replicas (the open innovation's, else the results').
//!
//! Clusters are keyed by cell and markers by record, so that a pan or a filter change keeps their nodes, and focus.
//! They share the layer's event handlers ([`index_at`]) instead of registering their own at every render.

use std::rc::Rc;

use yew::prelude::*;

use super::activation_key;
use super::cluster_window::cluster_zooms;
use super::Positions;
use crate::cluster::Cluster;
use crate::filter::Filtered;
use crate::geo::{fixed, Basemap};
use crate::i18n::{cluster_label, number, Locale};
use crate::state::Action;
use crate::ui::results::place_text;
use crate::ui::{highlighter, index_at, ByPtr, SharedLoaded};

pub(super) struct MarkerProps {
    pub locale: Locale,
    pub explorer: SharedLoaded,
    pub basemap: ByPtr<Basemap>,
    pub clusters: ByPtr<Vec<Cluster>>,
    pub shown: Rc<Vec<usize>>,
    /// Current view scale: markers keep their size on screen.
    pub scale: f64,
    /// Screen pixels per canvas unit at scale 1 (rounded), so sizes below are in screen pixels.
    pub px: f64,
    pub open: Option<usize>,
    pub highlight: Option<usize>,
    pub positions: Positions,
    pub results: ByPtr<Filtered>,
    pub dispatch: Callback<Action>,
    /// A cluster's index (`false`) or a marker's record (`true`), activated.
    pub on_item: Callback<(bool, usize)>,
    /// The canvas box on screen: only the nodes inside it are in the tab order (WCAG 2.4.7, 2.4.11).
    pub visible: [f64; 4],
}

/// Replica links drawn at most: beyond, lines would hide the territories (and cost every pan); the first results'
/// come first, in the list's order.
const REPLICA_LINKS: usize = 120;

/// Clusters and markers, the open innovation's marker and links to replicas. A plain function rather than a
/// component: `on_item` is new at each render of the map, which would render a component again anyway.
pub(super) fn marker_layer(props: &MarkerProps) -> Html {
    let MarkerProps {
        locale, explorer, basemap, clusters, shown, scale, px, open, highlight, positions, visible, ..
    } = props;
    let index = &explorer.0.index;
    let nodes = Nodes {
        locale: *locale,
        explorer,
        highlight: highlight.map(|h| h as u32),
        scale: *scale,
        inv: 1.0 / (scale * px.max(0.05)),
        visible: *visible,
        places: Default::default(),
    };
    // Links from origins to replicas: the open innovation's, else the results' (how the selection spread).
    let mut links = Vec::new();
    let open_record = open.map(|o| o as u32);
    let records = match &open_record {
        Some(o) => std::slice::from_ref(o),
        None => &props.results.ids[..],
    };
    for &r in records {
        let replicas = &index.dataset.innovations[r as usize].replicas;
        let Some(from) = positions.0.get(r as usize).copied().flatten().filter(|_| !replicas.is_empty()) else {
            continue;
        };
        if links.len() >= REPLICA_LINKS {
            break;
        }
        for p in replicas {
            if let Some(to) = basemap.layout.place(&index.territories, p) {
                links.push(html! {
                    <>
                        <line x1={fixed(from[0], 100)} y1={fixed(from[1], 100)} x2={fixed(to[0], 100)} y2={fixed(to[1], 100)} class="es-replica-link" />
                        <circle cx={fixed(to[0], 100)} cy={fixed(to[1], 100)} r={nodes.size(6.0)} class="es-replica" />
                    </>
                });
            }
        }
    }
    let mut items = Vec::with_capacity(shown.len());
    for &i in shown.iter() {
        items.push(nodes.node(&clusters[i], i));
    }
    let (on_click, on_key) = activation(props);
    // Pointing at a marker or focusing it highlights its item in the list.
    let (over, out, focus_in, focus_out) = highlighter(&props.dispatch, "[data-r]");
    html! {
        <g class="es-markers" onclick={on_click} onkeydown={on_key}
           onmouseover={over} onmouseout={out} onfocusin={focus_in} onfocusout={focus_out}>
            <g class="es-replicas" aria-hidden="true">{ for links }</g>
            // Its own fragment: keyed children only, so that Yew matches them by key (next to the unkeyed `if`s, it
            // would match them by position and replace every node whose key differs).
            <>{ for items }</>
            if let Some(o) = open {
                if let Some([x, y]) = positions.0.get(*o).copied().flatten() {
                    <circle cx={fixed(x, 100)} cy={fixed(y, 100)} r={nodes.size(16.0)} class="es-open-ring" aria-hidden="true" />
                }
            }
        </g>
    }
}

/// One set of click and key handlers for every marker (`data-r`: its record) and cluster (`data-c`: its index),
/// given to `on_item` (see [`index_at`]).
fn activation(props: &MarkerProps) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let on_item = props.on_item.clone();
    let activate = Rc::new(move |e: &Event| {
        if let Some(r) = index_at(e.target(), "[data-r]") {
            on_item.emit((true, r))
        } else if let Some(c) = index_at(e.target(), "[data-c]") {
            on_item.emit((false, c))
        }
    });
    let on_click = {
        let activate = activate.clone();
        Callback::from(move |e: MouseEvent| activate(&e))
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if activation_key(&e) {
            activate(&e)
        }
    });
    (on_click, on_key)
}

/// What the cluster and marker nodes of one render share.
struct Nodes<'a> {
    locale: Locale,
    explorer: &'a SharedLoaded,
    /// The highlighted record.
    highlight: Option<u32>,
    scale: f64,
    /// Canvas units per screen pixel at this scale.
    inv: f64,
    visible: [f64; 4],
    /// The clusters' places named so far in this render, so that each cluster's name is unique.
    places: std::cell::RefCell<Vec<String>>,
}

impl Nodes<'_> {
    /// A length of `px` screen pixels, in canvas units.
    fn size(&self, px: f64) -> String {
        fixed(px * self.inv, 1000)
    }

    /// The node of cluster `c` (number `i` of the clusters): a marker when it holds one innovation. Both keep their
    /// size on screen (a `scale` of one screen pixel) and are at least 24 × 24 px, a touch target's size (WCAG
    /// 2.5.8); a marker shows its innovation's stage by its shape and colour (see [`STAGE_SHAPES`]).
    fn node(&self, c: &Cluster, i: usize) -> Html {
        let (x, y) = (fixed(c.x, 100), fixed(c.y, 100));
        let highlighted = self.highlight.is_some_and(|h| c.records.contains(&h));
        let transform = format!("translate({x} {y}) scale({})", fixed(self.inv, 10_000));
        let [x0, y0, x1, y1] = self.visible;
        let tabindex = if c.x >= x0 && c.x <= x1 && c.y >= y0 && c.y <= y1 { "0" } else { "-1" };
        if c.count() == 1 {
            let record = c.records[0];
            let inno = &self.explorer.0.index.dataset.innovations[record as usize];
            let label = crate::ui::results::marker_label(self.explorer, inno, self.locale);
            let (shape, stage) = stage_shape(inno.stage);
            // Named by `aria-label` (WebKit's accessibility tree and axe do not name a `g` by its title); the tooltip
            // is the disc's `<title>`, not the group's, whose name it would repeat as its description.
            html! {
                <g key={format!("m{record}")} transform={transform} class="es-marker" data-hl={highlighted.then_some("")}
                   role="button" {tabindex} data-r={record.to_string()} aria-label={label.clone()}>
                    <circle r="12"><title>{ label }</title></circle>
                    <path d={shape} data-stage={stage} />
                </g>
            }
        } else {
            let n = c.count();
            let index = &self.explorer.0.index;
            // Where: the place of its first innovation, numbered when another cluster of this render has it too.
            let mut place =
                place_text(self.explorer, &index.dataset.innovations[c.records[0] as usize].origin, self.locale);
            let mut places = self.places.borrow_mut();
            let same = places.iter().filter(|p| **p == place).count();
            places.push(place.clone());
            if same > 0 {
                place = format!("{place}, {}", same + 1);
            }
            let label = cluster_label(self.locale, &index.dataset.meta.noun, n, &place, cluster_zooms(c, self.scale));
            // log2 n as ln n / ln 2: `f64::log2` would link a libm routine of its own (`ln` is linked anyway); the
            // radius, rounded to 0.1, is the same for every n.
            let r = (13.0 + 2.5 * (n as f64).ln() / std::f64::consts::LN_2).min(30.0);
            html! {
                <g key={format!("c{}", c.cell)} class="es-cluster" data-hl={highlighted.then_some("")}
                   transform={transform}
                   role="button" {tabindex} data-c={i.to_string()} aria-label={label.clone()}>
                    <circle r={fixed(r, 10)}><title>{ label }</title></circle>
                    <text dy="0.35em" aria-hidden="true">{ number(self.locale, n) }</text>
                </g>
            }
        }
    }
}

/// The marker shape of each stage (cycled beyond six), in screen pixels around the marker's point: colour is never
/// the only cue (WCAG 1.4.1). `data-stage` gives the colour (`--essaimage-stage-N`); « - » for no stage.
pub(super) const STAGE_SHAPES: [&str; 6] = [
    "M-6.5 0a6.5 6.5 0 1 0 13 0a6.5 6.5 0 1 0-13 0Z",
    "M0-8L7.5 5.5H-7.5Z",
    "M-6-6H6V6H-6Z",
    "M0-8.5L8.5 0L0 8.5L-8.5 0Z",
    "M0 8L7.5-5.5H-7.5Z",
    "M-2.5-8H2.5V-2.5H8V2.5H2.5V8H-2.5V2.5H-8V-2.5H-2.5Z",
];
const NO_STAGE_SHAPE: &str = "M-4 0a4 4 0 1 0 8 0a4 4 0 1 0-8 0Z";
const STAGE_NAMES: [&str; 6] = ["0", "1", "2", "3", "4", "5"];

/// The shape and `data-stage` of a stage (`None`: no stage).
pub(super) fn stage_shape(stage: Option<u16>) -> (&'static str, &'static str) {
    match stage {
        Some(s) => (STAGE_SHAPES[s as usize % 6], STAGE_NAMES[s as usize % 6]),
        None => (NO_STAGE_SHAPE, "-"),
    }
}
