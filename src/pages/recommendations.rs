//! Vue « Recommandations » : réglages de l'analyse des paniers, meilleures
//! associations, qualité mesurée des recommandations, recommandations par
//! produit, client et segment, toutes les règles, graphiques, exports.

use leptos::prelude::*;

use crate::components::basket::charts::{RuleNetwork, RuleScatter};
use crate::components::basket::rules_table::RulesTable;
use crate::components::basket::settings::BasketSettings;
use crate::components::basket::top_rules::TopRules;
use crate::components::method::Method;
use crate::components::progress::{AnalysisError, AnalysisProgress};
use crate::components::recommend::customer::CustomerRecommendations;
use crate::components::recommend::product::ProductRecommendations;
use crate::components::recommend::quality::RecommendationQuality;
use crate::components::recommend::segment::SegmentRecommendations;
use crate::components::scope_chips::ScopeChips;
use crate::format;
use crate::i18n::recommendations::recommendation_texts;
use crate::i18n::{stage_label, texts};
use crate::route::View;
use crate::state::AppState;

/// Page des recommandations.
#[component]
pub fn RecommendationsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let t = move || recommendation_texts(lang.get());
    // Le corps se reconstruit à chaque nouvelle analyse des paniers.
    let body = move || {
        let Some(outcome) = state.baskets.get() else {
            return view! {
                <p class="muted">{move || texts(lang.get()).no_data}</p>
                <a class="button primary" href=View::Import.href()>{move || texts(lang.get()).go_import}</a>
            }
            .into_any();
        };
        let summary = match outcome.as_ref() {
            Ok(summary) => std::sync::Arc::new(summary.clone()),
            Err(error) => {
                let error = error.clone();
                // Les réglages restent offerts : un support plus haut ou un
                // autre périmètre règle la plupart des cas.
                let request = state.options.with_untracked(|o| o.basket_request());
                return view! {
                    <div class="error" role="alert" data-testid="basket-error">
                        <strong>{move || t().unavailable}</strong>
                        <p>{move || error.message(lang.get())}</p>
                    </div>
                    <h2>{move || t().settings_title}</h2>
                    <BasketSettings request=request lang=lang />
                }
                .into_any();
            }
        };
        // Pour tous : paniers et règles. Pour qui ouvre « Méthode » :
        // combinaisons fréquentes par taille, algorithme, durée.
        let s = summary.clone();
        let summary_line = move || {
            let lang = lang.get();
            let t = recommendation_texts(lang);
            format!(
                "{} {} · {} {}",
                format::count(lang, u64::from(s.baskets)),
                t.summary_baskets,
                format::count(lang, s.rules as u64),
                t.summary_rules,
            )
        };
        let s = summary.clone();
        let method_line = move || {
            let lang = lang.get();
            let t = recommendation_texts(lang);
            let by_length = s
                .itemsets_by_length
                .iter()
                .map(|n| format::count(lang, *n as u64))
                .collect::<Vec<_>>()
                .join(" / ");
            format!(
                "{} {} ({} {}) · {} {} {} {}",
                format::count(lang, s.itemsets as u64),
                t.summary_itemsets,
                t.summary_by_length,
                by_length,
                t.summary_with,
                s.algorithm.label(),
                t.summary_in,
                format::duration_ms(lang, s.mining_ms + s.rules_ms),
            )
        };
        let rules_error = summary.rules_error.clone();
        let s = summary.clone();
        view! {
            <p class="muted small" data-testid="basket-summary"
                data-itemsets=summary.itemsets.to_string() data-rules=summary.rules.to_string()
                data-mining-ms=summary.mining_ms.to_string() data-rules-ms=summary.rules_ms.to_string()
                data-memory=move || state.worker_memory.get().to_string()>
                {summary_line}
            </p>
            <Method lang=lang testid="recommendations-method">
                <p class="muted small">{move || t().method}</p>
                <p class="muted small" data-testid="basket-method">{method_line}</p>
            </Method>
            {rules_error.map(|error| view! {
                <div class="error" role="alert" data-testid="rules-error"><p>{move || error.message(lang.get())}</p></div>
            })}
            <h2>{move || t().settings_title}</h2>
            <BasketSettings request=s.request.clone() lang=lang />
            <h2>{move || t().top_title}</h2>
            <TopRules summary=summary.clone() lang=lang />
            <h2>{move || t().quality_title}</h2>
            <RecommendationQuality lang=lang />
            {move || state.recommend_error.get().map(|error| view! {
                <p class="error-text" role="alert" data-testid="recommend-error">{error.message(lang.get())}</p>
            })}
            <h2>{move || t().product_title}</h2>
            <ProductRecommendations lang=lang />
            <h2>{move || t().customer_title}</h2>
            <CustomerRecommendations lang=lang />
            <h2>{move || t().segment_title}</h2>
            <SegmentRecommendations lang=lang />
            <h2>{move || t().rules_title}</h2>
            <RulesTable lang=lang />
            <div class="exports">
                <button class="button" data-testid="export-rules" prop:disabled=summary.rules_error.is_some()
                    on:click=move |_| state.export_rules()>{move || t().export_rules}</button>
                " "
                <button class="button" data-testid="export-itemsets" on:click=move |_| state.export_itemsets()>
                    {move || t().export_itemsets}
                </button>
            </div>
            <div class="chart-row">
                <figure>
                    <figcaption>{move || t().scatter_title} " — " {move || t().scatter_caption}</figcaption>
                    <RuleScatter summary=summary.clone() lang=lang />
                </figure>
            </div>
            <h2>{move || t().network_title}</h2>
            <p class="muted small">{move || t().network_caption}</p>
            <RuleNetwork summary=summary.clone() lang=lang />
        }
        .into_any()
    };
    view! {
        <section class="page recommendations">
            <h1>{move || texts(lang.get()).recommendations_title}</h1>
            <p class="lead">{move || t().intro}</p>
            <ScopeChips lang=lang baskets=true />
            <AnalysisProgress />
            <AnalysisError />
            {move || state.mining.get().map(|_| view! {
                <p class="progress" data-testid="mining">{move || stage_label(lang.get(), panier_core::progress::Stage::Baskets)} " — " {move || t().running}</p>
            })}
            {body}
            <p class="muted small">{move || t().recommendations_later}</p>
        </section>
    }
}
