//! FP-growth : les paniers sont compressés dans un arbre de préfixes (les
//! articles les plus fréquents près de la racine), puis, pour chaque
//! article, l'arbre conditionnel des chemins qui y mènent est construit et
//! miné à son tour. Une pile explicite d'arbres conditionnels remplace la
//! récursion.

use rustc_hash::FxHashMap;

use super::mining::{Coded, Emit};

/// Un nœud : article, effectif, parent (`u32::MAX` pour la racine).
struct Node {
    item: u32,
    count: u32,
    parent: u32,
}

/// Un arbre FP : nœuds en arène, fils retrouvés par (parent, article), et
/// pour chaque article ses nœuds.
struct FpTree {
    nodes: Vec<Node>,
    children: FxHashMap<(u32, u32), u32>,
    /// (article, nœuds de l'article), articles par code croissant.
    header: Vec<(u32, Vec<u32>)>,
}

const ROOT: u32 = u32::MAX;

impl FpTree {
    /// Construit l'arbre de chemins pondérés, en ne gardant que les articles
    /// fréquents (au moins `min_count`) de ces chemins.
    fn build<'a>(paths: impl Iterator<Item = (&'a [u32], u32)> + Clone, min_count: u32) -> Self {
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for (path, count) in paths.clone() {
            for &item in path {
                *counts.entry(item).or_default() += count;
            }
        }
        let mut tree = FpTree {
            nodes: Vec::new(),
            children: FxHashMap::default(),
            header: Vec::new(),
        };
        let mut frequent: Vec<u32> = counts
            .iter()
            .filter(|&(_, &c)| c >= min_count)
            .map(|(&item, _)| item)
            .collect();
        if frequent.is_empty() {
            return tree;
        }
        frequent.sort_unstable();
        let slot: FxHashMap<u32, usize> = frequent
            .iter()
            .enumerate()
            .map(|(i, &item)| (item, i))
            .collect();
        tree.header = frequent.iter().map(|&item| (item, Vec::new())).collect();
        for (path, count) in paths {
            // Les chemins sont triés par code croissant : l'ordre de l'arbre.
            let mut parent = ROOT;
            for &item in path {
                let Some(&position) = slot.get(&item) else {
                    continue;
                };
                parent = match tree.children.get(&(parent, item)) {
                    Some(&node) => {
                        tree.nodes[node as usize].count += count;
                        node
                    }
                    None => {
                        let node = tree.nodes.len() as u32;
                        tree.nodes.push(Node {
                            item,
                            count,
                            parent,
                        });
                        tree.children.insert((parent, item), node);
                        tree.header[position].1.push(node);
                        node
                    }
                };
            }
        }
        tree
    }

    /// Chemins menant aux nœuds de l'article (sans lui), avec l'effectif de
    /// chaque nœud : la base conditionnelle de l'article.
    fn prefix_paths(&self, nodes: &[u32]) -> Vec<(Vec<u32>, u32)> {
        nodes
            .iter()
            .map(|&node| {
                let mut path = Vec::new();
                let mut at = self.nodes[node as usize].parent;
                while at != ROOT {
                    path.push(self.nodes[at as usize].item);
                    at = self.nodes[at as usize].parent;
                }
                path.reverse();
                (path, self.nodes[node as usize].count)
            })
            .filter(|(path, _)| !path.is_empty())
            .collect()
    }
}

/// Émet chaque itemset fréquent de `coded`.
pub fn mine(coded: &Coded, emit: &mut Emit<'_>) -> Result<(), ()> {
    let paths = coded.transactions.iter().map(|t| (t.as_slice(), 1u32));
    let mut stack = vec![(FpTree::build(paths, coded.min_count), Vec::<u32>::new())];
    while let Some((tree, prefix)) = stack.pop() {
        for (item, nodes) in &tree.header {
            let count: u32 = nodes.iter().map(|&n| tree.nodes[n as usize].count).sum();
            let mut itemset = prefix.clone();
            itemset.push(*item);
            emit.itemset(&itemset, count)?;
            if itemset.len() >= coded.max_len {
                continue;
            }
            let base = tree.prefix_paths(nodes);
            let conditional = FpTree::build(
                base.iter().map(|(path, count)| (path.as_slice(), *count)),
                coded.min_count,
            );
            if !conditional.header.is_empty() {
                stack.push((conditional, itemset));
            }
        }
    }
    Ok(())
}
