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
    // Recherche en combobox ARIA (liste de suggestions) : ↓/↑ parcourent les
    // suggestions, Entrée choisit, Échap ferme la liste ; le focus reste dans
    // le champ, `aria-activedescendant` dit quelle suggestion est active.
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let count = move || state.product_suggestions.with(|list| list.len());
    let expanded = move || open.get() && count() > 0;
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let n = count();
        match event.key().as_str() {
            "ArrowDown" | "ArrowUp" if n > 0 => {
                event.prevent_default();
                open.set(true);
                let down = event.key() == "ArrowDown";
                active.update(|active| {
                    *active = Some(match (*active, down) {
                        (None, true) => 0,
                        (None, false) => n - 1,
                        (Some(i), true) => (i + 1) % n,
                        (Some(i), false) => (i + n - 1) % n,
                    })
                });
            }
            "Enter" => {
                // La suggestion active ; sinon le nom saisi s'il en est une
                // (à la casse près), sinon la première : Entrée sur un nom
                // complet le choisit (elle ne faisait rien).
                let typed = text.get_untracked().trim().to_lowercase();
                let picked = state.product_suggestions.with_untracked(|list| {
                    active
                        .get_untracked()
                        .filter(|_| open.get_untracked())
                        .and_then(|i| list.get(i))
                        .or_else(|| list.iter().find(|p| p.to_lowercase() == typed))
                        .or_else(|| list.first().filter(|_| !typed.is_empty()))
                        .cloned()
                });
                if let Some(product) = picked {
                    event.prevent_default();
                    open.set(false);
                    active.set(None);
                    choose(product);
                }
            }
            "Escape" if open.get_untracked() => {
                event.prevent_default();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let suggestions = move || {
        let current = active.get();
        state
            .product_suggestions
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, name)| {
                let chosen = name.clone();
                view! {
                    <li
                        role="option"
                        id=format!("product-option-{index}")
                        aria-selected=(current == Some(index)).to_string()
                        class:active=current == Some(index)
                        on:click=move |_| {
                            open.set(false);
                            active.set(None);
                            choose(chosen.clone());
                        }
                    >
                        {name}
                    </li>
                }
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
                role="combobox"
                aria-label=move || t().product_placeholder
                aria-autocomplete="list"
                aria-controls="product-listbox"
                aria-expanded=move || expanded().to_string()
                aria-activedescendant=move || active.get().filter(|_| expanded()).map(|i| format!("product-option-{i}"))
                autocomplete="off"
                prop:value=text
                on:keydown=on_key
                on:input=move |e| {
                    let v = event_target_value(&e);
                    text.set(v.clone());
                    open.set(true);
                    active.set(None);
                    state.suggest_products(v);
                } />
            <label>{move || t().rank_by} " "
                <select data-testid="rank-by" on:change=move |e| rerank(event_target_value(&e))>
                    <option value="lift-confidence">{move || t().rank_lift_confidence}</option>
                    <option value="lift">"Lift"</option>
                    <option value="confidence">{move || t().col_confidence}</option>
                    <option value="together">{move || t().rank_together}</option>
                </select>
            </label>
        </div>
        <ul
            class="chips suggestions"
            id="product-listbox"
            role="listbox"
            data-testid="product-suggestions"
            aria-label=move || t().product_placeholder
            hidden=move || !expanded()
        >
            {suggestions}
        </ul>
        {result}
    }
}
