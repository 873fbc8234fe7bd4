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
    let show = move |_| {
        let customer = id.get_untracked().trim().to_string();
        // Le worker trouve son segment (dans la grille affichée), les
        // clients du segment et ceux des meilleurs segments.
        state.recommend(RecommendRequest::Customer {
            customer,
            grid: state.grid.get_untracked(),
        });
    };
    let result = move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        let response = state.customer_advice.get()?;
        let Some(advice) = &response.1 else {
            return Some(view! { <p class="error-text">{t.unknown_customer}</p> }.into_any());
        };
        Some(view! {
            {advice.segment_fallback.then(|| view! { <p class="warning-text" data-testid="fallback-note">{t.fallback_note}</p> })}
            <div class="two-lists" data-customer=advice.customer.clone()>
                <div><h3>{t.discovery_list}</h3>{recommendation_list(&advice.discovery, lang, "discovery")}</div>
                <div><h3>{t.reorder_list}</h3>{recommendation_list(&advice.reorder, lang, "reorder")}</div>
                <div><h3>{t.upsell}</h3>{recommendation_list(&advice.upsell, lang, "customer-upsell")}</div>
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
