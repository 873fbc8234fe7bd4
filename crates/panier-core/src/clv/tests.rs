//! Tests des fonctions spéciales, des vraisemblances et des ajustements.

use super::bgnbd::{self, BgNbdParams};
use super::special::{hyp2f1, ln_gamma};
use super::*;

#[test]
fn ln_gamma_matches_known_values() {
    assert!((ln_gamma(1.0)).abs() < 1e-14);
    assert!((ln_gamma(2.0)).abs() < 1e-14);
    assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
}

#[test]
fn hyp2f1_matches_closed_forms() {
    let z: f64 = 0.3;
    assert!((hyp2f1(1.0, 1.0, 2.0, z) + (1.0 - z).ln() / z).abs() < 1e-14);
}
