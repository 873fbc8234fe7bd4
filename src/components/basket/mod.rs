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
    let mut text = String::new();
    for (index, item) in items.iter().enumerate() {
        text.push_str(item);
        text.push_str(list_separator(lang, index, items.len()));
    }
    text
}

/// Ce qui suit l'élément `index` d'une liste de `len` éléments dite comme
/// une phrase : « , » puis « et » avant le dernier, rien après lui (le même
/// découpage pour un texte, [`item_list`], et pour des boutons).
pub fn list_separator(lang: Lang, index: usize, len: usize) -> &'static str {
    match (len.saturating_sub(index), lang) {
        (0 | 1, _) => "",
        (2, Lang::Fr) => " et ",
        (2, Lang::En) => " and ",
        _ => ", ",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        let items = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(item_list(&items(&[]), Lang::Fr), "");
        assert_eq!(item_list(&items(&["a"]), Lang::Fr), "a");
        assert_eq!(item_list(&items(&["a", "b"]), Lang::Fr), "a et b");
        assert_eq!(item_list(&items(&["a", "b", "c"]), Lang::En), "a, b and c");
    }
}
