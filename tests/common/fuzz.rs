//! The fuzzing harness shared by `examples/fuzz.rs` (long runs, `make fuzz`) and `tests/regressions.rs` (a few
//! thousand executions per target on every `cargo test`).
//!
//! Dependency-free and deterministic: execution `i` of target `t` under seed `s` draws every choice from its own
//! xorshift generator seeded with `(s, t, i)`, so any execution can be replayed alone (`--from i --iterations 1`)
//! and the set of executions does not depend on the number of threads. It is coverage-agnostic: inputs come from
//! the shipped dataset and fixtures, from structure-aware generators (records, places, URLs, hashes, CSV rows)
//! and from byte-level mutations with hostile fragments (deep nesting, huge strings, invalid UTF-8, BOMs,
//! duplicate keys, numbers as strings, surrogate escapes, truncation).
//!
//! Every execution checks invariants, not only the absence of panics (see each `check_*` function); a violated
//! invariant is a panic, and [`execute`] catches panics with `catch_unwind` and returns the failing input.
//!
//! Targets:
//! - `json`: `essaimage::json` (`parse`, the piecewise `Parser`, `Display`, `Number` conversions) and the embed
//!   options read from JSON (`config::RawOptions::from_json`, `Config::resolve`);
//! - `schema`: `schema::validate` with a differential oracle built on `json::parse`, then now and then the rest
//!   of the loading pipeline (`load::build_loaded`, `Index::apply`) and the report's messages;
//! - `url`: `url_state::decode` / `write` / `mentions` (round trips, foreign parts kept) and `text::safe_http_url`;
//! - `territory`: `territory::CommuneIndex::from_csv` and `Territories::from_geojson` on small mutated tables;
//! - `pack`: `pack::read` and `pack::Unpacking` on packs of the shipped, fixture and generated datasets, mutated
//!   (bytes, lengths and counts set huge, truncations), with the checksum sometimes made right again.
#![allow(dead_code)] // Each of the two users calls a different part of this module.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use essaimage::config::{Config, RawOptions};
use essaimage::filter::{Around, Facet, Filter, Index, SortKey, TerritorySel};
use essaimage::i18n::Locale;
use essaimage::json::{self, Json, Parser};
use essaimage::load::{build_loaded, load_pieces, Received, Setup};
use essaimage::model::{Dataset, Place, VocabKind, Vocabularies};
use essaimage::outlines;
use essaimage::pack::{self, PackError};
use essaimage::report::{DataReport, LoadError, Severity};
use essaimage::schema::{self, ValidateOptions};
use essaimage::territory::{CommuneIndex, Territories};
use essaimage::text::{self, safe_http_url};
use essaimage::url_state::{self, UrlState};

pub const DEMO_JSON: &str = include_str!("../../static/innovations-demo.json");
pub const MIXED_JSON: &str = include_str!("../fixtures/mixed.json");
pub const NETWORK_JSON: &str = include_str!("../fixtures/network.json");
pub const VOCABULARIES_JSON: &str = include_str!("../fixtures/vocabularies.json");
const COMMUNES_CSV: &str = include_str!("../../static/data/communes.csv");
const DEPARTMENTS_GEOJSON: &str = include_str!("../../static/data/france-departments.geojson");

/// The "current year" of most validations (a few draw another one).
pub const YEAR: i64 = 2026;
/// An execution slower than this is reported (inputs stay under a few megabytes).
pub const SLOW: Duration = Duration::from_secs(2);

// ---------------------------------------------------------------------------------------------------------
// Targets, executions, crashes
// ---------------------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Json,
    Schema,
    Url,
    Territory,
    Pack,
}

impl Target {
    pub const ALL: [Target; 5] = [Target::Json, Target::Schema, Target::Url, Target::Territory, Target::Pack];

    pub fn name(self) -> &'static str {
        match self {
            Target::Json => "json",
            Target::Schema => "schema",
            Target::Url => "url",
            Target::Territory => "territory",
            Target::Pack => "pack",
        }
    }

    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    pub fn slot(self) -> usize {
        self as usize
    }

    /// The target of execution `index` when all targets are fuzzed: 3 json, 3 schema, 2 url, 1 territory, 1 pack
    /// in 10.
    pub fn of_mixed(index: u64) -> Target {
        const SCHEDULE: [Target; 10] = [
            Target::Schema,
            Target::Json,
            Target::Url,
            Target::Schema,
            Target::Json,
            Target::Pack,
            Target::Schema,
            Target::Json,
            Target::Url,
            Target::Territory,
        ];
        SCHEDULE[(index % 10) as usize]
    }
}

/// A panic (crash or violated invariant) and the input that caused it.
#[derive(Clone, Debug)]
pub struct Crash {
    pub target: Target,
    pub seed: u64,
    pub index: u64,
    pub message: String,
    /// The input as the target received it (a document, a hash with its namespace, a CSV…).
    pub input: Vec<u8>,
}

thread_local! {
    /// The input of the execution running on this thread, for the panic hook and for `execute`: bytes, and a URL
    /// state written out only if the execution fails (formatting it every time halves the `url` target's speed).
    static CURRENT: RefCell<(Vec<u8>, Option<UrlState>)> = const { RefCell::new((Vec::new(), None)) };
}

/// Records the input about to be checked (called by each target once it has built its input).
fn set_input(bytes: &[u8]) {
    set_input_with_state(bytes, None);
}

fn set_input_with_state(bytes: &[u8], state: Option<&UrlState>) {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        c.0.clear();
        c.0.extend_from_slice(bytes);
        c.1 = state.cloned();
    });
}

/// The input of the execution running (or that just failed) on this thread.
pub fn current_input() -> Vec<u8> {
    CURRENT.with(|c| {
        let Ok(c) = c.try_borrow() else { return Vec::new() };
        let mut bytes = c.0.clone();
        if let Some(state) = &c.1 {
            bytes.extend_from_slice(format!("\nstate={state:?}").as_bytes());
        }
        bytes
    })
}

/// Runs execution `index` of `target` under `seed`. `Err` holds the panic message and the input.
pub fn execute(target: Target, seed: u64, index: u64) -> Result<(), Crash> {
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut rng = Rng::for_case(seed, target, index);
        match target {
            Target::Json => exec_json(&mut rng),
            Target::Schema => exec_schema(&mut rng),
            Target::Url => exec_url(&mut rng),
            Target::Territory => exec_territory(&mut rng),
            Target::Pack => exec_pack(&mut rng),
        }
    }));
    outcome.map_err(|payload| {
        let message = match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
            (Some(s), _) => (*s).to_owned(),
            (_, Some(s)) => s.clone(),
            _ => "panic with a non-string payload".to_owned(),
        };
        Crash { target, seed, index, message, input: current_input() }
    })
}

/// What the checked functions answered, counted to show that the generators reach every outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    JsonValid,
    JsonError,
    SchemaValid,
    SchemaNotJson,
    SchemaWrongShape,
    SchemaUnsupported,
    SchemaTooLarge,
    SchemaPipeline,
    RecordsKept,
    RecordsRejected,
    UrlDecoded,
    UrlRoundTrip,
    UrlSafe,
    UrlUnsafe,
    CsvRead,
    CsvRefused,
    GeojsonRead,
    OutlinesRead,
    PackRead,
    PackVersion,
    PackTruncated,
    PackDamaged,
}

/// How many [`Kind`]s there are.
pub const KINDS_N: usize = Kind::ALL.len();

impl Kind {
    pub const ALL: [Kind; 22] = [
        Kind::JsonValid,
        Kind::JsonError,
        Kind::SchemaValid,
        Kind::SchemaNotJson,
        Kind::SchemaWrongShape,
        Kind::SchemaUnsupported,
        Kind::SchemaTooLarge,
        Kind::SchemaPipeline,
        Kind::RecordsKept,
        Kind::RecordsRejected,
        Kind::UrlDecoded,
        Kind::UrlRoundTrip,
        Kind::UrlSafe,
        Kind::UrlUnsafe,
        Kind::CsvRead,
        Kind::CsvRefused,
        Kind::GeojsonRead,
        Kind::OutlinesRead,
        Kind::PackRead,
        Kind::PackVersion,
        Kind::PackTruncated,
        Kind::PackDamaged,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::JsonValid => "json-valid",
            Kind::JsonError => "json-error",
            Kind::SchemaValid => "dataset-valid",
            Kind::SchemaNotJson => "not-json",
            Kind::SchemaWrongShape => "wrong-shape",
            Kind::SchemaUnsupported => "unsupported-schema",
            Kind::SchemaTooLarge => "too-large",
            Kind::SchemaPipeline => "pipeline",
            Kind::RecordsKept => "records-kept",
            Kind::RecordsRejected => "records-rejected",
            Kind::UrlDecoded => "hash-decoded",
            Kind::UrlRoundTrip => "state-round-trip",
            Kind::UrlSafe => "url-safe",
            Kind::UrlUnsafe => "url-refused",
            Kind::CsvRead => "csv-read",
            Kind::CsvRefused => "csv-refused",
            Kind::GeojsonRead => "geojson-read",
            Kind::OutlinesRead => "outlines-read",
            Kind::PackRead => "pack-read",
            Kind::PackVersion => "pack-version",
            Kind::PackTruncated => "pack-truncated",
            Kind::PackDamaged => "pack-damaged",
        }
    }
}

thread_local! {
    static KINDS: std::cell::Cell<[u64; KINDS_N]> = const { std::cell::Cell::new([0; KINDS_N]) };
}

fn note(kind: Kind, n: u64) {
    KINDS.with(|k| {
        let mut a = k.get();
        a[kind as usize] += n;
        k.set(a);
    });
}

/// What a batch of executions found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Executions per target, in [`Target::ALL`] order.
    pub execs: [u64; 5],
    /// Answers per [`Kind`], in [`Kind::ALL`] order.
    pub kinds: [u64; KINDS_N],
    pub crashes: Vec<Crash>,
    /// Executions slower than [`SLOW`]: target, index, duration.
    pub slow: Vec<(Target, u64, Duration)>,
}

/// Runs executions `from..to` of `target` (or of the mixed schedule when `None`), one in `stride` starting at
/// `from` (threads share a range by strides). `tick` is called after each execution.
pub fn run(
    target: Option<Target>,
    seed: u64,
    from: u64,
    to: u64,
    stride: u64,
    tick: &mut dyn FnMut(Target),
) -> Outcome {
    let mut out = Outcome::default();
    KINDS.with(|k| k.set([0; KINDS_N]));
    let mut i = from;
    while i < to {
        let t = target.unwrap_or_else(|| Target::of_mixed(i));
        let started = Instant::now();
        if let Err(crash) = execute(t, seed, i) {
            out.crashes.push(crash);
        }
        let took = started.elapsed();
        if took > SLOW {
            out.slow.push((t, i, took));
        }
        out.execs[t.slot()] += 1;
        tick(t);
        i = i.saturating_add(stride.max(1));
    }
    out.kinds = KINDS.with(|k| k.take());
    out
}

// ---------------------------------------------------------------------------------------------------------
// Random source
// ---------------------------------------------------------------------------------------------------------

/// xorshift64* seeded through splitmix64.
pub struct Rng(u64);

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(splitmix(seed) | 1)
    }

    /// The generator of one execution: independent of every other execution.
    pub fn for_case(seed: u64, target: Target, index: u64) -> Rng {
        Rng::new(splitmix(splitmix(seed) ^ (target as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407)) ^ index)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A length: usually small, sometimes anywhere up to `max + 1`, sometimes right at a limit.
    fn len(&mut self, max: usize) -> usize {
        match self.below(10) {
            0..=5 => self.below(12),
            6 | 7 => self.below(max + 2),
            _ => *self.pick(&[max.saturating_sub(1), max, max + 1, max * 2 + 3]),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// A generated JSON tree and its writer
// ---------------------------------------------------------------------------------------------------------

/// A JSON document to write: like [`Json`], plus `Raw` text written verbatim (hostile or invalid fragments).
#[derive(Clone, Debug)]
pub enum G {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<G>),
    Obj(Vec<(String, G)>),
    Raw(String),
}

impl G {
    pub fn from_json(j: &Json) -> G {
        match j {
            Json::Null => G::Null,
            Json::Bool(b) => G::Bool(*b),
            Json::Number(n) => G::Num(n.as_str().to_owned()),
            Json::String(s) => G::Str(s.clone()),
            Json::Array(a) => G::Arr(a.iter().map(G::from_json).collect()),
            Json::Object(o) => G::Obj(o.iter().map(|(k, v)| (k.clone(), G::from_json(v))).collect()),
        }
    }

    fn has_raw(&self) -> bool {
        match self {
            G::Raw(_) => true,
            G::Arr(a) => a.iter().any(G::has_raw),
            G::Obj(o) => o.iter().any(|(_, v)| v.has_raw()),
            _ => false,
        }
    }

    /// Whether `parse` read back exactly this tree (no `Raw` inside).
    fn same(&self, j: &Json) -> bool {
        match (self, j) {
            (G::Null, Json::Null) => true,
            (G::Bool(a), Json::Bool(b)) => a == b,
            (G::Num(a), Json::Number(b)) => a == b.as_str(),
            (G::Str(a), Json::String(b)) => a == b,
            (G::Arr(a), Json::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same(y)),
            (G::Obj(a), Json::Object(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|((k, x), (l, y))| k == l && x.same(y))
            }
            _ => false,
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut G> {
        match self {
            G::Obj(o) => o.iter_mut().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// How a document is written: layout and string escapes vary, the value does not.
struct Style {
    indent: Option<usize>,
    crlf: bool,
    /// 0: only what must be escaped; 1: also every non-ASCII character; 2: a random choice per character.
    escapes: u8,
    escape_slash: bool,
}

impl Style {
    fn random(rng: &mut Rng) -> Style {
        Style {
            indent: match rng.below(4) {
                0 => None,
                1 => Some(1),
                2 => Some(2),
                _ => Some(4),
            },
            crlf: rng.chance(15),
            escapes: if rng.chance(70) { 0 } else { rng.range(1, 2) as u8 },
            escape_slash: rng.chance(10),
        }
    }
}

fn write_doc(g: &G, style: &Style, rng: &mut Rng) -> String {
    let mut out = String::new();
    write_value(g, style, rng, 0, &mut out);
    if style.indent.is_some() {
        out.push_str(if style.crlf { "\r\n" } else { "\n" });
    }
    out
}

fn newline(style: &Style, depth: usize, out: &mut String) {
    if let Some(n) = style.indent {
        out.push_str(if style.crlf { "\r\n" } else { "\n" });
        for _ in 0..n * depth {
            out.push(' ');
        }
    }
}

fn write_value(g: &G, style: &Style, rng: &mut Rng, depth: usize, out: &mut String) {
    match g {
        G::Null => out.push_str("null"),
        G::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        G::Num(n) | G::Raw(n) => out.push_str(n),
        G::Str(s) => write_string(s, style, rng, out),
        G::Arr(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_value(v, style, rng, depth + 1, out);
            }
            if !items.is_empty() {
                newline(style, depth, out);
            }
            out.push(']');
        }
        G::Obj(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_string(k, style, rng, out);
                out.push_str(if style.indent.is_some() { ": " } else { ":" });
                write_value(v, style, rng, depth + 1, out);
            }
            if !entries.is_empty() {
                newline(style, depth, out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, style: &Style, rng: &mut Rng, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '/' if style.escape_slash => out.push_str("\\/"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if !c.is_ascii() && (style.escapes == 1 || (style.escapes == 2 && rng.chance(40))) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&if rng.chance(50) { format!("\\u{u:04x}") } else { format!("\\u{u:04X}") });
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------------------
// Value generators
// ---------------------------------------------------------------------------------------------------------

const TEXT_ATOMS: &[&str] = &[
    "a",
    "Z",
    "café",
    "Économie",
    "l’atelier",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "é",
    "ß",
    "œ",
    "«",
    "»",
    "😀",
    "𝄞",
    "\u{0}",
    "\u{1}",
    "\u{1f}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{200b}",
    "\u{200e}",
    "\u{202e}",
    "\u{2028}",
    "\u{feff}",
    "\u{fffd}",
    "\"",
    "\\",
    "/",
    "<script>",
    "&amp;",
    "%",
    "%20",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "0",
    "-",
    "Ω",
    "Ж",
    "ı",
    "İ",
    "ﬀ",
    "한",
    "\u{10ffff}",
    "\u{e000}",
    "\u{301}",
    "https://",
    "javascript:",
];

/// Text of about `len` characters.
fn text_of(rng: &mut Rng, len: usize) -> String {
    let mut s = String::new();
    let mut n = 0;
    // Long texts repeat a short random sample (cheaper, still varied).
    let sample: Vec<&str> = (0..8).map(|_| *rng.pick(TEXT_ATOMS)).collect();
    while n < len {
        let atom = if len > 64 { *rng.pick(&sample) } else { *rng.pick(TEXT_ATOMS) };
        s.push_str(atom);
        n += atom.chars().count();
    }
    s
}

/// A text for a field limited to `max` characters: ordinary, at the limit, blank, or padded with whitespace.
fn text_value(rng: &mut Rng, max: usize) -> String {
    match rng.below(10) {
        0..=5 => {
            let len = rng.len(max);
            text_of(rng, len)
        }
        6 => " ".repeat(rng.below(4)),
        7 => {
            // Whitespace first, then text: blank once cut at the limit?
            let pad = *rng.pick(&[1, max.saturating_sub(1), max, max + 1]);
            let mut s =
                rng.pick(&[" ", "\t", "\u{a0}", "\n", "\u{3000}", "\u{200b}", "\u{feff}", " \u{200e}"]).repeat(pad);
            let n = 1 + rng.below(5);
            s.push_str(&text_of(rng, n));
            s
        }
        8 => {
            let n = 1 + rng.below(max.max(1));
            format!("{}{}", text_of(rng, n), " ".repeat(rng.below(3)))
        }
        _ => "é".repeat(rng.len(max).max(1)),
    }
}

fn id_chars(rng: &mut Rng, len: usize) -> String {
    const ALPHA: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let mut s: String = (0..len).map(|_| *rng.pick(ALPHA) as char).collect();
    if s.starts_with('-') {
        s.replace_range(..1, "x");
    }
    s
}

/// A record id: usually valid (at most 80 characters of `[a-z0-9-]`), sometimes almost.
fn id_text(rng: &mut Rng) -> String {
    match rng.below(12) {
        0..=6 => {
            let len = rng.range(1, 12);
            id_chars(rng, len)
        }
        7 => {
            let n = *rng.pick(&[79, 80, 81]);
            id_chars(rng, n)
        }
        8 => rng.pick(&["", "-a", "A", "a_b", "é", "a b", "a\u{0}", "a.b", " a", "a ", "0", "--"]).to_string(),
        9 => format!("{}{}", id_chars(rng, 3), rng.pick(&["A", "é", "_", " ", "\u{0}", "😀", "/"])),
        _ => rng.pick(&["ok-1", "ok-2", "reseau-breton", "tzcld-pipriac-saint-ganton", "a", "1"]).to_string(),
    }
}

fn num_text(rng: &mut Rng) -> String {
    const FIXED: &[&str] = &[
        "0",
        "-0",
        "1",
        "-1",
        "2",
        "1799",
        "1800",
        "2014",
        "2026",
        "2027",
        "2028",
        "9999",
        "2014.0",
        "2.014e3",
        "20140e-1",
        "1e400",
        "-1e400",
        "1e-400",
        "4.9e-324",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "9007199254740993",
        "18446744073709551615",
        "18446744073709551616",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "48.117266",
        "-1.93812",
        "180",
        "180.0000001",
        "-180",
        "90",
        "90.000001",
        "-90.5",
        "0.1",
        "1E2",
        "1e+2",
        "1e-2",
        "123456789012345678901234567890",
        "0.000000000000000000000000000001",
        "1e2147483648",
        "1e-2147483649",
        "0e999999999999",
        "100000000000000000000000e-10",
    ];
    match rng.below(4) {
        0 | 1 => rng.pick(FIXED).to_string(),
        2 => {
            // Any valid JSON number.
            let mut s = String::new();
            if rng.chance(30) {
                s.push('-');
            }
            let int_len = rng.range(1, 25);
            if rng.chance(15) {
                s.push('0');
            } else {
                s.push(char::from(b'1' + rng.below(9) as u8));
                (1..int_len).for_each(|_| s.push(char::from(b'0' + rng.below(10) as u8)));
            }
            if rng.chance(50) {
                s.push('.');
                (0..rng.range(1, 25)).for_each(|_| s.push(char::from(b'0' + rng.below(10) as u8)));
            }
            if rng.chance(40) {
                s.push(*rng.pick(&['e', 'E']));
                if rng.chance(60) {
                    s.push(*rng.pick(&['+', '-']));
                }
                (0..rng.range(1, 4)).for_each(|_| s.push(char::from(b'0' + rng.below(10) as u8)));
            }
            s
        }
        _ => format!("{}", rng.below(4000) as i64 - 500),
    }
}

/// Anything, to replace a value of the right type.
fn wrong_value(rng: &mut Rng, depth: usize) -> G {
    match rng.below(12) {
        0 => G::Null,
        1 => G::Bool(rng.chance(50)),
        2 => G::Num(num_text(rng)),
        3 => G::Str(text_value(rng, 20)),
        4 => G::Str(num_text(rng)),
        5 if depth < 4 => G::Arr((0..rng.below(4)).map(|_| wrong_value(rng, depth + 1)).collect()),
        6 if depth < 4 => {
            G::Obj((0..rng.below(4)).map(|_| (text_value(rng, 6), wrong_value(rng, depth + 1))).collect())
        }
        7 => G::Raw(hostile_value(rng)),
        8 => G::Arr(Vec::new()),
        9 => G::Obj(Vec::new()),
        _ => G::Str(String::new()),
    }
}

/// A hostile but syntactically complete JSON value, written verbatim.
fn hostile_value(rng: &mut Rng) -> String {
    // Sizes stay moderate, except now and then (the throughput of a run depends on them).
    let big = rng.chance(4);
    match rng.below(10) {
        0 => {
            let n = *rng.pick(&[60, 100, 120, 122, 123, 124, 125, 126, 127, 128, 129, 200]);
            format!("{}1{}", "[".repeat(n), "]".repeat(n))
        }
        1 => {
            let n = *rng.pick(&[60, 120, 123, 124, 125, 126, 127]);
            format!("{}null{}", "{\"a\":".repeat(n), "}".repeat(n))
        }
        2 => format!("\"{}\"", "a".repeat(*rng.pick(if big { &[65_536, 100_000] } else { &[300, 1_000] }))),
        3 => format!("\"{}\"", "\\u00e9".repeat(if big { rng.range(1_000, 5_000) } else { rng.range(10, 300) })),
        4 => format!("\"{}\"", "\\ud83d\\ude00".repeat(rng.range(1, 300))),
        5 => rng
            .pick(&[
                "\"\\ud800\"",
                "\"\\udc00\"",
                "\"\\ud800\\ud800\"",
                "\"\\ud83d\\ude00\"",
                "\"\\u0000\"",
                "\"\\uD834\\uDD1E\"",
                "\"\\uDBFF\\uDFFF\"",
                "\"a\\/b\"",
            ])
            .to_string(),
        6 => rng.pick(&["NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "undefined"]).to_string(),
        7 => format!("[{}]", vec!["1"; if big { rng.range(1_000, 20_000) } else { rng.range(10, 300) }].join(",")),
        8 => format!(
            "{{{}}}",
            (0..if big { rng.range(100, 400) } else { rng.range(2, 40) })
                .map(|i| format!("\"k{i}\":{i}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ => format!("{{{}}}", vec!["\"id\":\"x\""; rng.range(2, 50)].join(",")),
    }
}

fn url_text(rng: &mut Rng) -> String {
    const SCHEMES: &[&str] = &[
        "https://",
        "http://",
        "HTTPS://",
        "hTtP://",
        "javascript:",
        "JaVaScRiPt:",
        "java\tscript:",
        "data:",
        "//",
        "",
        "ftp://",
        "http:",
        "https:/",
        "https:\\\\",
        " https://",
        "\u{1}https://",
        "https://\u{0}",
        "https:// ",
        "\u{feff}https://",
        "\u{a0}http://",
        "https://user:pw@",
        "https://@",
        "http://é",
    ];
    const HOSTS: &[&str] = &[
        "example.fr",
        "tezea.fr",
        "",
        ":80",
        "xn--caf-dma.fr",
        "café.fr",
        "[::1]",
        "a b",
        "exa\u{200b}mple.fr",
        "127.0.0.1",
        "evil.example@good.fr",
        "a",
    ];
    const PATHS: &[&str] =
        &["", "/", "/a?b#c", "\\evil", "/%0a", "/ é", "?q=1", "#x", "/a/b/c.json", "/\u{7f}", "/\u{2028}", "/😀"];
    let mut u = if rng.chance(45) {
        // A plausible URL, usually safe.
        let host = *rng.pick(&["example.fr", "www.tezea.fr", "xn--caf-dma.fr", "café.fr", "127.0.0.1:8080", "a"]);
        format!("{}{host}{}", rng.pick(&["https://", "http://", "HTTPS://"]), rng.pick(PATHS))
    } else {
        format!("{}{}{}", rng.pick(SCHEMES), rng.pick(HOSTS), rng.pick(PATHS))
    };
    if rng.chance(5) {
        u.push_str(&"a".repeat(*rng.pick(&[2_000, 2_030, 2_040, 2_048, 2_100])));
    }
    if rng.chance(10) {
        u = format!("{}{u}{}", rng.pick(&[" ", "\t", "\n", ""]), rng.pick(&[" ", "\r\n", "\u{3000}", ""]));
    }
    u
}

fn vocab_ids(kind: VocabKind) -> &'static [String] {
    static IDS: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let all = IDS.get_or_init(|| {
        let v = Vocabularies::builtin();
        VocabKind::ALL.iter().map(|&k| v.get(k).entries.iter().map(|e| e.id.clone()).collect()).collect()
    });
    &all[VocabKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)]
}

fn vocab_value(rng: &mut Rng, kind: VocabKind) -> G {
    match rng.below(10) {
        0..=6 => G::Str(rng.pick(vocab_ids(kind)).clone()),
        7 => G::Str(rng.pick(&["inconnu", "habitat", "Habitat", " habitat", "", "x-1", "custom-1"]).to_string()),
        _ => wrong_value(rng, 2),
    }
}

fn place(rng: &mut Rng, replica: bool) -> G {
    if rng.chance(5) {
        return wrong_value(rng, 1);
    }
    let mut o = Vec::new();
    let codes = ["35219", "75056", "29019", "2A004", "2B033", "97411", "97611", "01001", "99999", "3521", "2a004"];
    if rng.chance(60) {
        o.push(("commune".into(), G::Str(text_value(rng, 200))));
    }
    if rng.chance(50) {
        let code = match rng.below(4) {
            0 => id_chars(rng, 5),
            1 => format!("{}é", id_chars(rng, 3)),
            _ => rng.pick(&codes).to_string(),
        };
        o.push(("commune_insee".into(), if rng.chance(90) { G::Str(code) } else { G::Num(num_text(rng)) }));
    }
    if rng.chance(40) {
        let dep = rng.pick(&["35", "2A", "2a", "1", "01", "974", "976", "99", "", " 35 ", "75"]).to_string();
        o.push(("department".into(), G::Str(dep)));
    }
    if rng.chance(30) {
        o.push(("region".into(), G::Str(rng.pick(&["53", "11", "94", "01", "06", "99", ""]).to_string())));
    }
    if rng.chance(60) {
        let coord = |rng: &mut Rng, max: f64| -> G {
            match rng.below(6) {
                0 => G::Num(num_text(rng)),
                1 => wrong_value(rng, 2),
                _ => G::Num(format!("{:.6}", (rng.next() % 2_000_000) as f64 / 1_000_000.0 * max - max / 2.0)),
            }
        };
        if rng.chance(95) {
            o.push(("lon".into(), coord(rng, 20.0)));
        }
        if rng.chance(95) {
            o.push(("lat".into(), coord(rng, 100.0)));
        }
    }
    if replica && rng.chance(50) {
        o.push(("started".into(), year_value(rng)));
    }
    if rng.chance(5) {
        o.push((text_value(rng, 8), wrong_value(rng, 2)));
    }
    G::Obj(o)
}

fn year_value(rng: &mut Rng) -> G {
    match rng.below(6) {
        0..=2 => G::Num((1790 + rng.below(250)).to_string()),
        3 => G::Num(num_text(rng)),
        4 => G::Str((1900 + rng.below(130)).to_string()),
        _ => wrong_value(rng, 2),
    }
}

/// A value for a record field: usually of the right type, sometimes not.
fn field_value(rng: &mut Rng, key: &str) -> G {
    if rng.chance(15) {
        return wrong_value(rng, 1);
    }
    let many = |rng: &mut Rng, kind: VocabKind| G::Arr((0..rng.len(6)).map(|_| vocab_value(rng, kind)).collect());
    match key {
        "id" => G::Str(id_text(rng)),
        "name" => G::Str(text_value(rng, schema::NAME_MAX)),
        "summary" => G::Str(text_value(rng, schema::SUMMARY_MAX)),
        "carrier_kind" => vocab_value(rng, VocabKind::CarrierKinds),
        "stage" => vocab_value(rng, VocabKind::Stages),
        "themes" => many(rng, VocabKind::Themes),
        "scaling_strategies" => many(rng, VocabKind::ScalingStrategies),
        "public_support" => many(rng, VocabKind::PublicSupport),
        "origin" => place(rng, false),
        "replicas" => G::Arr((0..rng.len(5)).map(|_| place(rng, true)).collect()),
        "started" => year_value(rng),
        "sites" => G::Num(num_text(rng)),
        "url" => G::Str(url_text(rng)),
        "sources" => {
            let mut items: Vec<G> = (0..rng.len(5)).map(|_| G::Str(url_text(rng))).collect();
            if !items.is_empty() && rng.chance(30) {
                let again = items[rng.below(items.len())].clone();
                items.push(again);
            }
            G::Arr(items)
        }
        _ => wrong_value(rng, 1),
    }
}

use essaimage::schema::RECORD_FIELDS as RECORD_KEYS;
const ODD_KEYS: &[&str] =
    &["Id", "nom", "x", "", " id", "id\u{0}", "ïd", "__proto__", "constructor", "name ", "NAME", "$ref", "origine"];

fn record(rng: &mut Rng) -> G {
    let mut o = Vec::new();
    for key in RECORD_KEYS {
        let p = match key {
            "id" | "name" => 92,
            _ => 40,
        };
        if rng.chance(p) {
            o.push((key.to_owned(), field_value(rng, key)));
        }
    }
    if rng.chance(10) {
        o.push((rng.pick(ODD_KEYS).to_string(), wrong_value(rng, 1)));
    }
    shuffle(rng, &mut o);
    G::Obj(o)
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.below(i + 1));
    }
}

fn vocabularies(rng: &mut Rng) -> G {
    let mut o = Vec::new();
    for kind in VocabKind::ALL {
        if rng.chance(30) {
            let entries = (0..rng.len(6))
                .map(|_| {
                    let mut e = Vec::new();
                    if rng.chance(90) {
                        let id = if rng.chance(50) { rng.pick(vocab_ids(kind)).clone() } else { id_text(rng) };
                        e.push(("id".into(), G::Str(id)));
                    }
                    if rng.chance(90) {
                        e.push((
                            "label".into(),
                            match rng.below(4) {
                                0 => G::Str(text_value(rng, 30)),
                                1 => wrong_value(rng, 2),
                                _ => G::Obj(vec![
                                    ("fr".into(), G::Str(text_value(rng, 30))),
                                    ("en".into(), if rng.chance(80) { G::Str(text_value(rng, 30)) } else { G::Null }),
                                ]),
                            },
                        ));
                    }
                    if rng.chance(10) {
                        wrong_value(rng, 2)
                    } else {
                        G::Obj(e)
                    }
                })
                .collect();
            o.push((kind.key().to_owned(), G::Arr(entries)));
        }
    }
    if rng.chance(10) {
        o.push((rng.pick(&["theme", "stages ", "x"]).to_string(), wrong_value(rng, 1)));
    }
    G::Obj(o)
}

/// The records of the demo dataset and the fixtures, as trees to recombine.
fn record_pool() -> &'static [G] {
    static POOL: OnceLock<Vec<G>> = OnceLock::new();
    POOL.get_or_init(|| {
        let mut pool = Vec::new();
        for doc in [DEMO_JSON, MIXED_JSON, NETWORK_JSON, VOCABULARIES_JSON] {
            let j = json::parse(doc).expect("the seed documents are valid JSON");
            if let Some(items) = j.get("innovations").and_then(Json::as_array) {
                pool.extend(items.iter().map(G::from_json));
            }
        }
        pool
    })
}

fn seed_documents() -> &'static [&'static str] {
    &[MIXED_JSON, NETWORK_JSON, VOCABULARIES_JSON, DEMO_JSON]
}

/// A whole dataset document, built from records of the pool and generated ones.
fn document(rng: &mut Rng) -> G {
    let pool = record_pool();
    let mut top: Vec<(String, G)> = Vec::new();
    if rng.chance(85) {
        let schema = match rng.below(12) {
            0..=6 => G::Str(schema::SCHEMA.into()),
            7 => G::Str(
                rng.pick(&[
                    "essaimage/1.2",
                    "essaimage/1.",
                    "essaimage/10",
                    "essaimage/2",
                    "ESSAIMAGE/1",
                    "essaimage/1x",
                    "",
                ])
                .to_string(),
            ),
            8 => G::Null,
            _ => wrong_value(rng, 1),
        };
        top.push(("schema".into(), schema));
    }
    for (key, max) in [("title", schema::TITLE_MAX), ("description", schema::DESCRIPTION_MAX), ("license", 300)] {
        if rng.chance(40) {
            top.push((key.into(), if rng.chance(90) { G::Str(text_value(rng, max)) } else { wrong_value(rng, 1) }));
        }
    }
    if rng.chance(30) {
        let d =
            ["2026-11-27", "2026-13-01", "2026-00-10", "2026-1-1", "26-11-2026", "2026-11-27T00:00", "", "abcd-ef-gh"];
        top.push(("updated".into(), G::Str(rng.pick(&d).to_string())));
    }
    if rng.chance(20) {
        let source = match rng.below(3) {
            0 => G::Str(text_value(rng, 30)),
            1 => G::Obj(vec![("name".into(), G::Str(text_value(rng, 30))), ("url".into(), G::Str(url_text(rng)))]),
            _ => wrong_value(rng, 1),
        };
        top.push(("source".into(), source));
    }
    if rng.chance(25) {
        top.push(("vocabularies".into(), vocabularies(rng)));
    }
    if rng.chance(10) {
        top.push(("$schema".into(), G::Str(url_text(rng))));
    }
    if rng.chance(8) {
        top.push((rng.pick(ODD_KEYS).to_string(), wrong_value(rng, 1)));
    }
    let n = match rng.below(10) {
        0 => 0,
        1..=7 => rng.range(1, 6),
        8 => rng.range(6, 40),
        _ if rng.chance(20) => rng.range(40, 120),
        _ => rng.range(1, 6),
    };
    let records: Vec<G> = (0..n).map(|_| if rng.chance(60) { rng.pick(pool).clone() } else { record(rng) }).collect();
    if rng.chance(97) {
        top.push(("innovations".into(), G::Arr(records)));
    } else {
        top.push(("innovations".into(), wrong_value(rng, 1)));
    }
    shuffle(rng, &mut top);
    let mut doc = G::Obj(top);
    for _ in 0..rng.below(7) {
        mutate_tree(rng, &mut doc);
    }
    doc
}

/// One structure-aware mutation: of a record, of a place in a record, of the records array or of the document.
fn mutate_tree(rng: &mut Rng, doc: &mut G) {
    let ids: Vec<String> = match doc.get_mut("innovations") {
        Some(G::Arr(items)) => items
            .iter_mut()
            .filter_map(|r| match r.get_mut("id") {
                Some(G::Str(id)) => Some(id.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let where_ = rng.below(10);
    if where_ >= 8 {
        // The document itself, or its records array.
        if let (true, Some(G::Arr(items))) = (rng.chance(60), doc.get_mut("innovations")) {
            match rng.below(5) {
                0 if !items.is_empty() => {
                    let r = items[rng.below(items.len())].clone();
                    let at = rng.below(items.len() + 1);
                    items.insert(at, r);
                }
                1 if !items.is_empty() => {
                    let at = rng.below(items.len());
                    items[at] = wrong_value(rng, 1);
                }
                2 => items.reverse(),
                3 if !items.is_empty() => {
                    items.remove(rng.below(items.len()));
                }
                _ => items.push(record(rng)),
            }
            return;
        }
        mutate_object(rng, doc, &ids, true);
        return;
    }
    let Some(G::Arr(items)) = doc.get_mut("innovations") else { return };
    if items.is_empty() {
        return;
    }
    let at = rng.below(items.len());
    let rec = &mut items[at];
    if where_ >= 6 {
        let key = if rng.chance(50) { "origin" } else { "replicas" };
        match rec.get_mut(key) {
            Some(G::Arr(places)) if !places.is_empty() => {
                let i = rng.below(places.len());
                mutate_object(rng, &mut places[i], &ids, false);
            }
            Some(p @ G::Obj(_)) => mutate_object(rng, p, &ids, false),
            _ => mutate_object(rng, rec, &ids, false),
        }
        return;
    }
    mutate_object(rng, rec, &ids, false);
}

fn mutate_object(rng: &mut Rng, g: &mut G, ids: &[String], top: bool) {
    let G::Obj(o) = g else {
        *g = if rng.chance(50) { record(rng) } else { wrong_value(rng, 1) };
        return;
    };
    let value_for = |rng: &mut Rng, key: &str| if top { wrong_value(rng, 1) } else { field_value(rng, key) };
    match rng.below(11) {
        0 if !o.is_empty() => {
            o.remove(rng.below(o.len()));
        }
        1 if !o.is_empty() => {
            // A duplicate key, with another value.
            let key = o[rng.below(o.len())].0.clone();
            let v = value_for(rng, &key);
            o.insert(rng.below(o.len() + 1), (key, v));
        }
        2 if !o.is_empty() => {
            let at = rng.below(o.len());
            o[at].1 = wrong_value(rng, 1);
        }
        3 => {
            let key = rng.pick(&RECORD_KEYS).to_string();
            let v = value_for(rng, &key);
            match o.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = v,
                None => o.push((key, v)),
            }
        }
        4 => {
            let key = match rng.below(3) {
                0 => "k".repeat(rng.range(100, 3_000)),
                _ => rng.pick(ODD_KEYS).to_string(),
            };
            o.push((key, wrong_value(rng, 1)));
        }
        5 => shuffle(rng, o),
        6 if !o.is_empty() => {
            // A number written as a string, or a string as a bare word.
            let at = rng.below(o.len());
            o[at].1 = match std::mem::replace(&mut o[at].1, G::Null) {
                G::Num(n) => G::Str(n),
                G::Str(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                    G::Num(match s.trim_start_matches('0') {
                        "" => "0".to_owned(),
                        t => t.to_owned(),
                    })
                }
                G::Str(s) => G::Num(s.chars().count().to_string()),
                G::Bool(b) => G::Str(b.to_string()),
                other => other,
            };
        }
        7 if !o.is_empty() => {
            let at = rng.below(o.len());
            o[at].1 = G::Raw(hostile_value(rng));
        }
        8 if !ids.is_empty() => {
            // The id of another record (or of this one).
            let id = rng.pick(ids).clone();
            match o.iter_mut().find(|(k, _)| k == "id") {
                Some(slot) => slot.1 = G::Str(id),
                None => o.push(("id".into(), G::Str(id))),
            }
        }
        9 => {
            // A blank or barely-not-blank name / summary at the limits.
            let (key, max) = if rng.chance(50) { ("name", schema::NAME_MAX) } else { ("summary", schema::SUMMARY_MAX) };
            let v = G::Str(text_value(rng, max));
            o.push((key.into(), v));
        }
        _ => {
            let key = text_value(rng, 10);
            let v = wrong_value(rng, 1);
            o.push((key, v));
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Byte-level mutations
// ---------------------------------------------------------------------------------------------------------

fn fragments() -> &'static [Vec<u8>] {
    static FRAGMENTS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    FRAGMENTS.get_or_init(|| {
        let mut f: Vec<Vec<u8>> = [
            &b"\xff"[..],
            b"\xc3",
            b"\xc3\x28",
            b"\xed\xa0\x80",
            b"\xf4\x90\x80\x80",
            b"\xc0\xaf",
            b"\xe2\x82",
            b"\xef\xbb\xbf",
            b"\xfe\xff",
            b"\xf0\x9f\x98",
            b"\"id\":\"x\",\"id\":\"y\",",
            b"\"name\":\"a\",\"name\":\"b\",",
            b"\"innovations\":[],",
            b"\"2014\"",
            b"\"48.1\"",
            b"\\ud800",
            b"\\udc00",
            b"\\ud83d\\ude00",
            b"\\u0000",
            b"\\u00e9",
            b"\\uDFFF",
            b"\\u",
            b"\\",
            b"1e400",
            b"-0",
            b"18446744073709551616",
            b"-9223372036854775809",
            b"NaN",
            b"Infinity",
            b"+1",
            b"01",
            b".5",
            b"null",
            b"true",
            b"[]",
            b"{}",
            b"\"\"",
            b",",
            b":",
            b"}",
            b"]",
            b"{",
            b"[",
            b"\"",
            b"\n",
            b"\r\n",
            b"\r",
            b"\t",
            "\u{2028}".as_bytes(),
            b"\x00",
            b"\x01",
            b"\x1f",
            b"\x7f",
            b"\"javascript:alert(1)\"",
            b"\"https://example.fr\"",
            b"/*c*/",
            b"//c\n",
            "é".as_bytes(),
            "😀".as_bytes(),
        ]
        .iter()
        .map(|f| f.to_vec())
        .collect();
        f.push("[".repeat(130).into_bytes());
        f.push("{\"a\":".repeat(130).into_bytes());
        f.push("[".repeat(30).into_bytes());
        f.push(format!("\"{}\"", "a".repeat(1_000)).into_bytes());
        f.push("é".repeat(300).into_bytes());
        f
    })
}

/// Fragments large enough to slow a run down: used now and then only.
fn huge_fragments() -> &'static [Vec<u8>] {
    static HUGE: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    HUGE.get_or_init(|| {
        vec![
            format!("\"{}\"", "a".repeat(100_000)).into_bytes(),
            "é".repeat(30_000).into_bytes(),
            "[".repeat(100_000).into_bytes(),
            "{\"a\":".repeat(50_000).into_bytes(),
        ]
    })
}

fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>, rounds: usize) {
    const INTERESTING: &[u8] = &[
        0x00, 0x0a, 0x0d, 0x20, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x80, 0xbf, 0xc0, 0xc3, 0xe9, 0xed,
        0xef, 0xff,
    ];
    for _ in 0..rounds {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(11) {
            0 if at < len => bytes[at] ^= 1 << rng.below(8),
            1 if at < len => bytes[at] = *rng.pick(INTERESTING),
            2 if at < len => {
                let end = (at + rng.range(1, 16)).min(len);
                bytes.drain(at..end);
            }
            3 if at < len => {
                let end = (at + rng.range(1, 64)).min(len);
                let piece = bytes[at..end].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, piece);
            }
            4 => bytes.truncate(at),
            5 => {
                const BOMS: [&[u8]; 4] = [b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xfe\xff", b" \xef\xbb\xbf"];
                let bom = *rng.pick(&BOMS);
                bytes.splice(0..0, bom.iter().copied());
            }
            6 => {
                // A slice of another seed.
                let donor = rng.pick(seed_documents()).as_bytes();
                let from = rng.below(donor.len());
                let end = (from + rng.range(1, 200)).min(donor.len());
                bytes.splice(at..at, donor[from..end].iter().copied());
            }
            7 => {
                // Inside a string: right after a quote.
                let quote = bytes.iter().skip(at).position(|&b| b == b'"').map(|p| at + p + 1).unwrap_or(at);
                let f = rng.pick(fragments()).clone();
                bytes.splice(quote..quote, f);
            }
            _ => {
                let set = if rng.chance(2) { huge_fragments() } else { fragments() };
                let f = rng.pick(set).clone();
                bytes.splice(at..at, f);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// Target: json
// ---------------------------------------------------------------------------------------------------------

fn any_value(rng: &mut Rng, depth: usize) -> G {
    let leaf = depth >= 6 || rng.chance(35);
    match rng.below(if leaf { 5 } else { 7 }) {
        0 => G::Null,
        1 => G::Bool(rng.chance(50)),
        2 => G::Num(num_text(rng)),
        3 | 4 => G::Str(text_value(rng, 40)),
        5 => G::Arr((0..rng.below(6)).map(|_| any_value(rng, depth + 1)).collect()),
        _ => G::Obj((0..rng.below(6)).map(|_| (text_value(rng, 8), any_value(rng, depth + 1))).collect()),
    }
}

const TOKENS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\"a\"", "\"é\"", "1", "-", "0", "e", "E", ".", "+", "true", "false", "null",
    "nul", "tru", " ", "\n", "\t", "\r", "\\", "\\u", "d800", "dc00", "00e9", "\\n", "\\x", "x", "é", "😀", "\u{0}",
];

fn exec_json(rng: &mut Rng) {
    let mut expected = None;
    let bytes: Vec<u8> = match rng.below(10) {
        0..=2 => {
            let g = any_value(rng, 0);
            let style = Style::random(rng);
            let text = write_doc(&g, &style, rng);
            expected = Some(g);
            text.into_bytes()
        }
        3..=5 => {
            let doc = rng.pick(seed_documents());
            // The demo is long: usually a prefix of it (cut on a character boundary).
            let cut = if doc.len() > 4_000 && rng.chance(90) { rng.range(0, 4_000) } else { doc.len() };
            let mut cut = cut;
            while !doc.is_char_boundary(cut) {
                cut -= 1;
            }
            let mut b = doc.as_bytes()[..cut].to_vec();
            let rounds = rng.range(1, 4);
            mutate_bytes(rng, &mut b, rounds);
            b
        }
        6 | 7 => {
            let g = any_value(rng, 0);
            let style = Style::random(rng);
            let mut b = write_doc(&g, &style, rng).into_bytes();
            let rounds = rng.range(1, 3);
            mutate_bytes(rng, &mut b, rounds);
            b
        }
        8 => G::Raw(hostile_value(rng)).to_string_compact().into_bytes(),
        _ => (0..rng.range(1, 40)).flat_map(|_| rng.pick(TOKENS).as_bytes().to_vec()).collect(),
    };
    set_input(&bytes);
    let text = String::from_utf8_lossy(&bytes);
    check_json_text(&text);
    if let Some(g) = expected {
        let parsed = json::parse(&text).unwrap_or_else(|e| panic!("a generated document does not parse: {e}"));
        assert!(g.has_raw() || g.same(&parsed), "parse does not read back the generated tree {g:?} as {parsed:?}");
    }
    if rng.chance(25) {
        check_options(&text);
    }
}

impl G {
    fn to_string_compact(&self) -> String {
        let style = Style { indent: None, crlf: false, escapes: 0, escape_slash: false };
        write_doc(self, &style, &mut Rng::new(0))
    }
}

/// What must hold for any text given to the JSON reader.
pub fn check_json_text(text: &str) {
    let parsed = json::parse(text);
    // The piecewise reader (`skip` then `end`, as validation reads records) agrees with `parse`.
    let mut p = Parser::new(text);
    let skipped = p.skip().and_then(|raw| p.end().map(|_| raw));
    match (&parsed, &skipped) {
        (Ok(v), Ok(raw)) => {
            note(Kind::JsonValid, 1);
            assert_eq!(*raw, text.trim_matches([' ', '\n', '\r', '\t']), "skip returns the value's text");
            // Written back compactly, it reads back the same, and writes the same again.
            let written = v.to_string();
            let again =
                json::parse(&written).unwrap_or_else(|e| panic!("{written:?} written back does not parse: {e}"));
            assert_eq!(&again, v, "round trip through Display");
            assert_eq!(again.to_string(), written, "Display is stable");
            each_number(v, &mut check_number);
        }
        (Err(a), Err(b)) => {
            note(Kind::JsonError, 1);
            assert_eq!(a, b, "parse and skip report the same error");
            check_position(text, a.line, a.column);
        }
        _ => panic!("parse {parsed:?} and skip {skipped:?} disagree"),
    }
}

/// A syntax error's position lies inside the text: line 1..=lines; column 1..=characters of the line + 1 (the
/// character after the last one is the end of the text); column 0 only at the very end of a text that ends with
/// a line break (or is empty), as `json` documents (`serde_json`'s convention).
pub fn check_position(text: &str, line: usize, column: usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!((1..=lines.len()).contains(&line), "line {line} outside the text's {} lines", lines.len());
    let chars = lines[line - 1].chars().count();
    assert!(column <= chars + 1, "column {column} past the end of line {line} ({chars} characters)");
    assert!(column >= 1 || (line == lines.len() && chars == 0), "column 0 on line {line} (not the end of the text)");
}

fn each_number(v: &Json, f: &mut dyn FnMut(&json::Number)) {
    match v {
        Json::Number(n) => f(n),
        Json::Array(items) => items.iter().for_each(|v| each_number(v, f)),
        Json::Object(entries) => entries.iter().for_each(|(_, v)| each_number(v, f)),
        _ => {}
    }
}

/// Number conversions agree with the standard library (the reference for what the text means).
pub fn check_number(n: &json::Number) {
    let s = n.as_str();
    if let Some(u) = n.as_u64() {
        assert_eq!(u.to_string(), s, "as_u64 of {s}");
    }
    if let Some(i) = n.as_i64() {
        assert_eq!(i.to_string(), s, "as_i64 of {s}");
    }
    let integer = !s.contains(['.', 'e', 'E']);
    if integer && s != "-0" {
        assert_eq!(n.as_i64().is_some(), s.parse::<i64>().is_ok(), "as_i64 of {s}");
        assert_eq!(n.as_u64().is_some(), s.parse::<u64>().is_ok(), "as_u64 of {s}");
    }
    let reference: f64 = s.parse().unwrap_or_else(|_| panic!("{s} is not a number for the standard library"));
    match n.as_f64() {
        None => assert!(
            reference.is_infinite() || reference.abs() > f64::MAX * (1.0 - 1e-14),
            "as_f64 refuses {s}, which is {reference:e}"
        ),
        Some(f) => {
            assert!(f.is_finite(), "as_f64 of {s} is {f}");
            assert!(
                !reference.is_infinite() || f.abs() > f64::MAX * (1.0 - 1e-14),
                "as_f64 of {s} (infinite) is {f:e}"
            );
            if reference.is_finite() && reference.abs() >= 1e-300 {
                let error = ((f - reference) / reference).abs();
                assert!(error <= 2e-15, "as_f64 of {s} is {f:e}, off by {error:e} from {reference:e}");
                assert_eq!(f.is_sign_negative(), reference.is_sign_negative(), "sign of {s}");
            } else {
                assert!(f.abs() <= 1e-299, "as_f64 of {s} (tiny) is {f:e}");
            }
            // Exact (one rounding) for what datasets hold: at most 15 significant digits, small exponents.
            if simple_decimal(s) {
                assert_eq!(f, reference, "as_f64 of {s} is not the nearest f64");
            }
        }
    }
}

/// At most 15 significant digits and a decimal exponent within ±22 once the point is moved.
fn simple_decimal(s: &str) -> bool {
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().unwrap_or(i64::MAX)),
        None => (s, 0),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_start_matches('0');
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i64;
    significant.len() <= 15 && exp.checked_sub(fraction).is_some_and(|e| (-22..=22).contains(&e))
}

/// The embed options' JSON: whatever the text, `from_json` and `resolve` do not panic, and the namespace used in
/// links is always usable.
fn check_options(text: &str) {
    if let Ok(raw) = RawOptions::from_json(text) {
        let (config, _warnings) = Config::resolve(raw, "e1");
        assert!(is_usable_ns(&config.ns), "namespace {:?}", config.ns);
        assert!(config.page_size >= 1 && config.max_bytes >= 1);
    }
}

fn is_usable_ns(ns: &str) -> bool {
    !ns.is_empty() && ns.len() <= 32 && ns.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

// ---------------------------------------------------------------------------------------------------------
// Target: schema
// ---------------------------------------------------------------------------------------------------------

fn exec_schema(rng: &mut Rng) {
    let bytes: Vec<u8> = match rng.below(10) {
        // One in 5,000: a document with tens of thousands of something (slow paths; see `big_document`).
        _ if rng.below(5_000) == 0 => {
            let which = rng.next();
            big_document(rng, which)
        }
        0..=5 => {
            let doc = document(rng);
            let style = Style::random(rng);
            let mut b = write_doc(&doc, &style, rng).into_bytes();
            if rng.chance(25) {
                let rounds = rng.range(1, 3);
                mutate_bytes(rng, &mut b, rounds);
            }
            b
        }
        6..=8 => {
            // A seed file (the 83 KB demo now and then), mutated.
            let doc = if rng.chance(8) { DEMO_JSON } else { *rng.pick(&seed_documents()[..3]) };
            let mut b = doc.as_bytes().to_vec();
            let rounds = rng.range(0, 4);
            mutate_bytes(rng, &mut b, rounds);
            b
        }
        _ => {
            // Small documents around the top level's shape.
            let tops = [
                "",
                "{}",
                "[]",
                "null",
                "1",
                "\"x\"",
                "{\"innovations\": {}}",
                "{\"innovations\": null}",
                "{\"innovations\": []}",
                "{\"innovations\": [], \"innovations\": 1}",
                "{\"innovations\": 1, \"innovations\": []}",
                "[{\"innovations\": []}]",
                "{\"schema\": 2, \"innovations\": []}",
                "<!DOCTYPE html><html>",
                "{\"innovations\": []} x",
                "1 x",
                "[1,",
                "{\"schema\": \"essaimage/2\"}",
            ];
            let mut b = rng.pick(&tops).as_bytes().to_vec();
            let rounds = rng.range(0, 2);
            mutate_bytes(rng, &mut b, rounds);
            b
        }
    };
    let opts = ValidateOptions {
        url: "https://example.fr/innovations.json".into(),
        current_year: if rng.chance(90) { YEAR } else { rng.range(1700, 2300) as i64 },
        max_bytes: if rng.chance(97) { schema::DEFAULT_MAX_BYTES } else { rng.below(bytes.len() + 10) as u64 },
    };
    set_input(&bytes);
    let pipeline = rng.chance(12);
    let filter_seed = rng.next();
    check_schema(&bytes, &opts, pipeline.then_some(filter_seed));
}

/// A document of 1 to 3 MB with tens of thousands of one thing: vocabulary entries (past the 65,536 values a
/// `ValueIdx` can index), keys in one record, unknown fields, sources, facet values, replicas, records, or
/// vocabulary values used by one record. Written
/// directly as text (faster than a tree). Validation must stay well under [`SLOW`] on each.
pub fn big_document(rng: &mut Rng, which: u64) -> Vec<u8> {
    let n = rng.range(40_000, 70_000);
    let mut records: Vec<String> = Vec::new();
    let mut vocab = String::new();
    let join = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(",");
    match which % 9 {
        0 => {
            let n = rng.range(65_530, 70_000);
            vocab = format!(
                r#""vocabularies": {{"themes": [{}]}},"#,
                join(&mut (0..n).map(|i| format!(r#"{{"id": "t{i}", "label": "T{i}"}}"#)))
            );
            records.push(format!(
                r#"{{"id": "a", "name": "A", "themes": ["t{}", "t{}", "t3", "habitat"]}}"#,
                rng.range(65_530, n - 1),
                rng.range(0, n - 1)
            ));
        }
        1 => records
            .push(format!(r#"{{"id": "a", "name": "A", {}}}"#, join(&mut (0..n).map(|i| format!(r#""k{i}": {i}"#))))),
        2 => records.extend((0..n).map(|i| format!(r#"{{"id": "r{i}", "name": "N", "x{i}": 1}}"#))),
        3 => records.push(format!(
            r#"{{"id": "a", "name": "A", "sources": [{}]}}"#,
            join(&mut (0..n).map(|i| format!(r#""https://example.fr/{i}""#)))
        )),
        4 => records.push(format!(
            r#"{{"id": "a", "name": "A", "themes": [{}]}}"#,
            join(&mut (0..n).map(|i| format!(r#""{}""#, if i % 2 == 0 { "habitat" } else { "culture" })))
        )),
        5 => records.push(format!(
            r#"{{"id": "a", "name": "A", "replicas": [{}]}}"#,
            join(&mut (0..n / 2).map(|i| format!(r#"{{"department": "35", "started": {}}}"#, 1900 + i % 100)))
        )),
        6 => records.push(format!(
            r#"{{"id": "a", "name": "A", {}}}"#,
            join(&mut (0..n).map(|i| format!(r#""k{}": {i}"#, i % 3)))
        )),
        7 => records.extend((0..n).map(|i| format!(r#"{{"id": "r{}", "name": "N{i}"}}"#, i % 1_000))),
        _ => {
            // A long vocabulary and a record that uses all of it, from the end.
            let n = n / 2;
            vocab = format!(
                r#""vocabularies": {{"themes": [{}]}},"#,
                join(&mut (0..n).map(|i| format!(r#"{{"id": "t{i}", "label": "T{i}"}}"#)))
            );
            records.push(format!(
                r#"{{"id": "a", "name": "A", "themes": [{}]}}"#,
                join(&mut (0..n).rev().map(|i| format!(r#""t{i}""#)))
            ));
        }
    }
    format!("{{{vocab} \"innovations\": [{}]}}", records.join(",\n")).into_bytes()
}

/// What must hold for any bytes given to `schema::validate`, checked against an oracle built on `json::parse`.
/// `pipeline`: also resolve places and build the index of a valid result, and apply a random filter.
pub fn check_schema(bytes: &[u8], opts: &ValidateOptions, pipeline: Option<u64>) {
    let result = schema::validate(bytes, opts);
    // Reading by pieces (layout, then each value) gives exactly what reading the whole document gives.
    if bytes.len() as u64 <= opts.max_bytes {
        assert_eq!(result, schema::read_whole(bytes, opts), "reading by pieces and reading whole disagree");
    }
    // Messages render in both languages, whatever the values quoted.
    match &result {
        Err(e) => {
            for locale in [Locale::Fr, Locale::En] {
                let (title, body) = e.message(locale);
                assert!(!title.is_empty() && !body.is_empty());
            }
        }
        Ok((_, report)) => {
            for p in report.problems.iter().take(40) {
                assert!(!p.describe(Locale::Fr).is_empty() && !p.describe(Locale::En).is_empty());
            }
            assert!(!report.summary(Locale::En).is_empty());
        }
    }
    note(
        match &result {
            Ok(_) => Kind::SchemaValid,
            Err(LoadError::NotJson { .. }) => Kind::SchemaNotJson,
            Err(LoadError::WrongShape { .. }) => Kind::SchemaWrongShape,
            Err(LoadError::UnsupportedSchema { .. }) => Kind::SchemaUnsupported,
            Err(_) => Kind::SchemaTooLarge,
        },
        1,
    );
    if let Err(LoadError::TooLarge { bytes: Some(n), limit, .. }) = &result {
        assert!(*n > *limit && *n == bytes.len() as u64 && *limit == opts.max_bytes, "TooLarge {n} {limit}");
        return;
    }
    assert!(bytes.len() as u64 <= opts.max_bytes, "{} bytes accepted under a limit of {}", bytes.len(), opts.max_bytes);
    let stripped = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = match std::str::from_utf8(stripped) {
        Ok(text) => text,
        Err(e) => {
            let Err(LoadError::NotJson { line, column, detail, .. }) = &result else {
                panic!("invalid UTF-8 (at byte {}) not refused: {:?}", e.valid_up_to(), result.as_ref().err());
            };
            assert!(detail.contains("UTF-8"), "{detail}");
            let valid = &stripped[..e.valid_up_to()];
            let expected_line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            assert_eq!(*line, expected_line, "line of the first invalid byte");
            check_position(&String::from_utf8_lossy(stripped), *line, *column);
            assert!(*column >= 1);
            return;
        }
    };
    let parsed = json::parse(text);
    let first = text.trim_start_matches([' ', '\n', '\r', '\t']).bytes().next();
    match result {
        Err(LoadError::NotJson { line, column, detail, .. }) => {
            check_position(text, line, column);
            // The same error as the whole-document reader, at the same place.
            let e = parsed.as_ref().expect_err("validate says not JSON, parse reads it");
            assert_ne!(first, Some(b'['), "an array is the wrong shape, whatever follows");
            assert_eq!((e.line, e.column, e.cause), (line, column, detail.as_str()), "validate and parse disagree");
        }
        Err(LoadError::WrongShape { shape, .. }) => {
            if let Ok(doc) = &parsed {
                let innovations = doc.get("innovations");
                assert!(
                    doc.as_object().is_none() || !matches!(innovations, Some(Json::Array(_))),
                    "WrongShape ({shape:?}) for a document with an innovations array"
                );
            } else {
                assert_ne!(first, Some(b'{'), "WrongShape ({shape:?}) for an object that does not parse");
            }
        }
        Err(LoadError::UnsupportedSchema { found, .. }) => {
            let doc = parsed.expect("UnsupportedSchema for a document that does not parse");
            let schema = doc.get("schema").expect("UnsupportedSchema without a schema");
            assert!(!schema.is_null());
            assert!(found != schema::SCHEMA && !found.starts_with("essaimage/1."), "{found} refused");
        }
        Err(other) => panic!("unexpected error {other:?}"),
        Ok((dataset, report)) => {
            let doc = parsed.unwrap_or_else(|e| panic!("validate accepts what parse refuses: {e}"));
            check_dataset(&doc, &dataset, &report, opts);
            if let Some(seed) = pipeline {
                check_pipeline(dataset, report, seed);
            }
        }
    }
}

/// The valid result of `validate` against the document as `parse` reads it.
fn check_dataset(doc: &Json, ds: &Dataset, report: &DataReport, opts: &ValidateOptions) {
    let records = doc.get("innovations").and_then(Json::as_array).expect("a dataset without an innovations array");
    if let Some(s) = doc.get("schema").filter(|s| !s.is_null()) {
        let s = s.as_str().expect("a schema that is not a string was accepted");
        assert!(s == schema::SCHEMA || s.starts_with("essaimage/1."), "schema {s:?} accepted");
    }
    assert_eq!(report.records_in_file, records.len(), "records_in_file");
    assert!(report.records_kept <= report.records_in_file, "records_kept > records_in_file");
    assert_eq!(report.records_kept, ds.innovations.len(), "records_kept");
    note(Kind::RecordsKept, report.records_kept as u64);
    note(Kind::RecordsRejected, (report.records_in_file - report.records_kept) as u64);

    // Kept: exactly the records with a valid id and a non-blank name whose id was not kept before.
    let mut seen = BTreeSet::new();
    let mut expected = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let id = r.get("id").and_then(Json::as_str).filter(|id| schema::is_valid_id(id));
        let named = r.get("name").and_then(Json::as_str).is_some_and(|n| !text::is_blank(n));
        if let (Some(id), true, true) = (id, named, r.as_object().is_some()) {
            if seen.insert(id) {
                expected.push((i, id));
            }
        }
    }
    let kept: Vec<(usize, &str)> = ds.innovations.iter().map(|r| (r.file_index, r.id.as_str())).collect();
    assert_eq!(kept, expected, "the records kept");

    // Every record left out is explained by a "rejected" problem, and no kept record has one.
    let kept_index: BTreeSet<usize> = kept.iter().map(|&(i, _)| i).collect();
    let rejected: BTreeSet<usize> = report
        .problems
        .iter()
        .filter(|p| p.kind.severity() == Severity::Rejected)
        .map(|p| p.index.expect("a rejection without a record index"))
        .collect();
    for i in 0..records.len() {
        assert_eq!(rejected.contains(&i), !kept_index.contains(&i), "record {i}: kept and rejected, or neither");
    }
    for p in &report.problems {
        assert!(p.index.is_none_or(|i| i < records.len()), "problem about record {:?} of {}", p.index, records.len());
    }

    let year_max = opts.current_year + 1;
    for r in &ds.innovations {
        let raw = &records[r.file_index];
        let raw_str = |key: &str| raw.get(key).and_then(Json::as_str).unwrap_or_default();
        assert!(schema::is_valid_id(&r.id), "kept id {:?}", r.id);
        check_text(&r.name, schema::NAME_MAX, raw_str("name"), "name");
        assert!(!text::is_blank(&r.name), "name kept blank (invisible characters only): {:?}", r.name);
        if let Some(s) = &r.summary {
            check_text(s, schema::SUMMARY_MAX, raw_str("summary"), "summary");
        }
        if let Some(u) = &r.url {
            check_url(u);
            assert_eq!(u, raw_str("url").trim(), "url as written (trimmed)");
        }
        let raw_sources: BTreeSet<&str> = raw
            .get("sources")
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(Json::as_str)
            .map(str::trim)
            .collect();
        let mut unique = BTreeSet::new();
        for u in &r.sources {
            check_url(u);
            assert!(unique.insert(u), "source {u:?} twice");
            assert!(raw_sources.contains(u.as_str()), "source {u:?} not in the file");
        }
        if let Some(y) = r.started {
            assert!((schema::YEAR_MIN..=year_max).contains(&i64::from(y)), "started {y}");
        }
        if let Some(n) = r.sites {
            let Some(Json::Number(raw_n)) = raw.get("sites") else { panic!("sites {n} from a non-number") };
            assert_eq!(raw_n.as_u64(), Some(n), "sites");
        }
        let single = [(r.stage, VocabKind::Stages, "stage"), (r.carrier_kind, VocabKind::CarrierKinds, "carrier_kind")];
        for (idx, kind, key) in single {
            if let Some(idx) = idx {
                let vocab = ds.vocabularies.get(kind);
                assert!((idx as usize) < vocab.len(), "{key} index {idx} of {}", vocab.len());
                // A value is read by its id, else by its label or a synonym (as spreadsheets write them).
                let written = raw_str(key);
                let read = vocab.index_of(written).or_else(|| vocab.find(written, kind.synonyms()));
                assert_eq!(read, Some(idx), "{key}: the value kept is not the value written ({written:?})");
            }
        }
        let many = [
            (&r.themes, VocabKind::Themes, "themes"),
            (&r.scaling_strategies, VocabKind::ScalingStrategies, "scaling_strategies"),
            (&r.public_support, VocabKind::PublicSupport, "public_support"),
        ];
        for (idxs, kind, key) in many {
            let vocab = ds.vocabularies.get(kind);
            let written: BTreeSet<&str> =
                raw.get(key).and_then(Json::as_array).unwrap_or_default().iter().filter_map(Json::as_str).collect();
            // Each value written is read by its id, else by its label or a synonym: exactly those are kept, once.
            let read: BTreeSet<u16> =
                written.iter().filter_map(|w| vocab.index_of(w).or_else(|| vocab.find(w, kind.synonyms()))).collect();
            let mut unique = BTreeSet::new();
            for &idx in idxs {
                assert!((idx as usize) < vocab.len(), "{key} index {idx} of {}", vocab.len());
                assert!(unique.insert(idx), "{key}: value {idx} twice");
                assert!(read.contains(&idx), "{key}: {:?} kept, not written", vocab.id(idx));
            }
            assert_eq!(read.len(), idxs.len(), "{key}: values read {read:?}, kept {idxs:?}");
        }
        check_place(&r.origin, year_max, "origin");
        if let Some(Json::Array(items)) = raw.get("replicas") {
            assert_eq!(r.replicas.len(), items.len(), "replicas are kept in place until resolution");
        }
        for p in &r.replicas {
            check_place(p, year_max, "replica");
        }
    }

    let m = &ds.meta;
    for (value, max, key) in [
        (&m.title, schema::TITLE_MAX, "title"),
        (&m.description, schema::DESCRIPTION_MAX, "description"),
        (&m.license, 300, "license"),
    ] {
        if let Some(v) = value {
            check_text(v, max, doc.get(key).and_then(Json::as_str).unwrap_or_default(), key);
        }
    }
    if let Some(d) = &m.updated {
        assert!(d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-', "updated {d:?}");
    }
    if let Some(u) = m.source.as_ref().and_then(|s| s.url.as_ref()) {
        check_url(u);
    }
    for kind in VocabKind::ALL {
        for e in &ds.vocabularies.get(kind).entries {
            assert!(schema::is_valid_id(&e.id), "vocabulary id {:?}", e.id);
            assert!(!(e.label.fr.is_empty() && e.label.en.is_empty()), "vocabulary {:?} without a label", e.id);
        }
    }
    for w in ds.innovations.windows(2) {
        assert!(w[0].file_index < w[1].file_index, "records out of file order");
    }
}

/// A kept text: 1 to `max` characters, not blank, taken from what the file says.
fn check_text(kept: &str, max: usize, written: &str, field: &str) {
    let n = kept.chars().count();
    assert!((1..=max).contains(&n), "{field} of {n} characters (max {max})");
    assert!(!kept.trim().is_empty(), "{field} kept blank: {kept:?}");
    assert!(written.contains(kept), "{field} {kept:?} is not in the file");
}

fn check_url(u: &str) {
    assert_eq!(safe_http_url(u).as_deref(), Some(u), "kept URL {u:?} does not pass safe_http_url unchanged");
}

fn check_place(p: &Place, year_max: i64, what: &str) {
    if let Some(pt) = p.point {
        assert!(pt.lon.is_finite() && pt.lat.is_finite(), "{what} point {pt:?}");
        assert!((-180.0..=180.0).contains(&pt.lon) && (-90.0..=90.0).contains(&pt.lat), "{what} point {pt:?}");
    }
    if let Some(c) = &p.commune {
        let n = c.chars().count();
        assert!((1..=schema::NAME_MAX).contains(&n) && !c.trim().is_empty(), "{what} commune {c:?}");
    }
    if let Some(code) = &p.commune_insee {
        assert!(
            code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
            "{what} code {code:?}"
        );
    }
    for v in [&p.department, &p.region].into_iter().flatten() {
        assert!(!v.trim().is_empty(), "{what}: blank department or region kept");
    }
    if let Some(y) = p.started {
        assert!((schema::YEAR_MIN..=year_max).contains(&i64::from(y)), "{what} started {y}");
    }
}

fn territories() -> &'static Territories {
    static T: OnceLock<Territories> = OnceLock::new();
    T.get_or_init(|| outlines::read(outlines::FILE).expect("the shipped departments"))
}

fn communes() -> &'static CommuneIndex {
    static C: OnceLock<CommuneIndex> = OnceLock::new();
    C.get_or_init(|| CommuneIndex::from_csv(COMMUNES_CSV).expect("the shipped commune table"))
}

/// Places resolved, index built, then the empty filter and a random one (drawn from the dataset's own values,
/// as the interface and links produce them) applied.
fn check_pipeline(dataset: Dataset, report: DataReport, seed: u64) {
    note(Kind::SchemaPipeline, 1);
    let mut rng = Rng::new(seed);
    let n = dataset.innovations.len();
    let table = if rng.chance(80) { Ok(communes()) } else { Err("offline") };
    let explorer = build_loaded(dataset, report, territories().clone(), table);
    let index = &explorer.index;
    assert_eq!(index.len(), n);
    for inno in &index.dataset.innovations {
        for p in inno.places() {
            if let Some(pt) = p.point {
                assert!(pt.lon.is_finite() && pt.lat.is_finite(), "resolved point {pt:?}");
            }
        }
    }
    let all = index.apply(&Filter::default());
    let mut ids = all.ids.clone();
    ids.sort_unstable();
    assert!(ids.iter().copied().eq(0..n as u32), "the empty filter keeps every record once");
    let mut filter = Filter::default();
    for f in Facet::ALL {
        let vocab = index.dataset.vocabularies.get(f.vocab());
        for _ in 0..rng.below(3) {
            if !vocab.is_empty() {
                let id = vocab.id(rng.below(vocab.len()) as u16).to_owned();
                filter.toggle(f, &id);
            }
        }
    }
    let terr = &index.territories;
    filter.territory = match rng.below(5) {
        0 => Some(TerritorySel::Region(rng.pick(&terr.regions).code.clone())),
        1 => Some(TerritorySel::Department(rng.pick(&terr.departments).code.clone())),
        2 if !index.communes.is_empty() => Some(TerritorySel::Commune(rng.pick(&index.communes).key.clone())),
        3 => Some(TerritorySel::Commune(text_value(&mut rng, 10))),
        _ => None,
    };
    if rng.chance(50) {
        filter.text = match index.dataset.innovations.first() {
            Some(i) if rng.chance(60) => i.name.chars().take(rng.range(1, 12)).collect(),
            _ => text_value(&mut rng, 12),
        };
    }
    filter.sort = *rng.pick(&SortKey::ALL);
    let some = index.apply(&filter);
    assert!(some.ids.len() <= n);
    let unique: BTreeSet<u32> = some.ids.iter().copied().collect();
    assert!(unique.len() == some.ids.len() && unique.iter().all(|&i| (i as usize) < n), "result ids");
    // Typing more narrows the previous matches (the text cache) and gives what a fresh query gives.
    let longer = Filter { text: format!("{}{}", filter.text, rng.pick(&["e", " a", "é", ""])), ..filter.clone() };
    let narrowed = index.apply(&longer);
    index.apply(&Filter { text: "\u{2603}\u{2603}".into(), ..Filter::default() });
    let fresh = index.apply(&longer);
    assert_eq!(narrowed, fresh, "narrowing the previous matches and a fresh search disagree");
}

// ---------------------------------------------------------------------------------------------------------
// Target: url
// ---------------------------------------------------------------------------------------------------------

const NAMESPACES: &[&str] =
    &["e1", "e2", "e10", "e", "x", "a-b", "A_1", "explorateur", "abcdefghijklmnopqrstuvwxyz012345"];
const URL_KEYS: &[&str] =
    &["t", "q", "theme", "stage", "strategy", "role", "sort", "page", "open", "x", "", "Q", "theme ", "t.x"];

fn url_value(rng: &mut Rng, key: &str) -> String {
    let encoded = |rng: &mut Rng, s: &str| if rng.chance(70) { url_state::percent_encode(s) } else { s.to_owned() };
    match (rng.below(10), key) {
        (0..=5, "t") => rng
            .pick(&["r53", "d2A", "d35", "c35238", "c2A:ajaccio", "x", "r", "", "rr", "é53", "d", "c%3A"])
            .to_string(),
        (0..=5, "theme" | "stage" | "strategy" | "role") => {
            let n = if rng.chance(10) { rng.range(60, 200) } else { rng.below(5) };
            let ids: Vec<String> = (0..n).map(|_| id_text(rng)).collect();
            ids.join(if rng.chance(90) { "," } else { "%2C" })
        }
        (0..=5, "sort") => rng.pick(&["name", "stage", "started", "STAGE", "", "x"]).to_string(),
        (0..=5, "page") => rng
            .pick(&[
                "0",
                "1",
                "2",
                "-1",
                "+3",
                " 1",
                "18446744073709551615",
                "18446744073709551616",
                "99999999999999999999999",
                "1e3",
                "0x1",
                "",
            ])
            .to_string(),
        (0..=5, "open") => id_text(rng),
        (0..=5, _) => {
            let s = text_value(rng, 500);
            encoded(rng, &s)
        }
        (6, _) => {
            // Raw bytes, percent-encoded (invalid UTF-8 included).
            (0..rng.range(1, 12)).map(|_| format!("%{:02X}", rng.next() as u8)).collect()
        }
        (7, _) => rng
            .pick(&[
                "%",
                "%2",
                "%zz",
                "%%",
                "%C3%A9",
                "%FF",
                "%ED%A0%80",
                "%00",
                "+",
                "%2B",
                "%25",
                "&",
                "=",
                "#",
                "%E9",
            ])
            .to_string(),
        (8, _) => {
            let n = *rng.pick(&[499, 500, 501, 1_000]);
            let s = text_of(rng, n);
            encoded(rng, &s)
        }
        _ => text_value(rng, 20),
    }
}

fn hash(rng: &mut Rng, ns: &str) -> String {
    let mut parts = Vec::new();
    for _ in 0..rng.below(9) {
        let part = match rng.below(10) {
            0..=5 => {
                let key = *rng.pick(URL_KEYS);
                let value = url_value(rng, key);
                if rng.chance(90) {
                    format!("{ns}.{key}={value}")
                } else {
                    format!("{ns}.{key}")
                }
            }
            6 | 7 => {
                let other = *rng.pick(NAMESPACES);
                let key = *rng.pick(URL_KEYS);
                let value = url_value(rng, key);
                format!("{other}.{key}={value}")
            }
            _ => rng
                .pick(&["section-2", "", "=", "a=b", "#", "%23", "e1", "e1.", ".e1.q=x", "E1.q=x", "e1.e1.q=x", "é"])
                .to_string(),
        };
        parts.push(part);
    }
    let joined = parts.join("&");
    if rng.chance(80) {
        format!("#{joined}")
    } else {
        joined
    }
}

/// A state as the interface can produce it (`page` up to what a link can say).
fn state(rng: &mut Rng) -> UrlState {
    let mut s = UrlState::default();
    let code = |rng: &mut Rng| {
        let n = rng.range(1, 20);
        let mut c = text_of(rng, n);
        if rng.chance(5) {
            c = "x".repeat(499);
        }
        c
    };
    s.filter.territory = match rng.below(5) {
        0 => Some(TerritorySel::Region(code(rng))),
        1 => Some(TerritorySel::Department(code(rng))),
        2 => Some(TerritorySel::Commune(code(rng))),
        3 => {
            let n = rng.range(1, 20);
            let name = format!("n{}", text_of(rng, n));
            let (lon, lat) =
                (rng.range(0, 36_000_000) as i32 - 18_000_000, rng.range(0, 18_000_000) as i32 - 9_000_000);
            Some(TerritorySel::Around(Around { name, lon, lat, km: *rng.pick(&Around::RADII) }))
        }
        _ => None,
    };
    for f in Facet::ALL {
        let list = s.filter.facet_mut(f);
        for _ in 0..if rng.chance(10) { 64 } else { rng.below(4) } {
            let len = rng.range(1, 80);
            let id = id_chars(rng, len);
            if !list.contains(&id) {
                list.push(id);
            }
        }
    }
    if rng.chance(50) {
        let len = rng.len(500).min(500);
        s.filter.text = text_of(rng, len).chars().take(500).collect();
        if s.filter.text.trim().is_empty() {
            s.filter.text.clear();
        }
    }
    s.filter.sort = *rng.pick(&SortKey::ALL);
    // The distance order goes with a radius (a link without one does not carry it).
    if s.filter.sort == SortKey::Distance && !matches!(s.filter.territory, Some(TerritorySel::Around(_))) {
        s.filter.sort = SortKey::Name;
    }
    s.page = match rng.below(4) {
        0 => 0,
        1 => rng.below(1000),
        2 => usize::MAX - 1 - rng.below(3),
        _ => rng.next() as usize % (usize::MAX - 1),
    };
    if rng.chance(40) {
        let id = id_text(rng);
        s.open = Some(id).filter(|id| schema::is_valid_id(id));
    }
    s
}

fn exec_url(rng: &mut Rng) {
    let ns = if rng.chance(90) {
        rng.pick(NAMESPACES).to_string()
    } else {
        // As a page author's `id` becomes a namespace.
        let raw = RawOptions { id: Some(text_value(rng, 34)), ..RawOptions::default() };
        Config::resolve(raw, "e1").0.ns
    };
    match rng.below(10) {
        0..=4 => {
            let h = hash(rng, &ns);
            set_input(format!("decode\nns={ns}\nhash={h}").as_bytes());
            check_decode(&h, &ns);
            let other = rng.pick(NAMESPACES).to_string();
            if other != ns {
                let s2 = state(rng);
                set_input_with_state(
                    format!("other namespace\nns={ns}\nother={other}\nhash={h}").as_bytes(),
                    Some(&s2),
                );
                let w = url_state::write(&h, &other, &s2);
                assert_eq!(url_state::decode(&w, &ns), url_state::decode(&h, &ns), "writing {other} changed {ns}");
            }
        }
        5..=8 => {
            let s = state(rng);
            let other = *rng.pick(NAMESPACES);
            let h = hash(rng, other);
            set_input_with_state(format!("round trip\nns={ns}\nhash={h}").as_bytes(), Some(&s));
            check_round_trip(&h, &ns, &s);
        }
        _ => {
            let u = if rng.chance(70) { url_text(rng) } else { text_value(rng, 30) };
            set_input(format!("safe_http_url\n{u}").as_bytes());
            check_safe_url(&u);
        }
    }
}

/// What `decode` returns is a state links can carry, and writes back to itself.
pub fn check_decode(h: &str, ns: &str) {
    note(Kind::UrlDecoded, 1);
    let s = url_state::decode(h, ns);
    for f in Facet::ALL {
        let list = s.filter.facet(f);
        assert!(list.len() <= 64, "{} values of a facet", list.len());
        let valid = |id: &String| schema::is_valid_id(id) || id == essaimage::filter::UNSPECIFIED;
        assert!(list.iter().all(valid), "invalid id in {list:?}");
        let unique: BTreeSet<&String> = list.iter().collect();
        assert_eq!(unique.len(), list.len(), "duplicate facet values");
    }
    assert!(s.filter.text.chars().count() <= 500, "search text of {} characters", s.filter.text.chars().count());
    if let Some(id) = &s.open {
        assert!(schema::is_valid_id(id), "open {id:?}");
    }
    if let Some(t) = &s.filter.territory {
        let c = match t {
            TerritorySel::Region(c) | TerritorySel::Department(c) | TerritorySel::Commune(c) => c,
            TerritorySel::Around(a) => &a.name,
        };
        assert!(!c.is_empty() && c.chars().count() < 500, "territory code {c:?}");
    }
    assert!(s.page < usize::MAX);
    let mut normal = s.clone();
    if normal.filter.text.trim().is_empty() {
        // A blank search is no search: links leave it out.
        normal.filter.text.clear();
    }
    check_round_trip(h, ns, &normal);
}

/// `decode(write(h, s)) == s`; writing is idempotent; the page's and other instances' parts are kept, in order.
pub fn check_round_trip(h: &str, ns: &str, s: &UrlState) {
    note(Kind::UrlRoundTrip, 1);
    let w = url_state::write(h, ns, s);
    assert!(w.is_empty() || w.starts_with('#'), "written hash {w:?}");
    assert_eq!(&url_state::decode(&w, ns), s, "decode(write(s)) != s, through {w:?}");
    assert_eq!(url_state::write(&w, ns, s), w, "write is not idempotent");
    assert_eq!(url_state::mentions(&w, ns), !url_state::encode(s).is_empty(), "mentions");
    let prefix = format!("{ns}.");
    let foreign: Vec<&str> =
        h.strip_prefix('#').unwrap_or(h).split('&').filter(|p| !p.is_empty() && !p.starts_with(&prefix)).collect();
    let written: Vec<&str> = w.strip_prefix('#').unwrap_or(&w).split('&').filter(|p| !p.is_empty()).collect();
    assert!(written.starts_with(&foreign), "other parts of the hash {foreign:?} not kept in {written:?}");
    assert!(written[foreign.len()..].iter().all(|p| p.starts_with(&prefix)), "stray parts in {w:?}");
}

/// `safe_http_url` lets through only absolute http(s) URLs without control characters, whitespace or
/// backslashes, and is idempotent.
pub fn check_safe_url(u: &str) {
    let Some(safe) = safe_http_url(u) else {
        note(Kind::UrlUnsafe, 1);
        return;
    };
    note(Kind::UrlSafe, 1);
    assert_eq!(safe, u.trim(), "safe_http_url changes more than surrounding whitespace");
    assert!(!safe.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\'), "{safe:?} let through");
    let lower = safe.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).expect("http(s) only");
    assert!(!rest.is_empty() && !rest.starts_with(['/', '?', '#', ':']), "{safe:?} without a host");
    assert_eq!(safe_http_url(&safe).as_deref(), Some(safe.as_str()), "not idempotent");
    assert!(safe.len() <= 2048);
    // Folding (search) and truncation (limits) never panic on it either.
    let folded = text::fold(&safe);
    assert!(folded.chars().count() >= safe.chars().count());
    let mut cut = safe.clone();
    let max = safe.len() / 2;
    text::truncate_chars(&mut cut, max);
    assert!(cut.chars().count() <= max && safe.starts_with(&cut));
}

// ---------------------------------------------------------------------------------------------------------
// Target: territory
// ---------------------------------------------------------------------------------------------------------

const CSV_COLUMNS: [&str; 9] = ["code", "nom", "type", "dep", "lon", "lat", "anciens_codes", "parent", "reg"];

fn csv_sample() -> &'static [&'static str] {
    static SAMPLE: OnceLock<Vec<&'static str>> = OnceLock::new();
    SAMPLE.get_or_init(|| COMMUNES_CSV.lines().skip(1).step_by(37).collect())
}

fn department_features() -> &'static [G] {
    static F: OnceLock<Vec<G>> = OnceLock::new();
    F.get_or_init(|| {
        let doc = json::parse(DEPARTMENTS_GEOJSON).expect("the shipped departments");
        // A few small real features (Paris and its ring, Corsica, overseas), to recombine.
        doc.get("features")
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .filter(|f| f.to_string().len() < 6_000)
            .map(G::from_json)
            .collect()
    })
}

fn exec_territory(rng: &mut Rng) {
    if rng.chance(70) {
        let text = csv_table(rng);
        set_input(text.as_bytes());
        check_csv(&text);
    } else if rng.chance(50) {
        let text = geojson(rng);
        set_input(text.as_bytes());
        check_geojson(&text, rng);
    } else {
        let bytes = outlines_file(rng);
        set_input(&bytes);
        if let Ok(t) = outlines::read(&bytes) {
            note(Kind::OutlinesRead, 1);
            check_territories(&t, rng);
        }
    }
}

/// The widget's outlines file with a few bytes changed, cut, or added; its body resealed most of the time (a right
/// length and Adler-32), so that the reader's own checks are reached.
fn outlines_file(rng: &mut Rng) -> Vec<u8> {
    const HEADER: usize = 24;
    let mut body = outlines::FILE[HEADER..].to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(4) {
            0 => body.truncate(rng.below(body.len() + 1)),
            1 if !body.is_empty() => {
                let at = rng.below(body.len());
                body[at] = rng.next() as u8;
            }
            2 => {
                let at = rng.below(body.len() + 1);
                body.insert(at, rng.next() as u8);
            }
            _ => {
                // A count or a point made large: the reader must not reserve memory for what the bytes cannot hold.
                let at = rng.below(body.len() + 1);
                body.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f]);
            }
        }
    }
    if rng.chance(85) {
        outlines::seal(&body)
    } else {
        [&outlines::FILE[..HEADER], &body[..]].concat()
    }
}

fn csv_table(rng: &mut Rng) -> String {
    let header = COMMUNES_CSV.lines().next().unwrap_or_default();
    let mut cols: Vec<String> = header.split(',').map(str::to_owned).collect();
    if rng.chance(25) {
        match rng.below(4) {
            0 => shuffle(rng, &mut cols),
            1 => {
                cols.remove(rng.below(cols.len()));
            }
            2 => cols.push(rng.pick(&["code", "extra", "", "nom "]).to_string()),
            _ => {
                let at = rng.below(cols.len());
                cols[at] = cols[at].to_uppercase();
            }
        }
    }
    let mut lines = vec![cols.join(",")];
    if rng.chance(5) {
        lines[0] = format!("\u{feff}{}", lines[0]);
    }
    for _ in 0..rng.below(25) {
        let mut f: Vec<String> = rng.pick(csv_sample()).split(',').map(str::to_owned).collect();
        for _ in 0..rng.below(4) {
            let at = rng.below(f.len());
            f[at] = match rng.below(8) {
                0 => rng.pick(&["COM", "ARM", "COMD", "COMA", "", "com"]).to_string(),
                1 => rng.pick(&["35238", "2A004", "97411", "75056", "", "3523", "é"]).to_string(),
                2 => rng
                    .pick(&[
                        "-1.5",
                        "1.",
                        ".5",
                        "-",
                        "--1",
                        "1.1234567891",
                        "99999999999999999999",
                        "1e5",
                        "NaN",
                        "١٢٣",
                        "+1.0",
                        "-0.0",
                        "18446744073709551615.999999999",
                    ])
                    .to_string(),
                3 => rng.pick(&["35001;35002", ";;", ";", "35238", "2A004;2B033"]).to_string(),
                4 => text_value(rng, 20).replace(',', ""),
                _ => String::new(),
            };
        }
        match rng.below(10) {
            0 => {
                f.truncate(rng.below(f.len()));
            }
            1 => f.push("extra".into()),
            _ => {}
        }
        lines.push(f.join(","));
    }
    if rng.chance(10) {
        lines.push(String::new());
    }
    let eol = if rng.chance(15) { "\r\n" } else { "\n" };
    let mut text = lines.join(eol);
    if rng.chance(10) {
        let mut b = text.into_bytes();
        mutate_bytes(rng, &mut b, 1);
        text = String::from_utf8_lossy(&b).into_owned();
    }
    text
}

/// `from_csv` refuses only a table without a header or without a needed column; every current commune of the
/// table can be found by its code; every point read is a number.
pub fn check_csv(text: &str) {
    let result = CommuneIndex::from_csv(text);
    let mut lines = text.lines();
    let Some(header) = lines.next() else {
        assert!(result.is_err(), "an empty table was accepted");
        return;
    };
    let cols: Vec<&str> = header.split(',').collect();
    let col = |name: &str| cols.iter().position(|c| *c == name);
    let needed: Option<Vec<usize>> = CSV_COLUMNS.iter().map(|c| col(c)).collect();
    let Some(needed) = needed else {
        assert!(result.is_err(), "a table without a needed column was accepted");
        note(Kind::CsvRefused, 1);
        return;
    };
    note(Kind::CsvRead, 1);
    let table = result.unwrap_or_else(|e| panic!("a table with every column was refused: {e}"));
    let (c_code, c_nom, c_type) = (needed[0], needed[1], needed[2]);
    let mut first_com: Vec<(&str, &str)> = Vec::new();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < cols.len() {
            continue;
        }
        if f[c_type] == "COM" && !first_com.iter().any(|(c, _)| *c == f[c_code]) {
            first_com.push((f[c_code], f[c_nom]));
        }
    }
    for (code, name) in first_com {
        let found = table.get(code).unwrap_or_else(|| panic!("commune {code} not found"));
        assert_eq!(found.name, name, "the first current commune of code {code}");
    }
    assert!(table.len() <= text.len(), "more codes than characters");
    for line in text.lines().skip(1) {
        for code in line.split([',', ';']) {
            if let Some(c) = table.get(code) {
                if let Some(p) = c.point {
                    assert!(p.lon.is_finite() && p.lat.is_finite(), "point {p:?}");
                }
            }
        }
    }
}

fn geojson(rng: &mut Rng) -> String {
    let real = department_features();
    let features: Vec<G> = (0..rng.below(6))
        .map(|_| {
            let mut f = rng.pick(real).clone();
            if rng.chance(50) {
                if let Some(props) = f.get_mut("properties") {
                    let key = *rng.pick(&["code", "nom", "region"]);
                    if let Some(v) = props.get_mut(key) {
                        *v = match rng.below(4) {
                            0 => G::Str(rng.pick(&["2A", "2B", "1", "", "976", "99", "84", "é"]).to_string()),
                            1 => G::Str(text_value(rng, 8)),
                            _ => wrong_value(rng, 2),
                        };
                    }
                }
            }
            if rng.chance(40) {
                if let Some(geom) = f.get_mut("geometry") {
                    let ring = |rng: &mut Rng| {
                        G::Arr(
                            (0..rng.len(6))
                                .map(|_| {
                                    G::Arr(
                                        (0..*rng.pick(&[0, 1, 2, 2, 2, 3]))
                                            .map(|_| {
                                                if rng.chance(90) {
                                                    G::Num(num_text(rng))
                                                } else {
                                                    wrong_value(rng, 3)
                                                }
                                            })
                                            .collect(),
                                    )
                                })
                                .collect(),
                        )
                    };
                    let polygon = |rng: &mut Rng| G::Arr((0..rng.below(3)).map(|_| ring(rng)).collect());
                    let (kind, coords) = match rng.below(4) {
                        0 => ("Polygon", polygon(rng)),
                        1 => ("MultiPolygon", G::Arr((0..rng.below(3)).map(|_| polygon(rng)).collect())),
                        2 => ("Point", G::Arr(vec![G::Num("1".into()), G::Num("2".into())])),
                        _ => ("Polygon", wrong_value(rng, 2)),
                    };
                    *geom = G::Obj(vec![("type".into(), G::Str(kind.into())), ("coordinates".into(), coords)]);
                }
            }
            f
        })
        .collect();
    let doc = G::Obj(vec![("type".into(), G::Str("FeatureCollection".into())), ("features".into(), G::Arr(features))]);
    let mut text = doc.to_string_compact();
    if rng.chance(10) {
        let mut b = text.into_bytes();
        mutate_bytes(rng, &mut b, 1);
        text = String::from_utf8_lossy(&b).into_owned();
    }
    text
}

/// `from_geojson`: regions and departments point at each other consistently; `locate` answers with an index.
fn check_geojson(text: &str, rng: &mut Rng) {
    let Ok(t) = Territories::from_geojson(text) else { return };
    note(Kind::GeojsonRead, 1);
    check_territories(&t, rng);
}

/// Territories read from a file: regions and departments point at each other consistently; `locate` answers with
/// an index; the base map has a shape per department.
fn check_territories(t: &Territories, rng: &mut Rng) {
    for (i, d) in t.departments.iter().enumerate() {
        assert!(d.region < t.regions.len(), "department {} in region {}", d.code, d.region);
        assert!(t.regions[d.region].departments.contains(&i), "region of {} does not list it", d.code);
        assert_eq!(t.department_index(&d.code).map(|j| t.departments[j].code == d.code), Some(true));
    }
    for r in &t.regions {
        assert!(!r.departments.is_empty(), "region {} without departments", r.code);
    }
    for _ in 0..4 {
        let p = essaimage::model::LonLat {
            lon: (rng.next() % 40_000) as f64 / 1000.0 - 10.0,
            lat: (rng.next() % 80_000) as f64 / 1000.0 - 20.0,
        };
        if let Some(i) = t.locate(p) {
            assert!(i < t.departments.len());
        }
    }
    assert_eq!(essaimage::geo::Basemap::new(t).departments.len(), t.departments.len());
}

// ---------------------------------------------------------------------------------------------------------
// Target: pack
// ---------------------------------------------------------------------------------------------------------

/// Where the header's fields are (`src/pack.rs`): magic, version u16, body length u64, Adler-32 u32, head length u32.
const PACK_VERSION_AT: usize = 14;
const PACK_BODY_AT: usize = 16;
const PACK_SUM_AT: usize = 24;
const PACK_HEAD_AT: usize = 28;
const PACK_HEADER: usize = 32;

/// Counts the bytes each thread has live and the most it had, for the `pack` target's memory bound. Installed as
/// the global allocator by `examples/fuzz.rs` and `tests/regressions.rs`; without it the bound is not checked.
pub struct CountingAlloc;

thread_local! {
    /// Bytes allocated and not freed by this thread, and the peak since [`peak_from_here`].
    static LIVE: std::cell::Cell<(isize, isize)> = const { std::cell::Cell::new((0, 0)) };
}

fn count_alloc(delta: isize) {
    let _ = LIVE.try_with(|l| {
        let (live, peak) = l.get();
        let live = live + delta;
        l.set((live, peak.max(live)));
    });
}

// SAFETY: every call is passed to the system allocator unchanged; only a thread-local counter is added (a `const`
// `Cell` without destructor, usable at any point of a thread's life).
unsafe impl std::alloc::GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc(layout);
        if !p.is_null() {
            count_alloc(layout.size() as isize);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        let p = std::alloc::System.alloc_zeroed(layout);
        if !p.is_null() {
            count_alloc(layout.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        std::alloc::System.dealloc(ptr, layout);
        count_alloc(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        let p = std::alloc::System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            count_alloc(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Starts measuring this thread's peak allocation; returns the bytes live now.
pub fn peak_from_here() -> isize {
    LIVE.with(|l| {
        let (live, _) = l.get();
        l.set((live, live));
        live
    })
}

/// The most bytes live on this thread since [`peak_from_here`] returned `base`, above `base`.
pub fn peak_since(base: isize) -> usize {
    LIVE.with(|l| (l.get().1 - base).max(0) as usize)
}

/// Whether [`CountingAlloc`] is this program's allocator.
pub fn allocations_counted() -> bool {
    let base = peak_from_here();
    let probe = std::hint::black_box(vec![0u8; 4_096]);
    let counted = peak_since(base) >= 4_096;
    drop(probe);
    counted
}

/// The most a read may allocate for a pack of `len` bytes: what the records it can hold decode to (an `Innovation`
/// is a few hundred bytes, a record at least 15 bytes of pack; texts are copied once), with room for the vectors'
/// doubling and the built-in vocabularies. A count taken from the file and trusted would reserve far more.
pub fn pack_memory_bound(len: usize) -> usize {
    64 * len + (4 << 20)
}

fn varint(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in bytes.chunks(5_552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= 65_521;
        b %= 65_521;
    }
    b << 16 | a
}

/// Makes the header agree with the body again (its length and checksum), so that a mutation inside the body is
/// read through rather than refused by the checksum: the reader's structural checks are what is then tested.
fn fix_header(bytes: &mut [u8]) {
    if bytes.len() < PACK_HEADER {
        return;
    }
    let body = (bytes.len() - PACK_HEADER) as u64;
    bytes[PACK_BODY_AT..PACK_BODY_AT + 8].copy_from_slice(&body.to_le_bytes());
    let sum = adler32(&bytes[PACK_HEADER..]);
    bytes[PACK_SUM_AT..PACK_SUM_AT + 4].copy_from_slice(&sum.to_le_bytes());
}

/// A dataset text of `n` records with places by commune code, by point and by name, and problems to report.
fn pack_dataset_text(n: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let stages = ["amorcage", "experimentation", "consolidation", "essaimage", "generalisation", "inconnu"];
    let places = [
        r#"{"commune_insee": "35238"}"#,
        r#"{"commune": "Brest", "department": "29"}"#,
        r#"{"lon": 4.83, "lat": 45.76, "started": 2021}"#,
        r#"{"region": "53"}"#,
        r#"{"commune_insee": "97411"}"#,
        r#"{"commune": "Nulle-Part"}"#,
    ];
    let records: Vec<String> = (0..n)
        .map(|i| match i % 53 {
            7 => format!(r#"{{"id": "bad id {i}", "name": "X"}}"#),
            8 => format!(r#"{{"id": "r{}", "name": "Doublon"}}"#, i - 1),
            _ => format!(
                r#"{{"id": "r{i}", "name": "Projet n°{i} « {} »", "stage": "{}", "themes": ["alimentation", "t{}"],
                "started": {}, "sites": {}, "url": "https://example.fr/{i}", "sources": ["https://s.example/{i}"],
                "origin": {}, "replicas": [{}]}}"#,
                text_of(&mut rng, 12),
                rng.pick(&stages),
                i % 5,
                1950 + i % 90,
                i % 7,
                rng.pick(&places),
                rng.pick(&places),
            ),
        })
        .collect();
    format!(
        r#"{{"schema": "essaimage/1", "title": "Généré", "lang": "fr", "vocabularies": {{"themes": [{{"id": "t1", "label": "Un"}}]}}, "innovations": [{}]}}"#,
        records.join(",")
    )
}

/// A dataset and report as the pipeline gives them (places resolved), from a JSON text.
pub fn loaded_for_pack(text: &str) -> Option<(Dataset, DataReport)> {
    let opts = ValidateOptions { url: "fuzz.json".into(), current_year: YEAR, max_bytes: schema::DEFAULT_MAX_BYTES };
    let (dataset, report) = schema::validate(text.as_bytes(), &opts).ok()?;
    let loaded = build_loaded(dataset, report, territories().clone(), Ok(communes()));
    Some((loaded.index.dataset, loaded.report))
}

/// The datasets packs are made from: the shipped demo, the fixtures, and generated ones of one to three blocks.
fn pack_seeds() -> &'static [(Dataset, DataReport, Vec<u8>)] {
    static SEEDS: OnceLock<Vec<(Dataset, DataReport, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut texts: Vec<String> = seed_documents().iter().map(|s| (*s).to_owned()).collect();
        texts.push(pack_dataset_text(40, 1));
        texts.push(pack_dataset_text(pack::BLOCK + 3, 2));
        texts.push(pack_dataset_text(2 * pack::BLOCK + 500, 3));
        texts
            .iter()
            .filter_map(|t| loaded_for_pack(t))
            .flat_map(|(d, r)| {
                // Without and with the index section (`essaimage pack` writes it).
                let index = Index::build(d.clone(), territories().clone());
                let indexed = pack::write_indexed(&index, &r);
                let bytes = pack::write(&d, &r);
                [(d.clone(), r.clone(), bytes), (d, r, indexed)]
            })
            .collect()
    })
}

/// A pack whose head says `records` records (and as many kept), with the blocks of `bytes`' dataset: a count no
/// block holds, which a reader must not trust to reserve memory.
pub fn pack_claiming(dataset: &Dataset, report: &DataReport, records: u64) -> Vec<u8> {
    let empty = Dataset { innovations: Vec::new(), ..dataset.clone() };
    let records_in_file = report.records_in_file.max(records as usize);
    let lie = DataReport { records_kept: records as usize, records_in_file, ..report.clone() };
    let mut body = pack::write(&empty, &lie).split_off(PACK_HEADER);
    // The head of a dataset without records ends with its record count, 0, then no index (0).
    assert_eq!(body.pop(), Some(0), "the head ends with no index");
    assert_eq!(body.pop(), Some(0), "then the record count");
    varint(records, &mut body);
    body.push(0);
    let head = body.len();
    let full = pack::write(dataset, report);
    let full_head = u32::from_le_bytes(full[PACK_HEAD_AT..PACK_HEADER].try_into().expect("4 bytes")) as usize;
    body.extend_from_slice(&full[PACK_HEADER + full_head..]);
    let mut out = full[..PACK_HEADER].to_vec();
    out[PACK_HEAD_AT..PACK_HEADER].copy_from_slice(&(head as u32).to_le_bytes());
    out.extend_from_slice(&body);
    fix_header(&mut out);
    out
}

/// Where the blocks start (each with its u32 length), as far as the lengths can be followed.
fn block_starts(bytes: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let Some(head) = bytes.get(PACK_HEAD_AT..PACK_HEADER) else { return out };
    let mut at = PACK_HEADER.saturating_add(u32::from_le_bytes(head.try_into().expect("4 bytes")) as usize);
    while let Some(len) = bytes.get(at..at.saturating_add(4)) {
        out.push(at);
        at = at.saturating_add(4).saturating_add(u32::from_le_bytes(len.try_into().expect("4 bytes")) as usize);
    }
    out
}

const HUGE: [u64; 7] = [u64::MAX, 1 << 63, u32::MAX as u64, 1 << 32, 1 << 20, 65_536, 2_001];

fn mutate_pack(rng: &mut Rng, bytes: &mut Vec<u8>, rounds: usize) {
    const INTERESTING: &[u8] = &[0x00, 0x01, 0x02, 0x1f, 0x20, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc3, 0xfe, 0xff];
    for _ in 0..rounds {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(13) {
            0 if at < len => bytes[at] ^= 1 << rng.below(8),
            1 if at < len => bytes[at] = *rng.pick(INTERESTING),
            // A byte that ends a varint made to go on with a 0 byte: the same value in a longer form.
            12 if at < len && bytes[at] < 0x80 => {
                bytes[at] |= 0x80;
                bytes.insert(at + 1, 0);
            }
            2 => bytes.truncate(at),
            3 => {
                let n = rng.range(1, 16);
                let new: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                bytes.splice(at..at, new);
            }
            4 if at < len => {
                let end = (at + rng.range(1, 40)).min(len);
                bytes.drain(at..end);
            }
            5 if at < len => {
                let end = (at + rng.range(1, 200)).min(len);
                let piece = bytes[at..end].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, piece);
            }
            6 => {
                // A varint set huge (a text length, a count, an index, a year), written over or inserted.
                let mut v = Vec::new();
                varint(*rng.pick(&HUGE), &mut v);
                if rng.chance(50) {
                    bytes.splice(at..(at + v.len()).min(len), v);
                } else {
                    bytes.splice(at..at, v);
                }
            }
            7 if len >= PACK_HEADER => {
                // A header field set huge, or to a neighbour of the truth.
                let huge = *rng.pick(&HUGE);
                match rng.below(4) {
                    0 => {
                        let body = if rng.chance(50) { huge } else { (len - PACK_HEADER) as u64 + rng.below(3) as u64 };
                        bytes[PACK_BODY_AT..PACK_BODY_AT + 8].copy_from_slice(&body.wrapping_sub(1).to_le_bytes());
                    }
                    1 => {
                        let head = if rng.chance(50) { huge as u32 } else { rng.below(len) as u32 };
                        bytes[PACK_HEAD_AT..PACK_HEADER].copy_from_slice(&head.to_le_bytes());
                    }
                    2 => {
                        let v = *rng.pick(&[0u16, 1, 2, u16::MAX, 256]);
                        bytes[PACK_VERSION_AT..PACK_VERSION_AT + 2].copy_from_slice(&v.to_le_bytes());
                    }
                    _ => bytes[PACK_SUM_AT + rng.below(4)] ^= 1 << rng.below(8),
                }
            }
            8 => {
                // A block's length set huge, off by one, or zero.
                let starts = block_starts(bytes);
                if !starts.is_empty() {
                    let b = *rng.pick(&starts);
                    let old = u32::from_le_bytes(bytes[b..b + 4].try_into().expect("4 bytes"));
                    let v = match rng.below(4) {
                        0 => *rng.pick(&HUGE) as u32,
                        1 => old.wrapping_add(1),
                        2 => old.wrapping_sub(1),
                        _ => 0,
                    };
                    bytes[b..b + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
            9 => {
                // A piece of another pack.
                let (_, _, donor) = rng.pick(pack_seeds());
                let from = rng.below(donor.len());
                let end = (from + rng.range(1, 300)).min(donor.len());
                bytes.splice(at..at, donor[from..end].iter().copied());
            }
            _ if at < len => {
                // Bytes swapped between two places (records or values in another order).
                let other = rng.below(len);
                bytes.swap(at, other);
            }
            _ => {}
        }
    }
}

fn exec_pack(rng: &mut Rng) {
    let mut bytes = match rng.below(10) {
        // A generated dataset (records of the pool and generated ones, hostile texts included), packed.
        0..=2 => {
            let doc = document(rng);
            let text = write_doc(&doc, &Style::random(rng), rng);
            let opts =
                ValidateOptions { url: "f.json".into(), current_year: YEAR, max_bytes: schema::DEFAULT_MAX_BYTES };
            match schema::validate(text.as_bytes(), &opts) {
                Ok((dataset, report)) => {
                    let (dataset, report) = if rng.chance(30) {
                        let loaded = build_loaded(dataset, report, territories().clone(), Ok(communes()));
                        (loaded.index.dataset, loaded.report)
                    } else {
                        (dataset, report)
                    };
                    let bytes = pack::write(&dataset, &report);
                    set_input(&bytes);
                    let back = pack::read(&bytes).expect("a pack just written reads");
                    assert!(back == (dataset, report), "a pack just written reads back as written");
                    bytes
                }
                Err(_) => rng.pick(pack_seeds()).2.clone(),
            }
        }
        // A count no block holds.
        3 => {
            let (dataset, report, _) = rng.pick(pack_seeds());
            pack_claiming(dataset, report, *rng.pick(&HUGE))
        }
        _ => rng.pick(pack_seeds()).2.clone(),
    };
    if rng.chance(92) {
        let rounds = rng.range(1, 4);
        mutate_pack(rng, &mut bytes, rounds);
        if rng.chance(50) {
            fix_header(&mut bytes);
        }
    }
    set_input(&bytes);
    check_pack(&bytes, rng);
}

/// What must hold for any bytes read as a pack.
pub fn check_pack(bytes: &[u8], rng: &mut Rng) {
    let base = peak_from_here();
    let started = Instant::now();
    let result = pack::read(bytes);
    let took = started.elapsed();
    let peak = peak_since(base);
    let bound = pack_memory_bound(bytes.len());
    assert!(peak <= bound, "reading {} bytes allocated {peak} bytes at the peak (bound {bound})", bytes.len());
    // Reading is linear in the bytes given (a few milliseconds per megabyte): a second is a loop or a search.
    assert!(took < Duration::from_secs(1), "reading {} bytes took {took:?}", bytes.len());
    match &result {
        Ok((dataset, report)) => {
            note(Kind::PackRead, 1);
            // (A pack with an index section is written again from an index: the one its records give may not be
            // the one a mutated section holds.)
            let has_index = pack::Unpacking::start(&bytes).is_ok_and(|(_, head)| head.has_index);
            assert!(has_index || pack::write(dataset, report) == bytes, "read, then written again: other bytes");
        }
        Err(PackError::Version { found }) => {
            note(Kind::PackVersion, 1);
            assert_ne!(*found, pack::VERSION);
            assert_eq!(bytes.get(PACK_VERSION_AT..PACK_VERSION_AT + 2), Some(&found.to_le_bytes()[..]));
        }
        Err(PackError::Truncated { expected, got }) => {
            note(Kind::PackTruncated, 1);
            assert_eq!(*got, bytes.len() as u64, "truncated: got is the length");
            assert!(expected > got, "truncated, expecting {expected} of {got}");
        }
        Err(PackError::Damaged) => note(Kind::PackDamaged, 1),
    }
    if let Err(e) = &result {
        for locale in [Locale::Fr, Locale::En] {
            let (title, detail) = e.message("https://example.fr/d.pack", locale);
            assert!(!title.is_empty() && detail.contains("https://example.fr/d.pack"), "{title}: {detail}");
        }
    }
    // The same bytes arriving in pieces, read a block per step, as the pipeline does.
    if rng.chance(25) {
        let mut file: Received<Vec<u8>> = Received::default();
        let mut at = 0;
        while at < bytes.len() {
            let most = if rng.chance(50) { 16 } else { 70_000 };
            let end = (at + 1 + rng.below(most)).min(bytes.len());
            file.push(bytes[at..end].to_vec());
            at = end;
        }
        let stepped = pack::Unpacking::start(&file).and_then(|(mut u, head)| {
            let mut dataset = head.dataset;
            while let Some(block) = u.step(&file)? {
                dataset.innovations.extend(block);
            }
            Ok((dataset, head.report))
        });
        assert!(stepped == result, "by pieces and by steps: {:?}, whole: {:?}", stepped.err(), result.err());
        // And the loading pipeline, which reads and indexes the blocks as the pieces arrive: the same records, or the
        // same error (a pack damaged after its first blocks is read again whole). Without the magic bytes, the file
        // is not a pack: the pipeline reads it as JSON.
        if !pack::is_pack(bytes) {
            return;
        }
        // The index holds a bitset of the records per vocabulary value, as for a JSON dataset: a mutated head that
        // claims tens of thousands of values and of records asks for gigabytes, in either format. Such heads are
        // left to `pack::read` above.
        let cells = pack::Unpacking::start(&bytes).map_or(0, |(_, head)| {
            let values: usize = VocabKind::ALL.iter().map(|&k| head.dataset.vocabularies.get(k).len()).sum();
            head.records.saturating_mul(values + 200)
        });
        if cells > 20_000_000 {
            return;
        }
        let options = ValidateOptions { url: "d.pack".into(), current_year: YEAR, max_bytes: u64::MAX };
        let departments = outlines::FILE.into();
        let setup = Setup { options, departments, departments_url: "data/france-departments.bin".into() };
        let loaded = load_pieces(setup, file.pieces().to_vec(), || Err("no commune table".into()));
        match (&loaded, &result) {
            (Ok(l), Ok((dataset, report))) => {
                assert!(l.index.dataset == *dataset && l.report == *report, "the pipeline and pack::read differ");
            }
            (Err(LoadError::Pack { error, .. }), Err(e)) => assert_eq!(error, e, "the pipeline's error"),
            _ => panic!("the pipeline gives {:?}, pack::read {:?}", loaded.as_ref().err(), result.as_ref().err()),
        }
    }
}
