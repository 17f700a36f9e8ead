//! What the view asks of the page (`ui::HostRequest`): a file saved from a Blob through an `<a download>`, the
//! clipboard (with the view's fallback when refused), the permalink of a state; and whether the page is printed.
//! Called through `js_sys::Reflect` where web-sys would need more features (docs/SIZE.md).

use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::fetch::{fetch_bytes, start_fetch};
use super::{current_hash, rerender, window, Instance};
use crate::ui::HostRequest;
use crate::url_state;

/// Today as `YYYY-MM-DD` (the visitor's local date).
pub(super) fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

// The few browser functions the exports need, declared directly (fewer wasm instructions than looking them up
// through `js_sys::Reflect`, docs/SIZE.md).
#[wasm_bindgen]
extern "C" {
    type Blob;
    #[wasm_bindgen(constructor)]
    fn new(parts: &Array, options: &Object) -> Blob;
    #[wasm_bindgen(js_namespace = URL, js_name = createObjectURL)]
    fn create_object_url(blob: &Blob) -> String;
    #[wasm_bindgen(js_namespace = URL, js_name = revokeObjectURL)]
    fn revoke_object_url(url: &str);
    /// Throws (an `Err`) where there is no Clipboard API (an insecure context).
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn write_text(text: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(extends = web_sys::EventTarget)]
    type MediaQueryList;
    #[wasm_bindgen(js_name = matchMedia)]
    fn match_media(query: &str) -> MediaQueryList;
    #[wasm_bindgen(method, getter)]
    fn matches(this: &MediaQueryList) -> bool;
    /// Throws (an `Err`) where the browser has no geolocation.
    #[wasm_bindgen(js_namespace = ["navigator", "geolocation"], js_name = getCurrentPosition, catch)]
    fn get_current_position(ok: &js_sys::Function, err: &js_sys::Function, options: &Object) -> Result<(), JsValue>;
}

/// The visitor's position from the browser's geolocation (which asks the visitor): `Err(true)` refused, `Err(false)`
/// no geolocation, no fix, or none within 10 s. A position of the last 10 minutes will do; a coarse one too (the
/// radii are kilometres).
async fn locate() -> Result<crate::model::LonLat, bool> {
    let options = Object::new();
    let _ = Reflect::set(&options, &"timeout".into(), &10_000.into());
    let _ = Reflect::set(&options, &"maximumAge".into(), &600_000.into());
    let asked = js_sys::Promise::new(&mut |ok, err| {
        if get_current_position(&ok, &err, &options).is_err() {
            let _ = err.call0(&JsValue::NULL);
        }
    });
    let get = |v: &JsValue, key: &str| Reflect::get(v, &key.into()).unwrap_or_default();
    match JsFuture::from(asked).await {
        Ok(position) => {
            let coords = get(&position, "coords");
            let (lon, lat) = (get(&coords, "longitude").as_f64(), get(&coords, "latitude").as_f64());
            lon.zip(lat).map(|(lon, lat)| crate::model::LonLat { lon, lat }).ok_or(false)
        }
        // PERMISSION_DENIED is 1.
        Err(e) => Err(get(&e, "code").as_f64() == Some(1.0)),
    }
}

/// What the « Autour de » field asks: the commune table (fetched and read once per instance), or the visitor's
/// position. One future type for both (each spawned type adds its own task code to the wasm bundle).
async fn around(inst: Rc<Instance>, request: HostRequest) {
    use crate::ui::Places;
    if let HostRequest::Locate(done) = request {
        return done.emit(locate().await);
    }
    if matches!(inst.view.borrow().places, Places::Loading | Places::Ready(_)) {
        return;
    }
    inst.view.borrow_mut().places = Places::Loading;
    rerender(&inst);
    let url = inst.config.asset("data/communes.csv");
    let bytes = fetch_bytes(start_fetch(inst.downloads.as_ref(), &url), &url, 50_000_000).await;
    let table = bytes.ok().and_then(|b| crate::territory::CommuneIndex::from_csv(&String::from_utf8_lossy(&b)).ok());
    inst.view.borrow_mut().places =
        table.map_or(Places::Failed, |t| Places::Ready(crate::ui::ByPtr::new(crate::territory::Gazetteer::new(t))));
    rerender(&inst);
}

/// Saves `text` as a file: a Blob, its object URL on an `<a download>` clicked, then revoked.
fn download(inst: &Instance, name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let options = Object::new();
    Reflect::set(&options, &"type".into(), &mime.into())?;
    let href = create_object_url(&Blob::new(&Array::of1(&Uint8Array::from(text.as_bytes())), &options));
    let doc = window().document().ok_or(JsValue::NULL)?;
    let a: web_sys::HtmlElement = doc.create_element("a")?.dyn_into()?;
    a.set_attribute("href", &href)?;
    a.set_attribute("download", name)?;
    a.set_attribute("hidden", "")?;
    inst.root.append_child(&a)?;
    a.click();
    let _ = inst.root.remove_child(&a);
    // Revoked after the download has started (gloo's timer: its closure code is already in the bundle).
    Timeout::new(1_000, move || revoke_object_url(&href)).forget();
    Ok(())
}

/// Copies `text` with the Clipboard API; `done` gets `None` when it worked, else the text.
fn copy(text: String, done: yew::Callback<Option<String>>) {
    match write_text(&text) {
        Ok(p) => spawn_local(async move {
            let ok = JsFuture::from(p).await.is_ok();
            done.emit((!ok).then_some(text));
        }),
        Err(_) => done.emit(Some(text)),
    }
}

/// The handler of the view's requests for one instance.
pub(super) fn handler(inst: &Rc<Instance>) -> yew::Callback<HostRequest> {
    let weak = Rc::downgrade(inst);
    yew::Callback::from(move |request: HostRequest| {
        let Some(inst) = weak.upgrade() else { return };
        match request {
            HostRequest::Download { name, mime, text } => {
                if let Err(e) = download(&inst, &name, mime, &text) {
                    web_sys::console::warn_2(&"Essaimage: the file could not be saved".into(), &e);
                }
            }
            HostRequest::Copy { mut before, state, done } => {
                // The page's address without its hash, then this state's hash (other instances' parts kept).
                let href = window().location().href().unwrap_or_default();
                before.push_str(href.split('#').next().unwrap_or_default());
                before.push_str(&url_state::write(&current_hash(), &inst.config.ns, &state));
                copy(before, done);
            }
            _ => spawn_local(around(inst, request)),
        }
    })
}

/// Follows printing: `beforeprint`/`afterprint`, and the print media query (print preview, emulation), so that the
/// view lays out every result and the synthesis for paper.
pub(super) fn listen_to_print(inst: &Rc<Instance>) {
    let set = |weak: std::rc::Weak<Instance>, printing: Option<bool>| {
        move |_: &web_sys::Event| {
            let Some(inst) = weak.upgrade() else { return };
            let now = printing.unwrap_or_else(|| match_media("print").matches());
            if inst.view.borrow().printing != now {
                inst.view.borrow_mut().printing = now;
                rerender(&inst);
            }
        }
    };
    let mut listeners = inst.listeners.borrow_mut();
    listeners.push(EventListener::new(&window(), "beforeprint", set(Rc::downgrade(inst), Some(true))));
    listeners.push(EventListener::new(&window(), "afterprint", set(Rc::downgrade(inst), None)));
    listeners.push(EventListener::new(&match_media("print"), "change", set(Rc::downgrade(inst), None)));
}
