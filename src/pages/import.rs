//! Vue « Import » : choisir ou déposer un fichier, ou lancer la démo ; suivre
//! l'avancement ; lire l'erreur et quoi faire.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;

use crate::components::import_options::ImportOptionsPanel;
use crate::components::mapping::ColumnMappingPanel;
use crate::components::progress::{AnalysisError, AnalysisProgress};
use crate::components::settings::SettingsPanel;
use crate::i18n::texts;
use crate::state::{AnalysisStatus, AppState};

/// Extensions proposées par le sélecteur de fichier.
const ACCEPTED: &str =
    ".csv,.tsv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Page d'import.
#[component]
pub fn ImportPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let t = move || texts(lang.get());
    let input_ref = NodeRef::<html::Input>::new();
    let dragging = RwSignal::new(false);
    let running = move || matches!(state.analysis.get(), AnalysisStatus::Running { .. });

    let on_input_change = move |_: ev::Event| {
        if let Some(file) = input_ref
            .get()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        {
            state.analyze_file(file);
        }
        // Permet de choisir à nouveau le même fichier.
        if let Some(input) = input_ref.get() {
            input.set_value("");
        }
    };
    let on_drop = move |event: ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = event
            .data_transfer()
            .and_then(|transfer| transfer.files())
            .and_then(|files| files.get(0))
        {
            state.analyze_file(file);
        }
    };
    let on_drag_over = move |event: ev::DragEvent| {
        event.prevent_default();
        // Pendant une analyse, le curseur dit déjà que le dépôt est refusé.
        if let Some(transfer) = event.data_transfer() {
            transfer.set_drop_effect(if state.is_running() { "none" } else { "copy" });
        }
        dragging.set(true);
    };

    view! {
        // Le worker est lancé avec la page (voir `app.rs`) : il est prêt
        // quand l'utilisateur choisit son fichier, et l'import marche même
        // hors ligne ensuite.
        <section class="page import">
            <h1>{move || t().import_title}</h1>
            <p class="lead">{move || t().import_intro}</p>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                class:busy=running
                on:dragover=on_drag_over
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
            >
                <p class="drop-title">{move || t().drop_here}</p>
                <p class="muted">{move || t().drop_hint}</p>
                <label class="button primary">
                    {move || t().choose_file}
                    <input
                        node_ref=input_ref
                        type="file"
                        accept=ACCEPTED
                        class="visually-hidden"
                        data-testid="file-input"
                        disabled=running
                        on:change=on_input_change
                    />
                </label>
                <p class="or">{move || t().or}</p>
                <button
                    type="button"
                    class="button"
                    data-testid="demo-button"
                    disabled=running
                    on:click=move |_| state.analyze_demo()
                >
                    {move || t().try_demo}
                </button>
                <p class="muted small">{move || t().demo_hint}</p>
            </div>
            <AnalysisProgress />
            <AnalysisError />
            <ColumnMappingPanel />
            <ImportOptionsPanel />
            <SettingsPanel />
            <p class="privacy">{move || t().privacy_note}</p>
        </section>
    }
}
