//! The command-line tool `essaimage`, run as a user runs it, for the suites that test it (`tests/tool.rs`,
//! `tests/pack.rs`; both need the `import` feature, which builds the binary).
#![allow(dead_code)] // Each user calls a part of this module.

use std::path::Path;
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_essaimage");

/// The tool with `args`, in `dir`, its year fixed at `year` (messages name the year's limit).
pub fn run_in(dir: &Path, year: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("ESSAIMAGE_YEAR", year)
        .output()
        .expect("the essaimage binary runs")
}

pub fn code(o: &Output) -> i32 {
    o.status.code().expect("exited")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 messages")
}
