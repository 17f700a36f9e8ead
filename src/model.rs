//! Domain types: what an innovation is once the dataset has been validated.
//!
//! These types know nothing of JSON (see `schema`) nor of the web (see `ui`, `embed`). Vocabulary values are
//! stored as small indices into the dataset's [`Vocabularies`], so the filter engine can index them densely.

use crate::i18n::Locale;

/// Index of a value inside one [`Vocabulary`].
pub type ValueIdx = u16;

/// A text in French and English. Missing translations fall back to the other language.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Label {
    pub fr: String,
    pub en: String,
}

impl Label {
    pub fn new(fr: &str, en: &str) -> Self {
        Label { fr: fr.to_owned(), en: en.to_owned() }
    }

    /// The label in `locale`, or in the other language when that one is empty.
    pub fn get(&self, locale: Locale) -> &str {
        let (first, second) = match locale {
            Locale::Fr => (&self.fr, &self.en),
            Locale::En => (&self.en, &self.fr),
        };
        if first.is_empty() {
            second
        } else {
            first
        }
    }

    /// Both languages empty.
    pub fn is_empty(&self) -> bool {
        self.fr.is_empty() && self.en.is_empty()
    }

    /// Takes the languages `other` gives (a dataset relabelling or redefining a value).
    pub fn merge(&mut self, other: Label) {
        if !other.fr.is_empty() {
            self.fr = other.fr;
        }
        if !other.en.is_empty() {
            self.en = other.en;
        }
    }
}

/// One value of a controlled vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VocabEntry {
    pub id: String,
    pub label: Label,
    /// One sentence saying what the value means (empty: none), shown beside the facet and the synthesis.
    pub definition: Label,
}

/// The facets a record is classified by; each has its own vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VocabKind {
    Themes,
    Stages,
    ScalingStrategies,
    PublicSupport,
    CarrierKinds,
}

impl VocabKind {
    pub const ALL: [VocabKind; 5] = [
        VocabKind::Themes,
        VocabKind::Stages,
        VocabKind::ScalingStrategies,
        VocabKind::PublicSupport,
        VocabKind::CarrierKinds,
    ];

    /// The key of this vocabulary in the dataset (`vocabularies.<key>`) and the record field using it.
    pub fn key(self) -> &'static str {
        match self {
            VocabKind::Themes => "themes",
            VocabKind::Stages => "stages",
            VocabKind::ScalingStrategies => "scaling_strategies",
            VocabKind::PublicSupport => "public_support",
            VocabKind::CarrierKinds => "carrier_kinds",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        VocabKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Other words people write for the built-in values of this vocabulary, as (word, id): what a spreadsheet
    /// says in place of an id or a label (« logement » for `habitat`, « SCIC » for `cooperative`). Matched by
    /// [`Vocabulary::find`] after folding (case, accents, punctuation), like ids and labels. A table, one arm per
    /// vocabulary: long for its words only.
    pub fn synonyms(self) -> &'static [(&'static str, &'static str)] {
        match self {
            VocabKind::Themes => &[
                ("emploi", "emploi-insertion"),
                ("insertion", "emploi-insertion"),
                ("insertion professionnelle", "emploi-insertion"),
                ("insertion par l'activité économique", "emploi-insertion"),
                ("IAE", "emploi-insertion"),
                ("employment", "emploi-insertion"),
                ("jobs", "emploi-insertion"),
                ("alimentaire", "alimentation"),
                ("alimentation durable", "alimentation"),
                ("logement", "habitat"),
                ("habitat", "habitat"),
                ("habitat inclusif", "habitat"),
                ("transport", "mobilite"),
                ("transports", "mobilite"),
                ("mobility", "mobilite"),
                ("santé", "sante-autonomie"),
                ("health", "sante-autonomie"),
                ("autonomie", "sante-autonomie"),
                ("handicap", "sante-autonomie"),
                ("disability", "sante-autonomie"),
                ("personnes âgées", "sante-autonomie"),
                ("vieillissement", "sante-autonomie"),
                ("éducation", "education-jeunesse"),
                ("jeunesse", "education-jeunesse"),
                ("education", "education-jeunesse"),
                ("youth", "education-jeunesse"),
                ("enfance", "education-jeunesse"),
                ("petite enfance", "education-jeunesse"),
                ("arts", "culture"),
                ("patrimoine", "culture"),
                ("digital", "numerique"),
                ("inclusion numérique", "numerique"),
                ("informatique", "numerique"),
                ("écologie", "transition-ecologique"),
                ("environnement", "transition-ecologique"),
                ("environment", "transition-ecologique"),
                ("climat", "transition-ecologique"),
                ("climate", "transition-ecologique"),
                ("biodiversité", "transition-ecologique"),
                ("développement durable", "transition-ecologique"),
                ("réemploi", "economie-circulaire"),
                ("recyclage", "economie-circulaire"),
                ("recycling", "economie-circulaire"),
                ("reuse", "economie-circulaire"),
                ("déchets", "economie-circulaire"),
                ("waste", "economie-circulaire"),
                ("réparation", "economie-circulaire"),
                ("cohésion sociale", "lien-social"),
                ("social cohesion", "lien-social"),
                ("vivre ensemble", "lien-social"),
                ("isolement", "lien-social"),
                ("agricole", "agriculture"),
                ("agroécologie", "agriculture"),
                ("circuits courts", "agriculture"),
                ("énergies renouvelables", "energie"),
                ("renewable energy", "energie"),
                ("transition énergétique", "energie"),
                ("solidarité", "solidarite-precarite"),
                ("précarité", "solidarite-precarite"),
                ("pauvreté", "solidarite-precarite"),
                ("poverty", "solidarite-precarite"),
                ("exclusion", "solidarite-precarite"),
                ("aide alimentaire", "solidarite-precarite"),
                ("services publics", "services-au-public"),
                ("service public", "services-au-public"),
                ("accès aux droits", "services-au-public"),
            ],
            VocabKind::Stages => &[
                ("idée", "amorcage"),
                ("émergence", "amorcage"),
                ("création", "amorcage"),
                ("lancement", "amorcage"),
                ("idea", "amorcage"),
                ("test", "experimentation"),
                ("pilote", "experimentation"),
                ("pilot", "experimentation"),
                ("prototype", "experimentation"),
                ("expérimental", "experimentation"),
                // The labels before 2026-12 (« Structuration » read unlike its id; « Changement d'échelle » read like
                // the facet's name): files written with them keep working.
                ("structuration", "consolidation"),
                ("changement d'échelle", "changement-echelle"),
                ("scaled up", "changement-echelle"),
                ("développement", "consolidation"),
                ("development", "consolidation"),
                ("premiers essaimages", "essaimage"),
                ("replication", "essaimage"),
                ("diffusion", "essaimage"),
                ("déploiement", "changement-echelle"),
                ("scaling", "changement-echelle"),
                ("scale up", "changement-echelle"),
                ("scaling up", "changement-echelle"),
                ("généralisé", "generalisation"),
                ("mainstreamed", "generalisation"),
                ("mainstreaming", "generalisation"),
                ("politique publique", "generalisation"),
            ],
            VocabKind::ScalingStrategies => &[
                ("filiales", "duplication"),
                ("succursales", "duplication"),
                ("open source", "essaimage-souple"),
                ("diffusion libre", "essaimage-souple"),
                ("dissemination", "essaimage-souple"),
                ("franchise", "essaimage-reseau"),
                ("franchise sociale", "essaimage-reseau"),
                ("social franchise", "essaimage-reseau"),
                ("réseau", "essaimage-reseau"),
                ("network", "essaimage-reseau"),
                ("affiliation", "essaimage-reseau"),
                ("coopération", "cooperation-fusion"),
                ("fusion", "cooperation-fusion"),
                ("merger", "cooperation-fusion"),
                ("reprise publique", "reprise-publique"),
                ("public takeover", "reprise-publique"),
            ],
            VocabKind::PublicSupport => &[
                ("subvention", "financement"),
                ("subventions", "financement"),
                ("soutien financier", "financement"),
                ("grant", "financement"),
                ("grants", "financement"),
                ("animation", "ecosysteme"),
                ("mise en réseau", "ecosysteme"),
                ("ecosystem", "ecosysteme"),
                ("accompagnement", "appui-diffusion"),
                ("diffusion", "appui-diffusion"),
                ("reprise", "reprise-institutionnelle"),
                ("institutionnalisation", "reprise-institutionnelle"),
                ("marché public", "commande-publique"),
                ("marchés publics", "commande-publique"),
                ("achat public", "commande-publique"),
                ("procurement", "commande-publique"),
            ],
            VocabKind::CarrierKinds => &[
                ("asso", "association"),
                ("association loi 1901", "association"),
                ("loi 1901", "association"),
                ("non-profit", "association"),
                ("nonprofit", "association"),
                ("ONG", "association"),
                ("NGO", "association"),
                ("coop", "cooperative"),
                ("SCIC", "cooperative"),
                ("SCOP", "cooperative"),
                ("CAE", "cooperative"),
                ("société coopérative", "cooperative"),
                ("SAS", "entreprise"),
                ("SARL", "entreprise"),
                ("SA", "entreprise"),
                ("ESUS", "entreprise"),
                ("entreprise sociale", "entreprise"),
                ("société", "entreprise"),
                ("business", "entreprise"),
                ("start-up", "entreprise"),
                ("commune", "collectivite"),
                ("mairie", "collectivite"),
                ("département", "collectivite"),
                ("conseil départemental", "collectivite"),
                ("région", "collectivite"),
                ("conseil régional", "collectivite"),
                ("EPCI", "collectivite"),
                ("intercommunalité", "collectivite"),
                ("communauté de communes", "collectivite"),
                ("métropole", "collectivite"),
                ("collectivité territoriale", "collectivite"),
                ("municipality", "collectivite"),
                ("GIP", "groupement"),
                ("GIE", "groupement"),
                ("consortium", "groupement"),
                ("collectif", "groupement"),
                ("partnership", "groupement"),
                ("fonds de dotation", "fondation"),
                ("foundation", "fondation"),
                ("endowment fund", "fondation"),
            ],
        }
    }
}

/// An ordered list of values. Order matters for `stages` (earliest first) and is the display order elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Vocabulary {
    pub entries: Vec<VocabEntry>,
}

impl Vocabulary {
    pub fn index_of(&self, id: &str) -> Option<ValueIdx> {
        self.entries.iter().position(|e| e.id == id).map(|i| i as ValueIdx)
    }

    /// Finds a value as a person may write it: by its id, its French or English label, or one of `synonyms`
    /// ((word, id) pairs, such as [`VocabKind::synonyms`]), all compared folded ([`crate::text::fold_key`]: case,
    /// accents, punctuation, so « Emploi-Insertion », « emploi et insertion » and « EMPLOI ET INSERTION » are the
    /// same). Failing that, compared without spaces, without the final `s` of words, and without the small words
    /// « et », « and », « ou », « or » ([`crate::text::fold_compact`]): « Thématique emploi » is not found, but
    /// « Coopératives » and « habitat logement » are. An empty value is never found.
    pub fn find(&self, value: &str, synonyms: &[(&str, &str)]) -> Option<ValueIdx> {
        use crate::text::{fold_compact, fold_key};
        let key = fold_key(value);
        if key.is_empty() {
            return None;
        }
        let exact = |candidate: &str| fold_key(candidate) == key;
        if let Some(i) = self.entries.iter().position(|e| exact(&e.id) || exact(&e.label.fr) || exact(&e.label.en)) {
            return Some(i as ValueIdx);
        }
        if let Some(i) = synonyms.iter().find(|(word, _)| exact(word)).and_then(|(_, id)| self.index_of(id)) {
            return Some(i);
        }
        let loose = |s: &str| {
            let words: Vec<&str> = s.split([' ', '-']).filter(|w| !matches!(*w, "et" | "and" | "ou" | "or")).collect();
            fold_compact(&words.join(" "))
        };
        let wanted = loose(&key);
        let same = |candidate: &str| loose(&fold_key(candidate)) == wanted;
        self.entries
            .iter()
            .position(|e| same(&e.id) || same(&e.label.fr) || same(&e.label.en))
            .map(|i| i as ValueIdx)
            .or_else(|| synonyms.iter().find(|(word, _)| same(word)).and_then(|(_, id)| self.index_of(id)))
    }

    pub fn label(&self, idx: ValueIdx, locale: Locale) -> &str {
        self.entries.get(idx as usize).map(|e| e.label.get(locale)).unwrap_or("")
    }

    pub fn id(&self, idx: ValueIdx) -> &str {
        self.entries.get(idx as usize).map(|e| e.id.as_str()).unwrap_or("")
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds a value, or relabels it when the id exists (how a dataset extends a built-in vocabulary).
    pub fn upsert(&mut self, id: &str, label: Label) {
        match self.entries.iter_mut().find(|e| e.id == id) {
            Some(e) => e.label.merge(label),
            None => self.entries.push(VocabEntry { id: id.to_owned(), label, definition: Label::default() }),
        }
    }

    /// The definition of a value, in `locale` (the other language when that one is empty), or "".
    pub fn definition(&self, idx: ValueIdx, locale: Locale) -> &str {
        self.entries.get(idx as usize).map(|e| e.definition.get(locale)).unwrap_or("")
    }
}

/// The five vocabularies of a dataset: built-in values plus what the dataset added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vocabularies {
    pub themes: Vocabulary,
    pub stages: Vocabulary,
    pub scaling_strategies: Vocabulary,
    pub public_support: Vocabulary,
    pub carrier_kinds: Vocabulary,
}

impl Vocabularies {
    /// The built-in vocabularies of schema v1 (`DATASET.md`), with French and English labels.
    pub fn builtin() -> Self {
        fn vocab(values: &[(&str, &str, &str)]) -> Vocabulary {
            Vocabulary {
                entries: values
                    .iter()
                    .map(|(id, fr, en)| VocabEntry {
                        id: (*id).to_owned(),
                        label: Label::new(fr, en),
                        definition: Label::default(),
                    })
                    .collect(),
            }
        }
        // The definitions of the values, in their order (the words of the CGET's 2017 study on the scaling of
        // social innovations, said for a reader who never read it).
        fn defined(mut v: Vocabulary, definitions: &[(&str, &str)]) -> Vocabulary {
            for (e, (fr, en)) in v.entries.iter_mut().zip(definitions) {
                e.definition = Label::new(fr, en);
            }
            v
        }
        Vocabularies {
            stages: defined(
                vocab(&[
                    ("amorcage", "Amorçage", "Seeding"),
                    ("experimentation", "Expérimentation", "Experimentation"),
                    ("consolidation", "Consolidation", "Consolidation"),
                    ("essaimage", "Essaimage", "First replications"),
                    ("changement-echelle", "Diffusion à grande échelle", "Large-scale roll-out"),
                    ("generalisation", "Généralisation", "Mainstreamed into public policy"),
                ]),
                &[
                    (
                        "Le projet naît : une idée et une équipe cherchent leurs premiers moyens et leurs partenaires.",
                        "The project is born: an idea and a team look for their first resources and partners.",
                    ),
                    (
                        "L'innovation est mise à l'épreuve à petite échelle, sur un territoire, et ajustée selon ses premiers résultats.",
                        "The innovation is tried out on a small scale, in one area, and adjusted to its first results.",
                    ),
                    (
                        "L'innovation a fait ses preuves sur place et stabilise son modèle économique, son équipe et sa gouvernance.",
                        "The innovation has proved itself locally and steadies its business model, team and governance.",
                    ),
                    (
                        "L'innovation est reproduite sur d'autres territoires, par sa structure ou par d'autres.",
                        "The innovation is reproduced in other areas, by its own organisation or by others.",
                    ),
                    (
                        "L'innovation est présente sur de nombreux territoires, souvent par un réseau national, et touche bien plus de personnes.",
                        "The innovation is present in many areas, often through a national network, and reaches far more people.",
                    ),
                    (
                        "L'innovation est reprise par une politique publique ou inscrite dans la loi, et devient accessible à tous.",
                        "The innovation is taken over by public policy or written into law, and becomes available to all.",
                    ),
                ],
            ),
            themes: vocab(&[
                ("emploi-insertion", "Emploi et insertion", "Employment and inclusion"),
                ("alimentation", "Alimentation", "Food"),
                ("habitat", "Habitat et logement", "Housing"),
                ("mobilite", "Mobilité", "Mobility"),
                ("sante-autonomie", "Santé et autonomie", "Health and independent living"),
                ("education-jeunesse", "Éducation et jeunesse", "Education and youth"),
                ("culture", "Culture", "Culture"),
                ("numerique", "Numérique", "Digital"),
                ("transition-ecologique", "Transition écologique", "Ecological transition"),
                ("economie-circulaire", "Économie circulaire", "Circular economy"),
                ("lien-social", "Lien social", "Social ties"),
                ("agriculture", "Agriculture", "Farming"),
                ("energie", "Énergie", "Energy"),
                ("solidarite-precarite", "Solidarité et précarité", "Solidarity and poverty"),
                ("services-au-public", "Services au public", "Public services"),
            ]),
            scaling_strategies: defined(
                vocab(&[
                    ("diversification", "Diversification", "Diversification"),
                    ("duplication", "Duplication", "Duplication (own new sites)"),
                    ("essaimage-souple", "Essaimage souple", "Open dissemination"),
                    ("essaimage-reseau", "Essaimage en réseau", "Network or social franchise"),
                    ("cooperation-fusion", "Coopération ou fusion", "Cooperation or merger"),
                    ("reprise-publique", "Reprise par les pouvoirs publics", "Taken over by public authorities"),
                ]),
                &[
                    (
                        "La structure élargit ses activités ou ses publics sur son territoire plutôt que de s'implanter ailleurs.",
                        "The organisation widens its activities or audiences in its own area rather than setting up elsewhere.",
                    ),
                    (
                        "La structure ouvre elle-même de nouveaux sites, qu'elle dirige.",
                        "The organisation opens new sites itself and runs them.",
                    ),
                    (
                        "La structure partage librement sa méthode ; d'autres s'en inspirent sans lien formel avec elle.",
                        "The organisation shares its method freely; others take it up with no formal tie to it.",
                    ),
                    (
                        "Des structures autonomes reproduisent le modèle au sein d'un réseau ou d'une franchise sociale, avec une charte et un accompagnement.",
                        "Independent organisations reproduce the model within a network or social franchise, with a charter and support.",
                    ),
                    (
                        "La structure s'allie ou fusionne avec d'autres pour gagner en taille et en couverture.",
                        "The organisation joins forces or merges with others to grow in size and reach.",
                    ),
                    (
                        "Les pouvoirs publics reprennent l'innovation et la déploient eux-mêmes.",
                        "Public authorities take the innovation over and roll it out themselves.",
                    ),
                ],
            ),
            public_support: defined(
                vocab(&[
                    ("financement", "Financement", "Funding"),
                    ("ecosysteme", "Animation de l'écosystème", "Building the ecosystem"),
                    ("appui-diffusion", "Appui à la diffusion", "Support for dissemination"),
                    ("reprise-institutionnelle", "Reprise institutionnelle", "Institutional takeover"),
                    ("commande-publique", "Commande publique", "Public procurement"),
                ]),
                &[
                    (
                        "Un acteur public finance le projet : subvention, appel à projets, prêt ou garantie.",
                        "A public body funds the project: grant, call for projects, loan or guarantee.",
                    ),
                    (
                        "Un acteur public réunit les acteurs d'un territoire et crée les conditions de leur coopération.",
                        "A public body brings an area's actors together and creates the conditions for them to cooperate.",
                    ),
                    (
                        "Un acteur public aide l'innovation à se faire connaître et à s'implanter ailleurs.",
                        "A public body helps the innovation become known and set up elsewhere.",
                    ),
                    (
                        "Une institution intègre l'innovation à ses propres services ou politiques.",
                        "An institution builds the innovation into its own services or policies.",
                    ),
                    (
                        "Un acteur public achète les services de l'innovation par ses marchés publics.",
                        "A public body buys the innovation's services through public procurement.",
                    ),
                ],
            ),
            carrier_kinds: vocab(&[
                ("association", "Association", "Non-profit association"),
                ("cooperative", "Coopérative", "Cooperative"),
                ("entreprise", "Entreprise", "Company"),
                ("collectivite", "Collectivité", "Local authority"),
                ("groupement", "Groupement", "Partnership"),
                ("fondation", "Fondation", "Foundation"),
            ]),
        }
    }

    pub fn get(&self, kind: VocabKind) -> &Vocabulary {
        match kind {
            VocabKind::Themes => &self.themes,
            VocabKind::Stages => &self.stages,
            VocabKind::ScalingStrategies => &self.scaling_strategies,
            VocabKind::PublicSupport => &self.public_support,
            VocabKind::CarrierKinds => &self.carrier_kinds,
        }
    }

    pub fn get_mut(&mut self, kind: VocabKind) -> &mut Vocabulary {
        match kind {
            VocabKind::Themes => &mut self.themes,
            VocabKind::Stages => &mut self.stages,
            VocabKind::ScalingStrategies => &mut self.scaling_strategies,
            VocabKind::PublicSupport => &mut self.public_support,
            VocabKind::CarrierKinds => &mut self.carrier_kinds,
        }
    }
}

/// A WGS84 point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// How precisely a place is known, from the data it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Precision {
    /// No usable place: listed and counted, not drawn.
    #[default]
    None,
    Region,
    Department,
    Commune,
    /// Coordinates given by the dataset.
    Point,
}

/// A place as given by the dataset and then resolved against the territory reference (`territory::resolve`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Place {
    /// Commune name as written in the dataset.
    pub commune: Option<String>,
    /// INSEE commune code as written in the dataset, or found from the postcode and the name.
    pub commune_insee: Option<String>,
    /// Postcode as written in the dataset (five digits), to find the commune when no code is given.
    pub postcode: Option<String>,
    /// Department code: given, then derived from the point or the commune code.
    pub department: Option<String>,
    /// Region code: given, then derived from the department.
    pub region: Option<String>,
    /// Coordinates given by the dataset (before resolution) or the resolved point (after).
    pub point: Option<LonLat>,
    pub precision: Precision,
    /// Year a replica started (replicas only).
    pub started: Option<i32>,
}

impl Place {
    /// True when the dataset gave nothing at all about this place.
    pub fn is_blank(&self) -> bool {
        self.commune.is_none()
            && self.commune_insee.is_none()
            && self.postcode.is_none()
            && self.department.is_none()
            && self.region.is_none()
            && self.point.is_none()
    }

    /// A stable key for the commune of this place, used by the territory filter and in links:
    /// its INSEE code when known, else `<department>:<name>`.
    pub fn commune_key(&self) -> Option<String> {
        if let Some(code) = &self.commune_insee {
            return Some(code.clone());
        }
        match (&self.department, &self.commune) {
            (Some(dep), Some(name)) => Some(format!("{dep}:{}", crate::text::fold(name))),
            _ => None,
        }
    }
}

/// One innovation, validated.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Innovation {
    /// Position of the record in the file's `innovations` array, to point at it in the data report.
    pub file_index: usize,
    pub id: String,
    pub name: String,
    pub summary: Option<String>,
    pub carrier_kind: Option<ValueIdx>,
    pub origin: Place,
    pub replicas: Vec<Place>,
    pub themes: Vec<ValueIdx>,
    pub stage: Option<ValueIdx>,
    pub scaling_strategies: Vec<ValueIdx>,
    pub public_support: Vec<ValueIdx>,
    pub started: Option<i32>,
    pub sites: Option<u64>,
    pub url: Option<String>,
    pub sources: Vec<String>,
}

impl Innovation {
    /// The origin, then every replica.
    pub fn places(&self) -> impl Iterator<Item = &Place> {
        std::iter::once(&self.origin).chain(self.replicas.iter())
    }
}

/// Who published the data (`source` in the document).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SourceRef {
    pub name: String,
    pub url: Option<String>,
}

/// Document-level metadata shown in the header and the credits.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Meta {
    pub title: Option<String>,
    /// The language of the dataset's texts (`lang`: `fr` or `en`, the widget's languages); French when absent.
    pub lang: Option<crate::i18n::Locale>,
    pub description: Option<String>,
    /// `YYYY-MM-DD`, validated.
    pub updated: Option<String>,
    pub license: Option<String>,
    pub source: Option<SourceRef>,
    /// What the dataset lists (« tiers-lieux », « projets »), when it is not innovations.
    pub noun: crate::i18n::Noun,
}

impl Meta {
    /// The `lang` attribute of the dataset's texts (its names, summaries, title and description) in an interface in
    /// `locale`: their language when it is not the interface's (RGAA 8.7), else nothing to write.
    pub fn text_lang(&self, locale: crate::i18n::Locale) -> Option<&'static str> {
        let lang = self.lang.unwrap_or(crate::i18n::Locale::Fr);
        (lang != locale).then(|| lang.tag())
    }
}

/// A validated dataset: every record that could be kept, with its vocabularies.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub meta: Meta,
    pub vocabularies: Vocabularies,
    pub innovations: Vec<Innovation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_values_are_found_by_id_label_or_synonym_folded() {
        let v = Vocabularies::builtin();
        let find = |kind: VocabKind, value: &str| {
            v.get(kind).find(value, kind.synonyms()).map(|i| v.get(kind).id(i).to_owned())
        };
        let theme = |value: &str| find(VocabKind::Themes, value);
        assert_eq!(theme("emploi-insertion").as_deref(), Some("emploi-insertion"), "id");
        assert_eq!(theme("Emploi et insertion").as_deref(), Some("emploi-insertion"), "French label");
        assert_eq!(theme("EMPLOI ET INSERTION ").as_deref(), Some("emploi-insertion"), "case and spaces");
        assert_eq!(theme("Employment and inclusion").as_deref(), Some("emploi-insertion"), "English label");
        assert_eq!(theme("Économie circulaire").as_deref(), Some("economie-circulaire"));
        assert_eq!(theme("economie circulaire").as_deref(), Some("economie-circulaire"), "no accents");
        assert_eq!(theme("Logement").as_deref(), Some("habitat"), "synonym");
        assert_eq!(theme("Santé").as_deref(), Some("sante-autonomie"), "synonym, accents");
        assert_eq!(theme("Emploi, insertion").as_deref(), Some("emploi-insertion"), "punctuation");
        assert_eq!(theme("Solidarités et précarités").as_deref(), Some("solidarite-precarite"), "plurals");
        assert_eq!(theme("coworking"), None);
        assert_eq!(theme(""), None);
        assert_eq!(theme(" - "), None);
        let stage = |value: &str| find(VocabKind::Stages, value);
        assert_eq!(stage("Changement d’échelle").as_deref(), Some("changement-echelle"), "typographic apostrophe");
        assert_eq!(stage("Structuration").as_deref(), Some("consolidation"));
        assert_eq!(stage("Pilote").as_deref(), Some("experimentation"));
        let carrier = |value: &str| find(VocabKind::CarrierKinds, value);
        assert_eq!(carrier("SCIC").as_deref(), Some("cooperative"));
        assert_eq!(carrier("Coopératives").as_deref(), Some("cooperative"));
        assert_eq!(carrier("Association loi 1901").as_deref(), Some("association"));
        // Every synonym names a built-in id, and none is taken by another value's id or label.
        for kind in VocabKind::ALL {
            for (word, id) in kind.synonyms() {
                assert!(v.get(kind).index_of(id).is_some(), "{kind:?}: {word} → unknown id {id}");
                assert_eq!(find(kind, word).as_deref(), Some(*id), "{kind:?}: {word}");
            }
        }
    }
}
