//! Liste des clients (filtre par segment, recherche par identifiant, pages)
//! et fiche d'un client.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::customer::CustomerPurchases;
use panier_core::ingest::dates::format_timestamp;
use panier_core::rfm::segments::segment_label;
use panier_core::Lang;

use super::RfmModel;
use crate::focus;
use crate::format;
use crate::i18n::segmentation::segmentation_texts;
use crate::state::AppState;

/// Clients par page.
const PAGE_SIZE: usize = 25;

/// Liste filtrable des clients ; un clic ouvre la fiche.
#[component]
pub fn CustomerList(model: Memo<Option<Arc<RfmModel>>>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let segment = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    // Les indices des clients retenus par le filtre et la recherche.
    let matching = Memo::new(move |_| {
        let Some(model) = model.get() else {
            return Vec::new();
        };
        let wanted = segment.get();
        let query = search.get().trim().to_lowercase();
        let wanted_index = model.names.iter().position(|n| *n == wanted);
        model
            .table
            .customers
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                (wanted.is_empty() || Some(usize::from(model.segment[*i])) == wanted_index)
                    && (query.is_empty() || c.customer.to_lowercase().contains(&query))
            })
            .map(|(i, _)| i)
            .collect::<Vec<usize>>()
    });
    let pages = move || matching.with(|m| m.len().div_ceil(PAGE_SIZE).max(1));
    let options = move || {
        let (Some(model), lang) = (model.get(), lang.get()) else {
            return ().into_any();
        };
        model
            .names
            .iter()
            .map(|name| view! { <option value=name.clone()>{segment_label(name, lang)}</option> })
            .collect_view()
            .into_any()
    };
    let rows = move || {
        let (Some(model), lang) = (model.get(), lang.get()) else {
            return ().into_any();
        };
        let t = segmentation_texts(lang);
        let shown: Vec<usize> = matching.with(|m| {
            m.iter()
                .skip(page.get() * PAGE_SIZE)
                .take(PAGE_SIZE)
                .copied()
                .collect()
        });
        if shown.is_empty() {
            return view! { <tr><td colspan="9" class="muted">{t.no_customer_match}</td></tr> }
                .into_any();
        }
        // La valeur client prédite de chaque client, si elle est calculée.
        let clv = state.clv.get();
        let predicted = clv
            .as_ref()
            .and_then(|outcome| outcome.result.as_ref().ok());
        let by_id: std::collections::HashMap<&str, &panier_core::clv::CustomerClv> = predicted
            .map(|result| {
                result
                    .customers
                    .iter()
                    .map(|c| (c.customer.as_str(), c))
                    .collect()
            })
            .unwrap_or_default();
        shown
            .into_iter()
            .map(|i| {
                let c = &model.table.customers[i];
                let id = c.customer.clone();
                let open = {
                    let id = id.clone();
                    move |_| state.open_customer(id.clone())
                };
                let name = &model.names[usize::from(model.segment[i])];
                view! {
                    <tr class="clickable" data-customer=id.clone() on:click=open>
                        <th scope="row"><button class="link">{id.clone()}</button></th>
                        <td>{segment_label(name, lang)}</td>
                        <td class="num">{c.recency}</td>
                        <td class="num">{c.frequency}</td>
                        <td class="num">{format::money(lang, c.monetary)}</td>
                        <td class="num">{c.rfm_score()}</td>
                        {match by_id.get(c.customer.as_str()) {
                            Some(p) => view! {
                                <td class="num" data-testid="customer-expected">{format::decimal(lang, p.expected_transactions, 2)}</td>
                                <td class="num" data-testid="customer-clv">{format::money(lang, p.clv)}</td>
                                <td class="num" data-testid="customer-churn">{format::percent(lang, p.churn_risk)}</td>
                            }.into_any(),
                            None => view! { <td class="num">"—"</td><td class="num">"—"</td><td class="num">"—"</td> }.into_any(),
                        }}
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="customer-list">
            <div class="filters">
                <select
                    data-testid="customer-segment-filter"
                    aria-label=move || segmentation_texts(lang.get()).segment_filter_label
                    on:change=move |event| {
                        let chosen = event_target_value(&event);
                        state.selected_segment.set((!chosen.is_empty()).then(|| chosen.clone()));
                        segment.set(chosen);
                        page.set(0);
                    }
                >
                    <option value="">{move || segmentation_texts(lang.get()).all_segments}</option>
                    {options}
                </select>
                <input
                    type="search"
                    data-testid="customer-search"
                    aria-label=move || segmentation_texts(lang.get()).search_placeholder
                    placeholder=move || segmentation_texts(lang.get()).search_placeholder
                    on:input=move |event| { search.set(event_target_value(&event)); page.set(0); }
                />
                <span class="muted small" role="status" data-testid="customer-count">
                    {move || format::count(lang.get(), matching.with(|m| m.len()) as u64)}
                </span>
            </div>
            <div class="table-scroll" tabindex="0">
                <table class="data" data-testid="customer-table">
                    <thead>
                        {move || {
                            let t = segmentation_texts(lang.get());
                            let c = crate::i18n::clv::clv_texts(lang.get());
                            // Attendues et risque valent pour l'horizon choisi : l'en-tête le dit.
                            let within = crate::i18n::clv::within(
                                lang.get(),
                                state.options.with(|o| o.clv.horizon_days),
                            );
                            view! {
                                <tr>
                                    <th scope="col">{t.col_customer}</th>
                                    <th scope="col">{t.col_segment}</th>
                                    <th scope="col" class="num">{t.col_recency}</th>
                                    <th scope="col" class="num">{t.col_frequency}</th>
                                    <th scope="col" class="num">{t.col_monetary}</th>
                                    <th scope="col" class="num">{t.col_scores}</th>
                                    <th scope="col" class="num">{format!("{} ({within})", c.col_expected)}</th>
                                    <th scope="col" class="num">{c.col_value}</th>
                                    <th scope="col" class="num">{format!("{} ({within})", c.col_churn)}</th>
                                </tr>
                            }
                        }}
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="pager">
                <button class="button" prop:disabled=move || page.get() == 0
                    on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>
                    {move || segmentation_texts(lang.get()).previous}
                </button>
                <span>{move || format!("{} {} {}", page.get() + 1, segmentation_texts(lang.get()).page_of, pages())}</span>
                <button class="button" prop:disabled=move || { page.get() + 1 >= pages() }
                    on:click=move |_| page.update(|p| *p += 1)>
                    {move || segmentation_texts(lang.get()).next}
                </button>
            </div>
        </div>
    }
}

/// Fiche du client ouvert : scores, résumé des achats, produits préférés,
/// dernières commandes. À l'ouverture, le focus va à son titre ; Échap ou
/// « Fermer » la ferment et rendent le focus à ce qui l'avait ouverte (la
/// ligne du client, le nuage de points).
#[component]
pub fn CustomerSheet(model: Memo<Option<Arc<RfmModel>>>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Le client ouvert seul : la fiche n'est pas reconstruite quand ses
    // achats arrivent (le focus y resterait perdu).
    let open = Memo::new(move |_| {
        state
            .customer_sheet
            .with(|open| open.as_ref().map(|(customer, _)| customer.clone()))
    });
    // Ce qui avait le focus avant l'ouverture, pour le lui rendre.
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move |previous: Option<Option<String>>| {
        let current = open.get();
        match (&previous.flatten(), &current) {
            (None, Some(_)) => {
                opener.set_value(focus::active_element());
                focus::reveal_soon(".customer-sheet", ".customer-sheet h2");
            }
            (Some(before), Some(now)) if before != now => {
                focus::reveal_soon(".customer-sheet", ".customer-sheet h2")
            }
            (Some(_), None) => {
                focus::restore_focus(opener.get_value(), "[data-testid=customer-search]")
            }
            _ => {}
        }
        current
    });
    let close = move || state.customer_sheet.set(None);
    move || {
        let customer = open.get()?;
        let model = model.get()?;
        let lang = lang.get();
        let t = segmentation_texts(lang);
        let index = model
            .table
            .customers
            .iter()
            .position(|c| c.customer == customer)?;
        let c = model.table.customers[index].clone();
        let segment = segment_label(&model.names[usize::from(model.segment[index])], lang);
        let purchases = move || {
            let sheet = state
                .customer_sheet
                .with(|open| open.as_ref().map(|(_, sheet)| sheet.clone()))?;
            Some(match sheet {
                None => view! { <p class="muted">{t.loading}</p> }.into_any(),
                Some(sheet) => match sheet.as_ref() {
                    None => ().into_any(),
                    Some(sheet) => purchases_view(sheet, lang),
                },
            })
        };
        Some(view! {
            <aside
                class="customer-sheet"
                data-testid="customer-sheet"
                aria-label=t.sheet_title
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        event.prevent_default();
                        close();
                    }
                }
            >
                <header>
                    <h2>{t.sheet_title} " " <span data-testid="sheet-customer">{c.customer.clone()}</span></h2>
                    <button class="button" data-testid="sheet-close" on:click=move |_| close()>{t.sheet_close}</button>
                </header>
                <p><strong>{segment}</strong> " · RFM " <strong data-testid="sheet-score">{c.rfm_score()}</strong></p>
                <dl class="facts">
                    <dt>{t.col_recency}</dt><dd>{c.recency} " " {t.days}</dd>
                    <dt>{t.col_frequency}</dt><dd>{c.frequency}</dd>
                    <dt>{t.col_monetary}</dt><dd>{format::money(lang, c.monetary)}</dd>
                    <dt>{t.aov}</dt><dd>{format::money(lang, c.average_order_value())}</dd>
                    <dt>{t.first_purchase}</dt><dd>{format::moment_label(lang, &format_timestamp(c.first_purchase))}</dd>
                    <dt>{t.last_purchase}</dt><dd>{format::moment_label(lang, &format_timestamp(c.last_purchase))}</dd>
                    <dt>{t.units}</dt><dd>{format::decimal(lang, c.units, 0)}</dd>
                    <dt>{t.distinct_products}</dt><dd>{c.products}</dd>
                </dl>
                {purchases}
            </aside>
        })
    }
}

/// Produits préférés et dernières commandes d'un client.
fn purchases_view(sheet: &CustomerPurchases, lang: Lang) -> AnyView {
    let t = segmentation_texts(lang);
    let products = sheet
        .top_products
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.product.clone()}</td>
                    <td class="num">{format::decimal(lang, p.units, 0)}</td>
                    <td class="num">{p.orders}</td>
                    <td class="num">{format::money(lang, p.revenue)}</td>
                </tr>
            }
        })
        .collect_view();
    let orders = sheet
        .orders
        .iter()
        .take(10)
        .map(|o| {
            view! {
                <tr>
                    <td>{o.invoice.clone()}</td>
                    <td>{o.date.clone()}</td>
                    <td class="num">{o.lines}</td>
                    <td class="num">{format::money(lang, o.amount)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h3>{t.top_products}</h3>
        <div class="table-scroll" tabindex="0">
        <table class="data compact" data-testid="sheet-products">
            <thead><tr><th>{t.col_product}</th><th class="num">{t.units}</th><th class="num">{t.col_orders}</th><th class="num">{t.col_amount}</th></tr></thead>
            <tbody>{products}</tbody>
        </table>
        </div>
        <h3>{t.recent_orders}</h3>
        <div class="table-scroll" tabindex="0">
        <table class="data compact">
            <thead><tr><th>{t.col_invoice}</th><th>{t.col_date}</th><th class="num">{t.col_lines}</th><th class="num">{t.col_amount}</th></tr></thead>
            <tbody>{orders}</tbody>
        </table>
        </div>
    }
    .into_any()
}
