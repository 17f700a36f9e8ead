//! Embed options: raw values from data attributes or `Essaimage.mount(el, {...})` → a resolved [`Config`].
//!
//! As in ripgrep's low-level/high-level arguments: the loader passes what the page author wrote, untouched
//! (strings, numbers and booleans as given; any other value by its type), and this module validates it, applying
//! documented defaults and returning a warning for every value it could not use, of the wrong type included (never
//! silently ignored). It also decides each instance's namespace in the URL (`data-id`, else the element's id, else
//! `e1`, `e2`… in mount order): the loader passes only the facts.

use crate::i18n::Locale;
use crate::json::{self, Json};
use crate::schema::DEFAULT_MAX_BYTES;

/// Options as the page author wrote them. The loader resolves URLs (dataset against the page, assets against the
/// loader's own URL) before passing them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawOptions {
    /// Dataset URL (absolute, resolved by the loader against the host page).
    pub dataset: Option<String>,
    /// Base URL of the widget's own files (`…/`), resolved by the loader.
    pub base: Option<String>,
    pub lang: Option<String>,
    /// `data-debug`: shows the data report in the widget. Present (even empty) means on, except `"false"`.
    pub debug: Option<String>,
    /// `data-id` / the `id` option: namespace of this instance in the URL hash.
    pub id: Option<String>,
    /// The host element's own `id` attribute: the namespace when no `data-id` is given, if usable.
    pub element_id: Option<String>,
    /// The loader's count of mounts in the page (1, 2…): the namespace `e1`, `e2`… when neither `data-id` nor the
    /// element's id gives one.
    pub mount: Option<u64>,
    /// `data-max-mb`: dataset size limit in megabytes.
    pub max_mb: Option<String>,
    /// `data-page-size`: results per page.
    pub page_size: Option<String>,
    /// Options the loader did not recognise, by name, for warnings.
    pub unknown: Vec<String>,
    /// Options given with a value of a type they cannot take (`mount(el, {dataset: 42})`), as (option name as the
    /// page author writes it, what was given: « a number (42) »), for warnings. Such an option counts as absent.
    pub wrong_types: Vec<(String, String)>,
}

/// How each option may be given in the loader's JSON: (JSON key, name for the page author, what it must be,
/// whether a number or a boolean is also accepted and read as its text).
const OPTION_TYPES: [(&str, &str, &str, Accepts); 7] = [
    ("dataset", "dataset", "a text (the address of the JSON file)", Accepts::Text),
    ("base", "base", "a text (the address of the widget's folder)", Accepts::Text),
    ("lang", "lang", "a text (\"fr\" or \"en\")", Accepts::Text),
    ("debug", "debug", "true, false or a text", Accepts::TextOrBool),
    ("id", "id", "a text (letters, digits, \"-\" or \"_\")", Accepts::Text),
    ("max_mb", "maxMb", "a whole number of megabytes", Accepts::TextOrNumber),
    ("page_size", "pageSize", "a whole number", Accepts::TextOrNumber),
];

#[derive(Clone, Copy, PartialEq)]
enum Accepts {
    Text,
    TextOrBool,
    TextOrNumber,
}

impl RawOptions {
    /// Reads the JSON object the loader writes (`{"dataset": "…", "lang": null, "unknown": ["…"]}`). Each option's
    /// value is what the page author gave, untouched when it is a string, a number or a boolean (attributes are
    /// always strings; `Essaimage.mount()` takes any value); the loader writes any other value as
    /// `{"type": "function"}` (its JavaScript type). A value of a type the option cannot take is recorded in
    /// [`RawOptions::wrong_types`], never dropped in silence. `base` is always the folder the loader used: a
    /// `base` option it could not use is given as `base_given`.
    pub fn from_json(json: &str) -> Result<RawOptions, String> {
        let o = json::parse(json).map_err(|e| e.to_string())?;
        o.as_object().ok_or("options must be a JSON object")?;
        let mut raw = RawOptions {
            element_id: o.get("element_id").and_then(Json::as_str).map(str::to_owned),
            mount: match o.get("mount") {
                Some(Json::Number(n)) => n.as_u64(),
                _ => None,
            },
            unknown: o
                .get("unknown")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).map(str::to_owned).collect())
                .unwrap_or_default(),
            ..RawOptions::default()
        };
        for (key, name, _, accepts) in OPTION_TYPES {
            let value = match o.get(key) {
                Some(Json::String(s)) => Some(s.clone()),
                None | Some(Json::Null) => None,
                Some(Json::Bool(b)) if accepts == Accepts::TextOrBool => Some(b.to_string()),
                Some(Json::Number(n)) if accepts == Accepts::TextOrNumber => Some(n.as_str().to_owned()),
                Some(other) => {
                    raw.wrong_types.push((name.to_owned(), describe(other)));
                    None
                }
            };
            *raw.field(key) = value;
        }
        if let Some(given) = o.get("base_given").filter(|g| !g.is_null()) {
            raw.wrong_types.push(("base".to_owned(), describe(given)));
        }
        Ok(raw)
    }

    fn field(&mut self, key: &str) -> &mut Option<String> {
        match key {
            "dataset" => &mut self.dataset,
            "base" => &mut self.base,
            "lang" => &mut self.lang,
            "debug" => &mut self.debug,
            "id" => &mut self.id,
            "max_mb" => &mut self.max_mb,
            _ => &mut self.page_size, // "page_size", the last of OPTION_TYPES
        }
    }
}

/// What a value of the wrong type is, for a warning: « a number (42) », « a boolean (true) », « a function »…
fn describe(value: &Json) -> String {
    match value {
        Json::Null => "null".to_owned(),
        Json::Bool(b) => format!("a boolean ({b})"),
        Json::Number(n) => format!("a number ({})", n.as_str()),
        Json::String(s) => format!("a text ({s:?})"),
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => match value.get("type").and_then(Json::as_str) {
            Some("function") => "a function".to_owned(),
            Some("symbol") => "a symbol".to_owned(),
            Some("bigint") => "a BigInt".to_owned(),
            Some("number") => "a number that is not finite".to_owned(),
            Some("array") => "a list".to_owned(),
            _ => "an object".to_owned(),
        },
    }
}

/// Validated configuration of one instance.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub dataset: Option<String>,
    pub base: String,
    pub locale: Locale,
    pub debug: bool,
    pub ns: String,
    pub max_bytes: u64,
    pub page_size: usize,
}

pub const DEFAULT_PAGE_SIZE: usize = 20;

impl Config {
    /// Resolves raw options. The namespace is the `id` option if usable, else the element's id if usable, else
    /// `e` + the loader's mount number (`e1`, `e2`… in mount order), else `fallback_ns` (callers without a loader).
    pub fn resolve(raw: RawOptions, fallback_ns: &str) -> (Config, Vec<String>) {
        let mut warnings = Vec::new();
        let locale = match raw.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => Locale::Fr,
            Some(l) => Locale::parse(l).unwrap_or_else(|| {
                warnings.push(format!("data-lang=\"{l}\" is not supported (use \"fr\" or \"en\"); using French."));
                Locale::Fr
            }),
        };
        let debug = match raw.debug.as_deref().map(|d| d.trim().to_ascii_lowercase()) {
            None => false,
            Some(d) if d.is_empty() || d == "true" || d == "1" => true,
            Some(d) if d == "false" || d == "0" => false,
            Some(d) => {
                warnings
                    .push(format!("data-debug=\"{d}\" is not understood (use \"true\" or \"false\"); debug is on."));
                true
            }
        };
        for (name, found) in &raw.wrong_types {
            let expected = OPTION_TYPES.iter().find(|o| o.1 == name).map_or("a text", |o| o.2);
            warnings.push(format!("option \"{name}\" must be {expected}, not {found}; it was ignored."));
        }
        // The instance's namespace: `data-id`, else the element's own id, else the mount number (the one place of
        // this rule: the loader only passes the facts).
        let default_ns = match (raw.element_id.as_deref().filter(|id| is_valid_ns(id)), raw.mount) {
            (Some(id), _) => id.to_owned(),
            (None, Some(n)) => format!("{NS_MOUNT_PREFIX}{n}"),
            (None, None) => fallback_ns.to_owned(),
        };
        let ns = match raw.id.as_deref().map(str::trim) {
            Some(id) if is_valid_ns(id) => id.to_owned(),
            Some(id) if !id.is_empty() => {
                warnings.push(format!(
                    "id \"{id}\" cannot be used in links (use letters, digits, \"-\" or \"_\", at most 32); using \"{default_ns}\"."
                ));
                default_ns
            }
            _ => default_ns,
        };
        let max_bytes = match raw.max_mb.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_MAX_BYTES,
            Some(m) => match m.parse::<u64>() {
                Ok(mb @ 1..=2000) => mb * 1_000_000,
                _ => {
                    warnings.push(format!(
                        "data-max-mb=\"{m}\" is not a whole number of megabytes from 1 to 2000; using 50."
                    ));
                    DEFAULT_MAX_BYTES
                }
            },
        };
        let page_size = match raw.page_size.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_PAGE_SIZE,
            Some(p) => match p.parse::<usize>() {
                Ok(n @ 5..=100) => n,
                _ => {
                    warnings.push(format!(
                        "data-page-size=\"{p}\" must be a whole number from 5 to 100; using {DEFAULT_PAGE_SIZE}."
                    ));
                    DEFAULT_PAGE_SIZE
                }
            },
        };
        for name in &raw.unknown {
            warnings.push(format!("option \"{name}\" is unknown and was ignored (check its spelling)."));
        }
        let mut base = raw.base.unwrap_or_default();
        if !base.is_empty() && !base.ends_with('/') {
            base.push('/');
        }
        let dataset = raw.dataset.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
        (Config { dataset, base, locale, debug, ns, max_bytes, page_size }, warnings)
    }

    /// URL of one of the widget's own files (`data/france-departments.geojson`…).
    pub fn asset(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// The longest namespace.
pub const NS_MAX_LEN: usize = 32;
/// The namespace of the n-th instance mounted without a usable id: `e1`, `e2`…
pub const NS_MOUNT_PREFIX: &str = "e";

/// A namespace usable in links: 1 to [`NS_MAX_LEN`] ASCII letters, digits, `-` or `_`. The loader holds this rule as
/// a regular expression written from [`ns_pattern`] (tests/loader_texts.rs).
pub fn is_valid_ns(id: &str) -> bool {
    !id.is_empty() && id.len() <= NS_MAX_LEN && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// [`is_valid_ns`] as a JavaScript regular expression, for the loader.
pub fn ns_pattern() -> String {
    format!("^[A-Za-z0-9_-]{{1,{NS_MAX_LEN}}}$")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawOptions {
        RawOptions { dataset: Some("https://x.fr/d.json".into()), ..RawOptions::default() }
    }

    #[test]
    fn defaults_are_french_fifty_megabytes_and_the_fallback_namespace() {
        let (c, w) = Config::resolve(raw(), "e1");
        assert!(w.is_empty());
        assert_eq!((c.locale, c.debug, c.ns.as_str(), c.max_bytes), (Locale::Fr, false, "e1", 50_000_000));
    }

    #[test]
    fn every_unusable_value_is_warned_about() {
        let r = RawOptions {
            lang: Some("de".into()),
            id: Some("not valid!".into()),
            max_mb: Some("lots".into()),
            page_size: Some("1000".into()),
            debug: Some("maybe".into()),
            unknown: vec!["data-datset".into()],
            ..raw()
        };
        let (c, w) = Config::resolve(r, "e2");
        assert_eq!(w.len(), 6, "{w:?}");
        assert_eq!((c.locale, c.ns.as_str(), c.page_size), (Locale::Fr, "e2", DEFAULT_PAGE_SIZE));
        assert!(c.debug);
    }

    #[test]
    fn english_debug_and_custom_namespace() {
        let r = RawOptions { lang: Some("en".into()), debug: Some("".into()), id: Some("carte".into()), ..raw() };
        let (c, w) = Config::resolve(r, "e1");
        assert!(w.is_empty());
        assert_eq!((c.locale, c.debug, c.ns.as_str()), (Locale::En, true, "carte"));
    }
}
