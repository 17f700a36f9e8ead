//! The view layer: Yew components that render state and emit [`Action`]s.
//!
//! One reducer (in [`app::App`]) owns the state; children get plain data and `Callback`s. Components never touch
//! `window` or `document`: the embed boundary feeds them the load phase and the URL through props, and receives
//! URL changes through a callback.

pub mod app;
pub mod detail;
pub mod dom;
pub mod error_box;
pub mod export;
pub mod filters;
pub mod header;
pub mod map;
pub mod results;
pub mod synthesis;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, EventTarget};
use yew::prelude::*;

use crate::i18n::Locale;
use crate::load::Loaded;
use crate::report::LoadError;
use crate::state::Action;

pub use app::{App, AppProps, HostRequest, UrlChange};

/// The dataset being explored (index and report), shared and compared by identity: it is replaced, never mutated.
pub type SharedLoaded = ByPtr<Loaded>;

/// Shared immutable data compared by identity in props, so that a large value (the base map, the clusters) is
/// never compared element by element on each render.
pub struct ByPtr<T>(pub Rc<T>);

impl<T> ByPtr<T> {
    pub fn new(value: T) -> Self {
        ByPtr(Rc::new(value))
    }
}

impl<T> Clone for ByPtr<T> {
    fn clone(&self) -> Self {
        ByPtr(self.0.clone())
    }
}

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for ByPtr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Where loading stands, as told by the embed boundary.
#[derive(Clone, PartialEq)]
pub enum Phase {
    /// Waiting for data.
    Loading,
    Ready(SharedLoaded),
    Failed(LoadError),
}

/// The commune table of the « Autour de » field, fetched by the embed boundary when the visitor first uses it.
#[derive(Clone, PartialEq, Default)]
pub enum Places {
    #[default]
    NotAsked,
    Loading,
    Ready(ByPtr<crate::territory::Gazetteer>),
    Failed,
}

/// What every component needs to render texts and emit actions.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub locale: Locale,
    /// Prefix for element ids, unique per instance.
    pub ns: String,
    pub dispatch: Callback<Action>,
    /// The level of the widget's title (2 to 6, `data-heading-level`).
    pub h: u8,
}

impl Ctx {
    pub fn id(&self, local: &str) -> String {
        format!("es-{}-{local}", self.ns)
    }

    /// The tag of a heading `depth` levels under the widget's title, `h6` at most.
    pub fn h(&self, depth: u8) -> &'static str {
        heading_tag(self.h + depth)
    }

    /// A callback emitting one fixed action.
    pub fn action(&self, action: Action) -> Callback<MouseEvent> {
        let d = self.dispatch.clone();
        Callback::from(move |_| d.emit(action.clone()))
    }
}

/// The tag of a heading of `level`, `h6` at most (an outline deeper than the page's allows is flattened at the
/// bottom).
pub fn heading_tag(level: u8) -> &'static str {
    ["h2", "h3", "h4", "h5", "h6"][usize::from(level.clamp(2, 6) - 2)]
}

/// A heading of `level` (see [`heading_tag`]) of class `class`, with `id` if given, focusable by script through
/// `node` if given, holding `children`. One function for every heading of the widget, built as `html!` builds a
/// literal tag (a fixed list of attribute names): `html!`'s dynamic tags cost about 200 B of wasm each, and
/// `VTag::add_attribute` links an `IndexMap` (about 2 KB).
#[inline(never)]
pub fn heading(level: u8, class: &'static str, id: Option<String>, node: Option<&NodeRef>, children: Html) -> Html {
    use yew::virtual_dom::{AttributeOrProperty as A, Attributes, Listeners, VTag};
    let values = [Some(A::Static(class)), id.map(|id| A::Attribute(id.into())), node.map(|_| A::Static("-1"))];
    let attributes = Attributes::Dynamic { keys: &["class", "id", "tabindex"], values: Box::new(values) };
    let node = node.cloned().unwrap_or_default();
    VTag::__new_other(heading_tag(level).into(), node, None, attributes, Listeners::None, children).into()
}

/// The number in the attribute named by `selector` (`[data-…]`) of the element `target` is in: itself or its
/// nearest ancestor that has it. Long lists (results, map territories, clusters, markers) mark their items this way
/// and share the handlers of the list: one set of listeners instead of several per item, which Yew would register
/// again for every item at every render (new callbacks are never equal to the old ones).
pub fn index_at(target: Option<EventTarget>, selector: &str) -> Option<usize> {
    let el: Element = target?.dyn_into().ok()?;
    el.closest(selector).ok()??.get_attribute(&selector[1..selector.len() - 1])?.parse().ok()
}

/// Pointer and focus handlers of a list whose items are innovations marked with `selector` (their record index):
/// entering an item (with the pointer or the focus) highlights the innovation, leaving it ends the highlight. Moves
/// between the parts of one item are ignored, like `mouseenter`/`mouseleave` on each item.
pub fn highlighter(
    dispatch: &Callback<Action>,
    selector: &'static str,
) -> (Callback<MouseEvent>, Callback<MouseEvent>, Callback<FocusEvent>, Callback<FocusEvent>) {
    let dispatch = dispatch.clone();
    let on = Rc::new(move |target: Option<EventTarget>, related: Option<EventTarget>, enter: bool| {
        let item = index_at(target, selector);
        if item.is_some() && item != index_at(related, selector) {
            dispatch.emit(Action::Highlight(item.filter(|_| enter)));
        }
    });
    let (a, b, c, d) = (on.clone(), on.clone(), on.clone(), on);
    (
        Callback::from(move |e: MouseEvent| a(e.target(), e.related_target(), true)),
        Callback::from(move |e: MouseEvent| b(e.target(), e.related_target(), false)),
        Callback::from(move |e: FocusEvent| c(e.target(), e.related_target(), true)),
        Callback::from(move |e: FocusEvent| d(e.target(), e.related_target(), false)),
    )
}

/// Focuses the results heading of the widget that `target` is in, once the render under way is done (a list shown
/// by the same action is then displayed).
pub fn focus_results(target: Option<EventTarget>) {
    let Some(el) = target.and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    // Looked up after the render that the dispatched action starts (Yew renders in a microtask): behind the
    // synthesis the list is not rendered until then (and the synthesis' own title is not the list's).
    yew::platform::spawn_local(async move {
        let heading = el
            .closest(".es")
            .ok()
            .flatten()
            .and_then(|w| w.query_selector(".es-list-pane .es-results-title").ok().flatten());
        if let Some(h) = heading.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = h.focus();
        }
    });
}
