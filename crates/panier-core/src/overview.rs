//! Les indicateurs de la vue d'ensemble : chiffre d'affaires, commandes,
//! clients, panier moyen, articles par commande, part des clients qui
//! reviennent ; chiffre d'affaires et clients nouveaux ou fidèles par mois ;
//! meilleurs pays et produits.
//!
//! Calculés sur la table nettoyée, après le filtre global (pays, période) :
//! toutes les vues voient les mêmes transactions.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::summary::compensated_sum;
use crate::table::MISSING;

/// Un mois.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthStats {
    /// « AAAA-MM ».
    pub month: String,
    /// Chiffre d'affaires du mois.
    pub revenue: f64,
    /// Commandes du mois.
    pub orders: u64,
    /// Clients dont c'est le premier mois d'achat.
    pub new_customers: u64,
    /// Clients qui avaient déjà acheté un mois précédent.
    pub returning_customers: u64,
}

/// Un pays ou un produit classé par chiffre d'affaires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranked {
    /// Nom.
    pub name: String,
    /// Chiffre d'affaires.
    pub revenue: f64,
    /// Commandes (pays) ou unités (produit).
    pub count: f64,
}

/// Les indicateurs de la vue d'ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// Chiffre d'affaires.
    pub revenue: f64,
    /// Commandes (factures).
    pub orders: u64,
    /// Clients identifiés.
    pub customers: u64,
    /// Panier moyen : chiffre d'affaires ÷ commandes.
    pub average_order_value: f64,
    /// Produits distincts par commande, en moyenne.
    pub items_per_order: f64,
    /// Part des clients ayant passé au moins deux commandes.
    pub returning_share: f64,
    /// Mois par mois.
    pub months: Vec<MonthStats>,
    /// Les 10 pays au plus fort chiffre d'affaires.
    pub top_countries: Vec<Ranked>,
    /// Les 10 produits au plus fort chiffre d'affaires.
    pub top_products: Vec<Ranked>,
}

/// Les lignes d'un mois : montants, factures, clients.
type MonthLines = (Vec<f64>, Vec<u32>, Vec<u32>);

/// « AAAA-MM » d'un instant.
fn month_of(timestamp: i64) -> String {
    format_timestamp(timestamp).chars().take(7).collect()
}

/// Les 10 premiers par chiffre d'affaires (à égalité, par nom).
fn top10(mut ranked: Vec<Ranked>) -> Vec<Ranked> {
    ranked.sort_by(|a, b| {
        b.revenue
            .total_cmp(&a.revenue)
            .then_with(|| a.name.cmp(&b.name))
    });
    ranked.truncate(10);
    ranked
}

/// Calcule les indicateurs.
pub fn overview(clean: &CleanTable) -> Overview {
    let table = &clean.table;
    let n = table.len();
    let revenue = compensated_sum(clean.total_price.iter().copied());

    // Commandes : lignes et date de chaque facture.
    let mut invoice_lines = vec![0u32; table.invoices.len()];
    let mut invoice_products: Vec<Vec<u32>> = vec![Vec::new(); table.invoices.len()];
    for row in 0..n {
        let invoice = table.invoice[row] as usize;
        invoice_lines[invoice] += 1;
        invoice_products[invoice].push(table.description[row]);
    }
    let orders = invoice_lines.iter().filter(|&&l| l > 0).count() as u64;
    let distinct_products: usize = invoice_products
        .iter_mut()
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.sort_unstable();
            p.dedup();
            p.len()
        })
        .sum();

    // Clients : commandes distinctes, premier mois.
    let has_customer = table.has(Role::Customer);
    let mut customer_orders: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut first_month: FxHashMap<u32, String> = FxHashMap::default();
    let mut months: std::collections::BTreeMap<String, MonthLines> = Default::default();
    // Les lignes ne sont pas forcément dans l'ordre des dates : premier mois
    // d'abord, mois par mois ensuite.
    for row in 0..n {
        let customer = table.customer[row];
        let date = table.invoice_date[row];
        if has_customer && customer != MISSING {
            customer_orders
                .entry(customer)
                .or_default()
                .push(table.invoice[row]);
            if date != NO_DATE {
                let month = month_of(date);
                first_month
                    .entry(customer)
                    .and_modify(|m| {
                        if month < *m {
                            *m = month.clone();
                        }
                    })
                    .or_insert(month);
            }
        }
    }
    for row in 0..n {
        let date = table.invoice_date[row];
        if date == NO_DATE {
            continue;
        }
        let entry = months.entry(month_of(date)).or_default();
        entry.0.push(clean.total_price[row]);
        entry.1.push(table.invoice[row]);
        if has_customer && table.customer[row] != MISSING {
            entry.2.push(table.customer[row]);
        }
    }
    let months = months
        .into_iter()
        .map(|(month, (amounts, mut invoices, mut customers))| {
            invoices.sort_unstable();
            invoices.dedup();
            customers.sort_unstable();
            customers.dedup();
            let new_customers = customers
                .iter()
                .filter(|c| first_month.get(c) == Some(&month))
                .count() as u64;
            MonthStats {
                revenue: compensated_sum(amounts),
                orders: invoices.len() as u64,
                new_customers,
                returning_customers: customers.len() as u64 - new_customers,
                month,
            }
        })
        .collect();
    let customers = customer_orders.len() as u64;
    let returning = customer_orders
        .values_mut()
        .map(|orders| {
            orders.sort_unstable();
            orders.dedup();
            orders.len()
        })
        .filter(|&distinct| distinct >= 2)
        .count() as u64;

    // Pays et produits.
    let mut by_country: FxHashMap<u32, (Vec<f64>, Vec<u32>)> = FxHashMap::default();
    let mut by_product: FxHashMap<u32, (Vec<f64>, f64)> = FxHashMap::default();
    for row in 0..n {
        if table.has(Role::Country) {
            let entry = by_country.entry(table.country[row]).or_default();
            entry.0.push(clean.total_price[row]);
            entry.1.push(table.invoice[row]);
        }
        if !clean.is_service_line[row] {
            let entry = by_product.entry(table.description[row]).or_default();
            entry.0.push(clean.total_price[row]);
            entry.1 += table.quantity[row];
        }
    }
    let top_countries = top10(
        by_country
            .into_iter()
            .map(|(id, (amounts, mut invoices))| {
                invoices.sort_unstable();
                invoices.dedup();
                Ranked {
                    name: table.countries.value(id).to_string(),
                    revenue: compensated_sum(amounts),
                    count: invoices.len() as f64,
                }
            })
            .collect(),
    );
    let top_products = top10(
        by_product
            .into_iter()
            .filter(|(id, _)| !table.descriptions.value(*id).is_empty())
            .map(|(id, (amounts, units))| Ranked {
                name: table.descriptions.value(id).to_string(),
                revenue: compensated_sum(amounts),
                count: units,
            })
            .collect(),
    );
    Overview {
        revenue,
        orders,
        customers,
        average_order_value: if orders > 0 {
            revenue / orders as f64
        } else {
            0.0
        },
        items_per_order: if orders > 0 {
            distinct_products as f64 / orders as f64
        } else {
            0.0
        },
        returning_share: if customers > 0 {
            returning as f64 / customers as f64
        } else {
            0.0
        },
        months,
        top_countries,
        top_products,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;

    #[test]
    fn kpis_months_and_rankings() {
        let csv =
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
                   1,A,Mug,2,2011-01-05 10:00,1.5,7,France\n\
                   1,B,Plate,1,2011-01-05 10:00,4,7,France\n\
                   2,A,Mug,1,2011-02-01 10:00,1.5,7,France\n\
                   3,C,Bowl,1,2011-02-02 10:00,10,8,Spain\n";
        let clean = analyze(csv.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        let o = overview(&clean);
        assert_eq!(o.orders, 3);
        assert_eq!(o.customers, 2);
        assert_eq!(o.revenue, 3.0 + 4.0 + 1.5 + 10.0);
        assert!((o.average_order_value - 18.5 / 3.0).abs() < 1e-12);
        assert!((o.items_per_order - 4.0 / 3.0).abs() < 1e-12);
        assert_eq!(o.returning_share, 0.5);
        assert_eq!(o.months.len(), 2);
        assert_eq!(o.months[0].month, "2011-01");
        assert_eq!(
            (o.months[0].new_customers, o.months[0].returning_customers),
            (1, 0)
        );
        // Février : 7 revient, 8 est nouveau.
        assert_eq!(
            (o.months[1].new_customers, o.months[1].returning_customers),
            (1, 1)
        );
        assert_eq!(o.top_countries[0].name, "Spain");
        assert_eq!(o.top_products[0].name, "bowl");
        assert_eq!(o.top_products[1].count, 3.0);
    }
}
