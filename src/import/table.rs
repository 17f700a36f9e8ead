//! Reading a table, whatever it was saved as: CSV or TSV (delimiter and encoding detected: UTF-8 with or without
//! BOM, UTF-16 as Excel's « Texte Unicode », else Windows-1252), XLSX, XLS or ODS (first sheet, or the one named),
//! GeoJSON points (the properties are the columns, the point adds « Longitude » and « Latitude »).
//!
//! Every row keeps its number as a spreadsheet program shows it, to be named in the report.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use super::issues::Fatal;

/// A table's text cells, with its header found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// What was read, for messages: `CSV (;, Windows-1252)`, `XLSX, feuille « Projets »`.
    pub described: String,
    pub headers: Vec<String>,
    /// Row number of the header (0 when the table has none, as GeoJSON).
    pub header_line: usize,
    pub rows: Vec<Row>,
    /// GeoJSON: per row, whether the feature had a geometry that is not a point.
    pub not_points: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// Row number in the spreadsheet (1 = first row), or feature number (1 = first) for GeoJSON.
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| crate::text::is_blank(c))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Csv,
    Workbook,
    GeoJson,
}

/// Reads `path`. `sheet` chooses a sheet of a workbook by name (folded); `looks_like_header` says whether a row is
/// the header (the first row for which it is true among the first ten, else the first non-blank row).
pub fn read(path: &Path, sheet: Option<&str>, looks_like_header: &dyn Fn(&[String]) -> bool) -> Result<Table, Fatal> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Fatal::new(format!("impossible de lire {name} : {e}"), format!("cannot read {name}: {e}")))?;
    from_bytes(bytes, &name, sheet, looks_like_header)
}

/// Reads a table from its bytes; `name` (a path or a file name) gives its kind by its extension, and names it in
/// messages.
pub fn from_bytes(
    bytes: Vec<u8>,
    name: &str,
    sheet: Option<&str>,
    looks_like_header: &dyn Fn(&[String]) -> bool,
) -> Result<Table, Fatal> {
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let kind = match ext.as_str() {
        "csv" | "tsv" | "tab" | "txt" => Kind::Csv,
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Kind::Workbook,
        "geojson" => Kind::GeoJson,
        _ if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => Kind::Workbook,
        _ if bytes.trim_ascii_start().starts_with(b"{") => Kind::GeoJson,
        _ => Kind::Csv,
    };
    if sheet.is_some() && kind != Kind::Workbook {
        return Err(Fatal::new(
            format!("--sheet ne s'applique qu'à un classeur (XLSX, XLS, ODS), pas à {name}"),
            format!("--sheet only applies to a workbook (XLSX, XLS, ODS), not to {name}"),
        ));
    }
    match kind {
        Kind::Csv => read_csv(&bytes, name, looks_like_header),
        Kind::Workbook => read_workbook(bytes, name, sheet, looks_like_header),
        Kind::GeoJson => read_geojson(&bytes, name),
    }
}

/// The text of a CSV file and its encoding's name.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 BOM");
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (text, enc, _) = encoding_rs::Encoding::for_bom(bytes)
            .map(|(enc, _)| enc.decode(bytes))
            .unwrap_or_else(|| encoding_rs::UTF_8.decode(bytes));
        return (text.into_owned(), enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), "UTF-8"),
        // Not UTF-8: what spreadsheet programs on Windows write for « CSV » (a superset of Latin-1).
        Err(_) => (encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(), "Windows-1252"),
    }
}

fn records(text: &str, delimiter: u8) -> impl Iterator<Item = Vec<String>> + '_ {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .map_while(Result::ok)
        .map(|r| r.iter().map(str::to_owned).collect())
}

/// The delimiter that splits the first rows most evenly into the most columns.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for d in [b';', b',', b'\t', b'|'] {
        let rows: Vec<usize> = records(text, d).take(30).map(|r| r.len()).filter(|&n| n > 0).collect();
        let Some(&first) = rows.first() else { continue };
        let same = rows.iter().filter(|&&n| n == first).count();
        // Rows that agree with the first, then the number of columns.
        if first > 1 && (same, first) > (best.1, best.2) {
            best = (d, same, first);
        }
    }
    best.0
}

fn read_csv(bytes: &[u8], name: &str, looks_like_header: &dyn Fn(&[String]) -> bool) -> Result<Table, Fatal> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(Fatal::new(format!("{name} est vide"), format!("{name} is empty")));
    }
    let delimiter = detect_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Fatal::new(format!("{name} : CSV illisible ({e})"), format!("{name}: unreadable CSV ({e})"))
        })?;
        rows.push(Row { line: i + 1, cells: record.iter().map(str::to_owned).collect() });
    }
    let shown = match delimiter {
        b'\t' => "tab".to_owned(),
        d => (d as char).to_string(),
    };
    Ok(with_header(rows, format!("CSV ({shown}, {encoding})"), looks_like_header))
}

/// Finds the header among the first rows and keeps the rows after it.
fn with_header(mut rows: Vec<Row>, described: String, looks_like_header: &dyn Fn(&[String]) -> bool) -> Table {
    let first_filled = rows.iter().position(|r| !r.is_blank()).unwrap_or(0);
    let at = rows.iter().take(10).position(|r| looks_like_header(&r.cells)).unwrap_or(first_filled);
    let rest = rows.split_off((at + 1).min(rows.len()));
    let header = rows.pop().unwrap_or_default();
    let mut headers: Vec<String> = header.cells.iter().map(|h| h.trim().to_owned()).collect();
    let width = rest.iter().map(|r| r.cells.len()).max().unwrap_or(0).max(headers.len());
    // Cells past the last header still have a column (named by its letter, as the spreadsheet shows it).
    while headers.len() < width {
        headers.push(String::new());
    }
    for (i, h) in headers.iter_mut().enumerate() {
        if h.is_empty() {
            *h = column_letter(i);
        }
    }
    let rows = rest
        .into_iter()
        .map(|mut r| {
            r.cells.resize(width, String::new());
            r
        })
        .collect();
    Table { described, headers, header_line: header.line, rows, not_points: Vec::new() }
}

/// `A`, `B`, … `Z`, `AA`…
fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn read_workbook(
    bytes: Vec<u8>,
    name: &str,
    sheet: Option<&str>,
    looks_like_header: &dyn Fn(&[String]) -> bool,
) -> Result<Table, Fatal> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Fatal::new(format!("{name} : classeur illisible ({e})"), format!("{name}: unreadable workbook ({e})"))
    };
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let format = match &book {
        calamine::Sheets::Xls(_) => "XLS",
        calamine::Sheets::Xlsx(_) => "XLSX",
        calamine::Sheets::Xlsb(_) => "XLSB",
        calamine::Sheets::Ods(_) => "ODS",
    };
    let names = book.sheet_names();
    let chosen = match sheet {
        None => names.first().cloned(),
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| names.iter().find(|n| crate::text::fold_key(n) == crate::text::fold_key(wanted)))
            .cloned(),
    };
    let Some(chosen) = chosen else {
        let list = names.join(" », « ");
        return Err(Fatal::new(
            format!("{name} n'a pas de feuille « {} » (feuilles : « {list} »)", sheet.unwrap_or("")),
            format!("{name} has no sheet \"{}\" (sheets: « {list} »)", sheet.unwrap_or("")),
        ));
    };
    let range = book.worksheet_range(&chosen).map_err(|e| unreadable(&e))?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            // Columns before the range's first are empty: keep them, so columns are where the sheet has them.
            let mut texts = vec![String::new(); col0 as usize];
            texts.extend(cells.iter().map(cell_text));
            Row { line: row0 as usize + i + 1, cells: texts }
        })
        .collect();
    let described = if names.len() > 1 { format!("{format}, « {chosen} »") } else { format.to_owned() };
    Ok(with_header(rows, described, looks_like_header))
}

/// A cell as text: integers without `.0`, dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            // Days since 1899-12-30 (the 1900 system; its fictitious 1900-02-29 is before any date of interest).
            let days = d.as_f64().floor() as i64 - 25_569;
            let (y, m, day) = super::reference::civil_from_days(days);
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

/// A number as a person wrote it: `2014`, `47.812`.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn read_geojson(bytes: &[u8], name: &str) -> Result<Table, Fatal> {
    let (text, _) = decode(bytes);
    let doc: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Fatal::new(format!("{name} : JSON illisible ({e})"), format!("{name}: unreadable JSON ({e})")))?;
    if doc.get("innovations").is_some() {
        return Err(Fatal::new(
            format!("{name} est déjà un jeu de données Essaimage : vérifiez-le avec « essaimage check »"),
            format!("{name} is already an Essaimage dataset: check it with \"essaimage check\""),
        ));
    }
    let Some(features) = doc.get("features").and_then(|f| f.as_array()) else {
        return Err(Fatal::new(
            format!("{name} n'est pas une FeatureCollection GeoJSON (pas de tableau « features »)"),
            format!("{name} is not a GeoJSON FeatureCollection (no \"features\" array)"),
        ));
    };
    let mut headers: Vec<String> = Vec::new();
    for f in features {
        if let Some(props) = f.get("properties").and_then(|p| p.as_object()) {
            for k in props.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    let (lon_col, lat_col) = (headers.len(), headers.len() + 1);
    headers.push("Longitude".into());
    headers.push("Latitude".into());
    let mut table = Table { described: "GeoJSON".into(), headers, header_line: 0, ..Table::default() };
    for (i, f) in features.iter().enumerate() {
        let props = f.get("properties").and_then(|p| p.as_object());
        let mut cells: Vec<String> = table.headers[..lon_col]
            .iter()
            .map(|k| props.and_then(|p| p.get(k)).map(json_text).unwrap_or_default())
            .collect();
        cells.resize(lat_col + 1, String::new());
        let geom = f.get("geometry").filter(|g| !g.is_null());
        match geom.map(|g| (g.get("type").and_then(|t| t.as_str()), g.get("coordinates"))) {
            Some((Some("Point"), Some(c))) => {
                if let Some([lon, lat, ..]) = c.as_array().map(Vec::as_slice) {
                    cells[lon_col] = json_text(lon);
                    cells[lat_col] = json_text(lat);
                }
            }
            Some(_) => table.not_points.push(i + 1),
            None => {}
        }
        table.rows.push(Row { line: i + 1, cells });
    }
    Ok(table)
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_and_encodings_are_detected() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,\"2;5\",3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(decode(b"\xEF\xBB\xBFNom").0, "Nom");
        assert_eq!(decode(b"Th\xE8me").0, "Thème");
        assert_eq!(decode(b"Th\xE8me").1, "Windows-1252");
        assert_eq!(decode("Thème".as_bytes()).1, "UTF-8");
        assert_eq!(decode(b"\xFF\xFEN\0o\0m\0").0, "Nom");
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(number_text(2014.0), "2014");
        assert_eq!(number_text(47.812), "47.812");
    }
}
