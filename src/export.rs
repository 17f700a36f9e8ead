//! Taking the results away: CSV and `essaimage/1` JSON of every result, the file names, the citation and the
//! filters as a sentence. Pure text; the embed boundary turns it into a download or the clipboard.

use crate::filter::{Facet, Filter, Index, Presence, TerritorySel, UNSPECIFIED};
use crate::i18n::{t, Locale, Msg};
use crate::model::{Place, Precision, ValueIdx, VocabKind};

/// The CSV columns, one per field; lists are joined with « ; ».
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "name",
    "summary",
    "carrier_kind",
    "stage",
    "themes",
    "scaling_strategies",
    "public_support",
    "started",
    "sites",
    "origin_commune",
    "origin_commune_insee",
    "origin_department",
    "origin_region",
    "origin_lon",
    "origin_lat",
    "replicas",
    "url",
    "sources",
];

/// One CSV cell, quoted as RFC 4180 says when it holds a comma, a quote or a line break (quotes doubled), or
/// spaces at its ends (which spreadsheet programs would drop).
pub fn csv_cell(value: &str, out: &mut String) {
    let quote = value.contains([',', '"', '\n', '\r', ';']) || value.starts_with(' ') || value.ends_with(' ');
    if quote {
        out.push('"');
        for c in value.chars() {
            if c == '"' {
                out.push('"');
            }
            out.push(c);
        }
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Reads CSV written by [`csv`] back into rows of cells (RFC 4180: quoted cells, doubled quotes, CRLF), for tests
/// and round trips.
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Appends `item` to a list written with `sep` between items.
fn push_item(list: &mut String, sep: &str, item: &str) {
    if !list.is_empty() {
        list.push_str(sep);
    }
    list.push_str(item);
}

fn labels(index: &Index, kind: VocabKind, values: &[ValueIdx], locale: Locale) -> String {
    let vocab = index.dataset.vocabularies.get(kind);
    let mut s = String::new();
    for &v in values {
        push_item(&mut s, " ; ", vocab.label(v, locale));
    }
    s
}

/// A place as one text: « Commune (35) », the department or region code, then « depuis 2019 ».
fn place_text(index: &Index, p: &Place) -> String {
    let terr = &index.territories;
    let mut s = match (&p.commune, &p.department, &p.region) {
        (Some(c), Some(d), _) => format!("{c} ({d})"),
        (Some(c), None, _) => c.clone(),
        (None, Some(d), _) => terr.department_index(d).map_or(d.clone(), |i| terr.departments[i].name.clone()),
        (None, None, Some(r)) => terr.region_index(r).map_or(r.clone(), |i| terr.regions[i].name.clone()),
        (None, None, None) => String::new(),
    };
    if let Some(y) = p.started {
        s.push_str(&format!(" {y}"));
    }
    s
}

/// Every record of `ids` as CSV: UTF-8 with a byte order mark (so spreadsheet programs read the accents), a
/// header row of [`CSV_COLUMNS`], CRLF line ends, vocabulary values as their labels in `locale`.
pub fn csv(index: &Index, ids: &[u32], locale: Locale) -> String {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    let vocabs = &index.dataset.vocabularies;
    // Without f64's Display, whose code would weigh in the wasm (docs/SIZE.md).
    let num = |v: Option<f64>| v.map(crate::report::coord).unwrap_or_default();
    for &i in ids {
        let r = &index.dataset.innovations[i as usize];
        let point = r.origin.point.filter(|_| r.origin.precision == Precision::Point);
        let (lon, lat) = (num(point.map(|p| p.lon)), num(point.map(|p| p.lat)));
        let mut replicas = String::new();
        for p in &r.replicas {
            push_item(&mut replicas, " ; ", &place_text(index, p));
        }
        fn text(v: &Option<String>) -> &str {
            v.as_deref().unwrap_or("")
        }
        let cells: [&str; 19] = [
            &r.id,
            &r.name,
            text(&r.summary),
            r.carrier_kind.map_or("", |k| vocabs.carrier_kinds.label(k, locale)),
            r.stage.map_or("", |s| vocabs.stages.label(s, locale)),
            &labels(index, VocabKind::Themes, &r.themes, locale),
            &labels(index, VocabKind::ScalingStrategies, &r.scaling_strategies, locale),
            &labels(index, VocabKind::PublicSupport, &r.public_support, locale),
            &r.started.map(|y| y.to_string()).unwrap_or_default(),
            &r.sites.map(|y| y.to_string()).unwrap_or_default(),
            text(&r.origin.commune),
            text(&r.origin.commune_insee),
            text(&r.origin.department),
            text(&r.origin.region),
            &lon,
            &lat,
            &replicas,
            text(&r.url),
            &r.sources.join(" ; "),
        ];
        for (k, cell) in cells.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            csv_cell(cell, &mut out);
        }
        out.push_str("\r\n");
    }
    out
}

/// A JSON string literal.
pub fn json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object written field by field, skipping absent values.
struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }
    fn key(&mut self, k: &str) -> &mut String {
        if !self.first {
            self.out.push_str(", ");
        }
        self.first = false;
        json_string(k, self.out);
        self.out.push_str(": ");
        self.out
    }
    fn str(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            json_string(v, self.key(k));
        }
    }
    fn raw(&mut self, k: &str, v: Option<String>) {
        if let Some(v) = v {
            self.key(k).push_str(&v);
        }
    }
    /// A list of strings.
    fn list(&mut self, k: &str, values: &[String]) {
        if values.is_empty() {
            return;
        }
        let out = self.key(k);
        out.push('[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json_string(v, out);
        }
        out.push(']');
    }
    /// The ids of vocabulary values.
    fn ids(&mut self, k: &str, vocab: &crate::model::Vocabulary, values: &[ValueIdx]) {
        if values.is_empty() {
            return;
        }
        let out = self.key(k);
        out.push('[');
        for (i, &v) in values.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json_string(vocab.id(v), out);
        }
        out.push(']');
    }
    fn end(self) {
        self.out.push('}');
    }
}

fn place_json(p: &Place, out: &mut String) {
    let mut o = Obj::new(out);
    o.str("commune", p.commune.as_deref());
    o.str("commune_insee", p.commune_insee.as_deref());
    o.str("department", p.department.as_deref());
    o.str("region", p.region.as_deref());
    if let (Some(pt), Precision::Point) = (p.point, p.precision) {
        o.raw("lon", Some(crate::report::coord(pt.lon)));
        o.raw("lat", Some(crate::report::coord(pt.lat)));
    }
    o.raw("started", p.started.map(|y| y.to_string()));
    o.end();
}

/// Every record of `ids` as an `essaimage/1` document, with the dataset's title, licence, source and vocabularies
/// (which the widget reads back as it read the original).
pub fn json(index: &Index, ids: &[u32]) -> String {
    let ds = &index.dataset;
    let meta = &ds.meta;
    let mut buf = String::new();
    let mut doc = Obj::new(&mut buf);
    doc.str("schema", Some("essaimage/1"));
    doc.str("title", meta.title.as_deref());
    doc.str("description", meta.description.as_deref());
    doc.str("updated", meta.updated.as_deref());
    doc.str("license", meta.license.as_deref());
    if let Some(src) = &meta.source {
        let out = doc.key("source");
        let mut o = Obj::new(out);
        o.str("name", Some(&src.name));
        o.str("url", src.url.as_deref());
        o.end();
    }
    {
        let out = doc.key("vocabularies");
        let mut v = Obj::new(out);
        for kind in VocabKind::ALL {
            let out = v.key(kind.key());
            out.push('[');
            for (i, e) in ds.vocabularies.get(kind).entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let mut o = Obj::new(out);
                o.str("id", Some(&e.id));
                let label = o.key("label");
                let mut l = Obj::new(label);
                l.str("fr", Some(&e.label.fr).filter(|s| !s.is_empty()).map(|s| s.as_str()));
                l.str("en", Some(&e.label.en).filter(|s| !s.is_empty()).map(|s| s.as_str()));
                l.end();
                o.end();
            }
            out.push(']');
        }
        v.end();
    }
    let out = doc.key("innovations");
    out.push_str("[\n");
    let vocabs = &ds.vocabularies;
    for (n, &i) in ids.iter().enumerate() {
        let r = &ds.innovations[i as usize];
        if n > 0 {
            out.push_str(",\n");
        }
        out.push_str("  ");
        let mut o = Obj::new(out);
        o.str("id", Some(&r.id));
        o.str("name", Some(&r.name));
        o.str("summary", r.summary.as_deref());
        o.str("carrier_kind", r.carrier_kind.map(|k| vocabs.carrier_kinds.id(k)));
        if !r.origin.is_blank() {
            place_json(&r.origin, o.key("origin"));
        }
        if !r.replicas.is_empty() {
            let out = o.key("replicas");
            out.push('[');
            for (k, p) in r.replicas.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                place_json(p, out);
            }
            out.push(']');
        }
        o.ids("themes", &vocabs.themes, &r.themes);
        o.str("stage", r.stage.map(|s| vocabs.stages.id(s)));
        o.ids("scaling_strategies", &vocabs.scaling_strategies, &r.scaling_strategies);
        o.ids("public_support", &vocabs.public_support, &r.public_support);
        o.raw("started", r.started.map(|y| y.to_string()));
        o.raw("sites", r.sites.map(|y| y.to_string()));
        o.str("url", r.url.as_deref());
        o.list("sources", &r.sources);
        o.end();
    }
    out.push_str("\n]");
    doc.end();
    buf.push('\n');
    buf
}

/// Lower case, accents removed, anything else than letters and digits as one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in crate::text::fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The name of the territory a selection names (or its code when unknown).
pub fn territory_name(index: &Index, sel: &TerritorySel) -> String {
    let t = &index.territories;
    match sel {
        TerritorySel::Region(c) => t.region_index(c).map_or(c.clone(), |r| t.regions[r].name.clone()),
        TerritorySel::Department(c) => t.department_index(c).map_or(c.clone(), |d| t.departments[d].name.clone()),
        TerritorySel::Commune(k) => index.commune_index(k).map_or(k.clone(), |c| index.communes[c].name.clone()),
    }
}

/// `innovations_bretagne_amorcage_2026-12-06.csv`: what the dataset lists, the filters (territory, values, search)
/// and the date, at most about 120 characters.
pub fn file_name(index: &Index, filter: &Filter, date: &str, ext: &str) -> String {
    let mut parts = vec![slug(index.dataset.meta.noun.word(Locale::Fr, true))];
    if let Some(sel) = &filter.territory {
        parts.push(slug(&territory_name(index, sel)));
    }
    if filter.territory.is_some() {
        for p in &filter.presence {
            parts.push(p.id().to_owned());
        }
    }
    for f in Facet::ALL {
        for v in filter.facet(f) {
            parts.push(if v == UNSPECIFIED { "non-renseigne".to_owned() } else { v.clone() });
        }
    }
    if !filter.text.trim().is_empty() {
        parts.push(slug(&filter.text));
    }
    let mut name = String::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        if name.len() + p.len() > 100 {
            break;
        }
        if !name.is_empty() {
            name.push('_');
        }
        name.push_str(&p);
    }
    if name.is_empty() {
        name.push_str("innovations");
    }
    format!("{name}_{date}.{ext}")
}

/// A facet value's label (« Non renseigné » for [`UNSPECIFIED`], the id itself when unknown).
pub fn value_label(index: &Index, f: Facet, id: &str, locale: Locale) -> String {
    let vocab = index.dataset.vocabularies.get(f.vocab());
    match vocab.index_of(id) {
        Some(v) => vocab.label(v, locale).to_owned(),
        None if id == UNSPECIFIED => t(locale, Msg::Unspecified).to_owned(),
        None => id.to_owned(),
    }
}

/// The filters as a sentence, for print and citations: « Innovations — Territoire : Bretagne ; Stade : Amorçage ;
/// Recherche : « café » », or « Innovations — aucun filtre ».
pub fn filter_sentence(index: &Index, filter: &Filter, locale: Locale) -> String {
    let noun = index.dataset.meta.noun.plural_title(locale);
    let sep = colon(locale);
    let mut parts = Vec::new();
    if let Some(sel) = &filter.territory {
        let mut s = format!("{}{sep}{}", t(locale, Msg::Territory), territory_name(index, sel));
        if !filter.presence.is_empty() {
            let mut list = String::new();
            for &p in &filter.presence {
                push_item(&mut list, ", ", t(locale, presence_msg(p)));
            }
            s.push_str(&format!(" ({list})"));
        }
        parts.push(s);
    }
    for f in Facet::ALL {
        let values = filter.facet(f);
        if !values.is_empty() {
            let mut list = String::new();
            for v in values {
                push_item(&mut list, ", ", &value_label(index, f, v, locale));
            }
            parts.push(format!("{}{sep}{list}", t(locale, facet_msg(f))));
        }
    }
    if !filter.text.trim().is_empty() {
        parts.push(format!("{}{sep}« {} »", t(locale, Msg::Search), filter.text.trim()));
    }
    if parts.is_empty() {
        return format!("{noun} — {}", t(locale, Msg::NoFilter));
    }
    format!("{noun} — {}", parts.join(" ; "))
}

/// « : » in French (a space before), ": " in English.
fn colon(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => " : ",
        Locale::En => ": ",
    }
}

/// The text of a facet's name.
pub fn facet_msg(f: Facet) -> Msg {
    match f {
        Facet::Themes => Msg::Theme,
        Facet::Stages => Msg::Stage,
        Facet::Strategies => Msg::Strategy,
        Facet::Support => Msg::PublicRole,
    }
}

/// The text of a presence class.
pub fn presence_msg(p: Presence) -> Msg {
    match p {
        Presence::Born => Msg::BornHere,
        Presence::Replica => Msg::ReplicatedHere,
        Presence::Absent => Msg::NotHereYet,
    }
}

/// A citation: title, publisher, licence, date of consultation, permalink.
pub fn citation(index: &Index, filter: &Filter, locale: Locale, date: &str, permalink: &str) -> String {
    let meta = &index.dataset.meta;
    let title = meta.title.clone().unwrap_or_else(|| t(locale, Msg::DefaultTitle).to_owned());
    let mut s = format!("{title} ({})", filter_sentence(index, filter, locale));
    if let Some(src) = &meta.source {
        s.push_str(&format!(". {}", src.name));
    }
    if let Some(l) = &meta.license {
        s.push_str(&format!(". {}{}{l}", t(locale, Msg::DataLicence), colon(locale)));
    }
    let consulted = match locale {
        Locale::Fr => format!(". Consulté le {}", crate::i18n::long_date(locale, date)),
        Locale::En => format!(". Accessed {}", crate::i18n::long_date(locale, date)),
    };
    s.push_str(&consulted);
    s.push_str(&format!(". {permalink}"));
    s
}
