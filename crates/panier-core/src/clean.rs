//! Nettoyage : les règles du cahier des charges, dans l'ordre, chacune comptée.
//!
//! 1. retirer les annulations (facture commençant par « C ») ;
//! 2. retirer les lignes sans client ;
//! 3. garder les quantités > 0 ;
//! 4. garder les prix unitaires > 0.
//!
//! Puis la désignation est débarrassée de ses espaces de bord et mise en
//! minuscules, et le montant de ligne vaut quantité × prix unitaire. L'ordre
//! compte : le rapport donne le nombre de lignes restant après chaque règle,
//! exactement comme le pipeline pandas de référence.

use serde::{Deserialize, Serialize};

use crate::table::{Dictionary, TransactionTable, MISSING};

/// Lignes restantes après chaque règle, dans l'ordre d'application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CleaningCounts {
    /// Lignes lues et analysables.
    pub raw_rows: u64,
    /// Après retrait des annulations.
    pub after_drop_cancelled: u64,
    /// Après retrait des lignes sans client.
    pub after_drop_missing_customer: u64,
    /// Après retrait des quantités ≤ 0.
    pub after_drop_qty_le_0: u64,
    /// Après retrait des prix ≤ 0 : les lignes nettoyées.
    pub after_drop_price_le_0: u64,
}

/// Table nettoyée : seules les ventes valides, désignations normalisées, et
/// le montant de chaque ligne.
#[derive(Debug, Clone, Default)]
pub struct CleanTable {
    /// Les transactions retenues (désignations en minuscules, sans espaces de bord).
    pub table: TransactionTable,
    /// Montant de chaque ligne : quantité × prix unitaire.
    pub total_price: Vec<f64>,
}

/// Applique les règles de nettoyage et compte les lignes après chacune.
pub fn clean(mut table: TransactionTable) -> (CleanTable, CleaningCounts) {
    let cancelled: Vec<bool> = table
        .invoices
        .values()
        .map(|invoice| invoice.starts_with('C'))
        .collect();
    let mut counts = CleaningCounts {
        raw_rows: table.len() as u64,
        ..CleaningCounts::default()
    };
    let mut keep = vec![true; table.len()];
    for (row, kept) in keep.iter_mut().enumerate() {
        // Chaque règle ne voit que les lignes gardées par les précédentes.
        if cancelled[table.invoice[row] as usize] {
            *kept = false;
            continue;
        }
        counts.after_drop_cancelled += 1;
        if table.customer[row] == MISSING {
            *kept = false;
            continue;
        }
        counts.after_drop_missing_customer += 1;
        if table.quantity[row] <= 0.0 {
            *kept = false;
            continue;
        }
        counts.after_drop_qty_le_0 += 1;
        if table.unit_price[row] <= 0.0 {
            *kept = false;
            continue;
        }
        counts.after_drop_price_le_0 += 1;
    }
    table.retain_rows(&keep);
    normalise_descriptions(&mut table);
    let total_price = table
        .quantity
        .iter()
        .zip(&table.unit_price)
        .map(|(quantity, price)| quantity * price)
        .collect();
    (CleanTable { table, total_price }, counts)
}

/// Réécrit le dictionnaire des désignations en version nettoyée : deux
/// variantes (« Pink Cup » et « PINK CUP  ») deviennent une seule valeur.
fn normalise_descriptions(table: &mut TransactionTable) {
    let mut cleaned = Dictionary::default();
    let remap: Vec<u32> = table
        .descriptions
        .values()
        .map(|raw| cleaned.intern(&raw.trim().to_lowercase()))
        .collect();
    for id in &mut table.description {
        *id = remap[*id as usize];
    }
    table.descriptions = cleaned;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_transactions;
    use crate::progress::NoProgress;

    #[test]
    fn rules_apply_in_order_and_each_is_counted() {
        let csv = "InvoiceNo,Description,Quantity,UnitPrice,CustomerID\n\
                   C1,  cup ,1,1,10\n\
                   2,cup,1,1,\n\
                   3,Cup,-1,1,11\n\
                   4,CUP ,2,0,12\n\
                   5, Plate,3,1.5,13\n\
                   6,cup,2,2,14\n";
        let (table, _) = read_transactions(csv.as_bytes(), &mut NoProgress).expect("lisible");
        let (clean, counts) = clean(table);
        assert_eq!(
            counts,
            CleaningCounts {
                raw_rows: 6,
                after_drop_cancelled: 5,
                after_drop_missing_customer: 4,
                after_drop_qty_le_0: 3,
                after_drop_price_le_0: 2,
            }
        );
        assert_eq!(clean.total_price, vec![4.5, 4.0]);
        let names: Vec<&str> = clean
            .table
            .description
            .iter()
            .map(|&id| clean.table.descriptions.value(id))
            .collect();
        assert_eq!(names, vec!["plate", "cup"]);
    }
}
