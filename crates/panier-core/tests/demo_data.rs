//! Le générateur de démo : déterministe, réaliste, et porteur de chacun des
//! pièges des exports réels.

use std::collections::{HashMap, HashSet};

use panier_core::demo::{generate_demo_csv, DemoConfig, HEADER};
use panier_core::pipeline::analyze;
use panier_core::progress::NoProgress;

/// Une ligne de la démo, lue par la bibliothèque csv (indépendante du cœur).
struct Row {
    invoice: String,
    stock_code: String,
    description: String,
    quantity: i64,
    date: String,
    price: f64,
    customer: String,
}

fn demo_rows() -> (Vec<csv::StringRecord>, Vec<Row>) {
    let bytes = generate_demo_csv(&DemoConfig::default());
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(reader.headers().unwrap(), HEADER.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let rows = records
        .iter()
        .map(|r| Row {
            invoice: r[0].to_string(),
            stock_code: r[1].to_string(),
            description: r[2].to_string(),
            quantity: r[3].parse().unwrap(),
            date: r[4].to_string(),
            price: r[5].parse().unwrap(),
            customer: r[6].to_string(),
        })
        .collect();
    (records, rows)
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let config = DemoConfig {
        customers: 300,
        ..DemoConfig::default()
    };
    let first = generate_demo_csv(&config);
    assert_eq!(first, generate_demo_csv(&config));
    let other = generate_demo_csv(&DemoConfig { seed: 7, ..config });
    assert_ne!(first, other);
}

#[test]
fn every_trap_of_real_exports_is_present() {
    let (records, rows) = demo_rows();
    let count = |predicate: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| predicate(r)).count();
    assert!(count(&|r| r.invoice.starts_with('C')) > 100, "annulations");
    assert!(
        count(&|r| r.invoice.starts_with('C') && r.quantity < 0)
            == count(&|r| r.invoice.starts_with('C')),
        "les annulations ont des quantités négatives"
    );
    assert!(count(&|r| r.customer.is_empty()) > 1_000, "clients absents");
    assert!(
        count(&|r| !r.invoice.starts_with('C') && r.quantity < 0) > 10,
        "quantités négatives hors annulation"
    );
    assert!(count(&|r| r.quantity == 0) > 0, "quantités nulles");
    assert!(count(&|r| r.price == 0.0) > 10, "prix nuls");
    assert!(
        count(&|r| r.price < 0.0) > 0,
        "prix négatifs (dette irrécouvrable)"
    );
    assert!(count(&|r| r.stock_code == "POST") > 100, "frais de port");
    for code in ["DOT", "M", "C2"] {
        assert!(
            count(&|r| r.stock_code == code) > 0,
            "ligne de service {code}"
        );
    }
    let duplicates = records.windows(2).filter(|pair| pair[0] == pair[1]).count();
    assert!(duplicates > 100, "doublons exacts : {duplicates}");
    assert!(
        count(&|r| r.description != r.description.trim()) > 100,
        "espaces parasites"
    );
    assert!(
        count(&|r| r.description.chars().any(|c| c.is_lowercase()) && r.stock_code.len() >= 5)
            > 100,
        "casse incohérente"
    );
}

#[test]
fn customers_have_varied_behaviour() {
    let (_, rows) = demo_rows();
    let mut invoices: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut last_date: HashMap<&str, &str> = HashMap::new();
    for row in rows
        .iter()
        .filter(|r| !r.customer.is_empty() && !r.invoice.starts_with('C'))
    {
        invoices
            .entry(&row.customer)
            .or_default()
            .insert(&row.invoice);
        let last = last_date.entry(&row.customer).or_insert(&row.date);
        if row.date.as_str() > *last {
            *last = &row.date;
        }
    }
    let customers = invoices.len() as f64;
    assert!(
        (2_500.0..=3_000.0).contains(&customers),
        "{customers} clients"
    );
    let one_off = invoices.values().filter(|s| s.len() == 1).count() as f64;
    let loyal = invoices.values().filter(|s| s.len() >= 10).count() as f64;
    assert!(one_off / customers > 0.25, "achat unique : {one_off}");
    assert!(loyal / customers > 0.05, "fidèles : {loyal}");
    let lapsed = last_date.values().filter(|d| **d < "2011-06-01").count() as f64;
    assert!(lapsed / customers > 0.08, "perdus de vue : {lapsed}");
}

#[test]
fn big_spenders_buy_in_wholesale_quantities() {
    let (_, rows) = demo_rows();
    let mut spend: HashMap<&str, f64> = HashMap::new();
    for row in rows
        .iter()
        .filter(|r| !r.customer.is_empty() && r.quantity > 0)
    {
        *spend.entry(&row.customer).or_default() += row.quantity as f64 * row.price;
    }
    let mut totals: Vec<f64> = spend.into_values().collect();
    totals.sort_by(f64::total_cmp);
    let median = totals[totals.len() / 2];
    let top = totals[totals.len() - 1];
    assert!(
        top > 30.0 * median,
        "plus gros client {top} vs médiane {median}"
    );
}

#[test]
fn themed_products_are_bought_together() {
    let (_, rows) = demo_rows();
    let mut baskets: HashMap<&str, HashSet<&str>> = HashMap::new();
    for row in rows.iter().filter(|r| r.quantity > 0) {
        baskets
            .entry(&row.invoice)
            .or_default()
            .insert(row.description.trim());
    }
    let total = baskets.len() as f64;
    let support = |items: &[&str]| {
        baskets
            .values()
            .filter(|basket| items.iter().all(|item| basket.contains(item)))
            .count() as f64
            / total
    };
    let (a, b) = (
        "GREEN REGENCY TEACUP AND SAUCER",
        "PINK REGENCY TEACUP AND SAUCER",
    );
    let lift = support(&[a, b]) / (support(&[a]) * support(&[b]));
    assert!(lift > 3.0, "lift du thème regency : {lift}");
}

#[test]
fn sizes_form_price_tiers_for_upsell() {
    let (_, rows) = demo_rows();
    let price_of = |description: &str| {
        rows.iter()
            .find(|r| r.description == description && r.quantity < 100 && r.price > 0.0)
            .map(|r| r.price)
            .unwrap_or_else(|| panic!("{description} absent"))
    };
    let small = price_of("SMALL WHITE HANGING HEART T-LIGHT HOLDER");
    let medium = price_of("WHITE HANGING HEART T-LIGHT HOLDER");
    let large = price_of("LARGE WHITE HANGING HEART T-LIGHT HOLDER");
    assert!(small < medium && medium < large, "{small} {medium} {large}");
}

#[test]
fn sales_peak_before_christmas() {
    let (_, rows) = demo_rows();
    let invoices_in = |month: &str| {
        rows.iter()
            .filter(|r| r.date.starts_with(month))
            .map(|r| r.invoice.as_str())
            .collect::<HashSet<_>>()
            .len() as f64
    };
    let (november, february) = (invoices_in("2011-11"), invoices_in("2011-02"));
    assert!(
        november > 1.8 * february,
        "novembre {november}, février {february}"
    );
    assert!(rows
        .iter()
        .all(|r| r.date.as_str() >= "2010-12-01" && r.date.as_str() < "2011-12-10"));
}

#[test]
fn demo_goes_through_the_import_path_like_an_upload() {
    let bytes = generate_demo_csv(&DemoConfig::default());
    let report = analyze(&bytes, &Default::default(), &mut NoProgress)
        .expect("démo analysable")
        .report;
    assert!(report.cleaning.after_drop_cancelled < report.cleaning.raw_rows);
    assert!(report.cleaning.after_drop_missing_customer < report.cleaning.after_drop_cancelled);
    assert!(report.cleaning.after_drop_price_le_0 < report.cleaning.after_drop_qty_le_0);
    assert!(report.products > 200, "{} produits", report.products);
    assert!(report.countries >= 10);
}

/// La répétition que joue le worker à son démarrage (lecture en deux
/// moitiés) donne exactement l'analyse d'un trait, et coupe vraiment le
/// fichier en deux.
#[test]
fn the_warm_up_rehearsal_equals_a_straight_analysis() {
    use panier_core::export::write_cleaned_csv;
    use panier_core::ingest::split::{boundary_after, read_in_two, read_tail};
    use panier_core::pipeline::{analyze, rehearse, warm_up_demo, AnalysisOptions};

    let bytes = warm_up_demo();
    let options = AnalysisOptions::default();
    let straight = analyze(&bytes, &options, &mut NoProgress).unwrap();
    let rehearsed = rehearse(&bytes, &options, &mut NoProgress).unwrap();
    assert_eq!(rehearsed.report, straight.report);
    let csv = |output: &panier_core::pipeline::AnalysisOutput| {
        let mut csv = Vec::new();
        write_cleaned_csv(&output.clean, &mut csv).unwrap();
        csv
    };
    assert!(csv(&rehearsed) == csv(&straight));
    // La démo se coupe bien en deux moitiés qui se joignent.
    let mid = bytes.len() / 2;
    let tail = read_tail(&bytes, &bytes[mid..], mid, &options.import).expect("fin lisible");
    let at = boundary_after(&bytes, mid).expect("frontière");
    let joined = read_in_two(&bytes, at, &options.import, || Some(tail), &mut NoProgress);
    assert!(matches!(joined, Some(Ok(_))));
    assert!(bytes.len() > 500_000, "{} octets", bytes.len());
}

#[test]
fn a_large_catalogue_spreads_sales_over_its_long_tail() {
    let config = DemoConfig {
        customers: 2_000,
        products: 5_000,
        ..DemoConfig::default()
    };
    let bytes = generate_demo_csv(&config);
    assert_eq!(bytes, generate_demo_csv(&config), "déterministe");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let codes: HashSet<String> = reader
        .records()
        .map(|r| r.unwrap()[1].to_string())
        .collect();
    // Une longue traîne : la plupart des 5 000 références sont vendues.
    assert!(codes.len() > 3_000, "{} références vendues", codes.len());
    assert!(codes.iter().any(|c| c.starts_with('L')));
    // La démo de l'application ne change pas.
    let default = generate_demo_csv(&DemoConfig::default());
    assert_eq!(
        default,
        generate_demo_csv(&DemoConfig {
            products: 100,
            ..DemoConfig::default()
        }),
        "un catalogue déjà plus grand que demandé reste tel quel"
    );
    assert_eq!(DemoConfig::large(50_000, 2_000_000).customers, 43_478);
}
