//! Zoom and pan of the map by wheel, drag, pinch, double click and keyboard, and whether the map is active (has
//! the visitor's pointer or focus, so that the wheel zooms rather than scrolls the page).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use super::viewport::SCREEN_CENTRE;
use crate::geo::{Viewport, VIEW_W};

/// A flag shared by the map's handlers: the pointer moved since it went down, so the click that follows is the
/// end of a drag, not an activation. A `use_mut_ref` of the type the map's other flag has (one hook's code).
pub(super) type DragFlag = Rc<RefCell<bool>>;

/// The pointers down on the map: id and last position in screen canvas units.
type Pointers = Rc<RefCell<Vec<(i32, [f64; 2])>>>;

/// The state and handlers of the map's viewport element.
pub(super) struct Gestures {
    pub active: bool,
    /// The wheel was used over the map while inactive: say how to zoom.
    pub hint: bool,
    pub dragged: DragFlag,
    pub on_key: Callback<KeyboardEvent>,
    pub on_wheel: Callback<WheelEvent>,
    pub on_dblclick: Callback<MouseEvent>,
    pub on_pointer_down: Callback<PointerEvent>,
    pub on_pointer_move: Callback<PointerEvent>,
    /// For `pointerup` and `pointercancel`.
    pub on_pointer_up: Callback<PointerEvent>,
    pub on_leave: Callback<PointerEvent>,
    pub on_focus_in: Callback<FocusEvent>,
    pub on_focus_out: Callback<FocusEvent>,
}

/// The gestures of the map's viewport element `viewport`, whose `svg` shows the canvas at `view`.
#[hook]
pub(super) fn use_gestures(
    view: Viewport,
    set_view: &Callback<Viewport>,
    svg: &NodeRef,
    viewport: &NodeRef,
) -> Gestures {
    let active = use_state(|| false);
    let hint = use_state(|| false);
    let dragged: DragFlag = use_mut_ref(|| false);
    let pointers: Pointers = use_mut_ref(Vec::new);
    let on_pointer_up = {
        let pointers = pointers.clone();
        Callback::from(move |e: PointerEvent| pointers.borrow_mut().retain(|(id, _)| *id != e.pointer_id()))
    };
    let on_focus_in = on_focus_in(view, set_view, &active, svg);
    Gestures {
        on_key: on_key(view, set_view),
        on_wheel: on_wheel(view, set_view, &active, &hint, svg),
        on_dblclick: on_dblclick(view, set_view, svg),
        on_pointer_down: on_pointer_down(&pointers, &dragged, &active, &hint, svg),
        on_pointer_move: on_pointer_move(&pointers, &dragged, view, set_view, svg),
        on_pointer_up,
        on_leave: on_leave(&active, &hint, &pointers),
        on_focus_in,
        on_focus_out: on_focus_out(&active, viewport),
        active: *active,
        hint: *hint,
        dragged,
    }
}

/// The pointer position of `e` in canvas units of the screen (before the view transform).
fn to_screen(svg: &NodeRef, e: &MouseEvent) -> [f64; 2] {
    match svg.cast::<Element>() {
        Some(el) => {
            let r = el.get_bounding_client_rect();
            let s = VIEW_W / r.width().max(1.0);
            [(f64::from(e.client_x()) - r.left()) * s, (f64::from(e.client_y()) - r.top()) * s]
        }
        None => SCREEN_CENTRE,
    }
}

fn on_key(view: Viewport, set_view: &Callback<Viewport>) -> Callback<KeyboardEvent> {
    let set_view = set_view.clone();
    Callback::from(move |e: KeyboardEvent| {
        let step = 80.0;
        let next = match e.key().as_str() {
            "ArrowLeft" => view.pan(step, 0.0),
            "ArrowRight" => view.pan(-step, 0.0),
            "ArrowUp" => view.pan(0.0, step),
            "ArrowDown" => view.pan(0.0, -step),
            "+" | "=" => view.zoom_at(2.0, SCREEN_CENTRE),
            "-" | "_" => view.zoom_at(0.5, SCREEN_CENTRE),
            "0" => Viewport::WHOLE,
            _ => return,
        };
        e.prevent_default();
        set_view.emit(next);
    })
}

/// Focus on a map node partly off screen moves the map to show it whole, with its focus ring (WCAG 2.4.11); a node
/// larger than the screen (a region seen close) stays where it is.
fn on_focus_in(
    view: Viewport,
    set_view: &Callback<Viewport>,
    active: &UseStateHandle<bool>,
    svg: &NodeRef,
) -> Callback<FocusEvent> {
    let (set_view, active, svg) = (set_view.clone(), active.clone(), svg.clone());
    Callback::from(move |e: FocusEvent| {
        active.set(true);
        let (Some(el), Some(svg)) = (e.target().and_then(|t| t.dyn_into::<Element>().ok()), svg.cast::<Element>())
        else {
            return;
        };
        let (b, r) = (el.get_bounding_client_rect(), svg.get_bounding_client_rect());
        // Per axis: the node's start and size, the screen's start and size.
        let shift = |lo: f64, len: f64, min: f64, size: f64| {
            let m = 6.0;
            (len < size).then(|| (min + m - lo).max(0.0) + (min + size - m - lo - len).min(0.0))
        };
        if let (Some(dx), Some(dy)) =
            (shift(b.left(), b.width(), r.left(), r.width()), shift(b.top(), b.height(), r.top(), r.height()))
        {
            if svg.contains(Some(&el)) && dx.abs() + dy.abs() > 0.0 {
                let s = VIEW_W / r.width().max(1.0);
                set_view.emit(view.pan(dx * s, dy * s));
            }
        }
    })
}

fn on_wheel(
    view: Viewport,
    set_view: &Callback<Viewport>,
    active: &UseStateHandle<bool>,
    hint: &UseStateHandle<bool>,
    svg: &NodeRef,
) -> Callback<WheelEvent> {
    let (set_view, active, hint, svg) = (set_view.clone(), active.clone(), hint.clone(), svg.clone());
    Callback::from(move |e: WheelEvent| {
        // The page keeps its scroll until the visitor has clicked or focused the map.
        if !*active {
            hint.set(true);
            return;
        }
        e.prevent_default();
        let factor = (-e.delta_y() * if e.delta_mode() == 1 { 0.05 } else { 0.002 }).exp();
        set_view.emit(view.zoom_at(factor, to_screen(&svg, &e)));
    })
}

fn on_dblclick(view: Viewport, set_view: &Callback<Viewport>, svg: &NodeRef) -> Callback<MouseEvent> {
    let (set_view, svg) = (set_view.clone(), svg.clone());
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        set_view.emit(view.zoom_at(2.0, to_screen(&svg, &e)));
    })
}

fn on_pointer_down(
    pointers: &Pointers,
    dragged: &DragFlag,
    active: &UseStateHandle<bool>,
    hint: &UseStateHandle<bool>,
    svg: &NodeRef,
) -> Callback<PointerEvent> {
    let (pointers, dragged, active, hint, svg) =
        (pointers.clone(), dragged.clone(), active.clone(), hint.clone(), svg.clone());
    Callback::from(move |e: PointerEvent| {
        active.set(true);
        hint.set(false);
        *dragged.borrow_mut() = false;
        let p = to_screen(&svg, &e);
        let mut ps = pointers.borrow_mut();
        ps.retain(|(id, _)| *id != e.pointer_id());
        ps.push((e.pointer_id(), p));
    })
}

/// One pointer down pans once it has moved a few units (then the click that follows is not an activation); two
/// pointers pinch.
fn on_pointer_move(
    pointers: &Pointers,
    dragged: &DragFlag,
    view: Viewport,
    set_view: &Callback<Viewport>,
    svg: &NodeRef,
) -> Callback<PointerEvent> {
    let (pointers, dragged, set_view, svg) = (pointers.clone(), dragged.clone(), set_view.clone(), svg.clone());
    Callback::from(move |e: PointerEvent| {
        let mut ps = pointers.borrow_mut();
        let Some(slot) = ps.iter().position(|(id, _)| *id == e.pointer_id()) else { return };
        let p = to_screen(&svg, &e);
        let old = ps[slot].1;
        if ps.len() == 1 {
            let (dx, dy) = (p[0] - old[0], p[1] - old[1]);
            if *dragged.borrow() || dx.abs() + dy.abs() > 6.0 {
                if !dragged.replace(true) {
                    if let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                        let _ = el.set_pointer_capture(e.pointer_id());
                    }
                }
                ps[slot].1 = p;
                set_view.emit(view.pan(dx, dy));
            }
        } else if ps.len() == 2 {
            // Pinch: scale by the change of distance between the two pointers, around their midpoint.
            let other = ps[1 - slot].1;
            let dist = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt().max(1.0);
            let factor = dist(p, other) / dist(old, other);
            let mid = [(p[0] + other[0]) / 2.0, (p[1] + other[1]) / 2.0];
            ps[slot].1 = p;
            *dragged.borrow_mut() = true;
            set_view.emit(view.zoom_at(factor, mid));
        }
    })
}

fn on_leave(active: &UseStateHandle<bool>, hint: &UseStateHandle<bool>, pointers: &Pointers) -> Callback<PointerEvent> {
    let (active, hint, pointers) = (active.clone(), hint.clone(), pointers.clone());
    Callback::from(move |_: PointerEvent| {
        if pointers.borrow().is_empty() {
            active.set(false);
        }
        hint.set(false);
    })
}

fn on_focus_out(active: &UseStateHandle<bool>, viewport: &NodeRef) -> Callback<FocusEvent> {
    let (active, viewport) = (active.clone(), viewport.clone());
    Callback::from(move |e: FocusEvent| {
        // Focus going to another element outside the map deactivates it. Without a next element, the focused
        // node was removed by a re-render (a cluster split by zooming) or the page lost focus: the map stays
        // active (the pointer leaving it deactivates it anyway).
        let inside = match e.related_target() {
            None => true,
            Some(rel) => viewport
                .cast::<web_sys::Node>()
                .zip(rel.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|(v, r)| v.contains(Some(&r))),
        };
        if !inside {
            active.set(false);
        }
    })
}
