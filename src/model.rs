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
}

/// One value of a controlled vocabulary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VocabEntry {
    pub id: String,
    pub label: Label,
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
            Some(e) => {
                if !label.fr.is_empty() {
                    e.label.fr = label.fr;
                }
                if !label.en.is_empty() {
                    e.label.en = label.en;
                }
            }
            None => self.entries.push(VocabEntry { id: id.to_owned(), label }),
        }
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
                    .map(|(id, fr, en)| VocabEntry { id: (*id).to_owned(), label: Label::new(fr, en) })
                    .collect(),
            }
        }
        Vocabularies {
            stages: vocab(&[
                ("amorcage", "Amorçage", "Seeding"),
                ("experimentation", "Expérimentation", "Experimentation"),
                ("consolidation", "Structuration", "Consolidation"),
                ("essaimage", "Essaimage", "First replications"),
                ("changement-echelle", "Changement d'échelle", "Scaled up"),
                ("generalisation", "Généralisation", "Mainstreamed into public policy"),
            ]),
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
            scaling_strategies: vocab(&[
                ("diversification", "Diversification", "Diversification"),
                ("duplication", "Duplication", "Duplication (own new sites)"),
                ("essaimage-souple", "Essaimage souple", "Open dissemination"),
                ("essaimage-reseau", "Essaimage en réseau", "Network or social franchise"),
                ("cooperation-fusion", "Coopération ou fusion", "Cooperation or merger"),
                ("reprise-publique", "Reprise par les pouvoirs publics", "Taken over by public authorities"),
            ]),
            public_support: vocab(&[
                ("financement", "Financement", "Funding"),
                ("ecosysteme", "Animation de l'écosystème", "Building the ecosystem"),
                ("appui-diffusion", "Appui à la diffusion", "Support for dissemination"),
                ("reprise-institutionnelle", "Reprise institutionnelle", "Institutional takeover"),
                ("commande-publique", "Commande publique", "Public procurement"),
            ]),
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
    /// INSEE commune code as written in the dataset.
    pub commune_insee: Option<String>,
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
    pub description: Option<String>,
    /// `YYYY-MM-DD`, validated.
    pub updated: Option<String>,
    pub license: Option<String>,
    pub source: Option<SourceRef>,
    /// What the dataset lists (« tiers-lieux », « projets »), when it is not innovations.
    pub noun: crate::i18n::Noun,
}

/// A validated dataset: every record that could be kept, with its vocabularies.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub meta: Meta,
    pub vocabularies: Vocabularies,
    pub innovations: Vec<Innovation>,
}
