//! Graphiques 2D de la segmentation, dessinés par plotters sur un `<canvas>` :
//! carte R × F du montant moyen, clients par segment, histogrammes.

use leptos::prelude::*;
// La géométrie des graphiques est celle que `panier_charts` dessine : les
// bulles la reprennent.
use panier_charts::segment_plot_area as plot_area;
use panier_charts::{HISTOGRAM_MARGIN, HISTOGRAM_SIZE, HISTOGRAM_Y_LABELS};
use panier_core::rfm::segments::segment_label;
use panier_core::rfm::stats::HISTOGRAM_BINS;
use panier_core::Lang;
use plotters::prelude::*;

use super::RfmModel;
use crate::components::plot::{BarTooltip, PlotCanvas, PointTooltip, TipPoint};
use crate::format;
use crate::i18n::segmentation::segmentation_texts;

/// Géométrie de la carte et des barres (celle que `panier_charts`
/// dessine), pour les bulles.
const CHART_SIZE: (u32, u32) = panier_charts::SEGMENT_CHART_SIZE;
const CHART_MARGIN: u32 = panier_charts::SEGMENT_CHART_MARGIN;
const HEATMAP_LABELS: u32 = panier_charts::HEATMAP_LABELS;
const BARS_X_LABELS: u32 = panier_charts::BARS_X_LABELS;
const BARS_Y_LABELS: u32 = panier_charts::BARS_Y_LABELS;

/// Les cases de la carte R × F, avec leur bulle (case vide : pas de bulle).
fn heatmap_tips(model: &RfmModel, lang: Lang) -> Vec<TipPoint> {
    let k = f64::from(model.table.levels.max(1));
    let (left, right, top, bottom) = plot_area(HEATMAP_LABELS, HEATMAP_LABELS);
    let (cell_w, cell_h) = ((right - left) / k, (bottom - top) / k);
    let t = segmentation_texts(lang);
    let mut tips = Vec::new();
    for (r, row) in model.charts.heatmap.iter().enumerate() {
        for (f, cell) in row.iter().enumerate() {
            let Some(value) = cell else { continue };
            tips.push(TipPoint {
                x: left + (f as f64 + 0.5) * cell_w,
                y: bottom - (r as f64 + 0.5) * cell_h,
                half: (cell_w * 0.48, cell_h * 0.48),
                text: format!(
                    "R {} · F {}{} {} {}",
                    r + 1,
                    f + 1,
                    format::colon(lang),
                    t.heatmap_tip,
                    format::money(lang, *value)
                ),
            });
        }
    }
    // Colonne par colonne, de haut en bas : l'ordre de lecture.
    tips.sort_by(|a, b| a.x.total_cmp(&b.x).then(a.y.total_cmp(&b.y)));
    tips
}

/// Les barres des segments (nom compris), avec leur bulle.
fn bars_tips(model: &RfmModel, lang: Lang) -> Vec<TipPoint> {
    let counts = model.counts();
    let n = counts.len().max(1) as f64;
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.15;
    let total = counts.iter().map(|&c| u64::from(c)).sum::<u64>().max(1) as f64;
    let (left, right, top, bottom) = plot_area(BARS_Y_LABELS, BARS_X_LABELS);
    let t = segmentation_texts(lang);
    let slot = (bottom - top) / n;
    counts
        .iter()
        .enumerate()
        .map(|(i, &count)| {
            let end = left + f64::from(count) / max * (right - left);
            let from = f64::from(CHART_MARGIN);
            TipPoint {
                x: (from + end) / 2.0,
                y: top + (i as f64 + 0.5) * slot,
                half: ((end - from) / 2.0, slot / 2.0),
                text: format!(
                    "{}{} {} ({})",
                    model
                        .names
                        .get(i)
                        .map(|name| segment_label(name, lang))
                        .unwrap_or_default(),
                    format::colon(lang),
                    format::counted(lang, u64::from(count), t.customer_one, t.customer_many),
                    format::percent(lang, f64::from(count) / total),
                ),
            }
        })
        .collect()
}

/// Carte R × F : montant moyen par case, couleur en échelle logarithmique.
#[component]
pub fn MonetaryHeatmap(
    model: Memo<Option<std::sync::Arc<RfmModel>>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let state = expect_context::<crate::state::AppState>();
    let label = Signal::derive(move || segmentation_texts(lang.get()).heatmap_title.to_string());
    let (width, height) = CHART_SIZE;
    let tips = move || {
        model
            .get()
            .map(|model| heatmap_tips(&model, lang.get()))
            .unwrap_or_default()
    };
    view! {
        <PointTooltip width=width height=height testid="rfm-heatmap-tip" points=tips>
        <PlotCanvas width=width height=height label=label testid="rfm-heatmap" draw=move |root| {
            let (Some(model), lang) = (model.get(), lang.get()) else { return };
            panier_charts::monetary_heatmap(root, &model.charts.heatmap, model.table.levels, lang, state.display_currency());
        } />
        </PointTooltip>
    }
}

/// Clients par segment, en barres horizontales aux couleurs des segments.
#[component]
pub fn SegmentBars(
    model: Memo<Option<std::sync::Arc<RfmModel>>>,
    lang: RwSignal<Lang>,
) -> impl IntoView {
    let label = Signal::derive(move || segmentation_texts(lang.get()).bars_title.to_string());
    let (width, height) = CHART_SIZE;
    let tips = move || {
        model
            .get()
            .map(|model| bars_tips(&model, lang.get()))
            .unwrap_or_default()
    };
    view! {
        <PointTooltip width=width height=height testid="rfm-bars-tip" points=tips>
        <PlotCanvas width=width height=height label=label testid="rfm-bars" draw=move |root| {
            let (Some(model), lang) = (model.get(), lang.get()) else { return };
            let bars: Vec<(String, u32, RGBColor)> = model
                .counts()
                .into_iter()
                .enumerate()
                .map(|(i, count)| {
                    let name = model.names.get(i).map(|name| segment_label(name, lang)).unwrap_or_default();
                    (name, count, model.colour(i))
                })
                .collect();
            panier_charts::segment_bars(root, &bars, lang);
        } />
        </PointTooltip>
    }
}

/// Histogrammes de la récence, de la fréquence et du montant.
#[component]
pub fn RfmHistograms(
    model: Memo<Option<std::sync::Arc<RfmModel>>>,
    lang: RwSignal<Lang>,
    log_scale: RwSignal<bool>,
) -> impl IntoView {
    let one = move |axis: usize| {
        let label = Signal::derive(move || {
            let t = segmentation_texts(lang.get());
            [t.axis_recency, t.axis_frequency, t.axis_monetary][axis].to_string()
        });
        // La bulle d'une barre : sa classe et son effectif.
        let tip = move |index: usize| {
            let (Some(model), lang, log) = (model.get(), lang.get(), log_scale.get()) else {
                return String::new();
            };
            let t = segmentation_texts(lang);
            let h = &model.charts.histograms[axis][usize::from(log && axis > 0)];
            let (Some(from), Some(to), Some(&count)) = (
                h.edges.get(index),
                h.edges.get(index + 1),
                h.counts.get(index),
            ) else {
                return String::new();
            };
            format!(
                "{} – {}{} {}",
                format::short(lang, *from),
                format::short(lang, *to),
                format::colon(lang),
                format::counted(lang, u64::from(count), t.customer_one, t.customer_many),
            )
        };
        // Le canvas et son bouton « image » restent ensemble quand la
        // rangée passe à la ligne.
        view! {
            <div class="histogram">
            <BarTooltip bars=HISTOGRAM_BINS width=HISTOGRAM_SIZE.0 left=HISTOGRAM_MARGIN + HISTOGRAM_Y_LABELS right=HISTOGRAM_SIZE.0 - HISTOGRAM_MARGIN
                testid=format!("rfm-histogram-{axis}-tip") text=tip>
            <PlotCanvas width=HISTOGRAM_SIZE.0 height=HISTOGRAM_SIZE.1 label=label testid=format!("rfm-histogram-{axis}") draw=move |root| {
                let (Some(model), lang, log) = (model.get(), lang.get(), log_scale.get()) else { return };
                let log = log && axis > 0;
                panier_charts::histogram(root, &model.charts.histograms[axis][usize::from(log)], axis, log, lang);
            } />
            </BarTooltip>
            </div>
        }
    };
    view! { <div class="histograms">{one(0)}{one(1)}{one(2)}</div> }
}
