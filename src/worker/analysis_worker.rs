//! Ce qui s'exécute dans le Web Worker : lire le fichier par morceaux,
//! exécuter le pipeline du cœur, et relayer l'avancement.
//!
//! Le worker ne fait qu'acheminer : tout le calcul est dans `panier-core`,
//! le même code que la CLI.

use std::cell::RefCell;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use js_sys::Uint8Array;
use panier_core::demo::{generate_demo_csv, DemoConfig};
use panier_core::ingest::sniff::EncodingChoice;
use panier_core::ingest::split::{self, CsvTail, HEAD_BYTES};
use panier_core::ingest::{
    begin_split_read, inspect, inspect_first_part, read_transactions, FirstPartSurvey,
    ImportOptions, Inspection, PartialRead, SourceFormat,
};
use panier_core::pipeline::{AnalysisOptions, WARM_UP_CUSTOMERS};
use panier_core::progress::{NoProgress, ProgressSink, Stage};
use panier_core::rfm::RfmOptions;
use panier_core::session::Session;
use panier_core::PanierError;
use wasm_bindgen::JsCast;

use super::browser::{now_ms, read_prefix, read_range, read_rest, unreadable, wasm_memory_bytes};
use super::helper::{self, Helper, HelperEvent};
use super::protocol::{
    AnalysisResult, RecommendRequest, RfmOutcome, SourceInfo, StageTiming, WorkerCommand,
    WorkerEvent, PROTOCOL_VERSION,
};

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
/// avec d'autres options d'import sans le relire) et la [`Session`] de la
/// dernière analyse, à qui il transmet toutes les demandes de la page.
///
/// Le même programme sert de **second worker** (lancé par le premier, avec
/// `?helper` dans son adresse) : il lit la seconde moitié des gros CSV
/// pendant que le premier lit la première.
#[derive(Default)]
pub struct AnalysisWorker {
    source: Option<(SourceInfo, Vec<u8>)>,
    /// L'analyse en cours : table, périmètre, résultats.
    session: Option<Session>,
    /// Le second worker.
    helper: Option<Helper>,
    /// Fichier arrivé avant que le second worker ait fini de démarrer.
    parked: Option<(WorkerCommand, HandlerId)>,
    /// Analyse qui attend la seconde moitié lue par le second worker.
    pending: Option<PendingAnalysis>,
    /// Numéro de la dernière demande faite au second worker.
    last_request: u64,
    /// Le fichier dont la fin n'a pas encore été copiée dans `source`.
    unread_tail: Option<web_sys::File>,
}

/// Une analyse arrêtée au milieu du fichier, en attendant sa fin.
struct PendingAnalysis {
    /// Numéro de la demande faite au second worker.
    request: u64,
    /// Le fichier, dont la fin reste à copier ici une fois l'analyse rendue.
    file: web_sys::File,
    /// Le début lu.
    partial: PartialRead,
    /// L'aperçu envoyé, décidé sur le début.
    inspection: Inspection,
    /// Paramètres de l'analyse.
    options: AnalysisOptions,
    /// Avancement et durées, relayés à la page qui a demandé l'analyse.
    progress: WorkerProgress,
}

/// Messages internes du worker.
pub enum WorkerMessage {
    /// Le second worker n'a pas démarré à temps : on s'en passe.
    HelperLate,
    /// La fin demandée (numéro de la demande) n'est pas arrivée à temps : le
    /// second worker est bloqué, le fichier est lu d'un trait.
    TailLate(u64),
    /// Ce que fait savoir le second worker.
    FromHelper(HelperEvent),
}

/// Répétitions du pipeline sur la petite démo avant le vrai fichier. Le
/// navigateur n'optimise une fonction qu'après un certain volume de calcul :
/// une seule répétition laisse l'analyse des lignes en partie dans sa version
/// lente (import + nettoyage du CSV Latin-1 : 307 à 372 ms au lieu de 268 à
/// 274 ms, médianes de séries de 9 ; six répétitions n'apportent rien de plus).
const WARM_UP_REHEARSALS: usize = 4;

/// Délai au-delà duquel un second worker qui ne démarre pas est ignoré (ms).
const HELPER_START_TIMEOUT_MS: f64 = 3_000.0;

/// Délai accordé au second worker pour rendre la fin d'un fichier, au-delà
/// du temps que celui-ci a mis à lire et analyser le début (ms) : les deux
/// moitiés demandent le même travail ; au-delà, il est bloqué.
const TAIL_GRACE_MS: f64 = 2_000.0;

impl Worker for AnalysisWorker {
    type Message = WorkerMessage;
    type Input = WorkerCommand;
    type Output = WorkerEvent;

    fn create(scope: &WorkerScope<Self>) -> Self {
        AnalysisWorker {
            helper: spawn_helper(scope),
            ..AnalysisWorker::default()
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, message: Self::Message) {
        match message {
            WorkerMessage::FromHelper(HelperEvent::Ready) => {
                if let Some(helper) = &mut self.helper {
                    helper.set_ready();
                }
                self.warm_up();
            }
            WorkerMessage::HelperLate => {
                if self.helper_starting() {
                    self.helper = None;
                    self.warm_up();
                }
            }
            WorkerMessage::TailLate(request) => {
                if let Some(pending) = self.pending.take_if(|p| p.request == request) {
                    self.helper = None;
                    self.join_pending(scope, pending, None, 0);
                }
                return;
            }
            WorkerMessage::FromHelper(HelperEvent::TailRead {
                request,
                tail,
                wasm_memory_bytes,
            }) => {
                // Une réponse à une demande remplacée depuis est ignorée.
                if let Some(pending) = self.pending.take_if(|p| p.request == request) {
                    self.join_pending(scope, pending, tail.map(|tail| *tail), wasm_memory_bytes);
                }
                return;
            }
            WorkerMessage::FromHelper(HelperEvent::Crashed) => {
                // Plus de second worker : l'analyse en attente lit tout le
                // fichier elle-même, les suivantes aussi.
                let was_ready = self.helper.take().is_some_and(|helper| helper.is_ready());
                if let Some(pending) = self.pending.take() {
                    self.join_pending(scope, pending, None, 0);
                }
                if !was_ready {
                    self.warm_up();
                }
            }
        }
        // Un fichier attendait la fin du démarrage du second worker.
        if !self.helper_starting() {
            if let Some((command, id)) = self.parked.take() {
                self.received(scope, command, id);
            }
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, command: WorkerCommand, id: HandlerId) {
        if matches!(command, WorkerCommand::AnalyzeFile { .. }) && self.helper_starting() {
            // Le second worker ne démarre que quand celui-ci rend la main.
            self.parked = Some((command, id));
            return;
        }
        with_current(scope, id, || {
            let mut progress = WorkerProgress::new(scope.clone(), id);
            match self.run(scope, command, &mut progress) {
                Ok(Some(event)) => scope.respond(id, event),
                // La réponse viendra avec la fin du fichier (`update`).
                Ok(None) => {}
                Err(error) => scope.respond(id, WorkerEvent::Failed(error)),
            }
        });
    }
}

/// Exécute `work` en notant à qui répondre si le worker panique.
fn with_current(scope: &WorkerScope<AnalysisWorker>, id: HandlerId, work: impl FnOnce()) {
    CURRENT_COMMAND.with(|current| *current.borrow_mut() = Some((scope.clone(), id)));
    work();
    CURRENT_COMMAND.with(|current| *current.borrow_mut() = None);
}

/// Lance le second worker (voir [`super::helper`]) et se passe de lui s'il ne
/// démarre pas à temps.
fn spawn_helper(scope: &WorkerScope<AnalysisWorker>) -> Option<Helper> {
    let forward = scope.clone();
    let helper =
        Helper::spawn(move |event| forward.send_message(WorkerMessage::FromHelper(event)))?;
    schedule(scope, HELPER_START_TIMEOUT_MS, WorkerMessage::HelperLate);
    Some(helper)
}

/// Envoie `message` au worker dans `delay_ms` millisecondes.
fn schedule(scope: &WorkerScope<AnalysisWorker>, delay_ms: f64, message: WorkerMessage) {
    let later = scope.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        later.send_message(message);
    });
    if let Ok(worker) = js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>() {
        let _ = worker.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            delay_ms as i32,
        );
    }
}

impl AnalysisWorker {
    /// Vrai si le second worker a été lancé mais ne s'est pas encore dit
    /// prêt.
    fn helper_starting(&self) -> bool {
        self.helper
            .as_ref()
            .is_some_and(|helper| !helper.is_ready())
    }

    /// Exécute une commande et renvoie l'événement final (`None` : il
    /// viendra quand le second worker aura lu la fin du fichier).
    fn run(
        &mut self,
        scope: &WorkerScope<Self>,
        command: WorkerCommand,
        progress: &mut WorkerProgress,
    ) -> Result<Option<WorkerEvent>, PanierError> {
        let options = match command {
            WorkerCommand::Hello => return Ok(Some(WorkerEvent::Hello(PROTOCOL_VERSION))),
            WorkerCommand::AnalyzeFile { file, options } => {
                self.forget_analysis();
                return self.analyze_file(scope, file, options, progress);
            }
            WorkerCommand::AnalyzeDemo { options } => {
                self.forget_analysis();
                progress.stage_started(Stage::Generate);
                let bytes = generate_demo_csv(&DemoConfig::default());
                let source = SourceInfo {
                    name: "demo.csv".into(),
                    size_bytes: bytes.len() as u64,
                };
                self.source = Some((source, bytes));
                options
            }
            WorkerCommand::Reanalyze { options } => {
                self.pending = None;
                options
            }
            WorkerCommand::SetScope(scope) => {
                let session = self.session()?;
                return Ok(Some(match session.set_scope(scope) {
                    Ok(_) => {
                        let source = self.source_info();
                        let session = self.session()?;
                        finish(session, source, progress, 0)
                    }
                    Err(error) => WorkerEvent::ScopeRefused(error),
                }));
            }
            WorkerCommand::ExportCleaned => return self.export_cleaned().map(Some),
            WorkerCommand::ExportRfm(grid) => {
                let mut csv = Vec::new();
                self.session()?.write_rfm(&grid, &mut csv)?;
                return download(&csv, "rfm_segments.csv".into()).map(Some);
            }
            WorkerCommand::ComputeRfm { options } => {
                let outcome = timed_rfm(self.session()?, &options);
                return Ok(Some(WorkerEvent::RfmComputed(Box::new(outcome))));
            }
            WorkerCommand::Movement { levels, from, to } => {
                let movement = self.session()?.movement(levels, from, to);
                return Ok(Some(WorkerEvent::MovementComputed(Box::new(movement))));
            }
            WorkerCommand::CustomerPurchases { customer } => {
                let sheet = self.session()?.customer_sheet(&customer, 10);
                return Ok(Some(WorkerEvent::CustomerPurchases(Box::new(sheet))));
            }
            WorkerCommand::MineBaskets {
                id,
                request,
                segment,
            } => {
                let result = self
                    .session()?
                    .mine_baskets(&request, segment.as_ref(), &now_ms)
                    .cloned();
                return Ok(Some(WorkerEvent::BasketsMined {
                    id,
                    result: Box::new(result),
                    wasm_memory_bytes: wasm_memory_bytes(),
                }));
            }
            WorkerCommand::QueryRules { query } => {
                let page = self.session()?.rules_page(&query);
                return Ok(Some(WorkerEvent::Rules(Box::new(page))));
            }
            WorkerCommand::Evaluate => {
                let started = now_ms();
                let evaluation = self.session()?.evaluation().clone();
                let ms = now_ms() - started;
                return Ok(Some(WorkerEvent::Evaluated(Box::new(evaluation), ms)));
            }
            WorkerCommand::Recommend(request) => {
                return Ok(Some(
                    self.recommend(request)
                        .unwrap_or_else(WorkerEvent::RecommendFailed),
                ))
            }
            WorkerCommand::SuggestProducts(text) => {
                return Ok(Some(match self.session()?.suggest_products(&text, 20) {
                    Ok(products) => WorkerEvent::ProductSuggestions(products),
                    Err(error) => WorkerEvent::RecommendFailed(error),
                }));
            }
            WorkerCommand::ExportRecommendations(lang) => {
                let mut csv = Vec::new();
                return Ok(Some(
                    match self.session()?.write_recommendations(10, lang, &mut csv) {
                        Ok(()) => download(&csv, "recommendations.csv".into())?,
                        Err(error) => WorkerEvent::RecommendFailed(error),
                    },
                ));
            }
            WorkerCommand::ExportItemsets => {
                let mut csv = Vec::new();
                self.session()?.write_itemsets(&mut csv)?;
                return download(&csv, "frequent_itemsets.csv".into()).map(Some);
            }
            WorkerCommand::ExportRules => {
                let mut csv = Vec::new();
                self.session()?.write_rules(&mut csv)?;
                return download(&csv, "association_rules.csv".into()).map(Some);
            }
        };
        self.analyze_source(options, progress).map(Some)
    }

    /// Répète le pipeline sur une petite démo (lecture à deux comprise) pour
    /// que le navigateur optimise le code de chaque étape avant le vrai
    /// fichier ; rien n'est gardé. Inutile si un fichier attend déjà.
    fn warm_up(&mut self) {
        if self.parked.is_some() {
            return;
        }
        let bytes = generate_demo_csv(&DemoConfig {
            customers: WARM_UP_CUSTOMERS,
            ..DemoConfig::default()
        });
        let options = AnalysisOptions::default();
        let _ = inspect(&bytes, &options.import);
        helper::rehearse();
        for _ in 1..WARM_UP_REHEARSALS {
            let _ = Session::load_in_two(&bytes, options.clone(), &mut NoProgress);
        }
        if let Ok(mut session) = Session::load_in_two(&bytes, options.clone(), &mut NoProgress) {
            let _ = session.rfm(&options.rfm);
            let _ = session.mine_baskets(&options.basket_request(), None, &now_ms);
            let _ = session.overview();
        }
    }

    /// Oublie la dernière analyse avant d'en commencer une autre.
    fn forget_analysis(&mut self) {
        self.session = None;
        self.source = None;
        self.pending = None;
        self.unread_tail = None;
    }

    /// Copie la fin du fichier, si elle n'a été lue que par le second worker.
    fn read_rest_of_source(&mut self) -> Result<(), PanierError> {
        match self.unread_tail.take() {
            Some(file) => self.read_rest_of_source_from(&file),
            None => Ok(()),
        }
    }

    /// Complète les octets gardés du fichier jusqu'à sa fin.
    fn read_rest_of_source_from(&mut self, file: &web_sys::File) -> Result<(), PanierError> {
        let Some((_, bytes)) = &mut self.source else {
            return Err(no_source());
        };
        read_rest(file, bytes)
    }

    /// Analyse un fichier choisi par l'utilisateur. Un gros CSV se lit à
    /// deux : le second worker lit et analyse la seconde moitié pendant que
    /// celui-ci lit et analyse la première ; la réponse part alors de
    /// `update`, quand la fin arrive.
    fn analyze_file(
        &mut self,
        scope: &WorkerScope<Self>,
        file: web_sys::File,
        options: AnalysisOptions,
        progress: &mut WorkerProgress,
    ) -> Result<Option<WorkerEvent>, PanierError> {
        let started = now_ms();
        let size = file.size() as usize;
        // Seul un gros CSV de transactions se lit à deux : le début du
        // fichier (quelques centaines de Ko) le dit ; le second worker le
        // reçoit avec la demande.
        let request = if split::split_point(size).is_some() {
            read_range(&file, 0, size.min(HEAD_BYTES))
                .ok()
                .filter(|head| split::worth_reading_tail(head, &options.import))
                .and_then(|head| self.ask_for_tail(&file, &head, &options.import))
        } else {
            None
        };
        let end = if request.is_some() {
            split::first_part_len(size)
        } else {
            size
        };
        let bytes = read_prefix(&file, end, progress)?;
        let source = SourceInfo {
            name: file.name(),
            size_bytes: size as u64,
        };
        self.source = Some((source, bytes));
        let Some(request) = request else {
            return self.analyze_source(options, progress).map(Some);
        };
        let Some((_, bytes)) = &self.source else {
            return Err(no_source());
        };
        progress.stage_started(Stage::Inspect);
        // Le début est jaugé une fois : son encodage sert à l'aperçu, son
        // bilan UTF-8 à la jonction.
        let survey = split::boundary(bytes, size)
            .and_then(|at| FirstPartSurvey::new(bytes, &options.import, at));
        let inspection = match &survey {
            Some(survey) => inspect_first_part(bytes, &options.import, survey)?,
            None => inspect(bytes, &options.import)?,
        };
        progress.respond(WorkerEvent::Inspected(Box::new(inspection.clone())));
        options.validate()?;
        let partial =
            survey.and_then(|survey| begin_split_read(bytes, &options.import, survey, progress));
        let Some(partial) = partial else {
            // Pas de coupe possible ici : tout le fichier, d'un trait.
            self.read_rest_of_source_from(&file)?;
            return self.analyze_source(options, progress).map(Some);
        };
        // Jusqu'à l'arrivée de la seconde moitié, le temps compte pour la
        // jonction. Si elle n'arrive pas, le fichier est lu d'un trait : la
        // page n'attend jamais indéfiniment.
        progress.stage_started(Stage::Join);
        let own_half_ms = now_ms() - started;
        schedule(
            scope,
            TAIL_GRACE_MS + 2.0 * own_half_ms,
            WorkerMessage::TailLate(request),
        );
        let progress = std::mem::replace(progress, WorkerProgress::new(scope.clone(), progress.id));
        self.pending = Some(PendingAnalysis {
            request,
            file,
            partial,
            inspection,
            options,
            progress,
        });
        Ok(None)
    }

    /// Termine l'analyse qui attendait la fin du fichier (`None` : elle n'a
    /// pas pu être lue, le fichier est relu d'un trait) et répond à la page ;
    /// puis copie la fin du fichier, pour réanalyser et exporter.
    fn join_pending(
        &mut self,
        scope: &WorkerScope<Self>,
        pending: PendingAnalysis,
        tail: Option<CsvTail>,
        helper_memory_bytes: u64,
    ) {
        let id = pending.progress.id;
        with_current(scope, id, || {
            let event = self
                .join_analysis(pending, tail, helper_memory_bytes)
                .unwrap_or_else(WorkerEvent::Failed);
            scope.respond(id, event);
            if let Err(error) = self.read_rest_of_source() {
                scope.respond(id, WorkerEvent::Failed(error));
            }
        });
    }

    /// Joint la fin lue par le second worker (ou, si elle ne se joint pas,
    /// relit tout le fichier d'un trait), puis termine l'analyse.
    fn join_analysis(
        &mut self,
        pending: PendingAnalysis,
        tail: Option<CsvTail>,
        helper_memory_bytes: u64,
    ) -> Result<WorkerEvent, PanierError> {
        let PendingAnalysis {
            file,
            partial,
            mut inspection,
            options,
            mut progress,
            ..
        } = pending;
        self.unread_tail = Some(file);
        let joined = tail.and_then(|tail| partial.join(tail, &options.import, &mut progress));
        let read = match joined {
            Some(read) => read?,
            None => {
                self.read_rest_of_source()?;
                let (_, bytes) = self.source.as_ref().ok_or_else(no_source)?;
                read_transactions(bytes, &options.import, &mut progress)?
            }
        };
        // L'aperçu avait jugé l'encodage sur le début : s'il a changé au vu de
        // tout le fichier, la page reçoit l'aperçu corrigé.
        if inspection.format != read.1.format {
            if let (Some((_, bytes)), SourceFormat::Csv { encoding, .. }) =
                (&self.source, &read.1.format)
            {
                let mut forced = options.import.clone();
                forced.encoding = EncodingChoice::from(*encoding);
                inspection = inspect(bytes, &forced)?;
                inspection.format = read.1.format.clone();
                progress.respond(WorkerEvent::Inspected(Box::new(inspection)));
            }
        }
        let session = Session::open(read, options, &mut progress)?;
        Ok(self.finish_analysis(session, &mut progress, helper_memory_bytes))
    }

    /// Analyse le fichier gardé en mémoire (démo, réanalyse, petit fichier).
    fn analyze_source(
        &mut self,
        options: AnalysisOptions,
        progress: &mut WorkerProgress,
    ) -> Result<WorkerEvent, PanierError> {
        let Some((_, bytes)) = &self.source else {
            return Err(no_source());
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
        progress.respond(WorkerEvent::Inspected(Box::new(inspection)));
        let session = Session::load(bytes, options, progress)?;
        Ok(self.finish_analysis(session, progress, 0))
    }

    /// Garde la session d'une analyse qui vient d'aboutir et renvoie la
    /// réponse complète.
    fn finish_analysis(
        &mut self,
        session: Session,
        progress: &mut WorkerProgress,
        helper_memory_bytes: u64,
    ) -> WorkerEvent {
        let source = self.source_info();
        let session = self.session.insert(session);
        finish(session, source, progress, helper_memory_bytes)
    }

    /// Le fichier analysé.
    fn source_info(&self) -> SourceInfo {
        self.source
            .as_ref()
            .map(|(source, _)| source.clone())
            .unwrap_or_default()
    }

    /// Demande au second worker de lire la fin d'un gros fichier dont `head`
    /// est le début ; renvoie le numéro de la demande, ou `None` (pas de
    /// second worker prêt).
    fn ask_for_tail(
        &mut self,
        file: &web_sys::File,
        head: &[u8],
        options: &ImportOptions,
    ) -> Option<u64> {
        let helper = self.helper.as_ref().filter(|helper| helper.is_ready())?;
        self.last_request += 1;
        let request = self.last_request;
        helper
            .read_tail(request, file, head, options)
            .then_some(request)
    }

    /// Recommandations pour un produit, un client ou un segment.
    fn recommend(&mut self, request: RecommendRequest) -> Result<WorkerEvent, PanierError> {
        let session = self.session()?;
        Ok(match request {
            RecommendRequest::Product(product, rank_by) => WorkerEvent::ProductAdvised(Box::new(
                session.recommend_product(&product, rank_by, 10)?,
            )),
            RecommendRequest::Customer { customer, grid } => WorkerEvent::CustomerAdvised {
                advice: session
                    .recommend_customer(&customer, &grid, 10)?
                    .map(Box::new),
                customer,
            },
            RecommendRequest::Segment(segment) => {
                WorkerEvent::SegmentAdvised(Box::new(session.recommend_segment(&segment, 10)?))
            }
        })
    }

    /// La session de la dernière analyse, préalable aux calculs qui en
    /// partent.
    fn session(&mut self) -> Result<&mut Session, PanierError> {
        self.session.as_mut().ok_or_else(|| PanierError::Internal {
            detail: "aucune analyse en mémoire".into(),
        })
    }

    /// Écrit le CSV nettoyé dans un `Blob` que la page télécharge.
    fn export_cleaned(&mut self) -> Result<WorkerEvent, PanierError> {
        let name = self.source_info().name;
        let mut csv = Vec::new();
        self.session()?.write_cleaned(&mut csv)?;
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        download(&csv, format!("{stem}_cleaned.csv"))
    }
}

/// Segmentation, paniers, vue d'ensemble du périmètre de la session : la
/// réponse complète que la page affiche.
fn finish(
    session: &mut Session,
    source: SourceInfo,
    progress: &mut WorkerProgress,
    helper_memory_bytes: u64,
) -> WorkerEvent {
    progress.stage_started(Stage::Rfm);
    let rfm_options = session.options().rfm;
    let rfm = timed_rfm(session, &rfm_options);
    progress.stage_started(Stage::Baskets);
    let request = session.options().basket_request();
    let baskets = session.mine_baskets(&request, None, &now_ms).cloned();
    progress.stage_started(Stage::Overview);
    let overview = session.overview().clone();
    progress.finish();
    WorkerEvent::Finished(Box::new(AnalysisResult {
        source,
        report: session.report().clone(),
        options: session.options().clone(),
        timings: std::mem::take(&mut progress.timings),
        wasm_memory_bytes: wasm_memory_bytes(),
        helper_memory_bytes,
        rfm,
        baskets,
        overview,
    }))
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

/// Segmentation chronométrée.
fn timed_rfm(session: &mut Session, options: &RfmOptions) -> RfmOutcome {
    let started = now_ms();
    let result = session.rfm(options).clone();
    RfmOutcome {
        result,
        ms: now_ms() - started,
    }
}

/// Aucune donnée en mémoire : un bogue d'enchaînement, pas la faute du fichier.
fn no_source() -> PanierError {
    PanierError::Internal {
        detail: "aucun fichier à analyser".into(),
    }
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

    /// Envoie un événement à la page qui a demandé l'analyse.
    fn respond(&self, event: WorkerEvent) {
        self.scope.respond(self.id, event);
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
