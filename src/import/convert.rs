//! A table to an `essaimage/1` dataset: which column fills which field, each row to a record (or the reason it
//! is not one), every repaired or dropped value reported with its row and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::i18n::Locale;
use crate::model::Vocabularies;
use crate::schema::{is_valid_id, NAME_MAX, SUMMARY_MAX, YEAR_MIN};
use crate::text::{fold_key, is_blank, safe_http_url};
use serde_json::{json, Map, Value};

use super::columns::{self, Field};
use super::issues::{Fatal, Issue, IssueKind, Severity};
use super::mapping::{Mapping, Target};
use super::places::{self, Cell, Given};
use super::table::{self, Table};

/// The outcome of converting a table.
pub struct Converted {
    pub document: Value,
    pub issues: Vec<Issue>,
    pub rows: usize,
    pub imported: usize,
}

impl Converted {
    /// Rows not imported, and why (rejected or blank): each such row has exactly one issue saying so.
    pub fn reported_rows(&self) -> usize {
        self.issues
            .iter()
            .filter(|i| matches!(i.kind, IssueKind::BlankRow) || i.severity() == Severity::Rejected)
            .count()
    }

    /// The issues in row order (those of the header first).
    pub fn sorted_issues(&self) -> Vec<&Issue> {
        let mut issues: Vec<&Issue> = self.issues.iter().collect();
        issues.sort_by_key(|i| i.line.unwrap_or(0));
        issues
    }

    /// The import's one-line summary: rows read, imported, rejected, blank; values repaired or dropped; columns not
    /// copied. `name` is the table's file.
    pub fn summary(&self, table: &Table, name: &str, locale: Locale) -> String {
        let count = |s: Severity| self.issues.iter().filter(|i| i.severity() == s).count();
        let (rejected, warnings) = (count(Severity::Rejected), count(Severity::Warning));
        let blank = self.issues.iter().filter(|i| i.kind == IssueKind::BlankRow).count();
        let columns_out =
            self.issues.iter().filter(|i| i.severity() == Severity::Note && i.kind != IssueKind::BlankRow).count();
        match locale {
            Locale::Fr => format!(
                "essaimage import : {} ligne(s) lue(s) dans {name} ({}) : {} importée(s), {rejected} rejetée(s), {blank} vide(s) ; \
                 {warnings} valeur(s) corrigée(s) ou ignorée(s) ; {columns_out} colonne(s) non copiée(s).",
                self.rows, table.described, self.imported
            ),
            Locale::En => format!(
                "essaimage import: {} row(s) read from {name} ({}): {} imported, {rejected} rejected, {blank} blank; \
                 {warnings} value(s) repaired or dropped; {columns_out} column(s) not copied.",
                self.rows, table.described, self.imported
            ),
        }
    }

    /// Whether every row was imported without a warning.
    pub fn is_clean(&self) -> bool {
        self.issues.iter().all(|i| i.severity() == Severity::Note)
    }
}

/// A table without a name column would only give rejected rows: it is the wrong sheet, or it needs a mapping.
pub fn has_names(table: &Table, mapping: &Mapping) -> Result<(), Fatal> {
    let named = mapping.every_row.iter().any(|(f, _)| *f == Field::Name)
        || table.headers.iter().any(|h| match mapping.column(h) {
            Some(Target::Field(f)) => f == Field::Name,
            Some(Target::Ignore) => false,
            None => columns::recognise(h) == Some(Field::Name),
        });
    if named {
        return Ok(());
    }
    let headers = table.headers.join(" », « ");
    Err(Fatal::new(
        format!(
            "aucune colonne de {} n'est reconnue comme le nom des innovations (Nom, Titre, Name…) ; colonnes lues : « {headers} ». \
             Choisissez la feuille avec --sheet, ou nommez la colonne dans le fichier --mapping ([columns] \"…\" = \"name\").",
            table.described
        ),
        format!(
            "no column of {} is recognised as the innovations' name (Nom, Titre, Name…); columns read: « {headers} ». \
             Choose the sheet with --sheet, or name the column in the --mapping file ([columns] \"…\" = \"name\").",
            table.described
        ),
    ))
}

/// The issues as a CSV a spreadsheet program opens as is: UTF-8 with a BOM, `;` in French (the list
/// separator of French spreadsheets), `,` in English.
pub fn report_csv(issues: &[Issue], locale: Locale) -> Result<Vec<u8>, String> {
    let fr = locale == Locale::Fr;
    let mut issues: Vec<&Issue> = issues.iter().collect();
    issues.sort_by_key(|i| i.line.unwrap_or(0));
    let mut w = csv::WriterBuilder::new().delimiter(if fr { b';' } else { b',' }).from_writer(Vec::new());
    let header = if fr {
        ["ligne", "colonne", "gravité", "valeur", "message"]
    } else {
        ["row", "column", "severity", "value", "message"]
    };
    w.write_record(header).map_err(|e| e.to_string())?;
    for i in issues {
        let line = i.line.map(|l| l.to_string()).unwrap_or_default();
        let record = [
            line.as_str(),
            i.column.as_deref().unwrap_or(""),
            i.severity().word(locale),
            i.value.as_deref().unwrap_or(""),
            &i.message(locale),
        ];
        w.write_record(record).map_err(|e| e.to_string())?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(w.into_inner().map_err(|e| e.to_string())?);
    Ok(bytes)
}

/// Writes [`report_csv`] to `path`.
pub fn write_report(path: &Path, issues: &[Issue], locale: Locale) -> Result<(), String> {
    std::fs::write(path, report_csv(issues, locale)?).map_err(|e| e.to_string())
}

/// Converts a table to a dataset document; every row is imported or reported.
pub fn convert(table: &Table, mapping: &Mapping) -> Converted {
    let mut issues = Vec::new();
    let header_line = (table.header_line > 0).then_some(table.header_line);
    let column_note = |i: usize, kind: IssueKind| Issue {
        line: header_line,
        column: Some(table.headers[i].clone()),
        value: None,
        kind,
    };

    // Which column fills which field.
    let mut roles: Vec<Option<Field>> = vec![None; table.headers.len()];
    let mut taken: BTreeSet<Field> = BTreeSet::new();
    let forced: BTreeSet<Field> = mapping.every_row.iter().map(|(f, _)| *f).collect();
    for (i, header) in table.headers.iter().enumerate() {
        let empty = table.rows.iter().all(|r| is_blank(&r.cells[i]));
        let field = match mapping.column(header) {
            Some(Target::Ignore) => {
                issues.push(column_note(i, IssueKind::IgnoredColumn));
                continue;
            }
            Some(Target::Field(f)) => f,
            None => match columns::recognise(header) {
                Some(f) => f,
                None => {
                    if let Some(p) = columns::personal_header(header) {
                        issues.push(column_note(i, IssueKind::PersonalColumn(p)));
                    } else if !empty {
                        issues.push(column_note(i, IssueKind::UnknownColumn));
                    }
                    continue;
                }
            },
        };
        if forced.contains(&field) {
            issues.push(column_note(i, IssueKind::ReplacedByMapping { field: field.key() }));
        } else if taken.contains(&field) && !field.is_multi() {
            issues.push(column_note(i, IssueKind::DuplicateColumn { field: field.key() }));
        } else {
            taken.insert(field);
            roles[i] = Some(field);
        }
    }

    // Ids given in an id column are reserved first, so a slug never takes one a later row gives.
    let id_cols: Vec<usize> = (0..roles.len()).filter(|&i| roles[i] == Some(Field::Id)).collect();
    let mut reserved: BTreeSet<String> = BTreeSet::new();
    for row in &table.rows {
        for &c in &id_cols {
            let id = row.cells[c].trim();
            if is_valid_id(id) {
                reserved.insert(id.to_owned());
            }
        }
    }

    let vocabularies = Vocabularies::builtin();
    let ctx = RowCtx { roles: &roles, headers: &table.headers, mapping, vocabularies: &vocabularies };
    let mut ids = Ids { reserved, used: BTreeMap::new() };
    let mut records = Vec::new();
    for row in &table.rows {
        if row.is_blank() {
            issues.push(Issue { line: Some(row.line), column: None, value: None, kind: IssueKind::BlankRow });
            continue;
        }
        if table.not_points.contains(&row.line) {
            issues.push(Issue { line: Some(row.line), column: None, value: None, kind: IssueKind::NotAPoint });
        }
        if let Some(record) = ctx.record(row, &mut ids, &mut issues) {
            records.push(Value::Object(record));
        }
    }

    let mut doc = Map::new();
    doc.insert("schema".into(), json!(crate::schema::SCHEMA));
    let meta = &mapping.dataset;
    for (key, value) in [
        ("title", &meta.title),
        ("description", &meta.description),
        ("updated", &meta.updated),
        ("license", &meta.license),
        ("lang", &meta.lang),
    ] {
        if let Some(v) = value {
            doc.insert(key.into(), json!(v));
        }
    }
    if meta.source.is_some() || meta.source_url.is_some() {
        let mut source = Map::new();
        source.insert("name".into(), json!(meta.source.clone().unwrap_or_default()));
        if let Some(u) = &meta.source_url {
            source.insert("url".into(), json!(u));
        }
        doc.insert("source".into(), Value::Object(source));
    }
    let imported = records.len();
    doc.insert("innovations".into(), Value::Array(records));
    Converted { document: Value::Object(doc), issues, rows: table.rows.len(), imported }
}

/// Ids given and made so far.
struct Ids {
    /// Valid ids of the id column(s).
    reserved: BTreeSet<String>,
    /// Id → row that has it.
    used: BTreeMap<String, usize>,
}

impl Ids {
    /// A unique id from a name: its folded words joined by `-`, at most 80 characters, `-2`, `-3`… if taken.
    fn slug(&mut self, name: &str, line: usize) -> String {
        let mut base = String::new();
        for word in fold_key(name).split(' ') {
            let word: String = word.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if word.is_empty() {
                continue;
            }
            if base.len() + word.len() + 1 > 72 {
                if base.is_empty() {
                    base.push_str(&word[..72]);
                }
                break;
            }
            if !base.is_empty() {
                base.push('-');
            }
            base.push_str(&word);
        }
        if base.is_empty() {
            base.push_str("innovation");
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.used.contains_key(&id) || self.reserved.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(id.clone(), line);
        id
    }
}

struct RowCtx<'a> {
    roles: &'a [Option<Field>],
    headers: &'a [String],
    mapping: &'a Mapping,
    vocabularies: &'a Vocabularies,
}

const MAPPING_COLUMN: &str = "--mapping";

impl<'a> RowCtx<'a> {
    /// The non-blank cells of a field in a row (the mapping's value for every row, when it gives one).
    fn cells(&self, row: &'a table::Row, field: Field) -> Vec<Cell<'a>> {
        if let Some((_, v)) = self.mapping.every_row.iter().find(|(f, _)| *f == field) {
            return vec![Cell { column: MAPPING_COLUMN, value: v.as_str() }];
        }
        (0..self.roles.len())
            .filter(|&i| self.roles[i] == Some(field) && !is_blank(&row.cells[i]))
            .map(|i| Cell { column: self.headers[i].as_str(), value: row.cells[i].trim() })
            .collect()
    }

    fn record(&self, row: &table::Row, ids: &mut Ids, issues: &mut Vec<Issue>) -> Option<Map<String, Value>> {
        let line = row.line;
        let say = |issues: &mut Vec<Issue>, cell: Option<Cell>, value: Option<String>, kind: IssueKind| {
            issues.push(Issue {
                line: Some(line),
                column: cell.map(|c| c.column.to_owned()),
                value: value.or_else(|| cell.map(|c| c.value.to_owned())),
                kind,
            })
        };
        let first = |field: Field| self.cells(row, field).into_iter().next();

        // Name: required.
        let Some(name_cell) = first(Field::Name) else {
            say(issues, None, None, IssueKind::MissingName);
            return None;
        };
        // Id: given (and unique), else made from the name.
        let id = match first(Field::Id) {
            Some(c) if is_valid_id(c.value) => {
                if let Some(&first_line) = ids.used.get(c.value) {
                    say(issues, Some(c), None, IssueKind::DuplicateId { first_line });
                    return None;
                }
                ids.used.insert(c.value.to_owned(), line);
                c.value.to_owned()
            }
            Some(c) => {
                let from = if fold_key(c.value).is_empty() { name_cell.value } else { c.value };
                let slug = ids.slug(from, line);
                say(issues, Some(c), None, IssueKind::InvalidId { slug: slug.clone() });
                slug
            }
            None => ids.slug(name_cell.value, line),
        };
        let mut rec = Map::new();
        rec.insert("id".into(), json!(id));
        let mut name = name_cell.value.replace("\r\n", "\n");
        if name.contains(['\n', '\r']) {
            name = name.split(['\n', '\r']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
            say(issues, Some(name_cell), None, IssueKind::LineBreaks);
        }
        self.text(&mut name, NAME_MAX, name_cell, line, issues);
        rec.insert("name".into(), json!(name));
        if let Some(c) = first(Field::Summary) {
            let mut summary = c.value.replace("\r\n", "\n");
            self.text(&mut summary, SUMMARY_MAX, c, line, issues);
            rec.insert("summary".into(), json!(summary));
        }
        if let Some(&v) = self.vocab(row, Field::CarrierKind, line, issues).first() {
            rec.insert("carrier_kind".into(), json!(v));
        }

        let given = Given {
            insee: first(Field::Insee),
            postcode: first(Field::Postcode),
            commune: first(Field::Commune),
            department: first(Field::Department),
            region: first(Field::Region),
            lat: first(Field::Latitude),
            lon: first(Field::Longitude),
        };
        let place = places::resolve(&given, line, issues);
        let mut origin = Map::new();
        for (key, value) in [
            ("commune", &place.commune),
            ("commune_insee", &place.insee),
            ("department", &place.department),
            ("region", &place.region),
        ] {
            if let Some(v) = value {
                origin.insert(key.into(), json!(v));
            }
        }
        if let Some(p) = place.point {
            origin.insert("lon".into(), json!(p.lon));
            origin.insert("lat".into(), json!(p.lat));
        }
        if !origin.is_empty() {
            rec.insert("origin".into(), Value::Object(origin));
        }

        for (field, key) in [
            (Field::Themes, "themes"),
            (Field::Stage, "stage"),
            (Field::Strategies, "scaling_strategies"),
            (Field::PublicSupport, "public_support"),
        ] {
            let values = self.vocab(row, field, line, issues);
            match (field.is_multi(), values.first()) {
                (_, None) => {}
                (true, _) => {
                    rec.insert(key.into(), json!(values));
                }
                (false, Some(v)) => {
                    rec.insert(key.into(), json!(v));
                }
            }
        }
        if let Some(c) = first(Field::Started) {
            let max = super::reference::current_year() + 1;
            match year(c.value) {
                Some(y) if (YEAR_MIN..=max).contains(&y) => {
                    rec.insert("started".into(), json!(y));
                }
                Some(y) => say(issues, Some(c), None, IssueKind::YearOutOfRange { year: y, max }),
                None => say(issues, Some(c), None, IssueKind::NotAYear),
            }
        }
        if let Some(c) = first(Field::Sites) {
            let digits: String = c.value.chars().filter(|ch| !ch.is_whitespace() && *ch != '\u{202f}').collect();
            match digits.strip_suffix(".0").unwrap_or(&digits).parse::<u64>() {
                Ok(n) => {
                    rec.insert("sites".into(), json!(n));
                }
                Err(_) => say(issues, Some(c), None, IssueKind::NotACount),
            }
        }
        if let Some(c) = first(Field::Url) {
            if let Some(u) = self.url(c.value, c, line, issues) {
                rec.insert("url".into(), json!(u));
            }
        }
        let mut sources: Vec<String> = Vec::new();
        for c in self.cells(row, Field::Sources) {
            for piece in split_urls(c.value) {
                if let Some(u) = self.url(piece, c, line, issues) {
                    if !sources.contains(&u) {
                        sources.push(u);
                    }
                }
            }
        }
        if !sources.is_empty() {
            rec.insert("sources".into(), json!(sources));
        }
        Some(rec)
    }

    /// Cuts a text to its limit, and reports e-mails and phone numbers in it.
    fn text(&self, s: &mut String, max: usize, cell: Cell, line: usize, issues: &mut Vec<Issue>) {
        let trimmed = s.trim();
        if trimmed.len() != s.len() {
            *s = trimmed.to_owned();
        }
        for (kind, found) in columns::personal_in_text(s) {
            issues.push(Issue {
                line: Some(line),
                column: Some(cell.column.to_owned()),
                value: Some(found),
                kind: IssueKind::PersonalValue(kind),
            });
        }
        let len = s.chars().count();
        if crate::text::truncate_chars(s, max) {
            issues.push(Issue {
                line: Some(line),
                column: Some(cell.column.to_owned()),
                value: None,
                kind: IssueKind::TextCut { max, len },
            });
        }
    }

    /// A web address, repaired when it only lacks its scheme (`www.exemple.fr`).
    fn url(&self, raw: &str, cell: Cell, line: usize, issues: &mut Vec<Issue>) -> Option<String> {
        let u = raw.trim().trim_start_matches('<').trim_end_matches('>');
        let issue = |kind: IssueKind| Issue {
            line: Some(line),
            column: Some(cell.column.to_owned()),
            value: Some(u.to_owned()),
            kind,
        };
        if let Some(ok) = safe_http_url(u) {
            return Some(ok);
        }
        let host = u.split(['/', '?', '#']).next().unwrap_or("");
        let looks_like_host = !u.contains("://")
            && !u.contains('@')
            && host.contains('.')
            && !host.starts_with('.')
            && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
        if looks_like_host {
            if let Some(fixed) = safe_http_url(&format!("https://{u}")) {
                issues.push(issue(IssueKind::SchemeAdded { url: fixed.clone() }));
                return Some(fixed);
            }
        }
        issues.push(issue(IssueKind::UnsafeUrl));
        None
    }

    /// The ids of a vocabulary field: the mapping's values, else found by id, label or synonym, cell by cell and
    /// then part by part (`;`, `,`, `/`, `|`, line breaks); unknown values reported. A single-valued field keeps
    /// the first.
    fn vocab(&self, row: &table::Row, field: Field, line: usize, issues: &mut Vec<Issue>) -> Vec<&'a str> {
        let Some(kind) = field.vocabulary() else { return Vec::new() };
        let vocab = self.vocabularies.get(kind);
        let lookup = |value: &str| -> Option<Vec<&'a str>> {
            if let Some(ids) = self.mapping.value(kind, value) {
                return Some(ids.iter().filter_map(|id| vocab.index_of(id)).map(|i| vocab.id(i)).collect());
            }
            vocab.find(value, kind.synonyms()).map(|i| vec![vocab.id(i)])
        };
        let mut out: Vec<&'a str> = Vec::new();
        let mut first_cell = None;
        for c in self.cells(row, field) {
            first_cell.get_or_insert(c);
            let found = lookup(c.value).unwrap_or_else(|| {
                let mut found = Vec::new();
                for part in c.value.split([';', ',', '/', '|', '\n', '\r', '•']).map(str::trim).filter(|p| !is_blank(p))
                {
                    match lookup(part) {
                        Some(ids) => found.extend(ids),
                        None => issues.push(Issue {
                            line: Some(line),
                            column: Some(c.column.to_owned()),
                            value: Some(part.to_owned()),
                            kind: IssueKind::UnknownValue { vocabulary: kind },
                        }),
                    }
                }
                found
            });
            for id in found {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
        }
        if !field.is_multi() && out.len() > 1 {
            let c = first_cell.expect("values come from a cell");
            issues.push(Issue {
                line: Some(line),
                column: Some(c.column.to_owned()),
                value: Some(c.value.to_owned()),
                kind: IssueKind::ExtraValues { kept: out[0].to_owned() },
            });
            out.truncate(1);
        }
        out
    }
}

/// The year of a cell: its only run of four digits (`2014`, `2014-03-01`, `01/03/2014`, `mars 2014`), else the
/// first when several (`2014-2016`).
pub fn year(text: &str) -> Option<i64> {
    let runs: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|r| !r.is_empty()).collect();
    let four: Vec<&&str> = runs.iter().filter(|r| r.len() == 4).collect();
    match (four.first(), runs.as_slice()) {
        (Some(y), _) => y.parse().ok(),
        // A single number that is not 4 digits long is a year out of range (`250`, `20145`), not text.
        (None, [only]) if text.trim().chars().all(|c| c.is_ascii_digit()) => only.parse().ok(),
        _ => None,
    }
}

/// Addresses in a cell: separated by spaces, line breaks, `;` or `|` (and `,` when another address follows).
fn split_urls(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in cell.split(|c: char| c.is_whitespace() || c == ';' || c == '|').filter(|p| !p.is_empty()) {
        if piece.contains(",http") || piece.contains(",www.") {
            out.extend(piece.split(',').filter(|p| !p.is_empty()));
        } else {
            out.push(piece.trim_end_matches(','));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_addresses_are_read_as_people_write_them() {
        assert_eq!(year("2014"), Some(2014));
        assert_eq!(year("2014-03-01"), Some(2014));
        assert_eq!(year("01/03/2014"), Some(2014));
        assert_eq!(year("mars 2014"), Some(2014));
        assert_eq!(year("2014-2016"), Some(2014));
        assert_eq!(year("250"), Some(250));
        assert_eq!(year("bientôt"), None);
        assert_eq!(
            split_urls("https://a.fr https://b.fr;https://c.fr\nwww.d.fr"),
            ["https://a.fr", "https://b.fr", "https://c.fr", "www.d.fr"]
        );
        assert_eq!(split_urls("https://a.fr,https://b.fr"), ["https://a.fr", "https://b.fr"]);
        assert_eq!(split_urls("https://a.fr/x?a=1,2"), ["https://a.fr/x?a=1,2"]);
    }
}
