//! Graphiques des règles : nuage support × confiance coloré par le lift
//! (comme arulesViz), et graphe des articles reliés par les règles les plus
//! fortes.

use std::f64::consts::PI;
use std::sync::Arc;

use leptos::prelude::*;
use panier_core::basket::analysis::BasketSummary;
use panier_core::Lang;
use plotters::prelude::*;

use crate::components::plot::{PlotCanvas, PointTooltip, TipPoint, FONT};
use crate::format;
use crate::i18n::recommendations::recommendation_texts;

/// Couleur d'un lift entre `lo` et `hi` (échelle logarithmique) : du sable
/// clair au vert foncé.
fn lift_colour(lift: f64, lo: f64, hi: f64) -> RGBColor {
    let position = if hi > lo {
        ((lift.max(1e-9).ln() - lo.max(1e-9).ln()) / (hi.ln() - lo.max(1e-9).ln())).clamp(0.0, 1.0)
    } else {
        0.5
    };
    let mix = |a: f64, b: f64| (a + (b - a) * position) as u8;
    RGBColor(mix(240.0, 12.0), mix(200.0, 70.0), mix(90.0, 60.0))
}

/// Géométrie du nuage (canvas de 560 × 400) : marge, graduations, et axes.
const SCATTER_SIZE: (u32, u32) = (560, 400);
const SCATTER_MARGIN: u32 = 12;
const SCATTER_X_LABELS: u32 = 40;
/// Assez large pour « 100,0 % » et le titre de l'axe sans chevauchement.
const SCATTER_Y_LABELS: u32 = 76;
/// Le haut de l'axe des confiances.
const SCATTER_TOP: f64 = 1.02;

/// L'étendue des supports du nuage, et celle des lifts. L'axe du support
/// commence au plus petit support des règles (le support minimal, 2 % par
/// défaut), pas à 0 : les points ne s'entassent plus à gauche.
fn scatter_ranges(points: &[(f64, f64, f64)]) -> ((f64, f64), (f64, f64)) {
    let (s_min, s_max, lift_lo, lift_hi) = points.iter().fold(
        (f64::INFINITY, 0.0f64, f64::INFINITY, 0.0f64),
        |(s_lo, s_hi, lo, hi), &(support, _, lift)| {
            (
                s_lo.min(support),
                s_hi.max(support),
                lo.min(lift),
                hi.max(lift),
            )
        },
    );
    let pad = ((s_max - s_min) * 0.05).max(s_max * 0.01).max(1e-6);
    (((s_min - pad).max(0.0), s_max + pad), (lift_lo, lift_hi))
}

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
            let lang = lang.get();
            let t = recommendation_texts(lang);
            let points = &summary.scatter;
            if points.is_empty() {
                return;
            }
            let ((x0, x1), (lift_lo, lift_hi)) = scatter_ranges(points);
            let Ok(mut chart) = ChartBuilder::on(root)
                .margin(SCATTER_MARGIN)
                .x_label_area_size(SCATTER_X_LABELS)
                .y_label_area_size(SCATTER_Y_LABELS)
                .build_cartesian_2d(x0..x1, 0f64..SCATTER_TOP)
            else { return };
            let _ = chart
                .configure_mesh()
                .x_desc(t.col_support)
                .y_desc(t.col_confidence)
                .x_label_formatter(&|v| format::percent(lang, *v))
                .y_label_formatter(&|v| format::percent(lang, *v))
                .label_style((FONT, 12))
                .light_line_style(BLACK.mix(0.05))
                .draw();
            let mut sorted = points.clone();
            // Les lifts forts par-dessus.
            sorted.sort_by(|a, b| a.2.total_cmp(&b.2));
            let _ = chart.draw_series(sorted.iter().map(|&(support, confidence, lift)| {
                Circle::new((support, confidence), 3, lift_colour(lift, lift_lo, lift_hi).mix(0.85).filled())
            }));
            let legend = format!("lift {} → {}", format::decimal(lang, lift_lo, 1), format::decimal(lang, lift_hi, 1));
            let _ = root.draw(&Text::new(legend, (100, 16), (FONT, 12).into_font().color(&BLACK)));
        } />
        </PointTooltip>
    }
}

/// Taille du graphe des articles, et son cercle.
const NETWORK_SIZE: (u32, u32) = (720, 560);
const NETWORK_CIRCLE: (f64, f64, f64) = (360.0, 280.0, 200.0);
/// Écart vertical minimal entre deux étiquettes d'un même côté.
const LABEL_GAP: f64 = 13.0;

/// Les articles du graphe, dans l'ordre d'apparition, et leur place sur le
/// cercle : les articles d'une même règle restent voisins.
fn network_layout(summary: &BasketSummary) -> Vec<(String, f64, f64)> {
    let mut items: Vec<&str> = Vec::new();
    for rule in &summary.network {
        for item in rule.antecedents.iter().chain(&rule.consequents) {
            if !items.contains(&item.as_str()) {
                items.push(item);
            }
        }
    }
    let (cx, cy, radius) = NETWORK_CIRCLE;
    let n = items.len().max(1) as f64;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let angle = 2.0 * PI * i as f64 / n - PI / 2.0;
            (
                item.to_string(),
                cx + radius * angle.cos(),
                cy + radius * angle.sin(),
            )
        })
        .collect()
}

/// Les nœuds dont l'étiquette s'écrit : de haut en bas de chaque côté, une
/// étiquette trop près de la précédente (moins de 13 pixels) est omise — la
/// bulle du nœud donne son nom. Aucune étiquette n'en chevauche une autre.
fn labelled(layout: &[(String, f64, f64)]) -> Vec<bool> {
    let (cx, _, _) = NETWORK_CIRCLE;
    let mut shown = vec![false; layout.len()];
    for right_side in [false, true] {
        let mut side: Vec<usize> = (0..layout.len())
            .filter(|&i| (layout[i].1 >= cx) == right_side)
            .collect();
        side.sort_by(|&a, &b| layout[a].2.total_cmp(&layout[b].2));
        let mut last = f64::NEG_INFINITY;
        for i in side {
            if layout[i].2 - last >= LABEL_GAP {
                shown[i] = true;
                last = layout[i].2;
            }
        }
    }
    shown
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
        let mut tips: Vec<TipPoint> = network_layout(&for_tips)
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
            let rules = &summary.network;
            let layout = network_layout(&summary);
            if layout.is_empty() {
                return;
            }
            let (cx, _, _) = NETWORK_CIRCLE;
            let position = |item: &str| {
                layout
                    .iter()
                    .find(|(name, _, _)| name == item)
                    .map_or((cx, 0.0), |&(_, x, y)| (x, y))
            };
            let (lo, hi) = rules.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), r| (lo.min(r.metrics.lift), hi.max(r.metrics.lift)));
            for rule in rules.iter().rev() {
                let colour = lift_colour(rule.metrics.lift, lo, hi);
                let width = 1 + (3.0 * (rule.metrics.lift - lo) / (hi - lo).max(1e-9)) as u32;
                for a in &rule.antecedents {
                    for c in &rule.consequents {
                        let (x0, y0) = position(a);
                        let (x1, y1) = position(c);
                        let style = colour.mix(0.8).stroke_width(width);
                        let _ = root.draw(&PathElement::new(vec![(x0 as i32, y0 as i32), (x1 as i32, y1 as i32)], style));
                        // Pointe de flèche près du conséquent.
                        let (dx, dy) = (x1 - x0, y1 - y0);
                        let length = (dx * dx + dy * dy).sqrt().max(1.0);
                        let (ux, uy) = (dx / length, dy / length);
                        let tip = (x1 - ux * 9.0, y1 - uy * 9.0);
                        let left = (tip.0 - ux * 9.0 - uy * 5.0, tip.1 - uy * 9.0 + ux * 5.0);
                        let right = (tip.0 - ux * 9.0 + uy * 5.0, tip.1 - uy * 9.0 - ux * 5.0);
                        let _ = root.draw(&Polygon::new(
                            vec![(tip.0 as i32, tip.1 as i32), (left.0 as i32, left.1 as i32), (right.0 as i32, right.1 as i32)],
                            colour.filled(),
                        ));
                    }
                }
            }
            let shown = labelled(&layout);
            for ((item, x, y), shown) in layout.iter().zip(shown) {
                let (x, y) = (*x, *y);
                let _ = root.draw(&Circle::new((x as i32, y as i32), 6, RGBColor(29, 42, 47).filled()));
                if !shown {
                    continue;
                }
                // Un nom long est coupé (…) ; la bulle le donne en entier.
                let mut short: String = item.chars().take(24).collect();
                if item.chars().count() > 24 {
                    short.push('…');
                }
                let right_side = x >= cx;
                let anchor_x = if right_side { x + 9.0 } else { x - 9.0 - 6.2 * short.chars().count() as f64 };
                let _ = root.draw(&Text::new(short, (anchor_x as i32, y as i32 - 6), (FONT, 11).into_font().color(&BLACK)));
            }
        } />
        </PointTooltip>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Un cercle de `n` articles, comme `network_layout` le dessine.
    fn circle(n: usize) -> Vec<(String, f64, f64)> {
        let (cx, cy, radius) = NETWORK_CIRCLE;
        (0..n)
            .map(|i| {
                let angle = 2.0 * PI * i as f64 / n as f64 - PI / 2.0;
                (
                    format!("article {i}"),
                    cx + radius * angle.cos(),
                    cy + radius * angle.sin(),
                )
            })
            .collect()
    }

    #[test]
    fn labels_never_overlap_on_either_side() {
        for n in [1, 2, 7, 20, 40, 97] {
            let layout = circle(n);
            let shown = labelled(&layout);
            for right_side in [false, true] {
                let mut ys: Vec<f64> = layout
                    .iter()
                    .zip(&shown)
                    .filter(|((_, x, _), shown)| **shown && (*x >= NETWORK_CIRCLE.0) == right_side)
                    .map(|((_, _, y), _)| *y)
                    .collect();
                ys.sort_by(f64::total_cmp);
                assert!(
                    ys.windows(2).all(|w| w[1] - w[0] >= LABEL_GAP),
                    "{n} articles"
                );
            }
            // Peu d'articles : tous nommés.
            if n <= 7 {
                assert!(shown.iter().all(|s| *s), "{n} articles");
            }
        }
    }
}
