//! Côté page : lancer le worker à la première analyse et relayer ses
//! événements vers l'état de l'application.

use gloo_worker::{Spawnable, WorkerBridge};

use super::analysis_worker::AnalysisWorker;
use super::protocol::{JsCodec, WorkerCommand, WorkerEvent};

/// Chemin du chargeur du worker généré par Trunk (`data-loader-shim`),
/// relatif au document : l'application marche depuis n'importe quel sous-chemin.
pub const WORKER_LOADER: &str = "./worker_loader.js";

/// Lien vers le worker d'analyse ; le worker vit tant que ce lien existe.
pub struct AnalysisClient {
    bridge: WorkerBridge<AnalysisWorker>,
}

impl AnalysisClient {
    /// Démarre le worker ; `on_event` reçoit chacun de ses événements.
    pub fn spawn(on_event: impl Fn(WorkerEvent) + 'static) -> Self {
        let bridge = AnalysisWorker::spawner()
            .callback(on_event)
            .encoding::<JsCodec>()
            .with_loader(true)
            .as_module(false)
            .spawn(WORKER_LOADER);
        Self { bridge }
    }

    /// Envoie une commande au worker.
    pub fn send(&self, command: WorkerCommand) {
        self.bridge.send(command);
    }
}
