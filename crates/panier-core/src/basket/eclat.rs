//! Eclat : parcours en profondeur des itemsets, le support d'une extension
//! étant l'intersection des listes de paniers. Une pile explicite remplace
//! la récursion.

use super::mining::{Coded, Emit};
use super::tidlist::intersect;

/// Une étape du parcours : un préfixe et ses extensions fréquentes, chacune
/// avec la liste des paniers qui contiennent préfixe + extension.
struct Frame {
    prefix: Vec<u32>,
    extensions: Vec<(u32, Vec<u32>)>,
}

/// Émet chaque itemset fréquent de `coded`.
pub fn mine(coded: &Coded, emit: &mut Emit<'_>) -> Result<(), ()> {
    let mut stack = vec![Frame {
        prefix: Vec::new(),
        extensions: coded
            .tidlists()
            .into_iter()
            .enumerate()
            .map(|(i, t)| (i as u32, t))
            .collect(),
    }];
    let mut scratch = Vec::new();
    while let Some(frame) = stack.pop() {
        for (i, (item, tids)) in frame.extensions.iter().enumerate() {
            let mut itemset = frame.prefix.clone();
            itemset.push(*item);
            emit.itemset(&itemset, tids.len() as u32)?;
            if itemset.len() >= coded.max_len {
                continue;
            }
            let mut children = Vec::new();
            for (other, other_tids) in &frame.extensions[i + 1..] {
                intersect(tids, other_tids, &mut scratch);
                if scratch.len() as u32 >= coded.min_count {
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
    Ok(())
}
