//! État partagé de l'application, fourni par contexte à toutes les vues.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::ingest::Inspection;
use panier_core::pipeline::AnalysisOptions;
use panier_core::progress::Stage;
use panier_core::{Lang, PanierError};

use panier_core::basket::analysis::{BasketRequest, BasketSummary};
use panier_core::basket::query::{RulePage, RuleQuery};
use panier_core::customer::CustomerPurchases;
use panier_core::export::write_rfm_csv;
use panier_core::recommend::evaluation::Evaluation;
use panier_core::rfm::movement::Movement;
use panier_core::rfm::segments::SegmentGrid;
use panier_core::rfm::RfmOptions;

use crate::route::{navigate, View};
use crate::worker::client::AnalysisClient;
use crate::worker::protocol::{
    AnalysisResult, RecommendRequest, RecommendResponse, RfmOutcome, WorkerCommand, WorkerEvent,
};

/// Où en est l'analyse.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AnalysisStatus {
    /// Rien n'a encore été importé.
    #[default]
    Idle,
    /// Le worker travaille.
    Running {
        /// Nom du fichier en cours.
        source: String,
        /// Étape en cours.
        stage: Stage,
        /// Fraction accomplie de l'étape.
        fraction: f64,
    },
    /// Résultat disponible.
    Ready(Arc<AnalysisResult>),
    /// L'analyse a échoué ; le message dit quoi faire.
    Failed(PanierError),
}

/// Qualité mesurée, ou pourquoi elle ne l'est pas, et durée du calcul (ms).
pub type EvaluationOutcome = (Result<Evaluation, PanierError>, f64);

/// Fiche client ouverte : l'identifiant, puis la réponse du worker (`None`
/// dedans : client inconnu de la dernière analyse).
pub type OpenCustomer = (String, Option<Arc<Option<CustomerPurchases>>>);

/// État global : langue, vue, analyse, et le lien vers le worker.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Langue de l'interface.
    pub lang: RwSignal<Lang>,
    /// Vue affichée (suit le fragment de l'URL).
    pub view: RwSignal<View>,
    /// État de l'analyse.
    pub analysis: RwSignal<AnalysisStatus>,
    /// Aperçu du dernier fichier (en-têtes, premières lignes, colonnes).
    pub inspection: RwSignal<Option<Arc<Inspection>>>,
    /// Options d'analyse choisies dans l'interface.
    pub options: RwSignal<AnalysisOptions>,
    /// Nom du fichier (ou de la démo) en cours d'analyse.
    source_name: RwSignal<String>,
    /// Segmentation RFM de la dernière analyse (ou pourquoi elle manque).
    pub rfm: RwSignal<Option<Arc<RfmOutcome>>>,
    /// Vrai pendant un recalcul de la segmentation dans le worker.
    pub rfm_busy: RwSignal<bool>,
    /// Grille des segments, modifiable par l'utilisateur.
    pub grid: RwSignal<SegmentGrid>,
    /// Mouvements entre deux dates, une fois demandés.
    pub movement: RwSignal<Option<Arc<Result<Movement, PanierError>>>>,
    /// Dernière analyse des paniers (résumé), ou pourquoi elle manque.
    pub baskets: RwSignal<Option<Arc<Result<BasketSummary, PanierError>>>>,
    /// Demande d'analyse des paniers en cours (son numéro).
    pub mining: RwSignal<Option<u32>>,
    /// Numéro de la prochaine demande.
    next_mining: StoredValue<u32>,
    /// Qualité mesurée des recommandations (et durée du calcul, ms).
    pub evaluation: RwSignal<Option<Arc<EvaluationOutcome>>>,
    /// Dernières recommandations reçues.
    pub recommended: RwSignal<Option<Arc<RecommendResponse>>>,
    /// Produits proposés pour le texte saisi.
    pub product_suggestions: RwSignal<Vec<String>>,
    /// Pourquoi la dernière demande de recommandation a échoué.
    pub recommend_error: RwSignal<Option<PanierError>>,
    /// Mémoire WebAssembly du worker après la dernière recherche (octets).
    pub worker_memory: RwSignal<u64>,
    /// Dernière page de règles reçue.
    pub rules_page: RwSignal<Option<Arc<RulePage>>>,
    /// Client dont la fiche est ouverte, et sa fiche une fois reçue.
    pub customer_sheet: RwSignal<Option<OpenCustomer>>,
    /// Le worker, démarré à la première analyse seulement : la page s'affiche
    /// sans attendre son téléchargement.
    client: StoredValue<Option<AnalysisClient>, LocalStorage>,
}

impl AppState {
    /// Crée l'état avec la langue et la vue initiales.
    pub fn new(lang: Lang, view: View) -> Self {
        Self {
            lang: RwSignal::new(lang),
            view: RwSignal::new(view),
            analysis: RwSignal::new(AnalysisStatus::Idle),
            inspection: RwSignal::new(None),
            options: RwSignal::new(AnalysisOptions::default()),
            source_name: RwSignal::new(String::new()),
            rfm: RwSignal::new(None),
            rfm_busy: RwSignal::new(false),
            grid: RwSignal::new(SegmentGrid::default()),
            movement: RwSignal::new(None),
            customer_sheet: RwSignal::new(None),
            baskets: RwSignal::new(None),
            mining: RwSignal::new(None),
            next_mining: StoredValue::new(1),
            rules_page: RwSignal::new(None),
            worker_memory: RwSignal::new(0),
            evaluation: RwSignal::new(None),
            recommended: RwSignal::new(None),
            product_suggestions: RwSignal::new(Vec::new()),
            recommend_error: RwSignal::new(None),
            client: StoredValue::new_local(None),
        }
    }

    /// Analyse un fichier choisi ou déposé par l'utilisateur. Un nouveau
    /// fichier repart d'une correspondance de colonnes détectée.
    pub fn analyze_file(&self, file: web_sys::File) {
        let name = file.name();
        self.forget_file_specific_options();
        let options = self.options.get_untracked();
        self.start(name, WorkerCommand::AnalyzeFile { file, options });
    }

    /// Analyse les données de démonstration (générées dans le worker).
    pub fn analyze_demo(&self) {
        self.forget_file_specific_options();
        let options = self.options.get_untracked();
        self.start("demo.csv".into(), WorkerCommand::AnalyzeDemo { options });
    }

    /// Réanalyse le dernier fichier avec les options courantes.
    pub fn reanalyze(&self) {
        let source = self.source_name.get_untracked();
        let options = self.options.get_untracked();
        self.start(source, WorkerCommand::Reanalyze { options });
    }

    /// Demande au worker le CSV des données nettoyées (téléchargé à réception).
    pub fn export_cleaned(&self) {
        self.send(WorkerCommand::ExportCleaned);
    }

    /// Recalcule la segmentation avec d'autres options (niveaux, date).
    pub fn recompute_rfm(&self, options: RfmOptions) {
        self.options.update(|current| current.rfm = options);
        self.rfm_busy.set(true);
        self.send(WorkerCommand::ComputeRfm { options });
    }

    /// Demande les positions des clients à deux dates.
    pub fn compute_movement(&self, from: i64, to: i64) {
        let levels = self.options.get_untracked().rfm.levels;
        self.movement.set(None);
        self.send(WorkerCommand::Movement { levels, from, to });
    }

    /// Ouvre la fiche d'un client (sa segmentation est déjà là ; ses
    /// commandes viennent du worker).
    pub fn open_customer(&self, customer: String) {
        self.customer_sheet.set(Some((customer.clone(), None)));
        self.send(WorkerCommand::CustomerPurchases { customer });
    }

    /// Les clients d'un segment, selon la segmentation et la grille
    /// courantes (vide sans segmentation).
    pub fn segment_customers(&self, segment: &str) -> Vec<String> {
        let grid = self.grid.get_untracked();
        self.rfm.with_untracked(|outcome| {
            outcome
                .as_ref()
                .and_then(|o| o.result.as_ref().ok())
                .map(|table| {
                    table
                        .customers
                        .iter()
                        .filter(|c| grid.segment_of(c.r, c.f, c.m) == segment)
                        .map(|c| c.customer.clone())
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// Relance l'analyse des paniers avec d'autres paramètres.
    pub fn mine_baskets(&self, request: BasketRequest) {
        let id = self.next_mining.get_value();
        self.next_mining.set_value(id + 1);
        self.mining.set(Some(id));
        self.send(WorkerCommand::MineBaskets { id, request });
    }

    /// Annule l'analyse des paniers en cours : son résultat sera ignoré et
    /// l'interface reprend la main tout de suite. (Le worker termine le
    /// calcul commencé, borné par les plafonds d'itemsets et de règles.)
    pub fn cancel_mining(&self) {
        self.mining.set(None);
    }

    /// Lance la mesure de la qualité des recommandations.
    pub fn evaluate(&self) {
        self.evaluation.set(None);
        self.send(WorkerCommand::Evaluate);
    }

    /// Demande des recommandations.
    pub fn recommend(&self, request: RecommendRequest) {
        self.send(WorkerCommand::Recommend(request));
    }

    /// Demande les produits dont le nom contient ce texte.
    pub fn suggest_products(&self, text: String) {
        self.send(WorkerCommand::SuggestProducts(text));
    }

    /// Demande `recommendations.csv` (téléchargé à réception).
    pub fn export_recommendations(&self) {
        self.send(WorkerCommand::ExportRecommendations(
            self.lang.get_untracked(),
        ));
    }

    /// Demande une page de règles.
    pub fn query_rules(&self, query: RuleQuery) {
        self.send(WorkerCommand::QueryRules { query });
    }

    /// Demande `frequent_itemsets.csv` (téléchargé à réception).
    pub fn export_itemsets(&self) {
        self.send(WorkerCommand::ExportItemsets);
    }

    /// Demande `association_rules.csv` (téléchargé à réception).
    pub fn export_rules(&self) {
        self.send(WorkerCommand::ExportRules);
    }

    /// Télécharge `rfm_segments.csv` selon la grille courante (écrit ici :
    /// la table est déjà dans la page).
    pub fn export_rfm(&self) {
        let Some(outcome) = self.rfm.get_untracked() else {
            return;
        };
        let Ok(table) = &outcome.result else {
            return;
        };
        let mut csv = Vec::new();
        if write_rfm_csv(table, &self.grid.get_untracked(), &mut csv).is_ok() {
            if let Some(blob) = csv_blob(&csv) {
                download(&blob, "rfm_segments.csv");
            }
        }
    }

    /// Installe une nouvelle segmentation ; la grille repart de la grille par
    /// défaut seulement si le nombre de niveaux change.
    fn set_rfm(&self, outcome: RfmOutcome) {
        if let Ok(table) = &outcome.result {
            if self.grid.get_untracked().levels() != table.levels {
                self.grid.set(SegmentGrid::default_for(table.levels));
            }
        }
        self.rfm_busy.set(false);
        self.rfm.set(Some(Arc::new(outcome)));
    }

    /// La correspondance des colonnes et la feuille valent pour un fichier.
    fn forget_file_specific_options(&self) {
        self.inspection.set(None);
        self.options.update(|options| {
            options.import.mapping = None;
            options.import.sheet = None;
        });
    }

    fn start(&self, source: String, command: WorkerCommand) {
        self.source_name.set(source.clone());
        self.analysis.set(AnalysisStatus::Running {
            source,
            stage: Stage::Read,
            fraction: 0.0,
        });
        self.send(command);
    }

    fn send(&self, command: WorkerCommand) {
        let state = *self;
        self.client.update_value(|client| {
            client
                .get_or_insert_with(|| AnalysisClient::spawn(move |event| state.apply(event)))
                .send(command);
        });
    }

    /// Démarre le worker sans attendre le premier fichier : il se prépare
    /// (second worker, code optimisé par le navigateur) pendant que
    /// l'utilisateur choisit son fichier. Sans effet s'il tourne déjà.
    pub fn prepare_worker(&self) {
        let state = *self;
        self.client.update_value(|client| {
            client.get_or_insert_with(|| AnalysisClient::spawn(move |event| state.apply(event)));
        });
    }

    /// Applique un événement du worker ; un premier résultat mène à la vue
    /// d'ensemble.
    fn apply(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Progress { stage, fraction } => self.analysis.update(|status| {
                if let AnalysisStatus::Running {
                    stage: current,
                    fraction: done,
                    ..
                } = status
                {
                    *current = stage;
                    *done = fraction;
                }
            }),
            WorkerEvent::Inspected(inspection) => {
                self.inspection.set(Some(Arc::from(inspection)));
            }
            WorkerEvent::Finished(result) => {
                self.movement.set(None);
                self.customer_sheet.set(None);
                self.set_rfm(result.rfm.clone());
                self.mining.set(None);
                self.rules_page.set(None);
                self.baskets.set(Some(Arc::new(result.baskets.clone())));
                self.evaluation.set(None);
                self.recommended.set(None);
                self.recommend_error.set(None);
                self.analysis.set(AnalysisStatus::Ready(Arc::from(result)));
                if self.view.get_untracked() == View::Import {
                    navigate(View::Overview);
                }
            }
            WorkerEvent::Failed(error) => self.analysis.set(AnalysisStatus::Failed(error)),
            WorkerEvent::Download { blob, name } => download(&blob, &name),
            WorkerEvent::BasketsMined {
                id,
                result,
                wasm_memory_bytes,
            } => {
                // Une demande annulée (ou remplacée) est ignorée.
                if self.mining.get_untracked() == Some(id) {
                    self.worker_memory.set(wasm_memory_bytes);
                    self.mining.set(None);
                    self.rules_page.set(None);
                    self.baskets.set(Some(Arc::from(result)));
                }
            }
            WorkerEvent::Rules(page) => self.rules_page.set(Some(Arc::from(page))),
            WorkerEvent::Evaluated(evaluation, ms) => {
                self.evaluation.set(Some(Arc::new((*evaluation, ms))));
            }
            WorkerEvent::Recommended(response) => {
                self.recommend_error.set(None);
                self.recommended.set(Some(Arc::from(response)));
            }
            WorkerEvent::RecommendFailed(error) => self.recommend_error.set(Some(error)),
            WorkerEvent::ProductSuggestions(products) => self.product_suggestions.set(products),
            WorkerEvent::RfmComputed(outcome) => {
                self.movement.set(None);
                self.set_rfm(*outcome);
            }
            WorkerEvent::MovementComputed(movement) => {
                self.movement.set(Some(Arc::from(movement)));
            }
            WorkerEvent::CustomerPurchases(sheet) => self.customer_sheet.update(|open| {
                // Une réponse pour un client qu'on a depuis refermé est ignorée.
                if let Some((customer, slot)) = open {
                    if sheet
                        .as_ref()
                        .as_ref()
                        .is_none_or(|s| s.customer == *customer)
                    {
                        *slot = Some(Arc::from(sheet));
                    }
                }
            }),
        }
    }
}

/// Un `Blob` CSV (UTF-8) fait de ces octets.
fn csv_blob(bytes: &[u8]) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()
}

/// Propose un `Blob` au téléchargement (lien temporaire, cliqué puis libéré).
fn download(blob: &web_sys::Blob, name: &str) {
    use wasm_bindgen::JsCast;
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Some(anchor) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
