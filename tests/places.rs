//! The search finds places: regions, departments and communes by name or postcode, one typo tolerated.

use essaimage::filter::{Filter, Index, TerritorySel};
use essaimage::load::build_loaded;
use essaimage::schema::{validate, ValidateOptions};
use essaimage::search::one_typo;
use essaimage::territory::{find_places, names_place, PlaceHit, Territories};

fn territories() -> Territories {
    essaimage::outlines::read(include_bytes!("../static/data/france-departments.bin")).expect("departments")
}

fn demo() -> Index {
    let demo = include_str!("../static/innovations-demo.json");
    let opts = ValidateOptions { url: "demo".into(), current_year: 2026, max_bytes: 50_000_000 };
    let (dataset, report) = validate(demo.as_bytes(), &opts).unwrap();
    build_loaded(dataset, report, territories(), Err("not needed")).index
}

#[test]
fn one_typo_is_a_letter_added_dropped_changed_or_two_swapped() {
    for (a, b) in [
        ("marseile", "marseille"),
        ("marseille", "marseile"),
        ("rennes", "rennez"),
        ("bretange", "bretagne"),
        ("lyon", "lyon"),
    ] {
        assert!(one_typo(a.as_bytes(), b.as_bytes()), "{a} {b}");
    }
    for (a, b) in [("marsele", "marseille"), ("rennes", "nnerse"), ("abc", "abcde"), ("bretagne", "bertange")] {
        assert!(!one_typo(a.as_bytes(), b.as_bytes()), "{a} {b}");
    }
    assert!(names_place("marseile", "marseille"));
    assert!(names_place("bret", "bretagne"));
    assert!(!names_place("br", "bretagne"), "too short to name a place");
    assert!(!names_place("rene", "rennes"), "a typo needs five letters");
}

#[test]
fn regions_departments_and_postcodes_are_found() {
    let terr = territories();
    let region = |code: &str| PlaceHit::Region(terr.region_index(code).unwrap());
    let department = |code: &str| PlaceHit::Department(terr.department_index(code).unwrap());
    assert_eq!(find_places(&terr, "Bretagne", 3), [region("53")]);
    assert_eq!(find_places(&terr, "bretange", 3), [region("53")], "one typo");
    assert_eq!(find_places(&terr, "Région Bretagne", 3), [region("53")]);
    assert_eq!(find_places(&terr, "35000", 3), [department("35")]);
    assert_eq!(find_places(&terr, "97400", 3), [department("974")]);
    assert_eq!(find_places(&terr, "ille-et-vilaine", 3), [department("35")]);
    assert_eq!(find_places(&terr, "Guadeloupe", 3), [region("01")], "an overseas department is named once");
    assert!(find_places(&terr, "xylophone", 3).is_empty());
    assert!(find_places(&terr, "12", 3).is_empty());
}

#[test]
fn the_search_tolerates_one_typo_and_names_the_dataset_communes() {
    let index = demo();
    let search = |text: &str| index.apply(&Filter { text: text.into(), ..Filter::default() }).ids.len();
    let marseille = search("marseille");
    assert!(marseille > 0);
    assert_eq!(search("marseile"), marseille, "one typo in a word of five letters or more");
    assert_eq!(search("rennez"), search("rennes"));
    assert_eq!(search("lyom"), 0, "no typo tolerated below five letters");
    let rennes = index.communes_named("Rennes", 4);
    assert_eq!(rennes.iter().map(|&c| index.communes[c].name.as_str()).collect::<Vec<_>>(), ["Rennes"]);
    let key = index.communes[rennes[0]].key.clone();
    let n = index.apply(&Filter { territory: Some(TerritorySel::Commune(key)), ..Filter::default() }).ids.len();
    assert!(n > 0);
    assert_eq!(index.communes_named("marseile", 4).len(), 1);
}
