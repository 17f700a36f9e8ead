//! The loader's texts are the widget's: `static/essaimage.js` shows its loading box and its alert boxes before or
//! without the WebAssembly, so it holds a copy of their texts (`MESSAGES`), written from `src/i18n.rs` (the one
//! source). This test fails when the copy differs; `ESSAIMAGE_BLESS=1 cargo test --test loader_texts` rewrites it.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::fs;

use essaimage::config::{is_valid_ns, ns_pattern, NS_MOUNT_PREFIX};
use essaimage::i18n::{t, LoaderFailure, Locale, Msg};
use essaimage::json::Json;

const LOADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/essaimage.js");
const BEGIN: &str = "// ---- texts and rules: written from src/i18n.rs and src/config.rs by tests/loader_texts.rs";
const END: &str = "// ---- end of what tests/loader_texts.rs writes";
/// The failure details the loader fills in (its `fill`).
const PLACEHOLDERS: [&str; 4] = ["url", "status", "type", "message"];

fn js(s: &str) -> String {
    Json::String(s.to_owned()).to_string()
}

/// The block as it must stand in the loader, from its BEGIN line to its END line (both included).
fn block() -> String {
    let mut out = format!(
        "{BEGIN}\n\
         // (do not edit here: edit the Rust, then\n\
         // `ESSAIMAGE_BLESS=1 cargo test --test loader_texts`; `cargo test` fails while they differ).\n\
         // {{url}}, {{status}}, {{type}} and {{message}} are filled in by fill().\n\
         const MESSAGES = {{\n"
    );
    for locale in [Locale::Fr, Locale::En] {
        out += &format!("  {}: {{\n", locale.tag());
        for (key, msg) in [
            ("title", Msg::ErrorTitle),
            ("label", Msg::WidgetLabel),
            ("loading", Msg::Loading),
            ("none", Msg::NoContentType),
        ] {
            out += &format!("    {key}: {},\n", js(t(locale, msg)));
        }
        for failure in LoaderFailure::ALL {
            let (what, how) = failure.texts(locale);
            out += &format!("    {}: [\n      {},\n      {},\n    ],\n", failure.key(), js(what), js(how));
        }
        out += "  },\n";
    }
    out += "};\n";
    out += "// The instance's namespace before the WebAssembly is there (src/config.rs decides it: namespaceOf()).\n";
    out += &format!("const NS_PATTERN = /{}/;\nconst NS_MOUNT_PREFIX = {};\n", ns_pattern(), js(NS_MOUNT_PREFIX));
    out += END;
    out
}

#[test]
fn the_loader_shows_the_texts_of_src_i18n() {
    let file = fs::read_to_string(LOADER).expect("static/essaimage.js");
    let start = file.find(BEGIN).expect("the loader has the BEGIN line of its texts");
    let end = file[start..].find(END).map(|e| start + e + END.len()).expect("the loader has the END line of its texts");
    let expected = block();
    if file[start..end] == expected {
        return;
    }
    if std::env::var_os("ESSAIMAGE_BLESS").is_some() {
        fs::write(LOADER, format!("{}{expected}{}", &file[..start], &file[end..])).expect("write static/essaimage.js");
        return;
    }
    let first_difference = file[start..end]
        .lines()
        .zip(expected.lines())
        .find(|(a, b)| a != b)
        .map_or_else(|| "(a line more or less)".to_owned(), |(a, b)| format!("\n  loader: {a}\n  i18n:   {b}"));
    panic!(
        "static/essaimage.js's texts or rules differ from src/i18n.rs's and src/config.rs's: edit them in the Rust, then run \
         `ESSAIMAGE_BLESS=1 cargo test --test loader_texts` to write them into the loader. First difference: \
         {first_difference}"
    );
}

/// The loader's regular expression of usable namespaces is config.rs's rule.
#[test]
fn the_namespace_pattern_is_the_rule_of_config() {
    let max = "a".repeat(32);
    let too_long = "a".repeat(33);
    for id in ["e1", "carte", "Carte_2-b", max.as_str(), "", "a b", "été", "a.b", too_long.as_str(), " x"] {
        let by_pattern =
            !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        assert_eq!(is_valid_ns(id), by_pattern, "{id:?}");
    }
    assert_eq!(ns_pattern(), "^[A-Za-z0-9_-]{1,32}$");
}

/// Every `{name}` in a failure's texts is a detail the loader has for it, and nothing else looks like one.
#[test]
fn the_loader_can_fill_in_every_placeholder() {
    for locale in [Locale::Fr, Locale::En] {
        for failure in LoaderFailure::ALL {
            let (what, how) = failure.texts(locale);
            let mut found = BTreeSet::new();
            for text in [what, how] {
                for (i, _) in text.match_indices('{') {
                    let name: String = text[i + 1..].chars().take_while(|c| c.is_ascii_lowercase()).collect();
                    if text[i + 1 + name.len()..].starts_with('}') {
                        assert!(PLACEHOLDERS.contains(&name.as_str()), "{failure:?} {locale:?}: unknown {{{name}}}");
                        found.insert(name);
                    }
                }
            }
            // Both languages name the same details.
            let (other_what, other_how) = failure.texts(if locale == Locale::Fr { Locale::En } else { Locale::Fr });
            for name in &found {
                let mark = format!("{{{name}}}");
                assert!(
                    other_what.contains(&mark) || other_how.contains(&mark),
                    "{failure:?}: {{{name}}} in {locale:?} only"
                );
            }
        }
    }
}
