//! Tests du fichier de réglages : aller-retour exact, erreurs situées,
//! grille, colonnes par nom.

use super::*;
use crate::ingest::roles::ColumnMapping;

/// Des réglages où chaque champ s'écarte de sa valeur par défaut.
fn everything_changed() -> (AnalysisOptions, SegmentGrid, Vec<String>) {
    let headers: Vec<String> = [
        "Ref", "Code", "Produit", "Nb", "Quand", "PU", "Acheteur", "Pays",
    ]
    .map(String::from)
    .to_vec();
    let mut mapping = ColumnMapping::default();
    for (role, index) in [
        (Role::Invoice, 0),
        (Role::StockCode, 1),
        (Role::Description, 2),
        (Role::Quantity, 3),
        (Role::InvoiceDate, 4),
        (Role::UnitPrice, 5),
        (Role::Customer, 6),
        (Role::Country, 7),
    ] {
        mapping.assign(role, Some(index));
    }
    let options = AnalysisOptions {
        import: ImportOptions {
            encoding: EncodingChoice::Latin1,
            delimiter: Some(';'),
            sheet: Some("Ventes 2011".into()),
            date_order: DateOrder::DayFirst,
            mapping: Some(mapping),
            layout: Layout::Transactions,
            decimal: DecimalChoice::Comma,
            columns: BTreeMap::new(),
        },
        cleaning: CleaningOptions {
            drop_duplicates: true,
            exclude_service_lines: true,
            drop_implausible_dates: true,
            today: None,
        },
        country: Some("France".into()),
        period_from: Some(parse_date("2011-01-01", "from").unwrap()),
        period_to: Some(parse_date("2011-06-30", "to").unwrap()),
        min_support: 0.015,
        drop_items: vec!["postage".into(), "carriage: \"x\" # y".into()],
        rfm: RfmOptions {
            levels: 4,
            snapshot: Some(parse_date("2011-12-10 12:30", "snapshot").unwrap()),
        },
        basket: BasketSettings {
            item: ItemKey::StockCode,
            max_len: Some(3),
            min_confidence: 0.1,
            min_lift: 1.5,
            algorithm: Algorithm::FpGrowth,
        },
        clv: crate::clv::ClvOptions {
            calibration_end: Some(parse_date("2011-09-30", "clv_until").unwrap()),
            horizon_days: 30,
            months: 24,
            monthly_discount: 0.015,
        },
    };
    let mut grid = SegmentGrid::default_for(4);
    assert!(grid.set(4, 4, "Nos stars: été « 2011 »"));
    assert!(grid.set(1, 1, "Perdus"));
    (options, grid, headers)
}

#[test]
fn round_trip_through_yaml_gives_back_the_same_analysis() {
    let (options, grid, headers) = everything_changed();
    let settings = Settings::from_analysis(&options, Some(&grid), &headers, 7);
    let text = settings.to_yaml();
    let read = Settings::from_yaml(&text).unwrap();
    assert_eq!(read, settings, "{text}");
    // Les options relues, colonnes résolues par leur nom dans le même en-tête,
    // sont celles de départ ; la grille aussi.
    let mut back = read.analysis_options(None).unwrap();
    back.import.mapping = Some(back.import.resolve_mapping(&headers).unwrap());
    back.import.columns.clear();
    assert_eq!(back, options);
    assert_eq!(read.segment_grid().unwrap(), grid);
    assert_eq!(read.recommendations.per_customer, 7);
    // Les mots sont ceux des options de la CLI.
    for word in [
        "latin1",
        "day-first",
        "comma",
        "stock-code",
        "fp-growth",
        "transactions",
    ] {
        assert!(text.contains(word), "{word} absent de\n{text}");
    }
    assert!(
        text.contains("from: 2011-01-01")
            || text.contains("from: '2011-01-01'")
            || text.contains("from: \"2011-01-01\""),
        "{text}"
    );
}

#[test]
fn defaults_write_no_grid_and_read_back_as_defaults() {
    let options = AnalysisOptions::default();
    let settings = Settings::from_analysis(&options, Some(&SegmentGrid::default_for(5)), &[], 10);
    assert_eq!(settings, Settings::default());
    let text = settings.to_yaml();
    assert!(!text.contains("segments"), "{text}");
    assert_eq!(
        Settings::from_yaml(&text)
            .unwrap()
            .analysis_options(None)
            .unwrap(),
        options
    );
    // Un fichier minimal : la version seule.
    assert_eq!(
        Settings::from_yaml("version: 1\n").unwrap(),
        Settings::default()
    );
}

#[test]
fn a_typo_is_refused_with_its_line_and_key() {
    let error = Settings::from_yaml("version: 1\nrfm:\n  level: 4\n").unwrap_err();
    let PanierError::InvalidSettings { line, detail } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*line, Some(3), "{detail}");
    assert!(detail.contains("level"), "{detail}");
    assert!(error.message(crate::Lang::Fr).contains("ligne 3"));
    // Mauvais type, YAML cassé, version future, fichier géant : des erreurs,
    // jamais une panique.
    for text in [
        "version: 1\nbaskets:\n  min_support: beaucoup\n",
        "version: 1\nimport: [\n",
        "version: 2\n",
        "version: 0\n",
        "- a\n- b\n",
        "",
        "version: 1\nimport:\n  encoding: ebcdic\n",
    ] {
        assert!(
            matches!(
                Settings::from_yaml(text),
                Err(PanierError::InvalidSettings { .. })
            ),
            "{text:?}"
        );
    }
    let huge = format!("version: 1\n#{}\n", "x".repeat(MAX_SETTINGS_BYTES));
    assert!(matches!(
        Settings::from_yaml(&huge),
        Err(PanierError::InvalidSettings { .. })
    ));
    // Une imbrication profonde est refusée par le budget, pas par la pile.
    let deep = format!(
        "version: 1\nimport:\n  columns: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(Settings::from_yaml(&deep).is_err());
}

#[test]
fn values_are_checked_before_reading_any_file() {
    let read = |text: &str| Settings::from_yaml(text).unwrap().analysis_options(None);
    let name = |result: Result<AnalysisOptions, PanierError>| match result {
        Err(PanierError::InvalidParameter { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        name(read("version: 1\nbaskets:\n  min_support: 0\n")),
        "min_support"
    );
    assert_eq!(name(read("version: 1\nrfm:\n  levels: 7\n")), "levels");
    assert_eq!(
        name(read("version: 1\nfilter:\n  from: 2011-02-30\n")),
        "period_from"
    );
    assert_eq!(
        name(read("version: 1\nimport:\n  columns:\n    client: A\n")),
        "columns"
    );
    assert_eq!(
        name(read(
            "version: 1\nrfm:\n  levels: 3\n  segments: [[a, b, c], [d, e, f]]\n"
        )),
        "segments"
    );
    assert_eq!(
        name(read(
            "version: 1\nrfm:\n  levels: 3\n  segments: [[a, b, c], [d, e, f], [g, h, '  ']]\n"
        )),
        "segments"
    );
    assert_eq!(
        name(read("version: 1\nrecommendations:\n  per_customer: 0\n")),
        "per_customer"
    );
}

#[test]
fn grid_rows_go_from_the_most_recent_customers_down() {
    let settings = Settings::from_yaml(
        "version: 1\nrfm:\n  levels: 3\n  segments:\n    - [a, b, c]\n    - [d, e, f]\n    - [g, h, i]\n",
    )
    .unwrap();
    let grid = settings.segment_grid().unwrap();
    assert_eq!(grid.segment(3, 1), "a");
    assert_eq!(grid.segment(3, 3), "c");
    assert_eq!(grid.segment(1, 1), "g");
    assert_eq!(grid.segment(1, 3), "i");
}

#[test]
fn columns_by_header_case_insensitive_or_number_and_null_removes() {
    let headers: Vec<String> = ["Invoice", "Client ", "Pays", "Pays"]
        .map(String::from)
        .to_vec();
    let settings = Settings::from_yaml(
        "version: 1\nimport:\n  columns:\n    customer: client\n    invoice: '1'\n    country: null\n",
    )
    .unwrap();
    let mut detected = ColumnMapping::default();
    detected.assign(Role::Country, Some(2));
    let import = |settings: &Settings| ImportOptions {
        mapping: Some(detected),
        ..settings.analysis_options(None).unwrap().import
    };
    let mapping = import(&settings).resolve_mapping(&headers).unwrap();
    assert_eq!(mapping.position(Role::Customer), Some(1));
    assert_eq!(mapping.position(Role::Invoice), Some(0));
    assert_eq!(mapping.position(Role::Country), None);
    let missing =
        Settings::from_yaml("version: 1\nimport:\n  columns:\n    customer: Nom\n").unwrap();
    match import(&missing).resolve_mapping(&headers) {
        Err(PanierError::InvalidParameter {
            name,
            value,
            expected,
        }) => {
            assert_eq!(name, "columns");
            assert_eq!(value, "customer=Nom");
            assert!(expected.contains("Invoice"), "{expected}");
        }
        other => panic!("{other:?}"),
    }
    // Écrites depuis l'application : un en-tête répété s'écrit par son numéro.
    let mut mapping = ColumnMapping::default();
    mapping.assign(Role::Country, Some(3));
    let options = AnalysisOptions {
        import: ImportOptions {
            mapping: Some(mapping),
            ..Default::default()
        },
        ..Default::default()
    };
    let written = Settings::from_analysis(&options, None, &headers, 10);
    assert_eq!(written.import.columns["country"], Some("4".to_string()));
    assert_eq!(written.import.columns["customer"], None);
}

#[test]
fn awkward_delimiters_and_floats_survive_the_round_trip() {
    for delimiter in [' ', '\t', ',', '#', ':', '|', '"', '\'', '-', '\u{a0}'] {
        for min_support in [0.1 + 0.2, 1e-7, 1.0 / 3.0, 0.02] {
            let options = AnalysisOptions {
                import: ImportOptions {
                    delimiter: Some(delimiter),
                    ..Default::default()
                },
                min_support,
                ..Default::default()
            };
            let text = Settings::from_analysis(&options, None, &[], 10).to_yaml();
            let back = Settings::from_yaml(&text)
                .unwrap()
                .analysis_options(None)
                .unwrap();
            assert_eq!(back, options, "{text}");
            assert_eq!(back.min_support.to_bits(), min_support.to_bits());
        }
    }
}

#[test]
#[ignore = "affiche un fichier d'exemple"]
fn show_example() {
    let (options, grid, headers) = everything_changed();
    println!(
        "{}",
        Settings::from_analysis(&options, Some(&grid), &headers, 7).to_yaml()
    );
    println!("{}", Settings::default().to_yaml());
}

#[test]
fn a_file_without_the_clv_section_reads_with_its_defaults() {
    let read = Settings::from_yaml("version: 1\nrfm:\n  levels: 4\n").unwrap();
    assert_eq!(read.clv, ClvSettings::default());
    let options = read.analysis_options(None).unwrap();
    assert_eq!(options.clv, crate::clv::ClvOptions::default());
    let read = Settings::from_yaml("version: 1\nclv:\n  until: 2011-02-30\n").unwrap();
    match read.analysis_options(None) {
        Err(PanierError::InvalidParameter { name, .. }) => assert_eq!(name, "clv_until"),
        other => panic!("{other:?}"),
    }
    let read = Settings::from_yaml("version: 1\nclv:\n  months: 0\n").unwrap();
    assert!(read.analysis_options(None).is_err());
}
