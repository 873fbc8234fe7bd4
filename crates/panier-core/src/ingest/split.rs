//! Lire un gros CSV à deux.
//!
//! Lire le fichier et analyser ses lignes sont les étapes les plus longues
//! de l'import. Un CSV se coupe en deux à une fin de ligne : le début
//! ([`first_part_len`] octets) est jaugé par [`super::FirstPartSurvey`] puis
//! lu et analysé par [`super::begin_split_read`], la fin, en même temps, par [`read_tail`]
//! (dans le navigateur : un second Web Worker, qui lit lui-même sa moitié
//! du `File`), puis les deux se joignent dans [`super::PartialRead::join`].
//!
//! Le résultat est **identique** à une lecture d'un trait, octet pour octet :
//! - les textes restent bruts jusqu'à la fin ([`super::raw`]) : la fin du
//!   fichier n'a pas besoin de connaître l'encodage ; il est décidé à la
//!   jonction sur les bilans UTF-8 des deux moitiés, comme sur le fichier
//!   entier, et l'équilibre des guillemets aussi ;
//! - ses valeurs nouvelles prennent la suite des dictionnaires, dans l'ordre
//!   où une lecture d'un trait les aurait rencontrées ;
//! - la première moitié ne s'arrête que si le lecteur y est réellement entre
//!   deux lignes (un champ entre guillemets peut contenir un saut de ligne) ;
//! - la fin n'est jointe que si elle a été lue avec le même séparateur, la
//!   même correspondance des colonnes et à partir de la même frontière.
//!
//! Dans tous les autres cas, le fichier est relu d'un trait : le partage ne
//! change jamais un chiffre ni un message d'erreur, il ne fait que gagner du
//! temps.

use serde::{Deserialize, Serialize};

use super::cell::Row;
use super::raw::RawColumns;
use super::sniff::{full_census, EncodingChoice, Utf8Census};
use super::{
    begin_split_read, count_quotes, for_each_csv_row, header_columns, xlsx, FirstPartSurvey,
    ImportFacts, ImportOptions, TextPlan,
};
use crate::progress::{NoProgress, ProgressSink, Stage};
use crate::table::TransactionTable;
use crate::PanierError;

/// En dessous de cette taille, un fichier se lit d'un trait : lancer la
/// lecture parallèle coûterait plus qu'elle ne rapporte.
pub const MIN_SPLIT_BYTES: usize = 8 * 1024 * 1024;

/// Début du fichier que lit aussi la lecture parallèle, pour décider comme
/// la première moitié de l'encodage de l'en-tête, du séparateur et des
/// colonnes.
pub const HEAD_BYTES: usize = 256 * 1024;

/// Part du fichier lue par le début, en pour cent. Plus de la moitié : la fin
/// est lue par un second worker, qui commence un peu plus tard (la demande
/// doit lui parvenir), recense ses octets et ses guillemets, puis rend ses
/// colonnes (encodage, transfert, relecture) ; à parts égales, il finissait
/// ~45 ms après le début sur Online Retail, soit ~5,5 % du fichier (chaque
/// pour cent coûte ~4 ms de lecture et d'analyse à un worker).
pub const FIRST_PART_PERCENT: usize = 56;

/// Où couper un fichier de `len` octets (la fin commence à la première fin
/// de ligne qui suit). `None` pour un petit fichier.
pub fn split_point(len: usize) -> Option<usize> {
    (len >= MIN_SPLIT_BYTES).then_some(len / 100 * FIRST_PART_PERCENT)
}

/// Début de la fin du fichier : juste après la première fin de ligne
/// trouvée dans `from_mid`, les octets du fichier à partir de `mid`.
fn tail_start(from_mid: &[u8], mid: usize) -> Option<usize> {
    let newline = from_mid.iter().position(|&b| b == b'\n')?;
    let start = mid + newline + 1;
    (start < mid + from_mid.len()).then_some(start)
}

/// Au-delà du milieu, le début lu cherche la première fin de ligne dans
/// cette marge.
pub const LOOKAHEAD_BYTES: usize = 1024 * 1024;

/// Octets du début à lire pour un fichier de `len` octets : jusqu'au milieu
/// et sa marge (tout le fichier s'il se lit d'un trait).
pub fn first_part_len(len: usize) -> usize {
    split_point(len).map_or(len, |mid| len.min(mid + LOOKAHEAD_BYTES))
}

/// Frontière de partage d'un fichier de `file_len` octets dont
/// `first_part` est le début : celle que trouvera [`read_tail`]. `None`
/// s'il se lit d'un trait (petit fichier, pas de fin de ligne dans la marge).
pub fn boundary(first_part: &[u8], file_len: usize) -> Option<usize> {
    let mid = split_point(file_len)?;
    tail_start(first_part.get(mid..)?, mid)
}

/// Frontière de partage à partir d'un milieu imposé (`mid`), pour couper
/// aussi un petit fichier (répétition du pipeline, tests).
pub fn boundary_after(first_part: &[u8], mid: usize) -> Option<usize> {
    tail_start(first_part.get(mid..)?, mid)
}

/// Lecture à deux, d'un seul tenant : jauge et lit le début `first` jusqu'à
/// la frontière `at`, puis demande la fin à `tail` (lue ailleurs pendant ce
/// temps : autre fil d'exécution, ou `None` si elle n'a pas pu l'être) et
/// joint les deux.
///
/// `None` : le fichier ne se coupe pas exactement ici ; il est à relire d'un
/// trait, ce qui donne le même résultat. Le worker du navigateur, qui doit
/// rendre la main entre le début et l'arrivée de la fin, enchaîne lui-même
/// les mêmes étapes ([`FirstPartSurvey`], [`begin_split_read`],
/// [`super::PartialRead::join`]).
pub fn read_in_two(
    first: &[u8],
    at: usize,
    options: &ImportOptions,
    tail: impl FnOnce() -> Option<CsvTail>,
    progress: &mut dyn ProgressSink,
) -> Option<Result<(TransactionTable, ImportFacts), PanierError>> {
    let partial = FirstPartSurvey::new(first, options, at)
        .and_then(|survey| begin_split_read(first, options, survey, progress));
    let tail = tail();
    progress.stage_started(Stage::Join);
    partial
        .zip(tail)
        .and_then(|(partial, tail)| partial.join(tail, options, progress))
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
    /// Bilan UTF-8 complet de la fin.
    pub(super) census: Utf8Census,
    /// Guillemets de la fin.
    pub(super) quotes: u64,
}

impl CsvTail {
    /// Retire les grands tableaux de la fin (voir [`RawColumns::take_arrays`]) :
    /// le reste, petit, s'encode vite.
    pub fn take_arrays(&mut self) -> (Vec<Vec<u32>>, Vec<Vec<f64>>) {
        self.columns.take_arrays()
    }

    /// Remet les tableaux retirés ; faux s'ils ne correspondent pas.
    pub fn restore_arrays(&mut self, ids: Vec<Vec<u32>>, numbers: Vec<Vec<f64>>) -> bool {
        self.columns.restore_arrays(ids, numbers)
    }

    /// Vrai si cette fin prolonge exactement une lecture arrêtée à `at` avec
    /// ce séparateur et ces colonnes.
    pub(super) fn matches(&self, at: usize, delimiter: u8, first: &RawColumns) -> bool {
        self.start == at && self.delimiter == delimiter && self.columns.same_shape(first)
    }
}

/// Comment lire la fin, décidé sur le début du fichier ; `None` si elle
/// n'est pas à lire en parallèle (classeur, texte UTF-16, paniers, fichier
/// illisible).
fn tail_plan(head: &[u8], options: &ImportOptions) -> Option<TextPlan> {
    if xlsx::looks_like_zip(head) || head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff")
    {
        return None;
    }
    TextPlan::detect(head, options)
        .ok()
        .filter(|plan| !plan.baskets)
}

/// Vrai si, d'après son début, le fichier est un CSV de transactions dont
/// la fin vaut d'être lue en parallèle.
pub fn worth_reading_tail(head: &[u8], options: &ImportOptions) -> bool {
    tail_plan(head, options).is_some()
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
    let plan = tail_plan(head, options)?;
    let mut headers = None;
    for_each_csv_row(
        &head[plan.start..],
        &plan,
        Some(0),
        None,
        &mut NoProgress,
        &mut |row| {
            headers = Some(row.texts());
            Ok(())
        },
    )
    .ok()?;
    let mut columns = header_columns(&headers?, options).ok()?;
    let start = tail_start(from_mid, mid)?;
    let text = &from_mid[start - mid..];
    columns.reserve(super::estimated_rows(text));
    let (rows, _) = for_each_csv_row(text, &plan, None, None, &mut NoProgress, &mut |row| {
        if let Row::Fields {
            record,
            decimal_comma,
            ..
        } = row
        {
            columns.push_record(record, *decimal_comma);
        }
        Ok(())
    })
    .ok()?;
    Some(CsvTail {
        start,
        delimiter: plan.delimiter,
        columns,
        rows,
        // Inutile de recenser la fin si l'encodage est imposé.
        census: match options.encoding {
            EncodingChoice::Auto | EncodingChoice::Utf8 => full_census(text),
            EncodingChoice::Windows1252 | EncodingChoice::Latin1 => Utf8Census::default(),
        },
        quotes: count_quotes(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read_transactions;
    use crate::ingest::roles::{ColumnMapping, Role};

    /// Lecture partagée à une coupe imposée (le milieu réel ne vaut que pour
    /// les gros fichiers), comme dans le navigateur : le début jusqu'à la
    /// marge, la fin lue à part ; relue d'un trait si la jonction est refusée.
    fn read_split(
        bytes: &[u8],
        mid: usize,
        options: &ImportOptions,
    ) -> (
        Result<(TransactionTable, super::super::ImportFacts), crate::PanierError>,
        bool,
    ) {
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let tail = read_tail(head, &bytes[mid..], mid, options);
        let first = &bytes[..bytes.len().min(mid + 64)];
        let joined = tail_start(&first[mid..], mid)
            .and_then(|at| read_in_two(first, at, options, || tail, &mut NoProgress));
        match joined {
            Some(read) => (read, true),
            None => (read_transactions(bytes, options, &mut NoProgress), false),
        }
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
                let (read, was_joined) = read_split(&text, mid, &options);
                let (split, split_facts) = read.expect("lisible");
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
    fn the_join_reports_its_own_stage() {
        /// Retient chaque étape annoncée ou avancée.
        #[derive(Default)]
        struct Stages(Vec<Stage>);
        impl ProgressSink for Stages {
            fn stage_started(&mut self, stage: Stage) {
                self.0.push(stage);
            }
            fn advanced(&mut self, stage: Stage, _fraction: f64) -> bool {
                self.0.push(stage);
                true
            }
        }
        let text = SAMPLE.as_bytes();
        let mid = SAMPLE.find("C536379").unwrap() - 5;
        let options = ImportOptions::default();
        let tail = read_tail(text, &text[mid..], mid, &options).expect("lisible");
        let at = tail_start(&text[mid..], mid).expect("fin de ligne");
        let survey = FirstPartSurvey::new(text, &options, at).expect("texte");
        let partial = begin_split_read(text, &options, survey, &mut NoProgress).expect("coupe");
        let mut stages = Stages::default();
        partial
            .join(tail, &options, &mut stages)
            .expect("jointe")
            .expect("lisible");
        // La barre de progression reste sur « jonction », pas sur l'analyse
        // des lignes déjà finie.
        assert_eq!(stages.0, vec![Stage::Join]);
    }

    #[test]
    fn a_tail_read_with_other_columns_is_not_joined() {
        let text = SAMPLE.as_bytes();
        let mid = SAMPLE.find("C536379").unwrap() - 5;
        let options = ImportOptions::default();
        let mut swapped = ColumnMapping::detect(SAMPLE.lines().next().unwrap().split(';'));
        swapped.set(Role::Quantity, Some(5));
        swapped.set(Role::UnitPrice, Some(3));
        let forced = ImportOptions {
            mapping: Some(swapped),
            ..ImportOptions::default()
        };
        // Une fin lue avec d'autres colonnes ne prolonge pas le début.
        let tail = read_tail(text, &text[mid..], mid, &forced).expect("lisible");
        let at = tail_start(&text[mid..], mid).expect("fin de ligne");
        let survey = FirstPartSurvey::new(text, &options, at).expect("texte");
        let partial = begin_split_read(text, &options, survey, &mut NoProgress).expect("coupe");
        assert!(partial.join(tail, &options, &mut NoProgress).is_none());
    }

    #[test]
    fn the_encoding_is_decided_on_both_halves() {
        // Début en ASCII, un « £ » Latin-1 dans la fin : tout le fichier est en
        // Windows-1252, comme d'un trait.
        let mut text = SAMPLE
            .replace(['\u{a3}', '\u{a0}', '\u{f1}'], "x")
            .into_bytes();
        text.extend_from_slice(b"536390;22;pot \xa3;1;13/12/2010 10:00;2,5;1;France\r\n");
        let options = ImportOptions::default();
        let (straight, facts) = read_transactions(&text, &options, &mut NoProgress).unwrap();
        let last_line = text[..text.len() - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .unwrap();
        let (read, joined) = read_split(&text, last_line - 10, &options);
        let (split, split_facts) = read.unwrap();
        assert!(joined);
        assert_same(&straight, &split);
        assert_eq!(facts, split_facts);
        assert!(matches!(
            split_facts.format,
            crate::ingest::SourceFormat::Csv {
                encoding: crate::ingest::sniff::TextEncoding::Windows1252,
                ..
            }
        ));
    }

    #[test]
    fn errors_are_those_of_a_straight_read() {
        // Guillemet jamais fermé dans la fin, ligne illisible dans le début.
        for text in [
            format!("{SAMPLE}536399;1;\"open;1;13/12/2010 10:00;1;1;France\r\n"),
            SAMPLE.replacen("536365;71053", "536365;\"x\"y\";71053", 1),
        ] {
            let options = ImportOptions::default();
            let straight = read_transactions(text.as_bytes(), &options, &mut NoProgress);
            for mid in 1..text.len() {
                let (read, _) = read_split(text.as_bytes(), mid, &options);
                assert_eq!(
                    read.as_ref().err(),
                    straight.as_ref().err(),
                    "coupe à {mid}"
                );
            }
        }
    }

    #[test]
    fn arrays_taken_out_of_a_tail_come_back_or_are_refused() {
        let text = SAMPLE.as_bytes();
        let mid = SAMPLE.find("C536379").unwrap() - 5;
        let options = ImportOptions::default();
        let mut tail = read_tail(text, &text[mid..], mid, &options).expect("lisible");
        let whole = format!("{:?}", tail.columns);
        let (ids, numbers) = tail.take_arrays();
        assert_eq!(numbers.len(), 2);
        let mut broken = ids.clone();
        broken[0].pop();
        assert!(!tail.restore_arrays(broken, numbers.clone()));
        let mut absurd = ids.clone();
        absurd[0][0] = u32::MAX;
        assert!(!tail.restore_arrays(absurd, numbers.clone()));
        assert!(tail.restore_arrays(ids, numbers));
        assert_eq!(format!("{:?}", tail.columns), whole);
    }

    #[test]
    fn small_files_are_read_in_one_go() {
        assert_eq!(boundary(SAMPLE.as_bytes(), SAMPLE.len()), None);
        assert_eq!(first_part_len(SAMPLE.len()), SAMPLE.len());
        let big = "a,b\n".repeat(MIN_SPLIT_BYTES / 4 + 10);
        let first = &big.as_bytes()[..first_part_len(big.len())];
        assert!(first.len() < big.len());
        let at = boundary(first, big.len()).expect("assez gros");
        assert_eq!(big.as_bytes()[at - 1], b'\n');
    }

    fn encode_latin1(text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
            .collect()
    }
}
