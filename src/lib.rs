//! # Essaimage
//!
//! An embeddable explorer of social innovations and how they scale, for French public sites.
//!
//! Module map (docs/ARCHITECTURE.md has the data flow and the invariants, with what checks each):
//! - pure core, no web dependency, tested natively:
//!   - reading a dataset: [`json`] (the JSON reader and the layout scanner), [`schema`] (the `essaimage/1` rules:
//!     document, meta, record), [`report`] (problems and fatal errors, fr/en), [`load`] (the loading pipeline,
//!     by pieces and by slices);
//!   - the data: [`model`] (innovations, places, vocabularies), [`territory`] (regions, departments, communes,
//!     place resolution);
//!   - exploring it: [`bitset`], [`filter`] (the facet index, `Index::apply`), [`search`] (the word index),
//!     [`state`] (the reducer's logic), [`url_state`] (the hash codec);
//!   - the map's geometry: [`geo`] (projection, layout, base map, viewport), [`cluster`], [`math`];
//!   - the « Synthèse » view's figures and the exports: [`synthesis`] (funnel, territory × stage, stalled
//!     innovations, replicas per year), [`export`] (CSV, JSON, file names, citation);
//!   - around them: [`config`] (embed options), [`i18n`] (interface texts), [`text`] (folding, words, the URL gate);
//! - view layer (Yew components, wasm only): `ui/`;
//! - embed boundary (`#[wasm_bindgen]` entry points, the only code touching `window`/`document`): `embed/`;
//! - with the `import` feature: `import` (spreadsheets to datasets, for the tool and the check page); with the
//!   `check` feature (wasm only): `check_page`, the check page's entry points, built as a separate wasm instead of
//!   the widget's (scripts/build-dist.sh).

pub mod bitset;
mod bytes;
pub mod cluster;
pub mod config;
pub mod export;
pub mod filter;
pub mod geo;
pub mod i18n;
pub mod json;
pub mod math;
pub mod model;
pub mod outlines;
#[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
pub mod pack;
pub mod report;
pub mod schema;
pub mod search;
pub mod state;
pub mod synthesis;
pub mod territory;
pub mod text;
pub mod url_state;

pub mod load;

#[cfg(target_arch = "wasm32")]
pub mod ui;

// The check page's wasm carries no widget: it is a separate module, and the page mounts the real widget.
#[cfg(all(target_arch = "wasm32", not(feature = "check")))]
mod embed;

#[cfg(feature = "import")]
pub mod import;

#[cfg(all(target_arch = "wasm32", feature = "check"))]
mod check_page;

/// Talc instead of dlmalloc: a smaller and faster allocator for WebAssembly (docs/SIZE.md).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
