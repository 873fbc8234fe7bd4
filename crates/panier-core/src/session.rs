//! La session d'analyse : le seul propriétaire de la table chargée et de tout
//! ce qu'on en tire.
//!
//! Le Web Worker et la CLI ne font qu'y brancher leurs entrées et sorties :
//! le worker y achemine les messages de la page, la CLI y lit ses options et
//! en écrit les fichiers. Chaque décision (quel périmètre, quelle
//! segmentation, quels paramètres pour le modèle de recommandation, quels
//! clients forment un segment) se prend ici, une seule fois.
//!
//! ```text
//!  octets ──load──▶ table nettoyée (tout le fichier)
//!                        │ set_scope (pays, période) : sans relire le fichier
//!                        ▼
//!                   table du périmètre ──▶ rapport, vue d'ensemble, RFM,
//!                                          paniers, évaluation → modèle,
//!                                          recommandations, exports
//! ```
//!
//! Chaque résultat dérivé est gardé en cache jusqu'à ce que le périmètre
//! change ; changer de périmètre ne relit ni ne renettoie le fichier.

use std::io::Write;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::basket::analysis::{BasketJob, BasketOutcome, BasketRequest, BasketSummary};
use crate::basket::query::{query, RulePage, RuleQuery};
use crate::clean::{clean, Anomalies, CleanTable, CleaningCounts};
use crate::clv::{clv_by_segment, compute_clv_reusing, ClvOptions, ClvResult, ClvSegment};
use crate::customer::{customer_purchases, CustomerPurchases};
use crate::error::PanierError;
use crate::export::{
    write_cleaned_csv, write_clv_csv, write_itemsets_csv, write_rfm_csv, write_rules_csv,
};
use crate::ingest::dates::format_timestamp;
use crate::ingest::roles::Role;
use crate::ingest::split::{boundary_after, read_in_two, read_tail, HEAD_BYTES};
use crate::ingest::{read_transactions, ImportFacts};
use crate::overview::{overview, Overview};
use crate::pipeline::AnalysisOptions;
use crate::progress::{NoProgress, ProgressSink, Stage};
use crate::recommend::evaluation::{evaluate_and_keep, evaluate_with, Evaluation};
use crate::recommend::model::{Model, Params};
use crate::recommend::{
    write_recommendations_csv, write_recommendations_part, RankBy, Recommendation, Recommender,
};
use crate::rfm::movement::{segment_movement, Movement};
use crate::rfm::segments::SegmentGrid;
use crate::rfm::stats::{segment_stats, SegmentStats};
use crate::rfm::{compute_rfm, RfmOptions, RfmTable};
use crate::scope::{filter_country, filter_period};
use crate::summary::{summarize, Report};
use crate::table::TransactionTable;
use crate::Lang;

/// Le périmètre d'analyse, que toutes les vues suivent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    /// Un pays (casse et espaces ignorés), ou tous.
    pub country: Option<String>,
    /// Premier jour retenu (secondes depuis 1970 ; l'heure est ignorée).
    pub from: Option<i64>,
    /// Dernier jour retenu, **compris en entier** (secondes depuis 1970 ;
    /// l'heure est ignorée).
    pub to: Option<i64>,
}

impl Scope {
    /// Vrai quand le périmètre est tout le fichier.
    pub fn is_everything(&self) -> bool {
        self.country.is_none() && self.from.is_none() && self.to.is_none()
    }

    /// Refuse une période à l'envers (début après la fin).
    pub fn validate(&self) -> Result<(), PanierError> {
        match (self.from, self.to) {
            (Some(from), Some(to))
                if from.div_euclid(crate::rfm::DAY_SECONDS)
                    > to.div_euclid(crate::rfm::DAY_SECONDS) =>
            {
                Err(PanierError::InvalidParameter {
                    name: "period".into(),
                    value: format!("{} > {}", format_timestamp(from), format_timestamp(to)),
                    expected: "from ≤ to".into(),
                })
            }
            _ => Ok(()),
        }
    }
}

/// Recommandations pour un produit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductAdvice {
    /// Le produit demandé.
    pub product: String,
    /// Ventes croisées, dans l'ordre demandé.
    pub cross_sell: Vec<Recommendation>,
    /// Montée en gamme.
    pub upsell: Vec<Recommendation>,
}

/// Recommandations pour un client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerAdvice {
    /// Le client demandé.
    pub customer: String,
    /// Son segment dans la grille de la demande.
    pub segment: String,
    /// À découvrir (ou, sans association applicable, ce que son segment
    /// achète).
    pub discovery: Vec<Recommendation>,
    /// Vrai quand la découverte vient du repli sur le segment.
    pub segment_fallback: bool,
    /// À racheter.
    pub reorder: Vec<Recommendation>,
    /// Montée en gamme : ce qu'achètent ses semblables mieux segmentés.
    pub upsell: Vec<Recommendation>,
}

/// Recommandations pour un segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentAdvice {
    /// Le segment demandé.
    pub segment: String,
    /// Nombre de ses clients.
    pub customers: usize,
    /// Ses meilleures ventes (article, acheteurs).
    pub best_sellers: Vec<(String, u32)>,
}

/// Un segment d'une grille : de quoi désigner des clients sans en envoyer
/// la liste.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentChoice {
    /// Nom du segment.
    pub name: String,
    /// La grille R × FM qui le définit.
    pub grid: SegmentGrid,
}

/// Résultats tirés de la table du périmètre, calculés à la première demande.
#[derive(Default)]
struct Derived {
    /// Dernière segmentation et ses options.
    rfm: Option<(RfmOptions, Result<RfmTable, PanierError>)>,
    /// Dernière analyse des paniers.
    baskets: Option<BasketOutcome>,
    /// Qualité mesurée des recommandations (et paramètres choisis).
    evaluation: Option<Result<Evaluation, PanierError>>,
    /// Modèle de recommandation (`None` dedans : pas de dates).
    recommender: Option<Option<Recommender>>,
    /// Vue d'ensemble.
    overview: Option<Overview>,
    /// Dernière valeur client prédite et ses options.
    clv: Option<(ClvOptions, Result<ClvResult, PanierError>)>,
}

/// Ce que le chargement a produit, pour tout le fichier : rien ici ne
/// change avec le périmètre.
struct Loaded {
    /// Table nettoyée de tout le fichier (partagée : un calcul détaché
    /// d'une session, voir [`Session::recommend_job`], la lit sans copie).
    full: Arc<CleanTable>,
    /// Faits de l'import, comptes du nettoyage et anomalies, pour refaire le
    /// rapport d'un autre périmètre.
    facts: ImportFacts,
    counts: CleaningCounts,
    anomalies: Anomalies,
    /// Pays présents avant tout filtre.
    countries: Vec<String>,
}

impl Loaded {
    /// La table et le rapport d'un périmètre (`None` : tout le fichier).
    fn scoped(&self, scope: &Scope) -> Result<(Option<Arc<CleanTable>>, Report), PanierError> {
        scope.validate()?;
        let (scoped, country) = if scope.is_everything() {
            (None, None)
        } else {
            let mut table = CleanTable::clone(&self.full);
            let country = match &scope.country {
                Some(requested) => Some(filter_country(&mut table, requested)?),
                None => None,
            };
            if scope.from.is_some() || scope.to.is_some() {
                filter_period(&mut table, scope.from, scope.to)?;
            }
            (Some(Arc::new(table)), country)
        };
        let mut report = summarize(
            scoped.as_deref().unwrap_or(&self.full),
            self.facts.clone(),
            self.counts.clone(),
            self.anomalies.clone(),
            country,
        );
        report.available_countries = self.countries.clone();
        if scope.from.is_some() || scope.to.is_some() {
            report.period = report.date_min.clone().zip(report.date_max.clone());
        }
        Ok((scoped, report))
    }
}

/// Une analyse en cours : la table nettoyée, son périmètre, ses résultats.
pub struct Session {
    /// Options de l'analyse (le périmètre courant y est recopié).
    options: AnalysisOptions,
    /// Tout le fichier, nettoyé.
    loaded: Loaded,
    /// Table du périmètre (`None` : tout le fichier).
    scoped: Option<Arc<CleanTable>>,
    /// Rapport du périmètre.
    report: Report,
    derived: Derived,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("rows", &self.table().table.len())
            .field("scope", &self.scope())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Lit `bytes` d'un trait, nettoie, applique le périmètre des options.
    pub fn load(
        bytes: &[u8],
        options: AnalysisOptions,
        progress: &mut dyn ProgressSink,
    ) -> Result<Self, PanierError> {
        options.validate()?;
        let read = read_transactions(bytes, &options.import, progress)?;
        Self::open(read, options, progress)
    }

    /// Lit `bytes` en deux moitiés comme un gros fichier, la fin étant lue
    /// par `tail` (appelée avec le début du fichier, ses octets depuis le
    /// milieu et la position du milieu) ; même résultat que [`Session::load`],
    /// qui prend le relais quand le fichier ne se coupe pas exactement.
    ///
    /// Le worker répète ainsi le pipeline sur une petite démo ; la CLI lit
    /// la fin sur un autre fil d'exécution ([`Session::load_parallel`]).
    pub fn load_in_two(
        bytes: &[u8],
        options: AnalysisOptions,
        progress: &mut dyn ProgressSink,
    ) -> Result<Self, PanierError> {
        options.validate()?;
        let mid = bytes.len() / 2;
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let tail = || read_tail(head, &bytes[mid..], mid, &options.import);
        let joined = boundary_after(bytes, mid)
            .and_then(|at| read_in_two(bytes, at, &options.import, tail, progress));
        match joined {
            Some(read) => Self::open(read?, options, progress),
            None => Self::load(bytes, options, progress),
        }
    }

    /// Comme [`Session::load`], mais un gros CSV est lu à deux : la fin sur
    /// un second fil d'exécution pendant que celui-ci lit le début (la même
    /// coupe que dans le navigateur). Résultat identique.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_parallel(
        bytes: &[u8],
        options: AnalysisOptions,
        progress: &mut dyn ProgressSink,
    ) -> Result<Self, PanierError> {
        use crate::ingest::split::{boundary, first_part_len, split_point, worth_reading_tail};
        options.validate()?;
        let import = &options.import;
        let size = bytes.len();
        let head = &bytes[..size.min(HEAD_BYTES)];
        let Some(mid) = split_point(size).filter(|_| worth_reading_tail(head, import)) else {
            return Self::load(bytes, options, progress);
        };
        let first = &bytes[..first_part_len(size)];
        let read = std::thread::scope(|scope| {
            let tail = scope.spawn(|| read_tail(head, &bytes[mid..], mid, import));
            let tail = || tail.join().ok().flatten();
            boundary(first, size).and_then(|at| read_in_two(first, at, import, tail, progress))
        });
        match read {
            Some(read) => Self::open(read?, options, progress),
            None => Self::load(bytes, options, progress),
        }
    }

    /// Ouvre une session sur une table déjà lue (d'un trait, ou à deux par
    /// [`crate::ingest::begin_split_read`] puis
    /// [`crate::ingest::PartialRead::join`]) : nettoyage, puis périmètre des
    /// options.
    pub fn open(
        (table, facts): (TransactionTable, ImportFacts),
        options: AnalysisOptions,
        progress: &mut dyn ProgressSink,
    ) -> Result<Self, PanierError> {
        options.validate()?;
        if table.is_empty() && facts.rows_unparseable == facts.rows_read {
            return Err(PanierError::UnreadableNumbers {
                rows_read: facts.rows_read,
                cause: facts.unreadable_numbers.cause(),
                examples: facts.unreadable_numbers.examples.clone(),
            });
        }
        progress.stage_started(Stage::Clean);
        let (full, counts, anomalies) = clean(table, &options.cleaning);
        if full.table.is_empty() {
            return Err(PanierError::NoValidRows {
                rows_read: facts.rows_read,
            });
        }
        // Les pays présents avant filtre restent proposés.
        let mut countries: Vec<String> = full
            .table
            .countries
            .values()
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        countries.sort();
        let scope = Scope {
            country: options.country.clone(),
            from: options.period_from,
            to: options.period_to,
        };
        progress.stage_started(Stage::Summarize);
        let loaded = Loaded {
            full: Arc::new(full),
            facts,
            counts,
            anomalies,
            countries,
        };
        let (scoped, report) = loaded.scoped(&scope)?;
        Ok(Session {
            options,
            loaded,
            scoped,
            report,
            derived: Derived::default(),
        })
    }

    /// Change de périmètre sans relire le fichier. Un périmètre vide (ou
    /// invalide) est refusé avec un message, et la session garde le
    /// précédent.
    pub fn set_scope(&mut self, scope: Scope) -> Result<&Report, PanierError> {
        let (scoped, report) = self.loaded.scoped(&scope)?;
        self.scoped = scoped;
        self.report = report;
        self.derived = Derived::default();
        self.options.country = scope.country;
        self.options.period_from = scope.from;
        self.options.period_to = scope.to;
        Ok(&self.report)
    }

    /// Le rapport et la table du périmètre, sans le reste de la session.
    pub fn into_output(self) -> crate::pipeline::AnalysisOutput {
        crate::pipeline::AnalysisOutput {
            report: self.report,
            clean: Arc::unwrap_or_clone(self.scoped.unwrap_or(self.loaded.full)),
        }
    }

    /// Le périmètre courant.
    pub fn scope(&self) -> Scope {
        Scope {
            country: self.options.country.clone(),
            from: self.options.period_from,
            to: self.options.period_to,
        }
    }

    /// Options de l'analyse, périmètre et segmentation courants compris.
    pub fn options(&self) -> &AnalysisOptions {
        &self.options
    }

    /// Rapport du périmètre courant.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Table nettoyée du périmètre courant.
    pub fn table(&self) -> &CleanTable {
        self.shared_table()
    }

    /// [`Session::table`], partageable (voir [`Session::recommend_job`]).
    fn shared_table(&self) -> &Arc<CleanTable> {
        self.scoped.as_ref().unwrap_or(&self.loaded.full)
    }

    /// Vue d'ensemble du périmètre.
    pub fn overview(&mut self) -> &Overview {
        let full = &self.loaded.full;
        let scoped = self.scoped.as_ref();
        self.derived.overview.get_or_insert_with(|| match scoped {
            None => overview(full),
            // La devise se devine sur tout le fichier, pas sur le
            // périmètre : un filtre par pays ne change pas celle des prix.
            Some(table) => Overview {
                currency: crate::overview::guess_currency(full),
                ..overview(table)
            },
        })
    }

    /// Segmentation RFM avec ces options (gardée tant qu'on ne les change
    /// pas) ; elles deviennent celles de la session.
    pub fn rfm(&mut self, options: &RfmOptions) -> &Result<RfmTable, PanierError> {
        let stale = self
            .derived
            .rfm
            .as_ref()
            .is_none_or(|(done, _)| done != options);
        if stale {
            let result = options
                .validate()
                .and_then(|()| compute_rfm(self.table(), options))
                .map_err(|error| self.explain_missing_dates(error));
            self.derived.rfm = Some((*options, result));
            self.options.rfm = *options;
        }
        let (_, result) = self.derived.rfm.as_ref().expect("segmentation calculée");
        result
    }

    /// Valeur client prédite avec ces options (gardée tant qu'on ne les
    /// change pas, comme la segmentation) ; elles deviennent celles de la
    /// session. Une erreur (trop peu de clients fidèles, une seule journée,
    /// ajustement qui ne converge pas) ne touche à rien d'autre.
    pub fn clv(&mut self, options: &ClvOptions) -> &Result<ClvResult, PanierError> {
        let stale = self
            .derived
            .clv
            .as_ref()
            .is_none_or(|(done, _)| done != options);
        if stale {
            // La validation ne dépend que de la table du périmètre : celle
            // d'un calcul précédent resservira.
            let validation = match &self.derived.clv {
                Some((_, Ok(previous))) => Some(previous.validation.clone()),
                _ => None,
            };
            let result = compute_clv_reusing(self.table(), options, validation);
            self.derived.clv = Some((*options, result));
            self.options.clv = *options;
        }
        let (_, result) = self.derived.clv.as_ref().expect("valeur client calculée");
        result
    }

    /// Valeur client par segment de `grid` (segmentation courante) : valeur
    /// moyenne, part des clients probablement inactifs.
    pub fn clv_segments(
        &mut self,
        options: &ClvOptions,
        grid: &SegmentGrid,
    ) -> Result<Vec<ClvSegment>, PanierError> {
        self.current_rfm()?;
        self.clv(options);
        match (&self.derived.rfm, &self.derived.clv) {
            (Some((_, Ok(rfm))), Some((_, Ok(clv)))) => Ok(clv_by_segment(clv, rfm, grid)),
            (_, Some((_, Err(error)))) | (Some((_, Err(error))), _) => Err(error.clone()),
            _ => Err(PanierError::Internal {
                detail: "segmentation or customer value missing".into(),
            }),
        }
    }

    /// Écrit `clv.csv` de la valeur client des options courantes.
    pub fn write_clv(&mut self, out: impl Write) -> Result<(), PanierError> {
        let options = self.options.clv;
        let result = self.clv(&options).as_ref().map_err(Clone::clone)?;
        write_clv_csv(result, out).map_err(unwritable)
    }

    /// « Il manque la date » alors que la colonne existe : c'est qu'aucune
    /// de ses valeurs ne se lit ; le message le dit, avec des exemples.
    fn explain_missing_dates(&self, error: PanierError) -> PanierError {
        let import = &self.report().import;
        let is_dates = |missing: &[String]| missing == [Role::InvoiceDate.canonical_name()];
        match (&error, import.mapping.position(Role::InvoiceDate)) {
            (PanierError::RfmUnavailable { missing }, Some(column)) if is_dates(missing) => {
                PanierError::UnreadableValues {
                    column: import.headers.get(column).cloned().unwrap_or_default(),
                    role: Role::InvoiceDate.canonical_name().to_string(),
                    examples: import.unreadable_date_examples.clone(),
                }
            }
            _ => error,
        }
    }

    /// La segmentation courante (celle des options de la session),
    /// calculée au besoin.
    fn current_rfm(&mut self) -> Result<&RfmTable, PanierError> {
        let options = self.options.rfm;
        self.rfm(&options).as_ref().map_err(Clone::clone)
    }

    /// Indicateurs par segment de la segmentation courante, selon la grille
    /// donnée (celle que l'utilisateur édite).
    pub fn segment_stats(&mut self, grid: &SegmentGrid) -> Result<Vec<SegmentStats>, PanierError> {
        Ok(segment_stats(self.current_rfm()?, grid))
    }

    /// Les clients d'un segment (identifiants dans la table), selon la
    /// segmentation courante et la grille donnée.
    pub fn segment_members(&mut self, segment: &SegmentChoice) -> Result<Vec<u32>, PanierError> {
        self.current_rfm()?;
        let Some((_, Ok(rfm))) = &self.derived.rfm else {
            return Ok(Vec::new());
        };
        let ids = &self
            .scoped
            .as_deref()
            .unwrap_or(&self.loaded.full)
            .table
            .customers;
        Ok(rfm
            .customers
            .iter()
            .filter(|c| segment.grid.segment_of(c.r, c.f, c.m) == segment.name)
            .filter_map(|c| ids.id_of(&c.customer))
            .collect())
    }

    /// Paniers, itemsets et règles ; `segment` restreint les paniers aux
    /// clients d'un segment RFM. `clock` donne l'heure en millisecondes ;
    /// `sink` peut arrêter la recherche ([`PanierError::Cancelled`]).
    pub fn mine_baskets(
        &mut self,
        request: &BasketRequest,
        segment: Option<&SegmentChoice>,
        clock: &dyn Fn() -> f64,
        sink: &mut dyn ProgressSink,
    ) -> Result<&BasketSummary, PanierError> {
        self.forget_baskets();
        let job = self.basket_job(request, segment, clock)?;
        let outcome = job.run(clock, sink)?;
        Ok(self.accept_baskets(outcome))
    }

    /// Prépare une analyse des paniers (paniers construits, segment
    /// résolu), à exécuter ici ([`Session::mine_baskets`]) ou ailleurs —
    /// dans le navigateur, par le worker des paniers, qu'« Annuler » termine
    /// — puis à rendre avec [`Session::accept_baskets`].
    pub fn basket_job(
        &mut self,
        request: &BasketRequest,
        segment: Option<&SegmentChoice>,
        clock: &dyn Fn() -> f64,
    ) -> Result<BasketJob, PanierError> {
        let mut request = request.clone();
        if let Some(segment) = segment {
            let members = self.segment_members(segment)?;
            let names = &self.table().table.customers;
            request.baskets.scope.customers = Some(
                members
                    .into_iter()
                    .map(|id| names.value(id).to_string())
                    .collect(),
            );
        }
        BasketJob::prepare(self.table(), &request, clock)
    }

    /// Garde le résultat d'une analyse des paniers préparée par
    /// [`Session::basket_job`] sur ce même périmètre : il devient « la
    /// dernière analyse des paniers » (règles, exports).
    pub fn accept_baskets(&mut self, outcome: BasketOutcome) -> &BasketSummary {
        &self.derived.baskets.insert(outcome).summary
    }

    /// Oublie la dernière analyse des paniers (la nouvelle a échoué : plus
    /// de règles ni d'export à servir).
    pub fn forget_baskets(&mut self) {
        self.derived.baskets = None;
    }

    /// Une page des règles de la dernière analyse des paniers.
    pub fn rules_page(&self, q: &RuleQuery) -> RulePage {
        match self.derived.baskets.as_ref().map(|m| &m.rules) {
            Some(Ok((set, flags))) => query(set, flags, q),
            _ => RulePage {
                total: 0,
                redundant: 0,
                all: 0,
                rows: Vec::new(),
            },
        }
    }

    /// Qualité mesurée des recommandations sur l'historique du périmètre ;
    /// les paramètres qu'elle choisit en validation deviennent ceux du
    /// modèle de recommandation.
    pub fn evaluation(&mut self) -> &Result<Evaluation, PanierError> {
        // Sans puits qui l'arrête, l'évaluation va au bout et est gardée.
        let _ = self.evaluation_with(&mut NoProgress);
        self.derived
            .evaluation
            .as_ref()
            .expect("évaluation calculée")
    }

    /// Comme [`Session::evaluation`], mais `sink` peut l'arrêter :
    /// `Err(Cancelled)`, et rien n'est gardé (la prochaine demande la
    /// recalcule).
    pub fn evaluation_with(
        &mut self,
        sink: &mut dyn ProgressSink,
    ) -> Result<&Result<Evaluation, PanierError>, PanierError> {
        if self.derived.evaluation.is_none() {
            let evaluation = evaluate_with(self.table(), sink);
            if matches!(evaluation, Err(PanierError::Cancelled)) {
                return Err(PanierError::Cancelled);
            }
            self.derived.recommender = None;
            self.derived.evaluation = Some(evaluation);
        }
        Ok(self
            .derived
            .evaluation
            .as_ref()
            .expect("évaluation calculée"))
    }

    /// Paramètres du modèle : ceux que l'évaluation a choisis, ou ceux par
    /// défaut quand elle est impossible.
    pub fn recommender_params(&mut self) -> Params {
        params_of(self.evaluation())
    }

    /// La mesure des recommandations et le modèle, à calculer hors de la
    /// session (un autre fil de la ligne de commande, pendant qu'elle écrit
    /// ses autres sorties) : la table du périmètre, partagée (sans copie).
    /// Ce que [`RecommendJob::run`] rend se remet à la session par
    /// [`Session::adopt_recommendations`].
    pub fn recommend_job(&self) -> RecommendJob {
        RecommendJob {
            scope: self.scope(),
            table: Arc::clone(self.shared_table()),
        }
    }

    /// Reprend la mesure et le modèle calculés par un [`RecommendJob`] :
    /// comme si [`Session::evaluation`] puis [`Session::recommender`] avaient
    /// été demandés ici. Faux (et rien n'est repris) si le périmètre a changé
    /// depuis [`Session::recommend_job`].
    pub fn adopt_recommendations(&mut self, outcome: RecommendOutcome) -> bool {
        if outcome.scope != self.scope() {
            return false;
        }
        self.derived.evaluation = Some(outcome.evaluation);
        self.derived.recommender = Some(outcome.recommender);
        true
    }

    /// Le modèle de recommandation, appris sur tout le périmètre avec les
    /// paramètres choisis par l'évaluation.
    pub fn recommender(&mut self) -> Result<&Recommender, PanierError> {
        if self.derived.recommender.is_none() {
            let params = self.recommender_params();
            self.derived.recommender = Some(Recommender::train(self.table(), params));
        }
        self.derived
            .recommender
            .as_ref()
            .and_then(Option::as_ref)
            .ok_or(PanierError::EvaluationImpossible {
                reason: "dates".into(),
            })
    }

    /// Ventes croisées (dans l'ordre demandé) et montée en gamme d'un produit.
    pub fn recommend_product(
        &mut self,
        product: &str,
        rank_by: RankBy,
        n: usize,
    ) -> Result<ProductAdvice, PanierError> {
        let recommender = self.recommender()?;
        Ok(ProductAdvice {
            product: product.to_string(),
            cross_sell: recommender.cross_sell(product, n, rank_by),
            upsell: recommender.upsell(product, n),
        })
    }

    /// Produits dont le nom contient `text`.
    pub fn suggest_products(&mut self, text: &str, n: usize) -> Result<Vec<String>, PanierError> {
        Ok(self.recommender()?.suggest(text, n))
    }

    /// Recommandations d'un client : découverte (ou repli sur son segment
    /// dans `grid`), réachat, et montée en gamme d'après ses semblables de
    /// meilleurs segments (un score R + F + M plus haut). `None` : client
    /// inconnu de la segmentation courante.
    pub fn recommend_customer(
        &mut self,
        customer: &str,
        grid: &SegmentGrid,
        n: usize,
    ) -> Result<Option<CustomerAdvice>, PanierError> {
        let customer = customer.trim();
        self.current_rfm()?;
        self.recommender()?;
        let table = self.scoped.as_deref().unwrap_or(&self.loaded.full);
        let (Some((_, Ok(rfm))), Some(Some(recommender))) =
            (&self.derived.rfm, &self.derived.recommender)
        else {
            return Err(PanierError::EvaluationImpossible {
                reason: "dates".into(),
            });
        };
        let Some(me) = rfm.customers.iter().find(|c| c.customer == customer) else {
            return Ok(None);
        };
        let segment = grid.segment_of(me.r, me.f, me.m).to_string();
        let ids = &table.table.customers;
        let (mut members, mut better) = (Vec::new(), Vec::new());
        for c in &rfm.customers {
            let Some(id) = ids.id_of(&c.customer) else {
                continue;
            };
            if grid.segment_of(c.r, c.f, c.m) == segment {
                members.push(id);
            }
            // Meilleurs segments : un score R + F + M plus haut.
            if c.rfm_sum() > me.rfm_sum() {
                better.push(id);
            }
        }
        let (discovery, segment_fallback) =
            recommender.for_customer_or_segment(table, customer, &segment, &members, n);
        Ok(Some(CustomerAdvice {
            customer: customer.to_string(),
            discovery,
            segment_fallback,
            reorder: recommender.reorder_for_customer(table, customer, n),
            upsell: recommender.upsell_for_customer(table, customer, &better, n),
            segment,
        }))
    }

    /// Meilleures ventes d'un segment.
    pub fn recommend_segment(
        &mut self,
        segment: &SegmentChoice,
        n: usize,
    ) -> Result<SegmentAdvice, PanierError> {
        let members = self.segment_members(segment)?;
        let best_sellers = self.recommender()?.best_sellers_among(&members, n);
        Ok(SegmentAdvice {
            segment: segment.name.clone(),
            customers: members.len(),
            best_sellers,
        })
    }

    /// Fiche d'un client : commandes et produits préférés.
    pub fn customer_sheet(&self, customer: &str, top: usize) -> Option<CustomerPurchases> {
        customer_purchases(self.table(), customer, top)
    }

    /// Positions des clients à deux dates d'observation.
    pub fn movement(&self, levels: u8, from: i64, to: i64) -> Result<Movement, PanierError> {
        segment_movement(self.table(), levels, from, to)
    }

    /// Écrit les transactions nettoyées du périmètre (format de la référence).
    pub fn write_cleaned(&self, out: impl Write) -> Result<(), PanierError> {
        write_cleaned_csv(self.table(), out).map_err(unwritable)
    }

    /// Écrit la segmentation courante avec la grille donnée.
    pub fn write_rfm(&mut self, grid: &SegmentGrid, out: impl Write) -> Result<(), PanierError> {
        let rfm = self.current_rfm()?;
        write_rfm_csv(rfm, grid, out).map_err(unwritable)
    }

    /// Écrit les itemsets fréquents de la dernière analyse des paniers.
    pub fn write_itemsets(&self, out: impl Write) -> Result<(), PanierError> {
        let mined = self.mined()?;
        write_itemsets_csv(&mined.itemsets, out).map_err(unwritable)
    }

    /// Écrit les règles de la dernière analyse des paniers (ou dit pourquoi
    /// il n'y en a pas : plafond atteint).
    pub fn write_rules(&self, out: impl Write) -> Result<(), PanierError> {
        let (set, _) = self.mined()?.rules.as_ref().map_err(Clone::clone)?;
        write_rules_csv(set, out).map_err(unwritable)
    }

    /// Le résumé de la dernière analyse des paniers, s'il y en a une.
    pub fn baskets_summary(&self) -> Option<&BasketSummary> {
        self.derived.baskets.as_ref().map(|mined| &mined.summary)
    }

    /// Vrai si la dernière analyse des paniers a produit des règles.
    pub fn has_rules(&self) -> bool {
        self.derived
            .baskets
            .as_ref()
            .is_some_and(|mined| mined.rules.is_ok())
    }

    /// Écrit `recommendations.csv` : `n` articles à découvrir par client,
    /// justifiés dans la langue demandée.
    pub fn write_recommendations(
        &mut self,
        n: usize,
        lang: Lang,
        out: impl Write,
    ) -> Result<(), PanierError> {
        self.recommender()?;
        let table = self.scoped.as_deref().unwrap_or(&self.loaded.full);
        let Some(Some(recommender)) = &self.derived.recommender else {
            return Err(PanierError::EvaluationImpossible {
                reason: "dates".into(),
            });
        };
        write_recommendations_csv(table, recommender, n, lang, out).map_err(unwritable)
    }

    /// La dernière analyse des paniers.
    fn mined(&self) -> Result<&BasketOutcome, PanierError> {
        self.derived.baskets.as_ref().ok_or(PanierError::NoBaskets)
    }
}

/// Paramètres du modèle d'après une évaluation : ceux qu'elle a choisis, ou
/// ceux par défaut quand elle est impossible. La seule règle, pour la
/// session comme pour un [`RecommendJob`].
fn params_of(evaluation: &Result<Evaluation, PanierError>) -> Params {
    match evaluation {
        Ok(evaluation) => evaluation.split.params,
        Err(_) => Params::default(),
    }
}

/// La mesure des recommandations et l'apprentissage du modèle, détachés
/// d'une session ([`Session::recommend_job`]).
pub struct RecommendJob {
    scope: Scope,
    table: Arc<CleanTable>,
}

impl RecommendJob {
    /// Mesure la qualité (ce qui choisit les paramètres), puis apprend le
    /// modèle sur tout le périmètre avec ces paramètres — ce que font
    /// [`Session::evaluation`] puis [`Session::recommender`]. `sink` peut
    /// l'arrêter (`Err(Cancelled)`).
    pub fn run(self, sink: &mut dyn ProgressSink) -> Result<RecommendOutcome, PanierError> {
        // Le modèle s'apprend sur tout l'historique daté : la mesure
        // l'assemble et en compte les voisins avec ceux de ses périodes,
        // quand c'est possible.
        let (evaluation, whole) = match evaluate_and_keep(&self.table, sink) {
            Err(PanierError::Cancelled) => return Err(PanierError::Cancelled),
            Ok((evaluation, whole)) => (Ok(evaluation), whole),
            Err(error) => (Err(error), None),
        };
        let params = params_of(&evaluation);
        let recommender = match whole {
            Some((history, neighbours)) => Some(Recommender::with_model(
                &self.table,
                Model::with_neighbours(history, params, neighbours),
            )),
            None => Recommender::train(&self.table, params),
        };
        Ok(RecommendOutcome {
            scope: self.scope,
            table: self.table,
            evaluation,
            recommender,
        })
    }
}

/// Ce que rend un [`RecommendJob`].
pub struct RecommendOutcome {
    scope: Scope,
    table: Arc<CleanTable>,
    evaluation: Result<Evaluation, PanierError>,
    recommender: Option<Recommender>,
}

impl RecommendOutcome {
    /// La qualité mesurée (ou pourquoi elle ne peut pas l'être).
    pub fn evaluation(&self) -> &Result<Evaluation, PanierError> {
        &self.evaluation
    }

    /// Écrit `recommendations.csv` comme [`Session::write_recommendations`]
    /// (`Ok(false)` : pas de modèle, faute de dates).
    pub fn write_recommendations(
        &self,
        n: usize,
        lang: Lang,
        out: impl Write,
    ) -> Result<bool, PanierError> {
        self.write_recommendations_part(n, lang, (0, 1), out)
    }

    /// Écrit la part `index` sur `parts` de `recommendations.csv`
    /// ([`write_recommendations_part`]) : les parts, dans l'ordre, font le
    /// fichier de [`Self::write_recommendations`], et s'écrivent en même
    /// temps sur plusieurs fils.
    pub fn write_recommendations_part(
        &self,
        n: usize,
        lang: Lang,
        part: (usize, usize),
        out: impl Write,
    ) -> Result<bool, PanierError> {
        let Some(recommender) = &self.recommender else {
            return Ok(false);
        };
        write_recommendations_part(&self.table, recommender, n, lang, part, out)
            .map_err(unwritable)?;
        Ok(true)
    }
}

/// Une écriture qui échoue (disque plein, fichier fermé…).
fn unwritable(error: impl std::fmt::Display) -> PanierError {
    PanierError::Unwritable {
        detail: error.to_string(),
    }
}

mod workbook;
pub use workbook::WorkbookRequest;

#[cfg(test)]
mod tests;
