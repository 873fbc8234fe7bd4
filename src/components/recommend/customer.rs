//! Recommandations pour un client : à découvrir (ou, sans association, ce
//! que son segment achète) et à racheter.

use leptos::prelude::*;
use panier_core::Lang;

use super::recommendation_list;
use crate::i18n::recommendations::recommendation_texts;
use crate::state::AppState;
use crate::worker::protocol::RecommendRequest;

/// Choix d'un client et ses recommandations.
#[component]
pub fn CustomerRecommendations(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let id = RwSignal::new(String::new());
    let unknown = RwSignal::new(false);
    let show = move |_| {
        let customer = id.get_untracked().trim().to_string();
        let grid = state.grid.get_untracked();
        // Son segment et les clients du segment, pour le repli.
        let found = state.rfm.with_untracked(|outcome| {
            let table = outcome.as_ref()?.result.as_ref().ok()?;
            let me = table.customers.iter().find(|c| c.customer == customer)?;
            let segment = grid.segment_of(me.r, me.f, me.m).to_string();
            // Meilleurs segments : un score R + F + M plus haut.
            let better = table
                .customers
                .iter()
                .filter(|c| c.rfm_sum() > me.rfm_sum())
                .map(|c| c.customer.clone())
                .collect();
            Some((segment, better))
        });
        unknown.set(found.is_none());
        if let Some((segment, better_customers)) = found {
            state.recommend(RecommendRequest::Customer {
                customer,
                segment_customers: state.segment_customers(&segment),
                segment,
                better_customers,
            });
        }
    };
    let result = move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        if unknown.get() {
            return Some(view! { <p class="error-text">{t.unknown_customer}</p> }.into_any());
        }
        let response = state.recommended.get()?;
        let RecommendRequest::Customer { customer, .. } = &response.request else {
            return None;
        };
        Some(view! {
            {response.segment_fallback.then(|| view! { <p class="warning-text" data-testid="fallback-note">{t.fallback_note}</p> })}
            <div class="two-lists" data-customer=customer.clone()>
                <div><h3>{t.discovery_list}</h3>{recommendation_list(&response.cross_sell, lang, "discovery")}</div>
                <div><h3>{t.reorder_list}</h3>{recommendation_list(&response.upsell, lang, "reorder")}</div>
                <div><h3>{t.upsell}</h3>{recommendation_list(&response.customer_upsell, lang, "customer-upsell")}</div>
            </div>
        }.into_any())
    };
    view! {
        <div class="filters">
            <input type="search" data-testid="customer-id" placeholder=move || t().customer_placeholder
                prop:value=id on:input=move |e| id.set(event_target_value(&e)) />
            <button class="button" data-testid="customer-recommend" on:click=show>{move || t().show}</button>
            <button class="button" data-testid="export-recommendations" on:click=move |_| state.export_recommendations()>
                {move || t().export_recommendations}
            </button>
        </div>
        {result}
    }
}
