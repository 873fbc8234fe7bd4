//! Panneau « Réglages » : exporter les réglages de l'analyse dans un fichier
//! `settings.yaml` (le même schéma que `panier analyze --config`), en
//! importer un, et — seulement si l'utilisateur le demande — s'en souvenir
//! sur cet appareil (stockage local, effacé par « Tout oublier »).

use leptos::prelude::*;
use panier_core::settings::{Settings, SETTINGS_FILE};
use panier_core::PanierError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::i18n::texts;
use crate::page;
use crate::state::AppState;

/// Clé du stockage local des réglages mémorisés.
const STORAGE_KEY: &str = "panier.settings";

/// Lit un texte de réglages (fichier, adresse, appareil, page hôte) et
/// l'applique.
pub fn apply_yaml(state: AppState, text: &str) -> Result<(), PanierError> {
    state.apply_settings(&Settings::from_yaml(text)?)
}

/// Au chargement : les réglages mémorisés sur cet appareil, s'il y en a,
/// deviennent ceux de l'interface, et la case « Se souvenir » est cochée.
pub fn restore_remembered(state: AppState) {
    let Some(text) = page::stored(STORAGE_KEY) else {
        return;
    };
    match apply_yaml(state, &text) {
        Ok(()) => state.remember_settings.set(true),
        // Des réglages mémorisés par une autre version, devenus illisibles :
        // on les oublie plutôt que de bloquer l'application.
        Err(_) => page::unstore(STORAGE_KEY),
    }
}

/// Télécharge un texte YAML sous ce nom.
fn download_text(text: &str, name: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/yaml;charset=utf-8");
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) {
        crate::state::download(&blob, name);
    }
}

/// Le panneau des réglages.
#[component]
pub fn SettingsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let t = move || texts(lang.get());
    let remember = state.remember_settings;
    // Le dernier résultat d'un import : appliqué, ou pourquoi il est refusé.
    let outcome = state.settings_outcome;
    // Ouvert par l'utilisateur, ou d'office quand des réglages sont refusés
    // (un lien abîmé) ; il ne se referme pas tout seul.
    let open = RwSignal::new(false);
    Effect::new(move |_| {
        if outcome.with(|outcome| matches!(outcome, Some(Err(_)))) {
            open.set(true);
        }
    });
    let on_file = move |event: leptos::ev::Event| {
        let Some(file) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| {
                let file = input.files().and_then(|files| files.get(0));
                // Le même fichier pourra être choisi à nouveau.
                input.set_value("");
                file
            })
        else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let text = JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|text| text.as_string())
                .unwrap_or_default();
            outcome.set(Some(apply_yaml(state, &text)));
        });
    };
    view! {
        <details
            class="panel settings"
            data-testid="settings-panel"
            prop:open=open
            on:toggle=move |event| {
                if let Some(element) = event
                    .target()
                    .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                {
                    open.set(element.has_attribute("open"));
                }
            }
        >
            <summary>{move || t().settings_title}</summary>
            <p class="muted small">{move || t().settings_intro}</p>
            <div class="filters">
                <button
                    type="button"
                    class="button"
                    data-testid="export-settings"
                    on:click=move |_| download_text(&state.current_settings().to_yaml(), SETTINGS_FILE)
                >
                    {move || t().export_settings}
                </button>
                <label class="button">
                    {move || t().import_settings}
                    <input
                        type="file"
                        accept=".yaml,.yml,application/yaml,text/yaml,text/plain"
                        class="visually-hidden"
                        data-testid="import-settings"
                        on:change=on_file
                    />
                </label>
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="remember-settings"
                    prop:checked=remember
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        remember.set(on);
                        if !on {
                            page::unstore(STORAGE_KEY);
                        }
                    }
                />
                {move || t().remember_settings}
            </label>
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! {
                    <p class="notice" role="status" data-testid="settings-applied">{t().settings_applied}</p>
                }
                .into_any(),
                Err(error) => view! {
                    <p class="error-text" role="alert" data-testid="settings-error">{error.message(lang.get())}</p>
                }
                .into_any(),
            })}
        </details>
    }
}

/// Paramètre de l'adresse qui porte les réglages (le texte YAML).
const URL_PARAM: &str = "settings";

/// Au chargement : applique les réglages de l'adresse (`?settings=`) — un
/// lien partagé redonne la même analyse à qui ouvre le même fichier. Rend le
/// résultat à montrer dans le panneau (`None` : l'adresse n'en portait pas).
pub fn restore_from_url(state: AppState) -> Option<Result<(), PanierError>> {
    Some(apply_yaml(state, &page::url_param(URL_PARAM)?))
}

/// Garde les réglages, à chaque changement (options, grille, analyse des
/// paniers relancée), là où ils doivent être : dans l'adresse (sans les
/// données ; retirés quand ce sont ceux par défaut), et sur l'appareil si
/// l'utilisateur l'a demandé. Leur texte est écrit une fois par changement.
pub fn persist_settings(state: AppState) {
    Effect::new(move |_| {
        state.options.track();
        state.grid.track();
        state.baskets.track();
        state.currency.track();
        let remember = state.remember_settings.get();
        let settings = state.current_settings();
        let customised = settings != Settings::default();
        if !customised && !remember {
            keep_in_url(None);
            return;
        }
        let text = settings.to_yaml();
        if remember {
            page::store(STORAGE_KEY, &text);
        }
        keep_in_url(customised.then_some(text.as_str()));
    });
}

/// Réécrit `?settings=` dans l'adresse par `history.replaceState` (pas de
/// nouvelle entrée d'historique) ; `None` le retire. Les autres paramètres
/// (`theme`, `embed`…) et la vue (`#/…`) restent.
fn keep_in_url(text: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(search), Ok(path), Ok(hash)) =
        (location.search(), location.pathname(), location.hash())
    else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return;
    };
    match text {
        Some(text) => params.set(URL_PARAM, text),
        None => params.delete(URL_PARAM),
    }
    let query = String::from(params.to_string());
    let url = if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    };
    if url != format!("{path}{search}{hash}") {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}
