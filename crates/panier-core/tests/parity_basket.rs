//! Parité de l'analyse des paniers avec la référence pandas + mlxtend
//! (`../shared/reference/{full_002,france_007,france_007_nopostage}`) :
//! mêmes itemsets fréquents, mêmes règles, chaque mesure à 1e-9 près en
//! relatif (conviction infinie comprise), pour les trois algorithmes.
//!
//! Les données vivent hors du dépôt, dans `../shared` (présent en CI) : ces
//! tests sont ignorés par défaut (`cargo test -- --include-ignored` les lance)
//! et échouent en nommant le fichier manquant s'il n'est pas là.

mod common;
use common::shared;
use std::collections::BTreeMap;

use panier_core::basket::mining::{mine, Algorithm, MinSupport, MiningOptions};
use panier_core::basket::rules::{generate_rules, RuleOptions};
use panier_core::basket::{build_baskets, BasketOptions};
use panier_core::export::{write_itemsets_csv, write_rules_csv};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;

/// Lit un CSV en lignes de champs (en-tête compris).
fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Compare deux CSV : même en-tête, mêmes lignes dans le même ordre, les
/// colonnes numériques à 1e-9 près en relatif.
fn assert_same_csv(ours: &[u8], theirs: &[u8], what: &str) {
    let (ours, theirs) = (records(ours), records(theirs));
    assert_eq!(ours[0], theirs[0], "{what} : en-tête");
    let mut mismatches = Vec::new();
    if ours.len() != theirs.len() {
        mismatches.push(format!(
            "{} lignes au lieu de {}",
            ours.len() - 1,
            theirs.len() - 1
        ));
    }
    for (line, (a, b)) in ours.iter().zip(&theirs).enumerate().skip(1) {
        for (column, (x, y)) in a.iter().zip(b).enumerate() {
            let equal = match (x.parse::<f64>(), y.parse::<f64>()) {
                (Ok(x), Ok(y)) if x.is_infinite() || y.is_infinite() => x == y,
                (Ok(x), Ok(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1e-300),
                _ => x == y,
            };
            if !equal {
                mismatches.push(format!(
                    "ligne {line}, {} : {x} au lieu de {y}",
                    theirs[0][column]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{what} : {} écart(s)\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn assert_case(case: &str, country: Option<&str>, min_support: f64, drop_items: &[&str]) {
    let data = shared("data/online_retail/online_retail.csv");
    let reference = shared(&format!("reference/{case}"));
    let options = AnalysisOptions {
        country: country.map(String::from),
        ..Default::default()
    };
    let clean = analyze(&std::fs::read(data).unwrap(), &options, &mut NoProgress)
        .unwrap()
        .clean;
    let baskets = build_baskets(
        &clean,
        &BasketOptions {
            drop_items: drop_items.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
    .unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(reference.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        baskets.len() as u64,
        summary["basket_invoices"].as_u64().unwrap()
    );
    let expected_itemsets = std::fs::read(reference.join("frequent_itemsets.csv")).unwrap();
    let expected_rules = std::fs::read(reference.join("association_rules.csv")).unwrap();
    for algorithm in [
        Algorithm::Auto,
        Algorithm::Apriori,
        Algorithm::FpGrowth,
        Algorithm::Eclat,
    ] {
        let itemsets = mine(
            &baskets,
            &MiningOptions {
                min_support: MinSupport::Fraction(min_support),
                algorithm,
                ..Default::default()
            },
        )
        .unwrap();
        let by_length: BTreeMap<String, u64> = itemsets
            .count_by_length()
            .iter()
            .enumerate()
            .map(|(i, &n)| ((i + 1).to_string(), n as u64))
            .collect();
        let expected_by_length: BTreeMap<String, u64> = summary["frequent_itemsets_by_length"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect();
        assert_eq!(by_length, expected_by_length, "{case} {algorithm:?}");
        let mut ours = Vec::new();
        write_itemsets_csv(&itemsets, &mut ours).unwrap();
        assert_same_csv(
            &ours,
            &expected_itemsets,
            &format!("{case} itemsets {algorithm:?}"),
        );
        let rules = generate_rules(itemsets, &RuleOptions::default()).unwrap();
        let mut ours = Vec::new();
        write_rules_csv(&rules, &mut ours).unwrap();
        assert_same_csv(
            &ours,
            &expected_rules,
            &format!("{case} règles {algorithm:?}"),
        );
    }
}

#[test]
#[ignore = "needs ../shared"]
fn full_data_at_two_percent() {
    assert_case("full_002", None, 0.02, &[]);
}

#[test]
#[ignore = "needs ../shared"]
fn france_at_seven_percent() {
    assert_case("france_007", Some("France"), 0.07, &[]);
}

#[test]
#[ignore = "needs ../shared"]
fn france_without_postage() {
    assert_case("france_007_nopostage", Some("France"), 0.07, &["postage"]);
}
