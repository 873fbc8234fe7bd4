//! Le tableau de toutes les règles : recherche, antécédent ou conséquent
//! choisi, règles redondantes masquables, tri par colonne, pages. Les
//! règles restent dans le worker (il peut y en avoir un million) : la page
//! ne demande que celles qu'elle affiche.

use leptos::prelude::*;
use panier_core::basket::query::{RuleQuery, RuleSort};
use panier_core::Lang;

use super::measure;
use crate::format;
use crate::i18n::recommendations::recommendation_texts;
use crate::state::AppState;

/// Règles par page.
const PAGE_SIZE: usize = 25;

/// Le tableau des règles.
#[component]
pub fn RulesTable(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let query = RwSignal::new(RuleQuery {
        limit: PAGE_SIZE,
        ..Default::default()
    });
    // Chaque changement de la demande, ou une nouvelle analyse, redemande
    // la page au worker.
    Effect::new(move |_| {
        let q = query.get();
        if state
            .baskets
            .with(|b| b.as_ref().is_some_and(|b| b.is_ok()))
        {
            state.query_rules(q);
        }
    });
    // Les mesures de mlxtend au-delà de support, confiance et lift ne
    // parlent qu'aux analystes : cachées tant qu'on ne les demande pas.
    let advanced = RwSignal::new(false);
    let set = move |update: fn(&mut RuleQuery, String), value: String| {
        query.update(|q| {
            update(q, value);
            q.offset = 0;
        })
    };
    // En-tête triable : le bouton change le tri, `aria-sort` sur la cellule
    // d'en-tête dit aux lecteurs d'écran quelle colonne trie, et dans quel sens.
    let sort_header = move |sort: RuleSort, label: fn(Lang) -> &'static str| {
        let active = move || query.with(|q| q.sort == sort);
        let direction = move || match (active(), query.with(|q| q.ascending)) {
            (false, _) => "none",
            (true, true) => "ascending",
            (true, false) => "descending",
        };
        view! {
            <th scope="col" class="num" aria-sort=direction>
                <button class="sort" class:active=active data-sort=format!("{sort:?}")
                    on:click=move |_| query.update(|q| {
                        if q.sort == sort { q.ascending = !q.ascending } else { q.sort = sort; q.ascending = false }
                        q.offset = 0;
                    })>
                    {move || label(lang.get())}
                    <span aria-hidden="true">
                        {move || active().then(|| if query.with(|q| q.ascending) { " ↑" } else { " ↓" })}
                    </span>
                </button>
            </th>
        }
    };
    let rows = move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        let Some(page) = state.rules_page.get() else {
            return ().into_any();
        };
        let more = advanced.get();
        if page.rows.is_empty() {
            let columns = if more { "10" } else { "4" };
            return view! { <tr><td colspan=columns class="muted">{t.no_rule}</td></tr> }
                .into_any();
        }
        page.rows
            .iter()
            .map(|row| {
                let m = row.metrics;
                // Un bouton par article du conséquent, séparés comme dans une
                // phrase (« a, b et c ») : jamais collés l'un à l'autre.
                let count = row.consequents.len();
                let consequent_buttons = row
                    .consequents
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        let chosen = item.clone();
                        let separator = lang.list_separator(index, count);
                        view! {
                            <button class="link item" title=t.use_as_consequent
                                on:click=move |_| query.update(|q| { q.consequent = Some(chosen.clone()); q.offset = 0; })>
                                {item.clone()}
                            </button>
                            {separator}
                        }
                    })
                    .collect_view();
                view! {
                    <tr class:redundant=row.redundant>
                        <td class="rule">{lang.list(&row.antecedents)} " → " {consequent_buttons}</td>
                        <td class="num">{format::percent(lang, m.support)}</td>
                        <td class="num">{format::percent(lang, m.confidence)}</td>
                        <td class="num">{measure(lang, m.lift)}</td>
                        {more.then(|| view! {
                            <td class="num">{measure(lang, m.leverage)}</td>
                            <td class="num">{measure(lang, m.conviction)}</td>
                            <td class="num">{measure(lang, m.zhangs_metric)}</td>
                            <td class="num">{measure(lang, m.jaccard)}</td>
                            <td class="num">{measure(lang, m.certainty)}</td>
                            <td class="num">{measure(lang, m.kulczynski)}</td>
                        })}
                    </tr>
                }
            })
            .collect_view()
            .into_any()
    };
    let total = move || state.rules_page.with(|p| p.as_ref().map_or(0, |p| p.total));
    let pages = move || total().div_ceil(PAGE_SIZE).max(1);
    let current = move || query.with(|q| q.offset / PAGE_SIZE);
    view! {
        <div class="filters">
            <input type="search" data-testid="rule-search" placeholder=move || t().search
                on:input=move |e| set(|q, v| q.search = v, event_target_value(&e)) />
            <label>{move || t().antecedent_filter} " "
                <input type="text" data-testid="antecedent-filter" list="rule-items"
                    prop:value=move || query.with(|q| q.antecedent.clone().unwrap_or_default())
                    on:change=move |e| set(|q, v| q.antecedent = (!v.trim().is_empty()).then(|| v.trim().to_string()), event_target_value(&e)) />
            </label>
            <label>{move || t().consequent_filter} " "
                <input type="text" data-testid="consequent-filter" list="rule-items"
                    prop:value=move || query.with(|q| q.consequent.clone().unwrap_or_default())
                    on:change=move |e| set(|q, v| q.consequent = (!v.trim().is_empty()).then(|| v.trim().to_string()), event_target_value(&e)) />
            </label>
            // Suggestions des deux filtres : les articles des règles (le
            // navigateur les filtre pendant la frappe ; une partie du nom
            // suffit aussi sans choisir).
            <datalist id="rule-items">
                {move || state.baskets.with(|b| match b.as_deref() {
                    Some(Ok(summary)) => summary
                        .rule_items
                        .iter()
                        .map(|item| view! { <option value=item.clone()></option> })
                        .collect_view()
                        .into_any(),
                    _ => ().into_any(),
                })}
            </datalist>
            <label class="check">
                <input type="checkbox" data-testid="hide-redundant" prop:checked=move || query.with(|q| q.hide_redundant)
                    on:change=move |e| { let on = event_target_checked(&e); query.update(|q| { q.hide_redundant = on; q.offset = 0; }) } />
                {move || t().hide_redundant}
            </label>
            <label class="check">
                <input type="checkbox" data-testid="advanced-measures" prop:checked=advanced
                    on:change=move |e| advanced.set(event_target_checked(&e)) />
                {move || t().advanced_measures}
            </label>
        </div>
        <p class="muted small" data-testid="rules-legend">{move || t().rules_legend}</p>
        <p class="muted small" role="status" data-testid="rules-count">
            {move || state.rules_page.get().map(|p| {
                let lang = lang.get();
                format!("{} / {} {} · {} {}", format::count(lang, p.total as u64), format::count(lang, p.all as u64),
                    recommendation_texts(lang).rules_shown, format::count(lang, p.redundant as u64), recommendation_texts(lang).redundant_note)
            })}
        </p>
        <div class="table-scroll" tabindex="0">
            <table class="data rules" data-testid="rules-table">
                <thead>
                    <tr>
                        <th scope="col">{move || t().col_rule}</th>
                        {sort_header(RuleSort::Support, |l| recommendation_texts(l).col_support)}
                        {sort_header(RuleSort::Confidence, |l| recommendation_texts(l).col_confidence)}
                        {sort_header(RuleSort::Lift, |l| recommendation_texts(l).col_lift)}
                        {move || advanced.get().then(|| view! {
                            {sort_header(RuleSort::Leverage, |l| recommendation_texts(l).col_leverage)}
                            {sort_header(RuleSort::Conviction, |l| recommendation_texts(l).col_conviction)}
                            <th scope="col" class="num">{move || t().col_zhang}</th>
                            <th scope="col" class="num">{move || t().col_jaccard}</th>
                            <th scope="col" class="num">{move || t().col_certainty}</th>
                            <th scope="col" class="num">{move || t().col_kulczynski}</th>
                        })}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="pager">
            <button class="button" data-testid="rules-previous" prop:disabled=move || current() == 0
                on:click=move |_| query.update(|q| q.offset = q.offset.saturating_sub(PAGE_SIZE))>
                "‹"
            </button>
            <span data-testid="rules-page">{move || format!("{} / {}", current() + 1, pages())}</span>
            <button class="button" data-testid="rules-next" prop:disabled=move || { current() + 1 >= pages() }
                on:click=move |_| query.update(|q| q.offset += PAGE_SIZE)>
                "›"
            </button>
        </div>
    }
}
