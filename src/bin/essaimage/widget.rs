//! The widget's loading, as the tool runs it, and the reference data shipped with the widget (embedded in the
//! binary, so the tool works from any folder and offline).

use std::sync::OnceLock;

use essaimage::load::{load_pieces, Loaded, Setup};
use essaimage::report::LoadError;
use essaimage::schema::{self, ValidateOptions};
use essaimage::territory::{CommuneIndex, Territories};

pub const DEPARTMENTS_GEOJSON: &str = include_str!("../../../static/data/france-departments.geojson");
pub const COMMUNES_CSV: &str = include_str!("../../../static/data/communes.csv");

/// Loads a dataset file as the widget does, so a file gets the same report in both: the same loading pipeline
/// (`load::load_pieces`: the file read in the pieces a download would bring, validated, places resolved, indexed),
/// with the departments and the commune table the widget downloads (the table only when a place needs it).
pub fn load_like_widget(bytes: &[u8], name: &str) -> Result<Loaded, LoadError> {
    let options =
        ValidateOptions { url: name.to_owned(), current_year: current_year(), max_bytes: schema::DEFAULT_MAX_BYTES };
    let setup = Setup {
        options,
        departments: DEPARTMENTS_GEOJSON.to_owned(),
        departments_url: "data/france-departments.geojson".to_owned(),
    };
    load_pieces(setup, bytes.chunks(1 << 16).map(<[u8]>::to_vec), || Ok(COMMUNES_CSV.to_owned()))
}

/// The departments and regions (parsed once).
pub fn territories() -> &'static Territories {
    static T: OnceLock<Territories> = OnceLock::new();
    T.get_or_init(|| Territories::from_geojson(DEPARTMENTS_GEOJSON).expect("the embedded department outlines"))
}

/// The whole commune table with its lookups (parsed once).
pub fn commune_index() -> &'static CommuneIndex {
    static C: OnceLock<CommuneIndex> = OnceLock::new();
    C.get_or_init(|| CommuneIndex::from_csv(COMMUNES_CSV).expect("the embedded commune table"))
}

/// The current year, as the widget takes it from the browser's clock (`started` may be at most next year).
/// `ESSAIMAGE_YEAR` overrides it, for reproducible reports and tests.
pub fn current_year() -> i64 {
    if let Some(y) = std::env::var("ESSAIMAGE_YEAR").ok().and_then(|y| y.trim().parse().ok()) {
        return y;
    }
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    civil_from_days(secs.div_euclid(86_400)).0
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
