//! The embed boundary: the `#[wasm_bindgen]` entry points the loader (`static/essaimage.js`) calls, and the only
//! code that touches `window`, `document`, `fetch`, `history` and the console.
//!
//! For each instance it resolves the configuration, mounts the Yew [`App`] in the element the loader prepared
//! (inside a shadow root), fetches the data, drives the pure loading pipeline, keeps the URL hash in sync and
//! turns every failure into the widget's alert box.

mod fetch;
mod history;
mod host;
mod pool;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo::events::EventListener;
use js_sys::Date;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::Element;

use crate::config::{Config, RawOptions};
use crate::i18n::{t, Locale, Msg};
use crate::load::{Download, Loaded, Setup, Step};
use crate::report::LoadError;
use crate::schema::ValidateOptions;
use crate::ui::{AppProps, Phase, SharedLoaded, UrlChange};
use crate::url_state::{self, UrlState};
use fetch::{fetch_body, fetch_bytes, next_task, start_fetch, JsPiece};
use history::PendingUrl;
use pool::PooledApp;

/// The props the instance last gave its app; each update changes one part and re-sends the whole.
struct Shown {
    phase: Phase,
    /// The page is printed (`beforeprint`, or the print media query).
    printing: bool,
    url: UrlState,
    url_generation: u32,
    progress: Option<(usize, usize)>,
    /// The data report's element (the `debug` option), once the whole file is read.
    report: Option<Element>,
    /// The commune table of the « Autour de » field.
    places: crate::ui::Places,
}

struct Instance {
    config: Rc<Config>,
    root: Element,
    /// The Yew app this instance borrowed from the pool (`None` once destroyed), and the key that makes the app it
    /// renders a new one.
    app: RefCell<Option<PooledApp>>,
    key: u32,
    view: RefCell<Shown>,
    listeners: RefCell<Vec<EventListener>>,
    /// A change of the address bar waiting to be written (see [`history::write_url`]).
    pending_url: RefCell<PendingUrl>,
    destroyed: Cell<bool>,
    /// Aborts the widget's downloads when it is destroyed.
    downloads: Option<web_sys::AbortController>,
    /// Requests the loader sent before the wasm was ready, by URL (`static/essaimage.js`), each taken once.
    sent: Option<js_sys::Map>,
    /// The loader's function that replaces the widget with the « internal error » alert box.
    on_panic: js_sys::Function,
    /// The loader's function that makes the data report (the `debug` option) of the file read, given its pieces,
    /// and returns the element it fills with it.
    on_report: js_sys::Function,
}

thread_local! {
    /// Live instances, for the panic hook (which must show the error box in every one of them).
    static INSTANCES: RefCell<Vec<Weak<Instance>>> = const { RefCell::new(Vec::new()) };
    static MOUNTS: Cell<u32> = const { Cell::new(0) };
}

/// A mounted widget, returned to JavaScript.
#[wasm_bindgen]
pub struct Widget {
    inner: Rc<Instance>,
}

#[wasm_bindgen]
impl Widget {
    /// Unmounts the widget: removes its listeners and nodes, and gives its Yew app back to the pool. Its downloads
    /// are aborted; a load in progress stops at its next slice of records.
    pub fn destroy(&self) {
        let inst = &self.inner;
        if inst.destroyed.replace(true) {
            return;
        }
        inst.listeners.borrow_mut().clear();
        inst.pending_url.borrow_mut().cancel();
        if let Some(downloads) = &inst.downloads {
            downloads.abort();
        }
        if let Some((host, mut app)) = inst.app.borrow_mut().take() {
            // The loading box, which holds no dataset: the dataset is freed while the app waits in the pool.
            app.update(AppProps { phase: Phase::Loading, report: None, ..props_of(inst) });
            let _ = inst.root.remove_child(&host);
            pool::give_back((host, app));
        }
        INSTANCES.with(|all| all.borrow_mut().retain(|w| w.upgrade().is_some_and(|other| !Rc::ptr_eq(&other, inst))));
    }

    /// The namespace of this instance in the URL hash.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.config.ns.clone()
    }
}

/// Mounts one widget in `root`. `options` is the JSON of [`RawOptions`] written by the loader (with the element's
/// own id and the mount's number, from which [`Config::resolve`] names the instance); `on_panic` shows the alert box
/// of an internal error (called with the panic's message). `data`, when given (the loader's `data` option), is the
/// dataset itself, read instead of downloading the `dataset` option, which then only names it in messages. With
/// `debug`, `on_report` is called once the whole file is read, with its pieces (an array of `Uint8Array`), and
/// returns the element to show, which the loader fills with the data report: the report's messages are the check
/// page's module's, not in this wasm. `sent` holds the requests the loader already sent (the dataset and the
/// outlines, by URL), which the widget takes instead of sending its own.
#[wasm_bindgen]
pub fn mount(
    root: Element,
    options: &str,
    on_panic: js_sys::Function,
    data: Option<js_sys::Uint8Array>,
    on_report: js_sys::Function,
    sent: Option<js_sys::Map>,
) -> Widget {
    install_panic_hook();
    let (raw, parse_warning) = match RawOptions::from_json(options) {
        Ok(raw) => (raw, None),
        Err(e) => (RawOptions::default(), Some(format!("options could not be read ({e}); using defaults."))),
    };
    // The loader always gives the mount number: the fallback only names a widget mounted without it.
    let (config, mut warnings) = Config::resolve(raw, "e1");
    warnings.extend(parse_warning);
    for w in &warnings {
        web_sys::console::warn_1(&format!("Essaimage [{}]: {w}", config.ns).into());
    }
    let config = Rc::new(config);
    let url = url_state::decode(&current_hash(), &config.ns);
    let key = MOUNTS.with(|m| m.replace(m.get() + 1));
    let inst = Rc::new(Instance {
        config: config.clone(),
        root: root.clone(),
        app: RefCell::new(None),
        key,
        view: RefCell::new(Shown {
            phase: Phase::Loading,
            printing: false,
            url,
            url_generation: 0,
            progress: None,
            report: None,
            places: Default::default(),
        }),
        listeners: RefCell::new(Vec::new()),
        pending_url: RefCell::default(),
        destroyed: Cell::new(false),
        downloads: web_sys::AbortController::new().ok(),
        sent,
        on_panic,
        on_report,
    });
    INSTANCES.with(|all| all.borrow_mut().push(Rc::downgrade(&inst)));

    let (host, app) = pool::borrow_app(&root, props_of(&inst));
    // In place of the loader's loading box (as Yew clears the element it is given).
    while let Some(child) = root.last_child() {
        let _ = root.remove_child(&child);
    }
    let _ = root.append_child(&host);
    *inst.app.borrow_mut() = Some((host, app));
    history::listen_to_history(&inst);
    host::listen_to_print(&inst);
    {
        let inst = inst.clone();
        spawn_local(async move {
            let loaded = load(&inst, data).await;
            if inst.destroyed.get() {
                return;
            }
            let phase = match loaded {
                Ok(loaded) => Phase::Ready(SharedLoaded::new(loaded)),
                Err(e) => {
                    let (title, detail) = e.message(Locale::En);
                    web_sys::console::error_1(&format!("Essaimage [{}]: {title}. {detail}", inst.config.ns).into());
                    Phase::Failed(e)
                }
            };
            let ready = matches!(phase, Phase::Ready(_));
            // A load that fails after showing its first records must not leave the widget marked busy.
            inst.view.borrow_mut().progress = None;
            set_phase(&inst, phase);
            if ready {
                mark("essaimage:rendered");
                for (step, from, to) in [
                    ("essaimage:fetch", "essaimage:start", "essaimage:fetched"),
                    ("essaimage:validate", "essaimage:fetched", "essaimage:validated"),
                    ("essaimage:index", "essaimage:validated", "essaimage:indexed"),
                    ("essaimage:render", "essaimage:indexed", "essaimage:rendered"),
                ] {
                    measure(step, from, to);
                }
            }
        });
    }
    Widget { inner: inst }
}

fn props_of(inst: &Rc<Instance>) -> AppProps {
    let view = inst.view.borrow();
    let weak = Rc::downgrade(inst);
    AppProps {
        mount: inst.key,
        config: inst.config.clone(),
        phase: view.phase.clone(),
        url: view.url.clone(),
        url_generation: view.url_generation,
        progress: view.progress,
        on_url: yew::Callback::from(move |change: UrlChange| {
            if let Some(inst) = weak.upgrade() {
                history::write_url(&inst, change);
            }
        }),
        today: host::today(),
        printing: view.printing,
        on_host: host::handler(inst),
        report: view.report.clone(),
        places: view.places.clone(),
    }
}

fn rerender(inst: &Rc<Instance>) {
    if inst.destroyed.get() {
        return;
    }
    let props = props_of(inst);
    if let Some((_, app)) = inst.app.borrow_mut().as_mut() {
        app.update(props);
    }
}

fn set_phase(inst: &Rc<Instance>, phase: Phase) {
    inst.view.borrow_mut().phase = phase;
    rerender(inst);
}

fn window() -> web_sys::Window {
    web_sys::window().expect("the widget runs in a browser window")
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The request for `url`: the one the loader already sent if it did (it starts while the wasm compiles), else a new
/// one, aborted with the widget.
fn request(inst: &Instance, url: &str) -> JsFuture {
    let key = JsValue::from_str(url);
    match inst.sent.as_ref().map(|sent| (sent.get(&key), sent)) {
        Some((sent_request, sent)) if sent_request.is_instance_of::<js_sys::Promise>() => {
            sent.delete(&key);
            JsFuture::from(js_sys::Promise::unchecked_from_js(sent_request))
        }
        _ => start_fetch(inst.downloads.as_ref(), url),
    }
}

/// Fetches the dataset and the departments' outlines in parallel, and drives the loading pipeline
/// ([`crate::load`]): the first records are shown while the rest of the file downloads, then each step of the
/// pipeline runs in its own browser task, so the page stays responsive and the widget shows how far it is. A dataset
/// given in memory (`data`) is fed to the same pipeline in one piece, as a download of one piece would be.
async fn load(inst: &Rc<Instance>, data: Option<js_sys::Uint8Array>) -> Result<Loaded, LoadError> {
    let config = &inst.config;
    // A page opened from file:// is the loader's to explain (`static/essaimage.js`): it stops before the wasm.
    let dataset_url = config.dataset.clone().ok_or(LoadError::NoDataset)?;
    mark("essaimage:start");
    let departments_url = config.asset("data/france-departments.bin");
    // Both requests are sent now, so they download in parallel while we await one after the other.
    let dataset = data.is_none().then(|| request(inst, &dataset_url));
    let departments = request(inst, &departments_url);
    let departments = fetch_bytes(departments, &departments_url, 50_000_000)
        .await
        .map_err(|e| LoadError::BaseData { url: departments_url.clone(), detail: e.message(Locale::En).0 })?;
    let options = ValidateOptions {
        url: dataset_url.clone(),
        current_year: i64::from(Date::new_0().get_full_year()),
        max_bytes: config.max_bytes,
    };
    let mut download = Download::new(Setup { options, departments, departments_url });
    let show = |early: crate::load::Early| {
        let mut view = inst.view.borrow_mut();
        view.phase = Phase::Ready(SharedLoaded::new(early.loaded));
        view.progress = Some((early.records, early.total));
    };
    let mut on_piece = |piece| {
        if let Some(early) = download.feed(piece) {
            show(early);
            rerender(inst);
        }
    };
    match (dataset, data) {
        (Some(request), _) => fetch_body(request, &dataset_url, config.max_bytes, &mut on_piece).await?,
        (None, Some(bytes)) => {
            let len = u64::from(bytes.length());
            if len > config.max_bytes {
                return Err(LoadError::TooLarge { url: dataset_url, bytes: Some(len), limit: config.max_bytes });
            }
            on_piece(JsPiece(bytes));
        }
        (None, None) => {}
    }
    mark("essaimage:fetched");
    let (file, pending) = download.finish();
    let mut build = pending.read(&file);
    loop {
        match build.step() {
            Step::Done(result) => {
                let loaded = result?;
                mark("essaimage:indexed");
                log_report(config, &loaded.report);
                if config.debug {
                    let pieces: js_sys::Array = file.pieces().iter().map(|p| p.0.clone()).collect();
                    let slot = inst.on_report.call1(&JsValue::NULL, &pieces);
                    inst.view.borrow_mut().report = slot.ok().and_then(|s| s.dyn_into().ok());
                }
                return Ok(loaded);
            }
            Step::Early(early) => {
                show(early);
                rerender(inst);
            }
            Step::Progress { read, total } => {
                inst.view.borrow_mut().progress = Some((read, total));
                rerender(inst);
            }
            Step::Validated => {
                inst.view.borrow_mut().progress = None;
                mark("essaimage:validated");
            }
            Step::NeedsCommunes => {
                let url = config.asset("data/communes.csv");
                let table = fetch_bytes(request(inst, &url), &url, 50_000_000).await;
                let table =
                    table.map(|b| String::from_utf8_lossy(&b).into_owned()).map_err(|e| e.message(Locale::En).1);
                build.communes(table.as_deref().map_err(Clone::clone));
            }
            Step::Working => {}
        }
        next_task().await;
        if inst.destroyed.get() {
            return Err(LoadError::NoDataset);
        }
    }
}

/// Marks a loading step on the Performance timeline (`essaimage:<step>`), for `make bench` and the browser's
/// performance panel.
fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// A measure between two marks (`essaimage:fetch`, `…:validate`, `…:index`, `…:render`).
fn measure(name: &str, from: &str, to: &str) {
    if let Some(p) = window().performance() {
        let _ = p.measure_with_start_mark_and_end_mark(name, from, to);
    }
}

/// The data report's counts go to the console for page authors, in one line with where to read the details: the
/// problems' messages are not in the widget's wasm (docs/SIZE.md) but in the check page's module, which the `debug`
/// option loads (`static/essaimage.js`), and in the command-line tool.
fn log_report(config: &Config, report: &crate::report::DataReport) {
    if report.is_clean() {
        return;
    }
    let text = format!("{} {}", report.summary(config.locale), t(config.locale, Msg::ReportDetails));
    web_sys::console::warn_1(&text.into());
}

/// One hook for the whole module: a panic (a bug) replaces every live instance with the alert box instead of
/// leaving dead widgets, and logs the details for the bug report.
fn install_panic_hook() {
    thread_local! { static INSTALLED: Cell<bool> = const { Cell::new(false) }; }
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = JsValue::from(format!("Essaimage: internal error: {info}"));
        web_sys::console::error_1(&message);
        // The loader draws the alert box (without Yew, which may be the thing that failed).
        INSTANCES.with(|all| {
            for inst in all.borrow().iter().filter_map(Weak::upgrade) {
                let _ = inst.on_panic.call1(&JsValue::NULL, &message);
            }
        });
    }));
}
