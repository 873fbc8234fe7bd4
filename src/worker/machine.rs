//! L'automate du worker d'analyse : ce qu'il fait de chaque commande de la
//! page et de chaque nouvelle du second worker, selon sa [`Phase`].
//!
//! Tout ici est du Rust ordinaire, compilé et testé hors du navigateur
//! (`cargo test -p panier-web --lib`). Le navigateur est derrière de petits
//! traits, que le worker (`super::analysis_worker`) implémente avec
//! `web_sys` et que les tests remplacent par des faux :
//!
//! | trait | rôle | dans le navigateur |
//! |---|---|---|
//! | [`FileSource`] | taille, nom, lecture d'une plage, du début, du reste | un `File` lu avec `FileReaderSync` |
//! | [`TailReader`] | demander la fin d'un fichier au second worker ; la réponse arrive plus tard ([`WorkerMessage::TailRead`]) | `super::helper::Helper` |
//! | [`Miner`] | faire calculer une analyse des paniers au worker des paniers ; la réponse arrive plus tard ([`WorkerMessage::Mined`]) ; lui faire répéter la mesure des recommandations ; le lâcher le termine | `super::miner::MinerWorker` |
//! | [`Timer`] | renvoyer un [`WorkerMessage`] au worker dans N ms | `setTimeout` |
//! | [`Page`] | répondre à la page, lui passer un fichier à télécharger | `WorkerScope::respond`, `Blob` |
//! | [`Host`] | les réunit, avec l'horloge, la mémoire et la répétition du pipeline | |
//!
//! Le cœur (`panier_core::session::Session`) fait tout le calcul ; l'automate
//! ne fait qu'orchestrer la lecture du fichier : d'un trait, ou à deux (le
//! début ici, la fin par le second worker, puis la jonction), et la recherche
//! des paniers : préparée ici, calculée par le worker des paniers, pour
//! qu'« Annuler » l'arrête net (le worker est terminé) et que ce worker-ci
//! reste libre pendant ce temps.

use std::fmt;

use panier_core::basket::analysis::{BasketJob, BasketOutcome, BasketRequest, BasketSummary};
use panier_core::demo::{generate_demo_csv, DemoConfig};
use panier_core::ingest::limits::Limit;
use panier_core::ingest::sniff::EncodingChoice;
use panier_core::ingest::split::{self, CsvTail, FIRST_PART_PERCENT, HEAD_BYTES};
use panier_core::ingest::{
    begin_split_read, inspect, inspect_first_part, read_transactions, FirstPartSurvey,
    ImportOptions, Inspection, PartialRead, SourceFormat,
};
use panier_core::pipeline::AnalysisOptions;
use panier_core::progress::{NoProgress, ProgressSink, Stage};
use panier_core::rfm::stats::rfm_charts;
use panier_core::rfm::RfmOptions;
use panier_core::session::{SegmentChoice, Session, WorkbookRequest};
use panier_core::workbook::WORKBOOK_FILE;
use panier_core::PanierError;

use super::protocol::{
    AnalysisResult, ClvOutcome, Command, RecommendRequest, RfmOutcome, SourceInfo, StageTiming,
    WorkerEvent, PROTOCOL_VERSION,
};

#[cfg(test)]
mod tests;

/// Un fichier choisi par l'utilisateur. Dans le navigateur, un `File` lu par
/// morceaux avec `FileReaderSync`.
pub trait FileSource {
    /// Nom du fichier.
    fn name(&self) -> String;
    /// Taille en octets.
    fn size(&self) -> usize;
    /// Les octets `start..end` (tronqués à la taille du fichier).
    fn read_range(&self, start: usize, end: usize) -> Result<Vec<u8>, PanierError>;
    /// Les `end` premiers octets, dans un tampon qui a déjà la place du
    /// fichier entier : la fin s'y ajoute sans recopier le début
    /// ([`FileSource::read_rest`]). Annonce l'étape [`Stage::Read`].
    fn read_prefix(
        &self,
        end: usize,
        progress: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, PanierError>;
    /// Complète `bytes`, le début du fichier, jusqu'à sa fin.
    fn read_rest(&self, bytes: &mut Vec<u8>) -> Result<(), PanierError>;
}

/// Une demande de fin de fichier faite au second worker.
pub struct TailRequest<'a, F> {
    /// Numéro de la demande, rendu avec la réponse.
    pub request: u64,
    /// Le fichier.
    pub file: &'a F,
    /// Où le couper : la fin commence à la première fin de ligne qui suit.
    pub mid: usize,
    /// Son début, déjà lu (au plus [`HEAD_BYTES`]) : en-tête, séparateur,
    /// colonnes.
    pub head: &'a [u8],
    /// Options d'import.
    pub options: &'a ImportOptions,
}

/// Le second worker, vu du worker d'analyse : il lit la fin d'un fichier ;
/// sa réponse arrive plus tard ([`WorkerMessage::TailRead`]), ou jamais
/// (plantage : [`WorkerMessage::HelperCrashed`] ; silence : le délai
/// [`WorkerMessage::TailLate`]). Le lâcher l'arrête.
pub trait TailReader<F> {
    /// Envoie la demande ; faux si elle n'a pas pu partir.
    fn read_tail(&self, request: TailRequest<'_, F>) -> bool;
}

/// Un minuteur.
pub trait Timer {
    /// Renvoie `message` au worker ([`Machine::update`]) dans `delay_ms`
    /// millisecondes.
    fn schedule(&self, delay_ms: f64, message: WorkerMessage);
}

/// Ce qui part vers la page.
pub trait Page {
    /// Qui a envoyé une commande, à qui répondre.
    type Client: Copy + Eq + fmt::Debug;
    /// Envoie un événement à la page.
    fn respond(&self, client: Self::Client, event: WorkerEvent);
    /// Un CSV (UTF-8) à télécharger, en événement pour la page.
    fn download(&self, csv: &[u8], name: String) -> Result<WorkerEvent, PanierError>;
}

/// Le worker des paniers, qui exécute les analyses des paniers. Le lâcher
/// (`drop`) le termine, calcul en cours compris.
pub trait Miner {
    /// Lui confie l'analyse `id` ; le résultat arrivera par
    /// [`WorkerMessage::Mined`]. `false` : l'envoi a échoué.
    fn mine(&self, id: u32, job: &BasketJob) -> bool;
    /// Lui demande de répéter la mesure des recommandations sur la petite
    /// démo (sans réponse ; une fois par worker, il ignore les suivantes).
    /// Le navigateur partage le code WebAssembly compilé entre les workers
    /// de la page, optimisations comprises : répétée sur l'autre cœur, la
    /// mesure est déjà optimisée ici quand la page « Qualité » la demande.
    fn rehearse_evaluation(&self);
}

/// Tout ce que le worker d'analyse demande à son hôte (le navigateur, ou les
/// faux des tests).
pub trait Host: Page + Timer + Clone {
    /// Les fichiers à analyser.
    type File: FileSource;
    /// Le second worker.
    type Helper: TailReader<Self::File>;
    /// Le worker des paniers.
    type Miner: Miner;
    /// Lance un worker des paniers (`None` : impossible ici ; les paniers se
    /// calculent alors dans ce worker-ci, sans annulation possible).
    fn spawn_miner(&self) -> Option<Self::Miner>;
    /// Horloge, en millisecondes.
    fn now_ms(&self) -> f64;
    /// Date et heure du jour, en secondes Unix (`None` : inconnues).
    fn unix_seconds(&self) -> Option<i64>;
    /// Mémoire WebAssembly du worker, en octets.
    fn memory_bytes(&self) -> u64;
    /// Répète le pipeline sur une petite démo pour que le navigateur
    /// optimise son code avant le vrai fichier ; rien n'est gardé.
    fn warm_up(&self);
}

/// À qui répondre, pour un hôte donné.
pub type Client<H> = <H as Page>::Client;

/// Ce qui réveille le worker en dehors des commandes de la page : le second
/// worker, ou un délai écoulé.
#[derive(Debug)]
pub enum WorkerMessage {
    /// Le second worker a démarré et répété sa lecture.
    HelperReady,
    /// Le second worker a lu la fin demandée.
    TailRead {
        /// Numéro de la demande.
        request: u64,
        /// La fin lue (`None` : elle n'a pas pu l'être).
        tail: Option<Box<CsvTail>>,
        /// Sa mémoire WebAssembly (octets).
        wasm_memory_bytes: u64,
    },
    /// Le second worker a planté (ou n'est pas utilisable) : la demande en
    /// cours n'aura pas de réponse.
    HelperCrashed,
    /// Le second worker n'a pas démarré à temps : on s'en passe.
    HelperLate,
    /// La fin demandée (numéro de la demande) n'est pas arrivée à temps : le
    /// second worker est bloqué, le fichier est lu d'un trait.
    TailLate(u64),
    /// Le worker des paniers a fini l'analyse `id`.
    Mined {
        /// Numéro de la demande de la page.
        id: u32,
        /// Son résultat (ou l'erreur : plafond…).
        outcome: Box<Result<BasketOutcome, PanierError>>,
        /// Mémoire WebAssembly du worker des paniers (octets).
        wasm_memory_bytes: u64,
    },
    /// Le worker des paniers a planté (ou n'a pas pu se charger).
    MinerCrashed,
    /// Le moment de faire répéter la mesure des recommandations au worker
    /// des paniers (voir [`Miner::rehearse_evaluation`]).
    RehearseEvaluation,
}

/// Délai entre une analyse rendue et la répétition de la mesure des
/// recommandations par le worker des paniers (ms) : le tableau de bord
/// s'affiche d'abord sans qu'un calcul lui dispute le processeur.
pub const EVALUATION_REHEARSAL_DELAY_MS: f64 = 100.0;

/// Délai au-delà duquel un second worker qui ne démarre pas est ignoré (ms).
pub const HELPER_START_TIMEOUT_MS: f64 = 3_000.0;

/// Délai accordé au second worker pour rendre la fin d'un fichier, au-delà
/// du temps que celui-ci a mis à lire et analyser le début (ms) : les deux
/// moitiés demandent le même travail ; au-delà, il est bloqué.
pub const TAIL_GRACE_MS: f64 = 2_000.0;

/// Quand et où couper un fichier pour le lire à deux. Par défaut, la coupe
/// de `panier_core::ingest::split` ; les tests coupent aussi de petits
/// fichiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPolicy {
    /// En dessous de cette taille, un fichier se lit d'un trait.
    pub min_bytes: usize,
    /// Au-delà du milieu, le début lu cherche sa première fin de ligne dans
    /// cette marge.
    pub lookahead_bytes: usize,
}

impl Default for SplitPolicy {
    fn default() -> Self {
        Self {
            min_bytes: split::MIN_SPLIT_BYTES,
            lookahead_bytes: split::LOOKAHEAD_BYTES,
        }
    }
}

impl SplitPolicy {
    /// Où couper un fichier de `size` octets ; `None` : d'un trait.
    pub fn mid(&self, size: usize) -> Option<usize> {
        (size >= self.min_bytes).then_some(size / 100 * FIRST_PART_PERCENT)
    }

    /// Octets du début à lire ici : jusqu'au milieu et sa marge.
    pub fn first_part_len(&self, size: usize) -> usize {
        self.mid(size)
            .map_or(size, |mid| size.min(mid + self.lookahead_bytes))
    }
}

/// Commandes de la page mises de côté pendant une analyse en cours, avec à
/// qui répondre, dans leur ordre d'arrivée.
pub type Queue<H> = Vec<(Command<<H as Host>::File>, Client<H>)>;

/// Où en est le worker d'analyse. Chaque variante ne porte que ce qui a un
/// sens dans cette phase : un fichier ne peut attendre que le second worker
/// qui démarre, une fin de fichier ne peut être attendue que d'un second
/// worker prêt, et les octets gardés d'un fichier analysé sont toujours
/// complets.
pub enum Phase<H: Host> {
    /// Le second worker démarre (il ne démarre que quand celui-ci rend la
    /// main). Un fichier qui arrive l'attend, pour être lu à deux.
    StartingHelper {
        /// Le second worker, pas encore prêt.
        helper: H::Helper,
        /// Ce que le worker tient en attendant.
        meanwhile: Meanwhile<H>,
    },
    /// Rien en mémoire.
    Idle {
        /// Le second worker, prêt ; `None` : il manque, a planté ou s'est tu,
        /// et les fichiers se lisent d'un trait.
        helper: Option<H::Helper>,
    },
    /// Le début d'un gros CSV est lu et analysé ; sa fin a été demandée au
    /// second worker. La réponse part quand elle arrive, ou quand il plante
    /// ou se tait (le fichier est alors lu d'un trait).
    AwaitingTail {
        /// Le second worker, prêt, qui lit la fin.
        helper: H::Helper,
        /// L'analyse arrêtée au milieu du fichier.
        pending: Box<Pending<H>>,
        /// Commandes arrivées depuis, servies une fois l'analyse rendue.
        queued: Queue<H>,
    },
    /// Un fichier (ou la démo) en mémoire, entier, et son analyse.
    Ready {
        /// Le second worker, prêt (`None` : voir [`Phase::Idle`]).
        helper: Option<H::Helper>,
        /// Le fichier et son analyse.
        loaded: Loaded,
    },
}

impl<H: Host> fmt::Debug for Phase<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phase::StartingHelper { meanwhile, .. } => {
                let mut f = f.debug_struct("StartingHelper");
                match meanwhile {
                    Meanwhile::Nothing => f.field("meanwhile", &"Nothing"),
                    Meanwhile::Parked(parked) => f.field("parked", &parked.client),
                    Meanwhile::Loaded(loaded) => f.field("loaded", loaded),
                };
                f.finish_non_exhaustive()
            }
            Phase::Idle { helper } => f
                .debug_struct("Idle")
                .field("helper", &helper.is_some())
                .finish(),
            Phase::AwaitingTail {
                pending, queued, ..
            } => f
                .debug_struct("AwaitingTail")
                .field("request", &pending.request)
                .field("source", &pending.source)
                .field("queued", &queued.len())
                .finish_non_exhaustive(),
            Phase::Ready { helper, loaded } => f
                .debug_struct("Ready")
                .field("helper", &helper.is_some())
                .field("loaded", loaded)
                .finish(),
        }
    }
}

/// Ce que le worker tient pendant que le second worker démarre.
pub enum Meanwhile<H: Host> {
    /// Rien.
    Nothing,
    /// Un fichier arrivé entre-temps (le dernier seulement), qui attend le
    /// second worker pour être lu à deux.
    Parked(Box<Parked<H>>),
    /// Une analyse faite entre-temps (démo, réanalyse), servie comme dans
    /// [`Phase::Ready`].
    Loaded(Loaded),
}

/// Un fichier arrivé pendant le démarrage du second worker.
pub struct Parked<H: Host> {
    /// Le fichier.
    file: H::File,
    /// Paramètres de l'analyse.
    options: AnalysisOptions,
    /// Qui l'a demandée.
    client: Client<H>,
    /// Commandes arrivées depuis, servies après son analyse.
    queued: Queue<H>,
}

/// Une analyse arrêtée au milieu du fichier, en attendant sa fin.
pub struct Pending<H: Host> {
    /// Numéro de la demande faite au second worker.
    request: u64,
    /// Le fichier, dont la fin reste à copier ici une fois l'analyse rendue.
    file: H::File,
    /// Nom et taille du fichier.
    source: SourceInfo,
    /// Le début lu (jusqu'au milieu et sa marge).
    first: Vec<u8>,
    /// Ses lignes lues et analysées.
    partial: PartialRead,
    /// L'aperçu envoyé, décidé sur le début.
    inspection: Inspection,
    /// Paramètres de l'analyse.
    options: AnalysisOptions,
    /// Avancement et durées, relayés à la page qui a demandé l'analyse.
    progress: Progress<H>,
}

/// Un fichier entier en mémoire (pour réanalyser avec d'autres options
/// d'import sans le relire) et sa session, à qui vont toutes les demandes de
/// la page.
pub struct Loaded {
    /// Nom et taille.
    source: SourceInfo,
    /// Tous ses octets.
    bytes: Vec<u8>,
    /// L'analyse : table, périmètre, résultats (`None` : elle a échoué, le
    /// fichier reste là pour réessayer avec d'autres options).
    session: Option<Box<Session>>,
}

impl Loaded {
    /// Le fichier, pour le réanalyser (l'analyse va être remplacée).
    fn take(&mut self) -> (SourceInfo, Vec<u8>) {
        (self.source.clone(), std::mem::take(&mut self.bytes))
    }
}

impl fmt::Debug for Loaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field("source", &self.source)
            .field("bytes", &self.bytes.len())
            .field("session", &self.session)
            .finish()
    }
}

/// Le worker d'analyse, sans le navigateur : sa phase, et l'hôte qui lui
/// donne fichiers, second worker, minuteur et page.
pub struct Machine<H: Host> {
    host: H,
    phase: Phase<H>,
    split: SplitPolicy,
    /// Numéro de la dernière demande faite au second worker.
    last_request: u64,
    /// Pages qui attendent la poignée de main : elle n'est rendue qu'une fois
    /// le second worker prêt (ou abandonné), pour que « prêt » veuille dire
    /// que tout ce dont l'analyse a besoin est chargé (hors ligne ensuite,
    /// rien ne manque).
    greeting: Vec<Client<H>>,
    /// Le worker des paniers : libre, occupé, ou absent.
    baskets: BasketWorker<H>,
    /// Vrai une fois le pipeline (mesure des recommandations comprise)
    /// répété ici sur la petite démo ([`Host::warm_up`]).
    warmed_up: bool,
}

/// Le worker des paniers, tel que le worker d'analyse le tient.
enum BasketWorker<H: Host> {
    /// Il n'a pas pu être lancé, ou a planté : les paniers se calculent ici.
    Absent,
    /// Prêt à recevoir une analyse.
    Free(H::Miner),
    /// Il calcule une analyse.
    Busy(Box<Mining<H>>),
}

/// Une analyse des paniers confiée au worker des paniers.
struct Mining<H: Host> {
    /// Numéro de la demande de la page.
    id: u32,
    /// Qui l'a demandée.
    client: Client<H>,
    /// L'analyse, gardée pour la faire ici si ce worker plante.
    job: BasketJob,
    /// Le worker qui la calcule (le lâcher l'arrête).
    miner: H::Miner,
}

impl<H: Host> Machine<H> {
    /// Un worker qui vient de démarrer, avec son second worker s'il a pu être
    /// lancé : il s'en passe s'il ne se dit pas prêt à temps.
    pub fn new(host: H, helper: Option<H::Helper>, split: SplitPolicy) -> Self {
        let phase = match helper {
            Some(helper) => {
                host.schedule(HELPER_START_TIMEOUT_MS, WorkerMessage::HelperLate);
                Phase::StartingHelper {
                    helper,
                    meanwhile: Meanwhile::Nothing,
                }
            }
            None => Phase::Idle { helper: None },
        };
        let baskets = host
            .spawn_miner()
            .map_or(BasketWorker::Absent, BasketWorker::Free);
        Self {
            host,
            phase,
            split,
            last_request: 0,
            greeting: Vec::new(),
            baskets,
            warmed_up: false,
        }
    }

    /// La phase en cours.
    pub fn phase(&self) -> &Phase<H> {
        &self.phase
    }

    /// À qui ira la prochaine réponse à un [`WorkerMessage`] : le demandeur
    /// de l'analyse en attente, ou du fichier qui attend le second worker.
    pub fn waiting_client(&self) -> Option<Client<H>> {
        match &self.phase {
            Phase::AwaitingTail { pending, .. } => Some(pending.progress.client),
            Phase::StartingHelper {
                meanwhile: Meanwhile::Parked(parked),
                ..
            } => Some(parked.client),
            _ => None,
        }
    }

    /// Une commande de la page (`Err` : elle n'a pas pu être lue ; la page
    /// reçoit un échec qui le dit).
    ///
    /// Une nouvelle analyse (fichier, démo, réanalyse) remplace celle en
    /// attente, qui ne recevra pas de réponse. Les autres commandes (filtre,
    /// segmentation, paniers, exports…) portent sur l'analyse : pendant
    /// qu'un fichier est lu à deux ou attend le second worker, elles
    /// attendent leur tour et sont servies dans l'ordre, sur la nouvelle
    /// analyse, dès qu'elle est rendue — exactement comme quand le worker,
    /// occupé à lire un fichier d'un trait, ne les voit qu'après.
    pub fn received(&mut self, command: Result<Command<H::File>, String>, client: Client<H>) {
        let command = match command {
            Ok(command) => command,
            Err(detail) => {
                let detail = format!("commande illisible ({detail})");
                self.respond(
                    client,
                    WorkerEvent::Failed(PanierError::Internal { detail }),
                );
                return;
            }
        };
        match command {
            Command::Hello => match self.phase {
                Phase::StartingHelper { .. } => self.greeting.push(client),
                _ => self.respond(client, WorkerEvent::Hello(PROTOCOL_VERSION)),
            },
            Command::AnalyzeFile { file, options } => {
                self.analyze_file(file, options, client, Vec::new());
            }
            Command::AnalyzeDemo { options } => self.analyze_demo(options, client),
            Command::Reanalyze { options } => self.reanalyze(options, client),
            command => match self.queue() {
                Some(queued) => queued.push((command, client)),
                None => match command {
                    Command::MineBaskets {
                        id,
                        request,
                        segment,
                    } => self.mine(id, &request, segment.as_ref(), client),
                    Command::CancelMining(id) => self.cancel_mining(id),
                    command => {
                        let event = self
                            .serve(command, client)
                            .unwrap_or_else(WorkerEvent::Failed);
                        self.respond(client, event);
                    }
                },
            },
        }
    }

    /// Une analyse des paniers : préparée ici (paniers, segment), calculée
    /// par le worker des paniers, ou ici s'il n'y en a pas. Une nouvelle
    /// demande remplace celle en cours.
    fn mine(
        &mut self,
        id: u32,
        request: &BasketRequest,
        segment: Option<&SegmentChoice>,
        client: Client<H>,
    ) {
        self.stop_mining();
        let host = self.host.clone();
        let clock = || host.now_ms();
        let session = match self.session() {
            Ok(session) => session,
            Err(error) => return self.respond(client, WorkerEvent::Failed(error)),
        };
        let job = match session.basket_job(request, segment, &clock) {
            Ok(job) => job,
            Err(error) => {
                session.forget_baskets();
                let event = mined(id, Err(error), host.memory_bytes());
                return self.respond(client, event);
            }
        };
        // `stop_mining` a libéré le worker des paniers s'il y en a un.
        match std::mem::replace(&mut self.baskets, BasketWorker::Absent) {
            BasketWorker::Free(miner) if miner.mine(id, &job) => {
                self.baskets = BasketWorker::Busy(Box::new(Mining {
                    id,
                    client,
                    job,
                    miner,
                }));
            }
            // Pas de worker des paniers (ou il refuse le message) : ici.
            _ => self.mine_here(id, &job, client),
        }
    }

    /// Calcule une analyse des paniers dans ce worker-ci et répond.
    fn mine_here(&mut self, id: u32, job: &BasketJob, client: Client<H>) {
        let host = self.host.clone();
        let outcome = job.run(&|| host.now_ms(), &mut NoProgress);
        self.mined(id, outcome, host.memory_bytes(), client);
    }

    /// Garde le résultat d'une analyse des paniers dans la session et le
    /// résume à la page.
    fn mined(
        &mut self,
        id: u32,
        outcome: Result<BasketOutcome, PanierError>,
        wasm_memory_bytes: u64,
        client: Client<H>,
    ) {
        let event = match self.session() {
            Ok(session) => {
                let result = match outcome {
                    Ok(outcome) => Ok(session.accept_baskets(outcome).clone()),
                    Err(error) => {
                        session.forget_baskets();
                        Err(error)
                    }
                };
                mined(id, result, wasm_memory_bytes)
            }
            Err(error) => WorkerEvent::Failed(error),
        };
        self.respond(client, event);
    }

    /// Le worker des paniers a fini l'analyse `id` : il redevient libre, et
    /// le résultat va à la session, puis à la page (une réponse à une
    /// demande arrêtée depuis n'arrive pas : son worker est terminé).
    fn miner_done(
        &mut self,
        id: u32,
        outcome: Result<BasketOutcome, PanierError>,
        wasm_memory_bytes: u64,
    ) {
        let mining = match std::mem::replace(&mut self.baskets, BasketWorker::Absent) {
            BasketWorker::Busy(mining) if mining.id == id => mining,
            other => return self.baskets = other,
        };
        self.baskets = BasketWorker::Free(mining.miner);
        self.mined(id, outcome, wasm_memory_bytes, mining.client);
    }

    /// Le worker des paniers a planté (mémoire épuisée, chargement
    /// impossible hors ligne…) : l'analyse en cours se fait ici, et les
    /// suivantes aussi.
    fn miner_crashed(&mut self) {
        if let BasketWorker::Busy(mining) =
            std::mem::replace(&mut self.baskets, BasketWorker::Absent)
        {
            drop(mining.miner);
            self.mine_here(mining.id, &mining.job, mining.client);
        }
    }

    /// « Annuler » : arrête l'analyse des paniers `id` si c'est celle en
    /// cours.
    fn cancel_mining(&mut self, id: u32) {
        if matches!(&self.baskets, BasketWorker::Busy(mining) if mining.id == id) {
            self.stop_mining();
        }
    }

    /// Arrête l'analyse des paniers en cours, s'il y en a une : son worker
    /// est terminé (et remplacé), la page reçoit [`PanierError::Cancelled`],
    /// et la dernière analyse des paniers reste celle d'avant.
    fn stop_mining(&mut self) {
        if let BasketWorker::Busy(mining) = &self.baskets {
            let (id, client) = (mining.id, mining.client);
            // Remplacé, le worker occupé est lâché, donc terminé.
            self.baskets = self
                .host
                .spawn_miner()
                .map_or(BasketWorker::Absent, BasketWorker::Free);
            self.respond(client, mined(id, Err(PanierError::Cancelled), 0));
        }
    }

    /// Les commandes mises de côté, pendant qu'une analyse est en cours.
    fn queue(&mut self) -> Option<&mut Queue<H>> {
        match &mut self.phase {
            Phase::AwaitingTail { queued, .. } => Some(queued),
            Phase::StartingHelper {
                meanwhile: Meanwhile::Parked(parked),
                ..
            } => Some(&mut parked.queued),
            _ => None,
        }
    }

    /// Une nouvelle du second worker, ou un délai écoulé.
    pub fn update(&mut self, message: WorkerMessage) {
        // Les nouvelles du worker des paniers ne dépendent pas de la phase :
        // toute nouvelle analyse arrête d'abord la recherche en cours.
        let message = match message {
            WorkerMessage::Mined {
                id,
                outcome,
                wasm_memory_bytes,
            } => return self.miner_done(id, *outcome, wasm_memory_bytes),
            WorkerMessage::MinerCrashed => return self.miner_crashed(),
            WorkerMessage::RehearseEvaluation => {
                if let BasketWorker::Free(miner) = &self.baskets {
                    miner.rehearse_evaluation();
                }
                return;
            }
            message => message,
        };
        match (self.take_phase(), message) {
            (Phase::StartingHelper { helper, meanwhile }, WorkerMessage::HelperReady) => {
                self.helper_started(Some(helper), meanwhile);
            }
            (
                Phase::StartingHelper { helper, meanwhile },
                WorkerMessage::HelperLate | WorkerMessage::HelperCrashed,
            ) => {
                drop(helper);
                self.helper_started(None, meanwhile);
            }
            // Plus de second worker : l'analyse en attente lit tout le
            // fichier elle-même, les suivantes aussi.
            (
                Phase::AwaitingTail {
                    helper,
                    pending,
                    queued,
                },
                WorkerMessage::HelperCrashed,
            ) => {
                drop(helper);
                self.join(None, *pending, None, 0, queued);
            }
            (Phase::Idle { .. }, WorkerMessage::HelperCrashed) => {
                self.phase = Phase::Idle { helper: None };
            }
            (Phase::Ready { loaded, .. }, WorkerMessage::HelperCrashed) => {
                self.phase = Phase::Ready {
                    helper: None,
                    loaded,
                };
            }
            // Le second worker est bloqué : on s'en passe (le lâcher
            // l'arrête).
            (
                Phase::AwaitingTail {
                    helper,
                    pending,
                    queued,
                },
                WorkerMessage::TailLate(request),
            ) if pending.request == request => {
                drop(helper);
                self.join(None, *pending, None, 0, queued);
            }
            (
                Phase::AwaitingTail {
                    helper,
                    pending,
                    queued,
                },
                WorkerMessage::TailRead {
                    request,
                    tail,
                    wasm_memory_bytes,
                },
            ) if pending.request == request => self.join(
                Some(helper),
                *pending,
                tail.map(|tail| *tail),
                wasm_memory_bytes,
                queued,
            ),
            // Une réponse (ou un délai) d'une demande remplacée depuis, un
            // second worker déjà prêt ou déjà oublié : rien à faire.
            (phase, _) => self.phase = phase,
        }
    }

    /// Le second worker a fini de démarrer (`helper`), ou on s'en passe
    /// (`None`) : le navigateur optimise le code du pipeline, sauf si un
    /// fichier attend déjà, qui est alors analysé.
    fn helper_started(&mut self, helper: Option<H::Helper>, meanwhile: Meanwhile<H>) {
        for client in std::mem::take(&mut self.greeting) {
            self.respond(client, WorkerEvent::Hello(PROTOCOL_VERSION));
        }
        match meanwhile {
            Meanwhile::Nothing => {
                self.phase = Phase::Idle { helper };
                self.warm_up();
            }
            Meanwhile::Loaded(loaded) => {
                self.phase = Phase::Ready { helper, loaded };
                self.warm_up();
            }
            Meanwhile::Parked(parked) => {
                self.phase = Phase::Idle { helper };
                self.analyze_file(parked.file, parked.options, parked.client, parked.queued);
            }
        }
    }

    /// Répète le pipeline sur la petite démo ([`Host::warm_up`]), et s'en
    /// souvient.
    fn warm_up(&mut self) {
        self.host.warm_up();
        self.warmed_up = true;
    }

    /// Sort la phase en cours (la remplace provisoirement par
    /// [`Phase::Idle`] sans second worker).
    fn take_phase(&mut self) -> Phase<H> {
        std::mem::replace(&mut self.phase, Phase::Idle { helper: None })
    }

    /// Oublie l'analyse en cours ou en mémoire avant d'en commencer une
    /// autre (le second worker reste) ; rend les commandes qui l'attendaient.
    fn forget_analysis(&mut self) -> Queue<H> {
        self.stop_mining();
        let (phase, queued) = match self.take_phase() {
            Phase::StartingHelper { helper, meanwhile } => (
                Phase::StartingHelper {
                    helper,
                    meanwhile: Meanwhile::Nothing,
                },
                match meanwhile {
                    Meanwhile::Parked(parked) => parked.queued,
                    Meanwhile::Nothing | Meanwhile::Loaded(_) => Vec::new(),
                },
            ),
            Phase::AwaitingTail { helper, queued, .. } => (
                Phase::Idle {
                    helper: Some(helper),
                },
                queued,
            ),
            Phase::Idle { helper } | Phase::Ready { helper, .. } => {
                (Phase::Idle { helper }, Vec::new())
            }
        };
        self.phase = phase;
        queued
    }

    /// Garde une analyse qui vient de se terminer (après
    /// [`Machine::forget_analysis`]).
    fn keep(&mut self, loaded: Loaded) {
        self.phase = match self.take_phase() {
            Phase::StartingHelper { helper, .. } => Phase::StartingHelper {
                helper,
                meanwhile: Meanwhile::Loaded(loaded),
            },
            Phase::AwaitingTail { helper, .. } => Phase::Ready {
                helper: Some(helper),
                loaded,
            },
            Phase::Idle { helper } | Phase::Ready { helper, .. } => Phase::Ready { helper, loaded },
        };
    }

    /// Sert les commandes mises de côté pendant une analyse.
    fn serve_queued(&mut self, queued: Queue<H>) {
        for (command, client) in queued {
            self.received(Ok(command), client);
        }
    }

    fn respond(&self, client: Client<H>, event: WorkerEvent) {
        let finished = matches!(event, WorkerEvent::Finished(_));
        self.host.respond(client, event);
        // Une analyse vient d'être rendue sans que ce worker ait répété le
        // pipeline (fichier arrivé avant l'échauffement) : la mesure des
        // recommandations n'a jamais tourné, et ses plus longues boucles,
        // appelées une fois par mesure, tourneraient entièrement dans le
        // code lent. Le worker des paniers la répète donc, un peu après
        // (voir `EVALUATION_REHEARSAL_DELAY_MS`). Toujours demandée, elle
        // ralentissait l'affichage du tableau de bord (≈ 40 ms) pour un code
        // déjà optimisé ; faite au démarrage du worker des paniers, elle
        // disputait le processeur à la lecture du fichier.
        if finished && !self.warmed_up {
            self.host.schedule(
                EVALUATION_REHEARSAL_DELAY_MS,
                WorkerMessage::RehearseEvaluation,
            );
        }
    }

    /// Analyse un fichier choisi par l'utilisateur (`queued` : commandes
    /// arrivées après lui). Un gros CSV se lit à deux : le second worker lit
    /// et analyse la fin pendant que celui-ci lit et analyse le début ; la
    /// réponse part quand la fin arrive ([`Machine::update`]).
    fn analyze_file(
        &mut self,
        file: H::File,
        options: AnalysisOptions,
        client: Client<H>,
        queued: Queue<H>,
    ) {
        // Un fichier trop gros pour la mémoire d'un onglet est refusé avant
        // d'en lire un octet : l'analyse en cours, s'il y en a une, reste.
        if let Err(error) = Limit::BrowserFile.check(file.size() as u64) {
            self.respond(client, WorkerEvent::Failed(error));
            self.serve_queued(queued);
            return;
        }
        let queued = chain(self.forget_analysis(), queued);
        let helper = match self.take_phase() {
            Phase::StartingHelper { helper, .. } => {
                // Le second worker ne démarre que quand celui-ci rend la
                // main : le fichier l'attend.
                self.phase = Phase::StartingHelper {
                    helper,
                    meanwhile: Meanwhile::Parked(Box::new(Parked {
                        file,
                        options,
                        client,
                        queued,
                    })),
                };
                return;
            }
            Phase::Idle { helper } => helper,
            // Pas d'autre phase après `forget_analysis`.
            Phase::AwaitingTail { helper, .. } => Some(helper),
            Phase::Ready { helper, .. } => helper,
        };
        let started = self.host.now_ms();
        let mut progress = Progress::new(self.host.clone(), client);
        let size = file.size();
        // Seul un gros CSV de transactions se lit à deux : son début le dit,
        // et le second worker le reçoit avec la demande.
        let split = helper
            .as_ref()
            .zip(self.split.mid(size))
            .and_then(|(helper, mid)| {
                let request = self.ask_for_tail(helper, &file, mid, &options.import)?;
                Some((request, mid))
            });
        let end = match split {
            Some(_) => self.split.first_part_len(size),
            None => size,
        };
        let source = SourceInfo {
            name: file.name(),
            size_bytes: size as u64,
        };
        let mut first = match file.read_prefix(end, &mut progress) {
            Ok(bytes) => bytes,
            Err(error) => {
                self.phase = Phase::Idle { helper };
                self.respond(client, WorkerEvent::Failed(error));
                self.serve_queued(queued);
                return;
            }
        };
        let begun = split.and_then(|(request, mid)| {
            let (partial, inspection) = begin_split(&first, mid, &options, &mut progress)?;
            Some((request, partial, inspection))
        });
        match (helper, begun) {
            (Some(helper), Some((request, partial, inspection))) => {
                // Jusqu'à l'arrivée de la fin, le temps compte pour la
                // jonction. Si elle n'arrive pas, le fichier est lu d'un
                // trait : la page n'attend jamais indéfiniment.
                progress.stage_started(Stage::Join);
                let own_part_ms = self.host.now_ms() - started;
                self.host.schedule(
                    TAIL_GRACE_MS + 2.0 * own_part_ms,
                    WorkerMessage::TailLate(request),
                );
                self.phase = Phase::AwaitingTail {
                    helper,
                    pending: Box::new(Pending {
                        request,
                        file,
                        source,
                        first,
                        partial,
                        inspection,
                        options,
                        progress,
                    }),
                    queued,
                };
            }
            (helper, _) => {
                self.phase = Phase::Idle { helper };
                // Pas de coupe possible (ou petit fichier) : tout le
                // fichier, d'un trait.
                if let Err(error) = file.read_rest(&mut first) {
                    self.respond(client, WorkerEvent::Failed(error));
                    self.serve_queued(queued);
                    return;
                }
                let queued = chain(self.analyze_bytes(source, first, options, progress), queued);
                self.serve_queued(queued);
            }
        }
    }

    /// Demande au second worker de lire la fin d'un gros CSV coupé à `mid` ;
    /// renvoie le numéro de la demande, ou `None` (fichier qui ne se lit pas
    /// à deux, demande qui n'a pas pu partir).
    fn ask_for_tail(
        &mut self,
        helper: &H::Helper,
        file: &H::File,
        mid: usize,
        options: &ImportOptions,
    ) -> Option<u64> {
        let head = file.read_range(0, file.size().min(HEAD_BYTES)).ok()?;
        if !split::worth_reading_tail(&head, options) {
            return None;
        }
        self.last_request += 1;
        let request = self.last_request;
        helper
            .read_tail(TailRequest {
                request,
                file,
                mid,
                head: &head,
                options,
            })
            .then_some(request)
    }

    /// Termine l'analyse qui attendait la fin du fichier (`None` : elle n'a
    /// pas pu être lue, le fichier est relu d'un trait) et répond à la page ;
    /// puis copie la fin du fichier (pour réanalyser et exporter), et sert
    /// les commandes arrivées entre-temps.
    fn join(
        &mut self,
        helper: Option<H::Helper>,
        pending: Pending<H>,
        tail: Option<CsvTail>,
        helper_memory_bytes: u64,
        queued: Queue<H>,
    ) {
        let Pending {
            file,
            source,
            mut first,
            partial,
            inspection,
            options,
            mut progress,
            ..
        } = pending;
        let client = progress.client;
        let session = join_read(
            &file,
            &mut first,
            partial,
            tail,
            inspection,
            &options,
            &mut progress,
        );
        let (session, event) = match session {
            Ok(mut session) => {
                let event = finish(
                    &self.host,
                    &mut session,
                    source.clone(),
                    &mut progress,
                    helper_memory_bytes,
                );
                (Some(Box::new(session)), event)
            }
            Err(error) => (None, WorkerEvent::Failed(error)),
        };
        self.respond(client, event);
        self.phase = match file.read_rest(&mut first) {
            Ok(()) => Phase::Ready {
                helper,
                loaded: Loaded {
                    source,
                    bytes: first,
                    session,
                },
            },
            Err(error) => {
                self.respond(client, WorkerEvent::Failed(error));
                Phase::Idle { helper }
            }
        };
        self.serve_queued(queued);
    }

    /// Analyse les données de démonstration.
    fn analyze_demo(&mut self, options: AnalysisOptions, client: Client<H>) {
        let queued = self.forget_analysis();
        let mut progress = Progress::new(self.host.clone(), client);
        progress.stage_started(Stage::Generate);
        let bytes = generate_demo_csv(&DemoConfig::default());
        let source = SourceInfo {
            name: "demo.csv".into(),
            size_bytes: bytes.len() as u64,
        };
        let queued = chain(self.analyze_bytes(source, bytes, options, progress), queued);
        self.serve_queued(queued);
    }

    /// Réanalyse le dernier fichier avec d'autres options : celui en mémoire,
    /// celui dont la fin est attendue (lu alors en entier, d'un trait), ou
    /// celui qui attend le second worker.
    fn reanalyze(&mut self, options: AnalysisOptions, client: Client<H>) {
        let mut progress = Progress::new(self.host.clone(), client);
        let read = match &mut self.phase {
            Phase::Ready { loaded, .. } => Ok(loaded.take()),
            Phase::StartingHelper {
                meanwhile: Meanwhile::Loaded(loaded),
                ..
            } => Ok(loaded.take()),
            Phase::AwaitingTail { pending, .. } => {
                let mut bytes = std::mem::take(&mut pending.first);
                let source = pending.source.clone();
                pending.file.read_rest(&mut bytes).map(|()| (source, bytes))
            }
            Phase::StartingHelper {
                meanwhile: Meanwhile::Parked(parked),
                ..
            } => {
                let source = SourceInfo {
                    name: parked.file.name(),
                    size_bytes: parked.file.size() as u64,
                };
                let size = parked.file.size();
                parked
                    .file
                    .read_prefix(size, &mut progress)
                    .map(|bytes| (source, bytes))
            }
            Phase::Idle { .. }
            | Phase::StartingHelper {
                meanwhile: Meanwhile::Nothing,
                ..
            } => Err(no_source()),
        };
        let queued = self.forget_analysis();
        match read {
            Ok((source, bytes)) => {
                let queued = chain(self.analyze_bytes(source, bytes, options, progress), queued);
                self.serve_queued(queued);
            }
            Err(error) => {
                self.respond(client, WorkerEvent::Failed(error));
                self.serve_queued(queued);
            }
        }
    }

    /// Analyse un fichier entier en mémoire, répond à la page et garde le
    /// résultat ; rend les commandes qui attendaient (aucune, ici : la phase
    /// a déjà été vidée).
    fn analyze_bytes(
        &mut self,
        source: SourceInfo,
        bytes: Vec<u8>,
        options: AnalysisOptions,
        mut progress: Progress<H>,
    ) -> Queue<H> {
        let queued = self.forget_analysis();
        let client = progress.client;
        let (session, event) = match load(&bytes, options, &mut progress) {
            Ok(mut session) => {
                let event = finish(&self.host, &mut session, source.clone(), &mut progress, 0);
                (Some(Box::new(session)), event)
            }
            Err(error) => (None, WorkerEvent::Failed(error)),
        };
        self.respond(client, event);
        self.keep(Loaded {
            source,
            bytes,
            session,
        });
        queued
    }

    /// La dernière analyse en mémoire.
    fn loaded(&mut self) -> Result<&mut Loaded, PanierError> {
        match &mut self.phase {
            Phase::Ready { loaded, .. } => Ok(loaded),
            Phase::StartingHelper {
                meanwhile: Meanwhile::Loaded(loaded),
                ..
            } => Ok(loaded),
            _ => Err(no_analysis()),
        }
    }

    /// La session de la dernière analyse, préalable aux calculs qui en
    /// partent.
    fn session(&mut self) -> Result<&mut Session, PanierError> {
        self.loaded()?
            .session
            .as_deref_mut()
            .ok_or_else(no_analysis)
    }

    /// Sert une commande qui porte sur la dernière analyse.
    fn serve(
        &mut self,
        command: Command<H::File>,
        client: Client<H>,
    ) -> Result<WorkerEvent, PanierError> {
        let host = self.host.clone();
        Ok(match command {
            Command::SetScope(scope) => {
                self.stop_mining();
                let loaded = self.loaded()?;
                let source = loaded.source.clone();
                let session = loaded.session.as_deref_mut().ok_or_else(no_analysis)?;
                match session.set_scope(scope) {
                    Ok(_) => {
                        let mut progress = Progress::new(host.clone(), client);
                        finish(&host, session, source, &mut progress, 0)
                    }
                    Err(error) => WorkerEvent::ScopeRefused(error),
                }
            }
            Command::ExportCleaned => {
                let loaded = self.loaded()?;
                let name = cleaned_name(&loaded.source.name);
                let mut csv = Vec::new();
                let session = loaded.session.as_deref_mut().ok_or_else(no_analysis)?;
                session.write_cleaned(&mut csv)?;
                host.download(&csv, name)?
            }
            Command::ExportRfm(grid) => {
                let mut csv = Vec::new();
                self.session()?.write_rfm(&grid, &mut csv)?;
                host.download(&csv, "rfm_segments.csv".into())?
            }
            Command::ComputeClv { options, grid } => {
                let started = host.now_ms();
                let session = self.session()?;
                let result = session.clv(&options).clone();
                let segments = match &result {
                    Ok(_) => session.clv_segments(&options, &grid).unwrap_or_default(),
                    Err(_) => Vec::new(),
                };
                WorkerEvent::ClvComputed(Box::new(ClvOutcome {
                    result,
                    segments,
                    ms: host.now_ms() - started,
                }))
            }
            Command::ComputeRfm { options } => {
                WorkerEvent::RfmComputed(Box::new(timed_rfm(&host, self.session()?, &options)))
            }
            Command::SegmentStats(grid) => {
                let stats = self.session()?.segment_stats(&grid);
                WorkerEvent::SegmentStats {
                    grid,
                    stats: Box::new(stats),
                }
            }
            Command::Movement { levels, from, to } => {
                WorkerEvent::MovementComputed(Box::new(self.session()?.movement(levels, from, to)))
            }
            Command::CustomerPurchases { customer } => WorkerEvent::CustomerPurchases(Box::new(
                self.session()?.customer_sheet(&customer, 10),
            )),
            Command::QueryRules { query } => {
                WorkerEvent::Rules(Box::new(self.session()?.rules_page(&query)))
            }
            Command::Evaluate => {
                let started = host.now_ms();
                let evaluation = self.session()?.evaluation().clone();
                WorkerEvent::Evaluated(Box::new(evaluation), host.now_ms() - started)
            }
            Command::Recommend(request) => {
                recommend(self.session()?, request).unwrap_or_else(WorkerEvent::RecommendFailed)
            }
            Command::SuggestProducts(text) => match self.session()?.suggest_products(&text, 20) {
                Ok(products) => WorkerEvent::ProductSuggestions(products),
                Err(error) => WorkerEvent::RecommendFailed(error),
            },
            Command::ExportRecommendations(lang) => {
                let mut csv = Vec::new();
                match self.session()?.write_recommendations(10, lang, &mut csv) {
                    Ok(()) => host.download(&csv, "recommendations.csv".into())?,
                    Err(error) => WorkerEvent::RecommendFailed(error),
                }
            }
            Command::ExportItemsets => {
                let mut csv = Vec::new();
                self.session()?.write_itemsets(&mut csv)?;
                host.download(&csv, "frequent_itemsets.csv".into())?
            }
            Command::ExportWorkbook {
                grid,
                lang,
                currency,
            } => {
                let request = WorkbookRequest {
                    grid: &grid,
                    lang,
                    currency,
                    per_customer: 10,
                    recommendations: None,
                    created: host.unix_seconds(),
                };
                let mut xlsx = Vec::new();
                self.session()?.write_workbook(&request, &mut xlsx)?;
                host.download(&xlsx, WORKBOOK_FILE.into())?
            }
            Command::ExportRules => {
                let mut csv = Vec::new();
                self.session()?.write_rules(&mut csv)?;
                host.download(&csv, "association_rules.csv".into())?
            }
            // Aiguillées avant (`received`).
            Command::Hello => WorkerEvent::Hello(PROTOCOL_VERSION),
            Command::AnalyzeFile { .. }
            | Command::AnalyzeDemo { .. }
            | Command::Reanalyze { .. }
            | Command::MineBaskets { .. }
            | Command::CancelMining(_) => {
                return Err(PanierError::Internal {
                    detail: "commande mal aiguillée".into(),
                })
            }
        })
    }
}

/// Commence la lecture à deux sur le début lu (`first`) : aperçu décidé sur
/// le début (envoyé à la page), puis ses lignes lues et analysées. `None` :
/// le fichier ne se coupe pas ici (ou ne se lit pas), il est à lire d'un
/// trait, ce qui dira ce qui ne va pas.
fn begin_split<H: Host>(
    first: &[u8],
    mid: usize,
    options: &AnalysisOptions,
    progress: &mut Progress<H>,
) -> Option<(PartialRead, Inspection)> {
    progress.stage_started(Stage::Inspect);
    // Le début est jaugé une fois : son encodage sert à l'aperçu, son bilan
    // UTF-8 à la jonction.
    let survey = split::boundary_after(first, mid)
        .and_then(|at| FirstPartSurvey::new(first, &options.import, at))?;
    let inspection = inspect_first_part(first, &options.import, &survey).ok()?;
    options.validate().ok()?;
    progress.respond(WorkerEvent::Inspected(Box::new(inspection.clone())));
    let partial = begin_split_read(first, &options.import, survey, progress)?;
    Some((partial, inspection))
}

/// Joint la fin lue par le second worker au début (ou, si elle manque ou ne
/// se joint pas, complète `bytes` et relit tout le fichier d'un trait), puis
/// ouvre la session.
fn join_read<H: Host>(
    file: &H::File,
    bytes: &mut Vec<u8>,
    partial: PartialRead,
    tail: Option<CsvTail>,
    inspection: Inspection,
    options: &AnalysisOptions,
    progress: &mut Progress<H>,
) -> Result<Session, PanierError> {
    let joined = tail.and_then(|tail| partial.join(tail, &options.import, progress));
    let read = match joined {
        Some(read) => read?,
        None => {
            file.read_rest(bytes)?;
            read_transactions(bytes, &options.import, progress)?
        }
    };
    // L'aperçu avait jugé l'encodage sur le début : s'il a changé au vu de
    // tout le fichier, la page reçoit l'aperçu corrigé.
    if inspection.format != read.1.format {
        if let SourceFormat::Csv { encoding, .. } = &read.1.format {
            let mut forced = options.import.clone();
            forced.encoding = EncodingChoice::from(*encoding);
            let mut corrected = inspect(bytes, &forced)?;
            corrected.format = read.1.format.clone();
            progress.respond(WorkerEvent::Inspected(Box::new(corrected)));
        }
    }
    Session::open(read, options.clone(), progress)
}

/// Lit un fichier entier d'un trait et ouvre sa session ; l'aperçu part
/// d'abord (l'étape de correspondance s'affiche même si l'analyse échoue
/// faute de colonne).
fn load<H: Host>(
    bytes: &[u8],
    options: AnalysisOptions,
    progress: &mut Progress<H>,
) -> Result<Session, PanierError> {
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
    Session::load(bytes, options, progress)
}

/// Segmentation, paniers, vue d'ensemble du périmètre de la session : la
/// réponse complète que la page affiche.
fn finish<H: Host>(
    host: &H,
    session: &mut Session,
    source: SourceInfo,
    progress: &mut Progress<H>,
    helper_memory_bytes: u64,
) -> WorkerEvent {
    progress.stage_started(Stage::Rfm);
    let rfm_options = session.options().rfm;
    let rfm = timed_rfm(host, session, &rfm_options);
    progress.stage_started(Stage::Baskets);
    let request = session.options().basket_request();
    let clock = || host.now_ms();
    let baskets = session
        .mine_baskets(&request, None, &clock, &mut NoProgress)
        .cloned();
    progress.stage_started(Stage::Overview);
    let overview = session.overview().clone();
    progress.finish();
    WorkerEvent::Finished(Box::new(AnalysisResult {
        source,
        report: session.report().clone(),
        options: session.options().clone(),
        timings: std::mem::take(&mut progress.timings),
        wasm_memory_bytes: host.memory_bytes(),
        helper_memory_bytes,
        rfm,
        baskets,
        overview,
    }))
}

/// Segmentation chronométrée.
fn timed_rfm<H: Host>(host: &H, session: &mut Session, options: &RfmOptions) -> RfmOutcome {
    let started = host.now_ms();
    let result = session.rfm(options).clone();
    let charts = result.as_ref().ok().map(rfm_charts);
    RfmOutcome {
        result,
        charts,
        ms: host.now_ms() - started,
    }
}

/// Recommandations pour un produit, un client ou un segment.
fn recommend(session: &mut Session, request: RecommendRequest) -> Result<WorkerEvent, PanierError> {
    Ok(match request {
        RecommendRequest::Product(product, rank_by) => {
            WorkerEvent::ProductAdvised(Box::new(session.recommend_product(&product, rank_by, 10)?))
        }
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

/// Les commandes de `first`, puis celles de `then`.
/// La réponse à une analyse des paniers.
fn mined(
    id: u32,
    result: Result<BasketSummary, PanierError>,
    wasm_memory_bytes: u64,
) -> WorkerEvent {
    WorkerEvent::BasketsMined {
        id,
        result: Box::new(result),
        wasm_memory_bytes,
    }
}

fn chain<T>(mut first: Vec<T>, then: Vec<T>) -> Vec<T> {
    first.extend(then);
    first
}

/// Nom du CSV nettoyé d'un fichier : `ventes.csv` → `ventes_cleaned.csv`.
fn cleaned_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}_cleaned.csv")
}

/// Aucune analyse en mémoire.
fn no_analysis() -> PanierError {
    PanierError::Internal {
        detail: "aucune analyse en mémoire".into(),
    }
}

/// Aucun fichier à réanalyser : un bogue d'enchaînement, pas la faute du
/// fichier.
fn no_source() -> PanierError {
    PanierError::Internal {
        detail: "aucun fichier à analyser".into(),
    }
}

/// Relaie l'avancement vers la page qui a demandé l'analyse et chronomètre
/// les étapes.
pub struct Progress<H: Host> {
    host: H,
    client: Client<H>,
    current: Option<(Stage, f64)>,
    last_sent: f64,
    timings: Vec<StageTiming>,
}

impl<H: Host> Progress<H> {
    fn new(host: H, client: Client<H>) -> Self {
        Self {
            host,
            client,
            current: None,
            last_sent: -1.0,
            timings: Vec::new(),
        }
    }

    /// Envoie un événement à la page qui a demandé l'analyse.
    fn respond(&self, event: WorkerEvent) {
        self.host.respond(self.client, event);
    }

    /// Clôt l'étape en cours et enregistre sa durée.
    fn finish(&mut self) {
        if let Some((stage, started)) = self.current.take() {
            self.timings.push(StageTiming {
                stage,
                ms: self.host.now_ms() - started,
            });
        }
    }
}

impl<H: Host> ProgressSink for Progress<H> {
    fn stage_started(&mut self, stage: Stage) {
        self.finish();
        self.current = Some((stage, self.host.now_ms()));
        self.last_sent = 0.0;
        self.respond(WorkerEvent::Progress {
            stage,
            fraction: 0.0,
        });
    }

    /// Relaie l'avancement ; toujours `true` : un worker occupé ne lit pas
    /// ses messages, « Annuler » y passe plutôt par la fin d'un worker (voir
    /// `super::miner`).
    fn advanced(&mut self, stage: Stage, fraction: f64) -> bool {
        // Un message par pour-cent au plus : inutile d'inonder la page.
        if fraction - self.last_sent >= 0.01 || fraction >= 1.0 {
            self.last_sent = fraction;
            self.respond(WorkerEvent::Progress { stage, fraction });
        }
        true
    }
}
