//! The data report, shown in the widget when the page author asks for it (`data-debug`).

use yew::prelude::*;

use crate::i18n::{t, Locale, Msg};
use crate::report::DataReport;

/// Problems beyond this many are summarised: a broken 100,000-record file must not create 100,000 nodes.
const SHOWN: usize = 200;

#[derive(Properties, PartialEq)]
pub struct ReportPanelProps {
    pub locale: Locale,
    pub report: DataReport,
}

#[function_component(ReportPanel)]
pub fn report_panel(props: &ReportPanelProps) -> Html {
    let ReportPanelProps { locale, report } = props;
    let locale = *locale;
    let more = report.problems.len().saturating_sub(SHOWN);
    html! {
        <details class="es-report" open={!report.is_clean()}>
            <summary>{ t(locale, Msg::DataReport) }{ " — " }{ report.summary(locale) }</summary>
            if !report.is_clean() {
                <p>{ t(locale, Msg::DataReportIntro) }</p>
                <ul>
                    { for report.problems.iter().take(SHOWN).map(|p| html! { <li>{ p.describe(locale) }</li> }) }
                </ul>
                if more > 0 {
                    <p>{ match locale {
                        Locale::Fr => format!("… et {more} autre(s) : voir la console du navigateur."),
                        Locale::En => format!("… and {more} more: see the browser console."),
                    } }</p>
                }
            }
        </details>
    }
}
