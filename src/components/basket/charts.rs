//! Graphiques des règles : nuage support × confiance coloré par le lift
//! (comme arulesViz), et graphe des articles reliés par les règles les plus
//! fortes.

use std::f64::consts::PI;
use std::sync::Arc;

use leptos::prelude::*;
use panier_core::basket::analysis::BasketSummary;
use panier_core::Lang;
use plotters::prelude::*;

use crate::components::plot::{PlotCanvas, FONT};
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

/// Nuage support × confiance.
#[component]
pub fn RuleScatter(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    let label = Signal::derive(move || recommendation_texts(lang.get()).scatter_title.to_string());
    view! {
        <PlotCanvas width=560 height=400 label=label testid="rule-scatter" draw=move |root| {
            let lang = lang.get();
            let t = recommendation_texts(lang);
            let points = &summary.scatter;
            if points.is_empty() {
                return;
            }
            let (s_min, s_max, lift_lo, lift_hi) = points.iter().fold(
                (f64::INFINITY, 0.0f64, f64::INFINITY, 0.0f64),
                |(s_lo, s_hi, lo, hi), &(support, _, lift)| (s_lo.min(support), s_hi.max(support), lo.min(lift), hi.max(lift)),
            );
            // L'axe du support commence au plus petit support des règles (le
            // support minimal, 2 % par défaut), pas à 0 : les points ne
            // s'entassent plus à gauche.
            let pad = ((s_max - s_min) * 0.05).max(s_max * 0.01).max(1e-6);
            let Ok(mut chart) = ChartBuilder::on(root)
                .margin(12)
                .x_label_area_size(40)
                // Assez large pour « 100,0 % » et le titre de l'axe sans
                // chevauchement.
                .y_label_area_size(76)
                .build_cartesian_2d((s_min - pad).max(0.0)..s_max + pad, 0f64..1.02)
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
    }
}

/// Graphe des articles : un nœud par article des règles les plus fortes,
/// une flèche par paire antécédent → conséquent.
#[component]
pub fn RuleNetwork(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    let label = Signal::derive(move || recommendation_texts(lang.get()).network_title.to_string());
    view! {
        <PlotCanvas width=720 height=560 label=label testid="rule-network" draw=move |root| {
            let _ = lang.get();
            let rules = &summary.network;
            let mut items: Vec<&str> = Vec::new();
            for rule in rules {
                for item in rule.antecedents.iter().chain(&rule.consequents) {
                    if !items.contains(&item.as_str()) {
                        items.push(item);
                    }
                }
            }
            if items.is_empty() {
                return;
            }
            // Disposition en cercle, dans l'ordre d'apparition : les articles
            // d'une même règle restent voisins.
            let (cx, cy, radius) = (360.0, 280.0, 200.0);
            let position = |item: &str| {
                let i = items.iter().position(|x| *x == item).unwrap_or(0);
                let angle = 2.0 * PI * i as f64 / items.len() as f64 - PI / 2.0;
                (cx + radius * angle.cos(), cy + radius * angle.sin())
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
            for item in &items {
                let (x, y) = position(item);
                let _ = root.draw(&Circle::new((x as i32, y as i32), 6, RGBColor(29, 42, 47).filled()));
                let short: String = item.chars().take(26).collect();
                let right_side = x >= cx;
                let anchor_x = if right_side { x + 9.0 } else { x - 9.0 - 6.2 * short.chars().count() as f64 };
                let _ = root.draw(&Text::new(short, (anchor_x as i32, y as i32 - 6), (FONT, 11).into_font().color(&BLACK)));
            }
        } />
    }
}
