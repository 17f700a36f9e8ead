//! The view layer: Yew components that render state and emit [`Action`]s.
//!
//! One reducer (in [`app::App`]) owns the state; children get plain data and `Callback`s. Components never touch
//! `window` or `document`: the embed boundary feeds them the load phase and the URL through props, and receives
//! URL changes through a callback.

pub mod app;
pub mod detail;
pub mod error_box;
pub mod filters;
pub mod header;
pub mod map;
pub mod report_panel;
pub mod results;

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::Locale;
use crate::load::Explorer;
use crate::report::LoadError;
use crate::state::Action;

pub use app::{App, AppProps, UrlChange};

/// A shared, immutable explorer, compared by identity (it is replaced, never mutated).
#[derive(Clone)]
pub struct SharedExplorer(pub Rc<Explorer>);

impl PartialEq for SharedExplorer {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Shared immutable data compared by identity in props, so that a large value (the base map, the clusters) is
/// never compared element by element on each render.
pub struct ByPtr<T>(pub Rc<T>);

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
    Ready(SharedExplorer),
    Failed(LoadError),
}

/// What every component needs to render texts and emit actions.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub locale: Locale,
    /// Prefix for element ids, unique per instance.
    pub ns: String,
    pub dispatch: Callback<Action>,
}

impl Ctx {
    pub fn id(&self, local: &str) -> String {
        format!("es-{}-{local}", self.ns)
    }

    /// A callback emitting one fixed action.
    pub fn action(&self, action: Action) -> Callback<MouseEvent> {
        let d = self.dispatch.clone();
        Callback::from(move |_| d.emit(action.clone()))
    }
}
