//! Ce que la page de segmentation montre d'une [`RfmTable`] : le tableau par
//! segment, la carte R × F du montant moyen, les histogrammes.
//!
//! Le worker les calcule (la page ne fait que tracer) : la carte et les
//! histogrammes avec chaque segmentation ([`rfm_charts`]), le tableau par
//! segment à chaque grille demandée ([`segment_stats`]).

use serde::{Deserialize, Serialize};

use super::segments::SegmentGrid;
use super::RfmTable;

/// Indicateurs d'un segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentStats {
    /// Nom du segment (canonique pour un segment par défaut).
    pub name: String,
    /// Clients du segment.
    pub customers: u32,
    /// Part des clients (0 à 1).
    pub share: f64,
    /// Chiffre d'affaires du segment.
    pub revenue: f64,
    /// Part du chiffre d'affaires (0 à 1).
    pub revenue_share: f64,
    /// Factures du segment.
    pub orders: u64,
    /// Panier moyen : chiffre d'affaires ÷ factures.
    pub average_order_value: f64,
    /// Récence moyenne (jours).
    pub mean_recency: f64,
    /// Fréquence moyenne (factures).
    pub mean_frequency: f64,
    /// Montant moyen par client.
    pub mean_monetary: f64,
}

/// Indicateurs par segment, dans l'ordre de [`SegmentGrid::segment_names`] ;
/// un segment de la grille sans client apparaît avec des zéros.
pub fn segment_stats(table: &RfmTable, grid: &SegmentGrid) -> Vec<SegmentStats> {
    let names = grid.segment_names();
    let mut stats: Vec<SegmentStats> = names
        .iter()
        .map(|name| SegmentStats {
            name: name.clone(),
            customers: 0,
            share: 0.0,
            revenue: 0.0,
            revenue_share: 0.0,
            orders: 0,
            average_order_value: 0.0,
            mean_recency: 0.0,
            mean_frequency: 0.0,
            mean_monetary: 0.0,
        })
        .collect();
    let total_revenue: f64 = table.customers.iter().map(|c| c.monetary).sum();
    for customer in &table.customers {
        let name = grid.segment_of(customer.r, customer.f, customer.m);
        let Some(entry) = stats.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        entry.customers += 1;
        entry.revenue += customer.monetary;
        entry.orders += u64::from(customer.frequency);
        entry.mean_recency += customer.recency as f64;
    }
    let total_customers = table.customers.len().max(1) as f64;
    for entry in &mut stats {
        if entry.customers == 0 {
            continue;
        }
        let n = f64::from(entry.customers);
        entry.share = n / total_customers;
        entry.revenue_share = if total_revenue > 0.0 {
            entry.revenue / total_revenue
        } else {
            0.0
        };
        entry.average_order_value = entry.revenue / entry.orders.max(1) as f64;
        entry.mean_recency /= n;
        entry.mean_frequency = entry.orders as f64 / n;
        entry.mean_monetary = entry.revenue / n;
    }
    stats
}

/// Classes de chaque histogramme de la page de segmentation.
pub const HISTOGRAM_BINS: usize = 20;

/// Ce que la page de segmentation trace d'une table, quelle que soit la
/// grille : la carte R × F du montant moyen et les histogrammes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmCharts {
    /// Montant moyen par case (voir [`monetary_heatmap`]).
    pub heatmap: Vec<Vec<Option<f64>>>,
    /// Histogrammes de la récence, de la fréquence et du montant, chacun en
    /// échelle linéaire puis logarithmique (la récence, en jours, reste
    /// linéaire dans les deux).
    pub histograms: [[Histogram; 2]; 3],
}

/// La carte et les histogrammes d'une table.
pub fn rfm_charts(table: &RfmTable) -> RfmCharts {
    let axis = |pick: fn(&super::CustomerRfm) -> f64, log_allowed: bool| {
        let values: Vec<f64> = table.customers.iter().map(pick).collect();
        [
            histogram(&values, HISTOGRAM_BINS, false),
            histogram(&values, HISTOGRAM_BINS, log_allowed),
        ]
    };
    RfmCharts {
        heatmap: monetary_heatmap(table),
        histograms: [
            axis(|c| c.recency as f64, false),
            axis(|c| f64::from(c.frequency), true),
            axis(|c| c.monetary, true),
        ],
    }
}

/// Montant moyen par case (R, F) : `cells[r − 1][f − 1]`, `None` pour une
/// case vide.
pub fn monetary_heatmap(table: &RfmTable) -> Vec<Vec<Option<f64>>> {
    let k = usize::from(table.levels);
    let mut sums = vec![vec![(0.0f64, 0u32); k]; k];
    for c in &table.customers {
        let cell = &mut sums[usize::from(c.r) - 1][usize::from(c.f) - 1];
        cell.0 += c.monetary;
        cell.1 += 1;
    }
    sums.into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(sum, n)| (n > 0).then(|| sum / f64::from(n)))
                .collect()
        })
        .collect()
}

/// Un histogramme : bornes des classes (`counts.len() + 1`) et effectifs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Bornes, croissantes.
    pub edges: Vec<f64>,
    /// Effectif de chaque classe.
    pub counts: Vec<u32>,
}

/// Histogramme à `bins` classes de même largeur ; en échelle logarithmique
/// (`log`), les classes sont de même largeur en log10(1 + x).
pub fn histogram(values: &[f64], bins: usize, log: bool) -> Histogram {
    let bins = bins.max(1);
    let transform = |x: f64| if log { (1.0 + x.max(0.0)).log10() } else { x };
    let inverse = |y: f64| if log { 10f64.powf(y) - 1.0 } else { y };
    let (min, max) = values
        .iter()
        .map(|&v| transform(v))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !min.is_finite() {
        return Histogram {
            edges: vec![0.0, 1.0],
            counts: vec![0],
        };
    }
    let width = if max > min {
        (max - min) / bins as f64
    } else {
        1.0
    };
    let mut counts = vec![0u32; bins];
    for &value in values {
        let index = ((transform(value) - min) / width) as usize;
        counts[index.min(bins - 1)] += 1;
    }
    let edges = (0..=bins)
        .map(|i| inverse(min + width * i as f64))
        .collect();
    Histogram { edges, counts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rfm::quantile::Quantiles;
    use crate::rfm::CustomerRfm;

    fn customer(id: &str, r: u8, f: u8, m: u8, monetary: f64, frequency: u32) -> CustomerRfm {
        CustomerRfm {
            customer: id.into(),
            recency: i64::from(6 - r) * 30,
            frequency,
            monetary,
            r,
            f,
            m,
            first_purchase: 0,
            last_purchase: 0,
            units: 1.0,
            products: 1,
        }
    }

    fn table(customers: Vec<CustomerRfm>) -> RfmTable {
        let edges = Quantiles {
            edges: vec![0.0; 6],
        };
        RfmTable {
            snapshot: 0,
            default_snapshot: 0,
            levels: 5,
            customers,
            recency_edges: edges.clone(),
            frequency_edges: edges.clone(),
            monetary_edges: edges,
            rows_without_date: 0,
        }
    }

    #[test]
    fn segment_stats_add_up_and_follow_the_grid() {
        let t = table(vec![
            customer("1", 5, 5, 5, 300.0, 3),
            customer("2", 5, 4, 5, 100.0, 1),
            customer("3", 1, 1, 1, 100.0, 2),
        ]);
        let grid = SegmentGrid::default();
        let stats = segment_stats(&t, &grid);
        let champions = stats.iter().find(|s| s.name == "Champions").unwrap();
        assert_eq!(champions.customers, 2);
        assert_eq!(champions.revenue, 400.0);
        assert_eq!(champions.average_order_value, 100.0);
        assert!((champions.revenue_share - 0.8).abs() < 1e-12);
        let lost = stats.iter().find(|s| s.name == "Lost").unwrap();
        assert_eq!(lost.customers, 1);
        assert_eq!(lost.mean_frequency, 2.0);
        let total: u32 = stats.iter().map(|s| s.customers).sum();
        assert_eq!(total, 3);
    }

    #[test]
    fn heatmap_averages_monetary_per_cell() {
        let t = table(vec![
            customer("1", 5, 5, 5, 300.0, 3),
            customer("2", 5, 5, 4, 100.0, 1),
        ]);
        let map = monetary_heatmap(&t);
        assert_eq!(map[4][4], Some(200.0));
        assert_eq!(map[0][0], None);
    }

    #[test]
    fn histogram_counts_every_value() {
        let h = histogram(&[0.0, 1.0, 2.0, 3.0, 10.0], 5, false);
        assert_eq!(h.counts.iter().sum::<u32>(), 5);
        assert_eq!(h.edges.len(), 6);
        assert_eq!(h.counts[4], 1);
        let log = histogram(&[0.0, 9.0, 99.0, 999.0], 3, true);
        assert_eq!(log.counts, vec![1, 1, 2]);
    }
}
