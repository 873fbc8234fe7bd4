//! Composants de la page des recommandations : réglages de la recherche,
//! meilleures associations, tableau des règles, graphiques.

pub mod charts;
pub mod rules_table;
pub mod settings;
pub mod top_rules;

use panier_core::Lang;

use crate::format;

/// Liste d'articles lisible : « a, b et c » / « a, b and c ».
pub fn item_list(items: &[String], lang: Lang) -> String {
    let last = match lang {
        Lang::Fr => " et ",
        Lang::En => " and ",
    };
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., tail] => format!("{}{last}{tail}", init.join(", ")),
    }
}

/// Un nombre de mesure : 3 décimales, « ∞ » pour l'infini.
pub fn measure(lang: Lang, value: f64) -> String {
    if value.is_infinite() {
        "∞".into()
    } else {
        format::decimal(lang, value, 3)
    }
}
