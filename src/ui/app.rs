//! The root component: owns the state (one reducer), derives results from it, and lays out the widget.

use std::rc::Rc;

use yew::prelude::*;

use super::detail::Detail;
use super::error_box::error_box;
use super::export::export_bar;
use super::filters::Filters;
use super::header::{credits, header};
use super::map::{self, MapView};
use super::results::Results;
use super::synthesis::{synthesis_parts, synthesis_view};
use super::{ByPtr, Ctx, Phase, SharedLoaded};
use crate::config::Config;
use crate::geo::Basemap;
use crate::i18n::{loading_progress, results_status, t, Msg};
use crate::state::{Action, State, View};
use crate::synthesis::{synthesize, STALLED_YEARS};
use crate::url_state::UrlState;

/// The reducer: a one-line adapter over the plain [`State::apply`].
#[derive(Clone, PartialEq, Default)]
struct Store(State);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.apply(action);
        // An action that changes nothing (the same highlight again, a filter set to its value) renders nothing.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// A state change the URL should reflect. `push` is false for typing in the search box, so that history
/// holds one entry per search rather than one per keystroke.
#[derive(Clone, Debug, PartialEq)]
pub struct UrlChange {
    pub state: UrlState,
    pub push: bool,
}

/// What only the embed boundary can do for the view: a file to download, the clipboard, the page's address.
pub enum HostRequest {
    /// Saves `text` (UTF-8) as a file named `name`.
    Download { name: String, mime: &'static str, text: String },
    /// Copies `before` followed by the address of the page showing `state` (this instance's part of the hash, the
    /// rest kept); `done` gets `None` when copied, else the text (the browser refused).
    Copy { before: String, state: UrlState, done: Callback<Option<String>> },
    /// The commune table for « Autour de » (it comes back as [`AppProps::places`]).
    Places,
    /// The visitor's position, asked of the browser when the visitor presses « Autour de moi »: `Err(true)` refused,
    /// `Err(false)` unavailable (no geolocation, no fix, too long).
    Locate(Callback<Result<crate::model::LonLat, bool>>),
}

/// Printed results are listed up to this many (the total is said).
pub const PRINT_LIMIT: usize = 500;

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The instance: the embed boundary gives a Yew app to one instance after another (see `embed::POOL`), and
    /// a new value starts the widget again (state from `url`, every component below created anew).
    #[prop_or_default]
    pub mount: u32,
    pub config: Rc<Config>,
    pub phase: Phase,
    /// The state the URL describes, and a counter bumped by the embed boundary on back/forward.
    pub url: UrlState,
    #[prop_or_default]
    pub url_generation: u32,
    /// While a large dataset loads: records read and records in the file (`phase` then shows those read first).
    #[prop_or_default]
    pub progress: Option<(usize, usize)>,
    pub on_url: Callback<UrlChange>,
    /// Today, `YYYY-MM-DD` (file names, citations, the synthesis' current year); empty when unknown.
    #[prop_or_default]
    pub today: String,
    /// The page is being printed (or shown as printed): every result up to [`PRINT_LIMIT`] and the synthesis.
    #[prop_or_default]
    pub printing: bool,
    #[prop_or_default]
    pub on_host: Callback<HostRequest>,
    /// The data report (the `debug` option): an element the loader fills with the report the check page's module
    /// makes of the same file (`static/essaimage.js`), shown below the header; `None` without `debug`.
    #[prop_or_default]
    pub report: Option<web_sys::Element>,
    #[prop_or_default]
    pub places: super::Places,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let store = {
        let url = props.url.clone();
        use_reducer(move || Store(State::from_url(url)))
    };
    let locale = props.config.locale;
    let ctx =
        Ctx { locale, ns: props.config.ns.clone(), dispatch: store.dispatcher().into(), h: props.config.heading_level };

    // Back/forward: take the URL's state. The last URL state we know of is remembered so that our own writes are
    // not echoed back as history entries.
    let last_url = use_mut_ref(|| props.url.clone());
    let mount = use_mut_ref(|| props.mount);
    let fresh;
    let state = if *mount.borrow() == props.mount {
        &store.0
    } else {
        // A new instance: this render already shows its state; the store takes it for the next ones.
        *mount.borrow_mut() = props.mount;
        *last_url.borrow_mut() = props.url.clone();
        ctx.dispatch.emit(Action::Reset(props.url.clone()));
        fresh = State::from_url(props.url.clone());
        &fresh
    };
    {
        let dispatch = ctx.dispatch.clone();
        let last_url = last_url.clone();
        let url = props.url.clone();
        use_effect_with(props.url_generation, move |_| {
            if *last_url.borrow() != url {
                *last_url.borrow_mut() = url.clone();
                dispatch.emit(Action::Restore(url));
            }
        });
    }
    // The changes made while a select has the focus (arrow keys change it at every press) make one history entry:
    // the first pushes, the next ones replace it.
    let pushed_in_select = use_mut_ref(|| false);
    {
        let on_url = props.on_url.clone();
        let last_url = last_url.clone();
        use_effect_with((state.url_state(), state.select_focus), move |(now, in_select)| {
            if !*in_select {
                *pushed_in_select.borrow_mut() = false;
            }
            let previous = last_url.borrow().clone();
            if previous != *now {
                // Typing and moving the map replace the entry (one per search, one per map position).
                let only_text = UrlState {
                    filter: crate::filter::Filter { text: now.filter.text.clone(), ..previous.filter.clone() },
                    map: now.map,
                    ..previous.clone()
                } == *now;
                *last_url.borrow_mut() = now.clone();
                let again = *in_select && pushed_in_select.replace(true);
                on_url.emit(UrlChange { state: now.clone(), push: !only_text && !again });
            }
        });
    }

    let body = match &props.phase {
        Phase::Failed(err) => error_box(locale, err),
        Phase::Loading => html! {
            <div class="es-loading" aria-busy="true">
                <p role="status" class="es-status">{ t(locale, Msg::Loading) }</p>
                <div class="es-spinner" aria-hidden="true"></div>
            </div>
        },
        Phase::Ready(explorer) => html! {
            <Explorer ctx={ctx.clone()} explorer={explorer.clone()} state={state.clone()}
                      page_size={props.config.page_size} report={props.report.clone()} progress={props.progress}
                      today={props.today.clone()} printing={props.printing} on_host={props.on_host.clone()}
                      places={props.places.clone()} />
        },
    };
    // A section, not a div: its header and footer are the widget's, never the page's banner and contentinfo
    // landmarks (a host may put the widget outside its <main>).
    html! {
        <section class="es" key={props.mount} lang={locale.tag()} aria-busy={props.progress.map(|_| "true")} role="region" aria-label={t(locale, Msg::WidgetLabel)}>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ExplorerProps {
    ctx: Ctx,
    explorer: SharedLoaded,
    state: State,
    page_size: usize,
    report: Option<web_sys::Element>,
    progress: Option<(usize, usize)>,
    today: String,
    printing: bool,
    on_host: Callback<HostRequest>,
    places: super::Places,
}

#[function_component(Explorer)]
fn explorer_view(props: &ExplorerProps) -> Html {
    let ExplorerProps { ctx, explorer, state, page_size, report, progress, today, printing, on_host, places } = props;
    let results = {
        let explorer = explorer.clone();
        use_memo((state.filter.clone(), explorer.clone()), move |(filter, _)| {
            ByPtr(Rc::new(explorer.0.index.apply(filter)))
        })
    };
    // The base map and every record's position on it: once per dataset.
    let basemap = use_memo(explorer.clone(), |e| ByPtr(Rc::new(Basemap::new(&e.0.index.territories))));
    let positions = {
        let basemap = basemap.clone();
        use_memo(explorer.clone(), move |e| map::positions(e, &basemap))
    };
    let index = &explorer.0.index;
    let find = |id: &str| index.dataset.innovations.iter().position(|i| i.id == id);
    let open = state.open.as_deref().and_then(find);
    let highlight = state.highlight;
    // `data-only`: the switch is for wide or narrow screens only (a literal class: docs/SIZE.md, `Classes`).
    let view_button = |view: View, label: Msg, pressed: bool, only: Option<&'static str>| {
        html! {
            <button type="button" class="es-switch" data-only={only} aria-pressed={pressed.to_string()}
                    onclick={ctx.action(Action::SetView(view))}>{ t(ctx.locale, label) }</button>
        }
    };
    let synthesis = state.view == View::Synthesis;
    // The current year of the synthesis: today's, else the data's last update, else 2026.
    let current_year = today
        .get(..4)
        .or_else(|| index.dataset.meta.updated.as_deref().and_then(|d| d.get(..4)))
        .and_then(|y| y.parse::<u32>().ok())
        .map_or(2026, |y| y as i32);
    // The synthesis, shown or printed, and its written tables: once per result set, age and language, so that the
    // tables' nodes (and the focus in them) stay across the renders of anything else.
    let years = if state.stalled_years == 0 { STALLED_YEARS } else { state.stalled_years };
    let syn = {
        let (ctx, explorer, filter) = (ctx.clone(), explorer.clone(), state.filter.clone());
        let deps = (results.clone(), years, ctx.locale, synthesis || *printing);
        use_memo(deps, move |(results, years, _, shown)| {
            shown.then(|| {
                let syn = Rc::new(synthesize(&explorer.0.index, &filter, results, current_year, *years));
                let parts = synthesis_parts(&ctx, &explorer, &syn, &filter);
                (syn, parts)
            })
        })
    };

    html! {
        <>
            <a class="es-skip" href={format!("#{}.results", ctx.ns)} onclick={skip_to_results(ctx)}>{ t(ctx.locale, Msg::SkipToResults) }</a>
            { header(ctx.locale, &index.dataset.meta, ctx.h) }
            if let Some(report) = report {
                { Html::VRef(report.clone().into()) }
            }
            if let Some((read, total)) = *progress {
                <p class="es-progress">{ loading_progress(ctx.locale, &index.dataset.meta.noun, read, total) }</p>
            }
            <div class="es-body" data-filters={state.filters_open.then_some("shown")}>
                <Filters ctx={ctx.clone()} explorer={explorer.clone()} filter={state.filter.clone()}
                         counts={(*results).clone()} open={state.filters_open} on_host={on_host.clone()} places={places.clone()}
                         around={state.around.clone()} />
                <div class="es-main" data-view={match state.view { View::Map => "map", View::List => "list", View::Synthesis => "synthesis" }}
                     data-printing={printing.then_some("")}>
                    // The live region announces every count change, even while a detail is open, once the typing
                    // pauses (empty meanwhile: a removal is not announced); the visible count is the results heading.
                    <p role="status" class="es-status es-visually-hidden" aria-atomic="true">
                        { if state.typing { String::new() } else { results_status(ctx.locale, &index.dataset.meta.noun, results.ids.len(), index.len()) } }
                    </p>
                    // Wide screens show the list and the map side by side: « Liste et carte » | « Synthèse »; narrow
                    // ones switch between the three.
                    <div class="es-switches" role="group" aria-label={t(ctx.locale, Msg::Display)}>
                        { view_button(View::List, Msg::ViewListMap, !synthesis, Some("wide")) }
                        { view_button(View::List, Msg::ViewList, state.view == View::List, Some("narrow")) }
                        { view_button(View::Map, Msg::ViewMap, state.view == View::Map, Some("narrow")) }
                        { view_button(View::Synthesis, Msg::ViewSynthesis, synthesis, None) }
                    </div>
                    { export_bar(ctx, explorer, &results, &state.filter, state.url_state(), today, on_host, &state.copied) }
                    if let Some((syn, parts)) = &*syn {
                        <div class="es-synthesis-pane">{ synthesis_view(ctx, explorer, syn, parts, years) }</div>
                    }
                    // Behind the synthesis the list and the map are not rendered at all: each filter change would
                    // otherwise lay out a hidden list and map too (docs/PERFORMANCE.md, `synthesis_p95_100k`).
                    // Printed, the list is every result up to PRINT_LIMIT on one page (the same items); past it, the
                    // pager says « Page 1 sur N » (print hides only its buttons).
                    if !synthesis || *printing {
                        <div class="es-list-pane">
                            if let Some(i) = open {
                                <Detail ctx={ctx.clone()} explorer={explorer.clone()} record={i} />
                            }
                            <Results ctx={ctx.clone()} explorer={explorer.clone()} results={(*results).clone()}
                                     filter={state.filter.clone()} page={if *printing { 0 } else { state.page }}
                                     page_size={if *printing { PRINT_LIMIT } else { *page_size }}
                                     hidden={open.is_some()} return_focus={state.return_focus.clone()}
                                     {highlight} />
                        </div>
                        <div class="es-map-pane">
                            <MapView ctx={ctx.clone()} explorer={explorer.clone()} basemap={(*basemap).clone()}
                                     positions={(*positions).clone()} results={(*results).clone()}
                                     territory={state.filter.territory.clone()} {open} {highlight} pos={state.map}
                                     shown={state.view == View::Map} />
                        </div>
                    }
                </div>
            </div>
            { credits(ctx.locale, &index.dataset.meta, ctx.h) }
        </>
    }
}

/// The skip link: shows the list (narrow screens) and focuses the results heading, without touching the page's
/// address (its `href` is for a page without script).
fn skip_to_results(ctx: &Ctx) -> Callback<MouseEvent> {
    let d = ctx.dispatch.clone();
    Callback::from(move |e: MouseEvent| {
        e.prevent_default();
        d.emit(Action::SetView(View::List));
        super::focus_results(e.target());
    })
}
