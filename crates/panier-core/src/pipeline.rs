//! Point d'entrée unique du pipeline, partagé par le Web Worker et la CLI :
//! octets + options → rapport.

use serde::{Deserialize, Serialize};

use crate::clean::clean;
use crate::error::PanierError;
use crate::ingest::read_transactions;
use crate::progress::{ProgressSink, Stage};
use crate::scope::filter_country;
use crate::summary::{summarize, Report};

/// Paramètres d'une analyse, identiques dans le navigateur et en CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisOptions {
    /// Restreindre l'analyse à un pays (après nettoyage).
    pub country: Option<String>,
    /// Support minimal des itemsets fréquents, en fraction des paniers.
    pub min_support: f64,
    /// Articles à retirer des paniers (par exemple « postage »).
    pub drop_items: Vec<String>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            country: None,
            min_support: 0.02,
            drop_items: Vec::new(),
        }
    }
}

impl AnalysisOptions {
    /// Refuse les valeurs absurdes avant de lancer quoi que ce soit.
    pub fn validate(&self) -> Result<(), PanierError> {
        if !(self.min_support > 0.0 && self.min_support <= 1.0) {
            return Err(PanierError::InvalidParameter {
                name: "min_support".into(),
                value: self.min_support.to_string(),
                expected: "0 < min_support ≤ 1 (ex. 0.02 = 2 %)".into(),
            });
        }
        Ok(())
    }
}

/// Exécute le pipeline sur les octets d'un fichier.
pub fn analyze(
    bytes: &[u8],
    options: &AnalysisOptions,
    progress: &mut dyn ProgressSink,
) -> Result<Report, PanierError> {
    options.validate()?;
    let (table, facts) = read_transactions(bytes, progress)?;
    progress.stage_started(Stage::Clean);
    let (mut cleaned, counts) = clean(table);
    if cleaned.table.is_empty() {
        return Err(PanierError::NoValidRows {
            rows_read: facts.rows_read,
        });
    }
    let country = match &options.country {
        Some(requested) => Some(filter_country(&mut cleaned, requested)?),
        None => None,
    };
    progress.stage_started(Stage::Summarize);
    Ok(summarize(&cleaned, facts, counts, country))
}
