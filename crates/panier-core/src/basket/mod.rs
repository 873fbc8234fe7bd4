//! Analyse des paniers : des transactions nettoyées aux itemsets fréquents
//! et aux règles d'association.
//!
//! 1. [`build_baskets`] : un panier par facture, l'ensemble de ses articles
//!    distincts (désignation nettoyée par défaut, code article en option),
//!    dans un périmètre choisi (segment RFM, période) ;
//! 2. [`mining::mine`] : itemsets fréquents par Apriori (l'algorithme du
//!    cahier des charges), FP-growth ou Eclat — tous trois donnent exactement
//!    les mêmes itemsets, vérifié contre une énumération exhaustive ;
//! 3. [`rules::generate_rules`] : toutes les règles de chaque itemset
//!    fréquent, avec les mesures de mlxtend 0.25 ;
//! 4. [`query`] : recherche, filtres, élagage des règles redondantes, tri et
//!    pages, pour l'interface.
//!
//! Aucun mineur n'est récursif : la pile WebAssembly ne fait que 1 Mio.

pub mod analysis;
pub mod apriori;
pub mod eclat;
pub mod fpgrowth;
pub mod mining;
pub mod pairs;
pub mod query;
pub mod rules;
pub(crate) mod tidlist;

use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::error::PanierError;
use crate::ingest::roles::Role;
use crate::table::MISSING;

/// Ce qui désigne un article dans un panier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Les mêmes mots que les options de la CLI et le fichier de réglages.
#[serde(rename_all = "kebab-case")]
pub enum ItemKey {
    /// Désignation nettoyée (minuscules, sans espaces de bord), comme la référence.
    #[default]
    Description,
    /// Code article.
    StockCode,
}

/// Restriction des paniers à une partie des transactions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BasketScope {
    /// Seulement les factures de ces clients (par exemple un segment RFM).
    pub customers: Option<Vec<String>>,
    /// Seulement les lignes datées de ce jour ou après (secondes depuis 1970).
    pub from: Option<i64>,
    /// Seulement les lignes datées de ce jour ou avant (le jour entier, voir
    /// [`crate::scope::day_bounds`]).
    pub to: Option<i64>,
}

/// Comment construire les paniers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct BasketOptions {
    /// Désignation ou code article.
    pub item: ItemKey,
    /// Articles retirés des paniers (comparés après minuscules et retrait
    /// des espaces de bord, comme « postage »). Un panier vidé reste compté,
    /// comme dans la référence.
    pub drop_items: Vec<String>,
    /// Laisser les lignes de service (frais de port…) hors des paniers.
    pub exclude_service_lines: bool,
    /// Périmètre.
    pub scope: BasketScope,
}

/// Les paniers : pour chaque facture, ses articles distincts (identifiants
/// denses, triés).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Baskets {
    /// Nom de chaque article.
    pub items: Vec<String>,
    /// Articles de chaque panier, triés, sans doublon.
    pub transactions: Vec<Vec<u32>>,
}

impl Baskets {
    /// Nombre de paniers (dénominateur du support).
    pub fn len(&self) -> usize {
        self.transactions.len()
    }

    /// Vrai sans aucun panier.
    pub fn is_empty(&self) -> bool {
        self.transactions.is_empty()
    }

    /// Paniers écrits à la main (tests, exemples) : chaque panier est une
    /// liste de noms.
    pub fn from_names<S: AsRef<str>>(baskets: &[Vec<S>]) -> Self {
        let mut items: Vec<String> = Vec::new();
        let mut index = rustc_hash::FxHashMap::<String, u32>::default();
        let transactions = baskets
            .iter()
            .map(|basket| {
                let mut ids: Vec<u32> = basket
                    .iter()
                    .map(|name| {
                        let name = name.as_ref().to_string();
                        *index.entry(name.clone()).or_insert_with(|| {
                            items.push(name);
                            (items.len() - 1) as u32
                        })
                    })
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        Self {
            items,
            transactions,
        }
    }
}

/// Construit les paniers de la table nettoyée.
///
/// Un panier par facture ayant au moins une ligne décrite dans le périmètre
/// (la référence groupe par facture et désignation : une désignation vide
/// n'y forme pas de panier).
pub fn build_baskets(clean: &CleanTable, options: &BasketOptions) -> Result<Baskets, PanierError> {
    let table = &clean.table;
    // Sans colonne d'articles, pas de panier à faire : la vraie cause, pas
    // « aucun panier dans ce périmètre ».
    if !table.has_products() {
        return Err(PanierError::ProductsMissing);
    }
    let (values, dictionary) = match options.item {
        ItemKey::Description if table.has(Role::Description) => {
            (&table.description, &table.descriptions)
        }
        _ if table.has(Role::StockCode) => (&table.stock_code, &table.stock_codes),
        ItemKey::Description => (&table.description, &table.descriptions),
        ItemKey::StockCode => {
            return Err(PanierError::InvalidParameter {
                name: "item".into(),
                value: "StockCode".into(),
                expected: Role::StockCode.canonical_name().into(),
            })
        }
    };
    let scope = &options.scope;
    // Clients du périmètre, par identifiant du dictionnaire.
    let customers: Option<Vec<bool>> = scope.customers.as_ref().map(|wanted| {
        let mut keep = vec![false; table.customers.len()];
        for id in wanted.iter().filter_map(|c| table.customers.id_of(c)) {
            keep[id as usize] = true;
        }
        keep
    });
    if (scope.from.is_some() || scope.to.is_some()) && !table.has(Role::InvoiceDate) {
        return Err(PanierError::InvalidParameter {
            name: "période / period".into(),
            value: "—".into(),
            expected: Role::InvoiceDate.canonical_name().into(),
        });
    }
    let dropped: Vec<u32> = options
        .drop_items
        .iter()
        .filter_map(|item| dictionary.id_of(&item.trim().to_lowercase()))
        .chain(
            options
                .drop_items
                .iter()
                .filter_map(|item| dictionary.id_of(item.trim())),
        )
        .collect();
    let empty = dictionary.id_of("");
    let no_invoice = table.invoices.id_of("");
    let mut basket_of_invoice = vec![u32::MAX; table.invoices.len()];
    let mut item_id = vec![u32::MAX; dictionary.len()];
    let mut items: Vec<String> = Vec::new();
    let mut transactions: Vec<Vec<u32>> = Vec::new();
    for (row, &value) in values.iter().enumerate() {
        if Some(value) == empty {
            continue;
        }
        if let Some(keep) = &customers {
            let customer = table.customer[row];
            if customer == MISSING || !keep[customer as usize] {
                continue;
            }
        }
        let date = table.invoice_date[row];
        if !crate::scope::in_days(date, scope.from, scope.to) {
            continue;
        }
        let invoice = table.invoice[row] as usize;
        // Sans numéro de facture, la ligne n'est d'aucun panier (comme le
        // `groupby` de la référence, qui écarte les clés absentes).
        if Some(invoice as u32) == no_invoice {
            continue;
        }
        if basket_of_invoice[invoice] == u32::MAX {
            basket_of_invoice[invoice] = transactions.len() as u32;
            transactions.push(Vec::new());
        }
        if dropped.contains(&value) || (options.exclude_service_lines && clean.is_service_line[row])
        {
            continue;
        }
        let id = &mut item_id[value as usize];
        if *id == u32::MAX {
            *id = items.len() as u32;
            items.push(dictionary.value(value).to_string());
        }
        transactions[basket_of_invoice[invoice] as usize].push(*id);
    }
    for basket in &mut transactions {
        basket.sort_unstable();
        basket.dedup();
    }
    if transactions.is_empty() {
        return Err(PanierError::NoBaskets);
    }
    Ok(Baskets {
        items,
        transactions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;

    const CSV: &str = "\
InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
1,A,Mug,2,2011-01-01 10:00,1.5,7,France
1,A, mug ,1,2011-01-01 10:00,1.5,7,France
1,P,POSTAGE,1,2011-01-01 10:00,18,7,France
2,P,POSTAGE,1,2011-02-01 10:00,18,8,France
3,B,Plate,1,2011-03-01 10:00,4,8,France
";

    fn clean() -> CleanTable {
        analyze(CSV.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean
    }

    #[test]
    fn one_basket_per_invoice_with_distinct_items() {
        let baskets = build_baskets(&clean(), &BasketOptions::default()).unwrap();
        assert_eq!(baskets.len(), 3);
        assert_eq!(baskets.items, ["mug", "postage", "plate"]);
        assert_eq!(baskets.transactions[0], [0, 1]);
    }

    #[test]
    fn dropped_items_leave_their_baskets_counted() {
        let options = BasketOptions {
            drop_items: vec![" Postage".into()],
            ..Default::default()
        };
        let baskets = build_baskets(&clean(), &options).unwrap();
        assert_eq!(baskets.len(), 3, "le panier 2 (postage seul) reste, vide");
        assert!(baskets.transactions[1].is_empty());
        assert!(!baskets.items.contains(&"postage".to_string()));
    }

    #[test]
    fn scope_by_customers_and_dates() {
        let options = BasketOptions {
            scope: BasketScope {
                customers: Some(vec!["8".into()]),
                from: Some(crate::rfm::parse_snapshot("2011-02-15").unwrap()),
                to: None,
            },
            ..Default::default()
        };
        let baskets = build_baskets(&clean(), &options).unwrap();
        assert_eq!(baskets.len(), 1);
        assert_eq!(baskets.items, ["plate"]);
        let nobody = BasketOptions {
            scope: BasketScope {
                customers: Some(vec!["999".into()]),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(matches!(
            build_baskets(&clean(), &nobody),
            Err(PanierError::NoBaskets)
        ));
    }

    #[test]
    fn stock_codes_can_be_the_items() {
        let options = BasketOptions {
            item: ItemKey::StockCode,
            ..Default::default()
        };
        let baskets = build_baskets(&clean(), &options).unwrap();
        assert_eq!(baskets.items, ["A", "P", "B"]);
    }
}
