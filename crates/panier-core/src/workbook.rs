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
//! Le format est écrit ici, sans bibliothèque de tableur : un XLSX est une
//! archive ZIP de quelques fichiers XML (SpreadsheetML, norme ECMA-376), et
//! le classeur n'utilise que du texte, des nombres, cinq formats
//! d'affichage, une ligne d'en-tête figée et des largeurs de colonnes.
//! Écrire ce sous-ensemble prend quelques centaines de lignes ; une
//! bibliothèque complète pesait bien plus lourd dans le worker du
//! navigateur (voir BENCHMARKS.md). Le cœur n'a pas d'horloge : la date de
//! création vient de l'appelant ([`Contents::created`]).

use std::io::{self, Write};

use flate2::write::DeflateEncoder;
use flate2::{Compression, Crc};

use crate::ingest::archive::{CENTRAL_SIGNATURE, END_SIGNATURE, LOCAL_SIGNATURE};
use crate::ingest::dates::Precision;
use crate::ingest::xlsx::excel_escape;
use crate::numbers::Currency;
use crate::table::Dictionary;
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
    /// Date de création (secondes Unix, UTC) ; `None` : non datée.
    pub created: Option<i64>,
}

/// Les styles de cellule, dans l'ordre de `cellXfs` de `xl/styles.xml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Aucun format.
    Plain = 0,
    /// En-tête, en gras.
    Header = 1,
    /// Montant, dans la devise du classeur.
    Money = 2,
    /// Part, en pourcentage à une décimale.
    Share = 3,
    /// Nombre entier avec séparateur de milliers.
    Count = 4,
    /// Nombre à deux décimales avec séparateur de milliers.
    Decimal = 5,
}

/// Le format d'affichage des montants : Excel place lui-même les
/// séparateurs selon la langue de l'ordinateur qui ouvre le classeur ; le
/// symbole suit la convention de la langue de l'interface (« 12,50 € »,
/// « £12.50 »).
fn money_format(lang: Lang, currency: Option<Currency>) -> String {
    match currency {
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
pub fn write_workbook(contents: &Contents, mut out: impl Write) -> io::Result<()> {
    let mut book = Book::default();
    // Les CSV se parcourent une fois avant d'écrire : la synthèse, première
    // feuille, dit ce qui dépasse les limites d'Excel.
    let surveys: Vec<Survey> = contents.csvs.iter().map(survey).collect();
    let mut summary = contents.summary.clone();
    for (sheet, survey) in contents.csvs.iter().zip(&surveys) {
        if survey.cut != Truncation::default() {
            summary.push((
                truncation_label(contents.lang, sheet.name),
                Value::Text(truncation_text(contents.lang, survey.cut)),
            ));
        }
    }
    write_summary(&mut book, summary_name(contents.lang), &summary)?;
    for table in &contents.tables {
        write_table(&mut book, table)?;
    }
    for (sheet, survey) in contents.csvs.iter().zip(&surveys) {
        write_csv(&mut book, sheet, survey)?;
    }
    for table in &contents.after {
        write_table(&mut book, table)?;
    }
    let bytes = book.finish(
        &money_format(contents.lang, contents.currency),
        contents.created,
    )?;
    out.write_all(&bytes)
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

/// Une cellule : un nombre dans son style, ou un texte.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Number(f64, Style),
    Text(&'a str, Style),
}

impl<'a> Cell<'a> {
    /// La cellule d'une valeur de tableau.
    fn of(value: &'a Value) -> Cell<'a> {
        match value {
            Value::Text(text) => Cell::Text(text, Style::Plain),
            Value::Count(n) => Cell::Number(*n as f64, Style::Count),
            Value::Money(x) => Cell::Number(*x, Style::Money),
            Value::Share(x) => Cell::Number(*x, Style::Share),
            Value::Decimal(x) => Cell::Number(*x, Style::Decimal),
        }
    }

    /// La largeur de colonne qu'elle demande, en caractères (`scratch` sert
    /// à écrire un nombre).
    fn width(self, scratch: &mut Vec<u8>) -> f64 {
        match self {
            Cell::Number(x, style) => width(number_chars(x, style, scratch), style),
            Cell::Text(text, style) => width(cell_text(text).chars().count(), style),
        }
    }
}

/// Les largeurs des colonnes d'un tableau : la plus large cellule de chacune
/// (au plus [`MAX_COLUMNS`] colonnes).
#[derive(Default)]
struct Widths {
    widths: Vec<f64>,
    scratch: Vec<u8>,
}

impl Widths {
    fn note(&mut self, col: usize, cell: Cell) {
        if col >= usize::from(MAX_COLUMNS) {
            return;
        }
        if self.widths.len() <= col {
            self.widths.resize(col + 1, 0.0);
        }
        let width = cell.width(&mut self.scratch);
        self.widths[col] = self.widths[col].max(width);
    }
}

fn write_summary(book: &mut Book, name: &str, rows: &[(String, Value)]) -> io::Result<()> {
    let layout = Layout {
        widths: vec![42.0, 48.0],
        frozen_header: false,
    };
    book.write_sheet(name, &layout, |sheet| {
        for (label, value) in rows {
            sheet.cell(Cell::Text(label, Style::Header));
            sheet.cell(Cell::of(value));
            sheet.end_row()?;
        }
        Ok(())
    })
}

fn write_header(sheet: &mut Sheet, header: &[String]) -> io::Result<()> {
    for name in header {
        sheet.cell(Cell::Text(name, Style::Header));
    }
    sheet.end_row()
}

fn write_table(book: &mut Book, table: &Table) -> io::Result<()> {
    let rows = || table.rows.iter().take(MAX_ROWS as usize - 1);
    let mut widths = Widths::default();
    for (col, name) in table.header.iter().enumerate() {
        widths.note(col, Cell::Text(name, Style::Header));
    }
    for values in rows() {
        for (col, value) in values.iter().enumerate() {
            widths.note(col, Cell::of(value));
        }
    }
    let layout = Layout {
        widths: widths.widths,
        frozen_header: true,
    };
    book.write_sheet(&table.name, &layout, |sheet| {
        write_header(sheet, &table.header)?;
        for values in rows() {
            for value in values {
                sheet.cell(Cell::of(value));
            }
            sheet.end_row()?;
        }
        Ok(())
    })
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

/// Ce qu'un premier passage sur un CSV en apprend : ses colonnes de
/// nombres (toutes leurs valeurs non vides le sont), leurs largeurs, et ce
/// qui dépasse les limites d'Excel.
struct Survey {
    header: Vec<String>,
    numeric: Vec<bool>,
    widths: Vec<f64>,
    cut: Truncation,
}

impl Survey {
    /// Le style d'affichage de la colonne `col`.
    fn style_of(&self, source: &CsvSheet, col: usize) -> Style {
        match self.header.get(col) {
            Some(name) if source.money.contains(&name.as_str()) => Style::Money,
            Some(name) if source.shares.contains(&name.as_str()) => Style::Share,
            _ => Style::Plain,
        }
    }

    /// La cellule d'un champ : un nombre si sa colonne est numérique.
    fn cell<'a>(&self, source: &CsvSheet, col: usize, field: &'a str) -> Cell<'a> {
        let number = self
            .numeric
            .get(col)
            .copied()
            .unwrap_or(false)
            .then(|| field.parse::<f64>().ok())
            .flatten();
        match number {
            Some(x) => Cell::Number(x, self.style_of(source, col)),
            None => Cell::Text(field, Style::Plain),
        }
    }
}

fn csv_reader(csv: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().flexible(true).from_reader(csv)
}

/// Le premier passage sur un CSV. Chaque colonne est mesurée en texte et en
/// nombres (on ne sait qu'à la fin laquelle vaudra).
fn survey(source: &CsvSheet) -> Survey {
    let mut reader = csv_reader(source.csv);
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let mut survey = Survey {
        numeric: vec![true; header.len()],
        header,
        widths: Vec::new(),
        cut: Truncation::default(),
    };
    let too_long =
        |field: &str| field.len() > MAX_CELL_CHARS && field.chars().count() > MAX_CELL_CHARS;
    survey.cut.cells = survey.header.iter().filter(|name| too_long(name)).count() as u64;
    let (mut as_text, mut as_numbers) = (Widths::default(), Widths::default());
    let mut record = csv::StringRecord::new();
    let mut row = 1u32;
    while let Ok(true) = reader.read_record(&mut record) {
        let shown = row < MAX_ROWS;
        if !shown {
            survey.cut.rows += 1;
        }
        for (col, field) in record.iter().enumerate() {
            let plain = is_plain_number(field);
            if let Some(flag) = survey.numeric.get_mut(col) {
                *flag &= field.is_empty() || plain;
            }
            if !shown || field.is_empty() {
                continue;
            }
            survey.cut.cells += u64::from(too_long(field));
            as_text.note(col, Cell::Text(field, Style::Plain));
            if let Some(x) = plain.then(|| field.parse::<f64>().ok()).flatten() {
                as_numbers.note(col, Cell::Number(x, survey.style_of(source, col)));
            }
        }
        row = row.saturating_add(1);
    }
    let mut widths = Widths::default();
    for (col, name) in survey.header.iter().enumerate() {
        widths.note(col, Cell::Text(name, Style::Header));
    }
    let mut widths = widths.widths;
    if widths.len() < as_text.widths.len() {
        widths.resize(as_text.widths.len(), 0.0);
    }
    for (col, w) in widths.iter_mut().enumerate() {
        let cells = if survey.numeric.get(col).copied().unwrap_or(false) {
            &as_numbers.widths
        } else {
            &as_text.widths
        };
        *w = w.max(cells.get(col).copied().unwrap_or(0.0));
    }
    survey.widths = widths;
    survey
}

/// Met un CSV en feuille, d'après son premier passage.
fn write_csv(book: &mut Book, source: &CsvSheet, survey: &Survey) -> io::Result<()> {
    let layout = Layout {
        widths: survey.widths.clone(),
        frozen_header: true,
    };
    book.write_sheet(source.name, &layout, |sheet| {
        write_header(sheet, &survey.header)?;
        let mut reader = csv_reader(source.csv);
        let mut record = csv::StringRecord::new();
        let mut row = 1u32;
        while let Ok(true) = reader.read_record(&mut record) {
            if row >= MAX_ROWS {
                break;
            }
            for (col, field) in record.iter().enumerate() {
                if field.is_empty() {
                    sheet.skip();
                } else {
                    sheet.cell(survey.cell(source, col, field));
                }
            }
            sheet.end_row()?;
            row += 1;
        }
        Ok(())
    })
}

/// Largeur maximale d'une colonne ajustée, en caractères (≈ 400 pixels).
const MAX_AUTOFIT_WIDTH: f64 = 56.0;
/// Colonnes d'une feuille d'Excel (A à XFD).
const MAX_COLUMNS: u16 = 16_384;

/// La largeur d'une colonne, en caractères, pour une cellule de `chars`
/// caractères affichés : le gras est plus large ; + 1,3 : la marge d'Excel
/// autour du texte.
fn width(chars: usize, style: Style) -> f64 {
    let factor = if style == Style::Header { 1.1 } else { 1.0 };
    (chars as f64 * factor + 1.3).min(MAX_AUTOFIT_WIDTH)
}

/// Les caractères qu'affiche un nombre fini dans ce style : chiffres de la
/// partie entière, séparateurs de milliers, décimales du format, symbole ;
/// « Standard » d'Excel montre au plus 11 caractères de l'écriture du
/// nombre (`scratch` sert à l'écrire, rendu tel quel).
fn number_chars(x: f64, style: Style, scratch: &mut Vec<u8>) -> usize {
    // Un nombre infini s'écrit en texte (« inf »).
    if !x.is_finite() {
        return crate::export::python_float(x).chars().count();
    }
    let int_digits = if x.abs() < 1.0 {
        1
    } else {
        x.abs().log10().floor() as usize + 1
    };
    let sign = usize::from(x < 0.0);
    let grouped = sign + int_digits + (int_digits - 1) / 3;
    match style {
        Style::Plain | Style::Header => {
            let start = scratch.len();
            push_display(scratch, x);
            let written = scratch.len() - start;
            scratch.truncate(start);
            written.min(11)
        }
        Style::Count => grouped,
        Style::Decimal => grouped + 3,
        Style::Money => grouped + 5,
        Style::Share => (sign + int_digits + 2).max(4) + 2,
    }
}

/// Une feuille en cours d'écriture. Le début de son XML donne la largeur
/// des colonnes, mesurées avant ([`Layout`]) ; puis le XML s'écrit
/// compressé au fil de l'eau — la feuille n'est jamais entière en mémoire
/// (un million de lignes, c'est plus de 100 Mo de XML).
struct Sheet {
    /// Les octets en attente de compression, passés par paquets de
    /// [`FLUSH_BYTES`].
    buf: Vec<u8>,
    /// Le fichier compressé.
    out: Stream,
    /// Ligne en cours (1 = première ligne d'Excel) et colonne suivante.
    row: u32,
    col: u16,
    /// Vrai quand la ligne en cours a déjà sa balise ouvrante.
    open: bool,
    /// Les textes du classeur, prêtés à la feuille le temps de l'écrire.
    strings: Strings,
}

/// Ce que le début du XML d'une feuille doit savoir avant ses lignes.
struct Layout {
    /// Largeur de chaque colonne, en caractères.
    widths: Vec<f64>,
    /// Ligne d'en-tête figée.
    frozen_header: bool,
}

/// Niveau de compression des fichiers de l'archive : le niveau 3 écrit le
/// classeur d'Online Retail en 0,86 s au lieu de 1,08 s (niveau 6), pour
/// un fichier 9 % plus gros (voir BENCHMARKS.md).
const LEVEL: u32 = 3;

/// Octets accumulés avant de passer au compresseur.
const FLUSH_BYTES: usize = 1 << 16;

/// Un fichier de l'archive compressé au fil de l'écriture, avec sa somme
/// de contrôle et sa taille.
struct Stream {
    encoder: DeflateEncoder<Vec<u8>>,
    crc: Crc,
    size: u64,
}

impl Stream {
    fn new() -> Stream {
        Stream {
            encoder: DeflateEncoder::new(Vec::new(), Compression::new(LEVEL)),
            crc: Crc::new(),
            size: 0,
        }
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.crc.update(bytes);
        self.size += bytes.len() as u64;
        self.encoder.write_all(bytes)
    }

    fn finish(self, name: String) -> io::Result<Entry> {
        Ok(Entry {
            name,
            crc: self.crc.sum(),
            size: self.size,
            data: self.encoder.finish()?,
        })
    }
}

impl Sheet {
    /// Une feuille dont le début du XML (vue, largeurs) est écrit tout de
    /// suite.
    fn new(layout: &Layout, selected: bool, strings: Strings) -> Sheet {
        let mut sheet = Sheet {
            buf: Vec::new(),
            out: Stream::new(),
            row: 1,
            col: 0,
            open: false,
            strings,
        };
        sheet.start_xml(layout, selected);
        sheet
    }

    /// Ouvre la ligne en cours si besoin ; `None` au-delà de la dernière
    /// colonne d'Excel (la cellule est laissée de côté).
    fn cell_start(&mut self, style: Style) -> Option<()> {
        if self.col >= MAX_COLUMNS {
            return None;
        }
        if !self.open {
            self.buf.extend_from_slice(b"<row r=\"");
            push_display(&mut self.buf, self.row);
            self.buf.extend_from_slice(b"\">");
            self.open = true;
        }
        self.buf.extend_from_slice(b"<c r=\"");
        push_column_name(&mut self.buf, self.col);
        push_display(&mut self.buf, self.row);
        self.buf.push(b'"');
        if style != Style::Plain {
            self.buf.extend_from_slice(b" s=\"");
            push_display(&mut self.buf, style as u8);
            self.buf.push(b'"');
        }
        self.col += 1;
        Some(())
    }

    /// Une cellule vide.
    fn skip(&mut self) {
        self.col = self.col.saturating_add(1);
    }

    /// Une cellule. Un nombre infini (une conviction de règle certaine)
    /// s'écrit comme le CSV l'écrit, en texte.
    fn cell(&mut self, cell: Cell) {
        match cell {
            Cell::Number(x, _) if !x.is_finite() => {
                self.cell(Cell::Text(&crate::export::python_float(x), Style::Plain));
            }
            Cell::Number(x, style) => {
                if self.cell_start(style).is_some() {
                    self.buf.extend_from_slice(b"><v>");
                    // L'écriture la plus courte qui relit exactement le même nombre.
                    push_display(&mut self.buf, x);
                    self.buf.extend_from_slice(b"</v></c>");
                }
            }
            Cell::Text(text, style) => {
                if self.cell_start(style).is_some() {
                    self.buf.extend_from_slice(b" t=\"s\"><v>");
                    let index = self.strings.index(cell_text(text));
                    push_display(&mut self.buf, index);
                    self.buf.extend_from_slice(b"</v></c>");
                }
            }
        }
    }

    fn end_row(&mut self) -> io::Result<()> {
        if self.open {
            self.buf.extend_from_slice(b"</row>");
        }
        self.open = false;
        self.row = self.row.saturating_add(1);
        self.col = 0;
        if self.buf.len() >= FLUSH_BYTES {
            self.out.write(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Le début du XML de la feuille : vue (en-tête figé), largeurs des
    /// colonnes, ouverture des données.
    fn start_xml(&mut self, layout: &Layout, selected: bool) {
        let xml = &mut self.buf;
        xml.extend_from_slice(XML_DECLARATION.as_bytes());
        xml.extend_from_slice(
            b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
              xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
              <sheetViews><sheetView workbookViewId=\"0\"",
        );
        if selected {
            xml.extend_from_slice(b" tabSelected=\"1\"");
        }
        if layout.frozen_header {
            xml.extend_from_slice(
                b"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" \
                  state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A2\" \
                  sqref=\"A2\"/></sheetView></sheetViews>",
            );
        } else {
            xml.extend_from_slice(b"/></sheetViews>");
        }
        xml.extend_from_slice(b"<sheetFormatPr defaultRowHeight=\"15\"/>");
        if layout.widths.iter().any(|w| *w > 0.0) {
            xml.extend_from_slice(b"<cols>");
            for (col, width) in layout.widths.iter().enumerate() {
                if *width <= 0.0 {
                    continue;
                }
                xml.extend_from_slice(b"<col min=\"");
                push_display(xml, col + 1);
                xml.extend_from_slice(b"\" max=\"");
                push_display(xml, col + 1);
                xml.extend_from_slice(b"\" width=\"");
                push_display(xml, (width * 100.0).round() / 100.0);
                xml.extend_from_slice(b"\" customWidth=\"1\"/>");
            }
            xml.extend_from_slice(b"</cols>");
        }
        xml.extend_from_slice(b"<sheetData>");
    }

    /// La fin du XML ; rend le fichier compressé et les textes prêtés.
    fn finish(mut self, name: String) -> io::Result<(Entry, Strings)> {
        self.buf.extend_from_slice(
            b"</sheetData><pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" \
              bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></worksheet>",
        );
        self.out.write(&self.buf)?;
        Ok((self.out.finish(name)?, self.strings))
    }
}

/// Les textes du classeur, chacun écrit une fois (`xl/sharedStrings.xml`) :
/// les cellules n'en portent que le numéro.
#[derive(Default)]
struct Strings {
    texts: Dictionary,
    /// Cellules de texte (un texte répété compte à chaque fois).
    uses: u64,
}

impl Strings {
    fn index(&mut self, text: &str) -> u32 {
        self.uses += 1;
        self.texts.intern(text)
    }

    fn xml(&self) -> Vec<u8> {
        let mut xml = Vec::new();
        xml.extend_from_slice(XML_DECLARATION.as_bytes());
        xml.extend_from_slice(
            b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"",
        );
        push_display(&mut xml, self.uses);
        xml.extend_from_slice(b"\" uniqueCount=\"");
        push_display(&mut xml, self.texts.len());
        xml.extend_from_slice(b"\">");
        for text in self.texts.values() {
            // Les espaces de tête ou de fin se gardent seulement si on le dit.
            if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                xml.extend_from_slice(b"<si><t xml:space=\"preserve\">");
            } else {
                xml.extend_from_slice(b"<si><t>");
            }
            push_escaped(&mut xml, text);
            xml.extend_from_slice(b"</t></si>");
        }
        xml.extend_from_slice(b"</sst>");
        xml
    }
}

/// Le classeur en cours : ses feuilles (compressées dès qu'elles sont
/// finies) et ses textes.
#[derive(Default)]
struct Book {
    strings: Strings,
    names: Vec<String>,
    sheets: Vec<Entry>,
}

impl Book {
    /// Écrit une feuille : `fill` la remplit. Son nom est rendu acceptable
    /// pour Excel (31 caractères, sans `[]:*?/\`, unique).
    fn write_sheet(
        &mut self,
        name: &str,
        layout: &Layout,
        fill: impl FnOnce(&mut Sheet) -> io::Result<()>,
    ) -> io::Result<()> {
        let index = self.sheets.len() + 1;
        let strings = std::mem::take(&mut self.strings);
        let mut sheet = Sheet::new(layout, index == 1, strings);
        fill(&mut sheet)?;
        let (entry, strings) = sheet.finish(format!("xl/worksheets/sheet{index}.xml"))?;
        self.strings = strings;
        self.names.push(self.unique_name(name));
        self.sheets.push(entry);
        Ok(())
    }

    fn unique_name(&self, name: &str) -> String {
        let clean: String = name
            .chars()
            .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
            .take(31)
            .collect();
        let clean = clean.trim_matches('\'').to_string();
        let base = if clean.is_empty() {
            "Sheet".to_string()
        } else {
            clean
        };
        let taken = |candidate: &str| {
            self.names
                .iter()
                .any(|n| n.to_lowercase() == candidate.to_lowercase())
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while taken(&candidate) {
            let suffix = format!(" ({n})");
            let keep = 31usize.saturating_sub(suffix.chars().count());
            candidate = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
            n += 1;
        }
        candidate
    }

    /// L'archive complète.
    fn finish(self, money: &str, created: Option<i64>) -> io::Result<Vec<u8>> {
        let count = self.sheets.len();
        let mut types = String::from(XML_DECLARATION);
        types.push_str(
            "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
             <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
             <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
             <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
             <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
             <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
             <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
             <Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>",
        );
        for index in 1..=count {
            types.push_str(&format!(
                "<Override PartName=\"/xl/worksheets/sheet{index}.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            ));
        }
        types.push_str("</Types>");

        let root_rels = format!(
            "{XML_DECLARATION}<Relationships xmlns=\"{RELATIONSHIPS}\">\
             <Relationship Id=\"rId1\" Type=\"{OFFICE}/officeDocument\" Target=\"xl/workbook.xml\"/>\
             <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
             <Relationship Id=\"rId3\" Type=\"{OFFICE}/extended-properties\" Target=\"docProps/app.xml\"/>\
             </Relationships>"
        );
        let app = format!(
            "{XML_DECLARATION}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
             <Application>Panier</Application></Properties>"
        );
        let created = created
            .and_then(|secs| crate::ingest::dates::stamp(secs, Precision::Second))
            .map(|at| {
                format!(
                    "<dcterms:created xsi:type=\"dcterms:W3CDTF\">{}Z</dcterms:created>",
                    at.replacen(' ', "T", 1)
                )
            })
            .unwrap_or_default();
        let core = format!(
            "{XML_DECLARATION}<cp:coreProperties \
             xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
             <dc:creator>Panier</dc:creator>{created}</cp:coreProperties>"
        );

        let mut workbook = Vec::new();
        workbook.extend_from_slice(XML_DECLARATION.as_bytes());
        workbook.extend_from_slice(
            b"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
              xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
              <bookViews><workbookView/></bookViews><sheets>",
        );
        for (index, name) in self.names.iter().enumerate() {
            workbook.extend_from_slice(b"<sheet name=\"");
            push_escaped(&mut workbook, name);
            workbook.extend_from_slice(b"\" sheetId=\"");
            push_display(&mut workbook, index + 1);
            workbook.extend_from_slice(b"\" r:id=\"rId");
            push_display(&mut workbook, index + 1);
            workbook.extend_from_slice(b"\"/>");
        }
        workbook.extend_from_slice(b"</sheets></workbook>");

        let mut rels = format!("{XML_DECLARATION}<Relationships xmlns=\"{RELATIONSHIPS}\">");
        for index in 1..=count {
            rels.push_str(&format!(
                "<Relationship Id=\"rId{index}\" Type=\"{OFFICE}/worksheet\" \
                 Target=\"worksheets/sheet{index}.xml\"/>"
            ));
        }
        rels.push_str(&format!(
            "<Relationship Id=\"rId{}\" Type=\"{OFFICE}/styles\" Target=\"styles.xml\"/>\
             <Relationship Id=\"rId{}\" Type=\"{OFFICE}/sharedStrings\" Target=\"sharedStrings.xml\"/>\
             </Relationships>",
            count + 1,
            count + 2
        ));

        let mut entries = vec![
            Entry::deflate("[Content_Types].xml".into(), types.as_bytes())?,
            Entry::deflate("_rels/.rels".into(), root_rels.as_bytes())?,
            Entry::deflate("docProps/app.xml".into(), app.as_bytes())?,
            Entry::deflate("docProps/core.xml".into(), core.as_bytes())?,
            Entry::deflate("xl/workbook.xml".into(), &workbook)?,
            Entry::deflate("xl/_rels/workbook.xml.rels".into(), rels.as_bytes())?,
            Entry::deflate("xl/styles.xml".into(), &styles(money))?,
            Entry::deflate("xl/sharedStrings.xml".into(), &self.strings.xml())?,
        ];
        entries.extend(self.sheets);
        zip(&entries)
    }
}

const XML_DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// `xl/styles.xml` : la police normale et la grasse, et les styles de
/// [`Style`] dans le même ordre.
fn styles(money: &str) -> Vec<u8> {
    let mut xml = Vec::new();
    xml.extend_from_slice(XML_DECLARATION.as_bytes());
    xml.extend_from_slice(
        b"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\
          <numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"",
    );
    push_escaped(&mut xml, money);
    // 3 et 4 : formats intégrés d'Excel (« #,##0 » et « #,##0.00 »).
    xml.extend_from_slice(
        b"\"/><numFmt numFmtId=\"165\" formatCode=\"0.0%\"/></numFmts>\
          <fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font>\
          <font><b/><sz val=\"11\"/><name val=\"Calibri\"/><family val=\"2\"/></font></fonts>\
          <fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>\
          <fill><patternFill patternType=\"gray125\"/></fill></fills>\
          <borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
          <cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>\
          <cellXfs count=\"6\">\
          <xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>\
          <xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>\
          <xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
          <xf numFmtId=\"165\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
          <xf numFmtId=\"3\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
          <xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyNumberFormat=\"1\"/>\
          </cellXfs><cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>\
          </cellStyles></styleSheet>",
    );
    xml
}

fn push_display(out: &mut Vec<u8>, value: impl std::fmt::Display) {
    // L'écriture dans un Vec ne peut pas échouer.
    let _ = write!(out, "{value}");
}

/// Le nom d'une colonne d'Excel : A, B… Z, AA… (`col` compté depuis 0).
fn push_column_name(out: &mut Vec<u8>, col: u16) {
    let mut letters = [0u8; 3];
    let mut len = 0;
    let mut n = u32::from(col) + 1;
    while n > 0 && len < letters.len() {
        let rem = (n - 1) % 26;
        letters[len] = b'A' + rem as u8;
        len += 1;
        n = (n - 1) / 26;
    }
    out.extend(letters[..len].iter().rev());
}

/// Le texte en XML : `&`, `<`, `>` et `"` échappés ; les caractères de
/// contrôle, interdits en XML, écrits `_xHHHH_` comme Excel les écrit, et un
/// `_x` déjà présent protégé (`_x005F_`) pour qu'Excel ne le décode pas.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    for (at, c) in text.char_indices() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\t' | '\n' | '\r' => out.push(c as u8),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                push_display(out, format_args!("_x{:04X}_", c as u32));
            }
            '_' if excel_escape(&bytes[at..]).is_some() => out.extend_from_slice(b"_x005F_"),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Un fichier de l'archive, déjà compressé.
struct Entry {
    name: String,
    crc: u32,
    size: u64,
    data: Vec<u8>,
}

impl Entry {
    fn deflate(name: String, content: &[u8]) -> io::Result<Entry> {
        let mut stream = Stream::new();
        stream.write(content)?;
        stream.finish(name)
    }
}

/// L'archive ZIP (méthode « deflate », sans ZIP64) : les en-têtes locaux et
/// les données, puis le répertoire central.
fn zip(entries: &[Entry]) -> io::Result<Vec<u8>> {
    let too_large = || {
        io::Error::other(
            "the workbook exceeds 4 GiB (ZIP without ZIP64); the CSV files are complete",
        )
    };
    let u32_of = |n: u64| u32::try_from(n).map_err(|_| too_large());
    let mut out = Vec::new();
    let mut central = Vec::new();
    let count = u16::try_from(entries.len()).map_err(|_| too_large())?;
    for entry in entries {
        let offset = u32_of(out.len() as u64)?;
        let compressed = u32_of(entry.data.len() as u64)?;
        let size = u32_of(entry.size)?;
        let name = entry.name.as_bytes();
        // Version 2.0, pas de drapeau, deflate (8), 1er janvier 1980 à 0 h.
        let common = |buf: &mut Vec<u8>| {
            buf.extend_from_slice(&20u16.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
            buf.extend_from_slice(&8u16.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
            buf.extend_from_slice(&0x21u16.to_le_bytes());
            buf.extend_from_slice(&entry.crc.to_le_bytes());
            buf.extend_from_slice(&compressed.to_le_bytes());
            buf.extend_from_slice(&size.to_le_bytes());
            buf.extend_from_slice(&(name.len() as u16).to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&LOCAL_SIGNATURE.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(name);
        out.extend_from_slice(&entry.data);

        central.extend_from_slice(&CENTRAL_SIGNATURE.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        common(&mut central);
        // Commentaire, disque, attributs internes et externes.
        central.extend_from_slice(&[0; 10]);
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let central_offset = u32_of(out.len() as u64)?;
    let central_size = u32_of(central.len() as u64)?;
    out.extend_from_slice(&central);
    out.extend_from_slice(&END_SIGNATURE.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
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

    /// Un classeur relu par une lecture indépendante (calamine) : chaque
    /// texte et chaque nombre revient à l'identique, échappements compris.
    #[test]
    fn a_second_reader_reads_back_every_value() {
        use calamine::{Data, Reader, Xlsx};
        let tricky = [
            "a & b <c> \"d\"",
            "  espaces de tête et de fin  ",
            "contrôle \u{1}\u{8} ici",
            "littéral _x0041_ gardé",
            "émoji 🛒 et ligne\nnouvelle",
        ];
        let csv = "Produit,Prix,Code\n\
                   Tasse,12.5,0001\n\
                   Bol,-0.1,0002\n\
                   Tasse,1e-05,\n\
                   Bol,1e999,0003\n";
        let money: &[&str] = &["Prix"];
        let contents = Contents {
            lang: Lang::Fr,
            currency: Some(Currency::Eur),
            summary: tricky
                .iter()
                .map(|t| (t.to_string(), Value::Text(t.to_string())))
                .chain([
                    ("n".to_string(), Value::Count(4_338)),
                    ("x".to_string(), Value::Money(0.1 + 0.2)),
                    ("p".to_string(), Value::Share(1.0 / 3.0)),
                    ("inf".to_string(), Value::Decimal(f64::INFINITY)),
                ])
                .collect(),
            tables: vec![Table {
                name: "Seg[ments]: a/b?".into(),
                header: vec!["A".into(), "B".into()],
                rows: vec![vec![Value::Text("x".into()), Value::Decimal(2.5e300)]],
            }],
            csvs: vec![CsvSheet {
                name: "Clients",
                csv: csv.as_bytes(),
                money,
                shares: &[],
            }],
            after: vec![Table {
                name: "Clients".into(),
                header: vec!["A".into()],
                rows: vec![],
            }],
            created: Some(1_764_849_600),
        };
        let mut bytes = Vec::new();
        write_workbook(&contents, &mut bytes).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(
            book.sheet_names(),
            ["Synthèse", "Seg_ments__ a_b_", "Clients", "Clients (2)"]
        );
        let summary = book.worksheet_range("Synthèse").unwrap();
        for (row, text) in tricky.iter().enumerate() {
            assert_eq!(summary.get((row, 0)), Some(&Data::String(text.to_string())));
            assert_eq!(summary.get((row, 1)), Some(&Data::String(text.to_string())));
        }
        let at = tricky.len();
        assert_eq!(summary.get((at, 1)), Some(&Data::Float(4_338.0)));
        assert_eq!(summary.get((at + 1, 1)), Some(&Data::Float(0.1 + 0.2)));
        assert_eq!(summary.get((at + 2, 1)), Some(&Data::Float(1.0 / 3.0)));
        assert_eq!(summary.get((at + 3, 1)), Some(&Data::String("inf".into())));
        let table = book.worksheet_range("Seg_ments__ a_b_").unwrap();
        assert_eq!(table.get((1, 1)), Some(&Data::Float(2.5e300)));
        let clients = book.worksheet_range("Clients").unwrap();
        assert_eq!(clients.get((1, 1)), Some(&Data::Float(12.5)));
        assert_eq!(clients.get((2, 1)), Some(&Data::Float(-0.1)));
        assert_eq!(clients.get((3, 1)), Some(&Data::Float(1e-05)));
        assert_eq!(clients.get((1, 2)), Some(&Data::String("0001".into())));
        assert_eq!(clients.get((3, 2)), Some(&Data::Empty));
        // Un nombre trop grand pour un flottant s'écrit comme le CSV, en texte.
        assert_eq!(clients.get((4, 1)), Some(&Data::String("inf".into())));
    }

    #[test]
    fn column_names_follow_excel() {
        let name = |col| {
            let mut out = Vec::new();
            push_column_name(&mut out, col);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(name(0), "A");
        assert_eq!(name(25), "Z");
        assert_eq!(name(26), "AA");
        assert_eq!(name(701), "ZZ");
        assert_eq!(name(702), "AAA");
        assert_eq!(name(MAX_COLUMNS - 1), "XFD");
    }

    /// Ce qui dépasse les limites d'Excel (lignes au-delà de 1 048 576,
    /// cellules de plus de 32 767 caractères) est dit dans la synthèse.
    #[test]
    fn the_summary_says_what_excel_could_not_hold() {
        use calamine::{Data, Reader, Xlsx};
        let mut csv = format!("A,B\nx,{}\n", "é".repeat(MAX_CELL_CHARS + 1));
        for _ in 0..MAX_ROWS {
            csv.push_str("1,2\n");
        }
        let contents = Contents {
            lang: Lang::En,
            currency: None,
            summary: vec![],
            tables: vec![],
            csvs: vec![CsvSheet {
                name: "Clients",
                csv: csv.as_bytes(),
                money: &[],
                shares: &[],
            }],
            after: vec![],
            created: None,
        };
        let mut bytes = Vec::new();
        write_workbook(&contents, &mut bytes).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let summary = book.worksheet_range("Summary").unwrap();
        assert_eq!(
            summary.get((0, 0)),
            Some(&Data::String(
                "Sheet \u{201c}Clients\u{201d} incomplete".into()
            ))
        );
        assert_eq!(
            summary.get((0, 1)),
            Some(&Data::String(
                "2 rows beyond Excel's limit, 1 cells cut at 32,767 characters: the exported \
                 CSV is complete."
                    .into()
            ))
        );
    }
}
