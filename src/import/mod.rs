//! Spreadsheets to the widget: the import of a table (CSV, TSV, XLSX, XLS, ODS, GeoJSON points) into an
//! `essaimage/1` dataset, and the data report of a dataset file, shared by the command-line tool `essaimage`
//! (src/bin/essaimage/) and the « Vérifier mon fichier » page (`check_page`, its own wasm module).
//!
//! Compiled only with the cargo feature `import` (its dependencies — csv, calamine, encoding_rs, serde,
//! serde_json, toml — are optional), so neither the widget's wasm nor the pure core carry it.
//!
//! - [`table`]: a table's cells whatever it was saved as (encoding and delimiter detected), with its header;
//! - [`columns`]: which field a header names, and which headers or values look like personal data;
//! - [`mapping`]: the `--mapping` file (TOML);
//! - [`places`]: placing a row on the commune table;
//! - [`convert`]: a table to a dataset, every row imported or reported ([`issues`]: the messages, fr/en);
//! - [`reference`]: the widget's loading (`load::load_pieces`) and its reference data;
//! - [`check`]: a dataset's report as `essaimage check` prints it.

pub mod check;
pub mod columns;
pub mod convert;
pub mod issues;
pub mod mapping;
pub mod places;
pub mod reference;
pub mod table;
