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
use crate::state::AppState;

/// Clé du stockage local des réglages mémorisés.
const STORAGE_KEY: &str = "panier.settings";

/// Le stockage local, s'il est permis (il ne l'est pas dans une iframe
/// isolée).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Au chargement : les réglages mémorisés sur cet appareil, s'il y en a,
/// deviennent ceux de l'interface. Rend vrai s'il y en avait.
pub fn restore_remembered(state: AppState) -> bool {
    let Some(text) = storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
    else {
        return false;
    };
    match Settings::from_yaml(&text).and_then(|settings| state.apply_settings(&settings)) {
        Ok(()) => true,
        // Des réglages mémorisés par une autre version, devenus illisibles :
        // on les oublie plutôt que de bloquer l'application.
        Err(_) => {
            forget_remembered();
            false
        }
    }
}

/// Oublie les réglages mémorisés.
fn forget_remembered() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(STORAGE_KEY);
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
pub fn SettingsPanel(remembered: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let t = move || texts(lang.get());
    let remember = RwSignal::new(remembered);
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
    // Mémorisés : réécrits à chaque changement de réglage (options, grille,
    // analyse des paniers relancée).
    Effect::new(move |_| {
        state.options.track();
        state.grid.track();
        state.baskets.track();
        if remember.get() {
            if let Some(storage) = storage() {
                let _ = storage.set_item(STORAGE_KEY, &state.current_settings().to_yaml());
            }
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
            let result =
                Settings::from_yaml(&text).and_then(|settings| state.apply_settings(&settings));
            outcome.set(Some(result));
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
                            forget_remembered();
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

/// Les réglages portés par l'adresse (`?settings=`), s'il y en a : un lien
/// partagé redonne la même analyse à qui ouvre le même fichier.
pub fn settings_in_url() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(URL_PARAM)
}

/// Au chargement : applique les réglages de l'adresse. Rend le résultat à
/// montrer dans le panneau (`None` : l'adresse n'en portait pas).
pub fn restore_from_url(state: AppState) -> Option<Result<(), PanierError>> {
    let text = settings_in_url()?;
    Some(Settings::from_yaml(&text).and_then(|settings| state.apply_settings(&settings)))
}

/// Garde les réglages dans l'adresse (sans les données) : à chaque
/// changement, `?settings=` est réécrit par `history.replaceState` (pas de
/// nouvelle entrée d'historique), et retiré quand les réglages sont ceux par
/// défaut. Les autres paramètres (`theme`…) et la vue (`#/…`) restent.
pub fn keep_settings_in_url(state: AppState) {
    Effect::new(move |_| {
        state.options.track();
        state.grid.track();
        state.baskets.track();
        let settings = state.current_settings();
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
        if settings == Settings::default() {
            params.delete(URL_PARAM);
        } else {
            params.set(URL_PARAM, &settings.to_yaml());
        }
        let query = String::from(params.to_string());
        let url = if query.is_empty() {
            format!("{path}{hash}")
        } else {
            format!("{path}?{query}{hash}")
        };
        if url != format!("{path}{search}{hash}") {
            if let Ok(history) = window.history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    });
}
