//! The tool's own messages: what happened to each row, column and value of a table being imported, in French and
//! English, and the fatal errors of the tool (file unreadable, bad mapping). The data report of a dataset file is
//! the core's (`report::Problem`), printed by `check` exactly as the widget prints it.

use crate::i18n::Locale;
use crate::model::{VocabKind, Vocabularies};

/// What became of the row or the value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The row was not imported.
    Rejected,
    /// The row was imported; a value was dropped or changed.
    Warning,
    /// Nothing lost: a column that is not copied, a blank row skipped.
    Note,
}

impl Severity {
    pub fn word(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Severity::Rejected, Locale::Fr) => "ligne rejetée",
            (Severity::Rejected, Locale::En) => "row rejected",
            (Severity::Warning, Locale::Fr) => "avertissement",
            (Severity::Warning, Locale::En) => "warning",
            (Severity::Note, Locale::Fr) => "remarque",
            (Severity::Note, Locale::En) => "note",
        }
    }
}

/// The kind of personal data a column or a value looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Personal {
    Name,
    Email,
    Phone,
    Contact,
}

impl Personal {
    fn fr(self) -> &'static str {
        match self {
            Personal::Name => "un nom de personne",
            Personal::Email => "une adresse e-mail",
            Personal::Phone => "un numéro de téléphone",
            Personal::Contact => "un contact",
        }
    }
    fn en(self) -> &'static str {
        match self {
            Personal::Name => "a person's name",
            Personal::Email => "an e-mail address",
            Personal::Phone => "a phone number",
            Personal::Contact => "a contact",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    // Rows.
    BlankRow,
    MissingName,
    DuplicateId { first_line: usize },
    // Columns (reported on the header row).
    UnknownColumn,
    PersonalColumn(Personal),
    DuplicateColumn { field: &'static str },
    IgnoredColumn,
    ReplacedByMapping { field: &'static str },
    // Values.
    InvalidId { slug: String },
    UnknownValue { vocabulary: VocabKind },
    ExtraValues { kept: String },
    NotAYear,
    YearOutOfRange { year: i64, max: i64 },
    NotACount,
    SchemeAdded { url: String },
    UnsafeUrl,
    TextCut { max: usize, len: usize },
    LineBreaks,
    PersonalValue(Personal),
    // Places.
    ZeroAdded { code: String },
    UnknownInsee,
    HistoricCode { what: &'static str, code: String, name: String },
    NameDiffers { name: String, code: String },
    PostcodeDiffers { commune: String, code: String },
    UnknownPostcode,
    UnknownCommune,
    AmbiguousCommune { count: usize, departments: String },
    FromPostcode { name: String, code: String },
    UnknownDepartment,
    UnknownRegion,
    DepartmentDiffers { given: String, found: String, from: &'static str },
    RegionDiffers { given: String, found: String },
    BadCoordinates,
    CoordinatesOutside,
    CoordinatesSwapped,
    PointElsewhere { point_dep: String, commune: String, commune_dep: String },
    OnlyDepartment { department: String },
    OnlyRegion { region: String },
    NoPlace,
    NotAPoint,
}

/// One thing to say about a table: where (row, column, value) and what.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    /// Row number as a spreadsheet program shows it (the header is usually row 1); `None` for the whole table.
    pub line: Option<usize>,
    /// The column's header as written in the table.
    pub column: Option<String>,
    pub value: Option<String>,
    pub kind: IssueKind,
}

impl Issue {
    pub fn severity(&self) -> Severity {
        match self.kind {
            IssueKind::MissingName | IssueKind::DuplicateId { .. } => Severity::Rejected,
            IssueKind::BlankRow
            | IssueKind::UnknownColumn
            | IssueKind::PersonalColumn(_)
            | IssueKind::IgnoredColumn
            | IssueKind::DuplicateColumn { .. }
            | IssueKind::ReplacedByMapping { .. } => Severity::Note,
            _ => Severity::Warning,
        }
    }

    /// What happened and what to change, in `locale`. A table of messages, one arm per kind, French and English side
    /// by side (the compiler checks that every kind has its two texts).
    pub fn message(&self, locale: Locale) -> String {
        let fr = locale == Locale::Fr;
        let v = self.value.as_deref().map(clip).unwrap_or_default();
        let t = |a: String, b: String| if fr { a } else { b };
        match &self.kind {
            IssueKind::BlankRow => t("ligne vide, ignorée".into(), "blank row, skipped".into()),
            IssueKind::MissingName => t(
                "pas de nom : la ligne n'est pas importée ; donnez un nom à l'innovation".into(),
                "no name: the row is not imported; give the innovation a name".into(),
            ),
            IssueKind::DuplicateId { first_line } => t(
                format!("identifiant « {v} » déjà utilisé ligne {first_line} : la ligne n'est pas importée ; rendez-le unique"),
                format!("id \"{v}\" already used on row {first_line}: the row is not imported; make it unique"),
            ),
            IssueKind::UnknownColumn => t(
                "colonne non reconnue, non copiée (nommez-la dans le fichier de correspondance --mapping si elle doit l'être)".into(),
                "column not recognised, not copied (name it in the --mapping file if it should be)".into(),
            ),
            IssueKind::PersonalColumn(p) => t(
                format!("colonne qui semble contenir {} : données personnelles non copiées (le fichier --mapping peut l'affecter à un champ)", p.fr()),
                format!("column that seems to hold {}: personal data, not copied (the --mapping file can assign it to a field)", p.en()),
            ),
            IssueKind::DuplicateColumn { field } => t(
                format!("deuxième colonne pour « {field} », non copiée : seule la première est lue"),
                format!("second column for \"{field}\", not copied: only the first is read"),
            ),
            IssueKind::IgnoredColumn => t(
                "colonne ignorée par le fichier de correspondance".into(),
                "column ignored by the mapping file".into(),
            ),
            IssueKind::ReplacedByMapping { field } => t(
                format!("colonne non lue : le fichier de correspondance donne « {field} » pour toutes les lignes"),
                format!("column not read: the mapping file gives \"{field}\" for every row"),
            ),
            IssueKind::InvalidId { slug } => t(
                format!("identifiant « {v} » invalide (a-z, 0-9 et « - », 80 caractères au plus), remplacé par « {slug} »"),
                format!("invalid id \"{v}\" (a-z, 0-9 and \"-\", at most 80 characters), replaced by \"{slug}\""),
            ),
            IssueKind::UnknownValue { vocabulary } => {
                let vocab = Vocabularies::builtin();
                let allowed: Vec<&str> = vocab.get(*vocabulary).entries.iter().map(|e| e.label.get(locale)).collect();
                let allowed = allowed.join(", ");
                let field = super::columns::Field::ALL
                    .into_iter()
                    .find(|f| f.vocabulary() == Some(*vocabulary))
                    .map_or("", |f| f.header(locale));
                t(
                    format!("valeur « {v} » inconnue pour « {field} », ignorée : valeurs possibles : {allowed} (ou une correspondance dans --mapping)"),
                    format!("unknown value \"{v}\" for \"{field}\", ignored: possible values: {allowed} (or a mapping in --mapping)"),
                )
            }
            IssueKind::ExtraValues { kept } => t(
                format!("une seule valeur attendue dans « {v} » : « {kept} » est gardée"),
                format!("a single value expected in \"{v}\": \"{kept}\" is kept"),
            ),
            IssueKind::NotAYear => t(
                format!("« {v} » n'est pas une année, ignorée : écrivez-la sur 4 chiffres (2014)"),
                format!("\"{v}\" is not a year, ignored: write it with 4 digits (2014)"),
            ),
            IssueKind::YearOutOfRange { year, max } => t(
                format!("année {year} ignorée : indiquez une année entre 1800 et {max}"),
                format!("year {year} ignored: give a year between 1800 and {max}"),
            ),
            IssueKind::NotACount => t(
                format!("« {v} » n'est pas un nombre de sites, ignoré : écrivez un entier positif ou nul"),
                format!("\"{v}\" is not a number of sites, ignored: write a whole number of zero or more"),
            ),
            IssueKind::SchemeAdded { url } => t(
                format!("adresse « {v} » sans http:// ni https:// : lue comme « {url} »"),
                format!("address \"{v}\" without http:// or https://: read as \"{url}\""),
            ),
            IssueKind::UnsafeUrl => t(
                format!("adresse « {v} » ignorée : seules les adresses web http:// ou https:// sont acceptées"),
                format!("address \"{v}\" ignored: only http:// or https:// web addresses are accepted"),
            ),
            IssueKind::TextCut { max, len } => t(
                format!("texte de {len} caractères coupé à {max} : raccourcissez-le"),
                format!("text of {len} characters cut at {max}: shorten it"),
            ),
            IssueKind::LineBreaks => t(
                "retours à la ligne remplacés par des espaces".into(),
                "line breaks replaced by spaces".into(),
            ),
            IssueKind::PersonalValue(p) => t(
                format!("le texte semble contenir {} (« {v} ») : vérifiez qu'il peut être publié", p.fr()),
                format!("the text seems to hold {} (\"{v}\"): check that it may be published", p.en()),
            ),
            IssueKind::ZeroAdded { code } => t(
                format!("code « {v} » lu comme « {code} » (le zéro initial perdu par le tableur est rétabli)"),
                format!("code \"{v}\" read as \"{code}\" (the leading zero the spreadsheet dropped is restored)"),
            ),
            IssueKind::UnknownInsee => t(
                format!("code commune INSEE « {v} » introuvable dans le Code officiel géographique 2026, ignoré"),
                format!("INSEE municipality code \"{v}\" not found in the 2026 official geographic code, ignored"),
            ),
            IssueKind::HistoricCode { what, code, name } => t(
                format!("« {v} » désigne {} : remplacé par la commune actuelle, {name} ({code})", what_fr(what)),
                format!("\"{v}\" names {}: replaced by the current municipality, {name} ({code})", what_en(what)),
            ),
            IssueKind::NameDiffers { name, code } => t(
                format!("la commune « {v} » ne correspond pas au code {code} ({name}) : le code est retenu"),
                format!("municipality \"{v}\" does not match code {code} ({name}): the code wins"),
            ),
            IssueKind::PostcodeDiffers { commune, code } => t(
                format!("le code postal {v} n'est pas celui de {commune} ({code}) : la commune est retenue"),
                format!("postcode {v} is not the one of {commune} ({code}): the municipality wins"),
            ),
            IssueKind::UnknownPostcode => t(
                format!("code postal « {v} » inconnu, ignoré"),
                format!("unknown postcode \"{v}\", ignored"),
            ),
            IssueKind::UnknownCommune => t(
                format!("commune « {v} » introuvable : vérifiez l'orthographe ou ajoutez le code INSEE"),
                format!("municipality \"{v}\" not found: check its spelling or add the INSEE code"),
            ),
            IssueKind::AmbiguousCommune { count, departments } => t(
                format!("{count} communes s'appellent « {v} » (départements {departments}) : ajoutez le département, le code postal ou le code INSEE"),
                format!("{count} municipalities are called \"{v}\" (departments {departments}): add the department, the postcode or the INSEE code"),
            ),
            IssueKind::FromPostcode { name, code } => t(
                format!("commune déduite du code postal {v} : {name} ({code})"),
                format!("municipality taken from postcode {v}: {name} ({code})"),
            ),
            IssueKind::UnknownDepartment => t(
                format!("département « {v} » inconnu, ignoré : utilisez le code INSEE (« 35 », « 2A », « 974 ») ou le nom"),
                format!("unknown department \"{v}\", ignored: use the INSEE code (\"35\", \"2A\", \"974\") or the name"),
            ),
            IssueKind::UnknownRegion => t(
                format!("région « {v} » inconnue, ignorée : utilisez le code INSEE (« 53 ») ou le nom"),
                format!("unknown region \"{v}\", ignored: use the INSEE code (\"53\") or the name"),
            ),
            IssueKind::DepartmentDiffers { given, found, from } => t(
                format!("le département indiqué ({given}) ne correspond pas {}, dans le {found} : {}", from_fr(from), from_fr_short(from)),
                format!("the department given ({given}) does not match the {from}, which lies in {found}: the {from} wins"),
            ),
            IssueKind::RegionDiffers { given, found } => t(
                format!("la région indiquée ({given}) ne correspond pas au lieu, situé en région {found} : le lieu est retenu"),
                format!("the region given ({given}) does not match the place, which lies in region {found}: the place wins"),
            ),
            IssueKind::BadCoordinates => t(
                format!("coordonnées « {v} » illisibles, ignorées : latitude et longitude en degrés décimaux (47.81, -1.94)"),
                format!("unreadable coordinates \"{v}\", ignored: latitude and longitude in decimal degrees (47.81, -1.94)"),
            ),
            IssueKind::CoordinatesOutside => t(
                format!("coordonnées ({v}) hors de France et des départements d'outre-mer, ignorées : WGS84 en degrés décimaux attendu (pas de Lambert 93)"),
                format!("coordinates ({v}) outside France and its overseas departments, ignored: WGS84 decimal degrees expected (not Lambert 93)"),
            ),
            IssueKind::CoordinatesSwapped => t(
                format!("latitude et longitude inversées ({v}) : remises dans l'ordre"),
                format!("latitude and longitude swapped ({v}): put back in order"),
            ),
            IssueKind::PointElsewhere { point_dep, commune, commune_dep } => t(
                format!("le point ({v}) est dans le {point_dep}, la commune {commune} dans le {commune_dep} : le point est retenu, comme le fait le widget"),
                format!("the point ({v}) lies in {point_dep}, municipality {commune} in {commune_dep}: the point wins, as in the widget"),
            ),
            IssueKind::OnlyDepartment { department } => t(
                format!("lieu connu seulement par son département ({department}) : placé au centre du département"),
                format!("place known only by its department ({department}): put at the department's centre"),
            ),
            IssueKind::OnlyRegion { region } => t(
                format!("lieu connu seulement par sa région ({region}) : placé au centre de la région"),
                format!("place known only by its region ({region}): put at the region's centre"),
            ),
            IssueKind::NoPlace => t(
                "aucun lieu utilisable : l'innovation est listée mais pas sur la carte".into(),
                "no usable place: the innovation is listed but not on the map".into(),
            ),
            IssueKind::NotAPoint => t(
                "géométrie qui n'est pas un point, ignorée : le lieu est pris dans les propriétés".into(),
                "geometry that is not a point, ignored: the place is taken from the properties".into(),
            ),
        }
    }

    /// One line for the terminal: where, then what.
    pub fn describe(&self, locale: Locale) -> String {
        let fr = locale == Locale::Fr;
        let mut at = match self.line {
            Some(l) => format!("{} {l}", if fr { "ligne" } else { "row" }),
            None => String::from(if fr { "tableau" } else { "table" }),
        };
        if let Some(c) = &self.column {
            if fr {
                at.push_str(&format!(", colonne « {c} »"));
            } else {
                at.push_str(&format!(", column \"{c}\""));
            }
        }
        let sep = if fr { " : " } else { ": " };
        format!("{at} — {}{sep}{}", self.severity().word(locale), self.message(locale))
    }
}

fn what_fr(what: &str) -> &'static str {
    match what {
        "arrondissement" => "un arrondissement municipal",
        "deleguee" => "une commune déléguée",
        "associee" => "une commune associée",
        _ => "une ancienne commune",
    }
}

fn what_en(what: &str) -> &'static str {
    match what {
        "arrondissement" => "a municipal arrondissement",
        "deleguee" => "a delegated municipality (commune déléguée)",
        "associee" => "an associated municipality (commune associée)",
        _ => "a former municipality",
    }
}

fn from_fr(from: &str) -> &'static str {
    match from {
        "point" => "au point",
        "postcode" => "au code postal",
        _ => "à la commune",
    }
}

fn from_fr_short(from: &str) -> &'static str {
    match from {
        "point" => "le point est retenu",
        "postcode" => "le code postal est retenu",
        _ => "la commune est retenue",
    }
}

/// Long values are cut in messages (the cell is in the table).
pub fn clip(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > 80 {
        format!("{}…", flat.chars().take(79).collect::<String>())
    } else {
        flat
    }
}

/// A failure that stops the tool (exit code 2): a file it cannot read, a mapping it cannot use.
#[derive(Clone, Debug, PartialEq)]
pub struct Fatal {
    pub fr: String,
    pub en: String,
}

impl Fatal {
    pub fn new(fr: impl Into<String>, en: impl Into<String>) -> Fatal {
        Fatal { fr: fr.into(), en: en.into() }
    }

    pub fn message(&self, locale: Locale) -> &str {
        match locale {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        }
    }
}
