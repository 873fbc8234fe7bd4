//! Le modèle de recommandation : des associations entre articles (règles à
//! un article d'antécédent, comptées sur les paniers de la période
//! d'apprentissage), mêlées à la popularité récente.
//!
//! Pour un article `i`, ses voisins `j` sont les articles achetés dans les
//! mêmes paniers, avec l'effectif commun, la confiance `i → j`, le lift et
//! le cosinus. Pour un client, chaque article qu'il n'a pas acheté reçoit
//! une note d'association (la meilleure confiance d'une règle `i → j` dont
//! il a acheté `i`, ou la somme des cosinus) à laquelle s'ajoute `β` fois sa
//! popularité récente : ces wholesalers suivent beaucoup la saison, et un
//! article qui monte chez tous les clients a des chances de monter chez
//! celui-ci. Les paramètres (note, `β`, effectif commun minimal, oubli des
//! vieux achats) sont choisis sur une période de validation, jamais sur la
//! période de test (voir [`super::evaluation`]).

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use super::history::History;
use crate::basket::pairs::count_pairs;

/// Voisins gardés par article.
const NEIGHBOURS: usize = 40;
/// Paniers communs minimaux pour être voisin (le paramètre `min_together`
/// filtre ensuite, à la notation).
const MIN_TOGETHER: u32 = 2;
/// Articles populaires récents toujours candidats.
const POPULAR_CANDIDATES: usize = 300;

/// La note d'association d'un article candidat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scorer {
    /// La meilleure confiance d'une règle `i → j` (i acheté).
    BestConfidence,
    /// La somme des cosinus avec les articles achetés.
    SumCosine,
}

/// Paramètres du modèle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Note d'association.
    pub scorer: Scorer,
    /// Poids de la popularité récente.
    pub beta: f64,
    /// Paniers communs minimaux pour qu'une association compte.
    pub min_together: u32,
    /// Oubli des achats anciens dans la liste « réachat » : un achat vieux de
    /// `tau_days` jours compte moitié.
    pub tau_days: f64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            scorer: Scorer::BestConfidence,
            beta: 0.5,
            min_together: 3,
            tau_days: 90.0,
        }
    }
}

/// Un voisin d'un article.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Neighbour {
    /// Article voisin.
    pub item: u32,
    /// Paniers qui contiennent les deux.
    pub together: u32,
    /// Confiance de la règle article → voisin.
    pub confidence: f64,
    /// Lift de cette règle.
    pub lift: f64,
    /// Cosinus des deux articles.
    pub cosine: f64,
}

/// Pourquoi un article est recommandé.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reason {
    /// Une règle : le client a acheté `because`, acheté avec l'article.
    Rule {
        /// Article acheté par le client (antécédent).
        because: u32,
        /// La règle `because → article`.
        rule: Neighbour,
    },
    /// Populaire ces dernières semaines chez tous les clients.
    Trending,
    /// Déjà acheté : `orders` commandes, la dernière il y a `days_ago` jours.
    Rebuy {
        /// Commandes qui le contenaient.
        orders: u32,
        /// Jours depuis le dernier achat.
        days_ago: i64,
    },
}

/// Un article candidat pour un client, avant la popularité récente.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Article.
    pub item: u32,
    /// Note d'association, entre 0 et 1.
    pub association: f64,
    /// L'article acheté et la règle qui justifient la note.
    pub because: Option<(u32, Neighbour)>,
}

/// Un article recommandé.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// Article.
    pub item: u32,
    /// Note.
    pub score: f64,
    /// Justification.
    pub reason: Reason,
}

/// Le modèle appris sur une période.
pub struct Model {
    /// L'historique d'apprentissage.
    pub history: History,
    /// Voisins de chaque article, du plus au moins associé.
    pub neighbours: Vec<Vec<Neighbour>>,
    /// Paramètres.
    pub params: Params,
    recent: Vec<f64>,
    popular: Vec<u32>,
    /// Tableaux de travail de [`Model::discovery`], remis à zéro après
    /// chaque client (seules les cases touchées).
    scratch: RefCell<Scratch>,
}

/// Notes en cours de calcul, par article.
struct Scratch {
    value: Vec<f64>,
    because: Vec<Option<(u32, Neighbour)>>,
    excluded: Vec<bool>,
}

impl Model {
    /// Apprend les associations des paniers de l'historique.
    pub fn train(history: History, params: Params) -> Self {
        let neighbours = neighbours(&history, MIN_TOGETHER);
        let items = history.items;
        let top = f64::from(
            history
                .recent_buyers
                .iter()
                .copied()
                .max()
                .unwrap_or(1)
                .max(1),
        );
        let recent = history
            .recent_buyers
            .iter()
            .map(|&n| f64::from(n) / top)
            .collect();
        let popular = history
            .best_sellers(true)
            .into_iter()
            .take(POPULAR_CANDIDATES)
            .collect();
        Self {
            history,
            neighbours,
            params,
            recent,
            popular,
            scratch: RefCell::new(Scratch {
                value: vec![0.0; items],
                because: vec![None; items],
                excluded: vec![false; items],
            }),
        }
    }

    /// Les `n` meilleurs articles que le client n'a pas encore achetés.
    pub fn discovery(&self, customer: usize, n: usize) -> Vec<Scored> {
        let candidates = self.associations(customer, self.params.scorer, self.params.min_together);
        self.rank(&candidates, self.params.beta, n)
    }

    /// Classe des candidats (note d'association normalisée, justification)
    /// en ajoutant `beta` fois la popularité récente.
    pub fn rank(&self, candidates: &[Candidate], beta: f64, n: usize) -> Vec<Scored> {
        let scored = candidates
            .iter()
            .map(|c| Scored {
                item: c.item,
                score: c.association + beta * self.recent[c.item as usize],
                reason: c
                    .because
                    .map_or(Reason::Trending, |(because, rule)| Reason::Rule {
                        because,
                        rule,
                    }),
            })
            .collect();
        top(scored, n)
    }

    /// Les `n` meilleurs articles de [`Model::rank`], sans leurs notes ni
    /// leurs justifications : même ordre (note décroissante, puis article),
    /// mais rien n'est construit pour les candidats écartés. La recherche
    /// des paramètres classe chaque client vingt fois.
    pub fn rank_items(&self, candidates: &[Candidate], beta: f64, n: usize) -> Vec<u32> {
        let scored: Vec<(f64, u32)> = candidates
            .iter()
            .map(|c| (c.association + beta * self.recent[c.item as usize], c.item))
            .collect();
        top_by(scored, n, |&pair| pair)
            .into_iter()
            .map(|(_, item)| item)
            .collect()
    }

    /// Les candidats d'un client : articles associés à ses achats (note
    /// normalisée entre 0 et 1) et articles populaires récents (note 0), hors
    /// articles déjà achetés. Ne dépend pas de `beta` : l'évaluation le
    /// calcule une fois par client pour tous les `beta` essayés.
    pub fn associations(
        &self,
        customer: usize,
        scorer: Scorer,
        min_together: u32,
    ) -> Vec<Candidate> {
        let bought = &self.history.customers[customer];
        let mut scratch = self.scratch.borrow_mut();
        let Scratch {
            value,
            because,
            excluded,
        } = &mut *scratch;
        for b in bought {
            excluded[b.item as usize] = true;
        }
        let mut touched: Vec<u32> = Vec::new();
        for b in bought {
            for neighbour in &self.neighbours[b.item as usize] {
                let j = neighbour.item as usize;
                if excluded[j] || neighbour.together < min_together {
                    continue;
                }
                if because[j].is_none() {
                    touched.push(neighbour.item);
                }
                match scorer {
                    Scorer::BestConfidence => {
                        if because[j].is_none() || neighbour.confidence > value[j] {
                            value[j] = neighbour.confidence;
                            because[j] = Some((b.item, *neighbour));
                        }
                    }
                    Scorer::SumCosine => {
                        value[j] += neighbour.cosine;
                        if because[j].is_none_or(|(_, r)| neighbour.cosine > r.cosine) {
                            because[j] = Some((b.item, *neighbour));
                        }
                    }
                }
            }
        }
        let scale = match scorer {
            Scorer::BestConfidence => 1.0,
            Scorer::SumCosine => touched
                .iter()
                .map(|&j| value[j as usize])
                .fold(0.0f64, f64::max)
                .max(1e-12),
        };
        let mut candidates: Vec<Candidate> = touched
            .iter()
            .map(|&item| Candidate {
                item,
                association: value[item as usize] / scale,
                because: because[item as usize],
            })
            .collect();
        for &item in &self.popular {
            if !excluded[item as usize] && because[item as usize].is_none() {
                candidates.push(Candidate {
                    item,
                    association: 0.0,
                    because: None,
                });
            }
        }
        // Remise à zéro des seules cases touchées.
        for &j in &touched {
            value[j as usize] = 0.0;
            because[j as usize] = None;
        }
        for b in bought {
            excluded[b.item as usize] = false;
        }
        candidates
    }

    /// Les `n` meilleurs articles, déjà achetés compris : ses réachats
    /// fréquents et récents d'abord, complétés par la découverte.
    pub fn reorder(&self, customer: usize, n: usize) -> Vec<Scored> {
        let to = self.history.to;
        let mut scored: Vec<Scored> = self.history.customers[customer]
            .iter()
            .map(|b| {
                let days_ago = (to - b.last) / crate::rfm::DAY_SECONDS;
                let decay = 1.0 / (1.0 + days_ago as f64 / self.params.tau_days);
                Scored {
                    item: b.item,
                    // Au-dessus de toute note de découverte (≤ 1 + β).
                    score: 10.0 + f64::from(b.orders) * decay,
                    reason: Reason::Rebuy {
                        orders: b.orders,
                        days_ago,
                    },
                }
            })
            .collect();
        scored = top(scored, n);
        if scored.len() < n {
            scored.extend(self.discovery(customer, n - scored.len()));
        }
        scored
    }
}

/// Les `n` meilleures notes (à égalité, par article).
fn top(scored: Vec<Scored>, n: usize) -> Vec<Scored> {
    top_by(scored, n, |s| (s.score, s.item))
}

/// Les `n` premiers de `scored` par note décroissante puis article
/// croissant, `key` donnant (note, article) : l'ordre de tous les
/// classements du modèle.
fn top_by<T>(mut scored: Vec<T>, n: usize, key: impl Fn(&T) -> (f64, u32)) -> Vec<T> {
    let order = |a: &T, b: &T| {
        let ((score_a, item_a), (score_b, item_b)) = (key(a), key(b));
        score_b.total_cmp(&score_a).then(item_a.cmp(&item_b))
    };
    if scored.len() > n && n > 0 {
        scored.select_nth_unstable_by(n - 1, order);
        scored.truncate(n);
    }
    scored.sort_by(order);
    scored.truncate(n);
    scored
}

/// Voisins de chaque article, par confiance décroissante (les `NEIGHBOURS`
/// premiers), comptés sur les paniers.
pub fn neighbours(history: &History, min_together: u32) -> Vec<Vec<Neighbour>> {
    let items = history.items;
    let in_baskets = &history.in_baskets;
    // Articles assez fréquents pour avoir des voisins, recodés densément.
    let kept: Vec<u32> = (0..items as u32)
        .filter(|&i| in_baskets[i as usize] >= min_together.max(1))
        .collect();
    let mut code = vec![u32::MAX; items];
    for (c, &item) in kept.iter().enumerate() {
        code[item as usize] = c as u32;
    }
    let m = kept.len();
    // Effectifs communs : le noyau des paires de la recherche des itemsets
    // (matrice triangulaire pour un petit catalogue, paires rencontrées
    // seulement au-delà : la mémoire suit les données).
    let coded: Vec<Vec<u32>> = history
        .baskets
        .iter()
        .map(|basket| {
            let mut codes: Vec<u32> = basket
                .iter()
                .map(|&i| code[i as usize])
                .filter(|&c| c != u32::MAX)
                .collect();
            codes.sort_unstable();
            codes
        })
        .collect();
    let pairs = count_pairs(&coded, m);
    drop(coded);
    let n = history.baskets.len().max(1) as f64;
    let mut lists: Vec<Vec<Neighbour>> = vec![Vec::new(); m];
    for a in 0..m {
        for (b, count) in pairs.row(a as u32) {
            let b = b as usize;
            if count < min_together.max(1) {
                continue;
            }
            let (na, nb) = (
                f64::from(in_baskets[kept[a] as usize]),
                f64::from(in_baskets[kept[b] as usize]),
            );
            let c = f64::from(count);
            let cosine = c / (na * nb).sqrt();
            let lift = c * n / (na * nb);
            lists[a].push(Neighbour {
                item: kept[b],
                together: count,
                confidence: c / na,
                lift,
                cosine,
            });
            lists[b].push(Neighbour {
                item: kept[a],
                together: count,
                confidence: c / nb,
                lift,
                cosine,
            });
        }
    }
    let mut result = vec![Vec::new(); items];
    for (c, mut list) in lists.into_iter().enumerate() {
        let order = |x: &Neighbour, y: &Neighbour| {
            y.confidence
                .total_cmp(&x.confidence)
                .then(y.together.cmp(&x.together))
                .then(x.item.cmp(&y.item))
        };
        if list.len() > NEIGHBOURS {
            list.select_nth_unstable_by(NEIGHBOURS - 1, order);
            list.truncate(NEIGHBOURS);
        }
        list.sort_by(order);
        result[kept[c] as usize] = list;
    }
    result
}
