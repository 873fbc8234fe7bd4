//! API d'intégration : un portail met Panier dans une `<iframe>` et le pilote
//! par `postMessage` (protocole versionné, décrit dans le README, section
//! « Intégrer Panier »).
//!
//! Sécurité : rien n'est écouté sans `?embed=ORIGINE[,ORIGINE…]` dans
//! l'adresse de l'iframe. Un message venu d'une autre origine est ignoré et
//! compté (`data-embed-ignored` sur `<html>`) ; les réponses et les
//! événements ne partent que vers les origines de cette liste.
//!
//! Messages de l'hôte (`{panier: 1, type, …}`) :
//! - `load` : `file` (File), `buffer` (ArrayBuffer) ou `text` (CSV), avec
//!   `name` et `settings` (les réglages, objet ou texte YAML) ;
//! - `set-language` (`lang`), `set-theme` (`theme`), `show-view` (`view`) ;
//! - `get` (`id`, `what` : `kpis`, `segments`, `recommendations` avec
//!   `customer`, `rules`) → réponse `result` (`id`, `what`, `data`) ou
//!   `error` (`id`, `message`).
//!
//! Événements de Panier : `ready`, `progress`, `analysed`,
//! `segment-selected`, `error`.

use std::collections::BTreeMap;

use leptos::prelude::*;
use panier_core::settings::Settings;
use panier_core::{Lang, PanierError};
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::route::{navigate, View};
use crate::state::{AnalysisStatus, AppState};
use crate::theme::Theme;
use crate::worker::protocol::RecommendRequest;

/// Version du protocole, dans chaque message (`panier: 1`).
pub const PROTOCOL: u32 = 1;

/// Réponse à une demande faite avant toute analyse.
const NOT_LOADED: &str = "no analysis yet: send load first";

/// Les origines autorisées par `?embed=` (vide : l'API est éteinte).
pub fn allowed_origins() -> Vec<String> {
    crate::page::url_param("embed")
        .map(|list| {
            list.split(',')
                .map(|origin| origin.trim().trim_end_matches('/').to_string())
                .filter(|origin| !origin.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Envoie un message à la page hôte, vers chaque origine autorisée (le
/// navigateur ne le livre qu'à celle de l'hôte).
fn post(origins: &[String], message: &serde_json::Value) {
    let Some(parent) = web_sys::window().and_then(|window| window.parent().ok().flatten()) else {
        return;
    };
    let Ok(value) = js_sys::JSON::parse(&message.to_string()) else {
        return;
    };
    for origin in origins {
        let _ = parent.post_message(&value, origin);
    }
}

/// Un message du protocole : `{panier: 1, type, …champs}`.
fn message(kind: &str, fields: serde_json::Value) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    object.insert("panier".into(), PROTOCOL.into());
    object.insert("type".into(), kind.into());
    if let serde_json::Value::Object(fields) = fields {
        object.extend(fields);
    }
    serde_json::Value::Object(object)
}

/// Une valeur du cœur en JSON (ce qui ne s'écrit pas devient `null`).
fn json(value: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Champ `name` d'un objet JavaScript.
fn field(data: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Installe l'API si l'adresse la demande : écoute des messages, et
/// événements envoyés à l'hôte.
pub fn install(state: AppState) {
    let origins = allowed_origins();
    if origins.is_empty() {
        return;
    }
    let ignored = StoredValue::new(0u32);
    // Demande de recommandations en attente de la réponse du worker :
    // (identifiant de la demande, client).
    let pending = StoredValue::new(None::<(serde_json::Value, String)>);
    let origins = StoredValue::new(origins);
    let send = move |message: serde_json::Value| origins.with_value(|o| post(o, &message));

    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
        move |event: web_sys::MessageEvent| {
            let origin = event.origin();
            if !origins.with_value(|o| o.contains(&origin)) {
                ignored.update_value(|count| *count += 1);
                if let Some(root) = crate::page::root() {
                    let _ =
                        root.set_attribute("data-embed-ignored", &ignored.get_value().to_string());
                }
                return;
            }
            let data = event.data();
            if field(&data, "panier").as_f64() != Some(f64::from(PROTOCOL)) {
                send(message(
                    "error",
                    serde_json::json!({"message": format!("unknown protocol: send {{panier: {PROTOCOL}, type, …}}")}),
                ));
                return;
            }
            let kind = field(&data, "type").as_string().unwrap_or_default();
            let id: serde_json::Value = field(&data, "id")
                .as_string()
                .map(serde_json::Value::from)
                .or_else(|| field(&data, "id").as_f64().map(serde_json::Value::from))
                .unwrap_or(serde_json::Value::Null);
            let lang = state.lang.get_untracked();
            let fail = |id: &serde_json::Value, text: String| {
                send(message(
                    "error",
                    serde_json::json!({"id": id, "message": text}),
                ));
            };
            match kind.as_str() {
                "load" => {
                    if let Err(error) = load(state, &data) {
                        fail(&id, error.message(lang));
                    }
                }
                "set-language" => match field(&data, "lang")
                    .as_string()
                    .and_then(|code| Lang::from_code(&code))
                {
                    Some(lang) => state.lang.set(lang),
                    None => fail(&id, "lang: \"fr\" or \"en\"".into()),
                },
                "set-theme" => match field(&data, "theme")
                    .as_string()
                    .and_then(|code| Theme::from_code(&code))
                {
                    Some(theme) => state.theme.set(theme),
                    None => fail(&id, "theme: \"light\", \"dark\" or \"auto\"".into()),
                },
                "show-view" => {
                    let wanted = field(&data, "view").as_string().unwrap_or_default();
                    match View::ALL.into_iter().find(|view| view.slug() == wanted) {
                        Some(view) => navigate(view),
                        None => fail(
                            &id,
                            format!("view: one of {}", View::ALL.map(View::slug).join(", ")),
                        ),
                    }
                }
                "get" => {
                    let what = field(&data, "what").as_string().unwrap_or_default();
                    match answer(state, &what, &data, &id, pending) {
                        Ok(Some(data)) => send(message(
                            "result",
                            serde_json::json!({"id": id, "what": what, "data": data}),
                        )),
                        // Réponse à venir du worker.
                        Ok(None) => {}
                        Err(text) => fail(&id, text),
                    }
                }
                other => fail(
                    &id,
                    format!(
                        "unknown type \"{other}\": load, set-language, set-theme, show-view, get"
                    ),
                ),
            }
        },
    );
    if let Some(window) = web_sys::window() {
        let _ =
            window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    }
    // L'écouteur vit aussi longtemps que la page.
    on_message.forget();

    // Événements : prêt, avancement, analysé, erreur.
    send(message(
        "ready",
        serde_json::json!({"version": PROTOCOL, "views": View::ALL.map(View::slug)}),
    ));
    Effect::new(move |previous: Option<&'static str>| {
        state.analysis.with(|status| match status {
            AnalysisStatus::Running { stage, fraction, .. } => {
                send(message(
                    "progress",
                    serde_json::json!({"stage": stage.key(), "fraction": fraction}),
                ));
                "running"
            }
            AnalysisStatus::Ready(result) if previous != Some("ready") => {
                send(message(
                    "analysed",
                    serde_json::json!({"source": result.source.name, "kpis": kpis(result)}),
                ));
                "ready"
            }
            AnalysisStatus::Failed(error) if previous != Some("failed") => {
                send(message(
                    "error",
                    serde_json::json!({"message": error.message(state.lang.get_untracked()), "error": json(error)}),
                ));
                "failed"
            }
            AnalysisStatus::Ready(_) => "ready",
            AnalysisStatus::Failed(_) => "failed",
            _ => "idle",
        })
    });
    // Un segment choisi par l'utilisateur.
    Effect::new(move |_| {
        if let Some(segment) = state.selected_segment.get() {
            let customers = segments(state)
                .ok()
                .and_then(|mut all| all.remove(&segment))
                .unwrap_or_default();
            send(message(
                "segment-selected",
                serde_json::json!({"segment": segment, "customers": customers}),
            ));
        }
    });
    // Recommandations d'un client, quand le worker répond.
    Effect::new(move |_| {
        let Some(advice) = state.customer_advice.get() else {
            return;
        };
        let Some((id, customer)) = pending.get_value() else {
            return;
        };
        if advice.0 != customer {
            return;
        }
        pending.set_value(None);
        let data = match &advice.1 {
            Some(advice) => json(advice),
            None => serde_json::Value::Null,
        };
        send(message(
            "result",
            serde_json::json!({"id": id, "what": "recommendations", "data": data}),
        ));
    });
}

/// Lance l'analyse d'un fichier, d'octets ou d'un texte CSV envoyés par
/// l'hôte, après ses réglages s'il en donne.
fn load(state: AppState, data: &JsValue) -> Result<(), PanierError> {
    let settings = field(data, "settings");
    if let Some(text) = settings.as_string() {
        crate::components::settings::apply_yaml(state, &text)?;
    } else if settings.is_object() {
        let text = js_sys::JSON::stringify(&settings)
            .ok()
            .and_then(|text| text.as_string())
            .unwrap_or_default();
        let settings: Settings =
            serde_json::from_str(&text).map_err(|error| PanierError::InvalidSettings {
                line: None,
                detail: error.to_string(),
            })?;
        state.apply_settings(&settings)?;
    }
    let name = field(data, "name")
        .as_string()
        .unwrap_or_else(|| "export.csv".into());
    let file = if let Ok(file) = field(data, "file").dyn_into::<web_sys::File>() {
        Some(file)
    } else if let Some(buffer) = field(data, "buffer").dyn_ref::<js_sys::ArrayBuffer>() {
        web_sys::File::new_with_buffer_source_sequence(&js_sys::Array::of1(buffer), &name).ok()
    } else if let Some(text) = field(data, "text").as_string() {
        web_sys::File::new_with_str_sequence(&js_sys::Array::of1(&JsValue::from_str(&text)), &name)
            .ok()
    } else {
        None
    };
    let file = file.ok_or_else(|| PanierError::InvalidParameter {
        name: "load".into(),
        value: "{}".into(),
        expected: "file (File), buffer (ArrayBuffer) or text (CSV)".into(),
    })?;
    state.analyze_file(file);
    Ok(())
}

/// Les indicateurs d'une analyse : le rapport du nettoyage et ceux de la
/// vue d'ensemble.
fn kpis(result: &crate::worker::protocol::AnalysisResult) -> serde_json::Value {
    serde_json::json!({"report": json(&result.report), "overview": json(&result.overview)})
}

/// Les clients de chaque segment (grille affichée).
fn segments(state: AppState) -> Result<BTreeMap<String, Vec<String>>, String> {
    let outcome = state.rfm.get_untracked().ok_or(NOT_LOADED)?;
    let table = outcome
        .result
        .as_ref()
        .map_err(|error| error.message(state.lang.get_untracked()))?;
    Ok(table.customers_by_segment(&state.grid.get_untracked()))
}

/// Réponse à `get` : tout de suite (`Some`), ou plus tard par le worker
/// (`None`, recommandations d'un client).
fn answer(
    state: AppState,
    what: &str,
    data: &JsValue,
    id: &serde_json::Value,
    pending: StoredValue<Option<(serde_json::Value, String)>>,
) -> Result<Option<serde_json::Value>, String> {
    let lang = state.lang.get_untracked();
    match what {
        "kpis" => state.analysis.with_untracked(|status| match status {
            AnalysisStatus::Ready(result) => Ok(Some(kpis(result))),
            _ => Err(NOT_LOADED.into()),
        }),
        "segments" => Ok(Some(json(&segments(state)?))),
        "rules" => match state.baskets.get_untracked().as_deref() {
            Some(Ok(summary)) => Ok(Some(serde_json::json!({
                "rules": summary.rules,
                "top": json(&summary.top),
            }))),
            Some(Err(error)) => Err(error.message(lang)),
            None => Err(NOT_LOADED.into()),
        },
        "recommendations" => {
            let customer = field(data, "customer")
                .as_string()
                .ok_or("customer: a customer id")?;
            if !matches!(state.analysis.get_untracked(), AnalysisStatus::Ready(_)) {
                return Err(NOT_LOADED.into());
            }
            pending.set_value(Some((id.clone(), customer.clone())));
            state.recommend(RecommendRequest::Customer {
                customer,
                grid: state.grid.get_untracked(),
            });
            Ok(None)
        }
        other => Err(format!(
            "what \"{other}\": kpis, segments, recommendations, rules"
        )),
    }
}
