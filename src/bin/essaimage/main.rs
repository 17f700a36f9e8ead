//! `essaimage`: the command-line tool that brings open data in spreadsheets to the widget, reading through the
//! same core as the widget (README « Outil en ligne de commande »).
//!
//! - `essaimage check FILE`: the widget's data report on a dataset file (`check.rs`);
//! - `essaimage import FILE`: a table (CSV, TSV, XLSX, XLS, ODS, GeoJSON) to an `essaimage/1` dataset (`import.rs`,
//!   over the library's `import` module: reading tables, recognising columns, the mapping file, placing rows, the
//!   messages);
//! - `essaimage template`: a table to fill (`template.rs`);
//! - `essaimage pack FILE.json`: the packed form of a dataset, which the widget loads without parsing text
//!   (`pack.rs`, over the library's `pack` module).
//!
//! Native only, and built with the `import` feature (`required-features` in Cargo.toml; `make tool`): built for
//! wasm32 (as `cargo test --target wasm32-unknown-unknown --tests --features import` does), it is an empty program,
//! and its own dependencies (clap, rust_xlsxwriter) are not in any wasm build.

#[cfg(not(target_arch = "wasm32"))]
mod check;
#[cfg(not(target_arch = "wasm32"))]
mod import;
#[cfg(not(target_arch = "wasm32"))]
mod pack;
#[cfg(not(target_arch = "wasm32"))]
mod template;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use clap::{Parser, Subcommand, ValueEnum};
    use essaimage::i18n::Locale;
    use std::process::ExitCode;

    const ABOUT: &str = "\
Essaimage : des tableaux de données ouvertes au widget. From open-data spreadsheets to the widget.

    essaimage check FILE.json        the widget's data report (exit 0 clean, 1 problems, 2 unreadable)
    essaimage import FILE            CSV/TSV/XLSX/ODS/GeoJSON -> essaimage/1 JSON, every row accounted for
    essaimage template -o FILE.xlsx  a table to fill, with the allowed values
    essaimage pack FILE.json         the packed form the widget loads fastest (report included)

Messages en français par défaut ; --lang en for English. `essaimage help COMMAND` for details.";

    #[derive(Parser, Debug)]
    #[command(name = "essaimage", version, about = "From open-data spreadsheets to the Essaimage widget", long_about = ABOUT)]
    struct Cli {
        /// Language of the messages and the report
        #[arg(long, value_enum, global = true, default_value = "fr")]
        lang: Lang,
        #[command(subcommand)]
        command: Command,
    }

    #[derive(ValueEnum, Clone, Copy, Debug)]
    enum Lang {
        Fr,
        En,
    }

    #[derive(Subcommand, Debug)]
    enum Command {
        Check(super::check::Args),
        Import(super::import::Args),
        Template(super::template::Args),
        Pack(super::pack::Args),
    }

    pub fn main() -> ExitCode {
        let cli = Cli::parse();
        let locale = match cli.lang {
            Lang::Fr => Locale::Fr,
            Lang::En => Locale::En,
        };
        match &cli.command {
            Command::Check(args) => super::check::run(args, locale),
            Command::Import(args) => super::import::run(args, locale),
            Command::Template(args) => super::template::run(args, locale),
            Command::Pack(args) => super::pack::run(args, locale),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
