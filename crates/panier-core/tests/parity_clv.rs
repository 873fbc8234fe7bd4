//! Parité de la valeur client prédite avec les paramètres publiés sur
//! l'échantillon CDNOW (`../shared/data/README.md`) : BG/NBD de Fader,
//! Hardie & Lee (2005) et Gamma-Gamma de Fader & Hardie (2013), calibration
//! jusqu'au 1997-09-30 compris, lus par l'import normal (options par
//! défaut).
//!
//! Les données vivent hors du dépôt, dans `../shared` : ces tests sont
//! ignorés par défaut (`cargo test -- --include-ignored` les lance).

mod common;
use common::shared;

use panier_core::clv::{compute_clv, ClvOptions};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::rfm::parse_date;

fn cdnow() -> panier_core::clean::CleanTable {
    let bytes = std::fs::read(shared("data/cdnow/cdnow_sample.csv")).unwrap();
    analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .clean
}

#[track_caller]
fn close(found: f64, published: f64, tolerance: f64, name: &str) {
    assert!(
        (found - published).abs() <= tolerance,
        "{name} = {found}, publié {published}"
    );
}

#[test]
#[ignore = "needs ../shared"]
fn cdnow_parameters_equal_the_published_ones() {
    let options = ClvOptions {
        calibration_end: Some(parse_date("1997-09-30", "clv_until").unwrap()),
        ..Default::default()
    };
    let result = compute_clv(&cdnow(), &options).unwrap();
    let bg = result.bgnbd.params;
    eprintln!(
        "{:?} {} {:?}",
        bg, result.bgnbd.log_likelihood, result.gamma_gamma
    );
    eprintln!("{:?}", result.validation);
    // Publié à 3 décimales : l'écart toléré est la demi-unité d'arrondi.
    close(bg.r, 0.243, 0.0005, "r");
    close(bg.alpha, 4.414, 0.0005, "α");
    close(bg.a, 0.793, 0.0005, "a");
    close(bg.b, 2.426, 0.0005, "b");
    close(
        result.bgnbd.log_likelihood,
        -9582.4,
        0.05,
        "log-vraisemblance",
    );
    assert_eq!(result.customers.len(), 2357);
    let gg = result.gamma_gamma;
    assert_eq!(gg.customers, 946);
    assert_eq!(result.repeat_customers, 946);
    close(gg.params.p, 6.25, 0.005, "p");
    close(gg.params.q, 3.74, 0.005, "q");
    close(gg.params.v, 15.44, 0.005, "γ");
}
