//! A small JSON reader (RFC 8259) for the pure core: the dataset, the embed options and the department outlines.
//!
//! Written for this widget instead of `serde` + `serde_json`, which took 27 KB of the gzipped wasm bundle (68 KB
//! raw, with the float formatting their `Display` pulled in) for the three documents it reads. What it does, and
//! why:
//!
//! - [`parse`] reads a whole text into an owned [`Json`] tree. Objects are [`Vec`]s of `(key, value)` in the
//!   order of the file, **duplicate keys included**, so that validation can report them; [`Json::get`] reads
//!   the last value of a key, as `serde_json` and JavaScript do.
//! - Numbers keep their source text ([`Number`]): integers stay exact (`2014` is a year, not `2014.0`), a
//!   message shows a number as the author wrote it, and the conversions ([`Number::as_u64`],
//!   [`Number::as_i64`], [`Number::as_f64`]) are those of `serde_json`, without the general float parser of
//!   `str::parse::<f64>`.
//! - [`Parser`] reads a document piece by piece, for the dataset: its top-level object entry by entry, and the
//!   `innovations` array as raw, already checked record texts ([`Parser::skip`]) that are parsed one at a time
//!   later. A 50 MB dataset is never held as one tree (that tree takes about 4 times the text's size).
//! - Strict: every escape is checked (`\uXXXX` surrogates must be paired), control characters must be escaped
//!   in strings, nothing may follow the value but whitespace. At most 127 arrays and objects may be nested in
//!   each other (see [`DEPTH_LIMIT`]): deeper is an error, never a stack overflow. No input panics.
//! - An [`Error`] gives a line, a column and a short cause, in `serde_json`'s words ("expected `,` or `}`").
//!   Positions are those `serde_json` gave, with columns counted in characters rather than bytes (an editor's
//!   column, for a French file full of accents): the column of the offending character, or of the last character
//!   at the end of the text (column 0 when the text ends with a line break). Three exceptions, where
//!   `serde_json` was off: an error on a line break is placed at the end of its line (not on the next line at
//!   column 0); a control character in a string is placed on itself (not, in values, on the character before);
//!   a bad `\u` escape on its first character that is not a hex digit (not on the fourth after `\u`).

use std::fmt;
use std::ops::Range;

/// Nesting limit, as in `serde_json`: the 128th array or object nested in each other is an error.
pub const DEPTH_LIMIT: usize = 128;

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    /// Entries in file order, duplicate keys included.
    Object(Vec<(String, Json)>),
}

/// A JSON number, as written in the source (already checked to be a valid JSON number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

/// A syntax error: where (1-based line; column in characters) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    /// 1-based column, in characters, of the offending character (of the last character at the end of the
    /// text; 0 when the text ends with a line break).
    pub column: usize,
    /// What was wrong, in `serde_json`'s words (`EOF while parsing a string`, `trailing characters`…).
    pub cause: &'static str,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} at line {} column {}", self.cause, self.line, self.column)
    }
}

/// Parses a whole JSON text (one value, then only whitespace).
pub fn parse(text: &str) -> Result<Json, Error> {
    parse_nested(text, 0, true)
}

/// [`parse`] for a value that stands `depth` arrays and objects deep in a larger document (they count towards
/// [`DEPTH_LIMIT`], as when the whole document is read); when `build` is false, only checks it.
pub fn parse_nested(text: &str, depth: usize, build: bool) -> Result<Json, Error> {
    let mut p = Parser { text, pos: 0, depth };
    let value = p.any(build)?;
    p.end()?;
    Ok(value)
}

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

impl Json {
    /// The last value of `key` in an object (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// A number's value as `f64` (see [`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
}

/// Compact JSON, as `serde_json` writes it (`{"a":[1,"b"]}`), numbers as in the source, keys in file order.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Json::Number(n) => f.write_str(&n.0),
            Json::String(s) => write_string(f, s),
            Json::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    v.fmt(f)?;
                }
                f.write_str("]")
            }
            Json::Object(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_string(f, k)?;
                    f.write_str(":")?;
                    v.fmt(f)?;
                }
                f.write_str("}")
            }
        }
    }
}

/// A JSON string literal: `"` and `\` escaped, control characters as `\n`… or `\u00XX`.
fn write_string(f: &mut fmt::Formatter, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0C => "\\f",
            0..=0x1F => "",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            write!(f, "\\u00{}{}", HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char)?;
        } else {
            f.write_str(short)?;
        }
        start = i + 1;
    }
    f.write_str(&s[start..])?;
    f.write_str("\"")
}

impl Number {
    /// The number as written in the source (`-12.50e3`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A non-negative integer literal that fits in `u64` (`3`, not `3.0`, `-3` or `3e0`).
    pub fn as_u64(&self) -> Option<u64> {
        // `str::parse` takes only digits here (the text is a JSON number: no `+`).
        self.0.parse().ok()
    }

    /// An integer literal that fits in `i64` (`-0` is not one: like `serde_json`, it is the float `-0.0`).
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok().filter(|&n| n != 0 || !self.0.starts_with('-'))
    }

    /// The nearest `f64` for ordinary numbers, computed as `serde_json` does (the significand's first 19 or 20
    /// digits, multiplied or divided by a power of ten). Exact to the last bit as `serde_json` for decimal
    /// exponents up to ±22, which covers every coordinate; beyond, within an ulp or two. `None` when the number
    /// is too large for an `f64` (`1e400`; `serde_json` refused the document).
    pub fn as_f64(&self) -> Option<f64> {
        let text = self.0.as_bytes();
        let (negative, text) = match text.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, text),
        };
        let mut significand: u64 = 0;
        let mut exponent: i32 = 0;
        let mut i = 0;
        // Integer part: once the significand is full, further digits only scale it.
        let mut full = false;
        while let Some(&d @ b'0'..=b'9') = text.get(i) {
            match significand.checked_mul(10).and_then(|s| s.checked_add(u64::from(d - b'0'))) {
                Some(s) if !full => significand = s,
                _ => {
                    full = true;
                    exponent = exponent.saturating_add(1);
                }
            }
            i += 1;
        }
        // Fraction: digits that do not fit are dropped.
        if text.get(i) == Some(&b'.') {
            i += 1;
            let mut full = false;
            while let Some(&d @ b'0'..=b'9') = text.get(i) {
                match significand.checked_mul(10).and_then(|s| s.checked_add(u64::from(d - b'0'))) {
                    Some(s) if !full => {
                        significand = s;
                        exponent -= 1;
                    }
                    _ => full = true,
                }
                i += 1;
            }
        }
        if let Some(b'e' | b'E') = text.get(i) {
            i += 1;
            let positive = match text.get(i) {
                Some(b'-') => {
                    i += 1;
                    false
                }
                Some(b'+') => {
                    i += 1;
                    true
                }
                _ => true,
            };
            let mut e: i32 = 0;
            while let Some(&d @ b'0'..=b'9') = text.get(i) {
                match e.checked_mul(10).and_then(|e| e.checked_add(i32::from(d - b'0'))) {
                    Some(v) => e = v,
                    // An absurd exponent: infinity (refused) or zero.
                    None if positive && significand != 0 => return None,
                    None => return Some(if negative { -0.0 } else { 0.0 }),
                }
                i += 1;
            }
            exponent = if positive { exponent.saturating_add(e) } else { exponent.saturating_sub(e) };
        }
        let mut f = significand as f64;
        loop {
            let k = exponent.unsigned_abs();
            if k <= 308 {
                // 10^k is exact up to 10^22 (`powi` multiplies exact powers); `serde_json` reads it from a table.
                let pow = 10f64.powi(k as i32);
                if exponent >= 0 {
                    f *= pow;
                    if f.is_infinite() {
                        return None;
                    }
                } else {
                    f /= pow;
                }
                break;
            }
            if f == 0.0 {
                break;
            }
            if exponent >= 0 {
                return None;
            }
            f /= 1e308;
            exponent += 308;
        }
        Some(if negative { -f } else { f })
    }
}

/// Reads one JSON text piece by piece. [`parse`] is `value` then `end`; the dataset's validation reads its
/// top-level object with [`Parser::object`], and the records with [`Parser::array`] and [`Parser::skip`].
pub struct Parser<'a> {
    text: &'a str,
    /// Byte offset of the next byte to read.
    pos: usize,
    /// Arrays and objects open around `pos`.
    depth: usize,
}

type Step<'p, 'a> = &'p mut dyn FnMut(&mut Parser<'a>, String) -> Result<(), Error>;

impl<'a> Parser<'a> {
    pub fn new(text: &'a str) -> Parser<'a> {
        Parser { text, pos: 0, depth: 0 }
    }

    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Skips whitespace and returns the next byte, without reading it (`None` at the end).
    pub fn peek(&mut self) -> Option<u8> {
        while let Some(b) = self.byte() {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Reads one value into a tree.
    pub fn value(&mut self) -> Result<Json, Error> {
        self.any(true)
    }

    /// Checks one value without building it and returns its text (like `serde_json`'s `RawValue`), to be read
    /// later with [`parse`], which cannot fail on it.
    pub fn skip(&mut self) -> Result<&'a str, Error> {
        self.peek();
        let start = self.pos;
        self.any(false)?;
        Ok(&self.text[start..self.pos])
    }

    /// Reads an object (an error if the next value is not one), calling `each` with every key; `each` must
    /// read the value ([`Parser::value`], [`Parser::skip`]…).
    pub fn object(&mut self, mut each: impl FnMut(&mut Self, String) -> Result<(), Error>) -> Result<(), Error> {
        self.container(b'{', true, &mut each)
    }

    /// Reads an array (an error if the next value is not one), calling `each` for every element; `each` must
    /// read it.
    pub fn array(&mut self, mut each: impl FnMut(&mut Self) -> Result<(), Error>) -> Result<(), Error> {
        self.container(b'[', true, &mut |p, _| each(p))
    }

    /// Checks that only whitespace is left.
    pub fn end(&mut self) -> Result<(), Error> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    /// An error about the byte at `at` (the end of the text when `at` is past it).
    #[cold]
    fn error_at(&self, at: usize, cause: &'static str) -> Error {
        // `serde_json`'s reference point, kept so that positions do not change: the offset just after the
        // offending byte, capped at the end of the text. The column is then that of the byte before it.
        let mut end = at.saturating_add(1).min(self.text.len());
        // Except on a line break (a raw one in a string, or one that cuts a word, a number or an escape): the end
        // of its line, where an editor shows the problem (`serde_json` said: the next line, column 0).
        if self.text.as_bytes().get(at) == Some(&b'\n') {
            end = at;
        }
        let before = &self.text.as_bytes()[..end];
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let line = before[..line_start].iter().filter(|&&b| b == b'\n').count() + 1;
        // Characters are counted as the bytes that do not continue one, so that `end` may fall inside one.
        let chars = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        let column = if end == line_start { 0 } else { chars(&before[line_start..end - 1]) + 1 };
        Error { line, column, cause }
    }

    /// An error about the next byte.
    #[cold]
    fn error(&self, cause: &'static str) -> Error {
        self.error_at(self.pos, cause)
    }

    /// Reads one value; when `build` is false, only checks it (and returns a placeholder: `Null` or empty).
    fn any(&mut self, build: bool) -> Result<Json, Error> {
        let Some(b) = self.peek() else { return Err(self.error("EOF while parsing a value")) };
        Ok(match b {
            b'"' => {
                self.pos += 1;
                let s = self.string(build)?;
                if build {
                    Json::String(s)
                } else {
                    Json::Null
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = self.pos;
                self.number()?;
                if build {
                    Json::Number(Number(self.text[start..self.pos].to_owned()))
                } else {
                    Json::Null
                }
            }
            b'[' => {
                let mut items = Vec::new();
                self.container(b'[', build, &mut |p, _| {
                    let v = p.any(build)?;
                    if build {
                        items.push(v);
                    }
                    Ok(())
                })?;
                Json::Array(items)
            }
            b'{' => {
                let mut entries = Vec::new();
                self.container(b'{', build, &mut |p, key| {
                    let v = p.any(build)?;
                    if build {
                        entries.push((key, v));
                    }
                    Ok(())
                })?;
                Json::Object(entries)
            }
            b'n' => self.word("null", Json::Null)?,
            b't' => self.word("true", Json::Bool(true))?,
            b'f' => self.word("false", Json::Bool(false))?,
            _ => return Err(self.error("expected value")),
        })
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, Error> {
        for &expected in word.as_bytes() {
            match self.byte() {
                None => return Err(self.error("EOF while parsing a value")),
                Some(b) if b != expected => return Err(self.error("expected ident")),
                Some(_) => self.pos += 1,
            }
        }
        Ok(value)
    }

    /// Reads an array (`open` = `[`) or an object (`{`) whose opening bracket is next, calling `each` for every
    /// element, with its key for an object (an empty string for an array, or when `keys` is false).
    fn container(&mut self, open: u8, keys: bool, each: Step<'_, 'a>) -> Result<(), Error> {
        let is_object = open == b'{';
        if self.peek() != Some(open) {
            return Err(self.error(if is_object { "expected an object" } else { "expected an array" }));
        }
        if self.depth + 1 >= DEPTH_LIMIT {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.pos += 1;
        let (close, eof, expected) = if is_object {
            (b'}', "EOF while parsing an object", "expected `,` or `}`")
        } else {
            (b']', "EOF while parsing a list", "expected `,` or `]`")
        };
        let mut first = true;
        loop {
            // Here: after the opening bracket or a comma.
            match self.peek() {
                Some(b) if b == close => {
                    if !first {
                        return Err(self.error("trailing comma"));
                    }
                    self.pos += 1;
                    break;
                }
                None if is_object => return Err(self.error(eof)),
                _ => {}
            }
            first = false;
            let mut key = String::new();
            if is_object {
                match self.peek() {
                    Some(b'"') => {
                        self.pos += 1;
                        key = self.string(keys)?;
                    }
                    _ => return Err(self.error("key must be a string")),
                }
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    Some(_) => return Err(self.error("expected `:`")),
                    None => return Err(self.error(eof)),
                }
            }
            each(self, key)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b) if b == close => {
                    self.pos += 1;
                    break;
                }
                Some(_) => return Err(self.error(expected)),
                None => return Err(self.error(eof)),
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads a string after its opening quote; unescapes it when `build` (else returns an empty string).
    fn string(&mut self, build: bool) -> Result<String, Error> {
        let mut out = String::new();
        let mut start = self.pos;
        loop {
            let Some(b) = self.byte() else { return Err(self.error("EOF while parsing a string")) };
            match b {
                b'"' | b'\\' => {
                    let chunk = &self.text[start..self.pos];
                    self.pos += 1;
                    if b == b'"' {
                        // Without escapes (the usual case), one allocation of the exact size.
                        return Ok(match (build, out.is_empty()) {
                            (false, _) => out,
                            (true, true) => chunk.to_owned(),
                            (true, false) => out + chunk,
                        });
                    }
                    if build {
                        out.push_str(chunk);
                    }
                    let c = self.escape()?;
                    if build {
                        out.push(c);
                    }
                    start = self.pos;
                }
                // Placed on the control character (`serde_json` placed it on the character before, in values).
                0..=0x1F => return Err(self.error(CONTROL)),
                // The plain run up to the next quote, backslash or control character, in one scan.
                _ => {
                    let rest = &self.text.as_bytes()[self.pos..];
                    self.pos += rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len());
                }
            }
        }
    }

    /// Reads an escape after its backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let Some(b) = self.byte() else { return Err(self.error("EOF while parsing a string")) };
        Ok(match b {
            b'"' | b'\\' | b'/' => {
                self.pos += 1;
                b as char
            }
            b'b' | b'f' | b'n' | b'r' | b't' => {
                self.pos += 1;
                match b {
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    _ => '\t',
                }
            }
            b'u' => {
                self.pos += 1;
                let n = self.hex4()?;
                match n {
                    0xD800..=0xDBFF => {
                        // A leading surrogate: a `\u` escape of a trailing one must follow.
                        for expected in [b'\\', b'u'] {
                            match self.byte() {
                                None => return Err(self.error("EOF while parsing a string")),
                                Some(b) if b != expected => {
                                    return Err(self.error("unexpected end of hex escape"));
                                }
                                Some(_) => self.pos += 1,
                            }
                        }
                        let n2 = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&n2) {
                            return Err(self.error_at(self.pos - 1, LONE_SURROGATE));
                        }
                        char::from_u32(0x10000 + ((n - 0xD800) << 10) + (n2 - 0xDC00)).unwrap_or('\u{FFFD}')
                    }
                    0xDC00..=0xDFFF => return Err(self.error_at(self.pos - 1, LONE_SURROGATE)),
                    _ => char::from_u32(n).unwrap_or('\u{FFFD}'),
                }
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    /// Reads the four hex digits of a `\u` escape. An error is placed on the first character that is not a hex
    /// digit (`serde_json` placed it on the fourth character after `\u`, even past the string's end).
    fn hex4(&mut self) -> Result<u32, Error> {
        let mut n = 0;
        for _ in 0..4 {
            let Some(b) = self.byte() else { return Err(self.error("EOF while parsing a string")) };
            let Some(v) = (b as char).to_digit(16) else { return Err(self.error("invalid escape")) };
            n = n * 16 + v;
            self.pos += 1;
        }
        Ok(n)
    }

    /// Checks a number's syntax: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<(), Error> {
        if self.byte() == Some(b'-') {
            self.pos += 1;
        }
        match self.byte() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.byte() {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.number_error()),
        }
        if self.byte() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.byte(), Some(b'0'..=b'9')) {
                return Err(self.number_error());
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.byte() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.byte() {
                self.pos += 1;
            }
            if !matches!(self.byte(), Some(b'0'..=b'9')) {
                return Err(self.number_error());
            }
            self.digits();
        }
        Ok(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.byte() {
            self.pos += 1;
        }
    }

    #[cold]
    fn number_error(&self) -> Error {
        self.error(if self.byte().is_some() { "invalid number" } else { "EOF while parsing a value" })
    }
}

const CONTROL: &str = "control character (\\u0000-\\u001F) found while parsing a string";
const LONE_SURROGATE: &str = "lone surrogate in hex escape";

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> (usize, usize, &'static str) {
        let e = parse(text).expect_err(text);
        (e.line, e.column, e.cause)
    }

    #[test]
    fn values() {
        let v = parse(r#" {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00\n", true, false, null], "a": {}} "#).unwrap();
        let Json::Object(entries) = &v else { panic!("{v:?}") };
        assert_eq!(entries.len(), 2, "duplicate keys are kept");
        assert_eq!(v.get("a"), Some(&Json::Object(Vec::new())), "get reads the last");
        let a = entries[0].1.as_array().unwrap();
        assert_eq!(a[2].as_str(), Some("xé😀\n"));
        assert_eq!(a[1].as_f64(), Some(-2500.0));
        assert_eq!(v.to_string(), r#"{"a":[1,-2.5e3,"xé😀\n",true,false,null],"a":{}}"#);
    }

    #[test]
    fn numbers_read_as_serde_json_did() {
        let n = |s: &str| match parse(s).unwrap() {
            Json::Number(n) => n,
            other => panic!("{other:?}"),
        };
        assert_eq!((n("2014").as_u64(), n("2014").as_i64()), (Some(2014), Some(2014)));
        assert_eq!((n("-3").as_u64(), n("-3").as_i64()), (None, Some(-3)));
        assert_eq!((n("-0").as_i64(), n("-0").as_f64().map(f64::is_sign_negative)), (None, Some(true)));
        assert_eq!((n("2014.0").as_i64(), n("1e3").as_u64()), (None, None));
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("-1.93812").as_f64(), Some(-1.93812));
        assert_eq!(n("48.117266").as_f64(), Some(48.117266));
        assert_eq!(n("1e400").as_f64(), None);
        assert_eq!(n("1e-400").as_f64(), Some(0.0));
        assert_eq!(n("123456789012345678901234").as_f64(), Some(1.2345678901234567e23));
        assert_eq!(n("0.1234567890123456789012").as_f64(), Some(0.12345678901234568));
    }

    #[test]
    fn errors_say_where_and_why() {
        assert_eq!(err(""), (1, 0, "EOF while parsing a value"));
        assert_eq!(err("[1,]"), (1, 4, "trailing comma"));
        assert_eq!(err("{\"a\" 1}"), (1, 6, "expected `:`"));
        assert_eq!(err("{\"é\": 1 x"), (1, 9, "expected `,` or `}`"));
        assert_eq!(err("[1\n"), (2, 0, "EOF while parsing a list"));
        assert_eq!(err("\"ab\\x\""), (1, 5, "invalid escape"));
        assert_eq!(err("\"a\tb\""), (1, 3, CONTROL));
        assert_eq!(err("\"ab\ncd\""), (1, 3, CONTROL));
        assert_eq!(err("[tru\n]"), (1, 4, "expected ident"));
        assert_eq!(err("\"\\u12G4\""), (1, 6, "invalid escape"));
        assert_eq!(err("\"\\u12"), (1, 5, "EOF while parsing a string"));
        assert_eq!(err("\"\\ud800\""), (1, 8, "unexpected end of hex escape"));
        assert_eq!(err("\"\\udc00\""), (1, 7, LONE_SURROGATE));
        assert_eq!(err("\"\\ud800\\u0041\""), (1, 13, LONE_SURROGATE));
        assert_eq!(err("01"), (1, 2, "invalid number"));
        assert_eq!(err("1."), (1, 2, "EOF while parsing a value"));
        assert_eq!(err("-x"), (1, 2, "invalid number"));
        assert_eq!(err("nul"), (1, 3, "EOF while parsing a value"));
        assert_eq!(err("nulL"), (1, 4, "expected ident"));
        assert_eq!(err("{} {}"), (1, 4, "trailing characters"));
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(DEPTH_LIMIT - 1)).is_ok());
        assert_eq!(err(&deep(DEPTH_LIMIT)), (1, DEPTH_LIMIT, "recursion limit exceeded"));
        assert_eq!(err(&"[".repeat(1_000_000)).2, "recursion limit exceeded");
    }

    #[test]
    fn strings_are_written_back_escaped() {
        let s = Json::String("a\"b\\c\u{1}\u{7f}é/".into());
        assert_eq!(s.to_string(), "\"a\\\"b\\\\c\\u0001\u{7f}é/\"");
        assert_eq!(parse(&s.to_string()).unwrap(), s);
    }
}
