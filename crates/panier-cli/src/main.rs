//! `panier` : le pipeline de Panier en ligne de commande, pour des analyses en
//! lots reproductibles. Une coquille mince autour de `panier-core` : elle lit
//! le fichier, chronomètre les étapes et écrit les sorties.
//!
//! ```text
//! panier analyze online_retail.csv --out out/ --country France --min-support 0.07
//! panier demo --out demo.csv
//! ```
//!
//! Les erreurs vont sur la sortie d'erreur, avec un code de sortie non nul :
//! 2 pour une option invalide (refusée avant de lire le fichier), 1 sinon.
//! Une sortie que les données ne permettent pas (segmentation sans client,
//! règles au plafond, valeur client prédite sans clients fidèles ou sur un
//! seul jour…) n'est pas une erreur : un message le dit, les autres sorties
//! sont écrites, le code reste 0.

mod output;
mod progress;

/// L'allocateur de mimalloc plutôt que celui de la glibc : l'analyse
/// alloue beaucoup de petits objets (textes des sorties, listes par client)
/// sur deux fils, et de grands tableaux neufs ; la glibc fait grandir ses
/// tas par fil à coups d'appels système et rend puis redemande la mémoire
/// au système (chaque page neuve coûte une interruption). `panier analyze`
/// sur Online Retail : 0,53 → 0,43 s, pic de mémoire 140 → 226 Mo (sur la
/// boutique de 50 000 produits : 3,1 → 3,0 s, 695 → 775 Mo ; BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use panier_core::basket::mining::{mine, Algorithm, MinSupport, MiningOptions};
use panier_core::basket::rules::{generate_rules, RuleOptions};
use panier_core::basket::ItemKey;
use panier_core::basket::{build_baskets, BasketOptions};
use panier_core::clv::{fit_models, Purchases};
use panier_core::demo::{generate_demo_csv, DemoConfig, DEFAULT_SEED};
use panier_core::ingest::dates::DateOrder;
use panier_core::ingest::roles::Role;
use panier_core::ingest::sniff::EncodingChoice;
use panier_core::ingest::{inspect, DecimalChoice, Layout};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::{NoProgress, ProgressSink, Stage};
use panier_core::rfm::segments::SegmentGrid;
use panier_core::session::{RecommendOutcome, Session, WorkbookRequest};
use panier_core::settings::{Settings, SETTINGS_FILE};
use panier_core::workbook::WORKBOOK_FILE;
use panier_core::{Lang, PanierError, Surface};
use serde::Serialize;

use output::{OutputDir, FIGURES_DIR};
use progress::ProgressDisplay;

/// Analyse client : nettoyage, RFM, paniers, recommandations.
#[derive(Parser)]
#[command(name = "panier", version, about)]
struct Cli {
    /// Langue des messages d'erreur.
    #[arg(long, value_enum, global = true, default_value = "fr")]
    lang: CliLang,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum CliLang {
    Fr,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum CliEncoding {
    Auto,
    Utf8,
    Windows1252,
    Latin1,
}

/// Séparateur décimal (`--decimal`).
#[derive(Clone, Copy, ValueEnum)]
enum CliDecimal {
    Auto,
    Dot,
    Comma,
}

#[derive(Clone, Copy, ValueEnum)]
enum CliDateOrder {
    Auto,
    DayFirst,
    MonthFirst,
}

#[derive(Clone, Copy, ValueEnum)]
enum CliAlgorithm {
    Auto,
    Apriori,
    FpGrowth,
    Eclat,
}

impl From<CliAlgorithm> for Algorithm {
    fn from(algorithm: CliAlgorithm) -> Self {
        match algorithm {
            CliAlgorithm::Auto => Algorithm::Auto,
            CliAlgorithm::Apriori => Algorithm::Apriori,
            CliAlgorithm::FpGrowth => Algorithm::FpGrowth,
            CliAlgorithm::Eclat => Algorithm::Eclat,
        }
    }
}

#[derive(Subcommand)]
// Lue une fois au démarrage : la taille de la plus grosse variante
// (`analyze` et ses options) ne coûte rien.
#[allow(clippy::large_enum_variant)]
enum Command {
    /// Analyse un export de transactions et écrit toutes les sorties dans DIR.
    Analyze {
        /// Fichier de transactions (CSV).
        file: PathBuf,
        /// Dossier de sortie (créé s'il n'existe pas).
        #[arg(long)]
        out: PathBuf,
        /// Fichier de réglages YAML (exporté par l'application, ou le
        /// `settings.yaml` d'une analyse précédente) ; les options de la ligne
        /// de commande l'emportent sur lui.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Support minimal des itemsets fréquents (fraction des paniers ; 0.02
        /// par défaut).
        #[arg(long, allow_negative_numbers = true)]
        min_support: Option<f64>,
        /// Restreindre l'analyse à un pays.
        #[arg(long)]
        country: Option<String>,
        /// Restreindre l'analyse aux lignes datées de ce jour ou après (AAAA-MM-JJ).
        #[arg(long)]
        from: Option<String>,
        /// … et jusqu'à ce jour compris, en entier (AAAA-MM-JJ).
        #[arg(long)]
        to: Option<String>,
        /// Article à retirer des paniers (répétable).
        #[arg(long = "drop-item")]
        drop_items: Vec<String>,
        /// Encodage du fichier (détecté par défaut).
        #[arg(long, value_enum)]
        encoding: Option<CliEncoding>,
        /// Séparateur de champs (détecté par défaut) ; `' '` : colonnes
        /// séparées par des espaces (une suite d'espaces ou de tabulations).
        #[arg(long)]
        delimiter: Option<char>,
        /// Colonne d'un rôle, par nom d'en-tête ou numéro (à partir de 1) :
        /// `--map customer=Member_number`, `--map invoice=3` ; `--map country=`
        /// retire un rôle. Rôles : invoice, stock_code, description, quantity,
        /// invoice_date, unit_price, customer, country, amount, invoice_time
        /// (heure dans une colonne à part de la date). Répétable ; une
        /// colonne peut servir plusieurs rôles de texte (client et panier).
        #[arg(long = "map", value_name = "ROLE=COLUMN")]
        map: Vec<String>,
        /// Séparateur décimal des nombres : auto (d'après les données), dot
        /// (1,234.50) ou comma (1 234,50).
        #[arg(long, value_enum)]
        decimal: Option<CliDecimal>,
        /// Feuille du classeur XLSX (la première qui a des données par défaut).
        #[arg(long)]
        sheet: Option<String>,
        /// Ordre jour/mois des dates (détecté par défaut).
        #[arg(long, value_enum)]
        date_order: Option<CliDateOrder>,
        /// Le fichier contient un panier par ligne (sans en-tête).
        #[arg(long)]
        baskets: bool,
        /// Retirer les doublons exacts.
        #[arg(long)]
        drop_duplicates: bool,
        /// Retirer les lignes aux dates invraisemblables (avant 1990, ou plus
        /// d'un an après aujourd'hui) ; sinon elles sont seulement signalées.
        #[arg(long)]
        drop_implausible_dates: bool,
        /// Garder les lignes de service (POST, DOT…) hors des paniers.
        #[arg(long)]
        exclude_service_lines: bool,
        /// Niveaux des scores RFM : 3, 4 ou 5 (5 par défaut).
        #[arg(long)]
        levels: Option<u8>,
        /// Date d'observation RFM (AAAA-MM-JJ, heure HH:MM facultative) ; par défaut le
        /// lendemain du dernier achat.
        #[arg(long)]
        snapshot: Option<String>,
        /// Taille maximale des itemsets.
        #[arg(long)]
        max_len: Option<usize>,
        /// Confiance minimale des règles (0 à 1 ; 0 par défaut).
        #[arg(long, allow_negative_numbers = true)]
        min_confidence: Option<f64>,
        /// Lift minimal des règles (1 par défaut).
        #[arg(long, allow_negative_numbers = true)]
        min_lift: Option<f64>,
        /// Algorithme des itemsets fréquents (auto par défaut).
        #[arg(long, value_enum)]
        algorithm: Option<CliAlgorithm>,
        /// Les articles des paniers sont les codes article (au lieu des désignations).
        #[arg(long)]
        stock_codes: bool,
        /// Écrire aussi `panier.xlsx` : le classeur de tous les résultats (synthèse,
        /// nettoyage, segments, clients, règles, recommandations, qualité), une feuille
        /// par résultat.
        #[arg(long)]
        xlsx: bool,
        /// Écrire aussi les graphiques en SVG dans `figures/` (ventes par mois, carte R × F,
        /// segments, histogrammes, nuage et graphe des règles), les mêmes que dans
        /// l'application.
        #[arg(long)]
        figures: bool,
        /// Ne pas écrire `cleaned.csv` (les lignes nettoyées : le plus gros fichier, et
        /// le plus long à écrire) ; les autres sorties sont les mêmes. Comme
        /// `--no-export-clean` du pipeline Python de référence.
        #[arg(long)]
        no_cleaned: bool,
        /// Fin de la calibration de la valeur client prédite (AAAA-MM-JJ,
        /// jour compris) ; par défaut le dernier jour d'achat (la veille de
        /// la date d'observation RFM par défaut). Écrit `clv.csv` et
        /// `clv.json` ; si les données ne s'y prêtent pas, un message le dit
        /// et les autres sorties sont écrites quand même.
        #[arg(long, value_name = "DATE")]
        clv_until: Option<String>,
        /// Horizon des achats attendus de `clv.csv`, en jours (90 par défaut).
        #[arg(long, value_name = "DAYS")]
        clv_horizon_days: Option<u32>,
        /// Horizon de la valeur client, en mois (12 par défaut).
        #[arg(long, value_name = "MONTHS")]
        clv_months: Option<u32>,
        /// Taux d'actualisation mensuel de la valeur client (0.01 par défaut).
        #[arg(long, allow_negative_numbers = true, value_name = "RATE")]
        clv_discount: Option<f64>,
    },
    /// Mesure le pipeline sur un fichier : médiane de chaque étape sur N passes.
    Bench {
        /// Fichier de transactions.
        file: PathBuf,
        /// Nombre de passes.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Mesure la recherche d'itemsets et de règles à plusieurs supports.
    BenchBaskets {
        /// Fichier de transactions.
        file: PathBuf,
        /// Supports minimaux à mesurer (séparés par des virgules).
        #[arg(long, value_delimiter = ',', default_value = "0.01,0.005,0.001")]
        supports: Vec<f64>,
        /// Nombre de passes (médiane).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Algorithmes à mesurer (tous par défaut).
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "auto,apriori,fp-growth,eclat"
        )]
        algorithms: Vec<CliAlgorithm>,
    },
    /// Écrit le jeu de données de démonstration (CSV Online Retail).
    Demo {
        /// Fichier CSV à écrire.
        #[arg(long)]
        out: PathBuf,
        /// Graine du générateur.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// Nombre de clients simulés.
        #[arg(long, default_value_t = DemoConfig::default().customers)]
        customers: usize,
        /// Taille du catalogue (produits de longue traîne ajoutés au-delà
        /// des ~250 des thèmes) : `--products 50000 --customers 43500`
        /// donne une boutique de 50 000 références et environ 2 millions de
        /// lignes.
        #[arg(long, default_value_t = 0)]
        products: usize,
    },
}

/// Chronomètre chaque étape annoncée par le pipeline.
struct StageTimer {
    current: Option<(Stage, Instant)>,
    timings: Vec<(Stage, f64)>,
}

impl StageTimer {
    fn new() -> Self {
        Self {
            current: None,
            timings: Vec::new(),
        }
    }

    fn finish(&mut self) {
        if let Some((stage, started)) = self.current.take() {
            self.timings
                .push((stage, started.elapsed().as_secs_f64() * 1000.0));
        }
    }
}

impl ProgressSink for StageTimer {
    fn stage_started(&mut self, stage: Stage) {
        self.finish();
        self.current = Some((stage, Instant::now()));
    }

    fn advanced(&mut self, _stage: Stage, _fraction: f64) -> bool {
        true
    }
}

/// L'avancement de `panier analyze` : chronométré pour `metadata.json`, et
/// affiché dans le terminal.
struct AnalyzeProgress {
    timer: StageTimer,
    display: ProgressDisplay,
}

impl ProgressSink for AnalyzeProgress {
    fn stage_started(&mut self, stage: Stage) {
        self.timer.stage_started(stage);
        self.display.stage_started(stage);
    }

    /// Affiche l'avancement ; après Ctrl-C, demande au cœur d'arrêter.
    fn advanced(&mut self, stage: Stage, fraction: f64) -> bool {
        self.display.advanced(fraction);
        Interruptible.keep_going(stage)
    }

    fn keep_going(&mut self, stage: Stage) -> bool {
        Interruptible.keep_going(stage)
    }
}

/// Puits d'un calcul sans affichage (l'autre fil) : il s'arrête après Ctrl-C.
struct Interruptible;

impl ProgressSink for Interruptible {
    fn stage_started(&mut self, _stage: Stage) {}

    fn advanced(&mut self, stage: Stage, _fraction: f64) -> bool {
        self.keep_going(stage)
    }

    /// Faux après un premier Ctrl-C : le calcul s'arrête.
    fn keep_going(&mut self, _stage: Stage) -> bool {
        !INTERRUPTED.load(Ordering::SeqCst)
    }
}

/// Vrai après un premier Ctrl-C : le calcul en cours s'arrête à son
/// prochain point de contrôle, sans écrire `manifest.json`. Un second
/// Ctrl-C quitte sur-le-champ.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Code de sortie d'une analyse interrompue par Ctrl-C (128 + SIGINT, comme
/// le shell).
const INTERRUPTED_EXIT: u8 = 130;

/// Installe le traitement de Ctrl-C de `panier analyze`.
fn stop_on_ctrl_c() {
    // Sans traitement installé (déjà fait, ou impossible), Ctrl-C garde
    // son effet par défaut : les sorties restent sûres (pas de manifeste).
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(INTERRUPTED_EXIT));
        }
    });
}

/// Contenu de `metadata.json` : de quoi reproduire et situer une analyse.
#[derive(Serialize)]
struct Metadata {
    tool: &'static str,
    version: &'static str,
    parameters: AnalysisOptions,
    input: InputFile,
    timings_ms: serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Serialize)]
struct InputFile {
    name: String,
    size_bytes: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = match cli.lang {
        CliLang::Fr => Lang::Fr,
        CliLang::En => Lang::En,
    };
    let result = match cli.command {
        Command::Analyze {
            file,
            out,
            config,
            min_support,
            country,
            drop_items,
            encoding,
            delimiter,
            decimal,
            map,
            sheet,
            date_order,
            baskets,
            drop_duplicates,
            drop_implausible_dates,
            exclude_service_lines,
            levels,
            snapshot,
            from,
            to,
            max_len,
            min_confidence,
            min_lift,
            algorithm,
            stock_codes,
            xlsx,
            figures,
            no_cleaned,
            clv_until,
            clv_horizon_days,
            clv_months,
            clv_discount,
        } => {
            // Toutes les options sont vérifiées avant de lire le fichier : une
            // faute de frappe coûte une seconde, pas une analyse entière.
            let prepared = (|| -> Result<(AnalysisOptions, Settings), PanierError> {
                // Les réglages du fichier, puis les options tapées par-dessus.
                let mut settings = match &config {
                    Some(path) => read_settings(path)?,
                    None => Settings::default(),
                };
                for text in &map {
                    let choice = parse_map(text)?;
                    settings
                        .import
                        .columns
                        .insert(choice.role.key().to_string(), choice.column);
                }
                let import = &mut settings.import;
                if let Some(encoding) = encoding {
                    import.encoding = match encoding {
                        CliEncoding::Auto => EncodingChoice::Auto,
                        CliEncoding::Utf8 => EncodingChoice::Utf8,
                        CliEncoding::Windows1252 => EncodingChoice::Windows1252,
                        CliEncoding::Latin1 => EncodingChoice::Latin1,
                    };
                }
                import.delimiter = delimiter.or(import.delimiter);
                import.sheet = sheet.or(import.sheet.take());
                if let Some(order) = date_order {
                    import.date_order = match order {
                        CliDateOrder::Auto => DateOrder::Auto,
                        CliDateOrder::DayFirst => DateOrder::DayFirst,
                        CliDateOrder::MonthFirst => DateOrder::MonthFirst,
                    };
                }
                if let Some(decimal) = decimal {
                    import.decimal = match decimal {
                        CliDecimal::Auto => DecimalChoice::Auto,
                        CliDecimal::Dot => DecimalChoice::Dot,
                        CliDecimal::Comma => DecimalChoice::Comma,
                    };
                }
                if baskets {
                    import.layout = Layout::BasketPerLine;
                }
                let cleaning = &mut settings.cleaning;
                cleaning.drop_duplicates |= drop_duplicates;
                cleaning.drop_implausible_dates |= drop_implausible_dates;
                cleaning.exclude_service_lines |= exclude_service_lines;
                let filter = &mut settings.filter;
                filter.country = country.or(filter.country.take());
                filter.from = from.or(filter.from.take());
                filter.to = to.or(filter.to.take());
                let rfm = &mut settings.rfm;
                if let Some(levels) = levels {
                    if levels != rfm.levels {
                        // Une grille d'une autre taille ne vaut plus.
                        rfm.segments = None;
                    }
                    rfm.levels = levels;
                }
                rfm.snapshot = snapshot.or(rfm.snapshot.take());
                let basket = &mut settings.baskets;
                basket.min_support = min_support.unwrap_or(basket.min_support);
                if !drop_items.is_empty() {
                    basket.drop_items = drop_items;
                }
                if stock_codes {
                    basket.item = ItemKey::StockCode;
                }
                basket.max_len = max_len.or(basket.max_len);
                basket.min_confidence = min_confidence.unwrap_or(basket.min_confidence);
                basket.min_lift = min_lift.unwrap_or(basket.min_lift);
                if let Some(algorithm) = algorithm {
                    basket.algorithm = algorithm.into();
                }
                let clv = &mut settings.clv;
                clv.until = clv_until.or(clv.until.take());
                clv.horizon_days = clv_horizon_days.unwrap_or(clv.horizon_days);
                clv.months = clv_months.unwrap_or(clv.months);
                clv.discount = clv_discount.unwrap_or(clv.discount);
                // Aujourd'hui à minuit : deux analyses du même jour ont les
                // mêmes paramètres.
                let today = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .ok()
                    .map(|elapsed| elapsed.as_secs() as i64 / 86_400 * 86_400);
                let options = settings.analysis_options(today)?;
                Ok((options, settings))
            })();
            match prepared {
                Ok((options, settings)) => run_analyze(
                    &file,
                    &out,
                    lang,
                    options,
                    &settings,
                    Extras {
                        xlsx,
                        figures,
                        cleaned: !no_cleaned,
                    },
                )
                .map_err(with_flags),
                Err(error) => {
                    eprintln!(
                        "panier: {}",
                        cli_message(with_flags(error), config.as_deref(), lang)
                    );
                    return ExitCode::from(USAGE_ERROR);
                }
            }
        }
        Command::Bench { file, runs } => run_bench(&file, runs),
        Command::BenchBaskets {
            file,
            supports,
            runs,
            algorithms,
        } => run_bench_baskets(
            &file,
            &supports,
            runs,
            &algorithms
                .into_iter()
                .map(Algorithm::from)
                .collect::<Vec<_>>(),
        ),
        Command::Demo {
            out,
            seed,
            customers,
            products,
        } => write_file(
            &out,
            &generate_demo_csv(&DemoConfig {
                seed,
                customers,
                products,
            }),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(PanierError::Cancelled) => {
            eprintln!("panier: {}", interrupted_message(lang));
            ExitCode::from(INTERRUPTED_EXIT)
        }
        // Une option qui ne se vérifie qu'avec le fichier (`--map` vers une
        // colonne absente) reste une erreur d'usage.
        Err(
            error @ (PanierError::InvalidParameter { .. } | PanierError::InvalidSettings { .. }),
        ) => {
            eprintln!("panier: {}", error.message_for(lang, Surface::Cli));
            ExitCode::from(USAGE_ERROR)
        }
        Err(error) => {
            eprintln!("panier: {}", error.message_for(lang, Surface::Cli));
            ExitCode::FAILURE
        }
    }
}

/// Ce que la CLI dit d'une analyse interrompue (les mots de la CLI : Ctrl-C,
/// dossier de sortie, manifeste).
fn interrupted_message(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => {
            "analyse interrompue (Ctrl-C). Le dossier de sortie n'a pas de \
                     manifest.json : ses fichiers ne forment pas une analyse complète. \
                     Relancez la commande pour l'obtenir."
        }
        Lang::En => {
            "analysis interrupted (Ctrl-C). The output folder has no manifest.json: \
                     its files are not a complete analysis. Run the command again to get one."
        }
    }
}

/// Parts de `recommendations.csv`, partagées entre les deux fils : assez
/// pour que celui qui arrive en retard trouve encore du travail.
const RECOMMENDATION_PARTS: usize = 32;

/// Code de sortie d'une option invalide (celui des erreurs d'usage de clap).
const USAGE_ERROR: u8 = 2;

/// Option de la CLI de chaque clé stable de paramètre du cœur
/// (`PanierError::InvalidParameter::name`).
const FLAGS: [(&str, &str); 16] = [
    ("clv_until", "--clv-until"),
    ("clv_horizon_days", "--clv-horizon-days"),
    ("clv_months", "--clv-months"),
    ("clv_discount", "--clv-discount"),
    ("min_support", "--min-support"),
    ("min_confidence", "--min-confidence"),
    ("min_lift", "--min-lift"),
    ("max_len", "--max-len"),
    ("levels", "--levels"),
    ("snapshot", "--snapshot"),
    ("period_from", "--from"),
    ("period_to", "--to"),
    ("item", "--stock-codes"),
    ("columns", "--map"),
    ("segments", "rfm.segments (--config)"),
    ("per_customer", "recommendations.per_customer (--config)"),
];

/// Une erreur de paramètre nomme l'option telle qu'on l'a tapée, dans le nom
/// comme dans la plage attendue (`0 < --min-support ≤ 1`).
fn with_flags(error: PanierError) -> PanierError {
    match error {
        PanierError::InvalidParameter {
            name,
            value,
            expected,
        } => PanierError::InvalidParameter {
            // « item » est aussi un mot courant : il n'est remplacé que
            // comme nom.
            expected: FLAGS
                .iter()
                .filter(|(key, _)| *key != "item")
                .fold(expected, |text, (key, flag)| text.replace(key, flag)),
            name: FLAGS
                .iter()
                .find(|(key, _)| *key == name)
                .map_or(name, |(_, flag)| flag.to_string()),
            value,
        },
        other => other,
    }
}

/// Un `--map rôle=colonne` lu, la colonne pas encore cherchée dans le fichier.
struct RoleChoice {
    role: Role,
    /// Nom d'en-tête ou numéro de colonne ; `None` : retirer le rôle.
    column: Option<String>,
}

/// Les clés de rôle acceptées par `--map`, pour les messages.
fn role_keys() -> String {
    Role::MAPPABLE.map(Role::key).join(", ")
}

/// Lit `rôle=colonne` (avant de lire le fichier : un rôle inconnu est une
/// faute de frappe, code de sortie 2).
fn parse_map(text: &str) -> Result<RoleChoice, PanierError> {
    let invalid = || PanierError::InvalidParameter {
        name: "--map".into(),
        value: text.into(),
        expected: format!("ROLE=COLUMN, ROLE ∈ {{{}}}", role_keys()),
    };
    let (key, column) = text.split_once('=').ok_or_else(invalid)?;
    let role = Role::from_key(key.trim()).ok_or_else(invalid)?;
    let column = column.trim();
    Ok(RoleChoice {
        role,
        column: (!column.is_empty()).then(|| column.to_string()),
    })
}

/// Les sorties facultatives de `panier analyze`.
#[derive(Debug, Clone, Copy)]
struct Extras {
    /// `--xlsx` : le classeur `panier.xlsx`.
    xlsx: bool,
    /// `--figures` : les graphiques SVG de `figures/`.
    figures: bool,
    /// Sans `--no-cleaned` : `cleaned.csv`.
    cleaned: bool,
}

/// `panier analyze` : lit, analyse, écrit `report.json`, `cleaned.csv`
/// (sauf `--no-cleaned`),
/// `rfm_segments.csv`, `clv.csv`, `clv.json`, `frequent_itemsets.csv`,
/// `association_rules.csv`,
/// `overview.json`, `evaluation.json`, `recommendations.csv`,
/// `metadata.json`, avec `--xlsx` le classeur `panier.xlsx`, avec
/// `--figures` les graphiques dans `figures/`, puis `manifest.json` en
/// dernier (voir [`output`]).
fn run_analyze(
    file: &Path,
    out: &Path,
    lang: Lang,
    options: AnalysisOptions,
    settings: &Settings,
    Extras {
        xlsx,
        figures,
        cleaned,
    }: Extras,
) -> Result<(), PanierError> {
    stop_on_ctrl_c();
    let mut progress = AnalyzeProgress {
        timer: StageTimer::new(),
        display: ProgressDisplay::new(lang),
    };
    let started = Instant::now();
    // Avant de lire : l'ancien manifeste disparaît dès maintenant, l'échec
    // de cette analyse ne laissera pas croire à un dossier complet.
    let mut outputs = OutputDir::open(out)?;
    progress.stage_started(Stage::Read);
    let bytes = fs::read(file).map_err(|error| unreadable(file, &error))?;
    // Toute l'analyse passe par la session du cœur, comme dans le navigateur :
    // la CLI ne fait que lire le fichier et écrire ce qu'elle en tire.
    let mut session = Session::load_parallel(&bytes, options.clone(), &mut progress)?;
    // La mesure des recommandations, leur modèle et `recommendations.csv`
    // (plus du tiers du temps) se font sur un autre cœur pendant que ce fil
    // écrit les autres sorties.
    let job = session.recommend_job();
    let per_customer = settings.recommendations.per_customer;
    // `recommendations.csv` s'écrit en parts, prises à tour de rôle par les
    // deux fils (un compteur partagé) : le fil des recommandations commence
    // dès son modèle appris, celui-ci le rejoint quand il a fini ses propres
    // sorties ; les parts, remises dans l'ordre, font le fichier entier.
    let next_part = AtomicUsize::new(0);
    let write_parts = |outcome: &RecommendOutcome| -> Result<Vec<(usize, Vec<u8>)>, PanierError> {
        let mut written = Vec::new();
        loop {
            let part = next_part.fetch_add(1, Ordering::Relaxed);
            if part >= RECOMMENDATION_PARTS {
                return Ok(written);
            }
            let mut csv = Vec::new();
            if outcome.write_recommendations_part(
                per_customer,
                lang,
                (part, RECOMMENDATION_PARTS),
                &mut csv,
            )? {
                written.push((part, csv));
            }
        }
    };
    let (levels, recommendations) = std::thread::scope(|threads| -> Result<_, PanierError> {
        // Le modèle passe à ce fil-ci par un canal : si l'autre fil échoue
        // avant de l'envoyer, le canal se ferme et l'attente s'arrête.
        let (ready, learnt) = mpsc::channel::<Arc<RecommendOutcome>>();
        let recommending = threads.spawn(move || {
            let outcome = Arc::new(job.run(&mut Interruptible)?);
            let _ = ready.send(Arc::clone(&outcome));
            write_parts(&outcome)
        });
        if cleaned {
            progress.stage_started(Stage::Export);
            outputs.write("cleaned.csv", |out| session.write_cleaned(out))?;
        }
        progress.stage_started(Stage::Rfm);
        let levels = match session.rfm(&options.rfm) {
            Ok(rfm) => Some(rfm.levels),
            // Sans client ni date, la segmentation est impossible mais le
            // reste de l'analyse vaut : on le dit sans échouer.
            Err(error @ PanierError::RfmUnavailable { .. }) => {
                progress
                    .display
                    .notice(&error.message_for(lang, Surface::Cli));
                None
            }
            Err(error) => return Err(error.clone()),
        };
        if levels.is_some() {
            // La grille des réglages (celle de l'application, si elle y a été
            // modifiée), à ce nombre de niveaux.
            let grid = settings.segment_grid()?;
            outputs.write("rfm_segments.csv", |out| session.write_rfm(&grid, out))?;
        }
        write_clv(&mut session, &options, &mut outputs, &mut progress, lang)?;
        progress.stage_started(Stage::Baskets);
        write_baskets(&mut session, &options, &mut outputs, &mut progress, lang)?;
        // La vue d'ensemble (`overview.json`) pendant que l'autre fil finit
        // la mesure des recommandations : ce fil attendrait sinon.
        progress.stage_started(Stage::Overview);
        session.overview();
        progress.stage_started(Stage::Recommend);
        let thread_failed = || PanierError::Internal {
            detail: "recommendations thread panicked".into(),
        };
        let (outcome, mut parts) = match learnt.recv() {
            Ok(outcome) => {
                let mine = write_parts(&outcome)?;
                let theirs = recommending.join().map_err(|_| thread_failed())??;
                (outcome, [mine, theirs].concat())
            }
            // Pas de modèle : l'erreur de l'autre fil (annulation…).
            Err(_) => {
                recommending.join().map_err(|_| thread_failed())??;
                return Err(thread_failed());
            }
        };
        let outcome = Arc::try_unwrap(outcome).map_err(|_| thread_failed())?;
        parts.sort_unstable_by_key(|(part, _)| *part);
        // Les parts bout à bout, chacune copiée d'un bloc (octet par octet,
        // les 10 Mo d'Online Retail prenaient 40 ms).
        let csv = (!parts.is_empty()).then(|| {
            parts
                .iter()
                .map(|(_, csv)| csv.as_slice())
                .collect::<Vec<_>>()
                .concat()
        });
        match outcome.evaluation() {
            Ok(evaluation) => outputs.write_json("evaluation.json", evaluation)?,
            Err(error) => progress
                .display
                .notice(&error.message_for(lang, Surface::Cli)),
        }
        if let Some(csv) = &csv {
            outputs.write("recommendations.csv", |out| {
                std::io::Write::write_all(out, csv)
            })?;
        }
        session.adopt_recommendations(outcome);
        Ok((levels, csv))
    })?;
    let grid = match levels {
        Some(_) => settings.segment_grid()?,
        None => SegmentGrid::default(),
    };
    if figures {
        for (name, svg) in
            panier_charts::figures(&mut session, &grid, lang, settings.display.currency)
        {
            outputs.write(&format!("{FIGURES_DIR}/{name}"), |out| {
                std::io::Write::write_all(out, svg.as_bytes())
            })?;
        }
    }
    if xlsx {
        // Le classeur reprend les CSV écrits (les mêmes valeurs), sans
        // recalculer les recommandations.
        let request = WorkbookRequest {
            grid: &grid,
            lang,
            currency: settings.display.currency,
            per_customer,
            recommendations: recommendations.as_deref(),
            created: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .ok()
                .and_then(|elapsed| i64::try_from(elapsed.as_secs()).ok()),
        };
        outputs.write(WORKBOOK_FILE, |out| session.write_workbook(&request, out))?;
    }
    let mut timer = progress.timer;
    timer.finish();
    let overview_stats = session.overview().clone();
    let report = session.report().clone();
    let mut timings_ms = serde_json::Map::new();
    for (stage, ms) in &timer.timings {
        timings_ms.insert(stage.key().into(), round_ms(*ms).into());
    }
    timings_ms.insert(
        "total".into(),
        round_ms(started.elapsed().as_secs_f64() * 1000.0).into(),
    );
    let input = InputFile {
        name: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        size_bytes: bytes.len() as u64,
    };
    let metadata = Metadata {
        tool: "panier",
        version: env!("CARGO_PKG_VERSION"),
        parameters: options,
        input: input.clone(),
        timings_ms,
    };
    outputs.write_json("report.json", &report)?;
    outputs.write_json("overview.json", &overview_stats)?;
    outputs.write_json("metadata.json", &metadata)?;
    // Les réglages de cette analyse, à reprendre avec `--config`.
    outputs.write(SETTINGS_FILE, |out| {
        std::io::Write::write_all(out, settings.to_yaml().as_bytes())
    })?;
    outputs.finish(&metadata.parameters, &input)?;
    drop(progress.display);
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    Ok(())
}

/// Contenu de `clv.json` : les deux modèles, les comptes et la validation
/// sur l'historique (ou le message qui dit pourquoi elle manque).
#[derive(Serialize)]
struct ClvJson {
    bgnbd: BgNbdJson,
    gamma_gamma: GammaGammaJson,
    customers: usize,
    repeat_customers: usize,
    first_purchase: String,
    calibration_end: String,
    horizon_days: u32,
    months: u32,
    monthly_discount: f64,
    /// Corrélation de Pearson fréquence × montant moyen (hypothèse
    /// d'indépendance du Gamma-Gamma).
    spend_frequency_correlation: Option<f64>,
    expected_transactions_total: f64,
    clv_total: f64,
    validation: serde_json::Value,
}

#[derive(Serialize)]
struct BgNbdJson {
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    log_likelihood: f64,
    /// Optimum à une limite du modèle (voir `BgNbdFit::at_limit`).
    at_limit: bool,
}

#[derive(Serialize)]
struct GammaGammaJson {
    p: f64,
    q: f64,
    v: f64,
    log_likelihood: f64,
    customers: usize,
    at_limit: bool,
}

/// Écrit `clv.csv` et `clv.json`. Une valeur client impossible (colonnes
/// absentes, un seul jour, trop peu de clients fidèles, ajustement qui ne
/// converge pas) est signalée par un message et n'empêche aucune autre
/// sortie : le code de sortie reste 0, comme pour des règles au plafond.
fn write_clv(
    session: &mut Session,
    options: &AnalysisOptions,
    outputs: &mut OutputDir,
    progress: &mut AnalyzeProgress,
    lang: Lang,
) -> Result<(), PanierError> {
    let result = match session.clv(&options.clv) {
        Ok(result) => result,
        Err(error) => {
            progress
                .display
                .notice(&error.message_for(lang, Surface::Cli));
            return Ok(());
        }
    };
    let validation = match &result.validation {
        Ok(v) => serde_json::json!({
            "mae": v.model.mae,
            "naive_mae": v.naive.mae,
            "no_repeat_mae": v.no_repeat.mae,
            "expected_value_mae": v.expected_value_mae,
            "quantile": v.quantile,
            "predicted_total": v.model.predicted_total,
            "naive_total": v.naive.predicted_total,
            "actual_total": v.actual_total,
            "customers": v.customers,
            "learn_from": v.learn_from,
            "validation_from": v.validation_from,
            "test_from": v.test_from,
            "test_to": v.test_to,
            "horizon_weeks": v.horizon_weeks,
            "validation_mae": v.validation_mae,
            "by_frequency": v.by_frequency,
        }),
        Err(error) => serde_json::json!({ "error": error.message_for(lang, Surface::Cli) }),
    };
    let bg = &result.bgnbd;
    let gg = &result.gamma_gamma;
    let json = ClvJson {
        bgnbd: BgNbdJson {
            r: bg.params.r,
            alpha: bg.params.alpha,
            a: bg.params.a,
            b: bg.params.b,
            log_likelihood: bg.log_likelihood,
            at_limit: bg.at_limit,
        },
        gamma_gamma: GammaGammaJson {
            p: gg.params.p,
            q: gg.params.q,
            v: gg.params.v,
            log_likelihood: gg.log_likelihood,
            customers: gg.customers,
            at_limit: gg.at_limit,
        },
        customers: result.customers.len(),
        repeat_customers: result.repeat_customers,
        first_purchase: result.first_purchase.clone(),
        calibration_end: result.calibration_end.clone(),
        horizon_days: result.options.horizon_days,
        months: result.options.months,
        monthly_discount: result.options.monthly_discount,
        spend_frequency_correlation: result.spend_frequency_correlation,
        expected_transactions_total: result.expected_transactions_total,
        clv_total: result.clv_total,
        validation,
    };
    outputs.write("clv.csv", |out| session.write_clv(out))?;
    outputs.write_json("clv.json", &json)
}

/// Écrit `frequent_itemsets.csv` et `association_rules.csv`. Trop de
/// règles : les itemsets sont écrits, les règles non, avec le message.
fn write_baskets(
    session: &mut Session,
    options: &AnalysisOptions,
    outputs: &mut OutputDir,
    progress: &mut AnalyzeProgress,
    lang: Lang,
) -> Result<(), PanierError> {
    let clock = {
        let started = Instant::now();
        move || started.elapsed().as_secs_f64() * 1000.0
    };
    let mined = session.mine_baskets(&options.basket_request(), None, &clock, progress);
    let rules_error = match mined {
        Ok(summary) => summary.rules_error.clone(),
        // Sans paniers (ou sans colonne produit) ou au plafond, les autres
        // sorties restent valables : on le dit sans échouer.
        Err(
            error @ (PanierError::TooManyItemsets { .. }
            | PanierError::NoBaskets
            | PanierError::ProductsMissing),
        ) => {
            progress
                .display
                .notice(&error.message_for(lang, Surface::Cli));
            return Ok(());
        }
        Err(error) => return Err(error),
    };
    outputs.write("frequent_itemsets.csv", |out| session.write_itemsets(out))?;
    match rules_error {
        None => outputs.write("association_rules.csv", |out| session.write_rules(out))?,
        Some(error) => progress
            .display
            .notice(&error.message_for(lang, Surface::Cli)),
    }
    Ok(())
}

/// `panier bench` : exécute le pipeline (sans écrire de sortie) et affiche
/// la médiane de chaque étape, en millisecondes.
fn run_bench(file: &Path, runs: usize) -> Result<(), PanierError> {
    let bytes = fs::read(file).map_err(|error| unreadable(file, &error))?;
    let mut samples: Vec<Vec<(Stage, f64)>> = Vec::new();
    // Valeur client : tout (les deux ajustements sur tout l'historique, puis
    // la validation, qui en refait deux), et l'ajustement seul (BG/NBD puis
    // Gamma-Gamma sur tout l'historique), celui que la page attend.
    let (mut clv_ms, mut fit_ms) = (Vec::new(), Vec::new());
    for _ in 0..runs.max(1) {
        let mut timer = StageTimer::new();
        // Même enchaînement que le worker : l'aperçu, puis l'analyse.
        timer.stage_started(Stage::Inspect);
        inspect(&bytes, &Default::default())?;
        let options = AnalysisOptions::default();
        let mut session = Session::load_parallel(&bytes, options.clone(), &mut timer)?;
        timer.stage_started(Stage::Rfm);
        // Un fichier sans client se mesure quand même (sans RFM).
        let _ = session.rfm(&options.rfm);
        // Même suite que le worker après l'analyse : paniers, vue d'ensemble.
        timer.stage_started(Stage::Baskets);
        let _ = session.mine_baskets(&options.basket_request(), None, &|| 0.0, &mut NoProgress);
        timer.stage_started(Stage::Overview);
        let _ = session.overview();
        // La mesure des recommandations sur l'historique (page
        // Recommandations) : apprentissage, recherche des paramètres, test.
        timer.stage_started(Stage::Recommend);
        let _ = session.evaluation();
        timer.finish();
        samples.push(timer.timings);
        let started = Instant::now();
        let _ = session.clv(&options.clv);
        clv_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if let Ok(purchases) = Purchases::from_table(session.table()) {
            let profiles = purchases.profiles(purchases.last_day);
            let started = Instant::now();
            let _ = fit_models(&profiles);
            fit_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let middle = |mut values: Vec<f64>| {
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let median = |stage: Stage| {
        let mut values: Vec<f64> = samples
            .iter()
            .filter_map(|run| run.iter().find(|(s, _)| *s == stage).map(|(_, ms)| *ms))
            .collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let stages = [
        Stage::Inspect,
        Stage::Parse,
        Stage::Join,
        Stage::Clean,
        Stage::Summarize,
        Stage::Rfm,
        Stage::Baskets,
        Stage::Overview,
    ];
    let total: f64 = stages.iter().map(|&stage| median(stage)).sum();
    let cells: Vec<String> = stages
        .iter()
        .map(|&stage| format!("{} {:.0} ms", stage.key(), median(stage)))
        .collect();
    println!(
        "{} ({} octets, {} passes) : {} · total {:.0} ms · puis évaluation des recommandations {:.0} ms · valeur client {:.0} ms (dont ajustement BG/NBD + Gamma-Gamma sur tout l'historique {:.1} ms)",
        file.display(),
        bytes.len(),
        runs.max(1),
        cells.join(" · "),
        total,
        median(Stage::Recommend),
        middle(clv_ms),
        middle(fit_ms)
    );
    Ok(())
}

/// `panier bench-baskets` : médiane, par support et par algorithme, de la
/// recherche des itemsets puis de la génération des règles.
fn run_bench_baskets(
    file: &Path,
    supports: &[f64],
    runs: usize,
    algorithms: &[Algorithm],
) -> Result<(), PanierError> {
    let bytes = fs::read(file).map_err(|error| unreadable(file, &error))?;
    let output = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)?;
    let baskets = build_baskets(&output.clean, &BasketOptions::default())?;
    println!(
        "{} paniers, {} articles",
        baskets.len(),
        baskets.items.len()
    );
    println!("| support | algorithme | itemsets | recherche | règles | génération des règles |");
    println!("|---|---|---|---|---|---|");
    for &support in supports {
        for &algorithm in algorithms {
            let options = MiningOptions {
                min_support: MinSupport::Fraction(support),
                algorithm,
                ..Default::default()
            };
            let mut mining_ms = Vec::new();
            let mut rules_ms = Vec::new();
            let mut found = (String::new(), String::new());
            for _ in 0..runs.max(1) {
                let started = Instant::now();
                let itemsets = mine(&baskets, &options)?;
                mining_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                let count = format!(
                    "{} {:?}",
                    itemsets.itemsets.len(),
                    itemsets.count_by_length()
                );
                let started = Instant::now();
                let rules = match generate_rules(itemsets, &RuleOptions::default()) {
                    Ok(rules) => rules.rules.len().to_string(),
                    Err(error) => error.message(Lang::Fr),
                };
                rules_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                found = (count, rules);
            }
            let median = |mut values: Vec<f64>| {
                values.sort_by(f64::total_cmp);
                values[values.len() / 2]
            };
            println!(
                "| {support} | {algorithm:?} | {} | {:.1} ms | {} | {:.1} ms |",
                found.0,
                median(mining_ms),
                found.1,
                median(rules_ms)
            );
        }
    }
    Ok(())
}

fn round_ms(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), PanierError> {
    fs::write(path, bytes).map_err(|error| PanierError::Unwritable {
        detail: format!("{}: {error}", path.display()),
    })
}

/// Lit le fichier de réglages de `--config`.
fn read_settings(path: &Path) -> Result<Settings, PanierError> {
    let bytes = fs::read(path).map_err(|error| unreadable(path, &error))?;
    let text = String::from_utf8(bytes).map_err(|_| PanierError::InvalidSettings {
        line: None,
        detail: "not UTF-8 text".into(),
    })?;
    Settings::from_yaml(&text)
}

/// Message d'une option refusée ; une erreur du fichier de réglages nomme
/// `--config` et le fichier.
fn cli_message(error: PanierError, config: Option<&Path>, lang: Lang) -> String {
    let message = error.message_for(lang, Surface::Cli);
    match (&error, config) {
        (PanierError::InvalidSettings { .. }, Some(path)) => {
            format!("--config {}: {message}", path.display())
        }
        _ => message,
    }
}

fn unreadable(path: &Path, error: &std::io::Error) -> PanierError {
    PanierError::Unreadable {
        detail: format!("{}: {error}", path.display()),
    }
}
