//! Effectifs des paires d'articles achetés ensemble : le noyau commun de la
//! recherche des itemsets (paires fréquentes d'Apriori et d'Eclat) et du
//! modèle de recommandation (voisins de chaque article).
//!
//! Tant que le catalogue est petit, une matrice triangulaire (un compteur
//! par paire possible) est le plus rapide. Elle grandit comme le carré du
//! nombre d'articles : 40 000 articles demanderaient 3,2 Go. Au-delà de
//! [`DENSE_PAIRS_MAX`] paires possibles, seules les paires **qui se
//! rencontrent** dans au moins un panier sont comptées, ligne par ligne :
//! la mémoire suit alors les données, plus jamais le carré du catalogue.
//! Les deux formes donnent les mêmes effectifs (test de propriété).

/// Paires possibles au-delà desquelles la matrice triangulaire laisse la
/// place aux seules paires rencontrées : 2²⁴ compteurs, 64 Mo (≈ 5 800
/// articles).
pub const DENSE_PAIRS_MAX: usize = 1 << 24;

/// Effectif de chaque paire d'articles (a, b), a < b, codés de `0` à `m`.
pub enum PairCounts {
    /// Matrice triangulaire : un compteur par paire possible.
    Dense {
        /// Nombre d'articles.
        m: usize,
        /// `counts[row_start(a) + b − a − 1]`.
        counts: Vec<u32>,
    },
    /// Paires rencontrées seulement : pour chaque `a`, les `(b, effectif)`,
    /// `b > a` croissants.
    Sparse {
        /// Une ligne par article.
        rows: Vec<Vec<(u32, u32)>>,
    },
}

/// Début de la ligne `a` de la matrice triangulaire de `m` articles.
fn row_start(m: usize, a: usize) -> usize {
    a * (2 * m - a - 1) / 2
}

/// Compte les paires des paniers, chacun trié par code croissant et sans
/// doublon, codes de `0` à `m`.
pub fn count_pairs(baskets: &[Vec<u32>], m: usize) -> PairCounts {
    count_pairs_within(baskets, m, DENSE_PAIRS_MAX)
}

/// [`count_pairs`] avec un autre seuil (tests).
fn count_pairs_within(baskets: &[Vec<u32>], m: usize, dense_max: usize) -> PairCounts {
    let possible = m.saturating_mul(m.saturating_sub(1)) / 2;
    if possible <= dense_max {
        let mut counts = vec![0u32; possible];
        for basket in baskets {
            for (position, &a) in basket.iter().enumerate() {
                let row = row_start(m, a as usize);
                for &b in &basket[position + 1..] {
                    counts[row + (b - a - 1) as usize] += 1;
                }
            }
        }
        return PairCounts::Dense { m, counts };
    }
    // Pour chaque article, ses paniers (les listes de la recherche des
    // itemsets) ; dans chacun, ses partenaires plus grands sont comptés dans
    // un tableau réutilisé.
    let mut scratch = vec![0u32; m];
    let mut touched: Vec<u32> = Vec::new();
    let rows = super::tidlist::tidlists(baskets, m)
        .into_iter()
        .enumerate()
        .map(|(a, containing)| {
            for index in containing {
                let basket = &baskets[index as usize];
                let after = basket.partition_point(|&x| x <= a as u32);
                for &b in &basket[after..] {
                    if scratch[b as usize] == 0 {
                        touched.push(b);
                    }
                    scratch[b as usize] += 1;
                }
            }
            touched.sort_unstable();
            let row = touched
                .iter()
                .map(|&b| (b, std::mem::take(&mut scratch[b as usize])))
                .collect();
            touched.clear();
            row
        })
        .collect();
    PairCounts::Sparse { rows }
}

impl PairCounts {
    /// Les paires `(b, effectif)` de `a`, `b > a` croissants ; la forme
    /// dense donne aussi les paires jamais rencontrées (effectif 0).
    pub fn row(&self, a: u32) -> Box<dyn Iterator<Item = (u32, u32)> + '_> {
        match self {
            PairCounts::Dense { m, counts } => {
                let start = row_start(*m, a as usize);
                let len = m - a as usize - 1;
                Box::new(
                    counts[start..start + len]
                        .iter()
                        .enumerate()
                        .map(move |(k, &count)| (a + 1 + k as u32, count)),
                )
            }
            PairCounts::Sparse { rows } => Box::new(rows[a as usize].iter().copied()),
        }
    }

    /// Nombre de paires d'effectif au moins `min_count` (≥ 1).
    pub fn frequent(&self, min_count: u32) -> usize {
        let min_count = min_count.max(1);
        match self {
            PairCounts::Dense { counts, .. } => counts.iter().filter(|&&c| c >= min_count).count(),
            PairCounts::Sparse { rows } => rows
                .iter()
                .flatten()
                .filter(|&&(_, c)| c >= min_count)
                .count(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Les paires d'effectif non nul, ligne par ligne.
    fn occurring(pairs: &PairCounts, m: usize) -> Vec<(u32, u32, u32)> {
        (0..m as u32)
            .flat_map(|a| {
                pairs
                    .row(a)
                    .filter(|&(_, c)| c > 0)
                    .map(move |(b, c)| (a, b, c))
            })
            .collect()
    }

    proptest! {
        #[test]
        fn both_forms_count_the_same_pairs_as_brute_force(
            raw in prop::collection::vec(prop::collection::btree_set(0u32..12, 0..8), 0..40),
        ) {
            let baskets: Vec<Vec<u32>> = raw.into_iter().map(|b| b.into_iter().collect()).collect();
            let m = 12;
            let mut expected = Vec::new();
            for a in 0..m as u32 {
                for b in a + 1..m as u32 {
                    let n = baskets.iter().filter(|t| t.contains(&a) && t.contains(&b)).count() as u32;
                    if n > 0 {
                        expected.push((a, b, n));
                    }
                }
            }
            let dense = count_pairs_within(&baskets, m, usize::MAX);
            let sparse = count_pairs_within(&baskets, m, 0);
            let forms = (
                matches!(dense, PairCounts::Dense { .. }),
                matches!(sparse, PairCounts::Sparse { .. }),
            );
            prop_assert_eq!(forms, (true, true));
            prop_assert_eq!(occurring(&dense, m), expected.clone());
            prop_assert_eq!(occurring(&sparse, m), expected);
            for min in 1..4 {
                prop_assert_eq!(dense.frequent(min), sparse.frequent(min));
            }
        }
    }

    #[test]
    fn a_large_catalogue_only_stores_the_pairs_that_occur() {
        // 200 000 articles : la matrice triangulaire demanderait 80 Go.
        let m = 200_000;
        let baskets: Vec<Vec<u32>> = (0..1_000u32)
            .map(|i| vec![i, i + 100_000, 199_999])
            .collect();
        let PairCounts::Sparse { rows } = count_pairs(&baskets, m) else {
            panic!("forme creuse attendue");
        };
        assert_eq!(rows.iter().map(Vec::len).sum::<usize>(), 1_000 * 3);
        assert_eq!(rows[0], vec![(100_000, 1), (199_999, 1)]);
    }
}
