//! Eclat : parcours en profondeur des itemsets, le support d'une extension
//! étant l'intersection des listes de paniers. Les paires sont comptées
//! d'avance en un passage ([`Coded::pair_counts`]) : seules les paires
//! fréquentes voient leurs listes intersectées. Une pile explicite remplace
//! la récursion.

use super::mining::{
    emit_items, frequent_pairs_from, frequent_partners, Coded, Emit, Halt, PairCounts,
};
use super::tidlist::intersect;

/// Une étape du parcours : un itemset déjà émis (le préfixe) et ses
/// extensions fréquentes, chacune avec la liste des paniers qui contiennent
/// préfixe + extension.
struct Frame {
    prefix: Vec<u32>,
    extensions: Vec<(u32, Vec<u32>)>,
}

/// Émet chaque itemset fréquent de `coded`.
pub fn mine(coded: &Coded, pairs: Option<&PairCounts>, emit: &mut Emit<'_>) -> Result<(), Halt> {
    let tids = emit_items(coded, emit)?;
    let Some(pairs) = pairs.filter(|_| coded.max_len >= 2) else {
        return Ok(());
    };
    // Une extension `other` de `prefix + item` n'est essayée que si la
    // paire `{item, other}` est fréquente (voir [`frequent_partners`]).
    let partners = frequent_partners(coded, pairs);
    let mut scratch = Vec::new();
    let mut stack = Vec::new();
    for i in 0..coded.items as u32 {
        // Les paires fréquentes (i, j) : émises d'après les comptes, leurs
        // listes calculées seulement s'il faut aller plus loin.
        let extensions = frequent_pairs_from(coded, pairs, &tids, i, emit)?;
        if extensions.len() < 2 {
            continue;
        }
        stack.push(Frame {
            prefix: vec![i],
            extensions,
        });
        while let Some(frame) = stack.pop() {
            for (k, (item, list)) in frame.extensions.iter().enumerate() {
                let mut itemset = frame.prefix.clone();
                itemset.push(*item);
                // prefix + item est déjà émis ; on cherche ses extensions.
                if itemset.len() >= coded.max_len {
                    continue;
                }
                let mut children = Vec::new();
                let mut allowed = partners[*item as usize].iter().peekable();
                for (other, other_list) in &frame.extensions[k + 1..] {
                    while allowed.next_if(|&&x| x < *other).is_some() {}
                    if allowed.next_if_eq(&other).is_none() {
                        if allowed.peek().is_none() {
                            break;
                        }
                        continue;
                    }
                    emit.examined()?;
                    intersect(list, other_list, &mut scratch);
                    if scratch.len() as u32 >= coded.min_count {
                        let mut found = itemset.clone();
                        found.push(*other);
                        emit.itemset(&found, scratch.len() as u32)?;
                        children.push((*other, scratch.clone()));
                    }
                }
                if !children.is_empty() {
                    stack.push(Frame {
                        prefix: itemset,
                        extensions: children,
                    });
                }
            }
        }
    }
    Ok(())
}
