//! Vue « Vue d'ensemble » : indicateurs clés issus de la réponse du worker.

use leptos::prelude::*;

use crate::components::dashboard::{
    ranking, CurrencyPicker, GlobalFilter, MonthlyCharts, Present, RankingColumns, SalesKpis,
};
use crate::components::kpi::{CleaningSteps, KpiGrid};
use crate::components::method::Method;
use crate::components::progress::{AnalysisError, AnalysisProgress};
use crate::components::report::{ExportCleanedButton, ShareActions, Warnings};
use crate::format;
use crate::i18n::overview::overview_texts;
use crate::i18n::{stage_label, texts};
use crate::route::View;
use crate::state::{AnalysisStatus, AppState};

/// Page de synthèse.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    view! {
        <section class="page overview">
            <h1>{move || texts(lang.get()).overview_title}</h1>
            <AnalysisProgress />
            <AnalysisError />
            {move || {
                let lang = lang.get();
                let t = texts(lang);
                match state.analysis.get() {
                    AnalysisStatus::Ready(result) => {
                        // Chaque durée porte sa valeur brute (data-ms) : le banc
                        // d'essai navigateur la relève sans analyser le texte.
                        let timings = result
                            .timings
                            .iter()
                            .map(|timing| {
                                view! {
                                    <span class="timing" data-stage=timing.stage.key() data-ms=timing.ms.to_string()>
                                        {stage_label(lang, timing.stage)} " "
                                        {format::duration_ms(lang, timing.ms)}
                                    </span>
                                }
                            })
                            .collect_view();
                        let overview = std::sync::Arc::new(result.overview.clone());
                        let o = overview_texts(lang);
                        let present = Present::of(&result.report);
                        view! {
                            // Ni pays ni dates : rien à filtrer ; sans montants, pas de devise.
                            {(present.countries || present.dates).then(|| view! {
                                <GlobalFilter countries=result.report.available_countries.clone() lang=state.lang />
                            })}
                            <p class="muted print-keep" data-testid="source">
                                {t.source_label} " " <strong>{result.source.name.clone()}</strong>
                                " (" {format::megabytes(lang, result.source.size_bytes)} ")"
                            </p>
                            <ShareActions />
                            {present.amounts.then(|| view! { <CurrencyPicker lang=state.lang /> })}
                            <KpiGrid report=result.report.clone() lang=lang />
                            <SalesKpis overview=overview.clone() present=present lang=lang />
                            <MonthlyCharts overview=overview.clone() present=present lang=state.lang />
                            <div class="chart-row">
                                <figure><figcaption>{o.top_countries}</figcaption>{ranking(&overview.top_countries, lang, RankingColumns { count_label: o.col_orders, orders_without_amounts: false }, "top-countries", present, (!present.countries).then_some(o.needs_countries))}</figure>
                                <figure><figcaption>{o.top_products}</figcaption>{ranking(&overview.top_products, lang, RankingColumns { count_label: o.col_units, orders_without_amounts: true }, "top-products", present, (!present.products).then_some(o.needs_products))}</figure>
                            </div>
                            <h2>{t.cleaning_title}</h2>
                            {result.report.date_min.clone().zip(result.report.date_max.clone()).map(|(from, to)| view! {
                                <p data-testid="period" data-from=from.clone() data-to=to.clone()>{t.period_label} " " <strong>{format::moment_label(lang, &from)}</strong> " → " <strong>{format::moment_label(lang, &to)}</strong></p>
                            })}
                            <CleaningSteps report=result.report.clone() lang=lang />
                            <h2>{t.warnings_title}</h2>
                            <Warnings report=result.report.clone() lang=lang />
                            <ExportCleanedButton />
                            <Method lang=state.lang testid="overview-method">
                                <p class="muted small">{t.timings_intro}</p>
                                <p class="muted small timings" data-testid="timings" data-memory=result.wasm_memory_bytes.to_string() data-helper-memory=result.helper_memory_bytes.to_string()>
                                    {t.timings_label} " " {timings}
                                </p>
                            </Method>
                        }
                            .into_any()
                    }
                    AnalysisStatus::Running { .. } | AnalysisStatus::Failed(_) => ().into_any(),
                    AnalysisStatus::Idle => {
                        view! {
                            <p class="muted">{t.no_data}</p>
                            <a class="button primary" href=View::Import.href()>{t.go_import}</a>
                        }
                            .into_any()
                    }
                }
            }}
        </section>
    }
}
