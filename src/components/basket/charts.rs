//! Graphiques des règles : nuage support × confiance coloré par le lift
//! (comme arulesViz), et graphe des articles reliés par les règles les plus
//! fortes.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::basket::analysis::BasketSummary;
use panier_core::Lang;

// La géométrie du nuage et du graphe est celle que `panier_charts` dessine :
// les bulles la reprennent.
use panier_charts::{
    scatter_ranges, NETWORK_SIZE, SCATTER_MARGIN, SCATTER_SIZE, SCATTER_TOP, SCATTER_X_LABELS,
    SCATTER_Y_LABELS,
};

use crate::components::plot::{PlotCanvas, PointTooltip, TipPoint};
use crate::format;
use crate::i18n::recommendations::recommendation_texts;

/// Les points du nuage en pixels du canvas, avec leur bulle, de gauche à
/// droite.
fn scatter_tips(points: &[(f64, f64, f64)], lang: Lang) -> Vec<TipPoint> {
    let ((x0, x1), _) = scatter_ranges(points);
    let (width, height) = SCATTER_SIZE;
    let left = f64::from(SCATTER_MARGIN + SCATTER_Y_LABELS);
    let right = f64::from(width - SCATTER_MARGIN);
    let top = f64::from(SCATTER_MARGIN);
    let bottom = f64::from(height - SCATTER_MARGIN - SCATTER_X_LABELS);
    let t = recommendation_texts(lang);
    let mut tips: Vec<TipPoint> = points
        .iter()
        .map(|&(support, confidence, lift)| {
            TipPoint::point(
                left + (support - x0) / (x1 - x0).max(1e-12) * (right - left),
                bottom - confidence / SCATTER_TOP * (bottom - top),
                format!(
                    "{}{} {} · {}{} {} · lift {}",
                    t.col_support,
                    format::colon(lang),
                    format::percent(lang, support),
                    t.col_confidence,
                    format::colon(lang),
                    format::percent(lang, confidence),
                    format::decimal(lang, lift, 2),
                ),
            )
        })
        .collect();
    tips.sort_by(|a, b| a.x.total_cmp(&b.x));
    tips
}

/// Nuage support × confiance.
#[component]
pub fn RuleScatter(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    let label = Signal::derive(move || recommendation_texts(lang.get()).scatter_title.to_string());
    let for_tips = summary.clone();
    let (width, height) = SCATTER_SIZE;
    view! {
        <PointTooltip width=width height=height testid="rule-scatter-tip"
            points=move || scatter_tips(&for_tips.scatter, lang.get())>
        <PlotCanvas width=width height=height label=label testid="rule-scatter" draw=move |root| {
            panier_charts::rule_scatter(root, &summary.scatter, lang.get());
        } />
        </PointTooltip>
    }
}

/// Graphe des articles : un nœud par article des règles les plus fortes,
/// une flèche par paire antécédent → conséquent.
#[component]
pub fn RuleNetwork(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    let label = Signal::derive(move || recommendation_texts(lang.get()).network_title.to_string());
    let (width, height) = NETWORK_SIZE;
    let for_tips = summary.clone();
    // La bulle d'un nœud : le nom entier de l'article.
    let tips = move || {
        let mut tips: Vec<TipPoint> = panier_charts::network_layout(&for_tips.network)
            .into_iter()
            .map(|(item, x, y)| TipPoint::point(x, y, item))
            .collect();
        tips.sort_by(|a, b| a.x.total_cmp(&b.x));
        tips
    };
    view! {
        <PointTooltip width=width height=height testid="rule-network-tip" points=tips>
        <PlotCanvas width=width height=height label=label testid="rule-network" draw=move |root| {
            let _ = lang.get();
            panier_charts::rule_network(root, &summary.network);
        } />
        </PointTooltip>
    }
}
