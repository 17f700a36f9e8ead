const USAGE: &str = "\
Vérifie un jeu de données essaimage/1 comme le widget le lit, et en donne le rapport.
Checks an essaimage/1 dataset as the widget reads it, and prints its report.

Usage:
    essaimage check FILE [--format text|json] [--lang fr|en]

FILE is a path, or - for standard input. The report is the widget's own: the same messages, for the same
problems, as its data panel and console (a record rejected, a value dropped or changed), then a summary and the
kept records counted by region (of their origin), stage and theme.

--format json prints one object: file, records_in_file, kept, rejected, warnings, summary, problems (record,
id, field, severity, message) and counts (regions, stages, themes); or file and error (title, detail).

Codes de sortie / exit codes: 0 clean, 1 problems reported, 2 unreadable (not JSON, wrong shape, unsupported
version, too large, no such file).";

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use essaimage::i18n::Locale;
use essaimage::load::Loaded;
use essaimage::model::VocabKind;
use essaimage::report::Severity;
use serde_json::{json, Value};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Debug)]
#[command(about = "Checks a dataset file as the widget reads it (exit 0 clean, 1 problems, 2 unreadable)", long_about = USAGE)]
pub struct Args {
    /// Dataset to check (a path, or - for standard input)
    pub file: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

pub fn run(args: &Args, locale: Locale) -> ExitCode {
    let name = args.file.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            let (title, detail) = match locale {
                Locale::Fr => ("Fichier illisible".to_owned(), format!("impossible de lire {name} : {e}")),
                Locale::En => ("Unreadable file".to_owned(), format!("cannot read {name}: {e}")),
            };
            return fail(args.format, &name, &title, &detail);
        }
    };
    match crate::widget::load_like_widget(&bytes, &name) {
        Err(e) => {
            let (title, detail) = e.message(locale);
            fail(args.format, &name, &title, &detail)
        }
        Ok(explorer) => {
            let counts = counts(&explorer, locale);
            let report = &explorer.report;
            match args.format {
                Format::Text => {
                    println!("{}", report.summary(locale));
                    for p in &report.problems {
                        println!("{}", p.describe(locale));
                    }
                    for (title, list) in &counts {
                        let items: Vec<String> = list.iter().map(|(_, label, n)| format!("{label} {n}")).collect();
                        let sep = if locale == Locale::Fr { " : " } else { ": " };
                        println!("{title}{sep}{}", if items.is_empty() { "-".to_owned() } else { items.join(", ") });
                    }
                }
                Format::Json => {
                    let problems: Vec<Value> = report
                        .problems
                        .iter()
                        .map(|p| {
                            json!({
                                "record": p.index.map(|i| i + 1),
                                "id": p.id,
                                "field": p.field,
                                "severity": match p.kind.severity() {
                                    Severity::Rejected => "rejected",
                                    Severity::Warning => "warning",
                                },
                                "message": p.describe(locale),
                            })
                        })
                        .collect();
                    let keys = ["regions", "stages", "themes"];
                    let mut c = serde_json::Map::new();
                    for (key, (_, list)) in keys.iter().zip(&counts) {
                        let items: Vec<Value> =
                            list.iter().map(|(id, label, n)| json!({"id": id, "label": label, "count": n})).collect();
                        c.insert((*key).into(), Value::Array(items));
                    }
                    let out = json!({
                        "file": name,
                        "records_in_file": report.records_in_file,
                        "kept": report.records_kept,
                        "rejected": report.rejected(),
                        "warnings": report.warnings(),
                        "summary": report.summary(locale),
                        "problems": problems,
                        "counts": c,
                    });
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
            }
            if report.is_clean() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn fail(format: Format, name: &str, title: &str, detail: &str) -> ExitCode {
    match format {
        Format::Text => eprintln!("{title}\n{detail}"),
        Format::Json => {
            let out = json!({"file": name, "error": {"title": title, "detail": detail}});
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
    }
    ExitCode::from(2)
}

type Counts = Vec<(String, Vec<(String, String, usize)>)>;

/// The kept records by region of origin (most first, then « none »), stage (in the stage order) and theme (most
/// first): (title, [(id, label, count)]).
fn counts(explorer: &Loaded, locale: Locale) -> Counts {
    let dataset = &explorer.index.dataset;
    let terr = &explorer.index.territories;
    let fr = locale == Locale::Fr;
    let mut regions: Vec<(String, String, usize)> =
        terr.regions.iter().map(|r| (r.code.clone(), r.name.clone(), 0)).collect();
    let mut no_region = 0;
    let vocab = &dataset.vocabularies;
    let mut stages = vec![0usize; vocab.get(VocabKind::Stages).len()];
    let mut no_stage = 0;
    let mut themes = vec![0usize; vocab.get(VocabKind::Themes).len()];
    for inno in &dataset.innovations {
        match inno.origin.region.as_deref().and_then(|r| terr.region_index(r)) {
            Some(r) => regions[r].2 += 1,
            None => no_region += 1,
        }
        match inno.stage {
            Some(s) => stages[usize::from(s)] += 1,
            None => no_stage += 1,
        }
        for &t in &inno.themes {
            themes[usize::from(t)] += 1;
        }
    }
    regions.retain(|r| r.2 > 0);
    regions.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if no_region > 0 {
        regions.push((String::new(), if fr { "sans région" } else { "no region" }.into(), no_region));
    }
    let entries = |kind: VocabKind, counts: &[usize]| -> Vec<(String, String, usize)> {
        let v = vocab.get(kind);
        v.entries
            .iter()
            .zip(counts)
            .filter(|(_, &n)| n > 0)
            .map(|(e, &n)| (e.id.clone(), e.label.get(locale).to_owned(), n))
            .collect()
    };
    let mut stage_list = entries(VocabKind::Stages, &stages);
    if no_stage > 0 {
        stage_list.push((String::new(), if fr { "sans stade" } else { "no stage" }.into(), no_stage));
    }
    let mut theme_list = entries(VocabKind::Themes, &themes);
    theme_list.sort_by_key(|t| std::cmp::Reverse(t.2));
    let titles = if fr { ["Par région", "Par stade", "Par thème"] } else { ["By region", "By stage", "By theme"] };
    vec![(titles[0].to_owned(), regions), (titles[1].to_owned(), stage_list), (titles[2].to_owned(), theme_list)]
}
