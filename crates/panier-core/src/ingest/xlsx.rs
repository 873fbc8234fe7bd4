//! Lecture en flux d'un classeur Excel (XLSX).
//!
//! Le classeur est ouvert depuis les octets déjà en mémoire (le `File` lu par
//! le Web Worker, ou le fichier lu par la CLI). C'est une archive ZIP
//! ([`archive`](crate::ingest::archive)) de parties XML
//! ([`xml`](crate::ingest::xml)) :
//! - `xl/workbook.xml` nomme les feuilles, et ses relations
//!   (`xl/_rels/workbook.xml.rels`) disent où chacune est rangée ;
//! - `xl/sharedStrings.xml` est la table des textes, que les cellules
//!   désignent par leur rang ; elle est gardée en un seul tampon ;
//! - `xl/styles.xml` dit quelles cellules sont des dates (leur format de
//!   nombre : « jj/mm/aaaa », « h:mm »…) ;
//! - chaque feuille est lue en flux, cellule par cellule : les cellules d'une
//!   même ligne sont regroupées dans un tampon réutilisé, et chaque ligne est
//!   livrée à l'appelant aussitôt complète. La mémoire de pointe reste celle
//!   des octets du fichier, de la table des textes et d'une ligne, quelle que
//!   soit la taille de la feuille.
//!
//! Les valeurs sont lues comme calamine 0.38 les lit (les tests comparent les
//! deux lectures cellule par cellule, Online Retail compris) : textes
//! enrichis concaténés sans leurs indications phonétiques, espaces de bord
//! retirés sauf `xml:space="preserve"`, échappements `_xHHHH_` d'Excel
//! décodés, dates reconnues à leur format, système de dates 1904 ramené à
//! celui de 1900.
//!
//! Aucune entrée ne fait paniquer ce module : archive tronquée, octets
//! aléatoires, références de cellules aberrantes ou XML incohérent
//! deviennent des [`PanierError`].

use std::borrow::Cow;
use std::io::Read;
use std::ops::Range;

use crate::error::PanierError;
use crate::ingest::archive::Archive;
use crate::ingest::cell::Cell;
use crate::ingest::limits::{Limit, MAX_CELL_BYTES};
use crate::ingest::xml::{attribute_text, push_text, unreadable, Token, XmlReader};
use crate::progress::{advance, ProgressSink, Stage};

/// Nombre maximal de colonnes d'une feuille Excel (A à XFD), le budget de
/// colonnes de toute lecture. Au-delà, la référence de cellule est forcément
/// corrompue : refuser évite d'allouer une ligne de plusieurs milliards de
/// cellules.
const MAX_COLUMNS: u32 = crate::ingest::limits::MAX_COLUMNS as u32;

/// Lignes livrées entre deux rapports d'avancement.
const PROGRESS_EVERY: u64 = 65_536;

/// Écart, en jours, entre l'origine du système de dates 1904 (01/01/1904) et
/// celle du système 1900 (30/12/1899 compte tenu du faux 29/02/1900 d'Excel).
const EPOCH_1904_OFFSET_DAYS: f64 = 1_462.0;

/// Vrai si les octets commencent comme une archive ZIP (signature PK\x03\x04), donc peut-être un XLSX.
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    crate::ingest::archive::looks_like_zip(bytes)
}

/// Noms des feuilles du classeur, dans l'ordre.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, PanierError> {
    let book = Book::open(bytes)?;
    Ok(book.sheets.into_iter().map(|sheet| sheet.name).collect())
}

/// Ce que la lecture a trouvé.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetFacts {
    /// Feuille effectivement lue.
    pub sheet: String,
    /// Toutes les feuilles du classeur, dans l'ordre.
    pub sheets: Vec<String>,
    /// Lignes livrées à l'appelant, en-tête compris.
    pub rows: u64,
}

/// Lit une feuille ligne par ligne. `sheet = None` : la première feuille qui contient des données.
/// `on_row` reçoit chaque ligne, en-tête compris, dans l'ordre, comme une tranche de cellules
/// commençant à la colonne A ; les trous (cellules absentes du XML) sont des `Cell::Empty`;
/// les lignes entièrement absentes du XML entre deux lignes présentes sont ignorées (pas livrées).
/// Si `on_row` renvoie une erreur, la lecture s'arrête et la renvoie.
/// `limit` : nombre de lignes (en-tête compris) au-delà duquel la lecture
/// s'arrête normalement (aperçu) ; `None` pour tout lire.
/// Rapporte l'avancement (`progress.advanced(Stage::Parse, fraction)`) environ tous les 65 536 lignes
/// (fraction estimée d'après la dimension déclarée de la feuille, sinon ne rien rapporter).
///
/// Précisions :
/// - une ligne dont toutes les cellules sont vides (cellules seulement mises
///   en forme, sans valeur) est traitée comme une ligne absente : elle n'est
///   pas livrée ;
/// - les cellules vides en fin de ligne ne sont pas livrées : la tranche
///   s'arrête à la dernière cellule qui porte une valeur (les lignes peuvent
///   donc avoir des longueurs différentes) ;
/// - une feuille explicitement demandée mais vide (ou une feuille graphique)
///   n'est pas une erreur : rien n'est livré et `rows` vaut 0 ;
/// - l'appelant annonce lui-même le début de l'étape
///   (`progress.stage_started(Stage::Parse)`).
pub fn for_each_row(
    bytes: &[u8],
    sheet: Option<&str>,
    limit: Option<u64>,
    progress: &mut dyn ProgressSink,
    on_row: &mut dyn FnMut(&[Cell<'_>]) -> Result<(), PanierError>,
) -> Result<SheetFacts, PanierError> {
    let book = Book::open(bytes)?;
    let names: Vec<String> = book.sheets.iter().map(|sheet| sheet.name.clone()).collect();
    let chosen = match sheet {
        Some(requested) => match book.sheets.iter().position(|s| s.name == requested) {
            Some(index) => Some(index),
            None => {
                return Err(PanierError::UnknownSheet {
                    requested: requested.to_string(),
                    available: names,
                })
            }
        },
        None => None,
    };
    let contents = book.contents()?;
    let mut reader = SheetReader {
        book: &book,
        contents: &contents,
        limit,
        progress,
        on_row,
    };
    match chosen {
        Some(index) => {
            let rows = reader.stream(index)?;
            Ok(SheetFacts {
                sheet: names[index].clone(),
                sheets: names,
                rows,
            })
        }
        None => {
            // Une seule passe par feuille : la première ligne non vide livrée
            // désigne la feuille, dont la lecture se poursuit aussitôt.
            for index in 0..names.len() {
                let rows = reader.stream(index)?;
                if rows > 0 {
                    return Ok(SheetFacts {
                        sheet: names[index].clone(),
                        sheets: names,
                        rows,
                    });
                }
            }
            Err(PanierError::EmptyWorkbook)
        }
    }
}

/// Une feuille déclarée par le classeur.
struct Sheet {
    name: String,
    /// Chemin de sa partie dans l'archive.
    path: String,
    /// Feuille de calcul (et non graphique, boîte de dialogue ou macros).
    is_worksheet: bool,
}

/// Le classeur ouvert : archive, feuilles et chemins de ses autres parties.
struct Book<'b> {
    archive: Archive<'b>,
    sheets: Vec<Sheet>,
    is_1904: bool,
    /// Chemins de la table des textes et des styles.
    shared_strings: String,
    styles: String,
}

/// Ce que les cellules désignent : la table des textes et le format de date
/// de chaque style.
struct Contents {
    strings: SharedStrings,
    formats: Vec<NumberFormat>,
}

/// Ouvre une partie XML de l'archive, si elle existe.
fn part<'b>(
    archive: &Archive<'b>,
    path: &str,
) -> Result<Option<XmlReader<impl Read + 'b>>, PanierError> {
    let Some(entry) = archive.find(path) else {
        return Ok(None);
    };
    let reader = archive
        .open(entry)
        .map_err(|error| unreadable(error.to_string()))?;
    Ok(Some(XmlReader::new(reader, MAX_CELL_BYTES)))
}

impl<'b> Book<'b> {
    /// Ouvre le classeur et lit la liste de ses feuilles.
    ///
    /// Une archive ZIP sans `xl/workbook.xml` (un .docx, un .zip quelconque)
    /// n'a aucune feuille : un vrai classeur en a toujours au moins une, donc
    /// c'est un fichier illisible.
    fn open(bytes: &'b [u8]) -> Result<Self, PanierError> {
        let archive = Archive::new(bytes).map_err(|error| unreadable(error.to_string()))?;
        // Budgets de décompression vérifiés avant toute lecture.
        crate::ingest::unpack::check(&archive)?;
        // Le document principal, d'après les relations du paquet (presque
        // toujours xl/workbook.xml).
        let relations = read_relations(&archive, "_rels/.rels", "")?;
        let workbook = relations
            .iter()
            .find(|relation| relation.kind.ends_with("/officeDocument"))
            .map_or_else(|| "xl/workbook.xml".to_string(), |r| r.target.clone());
        let folder = match workbook.rfind('/') {
            Some(slash) => &workbook[..=slash],
            None => "",
        };
        let file = &workbook[folder.len()..];
        let relations = read_relations(&archive, &format!("{folder}_rels/{file}.rels"), folder)?;
        let no_sheet = || unreadable("no worksheet found (xl/workbook.xml missing or empty)");
        let Some(mut xml) = part(&archive, &workbook)? else {
            return Err(no_sheet());
        };
        let mut sheets = Vec::new();
        let mut is_1904 = false;
        while let Some(token) = xml.next_token()? {
            let Token::Open {
                name, attributes, ..
            } = token
            else {
                continue;
            };
            match name {
                b"sheet" => {
                    let sheet_name = attributes.get(b"name").map(attribute_text);
                    let id = attributes.get(b"id").unwrap_or_default();
                    let relation = relations
                        .iter()
                        .find(|relation| relation.id.as_bytes() == id)
                        .ok_or_else(|| {
                            unreadable(format!(
                                "sheet {} has no relationship",
                                sheet_name.as_deref().unwrap_or_default()
                            ))
                        })?;
                    sheets.push(Sheet {
                        name: sheet_name.unwrap_or_default(),
                        path: relation.target.clone(),
                        is_worksheet: relation.kind.ends_with("/worksheet"),
                    });
                }
                // `<x15:workbookPr>` (dans `extLst`) porte le même nom local
                // mais jamais `date1904`.
                b"workbookPr" => {
                    if let Some(value) = attributes.get(b"date1904") {
                        is_1904 = value == b"1" || value == b"true";
                    }
                }
                _ => {}
            }
        }
        if sheets.is_empty() {
            return Err(no_sheet());
        }
        let located = |suffix: &str, default: &str| {
            relations
                .iter()
                .find(|relation| relation.kind.ends_with(suffix))
                .map_or_else(|| format!("{folder}{default}"), |r| r.target.clone())
        };
        Ok(Book {
            shared_strings: located("/sharedStrings", "sharedStrings.xml"),
            styles: located("/styles", "styles.xml"),
            archive,
            sheets,
            is_1904,
        })
    }

    /// Lit la table des textes et les formats des styles.
    fn contents(&self) -> Result<Contents, PanierError> {
        Ok(Contents {
            strings: SharedStrings::read(&self.archive, &self.shared_strings)?,
            formats: read_formats(&self.archive, &self.styles)?,
        })
    }
}

/// Une relation d'un fichier `.rels` : identifiant, type et cible (chemin
/// dans l'archive, déjà résolu).
struct Relation {
    id: String,
    kind: String,
    target: String,
}

/// Lit les relations de la partie `path` ; les cibles relatives le sont au
/// dossier `folder`. Une partie absente n'a pas de relations.
fn read_relations(
    archive: &Archive<'_>,
    path: &str,
    folder: &str,
) -> Result<Vec<Relation>, PanierError> {
    let Some(mut xml) = part(archive, path)? else {
        return Ok(Vec::new());
    };
    let mut relations = Vec::new();
    while let Some(token) = xml.next_token()? {
        if let Token::Open {
            name: b"Relationship",
            attributes,
            ..
        } = token
        {
            let text = |key: &[u8]| attributes.get(key).map(attribute_text).unwrap_or_default();
            let target = text(b"Target");
            relations.push(Relation {
                id: text(b"Id"),
                kind: text(b"Type"),
                target: resolve(folder, &target),
            });
        }
    }
    Ok(relations)
}

/// Chemin dans l'archive d'une cible de relation : absolue (« /xl/… ») ou
/// relative au dossier `folder`, segments « . » et « .. » résolus.
fn resolve(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{folder}{target}"),
    };
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                segments.pop();
            }
            segment => segments.push(segment),
        }
    }
    segments.join("/")
}

/// La table des textes partagés, en un seul tampon.
#[derive(Default)]
struct SharedStrings {
    text: String,
    /// Fin de chaque texte dans `text`.
    ends: Vec<usize>,
}

impl SharedStrings {
    /// Lit la table de la partie `path` (absente : pas de textes partagés).
    fn read(archive: &Archive<'_>, path: &str) -> Result<Self, PanierError> {
        let mut strings = SharedStrings::default();
        let Some(mut xml) = part(archive, path)? else {
            return Ok(strings);
        };
        let mut piece = String::new();
        while let Some(token) = xml.next_token()? {
            match token {
                Token::Open {
                    name: b"sst",
                    attributes,
                    ..
                } => {
                    // Le nombre annoncé ne sert qu'à réserver, dans le budget.
                    if let Some(count) = attributes.get(b"uniqueCount").and_then(parse_index) {
                        Limit::SharedStrings.check(count as u64)?;
                        strings.ends.reserve(count);
                    }
                }
                Token::Open {
                    name: b"si", empty, ..
                } => {
                    if !empty {
                        read_rich_text(&mut xml, b"si", &mut strings.text, &mut piece)?;
                    }
                    strings.ends.push(strings.text.len());
                    Limit::SharedStrings.check(strings.ends.len() as u64)?;
                }
                _ => {}
            }
        }
        Ok(strings)
    }

    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index {
            0 => 0,
            _ => self.ends[index - 1],
        };
        self.text.get(start..end)
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Lit un texte (`<si>` de la table, `<is>` d'une cellule) jusqu'à la
/// balise fermante `closing`, et l'ajoute à `out` : les morceaux `<t>`
/// concaténés (texte enrichi), sauf ceux des indications phonétiques
/// (`<rPh>`) ; chaque morceau sans `xml:space="preserve"` perd ses espaces
/// de bord ; les échappements `_xHHHH_` d'Excel sont décodés.
fn read_rich_text<R: Read>(
    xml: &mut XmlReader<R>,
    closing: &[u8],
    out: &mut String,
    piece: &mut String,
) -> Result<(), PanierError> {
    let mut phonetic = false;
    loop {
        match xml.next_token()? {
            Some(Token::Open {
                name: b"rPh",
                empty: false,
                ..
            }) => phonetic = true,
            Some(Token::Close { name: b"rPh" }) => phonetic = false,
            Some(Token::Open {
                name: b"t",
                attributes,
                empty: false,
            }) if !phonetic => {
                let preserve = attributes.get_qualified(b"xml:space") == Some(b"preserve");
                piece.clear();
                collect_text(xml, b"t", piece)?;
                let kept = if preserve {
                    piece.as_str()
                } else {
                    piece.trim_matches([' ', '\t', '\r', '\n'])
                };
                unescape_excel(kept, out);
            }
            Some(Token::Close { name }) if name == closing => return Ok(()),
            Some(_) => {}
            None => return Err(unreadable("the XML ends inside a text")),
        }
    }
}

/// Ajoute à `out` le texte d'un élément jusqu'à sa balise fermante
/// `closing` (entités résolues, sauts de ligne normalisés).
fn collect_text<R: Read>(
    xml: &mut XmlReader<R>,
    closing: &[u8],
    out: &mut String,
) -> Result<(), PanierError> {
    loop {
        match xml.next_token()? {
            Some(Token::Text(raw)) => push_text(raw, out),
            Some(Token::CData(raw)) => out.push_str(&String::from_utf8_lossy(raw)),
            Some(Token::Close { name }) if name == closing => return Ok(()),
            Some(_) => {}
            None => return Err(unreadable("the XML ends inside a value")),
        }
    }
}

/// Saute tout jusqu'à la balise fermante `closing`.
fn skip_to<R: Read>(xml: &mut XmlReader<R>, closing: &[u8]) -> Result<(), PanierError> {
    loop {
        match xml.next_token()? {
            Some(Token::Close { name }) if name == closing => return Ok(()),
            Some(_) => {}
            None => return Err(unreadable("the XML ends inside a cell")),
        }
    }
}

/// Décode les échappements d'Excel : `_xHHHH_` est une unité UTF-16 (un
/// caractère hors du plan de base en prend deux ; une moitié seule devient
/// « � ») ; le littéral « _x000D_ » est écrit « _x005F_x000D_ ».
fn unescape_excel(text: &str, out: &mut String) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'_') {
        let index = at + offset;
        let Some(unit) = excel_escape(&bytes[index..]) else {
            at = index + 1;
            continue;
        };
        out.push_str(&text[copied..index]);
        let mut next = index + 7;
        let character = match unit {
            0xD800..=0xDBFF => match bytes.get(next..).and_then(excel_escape) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            _ => char::from_u32(u32::from(unit)),
        };
        out.push(character.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = next;
        at = next;
    }
    out.push_str(&text[copied..]);
}

/// L'unité UTF-16 de l'échappement d'Excel `_xHHHH_` qui commence `bytes`,
/// s'il y en a un : décodé ici, protégé à l'écriture du classeur des
/// résultats (`workbook`, qui écrit « _x005F_ » devant un tel littéral).
pub(crate) fn excel_escape(bytes: &[u8]) -> Option<u16> {
    let escape = bytes.get(..7)?;
    if escape[0] != b'_' || escape[1] != b'x' || escape[6] != b'_' {
        return None;
    }
    let hex = std::str::from_utf8(&escape[2..6]).ok()?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

/// Ce que le format de nombre d'un style fait d'une valeur numérique.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NumberFormat {
    /// Un nombre.
    Other,
    /// Une date ou une heure.
    DateTime,
    /// Une durée (« [h]:mm:ss ») : une quantité de jours, pas une date.
    Duration,
}

/// Format de chaque style de cellule (`<cellXfs>`) : format personnalisé
/// (`<numFmt>`) ou intégré à Excel, selon son identifiant.
fn read_formats(archive: &Archive<'_>, path: &str) -> Result<Vec<NumberFormat>, PanierError> {
    let mut formats = Vec::new();
    let Some(mut xml) = part(archive, path)? else {
        return Ok(formats);
    };
    let mut custom: Vec<(String, NumberFormat)> = Vec::new();
    let mut in_cell_styles = false;
    while let Some(token) = xml.next_token()? {
        match token {
            Token::Open {
                name: b"numFmt",
                attributes,
                ..
            } => {
                if let (Some(id), Some(code)) =
                    (attributes.get(b"numFmtId"), attributes.get(b"formatCode"))
                {
                    let id = String::from_utf8_lossy(id).into_owned();
                    custom.push((id, custom_format(&attribute_text(code))));
                }
            }
            Token::Open {
                name: b"cellXfs",
                empty,
                ..
            } => in_cell_styles = !empty,
            Token::Close { name: b"cellXfs" } => in_cell_styles = false,
            Token::Open {
                name: b"xf",
                attributes,
                ..
            } if in_cell_styles => {
                let format = match attributes.get(b"numFmtId") {
                    None => NumberFormat::Other,
                    Some(id) => custom
                        .iter()
                        .rev()
                        .find(|(custom_id, _)| custom_id.as_bytes() == id)
                        .map_or_else(|| builtin_format(id), |(_, format)| *format),
                };
                formats.push(format);
            }
            _ => {}
        }
    }
    Ok(formats)
}

/// Formats intégrés à Excel qui sont des dates, des heures ou des durées.
fn builtin_format(id: &[u8]) -> NumberFormat {
    let id = std::str::from_utf8(id)
        .ok()
        .and_then(|id| id.parse::<u16>().ok());
    match id {
        Some(14..=22 | 27..=36 | 45 | 47 | 50..=58) => NumberFormat::DateTime,
        Some(46) => NumberFormat::Duration,
        _ => NumberFormat::Other,
    }
}

/// Reconnaît un format personnalisé de date ou de durée, comme calamine :
/// seule la première section compte (avant `;`) ; textes entre guillemets,
/// caractères échappés (`\`, `_`, `*`) et crochets (`[Red]`, `[$-40C]`)
/// sont ignorés ; une lettre d, m, y, h ou s en fait une date, `[h]`, `[m]`
/// ou `[s]` une durée, `AM/PM` une heure.
fn custom_format(code: &str) -> NumberFormat {
    let mut escaped = false;
    let mut quoted = false;
    let mut brackets = 0u8;
    let mut previous = ' ';
    let mut elapsed = false;
    let mut meridiem = false;
    for character in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(character, '_' | '\\' | '*') {
            escaped = true;
        } else if quoted {
            quoted = character != '"';
        } else if character == '"' {
            quoted = true;
        } else if character == ';' {
            return NumberFormat::Other;
        } else if character == '[' {
            brackets = brackets.saturating_add(1);
        } else if character == ']' && brackets == 1 && elapsed {
            return NumberFormat::Duration;
        } else if character == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !meridiem && matches!(character, 'a' | 'A') {
            meridiem = true;
        } else if brackets == 0
            && if meridiem {
                // Après un « a » : « AM/PM », « a/p » font une heure.
                matches!(character, 'p' | 'm' | '/' | 'P' | 'M')
            } else {
                matches!(character.to_ascii_lowercase(), 'd' | 'm' | 'h' | 'y' | 's')
            }
        {
            return NumberFormat::DateTime;
        } else if !(elapsed && character.eq_ignore_ascii_case(&previous)) {
            elapsed = previous == '[' && matches!(character.to_ascii_lowercase(), 'm' | 'h' | 's');
        }
        previous = character;
    }
    NumberFormat::Other
}

/// Entier décimal non signé, sans signe ni espace.
fn parse_index(raw: &[u8]) -> Option<usize> {
    if raw.is_empty() {
        return None;
    }
    raw.iter().try_fold(0usize, |value, &digit| {
        if !digit.is_ascii_digit() {
            return None;
        }
        value
            .checked_mul(10)?
            .checked_add(usize::from(digit - b'0'))
    })
}

/// Position (ligne, colonne), base 0, d'une référence « B12 ». Sans
/// colonne (« 12 », attribut `r` d'une ligne), la colonne vaut `None`.
fn cell_reference(raw: &[u8]) -> Result<(u32, Option<u32>), PanierError> {
    let invalid = || unreadable(format!("invalid cell reference {:?}", preview(raw)));
    let letters = raw.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let mut column: u32 = 0;
    for &letter in &raw[..letters] {
        column = column
            .checked_mul(26)
            .and_then(|c| c.checked_add(u32::from(letter.to_ascii_uppercase() - b'A') + 1))
            .ok_or_else(|| beyond_columns(raw))?;
    }
    let row = parse_index(&raw[letters..])
        .and_then(|row| u32::try_from(row).ok())
        .and_then(|row| row.checked_sub(1))
        .ok_or_else(invalid)?;
    Ok((row, column.checked_sub(1)))
}

/// Erreur d'une référence au-delà de la colonne XFD.
fn beyond_columns(raw: &[u8]) -> PanierError {
    unreadable(format!(
        "cell reference beyond column XFD ({})",
        preview(raw)
    ))
}

/// Étendue des lignes annoncée par la dimension de la feuille (`<dimension
/// ref="A1:H541910"/>`), pour estimer l'avancement.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RowExtent {
    first: f64,
    count: f64,
}

impl RowExtent {
    /// Fraction de la feuille lue une fois la ligne `row` (base 0) livrée ;
    /// `None` si la dimension s'avère fausse (ligne hors de l'étendue).
    fn fraction(self, row: u32) -> Option<f64> {
        let done = f64::from(row) - self.first + 1.0;
        (done <= self.count).then(|| (done / self.count).clamp(0.0, 1.0))
    }
}

/// Étendue déclarée, si elle est exploitable. Certains générateurs écrivent
/// « A1 » quelle que soit la taille de la feuille : une dimension d'une seule
/// ligne ne dit donc rien d'utile, pas plus qu'une dimension illisible.
fn declared_rows(dimension: &[u8]) -> Option<RowExtent> {
    let mut corners = dimension.split(|&b| b == b':');
    let (Some(start), Some(end), None) = (corners.next(), corners.next(), corners.next()) else {
        return None;
    };
    let (first, _) = cell_reference(start).ok()?;
    let (last, _) = cell_reference(end).ok()?;
    (last > first).then(|| RowExtent {
        first: f64::from(first),
        count: f64::from(last) - f64::from(first) + 1.0,
    })
}

/// Type d'une cellule (attribut `t`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum CellType {
    /// Nombre (`n`, ou pas d'attribut : `plain`).
    Number { plain: bool },
    /// Rang dans la table des textes (`s`).
    Shared,
    /// Texte d'une formule (`str`).
    Formula,
    /// Texte dans la cellule (`inlineStr`).
    Inline,
    /// Vrai ou faux (`b`).
    Bool,
    /// Erreur de formule (`e`, « #DIV/0! »).
    Error,
    /// Date ISO 8601 en texte (`d`).
    IsoDate,
}

impl CellType {
    fn parse(raw: Option<&[u8]>) -> Result<Self, PanierError> {
        Ok(match raw {
            None => CellType::Number { plain: true },
            Some(b"n") => CellType::Number { plain: false },
            Some(b"s") => CellType::Shared,
            Some(b"str") => CellType::Formula,
            Some(b"inlineStr" | b"is") => CellType::Inline,
            Some(b"b") => CellType::Bool,
            Some(b"e") => CellType::Error,
            Some(b"d") => CellType::IsoDate,
            Some(other) => {
                return Err(unreadable(format!(
                    "unknown cell type {:?}",
                    preview(other)
                )))
            }
        })
    }
}

/// Valeur d'une cellule lue, avant d'être livrée dans sa ligne.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Empty,
    /// Rang dans la table des textes.
    Shared(usize),
    /// Texte rangé dans le tampon de la ligne.
    Text(Range<usize>),
    Number(f64),
    /// Numéro de série Excel d'une date, dans le système du classeur.
    Date(f64),
    Bool(bool),
    Error,
}

/// Lecture d'une feuille : ce qu'il faut pour typer les cellules et livrer
/// les lignes.
struct SheetReader<'r, 'b> {
    book: &'r Book<'b>,
    contents: &'r Contents,
    limit: Option<u64>,
    progress: &'r mut dyn ProgressSink,
    on_row: &'r mut dyn FnMut(&[Cell<'_>]) -> Result<(), PanierError>,
}

/// La ligne en cours : cellules non vides dans l'ordre du XML, et leurs
/// textes propres (formules, textes dans la cellule) dans un tampon.
#[derive(Default)]
struct PendingRow {
    cells: Vec<(u32, Value)>,
    text: String,
    /// Tampon des cellules livrées, vide entre deux lignes ; seule sa
    /// capacité sert.
    spare: Vec<Cell<'static>>,
}

impl SheetReader<'_, '_> {
    /// Lit la feuille `index` et livre ses lignes non vides. Renvoie le
    /// nombre de lignes livrées (0 : feuille sans données, ou feuille
    /// graphique).
    fn stream(&mut self, index: usize) -> Result<u64, PanierError> {
        let sheet = &self.book.sheets[index];
        if !sheet.is_worksheet {
            return Ok(0);
        }
        let Some(mut xml) = part(&self.book.archive, &sheet.path)? else {
            return Err(unreadable(format!(
                "worksheet {} not found ({})",
                sheet.name, sheet.path
            )));
        };
        // Avant les données : la dimension déclarée.
        let mut extent = None;
        loop {
            match xml.next_token()? {
                Some(Token::Open {
                    name: b"dimension",
                    attributes,
                    ..
                }) => extent = attributes.get(b"ref").and_then(declared_rows),
                Some(Token::Open {
                    name: b"sheetData",
                    empty,
                    ..
                }) => {
                    if empty {
                        return Ok(0);
                    }
                    break;
                }
                Some(_) => {}
                // Pas de données du tout (feuille de dialogue, de macros…).
                None => return Ok(0),
            }
        }
        let mut pending = PendingRow::default();
        let mut scratch = String::new();
        let mut current_row: Option<u32> = None;
        let (mut row_index, mut column_index) = (0u32, 0u32);
        let mut delivered: u64 = 0;
        loop {
            let (column, value) = match xml.next_token()? {
                Some(Token::Open {
                    name: b"row",
                    attributes,
                    empty,
                }) => {
                    if let Some(reference) = attributes.get(b"r") {
                        row_index = cell_reference(reference)?.0;
                    }
                    if empty {
                        row_index = row_index.saturating_add(1);
                        column_index = 0;
                    }
                    continue;
                }
                Some(Token::Close { name: b"row" }) => {
                    row_index = row_index.saturating_add(1);
                    column_index = 0;
                    continue;
                }
                Some(Token::Open {
                    name: b"c",
                    attributes,
                    empty,
                }) => {
                    let [reference, kind, style] = attributes.pick([b"r", b"t", b"s"]);
                    let (row, column) = match reference {
                        Some(reference) => {
                            let (row, column) = cell_reference(reference)?;
                            let column = column
                                .ok_or_else(|| unreadable("a cell reference without its column"))?;
                            column_index = column;
                            (row, column)
                        }
                        None => (row_index, column_index),
                    };
                    column_index = column_index.saturating_add(1);
                    let kind = CellType::parse(kind)?;
                    let format = match style {
                        None => NumberFormat::Other,
                        Some(style) => self
                            .contents
                            .formats
                            .get(parse_index(style).unwrap_or(0))
                            .copied()
                            .unwrap_or(NumberFormat::Other),
                    };
                    // Changement de ligne (ou fin de feuille) : livrer la ligne complète.
                    if current_row.is_some_and(|current| current != row)
                        && self.finish_row(&mut pending, &mut delivered, current_row, extent)?
                    {
                        return Ok(delivered);
                    }
                    current_row = Some(row);
                    if column >= MAX_COLUMNS {
                        return Err(unreadable(format!(
                            "cell reference beyond column XFD (row {}, column index {column})",
                            u64::from(row) + 1
                        )));
                    }
                    let value = if empty {
                        Value::Empty
                    } else {
                        self.cell(&mut xml, kind, format, &mut pending.text, &mut scratch)?
                    };
                    (column, value)
                }
                Some(Token::Close { name: b"sheetData" }) | None => break,
                Some(_) => continue,
            };
            if value != Value::Empty {
                pending.cells.push((column, value));
            }
        }
        self.finish_row(&mut pending, &mut delivered, current_row, extent)?;
        // La fin de la partie (mise en page…) : lue jusqu'au bout pour que sa
        // somme de contrôle soit vérifiée.
        while xml.next_token()?.is_some() {}
        Ok(delivered)
    }

    /// Livre la ligne en cours si elle a des valeurs, et rapporte
    /// l'avancement. Vrai si la limite de lignes est atteinte.
    fn finish_row(
        &mut self,
        pending: &mut PendingRow,
        delivered: &mut u64,
        row: Option<u32>,
        extent: Option<RowExtent>,
    ) -> Result<bool, PanierError> {
        if pending.cells.is_empty() {
            pending.text.clear();
            return Ok(false);
        }
        self.deliver(pending)?;
        *delivered += 1;
        if self.limit.is_some_and(|limit| *delivered >= limit) {
            return Ok(true);
        }
        if delivered.is_multiple_of(PROGRESS_EVERY) {
            if let (Some(extent), Some(row)) = (extent, row) {
                if let Some(fraction) = extent.fraction(row) {
                    advance(self.progress, Stage::Parse, fraction)?;
                }
            }
        }
        Ok(false)
    }

    /// Assemble la ligne (commençant à la colonne A, colonnes absentes
    /// vides) et la livre ; les textes empruntent à la table des textes et
    /// au tampon de la ligne.
    fn deliver(&mut self, pending: &mut PendingRow) -> Result<(), PanierError> {
        let width = pending
            .cells
            .iter()
            .map(|(column, _)| *column as usize + 1)
            .max()
            .unwrap_or(0);
        // Le tampon vide change de durée de vie sans réallouer.
        let mut cells: Vec<Cell<'_>> = std::mem::take(&mut pending.spare)
            .into_iter()
            .map(|_| Cell::Empty)
            .collect();
        cells.resize(width, Cell::Empty);
        let (strings, is_1904) = (&self.contents.strings, self.book.is_1904);
        for (column, value) in &pending.cells {
            // Une colonne répétée dans le XML : la dernière valeur l'emporte.
            cells[*column as usize] = to_cell(value, strings, &pending.text, is_1904);
        }
        let result = (self.on_row)(&cells);
        cells.clear();
        pending.spare = cells.into_iter().map(|_| Cell::Empty).collect();
        pending.cells.clear();
        pending.text.clear();
        result
    }

    /// Lit le contenu d'une cellule jusqu'à `</c>` : texte dans la cellule
    /// (`<is>`), valeur (`<v>`) ou formule (`<f>`, ignorée : seul compte son
    /// résultat). Comme pour calamine, le dernier élément lu l'emporte.
    fn cell<R: Read>(
        &self,
        xml: &mut XmlReader<R>,
        kind: CellType,
        format: NumberFormat,
        text: &mut String,
        scratch: &mut String,
    ) -> Result<Value, PanierError> {
        let mut value = Value::Empty;
        loop {
            match xml.next_token()? {
                Some(Token::Open {
                    name: b"is", empty, ..
                }) => {
                    let start = text.len();
                    if !empty {
                        read_rich_text(xml, b"is", text, scratch)?;
                    }
                    value = Value::Text(start..text.len());
                }
                Some(Token::Open {
                    name: b"v", empty, ..
                }) => {
                    scratch.clear();
                    if !empty {
                        collect_text(xml, b"v", scratch)?;
                    }
                    value = self.typed(kind, format, scratch, text)?;
                }
                Some(Token::Open {
                    name: b"f", empty, ..
                }) => {
                    if !empty {
                        skip_to(xml, b"f")?;
                    }
                    value = Value::Empty;
                }
                Some(Token::Close { name: b"c" }) => return Ok(value),
                Some(_) => {}
                None => return Err(unreadable("the XML ends inside a cell")),
            }
        }
    }

    /// Valeur d'un `<v>` selon le type de la cellule et le format de son
    /// style ; les textes sont rangés dans `text`.
    fn typed(
        &self,
        kind: CellType,
        format: NumberFormat,
        raw: &str,
        text: &mut String,
    ) -> Result<Value, PanierError> {
        let mut keep = |value: &str, excel_escapes: bool| {
            let start = text.len();
            if excel_escapes {
                unescape_excel(value, text);
            } else {
                text.push_str(value);
            }
            Value::Text(start..text.len())
        };
        Ok(match kind {
            CellType::Inline => Value::Empty,
            CellType::Formula => keep(raw, true),
            CellType::IsoDate => keep(raw, false),
            _ if raw.is_empty() => Value::Empty,
            CellType::Error => Value::Error,
            CellType::Shared => {
                let index = parse_index(raw.as_bytes())
                    .filter(|&index| index < self.contents.strings.len())
                    .ok_or_else(|| {
                        unreadable(format!(
                            "shared string {:?} not found in the shared strings table",
                            preview(raw.as_bytes())
                        ))
                    })?;
                Value::Shared(index)
            }
            CellType::Bool => match raw.trim() {
                "" => Value::Empty,
                "0" => Value::Bool(false),
                "1" => Value::Bool(true),
                other if other.eq_ignore_ascii_case("false") => Value::Bool(false),
                other if other.eq_ignore_ascii_case("true") => Value::Bool(true),
                other => {
                    return Err(unreadable(format!(
                        "unrecognized boolean cell value {:?}",
                        preview(other.as_bytes())
                    )))
                }
            },
            CellType::Number { plain } => match raw.parse::<f64>() {
                Ok(value) => match format {
                    NumberFormat::DateTime => Value::Date(value),
                    // Une durée est une quantité de jours, pas une date : pas
                    // de changement d'origine.
                    NumberFormat::Duration | NumberFormat::Other => Value::Number(value),
                },
                // Sans type déclaré, ce qui n'est pas un nombre est un texte.
                Err(_) if plain => keep(raw, false),
                Err(_) => {
                    return Err(unreadable(format!(
                        "cell value {:?} is not a number",
                        preview(raw.as_bytes())
                    )))
                }
            },
        })
    }
}

/// Cellule livrée pour une valeur lue : les textes empruntent à la table
/// des textes ou au tampon de la ligne, sans copie.
fn to_cell<'t>(
    value: &Value,
    strings: &'t SharedStrings,
    text: &'t str,
    is_1904: bool,
) -> Cell<'t> {
    match value {
        Value::Empty => Cell::Empty,
        Value::Shared(index) => Cell::Text(Cow::Borrowed(strings.get(*index).unwrap_or(""))),
        Value::Text(range) => Cell::Text(Cow::Borrowed(text.get(range.clone()).unwrap_or(""))),
        Value::Number(value) => number(*value),
        Value::Date(serial) => match (serial.is_finite(), is_1904) {
            (false, _) => Cell::Error,
            (true, true) => Cell::DateTime(serial + EPOCH_1904_OFFSET_DAYS),
            (true, false) => Cell::DateTime(*serial),
        },
        Value::Bool(value) => Cell::Bool(*value),
        Value::Error => Cell::Error,
    }
}

/// Début d'une valeur, pour un message.
fn preview(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).chars().take(32).collect()
}

/// Un nombre fini, ou une erreur : Excel n'enregistre jamais NaN ni l'infini,
/// et une telle valeur empoisonnerait en silence tous les totaux.
fn number(value: f64) -> Cell<'static> {
    if value.is_finite() {
        Cell::Number(value)
    } else {
        Cell::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;
    use rust_xlsxwriter::{Chart, ChartType, Format, Formula, Workbook as Writer};

    /// Série Excel du 01/12/2010 08:26 (première facture d'Online Retail).
    const FIRST_INVOICE_SERIAL: f64 = 40_513.351_388_888_89;

    /// Copie possédée d'une cellule, pour garder les lignes après l'appel.
    fn owned(cell: &Cell<'_>) -> Cell<'static> {
        match cell {
            Cell::Empty => Cell::Empty,
            Cell::Text(text) => Cell::Text(Cow::Owned(text.to_string())),
            Cell::Number(value) => Cell::Number(*value),
            Cell::DateTime(value) => Cell::DateTime(*value),
            Cell::Bool(value) => Cell::Bool(*value),
            Cell::Error => Cell::Error,
        }
    }

    fn text(value: &str) -> Cell<'static> {
        Cell::Text(Cow::Owned(value.to_string()))
    }

    /// Lit toute une feuille en mémoire.
    fn read_all(
        bytes: &[u8],
        sheet: Option<&str>,
    ) -> Result<(SheetFacts, Vec<Vec<Cell<'static>>>), PanierError> {
        let mut rows = Vec::new();
        let facts = for_each_row(bytes, sheet, None, &mut NoProgress, &mut |row| {
            rows.push(row.iter().map(owned).collect());
            Ok(())
        })?;
        Ok((facts, rows))
    }

    /// Construit un classeur en mémoire.
    fn build(fill: impl FnOnce(&mut Writer) -> Result<(), rust_xlsxwriter::XlsxError>) -> Vec<u8> {
        let mut workbook = Writer::new();
        fill(&mut workbook).expect("classeur de test constructible");
        workbook
            .save_to_buffer()
            .expect("classeur de test sérialisable")
    }

    /// Petit classeur Online Retail : en-tête et deux lignes typées.
    fn retail_workbook() -> Vec<u8> {
        build(|workbook| {
            let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm");
            let sheet = workbook.add_worksheet().set_name("Ventes")?;
            for (column, header) in ["InvoiceNo", "Quantity", "UnitPrice", "InvoiceDate", "Ok"]
                .into_iter()
                .enumerate()
            {
                sheet.write_string(0, column as u16, header)?;
            }
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2010, 12, 1)?.and_hms(8, 26, 0)?;
            sheet.write_string(1, 0, "536365")?;
            sheet.write_number(1, 1, 6)?;
            sheet.write_number(1, 2, 2.55)?;
            sheet.write_datetime_with_format(1, 3, &date, &date_format)?;
            sheet.write_boolean(1, 4, true)?;
            sheet.write_number(2, 0, 536366)?;
            sheet.write_number(2, 1, -12)?;
            sheet.write_formula(2, 2, Formula::new("=\"x\"&\"y\"").set_result("xy"))?;
            sheet.write_formula(2, 3, Formula::new("=1/0").set_result("#DIV/0!"))?;
            sheet.write_boolean(2, 4, false)?;
            Ok(())
        })
    }

    #[test]
    fn zip_signature_is_recognised() {
        assert!(looks_like_zip(&retail_workbook()));
        assert!(!looks_like_zip(b"InvoiceNo,Quantity\n1,2\n"));
        assert!(!looks_like_zip(b"PK"));
        assert!(!looks_like_zip(b""));
    }

    #[test]
    fn header_and_typed_rows_are_delivered_in_order() {
        let (facts, rows) = read_all(&retail_workbook(), None).expect("classeur lisible");
        assert_eq!(
            facts,
            SheetFacts {
                sheet: "Ventes".into(),
                sheets: vec!["Ventes".into()],
                rows: 3,
            }
        );
        assert_eq!(
            rows[0],
            vec![
                text("InvoiceNo"),
                text("Quantity"),
                text("UnitPrice"),
                text("InvoiceDate"),
                text("Ok"),
            ]
        );
        assert_eq!(rows[1][0], text("536365"));
        assert_eq!(rows[1][1], Cell::Number(6.0));
        assert_eq!(rows[1][2], Cell::Number(2.55));
        match rows[1][3] {
            Cell::DateTime(serial) => assert!(
                (serial - FIRST_INVOICE_SERIAL).abs() < 1e-9,
                "série {serial}"
            ),
            ref other => panic!("date attendue, reçu {other:?}"),
        }
        assert_eq!(rows[1][4], Cell::Bool(true));
        assert_eq!(
            rows[2],
            vec![
                Cell::Number(536_366.0),
                Cell::Number(-12.0),
                text("xy"),
                Cell::Error,
                Cell::Bool(false),
            ]
        );
    }

    #[test]
    fn texts_are_borrowed_not_copied() {
        let bytes = retail_workbook();
        let mut borrowed = 0;
        for_each_row(&bytes, None, None, &mut NoProgress, &mut |row| {
            borrowed += row
                .iter()
                .filter(|cell| matches!(cell, Cell::Text(Cow::Borrowed(_))))
                .count();
            Ok(())
        })
        .expect("classeur lisible");
        // Les 5 en-têtes, « 536365 » et « xy » (résultat texte de formule).
        assert_eq!(borrowed, 7);
    }

    #[test]
    fn gaps_become_empty_cells_and_missing_rows_are_skipped() {
        let bytes = build(|workbook| {
            let bordered = Format::new().set_bold();
            let sheet = workbook.add_worksheet();
            sheet.write_string(0, 0, "a")?;
            sheet.write_string(0, 2, "c")?;
            // Ligne 2 absente du XML.
            sheet.write_number(2, 1, 7)?;
            // Ligne 4 : seulement une cellule mise en forme, sans valeur.
            sheet.write_blank(3, 0, &bordered)?;
            // Ligne 5 : trou en A, cellule vide mise en forme en fin de ligne.
            sheet.write_string(4, 1, "b")?;
            sheet.write_blank(4, 5, &bordered)?;
            Ok(())
        });
        let (facts, rows) = read_all(&bytes, None).expect("classeur lisible");
        assert_eq!(facts.rows, 3);
        assert_eq!(
            rows,
            vec![
                vec![text("a"), Cell::Empty, text("c")],
                vec![Cell::Empty, Cell::Number(7.0)],
                vec![Cell::Empty, text("b")],
            ]
        );
    }

    /// Trois feuilles, dans un ordre qui n'est pas alphabétique.
    fn three_sheets() -> Vec<u8> {
        build(|workbook| {
            for name in ["Zêta", "Alpha", "Données 2011"] {
                let sheet = workbook.add_worksheet().set_name(name)?;
                sheet.write_string(0, 0, "Feuille")?;
                sheet.write_string(1, 0, name)?;
            }
            Ok(())
        })
    }

    #[test]
    fn sheets_are_listed_in_order_and_can_be_chosen() {
        let bytes = three_sheets();
        let names = sheet_names(&bytes).expect("classeur lisible");
        assert_eq!(names, vec!["Zêta", "Alpha", "Données 2011"]);

        let (facts, rows) = read_all(&bytes, Some("Alpha")).expect("feuille lisible");
        assert_eq!(facts.sheet, "Alpha");
        assert_eq!(facts.sheets, names);
        assert_eq!(facts.rows, 2);
        assert_eq!(rows[1], vec![text("Alpha")]);

        let (facts, rows) = read_all(&bytes, None).expect("feuille lisible");
        assert_eq!(facts.sheet, "Zêta");
        assert_eq!(rows[1], vec![text("Zêta")]);
    }

    #[test]
    fn unknown_sheet_lists_the_available_ones() {
        let error = read_all(&three_sheets(), Some("alpha")).unwrap_err();
        assert_eq!(
            error,
            PanierError::UnknownSheet {
                requested: "alpha".into(),
                available: vec!["Zêta".into(), "Alpha".into(), "Données 2011".into()],
            }
        );
    }

    #[test]
    fn first_sheet_with_data_is_used() {
        let bytes = build(|workbook| {
            workbook.add_worksheet().set_name("Couverture")?;
            let sheet = workbook.add_worksheet().set_name("Données")?;
            sheet.write_string(0, 0, "InvoiceNo")?;
            sheet.write_number(1, 0, 536365)?;
            Ok(())
        });
        let (facts, rows) = read_all(&bytes, None).expect("classeur lisible");
        assert_eq!(facts.sheet, "Données");
        assert_eq!(facts.sheets, vec!["Couverture", "Données"]);
        assert_eq!(
            rows,
            vec![vec![text("InvoiceNo")], vec![Cell::Number(536_365.0)]]
        );

        // Demandée explicitement, la feuille vide n'est pas une erreur.
        let (facts, rows) = read_all(&bytes, Some("Couverture")).expect("feuille lisible");
        assert_eq!(facts.rows, 0);
        assert!(rows.is_empty());
    }

    #[test]
    fn chart_sheets_are_skipped() {
        let bytes = build(|workbook| {
            let mut chart = Chart::new(ChartType::Column);
            chart.add_series().set_values("Données!$A$1:$A$3");
            workbook.add_chartsheet().insert_chart(0, 0, &chart)?;
            let sheet = workbook.add_worksheet().set_name("Données")?;
            for row in 0..3 {
                sheet.write_number(row, 0, f64::from(row))?;
            }
            Ok(())
        });
        let names = sheet_names(&bytes).expect("classeur lisible");
        assert_eq!(names, vec!["Chart1", "Données"]);
        let (facts, _) = read_all(&bytes, None).expect("classeur lisible");
        assert_eq!((facts.sheet.as_str(), facts.rows), ("Données", 3));
        let (facts, _) = read_all(&bytes, Some("Chart1")).expect("feuille graphique");
        assert_eq!(facts.rows, 0);
    }

    #[test]
    fn workbook_without_data_is_reported() {
        let bytes = build(|workbook| {
            workbook.add_worksheet();
            workbook
                .add_worksheet()
                .write_blank(0, 0, &Format::new().set_bold())?;
            Ok(())
        });
        assert_eq!(
            read_all(&bytes, None).unwrap_err(),
            PanierError::EmptyWorkbook
        );
    }

    /// Vrai pour l'erreur attendue d'un classeur illisible.
    fn is_unreadable(result: &Result<impl std::fmt::Debug, PanierError>) -> bool {
        matches!(result, Err(PanierError::UnreadableSpreadsheet { detail }) if !detail.is_empty())
    }

    #[test]
    fn truncated_workbook_is_unreadable_without_panic() {
        let bytes = retail_workbook();
        let half = &bytes[..bytes.len() / 2];
        assert!(looks_like_zip(half));
        let result = read_all(half, None);
        assert!(is_unreadable(&result), "{result:?}");
        assert!(is_unreadable(&sheet_names(half)));
        // Toutes les coupures, pas seulement la moitié.
        for cut in (0..bytes.len()).step_by(37) {
            let result = read_all(&bytes[..cut], None);
            assert!(is_unreadable(&result), "coupure à {cut} : {result:?}");
        }
    }

    #[test]
    fn garbage_after_zip_signature_is_unreadable() {
        // Générateur congruentiel : déterministe, sans dépendance.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend((0..4096).map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 56) as u8
        }));
        assert!(looks_like_zip(&bytes));
        let result = read_all(&bytes, None);
        assert!(is_unreadable(&result), "{result:?}");
        assert!(is_unreadable(&sheet_names(&bytes)));
        assert!(is_unreadable(&read_all(b"InvoiceNo,Quantity\n1,2\n", None)));
    }

    #[test]
    fn corrupted_bytes_never_panic() {
        let bytes = retail_workbook();
        for position in (0..bytes.len()).step_by(11) {
            let mut corrupted = bytes.clone();
            if let Some(byte) = corrupted.get_mut(position) {
                *byte ^= 0x5a;
            }
            // Lisible par chance ou illisible, mais jamais de panique. Une
            // taille annoncée abîmée peut dépasser un budget de lecture.
            match read_all(&corrupted, None) {
                Ok(_)
                | Err(PanierError::UnreadableSpreadsheet { .. })
                | Err(PanierError::InputLimit { .. })
                | Err(PanierError::EmptyWorkbook) => {}
                Err(other) => panic!("octet {position} : erreur inattendue {other:?}"),
            }
        }
    }

    #[test]
    fn zip_without_workbook_is_unreadable() {
        // Un classeur dont on a renommé xl/workbook.xml (même longueur de
        // nom, donc archive toujours cohérente) : aucune feuille.
        let mut bytes = retail_workbook();
        let needle = b"xl/workbook.xml";
        let mut start = 0;
        while let Some(offset) = bytes
            .get(start..)
            .and_then(|rest| rest.windows(needle.len()).position(|w| w == needle))
        {
            let at = start + offset;
            bytes[at..at + needle.len()].copy_from_slice(b"xl/workbook.xmX");
            start = at + needle.len();
        }
        assert!(start > 0, "nom de partie introuvable");
        assert!(is_unreadable(&sheet_names(&bytes)));
        assert!(is_unreadable(&read_all(&bytes, None)));
    }

    #[test]
    fn row_callback_error_stops_reading() {
        let bytes = retail_workbook();
        let mut calls = 0;
        let result = for_each_row(&bytes, None, None, &mut NoProgress, &mut |_| {
            calls += 1;
            if calls == 2 {
                Err(PanierError::HeaderOnly)
            } else {
                Ok(())
            }
        });
        assert_eq!(result.unwrap_err(), PanierError::HeaderOnly);
        assert_eq!(calls, 2);
    }

    /// Enregistre les rapports d'avancement.
    #[derive(Default)]
    struct Recorder(Vec<(Stage, f64)>);

    impl ProgressSink for Recorder {
        fn stage_started(&mut self, _stage: Stage) {}
        fn advanced(&mut self, stage: Stage, fraction: f64) -> bool {
            self.0.push((stage, fraction));
            true
        }
    }

    #[test]
    fn progress_is_reported_from_the_sheet_dimension() {
        let rows: u32 = 150_000;
        let bytes = build(|workbook| {
            let sheet = workbook.add_worksheet();
            sheet.write_string(0, 0, "Quantity")?;
            for row in 1..rows {
                sheet.write_number(row, 0, f64::from(row))?;
            }
            Ok(())
        });
        let mut recorder = Recorder::default();
        let mut count = 0u64;
        let facts = for_each_row(&bytes, None, None, &mut recorder, &mut |_| {
            count += 1;
            Ok(())
        })
        .expect("classeur lisible");
        assert_eq!((facts.rows, count), (u64::from(rows), u64::from(rows)));
        let fractions: Vec<f64> = recorder.0.iter().map(|(_, f)| *f).collect();
        assert!(recorder.0.iter().all(|(stage, _)| *stage == Stage::Parse));
        assert_eq!(fractions.len(), 2, "{fractions:?}");
        assert!((fractions[0] - 65_536.0 / 150_000.0).abs() < 1e-12);
        assert!((fractions[1] - 131_072.0 / 150_000.0).abs() < 1e-12);
    }

    #[test]
    fn dimension_is_trusted_only_when_plausible() {
        assert_eq!(declared_rows(b"A1:H1"), None);
        assert_eq!(declared_rows(b"A1"), None);
        assert_eq!(declared_rows(b"A1:"), None);
        let extent = declared_rows(b"A1:H10").expect("dix lignes");
        assert_eq!(extent.fraction(4), Some(0.5));
        assert_eq!(extent.fraction(9), Some(1.0));
        assert_eq!(extent.fraction(10), None);
        assert_eq!(declared_rows(b"A10:H1"), None);
        assert_eq!(declared_rows(b"A1:H99999999999"), None);
    }

    #[test]
    fn cell_references_are_checked() {
        assert_eq!(cell_reference(b"A1").unwrap(), (0, Some(0)));
        assert_eq!(
            cell_reference(b"xfd1048576").unwrap(),
            (1_048_575, Some(16_383))
        );
        assert_eq!(cell_reference(b"12").unwrap(), (11, None));
        for bad in [
            &b""[..],
            b"A",
            b"A0",
            b"1A",
            b"A-1",
            b"A1 ",
            b"AAAAAAAAAAAAAA1",
        ] {
            assert!(
                cell_reference(bad).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn dates_of_1904_workbooks_move_to_the_1900_system() {
        // Même instant (01/12/2010 08:26) dans les deux systèmes.
        let strings = SharedStrings::default();
        let serial_1904 = FIRST_INVOICE_SERIAL - 1_462.0;
        match to_cell(&Value::Date(serial_1904), &strings, "", true) {
            Cell::DateTime(serial) => assert!((serial - FIRST_INVOICE_SERIAL).abs() < 1e-9),
            other => panic!("date attendue, reçu {other:?}"),
        }
        assert_eq!(
            to_cell(&Value::Date(FIRST_INVOICE_SERIAL), &strings, "", false),
            Cell::DateTime(FIRST_INVOICE_SERIAL)
        );
    }

    #[test]
    fn other_values_map_to_cells() {
        let strings = SharedStrings::default();
        assert_eq!(
            to_cell(&Value::Number(42.0), &strings, "", false),
            Cell::Number(42.0)
        );
        assert_eq!(
            to_cell(&Value::Number(f64::NAN), &strings, "", false),
            Cell::Error
        );
        assert_eq!(
            to_cell(&Value::Date(f64::INFINITY), &strings, "", false),
            Cell::Error
        );
        assert_eq!(
            to_cell(&Value::Text(1..3), &strings, "abcd", false),
            text("bc")
        );
        assert_eq!(to_cell(&Value::Empty, &strings, "", false), Cell::Empty);
    }

    #[test]
    fn date_formats_are_recognised_like_calamine() {
        // Les cas des tests de calamine 0.38, et quelques autres.
        let cases = [
            ("DD/MM/YY", NumberFormat::DateTime),
            ("H:MM:SS;@", NumberFormat::DateTime),
            ("#,##0\\ [$\\u20bd-46D]", NumberFormat::Other),
            ("m\"M\"d\"D\";@", NumberFormat::DateTime),
            ("[h]:mm:ss", NumberFormat::Duration),
            ("[mm]:ss", NumberFormat::Duration),
            (
                "\"Y: \"0.00\"m\";\"Y: \"-0.00\"m\";\"Y: <num>m\";@",
                NumberFormat::Other,
            ),
            ("\"$\"#,##0_);[Red](\"$\"#,##0)", NumberFormat::Other),
            (
                "[$-404]e\"\\xfc\"m\"\\xfc\"d\"\\xfc\"",
                NumberFormat::DateTime,
            ),
            ("0_ ;[Red]\\-0\\ ", NumberFormat::Other),
            ("\\Y000000", NumberFormat::Other),
            ("#,##0.0####\" YMD\"", NumberFormat::Other),
            ("AM/PM", NumberFormat::DateTime),
            ("0.00%", NumberFormat::Other),
            ("#,##0.00 \"£\"", NumberFormat::Other),
            ("General", NumberFormat::Other),
        ];
        for (code, expected) in cases {
            assert_eq!(custom_format(code), expected, "{code}");
        }
        assert_eq!(builtin_format(b"14"), NumberFormat::DateTime);
        assert_eq!(builtin_format(b"46"), NumberFormat::Duration);
        assert_eq!(builtin_format(b"4"), NumberFormat::Other);
        assert_eq!(builtin_format(b"x"), NumberFormat::Other);
    }
}
