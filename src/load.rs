//! The loading pipeline, pure: fed the dataset's bytes as they arrive, then stepped a slice at a time, it gives the
//! first records to show while the file still downloads, the progress, and the dataset ready to explore with its
//! data report — or the fatal error. It has no web dependency: the embed boundary only fetches, feeds and awaits
//! it (giving the browser its turn between two steps), and the command-line tool and the native tests run the same
//! code, so a file gets the same report everywhere.
//!
//! ```text
//! Download::feed(piece)*  ── Early(first records) ──▶ shown while the rest arrives
//!        │ finish()
//!        ▼
//! Build::step()*: read records (validate) ─▶ Validated ─▶ [NeedsCommunes ─▶ Build::communes(table)]
//!                 ─▶ resolve places ─▶ word index ─▶ facet index ─▶ Done(Loaded | LoadError)
//! ```
//!
//! Every step does a bounded amount of work ([`SLICE`] records), so that a 100,000-record dataset never blocks the
//! page for long; how long each step takes is measured in docs/PERFORMANCE.md.

use std::ops::Range;

use crate::filter::{Index, IndexBuilder};
use crate::json::Scanner;
use crate::model::Dataset;
#[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
use crate::pack::{self, is_pack, PackError, PackedIndex, Unpacking, MAGIC};
use crate::report::{DataReport, LoadError};
use crate::schema::{Reading, Source, ValidateOptions};
use crate::search::{WordIndex, WordIndexBuilder};
#[cfg_attr(feature = "packed", allow(unused_imports))]
use crate::territory::{dataset_needs_communes, resolve_dataset, resolve_records, CommuneIndex, Territories};

/// Whether this build reads packed datasets (`crate::pack`): natively and in the check page's wasm, both formats are
/// read, told apart by the file's first bytes; the widget has one build per format (the `packed` feature), which
/// the loader chooses from the same bytes, so that neither build carries the other's reader (docs/SIZE.md).
pub const READS_PACKS: bool = cfg!(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"));
/// Whether this build reads JSON datasets: every one but the widget's build for packed files.
pub const READS_JSON: bool = cfg!(not(feature = "packed"));

/// Records handled per step, and shown first while a large file downloads.
pub const SLICE: usize = 2_000;
/// Records whose places, words and facet values are indexed per step (cheaper per record than reading).
const INDEX_SLICE: usize = 5_000;

/// A dataset ready to explore: its index (which owns the dataset) and what validation had to say about it.
pub struct Loaded {
    pub index: Index,
    pub report: DataReport,
}

/// Resolves places and builds the index of a dataset already in memory, at once (the browser tests and the
/// fuzzing harness build datasets by hand). `communes` is the commune table, or why it could not be loaded (then
/// places given only by a commune code fall back to their department's centre). [`Build`] runs the same steps a
/// slice at a time.
pub fn build_loaded(
    mut dataset: Dataset,
    mut report: DataReport,
    territories: Territories,
    communes: Result<&CommuneIndex, &str>,
) -> Loaded {
    resolve_dataset(&mut dataset, &territories, communes, &mut report);
    Loaded { index: Index::build(dataset, territories), report }
}

/// One piece of a file as it arrived: a `Vec<u8>` natively, a `Uint8Array` left in the browser's memory by the
/// embed boundary (so that the wasm memory, which never shrinks, does not keep a 100 MB file's bytes).
pub trait Piece {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Copies the bytes of `range` (within this piece) into `out`, whose length is the range's.
    fn copy_to(&self, range: Range<usize>, out: &mut [u8]);
}

impl Piece for Vec<u8> {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }
    fn copy_to(&self, range: Range<usize>, out: &mut [u8]) {
        out.copy_from_slice(&self[range]);
    }
}

/// A file kept in the pieces it arrived in, read as one ([`Source`]): assembling the pieces of a large file into one
/// array would cost a long task and twice the memory meanwhile.
pub struct Received<P> {
    pieces: Vec<P>,
    /// Where each piece starts in the file, then the file's length.
    starts: Vec<usize>,
}

impl<P> Default for Received<P> {
    fn default() -> Self {
        Received { pieces: Vec::new(), starts: vec![0] }
    }
}

impl<P: Piece> Received<P> {
    /// Adds the next piece (an empty one is ignored: every piece kept holds a byte at least).
    pub fn push(&mut self, piece: P) {
        if !piece.is_empty() {
            self.starts.push(self.len() + piece.len());
            self.pieces.push(piece);
        }
    }

    /// The pieces, in order (the widget's `debug` report reads the file again from them).
    pub fn pieces(&self) -> &[P] {
        &self.pieces
    }
}

impl<P: Piece> Source for Received<P> {
    fn len(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }
    fn read(&self, range: Range<usize>, out: &mut Vec<u8>) {
        out.clear();
        out.resize(range.len(), 0);
        // The last piece that starts at or before the range.
        let mut i = self.starts.partition_point(|&s| s <= range.start).saturating_sub(1);
        let mut at = range.start;
        while at < range.end && i < self.pieces.len() {
            let (start, end) = (self.starts[i], self.starts[i + 1].min(range.end));
            self.pieces[i].copy_to(at - start..end - start, &mut out[at - range.start..end - range.start]);
            (at, i) = (end, i + 1);
        }
    }
}

/// What the pipeline needs besides the dataset: how to read it, and the departments' outlines (the outlines file,
/// [`crate::outlines`], fetched beside the dataset) with the address they came from, for messages.
pub struct Setup {
    pub options: ValidateOptions,
    pub departments: Vec<u8>,
    pub departments_url: String,
}

impl Setup {
    fn territories(&self) -> Result<Territories, LoadError> {
        crate::outlines::read(&self.departments)
            .map_err(|detail| LoadError::BaseData { url: self.departments_url.clone(), detail })
    }
}

/// The first part of the pipeline: the dataset as it downloads. Each piece is kept and scanned for the document's
/// layout; once the first [`SLICE`] records have arrived they are read, as a document that would end after them,
/// and given to be shown ([`Download::feed`]).
pub struct Download<P> {
    setup: Setup,
    received: Received<P>,
    scanner: Scanner,
    buf: Vec<u8>,
    /// Whether the first records were read (once, shown or not: they are not read again before the whole file).
    tried: bool,
    shown: bool,
    /// The file is a pack: read and indexed a block at a time as it arrives, instead of scanned.
    packed: bool,
    /// The pack so far: not started (its head has not arrived), read up to the blocks arrived, or given up (a
    /// damaged pack: read again from the whole file, which gives the error).
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    pack: Option<Result<PackStream, ()>>,
}

/// The records to show while the rest of the dataset arrives, and how many there are.
pub struct Early {
    pub loaded: Loaded,
    pub records: usize,
    /// Records in the file, once known (0 while it downloads).
    pub total: usize,
}

impl<P: Piece> Download<P> {
    pub fn new(setup: Setup) -> Download<P> {
        Download {
            setup,
            received: Received::default(),
            scanner: Scanner::new("innovations"),
            buf: Vec::new(),
            tried: false,
            shown: false,
            packed: !READS_JSON,
            #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
            pack: None,
        }
    }

    /// Takes the next piece of the file; gives the first records to show once they have all arrived.
    pub fn feed(&mut self, piece: P) -> Option<Early> {
        // (A pack's pieces are read from `received` by blocks: no copy of each piece here.)
        if !(READS_PACKS && self.packed) {
            self.buf.resize(piece.len(), 0);
            piece.copy_to(0..piece.len(), &mut self.buf);
        }
        #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
        if self.received.is_empty() && is_pack(&self.buf) {
            self.packed = true;
        }
        self.received.push(piece);
        #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
        if self.packed {
            return self.feed_pack();
        }
        if !READS_JSON {
            return None;
        }
        self.scanner.feed(&self.buf);
        // (Checked first: the layout so far is a copy, which grows with the file.)
        if self.tried {
            return None;
        }
        let layout = self.scanner.partial(SLICE)?;
        self.tried = true;
        let mut first = Reading::start(&self.received, Some(layout), &self.setup.options);
        first.step(SLICE);
        let early = early_view(&self.setup, first.partial()?, 0)?;
        self.shown = true;
        Some(early)
    }

    /// Reads and indexes the pack's next block if it has arrived (one per piece, so that no browser task does
    /// more than a block); the first records to show once the first block is read, when the file has more.
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    fn feed_pack(&mut self) -> Option<Early> {
        if self.pack.is_none() {
            if !Unpacking::head_arrived(&self.received) {
                return None;
            }
            self.pack = Some(PackStream::start(&self.setup, &self.received).map_err(drop));
        }
        let Some(Ok(stream)) = &mut self.pack else { return None };
        if !stream.unpacking.block_arrived(&self.received) {
            return None;
        }
        if stream.step(&self.setup, &self.received).is_err() {
            self.pack = Some(Err(()));
            return None;
        }
        let (read, total) = stream.unpacking.progress();
        if self.shown || read >= total {
            return None;
        }
        self.shown = true;
        // The first block's records, their places already resolved: indexed as they are, with the outlines the pack's
        // index already read.
        let (first, territories) = (stream.index.dataset().clone(), stream.index.territories().clone());
        let loaded = Loaded { index: Index::build(first, territories), report: DataReport::default() };
        Some(Early { loaded, records: read, total })
    }

    /// The bytes received so far.
    pub fn len(&self) -> usize {
        self.received.len()
    }

    pub fn is_empty(&self) -> bool {
        self.received.is_empty()
    }

    /// The whole file has arrived: the file, to keep while [`Build`] reads it, and the rest of the pipeline.
    pub fn finish(self) -> (Received<P>, Pending) {
        let pending = Pending {
            setup: self.setup,
            layout: self.scanner.finish(),
            shown: self.shown,
            #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
            pack: self.pack.and_then(Result::ok),
        };
        (self.received, pending)
    }
}

/// A pack read and indexed a block at a time, as it downloads and then from the whole file: each block's records
/// are decoded, and their words and facet values indexed at once, so that once the last block is read only the
/// sort orders remain ([`IndexBuilder::finish`]).
#[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
struct PackStream {
    unpacking: Unpacking,
    report: DataReport,
    /// The pack holds the word index and the name order (read after the last block): the records' words are not
    /// indexed here.
    indexed: bool,
    given: Option<PackedIndex>,
    words: WordIndexBuilder,
    index: IndexBuilder,
}

#[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
impl PackStream {
    /// From the pack's head (`source` holds it at least).
    fn start(setup: &Setup, source: &dyn Source) -> Result<PackStream, LoadError> {
        let (unpacking, head) = Unpacking::start(source).map_err(|e| pack_error(setup, e))?;
        // A head announcing more than the size limit is refused before anything is made for its records, as a
        // `Content-Length` over the limit is: the download would stop at the limit anyway.
        let (claimed, limit) = (unpacking.file_len() as u64, setup.options.max_bytes);
        if claimed > limit {
            return Err(LoadError::TooLarge { url: setup.options.url.clone(), bytes: Some(claimed), limit });
        }
        let index = IndexBuilder::sized(head.dataset, setup.territories()?, head.records);
        let words = WordIndexBuilder::new(if head.indexed { 0 } else { head.records });
        Ok(PackStream { unpacking, report: head.report, indexed: head.indexed, given: None, words, index })
    }

    /// Reads and indexes the next block. Returns whether blocks remain (none: the file is checked whole).
    fn step(&mut self, setup: &Setup, source: &dyn Source) -> Result<bool, LoadError> {
        let Some(block) = self.unpacking.step(source).map_err(|e| pack_error(setup, e))? else {
            self.given = self.unpacking.take_index();
            return Ok(false);
        };
        let n = block.len();
        // Room for the records at once, rather than a vector grown by doubling, which holds two copies of them at
        // its last growth (and the wasm memory keeps its peak): as many as the head says, but never more than the
        // bytes received so far can hold (a head may lie; the file that backs it is real).
        let (read, total) = self.unpacking.progress();
        let room = total.min(read.max(pack::records_in(source.len())));
        self.index.reserve(room);
        self.index.extend(block);
        if !self.indexed {
            self.words.add(&self.index.dataset().innovations, n);
        }
        self.index.add(n);
        Ok(true)
    }

    fn finish(self) -> Loaded {
        let index = match self.given {
            Some(given) => self.index.finish_with(given.words, Some(given.name_order)),
            None => self.index.finish(self.words.finish()),
        };
        Loaded { index, report: self.report }
    }
}

#[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
fn pack_error(setup: &Setup, error: PackError) -> LoadError {
    LoadError::Pack { url: setup.options.url.clone(), error }
}

/// The view of the first records, without a data report (the report is the whole file's, at the end). Places given
/// only by a commune code wait for the commune table, read once at the end.
fn early_view(setup: &Setup, first: Dataset, total: usize) -> Option<Early> {
    let records = first.innovations.len();
    if records == 0 {
        return None;
    }
    let territories = setup.territories().ok()?;
    let loaded = build_loaded(first, DataReport::default(), territories, Err("later"));
    Some(Early { loaded, records, total })
}

/// The downloaded file's pipeline, before it is given the file to read ([`Pending::read`]).
pub struct Pending {
    setup: Setup,
    layout: Option<crate::json::Layout>,
    shown: bool,
    /// A pack read as it downloaded, to go on with.
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    pack: Option<PackStream>,
}

impl Pending {
    /// Starts reading `file` (the file [`Download::finish`] gave back).
    pub fn read(self, file: &dyn Source) -> Build<'_> {
        // The outlines are read first: without them nothing can be shown, whatever the dataset.
        #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
        if let Some(stream) = self.pack {
            // Its outlines were read when it started.
            let stage = Stage::Pack(stream, file);
            return Build { setup: self.setup, shown: self.shown, territories: None, stage };
        }
        let Pending { setup, layout, shown, .. } = self;
        let (territories, stage) = match setup.territories() {
            Ok(t) => (Some(t), first_stage(&setup, layout, file)),
            Err(e) => (None, Stage::Failed(e)),
        };
        Build { setup, shown, territories, stage }
    }
}

/// Unpacking a pack, reading JSON otherwise. The build for packed files reads no JSON: the loader chose it because
/// the file's first byte is a pack's.
#[allow(unused_variables)]
fn first_stage<'s>(setup: &Setup, layout: Option<crate::json::Layout>, file: &'s dyn Source) -> Stage<'s> {
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    {
        let mut first = Vec::new();
        file.read(0..MAGIC.len().min(file.len()), &mut first);
        if is_pack(&first) {
            return match PackStream::start(setup, file) {
                Ok(stream) => Stage::Pack(stream, file),
                Err(e) => Stage::Failed(e),
            };
        }
    }
    #[cfg(not(feature = "packed"))]
    {
        Stage::Reading(Reading::start(file, layout, &setup.options))
    }
    #[cfg(feature = "packed")]
    {
        // That first byte, but not a pack: another binary file (an image…), reported as the JSON build reports it
        // (a first byte that cannot start UTF-8).
        let (url, detail) = (setup.options.url.clone(), crate::schema::INVALID_UTF8.into());
        Stage::Failed(LoadError::NotJson { url, line: 1, column: 1, detail, looks_like_html: false })
    }
}

/// What one [`Build::step`] did.
pub enum Step {
    /// Records read so far and in the file, when the progress shown should change.
    Progress { read: usize, total: usize },
    /// The first records, to show until the whole dataset is ready (when they were not given while downloading).
    Early(Early),
    /// Every record is read and validated.
    Validated,
    /// Some places are given only by a commune code: give the commune table with [`Build::communes`].
    NeedsCommunes,
    /// A step with nothing to show.
    Working,
    /// The dataset ready to explore, or the fatal error. [`Build::step`] must not be called again.
    Done(Result<Loaded, LoadError>),
}

// One value per load, moved from step to step: boxing its larger stages would only add allocations.
#[allow(clippy::large_enum_variant)]
enum Stage<'s> {
    #[cfg(not(feature = "packed"))]
    Reading(Reading<'s>),
    /// A pack's records, already validated with their places resolved, read and indexed a block at a time.
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    Pack(PackStream, &'s dyn Source),
    /// Every block read: the sort orders remain.
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    PackRead(PackStream),
    // (A pack's places are resolved: the build for packs never waits for the commune table.)
    #[cfg_attr(feature = "packed", allow(dead_code))]
    WaitingForCommunes(Dataset, DataReport),
    Places {
        dataset: Dataset,
        report: DataReport,
        communes: Result<CommuneIndex, String>,
        next: usize,
    },
    Words {
        dataset: Dataset,
        report: DataReport,
        words: WordIndexBuilder,
    },
    Index {
        index: IndexBuilder,
        report: DataReport,
        words: WordIndex,
    },
    Failed(LoadError),
    Over,
}

/// The second part of the pipeline: the whole file read, validated, its places resolved and indexed, a slice at a
/// time.
pub struct Build<'s> {
    setup: Setup,
    #[cfg_attr(feature = "packed", allow(dead_code))]
    shown: bool,
    /// Read once, until the facet index takes them.
    territories: Option<Territories>,
    stage: Stage<'s>,
}

impl<'s> Build<'s> {
    /// Does the next slice of work.
    pub fn step(&mut self) -> Step {
        match std::mem::replace(&mut self.stage, Stage::Over) {
            #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
            Stage::Pack(mut stream, file) => match stream.step(&self.setup, file) {
                Ok(true) => {
                    let (read, total) = stream.unpacking.progress();
                    self.stage = Stage::Pack(stream, file);
                    Step::Progress { read, total }
                }
                Ok(false) => {
                    self.stage = Stage::PackRead(stream);
                    Step::Validated
                }
                Err(e) => Step::Done(Err(e)),
            },
            #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
            Stage::PackRead(stream) => Step::Done(Ok(stream.finish())),
            #[cfg(not(feature = "packed"))]
            Stage::Reading(mut reading) => {
                if !reading.step(SLICE) {
                    let (read, total) = reading.progress();
                    let step = if !self.shown {
                        match reading.partial().and_then(|first| early_view(&self.setup, first, total)) {
                            Some(early) => {
                                self.shown = true;
                                Step::Early(early)
                            }
                            None => Step::Working,
                        }
                    } else if read <= SLICE || read % 10_000 < SLICE {
                        Step::Progress { read, total }
                    } else {
                        Step::Working
                    };
                    self.stage = Stage::Reading(reading);
                    return step;
                }
                match reading.into_result() {
                    Err(e) => Step::Done(Err(e)),
                    Ok((dataset, report)) => {
                        if dataset_needs_communes(&dataset) {
                            self.stage = Stage::WaitingForCommunes(dataset, report);
                        } else {
                            self.stage = Stage::Places { dataset, report, communes: Err("not needed".into()), next: 0 };
                        }
                        Step::Validated
                    }
                }
            }
            Stage::WaitingForCommunes(dataset, report) => {
                self.stage = Stage::WaitingForCommunes(dataset, report);
                Step::NeedsCommunes
            }
            Stage::Places { mut dataset, mut report, communes, next } => {
                let Some(territories) = &self.territories else { return Step::Done(Err(LoadError::NoDataset)) };
                let table = communes.as_ref().map_err(String::as_str);
                resolve_records(&mut dataset, next..next + INDEX_SLICE, territories, table, &mut report);
                let next = next + INDEX_SLICE;
                self.stage = if next < dataset.innovations.len() {
                    Stage::Places { dataset, report, communes, next }
                } else {
                    let words = WordIndexBuilder::new(dataset.innovations.len());
                    Stage::Words { dataset, report, words }
                };
                Step::Working
            }
            Stage::Words { dataset, report, mut words } => {
                self.stage = if words.add(&dataset.innovations, INDEX_SLICE) {
                    Stage::Words { dataset, report, words }
                } else {
                    let Some(territories) = self.territories.take() else {
                        return Step::Done(Err(LoadError::NoDataset));
                    };
                    Stage::Index { index: IndexBuilder::new(dataset, territories), report, words: words.finish() }
                };
                Step::Working
            }
            Stage::Index { mut index, report, words } => {
                if index.add(INDEX_SLICE) {
                    self.stage = Stage::Index { index, report, words };
                    Step::Working
                } else {
                    Step::Done(Ok(Loaded { index: index.finish(words), report }))
                }
            }
            Stage::Failed(e) => Step::Done(Err(e)),
            Stage::Over => Step::Done(Err(LoadError::NoDataset)),
        }
    }

    /// The commune table the pipeline asked for ([`Step::NeedsCommunes`]), as CSV text, or why it could not be had
    /// (then places given only by a commune code fall back to their department's centre, and the report says so).
    pub fn communes(&mut self, table: Result<&str, String>) {
        if let Stage::WaitingForCommunes(dataset, report) = std::mem::replace(&mut self.stage, Stage::Over) {
            let communes = table.and_then(CommuneIndex::from_csv);
            self.stage = Stage::Places { dataset, report, communes, next: 0 };
        }
    }
}

/// The whole pipeline at once, over a file given in `pieces` (as they would arrive), with the commune table given
/// when asked for: what the command-line tool and the native tests run.
pub fn load_pieces(
    setup: Setup,
    pieces: impl IntoIterator<Item = Vec<u8>>,
    communes: impl FnOnce() -> Result<String, String>,
) -> Result<Loaded, LoadError> {
    let mut download = Download::new(setup);
    for piece in pieces {
        download.feed(piece);
    }
    let (file, pending) = download.finish();
    let mut build = pending.read(&file);
    let mut communes = Some(communes);
    loop {
        match build.step() {
            Step::Done(result) => return result,
            Step::NeedsCommunes => {
                let table = communes.take().map_or_else(|| Err("asked twice".to_owned()), |f| f());
                build.communes(table.as_deref().map_err(Clone::clone));
            }
            _ => {}
        }
    }
}
