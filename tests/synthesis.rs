//! The « Synthèse » figures, the presence classes of a territory and the exports, on a fixture with known answers
//! and on the demo data.

use essaimage::export::{csv, file_name, json, read_csv, CSV_COLUMNS};
use essaimage::filter::{Facet, Filter, Presence, TerritorySel, UNSPECIFIED};
use essaimage::i18n::Locale;
use essaimage::load::{build_loaded, Loaded};
use essaimage::schema::{validate, ValidateOptions, DEFAULT_MAX_BYTES};
use essaimage::synthesis::{synthesize, Parent, RowTerritory};
use essaimage::territory::CommuneIndex;

const COMMUNES_CSV: &str = include_str!("../static/data/communes.csv");
const DEMO_JSON: &str = include_str!("../static/innovations-demo.json");

fn explorer(json: &str) -> Loaded {
    let opts =
        ValidateOptions { url: "https://example.fr/x.json".into(), current_year: 2026, max_bytes: DEFAULT_MAX_BYTES };
    let (dataset, report) = validate(json.as_bytes(), &opts).expect("valid");
    let territories = essaimage::outlines::read(include_bytes!("../static/data/france-departments.bin")).unwrap();
    build_loaded(dataset, report, territories, Ok(&CommuneIndex::from_csv(COMMUNES_CSV).unwrap()))
}

/// Six innovations with known places (Rennes 35 and Brest 29 are in Bretagne, 53; Lyon 69 in 84; Nantes 44 in 52).
const FIXTURE: &str = r#"{"schema": "essaimage/1", "title": "Essai", "license": "Licence Ouverte 2.0",
 "source": {"name": "Réseau « test »"},
 "innovations": [
  {"id": "a", "name": "Atelier, \"vélo\"\nsolidaire", "stage": "amorcage", "started": 2015,
   "origin": {"commune_insee": "35238"}, "scaling_strategies": ["duplication"], "public_support": ["financement"]},
  {"id": "b", "name": "Brest essaime", "stage": "essaimage", "started": 2010,
   "origin": {"commune_insee": "29019"}, "replicas": [{"commune_insee": "35238", "started": 2019}, {"commune_insee": "44109", "started": 2021}],
   "scaling_strategies": ["essaimage-souple"], "public_support": ["financement", "appui-diffusion"]},
  {"id": "c", "name": "Café lyonnais", "stage": "changement-echelle", "started": 2005,
   "origin": {"commune_insee": "69123"}, "replicas": [{"commune_insee": "35238", "started": 2018}, {"commune_insee": "44109"}],
   "scaling_strategies": ["essaimage-reseau"]},
  {"id": "d", "name": "Départ nantais", "stage": "generalisation", "started": 2000,
   "origin": {"commune_insee": "44109"}, "public_support": ["reprise-institutionnelle"]},
  {"id": "e", "name": "Expérience", "stage": "experimentation", "started": 2024, "origin": {"commune_insee": "69123"}},
  {"id": "f", "name": "Sans stade", "origin": {"department": "35"}}
 ]}"#;

fn ids(ex: &Loaded, list: &[u32]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|&i| ex.index.dataset.innovations[i as usize].id.clone()).collect();
    v.sort();
    v
}

fn stage(ex: &Loaded, id: &str) -> usize {
    ex.index.dataset.vocabularies.stages.index_of(id).unwrap() as usize
}

#[test]
fn presence_in_a_territory_tells_born_replicated_and_not_yet_apart() {
    let ex = explorer(FIXTURE);
    let brittany = Filter { territory: Some(TerritorySel::Region("53".into())), ..Filter::default() };
    let r = ex.index.apply(&brittany);
    assert_eq!(ids(&ex, &r.ids), ["a", "b", "c", "f"], "a place in Bretagne");
    // Born here: a, b, f; replicated here: c (born in Lyon); not here yet: d (généralisation, Nantes only).
    assert_eq!(r.presence, [3, 1, 1]);
    let with = |p: &[Presence]| ids(&ex, &ex.index.apply(&Filter { presence: p.to_vec(), ..brittany.clone() }).ids);
    assert_eq!(with(&[Presence::Born]), ["a", "b", "f"]);
    assert_eq!(with(&[Presence::Replica]), ["c"]);
    assert_eq!(with(&[Presence::Absent]), ["d"]);
    assert_eq!(with(&[Presence::Replica, Presence::Absent]), ["c", "d"]);
    // Per record, with the year a replica arrived.
    let at = |id: &str| ex.index.dataset.innovations.iter().position(|i| i.id == id).unwrap();
    let sel = TerritorySel::Commune("35238".into());
    assert_eq!(ex.index.presence_of(at("a"), &sel), Some((Presence::Born, Some(2015))));
    assert_eq!(ex.index.presence_of(at("b"), &sel), Some((Presence::Replica, Some(2019))));
    assert_eq!(ex.index.presence_of(at("c"), &sel), Some((Presence::Replica, Some(2018))));
    assert_eq!(ex.index.presence_of(at("d"), &sel), Some((Presence::Absent, None)));
    assert_eq!(ex.index.presence_of(at("e"), &sel), None, "early stage, elsewhere: neither");
    // The counts are what choosing each class gives, with other filters too.
    let f = Filter { values: [vec![], vec![], vec![], vec!["financement".into()]], ..brittany.clone() };
    let r = ex.index.apply(&f);
    for p in Presence::ALL {
        let chosen = ex.index.apply(&Filter { presence: vec![p], ..f.clone() });
        assert_eq!(r.presence[p as usize], chosen.ids.len(), "{p:?}");
    }
    assert_eq!(ex.index.apply(&Filter::default()).presence, [0, 0, 0], "no territory, no classes");
}

#[test]
fn the_funnel_equals_the_stage_counts_and_compares_with_the_parent() {
    let ex = explorer(FIXTURE);
    for filter in [
        Filter::default(),
        Filter { territory: Some(TerritorySel::Region("53".into())), ..Filter::default() },
        Filter { territory: Some(TerritorySel::Department("35".into())), ..Filter::default() },
        Filter { territory: Some(TerritorySel::Commune("35238".into())), ..Filter::default() },
    ] {
        let r = ex.index.apply(&filter);
        let s = synthesize(&ex.index, &filter, &r, 2026, 5);
        let no_stage = Filter { values: [vec![], vec![], vec![], vec![]], ..filter.clone() };
        let stage_counts = ex.index.apply(&no_stage).counts.facet(Facet::Stages).to_vec();
        assert_eq!(s.funnel, stage_counts, "{filter:?}");
        assert_eq!(s.funnel.iter().sum::<usize>(), r.ids.len());
        assert_eq!(s.parent_funnel.iter().sum::<usize>(), s.parent_total);
    }
    let dep = Filter { territory: Some(TerritorySel::Department("35".into())), ..Filter::default() };
    let s = synthesize(&ex.index, &dep, &ex.index.apply(&dep), 2026, 5);
    assert_eq!(s.parent, Parent::Region(ex.index.territories.region_index("53").unwrap()));
    assert_eq!(s.parent_total, 4, "a, b, c, f have a place in Bretagne");
    let region = Filter { territory: Some(TerritorySel::Region("53".into())), ..Filter::default() };
    let s = synthesize(&ex.index, &region, &ex.index.apply(&region), 2026, 5);
    assert_eq!((s.parent.clone(), s.parent_total), (Parent::Country, 6));
}

#[test]
fn each_territory_stage_cell_is_what_choosing_it_gives_and_rows_add_up() {
    let ex = explorer(FIXTURE);
    // Origins only (no replicas): every record in exactly one row, so the rows add up to the results.
    let origins_only = Filter { text: String::new(), ..Filter::default() };
    let r = ex.index.apply(&origins_only);
    let s = synthesize(&ex.index, &origins_only, &r, 2026, 5);
    let stages = ex.index.dataset.vocabularies.stages.len();
    for row in &s.rows {
        let RowTerritory::Region(i) = row.territory else { panic!("regions without a territory") };
        let sel = TerritorySel::Region(ex.index.territories.regions[i].code.clone());
        for (k, &n) in row.cells.iter().enumerate() {
            let id = if k < stages {
                ex.index.dataset.vocabularies.stages.id(k as u16).to_owned()
            } else {
                UNSPECIFIED.into()
            };
            let f = Filter {
                territory: Some(sel.clone()),
                values: [vec![], vec![id], vec![], vec![]],
                ..Filter::default()
            };
            assert_eq!(ex.index.apply(&f).ids.len(), n, "cell {row:?} {k}");
        }
        assert_eq!(row.cells.iter().sum::<usize>(), row.total);
    }
    // Each record is counted once per region it has a place in: b (29, 35, 44) in 2, c (69, 35, 44) in 3.
    let places: usize = s.rows.iter().map(|r| r.total).sum();
    assert_eq!(places, 6 + 1 + 2);
    // With a department chosen, its communes; without replicas crossing, the rows add up to the results.
    let only_a = Filter {
        territory: Some(TerritorySel::Department("35".into())),
        values: [vec![], vec!["amorcage".into()], vec![], vec![]],
        ..Filter::default()
    };
    let r = ex.index.apply(&only_a);
    let s = synthesize(&ex.index, &only_a, &r, 2026, 5);
    let sum: usize = s.rows.iter().map(|r| r.total).sum::<usize>() + s.rows_unplaced.iter().sum::<usize>();
    assert_eq!(sum, r.ids.len());
    assert!(matches!(s.rows[0].territory, RowTerritory::Commune(_)));
}

#[test]
fn strategies_and_roles_split_scaled_from_not_scaled() {
    let ex = explorer(FIXTURE);
    let r = ex.index.apply(&Filter::default());
    let s = synthesize(&ex.index, &Filter::default(), &r, 2026, 5);
    let v = &ex.index.dataset.vocabularies;
    let strat = |id: &str| s.strategies[v.scaling_strategies.index_of(id).unwrap() as usize];
    assert_eq!((strat("duplication").scaled, strat("duplication").not_scaled), (0, 1));
    assert_eq!((strat("essaimage-souple").scaled, strat("essaimage-souple").not_scaled), (1, 0));
    let role = |id: &str| s.roles[v.public_support.index_of(id).unwrap() as usize];
    assert_eq!((role("financement").scaled, role("financement").not_scaled), (1, 1));
    // Without a role: c (scaled), e (not), f (no stage).
    let none = s.roles[v.public_support.len()];
    assert_eq!((none.scaled, none.not_scaled, none.unknown), (1, 1, 1));
    assert!(stage(&ex, "essaimage") > stage(&ex, "consolidation"));
}

#[test]
fn stalled_innovations_are_early_stage_and_old_enough_oldest_first() {
    let ex = explorer(FIXTURE);
    let r = ex.index.apply(&Filter::default());
    let at = |years| ids(&ex, &synthesize(&ex.index, &Filter::default(), &r, 2026, years).stalled);
    assert_eq!(at(5), ["a"], "a started 2015 (amorçage); e only in 2024");
    assert_eq!(at(2), ["a", "e"]);
    assert_eq!(at(12), Vec::<String>::new());
    let order = synthesize(&ex.index, &Filter::default(), &r, 2026, 1).stalled;
    let years: Vec<_> = order.iter().map(|&i| ex.index.dataset.innovations[i as usize].started).collect();
    assert_eq!(years, [Some(2015), Some(2024)], "oldest first");
}

#[test]
fn replicas_are_counted_per_year_of_opening() {
    let ex = explorer(FIXTURE);
    let r = ex.index.apply(&Filter::default());
    let s = synthesize(&ex.index, &Filter::default(), &r, 2026, 5);
    assert_eq!(s.replicas_per_year, [(2018, 1), (2019, 1), (2021, 1)]);
    assert_eq!(s.replicas_undated, 1);
}

#[test]
fn the_demo_funnel_matches_its_stage_counts() {
    let ex = explorer(DEMO_JSON);
    let r = ex.index.apply(&Filter::default());
    let s = synthesize(&ex.index, &Filter::default(), &r, 2026, 5);
    assert_eq!(s.funnel, r.counts.facet(Facet::Stages));
    assert_eq!(s.total, 65);
}

#[test]
fn csv_keeps_accents_quotes_and_line_breaks_and_json_reads_back() {
    let ex = explorer(FIXTURE);
    let r = ex.index.apply(&Filter::default());
    let text = csv(&ex.index, &r.ids, Locale::Fr);
    assert!(text.starts_with('\u{FEFF}'), "UTF-8 byte order mark");
    let rows = read_csv(&text);
    assert_eq!(rows[0], CSV_COLUMNS);
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|row| row.len() == CSV_COLUMNS.len()));
    let names: Vec<&str> = rows[1..].iter().map(|row| row[1].as_str()).collect();
    for inno in &ex.index.dataset.innovations {
        assert!(names.contains(&inno.name.as_str()), "{:?} survives", inno.name);
    }
    assert!(names.contains(&"Atelier, \"vélo\"\nsolidaire"));
    // The JSON export is an essaimage/1 document giving the same records.
    let again = explorer(&json(&ex.index, &r.ids));
    assert_eq!(again.report.records_kept, 6, "{:?}", again.report.problems);
    assert!(again.report.problems.is_empty(), "{:?}", again.report.problems);
    for (a, b) in ex.index.dataset.innovations.iter().zip(&again.index.dataset.innovations) {
        assert_eq!((&a.id, &a.name, a.stage, &a.replicas.len()), (&b.id, &b.name, b.stage, &b.replicas.len()));
    }
    let f = Filter {
        territory: Some(TerritorySel::Region("53".into())),
        values: [vec![], vec!["amorcage".into()], vec![], vec![]],
        ..Filter::default()
    };
    assert_eq!(file_name(&ex.index, &f, "2026-12-06", "csv"), "innovations_bretagne_amorcage_2026-12-06.csv");
}
