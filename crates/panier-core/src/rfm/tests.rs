//! Tests de la segmentation sur de petites tables écrites à la main, et
//! contre un calcul naïf sur des données générées.

use super::*;
use crate::demo::{generate_demo_csv, DemoConfig};
use crate::pipeline::{analyze, AnalysisOptions};
use crate::progress::NoProgress;

fn cleaned(csv: &str) -> CleanTable {
    analyze(csv.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .clean
}

const SMALL: &str = "\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
1,A,Mug,2,2011-01-01 10:00,1.5,200,FR
1,B,Plate,1,2011-01-01 10:00,4,200,FR
2,A,Mug,1,2011-01-10 09:00,1.5,30,FR
3,A,Mug,3,2011-01-20 23:00,1.5,200,FR
4,C,Bowl,1,2011-01-21 08:00,10,1000,FR
";

#[test]
fn measures_follow_the_reference_definitions() {
    let table = compute_rfm(&cleaned(SMALL), &RfmOptions::default()).unwrap();
    // Identifiants numériques : triés comme des nombres (30 < 200 < 1000).
    let ids: Vec<&str> = table
        .customers
        .iter()
        .map(|c| c.customer.as_str())
        .collect();
    assert_eq!(ids, ["30", "200", "1000"]);
    assert_eq!(table.snapshot_text(), "2011-01-22 08:00:00");
    let c200 = &table.customers[1];
    // Dernier achat le 20 à 23 h, observation le 22 à 8 h : 1 jour 9 h → 1 jour.
    assert_eq!(c200.recency, 1);
    assert_eq!(c200.frequency, 2);
    assert_eq!(c200.monetary, 2.0 * 1.5 + 4.0 + 3.0 * 1.5);
    assert_eq!(c200.products, 2);
    assert_eq!(c200.units, 6.0);
    // 10 janvier 9 h → 22 janvier 8 h : 11 jours 23 h → 11 jours.
    assert_eq!(table.customers[0].recency, 11);
    assert_eq!(table.customers[2].recency, 1);
}

#[test]
fn an_earlier_snapshot_sees_only_earlier_purchases() {
    let clean = cleaned(SMALL);
    let snapshot = chrono::NaiveDate::from_ymd_opt(2011, 1, 15)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp();
    let table = compute_rfm(
        &clean,
        &RfmOptions {
            snapshot: Some(snapshot),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(table.customers.len(), 2);
    assert_eq!(table.customers[1].frequency, 1);
    assert_eq!(table.customers[1].recency, 13);
    let too_early = compute_rfm(
        &clean,
        &RfmOptions {
            snapshot: Some(snapshot - 30 * DAY_SECONDS),
            ..Default::default()
        },
    );
    assert!(matches!(
        too_early,
        Err(PanierError::SnapshotBeforeData { .. })
    ));
}

#[test]
fn missing_columns_and_bad_levels_are_explained() {
    let no_customer = "InvoiceNo,Description,Quantity,InvoiceDate,UnitPrice\n1,a,1,2011-01-01,2\n";
    match compute_rfm(&cleaned(no_customer), &RfmOptions::default()) {
        Err(PanierError::RfmUnavailable { missing }) => assert_eq!(missing, ["CustomerID"]),
        other => panic!("{other:?}"),
    }
    let bad = RfmOptions {
        levels: 7,
        ..Default::default()
    };
    assert!(matches!(
        compute_rfm(&cleaned(SMALL), &bad),
        Err(PanierError::InvalidParameter { .. })
    ));
}

#[test]
fn text_identifiers_sort_as_text() {
    let csv = "InvoiceNo,Description,Quantity,InvoiceDate,UnitPrice,Customer\n\
               1,a,1,2011-01-01,2,b-2\n2,a,1,2011-01-02,2,a-10\n";
    let table = compute_rfm(&cleaned(csv), &RfmOptions::default()).unwrap();
    assert_eq!(table.customers[0].customer, "a-10");
}

/// Le calcul par tri et marques donne les mêmes mesures qu'un calcul naïf
/// par client, sur les données de démonstration (3 000 clients).
#[test]
fn grouped_measures_equal_a_naive_computation() {
    let bytes = generate_demo_csv(&DemoConfig {
        customers: 400,
        ..Default::default()
    });
    let clean = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .clean;
    let rfm = compute_rfm(&clean, &RfmOptions::default()).unwrap();
    let t = &clean.table;
    for customer in &rfm.customers {
        let id = t.customers.id_of(&customer.customer).unwrap();
        let rows: Vec<usize> = (0..t.len()).filter(|&r| t.customer[r] == id).collect();
        let mut invoices: Vec<u32> = rows.iter().map(|&r| t.invoice[r]).collect();
        invoices.sort_unstable();
        invoices.dedup();
        let last = rows.iter().map(|&r| t.invoice_date[r]).max().unwrap();
        let monetary: f64 = rows.iter().map(|&r| clean.total_price[r]).sum();
        assert_eq!(customer.frequency as usize, invoices.len());
        assert_eq!(customer.recency, (rfm.snapshot - last) / DAY_SECONDS);
        assert!((customer.monetary - monetary).abs() <= 1e-9 * monetary.abs());
    }
    let scored: usize = rfm.customers.len();
    assert!(scored > 300, "{scored}");
    // Des scores équilibrés : chaque score de fréquence a ~1/5 des clients.
    for score in 1..=5 {
        let n = rfm.customers.iter().filter(|c| c.f == score).count();
        assert!(n.abs_diff(scored / 5) <= 1, "F={score}: {n}");
    }
}

#[test]
fn kahan_matches_pandas_on_a_cancelling_sum() {
    let (mut sum, mut compensation) = (0.0, 0.0);
    for value in [0.1; 10] {
        kahan_add(&mut sum, &mut compensation, value);
    }
    assert_eq!(sum, 1.0);
}

#[test]
fn snapshots_are_read_from_dates_with_or_without_time() {
    assert_eq!(parse_snapshot("2011-12-10").unwrap(), 1_323_475_200);
    assert_eq!(
        parse_snapshot("2011-12-10 12:50").unwrap(),
        1_323_475_200 + 46_200
    );
    assert_eq!(
        parse_snapshot("2011-12-10 12:50:00").unwrap(),
        1_323_475_200 + 46_200
    );
    assert!(matches!(
        parse_snapshot("10/12/2011"),
        Err(PanierError::InvalidParameter { .. })
    ));
}

/// L'ancienne lecture des dates saisies, par chrono : l'oracle de
/// `parse_date`.
fn chrono_date(text: &str) -> Option<i64> {
    let text = text.trim();
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|date| date.and_hms_opt(0, 0, 0).unwrap_or_default())
        })
        .ok()
        .map(|date| date.and_utc().timestamp())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// Les dates saisies (réglages, options de la CLI, champs de date) se
    /// lisent comme chrono les lisait : mêmes dates admises, mêmes refus
    /// (2011-02-30, 24:00, formes inconnues).
    #[test]
    fn typed_dates_are_read_like_chrono_read_them(
        year in 1000u32..10_000,
        month in 0u32..14,
        day in 0u32..33,
        hour in 0u32..26,
        minute in 0u32..62,
        second in 0u32..62,
        padded in proptest::prelude::any::<[bool; 5]>(),
        form in 0usize..6,
        blank in proptest::prelude::any::<bool>(),
    ) {
        let two = |value: u32, pad: bool| if pad { format!("{value:02}") } else { value.to_string() };
        let date = format!("{year}-{}-{}", two(month, padded[0]), two(day, padded[1]));
        let (h, m, s) = (two(hour, padded[2]), two(minute, padded[3]), two(second, padded[4]));
        let text = match form {
            0 => date,
            1 => format!("{date} {h}:{m}"),
            2 => format!("{date} {h}:{m}:{s}"),
            3 => format!("{date}T{h}:{m}"),
            4 => format!("{date}T{h}:{m}:{s}"),
            _ => format!("{date}  {h}:{m}"),
        };
        let text = if blank { format!(" {text}\t") } else { text };
        proptest::prop_assert_eq!(parse_date(&text, "snapshot").ok(), chrono_date(&text), "{}", text);
    }
}

#[test]
fn typed_dates_outside_the_grammar_are_refused_like_chrono() {
    for text in [
        "",
        "2011",
        "2011-12",
        "2011/12/10",
        "2011-12-10 12",
        "2011-12-10 12:50:00.5",
        "2011-12-10x",
        "2011-12-10 12:5x",
        "+2011-12-10",
        "2011-012-10",
        "2011-12-10T",
        "2011-12-10 ",
        " 2011-12-10 12:50 ",
    ] {
        assert_eq!(parse_date(text, "from").ok(), chrono_date(text), "{text:?}");
    }
    // Une seule différence voulue : chrono lisait « 11-12-10 » comme l'an 11
    // de notre ère ; une année s'écrit sur quatre chiffres.
    assert_eq!(chrono_date("11-12-10"), Some(-61_790_428_800));
    assert!(parse_date("11-12-10", "from").is_err());
    assert_eq!(
        parse_date("2011-02-30", "from"),
        Err(PanierError::InvalidParameter {
            name: "from".into(),
            value: "2011-02-30".into(),
            expected: "2011-12-10, 2011-12-10 12:50".into(),
        })
    );
}
