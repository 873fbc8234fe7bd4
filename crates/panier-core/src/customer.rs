//! Fiche d'un client : ses commandes et ses produits préférés, lus dans la
//! table nettoyée (la segmentation ne garde que trois mesures par client).

use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::ingest::dates::format_timestamp;
use crate::ingest::roles::Role;
use crate::summary::compensated_sum;

/// Une commande (facture) du client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// Numéro de facture.
    pub invoice: String,
    /// Date (AAAA-MM-JJ HH:MM:SS, vide si illisible).
    pub date: String,
    /// Lignes de la facture.
    pub lines: u32,
    /// Montant.
    pub amount: f64,
}

/// Un produit acheté par le client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductBought {
    /// Désignation nettoyée (ou code article sans désignation).
    pub product: String,
    /// Unités achetées.
    pub units: f64,
    /// Montant dépensé.
    pub revenue: f64,
    /// Commandes où il apparaît.
    pub orders: u32,
}

/// Ce que le client a acheté.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerPurchases {
    /// Identifiant du client.
    pub customer: String,
    /// Pays (le plus fréquent dans ses lignes), s'il est connu.
    pub country: Option<String>,
    /// Ses commandes, la plus récente d'abord.
    pub orders: Vec<Order>,
    /// Ses produits, par montant décroissant (au plus `top`).
    pub top_products: Vec<ProductBought>,
    /// Produits distincts.
    pub distinct_products: u32,
}

/// La fiche du client `customer`, ou `None` s'il n'a aucune ligne.
pub fn customer_purchases(
    clean: &CleanTable,
    customer: &str,
    top: usize,
) -> Option<CustomerPurchases> {
    let table = &clean.table;
    let id = table.customers.id_of(customer)?;
    let rows: Vec<usize> = (0..table.len())
        .filter(|&r| table.customer[r] == id)
        .collect();
    if rows.is_empty() {
        return None;
    }
    // Commandes, dans l'ordre de première apparition.
    let mut orders: Vec<(u32, i64, Vec<f64>)> = Vec::new();
    for &row in &rows {
        let invoice = table.invoice[row];
        match orders.iter_mut().find(|(i, _, _)| *i == invoice) {
            Some((_, date, amounts)) => {
                *date = (*date).max(table.invoice_date[row]);
                amounts.push(clean.total_price[row]);
            }
            None => orders.push((
                invoice,
                table.invoice_date[row],
                vec![clean.total_price[row]],
            )),
        }
    }
    crate::kernels::sort_by_key(&mut orders, |order| std::cmp::Reverse(order.1));
    let orders = orders
        .into_iter()
        .map(|(invoice, date, amounts)| Order {
            invoice: table.invoices.value(invoice).to_string(),
            date: format_timestamp(date),
            lines: amounts.len() as u32,
            amount: compensated_sum(amounts),
        })
        .collect();

    // Produits : désignation, sinon code article.
    let use_description = table.has(Role::Description);
    let mut products: rustc_hash::FxHashMap<u32, (f64, f64, Vec<u32>)> = Default::default();
    for &row in &rows {
        let key = if use_description {
            table.description[row]
        } else {
            table.stock_code[row]
        };
        let entry = products.entry(key).or_default();
        entry.0 += table.quantity[row];
        entry.1 += clean.total_price[row];
        if !entry.2.contains(&table.invoice[row]) {
            entry.2.push(table.invoice[row]);
        }
    }
    let distinct_products = products.len() as u32;
    let mut top_products: Vec<ProductBought> = products
        .into_iter()
        .map(|(key, (units, revenue, invoices))| ProductBought {
            product: if use_description {
                table.descriptions.value(key).to_string()
            } else {
                table.stock_codes.value(key).to_string()
            },
            units,
            revenue,
            orders: invoices.len() as u32,
        })
        .collect();
    crate::kernels::sort_by(&mut top_products, |a, b| {
        b.revenue
            .total_cmp(&a.revenue)
            .then_with(|| a.product.cmp(&b.product))
    });
    top_products.truncate(top);

    let country = table.has(Role::Country).then(|| {
        let mut counts: rustc_hash::FxHashMap<u32, u32> = Default::default();
        for &row in &rows {
            *counts.entry(table.country[row]).or_default() += 1;
        }
        let (best, _) = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .unwrap_or_default();
        table.countries.value(best).to_string()
    });
    Some(CustomerPurchases {
        customer: customer.to_string(),
        country,
        orders,
        top_products,
        distinct_products,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;

    #[test]
    fn a_customer_sheet_lists_orders_and_favourite_products() {
        let csv =
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
                   1,A,Mug,2,2011-01-01 10:00,1.5,7,France\n\
                   1,B,Plate,1,2011-01-01 10:00,4,7,France\n\
                   2,A,Mug,10,2011-02-01 10:00,1.5,7,France\n\
                   3,C,Bowl,1,2011-02-02 10:00,1,8,Spain\n";
        let clean = analyze(csv.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        let sheet = customer_purchases(&clean, "7", 10).unwrap();
        assert_eq!(sheet.country.as_deref(), Some("France"));
        assert_eq!(sheet.orders.len(), 2);
        assert_eq!(sheet.orders[0].invoice, "2");
        assert_eq!(sheet.orders[1].lines, 2);
        assert_eq!(sheet.orders[1].amount, 7.0);
        assert_eq!(sheet.top_products[0].product, "mug");
        assert_eq!(sheet.top_products[0].units, 12.0);
        assert_eq!(sheet.top_products[0].orders, 2);
        assert_eq!(sheet.distinct_products, 2);
        assert!(customer_purchases(&clean, "999", 10).is_none());
    }
}
