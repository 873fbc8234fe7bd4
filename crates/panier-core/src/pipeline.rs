//! Point d'entrée unique du pipeline, partagé par le Web Worker et la CLI :
//! octets + options → table nettoyée + rapport.

use serde::{Deserialize, Serialize};

use crate::basket::analysis::BasketRequest;
use crate::basket::mining::{Algorithm, MinSupport, MiningOptions};
use crate::basket::rules::RuleOptions;
use crate::basket::{BasketOptions, BasketScope, ItemKey};
use crate::clean::{CleanTable, CleaningOptions};
use crate::clv::ClvOptions;
use crate::error::PanierError;
use crate::ingest::{ImportFacts, ImportOptions};
use crate::progress::ProgressSink;
use crate::rfm::RfmOptions;
use crate::session::Session;
use crate::summary::Report;
use crate::table::TransactionTable;

/// Paramètres d'une analyse, identiques dans le navigateur et en CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisOptions {
    /// Lecture du fichier (encodage, séparateur, feuille, dates, colonnes).
    pub import: ImportOptions,
    /// Options de nettoyage.
    pub cleaning: CleaningOptions,
    /// Restreindre l'analyse à un pays (après nettoyage).
    pub country: Option<String>,
    /// Restreindre l'analyse aux lignes datées de ce jour ou après
    /// (secondes depuis 1970).
    #[serde(default)]
    pub period_from: Option<i64>,
    /// … jusqu'à ce jour compris, en entier (voir
    /// [`crate::scope::day_bounds`]).
    #[serde(default)]
    pub period_to: Option<i64>,
    /// Support minimal des itemsets fréquents, en fraction des paniers.
    pub min_support: f64,
    /// Articles à retirer des paniers (par exemple « postage »).
    pub drop_items: Vec<String>,
    /// Segmentation RFM : niveaux de score, date d'observation.
    #[serde(default)]
    pub rfm: RfmOptions,
    /// Analyse des paniers : article, taille maximale, filtres des règles.
    #[serde(default)]
    pub basket: BasketSettings,
    /// Valeur client prédite : fin de calibration, horizons, actualisation.
    #[serde(default)]
    pub clv: ClvOptions,
}

/// Réglages des paniers autres que le support et les articles retirés.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BasketSettings {
    /// Désignation ou code article.
    pub item: ItemKey,
    /// Taille maximale des itemsets.
    pub max_len: Option<usize>,
    /// Confiance minimale des règles.
    pub min_confidence: f64,
    /// Lift minimal des règles (1, comme la référence).
    pub min_lift: f64,
    /// Algorithme.
    pub algorithm: Algorithm,
}

impl Default for BasketSettings {
    fn default() -> Self {
        Self {
            item: ItemKey::Description,
            max_len: None,
            min_confidence: 0.0,
            min_lift: 1.0,
            algorithm: Algorithm::Auto,
        }
    }
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            import: ImportOptions::default(),
            cleaning: CleaningOptions::default(),
            country: None,
            period_from: None,
            period_to: None,
            min_support: 0.02,
            drop_items: Vec::new(),
            rfm: RfmOptions::default(),
            basket: BasketSettings::default(),
            clv: ClvOptions::default(),
        }
    }
}

impl AnalysisOptions {
    /// Les paramètres complets de l'analyse des paniers (tout le périmètre).
    pub fn basket_request(&self) -> BasketRequest {
        BasketRequest {
            baskets: BasketOptions {
                item: self.basket.item,
                drop_items: self.drop_items.clone(),
                exclude_service_lines: self.cleaning.exclude_service_lines,
                scope: BasketScope::default(),
            },
            mining: MiningOptions {
                min_support: MinSupport::Fraction(self.min_support),
                max_len: self.basket.max_len,
                algorithm: self.basket.algorithm,
                ..Default::default()
            },
            rules: RuleOptions {
                min_confidence: self.basket.min_confidence,
                min_lift: self.basket.min_lift,
                ..Default::default()
            },
        }
    }

    /// Reprend les réglages d'une analyse des paniers relancée depuis
    /// l'interface : l'inverse de [`AnalysisOptions::basket_request`]. Le
    /// périmètre (segment, période des paniers) reste propre à l'écran ; un
    /// support en nombre de paniers ne s'écrit pas en fraction et reste tel
    /// quel.
    pub fn set_basket_request(&mut self, request: &BasketRequest) {
        if let MinSupport::Fraction(fraction) = request.mining.min_support {
            self.min_support = fraction;
        }
        self.drop_items = request.baskets.drop_items.clone();
        self.basket = BasketSettings {
            item: request.baskets.item,
            max_len: request.mining.max_len,
            min_confidence: request.rules.min_confidence,
            min_lift: request.rules.min_lift,
            algorithm: request.mining.algorithm,
        };
    }

    /// Refuse les valeurs absurdes avant de lancer quoi que ce soit (avant
    /// même de lire le fichier) : support, réglages des règles, niveaux RFM,
    /// période à l'envers.
    ///
    /// L'erreur est un [`PanierError::InvalidParameter`] dont `name` est une
    /// clé stable, le nom du champ (`min_support`, `min_confidence`,
    /// `min_lift`, `max_len`, `levels`, `period_from`) : la CLI la traduit en
    /// nom d'option (`--min-support`…).
    pub fn validate(&self) -> Result<(), PanierError> {
        let invalid = |name: &str, value: String, expected: String| {
            Err(PanierError::InvalidParameter {
                name: name.into(),
                value,
                expected,
            })
        };
        if !(self.min_support > 0.0 && self.min_support <= 1.0) {
            return invalid(
                "min_support",
                self.min_support.to_string(),
                "0 < min_support ≤ 1 (0.02 = 2%)".into(),
            );
        }
        let basket = &self.basket;
        // `contains` refuse aussi NaN.
        if !(0.0..=1.0).contains(&basket.min_confidence) {
            return invalid(
                "min_confidence",
                basket.min_confidence.to_string(),
                "0 ≤ min_confidence ≤ 1 (0.5 = 50%)".into(),
            );
        }
        if !(basket.min_lift.is_finite() && basket.min_lift >= 0.0) {
            return invalid(
                "min_lift",
                basket.min_lift.to_string(),
                "0 ≤ min_lift < ∞".into(),
            );
        }
        if basket.max_len == Some(0) {
            return invalid("max_len", "0".into(), "≥ 1".into());
        }
        if let (Some(from), Some(to)) = (self.period_from, self.period_to) {
            // Par jours entiers, comme le filtre : `--from` et `--to` le même
            // jour est une période d'un jour, quelles que soient les heures.
            let day = crate::rfm::DAY_SECONDS;
            if from.div_euclid(day) > to.div_euclid(day) {
                use crate::ingest::dates::format_timestamp;
                return invalid(
                    "period_from",
                    format_timestamp(from),
                    format!("≤ period_to ({})", format_timestamp(to)),
                );
            }
        }
        self.rfm.validate()?;
        self.clv.validate()
    }
}

/// Résultat d'une analyse : le rapport, et la table nettoyée (pour l'export
/// et les étapes suivantes).
#[derive(Debug, Clone)]
pub struct AnalysisOutput {
    /// Rapport : comptes, indicateurs, avertissements.
    pub report: Report,
    /// Transactions nettoyées (et restreintes au périmètre demandé).
    pub clean: CleanTable,
}

/// Lit, nettoie et restreint au périmètre des options : la table et le
/// rapport d'une [`Session`] ouverte sur `bytes`, sans le reste.
pub fn analyze(
    bytes: &[u8],
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<AnalysisOutput, PanierError> {
    Session::load(bytes, options.clone(), progress).map(Session::into_output)
}

/// Clients de la petite démo sur laquelle le worker répète le pipeline
/// (environ 1 Mo).
pub const WARM_UP_CUSTOMERS: usize = 300;

/// La petite démo (un CSV de [`WARM_UP_CUSTOMERS`] clients) sur laquelle
/// les workers répètent leur travail avant le vrai fichier, pour que le
/// navigateur en optimise le code.
pub fn warm_up_demo() -> Vec<u8> {
    crate::demo::generate_demo_csv(&crate::demo::DemoConfig {
        customers: WARM_UP_CUSTOMERS,
        ..crate::demo::DemoConfig::default()
    })
}

/// Répétition du pipeline sur `bytes` (un petit CSV), lu en deux moitiés
/// coupées au milieu comme un gros fichier ([`Session::load_in_two`]) : le
/// résultat est celui d'[`analyze`].
///
/// Le worker la joue sur une petite démo dès son démarrage, pendant que
/// l'utilisateur choisit son fichier : le moteur WebAssembly du navigateur
/// optimise ainsi le code de chaque étape (il ne compile d'abord qu'une
/// version lente) avant le vrai fichier.
pub fn rehearse(
    bytes: &[u8],
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<AnalysisOutput, PanierError> {
    Session::load_in_two(bytes, options.clone(), progress).map(Session::into_output)
}

/// Suite du pipeline sur une table déjà lue ([`Session::open`]) : nettoyage,
/// périmètre, rapport.
pub fn analyze_read(
    read: (TransactionTable, ImportFacts),
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<AnalysisOutput, PanierError> {
    Session::open(read, options.clone(), progress).map(Session::into_output)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_basket_request_goes_back_into_the_options_unchanged() {
        let options = AnalysisOptions {
            min_support: 0.013,
            drop_items: vec!["postage".into()],
            basket: BasketSettings {
                item: ItemKey::StockCode,
                max_len: Some(2),
                min_confidence: 0.2,
                min_lift: 1.3,
                algorithm: Algorithm::Eclat,
            },
            ..Default::default()
        };
        let mut back = AnalysisOptions::default();
        back.set_basket_request(&options.basket_request());
        assert_eq!(back, options);
    }
}
