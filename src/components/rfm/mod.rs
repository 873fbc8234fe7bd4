//! Composants de la page de segmentation RFM.
//!
//! Ils partagent un [`RfmModel`] : la table calculée par le worker, sa carte
//! et ses histogrammes (calculés par le worker aussi), et la grille de
//! segments de l'utilisateur. Modifier la grille recolore les clients ici ;
//! les indicateurs par segment de la nouvelle grille viennent du worker.

pub mod charts;
pub mod clv;
pub mod customers;
pub mod grid_editor;
pub mod movement;
pub mod scatter;
pub mod segment_table;

use std::sync::Arc;

use panier_core::rfm::segments::SegmentGrid;
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

/// Couleur d'un segment : celle des graphiques, partout la même.
pub use panier_charts::segment_colour;

/// Couleur CSS (`rgb(…)`).
pub fn css(colour: RGBColor) -> String {
    format!("rgb({}, {}, {})", colour.0, colour.1, colour.2)
}
