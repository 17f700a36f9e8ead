//! The packed form of a dataset, written by `essaimage pack` and read by the widget's build for packed files: the
//! dataset as validation left it (places resolved, every value an index into its vocabulary) and its data report,
//! in binary, so that loading it parses no text, checks no rule and looks up no place.
//!
//! ```text
//! header (32 bytes): MAGIC (14) · VERSION u16 · body length u64 · Adler-32 of the body u32 · head length u32
//! body: head (meta, vocabularies, report, record count) · blocks of BLOCK records, each: length u32 · records
//! ```
//!
//! Integers are little-endian; in the body they are LEB128 varints, texts a varint length then UTF-8. The JSON
//! (`essaimage/1`, docs/DATASET.md) stays the reference: a pack is made from it and gives the same dataset and
//! report ([`Unpacking`] is tested against [`crate::load`] on the same files). Nothing in a pack is trusted: a
//! truncated, damaged or foreign file is refused with a [`PackError`], never a panic (fuzzed, docs/FUZZING.md).

use crate::bitset::Bitset;
use crate::bytes::{Adler, Reader, Writer};
use crate::filter::Index;
use crate::i18n::{Locale, Noun};
use crate::model::{
    Dataset, Innovation, Label, LonLat, Meta, Place, Precision, SourceRef, ValueIdx, VocabEntry, VocabKind,
    Vocabularies,
};
use crate::report::{DataReport, Problem, ProblemKind};
use crate::schema::Source;
use crate::search::{WordIndex, WordIndexParts};

/// The first bytes of every pack: a first byte no text file starts with, the name, then line ends and the byte
/// that a transfer in text mode would change (as PNG's signature does), so such a transfer is caught at once.
pub const MAGIC: [u8; 14] = *b"\x89ESSAIMAGE\r\n\x1a\n";
/// The format version this code writes and reads.
pub const VERSION: u16 = 1;
const HEADER: usize = 32;
/// Records per block: what one loading step decodes and indexes (about 15 ms of a browser task on the bench's
/// records, docs/PERFORMANCE.md).
pub const BLOCK: usize = 1_000;
/// The fewest bytes a record takes (every field empty: 14 one-byte fields and a place's two bytes).
const MIN_RECORD: usize = 16;

/// The most records `bytes` bytes of a pack can hold.
pub fn records_in(bytes: usize) -> usize {
    bytes / MIN_RECORD
}

/// Whether `first` (a file's first bytes, [`MAGIC`]'s length at least) starts a pack.
pub fn is_pack(first: &[u8]) -> bool {
    first.starts_with(&MAGIC)
}

/// How this code folds and cuts words (a hash of a text's words, folded): the index of a pack written by code that
/// does it otherwise is not used, and the widget indexes the records itself.
pub fn fingerprint() -> u32 {
    const PROBE: &str = "L'Œuvre « Éco-Lieu » n°2 : ÇA ß ÿ Ærø straße, déjà-vu 12,5 % dʼun coût/km²; 北京 ½ ℃";
    let mut folded = String::new();
    crate::text::fold_into(PROBE, &mut folded);
    let (mut h, mut at) = (0x811c_9dc5u32, 0);
    while let Some((s, e)) = crate::text::next_word(&folded, at) {
        at = e;
        for &b in folded.as_bytes()[s..e].iter().chain(b"|") {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    h
}

/// Why a file could not be read as a pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackError {
    /// Another version of the format: `found` is older or newer than [`VERSION`].
    Version { found: u16 },
    /// The file ends before the length its header gives (an interrupted download or copy).
    Truncated { expected: u64, got: u64 },
    /// The bytes are not those written: the checksum or the structure does not match.
    Damaged,
}

impl PackError {
    /// What happened and what to do, as (title, explanation), for the file at `url`.
    pub fn message(&self, url: &str, locale: Locale) -> (String, String) {
        let fr = locale == Locale::Fr;
        let pick = |f: String, e: String| if fr { f } else { e };
        match self {
            PackError::Version { found } if *found < VERSION => (
                pick("Le fichier compact est d'une ancienne version".into(), "The packed file is of an older version".into()),
                pick(
                    format!("{url} est au format compact version {found} ; ce widget lit la version {VERSION}. Refaites-le depuis le fichier JSON avec la commande « essaimage pack » à jour."),
                    format!("{url} is in packed format version {found}; this widget reads version {VERSION}. Make it again from the JSON file with an up-to-date « essaimage pack »."),
                ),
            ),
            PackError::Version { found } => (
                pick("Le fichier compact est d'une version plus récente".into(), "The packed file is of a newer version".into()),
                pick(
                    format!("{url} est au format compact version {found} ; ce widget ne lit que la version {VERSION}. Mettez le widget à jour, ou publiez le fichier JSON d'origine."),
                    format!("{url} is in packed format version {found}; this widget reads version {VERSION} only. Update the widget, or publish the original JSON file."),
                ),
            ),
            PackError::Truncated { expected, got } => (
                pick("Le fichier compact est incomplet".into(), "The packed file is incomplete".into()),
                pick(
                    format!("{url} s'arrête après {got} octets sur {expected}. Le téléchargement ou la copie a été interrompu : publiez à nouveau le fichier entier."),
                    format!("{url} ends after {got} bytes out of {expected}. The download or the copy was interrupted: publish the whole file again."),
                ),
            ),
            PackError::Damaged => (
                pick("Le fichier compact est abîmé".into(), "The packed file is damaged".into()),
                pick(
                    format!("Les octets de {url} ne sont pas ceux qu'« essaimage pack » a écrits (somme de contrôle ou structure). Publiez-le en binaire, sans conversion, ou refaites-le depuis le fichier JSON."),
                    format!("The bytes of {url} are not those « essaimage pack » wrote (checksum or structure). Publish it as binary, without conversion, or make it again from the JSON file."),
                ),
            ),
        }
    }
}

// ---- writing ---------------------------------------------------------------------------------------------------

/// The pack of a validated dataset (places resolved) and its report, without its index (the widget indexes the
/// records as they arrive).
pub fn write(dataset: &Dataset, report: &DataReport) -> Vec<u8> {
    write_parts(dataset, report, None, 0)
}

/// The pack of an indexed dataset and its report, with the index's costliest parts, which the widget then reads
/// instead of computing them: the search's word index and the name order (what `essaimage pack` writes).
pub fn write_indexed(index: &Index, report: &DataReport) -> Vec<u8> {
    write_parts(&index.dataset, report, Some(index), fingerprint())
}

fn write_parts(dataset: &Dataset, report: &DataReport, index: Option<&Index>, fingerprint: u32) -> Vec<u8> {
    let mut head = Writer::default();
    head.meta(&dataset.meta);
    for kind in VocabKind::ALL {
        let vocab = dataset.vocabularies.get(kind);
        head.uint(vocab.entries.len() as u64);
        for e in &vocab.entries {
            head.str(&e.id);
            head.label(&e.label);
            head.label(&e.definition);
        }
    }
    head.uint(report.records_in_file as u64);
    head.uint(report.records_kept as u64);
    head.uint(report.problems.len() as u64);
    for p in &report.problems {
        head.opt_uint(p.index.map(|i| i as u64));
        head.opt_str(p.id.as_deref());
        head.str(&p.field);
        head.problem(&p.kind);
    }
    head.uint(dataset.innovations.len() as u64);
    // Whether the index section follows the records, and how this code folds and cuts words: an index written by
    // another folding is not used.
    head.opt_uint(index.map(|_| u64::from(fingerprint)));

    let mut body = head.0;
    let head_len = body.len();
    for block in dataset.innovations.chunks(BLOCK) {
        let mut w = Writer::default();
        block.iter().for_each(|inno| w.innovation(inno));
        body.extend_from_slice(&(w.0.len() as u32).to_le_bytes());
        body.extend_from_slice(&w.0);
    }
    if let Some(index) = index {
        let mut w = Writer::default();
        w.index(index);
        body.extend_from_slice(&(w.0.len() as u32).to_le_bytes());
        body.extend_from_slice(&w.0);
    }

    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    let mut sum = Adler::default();
    sum.update(&body);
    out.extend_from_slice(&sum.value().to_le_bytes());
    out.extend_from_slice(&(head_len as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

impl Writer {
    /// `None` as 0, a value as itself plus one.
    fn opt_uint(&mut self, v: Option<u64>) {
        self.uint(v.map_or(0, |v| v + 1));
    }
    /// `None` as 0, a value as 1 then itself, written by `write`.
    fn opt<T>(&mut self, v: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.0.push(0),
            Some(v) => {
                self.0.push(1);
                write(self, v);
            }
        }
    }
    /// For a `u64` that may be `u64::MAX` (one more, as [`Writer::opt_uint`] writes, would overflow).
    fn opt_u64(&mut self, v: Option<u64>) {
        self.opt(v, Self::uint);
    }
    fn opt_int(&mut self, v: Option<i64>) {
        self.opt(v, Self::int);
    }
    fn opt_str(&mut self, s: Option<&str>) {
        self.opt(s, Self::str);
    }
    fn label(&mut self, l: &Label) {
        self.str(&l.fr);
        self.str(&l.en);
    }
    fn values(&mut self, values: &[ValueIdx]) {
        self.uint(values.len() as u64);
        values.iter().for_each(|&v| self.uint(u64::from(v)));
    }

    fn meta(&mut self, m: &Meta) {
        self.opt_str(m.title.as_deref());
        self.0.push(match m.lang {
            None => 0,
            Some(Locale::Fr) => 1,
            Some(Locale::En) => 2,
        });
        self.opt_str(m.description.as_deref());
        self.opt_str(m.updated.as_deref());
        self.opt_str(m.license.as_deref());
        self.opt(m.source.as_ref(), |w, s| {
            w.str(&s.name);
            w.opt_str(s.url.as_deref());
        });
        for word in m.noun.fr.iter().chain(&m.noun.en) {
            self.str(word);
        }
    }

    fn place(&mut self, p: &Place) {
        let texts = [&p.commune, &p.commune_insee, &p.postcode, &p.department, &p.region];
        let mut flags = 0u8;
        for (bit, t) in texts.iter().enumerate() {
            flags |= u8::from(t.is_some()) << bit;
        }
        flags |= u8::from(p.point.is_some()) << 5 | u8::from(p.started.is_some()) << 6;
        self.0.push(flags);
        self.0.push(p.precision as u8);
        texts.iter().filter_map(|t| t.as_deref()).for_each(|t| self.str(t));
        if let Some(pt) = p.point {
            self.f64(pt.lon);
            self.f64(pt.lat);
        }
        if let Some(y) = p.started {
            self.int(i64::from(y));
        }
    }

    fn innovation(&mut self, i: &Innovation) {
        self.uint(i.file_index as u64);
        self.str(&i.id);
        self.str(&i.name);
        self.opt_str(i.summary.as_deref());
        self.opt_uint(i.carrier_kind.map(u64::from));
        self.place(&i.origin);
        self.uint(i.replicas.len() as u64);
        i.replicas.iter().for_each(|p| self.place(p));
        self.values(&i.themes);
        self.opt_uint(i.stage.map(u64::from));
        self.values(&i.scaling_strategies);
        self.values(&i.public_support);
        self.opt_int(i.started.map(i64::from));
        self.opt_u64(i.sites);
        self.opt_str(i.url.as_deref());
        self.uint(i.sources.len() as u64);
        i.sources.iter().for_each(|s| self.str(s));
    }

    /// The word index (the vocabulary, each word's length, each word's records: a list of gaps, or the bitset's
    /// words), then the name order.
    fn index(&mut self, index: &Index) {
        let WordIndexParts { vocab, word_start, lists, dense, .. } = index.word_index().parts();
        self.str(vocab);
        self.uint(lists.len() as u64);
        for w in 0..lists.len() {
            self.uint(u64::from(word_start[w + 1] - word_start[w]));
            match &dense[w] {
                Some(bits) => {
                    self.0.push(1);
                    bits.words().iter().for_each(|x| self.0.extend_from_slice(&x.to_le_bytes()));
                }
                None => {
                    self.0.push(0);
                    self.uint(lists[w].len() as u64);
                    let mut last = 0;
                    for &r in &lists[w] {
                        self.uint(u64::from(r - last));
                        last = r;
                    }
                }
            }
        }
        index.name_order().iter().for_each(|&r| self.uint(u64::from(r)));
    }

    /// A problem's kind: its number in [`ProblemKind`]'s order, then its texts, then its numbers (as
    /// [`Reader::problem`] reads them).
    fn problem(&mut self, k: &ProblemKind) {
        use ProblemKind as K;
        match k {
            K::RecordNotObject => self.tagged(0, &[]),
            K::MissingId => self.tagged(1, &[]),
            K::InvalidId(s) => self.tagged(2, &[s]),
            K::MissingName => self.tagged(3, &[]),
            K::InvalidName => self.tagged(4, &[]),
            K::DuplicateId { first_index } => {
                self.tagged(5, &[]);
                self.uint(*first_index as u64);
            }
            K::WrongType { expected } => self.tagged(6, &[expected]),
            K::UnknownVocabulary { vocabulary, value } => self.tagged(7, &[vocabulary, value]),
            K::CoordinatesOutside { lon, lat } => {
                self.tagged(8, &[]);
                self.f64(*lon);
                self.f64(*lat);
            }
            K::CoordinatesNotNumbers => self.tagged(9, &[]),
            K::UnsafeUrl(s) => self.tagged(10, &[s]),
            K::YearOutOfRange { year, max } => {
                self.tagged(11, &[]);
                self.int(*year);
                self.int(*max);
            }
            K::NegativeSites(n) => {
                self.tagged(12, &[]);
                self.int(*n);
            }
            K::TextTooLong { max, len } => {
                self.tagged(13, &[]);
                self.uint(*max as u64);
                self.uint(*len as u64);
            }
            K::UnknownField(s) => self.tagged(14, &[s]),
            K::DuplicateKey(s) => self.tagged(15, &[s]),
            K::UnknownDepartment(s) => self.tagged(16, &[s]),
            K::UnknownRegion(s) => self.tagged(17, &[s]),
            K::UnknownCommune(s) => self.tagged(18, &[s]),
            K::UnknownPostcode(s) => self.tagged(19, &[s]),
            K::UnknownCommuneName { name, department } => {
                self.tagged(20, &[name]);
                self.opt_str(department.as_deref());
            }
            K::AmbiguousCommuneName { name, count } => {
                self.tagged(21, &[name]);
                self.uint(*count as u64);
            }
            K::CommuneNotInDepartment { name, given, found } => self.tagged(22, &[name, given, found]),
            K::PostcodeMismatch { postcode, name } => self.tagged(23, &[postcode, name]),
            K::DepartmentMismatch { given, found } => self.tagged(24, &[given, found]),
            K::RegionMismatch { given, found } => self.tagged(25, &[given, found]),
            K::CommuneTableUnavailable(s) => self.tagged(26, &[s]),
            K::InvalidDate(s) => self.tagged(27, &[s]),
            K::InvalidLanguage(s) => self.tagged(28, &[s]),
            K::InvalidVocabularyEntry => self.tagged(29, &[]),
            K::InvalidNoun => self.tagged(30, &[]),
        }
    }

    fn tagged(&mut self, tag: u8, texts: &[&str]) {
        self.0.push(tag);
        texts.iter().for_each(|t| self.str(t));
    }
}

// ---- reading ---------------------------------------------------------------------------------------------------

/// A pack being read, a block of records per [`Unpacking::step`], from wherever its bytes are: the whole file, or
/// the part of it downloaded so far ([`Unpacking::block_arrived`] says when the next block can be read).
pub struct Unpacking {
    /// Where the next block starts in the file, and where the body ends.
    next: usize,
    end: usize,
    buf: Vec<u8>,
    /// The checksum of the body read so far, checked once every block is read.
    sum: Adler,
    expected_sum: u32,
    /// Records in the file, and read so far.
    records: usize,
    read: usize,
    /// The length of each vocabulary, which every value read must be under.
    vocab_lens: [usize; 5],
    /// An index section follows the blocks (read, checked, and kept only when usable: [`Head::indexed`]).
    has_index: bool,
    use_index: bool,
    index: Option<PackedIndex>,
}

/// A pack's head: the dataset without its records (meta, vocabularies), its report, and its record count.
pub struct Head {
    pub dataset: Dataset,
    pub report: DataReport,
    pub records: usize,
    /// The pack holds the index (its word index and name order) and it was written by code that folds words as
    /// this code does: [`Unpacking::take_index`] gives it once every block is read.
    pub indexed: bool,
    /// The pack holds an index section, used or not.
    pub has_index: bool,
}

/// The parts of the index a pack holds (written by [`write_indexed`]).
pub struct PackedIndex {
    pub words: WordIndex,
    pub name_order: Vec<u32>,
}

impl Unpacking {
    /// Whether the header and the head have arrived (`source` being the part of the file received so far).
    pub fn head_arrived(source: &dyn Source) -> bool {
        let mut buf = Vec::new();
        if source.len() < HEADER {
            return false;
        }
        source.read(28..HEADER, &mut buf);
        let head = u32::from_le_bytes(buf.as_slice().try_into().unwrap_or([0xff; 4])) as usize;
        source.len() >= HEADER.saturating_add(head)
    }

    /// Reads the header and the head (meta, vocabularies, report); the records are read by [`Unpacking::step`].
    pub fn start(source: &dyn Source) -> Result<(Unpacking, Head), PackError> {
        let mut buf = Vec::new();
        let len = source.len();
        source.read(0..HEADER.min(len), &mut buf);
        if !is_pack(&buf) {
            return Err(PackError::Damaged);
        }
        let truncated = |expected: u64| PackError::Truncated { expected, got: len as u64 };
        if buf.len() < MAGIC.len() + 2 {
            return Err(truncated(HEADER as u64));
        }
        let found = u16::from_le_bytes([buf[14], buf[15]]);
        if found != VERSION {
            return Err(PackError::Version { found });
        }
        if buf.len() < HEADER {
            return Err(truncated(HEADER as u64));
        }
        let word = |i: usize, n: usize| buf[i..i + n].iter().rev().fold(0u64, |v, &b| v << 8 | u64::from(b));
        let (body, expected_sum, head) = (word(16, 8), word(24, 4) as u32, word(28, 4));
        let expected = (HEADER as u64).saturating_add(body);
        if head > body || expected > usize::MAX as u64 {
            return Err(PackError::Damaged);
        }
        let (end, next) = (expected as usize, HEADER + head as usize);
        if len < next {
            return Err(truncated(expected));
        }
        source.read(HEADER..next, &mut buf);
        let mut sum = Adler::default();
        sum.update(&buf);
        let mut r = Reader { b: &buf, at: 0 };
        let head = r.head().ok_or(PackError::Damaged)?;
        // More records than the blocks' bytes can hold is a damaged count: refused before it reserves memory.
        if r.at != buf.len() || head.records > (end - next) / MIN_RECORD {
            return Err(PackError::Damaged);
        }
        let vocab_lens = VocabKind::ALL.map(|k| head.dataset.vocabularies.get(k).len());
        let (has_index, use_index) = (head.fingerprint.is_some(), head.fingerprint == Some(fingerprint()));
        let unpacking = Unpacking {
            next,
            end,
            buf: Vec::new(),
            sum,
            expected_sum,
            records: head.records,
            read: 0,
            vocab_lens,
            has_index,
            use_index,
            index: None,
        };
        let head =
            Head { dataset: head.dataset, report: head.report, records: head.records, indexed: use_index, has_index };
        Ok((unpacking, head))
    }

    /// The length of the next block or section, once its 4 bytes have arrived.
    fn block_len(&self, source: &dyn Source) -> Result<usize, PackError> {
        if self.next.saturating_add(4) > self.end {
            return Err(PackError::Damaged);
        }
        if source.len() < self.next + 4 {
            return Err(PackError::Truncated { expected: self.end as u64, got: source.len() as u64 });
        }
        let mut len = Vec::new();
        source.read(self.next..self.next + 4, &mut len);
        Ok(u32::from_le_bytes(len.as_slice().try_into().map_err(|_| PackError::Damaged)?) as usize)
    }

    /// Reads the next block or section (its length, then its bytes) into `buf`, adds it to the checksum and moves
    /// past it.
    fn next_section(&mut self, source: &dyn Source) -> Result<(), PackError> {
        let n = self.block_len(source)?;
        let stop = (self.next + 4).saturating_add(n);
        if stop > self.end {
            return Err(PackError::Damaged);
        }
        if stop > source.len() {
            return Err(PackError::Truncated { expected: self.end as u64, got: source.len() as u64 });
        }
        source.read(self.next..stop, &mut self.buf);
        self.sum.update(&self.buf);
        self.next = stop;
        Ok(())
    }

    /// Whether the next block of records has arrived whole in `source` (the part of the file received so far).
    pub fn block_arrived(&self, source: &dyn Source) -> bool {
        self.read < self.records && self.block_len(source).is_ok_and(|n| self.next + 4 + n <= source.len())
    }

    /// The index the pack holds, once [`Unpacking::step`] has read every block ([`Head::indexed`]).
    pub fn take_index(&mut self) -> Option<PackedIndex> {
        self.index.take()
    }

    /// Reads the next block's records; `None` once every block is read, when the file's length, record count and
    /// checksum have been checked (`source` is then the whole file).
    pub fn step(&mut self, source: &dyn Source) -> Result<Option<Vec<Innovation>>, PackError> {
        let len = source.len();
        let truncated = PackError::Truncated { expected: self.end as u64, got: len as u64 };
        if self.read == self.records && self.has_index {
            // The index section, after the last block.
            self.has_index = false;
            self.next_section(source)?;
            if self.use_index {
                let mut r = Reader { b: &self.buf[4..], at: 0 };
                let index = r.index(self.records).ok_or(PackError::Damaged)?;
                if r.at != r.b.len() {
                    return Err(PackError::Damaged);
                }
                self.index = Some(index);
            }
        }
        if self.next >= self.end || self.read == self.records {
            return if len < self.end {
                Err(truncated)
            } else if len > self.end
                || self.next != self.end
                || self.sum.value() != self.expected_sum
                || self.read != self.records
            {
                Err(PackError::Damaged)
            } else {
                Ok(None)
            };
        }
        self.next_section(source)?;
        let mut r = Reader { b: &self.buf[4..], at: 0 };
        let mut block = Vec::new();
        while r.at < r.b.len() {
            if self.read + block.len() >= self.records || block.len() >= BLOCK {
                return Err(PackError::Damaged);
            }
            block.push(r.innovation(&self.vocab_lens).ok_or(PackError::Damaged)?);
        }
        self.read += block.len();
        Ok(Some(block))
    }

    /// The file's length, as its header gives it.
    pub fn file_len(&self) -> usize {
        self.end
    }

    /// Records read so far, and in the file.
    pub fn progress(&self) -> (usize, usize) {
        (self.read, self.records)
    }
}

/// A whole pack at once (the tool and the tests): the dataset and its report.
pub fn read(bytes: &[u8]) -> Result<(Dataset, DataReport), PackError> {
    let source: &dyn Source = &bytes;
    let (mut unpacking, head) = Unpacking::start(source)?;
    let mut dataset = head.dataset;
    while let Some(block) = unpacking.step(source)? {
        dataset.innovations.extend(block);
    }
    Ok((dataset, head.report))
}

/// A pack's head as written: [`Head`] with the fingerprint of the code that wrote the index, if any.
struct RawHead {
    dataset: Dataset,
    report: DataReport,
    records: usize,
    fingerprint: Option<u32>,
}

/// The pack's values ([`crate::bytes::Reader`] reads the primitives); `None` makes the caller say « damaged ».
impl Reader<'_> {
    fn opt_uint(&mut self) -> Option<Option<u64>> {
        Some(self.uint()?.checked_sub(1))
    }
    fn flag(&mut self) -> Option<bool> {
        match self.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn opt_int(&mut self) -> Option<Option<i64>> {
        Some(if self.flag()? { Some(self.int()?) } else { None })
    }
    fn opt_str(&mut self) -> Option<Option<String>> {
        Some(if self.flag()? { Some(self.str()?) } else { None })
    }
    fn label(&mut self) -> Option<Label> {
        Some(Label { fr: self.str()?, en: self.str()? })
    }
    /// A value of a vocabulary of `len` values: an index it has.
    fn value(&mut self, len: usize) -> Option<ValueIdx> {
        let v = ValueIdx::try_from(self.uint()?).ok()?;
        ((v as usize) < len).then_some(v)
    }
    fn values(&mut self, len: usize) -> Option<Vec<ValueIdx>> {
        let n = self.count()?;
        (0..n).map(|_| self.value(len)).collect()
    }
    fn opt_value(&mut self, len: usize) -> Option<Option<ValueIdx>> {
        match self.opt_uint()? {
            None => Some(None),
            Some(v) => {
                let v = ValueIdx::try_from(v).ok()?;
                ((v as usize) < len).then_some(Some(v))
            }
        }
    }

    fn head(&mut self) -> Option<RawHead> {
        let meta = self.meta()?;
        let mut vocabularies = Vocabularies::builtin();
        for kind in VocabKind::ALL {
            let n = self.count()?;
            let entries = (0..n)
                .map(|_| Some(VocabEntry { id: self.str()?, label: self.label()?, definition: self.label()? }))
                .collect::<Option<Vec<_>>>()?;
            // Values are `ValueIdx`: a vocabulary never has more.
            if entries.len() > usize::from(ValueIdx::MAX) {
                return None;
            }
            vocabularies.get_mut(kind).entries = entries;
        }
        let records_in_file = self.usize()?;
        let records_kept = self.usize()?;
        if records_kept > records_in_file {
            return None;
        }
        let n = self.count()?;
        let problems = (0..n)
            .map(|_| {
                Some(Problem {
                    index: self.opt_uint()?.map(usize::try_from).transpose().ok()?,
                    id: self.opt_str()?,
                    field: self.str()?,
                    kind: self.problem()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let records = self.usize()?;
        if records != records_kept {
            return None;
        }
        let fingerprint = match self.opt_uint()? {
            None => None,
            Some(f) => Some(u32::try_from(f).ok()?),
        };
        let dataset = Dataset { meta, vocabularies, innovations: Vec::new() };
        Some(RawHead { dataset, report: DataReport { problems, records_in_file, records_kept }, records, fingerprint })
    }

    /// The index section of a pack of `records` records ([`Writer::index`]).
    fn index(&mut self, records: usize) -> Option<PackedIndex> {
        let vocab = self.str()?;
        let words = self.count()?;
        let (mut word_start, mut lists, mut dense) =
            (Vec::with_capacity(words + 1), Vec::with_capacity(words), Vec::with_capacity(words));
        word_start.push(0u32);
        let bitset_words = records.div_ceil(64);
        for _ in 0..words {
            let len = u32::try_from(self.uint()?).ok()?;
            word_start.push(word_start.last()?.checked_add(len)?);
            if self.flag()? {
                let bytes = self.b.get(self.at..self.at.checked_add(bitset_words.checked_mul(8)?)?)?;
                self.at += bytes.len();
                let bits =
                    bytes.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default())).collect();
                dense.push(Some(Bitset::from_words(bits, records)?));
                lists.push(Vec::new());
            } else {
                let n = self.count()?;
                let mut list = Vec::with_capacity(n);
                let mut last = 0u32;
                for i in 0..n {
                    let gap = u32::try_from(self.uint()?).ok()?;
                    // Increasing: every gap but the first is at least 1 (checked again by `from_parts`).
                    if i > 0 && gap == 0 {
                        return None;
                    }
                    last = last.checked_add(gap)?;
                    list.push(last);
                }
                lists.push(list);
                dense.push(None);
            }
        }
        let words = WordIndex::from_parts(records, vocab, word_start, lists, dense)?;
        let name_order = (0..records).map(|_| u32::try_from(self.uint()?).ok()).collect::<Option<Vec<_>>>()?;
        Some(PackedIndex { words, name_order })
    }

    fn meta(&mut self) -> Option<Meta> {
        let title = self.opt_str()?;
        let lang = match self.byte()? {
            0 => None,
            1 => Some(Locale::Fr),
            2 => Some(Locale::En),
            _ => return None,
        };
        let description = self.opt_str()?;
        let updated = self.opt_str()?;
        let license = self.opt_str()?;
        let source = if self.flag()? { Some(SourceRef { name: self.str()?, url: self.opt_str()? }) } else { None };
        let noun = Noun { fr: [self.str()?, self.str()?], en: [self.str()?, self.str()?] };
        Some(Meta { title, lang, description, updated, license, source, noun })
    }

    fn place(&mut self) -> Option<Place> {
        let flags = self.byte()?;
        if flags >> 7 != 0 {
            return None;
        }
        let precision = match self.byte()? {
            0 => Precision::None,
            1 => Precision::Region,
            2 => Precision::Department,
            3 => Precision::Commune,
            4 => Precision::Point,
            _ => return None,
        };
        let mut text =
            |bit: u8| -> Option<Option<String>> { Some(if flags >> bit & 1 == 1 { Some(self.str()?) } else { None }) };
        let (commune, commune_insee, postcode, department, region) = (text(0)?, text(1)?, text(2)?, text(3)?, text(4)?);
        let point = if flags >> 5 & 1 == 1 { Some(LonLat { lon: self.f64()?, lat: self.f64()? }) } else { None };
        // What validation lets through only: a point on the globe (no NaN, which no comparison orders).
        if point.is_some_and(|p| !(-180.0..=180.0).contains(&p.lon) || !(-90.0..=90.0).contains(&p.lat)) {
            return None;
        }
        let started = if flags >> 6 & 1 == 1 { Some(i32::try_from(self.int()?).ok()?) } else { None };
        Some(Place { commune, commune_insee, postcode, department, region, point, precision, started })
    }

    /// A record whose values are under the lengths of the vocabularies (in [`VocabKind::ALL`]'s order). Its fields
    /// are read in the order written (a struct literal evaluates its fields in order).
    fn innovation(&mut self, lens: &[usize; 5]) -> Option<Innovation> {
        let [themes, stages, strategies, support, carriers] = *lens;
        let inno = Innovation {
            file_index: self.usize()?,
            id: self.str()?,
            name: self.str()?,
            summary: self.opt_str()?,
            carrier_kind: self.opt_value(carriers)?,
            origin: self.place()?,
            replicas: {
                let n = self.count()?;
                (0..n).map(|_| self.place()).collect::<Option<Vec<_>>>()?
            },
            themes: self.values(themes)?,
            stage: self.opt_value(stages)?,
            scaling_strategies: self.values(strategies)?,
            public_support: self.values(support)?,
            started: match self.opt_int()? {
                None => None,
                Some(y) => Some(i32::try_from(y).ok()?),
            },
            sites: if self.flag()? { Some(self.uint()?) } else { None },
            url: self.opt_str()?,
            sources: {
                let n = self.count()?;
                (0..n).map(|_| self.str()).collect::<Option<Vec<_>>>()?
            },
        };
        // An id goes into the page's address (`open=`): only the ids validation keeps.
        crate::schema::is_valid_id(&inno.id).then_some(inno)
    }

    /// One of the texts a [`ProblemKind`] field holds as `&'static str`.
    fn known(&mut self, texts: &[&'static str]) -> Option<&'static str> {
        let s = self.str()?;
        texts.iter().find(|t| **t == s).copied()
    }

    fn problem(&mut self) -> Option<ProblemKind> {
        use ProblemKind as K;
        const TYPES: [&str; 5] = ["string", "object", "array", "integer", "array of strings"];
        let vocabularies = VocabKind::ALL.map(VocabKind::key);
        Some(match self.byte()? {
            0 => K::RecordNotObject,
            1 => K::MissingId,
            2 => K::InvalidId(self.str()?),
            3 => K::MissingName,
            4 => K::InvalidName,
            5 => K::DuplicateId { first_index: self.usize()? },
            6 => K::WrongType { expected: self.known(&TYPES)? },
            7 => K::UnknownVocabulary { vocabulary: self.known(&vocabularies)?, value: self.str()? },
            8 => K::CoordinatesOutside { lon: self.finite()?, lat: self.finite()? },
            9 => K::CoordinatesNotNumbers,
            10 => K::UnsafeUrl(self.str()?),
            11 => K::YearOutOfRange { year: self.int()?, max: self.int()? },
            12 => K::NegativeSites(self.int()?),
            13 => K::TextTooLong { max: self.usize()?, len: self.usize()? },
            14 => K::UnknownField(self.str()?),
            15 => K::DuplicateKey(self.str()?),
            16 => K::UnknownDepartment(self.str()?),
            17 => K::UnknownRegion(self.str()?),
            18 => K::UnknownCommune(self.str()?),
            19 => K::UnknownPostcode(self.str()?),
            20 => K::UnknownCommuneName { name: self.str()?, department: self.opt_str()? },
            21 => K::AmbiguousCommuneName { name: self.str()?, count: self.usize()? },
            22 => K::CommuneNotInDepartment { name: self.str()?, given: self.str()?, found: self.str()? },
            23 => K::PostcodeMismatch { postcode: self.str()?, name: self.str()? },
            24 => K::DepartmentMismatch { given: self.str()?, found: self.str()? },
            25 => K::RegionMismatch { given: self.str()?, found: self.str()? },
            26 => K::CommuneTableUnavailable(self.str()?),
            27 => K::InvalidDate(self.str()?),
            28 => K::InvalidLanguage(self.str()?),
            29 => K::InvalidVocabularyEntry,
            30 => K::InvalidNoun,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_written_by_another_folding_is_not_used_and_the_records_are_indexed_instead() {
        use crate::load::{load_pieces, Setup};
        use crate::schema::ValidateOptions;
        let setup = || Setup {
            options: ValidateOptions { url: "d".into(), current_year: 2026, max_bytes: u64::MAX },
            departments: crate::outlines::FILE.into(),
            departments_url: "data/france-departments.bin".into(),
        };
        let json = include_bytes!("../static/innovations-demo.json").to_vec();
        let loaded = load_pieces(setup(), [json], || Err("no table".into())).expect("the demo loads");
        let other = write_parts(&loaded.index.dataset, &loaded.report, Some(&loaded.index), fingerprint() ^ 1);
        let (_, head) = Unpacking::start(&other.as_slice()).expect("reads");
        assert!(!head.indexed, "another folding's index is not used");
        let ours = write_indexed(&loaded.index, &loaded.report);
        assert!(Unpacking::start(&ours.as_slice()).expect("reads").1.indexed);
        for bytes in [other, ours] {
            let got = load_pieces(setup(), [bytes], || Err("no table".into())).expect("the pack loads");
            let search = crate::filter::Filter { text: "insertion".into(), ..Default::default() };
            assert_eq!(got.index.apply(&search), loaded.index.apply(&search));
            assert_eq!(got.index.name_order(), loaded.index.name_order());
        }
    }

    #[test]
    fn a_pack_holds_only_what_validation_keeps_a_nan_point_or_a_bad_id_is_damaged() {
        // (A fuzzed pack with a NaN longitude read back unequal to itself: no comparison orders NaN.)
        let dataset = |id: &str, lon: f64| Dataset {
            meta: Meta::default(),
            vocabularies: Vocabularies::builtin(),
            innovations: vec![Innovation {
                id: id.into(),
                name: "Nom".into(),
                origin: Place {
                    point: Some(LonLat { lon, lat: 45.0 }),
                    precision: Precision::Point,
                    ..Place::default()
                },
                ..Innovation::default()
            }],
        };
        let report = DataReport { records_in_file: 1, records_kept: 1, ..DataReport::default() };
        assert!(read(&write(&dataset("ok", 2.0), &report)).is_ok());
        for (id, lon) in [("ok", f64::NAN), ("ok", 181.0), ("ok", f64::INFINITY), ("Pas un id", 2.0), ("", 2.0)] {
            assert_eq!(read(&write(&dataset(id, lon), &report)), Err(PackError::Damaged), "{id:?} {lon}");
        }
    }

    #[test]
    fn adler32_matches_the_rfc_example() {
        let mut a = Adler::default();
        a.update(b"Wikipedia");
        assert_eq!(a.value(), 0x11E6_0398);
    }

    #[test]
    fn varints_and_zigzag_round_trip_at_their_ends() {
        let mut w = Writer::default();
        let uints = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        let ints = [0, -1, 1, i64::MIN, i64::MAX, 1800, -2024];
        uints.iter().for_each(|&v| w.uint(v));
        ints.iter().for_each(|&v| w.int(v));
        let mut r = Reader { b: &w.0, at: 0 };
        for v in uints {
            assert_eq!(r.uint(), Some(v));
        }
        for v in ints {
            assert_eq!(r.int(), Some(v));
        }
        assert_eq!(r.at, w.0.len());
        // Eleven continuation bytes are not a u64.
        assert_eq!(Reader { b: &[0xff; 11], at: 0 }.uint(), None);
        // Nor longer forms of a value: read, then written again, they would give other bytes.
        let max = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(Reader { b: &max, at: 0 }.uint(), Some(u64::MAX));
        let mut past = max;
        past[9] = 0x03;
        assert_eq!(Reader { b: &past, at: 0 }.uint(), None, "bits past the 64th");
        assert_eq!(Reader { b: &[0x85, 0x00], at: 0 }.uint(), None, "5 in two bytes");
        assert_eq!(Reader { b: &[0x80, 0x80, 0x00], at: 0 }.uint(), None, "0 in three bytes");
        assert_eq!(Reader { b: &[0x00], at: 0 }.uint(), Some(0));
    }
}
