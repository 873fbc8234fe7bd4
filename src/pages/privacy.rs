//! Vue « Confidentialité » : ce que Panier garde, où, et un bouton qui
//! l'oublie.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::privacy::privacy_texts;
use crate::state::AppState;

/// Marque, dans l'adresse, d'une page rechargée après « Tout oublier ».
const FORGOTTEN: &str = "forgotten";

/// Page « Confidentialité ».
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    let forgotten = web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .is_some_and(|hash| hash.ends_with(FORGOTTEN));
    view! {
        <section class="page privacy">
            <h1>{move || privacy_texts(lang.get()).title}</h1>
            <p>{move || privacy_texts(lang.get()).intro}</p>
            <h2>{move || privacy_texts(lang.get()).stored_title}</h2>
            <dl class="privacy-stored" data-testid="privacy-stored">
                {move || {
                    privacy_texts(lang.get())
                        .stored
                        .iter()
                        .map(|(what, place)| view! { <dt>{*what}</dt> <dd>{*place}</dd> })
                        .collect_view()
                }}
            </dl>
            <h2>{move || privacy_texts(lang.get()).proof_title}</h2>
            <p>{move || privacy_texts(lang.get()).proof}</p>
            <p>
                <button type="button" class="button" data-testid="forget" on:click=move |_| {
                    wasm_bindgen_futures::spawn_local(forget_everything())
                }>{move || privacy_texts(lang.get()).forget}</button>
            </p>
            <p class="hint">{move || privacy_texts(lang.get()).forget_hint}</p>
            {forgotten.then(|| view! {
                <p class="notice" role="status" data-testid="forgotten">
                    {move || privacy_texts(lang.get()).forgotten}
                </p>
            })}
        </section>
    }
}

/// Efface tout ce que Panier a gardé sur l'appareil — les clés `panier.` du
/// stockage local, les caches `panier-` et les service workers de la page —,
/// puis recharge la page sur cette vue, marquée « oublié » : la mémoire de
/// l'onglet (fichier, analyses) part avec le rechargement. Chaque étape
/// refusée par le navigateur (iframe isolée…) est sautée.
async fn forget_everything() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(storage) = crate::page::local_storage() {
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|key| key.starts_with("panier."))
            .collect();
        for key in keys {
            let _ = storage.remove_item(&key);
        }
    }
    if let Ok(caches) = window.caches() {
        if let Ok(keys) = JsFuture::from(caches.keys()).await {
            for key in js_sys::Array::from(&keys).iter() {
                if let Some(name) = key.as_string().filter(|name| name.starts_with("panier-")) {
                    let _ = JsFuture::from(caches.delete(&name)).await;
                }
            }
        }
    }
    let workers = window.navigator().service_worker();
    if let Ok(registrations) = JsFuture::from(workers.get_registrations()).await {
        for registration in js_sys::Array::from(&registrations).iter() {
            if let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>()
            {
                if let Ok(done) = registration.unregister() {
                    let _ = JsFuture::from(done).await;
                }
            }
        }
    }
    let location = window.location();
    let _ = location.set_hash(&format!("/privacy?{FORGOTTEN}"));
    let _ = location.reload();
}
