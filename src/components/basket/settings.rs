//! Réglages de la recherche des associations : support, taille, filtres des
//! règles, article, algorithme, périmètre (segment RFM, période), articles
//! retirés ; lancer et annuler.

use leptos::prelude::*;
use panier_core::basket::analysis::BasketRequest;
use panier_core::basket::mining::{Algorithm, MinSupport};
use panier_core::basket::{BasketScope, ItemKey};
use panier_core::rfm::parse_snapshot;
use panier_core::rfm::segments::segment_label;
use panier_core::Lang;

use crate::i18n::recommendations::recommendation_texts;
use crate::state::AppState;

/// Le texte d'un nombre pour un champ de saisie (sans zéros inutiles).
fn field(value: f64) -> String {
    let text = format!("{value:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Lit un nombre saisi (virgule ou point décimal).
fn number(text: &str) -> Option<f64> {
    text.trim().replace(',', ".").parse().ok()
}

/// Le formulaire des réglages.
#[component]
pub fn BasketSettings(request: BasketRequest, lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let t = move || recommendation_texts(lang.get());
    let support = RwSignal::new(match request.mining.min_support {
        MinSupport::Fraction(f) => field(f * 100.0),
        MinSupport::Count(_) => "2".into(),
    });
    let max_len = RwSignal::new(
        request
            .mining
            .max_len
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let confidence = RwSignal::new(field(request.rules.min_confidence * 100.0));
    let lift = RwSignal::new(field(request.rules.min_lift));
    let item = RwSignal::new(request.baskets.item);
    let algorithm = RwSignal::new(request.mining.algorithm);
    let segment = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let drop_items = RwSignal::new(request.baskets.drop_items.join(", "));
    let base = StoredValue::new(request);

    // Segments proposés : ceux de la grille courante.
    let segments = move || state.grid.with(|grid| grid.segment_names());
    let run = move |_| {
        let mut request = base.get_value();
        request.mining.min_support =
            MinSupport::Fraction(number(&support.get_untracked()).unwrap_or(2.0) / 100.0);
        request.mining.max_len = max_len.get_untracked().trim().parse().ok();
        request.mining.algorithm = algorithm.get_untracked();
        request.rules.min_confidence = number(&confidence.get_untracked()).unwrap_or(0.0) / 100.0;
        request.rules.min_lift = number(&lift.get_untracked()).unwrap_or(1.0);
        request.baskets.item = item.get_untracked();
        request.baskets.drop_items = drop_items
            .get_untracked()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let wanted = segment.get_untracked();
        request.baskets.scope = BasketScope {
            customers: None,
            from: parse_snapshot(&from.get_untracked()).ok(),
            to: parse_snapshot(&to.get_untracked()).ok(),
        };
        state.mine_baskets(request, (!wanted.is_empty()).then_some(wanted));
    };
    let busy = move || state.mining.get().is_some();
    let input = |value: RwSignal<String>, testid: &'static str, kind: &'static str| {
        view! {
            <input type=kind inputmode="decimal" data-testid=testid prop:value=value
                on:input=move |e| value.set(event_target_value(&e)) />
        }
    };
    view! {
        <div class="panel basket-settings" data-testid="basket-settings">
            <div class="fields">
                <label class="field">{move || t().min_support} {input(support, "min-support", "text")}</label>
                <label class="field">{move || t().max_len}
                    <input type="number" min="1" data-testid="max-len" prop:value=max_len
                        placeholder=move || t().no_limit on:input=move |e| max_len.set(event_target_value(&e)) />
                </label>
                <label class="field">{move || t().min_confidence} {input(confidence, "min-confidence", "text")}</label>
                <label class="field">{move || t().min_lift} {input(lift, "min-lift", "text")}</label>
                <label class="field">{move || t().item_key}
                    <select data-testid="item-key" on:change=move |e| item.set(if event_target_value(&e) == "code" { ItemKey::StockCode } else { ItemKey::Description })>
                        <option value="description" selected=move || item.get() == ItemKey::Description>{move || t().item_description}</option>
                        <option value="code" selected=move || item.get() == ItemKey::StockCode>{move || t().item_stock_code}</option>
                    </select>
                </label>
                <label class="field">{move || t().algorithm}
                    <select data-testid="algorithm" on:change=move |e| algorithm.set(match event_target_value(&e).as_str() {
                        "apriori" => Algorithm::Apriori,
                        "fpgrowth" => Algorithm::FpGrowth,
                        "eclat" => Algorithm::Eclat,
                        _ => Algorithm::Auto,
                    })>
                        <option value="auto">{move || t().algorithm_auto}</option>
                        <option value="apriori">"Apriori"</option>
                        <option value="fpgrowth">"FP-growth"</option>
                        <option value="eclat">"Eclat"</option>
                    </select>
                </label>
                <label class="field">{move || t().scope_segment}
                    <select data-testid="scope-segment" on:change=move |e| segment.set(event_target_value(&e))>
                        <option value="">{move || t().scope_all}</option>
                        {move || segments().into_iter().map(|name| {
                            let label = segment_label(&name, lang.get());
                            view! { <option value=name>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">{move || t().scope_from}
                    <input type="date" data-testid="scope-from" prop:value=from on:change=move |e| from.set(event_target_value(&e)) />
                </label>
                <label class="field">{move || t().scope_to}
                    <input type="date" data-testid="scope-to" prop:value=to on:change=move |e| to.set(event_target_value(&e)) />
                </label>
                <label class="field">{move || t().drop_items}
                    <input type="text" data-testid="drop-items" prop:value=drop_items
                        placeholder=move || t().drop_items_hint on:input=move |e| drop_items.set(event_target_value(&e)) />
                </label>
            </div>
            <button class="button primary" data-testid="mine" prop:disabled=busy on:click=run>
                {move || if busy() { t().running } else { t().run }}
            </button>
            {move || busy().then(|| view! {
                " " <button class="button" data-testid="cancel-mining" on:click=move |_| state.cancel_mining()>{t().cancel}</button>
            })}
        </div>
    }
}
