//! Cartes d'indicateurs clés et étapes du nettoyage.

use leptos::prelude::*;
use panier_core::summary::Report;
use panier_core::Lang;

use crate::format;
use crate::i18n::texts;

/// Une carte : libellé et valeur ; sa définition en une ligne
/// ([`crate::i18n::kpi_definition`]) paraît au survol et au focus (la carte se prend au
/// clavier), et les lecteurs d'écran la lisent avec la carte.
#[component]
pub fn KpiCard(
    /// Libellé de l'indicateur.
    label: &'static str,
    /// Valeur déjà mise en forme.
    value: String,
    /// Identifiant stable pour les tests de bout en bout.
    test_id: &'static str,
) -> impl IntoView {
    let lang = use_context::<crate::state::AppState>()
        .map(|state| state.lang.get_untracked())
        .unwrap_or_default();
    let definition = crate::i18n::kpi_definition(test_id, lang);
    let described = definition.map(|_| format!("{test_id}-definition"));
    view! {
        <div class="kpi" data-testid=test_id tabindex=definition.map(|_| "0") aria-describedby=described.clone()>
            <span class="kpi-label">{label}</span>
            <span class="kpi-value">{value}</span>
            {definition.map(|text| view! {
                <span class="kpi-definition" role="tooltip" id=described.clone()>{text}</span>
            })}
        </div>
    }
}

/// La grille des indicateurs clés d'un rapport.
#[component]
pub fn KpiGrid(
    /// Rapport du pipeline.
    report: Report,
    /// Langue d'affichage.
    lang: Lang,
) -> impl IntoView {
    let t = texts(lang);
    view! {
        <div class="kpi-grid">
            <KpiCard label=t.kpi_rows_read value=format::count(lang, report.import.rows_read) test_id="kpi-rows-read" />
            <KpiCard label=t.kpi_rows_clean value=format::count(lang, report.rows) test_id="kpi-rows" />
            <KpiCard label=t.kpi_customers value=format::count(lang, report.customers) test_id="kpi-customers" />
            <KpiCard label=t.kpi_invoices value=format::count(lang, report.invoices) test_id="kpi-invoices" />
            <KpiCard label=t.kpi_revenue value=report.revenue.map_or_else(|| "—".to_string(), |revenue| format::money(lang, revenue)) test_id="kpi-revenue" />
            <KpiCard label=t.kpi_products value=format::count(lang, report.products) test_id="kpi-products" />
            <KpiCard label=t.kpi_stock_codes value=format::count(lang, report.stock_codes) test_id="kpi-stock-codes" />
            <KpiCard label=t.kpi_countries value=format::count(lang, report.countries) test_id="kpi-countries" />
        </div>
    }
}

/// Les règles de nettoyage et les lignes restantes après chacune, avec une
/// barre proportionnelle (cascade).
#[component]
pub fn CleaningSteps(
    /// Rapport du pipeline.
    report: Report,
    /// Langue d'affichage.
    lang: Lang,
) -> impl IntoView {
    let t = texts(lang);
    let counts = &report.cleaning;
    let total = counts.raw_rows.max(1) as f64;
    let steps = counts.funnel();
    // Chaque étape dit ce qu'elle retire, puis ce qui reste (la barre) :
    // « Annulations retirées : −844 lignes · reste 137 169 ».
    let (one, many) = (t.row_unit, t.rows_unit);
    let mut previous = None;
    let items = steps
        .into_iter()
        .map(|(step, rows)| {
            let label = step.label(lang);
            let width = format!("width: {:.1}%", rows as f64 / total * 100.0);
            let value = match previous {
                None => format::counted(lang, rows, one, many),
                Some(before) => format!(
                    "−{} · {} {}",
                    format::counted(lang, before - rows.min(before), one, many),
                    t.rows_left,
                    format::count(lang, rows)
                ),
            };
            previous = Some(rows);
            view! {
                <li>
                    <span class="step-label">{label}</span>
                    <span class="step-bar"><span style=width></span></span>
                    <span class="step-value" data-rows=rows.to_string()>{value}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="cleaning-steps" data-testid="cleaning-steps">
            {items}
        </ol>
    }
}
