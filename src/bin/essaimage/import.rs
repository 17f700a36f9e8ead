const USAGE: &str = "\
Convertit un tableau (CSV, TSV, XLSX, XLS, ODS, GeoJSON de points) en jeu de données essaimage/1.
Converts a table (CSV, TSV, XLSX, XLS, ODS, GeoJSON points) into an essaimage/1 dataset.

Usage:
    essaimage import FILE [--mapping MAP.toml] [-o OUT.json] [--report ROWS.csv] [--sheet NAME] [--lang en]

Colonnes reconnues par leur nom, en français ou en anglais (Nom, Description, Commune, Code INSEE, Code postal,
Département, Région, Latitude, Longitude, Thèmes, Stade, Stratégies, Rôle de l'acteur public, Type de porteur,
Année de création, Nombre de sites, Site web, Sources…); valeurs des vocabulaires par identifiant, libellé ou
synonyme. Lieux : code INSEE, puis code postal + commune, puis commune + département, puis commune seule si elle
est unique, puis coordonnées. Les colonnes qui ressemblent à des données personnelles (contact, e-mail,
téléphone, nom du référent) ne sont pas copiées, sauf si le fichier --mapping les affecte à un champ.

Chaque ligne est importée ou signalée, avec son numéro et la raison ; chaque valeur corrigée ou ignorée est un
avertissement (ligne, colonne). --report les écrit en CSV (UTF-8 avec BOM) pour le propriétaire du tableau.
Le JSON produit est ensuite relu comme le widget le lit, et son résumé affiché.

Codes de sortie / exit codes: 0 every row imported without warning, 1 written with rejected rows or warnings,
2 nothing written (unreadable table or mapping).";

use std::path::PathBuf;
use std::process::ExitCode;

use essaimage::i18n::Locale;
use essaimage::import::convert::{convert, has_names, write_report};
use essaimage::import::issues::Fatal;
use essaimage::import::mapping::Mapping;
use essaimage::import::reference::load_like_widget;
use essaimage::import::{columns, table};

#[derive(clap::Args, Debug)]
#[command(about = "Converts a table (CSV, TSV, XLSX, XLS, ODS, GeoJSON) into an essaimage/1 dataset", long_about = USAGE)]
pub struct Args {
    /// Table to import (.csv, .tsv, .xlsx, .xls, .ods, .geojson)
    pub file: PathBuf,
    /// Mapping file (TOML): columns, values, one value for every row, metadata
    #[arg(long, short = 'm', value_name = "MAP")]
    pub mapping: Option<PathBuf>,
    /// Where to write the dataset (default: standard output)
    #[arg(long, short = 'o', value_name = "OUT.json")]
    pub output: Option<PathBuf>,
    /// Writes every rejected row and every warning as CSV (UTF-8 with BOM)
    #[arg(long, value_name = "ROWS.csv")]
    pub report: Option<PathBuf>,
    /// Sheet of a workbook to read (default: the first)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
}

pub fn run(args: &Args, locale: Locale) -> ExitCode {
    let fr = locale == Locale::Fr;
    let fatal = |f: Fatal| {
        eprintln!("essaimage import{} {}", if fr { " :" } else { ":" }, f.message(locale));
        ExitCode::from(2)
    };
    let mapping = match &args.mapping {
        Some(p) => match Mapping::load(p) {
            Ok(m) => m,
            Err(f) => return fatal(f),
        },
        None => Mapping::default(),
    };
    let table = match table::read(&args.file, args.sheet.as_deref(), &columns::looks_like_header) {
        Ok(t) => t,
        Err(f) => return fatal(f),
    };
    if let Err(f) = has_names(&table, &mapping) {
        return fatal(f);
    }
    let converted = convert(&table, &mapping);
    debug_assert_eq!(converted.imported + converted.reported_rows(), converted.rows, "every row accounted for");
    let mut text = serde_json::to_string_pretty(&converted.document).unwrap_or_default();
    text.push('\n');
    let written = match &args.output {
        Some(p) => std::fs::write(p, &text).map_err(|e| (p, e)),
        None => {
            print!("{text}");
            Ok(())
        }
    };
    if let Err((p, e)) = written {
        return fatal(Fatal::new(
            format!("impossible d'écrire {} : {e}", p.display()),
            format!("cannot write {}: {e}", p.display()),
        ));
    }
    if let Some(p) = &args.report {
        if let Err(e) = write_report(p, &converted.issues, locale) {
            return fatal(Fatal::new(
                format!("impossible d'écrire {} : {e}", p.display()),
                format!("cannot write {}: {e}", p.display()),
            ));
        }
    }
    for issue in converted.sorted_issues() {
        eprintln!("{}", issue.describe(locale));
    }
    eprintln!("{}", converted.summary(&table, &args.file.display().to_string(), locale));
    // The file as the widget will read it.
    let out_name = args.output.as_ref().map_or_else(|| "-".to_owned(), |p| p.display().to_string());
    match load_like_widget(text.as_bytes(), &out_name) {
        Ok(explorer) => {
            eprintln!(
                "{} {}",
                if fr { "Relu comme le widget :" } else { "Read as the widget does:" },
                explorer.report.summary(locale)
            );
            for p in &explorer.report.problems {
                eprintln!("  {}", p.describe(locale));
            }
        }
        Err(e) => {
            let (title, detail) = e.message(locale);
            eprintln!("{title}. {detail}");
            return ExitCode::from(2);
        }
    }
    if converted.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
