//! Native tests of the map geometry: projection, layout of the insets, base map, clustering of real results.
#![cfg(not(target_arch = "wasm32"))]

use essaimage::cluster::{Grid, MAX_LEVEL};
use essaimage::filter::Filter;
use essaimage::geo::{Basemap, VIEW_H, VIEW_W};
use essaimage::load::build_loaded;
use essaimage::model::LonLat;
use essaimage::schema::{validate, ValidateOptions};
use essaimage::territory::Territories;

fn territories() -> Territories {
    essaimage::outlines::read(include_bytes!("../static/data/france-departments.bin")).expect("departments")
}

#[test]
fn cities_land_inside_their_own_department_after_projection() {
    let terr = territories();
    let map = Basemap::new(&terr);
    for (name, lon, lat, dep) in [
        ("Paris", 2.3522, 48.8566, "75"),
        ("Brest", -4.4861, 48.3904, "29"),
        ("Strasbourg", 7.7521, 48.5734, "67"),
        // Coastal towns: their points from the commune table (the town centre can fall in the sea of the simplified
        // outline).
        ("Ajaccio", 8.70064, 41.93461, "2A"),
        ("Cayenne", -52.32637, 4.91958, "973"),
        ("Saint-Denis (La Réunion)", 55.447, -20.93306, "974"),
        ("Les Abymes", -61.50177, 16.27276, "971"),
        ("Fort-de-France", -61.06902, 14.64064, "972"),
        ("Mamoudzou", 45.19477, -12.79023, "976"),
    ] {
        let d = terr.department_index(dep).unwrap();
        let p = map.layout.project(LonLat { lon, lat }, Some(d));
        assert!(p[0] >= 0.0 && p[0] <= VIEW_W && p[1] >= 0.0 && p[1] <= VIEW_H, "{name} off the canvas: {p:?}");
        assert_eq!(map.department_at(p), Some(d), "{name} projected to {p:?}");
    }
}

#[test]
fn overseas_insets_are_separate_boxes_beside_metropolitan_france() {
    let terr = territories();
    let map = Basemap::new(&terr);
    let names: Vec<&str> = map.layout.insets.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"]);
    let metro_left = terr
        .departments
        .iter()
        .enumerate()
        .filter(|(_, d)| d.code.len() == 2)
        .map(|(i, _)| map.departments[i].bbox[0])
        .fold(f64::INFINITY, f64::min);
    for inset in &map.layout.insets {
        let [x, y, w, h] = inset.frame;
        assert!(x + w < metro_left, "{} overlaps metropolitan France", inset.name);
        let shape = &map.departments[terr.department_index(&inset.department).unwrap()];
        assert!(
            shape.bbox[0] >= x && shape.bbox[2] <= x + w && shape.bbox[1] >= y && shape.bbox[3] <= y + h,
            "{} outside its box",
            inset.name
        );
    }
    // Guyane (about 3° wide) is drawn at a smaller scale than the islands, as official maps do.
    let width = |code: &str| {
        let s = &map.departments[terr.department_index(code).unwrap()];
        (s.bbox[2] - s.bbox[0]).max(s.bbox[3] - s.bbox[1])
    };
    assert!(width("973") > 0.0 && (width("973") - width("971")).abs() < 60.0, "each inset fills its box");
    assert!(map.departments.iter().all(|s| s.path.starts_with('M') && s.path.ends_with('Z')));
}

#[test]
fn every_located_demo_result_is_clustered_exactly_once_at_every_level() {
    let demo = include_str!("../static/innovations-demo.json");
    let opts = ValidateOptions { url: "demo".into(), current_year: 2026, max_bytes: 50_000_000 };
    let (dataset, report) = validate(demo.as_bytes(), &opts).unwrap();
    let explorer = build_loaded(dataset, report, territories(), Err("not needed"));
    let index = &explorer.index;
    let map = Basemap::new(&index.territories);
    let results = index.apply(&Filter::default());
    let positions: Vec<Option<[f64; 2]>> =
        index.dataset.innovations.iter().map(|inno| map.layout.place(&index.territories, &inno.origin)).collect();
    assert_eq!(positions.iter().filter(|p| p.is_some()).count(), 65, "every demo innovation is located");
    for level in 0..=MAX_LEVEL {
        let clusters = Grid::new(&positions, level, 1.0).cluster(results.ids.iter().copied(), &positions);
        assert_eq!(clusters.iter().map(|c| c.count()).sum::<usize>(), 65, "level {level}");
    }
    assert!(
        Grid::new(&positions, 0, 1.0).cluster(results.ids.iter().copied(), &positions).len() < 65,
        "the national view groups nearby innovations (Paris)"
    );
}
