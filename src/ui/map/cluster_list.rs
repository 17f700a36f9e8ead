//! The list of a cluster's innovations, for a cluster that zooming cannot split.

use yew::prelude::*;

use crate::i18n::{t, Msg};
use crate::state::Action;
use crate::ui::{Ctx, SharedLoaded};

/// The innovations `records` of a cluster that cannot be split further (same place), as links to their details.
/// `heading` is its heading, which the map focuses when the list opens ([`super::MapView`]). A plain function: its
/// `on_close` is new at each render of the map, which would render a component again anyway.
pub(super) fn list(
    ctx: &Ctx,
    explorer: &SharedLoaded,
    records: &[u32],
    heading: &NodeRef,
    on_close: &Callback<()>,
) -> Html {
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
            { crate::ui::heading(ctx.h + 2, "es-cluster-title", None, Some(heading), format!("{} — {}", index.dataset.meta.noun.count(ctx.locale, records.len()),
                crate::ui::results::place_text(explorer, &index.dataset.innovations[records[0] as usize].origin, ctx.locale)).into()) }
            <ul>{ for items }</ul>
            <button type="button" class="es-button es-button-secondary" onclick={on_close.reform(|_| ())}>{ t(ctx.locale, Msg::Close) }</button>
        </div>
    }
}
