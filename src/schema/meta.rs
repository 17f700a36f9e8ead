//! The document's own fields: title, description, licence, source, update date, and the vocabularies it adds or
//! relabels.

use super::document::{dedup, doc_problem, take_field, Lookup};
use super::record::{cut, is_valid_id};
use super::{DEFINITION_MAX, DESCRIPTION_MAX, LABEL_MAX, TITLE_MAX};
use crate::i18n::Noun;
use crate::json::Json;
use crate::model::{Label, Meta, SourceRef, ValueIdx, VocabEntry, VocabKind, Vocabularies};
use crate::report::{Problem, ProblemKind};
use crate::text::safe_http_url;

pub(super) fn read_meta(top: &mut [(String, Json)], problems: &mut Vec<Problem>) -> Meta {
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
    // The language of the texts: one of the widget's (`fr`, `en`, `fr-FR`…), written on them in the other.
    let lang = text("lang", 35, problems).and_then(|l| {
        let found = crate::i18n::Locale::parse(&l);
        if found.is_none() {
            problems.push(doc_problem("lang", ProblemKind::InvalidLanguage(l)));
        }
        found
    });
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
    let noun = read_noun(take_field(top, "noun"), problems).unwrap_or_default();
    Meta { title, lang, description, updated, license, source, noun }
}

/// `"noun": {"fr": ["tiers-lieu", "tiers-lieux"], "en": ["third place", "third places"]}`: singular and plural in
/// each language; a language left out takes the other's words.
fn read_noun(value: Option<Json>, problems: &mut Vec<Problem>) -> Option<Noun> {
    let value = value.filter(|v| !v.is_null())?;
    let words = |lang: &str| -> Option<[String; 2]> {
        let list = value.get(lang)?.as_array()?;
        let word = |i: usize| list.get(i)?.as_str().map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned);
        let (one, many) = (word(0)?, word(1)?);
        (list.len() == 2 && one.chars().count() <= LABEL_MAX && many.chars().count() <= LABEL_MAX)
            .then_some([one, many])
    };
    let (fr, en) = (words("fr"), words("en"));
    let usable = value.as_object().is_some_and(|o| o.iter().all(|(k, _)| k == "fr" || k == "en"))
        && (fr.is_some() || en.is_some())
        && ["fr", "en"].iter().all(|l| value.get(l).is_none() || words(l).is_some());
    if !usable {
        problems.push(doc_problem("noun", ProblemKind::InvalidNoun));
        return None;
    }
    Some(Noun { fr: fr.clone().or_else(|| en.clone())?, en: en.or(fr)? })
}

pub(super) fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| d.get(r).and_then(|s| s.parse::<u32>().ok());
    matches!((num(0..4), num(5..7), num(8..10)), (Some(_), Some(1..=12), Some(1..=31)))
}

pub(super) fn read_vocabularies(v: Json, vocabs: &mut Vocabularies, problems: &mut Vec<Problem>) {
    let Json::Object(obj) = v else {
        problems.push(doc_problem("vocabularies", ProblemKind::WrongType { expected: "object" }));
        return;
    };
    // Each key once, its last value, as for any object (duplicate keys inside `vocabularies` are not reported).
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
            // `label` and `definition`: a string (both languages) or `{"fr", "en"}`, each language cut at its limit.
            let mut text = |key: &str, max: usize| {
                let mut l = match e.get(key) {
                    Some(Json::String(s)) => Label::new(s, s),
                    Some(l @ Json::Object(_)) => Label::new(
                        l.get("fr").and_then(Json::as_str).unwrap_or(""),
                        l.get("en").and_then(Json::as_str).unwrap_or(""),
                    ),
                    _ => Label::default(),
                };
                for (lang, text) in [("fr", &mut l.fr), ("en", &mut l.en)] {
                    let len = text.chars().count();
                    if cut(text, max) {
                        let at = format!("{field}[{i}].{key}.{lang}");
                        problems.push(doc_problem(&at, ProblemKind::TextTooLong { max, len }));
                    }
                }
                l
            };
            let (label, definition) = (text("label", LABEL_MAX), text("definition", DEFINITION_MAX));
            let vocab = vocabs.get_mut(kind);
            match id {
                // A new value needs a label; a built-in or declared one may get a label, a definition or both.
                Some(id) if !(label.is_empty() && definition.is_empty()) => {
                    // `Vocabulary::upsert`, with the id found through `ids` (see `Lookup`: no quadratic search).
                    match ids.find(vocab.entries.len(), |i| &vocab.entries[i].id, &id) {
                        Some(at) => {
                            let e = &mut vocab.entries[at];
                            e.label.merge(label);
                            e.definition.merge(definition);
                        }
                        // A record refers to a value by a `ValueIdx` (u16): past 65,536 values, the entry is
                        // ignored and reported, so that an index never wraps around and gives a record another
                        // value than the one it names.
                        None if label.is_empty() || vocab.len() > usize::from(ValueIdx::MAX) => {
                            problems.push(doc_problem(&format!("{field}[{i}]"), ProblemKind::InvalidVocabularyEntry))
                        }
                        None => vocab.entries.push(VocabEntry { id, label, definition }),
                    }
                }
                _ => problems.push(doc_problem(&format!("{field}[{i}]"), ProblemKind::InvalidVocabularyEntry)),
            }
        }
    }
}
