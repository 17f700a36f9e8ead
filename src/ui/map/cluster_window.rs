//! The clusters of the results at the view's zoom level, and the window of them that is rendered.
//!
//! Each zoom level's [`Grid`] is built once per dataset and map width; clusters are counted into it once per result
//! set and level, and only the clusters of a window around the screen are rendered (at most [`MAX_NODES`]); the
//! window moves by half-screens, so most pans render nothing new.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::Positions;
use crate::cluster::{level_for_scale, level_scale, Cluster, Grid, MAX_LEVEL};
use crate::filter::Filtered;
use crate::geo::Viewport;
use crate::ui::ByPtr;

/// Most marker and cluster nodes rendered at once.
pub const MAX_NODES: usize = 1_500;

/// The render window in half-screens: the screen plus half a screen on each side (`x0, y0, x1, y1`), and the level.
type Window = (i64, i64, i64, i64, u32);

pub(super) struct ClusterWindow {
    /// Every cluster of the results at the view's level.
    pub clusters: ByPtr<Vec<Cluster>>,
    /// The results without a position on the map.
    pub missing: usize,
    /// The clusters to render (indices in `clusters`), in reading order.
    pub shown: Rc<Vec<usize>>,
    /// Screen pixels per canvas unit at scale 1, rounded down to a fortieth so that sub-pixel changes build no new
    /// grids.
    pub scale_px: f64,
}

/// The clusters of `results` (whose records are at `positions`) for `view`, on a map of `px_per_unit` screen pixels
/// per canvas unit.
#[hook]
pub(super) fn use_cluster_window(
    positions: &Positions,
    results: &ByPtr<Filtered>,
    view: Viewport,
    px_per_unit: f64,
) -> ClusterWindow {
    let level = level_for_scale(view.k);
    // Rounded down, so that markers are never smaller on screen than their nominal size (a touch target's).
    let scale_px = ((px_per_unit * 40.0).floor() / 40.0).max(0.025);
    let scale_key = (scale_px * 40.0) as i64;
    // The grids of the levels visited, for this dataset and map width: each numbers its cells once (see
    // `cluster`), so that a filter change only counts its results into them.
    let grids = use_memo((positions.clone(), scale_key), |_| RefCell::new(vec![None; MAX_LEVEL as usize + 1]));
    // With the clusters, the results without a position on the map (every located one is in exactly one cluster):
    // counted here once, not at every render of a pan (deep levels have as many clusters as results).
    let clustered = {
        let positions = positions.clone();
        use_memo((results.clone(), level, scale_key), move |(results, level, _)| {
            let grid: Rc<Grid> = grids.borrow_mut()[*level as usize]
                .get_or_insert_with(|| Rc::new(Grid::new(&positions.0, *level, scale_px)))
                .clone();
            let clusters = grid.cluster(results.ids.iter().copied(), &positions.0);
            let missing = results.ids.len() - clusters.iter().map(Cluster::count).sum::<usize>();
            (ByPtr(Rc::new(clusters)), missing, grid)
        })
    };
    let (clusters, missing) = (clustered.0.clone(), clustered.1);
    let shown = {
        let (clusters, grid) = (clusters.clone(), clustered.2.clone());
        use_memo((clusters.clone(), window_of(&view, level)), move |(_, window)| {
            clusters_in_window(&clusters, &grid, &view, window)
        })
    };
    ClusterWindow { clusters, missing, shown, scale_px }
}

/// The render window of `view` at `level`, snapped to half-screens.
fn window_of(view: &Viewport, level: u32) -> Window {
    let [x0, y0, x1, y1] = view.visible();
    let (w, h) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
    let snap = |v: f64, step: f64| (v / step).floor() as i64;
    (snap(x0, w) - 1, snap(y0, h) - 1, snap(x1, w) + 1, snap(y1, h) + 1, level)
}

/// The clusters inside `window` (of `view`), the largest ones if there are more than [`MAX_NODES`], in the reading
/// order of `grid`.
fn clusters_in_window(clusters: &[Cluster], grid: &Grid, view: &Viewport, window: &Window) -> Vec<usize> {
    let (a, b, c, d, _) = *window;
    let [x0, y0, x1, y1] = view.visible();
    let (w, h) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
    let (wx0, wy0, wx1, wy1) = (a as f64 * w, b as f64 * h, (c + 1) as f64 * w, (d + 1) as f64 * h);
    let mut idx: Vec<u32> = (0..clusters.len() as u32)
        .filter(|&i| {
            let c = &clusters[i as usize];
            c.x >= wx0 && c.x <= wx1 && c.y >= wy0 && c.y <= wy1
        })
        .collect();
    if idx.len() > MAX_NODES {
        // The largest clusters first.
        let count = |i: u32| clusters[i as usize].count();
        crate::filter::sort_indices(&mut idx, &|a, b| count(b).cmp(&count(a)));
        idx.truncate(MAX_NODES);
    }
    grid.reading_order(clusters, &mut idx);
    idx.into_iter().map(|i| i as usize).collect::<Vec<usize>>()
}

/// Whether activating a cluster zooms in (else it lists its innovations): not at the deepest level, nor when its
/// innovations are at the same place (less than two screen units apart at this scale).
pub(super) fn cluster_zooms(c: &Cluster, k: f64) -> bool {
    let e = c.extent;
    level_for_scale(k) < MAX_LEVEL && (e[2] - e[0]).max(e[3] - e[1]) * k >= 2.0
}

/// The view that activating cluster `c` at `view` zooms to, or `None` when it cannot be split (its innovations are
/// listed instead).
pub(super) fn cluster_zoom(c: &Cluster, view: Viewport) -> Option<Viewport> {
    if !cluster_zooms(c, view.k) {
        return None;
    }
    let next = Viewport::fit(c.extent, level_scale(level_for_scale(view.k) + 2));
    Some(if next.k <= view.k * 1.01 {
        view.zoom_at(2.0, [c.x * view.k + view.tx, c.y * view.k + view.ty])
    } else {
        next
    })
}
