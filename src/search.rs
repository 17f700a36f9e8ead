//! The word index of the free-text search.
//!
//! # Design
//! The folded text of every record (name, summary, commune names: see [`crate::text::fold`]) is cut into words
//! ([`next_word`]: ASCII spaces, apostrophes, hyphens and other punctuation separate them). The index keeps:
//! - the **vocabulary**: the distinct words in one string, each followed by a space, in the order first met (the
//!   order does not matter: a query word is looked for in every word), and where each starts: a text's distinct
//!   words are few next to the text itself;
//! - per word, the **records** containing it: a list of record numbers, or, once that list would be half the size
//!   of a bitset of the records (a word in 1/64 of the records or more: « de », « projet »…), a bitset, which a
//!   union takes a word at a time. The whole index is a fraction of a folded copy of the text, which it replaces
//!   (sizes in docs/PERFORMANCE.md).
//!
//! A query word matches every vocabulary word that contains it (« seau » matches « reseau »): one substring search
//! over the vocabulary string, then the union of those words' records. A query word therefore matches inside a word
//! of the text, never across a space or punctuation, which is why the query is cut into words the same way. The
//! costliest query is one letter (« e » is in most words: many bitsets and lists to add), and it is still cheap
//! enough to compute at every keystroke (docs/PERFORMANCE.md).
//!
//! The index is built in one pass over the text and keeps no copy of it: each record's text is folded into a
//! reused buffer and cut into words, a chained hash table gives each word its number, and the record is added to
//! the word's list, or to its bitset once the list is long enough (the list is then turned into a bitset and
//! dropped). The structures are plain vectors: a compact encoding (gaps in varints, one buffer for all the lists)
//! would save some memory for more code in the wasm bundle, and the plain vectors are small enough.

use crate::bitset::Bitset;
use crate::model::Innovation;
use crate::text::{fold_into, next_word};

/// The records containing each word of the records' texts; see the module documentation.
pub struct WordIndex {
    records: usize,
    /// The distinct words in the order first met, each followed by a space (so that a search never spans two).
    vocab: String,
    /// Where each word starts in `vocab`, plus the end.
    word_start: Vec<u32>,
    /// Per word, the records containing it, increasing; empty for a word with a bitset.
    lists: Vec<Vec<u32>>,
    /// Per word, its bitset if it has one.
    dense: Vec<Option<Bitset>>,
}

/// What a [`WordIndex`] is made of ([`WordIndex::parts`]).
pub struct WordIndexParts<'a> {
    pub records: usize,
    pub vocab: &'a str,
    pub word_start: &'a [u32],
    pub lists: &'a [Vec<u32>],
    pub dense: &'a [Option<Bitset>],
}

/// FNV-1a, for the hash table of the build.
fn hash(w: &str) -> usize {
    let mut h = 0x811c_9dc5u32;
    for &b in w.as_bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    h as usize
}

/// The words met while building, numbered in the order first met (the vocabulary of the index), with a hash table
/// from a word to its number: chained, with twice as many chains as records (and at least 1,024), so it never
/// grows. A real text has far fewer distinct words than records: a vocabulary larger than the table only makes
/// chains longer.
struct Words {
    /// Each word followed by a space.
    text: String,
    /// Where each word starts in `text`, plus the end.
    start: Vec<u32>,
    /// Per hash value, the last word added with it (number + 1; 0: none); per word, the word added before it with
    /// the same hash value.
    heads: Vec<u32>,
    next: Vec<u32>,
}

impl Words {
    /// The number of `w`, added if new.
    fn id(&mut self, w: &str) -> usize {
        let h = hash(w) & (self.heads.len() - 1);
        let mut id = self.heads[h] as usize;
        while id != 0 {
            if self.text.as_bytes()[self.start[id - 1] as usize..self.start[id] as usize - 1] == *w.as_bytes() {
                return id - 1;
            }
            id = self.next[id - 1] as usize;
        }
        self.next.push(self.heads[h]);
        self.text.push_str(w);
        self.text.push(' ');
        self.start.push(self.text.len() as u32);
        self.heads[h] = self.next.len() as u32;
        self.next.len() - 1
    }
}

/// Shortest query word (in characters) that tolerates a typo.
pub const TYPO_MIN: usize = 5;

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Whether `a` and `b` differ by at most one edit: a byte added, dropped or changed, or two neighbours swapped
/// (folded words are mostly ASCII; an accent-free letter is one byte).
pub fn one_typo(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let first = short.iter().zip(long).position(|(x, y)| x != y).unwrap_or(short.len());
    if short.len() == long.len() {
        if first == short.len() {
            return true;
        }
        // One change, or a swap of two neighbours.
        short[first + 1..] == long[first + 1..]
            || (first + 1 < short.len()
                && short[first] == long[first + 1]
                && short[first + 1] == long[first]
                && short[first + 2..] == long[first + 2..])
    } else {
        short[first..] == long[first + 1..]
    }
}

/// Adds records to `mask`.
fn add_records(mask: &mut Bitset, records: &[u32]) {
    records.iter().for_each(|&r| mask.insert(r as usize));
}

/// Where `needle` first occurs in `hay` at or after `from`: where its first byte occurs and the rest follows. Faster
/// than `str::find` for what a visitor types first (« r », « re »: its searcher would be set up again after each
/// word found), and fast enough for a longer word over the vocabulary. A match never starts inside a character.
fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    while let Some(p) = hay[at..].iter().position(|&b| b == first) {
        at += p + 1;
        if hay[at..].starts_with(rest) {
            return Some(at - 1);
        }
    }
    None
}

/// A [`WordIndex`] being built a slice of records at a time, so that the embed boundary can let the browser run
/// between slices (built whole, a large dataset's index would be one long task: docs/PERFORMANCE.md).
pub struct WordIndexBuilder {
    records: usize,
    /// Records indexed so far.
    done: usize,
    words: Words,
    // Per word number, as in `WordIndex`.
    lists: Vec<Vec<u32>>,
    dense: Vec<Option<Bitset>>,
    text: String,
}

impl WordIndexBuilder {
    /// A builder for `records` records.
    pub fn new(records: usize) -> WordIndexBuilder {
        let words = Words {
            text: String::new(),
            start: vec![0],
            heads: vec![0; (2 * records).max(1024).next_power_of_two()],
            next: Vec::new(),
        };
        WordIndexBuilder { records, done: 0, words, lists: Vec::new(), dense: Vec::new(), text: String::new() }
    }

    /// Indexes the name, summary and communes of the next `count` records of `records` (the same slice at every
    /// call, of the length given to [`WordIndexBuilder::new`]). Returns whether records remain.
    pub fn add(&mut self, records: &[Innovation], count: usize) -> bool {
        let n = self.records;
        let end = (self.done + count).min(n);
        let text = &mut self.text;
        for (i, inno) in records.iter().enumerate().take(end).skip(self.done) {
            text.clear();
            fold_into(&inno.name, text);
            text.push(' ');
            fold_into(inno.summary.as_deref().unwrap_or(""), text);
            for place in inno.places() {
                text.push(' ');
                fold_into(place.commune.as_deref().unwrap_or(""), text);
            }
            let mut at = 0;
            while let Some((s, e)) = next_word(text, at) {
                at = e;
                let id = self.words.id(&text[s..e]);
                if id == self.lists.len() {
                    self.lists.push(Vec::new());
                    self.dense.push(None);
                }
                let list = &mut self.lists[id];
                match &mut self.dense[id] {
                    Some(b) => b.insert(i),
                    // Once per record (a list ends with the last record added).
                    None if list.last() != Some(&(i as u32)) => {
                        list.push(i as u32);
                        // Half the size of a bitset (and at least 64 records): a bitset from now on.
                        if list.len() * 64 >= n.max(4096) {
                            let mut b = Bitset::empty(n);
                            add_records(&mut b, &std::mem::take(list));
                            self.dense[id] = Some(b);
                        }
                    }
                    None => {}
                }
            }
        }
        self.done = end;
        end < n
    }

    pub fn finish(self) -> WordIndex {
        let WordIndexBuilder { records, words, lists, dense, .. } = self;
        WordIndex { records, vocab: words.text, word_start: words.start, lists, dense }
    }
}

impl WordIndex {
    /// Indexes the name, summary and communes of each record (at once; [`WordIndexBuilder`] does it by slices).
    pub fn build(records: &[Innovation]) -> WordIndex {
        let mut builder = WordIndexBuilder::new(records.len());
        builder.add(records, records.len());
        builder.finish()
    }

    /// What the index is made of, for a packed dataset (`crate::pack`): the records indexed, the vocabulary, where
    /// each word starts in it (then its end), and each word's records, as a list or a bitset.
    pub fn parts(&self) -> WordIndexParts<'_> {
        WordIndexParts {
            records: self.records,
            vocab: &self.vocab,
            word_start: &self.word_start,
            lists: &self.lists,
            dense: &self.dense,
        }
    }

    /// The index [`WordIndex::parts`] gave, checked: `None` unless every word is a slice of the vocabulary ending
    /// with its space, and every list increasing, under `records` (a bitset's size was checked when it was read).
    pub fn from_parts(
        records: usize,
        vocab: String,
        word_start: Vec<u32>,
        lists: Vec<Vec<u32>>,
        dense: Vec<Option<Bitset>>,
    ) -> Option<WordIndex> {
        let words = word_start.len().checked_sub(1)?;
        let bytes = vocab.as_bytes();
        let starts_ok = word_start.first() == Some(&0)
            && word_start.last().is_some_and(|&e| e as usize == bytes.len())
            && word_start
                .windows(2)
                .all(|w| w[0] < w[1] && bytes[w[1] as usize - 1] == b' ' && vocab.is_char_boundary(w[0] as usize));
        let lists_ok =
            lists.iter().all(|l| l.windows(2).all(|w| w[0] < w[1]) && l.last().is_none_or(|&r| (r as usize) < records));
        (starts_ok && lists_ok && lists.len() == words && dense.len() == words).then_some(WordIndex {
            records,
            vocab,
            word_start,
            lists,
            dense,
        })
    }

    /// The number of distinct words.
    pub fn len(&self) -> usize {
        self.word_start.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records with a word one typo away from `part` (a letter added, dropped, changed, or two swapped), or whose
    /// start is: for a query word of [`TYPO_MIN`] letters or more that [`WordIndex::records_with`] does not find
    /// (« marseile » finds « marseille »). One pass over the vocabulary.
    pub fn records_near(&self, part: &str) -> Bitset {
        let mut mask = Bitset::empty(self.records);
        let p = part.as_bytes();
        if part.chars().count() < TYPO_MIN {
            return mask;
        }
        for w in 0..self.len() {
            let word = &self.vocab.as_bytes()[self.word_start[w] as usize..self.word_start[w + 1] as usize - 1];
            let near = (p.len().saturating_sub(1)..=p.len() + 1)
                .any(|n| n <= word.len() && (n == word.len() || !is_continuation(word[n])) && one_typo(p, &word[..n]));
            if near {
                match &self.dense[w] {
                    Some(b) => mask.or_with(b),
                    None => add_records(&mut mask, &self.lists[w]),
                }
            }
        }
        mask
    }

    /// The records with a word that contains `part` (folded, one word: see [`crate::text::query_words`]); none for
    /// an empty `part`.
    pub fn records_with(&self, part: &str) -> Bitset {
        let mut mask = Bitset::empty(self.records);
        let (mut from, mut w) = (0, 0);
        while let Some(found) = find(self.vocab.as_bytes(), from, part.as_bytes()) {
            while self.word_start[w + 1] as usize <= found {
                w += 1;
            }
            match &self.dense[w] {
                Some(b) => mask.or_with(b),
                None => add_records(&mut mask, &self.lists[w]),
            }
            from = self.word_start[w + 1] as usize;
        }
        mask
    }
}
