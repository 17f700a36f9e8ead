//! Deterministic synthetic dataset for the browser benchmark (`make bench`, docs/PERFORMANCE.md).
//!
//! ```sh
//! cargo run --release --example generate -- --count 100000 --seed 4 --out target/bench/innovations-100k.json
//! ```
//!
//! Writes an `essaimage/1` document (static/schema/essaimage-1.schema.json) of `--count` innovations. The same
//! count, seed and commune table always give the same bytes (own xorshift64* generator, integer arithmetic only,
//! coordinates copied from the table as text); the records of a smaller file are the first records of a larger one
//! with the same seed.
//!
//! What the records look like, so that the benchmark loads, filters and searches something like real data:
//! - origin on a real commune point of `static/data/communes.csv` (type `COM` with a point), drawn with a
//!   probability proportional to its population, overseas departments included; every place gives commune name,
//!   INSEE code, department, region, lon and lat (so the widget never needs the commune table);
//! - name 20–90 characters and summary 150–600 characters of French-like words (accents, apostrophes,
//!   « guillemets », sometimes ASCII double quotes and a line break, so escaping is exercised);
//! - 1–3 themes, a stage, 0–2 scaling strategies, 0–3 public roles, a carrier kind, each with a skewed
//!   distribution so facets have different sizes;
//! - a start year (sometimes absent), a number of sites (sometimes null or absent), an http(s) URL for most
//!   records and 1–4 source URLs;
//! - about 15 % of the records with 1–5 replicas on other communes.
//!
//! JSON is written with the standard library only (no crate): strings are escaped per RFC 8259.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::ExitCode;

/// xorshift64* (Vigna), seeded through splitmix64 so that small seeds give unrelated streams.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`), by the multiply-shift method (bias below 2^-32 for the sizes used here).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given relative weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    /// `count` distinct indices in `0..weights.len()`, drawn with the given weights, in drawing order.
    fn distinct(&mut self, weights: &[u64], count: usize) -> Vec<usize> {
        let mut w = weights.to_vec();
        let mut out = Vec::with_capacity(count);
        for _ in 0..count.min(w.len()) {
            let i = self.weighted(&w);
            w[i] = 0;
            out.push(i);
        }
        out
    }
}

struct Commune {
    code: String,
    name: String,
    dep: String,
    reg: String,
    lon: String,
    lat: String,
}

/// The communes to draw from, with the cumulative population (the drawing weights).
struct Communes {
    list: Vec<Commune>,
    cumulative: Vec<u64>,
}

impl Communes {
    fn read(path: &str) -> Result<Communes, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().ok_or_else(|| format!("{path} is empty"))?.split(',').collect();
        let col =
            |name: &str| header.iter().position(|h| *h == name).ok_or_else(|| format!("{path}: no column `{name}`"));
        let (c_code, c_name, c_type, c_dep, c_reg, c_lon, c_lat, c_pop) = (
            col("code")?,
            col("nom")?,
            col("type")?,
            col("dep")?,
            col("reg")?,
            col("lon")?,
            col("lat")?,
            col("population")?,
        );
        let mut list = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for (n, line) in lines.enumerate() {
            // The table has no quoted fields (no name contains a comma), so a plain split is exact.
            let f: Vec<&str> = line.split(',').collect();
            if f.len() != header.len() {
                return Err(format!("{path}:{}: {} fields, expected {}", n + 2, f.len(), header.len()));
            }
            if f[c_type] != "COM" || f[c_lon].is_empty() || f[c_lat].is_empty() {
                continue;
            }
            let population: u64 = f[c_pop].parse().unwrap_or(0);
            if population == 0 {
                continue;
            }
            total += population;
            cumulative.push(total);
            list.push(Commune {
                code: f[c_code].to_owned(),
                name: f[c_name].to_owned(),
                dep: f[c_dep].to_owned(),
                reg: f[c_reg].to_owned(),
                lon: f[c_lon].to_owned(),
                lat: f[c_lat].to_owned(),
            });
        }
        if list.is_empty() {
            return Err(format!("{path}: no commune with a point and a population"));
        }
        Ok(Communes { list, cumulative })
    }

    /// A commune drawn with a probability proportional to its population.
    fn draw(&self, rng: &mut Rng) -> usize {
        let r = rng.below(*self.cumulative.last().expect("not empty"));
        self.cumulative.partition_point(|&c| c <= r)
    }
}

// ---- vocabularies (ids of static/schema/essaimage-1.schema.json), with the weights of the draw ----------------

const THEMES: [&str; 15] = [
    "emploi-insertion",
    "alimentation",
    "habitat",
    "mobilite",
    "sante-autonomie",
    "education-jeunesse",
    "culture",
    "numerique",
    "transition-ecologique",
    "economie-circulaire",
    "lien-social",
    "agriculture",
    "energie",
    "solidarite-precarite",
    "services-au-public",
];
const THEME_WEIGHTS: [u64; 15] = [14, 10, 8, 6, 9, 8, 5, 6, 11, 7, 12, 5, 3, 9, 4];
const THEME_COUNT: [u64; 3] = [45, 38, 17]; // 1, 2 or 3 themes

const STAGES: [&str; 6] =
    ["amorcage", "experimentation", "consolidation", "essaimage", "changement-echelle", "generalisation"];
const STAGE_WEIGHTS: [u64; 6] = [14, 22, 26, 20, 12, 6];

const STRATEGIES: [&str; 6] = [
    "diversification",
    "duplication",
    "essaimage-souple",
    "essaimage-reseau",
    "cooperation-fusion",
    "reprise-publique",
];
const STRATEGY_WEIGHTS: [u64; 6] = [14, 20, 26, 22, 8, 10];
const STRATEGY_COUNT: [u64; 3] = [30, 48, 22]; // 0, 1 or 2

const SUPPORT: [&str; 5] =
    ["financement", "ecosysteme", "appui-diffusion", "reprise-institutionnelle", "commande-publique"];
const SUPPORT_WEIGHTS: [u64; 5] = [36, 26, 18, 8, 12];
const SUPPORT_COUNT: [u64; 4] = [24, 36, 26, 14]; // 0 to 3

const CARRIERS: [&str; 6] = ["association", "cooperative", "entreprise", "collectivite", "groupement", "fondation"];
const CARRIER_WEIGHTS: [u64; 6] = [55, 15, 12, 9, 6, 3];

const REPLICA_COUNT: [u64; 5] = [34, 26, 18, 12, 10]; // 1 to 5, for the ≈15 % of records that have some

// ---- French-like text -----------------------------------------------------------------------------------------

/// Name heads: (word, feminine).
const HEADS: [(&str, bool); 32] = [
    ("Atelier", false),
    ("Maison", true),
    ("Réseau", false),
    ("Jardin", false),
    ("Épicerie", true),
    ("Fabrique", true),
    ("Collectif", false),
    ("Plateforme", true),
    ("Tiers-lieu", false),
    ("Recyclerie", true),
    ("Coopérative", true),
    ("École", true),
    ("Garage", false),
    ("Ferme", true),
    ("Cantine", true),
    ("Café", false),
    ("Pôle", false),
    ("Conciergerie", true),
    ("Ressourcerie", true),
    ("Repair café", false),
    ("Habitat", false),
    ("Bus", false),
    ("Régie de quartier", true),
    ("Halle", true),
    ("Laverie", true),
    ("Friperie", true),
    ("Accorderie", true),
    ("Boutique", true),
    ("Centre", false),
    ("Chantier d'insertion", false),
    ("Auto-école", true),
    ("Légumerie", true),
];

/// Adjectives: (masculine, feminine).
const ADJECTIVES: [(&str, &str); 18] = [
    ("solidaire", "solidaire"),
    ("partagé", "partagée"),
    ("numérique", "numérique"),
    ("citoyen", "citoyenne"),
    ("itinérant", "itinérante"),
    ("coopératif", "coopérative"),
    ("inclusif", "inclusive"),
    ("rural", "rurale"),
    ("mobile", "mobile"),
    ("intergénérationnel", "intergénérationnelle"),
    ("participatif", "participative"),
    ("paysan", "paysanne"),
    ("nourricier", "nourricière"),
    ("social", "sociale"),
    ("éphémère", "éphémère"),
    ("associatif", "associative"),
    ("accessible", "accessible"),
    ("autonome", "autonome"),
];

const COMPLEMENTS: [&str; 24] = [
    "de proximité",
    "des savoirs",
    "pour tous",
    "zéro déchet",
    "en commun",
    "du quotidien",
    "des jeunes",
    "des aidants",
    "pour l'emploi",
    "de quartier",
    "des possibles",
    "et durable",
    "des métiers",
    "du vélo",
    "des saisons",
    "du réemploi",
    "des familles",
    "en circuit court",
    "pour l'autonomie",
    "des territoires",
    "d'entraide",
    "de l'alimentation durable",
    "des seniors",
    "et ses partenaires",
];

const SUBJECTS: [&str; 16] = [
    "L'association",
    "Le collectif",
    "Cette coopérative",
    "Un groupe d'habitants",
    "La commune",
    "Le projet",
    "L'équipe salariée",
    "Une équipe de bénévoles",
    "Le tiers-lieu",
    "La régie de quartier",
    "Un réseau d'agriculteurs",
    "La structure",
    "Le centre social",
    "Une entreprise à but d'emploi",
    "Le syndicat intercommunal",
    "La fondation",
];

const VERBS: [&str; 16] = [
    "accompagne",
    "crée des services pour",
    "organise avec",
    "forme",
    "met en relation",
    "réunit",
    "soutient",
    "expérimente avec",
    "anime des rencontres pour",
    "accueille",
    "relie",
    "emploie",
    "oriente",
    "équipe",
    "conseille",
    "mobilise",
];

const OBJECTS: [&str; 18] = [
    "les habitants",
    "des demandeurs d'emploi de longue durée",
    "les familles monoparentales",
    "des jeunes sans qualification",
    "les personnes âgées isolées",
    "les agriculteurs du territoire",
    "des artisans",
    "les élus locaux",
    "les acteurs de l'économie sociale et solidaire",
    "des publics éloignés du numérique",
    "les locataires du parc social",
    "des personnes en situation de handicap",
    "les commerçants du bourg",
    "des étudiants",
    "les aidants familiaux",
    "des réfugiés",
    "les écoles du secteur",
    "les entreprises voisines",
];

const CIRCUMSTANCES: [&str; 20] = [
    "autour d'un lieu partagé",
    "grâce à des ateliers hebdomadaires",
    "en lien avec le département",
    "avec l'appui de la région",
    "dans une logique de circuits courts",
    "sur l'ensemble du bassin de vie",
    "avec un modèle économique hybride",
    "en s'appuyant sur le bénévolat",
    "pour lutter contre le gaspillage",
    "dans des locaux mis à disposition par la mairie",
    "avec des outils numériques simples",
    "en complément des services publics",
    "au plus près des lieux de vie",
    "selon une méthode documentée et libre de droits",
    "avec une gouvernance partagée",
    "en mutualisant les moyens de plusieurs communes",
    "dans le cadre d'un appel à projets",
    "avec le soutien de la caisse d'allocations familiales",
    "pour créer des emplois non délocalisables",
    "sans condition de ressources",
];

const QUOTES: [&str; 8] = [
    "On ne fait pas pour les gens, on fait avec eux",
    "Chaque quartier peut reprendre la méthode",
    "Le lien compte autant que le service",
    "Nous avons appris en faisant",
    "Personne n'est inemployable",
    "Le territoire est notre premier partenaire",
    "Il fallait d'abord créer la confiance",
    "Ce qui marche ici peut marcher ailleurs",
];

const ROLES: [&str; 6] =
    ["la coordinatrice", "le président", "une bénévole", "le maire", "la directrice", "un salarié"];

const SOURCE_SITES: [&str; 12] = [
    "www.avise.org",
    "www.francebleu.fr",
    "www.ouest-france.fr",
    "www.banquedesterritoires.fr",
    "www.lelabo-ess.org",
    "www.bruded.fr",
    "www.ess-france.org",
    "www.lagazettedescommunes.com",
    "www.territoires-zero-chomeur.fr",
    "www.france-tiers-lieux.fr",
    "www.caf.fr",
    "www.agence-cohesion-territoires.gouv.fr",
];
const SOURCE_SECTIONS: [&str; 6] = ["actualites", "projet", "article", "initiatives", "territoires", "ressources"];
const URL_SUFFIXES: [&str; 5] = [".fr", ".org", ".asso.fr", ".coop", ".fr"];

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Cuts `s` to at most `max` characters at a word boundary.
fn cut_words(s: &mut String, max: usize) {
    if char_len(s) <= max {
        return;
    }
    let byte_max = s.char_indices().nth(max).map_or(s.len(), |(b, _)| b);
    let cut = s[..byte_max].rfind(' ').unwrap_or(byte_max);
    s.truncate(cut);
    while s.ends_with([' ', ',', '\'']) {
        s.pop();
    }
}

/// « de Rennes », « d'Angers », « du Mans », « des Abymes ».
fn of_place(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if let Some(rest) = name.strip_prefix("Les ") {
        format!("des {rest}")
    } else if name.starts_with(['A', 'E', 'I', 'O', 'U', 'Y', 'É', 'Î', 'H']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

fn name(rng: &mut Rng, commune: &Commune) -> String {
    let target = rng.range(20, 90) as usize;
    let (head, feminine) = rng.pick(&HEADS);
    let (m, f) = rng.pick(&ADJECTIVES);
    let mut s = format!("{head} {}", if feminine { f } else { m });
    let mut placed = false;
    let mut used = Vec::new();
    while char_len(&s) < target {
        if !placed && rng.chance(350) {
            placed = true;
            let _ = write!(s, " {}", of_place(&commune.name));
        } else {
            // Each complement at most once, so long names do not stutter.
            let mut k = rng.below(COMPLEMENTS.len() as u64) as usize;
            while used.contains(&k) {
                k = (k + 1) % COMPLEMENTS.len();
            }
            used.push(k);
            s.push(' ');
            s.push_str(COMPLEMENTS[k]);
        }
    }
    cut_words(&mut s, 90);
    s
}

fn summary(rng: &mut Rng, commune: &Commune, started: Option<u64>) -> String {
    let target = rng.range(150, 600) as usize;
    let mut s = String::with_capacity(target + 200);
    let ascii_quotes = rng.chance(50);
    let paragraph = rng.chance(50);
    while char_len(&s) < target {
        if !s.is_empty() {
            s.push(if paragraph && rng.chance(250) { '\n' } else { ' ' });
        }
        match rng.below(10) {
            0 => {
                let _ = write!(s, "Le projet est né à {} en {}.", commune.name, started.unwrap_or(2015));
            }
            1 => {
                let _ = write!(s, "« {} », résume {}.", rng.pick(&QUOTES), rng.pick(&ROLES));
            }
            2 => {
                let _ = write!(s, "Près de {} personnes en bénéficient chaque année.", rng.range(2, 90) * 10);
            }
            3 if ascii_quotes => {
                let (head, _) = rng.pick(&HEADS);
                let _ = write!(s, "Les \"{}\" essaiment {}.", head.to_lowercase(), rng.pick(&CIRCUMSTANCES));
            }
            _ => {
                let _ = write!(
                    s,
                    "{} {} {} {}.",
                    rng.pick(&SUBJECTS),
                    rng.pick(&VERBS),
                    rng.pick(&OBJECTS),
                    rng.pick(&CIRCUMSTANCES)
                );
            }
        }
    }
    if char_len(&s) > 600 {
        cut_words(&mut s, 599);
        s.push('.');
    }
    s
}

/// Lower-case ASCII letters, digits and single dashes, from a French text.
fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'à' | 'â' | 'ä' | 'À' | 'Â' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' => 'e',
            'î' | 'ï' | 'Î' => 'i',
            'ô' | 'ö' | 'Ô' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ÿ' => 'y',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => '-',
        };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        if out.len() >= max {
            break;
        }
        out.push(c);
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Appends `s` as a JSON string (RFC 8259: quote, backslash and control characters escaped; the rest as UTF-8).
fn json_str(out: &mut String, s: &str) {
    // The crate's own JSON writer escapes strings as RFC 8259 requires.
    let _ = write!(out, "{}", essaimage::json::Json::String(s.to_owned()));
}

fn json_str_array(out: &mut String, items: &[&str]) {
    out.push('[');
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_str(out, s);
    }
    out.push(']');
}

/// `{"commune":…,"commune_insee":…,"department":…,"region":…,"lon":…,"lat":…` (left open for extra fields).
fn json_place_open(out: &mut String, c: &Commune) {
    out.push_str("{\"commune\":");
    json_str(out, &c.name);
    out.push_str(",\"commune_insee\":");
    json_str(out, &c.code);
    out.push_str(",\"department\":");
    json_str(out, &c.dep);
    out.push_str(",\"region\":");
    json_str(out, &c.reg);
    // Copied as written in the table (decimal numbers, valid JSON), so no float formatting is involved.
    let _ = write!(out, ",\"lon\":{},\"lat\":{}", c.lon, c.lat);
}

const LAST_YEAR: u64 = 2025;

fn year(rng: &mut Rng) -> u64 {
    if rng.chance(700) {
        rng.range(2005, LAST_YEAR)
    } else {
        rng.range(1970, 2004)
    }
}

/// One record, as a JSON object on one line.
fn record(rng: &mut Rng, communes: &Communes, index: u64, out: &mut String) {
    let origin_i = communes.draw(rng);
    let origin = &communes.list[origin_i];
    let started = if rng.chance(930) { Some(year(rng)) } else { None };
    let name = name(rng, origin);
    let id = format!("{}-{index}", slug(&name, 48));

    out.push_str("{\"id\":");
    json_str(out, &id);
    out.push_str(",\"name\":");
    json_str(out, &name);
    out.push_str(",\"summary\":");
    let text = summary(rng, origin, started);
    json_str(out, &text);
    out.push_str(",\"carrier_kind\":");
    json_str(out, CARRIERS[rng.weighted(&CARRIER_WEIGHTS)]);
    out.push_str(",\"origin\":");
    json_place_open(out, origin);
    out.push('}');

    // ≈15 % of the records are replicated, on 1 to 5 other communes.
    if rng.chance(150) {
        let n = rng.weighted(&REPLICA_COUNT) + 1;
        let mut taken = vec![origin_i];
        out.push_str(",\"replicas\":[");
        for k in 0..n {
            let mut c = communes.draw(rng);
            while taken.contains(&c) {
                c = communes.draw(rng);
            }
            taken.push(c);
            if k > 0 {
                out.push(',');
            }
            json_place_open(out, &communes.list[c]);
            if rng.chance(800) {
                let from = started.unwrap_or(2000).max(1990);
                let _ = write!(out, ",\"started\":{}", rng.range(from, LAST_YEAR));
            }
            out.push('}');
        }
        out.push(']');
    }

    let n = rng.weighted(&THEME_COUNT) + 1;
    let themes: Vec<&str> = rng.distinct(&THEME_WEIGHTS, n).into_iter().map(|i| THEMES[i]).collect();
    out.push_str(",\"themes\":");
    json_str_array(out, &themes);
    out.push_str(",\"stage\":");
    json_str(out, STAGES[rng.weighted(&STAGE_WEIGHTS)]);
    let n = rng.weighted(&STRATEGY_COUNT);
    let strategies: Vec<&str> = rng.distinct(&STRATEGY_WEIGHTS, n).into_iter().map(|i| STRATEGIES[i]).collect();
    if !strategies.is_empty() || rng.chance(500) {
        out.push_str(",\"scaling_strategies\":");
        json_str_array(out, &strategies);
    }
    let n = rng.weighted(&SUPPORT_COUNT);
    let support: Vec<&str> = rng.distinct(&SUPPORT_WEIGHTS, n).into_iter().map(|i| SUPPORT[i]).collect();
    if !support.is_empty() || rng.chance(500) {
        out.push_str(",\"public_support\":");
        json_str_array(out, &support);
    }
    if let Some(y) = started {
        let _ = write!(out, ",\"started\":{y}");
    }
    match rng.below(10) {
        0 => out.push_str(",\"sites\":null"),
        1 | 2 => {}
        _ => {
            // Mostly a few sites, sometimes hundreds (networks).
            let sites = if rng.chance(850) { rng.range(1, 12) } else { rng.range(13, 400) };
            let _ = write!(out, ",\"sites\":{sites}");
        }
    }
    let host = slug(&name, 30);
    if rng.chance(900) {
        let scheme = if rng.chance(100) { "http" } else { "https" };
        let www = if rng.chance(500) { "www." } else { "" };
        let _ = write!(out, ",\"url\":\"{scheme}://{www}{host}{}/\"", rng.pick(&URL_SUFFIXES));
    }
    let n_sources = rng.weighted(&[40, 30, 18, 12]) + 1;
    out.push_str(",\"sources\":[");
    for k in 0..n_sources {
        if k > 0 {
            out.push(',');
        }
        let scheme = if rng.chance(100) { "http" } else { "https" };
        let _ = write!(
            out,
            "\"{scheme}://{}/{}/{}-{}\"",
            rng.pick(&SOURCE_SITES),
            rng.pick(&SOURCE_SECTIONS),
            slug(&name, 60),
            rng.range(1000, 99_999)
        );
    }
    out.push_str("]}");
}

struct Args {
    count: u64,
    seed: u64,
    out: Option<String>,
    communes: String,
}

const USAGE: &str = "usage: cargo run --release --example generate -- --count N [--seed S] [--out FILE] \
                     [--communes static/data/communes.csv]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        count: 1000,
        seed: 1,
        out: None,
        communes: concat!(env!("CARGO_MANIFEST_DIR"), "/static/data/communes.csv").to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number =
            |v: &str| v.replace(['_', ','], "").parse::<u64>().map_err(|_| format!("{flag}: not a number: {v}"));
        match flag.as_str() {
            "--count" | "-n" => args.count = number(&value)?,
            "--seed" | "-s" => args.seed = number(&value)?,
            "--out" | "-o" => args.out = Some(value),
            "--communes" => args.communes = value,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    Ok(args)
}

fn run(args: &Args) -> Result<(), String> {
    let communes = Communes::read(&args.communes)?;
    let mut rng = Rng::new(args.seed);
    let sink: Box<dyn std::io::Write> = match &args.out {
        Some(path) => {
            if let Some(dir) = std::path::Path::new(path).parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            Box::new(std::fs::File::create(path).map_err(|e| format!("cannot create {path}: {e}"))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 20, sink);
    let io = |e: std::io::Error| format!("write failed: {e}");

    let mut head = String::new();
    head.push_str("{\"schema\":\"essaimage/1\",\"title\":");
    json_str(&mut head, &format!("Jeu synthétique de {} innovations (graine {})", args.count, args.seed));
    head.push_str(",\"description\":");
    json_str(
        &mut head,
        "Données fictives produites par examples/generate.rs pour le banc d'essai « make bench » : noms, résumés \
         et liens inventés, placés sur de vraies communes au prorata de leur population.",
    );
    head.push_str(",\"updated\":\"2026-11-28\",\"license\":\"Licence Ouverte 2.0 (données fictives)\"");
    head.push_str(
        ",\"source\":{\"name\":\"Essaimage – générateur du banc d'essai\",\"url\":\"https://example.org/essaimage\"}",
    );
    head.push_str(",\"innovations\":[\n");
    w.write_all(head.as_bytes()).map_err(io)?;

    let mut line = String::with_capacity(4096);
    for i in 0..args.count {
        line.clear();
        record(&mut rng, &communes, i + 1, &mut line);
        if i + 1 < args.count {
            line.push(',');
        }
        line.push('\n');
        w.write_all(line.as_bytes()).map_err(io)?;
    }
    w.write_all(b"]}\n").map_err(io)?;
    w.flush().map_err(io)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("generate: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    match run(&args) {
        Ok(()) => {
            if let Some(path) = &args.out {
                eprintln!("generate: {} innovations (seed {}) -> {path}", args.count, args.seed);
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}
