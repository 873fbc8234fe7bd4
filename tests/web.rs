//! Composants montés dans le vrai Chromium headless (wasm-bindgen-test).
//!
//! `./dev.sh test` les lance avec `cargo test --target wasm32-unknown-unknown
//! --test web` ; `webdriver.json` donne les options de Chromium.
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::{NoProgress, Stage};
use panier_core::summary::Report;
use panier_core::Lang;
use panier_web::app::App;
use panier_web::components::kpi::KpiGrid;
use panier_web::components::progress::AnalysisProgress;
use panier_web::route::View;
use panier_web::state::{AnalysisStatus, AppState};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Un conteneur neuf dans le document, pour isoler chaque test.
fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let element = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&element).unwrap();
    element.unchecked_into()
}

/// Un rapport réel, calculé par le cœur sur un petit CSV.
fn report() -> Report {
    let csv = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
               1,A,cup,1000,2011-01-02 10:00,8911.407904,17850,United Kingdom\n\
               C2,A,cup,-1,2011-01-03 10:00,1,17850,United Kingdom\n";
    analyze(csv.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
        .expect("CSV lisible")
        .report
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} introuvable"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
fn kpi_grid_formats_figures_per_language() {
    let english = container();
    mount_to(
        english.clone(),
        || view! { <KpiGrid report=report() lang=Lang::En /> },
    )
    .forget();
    assert_eq!(
        text_of(&english, "[data-testid=kpi-rows-read] .kpi-value"),
        "2"
    );
    assert_eq!(
        text_of(&english, "[data-testid=kpi-revenue] .kpi-value"),
        "8,911,407.90"
    );

    let french = container();
    mount_to(
        french.clone(),
        || view! { <KpiGrid report=report() lang=Lang::Fr /> },
    )
    .forget();
    assert_eq!(
        text_of(&french, "[data-testid=kpi-revenue] .kpi-value"),
        "8\u{202f}911\u{202f}407,90"
    );
    assert_eq!(
        text_of(&french, "[data-testid=kpi-customers] .kpi-label"),
        "Clients"
    );
}

#[wasm_bindgen_test]
async fn progress_bar_follows_the_worker_events() {
    let root = container();
    let state = AppState::new(Lang::En, View::Import);
    mount_to(root.clone(), move || {
        provide_context(state);
        view! { <AnalysisProgress /> }
    })
    .forget();
    assert!(root.query_selector("progress").unwrap().is_none());
    state.analysis.set(AnalysisStatus::Running {
        source: "big.csv".into(),
        stage: Stage::Parse,
        fraction: 0.5,
    });
    tick().await;
    let bar = root
        .query_selector("progress")
        .unwrap()
        .expect("barre affichée");
    let value: f64 = bar.get_attribute("value").unwrap().parse().unwrap();
    assert!((value - 0.525).abs() < 1e-9, "{value}");
    assert!(text_of(&root, "[data-testid=progress]").contains("Parsing rows"));
}

#[wasm_bindgen_test]
async fn shell_switches_language_and_remembers_it() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("panier.lang", "fr").unwrap();
    let root = container();
    mount_to(root.clone(), App).forget();
    let links = root.query_selector_all("nav a").unwrap();
    assert_eq!(links.length(), 5);
    assert_eq!(
        text_of(&root, "nav a[data-view=overview]"),
        "Vue d'ensemble"
    );
    assert_eq!(
        root.query_selector("nav a[data-view=overview]")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("#/overview")
    );
    let english: web_sys::HtmlElement = root
        .query_selector(".lang-switch button[lang=en]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    english.click();
    tick().await;
    assert_eq!(text_of(&root, "nav a[data-view=overview]"), "Overview");
    assert_eq!(
        storage.get_item("panier.lang").unwrap().as_deref(),
        Some("en")
    );
}

/// Dans le navigateur, `usize` n'a que 32 bits : l'estimation du nombre de
/// lignes d'un gros CSV (lignes × taille) ne doit pas y déborder — elle
/// tombait à 17 000 lignes au lieu de 318 000 sur 25 Mo d'Online Retail, et
/// chaque colonne regrandissait alors par doublements recopiés.
#[wasm_bindgen_test]
fn row_estimate_of_a_large_csv_does_not_overflow_32_bits() {
    let line = "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26,2.55,17850,United Kingdom\n";
    let rows = 300_000;
    let text = line.repeat(rows);
    assert!(text.len() > 25_000_000);
    let estimate = panier_core::ingest::estimated_rows(text.as_bytes());
    assert!(
        (rows..=rows + rows / 10).contains(&estimate),
        "{estimate} lignes estimées pour {rows}"
    );
}

/// Les messages entre la page et le worker : octets postcard et objets JS
/// côte à côte. Un `Blob` revient le même objet (pas une copie), les autres
/// champs à l'identique, et une analyse complète (grand message) aussi.
#[wasm_bindgen_test]
fn worker_messages_keep_their_js_objects_and_their_values() {
    use gloo_worker::Codec;
    use panier_web::worker::protocol::{JsCodec, Wire, WorkerEvent};
    let parts = js_sys::Array::of1(&"a,b\n1,2\n".into());
    let blob = web_sys::Blob::new_with_str_sequence(&parts).unwrap();
    let event = WorkerEvent::Download {
        blob: blob.clone(),
        name: "règles.csv".into(),
    };
    let encoded = JsCodec::encode(Wire::from(event));
    let array: js_sys::Array = encoded.clone().dyn_into().expect("un tableau JS");
    assert_eq!(array.length(), 2, "octets puis le Blob");
    assert!(array.get(0).is_instance_of::<js_sys::Uint8Array>());
    let decoded: Wire<WorkerEvent> = JsCodec::decode(encoded);
    match decoded.into_inner() {
        Ok(WorkerEvent::Download { blob: back, name }) => {
            assert_eq!(name, "règles.csv");
            assert!(
                JsValue::from(back).loose_eq(&JsValue::from(blob)),
                "même Blob"
            );
        }
        other => panic!("{other:?}"),
    }
    // Un message inconnu se lit comme une erreur, sans panique.
    let foreign = js_sys::Array::of1(&js_sys::Uint8Array::from(&[250u8][..]));
    let unknown: Wire<WorkerEvent> = JsCodec::decode(foreign.into());
    assert!(unknown.into_inner().is_err());
    // Une erreur du cœur (sans objet JS) passe sans perte.
    let failed = || WorkerEvent::Failed(panier_core::PanierError::NoBaskets);
    let back: Wire<WorkerEvent> = JsCodec::decode(JsCodec::encode(Wire::from(failed())));
    assert_eq!(back.into_inner(), Ok(failed()));
}
