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
}
