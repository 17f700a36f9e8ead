//! Datasets shared by the native test suites (`tests/load.rs`, `tests/pack.rs`): every file the project ships or
//! tests with, and a generated one of any size.
#![allow(dead_code)] // Each user calls a part of this module.

use std::fs;
use std::path::Path;

/// Every dataset file the project ships or tests with, fatal ones included, as (path, bytes).
pub fn files() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in [
        "static",
        "tests/fixtures",
        "tests/e2e/fixtures",
        "tests/e2e/fixtures/hostile",
        "tests/e2e/fixtures/hostile/source-url",
        "tests/e2e/fixtures/hostile/fatal",
    ] {
        let mut entries: Vec<_> = fs::read_dir(root.join(dir))
            .expect("fixture folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json") && !p.to_string_lossy().contains("schema"))
            .collect();
        entries.sort();
        for path in entries {
            out.push((path.display().to_string(), fs::read(&path).expect("readable fixture")));
        }
    }
    out
}

/// A dataset of `n` records, some placed by commune code only (the commune table is then asked for), some invalid.
pub fn generated(n: usize) -> String {
    let stages = ["amorcage", "experimentation", "consolidation", "essaimage", "generalisation"];
    let communes = ["35238", "29019", "69123", "13055", "75056", "97411"];
    let mut records = Vec::with_capacity(n);
    for i in 0..n {
        let record = match i % 97 {
            13 => format!(r#"{{"id": "bad {i}", "name": "Sans identifiant valide"}}"#),
            14 => format!(r#"{{"id": "r{}", "name": "Doublon"}}"#, i - 1),
            _ => format!(
                r#"{{"id": "r{i}", "name": "Projet solidaire n°{i} à l'œuvre", "summary": "Résumé {i}",
                "stage": "{}", "themes": ["alimentation", "inconnu-{}"], "started": {},
                "origin": {{"commune_insee": "{}"}}, "replicas": [{{"lon": {}, "lat": 47.5, "started": 2020}}]}}"#,
                stages[i % stages.len()],
                i % 3,
                1990 + i % 40,
                communes[i % communes.len()],
                -1.0 + (i % 50) as f64 * 0.1,
            ),
        };
        records.push(record);
    }
    format!(r#"{{"schema": "essaimage/1", "title": "Généré", "innovations": [{}]}}"#, records.join(",\n"))
}

/// xorshift64*: reproducible cuts and samples without a dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// `bytes` cut at random places: many tiny pieces (a byte: inside a character, a string, a pack's magic bytes or a
/// varint) and some large ones.
pub fn cut(bytes: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let len = match rng.below(4) {
            0 => 1 + rng.below(3),
            1 => 1 + rng.below(64),
            2 => 1 + rng.below(4_096),
            _ => 1 + rng.below(65_536),
        };
        let end = (at + len).min(bytes.len());
        pieces.push(bytes[at..end].to_vec());
        at = end;
    }
    pieces
}
