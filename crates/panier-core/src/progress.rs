//! Avancement du pipeline, transmis à qui l'exécute.
//!
//! Le même code tourne dans le Web Worker (qui relaie l'avancement vers la
//! barre de progression) et dans l'outil en ligne de commande (qui mesure la
//! durée de chaque étape). Le cœur ne connaît ni l'un ni l'autre : il parle à
//! un [`ProgressSink`], comme le `Sink` de ripgrep.

use serde::{Deserialize, Serialize};

use crate::error::PanierError;

/// Étapes du pipeline, dans l'ordre où elles s'exécutent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stage {
    /// Génération des données de démonstration (à la place de la lecture).
    Generate,
    /// Lecture du fichier (côté navigateur : morceaux du `File`).
    Read,
    /// Aperçu : format, en-têtes, premières lignes, colonnes reconnues.
    Inspect,
    /// Détection de l'encodage, du séparateur et des colonnes, puis analyse
    /// des lignes.
    Parse,
    /// Gros CSV lu à deux : attente de la seconde moitié (lue par le second
    /// worker), jonction et typage de la table.
    Join,
    /// Règles de nettoyage.
    Clean,
    /// Indicateurs de synthèse.
    Summarize,
    /// Segmentation RFM.
    Rfm,
    /// Paniers : itemsets fréquents et règles.
    Baskets,
    /// Recommandations et leur évaluation.
    Recommend,
    /// Indicateurs de la vue d'ensemble.
    Overview,
    /// Écriture des fichiers de sortie.
    Export,
}

impl Stage {
    /// Nom stable de l'étape, utilisé dans `metadata.json`.
    pub fn key(self) -> &'static str {
        match self {
            Stage::Generate => "generate",
            Stage::Read => "read",
            Stage::Inspect => "inspect",
            Stage::Parse => "parse",
            Stage::Join => "join",
            Stage::Clean => "clean",
            Stage::Summarize => "summarize",
            Stage::Rfm => "rfm",
            Stage::Baskets => "baskets",
            Stage::Recommend => "recommend",
            Stage::Overview => "overview",
            Stage::Export => "export",
        }
    }
}

/// Reçoit l'avancement du pipeline, et peut l'arrêter.
///
/// Comme le `Sink` de ripgrep, le puits **répond** : `true` pour continuer,
/// `false` pour arrêter. Les boucles longues du cœur (lecture des lignes,
/// recherche des itemsets, génération des règles, évaluation des
/// recommandations) le consultent régulièrement et rendent alors
/// [`PanierError::Cancelled`] sans rien garder. La CLI s'en sert pour
/// Ctrl-C ; dans le navigateur, où un worker occupé ne lit aucun message,
/// « Annuler » termine plutôt le worker des paniers.
pub trait ProgressSink {
    /// Une étape commence ; la précédente est donc terminée.
    fn stage_started(&mut self, stage: Stage);
    /// Fraction (0 à 1) de l'étape en cours déjà accomplie ; `false` :
    /// arrêter.
    fn advanced(&mut self, stage: Stage, fraction: f64) -> bool;
    /// Le calcul, dont l'avancement ne se mesure pas (recherche des
    /// itemsets…), demande s'il doit continuer ; `false` : arrêter.
    fn keep_going(&mut self, _stage: Stage) -> bool {
        true
    }
}

/// Rapporte l'avancement ; `Err(Cancelled)` si le puits demande d'arrêter.
pub fn advance(
    sink: &mut dyn ProgressSink,
    stage: Stage,
    fraction: f64,
) -> Result<(), PanierError> {
    if sink.advanced(stage, fraction) {
        Ok(())
    } else {
        Err(PanierError::Cancelled)
    }
}

/// Demande s'il faut continuer ; `Err(Cancelled)` si le puits dit non.
pub fn keep_going(sink: &mut dyn ProgressSink, stage: Stage) -> Result<(), PanierError> {
    if sink.keep_going(stage) {
        Ok(())
    } else {
        Err(PanierError::Cancelled)
    }
}

/// Puits qui ignore tout, pour les tests et les appels sans interface.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn stage_started(&mut self, _stage: Stage) {}
    fn advanced(&mut self, _stage: Stage, _fraction: f64) -> bool {
        true
    }
}

/// Puits des tests : répond « arrêter » à sa `stop_at`-ième question
/// ([`ProgressSink::keep_going`]) et compte les questions posées.
#[cfg(test)]
pub(crate) struct StopAt {
    pub(crate) stop_at: usize,
    pub(crate) asked: usize,
}

#[cfg(test)]
impl ProgressSink for StopAt {
    fn stage_started(&mut self, _stage: Stage) {}
    fn advanced(&mut self, _stage: Stage, _fraction: f64) -> bool {
        true
    }
    fn keep_going(&mut self, _stage: Stage) -> bool {
        self.asked += 1;
        self.asked < self.stop_at
    }
}
