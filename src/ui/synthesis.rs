//! The « Synthèse » view: the scaling picture of the current results as real tables (caption, header cells with
//! scope), bars drawn in CSS inside the cells, numbers always written. Figures from [`crate::synthesis`].
//!
//! The tables and lists are written as DOM nodes by [`Dom`] rather than with `html!`: the markup is static once
//! written (the only controls, the cell buttons and the stalled innovations' links, are handled by one listener on
//! the section through their `data-*` attributes), and building Yew nodes cell by cell weighed about 15 KB of wasm
//! (docs/SIZE.md). The one input, the minimum age, stays a Yew element.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::dom::Dom;
use super::{Ctx, SharedLoaded};
use crate::export::{filter_sentence, territory_name};
use crate::filter::{Facet, Filter, TerritorySel, UNSPECIFIED};
use crate::i18n::{cell_label, number, percent_text, t, Locale, Msg, Noun};
use crate::state::Action;
use crate::synthesis::{percent, Parent, RowTerritory, Synthesis};
use crate::url_state::{self, UrlState};

/// At most this many stalled innovations are listed (the count says how many there are).
const STALLED_SHOWN: usize = 100;
/// Territory rows shown in « Stades par territoire » before the others are summed in one row.
const TERRITORY_ROWS: usize = 30;

/// A bar's colour (`data-stage`): a stage (0 … 5), or `u` (no stage, grey).
const BAR_COLOURS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "u"];

/// The digits of a small number, for attribute values (no `format!`).
const DIGITS: [&str; 11] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

/// One cell of a synthesis table, after its row's header cell.
enum Cell {
    /// A number.
    Plain(usize),
    /// A number, its share of a whole and a bar of that share (colour: [`BAR_COLOURS`]).
    Share(usize, usize, usize),
    /// A number and a bar of its part of the largest (no share written).
    Bar(usize, usize, usize),
    /// Territory × stage: a button listing these results (its column is the stage), shaded by its part of the row.
    Link(usize, usize),
}

/// Opens a synthesis table: its caption and column headers (the first heads the row headers); rows follow
/// ([`table_row`]), then `close()` twice (body and table). Every table of the view is written by these two, so
/// their markup exists once. `cross` (territory × stage): the cells are buttons and the caption says so.
#[inline(never)]
fn table_head(out: &mut Dom, locale: Locale, caption: Msg, head: &[&str], cross: bool) {
    // Focusable: on a narrow widget a table wider than it scrolls in its own box, which the keyboard must reach
    // (WCAG 2.1.1); its caption names it.
    out.open("table").attr("class", "es-table").attr("tabindex", "0");
    if cross {
        out.attr("data-cross", "");
    }
    out.open("caption").text(t(locale, caption));
    if cross {
        out.open("span").attr("class", "es-hint es-caption-hint").text(t(locale, Msg::TerritoryStageHint)).close();
    }
    out.close().open("thead").open("tr");
    for h in head {
        out.open("th").attr("scope", "col").text(h).close();
    }
    out.close().close().open("tbody");
}

/// A row `r` of a synthesis table: its header cell, then its cells (`head`: the table's column headers, which
/// name a cell button).
fn table_row(out: &mut Dom, locale: Locale, noun: &Noun, r: usize, label: &str, cells: &[Cell], head: &[&str]) {
    out.open("tr").attr("data-row", &r.to_string()).open("th").attr("scope", "row").text(label).close();
    for (k, c) in cells.iter().enumerate() {
        out.open("td").attr("class", "es-num");
        let (n, of, colour, share) = match *c {
            Cell::Plain(n) => {
                out.text(&number(locale, n)).close();
                continue;
            }
            Cell::Link(n, of) => {
                let heat = if n == 0 { 0 } else { (1 + percent(n, of) / 25).min(4) };
                out.attr("data-heat", DIGITS[heat]);
                if n > 0 {
                    out.open("button").attr("type", "button").attr("class", "es-cell").attr("data-col", &k.to_string());
                    out.attr("aria-label", &cell_label(locale, noun, label, head[k + 1], n));
                    out.text(&number(locale, n)).close();
                } else {
                    out.text("0");
                }
                out.close();
                continue;
            }
            Cell::Share(n, of, colour) => (n, of, colour, true),
            Cell::Bar(n, of, colour) => (n, of, colour, false),
        };
        out.open("span").attr("class", "es-figure").text(&number(locale, n));
        if share {
            out.open("span").attr("class", "es-share").text(" (").text(&percent_text(locale, percent(n, of)));
            out.text(")").close();
        }
        // The bar's width in steps of 10 % (`data-w`, 0 … 10: no inline style under a strict CSP).
        let w = if n == 0 { 0 } else { (percent(n, of) / 10).clamp(1, 10) };
        out.close().open("span").attr("class", "es-bar").attr("aria-hidden", "true").attr("data-w", DIGITS[w]);
        out.attr("data-stage", BAR_COLOURS[colour.min(6)]).close().close();
    }
    out.close();
}

/// « Définitions »: a disclosure listing what the values of `vocab` mean (nothing when none has a definition).
#[inline(never)]
fn definitions(out: &mut Dom, vocab: &crate::model::Vocabulary, locale: Locale) {
    let mut open = false;
    for e in &vocab.entries {
        if e.definition.is_empty() {
            continue;
        }
        if !open {
            out.open("details").attr("class", "es-defs").leaf("summary", t(locale, Msg::Definitions)).open("dl");
            open = true;
        }
        out.leaf("dt", e.label.get(locale)).leaf("dd", e.definition.get(locale));
    }
    if open {
        out.close().close();
    }
}

/// A vocabulary value's label, or « Non renseigné » past the last value.
#[inline(never)]
fn label(vocab: &crate::model::Vocabulary, v: usize, locale: Locale) -> &str {
    if v < vocab.len() {
        vocab.label(v as u16, locale)
    } else {
        t(locale, Msg::Unspecified)
    }
}

/// The written parts of the view for the synthesis `syn` of the results of `filter`: the tables above the minimum
/// age field, and the stalled innovations and the replicas per year below it. Made once per result set, age and
/// language (the explorer memoises them, so their nodes and the focus in them survive renders).
pub fn synthesis_parts(ctx: &Ctx, explorer: &SharedLoaded, syn: &Synthesis, filter: &Filter) -> (Html, Html) {
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let vocabs = &index.dataset.vocabularies;
    let stages = vocabs.stages.len();
    let colour = |s: usize| if s < stages { s.min(5) } else { 6 };
    let terr = &index.territories;
    let noun = &index.dataset.meta.noun;
    let parent_name = match &syn.parent {
        Parent::Dataset => t(locale, Msg::ParentDataset).to_owned(),
        Parent::Country => t(locale, Msg::ParentCountry).to_owned(),
        Parent::Region(r) => terr.regions[*r].name.clone(),
        Parent::Department(d) => terr.departments[*d].name.clone(),
    };
    let selection_name = filter
        .territory
        .as_ref()
        .map_or_else(|| t(locale, Msg::Selection).to_owned(), |s| territory_name(index, s, locale));
    // The stage columns shown: every stage, and « Non renseigné » if used.
    let used = if syn.funnel[stages] + syn.parent_funnel[stages] > 0 { stages + 1 } else { stages };

    let mut top = Dom::new("div", "es-synthesis-part");
    top.open(ctx.h(1)).attr("id", &ctx.id("synthesis-title")).attr("class", "es-results-title").attr("tabindex", "-1");
    top.text(t(locale, Msg::SynthesisTitle)).close();
    top.open("p").attr("class", "es-sentence").text(&filter_sentence(index, filter, locale)).close();

    // The funnel, against the parent.
    let (selection_head, parent_head) = (
        format!("{selection_name} ({})", number(locale, syn.total)),
        format!("{parent_name} ({})", number(locale, syn.parent_total)),
    );
    table_head(&mut top, locale, Msg::FunnelTitle, &[t(locale, Msg::Stage), &selection_head, &parent_head], false);
    for s in 0..used {
        let cells = [
            Cell::Share(syn.funnel[s], syn.total, colour(s)),
            Cell::Share(syn.parent_funnel[s], syn.parent_total, colour(s)),
        ];
        table_row(&mut top, locale, noun, s, label(&vocabs.stages, s, locale), &cells, &[]);
    }
    top.close().close();
    definitions(&mut top, &vocabs.stages, locale);

    // Territory × stage: the cells share the section's listener, the row and stage are in data attributes.
    let unplaced: usize = syn.rows_unplaced.iter().sum();
    if !syn.rows.is_empty() || unplaced > 0 {
        let mut head = Vec::with_capacity(used + 2);
        head.push(t(locale, Msg::Territory));
        for s in 0..used {
            head.push(label(&vocabs.stages, s, locale));
        }
        head.push(t(locale, Msg::Total));
        table_head(&mut top, locale, Msg::TerritoryStageTitle, &head, true);
        let mut cells = Vec::with_capacity(used + 1);
        // A department's communes can be hundreds: the largest TERRITORY_ROWS by total, then one row that sums the
        // others (regions and a region's departments are always fewer).
        let mut order: Vec<u32> = (0..syn.rows.len() as u32).collect();
        let shown = order.len().min(TERRITORY_ROWS);
        if shown < order.len() {
            crate::filter::sort_indices(&mut order, &|a, b| {
                syn.rows[b as usize].total.cmp(&syn.rows[a as usize].total)
            });
        }
        for &r in &order[..shown] {
            let (r, row) = (r as usize, &syn.rows[r as usize]);
            let name = match row.territory {
                RowTerritory::Region(i) => terr.regions[i].name.clone(),
                RowTerritory::Department(i) => format!("{} – {}", terr.departments[i].code, terr.departments[i].name),
                RowTerritory::Commune(i) => index.communes[i].name.clone(),
            };
            cells.clear();
            for &n in &row.cells[..used] {
                cells.push(Cell::Link(n, row.total));
            }
            cells.push(Cell::Plain(row.total));
            table_row(&mut top, locale, noun, r, &name, &cells, &head);
        }
        // The communes past the largest ones, summed; then the results without a place. Plain figures: no single
        // territory to list.
        let mut rest = vec![0; used];
        let mut rest_total = 0;
        for &r in &order[shown..] {
            let row = &syn.rows[r as usize];
            for (s, n) in rest.iter_mut().enumerate() {
                *n += row.cells[s];
            }
            rest_total += row.total;
        }
        let rest_label = crate::i18n::other_communes(locale, order.len() - shown);
        for (label, values, total) in [
            (&rest_label[..], &rest[..], rest_total),
            (t(locale, Msg::NotLocated), &syn.rows_unplaced[..used], unplaced),
        ] {
            if total > 0 {
                cells.clear();
                for &n in values {
                    cells.push(Cell::Plain(n));
                }
                cells.push(Cell::Plain(total));
                table_row(&mut top, locale, noun, syn.rows.len(), label, &cells, &head);
            }
        }
        top.close().close();
    }

    // Strategies and public roles against scaling (a table only for values some result has).
    let splits = [
        (Facet::Strategies, &syn.strategies, Msg::StrategiesTitle, Msg::Strategy),
        (Facet::Support, &syn.roles, Msg::RolesTitle, Msg::PublicRole),
    ];
    for (facet, splits, title, first) in splits {
        let vocab = vocabs.get(facet.vocab());
        let mut r = 0;
        for (i, s) in splits.iter().enumerate() {
            if s.scaled + s.not_scaled + s.unknown == 0 {
                continue;
            }
            if r == 0 {
                let head =
                    [t(locale, first), t(locale, Msg::Scaled), t(locale, Msg::NotScaled), t(locale, Msg::ScaledShare)];
                table_head(&mut top, locale, title, &head, false);
            }
            let cells =
                [Cell::Plain(s.scaled), Cell::Plain(s.not_scaled), Cell::Share(s.scaled, s.scaled + s.not_scaled, 4)];
            table_row(&mut top, locale, noun, r, label(vocab, i, locale), &cells, &[]);
            r += 1;
        }
        if r > 0 {
            top.close().close();
            definitions(&mut top, vocab, locale);
        }
    }
    top.leaf(ctx.h(2), t(locale, Msg::StalledTitle));

    let mut bottom = Dom::new("div", "es-synthesis-part");
    bottom.open("p").attr("class", "es-hint").text(&noun.count(locale, syn.stalled.len())).close();
    if syn.stalled.is_empty() {
        bottom.leaf("p", t(locale, Msg::StalledNone));
    } else {
        bottom.open("ol").attr("class", "es-plain es-stalled-list");
        for &i in syn.stalled.iter().take(STALLED_SHOWN) {
            let inno = &index.dataset.innovations[i as usize];
            let href = url_state::write(
                "",
                &ctx.ns,
                &UrlState { filter: filter.clone(), open: Some(inno.id.clone()), ..UrlState::default() },
            );
            bottom.open("li").attr("data-rec", &i.to_string());
            bottom.open("a").attr("href", &href).text(&inno.name).close().text(" — ");
            // Stage and start year: « Amorçage, depuis 2014 » (stalled innovations have both).
            bottom.text(inno.stage.map_or("", |s| label(&vocabs.stages, s as usize, locale)));
            bottom.text(if locale == Locale::Fr { ", depuis " } else { ", since " });
            bottom.text(&inno.started.unwrap_or_default().to_string()).close();
        }
        bottom.close();
    }

    // Sites opened per year, then those without a year (« Non renseigné »).
    let undated = syn.replicas_undated;
    if syn.replicas_per_year.is_empty() && undated == 0 {
        bottom.open("p").attr("class", "es-hint").text(t(locale, Msg::ReplicasNone)).close();
    } else {
        let max = syn.replicas_per_year.iter().map(|&(_, n)| n).max().unwrap_or(0).max(undated);
        let head = [t(locale, Msg::Year), t(locale, Msg::SitesOpened)];
        table_head(&mut bottom, locale, Msg::ReplicasTitle, &head, false);
        for (r, &(y, n)) in syn.replicas_per_year.iter().enumerate() {
            table_row(&mut bottom, locale, noun, r, &y.to_string(), &[Cell::Bar(n, max, 3)], &[]);
        }
        if undated > 0 {
            let r = syn.replicas_per_year.len();
            table_row(&mut bottom, locale, noun, r, t(locale, Msg::Unspecified), &[Cell::Bar(undated, max, 6)], &[]);
        }
    }
    (top.html(), bottom.html())
}

/// The view around its written `parts` ([`synthesis_parts`]) for the synthesis `syn`, `years` the minimum age of a
/// stalled innovation. A plain function, not a component (docs/SIZE.md).
pub fn synthesis_view(
    ctx: &Ctx,
    explorer: &SharedLoaded,
    syn: &Rc<Synthesis>,
    parts: &(Html, Html),
    years: u32,
) -> Html {
    let on_years = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(y) = v.trim().parse::<u32>() {
                d.emit(Action::SetStalledYears(y.clamp(1, url_state::MAX_STALLED_YEARS)));
            }
        })
    };
    // One listener for the written markup: a territory × stage cell lists its results, a stalled innovation's
    // link opens it (modified clicks keep the browser's behaviour).
    let onclick = {
        let d = ctx.dispatch.clone();
        let (explorer, syn) = (explorer.clone(), syn.clone());
        Callback::from(move |e: MouseEvent| {
            let index = &explorer.0.index;
            if let Some(i) = super::index_at(e.target(), "[data-rec]") {
                if !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.button() != 0) {
                    e.prevent_default();
                    d.emit(Action::Open(index.dataset.innovations[i].id.clone()));
                }
                return;
            }
            let (Some(s), Some(row)) = (
                super::index_at(e.target(), "[data-col]"),
                super::index_at(e.target(), "[data-row]").and_then(|r| syn.rows.get(r)),
            ) else {
                return;
            };
            let terr = &index.territories;
            let sel = match row.territory {
                RowTerritory::Region(i) => TerritorySel::Region(terr.regions[i].code.clone()),
                RowTerritory::Department(i) => TerritorySel::Department(terr.departments[i].code.clone()),
                RowTerritory::Commune(i) => TerritorySel::Commune(index.communes[i].key.clone()),
            };
            let stages = &index.dataset.vocabularies.stages;
            let stage = if s < stages.len() { stages.id(s as u16) } else { UNSPECIFIED };
            d.emit(Action::ShowCell(sel, stage.to_owned()));
        })
    };
    let years_id = ctx.id("stalled-years");
    html! {
        <section class="es-synthesis" aria-labelledby={ctx.id("synthesis-title")} {onclick}>
            { parts.0.clone() }
            <div class="es-field es-field-inline">
                <label for={years_id.clone()}>{ t(ctx.locale, Msg::StalledYears) }</label>
                <input type="number" id={years_id} class="es-input es-input-short" min="1" max="200" inputmode="numeric"
                       value={years.to_string()} onchange={on_years} />
            </div>
            { parts.1.clone() }
        </section>
    }
}
