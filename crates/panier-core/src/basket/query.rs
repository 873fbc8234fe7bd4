//! Explorer les règles : recherche par article, règles d'un antécédent ou
//! d'un conséquent choisi, élagage des règles redondantes, tri et pages.
//!
//! Une règle A → C est **redondante** quand une règle de même conséquent et
//! d'antécédent strictement plus petit A' ⊂ A a une confiance au moins aussi
//! haute : A' suffit. (La règle A' → C passe alors forcément les mêmes
//! filtres : sa confiance et son lift sont au moins ceux de A → C.)

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::mining::itemset_key;
use super::rules::{Metrics, Rule, RuleSet};

/// Colonne de tri.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RuleSort {
    /// Ordre de la référence : lift, confiance, antécédent, conséquent.
    #[default]
    Lift,
    /// Confiance.
    Confidence,
    /// Support.
    Support,
    /// Levier.
    Leverage,
    /// Conviction.
    Conviction,
    /// Taille de l'antécédent puis ordre de la référence.
    AntecedentLength,
}

/// Une demande de l'interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleQuery {
    /// Texte cherché dans les articles de l'antécédent ou du conséquent
    /// (sans casse ; vide : toutes les règles).
    pub search: String,
    /// Seulement les règles dont l'antécédent a un article qui contient ce
    /// texte (sans casse) — ou, si le texte est le nom exact d'un article
    /// (sans casse), cet article-là seulement.
    pub antecedent: Option<String>,
    /// La même chose pour le conséquent.
    pub consequent: Option<String>,
    /// Masquer les règles redondantes.
    pub hide_redundant: bool,
    /// Tri (toujours décroissant sauf `ascending`).
    pub sort: RuleSort,
    /// Inverser le tri.
    pub ascending: bool,
    /// Première règle de la page.
    pub offset: usize,
    /// Règles par page.
    pub limit: usize,
}

impl Default for RuleQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            antecedent: None,
            consequent: None,
            hide_redundant: false,
            sort: RuleSort::Lift,
            ascending: false,
            offset: 0,
            limit: 25,
        }
    }
}

/// Une règle lisible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleRow {
    /// Articles de l'antécédent, triés.
    pub antecedents: Vec<String>,
    /// Articles du conséquent, triés.
    pub consequents: Vec<String>,
    /// Mesures.
    pub metrics: Metrics,
    /// Redondante (voir le module).
    pub redundant: bool,
}

/// Une page de règles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulePage {
    /// Règles qui passent la recherche et les filtres.
    pub total: usize,
    /// Règles redondantes de tout l'ensemble.
    pub redundant: usize,
    /// Règles de tout l'ensemble.
    pub all: usize,
    /// Les règles de la page.
    pub rows: Vec<RuleRow>,
}

/// Marque chaque règle redondante.
pub fn redundant_flags(set: &RuleSet) -> Vec<bool> {
    let mut subset = Vec::new();
    let mut union = Vec::new();
    set.rules
        .iter()
        .map(|rule| {
            let items = &set.itemsets.itemsets[rule.itemset as usize].items;
            let mask = rule.antecedent_mask;
            // Sous-masques stricts et non vides de l'antécédent.
            let mut sub = (mask - 1) & mask;
            while sub != 0 {
                subset.clear();
                union.clear();
                for (bit, &item) in items.iter().enumerate() {
                    let b = 1 << bit;
                    if sub & b != 0 {
                        subset.push(item);
                    }
                    if sub & b != 0 || mask & b == 0 {
                        union.push(item);
                    }
                }
                if let (Some(a), Some(ac)) = (set.count_of(&subset), set.count_of(&union)) {
                    let confidence = set.itemsets.support(ac) / set.itemsets.support(a);
                    if confidence >= rule.confidence {
                        return true;
                    }
                }
                sub = (sub - 1) & mask;
            }
            false
        })
        .collect()
}

/// Ordre de la référence (`association_rules.csv`) : lift décroissant,
/// confiance décroissante, puis antécédent et conséquent par clé JSON.
pub fn reference_order(set: &RuleSet, a: &Rule, b: &Rule) -> Ordering {
    b.lift
        .total_cmp(&a.lift)
        .then(b.confidence.total_cmp(&a.confidence))
        .then_with(|| {
            let key = |rule: &Rule| {
                let (x, y) = set.sides(rule);
                (
                    itemset_key(set.itemsets.names(&x)),
                    itemset_key(set.itemsets.names(&y)),
                )
            };
            key(a).cmp(&key(b))
        })
}

/// Indices des règles dans l'ordre de la référence.
pub fn sorted_by_reference(set: &RuleSet) -> Vec<usize> {
    let mut order: Vec<usize> = (0..set.rules.len()).collect();
    crate::kernels::sort_by(&mut order, |&a, &b| {
        reference_order(set, &set.rules[a], &set.rules[b])
    });
    order
}

/// Répond à une demande de l'interface.
pub fn query(set: &RuleSet, redundant: &[bool], q: &RuleQuery) -> RulePage {
    // Les noms en minuscules, une fois pour la recherche et les deux filtres
    // (seulement si l'un d'eux est demandé).
    let wanted = [
        Some(q.search.as_str()).filter(|s| !s.trim().is_empty()),
        q.antecedent.as_deref(),
        q.consequent.as_deref(),
    ];
    let names: Vec<String> = if wanted.iter().any(Option::is_some) {
        set.itemsets
            .items
            .iter()
            .map(|n| n.to_lowercase())
            .collect()
    } else {
        Vec::new()
    };
    let containing = |text: &str| -> Vec<bool> {
        let text = text.trim().to_lowercase();
        names.iter().map(|n| n.contains(&text)).collect()
    };
    // Les articles qu'un filtre désigne : le nom exact s'il y en a un (sans
    // casse), sinon tous ceux dont le nom contient le texte.
    let designated = |text: &str| -> Vec<bool> {
        let exact = text.trim().to_lowercase();
        if names.contains(&exact) {
            names.iter().map(|n| *n == exact).collect()
        } else {
            containing(text)
        }
    };
    let [search, antecedent, consequent] = wanted;
    // Articles dont le nom contient le texte cherché.
    let matching = search.map(containing);
    let antecedent = antecedent.map(designated);
    let consequent = consequent.map(designated);
    let mut selected: Vec<usize> = (0..set.rules.len())
        .filter(|&i| {
            if q.hide_redundant && redundant.get(i).copied().unwrap_or(false) {
                return false;
            }
            let rule = &set.rules[i];
            let (a, c) = set.sides(rule);
            let wanted = |side: &[u32], items: &Option<Vec<bool>>| match items {
                None => true,
                Some(items) => side.iter().any(|&id| items[id as usize]),
            };
            wanted(&a, &antecedent)
                && wanted(&c, &consequent)
                && matching
                    .as_ref()
                    .is_none_or(|m| a.iter().chain(&c).any(|&i| m[i as usize]))
        })
        .collect();
    let metric = |rule: &Rule| -> f64 {
        match q.sort {
            RuleSort::Lift | RuleSort::AntecedentLength => rule.lift,
            RuleSort::Confidence => rule.confidence,
            RuleSort::Support => f64::from(set.itemsets.itemsets[rule.itemset as usize].count),
            RuleSort::Leverage => set.metrics(rule).leverage,
            RuleSort::Conviction => set.metrics(rule).conviction,
        }
    };
    crate::kernels::sort_by(&mut selected, |&x, &y| {
        let (a, b) = (&set.rules[x], &set.rules[y]);
        let primary = match q.sort {
            RuleSort::AntecedentLength => a
                .antecedent_mask
                .count_ones()
                .cmp(&b.antecedent_mask.count_ones())
                .reverse(),
            _ => metric(b).total_cmp(&metric(a)),
        };
        let primary = if q.ascending {
            primary.reverse()
        } else {
            primary
        };
        primary.then_with(|| reference_order(set, a, b))
    });
    let total = selected.len();
    let rows = selected
        .into_iter()
        .skip(q.offset)
        .take(q.limit)
        .map(|i| row(set, i, redundant))
        .collect();
    RulePage {
        total,
        redundant: redundant.iter().filter(|&&r| r).count(),
        all: set.rules.len(),
        rows,
    }
}

/// La règle `index`, lisible.
pub fn row(set: &RuleSet, index: usize, redundant: &[bool]) -> RuleRow {
    let rule = &set.rules[index];
    let (a, c) = set.sides(rule);
    RuleRow {
        antecedents: set.itemsets.names(&a).map(String::from).collect(),
        consequents: set.itemsets.names(&c).map(String::from).collect(),
        metrics: set.metrics(rule),
        redundant: redundant.get(index).copied().unwrap_or(false),
    }
}

/// Points (support, confiance, lift) du nuage des règles : toutes, ou les
/// `max` de plus fort lift.
pub fn scatter_points(set: &RuleSet, max: usize) -> Vec<(f64, f64, f64)> {
    let mut order: Vec<usize> = (0..set.rules.len()).collect();
    if order.len() > max {
        order.select_nth_unstable_by(max, |&a, &b| {
            set.rules[b].lift.total_cmp(&set.rules[a].lift)
        });
        order.truncate(max);
    }
    order
        .into_iter()
        .map(|i| {
            let rule = &set.rules[i];
            let support = set
                .itemsets
                .support(set.itemsets.itemsets[rule.itemset as usize].count);
            (support, rule.confidence, rule.lift)
        })
        .collect()
}

/// Les règles les plus fortes (lift, puis ordre de la référence), sans les
/// redondantes : les « meilleures associations » et le graphe.
pub fn strongest(set: &RuleSet, redundant: &[bool], count: usize) -> Vec<RuleRow> {
    query(
        set,
        redundant,
        &RuleQuery {
            hide_redundant: true,
            limit: count,
            ..Default::default()
        },
    )
    .rows
}

/// Une association du « top 10 » : ce qu'un responsable marketing peut en
/// faire, une fois les doublons retirés.
///
/// A → B et B → A disent la même chose (le lift est le même, seule la
/// confiance change) ; AB → C et AC → B aussi (le même ensemble d'articles
/// acheté ensemble). Une association est donc **un ensemble d'articles**,
/// montré dans son sens le plus sûr (la plus forte confiance), avec les
/// autres sens en mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    /// La règle montrée : le sens le plus sûr.
    pub rule: RuleRow,
    /// Les autres sens du même ensemble (au plus deux), du plus sûr au
    /// moins sûr.
    pub others: Vec<RuleRow>,
    /// Commandes qui contiennent l'antécédent : celles où la suggestion peut
    /// être faite.
    pub reach: u32,
    /// Commandes qui contiennent aussi le conséquent, au-delà de ce que le
    /// hasard donnerait parmi elles : `reach × (confiance − support(C))`.
    /// C'est l'enjeu : « pourquoi c'est important ».
    pub extra_orders: f64,
}

/// Les `count` associations les plus fortes (lift, puis ordre de la
/// référence), **variées** : une seule par ensemble d'articles, et aucune
/// qui reprenne une paire d'articles déjà montrée (« ciseaux + ruban »
/// n'apparaît qu'une fois, seule ou dans un trio). Les règles redondantes
/// ne sont jamais montrées.
pub fn insights(set: &RuleSet, redundant: &[bool], count: usize) -> Vec<Insight> {
    use std::collections::{HashMap, HashSet};
    let order = sorted_by_reference(set);
    let is_redundant = |index: usize| redundant.get(index).copied().unwrap_or(false);
    // Les règles de chaque ensemble d'articles, dans l'ordre de la référence.
    let mut by_itemset: HashMap<u32, Vec<usize>> = HashMap::new();
    for &index in &order {
        by_itemset
            .entry(set.rules[index].itemset)
            .or_default()
            .push(index);
    }
    let mut shown_pairs: HashSet<(u32, u32)> = HashSet::new();
    let mut shown_itemsets: HashSet<u32> = HashSet::new();
    let mut insights = Vec::new();
    for &index in &order {
        if insights.len() >= count {
            break;
        }
        let itemset = set.rules[index].itemset;
        if is_redundant(index) || shown_itemsets.contains(&itemset) {
            continue;
        }
        let items = &set.itemsets.itemsets[itemset as usize].items;
        let pairs: Vec<(u32, u32)> = items
            .iter()
            .enumerate()
            .flat_map(|(i, &a)| items[i + 1..].iter().map(move |&b| (a.min(b), a.max(b))))
            .collect();
        if pairs.iter().any(|pair| shown_pairs.contains(pair)) {
            continue;
        }
        shown_itemsets.insert(itemset);
        shown_pairs.extend(pairs);
        // Le sens le plus sûr (à confiance égale, l'ordre de la référence),
        // parmi les règles non redondantes de cet ensemble.
        let mut group: Vec<usize> = by_itemset[&itemset].clone();
        crate::kernels::sort_by(&mut group, |&a, &b| {
            is_redundant(a)
                .cmp(&is_redundant(b))
                .then(set.rules[b].confidence.total_cmp(&set.rules[a].confidence))
                .then_with(|| reference_order(set, &set.rules[a], &set.rules[b]))
        });
        let main = group[0];
        let rule = &set.rules[main];
        let metrics = set.metrics(rule);
        insights.push(Insight {
            rule: row(set, main, redundant),
            others: group[1..]
                .iter()
                .take(2)
                .map(|&other| row(set, other, redundant))
                .collect(),
            reach: rule.antecedent_count,
            extra_orders: f64::from(rule.antecedent_count)
                * (metrics.confidence - metrics.consequent_support),
        });
    }
    insights
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basket::mining::{mine, MinSupport, MiningOptions};
    use crate::basket::rules::{generate_rules, RuleOptions};
    use crate::basket::Baskets;

    fn set() -> RuleSet {
        // « x » accompagne toujours « y » ; « z » n'ajoute rien.
        rules_of(&[
            vec!["x", "y", "z"],
            vec!["x", "y"],
            vec!["x", "y", "z"],
            vec!["z"],
            vec!["w"],
        ])
    }

    /// Toutes les règles (support de 2 paniers, tout lift) de ces paniers.
    fn rules_of(names: &[Vec<&str>]) -> RuleSet {
        let baskets = Baskets::from_names(names);
        let fi = mine(
            &baskets,
            &MiningOptions {
                min_support: MinSupport::Count(2),
                ..Default::default()
            },
        )
        .unwrap();
        generate_rules(
            fi,
            &RuleOptions {
                min_lift: 0.0,
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_larger_antecedent_without_better_confidence_is_redundant() {
        let set = set();
        let flags = redundant_flags(&set);
        let by_sides = |a: &[&str], c: &[&str]| {
            (0..set.rules.len())
                .find(|&i| {
                    let r = row(&set, i, &flags);
                    r.antecedents == a && r.consequents == c
                })
                .unwrap()
        };
        // x, z → y (confiance 1) : x → y a déjà une confiance de 1.
        assert!(flags[by_sides(&["x", "z"], &["y"])]);
        assert!(!flags[by_sides(&["x"], &["y"])]);
        // Un antécédent d'un seul article n'est jamais redondant.
        assert!(!flags[by_sides(&["z"], &["x", "y"])]);
        let page = query(
            &set,
            &flags,
            &RuleQuery {
                hide_redundant: true,
                limit: 100,
                ..Default::default()
            },
        );
        assert_eq!(page.total + page.redundant, page.all);
    }

    #[test]
    fn side_filters_match_part_of_a_name_or_exactly_one_item() {
        let set = rules_of(&[
            vec!["RED HEART", "HEART", "LANTERN"],
            vec!["RED HEART", "HEART", "LANTERN"],
            vec!["RED HEART", "LANTERN"],
            vec!["HEART", "LANTERN"],
        ]);
        let flags = redundant_flags(&set);
        let antecedents = |text: &str| {
            query(
                &set,
                &flags,
                &RuleQuery {
                    antecedent: Some(text.into()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .rows
        };
        // Une partie du nom, sans casse : les deux cœurs.
        let part = antecedents("ear");
        assert!(!part.is_empty());
        assert!(part
            .iter()
            .all(|r| r.antecedents.iter().any(|a| a.contains("HEART"))));
        assert!(part.iter().any(|r| r.antecedents == ["RED HEART"]));
        // Le nom exact d'un article : cet article seulement.
        let exact = antecedents("heart");
        assert!(!exact.is_empty());
        assert!(exact
            .iter()
            .all(|r| r.antecedents.contains(&"HEART".to_string())));
    }

    #[test]
    fn search_and_side_filters() {
        let set = set();
        let flags = redundant_flags(&set);
        let all = query(
            &set,
            &flags,
            &RuleQuery {
                limit: 100,
                ..Default::default()
            },
        );
        let with_z = query(
            &set,
            &flags,
            &RuleQuery {
                search: "Z".into(),
                limit: 100,
                ..Default::default()
            },
        );
        assert!(with_z.total < all.total);
        assert!(with_z.rows.iter().all(|r| r
            .antecedents
            .iter()
            .chain(&r.consequents)
            .any(|i| i == "z")));
        let to_y = query(
            &set,
            &flags,
            &RuleQuery {
                consequent: Some("y".into()),
                limit: 100,
                ..Default::default()
            },
        );
        assert!(to_y
            .rows
            .iter()
            .all(|r| r.consequents.contains(&"y".to_string())));
        let unknown = query(
            &set,
            &flags,
            &RuleQuery {
                antecedent: Some("nope".into()),
                ..Default::default()
            },
        );
        assert_eq!(unknown.total, 0);
        // Tri par lift décroissant, pages.
        let lifts: Vec<f64> = all.rows.iter().map(|r| r.metrics.lift).collect();
        assert!(lifts.windows(2).all(|w| w[0] >= w[1]));
        let second = query(
            &set,
            &flags,
            &RuleQuery {
                offset: 1,
                limit: 1,
                ..Default::default()
            },
        );
        assert_eq!(second.rows[0], all.rows[1]);
    }
}
