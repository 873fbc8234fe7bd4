//! État partagé de l'application, fourni par contexte à toutes les vues.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::ingest::Inspection;
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
    /// Aperçu du dernier fichier (en-têtes, premières lignes, colonnes).
    pub inspection: RwSignal<Option<Arc<Inspection>>>,
    /// Options d'analyse choisies dans l'interface.
    pub options: RwSignal<AnalysisOptions>,
    /// Nom du fichier (ou de la démo) en cours d'analyse.
    source_name: RwSignal<String>,
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
            inspection: RwSignal::new(None),
            options: RwSignal::new(AnalysisOptions::default()),
            source_name: RwSignal::new(String::new()),
            client: StoredValue::new_local(None),
        }
    }

    /// Analyse un fichier choisi ou déposé par l'utilisateur. Un nouveau
    /// fichier repart d'une correspondance de colonnes détectée.
    pub fn analyze_file(&self, file: web_sys::File) {
        let name = file.name();
        self.forget_file_specific_options();
        let options = self.options.get_untracked();
        self.start(name, WorkerCommand::AnalyzeFile { file, options });
    }

    /// Analyse les données de démonstration (générées dans le worker).
    pub fn analyze_demo(&self) {
        self.forget_file_specific_options();
        let options = self.options.get_untracked();
        self.start("demo.csv".into(), WorkerCommand::AnalyzeDemo { options });
    }

    /// Réanalyse le dernier fichier avec les options courantes.
    pub fn reanalyze(&self) {
        let source = self.source_name.get_untracked();
        let options = self.options.get_untracked();
        self.start(source, WorkerCommand::Reanalyze { options });
    }

    /// Demande au worker le CSV des données nettoyées (téléchargé à réception).
    pub fn export_cleaned(&self) {
        self.send(WorkerCommand::ExportCleaned);
    }

    /// La correspondance des colonnes et la feuille valent pour un fichier.
    fn forget_file_specific_options(&self) {
        self.inspection.set(None);
        self.options.update(|options| {
            options.import.mapping = None;
            options.import.sheet = None;
        });
    }

    fn start(&self, source: String, command: WorkerCommand) {
        self.source_name.set(source.clone());
        self.analysis.set(AnalysisStatus::Running {
            source,
            stage: Stage::Read,
            fraction: 0.0,
        });
        self.send(command);
    }

    fn send(&self, command: WorkerCommand) {
        let state = *self;
        self.client.update_value(|client| {
            client
                .get_or_insert_with(|| AnalysisClient::spawn(move |event| state.apply(event)))
                .send(command);
        });
    }

    /// Applique un événement du worker ; un premier résultat mène à la vue
    /// d'ensemble.
    fn apply(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Progress { stage, fraction } => self.analysis.update(|status| {
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
            WorkerEvent::Inspected(inspection) => {
                self.inspection.set(Some(Arc::from(inspection)));
            }
            WorkerEvent::Finished(result) => {
                self.analysis.set(AnalysisStatus::Ready(Arc::from(result)));
                if self.view.get_untracked() == View::Import {
                    navigate(View::Overview);
                }
            }
            WorkerEvent::Failed(error) => self.analysis.set(AnalysisStatus::Failed(error)),
            WorkerEvent::CleanedExport { blob, name } => download(&blob, &name),
        }
    }
}

/// Propose un `Blob` au téléchargement (lien temporaire, cliqué puis libéré).
fn download(blob: &web_sys::Blob, name: &str) {
    use wasm_bindgen::JsCast;
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(anchor) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
