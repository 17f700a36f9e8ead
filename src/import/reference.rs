//! The widget's loading, as the tool and the check page run it, and the reference data shipped with the widget
//! (the department outlines and the commune table of `static/data/`).
//!
//! Natively they are embedded in the program, so the tool works from any folder and offline. In the check page's
//! wasm they are not (the commune table alone is 2.2 MB): the page downloads them from its own folder, as the widget
//! does, and gives them with [`provide`] before reading a file.

use std::borrow::Cow;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;

use crate::load::{load_pieces, Loaded, Setup};
use crate::report::LoadError;
use crate::schema::{self, ValidateOptions};
use crate::territory::{CommuneIndex, Territories};

#[cfg(not(target_arch = "wasm32"))]
pub const COMMUNES_CSV: &str = include_str!("../../static/data/communes.csv");

struct Texts {
    departments: Cow<'static, [u8]>,
    communes: Cow<'static, str>,
}

static TEXTS: OnceLock<Texts> = OnceLock::new();
/// The year given by [`set_current_year`] (0: none).
static YEAR: AtomicI64 = AtomicI64::new(0);

/// Gives the reference data (the bytes of `data/france-departments.bin` and the text of `data/communes.csv`), once,
/// before any file is read; natively the embedded copies are used when nothing was given. `false` if already given.
pub fn provide(departments: Vec<u8>, communes: String) -> bool {
    TEXTS.set(Texts { departments: Cow::Owned(departments), communes: Cow::Owned(communes) }).is_ok()
}

fn texts() -> &'static Texts {
    TEXTS.get_or_init(|| {
        #[cfg(not(target_arch = "wasm32"))]
        {
            Texts { departments: Cow::Borrowed(crate::outlines::FILE), communes: Cow::Borrowed(COMMUNES_CSV) }
        }
        #[cfg(target_arch = "wasm32")]
        panic!("import::reference::provide must be called before a file is read")
    })
}

/// Loads a dataset file as the widget does, so a file gets the same report in both: the same loading pipeline
/// (`load::load_pieces`: the file read in the pieces a download would bring, validated, places resolved, indexed),
/// with the departments and the commune table the widget downloads (the table only when a place needs it).
pub fn load_like_widget(bytes: &[u8], name: &str) -> Result<Loaded, LoadError> {
    let communes = || Ok(texts().communes.clone().into_owned());
    load_with(bytes, name, texts().departments.clone().into_owned(), schema::DEFAULT_MAX_BYTES, communes)
}

/// [`load_like_widget`] with the department outlines given, a size limit, and the commune table asked of
/// `communes` only when a place needs it (the widget's `debug` report gives what the widget downloaded).
pub fn load_with(
    bytes: &[u8],
    name: &str,
    departments: Vec<u8>,
    max_bytes: u64,
    communes: impl FnOnce() -> Result<String, String>,
) -> Result<Loaded, LoadError> {
    let options = ValidateOptions { url: name.to_owned(), current_year: current_year(), max_bytes };
    let setup = Setup { options, departments, departments_url: "data/france-departments.bin".to_owned() };
    load_pieces(setup, bytes.chunks(1 << 16).map(<[u8]>::to_vec), communes)
}

/// The departments and regions (parsed once).
pub fn territories() -> &'static Territories {
    static T: OnceLock<Territories> = OnceLock::new();
    T.get_or_init(|| crate::outlines::read(&texts().departments).expect("the department outlines"))
}

/// The whole commune table with its lookups (parsed once).
pub fn commune_index() -> &'static CommuneIndex {
    static C: OnceLock<CommuneIndex> = OnceLock::new();
    C.get_or_init(|| CommuneIndex::from_csv(&texts().communes).expect("the commune table"))
}

/// Sets the current year (the check page gives the browser's, as the widget takes it).
pub fn set_current_year(year: i64) {
    YEAR.store(year, Ordering::Relaxed);
}

/// The current year, as the widget takes it from the browser's clock (`started` may be at most next year): the one
/// given by [`set_current_year`], else natively `ESSAIMAGE_YEAR` (for reproducible reports and tests) or the
/// system clock.
pub fn current_year() -> i64 {
    match YEAR.load(Ordering::Relaxed) {
        0 => clock_year(),
        y => y,
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn clock_year() -> i64 {
    if let Some(y) = std::env::var("ESSAIMAGE_YEAR").ok().and_then(|y| y.trim().parse().ok()) {
        return y;
    }
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400)).0
}

#[cfg(target_arch = "wasm32")]
fn clock_year() -> i64 {
    i64::from(js_sys::Date::new_0().get_full_year())
}

/// (year, month, day) of a day counted from 1970-01-01 (H. Hinnant's algorithm, proleptic Gregorian).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}
