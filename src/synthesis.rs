//! The « Synthèse » view's figures: the scaling picture of the current results, pure and tested natively.
//!
//! Everything is counted on the index's bitsets: the results as a set ([`Bitset`], built once from the result ids),
//! AND-ed and popcounted with the stage, strategy, role and territory bitsets, so a synthesis of 100,000 records is
//! a few hundred thousand word operations and a few allocations, not one per record. Only the lists that need the
//! records themselves (innovations stalled before scaling, replicas per year) walk the results once.
//!
//! Counts per stage are in stage order, then for the records without a stage (« Non renseigné »), like the facet
//! counts of [`crate::filter::Counts`].

use crate::bitset::Bitset;
use crate::filter::{Facet, Filter, Filtered, Index, TerritorySel, SCALED_STAGE};

/// The early stages, before scaling (`amorcage`, `experimentation`, `consolidation`): an innovation that stays
/// there for years is « à l'arrêt avant le changement d'échelle ».
pub const EARLY_STAGES: [&str; 3] = ["amorcage", "experimentation", "consolidation"];

/// The default age (in years) from which an early-stage innovation counts as stalled.
pub const STALLED_YEARS: u32 = 5;

/// What the selection is compared with in the stage funnel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parent {
    /// The whole dataset, without any filter (no territory chosen).
    Dataset,
    /// The same filters, every territory (a region is chosen).
    Country,
    /// The same filters in this region (index into `Territories::regions`; a department is chosen).
    Region(usize),
    /// The same filters in this department (a commune is chosen).
    Department(usize),
}

/// A row of the territory × stage table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowTerritory {
    Region(usize),
    Department(usize),
    /// Index into [`Index::communes`].
    Commune(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub territory: RowTerritory,
    /// Per stage, then without a stage: the results with a place in this territory.
    pub cells: Vec<usize>,
    pub total: usize,
}

/// A strategy or public role: how many of the results having it have scaled, and how many have not yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Split {
    /// Stage `essaimage` or beyond.
    pub scaled: usize,
    /// An earlier stage.
    pub not_scaled: usize,
    /// No stage.
    pub unknown: usize,
}

/// The synthesis of one result set.
#[derive(Clone, Debug, PartialEq)]
pub struct Synthesis {
    /// Results.
    pub total: usize,
    /// Per stage then without a stage, for the results.
    pub funnel: Vec<usize>,
    pub parent: Parent,
    /// Per stage then without a stage, for the parent; and its total.
    pub parent_funnel: Vec<usize>,
    pub parent_total: usize,
    /// One row per sub-territory with results (regions; the departments of a chosen region; the communes of a
    /// chosen department or of a chosen commune's), in the territories' order.
    pub rows: Vec<Row>,
    /// Results with no place in any row's territory (not located, or only located more coarsely).
    pub rows_unplaced: Vec<usize>,
    /// Per strategy value, then without one.
    pub strategies: Vec<Split>,
    /// Per public role, then without one.
    pub roles: Vec<Split>,
    /// Results at an early stage started at least `years` ago: record indices, oldest first (then by name).
    pub stalled: Vec<u32>,
    pub stalled_years: u32,
    /// Sites opened per year (from the replicas' `started`) by the results, in year order.
    pub replicas_per_year: Vec<(i32, usize)>,
    /// Replicas of the results without a start year.
    pub replicas_undated: usize,
}

/// The results as a set.
pub fn result_set(index: &Index, results: &Filtered) -> Bitset {
    let mut set = Bitset::empty(index.len());
    for &i in &results.ids {
        set.insert(i as usize);
    }
    set
}

/// Counts per value of a facet (then without one) among `set`.
fn per_value(index: &Index, f: Facet, set: &Bitset) -> Vec<usize> {
    set.count_each(index.value_bits(f))
}

/// The parent a territory selection is compared with, and the filter that gives it.
pub fn parent_of(index: &Index, filter: &Filter) -> (Parent, Filter) {
    let t = &index.territories;
    let with = |territory: Option<TerritorySel>| Filter { territory, presence: Vec::new(), ..filter.clone() };
    match &filter.territory {
        None => (Parent::Dataset, Filter::default()),
        Some(TerritorySel::Region(_) | TerritorySel::Around(_)) => (Parent::Country, with(None)),
        Some(TerritorySel::Department(code)) => match t.department_index(code) {
            Some(d) => {
                let r = t.departments[d].region;
                (Parent::Region(r), with(Some(TerritorySel::Region(t.regions[r].code.clone()))))
            }
            None => (Parent::Country, with(None)),
        },
        Some(TerritorySel::Commune(key)) => match index.commune_index(key) {
            Some(c) => {
                let d = index.communes[c].department;
                (Parent::Department(d), with(Some(TerritorySel::Department(t.departments[d].code.clone()))))
            }
            None => (Parent::Country, with(None)),
        },
    }
}

/// The synthesis of `results` (what `index.apply(filter)` gave). `current_year` dates the stalled innovations;
/// `years` is their minimum age.
pub fn synthesize(index: &Index, filter: &Filter, results: &Filtered, current_year: i32, years: u32) -> Synthesis {
    let set = result_set(index, results);
    let funnel = per_value(index, Facet::Stages, &set);
    let (parent, parent_filter) = parent_of(index, filter);
    let parent_set = index.matching(&parent_filter);
    let parent_funnel = per_value(index, Facet::Stages, &parent_set);
    let (rows, rows_unplaced) = territory_rows(index, filter, &set);

    let scaled = index.scaled_mask();
    let stage_bits = index.value_bits(Facet::Stages);
    let unknown = stage_bits.last().expect("the records without a stage");
    let mut scaled_set = set.clone();
    scaled_set.and_with(&scaled);
    let mut unknown_set = set.clone();
    unknown_set.and_with(unknown);
    let split = |f: Facet| -> Vec<Split> {
        let (all, s, u) =
            (per_value(index, f, &set), per_value(index, f, &scaled_set), per_value(index, f, &unknown_set));
        let mut out = Vec::with_capacity(all.len());
        for v in 0..all.len() {
            out.push(Split { scaled: s[v], not_scaled: all[v] - s[v] - u[v], unknown: u[v] });
        }
        out
    };
    let strategies = split(Facet::Strategies);
    let roles = split(Facet::Support);

    let stalled = stalled(index, &set, current_year, years);
    let (replicas_per_year, replicas_undated) = replicas_per_year(index, &set);
    Synthesis {
        total: results.ids.len(),
        funnel,
        parent,
        parent_total: parent_set.count(),
        parent_funnel,
        rows,
        rows_unplaced,
        strategies,
        roles,
        stalled,
        stalled_years: years,
        replicas_per_year,
        replicas_undated,
    }
}

/// Territory × stage: the sub-territories of the selection, each with the results having a place there, per stage.
/// A result with places in two of them is in both rows (as choosing either territory would list it).
fn territory_rows(index: &Index, filter: &Filter, set: &Bitset) -> (Vec<Row>, Vec<usize>) {
    let t = &index.territories;
    let stage_bits = index.value_bits(Facet::Stages);
    let mut placed = Bitset::empty(index.len());
    let mut rows = Vec::new();
    let mut by_bitset = |territory: RowTerritory, bits: &Bitset| {
        let mut here = set.clone();
        here.and_with(bits);
        let total = here.count();
        if total > 0 {
            placed.or_with(&here);
            rows.push(Row { territory, cells: here.count_each(stage_bits), total });
        }
    };
    let department = match &filter.territory {
        None => {
            for r in regions_in_order(t) {
                by_bitset(RowTerritory::Region(r), &index.region_bits()[r]);
            }
            None
        }
        Some(TerritorySel::Region(code)) => {
            if let Some(r) = t.region_index(code) {
                for &d in &t.regions[r].departments {
                    by_bitset(RowTerritory::Department(d), &index.department_bits()[d]);
                }
            }
            None
        }
        Some(TerritorySel::Department(code)) => t.department_index(code),
        Some(TerritorySel::Commune(key)) => index.commune_index(key).map(|c| index.communes[c].department),
        Some(TerritorySel::Around(_)) => None,
    };
    if let Some(d) = department {
        let stage_of = |i: u32| stage_bits.iter().position(|b| b.contains(i as usize)).unwrap_or(stage_bits.len() - 1);
        for &c in index.communes_of_department(d) {
            let mut cells = vec![0; stage_bits.len()];
            let mut total = 0;
            for &i in index.communes[c as usize].records() {
                if set.contains(i as usize) {
                    cells[stage_of(i)] += 1;
                    total += 1;
                    placed.insert(i as usize);
                }
            }
            if total > 0 {
                rows.push(Row { territory: RowTerritory::Commune(c as usize), cells, total });
            }
        }
    }
    let mut unplaced = set.clone();
    unplaced.and_not_with(&placed);
    (rows, unplaced.count_each(stage_bits))
}

/// Results at an early stage started `years` or more before `current_year`, oldest first, then by name.
fn stalled(index: &Index, set: &Bitset, current_year: i32, years: u32) -> Vec<u32> {
    let stages = &index.dataset.vocabularies.stages;
    let stage_bits = index.value_bits(Facet::Stages);
    let mut early = Bitset::empty(index.len());
    for id in EARLY_STAGES {
        if let Some(s) = stages.index_of(id) {
            early.or_with(&stage_bits[s as usize]);
        }
    }
    early.and_with(set);
    let limit = current_year.saturating_sub(years as i32);
    let inn = &index.dataset.innovations;
    // In name order from the index (no name folded here: half of 100,000 records may be early and old), then placed
    // by year with a counting sort (stable: names stay in order within a year; no comparison sort of 50,000).
    let first = crate::schema::YEAR_MIN as i32;
    let mut found = Vec::new();
    let mut per_year = vec![0usize; (limit - first + 2).max(1) as usize];
    for &i in index.name_order() {
        if let Some(y) = inn[i as usize].started.filter(|&y| y <= limit && y >= first && early.contains(i as usize)) {
            found.push((i, (y - first) as usize));
            per_year[(y - first) as usize + 1] += 1;
        }
    }
    for k in 1..per_year.len() {
        per_year[k] += per_year[k - 1];
    }
    let mut out = vec![0u32; found.len()];
    for (i, y) in found {
        out[per_year[y]] = i;
        per_year[y] += 1;
    }
    out
}

/// Region indices as official lists give them: metropolitan regions by name, then the overseas ones (the order of
/// the region select).
pub fn regions_in_order(terr: &crate::territory::Territories) -> Vec<usize> {
    let mut keys = Vec::with_capacity(terr.regions.len());
    for r in &terr.regions {
        keys.push((r.is_overseas(), crate::text::fold(&r.name)));
    }
    let mut regions: Vec<u32> = (0..keys.len() as u32).collect();
    crate::filter::sort_indices(&mut regions, &|a, b| keys[a as usize].cmp(&keys[b as usize]));
    regions.into_iter().map(|r| r as usize).collect()
}

/// Sites opened per year by the results' replicas, and the replicas without a year.
fn replicas_per_year(index: &Index, set: &Bitset) -> (Vec<(i32, usize)>, usize) {
    // A sorted vector: a few dozen years (a BTreeMap<i32, _> would bring its own node code: docs/SIZE.md).
    let mut years: Vec<(i32, usize)> = Vec::new();
    let mut undated = 0;
    for i in set.iter() {
        for r in &index.dataset.innovations[i].replicas {
            match r.started {
                Some(y) => match years.binary_search_by_key(&y, |&(year, _)| year) {
                    Ok(k) => years[k].1 += 1,
                    Err(k) => years.insert(k, (y, 1)),
                },
                None => undated += 1,
            }
        }
    }
    (years, undated)
}

/// Whether the stage at index `stage` has scaled (`essaimage` and beyond).
pub fn has_scaled(index: &Index, stage: usize) -> bool {
    index.dataset.vocabularies.stages.index_of(SCALED_STAGE).is_some_and(|s| stage >= usize::from(s))
}

/// A share in whole percents, rounded to nearest (0 of 0 is 0).
pub fn percent(part: usize, whole: usize) -> usize {
    if whole == 0 {
        0
    } else {
        (part * 200 + whole) / (2 * whole)
    }
}
