//! What can go wrong with a dataset, said so that a webmaster knows what to change.
//!
//! [`LoadError`] is fatal (nothing to show); [`Problem`]s are per record or per value and never stop the valid
//! records from being shown. Every message names the place (URL, line, record index and id, field) and the fix.

use crate::i18n::Locale;

/// A problem with one record or one value; the record index and id locate it in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Position in the `innovations` array (0-based), or `None` for document-level problems.
    pub index: Option<usize>,
    pub id: Option<String>,
    /// JSON path of the field inside the record (`themes`, `origin.lon`, `sources[2]`).
    pub field: String,
    pub kind: ProblemKind,
}

/// Whether the record was dropped or kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The whole record was left out.
    Rejected,
    /// The record was kept; a value was dropped or changed.
    Warning,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ProblemKind {
    // Record rejected.
    RecordNotObject,
    MissingId,
    InvalidId(String),
    MissingName,
    InvalidName,
    DuplicateId {
        first_index: usize,
    },
    // Value dropped or changed, record kept.
    WrongType {
        expected: &'static str,
    },
    UnknownVocabulary {
        vocabulary: &'static str,
        value: String,
    },
    CoordinatesOutside {
        lon: f64,
        lat: f64,
    },
    CoordinatesNotNumbers,
    UnsafeUrl(String),
    YearOutOfRange {
        year: i64,
        max: i64,
    },
    NegativeSites(i64),
    TextTooLong {
        max: usize,
        len: usize,
    },
    UnknownField(String),
    DuplicateKey(String),
    UnknownDepartment(String),
    UnknownRegion(String),
    UnknownCommune(String),
    /// A postcode that no commune has, or that is not five digits.
    UnknownPostcode(String),
    /// A commune name that the commune table does not know (in the department given, if any).
    UnknownCommuneName {
        name: String,
        department: Option<String>,
    },
    /// A commune name that several communes have, with nothing to tell them apart.
    AmbiguousCommuneName {
        name: String,
        count: usize,
    },
    /// A commune name found, but in other departments than the one given (which is kept).
    CommuneNotInDepartment {
        name: String,
        given: String,
        found: String,
    },
    /// A postcode that none of the communes of that name has (the commune is found by its name).
    PostcodeMismatch {
        postcode: String,
        name: String,
    },
    DepartmentMismatch {
        given: String,
        found: String,
    },
    RegionMismatch {
        given: String,
        found: String,
    },
    CommuneTableUnavailable(String),
    InvalidDate(String),
    /// `lang` is not a language tag.
    InvalidLanguage(String),
    InvalidVocabularyEntry,
    /// `noun` is not `{"fr": [singular, plural], "en": [singular, plural]}`.
    InvalidNoun,
}

impl ProblemKind {
    pub fn severity(&self) -> Severity {
        match self {
            ProblemKind::RecordNotObject
            | ProblemKind::MissingId
            | ProblemKind::InvalidId(_)
            | ProblemKind::MissingName
            | ProblemKind::InvalidName
            | ProblemKind::DuplicateId { .. } => Severity::Rejected,
            _ => Severity::Warning,
        }
    }

    /// What is wrong and what to change, in `locale`.
    ///
    /// Long on purpose: a table of messages, one arm per kind, each its French and English text side by side.
    /// Kept in one `match` so that the compiler checks every kind has its message and a translator reads both
    /// languages together; splitting it would only scatter the table.
    pub fn message(&self, locale: Locale) -> String {
        let fr = locale == Locale::Fr;
        match self {
            ProblemKind::RecordNotObject => pick(
                fr,
                "la fiche n'est pas un objet JSON : écrivez-la entre accolades { … }".into(),
                "the record is not a JSON object: write it between braces { … }".into(),
            ),
            ProblemKind::MissingId => pick(
                fr,
                "« id » manquant : donnez à chaque fiche un identifiant unique (minuscules, chiffres, tirets)".into(),
                "missing \"id\": give every record a unique identifier (lower-case letters, digits, hyphens)".into(),
            ),
            ProblemKind::InvalidId(id) => pick(
                fr,
                format!(
                    "identifiant « {} » invalide : utilisez 1 à 80 caractères parmi a-z, 0-9 et « - », sans tiret \
                     au début",
                    clip(id)
                ),
                format!(
                    "invalid id \"{}\": use 1 to 80 characters from a-z, 0-9 and \"-\", not starting with \"-\"",
                    clip(id)
                ),
            ),
            ProblemKind::MissingName => pick(
                fr,
                "« name » manquant : chaque fiche doit avoir un nom".into(),
                "missing \"name\": every record needs a name".into(),
            ),
            ProblemKind::InvalidName => pick(
                fr,
                "« name » vide ou qui n'est pas un texte : donnez un nom de 1 à 200 caractères".into(),
                "\"name\" is empty or not a string: give a name of 1 to 200 characters".into(),
            ),
            ProblemKind::DuplicateId { first_index } => pick(
                fr,
                format!(
                    "identifiant déjà utilisé par la fiche n° {} (seule la première est gardée) : rendez-le unique",
                    first_index + 1
                ),
                format!(
                    "id already used by record #{} (only the first is kept): make it unique",
                    first_index + 1
                ),
            ),
            ProblemKind::WrongType { expected } => pick(
                fr,
                format!("valeur ignorée : {} attendu", expected_fr(expected)),
                format!("value ignored: expected {expected}"),
            ),
            ProblemKind::UnknownVocabulary { vocabulary, value } => pick(
                fr,
                format!(
                    "valeur « {} » inconnue du vocabulaire « {vocabulary} », ignorée : utilisez un identifiant de \
                     la liste, ou déclarez-le dans « vocabularies.{vocabulary} »",
                    clip(value)
                ),
                format!(
                    "unknown value \"{}\" for vocabulary \"{vocabulary}\", ignored: use an id from the list, or \
                     declare it in \"vocabularies.{vocabulary}\"",
                    clip(value)
                ),
            ),
            ProblemKind::CoordinatesOutside { lon, lat } => pick(
                fr,
                format!(
                    "coordonnées ({}, {}) hors de France et des départements d'outre-mer, ignorées : \
                     vérifiez l'ordre (lon puis lat) et le système (WGS84, degrés décimaux)",
                    coord(*lon),
                    coord(*lat)
                ),
                format!(
                    "coordinates ({}, {}) are outside France and its overseas departments, ignored: check \
                     the order (lon, then lat) and the system (WGS84, decimal degrees)",
                    coord(*lon),
                    coord(*lat)
                ),
            ),
            ProblemKind::CoordinatesNotNumbers => pick(
                fr,
                "« lon » et « lat » doivent être deux nombres (WGS84, degrés décimaux), coordonnées ignorées".into(),
                "\"lon\" and \"lat\" must both be numbers (WGS84, decimal degrees), coordinates ignored".into(),
            ),
            ProblemKind::UnsafeUrl(url) => pick(
                fr,
                format!(
                    "adresse « {} » ignorée : seules les adresses absolues http:// ou https:// (2 048 caractères au plus) sont acceptées",
                    clip(url)
                ),
                format!("address \"{}\" ignored: only absolute http:// or https:// addresses (at most 2,048 characters) are accepted", clip(url)),
            ),
            ProblemKind::YearOutOfRange { year, max } => pick(
                fr,
                format!("année {year} ignorée : indiquez une année entre 1800 et {max}"),
                format!("year {year} ignored: give a year between 1800 and {max}"),
            ),
            ProblemKind::NegativeSites(n) => pick(
                fr,
                format!("nombre de sites {n} ignoré : indiquez un entier positif ou nul"),
                format!("number of sites {n} ignored: give a whole number of zero or more"),
            ),
            ProblemKind::TextTooLong { max, len } => pick(
                fr,
                format!("texte de {len} caractères coupé à {max} : raccourcissez-le"),
                format!("text of {len} characters cut at {max}: shorten it"),
            ),
            ProblemKind::UnknownField(name) => pick(
                fr,
                format!("champ « {} » inconnu, ignoré (vérifiez l'orthographe s'il devait être lu)", clip(name)),
                format!("unknown field \"{}\", ignored (check its spelling if it was meant to be read)", clip(name)),
            ),
            ProblemKind::DuplicateKey(name) => pick(
                fr,
                format!("champ « {} » écrit deux fois au même endroit : seule la dernière valeur est lue", clip(name)),
                format!("field \"{}\" appears twice in the same object: only the last value is read", clip(name)),
            ),
            ProblemKind::UnknownDepartment(code) => pick(
                fr,
                format!("code de département « {} » inconnu, ignoré : utilisez le code INSEE (« 35 », « 2A », « 974 »)", clip(code)),
                format!("unknown department code \"{}\", ignored: use the INSEE code (\"35\", \"2A\", \"974\")", clip(code)),
            ),
            ProblemKind::UnknownRegion(code) => pick(
                fr,
                format!("code de région « {} » inconnu, ignoré : utilisez le code INSEE (« 53 », « 04 »)", clip(code)),
                format!("unknown region code \"{}\", ignored: use the INSEE code (\"53\", \"04\")", clip(code)),
            ),
            ProblemKind::UnknownCommune(code) => pick(
                fr,
                format!("code commune INSEE « {} » introuvable dans le Code officiel géographique 2026", clip(code)),
                format!("INSEE municipality code \"{}\" not found in the 2026 official geographic code", clip(code)),
            ),
            ProblemKind::UnknownPostcode(code) => pick(
                fr,
                format!("code postal « {} » inconnu, ignoré : écrivez les cinq chiffres (« 35000 »)", clip(code)),
                format!("unknown postcode \"{}\", ignored: write its five digits (\"35000\")", clip(code)),
            ),
            ProblemKind::UnknownCommuneName { name, department } => {
                let (dep_fr, dep_en) = match department {
                    Some(d) => (format!(" dans le département {d}"), format!(" in department {d}")),
                    None => (String::new(), String::new()),
                };
                pick(
                    fr,
                    format!("commune « {} » introuvable{dep_fr} : vérifiez son orthographe ou donnez son code INSEE (commune_insee) ; le lieu est placé au mieux (département, région)", clip(name)),
                    format!("municipality \"{}\" not found{dep_en}: check its spelling or give its INSEE code (commune_insee); the place is put as well as possible (department, region)", clip(name)),
                )
            }
            ProblemKind::AmbiguousCommuneName { name, count } => pick(
                fr,
                format!("{count} communes s'appellent « {} » : ajoutez le département, le code postal ou le code INSEE pour la placer", clip(name)),
                format!("{count} municipalities are called \"{}\": add the department, the postcode or the INSEE code to place it", clip(name)),
            ),
            ProblemKind::CommuneNotInDepartment { name, given, found } => pick(
                fr,
                format!("la commune « {} » n'est pas dans le département {given} mais dans : {found} ; le département indiqué est retenu, corrigez l'un ou l'autre", clip(name)),
                format!("municipality \"{}\" is not in department {given} but in: {found}; the department given is kept, correct one or the other", clip(name)),
            ),
            ProblemKind::PostcodeMismatch { postcode, name } => pick(
                fr,
                format!("le code postal {postcode} n'est pas celui de « {} » : la commune est placée par son nom, corrigez le code postal", clip(name)),
                format!("postcode {postcode} is not that of \"{}\": the municipality is placed by its name, correct the postcode", clip(name)),
            ),
            ProblemKind::DepartmentMismatch { given, found } => pick(
                fr,
                format!("le département indiqué ({given}) ne correspond pas au point, situé dans le {found} : le point est retenu"),
                format!("the department given ({given}) does not match the point, which lies in {found}: the point wins"),
            ),
            ProblemKind::RegionMismatch { given, found } => pick(
                fr,
                format!("la région indiquée ({given}) ne correspond pas au lieu, situé en région {found} : le lieu est retenu"),
                format!("the region given ({given}) does not match the place, which lies in region {found}: the place wins"),
            ),
            ProblemKind::CommuneTableUnavailable(why) => pick(
                fr,
                format!("table des communes indisponible ({why}) : les lieux donnés par code commune sont placés au centre de leur département"),
                format!("municipality table unavailable ({why}): places given by municipality code are put at their department's centre"),
            ),
            ProblemKind::InvalidDate(d) => pick(
                fr,
                format!("date « {} » ignorée : écrivez-la AAAA-MM-JJ", clip(d)),
                format!("date \"{}\" ignored: write it YYYY-MM-DD", clip(d)),
            ),
            ProblemKind::InvalidLanguage(l) => pick(
                fr,
                format!("langue « {} » ignorée : écrivez \"fr\" ou \"en\", la langue des textes du jeu de données (sans elle, ils sont lus comme du français)", clip(l)),
                format!("language \"{}\" ignored: write \"fr\" or \"en\", the language of the dataset's texts (without it, they are taken as French)", clip(l)),
            ),
            ProblemKind::InvalidNoun => pick(
                fr,
                "« noun » ignoré : il doit nommer ce que liste le jeu de données au singulier et au pluriel, par \
                 exemple {\"fr\": [\"tiers-lieu\", \"tiers-lieux\"], \"en\": [\"third place\", \"third places\"]} \
                 (mots non vides, 100 caractères au plus)"
                    .into(),
                "\"noun\" ignored: it must name what the dataset lists, singular and plural, e.g. {\"fr\": \
                 [\"tiers-lieu\", \"tiers-lieux\"], \"en\": [\"third place\", \"third places\"]} (non-empty words, \
                 at most 100 characters)"
                    .into(),
            ),
            ProblemKind::InvalidVocabularyEntry => pick(
                fr,
                "entrée de vocabulaire ignorée : écrivez {\"id\": \"…\", \"label\": {\"fr\": \"…\", \"en\": \"…\"}}".into(),
                "vocabulary entry ignored: write {\"id\": \"…\", \"label\": {\"fr\": \"…\", \"en\": \"…\"}}".into(),
            ),
        }
    }
}

impl Problem {
    /// One line: where, then what and how to fix.
    pub fn describe(&self, locale: Locale) -> String {
        let fr = locale == Locale::Fr;
        let mut at = String::new();
        if let Some(i) = self.index {
            at.push_str(&pick(fr, format!("fiche n° {}", i + 1), format!("record #{}", i + 1)));
            if let Some(id) = &self.id {
                at.push_str(&format!(" ({})", clip(id)));
            }
        } else {
            at.push_str("document");
        }
        if !self.field.is_empty() {
            let (open, close) = if fr { ("« ", " »") } else { ("\"", "\"") };
            at.push_str(&format!(", {open}{}{close}", self.field));
        }
        let verdict = match (self.kind.severity(), fr) {
            (Severity::Rejected, true) => "fiche rejetée",
            (Severity::Rejected, false) => "record rejected",
            (Severity::Warning, true) => "avertissement",
            (Severity::Warning, false) => "warning",
        };
        let sep = if fr { " : " } else { ": " };
        format!("{at} — {verdict}{sep}{}", self.kind.message(locale))
    }
}

/// Everything validation and place resolution had to say about a dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataReport {
    pub problems: Vec<Problem>,
    /// Records in the file, valid or not.
    pub records_in_file: usize,
    /// Records kept.
    pub records_kept: usize,
}

impl DataReport {
    pub fn rejected(&self) -> usize {
        self.records_in_file - self.records_kept
    }

    pub fn warnings(&self) -> usize {
        self.problems.iter().filter(|p| p.kind.severity() == Severity::Warning).count()
    }

    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// A one-line summary, for the console and the data panel.
    pub fn summary(&self, locale: Locale) -> String {
        match locale {
            Locale::Fr => format!(
                "Essaimage : {} fiche(s) lue(s), {} gardée(s), {} rejetée(s), {} avertissement(s).",
                self.records_in_file,
                self.records_kept,
                self.rejected(),
                self.warnings()
            ),
            Locale::En => format!(
                "Essaimage: {} record(s) read, {} kept, {} rejected, {} warning(s).",
                self.records_in_file,
                self.records_kept,
                self.rejected(),
                self.warnings()
            ),
        }
    }
}

/// What a dataset of the wrong shape is instead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A top-level array: a list of records, as many exports are.
    List,
    /// Another JSON value at the top level (a string, a number…).
    NotObject,
    NoInnovations,
    InnovationsNotArray,
}

/// A failure that leaves nothing to show. Rendered in the widget's alert box.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// The server answered with an error status.
    Http { url: String, status: u16 },
    /// No answer: network down, CORS refusal, blocked by CSP `connect-src`, DNS…
    Network { url: String, detail: String },
    /// The answer is not JSON.
    NotJson { url: String, line: usize, column: usize, detail: String, looks_like_html: bool },
    /// JSON, but not an object with an `innovations` array.
    WrongShape { url: String, shape: Shape },
    /// `schema` names another major version.
    UnsupportedSchema { url: String, found: String },
    /// Larger than the configured limit.
    /// `bytes` is `None` when the server gave no size and the download was stopped at the limit.
    TooLarge { url: String, bytes: Option<u64>, limit: u64 },
    /// No dataset URL was given to the widget.
    NoDataset,
    /// The widget's own reference data could not be read (installation problem).
    BaseData { url: String, detail: String },
    /// A packed dataset (`essaimage pack`) that could not be read. Only in the builds that read packs: the JSON
    /// widget's wasm carries neither the reader nor its messages.
    #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
    Pack { url: String, error: crate::pack::PackError },
}

impl LoadError {
    /// What happened and what to do, as (title, explanation) in `locale`.
    pub fn message(&self, locale: Locale) -> (String, String) {
        let fr = locale == Locale::Fr;
        match self {
            LoadError::Http { url, status } => (
                pick(fr, format!("Le jeu de données est introuvable (erreur HTTP {status})"), format!("The dataset could not be loaded (HTTP error {status})")),
                match (*status, fr) {
                    (404, true) => format!("Le serveur répond « 404 non trouvé » pour {url}. Vérifiez l'adresse dans l'attribut data-dataset et que le fichier est bien publié."),
                    (404, false) => format!("The server answers \"404 not found\" for {url}. Check the address in the data-dataset attribute and that the file is published."),
                    (_, true) => format!("Le serveur a répondu {status} pour {url}. Réessayez plus tard ; si l'erreur persiste, contactez l'administrateur du serveur qui publie ce fichier."),
                    (_, false) => format!("The server answered {status} for {url}. Try again later; if it persists, contact the administrator of the server publishing this file."),
                },
            ),
            LoadError::Network { url, detail } => (
                pick(fr, "Le jeu de données n'a pas pu être téléchargé".into(), "The dataset could not be downloaded".into()),
                pick(
                    fr,
                    format!("Aucune réponse lisible pour {url} ({detail}). Vérifiez la connexion ; si le fichier est sur un autre domaine que la page, ce serveur doit autoriser CORS (en-tête Access-Control-Allow-Origin) et la politique de sécurité (CSP) de la page doit l'autoriser dans connect-src."),
                    format!("No readable answer for {url} ({detail}). Check the connection; if the file is on another domain than the page, that server must allow CORS (Access-Control-Allow-Origin header) and the page's Content-Security-Policy must allow it in connect-src."),
                ),
            ),
            LoadError::NotJson { url, line, column, detail, looks_like_html } => (
                pick(fr, "Le jeu de données n'est pas un JSON valide".into(), "The dataset is not valid JSON".into()),
                if *looks_like_html {
                    pick(
                        fr,
                        format!("{url} renvoie une page HTML au lieu de JSON : l'adresse mène sans doute à une page d'erreur ou de connexion. Vérifiez l'adresse du fichier."),
                        format!("{url} returns an HTML page instead of JSON: the address probably leads to an error or login page. Check the file's address."),
                    )
                } else if (*line, *column) == (1, 0) {
                    pick(
                        fr,
                        format!("{url} est vide. Vérifiez que le fichier est bien publié en entier."),
                        format!("{url} is empty. Check that the whole file is published."),
                    )
                } else {
                    pick(
                        fr,
                        format!("Erreur de syntaxe ligne {line}, colonne {column} de {url} ({}). Corrigez le fichier, par exemple avec un validateur JSON.", cause_fr(detail)),
                        format!("Syntax error at line {line}, column {column} of {url} ({detail}). Fix the file, e.g. with a JSON validator."),
                    )
                },
            ),
            LoadError::WrongShape { url, shape } => {
                let (found_fr, found_en) = match shape {
                    Shape::List => (
                        "le fichier est une liste [ … ] de fiches ; mettez-la dans un objet : {\"schema\": \"essaimage/1\", \"innovations\": [ … ]}",
                        "the file is a list [ … ] of records; put it in an object: {\"schema\": \"essaimage/1\", \"innovations\": [ … ]}",
                    ),
                    Shape::NotObject => ("le fichier n'est pas un objet { … }", "the file is not an object { … }"),
                    Shape::NoInnovations => ("il n'a pas de champ « innovations »", "it has no \"innovations\" field"),
                    Shape::InnovationsNotArray => {
                        ("son champ « innovations » n'est pas une liste [ … ]", "its \"innovations\" field is not a list [ … ]")
                    }
                };
                (
                    pick(fr, "Le jeu de données n'a pas la forme attendue".into(), "The dataset does not have the expected shape".into()),
                    pick(
                        fr,
                        format!("{url} : {found_fr}. Le fichier doit être un objet JSON avec une liste « innovations » (voir docs/DATASET.md et le schéma essaimage-1.schema.json)."),
                        format!("{url}: {found_en}. The file must be a JSON object with an \"innovations\" list (see docs/DATASET.md and the essaimage-1.schema.json schema)."),
                    ),
                )
            }
            LoadError::UnsupportedSchema { url, found } => (
                pick(fr, "Version de format non prise en charge".into(), "Unsupported format version".into()),
                pick(
                    fr,
                    format!("{url} déclare « schema » : « {} » ; cette version du widget lit « essaimage/1 ». Mettez le widget à jour ou convertissez le fichier.", clip(found)),
                    format!("{url} declares \"schema\": \"{}\"; this version of the widget reads \"essaimage/1\". Update the widget or convert the file.", clip(found)),
                ),
            ),
            LoadError::TooLarge { url, bytes, limit } => (
                pick(fr, "Le jeu de données est trop volumineux".into(), "The dataset is too large".into()),
                pick(
                    fr,
                    match bytes {
                        Some(b) => format!("{url} pèse {} Mo, au-delà de la limite de {} Mo. Réduisez le fichier ou relevez la limite avec l'attribut data-max-mb.", megabytes(*b, ','), megabytes(*limit, ',')),
                        None => format!("{url} dépasse la limite de {} Mo (téléchargement arrêté). Réduisez le fichier ou relevez la limite avec l'attribut data-max-mb.", megabytes(*limit, ',')),
                    },
                    match bytes {
                        Some(b) => format!("{url} is {} MB, over the {} MB limit. Reduce the file or raise the limit with the data-max-mb attribute.", megabytes(*b, '.'), megabytes(*limit, '.')),
                        None => format!("{url} is over the {} MB limit (download stopped). Reduce the file or raise the limit with the data-max-mb attribute.", megabytes(*limit, '.')),
                    },
                ),
            ),
            LoadError::NoDataset => (
                pick(fr, "Aucun jeu de données indiqué".into(), "No dataset given".into()),
                pick(
                    fr,
                    "Ajoutez l'adresse du fichier JSON dans l'attribut data-dataset, par exemple data-dataset=\"innovations.json\".".into(),
                    "Add the JSON file's address in the data-dataset attribute, e.g. data-dataset=\"innovations.json\".".into(),
                ),
            ),
            LoadError::BaseData { url, detail } => (
                pick(fr, "Les données de référence du widget sont illisibles".into(), "The widget's reference data cannot be read".into()),
                pick(
                    fr,
                    format!("{url} ({detail}). Copiez tout le dossier du widget (y compris data/) à côté de essaimage.js."),
                    format!("{url} ({detail}). Copy the whole widget folder (including data/) next to essaimage.js."),
                ),
            ),
            #[cfg(any(not(target_arch = "wasm32"), feature = "packed", feature = "check"))]
            LoadError::Pack { url, error } => error.message(url, locale),
        }
    }
}

/// Megabytes with one decimal, rounded up so that a file over the limit never reads as equal to it
/// (2,500,000 bytes → « 2,5 »; 2,000,001 → « 2,1 »; 50,000,000 → « 50 »).
fn megabytes(bytes: u64, decimal_sep: char) -> String {
    let tenths = bytes.div_ceil(100_000);
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        d => format!("{}{decimal_sep}{d}", tenths / 10),
    }
}

/// The JSON reader's causes (`json::Error::cause`, in `serde_json`'s English words), in French.
fn cause_fr(cause: &str) -> &str {
    match cause {
        "EOF while parsing a list" => "fin du fichier au milieu d'un tableau",
        "EOF while parsing a string" => "fin du fichier au milieu d'un texte",
        "EOF while parsing a value" => "fin du fichier à la place d'une valeur",
        "EOF while parsing an object" => "fin du fichier au milieu d'un objet",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            "caractère de contrôle (saut de ligne, tabulation…) non échappé dans un texte"
        }
        "expected `,` or `]`" => "« , » ou « ] » attendu",
        "expected `,` or `}`" => "« , » ou « } » attendu",
        "expected `:`" => "« : » attendu",
        "expected an array" | "expected an object" | "expected value" | "expected ident" => "valeur invalide",
        "invalid escape" => "séquence d'échappement « \\ » invalide",
        "invalid number" => "nombre invalide",
        "key must be a string" => "une clé doit être un texte entre guillemets",
        "lone surrogate in hex escape" | "unexpected end of hex escape" => "échappement « \\u » invalide",
        "recursion limit exceeded" => "plus de 127 tableaux ou objets imbriqués",
        "trailing characters" => "caractères après la fin du document",
        "trailing comma" => "virgule en trop avant la fermeture",
        other => other,
    }
}

fn pick(fr: bool, a: String, b: String) -> String {
    if fr {
        a
    } else {
        b
    }
}

fn expected_fr(expected: &str) -> &'static str {
    match expected {
        "string" => "un texte",
        "integer" => "un nombre entier",
        "number" => "un nombre",
        "array" => "un tableau",
        "object" => "un objet",
        "array of strings" => "un tableau de textes",
        _ => "une autre valeur",
    }
}

/// Writes a coordinate with at most 5 decimals without `f64`'s `Display`, whose float-formatting code (docs/SIZE.md)
/// nothing else in the widget needs.
pub fn coord(v: f64) -> String {
    let scaled = (v * 100_000.0).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let a = scaled.unsigned_abs();
    let mut s = format!("{sign}{}.{:05}", a / 100_000, a % 100_000);
    while s.ends_with('0') {
        s.pop();
    }
    if s.ends_with('.') {
        s.pop();
    }
    s
}

/// Keeps quoted dataset values short in messages (a dataset value may be of any length).
fn clip(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let mut c: String = s.chars().take(MAX).collect();
        c.push('…');
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_over_the_limit_never_read_as_the_limit() {
        assert_eq!(megabytes(2_500_000, ','), "2,5");
        assert_eq!(megabytes(2_000_001, ','), "2,1");
        assert_eq!(megabytes(50_000_000, '.'), "50");
        let e = LoadError::TooLarge { url: "d.json".into(), bytes: Some(2_500_000), limit: 2_000_000 };
        assert!(e.message(Locale::Fr).1.contains("pèse 2,5 Mo, au-delà de la limite de 2 Mo"));
    }
}
