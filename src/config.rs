//! Embed options: raw values from data attributes or `Essaimage.mount(el, {...})` → a resolved [`Config`].
//!
//! As in ripgrep's low-level/high-level arguments: the loader passes what the page author wrote, untouched
//! (strings), and this module validates it, applying documented defaults and returning a warning for every value
//! it could not use (never silently ignored).

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
    /// Namespace of this instance in the URL hash.
    pub id: Option<String>,
    /// `data-max-mb`: dataset size limit in megabytes.
    pub max_mb: Option<String>,
    /// `data-page-size`: results per page.
    pub page_size: Option<String>,
    /// Options the loader did not recognise, by name, for warnings.
    pub unknown: Vec<String>,
}

impl RawOptions {
    /// Reads the JSON object the loader writes (`{"dataset": "…", "lang": null, "unknown": ["…"]}`). Values that
    /// are not strings are ignored, as absent.
    pub fn from_json(json: &str) -> Result<RawOptions, String> {
        let o = json::parse(json).map_err(|e| e.to_string())?;
        o.as_object().ok_or("options must be a JSON object")?;
        let text = |k: &str| o.get(k).and_then(Json::as_str).map(str::to_owned);
        Ok(RawOptions {
            dataset: text("dataset"),
            base: text("base"),
            lang: text("lang"),
            debug: text("debug"),
            id: text("id"),
            max_mb: text("max_mb"),
            page_size: text("page_size"),
            unknown: o
                .get("unknown")
                .and_then(Json::as_array)
                .map(|a| a.iter().filter_map(Json::as_str).map(str::to_owned).collect())
                .unwrap_or_default(),
        })
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
    /// Resolves raw options. `fallback_ns` is used when no valid `id` is given (`e1`, `e2`… in mount order).
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
        let ns = match raw.id.as_deref().map(str::trim) {
            Some(id) if is_valid_ns(id) => id.to_owned(),
            Some(id) if !id.is_empty() => {
                warnings.push(format!(
                    "id \"{id}\" cannot be used in links (use letters, digits, \"-\" or \"_\", at most 32); using \"{fallback_ns}\"."
                ));
                fallback_ns.to_owned()
            }
            _ => fallback_ns.to_owned(),
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

fn is_valid_ns(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
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
