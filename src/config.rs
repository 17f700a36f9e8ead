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
    /// `data-heading-level`: the level of the widget's title (2 to 6), the page's outline around it.
    pub heading_level: Option<String>,
    /// Options the loader did not recognise, by name, for warnings.
    pub unknown: Vec<String>,
    /// Warnings about options given a value of a type they cannot take (`mount(el, {dataset: 42})`). Such an
    /// option counts as absent.
    pub wrong_types: Vec<String>,
}

/// What an option of the loader's JSON accepts besides a string, which is read as its text too.
#[derive(Clone, Copy, PartialEq)]
enum Accepts {
    Text,
    Bool,
    Number,
}

impl RawOptions {
    /// Reads the JSON object the loader writes (`{"dataset": "…", "lang": null, "unknown": ["…"]}`). Each option's
    /// value is what the page author gave, untouched when it is a string, a number or a boolean (attributes are
    /// always strings; `Essaimage.mount()` takes any value); the loader writes any other value as
    /// `{"type": "function"}` (its JavaScript type). A value of a type the option cannot take is warned about
    /// ([`RawOptions::wrong_types`]), never dropped in silence. `base` is always the folder the loader used: a
    /// `base` option it could not use is given as `base_given`.
    pub fn from_json(json: &str) -> Result<RawOptions, String> {
        let o = json::parse(json).map_err(|e| e.to_string())?;
        o.as_object().ok_or("options must be a JSON object")?;
        let mut wrong = Vec::new();
        let mut option = |key: &str, name: &str, expected: &str, accepts: Accepts| match o.get(key) {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(v @ Json::Bool(_)) if accepts == Accepts::Bool => Some(v.to_string()),
            Some(Json::Number(n)) if accepts == Accepts::Number => Some(n.as_str().to_owned()),
            Some(other) => {
                wrong.push(wrong_type(name, expected, other));
                None
            }
        };
        let text = "a text";
        let mut raw = RawOptions {
            dataset: option("dataset", "dataset", "a text (the address of the JSON file)", Accepts::Text),
            base: option("base", "base", text, Accepts::Text),
            lang: option("lang", "lang", "a text (\"fr\" or \"en\")", Accepts::Text),
            debug: option("debug", "debug", "true, false or a text", Accepts::Bool),
            id: option("id", "id", text, Accepts::Text),
            max_mb: option("max_mb", "maxMb", "a whole number", Accepts::Number),
            page_size: option("page_size", "pageSize", "a whole number", Accepts::Number),
            heading_level: option("heading_level", "headingLevel", "a whole number", Accepts::Number),
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
            wrong_types: Vec::new(),
        };
        if let Some(given) = o.get("base_given").filter(|g| !g.is_null()) {
            wrong.push(wrong_type("base", text, given));
        }
        raw.wrong_types = wrong;
        Ok(raw)
    }
}

/// The warning for an option given a value of a type it cannot take: « option "lang" must be a text, not a boolean
/// (true); it was ignored. »
fn wrong_type(name: &str, expected: &str, value: &Json) -> String {
    let found = match value {
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::Array(_) => "a list",
        Json::Object(_) => match value.get("type").and_then(Json::as_str) {
            Some("function") => "a function",
            Some("symbol") => "a symbol",
            Some("bigint") => "a BigInt",
            Some("number") => "a number that is not finite",
            Some("array") => "a list",
            _ => "an object",
        },
        _ => "a text",
    };
    let shown = match value {
        Json::Bool(_) | Json::Number(_) => format!(" ({value})"),
        _ => String::new(),
    };
    format!("option \"{name}\" must be {expected}, not {found}{shown}; it was ignored.")
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
    /// The level of the widget's title (`h2` to `h6`); every heading of the widget follows from it.
    pub heading_level: u8,
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
        warnings.extend(raw.wrong_types.iter().cloned());
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
        let heading_level = match raw.heading_level.as_deref().map(str::trim) {
            None | Some("") => 2,
            Some(h) => match h.parse::<u8>() {
                Ok(n @ 2..=6) => n,
                _ => {
                    warnings.push(format!("data-heading-level=\"{h}\" must be a whole number from 2 to 6; using 2."));
                    2
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
        (Config { dataset, base, locale, debug, ns, max_bytes, page_size, heading_level }, warnings)
    }

    /// URL of one of the widget's own files (`data/france-departments.bin`…).
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
    fn heading_level_is_two_to_six_else_two_with_a_warning() {
        let level = |h: Option<&str>| {
            let (c, w) = Config::resolve(RawOptions { heading_level: h.map(str::to_owned), ..raw() }, "e1");
            (c.heading_level, w.len())
        };
        assert_eq!(level(None), (2, 0));
        assert_eq!(level(Some(" ")), (2, 0));
        assert_eq!(level(Some("3")), (3, 0));
        assert_eq!(level(Some(" 6 ")), (6, 0));
        for bad in ["1", "7", "h3", "2.5", "-3"] {
            assert_eq!(level(Some(bad)), (2, 1), "{bad}");
        }
    }

    #[test]
    fn heading_level_from_the_loader_json_as_a_number_or_a_text() {
        let json = |v: &str| RawOptions::from_json(&format!("{{\"heading_level\": {v}}}")).unwrap();
        assert_eq!(json("4").heading_level.as_deref(), Some("4"));
        assert_eq!(json("\"5\"").heading_level.as_deref(), Some("5"));
        let r = json("true");
        assert_eq!((r.heading_level, r.wrong_types.len()), (None, 1));
        assert!(r.wrong_types[0].contains("headingLevel"), "{:?}", r.wrong_types);
    }

    #[test]
    fn english_debug_and_custom_namespace() {
        let r = RawOptions { lang: Some("en".into()), debug: Some("".into()), id: Some("carte".into()), ..raw() };
        let (c, w) = Config::resolve(r, "e1");
        assert!(w.is_empty());
        assert_eq!((c.locale, c.debug, c.ns.as_str()), (Locale::En, true, "carte"));
    }
}
