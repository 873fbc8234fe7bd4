//! Tests du YAML des réglages : ce qui se lit, ce qui est refusé (avec sa
//! ligne), et une comparaison avec une bibliothèque YAML complète
//! (`serde-saphyr`, seulement pour les tests) dans les deux sens.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::settings::Settings;

fn value(text: &str) -> serde_json::Value {
    from_str::<serde_json::Value>(text).unwrap_or_else(|error| panic!("{text:?}: {error:?}"))
}

fn error(text: &str) -> YamlError {
    from_str::<serde_json::Value>(text).expect_err(text)
}

#[test]
fn the_yaml_people_write_by_hand_reads_as_yaml_does() {
    let text = "\u{feff}# commentaire\n%YAML 1.2\n---\nversion: 1   # la version\n\
        import:\n  sheet: 'l''été'\n  delimiter: \";\"\n  columns: {customer: \"Client\", country: null}\n\
        list:\n- a\n-  b c # pas un commentaire dans la valeur\n- \"x: y\"\nnested:\n  - - 1\n    - 2\n  - [3, '4', [5]]\n  -\n    k: v\n    w: ~\n  - k: v\n    w:\n\
        empty:\nflow: []\nmap: {}\nescapes: \"a\\tb\\u00e9\\U0001F600\\ud83d\\ude00\\x41\\_\\/\"\n...\nignored: after the end\n";
    assert_eq!(
        value(text),
        serde_json::json!({
            "version": 1,
            "import": {"sheet": "l'été", "delimiter": ";", "columns": {"customer": "Client", "country": null}},
            "list": ["a", "b c", "x: y"],
            "nested": [[1, 2], [3, "4", [5]], {"k": "v", "w": null}, {"k": "v", "w": null}],
            "empty": null,
            "flow": [],
            "map": {},
            "escapes": "a\tbé😀😀A\u{a0}/"
        })
    );
}

#[test]
fn a_plain_value_is_typed_by_what_the_schema_expects() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Shape {
        sheet: String,
        ratio: f64,
        count: u8,
        char: char,
        maybe: Option<String>,
        nothing: Option<String>,
        flag: bool,
    }
    let shape: Shape = from_str(
        "sheet: 2011\nratio: 1e-7\ncount: 4\nchar: ;\nmaybe: null value\nnothing: ~\nflag: true\n",
    )
    .unwrap();
    assert_eq!(
        shape,
        Shape {
            sheet: "2011".into(),
            ratio: 1e-7,
            count: 4,
            char: ';',
            maybe: Some("null value".into()),
            nothing: None,
            flag: true,
        }
    );
    // Entre guillemets, c'est toujours un texte.
    let error = from_str::<Shape>(
        "sheet: a\nratio: \"1\"\ncount: 4\nchar: ;\nmaybe: x\nnothing: ~\nflag: true\n",
    )
    .unwrap_err();
    assert_eq!(error.line, Some(2), "{error:?}");
    let error = from_str::<Shape>(
        "sheet: a\nratio: 1\ncount: 400\nchar: ;\nmaybe: x\nnothing: ~\nflag: true\n",
    )
    .unwrap_err();
    assert_eq!(error.line, Some(3), "{error:?}");
}

#[test]
fn what_is_not_read_is_refused_with_its_line_and_reason() {
    for (text, line, words) in [
        ("a: 1\n\tb: 2\n", 2, "tab"),
        ("a: 'x\n", 1, "unclosed quote"),
        ("a: \"x\n  y\"\n", 1, "unclosed quote"),
        ("a: 1\nb: [1, 2\n", 2, "unclosed `[`"),
        ("a: 1\nb: {k: 1\n", 2, "unclosed `{`"),
        ("a: 1\na: 2\n", 2, "duplicate key `a`"),
        ("a: {k: 1, k: 2}\n", 1, "duplicate key `k`"),
        ("a: |\n  text\n", 1, "several lines"),
        ("a: >\n  text\n", 1, "several lines"),
        ("a: &x 1\nb: *x\n", 1, "anchors"),
        ("a: !!str 1\n", 1, "tags"),
        ("a: 1\n---\nb: 2\n", 2, "second document"),
        ("a: b\n  c\n", 2, "several lines"),
        ("a:\n  - x\n  y: 1\n", 3, "line up"),
        ("a: 1\n b: 2\n", 2, "several lines"),
        ("  a: 1\nb: 2\n", 2, "line up"),
        ("a: [1,, 2]\n", 1, "empty value"),
        ("a: [1] x\n", 1, "after a closing bracket"),
        ("a: \"x\" y\n", 1, "after a closing quote"),
        ("a: \"\\q\"\n", 1, "unknown escape"),
        ("a: \"\\u12\"\n", 1, "hexadecimal"),
        ("? a\n", 1, "complex keys"),
    ] {
        let error = error(text);
        assert_eq!(error.line, Some(line), "{text:?}: {error:?}");
        assert!(error.message.contains(words), "{text:?}: {error:?}");
    }
    assert_eq!(error("").message, "the file is empty");
    assert_eq!(error("# rien\n\n").message, "the file is empty");
    // Imbrication : arrêtée par le budget, en ligne comme en bloc.
    let deep_flow = format!("a: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    assert!(error(&deep_flow).message.contains("nested more than"));
    let deep_block: String = (0..200)
        .map(|depth| format!("{}k:\n", " ".repeat(depth)))
        .collect();
    assert!(error(&deep_block).message.contains("nested more than"));
    let deep_items: String = (0..200)
        .map(|depth| format!("{}- ", " ".repeat(2 * depth)))
        .collect();
    assert!(error(&format!("{deep_items}x\n"))
        .message
        .contains("nested more than"));
}

#[test]
fn crlf_and_comments_everywhere() {
    assert_eq!(
        value("a: 1 # un\r\n# deux\r\nb:   # trois\r\n  - x # quatre\r\n  - 'y # pas un commentaire'\r\nc: a#b\r\n"),
        serde_json::json!({"a": 1, "b": ["x", "y # pas un commentaire"], "c": "a#b"})
    );
}

/// Des textes faits des caractères qui comptent en YAML.
fn awkward_text() -> impl Strategy<Value = String> {
    let awkward: Vec<char> =
        " :#-\"'[]{},\\\t\n\r|>&*!%@`?~.+0123aZé\u{a0}\u{85}\u{2028}\u{feff}\u{1}😀"
            .chars()
            .collect();
    prop_oneof![
        proptest::collection::vec(proptest::sample::select(awkward), 0..10)
            .prop_map(String::from_iter),
        proptest::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter),
        Just("null".to_string()),
        Just("yes".to_string()),
        Just("2011-01-01".to_string()),
        Just("1e5".to_string()),
        Just(".inf".to_string()),
    ]
}

fn settings() -> impl Strategy<Value = Settings> {
    let optional = || proptest::option::of(awkward_text());
    (
        (optional(), proptest::option::of(any::<char>()), optional()),
        proptest::collection::btree_map(awkward_text(), optional(), 0..4),
        (optional(), optional(), optional()),
        proptest::option::of(proptest::collection::vec(
            proptest::collection::vec(awkward_text(), 0..4),
            0..4,
        )),
        proptest::collection::vec(awkward_text(), 0..4),
        (
            any::<f64>(),
            0u8..=255,
            proptest::option::of(0usize..1000),
            proptest::option::of(proptest::sample::select(
                crate::numbers::Currency::ALL.to_vec(),
            )),
        ),
    )
        .prop_map(
            |(
                (sheet, delimiter, snapshot),
                columns,
                (country, from, to),
                segments,
                drop_items,
                (support, levels, max_len, currency),
            )| {
                let mut settings = Settings::default();
                settings.import.sheet = sheet;
                settings.import.delimiter = delimiter;
                settings.import.columns = columns;
                settings.filter.country = country;
                settings.filter.from = from;
                settings.filter.to = to;
                settings.rfm.snapshot = snapshot;
                settings.rfm.levels = levels;
                settings.rfm.segments = segments;
                settings.baskets.drop_items = drop_items;
                settings.baskets.max_len = max_len;
                settings.display.currency = currency;
                // Un réglage n'est jamais NaN (refusé avant d'être écrit).
                settings.baskets.min_support = if support.is_nan() { 0.5 } else { support };
                settings
            },
        )
}

fn write(settings: &Settings) -> String {
    to_string(&serde_json::to_value(settings).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Ce que Panier écrit, Panier le relit à l'identique, et une
    /// bibliothèque YAML complète aussi.
    #[test]
    fn what_is_written_reads_back_here_and_in_a_full_yaml_library(settings in settings()) {
        let text = write(&settings);
        let read = from_str::<Settings>(&text)
            .map_err(|error| TestCaseError::fail(format!("{error:?}\n{text}")))?;
        prop_assert_eq!(&read, &settings, "{}", text);
        let library: Settings = serde_saphyr::from_str(&text)
            .map_err(|error| TestCaseError::fail(format!("{error}\n{text}")))?;
        prop_assert_eq!(&library, &settings, "{}", text);
    }

    /// Ce qu'une bibliothèque YAML complète écrit (sur une ligne par
    /// valeur), Panier le relit à l'identique.
    #[test]
    fn what_a_full_yaml_library_writes_reads_back_here(settings in settings()) {
        let text = serde_saphyr::to_string(&settings).unwrap();
        // Les valeurs sur plusieurs lignes (`|`) ne sont pas lues : refusées
        // avec leur ligne, jamais lues de travers.
        match from_str::<Settings>(&text) {
            Ok(read) => prop_assert_eq!(&read, &settings, "{}", text),
            Err(error) => prop_assert!(
                error.line.is_some() && text.contains(['|', '>']) ,
                "{:?}\n{}", error, text
            ),
        }
    }

    /// N'importe quel texte : une valeur ou une erreur, jamais une panique.
    #[test]
    fn any_text_reads_or_fails_without_panicking(text in proptest::collection::vec(
        proptest::sample::select(" :#-\"'[]{},\\\t\n|>&*!%@`?~.0aé".chars().collect::<Vec<_>>()),
        0..60,
    ).prop_map(String::from_iter)) {
        let _ = from_str::<serde_json::Value>(&text);
        let _ = from_str::<Settings>(&text);
    }
}

#[test]
fn the_grid_is_written_one_row_per_line() {
    let mut settings = Settings::default();
    settings.rfm.segments = Some(vec![
        vec!["Champions".into(), "Nos stars: été « 2011 »".into()],
        vec!["a, b".into(), "[x]".into()],
    ]);
    settings.import.columns = BTreeMap::from([("customer".into(), Some("Client".into()))]);
    let text = write(&settings);
    assert!(
        text.contains(
            "  segments:\n  - [Champions, \"Nos stars: été « 2011 »\"]\n  - [\"a, b\", \"[x]\"]\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  columns:\n    customer: Client\n"),
        "{text}"
    );
    assert!(text.contains("  from: null\n"), "{text}");
    assert!(text.contains("  drop_items: []\n"), "{text}");
}
