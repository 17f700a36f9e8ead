//! « Emporter ces résultats »: CSV and JSON of every result, « Copier le lien » and « Citer ». The texts are made
//! by [`crate::export`]; the file and the clipboard are the embed boundary's ([`HostRequest`]). When the clipboard
//! is refused, the text is shown in a read-only field to copy by hand.

use yew::prelude::*;

use super::app::HostRequest;
use super::{ByPtr, Ctx, SharedLoaded};
use crate::export::{citation, csv, file_name, json};
use crate::filter::{Filter, Filtered};
use crate::i18n::{t, Msg};
use crate::state::Action;
use crate::url_state::UrlState;

/// The buttons, in order: their position is their `data-act`.
const ACTIONS: [Msg; 4] = [Msg::ExportCsv, Msg::ExportJson, Msg::CopyLink, Msg::Cite];

/// The bar, for `results` of `filter`; `url` is the state a permalink restores, `today` `YYYY-MM-DD`, `copied`
/// what the last copy gave ([`crate::state::State::copied`]). A plain function, not a component
/// (docs/SIZE.md); one listener for the four buttons.
#[allow(clippy::too_many_arguments)]
pub fn export_bar(
    ctx: &Ctx,
    explorer: &SharedLoaded,
    results: &ByPtr<Filtered>,
    filter: &Filter,
    url: UrlState,
    today: &str,
    on_host: &Callback<HostRequest>,
    copied: &Option<Option<(bool, String)>>,
) -> Html {
    let locale = ctx.locale;
    let onclick = {
        let (explorer, results, filter, today, on_host, d) = (
            explorer.clone(),
            results.clone(),
            filter.clone(),
            today.to_owned(),
            on_host.clone(),
            ctx.dispatch.clone(),
        );
        Callback::from(move |e: MouseEvent| {
            let Some(act) = super::index_at(e.target(), "[data-act]") else { return };
            let index = &explorer.0.index;
            if act < 2 {
                let ext = if act == 0 { "csv" } else { "json" };
                let (mime, text) = match act {
                    0 => ("text/csv;charset=utf-8", csv(index, &results.ids, locale)),
                    _ => ("application/json", json(index, &results.ids)),
                };
                on_host.emit(HostRequest::Download { name: file_name(index, &filter, &today, ext), mime, text });
                return;
            }
            // The citation ends with the permalink, which the host appends (it knows the page's address).
            let cite = act == 3;
            let before = if cite { citation(index, &filter, locale, &today, "") } else { String::new() };
            let d = d.clone();
            let done =
                Callback::from(move |refused: Option<String>| d.emit(Action::Copied(refused.map(|t| (cite, t)))));
            on_host.emit(HostRequest::Copy { before, state: url.clone(), done });
        })
    };
    let feedback = match copied {
        None => Html::default(),
        Some(None) => html! { <p>{ t(locale, Msg::Copied) }</p> },
        Some(Some((cite, text))) => {
            let field_id = ctx.id("copy-field");
            html! {
                <div class="es-field">
                    <p>{ t(locale, Msg::CopyRefused) }</p>
                    <label for={field_id.clone()}>{ t(locale, if *cite { Msg::CitationField } else { Msg::LinkField }) }</label>
                    <textarea id={field_id} class="es-input es-copy-text" readonly=true rows="3" value={text.clone()} />
                </div>
            }
        }
    };
    // The status region is always there (it must exist before its text changes to be announced).
    html! {
        <div class="es-export" role="group" aria-label={t(locale, Msg::ExportTitle)} {onclick}>
            for (k, msg) in ACTIONS.into_iter().enumerate() {
                <button type="button" class="es-button es-button-secondary" data-act={k.to_string()}>{ t(locale, msg) }</button>
            }
            <div class="es-copy" role="status">{ feedback }</div>
        </div>
    }
}
