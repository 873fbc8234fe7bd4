//! Parité RFM avec la référence pandas (`../shared/reference/*/rfm_segments.csv`) :
//! chaque client, chaque colonne. Récence, fréquence, scores, RFM_Score et
//! segment à l'identique ; montant à 1e-9 près en relatif. Un échec liste
//! les clients en désaccord.
//!
//! Les données vivent hors du dépôt, dans `../shared` (présent en CI) : ces
//! tests sont ignorés par défaut (`cargo test -- --include-ignored` les lance)
//! et échouent en nommant le fichier manquant s'il n'est pas là.

mod common;
use common::shared;

use panier_core::export::{write_rfm_csv, RFM_HEADER};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::rfm::segments::SegmentGrid;
use panier_core::rfm::{compute_rfm, RfmOptions};

/// Compare la segmentation de `file` (avec le pays éventuel) au CSV de
/// référence du cas `case`.
fn assert_rfm_matches(file: &str, country: Option<&str>, case: &str) {
    let data = shared(&format!("data/online_retail/{file}"));
    let expected = shared(&format!("reference/{case}/rfm_segments.csv"));
    let options = AnalysisOptions {
        country: country.map(str::to_string),
        ..Default::default()
    };
    let output = analyze(&std::fs::read(data).unwrap(), &options, &mut NoProgress).unwrap();
    let table = compute_rfm(&output.clean, &RfmOptions::default()).unwrap();
    let mut ours = Vec::new();
    write_rfm_csv(&table, &SegmentGrid::default(), &mut ours).unwrap();

    let read = |bytes: &[u8]| -> Vec<csv::StringRecord> {
        let mut reader = csv::Reader::from_reader(bytes);
        assert_eq!(
            reader.headers().unwrap(),
            &csv::StringRecord::from(RFM_HEADER.to_vec())
        );
        reader.records().map(Result::unwrap).collect()
    };
    let ours = read(&ours);
    let theirs = read(&std::fs::read(expected).unwrap());
    assert_eq!(ours.len(), theirs.len(), "nombre de clients");

    let mut mismatches = Vec::new();
    for (a, b) in ours.iter().zip(&theirs) {
        for (column, name) in RFM_HEADER.iter().enumerate() {
            let equal = if *name == "Monetary" {
                let (x, y): (f64, f64) = (a[column].parse().unwrap(), b[column].parse().unwrap());
                (x - y).abs() <= 1e-9 * y.abs().max(1.0)
            } else {
                a[column] == b[column]
            };
            if !equal {
                mismatches.push(format!(
                    "client {} : {name} = {} au lieu de {}",
                    &b[0], &a[column], &b[column]
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} écart(s) :\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
#[ignore = "needs ../shared"]
fn full_data_rfm_equals_the_reference_for_every_customer() {
    assert_rfm_matches("online_retail.csv", None, "full_002");
}

#[test]
#[ignore = "needs ../shared"]
fn latin1_file_gives_the_same_rfm() {
    assert_rfm_matches("online_retail_latin1.csv", None, "full_002");
}

#[test]
#[ignore = "needs ../shared"]
fn france_rfm_equals_the_reference_for_every_customer() {
    assert_rfm_matches("online_retail.csv", Some("France"), "france_007");
}
