//! Regression tests for what fuzzing found (`make fuzz`, `docs/FUZZING.md`), one named test per finding, each
//! with the smallest input that showed it; then quick runs of the fuzzing harness itself (`tests/common/fuzz.rs`,
//! shared with `examples/fuzz.rs`), so that `cargo test` keeps its generators and invariant checks working.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/fuzz.rs"]
mod fuzz;

/// Counts each thread's allocations, for the `pack` target's memory bound.
#[global_allocator]
static ALLOC: fuzz::CountingAlloc = fuzz::CountingAlloc;

use std::time::Instant;

use essaimage::filter::Facet;
use essaimage::model::VocabKind;
use essaimage::pack;
use essaimage::report::{DataReport, LoadError, ProblemKind};
use essaimage::schema::{self, validate, ValidateOptions};
use essaimage::url_state::{self, UrlState};

use fuzz::{Kind, Target};

fn opts() -> ValidateOptions {
    ValidateOptions {
        url: "https://example.fr/innovations.json".into(),
        current_year: fuzz::YEAR,
        max_bytes: schema::DEFAULT_MAX_BYTES,
    }
}

/// A document holding one record with these fields (JSON text without the braces).
fn one_record(fields: &str) -> String {
    format!(r#"{{"schema": "essaimage/1", "innovations": [{{"id": "a", "name": "A", {fields}}}]}}"#)
}

fn load(doc: &str) -> (essaimage::model::Dataset, DataReport) {
    validate(doc.as_bytes(), &opts()).unwrap_or_else(|e| panic!("unexpected fatal error {e:?}"))
}

fn json_string(s: &str) -> String {
    essaimage::json::Json::String(s.to_owned()).to_string()
}

// ---------------------------------------------------------------------------------------------------------
// Findings (each fixed in the module named; see docs/FUZZING.md)
// ---------------------------------------------------------------------------------------------------------

/// `schema`: a name of 200 blanks then a word was cut at 200 characters into a blank name, and kept.
#[test]
fn fuzz_name_of_blanks_then_a_word_is_not_cut_down_to_a_blank_name() {
    let name = format!("{}Café solidaire", " ".repeat(200));
    let doc = format!(r#"{{"innovations": [{{"id": "a", "name": {}}}]}}"#, json_string(&name));
    let (ds, report) = load(&doc);
    assert_eq!(ds.innovations[0].name, "Café solidaire");
    assert_eq!(report.problems[0].kind, ProblemKind::TextTooLong { max: schema::NAME_MAX, len: 214 });
    // The same with invisible characters, which make a name blank too (`text::is_blank`).
    let name = format!("{}Café", "\u{200b}".repeat(200));
    let (ds, _) = load(&format!(r#"{{"innovations": [{{"id": "a", "name": {}}}]}}"#, json_string(&name)));
    assert_eq!(ds.innovations[0].name, "Café");
    // A name that fits is kept as written, blanks included.
    let (ds, _) = load(r#"{"innovations": [{"id": "a", "name": "  Café  "}]}"#);
    assert_eq!(ds.innovations[0].name, "  Café  ");
}

/// `schema`: the same for a summary (2,000 line breaks, then text).
#[test]
fn fuzz_summary_of_line_breaks_then_text_is_not_kept_blank() {
    let summary = format!("{}Un résumé.", "\n".repeat(schema::SUMMARY_MAX));
    let (ds, report) = load(&one_record(&format!(r#""summary": {}"#, json_string(&summary))));
    assert_eq!(ds.innovations[0].summary.as_deref(), Some("Un résumé."));
    assert!(matches!(report.problems[0].kind, ProblemKind::TextTooLong { max: schema::SUMMARY_MAX, .. }));
    // A summary of invisible characters only (valid: only a name must show something) is cut, not emptied; and
    // blanks before a few invisible characters go first.
    let summary = "\u{200b}".repeat(schema::SUMMARY_MAX + 1);
    let (ds, _) = load(&one_record(&format!(r#""summary": {}"#, json_string(&summary))));
    assert_eq!(ds.innovations[0].summary.as_ref().map(|s| s.chars().count()), Some(schema::SUMMARY_MAX));
    let summary = format!("{}\u{200b}\u{200b}", " ".repeat(schema::SUMMARY_MAX));
    let (ds, _) = load(&one_record(&format!(r#""summary": {}"#, json_string(&summary))));
    assert_eq!(ds.innovations[0].summary.as_deref(), Some("\u{200b}\u{200b}"));
}

/// `schema`: the same for the commune of a place (ideographic spaces, which `trim` removes too).
#[test]
fn fuzz_commune_of_blanks_then_a_name_is_not_kept_blank() {
    let commune = json_string(&format!("{}Brest", "\u{3000}".repeat(schema::NAME_MAX)));
    let (ds, _) =
        load(&one_record(&format!(r#""origin": {{"commune": {commune}}}, "replicas": [{{"commune": {commune}}}]"#)));
    let r = &ds.innovations[0];
    assert_eq!(r.origin.commune.as_deref(), Some("Brest"));
    assert_eq!(r.replicas[0].commune.as_deref(), Some("Brest"));
}

/// `schema`: and a title of 300 blanks then words was cut to blanks, then dropped as empty.
#[test]
fn fuzz_title_of_blanks_then_words_is_kept() {
    let doc = format!(r#"{{"title": {}, "innovations": []}}"#, json_string(&format!("{}Titre", " ".repeat(300))));
    let (ds, report) = load(&doc);
    assert_eq!(ds.meta.title.as_deref(), Some("Titre"));
    assert!(matches!(report.problems[0].kind, ProblemKind::TextTooLong { max: schema::TITLE_MAX, .. }));
}

/// `url_state`: a facet key repeated in the hash added up to 64 values each time, so a link carried any number of
/// them and no longer read back the same once written.
#[test]
fn fuzz_facet_repeated_in_the_hash_reads_at_most_64_values() {
    let list = |p: &str| (0..64).map(|i| format!("{p}{i}")).collect::<Vec<_>>().join(",");
    let hash = format!("#e1.theme={}&e1.theme={}&e1.role=x,x,y", list("a"), list("b"));
    let s = url_state::decode(&hash, "e1");
    let themes = s.filter.facet(Facet::Themes);
    assert_eq!(themes.len(), 64);
    assert_eq!((themes[0].as_str(), themes[63].as_str()), ("a0", "a63"));
    assert_eq!(s.filter.facet(Facet::Support), ["x", "y"]);
    assert_eq!(url_state::decode(&url_state::write("", "e1", &s), "e1"), s, "it reads back the same");
    // Duplicates do not use up the 64: 64 distinct values after 100 copies of one.
    let hash = format!("#e1.theme={},{}", vec!["z"; 100].join(","), list("c"));
    assert_eq!(url_state::decode(&hash, "e1").filter.facet(Facet::Themes).len(), 64);
}

/// `schema`: a vocabulary of more than 65,536 values (what a `ValueIdx` indexes) wrapped around: a record using the
/// 65,541st value was given the 5th, silently. Values past the limit are now ignored and reported.
#[test]
fn fuzz_vocabulary_past_65536_values_does_not_wrap_around() {
    let n = usize::from(u16::MAX) + 1;
    let builtin = essaimage::model::Vocabularies::builtin().get(VocabKind::Themes).len();
    let entries: Vec<String> = (0..n - builtin + 5).map(|i| format!(r#"{{"id": "t{i}", "label": "T{i}"}}"#)).collect();
    let last = n - builtin + 4;
    let doc = format!(
        r#"{{"vocabularies": {{"themes": [{}]}}, "innovations": [{{"id": "a", "name": "A", "themes": ["t{last}", "t4"]}}]}}"#,
        entries.join(",")
    );
    let (ds, report) = load(&doc);
    let themes = ds.vocabularies.get(VocabKind::Themes);
    assert_eq!(themes.len(), n);
    let kept: Vec<&str> = ds.innovations[0].themes.iter().map(|&i| themes.id(i)).collect();
    assert_eq!(kept, ["t4"]);
    let ignored = report.problems.iter().filter(|p| p.kind == ProblemKind::InvalidVocabularyEntry).count();
    assert_eq!(ignored, 5, "the five values past the limit are reported");
    assert!(report
        .problems
        .iter()
        .any(|p| p.kind == ProblemKind::UnknownVocabulary { vocabulary: "themes", value: format!("t{last}") }));
}

/// `schema`: every search in a growing list was linear, so reading was quadratic in the number of keys of a record,
/// of distinct unknown fields, of sources, of vocabulary entries and of the values a record uses: 1 to 2 MB of such
/// lists took 6 to 15 s (release build), and a 50 MB file would have frozen the page for hours. Checked here for
/// what the index must keep exactly as before (duplicates reported once, last value wins, first source kept);
/// the timing is printed (never asserted, as in `tests/core.rs`); `make fuzz` reports executions over 2 s.
#[test]
fn fuzz_an_earlier_innovations_array_is_checked_when_reading_by_pieces() {
    // Found by fuzzing (seed 7, execution 355) the day reading by pieces came in: with `innovations` given twice,
    // only the last array's records were read, so a syntax error in the first array went unseen (the document was
    // accepted; read whole, it is not JSON). Every piece of the document is now read or checked.
    for doc in [
        r#"{"innovations": [{"id": "a", "name": "A", "sites": 0x1}], "innovations": []}"#,
        r#"{"innovations": [{"id": "a", "name": "A"}, tru], "innovations": "x"}"#,
        r#"{"title": "t", "innovations": [[[]], "innovations": []}"#,
    ] {
        let by_pieces = schema::validate(doc.as_bytes(), &opts());
        assert_eq!(by_pieces, schema::read_whole(doc.as_bytes(), &opts()), "{doc}");
        assert!(matches!(by_pieces, Err(LoadError::NotJson { .. })), "{doc}: {by_pieces:?}");
    }
    // And the last array wins, as JSON readers do.
    let doc = one_record(r#""sites": 1"#).replacen('{', r#"{"innovations": [{"id": "z", "name": "Z"}], "#, 1);
    let (dataset, _) = load(&doc);
    assert_eq!(dataset.innovations.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), ["a"]);
}

#[test]
fn fuzz_long_lists_are_read_without_quadratic_searches() {
    let started = Instant::now();
    let n = 20_000;
    // Keys: each twice, the second value wins, each duplicate reported once.
    let keys: Vec<String> = (0..n).flat_map(|i| [format!(r#""k{i}": 1"#), format!(r#""k{i}": 2"#)]).collect();
    let (_, report) = load(&one_record(&keys.join(", ")));
    let dups = report.problems.iter().filter(|p| matches!(p.kind, ProblemKind::DuplicateKey(_))).count();
    let unknown = report.problems.iter().filter(|p| matches!(p.kind, ProblemKind::UnknownField(_))).count();
    assert_eq!((dups, unknown), (n, n));
    // Sources: duplicates dropped, first occurrence kept, in order.
    let sources: Vec<String> = (0..n).map(|i| format!(r#""https://example.fr/{}""#, i % (n / 2))).collect();
    let (ds, _) = load(&one_record(&format!(r#""sources": [{}]"#, sources.join(","))));
    let kept = &ds.innovations[0].sources;
    assert_eq!(kept.len(), n / 2);
    assert!(kept.iter().enumerate().all(|(i, u)| *u == format!("https://example.fr/{i}")));
    // Unknown fields across records: each reported once.
    let records: Vec<String> =
        (0..n).map(|i| format!(r#"{{"id": "r{i}", "name": "N", "x{}": 1}}"#, i % (n / 2))).collect();
    let (ds, report) = load(&format!(r#"{{"innovations": [{}]}}"#, records.join(",")));
    assert_eq!(ds.innovations.len(), n);
    assert_eq!(report.problems.len(), n / 2);
    // Vocabulary: relabelling by id (the last label wins, per language) and values used from the end.
    let mut entries: Vec<String> = (0..n).map(|i| format!(r#"{{"id": "t{i}", "label": "T{i}"}}"#)).collect();
    entries.push(r#"{"id": "t7", "label": {"en": "Seven"}}"#.into());
    entries.push(r#"{"id": "habitat", "label": {"fr": "Logement"}}"#.into());
    let used: Vec<String> = (0..n).rev().map(|i| format!(r#""t{i}""#)).collect();
    let doc = format!(
        r#"{{"vocabularies": {{"themes": [{}]}}, "innovations": [{{"id": "a", "name": "A", "themes": [{}, "t3"]}}]}}"#,
        entries.join(","),
        used.join(",")
    );
    let (ds, report) = load(&doc);
    assert!(report.problems.is_empty(), "{:?}", report.problems.first());
    let themes = ds.vocabularies.get(VocabKind::Themes);
    let t7 = themes.entries.iter().find(|e| e.id == "t7").map(|e| (e.label.fr.as_str(), e.label.en.as_str()));
    assert_eq!(t7, Some(("T7", "Seven")));
    assert_eq!(themes.entries.iter().find(|e| e.id == "habitat").map(|e| e.label.fr.as_str()), Some("Logement"));
    let kept = &ds.innovations[0].themes;
    assert_eq!(kept.len(), n);
    assert_eq!(themes.id(kept[0]), format!("t{}", n - 1));
    eprintln!("long lists ({n} items each, 4 documents): {:?}", started.elapsed());
}

/// `pack`: a record's `sites` of `u64::MAX` (a valid integer) was written as « value + 1 », which overflowed: a
/// panic with overflow checks, and in release builds the value was written as « none », so the pack read back
/// without it.
#[test]
fn fuzz_pack_keeps_sites_of_u64_max() {
    let (dataset, report) = load(&one_record(r#""sites": 18446744073709551615"#));
    assert_eq!(dataset.innovations[0].sites, Some(u64::MAX));
    let packed = pack::write(&dataset, &report);
    assert_eq!(pack::read(&packed), Ok((dataset, report)));
}

/// `pack`: the record count of the head was trusted to reserve memory (up to 2^20 records, 436 MB natively, for a
/// 6 KB pack whose count was damaged; the widget's memory would have grown as much). A count more than the blocks'
/// bytes can hold is now refused before anything is reserved.
#[test]
fn fuzz_pack_record_count_larger_than_the_blocks_reserves_nothing() {
    assert!(fuzz::allocations_counted());
    let (dataset, report) = fuzz::loaded_for_pack(fuzz::MIXED_JSON).expect("loads");
    for claimed in [1 << 20, u64::from(u32::MAX), u64::MAX, dataset.innovations.len() as u64 + 1] {
        let bytes = fuzz::pack_claiming(&dataset, &report, claimed);
        let base = fuzz::peak_from_here();
        assert_eq!(pack::read(&bytes), Err(pack::PackError::Damaged), "{claimed} records claimed");
        let peak = fuzz::peak_since(base);
        assert!(peak < fuzz::pack_memory_bound(bytes.len()), "{claimed} records claimed: {peak} bytes allocated");
    }
    // The true count reads.
    let bytes = fuzz::pack_claiming(&dataset, &report, dataset.innovations.len() as u64);
    assert_eq!(pack::read(&bytes), Ok((dataset, report)));
}

// ---------------------------------------------------------------------------------------------------------
// The harness: quick deterministic runs and its own invariants
// ---------------------------------------------------------------------------------------------------------

/// Runs `n` executions of a target (seed 1) and fails with the first crash's input.
fn quick(target: Target, n: u64) -> fuzz::Outcome {
    let outcome = fuzz::run(Some(target), 1, 0, n, 1, &mut |_| {});
    if let Some(c) = outcome.crashes.first() {
        let input: String = String::from_utf8_lossy(&c.input).chars().take(2_000).collect();
        panic!(
            "{} crash(es); first: {} execution {}: {}\ninput: {input:?}",
            outcome.crashes.len(),
            c.target.name(),
            c.index,
            c.message
        );
    }
    assert_eq!(outcome.execs[target.slot()], n);
    outcome
}

fn count(outcome: &fuzz::Outcome, kind: Kind) -> u64 {
    outcome.kinds[kind as usize]
}

#[test]
fn harness_json_target_holds_its_invariants() {
    let o = quick(Target::Json, 12_000);
    assert!(count(&o, Kind::JsonValid) > 1_000 && count(&o, Kind::JsonError) > 1_000, "{:?}", o.kinds);
}

#[test]
fn harness_schema_target_holds_its_invariants_and_reaches_every_outcome() {
    let o = quick(Target::Schema, 1_000);
    for kind in [
        Kind::SchemaValid,
        Kind::SchemaNotJson,
        Kind::SchemaWrongShape,
        Kind::SchemaUnsupported,
        Kind::SchemaTooLarge,
        Kind::SchemaPipeline,
        Kind::RecordsKept,
        Kind::RecordsRejected,
    ] {
        assert!(count(&o, kind) > 0, "{} never reached: {:?}", kind.name(), o.kinds);
    }
}

#[test]
fn harness_url_target_holds_its_invariants() {
    let o = quick(Target::Url, 5_000);
    for kind in [Kind::UrlDecoded, Kind::UrlRoundTrip, Kind::UrlSafe, Kind::UrlUnsafe] {
        assert!(count(&o, kind) > 100, "{} rarely reached: {:?}", kind.name(), o.kinds);
    }
}

#[test]
fn harness_territory_target_holds_its_invariants() {
    let o = quick(Target::Territory, 1_500);
    for kind in [Kind::CsvRead, Kind::CsvRefused, Kind::GeojsonRead, Kind::OutlinesRead] {
        assert!(count(&o, kind) > 0, "{} never reached: {:?}", kind.name(), o.kinds);
    }
}

#[test]
fn harness_pack_target_holds_its_invariants_and_reaches_every_outcome() {
    assert!(fuzz::allocations_counted(), "the memory bound is checked");
    let o = quick(Target::Pack, 3_000);
    for kind in [Kind::PackRead, Kind::PackVersion, Kind::PackTruncated, Kind::PackDamaged] {
        assert!(count(&o, kind) > 20, "{} rarely reached: {:?}", kind.name(), o.kinds);
    }
}

#[test]
fn harness_executions_are_deterministic_and_independent() {
    let input = |t: Target, i: u64| {
        fuzz::execute(t, 42, i).expect("no crash");
        fuzz::current_input()
    };
    for t in Target::ALL {
        let (a, b, c) = (input(t, 7), input(t, 8), input(t, 7));
        assert_eq!(a, c, "{}: execution 7 replays alone", t.name());
        assert_ne!(a, b, "{}: executions differ", t.name());
    }
    // The mixed schedule: 3 json, 3 schema, 2 url, 1 territory, 1 pack in 10.
    let mut per = [0; 5];
    (0..1_000).for_each(|i| per[Target::of_mixed(i).slot()] += 1);
    assert_eq!(per, [300, 300, 200, 100, 100]);
}

#[test]
fn harness_checks_fail_loudly_on_a_violated_invariant() {
    let fails = |f: &dyn Fn()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err();
    // A position outside the text, a column 0 that is not at its very end.
    assert!(fails(&|| fuzz::check_position("ab\ncd", 3, 1)));
    assert!(fails(&|| fuzz::check_position("ab\ncd", 1, 4)));
    assert!(fails(&|| fuzz::check_position("ab\ncd", 1, 0)));
    assert!(!fails(&|| fuzz::check_position("ab\n", 2, 0)));
    // A state that cannot read back the same (a blank search is left out of links).
    let mut s = UrlState::default();
    s.filter.text = "  ".into();
    assert!(fails(&|| fuzz::check_round_trip("#x", "e1", &s)));
    s.filter.text = "café".into();
    assert!(!fails(&|| fuzz::check_round_trip("#x&e1.q=old&e2.q=y", "e1", &s)));
}

#[test]
fn harness_big_documents_are_valid_inputs() {
    // Built by the schema target once in 5,000 executions; here one of each kind, checked like any other input
    // (release builds take 10 to 200 ms each; `make fuzz` reports any over 2 s).
    // One kind in debug builds (the vocabulary one is `fuzz_vocabulary_past_65536_values_does_not_wrap_around`).
    let kinds = if cfg!(debug_assertions) { 8..9 } else { 0..9 };
    for which in kinds {
        let doc = fuzz::big_document(&mut fuzz::Rng::new(which), which);
        fuzz::check_schema(&doc, &opts(), None);
    }
}
