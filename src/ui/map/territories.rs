//! The territory layers: regions or departments coloured by their count of results, which choose and frame a
//! territory when activated.
//!
//! Both layers (regions, departments) stay in the document and `display` switches them: zooming past
//! [`DEPARTMENT_SCALE`] (or choosing a region, which frames it) would otherwise build every department outline, the
//! bulk of the map's path data, again. The hidden layer keeps the results it was last shown with (and no focusable
//! departments), so that filter changes and pans do not render it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::activation_key;
use super::choropleth::{class_of, max_count, CLASS_NAMES};
use super::gestures::DragFlag;
use super::viewport::frame_territory;
use crate::filter::{Filtered, TerritorySel};
use crate::geo::{fixed, Basemap, Viewport};
use crate::i18n::{territory_count, Locale};
use crate::state::Action;
use crate::ui::{index_at, ByPtr, SharedLoaded};

/// Below this scale territories are regions, above it departments.
pub(super) const DEPARTMENT_SCALE: f64 = 2.5;

#[derive(Properties, PartialEq)]
pub(super) struct LayerProps {
    pub locale: Locale,
    pub explorer: SharedLoaded,
    pub basemap: ByPtr<Basemap>,
    pub results: ByPtr<Filtered>,
    /// The department layer, else the region layer.
    pub departments: bool,
    pub hidden: bool,
    /// The chosen region and department.
    pub selected: (Option<usize>, Option<usize>),
    /// Territories on screen (only those are in the tab order).
    pub focusable: Vec<bool>,
    pub on_activate: Callback<(bool, usize)>,
}

/// The results each layer (regions, departments) renders: the current ones for the layer shown at `by_department`,
/// the last ones it was shown with for the other.
#[hook]
pub(super) fn use_layer_results(results: &ByPtr<Filtered>, by_department: bool) -> [ByPtr<Filtered>; 2] {
    let layer_results = use_mut_ref(|| [results.clone(), results.clone()]);
    layer_results.borrow_mut()[usize::from(by_department)] = results.clone();
    let both = layer_results.borrow().clone();
    both
}

/// Which of the boxes `bboxes` (of departments or regions) are on screen at `view`: only those are in the tab
/// order (WCAG 2.4.7, 2.4.11).
pub(super) fn on_screen<'a>(bboxes: impl Iterator<Item = &'a [f64; 4]>, view: &Viewport) -> Vec<bool> {
    let v = view.visible();
    bboxes.map(|b| b[2] >= v[0] && b[0] <= v[2] && b[3] >= v[1] && b[1] <= v[3]).collect()
}

/// The activation of a territory, `(is_department, index)`: chooses it in the filters and frames it (by
/// `set_view`), unless it ends a drag. Stable for the dataset, so that a layer whose other props did not change is
/// not rendered again.
#[hook]
pub(super) fn use_territory_activation(
    dispatch: &Callback<Action>,
    explorer: &SharedLoaded,
    basemap: &ByPtr<Basemap>,
    set_view: UseStateSetter<Viewport>,
    dragged: &DragFlag,
    refocus: &Rc<RefCell<bool>>,
) -> Callback<(bool, usize)> {
    let (d, basemap, dragged, refocus) = (dispatch.clone(), basemap.clone(), dragged.clone(), refocus.clone());
    use_callback(explorer.clone(), move |(is_department, i): (bool, usize), explorer| {
        if *dragged.borrow() {
            return;
        }
        // Regions give way to departments when the map zooms in.
        *refocus.borrow_mut() = !is_department;
        let terr = &explorer.0.index.territories;
        let sel = if is_department {
            TerritorySel::Department(terr.departments[i].code.clone())
        } else {
            TerritorySel::Region(terr.regions[i].code.clone())
        };
        d.emit(Action::SetTerritory(Some(sel)));
        set_view.set(frame_territory(&basemap, is_department, i));
    })
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
pub(super) fn territories(props: &LayerProps) -> Html {
    let LayerProps { locale, explorer, basemap, results, departments, hidden, selected, focusable, on_activate } =
        props;
    let terr = &explorer.0.index.territories;
    let noun = &explorer.0.index.dataset.meta.noun;
    let counts = if *departments { &results.counts.departments } else { &results.counts.regions };
    let max = max_count(counts);
    let count = |i: usize| counts.get(i).copied().unwrap_or(0);
    let is_department = *departments;
    let tabindex = |i: usize| if focusable.get(i) == Some(&true) { "0" } else { "-1" };
    let (click, key) = on_activate_in("[data-i]", &on_activate.reform(move |i| (is_department, i)));
    // The count class (`data-q`) and the choice (`data-selected`) are attributes rather than classes: a class
    // attribute that is not a literal goes through Yew's `Classes`, a hashed set built for every element at every
    // render, whose code weighs on the bundle (docs/SIZE.md).
    let path = |d: usize, class: usize| {
        let selected = (selected.1 == Some(d)).then_some("");
        (AttrValue::from(basemap.departments[d].path.clone()), AttrValue::from(CLASS_NAMES[class]), selected)
    };
    // A department is named by its `<title>` (also its tooltip), nothing else: an `aria-label` would make the title
    // its description, read twice. A region group is named by `aria-label` (WebKit's accessibility tree and axe do
    // not name a `g` by its title) and its tooltip is in its departments, not in the group, whose name it would
    // repeat as its description (the children of a button are not exposed). The chosen one is `aria-current`.
    let mut items = Vec::new();
    if *departments {
        for d in 0..terr.departments.len() {
            let label = territory_count(*locale, noun, &terr.departments[d].name, count(d));
            let (d_attr, q, selected) = path(d, class_of(count(d), max));
            items.push(html! {
                <path d={d_attr} class="es-dep" data-q={q} data-selected={selected} role="button" tabindex={tabindex(d)}
                      aria-current={selected.map(|_| "true")} data-i={d.to_string()}>
                    <title>{ label }</title>
                </path>
            });
        }
    } else {
        for r in crate::ui::filters::regions_in_order(terr) {
            let label = territory_count(*locale, noun, &terr.regions[r].name, count(r));
            let class = class_of(count(r), max);
            // An overseas region: its whole inset is the touch target (Martinique is thin).
            let mut hits = Vec::new();
            let mut paths = Vec::new();
            for &d in &terr.regions[r].departments {
                if let Some(i) = basemap.layout.insets.iter().find(|i| i.department == terr.departments[d].code) {
                    let [x, y, w, h] = i.frame;
                    hits.push(html! { <rect class="es-inset-hit" x={fixed(x, 10)} y={fixed(y, 10)} width={fixed(w, 10)} height={fixed(h, 10)} /> });
                }
                let (d_attr, q, _) = path(d, class);
                paths
                    .push(html! { <path d={d_attr} class="es-dep" data-q={q}><title>{ label.clone() }</title></path> });
            }
            items.push(html! {
                <g class="es-region" data-selected={(selected.0 == Some(r)).then_some("")} role="button" tabindex={tabindex(r)}
                   aria-current={(selected.0 == Some(r)).then_some("true")} data-i={r.to_string()} aria-label={label}>
                    { for hits }
                    { for paths }
                </g>
            });
        }
    }
    html! {
        // SVG has no `hidden` attribute: its `display` presentation attribute. `aria-hidden` too: Chromium keeps the
        // buttons of a `display: none` SVG group in its accessibility tree.
        <g display={hidden.then_some("none")} aria-hidden={hidden.then_some("true")} onclick={click} onkeydown={key}>
            { for items }
        </g>
    }
}
