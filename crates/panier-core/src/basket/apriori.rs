//! Apriori, l'algorithme du cahier des charges : niveau par niveau, les
//! candidats de taille k naissent de deux itemsets fréquents de taille k − 1
//! qui partagent leurs k − 2 premiers articles ; un candidat dont un
//! sous-ensemble n'est pas fréquent est élagué sans être compté. Le support
//! des survivants est compté par intersection des listes de paniers de ses
//! deux parents (la variante « AprioriTid » : un seul passage sur les
//! données). Les paires, candidats les plus nombreux, sont comptées dans
//! une matrice triangulaire en un passage sur les paniers.
//!
//! Deux parents `P + a` et `P + b` ne forment un candidat que si la paire
//! `{a, b}` est fréquente (sinon aucun sur-ensemble ne l'est) : les `b`
//! viennent de la liste des partenaires fréquents de `a`, parcourue avec le
//! groupe en une fusion de deux listes triées. Sur un grand catalogue à
//! support très bas, un article populaire a des dizaines de milliers
//! d'extensions : le carré du groupe (des centaines de millions de
//! candidats) n'est jamais parcouru.

use rustc_hash::FxHashSet;

use super::mining::{
    emit_items, frequent_pairs_from, frequent_partners, Coded, Emit, Halt, PairCounts,
};
use super::tidlist::intersect;

/// Émet chaque itemset fréquent de `coded`, niveau par niveau.
pub fn mine(coded: &Coded, pairs: Option<&PairCounts>, emit: &mut Emit<'_>) -> Result<(), Halt> {
    // Niveau 1 : les articles (déjà fréquents), dans l'ordre des codes.
    let tids = emit_items(coded, emit)?;
    let Some(pairs) = pairs.filter(|_| coded.max_len >= 2) else {
        return Ok(());
    };
    // Niveau 2 : tous les candidats sont des paires d'articles fréquents ;
    // ils sont comptés en un passage, dans une matrice triangulaire.
    let mut scratch = Vec::new();
    let mut level: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    for i in 0..coded.items as u32 {
        let extensions = frequent_pairs_from(coded, pairs, &tids, i, emit)?;
        level.extend(extensions.into_iter().map(|(j, list)| (vec![i, j], list)));
    }
    let partners = frequent_partners(coded, pairs);
    let mut size = 2;
    while !level.is_empty() && size < coded.max_len {
        let known: FxHashSet<&[u32]> = level.iter().map(|(s, _)| s.as_slice()).collect();
        let mut next: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
        // Le niveau est trié : ceux qui partagent un préfixe sont voisins.
        let mut start = 0;
        while start < level.len() {
            let prefix = &level[start].0[..size - 1];
            let end = start
                + level[start..]
                    .iter()
                    .take_while(|(s, _)| &s[..size - 1] == prefix)
                    .count();
            for a in start..end {
                let last = level[a].0[size - 1];
                let mut others = partners[last as usize].iter().peekable();
                for b in a + 1..end {
                    let extension = level[b].0[size - 1];
                    // Fusion : les partenaires de `last` plus petits que
                    // `extension` sont passés ; `extension` n'est gardé que
                    // s'il en est un.
                    while others.next_if(|&&other| other < extension).is_some() {}
                    if others.next_if_eq(&&extension).is_none() {
                        if others.peek().is_none() {
                            break;
                        }
                        continue;
                    }
                    let mut candidate = level[a].0.clone();
                    candidate.push(extension);
                    // Élagage : chaque sous-ensemble à un article de moins
                    // (hors les deux parents) doit être fréquent.
                    let pruned = (0..size - 1).any(|skip| {
                        let subset: Vec<u32> = candidate
                            .iter()
                            .enumerate()
                            .filter(|&(i, _)| i != skip)
                            .map(|(_, &x)| x)
                            .collect();
                        !known.contains(subset.as_slice())
                    });
                    if pruned {
                        continue;
                    }
                    emit.examined()?;
                    intersect(&level[a].1, &level[b].1, &mut scratch);
                    if scratch.len() as u32 >= coded.min_count {
                        emit.itemset(&candidate, scratch.len() as u32)?;
                        next.push((candidate, scratch.clone()));
                    }
                }
            }
            start = end;
        }
        level = next;
        size += 1;
    }
    Ok(())
}
