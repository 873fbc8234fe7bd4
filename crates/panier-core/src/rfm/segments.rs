//! Segments nommés : une grille Récence × FM, sans trou ni chevauchement.
//!
//! Chaque client a un score R et un score FM = (F + M + 1) div 2, tous deux
//! de 1 à `k`. La grille donne un nom à **chaque** case (R, FM) : un client
//! tombe donc toujours dans exactement un segment, par construction — pas de
//! règles qui se chevauchent ni de « Others » comme avec des règles par
//! intervalles.
//!
//! La grille par défaut à 5 niveaux est celle de la référence. À 3 ou 4
//! niveaux, la case (r, fm) reprend le nom de la case à 5 niveaux qui occupe
//! la même position relative : le niveau `s` (1 à k) devient
//! `1 + arrondi((s − 1) × 4 / (k − 1))` (à 3 niveaux : 1, 3, 5 ; à 4 : 1, 2,
//! 4, 5). Les extrêmes restent les extrêmes : le meilleur client est toujours
//! « Champions », le plus ancien et le plus faible « Lost ».

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Les segments de la grille par défaut, avec un nom dans chaque langue et
/// une action marketing suggérée.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DefaultSegment {
    /// Achètent récemment, souvent, beaucoup.
    Champions,
    /// Achètent régulièrement et bien.
    LoyalCustomers,
    /// Récents, fréquence ou montant qui montent.
    PotentialLoyalists,
    /// Tout nouveaux clients.
    NewCustomers,
    /// Récents, encore peu engagés.
    Promising,
    /// Moyens partout : à réveiller avant qu'ils ne partent.
    NeedAttention,
    /// Récence qui se dégrade, peu engagés.
    AboutToSleep,
    /// Bons clients qui ne reviennent plus.
    AtRisk,
    /// Les meilleurs clients d'autrefois, absents depuis longtemps.
    CantLoseThem,
    /// Peu récents, peu engagés.
    Hibernating,
    /// Les plus anciens et les plus faibles.
    Lost,
}

impl DefaultSegment {
    /// Tous les segments par défaut, du meilleur au moins bon.
    pub const ALL: [DefaultSegment; 11] = [
        DefaultSegment::Champions,
        DefaultSegment::LoyalCustomers,
        DefaultSegment::PotentialLoyalists,
        DefaultSegment::NewCustomers,
        DefaultSegment::Promising,
        DefaultSegment::NeedAttention,
        DefaultSegment::AboutToSleep,
        DefaultSegment::AtRisk,
        DefaultSegment::CantLoseThem,
        DefaultSegment::Hibernating,
        DefaultSegment::Lost,
    ];

    /// Nom canonique (celui de la référence et des exports).
    pub fn name(self) -> &'static str {
        match self {
            DefaultSegment::Champions => "Champions",
            DefaultSegment::LoyalCustomers => "Loyal Customers",
            DefaultSegment::PotentialLoyalists => "Potential Loyalists",
            DefaultSegment::NewCustomers => "New Customers",
            DefaultSegment::Promising => "Promising",
            DefaultSegment::NeedAttention => "Need Attention",
            DefaultSegment::AboutToSleep => "About to Sleep",
            DefaultSegment::AtRisk => "At Risk",
            DefaultSegment::CantLoseThem => "Can't Lose Them",
            DefaultSegment::Hibernating => "Hibernating",
            DefaultSegment::Lost => "Lost",
        }
    }

    /// Le segment par défaut qui porte ce nom canonique.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|segment| segment.name() == name)
    }

    /// Nom affiché dans la langue de l'interface.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (_, Lang::En) => self.name(),
            (DefaultSegment::Champions, Lang::Fr) => "Champions",
            (DefaultSegment::LoyalCustomers, Lang::Fr) => "Clients fidèles",
            (DefaultSegment::PotentialLoyalists, Lang::Fr) => "Fidèles en devenir",
            (DefaultSegment::NewCustomers, Lang::Fr) => "Nouveaux clients",
            (DefaultSegment::Promising, Lang::Fr) => "Prometteurs",
            (DefaultSegment::NeedAttention, Lang::Fr) => "À surveiller",
            (DefaultSegment::AboutToSleep, Lang::Fr) => "En train de s'endormir",
            (DefaultSegment::AtRisk, Lang::Fr) => "À risque",
            (DefaultSegment::CantLoseThem, Lang::Fr) => "À ne pas perdre",
            (DefaultSegment::Hibernating, Lang::Fr) => "En hibernation",
            (DefaultSegment::Lost, Lang::Fr) => "Perdus",
        }
    }

    /// Action marketing suggérée.
    pub fn action(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DefaultSegment::Champions, Lang::Fr) => {
                "Récompenser : accès en avant-première, programme VIP, demande d'avis et de parrainage."
            }
            (DefaultSegment::Champions, Lang::En) => {
                "Reward them: early access, VIP programme, ask for reviews and referrals."
            }
            (DefaultSegment::LoyalCustomers, Lang::Fr) => {
                "Vendre plus haut de gamme (montée en gamme) et les inviter au programme de fidélité."
            }
            (DefaultSegment::LoyalCustomers, Lang::En) => {
                "Upsell higher-value products and invite them to the loyalty programme."
            }
            (DefaultSegment::PotentialLoyalists, Lang::Fr) => {
                "Proposer une adhésion fidélité et des recommandations personnalisées."
            }
            (DefaultSegment::PotentialLoyalists, Lang::En) => {
                "Offer a loyalty membership and personalised recommendations."
            }
            (DefaultSegment::NewCustomers, Lang::Fr) => {
                "Bien les accueillir : parcours de bienvenue, aide au premier usage."
            }
            (DefaultSegment::NewCustomers, Lang::En) => {
                "Welcome them well: onboarding series, help with their first use."
            }
            (DefaultSegment::Promising, Lang::Fr) => {
                "Créer la notoriété de la marque : essais gratuits, offres découverte."
            }
            (DefaultSegment::Promising, Lang::En) => {
                "Build brand awareness: free trials, discovery offers."
            }
            (DefaultSegment::NeedAttention, Lang::Fr) => {
                "Offres limitées dans le temps fondées sur leurs achats passés."
            }
            (DefaultSegment::NeedAttention, Lang::En) => {
                "Limited-time offers based on their past purchases."
            }
            (DefaultSegment::AboutToSleep, Lang::Fr) => {
                "Les relancer avec des produits populaires et une remise avant qu'ils ne décrochent."
            }
            (DefaultSegment::AboutToSleep, Lang::En) => {
                "Re-engage them with popular products and a discount before they drift away."
            }
            (DefaultSegment::AtRisk, Lang::Fr) => {
                "Campagne de reconquête avec leurs produits favoris et un message personnel."
            }
            (DefaultSegment::AtRisk, Lang::En) => {
                "Win-back campaign with their favourite products and a personal message."
            }
            (DefaultSegment::CantLoseThem, Lang::Fr) => {
                "Les reconquérir en priorité : appel, offre forte, nouveautés de leurs catégories."
            }
            (DefaultSegment::CantLoseThem, Lang::En) => {
                "Win them back first: a call, a strong offer, what is new in their categories."
            }
            (DefaultSegment::Hibernating, Lang::Fr) => {
                "Proposer d'autres produits pertinents et des remises ponctuelles."
            }
            (DefaultSegment::Hibernating, Lang::En) => {
                "Offer other relevant products and occasional discounts."
            }
            (DefaultSegment::Lost, Lang::Fr) => {
                "Tenter une dernière relance peu coûteuse, sinon ne plus investir."
            }
            (DefaultSegment::Lost, Lang::En) => {
                "Try one low-cost reactivation; otherwise stop spending on them."
            }
        }
    }
}

/// La grille de référence à 5 niveaux : `REFERENCE_GRID[5 − R][FM − 1]`.
const REFERENCE_GRID: [[DefaultSegment; 5]; 5] = {
    use DefaultSegment::*;
    [
        [
            NewCustomers,
            PotentialLoyalists,
            PotentialLoyalists,
            Champions,
            Champions,
        ],
        [
            Promising,
            PotentialLoyalists,
            LoyalCustomers,
            Champions,
            Champions,
        ],
        [
            AboutToSleep,
            AboutToSleep,
            NeedAttention,
            LoyalCustomers,
            LoyalCustomers,
        ],
        [Hibernating, Hibernating, AtRisk, AtRisk, CantLoseThem],
        [Lost, Lost, AtRisk, CantLoseThem, CantLoseThem],
    ]
};

/// Niveau équivalent sur la grille à 5 niveaux.
fn on_five_levels(score: u8, levels: u8) -> usize {
    let scaled = f64::from(score - 1) * 4.0 / f64::from(levels - 1);
    1 + scaled.round() as usize
}

/// Score FM : moyenne de F et M arrondie au supérieur, `(F + M + 1) div 2`.
pub fn fm_score(f: u8, m: u8) -> u8 {
    (f + m).div_ceil(2)
}

/// Une grille R × FM de noms de segments, modifiable case par case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentGrid {
    levels: u8,
    /// `cells[(r − 1) × levels + (fm − 1)]`.
    cells: Vec<String>,
}

impl SegmentGrid {
    /// La grille par défaut pour 3, 4 ou 5 niveaux de score.
    pub fn default_for(levels: u8) -> Self {
        let levels = levels.clamp(3, 5);
        let mut cells = Vec::with_capacity(usize::from(levels) * usize::from(levels));
        for r in 1..=levels {
            for fm in 1..=levels {
                let (r5, fm5) = (on_five_levels(r, levels), on_five_levels(fm, levels));
                cells.push(REFERENCE_GRID[5 - r5][fm5 - 1].name().to_string());
            }
        }
        Self { levels, cells }
    }

    /// Nombre de niveaux de score.
    pub fn levels(&self) -> u8 {
        self.levels
    }

    /// Nom du segment de la case (r, fm), scores de 1 à `levels`.
    pub fn segment(&self, r: u8, fm: u8) -> &str {
        &self.cells[self.index(r, fm)]
    }

    /// Segment d'un client d'après ses trois scores.
    pub fn segment_of(&self, r: u8, f: u8, m: u8) -> &str {
        self.segment(r, fm_score(f, m))
    }

    /// Renomme une case. Un nom vide est refusé (un client doit toujours
    /// avoir un segment) ; les espaces de bord sont retirés.
    pub fn set(&mut self, r: u8, fm: u8, name: &str) -> bool {
        let name = name.trim();
        if name.is_empty() || r == 0 || fm == 0 || r > self.levels || fm > self.levels {
            return false;
        }
        let index = self.index(r, fm);
        self.cells[index] = name.to_string();
        true
    }

    /// Vrai quand la grille est celle par défaut.
    pub fn is_default(&self) -> bool {
        *self == Self::default_for(self.levels)
    }

    /// Les noms de segments de la grille, sans doublon : d'abord les
    /// segments par défaut présents (du meilleur au moins bon), puis les
    /// noms propres à l'utilisateur dans l'ordre de la grille.
    pub fn segment_names(&self) -> Vec<String> {
        let mut names: Vec<String> = DefaultSegment::ALL
            .into_iter()
            .map(|segment| segment.name().to_string())
            .filter(|name| self.cells.contains(name))
            .collect();
        for r in (1..=self.levels).rev() {
            for fm in (1..=self.levels).rev() {
                let name = self.segment(r, fm);
                if !names.iter().any(|known| known == name) {
                    names.push(name.to_string());
                }
            }
        }
        names
    }

    fn index(&self, r: u8, fm: u8) -> usize {
        let r = r.clamp(1, self.levels);
        let fm = fm.clamp(1, self.levels);
        usize::from(r - 1) * usize::from(self.levels) + usize::from(fm - 1)
    }
}

impl Default for SegmentGrid {
    fn default() -> Self {
        Self::default_for(5)
    }
}

/// Nom affiché d'un segment : traduit s'il est par défaut, tel quel sinon.
pub fn segment_label(name: &str, lang: Lang) -> String {
    DefaultSegment::from_name(name).map_or_else(|| name.to_string(), |s| s.label(lang).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_grid_is_the_reference_grid() {
        let grid = SegmentGrid::default();
        assert_eq!(grid.segment(5, 1), "New Customers");
        assert_eq!(grid.segment(5, 5), "Champions");
        assert_eq!(grid.segment(4, 3), "Loyal Customers");
        assert_eq!(grid.segment(3, 3), "Need Attention");
        assert_eq!(grid.segment(2, 5), "Can't Lose Them");
        assert_eq!(grid.segment(1, 3), "At Risk");
        assert_eq!(grid.segment(1, 1), "Lost");
        // Exemples de la référence : 12346 (R1 F1 M5 → FM 3) « At Risk ».
        assert_eq!(grid.segment_of(1, 1, 5), "At Risk");
        assert_eq!(grid.segment_of(4, 1, 4), "Loyal Customers");
    }

    #[test]
    fn smaller_grids_keep_the_extremes() {
        for levels in [3, 4] {
            let grid = SegmentGrid::default_for(levels);
            assert_eq!(grid.segment(levels, levels), "Champions");
            assert_eq!(grid.segment(1, 1), "Lost");
            assert_eq!(grid.segment(levels, 1), "New Customers");
            assert_eq!(grid.segment(1, levels), "Can't Lose Them");
        }
        let three = SegmentGrid::default_for(3);
        assert_eq!(three.segment(2, 2), "Need Attention");
    }

    #[test]
    fn every_cell_has_a_name_and_edits_are_checked() {
        let mut grid = SegmentGrid::default();
        assert!(grid.set(3, 3, "  Relance mail "));
        assert_eq!(grid.segment(3, 3), "Relance mail");
        assert!(!grid.is_default());
        assert!(!grid.set(3, 3, "   "));
        assert!(!grid.set(6, 1, "x"));
        assert_eq!(grid.segment_names().last().unwrap(), "Relance mail");
        assert!(!grid.segment_names().contains(&"Need Attention".to_string()));
    }

    #[test]
    fn fm_rounds_up() {
        assert_eq!(fm_score(1, 2), 2);
        assert_eq!(fm_score(5, 5), 5);
        assert_eq!(fm_score(1, 1), 1);
        assert_eq!(fm_score(4, 5), 5);
    }
}
