//! Placing a row: by INSEE code, then postcode + commune name, then commune name + department, then commune name
//! alone when it is unique, then coordinates; what disagrees (code, name, postcode, department, point) and what is
//! only known to its department or region is reported on the row.
//!
//! Historical codes and names (arrondissements of Paris, Lyon and Marseille, communes déléguées and associées,
//! merged communes) become the current commune the widget knows, so that one commune is one entry of its filter.

use crate::model::LonLat;
use crate::territory::{department_of_postcode, name_key, CodeMatch, CommuneKind, CommuneRow};

use super::issues::{Issue, IssueKind};
use super::reference::{commune_index, territories};

/// A non-blank cell and its column's header.
#[derive(Clone, Copy, Debug)]
pub struct Cell<'a> {
    pub column: &'a str,
    pub value: &'a str,
}

/// The place cells of a row.
#[derive(Clone, Copy, Debug, Default)]
pub struct Given<'a> {
    pub insee: Option<Cell<'a>>,
    pub postcode: Option<Cell<'a>>,
    pub commune: Option<Cell<'a>>,
    pub department: Option<Cell<'a>>,
    pub region: Option<Cell<'a>>,
    pub lat: Option<Cell<'a>>,
    pub lon: Option<Cell<'a>>,
}

/// A place as written in the dataset (`origin`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resolved {
    pub commune: Option<String>,
    pub insee: Option<String>,
    pub department: Option<String>,
    pub region: Option<String>,
    pub point: Option<LonLat>,
}

struct Ctx<'i> {
    line: usize,
    issues: &'i mut Vec<Issue>,
}

impl Ctx<'_> {
    /// The current commune a row named in `cell` lies in, said on the row when the row is an arrondissement or a
    /// commune déléguée or associée (the widget knows the current commune).
    fn part_of<'r>(&mut self, cell: Cell, row: &'r CommuneRow, current: &'r CommuneRow) -> &'r CommuneRow {
        if row.kind != CommuneKind::Current {
            let kind = IssueKind::HistoricCode {
                what: what(row, CodeMatch::PartOf),
                code: current.code.clone(),
                name: current.name.clone(),
            };
            self.say(Some(cell), None, kind);
        }
        current
    }

    fn say(&mut self, cell: Option<Cell>, value: Option<String>, kind: IssueKind) {
        self.issues.push(Issue {
            line: Some(self.line),
            column: cell.map(|c| c.column.to_owned()),
            value: value.or_else(|| cell.map(|c| c.value.to_owned())),
            kind,
        });
    }
}

/// A code as a spreadsheet may have mangled it: `1053` (a number that lost its leading zero) → `01053`.
fn restore_zero(code: &str, len: usize) -> Option<String> {
    (code.len() == len - 1 && code.bytes().all(|b| b.is_ascii_digit())).then(|| format!("0{code}"))
}

fn parse_coordinate(s: &str) -> Option<f64> {
    let s = s.trim().replace(',', ".").replace(['\u{a0}', ' '], "");
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn what(row: &CommuneRow, how: CodeMatch) -> &'static str {
    match (how, row.kind) {
        (CodeMatch::Former, _) => "ancienne",
        (_, CommuneKind::Arrondissement) => "arrondissement",
        (_, CommuneKind::Delegated) => "deleguee",
        (_, CommuneKind::Associated) => "associee",
        (_, CommuneKind::Current) => "ancienne",
    }
}

/// Places a row (see the module's documentation); problems go to `issues` with the row's `line`.
pub fn resolve(given: &Given, line: usize, issues: &mut Vec<Issue>) -> Resolved {
    let terr = territories();
    let idx = commune_index();
    let mut cx = Ctx { line, issues };
    let point = coordinates(given, &mut cx);
    let given_dep = given.department.and_then(|c| {
        let found = terr.find_department(c.value);
        if found.is_none() {
            cx.say(Some(c), None, IssueKind::UnknownDepartment);
        }
        found
    });
    let given_reg = given.region.and_then(|c| {
        let found = terr.find_region(c.value);
        if found.is_none() {
            cx.say(Some(c), None, IssueKind::UnknownRegion);
        }
        found
    });
    let postcode = given.postcode.map(|c| {
        let cp = c.value.trim().replace(' ', "");
        match restore_zero(&cp, 5).filter(|z| !idx.by_postcode(z).is_empty()) {
            Some(z) => {
                cx.say(Some(c), None, IssueKind::ZeroAdded { code: z.clone() });
                z
            }
            None => cp,
        }
    });
    let name = given.commune.filter(|c| !name_key(c.value).is_empty());

    // The commune: by code, then postcode + name, then name + department, then name alone.
    let mut commune = given.insee.and_then(|c| by_code(c, name, &mut cx));
    let mut postcode_checked = false;
    if let (None, Some(cp)) = (commune, &postcode) {
        (commune, postcode_checked) = by_postcode(cp, given.postcode, name, &mut cx);
    }
    if let (None, Some(n)) = (commune, name) {
        // The department that narrows the search: given, else the postcode's, else the point's.
        let hint = given_dep
            .map(|d| terr.departments[d].code.clone())
            .or_else(|| postcode.as_deref().and_then(department_of_postcode))
            .or_else(|| point.map(|(_, d)| terr.departments[d].code.clone()));
        commune = by_name(n, hint, &mut cx);
    }
    disagreements(given, commune, point, given_dep, postcode.as_deref().filter(|_| !postcode_checked), &mut cx);

    // The department and region, from the most precise place.
    let dep = point
        .map(|(_, d)| d)
        .or_else(|| commune.and_then(|c| terr.department_index(&c.department)))
        .or(given_dep)
        .or_else(|| postcode.as_deref().and_then(department_of_postcode).and_then(|d| terr.department_index(&d)));
    let region = dep.map(|d| terr.departments[d].region).or(given_reg);
    if let (Some(g), Some(r)) = (given_reg, region) {
        if g != r {
            let kind =
                IssueKind::RegionDiffers { given: terr.regions[g].code.clone(), found: terr.regions[r].code.clone() };
            cx.say(given.region, None, kind);
        }
    }
    if commune.is_none() && point.is_none() {
        if let Some(d) = dep {
            let d = &terr.departments[d];
            let cell = given.department.or(given.postcode).or(name);
            cx.say(cell, None, IssueKind::OnlyDepartment { department: format!("{} {}", d.code, d.name) });
        } else if let Some(r) = region {
            let r = &terr.regions[r];
            cx.say(given.region, None, IssueKind::OnlyRegion { region: format!("{} {}", r.code, r.name) });
        } else {
            cx.say(name.or(given.insee).or(given.postcode), None, IssueKind::NoPlace);
        }
    }
    Resolved {
        commune: commune.map(|c| c.name.clone()).or_else(|| name.map(|n| n.value.trim().to_owned())),
        insee: commune.map(|c| c.code.clone()),
        department: dep.map(|d| terr.departments[d].code.clone()),
        region: region.map(|r| terr.regions[r].code.clone()),
        point: point.map(|(p, _)| p),
    }
}

/// The point of a row's coordinates, in a French department (latitude and longitude swapped back when that is
/// what places it), with that department.
fn coordinates(given: &Given, cx: &mut Ctx) -> Option<(LonLat, usize)> {
    let terr = territories();
    let mut point: Option<(LonLat, usize)> = None;
    if given.lat.is_some() || given.lon.is_some() {
        let shown = format!("{}, {}", given.lat.map_or("", |c| c.value), given.lon.map_or("", |c| c.value));
        let cell = given.lat.or(given.lon);
        match (given.lat.and_then(|c| parse_coordinate(c.value)), given.lon.and_then(|c| parse_coordinate(c.value))) {
            (Some(lat), Some(lon)) => {
                let p = LonLat { lon, lat };
                let swapped = LonLat { lon: lat, lat: lon };
                if let Some(d) = terr.locate(p) {
                    point = Some((p, d));
                } else if let Some(d) = terr.locate(swapped) {
                    cx.say(cell, Some(shown), IssueKind::CoordinatesSwapped);
                    point = Some((swapped, d));
                } else {
                    cx.say(cell, Some(shown), IssueKind::CoordinatesOutside);
                }
            }
            _ => cx.say(cell, Some(shown), IssueKind::BadCoordinates),
        }
    }

    point
}

/// The current commune of an INSEE code (a spreadsheet's dropped zero restored, former and partial codes said), and
/// whether the name given is that commune's.
fn by_code(c: Cell, name: Option<Cell>, cx: &mut Ctx) -> Option<&'static CommuneRow> {
    let idx = commune_index();
    let mut commune = None;
    {
        let raw = c.value.trim().to_ascii_uppercase();
        let (code, zero) =
            match restore_zero(&raw, 5).filter(|z| idx.by_code(z).is_some() && idx.by_code(&raw).is_none()) {
                Some(z) => (z, true),
                None => (raw, false),
            };
        match idx.by_code(&code) {
            Some((row, current, how)) => {
                if zero {
                    cx.say(Some(c), None, IssueKind::ZeroAdded { code: code.clone() });
                }
                if how != CodeMatch::Current {
                    let kind = IssueKind::HistoricCode {
                        what: what(row, how),
                        code: current.code.clone(),
                        name: current.name.clone(),
                    };
                    cx.say(Some(c), Some(code.clone()), kind);
                }
                if let Some(n) = name {
                    let key = name_key(n.value);
                    let same = key == name_key(&row.name)
                        || key == name_key(&current.name)
                        || idx.by_name(n.value).iter().any(|r| idx.current(r).code == current.code);
                    if !same {
                        cx.say(
                            Some(n),
                            None,
                            IssueKind::NameDiffers { name: current.name.clone(), code: current.code.clone() },
                        );
                    }
                }
                commune = Some(current);
            }
            None => cx.say(Some(c), None, IssueKind::UnknownInsee),
        }
    }
    commune
}

/// The commune of a postcode: the one named so that has it, else its only commune; and whether the postcode was
/// checked against it.
fn by_postcode(cp: &str, cell: Option<Cell>, name: Option<Cell>, cx: &mut Ctx) -> (Option<&'static CommuneRow>, bool) {
    let idx = commune_index();
    let (mut commune, mut postcode_checked) = (None, false);
    {
        let candidates = idx.by_postcode(cp);
        if candidates.is_empty() {
            cx.say(cell, None, IssueKind::UnknownPostcode);
        } else if let Some(n) = name {
            let mut found: Vec<(&CommuneRow, &CommuneRow)> = Vec::new();
            for r in idx.by_name(n.value) {
                let current = idx.current(r);
                if idx.postcodes(r).iter().any(|p| p == cp) && !found.iter().any(|(_, c)| c.code == current.code) {
                    found.push((r, current));
                }
            }
            if let [(row, current)] = found[..] {
                commune = Some(cx.part_of(n, row, current));
                postcode_checked = true;
            }
        } else {
            let mut currents: Vec<&CommuneRow> = Vec::new();
            for r in candidates {
                let current = idx.current(r);
                if !currents.iter().any(|c| c.code == current.code) {
                    currents.push(current);
                }
            }
            if let [only] = currents[..] {
                cx.say(cell, None, IssueKind::FromPostcode { name: only.name.clone(), code: only.code.clone() });
                commune = Some(only);
                postcode_checked = true;
            }
        }
    }
    (commune, postcode_checked)
}

/// The commune of a name: the only one in the department `hint`, else the only one; an unknown or ambiguous name is
/// said.
fn by_name(n: Cell, hint: Option<String>, cx: &mut Ctx) -> Option<&'static CommuneRow> {
    let idx = commune_index();
    let mut commune = None;
    {
        let mut found: Vec<(&CommuneRow, &CommuneRow)> = Vec::new();
        for r in idx.by_name(n.value) {
            let current = idx.current(r);
            if !found.iter().any(|(_, c)| c.code == current.code) {
                found.push((r, current));
            }
        }
        let in_dep: Vec<_> = found.iter().filter(|(_, c)| Some(&c.department) == hint.as_ref()).copied().collect();
        let chosen = match (&in_dep[..], &found[..]) {
            ([one], _) | ([], [one]) => Some(*one),
            _ => None,
        };
        match chosen {
            Some((row, current)) => commune = Some(cx.part_of(n, row, current)),
            None if found.is_empty() => cx.say(Some(n), None, IssueKind::UnknownCommune),
            None => {
                let mut deps: Vec<&str> = found.iter().map(|(_, c)| c.department.as_str()).collect();
                deps.dedup();
                let kind = IssueKind::AmbiguousCommune { count: found.len(), departments: deps.join(", ") };
                cx.say(Some(n), None, kind);
            }
        }
    }

    commune
}

/// What disagrees with the commune found: a postcode not checked yet, the department given, the point.
fn disagreements(
    given: &Given,
    commune: Option<&CommuneRow>,
    point: Option<(LonLat, usize)>,
    given_dep: Option<usize>,
    postcode: Option<&str>,
    cx: &mut Ctx,
) {
    let (terr, idx) = (territories(), commune_index());
    if let Some(c) = commune {
        if let Some(cp) = postcode {
            if !idx.by_postcode(cp).is_empty() && !idx.postcodes(c).iter().any(|p| p == cp) {
                let kind = IssueKind::PostcodeDiffers { commune: c.name.clone(), code: c.code.clone() };
                cx.say(given.postcode, Some(cp.to_owned()), kind);
            }
        }
        if let Some(g) = given_dep.filter(|&g| terr.departments[g].code != c.department) {
            let kind = IssueKind::DepartmentDiffers {
                given: terr.departments[g].code.clone(),
                found: c.department.clone(),
                from: "commune",
            };
            cx.say(given.department, None, kind);
        }
        if let Some((p, d)) = point.filter(|&(_, d)| terr.departments[d].code != c.department) {
            let kind = IssueKind::PointElsewhere {
                point_dep: terr.departments[d].code.clone(),
                commune: format!("{} ({})", c.name, c.code),
                commune_dep: c.department.clone(),
            };
            cx.say(given.lat.or(given.lon), Some(format!("{}, {}", p.lat, p.lon)), kind);
        }
    } else if let (Some((_, d)), Some(g)) = (point, given_dep) {
        if d != g {
            let kind = IssueKind::DepartmentDiffers {
                given: terr.departments[g].code.clone(),
                found: terr.departments[d].code.clone(),
                from: "point",
            };
            cx.say(given.department, None, kind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(cells: &[(&'static str, &'static str)]) -> (Resolved, Vec<IssueKind>) {
        let mut g = Given::default();
        for &(field, value) in cells {
            let c = Some(Cell { column: field, value });
            match field {
                "insee" => g.insee = c,
                "cp" => g.postcode = c,
                "commune" => g.commune = c,
                "dep" => g.department = c,
                "reg" => g.region = c,
                "lat" => g.lat = c,
                "lon" => g.lon = c,
                _ => unreachable!(),
            }
        }
        let mut issues = Vec::new();
        let r = resolve(&g, 2, &mut issues);
        (r, issues.into_iter().map(|i| i.kind).collect())
    }

    fn code(r: &Resolved) -> &str {
        r.insee.as_deref().unwrap_or("-")
    }

    #[test]
    fn places_are_found_by_code_postcode_name_and_department() {
        let (r, i) = place(&[("insee", "35219")]);
        assert_eq!(
            (code(&r), r.commune.as_deref(), r.department.as_deref(), r.region.as_deref()),
            ("35219", Some("Pipriac"), Some("35"), Some("53"))
        );
        assert!(i.is_empty(), "{i:?}");
        let (r, i) = place(&[("cp", "35550"), ("commune", "PIPRIAC")]);
        assert_eq!(code(&r), "35219");
        assert!(i.is_empty(), "{i:?}");
        let (r, i) = place(&[("commune", "Saint-Denis"), ("dep", "974")]);
        assert_eq!(code(&r), "97411");
        assert!(i.is_empty());
        let (r, i) = place(&[("commune", "Pipriac")]);
        assert_eq!(code(&r), "35219", "a unique name");
        assert!(i.is_empty());
        let (r, i) = place(&[("commune", "Saint-Denis")]);
        assert_eq!(code(&r), "-");
        assert!(matches!(i[..], [IssueKind::AmbiguousCommune { count: 4, .. }, IssueKind::NoPlace]), "{i:?}");
        let (r, i) = place(&[("insee", "1053")]);
        assert_eq!(code(&r), "01053", "the zero a spreadsheet drops");
        assert!(matches!(i[..], [IssueKind::ZeroAdded { .. }]), "{i:?}");
        let (r, i) = place(&[("cp", "1000"), ("commune", "Bourg-en-Bresse")]);
        assert_eq!(code(&r), "01053");
        assert!(matches!(i[..], [IssueKind::ZeroAdded { .. }]), "{i:?}");
    }

    #[test]
    fn historical_codes_and_names_become_the_current_commune() {
        let (r, i) = place(&[("insee", "75119")]);
        assert_eq!((code(&r), r.commune.as_deref()), ("75056", Some("Paris")));
        assert!(matches!(&i[..], [IssueKind::HistoricCode { what: "arrondissement", .. }]), "{i:?}");
        let (r, _) = place(&[("insee", "69383")]);
        assert_eq!(code(&r), "69123", "Lyon 3e");
        let (r, _) = place(&[("insee", "13201")]);
        assert_eq!(code(&r), "13055", "Marseille 1er");
        let (r, i) = place(&[("insee", "01340")]);
        assert_eq!(code(&r), "01015");
        assert!(matches!(&i[..], [IssueKind::HistoricCode { what: "deleguee", .. }]), "{i:?}");
        let (r, i) = place(&[("insee", "29096")]);
        assert_eq!(r.commune.as_deref(), Some("Brest"));
        assert!(matches!(&i[..], [IssueKind::HistoricCode { what: "ancienne", .. }]), "{i:?}");
        let (r, i) = place(&[("cp", "75019"), ("commune", "Paris 19e")]);
        assert_eq!(code(&r), "75056");
        assert!(matches!(&i[..], [IssueKind::HistoricCode { what: "arrondissement", .. }]), "{i:?}");
    }

    #[test]
    fn disagreements_and_vague_places_are_reported() {
        let (r, i) = place(&[("insee", "35219"), ("dep", "22")]);
        assert_eq!(r.department.as_deref(), Some("35"));
        assert!(matches!(&i[..], [IssueKind::DepartmentDiffers { from: "commune", .. }]), "{i:?}");
        let (_, i) = place(&[("insee", "35219"), ("commune", "Rennes")]);
        assert!(matches!(&i[..], [IssueKind::NameDiffers { .. }]), "{i:?}");
        let (_, i) = place(&[("insee", "35219"), ("cp", "35000")]);
        assert!(matches!(&i[..], [IssueKind::PostcodeDiffers { .. }]), "{i:?}");
        let (r, i) = place(&[("insee", "35219"), ("lat", "48.11"), ("lon", "-1.68")]);
        assert_eq!(r.point.map(|p| p.lat), Some(48.11));
        assert!(i.is_empty(), "Rennes' point is in 35: {i:?}");
        let (r, i) = place(&[("insee", "35219"), ("lat", "43.6"), ("lon", "1.44")]);
        assert_eq!(r.department.as_deref(), Some("31"), "the point wins, as in the widget");
        assert!(matches!(&i[..], [IssueKind::PointElsewhere { .. }]), "{i:?}");
        let (r, i) = place(&[("lat", "-1.68"), ("lon", "48.11")]);
        assert_eq!(r.department.as_deref(), Some("35"));
        assert!(matches!(&i[..], [IssueKind::CoordinatesSwapped]), "{i:?}");
        let (_, i) = place(&[("lat", "6789000"), ("lon", "351000")]);
        assert!(matches!(&i[..], [IssueKind::CoordinatesOutside, IssueKind::NoPlace]), "Lambert 93: {i:?}");
        let (r, i) = place(&[("dep", "Ille-et-Vilaine")]);
        assert_eq!((r.department.as_deref(), r.region.as_deref()), (Some("35"), Some("53")));
        assert!(matches!(&i[..], [IssueKind::OnlyDepartment { .. }]), "{i:?}");
        let (_, i) = place(&[("reg", "Bretagne")]);
        assert!(matches!(&i[..], [IssueKind::OnlyRegion { .. }]), "{i:?}");
        let (_, i) = place(&[("commune", "Nulle-Part-sur-Mer")]);
        assert!(matches!(&i[..], [IssueKind::UnknownCommune, IssueKind::NoPlace]), "{i:?}");
        let (_, i) = place(&[("insee", "99999"), ("dep", "35")]);
        assert!(matches!(&i[..], [IssueKind::UnknownInsee, IssueKind::OnlyDepartment { .. }]), "{i:?}");
        let (_, i) = place(&[("reg", "53"), ("dep", "75")]);
        assert!(matches!(&i[..], [IssueKind::RegionDiffers { .. }, IssueKind::OnlyDepartment { .. }]), "{i:?}");
    }
}
