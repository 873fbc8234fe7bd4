//! Formes d'exports réels, en échantillons fidèles fabriqués ici (les
//! originaux ne sont pas redistribuables) : chacune doit se lire avec les
//! bons comptes, sans option ou avec l'option que l'utilisateur choisirait.
//! Les chiffres attendus sont recalculés à la main (par un second calcul
//! indépendant) sur l'échantillon.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use panier_core::error::PanierError;
use panier_core::ingest::roles::{BasketKey, ColumnMapping, Role};
use panier_core::ingest::sniff::TextEncoding;
use panier_core::ingest::{ImportOptions, NumberCause, SourceFormat};
use panier_core::lang::Lang;
use panier_core::pipeline::AnalysisOptions;
use panier_core::progress::NoProgress;
use panier_core::rfm::RfmOptions;
use panier_core::session::Session;
use panier_core::warning::Warning;

fn load(bytes: &[u8], import: ImportOptions) -> Result<Session, PanierError> {
    let options = AnalysisOptions {
        import,
        ..AnalysisOptions::default()
    };
    Session::load(bytes, options, &mut NoProgress)
}

/// Journal d'achats à la CDNOW : colonnes alignées par des espaces, dates
/// `AAAAMMJJ`, un montant par achat, ni produit, ni facture, ni prix.
const CDNOW_LOG: &str = "customer_id   date      number_of_cds  dollar_value
00001         19970101  1              11.77
00002         19970112  1              12.00
00002         19970112  5              77.00
00003         19970102  2              20.76
00003         19970330  2              20.76
00003         19970402  2              19.54
00003         19971115  5              57.45
00004         19970101  2              29.33
00004         19970118  2              29.73
";

#[test]
fn a_whitespace_aligned_purchase_log_gives_rfm_from_amounts() {
    let mut session = load(CDNOW_LOG.as_bytes(), ImportOptions::default()).expect("lu");
    let report = session.report().clone();
    assert_eq!(
        report.import.format,
        SourceFormat::Csv {
            encoding: TextEncoding::Utf8,
            delimiter: ' '
        }
    );
    assert_eq!(report.import.rows_read, 9);
    assert_eq!(report.import.basket_key, BasketKey::CustomerDay);
    assert!(report.warnings.contains(&Warning::BasketsPerCustomerDay));
    // Le chiffre d'affaires est la somme des montants, au centime.
    let expected: f64 = [11.77, 12.0, 77.0, 20.76, 20.76, 19.54, 57.45, 29.33, 29.73]
        .iter()
        .sum();
    let revenue = report.revenue.expect("montants");
    assert!((revenue - expected).abs() < 1e-9, "{revenue} / {expected}");
    // Un client un jour = un achat : 00002 a deux lignes le même jour.
    let rfm = session
        .rfm(&RfmOptions::default())
        .as_ref()
        .expect("RFM")
        .clone();
    let by_customer: BTreeMap<&str, (u32, f64)> = rfm
        .customers
        .iter()
        .map(|c| (c.customer.as_str(), (c.frequency, c.monetary)))
        .collect();
    assert_eq!(by_customer.len(), 4);
    assert_eq!(by_customer["00002"].0, 1);
    assert!((by_customer["00002"].1 - 89.0).abs() < 1e-9);
    assert_eq!(by_customer["00003"].0, 4);
    assert_eq!(by_customer["00004"].0, 2);
    // Sans produit, pas d'analyse des paniers : elle est désactivée, dite.
    assert!(report
        .disabled
        .iter()
        .any(|d| d.analysis == panier_core::summary::Analysis::Baskets));
    // Le dernier achat (15/11/1997) fixe la date d'observation au lendemain.
    assert_eq!(
        rfm.customers.iter().map(|c| c.recency).min(),
        Some(1),
        "récence au jour près"
    );
}

/// Export d'un programme de fidélité d'épicerie : membre, date (JJ-MM-AAAA),
/// article ; pas de numéro de ticket ni de prix.
const GROCERY_MEMBERS: &str = "Member_number,Date,itemDescription
1808,21-07-2015,tropical fruit
2552,05-01-2015,whole milk
2300,19-09-2015,pip fruit
1187,12-12-2015,other vegetables
3037,01-02-2015,whole milk
4941,14-02-2015,rolls/buns
1808,21-07-2015,whole milk
1808,21-07-2015,rolls/buns
2552,05-01-2015,rolls/buns
1808,02-08-2015,whole milk
1808,02-08-2015,tropical fruit
";

#[test]
fn a_loyalty_export_without_receipts_has_one_basket_per_member_and_day() {
    let session = load(GROCERY_MEMBERS.as_bytes(), ImportOptions::default()).expect("lu");
    let report = session.report();
    assert_eq!(report.import.basket_key, BasketKey::CustomerDay);
    assert_eq!(report.rows, 11);
    // Paniers attendus : (membre, jour) distincts.
    let baskets: BTreeSet<(&str, &str)> = GROCERY_MEMBERS
        .lines()
        .skip(1)
        .map(|line| {
            let mut fields = line.split(',');
            (fields.next().unwrap(), fields.next().unwrap())
        })
        .collect();
    assert_eq!(report.invoices, baskets.len() as u64);
    assert_eq!(report.customers, 6);
    // Sans prix, ni chiffre d'affaires ni zéro inventé.
    assert_eq!(report.revenue, None);
}

#[test]
fn one_column_may_serve_as_customer_and_basket() {
    // Chaque membre est un panier (tous ses achats ensemble).
    let headers = ["Member_number", "Date", "itemDescription"];
    let mut mapping = ColumnMapping::detect(headers);
    mapping.set(Role::Invoice, mapping.position(Role::Customer));
    let import = ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::default()
    };
    let session = load(GROCERY_MEMBERS.as_bytes(), import).expect("lu");
    assert_eq!(session.report().import.basket_key, BasketKey::Invoice);
    assert_eq!(session.report().invoices, 6);
    // Un nombre ne peut pas servir deux rôles.
    let mut mapping = ColumnMapping::detect(["Invoice", "Qty", "Price"]);
    mapping.set(Role::UnitPrice, mapping.position(Role::Quantity));
    let import = ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::default()
    };
    assert!(matches!(
        load(b"Invoice,Qty,Price\n1,2,3\n", import),
        Err(PanierError::DuplicateMapping { .. })
    ));
}

/// Commandes avec le total de la ligne au lieu du prix unitaire.
const LINE_TOTALS: &str = "Order ID;Customer;Order Date;Product;Qty;Line Total
A-1;alice;2024-03-01;mug;2;12,50
A-1;alice;2024-03-01;tea;1;4,20
B-7;bob;2024-03-04;mug;4;25,00
";

#[test]
fn line_totals_stand_for_quantity_times_price() {
    let mut session = load(LINE_TOTALS.as_bytes(), ImportOptions::default()).expect("lu");
    assert_eq!(
        session.report().import.mapping.position(Role::Amount),
        Some(5)
    );
    let revenue = session.report().revenue.expect("montants");
    assert!((revenue - 41.7).abs() < 1e-9, "{revenue}");
    let rfm = session
        .rfm(&RfmOptions::default())
        .as_ref()
        .expect("RFM")
        .clone();
    let alice = rfm
        .customers
        .iter()
        .find(|c| c.customer == "alice")
        .unwrap();
    assert!((alice.monetary - 16.7).abs() < 1e-9);
    assert_eq!(alice.frequency, 1);
}

#[test]
fn no_invoice_and_no_customer_says_what_forms_a_basket() {
    match load(
        b"Date,Product,Qty,Price\n2024-01-01,a,1,2\n",
        ImportOptions::default(),
    ) {
        Err(PanierError::MissingColumns { missing, .. }) => {
            assert_eq!(
                missing,
                vec!["InvoiceNo / CustomerID + InvoiceDate".to_string()]
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn utf16_without_bom_reads_like_utf8_and_is_named() {
    let text = "InvoiceNo\tStockCode\tDescription\tQuantity\tInvoiceDate\tUnitPrice\tCustomerID\tCountry\n\
                536365\t85123A\tWHITE HANGING HEART T-LIGHT HOLDER\t6\t2010-12-01 08:26:00\t2.55\t17850\tUnited Kingdom\n\
                536366\t22633\tHAND WARMER UNION JACK\t6\t2010-12-01 08:28:00\t1.85\t17850\tRépublique tchèque\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let reference = load(text.as_bytes(), ImportOptions::default()).expect("UTF-8");
    for (bytes, encoding) in [(le, TextEncoding::Utf16Le), (be, TextEncoding::Utf16Be)] {
        let session = load(&bytes, ImportOptions::default()).expect("UTF-16");
        assert_eq!(
            session.report().import.format,
            SourceFormat::Csv {
                encoding,
                delimiter: '\t'
            }
        );
        assert_eq!(session.report().rows, reference.report().rows);
        assert_eq!(session.report().revenue, reference.report().revenue);
        assert_eq!(
            session.report().available_countries,
            reference.report().available_countries
        );
    }
}

#[test]
#[ignore = "needs ../shared"]
fn the_cdnow_log_reads_as_customers_days_and_amounts() {
    let bytes = std::fs::read(common::shared("data/cdnow/cdnow_sample.csv")).unwrap();
    // Second calcul, indépendant du cœur : la bibliothèque csv.
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let mut customers = BTreeSet::new();
    let mut days = BTreeSet::new();
    let mut total = 0.0;
    let mut rows = 0u64;
    for record in reader.records() {
        let record = record.unwrap();
        customers.insert(record[0].to_string());
        days.insert((record[0].to_string(), record[1].to_string()));
        let amount: f64 = record[3].parse().unwrap();
        // Le nettoyage écarte les montants nuls (prix ≤ 0), comme la référence.
        if amount > 0.0 {
            total += amount;
        }
        rows += 1;
    }
    assert_eq!((rows, customers.len()), (6_919, 2_357));
    let session = load(&bytes, ImportOptions::default()).expect("CDNOW");
    let report = session.report();
    assert_eq!(report.import.rows_read, rows);
    assert_eq!(report.import.basket_key, BasketKey::CustomerDay);
    assert_eq!(report.import.mapping.position(Role::Amount), Some(3));
    let revenue = report.revenue.expect("montants");
    assert!(
        (revenue - total).abs() <= 1e-9 * total,
        "{revenue} / {total}"
    );
    assert!(report.invoices <= days.len() as u64);
}

/// Un export où traînent une date « sans fin » de base de données, deux
/// lignes sans numéro de facture et un article de remplissage.
const UNTIDY: &str =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
1001,A,MUG,1,2011-03-01 10:00,2.5,1,France
1002,B,NONE,1,2011-03-02 10:00,2.5,2,France
1003,C,TEA,2,9999-12-31 00:00,1.0,3,France
,A,MUG,1,2011-03-04 10:00,2.5,4,France
,C,TEA,1,2011-03-05 10:00,1.0,5,France
1006,A,?,1,2011-03-06 10:00,2.5,6,France
";

#[test]
fn implausible_dates_empty_invoices_and_placeholder_items_are_said() {
    let mut session = load(UNTIDY.as_bytes(), ImportOptions::default()).expect("lu");
    let warnings = session.report().warnings.clone();
    assert!(
        warnings.contains(&Warning::ImplausibleDates {
            count: 1,
            example: "9999-12-31 00:00:00".into(),
            dropped: false,
        }),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&Warning::EmptyInvoices(2)),
        "{warnings:?}"
    );
    assert!(
        warnings.contains(&Warning::PlaceholderItems {
            count: 2,
            examples: vec!["none".into(), "?".into()],
        }),
        "{warnings:?}"
    );
    // Sans numéro, ni facture comptée, ni panier, ni fréquence (comme
    // `nunique` et `groupby` de pandas), mais le montant reste.
    assert_eq!(session.report().invoices, 4);
    let rfm = session
        .rfm(&RfmOptions::default())
        .as_ref()
        .unwrap()
        .clone();
    let customer = |id: &str| {
        rfm.customers
            .iter()
            .find(|c| c.customer == id)
            .unwrap()
            .clone()
    };
    assert_eq!((customer("4").frequency, customer("4").monetary), (0, 2.5));
    assert_eq!(customer("1").frequency, 1);
    // Gardée comme dans la référence, la date fausse toutes les récences.
    let rfm = session
        .rfm(&RfmOptions::default())
        .as_ref()
        .unwrap()
        .clone();
    assert!(rfm
        .customers
        .iter()
        .all(|c| c.recency > 2_000_000 || c.customer == "3"));
    // Retirée à la demande : comptée, et les récences redeviennent des jours.
    let options = AnalysisOptions {
        cleaning: panier_core::clean::CleaningOptions {
            drop_implausible_dates: true,
            ..Default::default()
        },
        ..AnalysisOptions::default()
    };
    let mut session = Session::load(UNTIDY.as_bytes(), options, &mut NoProgress).unwrap();
    let report = session.report().clone();
    assert_eq!(report.rows, 5);
    assert_eq!(report.cleaning.after_drop_price_le_0, 6);
    assert_eq!(report.cleaning.after_drop_implausible_dates, 5);
    assert!(report
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::ImplausibleDates { dropped: true, .. })));
    let rfm = session
        .rfm(&RfmOptions::default())
        .as_ref()
        .unwrap()
        .clone();
    assert!(
        rfm.customers.iter().all(|c| c.recency <= 6),
        "{:?}",
        rfm.customers
    );
}

#[test]
fn the_upper_date_bound_follows_today_when_known() {
    let today = 1_764_720_000; // 3 décembre 2025
    let options = panier_core::clean::CleaningOptions {
        today: Some(today),
        ..Default::default()
    };
    let (earliest, latest) = panier_core::clean::plausible_dates(&options);
    assert_eq!(earliest, 631_152_000);
    assert_eq!(latest, today + 366 * 86_400);
}

/// Export français d'une boutique : point-virgule, montants en euros avec
/// espace fine des milliers et virgule décimale.
const EUROS: &str = "N° commande;Client;Date;Produit;Qté;Prix unitaire
F-1;alice;01/03/2024;vase;1;1\u{202f}234,50\u{a0}€
F-1;alice;01/03/2024;bol;2;12,00 €
F-2;bob;15/03/2024;vase;1;1 234,50 €
";

/// Export américain : virgule, prix entre guillemets avec dollar et virgule
/// des milliers.
const DOLLARS: &str = "Order,Customer,Date,Product,Qty,Price
1,alice,2024-03-01,lamp,1,\"$1,234.50\"
1,alice,2024-03-01,bulb,3,$2.25
2,bob,2024-03-04,lamp,1,\"$1,234.50\"
";

#[test]
fn currency_formatted_prices_are_read_with_the_separator_shown() {
    for (text, separator, revenue) in [
        (EUROS, ',', 1234.5 * 2.0 + 24.0),
        (DOLLARS, '.', 1234.5 * 2.0 + 6.75),
    ] {
        let session = load(text.as_bytes(), ImportOptions::default()).expect("lu");
        let report = session.report();
        assert_eq!(report.import.rows_unparseable, 0, "{text}");
        assert_eq!(report.import.decimal_separator, Some(separator));
        let read = report.revenue.expect("montants");
        assert!((read - revenue).abs() < 1e-9, "{read} / {revenue}");
    }
}

#[test]
fn the_decimal_separator_can_be_forced() {
    // « 1,234 » seul est ambigu : mille deux cent trente-quatre dans un
    // fichier à point décimal, un virgule deux cent trente-quatre sinon.
    let text = "Invoice,Customer,Date,Product,Qty,Price\n1,a,2024-03-01,x,1,\"1,234\"\n";
    for (decimal, price) in [
        (panier_core::ingest::DecimalChoice::Auto, 1234.0),
        (panier_core::ingest::DecimalChoice::Dot, 1234.0),
        (panier_core::ingest::DecimalChoice::Comma, 1.234),
    ] {
        let import = ImportOptions {
            decimal,
            ..ImportOptions::default()
        };
        let session = load(text.as_bytes(), import).expect("lu");
        assert_eq!(session.report().revenue, Some(price), "{decimal:?}");
    }
}

#[test]
fn a_date_column_without_one_readable_date_is_named_with_examples() {
    let text = "Invoice,Customer,Day,Product,Qty,Price\n1,a,lundi,x,1,2\n2,b,mardi,y,1,3\n";
    let mut session = load(text.as_bytes(), ImportOptions::default()).expect("lu");
    let error = session.rfm(&RfmOptions::default()).clone().unwrap_err();
    assert_eq!(
        error,
        PanierError::UnreadableValues {
            column: "Day".into(),
            role: "InvoiceDate".into(),
            examples: vec!["lundi".into(), "mardi".into()],
        }
    );
    let message = error.message(panier_core::Lang::En);
    assert!(message.contains("\"lundi\", \"mardi\""), "{message}");
}

#[test]
fn a_wrong_delimiter_is_named_instead_of_missing_columns() {
    let text = "InvoiceNo;StockCode;Quantity;UnitPrice\n1;A;2;3\n";
    let import = ImportOptions {
        delimiter: Some(','),
        ..ImportOptions::default()
    };
    match load(text.as_bytes(), import) {
        Err(error @ PanierError::SingleColumn { likely: ';', .. }) => {
            // L'application renvoie à ses options, la CLI à la sienne.
            let app = error.message(panier_core::Lang::Fr);
            assert!(app.contains("options d'import"), "{app}");
            let cli = error.message_for(panier_core::Lang::Fr, panier_core::Surface::Cli);
            assert!(cli.contains("--delimiter"), "{cli}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_preview_of_a_utf16_file_is_text_with_its_real_encoding() {
    // L'application montre l'aperçu avant d'analyser : il ne doit pas
    // prendre les octets nuls de l'UTF-16 pour un fichier binaire.
    let text = "InvoiceNo\tStockCode\tQuantity\tUnitPrice\n536365\t85123A\t6\t2.55\n";
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut with_bom = vec![0xff, 0xfe];
    with_bom.extend_from_slice(&le);
    for bytes in [le, with_bom] {
        let inspection =
            panier_core::ingest::inspect(&bytes, &ImportOptions::default()).expect("aperçu");
        assert_eq!(
            inspection.format,
            SourceFormat::Csv {
                encoding: TextEncoding::Utf16Le,
                delimiter: '\t'
            }
        );
        assert_eq!(inspection.headers[0], "InvoiceNo");
        assert_eq!(
            inspection.preview,
            vec![vec!["536365", "85123A", "6", "2.55"]]
        );
    }
}

/// Export de caisse d'une boulangerie : date et heure dans deux colonnes,
/// numéro de ticket, article, prix « 0,90 € ».
const BAKERY: &str = "date,time,ticket_number,article,Quantity,unit_price
2021-01-02,08:38,150040,BAGUETTE,1,\"0,90 €\"
2021-01-02,08:38,150040,PAIN AU CHOCOLAT,3,\"1,20 €\"
2021-01-02,09:14,150041,PAIN AU CHOCOLAT,2,\"1,20 €\"
2021-01-03,17:55,150042,BAGUETTE,1,\"0,90 €\"
";

#[test]
fn separate_date_and_time_columns_are_combined() {
    let session = load(BAKERY.as_bytes(), ImportOptions::default()).expect("lu");
    let report = session.report();
    assert_eq!(report.import.mapping.position(Role::Time), Some(1));
    assert_eq!(report.date_min.as_deref(), Some("2021-01-02 08:38:00"));
    assert_eq!(report.date_max.as_deref(), Some("2021-01-03 17:55:00"));
    assert_eq!(report.invoices, 3);
    let revenue = report.revenue.expect("montants");
    assert!(
        (revenue - (0.9 + 3.6 + 2.4 + 0.9)).abs() < 1e-9,
        "{revenue}"
    );
    // Sans la colonne d'heure, les dates restent au jour.
    let mut mapping = ColumnMapping::detect([
        "date",
        "time",
        "ticket_number",
        "article",
        "Quantity",
        "unit_price",
    ]);
    mapping.set(Role::Time, None);
    let import = ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::default()
    };
    let session = load(BAKERY.as_bytes(), import).expect("lu");
    assert_eq!(
        session.report().date_min.as_deref(),
        Some("2021-01-02 00:00:00")
    );
}

/// Feuille d'un classeur : en-tête InvoiceNo, StockCode, Quantity, UnitPrice
/// (chaînes en ligne), puis une ligne par cellules `C` et `D` données en XML.
fn sheet_with_numbers(rows: &[(&str, &str)]) -> Vec<u8> {
    let text = |cell: &str, value: &str| {
        format!(r#"<c r="{cell}" t="inlineStr"><is><t>{value}</t></is></c>"#)
    };
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">"#,
    );
    for (cell, header) in [
        ("A1", "InvoiceNo"),
        ("B1", "StockCode"),
        ("C1", "Quantity"),
        ("D1", "UnitPrice"),
    ] {
        xml += &text(cell, header);
    }
    xml += "</row>";
    for (index, (quantity, price)) in rows.iter().enumerate() {
        let r = index + 2;
        xml += &format!(r#"<row r="{r}">"#);
        xml += &text(&format!("A{r}"), &format!("5363{r:02}"));
        xml += &text(&format!("B{r}"), "85123A");
        xml += &quantity.replace("{r}", &r.to_string());
        xml += &price.replace("{r}", &r.to_string());
        xml += "</row>";
    }
    xml += "</sheetData></worksheet>";
    xml.into_bytes()
}

/// L'erreur « aucun nombre lisible » d'un fichier, et ses deux messages.
fn unreadable(bytes: &[u8]) -> (NumberCause, Vec<String>, String, String) {
    match load(bytes, ImportOptions::default()) {
        Err(error @ PanierError::UnreadableNumbers { .. }) => {
            let (fr, en) = (error.message(Lang::Fr), error.message(Lang::En));
            let PanierError::UnreadableNumbers {
                cause, examples, ..
            } = error
            else {
                unreachable!()
            };
            (cause, examples, fr, en)
        }
        Err(other) => panic!("attendu : nombres illisibles, obtenu {other:?}"),
        Ok(_) => panic!("attendu : nombres illisibles, le fichier a été lu"),
    }
}

#[test]
fn formulas_saved_without_their_results_are_named_not_blamed_on_the_decimal_separator() {
    // Un classeur écrit par un programme (openpyxl…) : des formules sans
    // valeur en cache, que seul un tableur calcule à l'ouverture.
    let sheet = sheet_with_numbers(&[
        (
            r#"<c r="C{r}"><f>2*3</f></c>"#,
            r#"<c r="D{r}"><f>1.5*2</f></c>"#,
        ),
        (
            r#"<c r="C{r}"><f>2*4</f></c>"#,
            r#"<c r="D{r}"><f>1.5*3</f></c>"#,
        ),
    ]);
    let (cause, _, fr, en) = unreadable(&common::workbook(&sheet, None));
    assert_eq!(cause, NumberCause::EmptyCell);
    assert!(en.contains("None of the 2 rows"), "{en}");
    assert!(
        en.contains("formulas") && en.contains("LibreOffice"),
        "{en}"
    );
    assert!(
        fr.contains("formules") && fr.contains("LibreOffice"),
        "{fr}"
    );
    assert!(!en.contains("decimal separator"), "{en}");
}

#[test]
fn formula_errors_are_named() {
    let sheet = sheet_with_numbers(&[(
        r#"<c r="C{r}" t="e"><v>#DIV/0!</v></c>"#,
        r#"<c r="D{r}" t="e"><v>#N/A</v></c>"#,
    )]);
    let (cause, _, fr, en) = unreadable(&common::workbook(&sheet, None));
    assert_eq!(cause, NumberCause::FormulaError);
    assert!(en.contains("formula errors"), "{en}");
    assert!(fr.contains("erreurs de formule"), "{fr}");
    assert!(!en.contains("decimal separator"), "{en}");
}

#[test]
fn huge_numbers_are_called_identifiers_in_csv_and_in_workbooks() {
    // Une colonne de codes (EAN, numéros de commande) prise pour la quantité.
    let csv = "InvoiceNo,StockCode,Quantity,UnitPrice\n\
               536365,85123A,3000000000000000,2.55\n\
               536366,71053,4000000000000000,3.39\n";
    let (cause, examples, fr, en) = unreadable(csv.as_bytes());
    assert_eq!(cause, NumberCause::TooLarge);
    assert_eq!(examples, ["3000000000000000", "4000000000000000"]);
    assert!(
        en.contains("10^15") && en.contains("\"3000000000000000\""),
        "{en}"
    );
    assert!(fr.contains("identifiant"), "{fr}");
    assert!(!en.contains("decimal separator"), "{en}");
    // Le même nombre, typé dans un classeur, est refusé de même (il était
    // accepté, et gonflait le chiffre d'affaires).
    let sheet = sheet_with_numbers(&[(
        r#"<c r="C{r}"><v>3E+15</v></c>"#,
        r#"<c r="D{r}"><v>2.55</v></c>"#,
    )]);
    let (cause, examples, _, _) = unreadable(&common::workbook(&sheet, None));
    assert_eq!(cause, NumberCause::TooLarge);
    assert_eq!(examples, ["3000000000000000"]);
}

#[test]
fn text_that_is_no_number_keeps_the_decimal_separator_hint_with_examples() {
    let csv = "InvoiceNo,StockCode,Quantity,UnitPrice\n\
               536365,85123A,six,2.55\n\
               536366,71053,1,3.39\n\
               536367,71054,2,n/a\n";
    let session = load(csv.as_bytes(), ImportOptions::default()).expect("lu");
    let warning = session
        .report()
        .warnings
        .iter()
        .find(|w| matches!(w, Warning::UnparseableRows { .. }))
        .expect("avertissement")
        .clone();
    assert_eq!(
        warning,
        Warning::UnparseableRows {
            rows: 2,
            cause: NumberCause::Text,
            examples: vec!["six".into(), "n/a".into()],
        }
    );
    let en = warning.message(Lang::En);
    assert!(en.starts_with("2 rows left out"), "{en}");
    assert!(
        en.contains("\"six\", \"n/a\"") && en.contains("decimal separator"),
        "{en}"
    );
}

/// Export de commandes d'une boutique en ligne : une ligne par article, et le
/// total de la commande répété sur chacune de ses lignes.
const ORDER_TOTALS: &str = "Order Number,Order Date,Customer Email,Item Name,Quantity,Order Total
1001,2024-03-01 10:00,ana@example.com,Mug,2,30.00
1001,2024-03-01 10:00,ana@example.com,Teapot,1,30.00
1002,2024-03-02 11:00,bob@example.com,Mug,1,12.50
1003,2024-03-03 12:00,ana@example.com,Tea,3,45.00
1003,2024-03-03 12:00,ana@example.com,Mug,1,45.00
1003,2024-03-03 12:00,ana@example.com,Teapot,1,45.00
1004,2024-03-04 09:30,cyd@example.com,Tea,1,20.00
1004,2024-03-04 09:30,cyd@example.com,Spoon,4,20.00
";

#[test]
fn an_order_total_repeated_on_each_line_is_counted_once_per_order() {
    let mut session = load(ORDER_TOTALS.as_bytes(), ImportOptions::default()).expect("lu");
    let report = session.report().clone();
    assert_eq!(report.import.mapping.position(Role::Amount), Some(5));
    assert_eq!(report.import.order_totals, 3);
    assert!(report
        .warnings
        .contains(&Warning::OrderTotalsSpread { orders: 3 }));
    // Chaque commande une fois : 30 + 12,50 + 45 + 20, pas 222,50.
    let revenue = report.revenue.expect("montants");
    assert!((revenue - 107.5).abs() < 1e-9, "{revenue}");
    // Les produits restent tous dans les paniers.
    assert_eq!(report.cleaning.after_drop_duplicates, 8);
    let rfm = session
        .rfm(&RfmOptions::default())
        .as_ref()
        .expect("RFM")
        .clone();
    let monetary: BTreeMap<&str, f64> = rfm
        .customers
        .iter()
        .map(|c| (c.customer.as_str(), c.monetary))
        .collect();
    assert!((monetary["ana@example.com"] - 75.0).abs() < 1e-9);
    assert!((monetary["cyd@example.com"] - 20.0).abs() < 1e-9);
}

#[test]
fn line_amounts_that_sometimes_coincide_are_kept_as_line_amounts() {
    // Une commande sur trois a deux lignes de même montant : des montants
    // de ligne, pas un total répété.
    let lines = "Order Number,Order Date,Item Name,Quantity,Line Total
1001,2024-03-01,Mug,2,10.00
1001,2024-03-01,Teapot,1,10.00
1002,2024-03-02,Mug,1,5.00
1002,2024-03-02,Tea,3,9.00
1003,2024-03-03,Spoon,4,8.00
1003,2024-03-03,Mug,1,5.00
";
    let session = load(lines.as_bytes(), ImportOptions::default()).expect("lu");
    let report = session.report();
    assert_eq!(report.import.order_totals, 0);
    assert!(!report
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::OrderTotalsSpread { .. })));
    let revenue = report.revenue.expect("montants");
    assert!((revenue - 47.0).abs() < 1e-9, "{revenue}");
}
