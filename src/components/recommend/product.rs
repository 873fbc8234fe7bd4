//! Recommandations pour un produit : ventes croisées et montée en gamme.

use leptos::prelude::*;
use panier_core::Lang;

use super::recommendation_list;
use crate::i18n::recommendations::recommendation_texts;
use crate::state::AppState;
use crate::worker::protocol::RecommendRequest;
use panier_core::recommend::RankBy;

/// Choix d'un produit (recherche) et ses recommandations.
#[component]
pub fn ProductRecommendations(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let text = RwSignal::new(String::new());
    let rank_by = RwSignal::new(RankBy::default());
    let chosen = RwSignal::new(None::<String>);
    let choose = move |product: String| {
        text.set(product.clone());
        chosen.set(Some(product.clone()));
        state.recommend(RecommendRequest::Product(product, rank_by.get_untracked()));
    };
    let rerank = move |value: String| {
        rank_by.set(match value.as_str() {
            "lift" => RankBy::Lift,
            "confidence" => RankBy::Confidence,
            "together" => RankBy::Together,
            _ => RankBy::LiftTimesConfidence,
        });
        if let Some(product) = chosen.get_untracked() {
            state.recommend(RecommendRequest::Product(product, rank_by.get_untracked()));
        }
    };
    let suggestions = move || {
        state
            .product_suggestions
            .get()
            .into_iter()
            .map(|name| {
                let chosen = name.clone();
                view! { <li><button class="link" on:click=move |_| choose(chosen.clone())>{name}</button></li> }
            })
            .collect_view()
    };
    let result = move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        let response = state.product_advice.get()?;
        Some(view! {
            <div class="two-lists" data-product=response.product.clone()>
                <div><h3>{t.cross_sell}</h3>{recommendation_list(&response.cross_sell, lang, "cross-sell")}</div>
                <div><h3>{t.upsell}</h3>{recommendation_list(&response.upsell, lang, "upsell")}</div>
            </div>
        })
    };
    view! {
        <div class="filters">
            <input type="search" data-testid="product-search" placeholder=move || t().product_placeholder
                prop:value=text
                on:input=move |e| { let v = event_target_value(&e); text.set(v.clone()); state.suggest_products(v); } />
            <label>{move || t().rank_by} " "
                <select data-testid="rank-by" on:change=move |e| rerank(event_target_value(&e))>
                    <option value="lift-confidence">{move || t().rank_lift_confidence}</option>
                    <option value="lift">"Lift"</option>
                    <option value="confidence">{move || t().col_confidence}</option>
                    <option value="together">{move || t().rank_together}</option>
                </select>
            </label>
        </div>
        <ul class="chips" data-testid="product-suggestions">{suggestions}</ul>
        {result}
    }
}
