//! The binary files' primitives, shared by the packed datasets ([`crate::pack`]) and the department outlines file
//! ([`crate::outlines`]): LEB128 varints (signed ones zigzag-encoded), texts as a varint length then UTF-8,
//! little-endian floats, and Adler-32. A [`Reader`] trusts nothing: each read gives `None` when the bytes do not
//! hold what is read, and the caller says the file is damaged.

// (The widget and the check page write no file: only the tool and the tests do.)
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
#[derive(Default)]
pub(crate) struct Writer(pub(crate) Vec<u8>);

#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
impl Writer {
    pub(crate) fn uint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }
    /// Signed, zigzag-encoded.
    pub(crate) fn int(&mut self, v: i64) {
        self.uint(((v << 1) ^ (v >> 63)) as u64);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub(crate) fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
}

/// Reads values out of a slice; `None` when the bytes do not hold what is read.
pub(crate) struct Reader<'a> {
    pub(crate) b: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn byte(&mut self) -> Option<u8> {
        let b = *self.b.get(self.at)?;
        self.at += 1;
        Some(b)
    }
    #[inline(never)]
    pub(crate) fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                // The shortest form only, as written: a last byte 0 after the first, or bits past the 64th, would
                // let other bytes read as the same file.
                return (shift == 0 || b != 0 && (shift < 63 || b == 1)).then_some(v);
            }
        }
        None
    }
    /// A count of things each at least one byte long: never more than the bytes left (a damaged count would
    /// otherwise reserve memory for nothing).
    pub(crate) fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.uint()?).ok()?;
        (n <= self.b.len() - self.at).then_some(n)
    }
    pub(crate) fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }
    pub(crate) fn int(&mut self) -> Option<i64> {
        let v = self.uint()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }
    pub(crate) fn str(&mut self) -> Option<String> {
        let n = self.usize()?;
        let bytes = self.b.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        std::str::from_utf8(bytes).ok().map(str::to_owned)
    }
    pub(crate) fn f64(&mut self) -> Option<f64> {
        let bytes = self.b.get(self.at..self.at.checked_add(8)?)?;
        self.at += 8;
        Some(f64::from_le_bytes(bytes.try_into().ok()?))
    }
    /// A number as JSON writes them: finite.
    #[cfg_attr(all(target_arch = "wasm32", not(any(feature = "packed", feature = "check"))), allow(dead_code))]
    pub(crate) fn finite(&mut self) -> Option<f64> {
        self.f64().filter(|v| v.is_finite())
    }
    /// Whether every byte was read.
    pub(crate) fn done(&self) -> bool {
        self.at == self.b.len()
    }
}

/// Adler-32 (RFC 1950), computed a piece at a time.
pub(crate) struct Adler {
    a: u32,
    b: u32,
}

impl Default for Adler {
    fn default() -> Self {
        Adler { a: 1, b: 0 }
    }
}

impl Adler {
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        const MOD: u32 = 65_521;
        // The most bytes summed before `b` could overflow a u32.
        for chunk in bytes.chunks(5_552) {
            for &x in chunk {
                self.a += u32::from(x);
                self.b += self.a;
            }
            self.a %= MOD;
            self.b %= MOD;
        }
    }

    pub(crate) fn value(&self) -> u32 {
        self.b << 16 | self.a
    }
}
