//! Lecture en flux d'un classeur Excel (XLSX).
//!
//! Le classeur est ouvert depuis les octets déjà en mémoire (le `File` lu par
//! le Web Worker, ou le fichier lu par la CLI). La feuille n'est jamais
//! matérialisée en entier : on suit le flux XML cellule par cellule avec le
//! lecteur de calamine ([`Xlsx::worksheet_cells_reader`]), on regroupe les
//! cellules d'une même ligne dans un tampon réutilisé, et chaque ligne est
//! livrée à l'appelant aussitôt complète. La mémoire de pointe reste ainsi
//! celle des octets du fichier, de la table des chaînes partagées et d'une
//! ligne, quelle que soit la taille de la feuille.
//!
//! Aucune entrée ne fait paniquer ce module : archive tronquée, octets
//! aléatoires ou XML incohérent deviennent des [`PanierError`]. Seule réserve,
//! dans calamine 0.38 : ses calculs sur les références de cellules ne sont
//! pas vérifiés ; une référence aberrante (`r="AAAAAAAAAAAAAA1"`, dimension
//! inversée « B5:A1 ») le fait paniquer quand les contrôles de dépassement
//! sont actifs (profil de développement) ; dans le profil release, la valeur
//! est tronquée sans bruit (une colonne hors limites est alors refusée ici).

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use crate::error::PanierError;
use crate::ingest::cell::Cell;
use crate::progress::{advance, ProgressSink, Stage};

/// Signature d'un en-tête local d'archive ZIP.
const ZIP_SIGNATURE: &[u8] = b"PK\x03\x04";

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

/// Classeur ouvert sur des octets en mémoire.
type Workbook<'b> = Xlsx<Cursor<&'b [u8]>>;

/// Vrai si les octets commencent comme une archive ZIP (signature PK\x03\x04), donc peut-être un XLSX.
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_SIGNATURE)
}

/// Noms des feuilles du classeur, dans l'ordre.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, PanierError> {
    let (_, names) = open(bytes)?;
    Ok(names)
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
/// (fraction estimée d'après la dimension de la feuille si calamine la donne, sinon ne rien rapporter).
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
    let (mut workbook, sheets) = open(bytes)?;
    let is_1904 = workbook.has_1904_epoch();
    match sheet {
        Some(requested) => {
            if !sheets.iter().any(|name| name == requested) {
                return Err(PanierError::UnknownSheet {
                    requested: requested.to_string(),
                    available: sheets,
                });
            }
            let rows = stream_sheet(&mut workbook, requested, is_1904, limit, progress, on_row)?;
            Ok(SheetFacts {
                sheet: requested.to_string(),
                sheets,
                rows,
            })
        }
        None => {
            // Une seule passe par feuille : la première ligne non vide livrée
            // désigne la feuille, dont la lecture se poursuit aussitôt.
            let mut found = None;
            for name in &sheets {
                let rows = stream_sheet(&mut workbook, name, is_1904, limit, progress, on_row)?;
                if rows > 0 {
                    found = Some((name.clone(), rows));
                    break;
                }
            }
            match found {
                Some((sheet, rows)) => Ok(SheetFacts {
                    sheet,
                    sheets,
                    rows,
                }),
                None => Err(PanierError::EmptyWorkbook),
            }
        }
    }
}

/// Ouvre le classeur et lit la liste de ses feuilles.
///
/// calamine accepte une archive ZIP sans `xl/workbook.xml` (un .docx, un
/// .zip quelconque) et n'y voit alors aucune feuille : un vrai classeur en a
/// toujours au moins une, donc c'est un fichier illisible.
fn open(bytes: &[u8]) -> Result<(Workbook<'_>, Vec<String>), PanierError> {
    // Budgets de décompression vérifiés avant que calamine n'alloue quoi que ce soit.
    crate::ingest::unpack::check(bytes)?;
    let workbook: Workbook<'_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(PanierError::UnreadableSpreadsheet {
            detail: "no worksheet found (xl/workbook.xml missing or empty)".into(),
        });
    }
    Ok((workbook, names))
}

/// Lit une feuille et livre ses lignes non vides. Renvoie le nombre de lignes
/// livrées (0 : feuille sans données, ou feuille graphique).
fn stream_sheet(
    workbook: &mut Workbook<'_>,
    name: &str,
    is_1904: bool,
    limit: Option<u64>,
    progress: &mut dyn ProgressSink,
    on_row: &mut dyn FnMut(&[Cell<'_>]) -> Result<(), PanierError>,
) -> Result<u64, PanierError> {
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // Feuille graphique ou de dialogue : pas de cellules.
        Err(XlsxError::NotAWorksheet(_)) => return Ok(0),
        Err(error) => return Err(unreadable(error)),
    };
    let extent = declared_rows(reader.dimensions());
    // Cellules non vides de la ligne en cours, telles que calamine les donne
    // (dans l'ordre du XML) : les garder évite de copier leurs chaînes.
    let mut pending = Vec::new();
    let mut row_cells = RowCells::default();
    let mut current_row: Option<u32> = None;
    let mut delivered: u64 = 0;
    loop {
        let next = reader.next_cell().map_err(unreadable)?;
        let position = next.as_ref().map(|cell| cell.get_position());
        // Changement de ligne (ou fin de feuille) : livrer la ligne complète.
        if let Some(row) = current_row {
            if position.map(|(next_row, _)| next_row) != Some(row) {
                if !pending.is_empty() {
                    row_cells.deliver(&pending, is_1904, on_row)?;
                    delivered += 1;
                    if limit.is_some_and(|limit| delivered >= limit) {
                        return Ok(delivered);
                    }
                    if delivered.is_multiple_of(PROGRESS_EVERY) {
                        if let Some(fraction) = extent.and_then(|e| e.fraction(row)) {
                            advance(progress, Stage::Parse, fraction)?;
                        }
                    }
                }
                pending.clear();
            }
        }
        let (Some(cell), Some((row, column))) = (next, position) else {
            break;
        };
        current_row = Some(row);
        if column >= MAX_COLUMNS {
            return Err(PanierError::UnreadableSpreadsheet {
                detail: format!(
                    "cell reference beyond column XFD (row {}, column index {column})",
                    u64::from(row) + 1
                ),
            });
        }
        if *cell.get_value() != DataRef::Empty {
            pending.push(cell);
        }
    }
    Ok(delivered)
}

/// Assemble une ligne de [`Cell`] commençant à la colonne A à partir des
/// cellules calamine, en réutilisant la même allocation d'une ligne à l'autre.
#[derive(Default)]
struct RowCells {
    /// Tampon vide entre deux lignes ; seule sa capacité sert.
    spare: Vec<Cell<'static>>,
}

impl RowCells {
    /// Livre la ligne faite des cellules `pending` (non vides, colonnes
    /// inférieures à [`MAX_COLUMNS`]) ; les colonnes absentes sont vides.
    fn deliver(
        &mut self,
        pending: &[calamine::Cell<DataRef<'_>>],
        is_1904: bool,
        on_row: &mut dyn FnMut(&[Cell<'_>]) -> Result<(), PanierError>,
    ) -> Result<(), PanierError> {
        let width = pending
            .iter()
            .map(|cell| cell.get_position().1 as usize + 1)
            .max()
            .unwrap_or(0);
        // Le tampon vide change de durée de vie sans réallouer : les cellules
        // empruntent aux chaînes de `pending`, qui ne vit que le temps de la
        // ligne.
        let mut cells: Vec<Cell<'_>> = std::mem::take(&mut self.spare);
        cells.resize(width, Cell::Empty);
        for cell in pending {
            if let Some(slot) = cells.get_mut(cell.get_position().1 as usize) {
                // Une colonne répétée dans le XML : la dernière valeur l'emporte.
                *slot = to_cell(cell.get_value(), is_1904);
            }
        }
        let result = on_row(&cells);
        // Retour à `'static` : la conversion en place d'un vecteur vide garde
        // son allocation (même taille, même alignement).
        cells.clear();
        self.spare = cells.into_iter().map(|_| Cell::Empty).collect();
        result
    }
}

/// Convertit une valeur calamine en [`Cell`], sans copie : les textes
/// empruntent à la table des chaînes partagées ou à la cellule calamine.
fn to_cell<'r>(value: &'r DataRef<'_>, is_1904: bool) -> Cell<'r> {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::SharedString(text) => Cell::Text(Cow::Borrowed(text)),
        // Chaînes en ligne, résultats texte de formules, dates et durées ISO
        // 8601 (livrées telles quelles, en texte).
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            Cell::Text(Cow::Borrowed(text))
        }
        DataRef::Int(value) => number(*value as f64),
        DataRef::Float(value) => number(*value),
        DataRef::DateTime(datetime) => {
            let serial = datetime.as_f64();
            if !serial.is_finite() {
                Cell::Error
            } else if datetime.is_duration() {
                // Durée (format « [h]:mm:ss ») : une quantité de jours, pas
                // une date ; le changement d'origine n'a pas de sens ici.
                Cell::Number(serial)
            } else if is_1904 {
                Cell::DateTime(serial + EPOCH_1904_OFFSET_DAYS)
            } else {
                Cell::DateTime(serial)
            }
        }
        DataRef::Bool(value) => Cell::Bool(*value),
        DataRef::Error(_) => Cell::Error,
    }
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

/// Étendue déclarée, si elle est exploitable. Sans élément `<dimension>`,
/// calamine renvoie A1:A1, et certains générateurs écrivent « A1 » quelle que
/// soit la taille de la feuille : une dimension d'une seule ligne ne dit donc
/// rien d'utile.
fn declared_rows(dimensions: calamine::Dimensions) -> Option<RowExtent> {
    let (first, last) = (dimensions.start.0, dimensions.end.0);
    (last > first).then(|| RowExtent {
        first: f64::from(first),
        count: f64::from(last) - f64::from(first) + 1.0,
    })
}

/// Traduit une erreur de calamine en erreur utilisateur.
fn unreadable(error: XlsxError) -> PanierError {
    PanierError::UnreadableSpreadsheet {
        detail: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;
    use calamine::{ExcelDateTime, ExcelDateTimeType};
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
        let mut bytes = ZIP_SIGNATURE.to_vec();
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
        // nom, donc archive toujours cohérente) : calamine n'y voit aucune
        // feuille.
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
        let one_row = calamine::Dimensions::new((0, 0), (0, 7));
        assert_eq!(declared_rows(one_row), None);
        let extent = declared_rows(calamine::Dimensions::new((0, 0), (9, 7)));
        let extent = extent.expect("dix lignes");
        assert_eq!(extent.fraction(4), Some(0.5));
        assert_eq!(extent.fraction(9), Some(1.0));
        assert_eq!(extent.fraction(10), None);
        let reversed = calamine::Dimensions::new((9, 0), (0, 7));
        assert_eq!(declared_rows(reversed), None);
    }

    #[test]
    fn dates_of_1904_workbooks_move_to_the_1900_system() {
        // Même instant (01/12/2010 08:26) dans les deux systèmes.
        let serial_1904 = FIRST_INVOICE_SERIAL - 1_462.0;
        let datetime = ExcelDateTime::new(serial_1904, ExcelDateTimeType::DateTime, true);
        match to_cell(&DataRef::DateTime(datetime), true) {
            Cell::DateTime(serial) => assert!((serial - FIRST_INVOICE_SERIAL).abs() < 1e-9),
            other => panic!("date attendue, reçu {other:?}"),
        }
        let datetime = ExcelDateTime::new(FIRST_INVOICE_SERIAL, ExcelDateTimeType::DateTime, false);
        assert_eq!(
            to_cell(&DataRef::DateTime(datetime), false),
            Cell::DateTime(FIRST_INVOICE_SERIAL)
        );
        // Une durée n'est pas une date : pas de changement d'origine.
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, true);
        assert_eq!(
            to_cell(&DataRef::DateTime(duration), true),
            Cell::Number(1.5)
        );
    }

    #[test]
    fn other_values_map_to_cells() {
        assert_eq!(to_cell(&DataRef::Int(42), false), Cell::Number(42.0));
        assert_eq!(to_cell(&DataRef::Float(f64::NAN), false), Cell::Error);
        assert_eq!(
            to_cell(&DataRef::DateTimeIso("2010-12-01T08:26:00".into()), false),
            text("2010-12-01T08:26:00")
        );
        assert_eq!(
            to_cell(&DataRef::DurationIso("PT1H".into()), false),
            text("PT1H")
        );
        assert_eq!(
            to_cell(&DataRef::Error(calamine::CellErrorType::NA), false),
            Cell::Error
        );
        assert_eq!(to_cell(&DataRef::Empty, false), Cell::Empty);
    }
}
