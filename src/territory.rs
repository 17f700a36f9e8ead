//! The territory reference: regions, departments (with their outlines) and communes, and place resolution.
//!
//! Department outlines come from `static/data/france-departments.geojson` (IGN ADMIN EXPRESS via
//! france-geojson, see `static/data/README.md`), read by the widget from the outlines file made from it
//! ([`crate::outlines`]); region names are the INSEE COG names, fixed here because
//! they are stable and tiny (a test checks them against `france-regions.geojson`). The commune table
//! (`communes.csv`, 2 MB) is only loaded when a dataset names communes by INSEE code without coordinates.

use std::collections::BTreeMap;

#[cfg(not(target_arch = "wasm32"))]
use crate::json::{self, Json};
use crate::model::{LonLat, Place, Precision};
use crate::report::ProblemKind;

/// INSEE region codes and names (COG 2026), overseas regions first as in the COG.
pub const REGIONS: [(&str, &str); 18] = [
    ("01", "Guadeloupe"),
    ("02", "Martinique"),
    ("03", "Guyane"),
    ("04", "La Réunion"),
    ("06", "Mayotte"),
    ("11", "Île-de-France"),
    ("24", "Centre-Val de Loire"),
    ("27", "Bourgogne-Franche-Comté"),
    ("28", "Normandie"),
    ("32", "Hauts-de-France"),
    ("44", "Grand Est"),
    ("52", "Pays de la Loire"),
    ("53", "Bretagne"),
    ("75", "Nouvelle-Aquitaine"),
    ("76", "Occitanie"),
    ("84", "Auvergne-Rhône-Alpes"),
    ("93", "Provence-Alpes-Côte d'Azur"),
    ("94", "Corse"),
];

/// How far outside every simplified outline a point may be and still belong to the nearest department, in
/// degrees: small islands and shorelines were lost to simplification, up to 0.11° away (`data/README.md`).
const COAST_TOLERANCE_DEG: f64 = 0.15;

/// A ring of `[lon, lat]` vertices (closed: first == last).
pub type Ring = Vec<[f64; 2]>;

/// One polygon: an outer ring and its holes.
pub type Polygon = Vec<Ring>;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub min: [f64; 2],
    pub max: [f64; 2],
}

impl BBox {
    fn empty() -> Self {
        BBox { min: [f64::INFINITY; 2], max: [f64::NEG_INFINITY; 2] }
    }

    fn add(&mut self, p: [f64; 2]) {
        self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
        self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
    }

    fn contains(&self, p: [f64; 2], margin: f64) -> bool {
        p[0] >= self.min[0] - margin
            && p[0] <= self.max[0] + margin
            && p[1] >= self.min[1] - margin
            && p[1] <= self.max[1] + margin
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// Index of the region's departments in [`Territories::departments`].
    pub departments: Vec<usize>,
    /// A representative point (the centre of its largest department), for places known only by region.
    pub centre: LonLat,
}

impl Region {
    /// The five overseas regions have one-digit INSEE codes (`01`…`06`).
    pub fn is_overseas(&self) -> bool {
        self.code.as_str() < "10"
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub region: usize,
    pub polygons: Vec<Polygon>,
    pub canvas: Canvas,
    pub bbox: BBox,
    /// Centroid of the largest polygon (inside for every French department), for places known only by
    /// department.
    pub centre: LonLat,
    area: f64,
}

/// Regions and departments, sorted by code.
#[derive(Clone, Debug, PartialEq)]
pub struct Territories {
    pub regions: Vec<Region>,
    pub departments: Vec<Department>,
    /// Metropolitan France's frame on the canvas: `[x_min, y_max, scale, top]` ([`crate::geo::Layout`]).
    pub metro: [f64; 4],
}

/// A department's outline on the map's canvas ([`crate::geo`]): per polygon, per ring, the points in tenths of a
/// canvas unit, a point equal to the one before dropped. Projected once, when the outlines file is made
/// ([`crate::outlines`]), so that the widget projects no outline.
pub type Canvas = Vec<Vec<Vec<[i32; 2]>>>;

/// Reads one GeoJSON polygon's rings.
#[cfg(not(target_arch = "wasm32"))]
fn polygon(v: &Json) -> Option<Polygon> {
    let mut rings = Vec::new();
    for ring in v.as_array()? {
        let mut points = Vec::new();
        for pt in ring.as_array()? {
            match pt.as_array()? {
                [lon, lat, ..] => points.push([lon.as_f64()?, lat.as_f64()?]),
                _ => return None,
            }
        }
        rings.push(points);
    }
    Some(rings)
}

/// One department feature, read from the JSON tree.
#[cfg(not(target_arch = "wasm32"))]
fn department_feature(f: &Json) -> Option<RawDepartment> {
    let props = f.get("properties")?;
    let text = |k: &str| props.get(k)?.as_str().map(str::to_owned);
    let geom = f.get("geometry")?;
    let coords = geom.get("coordinates")?;
    let mut polygons = Vec::new();
    match geom.get("type")?.as_str()? {
        "Polygon" => polygons.push(polygon(coords)?),
        "MultiPolygon" => {
            for p in coords.as_array()? {
                polygons.push(polygon(p)?);
            }
        }
        _ => return None,
    }
    Some(RawDepartment {
        code: text("code")?,
        name: text("nom")?,
        region: text("region")?,
        polygons,
        canvas: Vec::new(),
    })
}

/// A department as a file gives it, before the territories are put together ([`Territories::assemble`]).
pub struct RawDepartment {
    pub code: String,
    pub name: String,
    /// The INSEE code of its region.
    pub region: String,
    pub polygons: Vec<Polygon>,
    pub canvas: Canvas,
}

impl Territories {
    /// Reads the department GeoJSON (`static/data/france-departments.geojson`) and projects the outlines on the
    /// canvas: what the outlines file is made from ([`crate::outlines::write`]).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn from_geojson(text: &str) -> Result<Territories, String> {
        let doc = json::parse(text).map_err(|e| format!("france-departments.geojson: {e}"))?;
        let features = doc.get("features").and_then(Json::as_array).ok_or("france-departments.geojson: no features")?;
        let mut departments = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            departments.push(
                department_feature(f)
                    .ok_or_else(|| format!("france-departments.geojson: feature {i} is not a department"))?,
            );
        }
        // Sorted by code through `sort_indices` (one sorting routine in the bundle, docs/SIZE.md), then moved into
        // that order in place: position `i` takes the department at `order[i]`, following the positions already
        // swapped away. The outlines file keeps that order.
        let mut keys = Vec::with_capacity(departments.len());
        for d in &departments {
            keys.push(sort_key(&d.code));
        }
        let mut order: Vec<u32> = (0..departments.len() as u32).collect();
        crate::filter::sort_indices(&mut order, &|a, b| keys[a as usize].cmp(&keys[b as usize]));
        for i in 0..order.len() {
            let mut k = order[i] as usize;
            while k < i {
                k = order[k] as usize;
            }
            departments.swap(i, k);
        }
        let mut t = Territories::assemble(departments, [0.0; 4])?;
        crate::geo::project_outlines(&mut t);
        Ok(t)
    }

    /// The territories of these departments (in the order given: by code, as INSEE orders them), with metropolitan
    /// France's frame on the canvas ([`crate::geo::Layout`]): regions listing their departments, the centres of both.
    pub fn assemble(raw: Vec<RawDepartment>, metro: [f64; 4]) -> Result<Territories, String> {
        let mut regions: Vec<Region> = REGIONS
            .iter()
            .map(|(code, name)| Region {
                code: (*code).to_owned(),
                name: (*name).to_owned(),
                departments: Vec::new(),
                centre: LonLat { lon: 0.0, lat: 0.0 },
            })
            .collect();
        let mut departments = Vec::with_capacity(raw.len());
        for RawDepartment { code, name, region: region_code, polygons, canvas } in raw {
            let region = regions
                .iter()
                .position(|r| r.code == region_code)
                .ok_or("a department's region is not a French region")?;
            let mut bbox = BBox::empty();
            polygons.iter().flatten().flatten().for_each(|p| bbox.add(*p));
            let (centre, area) = largest_centroid(&polygons);
            departments.push(Department { code, name, region, polygons, canvas, bbox, centre, area });
        }
        for (i, d) in departments.iter().enumerate() {
            regions[d.region].departments.push(i);
        }
        for r in &mut regions {
            if let Some(&biggest) =
                r.departments.iter().max_by(|&&a, &&b| departments[a].area.total_cmp(&departments[b].area))
            {
                r.centre = departments[biggest].centre;
            }
        }
        regions.retain(|r| !r.departments.is_empty());
        // Indices into `regions` may have shifted after `retain`: recompute them.
        for (ri, r) in regions.iter().enumerate() {
            for &d in &r.departments {
                departments[d].region = ri;
            }
        }
        Ok(Territories { regions, departments, metro })
    }

    pub fn region_index(&self, code: &str) -> Option<usize> {
        self.regions.iter().position(|r| r.code == code)
    }

    pub fn department_index(&self, code: &str) -> Option<usize> {
        self.departments.iter().position(|d| d.code == code)
    }

    /// The department containing a point, allowing for coasts and small islands lost to simplification.
    pub fn locate(&self, p: LonLat) -> Option<usize> {
        let xy = [p.lon, p.lat];
        let inside = self
            .departments
            .iter()
            .position(|d| d.bbox.contains(xy, 0.0) && d.polygons.iter().any(|poly| polygon_contains(poly, xy)));
        if inside.is_some() {
            return inside;
        }
        let mut best: Option<(usize, f64)> = None;
        for (i, d) in self.departments.iter().enumerate() {
            if !d.bbox.contains(xy, COAST_TOLERANCE_DEG) {
                continue;
            }
            let dist = d.polygons.iter().flatten().map(|ring| ring_distance(ring, xy)).fold(f64::INFINITY, f64::min);
            if dist <= COAST_TOLERANCE_DEG && best.is_none_or(|(_, b)| dist < b) {
                best = Some((i, dist));
            }
        }
        best.map(|(i, _)| i)
    }
}

/// Orders department codes as INSEE does: 01…19, 2A, 2B, 21…95, 971…976.
#[cfg(not(target_arch = "wasm32"))]
///
/// Fix: zero-padding alone put "02A"/"02B" after "029" (Corsica between the Finistère and the Gard); Corsica's
/// two departments replaced department 20, so they sort as "020A" and "020B".
fn sort_key(code: &str) -> String {
    match code {
        "2A" | "2B" => format!("020{}", &code[1..]),
        _ => format!("{code:0>3}"),
    }
}

/// Even-odd ray casting over all rings, so holes (enclaves, the Étang de Berre) are excluded.
pub fn polygon_contains(poly: &Polygon, p: [f64; 2]) -> bool {
    let mut inside = false;
    for ring in poly {
        let mut j = ring.len().wrapping_sub(1);
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[j]);
            if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0] {
                inside = !inside;
            }
            j = i;
        }
    }
    inside
}

/// Distance in degrees (longitude scaled by the cosine of latitude) from a point to a ring's edges.
fn ring_distance(ring: &Ring, p: [f64; 2]) -> f64 {
    let k = crate::math::cos(p[1].to_radians());
    let mut best = f64::INFINITY;
    for w in ring.windows(2) {
        let (ax, ay) = ((w[0][0] - p[0]) * k, w[0][1] - p[1]);
        let (bx, by) = ((w[1][0] - p[0]) * k, w[1][1] - p[1]);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 { (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
        let (cx, cy) = (ax + t * dx, ay + t * dy);
        best = best.min((cx * cx + cy * cy).sqrt());
    }
    best
}

/// Centroid and area of the largest polygon (outer ring only).
fn largest_centroid(polygons: &[Polygon]) -> (LonLat, f64) {
    let mut best = (LonLat { lon: 0.0, lat: 0.0 }, 0.0);
    for poly in polygons {
        let Some(ring) = poly.first() else { continue };
        let (mut a2, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for w in ring.windows(2) {
            let cross = w[0][0] * w[1][1] - w[1][0] * w[0][1];
            a2 += cross;
            cx += (w[0][0] + w[1][0]) * cross;
            cy += (w[0][1] + w[1][1]) * cross;
        }
        let area = a2.abs() / 2.0;
        if area > best.1 && a2 != 0.0 {
            best = (LonLat { lon: cx / (3.0 * a2), lat: cy / (3.0 * a2) }, area);
        }
    }
    best
}

/// What a row of the commune table is (its `type` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CommuneKind {
    /// `COM`: a current commune.
    Current,
    /// `ARM`: a municipal arrondissement of Paris, Lyon or Marseille.
    Arrondissement,
    /// `COMD`: a commune déléguée, inside a commune nouvelle.
    Delegated,
    /// `COMA`: a commune associée.
    Associated,
}

/// One row of the commune table, with everything it says (see `static/data/README.md`).
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneRow {
    pub code: String,
    pub name: String,
    pub kind: CommuneKind,
    /// For an arrondissement, a commune déléguée or associée: the current commune it belongs to.
    pub parent: Option<String>,
    pub department: String,
    pub region: String,
    pub point: Option<LonLat>,
    /// La Poste postcodes (current communes and arrondissements only; the others use their parent's).
    pub postcodes: Vec<String>,
    /// Former codes merged into this current commune.
    pub former_codes: Vec<String>,
}

/// How a commune code was found in the table, from the most to the least current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeMatch {
    /// The code of a current commune.
    Current,
    /// The code of an arrondissement, a commune déléguée or associée: it lies in the current commune returned.
    PartOf,
    /// A former code, merged into the current commune returned.
    Former,
}

/// The commune table (`static/data/communes.csv`: every commune of the 2026 Code officiel géographique with a point,
/// its arrondissements, communes déléguées and associées, former codes and postcodes), with lookups by code,
/// postcode and name: what places a record given by a commune code, a postcode or a commune name, in the widget
/// ([`resolve_place`]) and in `essaimage import` alike. The widget downloads it only when a place needs it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommuneIndex {
    rows: Vec<CommuneRow>,
    /// Code of a current commune or an arrondissement → row; the code of a COMD/COMA too when no COM has it.
    by_code: BTreeMap<String, usize>,
    /// Former code → the current commune's row.
    by_former_code: BTreeMap<String, usize>,
    /// Postcode → rows of the current communes and arrondissements that have it.
    by_postcode: BTreeMap<String, usize>,
    /// [`name_key`] → every row of that name (current, arrondissement, déléguée, associée).
    by_name: BTreeMap<String, usize>,
    /// The rows of each postcode and of each name, by the group number the two maps give. (The maps hold numbers
    /// like the code maps: one map type in the wasm bundle.)
    groups: Vec<Vec<usize>>,
}

impl CommuneIndex {
    /// Parses `communes.csv` with every column (the `codes_postaux` column may be missing: no postcode then).
    pub fn from_csv(text: &str) -> Result<CommuneIndex, String> {
        let mut lines = text.lines();
        let header = lines.next().ok_or("communes.csv is empty")?;
        let cols: Vec<&str> = header.split(',').collect();
        let col = |name: &str| cols.iter().position(|c| *c == name).ok_or(format!("communes.csv: no column {name}"));
        let (c_code, c_nom, c_type, c_parent, c_dep, c_reg, c_lon, c_lat, c_old) = (
            col("code")?,
            col("nom")?,
            col("type")?,
            col("parent")?,
            col("dep")?,
            col("reg")?,
            col("lon")?,
            col("lat")?,
            col("anciens_codes")?,
        );
        let c_cp = col("codes_postaux").ok();
        let list = |s: &str| {
            let mut items = Vec::new();
            for item in s.split(';').filter(|s| !s.is_empty()) {
                items.push(item.to_owned());
            }
            items
        };
        let mut index = CommuneIndex::default();
        for line in lines {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() < cols.len() {
                continue;
            }
            let kind = match f[c_type] {
                "COM" => CommuneKind::Current,
                "ARM" => CommuneKind::Arrondissement,
                "COMD" => CommuneKind::Delegated,
                _ => CommuneKind::Associated,
            };
            let point = match (parse_decimal(f[c_lon]), parse_decimal(f[c_lat])) {
                (Some(lon), Some(lat)) => Some(LonLat { lon, lat }),
                _ => None,
            };
            index.rows.push(CommuneRow {
                code: f[c_code].to_owned(),
                name: f[c_nom].to_owned(),
                kind,
                parent: Some(f[c_parent].to_owned()).filter(|p| !p.is_empty()),
                department: f[c_dep].to_owned(),
                region: f[c_reg].to_owned(),
                point,
                postcodes: c_cp.map(|c| list(f[c])).unwrap_or_default(),
                former_codes: list(f[c_old]),
            });
        }
        // Codes: current communes first, then arrondissements, then déléguées and associées (as `Communes`).
        let mut order: Vec<u32> = (0..index.rows.len() as u32).collect();
        let rank = |i: u32| index.rows[i as usize].kind.min(CommuneKind::Delegated);
        crate::filter::sort_indices(&mut order, &|a, b| rank(a).cmp(&rank(b)));
        for i in order.into_iter().map(|i| i as usize) {
            let row = &index.rows[i];
            index.by_code.entry(row.code.clone()).or_insert(i);
            if row.kind == CommuneKind::Current {
                for old in &row.former_codes {
                    index.by_former_code.entry(old.clone()).or_insert(i);
                }
            }
            for cp in &row.postcodes {
                let group = group_of(&mut index.by_postcode, &mut index.groups, cp.clone());
                index.groups[group].push(i);
            }
            let group = group_of(&mut index.by_name, &mut index.groups, name_key(&row.name));
            index.groups[group].push(i);
        }
        Ok(index)
    }

    pub fn rows(&self) -> &[CommuneRow] {
        &self.rows
    }

    /// Codes known (current communes, arrondissements, déléguées, associées).
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// The row of a code, as a place's `commune_insee` names it (a former code gives the current commune).
    pub fn get(&self, code: &str) -> Option<&CommuneRow> {
        self.by_code(code).map(|(row, _, _)| row)
    }

    /// The current commune a row lies in: itself, or its parent.
    pub fn current<'a>(&'a self, row: &'a CommuneRow) -> &'a CommuneRow {
        match (&row.kind, &row.parent) {
            (CommuneKind::Current, _) | (_, None) => row,
            (_, Some(parent)) => self.code_row(parent).filter(|p| p.kind == CommuneKind::Current).unwrap_or(row),
        }
    }

    fn code_row(&self, code: &str) -> Option<&CommuneRow> {
        self.by_code.get(code).map(|&i| &self.rows[i])
    }

    /// The row of a code (a current commune's, an arrondissement's, a commune déléguée's or associée's), then of a
    /// former code; with the current commune that it lies in and how the code matched.
    pub fn by_code(&self, code: &str) -> Option<(&CommuneRow, &CommuneRow, CodeMatch)> {
        if let Some(row) = self.code_row(code) {
            let current = self.current(row);
            let how = if std::ptr::eq(current, row) { CodeMatch::Current } else { CodeMatch::PartOf };
            return Some((row, current, how));
        }
        let row = self.by_former_code.get(code).map(|&i| &self.rows[i])?;
        Some((row, row, CodeMatch::Former))
    }

    /// The current communes and arrondissements that have this postcode.
    pub fn by_postcode(&self, postcode: &str) -> Vec<&CommuneRow> {
        self.group(self.by_postcode.get(postcode.trim()))
    }

    /// Every row named so, compared by [`name_key`] (« ST-MALO », « Saint Malo » and « saint-malo » are the same).
    pub fn by_name(&self, name: &str) -> Vec<&CommuneRow> {
        self.group(self.by_name.get(&name_key(name)))
    }

    fn group(&self, group: Option<&usize>) -> Vec<&CommuneRow> {
        let mut rows = Vec::new();
        for &i in group.map_or(&[][..], |&g| &self.groups[g]) {
            rows.push(&self.rows[i]);
        }
        rows
    }

    /// The postcodes of a row: its own, else its current commune's.
    pub fn postcodes<'a>(&'a self, row: &'a CommuneRow) -> &'a [String] {
        if row.postcodes.is_empty() {
            &self.current(row).postcodes
        } else {
            &row.postcodes
        }
    }
}

/// The commune table as the « Autour de » field searches it: the current communes and arrondissements that have a
/// point, their names folded once ([`crate::text::fold_key`]), for the field searches them at every keystroke.
pub struct Gazetteer {
    pub table: CommuneIndex,
    /// Row, point and folded name.
    rows: Vec<(usize, LonLat, String)>,
}

impl Gazetteer {
    pub fn new(table: CommuneIndex) -> Gazetteer {
        let mut rows = Vec::new();
        for (i, row) in table.rows.iter().enumerate() {
            if let (true, Some(p)) = (row.kind <= CommuneKind::Arrondissement, row.point) {
                rows.push((i, p, crate::text::fold_key(&row.name)));
            }
        }
        Gazetteer { table, rows }
    }

    /// The communes a query names, with their points: by postcode (five digits), else by name ([`names_place`]),
    /// the name itself first, then the shortest (« Paris » before « Paris 1er Arrondissement »), at most `max`.
    pub fn find(&self, query: &str, max: usize) -> Vec<(&CommuneRow, LonLat)> {
        let q = crate::text::fold_key(query);
        let q = q.trim();
        let postcode = q.len() == 5 && q.bytes().all(|b| b.is_ascii_digit());
        let mut hits: Vec<u32> = Vec::new();
        for (k, (i, _, key)) in self.rows.iter().enumerate() {
            if if postcode { self.table.rows[*i].postcodes.iter().any(|c| c == q) } else { names_place(q, key) } {
                hits.push(k as u32);
            }
        }
        let rank = |k: u32| (self.rows[k as usize].2 != q, self.rows[k as usize].2.len());
        crate::filter::sort_indices(&mut hits, &|a, b| rank(a).cmp(&rank(b)));
        let mut found = Vec::new();
        for &k in hits.iter().take(max) {
            found.push((&self.table.rows[self.rows[k as usize].0], self.rows[k as usize].1));
        }
        found
    }
}

/// The group of rows of `key` in `map`, a new one if needed.
fn group_of(map: &mut BTreeMap<String, usize>, groups: &mut Vec<Vec<usize>>, key: String) -> usize {
    *map.entry(key).or_insert_with(|| {
        groups.push(Vec::new());
        groups.len() - 1
    })
}

/// A commune name as compared by [`CommuneIndex::by_name`]: folded ([`crate::text::fold_key`]), « St » and « Ste »
/// written out, the word « arrondissement » dropped and ordinals written as numbers (« Paris 1er Arrondissement »,
/// « Paris 1er » and « Paris 1 » are the same), without spaces (« Saint-Malo » and « Saintmalo » too).
pub fn name_key(name: &str) -> String {
    let key = crate::text::fold_key(name);
    let mut out = String::with_capacity(key.len());
    for word in key.split(' ') {
        let digits = word.trim_end_matches(|c: char| !c.is_ascii_digit());
        let word = match word {
            "st" => "saint",
            "ste" => "sainte",
            "arrondissement" | "arr" => continue,
            _ if !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && matches!(&word[digits.len()..], "e" | "er" | "eme" | "re" | "ere") =>
            {
                digits
            }
            _ => word,
        };
        out.push_str(word);
    }
    out
}

impl Territories {
    /// A department given as people write it: its code (« 35 », « 2a », « 1 »), its name (« Ille-et-Vilaine »,
    /// folded), or both (« 35 - Ille-et-Vilaine », « Ille-et-Vilaine (35) »).
    pub fn find_department(&self, text: &str) -> Option<usize> {
        let text = text.trim();
        if let Some(i) = self.department_index(&normalize_department(text)) {
            return Some(i);
        }
        let key = crate::text::fold_key(text);
        let by_name = |key: &str| self.departments.iter().position(|d| crate::text::fold_key(&d.name) == key);
        if let Some(i) = by_name(&key) {
            return Some(i);
        }
        // A code and a name together: the first or last word is the code, the rest the name (checked if present).
        let words: Vec<&str> = key.split(' ').collect();
        for (code, rest) in
            [(words.first(), &words[1.min(words.len())..]), (words.last(), &words[..words.len().saturating_sub(1)])]
        {
            let Some(i) = code.and_then(|c| self.department_index(&normalize_department(c))) else { continue };
            if rest.is_empty() || by_name(&rest.join(" ")) == Some(i) {
                return Some(i);
            }
        }
        None
    }

    /// A region given by its code (« 53 », « 4 ») or its name (« Bretagne », « Région Bretagne », folded).
    pub fn find_region(&self, text: &str) -> Option<usize> {
        let text = text.trim();
        if let Some(i) = self.region_index(&normalize_department(text)) {
            return Some(i);
        }
        let key = crate::text::fold_key(text);
        let key = key.strip_prefix("region ").unwrap_or(&key);
        self.regions.iter().position(|r| crate::text::fold_key(&r.name) == key)
    }
}

/// The department a postcode points to, when it points to one: `35000` → `35`, `97400` → `974`. The first two digits
/// are a department's for most postcodes, not all (`20xxx` is Corsica's two; some communes use a neighbour's), so
/// this is only a hint for a place known by its postcode alone.
pub fn department_of_postcode(postcode: &str) -> Option<String> {
    let p = postcode.trim();
    if p.len() != 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match &p[..2] {
        "97" | "98" => Some(p[..3].to_owned()),
        "20" | "00" => None,
        d => Some(d.to_owned()),
    }
}

/// Parses a plain decimal number (`-1.93812`) as written in the commune table. Hand-written because
/// `str::parse::<f64>` brings a general float parser into the wasm bundle for this one column.
fn parse_decimal(s: &str) -> Option<f64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() || frac.len() > 9 || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value = int.parse::<u64>().ok()? as f64;
    if !frac.is_empty() {
        value += frac.parse::<u64>().ok()? as f64 / 10f64.powi(frac.len() as i32);
    }
    Some(if neg { -value } else { value })
}

/// Normalises a department code as written by people: `"1"` → `"01"`, `"2a"` → `"2A"`.
pub fn normalize_department(code: &str) -> String {
    let c = code.trim().to_ascii_uppercase();
    if c.len() == 1 && c.chars().all(|ch| ch.is_ascii_digit()) {
        format!("0{c}")
    } else {
        c
    }
}

/// The department a commune code belongs to, from the code alone: `35219` → `35`, `2A004` → `2A`,
/// `97411` → `974`.
pub fn department_of_commune_code(code: &str) -> Option<&str> {
    if code.len() != 5 || !code.is_ascii() {
        return None;
    }
    if code.starts_with("97") {
        Some(&code[..3])
    } else {
        Some(&code[..2])
    }
}

/// Whether a place must be looked up in the commune table: it has a commune code and no coordinates.
pub fn needs_commune_table(place: &Place) -> bool {
    place.point.is_none() && (place.commune_insee.is_some() || place.postcode.is_some() || place.commune.is_some())
}

/// Resolves a place in place: fills `department`, `region`, `point` and `precision` from the most precise data
/// (coordinates, then the commune code, then the department, then the region) and reports what disagrees.
///
/// `field` names the place in problems (`origin`, `replicas[2]`).
pub fn resolve_place(
    place: &mut Place,
    terr: &Territories,
    communes: Option<&CommuneIndex>,
    field: &str,
    problems: &mut Vec<(String, ProblemKind)>,
) {
    let given_dep = place.department.take().map(|d| normalize_department(&d));
    let given_reg = place.region.take().map(|r| r.trim().to_owned());
    let mut dep_idx: Option<usize> = None;
    let mut point: Option<LonLat> = None;
    let mut precision = Precision::None;

    if let Some(p) = place.point {
        match terr.locate(p) {
            Some(d) => {
                dep_idx = Some(d);
                point = Some(p);
                precision = Precision::Point;
            }
            None => problems.push((field.to_owned(), ProblemKind::CoordinatesOutside { lon: p.lon, lat: p.lat })),
        }
    }
    if dep_idx.is_none() {
        if let Some(code) = &place.commune_insee {
            match communes {
                Some(table) => match table.get(code) {
                    Some(c) => {
                        dep_idx = terr.department_index(&c.department);
                        if let Some(p) = c.point {
                            point = Some(p);
                            precision = Precision::Commune;
                        }
                        if place.commune.is_none() {
                            place.commune = Some(c.name.clone());
                        }
                    }
                    None => {
                        problems.push((format!("{field}.commune_insee"), ProblemKind::UnknownCommune(code.clone())))
                    }
                },
                None => {
                    dep_idx = department_of_commune_code(code).and_then(|d| terr.department_index(d));
                }
            }
        } else if let Some(table) = communes {
            if let Some(c) = find_commune(table, place, given_dep.as_deref(), field, problems) {
                dep_idx = terr.department_index(&c.department);
                if let Some(p) = c.point {
                    point = Some(p);
                    precision = Precision::Commune;
                }
                place.commune_insee = Some(c.code.clone());
                place.commune = Some(c.name.clone());
            }
        }
    }
    if let Some(code) = &given_dep {
        match terr.department_index(code) {
            None => problems.push((format!("{field}.department"), ProblemKind::UnknownDepartment(code.clone()))),
            Some(g) => match dep_idx {
                Some(found) if found != g => problems.push((
                    format!("{field}.department"),
                    ProblemKind::DepartmentMismatch {
                        given: code.clone(),
                        found: terr.departments[found].code.clone(),
                    },
                )),
                Some(_) => {}
                None => dep_idx = Some(g),
            },
        }
    }
    let mut reg_idx = dep_idx.map(|d| terr.departments[d].region);
    if let Some(code) = &given_reg {
        match terr.region_index(code) {
            None => problems.push((format!("{field}.region"), ProblemKind::UnknownRegion(code.clone()))),
            Some(g) => match reg_idx {
                Some(found) if found != g => problems.push((
                    format!("{field}.region"),
                    ProblemKind::RegionMismatch { given: code.clone(), found: terr.regions[found].code.clone() },
                )),
                Some(_) => {}
                None => reg_idx = Some(g),
            },
        }
    }
    if point.is_none() {
        if let Some(d) = dep_idx {
            point = Some(terr.departments[d].centre);
            precision = Precision::Department;
        } else if let Some(r) = reg_idx {
            point = Some(terr.regions[r].centre);
            precision = Precision::Region;
        }
    }
    place.department = dep_idx.map(|d| terr.departments[d].code.clone());
    place.region = reg_idx.map(|r| terr.regions[r].code.clone());
    place.point = point;
    place.precision = precision;
}

/// The commune of a place given by its postcode and/or its name (no code, no point): the commune that has both, else
/// the one of that name (in the department given, if any), when there is exactly one; what does not fit is reported.
fn find_commune<'t>(
    table: &'t CommuneIndex,
    place: &Place,
    department: Option<&str>,
    field: &str,
    problems: &mut Vec<(String, ProblemKind)>,
) -> Option<&'t CommuneRow> {
    let name = place.commune.as_deref().filter(|n| !n.trim().is_empty());
    let in_department = |rows: &[&'t CommuneRow]| -> Vec<&'t CommuneRow> {
        let mut found = Vec::new();
        for &r in rows {
            if department.is_none_or(|d| r.department == d) {
                found.push(r);
            }
        }
        found
    };
    // Several rows of one commune (its arrondissements, a commune déléguée of the same name) count as one.
    let one = |rows: Vec<&'t CommuneRow>| -> Vec<&'t CommuneRow> {
        let mut current: Vec<&CommuneRow> = Vec::with_capacity(rows.len());
        for r in &rows {
            current.push(table.current(r));
        }
        current.dedup_by(|a, b| a.code == b.code);
        if current.len() == 1 {
            // The most precise row: an arrondissement or commune déléguée named as given, else the commune.
            vec![rows.iter().copied().find(|r| r.point.is_some()).unwrap_or(current[0])]
        } else {
            current
        }
    };
    if let Some(postcode) = &place.postcode {
        let by_postcode = table.by_postcode(postcode);
        if by_postcode.is_empty() {
            problems.push((format!("{field}.postcode"), ProblemKind::UnknownPostcode(postcode.clone())));
        } else {
            let named: Vec<&CommuneRow> = match name {
                Some(n) => {
                    let mut named = Vec::new();
                    for &r in &by_postcode {
                        if name_key(&r.name) == name_key(n) {
                            named.push(r);
                        }
                    }
                    named
                }
                None => by_postcode.clone(),
            };
            match (one(named).as_slice(), name) {
                ([found], _) => return Some(found),
                ([], Some(n)) => problems.push((
                    format!("{field}.postcode"),
                    ProblemKind::PostcodeMismatch { postcode: postcode.clone(), name: n.to_owned() },
                )),
                (several, None) => {
                    let label = format!(
                        "{postcode} ({})",
                        several.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(", ")
                    );
                    problems.push((
                        format!("{field}.postcode"),
                        ProblemKind::AmbiguousCommuneName { name: label, count: several.len() },
                    ));
                    return None;
                }
                _ => {}
            }
        }
    }
    let name = name?;
    let all = table.by_name(name);
    let here = one(in_department(&all));
    match here.as_slice() {
        [found] => Some(found),
        [] if all.is_empty() => {
            let department = department.map(str::to_owned);
            problems.push((
                format!("{field}.commune"),
                ProblemKind::UnknownCommuneName { name: name.to_owned(), department },
            ));
            None
        }
        [] => {
            let mut found: Vec<&str> = Vec::new();
            for r in &all {
                if !found.contains(&r.department.as_str()) {
                    found.push(&r.department);
                }
            }
            problems.push((
                format!("{field}.commune"),
                ProblemKind::CommuneNotInDepartment {
                    name: name.to_owned(),
                    given: department.unwrap_or_default().to_owned(),
                    found: found.join(", "),
                },
            ));
            None
        }
        several => {
            problems.push((
                format!("{field}.commune"),
                ProblemKind::AmbiguousCommuneName { name: name.to_owned(), count: several.len() },
            ));
            None
        }
    }
}

/// Whether any place of the dataset must be looked up in the commune table (so the 2 MB table is fetched only
/// then).
pub fn dataset_needs_communes(dataset: &crate::model::Dataset) -> bool {
    dataset.innovations.iter().flat_map(|i| i.places()).any(needs_commune_table)
}

/// Resolves every place of the dataset (see [`resolve_place`]) and adds what disagrees to the report.
pub fn resolve_dataset(
    dataset: &mut crate::model::Dataset,
    terr: &Territories,
    communes: Result<&CommuneIndex, &str>,
    report: &mut crate::report::DataReport,
) {
    let n = dataset.innovations.len();
    resolve_records(dataset, 0..n, terr, communes, report);
}

/// [`resolve_dataset`] for the records of `range` only: the embed boundary resolves a large dataset a slice at a
/// time, in order (the report then lists the problems as `resolve_dataset` would).
pub fn resolve_records(
    dataset: &mut crate::model::Dataset,
    range: std::ops::Range<usize>,
    terr: &Territories,
    communes: Result<&CommuneIndex, &str>,
    report: &mut crate::report::DataReport,
) {
    if let (Err(why), 0) = (communes, range.start) {
        if dataset_needs_communes(dataset) {
            report.problems.push(crate::report::Problem {
                index: None,
                id: None,
                field: String::new(),
                kind: ProblemKind::CommuneTableUnavailable(why.to_owned()),
            });
        }
    }
    let table = communes.ok();
    let mut problems = Vec::new();
    let end = range.end.min(dataset.innovations.len());
    for inno in &mut dataset.innovations[range.start.min(end)..end] {
        resolve_place(&mut inno.origin, terr, table, "origin", &mut problems);
        // `i` is the replica's position in the file: blank replicas (nothing usable given) are only dropped
        // afterwards, so that problems name the replica the webmaster wrote, not the one after it.
        let given: Vec<bool> = inno.replicas.iter().map(|r| !r.is_blank()).collect();
        for (i, replica) in inno.replicas.iter_mut().enumerate() {
            if given[i] {
                resolve_place(replica, terr, table, &format!("replicas[{i}]"), &mut problems);
            }
        }
        let mut given = given.into_iter();
        inno.replicas.retain(|_| given.next().unwrap_or(false));
        for (field, kind) in problems.drain(..) {
            report.problems.push(crate::report::Problem {
                index: Some(inno.file_index),
                id: Some(inno.id.clone()),
                field,
                kind,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMUNES_CSV: &str = include_str!("../static/data/communes.csv");
    /// The outlines file: exactly the GeoJSON's territories (tests/outlines.rs), and read in the wasm tests too.
    const DEPARTMENTS: &[u8] = include_bytes!("../static/data/france-departments.bin");

    #[test]
    fn departments_are_in_code_order_with_corsica_after_19() {
        let t = crate::outlines::read(DEPARTMENTS).unwrap();
        let codes: Vec<&str> = t.departments.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes[17..22], ["18", "19", "2A", "2B", "21"]);
        #[cfg(not(target_arch = "wasm32"))]
        assert!(t.departments.windows(2).all(|w| sort_key(&w[0].code) < sort_key(&w[1].code)));
        assert_eq!(t.department_index("35").map(|d| t.departments[d].name.as_str()), Some("Ille-et-Vilaine"));
        for r in &t.regions {
            assert!(r.departments.windows(2).all(|w| w[0] < w[1]), "a region's departments in code order");
        }
    }

    #[test]
    fn the_commune_index_finds_communes_by_code_postcode_and_name() {
        let c = CommuneIndex::from_csv(COMMUNES_CSV).expect("communes.csv");
        assert_eq!(c.rows().len(), 37_590);
        let (row, current, how) = c.by_code("35238").unwrap();
        assert_eq!((row.name.as_str(), current.code.as_str(), how), ("Rennes", "35238", CodeMatch::Current));
        assert!(row.postcodes.contains(&"35000".to_owned()));
        // An arrondissement, a commune déléguée, a former code: each to the current commune it lies in.
        let (row, current, how) = c.by_code("75119").unwrap();
        assert_eq!((row.kind, current.code.as_str(), how), (CommuneKind::Arrondissement, "75056", CodeMatch::PartOf));
        let (row, current, how) = c.by_code("01340").unwrap();
        assert_eq!((row.name.as_str(), row.kind, how), ("Saint-Bois", CommuneKind::Delegated, CodeMatch::PartOf));
        assert_eq!(current.code, "01015");
        assert_eq!(c.postcodes(row), current.postcodes.as_slice(), "a déléguée has its parent's postcodes");
        let (_, current, how) = c.by_code("29096").unwrap();
        assert_eq!((current.name.as_str(), how), ("Brest", CodeMatch::Former));
        assert_eq!(c.by_code("01033").unwrap().0.kind, CommuneKind::Current, "a COM beats its commune déléguée");
        assert!(c.by_code("99999").is_none());

        let names = |cp: &str| c.by_postcode(cp).iter().map(|r| r.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names("35550"),
            ["Bruc-sur-Aff", "Lieuron", "Lohéac", "Pipriac", "Saint-Ganton", "Saint-Just", "Sixt-sur-Aff"]
        );
        assert_eq!(names("75019"), ["Paris", "Paris 19e Arrondissement"]);
        assert!(names("00000").is_empty());

        assert_eq!(c.by_name("ST MALO").iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["35288"]);
        assert_eq!(c.by_name("Paris 19e").iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["75119"]);
        assert_eq!(c.by_name("paris 1er arrondissement")[0].code, "75101");
        assert_eq!(c.by_name("Sainte-Colombe").len(), 12, "a name many communes have");
        assert_eq!(c.by_name("Saint-Denis").len(), 5, "4 communes and the déléguée of one");
        assert_eq!(name_key("Saint-Étienne-du-Rouvray"), name_key("St Etienne du Rouvray"));

        assert_eq!(c.get("35238").unwrap().name, "Rennes");
    }

    #[test]
    fn departments_and_regions_are_found_by_code_or_name() {
        let t = crate::outlines::read(DEPARTMENTS).unwrap();
        let dep = |s: &str| t.find_department(s).map(|i| t.departments[i].code.as_str());
        assert_eq!(dep("35"), Some("35"));
        assert_eq!(dep("1"), Some("01"));
        assert_eq!(dep("2a"), Some("2A"));
        assert_eq!(dep("ille et vilaine"), Some("35"));
        assert_eq!(dep("35 - Ille-et-Vilaine"), Some("35"));
        assert_eq!(dep("Ille-et-Vilaine (35)"), Some("35"));
        assert_eq!(dep("35 - Gironde"), None, "a code and a name that disagree");
        assert_eq!(dep("La Réunion"), Some("974"));
        assert_eq!(dep("Bretagne"), None);
        let reg = |s: &str| t.find_region(s).map(|i| t.regions[i].code.as_str());
        assert_eq!(reg("53"), Some("53"));
        assert_eq!(reg("4"), Some("04"));
        assert_eq!(reg("Région Bretagne"), Some("53"));
        assert_eq!(reg("ile-de-france"), Some("11"));
        assert_eq!(department_of_postcode("35550").as_deref(), Some("35"));
        assert_eq!(department_of_postcode("97400").as_deref(), Some("974"));
        assert_eq!(department_of_postcode("20000"), None);
    }
}

/// A territory that a search names (see [`find_places`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaceHit {
    /// An index of [`Territories::regions`].
    Region(usize),
    /// An index of [`Territories::departments`].
    Department(usize),
}

/// Whether the folded query `q` names the folded name `name` (both as [`crate::text::fold_key`] writes them): the
/// same, the start of it from three letters (« bret »), or one typo away from it or from its start from five letters
/// (« bretange », « marseile »).
pub fn names_place(q: &str, name: &str) -> bool {
    if q.len() < 3 {
        return false;
    }
    if name.starts_with(q) {
        return true;
    }
    q.chars().count() >= crate::search::TYPO_MIN
        && (q.len().saturating_sub(1)..=q.len() + 1).any(|n| {
            name.is_char_boundary(n.min(name.len()))
                && n <= name.len()
                && crate::search::one_typo(q.as_bytes(), &name.as_bytes()[..n])
        })
}

/// The regions and departments a search names: by name ([`names_place`], « Région » and « département » aside), by
/// postcode (five digits: the department it points to, [`department_of_postcode`]). Regions first, at most `max`.
pub fn find_places(terr: &Territories, query: &str, max: usize) -> Vec<PlaceHit> {
    let key = crate::text::fold_key(query);
    let key = key.trim();
    let key = key.strip_prefix("region ").or_else(|| key.strip_prefix("departement ")).unwrap_or(key);
    let mut out = Vec::new();
    if let Some(d) = department_of_postcode(key).and_then(|code| terr.department_index(&code)) {
        out.push(PlaceHit::Department(d));
        return out;
    }
    for (r, region) in terr.regions.iter().enumerate() {
        if names_place(key, &crate::text::fold_key(&region.name)) {
            out.push(PlaceHit::Region(r));
        }
    }
    for (d, dep) in terr.departments.iter().enumerate() {
        let name = crate::text::fold_key(&dep.name);
        // An overseas department is its region: named once.
        if names_place(key, &name)
            && !out.iter().any(|h| matches!(h, PlaceHit::Region(r) if terr.regions[*r].departments == [d]))
        {
            out.push(PlaceHit::Department(d));
        }
    }
    out.truncate(max);
    out
}
