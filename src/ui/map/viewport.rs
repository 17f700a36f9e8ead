//! The map's view: which part of the canvas is on screen, the framing of a chosen territory, and the screen size of
//! a canvas unit.

use web_sys::Element;
use yew::prelude::*;

use crate::geo::{Basemap, Viewport, VIEW_H, VIEW_W};
use crate::ui::ByPtr;

/// The centre of the screen in canvas units: the buttons and keys zoom around it.
pub(super) const SCREEN_CENTRE: [f64; 2] = [VIEW_W / 2.0, VIEW_H / 2.0];
/// Closest zooms when framing a chosen region or department: a small territory (Paris, an overseas one) is shown no
/// closer than this, with its surroundings, instead of filling the screen.
const REGION_FRAME_SCALE: f64 = 6.0;
const DEPARTMENT_FRAME_SCALE: f64 = 12.0;

/// The view that frames department `i` (else region `i`).
pub(super) fn frame_territory(basemap: &Basemap, department: bool, i: usize) -> Viewport {
    if department {
        Viewport::fit(basemap.departments[i].bbox, DEPARTMENT_FRAME_SCALE)
    } else {
        Viewport::fit(basemap.region_bbox[i], REGION_FRAME_SCALE)
    }
}

/// The view state and the view to render now. Choosing a territory in the filters (or opening a link with one)
/// frames it; clearing it shows France again. `selected` is the chosen (region, department).
///
/// The framing happens in this very render: framing in an effect would first cluster the new results for the view
/// being left. (Activating a territory on the map frames it directly, even when it was already chosen.)
#[hook]
pub(super) fn use_framed_view(
    basemap: &ByPtr<Basemap>,
    selected: (Option<usize>, Option<usize>),
) -> (UseStateHandle<Viewport>, Viewport) {
    let view_state = use_state(|| Viewport::WHOLE);
    let framed = use_mut_ref(|| None);
    let current = if *framed.borrow() == Some(selected) {
        *view_state
    } else {
        *framed.borrow_mut() = Some(selected);
        let v = match selected {
            (_, Some(d)) => frame_territory(basemap, true, d),
            (Some(r), None) => frame_territory(basemap, false, r),
            (None, None) => Viewport::WHOLE,
        };
        view_state.set(v);
        v
    };
    (view_state, current)
}

/// Screen pixels per canvas unit of the map `svg` (its width depends on the page). Measuring forces a layout: once
/// at mount, and again whenever the visitor starts interacting with the map (`active` turns true).
#[hook]
pub(super) fn use_px_per_unit(svg: &NodeRef, active: bool) -> f64 {
    let px_per_unit = use_state(|| 1.0_f64);
    {
        let (svg, px_per_unit) = (svg.clone(), px_per_unit.clone());
        use_effect_with(active, move |_| {
            if let Some(el) = svg.cast::<Element>() {
                let width = el.get_bounding_client_rect().width();
                let measured = width / VIEW_W;
                // Re-render only for a real change (a resize), not for sub-pixel noise.
                if width > 0.0 && (measured - *px_per_unit).abs() > 0.02 {
                    px_per_unit.set(measured);
                }
            }
        });
    }
    *px_per_unit
}
