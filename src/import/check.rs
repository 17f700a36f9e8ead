//! The data report of a dataset file, as `essaimage check` prints it and the check page shows it: the widget's own
//! report (`report::DataReport`: its summary, then each problem as `Problem::describe` words it), and the kept
//! records counted by region of origin, stage and theme.

use serde_json::{json, Value};

use crate::i18n::Locale;
use crate::load::Loaded;
use crate::model::VocabKind;
use crate::report::Severity;

/// The report as `essaimage check --format json` prints it: file, records_in_file, kept, rejected, warnings,
/// summary, problems (record, id, field, severity, message) and counts (regions, stages, themes).
pub fn report_json(explorer: &Loaded, name: &str, locale: Locale) -> Value {
    let report = &explorer.report;
    let counts = counts(explorer, locale);
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
    json!({
        "file": name,
        "records_in_file": report.records_in_file,
        "kept": report.records_kept,
        "rejected": report.rejected(),
        "warnings": report.warnings(),
        "summary": report.summary(locale),
        "problems": problems,
        "counts": c,
    })
}

/// A file that cannot be read as a dataset, as `essaimage check --format json` prints it: file and error (title,
/// detail).
pub fn error_json(name: &str, title: &str, detail: &str) -> Value {
    json!({"file": name, "error": {"title": title, "detail": detail}})
}

/// The report as text, as `essaimage check` prints it: the summary, one line per problem, then the counts.
pub fn report_text(explorer: &Loaded, locale: Locale) -> Vec<String> {
    let report = &explorer.report;
    let mut lines = vec![report.summary(locale)];
    lines.extend(report.problems.iter().map(|p| p.describe(locale)));
    for (title, list) in counts(explorer, locale) {
        let items: Vec<String> = list.iter().map(|(_, label, n)| format!("{label} {n}")).collect();
        let sep = if locale == Locale::Fr { " : " } else { ": " };
        lines.push(format!("{title}{sep}{}", if items.is_empty() { "-".to_owned() } else { items.join(", ") }));
    }
    lines
}

pub type Counts = Vec<(String, Vec<(String, String, usize)>)>;

/// The kept records by region of origin (most first, then « none »), stage (in the stage order) and theme (most
/// first): (title, [(id, label, count)]).
pub fn counts(explorer: &Loaded, locale: Locale) -> Counts {
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
