//! Scores par quantiles, avec la sémantique exacte de `pandas.qcut`.
//!
//! pandas 3 calcule les bornes ainsi (c'est ce que ce module reproduit, au
//! bit près, pour que chaque client reçoive le même score que la référence) :
//!
//! 1. les fractions `np.linspace(0, 1, k + 1)`, c'est-à-dire `i × (1/k)`, la
//!    dernière valant exactement 1 ; une fraction dont `k × fraction ≠ i` est
//!    poussée au flottant suivant (`np.nextafter(fraction, 1)`) ;
//! 2. chaque borne est le quantile « linéaire » de `np.quantile` : indice
//!    virtuel `(n − 1) × fraction`, valeurs voisines dans l'ordre trié, et
//!    interpolation `_lerp` de numpy (`a + (b − a) × t`, ou `b − (b − a) ×
//!    (1 − t)` quand `t ≥ 0,5`) ;
//! 3. une valeur reçoit la classe `i` quand `borne[i−1] < valeur ≤
//!    borne[i]` (intervalles fermés à droite), la plus basse borne comprise
//!    dans la classe 1 (`include_lowest`).
//!
//! pandas refuse des bornes confondues (« Bin edges must be unique ») ; Panier
//! garde la même règle de classement, qui laisse alors des classes vides, et
//! le signale (voir [`Quantiles::collapsed`]).

use serde::{Deserialize, Serialize};

/// Bornes des classes d'une variable, de la plus basse à la plus haute
/// (`k + 1` bornes pour `k` classes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    /// Bornes croissantes.
    pub edges: Vec<f64>,
}

impl Quantiles {
    /// Bornes de `k` classes de même effectif sur `values` (non vide, sans
    /// NaN).
    pub fn of(values: &[f64], k: usize) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        let edges = fractions(k)
            .into_iter()
            .map(|fraction| linear_quantile(&sorted, fraction))
            .collect();
        Self { edges }
    }

    /// Classe (1 à `k`) d'une valeur : la première borne supérieure ou égale,
    /// la borne la plus basse étant comprise dans la classe 1. Une valeur
    /// hors des bornes (impossible pour les valeurs qui les ont fixées) est
    /// rangée dans la classe extrême la plus proche.
    pub fn class_of(&self, value: f64) -> u8 {
        let k = self.edges.len() - 1;
        if value <= self.edges[0] {
            return 1;
        }
        // Nombre de bornes strictement inférieures : `searchsorted(side="left")`.
        let index = self.edges.partition_point(|&edge| edge < value);
        index.clamp(1, k) as u8
    }

    /// Vrai quand deux bornes se confondent : trop de valeurs égales pour
    /// faire `k` classes de même effectif (des classes restent vides).
    pub fn collapsed(&self) -> bool {
        self.edges.windows(2).any(|pair| pair[0] == pair[1])
    }
}

/// Les fractions de `np.linspace(0, 1, k + 1)`, ajustées comme le fait
/// `pandas.qcut`.
fn fractions(k: usize) -> Vec<f64> {
    let step = 1.0 / k as f64;
    (0..=k)
        .map(|i| {
            let fraction = if i == k { 1.0 } else { i as f64 * step };
            if k as f64 * fraction != i as f64 {
                next_up(fraction)
            } else {
                fraction
            }
        })
        .collect()
}

/// Le flottant immédiatement supérieur (`np.nextafter(x, 1)` pour 0 ≤ x < 1).
fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else {
        f64::from_bits(x.to_bits() + 1)
    }
}

/// Quantile « linéaire » de numpy sur des valeurs triées.
fn linear_quantile(sorted: &[f64], fraction: f64) -> f64 {
    let n = sorted.len();
    let virtual_index = (n - 1) as f64 * fraction;
    if virtual_index >= (n - 1) as f64 {
        return sorted[n - 1];
    }
    let previous = virtual_index.floor();
    let gamma = virtual_index - previous;
    let a = sorted[previous as usize];
    let b = sorted[previous as usize + 1];
    lerp(a, b, gamma)
}

/// L'interpolation de numpy (`_lerp`), dont l'arrondi dépend du côté.
fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let difference = b - a;
    if t >= 0.5 {
        b - difference * (1.0 - t)
    } else {
        a + difference * t
    }
}

/// Rang « first » de pandas (`rank(method="first")`) : rang 1 à n selon la
/// valeur, les égalités départagées par l'ordre des lignes.
pub fn rank_first(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    // Tri stable : à valeur égale, l'ordre d'origine est gardé.
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    for (rank, index) in order.into_iter().enumerate() {
        ranks[index] = (rank + 1) as f64;
    }
    ranks
}

/// Classe de chaque valeur en `k` quantiles ; `descending` inverse les
/// étiquettes (la récence : moins de jours, meilleur score).
pub fn scores(values: &[f64], k: usize, descending: bool) -> (Vec<u8>, Quantiles) {
    let quantiles = Quantiles::of(values, k);
    let scores = values
        .iter()
        .map(|&value| {
            let class = quantiles.class_of(value);
            if descending {
                k as u8 + 1 - class
            } else {
                class
            }
        })
        .collect();
    (scores, quantiles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn fractions_follow_pandas_linspace_adjustment() {
        let five = fractions(5);
        assert_eq!(five[0], 0.0);
        assert_eq!(five[5], 1.0);
        // 3 × 0.2 = 0.6000000000000001 en flottant ; 5 × cela ≠ 3, d'où la poussée.
        assert_eq!(five[3], next_up(3.0 * 0.2));
        assert_eq!(fractions(4), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    }

    #[test]
    fn quantiles_match_numpy_on_a_known_case() {
        // np.quantile([1, 2, 3, 4, 10], np.linspace(0, 1, 5)) avec l'ajustement de pandas
        // donne exactement ces bornes (vérifié avec numpy 2.4.6).
        let q = Quantiles::of(&[1.0, 2.0, 3.0, 4.0, 10.0], 5);
        assert_eq!(
            q.edges,
            vec![1.0, 1.8, 2.6, 3.400000000000001, 5.200000000000001, 10.0]
        );
    }

    #[test]
    fn bins_are_right_closed_with_the_lowest_edge_included() {
        let q = Quantiles {
            edges: vec![1.0, 2.0, 3.0, 4.0],
        };
        assert_eq!(q.class_of(1.0), 1);
        assert_eq!(q.class_of(2.0), 1);
        assert_eq!(q.class_of(2.5), 2);
        assert_eq!(q.class_of(3.0), 2);
        assert_eq!(q.class_of(4.0), 3);
    }

    #[test]
    fn rank_first_breaks_ties_by_position() {
        assert_eq!(
            rank_first(&[3.0, 1.0, 3.0, 1.0, 2.0]),
            vec![4.0, 1.0, 5.0, 2.0, 3.0]
        );
    }

    #[test]
    fn equal_values_collapse_edges_and_are_reported() {
        let (scores, q) = scores(&[1.0; 10], 5, false);
        assert!(q.collapsed());
        assert!(scores.iter().all(|&s| s == 1));
    }

    proptest! {
        /// Une valeur plus grande n'a jamais un score plus petit.
        #[test]
        fn scores_are_monotone(values in prop::collection::vec(0.0f64..1e6, 1..300), k in 3usize..=5) {
            let (scores, _) = scores(&values, k, false);
            for i in 0..values.len() {
                for j in 0..values.len() {
                    if values[i] < values[j] {
                        prop_assert!(scores[i] <= scores[j]);
                    }
                }
            }
        }

        /// Sur des valeurs distinctes, les classes ont le même effectif à un près.
        #[test]
        fn distinct_values_give_balanced_bins(n in 5usize..400, k in 3usize..=5, seed in any::<u64>()) {
            // Valeurs distinctes dans un ordre mélangé.
            let mut values: Vec<f64> = (0..n).map(|i| i as f64 * 1.5 + 7.0).collect();
            let mut state = seed | 1;
            for i in (1..n).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                values.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let (scores, quantiles) = scores(&values, k, false);
            prop_assert!(!quantiles.collapsed());
            let mut sizes = vec![0usize; k];
            for s in scores { sizes[s as usize - 1] += 1; }
            let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            prop_assert!(max - min <= 1, "{sizes:?}");
        }

        /// Le rang « first » est une permutation de 1..n qui respecte l'ordre des valeurs.
        #[test]
        fn rank_first_is_a_stable_permutation(values in prop::collection::vec(0u8..10, 1..200)) {
            let values: Vec<f64> = values.into_iter().map(f64::from).collect();
            let ranks = rank_first(&values);
            let mut sorted = ranks.clone();
            sorted.sort_by(f64::total_cmp);
            prop_assert_eq!(sorted, (1..=values.len()).map(|r| r as f64).collect::<Vec<_>>());
            for i in 0..values.len() {
                for j in i + 1..values.len() {
                    prop_assert_eq!(ranks[i] < ranks[j], values[i] <= values[j]);
                }
            }
        }
    }
}
