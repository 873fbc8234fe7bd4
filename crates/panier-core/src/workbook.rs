//! Le classeur des résultats (XLSX) : une feuille par résultat, à envoyer
//! tel quel à une équipe.
//!
//! Feuilles, dans l'ordre : synthèse, nettoyage, segments, clients, valeur
//! client prédite, règles, recommandations, qualité. Les trois tableaux détaillés (clients, règles,
//! recommandations) sont **les CSV eux-mêmes**, relus et typés : une colonne
//! dont toutes les valeurs sont des nombres devient une colonne de nombres
//! (valeur exacte, format d'affichage selon la colonne), les autres restent
//! du texte. Le classeur dit donc exactement ce que disent les CSV, sans
//! seconde écriture à tenir à jour. Un identifiant à zéro de tête (`0001`)
//! reste du texte : en nombre, il perdrait ses zéros.
//!
//! Limites d'Excel : 1 048 576 lignes par feuille et 32 767 caractères par
//! cellule. Au-delà, la feuille s'arrête (ou la cellule est coupée) et la
//! synthèse le dit : le CSV, lui, est complet.
//!
//! Le cœur n'a aucune dépendance web : dans le navigateur, c'est
//! l'application qui active l'horloge JavaScript de `rust_xlsxwriter`
//! (fonctionnalité `wasm`), pour la date de création du classeur.

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::numbers::Currency;
use crate::Lang;

/// Nom du classeur, dans le navigateur comme dans la CLI.
pub const WORKBOOK_FILE: &str = "panier.xlsx";

/// Lignes d'une feuille d'Excel, en-tête compris.
pub const MAX_ROWS: u32 = 1_048_576;
/// Caractères d'une cellule d'Excel.
const MAX_CELL_CHARS: usize = 32_767;

/// Une ligne de la synthèse : un libellé et sa valeur.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Du texte.
    Text(String),
    /// Un nombre entier (lignes, clients…).
    Count(u64),
    /// Un montant, dans la devise du classeur.
    Money(f64),
    /// Une part (0 à 1), affichée en pourcentage.
    Share(f64),
    /// Un nombre décimal.
    Decimal(f64),
}

/// Un tableau fait de colonnes nommées et de lignes de valeurs (nettoyage,
/// segments, qualité).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Nom de la feuille.
    pub name: String,
    /// En-têtes des colonnes.
    pub header: Vec<String>,
    /// Lignes.
    pub rows: Vec<Vec<Value>>,
}

/// Un CSV à mettre en feuille, avec ses colonnes de montants et de parts.
#[derive(Debug, Clone, Copy)]
pub struct CsvSheet<'a> {
    /// Nom de la feuille.
    pub name: &'a str,
    /// Le CSV (UTF-8, en-tête compris), tel qu'il est exporté.
    pub csv: &'a [u8],
    /// Colonnes de montants (format monétaire).
    pub money: &'a [&'a str],
    /// Colonnes de parts de 0 à 1 (format pourcentage).
    pub shares: &'a [&'a str],
}

/// Ce qu'un classeur contient, assemblé par la session.
#[derive(Debug, Clone)]
pub struct Contents<'a> {
    /// Langue des libellés.
    pub lang: Lang,
    /// Devise des montants (`None` : nombres sans symbole).
    pub currency: Option<Currency>,
    /// Feuille de synthèse : libellé, valeur.
    pub summary: Vec<(String, Value)>,
    /// Tableaux simples (nettoyage, segments…), dans l'ordre.
    pub tables: Vec<Table>,
    /// CSV détaillés (clients, règles, recommandations), dans l'ordre.
    pub csvs: Vec<CsvSheet<'a>>,
    /// Tableaux simples à placer après les CSV (qualité).
    pub after: Vec<Table>,
}

/// Les formats d'affichage du classeur.
struct Formats {
    header: Format,
    money: Format,
    share: Format,
    count: Format,
    decimal: Format,
}

impl Formats {
    fn new(lang: Lang, currency: Option<Currency>) -> Formats {
        // Excel place lui-même les séparateurs selon la langue de
        // l'ordinateur qui ouvre le classeur ; le symbole suit la
        // convention de la langue de l'interface (« 12,50 € », « £12.50 »).
        let money = match currency {
            None => "#,##0.00".to_string(),
            Some(currency) => {
                let symbol = currency.symbol(lang).replace('"', "");
                let digits = if currency.decimals() == 0 {
                    "#,##0"
                } else {
                    "#,##0.00"
                };
                match lang {
                    Lang::Fr => format!("{digits} \"{symbol}\""),
                    Lang::En => format!("\"{symbol}\"{digits}"),
                }
            }
        };
        Formats {
            header: Format::new().set_bold(),
            money: Format::new().set_num_format(money),
            share: Format::new().set_num_format("0.0%"),
            count: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.00"),
        }
    }
}

/// Ce qu'une feuille a dû laisser de côté (limites d'Excel).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Truncation {
    /// Lignes non écrites (au-delà de [`MAX_ROWS`]).
    pub rows: u64,
    /// Cellules coupées à 32 767 caractères.
    pub cells: u64,
}

/// Écrit le classeur dans `out` ; ce qui dépasse les limites d'Excel est
/// dit dans la synthèse.
pub fn write_workbook(contents: &Contents, mut out: impl Write) -> Result<(), XlsxError> {
    let formats = Formats::new(contents.lang, contents.currency);
    let mut book = Workbook::new();
    // Les limites se constatent avant d'écrire la synthèse, qui les dit.
    let truncations: Vec<Truncation> = contents.csvs.iter().map(|c| truncation(c.csv)).collect();
    let mut summary = contents.summary.clone();
    for (sheet, cut) in contents.csvs.iter().zip(&truncations) {
        if *cut != Truncation::default() {
            summary.push((
                truncation_label(contents.lang, sheet.name),
                Value::Text(truncation_text(contents.lang, *cut)),
            ));
        }
    }
    let summary_sheet = book.add_worksheet();
    summary_sheet.set_name(summary_name(contents.lang))?;
    write_summary(summary_sheet, &summary, &formats)?;
    for table in &contents.tables {
        write_table(book.add_worksheet(), table, &formats)?;
    }
    for sheet in &contents.csvs {
        write_csv(book.add_worksheet(), sheet, &formats)?;
    }
    for table in &contents.after {
        write_table(book.add_worksheet(), table, &formats)?;
    }
    let bytes = book.save_to_buffer()?;
    out.write_all(&bytes)?;
    Ok(())
}

fn summary_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "Synthèse",
        Lang::En => "Summary",
    }
}

fn truncation_label(lang: Lang, sheet: &str) -> String {
    match lang {
        Lang::Fr => format!("Feuille « {sheet} » incomplète"),
        Lang::En => format!("Sheet \u{201c}{sheet}\u{201d} incomplete"),
    }
}

fn truncation_text(lang: Lang, cut: Truncation) -> String {
    match lang {
        Lang::Fr => format!(
            "{} lignes au-delà de la limite d'Excel, {} cellules coupées à 32 767 caractères : \
             le CSV exporté est complet.",
            cut.rows, cut.cells
        ),
        Lang::En => format!(
            "{} rows beyond Excel's limit, {} cells cut at 32,767 characters: the exported \
             CSV is complete.",
            cut.rows, cut.cells
        ),
    }
}

/// Ce qui dépasse les limites d'Excel dans un CSV.
fn truncation(csv: &[u8]) -> Truncation {
    let mut cut = Truncation::default();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv);
    let mut record = csv::ByteRecord::new();
    let mut row = 0u64;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        if row >= u64::from(MAX_ROWS) {
            cut.rows += 1;
        } else {
            cut.cells += record
                .iter()
                .filter(|field| field.len() > MAX_CELL_CHARS && char_count(field) > MAX_CELL_CHARS)
                .count() as u64;
        }
        row += 1;
    }
    cut
}

fn char_count(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes).chars().count()
}

/// Le texte d'une cellule, coupé à la limite d'Excel.
fn cell_text(text: &str) -> &str {
    if text.len() <= MAX_CELL_CHARS {
        return text;
    }
    match text.char_indices().nth(MAX_CELL_CHARS) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match value {
        Value::Text(text) => sheet.write_string(row, col, cell_text(text)).map(|_| ()),
        Value::Count(n) => sheet
            .write_number_with_format(row, col, *n as f64, &formats.count)
            .map(|_| ()),
        Value::Money(x) => write_number(sheet, row, col, *x, &formats.money),
        Value::Share(x) => write_number(sheet, row, col, *x, &formats.share),
        Value::Decimal(x) => write_number(sheet, row, col, *x, &formats.decimal),
    }
}

/// Un nombre fini ; une valeur infinie (une conviction de règle certaine)
/// s'écrit comme le CSV l'écrit, en texte.
fn write_number(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    x: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    if x.is_finite() {
        sheet.write_number_with_format(row, col, x, format)?;
    } else {
        sheet.write_string(row, col, crate::export::python_float(x))?;
    }
    Ok(())
}

fn write_summary(
    sheet: &mut Worksheet,
    rows: &[(String, Value)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (row, (label, value)) in rows.iter().enumerate() {
        let row = row as u32;
        sheet.write_string_with_format(row, 0, cell_text(label), &formats.header)?;
        write_value(sheet, row, 1, value, formats)?;
    }
    sheet.set_column_width(0, 42)?;
    sheet.set_column_width(1, 48)?;
    Ok(())
}

fn write_header(
    sheet: &mut Worksheet,
    header: impl IntoIterator<Item = impl AsRef<str>>,
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (col, name) in header.into_iter().enumerate() {
        let Ok(col) = u16::try_from(col) else { break };
        sheet.write_string_with_format(0, col, cell_text(name.as_ref()), &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn write_table(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(&table.name)?;
    write_header(sheet, &table.header, formats)?;
    for (row, values) in table.rows.iter().enumerate().take(MAX_ROWS as usize - 1) {
        for (col, value) in values.iter().enumerate() {
            let Ok(col) = u16::try_from(col) else { break };
            write_value(sheet, row as u32 + 1, col, value, formats)?;
        }
    }
    sheet.set_autofit_max_width(400);
    sheet.autofit();
    Ok(())
}

/// Vrai si `text` est un nombre décimal écrit simplement (`-12`, `0.5`,
/// `1e-05`) : ni `inf`, ni `NaN`, ni zéro de tête devant un chiffre
/// (`0001` est un identifiant).
fn is_plain_number(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let leading_zero = int.len() > 1 && int.starts_with('0');
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    digits(int) && !leading_zero && frac.is_none_or(digits) && exponent_ok
}

/// Met un CSV en feuille : colonnes de nombres typées (première passe),
/// puis les valeurs (seconde passe).
fn write_csv(sheet: &mut Worksheet, source: &CsvSheet, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(source.name)?;
    let reader = || {
        csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(source.csv)
    };
    let mut first = reader();
    let header: Vec<String> = first
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    // Une colonne est numérique si toutes ses valeurs non vides le sont.
    let mut numeric = vec![true; header.len()];
    let mut record = csv::StringRecord::new();
    while let Ok(true) = first.read_record(&mut record) {
        for (col, field) in record.iter().enumerate() {
            if let Some(flag) = numeric.get_mut(col) {
                *flag &= field.is_empty() || is_plain_number(field);
            }
        }
    }
    let format_of = |col: usize| -> Option<&Format> {
        let name = header.get(col)?;
        if source.money.contains(&name.as_str()) {
            Some(&formats.money)
        } else if source.shares.contains(&name.as_str()) {
            Some(&formats.share)
        } else {
            None
        }
    };
    write_header(sheet, &header, formats)?;
    let mut second = reader();
    let mut row = 1u32;
    while let Ok(true) = second.read_record(&mut record) {
        if row >= MAX_ROWS {
            break;
        }
        for (col, field) in record.iter().enumerate() {
            let Ok(col16) = u16::try_from(col) else { break };
            if field.is_empty() {
                continue;
            }
            let number = numeric
                .get(col)
                .copied()
                .unwrap_or(false)
                .then(|| field.parse::<f64>().ok())
                .flatten();
            match (number, format_of(col)) {
                (Some(x), Some(format)) => {
                    sheet.write_number_with_format(row, col16, x, format)?;
                }
                (Some(x), None) => {
                    sheet.write_number(row, col16, x)?;
                }
                (None, _) => {
                    sheet.write_string(row, col16, cell_text(field))?;
                }
            }
        }
        row += 1;
    }
    sheet.set_autofit_max_width(400);
    sheet.autofit();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_numbers_only() {
        for yes in ["0", "-12", "0.5", "12.25", "1e-05", "2.5E+10", "100"] {
            assert!(is_plain_number(yes), "{yes}");
        }
        for no in [
            "", "-", "0001", "01.5", "inf", "NaN", "1,5", "1.", ".5", "12a", "1e", "--1",
        ] {
            assert!(!is_plain_number(no), "{no}");
        }
    }

    #[test]
    fn long_cells_are_cut_on_a_character_boundary() {
        let text = "é".repeat(MAX_CELL_CHARS + 10);
        let cut = cell_text(&text);
        assert_eq!(cut.chars().count(), MAX_CELL_CHARS);
        assert_eq!(cell_text("court"), "court");
    }
}
