//! Mouvements entre segments : qui est passé de X à Y entre deux dates.
//!
//! La segmentation est calculée deux fois, « à la date A » puis « à la date
//! B », chacune avec ses propres quantiles sur les seuls achats antérieurs.
//! Un client absent à la première date (premier achat après A) part de la
//! ligne « nouveau » ; la matrice se relit avec n'importe quelle grille de
//! segments, sans recalcul.

use serde::{Deserialize, Serialize};

use super::segments::SegmentGrid;
use super::{compute_rfm, RfmOptions, RfmTable};
use crate::clean::CleanTable;
use crate::error::PanierError;

/// Scores (R, FM) d'un client à une date.
pub type Position = (u8, u8);

/// Un client et sa position aux deux dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerMove {
    /// Identifiant du client.
    pub customer: String,
    /// Position à la première date (`None` : pas encore client).
    pub from: Option<Position>,
    /// Position à la seconde date (`None` : plus client à cette date, ce qui
    /// n'arrive que si la seconde date précède la première).
    pub to: Option<Position>,
}

/// Les positions de tous les clients aux deux dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Movement {
    /// Première date d'observation (secondes depuis 1970).
    pub from_snapshot: i64,
    /// Seconde date d'observation.
    pub to_snapshot: i64,
    /// Niveaux de score utilisés aux deux dates.
    pub levels: u8,
    /// Clients présents à l'une au moins des deux dates.
    pub customers: Vec<CustomerMove>,
}

/// Matrice des mouvements pour une grille donnée.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MovementMatrix {
    /// Segments en ligne (date A), « None » en dernier pour les absents.
    pub from: Vec<Option<String>>,
    /// Segments en colonne (date B), « None » en dernier pour les absents.
    pub to: Vec<Option<String>>,
    /// `counts[ligne][colonne]`.
    pub counts: Vec<Vec<u32>>,
}

/// Calcule les positions des clients aux deux dates.
pub fn segment_movement(
    clean: &CleanTable,
    levels: u8,
    from_snapshot: i64,
    to_snapshot: i64,
) -> Result<Movement, PanierError> {
    let at = |snapshot| {
        compute_rfm(
            clean,
            &RfmOptions {
                levels,
                snapshot: Some(snapshot),
            },
        )
    };
    let before = at(from_snapshot)?;
    let after = at(to_snapshot)?;
    Ok(Movement {
        from_snapshot,
        to_snapshot,
        levels,
        customers: join(&before, &after),
    })
}

/// Réunit les clients des deux tables (toutes deux triées de la même façon
/// par `compute_rfm`, mais l'une peut contenir des clients que l'autre n'a
/// pas : la jointure passe par un index).
fn join(before: &RfmTable, after: &RfmTable) -> Vec<CustomerMove> {
    let position = |table: &RfmTable, index: usize| {
        let customer = &table.customers[index];
        (customer.r, customer.fm())
    };
    let mut index: rustc_hash::FxHashMap<&str, usize> = before
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| (c.customer.as_str(), i))
        .collect();
    let mut moves: Vec<CustomerMove> = after
        .customers
        .iter()
        .enumerate()
        .map(|(i, c)| CustomerMove {
            customer: c.customer.clone(),
            from: index
                .remove(c.customer.as_str())
                .map(|j| position(before, j)),
            to: Some(position(after, i)),
        })
        .collect();
    let mut gone: Vec<usize> = index.into_values().collect();
    gone.sort_unstable();
    moves.extend(gone.into_iter().map(|j| CustomerMove {
        customer: before.customers[j].customer.clone(),
        from: Some(position(before, j)),
        to: None,
    }));
    moves
}

impl Movement {
    /// Segment d'une position selon la grille.
    fn segment(grid: &SegmentGrid, position: Option<Position>) -> Option<String> {
        position.map(|(r, fm)| grid.segment(r, fm).to_string())
    }

    /// Segments de départ et d'arrivée d'un client selon la grille.
    pub fn segments_of(
        &self,
        grid: &SegmentGrid,
        customer: &CustomerMove,
    ) -> (Option<String>, Option<String>) {
        (
            Self::segment(grid, customer.from),
            Self::segment(grid, customer.to),
        )
    }

    /// La matrice des effectifs selon la grille : lignes et colonnes dans
    /// l'ordre des segments de la grille, les absents en dernier (seulement
    /// s'il y en a).
    pub fn matrix(&self, grid: &SegmentGrid) -> MovementMatrix {
        let names = grid.segment_names();
        let axis = |absent: bool| -> Vec<Option<String>> {
            let mut axis: Vec<Option<String>> = names.iter().cloned().map(Some).collect();
            if absent {
                axis.push(None);
            }
            axis
        };
        let from = axis(self.customers.iter().any(|c| c.from.is_none()));
        let to = axis(self.customers.iter().any(|c| c.to.is_none()));
        let mut counts = vec![vec![0u32; to.len()]; from.len()];
        for customer in &self.customers {
            let (a, b) = self.segments_of(grid, customer);
            let row = from.iter().position(|name| *name == a);
            let column = to.iter().position(|name| *name == b);
            if let (Some(row), Some(column)) = (row, column) {
                counts[row][column] += 1;
            }
        }
        MovementMatrix { from, to, counts }
    }

    /// Les clients d'une case de la matrice.
    pub fn customers_in(
        &self,
        grid: &SegmentGrid,
        from: &Option<String>,
        to: &Option<String>,
    ) -> Vec<&CustomerMove> {
        self.customers
            .iter()
            .filter(|customer| {
                let (a, b) = self.segments_of(grid, customer);
                a == *from && b == *to
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate_demo_csv, DemoConfig};
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;
    use crate::rfm::{parse_snapshot, RfmOptions};

    #[test]
    fn movement_counts_every_customer_once_and_marks_newcomers() {
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 300,
            ..Default::default()
        });
        let clean = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        let (a, b) = (
            parse_snapshot("2011-06-01").unwrap(),
            parse_snapshot("2011-11-01").unwrap(),
        );
        let movement = segment_movement(&clean, 5, a, b).unwrap();
        let at = |snapshot| {
            compute_rfm(
                &clean,
                &RfmOptions {
                    levels: 5,
                    snapshot: Some(snapshot),
                },
            )
            .unwrap()
        };
        let (before, after) = (at(a), at(b));
        assert_eq!(movement.customers.len(), after.customers.len());
        let newcomers = movement
            .customers
            .iter()
            .filter(|c| c.from.is_none())
            .count();
        assert_eq!(newcomers, after.customers.len() - before.customers.len());
        assert!(newcomers > 0);

        let grid = SegmentGrid::default();
        let matrix = movement.matrix(&grid);
        let total: u32 = matrix.counts.iter().flatten().sum();
        assert_eq!(total as usize, after.customers.len());
        assert_eq!(matrix.from.last(), Some(&None), "ligne des nouveaux");
        assert!(
            !matrix.to.contains(&None),
            "personne ne disparaît en avançant"
        );
        // Une case donne exactement ses clients, et leur segment d'arrivée est le bon.
        let champions = Some("Champions".to_string());
        let column = matrix.to.iter().position(|n| *n == champions).unwrap();
        let stayed = movement.customers_in(&grid, &champions, &champions);
        let row = matrix.from.iter().position(|n| *n == champions).unwrap();
        assert_eq!(stayed.len() as u32, matrix.counts[row][column]);
        for moved in stayed {
            let now = after
                .customers
                .iter()
                .find(|c| c.customer == moved.customer)
                .unwrap();
            assert_eq!(grid.segment_of(now.r, now.f, now.m), "Champions");
        }
    }
}
