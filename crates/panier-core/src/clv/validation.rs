//! Ce que les prévisions auraient valu sur l'historique de l'utilisateur.
//!
//! Comme la qualité des recommandations ([`crate::recommend::evaluation`]) :
//! les premiers 80 % des jours apprennent, les derniers 20 % testent. Les
//! modèles sont ajustés sur l'apprentissage ; pour chaque client dont le
//! premier achat y tombe, on prévoit son nombre de jours d'achat dans le
//! test et on le compare au vrai.
//!
//! Trois prévisions, une même mesure (erreur absolue moyenne par client,
//! MAE, et totaux prévus contre réels) :
//!
//! - **le modèle** : les achats attendus du BG/NBD sur la durée du test ;
//! - **la référence naïve** : « même rythme qu'avant » — ses achats répétés
//!   divisés par son ancienneté T (son propre temps d'observation), fois la
//!   durée du test (0 pour un client arrivé le dernier jour) ;
//! - **« aucun achat »** : prévoir 0 pour tous.
//!
//! Un modèle qui ne bat pas la référence naïve ne mérite pas d'être
//! montré sans le dire : la page affiche les trois.

use serde::{Deserialize, Serialize};

use super::{fit_models, Purchases, DAYS_PER_WEEK};
use crate::error::PanierError;
use crate::ingest::dates::format_timestamp;
use crate::rfm::DAY_SECONDS;

/// Part des jours qui apprennent (le reste teste).
pub const LEARN_FRACTION: f64 = 0.8;

/// Erreurs d'une prévision sur le test.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Accuracy {
    /// Erreur absolue moyenne par client (en jours d'achat).
    pub mae: f64,
    /// Total prévu (tous clients).
    pub predicted_total: f64,
}

/// Prévu contre réel pour les clients d'une même fréquence de calibration
/// (le graphique classique calibration/test de Fader & Hardie).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrequencyGroup {
    /// Achats répétés pendant l'apprentissage (le dernier groupe réunit
    /// tous les clients à [`FREQUENCY_GROUPS`] − 1 achats répétés ou plus).
    pub frequency: u32,
    /// Clients du groupe.
    pub customers: usize,
    /// Achats prévus par client, en moyenne.
    pub predicted_mean: f64,
    /// Achats réels par client, en moyenne.
    pub actual_mean: f64,
}

/// Groupes de fréquence du graphique : 0, 1, …, 6, puis « 7 et plus ».
pub const FREQUENCY_GROUPS: u32 = 8;

/// Le rapport de validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvValidation {
    /// Premier jour de l'apprentissage.
    pub learn_from: String,
    /// Premier jour du test.
    pub test_from: String,
    /// Dernier jour du test.
    pub test_to: String,
    /// Durée du test en semaines.
    pub horizon_weeks: f64,
    /// Clients mesurés (premier achat pendant l'apprentissage).
    pub customers: usize,
    /// Jours d'achat réels dans le test, tous clients mesurés.
    pub actual_total: f64,
    /// Le modèle.
    pub model: Accuracy,
    /// La référence naïve (même rythme qu'avant).
    pub naive: Accuracy,
    /// La référence « aucun achat » (MAE = achats réels moyens).
    pub no_repeat: Accuracy,
    /// Prévu contre réel par fréquence d'apprentissage.
    pub by_frequency: Vec<FrequencyGroup>,
}

/// Le jour à `fraction` de la période `[first, last]` (en jours).
fn cut(first: i64, last: i64, fraction: f64) -> i64 {
    first + (fraction * (last - first + 1) as f64).floor() as i64
}

/// Valide les prévisions sur l'historique : apprendre jusqu'à la veille du
/// jour à 80 %, tester jusqu'au dernier jour.
pub fn validate(purchases: &Purchases) -> Result<ClvValidation, PanierError> {
    let (first, last) = (purchases.first_day, purchases.last_day);
    let test_from = cut(first, last, LEARN_FRACTION);
    let end = test_from - 1;
    if end <= first || test_from > last {
        return Err(PanierError::ClvNoTimeSpan);
    }
    let profiles = purchases.profiles(end);
    let fitted = fit_models(&profiles)?;
    let params = fitted.bgnbd.params;
    let horizon = (last - end) as f64 / DAYS_PER_WEEK;
    let mut rows = Vec::with_capacity(profiles.len());
    for &(index, profile, _) in &profiles {
        let actual = purchases.days_between(index, test_from, last) as f64;
        let model = params.expected_transactions(&profile, horizon);
        let naive = if profile.t > 0.0 {
            f64::from(profile.x) / profile.t * horizon
        } else {
            0.0
        };
        rows.push((profile.x, actual, model, naive));
    }
    let n = rows.len().max(1) as f64;
    let accuracy = |pick: &dyn Fn(&(u32, f64, f64, f64)) -> f64| Accuracy {
        mae: rows.iter().map(|r| (pick(r) - r.1).abs()).sum::<f64>() / n,
        predicted_total: rows.iter().map(pick).sum(),
    };
    let mut by_frequency: Vec<FrequencyGroup> = (0..FREQUENCY_GROUPS)
        .map(|frequency| FrequencyGroup {
            frequency,
            customers: 0,
            predicted_mean: 0.0,
            actual_mean: 0.0,
        })
        .collect();
    for &(x, actual, model, _) in &rows {
        let slot = x.min(FREQUENCY_GROUPS - 1) as usize;
        if let Some(group) = by_frequency.get_mut(slot) {
            group.customers += 1;
            group.predicted_mean += model;
            group.actual_mean += actual;
        }
    }
    for group in &mut by_frequency {
        let count = group.customers.max(1) as f64;
        group.predicted_mean /= count;
        group.actual_mean /= count;
    }
    Ok(ClvValidation {
        learn_from: format_timestamp(first * DAY_SECONDS),
        test_from: format_timestamp(test_from * DAY_SECONDS),
        test_to: format_timestamp(last * DAY_SECONDS),
        horizon_weeks: horizon,
        customers: rows.len(),
        actual_total: rows.iter().map(|r| r.1).sum(),
        model: accuracy(&|r| r.2),
        naive: accuracy(&|r| r.3),
        no_repeat: accuracy(&|_| 0.0),
        by_frequency,
    })
}
