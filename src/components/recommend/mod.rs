//! Composants des recommandations : qualité mesurée, pour un produit, pour
//! un client, pour un segment.

pub mod customer;
pub mod product;
pub mod quality;
pub mod segment;

use leptos::prelude::*;
use panier_core::recommend::Recommendation;
use panier_core::Lang;

use crate::i18n::recommendations::recommendation_texts;

/// Une liste de recommandations avec leur justification.
pub fn recommendation_list(items: &[Recommendation], lang: Lang, testid: &'static str) -> AnyView {
    let t = recommendation_texts(lang);
    // Les prix des justifications dans la devise affichée.
    let currency =
        use_context::<crate::state::AppState>().and_then(|state| state.display_currency());
    if items.is_empty() {
        return view! { <p class="muted" data-testid=testid>{t.nothing}</p> }.into_any();
    }
    let rows = items
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <td class="num">{r.rank}</td>
                    <td>{r.item.clone()}</td>
                    <td class="why">{r.reason.text_in(lang, currency)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0">
        <table class="data compact" data-testid=testid>
            <thead><tr><th class="num">"#"</th><th>{t.col_item}</th><th>{t.col_why}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
        </div>
    }
    .into_any()
}
