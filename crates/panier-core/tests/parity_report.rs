//! Parité avec le pipeline pandas de référence (`../shared/reference/`) : les
//! comptes du nettoyage et les indicateurs du rapport doivent être identiques,
//! quel que soit le fichier d'origine (UTF-8 ISO ou Latin-1 M/D/YYYY).
//!
//! Les données vivent hors du dépôt, dans `../shared` (présent en CI). S'il
//! manque, chaque test le dit clairement et ne vérifie rien.

use std::path::PathBuf;

use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::summary::Report;
use serde_json::Value;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

/// Le fichier et le résumé de référence, ou `None` (avec un message) s'ils
/// ne sont pas là.
fn inputs(file: &str, case: &str) -> Option<(Vec<u8>, Value)> {
    let data = shared().join("data/online_retail").join(file);
    let summary = shared().join("reference").join(case).join("summary.json");
    if !data.exists() || !summary.exists() {
        eprintln!(
            "PARITÉ NON VÉRIFIÉE : {} ou {} absent (../shared manque ?)",
            data.display(),
            summary.display()
        );
        return None;
    }
    let summary = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    Some((std::fs::read(data).unwrap(), summary))
}

fn assert_cleaning_matches(report: &Report, expected: &Value) {
    let n = |key: &str| {
        expected[key]
            .as_u64()
            .unwrap_or_else(|| panic!("{key} absent"))
    };
    let c = &report.cleaning;
    assert_eq!(c.raw_rows, n("raw_rows"));
    assert_eq!(c.after_drop_cancelled, n("after_drop_cancelled"));
    assert_eq!(
        c.after_drop_missing_customer,
        n("after_drop_missing_customer")
    );
    assert_eq!(c.after_drop_qty_le_0, n("after_drop_qty_le_0"));
    assert_eq!(c.after_drop_price_le_0, n("after_drop_price_le_0"));
}

fn assert_full_report(file: &str) {
    let Some((bytes, expected)) = inputs(file, "full_002") else {
        return;
    };
    let report = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress).unwrap();
    assert_cleaning_matches(&report, &expected);
    assert_eq!(report.import.rows_unparseable, 0);
    assert_eq!(report.customers, expected["customers"].as_u64().unwrap());
    assert_eq!(report.invoices, expected["invoices"].as_u64().unwrap());
    assert_eq!(
        report.products,
        expected["distinct_descriptions"].as_u64().unwrap()
    );
    assert_eq!(report.countries, expected["countries"].as_u64().unwrap());
    let revenue = expected["total_revenue"].as_f64().unwrap();
    assert!(
        ((report.revenue - revenue) / revenue).abs() < 1e-9,
        "chiffre d'affaires {} au lieu de {revenue}",
        report.revenue
    );
}

#[test]
fn utf8_file_matches_the_reference_summary() {
    assert_full_report("online_retail.csv");
}

#[test]
fn latin1_file_matches_the_reference_summary() {
    assert_full_report("online_retail_latin1.csv");
}

#[test]
fn france_scope_matches_the_reference_summary() {
    let Some((bytes, expected)) = inputs("online_retail.csv", "france_007") else {
        return;
    };
    let options = AnalysisOptions {
        country: Some("france".into()),
        min_support: 0.07,
        drop_items: vec![],
    };
    let report = analyze(&bytes, &options, &mut NoProgress).unwrap();
    assert_cleaning_matches(&report, &expected);
    assert_eq!(report.country.as_deref(), Some("France"));
    assert_eq!(report.rows, expected["country_rows"].as_u64().unwrap());
    assert_eq!(
        report.customers,
        expected["country_customers"].as_u64().unwrap()
    );
    assert_eq!(
        report.invoices,
        expected["basket_invoices"].as_u64().unwrap()
    );
}
