//! La qualité mesurée des recommandations, face aux deux références.

use leptos::prelude::*;
use panier_core::recommend::evaluation::{Comparison, Quality};
use panier_core::Lang;

use crate::components::method::Method;
use crate::format;
use crate::i18n::recommendations::recommendation_texts;
use crate::state::AppState;

/// Le tableau de l'évaluation (lancée par la page des recommandations).
#[component]
pub fn RecommendationQuality(lang: RwSignal<Lang>) -> impl IntoView {
    let lang_signal = lang;
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let table = move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        let Some(outcome) = state.evaluation.get() else {
            return view! { <p class="muted" data-testid="quality-running">{t.quality_running}</p> }.into_any();
        };
        let (result, ms) = outcome.as_ref();
        let ms = *ms;
        let e = match result {
            Ok(e) => e.clone(),
            Err(error) => return view! { <p class="error-text" data-testid="quality-error">{error.message(lang)}</p> }.into_any(),
        };
        let rows = |name: &'static str, key: &'static str, c: &Comparison| {
            let line = move |who: &'static str, whokey: &'static str, q: Quality, strong: bool| {
                view! {
                    <tr class:model=strong data-list=key data-who=whokey>
                        <th scope="row">{name}</th>
                        <td>{who}</td>
                        <td class="num" data-testid="hit-rate" data-value=q.hit_rate_at_10.to_string()>{format::percent(lang, q.hit_rate_at_10)}</td>
                        <td class="num">{format::percent(lang, q.precision_at_10)}</td>
                        <td class="num">{format::percent(lang, q.coverage)}</td>
                    </tr>
                }
            };
            view! {
                {line(t.quality_model, "model", c.model, true)}
                {line(t.quality_all_time, "all_time", c.baseline_all_time, false)}
                {line(t.quality_recent, "recent", c.baseline_recent, false)}
            }
        };
        view! {
            <div class="table-scroll" tabindex="0">
            <table class="data quality" data-testid="quality-table">
                <thead><tr>
                    <th>{t.quality_list}</th><th>{t.quality_who}</th>
                    <th class="num">{t.quality_hit}</th><th class="num">{t.quality_precision}</th><th class="num">{t.quality_coverage}</th>
                </tr></thead>
                <tbody>
                    {rows(t.quality_discovery, "discovery", &e.discovery)}
                    {rows(t.quality_reorder, "reorder", &e.reorder)}
                </tbody>
            </table>
            </div>
            <p class="muted small" data-testid="quality-split" data-ms=ms.to_string()>
                {format::count(lang, e.customers as u64)} " " {t.quality_customers} " · "
                {t.quality_split} " " {e.split.learn_from.clone()} " → " {e.split.test_from.clone()} " · "
                {t.quality_test} " → " {e.split.test_to.clone()}
            </p>
            <Method lang=lang_signal testid="quality-method">
                <p class="muted small">{t.quality_method}</p>
                <p class="muted small">{t.quality_duration} " " {format::duration_ms(lang, ms)}</p>
            </Method>
        }
        .into_any()
    };
    view! {
        <p class="muted small">{move || t().quality_intro}</p>
        {table}
    }
}
