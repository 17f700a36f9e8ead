//! The filter panel: search, territory (region → department → commune), the four vocabulary facets, each value
//! with the count it would give.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{ByPtr, Ctx, HostRequest, Places, SharedLoaded};
use crate::filter::{Around, Facet, Filter, Filtered, Index, Presence, TerritorySel, UNSPECIFIED};
use crate::i18n::{more_values, number, t, Locale, Msg};
use crate::model::LonLat;
use crate::state::Action;

/// Visible label of a facet.
pub fn facet_label(locale: Locale, f: Facet) -> &'static str {
    t(
        locale,
        match f {
            Facet::Themes => Msg::Theme,
            Facet::Stages => Msg::Stage,
            Facet::Strategies => Msg::Strategy,
            Facet::Support => Msg::PublicRole,
        },
    )
}

/// The region, department and commune indices a territory selection implies.
pub fn territory_path(index: &Index, sel: Option<&TerritorySel>) -> (Option<usize>, Option<usize>, Option<usize>) {
    let t = &index.territories;
    match sel {
        None => (None, None, None),
        Some(TerritorySel::Region(code)) => (t.region_index(code), None, None),
        Some(TerritorySel::Department(code)) => {
            let d = t.department_index(code);
            (d.map(|d| t.departments[d].region), d, None)
        }
        Some(TerritorySel::Commune(key)) => {
            let c = index.commune_index(key);
            let d = c.map(|c| index.communes[c].department);
            (d.map(|d| t.departments[d].region), d, c)
        }
        Some(TerritorySel::Around(_)) => (None, None, None),
    }
}

/// The region select and the map's keyboard order follow the official lists' order (one copy of it: the
/// synthesis' territory rows use it too).
pub use crate::synthesis::regions_in_order;

#[derive(Properties, PartialEq)]
pub struct FiltersProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub filter: Filter,
    pub counts: ByPtr<Filtered>,
    /// Unfolded on narrow screens.
    pub open: bool,
    pub on_host: Callback<HostRequest>,
    pub places: Places,
    /// The « Autour de » field ([`crate::state::State::around`]).
    pub around: (Option<String>, u16, Option<Msg>),
}

#[function_component(Filters)]
pub fn filters(props: &FiltersProps) -> Html {
    let FiltersProps { ctx, explorer, filter, counts, open, on_host, places, around } = props;
    let locale = ctx.locale;
    let panel_id = ctx.id("filters");
    let active = filter.values.iter().map(Vec::len).sum::<usize>()
        + usize::from(filter.territory.is_some())
        + usize::from(!filter.text.trim().is_empty());
    let toggle_text = format!(
        "{}{}",
        t(locale, if *open { Msg::HideFilters } else { Msg::ShowFilters }),
        if active > 0 { format!(" ({active})") } else { String::new() }
    );
    let on_search = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            d.emit(Action::Type(text.clone(), true));
            // The count is announced 600 ms after the last keystroke (a pause with an older text changes nothing).
            let d = d.clone();
            gloo::timers::callback::Timeout::new(600, move || d.emit(Action::Type(text, false))).forget();
        })
    };
    let search_id = ctx.id("search");
    let hint_id = ctx.id("search-hint");
    // Lists are built by loops into a `Vec<Html>` rather than `{ for iter.map(…) }`: each iterator chain compiles
    // its own copies of the iterator code (docs/SIZE.md).
    let mut facets = Vec::with_capacity(Facet::ALL.len());
    for f in Facet::ALL {
        facets.push(html! {
            <FacetFilter ctx={ctx.clone()} explorer={explorer.clone()} facet={f}
                         selected={filter.facet(f).to_vec()} counts={counts.counts.facet(f).to_vec()} />
        });
    }
    html! {
        <aside class="es-filters" aria-label={t(locale, Msg::Filters)}>
            <button type="button" class="es-filters-toggle" aria-expanded={open.to_string()} aria-controls={panel_id.clone()}
                    onclick={ctx.action(Action::ToggleFilterPanel)}>
                { toggle_text }
            </button>
            <div class="es-filters-panel" id={panel_id}>
                <div class="es-field">
                    <label for={search_id.clone()}>{ t(locale, Msg::Search) }</label>
                    <input type="search" id={search_id} class="es-input" value={filter.text.clone()}
                           aria-describedby={hint_id.clone()} oninput={on_search} autocomplete="off" maxlength="200" />
                    <p class="es-hint" id={hint_id}>{ t(locale, Msg::SearchHint) }</p>
                    { place_suggestions(ctx, explorer, &filter.text) }
                </div>
                <TerritoryFilter ctx={ctx.clone()} explorer={explorer.clone()} selection={filter.territory.clone()} counts={counts.clone()} />
                { around_filter(ctx, filter.territory.as_ref(), places, on_host, around) }
                if filter.territory.is_some() {
                    { presence_filter(ctx, &filter.presence, counts.presence) }
                }
                { for facets }
                // Narrow screens: the end of the panel leads to the results (closes the panel, focuses their heading).
                <button type="button" class="es-button es-see-results" onclick={see_results(ctx)}>
                    { crate::i18n::see_results(locale, counts.ids.len()) }
                </button>
            </div>
        </aside>
    }
}

/// The regions, departments and communes the search text names, as buttons that choose the territory (and clear
/// the text, which would otherwise look for the name in the innovations' texts).
fn place_suggestions(ctx: &Ctx, explorer: &SharedLoaded, text: &str) -> Html {
    use crate::territory::{find_places, PlaceHit};
    if text.trim().chars().count() < 3 {
        return html! {};
    }
    let index = &explorer.0.index;
    let terr = &index.territories;
    let noun = &index.dataset.meta.noun;
    let mut items: Vec<(String, TerritorySel)> = find_places(terr, text, 3)
        .into_iter()
        .map(|hit| match hit {
            PlaceHit::Region(r) => (
                crate::i18n::place_suggestion(ctx.locale, noun, 0, &terr.regions[r].name),
                TerritorySel::Region(terr.regions[r].code.clone()),
            ),
            PlaceHit::Department(d) => {
                let dep = &terr.departments[d];
                let name = format!("{} ({})", dep.name, dep.code);
                (crate::i18n::place_suggestion(ctx.locale, noun, 1, &name), TerritorySel::Department(dep.code.clone()))
            }
        })
        .collect();
    // A commune: the records around it (its point from its records: the commune table's when they were placed by
    // it, which the search does not wait for).
    for c in index.communes_named(text, 4 - items.len().min(3)) {
        let entry = &index.communes[c];
        if let Some(p) = index.commune_point(c) {
            let name = format!("{} ({})", entry.name, terr.departments[entry.department].code);
            let label = crate::i18n::place_suggestion(ctx.locale, noun, 2, &entry.name);
            items.push((label, TerritorySel::Around(Around::new(name, p, Around::DEFAULT_KM))));
        }
    }
    if items.is_empty() {
        return html! {};
    }
    let mut buttons = Vec::with_capacity(items.len());
    for (label, sel) in items {
        let d = ctx.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            d.emit(Action::SetText(String::new()));
            d.emit(Action::SetTerritory(Some(sel.clone())));
        });
        buttons.push(html! { <li><button type="button" class="es-link-button" {onclick}>{ label }</button></li> });
    }
    html! {
        <ul class="es-suggestions" aria-label={t(ctx.locale, Msg::Places)}>{ for buttons }</ul>
    }
}

/// « Autour de »: a commune chosen by name or postcode from the commune table (fetched when the field is first
/// used), or the visitor's position (asked of the browser only when « Autour de moi » is pressed), and a radius.
/// What the field shows between two choices is the state's ([`crate::state::State::around`]): no hook of its own.
fn around_filter(
    ctx: &Ctx,
    sel: Option<&TerritorySel>,
    places: &Places,
    on_host: &Callback<HostRequest>,
    field: &(Option<String>, u16, Option<Msg>),
) -> Html {
    let locale = ctx.locale;
    let (query, radius, note) = field.clone();
    let chosen = match sel {
        Some(TerritorySel::Around(a)) => Some(a.clone()),
        _ => None,
    };
    // The radius chosen before a place is kept for it.
    let km = chosen.as_ref().map_or(if radius == 0 { Around::DEFAULT_KM } else { radius }, |a| a.km);
    let d = &ctx.dispatch;
    let set = |t: Option<TerritorySel>| Action::SetTerritory(t);
    let on_focus = {
        let (on_host, asked) = (on_host.clone(), matches!(places, Places::NotAsked | Places::Failed));
        Callback::from(move |_: FocusEvent| {
            if asked {
                on_host.emit(HostRequest::Places)
            }
        })
    };
    let on_input = d.reform(move |e: InputEvent| {
        Action::AroundField(Some(e.target_unchecked_into::<HtmlInputElement>().value()), radius, None)
    });
    let typed = query.as_deref().map(str::trim).filter(|q| q.len() >= 3);
    let found = match (places, typed) {
        (Places::Ready(g), Some(q)) => g.find(q, 6),
        _ => Vec::new(),
    };
    let status = match (places, typed) {
        _ if note.is_some() => note,
        (Places::Loading, Some(_)) => Some(Msg::CommunesLoading),
        (Places::Failed, _) => Some(Msg::CommunesFailed),
        (Places::Ready(_), Some(_)) if found.is_empty() => Some(Msg::NoCommune),
        _ => None,
    };
    let on_radius = {
        let (d, chosen) = (d.clone(), chosen.clone());
        Callback::from(move |e: Event| {
            let km = e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(0);
            d.emit(Action::AroundField(None, km, None));
            if let Some(a) = &chosen {
                d.emit(set(Some(TerritorySel::Around(Around { km, ..a.clone() }))));
            }
        })
    };
    let on_me = {
        let (d, on_host) = (d.clone(), on_host.clone());
        Callback::from(move |_: MouseEvent| {
            d.emit(Action::AroundField(None, km, Some(Msg::Locating)));
            let d = d.clone();
            on_host.emit(HostRequest::Locate(Callback::from(move |r: Result<LonLat, bool>| match r {
                Ok(p) => d.emit(set(Some(TerritorySel::Around(Around::new(String::new(), p, km))))),
                Err(refused) => d.emit(Action::AroundField(
                    None,
                    km,
                    Some(if refused { Msg::LocateRefused } else { Msg::LocateFailed }),
                )),
            })));
        })
    };
    let value = query.unwrap_or_else(|| chosen.map(|a| a.name).unwrap_or_default());
    let mut communes = Vec::with_capacity(found.len());
    for (row, p) in found {
        let name = format!("{} ({})", row.name, row.department);
        let onclick = d.reform({
            let name = name.clone();
            move |_: MouseEvent| set(Some(TerritorySel::Around(Around::new(name.clone(), p, km))))
        });
        communes.push(html! { <li><button type="button" class="es-link-button" {onclick}>{ name }</button></li> });
    }
    let mut radii = Vec::with_capacity(Around::RADII.len());
    for r in Around::RADII {
        radii.push(html! { <option value={r.to_string()} selected={r == km}>{ format!("{r} km") }</option> });
    }
    let (pid, rid, sid) = (ctx.id("around"), ctx.id("radius"), ctx.id("around-status"));
    html! {
        <fieldset class="es-fieldset es-field">
            <legend>{ t(locale, Msg::Around) }</legend>
            <label for={pid.clone()}>{ t(locale, Msg::AroundPlace) }</label>
            <input type="search" id={pid} class="es-input" {value} onfocus={on_focus} oninput={on_input}
                   autocomplete="off" maxlength="100" aria-describedby={sid.clone()} />
            if !communes.is_empty() {
            <ul class="es-suggestions" aria-label={t(locale, Msg::Places)}>{ for communes }</ul>
            }
            <label for={rid.clone()}>{ t(locale, Msg::Radius) }</label>
            <select id={rid} class="es-select" onchange={on_radius}
                    onfocus={d.reform(|_| Action::SelectFocus(true))} onblur={d.reform(|_| Action::SelectFocus(false))}>
                { for radii }
            </select>
            <button type="button" class="es-button es-button-secondary" onclick={on_me}>{ t(locale, Msg::AroundMe) }</button>
            <p class="es-hint" id={sid} role="status">{ status.map(|m| t(locale, m)).unwrap_or_default() }</p>
        </fieldset>
    }
}

fn see_results(ctx: &Ctx) -> Callback<MouseEvent> {
    let d = ctx.dispatch.clone();
    Callback::from(move |e: MouseEvent| {
        d.emit(Action::ShowResults);
        super::focus_results(e.target());
    })
}

/// A checkbox of a filter list, with its count (greyed out when 0 and not checked).
fn option_item(
    locale: Locale,
    id: String,
    checked: bool,
    label: &str,
    count: usize,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <li class="es-option" data-empty={(count == 0 && !checked).then_some("")}>
            <input type="checkbox" id={id.clone()} {checked} {onchange} />
            <label for={id}>
                { label.to_owned() }
                <span class="es-count">{ format!(" ({})", number(locale, count)) }</span>
            </label>
        </li>
    }
}

/// With a territory chosen: born there, replicated there, not there yet (scaled elsewhere), with their counts.
fn presence_filter(ctx: &Ctx, selected: &[Presence], counts: [usize; 3]) -> Html {
    let locale = ctx.locale;
    let mut items = Vec::with_capacity(3);
    for p in Presence::ALL {
        let id = ctx.id(&format!("presence-{}", p.id()));
        let onchange = ctx.dispatch.reform(move |_: Event| Action::TogglePresence(p));
        let label = t(locale, crate::export::presence_msg(p));
        items.push(option_item(locale, id, selected.contains(&p), label, counts[p as usize], onchange));
    }
    html! {
        <fieldset class="es-fieldset">
            <legend>{ t(locale, Msg::Presence) }</legend>
            <ul class="es-options">{ for items }</ul>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct TerritoryProps {
    ctx: Ctx,
    explorer: SharedLoaded,
    selection: Option<TerritorySel>,
    counts: ByPtr<Filtered>,
}

fn option_text(locale: Locale, name: &str, count: usize) -> String {
    format!("{name} ({})", number(locale, count))
}

#[function_component(TerritoryFilter)]
fn territory_filter(props: &TerritoryProps) -> Html {
    let TerritoryProps { ctx, explorer, selection, counts } = props;
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let terr = &index.territories;
    let (region, department, commune) = territory_path(index, selection.as_ref());
    let counts = &counts.counts;

    // One handler for the three selects, told apart by their `data-s` (0 region, 1 department, 2 commune): an empty
    // value chooses the level above.
    let on_change = {
        let d = ctx.dispatch.clone();
        let region_code = region.map(|r| terr.regions[r].code.clone());
        let dep_code = department.map(|i| terr.departments[i].code.clone());
        Callback::from(move |e: Event| {
            let level = super::index_at(e.target(), "[data-s]");
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.emit(Action::SetTerritory(match (level, v.is_empty()) {
                (Some(0), true) => None,
                (Some(0), false) => Some(TerritorySel::Region(v)),
                (Some(1), true) => region_code.clone().map(TerritorySel::Region),
                (Some(1), false) => Some(TerritorySel::Department(v)),
                (_, true) => dep_code.clone().map(TerritorySel::Department),
                (_, false) => Some(TerritorySel::Commune(v)),
            }));
        })
    };

    // A closed select shows only its chosen option, so the others are listed only while the select is in use
    // (focused, or pressed by a pointer, which happens before its list opens): otherwise every filter change would
    // rewrite the counts of every region and department option, and choosing a department would build the list of
    // its communes (hundreds of options) although it is rarely opened (docs/PERFORMANCE.md).
    // Keyboard, screen-reader, pointer and touch users all focus or press a select before choosing in it.
    let in_use = use_state(|| None::<usize>);
    let on_use = {
        let in_use = in_use.clone();
        Callback::from(move |e: Event| in_use.set(super::index_at(e.target(), "[data-s]")))
    };
    // The state knows a select has the focus: its arrow-key changes make one history entry.
    let on_focus = {
        let (on_use, d) = (on_use.clone(), ctx.dispatch.clone());
        Callback::from(move |e: FocusEvent| {
            d.emit(Action::SelectFocus(true));
            on_use.emit(e.into());
        })
    };
    let on_leave = {
        let (in_use, d) = (in_use.clone(), ctx.dispatch.clone());
        Callback::from(move |_: FocusEvent| {
            d.emit(Action::SelectFocus(false));
            in_use.set(None)
        })
    };
    let listed = |select: usize, chosen: Option<usize>, i: usize| *in_use == Some(select) || chosen == Some(i);

    let mut regions = Vec::new();
    for r in regions_in_order(terr) {
        if listed(0, region, r) {
            let reg = &terr.regions[r];
            regions.push(html! { <option value={reg.code.clone()} selected={region == Some(r)}>{ option_text(locale, &reg.name, counts.regions[r]) }</option> });
        }
    }
    let mut departments = Vec::new();
    let every: Vec<usize>;
    let in_region = match region {
        Some(r) => &terr.regions[r].departments[..],
        None => {
            every = (0..terr.departments.len()).collect();
            &every[..]
        }
    };
    for &d in in_region {
        if listed(1, department, d) {
            let dep = &terr.departments[d];
            let text = option_text(locale, &format!("{} – {}", dep.code, dep.name), counts.departments[d]);
            departments
                .push(html! { <option value={dep.code.clone()} selected={department == Some(d)}>{ text }</option> });
        }
    }
    let in_department = department.map_or(&[][..], |d| index.communes_of_department(d));
    let mut communes = Vec::new();
    for &c in in_department {
        let c = c as usize;
        if listed(2, commune, c) {
            let entry = &index.communes[c];
            communes.push(html! { <option value={entry.key.clone()} selected={commune == Some(c)}>{ option_text(locale, &entry.name, counts.communes[c]) }</option> });
        }
    }
    let (rid, did, cid) = (ctx.id("region"), ctx.id("department"), ctx.id("commune"));

    html! {
        <fieldset class="es-fieldset" onfocusin={on_focus}
                  onpointerdown={on_use.reform(|e: PointerEvent| e.into())} onfocusout={on_leave}>
            <legend>{ t(locale, Msg::Territory) }</legend>
            <div class="es-field">
                <label for={rid.clone()}>{ t(locale, Msg::Region) }</label>
                <select id={rid} class="es-select" onchange={on_change.clone()} data-s="0">
                    <option value="" selected={region.is_none()}>{ t(locale, Msg::AllRegions) }</option>
                    { for regions }
                </select>
            </div>
            <div class="es-field">
                <label for={did.clone()}>{ t(locale, Msg::Department) }</label>
                <select id={did} class="es-select" onchange={on_change.clone()} data-s="1">
                    <option value="" selected={department.is_none()}>{ t(locale, Msg::AllDepartments) }</option>
                    { for departments }
                </select>
            </div>
            if !in_department.is_empty() {
                <div class="es-field">
                    <label for={cid.clone()}>{ t(locale, Msg::Commune) }</label>
                    <select id={cid} class="es-select" onchange={on_change} data-s="2">
                        <option value="" selected={commune.is_none()}>{ t(locale, Msg::AllCommunes) }</option>
                        { for communes }
                    </select>
                </div>
            }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct FacetProps {
    ctx: Ctx,
    explorer: SharedLoaded,
    facet: Facet,
    selected: Vec<String>,
    /// Per value, then for the records without a value ([`UNSPECIFIED`]).
    counts: Vec<usize>,
}

/// One facet's values as checkboxes with their counts. Real open data is sparse: a facet that no record fills is not
/// shown; the values no record of the dataset has are folded behind a button (still reachable, and always shown
/// when chosen); the records without a value have their own « Non renseigné » box, so that the counts add up.
#[function_component(FacetFilter)]
fn facet_filter(props: &FacetProps) -> Html {
    let FacetProps { ctx, explorer, facet, selected, counts } = props;
    let unfolded = use_state_eq(|| false);
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let vocab = index.dataset.vocabularies.get(facet.vocab());
    let totals = index.totals(*facet);
    let total = |i: usize| totals.get(i).copied().unwrap_or(0);
    let unspecified = vocab.entries.len();
    let used = (0..unspecified).any(|i| total(i) > 0);
    if !used && selected.is_empty() {
        return html! {};
    }
    let group = format!("{facet:?}").to_ascii_lowercase();
    let option = |i: usize, value: &str, label: &str| {
        let id = ctx.id(&format!("{group}-{}", if value == UNSPECIFIED { "none" } else { value }));
        let checked = selected.iter().any(|s| s == value);
        let count = counts.get(i).copied().unwrap_or(0);
        let onchange = {
            let d = ctx.dispatch.clone();
            let (f, value) = (*facet, value.to_owned());
            Callback::from(move |_: Event| d.emit(Action::Toggle(f, value.clone())))
        };
        option_item(locale, id, checked, label, count, onchange)
    };
    let chosen = |i: usize| selected.iter().any(|s| *s == vocab.entries[i].id);
    let (shown, folded): (Vec<usize>, Vec<usize>) = (0..unspecified).partition(|&i| total(i) > 0 || chosen(i));
    let mut shown_items = Vec::with_capacity(shown.len());
    for &i in &shown {
        shown_items.push(option(i, &vocab.entries[i].id, vocab.entries[i].label.get(locale)));
    }
    let mut folded_items = Vec::new();
    if *unfolded {
        for &i in &folded {
            folded_items.push(option(i, &vocab.entries[i].id, vocab.entries[i].label.get(locale)));
        }
    }
    let list_id = ctx.id(&format!("{group}-more"));
    let toggle = {
        let unfolded = unfolded.clone();
        Callback::from(move |_: MouseEvent| unfolded.set(!*unfolded))
    };
    html! {
        <fieldset class="es-fieldset">
            <legend>{ facet_label(locale, *facet) }</legend>
            <ul class="es-options">
                { for shown_items }
                if total(unspecified) > 0 || selected.iter().any(|s| s == UNSPECIFIED) {
                    { option(unspecified, UNSPECIFIED, t(locale, Msg::Unspecified)) }
                }
            </ul>
            if !folded.is_empty() {
                <ul class="es-options" id={list_id.clone()} hidden={!*unfolded}>
                    { for folded_items }
                </ul>
                <button type="button" class="es-link-button" aria-expanded={unfolded.to_string()}
                        aria-controls={list_id} onclick={toggle}>
                    { if *unfolded { t(locale, Msg::FewerValues).to_owned() } else { more_values(locale, folded.len()) } }
                </button>
            }
            // What each value means (stages, strategies and public roles have one sentence; a dataset may give more).
            if vocab.entries.iter().any(|e| !e.definition.is_empty()) {
                <details class="es-defs">
                    <summary>{ t(locale, Msg::Definitions) }</summary>
                    <dl>
                        for e in vocab.entries.iter().filter(|e| !e.definition.is_empty()) {
                            <dt>{ e.label.get(locale) }</dt>
                            <dd>{ e.definition.get(locale) }</dd>
                        }
                    </dl>
                </details>
            }
        </fieldset>
    }
}
