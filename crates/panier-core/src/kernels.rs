//! Noyaux partagés : des opérations que plusieurs étapes font sur leurs
//! tableaux, écrites (et compilées) une seule fois.

use std::cmp::Ordering;

/// Trie `v` de façon stable selon `cmp` : exactement le résultat de
/// `slice::sort_by` (à égalité, l'ordre d'origine reste).
///
/// Pourquoi pas `sort_by` directement : chaque appel de `sort_by` avec une
/// fermeture différente compile un tri complet (≈ 6 Ko de WebAssembly, une
/// trentaine d'appels dans le cœur). Ici, un seul tri d'indices est compilé
/// pour tout le programme ; la comparaison passe par un pointeur de
/// fonction, puis les éléments sont remis dans l'ordre trouvé. Sur les
/// tableaux de taille modeste (articles, règles, profils, listes de
/// recommandations), l'écart de vitesse ne se mesure pas ; les tris des
/// boucles chaudes (lignes, paniers, itemsets) gardent le tri de la
/// bibliothèque standard.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &|a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// [`sort_by`] selon une clé, comme `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Le seul tri compilé : des positions, comparées par `cmp`.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Range `v` dans l'ordre `order` (`order[i]` : la position d'origine de
/// l'élément qui doit aller en `i`), en place, cycle par cycle.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at];
            // Position déjà à sa place : marquée pour ne pas y revenir.
            order[at] = at;
            if from == start || from == at {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Même résultat que le tri stable de la bibliothèque standard,
        /// égalités comprises (beaucoup de clés égales : 0 à 4).
        #[test]
        fn same_order_as_the_standard_stable_sort(
            values in proptest::collection::vec((0u8..5, any::<u16>()), 0..200)
        ) {
            let mut expected = values.clone();
            expected.sort_by_key(|a| a.0);
            let mut ours = values.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            prop_assert_eq!(&ours, &expected);
            let mut reversed = values.clone();
            reversed.sort_by_key(|a| std::cmp::Reverse(a.0));
            let mut by_key = values;
            sort_by_key(&mut by_key, |a| std::cmp::Reverse(a.0));
            prop_assert_eq!(by_key, reversed);
        }
    }

    #[test]
    fn strings_move_without_copies() {
        let mut names = vec![
            "b".to_string(),
            "a".to_string(),
            "c".to_string(),
            "a".into(),
        ];
        sort_by(&mut names, |a, b| a.cmp(b));
        assert_eq!(names, ["a", "a", "b", "c"]);
    }
}
