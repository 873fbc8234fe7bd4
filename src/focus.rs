//! Où va le focus du clavier : au titre d'une vue qui s'affiche, dans une
//! fiche qui s'ouvre, et de retour à ce qui l'a ouverte quand elle se ferme.
//! Un lecteur d'écran annonce ce qui reçoit le focus ; Tab repart de là.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// Donne le focus au premier élément qui répond à `selector`, rendu
/// focalisable par programme s'il ne l'est pas (`tabindex=-1` : il n'entre
/// pas dans l'ordre de Tab). Rend `false` si rien ne répond.
pub fn focus_selector(selector: &str) -> bool {
    let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.query_selector(selector).ok().flatten())
    else {
        return false;
    };
    if !element.has_attribute("tabindex") {
        let _ = element.set_attribute("tabindex", "-1");
    }
    match element.dyn_into::<HtmlElement>() {
        Ok(element) => element.focus().is_ok(),
        Err(_) => false,
    }
}

/// Même chose au prochain tour de la boucle d'événements : le temps que la
/// vue qui vient de changer soit dans le document.
pub fn focus_soon(selector: &'static str) {
    crate::worker::browser::after_ms(0, move || {
        focus_selector(selector);
    });
}

/// Au prochain tour : fait défiler la page pour que `block` commence en haut
/// de l'écran, puis donne le focus à `heading` — une fiche qui s'ouvre sous
/// le bas de l'écran se montre entière au lieu d'y rester cachée.
pub fn reveal_soon(block: &'static str, heading: &'static str) {
    crate::worker::browser::after_ms(0, move || {
        if let Some(element) = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.query_selector(block).ok().flatten())
        {
            element.scroll_into_view_with_bool(true);
        }
        focus_selector(heading);
    });
}

/// L'élément qui a le focus, s'il y en a un autre que `<body>`.
pub fn active_element() -> Option<HtmlElement> {
    let document = web_sys::window()?.document()?;
    let active = document.active_element()?;
    if document.body().is_some_and(|body| *body == active) {
        return None;
    }
    active.dyn_into::<HtmlElement>().ok()
}

/// Rend le focus à `element` s'il est encore dans le document ; sinon à
/// `fallback` (un sélecteur).
pub fn restore_focus(element: Option<HtmlElement>, fallback: &str) {
    match element.filter(|element| element.is_connected()) {
        Some(element) => {
            let _ = element.focus();
        }
        None => {
            focus_selector(fallback);
        }
    }
}

/// Au prochain tour : fait défiler horizontalement la barre `.nav` (une
/// ligne qui défile sur téléphone) pour que la vue active y soit visible,
/// sans bouger la page.
pub fn reveal_active_nav_soon() {
    crate::worker::browser::after_ms(0, || {
        let Some(document) = web_sys::window().and_then(|window| window.document()) else {
            return;
        };
        let (Some(nav), Some(active)) = (
            document.query_selector(".nav").ok().flatten(),
            document.query_selector(".nav a.active").ok().flatten(),
        ) else {
            return;
        };
        let (bar, link) = (
            nav.get_bounding_client_rect(),
            active.get_bounding_client_rect(),
        );
        if link.left() < bar.left() || link.right() > bar.right() {
            let offset = link.left() - bar.left() + f64::from(nav.scroll_left());
            nav.set_scroll_left((offset - 16.0).max(0.0) as i32);
        }
    });
}
