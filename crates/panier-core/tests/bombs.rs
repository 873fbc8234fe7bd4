//! Fichiers hostiles fabriqués à la volée (jamais versionnés) : bombes de
//! décompression XLSX, lignes et en-têtes démesurés. Chacun doit finir en
//! [`PanierError::InputLimit`] qui nomme le plafond, sans abandon ni panique
//! et sans allouer ce que le fichier demande.

mod common;

use common::workbook;
use panier_core::error::PanierError;
use panier_core::ingest::limits::{
    Limit, MAX_CELL_BYTES, MAX_COLUMNS, MAX_LINE_BYTES, MAX_SHARED_STRINGS,
};
use panier_core::ingest::{read_transactions, ImportOptions};
use panier_core::lang::Lang;
use panier_core::progress::NoProgress;

/// Une feuille de transactions de deux lignes dont les textes viennent de la
/// table partagée (chaînes 0 à 7).
const SHEET: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row><row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>2</v></c><c r="D2"><v>1.5</v></c></row></sheetData></worksheet>"#;

fn shared_strings(unique_count: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="{unique_count}"><si><t>InvoiceNo</t></si><si><t>StockCode</t></si><si><t>Quantity</t></si><si><t>UnitPrice</t></si><si><t>536365</t></si><si><t>85123A</t></si></sst>"#
    )
    .into_bytes()
}

fn read(bytes: &[u8]) -> Result<u64, PanierError> {
    read_transactions(bytes, &ImportOptions::default(), &mut NoProgress)
        .map(|(table, _)| table.len() as u64)
}

fn limit_of(result: Result<u64, PanierError>) -> (Limit, u64) {
    match result {
        Err(error @ PanierError::InputLimit { limit, found, .. }) => {
            // Le message nomme la limite dans les deux langues.
            let (fr, en) = (error.message(Lang::Fr), error.message(Lang::En));
            assert!(fr.contains("limite de lecture"), "{fr}");
            assert!(en.contains("reading limit"), "{en}");
            (limit, found)
        }
        other => panic!("expected a reading limit, got {other:?}"),
    }
}

#[test]
fn the_hand_built_workbook_is_read_when_honest() {
    assert_eq!(read(&workbook(SHEET, Some(&shared_strings("6")))), Ok(1));
}

#[test]
fn an_announced_string_count_does_not_reserve_memory() {
    // Réserver la place annoncée (ce que faisait calamine) demanderait 96 Go
    // avant de lire la première chaîne : abandon du processus, ou panique
    // dans le navigateur.
    let bytes = workbook(SHEET, Some(&shared_strings("4000000000")));
    assert_eq!(
        limit_of(read(&bytes)),
        (Limit::SharedStrings, 4_000_000_000)
    );
}

#[test]
fn a_kilobyte_sized_bomb_cell_is_refused_before_being_copied() {
    let mut sheet = br#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#.to_vec();
    sheet.resize(sheet.len() + 256 * 1024 * 1024, b'x');
    sheet.extend_from_slice(b"</t></is></c></row></sheetData></worksheet>");
    let bytes = workbook(&sheet, None);
    assert!(bytes.len() < 512 * 1024, "{} bytes", bytes.len());
    // Refusée dès que la valeur dépasse le plafond : au plus une lecture
    // (64 Kio) au-delà, jamais les 256 Mo.
    let (limit, found) = limit_of(read(&bytes));
    assert_eq!(limit, Limit::CellBytes);
    assert!(
        found > MAX_CELL_BYTES && found <= MAX_CELL_BYTES + 64 * 1024,
        "{found}"
    );
}

#[test]
fn too_many_shared_strings_are_counted_and_refused() {
    // Aucun `uniqueCount` : les chaînes sont comptées en lisant.
    let mut xml = b"<sst>".to_vec();
    for _ in 0..=MAX_SHARED_STRINGS {
        xml.extend_from_slice(b"<si/>");
    }
    xml.extend_from_slice(b"</sst>");
    let bytes = workbook(SHEET, Some(&xml));
    assert!(bytes.len() < 1024 * 1024, "{} bytes", bytes.len());
    assert_eq!(
        limit_of(read(&bytes)),
        (Limit::SharedStrings, MAX_SHARED_STRINGS + 1)
    );
}

#[test]
fn a_header_with_too_many_columns_is_refused() {
    let mut csv = (0..MAX_COLUMNS + 10)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    csv.push_str("\n1,2,3\n");
    assert_eq!(
        limit_of(read(csv.as_bytes())),
        (Limit::Columns, MAX_COLUMNS + 1)
    );
}

#[test]
fn a_line_without_end_beyond_the_budget_is_refused() {
    let mut csv = b"InvoiceNo,StockCode,Description,Quantity,UnitPrice\n1,A,".to_vec();
    csv.resize(csv.len() + MAX_LINE_BYTES as usize + 10, b'x');
    csv.extend_from_slice(b",1,1\n");
    let (limit, found) = limit_of(read(&csv));
    assert_eq!(limit, Limit::LineBytes);
    assert!(found > MAX_LINE_BYTES, "{found}");
}

#[test]
fn a_quoted_line_beyond_the_budget_is_refused() {
    let mut csv = b"InvoiceNo,StockCode,Description,Quantity,UnitPrice\n1,A,\"".to_vec();
    csv.resize(csv.len() + MAX_LINE_BYTES as usize + 10, b'x');
    csv.extend_from_slice(b"\",1,1\n");
    assert_eq!(limit_of(read(&csv)).0, Limit::LineBytes);
}
