//! Les meilleures associations, dites en mots qu'un responsable marketing lit.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::basket::analysis::BasketSummary;
use panier_core::Lang;

use super::item_list;
use crate::format;
use crate::i18n::recommendations::recommendation_texts;

/// Les dix règles de plus fort lift (sans redondantes), en phrases.
#[component]
pub fn TopRules(summary: Arc<BasketSummary>, lang: RwSignal<Lang>) -> impl IntoView {
    move || {
        let lang = lang.get();
        let t = recommendation_texts(lang);
        if summary.top.is_empty() {
            return view! { <p class="muted">{t.top_empty}</p> }.into_any();
        }
        let cards = summary
            .top
            .iter()
            .enumerate()
            .map(|(rank, rule)| {
                let a = item_list(&rule.antecedents, lang);
                let c = item_list(&rule.consequents, lang);
                let m = rule.metrics;
                let sep = match lang {
                    Lang::Fr => " ; ",
                    Lang::En => "; ",
                };
                view! {
                    <li class="rule-card" data-testid="top-rule">
                        <p class="rule-title">
                            <span class="rank">{rank + 1}</span>
                            <strong>{a.clone()}</strong> " → " <strong>{c.clone()}</strong>
                        </p>
                        <p class="rule-words">
                            {format::percent(lang, m.support)} " " {t.together} " " {a.clone()} " + " {c.clone()} {sep}
                            {format::percent(lang, m.confidence)} " " {t.of_orders_with} " " {a.clone()} " " {t.also_contain} " " {c.clone()} {sep}
                            <strong>{format::decimal(lang, m.lift, 1)} "×"</strong> " " {t.times_chance} "."
                        </p>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="rule-cards">{cards}</ol> }.into_any()
    }
}
