//! L'automate du worker avec des faux : fichiers en mémoire, second worker
//! dont les tests décident quand (et si) il répond — avec la vraie fin de
//! fichier lue par `panier_core::ingest::split::read_tail` —, minuteur dont
//! les tests déclenchent eux-mêmes les délais. Les analyses sont celles du
//! vrai cœur, sur de petits CSV de démonstration coupés comme les gros.

use std::cell::RefCell;
use std::rc::Rc;

use panier_core::basket::mining::MinSupport;
use panier_core::basket::query::RuleQuery;
use panier_core::demo::{generate_demo_csv, DemoConfig};
use panier_core::ingest::split;
use panier_core::ingest::ImportOptions;
use panier_core::pipeline::AnalysisOptions;
use panier_core::progress::{ProgressSink, Stage};
use panier_core::rfm::RfmOptions;
use panier_core::session::Scope;
use panier_core::PanierError;

use super::*;
use crate::worker::protocol::{AnalysisResult, Command, WorkerEvent, PROTOCOL_VERSION};

/// Coupe des tests : les petits fichiers se lisent à deux, eux aussi.
const SPLIT: SplitPolicy = SplitPolicy {
    min_bytes: 1024,
    lookahead_bytes: 4096,
};

/// Mémoire annoncée par le faux second worker.
const HELPER_MEMORY: u64 = 7 << 20;

/// La page des tests : un seul client.
const PAGE: u32 = 1;

/// Un fichier en mémoire.
#[derive(Clone, Debug)]
struct FakeFile {
    name: String,
    bytes: Rc<Vec<u8>>,
    /// Taille annoncée d'un fichier qui ne doit jamais être lu (les octets
    /// sont alors vides) ; `None` : la taille des octets.
    claimed_size: Option<usize>,
}

impl FakeFile {
    /// Un CSV de démonstration de 300 clients (`seed` : d'autres octets).
    fn demo(name: &str, seed: u64) -> Self {
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 300,
            seed,
            ..DemoConfig::default()
        });
        Self {
            name: name.into(),
            bytes: Rc::new(bytes),
            claimed_size: None,
        }
    }

    /// Un fichier de `size` octets dont la lecture fait échouer le test.
    fn never_read(name: &str, size: usize) -> Self {
        Self {
            name: name.into(),
            bytes: Rc::default(),
            claimed_size: Some(size),
        }
    }

    fn assert_readable(&self) {
        assert!(
            self.claimed_size.is_none(),
            "{} ne devait pas être lu",
            self.name
        );
    }
}

impl FileSource for FakeFile {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn size(&self) -> usize {
        self.claimed_size.unwrap_or(self.bytes.len())
    }

    fn read_range(&self, start: usize, end: usize) -> Result<Vec<u8>, PanierError> {
        self.assert_readable();
        let end = end.min(self.bytes.len());
        Ok(self.bytes[start.min(end)..end].to_vec())
    }

    fn read_prefix(
        &self,
        end: usize,
        progress: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, PanierError> {
        self.assert_readable();
        progress.stage_started(Stage::Read);
        let mut bytes = Vec::with_capacity(self.bytes.len());
        bytes.extend_from_slice(&self.bytes[..end.min(self.bytes.len())]);
        progress.advanced(Stage::Read, 1.0);
        Ok(bytes)
    }

    fn read_rest(&self, bytes: &mut Vec<u8>) -> Result<(), PanierError> {
        self.assert_readable();
        let start = bytes.len().min(self.bytes.len());
        bytes.extend_from_slice(&self.bytes[start..]);
        Ok(())
    }
}

/// Une demande de fin reçue par le faux second worker.
struct Asked {
    request: u64,
    file: FakeFile,
    mid: usize,
    head: Vec<u8>,
    options: ImportOptions,
}

/// Tout ce que l'automate a fait savoir.
#[derive(Default)]
struct Log {
    /// Événements envoyés à la page.
    events: Vec<(u32, WorkerEvent)>,
    /// Messages programmés (délai, message).
    timers: Vec<(f64, WorkerMessage)>,
    /// Demandes faites au second worker.
    asked: Vec<Asked>,
    /// Répétitions du pipeline.
    warm_ups: usize,
    /// Seconds workers arrêtés (lâchés).
    helpers_stopped: usize,
    /// Vrai : impossible de lancer un worker des paniers.
    no_miner: bool,
    /// Workers des paniers lancés, et arrêtés (lâchés).
    miners_spawned: usize,
    miners_stopped: usize,
    /// Analyses des paniers confiées au worker des paniers.
    jobs: Vec<(u32, BasketJob)>,
    /// Répétitions de la mesure des recommandations demandées au worker
    /// des paniers.
    evaluation_rehearsals: usize,
}

/// L'hôte des tests.
#[derive(Clone, Default)]
struct Fake(Rc<RefCell<Log>>);

impl Page for Fake {
    type Client = u32;

    fn respond(&self, client: u32, event: WorkerEvent) {
        self.0.borrow_mut().events.push((client, event));
    }

    fn download(&self, _csv: &[u8], _name: String) -> Result<WorkerEvent, PanierError> {
        Err(PanierError::Internal {
            detail: "pas de Blob hors du navigateur".into(),
        })
    }
}

impl Timer for Fake {
    fn schedule(&self, delay_ms: f64, message: WorkerMessage) {
        self.0.borrow_mut().timers.push((delay_ms, message));
    }
}

impl Host for Fake {
    type File = FakeFile;
    type Helper = FakeHelper;
    type Miner = FakeMiner;

    fn spawn_miner(&self) -> Option<FakeMiner> {
        let mut log = self.0.borrow_mut();
        if log.no_miner {
            return None;
        }
        log.miners_spawned += 1;
        Some(FakeMiner(self.0.clone()))
    }

    fn now_ms(&self) -> f64 {
        0.0
    }

    fn unix_seconds(&self) -> Option<i64> {
        None
    }

    fn memory_bytes(&self) -> u64 {
        1 << 20
    }

    fn warm_up(&self) {
        self.0.borrow_mut().warm_ups += 1;
    }
}

/// Le faux second worker : il note les demandes ; le test répond.
struct FakeHelper(Rc<RefCell<Log>>);

impl TailReader<FakeFile> for FakeHelper {
    fn read_tail(&self, request: TailRequest<'_, FakeFile>) -> bool {
        self.0.borrow_mut().asked.push(Asked {
            request: request.request,
            file: request.file.clone(),
            mid: request.mid,
            head: request.head.to_vec(),
            options: request.options.clone(),
        });
        true
    }
}

impl Drop for FakeHelper {
    fn drop(&mut self) {
        self.0.borrow_mut().helpers_stopped += 1;
    }
}

/// Le faux worker des paniers : il note les analyses ; le test répond (avec
/// le vrai calcul du cœur).
struct FakeMiner(Rc<RefCell<Log>>);

impl Miner for FakeMiner {
    fn mine(&self, id: u32, job: &BasketJob) -> bool {
        self.0.borrow_mut().jobs.push((id, job.clone()));
        true
    }

    fn rehearse_evaluation(&self) {
        self.0.borrow_mut().evaluation_rehearsals += 1;
    }
}

impl Drop for FakeMiner {
    fn drop(&mut self) {
        self.0.borrow_mut().miners_stopped += 1;
    }
}

/// L'automate et son hôte.
struct Bench {
    fake: Fake,
    machine: Machine<Fake>,
}

impl Bench {
    /// Un worker dont le second worker démarre.
    fn starting() -> Self {
        let fake = Fake::default();
        let helper = FakeHelper(fake.0.clone());
        let machine = Machine::new(fake.clone(), Some(helper), SPLIT);
        Self { fake, machine }
    }

    /// Un worker dont le second worker est prêt.
    fn ready() -> Self {
        let mut bench = Self::starting();
        bench.machine.update(WorkerMessage::HelperReady);
        bench
    }

    /// Un worker sans second worker : tout se lit d'un trait.
    fn alone() -> Self {
        let fake = Fake::default();
        let machine = Machine::new(fake.clone(), None, SPLIT);
        Self { fake, machine }
    }

    /// Un worker seul, qui ne peut pas lancer de worker des paniers.
    fn without_miner() -> Self {
        let fake = Fake::default();
        fake.0.borrow_mut().no_miner = true;
        let machine = Machine::new(fake.clone(), None, SPLIT);
        Self { fake, machine }
    }

    fn send(&mut self, command: Command<FakeFile>) {
        self.machine.received(Ok(command), PAGE);
    }

    fn analyze(&mut self, file: &FakeFile) {
        self.send(Command::AnalyzeFile {
            file: file.clone(),
            options: AnalysisOptions::default(),
        });
    }

    /// Les événements envoyés depuis le dernier appel.
    fn events(&self) -> Vec<WorkerEvent> {
        let mut log = self.fake.0.borrow_mut();
        log.events
            .drain(..)
            .map(|(client, event)| {
                assert_eq!(client, PAGE);
                event
            })
            .collect()
    }

    /// Numéros des demandes faites au second worker.
    fn requests(&self) -> Vec<u64> {
        self.fake
            .0
            .borrow()
            .asked
            .iter()
            .map(|a| a.request)
            .collect()
    }

    /// La vraie fin du fichier de la demande `request`, telle que le
    /// second worker la lirait.
    fn tail_of(&self, request: u64) -> WorkerMessage {
        let log = self.fake.0.borrow();
        let asked = log
            .asked
            .iter()
            .find(|asked| asked.request == request)
            .expect("demande faite");
        let bytes = &asked.file.bytes;
        let tail = split::read_tail(&asked.head, &bytes[asked.mid..], asked.mid, &asked.options);
        assert!(tail.is_some(), "fin lisible");
        WorkerMessage::TailRead {
            request,
            tail: tail.map(Box::new),
            wasm_memory_bytes: HELPER_MEMORY,
        }
    }

    /// Le second worker répond à la demande `request`.
    fn answer(&mut self, request: u64) {
        let message = self.tail_of(request);
        self.machine.update(message);
    }

    /// Le message programmé `wanted` (il est retiré de la liste).
    fn timer(&self, wanted: impl Fn(&WorkerMessage) -> bool) -> (f64, WorkerMessage) {
        let mut log = self.fake.0.borrow_mut();
        let at = log
            .timers
            .iter()
            .position(|(_, message)| wanted(message))
            .expect("message programmé");
        log.timers.remove(at)
    }

    fn warm_ups(&self) -> usize {
        self.fake.0.borrow().warm_ups
    }

    fn helpers_stopped(&self) -> usize {
        self.fake.0.borrow().helpers_stopped
    }

    /// Un worker seul qui vient d'analyser une petite démo ; avec le nombre
    /// de règles de son analyse des paniers par défaut.
    fn analyzed() -> (Self, usize) {
        let mut bench = Self::alone();
        bench.analyze(&FakeFile::demo("a.csv", 1));
        let events = bench.events();
        let rules = only_finished(&events)
            .baskets
            .clone()
            .expect("règles")
            .rules;
        (bench, rules)
    }

    /// Workers des paniers (lancés, arrêtés).
    fn miners(&self) -> (usize, usize) {
        let log = self.fake.0.borrow();
        (log.miners_spawned, log.miners_stopped)
    }

    /// Le worker des paniers calcule l'analyse confiée `id` et répond.
    fn mine_done(&mut self, id: u32) {
        let job = {
            let log = self.fake.0.borrow();
            let (_, job) = log
                .jobs
                .iter()
                .find(|(n, _)| *n == id)
                .expect("analyse confiée");
            job.clone()
        };
        self.machine.update(WorkerMessage::Mined {
            id,
            outcome: Box::new(job.run(&|| 0.0, &mut panier_core::progress::NoProgress)),
            wasm_memory_bytes: 3 << 20,
        });
    }

    /// Une demande d'analyse des paniers aux paramètres par défaut, à
    /// `support` près.
    fn ask_baskets(&mut self, id: u32, support: f64) {
        let mut request = AnalysisOptions::default().basket_request();
        request.mining.min_support = MinSupport::Fraction(support);
        self.send(Command::MineBaskets {
            id,
            request,
            segment: None,
        });
    }

    /// Le nombre total de règles que sert la session (toutes, redondantes
    /// comprises).
    fn rules_served(&mut self) -> u64 {
        self.send(Command::QueryRules {
            query: RuleQuery::default(),
        });
        match self.events().pop() {
            Some(WorkerEvent::Rules(page)) => page.all as u64,
            other => panic!("une page de règles attendue : {other:?}"),
        }
    }
}

/// Les réponses aux analyses des paniers parmi `events` : (numéro, résumé
/// ou erreur).
fn baskets_mined(events: &[WorkerEvent]) -> Vec<(u32, Result<BasketSummary, PanierError>)> {
    events
        .iter()
        .filter_map(|event| match event {
            WorkerEvent::BasketsMined { id, result, .. } => Some((*id, (**result).clone())),
            _ => None,
        })
        .collect()
}

/// Les analyses complètes parmi `events`.
fn finished(events: &[WorkerEvent]) -> Vec<&AnalysisResult> {
    events
        .iter()
        .filter_map(|event| match event {
            WorkerEvent::Finished(result) => Some(&**result),
            _ => None,
        })
        .collect()
}

/// L'unique analyse complète parmi `events`.
fn only_finished(events: &[WorkerEvent]) -> &AnalysisResult {
    let all = finished(events);
    assert_eq!(all.len(), 1, "une seule réponse : {events:?}");
    all[0]
}

/// Les étapes annoncées, dans l'ordre.
fn stages(events: &[WorkerEvent]) -> Vec<Stage> {
    events
        .iter()
        .filter_map(|event| match event {
            WorkerEvent::Progress {
                stage,
                fraction: 0.0,
            } => Some(*stage),
            _ => None,
        })
        .collect()
}

/// Vrai si la fin a été jointe au début : `after`, les événements qui
/// suivent la réponse du second worker, n'annoncent aucune relecture d'un
/// trait.
fn joined(after: &[WorkerEvent]) -> bool {
    !stages(after).contains(&Stage::Parse)
}

/// L'analyse du fichier lu d'un trait, sans second worker.
fn one_pass(file: &FakeFile) -> AnalysisResult {
    let mut bench = Bench::alone();
    bench.analyze(file);
    only_finished(&bench.events()).clone()
}

/// Même analyse : mêmes chiffres, au mémoire et durées près.
fn assert_same_analysis(got: &AnalysisResult, expected: &AnalysisResult) {
    assert_eq!(got.source, expected.source);
    assert_eq!(got.report, expected.report);
    assert_eq!(got.rfm.result, expected.rfm.result);
    assert_eq!(got.baskets, expected.baskets);
    assert_eq!(got.overview, expected.overview);
}

/// Le fichier entier est gardé (pour réanalyser sans le relire).
fn assert_whole_file_kept(machine: &Machine<Fake>, file: &FakeFile) {
    match machine.phase() {
        Phase::Ready { loaded, .. } => assert!(loaded.bytes == *file.bytes, "fichier entier"),
        phase => panic!("phase inattendue : {phase:?}"),
    }
}

#[test]
fn a_file_beyond_the_browser_budget_is_refused_unread_and_the_analysis_stays() {
    let file = FakeFile::demo("ventes.csv", 1);
    let mut bench = Bench::ready();
    bench.analyze(&file);
    bench.answer(1);
    assert_eq!(only_finished(&bench.events()).source.name, "ventes.csv");
    // 3 Go : refusé avant toute lecture, avec le plafond nommé.
    let huge = FakeFile::never_read("enorme.csv", 3 << 30);
    bench.analyze(&huge);
    match bench.events().as_slice() {
        [WorkerEvent::Failed(error @ PanierError::InputLimit { limit, found })] => {
            assert_eq!(*limit, Limit::BrowserFile);
            assert_eq!(*found, 3 << 30);
            let en = error.message(panier_core::Lang::En);
            assert!(
                en.contains("3\u{a0}GiB") && en.contains("panier analyze"),
                "{en}"
            );
        }
        other => panic!("attendu : fichier refusé, obtenu {other:?}"),
    }
    // L'analyse précédente est toujours là.
    assert_whole_file_kept(&bench.machine, &file);
}

#[test]
fn the_default_cut_is_the_core_cut() {
    let policy = SplitPolicy::default();
    for size in [
        0,
        1_000,
        split::MIN_SPLIT_BYTES - 1,
        split::MIN_SPLIT_BYTES,
        45_000_000,
    ] {
        assert_eq!(policy.mid(size), split::split_point(size), "{size}");
        assert_eq!(policy.first_part_len(size), split::first_part_len(size));
    }
}

#[test]
fn a_big_file_read_in_two_gives_the_one_pass_analysis() {
    let file = FakeFile::demo("ventes.csv", 1);
    let size = file.bytes.len();
    assert!(SPLIT.first_part_len(size) < size, "fichier assez grand");
    let mut bench = Bench::ready();
    assert_eq!(
        bench.warm_ups(),
        1,
        "code optimisé dès que le second worker est prêt"
    );
    bench.analyze(&file);
    // Le second worker a reçu la demande, avec la coupe et le début.
    {
        let log = bench.fake.0.borrow();
        let [asked] = &log.asked[..] else {
            panic!("une demande")
        };
        assert_eq!(asked.request, 1);
        assert_eq!(Some(asked.mid), SPLIT.mid(size));
        assert!(asked.head == file.bytes[..size.min(HEAD_BYTES)], "le début");
    }
    // En attendant sa réponse : l'aperçu et la jonction annoncés, pas de
    // réponse, un délai programmé.
    let waiting = bench.events();
    assert!(finished(&waiting).is_empty());
    assert!(waiting
        .iter()
        .any(|event| matches!(event, WorkerEvent::Inspected(_))));
    assert_eq!(stages(&waiting).last(), Some(&Stage::Join));
    assert!(matches!(bench.machine.phase(), Phase::AwaitingTail { .. }));
    assert_eq!(bench.machine.waiting_client(), Some(PAGE));
    let (delay, _) = bench.timer(|m| matches!(m, WorkerMessage::TailLate(1)));
    assert_eq!(delay, TAIL_GRACE_MS);
    bench.answer(1);
    let events = bench.events();
    let result = only_finished(&events);
    assert!(joined(&events), "fin jointe, pas relue");
    assert_eq!(result.helper_memory_bytes, HELPER_MEMORY);
    assert_same_analysis(result, &one_pass(&file));
    // La fin a été copiée : une réanalyse relit tout le fichier gardé.
    assert_whole_file_kept(&bench.machine, &file);
    bench.send(Command::Reanalyze {
        options: AnalysisOptions::default(),
    });
    assert_same_analysis(only_finished(&bench.events()), &one_pass(&file));
    assert_eq!(bench.helpers_stopped(), 0);
}

#[test]
fn a_newer_file_replaces_the_pending_analysis() {
    let older = FakeFile::demo("ancien.csv", 1);
    let newer = FakeFile::demo("nouveau.csv", 2);
    let mut bench = Bench::ready();
    bench.analyze(&older);
    bench.analyze(&newer);
    assert_eq!(bench.requests(), [1, 2]);
    bench.events();
    // La réponse à l'ancienne demande, puis son délai : ignorés.
    bench.answer(1);
    bench.machine.update(WorkerMessage::TailLate(1));
    assert!(finished(&bench.events()).is_empty());
    assert!(matches!(
        bench.machine.phase(),
        Phase::AwaitingTail { pending, .. } if pending.request == 2
    ));
    assert_eq!(bench.helpers_stopped(), 0, "second worker gardé");
    // Seule la nouvelle reçoit une réponse.
    bench.answer(2);
    let events = bench.events();
    let result = only_finished(&events);
    assert_eq!(result.source.name, "nouveau.csv");
    assert!(joined(&events));
    assert_same_analysis(result, &one_pass(&newer));
    assert_whole_file_kept(&bench.machine, &newer);
}

#[test]
fn a_stale_tail_answer_is_ignored() {
    let first = FakeFile::demo("premier.csv", 1);
    let second = FakeFile::demo("second.csv", 2);
    let mut bench = Bench::ready();
    bench.analyze(&first);
    let stale = bench.tail_of(1);
    let stale_again = bench.tail_of(1);
    bench.answer(1);
    assert_eq!(finished(&bench.events()).len(), 1);
    // Une réponse de trop, une analyse terminée : ignorée.
    bench.machine.update(stale);
    assert!(bench.events().is_empty());
    assert_whole_file_kept(&bench.machine, &first);
    // Pendant la demande suivante : une réponse d'un ancien numéro, puis
    // d'un numéro jamais demandé, ignorées.
    bench.analyze(&second);
    bench.events();
    bench.machine.update(stale_again);
    bench.machine.update(WorkerMessage::TailRead {
        request: 99,
        tail: None,
        wasm_memory_bytes: 0,
    });
    assert!(finished(&bench.events()).is_empty());
    assert!(matches!(
        bench.machine.phase(),
        Phase::AwaitingTail { pending, .. } if pending.request == 2
    ));
    bench.answer(2);
    let events = bench.events();
    assert!(joined(&events));
    assert_same_analysis(only_finished(&events), &one_pass(&second));
}

#[test]
fn a_tail_worker_crashing_mid_analysis_falls_back_to_a_one_pass_read() {
    let file = FakeFile::demo("ventes.csv", 1);
    let next = FakeFile::demo("suivant.csv", 2);
    let mut bench = Bench::ready();
    bench.analyze(&file);
    bench.events();
    let late_answer = bench.tail_of(1);
    bench.machine.update(WorkerMessage::HelperCrashed);
    let events = bench.events();
    let result = only_finished(&events);
    assert!(!joined(&events), "fichier relu d'un trait");
    assert_eq!(result.helper_memory_bytes, 0);
    assert_same_analysis(result, &one_pass(&file));
    assert_whole_file_kept(&bench.machine, &file);
    assert!(matches!(
        bench.machine.phase(),
        Phase::Ready { helper: None, .. }
    ));
    assert_eq!(bench.helpers_stopped(), 1);
    // Une réponse qui arriverait quand même : ignorée.
    bench.machine.update(late_answer);
    assert!(bench.events().is_empty());
    // Les fichiers suivants se lisent d'un trait, sans rien demander.
    bench.analyze(&next);
    assert_eq!(bench.requests(), [1]);
    assert_same_analysis(only_finished(&bench.events()), &one_pass(&next));
}

#[test]
fn a_silent_tail_worker_times_out_to_a_one_pass_read() {
    let file = FakeFile::demo("ventes.csv", 1);
    let mut bench = Bench::ready();
    bench.analyze(&file);
    bench.events();
    // Le second worker se tait : le délai programmé arrive.
    let (_, late) = bench.timer(|m| matches!(m, WorkerMessage::TailLate(1)));
    bench.machine.update(late);
    let events = bench.events();
    let result = only_finished(&events);
    assert_eq!(result.helper_memory_bytes, 0);
    assert_same_analysis(result, &one_pass(&file));
    assert_eq!(bench.helpers_stopped(), 1, "second worker bloqué, arrêté");
    assert!(matches!(
        bench.machine.phase(),
        Phase::Ready { helper: None, .. }
    ));
    // Le même délai une seconde fois : rien.
    bench.machine.update(WorkerMessage::TailLate(1));
    assert!(bench.events().is_empty());
    bench.analyze(&file);
    assert_eq!(bench.requests(), [1], "plus de lecture à deux");
    assert_same_analysis(only_finished(&bench.events()), &one_pass(&file));
}

#[test]
fn a_helper_that_never_starts_leaves_files_to_one_pass_reads() {
    let file = FakeFile::demo("ventes.csv", 1);
    let next = FakeFile::demo("suivant.csv", 2);
    let mut bench = Bench::starting();
    let (delay, _) = bench.timer(|m| matches!(m, WorkerMessage::HelperLate));
    assert_eq!(delay, HELPER_START_TIMEOUT_MS);
    // Le fichier arrive pendant le démarrage : il attend, sans rien lire.
    bench.analyze(&file);
    assert!(bench.events().is_empty());
    assert!(matches!(
        bench.machine.phase(),
        Phase::StartingHelper {
            meanwhile: Meanwhile::Parked(_),
            ..
        }
    ));
    assert_eq!(bench.machine.waiting_client(), Some(PAGE));
    // La poignée de main attend que le second worker soit prêt ou
    // abandonné : « prêt » veut dire que tout est chargé.
    bench.send(Command::Hello);
    assert!(bench.events().is_empty());
    // Le second worker ne démarre pas à temps : lecture d'un trait.
    bench.machine.update(WorkerMessage::HelperLate);
    let mut events = bench.events();
    assert_eq!(events.remove(0), WorkerEvent::Hello(PROTOCOL_VERSION));
    assert_same_analysis(only_finished(&events), &one_pass(&file));
    assert_eq!(bench.requests(), Vec::<u64>::new());
    assert_eq!(bench.helpers_stopped(), 1);
    assert_eq!(
        bench.warm_ups(),
        0,
        "pas de répétition : un fichier attendait"
    );
    // Un « prêt » tardif ne le ramène pas.
    bench.machine.update(WorkerMessage::HelperReady);
    assert!(matches!(
        bench.machine.phase(),
        Phase::Ready { helper: None, .. }
    ));
    bench.analyze(&next);
    assert_eq!(bench.requests(), Vec::<u64>::new());
    assert_same_analysis(only_finished(&bench.events()), &one_pass(&next));
}

#[test]
fn a_helper_crashing_while_it_starts_leaves_the_parked_file_to_a_one_pass_read() {
    let file = FakeFile::demo("ventes.csv", 1);
    let mut bench = Bench::starting();
    bench.analyze(&file);
    bench.machine.update(WorkerMessage::HelperCrashed);
    assert_same_analysis(only_finished(&bench.events()), &one_pass(&file));
    assert_eq!(bench.requests(), Vec::<u64>::new());
    // Le délai de démarrage, plus tard : rien.
    bench.machine.update(WorkerMessage::HelperLate);
    assert!(bench.events().is_empty());
}

#[test]
fn a_file_parked_while_the_helper_starts_is_read_in_two_once_it_is_ready() {
    let file = FakeFile::demo("ventes.csv", 1);
    let mut bench = Bench::starting();
    bench.analyze(&file);
    bench.machine.update(WorkerMessage::HelperReady);
    assert_eq!(bench.requests(), [1]);
    assert_eq!(bench.warm_ups(), 0, "le fichier passe avant la répétition");
    assert_eq!(stages(&bench.events()).last(), Some(&Stage::Join));
    bench.answer(1);
    let events = bench.events();
    assert!(joined(&events));
    assert_same_analysis(only_finished(&events), &one_pass(&file));
    // Le délai de démarrage, plus tard : rien.
    bench.machine.update(WorkerMessage::HelperLate);
    assert!(bench.events().is_empty());
    assert!(matches!(
        bench.machine.phase(),
        Phase::Ready {
            helper: Some(_),
            ..
        }
    ));
}

#[test]
fn commands_during_a_pending_analysis_wait_for_it_then_apply_to_it() {
    let file = FakeFile::demo("ventes.csv", 1);
    let scope = Scope {
        country: Some("France".into()),
        ..Scope::default()
    };
    let rfm = RfmOptions {
        levels: 4,
        ..RfmOptions::default()
    };
    // Référence : le fichier lu d'un trait, puis filtré.
    let mut alone = Bench::alone();
    alone.analyze(&file);
    alone.send(Command::SetScope(scope.clone()));
    alone.send(Command::ComputeRfm { options: rfm });
    let reference = alone.events();
    let expected = finished(&reference);
    assert_eq!(expected.len(), 2);
    assert_ne!(expected[0].report, expected[1].report, "filtre effectif");
    // Lu à deux : le filtre et la segmentation arrivent pendant l'attente
    // de la fin. Rien ne part avant la réponse à l'analyse.
    let mut bench = Bench::ready();
    bench.analyze(&file);
    assert_eq!(stages(&bench.events()).last(), Some(&Stage::Join));
    bench.send(Command::SetScope(scope));
    bench.send(Command::ComputeRfm { options: rfm });
    assert!(bench.events().is_empty(), "en attente");
    assert!(matches!(
        bench.machine.phase(),
        Phase::AwaitingTail { queued, .. } if queued.len() == 2
    ));
    bench.answer(1);
    let events = bench.events();
    let results = finished(&events);
    assert_eq!(results.len(), 2, "l'analyse, puis le filtre");
    assert_same_analysis(results[0], expected[0]);
    assert_same_analysis(results[1], expected[1]);
    assert_eq!(results[1].options.country.as_deref(), Some("France"));
    // La segmentation demandée, en dernier, comme d'un trait.
    let rfm_of = |events: &[WorkerEvent]| match events.last() {
        Some(WorkerEvent::RfmComputed(outcome)) => outcome.result.clone(),
        other => panic!("segmentation attendue : {other:?}"),
    };
    assert_eq!(rfm_of(&events), rfm_of(&reference));
}

#[test]
fn commands_waiting_with_a_parked_file_are_served_after_it() {
    let file = FakeFile::demo("ventes.csv", 1);
    let mut bench = Bench::starting();
    bench.analyze(&file);
    bench.send(Command::SetScope(Scope {
        country: Some("Nowhere".into()),
        ..Scope::default()
    }));
    assert!(bench.events().is_empty());
    bench.machine.update(WorkerMessage::HelperReady);
    bench.answer(1);
    let events = bench.events();
    assert_eq!(finished(&events).len(), 1);
    assert!(matches!(
        events.last(),
        Some(WorkerEvent::ScopeRefused(
            PanierError::UnknownCountry { .. }
        ))
    ));
}

#[test]
fn a_reanalysis_during_a_pending_analysis_reads_the_whole_file() {
    let file = FakeFile::demo("ventes.csv", 1);
    let mut bench = Bench::ready();
    bench.analyze(&file);
    bench.events();
    bench.send(Command::Reanalyze {
        options: AnalysisOptions::default(),
    });
    assert_same_analysis(only_finished(&bench.events()), &one_pass(&file));
    assert_whole_file_kept(&bench.machine, &file);
    // La fin arrive ensuite : sa demande a été remplacée, ignorée.
    bench.answer(1);
    assert!(bench.events().is_empty());
}

#[test]
fn a_demo_while_the_helper_starts_is_served_and_the_helper_kept() {
    let mut bench = Bench::starting();
    bench.send(Command::AnalyzeDemo {
        options: AnalysisOptions::default(),
    });
    assert_eq!(finished(&bench.events()).len(), 1);
    bench.send(Command::SetScope(Scope::default()));
    assert_eq!(finished(&bench.events()).len(), 1, "servi tout de suite");
    bench.machine.update(WorkerMessage::HelperReady);
    assert_eq!(bench.warm_ups(), 1);
    assert!(matches!(
        bench.machine.phase(),
        Phase::Ready {
            helper: Some(_),
            ..
        }
    ));
}

#[test]
fn an_unreadable_command_is_answered_with_a_failure() {
    let mut bench = Bench::ready();
    bench
        .machine
        .received(Err("unknown variant `Explode`".into()), PAGE);
    match &bench.events()[..] {
        [WorkerEvent::Failed(PanierError::Internal { detail })] => {
            assert!(detail.contains("Explode"), "{detail}");
        }
        events => panic!("un échec attendu : {events:?}"),
    }
    // Sans analyse en mémoire, une demande qui en a besoin échoue
    // proprement, elle aussi.
    bench.send(Command::Evaluate);
    assert!(matches!(
        &bench.events()[..],
        [WorkerEvent::Failed(PanierError::Internal { .. })]
    ));
}

#[test]
fn the_handshake_waits_for_the_second_worker() {
    let mut bench = Bench::starting();
    bench.send(Command::Hello);
    // Tant que le second worker se charge, la page n'est pas dite prête :
    // passer hors ligne maintenant le priverait de ses fichiers.
    assert!(bench.events().is_empty());
    bench.machine.update(WorkerMessage::HelperReady);
    assert_eq!(bench.events(), [WorkerEvent::Hello(PROTOCOL_VERSION)]);
    // Ensuite, elle est rendue aussitôt.
    bench.send(Command::Hello);
    assert_eq!(bench.events(), [WorkerEvent::Hello(PROTOCOL_VERSION)]);
}

#[test]
fn mining_runs_in_the_basket_worker_and_its_result_reaches_the_session() {
    let (mut bench, default_rules) = Bench::analyzed();
    assert_eq!(
        bench.miners(),
        (1, 0),
        "un worker des paniers lancé avec le worker"
    );
    bench.ask_baskets(1, 0.02);
    // Rien n'est répondu avant que le worker des paniers ait fini ; pendant
    // ce temps, ce worker-ci sert les autres demandes, sur les résultats
    // précédents.
    assert!(bench.events().is_empty());
    assert_eq!(bench.rules_served(), default_rules as u64);
    bench.mine_done(1);
    let answers = baskets_mined(&bench.events());
    assert_eq!(answers.len(), 1);
    let summary = answers[0].1.clone().expect("analyse faite");
    // Oracle : la même demande calculée directement par le cœur.
    let mut request = AnalysisOptions::default().basket_request();
    request.mining.min_support = MinSupport::Fraction(0.02);
    let bytes = FakeFile::demo("a.csv", 1).bytes;
    let mut session = Session::load(
        &bytes,
        AnalysisOptions::default(),
        &mut panier_core::progress::NoProgress,
    )
    .expect("analyse");
    let expected = session
        .mine_baskets(&request, None, &|| 0.0, &mut NoProgress)
        .expect("paniers")
        .clone();
    assert_eq!(summary.rules, expected.rules);
    assert_eq!(summary.itemsets, expected.itemsets);
    assert_eq!(summary.top, expected.top);
    assert_eq!(bench.rules_served(), expected.rules as u64);
    assert_eq!(
        bench.miners(),
        (1, 0),
        "le même worker des paniers resservira"
    );
}

#[test]
fn an_analysis_done_before_any_warm_up_has_the_basket_worker_rehearse_the_measure() {
    let rehearsals = |bench: &Bench| bench.fake.0.borrow().evaluation_rehearsals;
    let rehearsal_due = |bench: &Bench| {
        let log = bench.fake.0.borrow();
        log.timers
            .iter()
            .any(|(_, message)| matches!(message, WorkerMessage::RehearseEvaluation))
    };
    // Un worker sans second worker ne répète jamais le pipeline : après le
    // tableau de bord, et un peu plus tard, le worker des paniers répète la
    // mesure.
    let (mut bench, _) = Bench::analyzed();
    assert_eq!(bench.warm_ups(), 0);
    assert_eq!(rehearsals(&bench), 0, "pas avant l'affichage");
    let (delay, message) = bench.timer(|m| matches!(m, WorkerMessage::RehearseEvaluation));
    assert_eq!(delay, EVALUATION_REHEARSAL_DELAY_MS);
    bench.machine.update(message);
    assert_eq!(rehearsals(&bench), 1);
    // Rien d'autre ne la redemande.
    bench.send(Command::Evaluate);
    assert!(!rehearsal_due(&bench));
    // Le moment venu pendant une recherche des paniers : rien (il calcule).
    bench.analyze(&FakeFile::demo("b.csv", 2));
    bench.ask_baskets(1, 0.02);
    let (_, message) = bench.timer(|m| matches!(m, WorkerMessage::RehearseEvaluation));
    bench.machine.update(message);
    assert_eq!(rehearsals(&bench), 1, "worker des paniers occupé");
    bench.mine_done(1);
    // Le pipeline répété ici (second worker prêt) : la mesure l'a été avec
    // lui, rien à demander.
    let mut warm = Bench::ready();
    assert_eq!(warm.warm_ups(), 1);
    warm.analyze(&FakeFile::demo("a.csv", 1));
    // (Lu à deux : le second worker rend la fin.)
    for request in warm.requests() {
        warm.answer(request);
    }
    assert!(!finished(&warm.events()).is_empty());
    assert!(!rehearsal_due(&warm));
    // Sans worker des paniers, le moment venu ne casse rien.
    let mut alone = Bench::without_miner();
    alone.analyze(&FakeFile::demo("a.csv", 1));
    let (_, message) = alone.timer(|m| matches!(m, WorkerMessage::RehearseEvaluation));
    alone.machine.update(message);
    assert_eq!(rehearsals(&alone), 0);
    assert!(!finished(&alone.events()).is_empty());
}

#[test]
fn cancel_stops_the_basket_worker_at_once_and_keeps_the_previous_results() {
    let (mut bench, default_rules) = Bench::analyzed();
    bench.ask_baskets(7, 0.02);
    bench.send(Command::CancelMining(7));
    // La réponse part sans attendre le calcul : le worker qui le faisait est
    // arrêté, un autre le remplace.
    assert_eq!(
        baskets_mined(&bench.events()),
        vec![(7, Err(PanierError::Cancelled))]
    );
    assert_eq!(bench.miners(), (2, 1));
    // Un résultat qui arriverait quand même est ignoré ; les règles restent
    // celles d'avant.
    bench.mine_done(7);
    assert!(bench.events().is_empty());
    assert_eq!(bench.rules_served(), default_rules as u64);
    // Annuler une demande déjà remplacée ne touche pas la suivante.
    bench.ask_baskets(8, 0.02);
    bench.send(Command::CancelMining(7));
    assert!(bench.events().is_empty());
    bench.mine_done(8);
    assert!(matches!(&baskets_mined(&bench.events())[..], [(8, Ok(_))]));
}

#[test]
fn a_newer_request_or_a_new_scope_stops_the_running_search() {
    let (mut bench, _) = Bench::analyzed();
    bench.ask_baskets(1, 0.02);
    bench.ask_baskets(2, 0.03);
    assert_eq!(
        baskets_mined(&bench.events()),
        vec![(1, Err(PanierError::Cancelled))]
    );
    // Un filtre pendant la recherche : elle est arrêtée, le filtre appliqué ;
    // le résultat de l'ancien périmètre n'arrive jamais dans la session.
    bench.send(Command::SetScope(Scope {
        country: Some("United Kingdom".into()),
        ..Scope::default()
    }));
    let events = bench.events();
    assert_eq!(
        baskets_mined(&events),
        vec![(2, Err(PanierError::Cancelled))]
    );
    let scoped_rules = only_finished(&events)
        .baskets
        .clone()
        .expect("règles")
        .rules;
    bench.mine_done(2);
    assert!(bench.events().is_empty());
    assert_eq!(bench.rules_served(), scoped_rules as u64);
    assert_eq!(bench.miners(), (3, 2));
}

#[test]
fn without_a_basket_worker_or_when_it_crashes_mining_is_done_here() {
    // Pas de worker des paniers : réponse immédiate, calculée ici.
    let mut bench = Bench::without_miner();
    bench.analyze(&FakeFile::demo("a.csv", 1));
    bench.events();
    bench.ask_baskets(1, 0.02);
    let here = baskets_mined(&bench.events());
    assert!(matches!(&here[..], [(1, Ok(_))]));
    // Un worker des paniers qui plante en plein calcul : le calcul se fait
    // ici, même résultat, et les suivants aussi.
    let (mut bench, _) = Bench::analyzed();
    bench.ask_baskets(1, 0.02);
    bench.machine.update(WorkerMessage::MinerCrashed);
    assert_eq!(baskets_mined(&bench.events()), here);
    bench.ask_baskets(2, 0.02);
    assert!(matches!(&baskets_mined(&bench.events())[..], [(2, Ok(_))]));
}

#[test]
fn segment_statistics_are_computed_here_for_the_grid_asked() {
    use panier_core::rfm::segments::SegmentGrid;
    let (mut bench, _) = Bench::analyzed();
    let mut grid = SegmentGrid::default_for(5);
    assert!(grid.set(5, 5, "VIP"));
    bench.send(Command::SegmentStats(grid.clone()));
    match &bench.events()[..] {
        [WorkerEvent::SegmentStats {
            grid: echoed,
            stats,
        }] => {
            assert_eq!(echoed, &grid);
            let stats = stats.as_ref().as_ref().expect("indicateurs");
            assert!(stats.iter().any(|s| s.name == "VIP" && s.customers > 0));
        }
        other => panic!("indicateurs attendus : {other:?}"),
    }
}
