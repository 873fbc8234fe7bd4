//! Ce qui s'exécute dans le Web Worker : un adaptateur mince entre
//! gloo-worker et l'automate du worker ([`super::machine`]), qui décide de
//! tout. Ici, seulement le navigateur : les traits de l'automate implémentés
//! avec `web_sys` (minuteur, réponses à la page, téléchargements, répétition
//! du pipeline), les commandes et les nouvelles du second worker relayées.
//!
//! Le worker ne fait qu'acheminer : tout le calcul est dans `panier-core`,
//! le même code que la CLI.

use std::cell::RefCell;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use js_sys::Uint8Array;
use panier_core::ingest::inspect;
use panier_core::pipeline::{warm_up_demo, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::session::Session;
use panier_core::PanierError;
use wasm_bindgen::JsCast;

use super::browser::{now_ms, unreadable, wasm_memory_bytes};
use super::helper::{self, Helper};
use super::machine::{Host, Machine, Page, SplitPolicy, Timer, WorkerMessage};
use super::miner::MinerWorker;
use super::protocol::{Wire, WorkerCommand, WorkerEvent};

thread_local! {
    /// Commande en cours : à qui répondre si le worker panique en la traitant.
    static CURRENT_COMMAND: RefCell<Option<(WorkerScope<AnalysisWorker>, HandlerId)>> =
        const { RefCell::new(None) };
}

/// Installe le crochet de panique du worker : la trace va dans la console, et
/// la page reçoit un échec lisible au lieu d'attendre indéfiniment une
/// réponse qui ne viendra pas.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let detail = info.to_string();
        CURRENT_COMMAND.with(|current| {
            if let Ok(current) = current.try_borrow() {
                if let Some((scope, id)) = current.as_ref() {
                    let event = WorkerEvent::Failed(PanierError::Internal { detail });
                    scope.respond(*id, Wire::from(event));
                }
            }
        });
    }));
}

/// Le worker d'analyse : l'automate, et le navigateur autour.
///
/// Le même programme sert de **second worker** (lancé par le premier, avec
/// `?helper` dans son adresse) : il lit la seconde moitié des gros CSV
/// pendant que le premier lit la première (voir [`super::helper`]) ; et de
/// **worker des paniers** (`?miner`, voir [`super::miner`]).
pub struct AnalysisWorker {
    machine: Machine<Browser>,
}

impl Worker for AnalysisWorker {
    type Message = WorkerMessage;
    type Input = Wire<WorkerCommand>;
    type Output = Wire<WorkerEvent>;

    fn create(scope: &WorkerScope<Self>) -> Self {
        let forward = scope.clone();
        let helper = Helper::spawn(move |message| forward.send_message(message));
        let browser = Browser {
            scope: scope.clone(),
        };
        AnalysisWorker {
            machine: Machine::new(browser, helper, SplitPolicy::default()),
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, message: Self::Message) {
        let client = self.machine.waiting_client();
        with_current(scope, client, || self.machine.update(message));
    }

    fn received(&mut self, scope: &WorkerScope<Self>, command: Self::Input, id: HandlerId) {
        with_current(scope, Some(id), || {
            self.machine.received(command.into_inner(), id);
        });
    }
}

/// Exécute `work` en notant à qui répondre si le worker panique.
fn with_current(
    scope: &WorkerScope<AnalysisWorker>,
    client: Option<HandlerId>,
    work: impl FnOnce(),
) {
    let current = client.map(|id| (scope.clone(), id));
    CURRENT_COMMAND.with(|slot| *slot.borrow_mut() = current);
    work();
    CURRENT_COMMAND.with(|slot| *slot.borrow_mut() = None);
}

/// Le navigateur, tel que l'automate le voit.
#[derive(Clone)]
pub struct Browser {
    scope: WorkerScope<AnalysisWorker>,
}

impl Page for Browser {
    type Client = HandlerId;

    fn respond(&self, client: HandlerId, event: WorkerEvent) {
        self.scope.respond(client, Wire::from(event));
    }

    /// Un CSV (UTF-8) prêt à télécharger, passé à la page dans un `Blob`.
    fn download(&self, csv: &[u8], name: String) -> Result<WorkerEvent, PanierError> {
        let parts = js_sys::Array::of1(&Uint8Array::from(csv));
        let options = web_sys::BlobPropertyBag::new();
        // Le type suit l'extension : un classeur, ou un CSV.
        options.set_type(if name.ends_with(".xlsx") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "text/csv;charset=utf-8"
        });
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(unreadable)?;
        Ok(WorkerEvent::Download { blob, name })
    }
}

impl Timer for Browser {
    /// `setTimeout`, qui renvoie le message au worker par gloo-worker.
    fn schedule(&self, delay_ms: f64, message: WorkerMessage) {
        let later = self.scope.clone();
        let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
            later.send_message(message);
        });
        if let Ok(worker) = js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>() {
            let _ = worker.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.unchecked_ref(),
                delay_ms as i32,
            );
        }
    }
}

/// Répétitions du pipeline sur la petite démo avant le vrai fichier. Le
/// navigateur n'optimise une fonction qu'après un certain volume de calcul :
/// une seule répétition laisse l'analyse des lignes en partie dans sa version
/// lente (import + nettoyage du CSV Latin-1 : 307 à 372 ms au lieu de 268 à
/// 274 ms, médianes de séries de 9 ; six répétitions n'apportent rien de plus).
const WARM_UP_REHEARSALS: usize = 4;

impl Host for Browser {
    type File = web_sys::File;
    type Helper = Helper;
    type Miner = MinerWorker;

    /// Un worker des paniers dont les nouvelles reviennent à l'automate par
    /// gloo-worker.
    fn spawn_miner(&self) -> Option<MinerWorker> {
        let forward = self.scope.clone();
        MinerWorker::spawn(move |message| forward.send_message(message))
    }

    fn now_ms(&self) -> f64 {
        now_ms()
    }

    fn unix_seconds(&self) -> Option<i64> {
        Some((js_sys::Date::now() / 1000.0) as i64)
    }

    fn memory_bytes(&self) -> u64 {
        wasm_memory_bytes()
    }

    /// Répète le pipeline sur une petite démo (lecture à deux comprise) pour
    /// que le navigateur optimise le code de chaque étape avant le vrai
    /// fichier ; rien n'est gardé.
    fn warm_up(&self) {
        let bytes = warm_up_demo();
        let options = AnalysisOptions::default();
        let _ = inspect(&bytes, &options.import);
        helper::rehearse();
        for _ in 1..WARM_UP_REHEARSALS {
            let _ = Session::load_in_two(&bytes, options.clone(), &mut NoProgress);
        }
        if let Ok(mut session) = Session::load_in_two(&bytes, options.clone(), &mut NoProgress) {
            let _ = session.rfm(&options.rfm);
            let _ = session.mine_baskets(&options.basket_request(), None, &now_ms, &mut NoProgress);
            let _ = session.overview();
            // La mesure des recommandations aussi : ses plus longues boucles
            // ne tournent qu'une fois par mesure, donc entièrement dans le
            // code lent si elles n'ont pas déjà tourné (Chromium, fichier
            // choisi après l'échauffement : 302 → 265 ms, BENCHMARKS.md).
            let _ = session.evaluation();
        }
    }
}
