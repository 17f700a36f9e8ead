//! A small JSON reader (RFC 8259) for the pure core: the dataset, the embed options and the department outlines.
//!
//! Written for this widget rather than taken from `serde` + `serde_json`, whose code would weigh more in the gzipped
//! wasm bundle than the rest of the dataset reading (docs/SIZE.md) for the three documents it reads. What it does,
//! and why:
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
//!   later. A 50 MB dataset is never held as one tree (that tree takes several times the text's size).
//! - Strict: every escape is checked (`\uXXXX` surrogates must be paired), control characters must be escaped
//!   in strings, nothing may follow the value but whitespace. At most 127 arrays and objects may be nested in
//!   each other (see [`DEPTH_LIMIT`]): deeper is an error, never a stack overflow. No input panics.
//! - An [`Error`] gives a line, a column and a short cause, in `serde_json`'s words ("expected `,` or `}`").
//!   Positions are those `serde_json` gives, with columns counted in characters rather than bytes (an editor's
//!   column, for a French file full of accents): the column of the offending character, or of the last character
//!   at the end of the text (column 0 when the text ends with a line break). Three exceptions, where
//!   `serde_json`'s position is not where an editor shows the problem: an error on a line break is placed at the
//!   end of its line (not on the next line at column 0); a control character in a string is placed on itself
//!   (not, in values, on the character before); a bad `\u` escape on its first character that is not a hex digit
//!   (not on the fourth after `\u`).

mod layout;
mod parser;

use std::fmt;

pub use layout::{Layout, Scanner};
pub use parser::{parse_nested, Parser};

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
    /// A number from its text, which must be a JSON number (`12`, `-1.5`): for writers such as the export.
    pub fn from_text(text: String) -> Number {
        Number(text)
    }

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
    /// is too large for an `f64` (`1e400`, which `serde_json` refuses too).
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
