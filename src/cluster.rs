//! Marker clustering on the map canvas.
//!
//! Grid clustering: at zoom level `z` the canvas is cut into square cells of [`CELL_PX`] screen pixels, and the
//! points of one cell become one cluster at their mean position. Its invariants are simple: every point is in
//! exactly one cluster at every level, so cluster counts always add up to the located results.
//!
//! A level's [`Grid`] numbers the cells of every located record once (per dataset, level and map width); clustering
//! a result set is then one pass over its records with array lookups ([`Grid::cluster`]), and a level is clustered
//! once per result set and reused while the visitor pans (see `ui::map`). A cell's number is a key that stays the
//! same from one result set to the next; the clusters rendered are put in reading order ([`Grid::reading_order`]),
//! so that the map's keyboard order goes over France as a reader does.

use crate::filter::sort_indices;

/// Cell size in screen pixels at the level's nominal scale: a large cluster marker and its label (radius 8 + 2.5 log2 n
/// px: 25 px for 100 innovations) fit in it without overlapping the next cell's (Leaflet.markercluster groups within
/// 80 px). It also bounds the markers drawn: about 200 cells on a map of 1,000 × 800 px.
pub const CELL_PX: f64 = 64.0;
/// Zoom factor between consecutive levels.
pub const LEVEL_FACTOR: f64 = 2.0;
/// The deepest level (scale 2⁸ = 256× the national view: streets of a town).
pub const MAX_LEVEL: u32 = 8;

/// No cell: a record without a position.
const NONE: u32 = u32::MAX;

/// A group of nearby points (or a single point when `count == 1`).
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// Its cell in the level's [`Grid`]: the same for every result set.
    pub cell: u32,
    pub x: f64,
    pub y: f64,
    /// `[x_min, y_min, x_max, y_max]` of its points, to zoom onto it.
    pub extent: [f64; 4],
    /// Records in this cluster, in input order.
    pub records: Vec<u32>,
}

impl Cluster {
    pub fn count(&self) -> usize {
        self.records.len()
    }
}

/// The zoom level whose grid suits a view scale `k` (1 = national view).
pub fn level_for_scale(k: f64) -> u32 {
    if k <= 1.0 {
        return 0;
    }
    ((k.ln() / LEVEL_FACTOR.ln()).floor().max(0.0) as u32).min(MAX_LEVEL)
}

/// Nominal scale of a level.
pub fn level_scale(level: u32) -> f64 {
    LEVEL_FACTOR.powi(level as i32)
}

/// The cells of one level for every record of a dataset.
#[derive(Debug)]
pub struct Grid {
    /// Per record, its cell, or [`NONE`] when it has no position.
    cell_of: Vec<u32>,
    /// Per cell: its row and column.
    keys: Vec<(i64, i64)>,
}

impl Grid {
    /// Numbers the cells of `positions` (per record, its canvas position if it has one) at `level`, in the order
    /// they are first met; `px_per_unit` is how many screen pixels one canvas unit takes at scale 1.
    ///
    /// Cells are found with a small open-addressing table keyed by cell coordinates: an ordered map would cost a
    /// tree search per point, and its code in the wasm bundle (docs/PERFORMANCE.md, docs/SIZE.md).
    pub fn new(positions: &[Option<[f64; 2]>], level: u32, px_per_unit: f64) -> Grid {
        let cell = CELL_PX / (px_per_unit.max(1e-6) * level_scale(level));
        // At most half full, so probe sequences stay short.
        let mask = (positions.len() * 2).next_power_of_two().max(16) - 1;
        let mut table = vec![NONE; mask + 1];
        let mut keys: Vec<(i64, i64)> = Vec::new();
        let mut cell_of = vec![NONE; positions.len()];
        for (of, p) in cell_of.iter_mut().zip(positions) {
            let Some([x, y]) = *p else { continue };
            let key = ((y / cell).floor() as i64, (x / cell).floor() as i64);
            let h =
                (key.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (key.1 as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
            let mut i = (h ^ (h >> 31)) as usize & mask;
            *of = loop {
                match table[i] {
                    NONE => {
                        table[i] = keys.len() as u32;
                        keys.push(key);
                        break table[i];
                    }
                    s if keys[s as usize] == key => break s,
                    _ => i = (i + 1) & mask,
                }
            };
        }
        Grid { cell_of, keys }
    }

    /// Sorts indices into `clusters` (clusters of this grid) in reading order of their cells: rows from the top,
    /// each from the left. The map renders its clusters in that order, which is their keyboard order. Only the
    /// clusters rendered are sorted (at the deepest levels, the cells of 100,000 records are nearly as many).
    pub fn reading_order(&self, clusters: &[Cluster], idx: &mut [u32]) {
        let key = |i: u32| self.keys[clusters[i as usize].cell as usize];
        sort_indices(idx, &|a, b| key(a).cmp(&key(b)));
    }

    /// Number of cells that hold at least one record of the dataset.
    pub fn cells(&self) -> usize {
        self.keys.len()
    }

    /// Clusters `records` (indices into the `positions` the grid was built from; those without a position are left
    /// out), in the order of their cells' numbers.
    pub fn cluster(&self, records: impl IntoIterator<Item = u32>, positions: &[Option<[f64; 2]>]) -> Vec<Cluster> {
        // Per cell, its cluster in `acc`.
        let mut slot = vec![NONE; self.keys.len()];
        let mut acc: Vec<Cluster> = Vec::new();
        for r in records {
            let (Some(&c), Some(Some([x, y]))) = (self.cell_of.get(r as usize), positions.get(r as usize)) else {
                continue;
            };
            let Some(s) = slot.get_mut(c as usize) else { continue };
            if *s == NONE {
                *s = acc.len() as u32;
                let extent = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
                acc.push(Cluster { cell: c, x: 0.0, y: 0.0, extent, records: Vec::new() });
            }
            let k = &mut acc[*s as usize];
            (k.x, k.y) = (k.x + x, k.y + y);
            k.extent = [k.extent[0].min(*x), k.extent[1].min(*y), k.extent[2].max(*x), k.extent[3].max(*y)];
            k.records.push(r);
        }
        slot.iter()
            .filter(|&&s| s != NONE)
            .map(|&s| {
                let k = &mut acc[s as usize];
                let n = k.records.len() as f64;
                Cluster {
                    cell: k.cell,
                    x: k.x / n,
                    y: k.y / n,
                    extent: k.extent,
                    records: std::mem::take(&mut k.records),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A deterministic scatter over the canvas with dense spots; every seventh record has no position.
    fn scatter(n: u32) -> Vec<Option<[f64; 2]>> {
        let mut s = 12345u64;
        (0..n)
            .map(|record| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let dense = record % 3 == 0;
                let p = if dense {
                    [500.0 + (s % 1000) as f64 / 100.0, 400.0 + ((s >> 20) % 1000) as f64 / 100.0]
                } else {
                    [(s % 10_000) as f64 / 10.0, ((s >> 24) % 8_000) as f64 / 10.0]
                };
                (record % 7 != 6).then_some(p)
            })
            .collect()
    }

    #[test]
    fn every_located_point_is_in_exactly_one_cluster_at_every_level() {
        let positions = scatter(20_000);
        let located = positions.iter().filter(|p| p.is_some()).count();
        for level in 0..=MAX_LEVEL {
            let clusters = Grid::new(&positions, level, 1.2).cluster(0..positions.len() as u32, &positions);
            let mut seen: Vec<u32> = clusters.iter().flat_map(|c| c.records.iter().copied()).collect();
            assert_eq!(seen.len(), located, "level {level}: counts add up, without the unlocated records");
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), located, "level {level}: nothing counted twice");
            assert!(seen.iter().all(|&r| positions[r as usize].is_some()));
        }
    }

    #[test]
    fn deeper_levels_split_clusters_and_keep_them_near_their_points() {
        let positions = scatter(5_000);
        let mut previous = 0;
        for level in 0..=MAX_LEVEL {
            let clusters = Grid::new(&positions, level, 1.0).cluster(0..positions.len() as u32, &positions);
            assert!(clusters.len() >= previous, "level {level} has fewer clusters than the level above");
            previous = clusters.len();
            let cell = CELL_PX / level_scale(level);
            for c in &clusters {
                for r in &c.records {
                    let [x, y] = positions[*r as usize].unwrap();
                    assert!((x - c.x).abs() <= cell && (y - c.y).abs() <= cell, "cluster far from its point");
                }
            }
        }
        assert_eq!(level_for_scale(1.0), 0);
        assert_eq!(level_for_scale(3.9), 1);
        assert_eq!(level_for_scale(4.0), 2);
        assert_eq!(level_for_scale(10_000.0), MAX_LEVEL);
    }

    #[test]
    fn a_result_set_clusters_by_cell_with_the_cells_of_the_whole_dataset_and_sorts_in_reading_order() {
        let positions = scatter(8_000);
        let (level, px) = (3, 0.8);
        let grid = Grid::new(&positions, level, px);
        let whole = grid.cluster(0..positions.len() as u32, &positions);
        assert_eq!(grid.cells(), whole.len());
        // Results in another order than the records', as a sort gives them: every third record, backwards.
        let results: Vec<u32> = (0..positions.len() as u32).rev().filter(|r| r % 3 == 1).collect();
        let clusters = grid.cluster(results.iter().copied(), &positions);

        // Reference: group by cell coordinates (row, column), in that order.
        let size = CELL_PX / (px * level_scale(level));
        let mut reference: BTreeMap<(i64, i64), Vec<u32>> = BTreeMap::new();
        for &r in &results {
            if let Some([x, y]) = positions[r as usize] {
                reference.entry(((y / size).floor() as i64, (x / size).floor() as i64)).or_default().push(r);
            }
        }
        assert_eq!(clusters.len(), reference.len());
        assert!(clusters.windows(2).all(|w| w[0].cell < w[1].cell), "in the order of their cells' numbers");
        // In reading order, they are the reference's groups in its order.
        let mut order: Vec<u32> = (0..clusters.len() as u32).collect();
        grid.reading_order(&clusters, &mut order);
        for (&i, (_, records)) in order.iter().zip(&reference) {
            let c = &clusters[i as usize];
            assert_eq!(&c.records, records, "same records, in the results' order");
            let n = records.len() as f64;
            let mean = |k: usize| records.iter().map(|&r| positions[r as usize].unwrap()[k]).sum::<f64>() / n;
            assert!((c.x - mean(0)).abs() < 1e-9 && (c.y - mean(1)).abs() < 1e-9, "at the mean of its points");
            let xs = records.iter().map(|&r| positions[r as usize].unwrap()[0]);
            assert_eq!(c.extent[0], xs.clone().fold(f64::INFINITY, f64::min));
            assert_eq!(c.extent[2], xs.fold(f64::NEG_INFINITY, f64::max));
            // The cell of the whole dataset's cluster that holds these records.
            let home = whole.iter().find(|w| w.records.contains(&records[0])).unwrap();
            assert_eq!(c.cell, home.cell, "a cell keeps its number from one result set to another");
        }
        // A part of them (those a window shows) sorts the same way.
        let mut some: Vec<u32> = (0..clusters.len() as u32).rev().step_by(3).collect();
        grid.reading_order(&clusters, &mut some);
        let cell = |i: &u32| {
            let c = &clusters[*i as usize];
            ((c.y / size).floor(), (c.x / size).floor())
        };
        assert!(some.windows(2).all(|w| cell(&w[0]) < cell(&w[1])), "rows from the top, each from the left");
    }

    #[test]
    fn records_out_of_range_or_without_position_are_left_out() {
        let positions = vec![Some([10.0, 10.0]), None, Some([11.0, 10.5])];
        let grid = Grid::new(&positions, 0, 1.0);
        let clusters = grid.cluster([0, 1, 2, 7], &positions);
        assert_eq!(clusters.len(), 1);
        assert_eq!(clusters[0].records, vec![0, 2]);
        assert!(Grid::new(&[], 0, 1.0).cluster([0], &[]).is_empty());
    }
}
