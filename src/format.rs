//! Mise en forme des nombres selon la langue : « 541 909 » en français,
//! « 541,909 » en anglais.

use panier_core::Lang;

pub use panier_core::numbers::{
    amount, colon, count, counted, day_label, decimal, moment_label, month_label, month_span,
    month_tick, percent, percent_with, plural, short, times,
};

/// Montant dans la devise affichée : celle choisie par l'utilisateur
/// (réglages), sinon celle devinée du fichier, sinon aucune. Lue dans
/// l'état de l'application : appelée dans une vue, elle la redessine quand
/// la devise change.
pub fn money(lang: Lang, value: f64) -> String {
    panier_core::numbers::money(lang, value, displayed_currency())
}

/// Montant court (axes, étiquettes) dans la devise affichée.
pub fn money_short(lang: Lang, value: f64) -> String {
    panier_core::numbers::money_short(lang, value, displayed_currency())
}

/// La devise affichée ([`crate::state::AppState::display_currency`]), lue
/// dans le contexte de la vue ; aucune hors d'une vue.
fn displayed_currency() -> Option<panier_core::numbers::Currency> {
    leptos::prelude::use_context::<crate::state::AppState>()
        .and_then(|state| state.display_currency())
}

/// Durée en millisecondes, lisible.
pub fn duration_ms(lang: Lang, ms: f64) -> String {
    if ms >= 1000.0 {
        let seconds = format!("{:.2}", ms / 1000.0);
        match lang {
            Lang::Fr => format!("{} s", seconds.replace('.', ",")),
            Lang::En => format!("{seconds} s"),
        }
    } else {
        format!("{} ms", ms.round())
    }
}

/// Taille de fichier en Mo / MB.
pub fn megabytes(lang: Lang, bytes: u64) -> String {
    let value = format!("{:.1}", bytes as f64 / 1_000_000.0);
    match lang {
        Lang::Fr => format!("{} Mo", value.replace('.', ",")),
        Lang::En => format!("{value} MB"),
    }
}
