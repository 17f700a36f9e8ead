//! Native tests of Essaimage's pure core: dataset validation (every rule of `DATASET.md`), place resolution
//! against the real reference data in `static/data/`, the filter and facet engine, the URL-state codec, and
//! the small i18n / config / text helpers not already covered by the modules' unit tests.
//!
//! Run with `cargo test --test core`. Nothing here asserts a duration: the scale test only prints timings.
//! Randomised tests use a fixed-seed xorshift generator, so every run checks exactly the same cases.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use essaimage::bitset::Bitset;
use essaimage::config::{Config, RawOptions};
use essaimage::filter::{Around, Counts, Facet, Filter, Index, IndexBuilder, SortKey, TerritorySel, UNSPECIFIED};
use essaimage::i18n::{self, Locale, Msg};
use essaimage::json::{self, Json};
use essaimage::load::{build_loaded, Loaded};
use essaimage::model::{Dataset, Innovation, Label, LonLat, Meta, Place, Precision, ValueIdx, VocabKind, Vocabularies};
use essaimage::report::{DataReport, LoadError, Problem, ProblemKind, Severity, Shape};
use essaimage::schema::{self, validate, ValidateOptions};
use essaimage::search::{WordIndex, WordIndexBuilder};
use essaimage::state::{Action, State};
use essaimage::territory::{self, CommuneIndex, Territories, REGIONS};
use essaimage::text;
use essaimage::url_state::{self, UrlState};

// ---------------------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------------------

const DEPARTMENTS_GEOJSON: &str = include_str!("../static/data/france-departments.geojson");
const REGIONS_GEOJSON: &str = include_str!("../static/data/france-regions.geojson");
const COMMUNES_CSV: &str = include_str!("../static/data/communes.csv");
const DEMO_JSON: &str = include_str!("../static/innovations-demo.json");
const MIXED_JSON: &str = include_str!("fixtures/mixed.json");
const VOCABULARIES_JSON: &str = include_str!("fixtures/vocabularies.json");
const NETWORK_JSON: &str = include_str!("fixtures/network.json");

/// The "current year" of every validation in this file, so year rules do not depend on the clock.
const YEAR: i64 = 2026;
const URL: &str = "https://example.fr/innovations.json";

fn opts() -> ValidateOptions {
    ValidateOptions { url: URL.into(), current_year: YEAR, max_bytes: schema::DEFAULT_MAX_BYTES }
}

/// Validates a document that must not be fatally wrong.
fn load(json: &str) -> (Dataset, DataReport) {
    validate(json.as_bytes(), &opts()).unwrap_or_else(|e| panic!("unexpected fatal error {e:?} for {json}"))
}

/// Validates bytes that must be fatally wrong.
fn fatal(bytes: &[u8]) -> LoadError {
    match validate(bytes, &opts()) {
        Ok((_, report)) => {
            panic!("expected a fatal error, got a dataset ({report:?}) for {:?}", String::from_utf8_lossy(bytes))
        }
        Err(e) => e,
    }
}

/// A document holding these records (JSON texts).
fn doc<S: AsRef<str>>(records: &[S]) -> String {
    let records: Vec<&str> = records.iter().map(AsRef::as_ref).collect();
    format!(r#"{{"schema": "essaimage/1", "innovations": [{}]}}"#, records.join(",\n"))
}

/// A valid record `{"id": "x", "name": "X", <extra>}`.
fn rec(extra: &str) -> String {
    if extra.is_empty() {
        r#"{"id": "x", "name": "X"}"#.to_owned()
    } else {
        format!(r#"{{"id": "x", "name": "X", {extra}}}"#)
    }
}

/// An expected problem: record index (`None` for the document), field path, kind.
type Expect<'a> = (Option<usize>, &'a str, ProblemKind);

/// Validates `json` and checks, exactly, which records were kept (ids, in file order) and which problems were
/// reported (in any order: unknown fields are collected from hash maps). Returns what validation produced for
/// further checks.
fn check(json: &str, kept: &[&str], expected: &[Expect]) -> (Dataset, DataReport) {
    let (dataset, report) = load(json);
    let ids: Vec<&str> = dataset.innovations.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, kept, "records kept from\n{json}");
    let show = |index: Option<usize>, field: &str, kind: &ProblemKind| format!("{index:?} {field:?} {kind:?}");
    let mut got: Vec<String> = report.problems.iter().map(|p| show(p.index, &p.field, &p.kind)).collect();
    let mut want: Vec<String> = expected.iter().map(|(i, f, k)| show(*i, f, k)).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "problems reported for\n{json}");
    assert_eq!(report.records_kept, kept.len());
    assert_eq!(report.records_kept, dataset.innovations.len());
    (dataset, report)
}

/// Checks one record: kept or not, and its problems (all at index 0).
fn check_one(record: &str, kept: bool, expected: &[(&str, ProblemKind)]) -> (Dataset, DataReport) {
    let expected: Vec<Expect> = expected.iter().map(|(f, k)| (Some(0), *f, k.clone())).collect();
    let value = json::parse(record).expect("test records are JSON");
    let id = value.get("id").and_then(Json::as_str).unwrap_or_default();
    let kept_ids: &[&str] = if kept { &[id] } else { &[] };
    check(&doc(&[record]), kept_ids, &expected)
}

fn only(dataset: &Dataset) -> &Innovation {
    assert_eq!(dataset.innovations.len(), 1);
    &dataset.innovations[0]
}

fn territories() -> &'static Territories {
    static T: OnceLock<Territories> = OnceLock::new();
    T.get_or_init(|| {
        essaimage::outlines::read(include_bytes!("../static/data/france-departments.bin"))
            .expect("france-departments.bin reads")
    })
}

fn communes() -> &'static CommuneIndex {
    static C: OnceLock<CommuneIndex> = OnceLock::new();
    C.get_or_init(|| CommuneIndex::from_csv(COMMUNES_CSV).expect("communes.csv parses"))
}

/// Validates, resolves and indexes a document with the real reference data and commune table.
fn explorer(json: &str) -> Loaded {
    let (dataset, report) = load(json);
    build_loaded(dataset, report, territories().clone(), Ok(communes()))
}

fn demo() -> Loaded {
    explorer(DEMO_JSON)
}

/// A tiny deterministic pseudo-random generator (xorshift64*), so randomised tests need no dependency and are
/// reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-enough integer in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}

fn problem_kinds(report: &DataReport) -> Vec<&ProblemKind> {
    report.problems.iter().map(|p| &p.kind).collect()
}

// ---------------------------------------------------------------------------------------------------------
// 1. Validation — fatal errors
// ---------------------------------------------------------------------------------------------------------

#[test]
fn not_json_gives_the_line_and_column_of_the_syntax_error() {
    // Line 3: four spaces, then `{"id": "a"` (10 characters) and a space: the missing comma is at column 16.
    let text = "{\n  \"innovations\": [\n    {\"id\": \"a\" \"name\": \"A\"}\n  ]\n}";
    match fatal(text.as_bytes()) {
        LoadError::NotJson { url, line, column, detail, looks_like_html } => {
            assert_eq!((line, column), (3, 16), "{detail}");
            assert_eq!(url, URL);
            assert!(!looks_like_html);
            assert!(!detail.contains(" at line "), "the position is given once, not repeated in {detail:?}");
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn not_json_column_counts_characters_not_bytes() {
    // `{"title": "Été" x}`: the stray `x` is the 17th character of the line (but its 19th byte), which is what
    // a text editor shows for a French file full of accents.
    match fatal("{\"title\": \"Été\" x}".as_bytes()) {
        LoadError::NotJson { line, column, .. } => assert_eq!((line, column), (1, 17)),
        other => panic!("expected NotJson, got {other:?}"),
    }
    // Same on a later line, after a line full of multi-byte characters.
    match fatal("{\"title\": \"Œuvre à l’échelle\",\n \"é\": x}".as_bytes()) {
        LoadError::NotJson { line, column, .. } => assert_eq!((line, column), (2, 7)),
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn truncated_and_trailing_json_are_not_json() {
    for (text, line) in [("{\"innovations\": [", 1), ("{\"innovations\": []}\n}", 2), ("", 1), ("   \n", 2)] {
        match fatal(text.as_bytes()) {
            LoadError::NotJson { line: l, looks_like_html, .. } => {
                assert_eq!(l, line, "{text:?}");
                assert!(!looks_like_html, "{text:?}");
            }
            other => panic!("expected NotJson for {text:?}, got {other:?}"),
        }
    }
}

#[test]
fn an_html_page_instead_of_json_is_recognised() {
    for page in [
        "<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>",
        "\n\n  <html lang=\"fr\"><body>Connexion requise</body></html>",
        "<?xml version=\"1.0\"?><error/>",
    ] {
        match fatal(page.as_bytes()) {
            LoadError::NotJson { looks_like_html, .. } => assert!(looks_like_html, "{page:?}"),
            other => panic!("expected NotJson for {page:?}, got {other:?}"),
        }
        let (_, explanation) = fatal(page.as_bytes()).message(Locale::Fr);
        assert!(explanation.contains("HTML"), "{explanation}");
        let (_, explanation) = fatal(page.as_bytes()).message(Locale::En);
        assert!(explanation.contains("HTML"), "{explanation}");
    }
}

#[test]
fn invalid_utf8_gives_the_line_and_column_of_the_bad_byte() {
    // Line 2 is `  "title": "ab` (14 bytes) then the invalid byte 0xFF: column 15.
    let mut bytes = b"{\n  \"title\": \"ab".to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice(b"\",\n  \"innovations\": []\n}");
    match fatal(&bytes) {
        LoadError::NotJson { line, column, looks_like_html, .. } => {
            assert_eq!((line, column), (2, 15));
            assert!(!looks_like_html);
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
    // Latin-1 « é » (0xE9) after UTF-8 « Été » on line 1: column in characters.
    let mut bytes = "{\"title\": \"Été ".as_bytes().to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\", \"innovations\": []}");
    match fatal(&bytes) {
        LoadError::NotJson { line, column, .. } => assert_eq!((line, column), (1, 16)),
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    let text = format!("\u{feff}{}", doc(&[rec("")]));
    let (dataset, report) = load(&text);
    assert_eq!(dataset.innovations.len(), 1);
    assert!(report.is_clean(), "{report:?}");
    // And positions after a BOM are those an editor shows (the BOM is invisible there).
    let mut bytes = "\u{feff}{\"a\": ".as_bytes().to_vec();
    bytes.push(0xFF);
    match fatal(&bytes) {
        LoadError::NotJson { line, column, .. } => assert_eq!((line, column), (1, 7)),
        other => panic!("expected NotJson, got {other:?}"),
    }
    match fatal("\u{feff}{\"a\": x}".as_bytes()) {
        LoadError::NotJson { line, column, .. } => assert_eq!((line, column), (1, 7)),
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn a_top_level_that_is_not_an_object_is_the_wrong_shape() {
    for (text, expected) in [
        ("[]", Shape::List),
        ("  [{\"id\": \"a\", \"name\": \"A\"}]", Shape::List),
        ("\"innovations\"", Shape::NotObject),
        ("42", Shape::NotObject),
        ("null", Shape::NotObject),
        ("true", Shape::NotObject),
    ] {
        match fatal(text.as_bytes()) {
            LoadError::WrongShape { url, shape } => assert_eq!((url.as_str(), shape), (URL, expected), "{text}"),
            other => panic!("expected WrongShape for {text}, got {other:?}"),
        }
    }
    // A list of records, as many exports are: the message says how to wrap it, entirely in the visitor's language.
    let list = fatal(b"[{\"id\": \"a\"}]");
    let (_, fr) = list.message(Locale::Fr);
    assert!(fr.contains("le fichier est une liste") && fr.contains("\"innovations\": [ … ]"), "{fr}");
    assert!(!fr.contains("top level") && !fr.contains("not an"), "no English in French: {fr}");
    let (_, en) = list.message(Locale::En);
    assert!(en.contains("the file is a list") && !en.contains("fichier"), "{en}");
}

#[test]
fn a_document_without_an_innovations_array_is_the_wrong_shape() {
    for text in [
        "{}",
        "{\"schema\": \"essaimage/1\"}",
        "{\"innovation\": []}",
        "{\"innovations\": {}}",
        "{\"innovations\": \"none\"}",
        "{\"innovations\": null}",
        "{\"innovations\": 3}",
    ] {
        assert!(matches!(fatal(text.as_bytes()), LoadError::WrongShape { .. }), "{text}");
    }
    let (title, explanation) = fatal(b"{}").message(Locale::Fr);
    assert!(title.contains("forme"), "{title}");
    assert!(explanation.contains("innovations"), "{explanation}");
}

#[test]
fn another_schema_major_version_is_unsupported() {
    for found in ["essaimage/2", "essaimage/2.0", "essaimage/10", "essaimage/", "essaimage", "other/1"] {
        let text = format!(r#"{{"schema": "{found}", "innovations": []}}"#);
        assert_eq!(fatal(text.as_bytes()), LoadError::UnsupportedSchema { url: URL.into(), found: found.into() });
    }
    // A number is not a version string either.
    assert!(matches!(
        fatal(br#"{"schema": 2, "innovations": []}"#),
        LoadError::UnsupportedSchema { found, .. } if found == "2"
    ));
    let (_, explanation) = fatal(br#"{"schema": "essaimage/2", "innovations": []}"#).message(Locale::En);
    assert!(explanation.contains("essaimage/2") && explanation.contains("essaimage/1"), "{explanation}");
}

#[test]
fn schema_version_1_minor_versions_and_a_missing_schema_are_accepted() {
    for schema in [r#""schema": "essaimage/1","#, r#""schema": "essaimage/1.1","#, r#""schema": "essaimage/1.12","#, ""]
    {
        let text = format!(r#"{{{schema} "innovations": [{}]}}"#, rec(""));
        let (dataset, report) = load(&text);
        assert_eq!(dataset.innovations.len(), 1, "{text}");
        assert!(report.is_clean(), "{text}: {report:?}");
    }
}

#[test]
fn a_null_schema_counts_as_no_schema() {
    // Every other field treats `null` as absent; a `schema: null` written by an export tool must not be fatal.
    let (dataset, report) = load(&format!(r#"{{"schema": null, "innovations": [{}]}}"#, rec("")));
    assert_eq!(dataset.innovations.len(), 1);
    assert!(report.is_clean(), "{report:?}");
}

#[test]
fn a_document_over_the_size_limit_is_too_large() {
    let text = doc(&[rec("")]);
    let len = text.len() as u64;
    let mut o = opts();
    o.max_bytes = len - 1;
    assert_eq!(
        validate(text.as_bytes(), &o).unwrap_err(),
        LoadError::TooLarge { url: URL.into(), bytes: Some(len), limit: len - 1 }
    );
    o.max_bytes = len;
    assert!(validate(text.as_bytes(), &o).is_ok(), "a document exactly at the limit is accepted");
    // The size is checked before anything else: even bytes that are not JSON are "too large" first.
    o.max_bytes = 3;
    assert!(matches!(validate(b"<html>", &o), Err(LoadError::TooLarge { bytes: Some(6), limit: 3, .. })));
    assert_eq!(schema::DEFAULT_MAX_BYTES, 50_000_000, "DATASET.md: default 50 MB");
    let (_, explanation) =
        LoadError::TooLarge { url: URL.into(), bytes: Some(73_000_000), limit: 50_000_000 }.message(Locale::Fr);
    assert!(explanation.contains("73 Mo") && explanation.contains("50 Mo"), "{explanation}");
}

// ---------------------------------------------------------------------------------------------------------
// 1. Validation — records rejected
// ---------------------------------------------------------------------------------------------------------

#[test]
fn a_record_without_id_is_rejected() {
    check_one(r#"{"name": "Sans id"}"#, false, &[("id", ProblemKind::MissingId)]);
    check_one(r#"{"id": null, "name": "Id nul"}"#, false, &[("id", ProblemKind::MissingId)]);
}

#[test]
fn a_record_with_an_invalid_id_is_rejected() {
    let long = "a".repeat(81);
    for (json_id, shown) in [
        (r#""Majuscule""#.to_owned(), "Majuscule"),
        (r#""-tiret-au-debut""#.to_owned(), "-tiret-au-debut"),
        (format!("\"{long}\""), long.as_str()),
        ("42".to_owned(), "42"),
        (r#""""#.to_owned(), ""),
        (r#""avec espace""#.to_owned(), "avec espace"),
        (r#""accentué""#.to_owned(), "accentué"),
        (r#""sous_tiret""#.to_owned(), "sous_tiret"),
        (r#"["a"]"#.to_owned(), r#"["a"]"#),
    ] {
        let record = format!(r#"{{"id": {json_id}, "name": "N"}}"#);
        let (_, report) = check_one(&record, false, &[("id", ProblemKind::InvalidId(shown.to_owned()))]);
        assert_eq!(report.problems[0].kind.severity(), Severity::Rejected);
    }
}

#[test]
fn ids_of_1_to_80_lower_case_letters_digits_and_hyphens_are_valid() {
    let longest = format!("a{}", "-".repeat(79));
    for id in ["a", "0", "9-lives", "cafe-joyeux", "a-", "a--b", longest.as_str()] {
        check_one(&format!(r#"{{"id": "{id}", "name": "N"}}"#), true, &[]);
        assert!(schema::is_valid_id(id), "{id}");
    }
    assert!(!schema::is_valid_id(&format!("{longest}a")), "81 characters");
}

#[test]
fn the_rejected_record_is_named_by_its_id_when_it_has_one() {
    let (_, report) =
        load(&doc(&[r#"{"id": "Bad", "name": "N"}"#, r#"{"id": "sans-nom"}"#, r#"{"id": 7, "name": "N"}"#, "{}"]));
    let ids: Vec<Option<&str>> = report.problems.iter().map(|p| p.id.as_deref()).collect();
    assert_eq!(ids, [Some("Bad"), Some("sans-nom"), Some("7"), None, None]);
}

#[test]
fn a_record_without_a_usable_name_is_rejected() {
    check_one(r#"{"id": "x"}"#, false, &[("name", ProblemKind::MissingName)]);
    check_one(r#"{"id": "x", "name": null}"#, false, &[("name", ProblemKind::MissingName)]);
    for name in [r#""""#, r#""   ""#, "42", r#"["Nom"]"#, r#"{"fr": "Nom"}"#, "true"] {
        check_one(&format!(r#"{{"id": "x", "name": {name}}}"#), false, &[("name", ProblemKind::InvalidName)]);
    }
}

#[test]
fn a_record_without_id_nor_name_reports_both() {
    check_one("{}", false, &[("id", ProblemKind::MissingId), ("name", ProblemKind::MissingName)]);
}

#[test]
fn a_duplicate_id_is_rejected_and_the_first_record_wins() {
    let (dataset, report) = check(
        &doc(&[
            r#"{"id": "a", "name": "Premier"}"#,
            r#"{"id": "b", "name": "Autre"}"#,
            r#"{"id": "a", "name": "Second"}"#,
            r#"{"id": "a", "name": "Troisième"}"#,
        ]),
        &["a", "b"],
        &[
            (Some(2), "id", ProblemKind::DuplicateId { first_index: 0 }),
            (Some(3), "id", ProblemKind::DuplicateId { first_index: 0 }),
        ],
    );
    assert_eq!(dataset.innovations[0].name, "Premier");
    assert_eq!(report.problems[0].id.as_deref(), Some("a"));
    let line = report.problems[0].describe(Locale::Fr);
    assert!(line.contains("fiche n° 1"), "the report names the first record: {line}");
    assert!(report.problems[0].describe(Locale::En).contains("record #1"));
}

#[test]
fn a_rejected_record_does_not_reserve_its_id() {
    // The first `a` is rejected (no name), so the second one is the first valid `a` and is kept.
    check(
        &doc(&[r#"{"id": "a"}"#, r#"{"id": "a", "name": "Valide"}"#]),
        &["a"],
        &[(Some(0), "name", ProblemKind::MissingName)],
    );
}

#[test]
fn a_record_that_is_not_an_object_is_rejected() {
    for record in ["42", r#""fiche""#, "[]", "null", "true"] {
        let (_, report) = check_one(record, false, &[("", ProblemKind::RecordNotObject)]);
        assert_eq!(report.problems[0].id, None);
    }
}

// ---------------------------------------------------------------------------------------------------------
// 1. Validation — values dropped, record kept
// ---------------------------------------------------------------------------------------------------------

#[test]
fn an_unknown_vocabulary_id_is_dropped_and_the_record_kept() {
    let unknown =
        |vocabulary: &'static str, value: &str| ProblemKind::UnknownVocabulary { vocabulary, value: value.into() };
    let (dataset, _) = check_one(
        &rec(r#""themes": ["habitat", "inconnu", "culture", "habitat"], "stage": "termine", "carrier_kind": "zzz",
             "scaling_strategies": ["xyz", "duplication"], "public_support": ["rien"]"#),
        true,
        &[
            ("themes[1]", unknown("themes", "inconnu")),
            ("stage", unknown("stages", "termine")),
            ("carrier_kind", unknown("carrier_kinds", "zzz")),
            ("scaling_strategies[0]", unknown("scaling_strategies", "xyz")),
            ("public_support[0]", unknown("public_support", "rien")),
        ],
    );
    let inno = only(&dataset);
    let v = &dataset.vocabularies;
    let themes: Vec<&str> = inno.themes.iter().map(|&t| v.themes.id(t)).collect();
    assert_eq!(themes, ["habitat", "culture"], "known values kept once, in order");
    assert_eq!((inno.stage, inno.carrier_kind), (None, None));
    assert_eq!(inno.scaling_strategies, [v.scaling_strategies.index_of("duplication").unwrap()]);
    assert!(inno.public_support.is_empty());
}

#[test]
fn vocabulary_values_of_the_wrong_type_are_dropped() {
    let (dataset, _) = check_one(
        &rec(r#""themes": "habitat", "stage": 3, "public_support": [1, "financement"]"#),
        true,
        &[
            ("themes", ProblemKind::WrongType { expected: "array of strings" }),
            ("stage", ProblemKind::WrongType { expected: "string" }),
            ("public_support[0]", ProblemKind::WrongType { expected: "string" }),
        ],
    );
    assert_eq!(only(&dataset).public_support.len(), 1);
}

#[test]
fn coordinates_that_are_not_numbers_are_dropped_and_the_rest_of_the_place_kept() {
    for coords in [
        r#""lon": "2.35", "lat": "48.85""#,
        r#""lon": 2.35, "lat": "48.85""#,
        r#""lon": 2.35"#,
        r#""lat": 48.85"#,
        r#""lon": null, "lat": 48.85"#,
        r#""lon": [2.35], "lat": 48.85"#,
    ] {
        let (dataset, _) = check_one(
            &rec(&format!(r#""origin": {{"department": "75", {coords}}}"#)),
            true,
            &[("origin.lon", ProblemKind::CoordinatesNotNumbers)],
        );
        let origin = &only(&dataset).origin;
        assert_eq!(origin.point, None, "{coords}");
        assert_eq!(origin.department.as_deref(), Some("75"), "{coords}");
    }
}

#[test]
fn coordinates_outside_the_globe_are_dropped_at_validation() {
    let (dataset, _) = check_one(
        &rec(r#""origin": {"lon": 248.8, "lat": 2.3}"#),
        true,
        &[("origin.lon", ProblemKind::CoordinatesOutside { lon: 248.8, lat: 2.3 })],
    );
    assert_eq!(only(&dataset).origin.point, None);
}

#[test]
fn a_non_http_url_is_dropped_and_the_record_kept() {
    for url in [
        "javascript:alert(1)",
        " JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "/relative/page",
        "page.html",
        "//cdn.example.org/x",
        "ftp://example.org/f",
        "mailto:contact@example.org",
    ] {
        let (dataset, _) = check_one(
            &rec(&format!(r#""url": {}"#, Json::String(url.to_string()))),
            true,
            &[("url", ProblemKind::UnsafeUrl(url.into()))],
        );
        assert_eq!(only(&dataset).url, None, "{url}");
    }
    let (dataset, _) = check_one(&rec(r#""url": "https://tezea.fr""#), true, &[]);
    assert_eq!(only(&dataset).url.as_deref(), Some("https://tezea.fr"));
}

#[test]
fn non_http_sources_are_dropped_one_by_one() {
    let (dataset, _) = check_one(
        &rec(r#""sources": ["https://a.example.fr/1", "javascript:alert(1)", "data:,x", "relative/page",
                 42, "http://b.example.fr/2", "https://a.example.fr/1"]"#),
        true,
        &[
            ("sources[1]", ProblemKind::UnsafeUrl("javascript:alert(1)".into())),
            ("sources[2]", ProblemKind::UnsafeUrl("data:,x".into())),
            ("sources[3]", ProblemKind::UnsafeUrl("relative/page".into())),
            ("sources[4]", ProblemKind::WrongType { expected: "string" }),
        ],
    );
    assert_eq!(only(&dataset).sources, ["https://a.example.fr/1", "http://b.example.fr/2"], "deduplicated");
    check_one(
        &rec(r#""sources": "https://a.example.fr""#),
        true,
        &[("sources", ProblemKind::WrongType { expected: "array of strings" })],
    );
}

#[test]
fn a_year_out_of_range_is_dropped_and_next_year_is_accepted() {
    let max = YEAR + 1;
    for (year, ok) in
        [(1799, false), (1800, true), (YEAR, true), (YEAR + 1, true), (YEAR + 2, false), (YEAR + 3, false), (-5, false)]
    {
        let expected = if ok { vec![] } else { vec![("started", ProblemKind::YearOutOfRange { year, max })] };
        let (dataset, _) = check_one(&rec(&format!(r#""started": {year}"#)), true, &expected);
        assert_eq!(only(&dataset).started, ok.then_some(year as i32), "{year}");
    }
    // Replicas' years follow the same rule.
    let (dataset, _) = check_one(
        &rec(r#""replicas": [{"department": "35", "started": 1799}, {"department": "29", "started": 2020}]"#),
        true,
        &[("replicas[0].started", ProblemKind::YearOutOfRange { year: 1799, max })],
    );
    let starts: Vec<Option<i32>> = only(&dataset).replicas.iter().map(|r| r.started).collect();
    assert_eq!(starts, [None, Some(2020)]);
}

#[test]
fn negative_sites_are_dropped() {
    let (dataset, _) = check_one(&rec(r#""sites": -3"#), true, &[("sites", ProblemKind::NegativeSites(-3))]);
    assert_eq!(only(&dataset).sites, None);
    for (sites, value) in [("0", Some(0)), ("124", Some(124))] {
        let (dataset, _) = check_one(&rec(&format!(r#""sites": {sites}"#)), true, &[]);
        assert_eq!(only(&dataset).sites, value);
    }
    check_one(&rec(r#""sites": 2.5"#), true, &[("sites", ProblemKind::WrongType { expected: "integer" })]);
}

#[test]
fn numbers_written_as_strings_are_dropped_with_a_warning() {
    let (dataset, report) = check_one(
        &rec(r#""started": "2014", "sites": "12", "origin": {"department": "35", "lon": "-1.68", "lat": "48.11"}"#),
        true,
        &[
            ("started", ProblemKind::WrongType { expected: "integer" }),
            ("sites", ProblemKind::WrongType { expected: "integer" }),
            ("origin.lon", ProblemKind::CoordinatesNotNumbers),
        ],
    );
    let inno = only(&dataset);
    assert_eq!((inno.started, inno.sites, inno.origin.point), (None, None, None));
    assert!(report.problems.iter().all(|p| p.kind.severity() == Severity::Warning));
}

#[test]
fn a_name_over_200_characters_is_cut_with_a_warning() {
    // « é » is 2 bytes: 200 of them are 400 bytes but exactly 200 characters, which is allowed.
    let at_limit = "é".repeat(200);
    let (dataset, _) = check_one(&rec("").replace("\"X\"", &format!("\"{at_limit}\"")), true, &[]);
    assert_eq!(only(&dataset).name, at_limit);

    let over = format!("{}ÿ", "é".repeat(200));
    let (dataset, report) = check_one(
        &rec("").replace("\"X\"", &format!("\"{over}\"")),
        true,
        &[("name", ProblemKind::TextTooLong { max: 200, len: 201 })],
    );
    assert_eq!(only(&dataset).name, at_limit);
    assert_eq!(report.problems[0].kind.severity(), Severity::Warning);
}

#[test]
fn a_summary_over_2000_characters_is_cut_with_a_warning() {
    let at_limit = "œ".repeat(2000);
    let (dataset, _) = check_one(&rec(&format!(r#""summary": "{at_limit}""#)), true, &[]);
    assert_eq!(only(&dataset).summary.as_deref(), Some(at_limit.as_str()));

    let (dataset, _) = check_one(
        &rec(&format!(r#""summary": "{at_limit}àé""#)),
        true,
        &[("summary", ProblemKind::TextTooLong { max: 2000, len: 2002 })],
    );
    assert_eq!(only(&dataset).summary.as_deref(), Some(at_limit.as_str()));
    assert_eq!(only(&dataset).summary.as_ref().unwrap().chars().count(), 2000);
}

#[test]
fn an_unknown_field_is_reported_once_for_the_whole_dataset() {
    check(
        &doc(&[
            r#"{"id": "a", "name": "A", "porteur": "x", "budget": 1, "origin": {"altitude": 3}}"#,
            r#"{"id": "b", "name": "B", "porteur": "y", "origin": {"altitude": 4}}"#,
            r#"{"id": "c", "name": "C", "budget": 2, "replicas": [{"department": "35", "nom": "a"}, {"department": "29", "nom": "b"}]}"#,
            r#"{"id": "d", "name": "D", "replicas": [{"department": "56", "nom": "c"}]}"#,
        ]),
        &["a", "b", "c", "d"],
        &[
            (Some(0), "porteur", ProblemKind::UnknownField("porteur".into())),
            (Some(0), "budget", ProblemKind::UnknownField("budget".into())),
            (Some(0), "origin.altitude", ProblemKind::UnknownField("altitude".into())),
            (Some(2), "replicas[0].nom", ProblemKind::UnknownField("nom".into())),
        ],
    );
    // Document-level unknown fields too; `$schema` (for editors) is known.
    check(
        r#"{"$schema": "https://example.fr/s.json", "editeur": "x", "innovations": []}"#,
        &[],
        &[(None, "editeur", ProblemKind::UnknownField("editeur".into()))],
    );
}

#[test]
fn a_duplicate_key_in_a_record_is_reported_and_the_last_value_read() {
    let (dataset, _) = check_one(
        r#"{"id": "x", "name": "Premier nom", "themes": ["habitat"], "name": "Dernier nom"}"#,
        true,
        &[("name", ProblemKind::DuplicateKey("name".into()))],
    );
    assert_eq!(only(&dataset).name, "Dernier nom");
    check(
        &format!(r#"{{"title": "A", "title": "B", "innovations": [{}]}}"#, rec("")),
        &["x"],
        &[(None, "title", ProblemKind::DuplicateKey("title".into()))],
    );
}

#[test]
fn vocabularies_can_add_values_and_relabel_built_in_ones() {
    let (dataset, _) = check(
        VOCABULARIES_JSON,
        &["sobriete-numerique", "logement-solidaire"],
        &[
            (None, "vocabularies.themes[3]", ProblemKind::InvalidVocabularyEntry),
            (None, "vocabularies.themes[4]", ProblemKind::InvalidVocabularyEntry),
            (None, "vocabularies.themes[5]", ProblemKind::InvalidVocabularyEntry),
            (None, "vocabularies.themes[6]", ProblemKind::InvalidVocabularyEntry),
            (None, "vocabularies.themes[7]", ProblemKind::InvalidVocabularyEntry),
            (None, "vocabularies.couleurs", ProblemKind::UnknownField("couleurs".into())),
            (None, "vocabularies.carrier_kinds", ProblemKind::WrongType { expected: "array" }),
            (
                Some(1),
                "themes[1]",
                ProblemKind::UnknownVocabulary { vocabulary: "themes", value: "sans-libelle".into() },
            ),
        ],
    );
    let builtin = Vocabularies::builtin();
    let themes = &dataset.vocabularies.themes;
    // Built-in values keep their ids and order; a relabel changes only the label given.
    assert_eq!(themes.len(), builtin.themes.len() + 2);
    for (i, e) in builtin.themes.entries.iter().enumerate() {
        assert_eq!(themes.entries[i].id, e.id);
    }
    let habitat = themes.index_of("habitat").unwrap();
    assert_eq!(habitat, builtin.themes.index_of("habitat").unwrap());
    assert_eq!(themes.label(habitat, Locale::Fr), "Logement");
    assert_eq!(themes.label(habitat, Locale::En), "Housing", "the English label was not given: kept");
    // New values come after the built-in ones and are usable by records.
    let added = themes.index_of("numerique-responsable").unwrap();
    assert_eq!(added as usize, builtin.themes.len());
    assert_eq!(themes.label(added, Locale::En), "Responsible digital");
    let sport = themes.index_of("sport").unwrap();
    assert_eq!((themes.label(sport, Locale::Fr), themes.label(sport, Locale::En)), ("Sport", "Sport"));
    let first = &dataset.innovations[0];
    assert_eq!(first.themes, [added, habitat, sport]);
    // A new stage is the most advanced one.
    let perennisation = dataset.vocabularies.stages.index_of("perennisation").unwrap();
    assert_eq!(perennisation as usize, builtin.stages.len());
    assert_eq!(first.stage, Some(perennisation));
    assert_eq!(dataset.vocabularies.carrier_kinds, builtin.carrier_kinds);
}

#[test]
fn stages_strategies_and_public_roles_have_definitions_a_dataset_can_override() {
    let builtin = Vocabularies::builtin();
    // Every stage, strategy and public role has a definition in both languages; themes and carriers need none.
    for vocab in [&builtin.stages, &builtin.scaling_strategies, &builtin.public_support] {
        for e in &vocab.entries {
            assert!(!e.definition.fr.is_empty() && !e.definition.en.is_empty(), "{}", e.id);
            assert!(e.definition.fr.chars().count() <= 300 && e.definition.en.chars().count() <= 300, "{}", e.id);
        }
    }
    assert!(builtin.themes.entries.iter().all(|e| e.definition.is_empty()));
    let long = "d".repeat(301);
    let json = format!(
        r#"{{"vocabularies": {{"stages": [
            {{"id": "amorcage", "definition": {{"fr": "Les tout premiers pas."}}}},
            {{"id": "perennisation", "label": "Pérennisation", "definition": "Le projet dure."}},
            {{"id": "sans-libelle", "definition": "Une définition seule ne crée pas de valeur."}},
            {{"id": "consolidation", "definition": {{"en": "{long}"}}}}
        ]}}, "innovations": [{}]}}"#,
        rec("")
    );
    let (dataset, _) = check(
        &json,
        &["x"],
        &[
            (None, "vocabularies.stages[2]", ProblemKind::InvalidVocabularyEntry),
            (None, "vocabularies.stages[3].definition.en", ProblemKind::TextTooLong { max: 300, len: 301 }),
        ],
    );
    let stages = &dataset.vocabularies.stages;
    let amorcage = stages.index_of("amorcage").unwrap();
    assert_eq!(stages.definition(amorcage, Locale::Fr), "Les tout premiers pas.");
    assert_eq!(
        stages.definition(amorcage, Locale::En),
        builtin.stages.definition(amorcage, Locale::En),
        "the English definition was not given: kept"
    );
    assert_eq!(stages.label(amorcage, Locale::Fr), "Amorçage", "a definition alone keeps the label");
    let added = stages.index_of("perennisation").unwrap();
    assert_eq!(stages.definition(added, Locale::En), "Le projet dure.");
    assert_eq!(stages.index_of("sans-libelle"), None);
    let consolidation = stages.index_of("consolidation").unwrap();
    assert_eq!(stages.definition(consolidation, Locale::En).chars().count(), 300);
}

#[test]
fn vocabularies_that_are_not_an_object_are_reported() {
    check(
        r#"{"vocabularies": [], "innovations": []}"#,
        &[],
        &[(None, "vocabularies", ProblemKind::WrongType { expected: "object" })],
    );
}

#[test]
fn the_language_of_the_texts_is_read_and_marked_where_the_interface_speaks_another() {
    // Absent: French, marked in an English interface only.
    let (dataset, _) = check(r#"{"innovations": []}"#, &[], &[]);
    assert_eq!(dataset.meta.lang, None);
    assert_eq!(dataset.meta.text_lang(Locale::Fr), None);
    assert_eq!(dataset.meta.text_lang(Locale::En), Some("fr"));
    for (given, lang) in [("en", Locale::En), ("EN-gb", Locale::En), ("fr_FR", Locale::Fr)] {
        let (dataset, _) = check(&format!(r#"{{"lang": "{given}", "innovations": []}}"#), &[], &[]);
        assert_eq!(dataset.meta.lang, Some(lang), "{given}");
    }
    let (dataset, _) = check(r#"{"lang": "en", "innovations": []}"#, &[], &[]);
    assert_eq!((dataset.meta.text_lang(Locale::Fr), dataset.meta.text_lang(Locale::En)), (Some("en"), None));
    // Another language, or another type: ignored with a warning, the texts taken as French.
    let (dataset, _) = check(
        r#"{"lang": "breton", "innovations": []}"#,
        &[],
        &[(None, "lang", ProblemKind::InvalidLanguage("breton".into()))],
    );
    assert_eq!(dataset.meta.lang, None);
    check(r#"{"lang": 3, "innovations": []}"#, &[], &[(None, "lang", ProblemKind::WrongType { expected: "string" })]);
}

#[test]
fn document_metadata_is_read_and_checked() {
    let (dataset, _) = check(
        r#"{"title": "Titre", "description": "Desc", "updated": "2026-11-27", "license": "Licence Ouverte 2.0",
            "source": {"name": "Avise", "url": "https://www.avise.org"}, "innovations": []}"#,
        &[],
        &[],
    );
    assert_eq!(
        dataset.meta,
        Meta {
            title: Some("Titre".into()),
            lang: None,
            description: Some("Desc".into()),
            updated: Some("2026-11-27".into()),
            license: Some("Licence Ouverte 2.0".into()),
            source: Some(essaimage::model::SourceRef {
                name: "Avise".into(),
                url: Some("https://www.avise.org".into())
            }),
            noun: Default::default(),
        }
    );
    let (dataset, _) = check(
        r#"{"title": 3, "updated": "27/11/2026", "source": {"name": "X", "url": "javascript:alert(1)"}, "innovations": []}"#,
        &[],
        &[
            (None, "title", ProblemKind::WrongType { expected: "string" }),
            (None, "updated", ProblemKind::InvalidDate("27/11/2026".into())),
            (None, "source.url", ProblemKind::UnsafeUrl("javascript:alert(1)".into())),
        ],
    );
    assert_eq!((dataset.meta.title, dataset.meta.updated), (None, None));
    assert_eq!(dataset.meta.source.unwrap().url, None);
}

#[test]
fn every_valid_record_of_a_mixed_file_is_kept() {
    let (dataset, report) = check(
        MIXED_JSON,
        &["ok-1", "ok-2", "ok-3", "ok-4"],
        &[
            (Some(1), "id", ProblemKind::MissingId),
            (Some(2), "id", ProblemKind::InvalidId("Mauvais_Id".into())),
            (Some(3), "name", ProblemKind::MissingName),
            (
                Some(4),
                "themes[1]",
                ProblemKind::UnknownVocabulary { vocabulary: "themes", value: "theme-inconnu".into() },
            ),
            (Some(5), "", ProblemKind::RecordNotObject),
            (Some(6), "id", ProblemKind::DuplicateId { first_index: 0 }),
            (Some(7), "url", ProblemKind::UnsafeUrl("javascript:alert(1)".into())),
            (Some(8), "name", ProblemKind::InvalidName),
            (Some(9), "started", ProblemKind::WrongType { expected: "integer" }),
            (Some(9), "sites", ProblemKind::NegativeSites(-2)),
        ],
    );
    assert_eq!((report.records_in_file, report.records_kept, report.rejected(), report.warnings()), (10, 4, 6, 4));
    let file_indices: Vec<usize> = dataset.innovations.iter().map(|i| i.file_index).collect();
    assert_eq!(file_indices, [0, 4, 7, 9], "records remember their position in the file");
    assert_eq!(dataset.innovations[0].name, "Première fiche valide");
    assert_eq!(
        report.summary(Locale::Fr),
        "Essaimage : 10 fiche(s) lue(s), 4 gardée(s), 6 rejetée(s), 4 avertissement(s)."
    );
    assert_eq!(report.summary(Locale::En), "Essaimage: 10 record(s) read, 4 kept, 6 rejected, 4 warning(s).");
    assert!(!report.is_clean());
}

#[test]
fn a_problem_is_described_with_record_number_id_and_field_in_both_languages() {
    let (_, report) = load(MIXED_JSON);
    let find = |index: usize| report.problems.iter().find(|p| p.index == Some(index)).unwrap();

    let invalid_id = find(2);
    let fr = invalid_id.describe(Locale::Fr);
    assert!(fr.starts_with("fiche n° 3 (Mauvais_Id), « id » — fiche rejetée : "), "{fr}");
    assert!(fr.contains("a-z"), "says how to fix it: {fr}");
    let en = invalid_id.describe(Locale::En);
    assert!(en.starts_with("record #3 (Mauvais_Id), \"id\" — record rejected: "), "{en}");

    let warning = find(4);
    let fr = warning.describe(Locale::Fr);
    assert!(fr.starts_with("fiche n° 5 (ok-2), « themes[1] » — avertissement : "), "{fr}");
    assert!(fr.contains("theme-inconnu") && fr.contains("vocabularies.themes"), "{fr}");
    let en = warning.describe(Locale::En);
    assert!(en.starts_with("record #5 (ok-2), \"themes[1]\" — warning: "), "{en}");

    // No id: only the number; no field: no field part.
    assert!(find(1).describe(Locale::En).starts_with("record #2, \"id\" — record rejected: missing \"id\""));
    assert!(
        find(5).describe(Locale::Fr).starts_with("fiche n° 6 — fiche rejetée : "),
        "{}",
        find(5).describe(Locale::Fr)
    );
    let doc_level =
        Problem { index: None, id: None, field: "updated".into(), kind: ProblemKind::InvalidDate("hier".into()) };
    assert!(doc_level.describe(Locale::En).starts_with("document, \"updated\" — warning: "));
}

#[test]
fn every_problem_kind_has_a_message_in_both_languages() {
    let kinds = [
        ProblemKind::RecordNotObject,
        ProblemKind::MissingId,
        ProblemKind::InvalidId("X".into()),
        ProblemKind::MissingName,
        ProblemKind::InvalidName,
        ProblemKind::DuplicateId { first_index: 4 },
        ProblemKind::WrongType { expected: "integer" },
        ProblemKind::UnknownVocabulary { vocabulary: "themes", value: "v".into() },
        ProblemKind::CoordinatesOutside { lon: -20.0, lat: 45.0 },
        ProblemKind::CoordinatesNotNumbers,
        ProblemKind::UnsafeUrl("javascript:x".into()),
        ProblemKind::YearOutOfRange { year: 1700, max: 2027 },
        ProblemKind::NegativeSites(-1),
        ProblemKind::TextTooLong { max: 200, len: 250 },
        ProblemKind::UnknownField("f".into()),
        ProblemKind::DuplicateKey("k".into()),
        ProblemKind::UnknownDepartment("99".into()),
        ProblemKind::UnknownRegion("99".into()),
        ProblemKind::UnknownCommune("99999".into()),
        ProblemKind::DepartmentMismatch { given: "13".into(), found: "75".into() },
        ProblemKind::RegionMismatch { given: "93".into(), found: "11".into() },
        ProblemKind::CommuneTableUnavailable("HTTP 404".into()),
        ProblemKind::InvalidDate("x".into()),
        ProblemKind::InvalidLanguage("de".into()),
        ProblemKind::InvalidVocabularyEntry,
    ];
    for kind in kinds {
        let (fr, en) = (kind.message(Locale::Fr), kind.message(Locale::En));
        assert!(!fr.is_empty() && !en.is_empty(), "{kind:?}");
        assert_ne!(fr, en, "{kind:?} is translated");
    }
    // Values quoted from the dataset are clipped, so a 100,000-character id cannot flood the report.
    let long = ProblemKind::InvalidId("z".repeat(100_000)).message(Locale::En);
    assert!(long.chars().count() < 300, "{} characters", long.chars().count());
}

#[test]
fn every_fatal_error_has_a_title_and_an_explanation_in_both_languages() {
    let errors = [
        LoadError::Http { url: URL.into(), status: 404 },
        LoadError::Http { url: URL.into(), status: 500 },
        LoadError::Network { url: URL.into(), detail: "TypeError".into() },
        LoadError::NotJson {
            url: URL.into(),
            line: 12,
            column: 7,
            detail: "expected value".into(),
            looks_like_html: false,
        },
        LoadError::WrongShape { url: URL.into(), shape: Shape::NoInnovations },
        LoadError::WrongShape { url: URL.into(), shape: Shape::InnovationsNotArray },
        LoadError::WrongShape { url: URL.into(), shape: Shape::NotObject },
        LoadError::UnsupportedSchema { url: URL.into(), found: "essaimage/2".into() },
        LoadError::TooLarge { url: URL.into(), bytes: Some(60_000_000), limit: 50_000_000 },
        LoadError::NoDataset,
        LoadError::BaseData { url: URL.into(), detail: "404".into() },
    ];
    for e in &errors {
        let (fr_title, fr) = e.message(Locale::Fr);
        let (en_title, en) = e.message(Locale::En);
        assert!(!fr_title.is_empty() && !en_title.is_empty() && !fr.is_empty() && !en.is_empty(), "{e:?}");
        assert_ne!(fr, en, "{e:?}");
    }
    let (_, fr) = errors[3].message(Locale::Fr);
    assert!(fr.contains("ligne 12, colonne 7"), "{fr}");
    let (_, en) = errors[3].message(Locale::En);
    assert!(en.contains("line 12, column 7") && en.contains(URL), "{en}");
    let (title, _) = errors[0].message(Locale::En);
    assert!(title.contains("404"), "{title}");
}

// ---------------------------------------------------------------------------------------------------------
// 2. Territories and place resolution (real reference data)
// ---------------------------------------------------------------------------------------------------------

/// Resolves one place; returns it with the problems reported.
fn resolve(place: Place, communes: Option<&CommuneIndex>) -> (Place, Vec<(String, ProblemKind)>) {
    let mut place = place;
    let mut problems = Vec::new();
    territory::resolve_place(&mut place, territories(), communes, "origin", &mut problems);
    (place, problems)
}

fn at(lon: f64, lat: f64) -> Place {
    Place { point: Some(LonLat { lon, lat }), ..Place::default() }
}

fn dep_of(code: &str) -> Place {
    Place { department: Some(code.into()), ..Place::default() }
}

fn located(place: &Place) -> (Option<&str>, Option<&str>, Precision) {
    (place.department.as_deref(), place.region.as_deref(), place.precision)
}

#[test]
fn the_reference_data_has_101_departments_in_18_regions() {
    let t = territories();
    assert_eq!((t.departments.len(), t.regions.len()), (101, 18));
    let geo = json::parse(DEPARTMENTS_GEOJSON).unwrap();
    for f in geo.get("features").and_then(Json::as_array).unwrap() {
        let p = |k: &str| f.get("properties").and_then(|p| p.get(k)).and_then(Json::as_str).unwrap();
        let d = &t.departments[t.department_index(p("code")).unwrap()];
        assert_eq!(d.name, p("nom"));
        assert_eq!(t.regions[d.region].code, p("region"), "region of {}", d.code);
        assert!(t.regions[d.region].departments.contains(&t.department_index(&d.code).unwrap()));
    }
    let overseas: Vec<&str> = t.regions.iter().filter(|r| r.is_overseas()).map(|r| r.code.as_str()).collect();
    assert_eq!(overseas, ["01", "02", "03", "04", "06"]);
}

#[test]
fn departments_are_in_insee_order_with_corsica_after_19() {
    let codes: Vec<&str> = territories().departments.iter().map(|d| d.code.as_str()).collect();
    let at = |c: &str| codes.iter().position(|x| *x == c).unwrap();
    assert_eq!(&codes[..3], ["01", "02", "03"]);
    assert_eq!(&codes[at("19")..at("19") + 4], ["19", "2A", "2B", "21"]);
    assert_eq!(&codes[codes.len() - 5..], ["971", "972", "973", "974", "976"]);
}

#[test]
fn region_names_match_the_regions_geojson() {
    let geo = json::parse(REGIONS_GEOJSON).unwrap();
    let from_file: BTreeMap<String, String> = geo
        .get("features")
        .and_then(Json::as_array)
        .unwrap()
        .iter()
        .map(|f| {
            let p = |k: &str| f.get("properties").and_then(|p| p.get(k)).and_then(Json::as_str).unwrap().to_owned();
            (p("code"), p("nom"))
        })
        .collect();
    let from_code: BTreeMap<String, String> = REGIONS.iter().map(|(c, n)| ((*c).to_owned(), (*n).to_owned())).collect();
    assert_eq!(from_code, from_file);
    for r in &territories().regions {
        assert_eq!(from_file[&r.code], r.name);
    }
}

#[test]
fn points_are_located_in_their_department_and_region() {
    for (city, lon, lat, dep, reg) in [
        ("Paris", 2.3522, 48.8566, "75", "11"),
        ("Brest", -4.4861, 48.3904, "29", "53"),
        ("Strasbourg", 7.7521, 48.5734, "67", "44"),
        ("Ajaccio", 8.7369, 41.9192, "2A", "94"),
        ("Bastia", 9.4509, 42.6970, "2B", "94"),
        ("Cayenne", -52.3260, 4.9224, "973", "03"),
        ("Saint-Denis (La Réunion)", 55.4504, -20.8821, "974", "04"),
        ("Pointe-à-Pitre", -61.5331, 16.2411, "971", "01"),
        ("Fort-de-France", -61.0588, 14.6161, "972", "02"),
        ("Mamoudzou", 45.2279, -12.7806, "976", "06"),
        ("Marseille", 5.3698, 43.2965, "13", "93"),
        ("Lille", 3.0573, 50.6292, "59", "32"),
    ] {
        let (place, problems) = resolve(at(lon, lat), None);
        assert_eq!(located(&place), (Some(dep), Some(reg), Precision::Point), "{city}");
        assert_eq!(place.point, Some(LonLat { lon, lat }), "{city}: the given point is kept");
        assert!(problems.is_empty(), "{city}: {problems:?}");
    }
}

#[test]
fn a_point_in_the_sea_is_reported_and_falls_back_to_the_commune_or_department() {
    let atlantic = || at(-20.0, 45.0);
    let (place, problems) = resolve(atlantic(), None);
    assert_eq!(problems, [("origin".to_owned(), ProblemKind::CoordinatesOutside { lon: -20.0, lat: 45.0 })]);
    assert_eq!((place.point, place.precision), (None, Precision::None));

    let brest = communes().get("29019").unwrap().point;
    let (place, problems) = resolve(Place { commune_insee: Some("29019".into()), ..atlantic() }, Some(communes()));
    assert_eq!(problems.len(), 1);
    assert_eq!(located(&place), (Some("29"), Some("53"), Precision::Commune));
    assert_eq!(place.point, brest);

    let (place, problems) = resolve(Place { department: Some("35".into()), ..atlantic() }, None);
    assert_eq!(problems.len(), 1);
    assert_eq!(located(&place), (Some("35"), Some("53"), Precision::Department));
    let t = territories();
    assert_eq!(place.point, Some(t.departments[t.department_index("35").unwrap()].centre));
}

#[test]
fn a_department_that_disagrees_with_the_point_is_reported_and_the_point_wins() {
    let (place, problems) = resolve(Place { department: Some("13".into()), ..at(2.3522, 48.8566) }, None);
    assert_eq!(
        problems,
        [("origin.department".to_owned(), ProblemKind::DepartmentMismatch { given: "13".into(), found: "75".into() })]
    );
    assert_eq!(located(&place), (Some("75"), Some("11"), Precision::Point));

    let (place, problems) = resolve(Place { region: Some("93".into()), ..at(2.3522, 48.8566) }, None);
    assert_eq!(
        problems,
        [("origin.region".to_owned(), ProblemKind::RegionMismatch { given: "93".into(), found: "11".into() })]
    );
    assert_eq!(place.region.as_deref(), Some("11"));

    // Agreeing data is silent, and department codes are normalised ("1" → "01", "2a" → "2A").
    for (lon, lat, dep) in [(5.2255, 46.2052, "1"), (8.7369, 41.9192, "2a"), (8.7369, 41.9192, " 2A ")] {
        let (place, problems) = resolve(Place { department: Some(dep.into()), ..at(lon, lat) }, None);
        assert!(problems.is_empty(), "{dep}: {problems:?}");
        assert_eq!(place.precision, Precision::Point);
    }
}

#[test]
fn a_commune_code_alone_is_placed_at_the_commune() {
    let rennes = communes().get("35238").expect("Rennes is in the table");
    assert_eq!(rennes.name, "Rennes");
    let (place, problems) =
        resolve(Place { commune_insee: Some("35238".into()), ..Place::default() }, Some(communes()));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(located(&place), (Some("35"), Some("53"), Precision::Commune));
    assert_eq!(place.point, rennes.point);
    assert_eq!(place.commune.as_deref(), Some("Rennes"), "the name comes from the table");
    assert_eq!(place.commune_key().as_deref(), Some("35238"));

    // A name given by the dataset is kept.
    let (place, _) = resolve(
        Place { commune: Some("Rennes (centre)".into()), commune_insee: Some("35238".into()), ..Place::default() },
        Some(communes()),
    );
    assert_eq!(place.commune.as_deref(), Some("Rennes (centre)"));

    // Corsica and overseas codes.
    for (code, dep, reg) in [("2A004", "2A", "94"), ("97302", "973", "03"), ("97411", "974", "04")] {
        let (place, problems) =
            resolve(Place { commune_insee: Some(code.into()), ..Place::default() }, Some(communes()));
        assert!(problems.is_empty(), "{code}: {problems:?}");
        assert_eq!(located(&place), (Some(dep), Some(reg), Precision::Commune), "{code}");
        assert_eq!(
            territories().locate(place.point.unwrap()).map(|d| territories().departments[d].code.as_str()),
            Some(dep)
        );
    }
}

#[test]
fn an_unknown_commune_code_is_reported() {
    let (place, problems) =
        resolve(Place { commune_insee: Some("35999".into()), ..Place::default() }, Some(communes()));
    assert_eq!(problems, [("origin.commune_insee".to_owned(), ProblemKind::UnknownCommune("35999".into()))]);
    assert_eq!((place.point, place.precision), (None, Precision::None));

    // With a department as well, the place falls back to the department.
    let (place, problems) = resolve(
        Place { commune_insee: Some("35999".into()), department: Some("35".into()), ..Place::default() },
        Some(communes()),
    );
    assert_eq!(problems.len(), 1);
    assert_eq!(located(&place), (Some("35"), Some("53"), Precision::Department));

    // Codes that cannot be INSEE codes are reported at validation.
    check_one(
        &rec(r#""origin": {"commune_insee": "3523"}"#),
        true,
        &[("origin.commune_insee", ProblemKind::UnknownCommune("3523".into()))],
    );
    check_one(
        &rec(r#""origin": {"commune_insee": "35 38"}"#),
        true,
        &[("origin.commune_insee", ProblemKind::UnknownCommune("35 38".into()))],
    );
    let (dataset, _) = check_one(&rec(r#""origin": {"commune_insee": " 2a004 "}"#), true, &[]);
    assert_eq!(only(&dataset).origin.commune_insee.as_deref(), Some("2A004"), "trimmed and upper-cased");
}

#[test]
fn the_commune_table_prefers_current_communes_then_arrondissements_then_former_codes() {
    let c = communes();
    assert!(c.len() > 34_969, "every current commune and more: {}", c.len());
    assert_eq!(c.get("01033").unwrap().name, "Valserhône", "the COM beats its commune déléguée");
    assert_eq!(c.get("75056").unwrap().name, "Paris");
    assert_eq!(c.get("75119").unwrap().name, "Paris 19e Arrondissement");
    assert_eq!(c.get("29096").unwrap().name, "Brest", "a former code leads to today's commune");
    assert_eq!(c.get("01340").unwrap().name, "Saint-Bois", "a commune déléguée beats a former code");
    assert_eq!(c.get("97502").unwrap().point, None, "collectivities off the map have no point");
    assert!(c.get("99999").is_none());
    assert!(CommuneIndex::from_csv("").is_err());
    assert!(CommuneIndex::from_csv("code,nom\n35238,Rennes").is_err(), "missing columns are an error");
}

#[test]
fn without_the_commune_table_a_commune_code_falls_back_to_its_department_once_reported() {
    let (place, problems) = resolve(Place { commune_insee: Some("35238".into()), ..Place::default() }, None);
    assert!(problems.is_empty());
    assert_eq!(located(&place), (Some("35"), Some("53"), Precision::Department));
    let t = territories();
    assert_eq!(place.point, Some(t.departments[t.department_index("35").unwrap()].centre));

    let json = doc(&[
        rec(r#""origin": {"commune_insee": "35238"}"#).replace("\"x\"", "\"a\""),
        rec(r#""origin": {"commune_insee": "29019"}, "replicas": [{"commune_insee": "2A004"}]"#)
            .replace("\"x\"", "\"b\""),
    ]);
    let (dataset, report) = load(&json);
    assert!(territory::dataset_needs_communes(&dataset));
    let ex = build_loaded(dataset, report, t.clone(), Err("HTTP 404"));
    assert_eq!(
        ex.report.problems,
        [Problem {
            index: None,
            id: None,
            field: String::new(),
            kind: ProblemKind::CommuneTableUnavailable("HTTP 404".into())
        }]
    );
    let innos = &ex.index.dataset.innovations;
    assert_eq!(located(&innos[0].origin), (Some("35"), Some("53"), Precision::Department));
    assert_eq!(located(&innos[1].replicas[0]), (Some("2A"), Some("94"), Precision::Department));

    // When no place needs the table, its absence is not a problem.
    let (dataset, report) = load(&doc(&[rec(r#""origin": {"department": "35"}"#)]));
    assert!(!territory::dataset_needs_communes(&dataset));
    let ex = build_loaded(dataset, report, t.clone(), Err("HTTP 404"));
    assert!(ex.report.is_clean(), "{:?}", ex.report);
}

#[test]
fn places_resolved_a_slice_at_a_time_give_the_dataset_and_report_of_the_whole_resolution() {
    let json = doc(&[
        rec(r#""origin": {"commune_insee": "35238"}"#).replace("\"x\"", "\"a\""),
        rec(r#""origin": {"commune_insee": "29019", "department": "35"}"#).replace("\"x\"", "\"b\""),
        rec(r#""origin": {"department": "35"}, "replicas": [{"commune_insee": "2A004"}, {}]"#)
            .replace("\"x\"", "\"c\""),
        rec(r#""origin": {"region": "99"}"#).replace("\"x\"", "\"d\""),
        rec(r#""origin": {"commune": "Brest", "department": "29"}"#).replace("\"x\"", "\"e\""),
    ]);
    let t = territories();
    for table in [Ok(communes()), Err("HTTP 404")] {
        let (mut whole, mut whole_report) = load(&json);
        territory::resolve_dataset(&mut whole, t, table, &mut whole_report);
        assert!(whole_report.problems.iter().any(|p| p.index.is_some()), "problems of records: {whole_report:?}");
        for size in [1, 2, 3, 5, 7] {
            let (mut sliced, mut report) = load(&json);
            for start in (0..sliced.innovations.len()).step_by(size) {
                territory::resolve_records(&mut sliced, start..start + size, t, table, &mut report);
            }
            assert_eq!(sliced, whole, "slices of {size}");
            assert_eq!(report, whole_report, "slices of {size}");
        }
    }
}

#[test]
fn every_department_centre_lies_in_its_own_department() {
    let t = territories();
    assert_eq!(t.departments.len(), 101);
    for (i, d) in t.departments.iter().enumerate() {
        assert_eq!(t.locate(d.centre), Some(i), "centre of {} ({}) at {:?}", d.code, d.name, d.centre);
        let (place, problems) = resolve(dep_of(&d.code), None);
        assert!(problems.is_empty(), "{}: {problems:?}", d.code);
        assert_eq!(place.precision, Precision::Department);
        assert_eq!(place.point, Some(d.centre));
        assert_eq!(place.region.as_deref(), Some(t.regions[d.region].code.as_str()));
    }
}

#[test]
fn a_region_alone_is_placed_at_a_point_of_that_region() {
    let t = territories();
    for r in &t.regions {
        let (place, problems) = resolve(Place { region: Some(r.code.clone()), ..Place::default() }, None);
        assert!(problems.is_empty(), "{}: {problems:?}", r.code);
        assert_eq!(located(&place), (None, Some(r.code.as_str()), Precision::Region));
        let d = t.locate(place.point.unwrap()).expect("the region's point is on the map");
        assert_eq!(t.regions[t.departments[d].region].code, r.code);
    }
}

#[test]
fn unknown_department_and_region_codes_are_reported() {
    let (place, problems) =
        resolve(Place { department: Some("99".into()), region: Some("42".into()), ..Place::default() }, None);
    assert_eq!(
        problems,
        [
            ("origin.department".to_owned(), ProblemKind::UnknownDepartment("99".into())),
            ("origin.region".to_owned(), ProblemKind::UnknownRegion("42".into())),
        ]
    );
    assert_eq!(located(&place), (None, None, Precision::None));
}

#[test]
fn a_place_with_nothing_is_not_located_but_the_record_is_listed() {
    let (place, problems) = resolve(Place::default(), Some(communes()));
    assert!(problems.is_empty());
    assert_eq!((place.point, place.precision), (None, Precision::None));

    let ex = explorer(&doc(&[rec("")]));
    assert!(ex.report.is_clean());
    let results = ex.index.apply(&Filter::default());
    assert_eq!(results.ids, [0], "listed and counted");
    assert_eq!(results.counts.regions.iter().sum::<usize>(), 0, "in no region");
    assert_eq!(ex.index.dataset.innovations[0].origin.precision, Precision::None);
}

#[test]
fn the_demo_dataset_resolves_cleanly_and_every_record_is_located() {
    let ex = demo();
    assert_eq!((ex.report.records_in_file, ex.report.records_kept), (65, 65));
    assert!(ex.report.is_clean(), "{:#?}", ex.report.problems);
    let t = &ex.index.territories;
    for inno in &ex.index.dataset.innovations {
        let o = &inno.origin;
        assert_eq!(o.precision, Precision::Point, "{}", inno.id);
        let d = t.locate(o.point.unwrap()).unwrap();
        assert_eq!(o.department.as_deref(), Some(t.departments[d].code.as_str()), "{}", inno.id);
    }
    // The territory filter counts an innovation once in each region where it started or was replicated: the origins
    // by region of innovations-demo.README.md, plus the regions of the replicas its « Replicas » table lists.
    let counts = ex.index.apply(&Filter::default()).counts;
    let per_region: BTreeMap<&str, usize> =
        t.regions.iter().zip(&counts.regions).map(|(r, &n)| (r.code.as_str(), n)).collect();
    let expected: BTreeMap<&str, usize> = [
        ("11", 18),
        ("84", 12),
        ("32", 9),
        ("93", 10),
        ("44", 7),
        ("27", 4),
        ("52", 7),
        ("53", 4),
        ("75", 10),
        ("76", 3),
        ("01", 1),
        ("02", 1),
        ("04", 1),
        ("28", 1),
        ("94", 1),
        ("24", 3),
        ("03", 0),
        ("06", 0),
    ]
    .into_iter()
    .collect();
    assert_eq!(per_region, expected);
    assert!(!problem_kinds(&ex.report).iter().any(|k| matches!(
        k,
        ProblemKind::DepartmentMismatch { .. }
            | ProblemKind::RegionMismatch { .. }
            | ProblemKind::CoordinatesOutside { .. }
    )));
}

#[test]
fn demo_communes_codes_and_points_agree_with_the_commune_table() {
    // Each demo origin gives a commune code and a point: both must lead to the same department.
    let ex = demo();
    for inno in &ex.index.dataset.innovations {
        let code = inno.origin.commune_insee.as_deref().unwrap();
        let c = communes().get(code).unwrap_or_else(|| panic!("{}: {code} not in the table", inno.id));
        assert_eq!(Some(c.department.as_str()), inno.origin.department.as_deref(), "{}", inno.id);
    }
}

#[test]
fn replica_problems_name_the_replica_as_written_in_the_file() {
    // The first replica has nothing usable and is left out; the problem of the second one must still say
    // `replicas[1]`, its position in the file.
    let ex = explorer(&doc(&[rec(r#""replicas": [{"lon": "x", "lat": "y"}, {"department": "99"}]"#)]));
    let fields: Vec<&str> = ex.report.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["replicas[0].lon", "replicas[1].department"]);
    let replicas = &ex.index.dataset.innovations[0].replicas;
    assert_eq!(replicas.len(), 1, "the blank replica is dropped, the other one kept (not located)");
    assert_eq!(replicas[0].precision, Precision::None);
}

#[test]
fn commune_code_helpers() {
    assert_eq!(territory::department_of_commune_code("35238"), Some("35"));
    assert_eq!(territory::department_of_commune_code("2A004"), Some("2A"));
    assert_eq!(territory::department_of_commune_code("97411"), Some("974"));
    for bad in ["", "3523", "352380", "é5238"] {
        assert_eq!(territory::department_of_commune_code(bad), None, "{bad}");
    }
    assert_eq!(territory::normalize_department("1"), "01");
    assert_eq!(territory::normalize_department(" 2b"), "2B");
    assert_eq!(territory::normalize_department("974"), "974");
}

// ---------------------------------------------------------------------------------------------------------
// 3. Filter engine
// ---------------------------------------------------------------------------------------------------------

/// The values of facet `f` a record has.
fn record_values(inno: &Innovation, f: Facet) -> Vec<ValueIdx> {
    match f {
        Facet::Themes => inno.themes.clone(),
        Facet::Stages => inno.stage.into_iter().collect(),
        Facet::Strategies => inno.scaling_strategies.clone(),
        Facet::Support => inno.public_support.clone(),
    }
}

/// Which constraints of `filter` a record meets: `[themes, stages, strategies, support, territory, text]`.
fn constraints_met(index: &Index, inno: &Innovation, filter: &Filter, words: &[String]) -> [bool; 6] {
    let vocabs = &index.dataset.vocabularies;
    let mut met = [true; 6];
    for f in Facet::ALL {
        let wanted = filter.facet(f);
        if !wanted.is_empty() {
            let vocab = vocabs.get(f.vocab());
            let values = record_values(inno, f);
            met[f as usize] = values.iter().any(|&v| wanted.iter().any(|w| w == vocab.id(v)))
                || (values.is_empty() && wanted.iter().any(|w| w == UNSPECIFIED));
        }
    }
    if let Some(sel) = &filter.territory {
        let t = &index.territories;
        met[4] = inno.places().any(|p| match sel {
            TerritorySel::Region(code) => p.region.as_deref() == Some(code.as_str()) && t.region_index(code).is_some(),
            TerritorySel::Department(code) => {
                p.department.as_deref() == Some(code.as_str()) && t.department_index(code).is_some()
            }
            TerritorySel::Commune(key) => p.department.is_some() && p.commune_key().as_deref() == Some(key.as_str()),
            TerritorySel::Around(a) => place_km(p, a).is_some_and(|d| d <= f64::from(a.km)),
        });
    }
    if !words.is_empty() {
        let mut fields = vec![text::fold(&inno.name)];
        fields.extend(inno.summary.as_deref().map(text::fold));
        fields.extend(inno.places().filter_map(|p| p.commune.as_deref()).map(text::fold));
        met[5] = words.iter().all(|w| fields.iter().any(|f| f.contains(w.as_str())));
    }
    met
}

/// What `apply` must return, computed the slow and obvious way: the matching records (as a set) and every
/// count, where a value's count is the number of records meeting every *other* constraint that have the value.
fn naive(index: &Index, filter: &Filter) -> (BTreeSet<u32>, Counts) {
    let vocabs = &index.dataset.vocabularies;
    let t = &index.territories;
    let mut counts = Counts {
        // Each value, then the records without a value.
        values: Facet::ALL.map(|f| vec![0; vocabs.get(f.vocab()).len() + 1]),
        regions: vec![0; t.regions.len()],
        departments: vec![0; t.departments.len()],
        communes: vec![0; index.communes.len()],
    };
    let words = text::query_words(&filter.text);
    // Communes are counted in the chosen department (or the chosen commune's) only: the commune select lists them.
    let chosen_department = match &filter.territory {
        Some(TerritorySel::Department(code)) => t.department_index(code),
        Some(TerritorySel::Commune(key)) => index.commune_index(key).map(|c| index.communes[c].department),
        _ => None,
    };
    let mut ids = BTreeSet::new();
    for (i, inno) in index.dataset.innovations.iter().enumerate() {
        let met = constraints_met(index, inno, filter, &words);
        let all_but = |skip: usize| met.iter().enumerate().all(|(j, &m)| j == skip || m);
        if all_but(usize::MAX) {
            ids.insert(i as u32);
        }
        for f in Facet::ALL {
            if all_but(f as usize) {
                let mut values = record_values(inno, f);
                values.sort_unstable();
                values.dedup();
                values.iter().for_each(|&v| counts.values[f as usize][v as usize] += 1);
                if values.is_empty() {
                    *counts.values[f as usize].last_mut().expect("unspecified") += 1;
                }
            }
        }
        if all_but(4) {
            let regions: BTreeSet<usize> = inno.places().filter_map(|p| t.region_index(p.region.as_deref()?)).collect();
            let deps: BTreeSet<usize> =
                inno.places().filter_map(|p| t.department_index(p.department.as_deref()?)).collect();
            let communes: BTreeSet<usize> = inno
                .places()
                .filter(|p| p.department.is_some())
                .filter_map(|p| index.commune_index(&p.commune_key()?))
                .filter(|&c| Some(index.communes[c].department) == chosen_department)
                .collect();
            regions.into_iter().for_each(|r| counts.regions[r] += 1);
            deps.into_iter().for_each(|d| counts.departments[d] += 1);
            communes.into_iter().for_each(|c| counts.communes[c] += 1);
        }
    }
    (ids, counts)
}

/// Checks `apply` against [`naive`]: same records, in the filter's sort order, and the same counts.
fn assert_matches_naive(index: &Index, filter: &Filter) {
    let results = index.apply(filter);
    let (ids, counts) = naive(index, filter);
    let got: BTreeSet<u32> = results.ids.iter().copied().collect();
    assert_eq!(got.len(), results.ids.len(), "no record twice for {filter:?}");
    assert_eq!(got, ids, "results of {filter:?}");
    assert_eq!(results.counts, counts, "counts of {filter:?}");
    match (&filter.territory, filter.sort) {
        (Some(TerritorySel::Around(a)), SortKey::Distance) => assert_nearest_first(index, &results.ids, a),
        (_, SortKey::Distance) => assert_sorted(index, &results.ids, SortKey::Name),
        (_, sort) => assert_sorted(index, &results.ids, sort),
    }
}

/// A place's great-circle distance to a radius filter's centre, km, by the standard library's functions (the
/// widget has its own); `None` for a place not known to its commune.
fn place_km(p: &Place, a: &Around) -> Option<f64> {
    let q = p.point.filter(|_| p.precision >= Precision::Commune)?;
    let (lat0, lon0) = (f64::from(a.lat) / 1e5, f64::from(a.lon) / 1e5);
    let (p1, p2) = (lat0.to_radians(), q.lat.to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * ((q.lon - lon0).to_radians() / 2.0).sin().powi(2);
    Some(2.0 * 6371.0088 * h.sqrt().asin())
}

/// Checks that `ids` are nearest first (a record's distance is its nearest place's), by name among equals.
fn assert_nearest_first(index: &Index, ids: &[u32], a: &Around) {
    let innos = &index.dataset.innovations;
    let km = |i: u32| innos[i as usize].places().filter_map(|p| place_km(p, a)).fold(f64::MAX, f64::min);
    for w in ids.windows(2) {
        let (d0, d1) = (km(w[0]), km(w[1]));
        let by_name = (text::fold(&innos[w[0] as usize].name), w[0]) < (text::fold(&innos[w[1] as usize].name), w[1]);
        assert!(d0 < d1 - 1e-9 || ((d0 - d1).abs() <= 1e-9 && by_name), "{d0} km before {d1} km");
        assert!((index.distance_km(w[0] as usize, a).unwrap() - d0).abs() < 1e-6);
    }
}

/// Checks that `ids` follow `sort`: name (folded), stage (most advanced first, none last), start year (most
/// recent first, none last); ties by name.
fn assert_sorted(index: &Index, ids: &[u32], sort: SortKey) {
    let innos = &index.dataset.innovations;
    let key = |i: u32| {
        let inno = &innos[i as usize];
        let primary = match sort {
            SortKey::Name | SortKey::Distance => 0,
            SortKey::Stage => -(inno.stage.map_or(-1, i64::from)),
            SortKey::Started => -(inno.started.map_or(i64::from(i32::MIN), i64::from)),
        };
        (primary, text::fold(&inno.name), i)
    };
    for w in ids.windows(2) {
        assert!(
            key(w[0]) < key(w[1]),
            "{sort:?}: {:?} before {:?}",
            innos[w[0] as usize].name,
            innos[w[1] as usize].name
        );
    }
}

/// A random filter over the index's vocabularies and territories (sometimes with ids it does not know).
fn random_filter(rng: &mut Rng, index: &Index) -> Filter {
    let mut filter = Filter::default();
    let vocabs = &index.dataset.vocabularies;
    for f in Facet::ALL {
        if rng.chance(35) {
            let vocab = vocabs.get(f.vocab());
            for _ in 0..1 + rng.below(2) {
                let id = if rng.chance(5) {
                    "inconnu".to_owned()
                } else if rng.chance(10) {
                    UNSPECIFIED.to_owned()
                } else {
                    vocab.id(rng.below(vocab.len()) as ValueIdx).to_owned()
                };
                if !filter.facet(f).contains(&id) {
                    filter.facet_mut(f).push(id);
                }
            }
        }
    }
    let t = &index.territories;
    filter.territory = match rng.below(8) {
        0 => Some(TerritorySel::Region(rng.pick(&t.regions).code.clone())),
        1 => Some(TerritorySel::Department(rng.pick(&t.departments).code.clone())),
        2 if !index.communes.is_empty() => Some(TerritorySel::Commune(rng.pick(&index.communes).key.clone())),
        // Around a record's place, or a point nobody is near.
        3 => {
            let inn = &index.dataset.innovations;
            let p = if inn.is_empty() { None } else { rng.pick(inn).origin.point };
            let p = p.unwrap_or(LonLat { lon: -30.0, lat: 40.0 });
            Some(TerritorySel::Around(Around::new("x".into(), p, *rng.pick(&Around::RADII))))
        }
        _ => None,
    };
    if rng.chance(25) {
        filter.text = rng
            .pick(&["de", "Paris", "économie", "CAFE", "solidaire", "zzz", "terr chom", "lyon e", "  ré  "])
            .to_string();
    }
    filter.sort = *rng.pick(&SortKey::ALL);
    filter
}

/// The key invariant of the facet counts: the count shown next to a value is the number of results one gets by
/// choosing that value (toggling it on when its facet has no selection; choosing it alone otherwise), and a
/// territory's count is the number of results when selecting that territory.
fn assert_counts_are_what_toggling_gives(index: &Index, filter: &Filter) {
    let results = index.apply(filter);
    let vocabs = &index.dataset.vocabularies;
    for f in Facet::ALL {
        let vocab = vocabs.get(f.vocab());
        for v in 0..vocab.len() {
            let id = vocab.id(v as ValueIdx);
            let mut g = filter.clone();
            if g.facet(f).is_empty() {
                g.toggle(f, id);
            } else {
                *g.facet_mut(f) = vec![id.to_owned()];
            }
            assert_eq!(results.counts.facet(f)[v], index.apply(&g).ids.len(), "{f:?}={id} with {filter:?}");
        }
    }
    let t = &index.territories;
    let with = |sel: TerritorySel| index.apply(&Filter { territory: Some(sel), ..filter.clone() }).ids.len();
    for (r, region) in t.regions.iter().enumerate() {
        assert_eq!(
            results.counts.regions[r],
            with(TerritorySel::Region(region.code.clone())),
            "region {}",
            region.code
        );
    }
    for (d, dep) in t.departments.iter().enumerate() {
        assert_eq!(
            results.counts.departments[d],
            with(TerritorySel::Department(dep.code.clone())),
            "department {}",
            dep.code
        );
    }
    // The communes of the chosen department (or of the chosen commune's), which the commune select lists; the
    // others are not counted.
    let department = match &filter.territory {
        Some(TerritorySel::Department(code)) => t.department_index(code),
        Some(TerritorySel::Commune(key)) => index.commune_index(key).map(|c| index.communes[c].department),
        _ => None,
    };
    for (c, commune) in index.communes.iter().enumerate() {
        let want =
            if Some(commune.department) == department { with(TerritorySel::Commune(commune.key.clone())) } else { 0 };
        assert_eq!(results.counts.communes[c], want, "commune {} with {filter:?}", commune.key);
    }
}

fn ids_of<'a>(index: &'a Index, results: &[u32]) -> Vec<&'a str> {
    results.iter().map(|&i| index.dataset.innovations[i as usize].id.as_str()).collect()
}

fn facet_filter(values: &[(Facet, &str)]) -> Filter {
    let mut filter = Filter::default();
    for (f, id) in values {
        filter.toggle(*f, id);
    }
    filter
}

#[test]
fn demo_counts_without_filter_match_the_dataset_readme() {
    let ex = demo();
    let results = ex.index.apply(&Filter::default());
    assert_eq!(results.ids.len(), 65);
    let vocabs = &ex.index.dataset.vocabularies;
    let count = |f: Facet, id: &str| results.counts.facet(f)[vocabs.get(f.vocab()).index_of(id).unwrap() as usize];
    for (id, n) in [("emploi-insertion", 37), ("lien-social", 26), ("alimentation", 17), ("habitat", 2), ("culture", 0)]
    {
        assert_eq!(count(Facet::Themes, id), n, "{id}");
    }
    for (id, n) in [
        ("amorcage", 0),
        ("experimentation", 2),
        ("consolidation", 9),
        ("essaimage", 10),
        ("changement-echelle", 29),
        ("generalisation", 15),
    ] {
        assert_eq!(count(Facet::Stages, id), n, "{id}");
    }
    for (id, n) in [("essaimage-reseau", 32), ("duplication", 20), ("reprise-publique", 15)] {
        assert_eq!(count(Facet::Strategies, id), n, "{id}");
    }
    for (id, n) in [("financement", 41), ("commande-publique", 5)] {
        assert_eq!(count(Facet::Support, id), n, "{id}");
    }
}

#[test]
fn values_of_one_facet_are_or_ed_and_facets_are_and_ed() {
    let ex = demo();
    let index = &ex.index;
    let n = |filter: &Filter| index.apply(filter).ids.len();
    let habitat = facet_filter(&[(Facet::Themes, "habitat")]);
    let numerique = facet_filter(&[(Facet::Themes, "numerique")]);
    let either = facet_filter(&[(Facet::Themes, "habitat"), (Facet::Themes, "numerique")]);
    assert_eq!((n(&habitat), n(&numerique)), (2, 5));
    let both_themes = index
        .dataset
        .innovations
        .iter()
        .filter(|i| {
            let has = |id| i.themes.contains(&index.dataset.vocabularies.themes.index_of(id).unwrap());
            has("habitat") && has("numerique")
        })
        .count();
    assert_eq!(n(&either), 2 + 5 - both_themes, "OR within a facet");

    let generalisation = facet_filter(&[(Facet::Stages, "generalisation")]);
    let emploi = facet_filter(&[(Facet::Themes, "emploi-insertion")]);
    let emploi_and_generalisation =
        facet_filter(&[(Facet::Themes, "emploi-insertion"), (Facet::Stages, "generalisation")]);
    let both = n(&emploi_and_generalisation);
    assert!(both > 0 && both <= n(&emploi).min(n(&generalisation)));
    let r = index.apply(&emploi_and_generalisation);
    for &i in &r.ids {
        let inno = &index.dataset.innovations[i as usize];
        assert!(inno.themes.contains(&index.dataset.vocabularies.themes.index_of("emploi-insertion").unwrap()));
        assert_eq!(inno.stage, index.dataset.vocabularies.stages.index_of("generalisation"));
    }
    for filter in [&habitat, &numerique, &either, &generalisation, &emploi, &emploi_and_generalisation] {
        assert_matches_naive(index, filter);
    }
}

#[test]
fn each_facet_count_is_the_number_of_results_toggling_that_value_gives() {
    let ex = demo();
    assert_counts_are_what_toggling_gives(&ex.index, &Filter::default());
    let mut rng = Rng::new(7);
    for _ in 0..12 {
        let filter = random_filter(&mut rng, &ex.index);
        assert_counts_are_what_toggling_gives(&ex.index, &filter);
    }
}

#[test]
fn apply_agrees_with_a_naive_implementation_on_random_filters() {
    let ex = demo();
    let mut rng = Rng::new(11);
    for _ in 0..300 {
        let filter = random_filter(&mut rng, &ex.index);
        assert_matches_naive(&ex.index, &filter);
    }
    let network = explorer(NETWORK_JSON);
    for _ in 0..300 {
        let filter = random_filter(&mut rng, &network.index);
        assert_matches_naive(&network.index, &filter);
    }
    assert_counts_are_what_toggling_gives(&network.index, &Filter::default());
    assert_counts_are_what_toggling_gives(&network.index, &facet_filter(&[(Facet::Themes, "lien-social")]));
}

#[test]
fn territory_filters_include_replicas() {
    let ex = explorer(NETWORK_JSON);
    assert!(ex.report.is_clean(), "{:#?}", ex.report.problems);
    let index = &ex.index;
    let t = &index.territories;
    let ids = |sel: TerritorySel| {
        ids_of(index, &index.apply(&Filter { territory: Some(sel), ..Filter::default() }).ids).join(" ")
    };
    // `reseau-breton` started in Paris and was replicated in Rennes (by commune code) and in the Finistère.
    assert_eq!(ids(TerritorySel::Region("53".into())), "atelier-brestois reseau-breton");
    assert_eq!(ids(TerritorySel::Department("35".into())), "reseau-breton");
    assert_eq!(ids(TerritorySel::Department("29".into())), "atelier-brestois reseau-breton");
    assert_eq!(ids(TerritorySel::Commune("35238".into())), "reseau-breton");
    assert_eq!(ids(TerritorySel::Region("11".into())), "cafe-des-enfants reseau-breton");
    assert_eq!(ids(TerritorySel::Commune("75056".into())), "cafe-des-enfants reseau-breton");
    assert_eq!(ids(TerritorySel::Commune("69:lyon".into())), "epicerie-lyonnaise", "communes without code: dep:name");
    // A replica in another department of the same region (2B) and an origin known only by region (94).
    assert_eq!(ids(TerritorySel::Region("94".into())), "corse-solidaire");
    assert_eq!(ids(TerritorySel::Department("2B".into())), "corse-solidaire");

    let counts = index.apply(&Filter::default()).counts;
    assert!(counts.communes.iter().all(|&n| n == 0), "no department chosen: no commune select, no commune counted");
    let region = |code: &str| counts.regions[t.region_index(code).unwrap()];
    let dep = |code: &str| counts.departments[t.department_index(code).unwrap()];
    assert_eq!((region("53"), region("11"), region("84"), region("94")), (2, 2, 1, 1));
    // `atelier-brestois` has its origin and a replica in Brest: counted once.
    assert_eq!(dep("29"), 2);
    let brest = index.commune_index("29019").unwrap();
    let in_29 = Filter { territory: Some(TerritorySel::Department("29".into())), ..Filter::default() };
    assert_eq!(index.apply(&in_29).counts.communes[brest], 1);
    assert_eq!(index.communes[brest].name, "Brest", "the commune's name from the table");
    let rennes = index.commune_index("35238").unwrap();
    assert_eq!(index.communes[rennes].name, "Rennes");
    assert_eq!(index.communes_of_department(t.department_index("29").unwrap()), [brest as u32]);
}

#[test]
fn each_department_lists_exactly_its_communes_in_name_order() {
    // Computed once when the index is built (the commune select lists them at every render).
    let t = territories();
    let index = Index::build(synthetic(3_000, t, 11), t.clone());
    let mut listed = 0;
    for d in 0..t.departments.len() {
        let got: Vec<usize> = index.communes_of_department(d).iter().map(|&c| c as usize).collect();
        let mut want: Vec<usize> = (0..index.communes.len()).filter(|&c| index.communes[c].department == d).collect();
        want.sort_by_key(|&c| text::fold(&index.communes[c].name));
        assert_eq!(got, want, "department {}", t.departments[d].code);
        listed += got.len();
    }
    assert_eq!(listed, index.communes.len(), "every commune is in its department's list");
    assert!(index.communes_of_department(t.departments.len()).is_empty(), "no department, no commune");
}

#[test]
fn territory_counts_still_reflect_the_other_filters() {
    let ex = explorer(NETWORK_JSON);
    let index = &ex.index;
    let t = &index.territories;
    let mut filter = facet_filter(&[(Facet::Themes, "alimentation")]);
    filter.territory = Some(TerritorySel::Region("53".into()));
    let results = index.apply(&filter);
    assert_eq!(ids_of(index, &results.ids), ["reseau-breton"]);
    let region = |code: &str| results.counts.regions[t.region_index(code).unwrap()];
    // Other regions are counted as if chosen instead of Bretagne, with the theme still applied.
    assert_eq!(region("53"), 1, "only reseau-breton is about food in Bretagne");
    assert_eq!(region("84"), 1, "epicerie-lyonnaise");
    assert_eq!(region("11"), 1, "reseau-breton, not cafe-des-enfants (no food theme)");
    assert_eq!(region("94"), 0);
    // And the theme counts are restricted to Bretagne.
    let themes = &index.dataset.vocabularies.themes;
    assert_eq!(results.counts.facet(Facet::Themes)[themes.index_of("mobilite").unwrap() as usize], 1);
    assert_eq!(results.counts.facet(Facet::Themes)[themes.index_of("education-jeunesse").unwrap() as usize], 0);
    assert_matches_naive(index, &filter);
}

#[test]
fn text_search_ignores_case_and_accents_in_name_summary_and_commune() {
    let ex = explorer(NETWORK_JSON);
    let index = &ex.index;
    let search = |q: &str| {
        let mut ids = ids_of(index, &index.apply(&Filter { text: q.into(), ..Filter::default() }).ids);
        ids.sort_unstable();
        ids.join(" ")
    };
    assert_eq!(search("economie"), "economie-partage", "« economie » finds « ÉCONOMIE »");
    assert_eq!(search("ÉCONOMIE"), "economie-partage");
    assert_eq!(search("Économie"), "economie-partage");
    assert_eq!(search("épicerie"), "epicerie-lyonnaise", "name and summary");
    assert_eq!(search("velos"), "atelier-brestois", "summary only");
    assert_eq!(search("brest"), "atelier-brestois");
    assert_eq!(search("rennes"), "reseau-breton", "a replica's commune name, filled from the commune table");
    assert_eq!(search("paris"), "cafe-des-enfants reseau-breton", "commune names");
    assert_eq!(search("café"), "cafe-des-enfants economie-partage reseau-breton");
    assert_eq!(search("cafe paris"), "cafe-des-enfants reseau-breton", "several words are AND-ed");
    assert_eq!(search("paris   CAFE"), "cafe-des-enfants reseau-breton", "in any order");
    assert_eq!(search("cafe lyon"), "");
    assert_eq!(
        search("   "),
        "atelier-brestois cafe-des-enfants corse-solidaire economie-partage epicerie-lyonnaise reseau-breton",
        "a blank query filters nothing"
    );
    assert_eq!(search("rennes brest"), "", "words must all be in the same record");
    assert_eq!(search("xyz"), "");
}

#[test]
fn text_search_finds_exactly_the_records_containing_every_word() {
    // A reference written the obvious way: a record matches when each word of the query is inside its folded
    // name, summary or one of its communes. The word index must find the same records, whatever the query's
    // frequency (one letter found in most words, a rare word, several words, a word in no record).
    let ex = demo();
    let index = &ex.index;
    let expected = |q: &str| -> Vec<usize> {
        let words = text::query_words(q);
        let inn = &index.dataset.innovations;
        (0..inn.len())
            .filter(|&i| {
                let r = &inn[i];
                let mut texts = vec![text::fold(&r.name), text::fold(r.summary.as_deref().unwrap_or(""))];
                texts.extend(r.places().filter_map(|p| p.commune.as_deref()).map(text::fold));
                words.iter().all(|w| texts.iter().any(|t| t.contains(w.as_str())))
            })
            .collect()
    };
    for q in
        ["e", "r", "re", "rec", "recy", "s", "a e", "e a", "zzz", "insertion", "lyon", "paris emploi", "é", "de la"]
    {
        let got: Vec<usize> = index.text_mask(q).expect("a query with words").iter().collect();
        assert_eq!(got, expected(q), "query {q:?}");
    }
}

#[test]
fn narrowing_a_query_gives_the_same_results_as_a_fresh_query() {
    let fresh = |q: &str| {
        let ex = explorer(NETWORK_JSON);
        ex.index.text_mask(q)
    };
    let ex = explorer(NETWORK_JSON);
    let index = &ex.index;
    // Typing letter by letter, then more words, then deleting, then an unrelated query.
    for q in [
        "c",
        "ca",
        "caf",
        "cafe",
        "cafe ",
        "cafe p",
        "cafe pa",
        "cafe par",
        "cafe pari",
        "cafe paris",
        "cafe pari",
        "cafe",
        "caf",
        "afe",
        "fé",
        "café des",
        "des café",
        "épicerie",
        "epic",
        "x",
        "",
    ] {
        assert_eq!(index.text_mask(q), fresh(q), "query {q:?}");
    }

    // The same on the demo: one index sees every prefix of several phrases typed then erased, and must answer
    // like a fresh index each time.
    let typing = demo();
    for phrase in ["territoire zéro chômeur", "économie circulaire", "paris lyon", "les petites cantines", "réseau"]
    {
        let chars: Vec<char> = phrase.chars().collect();
        for end in (1..=chars.len()).chain((1..chars.len()).rev()) {
            let q: String = chars[..end].iter().collect();
            let cached = typing.index.apply(&Filter { text: q.clone(), ..Filter::default() });
            let new = demo().index.apply(&Filter { text: q.clone(), ..Filter::default() });
            assert_eq!(cached.ids, new.ids, "{q:?}");
        }
    }
    // A specific case: "caf" then "cafe" on one index, "cafe" on a fresh one.
    let one = demo();
    let caf = one.index.apply(&Filter { text: "caf".into(), ..Filter::default() });
    let cafe = one.index.apply(&Filter { text: "cafe".into(), ..Filter::default() });
    let fresh_cafe = demo().index.apply(&Filter { text: "cafe".into(), ..Filter::default() });
    assert_eq!(cafe, fresh_cafe);
    assert!(!cafe.ids.is_empty() && caf.ids.len() >= cafe.ids.len());
}

/// The records (ids) the text search finds for a query; `None` when the query has no words.
fn text_ids(index: &Index, q: &str) -> Option<String> {
    index.text_mask(q).map(|m| m.iter().map(|i| index.dataset.innovations[i].id.as_str()).collect::<Vec<_>>().join(" "))
}

#[test]
fn text_search_cuts_the_text_and_the_query_into_the_same_words() {
    let records = [
        r#"{"id": "atelier", "name": "L’Atelier d’Yeu", "summary": "Réparation de vélos à l'Île-d'Yeu depuis 2024 : 12,5 % de réemploi."}"#,
        r#"{"id": "reseau", "name": "Réseau Brestois", "summary": "Un «réseau» d’entraide du quartier Saint-Marc."}"#,
        r#"{"id": "theatre", "name": "Café-Théâtre", "summary": "Œuvres & café ; ÉCONOMIE sociale"}"#,
    ];
    let ex = explorer(&doc(&records));
    let found = |q: &str| text_ids(&ex.index, q).expect("a query with words");
    // A query word is found inside a word of the text, never across a space or punctuation.
    assert_eq!(found("seau"), "reseau", "« seau » inside « réseau »");
    assert_eq!(found("eaubr"), "", "not across the space of « Réseau Brestois »");
    assert_eq!(found("éco"), "theatre");
    assert_eq!(found("oeuvre"), "theatre", "« Œ » folds to « oe »");
    // Apostrophes (’ and ') and hyphens cut the text and the query alike: every part must be found.
    assert_eq!(found("l'atelier"), "atelier");
    assert_eq!(found("L’ATELIER"), "atelier");
    assert_eq!(found("atelier"), "atelier");
    assert_eq!(found("ile-d'yeu"), "atelier");
    assert_eq!(found("yeu île"), "atelier", "the parts in any order, as words of the query are");
    assert_eq!(found("café-théâtre"), "theatre");
    assert_eq!(found("marc-saint"), "reseau", "a query spanning punctuation needs each part, not that sequence");
    // Digits are words; a decimal comma cuts one.
    assert_eq!(found("2024"), "atelier");
    assert_eq!(found("12,5"), "atelier");
    assert_eq!(found("202"), "atelier", "inside a word, as letters");
    // Non-ASCII punctuation other than apostrophes, dashes and no-break spaces stays in its word.
    assert_eq!(found("«réseau»"), "reseau");
    assert_eq!(found("réseau"), "reseau", "and the word is still found inside « «réseau» »");
    // Several words: all of them, in the same record.
    assert_eq!(found("cafe sociale"), "theatre");
    assert_eq!(found("cafe yeu"), "");
    assert_eq!(found("de"), "atelier reseau", "« de », « depuis », « entraide »");
    // A word in no record, and queries without words.
    assert_eq!(found("zzz"), "");
    assert_eq!(found("velos zzz"), "");
    assert_eq!(text_ids(&ex.index, " — ' ; "), None, "punctuation only: no text filter");
    assert_eq!(text_ids(&ex.index, ""), None);
    let all = ex.index.apply(&Filter { text: " - ".into(), ..Filter::default() });
    assert_eq!(all.ids.len(), 3, "a query without words filters nothing");
}

#[test]
fn text_search_in_an_empty_index_finds_nothing() {
    let ex = explorer(r#"{"innovations": []}"#);
    assert_eq!(text_ids(&ex.index, "a"), Some(String::new()));
    assert_eq!(text_ids(&ex.index, "café des enfants"), Some(String::new()));
    assert_eq!(text_ids(&ex.index, "  "), None);
}

#[test]
fn text_search_agrees_with_the_obvious_search_when_words_have_bitsets() {
    // 5,000 records: a word in 1/64 of them or more (« commune », the frequent syllables) gets a bitset instead of
    // a list, the others keep a list. Both must give what the obvious search gives.
    let t = territories();
    let index = Index::build(synthetic(5_000, t, 7), t.clone());
    let inn = &index.dataset.innovations;
    for q in [
        "e",
        "r",
        "a",
        "ca",
        "seau",
        "écoso",
        "commune",
        "commune 29",
        "29",
        "2",
        "toi re",
        "caféjo",
        "â",
        "zzz",
        "jo ré li",
        "rité",
        "dai commune",
    ] {
        let words = text::query_words(q);
        let expected: Vec<usize> = (0..inn.len())
            .filter(|&i| {
                let r = &inn[i];
                let mut texts = vec![text::fold(&r.name), text::fold(r.summary.as_deref().unwrap_or(""))];
                texts.extend(r.places().filter_map(|p| p.commune.as_deref()).map(text::fold));
                words.iter().all(|w| texts.iter().any(|t| t.contains(w.as_str())))
            })
            .collect();
        let got: Vec<usize> = index.text_mask(q).expect("a query with words").iter().collect();
        assert_eq!(got, expected, "query {q:?}");
    }
}

#[test]
fn the_word_index_built_by_slices_finds_what_the_whole_build_finds() {
    // The embed boundary builds it 10,000 records per browser task; uneven slices here (7 records, then the rest
    // of a slice of 1,000) cross the point where a frequent word's list becomes a bitset.
    let t = territories();
    let dataset = synthetic(5_000, t, 11);
    let whole = WordIndex::build(&dataset.innovations);
    let mut builder = WordIndexBuilder::new(dataset.innovations.len());
    let mut slices = 0;
    while builder.add(&dataset.innovations, if slices % 2 == 0 { 7 } else { 993 }) {
        slices += 1;
    }
    assert_eq!(slices, 9, "5,000 records in slices of 7 and 993");
    let sliced = builder.finish();
    assert_eq!(sliced.len(), whole.len(), "the same vocabulary");
    for part in ["e", "r", "ca", "commune", "29", "seau", "zzz", "rité"] {
        let (a, b): (Vec<usize>, Vec<usize>) =
            (sliced.records_with(part).iter().collect(), whole.records_with(part).iter().collect());
        assert_eq!(a, b, "records with {part:?}");
    }
    assert!(!WordIndexBuilder::new(0).add(&[], 10), "nothing to index: nothing remains");
}

#[test]
fn the_index_built_by_slices_sorts_and_counts_as_the_whole_build() {
    // The embed boundary adds 5,000 records per browser task (each slice sorted by name as it is added, the sorted
    // slices merged at the end); uneven slices here, over names that repeat.
    let t = territories();
    let dataset = synthetic(3_000, t, 5);
    let whole = Index::build(dataset.clone(), t.clone());
    let mut builder = IndexBuilder::new(dataset, t.clone());
    let mut slices = 0;
    while builder.add(if slices % 2 == 0 { 1 } else { 611 }) {
        slices += 1;
    }
    let sliced = builder.finish(WordIndex::build(&whole.dataset.innovations));
    let mut rng = Rng::new(77);
    for sort in SortKey::ALL {
        let filter = Filter { sort, ..Filter::default() };
        assert_eq!(sliced.apply(&filter), whole.apply(&filter), "{sort:?}");
    }
    for _ in 0..30 {
        let filter = random_filter(&mut rng, &whole);
        assert_eq!(sliced.apply(&filter), whole.apply(&filter), "{filter:?}");
    }
    let names: Vec<&str> = whole
        .apply(&Filter::default())
        .ids
        .iter()
        .map(|&i| whole.dataset.innovations[i as usize].name.as_str())
        .collect();
    assert!(names.windows(2).any(|w| w[0] == w[1]), "names repeat, so ties are ordered by record");
}

#[test]
fn results_sort_by_name_ignoring_accents_and_case() {
    let names = ["Zèbre", "éco-lieu", "Abri", "Étoile", "eau vive", "Œuvre", "oasis", "Ça marche", "cabane"];
    let records: Vec<String> =
        names.iter().enumerate().map(|(i, n)| format!(r#"{{"id": "r{i}", "name": "{n}"}}"#)).collect();
    let ex = explorer(&doc(&records));
    let r = ex.index.apply(&Filter::default());
    let got: Vec<&str> = r.ids.iter().map(|&i| ex.index.dataset.innovations[i as usize].name.as_str()).collect();
    assert_eq!(got, ["Abri", "Ça marche", "cabane", "eau vive", "éco-lieu", "Étoile", "oasis", "Œuvre", "Zèbre"]);
}

#[test]
fn results_sort_by_stage_most_advanced_first_and_none_last() {
    let records = [
        r#"{"id": "a", "name": "A", "stage": "experimentation"}"#,
        r#"{"id": "b", "name": "B"}"#,
        r#"{"id": "c", "name": "C", "stage": "generalisation"}"#,
        r#"{"id": "d", "name": "D", "stage": "amorcage"}"#,
        r#"{"id": "e", "name": "E", "stage": "generalisation"}"#,
        r#"{"id": "f", "name": "F", "stage": "essaimage"}"#,
        r#"{"id": "g", "name": "G"}"#,
    ];
    let ex = explorer(&doc(&records));
    let r = ex.index.apply(&Filter { sort: SortKey::Stage, ..Filter::default() });
    assert_eq!(ids_of(&ex.index, &r.ids), ["c", "e", "f", "a", "d", "b", "g"]);
}

#[test]
fn results_sort_by_start_year_most_recent_first_and_none_last() {
    let records = [
        r#"{"id": "a", "name": "A", "started": 1990}"#,
        r#"{"id": "b", "name": "B"}"#,
        r#"{"id": "c", "name": "C", "started": 2020}"#,
        r#"{"id": "d", "name": "D", "started": 1800}"#,
        r#"{"id": "e", "name": "E", "started": 2020}"#,
        r#"{"id": "f", "name": "F", "started": 2027}"#,
        r#"{"id": "g", "name": "G", "started": "2025"}"#,
    ];
    let ex = explorer(&doc(&records));
    let r = ex.index.apply(&Filter { sort: SortKey::Started, ..Filter::default() });
    assert_eq!(ids_of(&ex.index, &r.ids), ["f", "c", "e", "a", "d", "b", "g"]);
    // Sorting never changes which records match.
    let demo = demo();
    for sort in SortKey::ALL {
        let mut filter = facet_filter(&[(Facet::Themes, "lien-social")]);
        filter.sort = sort;
        assert_matches_naive(&demo.index, &filter);
    }
}

#[test]
fn unknown_ids_in_a_filter_match_nothing() {
    let ex = demo();
    let index = &ex.index;
    for filter in [
        facet_filter(&[(Facet::Themes, "inconnu")]),
        facet_filter(&[(Facet::Stages, "")]),
        facet_filter(&[(Facet::Support, "Financement")]),
        Filter { territory: Some(TerritorySel::Region("99".into())), ..Filter::default() },
        Filter { territory: Some(TerritorySel::Department("2C".into())), ..Filter::default() },
        Filter { territory: Some(TerritorySel::Commune("00000".into())), ..Filter::default() },
        Filter { territory: Some(TerritorySel::Commune(String::new())), ..Filter::default() },
    ] {
        let r = index.apply(&filter);
        assert!(r.ids.is_empty(), "{filter:?}");
        assert_matches_naive(index, &filter);
    }
    // An unknown id next to a known one is simply ignored.
    let known = index.apply(&facet_filter(&[(Facet::Themes, "habitat")]));
    let mixed = index.apply(&facet_filter(&[(Facet::Themes, "inconnu"), (Facet::Themes, "habitat")]));
    assert_eq!(mixed.ids, known.ids);
}

#[test]
fn an_empty_dataset_can_be_filtered() {
    let ex = explorer(r#"{"innovations": []}"#);
    let index = &ex.index;
    assert!(index.is_empty());
    let mut rng = Rng::new(3);
    for _ in 0..20 {
        let mut filter = random_filter(&mut rng, index);
        filter.text = "café".into();
        let r = index.apply(&filter);
        assert!(r.ids.is_empty());
        assert_matches_naive(index, &filter);
    }
    let r = index.apply(&Filter::default());
    assert_eq!(r.counts.regions.len(), 18);
    assert_eq!(r.counts.facet(Facet::Themes).len(), 15 + 1, "each theme, then the records without one");
    assert!(r.counts.communes.is_empty());
}

#[test]
fn bitsets_count_and_iterate_exactly_their_members() {
    for len in [0, 1, 63, 64, 65, 130] {
        let full = Bitset::full(len);
        assert_eq!(full.count(), len);
        assert_eq!(full.iter().collect::<Vec<_>>(), (0..len).collect::<Vec<_>>());
        assert!(!full.contains(len), "nothing past the end");
        let mut odd = Bitset::empty(len);
        (1..len).step_by(2).for_each(|i| odd.insert(i));
        assert_eq!(odd.count(), len / 2);
        assert_eq!(full.count_and(&odd), len / 2);
        let mut both = odd.clone();
        both.or_with(&full);
        assert_eq!(both, full);
        both.and_with(&odd);
        assert_eq!(both, odd);
    }
}

// ---------------------------------------------------------------------------------------------------------
// 3. Scale: a 100,000-record synthetic dataset (no timing assertion)
// ---------------------------------------------------------------------------------------------------------

/// A deterministic synthetic dataset with resolved places (as `resolve_dataset` leaves them).
fn synthetic(n: usize, t: &Territories, seed: u64) -> Dataset {
    let vocabularies = Vocabularies::builtin();
    let mut rng = Rng::new(seed);
    let syllables = [
        "ca", "fé", "jo", "yeux", "ré", "seau", "éco", "lo", "gie", "ter", "ri", "toi", "re", "so", "li", "dai",
        "rité", "â",
    ];
    let word = |rng: &mut Rng| (0..2 + rng.below(3)).map(|_| *rng.pick(&syllables)).collect::<String>();
    let place = |rng: &mut Rng| {
        let d = rng.pick(&t.departments);
        let width = 5 - d.code.len();
        let code = format!("{}{:0width$}", d.code, rng.below(30));
        Place {
            commune: Some(format!("Commune {code}")),
            commune_insee: Some(code),
            postcode: None,
            department: Some(d.code.clone()),
            region: Some(t.regions[d.region].code.clone()),
            point: Some(d.centre),
            precision: Precision::Department,
            started: None,
        }
    };
    let some = |rng: &mut Rng, len: usize, max: usize| {
        let mut v: Vec<ValueIdx> = (0..rng.below(max + 1)).map(|_| rng.below(len) as ValueIdx).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let innovations = (0..n)
        .map(|i| Innovation {
            file_index: i,
            id: format!("r{i}"),
            name: format!("{} {}", word(&mut rng), word(&mut rng)),
            summary: rng.chance(70).then(|| format!("{} {} {}", word(&mut rng), word(&mut rng), word(&mut rng))),
            carrier_kind: None,
            origin: if rng.chance(90) { place(&mut rng) } else { Place::default() },
            replicas: (0..rng.below(3)).map(|_| place(&mut rng)).collect(),
            themes: some(&mut rng, vocabularies.themes.len(), 3),
            stage: rng.chance(85).then(|| rng.below(vocabularies.stages.len()) as ValueIdx),
            scaling_strategies: some(&mut rng, vocabularies.scaling_strategies.len(), 2),
            public_support: some(&mut rng, vocabularies.public_support.len(), 2),
            started: rng.chance(80).then(|| 1950 + rng.below(77) as i32),
            sites: None,
            url: None,
            sources: Vec::new(),
        })
        .collect();
    Dataset { meta: Meta::default(), vocabularies, innovations }
}

#[test]
fn a_100k_record_dataset_filters_correctly() {
    const N: usize = 100_000;
    let t = territories();
    let started = std::time::Instant::now();
    let index = Index::build(synthetic(N, t, 42), t.clone());
    let build_time = started.elapsed();
    assert_eq!(index.len(), N);

    let mut rng = Rng::new(2026);
    let filters: Vec<Filter> = (0..50)
        .map(|i| {
            let mut f = random_filter(&mut rng, &index);
            if i % 5 == 0 {
                f.text = rng.pick(&["ca", "café", "jo ré", "écoso", "seau li"]).to_string();
            }
            f
        })
        .collect();
    let started = std::time::Instant::now();
    let results: Vec<_> = filters.iter().map(|f| index.apply(f)).collect();
    let per_apply = started.elapsed() / filters.len() as u32;
    eprintln!(
        "100k records ({} build): Index::build {build_time:?}, apply {per_apply:?} on average over {} filters",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        filters.len()
    );

    let unfiltered = index.apply(&Filter::default());
    assert_eq!(unfiltered.ids.len(), N);
    assert_eq!(unfiltered.ids, index.apply(&Filter::default()).ids, "stable");
    // The full invariant, against the naive implementation, on a few of the filters (one with text).
    for i in [0, 1, 7] {
        assert_matches_naive(&index, &filters[i]);
    }
    assert!(results.iter().any(|r| !r.ids.is_empty() && r.ids.len() < N), "the filters exercise something");
    // And the toggling invariant for one facet value and one region, by applying.
    let base = &filters[1];
    let r = &results[1];
    let mut g = base.clone();
    *g.facet_mut(Facet::Themes) = vec!["habitat".into()];
    assert_eq!(r.counts.facet(Facet::Themes)[2], index.apply(&g).ids.len());
    let mut g = base.clone();
    g.territory = Some(TerritorySel::Region("53".into()));
    assert_eq!(r.counts.regions[t.region_index("53").unwrap()], index.apply(&g).ids.len());
}

// ---------------------------------------------------------------------------------------------------------
// 4. URL-state codec
// ---------------------------------------------------------------------------------------------------------

fn state(
    territory: Option<TerritorySel>,
    facets: &[(Facet, &str)],
    text: &str,
    sort: SortKey,
    page: usize,
    open: Option<&str>,
) -> UrlState {
    let mut filter = facet_filter(facets);
    filter.territory = territory;
    filter.text = text.into();
    filter.sort = sort;
    UrlState { filter, open: open.map(Into::into), page, ..UrlState::default() }
}

fn round_trip(hash: &str, ns: &str, s: &UrlState) -> String {
    let written = url_state::write(hash, ns, s);
    assert_eq!(url_state::decode(&written, ns), *s, "decode(write) for {s:?}: {written}");
    written
}

#[test]
fn the_documented_example_hash_is_read_and_written_back_identically() {
    let hash = "#e1.t=r53&e1.theme=habitat,culture&e1.q=caf%C3%A9&e1.sort=stage&e1.open=cafe-joyeux";
    let expected = state(
        Some(TerritorySel::Region("53".into())),
        &[(Facet::Themes, "habitat"), (Facet::Themes, "culture")],
        "café",
        SortKey::Stage,
        0,
        Some("cafe-joyeux"),
    );
    assert_eq!(url_state::decode(hash, "e1"), expected);
    assert_eq!(url_state::decode(hash.trim_start_matches('#'), "e1"), expected, "with or without #");
    assert_eq!(url_state::write("", "e1", &expected), hash);
}

#[test]
fn full_states_survive_a_round_trip_through_the_hash() {
    let all_facets = [
        (Facet::Themes, "habitat"),
        (Facet::Themes, "numerique"),
        (Facet::Stages, "essaimage"),
        (Facet::Strategies, "essaimage-reseau"),
        (Facet::Strategies, "duplication"),
        (Facet::Support, "financement"),
    ];
    let states = [
        UrlState::default(),
        state(
            Some(TerritorySel::Region("53".into())),
            &all_facets,
            "café & co = 100% #1 😀",
            SortKey::Started,
            3,
            Some("cafe-joyeux"),
        ),
        state(
            Some(TerritorySel::Department("2A".into())),
            &all_facets[..1],
            "  économie sociale  ",
            SortKey::Stage,
            0,
            None,
        ),
        state(Some(TerritorySel::Department("974".into())), &[], "a+b=c?d/e\\f'g\"h<i>", SortKey::Name, 1, None),
        state(Some(TerritorySel::Commune("35238".into())), &[], "", SortKey::Name, 0, Some("a")),
        state(
            Some(TerritorySel::Commune("69:saint-genis-les-ollieres".into())),
            &[],
            "l’île d’Yeu",
            SortKey::Name,
            99,
            None,
        ),
        state(Some(TerritorySel::Commune("13:l'ile & co=%".into())), &[], "%41%zz%", SortKey::Name, 0, None),
        state(None, &[(Facet::Support, "commande-publique")], "中文 ελληνικά العربية", SortKey::Started, 0, None),
        state(None, &[], "\t tab\tand\nnewline", SortKey::Name, 0, None),
    ];
    for s in &states {
        let written = round_trip("", "e1", s);
        assert!(!written.contains(' ') && !written.contains('\n'), "{written}");
        assert_eq!(written.matches('#').count(), usize::from(!written.is_empty()), "only the leading #: {written}");
        round_trip("#intro&e2.q=x", "e1", s);
    }
    // Default values are not written: an untouched widget leaves the hash alone.
    assert_eq!(url_state::write("", "e1", &UrlState::default()), "");
    assert_eq!(url_state::write("#section-2", "e1", &UrlState::default()), "#section-2");
    // Encoded values are those documented: page numbers start at 1.
    let written = url_state::write("", "e1", &state(None, &[], "", SortKey::Name, 2, None));
    assert_eq!(written, "#e1.page=3");
}

#[test]
fn a_long_facet_selection_survives_a_round_trip() {
    // Datasets may declare their own values, with ids of up to 80 characters: choosing 20 of them must survive a
    // reload, even though the list is longer than the cap on free text.
    let ids: Vec<String> = (0..20).map(|i| format!("valeur-declaree-par-le-jeu-de-donnees-{i:02}")).collect();
    let mut s = UrlState::default();
    for id in &ids {
        s.filter.toggle(Facet::Themes, id);
    }
    s.filter.toggle(Facet::Support, &"a".repeat(80));
    round_trip("", "e1", &s);
}

#[test]
fn two_namespaces_in_one_hash_do_not_clash() {
    let a = state(
        Some(TerritorySel::Region("53".into())),
        &[(Facet::Themes, "habitat")],
        "café",
        SortKey::Stage,
        2,
        Some("envie"),
    );
    let b = state(
        Some(TerritorySel::Department("13".into())),
        &[(Facet::Stages, "essaimage")],
        "lyon",
        SortKey::Name,
        0,
        None,
    );
    let b_prefix = state(None, &[(Facet::Themes, "culture")], "", SortKey::Name, 0, None);
    let hash = "#top&x=1";
    let hash = url_state::write(hash, "e1", &a);
    let hash = url_state::write(&hash, "e2", &b);
    let hash = url_state::write(&hash, "e", &b_prefix);
    let hash = url_state::write(&hash, "e10", &b);
    assert_eq!(url_state::decode(&hash, "e1"), a);
    assert_eq!(url_state::decode(&hash, "e2"), b);
    assert_eq!(url_state::decode(&hash, "e"), b_prefix, "`e` does not read `e1.` or `e10.` keys");
    assert_eq!(url_state::decode(&hash, "e10"), b);
    assert!(hash.starts_with("#top&x=1&"), "foreign parts are kept in place: {hash}");

    // Rewriting one instance keeps the others and the page's own parts.
    let a2 = state(None, &[(Facet::Support, "financement")], "", SortKey::Name, 0, None);
    let hash2 = url_state::write(&hash, "e1", &a2);
    assert_eq!(url_state::decode(&hash2, "e1"), a2);
    assert_eq!(url_state::decode(&hash2, "e2"), b);
    assert_eq!(url_state::decode(&hash2, "e"), b_prefix);
    assert!(hash2.starts_with("#top&x=1&"), "{hash2}");
    assert!(!hash2.contains("e1.t=") && !hash2.contains("e1.q="), "old keys removed: {hash2}");
    // Clearing every instance leaves only the page's parts.
    let mut h = hash2;
    for ns in ["e1", "e2", "e", "e10"] {
        h = url_state::write(&h, ns, &UrlState::default());
    }
    assert_eq!(h, "#top&x=1");
    assert_eq!(url_state::write("#e1.t=r53", "e1", &UrlState::default()), "");
}

#[test]
fn malformed_hashes_are_ignored_without_panicking() {
    let default = UrlState::default();
    for hash in [
        "",
        "#",
        "##",
        "#&&&",
        "#=",
        "#e1",
        "#e1.",
        "#e1.=",
        "#e1.=x",
        "#e1.unknown=1",
        "#e1.t",
        "#e1.t=",
        "#e1.t=r",
        "#e1.t=x53",
        "#e1.sort=random",
        "#e1.sort=",
        "#e1.page=0",
        "#e1.page=1",
        "#e1.page=abc",
        "#e1.page=-3",
        "#e1.page=2.5",
        "#e1.page=99999999999999999999999999",
        "#e1.page=%",
        "#e1.open=Not-Valid",
        "#e1.open=",
        "#e1.open=%3Cscript%3E",
        "#e1.theme=",
        "#e1.theme=,,,",
        "#e1.theme=Habitat,-x,a%20b",
        "#e1.q=",
        "#E1.q=x",
        "#e1.q",
        "#e1.t=%",
        "#e1.t=%F0",
        "#e1.t=%C3",
        "#e2.q=x",
        "e1q=x",
        "#e1..q=x",
    ] {
        assert_eq!(url_state::decode(hash, "e1"), default, "{hash:?}");
    }
    // Partly valid hashes keep what is valid.
    let s =
        url_state::decode("#e1.theme=habitat,Bad,,culture,habitat&e1.bogus=1&e1.page=abc&e1.q=%E9t%C3%A9%zz%", "e1");
    assert_eq!(s.filter.facet(Facet::Themes), ["habitat", "culture"]);
    assert_eq!(s.page, 0);
    assert_eq!(s.filter.text, "\u{FFFD}té%zz%", "invalid sequences kept as written, invalid UTF-8 replaced");
    assert_eq!(url_state::decode("#e1.page=7", "e1").page, 6);
    assert_eq!(url_state::decode("#e1.q=a+b%2Bc", "e1").filter.text, "a b+c");
    // Huge values are capped.
    let huge =
        format!("#e1.q={}&e1.theme={}&e1.t=c{}", "é".repeat(100_000), vec!["t"; 10_000].join(","), "9".repeat(100_000));
    let s = url_state::decode(&huge, "e1");
    assert_eq!(s.filter.text.chars().count(), 500);
    assert_eq!(s.filter.facet(Facet::Themes), ["t"], "duplicates dropped");
    let many: Vec<String> = (0..1000).map(|i| format!("v{i}")).collect();
    let s = url_state::decode(&format!("#e1.stage={}", many.join(",")), "e1");
    assert_eq!(s.filter.facet(Facet::Stages).len(), 64, "at most 64 values per facet");
    assert_eq!(s.filter.facet(Facet::Stages)[0], "v0");
    let max_page = format!("#e1.page={}", usize::MAX);
    assert_eq!(url_state::decode(&max_page, "e1").page, usize::MAX - 1);
    // A decoded state can always be written back.
    let s = url_state::decode(&max_page, "e1");
    assert_eq!(url_state::decode(&url_state::write("", "e1", &s), "e1"), s);
}

#[test]
fn percent_coding_round_trips_every_character() {
    let all: String = (0u32..0x800).filter_map(char::from_u32).chain(['😀', '\u{10FFFF}', '\u{FEFF}']).collect();
    let encoded = url_state::percent_encode(&all);
    assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~,:%".contains(&b)), "{encoded}");
    assert_eq!(url_state::percent_decode(&encoded), all);
    assert_eq!(url_state::percent_decode("%41%zz%4"), "A%zz%4");
    assert_eq!(url_state::percent_decode("100%"), "100%");
    assert_eq!(url_state::percent_decode("%"), "%");
    assert_eq!(url_state::percent_decode("%e2%82%ac"), "€", "lower-case hex");
}

/// A random hash: `&`-separated parts, mostly `<namespace>.<key>=<value>` with keys and values made of the
/// pieces real hashes are made of, plus random characters.
fn random_hash(rng: &mut Rng) -> String {
    const PREFIXES: [&str; 8] = ["e1.", "e1.", "e1.", "e.", "e2.", "e1", "", "#e1."];
    const KEYS: [&str; 12] = ["t", "theme", "stage", "strategy", "role", "q", "sort", "page", "open", "", "x", "t.t"];
    const PIECES: [&str; 36] = [
        "#",
        "&",
        "=",
        ".",
        ",",
        "%",
        "%C3",
        "%A9",
        "%F0%9F%98",
        "%zz",
        "%2",
        "+",
        "r",
        "d",
        "c",
        "habitat",
        "0",
        "9",
        "-",
        "a",
        "Z",
        "é",
        "😀",
        " ",
        "\u{0}",
        "\u{1}",
        "18446744073709551616",
        "stage",
        "name",
        "started",
        "2",
        "r53",
        "d2A",
        "c75056",
        "cafe-joyeux",
        "%2C",
    ];
    let mut parts = Vec::new();
    for _ in 0..rng.below(6) {
        let mut part = String::new();
        part.push_str(rng.pick_str(&PREFIXES));
        part.push_str(rng.pick_str(&KEYS));
        if rng.chance(90) {
            part.push('=');
        }
        for _ in 0..rng.below(6) {
            if rng.chance(10) {
                part.push(char::from_u32(rng.below(0x3000) as u32).unwrap_or('x'));
            } else {
                part.push_str(rng.pick_str(&PIECES));
            }
        }
        parts.push(part);
    }
    let hash = parts.join("&");
    if rng.chance(50) {
        format!("#{hash}")
    } else {
        hash
    }
}

/// A random state that a link can carry exactly: valid ids, a text that is empty or not blank, short codes.
fn random_state(rng: &mut Rng) -> UrlState {
    const CHARS: [char; 24] = [
        'a', 'z', 'E', '0', '9', ' ', '&', '=', '#', '%', '+', ',', '.', ':', '/', '?', 'é', 'Ç', 'œ', '’', '😀', '中',
        '\t', '"',
    ];
    let id = |rng: &mut Rng| {
        let first = "abcdefghijklmnopqrstuvwxyz0123456789".as_bytes();
        let rest = "abcdefghijklmnopqrstuvwxyz0123456789-".as_bytes();
        let mut s = String::from(*rng.pick(first) as char);
        (0..rng.below(12)).for_each(|_| s.push(*rng.pick(rest) as char));
        s
    };
    let text = |rng: &mut Rng, min: usize| -> String { (0..min + rng.below(20)).map(|_| *rng.pick(&CHARS)).collect() };
    let territory = match rng.below(5) {
        0 => Some(TerritorySel::Region(text(rng, 1))),
        1 => Some(TerritorySel::Department(text(rng, 1))),
        2 => Some(TerritorySel::Commune(text(rng, 1))),
        3 => {
            let (lon, lat) = (rng.below(36_000_001) as i32 - 18_000_000, rng.below(18_000_001) as i32 - 9_000_000);
            Some(TerritorySel::Around(Around {
                name: format!("n{}", text(rng, 0)),
                lon,
                lat,
                km: *rng.pick(&Around::RADII),
            }))
        }
        _ => None,
    };
    let mut filter = Filter { territory, ..Filter::default() };
    for f in Facet::ALL {
        for _ in 0..rng.below(4) {
            let v = id(rng);
            if !filter.facet(f).contains(&v) {
                filter.facet_mut(f).push(v);
            }
        }
    }
    if rng.chance(60) {
        filter.text = text(rng, 0);
        if filter.text.trim().is_empty() {
            filter.text.push('x');
        }
    }
    filter.sort = *rng.pick(&SortKey::ALL);
    // The distance order goes with a radius (a link without one does not carry it).
    if filter.sort == SortKey::Distance && !matches!(filter.territory, Some(TerritorySel::Around(_))) {
        filter.sort = SortKey::Name;
    }
    for p in essaimage::filter::Presence::ALL {
        if rng.chance(20) {
            filter.presence.push(p);
        }
    }
    UrlState {
        filter,
        open: rng.chance(50).then(|| id(rng)),
        page: if rng.chance(50) { 0 } else { rng.below(100_000) },
        map: rng.chance(30).then(|| url_state::MapPos {
            k100: 100 + rng.below(39_901) as u32,
            x: rng.below(1001) as u32,
            y: rng.below(801) as u32,
        }),
        synthesis: rng.chance(30),
        stalled_years: if rng.chance(50) { 0 } else { 1 + rng.below(200) as u32 },
    }
}

#[test]
fn decoding_never_panics_on_random_hashes() {
    let mut rng = Rng::new(99);
    let mut non_default = 0;
    for _ in 0..100_000 {
        let hash = random_hash(&mut rng);
        for ns in ["e1", "e"] {
            let s = url_state::decode(&hash, ns);
            // Whatever was read can be written back and read again identically (blank text aside, which is
            // not written because it filters nothing).
            let mut expected = s.clone();
            if expected.filter.text.trim().is_empty() {
                expected.filter.text.clear();
            }
            let written = url_state::write(&hash, ns, &s);
            assert_eq!(url_state::decode(&written, ns), expected, "{hash:?} → {written:?}");
            non_default += usize::from(s != UrlState::default());
        }
    }
    assert!(non_default > 10_000, "the random hashes exercise the decoder ({non_default} non-default states)");
}

#[test]
fn random_valid_states_survive_a_round_trip() {
    let mut rng = Rng::new(5);
    let foreign = ["", "#intro", "#e2.t=r11&e2.q=caf%C3%A9", "#a=1&b", "#e10.page=4&e.q=x"];
    for _ in 0..20_000 {
        let s = random_state(&mut rng);
        let hash = rng.pick(&foreign);
        let written = round_trip(hash, "e1", &s);
        // Other instances are untouched.
        for other in ["e2", "e", "e10"] {
            assert_eq!(url_state::decode(&written, other), url_state::decode(hash, other), "{written}");
        }
    }
}

#[test]
fn restoring_a_decoded_state_changes_the_widget_state_accordingly() {
    let url = url_state::decode("#e1.t=d35&e1.theme=habitat&e1.page=2&e1.open=envie", "e1");
    let s = State::from_url(url.clone());
    assert_eq!(s.url_state(), url);
    assert_eq!(s.page, 1);
    let mut s2 = s.clone();
    s2.apply(Action::SetTerritory(None));
    assert_eq!(s2.page, 0, "changing a filter goes back to the first page");
    assert_eq!(url_state::decode(&url_state::write("", "e1", &s2.url_state()), "e1"), s2.url_state());
}

// ---------------------------------------------------------------------------------------------------------
// 5. i18n, config and text helpers (beyond the modules' own unit tests)
// ---------------------------------------------------------------------------------------------------------

#[test]
fn config_reads_sizes_page_sizes_and_base_urls() {
    fn raw(f: impl FnOnce(&mut RawOptions)) -> (Config, Vec<String>) {
        let mut r = RawOptions::default();
        f(&mut r);
        Config::resolve(r, "e1")
    }
    for (mb, bytes) in [("1", 1_000_000), (" 120 ", 120_000_000), ("2000", 2_000_000_000)] {
        let (c, w) = raw(|r| r.max_mb = Some(mb.into()));
        assert_eq!((c.max_bytes, w.len()), (bytes, 0), "{mb:?}");
    }
    for bad in ["0", "-1", "2001", "0.5", "1.5", "NaN", "inf", "50MB"] {
        let (c, w) = raw(|r| r.max_mb = Some(bad.into()));
        assert_eq!((c.max_bytes, w.len()), (schema::DEFAULT_MAX_BYTES, 1), "{bad}");
    }
    for (p, size, warnings) in [("5", 5, 0), ("100", 100, 0), ("4", 20, 1), ("101", 20, 1), ("ten", 20, 1), ("", 20, 0)]
    {
        let (c, w) = raw(|r| r.page_size = Some(p.into()));
        assert_eq!((c.page_size, w.len()), (size, warnings), "{p}");
    }
    let (c, _) = raw(|r| r.base = Some("https://cdn.example.fr/essaimage".into()));
    assert_eq!(c.asset("data/communes.csv"), "https://cdn.example.fr/essaimage/data/communes.csv");
    let (c, _) = raw(|r| r.base = Some("https://cdn.example.fr/e/".into()));
    assert_eq!(c.asset("x.js"), "https://cdn.example.fr/e/x.js");
    let (c, _) = raw(|r| r.dataset = Some("   ".into()));
    assert_eq!(c.dataset, None, "a blank dataset is no dataset");
    let (c, w) = raw(|r| r.id = Some("a".repeat(33)));
    assert_eq!((c.ns.as_str(), w.len()), ("e1", 1), "namespaces are at most 32 characters");
    let (c, w) = raw(|r| r.id = Some("Carte_2-b".into()));
    assert_eq!((c.ns.as_str(), w.len()), ("Carte_2-b", 0));
    for (d, on) in [("false", false), ("0", false), ("TRUE", true), ("1", true), (" ", true)] {
        assert_eq!(raw(|r| r.debug = Some(d.into())).0.debug, on, "{d:?}");
    }
    let (c, w) = raw(|r| r.lang = Some("en_US".into()));
    assert_eq!((c.locale, w.len()), (Locale::En, 0));
}

#[test]
fn i18n_helpers_format_counts_pages_dates_and_chips() {
    assert_eq!(i18n::number(Locale::Fr, 999), "999");
    assert_eq!(i18n::number(Locale::Fr, 1000), "1\u{202F}000");
    assert_eq!(i18n::number(Locale::En, 0), "0");
    let innovations = i18n::Noun::default();
    assert_eq!(i18n::results_status(Locale::En, &innovations, 3, 59), "3 innovations of 59");
    assert_eq!(i18n::results_status(Locale::En, &innovations, 1, 1), "1 innovation");
    assert_eq!(i18n::not_located_count(Locale::Fr, &innovations, 1), "1 innovation sans localisation");
    // While loading: the first records shown as the file downloads (no total yet), then how many were read.
    assert_eq!(
        i18n::loading_progress(Locale::Fr, &innovations, 2000, 0),
        "Chargement : 2\u{202F}000 innovations à l'écran pendant que la suite du fichier arrive. Liste, nombres et \
         carte seront complets à la fin."
    );
    assert_eq!(
        i18n::loading_progress(Locale::En, &innovations, 2000, 0),
        "Loading: 2,000 innovations shown while the rest of the file downloads. The list, counts and map will be \
         complete at the end."
    );
    assert_eq!(
        i18n::loading_progress(Locale::Fr, &innovations, 4000, 100_000),
        "Chargement : lecture de 4\u{202F}000 innovations sur 100\u{202F}000. Liste, nombres et carte seront complets \
         à la fin."
    );
    assert_eq!(i18n::not_located_count(Locale::En, &innovations, 2), "2 innovations without a location");
    assert_eq!(i18n::page_of(Locale::Fr, 2, 7), "Page 2 sur 7");
    assert_eq!(i18n::page_of(Locale::En, 2, 7), "Page 2 of 7");
    assert_eq!(i18n::remove_filter(Locale::Fr, "Thématique", "Habitat"), "Retirer le filtre Thématique : Habitat");
    assert_eq!(i18n::remove_filter(Locale::En, "Theme", "Housing"), "Remove filter Theme: Housing");
    assert_eq!(i18n::updated_on(Locale::En, "2026-01-01"), "Data updated on 1 January 2026");
    assert_eq!(
        i18n::updated_on(Locale::Fr, "2026-13-01"),
        "Données mises à jour le 2026-13-01",
        "unparsable: as written"
    );
    assert_eq!(i18n::updated_on(Locale::En, "soon"), "Data updated on soon");
    assert_eq!((Locale::Fr.tag(), Locale::En.tag()), ("fr", "en"));
    assert_eq!(Locale::default(), Locale::Fr);
    for msg in [Msg::WidgetLabel, Msg::NotLocated, Msg::BaseMapAttribution, Msg::SearchHint] {
        assert!(!i18n::t(Locale::Fr, msg).is_empty() && !i18n::t(Locale::En, msg).is_empty());
        assert_ne!(i18n::t(Locale::Fr, msg), i18n::t(Locale::En, msg), "{msg:?}");
    }
}

#[test]
fn labels_fall_back_to_the_other_language() {
    let l = Label::new("Logement", "");
    assert_eq!((l.get(Locale::Fr), l.get(Locale::En)), ("Logement", "Logement"));
    let l = Label::new("", "Housing");
    assert_eq!(l.get(Locale::Fr), "Housing");
    let v = Vocabularies::builtin();
    for kind in VocabKind::ALL {
        assert_eq!(VocabKind::from_key(kind.key()), Some(kind));
        for e in &v.get(kind).entries {
            assert!(schema::is_valid_id(&e.id), "{}", e.id);
            assert!(!e.label.fr.is_empty() && !e.label.en.is_empty(), "{}", e.id);
        }
    }
    // The built-in vocabularies are those of DATASET.md, in its order.
    let ids = |k: VocabKind| v.get(k).entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(" ");
    assert_eq!(
        ids(VocabKind::Stages),
        "amorcage experimentation consolidation essaimage changement-echelle generalisation"
    );
    assert_eq!(v.themes.len(), 15);
    assert_eq!(
        ids(VocabKind::ScalingStrategies),
        "diversification duplication essaimage-souple essaimage-reseau cooperation-fusion reprise-publique"
    );
    assert_eq!(
        ids(VocabKind::PublicSupport),
        "financement ecosysteme appui-diffusion reprise-institutionnelle commande-publique"
    );
    assert_eq!(ids(VocabKind::CarrierKinds), "association cooperative entreprise collectivite groupement fondation");
}

#[test]
fn text_helpers_fold_split_and_gate_urls() {
    assert_eq!(text::fold("ΣΟΦΙΑ МОСКВА Straße"), "σοφια москва strasse", "Greek and Cyrillic capitals are lowered");
    assert_eq!(text::query_words("  Café\u{00A0}des\u{202F}ENFANTS  "), ["cafe", "des", "enfants"]);
    assert!(text::query_words(" \t ").is_empty());
    assert_eq!(text::safe_http_url("https://user@example.fr/x").as_deref(), Some("https://user@example.fr/x"));
    assert_eq!(text::safe_http_url("https://user@/x"), None);
    assert_eq!(text::safe_http_url("https://:8080/x"), None);
    assert_eq!(text::safe_http_url(&format!("https://example.fr/{}", "a".repeat(2048))), None, "over 2048 bytes");
    let mut s = "Économie".to_owned();
    assert!(!text::truncate_chars(&mut s, 8));
    assert!(text::truncate_chars(&mut s, 1));
    assert_eq!(s, "É");
}

// ---------------------------------------------------------------------------------------------------------
// 6. The JSON reader (`src/json.rs`): positions, robustness, throughput
// ---------------------------------------------------------------------------------------------------------

/// The line, column and cause of a fatal syntax error.
fn syntax_error(text: &str) -> (usize, usize, String) {
    match fatal(text.as_bytes()) {
        LoadError::NotJson { line, column, detail, .. } => (line, column, detail),
        other => panic!("expected NotJson for {text:?}, got {other:?}"),
    }
}

#[test]
fn syntax_errors_are_placed_as_serde_json_placed_them() {
    // Positions checked against serde_json 1.0.154 with the previous character-column conversion; causes in its
    // words, except where noted.
    for (text, line, column, cause) in [
        ("", 1, 0, "EOF while parsing a value"),
        ("   \n", 2, 0, "EOF while parsing a value"),
        ("{", 1, 1, "EOF while parsing an object"),
        // serde_json said "EOF while parsing a list" (same place).
        ("{\"innovations\": [", 1, 17, "EOF while parsing a value"),
        ("{\"innovations\": []}\n}", 2, 1, "trailing characters"),
        ("{\"innovations\": [] \"x\": 1}", 1, 20, "expected `,` or `}`"),
        ("{\"innovations\" []}", 1, 16, "expected `:`"),
        ("{\"innovations\": [1 2]}", 1, 20, "expected `,` or `]`"),
        // serde_json said "expected value" inside values, "trailing comma" at the top level (same place).
        ("{\"innovations\": [1,]}", 1, 20, "trailing comma"),
        ("{\"innovations\": [], }", 1, 21, "trailing comma"),
        ("{\"title\": \"Été\", \"innovations\": [{\"id\": \"a\",}]}", 1, 45, "trailing comma"),
        ("{\"innovations\": [], 3: 1}", 1, 21, "key must be a string"),
        ("{\"title\": tru, \"innovations\": []}", 1, 14, "expected ident"),
        ("{\"title\": \"a\\qb\"}", 1, 14, "invalid escape"),
        ("{\"\\udc00\": 1}", 1, 8, "lone surrogate in hex escape"),
        ("{\"\\ud800\\u0041\": 1}", 1, 14, "lone surrogate in hex escape"),
        ("{\"title\": \"ab", 1, 13, "EOF while parsing a string"),
        ("{\"title\": 01}", 1, 12, "invalid number"),
        ("{\"title\": -}", 1, 12, "invalid number"),
        ("{\"title\": 1.}", 1, 13, "invalid number"),
        ("{\"title\": 1e+x}", 1, 14, "invalid number"),
        ("{\"innovations\": [{\"id\": \"é\", \"name\": \"à\" \"x\": 1}]}", 1, 42, "expected `,` or `}`"),
        ("{\"title\": \"Été\tx\"}", 1, 15, CONTROL),
        ("{\"title\": \"Été\nx\"}", 1, 15, CONTROL),
        // Differences: a control character in a value is placed on itself (serde_json placed it on the character
        // before when that one was ASCII: column 13 here), and a raw line break in a key at the end of its line,
        // as in values (serde_json said line 2, column 0).
        ("{\"title\": \"ab\tx\"}", 1, 14, CONTROL),
        ("{\"ti\ntle\": 1}", 1, 4, CONTROL),
        // The same for any error on a line break (serde_json said: the next line, column 0).
        ("{\"title\": tru\n}", 1, 13, "expected ident"),
        // A bad `\u` escape is placed on the first character that is not a hex digit (serde_json placed it on the
        // fourth after `\u`: column 17 here).
        ("{\"title\": \"\\u12G4\"}", 1, 16, "invalid escape"),
        // A lone surrogate is an error in values too (serde_json only checked keys at this stage, and the value
        // was later read as null).
        ("{\"title\": \"\\ud800\", \"innovations\": []}", 1, 18, "unexpected end of hex escape"),
    ] {
        assert_eq!(syntax_error(text), (line, column, cause.to_owned()), "{text:?}");
    }
}

const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";

#[test]
fn nesting_deeper_than_the_limit_is_an_error_not_a_stack_overflow() {
    // 127 levels are fine, anywhere; the 128th opening bracket is refused, at its position.
    let nested = |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
    let record = |value: &str| format!(r#"{{"innovations": [{{"id": "a", "name": "A", "deep": {value}}}]}}"#);
    let ok = nested("[", "]", json::DEPTH_LIMIT - 4);
    let (dataset, _) = load(&record(&ok));
    assert_eq!(dataset.innovations.len(), 1);
    // `{"innovations": [{"id": "a", "name": "A", "deep": ` is 50 characters and 3 levels deep.
    let (line, column, cause) = syntax_error(&record(&nested("[", "]", json::DEPTH_LIMIT - 3)));
    assert_eq!((line, column, cause.as_str()), (1, 50 + json::DEPTH_LIMIT - 3, "recursion limit exceeded"));
    for open in ["[", "{\"a\":", "[{\"a\":"] {
        let huge = open.repeat(200_000);
        assert_eq!(json::parse(&huge).unwrap_err().cause, "recursion limit exceeded");
        assert_eq!(syntax_error(&format!("{{\"x\": {huge}")).2, "recursion limit exceeded");
    }
    assert!(json::parse(&nested("[", "]", json::DEPTH_LIMIT - 1)).is_ok());
}

/// Checks what must hold for any input: no panic (a panic fails the test), a syntax error placed inside the text,
/// and a parsed value that reads back the same once written.
fn check_any_json(text: &str) {
    match json::parse(text) {
        Ok(value) => assert_eq!(json::parse(&value.to_string()).as_ref(), Ok(&value), "{text:?}"),
        Err(e) => {
            let lines: Vec<&str> = text.split('\n').collect();
            assert!((1..=lines.len()).contains(&e.line), "{e} in {text:?}");
            assert!(e.column <= lines[e.line - 1].chars().count() + 1, "{e} in {text:?}");
            assert!(e.column > 0 || e.line == lines.len(), "column 0 only at the end: {e} in {text:?}");
        }
    }
}

#[test]
fn mutated_documents_never_panic_and_errors_point_inside_them() {
    let mut rng = Rng::new(7);
    let demo_start = &DEMO_JSON[..DEMO_JSON.char_indices().nth(4_000).unwrap().0];
    let seeds: Vec<&[u8]> = vec![
        MIXED_JSON.as_bytes(),
        NETWORK_JSON.as_bytes(),
        VOCABULARIES_JSON.as_bytes(),
        demo_start.as_bytes(),
        br#"{"a": [1, -0.5e-3, 1E+2, true, false, null, "\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "a": {"": {}}}"#,
    ];
    let pieces: [&[u8]; 24] = [
        b"{",
        b"}",
        b"[",
        b"]",
        b",",
        b":",
        b"\"",
        b"\\",
        b" ",
        b"\n",
        b"\t",
        b"0",
        b"-",
        b"e",
        b".",
        b"\\u",
        b"\\ud800",
        b"\\udc00",
        b"\x01",
        "é".as_bytes(),
        b"\xff",
        b"\xe9",
        b"[[[[[[[[[[[[[[[[",
        b"1e400",
    ];
    let mut outcomes = [0usize; 3];
    for round in 0..6_000 {
        let mut bytes = seeds[round % seeds.len()].to_vec();
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(bytes.len() + 1);
            match rng.below(5) {
                0 => bytes.truncate(at),
                1 if at < bytes.len() => bytes[at] = rng.next() as u8,
                2 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {
                    let piece = pieces[rng.below(pieces.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check_any_json(text);
        }
        match validate(&bytes, &opts()) {
            Ok(_) => outcomes[0] += 1,
            Err(LoadError::NotJson { line, column, .. }) => {
                outcomes[1] += 1;
                let text = String::from_utf8_lossy(&bytes);
                let lines: Vec<&str> = text.split('\n').collect();
                assert!((1..=lines.len()).contains(&line), "line {line} in {text:?}");
                assert!(column <= lines[line - 1].chars().count() + 1, "column {column} of line {line} in {text:?}");
            }
            Err(_) => outcomes[2] += 1,
        }
    }
    eprintln!("mutated documents: {} valid, {} not JSON, {} other fatal errors", outcomes[0], outcomes[1], outcomes[2]);
    assert!(outcomes.iter().all(|&n| n > 100), "the mutations exercise every outcome: {outcomes:?}");
}

#[test]
fn json_values_numbers_and_duplicate_keys_read_as_before() {
    let v = json::parse(r#"{"a": 1, "b": [2014, "2014", -0, 1.5, 1e400], "a": "last"}"#).unwrap();
    assert_eq!(v.get("a").and_then(Json::as_str), Some("last"), "the last value of a duplicate key");
    assert_eq!(v.as_object().map(<[_]>::len), Some(3), "but every entry is kept, in order");
    let b = v.get("b").and_then(Json::as_array).unwrap();
    let Json::Number(year) = &b[0] else { panic!("{b:?}") };
    assert_eq!((year.as_i64(), year.as_u64(), year.as_str()), (Some(2014), Some(2014), "2014"));
    assert_eq!(b[1].as_str(), Some("2014"), "a string stays a string");
    assert_eq!(b[2].as_f64().map(f64::is_sign_negative), Some(true));
    assert_eq!((b[3].as_f64(), b[4].as_f64()), (Some(1.5), None));
    // Written back compactly, numbers as in the source.
    assert_eq!(v.get("b").unwrap().to_string(), r#"[2014,"2014",-0,1.5,1e400]"#);
    // Out-of-range and non-integer numbers are reported, not silently dropped (serde_json read them as null).
    check_one(
        &rec(r#""started": 1e400, "sites": 2.5"#),
        true,
        &[
            ("started", ProblemKind::WrongType { expected: "integer" }),
            ("sites", ProblemKind::WrongType { expected: "integer" }),
        ],
    );
    check_one(
        r#"{"id": {"b": 1, "a": 1.50}, "name": "N"}"#,
        false,
        &[("id", ProblemKind::InvalidId(r#"{"b":1,"a":1.50}"#.into()))],
    );
}

#[test]
fn embed_options_are_read_from_the_loaders_json() {
    let raw = RawOptions::from_json(
        r#"{"dataset": "https://x.fr/d.json", "lang": null, "debug": "", "max_mb": 3, "unknown": ["data-x", 1]}"#,
    )
    .unwrap();
    assert_eq!(raw.dataset.as_deref(), Some("https://x.fr/d.json"));
    assert_eq!((raw.lang, raw.debug.as_deref()), (None, Some("")), "null is absent");
    assert_eq!(raw.max_mb.as_deref(), Some("3"), "a number where a number is meant is read as its text");
    assert_eq!(raw.unknown, ["data-x"]);
    assert!(raw.wrong_types.is_empty(), "{:?}", raw.wrong_types);
    assert_eq!(RawOptions::from_json("[]").unwrap_err(), "options must be a JSON object");
    assert_eq!(RawOptions::from_json("{\"lang\": \"fr\",}").unwrap_err(), "trailing comma at line 1 column 15");
}

/// `Essaimage.mount(el, {...})` takes any value: one of a type its option cannot take is warned about in the
/// console, like any unusable value, and counts as absent (never turned into text nor dropped in silence).
#[test]
fn embed_options_of_the_wrong_type_are_warned_about() {
    let resolve = |json: &str| {
        let raw = RawOptions::from_json(json).unwrap();
        Config::resolve(raw, "e1")
    };
    for (json, option, found) in [
        (r#"{"dataset": 42}"#, "dataset", "a number (42)"),
        (r#"{"lang": true}"#, "lang", "a boolean (true)"),
        (r#"{"id": 7}"#, "id", "a number (7)"),
        (r#"{"pageSize": null, "page_size": false}"#, "pageSize", "a boolean (false)"),
        (r#"{"max_mb": [1]}"#, "maxMb", "a list"),
        (r#"{"dataset": {"type": "function"}}"#, "dataset", "a function"),
        (r#"{"lang": {"type": "symbol"}}"#, "lang", "a symbol"),
        (r#"{"page_size": {"type": "number"}}"#, "pageSize", "a number that is not finite"),
        (r#"{"debug": {}}"#, "debug", "an object"),
        (r#"{"debug": 1}"#, "debug", "a number (1)"),
        (r#"{"base": "https://cdn.fr/e/", "base_given": 3}"#, "base", "a number (3)"),
    ] {
        let (c, w) = resolve(json);
        assert_eq!(w.len(), 1, "{json}: {w:?}");
        assert!(w[0].starts_with(&format!("option \"{option}\" must be ")), "{json}: {w:?}");
        assert!(w[0].ends_with(&format!(", not {found}; it was ignored.")), "{json}: {w:?}");
        // The option counts as absent: the defaults apply.
        let defaults = Config::resolve(RawOptions::default(), "e1").0;
        assert_eq!(
            (c.dataset.as_deref(), c.locale, c.ns.as_str(), c.page_size, c.max_bytes, c.debug),
            (None, Locale::Fr, "e1", defaults.page_size, defaults.max_bytes, false),
            "{json}"
        );
    }
    assert_eq!(
        resolve(r#"{"dataset": 42}"#).1,
        ["option \"dataset\" must be a text (the address of the JSON file), not a number (42); it was ignored."]
    );
    // A string where a number is meant is read, and warned about when it is not one (as from a data attribute).
    let (c, w) = resolve(r#"{"page_size": "abc"}"#);
    assert_eq!(
        (c.page_size, w.as_slice()),
        (20, ["data-page-size=\"abc\" must be a whole number from 5 to 100; using 20.".to_owned()].as_slice())
    );
    // Numbers and booleans where they are meant need no warning.
    let (c, w) = resolve(r#"{"page_size": 50, "max_mb": 120, "debug": true}"#);
    assert_eq!((c.page_size, c.max_bytes, c.debug, w.len()), (50, 120_000_000, true, 0), "{w:?}");
    let (c, w) = resolve(r#"{"page_size": 7.5, "debug": false}"#);
    assert_eq!((c.page_size, c.debug, w.len()), (20, false, 1), "{w:?}");
}

/// The instance's namespace in the URL (links, history): `data-id`, else the element's id, else `e` + the mount
/// number, decided here only (the loader passes the element's id and its count of mounts).
#[test]
fn the_instance_namespace_is_data_id_then_the_element_id_then_the_mount_number() {
    let ns = |json: &str| {
        let (c, w) = Config::resolve(RawOptions::from_json(json).unwrap(), "t");
        (c.ns, w.len())
    };
    assert_eq!(ns(r#"{"id": "carte", "element_id": "explorer", "mount": 3}"#), ("carte".into(), 0));
    assert_eq!(ns(r#"{"element_id": "explorer", "mount": 3}"#), ("explorer".into(), 0));
    assert_eq!(ns(r#"{"id": " ", "element_id": "explorer", "mount": 3}"#), ("explorer".into(), 0));
    assert_eq!(ns(r#"{"element_id": "", "mount": 3}"#), ("e3".into(), 0));
    // An element id that cannot be used in links is passed over in silence (the page author did not give it for
    // the widget); a `data-id` that cannot is warned about, and the next rule applies.
    assert_eq!(ns(r#"{"element_id": "not valid!", "mount": 2}"#), ("e2".into(), 0));
    assert_eq!(ns(r#"{"element_id": " explorer", "mount": 2}"#), ("e2".into(), 0));
    assert_eq!(ns(&format!(r#"{{"element_id": "{}", "mount": 2}}"#, "a".repeat(33))), ("e2".into(), 0));
    assert_eq!(ns(r#"{"id": "not valid!", "element_id": "explorer", "mount": 2}"#), ("explorer".into(), 1));
    assert_eq!(ns(r#"{"id": "not valid!", "mount": 2}"#), ("e2".into(), 1));
    // Without the loader's count (native callers, tests), the caller's fallback.
    assert_eq!(ns(r#"{"mount": -1}"#), ("t".into(), 0));
    assert_eq!(ns("{}"), ("t".into(), 0));
    let (_, w) = Config::resolve(RawOptions::from_json(r#"{"id": "a b", "element_id": "explorer"}"#).unwrap(), "t");
    assert_eq!(
        w,
        ["id \"a b\" cannot be used in links (use letters, digits, \"-\" or \"_\", at most 32); using \"explorer\"."]
    );
}

/// A dataset of `n` records as JSON text, each about 500 bytes (accented summary, origin, replicas, sources): 100,000
/// records make a 50 MB file, the default size limit.
fn synthetic_json(n: usize) -> String {
    let mut rng = Rng::new(11);
    let words = ["café", "réseau", "écologie", "solidarité", "territoire", "jeunes", "énergie", "l’atelier"];
    let mut out = String::with_capacity(n * 500);
    out.push_str("{\n  \"schema\": \"essaimage/1\",\n  \"title\": \"Synthétique\",\n  \"innovations\": [\n");
    for i in 0..n {
        let summary: Vec<&str> = (0..14).map(|_| *rng.pick(&words)).collect();
        let place = |rng: &mut Rng| {
            format!(
                r#"{{"commune": "Rennes", "department": "35", "lon": -1.{:06}, "lat": 48.{:06}}}"#,
                rng.below(1_000_000),
                rng.below(1_000_000)
            )
        };
        let replicas: Vec<String> = (0..rng.below(3)).map(|_| place(&mut rng)).collect();
        out.push_str(&format!(
            "    {{\"id\": \"r{i}\", \"name\": {}, \"summary\": {}, \"themes\": [\"habitat\"], \"stage\": \"essaimage\", \
             \"started\": {}, \"origin\": {}, \"replicas\": [{}], \"sources\": [\"https://example.fr/{i}\"]}}{}\n",
            Json::String(format!("Initiative n° {i} « {} »", rng.pick(&words))),
            Json::String(summary.join(" ")),
            1950 + rng.below(77),
            place(&mut rng),
            replicas.join(", "),
            if i + 1 < n { "," } else { "" }
        ));
    }
    out.push_str("  ]\n}\n");
    out
}

#[test]
fn json_reading_throughput_on_a_large_dataset() {
    // Timings are printed, never asserted: `cargo test --release --test core throughput -- --nocapture`.
    let n = if cfg!(debug_assertions) { 10_000 } else { 100_000 };
    let text = synthetic_json(n);
    let mb = text.len() as f64 / 1e6;
    let rate = |d: std::time::Duration| mb / d.as_secs_f64();
    let started = std::time::Instant::now();
    let (dataset, report) = validate(text.as_bytes(), &opts()).unwrap();
    let validation = started.elapsed();
    assert_eq!((dataset.innovations.len(), report.problems.len()), (n, 0), "{:?}", report.problems.first());
    drop(dataset);
    let started = std::time::Instant::now();
    let mut p = json::Parser::new(&text);
    let raw = p.skip().unwrap();
    let check = started.elapsed();
    assert_eq!(raw.len(), text.trim_end().len());
    let started = std::time::Instant::now();
    let tree = json::parse(&text).unwrap();
    let whole = started.elapsed();
    assert_eq!(tree.get("innovations").and_then(Json::as_array).map(<[_]>::len), Some(n));
    drop(tree);
    eprintln!(
        "JSON, {n} records, {mb:.1} MB ({} build): schema::validate {validation:?} ({:.0} MB/s); \
         syntax check only {check:?} ({:.0} MB/s); whole document as one tree {whole:?} ({:.0} MB/s)",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        rate(validation),
        rate(check),
        rate(whole),
    );
}

#[test]
fn a_dataset_read_a_slice_at_a_time_gives_the_same_result_and_shows_the_records_so_far() {
    let bytes = DEMO_JSON.as_bytes();
    let whole = validate(bytes, &opts()).expect("the demo loads");
    let mut reading = schema::Reading::start(&bytes, None, &opts());
    assert_eq!(reading.progress(), (0, 65));
    assert!(!reading.step(10));
    assert_eq!(reading.progress(), (10, 65));
    let partial = reading.partial().expect("reading by pieces");
    assert_eq!(partial.innovations, whole.0.innovations[..10], "the first ten records, as read in full");
    assert_eq!(partial.vocabularies, whole.0.vocabularies);
    let mut calls = 2;
    while !reading.step(10) {
        calls += 1;
    }
    assert_eq!(calls, 7, "65 records in slices of 10");
    assert_eq!(reading.into_result(), Ok(whole));

    // A syntax error in a later record: the slices read before it are dropped and the whole document is read
    // again, for the exact message.
    let broken = DEMO_JSON.replacen(r#""id": "unis-cite""#, r#""id": "unis-cite" "#, 1).replacen(
        r#""name": "Unis-Cité""#,
        r#""name" "Unis-Cité""#,
        1,
    );
    let expected = validate(broken.as_bytes(), &opts());
    assert!(matches!(expected, Err(LoadError::NotJson { .. })), "{expected:?}");
    let b = broken.as_bytes();
    let mut reading = schema::Reading::start(&b, None, &opts());
    while !reading.step(3) {}
    assert_eq!(reading.into_result(), expected);
    assert_eq!(schema::read_whole(b, &opts()), expected);
}

#[test]
fn the_first_records_of_a_dataset_still_downloading_read_as_in_the_whole_file() {
    let bytes = DEMO_JSON.as_bytes();
    let whole = validate(bytes, &opts()).expect("the demo loads").0;
    let array = DEMO_JSON.find(r#""innovations""#).unwrap();
    // Fed in uneven pieces, as a download arrives.
    let mut scanner = json::Scanner::new("innovations");
    let (mut at, mut previews) = (0, 0);
    for (i, size) in [1, 7, 300, 4096, 911].iter().cycle().enumerate() {
        if at == bytes.len() {
            break;
        }
        let end = (at + size + i % 5).min(bytes.len());
        scanner.feed(&bytes[at..end]);
        at = end;
        let Some(layout) = scanner.partial(10) else { continue };
        assert!(at > array, "a layout only once inside the array");
        previews += 1;
        let prefix = &bytes[..at];
        let mut reading = schema::Reading::start(&prefix, Some(layout), &opts());
        reading.step(10);
        let first = reading.partial().expect("the prefix reads by pieces");
        assert_eq!(first.innovations, whole.innovations[..10], "after {at} bytes");
        assert_eq!((first.meta.clone(), first.vocabularies.clone()), (whole.meta.clone(), whole.vocabularies.clone()));
    }
    assert!(previews > 3, "the first ten records were readable before the end ({previews} times)");
    assert!(scanner.partial(10).is_none(), "the document is whole: no partial layout");
    assert!(scanner.partial(0).is_none());
    assert!(json::Scanner::new("innovations").partial(0).is_none(), "nothing fed");
    let mut short = json::Scanner::new("innovations");
    short.feed(&bytes[..array + 20]);
    assert!(short.partial(1).is_none() && short.partial(0).is_some(), "inside the array, before its first record");
}

#[test]
fn syntax_errors_are_explained_in_french_and_an_empty_file_is_called_empty() {
    let deep = "[".repeat(200);
    let inputs = [
        "[1",
        "\"a",
        "{\"a\":1",
        "{\"a\":",
        "\"a\u{1}\"",
        "[1 2]",
        "{\"a\":1 \"b\":2}",
        "{\"a\" 1}",
        "tru",
        "\"\\x\"",
        "-",
        "{1:2}",
        "\"\\ud800\"",
        "\"\\u12\"",
        &deep,
        "{} 2",
        "[1,]",
        "{\"a\":1,}",
        "trux",
        "-x",
        "x",
        "\"\\ud800\\u0041\"",
    ];
    let mut causes = BTreeSet::new();
    for input in inputs {
        let e = json::parse(input).expect_err(input);
        causes.insert(e.cause);
        let err = LoadError::NotJson {
            url: URL.into(),
            line: e.line,
            column: e.column,
            detail: e.cause.into(),
            looks_like_html: false,
        };
        let (_, fr) = err.message(Locale::Fr);
        let (_, en) = err.message(Locale::En);
        assert!(en.contains(e.cause), "{en}");
        assert!(!fr.contains(e.cause), "the French message quotes the English cause: {fr}");
    }
    assert!(causes.len() >= 18, "{causes:?}");

    let empty = fatal(b"");
    let (_, fr) = empty.message(Locale::Fr);
    assert!(fr.contains("est vide") && !fr.contains("colonne 0"), "{fr}");
    let (_, en) = fatal(b"  \n").message(Locale::En);
    assert!(en.contains("Syntax error at line 2, column 0") || en.contains("is empty"), "{en}");
}

#[test]
fn duplicate_ids_are_reported_in_file_order_after_each_record_own_problems() {
    // Rejections for a duplicate id are decided once every record is read (one sort of the ids): they must still
    // come in file order, each after its record's other problems, with the first record of that id named.
    let (dataset, report) = load(&doc(&[
        r#"{"id": "z", "name": "Z", "sites": -1}"#,
        r#"{"id": "a", "name": "A"}"#,
        r#"{"id": "z", "name": "Z2", "started": 3000}"#,
        r#"{"id": "a", "name": ""}"#,
        r#"{"id": "a", "name": "A2", "sites": -2}"#,
        r#"{"id": "b", "name": "B", "sites": -3}"#,
        r#"{"id": "z", "name": "Z3"}"#,
    ]));
    let ids: Vec<&str> = dataset.innovations.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["z", "a", "b"]);
    let got: Vec<(Option<usize>, &str, String)> = report
        .problems
        .iter()
        .map(|p| {
            (
                p.index,
                p.id.as_deref().unwrap_or(""),
                format!("{:?}", p.kind).split([' ', '(']).next().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let want = [
        (Some(0), "z", "NegativeSites"),
        (Some(2), "z", "YearOutOfRange"),
        (Some(2), "z", "DuplicateId"),
        (Some(3), "a", "InvalidName"),
        (Some(4), "a", "NegativeSites"),
        (Some(4), "a", "DuplicateId"),
        (Some(5), "b", "NegativeSites"),
        (Some(6), "z", "DuplicateId"),
    ];
    let want: Vec<(Option<usize>, &str, String)> = want.iter().map(|(i, id, k)| (*i, *id, k.to_string())).collect();
    assert_eq!(got, want);
    let firsts: Vec<usize> = report
        .problems
        .iter()
        .filter_map(|p| match p.kind {
            ProblemKind::DuplicateId { first_index } => Some(first_index),
            _ => None,
        })
        .collect();
    assert_eq!(firsts, [0, 1, 0]);
}

#[test]
fn records_without_a_value_are_counted_and_filtered_as_unspecified_so_counts_add_up() {
    let docs = r#"{"innovations": [
        {"id": "a", "name": "A", "stage": "amorcage", "themes": ["habitat"]},
        {"id": "b", "name": "B", "themes": ["habitat", "alimentation"]},
        {"id": "c", "name": "C"},
        {"id": "d", "name": "D", "stage": "essaimage"}
    ]}"#;
    let loaded = explorer(docs);
    let index = &loaded.index;
    let all = index.apply(&Filter::default());
    let stages = all.counts.facet(Facet::Stages);
    assert_eq!(stages.last(), Some(&2), "b and c have no stage");
    assert_eq!(stages.iter().sum::<usize>(), 4, "stage counts add up to the results");
    assert_eq!(index.totals(Facet::Themes).last(), Some(&2), "c and d have no theme");
    assert_eq!(index.totals(Facet::Strategies).last(), Some(&4), "no record has a strategy: the facet is empty");
    let mut unspecified = Filter::default();
    unspecified.toggle(Facet::Stages, UNSPECIFIED);
    let ids = |f: &Filter| {
        index.apply(f).ids.iter().map(|&i| index.dataset.innovations[i as usize].id.clone()).collect::<Vec<_>>()
    };
    assert_eq!(ids(&unspecified), ["b", "c"]);
    unspecified.toggle(Facet::Stages, "amorcage");
    assert_eq!(ids(&unspecified), ["a", "b", "c"], "or-ed with the facet's other values");
    assert_matches_naive(index, &unspecified);
    let url = essaimage::url_state::UrlState { filter: unspecified.clone(), ..Default::default() };
    let hash = essaimage::url_state::write("", "e1", &url);
    assert_eq!(essaimage::url_state::decode(&hash, "e1").filter, unspecified, "in a shared link: {hash}");
}

#[test]
fn a_dataset_names_what_it_lists_in_both_languages_or_is_told_how() {
    let named = |noun: &str| {
        let doc = format!(r#"{{"noun": {noun}, "innovations": [{{"id": "a", "name": "A"}}]}}"#);
        load(&doc)
    };
    let (dataset, report) = named(r#"{"fr": ["tiers-lieu", "tiers-lieux"], "en": ["third place", "third places"]}"#);
    assert!(report.is_clean(), "{report:?}");
    assert_eq!(dataset.meta.noun.count(Locale::Fr, 2), "2 tiers-lieux");
    assert_eq!(dataset.meta.noun.count(Locale::En, 1), "1 third place");
    let (dataset, report) = named(r#"{"fr": ["projet", "projets"]}"#);
    assert!(report.is_clean());
    assert_eq!(dataset.meta.noun.count(Locale::En, 3), "3 projets", "a language left out takes the other's words");
    for bad in [r#""projets""#, r#"{"fr": ["projet"]}"#, r#"{"fr": ["projet", ""]}"#, r#"{"de": ["a", "b"]}"#, "[]"] {
        let (dataset, report) = named(bad);
        assert_eq!(dataset.meta.noun, i18n::Noun::default(), "{bad}: innovations");
        let kinds: Vec<_> = report.problems.iter().map(|p| (p.field.as_str(), &p.kind)).collect();
        assert_eq!(kinds, [("noun", &ProblemKind::InvalidNoun)], "{bad}");
        assert!(report.problems[0].describe(Locale::Fr).contains("tiers-lieux"), "says how to write it");
    }
}

#[test]
fn vocabulary_values_are_read_by_id_label_or_synonym_as_spreadsheets_write_them() {
    let doc = r#"{"innovations": [
        {"id": "a", "name": "A", "themes": ["Lien social", "logement", "EMPLOI ET INSERTION", "habitat"], "stage": "Consolidation"},
        {"id": "b", "name": "B", "themes": ["Quelque chose d'autre"]}
    ]}"#;
    let (dataset, report) = load(doc);
    let vocabs = &dataset.vocabularies;
    let a = &dataset.innovations[0];
    let themes: Vec<&str> = a.themes.iter().map(|&v| vocabs.themes.id(v)).collect();
    assert_eq!(themes, ["lien-social", "habitat", "emploi-insertion"], "labels and synonyms, each value once");
    assert_eq!(a.stage.map(|s| vocabs.stages.id(s)), Some("consolidation"));
    let kinds: Vec<_> = report.problems.iter().map(|p| (p.id.as_deref(), p.kind.clone())).collect();
    assert_eq!(
        kinds,
        [(Some("b"), ProblemKind::UnknownVocabulary { vocabulary: "themes", value: "Quelque chose d'autre".into() })],
        "only what matches nothing is reported"
    );
}

#[test]
fn places_given_by_postcode_or_commune_name_are_found_in_the_commune_table_and_what_does_not_fit_is_reported() {
    let doc = r#"{"innovations": [
        {"id": "rennes-cp", "name": "A", "origin": {"commune": "Rennes", "postcode": "35000"}},
        {"id": "brest-dep", "name": "B", "origin": {"commune": "Brest", "department": "29"}},
        {"id": "quimper-dep", "name": "C", "origin": {"commune": "Quimper", "department": "29"}},
        {"id": "morlaix-dep", "name": "D", "origin": {"commune": "morlaix", "department": "29"}},
        {"id": "concarneau", "name": "E", "origin": {"commune": "Concarneau"}},
        {"id": "rennes-29", "name": "F", "origin": {"commune": "Rennes", "department": "29"}},
        {"id": "saint-denis", "name": "G", "origin": {"commune": "Saint-Denis"}},
        {"id": "inconnue", "name": "H", "origin": {"commune": "Xyzville-sur-Rien"}},
        {"id": "cp-inconnu", "name": "I", "origin": {"postcode": "99999"}},
        {"id": "cp-faux", "name": "J", "origin": {"commune": "Rennes", "postcode": "29200"}},
        {"id": "cp-nombre", "name": "K", "origin": {"postcode": 1440}},
        {"id": "cp-partage", "name": "M", "origin": {"postcode": "05000"}},
        {"id": "cp-texte", "name": "L", "origin": {"postcode": "35 000"}}
    ]}"#;
    let loaded = explorer(doc);
    let place = |id: &str| &loaded.index.dataset.innovations.iter().find(|i| i.id == id).unwrap().origin;
    let problems = |id: &str| -> Vec<ProblemKind> {
        loaded.report.problems.iter().filter(|p| p.id.as_deref() == Some(id)).map(|p| p.kind.clone()).collect()
    };
    for (id, code) in [
        ("rennes-cp", "35238"),
        ("brest-dep", "29019"),
        ("quimper-dep", "29232"),
        ("morlaix-dep", "29151"),
        ("concarneau", "29039"),
        ("cp-faux", "35238"),
        ("cp-nombre", "01451"),
        ("cp-texte", "35238"),
    ] {
        let p = place(id);
        assert_eq!(p.commune_insee.as_deref(), Some(code), "{id}");
        assert_eq!(p.precision, Precision::Commune, "{id}: at the commune's point, not its department's centre");
    }
    assert_eq!(place("morlaix-dep").commune.as_deref(), Some("Morlaix"), "the official name");
    // Four Finistère towns by name and department: four points, not one cluster at the department's centre.
    let points: BTreeSet<String> = ["brest-dep", "quimper-dep", "morlaix-dep", "concarneau"]
        .iter()
        .map(|id| format!("{:?}", place(id).point))
        .collect();
    assert_eq!(points.len(), 4);
    assert_eq!(
        problems("rennes-29"),
        [ProblemKind::CommuneNotInDepartment { name: "Rennes".into(), given: "29".into(), found: "35".into() }]
    );
    assert_eq!(
        (place("rennes-29").department.as_deref(), place("rennes-29").precision),
        (Some("29"), Precision::Department)
    );
    assert!(matches!(&problems("saint-denis")[..], [ProblemKind::AmbiguousCommuneName { count, .. }] if *count > 1));
    assert_eq!(place("saint-denis").point, None, "not placed at a guess");
    assert_eq!(
        problems("inconnue"),
        [ProblemKind::UnknownCommuneName { name: "Xyzville-sur-Rien".into(), department: None }]
    );
    assert_eq!(problems("cp-inconnu"), [ProblemKind::UnknownPostcode("99999".into())]);
    assert_eq!(
        problems("cp-faux"),
        [ProblemKind::PostcodeMismatch { postcode: "29200".into(), name: "Rennes".into() }]
    );
    assert!(problems("rennes-cp").is_empty() && problems("cp-nombre").is_empty());
    // A postcode several communes share, with no name: reported with their names, not placed at a guess.
    match &problems("cp-partage")[..] {
        [ProblemKind::AmbiguousCommuneName { name, count }] => {
            assert!(name.contains("Gap") && *count > 1, "{name}");
        }
        other => panic!("{other:?}"),
    }
    for p in &loaded.report.problems {
        let (fr, en) = (p.describe(Locale::Fr), p.describe(Locale::En));
        assert!(!fr.is_empty() && !en.is_empty() && fr != en, "{p:?}");
    }
}
