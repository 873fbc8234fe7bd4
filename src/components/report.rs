//! Rapport de nettoyage : période, avertissements, et export des données
//! nettoyées.

use leptos::prelude::*;
use panier_core::summary::Report;
use panier_core::Lang;

use crate::i18n::texts;
use crate::state::AppState;

/// Avertissements du rapport, dans la langue de l'interface.
#[component]
pub fn Warnings(
    /// Rapport du pipeline.
    report: Report,
    /// Langue d'affichage.
    lang: Lang,
) -> impl IntoView {
    let t = texts(lang);
    if report.warnings.is_empty() {
        return view! { <p class="muted" data-testid="warnings">{t.no_warnings}</p> }.into_any();
    }
    view! {
        <ul class="warnings" data-testid="warnings">
            {report
                .warnings
                .iter()
                .map(|warning| view! { <li>{warning.message(lang)}</li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// Bouton d'export du CSV nettoyé (produit par le worker).
#[component]
pub fn ExportCleanedButton() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <button
            type="button"
            class="button"
            data-testid="export-cleaned"
            on:click=move |_| state.export_cleaned()
        >
            {move || texts(state.lang.get()).export_cleaned}
        </button>
    }
}
