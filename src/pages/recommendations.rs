//! Vue « Recommandations », en cinq parties qui ont chacune leur adresse
//! (`#/recommendations/product`…) : associations (réglages de la recherche,
//! meilleures associations, toutes les règles, graphiques), produit, client,
//! segment, et qualité mesurée des recommandations.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::basket::analysis::BasketSummary;
use panier_core::error::PanierError;
use panier_core::ingest::roles::Role;
use panier_core::summary::Analysis;
use panier_core::Lang;

use crate::components::basket::charts::{RuleNetwork, RuleScatter};
use crate::components::basket::rules_table::RulesTable;
use crate::components::basket::settings::BasketSettings;
use crate::components::basket::top_rules::TopRules;
use crate::components::kpi::needs;
use crate::components::method::Method;
use crate::components::progress::{AnalysisError, AnalysisProgress};
use crate::components::recommend::customer::CustomerRecommendations;
use crate::components::recommend::product::ProductRecommendations;
use crate::components::recommend::quality::RecommendationQuality;
use crate::components::recommend::segment::SegmentRecommendations;
use crate::components::report::ShareActions;
use crate::components::scope_chips::ScopeChips;
use crate::focus;
use crate::format;
use crate::i18n::recommendations::recommendation_texts;
use crate::i18n::{stage_label, texts};
use crate::route::{RecoTab, View};
use crate::state::{AnalysisStatus, AppState};

/// Page des recommandations : en-tête commun (périmètre, état de la
/// recherche, méthode), onglets, puis la partie choisie.
#[component]
pub fn RecommendationsPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let t = move || recommendation_texts(lang.get());
    // La qualité se mesure une fois par analyse, à la première visite de la
    // vue, quelle qu'en soit la partie : elle fixe aussi les réglages du
    // recommandeur dont se servent les parties produit, client et segment.
    Effect::new(move |_| {
        let ready = state.baskets.with(Option::is_some);
        if ready && state.evaluation.with_untracked(Option::is_none) {
            state.evaluate();
        }
    });
    // Après un changement d'onglet, le focus va au titre de la partie : un
    // lecteur d'écran l'annonce, et Tab repart de son début.
    Effect::new(move |previous: Option<RecoTab>| {
        let tab = state.reco_tab.get();
        if previous.is_some_and(|previous| previous != tab) {
            focus::focus_soon("main h2.tab-title");
        }
        tab
    });
    // Le corps se reconstruit à chaque nouvelle analyse des paniers ; la
    // partie affichée, à chaque changement d'onglet.
    let body = move || {
        let Some(outcome) = state.baskets.get() else {
            return view! {
                <p class="muted">{move || texts(lang.get()).no_data}</p>
                <a class="button primary" href=View::Import.href()>{move || texts(lang.get()).go_import}</a>
            }
            .into_any();
        };
        let summary = outcome
            .as_ref()
            .as_ref()
            .ok()
            .map(|summary| Arc::new(summary.clone()));
        let error = outcome.as_ref().as_ref().err().cloned();
        // Sans colonne produit, aucune partie n'a de sens : la raison seule,
        // quel que soit l'onglet (pas de réglages qui ne changeraient rien).
        if let Some(error @ PanierError::ProductsMissing) = error {
            return basket_error(error, lang);
        }
        // Ce que le fichier fournit (le rapport de l'analyse en cours).
        let (has_customers, has_segments) = state.analysis.with_untracked(|status| match status {
            AnalysisStatus::Ready(result) => (
                result.report.has(Role::Customer),
                result.report.missing_for(Analysis::Rfm).is_none(),
            ),
            _ => (true, true),
        });
        let header = summary
            .clone()
            .map(|summary| view! { <BasketHeader summary=summary lang=lang /> });
        let tab = move || {
            let tab = state.reco_tab.get();
            let title = move || match tab {
                RecoTab::Associations => t().settings_title,
                RecoTab::Product => t().product_title,
                RecoTab::Customer => t().customer_title,
                RecoTab::Segment => t().segment_title,
                RecoTab::Quality => t().quality_title,
            };
            let content = match (tab, &summary) {
                (RecoTab::Associations, Some(summary)) => {
                    view! { <Associations summary=summary.clone() lang=lang /> }.into_any()
                }
                (RecoTab::Associations, None) => {
                    // Les réglages restent offerts : un support plus haut ou
                    // un autre périmètre règle la plupart des cas.
                    let request = state.options.with_untracked(|o| o.basket_request());
                    view! {
                        {error.clone().map(|error| basket_error(error, lang))}
                        <BasketSettings request=request lang=lang />
                    }
                    .into_any()
                }
                (RecoTab::Product, _) => {
                    view! { <RecommendError /> <ProductRecommendations lang=lang /> }.into_any()
                }
                // Une partie dont le fichier n'a pas les colonnes le dit, au
                // lieu d'offrir une recherche qui ne trouverait rien.
                (RecoTab::Customer, _) if !has_customers => {
                    needs(move || t().needs_customers, "needs-customers")
                }
                (RecoTab::Segment, _) if !has_segments => {
                    needs(move || t().needs_segments, "needs-segments")
                }
                (RecoTab::Customer, _) => {
                    view! { <RecommendError /> <CustomerRecommendations lang=lang /> }.into_any()
                }
                (RecoTab::Segment, _) => {
                    view! { <RecommendError /> <SegmentRecommendations lang=lang /> }.into_any()
                }
                (RecoTab::Quality, _) => {
                    view! { <RecommendationQuality lang=lang /> <RecommendError /> }.into_any()
                }
            };
            view! {
                <h2 class="tab-title" tabindex="-1" data-testid="tab-title">{title}</h2>
                {content}
            }
        };
        view! {
            <ShareActions />
            {header}
            <div class="reco-tab print-keep" data-tab=move || state.reco_tab.get().slug()>{tab}</div>
        }
        .into_any()
    };
    view! {
        <section class="page recommendations">
            <h1>{move || texts(lang.get()).recommendations_title}</h1>
            <p class="lead">{move || t().intro}</p>
            <ScopeChips lang=lang baskets=true />
            <RecoTabs lang=lang />
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

/// Les onglets des parties : de vrais liens (chacun a son adresse), la
/// partie affichée marquée `aria-current`.
#[component]
fn RecoTabs(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <nav class="tabs" aria-label=move || recommendation_texts(lang.get()).tabs_label data-testid="reco-tabs">
            {RecoTab::ALL
                .into_iter()
                .map(|tab| {
                    let current = move || state.reco_tab.get() == tab;
                    view! {
                        <a
                            href=tab.href()
                            class:active=current
                            aria-current=move || current().then_some("page")
                            data-testid=format!("tab-{}", tab.slug())
                        >
                            {move || tab.label(lang.get())}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// Ce que la dernière recherche a trouvé (paniers, règles), et sa méthode
/// repliée (combinaisons fréquentes par taille, algorithme, durée).
#[component]
fn BasketHeader(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
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
    view! {
        <p class="muted small print-keep" data-testid="basket-summary"
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
    }
}

/// Partie « Associations » : réglages de la recherche, les dix meilleures
/// associations, toutes les règles et leurs exports, les graphiques.
#[component]
fn Associations(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let no_rules = summary.rules_error.is_some();
    view! {
        <BasketSettings request=summary.request.clone() lang=lang />
        <h2 class="print-keep">{move || t().top_title}</h2>
        <TopRules summary=summary.clone() lang=lang />
        <h2>{move || t().rules_title}</h2>
        <RulesTable lang=lang />
        <div class="exports">
            <button class="button" data-testid="export-rules" prop:disabled=no_rules
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
}

/// Pourquoi la dernière demande de recommandation a échoué, s'il y a lieu.
#[component]
fn RecommendError() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    move || {
        state.recommend_error.get().map(|error| view! {
            <p class="error-text" role="alert" data-testid="recommend-error">{error.message(lang.get())}</p>
        })
    }
}

/// L'encadré « analyse des paniers impossible » et sa raison.
fn basket_error(error: PanierError, lang: RwSignal<Lang>) -> AnyView {
    view! {
        <div class="error" role="alert" data-testid="basket-error">
            <strong>{move || recommendation_texts(lang.get()).unavailable}</strong>
            <p>{move || error.message(lang.get())}</p>
        </div>
    }
    .into_any()
}
