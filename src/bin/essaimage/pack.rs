const USAGE: &str = "\
Écrit la forme compacte d'un jeu de données, que le widget charge sans lire de texte.
Writes the packed form of a dataset, which the widget loads without parsing text.

Usage:
    essaimage pack FILE.json [-o FILE.pack] [--lang fr|en]

The dataset is read as the widget reads it (the same validation, places resolved with the same commune table),
then written validated, places resolved, in binary (docs/DATASET.md « Forme compacte »). Publish the pack in place
of the JSON: `data-dataset` stays the same attribute, the widget recognises a pack by its first bytes and loads
its own build for packs. The data report travels with the pack: `essaimage check FILE.pack` and the widget's
`debug` option give the JSON's report. Keep the JSON: it stays the reference format, and a pack is made again
from it after every change (or after updating the widget, when the pack format changes).

The report is printed as `essaimage check` prints it, then what was written.

Codes de sortie / exit codes: 0 written, clean; 1 written, problems reported; 2 not written (unreadable input,
or the output could not be written).";

use std::path::PathBuf;
use std::process::ExitCode;

use essaimage::i18n::Locale;
use essaimage::import::check::report_text;
use essaimage::import::reference::{load_with, COMMUNES_CSV};

#[derive(clap::Args, Debug)]
#[command(about = "Writes the packed form of a dataset, which the widget loads faster (exit 0 clean, 1 problems, 2 not written)", long_about = USAGE)]
pub struct Args {
    /// Dataset to pack (essaimage/1 JSON)
    pub file: PathBuf,
    /// Where to write the pack (default: FILE with the extension .pack)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args, locale: Locale) -> ExitCode {
    let fr = locale == Locale::Fr;
    let name = args.file.display().to_string();
    let output = args.output.clone().unwrap_or_else(|| args.file.with_extension("pack"));
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            return fail(if fr {
                format!("Fichier illisible\nimpossible de lire {name} : {e}")
            } else {
                format!("Unreadable file\ncannot read {name}: {e}")
            })
        }
    };
    // The widget's reading, without its download limit: a local file (the widget applies its limit to the pack).
    let communes = || Ok(COMMUNES_CSV.to_owned());
    let loaded = match load_with(&bytes, &name, essaimage::outlines::FILE.to_vec(), u64::MAX, communes) {
        Ok(loaded) => loaded,
        Err(e) => {
            let (title, detail) = e.message(locale);
            return fail(format!("{title}\n{detail}"));
        }
    };
    let pack = essaimage::pack::write_indexed(&loaded.index, &loaded.report);
    // The same file however it is written (`./data.json`, an absolute path, a link): compared once resolved.
    let same =
        |a: &PathBuf, b: &PathBuf| a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same(&output, &args.file) {
        return fail(if fr {
            format!("{name} serait remplacé par sa forme compacte : donnez un autre fichier avec -o.")
        } else {
            format!("{name} would be replaced by its packed form: give another file with -o.")
        });
    }
    if let Err(e) = std::fs::write(&output, &pack) {
        let out = output.display();
        return fail(if fr { format!("impossible d'écrire {out} : {e}") } else { format!("cannot write {out}: {e}") });
    }
    for line in report_text(&loaded, locale) {
        println!("{line}");
    }
    let (out, records) = (output.display(), loaded.index.dataset.innovations.len());
    let (json_size, pack_size) = (bytes.len(), pack.len());
    if fr {
        println!("Écrit : {out}, {records} fiche(s), {pack_size} octets (le JSON : {json_size} octets).");
    } else {
        println!("Written: {out}, {records} record(s), {pack_size} bytes (the JSON: {json_size} bytes).");
    }
    if loaded.report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn fail(message: String) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}
