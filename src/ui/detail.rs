//! The detail of one innovation: every field, sources as links, and a way back to the list.

use web_sys::HtmlElement;
use yew::prelude::*;

use super::results::place_html;
use super::{Ctx, SharedLoaded};
use crate::i18n::{number, t, Locale, Msg};
use crate::model::{ValueIdx, Vocabulary};
use crate::state::Action;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub ctx: Ctx,
    pub explorer: SharedLoaded,
    pub record: usize,
}

/// Link text for a URL: without the scheme, shortened (the full address stays in `href`).
fn link_text(url: &str) -> String {
    // Links are http(s) only (validated): the scheme ends at the first ':'. A `&str` pattern would link the
    // standard library's substring search for this one call (docs/SIZE.md).
    let bare =
        url.split_once(':').map_or(url, |(_, rest)| rest.strip_prefix("//").unwrap_or(rest)).trim_end_matches('/');
    if bare.chars().count() > 70 {
        format!("{}…", bare.chars().take(69).collect::<String>())
    } else {
        bare.to_owned()
    }
}

fn labels(vocab: &Vocabulary, values: &[ValueIdx], locale: Locale) -> Html {
    let mut items = Vec::new();
    for &v in values {
        items.push(html! { <li class="es-tag">{ vocab.label(v, locale).to_owned() }</li> });
    }
    html! { <ul class="es-tags">{ for items }</ul> }
}

#[function_component(Detail)]
pub fn detail(props: &DetailProps) -> Html {
    let DetailProps { ctx, explorer, record } = props;
    let locale = ctx.locale;
    let index = &explorer.0.index;
    let inno = &index.dataset.innovations[*record];
    let v = &index.dataset.vocabularies;
    let title_id = ctx.id("detail-title");
    // The dataset's texts in its language, where it is not the interface's (RGAA 8.7).
    let lang = explorer.0.index.dataset.meta.text_lang(locale);

    // Opening a detail moves focus to its title, so screen readers read it and Tab continues inside it.
    let title = use_node_ref();
    {
        let title = title.clone();
        use_effect_with(*record, move |_| {
            if let Some(h) = title.cast::<HtmlElement>() {
                let _ = h.focus();
            }
        });
    }
    let on_key = {
        let d = ctx.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                d.emit(Action::Close);
            }
        })
    };
    let mut replicas = Vec::with_capacity(inno.replicas.len());
    for p in &inno.replicas {
        replicas.push(html! { <li>{ place_html(explorer, p, locale) }{ p.started.map(|y| format!("· {y}")).unwrap_or_default() }</li> });
    }
    let mut sources = Vec::with_capacity(inno.sources.len());
    for u in &inno.sources {
        sources.push(html! { <li><a href={u.clone()}>{ link_text(u) }</a></li> });
    }
    let row =
        |label: Msg, value: Html| html! { <div class="es-row"><dt>{ t(locale, label) }</dt><dd>{ value }</dd></div> };

    html! {
        <article class="es-detail" aria-labelledby={title_id.clone()} onkeydown={on_key}>
            <button type="button" class="es-button es-back" onclick={ctx.action(Action::Close)}>
                <span aria-hidden="true">{ "← " }</span>{ t(locale, Msg::BackToList) }
            </button>
            { super::heading(ctx.h + 1, "es-detail-title", Some(title_id), Some(&title), html! { <span {lang}>{ inno.name.clone() }</span> }) }
            if let Some(s) = inno.stage {
                <p><span class="es-stage" data-stage={s.min(5).to_string()}>
                    { format!("{} : {}", t(locale, Msg::Stage), v.stages.label(s, locale)) }
                </span></p>
            }
            if let Some(summary) = &inno.summary {
                <p class="es-detail-summary" {lang}>{ summary.clone() }</p>
            }
            <dl class="es-fields">
                { row(Msg::Origin, place_html(explorer, &inno.origin, locale)) }
                if !inno.replicas.is_empty() {
                    { row(Msg::Replicas, html! {
                        <ul class="es-plain">{ for replicas }</ul>
                    }) }
                }
                if !inno.themes.is_empty() { { row(Msg::Theme, labels(&v.themes, &inno.themes, locale)) } }
                if !inno.scaling_strategies.is_empty() {
                    { row(Msg::Strategy, labels(&v.scaling_strategies, &inno.scaling_strategies, locale)) }
                }
                if !inno.public_support.is_empty() {
                    { row(Msg::PublicRole, labels(&v.public_support, &inno.public_support, locale)) }
                }
                if let Some(k) = inno.carrier_kind { { row(Msg::CarrierKind, html! { v.carrier_kinds.label(k, locale).to_owned() }) } }
                if let Some(y) = inno.started { { row(Msg::Started, html! { y.to_string() }) } }
                if let Some(n) = inno.sites { { row(Msg::Sites, html! { number(locale, n as usize) }) } }
                if let Some(url) = &inno.url {
                    { row(Msg::Website, html! { <a href={url.clone()}>{ link_text(url) }</a> }) }
                }
                if !inno.sources.is_empty() {
                    { row(Msg::Sources, html! {
                        <ol class="es-sources">{ for sources }</ol>
                    }) }
                }
            </dl>
        </article>
    }
}
