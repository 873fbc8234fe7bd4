//! Point d'entrée unique du pipeline, partagé par le Web Worker et la CLI :
//! octets + options → table nettoyée + rapport.

use serde::{Deserialize, Serialize};

use crate::basket::analysis::BasketRequest;
use crate::basket::mining::{Algorithm, MinSupport, MiningOptions};
use crate::basket::rules::RuleOptions;
use crate::basket::{BasketOptions, BasketScope, ItemKey};
use crate::clean::{clean, CleanTable, CleaningOptions};
use crate::error::PanierError;
use crate::ingest::{read_transactions, ImportFacts, ImportOptions};
use crate::progress::{ProgressSink, Stage};
use crate::rfm::RfmOptions;
use crate::scope::{filter_country, filter_period};
use crate::summary::{summarize, Report};
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
    /// Restreindre l'analyse aux lignes datées de cet instant ou après
    /// (secondes depuis 1970).
    #[serde(default)]
    pub period_from: Option<i64>,
    /// … et avant cet instant (exclu).
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

    /// Refuse les valeurs absurdes avant de lancer quoi que ce soit.
    pub fn validate(&self) -> Result<(), PanierError> {
        if !(self.min_support > 0.0 && self.min_support <= 1.0) {
            return Err(PanierError::InvalidParameter {
                name: "min_support".into(),
                value: self.min_support.to_string(),
                expected: "0 < min_support ≤ 1 (0.02 = 2%)".into(),
            });
        }
        self.rfm.validate()
    }
}

/// Résultat d'une analyse : le rapport, et la table nettoyée (pour l'export
/// et les étapes suivantes).
#[derive(Debug, Clone)]
pub struct AnalysisOutput {
    /// Rapport : comptes, indicateurs, avertissements.
    pub report: Report,
    /// Transactions nettoyées (et restreintes au pays demandé).
    pub clean: CleanTable,
}

/// Exécute le pipeline sur les octets d'un fichier.
pub fn analyze(
    bytes: &[u8],
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<AnalysisOutput, PanierError> {
    options.validate()?;
    let read = read_transactions(bytes, &options.import, progress)?;
    analyze_read(read, options, progress)
}

/// Clients de la petite démo sur laquelle le worker répète le pipeline
/// (environ 1 Mo).
pub const WARM_UP_CUSTOMERS: usize = 300;

/// Répétition du pipeline sur `bytes` (un petit CSV), lu en deux moitiés
/// coupées au milieu comme un gros fichier : le résultat est celui
/// d'[`analyze`].
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
    use crate::ingest::split::{boundary_after, read_in_two, read_tail, HEAD_BYTES};
    let mid = bytes.len() / 2;
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    let tail = || read_tail(head, &bytes[mid..], mid, &options.import);
    let joined = boundary_after(bytes, mid)
        .and_then(|at| read_in_two(bytes, at, &options.import, tail, progress));
    match joined {
        Some(read) => analyze_read(read?, options, progress),
        None => analyze(bytes, options, progress),
    }
}

/// Suite du pipeline sur une table déjà lue (par [`read_transactions`], ou
/// en deux moitiés par [`crate::ingest::begin_split_read`] et
/// [`crate::ingest::PartialRead::join`]) : nettoyage, filtre global,
/// rapport.
pub fn analyze_read(
    (table, facts): (TransactionTable, ImportFacts),
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<AnalysisOutput, PanierError> {
    options.validate()?;
    if table.is_empty() && facts.rows_unparseable == facts.rows_read {
        return Err(PanierError::UnreadableNumbers {
            rows_read: facts.rows_read,
        });
    }
    progress.stage_started(Stage::Clean);
    let (mut cleaned, counts, anomalies) = clean(table, &options.cleaning);
    if cleaned.table.is_empty() {
        return Err(PanierError::NoValidRows {
            rows_read: facts.rows_read,
        });
    }
    // Le filtre global : pays, puis période. Les pays présents avant filtre
    // restent proposés.
    let mut available_countries: Vec<String> = cleaned
        .table
        .countries
        .values()
        .filter(|c| !c.is_empty())
        .map(String::from)
        .collect();
    available_countries.sort();
    let country = match &options.country {
        Some(requested) => Some(filter_country(&mut cleaned, requested)?),
        None => None,
    };
    if options.period_from.is_some() || options.period_to.is_some() {
        filter_period(&mut cleaned, options.period_from, options.period_to)?;
    }
    progress.stage_started(Stage::Summarize);
    let mut report = summarize(&cleaned, facts, counts, anomalies, country);
    report.available_countries = available_countries;
    if options.period_from.is_some() || options.period_to.is_some() {
        report.period = report.date_min.clone().zip(report.date_max.clone());
    }
    Ok(AnalysisOutput {
        report,
        clean: cleaned,
    })
}
