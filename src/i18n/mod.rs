//! Textes de l'interface en français et en anglais.
//!
//! Une structure par langue plutôt qu'une table de clés : le compilateur
//! vérifie que chaque texte existe dans les deux langues. La langue suit la
//! préférence du navigateur (français s'il le préfère, anglais sinon) ; le
//! choix de l'utilisateur est mémorisé dans `localStorage`.

pub mod clv;
pub mod overview;
pub mod privacy;
pub mod recommendations;
pub mod segmentation;

use panier_core::progress::Stage;
use panier_core::Lang;

/// Clé de mémorisation du choix de langue.
const STORAGE_KEY: &str = "panier.lang";

/// Tous les textes fixes de l'interface, pour une langue.
pub struct Texts {
    pub tagline: &'static str,
    pub nav_label: &'static str,
    pub nav_import: &'static str,
    pub nav_overview: &'static str,
    pub nav_segmentation: &'static str,
    pub nav_recommendations: &'static str,
    pub nav_privacy: &'static str,
    pub language_label: &'static str,
    pub import_title: &'static str,
    pub import_intro: &'static str,
    pub drop_here: &'static str,
    pub drop_hint: &'static str,
    pub busy_refused: &'static str,
    pub choose_file: &'static str,
    pub or: &'static str,
    pub try_demo: &'static str,
    pub demo_hint: &'static str,
    pub privacy_note: &'static str,
    pub working: &'static str,
    pub error_title: &'static str,
    pub worker_title: &'static str,
    pub worker_sandboxed: &'static str,
    pub worker_load_failed: &'static str,
    pub worker_outdated: &'static str,
    pub retry: &'static str,
    pub overview_title: &'static str,
    pub no_data: &'static str,
    pub go_import: &'static str,
    pub source_label: &'static str,
    pub kpi_rows_read: &'static str,
    pub kpi_rows_clean: &'static str,
    pub kpi_customers: &'static str,
    pub kpi_invoices: &'static str,
    pub kpi_revenue: &'static str,
    pub kpi_products: &'static str,
    pub kpi_countries: &'static str,
    pub cleaning_title: &'static str,
    pub rows_unit: &'static str,
    pub row_unit: &'static str,
    pub rows_left: &'static str,
    /// Une étape du nettoyage qui n'a rien retiré.
    pub nothing_removed: &'static str,
    pub timings_label: &'static str,
    pub method_title: &'static str,
    pub save_png: &'static str,
    pub save_svg: &'static str,
    pub chip_title: &'static str,
    pub chip_country: &'static str,
    pub chip_period: &'static str,
    pub chip_segment: &'static str,
    pub chip_basket_period: &'static str,
    pub chip_remove: &'static str,
    pub chip_clear: &'static str,
    pub timings_intro: &'static str,
    pub segmentation_title: &'static str,
    pub recommendations_title: &'static str,
    pub footer: &'static str,
    pub skip_to_content: &'static str,
    pub settings_title: &'static str,
    pub settings_intro: &'static str,
    pub export_settings: &'static str,
    pub import_settings: &'static str,
    pub remember_settings: &'static str,
    pub settings_applied: &'static str,
    pub theme_label: &'static str,
    pub options_title: &'static str,
    pub encoding_label: &'static str,
    pub delimiter_label: &'static str,
    pub date_order_label: &'static str,
    /// Séparateur décimal : libellé et choix.
    pub decimal_label: &'static str,
    pub decimal_dot: &'static str,
    pub decimal_comma: &'static str,
    pub layout_label: &'static str,
    pub auto: &'static str,
    pub day_first: &'static str,
    pub month_first: &'static str,
    pub layout_transactions: &'static str,
    pub layout_baskets: &'static str,
    pub tab: &'static str,
    /// Séparateur « blancs » (suites d'espaces).
    pub spaces: &'static str,
    pub drop_duplicates: &'static str,
    /// Case « retirer les dates invraisemblables ».
    pub drop_implausible_dates: &'static str,
    pub exclude_service: &'static str,
    pub reanalyze: &'static str,
    pub mapping_title: &'static str,
    pub mapping_intro: &'static str,
    pub required: &'static str,
    pub optional: &'static str,
    pub no_column: &'static str,
    pub sheet_label: &'static str,
    pub preview_title: &'static str,
    pub format_label: &'static str,
    pub warnings_title: &'static str,
    pub no_warnings: &'static str,
    pub period_label: &'static str,
    pub export_cleaned: &'static str,
    pub export_workbook: &'static str,
    pub print: &'static str,
    pub kpi_stock_codes: &'static str,
}

const FR: Texts = Texts {
    tagline: "Analyse client dans votre navigateur",
    nav_label: "Navigation principale",
    nav_import: "Import",
    nav_overview: "Vue d'ensemble",
    nav_segmentation: "Segmentation RFM",
    nav_recommendations: "Recommandations",
    nav_privacy: "Confidentialité",
    language_label: "Langue",
    import_title: "Importer des transactions",
    import_intro:
        "Déposez un export de ventes (CSV ou Excel, par exemple le fichier «\u{a0}Online Retail\u{a0}»)\u{a0}: \
                   Panier le nettoie, segmente vos clients et trouve ce qui s'achète ensemble.",
    drop_here: "Déposez votre fichier ici",
    drop_hint: "CSV (virgule, point-virgule, tabulation, barre verticale) ou classeur Excel .xlsx",
    busy_refused: "n'a pas été ouvert\u{a0}: une analyse est déjà en cours. Déposez-le à nouveau \
                   quand elle sera terminée.",
    choose_file: "Choisir un fichier",
    or: "ou",
    try_demo: "Essayer avec des données de démonstration",
    demo_hint: "3\u{202f}000 clients fictifs sur un an, générés dans votre navigateur.",
    privacy_note: "Vos données ne quittent jamais cet appareil\u{a0}: tout le calcul se fait ici, \
                   sans serveur.",
    working: "Analyse en cours…",
    error_title: "Impossible d'analyser ce fichier",
    worker_title: "Le moteur d'analyse n'est pas disponible",
    worker_sandboxed: "Panier est affiché dans un cadre (iframe) qui lui interdit de calculer en \
                       arrière-plan. Le site qui l'intègre doit ajouter la permission \
                       « allow-same-origin » à l'attribut sandbox de l'iframe (avec \
                       « allow-scripts » et « allow-downloads »), ou ouvrir Panier dans un \
                       onglet.",
    worker_load_failed: "Le moteur d'analyse ne s'est pas chargé (connexion coupée pendant le \
                         chargement de la page\u{a0}?). Vos fichiers restent sur cet appareil\u{a0}: \
                         réessayez quand la connexion au site est rétablie.",
    worker_outdated: "Une nouvelle version de Panier a été publiée pendant que cette page était \
                      ouverte. Rechargez la page pour l'utiliser.",
    retry: "Réessayer",
    overview_title: "Vue d'ensemble",
    no_data: "Aucune donnée pour l'instant.",
    go_import: "Importer un fichier ou essayer la démo",
    source_label: "Source\u{a0}:",
    kpi_rows_read: "Lignes lues",
    kpi_rows_clean: "Lignes retenues",
    kpi_customers: "Clients",
    kpi_invoices: "Commandes",
    kpi_revenue: "Chiffre d'affaires",
    kpi_products: "Produits",
    kpi_countries: "Pays",
    cleaning_title: "Nettoyage",
    rows_unit: "lignes",
    row_unit: "ligne",
    rows_left: "reste",
    nothing_removed: "rien à retirer",
    timings_label: "Durées\u{a0}:",
    method_title: "Méthode",
    save_png: "Enregistrer l'image (PNG)",
    save_svg: "… en vectoriel (SVG)",
    chip_title: "Filtres actifs\u{a0}:",
    chip_country: "Pays\u{a0}:",
    chip_period: "Période\u{a0}:",
    chip_segment: "Paniers du segment",
    chip_basket_period: "Paniers",
    chip_remove: "Retirer ce filtre",
    chip_clear: "Tout effacer",
    timings_intro: "Chaque étape est calculée dans votre navigateur, sur votre appareil\u{a0}; le nettoyage suit pas à pas la référence Python (pandas), ligne pour ligne.",
    segmentation_title: "Segmentation RFM",
    recommendations_title: "Recommandations",
    footer: "Panier — aucune donnée ne quitte votre appareil.",
    skip_to_content: "Aller au contenu",
    settings_title: "Réglages de l'analyse",
    settings_intro: "Enregistrez vos réglages (import, nettoyage, filtre, segmentation et noms des \
                     segments, paniers) dans un fichier settings.yaml\u{a0}: pour les retrouver, les \
                     partager avec votre équipe, ou refaire la même analyse en ligne de commande \
                     (panier analyze … --config settings.yaml). Le fichier ne contient aucune donnée.",
    export_settings: "Exporter les réglages",
    import_settings: "Importer des réglages",
    remember_settings: "Se souvenir de mes réglages sur cet appareil",
    settings_applied: "Réglages appliqués.",
    theme_label: "Thème",
    options_title: "Options d'import",
    encoding_label: "Encodage",
    delimiter_label: "Séparateur",
    date_order_label: "Ordre des dates",
    decimal_label: "Séparateur décimal",
    decimal_dot: "Point (1,234.50)",
    decimal_comma: "Virgule (1 234,50)",
    layout_label: "Disposition",
    auto: "Automatique",
    day_first: "Jour d'abord (31/12)",
    month_first: "Mois d'abord (12/31)",
    layout_transactions: "Une ligne par article vendu",
    layout_baskets: "Un panier par ligne",
    tab: "Tabulation",
    spaces: "Espaces (colonnes alignées)",
    drop_duplicates: "Retirer les doublons exacts",
    drop_implausible_dates: "Retirer les dates invraisemblables (avant 1990, ou plus d'un an après aujourd'hui)",
    exclude_service: "Garder les lignes de service (frais de port…) hors des paniers",
    reanalyze: "Réanalyser avec ces réglages",
    mapping_title: "Colonnes",
    mapping_intro: "Indiquez quelle colonne tient chaque rôle. Il faut de quoi former les paniers : le numéro de facture, ou à défaut le client et la date (un panier par client et par jour). Une colonne peut servir plusieurs rôles de texte ; une colonne absente désactive seulement ce qui en a besoin. Sans prix unitaire, un montant de ligne suffit.",
    required: "obligatoire (ou client + date)",
    optional: "facultatif",
    no_column: "— aucune —",
    sheet_label: "Feuille",
    preview_title: "Aperçu des premières lignes",
    format_label: "Format",
    warnings_title: "À vérifier",
    no_warnings: "Rien à signaler.",
    period_label: "Période",
    export_cleaned: "Exporter les données nettoyées (CSV)",
    export_workbook: "Télécharger le classeur Excel (tous les résultats)",
    print: "Imprimer ou enregistrer en PDF",
    kpi_stock_codes: "Codes article",
};

const EN: Texts = Texts {
    tagline: "Customer analytics in your browser",
    nav_label: "Main navigation",
    nav_import: "Import",
    nav_overview: "Overview",
    nav_segmentation: "RFM segmentation",
    nav_recommendations: "Recommendations",
    nav_privacy: "Privacy",
    language_label: "Language",
    import_title: "Import transactions",
    import_intro: "Drop a sales export (CSV or Excel, for example the \"Online Retail\" file): Panier \
                   cleans it, segments your customers and finds what sells together.",
    drop_here: "Drop your file here",
    drop_hint: "CSV (comma, semicolon, tab, pipe) or Excel .xlsx workbook",
    busy_refused: "was not opened: an analysis is already running. Drop it again when it has \
                   finished.",
    choose_file: "Choose a file",
    or: "or",
    try_demo: "Try with demo data",
    demo_hint: "3,000 fictitious customers over one year, generated in your browser.",
    privacy_note: "Your data never leaves this device: all computing happens here, with no \
                   server.",
    working: "Analysing…",
    error_title: "This file could not be analysed",
    worker_title: "The analysis engine is not available",
    worker_sandboxed: "Panier is shown in a frame (iframe) that forbids it to compute in the \
                       background. The embedding site must add the \"allow-same-origin\" \
                       permission to the iframe's sandbox attribute (with \"allow-scripts\" and \
                       \"allow-downloads\"), or open Panier in a tab.",
    worker_load_failed: "The analysis engine did not load (was the connection lost while the \
                         page was loading?). Your files stay on this device: try again once the \
                         site can be reached.",
    worker_outdated: "A new version of Panier was published while this page was open. Reload \
                      the page to use it.",
    retry: "Try again",
    overview_title: "Overview",
    no_data: "No data yet.",
    go_import: "Import a file or try the demo",
    source_label: "Source:",
    kpi_rows_read: "Rows read",
    kpi_rows_clean: "Rows kept",
    kpi_customers: "Customers",
    kpi_invoices: "Orders",
    kpi_revenue: "Revenue",
    kpi_products: "Products",
    kpi_countries: "Countries",
    cleaning_title: "Cleaning",
    rows_unit: "rows",
    row_unit: "row",
    rows_left: "left",
    nothing_removed: "nothing to remove",
    timings_label: "Timings:",
    method_title: "Method",
    save_png: "Save image (PNG)",
    save_svg: "… as vector (SVG)",
    chip_title: "Active filters:",
    chip_country: "Country:",
    chip_period: "Period:",
    chip_segment: "Baskets of segment",
    chip_basket_period: "Baskets",
    chip_remove: "Remove this filter",
    chip_clear: "Clear all",
    timings_intro: "Every step runs in your browser, on your device; the cleaning follows the Python reference (pandas) step by step, row for row.",
    segmentation_title: "RFM segmentation",
    recommendations_title: "Recommendations",
    footer: "Panier — no data leaves your device.",
    skip_to_content: "Skip to content",
    settings_title: "Analysis settings",
    settings_intro: "Save your settings (import, cleaning, filter, segmentation and segment names, \
                     baskets) in a settings.yaml file: to find them again, share them with your \
                     team, or run the same analysis from the command line (panier analyze … \
                     --config settings.yaml). The file holds none of your data.",
    export_settings: "Export settings",
    import_settings: "Import settings",
    remember_settings: "Remember my settings on this device",
    settings_applied: "Settings applied.",
    theme_label: "Theme",
    options_title: "Import options",
    encoding_label: "Encoding",
    delimiter_label: "Delimiter",
    date_order_label: "Date order",
    decimal_label: "Decimal separator",
    decimal_dot: "Dot (1,234.50)",
    decimal_comma: "Comma (1 234,50)",
    layout_label: "Layout",
    auto: "Automatic",
    day_first: "Day first (31/12)",
    month_first: "Month first (12/31)",
    layout_transactions: "One row per item sold",
    layout_baskets: "One basket per line",
    tab: "Tab",
    spaces: "Spaces (aligned columns)",
    drop_duplicates: "Drop exact duplicates",
    drop_implausible_dates: "Drop implausible dates (before 1990, or more than a year from today)",
    exclude_service: "Keep service lines (postage…) out of baskets",
    reanalyze: "Re-analyse with these settings",
    mapping_title: "Columns",
    mapping_intro: "Tell which column holds each role. Baskets need the invoice number or, failing that, the customer and the date (one basket per customer per day). A column can serve several text roles; a missing column only turns off what needs it. Without a unit price, a line amount will do.",
    required: "required (or customer + date)",
    optional: "optional",
    no_column: "— none —",
    sheet_label: "Sheet",
    preview_title: "Preview of the first rows",
    format_label: "Format",
    warnings_title: "Worth checking",
    no_warnings: "Nothing to report.",
    period_label: "Period",
    export_cleaned: "Export cleaned data (CSV)",
    export_workbook: "Download the Excel workbook (all results)",
    print: "Print or save as PDF",
    kpi_stock_codes: "Stock codes",
};

/// Les textes d'une langue.
pub fn texts(lang: Lang) -> &'static Texts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// Nom d'une étape du pipeline, pour la barre de progression.
pub fn stage_label(lang: Lang, stage: Stage) -> &'static str {
    match (lang, stage) {
        (Lang::Fr, Stage::Generate) => "Génération de la démo",
        (Lang::Fr, Stage::Read) => "Lecture du fichier",
        (Lang::Fr, Stage::Inspect) => "Aperçu",
        (Lang::Fr, Stage::Parse) => "Analyse des lignes",
        (Lang::Fr, Stage::Join) => "Jonction des deux moitiés",
        (Lang::Fr, Stage::Clean) => "Nettoyage",
        (Lang::Fr, Stage::Summarize) => "Synthèse",
        (Lang::Fr, Stage::Rfm) => "Segmentation RFM",
        (Lang::Fr, Stage::Baskets) => "Paniers",
        (Lang::Fr, Stage::Recommend) => "Recommandations",
        (Lang::Fr, Stage::Overview) => "Vue d'ensemble",
        (Lang::Fr, Stage::Export) => "Export",
        (Lang::En, Stage::Generate) => "Generating demo data",
        (Lang::En, Stage::Read) => "Reading the file",
        (Lang::En, Stage::Inspect) => "Preview",
        (Lang::En, Stage::Parse) => "Parsing rows",
        (Lang::En, Stage::Join) => "Joining both halves",
        (Lang::En, Stage::Clean) => "Cleaning",
        (Lang::En, Stage::Summarize) => "Summarising",
        (Lang::En, Stage::Rfm) => "RFM segmentation",
        (Lang::En, Stage::Baskets) => "Baskets",
        (Lang::En, Stage::Recommend) => "Recommendations",
        (Lang::En, Stage::Overview) => "Overview",
        (Lang::En, Stage::Export) => "Export",
    }
}

/// Langue initiale : le choix mémorisé, sinon la préférence du navigateur
/// (français s'il le préfère, anglais sinon).
pub fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::Fr;
    };
    if let Some(stored) = crate::page::stored(STORAGE_KEY).and_then(|code| Lang::from_code(&code)) {
        return stored;
    }
    let preferred = window.navigator().language().unwrap_or_default();
    match Lang::from_code(&preferred) {
        Some(Lang::Fr) => Lang::Fr,
        _ => Lang::En,
    }
}

/// Applique la langue au document (`<html lang>`).
pub fn apply_lang(lang: Lang) {
    if let Some(root) = crate::page::root() {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// Mémorise le choix de langue que l'utilisateur vient de faire. Rien n'est
/// écrit sans ce geste : après « Tout oublier » (page Confidentialité), le
/// rechargement ne remet rien sur l'appareil.
pub fn remember_lang(lang: Lang) {
    crate::page::store(STORAGE_KEY, lang.code());
}

/// Nom d'un rôle de colonne dans l'étape de correspondance.
pub fn role_label(lang: Lang, role: panier_core::ingest::roles::Role) -> &'static str {
    use panier_core::ingest::roles::Role;
    match (lang, role) {
        (Lang::Fr, Role::Invoice) => "Numéro de facture",
        (Lang::Fr, Role::StockCode) => "Code article",
        (Lang::Fr, Role::Description) => "Désignation",
        (Lang::Fr, Role::Quantity) => "Quantité",
        (Lang::Fr, Role::InvoiceDate) => "Date",
        (Lang::Fr, Role::UnitPrice) => "Prix unitaire",
        (Lang::Fr, Role::Customer) => "Client",
        (Lang::Fr, Role::Country) => "Pays",
        (Lang::Fr, Role::Amount) => "Montant (ligne ou commande)",
        (Lang::Fr, Role::Time) => "Heure (colonne à part de la date)",
        (Lang::En, Role::Invoice) => "Invoice number",
        (Lang::En, Role::StockCode) => "Stock code",
        (Lang::En, Role::Description) => "Description",
        (Lang::En, Role::Quantity) => "Quantity",
        (Lang::En, Role::InvoiceDate) => "Date",
        (Lang::En, Role::UnitPrice) => "Unit price",
        (Lang::En, Role::Customer) => "Customer",
        (Lang::En, Role::Country) => "Country",
        (Lang::En, Role::Amount) => "Amount (line or order total)",
        (Lang::En, Role::Time) => "Time (separate from the date)",
    }
}

/// Ce que mesure un indicateur, en une ligne, pour qui ne le connaît pas.
pub fn kpi_definition(test_id: &str, lang: Lang) -> Option<&'static str> {
    Some(match (test_id, lang) {
        ("kpi-rows-read", Lang::Fr) => "Lignes du fichier, en-tête non compris.",
        ("kpi-rows-read", Lang::En) => "Lines of the file, header excluded.",
        ("kpi-rows", Lang::Fr) => "Lignes gardées après le nettoyage (annulations, clients manquants, quantités et prix nuls ou négatifs retirés).",
        ("kpi-rows", Lang::En) => "Lines kept after cleaning (cancellations, missing customers, zero or negative quantities and prices removed).",
        ("kpi-customers", Lang::Fr) => "Clients distincts qui ont au moins un achat gardé.",
        ("kpi-customers", Lang::En) => "Distinct customers with at least one kept purchase.",
        ("kpi-invoices", Lang::Fr) => "Commandes distinctes (numéros de facture).",
        ("kpi-invoices", Lang::En) => "Distinct orders (invoice numbers).",
        ("kpi-revenue", Lang::Fr) => "Somme des montants des lignes gardées (quantité × prix unitaire).",
        ("kpi-revenue", Lang::En) => "Sum of the kept lines' amounts (quantity × unit price).",
        ("kpi-products", Lang::Fr) => "Produits distincts, par leur désignation.",
        ("kpi-products", Lang::En) => "Distinct products, by description.",
        ("kpi-stock-codes", Lang::Fr) => "Codes article distincts (un produit peut en avoir plusieurs).",
        ("kpi-stock-codes", Lang::En) => "Distinct stock codes (one product may have several).",
        ("kpi-countries", Lang::Fr) => "Pays distincts des clients.",
        ("kpi-countries", Lang::En) => "Distinct customer countries.",
        ("kpi-aov", Lang::Fr) => "Chiffre d'affaires divisé par le nombre de commandes.",
        ("kpi-aov", Lang::En) => "Revenue divided by the number of orders.",
        ("kpi-items-per-order", Lang::Fr) => "Produits distincts par commande, en moyenne.",
        ("kpi-items-per-order", Lang::En) => "Distinct products per order, on average.",
        ("kpi-returning", Lang::Fr) => "Part des clients qui ont passé au moins deux commandes.",
        ("kpi-returning", Lang::En) => "Share of customers who placed at least two orders.",
        _ => return None,
    })
}
