//! The result list: sort, active-filter chips, one page of results, pagination and the empty state.
//!
//! Paged rather than virtualised: a page never holds more than `page_size` items whatever the result count, and
//! paging keeps the list a plain, screen-reader-friendly `<ol>`.

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement};
use yew::prelude::*;

use super::filters::facet_label;
use super::{ByPtr, Ctx, SharedLoaded};
use crate::filter::{Facet, Filter, Filtered, SortKey, TerritorySel};
use crate::i18n::{page_of, remove_filter, results_status, t, Locale, Msg};
use crate::model::{Innovation, Place};
use crate::state::Action;
use crate::url_state::{self, UrlState};

#[derive(Properties, PartialEq)]
pub struct ResultsProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub results: ByPtr<Filtered>,
    pub filter: Filter,
    pub page: usize,
    pub page_size: usize,
    /// Hidden (not unmounted) while a detail is open, so focus can come back to the item.
    pub hidden: bool,
    pub return_focus: Option<String>,
    /// The innovation pointed at on the map.
    pub highlight: Option<usize>,
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let ResultsProps { ctx, explorer, results, filter, page, page_size, hidden, return_focus, highlight } = props;
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let total = results.ids.len();
    let pages = total.div_ceil(*page_size).max(1);
    let page = (*page).min(pages - 1);
    let start = page * page_size;
    let shown = &results.ids[start.min(total)..(start + page_size).min(total)];
    // The heading the pager sends focus to says which page it is (« 65 innovations — Page 2 sur 4 »).
    let mut title = results_status(locale, &index.dataset.meta.noun, total, index.len());
    if pages > 1 {
        title.push_str(" — ");
        title.push_str(&page_of(locale, page + 1, pages));
    }

    // Focus management, in one place after each render, so that keyboard and screen-reader users never fall
    // back to the top of the page:
    // - after removing a chip: the chip now at its place, or the heading when none is left;
    // - after « Tout effacer »: the heading, which reads the new count;
    // - coming back from a detail: that item's link, turning to its page first when needed;
    // - after moving to another page with the pager: the heading, so the new items come next (a page change caused
    //   by a filter leaves focus on that filter's control).
    let section = use_node_ref();
    let heading = use_node_ref();
    let pending = use_mut_ref(|| None::<FocusAfter>);
    {
        let (section, heading, pending) = (section.clone(), heading.clone(), pending.clone());
        let dispatch = ctx.dispatch.clone();
        let return_to = return_focus.as_ref().map(|id| {
            let position = results.ids.iter().position(|&i| index.dataset.innovations[i as usize].id == *id);
            (ctx.id(&format!("item-{id}")), position.map(|p| p / page_size))
        });
        let hidden = *hidden;
        use_effect(move || {
            let focus = |el: Option<web_sys::Element>| {
                if let Some(el) = el.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    let _ = el.focus();
                }
            };
            let root = section.cast::<web_sys::Element>();
            if let Some(target) = pending.borrow_mut().take() {
                let chips = root.as_ref().and_then(|r| r.query_selector_all(".es-chip").ok());
                let chip = match (target, chips) {
                    (FocusAfter::Chip(i), Some(list)) if list.length() > 0 => {
                        list.item((i as u32).min(list.length() - 1))
                    }
                    _ => None,
                };
                match chip {
                    Some(node) => focus(node.dyn_into().ok()),
                    None => focus(heading.cast()),
                }
            } else if let (Some((item_id, target_page)), false) = (return_to, hidden) {
                match target_page {
                    Some(p) if p != page => dispatch.emit(Action::SetPage(p)),
                    Some(_) => {
                        focus(root.and_then(|r| r.query_selector(&format!("#{item_id} a")).ok().flatten()));
                        dispatch.emit(Action::FocusReturned);
                    }
                    None => {
                        focus(heading.cast());
                        dispatch.emit(Action::FocusReturned);
                    }
                }
            }
        });
    }
    let on_clear = {
        let (d, pending) = (ctx.dispatch.clone(), pending.clone());
        Callback::from(move |_: MouseEvent| {
            *pending.borrow_mut() = Some(FocusAfter::Heading);
            d.emit(Action::ClearFilters);
        })
    };
    let to_page = |target: usize| {
        let (d, pending) = (ctx.dispatch.clone(), pending.clone());
        Callback::from(move |_: MouseEvent| {
            *pending.borrow_mut() = Some(FocusAfter::Heading);
            d.emit(Action::SetPage(target));
        })
    };
    let on_chip = {
        let (d, pending) = (ctx.dispatch.clone(), pending.clone());
        Callback::from(move |(position, action): (usize, Action)| {
            *pending.borrow_mut() = Some(FocusAfter::Chip(position));
            d.emit(action);
        })
    };

    let on_sort = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.emit(Action::SetSort(SortKey::from_id(&v).unwrap_or_default()));
        })
    };
    let sort_id = ctx.id("sort");
    let around = match &filter.territory {
        Some(TerritorySel::Around(a)) => Some(a),
        _ => None,
    };
    // Pointing at an item or focusing it highlights its marker on the map.
    let (over, out, focus_in, focus_out) = super::highlighter(&ctx.dispatch, "[data-i]");
    // The distance order is offered with a radius filter only.
    let mut sorts = Vec::with_capacity(SortKey::ALL.len());
    for k in SortKey::ALL {
        if k != SortKey::Distance || around.is_some() {
            let label = t(
                locale,
                match k {
                    SortKey::Name => Msg::SortName,
                    SortKey::Stage => Msg::SortStage,
                    SortKey::Started => Msg::SortStarted,
                    SortKey::Distance => Msg::SortDistance,
                },
            );
            sorts.push(html! { <option value={k.id()} selected={filter.sort == k}>{ label }</option> });
        }
    }
    // Not keyed: a new page of results reuses the items' nodes and only rewrites their text (a keyed list would
    // build every item's nodes anew at every filter change; docs/PERFORMANCE.md).
    let mut items = Vec::with_capacity(shown.len());
    for &i in shown {
        items.push(html! {
            <ResultItem ctx={ctx.clone()} explorer={explorer.clone()} record={i as usize}
                        filter={filter.clone()} highlighted={*highlight == Some(i as usize)} />
        });
    }

    html! {
        // Named once for all (« Innovations »): named by the count, it would be announced anew at every filter.
        <section class="es-results" aria-label={index.dataset.meta.noun.plural_title(locale)} hidden={*hidden} ref={section}>
            <div class="es-results-head">
                { super::heading(ctx.h + 1, "es-results-title", Some(ctx.id("results-title")), Some(&heading), title.into()) }
                <div class="es-sort">
                    <label for={sort_id.clone()}>{ t(locale, Msg::Sort) }</label>
                    <select id={sort_id} class="es-select" onchange={on_sort}>
                        { for sorts }
                    </select>
                </div>
            </div>
            { chips(ctx, explorer, filter, &on_chip, &on_clear) }
            if total == 0 {
                <div class="es-empty">
                    <p class="es-empty-title">{ t(locale, Msg::NoResultTitle) }</p>
                    // The way out is the chips' « Tout effacer » above (one button of that name on the page).
                    <p>{ t(locale, Msg::NoResultHint) }</p>
                </div>
            } else {
                <ol class="es-list" start={(start + 1).to_string()}
                    onmouseover={over} onmouseout={out} onfocusin={focus_in} onfocusout={focus_out}>
                    { for items }
                </ol>
                { pager(locale, page, pages, &to_page) }
            }
        </section>
    }
}

/// « Précédent », « Page 2 sur 7 », « Suivant » when there is more than one page; `to_page` gives the callback
/// moving to a page.
fn pager(locale: Locale, page: usize, pages: usize, to_page: &dyn Fn(usize) -> Callback<MouseEvent>) -> Html {
    if pages <= 1 {
        return html! {};
    }
    html! {
        <nav class="es-pager" aria-label={match locale { Locale::Fr => "Pagination", Locale::En => "Pagination" }}>
            <button type="button" class="es-button" disabled={page == 0}
                    onclick={to_page(page.saturating_sub(1))}>{ t(locale, Msg::Previous) }</button>
            <span class="es-page">{ page_of(locale, page + 1, pages) }</span>
            <button type="button" class="es-button" disabled={page + 1 >= pages}
                    onclick={to_page(page + 1)}>{ t(locale, Msg::Next) }</button>
        </nav>
    }
}

/// Where focus goes after an action that removes the focused control.
#[derive(Clone, Copy, Debug, PartialEq)]
enum FocusAfter {
    /// The chip now at this position, or the heading when there is none.
    Chip(usize),
    Heading,
}

/// Active filters as removable chips, and « Tout effacer ». `on_remove` gets a chip's position and the action
/// removing its filter. A plain function: its callbacks are new at each render of the list, so a component would be
/// rendered again with it anyway.
fn chips(
    ctx: &Ctx,
    explorer: &SharedLoaded,
    filter: &Filter,
    on_remove: &Callback<(usize, Action)>,
    on_clear: &Callback<MouseEvent>,
) -> Html {
    if filter.is_empty() {
        return html! {};
    }
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let mut chips: Vec<(String, String, Action)> = Vec::new();
    if let Some(sel) = &filter.territory {
        let name = crate::export::territory_name(index, sel, locale);
        chips.push((t(locale, Msg::Territory).to_owned(), name, Action::SetTerritory(None)));
        for &p in &filter.presence {
            let label = t(locale, crate::export::presence_msg(p)).to_owned();
            chips.push((t(locale, Msg::Presence).to_owned(), label, Action::TogglePresence(p)));
        }
    }
    for f in Facet::ALL {
        for id in filter.facet(f) {
            let label = crate::export::value_label(index, f, id, locale);
            chips.push((facet_label(locale, f).to_owned(), label, Action::Toggle(f, id.clone())));
        }
    }
    if !filter.text.trim().is_empty() {
        chips.push((
            t(locale, Msg::Search).to_owned(),
            format!("« {} »", filter.text.trim()),
            Action::SetText(String::new()),
        ));
    }
    let label_id = ctx.id("chips-label");
    let mut items = Vec::with_capacity(chips.len());
    for (position, (facet, value, action)) in chips.into_iter().enumerate() {
        items.push(html! {
            <li key={format!("{facet}:{value}")}>
                <button type="button" class="es-chip" aria-label={remove_filter(locale, &facet, &value)}
                        onclick={on_remove.reform(move |_| (position, action.clone()))}>
                    <span class="es-chip-text">{ value }</span>
                    <span class="es-chip-x" aria-hidden="true">{ "×" }</span>
                </button>
            </li>
        });
    }
    html! {
        <div class="es-chips">
            <p class="es-chips-label" id={label_id.clone()}>{ t(locale, Msg::ActiveFilters) }</p>
            <ul aria-labelledby={label_id}>
                { for items }
            </ul>
            <button type="button" class="es-button es-button-secondary" onclick={on_clear.clone()}>{ t(locale, Msg::ClearAll) }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    ctx: Ctx,
    explorer: SharedLoaded,
    record: usize,
    filter: Filter,
    /// Pointed at on the map.
    highlighted: bool,
}

/// A place as « Commune (35) », or its department or region name, or « Non localisée ».
pub fn place_text(explorer: &SharedLoaded, p: &Place, locale: Locale) -> String {
    let terr = &explorer.0.index.territories;
    let dep = p.department.as_deref().and_then(|c| terr.department_index(c)).map(|d| &terr.departments[d]);
    let reg = p.region.as_deref().and_then(|c| terr.region_index(c)).map(|r| &terr.regions[r]);
    match (&p.commune, dep, reg) {
        (Some(c), Some(d), _) => format!("{c} ({})", d.code),
        (Some(c), None, _) => c.clone(),
        (None, Some(d), _) => d.name.clone(),
        (None, None, Some(r)) => r.name.clone(),
        (None, None, None) => t(locale, Msg::NotLocated).to_owned(),
    }
}

/// [`place_text`] for display: the commune name (dataset text) is isolated in a `<bdi>`, so that a right-to-left
/// name or a stray bidi control in it cannot reorder the « (35) » the widget writes after it.
/// Ends with a space, as the parts of a result's meta line do.
pub fn place_html(explorer: &SharedLoaded, p: &Place, locale: Locale) -> Html {
    let terr = &explorer.0.index.territories;
    match (&p.commune, p.department.as_deref().and_then(|c| terr.department_index(c))) {
        (Some(c), dep) => html! {
            <><bdi>{ c.clone() }</bdi>{ dep.map_or_else(|| " ".to_owned(), |d| format!(" ({}) ", terr.departments[d].code)) }</>
        },
        (None, _) => html! { place_text(explorer, p, locale) + " " },
    }
}

/// A marker's accessible name: « Café Joyeux — Rennes (35) ».
pub fn marker_label(explorer: &SharedLoaded, inno: &Innovation, locale: Locale) -> String {
    format!("{} — {}", inno.name, place_text(explorer, &inno.origin, locale))
}

/// With a territory chosen, where the innovation stands there: « Née ici », « Née à Lyon (69) · présente ici depuis
/// 2019 », « Pas encore ici ».
fn presence_mark(explorer: &SharedLoaded, filter: &Filter, record: usize, locale: Locale) -> Option<String> {
    use crate::filter::Presence;
    let index = &explorer.0.index;
    let (p, since) = index.presence_of(record, filter.territory.as_ref()?)?;
    Some(match p {
        Presence::Born => t(locale, Msg::BornHere).to_owned(),
        Presence::Absent => t(locale, Msg::NotHereYet).to_owned(),
        Presence::Replica => {
            let origin = &index.dataset.innovations[record].origin;
            let born = if origin.is_blank() { String::new() } else { place_text(explorer, origin, locale) };
            crate::i18n::presence_mark(locale, &born, since)
        }
    })
}

/// Summaries are cut in the list (the detail shows them whole).
fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', '.', ' ']))
}

#[function_component(ResultItem)]
fn result_item(props: &ItemProps) -> Html {
    let ItemProps { ctx, explorer, record, filter, highlighted } = props;
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let inno = &index.dataset.innovations[*record];
    let vocabs = &index.dataset.vocabularies;
    let href = url_state::write(
        "",
        &ctx.ns,
        &UrlState { filter: filter.clone(), open: Some(inno.id.clone()), ..UrlState::default() },
    );
    let onclick = {
        let d = ctx.dispatch.clone();
        let id = inno.id.clone();
        Callback::from(move |e: MouseEvent| {
            // Plain clicks open in place; modified clicks (new tab, window) keep the browser's behaviour.
            if !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0) {
                e.prevent_default();
                d.emit(Action::Open(id.clone()));
            }
        })
    };
    let title_id = ctx.id(&format!("item-{}", inno.id));
    // The dataset's texts in its language, where it is not the interface's (RGAA 8.7).
    let lang = index.dataset.meta.text_lang(locale);
    let mut tags = Vec::new();
    for &th in &inno.themes {
        tags.push(html! { <li class="es-tag">{ vocabs.themes.label(th, locale).to_owned() }</li> });
    }
    html! {
        <li class="es-item" data-hl={highlighted.then_some("")} data-i={record.to_string()}>
            <article aria-labelledby={title_id.clone()}>
                { super::heading(ctx.h + 2, "es-item-title", Some(title_id), None, html! { <a href={href} {onclick} {lang}>{ inno.name.clone() }</a> }) }
                // Each part but the last ends with a space: without the stylesheet (RGAA 10.3), and for assistive
                // technologies, they do not run together; the flex layout drops it.
                <p class="es-item-meta">
                    if let Some(s) = inno.stage {
                        <span class="es-stage" data-stage={s.min(5).to_string()}>{ [vocabs.stages.label(s, locale), " "].concat() }</span>
                    }
                    <span class="es-item-place">{ place_html(explorer, &inno.origin, locale) }</span>
                    if let Some(y) = inno.started {
                        <span class="es-item-year">{ format!("{} {y} ", t(locale, Msg::Started)) }</span>
                    }
                    if let Some(TerritorySel::Around(a)) = &filter.territory {
                        if let Some(km) = index.distance_km(*record, a) {
                            <span class="es-item-distance">{ crate::i18n::distance(locale, km) + " " }</span>
                        }
                    }
                    if let Some(mark) = presence_mark(explorer, filter, *record, locale) {
                        <span class="es-presence-mark">{ mark }</span>
                    }
                </p>
                if let Some(summary) = &inno.summary {
                    <p class="es-item-summary" {lang}>{ excerpt(summary, 240) }</p>
                }
                if !inno.themes.is_empty() {
                    <ul class="es-tags" aria-label={t(locale, Msg::Theme)}>
                        { for tags }
                    </ul>
                }
            </article>
        </li>
    }
}
