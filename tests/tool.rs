//! The command-line tool `essaimage` (src/bin/essaimage/), run as a user runs it, on the tables of
//! tests/fixtures/tables/ (written by its make_fixtures.py). Golden outputs (`*.expected.json`,
//! `*.expected-report.csv`) are compared exactly; `ESSAIMAGE_BLESS=1 cargo test --test tool` rewrites them (then
//! review the diff).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "common/tool.rs"]
mod tool_runs;
use tool_runs::{code, run_in, stderr, stdout};

use essaimage::i18n::Locale;
use essaimage::load::build_loaded;
use essaimage::schema::{self, ValidateOptions};
use essaimage::territory::CommuneIndex;

/// Messages name the current year's limit (`started` ≤ next year): fixed for the golden report.
const YEAR: &str = "2026";

fn tables() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tables")
}

fn run(args: &[&str]) -> Output {
    run_in(&tables(), YEAR, args)
}

/// A fresh folder for one test's outputs.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("essaimage-tool-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Compares `actual` with a golden file, or rewrites it under ESSAIMAGE_BLESS=1.
fn golden(name: &str, actual: &str) {
    let path = tables().join(name);
    if std::env::var_os("ESSAIMAGE_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(expected == actual, "{name} differs from the output:\n{actual}");
}

fn innovations(json: &str) -> Vec<serde_json::Value> {
    let doc: serde_json::Value = serde_json::from_str(json).expect("the import writes JSON");
    doc["innovations"].as_array().expect("an innovations array").clone()
}

/// The rows of a `--report` CSV (UTF-8 with BOM, `;` in French).
fn report_rows(path: &Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).expect("report written");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the report starts with a BOM, for spreadsheet programs");
    let mut r = csv::ReaderBuilder::new().delimiter(b';').has_headers(true).from_reader(&bytes[3..]);
    r.records().map(|rec| rec.expect("CSV row").iter().map(str::to_owned).collect()).collect()
}

#[test]
fn the_same_rows_give_the_same_json_from_csv_1252_csv_bom_xlsx_and_ods() {
    let runs: [&[&str]; 4] = [
        &["import", "projets-1252.csv"],
        &["import", "projets-bom.csv"],
        &["import", "projets.xlsx"],
        &["import", "projets.ods", "--sheet", "Projets"],
    ];
    for args in runs {
        let o = run(args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        let json = stdout(&o);
        golden("projets.expected.json", &json);
        // Accents, quotes and line breaks survived every format and encoding.
        assert!(json.contains(r#""name": "Atelier \"vélo\" solidaire""#), "{args:?}");
        assert!(
            json.contains(r#"soi-même.\nAteliers ouverts le samedi ; prêt d'outils « à prix libre »."#),
            "{args:?}"
        );
        assert!(json.contains("Les Champs d’Ici") && json.contains("Cœur de village"), "{args:?}");
        // No personal data: the Contact, Email, Téléphone and Nom du référent columns are not copied.
        for personal in ["Marie Exemple", "marie@exemple.fr", "02 99 00 00 01", "Jean Exemple", "Paul Exemple"] {
            assert!(!json.contains(personal), "{args:?}: {personal} copied");
        }
        let messages = stderr(&o);
        for column in ["Contact", "Email", "Téléphone", "Nom du référent"] {
            assert!(
                messages.contains(&format!("colonne « {column} » — remarque : colonne qui semble contenir")),
                "{messages}"
            );
        }
        assert!(messages.contains("12 importée(s), 0 rejetée(s), 0 vide(s)"), "{messages}");
    }
    // The ODS's first sheet is a note, not the table: nothing is written, and the message says what to do.
    let o = run(&["import", "projets.ods"]);
    assert_eq!(code(&o), 2);
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("Choisissez la feuille avec --sheet"), "{}", stderr(&o));
    let o = run(&["import", "projets.ods", "--sheet", "Inconnue"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("« Notes », « Projets »"), "{}", stderr(&o));
}

#[test]
fn every_row_is_imported_or_reported_with_its_line() {
    let dir = scratch("rows");
    // (table, extra args, data rows, first data row's line)
    let cases: [(&str, &[&str], usize, usize); 5] = [
        ("projets-1252.csv", &[], 12, 2),
        ("projets.xlsx", &[], 12, 4),
        ("avertissements.csv", &[], 36, 2),
        ("points.geojson", &[], 4, 1),
        ("coworking.csv", &["--mapping", "coworking.toml"], 2, 2),
    ];
    for (table, extra, rows, first) in cases {
        let report = dir.join(format!("{table}.csv"));
        let mut args = vec!["import", table, "--report", report.to_str().unwrap()];
        args.extend(extra);
        let o = run(&args);
        assert_ne!(code(&o), 2, "{table}: {}", stderr(&o));
        let imported = innovations(&stdout(&o)).len();
        let report = report_rows(&report);
        let not_imported: Vec<usize> = report
            .iter()
            .filter(|r| r[2] == "ligne rejetée" || r[4] == "ligne vide, ignorée")
            .map(|r| r[0].parse().expect("a line number"))
            .collect();
        assert_eq!(imported + not_imported.len(), rows, "{table}: imported + reported = rows");
        assert!(not_imported.iter().all(|l| (first..first + rows).contains(l)), "{table}: {not_imported:?}");
        // Every warning names its line and column.
        for r in report.iter().filter(|r| r[2] == "avertissement") {
            assert!(!r[0].is_empty(), "{table}: {r:?}");
        }
    }
}

#[test]
fn a_table_that_hits_every_warning_gives_the_golden_json_and_report() {
    let dir = scratch("warnings");
    let report = dir.join("lignes.csv");
    let o = run(&["import", "avertissements.csv", "--report", report.to_str().unwrap()]);
    assert_eq!(code(&o), 1, "warnings and rejected rows: exit 1");
    golden("avertissements.expected.json", &stdout(&o));
    golden("avertissements.expected-report.csv", &std::fs::read_to_string(&report).unwrap());
    let rows = report_rows(&report);
    let has = |line: &str, column: &str, fragment: &str| {
        rows.iter().any(|r| r[0] == line && r[1] == column && r[4].contains(fragment))
    };
    assert!(has("3", "", "ligne vide"));
    assert!(has("4", "", "pas de nom"));
    assert!(has("5", "Identifiant", "déjà utilisé ligne 2"));
    assert!(has("7", "Thèmes", "« coworking » inconnue"));
    assert!(has("10", "Année", "année 1750 ignorée : indiquez une année entre 1800 et 2027"));
    assert!(has("12", "Site web", "lue comme « https://www.exemple.fr/projet »"));
    assert!(has("16", "Description", "e-mail") && has("16", "Description", "téléphone"));
    assert!(has("19", "Code INSEE", "arrondissement municipal"));
    assert!(has("29", "Département", "ne correspond pas à la commune"));
    assert!(has("34", "Latitude", "le point est retenu"));
    assert!(has("35", "Département", "seulement par son département"));
    // Columns: a second stage column, an unknown one, a personal one.
    assert!(has("1", "Étape", "deuxième colonne"));
    assert!(has("1", "Commentaire", "non reconnue"));
    assert!(has("1", "Courriel", "données personnelles"));
    assert!(!stdout(&o).contains("x@exemple.fr"), "the personal column is not copied");
    // The output reads in the widget without a rejected record.
    let o2 = run(&["import", "avertissements.csv", "--lang", "en", "--report", report.to_str().unwrap()]);
    assert!(stderr(&o2).contains("Read as the widget does: Essaimage: 33 record(s) read, 33 kept, 0 rejected"));
    let en = std::fs::read_to_string(&report).unwrap();
    assert!(en.starts_with("\u{feff}row,column,severity,value,message\n"), "{en}");
}

#[test]
fn geojson_points_and_a_mapping_file_give_their_golden_json() {
    let o = run(&["import", "points.geojson"]);
    assert_eq!(code(&o), 1, "a scheme added, a line that is not a point");
    golden("points.expected.json", &stdout(&o));
    assert!(stderr(&o).contains("ligne 3 — avertissement : géométrie qui n'est pas un point"));

    let o = run(&["import", "coworking.csv", "--mapping", "coworking.toml"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let json = stdout(&o);
    golden("coworking.expected.json", &json);
    assert!(!json.contains("@exemple.fr"), "« Mail du référent » is not copied");
    assert!(!json.contains("relancer"), "« Suivi interne » is ignored by the mapping");
    // The mapping can ask for a personal column: then it is copied.
    let dir = scratch("mapping");
    let map = dir.join("m.toml");
    std::fs::write(&map, "[columns]\n\"Intitulé\" = \"name\"\n\"Mail du référent\" = \"summary\"\n").unwrap();
    let o = run(&["import", "coworking.csv", "--mapping", map.to_str().unwrap()]);
    assert!(stdout(&o).contains(r#""summary": "a@exemple.fr""#), "{}", stdout(&o));
    assert!(stderr(&o).contains("le texte semble contenir une adresse e-mail"), "still reported");
    // A mapping the tool cannot use stops it.
    std::fs::write(&map, "[values.themes]\n\"x\" = \"pas-un-theme\"\n").unwrap();
    let o = run(&["import", "coworking.csv", "--mapping", map.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("« pas-un-theme » n'est pas une valeur de themes"), "{}", stderr(&o));
}

#[test]
fn import_then_check_keeps_every_row_of_a_clean_table() {
    let dir = scratch("check");
    let out = dir.join("projets.json");
    let o = run(&["import", "projets-1252.csv", "-o", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run(&["check", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "clean: exit 0\n{}", stdout(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Essaimage : 12 fiche(s) lue(s), 12 gardée(s), 0 rejetée(s), 0 avertissement(s).\n"));
    assert!(text.contains("Par région : Bretagne 12\n"), "{text}");
    assert!(text.contains("Par stade : Amorçage 2, Expérimentation 2, Consolidation 3, Essaimage 3, Diffusion à grande échelle 1, Généralisation 1\n"), "{text}");
    let o = run(&["check", out.to_str().unwrap(), "--format", "json", "--lang", "en"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!((report["kept"].as_u64(), report["rejected"].as_u64()), (Some(12), Some(0)));
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["counts"]["regions"][0]["label"], "Bretagne");
    assert_eq!(report["summary"], "Essaimage: 12 record(s) read, 12 kept, 0 rejected, 0 warning(s).");
}

#[test]
fn check_prints_the_widgets_own_report_and_exits_0_1_or_2() {
    // The widget's messages for the mixed fixture, computed here through the core.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mixed.json");
    let bytes = std::fs::read(&path).unwrap();
    let name = path.to_str().unwrap();
    let opts = ValidateOptions { url: name.into(), current_year: 2026, max_bytes: schema::DEFAULT_MAX_BYTES };
    let (dataset, report) = schema::validate(&bytes, &opts).unwrap();
    let territories = essaimage::outlines::read(include_bytes!("../static/data/france-departments.bin")).unwrap();
    let communes = CommuneIndex::from_csv(include_str!("../static/data/communes.csv")).unwrap();
    let explorer = build_loaded(dataset, report, territories, Ok(&communes));
    for locale in [Locale::Fr, Locale::En] {
        let o = run(&["check", name, "--lang", locale.tag()]);
        assert_eq!(code(&o), 1, "problems: exit 1");
        let text = stdout(&o);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(explorer.report.summary(locale).as_str()));
        for p in &explorer.report.problems {
            assert_eq!(lines.next(), Some(p.describe(locale).as_str()), "the widget's message, word for word");
        }
    }
    let o = run(&["check", name, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(json["kept"].as_u64(), Some(explorer.report.records_kept as u64));
    assert_eq!(json["rejected"].as_u64(), Some(explorer.report.rejected() as u64));
    assert_eq!(json["problems"].as_array().map(Vec::len), Some(explorer.report.problems.len()));
    assert_eq!(json["problems"][0]["message"], explorer.report.problems[0].describe(Locale::Fr));

    // Unreadable: not JSON, the wrong shape, no such file.
    let dir = scratch("exit");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"innovations\": [}").unwrap();
    let o = run(&["check", bad.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).starts_with("Le jeu de données n'est pas un JSON valide\n"), "{}", stderr(&o));
    let o = run(&["check", bad.to_str().unwrap(), "--format", "json", "--lang", "en"]);
    assert_eq!(code(&o), 2);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("valid JSON");
    assert_eq!(json["error"]["title"], "The dataset is not valid JSON");
    std::fs::write(&bad, "[1, 2]").unwrap();
    assert_eq!(code(&run(&["check", bad.to_str().unwrap()])), 2);
    assert_eq!(code(&run(&["check", "nowhere.json"])), 2);
    assert_eq!(code(&run(&["import", "nowhere.csv"])), 2);
    assert_eq!(code(&run(&["nonsense"])), 2, "a usage error");
}

#[test]
fn the_template_has_the_columns_an_example_and_the_allowed_values() {
    use calamine::Reader;
    let dir = scratch("template");
    for (file, lang) in [("modele.csv", "fr"), ("modele.xlsx", "fr"), ("template.csv", "en")] {
        let path = dir.join(file);
        let o = run(&["template", "-o", path.to_str().unwrap(), "--lang", lang]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        // It imports as it is: one clean innovation.
        let o = run(&["import", path.to_str().unwrap()]);
        assert_eq!(code(&o), 0, "{file}: {}", stderr(&o));
        assert_eq!(innovations(&stdout(&o)).len(), 1);
    }
    let values = std::fs::read_to_string(dir.join("modele-valeurs.csv")).unwrap();
    assert!(values.starts_with("\u{feff}Colonne;Valeur;Identifiant\nThèmes;Emploi et insertion;emploi-insertion\n"));
    assert!(values.contains("Stade;Consolidation;consolidation\n"));
    let mut book = calamine::open_workbook_auto(dir.join("modele.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Innovations", "Valeurs"]);
    let sheet = book.worksheet_range("Valeurs").unwrap();
    assert_eq!(sheet.get_value((1, 0)).map(|d| d.to_string()), Some("Emploi et insertion".into()));
    let csv = String::from_utf8(run(&["template"]).stdout).unwrap();
    assert!(csv.starts_with("\u{feff}Nom;Description;Commune;Code postal;Code INSEE;"), "{csv}");
}
