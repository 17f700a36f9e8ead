//! « Emporter ces résultats »: CSV and JSON of every result, « Copier le lien » and « Citer ». The texts are made
//! by [`crate::export`]; the file and the clipboard are the embed boundary's ([`HostRequest`]). When the clipboard
//! is refused, the text is shown in a read-only field to copy by hand.

use yew::prelude::*;

use super::app::HostRequest;
use super::{ByPtr, Ctx, SharedLoaded};
use crate::export::{citation, csv, file_name, json};
use crate::filter::{Filter, Filtered};
use crate::i18n::{t, Msg};
use crate::url_state::UrlState;

/// What the last copy gave.
#[derive(Clone, PartialEq)]
pub enum Copy {
    None,
    Done,
    /// Refused: the text to copy by hand, and what it is.
    Refused(Msg, String),
}

/// The buttons, in order: their position is their `data-act`.
const ACTIONS: [Msg; 4] = [Msg::ExportCsv, Msg::ExportJson, Msg::CopyLink, Msg::Cite];

/// The bar, for `results` of `filter`; `url` is the state a permalink restores, `today` `YYYY-MM-DD`, `copy` the
/// explorer's state of the last copy. A plain function, not a component (docs/SIZE.md).
#[allow(clippy::too_many_arguments)]
pub fn export_bar(
    ctx: &Ctx,
    explorer: &SharedLoaded,
    results: &ByPtr<Filtered>,
    filter: &Filter,
    url: UrlState,
    today: &str,
    on_host: &Callback<HostRequest>,
    copy: &UseStateHandle<Copy>,
) -> Html {
    let locale = ctx.locale;
    // One handler for the four buttons (docs/SIZE.md: fewer closures).
    let onclick = {
        let (explorer, results, filter, today, on_host, url, copy) =
            (explorer.clone(), results.clone(), filter.clone(), today.to_owned(), on_host.clone(), url, copy.clone());
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
            let link = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
            let into = link.clone();
            on_host.emit(HostRequest::Permalink {
                state: url.clone(),
                reply: Callback::from(move |s| *into.borrow_mut() = s),
            });
            let link = link.take();
            let (text, field) = match act {
                3 => (citation(index, &filter, locale, &today, &link), Msg::CitationField),
                _ => (link, Msg::LinkField),
            };
            let (copy, shown) = (copy.clone(), text.clone());
            let done = Callback::from(move |ok: bool| {
                copy.set(if ok { Copy::Done } else { Copy::Refused(field, shown.clone()) })
            });
            on_host.emit(HostRequest::Copy { text, done });
        })
    };
    let mut buttons = Vec::with_capacity(4);
    for (k, msg) in ACTIONS.into_iter().enumerate() {
        buttons.push(html! {
            <button type="button" class="es-button es-button-secondary" data-act={k.to_string()}>{ t(locale, msg) }</button>
        });
    }
    let field_id = ctx.id("copy-field");
    html! {
        <div class="es-export" role="group" aria-label={t(locale, Msg::ExportTitle)} {onclick}>
            { for buttons }
            <div class="es-copy" role="status">
                { match &**copy {
                    Copy::None => html! {},
                    Copy::Done => html! { <p>{ t(locale, Msg::Copied) }</p> },
                    Copy::Refused(field, text) => html! {
                        <div class="es-field">
                            <p>{ t(locale, Msg::CopyRefused) }</p>
                            <label for={field_id.clone()}>{ t(locale, *field) }</label>
                            <textarea id={field_id.clone()} class="es-input es-copy-text" readonly=true rows="3" value={text.clone()} />
                        </div>
                    },
                } }
            </div>
        </div>
    }
}
