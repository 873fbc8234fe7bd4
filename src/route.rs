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

/// Une partie de la vue « Recommandations », avec son adresse
/// (`#/recommendations/product`) : chacune tient sur un écran de réglages, et
/// un lien mène droit à celle qu'on veut montrer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RecoTab {
    /// Associations entre articles : réglages de la recherche, meilleures
    /// associations, toutes les règles, graphiques.
    #[default]
    Associations,
    /// Ventes croisées et montées en gamme d'un produit.
    Product,
    /// Recommandations pour un client.
    Customer,
    /// Recommandations pour un segment.
    Segment,
    /// Qualité mesurée des recommandations, et leur export.
    Quality,
}

impl RecoTab {
    /// Toutes les parties, dans l'ordre des onglets.
    pub const ALL: [RecoTab; 5] = [
        RecoTab::Associations,
        RecoTab::Product,
        RecoTab::Customer,
        RecoTab::Segment,
        RecoTab::Quality,
    ];

    /// Segment d'adresse de la partie.
    pub fn slug(self) -> &'static str {
        match self {
            RecoTab::Associations => "associations",
            RecoTab::Product => "product",
            RecoTab::Customer => "customer",
            RecoTab::Segment => "segment",
            RecoTab::Quality => "quality",
        }
    }

    /// Lien relatif vers la partie (fragment seulement).
    pub fn href(self) -> String {
        format!("{}/{}", View::Recommendations.href(), self.slug())
    }

    /// Partie désignée par un fragment d'URL (`#/recommendations/customer`) ;
    /// les associations par défaut (`#/recommendations`, partie inconnue).
    pub fn from_hash(hash: &str) -> RecoTab {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or("");
        let mut parts = path.split('/');
        if parts.next() != Some(View::Recommendations.slug()) {
            return RecoTab::default();
        }
        let slug = parts.next().unwrap_or("");
        RecoTab::ALL
            .into_iter()
            .find(|tab| tab.slug() == slug)
            .unwrap_or_default()
    }

    /// Libellé de l'onglet.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (RecoTab::Associations, _) => "Associations",
            (RecoTab::Product, Lang::Fr) => "Produit",
            (RecoTab::Product, Lang::En) => "Product",
            (RecoTab::Customer, Lang::Fr) => "Client",
            (RecoTab::Customer, Lang::En) => "Customer",
            (RecoTab::Segment, _) => "Segment",
            (RecoTab::Quality, Lang::Fr) => "Qualité",
            (RecoTab::Quality, Lang::En) => "Quality",
        }
    }
}

/// Fragment de l'adresse courante de la page (vide sans fenêtre).
fn current_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// Vue désignée par l'adresse courante de la page.
pub fn current_view() -> View {
    View::from_hash(&current_hash())
}

/// Partie des recommandations désignée par l'adresse courante de la page.
pub fn current_tab() -> RecoTab {
    RecoTab::from_hash(&current_hash())
}

/// Change l'adresse vers une vue (ajoute une entrée à l'historique).
pub fn navigate(view: View) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&format!("/{}", view.slug()));
    }
}

/// Change l'adresse vers une partie des recommandations (ajoute une entrée
/// à l'historique).
pub fn navigate_tab(tab: RecoTab) {
    if let Some(window) = web_sys::window() {
        let _ = window
            .location()
            .set_hash(tab.href().trim_start_matches('#'));
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

    #[test]
    fn recommendation_tabs_have_their_own_address() {
        for tab in RecoTab::ALL {
            assert_eq!(View::from_hash(&tab.href()), View::Recommendations);
            assert_eq!(RecoTab::from_hash(&tab.href()), tab);
        }
        assert_eq!(
            RecoTab::from_hash("#/recommendations"),
            RecoTab::Associations
        );
        assert_eq!(
            RecoTab::from_hash("#/recommendations/unknown"),
            RecoTab::Associations
        );
        assert_eq!(
            RecoTab::from_hash("#/recommendations/quality?x=1"),
            RecoTab::Quality
        );
        // Le nom d'une partie ailleurs que sous les recommandations ne compte pas.
        assert_eq!(
            RecoTab::from_hash("#/overview/quality"),
            RecoTab::Associations
        );
    }
}
