//! Tableau par segment : effectifs, chiffre d'affaires, panier moyen,
//! moyennes R/F/M, action suggérée.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::rfm::segments::{segment_label, DefaultSegment};
use panier_core::Lang;

use super::{css, RfmModel};
use crate::format;
use crate::i18n::segmentation::segmentation_texts;
use crate::state::AppState;

/// Indicateurs de chaque segment de la grille courante.
#[component]
pub fn SegmentTable(model: Memo<Option<Arc<RfmModel>>>, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        let (Some(model), lang) = (model.get(), lang.get()) else {
            return ().into_any();
        };
        let t = segmentation_texts(lang);
        // Les derniers indicateurs reçus du worker : ceux d'une grille qui
        // vient de changer restent affichés les quelques millisecondes que
        // met la réponse (le tableau est alors marqué `aria-busy`).
        let reply = state.segment_stats.get();
        let Some(Ok(stats)) = reply.as_ref().map(|reply| reply.1.clone()) else {
            return ().into_any();
        };
        stats
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let action = DefaultSegment::from_name(&s.name)
                    .map_or(t.custom_segment_action, |d| d.action(lang));
                view! {
                    <tr data-segment=s.name.clone()>
                        <th scope="row">
                            <span class="swatch" style=format!("background: {}", css(model.colour(i)))></span>
                            {segment_label(&s.name, lang)}
                        </th>
                        <td class="num" data-testid="segment-customers">{format::count(lang, u64::from(s.customers))}</td>
                        <td class="num">{format::percent(lang, s.share)}</td>
                        <td class="num">{format::money(lang, s.revenue)}</td>
                        <td class="num">{format::percent(lang, s.revenue_share)}</td>
                        <td class="num">{format::money(lang, s.average_order_value)}</td>
                        <td class="num">{format::decimal(lang, s.mean_recency, 0)}</td>
                        <td class="num">{format::decimal(lang, s.mean_frequency, 1)}</td>
                        <td class="num">{format::money(lang, s.mean_monetary)}</td>
                        <td class="action">{action}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    // Vrai tant que les indicateurs affichés ne sont pas ceux de la grille.
    let busy = move || {
        let grid = model.with(|m| m.as_ref().map(|m| m.grid.clone()));
        let shown = state
            .segment_stats
            .with(|r| r.as_ref().map(|r| r.0.clone()));
        (grid != shown).to_string()
    };
    view! {
        <div class="table-scroll" tabindex="0">
            <table class="data segments" data-testid="segment-table" aria-busy=busy>
                <thead>
                    {move || {
                        let t = segmentation_texts(lang.get());
                        view! {
                            <tr>
                                <th scope="col">{t.col_segment}</th>
                                <th scope="col" class="num">{t.col_customers}</th>
                                <th scope="col" class="num">{t.col_share}</th>
                                <th scope="col" class="num">{t.col_revenue}</th>
                                <th scope="col" class="num">{t.col_revenue_share}</th>
                                <th scope="col" class="num">{t.col_aov}</th>
                                <th scope="col" class="num">{t.col_mean_r}</th>
                                <th scope="col" class="num">{t.col_mean_f}</th>
                                <th scope="col" class="num">{t.col_mean_m}</th>
                                <th scope="col">{t.col_action}</th>
                            </tr>
                        }
                    }}
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
