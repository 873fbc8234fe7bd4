//! Recommandations pour un segment : ses meilleures ventes, une idée de
//! campagne, et ses associations (analyse des paniers dans le segment).

use leptos::prelude::*;
use panier_core::rfm::segments::{segment_label, DefaultSegment};
use panier_core::Lang;

use crate::format;
use crate::i18n::recommendations::recommendation_texts;
use crate::state::AppState;
use crate::worker::protocol::RecommendRequest;
use panier_core::session::SegmentChoice;

/// Choix d'un segment et ce qu'on lui propose.
#[component]
pub fn SegmentRecommendations(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let choose = move |segment: String| {
        if segment.is_empty() {
            return;
        }
        state.selected_segment.set(Some(segment.clone()));
        state.recommend(RecommendRequest::Segment(SegmentChoice {
            name: segment,
            grid: state.grid.get_untracked(),
        }));
    };
    let mine_segment = move |segment: String| {
        let mut request = state
            .baskets
            .with_untracked(|b| {
                b.as_ref()
                    .and_then(|b| b.as_ref().as_ref().ok().map(|s| s.request.clone()))
            })
            .unwrap_or_else(|| state.options.with_untracked(|o| o.basket_request()));
        request.baskets.scope.customers = None;
        state.mine_baskets(request, Some(segment));
        // Le résultat se lit avec les autres associations.
        crate::route::navigate_tab(crate::route::RecoTab::Associations);
    };
    let result = move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        let response = state.segment_advice.get()?;
        let segment = &response.segment;
        let campaign = DefaultSegment::from_name(segment).map(|s| s.action(lang));
        let rows = response
            .best_sellers
            .iter()
            .enumerate()
            .map(|(i, (item, buyers))| view! {
                <tr><td class="num">{i + 1}</td><td>{item.clone()}</td><td class="num">{format::count(lang, u64::from(*buyers))}</td></tr>
            })
            .collect_view();
        let chosen = segment.clone();
        Some(view! {
            <div data-segment=segment.clone()>
                {campaign.map(|c| view! { <p><strong>{t.segment_campaign} " : "</strong> {c}</p> })}
                <h3>{t.segment_best}</h3>
                <div class="table-scroll" tabindex="0">
                <table class="data compact" data-testid="segment-best-sellers">
                    <thead><tr><th class="num">"#"</th><th>{t.col_item}</th><th class="num">{t.col_buyers}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                </div>
                <button class="button" data-testid="segment-mine" on:click=move |_| mine_segment(chosen.clone())>{t.segment_rules}</button>
            </div>
        })
    };
    let options = move || {
        let lang = lang.get();
        state
            .grid
            .with(|g| g.segment_names())
            .into_iter()
            .map(|name| {
                let label = segment_label(&name, lang);
                view! { <option value=name>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="filters">
            <select data-testid="recommend-segment" aria-label=move || t().segment_title on:change=move |e| choose(event_target_value(&e))>
                <option value="">"—"</option>
                {options}
            </select>
            <span class="muted small">{move || t().segment_title}</span>
        </div>
        {result}
    }
}
