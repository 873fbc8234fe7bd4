//! État partagé de l'application, fourni par contexte à toutes les vues.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::pipeline::AnalysisOptions;
use panier_core::progress::Stage;
use panier_core::{Lang, PanierError};

use crate::route::{navigate, View};
use crate::worker::client::AnalysisClient;
use crate::worker::protocol::{AnalysisResult, WorkerCommand, WorkerEvent};

/// Où en est l'analyse.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AnalysisStatus {
    /// Rien n'a encore été importé.
    #[default]
    Idle,
    /// Le worker travaille.
    Running {
        /// Nom du fichier en cours.
        source: String,
        /// Étape en cours.
        stage: Stage,
        /// Fraction accomplie de l'étape.
        fraction: f64,
    },
    /// Résultat disponible.
    Ready(Arc<AnalysisResult>),
    /// L'analyse a échoué ; le message dit quoi faire.
    Failed(PanierError),
}

/// État global : langue, vue, analyse, et le lien vers le worker.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Langue de l'interface.
    pub lang: RwSignal<Lang>,
    /// Vue affichée (suit le fragment de l'URL).
    pub view: RwSignal<View>,
    /// État de l'analyse.
    pub analysis: RwSignal<AnalysisStatus>,
    /// Le worker, démarré à la première analyse seulement : la page s'affiche
    /// sans attendre son téléchargement.
    client: StoredValue<Option<AnalysisClient>, LocalStorage>,
}

impl AppState {
    /// Crée l'état avec la langue et la vue initiales.
    pub fn new(lang: Lang, view: View) -> Self {
        Self {
            lang: RwSignal::new(lang),
            view: RwSignal::new(view),
            analysis: RwSignal::new(AnalysisStatus::Idle),
            client: StoredValue::new_local(None),
        }
    }

    /// Analyse un fichier choisi ou déposé par l'utilisateur.
    pub fn analyze_file(&self, file: web_sys::File) {
        let name = file.name();
        self.start(
            name,
            WorkerCommand::AnalyzeFile {
                file,
                options: AnalysisOptions::default(),
            },
        );
    }

    /// Analyse les données de démonstration (générées dans le worker).
    pub fn analyze_demo(&self) {
        self.start(
            "demo.csv".into(),
            WorkerCommand::AnalyzeDemo {
                options: AnalysisOptions::default(),
            },
        );
    }

    fn start(&self, source: String, command: WorkerCommand) {
        self.analysis.set(AnalysisStatus::Running {
            source,
            stage: Stage::Read,
            fraction: 0.0,
        });
        let analysis = self.analysis;
        let view = self.view;
        self.client.update_value(|client| {
            client
                .get_or_insert_with(|| {
                    AnalysisClient::spawn(move |event| apply_event(analysis, view, event))
                })
                .send(command);
        });
    }
}

/// Applique un événement du worker à l'état ; un résultat mène à la vue
/// d'ensemble.
fn apply_event(analysis: RwSignal<AnalysisStatus>, view: RwSignal<View>, event: WorkerEvent) {
    match event {
        WorkerEvent::Progress { stage, fraction } => analysis.update(|status| {
            if let AnalysisStatus::Running {
                stage: current,
                fraction: done,
                ..
            } = status
            {
                *current = stage;
                *done = fraction;
            }
        }),
        WorkerEvent::Finished(result) => {
            analysis.set(AnalysisStatus::Ready(Arc::from(result)));
            if view.get_untracked() == View::Import {
                navigate(View::Overview);
            }
        }
        WorkerEvent::Failed(error) => analysis.set(AnalysisStatus::Failed(error)),
    }
}
