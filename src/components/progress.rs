//! Barre de progression de l'analyse en cours, et message d'échec.

use leptos::prelude::*;
use panier_core::progress::Stage;

use crate::i18n::{stage_label, texts};
use crate::state::{AnalysisStatus, AppState, WorkerHealth, WorkerProblem};

/// Part de chaque étape dans la barre globale (lecture et analyse des lignes
/// dominent le temps).
fn overall_fraction(stage: Stage, fraction: f64) -> f64 {
    let (start, width) = match stage {
        Stage::Generate | Stage::Read | Stage::Inspect => (0.0, 0.3),
        Stage::Parse => (0.3, 0.45),
        Stage::Join => (0.75, 0.1),
        Stage::Clean => (0.85, 0.1),
        Stage::Summarize
        | Stage::Rfm
        | Stage::Baskets
        | Stage::Recommend
        | Stage::Overview
        | Stage::Export => (0.95, 0.05),
    };
    (start + width * fraction.clamp(0.0, 1.0)).clamp(0.0, 1.0)
}

/// Affiche l'étape et l'avancement tant que le worker travaille.
#[component]
pub fn AnalysisProgress() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || match state.analysis.get() {
        AnalysisStatus::Running {
            source,
            stage,
            fraction,
        } => {
            let lang = state.lang.get();
            let overall = overall_fraction(stage, fraction);
            Some(view! {
                <div class="progress" data-testid="progress">
                    // Annoncé une fois par un lecteur d'écran (région de
                    // statut) ; le pourcentage, lui, ne l'est pas à chaque pas.
                    <p role="status">
                        <strong>{texts(lang).working}</strong>
                        " "
                        <span class="muted">{source}</span>
                    </p>
                    <progress max="1" value=overall.to_string()></progress>
                    <p class="muted small">
                        {stage_label(lang, stage)} " — " {format!("{:.0} %", overall * 100.0)}
                    </p>
                </div>
            })
        }
        _ => None,
    }
}

/// Message d'erreur de la dernière analyse, s'il y en a une : ce qui ne va
/// pas et quoi faire, dans la langue de l'interface. Un worker inutilisable
/// passe avant tout (aucune analyse n'est alors possible).
#[component]
pub fn AnalysisError() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let WorkerHealth::Unavailable(problem) = state.worker.get() else {
            return analysis_error(state);
        };
        let t = texts(state.lang.get());
        let (message, retry) = match problem {
            WorkerProblem::SandboxedFrame => (t.worker_sandboxed, false),
            WorkerProblem::LoadFailed => (t.worker_load_failed, true),
            WorkerProblem::Outdated => (t.worker_outdated, false),
        };
        Some(
            view! {
                <div class="error" role="alert" data-testid="worker-error">
                    <strong>{t.worker_title}</strong>
                    <p>{message}</p>
                    {retry.then(|| view! {
                        <button class="button" data-testid="worker-retry" on:click=move |_| state.retry_worker()>
                            {t.retry}
                        </button>
                    })}
                </div>
            }
            .into_any(),
        )
    }
}

/// L'échec de la dernière analyse.
fn analysis_error(state: AppState) -> Option<AnyView> {
    match state.analysis.get() {
        AnalysisStatus::Failed(error) => Some(
            view! {
                <div class="error" role="alert" data-testid="analysis-error">
                    <strong>{texts(state.lang.get()).error_title}</strong>
                    <p>{error.message(state.lang.get())}</p>
                </div>
            }
            .into_any(),
        ),
        _ => None,
    }
}
