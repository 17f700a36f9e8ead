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

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub results: ByPtr<Filtered>,
    pub filter: Filter,
    /// The state a permalink restores.
    pub url: UrlState,
    /// `YYYY-MM-DD`.
    pub today: String,
    pub on_host: Callback<HostRequest>,
}

/// What the last copy gave.
#[derive(Clone, PartialEq)]
enum Copy {
    None,
    Done(Msg),
    /// Refused: the text to copy by hand, and what it is.
    Refused(Msg, String),
}

#[function_component(ExportBar)]
pub fn export_bar(props: &ExportProps) -> Html {
    let ExportProps { ctx, explorer, results, filter, url, today, on_host } = props;
    let locale = ctx.locale;
    let copy = use_state(|| Copy::None);
    let download = |ext: &'static str| {
        let (explorer, results, filter, today, on_host) =
            (explorer.clone(), results.clone(), filter.clone(), today.clone(), on_host.clone());
        Callback::from(move |_: MouseEvent| {
            let index = &explorer.0.index;
            let name = file_name(index, &filter, &today, ext);
            let (mime, text) = match ext {
                "csv" => ("text/csv;charset=utf-8", csv(index, &results.ids, locale)),
                _ => ("application/json", json(index, &results.ids)),
            };
            on_host.emit(HostRequest::Download { name, mime, text });
        })
    };
    let copy_text = |what: Msg| {
        let (explorer, filter, today, on_host, url, copy) =
            (explorer.clone(), filter.clone(), today.clone(), on_host.clone(), url.clone(), copy.clone());
        Callback::from(move |_: MouseEvent| {
            let link = std::rc::Rc::new(std::cell::RefCell::new(String::new()));
            let into = link.clone();
            on_host.emit(HostRequest::Permalink {
                state: url.clone(),
                reply: Callback::from(move |s| *into.borrow_mut() = s),
            });
            let link = link.borrow().clone();
            let text = match what {
                Msg::Cite => citation(&explorer.0.index, &filter, locale, &today, &link),
                _ => link,
            };
            let (copy, shown) = (copy.clone(), text.clone());
            let field = if what == Msg::Cite { Msg::CitationField } else { Msg::LinkField };
            let done = Callback::from(move |ok: bool| {
                copy.set(if ok { Copy::Done(field) } else { Copy::Refused(field, shown.clone()) })
            });
            on_host.emit(HostRequest::Copy { text, done });
        })
    };
    let field_id = ctx.id("copy-field");
    html! {
        <div class="es-export" role="group" aria-label={t(locale, Msg::ExportTitle)}>
            <button type="button" class="es-button es-button-secondary" onclick={download("csv")}>{ t(locale, Msg::ExportCsv) }</button>
            <button type="button" class="es-button es-button-secondary" onclick={download("json")}>{ t(locale, Msg::ExportJson) }</button>
            <button type="button" class="es-button es-button-secondary" onclick={copy_text(Msg::CopyLink)}>{ t(locale, Msg::CopyLink) }</button>
            <button type="button" class="es-button es-button-secondary" onclick={copy_text(Msg::Cite)}>{ t(locale, Msg::Cite) }</button>
            <div class="es-copy" role="status">
                { match &*copy {
                    Copy::None => html! {},
                    Copy::Done(_) => html! { <p>{ t(locale, Msg::Copied) }</p> },
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
