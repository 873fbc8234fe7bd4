//! Le contrat de `panier analyze` : sorties écrites dans DIR, erreurs sur la
//! sortie d'erreur avec un code non nul.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn panier(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_panier"))
        .args(args)
        .output()
        .expect("binaire panier lancé")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Écrit une petite démo dans `dir` et renvoie son chemin.
fn small_demo(dir: &Path) -> String {
    let file = dir.join("demo.csv");
    let status = panier(&[
        "demo",
        "--out",
        file.to_str().unwrap(),
        "--customers",
        "300",
    ]);
    assert!(status.status.success());
    file.to_str().unwrap().to_string()
}

#[test]
fn analyze_writes_report_and_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let out = dir.path().join("out");
    let result = panier(&[
        "analyze",
        &input,
        "--out",
        out.to_str().unwrap(),
        "--min-support",
        "0.05",
        "--drop-item",
        "postage",
        "--drop-item",
        "carriage",
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let report = read_json(&out.join("report.json"));
    assert!(report["rows"].as_u64().unwrap() > 1_000);
    assert!(report["customers"].as_u64().unwrap() > 200);
    assert!(report["invoices"].as_u64().unwrap() > 300);
    assert!(report["revenue"].as_f64().unwrap() > 0.0);

    let metadata = read_json(&out.join("metadata.json"));
    assert_eq!(metadata["tool"], "panier");
    assert_eq!(metadata["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(metadata["parameters"]["min_support"], 0.05);
    assert_eq!(
        metadata["parameters"]["drop_items"],
        serde_json::json!(["postage", "carriage"])
    );
    assert_eq!(metadata["input"]["name"], "demo.csv");
    let size = std::fs::metadata(&input).unwrap().len();
    assert_eq!(metadata["input"]["size_bytes"].as_u64(), Some(size));
    let rfm = std::fs::read_to_string(out.join("rfm_segments.csv")).unwrap();
    let mut lines = rfm.lines();
    assert_eq!(
        lines.next().unwrap(),
        "CustomerID,Recency,Frequency,Monetary,R_Score,F_Score,M_Score,RFM_Score,RFM_Sum,FM_Score,Segment"
    );
    assert_eq!(
        lines.count() as u64,
        report["customers"].as_u64().unwrap(),
        "un client par ligne"
    );
    assert_eq!(metadata["parameters"]["rfm"]["levels"], 5);
    let itemsets = std::fs::read_to_string(out.join("frequent_itemsets.csv")).unwrap();
    assert!(itemsets.starts_with("itemsets,length,support\n"));
    assert!(itemsets.lines().count() > 1, "des itemsets à 5 %");
    assert!(!itemsets.contains("\"postage\""), "article retiré");
    let rules = std::fs::read_to_string(out.join("association_rules.csv")).unwrap();
    assert!(rules.starts_with(
        "antecedents,consequents,antecedent support,consequent support,support,confidence,lift,"
    ));
    for stage in [
        "read",
        "parse",
        "clean",
        "summarize",
        "rfm",
        "baskets",
        "total",
    ] {
        assert!(
            metadata["timings_ms"][stage].as_f64().is_some(),
            "durée {stage}"
        );
    }
}

#[test]
fn country_filter_restricts_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_demo(dir.path());
    let all = dir.path().join("all");
    let france = dir.path().join("france");
    assert!(panier(&["analyze", &input, "--out", all.to_str().unwrap()])
        .status
        .success());
    let result = panier(&[
        "analyze",
        &input,
        "--out",
        france.to_str().unwrap(),
        "--country",
        "FRANCE",
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let (all, france) = (
        read_json(&all.join("report.json")),
        read_json(&france.join("report.json")),
    );
    assert_eq!(france["country"], "France");
    assert_eq!(france["countries"], 1);
    assert!(france["customers"].as_u64() < all["customers"].as_u64());
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();

    let missing = panier(&["analyze", "/nonexistent/file.csv", "--out", out]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("n'a pas pu être lu"));

    let input = small_demo(dir.path());
    let absurd = panier(&[
        "--lang",
        "en",
        "analyze",
        &input,
        "--out",
        out,
        "--min-support",
        "1.5",
    ]);
    assert!(!absurd.status.success());
    assert!(String::from_utf8_lossy(&absurd.stderr).contains("Invalid value for min_support"));

    let levels = panier(&[
        "--lang", "en", "analyze", &input, "--out", out, "--levels", "7",
    ]);
    assert!(!levels.status.success());
    assert!(String::from_utf8_lossy(&levels.stderr).contains("Invalid value for levels: 7"));

    let early = panier(&["analyze", &input, "--out", out, "--snapshot", "1990-01-01"]);
    assert!(!early.status.success());
    assert!(String::from_utf8_lossy(&early.stderr).contains("précède le premier achat"));

    let country = panier(&[
        "--lang",
        "en",
        "analyze",
        &input,
        "--out",
        out,
        "--country",
        "Atlantis",
    ]);
    assert!(!country.status.success());
    let stderr = String::from_utf8_lossy(&country.stderr);
    assert!(
        stderr.contains("Atlantis") && stderr.contains("United Kingdom"),
        "{stderr}"
    );
    assert!(
        !Path::new(out).join("report.json").exists(),
        "aucune sortie en cas d'erreur"
    );
}
