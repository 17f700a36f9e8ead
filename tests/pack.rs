//! The packed form of a dataset ([`essaimage::pack`], `essaimage pack`): made from a JSON file as loaded, it loads
//! through the same pipeline ([`load_pieces`], whatever the pieces it arrives in) to the same dataset, data report,
//! results and counts; it reads back to what was written; a truncated, damaged or foreign pack is refused with the
//! error that says what to do, never a panic; and the tool writes packs that `essaimage check` reports as the JSON.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

#[path = "common/datasets.rs"]
mod datasets;
#[cfg(feature = "import")]
#[path = "common/tool.rs"]
mod tool_runs;

use datasets::{cut, files, generated, Rng};
use essaimage::filter::{Around, Facet, Filter, SortKey, TerritorySel};
use essaimage::i18n::Locale;
use essaimage::load::{load_pieces, Download, Loaded, Setup};
use essaimage::model::LonLat;
use essaimage::pack::{self, PackError, MAGIC, VERSION};
use essaimage::report::LoadError;
use essaimage::schema::ValidateOptions;

const DEPARTMENTS: &[u8] = essaimage::outlines::FILE;
const COMMUNES: &str = include_str!("../static/data/communes.csv");
/// Where the version field of the header is (after the magic bytes), and where the body starts.
const VERSION_AT: usize = MAGIC.len();
const HEADER: usize = 32;

fn setup(url: &str) -> Setup {
    let options = ValidateOptions { url: url.into(), current_year: 2026, max_bytes: 50_000_000 };
    Setup { options, departments: DEPARTMENTS.into(), departments_url: "data/france-departments.bin".into() }
}

fn load(url: &str, pieces: impl IntoIterator<Item = Vec<u8>>) -> Result<Loaded, LoadError> {
    load_pieces(setup(url), pieces, || Ok(COMMUNES.to_owned()))
}

/// Filters that touch every part of the index: none, a theme, a stage, a region, a department, a commune, around a
/// point, a search word, everything at once, each in every sort order.
fn filters(loaded: &Loaded) -> Vec<Filter> {
    let first = loaded.index.dataset.innovations.first();
    let place = |f: fn(&essaimage::model::Place) -> Option<String>| first.and_then(|i| f(&i.origin));
    let mut theme = Filter::default();
    theme.toggle(Facet::Themes, "alimentation");
    let mut stage = Filter::default();
    stage.toggle(Facet::Stages, "consolidation");
    stage.toggle(Facet::Stages, "generalisation");
    let territory = |t: Option<TerritorySel>| Filter { territory: t, ..Filter::default() };
    let region = territory(place(|p| p.region.clone()).map(TerritorySel::Region));
    let department = territory(place(|p| p.department.clone()).map(TerritorySel::Department));
    let commune = territory(first.and_then(|i| i.origin.commune_key()).map(TerritorySel::Commune));
    let rennes = Around::new("Rennes (35)".into(), LonLat { lon: -1.68, lat: 48.11 }, 100);
    let around = territory(Some(TerritorySel::Around(rennes)));
    let word = Filter { text: "solid".into(), ..Filter::default() };
    let mut all = Filter { text: "a".into(), ..region.clone() };
    all.toggle(Facet::Themes, "alimentation");
    let mut out = Vec::new();
    for filter in [Filter::default(), theme, stage, region, department, commune, around, word, all] {
        for sort in SortKey::ALL {
            out.push(Filter { sort, ..filter.clone() });
        }
    }
    out
}

fn assert_same(name: &str, got: &Loaded, expected: &Loaded) {
    assert_eq!(got.index.dataset, expected.index.dataset, "{name}: the same dataset");
    assert_eq!(got.report, expected.report, "{name}: the same data report");
    assert_eq!(got.index.len(), expected.index.len(), "{name}: the same number of records");
    for filter in filters(expected) {
        assert_eq!(got.index.apply(&filter), expected.index.apply(&filter), "{name}: the same results for {filter:?}");
    }
}

/// The pack of a JSON file as the pipeline loads it (what `essaimage pack` writes).
fn pack_of(loaded: &Loaded) -> Vec<u8> {
    pack::write(&loaded.index.dataset, &loaded.report)
}

/// The pack, loaded in one piece, in random pieces, with its magic bytes split, and a byte at a time when small:
/// always what the JSON gave.
fn assert_pack_loads_as_json(name: &str, json: &Loaded, rng: &mut Rng) {
    // Without its index (the widget indexes the records), and with it (what `essaimage pack` writes).
    for (packed, indexed) in [(pack_of(json), false), (pack::write_indexed(&json.index, &json.report), true)] {
        assert_packed_loads_as_json(&format!("{name}{}", if indexed { " (indexed)" } else { "" }), &packed, json, rng);
    }
}

fn assert_packed_loads_as_json(name: &str, packed: &[u8], json: &Loaded, rng: &mut Rng) {
    let packed = packed.to_vec();
    assert!(pack::is_pack(&packed), "{name}: the pack starts with its magic bytes");
    let read = pack::read(&packed).unwrap_or_else(|e| panic!("{name}: the pack reads back: {e:?}"));
    assert_eq!((&read.0, &read.1), (&json.index.dataset, &json.report), "{name}: read back as written");
    let mut splits = vec![vec![packed.clone()], cut(&packed, rng), cut(&packed, rng)];
    // The first piece shorter than the magic bytes, then inside the header, then inside the head.
    for at in [1, MAGIC.len() - 1, MAGIC.len() + 1, HEADER + 1] {
        splits.push(vec![packed[..at].to_vec(), packed[at..].to_vec()]);
    }
    if packed.len() < 20_000 {
        splits.push(packed.iter().map(|&b| vec![b]).collect());
    }
    for pieces in splits {
        let count = pieces.len();
        let got = load(name, pieces).unwrap_or_else(|e| panic!("{name}: the pack in {count} pieces loads: {e:?}"));
        assert_same(&format!("{name} (pack in {count} pieces)"), &got, json);
    }
}

#[test]
fn every_shipped_and_test_file_loads_from_its_pack_as_from_its_json() {
    let mut rng = Rng(0x9AC4);
    let (mut packed, mut fatal) = (0, 0);
    for (name, bytes) in files() {
        // A file whose JSON is a fatal error (not JSON, wrong shape, too deep…) has no pack: `essaimage pack`
        // refuses it (exit 2), so there is nothing to compare.
        let Ok(json) = load(&name, [bytes]) else {
            fatal += 1;
            continue;
        };
        assert_pack_loads_as_json(&name, &json, &mut rng);
        packed += 1;
    }
    assert!(packed > 60 && fatal >= 10, "the fixtures are found ({packed} packed, {fatal} fatal)");
}

#[test]
fn a_generated_file_of_10_000_records_loads_from_its_pack_as_from_its_json() {
    let text = generated(10_000);
    let json = load("generated.json", [text.into_bytes()]).expect("the generated file loads");
    assert!(json.report.rejected() > 0 && json.report.warnings() > 0, "it has problems to report");
    assert!(json.index.dataset.innovations.len() > 2 * pack::BLOCK, "several blocks");
    let by_code = json.index.dataset.innovations.iter().filter(|i| i.origin.commune_insee.is_some());
    assert!(by_code.clone().count() > 9_000 && by_code.clone().all(|i| i.origin.point.is_some()), "placed by code");
    assert_pack_loads_as_json("generated", &json, &mut Rng(42));
}

#[test]
fn a_pack_of_several_blocks_shows_its_first_block_while_the_rest_downloads() {
    let json = load("generated.json", [generated(3 * pack::BLOCK + 17).into_bytes()]).expect("loads");
    let total = json.index.dataset.innovations.len();
    let packed = pack::write_indexed(&json.index, &json.report);
    let mut download: Download<Vec<u8>> = Download::new(setup("g.pack"));
    let mut early = Vec::new();
    for piece in packed.chunks(4096) {
        early.extend(download.feed(piece.to_vec()));
    }
    assert_eq!(early.len(), 1, "the first records are given once");
    let first = &early[0];
    assert_eq!((first.records, first.total), (pack::BLOCK, total));
    assert_eq!(first.loaded.index.dataset.innovations[..], json.index.dataset.innovations[..pack::BLOCK]);
    // A pack of one block is shown whole at the end, without an early view.
    let small = load("small.json", [fs::read("tests/e2e/fixtures/small.json").expect("fixture")]).expect("loads");
    let mut download: Download<Vec<u8>> = Download::new(setup("s.pack"));
    let packed = pack::write_indexed(&small.index, &small.report);
    assert!(packed.chunks(64).all(|piece| download.feed(piece.to_vec()).is_none()));
}

#[test]
fn a_pack_reads_back_exactly_and_writes_again_to_the_same_bytes() {
    let mut texts: Vec<(String, Vec<u8>)> = files();
    texts.push(("generated".into(), generated(3 * pack::BLOCK + 17).into_bytes()));
    texts.push(("empty".into(), br#"{"innovations": []}"#.to_vec()));
    for (name, bytes) in texts {
        let Ok(json) = load(&name, [bytes]) else { continue };
        let packed = pack_of(&json);
        let (dataset, report) = pack::read(&packed).expect("reads");
        assert_eq!(dataset, json.index.dataset, "{name}");
        assert_eq!(report, json.report, "{name}");
        assert_eq!(pack::write(&dataset, &report), packed, "{name}: written again the same");
    }
}

/// The pack of a small fixture with problems (rejected records and warnings in its report).
fn small_pack() -> Vec<u8> {
    let bytes = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed.json")).expect("fixture");
    let json = load("mixed.json", [bytes]).expect("loads");
    assert!(!json.report.problems.is_empty());
    pack_of(&json)
}

#[test]
fn every_truncation_of_a_pack_is_refused_as_incomplete() {
    let packed = small_pack();
    let len = packed.len() as u64;
    for at in 0..packed.len() {
        let got = pack::read(&packed[..at]);
        let expected = match at {
            // Too short to be recognised: not a pack at all.
            _ if at < MAGIC.len() => PackError::Damaged,
            // The header is cut: what is missing is at least the rest of the header.
            _ if at < HEADER => PackError::Truncated { expected: HEADER as u64, got: at as u64 },
            _ => PackError::Truncated { expected: len, got: at as u64 },
        };
        assert_eq!(got, Err(expected), "cut after {at} of {len} bytes");
    }
    assert!(pack::read(&packed).is_ok());
    // One byte too many is not a pack that was written either.
    let mut longer = packed.clone();
    longer.push(0);
    assert_eq!(pack::read(&longer), Err(PackError::Damaged));
}

/// What flipping the bits `mask` of the byte at `at` must give.
fn assert_flip_refused(packed: &[u8], at: usize, mask: u8) {
    let mut bytes = packed.to_vec();
    bytes[at] ^= mask;
    let got = pack::read(&bytes);
    let found = u16::from_le_bytes([bytes[VERSION_AT], bytes[VERSION_AT + 1]]);
    let ok = match at {
        _ if (VERSION_AT..VERSION_AT + 2).contains(&at) => got == Err(PackError::Version { found }),
        // The body's length: a larger one is a file that ends too early, a smaller one a file too long.
        16..=23 => matches!(got, Err(PackError::Truncated { .. } | PackError::Damaged)),
        _ => got == Err(PackError::Damaged),
    };
    assert!(ok, "byte {at} ^ {mask:#04x} of {}: {:?}", packed.len(), got.map(|_| "Ok"));
}

#[test]
fn every_byte_flipped_in_a_small_pack_is_refused_as_damaged() {
    let packed = small_pack();
    for at in 0..packed.len() {
        for mask in [0x01, 0x80, 0xff] {
            assert_flip_refused(&packed, at, mask);
        }
    }
}

#[test]
fn bytes_flipped_in_a_large_pack_are_refused_as_damaged() {
    let json = load("generated.json", [generated(10_000).into_bytes()]).expect("loads");
    let packed = pack_of(&json);
    let mut rng = Rng(0xF11B);
    // The header, the start of each block (its length), then sampled positions.
    let mut positions: Vec<usize> = (0..HEADER).collect();
    positions.extend((0..150).map(|_| HEADER + rng.below(packed.len() - HEADER)));
    positions.push(packed.len() - 1);
    for at in positions {
        assert_flip_refused(&packed, at, 1 << rng.below(8));
    }
}

#[test]
fn another_version_is_refused_with_what_to_do() {
    let packed = small_pack();
    assert_eq!(VERSION, 1, "the messages below speak of version 1");
    let with_version = |v: u16| {
        let mut bytes = packed.clone();
        bytes[VERSION_AT..VERSION_AT + 2].copy_from_slice(&v.to_le_bytes());
        bytes
    };
    for (version, fr, en, todo_fr, todo_en) in [
        (0, "ancienne version", "older version", "« essaimage pack » à jour", "up-to-date « essaimage pack »"),
        (2, "plus récente", "newer", "Mettez le widget à jour", "Update the widget"),
        (u16::MAX, "plus récente", "newer", "Mettez le widget à jour", "Update the widget"),
    ] {
        let bytes = with_version(version);
        // Refused from the header alone, even cut short after it.
        for b in [&bytes[..], &bytes[..VERSION_AT + 2], &bytes[..HEADER + 3]] {
            assert_eq!(pack::read(b), Err(PackError::Version { found: version }));
        }
        let error = PackError::Version { found: version };
        let (title, detail) = error.message("https://example.fr/data.pack", Locale::Fr);
        assert!(title.contains(fr), "{title}");
        assert!(detail.contains(todo_fr) && detail.contains(&format!("version {version}")), "{detail}");
        assert!(detail.contains("https://example.fr/data.pack"), "{detail}");
        let (title, detail) = error.message("https://example.fr/data.pack", Locale::En);
        assert!(title.contains(en), "{title}");
        assert!(detail.contains(todo_en) && detail.contains(&format!("version {version}")), "{detail}");
    }
}

#[test]
fn a_pack_that_cannot_be_read_is_a_load_error_naming_its_address() {
    let packed = small_pack();
    let url = "https://example.fr/donnees/innovations.pack";
    let mut version = packed.clone();
    version[VERSION_AT] = 9;
    let mut damaged = packed.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x10;
    let cases = [
        (packed[..packed.len() / 2].to_vec(), "incomplet", "incomplete"),
        (damaged, "abîmé", "damaged"),
        (version, "plus récente", "newer"),
        // The magic bytes then nothing.
        (MAGIC.to_vec(), "incomplet", "incomplete"),
    ];
    for (bytes, fr, en) in cases {
        for pieces in [vec![bytes.clone()], bytes.iter().map(|&b| vec![b]).collect()] {
            let error = load(url, pieces).err().expect("refused");
            assert!(matches!(&error, LoadError::Pack { url: u, .. } if u == url), "{error:?}");
            let (title, detail) = error.message(Locale::Fr);
            assert!(title.contains(fr) && detail.contains(url), "{title} / {detail}");
            let (title, detail) = error.message(Locale::En);
            assert!(title.contains(en) && detail.contains(url), "{title} / {detail}");
        }
    }
    // Truncated: the message says how much arrived of how much.
    let half = packed.len() / 2;
    let (_, detail) = load(url, [packed[..half].to_vec()]).err().expect("refused").message(Locale::En);
    assert!(detail.contains(&format!("after {half} bytes out of {}", packed.len())), "{detail}");
}

// ---- the tool ---------------------------------------------------------------------------------------------------

/// `essaimage pack` and `essaimage check` on packs, run as a user runs them (the binary needs the `import` feature).
#[cfg(feature = "import")]
mod tool {
    use super::tool_runs::{code, run_in, stderr, stdout};
    use super::*;
    use std::path::PathBuf;
    use std::process::Output;

    fn run(dir: &Path, args: &[&str]) -> Output {
        run_in(dir, "2026", args)
    }

    /// A fresh folder holding copies of the given files.
    fn scratch(name: &str, files: &[&str]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("essaimage-pack-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("temp dir");
        for f in files {
            let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(f);
            let to = dir.join(from.file_name().expect("a file name"));
            fs::copy(&from, to).expect("copy fixture");
        }
        dir
    }

    fn json_object(o: &Output) -> serde_json::Value {
        serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("--format json prints JSON: {e}\n{}", stdout(o)))
    }

    #[test]
    fn a_pack_is_checked_as_its_json_in_both_languages_and_formats() {
        let dir = scratch(
            "check",
            &["static/innovations-demo.json", "tests/fixtures/mixed.json", "tests/e2e/fixtures/small.json"],
        );
        for (file, code_expected) in [("innovations-demo.json", 0), ("mixed.json", 1), ("small.json", 0)] {
            let pack = file.replace(".json", ".pack");
            for lang in ["fr", "en"] {
                let packed = run(&dir, &["pack", file, "-o", &pack, "--lang", lang]);
                assert_eq!(code(&packed), code_expected, "{file}: {}", stderr(&packed));
                let json = run(&dir, &["check", file, "--lang", lang]);
                let from_pack = run(&dir, &["check", &pack, "--lang", lang]);
                assert_eq!(code(&json), code_expected, "{file}: {}", stderr(&json));
                assert_eq!(code(&from_pack), code_expected, "{pack}: {}", stderr(&from_pack));
                assert_eq!(stdout(&from_pack), stdout(&json), "{file} --lang {lang}: the same report");
                // `pack` prints the report as `check` does, then what it wrote.
                let printed = stdout(&packed);
                assert!(printed.starts_with(&stdout(&json)), "{printed}");
                let last = printed.lines().last().unwrap_or_default();
                let written = if lang == "fr" { "Écrit : " } else { "Written: " };
                assert!(last.starts_with(&format!("{written}{pack}")), "{last}");

                let json = run(&dir, &["check", file, "--format", "json", "--lang", lang]);
                let from_pack = run(&dir, &["check", &pack, "--format", "json", "--lang", lang]);
                assert_eq!(code(&from_pack), code_expected);
                let (mut a, mut b) = (json_object(&json), json_object(&from_pack));
                assert_eq!((a["file"].as_str(), b["file"].as_str()), (Some(file), Some(pack.as_str())));
                a.as_object_mut().expect("an object").remove("file");
                b.as_object_mut().expect("an object").remove("file");
                assert_eq!(a, b, "{file} --lang {lang}: the same JSON report but the file");
            }
        }
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn the_pack_is_written_next_to_the_json_by_default() {
        let dir = scratch("default", &["tests/e2e/fixtures/small.json"]);
        let o = run(&dir, &["pack", "small.json"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        let packed = fs::read(dir.join("small.pack")).expect("small.pack written");
        let json = load("small.json", [fs::read(dir.join("small.json")).expect("json")]).expect("loads");
        assert_eq!(packed, pack::write_indexed(&json.index, &json.report), "the tool writes what the library writes");
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn unreadable_input_writes_nothing_and_exits_2() {
        let dir = scratch(
            "unreadable",
            &["tests/e2e/fixtures/hostile/fatal/truncated-in-string.json", "tests/e2e/fixtures/small.json"],
        );
        for (lang, title) in
            [("fr", "Le jeu de données n'est pas un JSON valide"), ("en", "The dataset is not valid JSON")]
        {
            let o = run(&dir, &["pack", "truncated-in-string.json", "-o", "out.pack", "--lang", lang]);
            assert_eq!(code(&o), 2, "{}", stderr(&o));
            assert!(stdout(&o).is_empty(), "{}", stdout(&o));
            assert!(stderr(&o).starts_with(title), "{}", stderr(&o));
            assert!(!dir.join("out.pack").exists(), "nothing written");
        }
        let o = run(&dir, &["pack", "missing.json", "-o", "out.pack", "--lang", "en"]);
        assert_eq!(code(&o), 2);
        assert!(stderr(&o).contains("cannot read missing.json"), "{}", stderr(&o));
        assert!(!dir.join("out.pack").exists(), "nothing written");
        // An output that cannot be written.
        let o = run(&dir, &["pack", "small.json", "-o", "no/such/folder/out.pack", "--lang", "en"]);
        assert_eq!(code(&o), 2);
        assert!(stderr(&o).contains("cannot write no/such/folder/out.pack"), "{}", stderr(&o));
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn the_input_is_never_overwritten() {
        let dir = scratch("overwrite", &["tests/e2e/fixtures/small.json"]);
        let before = fs::read(dir.join("small.json")).expect("json");
        let absolute = dir.join("small.json").display().to_string();
        // However the output names the input: as given, from the current folder, by its absolute path.
        for output in ["small.json", "./small.json", &absolute] {
            for (lang, message) in [
                ("fr", "small.json serait remplacé par sa forme compacte : donnez un autre fichier avec -o."),
                ("en", "small.json would be replaced by its packed form: give another file with -o."),
            ] {
                let o = run(&dir, &["pack", "small.json", "-o", output, "--lang", lang]);
                assert_eq!(code(&o), 2, "-o {output}: {}", stderr(&o));
                assert!(stderr(&o).contains(message), "{}", stderr(&o));
                assert_eq!(
                    fs::read(dir.join("small.json")).expect("json"),
                    before,
                    "-o {output}: the JSON is untouched"
                );
            }
        }
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_damaged_pack_is_reported_unreadable_with_what_to_do() {
        let dir = scratch("damaged", &["tests/fixtures/mixed.json"]);
        let o = run(&dir, &["pack", "mixed.json"]);
        assert_eq!(code(&o), 1, "{}", stderr(&o));
        let packed = fs::read(dir.join("mixed.pack")).expect("written");
        fs::write(dir.join("cut.pack"), &packed[..packed.len() - 5]).expect("write");
        let mut version = packed.clone();
        version[VERSION_AT] = 2;
        fs::write(dir.join("v2.pack"), version).expect("write");
        for (file, fr, en) in [
            ("cut.pack", "Le fichier compact est incomplet", "The packed file is incomplete"),
            ("v2.pack", "Le fichier compact est d'une version plus récente", "The packed file is of a newer version"),
        ] {
            for (lang, title) in [("fr", fr), ("en", en)] {
                let o = run(&dir, &["check", file, "--lang", lang]);
                assert_eq!(code(&o), 2);
                assert!(stderr(&o).starts_with(title) && stderr(&o).contains(file), "{}", stderr(&o));
                let o = run(&dir, &["check", file, "--lang", lang, "--format", "json"]);
                assert_eq!(code(&o), 2);
                let v = json_object(&o);
                assert_eq!((v["file"].as_str(), v["error"]["title"].as_str()), (Some(file), Some(title)));
            }
        }
        let _ = fs::remove_dir_all(dir);
    }
}

#[test]
fn a_pack_announcing_more_than_the_size_limit_is_refused_as_too_large_before_its_records() {
    let json = load("small.json", [fs::read("tests/e2e/fixtures/small.json").expect("fixture")]).expect("loads");
    let mut packed = pack_of(&json);
    // The header's body length (bytes 16–23) says 60 MB: the first 100 KB of such a file have arrived.
    packed[16..24].copy_from_slice(&60_000_000u64.to_le_bytes());
    let got = load("https://example.fr/gros.pack", [packed]);
    let Err(LoadError::TooLarge { url, bytes, limit }) = got else {
        panic!("not refused as too large: {:?}", got.err())
    };
    assert_eq!((url.as_str(), bytes, limit), ("https://example.fr/gros.pack", Some(60_000_032), 50_000_000));
}
