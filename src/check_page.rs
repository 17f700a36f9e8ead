//! The « Vérifier mon fichier » page's entry points (`static/verifier.html`, `static/verifier.js`): a separate wasm
//! module, built with the `check` feature into `dist/check/` (scripts/build-dist.sh), so the widget's payload does
//! not carry the table reading.
//!
//! The page reads a file the visitor chose (nothing leaves the browser) and gets, from [`check_file`], the same
//! report as the command-line tool: for a dataset, `essaimage check --format json`'s object; for a table, the
//! import's issues (row, column, message) and summary, the converted dataset and the row report CSV of
//! `essaimage import -o … --report …`, then the converted dataset's own report.
//!
//! The widget's `debug` option shows the same report in the widget: the loader (`static/essaimage.js`) loads this
//! module only then and gets it from [`widget_report`], so the widget's own wasm carries none of the report's
//! messages.

use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use crate::i18n::{report_texts, Locale};
use crate::import::check::{error_json, report_json, report_text};
use crate::import::columns::looks_like_header;
use crate::import::convert::{convert, has_names, report_csv};
use crate::import::issues::Severity;
use crate::import::mapping::Mapping;
use crate::import::reference::{self, load_like_widget, load_with};
use crate::import::table;
use crate::load::Loaded;
use crate::report::LoadError;

/// Gives the reference data the page downloaded from the widget's folder (`data/france-departments.bin`,
/// `data/communes.csv`), and the browser's year (the widget's limit for `started`). Call once, before [`check_file`].
#[wasm_bindgen]
pub fn provide_reference(departments: Vec<u8>, communes: String, year: i32) {
    reference::provide(departments, communes);
    reference::set_current_year(i64::from(year));
}

/// Checks a file: `name` (its file name) tells a dataset (`.json`, or `.pack`: its packed form) from a table (any
/// other: CSV, TSV, XLSX, XLS, ODS, GeoJSON); `lang` is `fr` or `en`. Returns a JSON object:
/// `{file, kind: "dataset"|"table", fatal: null|{title, detail}, import: null|{…}, check: null|{…}, lines: […]}`,
/// where `check` is `essaimage check --format json`'s object (of the file, or of the converted table) and `lines`
/// its text lines.
#[wasm_bindgen]
pub fn check_file(bytes: Vec<u8>, name: &str, lang: &str) -> String {
    let locale = Locale::parse(lang).unwrap_or(Locale::Fr);
    // A dataset: its JSON, or its packed form (`essaimage pack`), whose report travels with it.
    let is_dataset =
        name.rsplit_once('.').is_some_and(|(_, ext)| ["json", "pack"].iter().any(|d| ext.eq_ignore_ascii_case(d)));
    let out = if is_dataset { check_dataset(&bytes, name, locale) } else { check_table(bytes, name, locale) };
    out.to_string()
}

fn check_dataset(bytes: &[u8], name: &str, locale: Locale) -> Value {
    let (check, lines) = report_of(bytes, name, locale);
    json!({"file": name, "kind": "dataset", "fatal": null, "import": null, "check": check, "lines": lines})
}

/// The report of a dataset as the tool gives it: the JSON object and the text lines.
fn report_of(bytes: &[u8], name: &str, locale: Locale) -> (Value, Vec<String>) {
    report_of_loaded(load_like_widget(bytes, name), name, locale)
}

fn report_of_loaded(loaded: Result<Loaded, LoadError>, name: &str, locale: Locale) -> (Value, Vec<String>) {
    match loaded {
        Ok(loaded) => (report_json(&loaded, name, locale), report_text(&loaded, locale)),
        Err(e) => {
            let (title, detail) = e.message(locale);
            (error_json(name, &title, &detail), vec![title, detail])
        }
    }
}

/// The data report of a dataset the widget has read, for its `debug` option: [`check_file`]'s report (`essaimage
/// check`'s) of the same bytes, in the widget's language `lang`, read through the same pipeline with the reference
/// data the widget downloaded: `departments` (the bytes of `data/france-departments.bin`), and the commune table
/// (`communes`, the text of `data/communes.csv`, or `communes_failed`, why it could not be had), needed only when a
/// place is given by its commune alone. Without either, such a file gives `{"needs_communes": true}` and the loader
/// asks again with the table. Otherwise `{title, intro, problems_label, check, lines}`: the panel's texts, then
/// `check` and `lines` as [`check_file`] gives them. No size limit: the widget has applied its own.
#[wasm_bindgen]
pub fn widget_report(
    bytes: Vec<u8>,
    name: &str,
    lang: &str,
    departments: Vec<u8>,
    communes: Option<String>,
    communes_failed: Option<String>,
) -> String {
    let locale = Locale::parse(lang).unwrap_or(Locale::Fr);
    let mut needed = false;
    let loaded = load_with(&bytes, name, departments, u64::MAX, || match (communes, communes_failed) {
        (Some(table), _) => Ok(table),
        (None, Some(why)) => Err(why),
        (None, None) => {
            needed = true;
            Err(String::new())
        }
    });
    if needed {
        return json!({"needs_communes": true}).to_string();
    }
    let (check, lines) = report_of_loaded(loaded, name, locale);
    let [title, intro, problems_label] = report_texts(locale);
    json!({"title": title, "intro": intro, "problems_label": problems_label, "check": check, "lines": lines})
        .to_string()
}

fn check_table(bytes: Vec<u8>, name: &str, locale: Locale) -> Value {
    let mapping = Mapping::default();
    let read =
        table::from_bytes(bytes, name, None, &looks_like_header).and_then(|t| has_names(&t, &mapping).map(|()| t));
    let table = match read {
        Ok(t) => t,
        Err(f) => {
            let title = match locale {
                Locale::Fr => "Tableau illisible",
                Locale::En => "Unreadable table",
            };
            return json!({
                "file": name, "kind": "table", "fatal": {"title": title, "detail": f.message(locale)},
                "import": null, "check": null, "lines": [],
            });
        }
    };
    let converted = convert(&table, &mapping);
    let mut text = serde_json::to_string_pretty(&converted.document).unwrap_or_default();
    text.push('\n');
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let json_name = format!("{stem}.json");
    let csv = report_csv(&converted.issues, locale).map(|b| String::from_utf8_lossy(&b).into_owned());
    let issues: Vec<Value> = converted
        .sorted_issues()
        .into_iter()
        .map(|i| {
            json!({
                "line": i.line,
                "column": i.column,
                "value": i.value,
                "severity": match i.severity() {
                    Severity::Rejected => "rejected",
                    Severity::Warning => "warning",
                    Severity::Note => "note",
                },
                "severity_word": i.severity().word(locale),
                "message": i.message(locale),
                "text": i.describe(locale),
            })
        })
        .collect();
    let (check, lines) = report_of(text.as_bytes(), &json_name, locale);
    json!({
        "file": name,
        "kind": "table",
        "fatal": null,
        "import": {
            "summary": converted.summary(&table, name, locale),
            "rows": converted.rows,
            "imported": converted.imported,
            "issues": issues,
            "json_name": json_name,
            "json": text,
            "report_name": format!("{stem}-lignes.csv"),
            "report_csv": csv.unwrap_or_default(),
        },
        "check": check,
        "lines": lines,
    })
}
