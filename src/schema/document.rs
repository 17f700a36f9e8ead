//! The document: its top level read in one pass or by pieces, its fields, and the loop over its records
//! ([`Run`]). Syntax errors, a wrong shape and an unsupported version are the fatal errors found here.

use std::collections::BTreeMap;
use std::ops::Range;

use super::meta::{read_meta, read_vocabularies};
use super::record::{raw_id, RecordCtx};
use super::{Source, ValidateOptions, SCHEMA};
use crate::json::{self, Json, Parser};
use crate::model::{Dataset, Innovation, Meta, Vocabularies};
use crate::report::{DataReport, LoadError, Problem, ProblemKind, Shape};

/// Lists up to this long are searched; longer ones are indexed (see [`Lookup`]).
pub(super) const SHORT: usize = 16;

/// Finds a string in a list that only grows: by a linear search while the list is short (the handful of keys of
/// a record, its few sources), through an index past [`SHORT`] items, because a linear search every time would
/// make reading quadratic in a file's keys, unknown fields, sources or vocabulary entries (docs/FUZZING.md). The
/// index is the map type the module already uses (no new code in the wasm bundle).
#[derive(Default)]
pub(super) struct Lookup {
    index: BTreeMap<String, usize>,
    /// Items of the list already in `index`.
    synced: usize,
}

impl Lookup {
    /// The first position of `key` among the list's `len` items, whose keys `key_at` gives.
    pub(super) fn find<'k>(&mut self, len: usize, key_at: impl Fn(usize) -> &'k str, key: &str) -> Option<usize> {
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
pub(super) fn dedup(entries: Vec<(String, Json)>) -> (Vec<(String, Json)>, Vec<String>) {
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
pub(super) fn take_field(fields: &mut [(String, Json)], key: &str) -> Option<Json> {
    fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| std::mem::take(v))
}

/// The document's top level: its entries, and the raw text of each record of the last `innovations` array
/// (whose own entry holds an empty array).
pub(super) type Top<'a> = (Vec<(String, Json)>, Vec<&'a str>);

/// Reads the top-level object in one pass: known fields are parsed, unknown ones only checked, and the records
/// only checked and kept as text. `Ok(None)`: valid JSON, but not an object.
pub(super) fn read_top(text: &str) -> Result<Option<Top<'_>>, json::Error> {
    let mut p = Parser::new(text);
    match p.peek() {
        Some(b'{') => {}
        // An array is the wrong shape whatever follows, and so is any other value that reads correctly (the rest
        // of the text is not checked): the shape error says more than a syntax error further on would.
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

/// The document's top-level entries (the last `innovations` array left empty) and its records, read by pieces;
/// `None` when it must be read whole.
pub(super) fn read_top_by_pieces(
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
pub(super) trait Records {
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

pub(super) struct Pieces<F> {
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
            let shape = if text.trim_start().starts_with('[') { Shape::List } else { Shape::NotObject };
            return Err(LoadError::WrongShape { url, shape });
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
pub(super) struct Run<'r> {
    pub(super) records: Box<dyn Records + 'r>,
    /// The next record to read.
    pub(super) next: usize,
    pub(super) ctx: RecordCtx,
    pub(super) meta: Meta,
    pub(super) report: DataReport,
    pub(super) seen_ids: BTreeMap<String, usize>,
    pub(super) innovations: Vec<Innovation>,
}

impl<'r> Run<'r> {
    pub(super) fn begin(
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

        // `"schema": null` counts as no schema, as `null` means "absent" for every other field: a merely
        // recommended field must not make the file unreadable as an unsupported version "null".
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
            None => return Err(LoadError::WrongShape { url, shape: Shape::NoInnovations }),
            Some(_) => return Err(LoadError::WrongShape { url, shape: Shape::InnovationsNotArray }),
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
                written: Default::default(),
            },
            meta,
            report,
            seen_ids: BTreeMap::new(),
        })
    }

    /// Reads up to `max` more records: `Some(true)` when all are read, `None` when one does not read (only
    /// possible when the document is read by pieces).
    pub(super) fn records(&mut self, max: usize) -> Option<bool> {
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

    pub(super) fn finish(self) -> (Dataset, DataReport) {
        let mut report = self.report;
        report.records_kept = self.innovations.len();
        (Dataset { meta: self.meta, vocabularies: self.ctx.vocabularies, innovations: self.innovations }, report)
    }
}

pub(super) const DOC_FIELDS: [&str; 11] = [
    "noun",
    "lang",
    "schema",
    "title",
    "description",
    "updated",
    "license",
    "source",
    "vocabularies",
    "innovations",
    "$schema",
];

pub(super) fn doc_problem(field: &str, kind: ProblemKind) -> Problem {
    Problem { index: None, id: None, field: field.to_owned(), kind }
}

/// Checks UTF-8 and reports the first invalid byte's line and column.
pub(super) fn decode_utf8<'a>(bytes: &'a [u8], url: &str) -> Result<&'a str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = chars_in(&valid[line_start..]) + 1;
        LoadError::NotJson {
            url: url.to_owned(),
            line,
            column,
            detail: super::INVALID_UTF8.into(),
            looks_like_html: false,
        }
    })
}

/// Characters in a slice of UTF-8 bytes (counting the bytes that do not continue a character), so that it may
/// end inside a character.
pub(super) fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}
