//! Langue des messages destinés à l'utilisateur.
//!
//! Le cœur produit ses messages d'erreur dans les deux langues de
//! l'interface ; l'application et l'outil en ligne de commande choisissent.

use serde::{Deserialize, Serialize};

/// L'interface où un message s'affiche : ses renvois nomment les réglages de
/// cette interface (voir [`crate::error::PanierError::message_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Surface {
    /// L'application web : étapes, options et boutons.
    #[default]
    App,
    /// La ligne de commande : ses options (`--map`, `--delimiter`…).
    Cli,
}

/// Langue d'affichage : français ou anglais.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Français, langue d'origine du projet.
    #[default]
    Fr,
    /// Anglais.
    En,
}

impl Lang {
    /// Code BCP 47 de la langue (`fr`, `en`), pour l'attribut `lang` du document.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Reconnaît un code de langue du navigateur (`fr-FR`, `en-GB`…) ; `None`
    /// pour une langue que Panier ne parle pas.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Une liste dite comme une phrase : « a, b et c » / « a, b and c ».
    pub fn list(self, items: &[String]) -> String {
        let mut text = String::new();
        for (index, item) in items.iter().enumerate() {
            text.push_str(item);
            text.push_str(self.list_separator(index, items.len()));
        }
        text
    }

    /// Ce qui suit l'élément `index` d'une liste de `len` éléments dite comme
    /// une phrase : « , » puis « et » avant le dernier, rien après lui (le
    /// même découpage pour un texte, [`Lang::list`], et pour des boutons).
    pub fn list_separator(self, index: usize, len: usize) -> &'static str {
        match (len.saturating_sub(index), self) {
            (0 | 1, _) => "",
            (2, Lang::Fr) => " et ",
            (2, Lang::En) => " and ",
            _ => ", ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_codes_are_recognised() {
        assert_eq!(Lang::from_code("fr-FR"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de-DE"), None);
        assert_eq!(Lang::from_code(""), None);
    }

    #[test]
    fn lists_read_as_sentences() {
        let items = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        assert_eq!(Lang::Fr.list(&items(&[])), "");
        assert_eq!(Lang::Fr.list(&items(&["a"])), "a");
        assert_eq!(Lang::Fr.list(&items(&["a", "b"])), "a et b");
        assert_eq!(Lang::En.list(&items(&["a", "b", "c"])), "a, b and c");
    }
}
