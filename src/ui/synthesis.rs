//! The « Synthèse » view: the scaling picture of the current results as real tables (caption, header cells with
//! scope), bars drawn in CSS inside the cells, numbers always written. Figures from [`crate::synthesis`].

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{ByPtr, Ctx, SharedLoaded};
use crate::export::{filter_sentence, territory_name};
use crate::filter::{Facet, Filter, Filtered, TerritorySel, UNSPECIFIED};
use crate::i18n::{cell_label, number, percent_text, replicas_undated, since_year, t, Locale, Msg};
use crate::state::Action;
use crate::synthesis::{percent, synthesize, Parent, RowTerritory, Split, Synthesis, STALLED_YEARS};
use crate::url_state::{self, UrlState};

/// At most this many stalled innovations are listed (the count says how many there are).
const STALLED_SHOWN: usize = 100;

#[derive(Properties, PartialEq)]
pub struct SynthesisProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub results: ByPtr<Filtered>,
    pub filter: Filter,
    /// 0: the default.
    pub stalled_years: u32,
    pub current_year: i32,
}

/// A bar: its width in steps of 5 % (`data-w`, 0 … 20: no inline style under a strict CSP), its colour by stage
/// (`None`: no stage, grey).
fn bar(part: usize, whole: usize, stage: Option<usize>) -> Html {
    let w = if part == 0 { 0 } else { (percent(part, whole) / 5).clamp(1, 20) };
    html! { <span class="es-bar" aria-hidden="true" data-w={w.to_string()} data-stage={stage.map_or("u".to_owned(), |s| s.min(5).to_string())}></span> }
}

fn count_cell(locale: Locale, part: usize, whole: usize, stage: Option<usize>) -> Html {
    html! {
        <td class="es-num">
            <span class="es-figure">{ number(locale, part) }<span class="es-share">{ format!(" ({})", percent_text(locale, percent(part, whole))) }</span></span>
            { bar(part, whole, stage) }
        </td>
    }
}

#[function_component(SynthesisView)]
pub fn synthesis_view(props: &SynthesisProps) -> Html {
    let SynthesisProps { ctx, explorer, results, filter, stalled_years, current_year } = props;
    let years = if *stalled_years == 0 { STALLED_YEARS } else { *stalled_years };
    let syn: Rc<Synthesis> = {
        let explorer = explorer.clone();
        use_memo((filter.clone(), results.clone(), years, *current_year), move |(filter, results, years, year)| {
            synthesize(&explorer.0.index, filter, results, *year, *years)
        })
    };
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let vocabs = &index.dataset.vocabularies;
    let stages = vocabs.stages.len();
    let stage_name = |s: usize| -> String {
        if s < stages {
            vocabs.stages.label(s as u16, locale).to_owned()
        } else {
            t(locale, Msg::Unspecified).to_owned()
        }
    };
    let heading_id = ctx.id("synthesis-title");
    let terr = &index.territories;
    let parent_name = match &syn.parent {
        Parent::Dataset => t(locale, Msg::ParentDataset).to_owned(),
        Parent::Country => t(locale, Msg::ParentCountry).to_owned(),
        Parent::Region(r) => terr.regions[*r].name.clone(),
        Parent::Department(d) => terr.departments[*d].name.clone(),
    };
    let selection_name =
        filter.territory.as_ref().map_or_else(|| t(locale, Msg::Selection).to_owned(), |s| territory_name(index, s));
    // The stage columns shown: those with a record in the results or the parent, and « Non renseigné » if used.
    let used: Vec<usize> = (0..=stages).filter(|&s| syn.funnel[s] + syn.parent_funnel[s] > 0 || s < stages).collect();

    // Territory × stage cells share one handler: the row and stage are in the button's data attributes.
    let rows = syn.rows.clone();
    let on_cell = {
        let d = ctx.dispatch.clone();
        let (index, stage_ids) = (
            explorer.clone(),
            (0..=stages)
                .map(|s| if s < stages { vocabs.stages.id(s as u16).to_owned() } else { UNSPECIFIED.to_owned() })
                .collect::<Vec<_>>(),
        );
        Callback::from(move |e: MouseEvent| {
            let (Some(r), Some(s)) =
                (super::index_at(e.target(), "[data-row]"), super::index_at(e.target(), "[data-col]"))
            else {
                return;
            };
            let index = &index.0.index;
            let sel = match rows[r].territory {
                RowTerritory::Region(i) => TerritorySel::Region(index.territories.regions[i].code.clone()),
                RowTerritory::Department(i) => TerritorySel::Department(index.territories.departments[i].code.clone()),
                RowTerritory::Commune(i) => TerritorySel::Commune(index.communes[i].key.clone()),
            };
            d.emit(Action::ShowCell(sel, stage_ids[s].clone()));
        })
    };
    let row_name = |r: RowTerritory| match r {
        RowTerritory::Region(i) => terr.regions[i].name.clone(),
        RowTerritory::Department(i) => format!("{} – {}", terr.departments[i].code, terr.departments[i].name),
        RowTerritory::Commune(i) => index.communes[i].name.clone(),
    };
    let noun = &index.dataset.meta.noun;

    let split_table = |title: Msg, facet: Facet, splits: &[Split]| -> Html {
        let vocab = vocabs.get(facet.vocab());
        let rows: Vec<(String, Split)> = splits
            .iter()
            .enumerate()
            .filter(|(_, s)| s.scaled + s.not_scaled + s.unknown > 0)
            .map(|(i, s)| {
                (
                    if i < vocab.len() {
                        vocab.label(i as u16, locale).to_owned()
                    } else {
                        t(locale, Msg::Unspecified).to_owned()
                    },
                    *s,
                )
            })
            .collect();
        if rows.is_empty() {
            return html! {};
        }
        html! {
            <table class="es-table">
                <caption>{ t(locale, title) }</caption>
                <thead><tr>
                    <th scope="col">{ t(locale, match facet { Facet::Strategies => Msg::Strategy, _ => Msg::PublicRole }) }</th>
                    <th scope="col">{ t(locale, Msg::Scaled) }</th>
                    <th scope="col">{ t(locale, Msg::NotScaled) }</th>
                    <th scope="col">{ t(locale, Msg::ScaledShare) }</th>
                </tr></thead>
                <tbody>
                    { for rows.into_iter().map(|(label, s)| html! {
                        <tr>
                            <th scope="row">{ label }</th>
                            <td class="es-num">{ number(locale, s.scaled) }</td>
                            <td class="es-num">{ number(locale, s.not_scaled) }</td>
                            { count_cell(locale, s.scaled, s.scaled + s.not_scaled, Some(4)) }
                        </tr>
                    }) }
                </tbody>
            </table>
        }
    };

    let on_years = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(y) = v.trim().parse::<u32>() {
                d.emit(Action::SetStalledYears(y.clamp(1, url_state::MAX_STALLED_YEARS)));
            }
        })
    };
    let on_open = {
        let d = ctx.dispatch.clone();
        let explorer = explorer.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(i) = super::index_at(e.target(), "[data-rec]") {
                if !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0) {
                    e.prevent_default();
                    d.emit(Action::Open(explorer.0.index.dataset.innovations[i].id.clone()));
                }
            }
        })
    };
    let years_id = ctx.id("stalled-years");
    let max_year = syn.replicas_per_year.iter().map(|&(_, n)| n).max().unwrap_or(0);

    html! {
        <section class="es-synthesis" aria-labelledby={heading_id.clone()}>
            <h3 id={heading_id} class="es-results-title" tabindex="-1">{ t(locale, Msg::SynthesisTitle) }</h3>
            <p class="es-sentence">{ filter_sentence(index, filter, locale) }</p>

            <table class="es-table">
                <caption>{ t(locale, Msg::FunnelTitle) }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ t(locale, Msg::Stage) }</th>
                        <th scope="col">{ format!("{selection_name} ({})", number(locale, syn.total)) }</th>
                        <th scope="col">{ format!("{parent_name} ({})", number(locale, syn.parent_total)) }</th>
                    </tr>
                </thead>
                <tbody>
                    { for used.iter().map(|&s| html! {
                        <tr data-stage-row={s.to_string()}>
                            <th scope="row">{ stage_name(s) }</th>
                            { count_cell(locale, syn.funnel[s], syn.total, Some(s).filter(|&s| s < stages)) }
                            { count_cell(locale, syn.parent_funnel[s], syn.parent_total, Some(s).filter(|&s| s < stages)) }
                        </tr>
                    }) }
                </tbody>
            </table>

            if !syn.rows.is_empty() {
                <table class="es-table es-cross" onclick={on_cell}>
                    <caption>{ t(locale, Msg::TerritoryStageTitle) }<span class="es-hint es-caption-hint">{ t(locale, Msg::TerritoryStageHint) }</span></caption>
                    <thead><tr>
                        <th scope="col">{ t(locale, Msg::Territory) }</th>
                        { for used.iter().map(|&s| html! { <th scope="col">{ stage_name(s) }</th> }) }
                        <th scope="col">{ t(locale, Msg::Total) }</th>
                    </tr></thead>
                    <tbody>
                        { for syn.rows.iter().enumerate().map(|(r, row)| {
                            let name = row_name(row.territory);
                            html! {
                                <tr data-row={r.to_string()}>
                                    <th scope="row">{ name.clone() }</th>
                                    { for used.iter().map(|&s| {
                                        let n = row.cells[s];
                                        html! {
                                            <td class="es-num" data-heat={(if n == 0 { 0 } else { 1 + percent(n, row.total) / 25 }).min(4).to_string()}>
                                                if n > 0 {
                                                    <button type="button" class="es-cell" data-col={s.to_string()}
                                                            aria-label={cell_label(locale, noun, &name, &stage_name(s), n)}>{ number(locale, n) }</button>
                                                } else {
                                                    { "0" }
                                                }
                                            </td>
                                        }
                                    }) }
                                    <td class="es-num">{ number(locale, row.total) }</td>
                                </tr>
                            }
                        }) }
                        if syn.rows_unplaced.iter().sum::<usize>() > 0 {
                            <tr>
                                <th scope="row">{ t(locale, Msg::NotLocated) }</th>
                                { for used.iter().map(|&s| html! { <td class="es-num">{ number(locale, syn.rows_unplaced[s]) }</td> }) }
                                <td class="es-num">{ number(locale, syn.rows_unplaced.iter().sum::<usize>()) }</td>
                            </tr>
                        }
                    </tbody>
                </table>
            }

            { split_table(Msg::StrategiesTitle, Facet::Strategies, &syn.strategies) }
            { split_table(Msg::RolesTitle, Facet::Support, &syn.roles) }

            <section class="es-stalled" aria-labelledby={ctx.id("stalled-title")}>
                <h4 id={ctx.id("stalled-title")}>{ t(locale, Msg::StalledTitle) }</h4>
                <div class="es-field es-field-inline">
                    <label for={years_id.clone()}>{ t(locale, Msg::StalledYears) }</label>
                    <input type="number" id={years_id} class="es-input es-input-short" min="1" max="200" inputmode="numeric"
                           value={years.to_string()} onchange={on_years} />
                </div>
                <p class="es-hint">{ noun.count(locale, syn.stalled.len()) }</p>
                if syn.stalled.is_empty() {
                    <p>{ t(locale, Msg::StalledNone) }</p>
                } else {
                    <ol class="es-plain es-stalled-list" onclick={on_open}>
                        { for syn.stalled.iter().take(STALLED_SHOWN).map(|&i| {
                            let inno = &index.dataset.innovations[i as usize];
                            let href = url_state::write("", &ctx.ns, &UrlState { filter: filter.clone(), open: Some(inno.id.clone()), ..UrlState::default() });
                            html! {
                                <li data-rec={i.to_string()}>
                                    <a href={href}>{ inno.name.clone() }</a>
                                    { format!(" — {}, {}", inno.stage.map(|s| stage_name(s as usize)).unwrap_or_default(), inno.started.map(|y| since_year(locale, y)).unwrap_or_default()) }
                                </li>
                            }
                        }) }
                    </ol>
                }
            </section>

            if syn.replicas_per_year.is_empty() {
                <p class="es-hint">{ t(locale, Msg::ReplicasNone) }</p>
            } else {
                <table class="es-table es-years">
                    <caption>{ t(locale, Msg::ReplicasTitle) }</caption>
                    <thead><tr>
                        <th scope="col">{ t(locale, Msg::Year) }</th>
                        <th scope="col">{ t(locale, Msg::SitesOpened) }</th>
                    </tr></thead>
                    <tbody>
                        { for syn.replicas_per_year.iter().map(|&(y, n)| html! {
                            <tr>
                                <th scope="row">{ y.to_string() }</th>
                                <td class="es-num"><span class="es-figure">{ number(locale, n) }</span>{ bar(n, max_year, Some(3)) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if syn.replicas_undated > 0 {
                <p class="es-hint">{ replicas_undated(locale, syn.replicas_undated) }</p>
            }
        </section>
    }
}
