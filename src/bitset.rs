//! A fixed-size set of record indices, one bit per record: what the filter engine ([`crate::filter`]) and the word
//! index of the search ([`crate::search`]) combine and count.

/// A fixed-size set of record indices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    pub fn empty(len: usize) -> Self {
        Bitset { words: vec![0; len.div_ceil(64)], len }
    }

    pub fn full(len: usize) -> Self {
        let mut b = Bitset { words: vec![u64::MAX; len.div_ceil(64)], len };
        if len % 64 != 0 {
            if let Some(last) = b.words.last_mut() {
                *last = (1u64 << (len % 64)) - 1;
            }
        }
        b
    }

    /// The bits, 64 records a word (a packed dataset stores them as they are).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// A set of `len` records from [`Bitset::words`]; `None` if they are not those of `len` records (too many or
    /// too few, or bits past the last record).
    pub fn from_words(words: Vec<u64>, len: usize) -> Option<Bitset> {
        let tail_clear = len % 64 == 0 || words.last().is_some_and(|w| w >> (len % 64) == 0);
        (words.len() == len.div_ceil(64) && tail_clear).then_some(Bitset { words, len })
    }

    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn and_with(&mut self, other: &Bitset) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= b);
    }

    /// Removes the records of `other`.
    pub fn and_not_with(&mut self, other: &Bitset) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= !b);
    }

    pub fn or_with(&mut self, other: &Bitset) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// `|self ∩ other|` without allocating.
    /// [`Bitset::count_and`] with each of `bits`: one loop for every such count (docs/SIZE.md).
    pub fn count_each(&self, bits: &[Bitset]) -> Vec<usize> {
        let mut out = Vec::with_capacity(bits.len());
        for b in bits {
            out.push(self.count_and(b));
        }
        out
    }

    pub fn count_and(&self, other: &Bitset) -> usize {
        self.words.iter().zip(&other.words).map(|(a, b)| (a & b).count_ones() as usize).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + bit)
            })
        })
    }
}
