//! La section « Méthode / Method » d'une vue : repliée, elle garde pour qui
//! la cherche ce qui parle aux analystes (quintiles comme pandas, mesures de
//! mlxtend, durées de calcul) ; le reste de la vue parle aux responsables
//! marketing. Un test vérifie qu'aucun de ces mots ne paraît ailleurs.

use leptos::prelude::*;
use panier_core::Lang;

use crate::i18n::texts;

/// Une section « Méthode » repliée, au contenu donné.
#[component]
pub fn Method(
    lang: RwSignal<Lang>,
    #[prop(into)] testid: String,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="method" data-testid=testid>
            <summary>{move || texts(lang.get()).method_title}</summary>
            <div class="method-body">{children()}</div>
        </details>
    }
}
