//! Le périmètre actif, visible sur chaque vue : une pastille par filtre
//! (pays, période du filtre global ; segment et période des paniers), que
//! l'on retire d'un clic (×), et « Tout effacer ». Ainsi personne ne lit des
//! chiffres filtrés en les croyant ceux de tout le fichier.

use leptos::prelude::*;
use panier_core::rfm::segments::segment_label;
use panier_core::session::Scope;
use panier_core::Lang;

use crate::components::rfm::movement::date_only;
use crate::i18n::texts;
use crate::state::{AnalysisStatus, AppState};

/// Une période en mots : « du 2011-03-01 au 2011-08-31 », « depuis … »,
/// « jusqu'au … ».
fn period(lang: Lang, from: Option<i64>, to: Option<i64>) -> Option<String> {
    let (from, to) = (from.map(date_only), to.map(date_only));
    Some(match (lang, from, to) {
        (_, None, None) => return None,
        (Lang::Fr, Some(from), Some(to)) => format!("du {from} au {to}"),
        (Lang::Fr, Some(from), None) => format!("depuis le {from}"),
        (Lang::Fr, None, Some(to)) => format!("jusqu'au {to}"),
        (Lang::En, Some(from), Some(to)) => format!("{from} to {to}"),
        (Lang::En, Some(from), None) => format!("from {from}"),
        (Lang::En, None, Some(to)) => format!("until {to}"),
    })
}

/// Une pastille : son texte et ce que fait son ×.
fn chip(
    text: String,
    testid: &'static str,
    remove_label: &'static str,
    remove: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <li class="chip" data-testid=testid>
            <span>{text}</span>
            <button type="button" class="chip-remove" aria-label=remove_label title=remove_label
                on:click=move |_| remove()>"×"</button>
        </li>
    }
}

/// Les pastilles du périmètre ; `baskets` : aussi celles de l'analyse des
/// paniers (vue Recommandations).
#[component]
pub fn ScopeChips(lang: RwSignal<Lang>, #[prop(optional)] baskets: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let lang = lang.get();
        let t = texts(lang);
        if !state
            .analysis
            .with(|status| matches!(status, AnalysisStatus::Ready(_)))
        {
            return ().into_any();
        }
        let (country, from, to) = state
            .options
            .with(|o| (o.country.clone(), o.period_from, o.period_to));
        let mut chips = Vec::new();
        if let Some(name) = country.clone() {
            chips.push(
                chip(
                    format!("{} {name}", t.chip_country),
                    "chip-country",
                    t.chip_remove,
                    move || {
                        state.set_scope(Scope {
                            country: None,
                            from,
                            to,
                        })
                    },
                )
                .into_any(),
            );
        }
        if let Some(text) = period(lang, from, to) {
            let country = country.clone();
            chips.push(
                chip(
                    format!("{} {text}", t.chip_period),
                    "chip-period",
                    t.chip_remove,
                    move || {
                        state.set_scope(Scope {
                            country: country.clone(),
                            from: None,
                            to: None,
                        })
                    },
                )
                .into_any(),
            );
        }
        let global = !chips.is_empty();
        if baskets {
            if let Some(Ok(summary)) = state.baskets.get().as_deref() {
                let request = summary.request.clone();
                let segment = state.basket_segment.get();
                if let Some(name) = segment.clone() {
                    let request = request.clone();
                    chips.push(
                        chip(
                            format!("{} {}", t.chip_segment, segment_label(&name, lang)),
                            "chip-segment",
                            t.chip_remove,
                            move || {
                                let mut request = request.clone();
                                request.baskets.scope.customers = None;
                                state.mine_baskets(request, None);
                            },
                        )
                        .into_any(),
                    );
                }
                let scope = &request.baskets.scope;
                if let Some(text) = period(lang, scope.from, scope.to) {
                    chips.push(
                        chip(
                            format!("{} {text}", t.chip_basket_period),
                            "chip-basket-period",
                            t.chip_remove,
                            move || {
                                let mut request = request.clone();
                                request.baskets.scope.from = None;
                                request.baskets.scope.to = None;
                                state.mine_baskets(request, segment.clone());
                            },
                        )
                        .into_any(),
                    );
                }
            }
        }
        if chips.is_empty() {
            return ().into_any();
        }
        let clear_all = global.then(|| {
            view! {
                <li><button type="button" class="link" data-testid="chip-clear"
                    on:click=move |_| state.set_scope(Scope::default())>{t.chip_clear}</button></li>
            }
        });
        view! {
            <div class="scope-chips" data-testid="scope-chips">
                <span class="muted small">{t.chip_title}</span>
                <ul>{chips}{clear_all}</ul>
            </div>
        }
        .into_any()
    }
}
