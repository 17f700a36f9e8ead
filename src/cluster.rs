//! Marker clustering on the map canvas.
//!
//! Grid clustering: at zoom level `z` the canvas is cut into square cells of [`CELL_PX`] screen pixels, and the
//! points of one cell become one cluster at their mean position. It is linear in the number of points, needs no
//! spatial index, and its invariants are simple: every point is in exactly one cluster at every level, so cluster
//! counts always add up to the located results. A level is computed once per result set and reused while the
//! visitor pans (see `ui::map`).

/// Cell size in screen pixels at the level's nominal scale: a large cluster marker and its label (radius 8 + 2.5 log2 n
/// px: 25 px for 100 innovations) fit in it without overlapping the next cell's (Leaflet.markercluster groups within
/// 80 px). It also bounds the markers drawn: about 200 cells on a map of 1,000 × 800 px.
pub const CELL_PX: f64 = 64.0;
/// Zoom factor between consecutive levels.
pub const LEVEL_FACTOR: f64 = 2.0;
/// The deepest level (scale 2⁸ = 256× the national view: streets of a town).
pub const MAX_LEVEL: u32 = 8;

/// A located point: canvas position and the record it stands for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub record: u32,
}

/// A group of nearby points (or a single point when `count == 1`).
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
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

/// Clusters `points` for one level. `px_per_unit` is how many screen pixels one canvas unit takes at scale 1.
///
/// Cells are found with a small open-addressing table keyed by cell coordinates: with an ordered map (a search per
/// point), clustering took 7.5 ms per region or « Tout effacer » change at 100,000 records in a CPU profile, and a
/// level change clusters every result again.
///
/// `points` may be computed as they are read (the map clusters its results straight from their positions, without
/// collecting 100,000 points first); its upper size bound sizes the table.
pub fn cluster<P: std::borrow::Borrow<Point>>(
    points: impl IntoIterator<Item = P>,
    level: u32,
    px_per_unit: f64,
) -> Vec<Cluster> {
    let points = points.into_iter();
    let cell = CELL_PX / (px_per_unit.max(1e-6) * level_scale(level));
    // At most half full, so probe sequences stay short.
    let mask = (points.size_hint().1.unwrap_or(1 << 16) * 2).next_power_of_two().max(16) - 1;
    let mut table = vec![u32::MAX; mask + 1];
    let mut keys: Vec<(i64, i64)> = Vec::new();
    let mut sums: Vec<(f64, f64, [f64; 4], Vec<u32>)> = Vec::new();
    for p in points {
        let p = p.borrow();
        let key = ((p.x / cell).floor() as i64, (p.y / cell).floor() as i64);
        let h = (key.0 as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (key.1 as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
        let mut i = (h ^ (h >> 31)) as usize & mask;
        let slot = loop {
            match table[i] {
                u32::MAX => {
                    table[i] = sums.len() as u32;
                    keys.push(key);
                    sums.push((
                        0.0,
                        0.0,
                        [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY],
                        Vec::new(),
                    ));
                    break sums.len() - 1;
                }
                s if keys[s as usize] == key => break s as usize,
                _ => i = (i + 1) & mask,
            }
        };
        let s = &mut sums[slot];
        s.0 += p.x;
        s.1 += p.y;
        s.2 = [s.2[0].min(p.x), s.2[1].min(p.y), s.2[2].max(p.x), s.2[3].max(p.y)];
        s.3.push(p.record);
    }
    sums.into_iter()
        .map(|(sx, sy, extent, records)| {
            let n = records.len() as f64;
            Cluster { x: sx / n, y: sy / n, extent, records }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid_points(n: u32) -> Vec<Point> {
        // A deterministic scatter over the canvas with dense spots.
        let mut s = 12345u64;
        (0..n)
            .map(|record| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let dense = record % 3 == 0;
                let (x, y) = if dense {
                    (500.0 + (s % 1000) as f64 / 100.0, 400.0 + ((s >> 20) % 1000) as f64 / 100.0)
                } else {
                    ((s % 10_000) as f64 / 10.0, ((s >> 24) % 8_000) as f64 / 10.0)
                };
                Point { x, y, record }
            })
            .collect()
    }

    #[test]
    fn every_point_is_in_exactly_one_cluster_at_every_level() {
        let points = grid_points(20_000);
        for level in 0..=MAX_LEVEL {
            let clusters = cluster(&points, level, 1.2);
            let mut seen: Vec<u32> = clusters.iter().flat_map(|c| c.records.iter().copied()).collect();
            assert_eq!(seen.len(), points.len(), "level {level}: counts add up");
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), points.len(), "level {level}: nothing counted twice");
        }
    }

    #[test]
    fn deeper_levels_split_clusters_and_keep_them_near_their_points() {
        let points = grid_points(5_000);
        let mut previous = 0;
        for level in 0..=MAX_LEVEL {
            let clusters = cluster(&points, level, 1.0);
            assert!(clusters.len() >= previous, "level {level} has fewer clusters than the level above");
            previous = clusters.len();
            let cell = CELL_PX / level_scale(level);
            for c in &clusters {
                for r in &c.records {
                    let p = points[*r as usize];
                    assert!((p.x - c.x).abs() <= cell && (p.y - c.y).abs() <= cell, "cluster far from its point");
                }
            }
        }
        assert_eq!(level_for_scale(1.0), 0);
        assert_eq!(level_for_scale(3.9), 1);
        assert_eq!(level_for_scale(4.0), 2);
        assert_eq!(level_for_scale(10_000.0), MAX_LEVEL);
    }
}
