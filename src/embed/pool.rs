//! Yew apps kept for the next widgets. Yew 0.23 never frees the event listeners an app registers on its host
//! element (`AppHandle::destroy` leaves them and their closures behind, about 17 listeners per app): apps are
//! therefore never destroyed, only emptied and lent to the next instance. The pool holds as many apps as the page
//! ever showed widgets at once.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use web_sys::Element;
use yew::AppHandle;

use crate::ui::{App, AppProps};

/// A Yew app and the `div` it renders into, moved into each instance's root in turn. A plain block: with
/// `display: contents` it would have no box, and Chromium sends wheel events only to the boxes of elements that
/// listen to them (Yew's delegated listeners are on this `div`). A new instance gives the app a new
/// [`AppProps::mount`], which starts the widget again.
pub(super) type PooledApp = (Element, AppHandle<App>);

thread_local! {
    static POOL: RefCell<Vec<PooledApp>> = const { RefCell::new(Vec::new()) };
}

/// An app showing `props`, from the pool or new, whose host element is not yet in the page.
pub(super) fn borrow_app(root: &Element, props: AppProps) -> PooledApp {
    match POOL.with(|pool| pool.borrow_mut().pop()) {
        Some((host, mut app)) => {
            app.update(props);
            (host, app)
        }
        None => {
            let doc = root.owner_document().expect_throw("a mounted element has a document");
            let host = doc.create_element("div").expect_throw("div");
            let app = yew::Renderer::<App>::with_root_and_props(host.clone(), props).render();
            (host, app)
        }
    }
}

/// Gives an app back, once its host element left the page and it shows nothing that holds a dataset.
pub(super) fn give_back(app: PooledApp) {
    POOL.with(|pool| pool.borrow_mut().push(app));
}
