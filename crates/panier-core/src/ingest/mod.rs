//! Import : des octets d'un fichier à la [`TransactionTable`] typée.
//!
//! Le fichier peut être un CSV (séparateur, encodage et format de date
//! détectés), un classeur XLSX (feuille au choix), ou une liste de paniers à
//! raison d'un panier par ligne (comme `groceries.csv`). Chaque lecteur livre
//! des lignes de [`Cell`] à un même constructeur de table, qui range les
//! valeurs par rôle de colonne ([`roles`]) et encode les textes par
//! dictionnaire. Les dates sont lues à la fin, une fois le format décidé sur
//! l'ensemble des valeurs distinctes ([`dates`]).
//!
//! Rien n'est deviné en silence : lignes illisibles, dates illisibles,
//! octets invalides et hypothèses (ordre jour/mois) sont comptés dans
//! [`ImportFacts`] et remontent au rapport.

pub mod cell;
pub mod dates;
pub mod roles;
pub mod sniff;
pub mod xlsx;

use std::borrow::Cow;

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::error::PanierError;
use crate::progress::{ProgressSink, Stage};
use crate::table::{Dictionary, TransactionTable, MISSING};
use cell::{Cell, Row};
use dates::{DateFormat, DateOrder, NO_DATE};
use roles::{ColumnMapping, Role};
use sniff::{EncodingChoice, TextEncoding};

/// Nombre de lignes montrées dans l'aperçu de l'étape de correspondance.
pub const PREVIEW_ROWS: usize = 8;

/// Disposition des données dans le fichier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Layout {
    /// Détecter.
    #[default]
    Auto,
    /// Une ligne par ligne de facture, avec un en-tête.
    Transactions,
    /// Un panier par ligne, articles séparés par des virgules, sans en-tête :
    /// seule l'analyse des paniers est possible.
    BasketPerLine,
}

/// Réglages de l'import ; `Default` détecte tout.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Encodage du texte (CSV).
    pub encoding: EncodingChoice,
    /// Séparateur de champs imposé (CSV) ; `None` : détecté.
    pub delimiter: Option<char>,
    /// Feuille à lire (XLSX) ; `None` : la première qui contient des données.
    pub sheet: Option<String>,
    /// Ordre jour/mois des dates.
    pub date_order: DateOrder,
    /// Correspondance colonnes → rôles ; `None` : reconnue d'après l'en-tête.
    pub mapping: Option<ColumnMapping>,
    /// Disposition des données.
    pub layout: Layout,
}

/// Format du fichier lu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SourceFormat {
    /// Texte délimité.
    Csv {
        /// Encodage retenu.
        encoding: TextEncoding,
        /// Séparateur retenu.
        delimiter: char,
    },
    /// Classeur Excel.
    Xlsx {
        /// Feuille lue.
        sheet: String,
        /// Toutes les feuilles du classeur.
        sheets: Vec<String>,
    },
    /// Un panier par ligne.
    BasketPerLine,
}

/// Ce que l'import a détecté et compté, pour le rapport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFacts {
    /// Format du fichier.
    pub format: SourceFormat,
    /// En-têtes du fichier.
    pub headers: Vec<String>,
    /// Correspondance colonnes → rôles utilisée.
    pub mapping: ColumnMapping,
    /// Format des dates retenu (absent sans colonne de date).
    pub date_format: Option<DateFormat>,
    /// Lignes de données lues (hors en-tête).
    pub rows_read: u64,
    /// Lignes écartées : quantité ou prix illisible.
    pub rows_unparseable: u64,
    /// Lignes dont le nombre de champs diffère de l'en-tête.
    pub rows_ragged: u64,
    /// Lignes gardées dont la date est illisible.
    pub dates_unparseable: u64,
    /// Octets invalides remplacés par « � » (UTF-8 abîmé).
    pub replaced_bytes: u64,
}

/// Aperçu d'un fichier pour l'étape de correspondance des colonnes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// Format reconnu.
    pub format: SourceFormat,
    /// En-têtes.
    pub headers: Vec<String>,
    /// Premières lignes, en texte.
    pub preview: Vec<Vec<String>>,
    /// Correspondance reconnue (ou imposée par les options).
    pub mapping: ColumnMapping,
}

/// Ce que les lecteurs savent faire : livrer l'en-tête puis chaque ligne.
type RowSink<'s> = dyn FnMut(&Row<'_>) -> Result<(), PanierError> + 's;

/// Lit le fichier ligne par ligne selon son format ; la première ligne
/// livrée est l'en-tête. `limit` arrête la lecture (aperçu).
fn for_each_row(
    bytes: &[u8],
    options: &ImportOptions,
    limit: Option<u64>,
    progress: &mut dyn ProgressSink,
    on_row: &mut RowSink<'_>,
) -> Result<ReadOutcome, PanierError> {
    if xlsx::looks_like_zip(bytes) {
        // `limit` compte les lignes de données ; le lecteur de classeur compte
        // aussi l'en-tête.
        let sheet_limit = limit.map(|limit| limit + 1);
        let outcome = xlsx::for_each_row(
            bytes,
            options.sheet.as_deref(),
            sheet_limit,
            progress,
            &mut |row| on_row(&Row::Cells(row)),
        );
        let facts = match outcome {
            Ok(facts) => facts,
            Err(error @ PanierError::UnreadableSpreadsheet { .. }) => {
                // Un document Word ou OpenDocument n'est pas un classeur abîmé.
                return Err(match other_zip_kind(bytes) {
                    Some(kind) => PanierError::NotText { kind: kind.into() },
                    None => error,
                });
            }
            Err(error) => return Err(error),
        };
        let rows = facts.rows.saturating_sub(1);
        let format = SourceFormat::Xlsx {
            sheet: facts.sheet,
            sheets: facts.sheets,
        };
        return Ok(ReadOutcome {
            format,
            rows,
            replaced_bytes: 0,
        });
    }
    if let Some(utf8) = sniff::utf16_to_utf8(bytes) {
        // Export « Texte Unicode » d'Excel : transcodé une fois, puis lu comme
        // n'importe quel texte.
        return for_each_row(&utf8, options, limit, progress, on_row);
    }
    let (encoding, replaced_bytes, start) = sniff::detect_encoding(bytes, options.encoding)?;
    let text = &bytes[start..];
    let (sniffed, ragged) = sniff::sniff_delimiter(text);
    let delimiter = options
        .delimiter
        .and_then(|d| u8::try_from(d).ok())
        .unwrap_or(sniffed);
    let baskets = match options.layout {
        Layout::BasketPerLine => true,
        Layout::Transactions => false,
        Layout::Auto => looks_like_baskets(text, delimiter, ragged, encoding),
    };
    if baskets {
        let rows = for_each_basket_line(text, encoding, limit, progress, on_row)?;
        return Ok(ReadOutcome {
            format: SourceFormat::BasketPerLine,
            rows,
            replaced_bytes,
        });
    }
    let rows = for_each_csv_row(text, encoding, delimiter, limit, progress, on_row)?;
    let format = SourceFormat::Csv {
        encoding,
        delimiter: char::from(delimiter),
    };
    Ok(ReadOutcome {
        format,
        rows,
        replaced_bytes,
    })
}

/// Ce qu'une lecture complète (ou un aperçu) a trouvé.
struct ReadOutcome {
    /// Format reconnu.
    format: SourceFormat,
    /// Lignes de données livrées (hors en-tête).
    rows: u64,
    /// Octets invalides remplacés (UTF-8 abîmé).
    replaced_bytes: u64,
}

/// Nature d'une archive ZIP qui n'est pas un classeur Excel (document Word,
/// présentation, OpenDocument, simple archive) ; `None` pour un XLSX.
fn other_zip_kind(bytes: &[u8]) -> Option<&'static str> {
    // Les noms des entrées d'une archive ZIP y figurent en clair.
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|window| window == needle);
    if contains(b"xl/") {
        None
    } else if contains(b"word/") {
        Some("Word (.docx)")
    } else if contains(b"ppt/") {
        Some("PowerPoint (.pptx)")
    } else if contains(b"content.xml") {
        Some("OpenDocument (.ods/.odt)")
    } else {
        // Rien de reconnaissable : un classeur abîmé plutôt qu'un autre document.
        None
    }
}

/// Un fichier sans en-tête reconnaissable, aux lignes de largeur variable, est
/// une liste de paniers (`groceries.csv`).
fn looks_like_baskets(text: &[u8], delimiter: u8, ragged: f64, encoding: TextEncoding) -> bool {
    if delimiter != b',' || ragged < 0.3 {
        return false;
    }
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let headers: Vec<String> = first_line
        .split(|&b| b == b',')
        .map(|field| encoding.decode(field).trim().to_string())
        .collect();
    let mapping = ColumnMapping::detect(headers.iter().map(String::as_str));
    mapping.position(Role::Invoice).is_none()
}

/// Lit un CSV et livre ses lignes (en-tête compris).
fn for_each_csv_row(
    text: &[u8],
    encoding: TextEncoding,
    delimiter: u8,
    limit: Option<u64>,
    progress: &mut dyn ProgressSink,
    on_row: &mut RowSink<'_>,
) -> Result<u64, PanierError> {
    check_quotes_balanced(text)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    let total = text.len().max(1) as f64;
    let mut rows = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_error(&error)),
        }
        // Les lignes entièrement vides (fin de fichier Excel) ne comptent pas.
        if record
            .iter()
            .all(|field| field.iter().all(u8::is_ascii_whitespace))
        {
            continue;
        }
        if limit.is_some_and(|limit| rows > limit) {
            break;
        }
        on_row(&Row::Fields {
            record: &record,
            encoding,
            // La virgule décimale n'est possible que si elle ne sépare pas
            // les champs (`;`, tabulation, `|`).
            decimal_comma: delimiter != b',',
        })?;
        rows += 1;
        if rows.is_multiple_of(65_536) {
            let position = record.position().map_or(0, |p| p.byte()) as f64;
            progress.advanced(Stage::Parse, position / total);
        }
    }
    Ok(rows.saturating_sub(1))
}

/// Lit un fichier « un panier par ligne » : chaque ligne devient une facture
/// (numérotée) dont chaque article est une ligne `[facture, article]`.
fn for_each_basket_line(
    text: &[u8],
    encoding: TextEncoding,
    limit: Option<u64>,
    progress: &mut dyn ProgressSink,
    on_row: &mut RowSink<'_>,
) -> Result<u64, PanierError> {
    on_row(&Row::Cells(&[
        Cell::Text(Cow::Borrowed("Basket")),
        Cell::Text(Cow::Borrowed("Item")),
    ]))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut record = csv::ByteRecord::new();
    let total = text.len().max(1) as f64;
    let mut baskets = 0u64;
    let mut rows = 0u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_error(&error)),
        }
        if limit.is_some_and(|limit| rows >= limit) {
            break;
        }
        baskets += 1;
        let basket = Cell::Text(Cow::Owned(baskets.to_string()));
        for field in record.iter() {
            let item = encoding.decode(field);
            if item.trim().is_empty() {
                continue;
            }
            on_row(&Row::Cells(&[basket.clone(), Cell::Text(item)]))?;
            rows += 1;
        }
        if baskets.is_multiple_of(16_384) {
            let position = record.position().map_or(0, |p| p.byte()) as f64;
            progress.advanced(Stage::Parse, position / total);
        }
    }
    Ok(rows)
}

/// Un nombre impair de guillemets trahit un guillemet jamais fermé : la
/// bibliothèque csv lirait alors tout le reste du fichier comme un seul champ.
fn check_quotes_balanced(text: &[u8]) -> Result<(), PanierError> {
    let quotes = text.iter().filter(|&&b| b == b'"').count();
    if quotes % 2 == 0 {
        return Ok(());
    }
    let last = text.iter().rposition(|&b| b == b'"').unwrap_or(0);
    let line = text[..last].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    Err(PanierError::MalformedCsv {
        line,
        detail: "guillemet non fermé / unclosed quote".into(),
    })
}

/// Traduit une erreur de la bibliothèque csv en erreur utilisateur.
fn csv_error(error: &csv::Error) -> PanierError {
    let line = error.position().map_or(1, |p| p.line());
    PanierError::MalformedCsv {
        line,
        detail: error.to_string(),
    }
}

/// Aperçu rapide : format, en-têtes, premières lignes, correspondance.
pub fn inspect(bytes: &[u8], options: &ImportOptions) -> Result<Inspection, PanierError> {
    // Un texte s'inspecte sur son début (jusqu'à la dernière fin de ligne des
    // 256 premiers Ko) : inutile de parcourir 50 Mo pour un aperçu.
    // L'encodage, lui, se décide sur tout le fichier : un « £ » au-delà des
    // 256 premiers Ko suffit à trahir du Windows-1252.
    const PREFIX: usize = 256 * 1024;
    let mut options = options.clone();
    let mut detected = None;
    if !xlsx::looks_like_zip(bytes) {
        let (encoding, _, _) = sniff::detect_encoding(bytes, options.encoding)?;
        detected = Some(encoding);
        options.encoding = EncodingChoice::from(encoding);
    }
    let options = &options;
    let bytes = if bytes.len() > PREFIX && !xlsx::looks_like_zip(bytes) {
        let end = bytes[..PREFIX]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(PREFIX, |newline| newline + 1);
        &bytes[..end]
    } else {
        bytes
    };
    let mut headers: Option<Vec<String>> = None;
    let mut preview = Vec::new();
    let ReadOutcome { mut format, .. } = for_each_row(
        bytes,
        options,
        Some(PREVIEW_ROWS as u64),
        &mut crate::progress::NoProgress,
        &mut |row| {
            let texts = row.texts();
            if headers.is_none() {
                headers = Some(texts);
            } else if preview.len() < PREVIEW_ROWS {
                preview.push(texts);
            }
            Ok(())
        },
    )?;
    if let (SourceFormat::Csv { encoding, .. }, Some(detected)) = (&mut format, detected) {
        *encoding = detected;
    }
    let headers = headers.ok_or(PanierError::EmptyFile)?;
    let mapping = options
        .mapping
        .unwrap_or_else(|| ColumnMapping::detect(headers.iter().map(String::as_str)));
    Ok(Inspection {
        format,
        headers,
        preview,
        mapping,
    })
}

/// Lit tout le fichier en table typée.
///
/// La correspondance des colonnes est décidée dès l'en-tête (imposée ou
/// reconnue) et vérifiée avant de lire la moindre ligne.
pub fn read_transactions(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn ProgressSink,
) -> Result<(TransactionTable, ImportFacts), PanierError> {
    progress.stage_started(Stage::Parse);
    let mut builder: Option<TableBuilder> = None;
    let mut headers: Vec<String> = Vec::new();
    let outcome = for_each_row(bytes, options, None, progress, &mut |row| {
        if let Some(builder) = builder.as_mut() {
            builder.push(row);
            return Ok(());
        }
        headers = row.texts();
        let mapping = options
            .mapping
            .unwrap_or_else(|| ColumnMapping::detect(headers.iter().map(String::as_str)));
        mapping.validate(&headers)?;
        builder = Some(TableBuilder::new(mapping, headers.len()));
        Ok(())
    })?;
    let Some(builder) = builder else {
        return Err(PanierError::EmptyFile);
    };
    if outcome.rows == 0 {
        return Err(PanierError::HeaderOnly);
    }
    let mapping = builder.mapping;
    let (table, counts) = builder.finish(options.date_order);
    progress.advanced(Stage::Parse, 1.0);
    let facts = ImportFacts {
        format: outcome.format,
        headers,
        mapping,
        date_format: counts.date_format,
        rows_read: outcome.rows,
        rows_unparseable: counts.rows_unparseable,
        rows_ragged: counts.rows_ragged,
        dates_unparseable: counts.dates_unparseable,
        replaced_bytes: outcome.replaced_bytes,
    };
    Ok((table, facts))
}

/// Comptes établis en construisant la table.
struct BuildCounts {
    rows_unparseable: u64,
    rows_ragged: u64,
    dates_unparseable: u64,
    date_format: Option<DateFormat>,
}

/// Une colonne en cours de lecture, encodée par dictionnaire : chaque valeur
/// distincte n'est convertie (nombre, date, client) qu'une fois, à la fin.
/// Les lignes d'une même facture répètent facture, date, client et pays : la
/// dernière valeur vue évite alors le hachage.
#[derive(Default)]
struct RawColumn {
    dictionary: Dictionary,
    ids: Vec<u32>,
    last_text: Option<u32>,
    /// Cellules numériques d'un classeur, par motif binaire exact.
    numbers: FxHashMap<u64, u32>,
}

impl RawColumn {
    fn push_text(&mut self, value: &str, repeats: bool) {
        let id = match self.last_text {
            Some(id) if repeats && self.dictionary.value(id) == value => id,
            _ => {
                let id = self.dictionary.intern(value);
                self.last_text = Some(id);
                id
            }
        };
        self.ids.push(id);
    }

    /// Une valeur numérique garde sa valeur exacte : son écriture décimale la
    /// plus courte se relit à l'identique.
    fn push_number(&mut self, value: f64) {
        let dictionary = &mut self.dictionary;
        let id = *self
            .numbers
            .entry(value.to_bits())
            .or_insert_with(|| dictionary.intern(&format!("{value}")));
        self.ids.push(id);
    }

    /// Convertit chaque valeur distincte une fois.
    fn convert<T: Copy>(&self, convert: impl Fn(&str) -> T) -> Vec<T> {
        let converted: Vec<T> = self.dictionary.values().map(convert).collect();
        self.ids.iter().map(|&id| converted[id as usize]).collect()
    }

    /// Dictionnaire réécrit par `rewrite` (deux valeurs qui deviennent
    /// égales fusionnent), et identifiants des lignes.
    fn rewritten(self, rewrite: impl Fn(&str) -> &str) -> (Dictionary, Vec<u32>) {
        let mut rewritten = Dictionary::default();
        let remap: Vec<u32> = self
            .dictionary
            .values()
            .map(|value| rewritten.intern(rewrite(value)))
            .collect();
        let ids = self.ids.iter().map(|&id| remap[id as usize]).collect();
        (rewritten, ids)
    }
}

/// Construit la table ligne après ligne ; ne garde que les colonnes qui ont
/// un rôle.
struct TableBuilder {
    mapping: ColumnMapping,
    width: usize,
    /// Une colonne brute par rôle de texte présent, dans l'ordre de `Role::ALL`.
    columns: Vec<(Role, usize, RawColumn)>,
    /// Quantités lues (NaN : illisible), si la colonne existe.
    quantity: Option<(usize, Vec<f64>)>,
    /// Prix unitaires lus (NaN : illisible), si la colonne existe.
    unit_price: Option<(usize, Vec<f64>)>,
    rows: usize,
    rows_ragged: u64,
}

impl TableBuilder {
    fn new(mapping: ColumnMapping, width: usize) -> Self {
        let columns = Role::ALL
            .into_iter()
            .filter(|role| !matches!(role, Role::Quantity | Role::UnitPrice))
            .filter_map(|role| Some((role, mapping.position(role)?, RawColumn::default())))
            .collect();
        let numbers = |role| {
            mapping
                .position(role)
                .map(|position| (position, Vec::new()))
        };
        Self {
            mapping,
            width,
            columns,
            quantity: numbers(Role::Quantity),
            unit_price: numbers(Role::UnitPrice),
            rows: 0,
            rows_ragged: 0,
        }
    }

    fn push(&mut self, row: &Row<'_>) {
        if row.len() != self.width {
            self.rows_ragged += 1;
        }
        // Les nombres sont lus tout de suite : ils changent à chaque ligne, un
        // dictionnaire n'y gagnerait rien.
        for (position, values) in [&mut self.quantity, &mut self.unit_price]
            .into_iter()
            .flatten()
        {
            // NaN marque l'illisible : 8 octets par ligne au lieu de 16.
            values.push(row.number(*position).unwrap_or(f64::NAN));
        }
        for (role, position, column) in &mut self.columns {
            // Facture, date, client et pays se répètent sur les lignes d'une
            // même facture : comparer à la valeur précédente évite le hachage.
            let repeats = matches!(
                role,
                Role::Invoice | Role::InvoiceDate | Role::Customer | Role::Country
            );
            match row.cell(*position) {
                Some(Cell::Text(text)) => column.push_text(&text, repeats),
                Some(Cell::Number(value) | Cell::DateTime(value)) => column.push_number(value),
                Some(other) => column.push_text(&other.to_text(), repeats),
                None => column.push_text("", repeats),
            }
        }
        self.rows += 1;
    }

    /// Convertit les colonnes brutes en table typée.
    fn finish(self, date_order: DateOrder) -> (TransactionTable, BuildCounts) {
        let rows = self.rows;
        let mut table = TransactionTable::default();
        let mut date_format = None;
        // Sans colonne de quantité, chaque ligne compte pour une unité ; sans
        // prix, les montants sont inconnus (le rapport le dit).
        table.quantity = self.quantity.map_or_else(|| vec![1.0; rows], |(_, q)| q);
        table.unit_price = self.unit_price.map_or_else(|| vec![0.0; rows], |(_, p)| p);
        let mut dates_unparseable = 0;
        table.invoice_date = vec![NO_DATE; rows];
        let single = |value: &str| {
            let mut dictionary = Dictionary::default();
            let id = dictionary.intern(value);
            (dictionary, vec![id; rows])
        };
        (table.stock_codes, table.stock_code) = single("");
        (table.descriptions, table.description) = single("");
        (table.countries, table.country) = single("");
        table.customer = vec![MISSING; rows];
        table.present[Role::Quantity as usize] = self.mapping.position(Role::Quantity).is_some();
        table.present[Role::UnitPrice as usize] = self.mapping.position(Role::UnitPrice).is_some();
        for (role, _, column) in self.columns {
            table.present[role as usize] = true;
            match role {
                Role::Invoice => (table.invoices, table.invoice) = column.rewritten(str::trim),
                Role::StockCode => {
                    (table.stock_codes, table.stock_code) = column.rewritten(str::trim)
                }
                // La désignation brute est gardée : le nettoyage la normalise
                // et le rapport compte les variantes.
                Role::Description => {
                    (table.descriptions, table.description) = column.rewritten(|v| v)
                }
                Role::Country => (table.countries, table.country) = column.rewritten(str::trim),
                Role::Quantity | Role::UnitPrice => {}
                Role::Customer => {
                    let (customers, ids) = column.rewritten(normalise_customer);
                    let empty = customers.id_of("");
                    table.customer = ids
                        .into_iter()
                        .map(|id| if Some(id) == empty { MISSING } else { id })
                        .collect();
                    table.customers = customers;
                }
                Role::InvoiceDate => {
                    let format = dates::detect(column.dictionary.values(), date_order);
                    table.invoice_date =
                        column.convert(|v| dates::parse(v, &format).unwrap_or(NO_DATE));
                    date_format = Some(format);
                }
            }
        }
        // Lignes dont la quantité ou le prix est illisible : écartées et comptées.
        let keep: Vec<bool> = table
            .quantity
            .iter()
            .zip(&table.unit_price)
            .map(|(q, p)| !q.is_nan() && !p.is_nan())
            .collect();
        let rows_unparseable = keep.iter().filter(|k| !**k).count() as u64;
        if rows_unparseable > 0 {
            table.retain_rows(&keep);
        }
        // Dates vides ou illisibles, parmi les lignes gardées seulement.
        if date_format.is_some() {
            dates_unparseable = table.invoice_date.iter().filter(|&&d| d == NO_DATE).count() as u64;
        }
        let counts = BuildCounts {
            rows_unparseable,
            rows_ragged: self.rows_ragged,
            dates_unparseable,
            date_format,
        };
        (table, counts)
    }
}

/// Lit un nombre tel que l'écrivent les exports : espaces tolérés, virgule
/// décimale acceptée quand le séparateur de champs est `;`.
pub fn parse_number(field: &str, decimal_comma: bool) -> Option<f64> {
    let trimmed = field.trim();
    let value = if decimal_comma && trimmed.contains(',') {
        trimmed.replace(',', ".").parse::<f64>().ok()?
    } else {
        trimmed.parse::<f64>().ok()?
    };
    // Au-delà de 10^15, ce n'est ni une quantité ni un prix : un montant
    // infini fausserait tout le chiffre d'affaires.
    (value.abs() < MAX_MAGNITUDE).then_some(value)
}

/// Plus grande quantité ou prix accepté (valeur absolue).
pub const MAX_MAGNITUDE: f64 = 1e15;

/// Normalise un identifiant client : « 17850.0 » (export via un tableur) et
/// « 17850 » désignent le même client.
pub fn normalise_customer(field: &str) -> &str {
    let trimmed = field.trim();
    match trimmed.strip_suffix(".0") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    fn read(text: &str) -> Result<(TransactionTable, ImportFacts), PanierError> {
        read_transactions(text.as_bytes(), &ImportOptions::default(), &mut NoProgress)
    }

    #[test]
    fn semicolon_files_take_decimal_commas_and_french_headers() {
        let (table, facts) =
            read("Facture;Quantité;Prix unitaire;Client\n1;2;2,50;17850.0\n").expect("lisible");
        assert!(matches!(
            facts.format,
            SourceFormat::Csv { delimiter: ';', .. }
        ));
        assert_eq!(table.unit_price, vec![2.5]);
        assert_eq!(table.customers.value(table.customer[0]), "17850");
    }

    #[test]
    fn unreadable_numbers_are_counted_not_guessed() {
        let (table, facts) =
            read("InvoiceNo,Quantity,UnitPrice\n1,abc,2\n2,3,4\n").expect("lisible");
        assert_eq!(facts.rows_read, 2);
        assert_eq!(facts.rows_unparseable, 1);
        assert_eq!(table.len(), 1);
        assert_eq!(table.quantity, vec![3.0]);
    }

    #[test]
    fn header_only_and_missing_invoice_are_reported() {
        assert_eq!(
            read("InvoiceNo,Quantity,UnitPrice\n").unwrap_err(),
            PanierError::HeaderOnly
        );
        assert!(matches!(
            read("Foo,Quantity\n1,2\n").unwrap_err(),
            PanierError::MissingColumns { .. }
        ));
    }

    #[test]
    fn an_unclosed_quote_is_named_with_its_line() {
        let error = read("InvoiceNo,Quantity\n1,2\n2,\"3\n4,5\n").unwrap_err();
        assert!(
            matches!(error, PanierError::MalformedCsv { line: 3, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn inspection_sees_the_encoding_of_the_whole_file() {
        // Le premier caractère non ASCII arrive bien après l'aperçu.
        let mut bytes = b"InvoiceNo,Description,Quantity,UnitPrice\n".to_vec();
        for i in 0..20_000 {
            bytes.extend_from_slice(format!("{i},cup,1,2.5\n").as_bytes());
        }
        bytes.extend_from_slice(b"99,\xa3 tin,1,2\n");
        let inspection = inspect(&bytes, &ImportOptions::default()).expect("lisible");
        assert!(matches!(
            inspection.format,
            SourceFormat::Csv {
                encoding: TextEncoding::Windows1252,
                ..
            }
        ));
        assert_eq!(inspection.preview.len(), PREVIEW_ROWS);
        assert_eq!(inspection.mapping.position(Role::UnitPrice), Some(3));
    }

    #[test]
    fn dates_are_read_and_ragged_rows_counted() {
        let (table, facts) = read(
            "InvoiceNo,InvoiceDate,Quantity,UnitPrice\n1,25/12/2011 10:00,1,1\n2,garbage,1,1\n3,26/12/2011 10:00,1\n",
        )
        .expect("lisible");
        let format = facts.date_format.expect("colonne de date");
        assert_eq!(format.order, DateOrder::DayFirst);
        assert_eq!(facts.dates_unparseable, 1);
        assert_eq!(facts.rows_ragged, 1);
        // La ligne 3 n'a pas de prix : illisible, écartée.
        assert_eq!(facts.rows_unparseable, 1);
        assert_eq!(table.invoice_date[1], NO_DATE);
        assert_eq!(
            dates::format_timestamp(table.invoice_date[0]),
            "2011-12-25 10:00:00"
        );
    }
}
