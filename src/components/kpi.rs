//! Cartes d'indicateurs clés et étapes du nettoyage.

use leptos::prelude::*;
use panier_core::ingest::roles::Role;
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
    /// Pourquoi la valeur manque (« — ») : la colonne n'est pas dans le
    /// fichier. Affiché sous la valeur.
    #[prop(optional_no_strip)]
    note: Option<&'static str>,
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
            {note.map(|note| view! { <span class="kpi-note" data-testid="kpi-note">{note}</span> })}
            {definition.map(|text| view! {
                <span class="kpi-definition" role="tooltip" id=described.clone()>{text}</span>
            })}
        </div>
    }
}

/// Une valeur, ou « — » et la raison quand sa colonne manque au fichier
/// (la note d'une [`KpiCard`]) : jamais un 0 qui n'en est pas un.
pub fn or_missing(
    lang: Lang,
    present: bool,
    value: impl FnOnce() -> String,
) -> (String, Option<&'static str>) {
    if present {
        (value(), None)
    } else {
        (
            "—".to_string(),
            Some(crate::i18n::overview::overview_texts(lang).not_in_file),
        )
    }
}

/// Ce qui manque à une partie d'une vue, dit à sa place.
pub fn needs(text: impl IntoView + 'static, testid: &'static str) -> AnyView {
    view! { <p class="needs" data-testid=testid>{text}</p> }.into_any()
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
    let counted =
        |present: bool, count: u64| or_missing(lang, present, || format::count(lang, count));
    let (customers, customers_note) = counted(report.has(Role::Customer), report.customers);
    let (products, products_note) = counted(report.has_products(), report.products);
    let (codes, codes_note) = counted(report.has(Role::StockCode), report.stock_codes);
    let (countries, countries_note) = counted(report.has(Role::Country), report.countries);
    let (revenue, revenue_note) = or_missing(lang, report.has_amounts(), || {
        format::money(lang, report.revenue.unwrap_or_default())
    });
    view! {
        <div class="kpi-grid">
            <KpiCard label=t.kpi_rows_read value=format::count(lang, report.import.rows_read) test_id="kpi-rows-read" />
            <KpiCard label=t.kpi_rows_clean value=format::count(lang, report.rows) test_id="kpi-rows" />
            <KpiCard label=t.kpi_customers value=customers note=customers_note test_id="kpi-customers" />
            <KpiCard label=t.kpi_invoices value=format::count(lang, report.invoices) test_id="kpi-invoices" />
            <KpiCard label=t.kpi_revenue value=revenue note=revenue_note test_id="kpi-revenue" />
            <KpiCard label=t.kpi_products value=products note=products_note test_id="kpi-products" />
            <KpiCard label=t.kpi_stock_codes value=codes note=codes_note test_id="kpi-stock-codes" />
            <KpiCard label=t.kpi_countries value=countries note=countries_note test_id="kpi-countries" />
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
                // Une règle qui n'a rien trouvé à retirer le dit en clair.
                Some(before) if before <= rows => {
                    format!(
                        "{} · {} {}",
                        t.nothing_removed,
                        t.rows_left,
                        format::count(lang, rows)
                    )
                }
                Some(before) => format!(
                    "−{} · {} {}",
                    format::counted(lang, before - rows, one, many),
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
