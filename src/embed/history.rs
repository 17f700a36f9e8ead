//! The widget's state in the page's address: each instance writes its own part of the hash (see
//! [`crate::url_state`]), and follows back/forward and hand-edited links.

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::render::request_animation_frame;
use gloo::timers::callback::Timeout;
use wasm_bindgen::prelude::*;

use super::{current_hash, rerender, window, Instance};
use crate::ui::UrlChange;
use crate::url_state;

/// A change of the address bar waiting to be written, and the timer that will write it.
#[derive(Default)]
pub(super) struct PendingUrl {
    /// Whether a change waits, and whether it makes a history entry.
    waiting: bool,
    push: bool,
    frame: Option<gloo::render::AnimationFrame>,
    timeout: Option<Timeout>,
}

impl PendingUrl {
    /// Drops what waits (the widget is destroyed, or back/forward left the page the change was made on).
    pub(super) fn cancel(&mut self) {
        *self = PendingUrl::default();
    }
}

/// Takes a change of the widget's state; the address bar follows right after the next frame for a new history entry
/// (a filter, a detail), 250 ms after the last change for the search text. `pushState` makes Chromium lay out the
/// page there and then: in the middle of a render, that is a second layout of the same frame (after the frame, the
/// layout is already done). Typing a word would otherwise rewrite the address at every letter. The changes made
/// meanwhile count as one (a new history entry if any of them asked for one).
pub(super) fn write_url(inst: &Rc<Instance>, change: UrlChange) {
    inst.view.borrow_mut().url = change.state;
    let mut pending = inst.pending_url.borrow_mut();
    pending.waiting = true;
    pending.push |= change.push;
    (pending.frame, pending.timeout) = (None, None);
    let weak = Rc::downgrade(inst);
    let flush = move || {
        if let Some(inst) = weak.upgrade() {
            flush_url(&inst);
        }
    };
    if pending.push {
        let weak = Rc::downgrade(inst);
        pending.frame = Some(request_animation_frame(move |_| {
            if let Some(inst) = weak.upgrade() {
                inst.pending_url.borrow_mut().timeout = Some(Timeout::new(0, flush));
            }
        }));
    } else {
        pending.timeout = Some(Timeout::new(250, flush));
    }
}

/// Writes the address bar now if a change waits.
fn flush_url(inst: &Instance) {
    // The timer that calls this stays in place until the next change replaces it: dropping it here would free the
    // closure that is running.
    let push = {
        let mut pending = inst.pending_url.borrow_mut();
        let (waiting, push) = (std::mem::take(&mut pending.waiting), std::mem::take(&mut pending.push));
        if !waiting || inst.destroyed.get() {
            return;
        }
        push
    };
    write_history(inst, push);
}

/// Writes this instance's part of the hash, keeping the rest; pushes a history entry if `push`.
fn write_history(inst: &Instance, push: bool) {
    let location = window().location();
    let hash = current_hash();
    let new_hash = url_state::write(&hash, &inst.config.ns, &inst.view.borrow().url);
    if new_hash == hash || (new_hash.is_empty() && hash == "#") {
        return;
    }
    let target = if new_hash.is_empty() {
        format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default())
    } else {
        new_hash
    };
    if let Ok(history) = window().history() {
        // Mark the entry we leave as ours, so that coming back to it restores its state even when its hash holds
        // no key of ours (see `listen_to_history`).
        if !is_our_entry(&history) {
            let _ = history.replace_state(&history_marker(), "");
        }
        let result = if push {
            history.push_state_with_url(&history_marker(), "", Some(&target))
        } else {
            history.replace_state_with_url(&history_marker(), "", Some(&target))
        };
        if result.is_err() {
            web_sys::console::warn_1(&"Essaimage: could not update the address bar".into());
        }
    }
}

/// The `history.state` of entries the widget created or left: `{"essaimage": true}`.
fn history_marker() -> JsValue {
    let marker = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&marker, &"essaimage".into(), &JsValue::TRUE);
    marker.into()
}

fn is_our_entry(history: &web_sys::History) -> bool {
    history
        .state()
        .ok()
        .is_some_and(|s| s.is_object() && js_sys::Reflect::get(&s, &"essaimage".into()).is_ok_and(|v| v.is_truthy()))
}

/// Back/forward and hand-edited links: read the hash again and pass this instance's part to the app.
///
/// An entry the widget did not make and whose hash has none of its keys (the page's own anchor link, such as a
/// « skip to content » link) leaves the widget as it is, instead of resetting every filter.
pub(super) fn listen_to_history(inst: &Rc<Instance>) {
    let make = |event: &'static str| {
        let weak = Rc::downgrade(inst);
        EventListener::new(&window(), event, move |_| {
            let Some(inst) = weak.upgrade() else { return };
            if event == "popstate" {
                // Back or forward: a change not yet written is dropped with the page it was made on.
                inst.pending_url.borrow_mut().cancel();
            }
            let hash = current_hash();
            let ours = window().history().is_ok_and(|h| is_our_entry(&h));
            if !ours && !url_state::mentions(&hash, &inst.config.ns) {
                return;
            }
            let url = url_state::decode(&hash, &inst.config.ns);
            let changed = {
                let mut view = inst.view.borrow_mut();
                if view.url == url {
                    false
                } else {
                    view.url = url;
                    view.url_generation = view.url_generation.wrapping_add(1);
                    true
                }
            };
            if changed {
                rerender(&inst);
            }
        })
    };
    let mut listeners = inst.listeners.borrow_mut();
    listeners.push(make("popstate"));
    listeners.push(make("hashchange"));
}
