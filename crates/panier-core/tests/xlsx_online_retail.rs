//! Lecture en flux du vrai classeur Online Retail (25 Mo, 541 909 lignes).
//!
//! Le fichier n'est pas versionné (il vit dans `../shared`, présent en CI) :
//! le test est ignoré par défaut (`cargo test -- --include-ignored` le lance)
//! et échoue en nommant le fichier manquant s'il n'est pas là. En mode debug,
//! la décompression et l'analyse XML sont une dizaine de fois plus lentes
//! qu'en `--release`.

use std::path::PathBuf;
use std::time::Instant;

use panier_core::ingest::cell::Cell;
use panier_core::ingest::xlsx::{for_each_row, looks_like_zip, sheet_names};
use panier_core::progress::{ProgressSink, Stage};

/// Série Excel du 01/12/2010 08:26 (première facture).
const FIRST_INVOICE_SERIAL: f64 = 40_513.351_388_888_89;

/// Lignes de données du jeu Online Retail (hors en-tête).
const DATA_ROWS: u64 = 541_909;

/// Retient les fractions d'avancement rapportées.
#[derive(Default)]
struct Recorder(Vec<f64>);

impl ProgressSink for Recorder {
    fn stage_started(&mut self, _stage: Stage) {}
    fn advanced(&mut self, stage: Stage, fraction: f64) -> bool {
        assert_eq!(stage, Stage::Parse);
        self.0.push(fraction);
        true
    }
}

/// Somme de la colonne Quantity du CSV de référence.
fn csv_quantity_sum(path: &PathBuf) -> (i64, u64) {
    let mut reader = csv::Reader::from_path(path).expect("CSV de référence lisible");
    let quantity = reader
        .headers()
        .expect("en-tête du CSV")
        .iter()
        .position(|header| header == "Quantity")
        .expect("colonne Quantity dans le CSV");
    let mut record = csv::StringRecord::new();
    let (mut sum, mut rows) = (0i64, 0u64);
    while reader.read_record(&mut record).expect("ligne CSV lisible") {
        let field = record.get(quantity).expect("champ Quantity présent");
        sum += field.trim().parse::<i64>().expect("quantité entière");
        rows += 1;
    }
    (sum, rows)
}

#[test]
#[ignore = "needs ../shared"]
fn xlsx_online_retail_streams_every_row() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let data = shared.join("data/online_retail");
    let xlsx_path = data.join("online_retail.xlsx");
    let csv_path = data.join("online_retail.csv");
    for path in [&xlsx_path, &csv_path] {
        assert!(
            path.is_file(),
            "{} absent : ce test a besoin de ../shared (jeu Online Retail hors du dépôt)",
            path.display()
        );
    }
    let bytes = std::fs::read(&xlsx_path).expect("classeur lisible sur disque");
    assert!(looks_like_zip(&bytes));
    assert_eq!(
        sheet_names(&bytes).expect("classeur lisible"),
        vec!["Online Retail"]
    );

    let mut recorder = Recorder::default();
    let mut rows = 0u64;
    let mut header: Vec<String> = Vec::new();
    let mut first_date: Option<Cell<'static>> = None;
    let mut quantity_sum = 0f64;
    let mut non_numeric_quantities = 0u64;
    let started = Instant::now();
    let facts = for_each_row(&bytes, None, None, &mut recorder, &mut |row| {
        rows += 1;
        if rows == 1 {
            header = row.iter().map(|cell| cell.to_text().into_owned()).collect();
            return Ok(());
        }
        if rows == 2 {
            first_date = row.get(4).map(|cell| match cell {
                Cell::DateTime(serial) => Cell::DateTime(*serial),
                other => Cell::Text(other.to_text().into_owned().into()),
            });
        }
        match row.get(3) {
            Some(Cell::Number(quantity)) => quantity_sum += quantity,
            _ => non_numeric_quantities += 1,
        }
        Ok(())
    })
    .expect("classeur Online Retail lisible");
    eprintln!(
        "for_each_row : {} lignes en {:.2} s",
        facts.rows,
        started.elapsed().as_secs_f64()
    );

    assert_eq!(facts.sheet, "Online Retail");
    assert_eq!(facts.sheets, vec!["Online Retail"]);
    assert_eq!(facts.rows, DATA_ROWS + 1);
    assert_eq!(rows, DATA_ROWS + 1);
    assert_eq!(
        header,
        vec![
            "InvoiceNo",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
            "Country",
        ]
    );
    match first_date {
        Some(Cell::DateTime(serial)) => assert!(
            (serial - FIRST_INVOICE_SERIAL).abs() < 1e-9,
            "E2 = {serial}"
        ),
        other => panic!("E2 devrait être une date Excel, reçu {other:?}"),
    }

    // Avancement : tous les 65 536 lignes, croissant, entre 0 et 1.
    assert_eq!(recorder.0.len() as u64, (DATA_ROWS + 1) / 65_536);
    assert!(recorder.0.windows(2).all(|pair| pair[0] < pair[1]));
    assert!(recorder.0.iter().all(|f| *f > 0.0 && *f <= 1.0));

    let (csv_sum, csv_rows) = csv_quantity_sum(&csv_path);
    assert_eq!(csv_rows, DATA_ROWS);
    assert_eq!(non_numeric_quantities, 0);
    assert_eq!(quantity_sum, csv_sum as f64);
}
