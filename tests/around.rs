//! « Autour de »: the radius filter over records at known distances, its link, and the nearest-first order.

use essaimage::filter::{Around, Filter, Index, Presence, SortKey, TerritorySel};
use essaimage::geo::{haversine, haversine_km};
use essaimage::load::build_loaded;
use essaimage::model::LonLat;
use essaimage::schema::{validate, ValidateOptions};
use essaimage::state::{Action, State};
use essaimage::territory::{CommuneIndex, Gazetteer};
use essaimage::url_state::{decode, encode, write, UrlState};

/// Rennes (the commune table's point) and one degree of latitude on the widget's sphere, km.
const RENNES: LonLat = LonLat { lon: -1.6778, lat: 48.1173 };
const KM_PER_DEGREE: f64 = 6371.0088 * std::f64::consts::PI / 180.0;

/// Records due north of Rennes at known distances (a meridian: the distance is the latitude's), one known only by
/// its department (no distance), one born far away with a replica near.
fn index() -> Index {
    let rec = |id: &str, name: &str, lat: f64, extra: &str| {
        format!(
            r#"{{"id":"{id}","name":"{name}","summary":"s","carrier_kind":"association","stage":"essaimage",
            "origin":{{"commune":"C","department":"35","lon":-1.6778,"lat":{lat}}}{extra}}}"#
        )
    };
    let records = [
        rec("a", "Alpha", RENNES.lat + 0.30, ""),
        rec("b", "Bravo", RENNES.lat + 0.089, ""),
        rec("c", "Charlie", RENNES.lat + 0.80, ""),
        rec("d", "Delta", RENNES.lat + 1.50, ""),
        rec("e", "Echo", RENNES.lat, ""),
        // Born 200 km north (in the sea: located by its department given), replicated 20 km north of Rennes.
        rec(
            "f",
            "Foxtrot",
            RENNES.lat + 1.80,
            r#","replicas":[{"commune":"R","department":"35","lon":-1.6778,"lat":48.2972}]"#,
        ),
        r#"{"id":"g","name":"Golf","summary":"s","carrier_kind":"association","origin":{"department":"35"}}"#
            .to_owned(),
    ];
    let json = format!(r#"{{"schema":"essaimage/1","title":"t","innovations":[{}]}}"#, records.join(","));
    let opts = ValidateOptions { url: "t".into(), current_year: 2026, max_bytes: 50_000_000 };
    let (dataset, report) = validate(json.as_bytes(), &opts).unwrap();
    let terr = essaimage::outlines::read(include_bytes!("../static/data/france-departments.bin")).unwrap();
    build_loaded(dataset, report, terr, Err("not needed")).index
}

fn around(km: u16) -> Filter {
    Filter {
        territory: Some(TerritorySel::Around(Around::new("Rennes (35)".into(), RENNES, km))),
        sort: SortKey::Distance,
        ..Filter::default()
    }
}

fn names(index: &Index, ids: &[u32]) -> Vec<String> {
    ids.iter().map(|&i| index.dataset.innovations[i as usize].name.clone()).collect()
}

#[test]
fn distances_are_great_circle_kilometres() {
    for d in [0.0, 0.089, 0.3, 0.8, 1.5] {
        let p = LonLat { lat: RENNES.lat + d, ..RENNES };
        let km = haversine_km(haversine(RENNES, p));
        assert!((km - d * KM_PER_DEGREE).abs() < 0.001, "{d}° north: {km} km");
    }
    // Rennes – Paris (Notre-Dame): 307.9 km on the sphere.
    let paris = LonLat { lon: 2.3499, lat: 48.8530 };
    assert!((haversine_km(haversine(RENNES, paris)) - 307.87).abs() < 0.01);
}

#[test]
fn the_radius_keeps_the_records_within_it_nearest_first_with_counts() {
    let index = index();
    let r10 = index.apply(&around(10));
    assert_eq!(names(&index, &r10.ids), ["Echo", "Bravo"], "0 and 9.9 km");
    let r25 = index.apply(&around(25));
    assert_eq!(names(&index, &r25.ids), ["Echo", "Bravo", "Foxtrot"], "Foxtrot by its replica 20 km away");
    let r50 = index.apply(&around(50));
    assert_eq!(names(&index, &r50.ids), ["Echo", "Bravo", "Foxtrot", "Alpha"]);
    let r100 = index.apply(&around(100));
    assert_eq!(names(&index, &r100.ids), ["Echo", "Bravo", "Foxtrot", "Alpha", "Charlie"], "Delta is 167 km away");
    // The other facets are counted under it, like any territory filter: every record has the stage « essaimage »,
    // but Golf (known by its department only) has no distance.
    let stages = &r25.counts.values[1];
    assert_eq!(stages.iter().sum::<usize>(), 3);
    // By name on request.
    let by_name = index.apply(&Filter { sort: SortKey::Name, ..around(25) });
    assert_eq!(names(&index, &by_name.ids), ["Bravo", "Echo", "Foxtrot"]);
    // The distance each item says: the nearest place within the radius.
    let a = match &around(25).territory {
        Some(TerritorySel::Around(a)) => a.clone(),
        _ => unreachable!(),
    };
    let km = |id: &str| index.distance_km(index.dataset.innovations.iter().position(|i| i.id == id).unwrap(), &a);
    assert!((km("b").unwrap() - 0.089 * KM_PER_DEGREE).abs() < 0.01);
    assert!((km("f").unwrap() - (48.2972 - RENNES.lat) * KM_PER_DEGREE).abs() < 0.01);
    assert_eq!(km("a"), None, "33 km: outside 25 km");
    assert_eq!(km("g"), None, "a department has no distance");
    // Presence: born around, or only replicated there.
    let born = index.apply(&Filter { presence: vec![Presence::Born], ..around(25) });
    assert_eq!(names(&index, &born.ids), ["Echo", "Bravo"]);
    assert_eq!(r25.presence[1], 1, "Foxtrot is replicated around");
}

#[test]
fn the_radius_goes_through_a_link_but_the_visitors_position_does_not() {
    let mut state = UrlState { filter: around(50), ..UrlState::default() };
    let hash = write("", "e1", &state);
    assert_eq!(hash, "#e1.t=a50,-167780,4811730,Rennes%20%2835%29&e1.sort=distance");
    assert_eq!(decode(&hash, "e1"), state);
    // The old forms still read.
    assert_eq!(decode("#e1.t=c35238", "e1").filter.territory, Some(TerritorySel::Commune("35238".into())));
    // Malformed: an unknown radius, a point off the Earth, no name.
    for bad in ["a30,-167780,4811730,R", "a25,-167780,9100000,R", "a25,-167780,4811730,", "a25,x,1,R"] {
        assert_eq!(decode(&format!("#e1.t={bad}"), "e1").filter.territory, None, "{bad}");
    }
    // Around me: never in the link.
    state.filter.territory = Some(TerritorySel::Around(Around::new(String::new(), RENNES, 25)));
    assert!(encode(&state).is_empty(), "neither the position nor the order it came with");
}

#[test]
fn choosing_a_radius_sorts_by_distance_and_leaving_it_does_not() {
    let mut s = State::default();
    s.apply(Action::SetSort(SortKey::Stage));
    s.apply(Action::SetTerritory(around(25).territory));
    assert_eq!(s.filter.sort, SortKey::Distance);
    s.apply(Action::SetSort(SortKey::Name));
    s.apply(Action::SetTerritory(around(50).territory));
    assert_eq!(s.filter.sort, SortKey::Name, "a new radius keeps the order chosen");
    s.apply(Action::SetSort(SortKey::Distance));
    s.apply(Action::SetTerritory(Some(TerritorySel::Department("35".into()))));
    assert_eq!(s.filter.sort, SortKey::Name);
    s.apply(Action::SetTerritory(around(10).territory));
    s.apply(Action::ClearFilters);
    assert_eq!(s.filter.sort, SortKey::Name);
}

#[test]
fn the_commune_table_finds_communes_by_name_and_postcode() {
    let table = CommuneIndex::from_csv(include_str!("../static/data/communes.csv")).unwrap();
    let g = Gazetteer::new(table);
    let first = |q: &str| g.find(q, 6).first().map(|(r, _)| r.code.clone());
    assert_eq!(first("Rennes").as_deref(), Some("35238"));
    assert_eq!(first("35000").as_deref(), Some("35238"));
    assert_eq!(first("marseile").as_deref(), Some("13055"), "one typo");
    assert_eq!(first("Paris").as_deref(), Some("75056"), "the name itself before its arrondissements");
    assert!(g.find("xylophonez", 6).is_empty());
    let (_, p) = g.find("Rennes", 1)[0];
    assert!((p.lat - RENNES.lat).abs() < 0.05 && (p.lon - RENNES.lon).abs() < 0.05);
}
