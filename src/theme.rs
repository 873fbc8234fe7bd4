//! Thème clair ou sombre. Par défaut, Panier suit le réglage du système
//! (`prefers-color-scheme`, dans la feuille de style) ; l'utilisateur peut
//! imposer l'un ou l'autre avec le sélecteur de l'en-tête, et une page hôte
//! avec `?theme=light|dark|auto` dans l'adresse.
//!
//! Le thème choisi est posé en attribut `data-theme` sur `<html>` : toutes les
//! couleurs de `style/main.css` sont des propriétés CSS (`--ink`, `--paper`…)
//! que cet attribut redéfinit. Une page qui intègre Panier peut aussi les
//! redéfinir.

use panier_core::Lang;

use crate::page;

/// Clé du stockage local où le choix de thème est mémorisé (seulement après
/// un clic sur le sélecteur, comme la langue).
const STORAGE_KEY: &str = "panier.theme";

/// Thème de l'interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Celui du système (`prefers-color-scheme`).
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// Les trois choix, dans l'ordre du sélecteur.
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];

    /// Code stable (adresse, stockage, attribut `data-theme`).
    pub fn code(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Lit un code ; `None` pour tout autre texte.
    pub fn from_code(code: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|theme| theme.code() == code)
    }

    /// Nom du thème dans la langue de l'interface.
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Fr, Theme::Auto) => "Automatique",
            (Lang::Fr, Theme::Light) => "Clair",
            (Lang::Fr, Theme::Dark) => "Sombre",
            (Lang::En, Theme::Auto) => "Automatic",
            (Lang::En, Theme::Light) => "Light",
            (Lang::En, Theme::Dark) => "Dark",
        }
    }
}

/// Thème au chargement : celui de l'adresse (`?theme=`), sinon celui que
/// l'utilisateur a choisi sur cet appareil, sinon celui du système.
pub fn initial_theme() -> Theme {
    page::url_param("theme")
        .and_then(|code| Theme::from_code(&code))
        .or_else(|| page::stored(STORAGE_KEY).and_then(|code| Theme::from_code(&code)))
        .unwrap_or(Theme::Auto)
}

/// Pose le thème sur `<html>` (`data-theme`, absent pour « automatique »).
pub fn apply_theme(theme: Theme) {
    let Some(root) = page::root() else {
        return;
    };
    let _ = match theme {
        Theme::Auto => root.remove_attribute("data-theme"),
        other => root.set_attribute("data-theme", other.code()),
    };
}

/// Mémorise le thème que l'utilisateur vient de choisir (rien sans ce geste ;
/// « Tout oublier » l'efface avec les autres clés `panier.`).
pub fn remember_theme(theme: Theme) {
    page::store(STORAGE_KEY, theme.code());
}
