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
use panier_core::recommend::evaluation::Evaluation;
use panier_core::rfm::movement::Movement;
use panier_core::rfm::segments::SegmentGrid;
use panier_core::rfm::stats::SegmentStats;
use panier_core::rfm::RfmOptions;

use crate::route::{navigate, RecoTab, View};
use crate::worker::client::AnalysisClient;
use crate::worker::protocol::{
    AnalysisResult, ClvOutcome, RecommendRequest, RfmOutcome, WorkerCommand, WorkerEvent,
    PROTOCOL_VERSION,
};
use panier_core::numbers::Currency;
use panier_core::session::{CustomerAdvice, ProductAdvice, Scope, SegmentAdvice, SegmentChoice};
use panier_core::settings::Settings;

/// Indicateurs par segment reçus du worker, et la grille qui les a donnés.
pub type SegmentStatsReply = Arc<(SegmentGrid, Result<Vec<SegmentStats>, PanierError>)>;

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

/// État du worker d'analyse, chargé avec la page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkerHealth {
    /// Pas encore lancé.
    #[default]
    NotStarted,
    /// Lancé, en attente de sa réponse au premier message.
    Starting,
    /// Chargé, prêt.
    Ready,
    /// Inutilisable : l'interface dit pourquoi et quoi faire.
    Unavailable(WorkerProblem),
}

/// Pourquoi le worker est inutilisable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerProblem {
    /// Page dans une iframe « sandbox » sans `allow-same-origin` : le
    /// navigateur interdit les workers.
    SandboxedFrame,
    /// Il ne s'est pas chargé à temps (hors ligne, serveur injoignable).
    LoadFailed,
    /// Il appartient à une autre version de l'application (cache).
    Outdated,
}

/// Délai accordé au worker pour se charger et répondre (ms).
const WORKER_START_TIMEOUT_MS: i32 = 12_000;

/// Qualité mesurée, ou pourquoi elle ne l'est pas, et durée du calcul (ms).
pub type EvaluationOutcome = (Result<Evaluation, PanierError>, f64);

/// Recommandations reçues pour un client : l'identifiant demandé, et
/// `None` s'il est inconnu de la segmentation.
pub type AdvisedCustomer = (String, Option<Box<CustomerAdvice>>);

/// Produits recommandés par client dans `recommendations.csv` (comme la CLI).
pub const RECOMMENDATIONS_PER_CUSTOMER: usize = 10;

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
    /// Partie affichée de la vue « Recommandations » (suit aussi l'URL).
    pub reco_tab: RwSignal<RecoTab>,
    /// Thème de l'interface (automatique, clair, sombre).
    pub theme: RwSignal<crate::theme::Theme>,
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
    /// Derniers indicateurs par segment calculés par le worker, avec la
    /// grille demandée (tant qu'elle n'est pas celle affichée, le tableau est
    /// marqué `aria-busy`).
    pub segment_stats: RwSignal<Option<SegmentStatsReply>>,
    /// Valeur client prédite de la segmentation courante, une fois demandée.
    pub clv: RwSignal<Option<Arc<ClvOutcome>>>,
    /// Vrai pendant un calcul de la valeur client.
    pub clv_busy: RwSignal<bool>,
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
    /// Dernières recommandations reçues pour un produit.
    pub product_advice: RwSignal<Option<Arc<ProductAdvice>>>,
    /// … pour un client (l'identifiant demandé, et `None` s'il est inconnu).
    pub customer_advice: RwSignal<Option<Arc<AdvisedCustomer>>>,
    /// … pour un segment.
    pub segment_advice: RwSignal<Option<Arc<SegmentAdvice>>>,
    /// État du worker d'analyse.
    pub worker: RwSignal<WorkerHealth>,
    /// Fichier refusé parce qu'une analyse était en cours (son nom).
    pub refused_file: RwSignal<Option<String>>,
    /// Réglages importés (fichier, appareil) : leurs choix propres à un
    /// fichier (feuille, filtre) valent aussi pour le prochain fichier.
    imported: StoredValue<Option<Settings>>,
    /// « Se souvenir de mes réglages sur cet appareil » : cochée par
    /// l'utilisateur, ou au chargement quand des réglages y étaient gardés.
    pub remember_settings: RwSignal<bool>,
    /// Devise des montants choisie (réglages) ; `None` : celle devinée du
    /// fichier ([`AppState::display_currency`]).
    pub currency: RwSignal<Option<Currency>>,
    /// Dernier import de réglages (fichier, adresse) : appliqués, ou pourquoi
    /// ils sont refusés.
    pub settings_outcome: RwSignal<Option<Result<(), PanierError>>>,
    /// Dernier segment choisi par l'utilisateur (liste des clients, ou
    /// recommandations pour un segment) ; annoncé à une page hôte.
    pub selected_segment: RwSignal<Option<String>>,
    /// Le segment des paniers de la dernière recherche lancée (`None` : tous
    /// les clients), montré en pastille.
    pub basket_segment: RwSignal<Option<String>>,
    /// Vrai pendant un changement de périmètre (filtre global).
    pub scope_busy: RwSignal<bool>,
    /// Pourquoi le dernier périmètre demandé a été refusé (vide…) : l'analyse
    /// affichée reste celle du périmètre précédent.
    pub scope_error: RwSignal<Option<PanierError>>,
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
    /// Le worker, lancé avec la page ([`AppState::prepare_worker`]) : une
    /// analyse ne dépend jamais d'un téléchargement fait à ce moment-là.
    client: StoredValue<Option<AnalysisClient>, LocalStorage>,
}

impl AppState {
    /// Crée l'état avec la langue et la vue initiales.
    pub fn new(lang: Lang, view: View) -> Self {
        Self {
            lang: RwSignal::new(lang),
            view: RwSignal::new(view),
            reco_tab: RwSignal::new(crate::route::current_tab()),
            theme: RwSignal::new(crate::theme::initial_theme()),
            analysis: RwSignal::new(AnalysisStatus::Idle),
            inspection: RwSignal::new(None),
            options: RwSignal::new(AnalysisOptions {
                cleaning: panier_core::clean::CleaningOptions {
                    // Aujourd'hui à minuit (horloge du navigateur) : borne des
                    // dates plausibles, comme dans la CLI.
                    today: Some((js_sys::Date::now() / 86_400_000.0).floor() as i64 * 86_400),
                    ..Default::default()
                },
                ..AnalysisOptions::default()
            }),
            source_name: RwSignal::new(String::new()),
            rfm: RwSignal::new(None),
            rfm_busy: RwSignal::new(false),
            segment_stats: RwSignal::new(None),
            grid: RwSignal::new(SegmentGrid::default()),
            movement: RwSignal::new(None),
            clv: RwSignal::new(None),
            clv_busy: RwSignal::new(false),
            customer_sheet: RwSignal::new(None),
            baskets: RwSignal::new(None),
            mining: RwSignal::new(None),
            next_mining: StoredValue::new(1),
            rules_page: RwSignal::new(None),
            worker_memory: RwSignal::new(0),
            evaluation: RwSignal::new(None),
            product_advice: RwSignal::new(None),
            customer_advice: RwSignal::new(None),
            segment_advice: RwSignal::new(None),
            worker: RwSignal::new(WorkerHealth::NotStarted),
            refused_file: RwSignal::new(None),
            imported: StoredValue::new(None),
            remember_settings: RwSignal::new(false),
            currency: RwSignal::new(None),
            settings_outcome: RwSignal::new(None),
            selected_segment: RwSignal::new(None),
            basket_segment: RwSignal::new(None),
            scope_busy: RwSignal::new(false),
            scope_error: RwSignal::new(None),
            product_suggestions: RwSignal::new(Vec::new()),
            recommend_error: RwSignal::new(None),
            client: StoredValue::new_local(None),
        }
    }

    /// Analyse un fichier choisi ou déposé par l'utilisateur. Un nouveau
    /// fichier repart d'une correspondance de colonnes détectée.
    ///
    /// Pendant une analyse, un autre fichier (choisi ou déposé) est refusé,
    /// et la page le dit : une seule analyse à la fois.
    pub fn analyze_file(&self, file: web_sys::File) {
        let name = file.name();
        if self.is_running() {
            self.refused_file.set(Some(name));
            return;
        }
        self.forget_file_specific_options();
        let options = self.options.get_untracked();
        self.start(name, WorkerCommand::AnalyzeFile { file, options });
    }

    /// Analyse les données de démonstration (générées dans le worker).
    pub fn analyze_demo(&self) {
        if self.is_running() {
            return;
        }
        self.forget_file_specific_options();
        let options = self.options.get_untracked();
        self.start("demo.csv".into(), WorkerCommand::AnalyzeDemo { options });
    }

    /// Les réglages de l'analyse affichée, tels qu'on les exporte : options,
    /// grille des segments, réglages de la dernière analyse des paniers,
    /// colonnes par leur nom dans l'en-tête du fichier.
    pub fn current_settings(&self) -> Settings {
        let mut options = self.options.get_untracked();
        if let Some(Ok(summary)) = self.baskets.get_untracked().as_deref() {
            options.set_basket_request(&summary.request);
        }
        let headers = self
            .inspection
            .with_untracked(|inspection| inspection.as_ref().map(|i| i.headers.clone()))
            .unwrap_or_default();
        let grid = self.grid.get_untracked();
        let mut settings = Settings::from_analysis(
            &options,
            Some(&grid),
            &headers,
            RECOMMENDATIONS_PER_CUSTOMER,
        );
        settings.display.currency = self.currency.get_untracked();
        settings
    }

    /// La devise des montants affichés : celle choisie, sinon celle que le
    /// cœur a devinée du fichier analysé (pays des clients), sinon aucune.
    /// Lue dans une vue, elle la redessine quand l'une ou l'autre change.
    pub fn display_currency(&self) -> Option<Currency> {
        self.currency
            .try_get()
            .flatten()
            .or_else(|| self.guessed_currency())
    }

    /// La devise devinée du fichier analysé.
    pub fn guessed_currency(&self) -> Option<Currency> {
        self.analysis
            .try_with(|status| match status {
                AnalysisStatus::Ready(result) => result.overview.currency,
                _ => None,
            })
            .flatten()
    }

    /// Applique des réglages (importés d'un fichier ou de l'appareil) : ils
    /// sont vérifiés d'abord (rien ne change s'ils sont refusés), puis
    /// deviennent les options de l'interface ; l'analyse affichée est
    /// refaite avec eux.
    pub fn apply_settings(&self, settings: &Settings) -> Result<(), PanierError> {
        let today = self.options.with_untracked(|o| o.cleaning.today);
        let options = settings.analysis_options(today)?;
        let grid = settings.segment_grid()?;
        self.imported.set_value(Some(settings.clone()));
        self.currency.set(settings.display.currency);
        self.options.set(options);
        self.grid.set(grid);
        let loaded = self
            .analysis
            .with_untracked(|status| matches!(status, AnalysisStatus::Ready(_)));
        if loaded && !self.is_running() {
            self.reanalyze();
        }
        Ok(())
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

    /// Demande au worker les indicateurs par segment de cette grille.
    pub fn request_segment_stats(&self, grid: SegmentGrid) {
        self.send(WorkerCommand::SegmentStats(grid));
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

    /// Relance l'analyse des paniers avec d'autres paramètres.
    /// `segment` : seulement les paniers des clients de ce segment (selon la
    /// grille affichée).
    pub fn mine_baskets(&self, request: BasketRequest, segment: Option<String>) {
        let id = self.next_mining.get_value();
        self.next_mining.set_value(id + 1);
        self.mining.set(Some(id));
        self.basket_segment.set(segment.clone());
        let segment = segment.map(|name| SegmentChoice {
            name,
            grid: self.grid.get_untracked(),
        });
        self.send(WorkerCommand::MineBaskets {
            id,
            request,
            segment,
        });
    }

    /// Annule l'analyse des paniers en cours : l'interface reprend la main
    /// tout de suite, et le worker arrête le calcul (il termine le worker
    /// des paniers qui le faisait) ; les résultats précédents restent.
    pub fn cancel_mining(&self) {
        if let Some(id) = self.mining.get_untracked() {
            self.mining.set(None);
            self.send(WorkerCommand::CancelMining(id));
        }
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

    /// Télécharge le classeur de tous les résultats (écrit par le worker),
    /// libellés dans la langue de l'interface, montants dans la devise
    /// affichée.
    pub fn export_workbook(&self) {
        self.send(WorkerCommand::ExportWorkbook {
            grid: self.grid.get_untracked(),
            lang: self.lang.get_untracked(),
            currency: self.currency.get_untracked(),
        });
    }

    /// Télécharge `rfm_segments.csv` selon la grille courante (écrit par le
    /// worker, qui a la segmentation).
    pub fn export_rfm(&self) {
        self.send(WorkerCommand::ExportRfm(self.grid.get_untracked()));
    }

    /// Change de périmètre (pays, période) sans relire le fichier.
    pub fn set_scope(&self, scope: Scope) {
        self.scope_busy.set(true);
        self.scope_error.set(None);
        self.send(WorkerCommand::SetScope(scope));
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
        self.segment_stats.set(None);
        // Nouvelle segmentation (autre fichier, périmètre, date) : la valeur
        // client est à redemander.
        self.clv.set(None);
        self.clv_busy.set(false);
        self.rfm.set(Some(Arc::new(outcome)));
    }

    /// Demande la valeur client (réglages de l'analyse : fin de la
    /// calibration, horizon des achats attendus…) et son résumé par segment
    /// de la grille affichée.
    pub fn compute_clv(&self) {
        let options = self.options.with_untracked(|o| o.clv);
        self.clv_busy.set(true);
        self.send(WorkerCommand::ComputeClv {
            options,
            grid: self.grid.get_untracked(),
        });
    }

    /// La correspondance des colonnes, la feuille et le périmètre valent
    /// pour un fichier : un autre fichier repart de tout le fichier.
    fn forget_file_specific_options(&self) {
        self.inspection.set(None);
        self.scope_error.set(None);
        let imported = self.imported.get_value();
        self.options.update(|options| {
            options.import.mapping = None;
            options.import.sheet = None;
            options.country = None;
            options.period_from = None;
            options.period_to = None;
            // Des réglages importés valent pour tout fichier de même forme :
            // leur feuille et leur filtre restent.
            if let Some(Ok(from)) = imported.as_ref().map(|s| s.analysis_options(None)) {
                options.import.sheet = from.import.sheet;
                options.country = from.country;
                options.period_from = from.period_from;
                options.period_to = from.period_to;
            }
        });
    }

    /// Vrai pendant une analyse (lecture, nettoyage…).
    pub fn is_running(&self) -> bool {
        self.analysis
            .with_untracked(|status| matches!(status, AnalysisStatus::Running { .. }))
    }

    fn start(&self, source: String, command: WorkerCommand) {
        self.refused_file.set(None);
        self.source_name.set(source.clone());
        self.analysis.set(AnalysisStatus::Running {
            source,
            stage: Stage::Read,
            fraction: 0.0,
        });
        self.send(command);
    }

    fn send(&self, command: WorkerCommand) {
        if let WorkerHealth::Unavailable(_) = self.worker.get_untracked() {
            // Le message d'erreur est déjà affiché, avec quoi faire.
            self.analysis.set(AnalysisStatus::Idle);
            return;
        }
        self.prepare_worker();
        self.client.with_value(|client| {
            if let Some(client) = client {
                client.send(command);
            }
        });
    }

    /// Lance le worker (dès l'ouverture de la page) : il se charge et se
    /// prépare (second worker, code optimisé par le navigateur) pendant que
    /// l'utilisateur choisit son fichier. Sans effet s'il tourne déjà.
    ///
    /// Dans une iframe « sandbox » sans `allow-same-origin`, le navigateur
    /// interdit les workers : la page le dit au lieu d'échouer. S'il ne
    /// répond pas à temps (hors ligne…), la page le dit aussi, avec un
    /// bouton pour réessayer.
    pub fn prepare_worker(&self) {
        if self.worker.get_untracked() != WorkerHealth::NotStarted {
            return;
        }
        if crate::worker::browser::opaque_origin() {
            self.worker
                .set(WorkerHealth::Unavailable(WorkerProblem::SandboxedFrame));
            return;
        }
        let state = *self;
        let client = AnalysisClient::spawn(move |event| match event {
            Ok(event) => state.apply(event),
            Err(detail) => state.unreadable_event(detail),
        });
        client.send(WorkerCommand::Hello);
        self.client.set_value(Some(client));
        self.worker.set(WorkerHealth::Starting);
        crate::worker::browser::after_ms(WORKER_START_TIMEOUT_MS, move || {
            if state.worker.get_untracked() == WorkerHealth::Starting {
                state.fail_worker(WorkerProblem::LoadFailed);
            }
        });
    }

    /// Le worker est inutilisable : l'analyse en cours s'arrête et le
    /// message dit pourquoi.
    fn fail_worker(&self, problem: WorkerProblem) {
        self.worker.set(WorkerHealth::Unavailable(problem));
        self.client.set_value(None);
        self.scope_busy.set(false);
        self.rfm_busy.set(false);
        if self.is_running() {
            self.analysis.set(AnalysisStatus::Idle);
        }
    }

    /// Un message du worker illisible. Avant sa réponse au premier message,
    /// c'est un worker d'une autre version (resté en cache) ; ensuite, un
    /// échec affiché comme les autres, au lieu d'une panique.
    fn unreadable_event(&self, detail: String) {
        if self.worker.get_untracked() == WorkerHealth::Starting {
            self.fail_worker(WorkerProblem::Outdated);
        } else {
            let detail = format!("message du worker illisible ({detail})");
            self.apply(WorkerEvent::Failed(PanierError::Internal { detail }));
        }
    }

    /// Relance le worker après un échec de chargement.
    pub fn retry_worker(&self) {
        self.client.set_value(None);
        self.worker.set(WorkerHealth::NotStarted);
        self.prepare_worker();
    }

    /// Applique un événement du worker ; un premier résultat mène à la vue
    /// d'ensemble.
    fn apply(&self, event: WorkerEvent) {
        match event {
            WorkerEvent::Hello(version) => {
                if version == PROTOCOL_VERSION {
                    self.worker.set(WorkerHealth::Ready);
                } else {
                    self.fail_worker(WorkerProblem::Outdated);
                }
            }
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
                // Les paniers d'une nouvelle analyse sont ceux de tous les clients.
                self.basket_segment.set(None);
                self.evaluation.set(None);
                self.product_advice.set(None);
                self.customer_advice.set(None);
                self.segment_advice.set(None);
                self.recommend_error.set(None);
                self.scope_busy.set(false);
                self.scope_error.set(None);
                // Le périmètre appliqué par le worker devient celui de la page.
                self.options.update(|o| {
                    o.country = result.options.country.clone();
                    o.period_from = result.options.period_from;
                    o.period_to = result.options.period_to;
                });
                self.analysis.set(AnalysisStatus::Ready(Arc::from(result)));
                if self.view.get_untracked() == View::Import {
                    navigate(View::Overview);
                }
            }
            WorkerEvent::Failed(error) => {
                self.scope_busy.set(false);
                self.analysis.set(AnalysisStatus::Failed(error));
            }
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
            WorkerEvent::ProductAdvised(advice) => {
                self.recommend_error.set(None);
                self.product_advice.set(Some(Arc::from(advice)));
            }
            WorkerEvent::CustomerAdvised { customer, advice } => {
                self.recommend_error.set(None);
                self.customer_advice.set(Some(Arc::new((customer, advice))));
            }
            WorkerEvent::SegmentAdvised(advice) => {
                self.recommend_error.set(None);
                self.segment_advice.set(Some(Arc::from(advice)));
            }
            WorkerEvent::ScopeRefused(error) => {
                self.scope_busy.set(false);
                self.scope_error.set(Some(error));
            }
            WorkerEvent::RecommendFailed(error) => self.recommend_error.set(Some(error)),
            WorkerEvent::ProductSuggestions(products) => self.product_suggestions.set(products),
            WorkerEvent::ClvComputed(outcome) => {
                self.clv_busy.set(false);
                self.clv.set(Some(Arc::from(outcome)));
            }
            WorkerEvent::RfmComputed(outcome) => {
                self.movement.set(None);
                self.set_rfm(*outcome);
            }
            WorkerEvent::SegmentStats { grid, stats } => {
                self.segment_stats.set(Some(Arc::new((grid, *stats))));
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

/// Propose un `Blob` au téléchargement (lien temporaire, cliqué puis libéré).
pub fn download(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    download_url(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Télécharge ces octets (faits dans la page) sous ce nom et ce type.
pub fn download_bytes(bytes: &[u8], mime: &str, name: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) {
        download(&blob, name);
    }
}

/// Télécharge ce que désigne `url` (adresse `blob:` ou `data:`) sous ce nom.
pub fn download_url(url: &str, name: &str) {
    use wasm_bindgen::JsCast;
    if let Some(anchor) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(url);
        anchor.set_download(name);
        anchor.click();
    }
}
