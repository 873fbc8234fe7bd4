//! Synthèse : les indicateurs de la vue d'ensemble et du rapport.

use serde::{Deserialize, Serialize};

use crate::clean::{CleanTable, CleaningCounts};
use crate::ingest::ImportFacts;

/// Le rapport d'une analyse : ce qui a été lu, nettoyé, et les indicateurs
/// clés. C'est `report.json` côté CLI et la vue d'ensemble côté navigateur.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Ce que l'import a détecté (encodage, séparateur, lignes lues).
    pub import: ImportFacts,
    /// Lignes restantes après chaque règle de nettoyage.
    pub cleaning: CleaningCounts,
    /// Pays retenu (`None` : tous les pays).
    pub country: Option<String>,
    /// Lignes analysées (après nettoyage et filtre de pays).
    pub rows: u64,
    /// Clients distincts.
    pub customers: u64,
    /// Factures distinctes.
    pub invoices: u64,
    /// Produits distincts (désignations nettoyées non vides).
    pub products: u64,
    /// Pays distincts.
    pub countries: u64,
    /// Chiffre d'affaires : somme des montants de ligne.
    pub revenue: f64,
}

/// Compte les valeurs distinctes d'une colonne d'identifiants denses.
fn distinct(ids: &[u32], dictionary_len: usize) -> u64 {
    let mut seen = vec![false; dictionary_len];
    let mut count = 0;
    for &id in ids {
        if let Some(slot) = seen.get_mut(id as usize) {
            if !*slot {
                *slot = true;
                count += 1;
            }
        }
    }
    count
}

/// Calcule les indicateurs de la table nettoyée (éventuellement filtrée).
pub fn summarize(
    clean: &CleanTable,
    import: ImportFacts,
    cleaning: CleaningCounts,
    country: Option<String>,
) -> Report {
    let table = &clean.table;
    let empty_description = table.descriptions.id_of("");
    let products = distinct(&table.description, table.descriptions.len())
        - u64::from(empty_description.is_some_and(|id| table.description.contains(&id)));
    Report {
        import,
        cleaning,
        country,
        rows: table.len() as u64,
        customers: distinct(&table.customer, table.customers.len()),
        invoices: distinct(&table.invoice, table.invoices.len()),
        products,
        countries: distinct(&table.country, table.countries.len()),
        revenue: clean.total_price.iter().sum(),
    }
}
