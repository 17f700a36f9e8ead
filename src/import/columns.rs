//! Column recognition: which field of the dataset a header names, in French or English and their usual variants,
//! compared folded (case, accents, punctuation, plural marks: `text::fold_compact`); and which headers look like
//! personal data (never copied unless the mapping file asks).

use crate::i18n::Locale;
use crate::model::VocabKind;
use crate::text::{fold_compact, fold_key};

use super::issues::Personal;

/// A field a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Id,
    Name,
    Summary,
    Commune,
    Insee,
    Postcode,
    Department,
    Region,
    Latitude,
    Longitude,
    Themes,
    Stage,
    Strategies,
    PublicSupport,
    CarrierKind,
    Started,
    Sites,
    Url,
    Sources,
}

impl Field {
    pub const ALL: [Field; 19] = [
        Field::Id,
        Field::Name,
        Field::Summary,
        Field::Commune,
        Field::Insee,
        Field::Postcode,
        Field::Department,
        Field::Region,
        Field::Latitude,
        Field::Longitude,
        Field::Themes,
        Field::Stage,
        Field::Strategies,
        Field::PublicSupport,
        Field::CarrierKind,
        Field::Started,
        Field::Sites,
        Field::Url,
        Field::Sources,
    ];

    /// The field's name in the mapping file and, for record fields, in the dataset.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Summary => "summary",
            Field::Commune => "commune",
            Field::Insee => "commune_insee",
            Field::Postcode => "postcode",
            Field::Department => "department",
            Field::Region => "region",
            Field::Latitude => "lat",
            Field::Longitude => "lon",
            Field::Themes => "themes",
            Field::Stage => "stage",
            Field::Strategies => "scaling_strategies",
            Field::PublicSupport => "public_support",
            Field::CarrierKind => "carrier_kind",
            Field::Started => "started",
            Field::Sites => "sites",
            Field::Url => "url",
            Field::Sources => "sources",
        }
    }

    /// A field named in a mapping file: its key, or any header the tool recognises for it.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == name.trim()).or_else(|| recognise(name))
    }

    /// The column's header in the template.
    pub fn header(self, locale: Locale) -> &'static str {
        let (fr, en) = match self {
            Field::Id => ("Identifiant", "Id"),
            Field::Name => ("Nom", "Name"),
            Field::Summary => ("Description", "Description"),
            Field::Commune => ("Commune", "Municipality"),
            Field::Insee => ("Code INSEE", "INSEE code"),
            Field::Postcode => ("Code postal", "Postcode"),
            Field::Department => ("Département", "Department"),
            Field::Region => ("Région", "Region"),
            Field::Latitude => ("Latitude", "Latitude"),
            Field::Longitude => ("Longitude", "Longitude"),
            Field::Themes => ("Thèmes", "Themes"),
            Field::Stage => ("Stade", "Stage"),
            Field::Strategies => ("Stratégies d'essaimage", "Scaling strategies"),
            Field::PublicSupport => ("Rôle de l'acteur public", "Public support"),
            Field::CarrierKind => ("Type de porteur", "Carrier kind"),
            Field::Started => ("Année de création", "Year started"),
            Field::Sites => ("Nombre de sites", "Number of sites"),
            Field::Url => ("Site web", "Website"),
            Field::Sources => ("Sources", "Sources"),
        };
        match locale {
            Locale::Fr => fr,
            Locale::En => en,
        }
    }

    pub fn vocabulary(self) -> Option<VocabKind> {
        match self {
            Field::Themes => Some(VocabKind::Themes),
            Field::Stage => Some(VocabKind::Stages),
            Field::Strategies => Some(VocabKind::ScalingStrategies),
            Field::PublicSupport => Some(VocabKind::PublicSupport),
            Field::CarrierKind => Some(VocabKind::CarrierKinds),
            _ => None,
        }
    }

    /// Whether several values (and several columns: « Thème 1 », « Thème 2 ») are allowed.
    pub fn is_multi(self) -> bool {
        matches!(self, Field::Themes | Field::Strategies | Field::PublicSupport | Field::Sources)
    }

    /// Headers that name this field, as [`fold_compact`] gives them. A table, one arm per field: long because the
    /// words people use are many, not because it does much.
    fn names(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id", "identifiant", "identifier", "ref", "slug", "code projet", "id projet"],
            Field::Name => &[
                "nom",
                "titre",
                "name",
                "title",
                "nom du projet",
                "nom de l'innovation",
                "nom de l'initiative",
                "intitulé",
                "intitulé du projet",
                "projet",
                "innovation",
                "initiative",
                "project",
                "project name",
                "nom de la structure",
                "structure",
            ],
            Field::Summary => &[
                "description",
                "résumé",
                "summary",
                "présentation",
                "descriptif",
                "abstract",
                "description courte",
                "présentation du projet",
                "description du projet",
                "objet",
            ],
            Field::Commune => &[
                "commune",
                "ville",
                "city",
                "town",
                "municipality",
                "localité",
                "nom de la commune",
                "commune d'origine",
                "lieu",
                "commune du siège",
                "nom commune",
                "libellé commune",
            ],
            Field::Insee => &[
                "code insee",
                "insee",
                "cog",
                "code commune",
                "code insee commune",
                "insee code",
                "commune insee",
                "code officiel géographique",
                "code géographique",
                "codgeo",
                "code_insee",
                "depcom",
                "citycode",
            ],
            Field::Postcode => {
                &["code postal", "cp", "postcode", "postal code", "zip", "zip code", "code postal commune"]
            }
            Field::Department => &[
                "département",
                "dept",
                "dep",
                "dpt",
                "department",
                "code département",
                "numéro de département",
                "n° département",
            ],
            Field::Region => &["région", "region", "code région", "nom région"],
            Field::Latitude => &["latitude", "lat", "y", "coord y", "coordonnée y", "wgs84 lat"],
            Field::Longitude => &["longitude", "lon", "long", "lng", "x", "coord x", "coordonnée x", "wgs84 lon"],
            Field::Themes => &[
                "thème",
                "thèmes",
                "thématique",
                "thématiques",
                "theme",
                "themes",
                "domaine",
                "domaines",
                "secteur",
                "secteur d'activité",
                "topic",
                "topics",
                "thème principal",
                "champ d'action",
            ],
            Field::Stage => &[
                "stade",
                "stage",
                "étape",
                "maturité",
                "stade de développement",
                "phase",
                "avancement",
                "stade de maturité",
                "niveau de maturité",
            ],
            Field::Strategies => &[
                "stratégie",
                "stratégies",
                "stratégie d'essaimage",
                "stratégies d'essaimage",
                "stratégie de changement d'échelle",
                "scaling strategies",
                "scaling strategy",
                "mode d'essaimage",
                "modalité d'essaimage",
                "modalités d'essaimage",
                "stratégie de développement",
            ],
            Field::PublicSupport => &[
                "rôle de l'acteur public",
                "rôles de l'acteur public",
                "rôle des acteurs publics",
                "rôle de la collectivité",
                "soutien public",
                "public support",
                "appui public",
                "acteur public",
                "role of public authorities",
                "soutien de la collectivité",
            ],
            Field::CarrierKind => &[
                "porteur",
                "type de porteur",
                "statut",
                "statut juridique",
                "forme juridique",
                "carrier kind",
                "carrier",
                "type de structure",
                "nature du porteur",
                "type d'acteur",
                "legal form",
            ],
            Field::Started => &[
                "année",
                "année de création",
                "date de création",
                "création",
                "year",
                "started",
                "début",
                "année de début",
                "date de début",
                "année de lancement",
                "date de lancement",
                "depuis",
                "year started",
                "start year",
                "founded",
            ],
            Field::Sites => {
                &["sites", "nombre de sites", "nb sites", "nb de sites", "number of sites", "implantations"]
            }
            Field::Url => &[
                "site web",
                "url",
                "site internet",
                "website",
                "web",
                "lien",
                "site",
                "link",
                "site du projet",
                "adresse web",
                "page web",
            ],
            Field::Sources => &[
                "sources",
                "source",
                "références",
                "pour en savoir plus",
                "en savoir plus",
                "articles",
                "liens utiles",
            ],
        }
    }
}

/// The field a header names, if any: a name folded ([`fold_key`]: « Site » is the website, « Sites » the number
/// of sites), then compared more loosely ([`fold_compact`]: plurals, spaces), then without a trailing number, for
/// « Thème 1 », « Thème 2 ».
pub fn recognise(header: &str) -> Option<Field> {
    let exact = fold_key(header);
    if exact.is_empty() {
        return None;
    }
    if let Some(f) = Field::ALL.into_iter().find(|f| f.names().iter().any(|n| fold_key(n) == exact)) {
        return Some(f);
    }
    let key = fold_compact(header);
    let find = |key: &str| Field::ALL.into_iter().find(|f| f.names().iter().any(|n| fold_compact(n) == key));
    find(&key).or_else(|| {
        let base = key.trim_end_matches(|c: char| c.is_ascii_digit());
        (base.len() < key.len() && !base.is_empty()).then(|| find(base)).flatten().filter(|f| f.is_multi())
    })
}

/// Whether a header looks like personal data: a person's name, an e-mail, a phone, a contact.
pub fn personal_header(header: &str) -> Option<Personal> {
    let key = fold_key(header);
    let words: Vec<&str> = key.split(' ').collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&["email", "mail", "courriel", "mel"]) {
        return Some(Personal::Email);
    }
    if has(&["telephone", "tel", "phone", "portable", "mobile", "gsm", "fax", "telephonique"]) {
        return Some(Personal::Phone);
    }
    if has(&[
        "prenom",
        "firstname",
        "lastname",
        "surname",
        "referent",
        "referente",
        "referents",
        "interlocuteur",
        "interlocutrice",
        "signataire",
        "responsable",
        "responsables",
        "personne",
        "dirigeant",
        "dirigeante",
        "president",
        "presidente",
        "directeur",
        "directrice",
        "elu",
        "elue",
        "auteur",
        "auteure",
        "redacteur",
    ]) || (words.first() == Some(&"nom") && has(&["porteur", "contact", "chef", "charge", "chargee"]))
        || key == "porteur de projet"
    {
        return Some(Personal::Name);
    }
    if has(&["contact", "contacts", "coordonnees"]) {
        return Some(Personal::Contact);
    }
    None
}

/// Whether a row looks like the table's header: two cells at least name a field.
pub fn looks_like_header(cells: &[String]) -> bool {
    cells.iter().filter(|c| recognise(c).is_some()).count() >= 2
}

/// The e-mail addresses and phone numbers in a free text, to report them.
pub fn personal_in_text(text: &str) -> Vec<(Personal, String)> {
    let mut found = Vec::new();
    for word in text.split(|c: char| c.is_whitespace() || "<>()[],;\"'«»".contains(c)) {
        let w = word.trim_matches(|c: char| c == '.' || c == ':');
        if let Some((user, domain)) = w.split_once('@') {
            if !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') {
                found.push((Personal::Email, w.to_owned()));
            }
        }
    }
    // A French phone number: 0X XX XX XX XX, +33 X XX XX XX XX, with spaces, dots or dashes, or none.
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '+' || chars[i].is_ascii_digit() {
            let start = i;
            let mut digits = String::new();
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || " .-+()\u{a0}".contains(chars[j])) {
                if chars[j].is_ascii_digit() {
                    digits.push(chars[j]);
                }
                j += 1;
            }
            let national = if let Some(rest) = digits.strip_prefix("33").filter(|_| chars[start] == '+') {
                format!("0{}", rest.strip_prefix('0').unwrap_or(rest))
            } else {
                digits.clone()
            };
            if national.len() == 10 && national.starts_with('0') && national.as_bytes()[1] != b'0' {
                let number: String = chars[start..j].iter().collect();
                found.push((Personal::Phone, number.trim().trim_end_matches(['.', '-']).to_owned()));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_recognised_in_french_and_english() {
        let f = |h: &str| recognise(h);
        assert_eq!(f("Nom"), Some(Field::Name));
        assert_eq!(f("TITRE"), Some(Field::Name));
        assert_eq!(f("Résumé"), Some(Field::Summary));
        assert_eq!(f("Ville"), Some(Field::Commune));
        assert_eq!(f("Code INSEE"), Some(Field::Insee));
        assert_eq!(f("COG"), Some(Field::Insee));
        assert_eq!(f("CP"), Some(Field::Postcode));
        assert_eq!(f("Code postal"), Some(Field::Postcode));
        assert_eq!(f("Département"), Some(Field::Department));
        assert_eq!(f("Lat"), Some(Field::Latitude));
        assert_eq!(f("Lng"), Some(Field::Longitude));
        assert_eq!(f("X"), Some(Field::Longitude));
        assert_eq!(f("Thème(s)"), Some(Field::Themes));
        assert_eq!(f("Thématiques"), Some(Field::Themes));
        assert_eq!(f("Thème 2"), Some(Field::Themes));
        assert_eq!(f("Stade 2"), None, "a second stage column is not the stage");
        assert_eq!(f("Stratégie(s)"), Some(Field::Strategies));
        assert_eq!(f("Rôle(s) de l'acteur public"), Some(Field::PublicSupport));
        assert_eq!(f("Rôles des acteurs publics"), Some(Field::PublicSupport));
        assert_eq!(f("Site web"), Some(Field::Url));
        assert_eq!(f("Site"), Some(Field::Url));
        assert_eq!(f("Sites"), Some(Field::Sites));
        assert_eq!(f("Références"), Some(Field::Sources));
        assert_eq!(f("URL"), Some(Field::Url));
        assert_eq!(f("Année"), Some(Field::Started));
        assert_eq!(f("Date de création"), Some(Field::Started));
        assert_eq!(f("Sources"), Some(Field::Sources));
        assert_eq!(f("Commentaire interne"), None);
        assert_eq!(f("Nom du référent"), None);
    }

    #[test]
    fn personal_headers_and_values_are_detected() {
        for (h, p) in [
            ("Contact", Personal::Contact),
            ("Email", Personal::Email),
            ("E-mail", Personal::Email),
            ("Courriel du porteur", Personal::Email),
            ("Téléphone", Personal::Phone),
            ("Tél.", Personal::Phone),
            ("Nom du référent", Personal::Name),
            ("Prénom", Personal::Name),
            ("Nom du contact", Personal::Name),
        ] {
            assert_eq!(personal_header(h), Some(p), "{h}");
        }
        for h in ["Nom", "Site web", "Thème", "Porteur", "Description", "Type de porteur"] {
            assert_eq!(personal_header(h), None, "{h}");
        }
        assert_eq!(
            personal_in_text("Écrire à marie.dupont@exemple.fr."),
            [(Personal::Email, "marie.dupont@exemple.fr".to_owned())]
        );
        assert_eq!(personal_in_text("Tél : 06 12 34 56 78."), [(Personal::Phone, "06 12 34 56 78".to_owned())]);
        assert_eq!(personal_in_text("+33 6 12 34 56 78")[0].0, Personal::Phone);
        assert_eq!(personal_in_text("a@b.fr ou 0612345678").len(), 2);
        assert!(personal_in_text("Depuis 2014, 120 salariés, 35000 habitants").is_empty());
        assert!(personal_in_text("SIRET 12345678900012").is_empty());
    }
}
