//! La lecture des XLSX de Panier comparée à une seconde lecture : calamine
//! 0.38, la bibliothèque que Panier utilisait avant d'avoir son propre
//! lecteur. Sur des classeurs écrits par une autre bibliothèque
//! (rust_xlsxwriter, valeurs tirées au hasard), sur des parties XML écrites
//! à la main (ce que d'autres logiciels produisent : préfixes, cellules sans
//! référence, texte enrichi, CDATA…) et sur le vrai Online Retail, chaque
//! cellule de chaque ligne doit être la même.

use std::borrow::Cow;
use std::io::{Cursor, Write};
use std::path::PathBuf;

use calamine::{DataRef, Reader, Xlsx};
use panier_core::error::PanierError;
use panier_core::ingest::cell::Cell;
use panier_core::ingest::xlsx::{for_each_row, sheet_names};
use panier_core::progress::NoProgress;
use rust_xlsxwriter::{Format, Formula, Workbook};

/// Lignes lues par Panier.
fn ours(bytes: &[u8], sheet: &str) -> Result<Vec<Vec<Cell<'static>>>, PanierError> {
    let mut rows = Vec::new();
    for_each_row(bytes, Some(sheet), None, &mut NoProgress, &mut |row| {
        rows.push(row.iter().map(owned).collect());
        Ok(())
    })?;
    Ok(rows)
}

fn owned(cell: &Cell<'_>) -> Cell<'static> {
    match cell {
        Cell::Text(text) => Cell::Text(Cow::Owned(text.to_string())),
        Cell::Number(value) => Cell::Number(*value),
        Cell::DateTime(value) => Cell::DateTime(*value),
        Cell::Bool(value) => Cell::Bool(*value),
        Cell::Error => Cell::Error,
        Cell::Empty => Cell::Empty,
    }
}

/// Lignes lues par calamine, regroupées comme Panier les livre : lignes sans
/// valeur sautées, colonnes absentes vides, dates du système 1904 ramenées à
/// 1900, durées en nombres, valeurs non finies en erreurs.
fn theirs(bytes: &[u8], sheet: &str) -> Result<Vec<Vec<Cell<'static>>>, String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let is_1904 = book.has_1904_epoch();
    let mut reader = match book.worksheet_cells_reader(sheet) {
        Ok(reader) => reader,
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(error) => return Err(error.to_string()),
    };
    let mut rows: Vec<(u32, Vec<Cell<'static>>)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (row, column) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::SharedString(text) => Cell::Text(Cow::Owned(text.to_string())),
            DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
                Cell::Text(Cow::Owned(text.clone()))
            }
            DataRef::Int(value) => finite(*value as f64),
            DataRef::Float(value) => finite(*value),
            DataRef::DateTime(datetime) => {
                let serial = datetime.as_f64();
                if !serial.is_finite() {
                    Cell::Error
                } else if datetime.is_duration() {
                    Cell::Number(serial)
                } else if is_1904 {
                    Cell::DateTime(serial + 1_462.0)
                } else {
                    Cell::DateTime(serial)
                }
            }
            DataRef::Bool(value) => Cell::Bool(*value),
            DataRef::Error(_) => Cell::Error,
        };
        if rows.last().map(|(r, _)| *r) != Some(row) {
            rows.push((row, Vec::new()));
        }
        let cells = &mut rows.last_mut().expect("ligne en cours").1;
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = value;
    }
    Ok(rows.into_iter().map(|(_, cells)| cells).collect())
}

fn finite(value: f64) -> Cell<'static> {
    if value.is_finite() {
        Cell::Number(value)
    } else {
        Cell::Error
    }
}

/// Compare les deux lectures de chaque feuille.
fn assert_same_reading(bytes: &[u8], context: &str) {
    let names = sheet_names(bytes).unwrap_or_else(|e| panic!("{context} : {e:?}"));
    for name in names {
        let expected = theirs(bytes, &name).unwrap_or_else(|e| panic!("{context} : {e}"));
        let found = ours(bytes, &name).unwrap_or_else(|e| panic!("{context} : {e:?}"));
        assert_eq!(found.len(), expected.len(), "{context}, feuille {name}");
        for (index, (a, b)) in found.iter().zip(&expected).enumerate() {
            assert_eq!(a, b, "{context}, feuille {name}, ligne livrée {index}");
        }
    }
}

/// Générateur congruentiel : déterministe, sans dépendance.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 11
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Un texte qui met la lecture à l'épreuve : espaces de bord, sauts de
/// ligne, caractères de contrôle, `_x000D_` littéral, entités, emoji.
fn tricky_text(rng: &mut Lcg) -> String {
    const PIECES: [&str; 14] = [
        "WHITE HANGING HEART",
        " lead",
        "trail ",
        "a\r\nb",
        "cr\rlf\n",
        "tab\t",
        "\u{1}\u{1f}",
        "_x000D_",
        "_x005F_",
        "<&>\"'",
        "café ÉTÉ",
        "😀",
        "  ",
        "",
    ];
    (0..1 + rng.below(3))
        .map(|_| PIECES[rng.below(PIECES.len() as u64) as usize])
        .collect()
}

#[test]
fn generated_workbooks_read_like_calamine() {
    let mut rng = Lcg(0x5eed);
    for round in 0..40 {
        let mut workbook = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy hh:mm");
        let formats = [
            Format::new(),
            Format::new().set_num_format("0.00"),
            Format::new().set_num_format("[h]:mm:ss"),
            Format::new().set_num_format("yyyy-mm-dd"),
            Format::new().set_num_format("#,##0.00 \"£\""),
            Format::new().set_num_format("h:mm AM/PM"),
            Format::new().set_bold(),
        ];
        for sheet_index in 0..1 + rng.below(2) {
            let sheet = workbook.add_worksheet();
            sheet.set_name(format!("S{sheet_index} & co")).unwrap();
            let rows = 1 + rng.below(30) as u32;
            for row in 0..rows {
                if rng.below(8) == 0 {
                    continue; // ligne absente
                }
                for column in 0..1 + rng.below(9) as u16 {
                    let format = &formats[rng.below(formats.len() as u64) as usize];
                    match rng.below(10) {
                        0 | 1 => {
                            sheet
                                .write_string(row, column, tricky_text(&mut rng))
                                .unwrap();
                        }
                        2 => {
                            let value = (rng.next() as f64 / 1e6) - 4e9;
                            sheet
                                .write_number_with_format(row, column, value, format)
                                .unwrap();
                        }
                        3 => {
                            let value = rng.below(2_000_000) as f64 / 7.0;
                            sheet
                                .write_number_with_format(row, column, value, format)
                                .unwrap();
                        }
                        4 => {
                            let day = rustxlsx_date(&mut rng);
                            sheet
                                .write_datetime_with_format(row, column, &day, &date)
                                .unwrap();
                        }
                        5 => {
                            sheet.write_boolean(row, column, rng.below(2) == 0).unwrap();
                        }
                        6 => {
                            let formula = match rng.below(3) {
                                0 => Formula::new("=\"x\"&\"y\"").set_result(tricky_text(&mut rng)),
                                1 => Formula::new("=1/0").set_result("#DIV/0!"),
                                _ => Formula::new("=1+1").set_result("2"),
                            };
                            sheet.write_formula(row, column, formula).unwrap();
                        }
                        7 => {
                            sheet.write_blank(row, column, format).unwrap();
                        }
                        _ => {}
                    }
                }
            }
        }
        let bytes = workbook.save_to_buffer().unwrap();
        assert_same_reading(&bytes, &format!("classeur tiré au sort n° {round}"));
    }
}

fn rustxlsx_date(rng: &mut Lcg) -> rust_xlsxwriter::ExcelDateTime {
    let year = 1950 + rng.below(100) as u16;
    let month = 1 + rng.below(12) as u8;
    let day = 1 + rng.below(28) as u8;
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day)
        .unwrap()
        .and_hms(
            rng.below(24) as u16,
            rng.below(60) as u8,
            rng.below(60) as f64,
        )
        .unwrap()
}

/// Un classeur fait de parties XML écrites à la main.
fn handmade(workbook_xml: &str, sheet_xml: &str, shared: &str, styles: &str) -> Vec<u8> {
    handmade_with(
        workbook_xml,
        sheet_xml,
        shared,
        styles,
        zip::CompressionMethod::Deflated,
    )
}

fn handmade_with(
    workbook_xml: &str,
    sheet_xml: &str,
    shared: &str,
    styles: &str,
    method: zip::CompressionMethod,
) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let parts = [
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        ("xl/workbook.xml", workbook_xml),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet_xml),
        (
            "xl/worksheets/sheet2.xml",
            "<worksheet><sheetData/></worksheet>",
        ),
        ("xl/sharedStrings.xml", shared),
        ("xl/styles.xml", styles),
    ];
    for (name, content) in parts {
        writer.start_file(name, options).unwrap();
        writer.write_all(content.as_bytes()).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Ventes &amp; retours" sheetId="1" r:id="rId1"/><x:sheet name='Vide' sheetId="2" r:id="rId2"/></x:sheets></x:workbook>"#;

const STYLES: &str = r#"<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="[&gt;=100]0;&quot;d&quot;0"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"><alignment/></xf><xf numFmtId="165"/><xf numFmtId="46"/></cellXfs></styleSheet>"#;

const SHARED: &str = "<sst uniqueCount=\"5\"><si><t>  trimmed\r\n</t></si><si><t xml:space=\"preserve\">  kept\r\n</t></si><si><r><rPr/><t>rich </t></r><r><t xml:space=\"preserve\"> text</t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si><si/><si><t><![CDATA[<cdata> & ]]>_x000D__xD83D__xDE00_</t></si></sst>";

#[test]
fn handmade_parts_read_like_calamine() {
    let sheets = [
        // Préfixes, cellules sans référence, lignes sans numéro.
        r#"<x:worksheet xmlns:x="urn:x"><x:dimension ref="A1:D4"/><x:sheetData><x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c><x:c t="s"><x:v>3</x:v></x:c><x:c t="s"><x:v>4</x:v></x:c></x:row><x:row><x:c><x:v>1.5</x:v></x:c><x:c s="1"><x:v>40513.35</x:v></x:c><x:c s="2"><x:v>3000</x:v></x:c><x:c s="3"><x:v>1.25</x:v></x:c></x:row></x:sheetData></x:worksheet>"#,
        // Types : inlineStr, str, b, e, d, n, cellules vides et formules.
        r#"<worksheet><sheetData><row r="2"><c r="B2" t="inlineStr"><is><t> in line </t></is></c><c r="C2" t="str"><f>A1</f><v>a_x000D_b&amp;c</v></c><c r="D2" t="b"><v> true </v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="d"><v>2010-12-01T08:26:00</v></c><c r="G2" t="n"><v>-0</v></c><c r="H2"/><c r="I2" s="9"><v>12</v></c><c r="J2"><v>not a number</v></c><c r="K2"><v/></c><c r="L2" t="str"><v/></c></row><row r="5" spans="1:3"><c r="C5"><v>1e3</v></c><c r="A5"><v>2</v></c><c r="A5"><v>3</v></c></row><row r="7"/><row r="9"><c r="A9"><f>SUM(A1)</f></c><c r="B9"><v>4</v><f>x</f></c><c r="C9" t="inlineStr"><is/></c></row></sheetData></worksheet>"#,
        // Commentaires, instructions, sauts de ligne entre les balises.
        "<?xml version=\"1.0\"?>\r\n<!-- généré -->\r\n<worksheet>\r\n <sheetData>\r\n  <row r=\"1\">\r\n   <c r=\"A1\" t=\"s\">\r\n    <v>4</v>\r\n   </c>\r\n  </row>\r\n </sheetData>\r\n<?pi x?></worksheet>",
    ];
    for (index, sheet) in sheets.iter().enumerate() {
        let bytes = handmade(WORKBOOK, sheet, SHARED, STYLES);
        assert_same_reading(&bytes, &format!("feuille écrite à la main n° {index}"));
    }
    // Quelques valeurs attendues, pour ne pas dépendre que de l'oracle.
    let bytes = handmade(WORKBOOK, sheets[0], SHARED, STYLES);
    assert_eq!(sheet_names(&bytes).unwrap(), ["Ventes & retours", "Vide"]);
    let rows = ours(&bytes, "Ventes & retours").unwrap();
    let text = |t: &str| Cell::Text(Cow::Owned(t.to_string()));
    assert_eq!(
        rows[0],
        [
            text("trimmed"),
            text("  kept\n"),
            text("rich text"),
            text(""),
            text("<cdata> & \r😀"),
        ]
    );
    assert_eq!(
        rows[1],
        [
            Cell::Number(1.5),
            Cell::Number(40513.35),
            Cell::DateTime(3000.0 + 1_462.0),
            Cell::Number(1.25),
        ]
    );
}

#[test]
#[ignore = "needs ../shared"]
fn online_retail_reads_like_calamine() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/online_retail/online_retail.xlsx");
    assert!(
        path.is_file(),
        "{} absent : ce test a besoin de ../shared (jeu Online Retail hors du dépôt)",
        path.display()
    );
    let bytes = std::fs::read(&path).expect("classeur lisible sur disque");
    assert_same_reading(&bytes, "online_retail.xlsx");
}

/// Morceaux dont sont faites les parties XML tirées au sort : balises
/// valides, mal fermées, attributs absurdes, entités, CDATA, commentaires.
const FRAGMENTS: [&str; 40] = [
    "<row>",
    "</row>",
    "<row r=\"3\">",
    "<row r=\"0\"/>",
    "<row r=\"99999999999\">",
    "<c>",
    "</c>",
    "<c r=\"A1\" t=\"s\">",
    "<c r=\"XFD9\">",
    "<c r=\"XFE1\">",
    "<c r=\"AAAAAAAAAAAAAA1\">",
    "<c t=\"b\">",
    "<c t=\"e\">",
    "<c t=\"str\" s=\"1\">",
    "<c t=\"inlineStr\">",
    "<c t=\"zz\">",
    "<c s=\"99999999999999999999\">",
    "<v>",
    "</v>",
    "<v/>",
    "<is>",
    "</is>",
    "<t>",
    "</t>",
    "<t xml:space=\"preserve\">",
    "<f>",
    "</f>",
    "1",
    "-2.5e3",
    "x",
    "&amp;",
    "&#x1F600;",
    "&#xD800;",
    "&bogus",
    "_xD83D_",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<",
];

/// Une partie XML tirée au sort parmi ces morceaux.
fn garbled(picks: &[(usize, u8)]) -> String {
    picks
        .iter()
        .map(|&(index, byte)| match index {
            40 => char::from(byte).to_string(),
            index => FRAGMENTS[index % FRAGMENTS.len()].to_string(),
        })
        .collect()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// Quelles que soient les parties XML (mais une archive intacte : le
    /// contrôle des sommes ne les arrête pas avant la lecture), la lecture
    /// rend des lignes ou une erreur, jamais une panique.
    #[test]
    fn garbled_parts_never_panic(
        sheet in proptest::collection::vec((0usize..41, proptest::prelude::any::<u8>()), 0..120),
        shared in proptest::collection::vec((0usize..41, proptest::prelude::any::<u8>()), 0..40),
        styles in proptest::collection::vec((0usize..41, proptest::prelude::any::<u8>()), 0..20),
    ) {
        let sheet = format!("<worksheet><sheetData>{}</sheetData></worksheet>", garbled(&sheet));
        let shared = format!("<sst><si><t>a</t></si>{}</sst>", garbled(&shared));
        let styles = format!("<styleSheet><cellXfs><xf numFmtId=\"14\"/>{}</cellXfs></styleSheet>", garbled(&styles));
        let bytes = handmade(WORKBOOK, &sheet, &shared, &styles);
        let _ = ours(&bytes, "Ventes & retours");
        let _ = for_each_row(&bytes, None, Some(3), &mut NoProgress, &mut |_| Ok(()));
    }
}

/// Les classeurs écrits par LibreOffice, pandas et openpyxl (voir
/// `tests/xlsx_writers/README.md`) : même lecture que calamine, et les mêmes
/// transactions que le CSV dont ils viennent.
#[test]
fn workbooks_of_other_writers_read_like_calamine_and_like_their_csv() {
    use panier_core::pipeline::{analyze, AnalysisOptions};
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/xlsx_writers");
    let csv = std::fs::read(folder.join("source.csv")).expect("source.csv");
    let from_csv = analyze(&csv, &AnalysisOptions::default(), &mut NoProgress)
        .expect("CSV lisible")
        .report;
    for name in [
        "libreoffice.xlsx",
        "pandas_openpyxl.xlsx",
        "openpyxl_1904.xlsx",
    ] {
        let bytes = std::fs::read(folder.join(name)).expect("classeur présent");
        assert_same_reading(&bytes, name);
        let report = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap_or_else(|e| panic!("{name} : {e:?}"))
            .report;
        let facts = |r: &panier_core::summary::Report| {
            (
                r.rows,
                r.customers,
                r.invoices,
                r.products,
                r.stock_codes,
                r.countries,
                r.revenue,
                r.date_min.clone(),
                r.date_max.clone(),
            )
        };
        assert_eq!(facts(&report), facts(&from_csv), "{name}");
        assert_eq!(report.cleaning, from_csv.cleaning, "{name}");
    }
}

/// Un octet changé après les données d'une feuille (dans sa mise en page) :
/// les lignes se lisent, mais la somme de contrôle de la partie est fausse,
/// et le classeur est dit abîmé au lieu d'être lu comme s'il était sain.
#[test]
fn a_damaged_sheet_is_refused_even_after_its_data() {
    let sheet = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData><pageMargins left=\"0.7\"/></worksheet>";
    let bytes = handmade_with(
        WORKBOOK,
        sheet,
        SHARED,
        STYLES,
        zip::CompressionMethod::Stored,
    );
    assert_eq!(
        ours(&bytes, "Ventes & retours").unwrap(),
        [[Cell::Number(1.0)]]
    );
    let at = bytes
        .windows(6)
        .position(|w| w == b"\"0.7\"/")
        .expect("mise en page présente");
    let mut damaged = bytes.clone();
    damaged[at + 1] = b'9';
    match ours(&damaged, "Ventes & retours") {
        Err(PanierError::UnreadableSpreadsheet { detail }) => {
            assert!(detail.contains("checksum"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
}
