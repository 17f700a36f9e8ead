//! The dataset's wire format (schema `essaimage/1`, see `static/schema/essaimage-1.schema.json`) and its
//! validation into a [`Dataset`] plus a [`DataReport`].
//!
//! Only this module knows JSON shapes. Validation keeps every valid thing and explains every problem: the
//! document's layout is found first (where each top-level value and each record is), then the records are parsed
//! and read one at a time, a slice at a time if the caller wants ([`Reading`]), from wherever the bytes are
//! ([`Source`]); a document that does not read that way is read whole ([`read_whole`]), for the exact error. A
//! 50 MB dataset is never held as one tree, and a bad record or value never hides the others. Fatal errors are
//! only those of `DATASET.md` (not JSON, wrong shape, unsupported version, too large).

use std::collections::BTreeMap;
use std::ops::Range;

use crate::json::{self, Json, Parser};
use crate::model::{
    Dataset, Innovation, Label, LonLat, Meta, Place, SourceRef, ValueIdx, VocabEntry, VocabKind, Vocabularies,
};
use crate::report::{DataReport, LoadError, Problem, ProblemKind};
use crate::text::{safe_http_url, truncate_chars};

/// The schema major version this widget reads.
pub const SCHEMA: &str = "essaimage/1";
pub const NAME_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2_000;
pub const TITLE_MAX: usize = 300;
/// Vocabulary labels are shown in filters, tags and chips.
pub const LABEL_MAX: usize = 100;
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

/// Lists up to this long are searched; longer ones are indexed (see [`Lookup`]).
const SHORT: usize = 16;

/// Finds a string in a list that only grows: by a linear search while the list is short (the handful of keys of
/// a record, its few sources), through an index past [`SHORT`] items (fix, found by fuzzing: searching every
/// time made reading quadratic: a record of 60,000 keys, 60,000 records with their own unknown field, 60,000
/// sources or vocabulary entries each took 6 to 15 s for 1 to 2 MB). The index is the map type the module already
/// uses (no new code in the wasm bundle).
#[derive(Default)]
struct Lookup {
    index: BTreeMap<String, usize>,
    /// Items of the list already in `index`.
    synced: usize,
}

impl Lookup {
    /// The first position of `key` among the list's `len` items, whose keys `key_at` gives.
    fn find<'k>(&mut self, len: usize, key_at: impl Fn(usize) -> &'k str, key: &str) -> Option<usize> {
        if len <= SHORT {
            return (0..len).find(|&i| key_at(i) == key);
        }
        for i in self.synced..len {
            self.index.entry(key_at(i).to_owned()).or_insert(i);
        }
        self.synced = len;
        self.index.get(key).copied()
    }
}

/// An object's entries read as JSON usually is: the last value of each key, at the place of its first
/// appearance; and the keys that appeared more than once, for the report.
fn dedup(entries: Vec<(String, Json)>) -> (Vec<(String, Json)>, Vec<String>) {
    let mut map: Vec<(String, Json)> = Vec::with_capacity(entries.len());
    let mut dups: Vec<String> = Vec::new();
    let (mut keys, mut dup_keys) = (Lookup::default(), Lookup::default());
    for (k, v) in entries {
        match keys.find(map.len(), |i| &map[i].0, &k) {
            Some(i) => {
                map[i].1 = v;
                if dup_keys.find(dups.len(), |i| &dups[i], &k).is_none() {
                    dups.push(k);
                }
            }
            None => map.push((k, v)),
        }
    }
    (map, dups)
}

/// Takes the value of `key` out of deduplicated entries (`Null` is left in its place, so keys stay listed).
fn take_field(fields: &mut [(String, Json)], key: &str) -> Option<Json> {
    fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| std::mem::take(v))
}

/// The document's top level: its entries, and the raw text of each record of the last `innovations` array
/// (whose own entry holds an empty array).
type Top<'a> = (Vec<(String, Json)>, Vec<&'a str>);

/// Reads the top-level object in one pass: known fields are parsed, unknown ones only checked, and the records
/// only checked and kept as text. `Ok(None)`: valid JSON, but not an object.
fn read_top(text: &str) -> Result<Option<Top<'_>>, json::Error> {
    let mut p = Parser::new(text);
    match p.peek() {
        Some(b'{') => {}
        // As before with serde_json: an array is the wrong shape whatever follows, and so is any other value
        // that reads correctly (the rest of the text is not checked).
        Some(b'[') => return Ok(None),
        _ => return p.value().map(|_| None),
    }
    let mut entries = Vec::new();
    let mut records = Vec::new();
    p.object(|p, key| {
        let value = if key == "innovations" && p.peek() == Some(b'[') {
            records.clear();
            p.array(|p| p.skip().map(|raw| records.push(raw)))?;
            Json::Array(Vec::new())
        } else if DOC_FIELDS.contains(&key.as_str()) {
            if key == "innovations" {
                records.clear();
            }
            p.value()?
        } else {
            p.skip()?;
            Json::Null
        };
        entries.push((key, value));
        Ok(())
    })?;
    p.end()?;
    Ok(Some((entries, records)))
}

/// The bytes of a dataset, wherever they are: in this memory (`[u8]`), or in the browser's, where the embed
/// boundary leaves a downloaded file so that the wasm memory (which never shrinks) does not keep its peak.
pub trait Source {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Copies the bytes of `range` into `out` (replacing its content).
    fn read(&self, range: Range<usize>, out: &mut Vec<u8>);
}

impl Source for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn read(&self, range: Range<usize>, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self[range]);
    }
}

/// Validates a dataset. `Err` only for the fatal cases of `DATASET.md`; everything else is in the report.
pub fn validate(bytes: &[u8], opts: &ValidateOptions) -> Result<(Dataset, DataReport), LoadError> {
    validate_source(&bytes, opts)
}

/// [`validate`], reading the bytes a piece at a time (see [`Reading`]).
pub fn validate_source(src: &dyn Source, opts: &ValidateOptions) -> Result<(Dataset, DataReport), LoadError> {
    let mut reading = Reading::start(src, None, opts);
    while !reading.step(usize::MAX) {}
    reading.into_result()
}

/// A dataset being read: the document's layout first ([`json::Layout`], found as it downloads or by a scan), then
/// each top-level value, then the records, a slice at a time ([`Reading::step`]), so that only the record being read
/// is ever copied here and the caller can show progress, and the records read so far ([`Reading::partial`]),
/// between slices. A document that does not read that way (any syntax error, invalid UTF-8, a fatal error) is
/// read again whole, which gives the exact error and its line and column.
pub struct Reading<'s> {
    src: &'s dyn Source,
    opts: ValidateOptions,
    run: Option<Run<'s>>,
    outcome: Option<Result<(Dataset, DataReport), LoadError>>,
}

impl<'s> Reading<'s> {
    /// Starts reading `src`, whose layout may already be known (`Some`: found while it downloaded).
    pub fn start(src: &'s dyn Source, layout: Option<json::Layout>, opts: &ValidateOptions) -> Reading<'s> {
        let mut reading = Reading { src, opts: opts.clone(), run: None, outcome: None };
        if src.len() as u64 > opts.max_bytes {
            let bytes = Some(src.len() as u64);
            reading.outcome = Some(Err(LoadError::TooLarge { url: opts.url.clone(), bytes, limit: opts.max_bytes }));
        } else {
            match read_top_by_pieces(src, layout).map(|(top, records)| Run::begin(top, Box::new(records), opts)) {
                Some(Ok(run)) => reading.run = Some(run),
                _ => reading.read_whole(),
            }
        }
        reading
    }

    fn read_whole(&mut self) {
        self.run = None;
        let mut bytes = Vec::new();
        self.src.read(0..self.src.len(), &mut bytes);
        self.outcome = Some(read_whole(&bytes, &self.opts));
    }

    /// Reads up to `max` more records; true once the whole dataset is read.
    pub fn step(&mut self, max: usize) -> bool {
        if let Some(run) = &mut self.run {
            match run.records(max) {
                Some(true) => self.outcome = self.run.take().map(|r| Ok(r.finish())),
                Some(false) => {}
                None => self.read_whole(),
            }
        }
        self.outcome.is_some()
    }

    /// Records read so far, and in the file (0 and 0 when the document is read whole).
    pub fn progress(&self) -> (usize, usize) {
        self.run.as_ref().map_or((0, 0), |r| (r.next, r.records.count()))
    }

    /// The records kept so far, as a dataset, while reading.
    pub fn partial(&self) -> Option<Dataset> {
        let r = self.run.as_ref()?;
        Some(Dataset {
            meta: r.meta.clone(),
            vocabularies: r.ctx.vocabularies.clone(),
            innovations: r.innovations.clone(),
        })
    }

    /// The dataset and its report, or the fatal error (call once [`Reading::step`] said it is done).
    pub fn into_result(self) -> Result<(Dataset, DataReport), LoadError> {
        self.outcome.unwrap_or(Err(LoadError::NoDataset))
    }
}

/// The document's top-level entries (the last `innovations` array left empty) and its records, read by pieces;
/// `None` when it must be read whole.
fn read_top_by_pieces(
    src: &dyn Source,
    layout: Option<json::Layout>,
) -> Option<(Vec<(String, Json)>, impl Records + '_)> {
    let mut read = |r: Range<usize>, out: &mut Vec<u8>| src.read(r, out);
    let layout = match layout {
        Some(l) => l,
        None => json::Layout::scan(src.len(), 1 << 20, &mut read, "innovations")?,
    };
    let mut buf = Vec::new();
    let text = |r: &Range<usize>, buf: &mut Vec<u8>| {
        read(r.clone(), buf);
        std::str::from_utf8(buf).ok().map(str::to_owned)
    };
    let mut top = Vec::with_capacity(layout.entries.len());
    for (k, v) in &layout.entries {
        let Ok(Json::String(key)) = json::parse(&text(k, &mut buf)?) else { return None };
        top.push((key, v));
    }
    // The records of the last `innovations` array are read one by one later; any other value is read here.
    let records_at = top.iter().rposition(|(k, _)| k == "innovations");
    let mut first = Vec::new();
    let mut entries = Vec::with_capacity(top.len());
    for (i, (key, v)) in top.into_iter().enumerate() {
        read(v.start..v.start + 1, &mut first);
        let is_array = key == "innovations" && first == b"[";
        let value = if is_array && Some(i) == records_at {
            Json::Array(Vec::new())
        } else {
            // An earlier `innovations` array and unknown fields are only checked, as when the document is read
            // whole.
            let keep = DOC_FIELDS.contains(&key.as_str()) && !is_array;
            let parsed = json::parse_nested(&text(v, &mut buf)?, 1, keep).ok()?;
            if is_array {
                Json::Array(Vec::new())
            } else {
                parsed
            }
        };
        entries.push((key, value));
    }
    Some((entries, Pieces { read, ranges: layout.elements, buf }))
}

/// The records of a document, each as its text, whether held in memory or read a piece at a time.
trait Records {
    fn count(&self) -> usize;
    /// The text of record `i`; `None` when it cannot be read (not UTF-8).
    fn text(&mut self, i: usize) -> Option<&str>;
}

impl Records for Vec<&str> {
    fn count(&self) -> usize {
        self.len()
    }
    fn text(&mut self, i: usize) -> Option<&str> {
        Some(self[i])
    }
}

struct Pieces<F> {
    read: F,
    ranges: Vec<Range<usize>>,
    buf: Vec<u8>,
}

impl<F: FnMut(Range<usize>, &mut Vec<u8>)> Records for Pieces<F> {
    fn count(&self) -> usize {
        self.ranges.len()
    }
    fn text(&mut self, i: usize) -> Option<&str> {
        (self.read)(self.ranges[i].clone(), &mut self.buf);
        std::str::from_utf8(&self.buf).ok()
    }
}

/// Reads a dataset held whole in memory: what [`validate`] does when reading by pieces is not possible, and the
/// reference it must agree with (the fuzzing harness compares them).
pub fn read_whole(bytes: &[u8], opts: &ValidateOptions) -> Result<(Dataset, DataReport), LoadError> {
    let url = opts.url.clone();
    // The BOM is dropped before anything else, so that positions in messages are those an editor shows (it
    // does not display the BOM).
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let text = decode_utf8(bytes, &url)?;
    let (top, records) = match read_top(text) {
        Ok(Some(top)) => top,
        Ok(None) => {
            return Err(LoadError::WrongShape { url, detail: "the top level is not an object".into() });
        }
        Err(e) => {
            let looks_like_html = text.trim_start().starts_with('<');
            let json::Error { line, column, cause } = e;
            return Err(LoadError::NotJson { url, line, column, detail: cause.into(), looks_like_html });
        }
    };
    // The whole document was checked: every record reads.
    let mut run = Run::begin(top, Box::new(records), opts)?;
    run.records(usize::MAX);
    Ok(run.finish())
}

/// Everything but the syntax: the document's fields ([`Run::begin`]), then the records, a slice at a time.
struct Run<'r> {
    records: Box<dyn Records + 'r>,
    /// The next record to read.
    next: usize,
    ctx: RecordCtx,
    meta: Meta,
    report: DataReport,
    seen_ids: BTreeMap<String, usize>,
    innovations: Vec<Innovation>,
}

impl<'r> Run<'r> {
    fn begin(
        top: Vec<(String, Json)>,
        records: Box<dyn Records + 'r>,
        opts: &ValidateOptions,
    ) -> Result<Run<'r>, LoadError> {
        let url = opts.url.clone();
        let (mut top, top_dups) = dedup(top);
        let mut report = DataReport::default();
        for k in top_dups {
            report.problems.push(doc_problem(&k, ProblemKind::DuplicateKey(k.clone())));
        }

        // `"schema": null` counts as no schema, as `null` means "absent" for every other field (fix: it was read
        // as the unsupported version "null", a fatal error for a merely recommended field).
        if let Some(found) = take_field(&mut top, "schema").filter(|v| !v.is_null()) {
            let found = match found {
                Json::String(s) => s,
                other => other.to_string(),
            };
            let major_ok = found == SCHEMA || found.strip_prefix(SCHEMA).is_some_and(|rest| rest.starts_with('.'));
            if !major_ok {
                return Err(LoadError::UnsupportedSchema { url, found });
            }
        }
        match top.iter().find(|(k, _)| k == "innovations") {
            Some((_, Json::Array(_))) => {}
            None => return Err(LoadError::WrongShape { url, detail: "no \"innovations\" array".into() }),
            Some(_) => return Err(LoadError::WrongShape { url, detail: "\"innovations\" is not an array".into() }),
        }

        let mut vocabularies = Vocabularies::builtin();
        if let Some(v) = take_field(&mut top, "vocabularies") {
            read_vocabularies(v, &mut vocabularies, &mut report.problems);
        }
        let meta = read_meta(&mut top, &mut report.problems);
        for (key, _) in &top {
            if !DOC_FIELDS.contains(&key.as_str()) {
                report.problems.push(doc_problem(key, ProblemKind::UnknownField(key.clone())));
            }
        }
        report.records_in_file = records.count();
        Ok(Run {
            innovations: Vec::with_capacity(records.count()),
            records,
            next: 0,
            ctx: RecordCtx {
                vocabularies,
                current_year: opts.current_year,
                unknown_seen: Vec::new(),
                unknown_lookup: Lookup::default(),
                values: Default::default(),
            },
            meta,
            report,
            seen_ids: BTreeMap::new(),
        })
    }

    /// Reads up to `max` more records: `Some(true)` when all are read, `None` when one does not read (only
    /// possible when the document is read by pieces).
    fn records(&mut self, max: usize) -> Option<bool> {
        let end = self.records.count().min(self.next.saturating_add(max));
        while self.next < end {
            let index = self.next;
            let raw = self.records.text(index)?;
            let mut problems = Vec::new();
            // A record stands in the document's object and its `innovations` array (2 levels of the nesting limit).
            let rec = self.ctx.read_record(json::parse_nested(raw, 2, true).ok()?, index, &mut problems);
            let first = rec.as_ref().and_then(|r| self.seen_ids.get(&r.id).copied());
            if let Some(first_index) = first {
                problems.push((String::from("id"), ProblemKind::DuplicateId { first_index }));
            }
            // The record's id for its problems, copied only when there are some (most records have none).
            if !problems.is_empty() {
                let id = rec.as_ref().map(|r| r.id.clone()).or_else(|| raw_id(raw));
                for (field, kind) in problems {
                    self.report.problems.push(Problem { index: Some(index), id: id.clone(), field, kind });
                }
            }
            if let (Some(r), None) = (rec, first) {
                self.seen_ids.insert(r.id.clone(), index);
                self.innovations.push(r);
            }
            self.next += 1;
        }
        Some(self.next == self.records.count())
    }

    fn finish(self) -> (Dataset, DataReport) {
        let mut report = self.report;
        report.records_kept = self.innovations.len();
        (Dataset { meta: self.meta, vocabularies: self.ctx.vocabularies, innovations: self.innovations }, report)
    }
}

const DOC_FIELDS: [&str; 9] =
    ["schema", "title", "description", "updated", "license", "source", "vocabularies", "innovations", "$schema"];
/// The fields of a record in schema v1 (others are reported once as unknown).
pub const RECORD_FIELDS: [&str; 14] = [
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

/// Characters in a slice of UTF-8 bytes (counting the bytes that do not continue a character), so that it may
/// end inside a character.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Cuts a text to at most `max` characters; true when it was longer. A text that is cut loses its leading blank
/// characters first (whitespace, and the invisible ones of `text::is_blank`), so that a text that is not blank is
/// never cut down to a blank one (fix, found by fuzzing: a name of 200 spaces then a word was kept as a blank
/// name; likewise a summary or a commune; a title was lost).
fn cut(s: &mut String, max: usize) -> bool {
    if s.chars().nth(max).is_none() {
        return false;
    }
    let visible = s.trim_start_matches(|c: char| crate::text::is_blank(c.encode_utf8(&mut [0; 4])));
    // A text of invisible characters only (valid but for a name) keeps them, without its leading whitespace.
    let rest = if visible.is_empty() { s.trim_start() } else { visible };
    s.drain(..s.len() - rest.len());
    truncate_chars(s, max);
    true
}

/// Best effort to name a rejected record in the report.
fn raw_id(raw: &str) -> Option<String> {
    match json::parse(raw).ok()?.get("id")? {
        Json::String(s) => Some(s.clone()),
        Json::Null => None,
        other => Some(other.to_string()),
    }
}

fn read_meta(top: &mut [(String, Json)], problems: &mut Vec<Problem>) -> Meta {
    let mut text = |key: &str, max: usize, problems: &mut Vec<Problem>| -> Option<String> {
        match take_field(top, key) {
            None | Some(Json::Null) => None,
            Some(Json::String(mut s)) => {
                let len = s.chars().count();
                if cut(&mut s, max) {
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
    let source = match take_field(top, "source") {
        None | Some(Json::Null) => None,
        Some(Json::String(name)) => Some(SourceRef { name, url: None }),
        Some(o @ Json::Object(_)) => {
            let mut name = o.get("name").and_then(Json::as_str).unwrap_or("").to_owned();
            let len = name.chars().count();
            if cut(&mut name, TITLE_MAX) {
                problems.push(doc_problem("source.name", ProblemKind::TextTooLong { max: TITLE_MAX, len }));
            }
            let url = match o.get("url") {
                Some(Json::String(u)) => match safe_http_url(u) {
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

fn read_vocabularies(v: Json, vocabs: &mut Vocabularies, problems: &mut Vec<Problem>) {
    let Json::Object(obj) = v else {
        problems.push(doc_problem("vocabularies", ProblemKind::WrongType { expected: "object" }));
        return;
    };
    // Each key once, its last value (duplicate keys here are not reported, as before).
    for (key, entries) in dedup(obj).0 {
        let field = format!("vocabularies.{key}");
        let Some(kind) = VocabKind::from_key(&key) else {
            problems.push(doc_problem(&field, ProblemKind::UnknownField(key.clone())));
            continue;
        };
        let Json::Array(entries) = entries else {
            problems.push(doc_problem(&field, ProblemKind::WrongType { expected: "array" }));
            continue;
        };
        let mut ids = Lookup::default();
        for (i, e) in entries.into_iter().enumerate() {
            let id = e.get("id").and_then(Json::as_str).filter(|id| is_valid_id(id)).map(str::to_owned);
            let label = match e.get("label") {
                Some(Json::String(s)) => Some(Label::new(s, s)),
                Some(l @ Json::Object(_)) => Some(Label::new(
                    l.get("fr").and_then(Json::as_str).unwrap_or(""),
                    l.get("en").and_then(Json::as_str).unwrap_or(""),
                )),
                _ => None,
            };
            let label = label.map(|mut l| {
                for (lang, text) in [("fr", &mut l.fr), ("en", &mut l.en)] {
                    let len = text.chars().count();
                    if cut(text, LABEL_MAX) {
                        let at = format!("{field}[{i}].label.{lang}");
                        problems.push(doc_problem(&at, ProblemKind::TextTooLong { max: LABEL_MAX, len }));
                    }
                }
                l
            });
            let vocab = vocabs.get_mut(kind);
            match (id, label) {
                (Some(id), Some(label)) if !(label.fr.is_empty() && label.en.is_empty()) => {
                    // `Vocabulary::upsert`, with the id found through `ids` (fix: see `Lookup`).
                    match ids.find(vocab.entries.len(), |i| &vocab.entries[i].id, &id) {
                        Some(at) => {
                            let e = &mut vocab.entries[at].label;
                            if !label.fr.is_empty() {
                                e.fr = label.fr;
                            }
                            if !label.en.is_empty() {
                                e.en = label.en;
                            }
                        }
                        // A record refers to a value by a `ValueIdx` (u16): past 65,536 values, the entry is
                        // ignored and reported (fix, found by fuzzing: the index wrapped around, and a record
                        // using the 65,541st value was silently given the 5th).
                        None if vocab.len() > usize::from(ValueIdx::MAX) => {
                            problems.push(doc_problem(&format!("{field}[{i}]"), ProblemKind::InvalidVocabularyEntry))
                        }
                        None => vocab.entries.push(VocabEntry { id, label }),
                    }
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

struct RecordCtx {
    vocabularies: Vocabularies,
    current_year: i64,
    /// Unknown field names already reported: each is reported once for the whole dataset.
    unknown_seen: Vec<String>,
    unknown_lookup: Lookup,
    /// Vocabulary values by id, per [`VocabKind`] (fix: see `Lookup`; `Vocabulary::index_of` searches them all).
    values: [Lookup; 5],
}

type Problems = Vec<(String, ProblemKind)>;
/// A field's path in the report (`themes[2]`, `replicas[0].commune`), written out only when there is a problem:
/// formatting every path of every record took a large share of validation.
type Field<'a> = std::fmt::Arguments<'a>;

impl RecordCtx {
    fn read_record(&mut self, record: Json, file_index: usize, problems: &mut Problems) -> Option<Innovation> {
        let Json::Object(entries) = record else {
            problems.push((String::new(), ProblemKind::RecordNotObject));
            return None;
        };
        let (mut fields, dups) = dedup(entries);
        for k in dups {
            problems.push((k.clone(), ProblemKind::DuplicateKey(k)));
        }
        for (k, _) in &fields {
            if !RECORD_FIELDS.contains(&k.as_str()) && self.first_sighting(k) {
                problems.push((k.clone(), ProblemKind::UnknownField(k.clone())));
            }
        }
        let mut take = |k: &str| take_field(&mut fields, k).filter(|v| !v.is_null());

        let id = match take("id") {
            None => {
                problems.push(("id".into(), ProblemKind::MissingId));
                None
            }
            Some(Json::String(s)) if is_valid_id(&s) => Some(s),
            Some(Json::String(s)) => {
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
            Some(Json::String(s)) if !crate::text::is_blank(&s) => {
                Some(self.limited(s, format_args!("name"), NAME_MAX, problems))
            }
            Some(_) => {
                problems.push(("name".into(), ProblemKind::InvalidName));
                None
            }
        };
        let (Some(id), Some(name)) = (id, name) else { return None };

        let summary = self
            .string(take("summary"), format_args!("summary"), problems)
            .map(|s| self.limited(s, format_args!("summary"), SUMMARY_MAX, problems));
        let carrier_kind =
            self.vocab_one(take("carrier_kind"), VocabKind::CarrierKinds, format_args!("carrier_kind"), problems);
        let stage = self.vocab_one(take("stage"), VocabKind::Stages, format_args!("stage"), problems);
        let themes = self.vocab_many(take("themes"), VocabKind::Themes, format_args!("themes"), problems);
        let scaling_strategies = self.vocab_many(
            take("scaling_strategies"),
            VocabKind::ScalingStrategies,
            format_args!("scaling_strategies"),
            problems,
        );
        let public_support =
            self.vocab_many(take("public_support"), VocabKind::PublicSupport, format_args!("public_support"), problems);
        let started = self.year(take("started"), format_args!("started"), problems);
        let sites = match take("sites") {
            None => None,
            Some(Json::Number(n)) => match (n.as_u64(), n.as_i64()) {
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
        let url = self
            .string(take("url"), format_args!("url"), problems)
            .and_then(|u| self.url(u, format_args!("url"), problems));
        let sources = match take("sources") {
            None => Vec::new(),
            Some(Json::Array(items)) => {
                let mut out: Vec<String> = Vec::with_capacity(items.len());
                let mut seen = Lookup::default();
                for (i, item) in items.into_iter().enumerate() {
                    if let Some(u) = self
                        .string(Some(item), format_args!("sources[{i}]"), problems)
                        .and_then(|u| self.url(u, format_args!("sources[{i}]"), problems))
                    {
                        if seen.find(out.len(), |i| &out[i], &u).is_none() {
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
            Some(Json::Array(items)) => items
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
        if self.unknown_lookup.find(self.unknown_seen.len(), |i| &self.unknown_seen[i], name).is_some() {
            return false;
        }
        self.unknown_seen.push(name.to_owned());
        true
    }

    fn limited(&self, mut s: String, field: Field, max: usize, problems: &mut Problems) -> String {
        // A text has at most as many characters as bytes: most texts are known short without counting.
        if s.len() <= max {
            return s;
        }
        let len = s.chars().count();
        if cut(&mut s, max) {
            problems.push((field.to_string(), ProblemKind::TextTooLong { max, len }));
        }
        s
    }

    fn string(&self, v: Option<Json>, field: Field, problems: &mut Problems) -> Option<String> {
        match v {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s).filter(|s| !s.trim().is_empty()),
            Some(_) => {
                problems.push((field.to_string(), ProblemKind::WrongType { expected: "string" }));
                None
            }
        }
    }

    fn url(&self, u: String, field: Field, problems: &mut Problems) -> Option<String> {
        let safe = safe_http_url(&u);
        if safe.is_none() {
            problems.push((field.to_string(), ProblemKind::UnsafeUrl(u)));
        }
        safe
    }

    fn year(&self, v: Option<Json>, field: Field, problems: &mut Problems) -> Option<i32> {
        let max = self.current_year + 1;
        match v {
            None => None,
            Some(Json::Number(n)) => match n.as_i64() {
                Some(y) if (YEAR_MIN..=max).contains(&y) => Some(y as i32),
                Some(y) => {
                    problems.push((field.to_string(), ProblemKind::YearOutOfRange { year: y, max }));
                    None
                }
                None => {
                    problems.push((field.to_string(), ProblemKind::WrongType { expected: "integer" }));
                    None
                }
            },
            Some(_) => {
                problems.push((field.to_string(), ProblemKind::WrongType { expected: "integer" }));
                None
            }
        }
    }

    fn vocab_one(
        &mut self,
        v: Option<Json>,
        kind: VocabKind,
        field: Field,
        problems: &mut Problems,
    ) -> Option<ValueIdx> {
        let id = self.string(v, field, problems)?;
        let vocab = self.vocabularies.get(kind);
        let lookup = &mut self.values[kind as usize];
        let found = lookup.find(vocab.len(), |i| &vocab.entries[i].id, &id).map(|i| i as ValueIdx);
        if found.is_none() {
            problems.push((field.to_string(), ProblemKind::UnknownVocabulary { vocabulary: kind.key(), value: id }));
        }
        found
    }

    fn vocab_many(&mut self, v: Option<Json>, kind: VocabKind, field: Field, problems: &mut Problems) -> Vec<ValueIdx> {
        let items = match v {
            None => return Vec::new(),
            Some(Json::Array(items)) => items,
            Some(_) => {
                problems.push((field.to_string(), ProblemKind::WrongType { expected: "array of strings" }));
                return Vec::new();
            }
        };
        let mut out: Vec<ValueIdx> = Vec::with_capacity(items.len());
        // Values already taken, for long lists (fix: see `Lookup`).
        let mut taken = vec![false; if items.len() > SHORT { self.vocabularies.get(kind).len() } else { 0 }];
        for (i, item) in items.into_iter().enumerate() {
            if let Some(idx) = self.vocab_one(Some(item), kind, format_args!("{field}[{i}]"), problems) {
                let new = match taken.get_mut(usize::from(idx)) {
                    Some(t) => !std::mem::replace(t, true),
                    None => !out.contains(&idx),
                };
                if new {
                    out.push(idx);
                }
            }
        }
        out
    }

    fn place(&mut self, v: Json, field: &str, is_replica: bool, problems: &mut Problems) -> Place {
        let Json::Object(o) = v else {
            problems.push((field.to_string(), ProblemKind::WrongType { expected: "object" }));
            return Place::default();
        };
        // A key given twice in a place is reported like one in the record (the last value is read).
        let (mut o, dups) = dedup(o);
        for k in dups {
            problems.push((format!("{field}.{k}"), ProblemKind::DuplicateKey(k)));
        }
        let mut place = Place::default();
        let text = |key: &str, o: &mut Vec<(String, Json)>, problems: &mut Problems| {
            self.string(remove(o, key), format_args!("{field}.{key}"), problems)
        };
        place.commune = text("commune", &mut o, problems)
            .map(|s| self.limited(s, format_args!("{field}.commune"), NAME_MAX, problems));
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
        let lon = remove(&mut o, "lon").filter(|v| !v.is_null());
        let lat = remove(&mut o, "lat").filter(|v| !v.is_null());
        match (lon, lat) {
            (None, None) => {}
            (Some(Json::Number(lon)), Some(Json::Number(lat))) => match (lon.as_f64(), lat.as_f64()) {
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
            place.started = self.year(remove(&mut o, "started"), format_args!("{field}.started"), problems);
        }
        for (key, _) in &o {
            let name = format!("{}.{key}", if is_replica { "replicas[]" } else { field });
            if !PLACE_FIELDS.contains(&key.as_str()) && self.first_sighting(&name) {
                problems.push((format!("{field}.{key}"), ProblemKind::UnknownField(key.clone())));
            }
        }
        place
    }
}

/// Removes every entry of `key` from an object's entries and returns the last value (JSON's usual reading).
fn remove(entries: &mut Vec<(String, Json)>, key: &str) -> Option<Json> {
    let mut last = None;
    entries.retain_mut(|(k, v)| {
        if k != key {
            return true;
        }
        last = Some(std::mem::take(v));
        false
    });
    last
}
