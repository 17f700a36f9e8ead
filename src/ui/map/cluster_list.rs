//! The list of a cluster's innovations, for a cluster that zooming cannot split.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::i18n::{t, Msg};
use crate::state::Action;
use crate::ui::{Ctx, SharedLoaded};

#[derive(Properties, PartialEq)]
pub(super) struct ClusterListProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub records: Vec<u32>,
    pub on_close: Callback<()>,
}

/// The innovations of a cluster that cannot be split further (same place), as links to their details. Its heading
/// takes focus when it opens.
#[function_component(ClusterList)]
pub(super) fn cluster_list(props: &ClusterListProps) -> Html {
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
    // Escape closes the list, as it closes a detail.
    let on_key = {
        let on_close = on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(())
            }
        })
    };
    let mut items = Vec::with_capacity(records.len());
    for &r in records.iter() {
        let inno = &index.dataset.innovations[r as usize];
        items.push(html! { <li><button type="button" class="es-link-button" onclick={ctx.action(Action::Open(inno.id.clone()))}>{ inno.name.clone() }</button></li> });
    }
    html! {
        <div class="es-cluster-list" onkeydown={on_key}>
            // Where the list is: « 3 innovations — Paris (75) ».
            { crate::ui::heading(ctx.h + 2, "es-cluster-title", None, Some(&heading), format!("{} — {}", index.dataset.meta.noun.count(ctx.locale, records.len()),
                crate::ui::results::place_text(explorer, &index.dataset.innovations[records[0] as usize].origin, ctx.locale)).into()) }
            <ul>{ for items }</ul>
            <button type="button" class="es-button es-button-secondary" onclick={on_close.reform(|_| ())}>{ t(ctx.locale, Msg::Close) }</button>
        </div>
    }
}
