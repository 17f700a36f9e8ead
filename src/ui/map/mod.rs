//! The offline map of France: territories coloured by count, clusters and markers of the results, the open
//! innovation's replicas, zoom and pan by mouse, touch and keyboard.
//!
//! Cost control: the territory layers and the marker layer are separate components whose props do not change while
//! the visitor pans, so a pan only rewrites the content group's `transform` attribute. Both territory layers
//! (regions, departments) stay in the document and the one not in use is hidden and not rendered again. Each zoom
//! level's [`Grid`] is built once per dataset and map width; clusters are counted into it once per result set and
//! level, and only the clusters of a window around the screen are rendered (at most [`MAX_NODES`]); the window moves
//! by half-screens, so most pans render nothing new. Clusters are keyed by cell and markers by record (a pan or a
//! filter change keeps their nodes, and focus); territories, clusters and markers share their layer's event handlers
//! ([`super::index_at`]) instead of registering their own at every render.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::{index_at, ByPtr, Ctx, SharedExplorer};
use crate::cluster::{level_for_scale, level_scale, Cluster, Grid, MAX_LEVEL};
use crate::filter::{Results, TerritorySel};
use crate::geo::{fixed, Basemap, Viewport, VIEW_H, VIEW_W};
use crate::i18n::{cluster_label, not_located_count, number, t, territory_count, Locale, Msg};
use crate::state::Action;

/// Most marker and cluster nodes rendered at once.
pub const MAX_NODES: usize = 1_500;
/// Below this scale territories are regions, above it departments.
const DEPARTMENT_SCALE: f64 = 2.5;
/// Choropleth classes (besides « none »).
const CLASSES: usize = 5;
/// The `data-q` value of each class.
const CLASS_NAMES: [&str; CLASSES + 1] = ["0", "1", "2", "3", "4", "5"];

/// Whether activating a cluster zooms in (else it lists its innovations): not at the deepest level, nor when its
/// innovations are at the same place (less than two screen units apart at this scale).
fn cluster_zooms(c: &Cluster, k: f64) -> bool {
    let e = c.extent;
    level_for_scale(k) < MAX_LEVEL && (e[2] - e[0]).max(e[3] - e[1]) * k >= 2.0
}

/// The class of a count on a square-root scale up to `max`: 0 for none, then 1 to [`CLASSES`].
fn class_of(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        return 0;
    }
    let r = (count as f64 / max as f64).sqrt();
    ((r * CLASSES as f64).ceil() as usize).clamp(1, CLASSES)
}

fn max_count(counts: &[usize]) -> usize {
    counts.iter().copied().max().unwrap_or(0)
}

/// The count range of each non-empty class, for the legend.
fn class_ranges(max: usize) -> Vec<(usize, usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for c in 1..=max {
        let class = class_of(c, max);
        match out.last_mut() {
            Some(last) if last.0 == class => last.2 = c,
            _ => out.push((class, c, c)),
        }
        if out.len() > CLASSES {
            break;
        }
    }
    out
}

/// A flag shared by the map's handlers: the pointer moved since it went down, so the click that follows is the
/// end of a drag, not an activation. Always equal, so it never makes props differ.
#[derive(Clone, Default)]
struct DragFlag(Rc<Cell<bool>>);

impl PartialEq for DragFlag {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Projected origin of every record of the dataset, computed once per dataset (compared by pointer: comparing
/// 100,000 positions at every render of the map took milliseconds).
pub type Positions = ByPtr<Vec<Option<[f64; 2]>>>;

#[derive(Properties, PartialEq)]
pub struct MapProps {
    pub ctx: Ctx,
    pub explorer: SharedExplorer,
    pub basemap: ByPtr<Basemap>,
    pub positions: Positions,
    pub results: ByPtr<Results>,
    pub territory: Option<TerritorySel>,
    /// Open innovation (record index).
    pub open: Option<usize>,
    /// Highlighted innovation (record index).
    pub highlight: Option<usize>,
}

#[function_component(MapView)]
pub fn map_view(props: &MapProps) -> Html {
    let MapProps { ctx, explorer, basemap, positions, results, territory, open, highlight } = props;
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let view_state = use_state(|| Viewport::WHOLE);
    // Choosing a territory in the filters (or opening a link with one) frames it; clearing it shows France again.
    // In this very render: framing it in an effect would first cluster the new results for the view being left.
    // (Activating a territory on the map frames it directly, even when it was already chosen.)
    let (sel_region, sel_department, _) = super::filters::territory_path(index, territory.as_ref());
    let framed = use_mut_ref(|| None);
    let current = if *framed.borrow() == Some((sel_region, sel_department)) {
        *view_state
    } else {
        *framed.borrow_mut() = Some((sel_region, sel_department));
        let v = match (sel_region, sel_department) {
            (_, Some(d)) => Viewport::fit(basemap.departments[d].bbox, 12.0),
            (Some(r), None) => Viewport::fit(basemap.region_bbox[r], 6.0),
            (None, None) => Viewport::WHOLE,
        };
        view_state.set(v);
        v
    };
    let view = &current;
    let active = use_state(|| false);
    let hint = use_state(|| false);
    let cluster_list = use_state(|| None::<Vec<u32>>);
    let svg = use_node_ref();
    let viewport = use_node_ref();
    // Set when an activation removes the focused node (a region replaced by departments, a zoomed cluster, the
    // closed cluster list): focus then goes to the map itself instead of falling back to the page.
    let refocus = use_mut_ref(|| false);
    {
        let (viewport, refocus) = (viewport.clone(), refocus.clone());
        use_effect(move || {
            if std::mem::take(&mut *refocus.borrow_mut()) {
                if let Some(el) = viewport.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let dragged = use_memo((), |_| DragFlag::default());
    let pointers = use_mut_ref(Vec::<(i32, [f64; 2])>::new);
    // Screen pixels per canvas unit, measured after each render (the map's width depends on the page).
    let px_per_unit = use_state(|| 1.0_f64);

    let level = level_for_scale(view.k);
    let scale_px = ((*px_per_unit * 20.0).round() / 20.0).max(0.05);
    let scale_key = (scale_px * 20.0) as i64;
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
    // The render window: the screen plus half a screen on each side, snapped to half-screens.
    let window = {
        let [x0, y0, x1, y1] = view.visible();
        let (w, h) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
        let snap = |v: f64, step: f64| (v / step).floor() as i64;
        (snap(x0, w) - 1, snap(y0, h) - 1, snap(x1, w) + 1, snap(y1, h) + 1, level)
    };
    let shown = {
        let (clusters, view, grid) = (clusters.clone(), *view, clustered.2.clone());
        use_memo((clusters.clone(), window), move |(_, (a, b, c, d, _))| {
            let [x0, y0, x1, y1] = view.visible();
            let (w, h) = ((x1 - x0) / 2.0, (y1 - y0) / 2.0);
            let (wx0, wy0, wx1, wy1) = (*a as f64 * w, *b as f64 * h, (*c + 1) as f64 * w, (*d + 1) as f64 * h);
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
            grid.reading_order(&clusters, &mut idx);
            idx.into_iter().map(|i| i as usize).collect::<Vec<usize>>()
        })
    };

    // Measuring forces a layout: once at mount, and again whenever the visitor starts interacting with the map.
    {
        let (svg, px_per_unit) = (svg.clone(), px_per_unit.clone());
        use_effect_with(*active, move |_| {
            if let Some(el) = svg.cast::<Element>() {
                let width = el.get_bounding_client_rect().width();
                let measured = width / VIEW_W;
                // Re-render only for a real change (a resize), not for sub-pixel noise.
                if width > 0.0 && (measured - *px_per_unit).abs() > 0.02 {
                    px_per_unit.set(measured);
                }
            }
        });
    }

    // Converts a pointer position to canvas units of the screen (before the view transform).
    let to_screen = {
        let svg = svg.clone();
        move |client_x: f64, client_y: f64| -> [f64; 2] {
            match svg.cast::<Element>() {
                Some(el) => {
                    let r = el.get_bounding_client_rect();
                    let s = VIEW_W / r.width().max(1.0);
                    [(client_x - r.left()) * s, (client_y - r.top()) * s]
                }
                None => [VIEW_W / 2.0, VIEW_H / 2.0],
            }
        }
    };
    let set_view = {
        let view = view_state.clone();
        Callback::from(move |v: Viewport| view.set(v))
    };
    let centre = [VIEW_W / 2.0, VIEW_H / 2.0];
    let zoom_button = |factor: f64| {
        let (view, set_view) = (*view, set_view.clone());
        Callback::from(move |_: MouseEvent| set_view.emit(view.zoom_at(factor, centre)))
    };
    let on_key = {
        let (view, set_view) = (*view, set_view.clone());
        Callback::from(move |e: KeyboardEvent| {
            let step = 80.0;
            let next = match e.key().as_str() {
                "ArrowLeft" => view.pan(step, 0.0),
                "ArrowRight" => view.pan(-step, 0.0),
                "ArrowUp" => view.pan(0.0, step),
                "ArrowDown" => view.pan(0.0, -step),
                "+" | "=" => view.zoom_at(2.0, centre),
                "-" | "_" => view.zoom_at(0.5, centre),
                "0" => Viewport::WHOLE,
                _ => return,
            };
            e.prevent_default();
            set_view.emit(next);
        })
    };
    let on_wheel = {
        let (view, set_view, active, hint, to_screen) =
            (*view, set_view.clone(), active.clone(), hint.clone(), to_screen.clone());
        Callback::from(move |e: WheelEvent| {
            // The page keeps its scroll until the visitor has clicked or focused the map.
            if !*active {
                hint.set(true);
                return;
            }
            e.prevent_default();
            let factor = (-e.delta_y() * if e.delta_mode() == 1 { 0.05 } else { 0.002 }).exp();
            set_view.emit(view.zoom_at(factor, to_screen(f64::from(e.client_x()), f64::from(e.client_y()))));
        })
    };
    let on_dblclick = {
        let (view, set_view, to_screen) = (*view, set_view.clone(), to_screen.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            set_view.emit(view.zoom_at(2.0, to_screen(f64::from(e.client_x()), f64::from(e.client_y()))));
        })
    };
    let on_pointer_down = {
        let (pointers, dragged, active, hint, to_screen) =
            (pointers.clone(), dragged.clone(), active.clone(), hint.clone(), to_screen.clone());
        Callback::from(move |e: PointerEvent| {
            active.set(true);
            hint.set(false);
            dragged.0.set(false);
            let p = to_screen(f64::from(e.client_x()), f64::from(e.client_y()));
            let mut ps = pointers.borrow_mut();
            ps.retain(|(id, _)| *id != e.pointer_id());
            ps.push((e.pointer_id(), p));
        })
    };
    let on_pointer_move = {
        let (pointers, dragged, view, set_view, to_screen) =
            (pointers.clone(), dragged.clone(), *view, set_view.clone(), to_screen.clone());
        Callback::from(move |e: PointerEvent| {
            let mut ps = pointers.borrow_mut();
            let Some(slot) = ps.iter().position(|(id, _)| *id == e.pointer_id()) else { return };
            let p = to_screen(f64::from(e.client_x()), f64::from(e.client_y()));
            let old = ps[slot].1;
            if ps.len() == 1 {
                let (dx, dy) = (p[0] - old[0], p[1] - old[1]);
                if dragged.0.get() || dx.abs() + dy.abs() > 6.0 {
                    if !dragged.0.replace(true) {
                        if let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) {
                            let _ = el.set_pointer_capture(e.pointer_id());
                        }
                    }
                    ps[slot].1 = p;
                    set_view.emit(view.pan(dx, dy));
                }
            } else if ps.len() == 2 {
                // Pinch: scale by the change of distance between the two pointers, around their midpoint.
                let other = ps[1 - slot].1;
                let dist = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt().max(1.0);
                let factor = dist(p, other) / dist(old, other);
                let mid = [(p[0] + other[0]) / 2.0, (p[1] + other[1]) / 2.0];
                ps[slot].1 = p;
                dragged.0.set(true);
                set_view.emit(view.zoom_at(factor, mid));
            }
        })
    };
    let on_pointer_up = {
        let pointers = pointers.clone();
        Callback::from(move |e: PointerEvent| pointers.borrow_mut().retain(|(id, _)| *id != e.pointer_id()))
    };
    let on_leave = {
        let (active, hint, pointers) = (active.clone(), hint.clone(), pointers.clone());
        Callback::from(move |_: PointerEvent| {
            if pointers.borrow().is_empty() {
                active.set(false);
            }
            hint.set(false);
        })
    };
    let on_focus_in = {
        let active = active.clone();
        Callback::from(move |_: FocusEvent| active.set(true))
    };
    let on_focus_out = {
        let (active, viewport) = (active.clone(), viewport.clone());
        Callback::from(move |e: FocusEvent| {
            // Focus going to another element outside the map deactivates it. Without a next element, the focused
            // node was removed by a re-render (a cluster split by zooming) or the page lost focus: the map stays
            // active (the pointer leaving it deactivates it anyway).
            let inside = match e.related_target() {
                None => true,
                Some(rel) => viewport
                    .cast::<web_sys::Node>()
                    .zip(rel.dyn_into::<web_sys::Node>().ok())
                    .is_some_and(|(v, r)| v.contains(Some(&r))),
            };
            if !inside {
                active.set(false);
            }
        })
    };

    // Territories: regions in the national view, departments closer.
    let by_department = view.k >= DEPARTMENT_SCALE;
    let counts = &results.counts;
    // Stable for the dataset, so that a layer whose other props did not change is not rendered again.
    let on_territory = {
        let (d, setter, basemap, dragged, refocus) =
            (ctx.dispatch.clone(), view_state.setter(), basemap.clone(), dragged.clone(), refocus.clone());
        use_callback(explorer.clone(), move |(is_department, i): (bool, usize), explorer| {
            if dragged.0.get() {
                return;
            }
            // Regions give way to departments when the map zooms in.
            *refocus.borrow_mut() = !is_department;
            let terr = &explorer.0.index.territories;
            let (sel, bbox) = if is_department {
                (TerritorySel::Department(terr.departments[i].code.clone()), basemap.departments[i].bbox)
            } else {
                (TerritorySel::Region(terr.regions[i].code.clone()), basemap.region_bbox[i])
            };
            d.emit(Action::SetTerritory(Some(sel)));
            setter.set(Viewport::fit(bbox, if is_department { 12.0 } else { 6.0 }));
        })
    };
    let on_cluster = {
        let (set_view, clusters, dragged, cluster_list, view, refocus) =
            (set_view.clone(), clusters.clone(), dragged.clone(), cluster_list.clone(), *view, refocus.clone());
        Callback::from(move |i: usize| {
            if dragged.0.get() {
                return;
            }
            let Some(c) = clusters.get(i) else { return };
            if !cluster_zooms(c, view.k) {
                // The list takes focus on its heading.
                cluster_list.set(Some(c.records.clone()));
            } else {
                // The cluster's node goes away: keep focus in the map.
                *refocus.borrow_mut() = true;
                let next = Viewport::fit(c.extent, level_scale(level_for_scale(view.k) + 2));
                set_view.emit(if next.k <= view.k * 1.01 {
                    view.zoom_at(2.0, [c.x * view.k + view.tx, c.y * view.k + view.ty])
                } else {
                    next
                });
            }
        })
    };
    let max = max_count(if by_department { &counts.departments } else { &counts.regions });
    let visible = view.visible();
    let dep_visible: Vec<bool> = basemap
        .departments
        .iter()
        .map(|s| {
            s.bbox[2] >= visible[0] && s.bbox[0] <= visible[2] && s.bbox[3] >= visible[1] && s.bbox[1] <= visible[3]
        })
        .collect();

    // Both territory layers stay in the document and `hidden` switches them: zooming past [`DEPARTMENT_SCALE`]
    // (or choosing a region, which frames it) would otherwise build 101 department outlines, 137 KB of path data,
    // again. The hidden layer keeps the results it was last shown with (and no focusable departments), so that
    // filter changes and pans do not render it.
    let layer_results = use_mut_ref(|| [results.clone(), results.clone()]);
    layer_results.borrow_mut()[usize::from(by_department)] = results.clone();
    let [region_results, department_results] = layer_results.borrow().clone();
    let label_size = fixed(11.0 / scale_px, 10);
    let help_id = ctx.id("map-help");
    let title_id = ctx.id("map-title");
    let ranges = class_ranges(max);
    html! {
        <section class="es-map" aria-labelledby={title_id.clone()}>
            <div class="es-map-head">
                <h3 class="es-map-title" id={title_id}>{ t(locale, Msg::Map) }</h3>
                <div class="es-map-tools">
                    <button type="button" class="es-tool" aria-label={t(locale, Msg::ZoomIn)} title={t(locale, Msg::ZoomIn)} onclick={zoom_button(2.0)}>{ "+" }</button>
                    <button type="button" class="es-tool" aria-label={t(locale, Msg::ZoomOut)} title={t(locale, Msg::ZoomOut)} onclick={zoom_button(0.5)}>{ "−" }</button>
                    <button type="button" class="es-tool es-tool-text" onclick={set_view.reform(|_: MouseEvent| Viewport::WHOLE)}>{ t(locale, Msg::ResetView) }</button>
                </div>
            </div>
            <p class="es-visually-hidden" id={help_id.clone()}>{ t(locale, Msg::MapHelp) }</p>
            <div ref={viewport} class="es-map-viewport" data-active={active.then_some("")} tabindex="0"
                 aria-label={t(locale, Msg::Map)} aria-describedby={help_id}
                 onkeydown={on_key} onwheel={on_wheel} ondblclick={on_dblclick}
                 onpointerdown={on_pointer_down} onpointermove={on_pointer_move} onpointerup={on_pointer_up.clone()}
                 onpointercancel={on_pointer_up} onpointerleave={on_leave} onfocusin={on_focus_in} onfocusout={on_focus_out}>
                <svg ref={svg} class="es-map-svg" viewBox="0 0 1000 800" role="group" aria-label={t(locale, Msg::Map)}>
                    <g transform={view.transform()}>
                        { for basemap.layout.insets.iter().map(|inset| {
                            let [x, y, w, h] = inset.frame;
                            html! {
                                <g class="es-inset" aria-hidden="true">
                                    <rect x={fixed(x, 10)} y={fixed(y, 10)} width={fixed(w, 10)} height={fixed(h, 10)} />
                                    <text x={fixed(x + w / 2.0, 10)} y={fixed(y + h - 5.0, 10)} font-size={label_size.clone()}>{ inset.name.clone() }</text>
                                </g>
                            }
                        }) }
                        <Territories locale={locale} explorer={explorer.clone()} basemap={basemap.clone()}
                                     results={region_results} departments={false} hidden={by_department}
                                     selected={(sel_region, sel_department)} on_activate={on_territory.clone()} />
                        <Territories locale={locale} explorer={explorer.clone()} basemap={basemap.clone()}
                                     results={department_results} departments={true} hidden={!by_department}
                                     selected={(sel_region, sel_department)} on_activate={on_territory}
                                     focusable={if by_department { dep_visible } else { Vec::new() }} />
                        <MarkerLayer locale={locale} explorer={explorer.clone()} basemap={basemap.clone()} clusters={clusters.clone()} shown={shown.clone()}
                                     scale={view.k} px={scale_px} open={*open} highlight={*highlight} positions={positions.clone()}
                                     dispatch={ctx.dispatch.clone()} on_cluster={on_cluster} dragged={(*dragged).clone()} />
                    </g>
                </svg>
                if *hint {
                    <p class="es-map-hint" aria-hidden="true">{ t(locale, Msg::WheelHint) }</p>
                }
            </div>
            if let Some(records) = &*cluster_list {
                <ClusterList ctx={ctx.clone()} explorer={explorer.clone()} records={records.clone()}
                             on_close={
                                 let (l, refocus) = (cluster_list.clone(), refocus.clone());
                                 Callback::from(move |_: MouseEvent| {
                                     *refocus.borrow_mut() = true;
                                     l.set(None);
                                 })
                             } />
            }
            <div class="es-map-foot">
                <div class="es-legend" aria-hidden="true">
                    <span class="es-legend-title">{ t(locale, Msg::Legend) }</span>
                    <span class="es-legend-item"><span class="es-swatch" data-q="0"></span>{ t(locale, Msg::LegendNone) }</span>
                    { for ranges.iter().map(|(class, lo, hi)| html! {
                        <span class="es-legend-item"><span class="es-swatch" data-q={CLASS_NAMES[*class]}></span>
                            { if lo == hi { number(locale, *lo) } else { format!("{}–{}", number(locale, *lo), number(locale, *hi)) } }
                        </span>
                    }) }
                </div>
                if missing > 0 {
                    <p class="es-map-note">{ not_located_count(locale, missing) }</p>
                }
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LayerProps {
    locale: Locale,
    explorer: SharedExplorer,
    basemap: ByPtr<Basemap>,
    results: ByPtr<Results>,
    /// The department layer, else the region layer.
    departments: bool,
    hidden: bool,
    /// The chosen region and department.
    selected: (Option<usize>, Option<usize>),
    /// Departments on screen (only those are in the tab order when departments are shown).
    #[prop_or_default]
    focusable: Vec<bool>,
    on_activate: Callback<(bool, usize)>,
}

/// Enter or Space on a map button: activates it like a click.
fn activation_key(e: &KeyboardEvent) -> bool {
    let yes = e.key() == "Enter" || e.key() == " ";
    if yes {
        e.prevent_default();
        e.stop_propagation();
    }
    yes
}

/// Click and keyboard activation of the layer's nodes marked with the attribute of `selector`.
fn on_activate_in(selector: &'static str, cb: &Callback<usize>) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (c, k) = (cb.clone(), cb.clone());
    (
        Callback::from(move |e: MouseEvent| index_at(e.target(), selector).into_iter().for_each(|i| c.emit(i))),
        Callback::from(move |e: KeyboardEvent| {
            if let Some(i) = index_at(e.target(), selector).filter(|_| activation_key(&e)) {
                k.emit(i);
            }
        }),
    )
}

/// One layer of territories coloured by count: departments, or regions (each a group of its departments).
#[function_component(Territories)]
fn territories(props: &LayerProps) -> Html {
    let LayerProps { locale, explorer, basemap, results, departments, hidden, selected, focusable, on_activate } =
        props;
    let terr = &explorer.0.index.territories;
    let counts = if *departments { &results.counts.departments } else { &results.counts.regions };
    let max = max_count(counts);
    let count = |i: usize| counts.get(i).copied().unwrap_or(0);
    let is_department = *departments;
    let (click, key) = on_activate_in("[data-i]", &on_activate.reform(move |i| (is_department, i)));
    // The count class (`data-q`) and the choice (`data-selected`) are attributes rather than classes: a class
    // attribute that is not a literal goes through Yew's `Classes`, a hashed set built for every element at every
    // render, whose code alone was 3.7 KB of the gzipped bundle (docs/SIZE.md).
    let path = |d: usize, class: usize| {
        let selected = (selected.1 == Some(d)).then_some("");
        (AttrValue::from(basemap.departments[d].path.clone()), AttrValue::from(CLASS_NAMES[class]), selected)
    };
    html! {
        // `aria-hidden` too: Chromium keeps the buttons of a `display: none` SVG group in its accessibility tree.
        <g hidden={*hidden} aria-hidden={hidden.then_some("true")} onclick={click} onkeydown={key}>
            if *departments {
                { for (0..terr.departments.len()).map(|d| {
                    let label = territory_count(*locale, &terr.departments[d].name, count(d));
                    let (d_attr, q, selected) = path(d, class_of(count(d), max));
                    html! {
                        <path d={d_attr} class="es-dep" data-q={q} data-selected={selected} role="button" tabindex={if focusable.get(d) == Some(&true) { "0" } else { "-1" }}
                              aria-label={label.clone()} data-i={d.to_string()}>
                            <title>{ label }</title>
                        </path>
                    }
                }) }
            } else {
                { for super::filters::regions_in_order(terr).into_iter().map(|r| {
                    let label = territory_count(*locale, &terr.regions[r].name, count(r));
                    let class = class_of(count(r), max);
                    html! {
                        <g class="es-region" data-selected={(selected.0 == Some(r)).then_some("")} role="button" tabindex="0"
                           aria-label={label.clone()} data-i={r.to_string()}>
                            <title>{ label }</title>
                            { for terr.regions[r].departments.iter().map(|&d| {
                                let (d_attr, q, _) = path(d, class);
                                html! { <path d={d_attr} class="es-dep" data-q={q} /> }
                            }) }
                        </g>
                    }
                }) }
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct MarkerProps {
    locale: Locale,
    explorer: SharedExplorer,
    basemap: ByPtr<Basemap>,
    clusters: ByPtr<Vec<Cluster>>,
    shown: Rc<Vec<usize>>,
    /// Current view scale: markers keep their size on screen.
    scale: f64,
    /// Screen pixels per canvas unit at scale 1 (rounded), so sizes below are in screen pixels.
    px: f64,
    open: Option<usize>,
    highlight: Option<usize>,
    positions: Positions,
    dispatch: Callback<Action>,
    on_cluster: Callback<usize>,
    dragged: DragFlag,
}

/// Clusters and markers, the open innovation's marker and links to its replicas.
#[function_component(MarkerLayer)]
fn marker_layer(props: &MarkerProps) -> Html {
    let MarkerProps {
        locale,
        explorer,
        basemap,
        clusters,
        shown,
        scale,
        px,
        open,
        highlight,
        positions,
        dispatch,
        on_cluster,
        dragged,
    } = props;
    let index = &explorer.0.index;
    let inv = 1.0 / (scale * px.max(0.05));
    let size = |px: f64| fixed(px * inv, 1000);
    let hl = highlight.map(|h| h as u32);
    let open_u32 = open.map(|o| o as u32);
    let replicas = open.map(|o| {
        let inno = &index.dataset.innovations[o];
        let from = positions.0.get(o).copied().flatten();
        (from, inno.replicas.iter().filter_map(|p| basemap.layout.place(&index.territories, p)).collect::<Vec<_>>())
    });
    // One set of handlers for every marker (`data-r`: its record) and cluster (`data-c`: its index), see
    // [`index_at`].
    let activate = {
        let (d, dragged, on_cluster, explorer) =
            (dispatch.clone(), dragged.clone(), on_cluster.clone(), explorer.clone());
        Rc::new(move |e: &Event| {
            if let Some(r) = index_at(e.target(), "[data-r]") {
                if !dragged.0.get() {
                    d.emit(Action::Open(explorer.0.index.dataset.innovations[r].id.clone()))
                }
            } else if let Some(c) = index_at(e.target(), "[data-c]") {
                on_cluster.emit(c)
            }
        })
    };
    let on_click = {
        let activate = activate.clone();
        Callback::from(move |e: MouseEvent| activate(&e))
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if activation_key(&e) {
            activate(&e)
        }
    });
    // Pointing at a marker or focusing it highlights its item in the list.
    let (over, out, focus_in, focus_out) = super::highlighter(dispatch, "[data-r]");
    html! {
        <g class="es-markers" onclick={on_click} onkeydown={on_key}
           onmouseover={over} onmouseout={out} onfocusin={focus_in} onfocusout={focus_out}>
            if let Some((Some(from), targets)) = &replicas {
                <g class="es-replicas" aria-hidden="true">
                    { for targets.iter().map(|to| html! {
                        <>
                            <line x1={fixed(from[0], 100)} y1={fixed(from[1], 100)} x2={fixed(to[0], 100)} y2={fixed(to[1], 100)} class="es-replica-link" />
                            <circle cx={fixed(to[0], 100)} cy={fixed(to[1], 100)} r={size(4.0)} class="es-replica" />
                        </>
                    }) }
                </g>
            }
            // Its own fragment: keyed children only, so that Yew matches them by key (next to the unkeyed `if`s, it
            // would match them by position and replace every node whose key differs).
            <>{ for shown.iter().map(|&i| {
                let c = &clusters[i];
                let (x, y) = (fixed(c.x, 100), fixed(c.y, 100));
                let highlighted = hl.is_some_and(|h| c.records.contains(&h));
                if c.count() == 1 {
                    let record = c.records[0];
                    let inno = &index.dataset.innovations[record as usize];
                    html! {
                        <circle key={format!("m{record}")} cx={x} cy={y} r={size(if highlighted { 8.0 } else { 6.0 })}
                                class="es-marker" data-hl={highlighted.then_some("")}
                                role="button" tabindex="0" aria-label={super::results::marker_label(explorer, inno, *locale)}
                                data-r={record.to_string()}>
                            <title>{ inno.name.clone() }</title>
                        </circle>
                    }
                } else {
                    let n = c.count();
                    let label = cluster_label(*locale, n, cluster_zooms(c, *scale));
                    let r = 8.0 + 2.5 * (n as f64).log2();
                    html! {
                        <g key={format!("c{}", c.cell)} class="es-cluster" data-hl={highlighted.then_some("")}
                           transform={format!("translate({x} {y}) scale({})", fixed(inv, 10_000))}
                           role="button" tabindex="0" aria-label={label.clone()} data-c={i.to_string()}>
                            <title>{ label }</title>
                            <circle r={fixed(r, 10)} />
                            <text dy="0.35em" aria-hidden="true">{ number(*locale, n) }</text>
                        </g>
                    }
                }
            }) }</>
            if let Some(o) = open_u32 {
                if let Some([x, y]) = positions.0.get(o as usize).copied().flatten() {
                    <circle cx={fixed(x, 100)} cy={fixed(y, 100)} r={size(11.0)} class="es-open-ring" aria-hidden="true" />
                }
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct ClusterListProps {
    ctx: Ctx,
    explorer: SharedExplorer,
    records: Vec<u32>,
    on_close: Callback<MouseEvent>,
}

/// The innovations of a cluster that cannot be split further (same place), as links to their details.
#[function_component(ClusterList)]
fn cluster_list(props: &ClusterListProps) -> Html {
    let ClusterListProps { ctx, explorer, records, on_close } = props;
    let heading = use_node_ref();
    {
        let heading = heading.clone();
        use_effect_with(records.clone(), move |_| {
            if let Some(h) = heading.cast::<HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let index = &explorer.0.index;
    html! {
        <div class="es-cluster-list">
            <h4 tabindex="-1" ref={heading}>{ format!("{} ({})", t(ctx.locale, Msg::ClusterItems), records.len()) }</h4>
            <ul>
                { for records.iter().map(|&r| {
                    let inno = &index.dataset.innovations[r as usize];
                    html! { <li><button type="button" class="es-link-button" onclick={ctx.action(Action::Open(inno.id.clone()))}>{ inno.name.clone() }</button></li> }
                }) }
            </ul>
            <button type="button" class="es-button es-button-secondary" onclick={on_close.clone()}>{ t(ctx.locale, Msg::Close) }</button>
        </div>
    }
}

/// The position of every record's origin on the canvas (computed once per dataset by the explorer).
pub fn positions(explorer: &SharedExplorer, basemap: &Basemap) -> Positions {
    let index = &explorer.0.index;
    ByPtr(Rc::new(
        index.dataset.innovations.iter().map(|i| basemap.layout.place(&index.territories, &i.origin)).collect(),
    ))
}
