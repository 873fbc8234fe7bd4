//! Le modèle Gamma-Gamma : combien dépense un client à chaque achat ?
//!
//! Fader & Hardie (2013), « The Gamma-Gamma model of monetary value »
//! (note technique, brucehardie.com/notes/025), d'après Colombo & Jiang
//! (1999).
//!
//! ## Le modèle
//!
//! Le montant de chaque achat répété d'un client varie autour de sa dépense
//! moyenne propre ; ce qui en est observé est la moyenne m̄ de ses x achats
//! répétés (le premier achat est écarté : il n'est pas de même nature, et
//! la référence de CDNOW l'écarte). Chaque montant suit une Gamma(p, ν) ;
//! entre clients, ν suit une Gamma(q, γ). La moyenne de x montants suit
//! alors une Gamma(px, νx), d'où la vraisemblance d'un client (éq. 3 de la
//! note, en logarithmes) :
//!
//! ```text
//! ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ
//!      + (px−1) ln m̄ + px ln x − (px+q) ln(γ + m̄x)
//! ```
//!
//! Dépense moyenne attendue d'un client (éq. 5) — une moyenne pondérée de
//! la moyenne de la population p·γ/(q−1) et de sa moyenne observée :
//!
//! ```text
//! E[M | m̄, x] = p (γ + m̄x) / (px + q − 1)
//! ```
//!
//! Hypothèse du modèle : le montant moyen est indépendant de la fréquence
//! d'achat. Elle se vérifie sur les données (corrélation de Pearson entre x
//! et m̄ chez les clients à achats répétés, rapportée avec le résultat :
//! 0,11 sur CDNOW, une corrélation faible que la note juge acceptable).

use serde::{Deserialize, Serialize};

use super::bgnbd::LN_PARAM_LIMIT;
use super::optimize::{minimize, Settings};
use super::special::ln_gamma;

/// Les trois paramètres du Gamma-Gamma.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    /// Forme de la loi de chaque montant.
    pub p: f64,
    /// Forme de la loi des échelles entre clients.
    pub q: f64,
    /// γ, l'échelle de la loi des échelles entre clients (la lettre de la
    /// note ; `v` dans `lifetimes`).
    pub v: f64,
}

impl GammaGammaParams {
    /// Vrai si les trois paramètres sont finis et strictement positifs.
    pub fn is_valid(&self) -> bool {
        [self.p, self.q, self.v]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }

    /// Log-vraisemblance d'un client à `x` ≥ 1 achats répétés de montant
    /// moyen `m` > 0 ; NaN hors domaine.
    pub fn log_likelihood(&self, x: f64, m: f64) -> f64 {
        let GammaGammaParams { p, q, v } = *self;
        if x <= 0.0 || m <= 0.0 || !m.is_finite() {
            return f64::NAN;
        }
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
            + q * v.ln()
            + (p * x - 1.0) * m.ln()
            + p * x * x.ln()
            - (p * x + q) * (v + m * x).ln()
    }

    /// Log-vraisemblance totale.
    pub fn total_log_likelihood(&self, spenders: &[(f64, f64)]) -> f64 {
        if !self.is_valid() {
            return f64::NAN;
        }
        spenders
            .iter()
            .map(|&(x, m)| self.log_likelihood(x, m))
            .sum()
    }

    /// Dépense moyenne attendue par achat d'un client à `x` achats répétés
    /// de moyenne `m` (éq. 5). Pour x = 0, la moyenne de la population
    /// p·γ/(q−1), finie seulement si q > 1 : sinon `fallback` (la moyenne
    /// observée des achats répétés), le modèle ne donnant pas de moyenne.
    pub fn expected_spend(&self, x: u32, m: f64, fallback: f64) -> f64 {
        let GammaGammaParams { p, q, v } = *self;
        let x = f64::from(x);
        let m = if x > 0.0 && m.is_finite() && m > 0.0 {
            m
        } else {
            0.0
        };
        let denominator = p * x + q - 1.0;
        if denominator <= 0.0 {
            return fallback;
        }
        let value = p * (v + m * x) / denominator;
        if value.is_finite() {
            value
        } else {
            fallback
        }
    }
}

/// Les clients préparés pour l'ajustement, triés par x : les termes en
/// ln Γ ne dépendent que de p, q et x, ils se calculent une fois par x
/// distinct et par évaluation ; ln m̄ et ln x une fois pour toutes. Il ne
/// reste par client et par évaluation qu'un logarithme, ln(γ + m̄x).
struct Prepared {
    /// (x, ln x, m̄, ln m̄), triés par x.
    rows: Vec<(f64, f64, f64, f64)>,
}

impl Prepared {
    fn new(spenders: &[(f64, f64)]) -> Self {
        let mut rows: Vec<(f64, f64, f64, f64)> = spenders
            .iter()
            .map(|&(x, m)| (x, x.ln(), m, m.ln()))
            .collect();
        crate::kernels::sort_by(&mut rows, |a, b| a.0.total_cmp(&b.0));
        Self { rows }
    }

    /// Même valeur que [`GammaGammaParams::total_log_likelihood`].
    fn log_likelihood(&self, params: &GammaGammaParams) -> f64 {
        let GammaGammaParams { p, q, v } = *params;
        let fixed = q * v.ln() - ln_gamma(q);
        let (mut current, mut by_x) = (f64::NAN, 0.0);
        let mut total = 0.0;
        for &(x, ln_x, m, ln_m) in &self.rows {
            if x != current {
                current = x;
                by_x = ln_gamma(p * x + q) - ln_gamma(p * x);
            }
            total +=
                fixed + by_x + (p * x - 1.0) * ln_m + p * x * ln_x - (p * x + q) * (v + m * x).ln();
        }
        total
    }
}

/// Un ajustement du Gamma-Gamma.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    /// Paramètres au maximum de vraisemblance.
    pub params: GammaGammaParams,
    /// Log-vraisemblance totale en ce point.
    pub log_likelihood: f64,
    /// Clients ajustés (au moins un achat répété, montant moyen > 0).
    pub customers: usize,
    /// Vrai si l'optimum est à une limite du modèle (p et q infinis
    /// ensemble : tous les montants sont égaux).
    pub at_limit: bool,
}

/// Ajuste le Gamma-Gamma sur des couples (x, m̄), x ≥ 1, m̄ > 0. `None` :
/// pas de convergence, ou des paramètres dégénérés.
pub fn fit(spenders: &[(f64, f64)]) -> Option<GammaGammaFit> {
    if spenders.is_empty() {
        return None;
    }
    let n = spenders.len() as f64;
    // Les montants sont divisés par leur moyenne : γ est une échelle
    // monétaire (γ·c pour des montants ×c, p et q inchangés), et un fichier
    // en yens ou en roupies ne doit pas la pousser vers la borne de
    // divergence. Départ : p = 1, q = 2, γ = 1 (moyenne de la population
    // p·γ/(q−1) = la moyenne observée).
    let mean = spenders.iter().map(|(_, m)| m).sum::<f64>() / n;
    if !(mean.is_finite() && mean > 0.0) {
        return None;
    }
    let scaled: Vec<(f64, f64)> = spenders.iter().map(|&(x, m)| (x, m / mean)).collect();
    if scaled
        .iter()
        .any(|&(x, m)| !(x >= 1.0 && m > 0.0 && m.is_finite()))
    {
        return None;
    }
    let prepared = Prepared::new(&scaled);
    let start = [0.0, 2f64.ln(), 0.0];
    let objective = |theta: &[f64]| {
        if theta.iter().any(|v| v.abs() > LN_PARAM_LIMIT) {
            return f64::INFINITY;
        }
        let params = GammaGammaParams {
            p: theta[0].exp(),
            q: theta[1].exp(),
            v: theta[2].exp(),
        };
        -prepared.log_likelihood(&params) / n
    };
    let found = minimize(objective, &start, Settings::default());
    if !found.converged {
        return None;
    }
    let params = GammaGammaParams {
        p: found.point[0].exp(),
        q: found.point[1].exp(),
        v: found.point[2].exp() * mean,
    };
    let log_likelihood = params.total_log_likelihood(spenders);
    log_likelihood.is_finite().then_some(GammaGammaFit {
        params,
        log_likelihood,
        customers: spenders.len(),
        at_limit: found.point.iter().any(|v| v.abs() > LN_PARAM_LIMIT - 2.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prepared_likelihood_equals_the_plain_one() {
        let spenders = [
            (3.0, 12.5),
            (1.0, 40.0),
            (3.0, 7.0),
            (12.0, 22.0),
            (1.0, 0.5),
        ];
        let params = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            v: 15.44,
        };
        let plain = params.total_log_likelihood(&spenders);
        let prepared = Prepared::new(&spenders).log_likelihood(&params);
        assert!(
            (plain - prepared).abs() < 1e-10 * plain.abs(),
            "{plain} {prepared}"
        );
    }
}
