//! Composants de la page de segmentation RFM.
//!
//! Ils partagent un [`RfmModel`] : la table calculée par le worker, sa carte
//! et ses histogrammes (calculés par le worker aussi), et la grille de
//! segments de l'utilisateur. Modifier la grille recolore les clients ici ;
//! les indicateurs par segment de la nouvelle grille viennent du worker.

pub mod charts;
pub mod customers;
pub mod grid_editor;
pub mod movement;
pub mod scatter;
pub mod segment_table;

use std::sync::Arc;

use panier_core::rfm::segments::{DefaultSegment, SegmentGrid};
use panier_core::rfm::stats::RfmCharts;
use panier_core::rfm::RfmTable;
use plotters::style::RGBColor;

/// La segmentation affichée : table, grille, et segment de chaque client.
#[derive(Debug, Clone)]
pub struct RfmModel {
    /// Table du worker.
    pub table: Arc<RfmTable>,
    /// Sa carte R × F et ses histogrammes, calculés par le worker.
    pub charts: Arc<RfmCharts>,
    /// Grille de l'utilisateur.
    pub grid: SegmentGrid,
    /// Noms des segments de la grille, dans l'ordre d'affichage.
    pub names: Vec<String>,
    /// Indice (dans `names`) du segment de chaque client.
    pub segment: Vec<u16>,
}

impl PartialEq for RfmModel {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.table, &other.table) && self.grid == other.grid
    }
}

impl RfmModel {
    /// Segmente chaque client selon la grille.
    pub fn new(table: Arc<RfmTable>, charts: Arc<RfmCharts>, grid: SegmentGrid) -> Self {
        let names = grid.segment_names();
        let segment = table
            .customers
            .iter()
            .map(|c| {
                let name = grid.segment_of(c.r, c.f, c.m);
                names.iter().position(|n| n == name).unwrap_or(0) as u16
            })
            .collect();
        Self {
            table,
            charts,
            grid,
            names,
            segment,
        }
    }

    /// Nombre de clients de chaque segment (même ordre que `names`).
    pub fn counts(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.names.len()];
        for &s in &self.segment {
            counts[usize::from(s)] += 1;
        }
        counts
    }

    /// Couleur d'un segment (par son indice dans `names`).
    pub fn colour(&self, index: usize) -> RGBColor {
        segment_colour(&self.names, index)
    }
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

/// Couleur CSS (`rgb(…)`).
pub fn css(colour: RGBColor) -> String {
    format!("rgb({}, {}, {})", colour.0, colour.1, colour.2)
}
