//! Le worker des paniers : il calcule les analyses des paniers (itemsets,
//! règles, redondances) que le worker d'analyse lui confie.
//!
//! Pourquoi un worker à part : un worker ne lit ses messages qu'entre deux
//! calculs. Si la recherche tournait dans le worker d'analyse, « Annuler »
//! n'y arriverait qu'une fois la recherche finie (jusqu'à une seconde à
//! 0,1 % de support sur Online Retail), et rien d'autre ne serait servi
//! pendant ce temps. Ici, annuler **termine** ce worker : le calcul s'arrête
//! net, le worker d'analyse n'a jamais cessé de répondre, et un nouveau
//! worker des paniers est lancé pour la suite.
//!
//! C'est le même programme que le worker d'analyse, chargé avec `?miner`
//! dans son adresse. Son protocole, sans gloo-worker :
//!
//! | message | sens | contenu |
//! |---|---|---|
//! | prêt | paniers → analyse | `{ready}`, une fois ses écouteurs en place et une analyse répétée sur une petite démo (code compilé par le navigateur) |
//! | demande | analyse → paniers | `{id, job}` : `job`, la [`BasketJob`] encodée par postcard (tampon transféré) |
//! | résultat | paniers → analyse | `{id, outcome, memory}` : `outcome`, `Result<BasketOutcome, PanierError>` encodé par postcard (tampon transféré) |
//!
//! Une demande envoyée avant « prêt » attend côté worker d'analyse (un
//! message arrivé avant que le worker ait posé son écouteur serait perdu).
//! Si le worker des paniers plante, son événement `error` le dit au worker
//! d'analyse, qui fait alors le calcul lui-même.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use panier_core::basket::analysis::{BasketJob, BasketOutcome};
use panier_core::demo::{generate_demo_csv, DemoConfig};
use panier_core::pipeline::{AnalysisOptions, WARM_UP_CUSTOMERS};
use panier_core::progress::NoProgress;
use panier_core::session::Session;
use panier_core::PanierError;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::browser::{now_ms, spawn_as, started_as, wasm_memory_bytes};
use super::machine::{Miner, WorkerMessage};

/// Marque du worker des paniers dans l'adresse de son chargeur.
const ROLE: &str = "miner";

/// Vrai si ce worker est le worker des paniers.
pub fn is_miner() -> bool {
    started_as(ROLE)
}

/// Côté worker des paniers : pose son écouteur, se dit prêt, puis calcule
/// chaque analyse reçue.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some((reply, transfer)) = answer(&event.data()) else {
            return;
        };
        if replies
            .post_message_with_transfer(&reply, &transfer)
            .is_err()
        {
            // Le worker d'analyse voit l'erreur et calcule lui-même.
            wasm_bindgen::throw_str("réponse du worker des paniers refusée");
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    rehearse();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope.post_message(&ready);
}

/// Répète une analyse des paniers (encodages compris) sur la petite démo :
/// le navigateur ne compile et n'optimise le code WebAssembly qu'à mesure
/// qu'il sert, et sans cette répétition la première vraie recherche paie
/// cette compilation (1,1 s au lieu de 80 ms à 1 % sur Online Retail).
fn rehearse() {
    let bytes = generate_demo_csv(&DemoConfig {
        customers: WARM_UP_CUSTOMERS,
        ..DemoConfig::default()
    });
    let options = AnalysisOptions::default();
    let Ok(mut session) = Session::load(&bytes, options.clone(), &mut NoProgress) else {
        return;
    };
    for _ in 0..REHEARSALS {
        let Ok(job) = session.basket_job(&options.basket_request(), None, &now_ms) else {
            return;
        };
        let Ok(job) =
            postcard::to_allocvec(&job).map(|bytes| postcard::from_bytes::<BasketJob>(&bytes))
        else {
            return;
        };
        let Ok(job) = job else { return };
        let outcome = job.run(&now_ms, &mut NoProgress);
        if let Ok(bytes) = postcard::to_allocvec(&outcome) {
            let _ = postcard::from_bytes::<Result<BasketOutcome, PanierError>>(&bytes);
        }
    }
}

/// Répétitions de l'analyse des paniers avant de se dire prêt.
const REHEARSALS: usize = 3;

/// Calcule l'analyse d'une demande ; la réponse et le tampon à transférer.
/// `None` si le message n'est pas une demande.
fn answer(message: &JsValue) -> Option<(Object, Array)> {
    let id = Reflect::get(message, &"id".into()).ok()?.as_f64()?;
    let job = Reflect::get(message, &"job".into())
        .ok()?
        .dyn_into::<Uint8Array>()
        .ok()?;
    let outcome: Result<BasketOutcome, PanierError> =
        match postcard::from_bytes::<BasketJob>(&job.to_vec()) {
            Ok(job) => job.run(&now_ms, &mut NoProgress),
            Err(error) => Err(PanierError::Internal {
                detail: format!("analyse des paniers illisible ({error})"),
            }),
        };
    let bytes = postcard::to_allocvec(&outcome).ok()?;
    let bytes = Uint8Array::from(&bytes[..]);
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"id".into(), &id.into());
    let _ = Reflect::set(&reply, &"outcome".into(), &bytes);
    let _ = Reflect::set(
        &reply,
        &"memory".into(),
        &(wasm_memory_bytes() as f64).into(),
    );
    Some((reply, Array::of1(&bytes.buffer())))
}

/// Côté worker d'analyse : un worker des paniers.
pub struct MinerWorker {
    worker: web_sys::Worker,
    /// La demande envoyée avant qu'il soit prêt (`None` une fois prêt).
    waiting: Rc<RefCell<Waiting>>,
    /// Les écouteurs de ses messages et de ses erreurs, gardés en vie avec
    /// lui.
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

/// Où en est le démarrage du worker des paniers.
enum Waiting {
    /// Pas encore prêt ; la dernière demande, à envoyer dès qu'il le sera.
    Starting(Option<(Object, Array)>),
    /// Prêt : les demandes partent aussitôt.
    Ready,
}

impl MinerWorker {
    /// Lance un worker des paniers ; `on_event` reçoit ses résultats
    /// ([`WorkerMessage::Mined`]) et ses plantages
    /// ([`WorkerMessage::MinerCrashed`]). `None` si le navigateur ne permet
    /// pas de lancer un worker depuis un worker.
    pub fn spawn(on_event: impl Fn(WorkerMessage) + 'static) -> Option<Self> {
        let worker = spawn_as(ROLE)?;
        let waiting = Rc::new(RefCell::new(Waiting::Starting(None)));
        let on_event = Rc::new(on_event);
        let forward = on_event.clone();
        let (sender, state) = (worker.clone(), waiting.clone());
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if Reflect::has(&data, &"ready".into()).unwrap_or(false) {
                let previous = std::mem::replace(&mut *state.borrow_mut(), Waiting::Ready);
                if let Waiting::Starting(Some((message, transfer))) = previous {
                    if sender
                        .post_message_with_transfer(&message, &transfer)
                        .is_err()
                    {
                        forward(WorkerMessage::MinerCrashed);
                    }
                }
                return;
            }
            if let Some(message) = decode_reply(&data) {
                forward(message);
            }
        });
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            on_event(WorkerMessage::MinerCrashed);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Self {
            worker,
            waiting,
            _on_message: on_message,
            _on_error: on_error,
        })
    }
}

/// Le résultat d'une analyse, relu d'un message (`None` : ce n'en est pas
/// un). Un résultat illisible devient une erreur, jamais une panique.
fn decode_reply(data: &JsValue) -> Option<WorkerMessage> {
    let id = Reflect::get(data, &"id".into()).ok()?.as_f64()? as u32;
    let wasm_memory_bytes = Reflect::get(data, &"memory".into())
        .ok()
        .and_then(|memory| memory.as_f64())
        .unwrap_or(0.0) as u64;
    let outcome = Reflect::get(data, &"outcome".into())
        .ok()
        .and_then(|bytes| bytes.dyn_into::<Uint8Array>().ok())
        .ok_or_else(|| "résultat absent".to_string())
        .and_then(|bytes| {
            postcard::from_bytes::<Result<BasketOutcome, PanierError>>(&bytes.to_vec())
                .map_err(|error| error.to_string())
        })
        .unwrap_or_else(|detail| {
            Err(PanierError::Internal {
                detail: format!("résultat du worker des paniers illisible ({detail})"),
            })
        });
    Some(WorkerMessage::Mined {
        id,
        outcome: Box::new(outcome),
        wasm_memory_bytes,
    })
}

impl Miner for MinerWorker {
    /// Envoie l'analyse (tampon transféré) ; si le worker n'est pas encore
    /// prêt, elle part dès qu'il l'est.
    fn mine(&self, id: u32, job: &BasketJob) -> bool {
        let Ok(bytes) = postcard::to_allocvec(job) else {
            return false;
        };
        let bytes = Uint8Array::from(&bytes[..]);
        let message = Object::new();
        let _ = Reflect::set(&message, &"id".into(), &f64::from(id).into());
        let _ = Reflect::set(&message, &"job".into(), &bytes);
        let transfer = Array::of1(&bytes.buffer());
        match &mut *self.waiting.borrow_mut() {
            Waiting::Starting(pending) => {
                *pending = Some((message, transfer));
                true
            }
            Waiting::Ready => self
                .worker
                .post_message_with_transfer(&message, &transfer)
                .is_ok(),
        }
    }
}

impl Drop for MinerWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
