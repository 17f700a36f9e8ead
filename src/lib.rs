//! # Essaimage
//!
//! An embeddable explorer of social innovations and how they scale, for French public sites.
//!
//! Module map (see README « Architecture » for the invariants):
//! - pure core, no web dependency, tested natively: [`model`], [`schema`], [`report`], [`territory`],
//!   [`geo`] (projection, map layout, base map), [`cluster`], [`filter`], [`search`], [`state`], [`url_state`], [`config`], [`i18n`], [`text`];
//! - view layer (Yew components, wasm only): `ui`;
//! - embed boundary (`#[wasm_bindgen]` entry points, the only code touching `window`/`document`): `embed`.

pub mod bitset;
pub mod cluster;
pub mod config;
pub mod filter;
pub mod geo;
pub mod i18n;
pub mod json;
pub mod math;
pub mod model;
pub mod report;
pub mod schema;
pub mod search;
pub mod state;
pub mod territory;
pub mod text;
pub mod url_state;

pub mod load;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(target_arch = "wasm32")]
mod embed;

/// Talc instead of dlmalloc: a smaller and faster allocator for WebAssembly (docs/SIZE.md).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
