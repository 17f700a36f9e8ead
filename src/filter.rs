//! The filter and facet engine.
//!
//! # Design
//! Built once per dataset, an [`Index`] holds one **bitset per facet value** (theme, stage, strategy, public
//! role, region, department): a bitset over 100,000 records is 1,563 words, so AND/OR/popcount of a whole facet
//! value is a short loop and the ~150 values of the small vocabularies can all be counted at every change
//! (docs/PERFORMANCE.md). Communes are too many for bitsets (35,000 of them, each as long as the records), so they
//! use **sorted posting lists**; only the communes of the chosen department are counted (the commune select lists
//! no others), each over its own list.
//!
//! A facet value's count is the number of results one would get by choosing it given the *other* active filters
//! (several values of one facet are OR-ed, facets are AND-ed): for each facet we AND the masks of all other facets,
//! then popcount that with each value's bitset.
//!
//! Free-text search uses a word index of the folded (lower-case, accent-free) name, summary and communes
//! ([`crate::search`]): each query word is looked for inside the words of the vocabulary (a substring search over
//! the distinct words, far smaller than the text) and the records of the words containing it are OR-ed; the query's
//! words are AND-ed. Even a one-letter query is cheap next to a render (docs/PERFORMANCE.md), so nothing is
//! cached: each `apply` computes the text mask again. Sorting uses three permutations computed at build time (the
//! name order from a folded copy of the names, sorted a slice of records at a time and merged, the copy dropped
//! once sorted; the stage and start-year orders by counting sort from it); producing the ordered result list is a
//! linear pass over one of them.

use std::collections::BTreeMap;

use crate::bitset::Bitset;
use crate::model::{Dataset, Innovation, LonLat, Place, Precision, ValueIdx, VocabKind};
use crate::search::WordIndex;
use crate::territory::Territories;
use crate::text::{fold, fold_into, query_words};

/// Result order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum SortKey {
    #[default]
    Name,
    /// Most advanced stage first.
    Stage,
    /// Most recent start year first.
    Started,
    /// Nearest first, with a radius filter ([`Around`]); by name without one.
    Distance,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [SortKey::Name, SortKey::Stage, SortKey::Started, SortKey::Distance];

    pub fn id(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Stage => "stage",
            SortKey::Started => "started",
            SortKey::Distance => "distance",
        }
    }

    pub fn from_id(id: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// The territory filter: one region, department or commune of the dataset (single choice, hierarchical).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TerritorySel {
    Region(String),
    Department(String),
    /// A commune key (see [`crate::model::Place::commune_key`]).
    Commune(String),
    /// The places within a radius of a commune or of the visitor.
    Around(Around),
}

/// « Autour de »: the places within `km` kilometres of a point, known to their commune or better (a place known only
/// by its department or region has no distance). The point is a commune's, chosen by name or postcode (`name`:
/// « Rennes (35) », written in links with the point, so that a link needs no commune table), or the visitor's
/// position (`name` empty: never written in a link).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Around {
    pub name: String,
    /// The centre in hundred-thousandths of a degree (about a metre): integers keep the filter `Eq` and `Hash`.
    pub lon: i32,
    pub lat: i32,
    pub km: u16,
}

impl Around {
    /// The radii offered, km.
    pub const RADII: [u16; 4] = [10, 25, 50, 100];
    pub const DEFAULT_KM: u16 = 25;

    pub fn new(name: String, p: LonLat, km: u16) -> Around {
        // `floor` is one wasm instruction (`round` links a libm routine).
        let e5 = |v: f64| (v * 1e5 + 0.5).floor() as i32;
        Around { name, lon: e5(p.lon), lat: e5(p.lat), km }
    }

    pub fn centre(&self) -> LonLat {
        LonLat { lon: f64::from(self.lon) / 1e5, lat: f64::from(self.lat) / 1e5 }
    }
}

/// An [`Around`] ready to test many places: the bounds of a quick test on the coordinates (a band of latitude and
/// longitude around the circle) before the exact one, so that a filter over every record stays cheap.
struct Disk {
    centre: LonLat,
    dlat: f64,
    dlon: f64,
    max_h: f64,
}

impl Disk {
    fn new(a: &Around) -> Disk {
        let centre = a.centre();
        let km = f64::from(a.km);
        // 111.19 km per degree of latitude; a degree of longitude is shorter by the cosine of the latitude, smallest
        // at the band's edge nearer the pole.
        let dlat = km / 111.0;
        let edge = (centre.lat.abs() + dlat).min(89.0).to_radians();
        Disk { centre, dlat, dlon: dlat / crate::math::cos(edge), max_h: crate::geo::haversine_of_km(km) }
    }

    /// The haversine of the place's distance to the centre ([`crate::geo::haversine`]), when it is within the radius.
    fn place(&self, p: &Place) -> Option<f64> {
        let q = p.point.filter(|_| p.precision >= Precision::Commune)?;
        let c = self.centre;
        if (q.lat - c.lat).abs() > self.dlat || (q.lon - c.lon).abs() > self.dlon {
            return None;
        }
        Some(crate::geo::haversine(c, q)).filter(|&h| h <= self.max_h)
    }

    /// The nearest of a record's places within the radius (its haversine).
    fn record(&self, inno: &crate::model::Innovation) -> Option<f64> {
        inno.places().filter_map(|p| self.place(p)).reduce(f64::min)
    }
}

/// The multi-valued facets, each filled from one vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Facet {
    Themes,
    Stages,
    Strategies,
    Support,
}

impl Facet {
    pub const ALL: [Facet; 4] = [Facet::Themes, Facet::Stages, Facet::Strategies, Facet::Support];

    pub fn vocab(self) -> VocabKind {
        match self {
            Facet::Themes => VocabKind::Themes,
            Facet::Stages => VocabKind::Stages,
            Facet::Strategies => VocabKind::ScalingStrategies,
            Facet::Support => VocabKind::PublicSupport,
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// The value a facet filter uses for the records that have no value in that facet (« Non renseigné »): real open
/// data is sparse, and counts only add up to the results when those records are counted too. Not a valid vocabulary
/// id, so it never names one.
pub const UNSPECIFIED: &str = "-";

/// Where an innovation stands with respect to the chosen territory: born there (its origin is there), replicated
/// there (born elsewhere, a replica there), or not there yet (scaled elsewhere, stage `essaimage` or beyond, and no
/// place there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Presence {
    Born,
    Replica,
    Absent,
}

impl Presence {
    pub const ALL: [Presence; 3] = [Presence::Born, Presence::Replica, Presence::Absent];

    pub fn id(self) -> &'static str {
        match self {
            Presence::Born => "born",
            Presence::Replica => "replica",
            Presence::Absent => "absent",
        }
    }

    pub fn from_id(id: &str) -> Option<Presence> {
        Presence::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// The first stage of scaling (`essaimage`): the stages from it on have scaled.
pub const SCALED_STAGE: &str = "essaimage";

/// What the visitor asked for. Values are vocabulary ids and territory codes, so the filter survives in a URL.
#[derive(Clone, Debug, PartialEq, Eq, Default, Hash)]
pub struct Filter {
    pub territory: Option<TerritorySel>,
    /// Selected value ids per facet, in [`Facet::ALL`] order.
    pub values: [Vec<String>; 4],
    pub text: String,
    pub sort: SortKey,
    /// With a territory chosen: which of its [`Presence`] classes to show (none: born and replicated there, as the
    /// territory alone). Ignored without a territory.
    pub presence: Vec<Presence>,
}

impl Filter {
    pub fn facet(&self, f: Facet) -> &[String] {
        &self.values[f.slot()]
    }

    pub fn facet_mut(&mut self, f: Facet) -> &mut Vec<String> {
        &mut self.values[f.slot()]
    }

    /// True when nothing narrows the results (sorting aside).
    pub fn is_empty(&self) -> bool {
        self.territory.is_none() && self.values.iter().all(Vec::is_empty) && self.text.trim().is_empty()
    }

    /// Adds or removes one presence class.
    pub fn toggle_presence(&mut self, p: Presence) {
        match self.presence.iter().position(|&x| x == p) {
            Some(i) => {
                self.presence.remove(i);
            }
            None => self.presence.push(p),
        }
    }

    /// Adds or removes one value of a facet.
    pub fn toggle(&mut self, f: Facet, id: &str) {
        let v = self.facet_mut(f);
        match v.iter().position(|x| x == id) {
            Some(i) => {
                v.remove(i);
            }
            None => v.push(id.to_owned()),
        }
    }
}

/// A commune present in the dataset.
///
/// Its records are those with a place (origin or replica) in it: [`CommuneEntry::records`].
#[derive(Clone, Debug, PartialEq)]
pub struct CommuneEntry {
    pub key: String,
    pub name: String,
    pub department: usize,
    records: Vec<u32>,
}

/// Counts per value for every facet, given the other active filters.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Counts {
    /// Per facet (in [`Facet::ALL`] order), per vocabulary value, then for the records without a value
    /// ([`UNSPECIFIED`]).
    pub values: [Vec<usize>; 4],
    pub regions: Vec<usize>,
    pub departments: Vec<usize>,
    /// Per commune of [`Index::communes`]: the communes of the chosen department (or of the chosen commune's), the
    /// only ones a visitor can choose among; 0 for the others, and for all when no department is chosen.
    pub communes: Vec<usize>,
}

impl CommuneEntry {
    /// The records with a place in this commune, in record order.
    pub fn records(&self) -> &[u32] {
        &self.records
    }
}

impl Counts {
    pub fn facet(&self, f: Facet) -> &[usize] {
        &self.values[f.slot()]
    }
}

/// The outcome of applying a filter.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Filtered {
    /// Matching records (indices into the dataset), in the requested order.
    pub ids: Vec<u32>,
    pub counts: Counts,
    /// With a territory chosen: per [`Presence`] class, the results choosing it gives; zeros otherwise.
    pub presence: [usize; 3],
}

/// The dataset with everything needed to filter and count fast. Immutable once built.
pub struct Index {
    pub dataset: Dataset,
    pub territories: Territories,
    values: [Vec<Bitset>; 4],
    regions: Vec<Bitset>,
    departments: Vec<Bitset>,
    pub communes: Vec<CommuneEntry>,
    commune_by_key: BTreeMap<String, usize>,
    /// The communes by department, each department's in name order, and where each department's start (plus the end):
    /// the commune select of a department lists them at every render.
    commune_order: Vec<u32>,
    /// Each commune's name as the search compares it ([`crate::text::fold_key`]), folded once per dataset: place
    /// suggestions look through them at every keystroke.
    commune_keys: Vec<String>,
    /// Per facet, per value then unspecified: the records of the whole dataset, which tell the facets and values
    /// the dataset does not use.
    totals: [Vec<usize>; 4],
    department_communes: Vec<u32>,
    /// The free-text search index.
    words: WordIndex,
    orders: [Vec<u32>; 3],
}

/// An [`Index`] being built in steps, so that the embed boundary can let the browser run between them: the records a
/// slice at a time ([`IndexBuilder::add`]: facet bitsets, territories, communes), then the sort orders
/// ([`IndexBuilder::finish`]), so that no single browser task indexes a large dataset whole (docs/PERFORMANCE.md).
pub struct IndexBuilder {
    dataset: Dataset,
    territories: Territories,
    /// Records added so far.
    done: usize,
    values: [Vec<Bitset>; 4],
    regions: Vec<Bitset>,
    departments: Vec<Bitset>,
    communes: Vec<CommuneEntry>,
    commune_by_key: BTreeMap<String, usize>,
    by_name: NameOrder,
}

/// The records' folded names and their order by name, built a slice at a time: each slice is sorted as it is added,
/// and [`NameOrder::finish`] merges the sorted slices (Rust's stable sort finds them and only merges), so that the
/// sorting work is spread over the load's tasks instead of one long one (docs/PERFORMANCE.md).
struct NameOrder {
    /// The folded names one after the other (dropped once sorted: a copy of every name), and where each ends.
    text: String,
    end: Vec<u32>,
    order: Vec<u32>,
}

impl NameOrder {
    fn name(&self, i: u32) -> &str {
        &self.text[self.end[i as usize] as usize..self.end[i as usize + 1] as usize]
    }

    /// Sorts `v` by folded name, then by record (the order of every slice and of the merge).
    fn sort(&self, v: &mut [u32]) {
        sort_indices(v, &|a, b| self.name(a).cmp(self.name(b)).then(a.cmp(&b)));
    }

    fn add<'a>(&mut self, names: impl Iterator<Item = &'a str>) {
        let start = self.order.len();
        for name in names {
            fold_into(name, &mut self.text);
            self.end.push(self.text.len() as u32);
            self.order.push(self.order.len() as u32);
        }
        let mut slice = std::mem::take(&mut self.order);
        self.sort(&mut slice[start..]);
        self.order = slice;
    }

    fn finish(mut self) -> Vec<u32> {
        let mut order = std::mem::take(&mut self.order);
        self.sort(&mut order);
        order
    }
}

impl IndexBuilder {
    /// `dataset` places must already be resolved (`territory::resolve_dataset`).
    pub fn new(dataset: Dataset, territories: Territories) -> IndexBuilder {
        let n = dataset.innovations.len();
        IndexBuilder::sized(dataset, territories, n)
    }

    /// A builder for `n` records, of which `dataset` holds the first ones and [`IndexBuilder::extend`] adds the
    /// others as they come (a packed dataset is indexed as it downloads).
    // (Inlined: the JSON build calls it from `new` only, and its wasm stays as it was.)
    #[inline(always)]
    pub fn sized(dataset: Dataset, territories: Territories, n: usize) -> IndexBuilder {
        let vocab_len = |f: Facet| dataset.vocabularies.get(f.vocab()).len();
        // One bitset per value, then one for the records without a value.
        let values: [Vec<Bitset>; 4] = Facet::ALL.map(|f| vec![Bitset::empty(n); vocab_len(f) + 1]);
        let regions = vec![Bitset::empty(n); territories.regions.len()];
        let departments = vec![Bitset::empty(n); territories.departments.len()];
        IndexBuilder {
            territories,
            done: 0,
            values,
            regions,
            departments,
            communes: Vec::new(),
            commune_by_key: BTreeMap::new(),
            // Its size is known (folding never lengthens a text): a `String` grown by doubling would hold two buffers
            // at once.
            by_name: NameOrder {
                text: String::with_capacity(dataset.innovations.iter().map(|i| i.name.len()).sum()),
                end: vec![0],
                order: Vec::with_capacity(n),
            },
            dataset,
        }
    }

    /// Makes room for `records` records in all (the reservation a pack's head allows: [`IndexBuilder::extend`]).
    pub fn reserve(&mut self, records: usize) {
        let v = &mut self.dataset.innovations;
        v.reserve_exact(records.saturating_sub(v.len()));
    }

    /// Appends records to the dataset being indexed (as many as [`IndexBuilder::sized`] was given in all).
    pub fn extend(&mut self, records: Vec<Innovation>) {
        self.dataset.innovations.extend(records);
    }

    /// The dataset so far.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// The regions and departments it indexes by.
    pub fn territories(&self) -> &Territories {
        &self.territories
    }

    /// Adds the next `count` records (of those the dataset holds). Returns whether records remain.
    pub fn add(&mut self, count: usize) -> bool {
        let IndexBuilder {
            dataset,
            territories,
            done,
            values,
            regions,
            departments,
            communes,
            commune_by_key,
            by_name,
        } = self;
        let n = dataset.innovations.len();
        let end = (*done + count).min(n);
        by_name.add(dataset.innovations[*done..end].iter().map(|i| i.name.as_str()));
        for (i, inno) in dataset.innovations.iter().enumerate().take(end).skip(*done) {
            let set = |bits: &mut Vec<Bitset>, idx: &[ValueIdx]| match idx {
                [] => bits.last_mut().expect("an unspecified bitset").insert(i),
                _ => idx.iter().for_each(|&v| bits[v as usize].insert(i)),
            };
            set(&mut values[Facet::Themes.slot()], &inno.themes);
            set(&mut values[Facet::Stages.slot()], inno.stage.as_slice());
            set(&mut values[Facet::Strategies.slot()], &inno.scaling_strategies);
            set(&mut values[Facet::Support.slot()], &inno.public_support);

            for place in inno.places() {
                if let Some(r) = place.region.as_deref().and_then(|c| territories.region_index(c)) {
                    regions[r].insert(i);
                }
                let dep = place.department.as_deref().and_then(|c| territories.department_index(c));
                if let Some(d) = dep {
                    departments[d].insert(i);
                }
                if let (Some(key), Some(d)) = (place.commune_key(), dep) {
                    let ci = *commune_by_key.entry(key.clone()).or_insert_with(|| {
                        communes.push(CommuneEntry {
                            key,
                            name: place.commune.clone().unwrap_or_default(),
                            department: d,
                            records: Vec::new(),
                        });
                        communes.len() - 1
                    });
                    if communes[ci].records.last() != Some(&(i as u32)) {
                        communes[ci].records.push(i as u32);
                    }
                    if communes[ci].name.is_empty() {
                        if let Some(name) = &place.commune {
                            communes[ci].name = name.clone();
                        }
                    }
                }
            }
        }
        *done = end;
        end < n
    }

    /// The sort orders and the communes' order, with the word index of the same records: the index. Once every
    /// record is added.
    pub fn finish(self, words: WordIndex) -> Index {
        self.finish_with(words, None)
    }

    /// [`IndexBuilder::finish`], with the records' name order when it is known already (a packed dataset's, checked
    /// to be an order of every record: else computed).
    // (Inlined: the JSON build calls it from `finish` only, without an order, and its wasm stays as it was.)
    #[inline(always)]
    pub fn finish_with(self, words: WordIndex, name_order: Option<Vec<u32>>) -> Index {
        let n = self.dataset.innovations.len();
        let name_order = name_order.filter(|order| is_permutation(order, n));
        let (dataset, territories, mut communes) = (self.dataset, self.territories, self.communes);
        let n = dataset.innovations.len();
        debug_assert_eq!(self.done, n, "IndexBuilder::finish before every record was added");
        for c in &mut communes {
            if c.name.is_empty() {
                c.name = c.key.clone();
            }
        }

        let inn = &dataset.innovations;
        let order_name = name_order.unwrap_or_else(|| self.by_name.finish());
        // Most advanced stage first (none last), then most recent start year first (none last); by name in each.
        // Validation keeps years from 1800 to next year; years out of 1800 … 2299 (none here) share its ends.
        const YEARS: i32 = 500;
        let stage = |i: u32| inn[i as usize].stage.map_or(0, |s| usize::from(s) + 1);
        let first_year = crate::schema::YEAR_MIN as i32;
        let started = |i: u32| {
            inn[i as usize]
                .started
                .map_or(0, |y| (y.clamp(first_year, first_year + YEARS - 1) - first_year + 1) as usize)
        };
        let stages = (0..n as u32).map(stage).max().unwrap_or(0);
        let order_stage = by_key_descending(&order_name, stages + 1, &stage);
        let order_started = by_key_descending(&order_name, YEARS as usize + 1, &started);

        let (mut folded, mut commune_keys) = (Vec::with_capacity(communes.len()), Vec::with_capacity(communes.len()));
        for c in &communes {
            folded.push(fold(&c.name));
            commune_keys.push(crate::text::fold_key(&c.name));
        }
        let mut commune_order: Vec<u32> = (0..communes.len() as u32).collect();
        let (dep_of, name_of) = (|c: u32| communes[c as usize].department, |c: u32| &folded[c as usize]);
        sort_indices(&mut commune_order, &|a, b| dep_of(a).cmp(&dep_of(b)).then_with(|| name_of(a).cmp(name_of(b))));
        let mut department_communes = Vec::with_capacity(territories.departments.len() + 1);
        for d in 0..=territories.departments.len() {
            department_communes.push(commune_order.partition_point(|&c| dep_of(c) < d) as u32);
        }

        let totals = self.values.each_ref().map(|bits| bits.iter().map(Bitset::count).collect());
        Index {
            commune_keys,
            dataset,
            territories,
            totals,
            values: self.values,
            regions: self.regions,
            departments: self.departments,
            communes,
            commune_by_key: self.commune_by_key,
            commune_order,
            department_communes,
            words,
            orders: [order_name, order_stage, order_started],
        }
    }
}

/// Whether `order` holds each of `0..n` once.
fn is_permutation(order: &[u32], n: usize) -> bool {
    let mut seen = Bitset::empty(n);
    order.len() == n
        && order.iter().all(|&i| {
            let fresh = (i as usize) < n && !seen.contains(i as usize);
            if fresh {
                seen.insert(i as usize);
            }
            fresh
        })
}

/// `by_name` reordered by `key` (below `keys`), highest first, in name order within a key: a counting sort, linear,
/// because a comparison sort of every record would lengthen the load's last task (docs/PERFORMANCE.md).
fn by_key_descending(by_name: &[u32], keys: usize, key: &dyn Fn(u32) -> usize) -> Vec<u32> {
    // Where each key's records start, highest key first.
    let mut at = vec![0; keys + 1];
    by_name.iter().for_each(|&i| at[keys - key(i)] += 1);
    for k in 1..=keys {
        at[k] += at[k - 1];
    }
    let mut out = vec![0; by_name.len()];
    for &i in by_name {
        let slot = &mut at[keys - 1 - key(i)];
        out[*slot] = i;
        *slot += 1;
    }
    out
}

/// Sorts indices (stable) by a comparison of what they point at. Every sort of the widget goes through it: each
/// `sort_by` of another type or closure adds its own copy of the sorting code to the wasm bundle (docs/SIZE.md).
pub fn sort_indices(v: &mut [u32], cmp: &dyn Fn(u32, u32) -> std::cmp::Ordering) {
    v.sort_by(|a, b| cmp(*a, *b));
}

impl Index {
    /// Builds the index at once (the embed boundary builds it by steps: [`IndexBuilder`], [`WordIndexBuilder`]).
    /// `dataset` places must already be resolved (`territory::resolve_dataset`).
    ///
    /// [`WordIndexBuilder`]: crate::search::WordIndexBuilder
    pub fn build(dataset: Dataset, territories: Territories) -> Index {
        let (n, words) = (dataset.innovations.len(), WordIndex::build(&dataset.innovations));
        let mut builder = IndexBuilder::new(dataset, territories);
        builder.add(n);
        builder.finish(words)
    }

    /// Every record, in name order (accents and case aside).
    pub fn name_order(&self) -> &[u32] {
        &self.orders[0]
    }

    /// The word index of the free-text search.
    pub fn word_index(&self) -> &WordIndex {
        &self.words
    }

    pub fn len(&self) -> usize {
        self.dataset.innovations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dataset.innovations.is_empty()
    }

    pub fn commune_index(&self, key: &str) -> Option<usize> {
        self.commune_by_key.get(key).copied()
    }

    /// The dataset's communes that `query` names ([`crate::territory::names_place`]), in name order, at most `max`.
    pub fn communes_named(&self, query: &str, max: usize) -> Vec<usize> {
        let key = crate::text::fold_key(query);
        let mut out = Vec::new();
        for &c in &self.commune_order {
            if out.len() >= max {
                break;
            }
            if crate::territory::names_place(key.trim(), &self.commune_keys[c as usize]) {
                out.push(c as usize);
            }
        }
        out
    }

    /// A point of commune `c` from its records: a place there known to its commune (the commune table's point) or
    /// better.
    pub fn commune_point(&self, c: usize) -> Option<LonLat> {
        let entry = &self.communes[c];
        for &i in &entry.records {
            for p in self.dataset.innovations[i as usize].places() {
                if p.precision >= Precision::Commune && p.commune_key().as_deref() == Some(&entry.key) {
                    return p.point;
                }
            }
        }
        None
    }

    /// Indices of the dataset's communes in one department, sorted by name (accents and case aside).
    pub fn communes_of_department(&self, dep: usize) -> &[u32] {
        let range = |d: usize| self.department_communes.get(d).map_or(0, |&i| i as usize);
        &self.commune_order[range(dep)..range(dep + 1).max(range(dep))]
    }

    /// The mask of a territory selection; `None` when it names nothing known (then it matches nothing).
    fn territory_mask(&self, sel: &TerritorySel) -> Bitset {
        let n = self.len();
        let t = &self.territories;
        match sel {
            TerritorySel::Region(code) => t.region_index(code).map(|r| self.regions[r].clone()),
            TerritorySel::Department(code) => t.department_index(code).map(|d| self.departments[d].clone()),
            TerritorySel::Commune(key) => self.commune_index(key).map(|c| {
                let mut b = Bitset::empty(n);
                self.communes[c].records.iter().for_each(|&i| b.insert(i as usize));
                b
            }),
            TerritorySel::Around(a) => {
                let (disk, mut b) = (Disk::new(a), Bitset::empty(n));
                for (i, inno) in self.dataset.innovations.iter().enumerate() {
                    if disk.record(inno).is_some() {
                        b.insert(i);
                    }
                }
                Some(b)
            }
        }
        .unwrap_or_else(|| Bitset::empty(n))
    }

    /// The mask of one facet's selected values (OR), or `None` when nothing is selected there.
    fn facet_mask(&self, f: Facet, ids: &[String]) -> Option<Bitset> {
        if ids.is_empty() {
            return None;
        }
        let vocab = self.dataset.vocabularies.get(f.vocab());
        let mut mask = Bitset::empty(self.len());
        for id in ids {
            let bits = &self.values[f.slot()];
            let at = if id == UNSPECIFIED { Some(bits.len() - 1) } else { vocab.index_of(id).map(usize::from) };
            if let Some(v) = at {
                mask.or_with(&bits[v]);
            }
        }
        Some(mask)
    }

    /// Records of the whole dataset per value of a facet, then without a value ([`UNSPECIFIED`]), whatever the
    /// filter: a value no record has is folded away in the filters, a facet no record fills is not shown.
    pub fn totals(&self, f: Facet) -> &[usize] {
        &self.totals[f.slot()]
    }

    /// Records whose name, summary or communes contain every word of `query` (folded and cut into words as the text
    /// is: [`crate::text::query_words`]), each inside one of their words; `None` when the query has no words.
    pub fn text_mask(&self, query: &str) -> Option<Bitset> {
        let words = query_words(query);
        let (first, others) = words.split_first()?;
        // A word found nowhere may be mistyped: one typo is tolerated in words of five letters or more.
        let find = |w: &str| {
            let m = self.words.records_with(w);
            if m.count() == 0 {
                self.words.records_near(w)
            } else {
                m
            }
        };
        let mut mask = find(first);
        others.iter().for_each(|w| mask.and_with(&find(w)));
        Some(mask)
    }

    /// Whether a place is in a territory selection.
    pub fn place_in(&self, place: &crate::model::Place, sel: &TerritorySel) -> bool {
        match sel {
            TerritorySel::Region(code) => place.region.as_deref() == Some(code),
            TerritorySel::Department(code) => place.department.as_deref() == Some(code),
            TerritorySel::Commune(key) => place.commune_key().as_deref() == Some(key),
            TerritorySel::Around(a) => Disk::new(a).place(place).is_some(),
        }
    }

    /// With a radius filter: the distance in km from its centre to the record's nearest place within the radius.
    pub fn distance_km(&self, record: usize, a: &Around) -> Option<f64> {
        Disk::new(a).record(&self.dataset.innovations[record]).map(crate::geo::haversine_km)
    }

    /// Where a record stands with respect to a territory, and since when a replica is there (its earliest known
    /// start year there).
    pub fn presence_of(&self, record: usize, sel: &TerritorySel) -> Option<(Presence, Option<i32>)> {
        let inno = &self.dataset.innovations[record];
        if self.place_in(&inno.origin, sel) {
            return Some((Presence::Born, inno.started));
        }
        let (mut here, mut since) = (false, None::<i32>);
        for p in &inno.replicas {
            if self.place_in(p, sel) {
                here = true;
                since = match (since, p.started) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        if here {
            return Some((Presence::Replica, since));
        }
        let scaled = self.dataset.vocabularies.stages.index_of(SCALED_STAGE);
        match (inno.stage, scaled) {
            (Some(s), Some(from)) if s >= from => Some((Presence::Absent, None)),
            _ => None,
        }
    }

    /// The records of the stages that have scaled (`essaimage` and beyond).
    pub fn scaled_mask(&self) -> Bitset {
        let mut mask = Bitset::empty(self.len());
        let bits = &self.values[Facet::Stages.slot()];
        if let Some(from) = self.dataset.vocabularies.stages.index_of(SCALED_STAGE) {
            // The last bitset is the records without a stage.
            bits[from as usize..bits.len() - 1].iter().for_each(|b| mask.or_with(b));
        }
        mask
    }

    /// The three [`Presence`] classes of a territory whose mask (records with a place there) is `territory`.
    fn presence_masks(&self, sel: &TerritorySel, territory: &Bitset) -> [Bitset; 3] {
        let n = self.len();
        let mut born = Bitset::empty(n);
        let inn = &self.dataset.innovations;
        // One disk for every record of a radius (`place_in` prepares one per place).
        let disk = match sel {
            TerritorySel::Around(a) => Some(Disk::new(a)),
            _ => None,
        };
        for i in territory.iter() {
            let origin = &inn[i].origin;
            if disk.as_ref().map_or_else(|| self.place_in(origin, sel), |d| d.place(origin).is_some()) {
                born.insert(i);
            }
        }
        let mut replica = territory.clone();
        replica.and_not_with(&born);
        let mut absent = self.scaled_mask();
        absent.and_not_with(territory);
        [born, replica, absent]
    }

    /// Per facet, then the territory (with its presence classes) and the text: each constraint's mask (`None`:
    /// no constraint), and the presence classes when a territory is chosen.
    fn masks(&self, filter: &Filter) -> (Vec<Option<Bitset>>, Option<[Bitset; 3]>) {
        let mut masks: Vec<Option<Bitset>> = Facet::ALL.iter().map(|&f| self.facet_mask(f, filter.facet(f))).collect();
        let mut presence = None;
        let territory = filter.territory.as_ref().map(|t| {
            let mask = self.territory_mask(t);
            let classes = self.presence_masks(t, &mask);
            let chosen = if filter.presence.is_empty() {
                mask
            } else {
                let mut m = Bitset::empty(self.len());
                for &p in &filter.presence {
                    m.or_with(&classes[p as usize]);
                }
                m
            };
            presence = Some(classes);
            chosen
        });
        masks.push(territory);
        masks.push(self.text_mask(&filter.text));
        (masks, presence)
    }

    /// The records a filter matches, as a set (no order, no counts: cheaper than [`Index::apply`]).
    pub fn matching(&self, filter: &Filter) -> Bitset {
        let mut acc = Bitset::full(self.len());
        self.masks(filter).0.iter().flatten().for_each(|m| acc.and_with(m));
        acc
    }

    /// The bitsets of a facet's values, then of the records without a value.
    pub fn value_bits(&self, f: Facet) -> &[Bitset] {
        &self.values[f.slot()]
    }

    /// The records with a place in each region (in [`Territories::regions`] order).
    pub fn region_bits(&self) -> &[Bitset] {
        &self.regions
    }

    /// The records with a place in each department (in [`Territories::departments`] order).
    pub fn department_bits(&self) -> &[Bitset] {
        &self.departments
    }

    /// Applies a filter: the ordered results and every facet count.
    pub fn apply(&self, filter: &Filter) -> Filtered {
        let n = self.len();
        // Masks, in a fixed order: the four facets, the territory, the text. `None` = no constraint.
        let (masks, presence_classes) = self.masks(filter);
        const TERRITORY: usize = 4;

        let others = |skip: usize| -> Bitset {
            let mut acc = Bitset::full(n);
            for (i, m) in masks.iter().enumerate() {
                if let (true, Some(m)) = (i != skip, m) {
                    acc.and_with(m);
                }
            }
            acc
        };

        let mut counts = Counts::default();
        for f in Facet::ALL {
            let base = others(f.slot());
            counts.values[f.slot()] = base.count_each(&self.values[f.slot()]);
        }
        let base = others(TERRITORY);
        let mut presence = [0; 3];
        if let Some(classes) = &presence_classes {
            for (count, m) in presence.iter_mut().zip(classes) {
                *count = base.count_and(m);
            }
        }
        counts.regions = base.count_each(&self.regions);
        counts.departments = base.count_each(&self.departments);
        // Communes are chosen within a department: only its communes are counted, each over its own records, as
        // choosing it filters (counting every commune over all of `base` would cost every change a pass per
        // commune).
        counts.communes = vec![0; self.communes.len()];
        let department = match &filter.territory {
            Some(TerritorySel::Department(code)) => self.territories.department_index(code),
            Some(TerritorySel::Commune(key)) => self.commune_index(key).map(|c| self.communes[c].department),
            _ => None,
        };
        for &c in department.map_or(&[][..], |d| self.communes_of_department(d)) {
            let records = &self.communes[c as usize].records;
            counts.communes[c as usize] = records.iter().filter(|&&i| base.contains(i as usize)).count();
        }

        let all = match &masks[TERRITORY] {
            Some(t) => {
                let mut b = base;
                b.and_with(t);
                b
            }
            None => base,
        };
        let order = &self.orders[match filter.sort {
            SortKey::Distance => 0,
            key => key as usize,
        }];
        let mut ids: Vec<u32> = if all.count() == n {
            order.clone()
        } else {
            let mut ids = Vec::with_capacity(all.count());
            for &i in order {
                if all.contains(i as usize) {
                    ids.push(i);
                }
            }
            ids
        };
        if let (SortKey::Distance, Some(TerritorySel::Around(a))) = (filter.sort, &filter.territory) {
            // Nearest first, by name among equals (a stable sort of the name order): the distances of the results
            // only, each computed once.
            let disk = Disk::new(a);
            let inn = &self.dataset.innovations;
            let mut h = Vec::with_capacity(ids.len());
            for &i in &ids {
                h.push(disk.record(&inn[i as usize]).unwrap_or(f64::MAX));
            }
            let mut at: Vec<u32> = (0..ids.len() as u32).collect();
            sort_indices(&mut at, &|a, b| h[a as usize].total_cmp(&h[b as usize]));
            for k in &mut at {
                *k = ids[*k as usize];
            }
            ids = at;
        }
        Filtered { ids, counts, presence }
    }
}
