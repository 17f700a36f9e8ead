//! Map geometry: the Lambert-93 projection, the layout of metropolitan France and the five overseas insets on one
//! canvas, and the base map (department outlines as SVG paths) in that canvas's coordinates.
//!
//! Canvas units are SVG user units of a `0 0 1000 800` view box. Metropolitan France is drawn in Lambert-93
//! (EPSG:2154, the official conformal conic projection) on the right; Guadeloupe, Martinique, Guyane, La Réunion
//! and Mayotte are drawn down the left side, each in its own box at its own scale, as official French maps do.
//! A point always goes through the same transform as its department's outline, so markers land inside their
//! territory.

use std::rc::Rc;

use crate::math::{cos, pow, sin, tan};
use crate::model::{LonLat, Place};
use crate::territory::{polygon_contains, Polygon, Territories};

pub const VIEW_W: f64 = 1000.0;
pub const VIEW_H: f64 = 800.0;

/// GRS80 ellipsoid and the Lambert-93 parameters (standard parallels 44° and 49°, origin 46.5° N 3° E).
mod lambert93 {
    pub const A: f64 = 6_378_137.0;
    pub const E: f64 = 0.081_819_191_042_815_8;
    pub const LAT1: f64 = 44.0;
    pub const LAT2: f64 = 49.0;
    pub const LAT0: f64 = 46.5;
    pub const LON0: f64 = 3.0;
    pub const X0: f64 = 700_000.0;
    pub const Y0: f64 = 6_600_000.0;
}

/// Isometric latitude helper `t(φ)` of the Lambert conformal conic.
fn lcc_t(lat: f64) -> f64 {
    use lambert93::E;
    let phi = lat.to_radians();
    let es = E * sin(phi);
    tan(std::f64::consts::FRAC_PI_4 - phi / 2.0) / pow((1.0 - es) / (1.0 + es), E / 2.0)
}

fn lcc_m(lat: f64) -> f64 {
    use lambert93::E;
    let phi = lat.to_radians();
    cos(phi) / (1.0 - (E * sin(phi)).powi(2)).sqrt()
}

/// The projection's constants, computed once.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Lcc {
    n: f64,
    af: f64,
    rho0: f64,
}

impl Lcc {
    fn lambert93() -> Lcc {
        use lambert93::*;
        let (m1, m2) = (lcc_m(LAT1), lcc_m(LAT2));
        let (t1, t2) = (lcc_t(LAT1), lcc_t(LAT2));
        let n = (m1.ln() - m2.ln()) / (t1.ln() - t2.ln());
        let af = A * m1 / (n * pow(t1, n));
        Lcc { n, af, rho0: af * pow(lcc_t(LAT0), n) }
    }

    /// WGS84 longitude/latitude → Lambert-93 metres (x east, y north).
    fn project(&self, p: LonLat) -> (f64, f64) {
        use lambert93::*;
        let rho = self.af * pow(lcc_t(p.lat), self.n);
        let theta = self.n * (p.lon - LON0).to_radians();
        (X0 + rho * sin(theta), Y0 + self.rho0 - rho * cos(theta))
    }
}

/// Mean Earth radius, kilometres (IUGG).
const EARTH_KM: f64 = 6371.0088;

/// The haversine of the angle between two points: `sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)`, which grows with the
/// distance (comparing it needs no arc sine).
pub fn haversine(a: LonLat, b: LonLat) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let s_lat = sin((p2 - p1) / 2.0);
    let s_lon = sin((b.lon - a.lon).to_radians() / 2.0);
    s_lat * s_lat + cos(p1) * cos(p2) * s_lon * s_lon
}

/// The great-circle distance, km, that a [`haversine`] `h` measures: `2R·asin(√h)`, the arc sine by its series (to
/// x⁷: within a metre up to 1,000 km, the widget's radii are at most 100 km).
pub fn haversine_km(h: f64) -> f64 {
    let x = h.max(0.0).sqrt();
    let x2 = x * x;
    2.0 * EARTH_KM * x * (1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * 15.0 / 336.0)))
}

/// The [`haversine`] of a distance in km (the bound a radius filter compares with).
pub fn haversine_of_km(km: f64) -> f64 {
    let s = sin(km / (2.0 * EARTH_KM));
    s * s
}

/// Lambert-93 → WGS84 is never needed: the map only goes from the ground to the canvas.
pub fn lambert93(p: LonLat) -> (f64, f64) {
    Lcc::lambert93().project(p)
}

/// Where a territory is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Frame {
    /// Lambert-93 metres → canvas: `u = (x - x_min) * scale + left`, `v = (y_max - y) * scale + top`.
    Metro { x_min: f64, y_max: f64, scale: f64, left: f64, top: f64 },
    /// Local equirectangular around a centre (longitude scaled by the cosine of its latitude), then scaled into
    /// the inset's box.
    Inset { lon0: f64, lat0: f64, kx: f64, k: f64, cx: f64, cy: f64 },
}

/// One overseas inset: its box on the canvas and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Inset {
    pub department: String,
    pub name: String,
    /// `[x, y, width, height]` in canvas units.
    pub frame: [f64; 4],
}

/// The five overseas departments, in the order official maps list them.
const OVERSEAS: [&str; 5] = ["971", "972", "973", "974", "976"];
const INSET_BOX: (f64, f64, f64, f64) = (8.0, 14.0, 150.0, 142.0); // left, top, width, height
const INSET_GAP: f64 = 12.0;
const INSET_LABEL: f64 = 26.0;
const METRO_LEFT: f64 = 176.0;

/// The whole map's layout: which transform each department uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    lcc: Lcc,
    metro: Frame,
    /// Per department of [`Territories::departments`]: index into `frames`, or `None` for metropolitan France.
    department_frame: Vec<Option<usize>>,
    frames: Vec<Frame>,
    pub insets: Vec<Inset>,
}

impl Layout {
    /// Fits metropolitan France (from its departments' outlines, projected) into the canvas: `[x_min, y_max,
    /// scale, top]`, computed once, when the outlines file is made ([`project_outlines`]).
    #[cfg(not(target_arch = "wasm32"))]
    fn metro_frame(terr: &Territories) -> [f64; 4] {
        let lcc = Lcc::lambert93();
        let (mut x_min, mut x_max, mut y_min, mut y_max) =
            (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
        for d in terr.departments.iter().filter(|d| !OVERSEAS.contains(&d.code.as_str())) {
            for p in d.polygons.iter().flatten().flatten() {
                let (x, y) = lcc.project(LonLat { lon: p[0], lat: p[1] });
                x_min = x_min.min(x);
                x_max = x_max.max(x);
                y_min = y_min.min(y);
                y_max = y_max.max(y);
            }
        }
        let margin = 10.0;
        let avail_w = VIEW_W - METRO_LEFT - margin;
        let avail_h = VIEW_H - 2.0 * margin;
        let scale = (avail_w / (x_max - x_min)).min(avail_h / (y_max - y_min));
        let top = margin + (avail_h - (y_max - y_min) * scale) / 2.0;
        [x_min, y_max, scale, top]
    }

    /// Metropolitan France in the frame the territories carry, and each overseas department (from its outline's
    /// box) in its inset.
    pub fn new(terr: &Territories) -> Layout {
        let lcc = Lcc::lambert93();
        let [x_min, y_max, scale, top] = terr.metro;
        let metro = Frame::Metro { x_min, y_max, scale, left: METRO_LEFT, top };

        let mut department_frame = vec![None; terr.departments.len()];
        let mut frames = Vec::new();
        let mut insets = Vec::new();
        let (left, top0, w, h) = INSET_BOX;
        for (i, code) in OVERSEAS.iter().enumerate() {
            let Some(d) = terr.department_index(code) else { continue };
            let dep = &terr.departments[d];
            let top = top0 + i as f64 * (h + INSET_GAP);
            let (lon0, lat0) = ((dep.bbox.min[0] + dep.bbox.max[0]) / 2.0, (dep.bbox.min[1] + dep.bbox.max[1]) / 2.0);
            let cos_lat = cos(lat0.to_radians());
            let (span_x, span_y) = ((dep.bbox.max[0] - dep.bbox.min[0]) * cos_lat, dep.bbox.max[1] - dep.bbox.min[1]);
            let pad = 8.0;
            let k = ((w - 2.0 * pad) / span_x).min((h - INSET_LABEL - 2.0 * pad) / span_y);
            frames.push(Frame::Inset {
                lon0,
                lat0,
                kx: k * cos_lat,
                k,
                cx: left + w / 2.0,
                cy: top + pad + (h - INSET_LABEL - 2.0 * pad) / 2.0,
            });
            department_frame[d] = Some(frames.len() - 1);
            insets.push(Inset { department: dep.code.clone(), name: dep.name.clone(), frame: [left, top, w, h] });
        }
        Layout { lcc, metro, department_frame, frames, insets }
    }

    fn frame_of(&self, department: Option<usize>) -> &Frame {
        department
            .and_then(|d| self.department_frame.get(d).copied().flatten())
            .map_or(&self.metro, |f| &self.frames[f])
    }

    /// A point drawn with the transform of `department` (an index of [`Territories::departments`]).
    pub fn project(&self, p: LonLat, department: Option<usize>) -> [f64; 2] {
        match *self.frame_of(department) {
            Frame::Metro { x_min, y_max, scale, left, top } => {
                let (x, y) = self.lcc.project(p);
                [(x - x_min) * scale + left, (y_max - y) * scale + top]
            }
            Frame::Inset { lon0, lat0, kx, k, cx, cy } => [cx + (p.lon - lon0) * kx, cy - (p.lat - lat0) * k],
        }
    }

    /// A resolved place on the canvas, or `None` when it has no point.
    pub fn place(&self, terr: &Territories, place: &Place) -> Option<[f64; 2]> {
        let point = place.point?;
        let dep = place.department.as_deref().and_then(|c| terr.department_index(c)).or_else(|| {
            // A place known only by an overseas region: that region's only department.
            let r = terr.region_index(place.region.as_deref()?)?;
            let deps = &terr.regions[r].departments;
            (deps.len() == 1).then(|| deps[0])
        });
        Some(self.project(point, dep))
    }
}

/// One department of the base map.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// SVG path data in canvas units (one decimal), shared: the view re-renders it on every filter change.
    pub path: Rc<str>,
    /// `[x_min, y_min, x_max, y_max]` in canvas units.
    pub bbox: [f64; 4],
    /// The projected rings, for point-in-polygon checks on the canvas.
    pub rings: Vec<Polygon>,
}

/// The base map: every department outline projected on the canvas, and the overseas inset boxes.
#[derive(Clone, Debug, PartialEq)]
pub struct Basemap {
    pub layout: Layout,
    /// Per department of [`Territories::departments`].
    pub departments: Vec<Shape>,
    /// Per region of [`Territories::regions`]: the union of its departments' boxes.
    pub region_bbox: Vec<[f64; 4]>,
}

impl Basemap {
    /// The department outlines as the view draws them, from their canvas points (projected when the outlines file
    /// was made): once per dataset, the view only reads the result.
    pub fn new(terr: &Territories) -> Basemap {
        let layout = Layout::new(terr);
        let mut departments = Vec::with_capacity(terr.departments.len());
        for dep in &terr.departments {
            let mut path = String::new();
            let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
            let mut rings = Vec::with_capacity(dep.canvas.len());
            for poly in &dep.canvas {
                let mut canvas_poly = Vec::with_capacity(poly.len());
                for ring in poly {
                    let mut canvas_ring = Vec::with_capacity(ring.len());
                    for (i, &[x, y]) in ring.iter().enumerate() {
                        path.push(if i == 0 { 'M' } else { 'L' });
                        push_decimal(&mut path, x.into());
                        path.push(' ');
                        push_decimal(&mut path, y.into());
                        let (x, y) = (f64::from(x) / 10.0, f64::from(y) / 10.0);
                        bbox = [bbox[0].min(x), bbox[1].min(y), bbox[2].max(x), bbox[3].max(y)];
                        canvas_ring.push([x, y]);
                    }
                    path.push('Z');
                    canvas_poly.push(canvas_ring);
                }
                rings.push(canvas_poly);
            }
            departments.push(Shape { path: path.into(), bbox, rings });
        }
        let region_bbox = terr
            .regions
            .iter()
            .map(|r| {
                r.departments.iter().fold(
                    [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
                    |b, &d| {
                        let s = departments[d].bbox;
                        [b[0].min(s[0]), b[1].min(s[1]), b[2].max(s[2]), b[3].max(s[3])]
                    },
                )
            })
            .collect();
        Basemap { layout, departments, region_bbox }
    }

    /// The department whose projected outline contains a canvas point.
    pub fn department_at(&self, p: [f64; 2]) -> Option<usize> {
        self.departments.iter().position(|s| {
            p[0] >= s.bbox[0]
                && p[0] <= s.bbox[2]
                && p[1] >= s.bbox[1]
                && p[1] <= s.bbox[3]
                && s.rings.iter().any(|poly| polygon_contains(poly, p))
        })
    }
}

/// Projects every department's outline on the canvas, in tenths of a unit (≈ 140 m in metropolitan France), a
/// point equal to the one before dropped, and metropolitan France's frame: what the outlines file stores
/// ([`crate::outlines`]), so that the widget projects no outline.
#[cfg(not(target_arch = "wasm32"))]
pub fn project_outlines(terr: &mut Territories) {
    terr.metro = Layout::metro_frame(terr);
    let layout = Layout::new(terr);
    for (d, dep) in terr.departments.iter_mut().enumerate() {
        let mut canvas = Vec::with_capacity(dep.polygons.len());
        for poly in &dep.polygons {
            let mut rings = Vec::with_capacity(poly.len());
            for ring in poly {
                let mut points: Vec<[i32; 2]> = Vec::with_capacity(ring.len());
                for p in ring {
                    let [x, y] = layout.project(LonLat { lon: p[0], lat: p[1] }, Some(d));
                    let q = [(x * 10.0).round() as i32, (y * 10.0).round() as i32];
                    if points.last() != Some(&q) {
                        points.push(q);
                    }
                }
                rings.push(points);
            }
            canvas.push(rings);
        }
        dep.canvas = canvas;
    }
}

/// What part of the canvas is shown: `screen = canvas × k + (tx, ty)`, in canvas units.
#[derive(Clone, Copy, PartialEq)]
pub struct Viewport {
    pub k: f64,
    pub tx: f64,
    pub ty: f64,
}

/// Closest zoom: 2⁸ × the national view plus the room to reach the deepest cluster level.
pub const MAX_SCALE: f64 = 400.0;

impl Viewport {
    /// The whole map.
    pub const WHOLE: Viewport = Viewport { k: 1.0, tx: 0.0, ty: 0.0 };

    /// Zooms by `factor` keeping the canvas point under `at` (a screen position in canvas units) in place.
    pub fn zoom_at(self, factor: f64, at: [f64; 2]) -> Viewport {
        let k = within(self.k * factor, 1.0, MAX_SCALE);
        let r = k / self.k;
        Viewport { k, tx: at[0] - (at[0] - self.tx) * r, ty: at[1] - (at[1] - self.ty) * r }.clamped()
    }

    /// Moves the view by a screen distance in canvas units.
    pub fn pan(self, dx: f64, dy: f64) -> Viewport {
        Viewport { tx: self.tx + dx, ty: self.ty + dy, ..self }.clamped()
    }

    /// The view that shows a canvas box with a margin, no closer than `max_k`.
    pub fn fit(bbox: [f64; 4], max_k: f64) -> Viewport {
        let (w, h) = ((bbox[2] - bbox[0]).max(1.0), (bbox[3] - bbox[1]).max(1.0));
        let k = within((VIEW_W / (w * 1.3)).min(VIEW_H / (h * 1.3)), 1.0, max_k.min(MAX_SCALE));
        let (cx, cy) = ((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0);
        Viewport { k, tx: VIEW_W / 2.0 - cx * k, ty: VIEW_H / 2.0 - cy * k }.clamped()
    }

    /// The view at zoom `k` centred on the canvas point `c`.
    pub fn centred(k: f64, c: [f64; 2]) -> Viewport {
        let k = within(k, 1.0, MAX_SCALE);
        Viewport { k, tx: VIEW_W / 2.0 - c[0] * k, ty: VIEW_H / 2.0 - c[1] * k }.clamped()
    }

    /// The canvas point at the centre of the screen.
    pub fn centre(&self) -> [f64; 2] {
        [(VIEW_W / 2.0 - self.tx) / self.k, (VIEW_H / 2.0 - self.ty) / self.k]
    }

    /// The canvas box on screen: `[x_min, y_min, x_max, y_max]`.
    pub fn visible(&self) -> [f64; 4] {
        [-self.tx / self.k, -self.ty / self.k, (VIEW_W - self.tx) / self.k, (VIEW_H - self.ty) / self.k]
    }

    /// Keeps the centre of the screen over the canvas, so the map cannot be lost off-screen.
    fn clamped(self) -> Viewport {
        let (cx, cy) = ((VIEW_W / 2.0 - self.tx) / self.k, (VIEW_H / 2.0 - self.ty) / self.k);
        let (ccx, ccy) = (within(cx, 0.0, VIEW_W), within(cy, 0.0, VIEW_H));
        Viewport { tx: self.tx - (ccx - cx) * self.k, ty: self.ty - (ccy - cy) * self.k, ..self }
    }

    /// The SVG `transform` attribute of the map's content.
    pub fn transform(&self) -> String {
        format!("translate({} {}) scale({})", fixed(self.tx, 100), fixed(self.ty, 100), fixed(self.k, 10_000))
    }
}

/// `v` limited to `[lo, hi]`. Not `f64::clamp`: its NaN/order assertion formats floats with `Debug`, which brings
/// the float-formatting code into the wasm bundle (docs/SIZE.md).
fn within(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

/// Writes `v` rounded to `1/per_unit` (a power of ten) without `f64`'s `Display`, which would add the
/// float-formatting code to the wasm bundle (docs/SIZE.md).
pub fn fixed(v: f64, per_unit: i64) -> String {
    let scaled = (v * per_unit as f64).round() as i64;
    let digits = per_unit.ilog10() as usize;
    let a = scaled.unsigned_abs();
    let (int, frac) = (a / per_unit as u64, a % per_unit as u64);
    let mut s = String::with_capacity(12);
    if scaled < 0 {
        s.push('-');
    }
    s.push_str(&int.to_string());
    if frac != 0 {
        let f = format!("{frac:0digits$}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s
}

/// Writes a value stored in tenths (`123` → `12.3`, `-5` → `-0.5`, `40` → `4`) without float formatting.
fn push_decimal(out: &mut String, tenths: i64) {
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    out.push_str(&(a / 10).to_string());
    if a % 10 != 0 {
        out.push('.');
        out.push(char::from(b'0' + (a % 10) as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambert93_matches_the_official_projection() {
        // Reference values computed with PROJ (pyproj, EPSG:4326 → EPSG:2154): Paris, Brest, Strasbourg, Ajaccio.
        for (lon, lat, ex, ey) in [
            (2.34621, 48.84617, 652_019.927, 6_860_879.163),
            (-4.4861, 48.3904, 146_632.979, 6_836_262.327),
            (7.7521, 48.5734, 1_050_362.695, 6_840_899.647),
            (8.7386, 41.9192, 1_176_667.561, 6_108_273.283),
        ] {
            let (x, y) = lambert93(LonLat { lon, lat });
            assert!((x - ex).abs() < 0.01 && (y - ey).abs() < 0.01, "({lon}, {lat}) → {x} {y}");
        }
        // The projection's origin maps to the false easting/northing.
        let (x0, y0) = lambert93(LonLat { lon: 3.0, lat: 46.5 });
        assert!((x0 - 700_000.0).abs() < 0.01 && (y0 - 6_600_000.0).abs() < 0.01, "{x0} {y0}");
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor_and_the_map_on_screen() {
        let v = Viewport::WHOLE.zoom_at(4.0, [300.0, 200.0]);
        assert_eq!(v.k, 4.0);
        // The canvas point that was at (300, 200) is still there.
        assert!((300.0 * v.k + v.tx - 300.0).abs() < 1e-9 && (200.0 * v.k + v.ty - 200.0).abs() < 1e-9);
        assert_eq!(Viewport::WHOLE.zoom_at(0.5, [0.0, 0.0]).k, 1.0, "never smaller than the whole map");
        let far = v.pan(1e6, -1e6);
        let [x0, y0, x1, y1] = far.visible();
        assert!(x0 < VIEW_W && x1 > 0.0 && y0 < VIEW_H && y1 > 0.0, "the map stays on screen");
        let fit = Viewport::fit([500.0, 300.0, 540.0, 330.0], 50.0);
        let [a, b, c, d] = fit.visible();
        assert!(a <= 500.0 && b <= 300.0 && c >= 540.0 && d >= 330.0, "the box is shown");
        assert_eq!(fixed(12.3456, 100), "12.35");
        assert_eq!(fixed(-0.5, 100), "-0.5");
        assert_eq!(fixed(3.0, 10_000), "3");
        assert_eq!(Viewport::WHOLE.transform(), "translate(0 0) scale(1)");
    }

    #[test]
    fn decimals_are_written_without_float_formatting() {
        let mut s = String::new();
        for v in [123, -5, 40, 0, -130] {
            push_decimal(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "12.3 -0.5 4 0 -13 ");
    }
}
