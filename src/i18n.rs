//! Textes de l'interface en français et en anglais.
//!
//! Une structure par langue plutôt qu'une table de clés : le compilateur
//! vérifie que chaque texte existe dans les deux langues. La langue suit la
//! préférence du navigateur (français s'il le préfère, anglais sinon) ; le
//! choix de l'utilisateur est mémorisé dans `localStorage`.

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
    pub language_label: &'static str,
    pub import_title: &'static str,
    pub import_intro: &'static str,
    pub drop_here: &'static str,
    pub drop_hint: &'static str,
    pub choose_file: &'static str,
    pub or: &'static str,
    pub try_demo: &'static str,
    pub demo_hint: &'static str,
    pub privacy_note: &'static str,
    pub working: &'static str,
    pub error_title: &'static str,
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
    pub step_raw: &'static str,
    pub step_cancelled: &'static str,
    pub step_missing_customer: &'static str,
    pub step_quantity: &'static str,
    pub step_price: &'static str,
    pub rows_unit: &'static str,
    pub timings_label: &'static str,
    pub segmentation_title: &'static str,
    pub segmentation_soon: &'static str,
    pub recommendations_title: &'static str,
    pub recommendations_soon: &'static str,
    pub footer: &'static str,
}

const FR: Texts = Texts {
    tagline: "Analyse client dans votre navigateur",
    nav_label: "Navigation principale",
    nav_import: "Import",
    nav_overview: "Vue d'ensemble",
    nav_segmentation: "Segmentation RFM",
    nav_recommendations: "Recommandations",
    language_label: "Langue",
    import_title: "Importer des transactions",
    import_intro:
        "Déposez un export de ventes (CSV, par exemple le fichier « Online Retail »)\u{a0}: \
                   Panier le nettoie, segmente vos clients et trouve ce qui s'achète ensemble.",
    drop_here: "Déposez votre fichier ici",
    drop_hint: "CSV séparé par virgule, point-virgule, tabulation ou barre verticale",
    choose_file: "Choisir un fichier",
    or: "ou",
    try_demo: "Essayer avec des données de démonstration",
    demo_hint: "3\u{202f}000 clients fictifs sur un an, générés dans votre navigateur.",
    privacy_note: "Vos données ne quittent jamais cet appareil\u{a0}: tout le calcul se fait ici, \
                   sans serveur.",
    working: "Analyse en cours…",
    error_title: "Impossible d'analyser ce fichier",
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
    step_raw: "Lignes lues",
    step_cancelled: "Annulations retirées",
    step_missing_customer: "Lignes sans client retirées",
    step_quantity: "Quantités ≤ 0 retirées",
    step_price: "Prix ≤ 0 retirés",
    rows_unit: "lignes",
    timings_label: "Durées\u{a0}:",
    segmentation_title: "Segmentation RFM",
    segmentation_soon: "La segmentation Récence–Fréquence–Montant, sa vue 3D et ses segments \
                        arrivent dans une prochaine version.",
    recommendations_title: "Recommandations",
    recommendations_soon: "Les règles d'association et les recommandations de ventes croisées \
                           arrivent dans une prochaine version.",
    footer: "Panier — aucune donnée ne quitte votre appareil.",
};

const EN: Texts = Texts {
    tagline: "Customer analytics in your browser",
    nav_label: "Main navigation",
    nav_import: "Import",
    nav_overview: "Overview",
    nav_segmentation: "RFM segmentation",
    nav_recommendations: "Recommendations",
    language_label: "Language",
    import_title: "Import transactions",
    import_intro: "Drop a sales export (CSV, for example the \"Online Retail\" file): Panier \
                   cleans it, segments your customers and finds what sells together.",
    drop_here: "Drop your file here",
    drop_hint: "CSV separated by comma, semicolon, tab or pipe",
    choose_file: "Choose a file",
    or: "or",
    try_demo: "Try with demo data",
    demo_hint: "3,000 fictitious customers over one year, generated in your browser.",
    privacy_note: "Your data never leaves this device: all computing happens here, with no \
                   server.",
    working: "Analysing…",
    error_title: "This file could not be analysed",
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
    step_raw: "Rows read",
    step_cancelled: "Cancellations removed",
    step_missing_customer: "Rows without customer removed",
    step_quantity: "Quantities ≤ 0 removed",
    step_price: "Prices ≤ 0 removed",
    rows_unit: "rows",
    timings_label: "Timings:",
    segmentation_title: "RFM segmentation",
    segmentation_soon: "Recency–Frequency–Monetary segmentation, its 3D view and segments are \
                        coming in a next version.",
    recommendations_title: "Recommendations",
    recommendations_soon: "Association rules and cross-sell recommendations are coming in a \
                           next version.",
    footer: "Panier — no data leaves your device.",
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
        (Lang::Fr, Stage::Parse) => "Analyse des lignes",
        (Lang::Fr, Stage::Clean) => "Nettoyage",
        (Lang::Fr, Stage::Summarize) => "Synthèse",
        (Lang::Fr, Stage::Export) => "Export",
        (Lang::En, Stage::Generate) => "Generating demo data",
        (Lang::En, Stage::Read) => "Reading the file",
        (Lang::En, Stage::Parse) => "Parsing rows",
        (Lang::En, Stage::Clean) => "Cleaning",
        (Lang::En, Stage::Summarize) => "Summarising",
        (Lang::En, Stage::Export) => "Export",
    }
}

/// Langue initiale : le choix mémorisé, sinon la préférence du navigateur
/// (français s'il le préfère, anglais sinon).
pub fn initial_lang() -> Lang {
    let Some(window) = web_sys::window() else {
        return Lang::Fr;
    };
    if let Some(stored) = local_storage(&window)
        .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|code| Lang::from_code(&code))
    {
        return stored;
    }
    let preferred = window.navigator().language().unwrap_or_default();
    match Lang::from_code(&preferred) {
        Some(Lang::Fr) => Lang::Fr,
        _ => Lang::En,
    }
}

/// Mémorise le choix de langue et l'applique au document (`<html lang>`).
pub fn remember_lang(lang: Lang) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(storage) = local_storage(&window) {
        // Un stockage plein ou interdit (iframe sandboxée) n'empêche pas de
        // changer de langue : on ne mémorise simplement pas.
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang.code());
    }
}

/// `localStorage`, s'il est accessible (il peut être refusé dans une iframe).
fn local_storage(window: &web_sys::Window) -> Option<web_sys::Storage> {
    window.local_storage().ok().flatten()
}
