//! Vue d'ensemble : filtre global, indicateurs de ventes, graphiques par
//! mois, meilleurs pays et produits.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::ingest::roles::Role;
use panier_core::numbers::Currency;
use panier_core::overview::{Overview, Ranked};
use panier_core::rfm::parse_snapshot;
use panier_core::session::Scope;
use panier_core::summary::Report;
use panier_core::Lang;

use crate::components::kpi::{needs, or_missing, KpiCard};
use crate::components::plot::{BarTooltip, PlotCanvas};
use crate::components::rfm::movement::date_only;
use crate::format;
use crate::i18n::overview::overview_texts;
use crate::state::AppState;

/// Le filtre global : pays et période, appliqués par le worker sans relire
/// le fichier (toutes les vues en dépendent). Le dernier jour compte en
/// entier ; une période à l'envers est refusée dès la saisie ; un filtre
/// sans aucune vente est refusé avec un message et le bouton pour tout
/// réafficher, et les chiffres du filtre précédent restent à l'écran.
#[component]
pub fn GlobalFilter(countries: Vec<String>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || overview_texts(lang.get());
    let options = state.options.get_untracked();
    let country = RwSignal::new(options.country.clone().unwrap_or_default());
    let from = RwSignal::new(options.period_from.map(date_only).unwrap_or_default());
    let to = RwSignal::new(options.period_to.map(date_only).unwrap_or_default());
    let scope = move || Scope {
        country: Some(country.get()).filter(|c| !c.is_empty()),
        from: parse_snapshot(&from.get()).ok(),
        to: parse_snapshot(&to.get()).ok(),
    };
    // Refus dès la saisie : le début après la fin.
    let reversed = move || scope().validate().is_err();
    let apply = move |_| {
        let scope = scope();
        if scope.validate().is_ok() {
            state.set_scope(scope);
        }
    };
    let clear = move |_| {
        country.set(String::new());
        from.set(String::new());
        to.set(String::new());
        state.set_scope(Scope::default());
    };
    let choices = countries
        .into_iter()
        .map(|c| {
            let selected = c.clone();
            let value = c.clone();
            view! { <option value=value selected=move || country.get() == selected>{c}</option> }
        })
        .collect_view();
    let refused = move || {
        let error = state.scope_error.get()?;
        let lang = lang.get();
        let t = overview_texts(lang);
        Some(view! {
            <div class="filter-message error-text" role="alert" data-testid="filter-error">
                <p>{error.message(lang)} " " {t.filter_kept}</p>
                <button class="button" data-testid="filter-reset" on:click=clear>{t.filter_clear}</button>
            </div>
        })
    };
    view! {
        <div class="toolbar" data-testid="global-filter">
            <strong>{move || t().filter_title}</strong>
            <label>{move || t().filter_country} " "
                <select data-testid="filter-country" on:change=move |e| country.set(event_target_value(&e))>
                    <option value="">{move || t().all_countries}</option>
                    {choices}
                </select>
            </label>
            <label>{move || t().filter_from} " "
                <input type="date" data-testid="filter-from" prop:value=from
                    aria-invalid=move || reversed().to_string()
                    on:input=move |e| from.set(event_target_value(&e))
                    on:change=move |e| from.set(event_target_value(&e)) />
            </label>
            <label>{move || t().filter_to} " "
                <input type="date" data-testid="filter-to" prop:value=to
                    aria-invalid=move || reversed().to_string()
                    on:input=move |e| to.set(event_target_value(&e))
                    on:change=move |e| to.set(event_target_value(&e)) />
            </label>
            <button class="button primary" data-testid="filter-apply" on:click=apply
                disabled=move || reversed() || state.scope_busy.get()>
                {move || if state.scope_busy.get() { t().filter_busy } else { t().filter_apply }}
            </button>
            <button class="button" data-testid="filter-clear" on:click=clear>{move || t().filter_clear}</button>
            <span class="muted small">{move || t().filter_hint}</span>
        </div>
        {move || reversed().then(|| view! {
            <p class="error-text" role="alert" data-testid="filter-reversed">{t().filter_reversed}</p>
        })}
        {refused}
    }
}

/// Le choix de la devise des montants : automatique (devinée du pays des
/// clients par le cœur, affichée entre parenthèses) ou l'une des devises.
/// Le choix fait partie des réglages (exportés, gardés dans l'adresse).
#[component]
pub fn CurrencyPicker(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || overview_texts(lang.get());
    let auto_label = move || {
        let lang = lang.get();
        let guessed = state
            .guessed_currency()
            .map(|currency| format!("{} ({})", currency.code(), currency.symbol(lang)))
            .unwrap_or_else(|| t().currency_unknown.to_string());
        format!("{} — {guessed}", t().currency_auto)
    };
    let options = move || {
        let lang = lang.get();
        Currency::ALL
            .iter()
            .map(|currency| {
                view! {
                    <option value=currency.code() selected=move || state.currency.get() == Some(*currency)>
                        {format!("{} ({})", currency.code(), currency.symbol(lang))}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <label class="currency-picker">
            {move || t().currency_label} " "
            <select
                data-testid="currency"
                on:change=move |event| {
                    let code = event_target_value(&event);
                    state.currency.set(Currency::ALL.into_iter().find(|c| c.code() == code));
                }
            >
                <option value="" selected=move || state.currency.get().is_none()>{auto_label}</option>
                {options}
            </select>
        </label>
    }
}

/// Les colonnes dont dépendent les indicateurs et graphiques de la vue
/// d'ensemble : sans elles, une vue dit ce qui lui manque, jamais « 0 ».
#[derive(Debug, Clone, Copy)]
pub struct Present {
    /// Montants (quantité × prix, ou montant lu).
    pub amounts: bool,
    /// Colonne client.
    pub customers: bool,
    /// Colonne produit (désignation ou code).
    pub products: bool,
    /// Colonne pays.
    pub countries: bool,
    /// Colonne de date.
    pub dates: bool,
}

impl Present {
    /// Ce que le rapport dit du fichier.
    pub fn of(report: &Report) -> Self {
        Present {
            amounts: report.has_amounts(),
            customers: report.has(Role::Customer),
            products: report.has_products(),
            countries: report.has(Role::Country),
            dates: report.has(Role::InvoiceDate),
        }
    }
}

/// Les indicateurs de ventes.
#[component]
pub fn SalesKpis(overview: Arc<Overview>, present: Present, lang: Lang) -> impl IntoView {
    let t = overview_texts(lang);
    let (aov, aov_note) = or_missing(lang, present.amounts, || {
        format::money(lang, overview.average_order_value)
    });
    let (items, items_note) = or_missing(lang, present.products, || {
        format::decimal(lang, overview.items_per_order, 1)
    });
    let (returning, returning_note) = or_missing(lang, present.customers, || {
        format::percent(lang, overview.returning_share)
    });
    view! {
        <div class="kpi-grid">
            <KpiCard label=t.kpi_aov value=aov note=aov_note test_id="kpi-aov" />
            <KpiCard label=t.kpi_items_per_order value=items note=items_note test_id="kpi-items-per-order" />
            <KpiCard label=t.kpi_returning value=returning note=returning_note test_id="kpi-returning" />
        </div>
    }
}

/// Géométrie des deux graphiques mensuels (celle que `panier_charts`
/// dessine), pour les bulles qui retrouvent la barre sous le pointeur.
const MONTHLY_WIDTH: u32 = panier_charts::MONTHLY_SIZE.0;
const MONTHLY_HEIGHT: u32 = panier_charts::MONTHLY_SIZE.1;
const MONTHLY_MARGIN: u32 = panier_charts::MONTHLY_MARGIN;
const REVENUE_Y_LABELS: u32 = panier_charts::REVENUE_Y_LABELS;
const CUSTOMERS_Y_LABELS: u32 = panier_charts::CUSTOMERS_Y_LABELS;

/// Chiffre d'affaires par mois, puis clients nouveaux et revenus par mois.
#[component]
pub fn MonthlyCharts(
    overview: Arc<Overview>,
    present: Present,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Sans date, pas de mois ; sans montants ou sans clients, le graphique
    // concerné dit ce qui lui manque.
    if overview.months.is_empty() {
        return needs(
            overview_texts(lang.get_untracked()).needs_dates,
            "needs-dates",
        );
    }
    let revenue_label =
        Signal::derive(move || overview_texts(lang.get()).monthly_revenue.to_string());
    let customers_label =
        Signal::derive(move || overview_texts(lang.get()).new_vs_returning.to_string());
    let months = (
        overview.months.first().map(|m| m.month.clone()),
        overview.months.last().map(|m| m.month.clone()),
    );
    // « (déc. 2010 – déc. 2011) » après le titre de chaque graphique.
    let span = move |lang: RwSignal<Lang>| {
        let months = months.clone();
        move || match &months {
            (Some(first), Some(last)) => {
                format!(" ({})", format::month_span(lang.get(), first, last))
            }
            _ => String::new(),
        }
    };
    let bars = overview.months.len();
    let partial = overview.months.iter().any(|m| m.partial);
    let (revenue_tip, customers_tip) = (overview.clone(), overview.clone());
    let revenue_text = move |index: usize| {
        let lang = lang.get();
        let m = &revenue_tip.months[index];
        let partial = if m.partial {
            overview_texts(lang).incomplete_month
        } else {
            ""
        };
        format!(
            "{}{} {}{partial}",
            format::month_label(lang, &m.month),
            format::colon(lang),
            format::money(lang, m.revenue)
        )
    };
    let o1 = overview.clone();
    let o2 = overview;
    view! {
        <div class="chart-row">
            <figure>
                <figcaption>{move || overview_texts(lang.get()).monthly_revenue} {span(lang)}</figcaption>
                {if present.amounts { view! {
                <BarTooltip bars=bars width=MONTHLY_WIDTH left=MONTHLY_MARGIN + REVENUE_Y_LABELS right=MONTHLY_WIDTH - MONTHLY_MARGIN testid="monthly-revenue-tip" text=revenue_text>
                <PlotCanvas width=MONTHLY_WIDTH height=MONTHLY_HEIGHT label=revenue_label testid="monthly-revenue" draw=move |root| {
                    panier_charts::monthly_revenue(root, &o1.months, lang.get(), state.display_currency());
                } />
                </BarTooltip>
                }.into_any() } else { needs(overview_texts(lang.get_untracked()).needs_amounts, "needs-amounts") }}
                {partial.then(|| view! {
                    <p class="muted small" data-testid="partial-months">{move || overview_texts(lang.get()).partial_months}</p>
                })}
            </figure>
            <figure>
                <figcaption>{move || overview_texts(lang.get()).new_vs_returning} {span(lang)}</figcaption>
                {if present.customers { view! {
                <BarTooltip bars=bars width=MONTHLY_WIDTH left=MONTHLY_MARGIN + CUSTOMERS_Y_LABELS right=MONTHLY_WIDTH - MONTHLY_MARGIN testid="new-vs-returning-tip" text=move |index| {
                    let lang = lang.get();
                    let t = overview_texts(lang);
                    let m = &customers_tip.months[index];
                    format!(
                        "{}{} {} {}, {} {}",
                        format::month_label(lang, &m.month),
                        format::colon(lang),
                        format::count(lang, m.new_customers),
                        t.new_customers,
                        format::count(lang, m.returning_customers),
                        t.returning_customers,
                    )
                }>
                <PlotCanvas width=MONTHLY_WIDTH height=MONTHLY_HEIGHT label=customers_label testid="new-vs-returning" draw=move |root| {
                    panier_charts::new_vs_returning(root, &o2.months, lang.get());
                } />
                </BarTooltip>
                }.into_any() } else { needs(overview_texts(lang.get_untracked()).needs_customers, "needs-customers") }}
            </figure>
        </div>
    }
    .into_any()
}

/// Ce qu'affiche un classement : la colonne de compte, et si, sans
/// montants, les commandes s'y ajoutent (les produits : unités puis
/// commandes ; les pays comptent déjà des commandes).
pub struct RankingColumns {
    /// En-tête de la colonne de compte.
    pub count_label: &'static str,
    /// Colonne des commandes quand le fichier n'a pas de montants.
    pub orders_without_amounts: bool,
}

/// Un classement (pays ou produits) en tableau. Sans montants, la colonne
/// du chiffre d'affaires disparaît (le cœur classe alors par unités puis
/// commandes) ; `missing` : la colonne classée manque, et ce qu'il faut dire.
pub fn ranking(
    rows: &[Ranked],
    lang: Lang,
    columns: RankingColumns,
    testid: &'static str,
    present: Present,
    missing: Option<&'static str>,
) -> AnyView {
    let t = overview_texts(lang);
    if let Some(text) = missing {
        return needs(text, testid);
    }
    let count_label = columns.count_label;
    let amounts = present.amounts;
    let orders_column = !amounts && columns.orders_without_amounts;
    let body = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            view! {
                <tr>
                    <td class="num">{i + 1}</td>
                    <td>{r.name.clone()}</td>
                    {amounts.then(|| view! { <td class="num">{format::money(lang, r.revenue)}</td> })}
                    <td class="num">{format::count(lang, r.count.round() as u64)}</td>
                    {orders_column.then(|| view! { <td class="num">{format::count(lang, r.orders)}</td> })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0">
        <table class="data compact" data-testid=testid>
            <thead><tr>
                <th class="num">"#"</th><th>{t.col_name}</th>
                {amounts.then(|| view! { <th class="num">{t.col_revenue}</th> })}
                <th class="num">{count_label}</th>
                {orders_column.then(|| view! { <th class="num">{t.col_orders}</th> })}
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
        </div>
        {(!amounts).then(|| view! { <p class="muted small" data-testid=format!("{testid}-by-units")>{t.ranked_by_units}</p> })}
    }
    .into_any()
}
