//! Vues encore à construire : elles disent honnêtement ce qui arrive.

use leptos::prelude::*;

use crate::i18n::texts;
use crate::state::AppState;

/// Recommandations (à venir).
#[component]
pub fn RecommendationsPage() -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    view! {
        <section class="page">
            <h1>{move || texts(lang.get()).recommendations_title}</h1>
            <p class="muted">{move || texts(lang.get()).recommendations_soon}</p>
        </section>
    }
}
