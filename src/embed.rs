//! The embed boundary: the `#[wasm_bindgen]` entry points the loader (`static/essaimage.js`) calls, and the only
//! code that touches `window`, `document`, `fetch`, `history` and the console.
//!
//! For each instance it resolves the configuration, mounts the Yew [`App`] in the element the loader prepared
//! (inside a shadow root), fetches the data, drives the pure loading pipeline, keeps the URL hash in sync and
//! turns every failure into the widget's alert box.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use gloo::events::EventListener;
use js_sys::{Date, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, ReadableStreamDefaultReader, Response};
use yew::AppHandle;

use crate::config::{Config, RawOptions};
use crate::filter::IndexBuilder;
use crate::i18n::Locale;
use crate::json::Scanner;
use crate::load::{build_explorer, Explorer};
use crate::model::Dataset;
use crate::report::LoadError;
use crate::schema::{Reading, ValidateOptions};
use crate::search::WordIndexBuilder;
use crate::territory::{dataset_needs_communes, resolve_records, Communes, Territories};
use crate::ui::{App, AppProps, Phase, SharedExplorer, UrlChange};
use crate::url_state::{self, UrlState};

/// The props the instance last gave its app; each update changes one part and re-sends the whole.
struct View {
    phase: Phase,
    url: UrlState,
    url_generation: u32,
    progress: Option<(usize, usize)>,
}

struct Instance {
    config: Rc<Config>,
    root: Element,
    /// The Yew app this instance borrowed from [`POOL`] (`None` once destroyed), its host element, and the key
    /// that makes the [`App`] it renders a new one.
    app: RefCell<Option<PooledApp>>,
    key: u32,
    view: RefCell<View>,
    listeners: RefCell<Vec<EventListener>>,
    /// Whether an address-bar update waits for the visitor to pause (see [`write_url`]), and whether it adds a
    /// history entry.
    pending_url: Cell<bool>,
    pending_push: Cell<bool>,
    /// The loader's function that calls [`Widget::flush_url`] soon (given whether a history entry is due).
    on_url_change: js_sys::Function,
    destroyed: Cell<bool>,
    /// Aborts the widget's downloads when it is destroyed.
    downloads: Option<web_sys::AbortController>,
    /// The loader's function that replaces the widget with the « internal error » alert box.
    on_panic: js_sys::Function,
}

thread_local! {
    /// Live instances, for the panic hook (which must show the error box in every one of them).
    static INSTANCES: RefCell<Vec<Weak<Instance>>> = const { RefCell::new(Vec::new()) };
    /// Yew apps of destroyed instances, for the next ones. Yew 0.23 never frees the event listeners an app
    /// registers on its host element (`AppHandle::destroy` leaves them, with their closures, about 11 KiB and
    /// 17 listeners per app): apps are therefore never destroyed, only emptied and reused. The pool holds as many
    /// apps as the page ever showed widgets at once.
    static POOL: RefCell<Vec<PooledApp>> = const { RefCell::new(Vec::new()) };
    static MOUNTS: Cell<u32> = const { Cell::new(0) };
}

/// A Yew app and the `div` it renders into, moved into each instance's root in turn. A plain block: with
/// `display: contents` it would have no box, and Chromium sends wheel events only to the boxes of elements that
/// listen to them (Yew's delegated listeners are on this `div`). A new instance gives the app a new
/// [`AppProps::mount`], which starts the widget again.
type PooledApp = (Element, AppHandle<App>);

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
        if let Some(downloads) = &inst.downloads {
            downloads.abort();
        }
        if let Some((host, mut app)) = inst.app.borrow_mut().take() {
            // The loading box, which holds no dataset: the explorer is freed while the app waits in the pool.
            app.update(AppProps { phase: Phase::Loading, ..props_of(inst) });
            let _ = inst.root.remove_child(&host);
            POOL.with(|pool| pool.borrow_mut().push((host, app)));
        }
        INSTANCES.with(|all| all.borrow_mut().retain(|w| w.upgrade().is_some_and(|other| !Rc::ptr_eq(&other, inst))));
    }

    /// Writes the address bar now if a change waits (the loader calls it right after the next frame, or once the
    /// visitor pauses typing; see [`write_url`]).
    #[wasm_bindgen(js_name = flushUrl)]
    pub fn flush_url(&self) {
        let inst = &self.inner;
        if inst.pending_url.replace(false) && !inst.destroyed.get() {
            write_history(inst, inst.pending_push.replace(false));
        }
    }

    /// The namespace of this instance in the URL hash.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.inner.config.ns.clone()
    }
}

/// Mounts one widget in `root`. `options` is the JSON of [`RawOptions`] written by the loader; `fallback_id` is
/// the URL namespace to use when the page author gave none; `on_panic` shows the alert box of an internal error
/// (called with the panic's message); `on_url_change` is called at each change of the widget's state (with
/// whether it makes a history entry) and must call [`Widget::flush_url`] right after the next frame (entry) or
/// once the changes pause (search text).
#[wasm_bindgen]
pub fn mount(
    root: Element,
    options: &str,
    fallback_id: &str,
    on_panic: js_sys::Function,
    on_url_change: js_sys::Function,
) -> Widget {
    install_panic_hook();
    let (raw, parse_warning) = match RawOptions::from_json(options) {
        Ok(raw) => (raw, None),
        Err(e) => (RawOptions::default(), Some(format!("options could not be read ({e}); using defaults."))),
    };
    let (config, mut warnings) = Config::resolve(raw, fallback_id);
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
        view: RefCell::new(View { phase: Phase::Loading, url, url_generation: 0, progress: None }),
        listeners: RefCell::new(Vec::new()),
        pending_url: Cell::new(false),
        pending_push: Cell::new(false),
        on_url_change,
        destroyed: Cell::new(false),
        downloads: web_sys::AbortController::new().ok(),
        on_panic,
    });
    INSTANCES.with(|all| all.borrow_mut().push(Rc::downgrade(&inst)));

    let props = props_of(&inst);
    let (host, app) = match POOL.with(|pool| pool.borrow_mut().pop()) {
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
    };
    // In place of the loader's loading box (as Yew clears the element it is given).
    while let Some(child) = root.last_child() {
        let _ = root.remove_child(&child);
    }
    let _ = root.append_child(&host);
    *inst.app.borrow_mut() = Some((host, app));
    listen_to_history(&inst);
    {
        let inst = inst.clone();
        spawn_local(async move {
            let loaded = load(&inst).await;
            if inst.destroyed.get() {
                return;
            }
            let phase = match loaded {
                Ok(explorer) => Phase::Ready(SharedExplorer(Rc::new(explorer))),
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
                write_url(&inst, change);
            }
        }),
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

/// Writes this instance's part of the hash, keeping the rest; pushes a history entry unless told not to.
///
/// The address bar follows right after the next frame for a new history entry (a filter, a detail), 250 ms after
/// the last change for the search text: `pushState` makes Chromium lay out the page there and then, which in the
/// middle of a render cost about 11 ms per filter change at 100,000 records (a second layout of the same frame;
/// after the frame, the layout is already done), and typing a word rewrote the address at every letter. The changes made meanwhile count as one (a new history entry if
/// any of them asked for one). The loader keeps the timer (`on_url_change`) and calls [`Widget::flush_url`].
fn write_url(inst: &Rc<Instance>, change: UrlChange) {
    inst.view.borrow_mut().url = change.state;
    inst.pending_push.set(inst.pending_push.get() || change.push);
    inst.pending_url.set(true);
    let _ = inst.on_url_change.call1(&JsValue::NULL, &JsValue::from_bool(inst.pending_push.get()));
}

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
        if let Err(e) = result {
            let _ = e;
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
fn listen_to_history(inst: &Rc<Instance>) {
    let make = |event: &'static str| {
        let weak = Rc::downgrade(inst);
        EventListener::new(&window(), event, move |_| {
            let Some(inst) = weak.upgrade() else { return };
            if event == "popstate" {
                // Back or forward: a change not yet written is dropped with the page it was made on.
                inst.pending_url.set(false);
                inst.pending_push.set(false);
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

/// Sends a request now (Rust futures only run when awaited; the browser's `fetch` starts at once), aborted with the
/// widget.
fn start_fetch(inst: &Instance, url: &str) -> JsFuture {
    let init = web_sys::RequestInit::new();
    init.set_signal(inst.downloads.as_ref().map(|d| d.signal()).as_ref());
    JsFuture::from(window().fetch_with_str_and_init(url, &init))
}

/// A downloaded file left in the browser's memory, in the pieces it arrived in: validation copies it here a piece at
/// a time ([`crate::schema::Source`]), so the wasm memory, which never shrinks, does not keep a 100 MB file's bytes.
/// (Assembling the pieces of 120 MB into one array took a task of 0.5 s, and twice the memory meanwhile.)
struct JsBytes {
    chunks: Vec<Uint8Array>,
    /// Where each piece starts in the file, then the file's length.
    starts: Vec<usize>,
}

impl crate::schema::Source for JsBytes {
    fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }
    fn read(&self, range: std::ops::Range<usize>, out: &mut Vec<u8>) {
        out.clear();
        out.resize(range.len(), 0);
        // The last piece that starts at or before the range (pieces are never empty).
        let mut i = self.starts.partition_point(|&s| s <= range.start).saturating_sub(1);
        let mut at = range.start;
        while at < range.end && i < self.chunks.len() {
            let (start, end) = (self.starts[i], self.starts[i + 1].min(range.end));
            let to = &mut out[at - range.start..end - range.start];
            self.chunks[i].subarray((at - start) as u32, (end - start) as u32).copy_to(to);
            (at, i) = (end, i + 1);
        }
    }
}

/// The body of a request started by [`start_fetch`], in this memory.
async fn fetch_bytes(request: JsFuture, url: &str, max_bytes: u64) -> Result<Vec<u8>, LoadError> {
    let body = fetch_body(request, url, max_bytes, None).await?;
    let mut bytes = Vec::new();
    crate::schema::Source::read(&body, 0..crate::schema::Source::len(&body), &mut bytes);
    Ok(bytes)
}

/// What reads a body as it downloads: each piece as it arrives, and the file so far (that piece included).
type OnChunk<'a> = &'a mut dyn FnMut(&[u8], &JsBytes);

/// The body of a request started by [`start_fetch`], left in the browser's memory, or why not.
/// `on_chunk` is given the body as it arrives, a piece at a time.
async fn fetch_body(
    request: JsFuture,
    url: &str,
    max_bytes: u64,
    mut on_chunk: Option<OnChunk<'_>>,
) -> Result<JsBytes, LoadError> {
    let network = |e: JsValue| LoadError::Network {
        url: url.to_owned(),
        detail: e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "fetch failed".into()),
    };
    let resp: Response = request.await.map_err(network)?.unchecked_into();
    if !resp.ok() {
        return Err(LoadError::Http { url: url.to_owned(), status: resp.status() });
    }
    let too_large = |bytes: Option<u64>| LoadError::TooLarge { url: url.to_owned(), bytes, limit: max_bytes };
    let declared = resp.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<u64>().ok());
    let Some(body) = resp.body() else { return Ok(JsBytes { chunks: Vec::new(), starts: vec![0] }) };
    if let Some(len) = declared.filter(|&len| len > max_bytes) {
        let _ = body.cancel();
        return Err(too_large(Some(len)));
    }
    // Read the body chunk by chunk and stop as soon as it passes the limit: a server that sends no length (or a
    // wrong one) cannot make the widget download and copy an unbounded file.
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut file = JsBytes { chunks: Vec::new(), starts: vec![0] };
    let mut size = 0u64;
    let mut buf = Vec::new();
    let mut since = Date::now();
    loop {
        // Chunks that have already arrived come one after the other without a task in between: the browser's turn
        // after 40 ms of such work (scanning a fast download of 100 MB took tasks of 0.2–0.6 s). A read that had to
        // wait for the network already gave it (a needless timer would cost 1 s each in a background tab).
        if Date::now() - since > 40.0 {
            next_task().await;
            since = Date::now();
        }
        let asked = Date::now();
        let chunk = JsFuture::from(reader.read()).await.map_err(network)?;
        if Date::now() - asked >= 1.0 {
            since = Date::now();
        }
        if js_sys::Reflect::get(&chunk, &"done".into()).map_or(true, |d| d.is_truthy()) {
            break;
        }
        let value: Uint8Array = js_sys::Reflect::get(&chunk, &"value".into()).map_err(network)?.unchecked_into();
        size += u64::from(value.length());
        if size > max_bytes {
            let _ = reader.cancel();
            return Err(too_large(None));
        }
        if value.length() == 0 {
            continue;
        }
        file.chunks.push(value.clone());
        file.starts.push(size as usize);
        if let Some(f) = on_chunk.as_deref_mut() {
            buf.resize(value.length() as usize, 0);
            value.copy_to(&mut buf);
            f(&buf, &file);
        }
    }
    Ok(file)
}

/// Records read per slice of a large dataset, and shown first.
const FIRST: usize = 2_000;

/// The loading pipeline: dataset and reference data fetched in parallel, then validated, resolved, indexed.
///
/// The first [`FIRST`] records are shown (list, filters, map) as soon as they have arrived, read as a document that
/// would end after them, while the rest of the file downloads. Then the dataset is read 2,000 records at a time
/// (about 40 ms at 100,000 records), giving the browser its turn between slices: the page stays responsive and the
/// widget shows how far it is.
async fn load(inst: &Rc<Instance>) -> Result<crate::load::Explorer, LoadError> {
    let config = &inst.config;
    // A page opened from file:// is the loader's to explain (`static/essaimage.js`): it stops before the wasm.
    let dataset_url = config.dataset.clone().ok_or(LoadError::NoDataset)?;
    mark("essaimage:start");
    let departments_url = config.asset("data/france-departments.geojson");
    // Both requests are sent now, so they download in parallel while we await one after the other.
    let (dataset, departments) = (start_fetch(inst, &dataset_url), start_fetch(inst, &departments_url));
    let departments = fetch_bytes(departments, &departments_url, 50_000_000)
        .await
        .map_err(|e| base_data_error(&departments_url, e))?;
    let text = String::from_utf8_lossy(&departments);
    // Read once more for the view of the first records (25 ms natively; less wasm than cloning the outlines).
    let territories = || Territories::from_geojson(&text);
    let opts = ValidateOptions {
        url: dataset_url.clone(),
        current_year: i64::from(Date::new_0().get_full_year()),
        max_bytes: config.max_bytes,
    };
    // The view of the first records, without the data report (it is the whole file's, at the end). Places given
    // only by a commune code wait for the commune table, read once at the end.
    let show = |first: Dataset| {
        let Ok(t) = territories() else { return false };
        let explorer = build_explorer(first, Default::default(), t, Err("later"));
        inst.view.borrow_mut().phase = Phase::Ready(SharedExplorer(Rc::new(explorer)));
        true
    };
    let mut scanner = Scanner::new("innovations");
    // Once tried (shown or not), the first records are not read again before the whole file is there.
    let (mut tried, mut shown) = (false, false);
    let mut on_chunk = |chunk: &[u8], so_far: &JsBytes| {
        scanner.feed(chunk);
        // (Checked first: the layout so far is a copy, which grows with the file.)
        if tried {
            return;
        }
        let Some(layout) = scanner.partial(FIRST) else { return };
        tried = true;
        // The file so far stays in the browser's memory, read a record at a time, as the whole file is below.
        let mut first = Reading::start(so_far, Some(layout), &opts);
        first.step(FIRST);
        let first = first.partial();
        let count = first.as_ref().map_or(0, |d| d.innovations.len());
        shown = count > 0 && first.is_some_and(show);
        if shown {
            inst.view.borrow_mut().progress = Some((count, 0));
            rerender(inst);
        }
    };
    let bytes = fetch_body(dataset, &dataset_url, config.max_bytes, Some(&mut on_chunk)).await?;
    mark("essaimage:fetched");
    let territories_or_error = territories().map_err(|detail| LoadError::BaseData { url: departments_url, detail })?;
    let mut reading = Reading::start(&bytes, scanner.finish(), &opts);
    while !reading.step(FIRST) {
        if inst.destroyed.get() {
            return Err(LoadError::NoDataset);
        }
        let (read, total) = reading.progress();
        if !shown {
            shown = reading.partial().is_some_and(show);
        }
        if read <= FIRST || read % 10_000 < FIRST {
            inst.view.borrow_mut().progress = Some((read, total));
            rerender(inst);
        }
        next_task().await;
    }
    inst.view.borrow_mut().progress = None;
    let (dataset, report) = reading.into_result()?;
    drop(bytes);
    mark("essaimage:validated");
    let communes = if dataset_needs_communes(&dataset) {
        let url = config.asset("data/communes.csv");
        match fetch_bytes(start_fetch(inst, &url), &url, 50_000_000).await {
            Ok(b) => Communes::from_csv(&String::from_utf8_lossy(&b)),
            Err(e) => Err(e.message(Locale::En).1),
        }
    } else {
        Err("not needed".to_owned())
    };
    // The last steps, in browser tasks of 5,000 records: places, the word index of the search, the index's bitsets
    // and communes (and the order by name of those records); then the index's sort orders (at 100,000 records, the
    // longest task, 0.17–0.21 s in the loads measured). A destroyed widget stops between two tasks.
    let go_on = || async {
        next_task().await;
        if inst.destroyed.get() {
            Err(LoadError::NoDataset)
        } else {
            Ok(())
        }
    };
    let (mut dataset, mut report) = (dataset, report);
    for start in (0..dataset.innovations.len().max(1)).step_by(5_000) {
        let table = communes.as_ref().map_err(String::as_str);
        resolve_records(&mut dataset, start..start + 5_000, &territories_or_error, table, &mut report);
        go_on().await?;
    }
    let mut words = WordIndexBuilder::new(dataset.innovations.len());
    while words.add(&dataset.innovations, 5_000) {
        go_on().await?;
    }
    go_on().await?;
    let mut index = IndexBuilder::new(dataset, territories_or_error);
    while index.add(5_000) {
        go_on().await?;
    }
    go_on().await?;
    let explorer = Explorer { index: index.finish(words.finish()), report };
    mark("essaimage:indexed");
    log_report(config, &explorer.report);
    Ok(explorer)
}

/// Waits for the browser's next task (after it has painted and handled input if it needed to).
async fn next_task() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(tick).await;
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

fn base_data_error(url: &str, e: LoadError) -> LoadError {
    LoadError::BaseData { url: url.to_owned(), detail: e.message(Locale::En).0 }
}

/// The data report goes to the console for page authors, grouped so it does not flood it.
fn log_report(config: &Config, report: &crate::report::DataReport) {
    if report.is_clean() {
        return;
    }
    let console_locale = config.locale;
    // One console entry: the summary, then one line per problem.
    let mut text = report.summary(console_locale);
    for p in &report.problems {
        text.push_str("\n- ");
        text.push_str(&p.describe(console_locale));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Source;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn a_file_left_in_pieces_reads_any_range_as_the_whole_file() {
        let whole: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut file = JsBytes { chunks: Vec::new(), starts: vec![0] };
        for piece in [0..1, 1..8, 8..300, 300..301, 301..999, 999..1000] {
            file.starts.push(piece.end);
            file.chunks.push(Uint8Array::from(&whole[piece]));
        }
        assert_eq!(file.len(), 1000);
        let mut out = vec![42];
        for start in (0..=1000).step_by(7) {
            for end in (start..=1000).step_by(11).chain([1000]) {
                file.read(start..end, &mut out);
                assert_eq!(out, whole[start..end], "{start}..{end}");
            }
        }
        let empty = JsBytes { chunks: Vec::new(), starts: vec![0] };
        empty.read(0..0, &mut out);
        assert!(empty.is_empty() && out.is_empty());
    }
}
