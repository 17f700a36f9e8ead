//! The URL-state codec: filters, search, sort, page and the open innovation in the page's hash.
//!
//! Each instance owns the keys prefixed by its namespace (`<ns>.theme=…`), so two widgets on one page do not
//! clash and the host page's own hash content is kept. Example for namespace `e1`:
//! `#e1.t=r53&e1.theme=habitat,culture&e1.q=caf%C3%A9&e1.sort=stage&e1.open=cafe-joyeux`.
//!
//! Decoding is total: unknown keys and malformed values are ignored, never an error (links get edited by hand).

use crate::filter::{Around, Facet, Filter, Presence, SortKey, TerritorySel};

/// The part of the state that a link carries.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct UrlState {
    pub filter: Filter,
    pub open: Option<String>,
    pub page: usize,
    /// The map's zoom and centre, when the visitor moved it away from the view the filters imply.
    pub map: Option<MapPos>,
    /// The « Synthèse » view is shown (`view=synthesis`).
    pub synthesis: bool,
    /// The synthesis' minimum age of a stalled innovation (`age=`; 0: the default).
    pub stalled_years: u32,
}

/// The map's zoom and centre, in the compact form a link carries (`v=6.5,240,220`): the zoom in hundredths (1 is
/// the national view), the centre in canvas units (`0 0 1000 800`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub struct MapPos {
    pub k100: u32,
    pub x: u32,
    pub y: u32,
}

impl MapPos {
    /// Closest zoom a link may ask for (the map's own limit, `geo::MAX_SCALE`).
    pub const MAX_K100: u32 = 40_000;

    /// `k,x,y`, the zoom written with at most two decimals.
    pub fn encode(&self) -> String {
        let (int, frac) = (self.k100 / 100, self.k100 % 100);
        let k = match frac {
            0 => int.to_string(),
            f if f % 10 == 0 => format!("{int}.{}", f / 10),
            f => format!("{int}.{f:02}"),
        };
        format!("{k},{},{}", self.x, self.y)
    }

    /// The inverse of [`MapPos::encode`]; `None` for anything malformed or out of the canvas.
    pub fn decode(value: &str) -> Option<MapPos> {
        let mut parts = value.split(',');
        let (k, x, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        fn num(s: &str) -> Option<&str> {
            Some(s).filter(|s| !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit()))
        }
        let (int, frac) = k.split_once('.').unwrap_or((k, ""));
        let frac = match frac.len() {
            0 => 0,
            1 => num(frac)?.parse::<u32>().ok()? * 10,
            2 => num(frac)?.parse::<u32>().ok()?,
            _ => return None,
        };
        let k100 = num(int)?.parse::<u32>().ok()? * 100 + frac;
        let (x, y) = (num(x)?.parse::<u32>().ok()?, num(y)?.parse::<u32>().ok()?);
        (100..=MapPos::MAX_K100).contains(&k100).then_some(())?;
        (x <= 1000 && y <= 800).then_some(MapPos { k100, x, y })
    }
}

/// Longest age of a stalled innovation a link can ask for.
pub const MAX_STALLED_YEARS: u32 = 200;

fn facet_key(f: Facet) -> &'static str {
    match f {
        Facet::Themes => "theme",
        Facet::Stages => "stage",
        Facet::Strategies => "strategy",
        Facet::Support => "role",
    }
}

/// Longest text kept from a URL value (the search box is the only free text).
const MAX_VALUE: usize = 500;
/// At most this many values per facet are read back from a URL.
const MAX_LIST: usize = 64;

/// The `key=value` pairs of a state, in a stable order, values not yet percent-encoded.
pub fn encode(state: &UrlState) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(t) = &state.filter.territory {
        let v = match t {
            TerritorySel::Region(c) => format!("r{c}"),
            TerritorySel::Department(c) => format!("d{c}"),
            TerritorySel::Commune(c) => format!("c{c}"),
            // The visitor's position is never written in a link.
            TerritorySel::Around(a) if a.name.is_empty() => String::new(),
            TerritorySel::Around(a) => format!("a{},{},{},{}", a.km, a.lon, a.lat, a.name),
        };
        if !v.is_empty() {
            out.push(("t", v));
        }
    }
    for f in Facet::ALL {
        let values = state.filter.facet(f);
        if !values.is_empty() {
            out.push((facet_key(f), values.iter().map(String::as_str).collect::<Vec<_>>().join(",")));
        }
    }
    if !state.filter.presence.is_empty() {
        let mut here = String::new();
        for p in &state.filter.presence {
            if !here.is_empty() {
                here.push(',');
            }
            here.push_str(p.id());
        }
        out.push(("here", here));
    }
    if !state.filter.text.trim().is_empty() {
        out.push(("q", state.filter.text.clone()));
    }
    // The distance order goes with a radius in the link (without one, around the visitor, it says nothing).
    let without_radius = state.filter.sort == SortKey::Distance && !out.iter().any(|(k, _)| *k == "t");
    if state.filter.sort != SortKey::default() && !without_radius {
        out.push(("sort", state.filter.sort.id().to_owned()));
    }
    if state.page > 0 {
        out.push(("page", (state.page + 1).to_string()));
    }
    if let Some(id) = &state.open {
        out.push(("open", id.clone()));
    }
    if let Some(pos) = &state.map {
        out.push(("v", pos.encode()));
    }
    if state.synthesis {
        out.push(("view", "synthesis".to_owned()));
    }
    if state.stalled_years > 0 {
        out.push(("age", state.stalled_years.to_string()));
    }
    out
}

/// Reads this instance's state from a hash (with or without the leading `#`).
pub fn decode(hash: &str, ns: &str) -> UrlState {
    let mut state = UrlState::default();
    for (key, full) in own_pairs(hash, ns) {
        // Free text and codes are cut at MAX_VALUE characters. Facet lists are read from the full value, bounded
        // instead by MAX_LIST valid ids of at most 80 characters, so that a selection of long dataset-declared ids
        // reads back whole after a reload.
        let value: String = full.chars().take(MAX_VALUE).collect();
        match key.as_str() {
            "t" => {
                let (kind, code) = value.split_at(value.char_indices().nth(1).map_or(value.len(), |(i, _)| i));
                state.filter.territory = match (kind, code.is_empty()) {
                    (_, true) => None,
                    ("r", _) => Some(TerritorySel::Region(code.to_owned())),
                    ("d", _) => Some(TerritorySel::Department(code.to_owned())),
                    ("c", _) => Some(TerritorySel::Commune(code.to_owned())),
                    ("a", _) => around(code).map(TerritorySel::Around),
                    _ => None,
                };
            }
            "q" => state.filter.text = value,
            "sort" => state.filter.sort = SortKey::from_id(&value).unwrap_or_default(),
            "page" => state.page = value.parse::<usize>().ok().filter(|&p| p >= 1).map_or(0, |p| p - 1),
            "open" => state.open = Some(value).filter(|v| crate::schema::is_valid_id(v)),
            "v" => state.map = MapPos::decode(&value),
            "view" => state.synthesis = value == "synthesis",
            "age" => state.stalled_years = value.parse::<u32>().ok().filter(|&y| y <= MAX_STALLED_YEARS).unwrap_or(0),
            "here" => {
                for p in value.split(',').filter_map(Presence::from_id) {
                    if !state.filter.presence.contains(&p) {
                        state.filter.presence.push(p);
                    }
                }
            }
            k => {
                if let Some(f) = Facet::ALL.into_iter().find(|&f| facet_key(f) == k) {
                    let list = state.filter.facet_mut(f);
                    for v in
                        full.split(',').filter(|&v| crate::schema::is_valid_id(v) || v == crate::filter::UNSPECIFIED)
                    {
                        // The bound is on the facet's list, not on each pair: a key repeated in the hash must not
                        // add MAX_LIST values each time, so that a link always reads back the same.
                        if list.len() >= MAX_LIST {
                            break;
                        }
                        if !list.iter().any(|x| x == v) {
                            list.push(v.to_owned());
                        }
                    }
                }
            }
        }
    }
    state
}

/// `25,-167981,481173,Rennes (35)`: radius (one of [`Around::RADII`]), longitude and latitude in hundred-thousandths
/// of a degree, name.
fn around(value: &str) -> Option<Around> {
    let mut parts = value.splitn(4, ',');
    // Signed, through the unsigned parser the other keys already use (one parser in the wasm bundle).
    let mut num = || {
        let v = parts.next()?;
        let (sign, digits) = v.strip_prefix('-').map_or((1, v), |d| (-1, d));
        Some(sign * i32::try_from(digits.parse::<u32>().ok()?).ok()?)
    };
    let (km, lon, lat) = (num()?, num()?, num()?);
    let name = parts.next().filter(|n| !crate::text::is_blank(n))?.to_owned();
    let km = Around::RADII.into_iter().find(|&r| i32::from(r) == km)?;
    (lon.abs() <= 18_000_000 && lat.abs() <= 9_000_000).then_some(Around { name, lon, lat, km })
}

/// The new hash after writing this instance's state: other instances' and the page's own parts are kept in
/// place, this instance's keys replace its old ones at the end. Returns a string starting with `#`, or an empty
/// string when nothing remains.
pub fn write(hash: &str, ns: &str, state: &UrlState) -> String {
    let prefix = format!("{ns}.");
    // Written part by part (`#` before the first, `&` between): `join` on `String`s would add a second copy of the
    // standard library's joining code to the wasm (docs/SIZE.md).
    let mut out = String::new();
    let part = |out: &mut String| out.push(if out.is_empty() { '#' } else { '&' });
    for p in split(hash).filter(|p| !p.is_empty() && !p.starts_with(&prefix)) {
        part(&mut out);
        out.push_str(p);
    }
    for (k, v) in encode(state) {
        part(&mut out);
        out.push_str(&prefix);
        out.push_str(k);
        out.push('=');
        out.push_str(&percent_encode(&v));
    }
    out
}

/// Whether the hash holds any key of this namespace.
pub fn mentions(hash: &str, ns: &str) -> bool {
    own_pairs(hash, ns).next().is_some()
}

fn split(hash: &str) -> impl Iterator<Item = &str> {
    hash.strip_prefix('#').unwrap_or(hash).split('&')
}

fn own_pairs<'a>(hash: &'a str, ns: &'a str) -> impl Iterator<Item = (String, String)> + 'a {
    split(hash).filter_map(move |part| {
        let rest = part.strip_prefix(ns)?.strip_prefix('.')?;
        let (k, v) = rest.split_once('=').unwrap_or((rest, ""));
        Some((k.to_owned(), percent_decode(v)))
    })
}

/// Percent-encodes everything but unreserved characters and `,` `:` (used inside values).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~,:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` sequences (and `+` as space); invalid sequences are kept as written, invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_only_this_namespace() {
        assert!(mentions("#e1.theme=habitat&e2.q=x", "e1"));
        assert!(!mentions("#explorateur", "e1"));
        assert!(!mentions("#e10.q=x", "e1"), "e10 is another namespace");
        assert!(!mentions("", "e1"));
    }

    #[test]
    fn the_map_position_reads_back_and_bad_values_are_ignored() {
        for pos in [
            MapPos { k100: 100, x: 0, y: 0 },
            MapPos { k100: 650, x: 240, y: 220 },
            MapPos { k100: 40_000, x: 1000, y: 800 },
            MapPos { k100: 1234, x: 5, y: 799 },
        ] {
            assert_eq!(MapPos::decode(&pos.encode()), Some(pos), "{}", pos.encode());
        }
        assert_eq!(MapPos { k100: 650, x: 240, y: 220 }.encode(), "6.5,240,220");
        for bad in [
            "",
            "6",
            "6,1",
            "6,1,2,3",
            "0.5,1,1",
            "401,1,1",
            "6,1001,1",
            "6,1,801",
            "-6,1,1",
            "6.123,1,1",
            "a,b,c",
            "99999999,1,1",
            "+6,1,1",
        ] {
            assert_eq!(MapPos::decode(bad), None, "{bad}");
        }
        let s = decode("#e1.v=6.5,240,220&e1.q=x", "e1");
        assert_eq!(s.map, Some(MapPos { k100: 650, x: 240, y: 220 }));
        assert!(write("", "e1", &s).contains("e1.v=6.5,240,220"));
        assert_eq!(decode("#e1.v=6.5%2C240", "e1").map, None);
    }
}
