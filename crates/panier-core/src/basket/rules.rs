//! Règles d'association : chaque découpage de chaque itemset fréquent (de
//! taille ≥ 2) en antécédent et conséquent non vides — conséquents à
//! plusieurs articles compris, comme mlxtend — avec ses mesures.
//!
//! Une règle tient en 32 octets (l'itemset, le masque de son antécédent,
//! deux effectifs, confiance et lift) : un million de règles, 32 Mo. Les
//! autres mesures se recalculent à la demande, exactement comme mlxtend 0.25
//! les calcule.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::mining::{FrequentItemsets, ITEMSETS_PER_CHECK};
use crate::error::PanierError;
use crate::progress::{keep_going, NoProgress, ProgressSink, Stage};

/// Plafond par défaut du nombre de règles.
pub const DEFAULT_MAX_RULES: usize = 1_000_000;

/// Taille maximale d'un itemset découpé en règles (masque de 32 bits).
const MAX_RULE_ITEMSET: usize = 31;

/// Filtres et plafond de la génération.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RuleOptions {
    /// Confiance minimale (0 à 1).
    pub min_confidence: f64,
    /// Lift minimal (1 par défaut, comme la référence).
    pub min_lift: f64,
    /// Au-delà, la génération s'arrête avec un message.
    pub max_rules: usize,
}

impl Default for RuleOptions {
    fn default() -> Self {
        Self {
            min_confidence: 0.0,
            min_lift: 1.0,
            max_rules: DEFAULT_MAX_RULES,
        }
    }
}

/// Une règle, sous forme compacte.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    /// Indice de l'itemset (antécédent ∪ conséquent).
    pub itemset: u32,
    /// Bits des articles de l'itemset qui forment l'antécédent.
    pub antecedent_mask: u32,
    /// Paniers contenant l'antécédent.
    pub antecedent_count: u32,
    /// Paniers contenant le conséquent.
    pub consequent_count: u32,
    /// Confiance, support(A ∪ C) / support(A).
    pub confidence: f64,
    /// Lift, confiance / support(C).
    pub lift: f64,
}

/// Les mesures d'une règle, celles de mlxtend 0.25.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Support de l'antécédent.
    pub antecedent_support: f64,
    /// Support du conséquent.
    pub consequent_support: f64,
    /// Support de la règle (antécédent ∪ conséquent).
    pub support: f64,
    /// Confiance.
    pub confidence: f64,
    /// Lift.
    pub lift: f64,
    /// Levier : support − support(A) × support(C).
    pub leverage: f64,
    /// Conviction ; infinie quand la confiance vaut 1.
    pub conviction: f64,
    /// Mesure de Zhang.
    pub zhangs_metric: f64,
    /// Indice de Jaccard.
    pub jaccard: f64,
    /// Facteur de certitude.
    pub certainty: f64,
    /// Mesure de Kulczynski.
    pub kulczynski: f64,
}

impl Metrics {
    /// Les mesures à partir des trois supports, avec les formules (et
    /// l'ordre des opérations) de mlxtend.
    pub fn new(s_ac: f64, s_a: f64, s_c: f64) -> Self {
        let confidence = s_ac / s_a;
        let lift = confidence / s_c;
        let leverage = s_ac - s_a * s_c;
        let conviction = if confidence < 1.0 {
            (1.0 - s_c) / (1.0 - confidence)
        } else {
            f64::INFINITY
        };
        let denominator = (s_ac * (1.0 - s_a)).max(s_a * (s_c - s_ac));
        let zhangs_metric = if denominator == 0.0 {
            0.0
        } else {
            leverage / denominator
        };
        let jaccard = s_ac / (s_a + s_c - s_ac);
        let certainty_denominator = 1.0 - s_c;
        let certainty = if certainty_denominator == 0.0 {
            0.0
        } else {
            (confidence - s_c) / certainty_denominator
        };
        let kulczynski = (s_ac / s_a + s_ac / s_c) / 2.0;
        Self {
            antecedent_support: s_a,
            consequent_support: s_c,
            support: s_ac,
            confidence,
            lift,
            leverage,
            conviction,
            zhangs_metric,
            jaccard,
            certainty,
            kulczynski,
        }
    }
}

/// Les règles d'un jeu d'itemsets.
///
/// Sérialisable (le worker des paniers renvoie ses résultats au worker
/// d'analyse) : la table des effectifs n'est pas transmise, elle se
/// reconstruit à la lecture depuis les itemsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RuleSetParts")]
pub struct RuleSet {
    /// Les itemsets d'où viennent les règles.
    pub itemsets: FrequentItemsets,
    /// Les règles retenues, dans l'ordre de génération.
    pub rules: Vec<Rule>,
    /// Filtres appliqués.
    pub options: RuleOptions,
    /// Effectif de chaque itemset, par liste d'articles.
    #[serde(skip_serializing)]
    counts: FxHashMap<Vec<u32>, u32>,
}

/// Un [`RuleSet`] tel qu'il est transmis : sans sa table des effectifs.
#[derive(Deserialize)]
struct RuleSetParts {
    itemsets: FrequentItemsets,
    rules: Vec<Rule>,
    options: RuleOptions,
}

impl From<RuleSetParts> for RuleSet {
    fn from(parts: RuleSetParts) -> Self {
        let counts = count_table(&parts.itemsets);
        RuleSet {
            itemsets: parts.itemsets,
            rules: parts.rules,
            options: parts.options,
            counts,
        }
    }
}

/// Effectif de chaque itemset, par liste d'articles.
fn count_table(itemsets: &FrequentItemsets) -> FxHashMap<Vec<u32>, u32> {
    itemsets
        .itemsets
        .iter()
        .map(|s| (s.items.clone(), s.count))
        .collect()
}

impl RuleSet {
    /// Articles de l'antécédent et du conséquent.
    pub fn sides(&self, rule: &Rule) -> (Vec<u32>, Vec<u32>) {
        let items = &self.itemsets.itemsets[rule.itemset as usize].items;
        split(items, rule.antecedent_mask)
    }

    /// Les mesures complètes d'une règle.
    pub fn metrics(&self, rule: &Rule) -> Metrics {
        let fi = &self.itemsets;
        Metrics::new(
            fi.support(fi.itemsets[rule.itemset as usize].count),
            fi.support(rule.antecedent_count),
            fi.support(rule.consequent_count),
        )
    }

    /// Effectif d'un itemset fréquent (articles triés par nom).
    pub fn count_of(&self, items: &[u32]) -> Option<u32> {
        self.counts.get(items).copied()
    }
}

/// Sépare les articles selon le masque : (bits à 1, bits à 0).
fn split(items: &[u32], mask: u32) -> (Vec<u32>, Vec<u32>) {
    let mut antecedent = Vec::new();
    let mut consequent = Vec::new();
    for (bit, &item) in items.iter().enumerate() {
        if mask & (1 << bit) != 0 {
            antecedent.push(item);
        } else {
            consequent.push(item);
        }
    }
    (antecedent, consequent)
}

/// Génère les règles de tous les itemsets fréquents de taille ≥ 2.
pub fn generate_rules(
    itemsets: FrequentItemsets,
    options: &RuleOptions,
) -> Result<RuleSet, PanierError> {
    generate_rules_with(itemsets, options, &mut NoProgress)
}

/// Génère les règles, en demandant régulièrement à `sink` s'il faut
/// continuer (`Err(Cancelled)` sinon).
pub fn generate_rules_with(
    itemsets: FrequentItemsets,
    options: &RuleOptions,
    sink: &mut dyn ProgressSink,
) -> Result<RuleSet, PanierError> {
    if !(0.0..=1.0).contains(&options.min_confidence) {
        return Err(PanierError::InvalidParameter {
            name: "min_confidence".into(),
            value: options.min_confidence.to_string(),
            expected: "0 ≤ min_confidence ≤ 1".into(),
        });
    }
    if options.min_lift.is_nan() || options.min_lift < 0.0 {
        return Err(PanierError::InvalidParameter {
            name: "min_lift".into(),
            value: options.min_lift.to_string(),
            expected: "≥ 0".into(),
        });
    }
    let counts = count_table(&itemsets);
    let mut rules = Vec::new();
    let (mut antecedent, mut consequent) = (Vec::new(), Vec::new());
    for (index, itemset) in itemsets.itemsets.iter().enumerate() {
        if index % ITEMSETS_PER_CHECK == ITEMSETS_PER_CHECK - 1 {
            keep_going(sink, Stage::Baskets)?;
        }
        let k = itemset.items.len();
        if !(2..=MAX_RULE_ITEMSET).contains(&k) {
            continue;
        }
        let s_ac = itemsets.support(itemset.count);
        for mask in 1u32..(1u32 << k) - 1 {
            antecedent.clear();
            consequent.clear();
            for (bit, &item) in itemset.items.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    antecedent.push(item);
                } else {
                    consequent.push(item);
                }
            }
            // Tout sous-ensemble d'un itemset fréquent est fréquent.
            let (Some(&a), Some(&c)) = (counts.get(&antecedent), counts.get(&consequent)) else {
                continue;
            };
            let confidence = s_ac / itemsets.support(a);
            let lift = confidence / itemsets.support(c);
            if lift >= options.min_lift && confidence >= options.min_confidence {
                if rules.len() >= options.max_rules {
                    return Err(PanierError::TooManyRules {
                        cap: options.max_rules as u64,
                    });
                }
                rules.push(Rule {
                    itemset: index as u32,
                    antecedent_mask: mask,
                    antecedent_count: a,
                    consequent_count: c,
                    confidence,
                    lift,
                });
            }
        }
    }
    Ok(RuleSet {
        itemsets,
        rules,
        options: *options,
        counts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basket::mining::{mine, MinSupport, MiningOptions};
    use crate::basket::Baskets;

    fn rules(min_lift: f64) -> RuleSet {
        let baskets = Baskets::from_names(&[
            vec!["a", "b", "c"],
            vec!["a", "b"],
            vec!["a", "b"],
            vec!["c"],
            vec!["a", "c"],
        ]);
        let fi = mine(
            &baskets,
            &MiningOptions {
                min_support: MinSupport::Count(1),
                ..Default::default()
            },
        )
        .unwrap();
        generate_rules(
            fi,
            &RuleOptions {
                min_lift,
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn every_split_of_every_itemset_is_a_rule() {
        // Itemsets de taille 2 : ab, ac, bc (2 règles chacun) ; abc : 6 règles.
        let set = rules(0.0);
        assert_eq!(set.rules.len(), 3 * 2 + 6);
        let names = |items: &[u32]| -> Vec<String> {
            set.itemsets.names(items).map(String::from).collect()
        };
        let with_two_consequents = set
            .rules
            .iter()
            .filter(|r| set.sides(r).1.len() == 2)
            .count();
        assert_eq!(with_two_consequents, 3);
        let ab = set
            .rules
            .iter()
            .find(|r| {
                let (a, c) = set.sides(r);
                names(&a) == ["a"] && names(&c) == ["b"]
            })
            .unwrap();
        let m = set.metrics(ab);
        assert_eq!(m.support, 0.6);
        // Supports 3/5 et 4/5 : la confiance est le quotient flottant, comme mlxtend.
        assert_eq!(m.confidence, 0.6 / 0.8);
        assert_eq!(m.lift, 0.6 / 0.8 / 0.6);
        assert!((m.leverage - (0.6 - 0.8 * 0.6)).abs() < 1e-15);
    }

    #[test]
    fn the_lift_filter_and_infinite_conviction() {
        let set = rules(1.0);
        assert!(set.rules.iter().all(|r| r.lift >= 1.0));
        // b → a : confiance 1, conviction infinie.
        let sure = set.rules.iter().find(|r| r.confidence == 1.0).unwrap();
        assert_eq!(set.metrics(sure).conviction, f64::INFINITY);
    }

    #[test]
    fn metrics_follow_mlxtend_formulas() {
        let m = Metrics::new(0.2, 0.4, 0.5);
        assert_eq!(m.confidence, 0.5);
        assert_eq!(m.lift, 1.0);
        assert!((m.leverage - 0.0).abs() < 1e-15);
        assert_eq!(m.zhangs_metric, 0.0);
        assert!((m.jaccard - 0.2 / 0.7).abs() < 1e-15);
        assert_eq!(m.certainty, 0.0);
        assert!((m.kulczynski - 0.45).abs() < 1e-15);
        assert_eq!(m.conviction, 1.0);
    }

    #[test]
    fn the_rule_cap_stops_with_a_message() {
        let baskets = Baskets::from_names(&vec![vec!["a", "b", "c", "d"]; 2]);
        let fi = mine(
            &baskets,
            &MiningOptions {
                min_support: MinSupport::Count(1),
                ..Default::default()
            },
        )
        .unwrap();
        let capped = RuleOptions {
            max_rules: 10,
            ..Default::default()
        };
        assert!(matches!(
            generate_rules(fi, &capped),
            Err(PanierError::TooManyRules { cap: 10 })
        ));
    }

    #[test]
    fn a_rule_set_read_back_from_the_wire_keeps_its_counts() {
        // Le worker des paniers renvoie ses règles sérialisées : la table des
        // effectifs, non transmise, doit se reconstruire à l'identique.
        let set = rules(0.0);
        let text = serde_json::to_string(&set).expect("écrit");
        assert!(!text.contains("counts"));
        let back: RuleSet = serde_json::from_str(&text).expect("relu");
        assert_eq!(back, set);
        for itemset in &set.itemsets.itemsets {
            assert_eq!(back.count_of(&itemset.items), Some(itemset.count));
        }
    }

    #[test]
    fn rule_generation_stops_when_the_sink_says_so() {
        use crate::progress::StopAt;
        let items: Vec<String> = (0..13).map(|i| format!("article {i:02}")).collect();
        let baskets = Baskets::from_names(&vec![items; 2]);
        let itemsets = mine(
            &baskets,
            &MiningOptions {
                min_support: MinSupport::Count(1),
                ..Default::default()
            },
        )
        .expect("itemsets");
        let options = RuleOptions {
            max_rules: usize::MAX,
            ..RuleOptions::default()
        };
        let mut sink = StopAt {
            stop_at: 1,
            asked: 0,
        };
        let stopped = generate_rules_with(itemsets.clone(), &options, &mut sink);
        assert_eq!(
            stopped.map(|set| set.rules.len()),
            Err(PanierError::Cancelled)
        );
        assert_eq!(sink.asked, 1);
        // Sans arrêt : toutes les règles (3¹³ − 2¹⁴ + 1 découpages).
        let all = generate_rules(itemsets, &options).expect("règles");
        assert_eq!(all.rules.len(), 3usize.pow(13) - (1 << 14) + 1);
    }
}
