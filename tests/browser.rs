//! Browser tests of the Yew components (wasm-bindgen-test in headless Chromium: `make test-browser`).
//!
//! Each test mounts the root component into a fresh element with a real dataset, acts through DOM events as a
//! visitor would, waits for Yew to render (`yew::scheduler::flush`, no sleeps) and asserts on the DOM.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use essaimage::config::{Config, RawOptions};
use essaimage::filter::Facet;
use essaimage::load::build_loaded;
use essaimage::report::LoadError;
use essaimage::schema::{validate, ValidateOptions};
use essaimage::ui::{App, AppProps, Phase, SharedLoaded, UrlChange};
use essaimage::url_state::UrlState;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::{AppHandle, Callback};

wasm_bindgen_test_configure!(run_in_browser);

const DEMO: &str = include_str!("../static/innovations-demo.json");
const DEPARTMENTS: &[u8] = include_bytes!("../static/data/france-departments.bin");

fn explorer(json: &str) -> SharedLoaded {
    let opts = ValidateOptions { url: "test.json".into(), current_year: 2026, max_bytes: 50_000_000 };
    let (dataset, report) = validate(json.as_bytes(), &opts).expect("valid dataset");
    let territories = essaimage::outlines::read(DEPARTMENTS).expect("departments");
    SharedLoaded::new(build_loaded(dataset, report, territories, Err("not needed")))
}

fn config(lang: &str) -> Rc<Config> {
    let raw = RawOptions { dataset: Some("test.json".into()), lang: Some(lang.into()), ..RawOptions::default() };
    Rc::new(Config::resolve(raw, "t").0)
}

/// A mounted app, the URL changes it asked for, and its root element.
struct Mounted {
    root: Element,
    app: AppHandle<App>,
    urls: Rc<RefCell<Vec<UrlChange>>>,
    config: Rc<Config>,
}

impl Mounted {
    async fn new(phase: Phase, url: UrlState, lang: &str) -> Mounted {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let urls = Rc::new(RefCell::new(Vec::new()));
        let sink = urls.clone();
        let config = config(lang);
        let props = AppProps {
            mount: 0,
            config: config.clone(),
            phase,
            url,
            url_generation: 0,
            progress: None,
            on_url: Callback::from(move |c: UrlChange| sink.borrow_mut().push(c)),
            today: String::new(),
            printing: false,
            on_host: Callback::noop(),
            report: None,
            places: Default::default(),
        };
        let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
        yew::scheduler::flush().await;
        Mounted { root, app, urls, config }
    }

    async fn demo() -> Mounted {
        Mounted::new(Phase::Ready(explorer(DEMO)), UrlState::default(), "fr").await
    }

    /// New props for the app: the demo, ready, with this URL state.
    fn demo_props(&self, mount: u32, url: UrlState, url_generation: u32, on_url: Callback<UrlChange>) -> AppProps {
        let phase = Phase::Ready(explorer(DEMO));
        AppProps {
            mount,
            config: self.config.clone(),
            phase,
            url,
            url_generation,
            progress: None,
            on_url,
            today: String::new(),
            printing: false,
            on_host: Callback::noop(),
            report: None,
            places: Default::default(),
        }
    }

    fn find(&self, selector: &str) -> Element {
        self.root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length()).map(|i| list.item(i).unwrap().dyn_into::<Element>().unwrap()).collect()
    }

    fn status(&self) -> String {
        self.find(".es-status[role=status]").text_content().unwrap_or_default()
    }

    async fn click(&self, selector: &str) {
        self.find(selector).dyn_into::<HtmlElement>().unwrap().click();
        yew::scheduler::flush().await;
    }

    /// Dispatches a bubbling event, as the browser does after a visitor's input, and waits for the render.
    async fn fire(&self, target: &Element, event: web_sys::Event) {
        target.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    fn bubbling() -> web_sys::EventInit {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        init
    }

    /// Types `text` at once, then waits for the pause after which the search's count is announced (600 ms).
    async fn type_text(&self, selector: &str, text: &str) {
        let input: HtmlInputElement = self.find(selector).dyn_into().unwrap();
        input.set_value(text);
        let event = web_sys::InputEvent::new_with_event_init_dict("input", &Self::bubbling().unchecked_into()).unwrap();
        self.fire(&input, event.into()).await;
        let pause = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 700).unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(pause).await.unwrap();
        yew::scheduler::flush().await;
    }

    /// Focuses a control, as a visitor's pointer or keyboard does before choosing in it: a closed territory select
    /// lists only its chosen option, and all of them once in use.
    async fn focus(&self, selector: &str) {
        let el: HtmlElement = self.find(selector).dyn_into().unwrap();
        el.focus().unwrap();
        yew::scheduler::flush().await;
    }

    async fn select(&self, selector: &str, value: &str) {
        self.focus(selector).await;
        let select: HtmlSelectElement = self.find(selector).dyn_into().unwrap();
        select.set_value(value);
        self.fire(&select, web_sys::Event::new_with_event_init_dict("change", &Self::bubbling()).unwrap()).await;
    }

    fn active_id(&self) -> String {
        web_sys::window().unwrap().document().unwrap().active_element().map(|e| e.id()).unwrap_or_default()
    }

    fn last_url(&self) -> UrlChange {
        self.urls.borrow().last().cloned().expect("a URL change was emitted")
    }

    fn remove(self) {
        self.app.destroy();
        self.root.remove();
    }
}

/// The count shown in a label such as « Habitat et logement (7) ».
fn count_in(text: &str) -> usize {
    let inner = text.rsplit_once('(').and_then(|(_, r)| r.split_once(')')).map(|(n, _)| n).unwrap_or("");
    inner.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[wasm_bindgen_test]
async fn loaded_widget_shows_title_count_and_labelled_controls() {
    let m = Mounted::demo().await;
    assert_eq!(m.status(), "65 innovations");
    assert!(m.find("h2").text_content().unwrap().contains("Innovations sociales françaises"));
    assert!(m.find(".es-updated").text_content().unwrap().contains("6 décembre 2026"));
    let legends: Vec<String> = m.all("legend").iter().map(|l| l.text_content().unwrap()).collect();
    for expected in [
        "Territoire",
        "Thématique",
        "Stade de changement d'échelle",
        "Stratégie de changement d'échelle",
        "Rôle de l'acteur public",
    ] {
        assert!(legends.iter().any(|l| l == expected), "missing legend {expected}: {legends:?}");
    }
    // Every form control has a label pointing at it.
    for control in m.all("input, select") {
        let id = control.id();
        assert!(m.root.query_selector(&format!("label[for='{id}']")).unwrap().is_some(), "{id} has no label");
    }
    assert_eq!(m.all(".es-list > li").len(), 20, "first page of 20");
    assert!(m.find(".es-credits").text_content().unwrap().contains("ADMIN EXPRESS"));
    m.remove();
}

#[wasm_bindgen_test]
async fn checking_a_theme_filters_and_shows_a_removable_chip() {
    let m = Mounted::demo().await;
    let label = m.find("label[for='es-t-themes-habitat']").text_content().unwrap();
    let expected = count_in(&label);
    m.click("#es-t-themes-habitat").await;
    assert_eq!(m.status(), format!("{expected} innovations sur 65"));
    let chip = m.find(".es-chip");
    assert_eq!(chip.get_attribute("aria-label").unwrap(), "Retirer le filtre Thématique : Habitat et logement");
    let change = m.last_url();
    assert!(change.push);
    assert_eq!(change.state.filter.facet(Facet::Themes), ["habitat"]);

    m.click(".es-chip").await;
    assert_eq!(m.status(), "65 innovations");
    assert!(m.root.query_selector(".es-chip").unwrap().is_none());
    m.remove();
}

#[wasm_bindgen_test]
async fn facet_counts_are_what_choosing_the_value_would_give() {
    let m = Mounted::demo().await;
    m.select("#es-t-region", "53").await;
    let bretagne = m.status();
    for label in m.all("fieldset:has(input[id^='es-t-themes-']) label") {
        let id = label.get_attribute("for").unwrap();
        let promised = count_in(&label.text_content().unwrap());
        m.click(&format!("#{id}")).await;
        let shown = m.status().split(' ').next().unwrap().parse::<usize>().unwrap();
        assert_eq!(shown, promised, "{id}");
        m.click(&format!("#{id}")).await;
        assert_eq!(m.status(), bretagne);
    }
    m.remove();
}

#[wasm_bindgen_test]
async fn search_is_accent_insensitive_and_replaces_the_history_entry() {
    let m = Mounted::demo().await;
    m.type_text("#es-t-search", "economie").await;
    let n = m.status().split(' ').next().unwrap().parse::<usize>().unwrap();
    assert!((1..65).contains(&n), "{}", m.status());
    let change = m.last_url();
    assert!(!change.push, "typing must not create one history entry per keystroke");
    assert_eq!(change.state.filter.text, "economie");

    m.type_text("#es-t-search", "zzzz-nothing").await;
    assert_eq!(m.status(), "0 innovation sur 65");
    assert!(m.find(".es-empty").text_content().unwrap().contains("Aucun résultat ne correspond à ces critères."));
    m.click(".es-chips > button").await;
    assert_eq!(m.status(), "65 innovations");
    m.remove();
}

#[wasm_bindgen_test]
async fn territory_selects_cascade_from_region_to_commune() {
    let m = Mounted::demo().await;
    m.select("#es-t-region", "53").await;
    assert_eq!(m.all("#es-t-department option").len(), 1, "closed, the department select lists only « all »");
    m.focus("#es-t-department").await;
    let departments: Vec<String> =
        m.all("#es-t-department option").iter().skip(1).map(|o| o.get_attribute("value").unwrap()).collect();
    assert_eq!(departments, ["22", "29", "35", "56"]);
    m.select("#es-t-department", "35").await;
    m.focus("#es-t-commune").await;
    let communes = m.all("#es-t-commune option");
    assert!(communes.len() >= 2, "Ille-et-Vilaine has communes in the demo");
    let key = communes[1].get_attribute("value").unwrap();
    let promised = count_in(&communes[1].text_content().unwrap());
    m.select("#es-t-commune", &key).await;
    assert!(m.status().starts_with(&promised.to_string()));
    m.select("#es-t-department", "").await;
    assert_eq!(m.find("#es-t-region").dyn_into::<HtmlSelectElement>().unwrap().value(), "53");
    m.remove();
}

#[wasm_bindgen_test]
async fn detail_opens_with_focus_and_back_returns_focus_to_the_item() {
    let m = Mounted::demo().await;
    let first = m.find(".es-list a");
    let item_id = first.closest("h4").unwrap().unwrap().id();
    m.click(".es-list a").await;
    assert_eq!(m.active_id(), "es-t-detail-title");
    assert!(m.find(".es-results").has_attribute("hidden"));
    assert!(m.last_url().state.open.is_some());
    m.click(".es-back").await;
    assert!(m.root.query_selector(".es-detail").unwrap().is_none());
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.closest("h4").unwrap().unwrap().id(), item_id, "focus is back on the same item");
    m.remove();
}

#[wasm_bindgen_test]
async fn detail_shows_every_field_with_safe_links() {
    let url = UrlState { open: Some("tzcld-pipriac-saint-ganton".into()), ..UrlState::default() };
    let m = Mounted::new(Phase::Ready(explorer(DEMO)), url, "fr").await;
    let text = m.find(".es-detail").text_content().unwrap();
    for expected in [
        "Pipriac (35)",
        "Généralisation",
        "Emploi et insertion",
        "Essaimage en réseau",
        "Financement",
        "2014",
        "Groupement",
    ] {
        assert!(text.contains(expected), "detail lacks {expected}");
    }
    let links = m.all(".es-detail .es-sources a");
    let demo = explorer(DEMO);
    let record = demo.0.index.dataset.innovations.iter().find(|i| i.id == "tzcld-pipriac-saint-ganton").unwrap();
    assert_eq!(links.len(), record.sources.len());
    assert!(links.iter().all(|a| a.get_attribute("href").unwrap().starts_with("http")));
    m.remove();
}

#[wasm_bindgen_test]
async fn restoring_from_the_url_applies_its_filters() {
    let mut m = Mounted::demo().await;
    let mut url = UrlState::default();
    url.filter.facet_mut(Facet::Stages).push("generalisation".into());
    m.app.update(m.demo_props(0, url, 1, Callback::noop()));
    yew::scheduler::flush().await;
    assert!(m.status().ends_with("sur 65"));
    assert!(m.find("#es-t-stages-generalisation").dyn_into::<HtmlInputElement>().unwrap().checked());
    m.remove();
}

#[wasm_bindgen_test]
async fn an_app_given_to_a_new_instance_starts_again_from_that_instance_url() {
    // The embed boundary never destroys a Yew app (Yew 0.23 leaks its listeners); it gives it to the next widget
    // with a new `mount`. That widget must start from its own URL, with nothing of the previous one: no filter,
    // no open detail, and no URL written on its behalf.
    let mut m = Mounted::demo().await;
    m.find("#es-t-stages-generalisation").dyn_into::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert!(m.status().ends_with("sur 65"), "the filter applies: {}", m.status());
    let mut url = UrlState::default();
    url.filter.facet_mut(Facet::Themes).push("alimentation".into());
    let written = Rc::new(RefCell::new(Vec::new()));
    let sink = written.clone();
    m.app.update(m.demo_props(1, url, 0, Callback::from(move |c: UrlChange| sink.borrow_mut().push(c))));
    yew::scheduler::flush().await;
    let stage = m.find("#es-t-stages-generalisation").dyn_into::<HtmlInputElement>().unwrap();
    assert!(!stage.checked(), "the previous instance's filter is gone");
    assert!(m.find("#es-t-themes-alimentation").dyn_into::<HtmlInputElement>().unwrap().checked());
    assert!(written.borrow().is_empty(), "no URL written for the new instance");
    m.remove();
}

#[wasm_bindgen_test]
async fn english_labels_with_lang_en() {
    let m = Mounted::new(Phase::Ready(explorer(DEMO)), UrlState::default(), "en").await;
    assert_eq!(m.status(), "65 innovations");
    let legends: Vec<String> = m.all("legend").iter().map(|l| l.text_content().unwrap()).collect();
    assert!(legends.contains(&"Theme".to_owned()) && legends.contains(&"Scaling stage".to_owned()));
    assert_eq!(m.find(".es").get_attribute("lang").unwrap(), "en");
    m.remove();
}

#[wasm_bindgen_test]
async fn failures_show_an_alert_box_saying_what_to_fix() {
    let err = LoadError::Http { url: "https://example.org/missing.json".into(), status: 404 };
    let m = Mounted::new(Phase::Failed(err), UrlState::default(), "fr").await;
    let alert = m.find("[role=alert]").text_content().unwrap();
    assert!(
        alert.contains("404") && alert.contains("https://example.org/missing.json") && alert.contains("data-dataset")
    );
    m.remove();
}

#[wasm_bindgen_test]
async fn dataset_text_is_never_markup_and_unsafe_links_are_dropped() {
    let json = r#"{"innovations": [{
        "id": "x", "name": "<img src=x onerror=\"window.pwned=1\">Nom",
        "summary": "<script>window.pwned=1</script><b>gras</b>",
        "url": "javascript:window.pwned=1",
        "sources": ["https://ok.example/", "JaVaScRiPt:alert(1)", "data:text/html,hi"]
    }]}"#;
    let url = UrlState { open: Some("x".into()), ..UrlState::default() };
    let m = Mounted::new(Phase::Ready(explorer(json)), url, "fr").await;
    assert!(m.root.query_selector("img, script, b").unwrap().is_none(), "no element made from data");
    assert!(m.find(".es-detail-title").text_content().unwrap().starts_with("<img"));
    let hrefs: Vec<String> = m.all("a").iter().filter_map(|a| a.get_attribute("href")).collect();
    assert!(hrefs.iter().all(|h| h.starts_with('#') || h.starts_with("http")), "{hrefs:?}");
    assert!(hrefs.contains(&"https://ok.example/".to_owned()));
    assert!(js_sys::Reflect::get(&web_sys::window().unwrap(), &"pwned".into()).unwrap().is_undefined());
    m.remove();
}

#[wasm_bindgen_test]
async fn pages_hold_at_most_page_size_items_and_moving_focuses_the_heading() {
    let m = Mounted::demo().await;
    assert!(m.find(".es-page").text_content().unwrap().contains("Page 1 sur 4"));
    m.click(".es-pager button:last-child").await;
    assert!(m.find(".es-page").text_content().unwrap().contains("Page 2 sur 4"));
    assert_eq!(m.find(".es-list").get_attribute("start").unwrap(), "21");
    assert_eq!(m.active_id(), "es-t-results-title");
    m.remove();
}

/// The data report (`debug`) is the loader's element, filled by the check page's module (e2e `check.test.mjs`):
/// the widget shows the element it is given below its header, and keeps the same node across renders.
#[wasm_bindgen_test]
async fn the_report_element_given_is_shown_below_the_header() {
    let document = web_sys::window().unwrap().document().unwrap();
    let report = document.create_element("details").unwrap();
    report.set_class_name("es-report");
    report.set_text_content(Some("rapport"));
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let props = AppProps {
        mount: 0,
        config: config("fr"),
        phase: Phase::Ready(explorer(DEMO)),
        url: UrlState::default(),
        url_generation: 0,
        progress: None,
        on_url: Callback::noop(),
        today: String::new(),
        printing: false,
        on_host: Callback::noop(),
        report: Some(report.clone()),
        places: Default::default(),
    };
    let mut app = yew::Renderer::<App>::with_root_and_props(root.clone(), props.clone()).render();
    yew::scheduler::flush().await;
    let shown = root.query_selector(".es-report").unwrap().expect("report shown");
    assert!(shown.is_same_node(Some(&report)));
    let header = root.query_selector(".es-header").unwrap().expect("header");
    assert!(header.next_element_sibling().unwrap().is_same_node(Some(&report)), "right below the header");
    app.update(AppProps { progress: Some((1, 2)), ..props.clone() });
    yew::scheduler::flush().await;
    assert!(root.query_selector(".es-report").unwrap().unwrap().is_same_node(Some(&report)), "the same node");
    app.update(AppProps { report: None, ..props });
    yew::scheduler::flush().await;
    assert!(root.query_selector(".es-report").unwrap().is_none(), "none without debug");
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn removing_a_chip_moves_focus_to_the_next_chip_then_to_the_heading() {
    let m = Mounted::demo().await;
    m.select("#es-t-region", "53").await;
    m.click("#es-t-themes-emploi-insertion").await;
    assert_eq!(m.all(".es-chip").len(), 2);
    m.click(".es-chip").await;
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.class_name(), "es-chip", "focus on the chip that took the removed one's place");
    m.click(".es-chip").await;
    assert_eq!(m.active_id(), "es-t-results-title", "no chip left: focus on the heading");
    m.remove();
}

#[wasm_bindgen_test]
async fn a_filter_change_leaves_focus_on_its_control_even_when_the_page_resets() {
    let m = Mounted::demo().await;
    m.click(".es-pager button:last-child").await;
    let checkbox: HtmlElement = m.find("#es-t-stages-essaimage").dyn_into().unwrap();
    checkbox.focus().unwrap();
    checkbox.click();
    yew::scheduler::flush().await;
    assert!(m.all(".es-page").iter().all(|p| p.text_content().unwrap().contains("Page 1")));
    assert_eq!(m.active_id(), "es-t-stages-essaimage");
    m.remove();
}

#[wasm_bindgen_test]
async fn closing_a_detail_opened_from_a_link_turns_to_its_page_and_focuses_it() {
    // The last record by name is on the last page; a shared link opens it directly.
    let url = UrlState { open: Some("voisin-age".into()), ..UrlState::default() };
    let m = Mounted::new(Phase::Ready(explorer(DEMO)), url, "fr").await;
    assert!(m.find(".es-detail-title").text_content().unwrap().contains("Voisin"));
    m.click(".es-back").await;
    yew::scheduler::flush().await;
    assert!(m.find(".es-page").text_content().unwrap().contains("Page 4 sur 4"));
    let active = web_sys::window().unwrap().document().unwrap().active_element().unwrap();
    assert_eq!(active.closest("h4").unwrap().unwrap().id(), "es-t-item-voisin-age");
    m.remove();
}
