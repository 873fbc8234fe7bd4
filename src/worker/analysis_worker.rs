//! Ce qui s'exécute dans le Web Worker : lire le fichier par morceaux,
//! exécuter le pipeline du cœur, et relayer l'avancement.
//!
//! Le worker ne fait qu'acheminer : tout le calcul est dans `panier-core`,
//! le même code que la CLI.

use std::cell::RefCell;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use js_sys::Uint8Array;
use panier_core::basket::analysis::{analyze_baskets, BasketOutcome};
use panier_core::basket::query::{query, RulePage};
use panier_core::customer::customer_purchases;
use panier_core::demo::{generate_demo_csv, DemoConfig};
use panier_core::export::{write_cleaned_csv, write_itemsets_csv, write_rules_csv};
use panier_core::ingest::sniff::EncodingChoice;
use panier_core::ingest::{inspect, SourceFormat};
use panier_core::overview::overview;
use panier_core::pipeline::{analyze, AnalysisOutput};
use panier_core::progress::{ProgressSink, Stage};
use panier_core::recommend::evaluation::evaluate;
use panier_core::recommend::model::Params;
use panier_core::recommend::{write_recommendations_csv, Recommender};
use panier_core::rfm::movement::segment_movement;
use panier_core::rfm::{compute_rfm, RfmOptions};
use panier_core::PanierError;
use wasm_bindgen::{JsCast, JsValue};

use super::protocol::{
    AnalysisResult, RecommendRequest, RecommendResponse, RfmOutcome, SourceInfo, StageTiming,
    WorkerCommand, WorkerEvent,
};

/// Taille des morceaux lus dans le `File` : assez gros pour être rapide,
/// assez petit pour que la barre de progression avance.
const READ_CHUNK_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

thread_local! {
    /// Commande en cours : à qui répondre si le worker panique en la traitant.
    static CURRENT_COMMAND: RefCell<Option<(WorkerScope<AnalysisWorker>, HandlerId)>> =
        const { RefCell::new(None) };
}

/// Installe le crochet de panique du worker : la trace va dans la console, et
/// la page reçoit un échec lisible au lieu d'attendre indéfiniment une
/// réponse qui ne viendra pas.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let detail = info.to_string();
        CURRENT_COMMAND.with(|current| {
            if let Ok(current) = current.try_borrow() {
                if let Some((scope, id)) = current.as_ref() {
                    scope.respond(*id, WorkerEvent::Failed(PanierError::Internal { detail }));
                }
            }
        });
    }));
}

/// Le worker d'analyse. Il garde le dernier fichier lu (pour réanalyser
/// avec d'autres options sans le relire) et la dernière table nettoyée (pour
/// l'export).
#[derive(Default)]
pub struct AnalysisWorker {
    source: Option<(SourceInfo, Vec<u8>)>,
    last: Option<AnalysisOutput>,
    /// Dernière analyse des paniers (itemsets, règles, redondances).
    mined: Option<BasketOutcome>,
    /// Modèle de recommandation de la dernière analyse (appris à la
    /// première demande, avec les paramètres choisis en validation s'ils
    /// sont connus).
    recommender: Option<Recommender>,
    /// Paramètres choisis par la dernière évaluation.
    params: Option<Params>,
}

impl Worker for AnalysisWorker {
    type Message = ();
    type Input = WorkerCommand;
    type Output = WorkerEvent;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        AnalysisWorker::default()
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _message: Self::Message) {}

    fn received(&mut self, scope: &WorkerScope<Self>, command: WorkerCommand, id: HandlerId) {
        CURRENT_COMMAND.with(|current| *current.borrow_mut() = Some((scope.clone(), id)));
        let mut progress = WorkerProgress::new(scope.clone(), id);
        let event = match self.run(command, &mut progress) {
            Ok(event) => event,
            Err(error) => WorkerEvent::Failed(error),
        };
        scope.respond(id, event);
        CURRENT_COMMAND.with(|current| *current.borrow_mut() = None);
    }
}

impl AnalysisWorker {
    /// Exécute une commande et renvoie l'événement final.
    fn run(
        &mut self,
        command: WorkerCommand,
        progress: &mut WorkerProgress,
    ) -> Result<WorkerEvent, PanierError> {
        let options = match command {
            WorkerCommand::AnalyzeFile { file, options } => {
                self.last = None;
                self.mined = None;
                self.recommender = None;
                self.params = None;
                self.source = None;
                let bytes = read_file(&file, progress)?;
                let source = SourceInfo {
                    name: file.name(),
                    size_bytes: bytes.len() as u64,
                };
                self.source = Some((source, bytes));
                options
            }
            WorkerCommand::AnalyzeDemo { options } => {
                self.last = None;
                self.mined = None;
                self.recommender = None;
                self.params = None;
                progress.stage_started(Stage::Generate);
                let bytes = generate_demo_csv(&DemoConfig::default());
                let source = SourceInfo {
                    name: "demo.csv".into(),
                    size_bytes: bytes.len() as u64,
                };
                self.source = Some((source, bytes));
                options
            }
            WorkerCommand::Reanalyze { options } => options,
            WorkerCommand::ExportCleaned => return self.export_cleaned(),
            WorkerCommand::ComputeRfm { options } => {
                let output = self.last_output()?;
                return Ok(WorkerEvent::RfmComputed(Box::new(timed_rfm(
                    output, &options,
                ))));
            }
            WorkerCommand::Movement { levels, from, to } => {
                let output = self.last_output()?;
                let movement = segment_movement(&output.clean, levels, from, to);
                return Ok(WorkerEvent::MovementComputed(Box::new(movement)));
            }
            WorkerCommand::CustomerPurchases { customer } => {
                let output = self.last_output()?;
                let sheet = customer_purchases(&output.clean, &customer, 10);
                return Ok(WorkerEvent::CustomerPurchases(Box::new(sheet)));
            }
            WorkerCommand::MineBaskets { id, request } => {
                let output = self.last_output()?;
                let outcome = analyze_baskets(&output.clean, &request, &now_ms);
                let result = outcome
                    .as_ref()
                    .map(|o| o.summary.clone())
                    .map_err(Clone::clone);
                self.mined = outcome.ok();
                return Ok(WorkerEvent::BasketsMined {
                    id,
                    result: Box::new(result),
                    wasm_memory_bytes: wasm_memory_bytes(),
                });
            }
            WorkerCommand::QueryRules { query: q } => {
                let page = match self.mined.as_ref().map(|m| &m.rules) {
                    Some(Ok((set, flags))) => query(set, flags, &q),
                    _ => RulePage {
                        total: 0,
                        redundant: 0,
                        all: 0,
                        rows: Vec::new(),
                    },
                };
                return Ok(WorkerEvent::Rules(Box::new(page)));
            }
            WorkerCommand::Evaluate => {
                let output = self.last_output()?;
                let started = now_ms();
                let evaluation = evaluate(&output.clean);
                let ms = now_ms() - started;
                if let Ok(e) = &evaluation {
                    if self.params != Some(e.split.params) {
                        self.params = Some(e.split.params);
                        self.recommender = None;
                    }
                }
                return Ok(WorkerEvent::Evaluated(Box::new(evaluation), ms));
            }
            WorkerCommand::Recommend(request) => {
                return Ok(self
                    .recommend(request)
                    .unwrap_or_else(WorkerEvent::RecommendFailed))
            }
            WorkerCommand::SuggestProducts(text) => {
                return Ok(match self.recommender() {
                    Ok(recommender) => {
                        WorkerEvent::ProductSuggestions(recommender.suggest(&text, 20))
                    }
                    Err(error) => WorkerEvent::RecommendFailed(error),
                });
            }
            WorkerCommand::ExportRecommendations(lang) => {
                return Ok(self
                    .export_recommendations(lang)
                    .unwrap_or_else(WorkerEvent::RecommendFailed));
            }
            WorkerCommand::ExportItemsets => return self.export_baskets(false),
            WorkerCommand::ExportRules => return self.export_baskets(true),
        };
        let Some((source, bytes)) = &self.source else {
            return Err(PanierError::Internal {
                detail: "aucun fichier à réanalyser".into(),
            });
        };
        // L'aperçu part d'abord : l'étape de correspondance s'affiche même si
        // l'analyse échoue faute de colonne.
        progress.stage_started(Stage::Inspect);
        let inspection = inspect(bytes, &options.import)?;
        // L'encodage vient d'être décidé sur tout le fichier : l'analyse le
        // reprend au lieu de le redétecter (une passe de 45 Mo de moins).
        let mut options = options;
        if let (EncodingChoice::Auto, SourceFormat::Csv { encoding, .. }) =
            (options.import.encoding, &inspection.format)
        {
            options.import.encoding = EncodingChoice::from(*encoding);
        }
        progress
            .scope
            .respond(progress.id, WorkerEvent::Inspected(Box::new(inspection)));
        let output = analyze(bytes, &options, progress)?;
        self.recommender = None;
        progress.stage_started(Stage::Rfm);
        let rfm = timed_rfm(&output, &options.rfm);
        progress.stage_started(Stage::Baskets);
        let mined = analyze_baskets(&output.clean, &options.basket_request(), &now_ms);
        let baskets = mined
            .as_ref()
            .map(|m| m.summary.clone())
            .map_err(Clone::clone);
        self.mined = mined.ok();
        progress.stage_started(Stage::Overview);
        let overview = overview(&output.clean);
        progress.finish();
        let result = AnalysisResult {
            source: source.clone(),
            report: output.report.clone(),
            timings: std::mem::take(&mut progress.timings),
            wasm_memory_bytes: wasm_memory_bytes(),
            rfm,
            baskets,
            overview,
        };
        self.last = Some(output);
        Ok(WorkerEvent::Finished(Box::new(result)))
    }

    /// Le modèle de recommandation, appris à la première demande.
    fn recommender(&mut self) -> Result<&Recommender, PanierError> {
        if self.recommender.is_none() {
            let output = self.last.as_ref().ok_or_else(|| PanierError::Internal {
                detail: "aucune analyse en mémoire".into(),
            })?;
            self.recommender = Recommender::train(&output.clean, self.params.unwrap_or_default());
        }
        self.recommender
            .as_ref()
            .ok_or(PanierError::EvaluationImpossible {
                reason: "dates".into(),
            })
    }

    /// `recommendations.csv`, justifications dans la langue demandée.
    fn export_recommendations(
        &mut self,
        lang: panier_core::Lang,
    ) -> Result<WorkerEvent, PanierError> {
        self.recommender()?;
        let (Some(recommender), Some(output)) = (&self.recommender, &self.last) else {
            return Err(PanierError::Internal {
                detail: "aucune analyse".into(),
            });
        };
        let mut csv = Vec::new();
        write_recommendations_csv(&output.clean, recommender, 10, lang, &mut csv)
            .map_err(internal)?;
        download(&csv, "recommendations.csv".into())
    }

    /// Recommandations pour un produit, un client ou un segment.
    fn recommend(&mut self, request: RecommendRequest) -> Result<WorkerEvent, PanierError> {
        self.recommender()?;
        let (Some(output), Some(recommender)) = (&self.last, &self.recommender) else {
            return Err(PanierError::Internal {
                detail: "aucune analyse".into(),
            });
        };
        let clean = &output.clean;
        let ids = |customers: &[String]| -> Vec<u32> {
            customers
                .iter()
                .filter_map(|c| clean.table.customers.id_of(c))
                .collect()
        };
        let mut response = RecommendResponse {
            request: request.clone(),
            cross_sell: Vec::new(),
            upsell: Vec::new(),
            customer_upsell: Vec::new(),
            segment_fallback: false,
            best_sellers: Vec::new(),
        };
        match &request {
            RecommendRequest::Product(product, rank_by) => {
                response.cross_sell = recommender.cross_sell(product, 10, *rank_by);
                response.upsell = recommender.upsell(product, 10);
            }
            RecommendRequest::Customer {
                customer,
                segment,
                segment_customers,
                better_customers,
            } => {
                response.customer_upsell =
                    recommender.upsell_for_customer(clean, customer, &ids(better_customers), 10);
                let members = ids(segment_customers);
                let (discovery, fallback) =
                    recommender.for_customer_or_segment(clean, customer, segment, &members, 10);
                response.cross_sell = discovery;
                response.segment_fallback = fallback;
                response.upsell = recommender.reorder_for_customer(clean, customer, 10);
            }
            RecommendRequest::Segment { customers, .. } => {
                response.best_sellers = recommender.best_sellers_among(&ids(customers), 10);
            }
        }
        Ok(WorkerEvent::Recommended(Box::new(response)))
    }

    /// La dernière analyse, préalable aux calculs qui en partent.
    fn last_output(&self) -> Result<&AnalysisOutput, PanierError> {
        self.last.as_ref().ok_or_else(|| PanierError::Internal {
            detail: "aucune analyse en mémoire".into(),
        })
    }

    /// Écrit le CSV nettoyé dans un `Blob` que la page télécharge.
    fn export_cleaned(&self) -> Result<WorkerEvent, PanierError> {
        let (Some(output), Some((source, _))) = (&self.last, &self.source) else {
            return Err(PanierError::Internal {
                detail: "aucune analyse à exporter".into(),
            });
        };
        let mut csv = Vec::new();
        write_cleaned_csv(&output.clean, &mut csv).map_err(internal)?;
        let stem = source
            .name
            .rsplit_once('.')
            .map_or(source.name.as_str(), |(stem, _)| stem);
        download(&csv, format!("{stem}_cleaned.csv"))
    }

    /// Écrit `frequent_itemsets.csv` ou `association_rules.csv`.
    fn export_baskets(&self, rules: bool) -> Result<WorkerEvent, PanierError> {
        let Some(mined) = &self.mined else {
            return Err(PanierError::Internal {
                detail: "aucune analyse des paniers à exporter".into(),
            });
        };
        let mut csv = Vec::new();
        if rules {
            let (set, _) = mined.rules.as_ref().map_err(Clone::clone)?;
            write_rules_csv(set, &mut csv).map_err(internal)?;
            download(&csv, "association_rules.csv".into())
        } else {
            write_itemsets_csv(&mined.itemsets, &mut csv).map_err(internal)?;
            download(&csv, "frequent_itemsets.csv".into())
        }
    }
}

/// Un CSV (UTF-8) prêt à télécharger, passé à la page dans un `Blob`.
fn download(csv: &[u8], name: String) -> Result<WorkerEvent, PanierError> {
    let parts = js_sys::Array::of1(&Uint8Array::from(csv));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(unreadable)?;
    Ok(WorkerEvent::Download { blob, name })
}

/// Une écriture en mémoire qui échoue est un bogue, pas la faute du fichier.
fn internal(error: impl std::fmt::Display) -> PanierError {
    PanierError::Internal {
        detail: error.to_string(),
    }
}

/// Segmentation chronométrée.
fn timed_rfm(output: &AnalysisOutput, options: &RfmOptions) -> RfmOutcome {
    let started = now_ms();
    let result = compute_rfm(&output.clean, options);
    RfmOutcome {
        result,
        ms: now_ms() - started,
    }
}

/// Lit le `File` par morceaux avec `FileReaderSync` (disponible dans les
/// workers seulement), en signalant l'avancement.
fn read_file(file: &web_sys::File, progress: &mut WorkerProgress) -> Result<Vec<u8>, PanierError> {
    progress.stage_started(Stage::Read);
    let size = file.size();
    let mut bytes = Vec::with_capacity(size as usize);
    let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
    let mut offset = 0.0;
    while offset < size {
        let end = (offset + READ_CHUNK_BYTES).min(size);
        let chunk = file
            .slice_with_f64_and_f64(offset, end)
            .map_err(unreadable)?;
        let buffer = reader.read_as_array_buffer(&chunk).map_err(unreadable)?;
        let view = Uint8Array::new(&buffer);
        let start = bytes.len();
        bytes.resize(start + view.length() as usize, 0);
        view.copy_to(&mut bytes[start..]);
        offset = end;
        progress.advanced(Stage::Read, offset / size);
    }
    Ok(bytes)
}

/// Traduit une erreur du navigateur (lecture refusée, fichier disparu…).
fn unreadable(error: JsValue) -> PanierError {
    let detail = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "erreur du navigateur".into());
    PanierError::Unreadable { detail }
}

/// Taille de la mémoire linéaire WebAssembly du worker.
fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|memory| memory.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0, |buffer| u64::from(buffer.byte_length()))
}

/// Horloge du worker (`performance.now()`), en millisecondes.
fn now_ms() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Relaie l'avancement vers l'interface et chronomètre les étapes.
struct WorkerProgress {
    scope: WorkerScope<AnalysisWorker>,
    id: HandlerId,
    current: Option<(Stage, f64)>,
    last_sent: f64,
    timings: Vec<StageTiming>,
}

impl WorkerProgress {
    fn new(scope: WorkerScope<AnalysisWorker>, id: HandlerId) -> Self {
        Self {
            scope,
            id,
            current: None,
            last_sent: -1.0,
            timings: Vec::new(),
        }
    }

    /// Clôt l'étape en cours et enregistre sa durée.
    fn finish(&mut self) {
        if let Some((stage, started)) = self.current.take() {
            self.timings.push(StageTiming {
                stage,
                ms: now_ms() - started,
            });
        }
    }
}

impl ProgressSink for WorkerProgress {
    fn stage_started(&mut self, stage: Stage) {
        self.finish();
        self.current = Some((stage, now_ms()));
        self.last_sent = 0.0;
        self.scope.respond(
            self.id,
            WorkerEvent::Progress {
                stage,
                fraction: 0.0,
            },
        );
    }

    fn advanced(&mut self, stage: Stage, fraction: f64) {
        // Un message par pour-cent au plus : inutile d'inonder la page.
        if fraction - self.last_sent >= 0.01 || fraction >= 1.0 {
            self.last_sent = fraction;
            self.scope
                .respond(self.id, WorkerEvent::Progress { stage, fraction });
        }
    }
}
