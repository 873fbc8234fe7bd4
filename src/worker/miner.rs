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
//! | répétition | analyse → paniers | `{rehearseEvaluation}`, 100 ms après une analyse rendue quand le worker d'analyse n'a pas pu s'échauffer avant : répéter une fois la mesure des recommandations sur la démo (sans réponse ; voir [`Miner::rehearse_evaluation`]) |
//!
//! Une demande envoyée avant « prêt » attend côté worker d'analyse (un
//! message arrivé avant que le worker ait posé son écouteur serait perdu).
//! Si le worker des paniers plante, son événement `error` le dit au worker
//! d'analyse, qui fait alors le calcul lui-même.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use panier_core::basket::analysis::{BasketJob, BasketOutcome};
use panier_core::pipeline::{warm_up_demo, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::session::Session;
use panier_core::PanierError;
use wasm_bindgen::{JsCast, JsValue};

use super::browser::now_ms;
use super::machine::{Miner, WorkerMessage};
use super::nested::{self, started_as, Nested, News};

/// Marque du worker des paniers dans l'adresse de son chargeur.
const ROLE: &str = "miner";

/// Vrai si ce worker est le worker des paniers.
pub fn is_miner() -> bool {
    started_as(ROLE)
}

/// Côté worker des paniers : pose son écouteur, répète une analyse, se
/// dit prêt, puis calcule chaque analyse reçue. Une réponse refusée devient
/// une erreur du worker : le worker d'analyse calcule alors lui-même.
pub fn serve() {
    nested::serve(answer, rehearse);
}

/// Répète une analyse des paniers (encodages compris) sur la petite démo :
/// le navigateur ne compile et n'optimise le code WebAssembly qu'à mesure
/// qu'il sert, et sans cette répétition la première vraie recherche paie
/// cette compilation (1,1 s au lieu de 80 ms à 1 % sur Online Retail).
fn rehearse() {
    let bytes = warm_up_demo();
    let options = AnalysisOptions::default();
    let Ok(mut session) = Session::load(&bytes, options.clone(), &mut NoProgress) else {
        return;
    };
    let Ok(job) = session.basket_job(&options.basket_request(), None, &now_ms) else {
        return;
    };
    // Le même chemin qu'une vraie demande : encodée, relue, calculée, et son
    // résultat encodé puis relu.
    for _ in 0..REHEARSALS {
        let outcome = run_encoded(&encode(&job));
        let _ = decode_outcome(&encode(&outcome));
    }
}

/// Répétitions de l'analyse des paniers avant de se dire prêt.
const REHEARSALS: usize = 3;

/// Calcule l'analyse d'une demande ; la réponse et le tampon à transférer.
/// `None` si le message n'est pas une demande (une demande de répétition de
/// la mesure, sans réponse, par exemple).
fn answer(message: &JsValue) -> Option<(Object, Array)> {
    if Reflect::has(message, &REHEARSE.into()).unwrap_or(false) {
        rehearse_evaluation();
        return None;
    }
    let id = Reflect::get(message, &"id".into()).ok()?.as_f64()?;
    let job = Reflect::get(message, &"job".into())
        .ok()?
        .dyn_into::<Uint8Array>()
        .ok()?;
    let bytes = Uint8Array::from(&encode(&run_encoded(&job.to_vec()))[..]);
    let reply = Object::new();
    let _ = Reflect::set(&reply, &"id".into(), &id.into());
    let _ = Reflect::set(&reply, &"outcome".into(), &bytes);
    Some((reply, Array::of1(&bytes.buffer())))
}

/// Clé du message qui demande de répéter la mesure des recommandations.
const REHEARSE: &str = "rehearseEvaluation";

thread_local! {
    /// Vrai une fois la mesure répétée : ce worker ne la répète qu'une fois.
    static EVALUATION_REHEARSED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Répète la mesure des recommandations sur la petite démo, une fois par
/// worker (voir [`Miner::rehearse_evaluation`] : le code compilé est
/// partagé avec le worker d'analyse). Dans Chromium, Online Retail glissé
/// dès l'ouverture de la page et « Qualité » ouverte une demi-seconde après
/// le tableau de bord : mesure 292 → 260 ms (BENCHMARKS.md).
fn rehearse_evaluation() {
    if EVALUATION_REHEARSED.with(|done| done.replace(true)) {
        return;
    }
    let bytes = warm_up_demo();
    if let Ok(mut session) = Session::load(&bytes, AnalysisOptions::default(), &mut NoProgress) {
        let _ = session.evaluation();
    }
}

/// Encode par postcard (vide si l'encodage échoue : la lecture dira alors
/// que le message est illisible).
fn encode(value: &impl serde::Serialize) -> Vec<u8> {
    postcard::to_allocvec(value).unwrap_or_default()
}

/// Relit une analyse encodée et la calcule.
fn run_encoded(job: &[u8]) -> Result<BasketOutcome, PanierError> {
    match postcard::from_bytes::<BasketJob>(job) {
        Ok(job) => job.run(&now_ms, &mut NoProgress),
        Err(error) => Err(PanierError::Internal {
            detail: format!("analyse des paniers illisible ({error})"),
        }),
    }
}

/// Relit un résultat encodé ; illisible, il devient une erreur, jamais une
/// panique.
fn decode_outcome(bytes: &[u8]) -> Result<BasketOutcome, PanierError> {
    postcard::from_bytes::<Result<BasketOutcome, PanierError>>(bytes).unwrap_or_else(|error| {
        Err(PanierError::Internal {
            detail: format!("résultat du worker des paniers illisible ({error})"),
        })
    })
}

/// Côté worker d'analyse : un worker des paniers (le lâcher le termine).
pub struct MinerWorker {
    nested: Nested,
    /// Où en est son démarrage.
    waiting: Rc<RefCell<Waiting>>,
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
        let waiting = Rc::new(RefCell::new(Waiting::Starting(None)));
        let state = waiting.clone();
        let nested = Nested::spawn(ROLE, move |news, worker| match news {
            News::Ready => {
                let previous = std::mem::replace(&mut *state.borrow_mut(), Waiting::Ready);
                if let Waiting::Starting(Some((message, transfer))) = previous {
                    if worker
                        .post_message_with_transfer(&message, &transfer)
                        .is_err()
                    {
                        on_event(WorkerMessage::MinerCrashed);
                    }
                }
            }
            News::Crashed => on_event(WorkerMessage::MinerCrashed),
            News::Reply(data, wasm_memory_bytes) => {
                if let Some(id) = Reflect::get(&data, &"id".into())
                    .ok()
                    .and_then(|id| id.as_f64())
                {
                    let outcome = Reflect::get(&data, &"outcome".into())
                        .ok()
                        .and_then(|bytes| bytes.dyn_into::<Uint8Array>().ok())
                        .map_or_else(
                            || decode_outcome(&[]),
                            |bytes| decode_outcome(&bytes.to_vec()),
                        );
                    on_event(WorkerMessage::Mined {
                        id: id as u32,
                        outcome: Box::new(outcome),
                        wasm_memory_bytes,
                    });
                }
            }
        })?;
        Some(Self { nested, waiting })
    }
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
            Waiting::Ready => self.nested.post(&message, &transfer),
        }
    }

    /// Envoie la demande s'il est prêt ; sinon rien (il répète encore sa
    /// propre analyse, et la page n'en est pas à la mesure).
    fn rehearse_evaluation(&self) {
        if matches!(*self.waiting.borrow(), Waiting::Ready) {
            let message = Object::new();
            let _ = Reflect::set(&message, &REHEARSE.into(), &true.into());
            let _ = self.nested.post(&message, &Array::new());
        }
    }
}
