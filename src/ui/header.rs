//! The dataset's title and update date, and the credits (data licence and source, geographic reference).

use yew::prelude::*;

use crate::i18n::{t, updated_on, Locale, Msg};
use crate::model::Meta;

/// The header: a plain function rather than a component (its few nodes cost less to render again with the explorer
/// than a component's code in the wasm). `level` is the level of the widget's title.
pub fn header(locale: Locale, meta: &Meta, level: u8) -> Html {
    // A dataset that names what it lists (« tiers-lieux ») and has no title is titled by that name.
    let title = meta.title.clone().unwrap_or_else(|| match meta.noun == Default::default() {
        true => t(locale, Msg::DefaultTitle).to_owned(),
        false => meta.noun.plural_title(locale),
    });
    // The dataset's own texts in its language, where it is not the interface's (RGAA 8.7).
    let lang = meta.text_lang(locale);
    html! {
        <header class="es-header">
            { super::heading(level, "es-title", None, None, html! { <span lang={meta.title.as_ref().and(lang)}>{ title }</span> }) }
            if let Some(date) = &meta.updated {
                <p class="es-updated">{ updated_on(locale, date) }</p>
            }
            if let Some(desc) = &meta.description {
                <details class="es-about">
                    <summary>{ t(locale, Msg::AboutData) }</summary>
                    <p class="es-description" {lang}>{ desc.clone() }</p>
                </details>
            }
        </header>
    }
}

/// The credits, a plain function like [`header`].
pub fn credits(locale: Locale, meta: &Meta, level: u8) -> Html {
    let source = meta.source.as_ref().map(|s| {
        let name = if s.name.is_empty() { s.url.clone().unwrap_or_default() } else { s.name.clone() };
        match &s.url {
            Some(url) => html! { <a href={url.clone()}>{ name }</a> },
            None => html! { { name } },
        }
    });
    html! {
        <footer class="es-credits">
            { super::heading(level + 1, "es-visually-hidden", None, None, t(locale, Msg::Credits).into()) }
            <dl>
                if let Some(licence) = &meta.license {
                    <div><dt>{ t(locale, Msg::DataLicence) }</dt><dd>{ licence.clone() }</dd></div>
                }
                if let Some(source) = source {
                    <div><dt>{ t(locale, Msg::DataSource) }</dt><dd>{ source }</dd></div>
                }
                <div><dt>{ t(locale, Msg::BaseMap) }</dt><dd>{ t(locale, Msg::BaseMapAttribution) }</dd></div>
            </dl>
        </footer>
    }
}
