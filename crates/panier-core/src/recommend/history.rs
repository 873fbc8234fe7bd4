//! Historique d'achat sur une période : pour chaque client, ses articles
//! (nombre de commandes, dernier achat) ; pour chaque article, ses acheteurs
//! sur toute la période et sur ses derniers jours ; et les paniers, pour les
//! associations.
//!
//! Les articles sont les désignations nettoyées (identifiants du
//! dictionnaire de la table). Les lignes de service (frais de port…) ne sont
//! pas des produits à recommander : elles sont laissées de côté.

use crate::clean::CleanTable;
use crate::ingest::dates::NO_DATE;
use crate::table::MISSING;

/// Un article acheté par un client.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bought {
    /// Article.
    pub item: u32,
    /// Commandes qui le contiennent.
    pub orders: u32,
    /// Dernier achat (secondes depuis 1970).
    pub last: i64,
}

/// L'historique d'une période `[from, to[`.
#[derive(Debug, Clone)]
pub struct History {
    /// Début de la période.
    pub from: i64,
    /// Fin (exclue).
    pub to: i64,
    /// Articles de chaque client (indice : identifiant du dictionnaire des
    /// clients), triés par article.
    pub customers: Vec<Vec<Bought>>,
    /// Acheteurs distincts de chaque article sur la période.
    pub buyers: Vec<u32>,
    /// Acheteurs distincts de chaque article sur les `recent_days` derniers jours.
    pub recent_buyers: Vec<u32>,
    /// Articles de chaque panier (facture) de la période, triés.
    pub baskets: Vec<Vec<u32>>,
    /// Paniers qui contiennent chaque article.
    pub in_baskets: Vec<u32>,
    /// Prix unitaire moyen de chaque article.
    pub price: Vec<f64>,
    /// Nombre d'articles (taille du dictionnaire des désignations).
    pub items: usize,
}

impl History {
    /// L'historique des lignes datées de `[from, to[`, la popularité récente
    /// comptée sur les `recent_days` derniers jours. La période
    /// `[i64::MIN, i64::MAX[` prend aussi les lignes sans date (un fichier
    /// « un panier par ligne » n'en a pas).
    pub fn build(clean: &CleanTable, from: i64, to: i64, recent_days: i64) -> Self {
        let everything = from == i64::MIN && to == i64::MAX;
        let table = &clean.table;
        let items = table.descriptions.len();
        let empty = table.descriptions.id_of("");
        let no_invoice = table.invoices.id_of("");
        // Deux passages sans réallocation : le premier compte les lignes de
        // chaque client et de chaque panier, le second les range à leur
        // place dans deux tableaux plats (un segment par client, par panier).
        let mut rows: Vec<u32> = Vec::new();
        let mut customer_lines = vec![0u32; table.customers.len() + 1];
        let mut basket_of_invoice = vec![u32::MAX; table.invoices.len()];
        let mut basket_lines: Vec<u32> = Vec::new();
        let mut price_sum = vec![0.0f64; items];
        let mut price_rows = vec![0u32; items];
        for row in 0..table.len() {
            if !in_period(clean, row, from, to, everything, empty) {
                continue;
            }
            let item = table.description[row];
            rows.push(row as u32);
            price_sum[item as usize] += table.unit_price[row];
            price_rows[item as usize] += 1;
            let invoice = table.invoice[row] as usize;
            // Sans numéro de facture, la ligne n'est d'aucun panier (comme
            // le `groupby` de pandas, qui écarte les clés absentes).
            if Some(invoice as u32) != no_invoice {
                if basket_of_invoice[invoice] == u32::MAX {
                    basket_of_invoice[invoice] = basket_lines.len() as u32;
                    basket_lines.push(0);
                }
                basket_lines[basket_of_invoice[invoice] as usize] += 1;
            }
            let customer = table.customer[row];
            if customer != MISSING {
                customer_lines[customer as usize + 1] += 1;
            }
        }
        // Débuts des segments (sommes cumulées).
        for c in 1..customer_lines.len() {
            customer_lines[c] += customer_lines[c - 1];
        }
        let mut basket_start = Vec::with_capacity(basket_lines.len() + 1);
        basket_start.push(0u32);
        for &n in &basket_lines {
            basket_start.push(basket_start[basket_start.len() - 1] + n);
        }
        let mut lines = vec![(0u32, 0u32, 0i64); customer_lines[customer_lines.len() - 1] as usize];
        let mut basket_items = vec![0u32; basket_start[basket_start.len() - 1] as usize];
        let mut customer_next = customer_lines.clone();
        let mut basket_next = basket_start.clone();
        for &row in &rows {
            let row = row as usize;
            let item = table.description[row];
            let invoice = table.invoice[row];
            if Some(invoice) != no_invoice {
                let b = basket_of_invoice[invoice as usize] as usize;
                basket_items[basket_next[b] as usize] = item;
                basket_next[b] += 1;
            }
            let customer = table.customer[row];
            if customer != MISSING {
                let c = customer as usize;
                lines[customer_next[c] as usize] = (item, invoice, table.invoice_date[row]);
                customer_next[c] += 1;
            }
        }
        drop(rows);
        let baskets: Vec<Vec<u32>> = basket_start
            .windows(2)
            .map(|w| {
                let basket = &mut basket_items[w[0] as usize..w[1] as usize];
                basket.sort_unstable();
                let mut items: Vec<u32> = Vec::with_capacity(basket.len());
                for &item in basket.iter() {
                    if items.last() != Some(&item) {
                        items.push(item);
                    }
                }
                items
            })
            .collect();
        drop(basket_items);
        let customers = customer_lines
            .windows(2)
            .map(|w| {
                let lines = &mut lines[w[0] as usize..w[1] as usize];
                // (article, facture) distincts, puis regroupés par article.
                lines.sort_unstable_by_key(|&(item, invoice, _)| (item, invoice));
                let mut bought: Vec<Bought> = Vec::new();
                let mut previous: Option<(u32, u32)> = None;
                for &(item, invoice, date) in lines.iter() {
                    match bought.last_mut() {
                        Some(last) if last.item == item => {
                            if previous != Some((item, invoice)) {
                                last.orders += 1;
                            }
                            last.last = last.last.max(date);
                        }
                        _ => bought.push(Bought {
                            item,
                            orders: 1,
                            last: date,
                        }),
                    }
                    previous = Some((item, invoice));
                }
                bought
            })
            .collect();
        Self::assemble(
            (from, to),
            customers,
            baskets,
            (&price_sum, &price_rows),
            recent_days,
        )
    }

    /// L'historique de `[earlier.from, later.to[` assemblé à partir de ceux
    /// de deux périodes qui se suivent, sans retrier les lignes : les
    /// articles de chaque client sont fusionnés (commandes additionnées,
    /// dernier achat le plus récent), les paniers mis bout à bout (ceux de
    /// `earlier` d'abord). `None` quand le résultat ne serait pas celui de
    /// [`History::build`] : une facture dont des lignes tombent de chaque
    /// côté de la coupure (un panier de chaque côté, mais un seul sur toute
    /// la période), ou des lignes sans facture (comptées comme une seule
    /// commande sur toute la période). Les prix moyens sont recalculés ligne
    /// à ligne, dans l'ordre du fichier, comme par [`History::build`].
    pub fn joined(
        clean: &CleanTable,
        earlier: &History,
        later: &History,
        recent_days: i64,
    ) -> Option<Self> {
        let (from, cut, to) = (earlier.from, earlier.to, later.to);
        if later.from != cut
            || from == i64::MIN
            || to == i64::MAX
            || earlier.items != later.items
            || earlier.customers.len() != later.customers.len()
        {
            return None;
        }
        let table = &clean.table;
        let items = earlier.items;
        let empty = table.descriptions.id_of("");
        let no_invoice = table.invoices.id_of("");
        // Côté de chaque facture (1 : avant la coupure, 2 : après), et prix
        // moyens, en un passage sur les lignes retenues par `build`.
        let mut side = vec![0u8; table.invoices.len()];
        let mut price_sum = vec![0.0f64; items];
        let mut price_rows = vec![0u32; items];
        for row in 0..table.len() {
            if !in_period(clean, row, from, to, false, empty) {
                continue;
            }
            let (date, item) = (table.invoice_date[row], table.description[row]);
            let invoice = table.invoice[row];
            if Some(invoice) == no_invoice {
                return None;
            }
            let flag = side.get_mut(invoice as usize)?;
            *flag |= if date < cut { 1 } else { 2 };
            if *flag == 3 {
                return None;
            }
            price_sum[item as usize] += table.unit_price[row];
            price_rows[item as usize] += 1;
        }
        let customers: Vec<Vec<Bought>> = earlier
            .customers
            .iter()
            .zip(&later.customers)
            .map(|(a, b)| {
                let mut merged: Vec<Bought> = Vec::with_capacity(a.len() + b.len());
                let (mut i, mut j) = (0, 0);
                while i < a.len() || j < b.len() {
                    let next = match (a.get(i), b.get(j)) {
                        (Some(x), Some(y)) if x.item == y.item => {
                            i += 1;
                            j += 1;
                            Bought {
                                item: x.item,
                                orders: x.orders + y.orders,
                                last: x.last.max(y.last),
                            }
                        }
                        (Some(x), Some(y)) if x.item < y.item => {
                            i += 1;
                            *x
                        }
                        (Some(x), None) => {
                            i += 1;
                            *x
                        }
                        (_, Some(y)) => {
                            j += 1;
                            *y
                        }
                        (None, None) => break,
                    };
                    merged.push(next);
                }
                merged
            })
            .collect();
        let baskets: Vec<Vec<u32>> = earlier
            .baskets
            .iter()
            .chain(&later.baskets)
            .cloned()
            .collect();
        Some(Self::assemble(
            (from, to),
            customers,
            baskets,
            (&price_sum, &price_rows),
            recent_days,
        ))
    }

    /// L'historique de la période `(from, to)` à partir des articles de
    /// chaque client, des paniers et des sommes des prix (somme, lignes) de
    /// chaque article : ce qui s'en déduit (acheteurs, acheteurs des
    /// `recent_days` derniers jours, paniers de chaque article, prix moyens)
    /// est compté ici, pour [`History::build`] comme pour
    /// [`History::joined`].
    fn assemble(
        (from, to): (i64, i64),
        customers: Vec<Vec<Bought>>,
        baskets: Vec<Vec<u32>>,
        (price_sum, price_rows): (&[f64], &[u32]),
        recent_days: i64,
    ) -> Self {
        let items = price_sum.len();
        let recent_from = to.saturating_sub(recent_days * crate::rfm::DAY_SECONDS);
        let mut buyers = vec![0u32; items];
        let mut recent_buyers = vec![0u32; items];
        for b in customers.iter().flatten() {
            buyers[b.item as usize] += 1;
            if b.last >= recent_from {
                recent_buyers[b.item as usize] += 1;
            }
        }
        let mut in_baskets = vec![0u32; items];
        for &item in baskets.iter().flatten() {
            in_baskets[item as usize] += 1;
        }
        let price = price_sum
            .iter()
            .zip(price_rows)
            .map(|(&sum, &n)| if n > 0 { sum / f64::from(n) } else { 0.0 })
            .collect();
        Self {
            from,
            to,
            customers,
            buyers,
            recent_buyers,
            baskets,
            in_baskets,
            price,
            items,
        }
    }

    /// Vrai si le client a acheté l'article sur la période.
    pub fn has_bought(&self, customer: usize, item: u32) -> bool {
        self.customers[customer]
            .binary_search_by_key(&item, |b| b.item)
            .is_ok()
    }

    /// Articles par popularité décroissante (`recent` : sur les derniers
    /// jours), à égalité par identifiant.
    pub fn best_sellers(&self, recent: bool) -> Vec<u32> {
        let counts = if recent {
            &self.recent_buyers
        } else {
            &self.buyers
        };
        let mut order: Vec<u32> = (0..self.items as u32)
            .filter(|&i| counts[i as usize] > 0)
            .collect();
        crate::kernels::sort_by(&mut order, |&a, &b| {
            counts[b as usize].cmp(&counts[a as usize]).then(a.cmp(&b))
        });
        order
    }
}

/// La ligne `row` compte-t-elle dans l'historique de `[from, to[` : datée
/// dans la période (ou sans date si la période est tout le fichier,
/// `everything`), un article désigné (`empty` : l'identifiant de la
/// désignation vide), pas une ligne de service.
fn in_period(
    clean: &CleanTable,
    row: usize,
    from: i64,
    to: i64,
    everything: bool,
    empty: Option<u32>,
) -> bool {
    let date = clean.table.invoice_date[row];
    !((date == NO_DATE && !everything)
        || date < from
        || date >= to
        || Some(clean.table.description[row]) == empty
        || clean.is_service_line[row])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate_demo_csv, DemoConfig};
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;

    fn demo() -> CleanTable {
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 300,
            products: 400,
            ..Default::default()
        });
        analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean
    }

    /// Les champs d'un historique, paniers rangés (l'assemblage les met
    /// période après période, la construction dans l'ordre du fichier).
    fn canonical(history: &History) -> impl PartialEq + std::fmt::Debug {
        let mut baskets = history.baskets.clone();
        baskets.sort();
        let price: Vec<u64> = history.price.iter().map(|p| p.to_bits()).collect();
        (
            (history.from, history.to, history.items),
            history.customers.clone(),
            history.buyers.clone(),
            history.recent_buyers.clone(),
            baskets,
            history.in_baskets.clone(),
            price,
        )
    }

    #[test]
    fn two_periods_joined_are_the_period_built_at_once() {
        let clean = demo();
        let dates = &clean.table.invoice_date;
        let (first, last) = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
        for fraction in [0.2, 0.5, 0.8] {
            let cut = first + ((last - first) as f64 * fraction) as i64;
            let earlier = History::build(&clean, first, cut, 28);
            let later = History::build(&clean, cut, last + 1, 28);
            let joined = History::joined(&clean, &earlier, &later, 28).expect("assemblable");
            let built = History::build(&clean, first, last + 1, 28);
            assert_eq!(
                canonical(&joined),
                canonical(&built),
                "coupure à {fraction}"
            );
        }
    }

    #[test]
    fn an_invoice_across_the_cut_or_without_number_is_not_joined() {
        let mut clean = demo();
        let dates = &clean.table.invoice_date;
        let (first, last) = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
        let cut = first + (last - first) / 2;
        let join = |clean: &CleanTable| {
            let earlier = History::build(clean, first, cut, 28);
            let later = History::build(clean, cut, last + 1, 28);
            History::joined(clean, &earlier, &later, 28)
        };
        assert!(join(&clean).is_some());
        // Une ligne d'une facture d'avant la coupure, datée après.
        let row = (0..clean.table.len())
            .find(|&r| {
                let invoice = clean.table.invoice[r];
                clean.table.invoice_date[r] < cut
                    && !clean.is_service_line[r]
                    && (0..clean.table.len()).any(|o| {
                        o != r && clean.table.invoice[o] == invoice && !clean.is_service_line[o]
                    })
            })
            .expect("une facture de deux lignes avant la coupure");
        let mut straddling = clean.clone();
        straddling.table.invoice_date[row] = cut;
        assert!(join(&straddling).is_none());
        // Une ligne sans numéro de facture.
        let blank = clean.table.invoices.intern("");
        clean.table.invoice[row] = blank;
        assert!(join(&clean).is_none());
    }
}
