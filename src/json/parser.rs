//! The parser: a JSON text read piece by piece, strictly, with errors placed as an editor shows them.

use super::{Error, Json, Number, DEPTH_LIMIT};

/// [`parse`] for a value that stands `depth` arrays and objects deep in a larger document (they count towards
/// [`DEPTH_LIMIT`], as when the whole document is read); when `build` is false, only checks it.
pub fn parse_nested(text: &str, depth: usize, build: bool) -> Result<Json, Error> {
    let mut p = Parser { text, pos: 0, depth };
    let value = p.any(build)?;
    p.end()?;
    Ok(value)
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
        // `serde_json`'s reference point, so that positions match the reader most JSON tools use: the offset just
        // after the offending byte, capped at the end of the text. The column is then that of the byte before it.
        let mut end = at.saturating_add(1).min(self.text.len());
        // Except on a line break (a raw one in a string, or one that cuts a word, a number or an escape): the end
        // of its line, where an editor shows the problem (`serde_json` says: the next line, column 0).
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
                // Placed on the control character (`serde_json` places it on the character before, in values).
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
    /// digit (`serde_json` places it on the fourth character after `\u`, even past the string's end).
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
    use crate::json::parse;

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
