//! The offline map of France: territories coloured by count, clusters and markers of the results, the open
//! innovation's replicas, zoom and pan by mouse, touch and keyboard.
//!
//! Cost control: the territory layers and the marker layer are separate components whose props do not change while
//! the visitor pans, so a pan only rewrites the content group's `transform` attribute (see [`territories`] and
//! [`cluster_window`] for what a zoom or a filter change renders). Territories, clusters and markers share their
//! layer's event handlers ([`super::index_at`]) instead of registering their own at every render.

mod choropleth;
mod cluster_list;
mod cluster_window;
mod controls;
mod gestures;
mod markers;
mod territories;
mod viewport;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::{ByPtr, Ctx, SharedLoaded};
use crate::cluster::Cluster;
use crate::filter::{Filtered, TerritorySel};
use crate::geo::{fixed, Basemap, Viewport};
use crate::i18n::{t, Msg};
use crate::state::Action;
pub use cluster_window::MAX_NODES;
use cluster_window::{cluster_zoom, use_cluster_window};
use gestures::{use_gestures, DragFlag};
use markers::{marker_layer, MarkerProps};
use territories::{on_screen, use_layer_results, use_territory_activation, Territories, DEPARTMENT_SCALE};
use viewport::{use_framed_view, use_px_per_unit};

/// Projected origin of every record of the dataset, computed once per dataset and compared by pointer (comparing a
/// position per record at every render of the map would cost more than the render).
pub type Positions = ByPtr<Vec<Option<[f64; 2]>>>;

#[derive(Properties, PartialEq)]
pub struct MapProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub basemap: ByPtr<Basemap>,
    pub positions: Positions,
    pub results: ByPtr<Filtered>,
    pub territory: Option<TerritorySel>,
    /// Open innovation (record index).
    pub open: Option<usize>,
    /// Highlighted innovation (record index).
    pub highlight: Option<usize>,
    /// The map position of the state (a link's, or back/forward): see [`viewport::use_framed_view`].
    #[prop_or_default]
    pub pos: Option<crate::url_state::MapPos>,
    /// Whether narrow screens show the map (it is measured again when it appears).
    #[prop_or_default]
    pub shown: bool,
}

#[function_component(MapView)]
pub fn map_view(props: &MapProps) -> Html {
    let MapProps { ctx, explorer, basemap, positions, results, territory, open, highlight, pos, shown } = props;
    let locale = ctx.locale;
    let noun = &explorer.0.index.dataset.meta.noun;
    let (sel_region, sel_department, _) = super::filters::territory_path(&explorer.0.index, territory.as_ref());
    let (view_state, view) = use_framed_view(basemap, (sel_region, sel_department), *pos, &ctx.dispatch);
    let set_view = {
        let view_state = view_state.clone();
        Callback::from(move |v: Viewport| view_state.set(v))
    };
    // The list of the cluster chosen last (its index and records), with the view it was chosen at: it closes when
    // the view moves on.
    let cluster_list = use_state(|| None::<(Viewport, usize, Vec<u32>)>);
    let svg = use_node_ref();
    let viewport = use_node_ref();
    let refocus = use_refocus(&viewport);
    let gestures = use_gestures(view, &set_view, &svg, &viewport);
    let px_per_unit = use_px_per_unit(&svg, gestures.active, *shown);
    let window = use_cluster_window(positions, results, view, px_per_unit);
    let on_territory =
        use_territory_activation(&ctx.dispatch, explorer, basemap, view_state.setter(), &gestures.dragged, &refocus);
    // The record of the detail opened from a marker: closing it brings focus back to that marker.
    let from_map = use_mut_ref(|| None::<usize>);
    let on_item = on_item(
        &window.clusters,
        view,
        &set_view,
        &cluster_list,
        &gestures.dragged,
        &refocus,
        &from_map,
        ctx,
        explorer,
    );
    {
        let (viewport, d) = (viewport.clone(), ctx.dispatch.clone());
        use_effect_with(*open, move |open| {
            if open.is_none() {
                if let Some(r) = from_map.take() {
                    // The list's own return (its item) happened first; a marker on screen takes the focus instead.
                    if focus_node(&viewport, "data-r", r) {
                        d.emit(Action::FocusReturned);
                    }
                }
            }
        });
    }
    // Territories: regions in the national view, departments closer.
    let by_department = view.k >= DEPARTMENT_SCALE;
    let [region_results, department_results] = use_layer_results(results, by_department);
    let counts = if by_department { &results.counts.departments } else { &results.counts.regions };
    let max = choropleth::max_count(counts);
    let focusable = if by_department {
        on_screen(basemap.departments.iter().map(|d| &d.bbox), &view)
    } else {
        on_screen(basemap.region_bbox.iter(), &view)
    };
    // The insets' frames and names in the national view, their names at 0.75 em on screen (12 px at the default
    // text size, growing with the reader's); closer, they step aside and the inset under the screen's centre, if
    // any, is named in a corner of the map.
    let national = view.k < 1.05;
    let mut label_size = fixed(0.75 / (window.scale_px * view.k), 1000);
    label_size.push_str("em");
    let centre = view.centre();
    let inset_here = basemap.layout.insets.iter().find(|i| {
        let [x, y, w, h] = i.frame;
        !national && centre[0] >= x && centre[0] <= x + w && centre[1] >= y && centre[1] <= y + h
    });
    let stages = stage_legend(explorer, locale);
    let help_id = ctx.id("map-help");
    let title_id = ctx.id("map-title");
    // Closing the cluster list brings focus back to its cluster.
    let on_close_list = {
        let (cluster_list, viewport) = (cluster_list.clone(), viewport.clone());
        Callback::from(move |_: ()| {
            if let Some((_, c, _)) = &*cluster_list {
                focus_node(&viewport, "data-c", *c);
            }
            cluster_list.set(None);
        })
    };
    // The cluster list's heading takes focus when the list opens or lists other records.
    let list_heading = use_node_ref();
    let list_shown = cluster_list.as_ref().filter(|(at, _, _)| *at == view).map(|(_, _, records)| records.clone());
    {
        let heading = list_heading.clone();
        use_effect_with(list_shown, move |shown| {
            if let Some(h) = shown.as_ref().and(heading.cast::<web_sys::HtmlElement>()) {
                let _ = h.focus();
            }
        });
    }
    let g = gestures;
    let mut insets = Vec::new();
    for inset in if national { &basemap.layout.insets[..] } else { &[] } {
        let [x, y, w, h] = inset.frame;
        insets.push(html! {
            <g class="es-inset" aria-hidden="true">
                <rect x={fixed(x, 10)} y={fixed(y, 10)} width={fixed(w, 10)} height={fixed(h, 10)} />
                <text x={fixed(x + w / 2.0, 10)} y={fixed(y + h - 5.0, 10)} font-size={label_size.clone()}>{ inset.name.clone() }</text>
            </g>
        });
    }
    html! {
        <section class="es-map" aria-labelledby={title_id.clone()}>
            { controls::map_head(ctx, noun, title_id, view, &set_view) }
            <p class="es-visually-hidden" id={help_id.clone()}>{ t(locale, Msg::MapHelp) }</p>
            <div ref={viewport} class="es-map-viewport" data-active={g.active.then_some("")} tabindex="0"
                 role="group" aria-label={t(locale, Msg::MapArea)} aria-describedby={help_id}
                 onkeydown={g.on_key} onwheel={g.on_wheel} ondblclick={g.on_dblclick}
                 onpointerdown={g.on_pointer_down} onpointermove={g.on_pointer_move} onpointerup={g.on_pointer_up.clone()}
                 onpointercancel={g.on_pointer_up} onpointerleave={g.on_leave} onfocusin={g.on_focus_in} onfocusout={g.on_focus_out}>
                <svg ref={svg} class="es-map-svg" viewBox="0 0 1000 800">
                    <g transform={view.transform()}>
                        { for insets }
                        <Territories locale={locale} explorer={explorer.clone()} basemap={basemap.clone()}
                                     results={region_results} departments={false} hidden={by_department}
                                     selected={(sel_region, sel_department)} on_activate={on_territory.clone()}
                                     focusable={if by_department { Vec::new() } else { focusable.clone() }} />
                        <Territories locale={locale} explorer={explorer.clone()} basemap={basemap.clone()}
                                     results={department_results} departments={true} hidden={!by_department}
                                     selected={(sel_region, sel_department)} on_activate={on_territory}
                                     focusable={if by_department { focusable } else { Vec::new() }} />
                        { marker_layer(&MarkerProps {
                            locale, explorer: explorer.clone(), basemap: basemap.clone(), clusters: window.clusters,
                            shown: window.shown, scale: view.k, px: window.scale_px, open: *open, highlight: *highlight,
                            positions: positions.clone(), results: results.clone(), dispatch: ctx.dispatch.clone(), on_item,
                            visible: view.visible(),
                        }) }
                    </g>
                </svg>
                if let Some(inset) = inset_here {
                    <p class="es-map-place" aria-hidden="true">{ inset.name.clone() }</p>
                }
                if g.hint {
                    <p class="es-map-hint" aria-hidden="true">{ t(locale, Msg::WheelHint) }</p>
                }
            </div>
            if let Some((at, _, records)) = &*cluster_list {
                if *at == view {
                    { cluster_list::list(ctx, explorer, records, &list_heading, &on_close_list) }
                }
            }
            { choropleth::map_foot(locale, noun, max, window.missing, &stages) }
        </section>
    }
}

/// Set when an activation removes the focused node (a region replaced by departments, a zoomed cluster, the closed
/// cluster list): after that render, focus goes to the map's `viewport` instead of falling back to the page.
#[hook]
fn use_refocus(viewport: &NodeRef) -> Rc<RefCell<bool>> {
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
    refocus
}

/// Focuses the map node whose attribute `attr` is `n` (a marker's record, a cluster's index), if it is on screen;
/// says whether it was.
fn focus_node(viewport: &NodeRef, attr: &str, n: usize) -> bool {
    let node = viewport.cast::<Element>().and_then(|v| v.query_selector(&format!("[{attr}=\"{n}\"]")).ok().flatten());
    // An SVG element: `focus` is called by name, as on any element.
    node.filter(|el| el.get_bounding_client_rect().width() > 0.0)
        .map(|el| el.unchecked_into::<HtmlElement>().focus())
        .is_some()
}

/// The activation of a marker (`(true, record)`: opens its innovation) or of cluster `i` of `clusters` at `view`
/// (`(false, i)`: zooms in to split it, or lists its innovations when it cannot be split); nothing when it ends a
/// drag.
#[allow(clippy::too_many_arguments)]
fn on_item(
    clusters: &ByPtr<Vec<Cluster>>,
    view: Viewport,
    set_view: &Callback<Viewport>,
    cluster_list: &UseStateHandle<Option<(Viewport, usize, Vec<u32>)>>,
    dragged: &DragFlag,
    refocus: &Rc<RefCell<bool>>,
    from_map: &Rc<RefCell<Option<usize>>>,
    ctx: &Ctx,
    explorer: &SharedLoaded,
) -> Callback<(bool, usize)> {
    let (clusters, set_view, cluster_list, dragged, refocus) =
        (clusters.clone(), set_view.clone(), cluster_list.clone(), dragged.clone(), refocus.clone());
    let (from_map, d, explorer) = (from_map.clone(), ctx.dispatch.clone(), explorer.clone());
    Callback::from(move |(marker, i): (bool, usize)| {
        if *dragged.borrow() {
            return;
        }
        if marker {
            *from_map.borrow_mut() = Some(i);
            return d.emit(Action::Open(explorer.0.index.dataset.innovations[i].id.clone()));
        }
        let Some(c) = clusters.get(i) else { return };
        match cluster_zoom(c, view) {
            // The list takes focus on its heading.
            None => cluster_list.set(Some((view, i, c.records.clone()))),
            Some(next) => {
                cluster_list.set(None);
                // The cluster's node goes away: keep focus in the map.
                *refocus.borrow_mut() = true;
                set_view.emit(next);
            }
        }
    })
}

/// The stages the dataset uses, with their label, for the legend of the markers' shapes: `(data-shape,
/// data-stage, label)` (a stage's shape is numbered as its colour).
fn stage_legend(explorer: &SharedLoaded, locale: crate::i18n::Locale) -> Vec<(&'static str, &'static str, String)> {
    let index = &explorer.0.index;
    let vocab = index.dataset.vocabularies.get(crate::model::VocabKind::Stages);
    let totals = index.totals(crate::filter::Facet::Stages);
    let mut out: Vec<_> = (0..vocab.len())
        .filter(|&i| totals.get(i).copied().unwrap_or(0) > 0)
        .map(|i| {
            let (_, stage) = markers::stage_shape(Some(i as u16));
            (stage, stage, vocab.label(i as u16, locale).to_owned())
        })
        .collect();
    // « Non renseigné » beside the stages used; alone (no record has a stage), no stage legend at all.
    if !out.is_empty() && totals.get(vocab.len()).copied().unwrap_or(0) > 0 {
        let (_, stage) = markers::stage_shape(None);
        out.push((stage, stage, t(locale, Msg::Unspecified).to_owned()));
    }
    out
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

/// The position of every record's origin on the canvas (computed once per dataset by the explorer).
pub fn positions(explorer: &SharedLoaded, basemap: &Basemap) -> Positions {
    let index = &explorer.0.index;
    ByPtr(Rc::new(
        index.dataset.innovations.iter().map(|i| basemap.layout.place(&index.territories, &i.origin)).collect(),
    ))
}
