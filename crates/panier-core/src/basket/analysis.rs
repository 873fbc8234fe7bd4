//! L'analyse des paniers de bout en bout, telle que le worker et la CLI
//! l'exécutent : paniers → itemsets → règles → redondances, chronométrés,
//! et le résumé que l'interface affiche.

use serde::{Deserialize, Serialize};

use super::mining::{mine_with, Algorithm, FrequentItemsets, MiningOptions};
use super::query::{insights, redundant_flags, scatter_points, strongest, Insight, RuleRow};
use super::rules::{generate_rules_with, RuleOptions, RuleSet};
use super::{build_baskets, BasketOptions, Baskets};
use crate::clean::CleanTable;
use crate::error::PanierError;
use crate::progress::{keep_going, NoProgress, ProgressSink, Stage};

/// Règles au plus dans le nuage support × confiance.
pub const SCATTER_POINTS: usize = 4_000;
/// Règles de la liste des meilleures associations.
pub const TOP_RULES: usize = 10;
/// Règles du graphe des articles.
pub const NETWORK_RULES: usize = 30;
/// Articles proposés au plus dans les filtres des règles.
pub const SUGGESTED_ITEMS: usize = 5_000;

/// Tous les paramètres d'une analyse des paniers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BasketRequest {
    /// Construction des paniers (article, retraits, périmètre).
    pub baskets: BasketOptions,
    /// Recherche des itemsets.
    pub mining: MiningOptions,
    /// Génération des règles.
    pub rules: RuleOptions,
}

/// Ce qu'une analyse a produit : itemsets, et règles si leur génération a
/// tenu sous le plafond. Sérialisable : le worker des paniers le renvoie au
/// worker d'analyse.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BasketOutcome {
    /// Itemsets fréquents.
    pub itemsets: FrequentItemsets,
    /// Règles et leurs marques de redondance, ou l'erreur (plafond).
    pub rules: Result<(RuleSet, Vec<bool>), PanierError>,
    /// Résumé pour l'interface.
    pub summary: BasketSummary,
}

/// Résumé affiché : comptes, durées, meilleures règles, nuage, graphe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasketSummary {
    /// Paramètres employés.
    pub request: BasketRequest,
    /// Paniers.
    pub baskets: u32,
    /// Articles distincts dans les paniers.
    pub items: u32,
    /// Support minimal en paniers.
    pub min_count: u32,
    /// Algorithme employé (celui qu'`Auto` a choisi).
    pub algorithm: Algorithm,
    /// Itemsets par taille (indice 0 : taille 1).
    pub itemsets_by_length: Vec<usize>,
    /// Itemsets en tout.
    pub itemsets: usize,
    /// Règles (0 si leur génération a échoué).
    pub rules: usize,
    /// Règles redondantes.
    pub redundant: usize,
    /// Pourquoi il n'y a pas de règles (plafond atteint).
    pub rules_error: Option<PanierError>,
    /// Durée de construction des paniers (ms).
    pub baskets_ms: f64,
    /// Durée de la recherche des itemsets (ms).
    pub mining_ms: f64,
    /// Durée de la génération des règles et des redondances (ms).
    pub rules_ms: f64,
    /// Les meilleures associations, sans redondantes ni doublons (une par
    /// ensemble d'articles, une paire d'articles n'apparaît qu'une fois).
    pub top: Vec<Insight>,
    /// Points (support, confiance, lift).
    pub scatter: Vec<(f64, f64, f64)>,
    /// Règles du graphe.
    pub network: Vec<RuleRow>,
    /// Les articles présents dans au moins une règle, par ordre alphabétique
    /// (au plus [`SUGGESTED_ITEMS`]) : les suggestions des filtres
    /// d'antécédent et de conséquent.
    pub rule_items: Vec<String>,
}

/// Une analyse des paniers prête à lancer : les paniers construits (vite,
/// sur la table nettoyée) et les paramètres. Le worker d'analyse la prépare
/// et le worker des paniers l'exécute — une recherche longue qu'« Annuler »
/// arrête net en terminant ce worker, sans toucher à l'analyse chargée ; la
/// CLI fait les deux à la suite ([`analyze_baskets`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BasketJob {
    /// Les paniers.
    pub baskets: Baskets,
    /// Tous les paramètres.
    pub request: BasketRequest,
    /// Durée de construction des paniers (ms).
    pub baskets_ms: f64,
}

impl BasketJob {
    /// Construit les paniers de la table nettoyée ; `clock` donne l'heure en
    /// millisecondes.
    pub fn prepare(
        clean: &CleanTable,
        request: &BasketRequest,
        clock: &dyn Fn() -> f64,
    ) -> Result<Self, PanierError> {
        let started = clock();
        let baskets = build_baskets(clean, &request.baskets)?;
        Ok(BasketJob {
            baskets,
            request: request.clone(),
            baskets_ms: clock() - started,
        })
    }

    /// Itemsets, règles, redondances et résumé, chronométrés ; `sink` est
    /// consulté régulièrement (`false` : [`PanierError::Cancelled`]).
    pub fn run(
        &self,
        clock: &dyn Fn() -> f64,
        sink: &mut dyn ProgressSink,
    ) -> Result<BasketOutcome, PanierError> {
        let (baskets, request) = (&self.baskets, &self.request);
        let built = clock();
        let itemsets = mine_with(baskets, &request.mining, sink)?;
        let mined = clock();
        let rules = match generate_rules_with(itemsets.clone(), &request.rules, sink) {
            Err(PanierError::Cancelled) => return Err(PanierError::Cancelled),
            rules => rules.map(|set| {
                let flags = redundant_flags(&set);
                (set, flags)
            }),
        };
        keep_going(sink, Stage::Baskets)?;
        let ruled = clock();
        let (count, redundant, top, scatter, network, rules_error) = match &rules {
            Ok((set, flags)) => (
                set.rules.len(),
                flags.iter().filter(|&&r| r).count(),
                insights(set, flags, TOP_RULES),
                scatter_points(set, SCATTER_POINTS),
                strongest(set, flags, NETWORK_RULES),
                None,
            ),
            Err(error) => (
                0,
                0,
                Vec::new(),
                Vec::new(),
                Vec::new(),
                Some(error.clone()),
            ),
        };
        let summary = BasketSummary {
            request: request.clone(),
            baskets: baskets.len() as u32,
            items: baskets.items.len() as u32,
            min_count: itemsets.min_count,
            algorithm: itemsets.algorithm,
            itemsets_by_length: itemsets.count_by_length(),
            itemsets: itemsets.itemsets.len(),
            rules: count,
            redundant,
            rules_error,
            baskets_ms: self.baskets_ms,
            mining_ms: mined - built,
            rules_ms: ruled - mined,
            top,
            scatter,
            network,
            rule_items: match &rules {
                Ok((set, _)) => rule_items(set, SUGGESTED_ITEMS),
                Err(_) => Vec::new(),
            },
        };
        Ok(BasketOutcome {
            itemsets,
            rules,
            summary,
        })
    }
}

/// Les articles d'au moins une règle, par ordre alphabétique, au plus `max`.
fn rule_items(set: &RuleSet, max: usize) -> Vec<String> {
    let mut used = vec![false; set.itemsets.items.len()];
    for rule in &set.rules {
        for &item in &set.itemsets.itemsets[rule.itemset as usize].items {
            used[item as usize] = true;
        }
    }
    let mut names: Vec<String> = set
        .itemsets
        .items
        .iter()
        .zip(&used)
        .filter(|(_, &used)| used)
        .map(|(name, _)| name.clone())
        .collect();
    names.sort();
    names.truncate(max);
    names
}

/// Exécute l'analyse ; `clock` donne l'heure en millisecondes (le worker et
/// la CLI n'ont pas la même horloge).
pub fn analyze_baskets(
    clean: &CleanTable,
    request: &BasketRequest,
    clock: &dyn Fn() -> f64,
) -> Result<BasketOutcome, PanierError> {
    BasketJob::prepare(clean, request, clock)?.run(clock, &mut NoProgress)
}
