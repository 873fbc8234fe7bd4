//! Les vues de l'application et leurs adresses.
//!
//! Chaque vue a une adresse stable dans le fragment de l'URL (`#/overview`) :
//! elle se partage, survit au rechargement et fonctionne depuis n'importe
//! quel sous-chemin d'un hébergement statique (GitHub Pages) ou dans une
//! iframe, sans réécriture d'URL côté serveur.

use panier_core::Lang;

use crate::i18n::texts;

/// Une vue de l'application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// Import d'un fichier ou de la démo.
    #[default]
    Import,
    /// Vue d'ensemble : indicateurs clés.
    Overview,
    /// Segmentation RFM.
    Segmentation,
    /// Recommandations.
    Recommendations,
    /// Confidentialité : ce qui est gardé, où, et de quoi l'oublier.
    Privacy,
}

impl View {
    /// Toutes les vues, dans l'ordre de la navigation.
    pub const ALL: [View; 5] = [
        View::Import,
        View::Overview,
        View::Segmentation,
        View::Recommendations,
        View::Privacy,
    ];

    /// Segment d'adresse de la vue.
    pub fn slug(self) -> &'static str {
        match self {
            View::Import => "import",
            View::Overview => "overview",
            View::Segmentation => "segmentation",
            View::Recommendations => "recommendations",
            View::Privacy => "privacy",
        }
    }

    /// Lien relatif vers la vue (fragment seulement).
    pub fn href(self) -> String {
        format!("#/{}", self.slug())
    }

    /// Vue désignée par un fragment d'URL (`#/overview`) ; l'import par défaut.
    pub fn from_hash(hash: &str) -> View {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        let slug = slug.split(['?', '/']).next().unwrap_or("");
        View::ALL
            .into_iter()
            .find(|view| view.slug() == slug)
            .unwrap_or_default()
    }

    /// Libellé de la vue dans la navigation.
    pub fn label(self, lang: Lang) -> &'static str {
        let t = texts(lang);
        match self {
            View::Import => t.nav_import,
            View::Overview => t.nav_overview,
            View::Segmentation => t.nav_segmentation,
            View::Recommendations => t.nav_recommendations,
            View::Privacy => t.nav_privacy,
        }
    }
}

/// Vue désignée par l'adresse courante de la page.
pub fn current_view() -> View {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .map(|hash| View::from_hash(&hash))
        .unwrap_or_default()
}

/// Change l'adresse vers une vue (ajoute une entrée à l'historique).
pub fn navigate(view: View) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&format!("/{}", view.slug()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_map_to_views_and_back() {
        for view in View::ALL {
            assert_eq!(View::from_hash(&view.href()), view);
        }
        assert_eq!(View::from_hash(""), View::Import);
        assert_eq!(View::from_hash("#/unknown"), View::Import);
        assert_eq!(View::from_hash("#/overview?country=France"), View::Overview);
    }
}
