//! The « Synthèse » view: the scaling picture of the current results as real tables (caption, header cells with
//! scope), bars drawn in CSS inside the cells, numbers always written. Figures from [`crate::synthesis`].
//!
//! The tables and lists are written as one HTML text each ([`Html::from_html_unchecked`], every dataset text
//! escaped by [`esc`]) rather than with `html!`: the markup is static once written (the only controls, the cell
//! buttons and the stalled innovations' links, are handled by one listener on the section through their `data-*`
//! attributes), and building Yew nodes cell by cell weighed about 15 KB of wasm (docs/SIZE.md). The one input,
//! the minimum age, stays a Yew element so that it keeps focus across renders.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{Ctx, SharedLoaded};
use crate::export::{filter_sentence, territory_name};
use crate::filter::{Facet, Filter, TerritorySel, UNSPECIFIED};
use crate::i18n::{cell_label, number, percent_text, t, Locale, Msg, Noun};
use crate::state::Action;
use crate::synthesis::{percent, Parent, RowTerritory, Synthesis};
use crate::url_state::{self, UrlState};

/// At most this many stalled innovations are listed (the count says how many there are).
const STALLED_SHOWN: usize = 100;

/// Appends `text` escaped for HTML text and double-quoted attribute values.
pub fn esc(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Appends `open`, `text` escaped, `close`.
pub fn el(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    esc(out, text);
    out.push_str(close);
}

/// A bar's colour (`data-stage`): a stage (0 … 5), or `u` (no stage, grey).
const BAR_COLOURS: [&str; 7] = ["0", "1", "2", "3", "4", "5", "u"];

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
/// ([`table_row`]), then [`TABLE_END`]. Every table of the view is written by these two, so their markup exists
/// once. `cross` (territory × stage): the cells are buttons and the caption says so.
#[inline(never)]
fn table_head(out: &mut String, locale: Locale, caption: Msg, head: &[&str], cross: bool) {
    out.push_str(if cross { "<table class=\"es-table\" data-cross>" } else { "<table class=\"es-table\">" });
    el(out, "<caption>", t(locale, caption), "");
    if cross {
        el(out, "<span class=\"es-hint es-caption-hint\">", t(locale, Msg::TerritoryStageHint), "</span>");
    }
    out.push_str("</caption><thead><tr>");
    for h in head {
        el(out, "<th scope=\"col\">", h, "</th>");
    }
    out.push_str("</tr></thead><tbody>");
}

const TABLE_END: &str = "</tbody></table>";

/// A row `r` of a synthesis table: its header cell, then its cells (`head`: the table's column headers, which
/// name a cell button).
fn table_row(out: &mut String, locale: Locale, noun: &Noun, r: usize, label: &str, cells: &[Cell], head: &[&str]) {
    el(out, &format!("<tr data-row=\"{r}\"><th scope=\"row\">"), label, "</th>");
    for (k, c) in cells.iter().enumerate() {
        let (n, of, colour, share) = match *c {
            Cell::Plain(n) => {
                el(out, "<td class=\"es-num\">", &number(locale, n), "</td>");
                continue;
            }
            Cell::Link(n, of) => {
                let heat = if n == 0 { 0 } else { (1 + percent(n, of) / 25).min(4) };
                out.push_str(&format!("<td class=\"es-num\" data-heat=\"{heat}\">"));
                if n > 0 {
                    let open = format!("<button type=\"button\" class=\"es-cell\" data-col=\"{k}\" aria-label=\"");
                    el(out, &open, &cell_label(locale, noun, label, head[k + 1], n), "\">");
                    el(out, "", &number(locale, n), "</button>");
                } else {
                    out.push('0');
                }
                out.push_str("</td>");
                continue;
            }
            Cell::Share(n, of, colour) => (n, of, colour, true),
            Cell::Bar(n, of, colour) => (n, of, colour, false),
        };
        el(out, "<td class=\"es-num\"><span class=\"es-figure\">", &number(locale, n), "");
        if share {
            el(out, "<span class=\"es-share\"> (", &percent_text(locale, percent(n, of)), ")</span>");
        }
        // The bar's width in steps of 10 % (`data-w`, 0 … 10: no inline style under a strict CSP).
        let w = if n == 0 { 0 } else { (percent(n, of) / 10).clamp(1, 10) };
        out.push_str(&format!(
            "</span><span class=\"es-bar\" aria-hidden=\"true\" data-w=\"{w}\" data-stage=\"{}\"></span></td>",
            BAR_COLOURS[colour.min(6)]
        ));
    }
    out.push_str("</tr>");
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

/// The view, for the synthesis `syn` of the results of `filter` (computed once per result set by the explorer),
/// `years` the minimum age of a stalled innovation. A plain function, not a component (docs/SIZE.md).
pub fn synthesis_view(ctx: &Ctx, explorer: &SharedLoaded, syn: &Rc<Synthesis>, filter: &Filter, years: u32) -> Html {
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
    let selection_name =
        filter.territory.as_ref().map_or_else(|| t(locale, Msg::Selection).to_owned(), |s| territory_name(index, s));
    // The stage columns shown: every stage, and « Non renseigné » if used.
    let used = if syn.funnel[stages] + syn.parent_funnel[stages] > 0 { stages + 1 } else { stages };

    let heading_id = ctx.id("synthesis-title");
    let mut top = String::new();
    el(
        &mut top,
        &format!("<h3 id=\"{heading_id}\" class=\"es-results-title\" tabindex=\"-1\">"),
        t(locale, Msg::SynthesisTitle),
        "</h3>",
    );
    el(&mut top, "<p class=\"es-sentence\">", &filter_sentence(index, filter, locale), "</p>");

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
    top.push_str(TABLE_END);

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
        for (r, row) in syn.rows.iter().enumerate() {
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
        if unplaced > 0 {
            cells.clear();
            for &n in &syn.rows_unplaced[..used] {
                cells.push(Cell::Plain(n));
            }
            cells.push(Cell::Plain(unplaced));
            table_row(&mut top, locale, noun, syn.rows.len(), t(locale, Msg::NotLocated), &cells, &head);
        }
        top.push_str(TABLE_END);
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
            top.push_str(TABLE_END);
        }
    }

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

    el(&mut top, "<h4>", t(locale, Msg::StalledTitle), "</h4>");
    let years_id = ctx.id("stalled-years");
    let mut years_label = String::new();
    el(&mut years_label, &format!("<label for=\"{years_id}\">"), t(locale, Msg::StalledYears), "</label>");

    let mut stalled = String::new();
    el(&mut stalled, "<p class=\"es-hint\">", &noun.count(locale, syn.stalled.len()), "</p>");
    if syn.stalled.is_empty() {
        el(&mut stalled, "<p>", t(locale, Msg::StalledNone), "</p>");
    } else {
        stalled.push_str("<ol class=\"es-plain es-stalled-list\">");
        for &i in syn.stalled.iter().take(STALLED_SHOWN) {
            let inno = &index.dataset.innovations[i as usize];
            let href = url_state::write(
                "",
                &ctx.ns,
                &UrlState { filter: filter.clone(), open: Some(inno.id.clone()), ..UrlState::default() },
            );
            el(&mut stalled, &format!("<li data-rec=\"{i}\"><a href=\""), &href, "\">");
            el(&mut stalled, "", &inno.name, "</a> — ");
            // Stage and start year: « Amorçage, depuis 2014 » (stalled innovations have both).
            el(&mut stalled, "", inno.stage.map_or("", |s| label(&vocabs.stages, s as usize, locale)), "");
            let since = if locale == Locale::Fr { ", depuis " } else { ", since " };
            el(&mut stalled, since, &inno.started.unwrap_or_default().to_string(), "</li>");
        }
        stalled.push_str("</ol>");
    }

    // Sites opened per year, then those without a year (« Non renseigné »).
    let undated = syn.replicas_undated;
    if syn.replicas_per_year.is_empty() && undated == 0 {
        el(&mut stalled, "<p class=\"es-hint\">", t(locale, Msg::ReplicasNone), "</p>");
    } else {
        let max = syn.replicas_per_year.iter().map(|&(_, n)| n).max().unwrap_or(0).max(undated);
        let head = [t(locale, Msg::Year), t(locale, Msg::SitesOpened)];
        table_head(&mut stalled, locale, Msg::ReplicasTitle, &head, false);
        for (r, &(y, n)) in syn.replicas_per_year.iter().enumerate() {
            table_row(&mut stalled, locale, noun, r, &y.to_string(), &[Cell::Bar(n, max, 3)], &[]);
        }
        if undated > 0 {
            let r = syn.replicas_per_year.len();
            table_row(&mut stalled, locale, noun, r, t(locale, Msg::Unspecified), &[Cell::Bar(undated, max, 6)], &[]);
        }
        stalled.push_str(TABLE_END);
    }

    html! {
        <section class="es-synthesis" aria-labelledby={heading_id} {onclick}>
            { Html::from_html_unchecked(top.into()) }
            <div class="es-field es-field-inline">
                { Html::from_html_unchecked(years_label.into()) }
                <input type="number" id={years_id} class="es-input es-input-short" min="1" max="200" inputmode="numeric"
                       value={years.to_string()} onchange={on_years} />
            </div>
            { Html::from_html_unchecked(stalled.into()) }
        </section>
    }
}
