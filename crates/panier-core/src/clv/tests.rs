//! Tests des fonctions spéciales, des vraisemblances, des prévisions et des
//! ajustements (paramètres connus retrouvés sur des clients simulés).

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::bgnbd::{self, BgNbdParams};
use super::gamma_gamma::{self, GammaGammaParams};
use super::optimize::{minimize, Settings};
use super::special::{hyp2f1, ln_beta, ln_gamma};
use super::*;
use crate::pipeline::{analyze, AnalysisOptions};
use crate::progress::NoProgress;

/// Les paramètres publiés sur CDNOW.
const CDNOW: BgNbdParams = BgNbdParams {
    r: 0.243,
    alpha: 4.414,
    a: 0.793,
    b: 2.426,
};

fn profile(x: u32, t_x: f64, t: f64) -> Profile {
    Profile { x, t_x, t }
}

#[test]
fn ln_gamma_matches_known_values() {
    assert!(ln_gamma(1.0).abs() < 1e-14);
    assert!(ln_gamma(2.0).abs() < 1e-14);
    assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-13);
    // Γ(n) = (n−1)! jusqu'à 20! (exact en f64).
    let mut factorial = 1.0f64;
    for n in 1..=20u32 {
        let expected = factorial.ln();
        let found = ln_gamma(f64::from(n));
        assert!(
            (found - expected).abs() <= 1e-13 * expected.abs().max(1.0),
            "ln Γ({n}) = {found}, attendu {expected}"
        );
        factorial *= f64::from(n);
    }
    // Γ(x+1) = x Γ(x), y compris sous 0,5 (formule des compléments).
    for x in [1e-6, 0.01, 0.243, 0.49, 0.5, 0.793, 3.3, 150.5] {
        let lhs = ln_gamma(x + 1.0);
        let rhs = x.ln() + ln_gamma(x);
        assert!((lhs - rhs).abs() < 1e-12 * lhs.abs().max(1.0), "x = {x}");
    }
    assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.0).is_nan() && ln_gamma(f64::NAN).is_nan());
    // B(1, b) = 1/b.
    assert!((ln_beta(1.0, 4.0) + 4f64.ln()).abs() < 1e-14);
}

/// ₂F₁ par une somme naïve (factorielles montantes recalculées à chaque
/// terme, en f64), pour comparer sur de petits cas.
fn brute_force_2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let mut sum = 0.0;
    for k in 0..400 {
        let mut term = 1.0;
        for j in 0..k {
            let j = f64::from(j);
            term *= (a + j) * (b + j) / ((c + j) * (j + 1.0)) * z;
        }
        sum += term;
    }
    sum
}

#[test]
fn hyp2f1_matches_closed_forms_and_the_brute_force_series() {
    for z in [0.0, 0.1, 0.3, 0.5, 0.7, 0.9] {
        if z > 0.0 {
            let log = -(1.0f64 - z).ln() / z;
            assert!((hyp2f1(1.0, 1.0, 2.0, z) - log).abs() < 1e-13 * log);
            let s = z.sqrt();
            let arcsin = s.asin() / s;
            assert!((hyp2f1(0.5, 0.5, 1.5, z) - arcsin).abs() < 1e-13);
        }
        let power = (1.0 - z).powf(-2.7);
        assert!((hyp2f1(2.7, 1.3, 1.3, z) - power).abs() < 1e-12 * power);
        for (a, b, c) in [(0.243, 2.426, 1.219), (1.5, -0.2, 3.0), (3.0, 4.0, 9.5)] {
            let expected = brute_force_2f1(a, b, c, z);
            let found = hyp2f1(a, b, c, z);
            assert!(
                (found - expected).abs() < 1e-11 * expected.abs().max(1.0),
                "₂F₁({a}, {b}; {c}; {z}) = {found}, attendu {expected}"
            );
        }
    }
    // Hors domaine : NaN, jamais de panique ni de boucle sans fin.
    assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
    assert!(hyp2f1(1.0, 1.0, -1.0, 0.5).is_nan());
    assert!(hyp2f1(1.0, 1.0, 2.0, f64::NAN).is_nan());
    // z très proche de 1 : le plafond de termes et la borne du reste
    // donnent une valeur finie, proche de −ln(1−z)/z.
    let z = 1.0 - 1e-9;
    let found = hyp2f1(1.0, 1.0, 2.0, z);
    assert!(found.is_finite() && found > 10.0, "{found}");
}

/// Vraisemblance d'un client calculée directement (éq. 6 de Fader, Hardie &
/// Lee 2005), sans logarithme : produits finis pour les rapports de
/// fonctions Γ et Β.
fn direct_likelihood(p: &BgNbdParams, x: u32, t_x: f64, t: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let rising = |start: f64, n: u32| (0..n).map(|k| start + f64::from(k)).product::<f64>();
    let gamma_part = rising(r, x) * alpha.powf(r);
    let beta_ratio = (0..x)
        .map(|k| (b + f64::from(k)) / (a + b + f64::from(k)))
        .product::<f64>();
    let xf = f64::from(x);
    let mut bracket = beta_ratio * (alpha + t).powf(-(r + xf));
    if x > 0 {
        let ratio = a * rising(b, x - 1) / rising(a + b, x);
        bracket += ratio * (alpha + t_x).powf(-(r + xf));
    }
    gamma_part * bracket
}

#[test]
fn the_log_likelihood_equals_the_direct_likelihood_on_small_cases() {
    let cases = [
        (0, 0.0, 38.86),
        (1, 1.71, 38.86),
        (2, 30.43, 38.86),
        (5, 20.0, 25.0),
        (7, 36.0, 36.5),
    ];
    for params in [
        CDNOW,
        BgNbdParams {
            r: 1.3,
            alpha: 0.7,
            a: 2.0,
            b: 0.4,
        },
    ] {
        let mut total = 0.0;
        for &(x, t_x, t) in &cases {
            let direct = direct_likelihood(&params, x, t_x, t).ln();
            let logged = params.log_likelihood(&profile(x, t_x, t));
            assert!(
                (direct - logged).abs() < 1e-10,
                "x = {x} : {direct} contre {logged}"
            );
            total += logged;
        }
        // La somme pondérée (profils regroupés) redonne la même chose.
        let grouped = weighted_profiles(cases.iter().map(|&(x, t_x, t)| profile(x, t_x, t)));
        let summed = params.total_log_likelihood(&grouped);
        assert!((summed - total).abs() < 1e-9);
    }
    assert!(BgNbdParams { r: -1.0, ..CDNOW }
        .total_log_likelihood(&[(profile(0, 0.0, 1.0), 1.0)])
        .is_nan());
}

#[test]
fn a_large_customer_keeps_a_finite_likelihood_and_forecast() {
    // 400 achats : les puissances directes débordent, pas les logarithmes.
    let big = profile(400, 51.0, 52.0);
    assert!(CDNOW.log_likelihood(&big).is_finite());
    let expected = CDNOW.expected_transactions(&big, 52.0);
    assert!(expected.is_finite() && expected > 10.0, "{expected}");
    assert!((0.0..=1.0).contains(&CDNOW.p_alive(&big)));
}

/// Achats attendus par la formule de l'article telle quelle (₂F₁ directe,
/// sans la transformation d'Euler) : la référence des petits cas.
fn direct_expected(p: &BgNbdParams, x: u32, t_x: f64, t: f64, horizon: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let xf = f64::from(x);
    let z = horizon / (alpha + t + horizon);
    let f = brute_force_2f1(r + xf, b + xf, a + b + xf - 1.0, z);
    let numerator = (a + b + xf - 1.0) / (a - 1.0)
        * (1.0 - ((alpha + t) / (alpha + t + horizon)).powf(r + xf) * f);
    let odds = if x > 0 {
        a / (b + xf - 1.0) * ((alpha + t) / (alpha + t_x)).powf(r + xf)
    } else {
        0.0
    };
    numerator / (1.0 + odds)
}

#[test]
fn expected_transactions_equal_the_paper_formula() {
    for params in [
        CDNOW,
        BgNbdParams {
            r: 1.3,
            alpha: 7.0,
            a: 2.0,
            b: 0.9,
        },
    ] {
        for &(x, t_x, t) in &[
            (0, 0.0, 38.86),
            (1, 1.71, 38.86),
            (2, 30.43, 38.86),
            (6, 30.0, 39.0),
        ] {
            for horizon in [1.0, 12.857, 39.0, 52.0] {
                let expected = direct_expected(&params, x, t_x, t, horizon);
                let found = params.expected_transactions(&profile(x, t_x, t), horizon);
                assert!(
                    (found - expected).abs() < 1e-9 * expected.abs().max(1.0),
                    "x = {x}, t = {horizon} : {found} contre {expected}"
                );
            }
        }
    }
    let p = profile(2, 30.43, 38.86);
    assert_eq!(CDNOW.expected_transactions(&p, 0.0), 0.0);
}

#[test]
fn a_equal_to_one_is_not_a_singularity() {
    let p = profile(3, 20.0, 30.0);
    let at = |a: f64| BgNbdParams { a, ..CDNOW }.expected_transactions(&p, 26.0);
    let exact = at(1.0);
    assert!(exact.is_finite() && exact > 0.0);
    assert!((at(1.0 + 1e-10) - exact).abs() < 1e-8);
    assert!((at(1.0 - 1e-7) - exact).abs() < 1e-6);
    assert!((at(1.001) - exact).abs() < 1e-3);
}

#[test]
fn nelder_mead_finds_the_minimum_of_a_quadratic_and_of_rosenbrock() {
    let quadratic = |x: &[f64]| (x[0] - 1.0).powi(2) + 10.0 * (x[1] + 2.0).powi(2);
    let found = minimize(quadratic, &[0.0, 0.0], Settings::default());
    assert!(found.converged);
    assert!((found.point[0] - 1.0).abs() < 1e-5 && (found.point[1] + 2.0).abs() < 1e-5);
    let rosenbrock = |x: &[f64]| 100.0 * (x[1] - x[0] * x[0]).powi(2) + (1.0 - x[0]).powi(2);
    let found = minimize(rosenbrock, &[-1.2, 1.0], Settings::default());
    assert!(found.converged, "{found:?}");
    assert!((found.point[0] - 1.0).abs() < 1e-4 && (found.point[1] - 1.0).abs() < 1e-4);
    // Une fonction partout infinie ne converge pas, sans panique.
    let nowhere = |_: &[f64]| f64::NAN;
    assert!(!minimize(nowhere, &[0.0], Settings::default()).converged);
}

/// Une variable Gamma(forme, échelle 1) : Marsaglia & Tsang (2000), avec le
/// relèvement U^(1/forme) pour une forme < 1.
fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        // Une normale par Box–Muller.
        let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-300), rng.random());
        let n = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let v = (1.0 + c * n).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.random::<f64>().max(1e-300);
        if u.ln() < 0.5 * n * n + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Simule des clients du BG/NBD (le générateur de `lifetimes`) : taux
/// λ ~ Gamma(r, α), départ p ~ Bêta(a, b) après chaque achat répété,
/// ancienneté T tirée entre 20 et 52 semaines.
fn simulate_bgnbd(params: &BgNbdParams, customers: usize, seed: u64) -> Vec<Profile> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..customers)
        .map(|_| {
            let lambda = gamma(&mut rng, params.r) / params.alpha;
            let (g1, g2) = (gamma(&mut rng, params.a), gamma(&mut rng, params.b));
            let p = g1 / (g1 + g2);
            let t = 20.0 + 32.0 * rng.random::<f64>();
            let (mut now, mut x, mut t_x) = (0.0, 0, 0.0);
            loop {
                let u: f64 = rng.random::<f64>().max(1e-300);
                now += -u.ln() / lambda;
                if now > t {
                    break;
                }
                x += 1;
                t_x = now;
                if rng.random::<f64>() < p {
                    break;
                }
            }
            profile(x, t_x, t)
        })
        .collect()
}

#[test]
fn simulated_customers_give_back_their_bgnbd_parameters() {
    let truth = BgNbdParams {
        r: 0.5,
        alpha: 5.0,
        a: 0.8,
        b: 2.5,
    };
    let profiles = simulate_bgnbd(&truth, 20_000, 7);
    let fit = bgnbd::fit(&weighted_profiles(profiles.into_iter())).unwrap();
    assert!(!fit.at_limit);
    let found = fit.params;
    for (name, value, expected, tolerance) in [
        ("r", found.r, truth.r, 0.1),
        ("α", found.alpha, truth.alpha, 0.15),
        ("a", found.a, truth.a, 0.3),
        ("b", found.b, truth.b, 0.3),
    ] {
        assert!(
            (value / expected - 1.0).abs() < tolerance,
            "{name} = {value}, vrai {expected} ({found:?})"
        );
    }
    // L'optimum vaut au moins la vérité.
    let grouped = weighted_profiles(simulate_bgnbd(&truth, 20_000, 7).into_iter());
    assert!(fit.log_likelihood >= truth.total_log_likelihood(&grouped) - 1e-6);
}

#[test]
fn simulated_spenders_give_back_their_gamma_gamma_parameters() {
    let truth = GammaGammaParams {
        p: 6.0,
        q: 3.5,
        v: 15.0,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let spenders: Vec<(f64, f64)> = (0..20_000)
        .map(|_| {
            let nu = gamma(&mut rng, truth.q) / truth.v;
            let x = rng.random_range(1..=20u32);
            let total: f64 = (0..x).map(|_| gamma(&mut rng, truth.p) / nu).sum();
            (f64::from(x), total / f64::from(x))
        })
        .collect();
    let fitted = gamma_gamma::fit(&spenders).unwrap();
    assert!(!fitted.at_limit);
    let found = fitted.params;
    // L'optimum vaut au moins la vérité.
    assert!(found.total_log_likelihood(&spenders) >= truth.total_log_likelihood(&spenders));
    for (name, value, expected) in [
        ("p", found.p, truth.p),
        ("q", found.q, truth.q),
        ("γ", found.v, truth.v),
    ] {
        assert!(
            (value / expected - 1.0).abs() < 0.15,
            "{name} = {value}, vrai {expected} ({found:?})"
        );
    }
    // Montants ×1000 : γ ×1000, p et q inchangés (l'ajustement se fait sur
    // des montants réduits).
    let scaled: Vec<(f64, f64)> = spenders.iter().map(|&(x, m)| (x, m * 1000.0)).collect();
    let big = gamma_gamma::fit(&scaled).unwrap().params;
    assert!((big.p / found.p - 1.0).abs() < 1e-4, "{big:?} {found:?}");
    assert!((big.v / (found.v * 1000.0) - 1.0).abs() < 1e-4);
}

#[test]
fn expected_spend_shrinks_toward_the_population_mean() {
    let gg = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        v: 15.44,
    };
    let population = gg.p * gg.v / (gg.q - 1.0);
    assert!((gg.expected_spend(0, 0.0, 1.0) - population).abs() < 1e-12);
    let one = gg.expected_spend(1, 100.0, 1.0);
    let many = gg.expected_spend(50, 100.0, 1.0);
    assert!(population < one && one < many && many < 100.0);
    // q ≤ 1 : pas de moyenne de population, le repli est pris.
    let heavy = GammaGammaParams { q: 0.5, ..gg };
    assert_eq!(heavy.expected_spend(0, 0.0, 42.0), 42.0);
}

#[test]
fn the_predictive_median_is_zero_for_a_one_time_buyer_long_gone() {
    let gone = profile(1, 0.5, 52.0);
    assert_eq!(CDNOW.predictive_quantile(&gone, 13.0, 0.5), 0.0);
    let loyal = profile(30, 51.5, 52.0);
    let median = CDNOW.predictive_quantile(&loyal, 13.0, 0.5);
    let mean = CDNOW.expected_transactions(&loyal, 13.0);
    assert!(
        median >= 1.0 && (median - mean).abs() < 3.0,
        "{median} {mean}"
    );
    assert!(
        CDNOW.predictive_quantile(&loyal, 13.0, 0.7) >= median,
        "quantiles croissants"
    );
}

#[test]
fn the_churn_risk_is_the_mass_of_zero_purchases_of_the_predictive_law() {
    // Seconde écriture : la probabilité de zéro est la masse que le quantile
    // prédictif laisse à 0 — un quantile juste en dessous vaut 0, juste au
    // dessus au moins 1.
    for p in [
        profile(0, 0.0, 40.0),
        profile(1, 0.5, 52.0),
        profile(8, 30.0, 38.0),
        profile(30, 51.5, 52.0),
    ] {
        let risk = CDNOW.p_no_purchase(&p, 13.0);
        assert!((0.0..=1.0).contains(&risk), "{risk}");
        if risk > 1e-6 {
            assert_eq!(
                CDNOW.predictive_quantile(&p, 13.0, risk - 1e-9),
                0.0,
                "{p:?}"
            );
        }
        if risk < 1.0 - 1e-6 {
            assert!(
                CDNOW.predictive_quantile(&p, 13.0, risk + 1e-9) >= 1.0,
                "{p:?}"
            );
        }
        // Plus l'horizon est long, moins il est probable de ne rien acheter.
        assert!(CDNOW.p_no_purchase(&p, 26.0) <= risk);
    }
    // Un client venu une fois il y a longtemps : P(actif) vaut 1 pour le
    // BG/NBD, mais son risque de ne rien commander est élevé ; un client
    // fidèle et récent, faible.
    let once = profile(0, 0.0, 52.0);
    assert_eq!(CDNOW.p_alive(&once), 1.0);
    assert!(CDNOW.p_no_purchase(&once, 13.0) > 0.7);
    assert!(CDNOW.p_no_purchase(&profile(30, 51.5, 52.0), 13.0) < 0.1);
}

proptest! {
    /// Aucun profil ni paramètre positif ne fait paniquer ni ne donne de
    /// prévision non finie.
    #[test]
    fn forecasts_are_finite_for_any_profile(
        x in 0u32..5_000,
        t in 0.0f64..5_000.0,
        share in 0.0f64..=1.0,
        horizon in 0.0f64..1_000.0,
        ln_r in -8.0f64..8.0,
        ln_alpha in -8.0f64..8.0,
        ln_a in -8.0f64..8.0,
        ln_b in -8.0f64..8.0,
    ) {
        let params = BgNbdParams { r: ln_r.exp(), alpha: ln_alpha.exp(), a: ln_a.exp(), b: ln_b.exp() };
        let p = profile(x, t * share, t);
        let alive = params.p_alive(&p);
        prop_assert!((0.0..=1.0).contains(&alive));
        let expected = params.expected_transactions(&p, horizon);
        prop_assert!(expected.is_finite() && expected >= 0.0, "{}", expected);
        let clv = lifetime_value(&params, &p, 25.0, 12, 0.01);
        prop_assert!(clv.is_finite() && clv >= 0.0);
        prop_assert!(params.predictive_quantile(&p, horizon, 0.5).is_finite());
        prop_assert!((0.0..=1.0).contains(&params.p_no_purchase(&p, horizon)));
        prop_assert!(!params.log_likelihood(&p).is_infinite() || t == 0.0);
    }
}

/// Un CSV de transactions : `rows` lignes (client, jour) à 10 € l'achat.
fn csv_of(rows: &[(u32, &str)]) -> Vec<u8> {
    let mut text = String::from("InvoiceNo,InvoiceDate,UnitPrice,Quantity,CustomerID\n");
    for (i, (customer, day)) in rows.iter().enumerate() {
        text.push_str(&format!("{i},{day},10,1,{customer}\n"));
    }
    text.into_bytes()
}

fn clv_of(bytes: &[u8]) -> Result<ClvResult, PanierError> {
    let clean = analyze(bytes, &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .clean;
    compute_clv(&clean, &ClvOptions::default())
}

#[test]
fn bad_input_gives_a_clear_error() {
    // Tout le même jour.
    let one_day: Vec<(u32, &str)> = (0..50).map(|c| (c, "2011-01-01")).collect();
    assert_eq!(clv_of(&csv_of(&one_day)), Err(PanierError::ClvNoTimeSpan));
    // Trois clients fidèles seulement.
    let mut few: Vec<(u32, &str)> = (0..50).map(|c| (c, "2011-01-01")).collect();
    few.extend([(1, "2011-02-01"), (2, "2011-03-01"), (3, "2011-03-02")]);
    assert_eq!(
        clv_of(&csv_of(&few)),
        Err(PanierError::ClvTooFewRepeatCustomers {
            repeat: 3,
            customers: 50,
            needed: MIN_REPEAT_CUSTOMERS as u64
        })
    );
    // Fin de calibration avant tout achat.
    let clean = analyze(&csv_of(&few), &AnalysisOptions::default(), &mut NoProgress)
        .unwrap()
        .clean;
    let before = ClvOptions {
        calibration_end: Some(0),
        ..Default::default()
    };
    assert!(matches!(
        compute_clv(&clean, &before),
        Err(PanierError::ClvCalibrationBeforeData { .. })
    ));
    // Options absurdes.
    for options in [
        ClvOptions {
            horizon_days: 0,
            ..Default::default()
        },
        ClvOptions {
            months: 0,
            ..Default::default()
        },
        ClvOptions {
            monthly_discount: f64::NAN,
            ..Default::default()
        },
    ] {
        assert!(matches!(
            options.validate(),
            Err(PanierError::InvalidParameter { .. })
        ));
    }
}

#[test]
fn same_day_purchases_are_one_transaction_and_free_visits_count() {
    let text = "InvoiceNo,InvoiceDate,UnitPrice,Quantity,CustomerID\n\
                1,2011-01-01 09:00,10,1,7\n\
                2,2011-01-01 17:00,5,1,7\n\
                3,2011-01-15 10:00,0,1,7\n\
                4,2011-01-29 10:00,20,1,7\n";
    let clean = analyze(
        text.as_bytes(),
        &AnalysisOptions::default(),
        &mut NoProgress,
    )
    .unwrap()
    .clean;
    let purchases = Purchases::from_table(&clean).unwrap();
    let days = &purchases.customers[0].1;
    // Deux factures le même jour : un jour à 15 ; l'achat gratuit reste un
    // jour d'achat.
    assert_eq!(days.len(), 3);
    assert_eq!(days[0].1, 15.0);
    let (_, p, monetary) = purchases.profiles(purchases.last_day)[0];
    assert_eq!(p, profile(2, 4.0, 4.0));
    assert_eq!(monetary, 10.0);
}

#[test]
fn the_demo_data_gets_a_forecast_and_a_validation() {
    let bytes = crate::demo::generate_demo_csv(&crate::demo::DemoConfig {
        customers: 400,
        ..Default::default()
    });
    let result = clv_of(&bytes).unwrap();
    assert!(result.repeat_customers >= MIN_REPEAT_CUSTOMERS);
    assert!(result
        .customers
        .iter()
        .all(|c| c.clv.is_finite() && c.clv >= 0.0));
    assert!(result
        .customers
        .iter()
        .all(|c| (0.0..=1.0).contains(&c.p_alive)));
    let validation = result.validation.as_ref().unwrap();
    assert!(validation.customers > 0);
    assert_eq!(
        validation.by_frequency.len(),
        validation::FREQUENCY_GROUPS as usize
    );
    // Clients dans l'ordre de la segmentation RFM.
    let rfm = crate::rfm::compute_rfm(
        &analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean,
        &Default::default(),
    )
    .unwrap();
    let ours: Vec<&str> = result
        .customers
        .iter()
        .map(|c| c.customer.as_str())
        .collect();
    let theirs: Vec<&str> = rfm.customers.iter().map(|c| c.customer.as_str()).collect();
    assert_eq!(ours, theirs);
}

#[test]
fn a_homogeneous_population_is_fitted_at_the_model_limit() {
    // Tous achètent chaque semaine, même montant : pas d'hétérogénéité.
    let profiles: Vec<Profile> = (0..60).map(|_| profile(40, 40.0, 40.0)).collect();
    let fit = bgnbd::fit(&weighted_profiles(profiles.iter().copied())).unwrap();
    assert!(fit.at_limit, "{fit:?}");
    let e = fit.params.expected_transactions(&profiles[0], 10.0);
    assert!((e - 10.0).abs() < 0.5, "{e}");
    let spenders: Vec<(f64, f64)> = (0..60).map(|_| (40.0, 12.5)).collect();
    let gg = gamma_gamma::fit(&spenders).unwrap();
    assert!(gg.at_limit);
    assert!((gg.params.expected_spend(40, 12.5, 0.0) - 12.5).abs() < 0.01);
}

proptest! {
    /// Les jours de chaque client et leurs montants, exactement (même ordre
    /// d'addition) ceux du tri stable par client puis jour qu'ils remplacent.
    #[test]
    fn days_by_customer_are_those_of_a_stable_sort(
        rows in proptest::collection::vec(
            (0u32..20, 0i64..15, any::<f64>().prop_filter("fini", |v| v.is_finite())),
            0..300,
        ),
    ) {
        let mut sorted = rows.clone();
        sorted.sort_by_key(|&(customer, day, _)| (customer, day));
        let mut expected: Vec<(u32, Vec<(i64, f64)>)> = Vec::new();
        for (customer, day, amount) in sorted {
            match expected.last_mut() {
                Some((id, days)) if *id == customer => match days.last_mut() {
                    Some((d, total)) if *d == day => *total += amount,
                    _ => days.push((day, amount)),
                },
                _ => expected.push((customer, vec![(day, amount)])),
            }
        }
        let found = days_by_customer(&rows);
        // Comparaison bit à bit des montants.
        let bits = |list: &[(u32, Vec<(i64, f64)>)]| -> Vec<(u32, Vec<(i64, u64)>)> {
            list.iter()
                .map(|(c, days)| (*c, days.iter().map(|&(d, a)| (d, a.to_bits())).collect()))
                .collect()
        };
        prop_assert_eq!(bits(&found), bits(&expected));
    }
}
