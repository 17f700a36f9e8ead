//! The loading pipeline as the browser runs it ([`essaimage::load`]): a file fed in the pieces it arrives in,
//! stepped a slice at a time, gives exactly what reading the whole file at once gives — dataset, data report,
//! results and counts, or the same fatal error — whatever the cuts.

#[path = "common/datasets.rs"]
mod datasets;

use datasets::{cut, files, generated, Rng};
use essaimage::filter::{Facet, Filter, TerritorySel};
use essaimage::load::{build_loaded, load_pieces, Download, Loaded, Setup, Step, SLICE};
use essaimage::report::LoadError;
use essaimage::schema::{validate, ValidateOptions};
use essaimage::territory::CommuneIndex;

const DEPARTMENTS: &[u8] = essaimage::outlines::FILE;
const COMMUNES: &str = include_str!("../static/data/communes.csv");

fn options() -> ValidateOptions {
    ValidateOptions { url: "test.json".into(), current_year: 2026, max_bytes: 50_000_000 }
}

fn setup() -> Setup {
    Setup { options: options(), departments: DEPARTMENTS.into(), departments_url: "data/france-departments.bin".into() }
}

/// The reference: the whole file validated at once, then resolved and indexed at once.
fn whole(bytes: &[u8]) -> Result<Loaded, LoadError> {
    let (dataset, report) = validate(bytes, &options())?;
    let territories = essaimage::outlines::read(DEPARTMENTS).expect("departments");
    let communes = CommuneIndex::from_csv(COMMUNES).expect("communes");
    Ok(build_loaded(dataset, report, territories, Ok(&communes)))
}

fn by_pieces(bytes: &[u8], rng: &mut Rng) -> Result<Loaded, LoadError> {
    load_pieces(setup(), cut(bytes, rng), || Ok(COMMUNES.to_owned()))
}

/// Filters that touch every part of the index: none, a facet, a territory, a text, and all at once.
fn filters(loaded: &Loaded) -> Vec<Filter> {
    let mut stage = Filter::default();
    stage.toggle(Facet::Stages, "consolidation");
    stage.toggle(Facet::Stages, "generalisation");
    let first_region = loaded.index.dataset.innovations.first().and_then(|i| i.origin.region.clone());
    let region = Filter { territory: first_region.map(TerritorySel::Region), ..Filter::default() };
    let text = Filter { text: "solid".into(), ..Filter::default() };
    let all = Filter { text: "a".into(), ..region.clone() };
    let mut all = all;
    all.toggle(Facet::Themes, "alimentation");
    vec![Filter::default(), stage, region, text, all]
}

fn assert_same(name: &str, got: &Result<Loaded, LoadError>, expected: &Result<Loaded, LoadError>) {
    match (got, expected) {
        (Err(a), Err(b)) => assert_eq!(a, b, "{name}: the same fatal error"),
        (Ok(a), Ok(b)) => {
            assert_eq!(a.index.dataset, b.index.dataset, "{name}: the same dataset");
            assert_eq!(a.report, b.report, "{name}: the same data report");
            for filter in filters(b) {
                assert_eq!(a.index.apply(&filter), b.index.apply(&filter), "{name}: the same results for {filter:?}");
            }
        }
        (a, b) => panic!("{name}: pieces gave {:?}, the whole file {:?}", a.as_ref().err(), b.as_ref().err()),
    }
}

#[test]
fn every_shipped_and_test_file_loads_by_pieces_as_read_whole() {
    let mut rng = Rng(0x5EED);
    let files = files();
    assert!(files.len() > 20, "the fixtures are found ({})", files.len());
    for (name, bytes) in &files {
        let expected = whole(bytes);
        for _ in 0..3 {
            assert_same(name, &by_pieces(bytes, &mut rng), &expected);
        }
        // One piece, and one byte at a time (for the small files).
        assert_same(name, &load_pieces(setup(), [bytes.clone()], || Ok(COMMUNES.to_owned())), &expected);
        if bytes.len() < 20_000 {
            let bytes_one_by_one = bytes.iter().map(|&b| vec![b]);
            assert_same(name, &load_pieces(setup(), bytes_one_by_one, || Ok(COMMUNES.to_owned())), &expected);
        }
    }
}

#[test]
fn a_large_file_with_invalid_records_loads_by_pieces_as_read_whole() {
    let text = generated(3 * SLICE + 777);
    let expected = whole(text.as_bytes());
    let loaded = expected.as_ref().expect("the generated file loads");
    assert!(loaded.report.rejected() > 0 && loaded.report.warnings() > 0, "it has problems to report");
    let mut rng = Rng(42);
    for _ in 0..3 {
        assert_same("generated", &by_pieces(text.as_bytes(), &mut rng), &expected);
    }
}

#[test]
fn the_first_records_are_given_once_while_downloading_then_the_progress_then_the_whole_dataset() {
    let text = generated(4 * SLICE);
    let expected = whole(text.as_bytes()).expect("loads");
    let mut download = Download::new(setup());
    let mut early = Vec::new();
    let mut rng = Rng(7);
    let mut received = 0;
    for piece in cut(text.as_bytes(), &mut rng) {
        received += piece.len();
        if let Some(e) = download.feed(piece) {
            early.push((e, received));
        }
    }
    assert_eq!(early.len(), 1, "given once");
    let (first, at) = &early[0];
    assert!(*at < text.len() / 2, "given before the file has arrived ({at} of {} bytes)", text.len());
    assert_eq!((first.records, first.total), (first.loaded.index.len(), 0));
    assert!(first.records >= SLICE - SLICE / 20, "about the first {SLICE} records ({})", first.records);
    let first_ids: Vec<_> = first.loaded.index.dataset.innovations.iter().map(|i| &i.id).collect();
    let all_ids: Vec<_> = expected.index.dataset.innovations.iter().map(|i| &i.id).collect();
    assert_eq!(first_ids[..], all_ids[..first_ids.len()], "the file's first records, in order");

    let (file, pending) = download.finish();
    let mut build = pending.read(&file);
    let (mut progress, mut asked, mut validated) = (Vec::new(), 0, false);
    let loaded = loop {
        match build.step() {
            Step::Done(result) => break result.expect("loads"),
            Step::Progress { read, total } => progress.push((read, total)),
            Step::Early(_) => panic!("the first records were already given"),
            Step::Validated => validated = true,
            Step::NeedsCommunes => {
                asked += 1;
                build.communes(Ok(COMMUNES));
            }
            Step::Working => {}
        }
    };
    assert!(validated && asked == 1, "validated, and the commune table asked for once");
    let total = 4 * SLICE;
    assert_eq!(progress.first(), Some(&(SLICE, total)), "progress from the first slice: {progress:?}");
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0 && w[1].1 == total), "growing: {progress:?}");
    assert_eq!(loaded.index.dataset, expected.index.dataset);
    assert_eq!(loaded.report, expected.report);
}

#[test]
fn a_file_with_an_escaped_key_is_read_whole_and_loads() {
    // An escaped key makes the layout unknown, while downloading and after: the file is read whole (for the exact
    // positions of its errors), so no first records are given before the end.
    let text = generated(2 * SLICE + 5).replacen(r#""title""#, r#""titl\u0065""#, 1);
    let mut download = Download::new(setup());
    assert!(download.feed(text.clone().into_bytes()).is_none());
    let (file, pending) = download.finish();
    let mut build = pending.read(&file);
    let mut early = 0;
    loop {
        match build.step() {
            Step::Done(result) => {
                result.expect("loads");
                break;
            }
            Step::Early(e) => {
                early += 1;
                assert!(e.records > 0 && e.total == 0 || e.total == 2 * SLICE + 5);
            }
            Step::NeedsCommunes => build.communes(Ok(COMMUNES)),
            _ => {}
        }
    }
    assert!(early <= 1, "at most once");
}

#[test]
fn a_file_given_in_one_piece_gives_its_first_records_from_the_first_slice_read() {
    // The whole file at once (the loader's `data` option, or a download in one piece): nothing to show while it
    // arrives, so the first slice read is shown, with the file's record count.
    let total = 2 * SLICE + 5;
    let mut download = Download::new(setup());
    assert!(download.feed(generated(total).into_bytes()).is_none(), "nothing while downloading");
    let (file, pending) = download.finish();
    let mut build = pending.read(&file);
    let mut early = Vec::new();
    loop {
        match build.step() {
            Step::Done(result) => {
                result.expect("loads");
                break;
            }
            Step::Early(e) => early.push((e.records, e.total)),
            Step::NeedsCommunes => build.communes(Ok(COMMUNES)),
            _ => {}
        }
    }
    assert_eq!(early.len(), 1, "given once: {early:?}");
    assert!(early[0].1 == total && early[0].0 > 0 && early[0].0 <= SLICE, "{early:?}");
}

#[test]
fn without_the_commune_table_places_fall_back_and_the_report_says_why() {
    let text = generated(50);
    let loaded = load_pieces(setup(), [text.into_bytes()], || Err("HTTP 404".to_owned())).expect("loads");
    let unavailable =
        loaded.report.problems.iter().filter(|p| format!("{:?}", p.kind).contains("CommuneTable")).count();
    assert_eq!(unavailable, 1, "one problem says the commune table could not be had");
    let placed = loaded.index.dataset.innovations.iter().filter(|i| i.name.starts_with("Projet"));
    assert!(placed.clone().count() > 40 && placed.clone().all(|i| i.origin.point.is_some()), "department centres");
}

#[test]
fn unreadable_outlines_are_a_fatal_error_naming_their_address() {
    // The GeoJSON the outlines file is made from is not what the widget reads (an old widget's data/ folder).
    let setup = Setup { departments: include_bytes!("../static/data/france-departments.geojson").to_vec(), ..setup() };
    let error = load_pieces(setup, [b"{\"innovations\": []}".to_vec()], || Ok(String::new())).err();
    assert!(
        matches!(error, Some(LoadError::BaseData { ref url, ref detail })
            if url == "data/france-departments.bin" && detail == "not an Essaimage outlines file"),
        "{error:?}"
    );
}
