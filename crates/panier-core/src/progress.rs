//! Avancement du pipeline, transmis à qui l'exécute.
//!
//! Le même code tourne dans le Web Worker (qui relaie l'avancement vers la
//! barre de progression) et dans l'outil en ligne de commande (qui mesure la
//! durée de chaque étape). Le cœur ne connaît ni l'un ni l'autre : il parle à
//! un [`ProgressSink`], comme le `Sink` de ripgrep.

use serde::{Deserialize, Serialize};

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

/// Reçoit l'avancement du pipeline.
pub trait ProgressSink {
    /// Une étape commence ; la précédente est donc terminée.
    fn stage_started(&mut self, stage: Stage);
    /// Fraction (0 à 1) de l'étape en cours déjà accomplie.
    fn advanced(&mut self, stage: Stage, fraction: f64);
}

/// Puits qui ignore tout, pour les tests et les appels sans interface.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl ProgressSink for NoProgress {
    fn stage_started(&mut self, _stage: Stage) {}
    fn advanced(&mut self, _stage: Stage, _fraction: f64) {}
}
