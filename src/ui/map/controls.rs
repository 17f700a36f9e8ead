//! The head of the map: its title and the zoom buttons.

use yew::prelude::*;

use super::viewport::SCREEN_CENTRE;
use crate::geo::Viewport;
use crate::i18n::{map_title, t, Msg, Noun};

/// The map's title (`title_id` labels the map section) and its zoom in, zoom out and whole-map buttons.
pub(super) fn map_head(
    ctx: &crate::ui::Ctx,
    noun: &Noun,
    title_id: String,
    view: Viewport,
    set_view: &Callback<Viewport>,
) -> Html {
    let locale = ctx.locale;
    let zoom_button = |factor: f64| {
        let set_view = set_view.clone();
        Callback::from(move |_: MouseEvent| set_view.emit(view.zoom_at(factor, SCREEN_CENTRE)))
    };
    html! {
        <div class="es-map-head">
            { crate::ui::heading(ctx.h + 1, "es-map-title", Some(title_id), None, map_title(locale, noun).into()) }
            <div class="es-map-tools">
                <button type="button" class="es-tool" aria-label={t(locale, Msg::ZoomIn)} title={t(locale, Msg::ZoomIn)} onclick={zoom_button(2.0)}>{ "+" }</button>
                <button type="button" class="es-tool" aria-label={t(locale, Msg::ZoomOut)} title={t(locale, Msg::ZoomOut)} onclick={zoom_button(0.5)}>{ "−" }</button>
                <button type="button" class="es-tool es-tool-text" onclick={set_view.reform(|_: MouseEvent| Viewport::WHOLE)}>{ t(locale, Msg::ResetView) }</button>
            </div>
        </div>
    }
}
