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
use essaimage::import::check::{error_json, report_json, report_text};
use essaimage::import::reference::load_like_widget;

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
    match load_like_widget(&bytes, &name) {
        Err(e) => {
            let (title, detail) = e.message(locale);
            fail(args.format, &name, &title, &detail)
        }
        Ok(explorer) => {
            match args.format {
                Format::Text => {
                    for line in report_text(&explorer, locale) {
                        println!("{line}");
                    }
                }
                Format::Json => {
                    let out = report_json(&explorer, &name, locale);
                    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                }
            }
            if explorer.report.is_clean() {
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
            println!("{}", serde_json::to_string_pretty(&error_json(name, title, detail)).unwrap_or_default());
        }
    }
    ExitCode::from(2)
}
