//! La table de transactions typée et compacte, partagée par toutes les étapes.
//!
//! On analyse le texte **une seule fois** : ensuite les étapes (nettoyage,
//! RFM, paniers) ne manipulent que des entiers et des flottants. Les colonnes
//! de texte sont encodées par dictionnaire : chaque valeur distincte reçoit un
//! identifiant `u32`, ce qui rend les regroupements par client ou par facture
//! rapides et la mémoire sobre (400 000 lignes, quelques milliers de valeurs).

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ingest::roles::Role;
use crate::scan::in_blocks;

/// Identifiant réservé aux valeurs absentes (client non renseigné…).
pub const MISSING: u32 = u32::MAX;

/// Dictionnaire : valeur ↔ identifiant dense (0, 1, 2…), dans l'ordre de
/// première rencontre.
///
/// Les valeurs sont rangées bout à bout dans un seul tampon (`storage`, avec
/// la fin de chacune dans `ends`) et la table de hachage ne contient que des
/// identifiants : une valeur nouvelle ne coûte aucune allocation, et la
/// comparaison se fait directement dans le tampon. `S` est `String` pour du
/// texte ([`Dictionary`]) ou `Vec<u8>` pour des octets bruts
/// ([`ByteDictionary`]).
#[derive(Debug, Clone, Default)]
pub struct Interned<S> {
    storage: S,
    ends: Vec<usize>,
    ids: HashTable<u32>,
}

/// Dictionnaire de chaînes.
pub type Dictionary = Interned<String>;

/// Dictionnaire d'octets bruts (textes pas encore décodés).
pub type ByteDictionary = Interned<Vec<u8>>;

/// Un tampon où ranger les valeurs d'un dictionnaire.
pub trait Storage: Default {
    /// Une valeur (`str` ou `[u8]`).
    type Item: ?Sized + PartialEq;
    /// Ajoute une valeur à la fin.
    fn push(&mut self, value: &Self::Item);
    /// La valeur rangée dans `range`.
    fn get(&self, range: std::ops::Range<usize>) -> &Self::Item;
    /// Position de la fin du tampon (sa longueur en octets).
    fn end(&self) -> usize;
    /// Octets d'une valeur, pour le hachage.
    fn bytes(value: &Self::Item) -> &[u8];
}

impl Storage for String {
    type Item = str;
    fn push(&mut self, value: &str) {
        self.push_str(value);
    }
    fn get(&self, range: std::ops::Range<usize>) -> &str {
        &self[range]
    }
    fn end(&self) -> usize {
        self.len()
    }
    fn bytes(value: &str) -> &[u8] {
        value.as_bytes()
    }
}

impl Storage for Vec<u8> {
    type Item = [u8];
    fn push(&mut self, value: &[u8]) {
        self.extend_from_slice(value);
    }
    fn get(&self, range: std::ops::Range<usize>) -> &[u8] {
        &self[range]
    }
    fn end(&self) -> usize {
        self.len()
    }
    fn bytes(value: &[u8]) -> &[u8] {
        value
    }
}

/// Empreinte d'une valeur.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

impl<S: Storage> Interned<S> {
    /// Identifiant de `value`, créé à la première rencontre.
    pub fn intern(&mut self, value: &S::Item) -> u32 {
        if !self.is_indexed() {
            self.rebuild_index();
        }
        let hash = hash_bytes(S::bytes(value));
        let Self { storage, ends, ids } = self;
        let get = |id: u32| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            storage.get(start..ends[id])
        };
        if let Some(&id) = ids.find(hash, |&id| get(id) == value) {
            return id;
        }
        let id = ends.len() as u32;
        storage.push(value);
        ends.push(storage.end());
        let (storage, ends) = (&*storage, &*ends);
        ids.insert_unique(hash, id, |&id| {
            let id = id as usize;
            let start = if id == 0 { 0 } else { ends[id - 1] };
            hash_bytes(S::bytes(storage.get(start..ends[id])))
        });
        id
    }

    /// Valeur associée à un identifiant.
    pub fn value(&self, id: u32) -> &S::Item {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        self.storage.get(start..self.ends[id])
    }

    /// Identifiant d'une valeur déjà vue.
    pub fn id_of(&self, value: &S::Item) -> Option<u32> {
        if !self.is_indexed() {
            // Table de hachage pas encore construite (dictionnaire reçu d'un
            // autre worker) : recherche directe.
            return self.values().position(|v| v == value).map(|id| id as u32);
        }
        let hash = hash_bytes(S::bytes(value));
        self.ids.find(hash, |&id| self.value(id) == value).copied()
    }

    /// Vrai si la table de hachage couvre toutes les valeurs rangées (faux
    /// pour un dictionnaire tout juste relu : elle se construit au besoin).
    fn is_indexed(&self) -> bool {
        self.ids.len() == self.ends.len()
    }

    /// Construit la table de hachage des valeurs rangées.
    fn rebuild_index(&mut self) {
        let mut ids = HashTable::with_capacity(self.len());
        for id in 0..self.len() as u32 {
            let hash = hash_bytes(S::bytes(self.value(id)));
            ids.insert_unique(hash, id, |&other| hash_bytes(S::bytes(self.value(other))));
        }
        self.ids = ids;
    }

    /// Nombre de valeurs distinctes.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Vrai si aucune valeur n'a été vue.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Toutes les valeurs, dans l'ordre de leurs identifiants.
    pub fn values(&self) -> impl Iterator<Item = &S::Item> {
        (0..self.ends.len() as u32).map(|id| self.value(id))
    }
}

/// Un dictionnaire d'octets passe d'un worker à l'autre sous la forme de son
/// tampon et des fins de valeurs ; la table de hachage ne se reconstruit qu'au
/// besoin (la fin d'un fichier lue par l'autre worker ne fait que s'ajouter
/// au début : ses valeurs sont parcourues, jamais cherchées).
impl Serialize for ByteDictionary {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        (&self.storage, &self.ends).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ByteDictionary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (storage, ends): (Vec<u8>, Vec<usize>) = Deserialize::deserialize(deserializer)?;
        let mut start = 0;
        for &end in &ends {
            if end < start || end > storage.len() {
                return Err(serde::de::Error::custom("dictionnaire incohérent"));
            }
            start = end;
        }
        Ok(ByteDictionary {
            storage,
            ends,
            ids: HashTable::new(),
        })
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
    pub present: [bool; 10],
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

    /// Vrai si le fichier a une colonne d'articles : la désignation, ou à
    /// défaut le code article (paniers et recommandations en ont besoin).
    pub fn has_products(&self) -> bool {
        self.has(Role::Description) || self.has(Role::StockCode)
    }

    /// Vrai si chaque ligne a un montant connu : quantité × prix unitaire,
    /// ou un montant lu dans le fichier (le prix en est alors déduit).
    pub fn has_amounts(&self) -> bool {
        self.has(Role::UnitPrice) && (self.has(Role::Quantity) || self.has(Role::Amount))
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
///
/// La place des éléments retirés est rendue à l'allocateur : le nettoyage
/// retire un quart des lignes, et les étapes suivantes en ont l'usage.
pub fn retain_by_mask<T: Copy>(column: &mut Vec<T>, keep: &[bool]) {
    // Compactage sur place, bloc par bloc (voir [`crate::scan`]).
    let mut write = 0;
    in_blocks(column.len(), &mut |range| {
        write = compact_block(column, keep, range, write);
    });
    column.truncate(write);
    column.shrink_to_fit();
}

/// Recopie vers `write` les éléments gardés de `range` ; renvoie la
/// nouvelle position d'écriture.
///
/// Sans branchement : chaque élément est recopié, et la position d'écriture
/// n'avance que s'il est gardé. Trois lignes sur quatre environ sont gardées,
/// dans un ordre imprévisible : un `if` serait souvent mal prédit.
#[inline(never)]
fn compact_block<T: Copy>(
    column: &mut [T],
    keep: &[bool],
    range: std::ops::Range<usize>,
    mut write: usize,
) -> usize {
    let keep = &keep[range.clone()];
    for (index, &kept) in range.zip(keep) {
        column[write] = column[index];
        write += usize::from(kept);
    }
    write
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
    fn byte_dictionaries_survive_a_round_trip() {
        let mut dictionary = ByteDictionary::default();
        for value in [&b"pot"[..], b"", b"\xa3 jar", b"pot"] {
            dictionary.intern(value);
        }
        let json = serde_json::to_string(&dictionary).unwrap();
        let mut back: ByteDictionary = serde_json::from_str(&json).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back.value(2), b"\xa3 jar");
        assert_eq!(back.id_of(b""), Some(1));
        // La table reconstruite sert encore à la suite de la lecture.
        assert_eq!(back.intern(b"pot"), 0);
        assert_eq!(back.intern(b"new"), 3);
        assert!(serde_json::from_str::<ByteDictionary>("[[1,2],[3,1]]").is_err());
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
