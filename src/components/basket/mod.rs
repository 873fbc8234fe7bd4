//! Composants de la page des recommandations : réglages de la recherche,
//! meilleures associations, tableau des règles, graphiques.

pub mod charts;
pub mod rules_table;
pub mod settings;
pub mod top_rules;

use panier_core::Lang;

use crate::format;

/// Un nombre de mesure : 3 décimales, « ∞ » pour l'infini.
pub fn measure(lang: Lang, value: f64) -> String {
    if value.is_infinite() {
        "∞".into()
    } else {
        format::decimal(lang, value, 3)
    }
}
