//! Les indicateurs de la vue d'ensemble : chiffre d'affaires, commandes,
//! clients, panier moyen, articles par commande, part des clients qui
//! reviennent ; chiffre d'affaires et clients nouveaux ou fidèles par mois ;
//! meilleurs pays et produits.
//!
//! Calculés sur la table nettoyée, après le filtre global (pays, période) :
//! toutes les vues voient les mêmes transactions.

use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::numbers::Currency;
use crate::rfm::DAY_SECONDS;
use crate::summary::{compensated_sum, CompensatedSum};
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
    /// Mois incomplet : les données commencent après son premier jour ou
    /// s'arrêtent avant son dernier (le premier et le dernier mois,
    /// souvent) — une baisse n'y est pas un effondrement.
    #[serde(default)]
    pub partial: bool,
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
    /// Commandes où il paraît.
    #[serde(default)]
    pub orders: u64,
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
    /// La devise des montants, devinée des pays de **tout** le fichier (un
    /// filtre par pays ne change pas la devise des prix) ; `None` : pas de
    /// doute levé, l'interface demande.
    #[serde(default)]
    pub currency: Option<Currency>,
}

/// La devise des montants d'une table, devinée de ses pays (lignes par
/// pays, [`Currency::guess`]).
pub fn guess_currency(clean: &CleanTable) -> Option<Currency> {
    let table = &clean.table;
    if !table.has(Role::Country) {
        return None;
    }
    let mut rows = vec![0u64; table.countries.len()];
    for &country in &table.country {
        if let Some(count) = rows.get_mut(country as usize) {
            *count += 1;
        }
    }
    Currency::guess(
        rows.iter()
            .enumerate()
            .map(|(id, &count)| (table.countries.value(id as u32), count)),
    )
}

/// Numéro de mois (année × 12 + mois − 1) d'un instant.
fn month_key(timestamp: i64) -> u32 {
    let date = format_timestamp(timestamp);
    let year: u32 = date.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let month: u32 = date.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    year * 12 + month - 1
}

/// « AAAA-MM » d'un numéro de mois.
fn month_label(key: u32) -> String {
    format!("{:04}-{:02}", key / 12, key % 12 + 1)
}

/// Marque le premier mois s'il commence après le 1er, le dernier s'il
/// s'arrête avant son dernier jour (`dates` : les dates des lignes).
fn mark_partial_months(months: &mut [MonthStats], dates: &[i64]) {
    let dated = dates.iter().copied().filter(|&d| d != NO_DATE);
    let (Some(first), Some(last)) = (dated.clone().min(), dated.max()) else {
        return;
    };
    // Le premier jour d'un mois est celui dont la veille est d'un autre mois
    // ; le dernier, celui dont le lendemain l'est.
    let starts_late = month_key(first) == month_key(first - DAY_SECONDS);
    let ends_early = month_key(last) == month_key(last + DAY_SECONDS);
    let (first, last) = (month_label(month_key(first)), month_label(month_key(last)));
    for month in months.iter_mut() {
        month.partial =
            (starts_late && month.month == first) || (ends_early && month.month == last);
    }
}

/// Les 10 premiers par chiffre d'affaires (à égalité, par nom) ; sans
/// montants (`by_revenue` faux : tous à 0), par unités, puis commandes,
/// puis nom — jamais par ordre alphabétique seul.
fn top10(mut ranked: Vec<Ranked>, by_revenue: bool) -> Vec<Ranked> {
    crate::kernels::sort_by(&mut ranked, |a, b| {
        let first = if by_revenue {
            b.revenue.total_cmp(&a.revenue)
        } else {
            b.count
                .total_cmp(&a.count)
                .then_with(|| b.orders.cmp(&a.orders))
        };
        first.then_with(|| a.name.cmp(&b.name))
    });
    ranked.truncate(10);
    ranked
}

/// Montants regroupés par une clé dense, additionnés avec compensation.
fn sums_by(keys: impl Iterator<Item = usize>, amounts: &[f64], size: usize) -> Vec<f64> {
    let mut sums = vec![CompensatedSum::default(); size];
    for (key, &amount) in keys.zip(amounts) {
        sums[key].add(amount);
    }
    sums.iter().map(CompensatedSum::total).collect()
}

/// Appelle `visit(a, b)` une fois pour chaque paire `(a, b)` distincte de
/// `pairs` (`a < len_a`, `b < len_b`), sans tri : les paires sont rangées
/// par `a` (comptage puis placement), et dans chaque groupe une marque par
/// `b` (le dernier `a` qui l'a vu) écarte les répétitions. Linéaire en
/// nombre de lignes, quelle que soit leur disposition dans le fichier.
fn distinct_pairs<I>(pairs: I, len_a: usize, len_b: usize, mut visit: impl FnMut(u32, u32))
where
    I: Iterator<Item = (u32, u32)> + Clone,
{
    let mut start = vec![0u32; len_a + 1];
    for (a, _) in pairs.clone() {
        start[a as usize + 1] += 1;
    }
    for a in 1..start.len() {
        start[a] += start[a - 1];
    }
    let mut next = start.clone();
    let mut grouped = vec![0u32; start[len_a] as usize];
    for (a, b) in pairs {
        grouped[next[a as usize] as usize] = b;
        next[a as usize] += 1;
    }
    drop(next);
    let mut seen_by = vec![u32::MAX; len_b];
    for a in 0..len_a {
        for &b in &grouped[start[a] as usize..start[a + 1] as usize] {
            if seen_by[b as usize] != a as u32 {
                seen_by[b as usize] = a as u32;
                visit(a as u32, b);
            }
        }
    }
}

/// Calcule les indicateurs. Tout est regroupé dans des tableaux denses
/// (identifiants du dictionnaire, numéros de mois) : une passe par mesure.
pub fn overview(clean: &CleanTable) -> Overview {
    let table = &clean.table;
    let n = table.len();
    let revenue = compensated_sum(clean.total_price.iter().copied());
    let has_customer = table.has(Role::Customer);

    // Mois de chaque ligne ; les lignes d'un même jour se suivent : le
    // dernier jour converti est gardé.
    let mut last_day = (i64::MIN, 0u32);
    let month: Vec<Option<u32>> = table
        .invoice_date
        .iter()
        .map(|&date| {
            (date != NO_DATE).then(|| {
                let day = date.div_euclid(86_400);
                if last_day.0 != day {
                    last_day = (day, month_key(date));
                }
                last_day.1
            })
        })
        .collect();
    let first = month.iter().flatten().min().copied().unwrap_or(0);
    let last = month.iter().flatten().max().copied().unwrap_or(0);
    let months_count = (last - first + 1) as usize;
    let slot = |m: u32| (m - first) as usize;

    // Commandes : première ligne de chaque facture (son mois, son pays),
    // produits distincts.
    let invoices = table.invoices.len();
    let mut invoice_row = vec![usize::MAX; invoices];
    for row in 0..n {
        let invoice = table.invoice[row] as usize;
        if invoice_row[invoice] == usize::MAX {
            invoice_row[invoice] = row;
        }
    }
    let mut products = 0usize;
    let mut product_orders = vec![0u64; table.descriptions.len()];
    distinct_pairs(
        table
            .invoice
            .iter()
            .copied()
            .zip(table.description.iter().copied()),
        invoices,
        table.descriptions.len(),
        |_, product| {
            products += 1;
            product_orders[product as usize] += 1;
        },
    );
    let orders = invoice_row.iter().filter(|&&r| r != usize::MAX).count() as u64;

    // Clients : commandes distinctes, premier mois, mois d'achat.
    let customers_len = table.customers.len();
    let mut first_month = vec![u32::MAX; customers_len];
    let mut orders_per_customer = vec![0u32; customers_len];
    // Mois d'achat distincts de chaque client, rangés ensuite en nouveaux
    // et fidèles (il faut d'abord connaître le premier mois de chacun).
    let mut customer_months: Vec<(u32, u32)> = Vec::new();
    if has_customer {
        let with_customer = || (0..n).filter(|&row| table.customer[row] != MISSING);
        for row in with_customer() {
            if let Some(m) = month[row] {
                let f = &mut first_month[table.customer[row] as usize];
                *f = (*f).min(m);
            }
        }
        distinct_pairs(
            with_customer().map(|row| (table.customer[row], table.invoice[row])),
            customers_len,
            invoices,
            |customer, _| orders_per_customer[customer as usize] += 1,
        );
        distinct_pairs(
            with_customer()
                .filter_map(|row| month[row].map(|m| (table.customer[row], slot(m) as u32))),
            customers_len,
            months_count,
            |customer, m| customer_months.push((customer, first + m)),
        );
    }
    let customers = orders_per_customer.iter().filter(|&&o| o > 0).count() as u64;
    let returning = orders_per_customer.iter().filter(|&&o| o >= 2).count() as u64;

    // Mois.
    let dated: Vec<usize> = (0..n).filter(|&r| month[r].is_some()).collect();
    let month_revenue = sums_by(
        dated.iter().map(|&r| month[r].map_or(0, slot)),
        &dated
            .iter()
            .map(|&r| clean.total_price[r])
            .collect::<Vec<_>>(),
        months_count,
    );
    let mut month_orders = vec![0u64; months_count];
    for &row in invoice_row.iter().filter(|&&r| r != usize::MAX) {
        if let Some(m) = month[row] {
            month_orders[slot(m)] += 1;
        }
    }
    let mut month_new = vec![0u64; months_count];
    let mut month_returning = vec![0u64; months_count];
    for &(customer, m) in &customer_months {
        if first_month[customer as usize] == m {
            month_new[slot(m)] += 1;
        } else {
            month_returning[slot(m)] += 1;
        }
    }
    let mut months: Vec<MonthStats> = if dated.is_empty() {
        Vec::new()
    } else {
        (0..months_count)
            .filter(|&i| month_orders[i] > 0)
            .map(|i| MonthStats {
                month: month_label(first + i as u32),
                revenue: month_revenue[i],
                orders: month_orders[i],
                new_customers: month_new[i],
                returning_customers: month_returning[i],
                partial: false,
            })
            .collect()
    };
    mark_partial_months(&mut months, &table.invoice_date);

    // Pays et produits.
    let top_countries = if table.has(Role::Country) {
        let by_country = sums_by(
            table.country.iter().map(|&c| c as usize),
            &clean.total_price,
            table.countries.len(),
        );
        let mut country_orders = vec![0u32; table.countries.len()];
        for &row in invoice_row.iter().filter(|&&r| r != usize::MAX) {
            country_orders[table.country[row] as usize] += 1;
        }
        top10(
            (0..table.countries.len())
                .filter(|&c| country_orders[c] > 0)
                .map(|c| Ranked {
                    name: table.countries.value(c as u32).to_string(),
                    revenue: by_country[c],
                    count: f64::from(country_orders[c]),
                    orders: u64::from(country_orders[c]),
                })
                .collect(),
            table.has_amounts(),
        )
    } else {
        Vec::new()
    };
    let products_len = table.descriptions.len();
    let goods: Vec<usize> = (0..n).filter(|&r| !clean.is_service_line[r]).collect();
    let by_product = sums_by(
        goods.iter().map(|&r| table.description[r] as usize),
        &goods
            .iter()
            .map(|&r| clean.total_price[r])
            .collect::<Vec<_>>(),
        products_len,
    );
    let mut units = vec![0.0f64; products_len];
    let mut sold = vec![false; products_len];
    for &row in &goods {
        units[table.description[row] as usize] += table.quantity[row];
        sold[table.description[row] as usize] = true;
    }
    let top_products = top10(
        (0..products_len)
            .filter(|&p| sold[p] && !table.descriptions.value(p as u32).is_empty())
            .map(|p| Ranked {
                name: table.descriptions.value(p as u32).to_string(),
                revenue: by_product[p],
                count: units[p],
                orders: product_orders[p],
            })
            .collect(),
        table.has_amounts(),
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
            products as f64 / orders as f64
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
        currency: guess_currency(clean),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        /// Les paires distinctes, sans tri, sont celles d'un ensemble
        /// ordonné (l'oracle), chacune vue une fois, quel que soit l'ordre
        /// des lignes (paires répétées, dispersées, clés absentes).
        #[test]
        fn distinct_pairs_are_those_of_a_set(
            pairs in proptest::collection::vec((0u32..12, 0u32..9), 0..300)
        ) {
            let mut visited = Vec::new();
            distinct_pairs(pairs.iter().copied(), 12, 9, |a, b| visited.push((a, b)));
            let expected: BTreeSet<(u32, u32)> = pairs.iter().copied().collect();
            prop_assert_eq!(visited.len(), expected.len());
            prop_assert_eq!(visited.into_iter().collect::<BTreeSet<_>>(), expected);
        }

        /// Les sommes par clé en un passage valent, au bit près, la somme
        /// compensée des valeurs de chaque clé dans l'ordre des lignes.
        #[test]
        fn sums_by_key_equal_the_compensated_sum_of_each_group(
            rows in proptest::collection::vec((0usize..5, -1e6f64..1e6), 0..200)
        ) {
            let amounts: Vec<f64> = rows.iter().map(|&(_, v)| v).collect();
            let sums = sums_by(rows.iter().map(|&(k, _)| k), &amounts, 5);
            for (key, sum) in sums.iter().enumerate() {
                let group = rows.iter().filter(|&&(k, _)| k == key).map(|&(_, v)| v);
                prop_assert_eq!(sum.to_bits(), compensated_sum(group).to_bits());
            }
        }
    }

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
        // Janvier commence le 5, février s'arrête le 2 : tous deux incomplets.
        assert!(o.months[0].partial && o.months[1].partial);
        // Trois pays sur quatre lignes en France (75 %) : pas de devise sûre.
        assert_eq!(o.currency, None);
    }

    /// Sans prix (une liste de paniers), les produits se classent par
    /// unités puis par commandes, pas par ordre alphabétique.
    #[test]
    fn without_prices_top_products_are_ranked_by_units_then_orders() {
        let csv = "InvoiceNo,Description,Quantity\n\
                   1,Zebra,2\n2,Zebra,1\n\
                   1,Apple,1\n\
                   3,Mango,1\n4,Mango,1\n5,Mango,1\n\
                   6,Kiwi,3\n";
        let clean = analyze(csv.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        assert!(!clean.table.has_amounts());
        let o = overview(&clean);
        let ranked: Vec<(&str, f64, u64)> = o
            .top_products
            .iter()
            .map(|r| (r.name.as_str(), r.count, r.orders))
            .collect();
        assert_eq!(
            ranked,
            [
                ("mango", 3.0, 3),
                ("zebra", 3.0, 2),
                ("kiwi", 3.0, 1),
                ("apple", 1.0, 1)
            ]
        );
    }

    #[test]
    fn whole_months_are_not_partial_and_the_currency_follows_the_main_country() {
        let csv = "InvoiceNo,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
                   1,Mug,1,2011-01-01 10:00,1,7,France\n\
                   2,Mug,1,2011-01-31 10:00,1,7,France\n\
                   3,Mug,1,2011-02-28 23:00,1,7,France\n\
                   4,Mug,1,2011-02-03 10:00,1,7,France\n\
                   5,Mug,1,2011-02-04 10:00,1,8,Belgium\n";
        let clean = analyze(csv.as_bytes(), &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        let o = overview(&clean);
        assert_eq!(o.months.len(), 2);
        assert!(!o.months[0].partial && !o.months[1].partial);
        assert_eq!(o.currency, Some(Currency::Eur));
    }
}
