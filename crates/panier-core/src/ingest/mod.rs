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

pub mod archive;
pub mod cell;
pub mod dates;
pub mod limits;
pub mod raw;
pub mod records;
pub mod roles;
pub mod sniff;
pub mod split;
pub mod unpack;
pub mod xlsx;
pub mod xml;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::PanierError;
use crate::progress::{advance, ProgressSink, Stage};
use crate::table::TransactionTable;
use cell::{Cell, Row};
use dates::{DateFormat, DateOrder};
use raw::RawColumns;
use records::{Record, Records};
use roles::{ColumnMapping, Role};
use sniff::{EncodingChoice, TextEncoding};

/// Nombre de lignes montrées dans l'aperçu de l'étape de correspondance.
pub const PREVIEW_ROWS: usize = 8;

/// Disposition des données dans le fichier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Les mêmes mots que les options de la CLI et le fichier de réglages.
#[serde(rename_all = "kebab-case")]
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
    /// Séparateur décimal des nombres (texte délimité).
    #[serde(default)]
    pub decimal: DecimalChoice,
    /// Colonnes désignées par leur nom (clé de rôle → en-tête, ou numéro à
    /// partir de 1 ; `None` retire le rôle), appliquées par-dessus `mapping`
    /// (ou la correspondance reconnue) : celles d'un fichier de réglages ou
    /// des `--map` de la CLI, qui valent pour tout export de même forme.
    #[serde(default)]
    pub columns: std::collections::BTreeMap<String, Option<String>>,
}

/// Le rôle d'une clé de `columns` ; une clé inconnue est refusée en citant
/// les clés permises.
fn column_role(key: &str) -> Result<Role, PanierError> {
    Role::from_key(key).ok_or_else(|| PanierError::InvalidParameter {
        name: "columns".into(),
        value: key.to_string(),
        expected: Role::MAPPABLE.map(Role::key).join(", "),
    })
}

impl ImportOptions {
    /// Vérifie les clés de `columns` sans le fichier : une faute de frappe
    /// n'attend pas la lecture (les colonnes elles-mêmes se cherchent dans
    /// l'en-tête, par [`ImportOptions::resolve_mapping`]).
    pub fn check_columns(&self) -> Result<(), PanierError> {
        self.columns
            .keys()
            .try_for_each(|key| column_role(key).map(drop))
    }

    /// La correspondance des colonnes pour cet en-tête : imposée
    /// (`mapping`) ou reconnue, puis les colonnes nommées (`columns`). Une
    /// colonne nommée absente de l'en-tête est refusée en citant les
    /// en-têtes présents.
    pub fn resolve_mapping(&self, headers: &[String]) -> Result<ColumnMapping, PanierError> {
        let mut mapping = self
            .mapping
            .unwrap_or_else(|| ColumnMapping::detect(headers.iter().map(String::as_str)));
        for (key, column) in &self.columns {
            let role = column_role(key)?;
            let position = match column {
                None => None,
                Some(wanted) => Some(roles::find_column(headers, wanted).ok_or_else(|| {
                    let shown: Vec<&str> = headers.iter().take(20).map(String::as_str).collect();
                    PanierError::InvalidParameter {
                        name: "columns".into(),
                        value: format!("{key}={wanted}"),
                        expected: format!(
                            "a column of the file (header or 1–{}): {}{}",
                            headers.len(),
                            shown.join(", "),
                            if headers.len() > shown.len() {
                                ", …"
                            } else {
                                ""
                            }
                        ),
                    }
                })?),
            };
            mapping.assign(role, position);
        }
        Ok(mapping)
    }
}

/// Séparateur décimal : décidé d'après les données, ou imposé.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Les mêmes mots que les options de la CLI et le fichier de réglages.
#[serde(rename_all = "kebab-case")]
pub enum DecimalChoice {
    /// Décidé d'après les nombres du début du fichier ; à défaut d'indice,
    /// la virgule quand elle ne sépare pas les champs.
    #[default]
    Auto,
    /// Point décimal (`1,234.50`).
    Dot,
    /// Virgule décimale (`1 234,50`).
    Comma,
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
    /// Séparateur décimal retenu (`.` ou `,`) pour un texte délimité ;
    /// `None` pour un classeur (nombres typés) ou une liste de paniers.
    #[serde(default)]
    pub decimal_separator: Option<char>,
    /// Ce qui forme un panier : la facture, ou (sans facture) un client un jour.
    #[serde(default)]
    pub basket_key: roles::BasketKey,
    /// Lignes de données lues (hors en-tête).
    pub rows_read: u64,
    /// Lignes écartées : quantité ou prix illisible.
    pub rows_unparseable: u64,
    /// Lignes dont le nombre de champs diffère de l'en-tête.
    pub rows_ragged: u64,
    /// Lignes gardées dont la date est illisible.
    pub dates_unparseable: u64,
    /// Jusqu'à trois valeurs de date illisibles du fichier, pour les messages.
    #[serde(default)]
    pub unreadable_date_examples: Vec<String>,
    /// Octets invalides remplacés par « � » (UTF-8 abîmé).
    pub replaced_bytes: u64,
    /// Pourquoi des quantités ou des prix n'ont pas pu être lus.
    #[serde(default)]
    pub unreadable_numbers: NumberTrouble,
    /// Commandes de plusieurs lignes dont le montant, total de la commande
    /// répété sur chaque ligne, a été réparti entre les lignes (0 : montants
    /// de ligne, ou prix unitaires).
    #[serde(default)]
    pub order_totals: u64,
}

/// Pourquoi une quantité ou un prix n'a pas pu être lu : chaque cause appelle
/// un remède différent (un séparateur décimal ne répare pas une formule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NumberCause {
    /// Champ vide (ou absent d'une ligne trop courte).
    Empty,
    /// Cellule vide d'un classeur : souvent une formule enregistrée sans son
    /// résultat (classeurs produits par un programme).
    EmptyCell,
    /// Erreur de formule Excel (#N/A, #DIV/0!…).
    FormulaError,
    /// Un nombre de 10^15 ou plus : un identifiant ou un code, pas une
    /// quantité ni un prix.
    TooLarge,
    /// Un texte qui n'est pas un nombre.
    Text,
}

/// Les quantités et prix illisibles d'un fichier, comptés par cause (une
/// cellule par valeur manquée : une ligne peut en avoir deux).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberTrouble {
    /// Champs vides ou absents.
    pub empty: u64,
    /// Cellules vides d'un classeur.
    pub empty_cells: u64,
    /// Erreurs de formule.
    pub formula_errors: u64,
    /// Nombres de 10^15 ou plus.
    pub too_large: u64,
    /// Textes qui ne sont pas des nombres.
    pub text: u64,
    /// Jusqu'à trois valeurs illisibles non vides, pour les messages.
    pub examples: Vec<String>,
}

impl NumberTrouble {
    /// Exemples gardés au plus.
    const EXAMPLES: usize = 3;

    /// Compte une valeur manquée ; `text` est la valeur telle qu'écrite.
    /// Le compte d'une cause.
    fn count(&self, cause: NumberCause) -> u64 {
        match cause {
            NumberCause::Empty => self.empty,
            NumberCause::EmptyCell => self.empty_cells,
            NumberCause::FormulaError => self.formula_errors,
            NumberCause::TooLarge => self.too_large,
            NumberCause::Text => self.text,
        }
    }

    pub(crate) fn note(&mut self, cause: NumberCause, text: Option<&str>) {
        *match cause {
            NumberCause::Empty => &mut self.empty,
            NumberCause::EmptyCell => &mut self.empty_cells,
            NumberCause::FormulaError => &mut self.formula_errors,
            NumberCause::TooLarge => &mut self.too_large,
            NumberCause::Text => &mut self.text,
        } += 1;
        if let Some(text) = text.map(str::trim).filter(|text| !text.is_empty()) {
            if self.examples.len() < Self::EXAMPLES && !self.examples.iter().any(|e| e == text) {
                self.examples.push(text.chars().take(40).collect());
            }
        }
    }

    /// Compte un champ de texte illisible : vide, trop grand ou pas un nombre.
    pub(crate) fn note_text(&mut self, text: &str, decimal_comma: bool) {
        let cause = if text.trim().is_empty() {
            NumberCause::Empty
        } else if unbounded_number(text, decimal_comma).is_some_and(f64::is_finite) {
            NumberCause::TooLarge
        } else {
            NumberCause::Text
        };
        self.note(cause, Some(text));
    }

    /// Ajoute les comptes d'une autre lecture (l'autre moitié du fichier).
    pub(crate) fn merge(&mut self, other: NumberTrouble) {
        self.empty += other.empty;
        self.empty_cells += other.empty_cells;
        self.formula_errors += other.formula_errors;
        self.too_large += other.too_large;
        self.text += other.text;
        for example in other.examples {
            if self.examples.len() < Self::EXAMPLES && !self.examples.contains(&example) {
                self.examples.push(example);
            }
        }
    }

    /// La cause la plus fréquente (`Text` si rien n'a été compté).
    pub fn cause(&self) -> NumberCause {
        use NumberCause::*;
        // `max_by_key` garde le dernier des ex æquo : à égalité, le texte
        // illisible l'emporte, puis le nombre trop grand…
        [Empty, EmptyCell, FormulaError, TooLarge, Text]
            .into_iter()
            .max_by_key(|&cause| self.count(cause))
            .unwrap_or(NumberCause::Text)
    }
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

/// Comment lire un texte délimité : décidé sur son début, identique pour
/// tout le fichier (et pour chacune de ses moitiés, voir [`split`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextPlan {
    /// Encodage retenu.
    pub encoding: TextEncoding,
    /// Octets invalides remplacés (UTF-8 abîmé).
    pub replaced_bytes: u64,
    /// Début du texte (après un éventuel BOM).
    pub start: usize,
    /// Séparateur des champs.
    pub delimiter: u8,
    /// Un panier par ligne (sinon : des transactions avec en-tête).
    pub baskets: bool,
    /// Virgule décimale (sinon point).
    pub decimal_comma: bool,
}

impl TextPlan {
    /// Encodage, séparateur et disposition d'un texte (pas d'un classeur ni
    /// d'un texte UTF-16, traités avant).
    pub(crate) fn detect(bytes: &[u8], options: &ImportOptions) -> Result<Self, PanierError> {
        Self::detect_with(bytes, options, None)
    }

    /// Comme [`TextPlan::detect`], l'encodage étant déjà décidé s'il est donné.
    fn detect_with(
        bytes: &[u8],
        options: &ImportOptions,
        encoding: Option<TextEncoding>,
    ) -> Result<Self, PanierError> {
        let (encoding, replaced_bytes, start) = match encoding {
            Some(encoding) => (encoding, 0, sniff::check_text(bytes)?),
            None => sniff::detect_encoding(bytes, options.encoding)?,
        };
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
        let decimal_comma = match options.decimal {
            DecimalChoice::Dot => false,
            DecimalChoice::Comma => true,
            // Les nombres du début décident ; sans indice, la virgule n'est
            // décimale que si elle ne sépare pas les champs.
            DecimalChoice::Auto => {
                sniff::sniff_decimal_comma(text, delimiter).unwrap_or(delimiter != b',')
            }
        };
        Ok(Self {
            encoding,
            replaced_bytes,
            start,
            delimiter,
            baskets,
            decimal_comma,
        })
    }

    /// Virgule décimale (sinon point) : imposée par l'option, ou décidée
    /// d'après les nombres du début du fichier.
    pub(crate) fn decimal_comma(&self) -> bool {
        self.decimal_comma
    }
}

/// Où s'arrête le début d'un fichier lu en deux moitiés, et l'encodage déjà
/// décidé pour ce début.
#[derive(Debug, Clone, Copy)]
struct SplitAt {
    at: usize,
    encoding: TextEncoding,
}

/// Lit le fichier ligne par ligne selon son format ; la première ligne
/// livrée est l'en-tête. `limit` arrête la lecture (aperçu). `split` (un
/// décalage dans `bytes` où commence une fin de fichier lue ailleurs) arrête
/// un CSV de transactions juste avant, si c'est bien une frontière de ligne.
fn for_each_row(
    bytes: &[u8],
    options: &ImportOptions,
    limit: Option<u64>,
    split: Option<SplitAt>,
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
            encoding: TextEncoding::Utf8,
            stopped_at: None,
            plan: None,
        });
    }
    if let Some((utf8, encoding)) = sniff::utf16_to_utf8(bytes) {
        // Export « Texte Unicode » d'Excel : transcodé une fois, puis lu comme
        // n'importe quel texte (sans partage : les décalages ont changé). Le
        // rapport nomme l'encodage du fichier, pas celui du transcodage.
        let mut outcome = for_each_row(&utf8, options, limit, None, progress, on_row)?;
        if let SourceFormat::Csv {
            encoding: shown, ..
        } = &mut outcome.format
        {
            *shown = encoding;
        }
        return Ok(outcome);
    }
    let plan = TextPlan::detect_with(bytes, options, split.map(|split| split.encoding))?;
    let text = &bytes[plan.start..];
    if plan.delimiter == sniff::WHITESPACE && !plan.baskets {
        // Colonnes séparées par des blancs : réécrites avec des tabulations,
        // puis lues comme tout texte délimité (sans partage, comme l'UTF-16).
        let tabs = sniff::whitespace_to_tabs(text);
        let options = ImportOptions {
            delimiter: Some('\t'),
            layout: Layout::Transactions,
            ..options.clone()
        };
        let mut outcome = for_each_row(&tabs, &options, limit, None, progress, on_row)?;
        if let SourceFormat::Csv { delimiter, .. } = &mut outcome.format {
            *delimiter = char::from(sniff::WHITESPACE);
        }
        outcome.replaced_bytes += plan.replaced_bytes;
        return Ok(outcome);
    }
    if plan.baskets {
        let rows = for_each_basket_line(text, plan.encoding, limit, progress, on_row)?;
        return Ok(ReadOutcome {
            format: SourceFormat::BasketPerLine,
            rows,
            replaced_bytes: plan.replaced_bytes,
            encoding: TextEncoding::Utf8,
            stopped_at: None,
            plan: None,
        });
    }
    let stop = split
        .map(|split| split.at)
        .filter(|&at| at > plan.start && at < bytes.len())
        .map(|at| at - plan.start);
    // Lu en deux moitiés, l'équilibre des guillemets se vérifie sur les deux
    // ensemble ([`PartialRead::join`]).
    if stop.is_none() {
        check_quotes_balanced(text)?;
    }
    let (records, stopped) = for_each_csv_row(text, &plan, limit, stop, progress, on_row)?;
    let format = SourceFormat::Csv {
        encoding: plan.encoding,
        delimiter: char::from(plan.delimiter),
    };
    Ok(ReadOutcome {
        format,
        rows: records.saturating_sub(1),
        replaced_bytes: plan.replaced_bytes,
        encoding: plan.encoding,
        stopped_at: stopped.map(|stop| stop + plan.start),
        plan: Some(plan),
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
    /// Encodage dans lequel décoder les valeurs lues (UTF-8 pour les cellules
    /// d'un classeur et les paniers, déjà décodées).
    encoding: TextEncoding,
    /// Décalage où la lecture s'est arrêtée pour laisser la fin du fichier à
    /// une lecture parallèle ; `None` : tout a été lu.
    stopped_at: Option<usize>,
    /// Comment le texte a été lu (CSV de transactions seulement).
    plan: Option<TextPlan>,
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

/// Lit un CSV et livre ses lignes (en-tête compris) ; renvoie le nombre de
/// lignes livrées.
///
/// Avec `stop` (décalage dans `text`), la lecture s'arrête à la première fin
/// de ligne qui y mène : la suite est lue ailleurs, et le décalage où elle
/// commence est renvoyé. Si `stop` tombe au milieu d'une ligne (un champ
/// entre guillemets qui contient un saut de ligne), la lecture continue
/// jusqu'au bout, comme sans partage.
fn for_each_csv_row(
    text: &[u8],
    plan: &TextPlan,
    limit: Option<u64>,
    mut stop: Option<usize>,
    progress: &mut dyn ProgressSink,
    on_row: &mut RowSink<'_>,
) -> Result<(u64, Option<usize>), PanierError> {
    let mut records = Records::new(text, plan.delimiter);
    let total = stop.unwrap_or(text.len()).max(1) as f64;
    let mut rows = 0u64;
    while let Some(record) = next_record(&mut records) {
        // Les lignes entièrement vides (fin de fichier Excel) ne comptent pas.
        let blank = record
            .iter()
            .all(|field| field.iter().all(u8::is_ascii_whitespace));
        if !blank {
            if limit.is_some_and(|limit| rows > limit) {
                break;
            }
            on_row(&Row::Fields {
                record,
                encoding: plan.encoding,
                decimal_comma: plan.decimal_comma(),
            })?;
            rows += 1;
            if rows.is_multiple_of(65_536) {
                advance(progress, Stage::Parse, records.position() as f64 / total)?;
            }
        }
        if let Some(at) = stop {
            // Le lecteur est entre deux lignes : la suite, lue à partir de
            // `at` (il n'en reste que des fins de ligne), donnera exactement
            // les mêmes lignes.
            let position = records.position();
            if position > at {
                stop = None;
            } else if text[position..at].iter().all(|&b| b == b'\r' || b == b'\n') {
                return Ok((rows, Some(at)));
            }
        }
    }
    within_budget(&records)?;
    Ok((rows, None))
}

/// L'erreur du budget de lecture qui a arrêté `records`, s'il y en a un.
fn within_budget(records: &Records<'_>) -> Result<(), PanierError> {
    match records.exceeded() {
        Some((limit, found)) => Err(limit.exceeded(found)),
        None => Ok(()),
    }
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
    let mut records = Records::new(text, b',');
    let total = text.len().max(1) as f64;
    let mut baskets = 0u64;
    let mut rows = 0u64;
    while let Some(record) = next_record(&mut records) {
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
            advance(progress, Stage::Parse, records.position() as f64 / total)?;
        }
    }
    within_budget(&records)?;
    Ok(rows)
}

/// Un nombre impair de guillemets trahit un guillemet jamais fermé : la
/// bibliothèque csv lirait alors tout le reste du fichier comme un seul champ.
fn check_quotes_balanced(text: &[u8]) -> Result<(), PanierError> {
    if count_quotes(text).is_multiple_of(2) {
        return Ok(());
    }
    let last = text.iter().rposition(|&b| b == b'"').unwrap_or(0);
    let line = text[..last].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    Err(PanierError::MalformedCsv {
        line,
        detail: "guillemet non fermé / unclosed quote".into(),
    })
}

/// Aperçu rapide : format, en-têtes, premières lignes, correspondance.
pub fn inspect(bytes: &[u8], options: &ImportOptions) -> Result<Inspection, PanierError> {
    if let Some((utf8, encoding)) = sniff::utf16_to_utf8(bytes) {
        // Texte UTF-16 : aperçu du texte transcodé (ses octets nuls le
        // feraient prendre pour un fichier binaire), encodage réel affiché.
        let mut inspection = inspect(&utf8, options)?;
        if let SourceFormat::Csv {
            encoding: shown, ..
        } = &mut inspection.format
        {
            *shown = encoding;
        }
        return Ok(inspection);
    }
    // L'encodage se décide sur tout le fichier : un « £ » au-delà des
    // 256 premiers Ko suffit à trahir du Windows-1252.
    let detected = if xlsx::looks_like_zip(bytes) {
        None
    } else {
        Some(sniff::detect_encoding(bytes, options.encoding)?.0)
    };
    inspect_prefix(bytes, options, detected)
}

/// Aperçu du début d'un gros CSV lu en deux moitiés, dans l'encodage que
/// désigne ce début ([`FirstPartSurvey::encoding`]) : le début n'est pas
/// recensé une seconde fois.
pub fn inspect_first_part(
    first_part: &[u8],
    options: &ImportOptions,
    survey: &FirstPartSurvey,
) -> Result<Inspection, PanierError> {
    sniff::check_text(first_part)?;
    inspect_prefix(first_part, options, Some(survey.encoding))
}

/// Aperçu : un texte s'inspecte sur son début (jusqu'à la dernière fin de
/// ligne des 256 premiers Ko), dans l'encodage `detected` ; inutile de
/// parcourir 50 Mo pour un aperçu.
fn inspect_prefix(
    bytes: &[u8],
    options: &ImportOptions,
    detected: Option<TextEncoding>,
) -> Result<Inspection, PanierError> {
    const PREFIX: usize = 256 * 1024;
    let mut options = options.clone();
    if let Some(encoding) = detected {
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
        None,
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
    let mapping = options.resolve_mapping(&headers)?;
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
    begin_read(bytes, options, None, progress)?.finish(options, progress)
}

/// Lit les lignes jusqu'à `split` (ou tout le fichier) dans des colonnes
/// brutes.
fn begin_read(
    bytes: &[u8],
    options: &ImportOptions,
    split: Option<SplitAt>,
    progress: &mut dyn ProgressSink,
) -> Result<PartialRead, PanierError> {
    let mut builder: Option<RawColumns> = None;
    let mut headers: Vec<String> = Vec::new();
    let expected_rows = if xlsx::looks_like_zip(bytes) {
        0
    } else {
        estimated_rows(&bytes[..split.map_or(bytes.len(), |split| split.at)])
    };
    let outcome = for_each_row(bytes, options, None, split, progress, &mut |row| {
        if let Some(builder) = builder.as_mut() {
            match row {
                Row::Fields {
                    record,
                    decimal_comma,
                    ..
                } => builder.push_record(record, *decimal_comma),
                Row::Cells(cells) => builder.push_cells(cells),
            }
            return Ok(());
        }
        headers = row.texts();
        let mut columns = header_columns(&headers, options)?;
        columns.reserve(expected_rows);
        builder = Some(columns);
        Ok(())
    })?;
    let Some(builder) = builder else {
        return Err(PanierError::EmptyFile);
    };
    Ok(PartialRead {
        builder,
        headers,
        outcome,
        first_part: None,
    })
}

/// Le début d'un gros CSV lu en deux moitiés, jaugé une fois : où il
/// s'arrête, son BOM, son bilan UTF-8 et l'encodage qu'il désigne (pour son
/// aperçu et son en-tête ; tout le fichier se juge à la jonction).
#[derive(Debug, Clone, Copy)]
pub struct FirstPartSurvey {
    at: usize,
    bom: usize,
    census: (sniff::Utf8Census, bool),
    encoding: TextEncoding,
}

impl FirstPartSurvey {
    /// Jauge `first_part`, le début du fichier jusqu'au-delà de `at` (voir
    /// [`split::boundary`]) ; `None` si ce n'est pas du texte.
    pub fn new(first_part: &[u8], options: &ImportOptions, at: usize) -> Option<Self> {
        let bom = sniff::check_text(first_part).ok()?;
        let text = first_part.get(bom..at)?;
        let (census, encoding) = match options.encoding {
            // Un encodage à un octet imposé n'a rien à vérifier.
            EncodingChoice::Windows1252 => (Default::default(), TextEncoding::Windows1252),
            EncodingChoice::Latin1 => (Default::default(), TextEncoding::Latin1),
            choice => {
                let census = sniff::first_part_census(text);
                (census, sniff::first_part_encoding(choice, bom, census))
            }
        };
        Some(Self {
            at,
            bom,
            census,
            encoding,
        })
    }

    /// Encodage que désigne le début.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }
}

/// Commence la lecture d'un gros CSV dont la fin, à partir de `survey.at`,
/// est lue en parallèle par [`split::read_tail`].
///
/// `None` quand la lecture ne peut pas s'arrêter là (classeur, paniers,
/// champ entre guillemets à cheval sur la coupe) ou que le début est
/// illisible : il faut alors lire tout le fichier d'un trait
/// ([`read_transactions`]), qui donnera le même résultat ou la même erreur
/// que sans partage.
pub fn begin_split_read(
    first_part: &[u8],
    options: &ImportOptions,
    survey: FirstPartSurvey,
    progress: &mut dyn ProgressSink,
) -> Option<PartialRead> {
    progress.stage_started(Stage::Parse);
    let FirstPartSurvey {
        at,
        bom,
        census,
        encoding,
    } = survey;
    let split = SplitAt { at, encoding };
    let mut partial = begin_read(first_part, options, Some(split), progress).ok()?;
    let plan = partial.outcome.plan?;
    (partial.outcome.stopped_at == Some(at) && plan.start == bom).then_some(())?;
    partial.first_part = Some(FirstPart {
        census,
        quotes: count_quotes(first_part.get(bom..at)?),
        bom,
    });
    Some(partial)
}

/// Colonnes à remplir d'après l'en-tête : correspondance imposée ou
/// reconnue, vérifiée avant de lire la moindre ligne.
fn header_columns(headers: &[String], options: &ImportOptions) -> Result<RawColumns, PanierError> {
    let mapping = options.resolve_mapping(headers)?;
    mapping.validate(headers)?;
    Ok(RawColumns::new(mapping, headers.len()))
}

/// Une lecture commencée : tout le fichier, ou son début si la fin est lue
/// en parallèle.
pub struct PartialRead {
    builder: RawColumns,
    headers: Vec<String>,
    outcome: ReadOutcome,
    /// Ce qu'il faut du début pour juger le fichier entier, quand la fin est
    /// lue en parallèle.
    first_part: Option<FirstPart>,
}

/// Bilans du début d'un fichier lu en deux moitiés.
struct FirstPart {
    /// Bilan UTF-8 (et vrai si l'échantillon suffit).
    census: (sniff::Utf8Census, bool),
    /// Guillemets.
    quotes: u64,
    /// Longueur du BOM.
    bom: usize,
}

impl PartialRead {
    /// Décalage où commence la fin du fichier attendue d'une lecture
    /// parallèle ; `None` si tout a déjà été lu.
    pub fn awaits_tail_at(&self) -> Option<usize> {
        self.outcome.stopped_at
    }

    /// Joint la fin lue en parallèle et construit la table typée. `None` si
    /// cette fin ne prolonge pas exactement le début (autre frontière, autre
    /// séparateur, autres colonnes) ou si les guillemets du fichier entier ne
    /// s'équilibrent pas : il faut alors tout lire d'un trait
    /// ([`read_transactions`]).
    pub fn join(
        mut self,
        tail: split::CsvTail,
        options: &ImportOptions,
        progress: &mut dyn ProgressSink,
    ) -> Option<Result<(TransactionTable, ImportFacts), PanierError>> {
        let at = self.outcome.stopped_at?;
        let plan = self.outcome.plan?;
        let first = self.first_part.take()?;
        if !tail.matches(at, plan.delimiter, &self.builder)
            || !(first.quotes + tail.quotes).is_multiple_of(2)
        {
            return None;
        }
        // L'encodage se décide sur le fichier entier, comme d'un trait.
        let (encoding, replaced) =
            sniff::decide_split_encoding(options.encoding, first.bom, first.census, tail.census);
        self.outcome.encoding = encoding;
        self.outcome.replaced_bytes = replaced;
        self.outcome.format = SourceFormat::Csv {
            encoding,
            delimiter: char::from(plan.delimiter),
        };
        self.outcome.rows += tail.rows;
        self.outcome.stopped_at = None;
        self.builder.append(tail.columns);
        Some(self.finish_stage(options, progress, Stage::Join))
    }

    /// Construit la table typée d'une lecture complète.
    pub fn finish(
        self,
        options: &ImportOptions,
        progress: &mut dyn ProgressSink,
    ) -> Result<(TransactionTable, ImportFacts), PanierError> {
        self.finish_stage(options, progress, Stage::Parse)
    }

    /// [`PartialRead::finish`], l'avancement étant rapporté à `stage`
    /// (l'analyse des lignes, ou la jonction des deux moitiés).
    fn finish_stage(
        self,
        options: &ImportOptions,
        progress: &mut dyn ProgressSink,
        stage: Stage,
    ) -> Result<(TransactionTable, ImportFacts), PanierError> {
        let PartialRead {
            builder,
            headers,
            outcome,
            ..
        } = self;
        if outcome.stopped_at.is_some() {
            return Err(PanierError::Internal {
                detail: "lecture partagée terminée sans sa fin".into(),
            });
        }
        if outcome.rows == 0 {
            return Err(PanierError::HeaderOnly);
        }
        let mapping = builder.mapping();
        let decimal_comma = outcome.plan.is_some_and(|plan| plan.decimal_comma());
        let (table, counts) = builder.finish(outcome.encoding, options.date_order, decimal_comma);
        advance(progress, stage, 1.0)?;
        let facts = ImportFacts {
            format: outcome.format,
            headers,
            mapping,
            date_format: counts.date_format,
            decimal_separator: outcome
                .plan
                .map(|plan| if plan.decimal_comma() { ',' } else { '.' }),
            basket_key: mapping.basket_key().unwrap_or_default(),
            rows_read: outcome.rows,
            rows_unparseable: counts.rows_unparseable,
            rows_ragged: counts.rows_ragged,
            dates_unparseable: counts.dates_unparseable,
            unreadable_date_examples: counts.unreadable_dates,
            replaced_bytes: outcome.replaced_bytes,
            unreadable_numbers: counts.numbers,
            order_totals: counts.order_totals,
        };
        Ok((table, facts))
    }
}

/// Nombre de lignes d'un texte, estimé sur son début (un peu plus, pour que
/// la place prévue suffise le plus souvent).
///
/// L'estimation est bornée à une ligne par `MIN_RESERVED_LINE_BYTES`
/// octets : un début fait de lignes vides (ou un fichier hostile qui n'est
/// que retours à la ligne) ne doit pas faire réserver des gigaoctets ; si la
/// borne sous-estime, les colonnes grandissent simplement d'elles-mêmes.
///
/// Le produit lignes × taille se calcule sur 64 bits : dans le navigateur,
/// `usize` n'en a que 32, et 3 000 lignes × 25 Mo les dépassent (l'estimation
/// tombait à 17 000 lignes au lieu de 318 000, test `wasm-bindgen`).
pub fn estimated_rows(text: &[u8]) -> usize {
    const SAMPLE: usize = 256 * 1024;
    let sample = &text[..text.len().min(SAMPLE)];
    if sample.is_empty() {
        return 0;
    }
    let lines = crate::scan::count_matching(sample, |byte| byte == b'\n');
    // Au plus `text.len()` (moins d'une fin de ligne par octet) : le
    // résultat tient dans un `usize`.
    let estimate = lines * text.len() as u64 / sample.len() as u64;
    let estimate = usize::try_from(estimate).unwrap_or(text.len());
    let padded = estimate + estimate / 20 + 16;
    padded.min(text.len() / MIN_RESERVED_LINE_BYTES + 16)
}

/// Longueur minimale supposée d'une ligne de transaction pour la place
/// réservée d'avance (une ligne d'Online Retail en fait ~85).
const MIN_RESERVED_LINE_BYTES: usize = 32;

/// Nombre de guillemets d'un texte.
fn count_quotes(text: &[u8]) -> u64 {
    crate::scan::count_matching(text, |byte| byte == b'"')
}

/// Lit l'enregistrement suivant. Fonction à part, appelée à chaque ligne :
/// dans le navigateur, elle passe vite à sa version optimisée, alors que la
/// boucle qui l'appelle, d'un seul appel, reste dans sa version lente (voir
/// [`crate::scan`]).
#[inline(never)]
fn next_record<'r>(records: &'r mut Records<'_>) -> Option<Record<'r>> {
    records.next_record()
}

/// Lit un nombre tel que l'écrivent les exports : espaces tolérés, virgule
/// décimale acceptée quand le séparateur de champs est `;`.
pub fn parse_number(field: &str, decimal_comma: bool) -> Option<f64> {
    unbounded_number(field, decimal_comma).and_then(within_magnitude)
}

/// [`parse_number`] sans la borne de 10^15 (ni le refus de l'infini) : sert
/// à dire pourquoi un nombre est refusé.
fn unbounded_number(field: &str, decimal_comma: bool) -> Option<f64> {
    let trimmed = field.trim();
    let value = if let Some(value) = plain_decimal(trimmed.as_bytes(), decimal_comma) {
        value
    } else if decimal_comma && trimmed.contains(',') {
        match trimmed.replace(',', ".").parse::<f64>() {
            Ok(value) => value,
            Err(_) => formatted_number(trimmed, decimal_comma)?,
        }
    } else {
        match trimmed.parse::<f64>() {
            Ok(value) => value,
            Err(_) => formatted_number(trimmed, decimal_comma)?,
        }
    };
    Some(value)
}

/// Un montant mis en forme pour être lu par un humain : symbole ou code de
/// devise (`1 234,50 €`, `$1,234.50`, `CHF 1'234.50`, `EUR 12`), séparateurs
/// de milliers (espace, espace insécable ou fine, `'`, `.` ou `,`),
/// négatif entre parenthèses (`(12.00)`, usage comptable) ou avec un signe
/// avant la devise (`-$5`). `None` pour tout le reste : un texte qui
/// contient autre chose entre ses chiffres n'est pas un nombre.
///
/// Le séparateur décimal se déduit de la forme quand elle est sans
/// ambiguïté : avec `.` et `,`, le dernier est décimal ; un séparateur qui
/// revient (`1.234.567`) groupe des milliers. Un seul `.` ou `,` suivi d'exactement
/// trois chiffres est ambigu (`1,234`) : il groupe les milliers s'il n'est
/// pas le séparateur décimal du fichier (`decimal_comma`), sinon il est
/// décimal.
fn formatted_number(text: &str, decimal_comma: bool) -> Option<f64> {
    let is_group = |c: char| matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’');
    let first = text.find(|c: char| c.is_ascii_digit())?;
    let last = text.rfind(|c: char| c.is_ascii_digit())?;
    let (before, core, after) = (&text[..first], &text[first..=last], &text[last + 1..]);
    // Autour des chiffres : devise, signe, parenthèses, blancs — pas d'autre
    // chiffre (même d'une autre écriture).
    if before.chars().chain(after.chars()).any(char::is_numeric) {
        return None;
    }
    // Des lettres collées au nombre seulement si c'est un code de devise
    // (12EUR) : « 12abc » n'est pas un montant.
    let letters_touch = after.starts_with(|c: char| c.is_ascii_alphabetic())
        || before.ends_with(|c: char| c.is_ascii_alphabetic());
    if letters_touch && !is_currency(before, after) {
        return None;
    }
    let negative = before.contains('-') || (before.contains('(') && after.contains(')'));
    let mut digits = String::with_capacity(core.len());
    let (mut dots, mut commas) = (0usize, 0usize);
    for c in core.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' => {
                dots += 1;
                digits.push('.');
            }
            ',' => {
                commas += 1;
                digits.push(',');
            }
            c if is_group(c) => {}
            _ => return None,
        }
    }
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let separator = if dots > 0 { '.' } else { ',' };
            let tail = digits.len() - digits.rfind(separator)? - 1;
            let file_decimal = if decimal_comma { ',' } else { '.' };
            if dots + commas > 1 || (tail == 3 && separator != file_decimal) {
                None
            } else {
                Some(separator)
            }
        }
        _ => {
            let last_dot = digits.rfind('.')?;
            let last_comma = digits.rfind(',')?;
            let decimal = if last_dot > last_comma { '.' } else { ',' };
            // Le séparateur décimal ne vient qu'une fois, après les groupes.
            if digits.matches(decimal).count() > 1 {
                return None;
            }
            Some(decimal)
        }
    };
    let mut plain = String::with_capacity(digits.len() + 1);
    if negative {
        plain.push('-');
    }
    for c in digits.chars() {
        match c {
            '0'..='9' => plain.push(c),
            c if Some(c) == decimal => plain.push('.'),
            _ => {}
        }
    }
    plain.parse().ok()
}

/// Vrai si les lettres autour d'un nombre sont un code de devise connu.
fn is_currency(before: &str, after: &str) -> bool {
    const CODES: &[&str] = &[
        "eur", "usd", "gbp", "chf", "cad", "aud", "jpy", "cny", "sek", "nok", "dkk", "pln", "czk",
        "huf", "brl", "inr", "mxn", "zar", "nzd", "sgd", "hkd", "fr", "kr", "zl", "zł", "kč", "ft",
        "r", "rs", "us", "ca", "a", "nz", "hk", "s",
    ];
    [before, after].iter().all(|part| {
        part.split(|c: char| !c.is_alphabetic())
            .filter(|word| !word.is_empty())
            .all(|word| CODES.contains(&word.to_lowercase().as_str()))
    })
}

/// [`parse_number`] d'un champ ASCII encore en octets : le cas courant (un
/// nombre décimal ordinaire) se lit sans conversion en texte.
pub(crate) fn parse_ascii_number(field: &[u8], decimal_comma: bool) -> Option<f64> {
    match plain_decimal(field, decimal_comma) {
        Some(value) => within_magnitude(value),
        None => parse_number(std::str::from_utf8(field).ok()?, decimal_comma),
    }
}

/// Au-delà de 10^15, ce n'est ni une quantité ni un prix : un montant infini
/// fausserait tout le chiffre d'affaires.
pub(crate) fn within_magnitude(value: f64) -> Option<f64> {
    (value.abs() < MAX_MAGNITUDE).then_some(value)
}

/// Un nombre décimal ordinaire (signe, chiffres, un séparateur décimal, au
/// plus 15 chiffres), lu sans passer par l'analyseur général des flottants.
/// `None` pour tout le reste (exposant, 16 chiffres ou plus, texte…), que
/// l'analyseur général traite.
///
/// Le résultat est exactement celui de l'analyseur général : avec 15
/// chiffres au plus, la mantisse entière et la puissance de dix sont exactes
/// en `f64`, et leur quotient, arrondi au plus près par la division IEEE, est
/// le flottant le plus proche du nombre écrit (méthode de Clinger).
fn plain_decimal(text: &[u8], decimal_comma: bool) -> Option<f64> {
    /// Puissances de dix exactes en `f64`.
    const POWERS: [f64; 16] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ];
    let (negative, digits) = match text.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, text),
    };
    let mut mantissa = 0u64;
    let mut count = 0usize;
    let mut decimals: Option<usize> = None;
    for &byte in digits {
        match byte {
            b'0'..=b'9' if count < 15 => {
                mantissa = mantissa * 10 + u64::from(byte - b'0');
                count += 1;
                if let Some(decimals) = &mut decimals {
                    *decimals += 1;
                }
            }
            b'.' if decimals.is_none() => decimals = Some(0),
            b',' if decimal_comma && decimals.is_none() => decimals = Some(0),
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let value = mantissa as f64 / POWERS[decimals.unwrap_or(0)];
    Some(if negative { -value } else { value })
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
    use crate::ingest::dates::NO_DATE;
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
    fn row_estimates_cover_regular_files_and_stay_bounded_on_blank_ones() {
        let line =
            "536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26,2.55,17850,United Kingdom\n";
        let text = line.repeat(20_000);
        let estimate = estimated_rows(text.as_bytes());
        assert!((20_000..=21_100).contains(&estimate), "{estimate}");
        // Un fichier de retours à la ligne : une ligne par 32 octets au plus.
        let blank = vec![b'\n'; 1 << 20];
        assert_eq!(estimated_rows(&blank), (1 << 20) / 32 + 16);
        assert_eq!(estimated_rows(b""), 0);
    }

    /// `parse_number` sans son chemin rapide : l'analyseur général seul.
    fn parse_number_reference(field: &str, decimal_comma: bool) -> Option<f64> {
        let trimmed = field.trim();
        let value = if decimal_comma && trimmed.contains(',') {
            trimmed.replace(',', ".").parse::<f64>().ok()?
        } else {
            trimmed.parse::<f64>().ok()?
        };
        (value.abs() < MAX_MAGNITUDE).then_some(value)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        #[test]
        fn plain_decimals_are_read_exactly_like_the_general_parser(
            field in "[ ]?[-+]?[0-9]{0,17}[.,]?[0-9]{0,17}[.,e]?[0-9]{0,2}[ ]?",
            decimal_comma: bool,
        ) {
            // Tout ce que l'analyseur général lit, le chemin rapide le lit
            // à l'identique ; les montants mis en forme ne s'y ajoutent
            // que là où l'analyseur général échoue.
            let Some(expected) = parse_number_reference(&field, decimal_comma).map(f64::to_bits)
            else {
                return Ok(());
            };
            proptest::prop_assert_eq!(
                parse_number(&field, decimal_comma).map(f64::to_bits), Some(expected), "{:?}", field
            );
            proptest::prop_assert_eq!(
                parse_ascii_number(field.as_bytes(), decimal_comma).map(f64::to_bits),
                Some(expected),
                "{:?}", field
            );
        }
    }

    #[test]
    fn plain_decimals_cover_signs_zeros_and_separators() {
        for (text, comma, expected) in [
            ("2.55", false, Some(2.55)),
            ("-0", false, Some(-0.0)),
            ("+7", false, Some(7.0)),
            ("5.", false, Some(5.0)),
            (".5", false, Some(0.5)),
            ("2,5", true, Some(2.5)),
            ("1,000.5", true, Some(1000.5)),
            ("0.1", false, Some(0.1)),
            ("123456789012345", false, Some(123_456_789_012_345.0)),
            (".", false, None),
            ("-", false, None),
        ] {
            let read = parse_number(text, comma);
            assert_eq!(read.map(f64::to_bits), expected.map(f64::to_bits), "{text}");
        }
    }

    #[test]
    fn formatted_amounts_are_read_with_their_separators() {
        for (text, comma, expected) in [
            ("1 234,50 €", true, Some(1234.5)),
            ("1\u{202f}234,50\u{a0}€", true, Some(1234.5)),
            ("$1,234.50", false, Some(1234.5)),
            ("-$5.00", false, Some(-5.0)),
            ("(12.00)", false, Some(-12.0)),
            ("CHF 1'234.50", false, Some(1234.5)),
            ("EUR 12", false, Some(12.0)),
            ("12 EUR", false, Some(12.0)),
            ("£3.20", false, Some(3.2)),
            ("1.234.567,89", true, Some(1_234_567.89)),
            ("1,234,567", false, Some(1_234_567.0)),
            ("€1.234,50", false, Some(1234.5)),
            // Une virgule suivie de trois chiffres : milliers dans un fichier
            // à point décimal, décimale dans un fichier à virgule décimale.
            ("1,234", false, Some(1234.0)),
            ("1,234 €", true, Some(1.234)),
            ("2,5", false, Some(2.5)),
            ("12abc", false, None),
            ("abc", false, None),
            ("1.2.3,4,5", false, None),
            ("12 34 56 78", false, Some(12_345_678.0)),
            ("N/A", false, None),
        ] {
            let read = parse_number(text, comma);
            assert_eq!(read.map(f64::to_bits), expected.map(f64::to_bits), "{text}");
        }
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
