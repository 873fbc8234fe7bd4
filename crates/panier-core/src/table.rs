//! La table de transactions typée et compacte, partagée par toutes les étapes.
//!
//! On analyse le texte **une seule fois** : ensuite les étapes (nettoyage,
//! RFM, paniers) ne manipulent que des entiers et des flottants. Les colonnes
//! de texte sont encodées par dictionnaire : chaque valeur distincte reçoit un
//! identifiant `u32`, ce qui rend les regroupements par client ou par facture
//! rapides et la mémoire sobre (400 000 lignes, quelques milliers de valeurs).

use rustc_hash::FxHashMap;

use crate::ingest::roles::Role;

/// Identifiant réservé aux valeurs absentes (client non renseigné…).
pub const MISSING: u32 = u32::MAX;

/// Dictionnaire de chaînes : valeur ↔ identifiant dense (0, 1, 2…).
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    ids: FxHashMap<Box<str>, u32>,
    values: Vec<Box<str>>,
}

impl Dictionary {
    /// Identifiant de `value`, créé à la première rencontre.
    pub fn intern(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = self.values.len() as u32;
        let boxed: Box<str> = value.into();
        self.values.push(boxed.clone());
        self.ids.insert(boxed, id);
        id
    }

    /// Valeur associée à un identifiant.
    pub fn value(&self, id: u32) -> &str {
        &self.values[id as usize]
    }

    /// Identifiant d'une valeur déjà vue.
    pub fn id_of(&self, value: &str) -> Option<u32> {
        self.ids.get(value).copied()
    }

    /// Nombre de valeurs distinctes.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Vrai si aucune valeur n'a été vue.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Toutes les valeurs, dans l'ordre de leurs identifiants.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(|v| v.as_ref())
    }
}

/// Transactions en colonnes : une ligne de facture par indice.
///
/// Les colonnes de texte contiennent des identifiants de dictionnaire ;
/// `customer` vaut [`MISSING`] quand l'export ne donne pas de client.
#[derive(Debug, Clone, Default)]
pub struct TransactionTable {
    /// Numéros de facture distincts.
    pub invoices: Dictionary,
    /// Facture de chaque ligne.
    pub invoice: Vec<u32>,
    /// Codes article distincts.
    pub stock_codes: Dictionary,
    /// Code article de chaque ligne.
    pub stock_code: Vec<u32>,
    /// Désignations distinctes (brutes à l'import, nettoyées après `clean`).
    pub descriptions: Dictionary,
    /// Désignation de chaque ligne.
    pub description: Vec<u32>,
    /// Quantité de chaque ligne (décimale : certains exports vendent au poids).
    pub quantity: Vec<f64>,
    /// Prix unitaire de chaque ligne.
    pub unit_price: Vec<f64>,
    /// Identifiants client distincts.
    pub customers: Dictionary,
    /// Client de chaque ligne, ou [`MISSING`].
    pub customer: Vec<u32>,
    /// Pays distincts.
    pub countries: Dictionary,
    /// Pays de chaque ligne.
    pub country: Vec<u32>,
    /// Date de chaque ligne, en secondes depuis 1970 (sans fuseau), ou
    /// [`crate::ingest::dates::NO_DATE`].
    pub invoice_date: Vec<i64>,
    /// Rôles présents dans le fichier, indexés comme [`Role::ALL`] : une
    /// colonne absente désactive seulement ce qui en a besoin.
    pub present: [bool; 8],
}

impl TransactionTable {
    /// Nombre de lignes.
    pub fn len(&self) -> usize {
        self.invoice.len()
    }

    /// Vrai si le fichier avait une colonne pour ce rôle.
    pub fn has(&self, role: Role) -> bool {
        self.present[role as usize]
    }

    /// Vrai si la table n'a aucune ligne.
    pub fn is_empty(&self) -> bool {
        self.invoice.is_empty()
    }

    /// Garde les lignes pour lesquelles `keep(indice)` est vrai, en une passe
    /// par colonne (les dictionnaires restent inchangés).
    pub fn retain_rows(&mut self, keep: &[bool]) {
        retain_by_mask(&mut self.invoice, keep);
        retain_by_mask(&mut self.stock_code, keep);
        retain_by_mask(&mut self.description, keep);
        retain_by_mask(&mut self.quantity, keep);
        retain_by_mask(&mut self.unit_price, keep);
        retain_by_mask(&mut self.customer, keep);
        retain_by_mask(&mut self.country, keep);
        retain_by_mask(&mut self.invoice_date, keep);
    }
}

/// Garde les éléments d'une colonne dont l'indice est marqué dans `keep`
/// (les colonnes annexes d'une table, comme les montants, suivent ainsi le
/// même filtre que la table).
pub fn retain_by_mask<T>(column: &mut Vec<T>, keep: &[bool]) {
    let mut index = 0;
    column.retain(|_| {
        let kept = keep[index];
        index += 1;
        kept
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionary_gives_dense_stable_ids() {
        let mut dictionary = Dictionary::default();
        assert_eq!(dictionary.intern("b"), 0);
        assert_eq!(dictionary.intern("a"), 1);
        assert_eq!(dictionary.intern("b"), 0);
        assert_eq!(dictionary.len(), 2);
        assert_eq!(dictionary.value(1), "a");
        assert_eq!(dictionary.id_of("a"), Some(1));
        assert_eq!(dictionary.id_of("c"), None);
    }

    #[test]
    fn retain_rows_filters_every_column_alike() {
        let mut table = TransactionTable::default();
        for i in 0..4u32 {
            let invoice = table.invoices.intern(&i.to_string());
            table.invoice.push(invoice);
            table.stock_code.push(i);
            table.description.push(i);
            table.quantity.push(f64::from(i));
            table.unit_price.push(f64::from(i) * 2.0);
            table.customer.push(i);
            table.country.push(i);
            table.invoice_date.push(i64::from(i));
        }
        table.retain_rows(&[true, false, true, false]);
        assert_eq!(table.invoice, vec![0, 2]);
        assert_eq!(table.unit_price, vec![0.0, 4.0]);
        assert_eq!(table.country, vec![0, 2]);
    }
}
