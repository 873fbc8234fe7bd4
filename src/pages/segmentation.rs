//! Vue « Segmentation RFM » : réglages, nuage 3D, grille des segments,
//! tableau par segment, distributions, clients, mouvements.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::rfm::{parse_snapshot, RfmOptions};

use crate::components::method::Method;
use crate::components::progress::{AnalysisError, AnalysisProgress};
use crate::components::report::ShareActions;
use crate::components::rfm::charts::{MonetaryHeatmap, RfmHistograms, SegmentBars};
use crate::components::rfm::clv::CustomerValue;
use crate::components::rfm::customers::{CustomerList, CustomerSheet};
use crate::components::rfm::grid_editor::GridEditor;
use crate::components::rfm::movement::{date_only, SegmentMovement};
use crate::components::rfm::scatter::RfmScatter;
use crate::components::rfm::segment_table::SegmentTable;
use crate::components::rfm::RfmModel;
use crate::components::scope_chips::ScopeChips;
use crate::format;
use crate::i18n::segmentation::segmentation_texts;
use crate::i18n::texts;
use crate::route::View;
use crate::state::AppState;

/// Page de segmentation.
#[component]
pub fn SegmentationPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let log_scale = RwSignal::new(true);
    // La table et ses graphiques, copiés une fois par segmentation reçue ;
    // une grille modifiée ne fait que recolorer les clients.
    let received = Memo::new(move |_| {
        let outcome = state.rfm.get()?;
        let table = outcome.result.as_ref().ok()?.clone();
        let charts = outcome.charts.clone()?;
        Some((Arc::new(table), Arc::new(charts)))
    });
    let model = Memo::new(move |_| {
        let (table, charts) = received.get()?;
        Some(Arc::new(RfmModel::new(table, charts, state.grid.get())))
    });
    // Les indicateurs par segment de la grille affichée : calculés par le
    // worker, redemandés à chaque segmentation et à chaque grille.
    Effect::new(move |_| {
        if let Some(model) = model.get() {
            state.request_segment_stats(model.grid.clone());
        }
    });
    let snapshot = Signal::derive(move || model.with(|m| m.as_ref().map(|m| m.table.snapshot)));
    let levels = RwSignal::new(5u8);
    let snapshot_text = RwSignal::new(String::new());
    // Les réglages affichés suivent la dernière segmentation reçue.
    Effect::new(move |_| {
        if let Some(model) = model.get() {
            levels.set(model.table.levels);
            snapshot_text.set(date_only(model.table.snapshot));
        }
    });
    // La date d'observation demandée : vide, ou le jour de la date par
    // défaut (le lendemain du dernier achat), c'est la date par défaut, à
    // son heure ; un autre jour compte à partir de minuit.
    let chosen_snapshot = move || {
        let text = snapshot_text.get_untracked();
        let default_day = model.with_untracked(|m| {
            m.as_ref()
                .map(|m| date_only(m.table.default_snapshot))
                .unwrap_or_default()
        });
        if text.trim().is_empty() || text == default_day {
            None
        } else {
            parse_snapshot(&text)
                .ok()
                .or(state.options.with_untracked(|o| o.rfm.snapshot))
        }
    };
    let apply = move |_| {
        state.recompute_rfm(RfmOptions {
            levels: levels.get_untracked(),
            snapshot: chosen_snapshot(),
        });
    };
    let reset_snapshot = move |_| {
        snapshot_text.set(String::new());
        state.recompute_rfm(RfmOptions {
            levels: levels.get_untracked(),
            snapshot: None,
        });
    };

    // Le corps ne se reconstruit qu'à l'arrivée d'une segmentation : changer
    // de langue ne met à jour que les textes (la vue 3D garde son angle).
    let body = move || {
        let t = move || segmentation_texts(lang.get());
        let Some(outcome) = state.rfm.get() else {
            return view! {
                <p class="muted">{move || texts(lang.get()).no_data}</p>
                <a class="button primary" href=View::Import.href()>{move || texts(lang.get()).go_import}</a>
            }
            .into_any();
        };
        let table = match &outcome.result {
            Ok(table) => table.clone(),
            Err(error) => {
                let error = error.clone();
                return view! {
                    <div class="error" role="alert" data-testid="rfm-error">
                        <strong>{move || t().unavailable_title}</strong>
                        <p>{move || error.message(lang.get())}</p>
                    </div>
                }
                .into_any();
            }
        };
        let collapsed = table.recency_edges.collapsed() || table.monetary_edges.collapsed();
        let scored = table.customers.len() as u64;
        let snapshot_shown = table.snapshot_text();
        let snapshot_exact = snapshot_shown.clone();
        let undated = table.rows_without_date;
        let ms = outcome.ms;
        view! {
            <ShareActions />
            <p class="muted small print-keep" data-testid="rfm-summary" data-ms=ms.to_string()>
                <strong>{move || format::count(lang.get(), scored)}</strong> " " {move || t().customers_scored}
                " · " {move || t().snapshot_label} " "
                // En mots (« 10 déc. 2011, 12:50 ») ; l'instant exact en attribut.
                <span data-testid="rfm-snapshot-shown" data-snapshot=snapshot_exact>
                    {move || format::moment_label(lang.get(), &snapshot_shown)}
                </span>
            </p>
            <Method lang=lang testid="segmentation-method">
                <p class="muted small">{move || t().method}</p>
                <p class="muted small">{move || t().computed_in} " " {move || format::duration_ms(lang.get(), ms)}</p>
            </Method>
            {collapsed.then(|| view! { <p class="warning-text">{move || t().collapsed_warning}</p> })}
            {(undated > 0).then(|| view! {
                <p class="warning-text">{move || format::count(lang.get(), undated)} " " {move || t().undated_warning}</p>
            })}
            <h2>{move || t().scatter_title}</h2>
            <p class="muted small">{move || t().scatter_help}</p>
            <RfmScatter model=model lang=lang log_scale=log_scale />
            <CustomerSheet model=model lang=lang />
            <h2>{move || t().grid_title}</h2>
            <GridEditor lang=lang />
            <h2 class="print-keep">{move || t().table_title}</h2>
            <div class="print-keep"><SegmentTable model=model lang=lang /></div>
            <h2 class="print-keep">{move || t().charts_title}</h2>
            <div class="chart-row">
                <figure><figcaption>{move || t().heatmap_title}</figcaption><MonetaryHeatmap model=model lang=lang /></figure>
                <figure><figcaption>{move || t().bars_title}</figcaption><SegmentBars model=model lang=lang /></figure>
            </div>
            <h3>{move || t().histograms_title}</h3>
            <RfmHistograms model=model lang=lang log_scale=log_scale />
            <CustomerValue lang=lang />
            <h2>{move || t().customers_title}</h2>
            <CustomerList model=model lang=lang />
            <h2>{move || t().movement_title}</h2>
            <SegmentMovement lang=lang snapshot=snapshot />
        }
        .into_any()
    };

    view! {
        <section class="page segmentation">
            <h1>{move || texts(lang.get()).segmentation_title}</h1>
            // Le texte suit le nombre de niveaux choisi (« 1 à 3 », « 33 % »).
            <p class="lead" data-testid="rfm-intro">{move || {
                let lang = lang.get();
                let k = model.with(|m| m.as_ref().map_or(5, |m| m.table.levels)).max(1);
                // « 20 % », « 25 % », « 33 % » : la part arrondie à l'unité.
                let share = format::percent_with(lang, 1.0 / f64::from(k), 0);
                segmentation_texts(lang)
                    .intro
                    .replace("{k}", &k.to_string())
                    .replace("{share}", &share)
            }}</p>
            <ScopeChips lang=lang />
            <AnalysisProgress />
            <AnalysisError />
            {move || state.rfm.with(|o| o.as_ref().is_some_and(|o| o.result.is_ok())).then(|| {
                let t = move || segmentation_texts(lang.get());
                view! {
                    <div class="toolbar" data-testid="rfm-toolbar">
                        <label>{move || t().levels_label} " "
                            <select data-testid="rfm-levels" on:change=move |e| levels.set(event_target_value(&e).parse().unwrap_or(5))>
                                {[3u8, 4, 5].into_iter().map(|k| view! {
                                    <option value=k.to_string() selected=move || levels.get() == k>{k}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label title=move || t().snapshot_hint>{move || t().snapshot_label} " "
                            <input type="date" data-testid="rfm-snapshot" prop:value=snapshot_text
                                on:input=move |e| snapshot_text.set(event_target_value(&e))
                                on:change=move |e| snapshot_text.set(event_target_value(&e)) />
                        </label>
                        <button class="button" data-testid="rfm-snapshot-default" title=move || t().snapshot_hint
                            prop:disabled=move || state.rfm_busy.get() || state.options.with(|o| o.rfm.snapshot.is_none())
                            on:click=reset_snapshot>
                            {move || t().snapshot_default}
                        </button>
                        <button class="button" data-testid="rfm-apply" prop:disabled=move || state.rfm_busy.get() on:click=apply>
                            {move || t().apply}
                        </button>
                        <label class="check">
                            <input type="checkbox" data-testid="rfm-log" prop:checked=log_scale
                                on:change=move |e| log_scale.set(event_target_checked(&e)) />
                            {move || t().log_scale}
                        </label>
                        <button class="button primary" data-testid="export-rfm" on:click=move |_| state.export_rfm()>
                            {move || t().export_rfm}
                        </button>
                    </div>
                }
            })}
            {body}
        </section>
    }
}
