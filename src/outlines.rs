//! The department outlines file, `data/france-departments.bin`: the departments of
//! `static/data/france-departments.geojson` in binary, each outline both as longitudes and latitudes (to find the
//! department of a point) and already projected on the map's canvas ([`crate::geo::project_outlines`]), with
//! metropolitan France's frame. The widget reads it without parsing text or projecting an outline.
//!
//! ```text
//! header (24 bytes): MAGIC (14) · VERSION u16 · body length u32 · Adler-32 of the body u32
//! body: metro frame (4 × f64) · department count · per department: code · name · region code · polygon count ·
//!       per polygon: ring count · per ring: point count, points (lon, lat) · canvas point count, points (x, y)
//! ```
//!
//! Integers are little-endian in the header, varints in the body ([`crate::bytes`]); each ring's points are the
//! differences from the point before (the first from 0), zigzag-encoded: longitudes and latitudes in
//! 1/10,000 degree, which is the GeoJSON's precision (the file is refused if a coordinate has more decimals),
//! canvas points in tenths of a unit. The file is made from the GeoJSON and compared with it by the native tests
//! (`tests/outlines.rs`); the GeoJSON stays the source. The widget, the check page and the command-line tool read
//! this file.

#[cfg(not(target_arch = "wasm32"))]
use crate::bytes::Writer;
use crate::bytes::{Adler, Reader};
use crate::territory::{Polygon, RawDepartment, Territories};

/// A first byte no text starts with, then the name.
pub const MAGIC: [u8; 14] = *b"\x89ESSAIMAGE-MAP";
/// The format version this code writes and reads.
pub const VERSION: u16 = 1;
const HEADER: usize = 24;
/// Longitudes and latitudes are stored in 1/10,000 degree.
const PER_DEGREE: f64 = 10_000.0;

/// The outlines of `terr` (made by [`Territories::from_geojson`]) as the file stores them; an error names a
/// coordinate that 1/10,000 degree cannot hold exactly.
#[cfg(not(target_arch = "wasm32"))]
pub fn write(terr: &Territories) -> Result<Vec<u8>, String> {
    let mut w = Writer::default();
    for v in terr.metro {
        w.f64(v);
    }
    w.uint(terr.departments.len() as u64);
    for d in &terr.departments {
        w.str(&d.code);
        w.str(&d.name);
        w.str(&terr.regions[d.region].code);
        w.uint(d.polygons.len() as u64);
        for (poly, canvas) in d.polygons.iter().zip(&d.canvas) {
            w.uint(poly.len() as u64);
            for (ring, canvas_ring) in poly.iter().zip(canvas) {
                w.uint(ring.len() as u64);
                let mut last = [0i64; 2];
                for p in ring {
                    for (i, v) in p.iter().enumerate() {
                        let q = (v * PER_DEGREE).round();
                        if q / PER_DEGREE != *v {
                            return Err(format!("department {}: {v} has more than 4 decimals", d.code));
                        }
                        w.int(q as i64 - last[i]);
                        last[i] = q as i64;
                    }
                }
                w.uint(canvas_ring.len() as u64);
                let mut last = [0i64; 2];
                for p in canvas_ring {
                    for i in 0..2 {
                        w.int(i64::from(p[i]) - last[i]);
                        last[i] = p[i].into();
                    }
                }
            }
        }
    }
    Ok(seal(&w.0))
}

/// A body with its header: magic bytes, version, length and Adler-32 (the tests seal bodies of their own).
#[cfg(not(target_arch = "wasm32"))]
pub fn seal(body: &[u8]) -> Vec<u8> {
    let mut sum = Adler::default();
    sum.update(body);
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&sum.value().to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// The outlines file, for the command-line tool and the tests (the widget downloads it: this constant is not in
/// its build).
pub const FILE: &[u8] = include_bytes!("../static/data/france-departments.bin");

/// The territories an outlines file holds; an error says what is wrong with the file (the widget shows it as
/// « the reference data could not be read », with the file's address).
pub fn read(bytes: &[u8]) -> Result<Territories, String> {
    if !bytes.starts_with(&MAGIC) {
        return Err("not an Essaimage outlines file".into());
    }
    let header = bytes.get(..HEADER).unwrap_or_default();
    let word = |at: usize| header.get(at..at + 4).map_or(0, |w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]));
    let body = bytes.get(HEADER..).unwrap_or_default();
    let mut sum = Adler::default();
    sum.update(body);
    let mut r = Reader { b: body, at: 0 };
    let (metro, departments) = r.outlines();
    // (Read even when the sums differ: one test, one message. Another version is refused with the same message:
    // the widget's whole folder, data/ included, is to be copied again either way.)
    if header.len() < HEADER
        || header[14..16] != VERSION.to_le_bytes()
        || body.len() != word(16) as usize
        || sum.value() != word(20)
        || !r.done()
    {
        return Err("outlines file damaged or cut short".into());
    }
    Territories::assemble(departments, metro)
}

/// The body is read to its end whatever it holds: a value the bytes do not hold reads as 0 (or empty) and leaves the
/// reader past the end, so the file is refused once read ([`Reader::done`] is false), with no exit at every read.
impl Reader<'_> {
    fn failed<T: Default>(&mut self) -> T {
        self.at = usize::MAX;
        T::default()
    }
    fn n(&mut self) -> usize {
        self.count().unwrap_or_else(|| self.failed())
    }
    fn s(&mut self) -> String {
        self.str().unwrap_or_else(|| self.failed())
    }

    fn outlines(&mut self) -> ([f64; 4], Vec<RawDepartment>) {
        let mut metro = [0.0; 4];
        for v in &mut metro {
            *v = self.f64().unwrap_or_else(|| self.failed());
        }
        let mut departments = Vec::new();
        for _ in 0..self.n() {
            let (code, name, region) = (self.s(), self.s(), self.s());
            let (mut polygons, mut canvas) = (Vec::new(), Vec::new());
            for _ in 0..self.n() {
                let (mut poly, mut canvas_poly): (Polygon, _) = (Vec::new(), Vec::new());
                for _ in 0..self.n() {
                    poly.push(self.points(|[lon, lat]| [lon as f64 / PER_DEGREE, lat as f64 / PER_DEGREE]));
                    canvas_poly.push(self.points(|[x, y]| [x as i32, y as i32]));
                }
                polygons.push(poly);
                canvas.push(canvas_poly);
            }
            departments.push(RawDepartment { code, name, region, polygons, canvas });
        }
        (metro, departments)
    }

    /// A ring's points, each made by `point` from its integer coordinates.
    fn points<T>(&mut self, point: impl Fn([i64; 2]) -> T) -> Vec<T> {
        let n = self.n();
        let mut out = Vec::with_capacity(n);
        let mut last = [0i64; 2];
        for _ in 0..n {
            for v in &mut last {
                *v = v.wrapping_add(self.int().unwrap_or_else(|| self.failed()));
            }
            out.push(point(last));
        }
        out
    }
}
