//! Les workers que le worker d'analyse lance lui-même — le second worker
//! ([`super::helper`]) et le worker des paniers ([`super::miner`]) : le même
//! programme, chargé avec `?{rôle}` dans l'adresse de son chargeur.
//!
//! Les deux parlent le même petit protocole, sans gloo-worker : le worker
//! lancé pose son écouteur, répète son travail sur une petite démo (le
//! navigateur en compile et optimise le code), envoie `{ready}`, puis répond
//! à chaque demande ; les grands tampons passent **par transfert**. Côté
//! worker d'analyse, [`Nested`] le garde en vie avec ses écouteurs, et le
//! termine quand on le lâche.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use super::browser::wasm_memory_bytes;

/// Vrai si ce worker a été lancé dans le rôle `role` (voir
/// [`super::browser::spawn_worker`]).
pub fn started_as(role: &str) -> bool {
    super::browser::worker_role() == role
}

/// Côté worker lancé : pose l'écouteur (`answer` rend la réponse à une
/// demande et les tampons à transférer, `None` si le message n'en est pas
/// une), répète le travail (`rehearse`), puis se dit prêt. Une réponse que
/// le navigateur refuse devient une erreur du worker : le worker d'analyse
/// la voit et fait le travail lui-même.
pub fn serve(answer: fn(&JsValue) -> Option<(Object, Array)>, rehearse: fn()) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some((reply, transfer)) = answer(&event.data()) else {
            return;
        };
        let _ = Reflect::set(
            &reply,
            &"memory".into(),
            &(wasm_memory_bytes() as f64).into(),
        );
        if replies
            .post_message_with_transfer(&reply, &transfer)
            .is_err()
        {
            wasm_bindgen::throw_str("réponse d'un worker imbriqué refusée");
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    rehearse();
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope.post_message(&ready);
}

/// Ce qu'un worker lancé fait savoir au worker d'analyse.
pub enum News {
    /// Il est prêt.
    Ready,
    /// Une réponse, et la mémoire WebAssembly du worker lancé (octets).
    Reply(JsValue, u64),
    /// Il a planté (ou n'a pas pu se charger).
    Crashed,
}

/// Côté worker d'analyse : un worker lancé, avec ses écouteurs ; le lâcher
/// le termine, travail en cours compris.
pub struct Nested {
    worker: web_sys::Worker,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl Nested {
    /// Lance le même programme dans le rôle `role` (depuis une adresse
    /// `blob:`, sous la politique de sécurité de ce worker) ; `on_news` reçoit
    /// ce qu'il fait savoir, avec de quoi lui écrire. `None` si le navigateur
    /// ne permet pas de lancer un worker depuis un worker.
    pub fn spawn(role: &str, on_news: impl Fn(News, &web_sys::Worker) + 'static) -> Option<Self> {
        let nested = Reflect::has(&js_sys::global(), &"Worker".into()).unwrap_or(false);
        if !nested {
            return None;
        }
        let base = super::browser::app_base()?;
        let worker = super::browser::spawn_worker(&base, role)?;
        let on_news = std::rc::Rc::new(on_news);
        let (forward, sender) = (on_news.clone(), worker.clone());
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if Reflect::has(&data, &"ready".into()).unwrap_or(false) {
                return forward(News::Ready, &sender);
            }
            let memory = Reflect::get(&data, &"memory".into())
                .ok()
                .and_then(|memory| memory.as_f64())
                .unwrap_or(0.0) as u64;
            forward(News::Reply(data, memory), &sender);
        });
        let crashed = worker.clone();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            on_news(News::Crashed, &crashed);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Self {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Envoie un message, les tampons de `transfer` par transfert ; `false`
    /// si le navigateur le refuse.
    pub fn post(&self, message: &Object, transfer: &Array) -> bool {
        self.worker
            .post_message_with_transfer(message, transfer)
            .is_ok()
    }
}

impl Drop for Nested {
    /// Retire les écouteurs avant de terminer le worker : un message qu'il
    /// avait déjà posté (sa réponse à une recherche remplacée entre-temps)
    /// peut encore arriver, et trouverait sinon une fermeture Rust libérée
    /// (« closure invoked recursively or after being dropped », une erreur
    /// non rattrapée dans le worker d'analyse).
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
