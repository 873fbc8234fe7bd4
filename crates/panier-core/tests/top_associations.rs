//! Le « top 10 » des associations sur Online Retail à 2 % : dix ensembles
//! d'articles distincts, sans paire répétée (A → B et B → A ne comptent
//! qu'une fois), chacun montré dans son sens le plus sûr.
//!
//! Données dans `../shared` (présent en CI) : test ignoré par défaut
//! (`cargo test -- --include-ignored` le lance).

mod common;
use common::shared;
use std::collections::HashSet;

use panier_core::basket::mining::{mine, MinSupport, MiningOptions};
use panier_core::basket::query::{insights, redundant_flags, strongest, RuleRow};
use panier_core::basket::rules::{generate_rules, RuleOptions};
use panier_core::basket::{build_baskets, BasketOptions};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;

/// Les paires d'articles d'une règle.
fn pairs(row: &RuleRow) -> Vec<(String, String)> {
    let mut items: Vec<&String> = row.antecedents.iter().chain(&row.consequents).collect();
    items.sort();
    let mut pairs = Vec::new();
    for (i, a) in items.iter().enumerate() {
        for b in &items[i + 1..] {
            pairs.push(((*a).clone(), (*b).clone()));
        }
    }
    pairs
}

#[test]
#[ignore = "needs ../shared"]
fn top_ten_at_two_percent_has_ten_distinct_item_pairs() {
    let bytes = std::fs::read(shared("data/online_retail/online_retail.csv")).unwrap();
    let clean = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .clean;
    let baskets = build_baskets(&clean, &BasketOptions::default()).unwrap();
    let itemsets = mine(
        &baskets,
        &MiningOptions {
            min_support: MinSupport::Fraction(0.02),
            ..Default::default()
        },
    )
    .unwrap();
    let set = generate_rules(itemsets, &RuleOptions::default()).unwrap();
    let flags = redundant_flags(&set);
    // Le défaut d'avant : les dix règles de plus fort lift sont surtout des
    // miroirs (A → B puis B → A).
    let before: HashSet<(String, String)> =
        strongest(&set, &flags, 10).iter().flat_map(pairs).collect();
    assert!(before.len() < 10, "{before:?}");

    let top = insights(&set, &flags, 10);
    assert_eq!(top.len(), 10);
    let mut seen = HashSet::new();
    for insight in &top {
        for pair in pairs(&insight.rule) {
            assert!(seen.insert(pair.clone()), "paire répétée : {pair:?}");
        }
        // Le sens montré est le plus sûr ; les autres sens ont le même
        // ensemble d'articles.
        let mut items: Vec<&String> = insight
            .rule
            .antecedents
            .iter()
            .chain(&insight.rule.consequents)
            .collect();
        items.sort();
        for other in &insight.others {
            let mut theirs: Vec<&String> =
                other.antecedents.iter().chain(&other.consequents).collect();
            theirs.sort();
            assert_eq!(theirs, items);
            assert!(other.metrics.confidence <= insight.rule.metrics.confidence);
        }
        assert!(!insight.rule.redundant);
        let m = insight.rule.metrics;
        assert_eq!(
            f64::from(insight.reach),
            (m.antecedent_support * baskets.len() as f64).round()
        );
        assert!(insight.extra_orders > 0.0, "{insight:?}");
    }
    assert!(seen.len() >= 10);
    // Le premier est l'ensemble d'articles de la règle de plus fort lift
    // (montré dans son sens le plus sûr, qui peut avoir un lift moindre
    // quand l'ensemble a trois articles).
    let first = &strongest(&set, &flags, 1)[0];
    assert_eq!(pairs(&top[0].rule), pairs(first));
    assert!(top[0].rule.metrics.confidence >= first.metrics.confidence);
}
