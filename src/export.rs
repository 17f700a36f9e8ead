//! Taking the results away: CSV and `essaimage/1` JSON of every result, the file names, the citation and the
//! filters as a sentence. Pure text; the embed boundary turns it into a download or the clipboard.

use crate::filter::{Facet, Filter, Index, Presence, TerritorySel, UNSPECIFIED};
use crate::i18n::{t, Locale, Msg};
use crate::json::{Json, Number};
use crate::model::{Place, Precision, ValueIdx, VocabKind, Vocabulary};

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
    let quote = value.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r' | b';'))
        || value.starts_with(' ')
        || value.ends_with(' ');
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
            &r.sources.iter().map(String::as_str).collect::<Vec<_>>().join(" ; "),
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

/// A JSON string.
fn js(v: &str) -> Json {
    Json::String(v.to_owned())
}

/// A JSON object built field by field, skipping absent values; written by [`Json`]'s `Display` (the reader's own
/// writer: one JSON writer in the bundle).
#[derive(Default)]
struct Obj(Vec<(String, Json)>);

impl Obj {
    fn put(&mut self, k: &str, v: Json) {
        self.0.push((k.to_owned(), v));
    }
    fn str(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.put(k, js(v));
        }
    }
    /// A number, written as `text`.
    fn num(&mut self, k: &str, text: Option<String>) {
        if let Some(t) = text {
            self.put(k, Json::Number(Number::from_text(t)));
        }
    }
    /// A list of strings, when not empty.
    fn list(&mut self, k: &str, values: Vec<Json>) {
        if !values.is_empty() {
            self.put(k, Json::Array(values));
        }
    }
    /// The ids of vocabulary values.
    fn ids(&mut self, k: &str, vocab: &Vocabulary, values: &[ValueIdx]) {
        let mut a = Vec::with_capacity(values.len());
        for &v in values {
            a.push(js(vocab.id(v)));
        }
        self.list(k, a);
    }
    fn end(self) -> Json {
        Json::Object(self.0)
    }
}

fn place_json(p: &Place) -> Json {
    let mut o = Obj::default();
    o.str("commune", p.commune.as_deref());
    o.str("commune_insee", p.commune_insee.as_deref());
    o.str("department", p.department.as_deref());
    o.str("region", p.region.as_deref());
    if let (Some(pt), Precision::Point) = (p.point, p.precision) {
        o.num("lon", Some(crate::report::coord(pt.lon)));
        o.num("lat", Some(crate::report::coord(pt.lat)));
    }
    o.num("started", p.started.map(|y| y.to_string()));
    o.end()
}

/// Every record of `ids` as an `essaimage/1` document, with the dataset's title, licence, source and vocabularies
/// (which the widget reads back as it read the original).
pub fn json(index: &Index, ids: &[u32]) -> String {
    let ds = &index.dataset;
    let meta = &ds.meta;
    let mut doc = Obj::default();
    doc.str("schema", Some("essaimage/1"));
    doc.str("title", meta.title.as_deref());
    doc.str("description", meta.description.as_deref());
    doc.str("updated", meta.updated.as_deref());
    doc.str("license", meta.license.as_deref());
    if let Some(src) = &meta.source {
        let mut o = Obj::default();
        o.str("name", Some(&src.name));
        o.str("url", src.url.as_deref());
        doc.put("source", o.end());
    }
    let mut vocabularies = Obj::default();
    for kind in VocabKind::ALL {
        let mut entries = Vec::new();
        for e in &ds.vocabularies.get(kind).entries {
            let mut label = Obj::default();
            label.str("fr", Some(e.label.fr.as_str()).filter(|s| !s.is_empty()));
            label.str("en", Some(e.label.en.as_str()).filter(|s| !s.is_empty()));
            let mut o = Obj::default();
            o.str("id", Some(&e.id));
            o.put("label", label.end());
            entries.push(o.end());
        }
        vocabularies.put(kind.key(), Json::Array(entries));
    }
    doc.put("vocabularies", vocabularies.end());
    let vocabs = &ds.vocabularies;
    let mut innovations = Vec::with_capacity(ids.len());
    for &i in ids {
        let r = &ds.innovations[i as usize];
        let mut o = Obj::default();
        o.str("id", Some(&r.id));
        o.str("name", Some(&r.name));
        o.str("summary", r.summary.as_deref());
        o.str("carrier_kind", r.carrier_kind.map(|k| vocabs.carrier_kinds.id(k)));
        if !r.origin.is_blank() {
            o.put("origin", place_json(&r.origin));
        }
        if !r.replicas.is_empty() {
            let mut a = Vec::with_capacity(r.replicas.len());
            for p in &r.replicas {
                a.push(place_json(p));
            }
            o.put("replicas", Json::Array(a));
        }
        o.ids("themes", &vocabs.themes, &r.themes);
        o.str("stage", r.stage.map(|s| vocabs.stages.id(s)));
        o.ids("scaling_strategies", &vocabs.scaling_strategies, &r.scaling_strategies);
        o.ids("public_support", &vocabs.public_support, &r.public_support);
        o.num("started", r.started.map(|y| y.to_string()));
        o.num("sites", r.sites.map(|y| y.to_string()));
        o.str("url", r.url.as_deref());
        let mut sources = Vec::with_capacity(r.sources.len());
        for v in &r.sources {
            sources.push(js(v));
        }
        o.list("sources", sources);
        innovations.push(o.end());
    }
    doc.put("innovations", Json::Array(innovations));
    let mut out = doc.end().to_string();
    out.push('\n');
    out
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
pub fn territory_name(index: &Index, sel: &TerritorySel, locale: Locale) -> String {
    let t = &index.territories;
    match sel {
        TerritorySel::Around(a) => {
            let name = if a.name.is_empty() { crate::i18n::t(locale, Msg::AroundMe) } else { &a.name };
            crate::i18n::around_name(name, a.km)
        }
        TerritorySel::Region(c) => t.region_index(c).map_or(c.clone(), |r| t.regions[r].name.clone()),
        TerritorySel::Department(c) => t.department_index(c).map_or(c.clone(), |d| t.departments[d].name.clone()),
        TerritorySel::Commune(k) => index.commune_index(k).map_or(k.clone(), |c| index.communes[c].name.clone()),
    }
}

/// `innovations_bretagne_amorcage_2026-12-06.csv`: what the dataset lists, the filters (territory, values, search)
/// and the date, at most about 120 characters.
pub fn file_name(index: &Index, filter: &Filter, date: &str, ext: &str) -> String {
    let mut name = String::new();
    let mut full = false;
    // Parts joined by `_`, up to the first that would make the name longer than 100 characters.
    let mut add = |p: &str| {
        if full || p.is_empty() {
            return;
        }
        full = name.len() + p.len() > 100;
        if !full {
            push_item(&mut name, "_", p);
        }
    };
    add(&slug(index.dataset.meta.noun.word(Locale::Fr, true)));
    if let Some(sel) = &filter.territory {
        add(&slug(&territory_name(index, sel, Locale::Fr)));
        for p in &filter.presence {
            add(p.id());
        }
    }
    for f in Facet::ALL {
        for v in filter.facet(f) {
            add(if v == UNSPECIFIED { "non-renseigne" } else { v });
        }
    }
    if !filter.text.trim().is_empty() {
        add(&slug(&filter.text));
    }
    if name.is_empty() {
        name.push_str("innovations");
    }
    for part in ["_", date, ".", ext] {
        name.push_str(part);
    }
    name
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
    let sep = colon(locale);
    // The parts, « ; » between them, each « name : values ».
    let mut parts = String::new();
    let mut part = |name: Msg, values: &str| {
        push_item(&mut parts, " ; ", t(locale, name));
        parts.push_str(sep);
        parts.push_str(values);
    };
    if let Some(sel) = &filter.territory {
        let mut s = territory_name(index, sel, locale);
        for (k, &p) in filter.presence.iter().enumerate() {
            s.push_str(if k == 0 { " (" } else { ", " });
            s.push_str(t(locale, presence_msg(p)));
        }
        if !filter.presence.is_empty() {
            s.push(')');
        }
        part(Msg::Territory, &s);
    }
    for f in Facet::ALL {
        let mut list = String::new();
        for v in filter.facet(f) {
            push_item(&mut list, ", ", &value_label(index, f, v, locale));
        }
        if !list.is_empty() {
            part(facet_msg(f), &list);
        }
    }
    if !filter.text.trim().is_empty() {
        part(Msg::Search, &format!("« {} »", filter.text.trim()));
    }
    let mut out = index.dataset.meta.noun.plural_title(locale);
    out.push_str(" — ");
    out.push_str(if parts.is_empty() { t(locale, Msg::NoFilter) } else { &parts });
    out
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
    let mut s = meta.title.clone().unwrap_or_else(|| t(locale, Msg::DefaultTitle).to_owned());
    s.push_str(" (");
    s.push_str(&filter_sentence(index, filter, locale));
    s.push(')');
    if let Some(src) = &meta.source {
        s.push_str(". ");
        s.push_str(&src.name);
    }
    if let Some(l) = &meta.license {
        s.push_str(". ");
        s.push_str(t(locale, Msg::DataLicence));
        s.push_str(colon(locale));
        s.push_str(l);
    }
    s.push_str(match locale {
        Locale::Fr => ". Consulté le ",
        Locale::En => ". Accessed ",
    });
    s.push_str(&crate::i18n::long_date(locale, date));
    s.push_str(". ");
    s.push_str(permalink);
    s
}
