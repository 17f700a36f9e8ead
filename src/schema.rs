//! The dataset's wire format (schema `essaimage/1`, see `static/schema/essaimage-1.schema.json`) and its
//! validation into a [`Dataset`] plus a [`DataReport`].
//!
//! Only this module knows JSON shapes. Validation keeps every valid thing and explains every problem: the
//! document is read record by record (each record from its own raw JSON slice), so a bad record or value never
//! hides the others. Fatal errors are only those of `DATASET.md` (not JSON, wrong shape, unsupported version,
//! too large).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::model::{Dataset, Innovation, Label, LonLat, Meta, Place, SourceRef, ValueIdx, VocabKind, Vocabularies};
use crate::report::{DataReport, LoadError, Problem, ProblemKind};
use crate::text::{safe_http_url, truncate_chars};

/// The schema major version this widget reads.
pub const SCHEMA: &str = "essaimage/1";
pub const NAME_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2_000;
pub const TITLE_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const YEAR_MIN: i64 = 1800;
/// Default size limit of a dataset, in bytes (`DATASET.md`).
pub const DEFAULT_MAX_BYTES: u64 = 50_000_000;

/// What validation needs to know besides the bytes.
#[derive(Clone, Debug)]
pub struct ValidateOptions {
    /// Where the bytes came from, for messages.
    pub url: String,
    /// The current year: `started` may be at most next year.
    pub current_year: i64,
    pub max_bytes: u64,
}

/// A JSON object read with every key kept, so duplicate keys can be reported (serde_json's maps keep the last).
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

impl<'a> Entries<'a> {
    /// The last value of each key (JSON's usual reading), and the keys that appeared more than once.
    /// Objects here have a handful of keys: a vector beats a hash map, in speed and in wasm size.
    fn into_map(self) -> (Fields<'a>, Vec<String>) {
        let mut map: Vec<(String, &'a RawValue)> = Vec::with_capacity(self.0.len());
        let mut dups = Vec::new();
        for (k, v) in self.0 {
            match map.iter_mut().find(|(key, _)| *key == k) {
                Some(slot) => {
                    slot.1 = v;
                    if !dups.contains(&k) {
                        dups.push(k);
                    }
                }
                None => map.push((k, v)),
            }
        }
        (Fields(map), dups)
    }
}

/// An object's fields, each key once.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'a> Fields<'a> {
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

/// Validates a dataset. `Err` only for the fatal cases of `DATASET.md`; everything else is in the report.
pub fn validate(bytes: &[u8], opts: &ValidateOptions) -> Result<(Dataset, DataReport), LoadError> {
    let url = opts.url.clone();
    if bytes.len() as u64 > opts.max_bytes {
        return Err(LoadError::TooLarge { url, bytes: bytes.len() as u64, limit: opts.max_bytes });
    }
    // The BOM is dropped before anything else, so that positions in messages are those an editor shows (it
    // does not display the BOM).
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = decode_utf8(bytes, &url)?;
    let top: Entries = serde_json::from_str(text).map_err(|e| json_error(e, text, &url, "top"))?;
    let (top, top_dups) = top.into_map();
    let mut report = DataReport::default();
    for k in top_dups {
        report.problems.push(doc_problem(&k, ProblemKind::DuplicateKey(k.clone())));
    }

    // `"schema": null` counts as no schema, as `null` means "absent" for every other field (fix: it was read as
    // the unsupported version "null", a fatal error for a merely recommended field).
    if let Some(raw) = top.get("schema").filter(|raw| raw.get() != "null") {
        let found = match serde_json::from_str::<Value>(raw.get()) {
            Ok(Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(_) => String::new(),
        };
        let major_ok = found == SCHEMA || found.strip_prefix(SCHEMA).is_some_and(|rest| rest.starts_with('.'));
        if !major_ok {
            return Err(LoadError::UnsupportedSchema { url, found });
        }
    }
    let records: Vec<&RawValue> = match top.get("innovations") {
        None => {
            return Err(LoadError::WrongShape { url, detail: "no \"innovations\" array".into() });
        }
        Some(raw) => serde_json::from_str(raw.get()).map_err(|_| LoadError::WrongShape {
            url: url.clone(),
            detail: "\"innovations\" is not an array".into(),
        })?,
    };

    let mut vocabularies = Vocabularies::builtin();
    if let Some(raw) = top.get("vocabularies") {
        read_vocabularies(raw, &mut vocabularies, &mut report.problems);
    }
    let meta = read_meta(&top, &mut report.problems);
    for key in top.keys() {
        if !DOC_FIELDS.contains(&key.as_str()) {
            report.problems.push(doc_problem(key, ProblemKind::UnknownField(key.clone())));
        }
    }

    let mut ctx = RecordCtx { vocabularies: &vocabularies, opts, unknown_seen: Vec::new() };
    let mut seen_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut innovations = Vec::with_capacity(records.len());
    report.records_in_file = records.len();
    for (index, raw) in records.iter().enumerate() {
        let mut problems = Vec::new();
        let rec = ctx.read_record(raw, index, &mut problems);
        let id = rec.as_ref().map(|r| r.id.clone()).or_else(|| raw_id(raw));
        let mut keep = rec;
        if let Some(r) = &keep {
            if let Some(&first) = seen_ids.get(&r.id) {
                problems.push((String::from("id"), ProblemKind::DuplicateId { first_index: first }));
                keep = None;
            }
        }
        for (field, kind) in problems {
            report.problems.push(Problem { index: Some(index), id: id.clone(), field, kind });
        }
        if let Some(r) = keep {
            seen_ids.insert(r.id.clone(), index);
            innovations.push(r);
        }
    }
    report.records_kept = innovations.len();
    Ok((Dataset { meta, vocabularies, innovations }, report))
}

const DOC_FIELDS: [&str; 9] =
    ["schema", "title", "description", "updated", "license", "source", "vocabularies", "innovations", "$schema"];
const RECORD_FIELDS: [&str; 14] = [
    "id",
    "name",
    "summary",
    "carrier_kind",
    "origin",
    "replicas",
    "themes",
    "stage",
    "scaling_strategies",
    "public_support",
    "started",
    "sites",
    "url",
    "sources",
];
const PLACE_FIELDS: [&str; 6] = ["commune", "commune_insee", "department", "region", "lon", "lat"];

fn doc_problem(field: &str, kind: ProblemKind) -> Problem {
    Problem { index: None, id: None, field: field.to_owned(), kind }
}

/// Checks UTF-8 and reports the first invalid byte's line and column.
fn decode_utf8<'a>(bytes: &'a [u8], url: &str) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = chars_in(&valid[line_start..]) + 1;
        LoadError::NotJson {
            url: url.to_owned(),
            line,
            column,
            detail: "invalid UTF-8 / UTF-8 invalide".into(),
            looks_like_html: false,
        }
    })
}

fn json_error(e: serde_json::Error, text: &str, url: &str, _at: &str) -> LoadError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => {
            LoadError::WrongShape { url: url.to_owned(), detail: "the top level is not an object".into() }
        }
        _ => {
            let head = text.trim_start().get(..64).unwrap_or(text.trim_start()).to_ascii_lowercase();
            let looks_like_html = head.starts_with('<');
            let detail = e.to_string();
            // serde_json appends " at line L column C": keep the cause only.
            let detail = detail.split(" at line ").next().unwrap_or(&detail).to_owned();
            let column = char_column(text, e.line(), e.column());
            LoadError::NotJson { url: url.to_owned(), line: e.line(), column, detail, looks_like_html }
        }
    }
}

/// Characters in a slice of UTF-8 bytes (counting the bytes that do not continue a character), so that it may
/// end inside a character.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// serde_json counts columns in bytes; an editor counts characters, and a French file is full of 2-byte
/// accented letters (fix: the column was off by one per accent before the error). Converts a 1-based byte
/// `column` on the 1-based `line` of `text` to a 1-based character column (0 stays 0: before the first byte).
fn char_column(text: &str, line: usize, column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else { return column };
    match column {
        0 => 0,
        c => chars_in(&line_text.as_bytes()[..(c - 1).min(line_text.len())]) + 1,
    }
}

/// Best effort to name a rejected record in the report.
fn raw_id(raw: &RawValue) -> Option<String> {
    let (fields, _) = serde_json::from_str::<Entries>(raw.get()).ok()?.into_map();
    match parse_value(fields.get("id")?) {
        Value::String(s) => Some(s),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn parse_value(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

fn read_meta(top: &Fields, problems: &mut Vec<Problem>) -> Meta {
    let text = |key: &str, max: usize, problems: &mut Vec<Problem>| -> Option<String> {
        match top.get(key).map(parse_value) {
            None | Some(Value::Null) => None,
            Some(Value::String(mut s)) => {
                let len = s.chars().count();
                if truncate_chars(&mut s, max) {
                    problems.push(doc_problem(key, ProblemKind::TextTooLong { max, len }));
                }
                Some(s).filter(|s| !s.trim().is_empty())
            }
            Some(_) => {
                problems.push(doc_problem(key, ProblemKind::WrongType { expected: "string" }));
                None
            }
        }
    };
    let title = text("title", TITLE_MAX, problems);
    let description = text("description", DESCRIPTION_MAX, problems);
    let license = text("license", TITLE_MAX, problems);
    let updated = text("updated", 64, problems).and_then(|d| {
        if is_iso_date(&d) {
            Some(d)
        } else {
            problems.push(doc_problem("updated", ProblemKind::InvalidDate(d)));
            None
        }
    });
    let source = match top.get("source").map(parse_value) {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(SourceRef { name, url: None }),
        Some(Value::Object(o)) => {
            let name = o.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
            let url = match o.get("url") {
                Some(Value::String(u)) => match safe_http_url(u) {
                    Some(u) => Some(u),
                    None => {
                        problems.push(doc_problem("source.url", ProblemKind::UnsafeUrl(u.clone())));
                        None
                    }
                },
                _ => None,
            };
            Some(SourceRef { name, url }).filter(|s| !s.name.is_empty() || s.url.is_some())
        }
        Some(_) => {
            problems.push(doc_problem("source", ProblemKind::WrongType { expected: "object" }));
            None
        }
    };
    Meta { title, description, updated, license, source }
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(1..=12), Some(1..=31)))
}

fn read_vocabularies(raw: &RawValue, vocabs: &mut Vocabularies, problems: &mut Vec<Problem>) {
    let Value::Object(obj) = parse_value(raw) else {
        problems.push(doc_problem("vocabularies", ProblemKind::WrongType { expected: "object" }));
        return;
    };
    for (key, entries) in obj {
        let field = format!("vocabularies.{key}");
        let Some(kind) = VocabKind::from_key(&key) else {
            problems.push(doc_problem(&field, ProblemKind::UnknownField(key.clone())));
            continue;
        };
        let Value::Array(entries) = entries else {
            problems.push(doc_problem(&field, ProblemKind::WrongType { expected: "array" }));
            continue;
        };
        for (i, e) in entries.into_iter().enumerate() {
            let id = e.get("id").and_then(Value::as_str).filter(|id| is_valid_id(id)).map(str::to_owned);
            let label = match e.get("label") {
                Some(Value::String(s)) => Some(Label::new(s, s)),
                Some(Value::Object(l)) => Some(Label::new(
                    l.get("fr").and_then(Value::as_str).unwrap_or(""),
                    l.get("en").and_then(Value::as_str).unwrap_or(""),
                )),
                _ => None,
            };
            match (id, label) {
                (Some(id), Some(label)) if !(label.fr.is_empty() && label.en.is_empty()) => {
                    vocabs.get_mut(kind).upsert(&id, label)
                }
                _ => problems.push(doc_problem(&format!("{field}[{i}]"), ProblemKind::InvalidVocabularyEntry)),
            }
        }
    }
}

/// `[a-z0-9][a-z0-9-]{0,79}`.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 80
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

struct RecordCtx<'a> {
    vocabularies: &'a Vocabularies,
    opts: &'a ValidateOptions,
    /// Unknown field names already reported: each is reported once for the whole dataset.
    unknown_seen: Vec<String>,
}

type Problems = Vec<(String, ProblemKind)>;

impl RecordCtx<'_> {
    fn read_record(&mut self, raw: &RawValue, file_index: usize, problems: &mut Problems) -> Option<Innovation> {
        let Ok(entries) = serde_json::from_str::<Entries>(raw.get()) else {
            problems.push((String::new(), ProblemKind::RecordNotObject));
            return None;
        };
        let (map, dups) = entries.into_map();
        for k in dups {
            problems.push((k.clone(), ProblemKind::DuplicateKey(k)));
        }
        let mut fields: Vec<(String, Value)> = Vec::with_capacity(map.0.len());
        for (k, v) in map.0 {
            if RECORD_FIELDS.contains(&k.as_str()) {
                fields.push((k, parse_value(v)));
            } else if self.first_sighting(&k) {
                problems.push((k.clone(), ProblemKind::UnknownField(k)));
            }
        }
        let mut take = |k: &str| {
            let i = fields.iter().position(|(key, _)| key == k)?;
            Some(fields.swap_remove(i).1).filter(|v| !v.is_null())
        };

        let id = match take("id") {
            None => {
                problems.push(("id".into(), ProblemKind::MissingId));
                None
            }
            Some(Value::String(s)) if is_valid_id(&s) => Some(s),
            Some(Value::String(s)) => {
                problems.push(("id".into(), ProblemKind::InvalidId(s)));
                None
            }
            Some(other) => {
                problems.push(("id".into(), ProblemKind::InvalidId(other.to_string())));
                None
            }
        };
        let name = match take("name") {
            None => {
                problems.push(("name".into(), ProblemKind::MissingName));
                None
            }
            Some(Value::String(s)) if !s.trim().is_empty() => Some(self.limited(s, "name", NAME_MAX, problems)),
            Some(_) => {
                problems.push(("name".into(), ProblemKind::InvalidName));
                None
            }
        };
        let (Some(id), Some(name)) = (id, name) else { return None };

        let summary = self
            .string(take("summary"), "summary", problems)
            .map(|s| self.limited(s, "summary", SUMMARY_MAX, problems));
        let carrier_kind = self.vocab_one(take("carrier_kind"), VocabKind::CarrierKinds, "carrier_kind", problems);
        let stage = self.vocab_one(take("stage"), VocabKind::Stages, "stage", problems);
        let themes = self.vocab_many(take("themes"), VocabKind::Themes, "themes", problems);
        let scaling_strategies =
            self.vocab_many(take("scaling_strategies"), VocabKind::ScalingStrategies, "scaling_strategies", problems);
        let public_support =
            self.vocab_many(take("public_support"), VocabKind::PublicSupport, "public_support", problems);
        let started = self.year(take("started"), "started", problems);
        let sites = match take("sites") {
            None => None,
            Some(Value::Number(n)) => match (n.as_u64(), n.as_i64()) {
                (Some(v), _) => Some(v),
                (None, Some(v)) => {
                    problems.push(("sites".into(), ProblemKind::NegativeSites(v)));
                    None
                }
                _ => {
                    problems.push(("sites".into(), ProblemKind::WrongType { expected: "integer" }));
                    None
                }
            },
            Some(_) => {
                problems.push(("sites".into(), ProblemKind::WrongType { expected: "integer" }));
                None
            }
        };
        let url = self.string(take("url"), "url", problems).and_then(|u| self.url(u, "url", problems));
        let sources = match take("sources") {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out: Vec<String> = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let field = format!("sources[{i}]");
                    if let Some(u) =
                        self.string(Some(item), &field, problems).and_then(|u| self.url(u, &field, problems))
                    {
                        if !out.contains(&u) {
                            out.push(u);
                        }
                    }
                }
                out
            }
            Some(_) => {
                problems.push(("sources".into(), ProblemKind::WrongType { expected: "array of strings" }));
                Vec::new()
            }
        };
        let origin = match take("origin") {
            None => Place::default(),
            Some(v) => self.place(v, "origin", false, problems),
        };
        let replicas = match take("replicas") {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .into_iter()
                .enumerate()
                // Blank replicas are kept here and dropped by `territory::resolve_dataset`, after it has named
                // the others' problems by their position in the file (`replicas[i]`).
                .map(|(i, v)| self.place(v, &format!("replicas[{i}]"), true, problems))
                .collect(),
            Some(_) => {
                problems.push(("replicas".into(), ProblemKind::WrongType { expected: "array" }));
                Vec::new()
            }
        };
        Some(Innovation {
            file_index,
            id,
            name,
            summary,
            carrier_kind,
            origin,
            replicas,
            themes,
            stage,
            scaling_strategies,
            public_support,
            started,
            sites,
            url,
            sources,
        })
    }

    /// True the first time an unknown field name is seen in the dataset (each is reported once).
    fn first_sighting(&mut self, name: &str) -> bool {
        if self.unknown_seen.iter().any(|n| n == name) {
            return false;
        }
        self.unknown_seen.push(name.to_owned());
        true
    }

    fn limited(&self, mut s: String, field: &str, max: usize, problems: &mut Problems) -> String {
        let len = s.chars().count();
        if truncate_chars(&mut s, max) {
            problems.push((field.to_owned(), ProblemKind::TextTooLong { max, len }));
        }
        s
    }

    fn string(&self, v: Option<Value>, field: &str, problems: &mut Problems) -> Option<String> {
        match v {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s).filter(|s| !s.trim().is_empty()),
            Some(_) => {
                problems.push((field.to_owned(), ProblemKind::WrongType { expected: "string" }));
                None
            }
        }
    }

    fn url(&self, u: String, field: &str, problems: &mut Problems) -> Option<String> {
        let safe = safe_http_url(&u);
        if safe.is_none() {
            problems.push((field.to_owned(), ProblemKind::UnsafeUrl(u)));
        }
        safe
    }

    fn year(&self, v: Option<Value>, field: &str, problems: &mut Problems) -> Option<i32> {
        let max = self.opts.current_year + 1;
        match v {
            None => None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(y) if (YEAR_MIN..=max).contains(&y) => Some(y as i32),
                Some(y) => {
                    problems.push((field.to_owned(), ProblemKind::YearOutOfRange { year: y, max }));
                    None
                }
                None => {
                    problems.push((field.to_owned(), ProblemKind::WrongType { expected: "integer" }));
                    None
                }
            },
            Some(_) => {
                problems.push((field.to_owned(), ProblemKind::WrongType { expected: "integer" }));
                None
            }
        }
    }

    fn vocab_one(&self, v: Option<Value>, kind: VocabKind, field: &str, problems: &mut Problems) -> Option<ValueIdx> {
        let id = self.string(v, field, problems)?;
        let found = self.vocabularies.get(kind).index_of(&id);
        if found.is_none() {
            problems.push((field.to_owned(), ProblemKind::UnknownVocabulary { vocabulary: kind.key(), value: id }));
        }
        found
    }

    fn vocab_many(&self, v: Option<Value>, kind: VocabKind, field: &str, problems: &mut Problems) -> Vec<ValueIdx> {
        let items = match v {
            None => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(_) => {
                problems.push((field.to_owned(), ProblemKind::WrongType { expected: "array of strings" }));
                return Vec::new();
            }
        };
        let mut out: Vec<ValueIdx> = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            if let Some(idx) = self.vocab_one(Some(item), kind, &format!("{field}[{i}]"), problems) {
                if !out.contains(&idx) {
                    out.push(idx);
                }
            }
        }
        out
    }

    fn place(&mut self, v: Value, field: &str, is_replica: bool, problems: &mut Problems) -> Place {
        let Value::Object(mut o) = v else {
            problems.push((field.to_owned(), ProblemKind::WrongType { expected: "object" }));
            return Place::default();
        };
        let mut place = Place::default();
        let text = |key: &str, o: &mut serde_json::Map<String, Value>, problems: &mut Problems| {
            self.string(o.remove(key), &format!("{field}.{key}"), problems)
        };
        place.commune = text("commune", &mut o, problems).map(|mut s| {
            truncate_chars(&mut s, NAME_MAX);
            s
        });
        place.commune_insee = text("commune_insee", &mut o, problems).and_then(|c| {
            let c = c.trim().to_ascii_uppercase();
            if crate::territory::department_of_commune_code(&c).is_some()
                && c.chars().all(|ch| ch.is_ascii_alphanumeric())
            {
                Some(c)
            } else {
                problems.push((format!("{field}.commune_insee"), ProblemKind::UnknownCommune(c)));
                None
            }
        });
        place.department = text("department", &mut o, problems);
        place.region = text("region", &mut o, problems);
        let lon = o.remove("lon").filter(|v| !v.is_null());
        let lat = o.remove("lat").filter(|v| !v.is_null());
        match (lon, lat) {
            (None, None) => {}
            (Some(Value::Number(lon)), Some(Value::Number(lat))) => match (lon.as_f64(), lat.as_f64()) {
                (Some(lon), Some(lat)) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
                    place.point = Some(LonLat { lon, lat })
                }
                (Some(lon), Some(lat)) => {
                    problems.push((format!("{field}.lon"), ProblemKind::CoordinatesOutside { lon, lat }))
                }
                _ => problems.push((format!("{field}.lon"), ProblemKind::CoordinatesNotNumbers)),
            },
            _ => problems.push((format!("{field}.lon"), ProblemKind::CoordinatesNotNumbers)),
        }
        if is_replica {
            place.started = self.year(o.remove("started"), &format!("{field}.started"), problems);
        }
        for key in o.keys() {
            let name = format!("{}.{key}", if is_replica { "replicas[]" } else { field });
            if !PLACE_FIELDS.contains(&key.as_str()) && self.first_sighting(&name) {
                problems.push((format!("{field}.{key}"), ProblemKind::UnknownField(key.clone())));
            }
        }
        place
    }
}
