//! FP-growth : les paniers sont compressés dans un arbre de préfixes (les
//! articles les plus fréquents près de la racine), puis, pour chaque
//! article, l'arbre conditionnel des chemins qui y mènent est construit et
//! miné à son tour. Une pile explicite d'arbres conditionnels remplace la
//! récursion.
//!
//! Deux économies classiques : les comptes se font dans des tableaux denses
//! réutilisés d'un arbre à l'autre, et un arbre réduit à un seul chemin
//! donne directement toutes ses combinaisons (l'effectif d'une combinaison
//! est celui de son article le plus profond).

use rustc_hash::FxHashMap;

use super::mining::{Coded, Emit, Halt};

const ROOT: u32 = u32::MAX;
const NONE: u32 = u32::MAX;

/// Un arbre FP en arène.
struct FpTree {
    item: Vec<u32>,
    count: Vec<u32>,
    parent: Vec<u32>,
    /// Nombre de fils de chaque nœud (pour reconnaître un chemin unique).
    children: Vec<u32>,
    /// Nombre de fils de la racine.
    root_children: u32,
    /// (article, nœuds de l'article), articles par code croissant.
    header: Vec<(u32, Vec<u32>)>,
}

/// Tableaux de travail partagés par toutes les constructions d'arbres.
struct Scratch {
    counts: Vec<u32>,
    slot: Vec<u32>,
    touched: Vec<u32>,
    child: FxHashMap<(u32, u32), u32>,
}

/// Des chemins pondérés, à plat : `items[offsets[i]..offsets[i + 1]]`.
#[derive(Default)]
struct Paths {
    items: Vec<u32>,
    offsets: Vec<usize>,
    weights: Vec<u32>,
}

impl Paths {
    fn iter(&self) -> impl Iterator<Item = (&[u32], u32)> + '_ {
        self.weights
            .iter()
            .enumerate()
            .map(|(i, &w)| (&self.items[self.offsets[i]..self.offsets[i + 1]], w))
    }
}

impl FpTree {
    /// Construit l'arbre des chemins, en ne gardant que les articles
    /// fréquents (au moins `min_count`) de ces chemins.
    fn build(paths: &Paths, min_count: u32, scratch: &mut Scratch) -> Self {
        for (path, weight) in paths.iter() {
            for &item in path {
                let count = &mut scratch.counts[item as usize];
                if *count == 0 {
                    scratch.touched.push(item);
                }
                *count += weight;
            }
        }
        let mut frequent: Vec<u32> = scratch
            .touched
            .iter()
            .copied()
            .filter(|&item| scratch.counts[item as usize] >= min_count)
            .collect();
        frequent.sort_unstable();
        for &item in &scratch.touched {
            scratch.counts[item as usize] = 0;
        }
        scratch.touched.clear();
        let mut tree = FpTree {
            item: Vec::new(),
            count: Vec::new(),
            parent: Vec::new(),
            children: Vec::new(),
            root_children: 0,
            header: frequent.iter().map(|&item| (item, Vec::new())).collect(),
        };
        if frequent.is_empty() {
            return tree;
        }
        for (position, &item) in frequent.iter().enumerate() {
            scratch.slot[item as usize] = position as u32;
        }
        // Une table à la taille de cet arbre : vider celle du grand arbre
        // initial coûterait sa capacité entière à chaque petit arbre.
        scratch.child =
            FxHashMap::with_capacity_and_hasher(paths.items.len().min(1 << 16), Default::default());
        for (path, weight) in paths.iter() {
            // Les chemins sont triés par code croissant : l'ordre de l'arbre.
            let mut parent = ROOT;
            for &item in path {
                let position = scratch.slot[item as usize];
                if position == NONE {
                    continue;
                }
                parent = match scratch.child.get(&(parent, item)) {
                    Some(&node) => {
                        tree.count[node as usize] += weight;
                        node
                    }
                    None => {
                        let node = tree.item.len() as u32;
                        tree.item.push(item);
                        tree.count.push(weight);
                        tree.parent.push(parent);
                        tree.children.push(0);
                        if parent == ROOT {
                            tree.root_children += 1;
                        } else {
                            tree.children[parent as usize] += 1;
                        }
                        scratch.child.insert((parent, item), node);
                        tree.header[position as usize].1.push(node);
                        node
                    }
                };
            }
        }
        for &item in &frequent {
            scratch.slot[item as usize] = NONE;
        }
        tree
    }

    /// Vrai quand l'arbre est un seul chemin depuis la racine.
    fn is_single_path(&self) -> bool {
        self.root_children <= 1 && self.children.iter().all(|&c| c <= 1)
    }

    /// Base conditionnelle d'un article : les chemins qui mènent à ses nœuds
    /// (sans lui), pondérés par l'effectif de chaque nœud.
    fn prefix_paths(&self, nodes: &[u32], out: &mut Paths) {
        out.items.clear();
        out.offsets.clear();
        out.weights.clear();
        out.offsets.push(0);
        for &node in nodes {
            let start = out.items.len();
            let mut at = self.parent[node as usize];
            while at != ROOT {
                out.items.push(self.item[at as usize]);
                at = self.parent[at as usize];
            }
            if out.items.len() == start {
                continue;
            }
            out.items[start..].reverse();
            out.offsets.push(out.items.len());
            out.weights.push(self.count[node as usize]);
        }
    }
}

/// Émet chaque combinaison non vide d'un chemin unique, ajoutée au préfixe.
fn emit_single_path(
    tree: &FpTree,
    prefix: &[u32],
    max_len: usize,
    emit: &mut Emit<'_>,
) -> Result<(), Halt> {
    // Nœuds du chemin, de la racine vers le bas (codes croissants).
    let path: Vec<(u32, u32)> = tree
        .header
        .iter()
        .map(|(item, nodes)| (*item, tree.count[nodes[0] as usize]))
        .collect();
    let room = max_len - prefix.len();
    // Combinaisons par parcours explicite : (prochain indice, choisis).
    let mut stack: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new())];
    let mut itemset = Vec::with_capacity(max_len.min(prefix.len() + path.len()));
    while let Some((next, chosen)) = stack.pop() {
        for i in next..path.len() {
            let mut extended = chosen.clone();
            extended.push(i);
            itemset.clear();
            itemset.extend_from_slice(prefix);
            itemset.extend(extended.iter().map(|&j| path[j].0));
            // L'article le plus profond a le plus petit effectif.
            emit.itemset(&itemset, path[i].1)?;
            if extended.len() < room {
                stack.push((i + 1, extended));
            }
        }
    }
    Ok(())
}

/// Émet chaque itemset fréquent de `coded`.
pub fn mine(coded: &Coded, emit: &mut Emit<'_>) -> Result<(), Halt> {
    let mut scratch = Scratch {
        counts: vec![0; coded.items],
        slot: vec![NONE; coded.items],
        touched: Vec::new(),
        child: FxHashMap::default(),
    };
    let mut paths = Paths::default();
    paths.offsets.push(0);
    for basket in &coded.transactions {
        if basket.is_empty() {
            continue;
        }
        paths.items.extend_from_slice(basket);
        paths.offsets.push(paths.items.len());
        paths.weights.push(1);
    }
    let mut stack = vec![(
        FpTree::build(&paths, coded.min_count, &mut scratch),
        Vec::<u32>::new(),
    )];
    while let Some((tree, prefix)) = stack.pop() {
        if tree.is_single_path() {
            emit_single_path(&tree, &prefix, coded.max_len, emit)?;
            continue;
        }
        for (item, nodes) in &tree.header {
            let count: u32 = nodes.iter().map(|&n| tree.count[n as usize]).sum();
            let mut itemset = prefix.clone();
            itemset.push(*item);
            emit.itemset(&itemset, count)?;
            if itemset.len() >= coded.max_len {
                continue;
            }
            tree.prefix_paths(nodes, &mut paths);
            let conditional = FpTree::build(&paths, coded.min_count, &mut scratch);
            if !conditional.header.is_empty() {
                stack.push((conditional, itemset));
            }
        }
    }
    Ok(())
}
