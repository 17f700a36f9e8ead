//! Interface texts in French (default) and English.
//!
//! Every fixed text of the widget is a [`Msg`]; texts with numbers or names are functions below. Keeping both
//! languages side by side in one `match` makes a missing translation a compile error.

/// Interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum Locale {
    #[default]
    Fr,
    En,
}

impl Locale {
    /// Parses a `lang` option (`fr`, `en`, `en-GB`…). Unknown values give `None` (the caller warns).
    pub fn parse(s: &str) -> Option<Locale> {
        let primary = s.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Locale::Fr),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// BCP 47 tag, for `lang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::En => "en",
        }
    }
}

/// Fixed interface texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    WidgetLabel,
    DefaultTitle,
    Loading,
    Filters,
    ShowFilters,
    HideFilters,
    Territory,
    Region,
    Department,
    Commune,
    AllRegions,
    AllDepartments,
    AllCommunes,
    Theme,
    Stage,
    Strategy,
    PublicRole,
    Search,
    SearchHint,
    Sort,
    SortName,
    SortStage,
    SortStarted,
    SortDistance,
    Around,
    AroundPlace,
    Radius,
    AroundMe,
    Locating,
    LocateRefused,
    LocateFailed,
    CommunesLoading,
    CommunesFailed,
    NoCommune,
    ActiveFilters,
    ClearAll,
    /// The value of the records that have none in a facet.
    Unspecified,
    /// Folds the values no record has back away.
    FewerValues,
    Definitions,
    NoResultTitle,
    NoResultHint,
    Previous,
    Next,
    BackToList,
    Origin,
    Replicas,
    CarrierKind,
    Started,
    Sites,
    Website,
    Sources,
    NotLocated,
    Credits,
    AboutData,
    DataLicence,
    DataSource,
    BaseMap,
    BaseMapAttribution,
    ErrorTitle,
    ReportDetails,
    MapHelp,
    ZoomIn,
    ZoomOut,
    /// The map's focusable area (arrows move it).
    MapArea,
    ResetView,
    Display,
    ViewList,
    ViewMap,
    SkipToResults,
    Places,
    LegendNone,
    WheelHint,
    Close,
    /// In the loader's « wrong MIME type » box, when the server sent no Content-Type.
    NoContentType,
    ViewListMap,
    ViewSynthesis,
    SynthesisTitle,
    FunnelTitle,
    Selection,
    ParentDataset,
    ParentCountry,
    TerritoryStageTitle,
    TerritoryStageHint,
    Total,
    StrategiesTitle,
    RolesTitle,
    Scaled,
    NotScaled,
    ScaledShare,
    StalledTitle,
    StalledYears,
    StalledNone,
    ReplicasTitle,
    Year,
    SitesOpened,
    ReplicasNone,
    ExportTitle,
    ExportCsv,
    ExportJson,
    CopyLink,
    Cite,
    Copied,
    CopyRefused,
    LinkField,
    CitationField,
    NoFilter,
    Presence,
    BornHere,
    ReplicatedHere,
    NotHereYet,
}

/// The text of `msg` in `locale`.
pub fn t(locale: Locale, msg: Msg) -> &'static str {
    let (fr, en) = match msg {
        Msg::WidgetLabel => ("Explorateur des innovations sociales", "Social innovation explorer"),
        Msg::DefaultTitle => ("Innovations sociales et changement d'échelle", "Social innovations and scaling"),
        Msg::Loading => ("Chargement des innovations…", "Loading innovations…"),
        Msg::Filters => ("Filtres", "Filters"),
        Msg::ShowFilters => ("Afficher les filtres", "Show filters"),
        Msg::HideFilters => ("Masquer les filtres", "Hide filters"),
        Msg::Territory => ("Territoire", "Territory"),
        Msg::Region => ("Région", "Region"),
        Msg::Department => ("Département", "Department"),
        Msg::Commune => ("Commune", "Municipality"),
        Msg::AllRegions => ("Toutes les régions", "All regions"),
        Msg::AllDepartments => ("Tous les départements", "All departments"),
        Msg::AllCommunes => ("Toutes les communes", "All municipalities"),
        Msg::Theme => ("Thématique", "Theme"),
        Msg::Stage => ("Stade de changement d'échelle", "Scaling stage"),
        Msg::Strategy => ("Stratégie de changement d'échelle", "Scaling strategy"),
        Msg::PublicRole => ("Rôle de l'acteur public", "Role of public actors"),
        Msg::Search => ("Rechercher", "Search"),
        Msg::SearchHint => (
            "Nom, description, commune, département, région ou code postal",
            "Name, description, municipality, department, region or postcode",
        ),
        Msg::Places => ("Lieux", "Places"),
        Msg::Sort => ("Trier par", "Sort by"),
        Msg::SortName => ("Nom (A → Z)", "Name (A → Z)"),
        Msg::SortStage => ("Stade (du plus avancé)", "Stage (most advanced first)"),
        Msg::SortStarted => ("Année de démarrage (plus récentes)", "Start year (most recent)"),
        Msg::SortDistance => ("Distance (les plus proches)", "Distance (nearest first)"),
        Msg::Around => ("Autour de", "Around"),
        Msg::AroundPlace => ("Commune ou code postal", "Municipality or postcode"),
        Msg::Radius => ("Rayon", "Radius"),
        Msg::AroundMe => ("Autour de moi", "Around me"),
        Msg::Locating => ("Recherche de votre position…", "Finding your position…"),
        Msg::LocateRefused => (
            "Votre position n'a pas été partagée : vous pouvez choisir une commune.",
            "Your position was not shared: you can choose a municipality instead.",
        ),
        Msg::LocateFailed => (
            "Votre position n'a pas pu être trouvée : vous pouvez choisir une commune.",
            "Your position could not be found: you can choose a municipality instead.",
        ),
        Msg::CommunesLoading => ("Chargement des communes…", "Loading municipalities…"),
        Msg::CommunesFailed => ("La liste des communes n'a pas pu être chargée.", "The list of municipalities could not be loaded."),
        Msg::NoCommune => ("Aucune commune de ce nom ou code postal.", "No municipality of that name or postcode."),
        Msg::ActiveFilters => ("Filtres actifs", "Active filters"),
        Msg::ClearAll => ("Tout effacer", "Clear all"),
        Msg::Unspecified => ("Non renseigné", "Not specified"),
        Msg::FewerValues => ("Masquer les valeurs sans résultat", "Hide the values with no result"),
        Msg::Definitions => ("Définitions", "Definitions"),
        Msg::NoResultTitle => {
            ("Aucun résultat ne correspond à ces critères.", "No result matches these criteria.")
        }
        Msg::NoResultHint => (
            "Retirez un filtre, élargissez le territoire ou essayez un autre mot.",
            "Remove a filter, widen the territory or try another word.",
        ),
        Msg::Previous => ("Page précédente", "Previous page"),
        Msg::Next => ("Page suivante", "Next page"),
        Msg::BackToList => ("Retour à la liste", "Back to the list"),
        Msg::Origin => ("Lieu d'origine", "Place of origin"),
        Msg::Replicas => ("Essaimage (autres sites)", "Replications (other sites)"),
        Msg::CarrierKind => ("Porteur", "Carried by"),
        Msg::Started => ("Démarrage", "Started"),
        Msg::Sites => ("Sites ou territoires", "Sites or territories"),
        Msg::Website => ("Site officiel", "Official website"),
        Msg::Sources => ("Sources", "Sources"),
        Msg::NotLocated => ("Non localisée", "Not located"),
        Msg::Credits => ("Crédits", "Credits"),
        Msg::AboutData => ("À propos de ces données", "About this data"),
        Msg::DataLicence => ("Licence des données", "Data licence"),
        Msg::DataSource => ("Source", "Source"),
        Msg::BaseMap => ("Référentiel géographique", "Geographic reference"),
        Msg::BaseMapAttribution => (
            "IGN – ADMIN EXPRESS COG, édition 2018 (via gregoiredavid/france-geojson v2.1.1) ; codes et noms : \
             INSEE – Code officiel géographique 2026 (via @etalab/decoupage-administratif 6.0.0). Données \
             modifiées : simplification des tracés, centroïdes calculés. Licence Ouverte / Open Licence (Etalab).",
            "IGN – ADMIN EXPRESS COG, 2018 edition (via gregoiredavid/france-geojson v2.1.1); codes and names: \
             INSEE – Code officiel géographique 2026 (via @etalab/decoupage-administratif 6.0.0). Modified data: \
             simplified outlines, computed centroids. Licence Ouverte / Open Licence (Etalab).",
        ),
        Msg::ErrorTitle => ("Le widget Essaimage ne peut pas s'afficher", "The Essaimage widget cannot be displayed"),
        Msg::ReportDetails => (
            "Le détail : l'option debug du widget (data-debug), la page « Vérifier mon fichier » (verifier.html) ou \
             la commande « essaimage check FICHIER ».",
            "The details: the widget's debug option (data-debug), the \"Check my file\" page (verifier.html) or the \
             command \"essaimage check FILE\".",
        ),
        Msg::MapHelp => (
            "Carte : flèches pour se déplacer, + et − pour zoomer, 0 pour la vue d'ensemble. Tab parcourt les territoires et les innovations.",
            "Map: arrows to move, + and − to zoom, 0 for the whole view. Tab goes through territories and innovations.",
        ),
        // The visible label (« + », « − ») is part of the name (WCAG 2.5.3).
        Msg::ZoomIn => ("Zoomer +", "Zoom in +"),
        Msg::ZoomOut => ("Dézoomer −", "Zoom out −"),
        Msg::MapArea => ("Zone de la carte", "Map area"),
        Msg::ResetView => ("Vue d'ensemble", "Whole view"),
        Msg::Display => ("Affichage", "Display"),
        Msg::ViewList => ("Liste", "List"),
        Msg::ViewMap => ("Carte", "Map"),
        Msg::SkipToResults => ("Aller aux résultats", "Skip to the results"),
        Msg::LegendNone => ("aucune", "none"),
        Msg::WheelHint => ("Cliquez sur la carte pour zoomer avec la molette", "Click the map to zoom with the wheel"),
        Msg::Close => ("Fermer", "Close"),
        Msg::NoContentType => ("aucun", "none"),
        Msg::ViewListMap => ("Liste et carte", "List and map"),
        Msg::ViewSynthesis => ("Synthèse", "Summary"),
        Msg::SynthesisTitle => ("Synthèse du changement d'échelle", "Scaling summary"),
        Msg::FunnelTitle => ("Stades atteints", "Stages reached"),
        Msg::Selection => ("Sélection", "Selection"),
        Msg::ParentDataset => ("Tout le jeu de données", "Whole dataset"),
        Msg::ParentCountry => ("Tous territoires", "All territories"),
        Msg::TerritoryStageTitle => ("Stades par territoire", "Stages by territory"),
        Msg::TerritoryStageHint => ("Chaque nombre ouvre la liste correspondante. Une innovation présente dans plusieurs territoires compte dans chacun.", "Each number opens the matching list. An innovation present in several territories counts in each."),
        Msg::Total => ("Total", "Total"),
        Msg::StrategiesTitle => ("Stratégies : ont-elles essaimé ?", "Strategies: have they scaled?"),
        Msg::RolesTitle => ("Rôle de l'acteur public : ont-elles essaimé ?", "Role of public actors: have they scaled?"),
        Msg::Scaled => ("Ont essaimé (essaimage et au-delà)", "Scaled (replication and beyond)"),
        Msg::NotScaled => ("Pas encore essaimé", "Not scaled yet"),
        Msg::ScaledShare => ("Part ayant essaimé", "Share that scaled"),
        Msg::StalledTitle => ("À l'arrêt avant le changement d'échelle", "Stalled before scaling"),
        Msg::StalledYears => ("Démarrées depuis au moins (années)", "Started at least this many years ago"),
        Msg::StalledNone => ("Aucune innovation à un stade précoce depuis si longtemps.", "No innovation has been at an early stage for that long."),
        Msg::ReplicasTitle => ("Sites ouverts par année (essaimage)", "Sites opened per year (replication)"),
        Msg::Year => ("Année", "Year"),
        Msg::SitesOpened => ("Sites ouverts", "Sites opened"),
        Msg::ReplicasNone => ("Aucun lieu d'essaimage daté.", "No dated replication site."),
        Msg::ExportTitle => ("Emporter ces résultats", "Take these results away"),
        Msg::ExportCsv => ("Télécharger (CSV)", "Download (CSV)"),
        Msg::ExportJson => ("Télécharger (JSON)", "Download (JSON)"),
        Msg::CopyLink => ("Copier le lien", "Copy the link"),
        Msg::Cite => ("Citer", "Cite"),
        Msg::Copied => ("Copié dans le presse-papiers.", "Copied to the clipboard."),
        Msg::CopyRefused => ("La copie automatique a été refusée : sélectionnez le texte ci-dessous et copiez-le.", "Automatic copy was refused: select the text below and copy it."),
        Msg::LinkField => ("Lien de cette vue", "Link to this view"),
        Msg::CitationField => ("Citation", "Citation"),
        Msg::NoFilter => ("aucun filtre", "no filter"),
        Msg::Presence => ("Présence dans le territoire", "Presence in the territory"),
        Msg::BornHere => ("Née ici", "Born here"),
        Msg::ReplicatedHere => ("Essaimée ici", "Replicated here"),
        Msg::NotHereYet => ("Pas encore ici", "Not here yet"),
    };
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

/// A failure the loader (`static/essaimage.js`) shows in the widget's alert box by itself: before or without the
/// WebAssembly (a page opened from a file, the widget's files not found, the wasm refused…), or after a panic.
///
/// The loader cannot ask the WebAssembly for texts it shows when the WebAssembly cannot run, so it holds a copy of
/// these, of [`Msg::ErrorTitle`], [`Msg::WidgetLabel`], [`Msg::Loading`] and [`Msg::NoContentType`]: its
/// `MESSAGES` block is written from here (`ESSAIMAGE_BLESS=1 cargo test --test loader_texts`), and
/// `cargo test` fails when the two differ (tests/loader_texts.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoaderFailure {
    File,
    Glue,
    Http,
    Network,
    Mime,
    Csp,
    Compile,
    Internal,
    /// The data report of the `debug` option could not be made (the check page's module, `check/`, missing or
    /// refused); the widget itself works.
    Report,
}

impl LoaderFailure {
    pub const ALL: [LoaderFailure; 9] = [
        LoaderFailure::File,
        LoaderFailure::Glue,
        LoaderFailure::Http,
        LoaderFailure::Network,
        LoaderFailure::Mime,
        LoaderFailure::Csp,
        LoaderFailure::Compile,
        LoaderFailure::Internal,
        LoaderFailure::Report,
    ];

    /// The loader's name of the failure (`LoadFailure.kind`).
    pub fn key(self) -> &'static str {
        match self {
            LoaderFailure::File => "file",
            LoaderFailure::Glue => "glue",
            LoaderFailure::Http => "http",
            LoaderFailure::Network => "network",
            LoaderFailure::Mime => "mime",
            LoaderFailure::Csp => "csp",
            LoaderFailure::Compile => "compile",
            LoaderFailure::Internal => "internal",
            LoaderFailure::Report => "report",
        }
    }

    /// What happened and what to do, in `locale`. The loader fills in `{url}`, `{status}`, `{type}` and
    /// `{message}` (the failure's details).
    pub fn texts(self, locale: Locale) -> (&'static str, &'static str) {
        let (fr, en) = match self {
            LoaderFailure::File => (
                (
                    "Page ouverte depuis un fichier local (file://)",
                    "Les navigateurs interdisent de charger WebAssembly et des données depuis une page ouverte en \
                     file://. Servez le dossier avec un serveur web, par exemple « make demo » ou « python3 -m \
                     http.server », puis ouvrez l'adresse http://127.0.0.1:…",
                ),
                (
                    "Page opened from a local file (file://)",
                    "Browsers do not let a page opened as file:// load WebAssembly or data. Serve the folder with a web \
                     server, e.g. \"make demo\" or \"python3 -m http.server\", then open the http://127.0.0.1:… address.",
                ),
            ),
            LoaderFailure::Glue => (
                (
                    "Fichiers du widget introuvables",
                    "Le script {url} n'a pas pu être chargé. Publiez tout le dossier du widget tel quel, ou indiquez \
                     son adresse avec data-base. Si la page a une politique de sécurité (CSP), script-src doit \
                     autoriser ce domaine.",
                ),
                (
                    "The widget's files cannot be found",
                    "The script {url} could not be loaded. Publish the whole widget folder as it is, or give its \
                     address with data-base. If the page has a Content-Security-Policy, script-src must allow that \
                     domain.",
                ),
            ),
            LoaderFailure::Http => (
                (
                    "Fichier WebAssembly introuvable",
                    "Le serveur répond {status} pour {url}. Publiez tout le dossier du widget tel quel, ou indiquez \
                     son adresse avec data-base.",
                ),
                (
                    "WebAssembly file not found",
                    "The server answers {status} for {url}. Publish the whole widget folder as it is, or give its \
                     address with data-base.",
                ),
            ),
            LoaderFailure::Network => (
                (
                    "Fichier WebAssembly inaccessible",
                    "Aucune réponse pour {url} ({message}). Si le widget est hébergé sur un autre domaine que la page, \
                     ce serveur doit autoriser CORS (Access-Control-Allow-Origin) et la CSP de la page doit \
                     l'autoriser dans connect-src.",
                ),
                (
                    "WebAssembly file unreachable",
                    "No answer for {url} ({message}). If the widget is hosted on another domain than the page, that \
                     server must allow CORS (Access-Control-Allow-Origin) and the page's CSP must allow it in \
                     connect-src.",
                ),
            ),
            LoaderFailure::Mime => (
                (
                    "Type MIME incorrect pour le fichier WebAssembly",
                    "Le serveur envoie {url} avec le type « {type} » au lieu de « application/wasm ». Configurez le \
                     serveur (par exemple « AddType application/wasm .wasm » pour Apache, « types { application/wasm \
                     wasm; } » pour nginx).",
                ),
                (
                    "Wrong MIME type for the WebAssembly file",
                    "The server sends {url} as \"{type}\" instead of \"application/wasm\". Configure the server (e.g. \
                     \"AddType application/wasm .wasm\" for Apache, \"types { application/wasm wasm; }\" for nginx).",
                ),
            ),
            LoaderFailure::Csp => (
                (
                    "WebAssembly bloqué par la politique de sécurité de la page",
                    "La Content-Security-Policy de la page interdit WebAssembly. Ajoutez 'wasm-unsafe-eval' à la \
                     directive script-src (cela n'autorise pas eval() pour JavaScript).",
                ),
                (
                    "WebAssembly blocked by the page's security policy",
                    "The page's Content-Security-Policy forbids WebAssembly. Add 'wasm-unsafe-eval' to the script-src \
                     directive (it does not allow eval() for JavaScript).",
                ),
            ),
            LoaderFailure::Compile => (
                (
                    "Le fichier WebAssembly est invalide",
                    "{url} n'a pas pu être compilé ({message}). Recopiez les fichiers du widget depuis la même \
                     version, sans les modifier (attention aux transferts FTP en mode texte).",
                ),
                (
                    "The WebAssembly file is invalid",
                    "{url} could not be compiled ({message}). Copy the widget's files again from the same version, \
                     unchanged (beware of FTP transfers in text mode).",
                ),
            ),
            LoaderFailure::Internal => (
                (
                    "Erreur interne du widget",
                    "Rechargez la page. Si le problème continue, signalez-le à l'équipe du site en joignant ce \
                     message : {message}",
                ),
                (
                    "Internal error in the widget",
                    "Reload the page. If the problem continues, report it to the site's team with this message: \
                     {message}",
                ),
            ),
            LoaderFailure::Report => (
                (
                    "Rapport de validation indisponible",
                    "{url} n'a pas pu être chargé ({message}) : copiez le dossier check/ à côté de essaimage.js.",
                ),
                (
                    "Data validation report unavailable",
                    "{url} could not be loaded ({message}): copy the check/ folder next to essaimage.js.",
                ),
            ),
        };
        match locale {
            Locale::Fr => fr,
            Locale::En => en,
        }
    }
}

/// The data report's texts around its lines, in the widget with the `debug` option (`static/essaimage.js` shows
/// what the check page's module, `check_page::widget_report`, gives): its title, the sentence before the problems,
/// and the list's name.
pub fn report_texts(locale: Locale) -> [&'static str; 3] {
    match locale {
        Locale::Fr => [
            "Rapport de validation des données",
            "Problèmes trouvés dans le jeu de données. Les fiches valides sont affichées ; corrigez ces points dans le \
             fichier source.",
            "Problèmes",
        ],
        Locale::En => [
            "Data validation report",
            "Problems found in the dataset. Valid records are shown; fix these in the source file.",
            "Problems",
        ],
    }
}

/// « Née à Lyon (69) · présente ici depuis 2019 »: where a result born elsewhere started, and since when it is in
/// the chosen territory (`place` is its origin as written, empty when unknown).
pub fn presence_mark(locale: Locale, born: &str, since: Option<i32>) -> String {
    let mut s = String::from(match (locale, born.is_empty()) {
        (Locale::Fr, false) => "Née à ",
        (Locale::En, false) => "Born in ",
        (Locale::Fr, true) => "Née ailleurs",
        (Locale::En, true) => "Born elsewhere",
    });
    s.push_str(born);
    s.push_str(match (locale, since) {
        (Locale::Fr, Some(_)) => " · présente ici depuis ",
        (Locale::En, Some(_)) => " · here since ",
        (Locale::Fr, None) => " · présente ici",
        (Locale::En, None) => " · present here",
    });
    if let Some(y) = since {
        s.push_str(&y.to_string());
    }
    s
}

/// Accessible name of a territory × stage cell: « Bretagne, Amorçage : 3 innovations, afficher la liste ».
pub fn cell_label(locale: Locale, noun: &Noun, territory: &str, stage: &str, n: usize) -> String {
    match locale {
        Locale::Fr => format!("{territory}, {stage} : {}, afficher la liste", noun.count(locale, n)),
        Locale::En => format!("{territory}, {stage}: {}, show the list", noun.count(locale, n)),
    }
}

/// « 12 % ».
pub fn percent_text(locale: Locale, p: usize) -> String {
    match locale {
        Locale::Fr => format!("{p}\u{202F}%"),
        Locale::En => format!("{p}%"),
    }
}

/// Formats an integer with the locale's thousands separator (narrow no-break space in French).
pub fn number(locale: Locale, n: usize) -> String {
    let digits = n.to_string();
    let sep = match locale {
        Locale::Fr => "\u{202F}",
        Locale::En => ",",
    };
    let mut out = String::with_capacity(digits.len() + 8);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    out
}

/// The button that unfolds the values of a facet that no record of the dataset has.
pub fn more_values(locale: Locale, n: usize) -> String {
    match (locale, n) {
        (Locale::Fr, 1) => "Afficher 1 autre valeur (sans résultat)".to_owned(),
        (Locale::Fr, _) => format!("Afficher les {} autres valeurs (sans résultat)", number(locale, n)),
        (Locale::En, 1) => "Show 1 more value (no result)".to_owned(),
        (Locale::En, _) => format!("Show {} more values (no result)", number(locale, n)),
    }
}

/// What a dataset lists, singular and plural, in each language: innovations unless the dataset names them
/// (`"noun"` in docs/DATASET.md: « tiers-lieux », « projets »). The texts that use it are written so that no word
/// agrees with it (French adjectives would take its gender).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Noun {
    pub fr: [String; 2],
    pub en: [String; 2],
}

impl Default for Noun {
    fn default() -> Self {
        let words = |one: &str, many: &str| [one.to_owned(), many.to_owned()];
        Noun { fr: words("innovation", "innovations"), en: words("innovation", "innovations") }
    }
}

impl Noun {
    /// The plural, as a title or a label (« Tiers-lieux »).
    pub fn plural_title(&self, locale: Locale) -> String {
        let word = self.word(locale, true);
        let mut chars = word.chars();
        let Some(first) = chars.next() else { return String::new() };
        // French initials by hand: `char::to_uppercase` links Unicode's case tables into the wasm (docs/SIZE.md).
        const LOWER: &str = "àâäéèêëîïôöùûüçœ";
        const UPPER: [&str; 16] = ["À", "Â", "Ä", "É", "È", "Ê", "Ë", "Î", "Ï", "Ô", "Ö", "Ù", "Û", "Ü", "Ç", "Œ"];
        let upper = match LOWER.chars().position(|c| c == first) {
            Some(i) => UPPER[i].to_owned(),
            None => first.to_ascii_uppercase().to_string(),
        };
        upper + chars.as_str()
    }

    pub fn word(&self, locale: Locale, plural: bool) -> &str {
        let words = match locale {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        };
        &words[usize::from(plural)]
    }

    /// « 12 innovations », « 1 tiers-lieu », « 0 projet » (French uses the singular below 2).
    pub fn count(&self, locale: Locale, n: usize) -> String {
        let plural = match locale {
            Locale::Fr => n >= 2,
            Locale::En => n != 1,
        };
        format!("{} {}", number(locale, n), self.word(locale, plural))
    }
}

/// The live-region text: the result count, plus the total when filtered.
pub fn results_status(locale: Locale, noun: &Noun, shown: usize, total: usize) -> String {
    let count = noun.count(locale, shown);
    if shown == total {
        return count;
    }
    match locale {
        Locale::Fr => format!("{count} sur {}", number(locale, total)),
        Locale::En => format!("{count} of {}", number(locale, total)),
    }
}

/// While a large dataset loads and the first records are shown: how far it is (`total` is 0 while the file is
/// still downloading).
pub fn loading_progress(locale: Locale, noun: &Noun, read: usize, total: usize) -> String {
    let count = noun.count(locale, read);
    if total == 0 {
        return match locale {
            Locale::Fr => format!(
                "Chargement : {count} à l'écran pendant que la suite du fichier arrive. Liste, nombres et carte \
                 seront complets à la fin."
            ),
            Locale::En => format!(
                "Loading: {count} shown while the rest of the file downloads. The list, counts and map will be \
                 complete at the end."
            ),
        };
    }
    let total = number(locale, total);
    match locale {
        Locale::Fr => {
            format!("Chargement : lecture de {count} sur {total}. Liste, nombres et carte seront complets à la fin.")
        }
        Locale::En => {
            format!("Loading: {count} of {total} read. The list, counts and map will be complete at the end.")
        }
    }
}

/// « 3 innovations sans localisation » for results that cannot be placed.
pub fn not_located_count(locale: Locale, noun: &Noun, n: usize) -> String {
    match locale {
        Locale::Fr => format!("{} sans localisation", noun.count(locale, n)),
        Locale::En => format!("{} without a location", noun.count(locale, n)),
    }
}

/// « 12 autres communes », the row that sums the communes past the synthesis' largest ones.
pub fn other_communes(locale: Locale, n: usize) -> String {
    match locale {
        Locale::Fr => format!("{} autres communes", number(locale, n)),
        Locale::En => format!("{} other communes", number(locale, n)),
    }
}

/// « Carte des innovations », the map's title and name.
pub fn map_title(locale: Locale, noun: &Noun) -> String {
    match locale {
        Locale::Fr => format!("Carte des {}", noun.word(locale, true)),
        Locale::En => format!("Map of {}", noun.word(locale, true)),
    }
}

/// « Innovations par territoire », the legend's title.
pub fn legend_title(locale: Locale, noun: &Noun) -> String {
    match locale {
        Locale::Fr => format!("{} par territoire", noun.plural_title(locale)),
        Locale::En => format!("{} per territory", noun.plural_title(locale)),
    }
}

/// A territory's accessible name and tooltip: « Bretagne : 12 innovations ».
pub fn territory_count(locale: Locale, noun: &Noun, name: &str, n: usize) -> String {
    match locale {
        Locale::Fr => format!("{name} : {}", noun.count(locale, n)),
        Locale::En => format!("{name}: {}", noun.count(locale, n)),
    }
}

/// A place suggested by the search: « Innovations en Bretagne », « Innovations : Ille-et-Vilaine (35) »,
/// « Innovations à Rennes et alentours ». `kind`: 0 a region, 1 a department, 2 a commune (and around it).
pub fn place_suggestion(locale: Locale, noun: &Noun, kind: u8, name: &str) -> String {
    let what = noun.plural_title(locale);
    match (locale, kind) {
        (Locale::Fr, 0) if name.starts_with("La ") || name == "Mayotte" => format!("{what} à {name}"),
        (Locale::Fr, 0) => format!("{what} en {name}"),
        (Locale::Fr, 1) => format!("{what} : {name}"),
        (Locale::Fr, _) => format!("{what} à {name} et alentours"),
        (Locale::En, 1) => format!("{what}: {name}"),
        (Locale::En, _) => format!("{what} in and around {name}"),
    }
}

/// A radius filter's name: « Rennes (35) · 25 km ».
pub fn around_name(name: &str, km: u16) -> String {
    format!("{name} · {km} km")
}

/// A result's distance to the centre of the radius filter: « à 12 km », « à moins d'1 km ».
pub fn distance(locale: Locale, km: f64) -> String {
    let n = (km + 0.5).floor() as usize;
    match (locale, n) {
        (Locale::Fr, 0) => "à moins d'1 km".to_owned(),
        (Locale::En, 0) => "less than 1 km away".to_owned(),
        (Locale::Fr, _) => format!("à {} km", number(locale, n)),
        (Locale::En, _) => format!("{} km away", number(locale, n)),
    }
}

/// The button that ends the filter panel on narrow screens: « Voir les 12 résultats ».
pub fn see_results(locale: Locale, n: usize) -> String {
    match (locale, n) {
        (Locale::Fr, 1) => "Voir le résultat".to_owned(),
        (Locale::Fr, _) => format!("Voir les {} résultats", number(locale, n)),
        (Locale::En, 1) => "See the result".to_owned(),
        (Locale::En, _) => format!("See the {} results", number(locale, n)),
    }
}

/// A cluster's accessible name, which says where it is (`place`, one of its innovations' place, made unique on
/// the map by the caller) and what activating it does: « 12 innovations autour de Rennes (35) : zoomer ».
pub fn cluster_label(locale: Locale, noun: &Noun, n: usize, place: &str, zooms: bool) -> String {
    let count = noun.count(locale, n);
    match (locale, zooms) {
        (Locale::Fr, true) => format!("{count} autour de {place} : zoomer"),
        (Locale::Fr, false) => format!("{count} autour de {place} : afficher la liste"),
        (Locale::En, true) => format!("{count} around {place}: zoom in"),
        (Locale::En, false) => format!("{count} around {place}: show the list"),
    }
}

/// « Page 2 sur 7 ».
pub fn page_of(locale: Locale, page: usize, pages: usize) -> String {
    match locale {
        Locale::Fr => format!("Page {page} sur {pages}"),
        Locale::En => format!("Page {page} of {pages}"),
    }
}

/// Accessible name of a removable filter chip: « Retirer le filtre Thématique : Habitat ».
pub fn remove_filter(locale: Locale, facet: &str, value: &str) -> String {
    match locale {
        Locale::Fr => format!("Retirer le filtre {facet} : {value}"),
        Locale::En => format!("Remove filter {facet}: {value}"),
    }
}

/// « Données mises à jour le 27 novembre 2026 » from `YYYY-MM-DD` (already validated).
pub fn updated_on(locale: Locale, date: &str) -> String {
    match locale {
        Locale::Fr => format!("Données mises à jour le {}", long_date(locale, date)),
        Locale::En => format!("Data updated on {}", long_date(locale, date)),
    }
}

/// « 27 novembre 2026 », « 1er mars 2026 », "27 November 2026" from `YYYY-MM-DD` (written as given otherwise).
pub fn long_date(locale: Locale, date: &str) -> String {
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = date.splitn(3, '-');
    let (y, m, d) = (parts.next(), parts.next(), parts.next());
    let parsed = match (y, m.and_then(|m| m.parse::<usize>().ok()), d.and_then(|d| d.parse::<u32>().ok())) {
        (Some(y), Some(m @ 1..=12), Some(d)) => Some((y, m - 1, d)),
        _ => None,
    };
    match (locale, parsed) {
        (Locale::Fr, Some((y, m, d))) => {
            let day = if d == 1 { "1er".to_owned() } else { d.to_string() };
            format!("{day} {} {y}", FR[m])
        }
        (Locale::En, Some((y, m, d))) => format!("{d} {} {y}", EN[m]),
        (_, None) => date.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_each_language_plural_rule() {
        let innovations = Noun::default();
        let innovations_count = |locale, n| innovations.count(locale, n);
        assert_eq!(innovations_count(Locale::Fr, 0), "0 innovation");
        assert_eq!(innovations_count(Locale::Fr, 1), "1 innovation");
        assert_eq!(innovations_count(Locale::Fr, 12), "12 innovations");
        assert_eq!(innovations_count(Locale::En, 0), "0 innovations");
        assert_eq!(innovations_count(Locale::Fr, 100_000), "100\u{202F}000 innovations");
        assert_eq!(innovations_count(Locale::En, 1_234_567), "1,234,567 innovations");
        let places =
            Noun { fr: ["tiers-lieu".into(), "tiers-lieux".into()], en: ["third place".into(), "third places".into()] };
        assert_eq!(places.count(Locale::Fr, 1), "1 tiers-lieu");
        assert_eq!(places.count(Locale::Fr, 3), "3 tiers-lieux");
        assert_eq!(places.count(Locale::En, 0), "0 third places");
        assert_eq!(places.plural_title(Locale::Fr), "Tiers-lieux");
        let schools = Noun { fr: ["école".into(), "écoles".into()], en: ["school".into(), "schools".into()] };
        assert_eq!(schools.plural_title(Locale::Fr), "Écoles");
        assert_eq!(map_title(Locale::En, &places), "Map of third places");
        assert_eq!(not_located_count(Locale::Fr, &places, 2), "2 tiers-lieux sans localisation");
        assert_eq!(results_status(Locale::Fr, &Noun::default(), 12, 59), "12 innovations sur 59");
        assert_eq!(not_located_count(Locale::Fr, &Noun::default(), 3), "3 innovations sans localisation");
    }

    #[test]
    fn dates_are_written_out() {
        assert_eq!(updated_on(Locale::Fr, "2026-11-27"), "Données mises à jour le 27 novembre 2026");
        assert_eq!(updated_on(Locale::Fr, "2026-03-01"), "Données mises à jour le 1er mars 2026");
        assert_eq!(updated_on(Locale::En, "2026-11-27"), "Data updated on 27 November 2026");
    }

    #[test]
    fn locale_parsing_accepts_regional_tags() {
        assert_eq!(Locale::parse("en-GB"), Some(Locale::En));
        assert_eq!(Locale::parse("FR"), Some(Locale::Fr));
        assert_eq!(Locale::parse("de"), None);
    }
}
