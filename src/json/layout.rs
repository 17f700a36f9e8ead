//! Where the pieces of a document are, found without parsing it: the dataset's records are located as the file
//! downloads, then read one at a time.

use std::ops::Range;

/// Where the pieces of a document `{"key": value, …}` are, found without parsing it (see [`Layout::scan`]).
#[derive(Debug, Default, PartialEq)]
pub struct Layout {
    /// Each entry's key (quotes included) and value, as byte ranges, in file order.
    pub entries: Vec<(Range<usize>, Range<usize>)>,
    /// The elements of the last array given under the wanted key (none if its last value is not an array).
    pub elements: Vec<Range<usize>>,
}

/// The scanner's place in the document.
#[derive(Clone, Copy, PartialEq)]
enum At {
    Start,
    KeyOrEnd,
    Key,
    Colon,
    Value,
    InValue,
    AfterValue,
    NextKey,
    ElementOrEnd,
    NextElement,
    AfterElement,
    Done,
    Failed,
}

impl Layout {
    /// Finds the pieces of a document of `len` bytes that `read` copies a range at a time (so the document may
    /// live outside this memory), reading it once in windows of `window` bytes (see [`Scanner`]).
    pub fn scan(
        len: usize,
        window: usize,
        read: &mut dyn FnMut(Range<usize>, &mut Vec<u8>),
        array_key: &str,
    ) -> Option<Layout> {
        let mut scanner = Scanner::new(array_key);
        let mut buf = Vec::new();
        let mut offset = 0;
        while offset < len {
            let end = (offset + window).min(len);
            read(offset..end, &mut buf);
            scanner.feed(&buf);
            offset = end;
        }
        scanner.finish()
    }
}

/// Finds the [`Layout`] of a document given a piece at a time, in order (as it downloads, for instance). Only the
/// punctuation between the pieces is checked: the document is valid JSON when each piece then reads as one value
/// ([`parse_nested`], at depth 1 for entry values and 2 for elements). [`Scanner::finish`] gives `None` when the
/// document is not an object, has a key with an escape, or is not well formed around its pieces: the caller then
/// reads it whole, with the exact error. Ranges count from the document's first byte (a byte-order mark included).
pub struct Scanner {
    array_key: Vec<u8>,
    layout: Layout,
    /// Bytes fed so far; false once the document cannot be read by pieces.
    offset: usize,
    ok: bool,
    bom: usize,
    at: At,
    key: Vec<u8>,
    key_start: usize,
    key_range: Range<usize>,
    // The value being skipped: where it starts, nesting, inside a string, after a backslash, a bare word (number,
    // true, false, null); and whether it is an element of the wanted array (which starts at `array`).
    start: usize,
    depth: usize,
    in_str: bool,
    esc: bool,
    word: bool,
    element: bool,
    array: usize,
}

impl Scanner {
    pub fn new(array_key: &str) -> Scanner {
        Scanner {
            array_key: array_key.as_bytes().to_vec(),
            layout: Layout::default(),
            offset: 0,
            ok: true,
            bom: 0,
            at: At::Start,
            key: Vec::new(),
            key_start: 0,
            key_range: 0..0,
            start: 0,
            depth: 0,
            in_str: false,
            esc: false,
            word: false,
            element: false,
            array: 0,
        }
    }

    /// The layout, once the whole document was fed.
    pub fn finish(self) -> Option<Layout> {
        (self.ok && self.at == At::Done).then_some(self.layout)
    }

    /// While the wanted array is being fed and has at least `min` complete elements: the layout of the document
    /// up to there, as if it ended after them (its entries so far, the array's with only its first byte, and those
    /// elements). With it, [`crate::schema::Reading`] reads the first records of a document still downloading.
    pub fn partial(&self, min: usize) -> Option<Layout> {
        let inside = match self.at {
            At::ElementOrEnd | At::NextElement | At::AfterElement => true,
            At::InValue => self.element,
            _ => false,
        };
        if !(self.ok && inside && self.layout.elements.len() >= min) {
            return None;
        }
        let mut entries = self.layout.entries.clone();
        entries.push((self.key_range.clone(), self.array..self.array + 1));
        Some(Layout { entries, elements: self.layout.elements.clone() })
    }

    /// Reads the next bytes of the document.
    pub fn feed(&mut self, bytes: &[u8]) {
        let base = self.offset;
        self.offset += bytes.len();
        if !self.ok {
            return;
        }
        let mut i = 0;
        while i < bytes.len() {
            // Most of a document is the inside of strings, where only a quote or a backslash changes the state:
            // they are looked for by a loop that does nothing else (reading each byte through the state machine
            // took 1.7 times as long, natively).
            if self.in_str && !self.esc && self.at == At::InValue {
                while i < bytes.len() && !matches!(bytes[i], b'"' | b'\\') {
                    i += 1;
                }
                if i == bytes.len() {
                    break;
                }
            }
            let (b, pos) = (bytes[i], base + i);
            i += 1;
            let blank = matches!(b, b' ' | b'\n' | b'\t' | b'\r');
            if self.at == At::InValue {
                let done = if self.in_str {
                    if self.esc {
                        self.esc = false;
                    } else if b == b'\\' {
                        self.esc = true;
                    } else if b == b'"' {
                        self.in_str = false;
                    }
                    !self.in_str && self.depth == 0
                } else if self.word {
                    // The byte after a bare word belongs to what follows: read it again there.
                    let end = blank || matches!(b, b',' | b'}' | b']');
                    i -= usize::from(end);
                    end
                } else {
                    match b {
                        b'"' => self.in_str = true,
                        b'[' | b'{' => self.depth += 1,
                        b']' | b'}' => self.depth -= 1,
                        _ => {}
                    }
                    self.depth == 0
                };
                if done {
                    let value = self.start..if self.word { pos } else { pos + 1 };
                    if self.element {
                        self.layout.elements.push(value);
                        self.at = At::AfterElement;
                    } else {
                        self.layout.entries.push((self.key_range.clone(), value));
                        self.at = At::AfterValue;
                    }
                }
                continue;
            }
            // A byte-order mark, whole, at the very start.
            if self.at == At::Start && pos == self.bom && self.bom < 3 && b == [0xEF, 0xBB, 0xBF][self.bom] {
                self.bom += 1;
                continue;
            }
            if blank {
                if self.at == At::Key {
                    self.key.push(b);
                }
                continue;
            }
            let begin = |element: bool| match b {
                b'"' => Some((element, 0, true, false)),
                b'[' | b'{' => Some((element, 1, false, false)),
                b']' | b'}' | b',' | b':' => None,
                _ => Some((element, 0, false, true)),
            };
            let mut value = None;
            self.at = match (self.at, b) {
                (At::Start, b'{') if self.bom % 3 == 0 => At::KeyOrEnd,
                (At::KeyOrEnd, b'}') | (At::AfterValue, b'}') => At::Done,
                (At::KeyOrEnd | At::NextKey, b'"') => {
                    self.key.clear();
                    self.key_start = pos;
                    At::Key
                }
                (At::Key, b'"') => {
                    self.key_range = self.key_start..pos + 1;
                    At::Colon
                }
                (At::Key, b'\\' | 0..=0x1F) => At::Failed,
                (At::Key, _) => {
                    self.key.push(b);
                    At::Key
                }
                (At::Colon, b':') => At::Value,
                (At::Value, _) if self.key == self.array_key => {
                    self.layout.elements.clear();
                    if b == b'[' {
                        self.array = pos;
                        At::ElementOrEnd
                    } else {
                        value = begin(false);
                        At::InValue
                    }
                }
                (At::Value, _) => {
                    value = begin(false);
                    At::InValue
                }
                (At::ElementOrEnd | At::AfterElement, b']') => {
                    self.layout.entries.push((self.key_range.clone(), self.array..pos + 1));
                    At::AfterValue
                }
                (At::ElementOrEnd | At::NextElement, _) => {
                    value = begin(true);
                    At::InValue
                }
                (At::AfterElement, b',') => At::NextElement,
                (At::AfterValue, b',') => At::NextKey,
                _ => At::Failed,
            };
            if self.at == At::InValue {
                match value {
                    Some(v) => (self.element, self.depth, self.in_str, self.word) = v,
                    None => self.at = At::Failed,
                }
                self.esc = false;
                self.start = pos;
            }
            if self.at == At::Failed {
                self.ok = false;
                return;
            }
        }
    }
}
