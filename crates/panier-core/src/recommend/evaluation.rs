//! La qualité des recommandations, mesurée sur l'historique de
//! l'utilisateur.
//!
//! Découpage dans le temps : les premiers 80 % des jours apprennent, les
//! derniers 20 % testent. Les paramètres du modèle sont choisis sur une
//! validation **à l'intérieur** de la période d'apprentissage (ses premiers
//! 80 % apprennent, ses derniers 20 % valident), jamais sur le test. Puis le
//! modèle réappris sur toute la période d'apprentissage est mesuré sur le
//! test, pour chaque client actif dans les deux périodes, avec deux listes
//! de 10 :
//!
//! - **découverte** : des articles que le client n'a jamais achetés ; est
//!   juste un article acheté pendant le test et jamais avant ;
//! - **réachat** : tout article, déjà acheté ou non ; est juste tout
//!   article acheté pendant le test (ces grossistes rachètent beaucoup).
//!
//! Mesures : taux de succès@10 (part des clients dont la liste contient au
//! moins un article juste), précision@10 (articles justes ÷ 10, en
//! moyenne), couverture (articles recommandés à quelqu'un ÷ articles
//! vendus pendant l'apprentissage). Deux références : les meilleures ventes
//! de tout l'apprentissage, et celles de ses 28 derniers jours (pour la
//! découverte, sans les articles déjà achetés par le client).

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::history::History;
use super::model::{nested_neighbours, Model, Neighbour, Params, Scorer, Scoring, MIN_TOGETHER};
use crate::clean::CleanTable;
use crate::error::PanierError;
use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::progress::{keep_going, NoProgress, ProgressSink, Stage};
use crate::rfm::DAY_SECONDS;

/// Longueur des listes mesurées.
pub const LIST: usize = 10;
/// Fenêtre de la popularité récente (jours).
pub const RECENT_DAYS: i64 = 28;

/// Qualité d'une liste.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Quality {
    /// Part des clients avec au moins un article juste dans leurs 10.
    pub hit_rate_at_10: f64,
    /// Articles justes ÷ 10, en moyenne.
    pub precision_at_10: f64,
    /// Articles recommandés à au moins un client ÷ articles vendus.
    pub coverage: f64,
}

/// Le modèle et ses deux références, pour une sorte de liste.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Comparison {
    /// Le modèle de Panier.
    pub model: Quality,
    /// Meilleures ventes de tout l'apprentissage.
    pub baseline_all_time: Quality,
    /// Meilleures ventes des 28 derniers jours d'apprentissage.
    pub baseline_recent: Quality,
}

/// Les dates du découpage et les paramètres choisis en validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Split {
    /// Premier jour des données.
    pub learn_from: String,
    /// Début de la validation (dans l'apprentissage).
    pub validation_from: String,
    /// Début du test (fin de l'apprentissage).
    pub test_from: String,
    /// Dernière date des données.
    pub test_to: String,
    /// Paramètres retenus sur la validation.
    pub params: Params,
    /// Taux de succès@10 de découverte du modèle retenu, en validation.
    pub validation_discovery_hit_rate: f64,
}

/// Le rapport d'évaluation (`evaluation.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Listes « découverte ».
    pub discovery: Comparison,
    /// Listes « réachat ».
    pub reorder: Comparison,
    /// Clients actifs dans les deux périodes.
    pub customers: usize,
    /// Clients dont la découverte a un article juste possible.
    pub discovery_customers: usize,
    /// Découpage et paramètres.
    pub split: Split,
}

/// Ce qu'un client a acheté pendant la période de test : des articles
/// triés, sans doublon (ceux de ses achats dans l'historique), où chercher
/// les 10 d'une liste par dichotomie.
struct Truth {
    customer: usize,
    bought: Vec<u32>,
    new: Vec<u32>,
}

impl Truth {
    /// Vrai si `item` est dans `items` (triés).
    fn holds(items: &[u32], item: u32) -> bool {
        items.binary_search(&item).is_ok()
    }
}

/// Les achats de test des clients actifs dans les deux périodes.
fn truths(learn: &History, test: &History) -> Vec<Truth> {
    (0..learn.customers.len())
        .filter(|&c| !learn.customers[c].is_empty() && !test.customers[c].is_empty())
        .map(|c| {
            // Les articles d'un client sont rangés par article.
            let bought: Vec<u32> = test.customers[c].iter().map(|b| b.item).collect();
            let new = bought
                .iter()
                .copied()
                .filter(|&i| !learn.has_bought(c, i))
                .collect();
            Truth {
                customer: c,
                bought,
                new,
            }
        })
        .collect()
}

/// Mesure une façon de recommander sur des clients.
fn measure(
    truths: &[Truth],
    sold: usize,
    discovery: bool,
    sink: &mut dyn ProgressSink,
    mut recommend: impl FnMut(usize) -> Vec<u32>,
) -> Result<Quality, PanierError> {
    let mut recommended: FxHashSet<u32> = FxHashSet::default();
    let (mut hits, mut precision, mut counted) = (0usize, 0.0f64, 0usize);
    for (n, truth) in truths.iter().enumerate() {
        if n % CUSTOMERS_PER_CHECK == CUSTOMERS_PER_CHECK - 1 {
            keep_going(sink, Stage::Recommend)?;
        }
        let relevant = if discovery { &truth.new } else { &truth.bought };
        if relevant.is_empty() {
            continue;
        }
        let list = recommend(truth.customer);
        let correct = list.iter().filter(|&&i| Truth::holds(relevant, i)).count();
        hits += usize::from(correct > 0);
        precision += correct as f64 / LIST as f64;
        counted += 1;
        recommended.extend(list);
    }
    let n = counted.max(1) as f64;
    Ok(Quality {
        hit_rate_at_10: hits as f64 / n,
        precision_at_10: precision / n,
        coverage: recommended.len() as f64 / sold.max(1) as f64,
    })
}

/// Meilleures ventes, sans les articles déjà achetés si `unseen`.
fn best_sellers_for(order: &[u32], history: &History, customer: usize, unseen: bool) -> Vec<u32> {
    order
        .iter()
        .copied()
        .filter(|&i| !unseen || !history.has_bought(customer, i))
        .take(LIST)
        .collect()
}

/// Jour (minuit UTC) situé à `fraction` de la période `[first, last]`.
fn cut(first: i64, last: i64, fraction: f64) -> i64 {
    let (d0, d1) = (first.div_euclid(DAY_SECONDS), last.div_euclid(DAY_SECONDS));
    let span = (d1 - d0 + 1) as f64;
    (d0 + (fraction * span).floor() as i64) * DAY_SECONDS
}

/// Notes d'association essayées en validation.
const SCORERS: [Scoring; 4] = [
    (Scorer::BestConfidence, 2),
    (Scorer::BestConfidence, 5),
    (Scorer::SumCosine, 2),
    (Scorer::SumCosine, 5),
];
/// Poids de la popularité récente essayés en validation.
const BETAS: [f64; 5] = [0.0, 0.25, 0.5, 1.0, 2.0];

/// Choisit les paramètres sur la validation : la meilleure découverte, puis
/// l'oubli des vieux achats qui réussit le mieux le réachat. `model` est
/// appris sur la première période, `truths` ce que ses clients ont acheté
/// pendant la validation.
fn choose(
    mut model: Model,
    truths: &[Truth],
    sink: &mut dyn ProgressSink,
) -> Result<(Params, f64), PanierError> {
    // Les voisins ne dépendent pas des paramètres : un seul apprentissage,
    // et les associations d'un client sont calculées une fois pour tous
    // les poids de popularité.
    let mut hits = vec![[0usize; BETAS.len()]; SCORERS.len()];
    let mut counted = 0usize;
    for truth in truths.iter().filter(|t| !t.new.is_empty()) {
        counted += 1;
        if counted.is_multiple_of(CUSTOMERS_PER_CHECK) {
            keep_going(sink, Stage::Recommend)?;
        }
        let grid = model.association_scores(truth.customer, &SCORERS, LIST);
        for (s, candidates) in grid.iter().enumerate() {
            let lists = model.rank_items_for(candidates, &BETAS, LIST);
            for (b, list) in lists.iter().enumerate() {
                hits[s][b] += usize::from(list.iter().any(|&i| Truth::holds(&truth.new, i)));
            }
        }
    }
    let mut best = (Params::default(), -1.0);
    for (s, &(scorer, min_together)) in SCORERS.iter().enumerate() {
        for (b, &beta) in BETAS.iter().enumerate() {
            let rate = hits[s][b] as f64 / counted.max(1) as f64;
            if rate > best.1 {
                best = (
                    Params {
                        scorer,
                        beta,
                        min_together,
                        tau_days: 90.0,
                    },
                    rate,
                );
            }
        }
    }
    let (mut params, hit_rate) = best;
    let sold = model.history.buyers.iter().filter(|&&n| n > 0).count();
    // La découverte qui complète chaque liste de réachat ne dépend pas de
    // τ : calculée une fois par client (avec les paramètres choisis), pas
    // une fois par τ essayé.
    model.params = params;
    let fills: FxHashMap<usize, Vec<u32>> = truths
        .iter()
        .map(|truth| {
            let c = truth.customer;
            let places = model.reorder_fill(c, LIST);
            let fill = if places > 0 {
                model.discovery_items(c, places)
            } else {
                Vec::new()
            };
            (c, fill)
        })
        .collect();
    let mut best_reorder = -1.0;
    for tau_days in [14.0, 30.0, 90.0, 365.0] {
        model.params = Params { tau_days, ..params };
        let quality = measure(truths, sold, false, sink, |c| {
            model.reorder_items_with(c, LIST, fills.get(&c).map_or(&[], Vec::as_slice))
        })?;
        if quality.hit_rate_at_10 > best_reorder {
            best_reorder = quality.hit_rate_at_10;
            params.tau_days = tau_days;
        }
    }
    Ok((params, hit_rate))
}

/// Clients mesurés entre deux questions au puits d'avancement.
const CUSTOMERS_PER_CHECK: usize = 256;

/// Évalue les recommandations sur l'historique nettoyé.
pub fn evaluate(clean: &CleanTable) -> Result<Evaluation, PanierError> {
    evaluate_with(clean, &mut NoProgress)
}

/// Évalue les recommandations, en demandant régulièrement à `sink` s'il faut
/// continuer (`Err(Cancelled)` sinon).
pub fn evaluate_with(
    clean: &CleanTable,
    sink: &mut dyn ProgressSink,
) -> Result<Evaluation, PanierError> {
    evaluate_keeping(clean, sink, false).map(|(evaluation, _)| evaluation)
}

/// Tout l'historique daté (du premier au dernier jour des données) et les
/// voisins de ses articles : ce qu'apprend le modèle de recommandation.
pub type Whole = (History, Vec<Vec<Neighbour>>);

/// [`evaluate_with`], et tout l'historique daté avec ses voisins, assemblé
/// à partir des périodes de la mesure (l'apprentissage et le test se
/// suivent et le couvrent) et compté avec elles : le modèle de
/// recommandation s'en apprend sans tout relire ni tout recompter. `None`
/// quand l'historique ne s'assemble pas ainsi (une facture à cheval sur la
/// coupure, des lignes sans facture : voir [`History::joined`]).
pub fn evaluate_and_keep(
    clean: &CleanTable,
    sink: &mut dyn ProgressSink,
) -> Result<(Evaluation, Option<Whole>), PanierError> {
    evaluate_keeping(clean, sink, true)
}

/// La mesure ; avec `keep`, tout l'historique daté aussi (voir
/// [`evaluate_and_keep`]).
fn evaluate_keeping(
    clean: &CleanTable,
    sink: &mut dyn ProgressSink,
    keep: bool,
) -> Result<(Evaluation, Option<Whole>), PanierError> {
    // Les causes dans l'ordre où l'utilisateur peut y remédier : pas
    // d'articles, pas de clients, puis les dates.
    let table = &clean.table;
    if !table.has_products() {
        return Err(PanierError::ProductsMissing);
    }
    if !table.has(Role::Customer) {
        return Err(PanierError::EvaluationImpossible {
            reason: "customer_column".into(),
        });
    }
    let dates = &clean.table.invoice_date;
    let (Some(first), Some(last)) = (
        dates.iter().filter(|&&d| d != NO_DATE).min().copied(),
        dates.iter().filter(|&&d| d != NO_DATE).max().copied(),
    ) else {
        return Err(PanierError::EvaluationImpossible {
            reason: "dates".into(),
        });
    };
    let end = last + 1;
    let test_from = cut(first, last, 0.8);
    let validation_from = cut(first, test_from - 1, 0.8);
    if validation_from <= first || test_from <= validation_from || end <= test_from {
        return Err(PanierError::EvaluationImpossible {
            reason: "period".into(),
        });
    }
    // Trois périodes : l'apprentissage de la validation, la validation, et
    // tout l'apprentissage. Quand le dernier est exactement la réunion des
    // deux premiers (`History::joined` : aucune facture à cheval sur la
    // coupure, aucune ligne sans facture), il est assemblé sans retrier les
    // lignes ; sinon il est construit.
    let train = History::build(clean, first, validation_from, RECENT_DAYS);
    let valid = History::build(clean, validation_from, test_from, RECENT_DAYS);
    let learn = History::joined(clean, &train, &valid, RECENT_DAYS)
        .unwrap_or_else(|| History::build(clean, first, test_from, RECENT_DAYS));
    let validation_truths = truths(&train, &valid);
    drop(valid);
    let test = History::build(clean, test_from, end, RECENT_DAYS);
    let whole = if keep {
        History::joined(clean, &learn, &test, RECENT_DAYS)
    } else {
        None
    };
    // Les voisins des apprentissages (et de tout l'historique) ensemble :
    // chaque période continue le compte de la précédente quand elle en
    // prolonge les paniers.
    let mut periods = vec![&train, &learn];
    periods.extend(whole.as_ref());
    let mut counted = nested_neighbours(&periods, MIN_TOGETHER).into_iter();
    let (first_neighbours, learn_neighbours) = (
        counted.next().unwrap_or_default(),
        counted.next().unwrap_or_default(),
    );
    let whole = whole.zip(counted.next());
    let (params, validation_hit_rate) = choose(
        Model::with_neighbours(train, Params::default(), first_neighbours),
        &validation_truths,
        sink,
    )?;
    drop(validation_truths);
    let truths = truths(&learn, &test);
    if truths.is_empty() {
        return Err(PanierError::EvaluationImpossible {
            reason: "customers".into(),
        });
    }
    let sold = learn.buyers.iter().filter(|&&n| n > 0).count();
    let all_time = learn.best_sellers(false);
    let recent = learn.best_sellers(true);
    let model = Model::with_neighbours(learn, params, learn_neighbours);
    let history = &model.history;
    let discovery = Comparison {
        model: measure(&truths, sold, true, sink, |c| {
            model.discovery_items(c, LIST)
        })?,
        baseline_all_time: measure(&truths, sold, true, sink, |c| {
            best_sellers_for(&all_time, history, c, true)
        })?,
        baseline_recent: measure(&truths, sold, true, sink, |c| {
            best_sellers_for(&recent, history, c, true)
        })?,
    };
    let reorder = Comparison {
        model: measure(&truths, sold, false, sink, |c| {
            model.reorder(c, LIST).into_iter().map(|s| s.item).collect()
        })?,
        baseline_all_time: measure(&truths, sold, false, sink, |c| {
            best_sellers_for(&all_time, history, c, false)
        })?,
        baseline_recent: measure(&truths, sold, false, sink, |c| {
            best_sellers_for(&recent, history, c, false)
        })?,
    };
    let evaluation = Evaluation {
        discovery,
        reorder,
        customers: truths.len(),
        discovery_customers: truths.iter().filter(|t| !t.new.is_empty()).count(),
        split: Split {
            learn_from: format_timestamp(first),
            validation_from: format_timestamp(validation_from),
            test_from: format_timestamp(test_from),
            test_to: format_timestamp(last),
            params,
            validation_discovery_hit_rate: validation_hit_rate,
        },
    };
    Ok((evaluation, whole))
}
