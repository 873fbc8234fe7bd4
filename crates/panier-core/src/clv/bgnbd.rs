//! Le modèle BG/NBD : combien d'achats, et le client est-il encore là ?
//!
//! Fader, Hardie & Lee (2005), « "Counting your customers" the easy way: an
//! alternative to the Pareto/NBD model », *Marketing Science* 24(2).
//!
//! ## Le modèle
//!
//! Tant qu'il est actif, un client achète selon un processus de Poisson de
//! taux λ (achats par semaine) ; après chaque achat, il part pour de bon
//! avec la probabilité p. Entre clients, λ suit une loi Gamma(r, α) et p une
//! loi Bêta(a, b). Chaque client est résumé par trois nombres, pris à la fin
//! de la période de calibration :
//!
//! - x : achats répétés (les jours d'achat après le premier) ;
//! - tₓ : semaines entre son premier et son dernier achat ;
//! - T : semaines entre son premier achat et la fin de la calibration.
//!
//! ## Vraisemblance (éq. 6 de l'article, en logarithmes)
//!
//! ```text
//! ln L = ln Γ(r+x) − ln Γ(r) + r ln α
//!      + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
//!      + ln( (α+T)^−(r+x)  +  [x>0] · a/(b+x−1) · (α+tₓ)^−(r+x) )
//! ```
//!
//! La dernière ligne est une somme de deux exponentielles de logarithmes
//! très négatifs : elle est calculée en « log-somme-exp » (le plus grand
//! terme mis en facteur), jamais par les puissances elles-mêmes, qui
//! sortiraient de la plage des flottants pour un gros client.
//!
//! ## Prévisions
//!
//! - P(actif | x, tₓ, T) = 1 / (1 + 𝟙(x>0) · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x))
//!   (éq. 13 de la note de Fader, Hardie & Lee, « Computing P(alive) using
//!   the BG/NBD model », 2008).
//! - Achats attendus dans les t semaines suivantes (éq. 10 de l'article) :
//!
//! ```text
//! E[Y(t) | x, tₓ, T] = (a+b+x−1)/(a−1)
//!     · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x ; a+b+x−1 ; z)]
//!     / (1 + [x>0] · a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)),   z = t/(α+T+t)
//! ```
//!
//! Calculée telle quelle, cette formule pose deux problèmes : la série ₂F₁
//! dont les deux premiers paramètres croissent avec x gonfle avant de
//! converger (et déborde pour un gros client), et a = 1 est une division
//! par zéro. La transformation d'Euler ₂F₁(A, B ; C ; z) =
//! (1−z)^(C−A−B) ₂F₁(C−A, C−B ; C ; z) règle le premier :
//!
//! ```text
//! (1−z)^(r+x) ₂F₁(r+x, b+x ; a+b+x−1 ; z) = (1−z)^(a−1) ₂F₁(a+b−1−r, a−1 ; a+b+x−1 ; z)
//! ```
//!
//! — les paramètres du haut ne dépendent plus de x, et un x grand fait
//! seulement converger la série plus vite. Pour le second, (a−1)ₖ =
//! (a−1)(a)ₖ₋₁ : le facteur (a−1) sort de la série, ₂F₁ = 1 + (a−1)·G, et
//!
//! ```text
//! [1 − (1−z)^(a−1) ₂F₁] / (a−1) = −expm1((a−1) ln(1−z)) / (a−1) − (1−z)^(a−1) · G
//! ```
//!
//! n'a plus de singularité en a = 1 (le premier terme tend vers −ln(1−z)).

use serde::{Deserialize, Serialize};

use super::optimize::{minimize, Settings};
use super::special::ln_gamma;
use super::Profile;

/// Les quatre paramètres du BG/NBD (temps en semaines).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    /// Forme de la loi Gamma des taux d'achat.
    pub r: f64,
    /// Échelle de la loi Gamma des taux d'achat (en semaines) : le taux
    /// moyen est r/α achats par semaine.
    pub alpha: f64,
    /// Premier paramètre de la loi Bêta de la probabilité de départ.
    pub a: f64,
    /// Second paramètre : la probabilité moyenne de partir après un achat
    /// est a/(a+b).
    pub b: f64,
}

impl BgNbdParams {
    /// Vrai si les quatre paramètres sont finis et strictement positifs.
    pub fn is_valid(&self) -> bool {
        [self.r, self.alpha, self.a, self.b]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }

    /// Log-vraisemblance d'un client (voir l'en-tête du module).
    pub fn log_likelihood(&self, profile: &Profile) -> f64 {
        let x = f64::from(profile.x);
        let BgNbdParams { r, alpha, a, b } = *self;
        let common =
            ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) + ln_gamma(b + x)
                - ln_gamma(b)
                - ln_gamma(a + b + x);
        common + tail(self, x, profile.t_x, profile.t)
    }

    /// Log-vraisemblance de profils pondérés (un profil = des clients aux
    /// mêmes x, tₓ, T). Les termes en ln Γ ne dépendent que de x : ils sont
    /// calculés une fois par valeur de x (les profils sont triés par x).
    pub fn total_log_likelihood(&self, profiles: &[(Profile, f64)]) -> f64 {
        if !self.is_valid() {
            return f64::NAN;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let fixed = r * alpha.ln() + ln_gamma(a + b) - ln_gamma(r) - ln_gamma(b);
        let mut total = 0.0;
        let mut current: Option<(u32, f64)> = None;
        for (profile, weight) in profiles {
            let x = f64::from(profile.x);
            let by_x = match current {
                Some((cx, value)) if cx == profile.x => value,
                _ => {
                    let value = ln_gamma(r + x) + ln_gamma(b + x) - ln_gamma(a + b + x);
                    current = Some((profile.x, value));
                    value
                }
            };
            total += weight * (fixed + by_x + tail(self, x, profile.t_x, profile.t));
        }
        total
    }

    /// Probabilité que le client soit encore actif à la fin de la
    /// calibration.
    pub fn p_alive(&self, profile: &Profile) -> f64 {
        let p = 1.0 / (1.0 + odds_gone(self, profile));
        if p.is_finite() {
            p
        } else {
            0.0
        }
    }

    /// Achats attendus dans les `t` semaines qui suivent la calibration
    /// (éq. 10, voir l'en-tête du module). 0 pour t ≤ 0 ; jamais NaN pour
    /// des paramètres valides.
    pub fn expected_transactions(&self, profile: &Profile, t: f64) -> f64 {
        if t <= 0.0 || !t.is_finite() || !self.is_valid() {
            return 0.0;
        }
        let BgNbdParams { r, alpha, a, b } = *self;
        let x = f64::from(profile.x);
        let c = a + b + x - 1.0;
        if c <= 0.0 {
            // a + b ≤ 1 et aucun achat répété : la formule n'est pas définie
            // (l'espérance est infinie dans le modèle) ; on prévoit le taux
            // moyen sur t, borne prudente.
            return r / alpha * t;
        }
        let z = t / (alpha + profile.t + t);
        let ln_1mz = (-t / (alpha + profile.t + t)).ln_1p();
        let u = a - 1.0;
        // −expm1(u·L)/u, et sa limite −L(1 + uL/2) quand u → 0.
        let first = if u.abs() < 1e-8 {
            -ln_1mz * (1.0 + u * ln_1mz / 2.0)
        } else {
            -(u * ln_1mz).exp_m1() / u
        };
        // G = (₂F₁(a+b−1−r, a−1 ; c ; z) − 1)/(a−1). Avec (a−1)ₖ =
        // (a−1)(a)ₖ₋₁, (A)ₖ = A(A+1)ₖ₋₁, (c)ₖ = c(c+1)ₖ₋₁ et k! = (2)ₖ₋₁ :
        // G = (a+b−1−r)/c · z · Σⱼ (a+b−r)ⱼ (a)ⱼ / ((c+1)ⱼ (2)ⱼ) zʲ.
        let g = (a + b - 1.0 - r) / c * z * hyp2f1_shifted(a + b - r, a, c + 1.0, z);
        let bracket = first - (u * ln_1mz).exp() * g;
        let expected = c * bracket / (1.0 + odds_gone(self, profile));
        if expected.is_finite() {
            expected.max(0.0)
        } else {
            0.0
        }
    }
}

impl BgNbdParams {
    /// Le quantile `q` du nombre d'achats dans les `t` semaines suivantes :
    /// le plus petit y tel que P(Y(t) ≤ y) ≥ q.
    ///
    /// Pourquoi : l'espérance ([`Self::expected_transactions`]) est la bonne
    /// prévision d'un **total**, mais pour l'erreur absolue d'un client la
    /// meilleure prévision est la **médiane** de sa loi prédictive (un client
    /// sur deux à une seule commande ne revient pas : l'espérance 0,3 se
    /// trompe de 0,3 sur chacun d'eux, la médiane 0 sur aucun).
    ///
    /// Loi prédictive approchée : le client est actif à T avec la
    /// probabilité P(actif) et, s'il l'est, son taux a pour loi a posteriori
    /// Gamma(r+x, α+T), d'où un nombre d'achats binomial négatif
    /// NB(r+x, (α+T)/(α+T+t)) ; inactif, il n'achète plus. L'approximation
    /// néglige les départs *pendant* l'horizon (probabilité p après chaque
    /// achat) : elle surestime un peu les achats des clients très actifs,
    /// jamais ceux des clients partis. Sommée par la récurrence des
    /// probabilités binomiales négatives, bornée à 100 000 achats.
    pub fn predictive_quantile(&self, profile: &Profile, t: f64, q: f64) -> f64 {
        if t <= 0.0 || !t.is_finite() || !self.is_valid() || !(0.0..1.0).contains(&q) {
            return 0.0;
        }
        let alive = self.p_alive(profile);
        let shape = self.r + f64::from(profile.x);
        let ln_p = (self.alpha + profile.t).ln() - (self.alpha + profile.t + t).ln();
        let one_minus_p = -ln_p.exp_m1();
        let mut probability = (shape * ln_p).exp();
        let mut cdf = (1.0 - alive) + alive * probability;
        let mut y = 0.0;
        while cdf < q && y < 100_000.0 {
            probability *= (shape + y) / (y + 1.0) * one_minus_p;
            y += 1.0;
            cdf += alive * probability;
            if probability == 0.0 && y > shape {
                // La queue ne contribue plus : le reste de la masse est perdu
                // en arrondis, la borne est atteinte.
                break;
            }
        }
        y
    }

    /// Probabilité de n'acheter **rien** pendant les `t` semaines suivant la
    /// calibration, par la loi prédictive de [`Self::predictive_quantile`] :
    /// 1 − P(actif) + P(actif) · ((α+T)/(α+T+t))^(r+x). Entre 0 et 1 ; 1 si
    /// les paramètres ne valent rien.
    pub fn p_no_purchase(&self, profile: &Profile, t: f64) -> f64 {
        if t <= 0.0 || !t.is_finite() || !self.is_valid() {
            return 1.0;
        }
        let alive = self.p_alive(profile);
        let shape = self.r + f64::from(profile.x);
        let ln_p = (self.alpha + profile.t).ln() - (self.alpha + profile.t + t).ln();
        ((1.0 - alive) + alive * (shape * ln_p).exp()).clamp(0.0, 1.0)
    }
}

/// Σₖ≥0 (A)ₖ (B)ₖ / ((C)ₖ (2)ₖ) zᵏ : la série G de l'en-tête, une fois son
/// premier terme mis en facteur. (2)ₖ = (k+1)! : c'est ₂F₁ dont le
/// dénominateur k! est remplacé par (k+1)!, sommée par la même récurrence.
fn hyp2f1_shifted(a: f64, b: f64, c: f64, z: f64) -> f64 {
    // Σ (A)ₖ(B)ₖ/((C)ₖ (k+1)!) zᵏ = ₃F₂(A, B, 1 ; C, 2 ; z), sommée avec le
    // même critère d'arrêt et la même borne du reste que
    // [`super::special::hyp2f1`].
    if z == 0.0 {
        return 1.0;
    }
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    for k in 0..super::special::HYP2F1_MAX_TERMS {
        let k = k as f64;
        term *= (a + k) * (b + k) / ((c + k) * (k + 2.0)) * z;
        sum += term;
        if term == 0.0 || term.abs() <= 1e-16 * sum.abs() {
            return sum;
        }
    }
    sum + term * z / (1.0 - z)
}

/// a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x) pour x > 0, 0 sinon : le rapport des
/// chances « parti après son dernier achat » contre « encore actif ».
fn odds_gone(params: &BgNbdParams, profile: &Profile) -> f64 {
    if profile.x == 0 {
        return 0.0;
    }
    let BgNbdParams { r, alpha, a, b } = *params;
    let x = f64::from(profile.x);
    let ln = a.ln() - (b + x - 1.0).ln()
        + (r + x) * ((alpha + profile.t).ln() - (alpha + profile.t_x).ln());
    ln.exp()
}

/// ln( (α+T)^−(r+x) + [x>0] a/(b+x−1) (α+tₓ)^−(r+x) ), en log-somme-exp.
fn tail(params: &BgNbdParams, x: f64, t_x: f64, t: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *params;
    let a3 = -(r + x) * (alpha + t).ln();
    if x <= 0.0 {
        return a3;
    }
    let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln();
    let top = a3.max(a4);
    top + ((a3 - top).exp() + (a4 - top).exp()).ln()
}

/// Un ajustement du BG/NBD.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    /// Paramètres au maximum de vraisemblance.
    pub params: BgNbdParams,
    /// Log-vraisemblance totale en ce point.
    pub log_likelihood: f64,
    /// Évaluations de la vraisemblance.
    pub evaluations: usize,
    /// Vrai si l'optimum est à une limite du modèle (un paramètre à la borne
    /// explorée : r et α infinis ensemble — tous les clients achètent au
    /// même rythme —, a → 0 — presque personne ne part —, a et b infinis
    /// ensemble — tous partent avec la même probabilité). Les prévisions
    /// restent celles de ce modèle limite ; la page peut le signaler.
    pub at_limit: bool,
}

/// Borne des logarithmes de paramètres explorés (e²⁰ ≈ 4,9·10⁸, e⁻²⁰ ≈
/// 2·10⁻⁹) : au-delà, la vraisemblance est déclarée +∞ et l'optimiseur n'y
/// va pas. Un optimum **sur** cette borne est une limite légitime du modèle
/// (a → 0 : presque personne ne part, le BG/NBD devient une NBD) et il est
/// gardé ; ses formules restent exactes pour de tels paramètres.
pub(crate) const LN_PARAM_LIMIT: f64 = 20.0;

/// Borne propre à ln a : a ≤ e⁵ ≈ 148. Quand a et b filent ensemble vers
/// l'infini (la probabilité de départ devient la même pour tous), la série
/// de [`BgNbdParams::expected_transactions`] (paramètre a−1 après la
/// transformation d'Euler) aurait des termes de l'ordre de e^(a·z) avant de
/// converger ; à a = 148, la loi Bêta(a, b) est déjà quasi ponctuelle
/// (écart type relatif < 10 %) et les prévisions ne bougent plus.
pub(crate) const LN_A_LIMIT: f64 = 5.0;

/// Les profils préparés pour l'ajustement : chaque durée (tₓ ou T)
/// remplacée par son rang parmi les durées distinctes. Sur des données au
/// jour, il y en a au plus autant que de jours : ln(α + durée) se calcule
/// une fois par durée et par évaluation, pas deux fois par profil.
struct Prepared {
    /// Durées distinctes (semaines).
    durations: Vec<f64>,
    /// Par profil (triés par x) : x, rang de tₓ, rang de T, poids.
    rows: Vec<(u32, usize, usize, f64)>,
}

impl Prepared {
    fn new(profiles: &[(Profile, f64)]) -> Self {
        let mut durations: Vec<f64> = profiles
            .iter()
            .flat_map(|(p, _)| [p.t_x, p.t])
            .filter(|v| v.is_finite())
            .collect();
        durations.sort_by(f64::total_cmp);
        durations.dedup();
        let rank = |v: f64| durations.partition_point(|&d| d < v);
        let rows = profiles
            .iter()
            .map(|(p, w)| (p.x, rank(p.t_x), rank(p.t), *w))
            .collect();
        Self { durations, rows }
    }

    /// Log-vraisemblance totale ; même valeur que
    /// [`BgNbdParams::total_log_likelihood`], en moins de logarithmes.
    fn log_likelihood(&self, params: &BgNbdParams, ln_durations: &mut Vec<f64>) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *params;
        ln_durations.clear();
        ln_durations.extend(self.durations.iter().map(|d| (alpha + d).ln()));
        let fixed = r * alpha.ln() + ln_gamma(a + b) - ln_gamma(r) - ln_gamma(b);
        let ln_a = a.ln();
        let mut total = 0.0;
        let (mut current_x, mut by_x, mut odds_x) = (u32::MAX, 0.0, 0.0);
        for &(x, ix, it, weight) in &self.rows {
            if x != current_x {
                // Nouveau x (les lignes sont triées par x). D'un x au suivant,
                // Γ(y+1) = y·Γ(y) : quelques logarithmes de produits au lieu
                // de trois ln Γ (qui coûtent chacun une dizaine de divisions).
                let xf = f64::from(x);
                by_x = match x.checked_sub(current_x) {
                    Some(gap) if current_x != u32::MAX && gap <= 16 => {
                        let mut sum = by_x;
                        for k in current_x..x {
                            let k = f64::from(k);
                            sum += ((r + k) * (b + k) / (a + b + k)).ln();
                        }
                        sum
                    }
                    _ => ln_gamma(r + xf) + ln_gamma(b + xf) - ln_gamma(a + b + xf),
                };
                odds_x = ln_a - (b + xf - 1.0).ln();
                current_x = x;
            }
            let rx = r + f64::from(x);
            let (Some(l_tx), Some(l_t)) = (ln_durations.get(ix), ln_durations.get(it)) else {
                return f64::NAN;
            };
            let a3 = -rx * l_t;
            let tail = if x == 0 {
                a3
            } else {
                let a4 = odds_x - rx * l_tx;
                let top = a3.max(a4);
                top + (-(a3 - a4).abs()).exp().ln_1p()
            };
            total += weight * (fixed + by_x + tail);
        }
        total
    }
}

/// Ajuste le BG/NBD par maximum de vraisemblance sur des profils pondérés
/// (triés par x, voir [`super::weighted_profiles`]). `None` : l'optimiseur
/// n'a pas convergé dans son budget d'évaluations.
pub fn fit(profiles: &[(Profile, f64)]) -> Option<BgNbdFit> {
    let weight: f64 = profiles.iter().map(|(_, w)| w).sum();
    if weight <= 0.0 || profiles.windows(2).any(|w| w[0].0.x > w[1].0.x) {
        return None;
    }
    let prepared = Prepared::new(profiles);
    // Départ : r = 1, α = T moyen (le taux moyen r/α vaut alors un achat
    // sur la durée moyenne d'observation), a = b = 1.
    let mean_t = profiles.iter().map(|(p, w)| p.t * w).sum::<f64>() / weight;
    let start = [0.0, mean_t.max(1.0).ln(), 0.0, 0.0];
    let scratch = std::cell::RefCell::new(Vec::new());
    let objective = |theta: &[f64]| {
        if theta.iter().any(|v| v.abs() > LN_PARAM_LIMIT) || theta[2] > LN_A_LIMIT {
            return f64::INFINITY;
        }
        let params = BgNbdParams {
            r: theta[0].exp(),
            alpha: theta[1].exp(),
            a: theta[2].exp(),
            b: theta[3].exp(),
        };
        // Moyenne plutôt que somme : des tolérances relatives à l'échelle
        // de la vraisemblance par client, quel que soit leur nombre.
        -prepared.log_likelihood(&params, &mut scratch.borrow_mut()) / weight
    };
    let found = minimize(objective, &start, Settings::default());
    if !found.converged {
        return None;
    }
    let params = BgNbdParams {
        r: found.point[0].exp(),
        alpha: found.point[1].exp(),
        a: found.point[2].exp(),
        b: found.point[3].exp(),
    };
    let log_likelihood = params.total_log_likelihood(profiles);
    let at_limit = found.point.iter().any(|v| v.abs() > LN_PARAM_LIMIT - 2.0)
        || found.point[2] > LN_A_LIMIT - 0.5;
    log_likelihood.is_finite().then_some(BgNbdFit {
        params,
        log_likelihood,
        evaluations: found.evaluations,
        at_limit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// La vraisemblance préparée (celle que l'optimiseur voit) est celle des
    /// profils, écarts de x grands et petits compris.
    #[test]
    fn the_prepared_likelihood_equals_the_plain_one() {
        let xs = [0u32, 0, 1, 2, 2, 5, 21, 22, 60, 61, 400];
        let profiles: Vec<(Profile, f64)> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let t = 10.0 + i as f64;
                let t_x = if x == 0 { 0.0 } else { t * 0.7 };
                (Profile { x, t_x, t }, 1.0 + i as f64)
            })
            .collect();
        let params = BgNbdParams {
            r: 0.7,
            alpha: 3.0,
            a: 0.4,
            b: 5.0,
        };
        let plain = params.total_log_likelihood(&profiles);
        let prepared = Prepared::new(&profiles).log_likelihood(&params, &mut Vec::new());
        assert!(
            (plain - prepared).abs() < 1e-9 * plain.abs(),
            "{plain} {prepared}"
        );
    }
}
