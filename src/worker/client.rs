//! Côté page : lancer le worker et relayer ses événements vers l'état de
//! l'application.
//!
//! **Cache.** Trunk ne donne pas de nom haché aux fichiers d'un worker
//! (`worker_loader.js`, `worker.js`, `worker_bg.wasm` : leur nom doit être
//! connu à l'exécution), alors que ceux de la page en ont un. Servis avec un
//! cache HTTP (GitHub Pages : `max-age=600`), ils pourraient venir du cache
//! d'une publication précédente sous une page neuve. Un paramètre d'adresse
//! sur le chargeur n'y changerait rien : le chargeur, identique d'une
//! publication à l'autre, importe `./worker.js` et `./worker_bg.wasm` sans
//! ce paramètre. Avant de lancer le worker, la page **revalide** donc ces
//! trois fichiers auprès du serveur (`fetch` avec `cache: "no-cache"` : une
//! requête conditionnelle, réponse 304 sans corps s'ils n'ont pas changé) :
//! le cache du navigateur contient alors leur version courante, que le
//! worker et son second worker chargent ensuite. Hors ligne, la
//! revalidation échoue et le worker se charge du cache comme avant ; la
//! poignée de main ([`WorkerCommand::Hello`], version du protocole) écarte
//! alors un worker d'une autre version.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_worker::{Spawnable, WorkerBridge};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::analysis_worker::AnalysisWorker;
use super::protocol::{JsCodec, Wire, WorkerCommand, WorkerEvent};

/// Chemin du chargeur du worker généré par Trunk (`data-loader-shim`),
/// relatif au document : l'application marche depuis n'importe quel sous-chemin.
pub const WORKER_LOADER: &str = "./worker_loader.js";

/// Les fichiers du worker, aux noms fixes donnés par Trunk
/// (`data-bin="worker"`, cible `no-modules`) : le chargeur, le code JS,
/// le module WebAssembly.
const WORKER_FILES: [&str; 3] = [WORKER_LOADER, "./worker.js", "./worker_bg.wasm"];

/// Ce qui arrive du worker : un événement, ou pourquoi un message n'a pas pu
/// être lu (worker d'une autre version…).
pub type Received = Result<WorkerEvent, String>;

/// Lien vers le worker d'analyse ; le worker vit tant que ce lien existe.
pub struct AnalysisClient {
    link: Rc<RefCell<Link>>,
}

/// Le worker, ou ce qu'il faut pour le lancer.
enum Link {
    /// Ses fichiers se revalident ; les commandes attendent, dans l'ordre.
    Revalidating {
        queued: Vec<WorkerCommand>,
        on_event: Rc<dyn Fn(Received)>,
    },
    /// Il est lancé.
    Spawned(WorkerBridge<AnalysisWorker>),
}

impl AnalysisClient {
    /// Démarre le worker, une fois ses fichiers revalidés ; `on_event` reçoit
    /// chacun de ses événements.
    pub fn spawn(on_event: impl Fn(Received) + 'static) -> Self {
        let link = Rc::new(RefCell::new(Link::Revalidating {
            queued: Vec::new(),
            on_event: Rc::new(on_event),
        }));
        let weak = Rc::downgrade(&link);
        wasm_bindgen_futures::spawn_local(async move {
            revalidate_worker_files().await;
            spawn_worker(weak);
        });
        Self { link }
    }

    /// Envoie une commande au worker (dès qu'il est lancé).
    pub fn send(&self, command: WorkerCommand) {
        match &mut *self.link.borrow_mut() {
            Link::Revalidating { queued, .. } => queued.push(command),
            Link::Spawned(bridge) => bridge.send(Wire::from(command)),
        }
    }
}

/// Lance le worker et lui passe les commandes en attente ; rien si le lien
/// a été lâché entre-temps (« Réessayer »).
fn spawn_worker(link: Weak<RefCell<Link>>) {
    let Some(link) = link.upgrade() else {
        return;
    };
    let mut link = link.borrow_mut();
    let Link::Revalidating { queued, on_event } = &mut *link else {
        return;
    };
    let on_event = on_event.clone();
    // Le worker est lancé depuis une adresse `blob:` qui charge son code :
    // il hérite ainsi de la politique de sécurité de la page (voir
    // `browser::spawn_worker`). gloo le relie à la page par son adresse.
    // Sans adresse `blob:` (jamais vu), le chargeur de Trunk : le worker
    // marche alors seul, sans second worker ni worker des paniers.
    let url = super::browser::app_base()
        .and_then(|base| super::browser::worker_script_url(&base, ""))
        .unwrap_or_else(|| WORKER_LOADER.to_string());
    let bridge = AnalysisWorker::spawner()
        .callback(move |event: Wire<WorkerEvent>| on_event(event.into_inner()))
        .encoding::<JsCodec>()
        .with_loader(true)
        .as_module(false)
        .spawn(&url);
    for command in queued.drain(..) {
        bridge.send(Wire::from(command));
    }
    *link = Link::Spawned(bridge);
}

/// Revalide les fichiers du worker dans le cache du navigateur (voir le
/// début du module). Les trois requêtes partent ensemble ; les échecs
/// (hors ligne, serveur injoignable) sont ignorés : le chargement du worker
/// dira ce qu'il en est.
///
/// Chaque promesse est confiée à un [`JsFuture`] dès sa création : c'est lui
/// qui y attache les gestionnaires. Une requête qui échoue pendant qu'on
/// attend encore une autre n'est ainsi jamais une promesse rejetée sans
/// gestionnaire (le navigateur l'afficherait comme une erreur de la page).
async fn revalidate_worker_files() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = web_sys::RequestInit::new();
    init.set_cache(web_sys::RequestCache::NoCache);
    let requests: Vec<_> = WORKER_FILES
        .iter()
        .map(|path| JsFuture::from(window.fetch_with_str_and_init(path, &init)))
        .collect();
    for request in requests {
        let Ok(response) = request.await else {
            continue;
        };
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            continue;
        };
        // Le corps est lu jusqu'au bout : la réponse n'entre entière dans le
        // cache qu'ainsi.
        if let Ok(body) = response.array_buffer() {
            let _ = JsFuture::from(body).await;
        }
    }
}
