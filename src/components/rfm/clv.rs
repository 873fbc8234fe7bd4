//! La valeur client prédite, sur la page de segmentation : commandes
//! attendues, valeur sur 12 mois, clients probablement partis, par segment,
//! et la vérification sur l'historique de l'utilisateur (prévu contre réel).
//! Les calculs sont ceux du cœur (`panier_core::clv`), faits par le worker.

use leptos::prelude::*;
use panier_core::clv::{ClvResult, LIKELY_INACTIVE};
use panier_core::rfm::segments::segment_label;
use panier_core::Lang;

use crate::components::kpi::KpiCard;
use crate::components::method::Method;
use crate::components::plot::{BarTooltip, PlotCanvas};
use crate::format;
use crate::i18n::clv::clv_texts;
use crate::state::AppState;
use crate::worker::protocol::ClvOutcome;

/// La section « Valeur client prédite ».
#[component]
pub fn CustomerValue(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Demandée quand la segmentation est là (et redemandée quand elle
    // change : autre fichier, périmètre, date), et à chaque grille : les
    // prévisions restent en cache dans le worker, seul le résumé par segment
    // change.
    Effect::new(move |previous: Option<()>| {
        let ready = state
            .rfm
            .with(|rfm| rfm.as_ref().is_some_and(|o| o.result.is_ok()));
        let _ = state.grid.get();
        let missing = state.clv.with_untracked(Option::is_none);
        // Toujours envoyée (même pendant un calcul) : le worker répond dans
        // l'ordre, la dernière réponse est celle de la dernière grille.
        if ready && (previous.is_some() || missing) {
            state.compute_clv();
        }
    });
    let body = move || {
        let lang = lang.get();
        let t = clv_texts(lang);
        let Some(outcome) = state.clv.get() else {
            return view! { <p class="muted" data-testid="clv-running">{t.running}</p> }.into_any();
        };
        match &outcome.result {
            Err(error) => view! {
                <div class="error" role="alert" data-testid="clv-error">
                    <strong>{t.unavailable}</strong>
                    <p>{error.message(lang)}</p>
                </div>
            }
            .into_any(),
            Ok(result) => {
                view! { <ClvBody outcome=outcome.clone() result=result.clone() lang=lang /> }
                    .into_any()
            }
        }
    };
    // Un horizon hors bornes est dit à côté du champ (il était ignoré sans
    // un mot) ; le calcul garde l'horizon précédent.
    let invalid = RwSignal::new(false);
    let horizon = move |event| {
        let days = event_target_value(&event).trim().parse::<u32>().ok();
        let valid = days.filter(|days| (1..=3650).contains(days));
        invalid.set(valid.is_none());
        if let Some(days) = valid {
            let current = state.options.with_untracked(|o| o.clv.horizon_days);
            if days != current {
                // Un réglage de l'analyse : il voyage avec les autres.
                state.options.update(|o| o.clv.horizon_days = days);
                state.compute_clv();
            }
        }
    };
    view! {
        <section class="clv" data-testid="clv" aria-busy=move || state.clv_busy.get().to_string()>
            <h2>{move || clv_texts(lang.get()).title}</h2>
            <p class="muted">{move || clv_texts(lang.get()).intro}</p>
            <div class="filters">
                <label>
                    {move || clv_texts(lang.get()).horizon} " "
                    <input type="number" min="1" max="3650" step="1" data-testid="clv-horizon"
                        aria-invalid=move || invalid.get().to_string()
                        prop:value=move || state.options.with(|o| o.clv.horizon_days).to_string() on:change=horizon />
                    " " {move || clv_texts(lang.get()).days}
                </label>
            </div>
            {move || invalid.get().then(|| view! {
                <p class="error-text" role="alert" data-testid="clv-horizon-error">{clv_texts(lang.get()).horizon_invalid}</p>
            })}
            {body}
        </section>
    }
}

/// Les prévisions d'une valeur client calculée.
#[component]
fn ClvBody(outcome: std::sync::Arc<ClvOutcome>, result: ClvResult, lang: Lang) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = clv_texts(lang);
    let customers = result.customers.len().max(1);
    let inactive = result
        .customers
        .iter()
        .filter(|c| c.churn_risk >= LIKELY_INACTIVE)
        .count();
    let horizon = result.options.horizon_days;
    let within = crate::i18n::clv::within(lang, horizon);
    let segments = outcome
        .segments
        .iter()
        .map(|s| {
            view! {
                <tr data-segment=s.name.clone()>
                    <th scope="row">{segment_label(&s.name, lang)}</th>
                    <td class="num">{format::count(lang, s.customers as u64)}</td>
                    <td class="num" data-testid="clv-segment-mean">{format::money(lang, s.mean_clv)}</td>
                    <td class="num">{format::percent(lang, s.likely_inactive_share)}</td>
                    <td class="num">{format::decimal(lang, s.mean_expected_transactions, 2)}</td>
                </tr>
            }
        })
        .collect_view();
    let check = match &result.validation {
        Ok(v) => {
            let detail = t
                .check_detail
                .replace("{naive}", &format::decimal(lang, v.naive.mae, 2))
                .replace("{none}", &format::decimal(lang, v.no_repeat.mae, 2));
            let verdict = if v.model.mae <= v.naive.mae {
                t.verdict_better
            } else {
                t.verdict_worse
            };
            view! {
                <p data-testid="clv-check" data-mae=v.model.mae.to_string()
                    data-naive-mae=v.naive.mae.to_string() data-no-repeat-mae=v.no_repeat.mae.to_string()>
                    {t.check_lead} " " <strong>{format::decimal(lang, v.model.mae, 2)}</strong> " " {detail}
                </p>
                <p data-testid="clv-verdict">{verdict}</p>
            }
            .into_any()
        }
        Err(error) => view! {
            <p class="muted" data-testid="clv-check">{t.check_unavailable} " " {error.message(lang)}</p>
        }
        .into_any(),
    };
    let groups = result
        .validation
        .as_ref()
        .map(panier_charts::holdout_groups)
        .unwrap_or_default();
    let chart = (!groups.is_empty()).then(|| {
        let (width, height) = panier_charts::HOLDOUT_SIZE;
        let bars = groups.len();
        let tips = groups.clone();
        let label = Signal::derive(move || clv_texts(lang).chart_title.to_string());
        view! {
            <figure>
                <figcaption>{t.chart_title}</figcaption>
                <BarTooltip bars=bars width=width
                    left=panier_charts::HOLDOUT_MARGIN + panier_charts::HOLDOUT_Y_LABELS
                    right=width - panier_charts::HOLDOUT_MARGIN testid="clv-holdout-tip"
                    text=move |index| {
                        let Some((group, predicted, actual)) = tips.get(index) else { return String::new() };
                        format!(
                            "{group} {}{} {} {}, {} {}",
                            t.tip_group,
                            format::colon(lang),
                            format::decimal(lang, *predicted, 2),
                            t.tip_predicted,
                            format::decimal(lang, *actual, 2),
                            t.tip_actual,
                        )
                    }>
                    <PlotCanvas width=width height=height label=label testid="clv-holdout" draw=move |root| {
                        panier_charts::calibration_holdout(root, &groups, lang);
                    } />
                </BarTooltip>
                <p class="muted small">{t.chart_caption}</p>
            </figure>
        }
    });
    let (bg, gg) = (result.bgnbd.params, result.gamma_gamma.params);
    let fit = format!(
        "BG/NBD : r {}, α {}, a {}, b {}, log-vraisemblance / log-likelihood {} · Gamma-Gamma : p {}, q {}, γ {} ({} clients)",
        format::decimal(lang, bg.r, 3),
        format::decimal(lang, bg.alpha, 3),
        format::decimal(lang, bg.a, 3),
        format::decimal(lang, bg.b, 3),
        format::decimal(lang, result.bgnbd.log_likelihood, 1),
        format::decimal(lang, gg.p, 2),
        format::decimal(lang, gg.q, 2),
        format::decimal(lang, gg.v, 2),
        format::count(lang, result.gamma_gamma.customers as u64),
    );
    let correlation = result
        .spend_frequency_correlation
        .map_or_else(|| "—".to_string(), |r| format::decimal(lang, r, 2));
    view! {
        <div class="kpi-grid">
            <KpiCard label=t.expected_orders
                value=format!("{} ({} {})", format::decimal(lang, result.expected_transactions_total, 0), horizon, t.days)
                test_id="clv-expected" />
            <KpiCard label=t.value_12 value=format::money(lang, result.clv_total) test_id="clv-total" />
            <KpiCard label=t.likely_inactive value=format::percent(lang, inactive as f64 / customers as f64) test_id="clv-inactive" />
        </div>
        {(!outcome.segments.is_empty()).then(|| view! {
            <div class="table-scroll" tabindex="0">
                <table class="data" data-testid="clv-segments">
                    <thead><tr>
                        <th scope="col">{t.col_segment}</th>
                        <th scope="col" class="num">{t.col_customers}</th>
                        <th scope="col" class="num">{t.col_mean_clv}</th>
                        <th scope="col" class="num">{format!("{} ({})", t.col_inactive, within)}</th>
                        <th scope="col" class="num">{format!("{} ({})", t.col_orders, within)}</th>
                    </tr></thead>
                    <tbody>{segments}</tbody>
                </table>
            </div>
            <p class="muted small" data-testid="clv-segments-note">{t.segments_note}</p>
        })}
        <h3>{t.check_title}</h3>
        {check}
        <div class="chart-row">{chart}</div>
        <Method lang=state.lang testid="clv-method">
            <p class="muted small">{t.method}</p>
            <p class="muted small" data-testid="clv-fit" data-r=bg.r.to_string() data-alpha=bg.alpha.to_string()
                data-a=bg.a.to_string() data-b=bg.b.to_string() data-ll=result.bgnbd.log_likelihood.to_string()
                data-p=gg.p.to_string() data-q=gg.q.to_string() data-v=gg.v.to_string() data-ms=outcome.ms.to_string()>
                {t.method_fit} {format::colon(lang)} " " {fit}
            </p>
            <p class="muted small">{t.method_correlation} {format::colon(lang)} " " {correlation}</p>
            <p class="muted small">{t.computed_in} " " {format::duration_ms(lang, outcome.ms)}</p>
        </Method>
    }
}
