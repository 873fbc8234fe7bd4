//! Corpus hostile : des fichiers mal formés ou inhabituels (`tests/corpus/`
//! à la racine du dépôt), chacun avec ce que le pipeline doit en faire.
//!
//! Pour chaque cas : `analyze` rend la main sans paniquer ; une erreur a un
//! message non vide en français et en anglais, différent d'une langue à
//! l'autre, de plus de 40 caractères, qui dit quoi faire ; un succès donne
//! les bons chiffres (lignes, chiffre d'affaires, dates, avertissements).
//!
//! Un cas marqué `known_issue` décrit le comportement **souhaité** qu'un
//! défaut connu du cœur empêche encore : il est signalé sans faire échouer le
//! test, mais le test échoue dès que le comportement souhaité est atteint,
//! pour qu'on retire la marque (comme un `xfail` strict).
//!
//! Tout fichier ajouté au corpus doit avoir au moins un cas.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use panier_core::ingest::roles::{ColumnMapping, Role};
use panier_core::ingest::sniff::TextEncoding;
use panier_core::ingest::{inspect, Layout, NumberCause, SourceFormat};
use panier_core::pipeline::{analyze, AnalysisOptions, AnalysisOutput};
use panier_core::progress::NoProgress;
use panier_core::summary::Analysis;
use panier_core::warning::Warning;
use panier_core::{Lang, PanierError};

/// Nombre minimal de fichiers du corpus.
const MIN_FILES: usize = 30;

/// Chiffre d'affaires des cinq lignes de base du corpus :
/// 15,30 + 20,34 + 11,10 + 54,08 + 25,50.
const BASE_REVENUE: f64 = 126.32;
/// Première et dernière date des lignes de base.
const BASE_DATES: (&str, &str) = ("2010-12-01 08:26:00", "2010-12-09 12:50:00");
/// En-têtes Online Retail des fichiers de base.
const BASE_HEADERS: [&str; 8] = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

/// Résultat d'une vérification : `Err` porte l'explication.
type Check = Result<(), String>;

/// Échoue avec un message si la condition est fausse.
macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

/// Avertissements attendus d'un succès.
enum Warnings {
    /// Exactement ceux-là, dans l'ordre du rapport.
    Exactly(Vec<Warning>),
    /// Au moins ceux-là.
    Include(Vec<Warning>),
    /// Aucun de cette sorte.
    Exclude(fn(&Warning) -> bool),
}

/// Ce qu'un succès doit donner.
struct Success {
    rows: Option<u64>,
    revenue: Option<Option<f64>>,
    dates: Option<(Option<&'static str>, Option<&'static str>)>,
    warnings: Option<Warnings>,
    extra: Option<fn(&AnalysisOutput) -> Check>,
}

/// Ce qu'une erreur doit être.
struct Failure {
    variant: fn(&PanierError) -> bool,
    en_contains: Vec<&'static str>,
    en_lacks: Vec<&'static str>,
}

enum Expect {
    Ok(Success),
    Err(Failure),
}

/// Un succès de `rows` lignes.
fn ok(rows: u64) -> Success {
    Success {
        rows: Some(rows),
        revenue: None,
        dates: None,
        warnings: None,
        extra: None,
    }
}

/// Un succès dont le nombre de lignes n'est pas fixé.
fn ok_any() -> Success {
    Success {
        rows: None,
        ..ok(0)
    }
}

impl Success {
    fn revenue(mut self, revenue: Option<f64>) -> Self {
        self.revenue = Some(revenue);
        self
    }
    fn dates(mut self, min: &'static str, max: &'static str) -> Self {
        self.dates = Some((Some(min), Some(max)));
        self
    }
    fn no_dates(mut self) -> Self {
        self.dates = Some((None, None));
        self
    }
    fn base(self) -> Self {
        self.revenue(Some(BASE_REVENUE))
            .dates(BASE_DATES.0, BASE_DATES.1)
    }
    fn warnings(mut self, warnings: Vec<Warning>) -> Self {
        self.warnings = Some(Warnings::Exactly(warnings));
        self
    }
    fn warnings_include(mut self, warnings: Vec<Warning>) -> Self {
        self.warnings = Some(Warnings::Include(warnings));
        self
    }
    fn warnings_exclude(mut self, unwanted: fn(&Warning) -> bool) -> Self {
        self.warnings = Some(Warnings::Exclude(unwanted));
        self
    }
    fn extra(mut self, check: fn(&AnalysisOutput) -> Check) -> Self {
        self.extra = Some(check);
        self
    }
    fn done(self) -> Expect {
        Expect::Ok(self)
    }
}

/// Une erreur reconnue par `variant`, dont le message anglais contient
/// `en_contains`.
fn err(variant: fn(&PanierError) -> bool, en_contains: &'static str) -> Failure {
    Failure {
        variant,
        en_contains: vec![en_contains],
        en_lacks: Vec::new(),
    }
}

impl Failure {
    fn and(mut self, en_contains: &'static str) -> Self {
        self.en_contains.push(en_contains);
        self
    }
    fn lacks(mut self, en_lacks: &'static str) -> Self {
        self.en_lacks.push(en_lacks);
        self
    }
    fn done(self) -> Expect {
        Expect::Err(self)
    }
}

/// Un cas : un fichier du corpus, des options, ce qui est attendu.
struct Case {
    file: &'static str,
    options: fn() -> AnalysisOptions,
    expect: Expect,
    /// Défaut connu du cœur qui empêche encore le comportement attendu.
    known_issue: Option<&'static str>,
}

fn case(file: &'static str, expect: Expect) -> Case {
    Case {
        file,
        options: AnalysisOptions::default,
        expect,
        known_issue: None,
    }
}

impl Case {
    fn with(mut self, options: fn() -> AnalysisOptions) -> Self {
        self.options = options;
        self
    }
    fn known_issue(mut self, issue: &'static str) -> Self {
        self.known_issue = Some(issue);
        self
    }
}

// --- Options des cas -------------------------------------------------------

/// Correspondance des en-têtes de base, où la colonne Quantity tient aussi le
/// rôle UnitPrice (`set`, pas `assign` : `assign` retirerait l'autre rôle).
fn role_mapped_twice() -> AnalysisOptions {
    let mut mapping = ColumnMapping::detect(BASE_HEADERS);
    mapping.set(Role::UnitPrice, mapping.position(Role::Quantity));
    let mut options = AnalysisOptions::default();
    options.import.mapping = Some(mapping);
    options
}

fn mapping_out_of_range() -> AnalysisOptions {
    let mut mapping = ColumnMapping::default();
    mapping.set(Role::Invoice, Some(42));
    let mut options = AnalysisOptions::default();
    options.import.mapping = Some(mapping);
    options
}

fn country(name: &str) -> AnalysisOptions {
    AnalysisOptions {
        country: Some(name.into()),
        ..AnalysisOptions::default()
    }
}

fn country_atlantis() -> AnalysisOptions {
    country("Atlantis")
}

fn country_france_untidy() -> AnalysisOptions {
    country("  france ")
}

fn min_support(value: f64) -> AnalysisOptions {
    AnalysisOptions {
        min_support: value,
        ..AnalysisOptions::default()
    }
}

fn min_support_zero() -> AnalysisOptions {
    min_support(0.0)
}

fn min_support_nan() -> AnalysisOptions {
    min_support(f64::NAN)
}

fn basket_per_line() -> AnalysisOptions {
    let mut options = AnalysisOptions::default();
    options.import.layout = Layout::BasketPerLine;
    options
}

// --- Vérifications particulières ---------------------------------------

fn descriptions(output: &AnalysisOutput) -> Vec<&str> {
    output.clean.table.descriptions.values().collect()
}

fn encoding(output: &AnalysisOutput) -> Option<TextEncoding> {
    match output.report.import.format {
        SourceFormat::Csv { encoding, .. } => Some(encoding),
        _ => None,
    }
}

fn delimiter_is(output: &AnalysisOutput, expected: char) -> Check {
    match output.report.import.format {
        SourceFormat::Csv { delimiter, .. } if delimiter == expected => Ok(()),
        ref other => Err(format!("séparateur {expected:?} attendu, format {other:?}")),
    }
}

fn base_counts(output: &AnalysisOutput) -> Check {
    let report = &output.report;
    ensure!(
        (report.customers, report.invoices, report.countries) == (2, 4, 2),
        "clients, factures, pays : {:?}",
        (report.customers, report.invoices, report.countries)
    );
    Ok(())
}

fn windows_1252(output: &AnalysisOutput) -> Check {
    ensure!(
        encoding(output) == Some(TextEncoding::Windows1252),
        "encodage {:?}",
        output.report.import.format
    );
    let names = descriptions(output);
    ensure!(
        names.contains(&"porte-clé €uro") && names.contains(&"père noël en bois"),
        "désignations mal décodées : {names:?}"
    );
    Ok(())
}

fn lossy_utf8(output: &AnalysisOutput) -> Check {
    ensure!(
        encoding(output) == Some(TextEncoding::Utf8Lossy),
        "encodage {:?}",
        output.report.import.format
    );
    let names = descriptions(output);
    ensure!(
        names.contains(&"théière émaillée") && names.contains(&"sac \u{fffd} main"),
        "accents abîmés ou octet non remplacé : {names:?}"
    );
    Ok(())
}

fn utf8_bom(output: &AnalysisOutput) -> Check {
    ensure!(
        encoding(output) == Some(TextEncoding::Utf8Bom),
        "encodage {:?}",
        output.report.import.format
    );
    ensure!(
        output.report.import.headers[0] == "InvoiceNo",
        "le BOM reste collé au premier en-tête : {:?}",
        output.report.import.headers[0]
    );
    base_counts(output)
}

fn utf16le(output: &AnalysisOutput) -> Check {
    ensure!(
        encoding(output) == Some(TextEncoding::Utf16Le),
        "encodage {:?}",
        output.report.import.format
    );
    base_counts(output)
}

fn customer_day_baskets(output: &AnalysisOutput) -> Check {
    let import = &output.report.import;
    ensure!(
        import.basket_key == panier_core::ingest::roles::BasketKey::CustomerDay,
        "clé de panier {:?}",
        import.basket_key
    );
    ensure!(
        output.report.invoices > 0,
        "aucun panier : {}",
        output.report.invoices
    );
    Ok(())
}

fn crlf(output: &AnalysisOutput) -> Check {
    let countries: Vec<&str> = output.clean.table.countries.values().collect();
    ensure!(
        countries.iter().all(|c| !c.contains('\r')),
        "retour chariot resté dans les pays : {countries:?}"
    );
    ensure!(
        output
            .report
            .import
            .headers
            .iter()
            .all(|h| !h.contains('\r')),
        "retour chariot dans les en-têtes"
    );
    base_counts(output)
}

fn tab(output: &AnalysisOutput) -> Check {
    delimiter_is(output, '\t')?;
    base_counts(output)
}

fn pipe(output: &AnalysisOutput) -> Check {
    delimiter_is(output, '|')?;
    base_counts(output)
}

fn semicolon(output: &AnalysisOutput) -> Check {
    delimiter_is(output, ';')?;
    base_counts(output)
}

fn french_headers(output: &AnalysisOutput) -> Check {
    delimiter_is(output, ';')?;
    let mapping = output.report.import.mapping;
    for (index, role) in Role::ALL.into_iter().enumerate() {
        ensure!(
            mapping.position(role) == Some(index),
            "{role:?} mal reconnu : {mapping:?}"
        );
    }
    let countries: Vec<&str> = output.clean.table.countries.values().collect();
    ensure!(countries.contains(&"Royaume-Uni"), "pays : {countries:?}");
    Ok(())
}

fn xlsx(output: &AnalysisOutput) -> Check {
    ensure!(
        output.report.import.format
            == SourceFormat::Xlsx {
                sheet: "Ventes".into(),
                sheets: vec!["Ventes".into()],
            },
        "format {:?}",
        output.report.import.format
    );
    base_counts(output)
}

fn ten_thousand_columns(output: &AnalysisOutput) -> Check {
    ensure!(
        output.report.import.headers.len() == 10_000,
        "{} en-têtes",
        output.report.import.headers.len()
    );
    ensure!(
        output.report.import.mapping.position(Role::Invoice) == Some(9_992),
        "facture mal placée : {:?}",
        output.report.import.mapping
    );
    base_counts(output)
}

fn one_megabyte_field(output: &AnalysisOutput) -> Check {
    let longest = descriptions(output)
        .iter()
        .map(|d| d.len())
        .max()
        .unwrap_or(0);
    ensure!(longest == 1 << 20, "champ le plus long : {longest} octets");
    Ok(())
}

fn quoted_multiline(output: &AnalysisOutput) -> Check {
    let names = descriptions(output);
    ensure!(
        names.contains(&"white hanging\nheart \"t-light\" holder")
            && names.contains(&"lantern, metal")
            && names.contains(&"bird\r\nornament"),
        "champs entre guillemets mal lus : {names:?}"
    );
    Ok(())
}

fn online_retail_ii(output: &AnalysisOutput) -> Check {
    ensure!(
        output.report.customers == 2,
        "« 17850.0 » et « 17850 » doivent être le même client : {}",
        output.report.customers
    );
    Ok(())
}

fn baskets(output: &AnalysisOutput) -> Check {
    ensure!(
        output.report.import.format == SourceFormat::BasketPerLine,
        "format {:?}",
        output.report.import.format
    );
    ensure!(
        output.report.invoices == 5 && output.report.products == 9,
        "paniers {} / produits {}",
        output.report.invoices,
        output.report.products
    );
    Ok(())
}

fn finite_revenue(output: &AnalysisOutput) -> Check {
    match output.report.revenue {
        Some(revenue) if revenue.is_finite() => Ok(()),
        other => Err(format!("chiffre d'affaires non fini : {other:?}")),
    }
}

fn france_only(output: &AnalysisOutput) -> Check {
    ensure!(
        output.report.country.as_deref() == Some("France"),
        "pays retenu : {:?}",
        output.report.country
    );
    Ok(())
}

fn is_unparseable_dates(warning: &Warning) -> bool {
    matches!(warning, Warning::UnparseableDates(_))
}

fn is_assumed_date_order(warning: &Warning) -> bool {
    matches!(warning, Warning::AssumedDateOrder { .. })
}

/// Avertissements d'un fichier sans quantité, prix, client ni date.
fn without_sales_columns() -> Vec<Warning> {
    vec![
        Warning::Disabled {
            analysis: Analysis::Revenue,
            missing: vec!["Quantity".into(), "UnitPrice".into()],
        },
        Warning::Disabled {
            analysis: Analysis::Rfm,
            missing: vec![
                "CustomerID".into(),
                "InvoiceDate".into(),
                "Quantity".into(),
                "UnitPrice".into(),
            ],
        },
    ]
}

// --- La table des cas ---------------------------------------------------

fn cases() -> Vec<Case> {
    use PanierError as E;
    vec![
        // Vides, blancs, en-tête seul.
        case(
            "empty.csv",
            err(|e| matches!(e, E::EmptyFile), "empty").done(),
        ),
        case(
            "whitespace_only.csv",
            err(|e| matches!(e, E::EmptyFile), "empty").done(),
        ),
        case(
            "bom_only.csv",
            err(|e| matches!(e, E::EmptyFile), "empty").done(),
        ),
        case(
            "header_only.csv",
            err(|e| matches!(e, E::HeaderOnly), "only the header").done(),
        ),
        case(
            "blank_rows_after_header.csv",
            err(|e| matches!(e, E::HeaderOnly), "only the header").done(),
        ),
        case(
            "xlsx_header_only.xlsx",
            err(|e| matches!(e, E::HeaderOnly), "only the header").done(),
        ),
        // Binaires renommés.
        case(
            "png_renamed.csv",
            err(|e| matches!(e, E::NotText { kind } if kind == "PNG"), "PNG").done(),
        ),
        case(
            "pdf_renamed.csv",
            err(|e| matches!(e, E::NotText { kind } if kind == "PDF"), "PDF").done(),
        ),
        case(
            "gzip_renamed.csv",
            err(
                |e| matches!(e, E::NotText { kind } if kind == "GZIP"),
                "GZIP",
            )
            .done(),
        ),
        case(
            "legacy_excel_97.xls",
            err(|e| matches!(e, E::NotText { .. }), "XLS (Excel 97-2003)").done(),
        ),
        case(
            "nul_byte.csv",
            err(|e| matches!(e, E::NotText { .. }), "binary")
                .lacks("binaire")
                .done(),
        ),
        case(
            // Excel « Texte Unicode » sans BOM : reconnu à ses octets nuls.
            "utf16le_no_bom.csv",
            ok(5).base().warnings(vec![]).extra(utf16le).done(),
        ),
        case(
            "utf16le_bom.csv",
            ok(5).base().warnings(vec![]).extra(utf16le).done(),
        ),
        case(
            "html_error_page.csv",
            err(|e| matches!(e, E::NotText { .. }), "HTML")
                .lacks("Rename")
                .done(),
        ),
        // Archives ZIP : classeurs abîmés ou qui n'en sont pas.
        case(
            "tiny_valid.xlsx",
            ok(5).base().warnings(vec![]).extra(xlsx).done(),
        ),
        case(
            "truncated.xlsx",
            err(
                |e| matches!(e, E::UnreadableSpreadsheet { .. }),
                "truncated or corrupted",
            )
            .done(),
        ),
        case(
            "zip_signature_garbage.xlsx",
            err(
                |e| matches!(e, E::UnreadableSpreadsheet { .. }),
                "cannot be read",
            )
            .done(),
        ),
        case(
            "absurd_cell_reference.xlsx",
            err(
                |e| matches!(e, E::UnreadableSpreadsheet { detail } if detail.contains("XFD")),
                "cannot be read",
            )
            .done(),
        ),
        case(
            "empty_sheets.xlsx",
            err(|e| matches!(e, E::EmptyWorkbook), "No sheet").done(),
        ),
        case(
            "word_document.docx",
            err(|_| true, "Word").lacks("truncated or corrupted").done(),
        ),
        // CSV mal formés.
        case(
            "unclosed_quote.csv",
            err(|e| matches!(e, E::MalformedCsv { line: 3, .. }), "line 3")
                .and("unclosed quote")
                .done(),
        ),
        case(
            "ragged_rows.csv",
            ok(5)
                .base()
                .warnings(vec![Warning::RaggedRows(2)])
                .extra(base_counts)
                .done(),
        ),
        case(
            "mixed_delimiters.csv",
            ok(3)
                .revenue(Some(15.30 + 20.34 + 11.10))
                .dates("2010-12-01 08:26:00", "2010-12-01 08:28:00")
                .warnings_include(vec![Warning::UnparseableRows {
                    rows: 2,
                    cause: NumberCause::Empty,
                    examples: vec![],
                }, Warning::RaggedRows(2)])
                .done(),
        ),
        case(
            "mixed_delimiters.csv",
            ok(3).warnings_exclude(is_unparseable_dates).done(),
        ),
        case(
            "invalid_utf8_mid.csv",
            ok(5)
                .base()
                .warnings(vec![Warning::ReplacedBytes(1)])
                .extra(lossy_utf8)
                .done(),
        ),
        case(
            "all_rows_invalid.csv",
            err(
                |e| matches!(e, E::UnreadableNumbers { rows_read: 5, cause: NumberCause::Text, examples } if examples == &["abc"]),
                "None of the 5 rows",
            )
            .done(),
        ),
        case(
            "all_rows_invalid.csv",
            err(|e| matches!(e, E::UnreadableNumbers { .. }), "readable").done(),
        ),
        case(
            "garbage_dates.csv",
            ok(5)
                .revenue(Some(BASE_REVENUE))
                .no_dates()
                .warnings_include(vec![Warning::UnparseableDates(5)])
                .done(),
        ),
        case(
            "garbage_dates.csv",
            ok(5).warnings_exclude(is_assumed_date_order).done(),
        ),
        case(
            "nan_inf_numbers.csv",
            ok(2)
                .revenue(Some(15.30 + 20.34))
                .dates("2010-12-01 08:26:00", "2010-12-01 08:26:00")
                .warnings(vec![Warning::UnparseableRows {
                    rows: 4,
                    cause: NumberCause::Text,
                    examples: vec!["NaN".into(), "inf".into(), "-inf".into()],
                }])
                .done(),
        ),
        case(
            "overflowing_amounts.csv",
            ok_any().extra(finite_revenue).done(),
        ),
        case(
            "ten_thousand_columns.csv",
            ok(5)
                .base()
                .warnings(vec![])
                .extra(ten_thousand_columns)
                .done(),
        ),
        case(
            "long_headers_200_chars.csv",
            err(
                |e| matches!(e, E::MissingColumns { found, .. } if found.len() == 8),
                "interminab…",
            )
            .done(),
        ),
        case(
            "one_megabyte_field.csv",
            ok(5)
                .base()
                .warnings(vec![])
                .extra(one_megabyte_field)
                .done(),
        ),
        case(
            "quoted_multiline_fields.csv",
            ok(5).base().warnings(vec![]).extra(quoted_multiline).done(),
        ),
        case(
            "single_column.csv",
            ok(3)
                .revenue(None)
                .no_dates()
                .warnings_include(without_sales_columns())
                .done(),
        ),
        case(
            // Sans facture mais avec client et date : un panier par client
            // et par jour, et le rapport le dit.
            "no_invoice_column.csv",
            ok(5)
                .warnings_include(vec![Warning::BasketsPerCustomerDay])
                .extra(customer_day_baskets)
                .done(),
        ),
        case(
            "duplicate_headers.csv",
            ok(5).base().warnings(vec![]).done(),
        ),
        // Valides mais inhabituels.
        case(
            "semicolon_decimal_comma.csv",
            ok(5)
                .revenue(Some(BASE_REVENUE))
                .dates("2010-12-01 08:26:00", "2010-12-13 12:50:00")
                .warnings(vec![])
                .extra(semicolon)
                .done(),
        ),
        case(
            "tab_decimal_comma.tsv",
            ok(5).revenue(Some(BASE_REVENUE)).done(),
        ),
        case(
            "windows1252_euro.csv",
            ok(5).base().warnings(vec![]).extra(windows_1252).done(),
        ),
        case(
            "utf8_bom_header.csv",
            ok(5).base().warnings(vec![]).extra(utf8_bom).done(),
        ),
        case(
            "crlf_line_endings.csv",
            ok(5).base().warnings(vec![]).extra(crlf).done(),
        ),
        case(
            "tab_separated.tsv",
            ok(5).base().warnings(vec![]).extra(tab).done(),
        ),
        case(
            "pipe_separated.csv",
            ok(5).base().warnings(vec![]).extra(pipe).done(),
        ),
        case(
            "french_headers.csv",
            ok(5)
                .revenue(Some(BASE_REVENUE))
                .dates("2010-12-01 08:26:00", "2010-12-13 12:50:00")
                .warnings(vec![])
                .extra(french_headers)
                .done(),
        ),
        case(
            "online_retail_ii_headers.csv",
            ok(5).base().warnings(vec![]).extra(online_retail_ii).done(),
        ),
        case(
            "excel_serial_dates.csv",
            ok(5).base().warnings(vec![]).done(),
        ),
        case(
            "dates_month_first.csv",
            ok(5)
                .revenue(Some(BASE_REVENUE))
                .dates("2010-12-01 08:26:00", "2011-01-05 17:45:00")
                .warnings(vec![])
                .done(),
        ),
        case(
            "dates_day_first.csv",
            ok(5)
                .revenue(Some(BASE_REVENUE))
                .dates("2010-12-01 08:26:00", "2011-01-05 17:45:00")
                .warnings(vec![])
                .done(),
        ),
        case(
            "dates_ambiguous_slash.csv",
            ok(5)
                .revenue(Some(BASE_REVENUE))
                .dates("2011-01-02 10:00:00", "2011-07-08 13:00:00")
                .warnings(vec![Warning::AssumedDateOrder {
                    order: panier_core::ingest::dates::DateOrder::MonthFirst,
                    example: "01/02/2011 10:00".into(),
                }])
                .done(),
        ),
        case(
            "basket_per_line.csv",
            ok(11)
                .revenue(None)
                .no_dates()
                .warnings_include(without_sales_columns())
                .extra(baskets)
                .done(),
        ),
        // Aucune vente valide.
        case(
            "all_cancellations.csv",
            err(
                |e| matches!(e, E::NoValidRows { rows_read: 5 }),
                "cancellations",
            )
            .done(),
        ),
        case(
            "negative_prices_only.csv",
            err(
                |e| matches!(e, E::NoValidRows { rows_read: 5 }),
                "price ≤ 0",
            )
            .done(),
        ),
        case(
            "missing_customers_only.csv",
            err(
                |e| matches!(e, E::NoValidRows { rows_read: 5 }),
                "missing customer",
            )
            .done(),
        ),
        // Options.
        case(
            "role_mapped_twice.csv",
            err(
                |e| {
                    matches!(e, E::DuplicateMapping { column, roles }
                        if column == "Quantity" && roles.len() == 2)
                },
                "\"Quantity\" is mapped to several roles",
            )
            .done(),
        )
        .with(role_mapped_twice),
        case(
            "mapping_out_of_range.csv",
            err(|e| matches!(e, E::MappingOutOfRange { .. }), "InvoiceNo").done(),
        )
        .with(mapping_out_of_range),
        case(
            "mapping_out_of_range.csv",
            err(|e| matches!(e, E::MappingOutOfRange { .. }), "InvoiceNo")
                .lacks("colonne")
                .done(),
        )
        .with(mapping_out_of_range),
        case(
            "country_absent.csv",
            err(
                |e| matches!(e, E::UnknownCountry { available, .. } if available.len() == 2),
                "\"France\", \"United Kingdom\"",
            )
            .done(),
        )
        .with(country_atlantis),
        case(
            "country_absent.csv",
            ok(1)
                .revenue(Some(25.50))
                .dates("2010-12-09 12:50:00", "2010-12-09 12:50:00")
                .extra(france_only)
                .done(),
        )
        .with(country_france_untidy),
        case(
            "country_filter_without_country_column.csv",
            err(|e| matches!(e, E::UnknownCountry { .. }), "Country")
                .lacks("—")
                .done(),
        )
        .with(country_atlantis)
        .known_issue(
            "filtre de pays sur un fichier sans colonne Country : « The country \"Atlantis\" \
             does not appear in the data. Countries present: —. » au lieu de dire que le \
             fichier n'a pas de colonne pays",
        ),
        case(
            "min_support_zero.csv",
            err(
                |e| matches!(e, E::InvalidParameter { name, .. } if name == "min_support"),
                "min_support",
            )
            .done(),
        )
        .with(min_support_zero),
        case(
            "min_support_zero.csv",
            err(|e| matches!(e, E::InvalidParameter { .. }), "NaN").done(),
        )
        .with(min_support_nan),
        case(
            "min_support_zero.csv",
            err(|e| matches!(e, E::InvalidParameter { .. }), "min_support")
                .lacks("(ex.")
                .done(),
        )
        .with(min_support_zero),
        case(
            "header_only.csv",
            ok(8).revenue(None).extra(baskets_from_header).done(),
        )
        .with(basket_per_line),
    ]
}

/// `header_only.csv` lu de force comme une liste de paniers : l'en-tête
/// devient un panier de huit articles (c'est ce qu'on a demandé).
fn baskets_from_header(output: &AnalysisOutput) -> Check {
    ensure!(
        output.report.import.format == SourceFormat::BasketPerLine && output.report.invoices == 1,
        "format {:?}, {} paniers",
        output.report.import.format,
        output.report.invoices
    );
    Ok(())
}

// --- Vérification d'un cas ---------------------------------------------

/// Marques d'un conseil (« quoi faire ») dans un message, en minuscules.
const REMEDY_EN: &[&str] = &[
    "check",
    "choose",
    "export",
    "rename",
    "map ",
    "pick",
    "open ",
    "try again",
    "save",
    "expected",
    "change",
    "clear",
    "remove",
    "leave",
    "use ",
    "select",
];
const REMEDY_FR: &[&str] = &[
    "vérifiez",
    "choisissez",
    "exportez",
    "renommez",
    "indiquez",
    "ouvrez",
    "réessayez",
    "réenregistrez",
    "attendu",
    "changez",
    "retirez",
    "laissez",
    "utilisez",
    "videz",
    "sélectionnez",
    "enregistrez",
];

/// Ce que tout message d'erreur doit respecter, quel que soit le cas.
fn check_messages(error: &PanierError) -> Check {
    let fr = error.message(Lang::Fr);
    let en = error.message(Lang::En);
    ensure!(
        !fr.trim().is_empty() && !en.trim().is_empty(),
        "message vide"
    );
    ensure!(fr != en, "même message en français et en anglais : {en}");
    ensure!(
        fr.chars().count() > 40 && en.chars().count() > 40,
        "message trop court : {fr} / {en}"
    );
    let says_what_to_do = |message: &str, markers: &[&str]| {
        let lower = message.to_lowercase();
        markers.iter().any(|marker| lower.contains(marker))
    };
    ensure!(
        says_what_to_do(&en, REMEDY_EN),
        "le message anglais ne dit pas quoi faire : {en}"
    );
    ensure!(
        says_what_to_do(&fr, REMEDY_FR),
        "le message français ne dit pas quoi faire : {fr}"
    );
    Ok(())
}

fn check_success(output: &AnalysisOutput, expected: &Success) -> Check {
    let report = &output.report;
    if let Some(rows) = expected.rows {
        ensure!(
            report.rows == rows,
            "{} lignes au lieu de {rows}",
            report.rows
        );
    }
    if let Some(revenue) = expected.revenue {
        let same = match (report.revenue, revenue) {
            (Some(got), Some(want)) => (got - want).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        ensure!(
            same,
            "chiffre d'affaires {:?} au lieu de {revenue:?}",
            report.revenue
        );
    }
    if let Some((min, max)) = expected.dates {
        let got = (report.date_min.as_deref(), report.date_max.as_deref());
        ensure!(
            got == (min, max),
            "dates {got:?} au lieu de {:?}",
            (min, max)
        );
    }
    match &expected.warnings {
        None => {}
        Some(Warnings::Exactly(warnings)) => ensure!(
            &report.warnings == warnings,
            "avertissements {:?} au lieu de {warnings:?}",
            report.warnings
        ),
        Some(Warnings::Include(warnings)) => {
            for warning in warnings {
                ensure!(
                    report.warnings.contains(warning),
                    "avertissement {warning:?} absent de {:?}",
                    report.warnings
                );
            }
        }
        Some(Warnings::Exclude(unwanted)) => {
            let found: Vec<&Warning> = report.warnings.iter().filter(|w| unwanted(w)).collect();
            ensure!(found.is_empty(), "avertissement indésirable : {found:?}");
        }
    }
    if let Some(extra) = expected.extra {
        extra(output)?;
    }
    // Tout avertissement a, lui aussi, un message dans les deux langues.
    for warning in &report.warnings {
        let (fr, en) = (warning.message(Lang::Fr), warning.message(Lang::En));
        ensure!(
            !fr.is_empty() && !en.is_empty() && fr != en,
            "avertissement {warning:?} mal traduit"
        );
    }
    Ok(())
}

fn check_failure(error: &PanierError, expected: &Failure) -> Check {
    ensure!((expected.variant)(error), "erreur inattendue : {error:?}");
    let en = error.message(Lang::En);
    for needle in &expected.en_contains {
        ensure!(en.contains(needle), "« {needle} » absent du message : {en}");
    }
    for needle in &expected.en_lacks {
        ensure!(!en.contains(needle), "« {needle} » présent dans : {en}");
    }
    check_messages(error)
}

/// Lance un cas ; `Err` si la fonction panique ou si le résultat déçoit.
fn run(case: &Case) -> Check {
    let bytes = std::fs::read(corpus_dir().join(case.file))
        .map_err(|error| format!("fichier illisible : {error}"))?;
    let options = (case.options)();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        analyze(&bytes, &options, &mut NoProgress)
    }))
    .map_err(|_| "PANIQUE dans analyze".to_string())?;
    match (&case.expect, &outcome) {
        (Expect::Ok(expected), Ok(output)) => check_success(output, expected),
        (Expect::Err(expected), Err(error)) => check_failure(error, expected),
        (Expect::Ok(_), Err(error)) => Err(format!(
            "erreur au lieu d'un succès : {error:?} — {}",
            error.message(Lang::En)
        )),
        (Expect::Err(_), Ok(output)) => Err(format!(
            "succès au lieu d'une erreur : {} lignes, avertissements {:?}",
            output.report.rows, output.report.warnings
        )),
    }
}

#[test]
fn every_corpus_case_behaves_as_expected() {
    let mut failures = Vec::new();
    let mut still_known = Vec::new();
    for case in cases() {
        match (run(&case), case.known_issue) {
            (Ok(()), None) => {}
            (Err(why), None) => failures.push(format!("{} : {why}", case.file)),
            (Err(why), Some(issue)) => {
                still_known.push(format!("{} : {issue}\n      ({why})", case.file))
            }
            (Ok(()), Some(issue)) => failures.push(format!(
                "{} : le défaut connu semble corrigé ({issue}) ; retirez `known_issue` du cas",
                case.file
            )),
        }
    }
    if !still_known.is_empty() {
        eprintln!(
            "{} défauts connus du cœur, encore présents :\n  {}",
            still_known.len(),
            still_known.join("\n  ")
        );
    }
    assert!(
        failures.is_empty(),
        "{} cas en échec :\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn every_corpus_file_has_a_case() {
    let mut files = BTreeSet::new();
    for entry in std::fs::read_dir(corpus_dir()).expect("tests/corpus lisible") {
        let entry = entry.expect("entrée de tests/corpus");
        if entry.file_type().expect("type de fichier").is_file() {
            files.insert(entry.file_name().to_string_lossy().into_owned());
        }
    }
    assert!(
        files.len() >= MIN_FILES,
        "le corpus n'a que {} fichiers (au moins {MIN_FILES} attendus)",
        files.len()
    );
    let covered: BTreeSet<String> = cases().iter().map(|c| c.file.to_string()).collect();
    let uncovered: Vec<&String> = files.difference(&covered).collect();
    assert!(
        uncovered.is_empty(),
        "fichiers du corpus sans cas : {uncovered:?}"
    );
    let missing: Vec<&String> = covered.difference(&files).collect();
    assert!(missing.is_empty(), "cas sans fichier : {missing:?}");
}

/// Chaque fichier, lu de toutes les façons (aperçu, détection, un panier par
/// ligne imposé) : jamais de panique, et toute erreur a un message correct.
#[test]
fn every_corpus_file_is_handled_in_every_layout_without_panic() {
    let mut failures = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus lisible")
        .map(|entry| entry.expect("entrée").path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let bytes = std::fs::read(&path).expect("fichier du corpus lisible");
        for (label, options) in [
            ("détection", AnalysisOptions::default()),
            ("un panier par ligne", basket_per_line()),
        ] {
            let errors: Vec<PanierError> = match catch_unwind(AssertUnwindSafe(|| {
                let analyzed = analyze(&bytes, &options, &mut NoProgress).err();
                let inspected = inspect(&bytes, &options.import).err();
                [analyzed, inspected]
            })) {
                Ok(errors) => errors.into_iter().flatten().collect(),
                Err(_) => {
                    failures.push(format!("{name} ({label}) : PANIQUE"));
                    continue;
                }
            };
            for error in errors {
                let fr = error.message(Lang::Fr);
                let en = error.message(Lang::En);
                if fr.chars().count() <= 40 || en.chars().count() <= 40 || fr == en {
                    failures.push(format!("{name} ({label}) : message pauvre {en}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
