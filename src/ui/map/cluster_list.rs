//! The list of a cluster's innovations, for a cluster that zooming cannot split.

use web_sys::HtmlElement;
use yew::prelude::*;

use crate::i18n::{cluster_items, t, Msg};
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
    html! {
        <div class="es-cluster-list" onkeydown={on_key}>
            <h4 tabindex="-1" ref={heading}>{ format!("{} ({})", cluster_items(ctx.locale, &explorer.0.index.dataset.meta.noun), records.len()) }</h4>
            <ul>
                { for records.iter().map(|&r| {
                    let inno = &index.dataset.innovations[r as usize];
                    html! { <li><button type="button" class="es-link-button" onclick={ctx.action(Action::Open(inno.id.clone()))}>{ inno.name.clone() }</button></li> }
                }) }
            </ul>
            <button type="button" class="es-button es-button-secondary" onclick={on_close.reform(|_| ())}>{ t(ctx.locale, Msg::Close) }</button>
        </div>
    }
}
