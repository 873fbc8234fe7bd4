//! Parité avec le pipeline pandas de référence (`../shared/reference/`) : les
//! comptes du nettoyage et les indicateurs du rapport doivent être identiques,
//! quel que soit le fichier d'origine (UTF-8 ISO ou Latin-1 M/D/YYYY).
//!
//! Les données vivent hors du dépôt, dans `../shared` (présent en CI) : ces
//! tests sont ignorés par défaut (`cargo test -- --include-ignored` les lance)
//! et échouent en nommant le fichier manquant s'il n'est pas là.

mod common;
use common::shared;

use panier_core::export::write_cleaned_csv;
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::summary::Report;
use serde_json::Value;

/// Le fichier et le résumé de référence (le test échoue s'ils manquent).
fn inputs(file: &str, case: &str) -> (Vec<u8>, Value) {
    let data = shared(&format!("data/online_retail/{file}"));
    let summary = shared(&format!("reference/{case}/summary.json"));
    let summary = serde_json::from_slice(&std::fs::read(summary).unwrap()).unwrap();
    (std::fs::read(data).unwrap(), summary)
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
    let (bytes, expected) = inputs(file, "full_002");
    let report = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .report;
    assert_cleaning_matches(&report, &expected);
    assert_eq!(report.import.rows_unparseable, 0);
    assert_eq!(report.customers, expected["customers"].as_u64().unwrap());
    assert_eq!(report.invoices, expected["invoices"].as_u64().unwrap());
    assert_eq!(
        report.products,
        expected["distinct_descriptions"].as_u64().unwrap()
    );
    assert_eq!(report.countries, expected["countries"].as_u64().unwrap());
    assert_eq!(
        report.stock_codes,
        expected["distinct_stockcodes"].as_u64().unwrap()
    );
    assert_eq!(
        report.cleaning.exact_duplicates,
        expected["cleaned_exact_duplicate_rows_kept"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(report.date_min.as_deref(), expected["date_min"].as_str());
    assert_eq!(report.date_max.as_deref(), expected["date_max"].as_str());
    let revenue = expected["total_revenue"].as_f64().unwrap();
    let ours = report.revenue.expect("chiffre d'affaires calculable");
    assert!(
        ((ours - revenue) / revenue).abs() < 1e-9,
        "chiffre d'affaires {ours} au lieu de {revenue}"
    );
}

#[test]
#[ignore = "needs ../shared"]
fn utf8_file_matches_the_reference_summary() {
    assert_full_report("online_retail.csv");
}

#[test]
#[ignore = "needs ../shared"]
fn latin1_file_matches_the_reference_summary() {
    assert_full_report("online_retail_latin1.csv");
}

#[test]
#[ignore = "needs ../shared"]
fn xlsx_file_matches_the_reference_summary() {
    assert_full_report("online_retail.xlsx");
}

#[test]
#[ignore = "needs ../shared"]
fn france_scope_matches_the_reference_summary() {
    let (bytes, expected) = inputs("online_retail.csv", "france_007");
    let options = AnalysisOptions {
        country: Some("france".into()),
        min_support: 0.07,
        ..AnalysisOptions::default()
    };
    let report = analyze(&bytes, &options, &mut NoProgress).unwrap().report;
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

#[test]
#[ignore = "needs ../shared"]
fn france_cleaned_csv_equals_the_reference_line_for_line() {
    let (bytes, _) = inputs("online_retail_latin1.csv", "france_007");
    let reference = shared("reference/france_007/cleaned.csv");
    let expected = std::fs::read_to_string(reference).unwrap();
    let options = AnalysisOptions {
        country: Some("France".into()),
        ..AnalysisOptions::default()
    };
    let output = analyze(&bytes, &options, &mut NoProgress).unwrap();
    let mut written = Vec::new();
    write_cleaned_csv(&output.clean, &mut written).unwrap();
    let written = String::from_utf8(written).unwrap();
    let mismatches: Vec<(usize, &str, &str)> = written
        .lines()
        .zip(expected.lines())
        .enumerate()
        .filter(|(_, (ours, theirs))| ours != theirs)
        .map(|(line, (ours, theirs))| (line + 1, ours, theirs))
        .take(5)
        .collect();
    assert!(
        mismatches.is_empty(),
        "lignes différentes : {mismatches:#?}"
    );
    assert_eq!(written.lines().count(), expected.lines().count());
}

#[test]
#[ignore = "needs ../shared"]
fn groceries_is_read_as_one_basket_per_line() {
    let path = shared("data/groceries/groceries.csv");
    let bytes = std::fs::read(path).unwrap();
    let report = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .report;
    // Chiffres de ../shared/data/README.md (et du paquet R arules).
    assert_eq!(
        report.import.format,
        panier_core::ingest::SourceFormat::BasketPerLine
    );
    assert_eq!(report.invoices, 9_835);
    assert_eq!(report.products, 169);
    assert_eq!(report.rows, 43_367);
    assert_eq!(report.revenue, None);
    assert!(report
        .disabled
        .iter()
        .any(|d| d.analysis == panier_core::summary::Analysis::Rfm));
}

/// La vue d'ensemble retrouve les chiffres de la référence : commandes,
/// clients, chiffre d'affaires, et produits par commande (les cases vraies
/// du tableau paniers × articles ÷ paniers).
#[test]
#[ignore = "needs ../shared"]
fn overview_matches_the_reference_counts() {
    let (bytes, expected) = inputs("online_retail.csv", "full_002");
    let output = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress).unwrap();
    let o = panier_core::overview::overview(&output.clean);
    assert_eq!(o.orders, expected["invoices"].as_u64().unwrap());
    assert_eq!(o.customers, expected["customers"].as_u64().unwrap());
    let revenue = expected["total_revenue"].as_f64().unwrap();
    assert!((o.revenue - revenue).abs() <= 1e-9 * revenue);
    let cells = expected["basket_true_cells"].as_f64().unwrap();
    let baskets = expected["basket_invoices"].as_f64().unwrap();
    assert!((o.items_per_order - cells / baskets).abs() < 1e-12);
    let monthly: f64 = o.months.iter().map(|m| m.revenue).sum();
    assert!((monthly - revenue).abs() < 1e-6 * revenue);
    assert_eq!(o.months.len(), 13);
    assert_eq!(o.top_countries[0].name, "United Kingdom");
}

/// La lecture à deux (les deux moitiés du fichier en parallèle, comme dans le
/// navigateur) donne le même rapport et le même `cleaned.csv`, octet pour
/// octet, que la lecture d'un trait.
fn assert_split_read_is_identical(file: &str) {
    use panier_core::ingest::split::{
        boundary, first_part_len, read_in_two, read_tail, split_point, HEAD_BYTES,
    };
    use panier_core::pipeline::analyze_read;

    let (bytes, expected) = inputs(file, "full_002");
    let options = AnalysisOptions::default();
    let straight = analyze(&bytes, &options, &mut NoProgress).unwrap();
    // Comme dans le navigateur : le début jusqu'au milieu et sa marge d'un
    // côté, le début (en-tête) et la seconde moitié de l'autre.
    let mid = split_point(bytes.len()).expect("gros fichier");
    let tail = read_tail(&bytes[..HEAD_BYTES], &bytes[mid..], mid, &options.import)
        .expect("fin lisible en parallèle");
    let first = &bytes[..first_part_len(bytes.len())];
    let at = boundary(first, bytes.len()).expect("frontière");
    let read = read_in_two(first, at, &options.import, || Some(tail), &mut NoProgress)
        .expect("le début doit s'arrêter au milieu et la fin s'y joindre")
        .unwrap();
    let split = analyze_read(read, &options, &mut NoProgress).unwrap();
    assert_eq!(split.report, straight.report);
    assert_cleaning_matches(&split.report, &expected);
    let csv = |output: &panier_core::pipeline::AnalysisOutput| {
        let mut csv = Vec::new();
        write_cleaned_csv(&output.clean, &mut csv).unwrap();
        csv
    };
    assert!(csv(&split) == csv(&straight), "cleaned.csv diffère");
}

#[test]
#[ignore = "needs ../shared"]
fn split_read_of_the_utf8_file_is_identical() {
    assert_split_read_is_identical("online_retail.csv");
}

#[test]
#[ignore = "needs ../shared"]
fn split_read_of_the_latin1_file_is_identical() {
    assert_split_read_is_identical("online_retail_latin1.csv");
}
