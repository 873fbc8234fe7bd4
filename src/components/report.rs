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

/// Partager une vue : le classeur de tous les résultats (écrit par le
/// worker), et l'impression — ou l'enregistrement en PDF — de la vue, mise
/// en page pour tenir sur une feuille A4 (`@media print`).
#[component]
pub fn ShareActions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || texts(state.lang.get());
    view! {
        <div class="share-actions">
            <button type="button" class="button" data-testid="export-workbook"
                on:click=move |_| state.export_workbook()>
                {move || t().export_workbook}
            </button>
            <button type="button" class="button" data-testid="print"
                on:click=move |_| {
                    if let Some(window) = web_sys::window() {
                        let _ = window.print();
                    }
                }>
                {move || t().print}
            </button>
        </div>
    }
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
