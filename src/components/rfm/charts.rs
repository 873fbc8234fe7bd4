//! Graphiques 2D de la segmentation, dessinés par plotters sur un `<canvas>` :
//! carte R × F du montant moyen, clients par segment, histogrammes.

use leptos::prelude::*;
use panier_core::rfm::segments::segment_label;
use panier_core::rfm::stats::HISTOGRAM_BINS;
use panier_core::Lang;
use plotters::prelude::*;

use super::RfmModel;
use crate::components::plot::{BarTooltip, PlotCanvas, PointTooltip, TipPoint, FONT};
use crate::format;
use crate::i18n::segmentation::segmentation_texts;

/// Géométrie commune de la carte et des barres (canvas de 460 × 400) : le
/// dessin et les bulles la partagent.
const CHART_SIZE: (u32, u32) = (460, 400);
const CHART_MARGIN: u32 = 10;
const HEATMAP_LABELS: u32 = 36;
const BARS_X_LABELS: u32 = 30;
const BARS_Y_LABELS: u32 = 150;

/// La zone de tracé (gauche, droite, haut, bas) en pixels du canvas.
fn plot_area(left_labels: u32, bottom_labels: u32) -> (f64, f64, f64, f64) {
    let (width, height) = CHART_SIZE;
    (
        f64::from(CHART_MARGIN + left_labels),
        f64::from(width - CHART_MARGIN),
        f64::from(CHART_MARGIN),
        f64::from(height - CHART_MARGIN - bottom_labels),
    )
}

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
            let cells = &model.charts.heatmap;
            let k = model.table.levels as i32;
            let values: Vec<f64> = cells.iter().flatten().flatten().copied().collect();
            let (lo, hi) = values.iter().fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
            let Ok(mut chart) = ChartBuilder::on(root)
                .margin(CHART_MARGIN)
                .x_label_area_size(HEATMAP_LABELS)
                .y_label_area_size(HEATMAP_LABELS)
                .build_cartesian_2d(0.5f64..k as f64 + 0.5, 0.5f64..k as f64 + 0.5)
            else { return };
            let _ = chart
                .configure_mesh()
                .disable_mesh()
                .x_labels(k as usize)
                .y_labels(k as usize)
                .x_desc("F")
                .y_desc("R")
                .x_label_formatter(&|v| format!("{}", v.round()))
                .y_label_formatter(&|v| format!("{}", v.round()))
                .label_style((FONT, 13))
                .draw();
            let shade = |value: f64| {
                let position = if hi > lo && lo > 0.0 { (value.ln() - lo.ln()) / (hi.ln() - lo.ln()) } else { 0.5 };
                // Du sable clair au vert de la marque.
                let mix = |a: f64, b: f64| (a + (b - a) * position) as u8;
                RGBColor(mix(246.0, 31.0), mix(240.0, 111.0), mix(220.0, 92.0))
            };
            for (r, row) in cells.iter().enumerate() {
                for (f, cell) in row.iter().enumerate() {
                    let (x, y) = (f as f64 + 1.0, r as f64 + 1.0);
                    let Some(value) = cell else { continue };
                    let _ = chart.draw_series(std::iter::once(Rectangle::new(
                        [(x - 0.48, y - 0.48), (x + 0.48, y + 0.48)],
                        shade(*value).filled(),
                    )));
                    let dark = (value.ln() - lo.ln()) > 0.55 * (hi.ln() - lo.ln());
                    let colour = if dark { WHITE } else { BLACK };
                    let text = format::count(lang, value.round() as u64);
                    let _ = chart.draw_series(std::iter::once(Text::new(
                        text,
                        (x - 0.3, y + 0.08),
                        (FONT, 12).into_font().color(&colour),
                    )));
                }
            }
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
            let counts = model.counts();
            let n = counts.len();
            let max = counts.iter().copied().max().unwrap_or(1).max(1);
            let labels: Vec<String> = model.names.iter().map(|name| segment_label(name, lang)).collect();
            let Ok(mut chart) = ChartBuilder::on(root)
                .margin(CHART_MARGIN)
                .x_label_area_size(BARS_X_LABELS)
                .y_label_area_size(BARS_Y_LABELS)
                .build_cartesian_2d(0f64..max as f64 * 1.15, -0.5f64..n as f64 - 0.5)
            else { return };
            let _ = chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(n)
                .y_label_formatter(&|v| {
                    let i = v.round();
                    if (v - i).abs() < 0.01 && i >= 0.0 {
                        labels.get(n - 1 - i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .x_label_formatter(&|v| format!("{v:.0}"))
                .label_style((FONT, 12))
                .draw();
            for (i, count) in counts.iter().enumerate() {
                let y = (n - 1 - i) as f64;
                let _ = chart.draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.38), (*count as f64, y + 0.38)],
                    model.colour(i).filled(),
                )));
                let _ = chart.draw_series(std::iter::once(Text::new(
                    format::count(lang, u64::from(*count)),
                    (*count as f64 + max as f64 * 0.01, y + 0.2),
                    (FONT, 12),
                )));
            }
        } />
        </PointTooltip>
    }
}

/// Marge des histogrammes, et largeur de leurs graduations verticales : la
/// géométrie que partagent le dessin et les bulles.
const HISTOGRAM_MARGIN: u32 = 8;
const HISTOGRAM_Y_LABELS: u32 = 40;

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
            <BarTooltip bars=HISTOGRAM_BINS width=320 left=HISTOGRAM_MARGIN + HISTOGRAM_Y_LABELS right=320 - HISTOGRAM_MARGIN
                testid=format!("rfm-histogram-{axis}-tip") text=tip>
            <PlotCanvas width=320 height=220 label=label testid=format!("rfm-histogram-{axis}") draw=move |root| {
                let (Some(model), lang, log) = (model.get(), lang.get(), log_scale.get()) else { return };
                let t = segmentation_texts(lang);
                let log = log && axis > 0;
                let h = &model.charts.histograms[axis][usize::from(log)];
                let max = h.counts.iter().copied().max().unwrap_or(1).max(1);
                let position = |edge: f64| if log { (1.0 + edge).log10() } else { edge };
                let (x0, x1) = (position(h.edges[0]), position(*h.edges.last().unwrap_or(&1.0)));
                let title = [t.axis_recency, t.axis_frequency, t.axis_monetary][axis];
                let Ok(mut chart) = ChartBuilder::on(root)
                    .margin(HISTOGRAM_MARGIN)
                    .caption(title, (FONT, 14))
                    .x_label_area_size(24)
                    .y_label_area_size(HISTOGRAM_Y_LABELS)
                    .build_cartesian_2d(x0..x1.max(x0 + 1e-9), 0f64..max as f64 * 1.05)
                else { return };
                let _ = chart
                    .configure_mesh()
                    .disable_x_mesh()
                    .x_labels(5)
                    .y_labels(4)
                    .x_label_formatter(&|v| {
                        let value = if log { 10f64.powf(*v) - 1.0 } else { *v };
                        format::short(lang, value)
                    })
                    .y_label_formatter(&|v| format!("{v:.0}"))
                    .label_style((FONT, 11))
                    .draw();
                let colour = [RGBColor(31, 111, 92), RGBColor(80, 160, 220), RGBColor(240, 140, 60)][axis];
                let _ = chart.draw_series(h.counts.iter().enumerate().map(|(i, &count)| {
                    Rectangle::new(
                        [(position(h.edges[i]), 0.0), (position(h.edges[i + 1]), f64::from(count))],
                        colour.mix(0.85).filled(),
                    )
                }));
            } />
            </BarTooltip>
            </div>
        }
    };
    view! { <div class="histograms">{one(0)}{one(1)}{one(2)}</div> }
}
