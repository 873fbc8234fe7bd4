//! Les meilleures associations, dites en mots qu'un responsable marketing lit.
//!
//! Le cœur les a déjà choisies ([`panier_core::basket::query::insights`]) :
//! une par ensemble d'articles (A → B et B → A ne font qu'une), aucune paire
//! d'articles répétée, chacune dans son sens le plus sûr. Ce composant ne
//! fait que les dire : la phrase, l'autre sens, et pourquoi c'est important.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::basket::analysis::BasketSummary;
use panier_core::basket::query::{Insight, RuleRow};
use panier_core::Lang;

use crate::format;
use crate::i18n::recommendations::recommendation_texts;

/// « 62 % des commandes avec A contiennent aussi B ».
fn confidence_sentence(lang: Lang, rule: &RuleRow) -> String {
    let t = recommendation_texts(lang);
    format!(
        "{} {} {} {} {}",
        format::percent(lang, rule.metrics.confidence),
        t.of_orders_with,
        lang.list(&rule.antecedents),
        t.also_contain,
        lang.list(&rule.consequents)
    )
}

/// Ce que vaut l'association : combien de commandes contiennent
/// l'antécédent, et combien de fois de plus que le hasard le conséquent s'y
/// trouve — puis quoi faire.
fn why_it_matters(lang: Lang, insight: &Insight) -> String {
    let a = lang.list(&insight.rule.antecedents);
    let c = lang.list(&insight.rule.consequents);
    let reach = u64::from(insight.reach);
    let extra = insight.extra_orders.round().max(0.0) as u64;
    match lang {
        Lang::Fr => format!(
            "{a} est dans {}\u{a0}; {c} y apparaît dans ≈\u{a0}{} de plus que par hasard. À \
             proposer ensemble.",
            format::counted(lang, reach, "commande", "commandes"),
            format::counted(lang, extra, "commande", "commandes"),
        ),
        Lang::En => format!(
            "{a} is in {}; {c} appears in ≈\u{a0}{} more of them than chance would give. \
             Suggest them together.",
            format::counted(lang, reach, "order", "orders"),
            format::count(lang, extra),
        ),
    }
}

/// Les dix associations, sans miroirs ni paires répétées, en phrases.
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
            .map(|(rank, insight)| {
                let rule = &insight.rule;
                let a = lang.list(&rule.antecedents);
                let c = lang.list(&rule.consequents);
                let m = rule.metrics;
                let sep = match lang {
                    Lang::Fr => "\u{a0}; ",
                    Lang::En => "; ",
                };
                let other = insight.others.first().map(|other| {
                    // « Dans l'autre sens » seulement pour l'exact inverse
                    // (B → A de A → B) ; dans un trio, AC → B n'est qu'une
                    // autre lecture de AB → C.
                    let reverse = other.antecedents == rule.consequents
                        && other.consequents == rule.antecedents;
                    let lead = if reverse { t.other_way } else { t.other_reading };
                    view! {
                        <p class="rule-words" data-testid="top-rule-other">
                            {lead} " " {confidence_sentence(lang, other)} "."
                        </p>
                    }
                });
                // Tous les articles en une liste : « à la fois A, B et C » (et
                // non « A et B et C ») ; « all of » au-delà de deux en anglais.
                let all: Vec<String> = rule
                    .antecedents
                    .iter()
                    .chain(&rule.consequents)
                    .cloned()
                    .collect();
                let together_items = lang.list(&all);
                let together_lead = if all.len() > 2 { t.together_all } else { t.together };
                let mut items: Vec<&str> = rule
                    .antecedents
                    .iter()
                    .chain(&rule.consequents)
                    .map(String::as_str)
                    .collect();
                items.sort_unstable();
                let items = items.join("\u{1f}");
                view! {
                    <li class="rule-card" data-testid="top-rule" data-items=items>
                        <p class="rule-title">
                            <span class="rank">{rank + 1}</span>
                            <strong>{a.clone()}</strong> " → " <strong>{c.clone()}</strong>
                        </p>
                        <p class="rule-words">
                            {format::percent(lang, m.support)} " " {together_lead} " " {together_items} {sep}
                            {confidence_sentence(lang, rule)} {sep}
                            <strong>{format::decimal(lang, m.lift, 1)}</strong> " " {t.times_chance} "."
                        </p>
                        {other}
                        <p class="rule-why" data-testid="top-rule-why">
                            <strong>{t.why_it_matters}</strong> " " {why_it_matters(lang, insight)}
                        </p>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="rule-cards">{cards}</ol> }.into_any()
    }
}
