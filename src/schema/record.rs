//! The rules of one record: each field's type, format and limits, what is kept, cut, dropped or rejected, and
//! the problem reported for each (docs/DATASET.md).

use std::collections::BTreeMap;

use super::document::{dedup, take_field, Lookup, SHORT};
use super::{NAME_MAX, SUMMARY_MAX, YEAR_MIN};
use crate::json::{self, Json};
use crate::model::{Innovation, LonLat, Place, ValueIdx, VocabKind, Vocabularies};
use crate::report::ProblemKind;
use crate::text::{safe_http_url, truncate_chars};

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
pub(super) const PLACE_FIELDS: [&str; 7] =
    ["commune", "commune_insee", "postcode", "department", "region", "lon", "lat"];

/// Cuts a text to at most `max` characters; true when it was longer. A text that is cut loses its leading blank
/// characters first (whitespace, and the invisible ones of `text::is_blank`), so that a text that is not blank is
/// never cut down to a blank one (a name of many spaces then a word must keep the word).
pub(super) fn cut(s: &mut String, max: usize) -> bool {
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
pub(super) fn raw_id(raw: &str) -> Option<String> {
    match json::parse(raw).ok()?.get("id")? {
        Json::String(s) => Some(s.clone()),
        Json::Null => None,
        other => Some(other.to_string()),
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

pub(super) struct RecordCtx {
    pub(super) vocabularies: Vocabularies,
    pub(super) current_year: i64,
    /// Unknown field names already reported: each is reported once for the whole dataset.
    pub(super) unknown_seen: Vec<String>,
    pub(super) unknown_lookup: Lookup,
    /// Vocabulary values by id, per [`VocabKind`] (see `Lookup`; `Vocabulary::index_of` would search them all).
    pub(super) values: [Lookup; 5],
    /// Values that are not ids, per [`VocabKind`], and the value each stands for (a label or a synonym, as people
    /// write in spreadsheets: « Lien social », « logement »), or none: found once, then looked up.
    /// (`usize::MAX`: none; the map type of the other string indexes, one map implementation in the wasm bundle.)
    pub(super) written: [BTreeMap<String, usize>; 5],
}

pub(super) type Problems = Vec<(String, ProblemKind)>;
/// A field's path in the report (`themes[2]`, `replicas[0].commune`), written out only when there is a problem:
/// formatting every path of every record would be a large share of validation.
pub(super) type Field<'a> = std::fmt::Arguments<'a>;

impl RecordCtx {
    pub(super) fn read_record(
        &mut self,
        record: Json,
        file_index: usize,
        problems: &mut Problems,
    ) -> Option<Innovation> {
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
    pub(super) fn first_sighting(&mut self, name: &str) -> bool {
        if self.unknown_lookup.find(self.unknown_seen.len(), |i| &self.unknown_seen[i], name).is_some() {
            return false;
        }
        self.unknown_seen.push(name.to_owned());
        true
    }

    pub(super) fn limited(&self, mut s: String, field: Field, max: usize, problems: &mut Problems) -> String {
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

    pub(super) fn string(&self, v: Option<Json>, field: Field, problems: &mut Problems) -> Option<String> {
        match v {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s).filter(|s| !s.trim().is_empty()),
            Some(_) => {
                problems.push((field.to_string(), ProblemKind::WrongType { expected: "string" }));
                None
            }
        }
    }

    pub(super) fn url(&self, u: String, field: Field, problems: &mut Problems) -> Option<String> {
        let safe = safe_http_url(&u);
        if safe.is_none() {
            problems.push((field.to_string(), ProblemKind::UnsafeUrl(u)));
        }
        safe
    }

    pub(super) fn year(&self, v: Option<Json>, field: Field, problems: &mut Problems) -> Option<i32> {
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

    pub(super) fn vocab_one(
        &mut self,
        v: Option<Json>,
        kind: VocabKind,
        field: Field,
        problems: &mut Problems,
    ) -> Option<ValueIdx> {
        let id = self.string(v, field, problems)?;
        let vocab = self.vocabularies.get(kind);
        let lookup = &mut self.values[kind as usize];
        let found = lookup.find(vocab.len(), |i| &vocab.entries[i].id, &id).map(|i| i as ValueIdx).or_else(|| {
            let found = self.written[kind as usize]
                .entry(id.clone())
                .or_insert_with(|| vocab.find(&id, kind.synonyms()).map_or(usize::MAX, usize::from));
            ValueIdx::try_from(*found).ok()
        });
        if found.is_none() {
            problems.push((field.to_string(), ProblemKind::UnknownVocabulary { vocabulary: kind.key(), value: id }));
        }
        found
    }

    pub(super) fn vocab_many(
        &mut self,
        v: Option<Json>,
        kind: VocabKind,
        field: Field,
        problems: &mut Problems,
    ) -> Vec<ValueIdx> {
        let items = match v {
            None => return Vec::new(),
            Some(Json::Array(items)) => items,
            Some(_) => {
                problems.push((field.to_string(), ProblemKind::WrongType { expected: "array of strings" }));
                return Vec::new();
            }
        };
        let mut out: Vec<ValueIdx> = Vec::with_capacity(items.len());
        // Values already taken, for long lists (see `Lookup`: no quadratic search).
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

    pub(super) fn place(&mut self, v: Json, field: &str, is_replica: bool, problems: &mut Problems) -> Place {
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
        // A postcode: five digits; a number is read as its digits, and four digits get back the leading zero a
        // spreadsheet drops (`5000` → `05000`).
        place.postcode = match remove(&mut o, "postcode").filter(|v| !v.is_null()) {
            None => None,
            Some(Json::Number(n)) => Some(n.as_str().to_owned()),
            other => self.string(other, format_args!("{field}.postcode"), problems),
        }
        .and_then(|p| {
            let p = p.trim().replace(' ', "");
            match p.len() {
                5 | 4 if p.bytes().all(|b| b.is_ascii_digit()) => Some(format!("{p:0>5}")),
                _ => {
                    problems.push((format!("{field}.postcode"), ProblemKind::UnknownPostcode(p)));
                    None
                }
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
pub(super) fn remove(entries: &mut Vec<(String, Json)>, key: &str) -> Option<Json> {
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
