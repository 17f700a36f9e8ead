//! The map's view: which part of the canvas is on screen, the framing of a chosen territory, and the screen size of
//! a canvas unit.

use web_sys::Element;
use yew::prelude::*;

use crate::geo::{Basemap, Viewport, VIEW_H, VIEW_W};
use crate::state::Action;
use crate::ui::ByPtr;
use crate::url_state::MapPos;

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

/// The view a territory selection implies: the chosen department or region framed, else France.
fn framing(basemap: &Basemap, selected: (Option<usize>, Option<usize>)) -> Viewport {
    match selected {
        (_, Some(d)) => frame_territory(basemap, true, d),
        (Some(r), None) => frame_territory(basemap, false, r),
        (None, None) => Viewport::WHOLE,
    }
}

/// The view a link's map position describes.
fn view_of(pos: MapPos) -> Viewport {
    Viewport::centred(f64::from(pos.k100) / 100.0, [f64::from(pos.x), f64::from(pos.y)])
}

/// A view as a link carries it.
fn pos_of(v: &Viewport) -> MapPos {
    let [x, y] = v.centre();
    let k100 = ((v.k * 100.0).round() as u32).clamp(100, MapPos::MAX_K100);
    MapPos { k100, x: x.round().clamp(0.0, VIEW_W) as u32, y: y.round().clamp(0.0, VIEW_H) as u32 }
}

/// The view state and the view to render now. Choosing a territory in the filters (or opening a link with one)
/// frames it; clearing it shows France again. `selected` is the chosen (region, department); `pos` is the map
/// position of the state (from a link, or back/forward), `None` for the framing of the selection. A view the
/// visitor moves to is reported to the state (`SetMapPos`), so that a shared link shows the same map.
///
/// The framing happens in this very render: framing in an effect would first cluster the new results for the view
/// being left. (Activating a territory on the map frames it directly, even when it was already chosen.)
#[hook]
pub(super) fn use_framed_view(
    basemap: &ByPtr<Basemap>,
    selected: (Option<usize>, Option<usize>),
    pos: Option<MapPos>,
    dispatch: &Callback<Action>,
) -> (UseStateHandle<Viewport>, Viewport) {
    let view_state = use_state(|| pos.map_or_else(|| framing(basemap, selected), view_of));
    let framed = use_mut_ref(|| selected);
    let known_pos = use_mut_ref(|| pos);
    let (sel_changed, pos_changed) = (*framed.borrow() != selected, *known_pos.borrow() != pos);
    let current = if sel_changed || pos_changed {
        *framed.borrow_mut() = selected;
        *known_pos.borrow_mut() = pos;
        let v = match pos {
            Some(p) if pos_changed => view_of(p),
            _ => framing(basemap, selected),
        };
        view_state.set(v);
        v
    } else {
        *view_state
    };
    {
        let (basemap, dispatch, known_pos) = (basemap.clone(), dispatch.clone(), known_pos.clone());
        use_effect_with((pos_of(&current), selected), move |(p, selected)| {
            let now = (pos_of(&framing(&basemap, *selected)) != *p).then_some(*p);
            if now != *known_pos.borrow() {
                *known_pos.borrow_mut() = now;
                dispatch.emit(Action::SetMapPos(now));
            }
        });
    }
    (view_state, current)
}

/// Screen pixels per canvas unit of the map `svg` (its width depends on the page). Measuring forces a layout: once
/// at mount, again whenever the visitor starts interacting with the map (`active` turns true), and when narrow
/// screens switch between the list and the map (`shown`: a map hidden at mount has no width to measure).
#[hook]
pub(super) fn use_px_per_unit(svg: &NodeRef, active: bool, shown: bool) -> f64 {
    let px_per_unit = use_state(|| 1.0_f64);
    {
        let (svg, px_per_unit) = (svg.clone(), px_per_unit.clone());
        use_effect_with((active, shown), move |_| {
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
