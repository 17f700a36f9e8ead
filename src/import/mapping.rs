//! The mapping file (`--mapping correspondances.toml`): what the tool would not guess.
//!
//! ```toml
//! # Columns never to copy (top-level keys come before the [sections] in TOML).
//! ignore = ["Commentaire interne", "Suivi"]
//!
//! # Column header = field (id, name, summary, commune, commune_insee, postcode, department, region, lat, lon,
//! # themes, stage, scaling_strategies, public_support, carrier_kind, started, sites, url, sources), or "ignore".
//! # A column that looks like personal data is copied only when it is named here.
//! [columns]
//! "Intitulé de l'action" = "name"
//! "Lieu" = "commune"
//!
//! # Value as written in the table = vocabulary id(s) (or labels), per vocabulary.
//! [values.themes]
//! "coworking" = ["emploi-insertion", "numerique"]
//! [values.stage]
//! "En test" = "experimentation"
//!
//! # One value for every row (the column of that field, if any, is not read).
//! [every_row]
//! stage = "experimentation"
//!
//! # The dataset's description (written at the top of the JSON).
//! [dataset]
//! title = "Innovations sociales en Bretagne"
//! license = "Licence Ouverte 2.0"
//! source = "Région Bretagne"
//! source_url = "https://www.bretagne.bzh"
//! updated = "2026-01-15"
//! lang = "fr"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{VocabKind, Vocabularies};
use crate::text::fold_key;
use serde::Deserialize;

use super::columns::Field;
use super::issues::Fatal;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, OneOrMany>>,
    #[serde(default)]
    every_row: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dataset: DatasetMeta,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The dataset's metadata, from the mapping file.
#[derive(Deserialize, Default, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DatasetMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub license: Option<String>,
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub updated: Option<String>,
    /// The language of the texts (`fr` or `en`), written as the dataset's `lang`.
    pub lang: Option<String>,
}

/// Where a column goes, when the mapping says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    Ignore,
}

/// A mapping file, checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mapping {
    /// Header folded ([`fold_key`]) → target.
    columns: Vec<(String, Target)>,
    /// Per vocabulary: value folded → ids.
    values: BTreeMap<VocabKind, Vec<(String, Vec<String>)>>,
    /// One value for every row, as it would be written in a cell.
    pub every_row: Vec<(Field, String)>,
    pub dataset: DatasetMeta,
}

impl Mapping {
    pub fn load(path: &Path) -> Result<Mapping, Fatal> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Fatal::new(format!("impossible de lire {name} : {e}"), format!("cannot read {name}: {e}")))?;
        Mapping::parse(&text, &name)
    }

    pub fn parse(text: &str, name: &str) -> Result<Mapping, Fatal> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let e = e.to_string();
            Fatal::new(
                format!("{name} : fichier de correspondance illisible (TOML) : {e}"),
                format!("{name}: unreadable mapping file (TOML): {e}"),
            )
        })?;
        let bad = |fr: String, en: String| Fatal::new(format!("{name} : {fr}"), format!("{name}: {en}"));
        let fields = Field::ALL.map(Field::key).join(", ");
        let field = |f: &str| {
            Field::from_name(f).ok_or_else(|| {
                bad(
                    format!("champ « {f} » inconnu (champs : {fields})"),
                    format!("unknown field \"{f}\" (fields: {fields})"),
                )
            })
        };
        let mut mapping = Mapping { dataset: raw.dataset, ..Mapping::default() };
        for header in raw.ignore {
            mapping.columns.push((fold_key(&header), Target::Ignore));
        }
        for (header, to) in raw.columns {
            let target = match fold_key(&to).as_str() {
                "ignore" | "ignorer" | "" => Target::Ignore,
                _ => Target::Field(field(&to)?),
            };
            mapping.columns.push((fold_key(&header), target));
        }
        let vocabularies = Vocabularies::builtin();
        for (vocab, entries) in raw.values {
            let kind = field(&vocab)?.vocabulary().ok_or_else(|| {
                bad(
                    format!("[values.{vocab}] : seuls themes, stage, scaling_strategies, public_support et carrier_kind ont des valeurs"),
                    format!("[values.{vocab}]: only themes, stage, scaling_strategies, public_support and carrier_kind have values"),
                )
            })?;
            let v = vocabularies.get(kind);
            for (from, to) in entries {
                let to = match to {
                    OneOrMany::One(s) => vec![s],
                    OneOrMany::Many(list) => list,
                };
                let mut ids = Vec::new();
                for id in to {
                    let found = v.find(&id, kind.synonyms()).ok_or_else(|| {
                        let list = v.entries.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(", ");
                        bad(
                            format!(
                                "[values.{vocab}] « {from} » : « {id} » n'est pas une valeur de {} ({list})",
                                kind.key()
                            ),
                            format!("[values.{vocab}] \"{from}\": \"{id}\" is not a value of {} ({list})", kind.key()),
                        )
                    })?;
                    ids.push(v.id(found).to_owned());
                }
                mapping.values.entry(kind).or_default().push((fold_key(&from), ids));
            }
        }
        for (f, value) in raw.every_row {
            let text = match value {
                toml::Value::String(s) => s,
                toml::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string()))
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            mapping.every_row.push((field(&f)?, text));
        }
        Ok(mapping)
    }

    /// What the mapping says of a column.
    pub fn column(&self, header: &str) -> Option<Target> {
        let key = fold_key(header);
        self.columns.iter().rev().find(|(h, _)| *h == key).map(|(_, t)| *t)
    }

    /// The ids a value of a vocabulary maps to.
    pub fn value(&self, kind: VocabKind, value: &str) -> Option<&[String]> {
        let key = fold_key(value);
        self.values.get(&kind)?.iter().find(|(v, _)| *v == key).map(|(_, ids)| ids.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mapping_file_is_read_and_checked() {
        let m = Mapping::parse(
            r#"
ignore = ["Suivi"]
[columns]
"Intitulé" = "name"
"Contact" = "summary"
"Lieu" = "Commune"
"Vieux" = "ignore"
[values.themes]
"Coworking" = ["emploi-insertion", "Numérique"]
[values.stage]
"En test" = "experimentation"
[every_row]
stage = "Expérimentation"
themes = ["culture", "numerique"]
started = 2020
[dataset]
title = "Innovations"
lang = "en"
"#,
            "m.toml",
        )
        .unwrap();
        assert_eq!(m.column("INTITULÉ"), Some(Target::Field(Field::Name)));
        assert_eq!(m.column("Contact"), Some(Target::Field(Field::Summary)));
        assert_eq!(m.column("lieu"), Some(Target::Field(Field::Commune)));
        assert_eq!(m.column("Suivi"), Some(Target::Ignore));
        assert_eq!(m.column("Vieux"), Some(Target::Ignore));
        assert_eq!(m.column("Autre"), None);
        assert_eq!(m.value(VocabKind::Themes, "coworking"), Some(&["emploi-insertion".into(), "numerique".into()][..]));
        assert_eq!(m.value(VocabKind::Stages, "en test"), Some(&["experimentation".into()][..]));
        assert_eq!(m.every_row.len(), 3);
        assert_eq!(m.dataset.title.as_deref(), Some("Innovations"));
        assert_eq!(m.dataset.lang.as_deref(), Some("en"));
        for bad in [
            "[columns]\n\"A\" = \"nimportequoi\"",
            "[values.themes]\n\"A\" = \"inconnu\"",
            "[values.name]\n\"A\" = \"x\"",
            "[every_row]\nfoo = \"x\"",
            "unknown = 1",
            "[columns",
        ] {
            assert!(Mapping::parse(bad, "m.toml").is_err(), "{bad}");
        }
    }
}
