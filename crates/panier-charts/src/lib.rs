//! Les graphiques de Panier, dessinés par plotters sur **n'importe quel
//! backend** : le `<canvas>` de l'application, ou un document SVG (le
//! téléchargement « SVG » d'un graphique, et les fichiers de
//! `panier analyze --figures`). Un seul dessin par graphique : l'écran, le
//! fichier de l'application et celui de la CLI sont le même graphique.
//!
//! La géométrie de chaque graphique (taille, marges, place des graduations)
//! est publique : l'application en tire la position des barres, des cases et
//! des points pour ses bulles d'information, sans refaire le calcul.
//!
//! Aucune dépendance web : le texte passe par le backend (le canvas mesure
//! ses textes ; en SVG, la mise en page est une estimation et le lecteur du
//! fichier dessine la police).

use std::f64::consts::PI;

use panier_core::basket::query::RuleRow;
use panier_core::clv::validation::ClvValidation;
use panier_core::numbers::{self, Currency};
use panier_core::overview::MonthStats;
use panier_core::rfm::segments::{segment_label, DefaultSegment, SegmentGrid};
use panier_core::rfm::stats::{rfm_charts, Histogram};
use panier_core::session::Session;
use panier_core::Lang;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Police des graphiques : celle du système.
pub const FONT: &str = "sans-serif";

/// Vert de la marque.
const BRAND: RGBColor = RGBColor(31, 111, 92);

/// Les libellés que les graphiques dessinent eux-mêmes.
pub struct Labels {
    /// Légende des clients revenus (graphique mensuel des clients).
    pub returning: &'static str,
    /// Légende des nouveaux clients.
    pub new: &'static str,
    /// Titres des trois histogrammes (récence, fréquence, montant).
    pub axes: [&'static str; 3],
    /// Titre de l'axe du support (nuage des règles).
    pub support: &'static str,
    /// Titre de l'axe de la confiance.
    pub confidence: &'static str,
    /// Titre de l'axe des groupes de clients (valeur client).
    pub repeat_purchases: &'static str,
    /// Légende des achats prévus.
    pub predicted: &'static str,
    /// Légende des achats réels.
    pub actual: &'static str,
}

/// Les libellés dans une langue.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Fr => &Labels {
            returning: "revenus",
            new: "nouveaux",
            axes: ["Récence (jours)", "Fréquence", "Montant"],
            support: "Support",
            confidence: "Confiance",
            repeat_purchases: "Achats répétés pendant l'apprentissage",
            predicted: "prévus",
            actual: "réels",
        },
        Lang::En => &Labels {
            returning: "returning",
            new: "new",
            axes: ["Recency (days)", "Frequency", "Monetary"],
            support: "Support",
            confidence: "Confidence",
            repeat_purchases: "Repeat purchases while learning",
            predicted: "predicted",
            actual: "actual",
        },
    }
}

/// Dessine `draw` dans un document SVG de cette taille, sur fond blanc.
pub fn svg(size: (u32, u32), draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>)) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw(&root);
        let _ = root.present();
    }
    out
}

// ---------------------------------------------------------------------------
// Mois : chiffre d'affaires, clients nouveaux et revenus.

/// Taille des deux graphiques mensuels.
pub const MONTHLY_SIZE: (u32, u32) = (520, 300);
/// Leur marge.
pub const MONTHLY_MARGIN: u32 = 10;
/// Largeur des graduations verticales du chiffre d'affaires.
pub const REVENUE_Y_LABELS: u32 = 56;
/// … et de celles des clients.
pub const CUSTOMERS_Y_LABELS: u32 = 48;

/// L'étiquette du mois à la position `v` d'un axe de mois.
fn month_tick(months: &[MonthStats], lang: Lang, v: f64) -> String {
    let index = v.round();
    if index < 0.0 {
        return String::new();
    }
    months
        .get(index as usize)
        .map(|m| numbers::month_tick(lang, &m.month))
        .unwrap_or_default()
}

/// Les axes d'un graphique mensuel : un mois par barre, de 0 à `top`, les
/// graduations verticales mises en forme par `y_label`.
fn month_axes<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    months: &[MonthStats],
    lang: Lang,
    y_labels: u32,
    top: f64,
    y_label: &dyn Fn(&f64) -> String,
    legend_band: u32,
) -> Option<ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>> {
    let n = months.len();
    let mut chart = ChartBuilder::on(root)
        .margin(MONTHLY_MARGIN)
        // Une bande au-dessus du tracé pour la légende : aucune ligne de
        // la grille ne la traverse.
        .margin_top(MONTHLY_MARGIN + legend_band)
        .x_label_area_size(40)
        .y_label_area_size(y_labels)
        .build_cartesian_2d(-0.5f64..n as f64 - 0.5, 0f64..top)
        .ok()?;
    let _ = chart
        .configure_mesh()
        .disable_x_mesh()
        .y_max_light_lines(0)
        .x_labels(n.min(13))
        .x_label_formatter(&|v| month_tick(months, lang, *v))
        .y_label_formatter(y_label)
        .label_style((FONT, 11))
        .draw();
    // L'année sur une seconde ligne, sous le premier mois et sous chaque
    // janvier : elle ne déborde plus sur les mois voisins.
    for (i, month) in months.iter().enumerate() {
        if i == 0 || month.month.ends_with("-01") {
            let (x, y) = chart.backend_coord(&(i as f64, 0.0));
            let year = month.month.get(..4).unwrap_or_default().to_string();
            axis_text(root, year, (x, y + 20));
        }
    }
    Some(chart)
}

/// Un texte sous l'axe horizontal, centré sur `at` (en pixels) : les
/// graduations que le graphique pose lui-même (années, puissances de 10).
fn axis_text<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, text: String, at: (i32, i32)) {
    let style = TextStyle::from((FONT, 11).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
    let _ = root.draw(&Text::new(text, at, style));
}

/// Chiffre d'affaires par mois. Un mois incomplet (données commencées ou
/// arrêtées en cours de mois) est dessiné plus clair : sa baisse n'en est
/// pas une.
pub fn monthly_revenue<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    months: &[MonthStats],
    lang: Lang,
    currency: Option<Currency>,
) {
    if months.is_empty() {
        return;
    }
    let max = months
        .iter()
        .map(|m| m.revenue)
        .fold(0.0f64, f64::max)
        .max(1.0);
    let y_label = |v: &f64| numbers::money_short(lang, *v, currency);
    let Some(mut chart) = month_axes(root, months, lang, REVENUE_Y_LABELS, max * 1.1, &y_label, 0)
    else {
        return;
    };
    let _ = chart.draw_series(months.iter().enumerate().map(|(i, m)| {
        let colour = if m.partial {
            BRAND.mix(0.35)
        } else {
            BRAND.mix(1.0)
        };
        Rectangle::new(
            [(i as f64 - 0.38, 0.0), (i as f64 + 0.38, m.revenue)],
            colour.filled(),
        )
    }));
}

/// Hauteur de la bande de légende au-dessus d'un tracé, en pixels.
const LEGEND_BAND: u32 = 22;

/// Clients nouveaux et revenus par mois, en barres empilées.
pub fn new_vs_returning<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    months: &[MonthStats],
    lang: Lang,
) {
    if months.is_empty() {
        return;
    }
    let t = labels(lang);
    let max = months
        .iter()
        .map(|m| m.new_customers + m.returning_customers)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let y_label = |v: &f64| numbers::short(lang, *v);
    let Some(mut chart) = month_axes(
        root,
        months,
        lang,
        CUSTOMERS_Y_LABELS,
        max * 1.15,
        &y_label,
        LEGEND_BAND,
    ) else {
        return;
    };
    let new = RGBColor(244, 190, 60);
    let _ = chart.draw_series(months.iter().enumerate().map(|(i, m)| {
        Rectangle::new(
            [
                (i as f64 - 0.38, 0.0),
                (i as f64 + 0.38, m.returning_customers as f64),
            ],
            BRAND.filled(),
        )
    }));
    let _ = chart.draw_series(months.iter().enumerate().map(|(i, m)| {
        let base = m.returning_customers as f64;
        Rectangle::new(
            [
                (i as f64 - 0.38, base),
                (i as f64 + 0.38, base + m.new_customers as f64),
            ],
            new.filled(),
        )
    }));
    let _ = root.draw(&Rectangle::new([(70, 12), (82, 24)], BRAND.filled()));
    let _ = root.draw(&Text::new(t.returning, (86, 12), (FONT, 12)));
    let _ = root.draw(&Rectangle::new([(170, 12), (182, 24)], new.filled()));
    let _ = root.draw(&Text::new(t.new, (186, 12), (FONT, 12)));
}

// ---------------------------------------------------------------------------
// Segmentation : carte R × F, barres des segments, histogrammes.

/// Taille de la carte et des barres.
pub const SEGMENT_CHART_SIZE: (u32, u32) = (460, 400);
/// Leur marge.
pub const SEGMENT_CHART_MARGIN: u32 = 10;
/// Graduations de la carte (des deux côtés).
pub const HEATMAP_LABELS: u32 = 36;
/// Graduations horizontales des barres.
pub const BARS_X_LABELS: u32 = 30;
/// Place des noms de segments, à gauche des barres.
pub const BARS_Y_LABELS: u32 = 150;

/// La zone de tracé (gauche, droite, haut, bas) en pixels d'un graphique de
/// segmentation, selon la place de ses graduations.
pub fn segment_plot_area(left_labels: u32, bottom_labels: u32) -> (f64, f64, f64, f64) {
    let (width, height) = SEGMENT_CHART_SIZE;
    (
        f64::from(SEGMENT_CHART_MARGIN + left_labels),
        f64::from(width - SEGMENT_CHART_MARGIN),
        f64::from(SEGMENT_CHART_MARGIN),
        f64::from(height - SEGMENT_CHART_MARGIN - bottom_labels),
    )
}

/// Couleurs des segments par défaut (du meilleur au moins bon), puis des
/// segments personnalisés.
const DEFAULT_COLOURS: [RGBColor; 11] = [
    RGBColor(31, 111, 92),   // Champions : vert de la marque
    RGBColor(74, 163, 120),  // Loyal Customers
    RGBColor(140, 200, 110), // Potential Loyalists
    RGBColor(80, 160, 220),  // New Customers
    RGBColor(120, 110, 210), // Promising
    RGBColor(244, 190, 60),  // Need Attention
    RGBColor(240, 140, 60),  // About to Sleep
    RGBColor(215, 70, 60),   // At Risk
    RGBColor(160, 30, 80),   // Can't Lose Them
    RGBColor(130, 130, 140), // Hibernating
    RGBColor(70, 70, 80),    // Lost
];

const CUSTOM_COLOURS: [RGBColor; 6] = [
    RGBColor(0, 150, 170),
    RGBColor(200, 90, 170),
    RGBColor(150, 110, 60),
    RGBColor(90, 120, 40),
    RGBColor(40, 60, 150),
    RGBColor(230, 100, 120),
];

/// Couleur du segment `names[index]` : fixe pour un segment par défaut,
/// tournante pour un nom de l'utilisateur.
pub fn segment_colour(names: &[String], index: usize) -> RGBColor {
    let name = names.get(index).map(String::as_str).unwrap_or_default();
    if let Some(position) = DefaultSegment::ALL
        .iter()
        .position(|segment| segment.name() == name)
    {
        return DEFAULT_COLOURS[position];
    }
    let custom_rank = names[..index.min(names.len())]
        .iter()
        .filter(|n| DefaultSegment::from_name(n).is_none())
        .count();
    CUSTOM_COLOURS[custom_rank % CUSTOM_COLOURS.len()]
}

/// Carte R × F : montant moyen par case (`cells[r][f]`, R et F de 1 à
/// `levels`), couleur en échelle logarithmique.
pub fn monetary_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    cells: &[Vec<Option<f64>>],
    levels: u8,
    lang: Lang,
    currency: Option<Currency>,
) {
    let k = i32::from(levels);
    let values: Vec<f64> = cells.iter().flatten().flatten().copied().collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    let Ok(mut chart) = ChartBuilder::on(root)
        .margin(SEGMENT_CHART_MARGIN)
        .x_label_area_size(HEATMAP_LABELS)
        .y_label_area_size(HEATMAP_LABELS)
        .build_cartesian_2d(0.5f64..k as f64 + 0.5, 0.5f64..k as f64 + 0.5)
    else {
        return;
    };
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
        let position = if hi > lo && lo > 0.0 {
            (value.ln() - lo.ln()) / (hi.ln() - lo.ln())
        } else {
            0.5
        };
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
            // Un montant : court et dans sa devise (« 1,2 k€ », « £350 »).
            let text = numbers::money_short(lang, *value, currency);
            let _ = chart.draw_series(std::iter::once(Text::new(
                text,
                (x - 0.3, y + 0.08),
                (FONT, 12).into_font().color(&colour),
            )));
        }
    }
}

/// Clients par segment (`(nom affiché, clients, couleur)`, du haut vers le
/// bas), en barres horizontales.
pub fn segment_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    bars: &[(String, u32, RGBColor)],
    lang: Lang,
) {
    let n = bars.len();
    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1);
    let Ok(mut chart) = ChartBuilder::on(root)
        .margin(SEGMENT_CHART_MARGIN)
        .x_label_area_size(BARS_X_LABELS)
        .y_label_area_size(BARS_Y_LABELS)
        .build_cartesian_2d(0f64..max as f64 * 1.15, -0.5f64..n as f64 - 0.5)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .disable_y_mesh()
        // Pas de lignes fines entre les graduations : elles formaient des
        // hachures serrées derrière les barres.
        .x_max_light_lines(0)
        .y_labels(n)
        .y_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 0.01 && i >= 0.0 && (i as usize) < n {
                bars.get(n - 1 - i as usize)
                    .map(|b| b.0.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .x_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 12))
        .draw();
    for (i, (_, count, colour)) in bars.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let _ = chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.38), (f64::from(*count), y + 0.38)],
            colour.filled(),
        )));
        let _ = chart.draw_series(std::iter::once(Text::new(
            numbers::count(lang, u64::from(*count)),
            (f64::from(*count) + max as f64 * 0.01, y + 0.2),
            (FONT, 12),
        )));
    }
}

/// Taille d'un histogramme.
pub const HISTOGRAM_SIZE: (u32, u32) = (320, 220);
/// Sa marge.
pub const HISTOGRAM_MARGIN: u32 = 8;
/// Largeur de ses graduations verticales.
pub const HISTOGRAM_Y_LABELS: u32 = 40;

/// Histogramme de la récence (`axis` 0), de la fréquence (1) ou du montant
/// (2), en échelle logarithmique si `log` (classes de même largeur en
/// log10(1 + x)).
pub fn histogram<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    h: &Histogram,
    axis: usize,
    log: bool,
    lang: Lang,
) {
    let max = h.counts.iter().copied().max().unwrap_or(1).max(1);
    let position = |edge: f64| if log { (1.0 + edge).log10() } else { edge };
    let (Some(&first), Some(&last)) = (h.edges.first(), h.edges.last()) else {
        return;
    };
    let (x0, x1) = (position(first), position(last));
    let x1 = x1.max(x0 + 1e-9);
    // Graduations : en échelle logarithmique, 0 puis les puissances de 10
    // (« 10 », « 100 », « 1 k ») — les graduations « rondes » de log10(1 + x)
    // tombaient sur 9, 99, 999… ; sinon celles que plotters choisit.
    let ticks: Vec<(f64, f64)> = std::iter::once(0.0)
        .chain((0..16).map(|k| 10f64.powi(k)))
        .map(|value| (position(value), value))
        .filter(|&(p, _)| p >= x0 - 1e-9 && p <= x1 + 1e-9)
        .collect();
    let title = labels(lang).axes.get(axis).copied().unwrap_or_default();
    let Ok(mut chart) = ChartBuilder::on(root)
        .margin(HISTOGRAM_MARGIN)
        .caption(title, (FONT, 14))
        .x_label_area_size(24)
        .y_label_area_size(HISTOGRAM_Y_LABELS)
        .build_cartesian_2d(x0..x1, 0f64..max as f64 * 1.05)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .disable_x_mesh()
        // En échelle logarithmique, les graduations sont posées à la main
        // plus bas.
        .x_labels(if log { 0 } else { 5 })
        .y_labels(4)
        // Les lignes des graduations seules, sans hachures entre elles.
        .y_max_light_lines(0)
        .x_label_formatter(&|v| numbers::short(lang, *v))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .label_style((FONT, 11))
        .draw();
    if log {
        for &(p, value) in &ticks {
            let (x, y) = chart.backend_coord(&(p, 0.0));
            let _ = root.draw(&PathElement::new(vec![(x, y), (x, y + 4)], BLACK));
            axis_text(root, numbers::short(lang, value), (x, y + 6));
        }
    }
    let colour = [BRAND, RGBColor(80, 160, 220), RGBColor(240, 140, 60)]
        .get(axis)
        .copied()
        .unwrap_or(BRAND);
    let _ = chart.draw_series(
        h.counts
            .iter()
            .zip(h.edges.windows(2))
            .map(|(&count, edges)| {
                Rectangle::new(
                    [
                        (position(edges[0]), 0.0),
                        (position(edges[1]), f64::from(count)),
                    ],
                    colour.mix(0.85).filled(),
                )
            }),
    );
}

// ---------------------------------------------------------------------------
// Règles : nuage support × confiance, graphe des articles.

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

/// Taille du nuage des règles.
pub const SCATTER_SIZE: (u32, u32) = (560, 400);
/// Sa marge.
pub const SCATTER_MARGIN: u32 = 12;
/// Ses graduations horizontales.
pub const SCATTER_X_LABELS: u32 = 40;
/// Assez large pour « 100,0 % » et le titre de l'axe sans chevauchement.
pub const SCATTER_Y_LABELS: u32 = 76;
/// Le haut de l'axe des confiances.
pub const SCATTER_TOP: f64 = 1.02;

/// L'étendue des supports du nuage, et celle des lifts. L'axe du support
/// commence au plus petit support des règles (le support minimal, 2 % par
/// défaut), pas à 0 : les points ne s'entassent plus à gauche.
pub fn scatter_ranges(points: &[(f64, f64, f64)]) -> ((f64, f64), (f64, f64)) {
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

/// Nuage support × confiance des règles (`(support, confiance, lift)`),
/// coloré par le lift (comme arulesViz) ; les lifts forts par-dessus.
pub fn rule_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    points: &[(f64, f64, f64)],
    lang: Lang,
) {
    if points.is_empty() {
        return;
    }
    let t = labels(lang);
    let ((x0, x1), (lift_lo, lift_hi)) = scatter_ranges(points);
    let Ok(mut chart) = ChartBuilder::on(root)
        .margin(SCATTER_MARGIN)
        .x_label_area_size(SCATTER_X_LABELS)
        .y_label_area_size(SCATTER_Y_LABELS)
        .build_cartesian_2d(x0..x1, 0f64..SCATTER_TOP)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .x_desc(t.support)
        .y_desc(t.confidence)
        .x_label_formatter(&|v| numbers::percent(lang, *v))
        .y_label_formatter(&|v| numbers::percent(lang, *v))
        .label_style((FONT, 12))
        .light_line_style(BLACK.mix(0.05))
        .draw();
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.2.total_cmp(&b.2));
    let _ = chart.draw_series(sorted.iter().map(|&(support, confidence, lift)| {
        Circle::new(
            (support, confidence),
            3,
            lift_colour(lift, lift_lo, lift_hi).mix(0.85).filled(),
        )
    }));
    let legend = format!(
        "lift {} → {}",
        numbers::decimal(lang, lift_lo, 1),
        numbers::decimal(lang, lift_hi, 1)
    );
    let _ = root.draw(&Text::new(
        legend,
        (100, 16),
        (FONT, 12).into_font().color(&BLACK),
    ));
}

/// Taille du graphe des articles.
pub const NETWORK_SIZE: (u32, u32) = (720, 560);
/// Centre et rayon de son cercle.
pub const NETWORK_CIRCLE: (f64, f64, f64) = (360.0, 280.0, 200.0);
/// Écart vertical minimal entre deux étiquettes d'un même côté.
pub const LABEL_GAP: f64 = 13.0;

/// Les articles du graphe, dans l'ordre d'apparition, et leur place sur le
/// cercle : les articles d'une même règle restent voisins.
pub fn network_layout(rules: &[RuleRow]) -> Vec<(String, f64, f64)> {
    let mut items: Vec<&str> = Vec::new();
    for rule in rules {
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
pub fn labelled(layout: &[(String, f64, f64)]) -> Vec<bool> {
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
/// une flèche par paire antécédent → conséquent, épaisse et foncée selon le
/// lift.
pub fn rule_network<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, rules: &[RuleRow]) {
    let layout = network_layout(rules);
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
    let (lo, hi) = rules.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), r| {
        (lo.min(r.metrics.lift), hi.max(r.metrics.lift))
    });
    for rule in rules.iter().rev() {
        let colour = lift_colour(rule.metrics.lift, lo, hi);
        let width = 1 + (3.0 * (rule.metrics.lift - lo) / (hi - lo).max(1e-9)) as u32;
        for a in &rule.antecedents {
            for c in &rule.consequents {
                let (x0, y0) = position(a);
                let (x1, y1) = position(c);
                let style = colour.mix(0.8).stroke_width(width);
                let _ = root.draw(&PathElement::new(
                    vec![(x0 as i32, y0 as i32), (x1 as i32, y1 as i32)],
                    style,
                ));
                // Pointe de flèche près du conséquent.
                let (dx, dy) = (x1 - x0, y1 - y0);
                let length = (dx * dx + dy * dy).sqrt().max(1.0);
                let (ux, uy) = (dx / length, dy / length);
                let tip = (x1 - ux * 9.0, y1 - uy * 9.0);
                let left = (tip.0 - ux * 9.0 - uy * 5.0, tip.1 - uy * 9.0 + ux * 5.0);
                let right = (tip.0 - ux * 9.0 + uy * 5.0, tip.1 - uy * 9.0 - ux * 5.0);
                let _ = root.draw(&Polygon::new(
                    vec![
                        (tip.0 as i32, tip.1 as i32),
                        (left.0 as i32, left.1 as i32),
                        (right.0 as i32, right.1 as i32),
                    ],
                    colour.filled(),
                ));
            }
        }
    }
    let shown = labelled(&layout);
    for ((item, x, y), shown) in layout.iter().zip(shown) {
        let (x, y) = (*x, *y);
        let _ = root.draw(&Circle::new(
            (x as i32, y as i32),
            6,
            RGBColor(29, 42, 47).filled(),
        ));
        if !shown {
            continue;
        }
        // Un nom long est coupé (…) ; la bulle le donne en entier.
        let mut short: String = item.chars().take(24).collect();
        if item.chars().count() > 24 {
            short.push('…');
        }
        let right_side = x >= cx;
        let anchor_x = if right_side {
            x + 9.0
        } else {
            x - 9.0 - 6.2 * short.chars().count() as f64
        };
        let _ = root.draw(&Text::new(
            short,
            (anchor_x as i32, y as i32 - 6),
            (FONT, 11).into_font().color(&BLACK),
        ));
    }
}

// ---------------------------------------------------------------------------
// Valeur client : prévu contre réel par fréquence d'apprentissage.

/// Taille du graphique prévu / réel.
pub const HOLDOUT_SIZE: (u32, u32) = (460, 320);
/// Sa marge.
pub const HOLDOUT_MARGIN: u32 = 10;
/// Largeur de ses graduations verticales.
pub const HOLDOUT_Y_LABELS: u32 = 44;

/// Les groupes du graphique prévu / réel d'une validation : « 0 », « 1 »…
/// puis « 7+ » pour le dernier, qui réunit les plus fidèles.
pub fn holdout_groups(validation: &ClvValidation) -> Vec<(String, f64, f64)> {
    let last = validation.by_frequency.len().saturating_sub(1);
    validation
        .by_frequency
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let label = if i == last && i > 0 {
                format!("{}+", g.frequency)
            } else {
                g.frequency.to_string()
            };
            (label, g.predicted_mean, g.actual_mean)
        })
        .collect()
}

/// Le graphique classique calibration / test (Fader & Hardie) : pour chaque
/// groupe de clients (`(étiquette, prévu, réel)` : achats répétés pendant
/// l'apprentissage, achats moyens prévus et réels ensuite), une barre claire
/// pour le prévu, une foncée pour le réel.
pub fn calibration_holdout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    groups: &[(String, f64, f64)],
    lang: Lang,
) {
    if groups.is_empty() {
        return;
    }
    let t = labels(lang);
    let n = groups.len();
    let max = groups
        .iter()
        .map(|g| g.1.max(g.2))
        .fold(0.0f64, f64::max)
        .max(0.1);
    let Ok(mut chart) = ChartBuilder::on(root)
        .margin(HOLDOUT_MARGIN)
        .x_label_area_size(36)
        .y_label_area_size(HOLDOUT_Y_LABELS)
        .build_cartesian_2d(-0.5f64..n as f64 - 0.5, 0f64..max * 1.2)
    else {
        return;
    };
    let _ = chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .x_desc(t.repeat_purchases)
        .x_label_formatter(&|v| {
            let i = v.round();
            if (v - i).abs() < 0.01 && i >= 0.0 {
                groups
                    .get(i as usize)
                    .map(|g| g.0.clone())
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| numbers::decimal(lang, *v, 1))
        .label_style((FONT, 11))
        .draw();
    let predicted = RGBColor(244, 190, 60);
    let _ = chart.draw_series(groups.iter().enumerate().map(|(i, g)| {
        Rectangle::new(
            [(i as f64 - 0.38, 0.0), (i as f64, g.1)],
            predicted.filled(),
        )
    }));
    let _ =
        chart.draw_series(groups.iter().enumerate().map(|(i, g)| {
            Rectangle::new([(i as f64, 0.0), (i as f64 + 0.38, g.2)], BRAND.filled())
        }));
    let _ = root.draw(&Rectangle::new([(70, 12), (82, 24)], predicted.filled()));
    let _ = root.draw(&Text::new(t.predicted, (86, 12), (FONT, 12)));
    let _ = root.draw(&Rectangle::new([(190, 12), (202, 24)], BRAND.filled()));
    let _ = root.draw(&Text::new(t.actual, (206, 12), (FONT, 12)));
}

// ---------------------------------------------------------------------------
// Les figures d'une analyse, en fichiers.

/// Les graphiques d'une session en documents SVG (`nom.svg`, contenu) :
/// ceux que l'application montre, aux mêmes noms que ses téléchargements.
/// Une analyse impossible (pas de client, pas de règle) n'a pas ses figures.
pub fn figures(
    session: &mut Session,
    grid: &SegmentGrid,
    lang: Lang,
    currency: Option<Currency>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let overview = session.overview().clone();
    let currency = currency.or(overview.currency);
    if !overview.months.is_empty() {
        out.push((
            "monthly-revenue.svg".to_string(),
            svg(MONTHLY_SIZE, |root| {
                monthly_revenue(root, &overview.months, lang, currency)
            }),
        ));
        out.push((
            "new-vs-returning.svg".to_string(),
            svg(MONTHLY_SIZE, |root| {
                new_vs_returning(root, &overview.months, lang)
            }),
        ));
    }
    let stats = session.segment_stats(grid).ok();
    let options = session.options().rfm;
    let rfm = session
        .rfm(&options)
        .as_ref()
        .ok()
        .map(|table| (table.levels, rfm_charts(table)));
    if let (Some(stats), Some((levels, charts))) = (stats, rfm) {
        out.push((
            "rfm-heatmap.svg".to_string(),
            svg(SEGMENT_CHART_SIZE, |root| {
                monetary_heatmap(root, &charts.heatmap, levels, lang, currency)
            }),
        ));
        let names: Vec<String> = stats.iter().map(|s| s.name.clone()).collect();
        let bars: Vec<(String, u32, RGBColor)> = stats
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    segment_label(&s.name, lang),
                    s.customers,
                    segment_colour(&names, i),
                )
            })
            .collect();
        out.push((
            "rfm-bars.svg".to_string(),
            svg(SEGMENT_CHART_SIZE, |root| segment_bars(root, &bars, lang)),
        ));
        for (axis, name) in ["recency", "frequency", "monetary"].iter().enumerate() {
            // Comme l'application par défaut : échelle linéaire.
            out.push((
                format!("rfm-histogram-{name}.svg"),
                svg(HISTOGRAM_SIZE, |root| {
                    histogram(root, &charts.histograms[axis][0], axis, false, lang)
                }),
            ));
        }
    }
    let clv_options = session.options().clv;
    if let Ok(Ok(validation)) = session.clv(&clv_options).as_ref().map(|r| &r.validation) {
        let groups = holdout_groups(validation);
        if !groups.is_empty() {
            out.push((
                "clv-holdout.svg".to_string(),
                svg(HOLDOUT_SIZE, |root| {
                    calibration_holdout(root, &groups, lang)
                }),
            ));
        }
    }
    if let Some(summary) = session.baskets_summary() {
        if !summary.scatter.is_empty() {
            out.push((
                "rule-scatter.svg".to_string(),
                svg(SCATTER_SIZE, |root| {
                    rule_scatter(root, &summary.scatter, lang)
                }),
            ));
        }
        if !summary.network.is_empty() {
            out.push((
                "rule-network.svg".to_string(),
                svg(NETWORK_SIZE, |root| rule_network(root, &summary.network)),
            ));
        }
    }
    out
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

    /// En échelle logarithmique, les graduations tombent sur 0 et les
    /// puissances de 10 (« 10 », « 100 », « 1,000 »), plus sur 9, 99, 999.
    #[test]
    fn log_histograms_are_graduated_at_powers_of_ten() {
        let values: Vec<f64> = (0..500).map(|i| f64::from(i) * 7.3).collect();
        let h = panier_core::rfm::stats::histogram(&values, 20, true);
        let doc = svg(HISTOGRAM_SIZE, |root| {
            histogram(root, &h, 2, true, Lang::En)
        });
        let texts: Vec<&str> = doc
            .split("</text>")
            .filter_map(|part| part.rsplit('>').next())
            .map(str::trim)
            .collect();
        for tick in ["0", "10", "100", "1,000"] {
            assert!(texts.contains(&tick), "{tick} absent : {texts:?}");
        }
        for odd in ["9", "99", "999"] {
            assert!(!texts.contains(&odd), "{odd} présent : {texts:?}");
        }
    }

    #[test]
    fn charts_draw_complete_svg_documents() {
        let months = three_months();
        let doc = svg(MONTHLY_SIZE, |root| {
            monthly_revenue(root, &months, Lang::Fr, Some(Currency::Eur))
        });
        assert!(doc.starts_with("<svg"), "{doc}");
        assert!(doc.trim_end().ends_with("</svg>"));
        assert!(doc.matches("<rect").count() >= months.len());
        assert!(doc.contains("déc."), "les mois en français");
        // Les mois seuls sur la première ligne, l'année sur la seconde, sous
        // le premier mois et sous janvier (« janv. 2011 » débordait).
        let texts: Vec<&str> = doc
            .split("</text>")
            .filter_map(|part| part.rsplit('>').next())
            .map(str::trim)
            .collect();
        for label in ["déc.", "janv.", "févr.", "2010", "2011"] {
            assert!(texts.contains(&label), "{label} absent : {texts:?}");
        }
        assert!(!doc.contains("janv.\u{a0}2011"));
        // Rien à dessiner : un fond blanc, pas de panique.
        let empty = svg(SCATTER_SIZE, |root| rule_scatter(root, &[], Lang::En));
        assert!(empty.starts_with("<svg"));
    }

    /// Trois mois de ventes.
    fn three_months() -> Vec<MonthStats> {
        ["2010-12", "2011-01", "2011-02"]
            .iter()
            .enumerate()
            .map(|(i, month)| MonthStats {
                month: (*month).to_string(),
                revenue: 1000.0 * (i + 1) as f64,
                orders: 10,
                new_customers: 5,
                returning_customers: 3,
                partial: i == 0,
            })
            .collect()
    }

    /// La légende des clients nouveaux et revenus est dans sa bande : aucune
    /// ligne horizontale de la grille ne la traverse, quelle que soit la
    /// hauteur des barres (la plus haute graduation tombait parfois dessus).
    #[test]
    fn no_grid_line_crosses_the_customer_legend() {
        for top in [7, 40, 95, 130, 480, 990, 1_700, 4_338] {
            let months: Vec<MonthStats> = three_months()
                .into_iter()
                .map(|m| MonthStats {
                    returning_customers: top,
                    ..m
                })
                .collect();
            let doc = svg(MONTHLY_SIZE, |root| {
                new_vs_returning(root, &months, Lang::En)
            });
            for line in doc.split("<line").skip(1) {
                let attr = |name: &str| -> f64 {
                    let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                    let rest = &line[start..];
                    rest[..rest.find('"').unwrap()].parse().unwrap()
                };
                let (y1, y2) = (attr("y1"), attr("y2"));
                if y1 == y2 {
                    assert!(
                        !(10.0..=26.0).contains(&y1),
                        "ligne à y = {y1} sur la légende ({top} clients revenus)"
                    );
                }
            }
        }
    }
}
