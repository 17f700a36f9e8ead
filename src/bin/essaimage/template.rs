const USAGE: &str = "\
Écrit un tableau modèle : les colonnes attendues, une ligne d'exemple, les valeurs permises de chaque vocabulaire.
Writes a template table: the expected columns, one example row, the allowed values of each vocabulary.

Usage:
    essaimage template [--format csv|xlsx] [-o FILE] [--lang fr|en]

xlsx: a sheet of columns (the stage and the carrier kind chosen from a list) and a second sheet « Valeurs »
(Values) with the allowed values, label and id. csv: the table (UTF-8 with BOM, `;` in French, `,` in English);
with -o, the allowed values go to a second file beside it, FILE-valeurs.csv (FILE-values.csv). The format is
taken from the -o file's extension when --format is not given. Fill it, then: essaimage import FILE.";

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use essaimage::i18n::Locale;
use essaimage::model::{VocabKind, Vocabularies};
use rust_xlsxwriter::{DataValidation, Format as CellFormat, Formula, Workbook, XlsxError};

use essaimage::import::columns::Field;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(clap::Args, Debug)]
#[command(about = "Writes a template table to fill (CSV or XLSX)", long_about = USAGE)]
pub struct Args {
    /// csv or xlsx (default: from the -o extension, else csv)
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Where to write it (default: standard output)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The template's columns (the id is made from the name; it can be added).
const COLUMNS: [Field; 18] = [
    Field::Name,
    Field::Summary,
    Field::Commune,
    Field::Postcode,
    Field::Insee,
    Field::Department,
    Field::Region,
    Field::Latitude,
    Field::Longitude,
    Field::Themes,
    Field::Stage,
    Field::Strategies,
    Field::PublicSupport,
    Field::CarrierKind,
    Field::Started,
    Field::Sites,
    Field::Url,
    Field::Sources,
];

fn example(field: Field, locale: Locale) -> String {
    let v = Vocabularies::builtin();
    let labels = |kind: VocabKind, ids: &[&str]| {
        let voc = v.get(kind);
        ids.iter().filter_map(|id| voc.index_of(id)).map(|i| voc.label(i, locale)).collect::<Vec<_>>().join("; ")
    };
    let fr = locale == Locale::Fr;
    match field {
        Field::Name => "Territoire zéro chômeur de Pipriac et Saint-Ganton".into(),
        Field::Summary => if fr {
            "Deux communes rurales embauchent en CDI les chômeurs de longue durée volontaires dans une entreprise à but d'emploi."
        } else {
            "Two rural municipalities hire long-term unemployed volunteers on permanent contracts in a job-creating company."
        }
        .into(),
        Field::Commune => "Pipriac".into(),
        Field::Postcode => "35550".into(),
        Field::Insee => "35219".into(),
        Field::Department => "35".into(),
        Field::Region => "Bretagne".into(),
        Field::Latitude => "47.812".into(),
        Field::Longitude => "-1.938".into(),
        Field::Themes => labels(VocabKind::Themes, &["emploi-insertion", "lien-social"]),
        Field::Stage => labels(VocabKind::Stages, &["generalisation"]),
        Field::Strategies => labels(VocabKind::ScalingStrategies, &["essaimage-reseau", "reprise-publique"]),
        Field::PublicSupport => labels(VocabKind::PublicSupport, &["financement", "ecosysteme"]),
        Field::CarrierKind => labels(VocabKind::CarrierKinds, &["groupement"]),
        Field::Started => "2014".into(),
        Field::Sites => "2".into(),
        Field::Url => "https://tezea.fr".into(),
        Field::Sources => "https://tezea.fr/tezea-une-bataille-gagnee-contre-chomage".into(),
        Field::Id => String::new(),
    }
}

/// The fields that have a vocabulary, in template order.
fn vocab_fields() -> impl Iterator<Item = (Field, VocabKind)> {
    COLUMNS.into_iter().filter_map(|f| f.vocabulary().map(|k| (f, k)))
}

pub fn run(args: &Args, locale: Locale) -> ExitCode {
    let format = args.format.unwrap_or_else(|| {
        let ext = args.output.as_deref().and_then(Path::extension).and_then(|e| e.to_str()).unwrap_or("");
        if ext.eq_ignore_ascii_case("xlsx") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    });
    let result = match format {
        Format::Csv => csv_template(args.output.as_deref(), locale),
        Format::Xlsx => xlsx(locale).map_err(|e| e.to_string()).and_then(|bytes| emit(args.output.as_deref(), &bytes)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("essaimage template: {e}");
            ExitCode::from(2)
        }
    }
}

fn emit(path: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    use std::io::Write;
    match path {
        Some(p) => std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display())),
        None => std::io::stdout().write_all(bytes).map_err(|e| e.to_string()),
    }
}

fn csv_bytes(rows: &[Vec<String>], locale: Locale) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(if locale == Locale::Fr { b';' } else { b',' })
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for r in rows {
        w.write_record(r).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// (vocabulary header, label, id) of every allowed value.
fn allowed(locale: Locale) -> Vec<(String, String, String)> {
    let v = Vocabularies::builtin();
    vocab_fields()
        .flat_map(|(f, k)| {
            v.get(k)
                .entries
                .iter()
                .map(move |e| (f.header(locale).to_owned(), e.label.get(locale).to_owned(), e.id.clone()))
        })
        .collect::<Vec<_>>()
}

fn csv_template(output: Option<&Path>, locale: Locale) -> Result<(), String> {
    let header: Vec<String> = COLUMNS.iter().map(|f| f.header(locale).to_owned()).collect();
    let example: Vec<String> = COLUMNS.iter().map(|&f| example(f, locale)).collect();
    emit(output, &csv_bytes(&[header, example], locale)?)?;
    if let Some(p) = output {
        let fr = locale == Locale::Fr;
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("modele");
        let values = p.with_file_name(format!("{stem}-{}.csv", if fr { "valeurs" } else { "values" }));
        let mut rows = vec![if fr {
            vec!["Colonne".to_owned(), "Valeur".to_owned(), "Identifiant".to_owned()]
        } else {
            vec!["Column".to_owned(), "Value".to_owned(), "Id".to_owned()]
        }];
        rows.extend(allowed(locale).into_iter().map(|(a, b, c)| vec![a, b, c]));
        emit(Some(&values), &csv_bytes(&rows, locale)?)?;
        eprintln!("{} {}", if fr { "Valeurs permises :" } else { "Allowed values:" }, values.display());
    }
    Ok(())
}

fn xlsx(locale: Locale) -> Result<Vec<u8>, XlsxError> {
    let fr = locale == Locale::Fr;
    let values_sheet = if fr { "Valeurs" } else { "Values" };
    let bold = CellFormat::new().set_bold().set_background_color("#DDEBF7").set_text_wrap();
    let mut book = Workbook::new();
    let v = Vocabularies::builtin();

    let sheet = book.add_worksheet();
    sheet.set_name("Innovations")?;
    for (c, &f) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, f.header(locale), &bold)?;
        sheet.write_string(1, c, example(f, locale))?;
        sheet.set_column_width(c, if matches!(f, Field::Summary | Field::Name) { 40 } else { 20 })?;
    }
    sheet.set_freeze_panes(1, 0)?;

    // « Valeurs »: per vocabulary, a column of labels and a column of ids.
    let values = book.add_worksheet();
    values.set_name(values_sheet)?;
    let mut ranges = Vec::new();
    for (i, (f, k)) in vocab_fields().enumerate() {
        let col = (i * 3) as u16;
        values.write_string_with_format(0, col, f.header(locale), &bold)?;
        values.write_string_with_format(0, col + 1, if fr { "Identifiant" } else { "Id" }, &bold)?;
        let entries = &v.get(k).entries;
        for (r, e) in entries.iter().enumerate() {
            values.write_string(r as u32 + 1, col, e.label.get(locale))?;
            values.write_string(r as u32 + 1, col + 1, &e.id)?;
        }
        values.set_column_width(col, 34)?;
        values.set_column_width(col + 1, 24)?;
        ranges.push((f, col, entries.len()));
    }
    // The single-valued fields are chosen from the list; the others take several values separated by « ; ».
    let sheet = book.worksheet_from_name("Innovations")?;
    for (f, col, n) in ranges {
        let at = COLUMNS.iter().position(|&c| c == f).unwrap_or(0) as u16;
        let letter = (b'A' + col as u8) as char;
        if f.is_multi() {
            let dv = DataValidation::new().allow_any_value().set_input_message(if fr {
                "Plusieurs valeurs séparées par « ; » (voir la feuille Valeurs)"
            } else {
                "Several values separated by \";\" (see the Values sheet)"
            })?;
            sheet.add_data_validation(1, at, 1000, at, &dv)?;
        } else {
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(format!("={values_sheet}!${letter}$2:${letter}${}", n + 1)));
            sheet.add_data_validation(1, at, 1000, at, &dv)?;
        }
    }
    book.save_to_buffer()
}
