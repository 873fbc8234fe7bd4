//! Synthèse : le rapport d'une analyse (comptes, indicateurs, avertissements).

use serde::{Deserialize, Serialize};

use crate::clean::{Anomalies, CleanTable, CleaningCounts};
use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::ingest::ImportFacts;
use crate::warning::{warnings_for, Warning};

/// Une analyse que le fichier ne permet pas, et pourquoi.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisabledAnalysis {
    /// Analyse concernée.
    pub analysis: Analysis,
    /// Colonnes manquantes (noms canoniques).
    pub missing: Vec<String>,
}

/// Les analyses de Panier, et les colonnes dont chacune a besoin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Analysis {
    /// Chiffre d'affaires et montants.
    Revenue,
    /// Segmentation RFM.
    Rfm,
    /// Analyse des paniers.
    Baskets,
}

impl Analysis {
    /// Colonnes nécessaires (l'article peut être la désignation ou le code).
    fn needs(self) -> &'static [Role] {
        match self {
            Analysis::Revenue => &[Role::Quantity, Role::UnitPrice],
            Analysis::Rfm => &[
                Role::Customer,
                Role::InvoiceDate,
                Role::Quantity,
                Role::UnitPrice,
            ],
            Analysis::Baskets => &[Role::Description],
        }
    }
}

/// Le rapport d'une analyse : ce qui a été lu, nettoyé, et les indicateurs
/// clés. C'est `report.json` côté CLI et la vue d'ensemble côté navigateur.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Ce que l'import a détecté et compté.
    pub import: ImportFacts,
    /// Lignes restantes après chaque règle de nettoyage.
    pub cleaning: CleaningCounts,
    /// Anomalies relevées.
    pub anomalies: Anomalies,
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
    /// Codes article distincts.
    pub stock_codes: u64,
    /// Pays distincts.
    pub countries: u64,
    /// Chiffre d'affaires : somme des montants de ligne (`None` sans
    /// quantité ni prix).
    pub revenue: Option<f64>,
    /// Première date (`AAAA-MM-JJ hh:mm:ss`), si les dates sont lisibles.
    pub date_min: Option<String>,
    /// Dernière date.
    pub date_max: Option<String>,
    /// Analyses impossibles faute de colonne.
    pub disabled: Vec<DisabledAnalysis>,
    /// Avertissements : ce qui mérite l'attention de l'utilisateur.
    pub warnings: Vec<Warning>,
    /// Pays présents avant le filtre global (pour choisir le filtre).
    #[serde(default)]
    pub available_countries: Vec<String>,
    /// Période retenue par le filtre global (dates incluses), s'il y en a un.
    #[serde(default)]
    pub period: Option<(String, String)>,
    /// Les rôles que le fichier fournit (colonnes trouvées ou indiquées) :
    /// une vue qui a besoin d'un rôle absent le dit au lieu d'afficher 0.
    #[serde(default)]
    pub present_roles: Vec<Role>,
}

impl Report {
    /// Vrai si le fichier fournit ce rôle.
    pub fn has(&self, role: Role) -> bool {
        self.present_roles.contains(&role)
    }

    /// Vrai si chaque ligne a un montant (quantité × prix, ou montant lu).
    pub fn has_amounts(&self) -> bool {
        self.revenue.is_some()
    }

    /// Vrai si le fichier a une colonne d'articles (désignation ou code).
    pub fn has_products(&self) -> bool {
        self.has(Role::Description) || self.has(Role::StockCode)
    }

    /// Les colonnes qui manquent à une analyse (noms canoniques), `None` si
    /// elle est possible.
    pub fn missing_for(&self, analysis: Analysis) -> Option<&[String]> {
        self.disabled
            .iter()
            .find(|disabled| disabled.analysis == analysis)
            .map(|disabled| disabled.missing.as_slice())
    }
}

/// Compte les valeurs distinctes d'une colonne d'identifiants denses, en
/// ignorant éventuellement une valeur (vide ou absente).
fn distinct(ids: &[u32], dictionary_len: usize, ignored: Option<u32>) -> u64 {
    let mut seen = vec![false; dictionary_len];
    let mut count = 0;
    for &id in ids {
        if Some(id) == ignored {
            continue;
        }
        if let Some(slot) = seen.get_mut(id as usize) {
            if !*slot {
                *slot = true;
                count += 1;
            }
        }
    }
    count
}

/// Somme compensée (Neumaier) : le chiffre d'affaires de 400 000 lignes ne
/// dépend pas de l'ordre des lignes à l'arrondi près.
pub fn compensated_sum(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut sum = CompensatedSum::default();
    for value in values {
        sum.add(value);
    }
    sum.total()
}

/// Une somme compensée en cours (Neumaier), à laquelle on ajoute les valeurs
/// une à une : plusieurs sommes se tiennent côte à côte (une par mois, par
/// produit…) en un seul passage sur les lignes, et chacune vaut au bit près
/// [`compensated_sum`] de ses valeurs dans le même ordre.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// Ajoute une valeur.
    #[inline]
    pub fn add(&mut self, value: f64) {
        let total = self.sum + value;
        self.compensation += if self.sum.abs() >= value.abs() {
            (self.sum - total) + value
        } else {
            (value - total) + self.sum
        };
        self.sum = total;
    }

    /// La somme.
    pub fn total(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// Calcule les indicateurs de la table nettoyée (éventuellement filtrée).
pub fn summarize(
    clean: &CleanTable,
    import: ImportFacts,
    cleaning: CleaningCounts,
    anomalies: Anomalies,
    country: Option<String>,
) -> Report {
    let table = &clean.table;
    let disabled: Vec<DisabledAnalysis> = [Analysis::Revenue, Analysis::Rfm, Analysis::Baskets]
        .into_iter()
        .filter_map(|analysis| {
            let mut missing: Vec<String> = analysis
                .needs()
                .iter()
                .filter(|role| !table.has(**role))
                // Un montant lu dans le fichier tient lieu de quantité.
                .filter(|role| !(**role == Role::Quantity && table.has_amounts()))
                .map(|role| role.canonical_name().to_string())
                .collect();
            // Les paniers se contentent du code article à défaut de désignation.
            if analysis == Analysis::Baskets && table.has(Role::StockCode) {
                missing.clear();
            }
            (!missing.is_empty()).then_some(DisabledAnalysis { analysis, missing })
        })
        .collect();
    let revenue = table
        .has_amounts()
        .then(|| compensated_sum(clean.total_price.iter().copied()));
    let dates = table.invoice_date.iter().copied().filter(|&d| d != NO_DATE);
    let (date_min, date_max) = (
        dates.clone().min().map(format_timestamp),
        dates.max().map(format_timestamp),
    );
    let mut report = Report {
        import,
        cleaning,
        anomalies,
        country,
        rows: table.len() as u64,
        customers: distinct(&table.customer, table.customers.len(), None),
        // Comme `nunique` de pandas : un numéro de facture vide ne compte pas.
        invoices: distinct(
            &table.invoice,
            table.invoices.len(),
            table.invoices.id_of(""),
        ),
        products: distinct(
            &table.description,
            table.descriptions.len(),
            table.descriptions.id_of(""),
        ),
        stock_codes: distinct(
            &table.stock_code,
            table.stock_codes.len(),
            table.stock_codes.id_of(""),
        ),
        countries: distinct(
            &table.country,
            table.countries.len(),
            table.countries.id_of(""),
        ),
        revenue,
        date_min,
        date_max,
        disabled,
        warnings: Vec::new(),
        available_countries: Vec::new(),
        period: None,
        present_roles: Role::MAPPABLE
            .into_iter()
            .filter(|&role| table.has(role))
            .collect(),
    };
    report.warnings = warnings_for(&report);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensated_sum_is_exact_where_naive_sum_drifts() {
        let values = [1e16, 1.0, -1e16, 1.0];
        assert_eq!(compensated_sum(values), 2.0);
        assert_eq!(compensated_sum([0.1; 10]), 1.0);
    }
}
