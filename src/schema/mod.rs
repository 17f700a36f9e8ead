//! The dataset's wire format (schema `essaimage/1`, see `static/schema/essaimage-1.schema.json`) and its
//! validation into a [`Dataset`] plus a [`DataReport`].
//!
//! Only this module knows JSON shapes. Validation keeps every valid thing and explains every problem: the
//! document's layout is found first (where each top-level value and each record is), then the records are parsed
//! and read one at a time, a slice at a time if the caller wants ([`Reading`]), from wherever the bytes are
//! ([`Source`]); a document that does not read that way is read whole ([`read_whole`]), for the exact error. A
//! 50 MB dataset is never held as one tree, and a bad record or value never hides the others. Fatal errors are
//! only those of docs/DATASET.md (not JSON, wrong shape, unsupported version, too large).

mod document;
mod meta;
mod record;

use std::ops::Range;

use crate::json;
use crate::model::Dataset;
use crate::report::{DataReport, LoadError};
use document::{read_top_by_pieces, Run};

pub use document::read_whole;
pub use record::{is_valid_id, RECORD_FIELDS};

/// The schema major version this widget reads.
pub const SCHEMA: &str = "essaimage/1";
pub const NAME_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 2_000;
pub const TITLE_MAX: usize = 300;
/// Vocabulary labels are shown in filters, tags and chips.
pub const LABEL_MAX: usize = 100;
/// A vocabulary value's definition: one or two sentences.
pub const DEFINITION_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const YEAR_MIN: i64 = 1800;
/// The cause given for a file that is not UTF-8 (both languages: the reader's causes are not translated).
pub const INVALID_UTF8: &str = "invalid UTF-8 / UTF-8 invalide";
/// Default size limit of a dataset, in bytes (docs/DATASET.md).
pub const DEFAULT_MAX_BYTES: u64 = 50_000_000;

/// What validation needs to know besides the bytes.
#[derive(Clone, Debug)]
pub struct ValidateOptions {
    /// Where the bytes came from, for messages.
    pub url: String,
    /// The current year: `started` may be at most next year.
    pub current_year: i64,
    pub max_bytes: u64,
}

/// The bytes of a dataset, wherever they are: in this memory (`[u8]`), or in the browser's, where the embed
/// boundary leaves a downloaded file so that the wasm memory (which never shrinks) does not keep its peak.
pub trait Source {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Copies the bytes of `range` into `out` (replacing its content).
    fn read(&self, range: Range<usize>, out: &mut Vec<u8>);
}

impl Source for &[u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn read(&self, range: Range<usize>, out: &mut Vec<u8>) {
        out.clear();
        out.extend_from_slice(&self[range]);
    }
}

/// Validates a dataset. `Err` only for the fatal cases of docs/DATASET.md; everything else is in the report.
pub fn validate(bytes: &[u8], opts: &ValidateOptions) -> Result<(Dataset, DataReport), LoadError> {
    validate_source(&bytes, opts)
}

/// [`validate`], reading the bytes a piece at a time (see [`Reading`]).
pub fn validate_source(src: &dyn Source, opts: &ValidateOptions) -> Result<(Dataset, DataReport), LoadError> {
    let mut reading = Reading::start(src, None, opts);
    while !reading.step(usize::MAX) {}
    reading.into_result()
}

/// A dataset being read: the document's layout first ([`json::Layout`], found as it downloads or by a scan), then
/// each top-level value, then the records, a slice at a time ([`Reading::step`]), so that only the record being read
/// is ever copied here and the caller can show progress, and the records read so far ([`Reading::partial`]),
/// between slices. A document that does not read that way (any syntax error, invalid UTF-8, a fatal error) is
/// read again whole, which gives the exact error and its line and column.
pub struct Reading<'s> {
    src: &'s dyn Source,
    opts: ValidateOptions,
    run: Option<Run<'s>>,
    outcome: Option<Result<(Dataset, DataReport), LoadError>>,
}

impl<'s> Reading<'s> {
    /// Starts reading `src`, whose layout may already be known (`Some`: found while it downloaded).
    pub fn start(src: &'s dyn Source, layout: Option<json::Layout>, opts: &ValidateOptions) -> Reading<'s> {
        let mut reading = Reading { src, opts: opts.clone(), run: None, outcome: None };
        if src.len() as u64 > opts.max_bytes {
            let bytes = Some(src.len() as u64);
            reading.outcome = Some(Err(LoadError::TooLarge { url: opts.url.clone(), bytes, limit: opts.max_bytes }));
        } else {
            match read_top_by_pieces(src, layout).map(|(top, records)| Run::begin(top, Box::new(records), opts)) {
                Some(Ok(run)) => reading.run = Some(run),
                _ => reading.read_whole(),
            }
        }
        reading
    }

    fn read_whole(&mut self) {
        self.run = None;
        let mut bytes = Vec::new();
        self.src.read(0..self.src.len(), &mut bytes);
        self.outcome = Some(read_whole(&bytes, &self.opts));
    }

    /// Reads up to `max` more records; true once the whole dataset is read.
    pub fn step(&mut self, max: usize) -> bool {
        if let Some(run) = &mut self.run {
            match run.records(max) {
                Some(true) => self.outcome = self.run.take().map(|r| Ok(r.finish())),
                Some(false) => {}
                None => self.read_whole(),
            }
        }
        self.outcome.is_some()
    }

    /// Records read so far, and in the file (0 and 0 when the document is read whole).
    pub fn progress(&self) -> (usize, usize) {
        self.run.as_ref().map_or((0, 0), |r| (r.next, r.records.count()))
    }

    /// The records kept so far, as a dataset, while reading, or all of them once read: the first records of a file
    /// still downloading may be all that its layout so far holds, and a slice that reads them ends the reading.
    pub fn partial(&self) -> Option<Dataset> {
        let (meta, vocabularies, innovations) = match (&self.run, &self.outcome) {
            (Some(r), _) => (&r.meta, &r.ctx.vocabularies, &r.innovations),
            (None, Some(Ok((d, _)))) => (&d.meta, &d.vocabularies, &d.innovations),
            _ => return None,
        };
        Some(Dataset { meta: meta.clone(), vocabularies: vocabularies.clone(), innovations: innovations.clone() })
    }

    /// The dataset and its report, or the fatal error (call once [`Reading::step`] said it is done).
    pub fn into_result(self) -> Result<(Dataset, DataReport), LoadError> {
        self.outcome.unwrap_or(Err(LoadError::NoDataset))
    }
}
