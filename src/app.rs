//! Coquille de l'application : lien d'évitement, en-tête, navigation,
//! sélecteurs de thème et de langue, et la vue courante.

use leptos::ev;
use leptos::prelude::*;
use panier_core::Lang;

use crate::focus;
use crate::i18n::{apply_lang, initial_lang, remember_lang, texts};
use crate::pages::import::ImportPage;
use crate::pages::overview::OverviewPage;
use crate::pages::privacy::PrivacyPage;
use crate::pages::recommendations::RecommendationsPage;
use crate::pages::segmentation::SegmentationPage;
use crate::route::{current_tab, current_view, View};
use crate::state::AppState;
use crate::theme::{apply_theme, remember_theme, Theme};

/// Racine de l'application.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new(initial_lang(), current_view());
    // Réglages mémorisés sur cet appareil (seulement si l'utilisateur l'a
    // demandé) : ceux de l'interface dès le départ.
    crate::components::settings::restore_remembered(state);
    // Puis ceux d'un lien partagé (`?settings=`), qui l'emportent ; et
    // l'adresse suit ensuite les réglages.
    if let Some(outcome) = crate::components::settings::restore_from_url(state) {
        state.settings_outcome.set(Some(outcome));
    }
    crate::components::settings::persist_settings(state);
    // Intégrée dans un portail (`?embed=ORIGINE`) : l'API postMessage.
    crate::embed::install(state);
    provide_context(state);
    // La vue suit le fragment de l'URL : liens, boutons précédent/suivant et
    // rechargement donnent tous la même vue.
    // Seulement ce qui change : une vue remise à la même valeur serait
    // reconstruite (et un changement d'onglet ne doit pas rebâtir la page).
    let _ = window_event_listener(ev::hashchange, move |_| {
        let (view, tab) = (current_view(), current_tab());
        if state.view.get_untracked() != view {
            state.view.set(view);
        }
        if state.reco_tab.get_untracked() != tab {
            state.reco_tab.set(tab);
        }
    });
    Effect::new(move |_| apply_lang(state.lang.get()));
    Effect::new(move |_| apply_theme(state.theme.get()));
    // Après un changement de vue, le focus va à son titre : un lecteur
    // d'écran annonce la nouvelle vue, et Tab repart de son début. Pas au
    // premier affichage (le focus reste où le navigateur le met).
    Effect::new(move |previous: Option<View>| {
        let view = state.view.get();
        if previous.is_some_and(|previous| previous != view) {
            focus::focus_soon("main h1");
        }
        // Sur téléphone, la barre des vues défile : la vue active s'y voit.
        focus::reveal_active_nav_soon();
        view
    });
    // Le worker se charge avec la page : une analyse lancée plus tard (même
    // hors ligne) ne dépend d'aucun téléchargement.
    state.prepare_worker();

    view! {
        <div class="shell" data-worker=move || format!("{:?}", state.worker.get())>
            // Lien d'évitement : le premier arrêt de Tab mène au titre de la
            // vue. Il ne suit pas son `href` : le fragment de l'adresse
            // désigne la vue.
            <a
                class="skip-link"
                href="#main"
                data-testid="skip-link"
                on:click=move |event| {
                    event.prevent_default();
                    focus::focus_selector("main h1");
                }
            >
                {move || texts(state.lang.get()).skip_to_content}
            </a>
            <Header />
            <main class="content" id="main">
                // Un fichier refusé pendant une analyse : dit au-dessus de la
                // vue, quelle qu'elle soit (l'analyse en cours, une fois
                // finie, ouvre la vue d'ensemble : le message y reste, jusqu'à
                // la prochaine analyse).
                {move || state.refused_file.get().map(|name| view! {
                    <p class="warning-text" role="alert" data-testid="file-refused">
                        "« " {name} " » " {texts(state.lang.get()).busy_refused}
                    </p>
                })}
                {move || match state.view.get() {
                    View::Import => view! { <ImportPage /> }.into_any(),
                    View::Overview => view! { <OverviewPage /> }.into_any(),
                    View::Segmentation => view! { <SegmentationPage /> }.into_any(),
                    View::Recommendations => view! { <RecommendationsPage /> }.into_any(),
                    View::Privacy => view! { <PrivacyPage /> }.into_any(),
                }}
            </main>
            <footer class="footer">{move || texts(state.lang.get()).footer}</footer>
        </div>
    }
}

/// En-tête : marque, navigation entre les vues, choix de la langue.
#[component]
pub fn Header() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    view! {
        <header class="header">
            <div class="brand">
                <img src="public/favicon.svg" alt="" width="32" height="32" />
                <div>
                    <span class="brand-name">"Panier"</span>
                    <span class="brand-tagline">{move || texts(lang.get()).tagline}</span>
                </div>
            </div>
            <nav class="nav" aria-label=move || texts(lang.get()).nav_label>
                {View::ALL
                    .into_iter()
                    .map(|view| {
                        let current = move || state.view.get() == view;
                        view! {
                            <a
                                href=view.href()
                                class:active=current
                                aria-current=move || current().then_some("page")
                                data-view=view.slug()
                            >
                                {move || view.label(lang.get())}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <ThemeSwitch />
            <LanguageSwitch />
        </header>
    }
}

/// Boutons FR / EN ; le choix est mémorisé.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = expect_context::<AppState>().lang;
    let button = move |choice: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                class:active=move || lang.get() == choice
                aria-pressed=move || (lang.get() == choice).to_string()
                lang=choice.code()
                on:click=move |_| {
                    lang.set(choice);
                    remember_lang(choice);
                }
            >
                {label}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || texts(lang.get()).language_label>
            {button(Lang::Fr, "FR")}
            {button(Lang::En, "EN")}
        </div>
    }
}

/// Choix du thème : automatique (celui du système), clair ou sombre ; le
/// choix est mémorisé.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    view! {
        <select
            class="theme-switch"
            data-testid="theme-switch"
            aria-label=move || texts(lang.get()).theme_label
            on:change=move |event| {
                if let Some(theme) = Theme::from_code(&event_target_value(&event)) {
                    state.theme.set(theme);
                    remember_theme(theme);
                }
            }
        >
            {Theme::ALL
                .into_iter()
                .map(|theme| {
                    view! {
                        <option value=theme.code() selected=move || state.theme.get() == theme>
                            {move || theme.label(lang.get())}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
