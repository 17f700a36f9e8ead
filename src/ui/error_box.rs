//! The box shown instead of the explorer when nothing can be shown: what happened and what to do.
//!
//! The loader (`static/essaimage.js`) and the panic hook (`embed`) render the same markup for failures that
//! happen before or outside Yew, so every failure looks the same to the visitor and to tests.

use yew::prelude::*;

use crate::i18n::{t, Locale, Msg};
use crate::report::LoadError;

pub fn error_box(locale: Locale, error: &LoadError) -> Html {
    let (title, detail) = error.message(locale);
    html! {
        <div class="es-error" role="alert">
            <p class="es-error-title"><strong>{ t(locale, Msg::ErrorTitle) }</strong></p>
            <p class="es-error-what">{ title }</p>
            <p class="es-error-how">{ detail }</p>
        </div>
    }
}
