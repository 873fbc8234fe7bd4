//! Lire un gros CSV à deux.
//!
//! L'analyse des lignes est l'étape la plus longue de l'import. Un CSV se
//! coupe en deux à une fin de ligne : la première moitié est lue par
//! [`super::begin_read`], la seconde, en même temps, par [`read_tail`]
//! (dans le navigateur : un second Web Worker), puis les deux se joignent
//! dans [`super::PartialRead::complete`].
//!
//! Le résultat est **identique** à une lecture d'un trait, octet pour octet :
//! - les textes restent bruts jusqu'à la fin ([`super::raw`]) : la fin du
//!   fichier n'a pas besoin de connaître l'encodage, décidé sur tout le
//!   fichier ;
//! - ses valeurs nouvelles prennent la suite des dictionnaires, dans l'ordre
//!   où une lecture d'un trait les aurait rencontrées ;
//! - la première moitié ne s'arrête que si le lecteur y est réellement entre
//!   deux lignes (un champ entre guillemets peut contenir un saut de ligne) ;
//! - la fin n'est jointe que si elle a été lue avec le même séparateur, la
//!   même correspondance des colonnes et à partir de la même frontière.
//!
//! Dans tous les autres cas, la fin est lue à la suite, comme sans partage :
//! le partage ne change jamais un chiffre, il ne fait que gagner du temps.

use serde::{Deserialize, Serialize};

use super::cell::Row;
use super::raw::RawColumns;
use super::{for_each_csv_row, header_columns, xlsx, ImportOptions, TextPlan};
use crate::progress::NoProgress;

/// En dessous de cette taille, un fichier se lit d'un trait : lancer la
/// lecture parallèle coûterait plus qu'elle ne rapporte.
pub const MIN_SPLIT_BYTES: usize = 8 * 1024 * 1024;

/// Début du fichier que lit aussi la lecture parallèle, pour décider comme
/// la première moitié de l'encodage de l'en-tête, du séparateur et des
/// colonnes.
pub const HEAD_BYTES: usize = 256 * 1024;

/// Où couper un fichier de `len` octets : en son milieu (la fin commence à
/// la première fin de ligne qui suit). `None` pour un petit fichier.
pub fn split_point(len: usize) -> Option<usize> {
    (len >= MIN_SPLIT_BYTES).then_some(len / 2)
}

/// Début de la fin du fichier : juste après la première fin de ligne
/// trouvée dans `from_mid`, les octets du fichier à partir de `mid`.
fn tail_start(from_mid: &[u8], mid: usize) -> Option<usize> {
    let newline = from_mid.iter().position(|&b| b == b'\n')?;
    let start = mid + newline + 1;
    (start < mid + from_mid.len()).then_some(start)
}

/// Frontière de partage d'un fichier entier, celle que trouvera
/// [`read_tail`] ; `None` s'il se lit d'un trait.
pub fn boundary(bytes: &[u8]) -> Option<usize> {
    let mid = split_point(bytes.len())?;
    tail_start(&bytes[mid..], mid)
}

/// La fin d'un CSV, lue en parallèle.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CsvTail {
    /// Décalage de son premier octet dans le fichier.
    start: usize,
    /// Séparateur avec lequel elle a été lue.
    delimiter: u8,
    /// Ses lignes, en colonnes brutes.
    pub(super) columns: RawColumns,
    /// Nombre de lignes lues.
    pub(super) rows: u64,
}

impl CsvTail {
    /// Vrai si cette fin prolonge exactement une lecture arrêtée à `at` avec
    /// ce séparateur et ces colonnes.
    pub(super) fn matches(&self, at: usize, delimiter: u8, first: &RawColumns) -> bool {
        self.start == at && self.delimiter == delimiter && self.columns.same_shape(first)
    }
}

/// Lit la fin d'un CSV de transactions : `head`, les premiers octets du
/// fichier (au plus [`HEAD_BYTES`]), et `from_mid`, ses octets à partir de
/// `mid`.
///
/// `None` quand il n'y a rien à faire en parallèle (classeur, paniers, texte
/// UTF-16, pas de fin de ligne après le milieu) ou quand la fin est
/// illisible : la lecture principale lira alors la fin elle-même, et dira
/// ce qui ne va pas.
pub fn read_tail(
    head: &[u8],
    from_mid: &[u8],
    mid: usize,
    options: &ImportOptions,
) -> Option<CsvTail> {
    if xlsx::looks_like_zip(head) || head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff")
    {
        return None;
    }
    let plan = TextPlan::detect(head, options).ok()?;
    if plan.baskets {
        return None;
    }
    let mut headers = None;
    for_each_csv_row(
        &head[plan.start..],
        &plan,
        Some(0),
        None,
        0,
        &mut NoProgress,
        &mut |row| {
            headers = Some(row.texts());
            Ok(())
        },
    )
    .ok()?;
    let mut columns = header_columns(&headers?, options).ok()?;
    let start = tail_start(from_mid, mid)?;
    let (rows, _) = for_each_csv_row(
        &from_mid[start - mid..],
        &plan,
        None,
        None,
        0,
        &mut NoProgress,
        &mut |row| {
            if let Row::Fields {
                record,
                decimal_comma,
                ..
            } = row
            {
                columns.push_record(record, *decimal_comma);
            }
            Ok(())
        },
    )
    .ok()?;
    Some(CsvTail {
        start,
        delimiter: plan.delimiter,
        columns,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{begin_read, read_transactions};
    use crate::progress::NoProgress;
    use crate::table::TransactionTable;

    /// Lecture partagée à une frontière imposée (le milieu réel ne vaut que
    /// pour les gros fichiers).
    fn read_split(
        bytes: &[u8],
        mid: usize,
        options: &ImportOptions,
    ) -> (TransactionTable, super::super::ImportFacts, bool) {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let tail = read_tail(head, &bytes[mid..], mid, options);
        let at = tail_start(&bytes[mid..], mid);
        let partial = begin_read(bytes, options, at, &mut NoProgress).expect("lisible");
        let joined = partial.awaits_tail_at().is_some() && tail.is_some();
        let (table, facts) = partial
            .complete(bytes, options, tail, &mut NoProgress)
            .expect("lisible");
        (table, facts, joined)
    }

    fn assert_same(a: &TransactionTable, b: &TransactionTable) {
        assert_eq!(a.invoice, b.invoice);
        assert_eq!(
            a.invoices.values().collect::<Vec<_>>(),
            b.invoices.values().collect::<Vec<_>>()
        );
        assert_eq!(a.stock_code, b.stock_code);
        assert_eq!(a.description, b.description);
        assert_eq!(
            a.descriptions.values().collect::<Vec<_>>(),
            b.descriptions.values().collect::<Vec<_>>()
        );
        assert_eq!(a.customer, b.customer);
        assert_eq!(a.country, b.country);
        assert_eq!(a.invoice_date, b.invoice_date);
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&a.quantity), bits(&b.quantity));
        assert_eq!(bits(&a.unit_price), bits(&b.unit_price));
    }

    const SAMPLE: &str =
        "InvoiceNo;StockCode;Description;Quantity;InvoiceDate;UnitPrice;CustomerID;Country\r\n\
        536365;85123A;\"white; heart\";6;1/12/2010 08:26;2,55;17850;United Kingdom\r\n\
        536365;71053;WHITE LANTERN;6;1/12/2010 08:26;3,39;17850;United Kingdom\r\n\
        \r\n\
        536366;22633;\"hand \"\"warmer\"\"\r\nunion jack\";6;1/12/2010 08:28;1,85;17850;France\r\n\
        C536379;D;Discount;-1;1/12/2010 09:41;27,50;14527;United Kingdom\r\n\
        536380;22961;jam \u{a3} pot;24;13/12/2010 09:41;1\u{a0}000,5;;Espa\u{f1}a\r\n\
        536381;22139;retrospot;x;13/12/2010 09:45;4,25;15311;France\r\n";

    #[test]
    fn a_split_read_equals_a_straight_read_at_every_cut() {
        for text in [SAMPLE.as_bytes().to_vec(), encode_latin1(SAMPLE)] {
            let options = ImportOptions::default();
            let (straight, facts) =
                read_transactions(&text, &options, &mut NoProgress).expect("lisible");
            let mut joined = 0;
            for mid in 1..text.len() {
                let (split, split_facts, was_joined) = read_split(&text, mid, &options);
                assert_same(&straight, &split);
                assert_eq!(facts, split_facts, "coupe à {mid}");
                joined += usize::from(was_joined);
            }
            // La plupart des coupes tombent entre deux lignes et sont jointes ;
            // celles dans le champ à saut de ligne sont relues à la suite.
            assert!(joined > text.len() / 2, "{joined} coupes jointes");
        }
    }

    #[test]
    fn a_tail_read_with_another_delimiter_is_not_joined() {
        let text = SAMPLE.as_bytes();
        let mid = text.len() / 2;
        let forced = ImportOptions {
            delimiter: Some(','),
            ..ImportOptions::default()
        };
        // La fin lue avec « , » ne prolonge pas une lecture faite avec « ; ».
        let tail = read_tail(text, &text[mid..], mid, &forced);
        let at = tail_start(&text[mid..], mid);
        let options = ImportOptions::default();
        let partial = begin_read(text, &options, at, &mut NoProgress).expect("lisible");
        let (table, _) = partial
            .complete(text, &options, tail, &mut NoProgress)
            .expect("lisible");
        let (straight, _) = read_transactions(text, &options, &mut NoProgress).expect("lisible");
        assert_same(&straight, &table);
    }

    #[test]
    fn small_files_are_read_in_one_go() {
        assert_eq!(boundary(SAMPLE.as_bytes()), None);
        let big = "a,b\n".repeat(MIN_SPLIT_BYTES / 4 + 10);
        let at = boundary(big.as_bytes()).expect("assez gros");
        assert_eq!(big.as_bytes()[at - 1], b'\n');
    }

    fn encode_latin1(text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
            .collect()
    }
}
