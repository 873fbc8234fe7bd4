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

use std::cmp::Ordering;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::history::{Bought, History};
use crate::basket::tidlist::tidlists;

/// Voisins gardés par article.
const NEIGHBOURS: usize = 40;
/// Paniers communs minimaux pour être voisin (le paramètre `min_together`
/// filtre ensuite, à la notation).
pub(crate) const MIN_TOGETHER: u32 = 2;
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
    /// La règle qui justifie la note : l'article acheté et le rang du
    /// voisin dans sa liste, cherchée pour les seuls articles retenus (voir
    /// [`Model::discovery`]).
    because: Option<(u32, u32)>,
    /// Popularité récente de l'article, recopiée ici : la recherche des
    /// paramètres classe chaque liste pour cinq `beta`, sans retourner la
    /// chercher à chaque fois.
    recent: f64,
}

/// Une façon de noter les associations : la note, et les paniers communs
/// minimaux pour qu'une règle compte.
pub type Scoring = (Scorer, u32);

/// Pas de règle (case de la notation complète qu'aucune règle n'a touchée).
#[cfg(test)]
const NO_RULE: (u32, u32) = (u32::MAX, u32::MAX);

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
    /// Voisins de chaque article, du plus au moins associé (effectif commun
    /// décroissant, puis article croissant).
    pub neighbours: Vec<Vec<Neighbour>>,
    /// Paramètres.
    pub params: Params,
    recent: Vec<f64>,
    /// Les articles populaires récents, du plus au moins populaire (à
    /// égalité, par article)…
    popular: Vec<u32>,
    /// … et les mêmes par article croissant.
    popular_by_item: Vec<u32>,
    /// Tableaux de travail de [`Model::association_scores`], remis à zéro
    /// après chaque client (seules les cases touchées) : un jeu par fil qui
    /// note en même temps (la CLI écrit les recommandations sur deux cœurs),
    /// pris dans cette réserve puis rendu.
    scratch: Mutex<Vec<Scratch>>,
}

/// Tableaux de travail : les articles du client, et les notes en cours,
/// un groupe par effectif commun minimal (avec ou sans justifications).
struct Scratch {
    /// Les cases avec leurs règles : la notation complète, l'oracle des
    /// tests.
    #[cfg(test)]
    groups: Vec<Group<Cell>>,
    light: Vec<Group<Light>>,
    /// Les articles dont [`Model::justify`] cherche les règles.
    marks: Vec<u32>,
}

impl Scratch {
    fn new() -> Self {
        Self {
            #[cfg(test)]
            groups: Vec::new(),
            light: Vec::new(),
            marks: Vec::new(),
        }
    }
}

/// Les notes des articles pour un effectif commun minimal : les deux notes
/// d'un article sont côte à côte, une seule ligne de cache par voisin visité.
struct Group<T> {
    min_together: u32,
    cells: Vec<T>,
    /// Les articles touchés sont `touched[..seen]` (une case de plus que
    /// d'articles : l'écriture qui ne compte pas a toujours sa place).
    touched: Vec<u32>,
    seen: usize,
}

/// Ce qu'une case retient des règles qui mènent à un article : les deux
/// notes (meilleure confiance, somme des cosinus), et peut-être leurs règles.
trait Tally: Copy {
    /// Case d'un article qu'aucune règle n'a encore touché.
    const EMPTY: Self;
    /// Case d'un article déjà acheté : aucune règle ne la change ni n'est
    /// la première à compter, et elle se dit touchée (ce n'est donc pas un
    /// candidat, ni associé ni seulement populaire).
    const BOUGHT: Self;
    /// Ajoute la règle `rule` (d'un voisin qui compte) vers cet article ;
    /// vrai si c'est sa première règle. Sans branchement (sélections) : que
    /// la règle soit la première ou la meilleure est imprévisible, et une
    /// erreur de prédiction coûterait plus que la mise à jour.
    fn add(&mut self, neighbour: &Neighbour, rule: (u32, u32)) -> bool;
    /// [`Tally::add`], et l'article écrit dans `slot` (la prochaine case des
    /// articles touchés) : 1 si c'est sa première règle (la case est alors
    /// gardée), 0 sinon (elle sera réécrite).
    #[inline]
    fn visit(&mut self, neighbour: &Neighbour, rule: (u32, u32), slot: &mut u32) -> usize {
        let first = self.add(neighbour, rule);
        *slot = neighbour.item;
        usize::from(first)
    }
    /// Vrai si une règle qui compte a touché l'article.
    fn touched(&self) -> bool;
    /// La note `scorer`, et sa règle si la case la retient.
    fn score(&self, scorer: Scorer) -> (f64, Option<(u32, u32)>);
}

/// Les deux notes d'un article en cours de calcul, et leurs règles : la
/// notation complète, d'un seul passage, contre laquelle les tests vérifient
/// les notes légères et les justifications de [`Model::discovery`].
#[cfg(test)]
#[derive(Clone, Copy)]
struct Cell {
    /// Meilleure confiance, et sa règle (`NO_RULE` : article pas encore vu).
    confidence: f64,
    confidence_rule: (u32, u32),
    /// Somme des cosinus, plus grand cosinus, et sa règle.
    cosine_sum: f64,
    cosine_best: f64,
    cosine_rule: (u32, u32),
}

#[cfg(test)]
impl Tally for Cell {
    const EMPTY: Cell = Cell {
        confidence: f64::NEG_INFINITY,
        confidence_rule: NO_RULE,
        cosine_sum: 0.0,
        cosine_best: f64::NEG_INFINITY,
        cosine_rule: NO_RULE,
    };
    // Rien n'est meilleur que +∞, une somme NaN le reste, et la règle n'est
    // pas `NO_RULE`.
    const BOUGHT: Cell = Cell {
        confidence: f64::INFINITY,
        confidence_rule: (u32::MAX, 0),
        cosine_sum: f64::NAN,
        cosine_best: f64::INFINITY,
        cosine_rule: (u32::MAX, 0),
    };

    #[inline]
    fn add(&mut self, neighbour: &Neighbour, rule: (u32, u32)) -> bool {
        let first = self.confidence_rule == NO_RULE;
        // La meilleure confiance ; à égalité, la première règle rencontrée
        // (une case vide vaut −∞).
        let better = neighbour.confidence > self.confidence;
        self.confidence = if better {
            neighbour.confidence
        } else {
            self.confidence
        };
        self.confidence_rule = if better { rule } else { self.confidence_rule };
        // La somme des cosinus ; la justification est la règle de plus grand
        // cosinus.
        self.cosine_sum += neighbour.cosine;
        let better = neighbour.cosine > self.cosine_best;
        self.cosine_best = if better {
            neighbour.cosine
        } else {
            self.cosine_best
        };
        self.cosine_rule = if better { rule } else { self.cosine_rule };
        first
    }

    fn touched(&self) -> bool {
        self.confidence_rule != NO_RULE
    }

    fn score(&self, scorer: Scorer) -> (f64, Option<(u32, u32)>) {
        match scorer {
            Scorer::BestConfidence => (self.confidence, Some(self.confidence_rule)),
            Scorer::SumCosine => (self.cosine_sum, Some(self.cosine_rule)),
        }
    }
}

/// Les deux notes d'un article, sans leurs règles. Un cosinus est toujours
/// positif (au moins un panier commun) : une somme nulle dit qu'aucune règle
/// n'a encore compté.
#[derive(Clone, Copy)]
struct Light {
    confidence: f64,
    cosine_sum: f64,
}

impl Tally for Light {
    const EMPTY: Light = Light {
        confidence: f64::NEG_INFINITY,
        cosine_sum: 0.0,
    };
    // Rien n'est meilleur que +∞, et une somme NaN n'est jamais nulle.
    const BOUGHT: Light = Light {
        confidence: f64::INFINITY,
        cosine_sum: f64::NAN,
    };

    #[inline]
    fn add(&mut self, neighbour: &Neighbour, _: (u32, u32)) -> bool {
        let first = self.cosine_sum == 0.0;
        let better = neighbour.confidence > self.confidence;
        self.confidence = if better {
            neighbour.confidence
        } else {
            self.confidence
        };
        self.cosine_sum += neighbour.cosine;
        first
    }

    fn touched(&self) -> bool {
        self.cosine_sum != 0.0
    }

    fn score(&self, scorer: Scorer) -> (f64, Option<(u32, u32)>) {
        match scorer {
            Scorer::BestConfidence => (self.confidence, None),
            Scorer::SumCosine => (self.cosine_sum, None),
        }
    }
}

impl Model {
    /// Apprend les associations des paniers de l'historique.
    pub fn train(history: History, params: Params) -> Self {
        let neighbours = neighbours(&history, MIN_TOGETHER);
        Self::with_neighbours(history, params, neighbours)
    }

    /// Le modèle de `history` dont les voisins sont déjà calculés (par
    /// [`neighbours`] ; l'évaluation les calcule avant de construire le
    /// modèle). La notation s'arrête au premier voisin qui ne compte plus :
    /// une liste qui ne serait pas rangée par effectif commun décroissant
    /// (comme [`neighbours`] la range) l'est ici, sans changer l'ordre des
    /// voisins de même effectif.
    pub fn with_neighbours(
        history: History,
        params: Params,
        mut neighbours: Vec<Vec<Neighbour>>,
    ) -> Self {
        for list in &mut neighbours {
            if list.windows(2).any(|w| w[0].together < w[1].together) {
                list.sort_by_key(|n| std::cmp::Reverse(n.together));
            }
        }
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
            .collect::<Vec<u32>>();
        let mut popular_by_item = popular.clone();
        popular_by_item.sort_unstable();
        Self {
            history,
            neighbours,
            params,
            recent,
            popular,
            popular_by_item,
            scratch: Mutex::new(vec![Scratch::new()]),
        }
    }

    /// Les `n` meilleurs articles que le client n'a pas encore achetés, avec
    /// leurs notes et leurs justifications. Les candidats sont notés sans
    /// leurs règles ([`Model::association_scores`], des cases deux fois et
    /// demie plus petites), classés, puis seules les règles des articles
    /// retenus sont cherchées (voir `justify`) : les tests vérifient que ce
    /// sont celles de la notation complète, qui retient la règle de chaque
    /// case en un passage.
    pub fn discovery(&self, customer: usize, n: usize) -> Vec<Scored> {
        let scoring = (self.params.scorer, self.params.min_together);
        let mut candidates = self
            .association_scores(customer, &[scoring], n)
            .pop()
            .unwrap_or_default();
        let top = self.top_candidates(&candidates, self.params.beta, n);
        // Un article associé a une note positive ; un article seulement
        // populaire, 0 (et pas de règle).
        let associated: Vec<usize> = top
            .iter()
            .map(|&(_, k)| k as usize)
            .filter(|&k| candidates[k].association > 0.0)
            .collect();
        let items: Vec<u32> = associated.iter().map(|&k| candidates[k].item).collect();
        for (k, rule) in associated
            .into_iter()
            .zip(self.justify(customer, scoring, &items))
        {
            candidates[k].because = rule;
        }
        self.scored(top, &candidates)
    }

    /// Les règles qui justifient les notes des articles associés `items`
    /// du client : pour chacun, la première règle (achats puis voisins,
    /// dans l'ordre de [`Model::each_rule`]) de plus grande confiance
    /// (`BestConfidence`) ou de plus grand cosinus (`SumCosine`), celle
    /// que la notation complète retiendrait.
    fn justify(
        &self,
        customer: usize,
        (scorer, min_together): Scoring,
        items: &[u32],
    ) -> Vec<Option<(u32, u32)>> {
        if items.is_empty() {
            return Vec::new();
        }
        let mut best = vec![(f64::NEG_INFINITY, None); items.len()];
        let value: fn(&Neighbour) -> f64 = match scorer {
            Scorer::BestConfidence => |neighbour| neighbour.confidence,
            Scorer::SumCosine => |neighbour| neighbour.cosine,
        };
        self.with_scratch(|scratch| {
            // `marks[article]` : 1 + sa place dans `items`, 0 s'il n'y est
            // pas (remis à zéro à la fin).
            let marks = &mut scratch.marks;
            marks.resize(self.history.items, 0);
            for (k, &item) in items.iter().enumerate() {
                marks[item as usize] = k as u32 + 1;
            }
            let bought = &self.history.customers[customer];
            self.each_rule(bought, min_together, |j, neighbour, rule| {
                if let Some(slot) = (marks[j] as usize).checked_sub(1) {
                    let value = value(neighbour);
                    if value > best[slot].0 {
                        best[slot] = (value, Some(rule));
                    }
                }
            });
            for &item in items {
                marks[item as usize] = 0;
            }
        });
        best.into_iter().map(|(_, rule)| rule).collect()
    }

    /// Les articles de [`Model::discovery`], sans notes ni justifications
    /// (la mesure de la qualité ne regarde que les articles).
    pub fn discovery_items(&self, customer: usize, n: usize) -> Vec<u32> {
        let scoring = (self.params.scorer, self.params.min_together);
        let candidates = self
            .association_scores(customer, &[scoring], n)
            .pop()
            .unwrap_or_default();
        self.rank_items(&candidates, self.params.beta, n)
    }

    /// Classe des candidats (note d'association normalisée, justification)
    /// en ajoutant `beta` fois la popularité récente : le classement de la
    /// notation complète, l'oracle des tests.
    #[cfg(test)]
    pub fn rank(&self, candidates: &[Candidate], beta: f64, n: usize) -> Vec<Scored> {
        self.scored(self.top_candidates(candidates, beta, n), candidates)
    }

    /// Les candidats retenus `top` ((note, position dans `candidates`)),
    /// avec leurs justifications.
    fn scored(&self, top: Vec<(f64, u32)>, candidates: &[Candidate]) -> Vec<Scored> {
        top.into_iter()
            .map(|(score, k)| {
                let c = &candidates[k as usize];
                Scored {
                    item: c.item,
                    score,
                    reason: c
                        .because
                        .map_or(Reason::Trending, |(because, rank)| Reason::Rule {
                            because,
                            rule: *self.rule((because, rank)),
                        }),
                }
            })
            .collect()
    }

    /// Les `n` meilleurs articles, sans leurs notes ni leurs
    /// justifications : même ordre que [`Model::discovery`] (note
    /// décroissante, puis article).
    /// La recherche des paramètres classe chaque client vingt fois.
    pub fn rank_items(&self, candidates: &[Candidate], beta: f64, n: usize) -> Vec<u32> {
        self.top_candidates(candidates, beta, n)
            .into_iter()
            .map(|(_, k)| candidates[k as usize].item)
            .collect()
    }

    /// [`Model::rank_items`] pour plusieurs poids de popularité `betas`
    /// (positifs ou nuls), une liste par poids, dans l'ordre de `betas`.
    ///
    /// Les mêmes listes, sur moins de candidats : soit `seuil` la `n`-ième
    /// meilleure note d'association. Pour tout `β ≥ 0`, les `n` meilleurs
    /// par association ont chacun une note `a + β·r ≥ a ≥ seuil` (la
    /// popularité `r` est positive) : la `n`-ième note à `β` est au moins
    /// `seuil`, et un candidat n'entre dans une liste que si sa note
    /// l'atteint. Comme `a + β·r` croît avec `β` (arrondi compris), seuls
    /// les candidats avec `a + β_max·r ≥ seuil` peuvent entrer dans l'une
    /// des listes ; les autres poids ne classent qu'eux.
    pub fn rank_items_for(
        &self,
        candidates: &[Candidate],
        betas: &[f64],
        n: usize,
    ) -> Vec<Vec<u32>> {
        let items = |top: Vec<(f64, u32)>, among: &[Candidate]| -> Vec<u32> {
            top.into_iter()
                .map(|(_, k)| among[k as usize].item)
                .collect()
        };
        let by_association = self.top_candidates(candidates, 0.0, n);
        let usable = betas.iter().all(|&beta| beta >= 0.0) && by_association.len() == n;
        let Some(&(floor, _)) = by_association.last().filter(|_| usable) else {
            return betas
                .iter()
                .map(|&beta| self.rank_items(candidates, beta, n))
                .collect();
        };
        let highest = betas.iter().copied().fold(0.0, f64::max);
        // Les candidats qui peuvent entrer dans une liste, et leurs
        // positions dans `candidates` (croissantes).
        let (mut contenders, mut origin) = (Vec::new(), Vec::new());
        for (k, c) in candidates.iter().enumerate() {
            if c.association + highest * c.recent >= floor {
                contenders.push(*c);
                origin.push(k as u32);
            }
        }
        // Chaque poids part des meilleurs du précédent (des positions parmi
        // les `contenders`) : pour des poids proches, ce sont presque les
        // mêmes.
        let mut seeds: Vec<u32> = by_association
            .iter()
            .filter_map(|&(_, k)| origin.binary_search(&k).ok().map(|at| at as u32))
            .collect();
        betas
            .iter()
            .map(|&beta| {
                if beta == 0.0 {
                    return items(by_association.clone(), candidates);
                }
                let top = self.top_candidates_seeded(&contenders, beta, n, &seeds);
                seeds = top.iter().map(|&(_, k)| k).collect();
                items(top, &contenders)
            })
            .collect()
    }

    /// Les `n` meilleurs candidats, (note, position dans `candidates`) : le
    /// classement commun de [`Model::discovery`] et [`Model::rank_items`].
    fn top_candidates(&self, candidates: &[Candidate], beta: f64, n: usize) -> Vec<(f64, u32)> {
        self.top_candidates_seeded(candidates, beta, n, &[])
    }

    /// [`Model::top_candidates`], les candidats aux positions `seeds`
    /// (distinctes) étant classés d'abord : des candidats déjà bons (les
    /// meilleurs pour un poids voisin) placent tout de suite la barre
    /// haut, et le parcours n'insère presque plus rien. Même résultat :
    /// chaque candidat est offert une fois, et l'ordre est total.
    fn top_candidates_seeded(
        &self,
        candidates: &[Candidate],
        beta: f64,
        n: usize,
        seeds: &[u32],
    ) -> Vec<(f64, u32)> {
        // Un seul passage, sans tableau des notes : les `n` meilleurs
        // (note, article, position) restent rangés du meilleur au moins bon,
        // et un candidat qui ne bat pas le dernier gardé (le cas courant)
        // coûte une comparaison. L'ordre est celui de `top_by` ; deux
        // candidats n'ont jamais le même article, il est donc total et le
        // résultat est le même.
        if n == 0 {
            return Vec::new();
        }
        let mut best: Vec<(f64, u32, u32)> = Vec::with_capacity(n + 1);
        // La barre : un candidat n'entre que s'il précède le dernier gardé
        // (ou s'il reste de la place).
        let passes = |best: &[(f64, u32, u32)], key: (f64, u32)| {
            best.len() < n || precedes(key, (best[n - 1].0, best[n - 1].1))
        };
        let key = |c: &Candidate| (c.association + beta * c.recent, c.item);
        let offer = |best: &mut Vec<(f64, u32, u32)>, k: usize, key: (f64, u32)| {
            if !passes(best, key) {
                return;
            }
            if best.len() == n {
                best.pop();
            }
            let at = best.partition_point(|&(s, i, _)| precedes((s, i), key));
            best.insert(at, (key.0, key.1, k as u32));
        };
        for &k in seeds {
            offer(&mut best, k as usize, key(&candidates[k as usize]));
        }
        for (k, c) in candidates.iter().enumerate() {
            // Un candidat déjà offert qui passerait encore la barre serait
            // gardé deux fois : il est écarté (la barre d'abord, le cas rare
            // ensuite).
            let key = key(c);
            if passes(&best, key) && !seeds.contains(&(k as u32)) {
                offer(&mut best, k, key);
            }
        }
        best.into_iter().map(|(score, _, k)| (score, k)).collect()
    }

    /// Les candidats d'un client pour une façon de noter, avec leurs règles
    /// (la notation complète, l'oracle des tests ; voir
    /// [`Model::association_scores`]).
    #[cfg(test)]
    pub fn associations(
        &self,
        customer: usize,
        scorer: Scorer,
        min_together: u32,
        n: usize,
    ) -> Vec<Candidate> {
        self.association_grid(customer, &[(scorer, min_together)], n)
            .pop()
            .unwrap_or_default()
    }

    /// [`Model::association_scores`], chaque candidat avec la règle qui
    /// justifie sa note : la notation complète, l'oracle des tests.
    #[cfg(test)]
    pub fn association_grid(
        &self,
        customer: usize,
        scorings: &[Scoring],
        n: usize,
    ) -> Vec<Vec<Candidate>> {
        self.with_scratch(|scratch| self.tally(customer, scorings, n, &mut scratch.groups))
    }

    /// Prête un jeu de tableaux de travail à `work` (un neuf si tous sont
    /// pris par d'autres fils), puis le rend à la réserve.
    fn with_scratch<R>(&self, work: impl FnOnce(&mut Scratch) -> R) -> R {
        let lent = self.scratch.lock().ok().and_then(|mut pool| pool.pop());
        let mut scratch = lent.unwrap_or_else(Scratch::new);
        let result = work(&mut scratch);
        if let Ok(mut pool) = self.scratch.lock() {
            pool.push(scratch);
        }
        result
    }

    /// Les candidats d'un client pour plusieurs façons de noter à la fois
    /// (une liste par façon, dans l'ordre de `scorings` ; les voisins des
    /// achats ne sont parcourus qu'une fois) : articles associés à ses
    /// achats (note normalisée entre 0 et 1) et articles populaires récents
    /// (note 0), hors articles déjà achetés, sans les règles qui justifient
    /// les notes ([`Model::discovery`] ne les cherche que pour les articles
    /// retenus). Les cases, sans règles, tiennent deux fois et demie plus
    /// dans le cache. Ne dépend pas de `beta` : l'évaluation le calcule une
    /// fois par client pour tous les `beta` essayés.
    ///
    /// `n` est la longueur des listes qui en seront tirées : les articles
    /// seulement populaires (note 0) se classent entre eux par popularité
    /// (`beta` > 0) ou par article (`beta` = 0), si bien que seuls les `n`
    /// premiers de chacun de ces deux ordres peuvent entrer dans une liste
    /// de `n`. Les autres ne sont pas proposés : le classement est le même,
    /// sur deux fois moins de candidats.
    pub fn association_scores(
        &self,
        customer: usize,
        scorings: &[Scoring],
        n: usize,
    ) -> Vec<Vec<Candidate>> {
        self.with_scratch(|scratch| self.tally(customer, scorings, n, &mut scratch.light))
    }

    /// Le calcul de [`Model::association_scores`] (et, dans les tests, de
    /// la notation complète), selon ce que note une case `T`.
    fn tally<T: Tally>(
        &self,
        customer: usize,
        scorings: &[Scoring],
        n: usize,
        groups: &mut Vec<Group<T>>,
    ) -> Vec<Vec<Candidate>> {
        let bought = &self.history.customers[customer];
        // Un groupe par effectif commun minimal demandé : les deux notes s'y
        // calculent ensemble.
        // `lane[k]` : le groupe de la façon de noter `k`.
        let mut used = 0;
        let mut lane = Vec::with_capacity(scorings.len());
        for &(_, min_together) in scorings {
            if let Some(g) = groups[..used]
                .iter()
                .position(|g| g.min_together == min_together)
            {
                lane.push(g);
                continue;
            }
            lane.push(used);
            if used == groups.len() {
                groups.push(Group {
                    min_together,
                    cells: vec![T::EMPTY; self.history.items],
                    touched: vec![0; self.history.items + 1],
                    seen: 0,
                });
            }
            groups[used].min_together = min_together;
            used += 1;
        }
        let groups = &mut groups[..used];
        // Les cases des articles achetés sont marquées : une règle n'y
        // change rien et ne les fait pas toucher. Le parcours des voisins
        // n'a ainsi pas à tester chaque voisin (un test imprévisible : un
        // voisin sur trois environ est déjà acheté).
        for group in groups.iter_mut() {
            for b in bought {
                group.cells[b.item as usize] = T::BOUGHT;
            }
        }
        // Les voisins des achats, parcourus une fois (`Model::each_rule`).
        // Un ou deux groupes (la recherche des paramètres essaie deux
        // effectifs minimaux) : leurs tableaux et positions en variables
        // locales, qui restent dans des registres ; au-delà, une boucle sur
        // les groupes.
        match groups {
            [one] => {
                let (cells, touched) = (&mut one.cells[..], &mut one.touched[..]);
                let mut seen = one.seen;
                self.each_rule(bought, one.min_together, |j, neighbour, rule| {
                    seen += cells[j].visit(neighbour, rule, &mut touched[seen]);
                });
                one.seen = seen;
            }
            [one, two] => {
                // `low` : le plus petit effectif minimal ; ceux qui comptent
                // pour `high` sont le début de ceux qui comptent pour `low`.
                let (low, high) = if one.min_together <= two.min_together {
                    (one, two)
                } else {
                    (two, one)
                };
                let min_high = high.min_together;
                let (cells_low, touched_low) = (&mut low.cells[..], &mut low.touched[..]);
                let (cells_high, touched_high) = (&mut high.cells[..], &mut high.touched[..]);
                let (mut seen_low, mut seen_high) = (low.seen, high.seen);
                self.each_rule(bought, low.min_together, |j, neighbour, rule| {
                    seen_low += cells_low[j].visit(neighbour, rule, &mut touched_low[seen_low]);
                    if neighbour.together >= min_high {
                        let slot = &mut touched_high[seen_high];
                        seen_high += cells_high[j].visit(neighbour, rule, slot);
                    }
                });
                (low.seen, high.seen) = (seen_low, seen_high);
            }
            _ => {
                let lowest = groups.iter().map(|g| g.min_together).min();
                self.each_rule(bought, lowest.unwrap_or(u32::MAX), |j, neighbour, rule| {
                    for group in groups.iter_mut() {
                        if neighbour.together >= group.min_together {
                            let slot = &mut group.touched[group.seen];
                            group.seen += group.cells[j].visit(neighbour, rule, slot);
                        }
                    }
                });
            }
        }
        let grid = scorings
            .iter()
            .zip(&lane)
            .map(|(&(scorer, _), &g)| {
                let group = &groups[g];
                let touched = &group.touched[..group.seen];
                let scale = match scorer {
                    Scorer::BestConfidence => 1.0,
                    Scorer::SumCosine => touched
                        .iter()
                        .map(|&j| group.cells[j as usize].score(scorer).0)
                        .fold(0.0f64, f64::max)
                        .max(1e-12),
                };
                let mut candidates: Vec<Candidate> = touched
                    .iter()
                    .map(|&item| {
                        let (value, rule) = group.cells[item as usize].score(scorer);
                        Candidate {
                            item,
                            association: value / scale,
                            because: rule,
                            recent: self.recent[item as usize],
                        }
                    })
                    .collect();
                // Les articles seulement populaires : les `n` premiers par
                // popularité, puis les `n` premiers par article.
                let associated = candidates.len();
                // (Un article acheté a sa case marquée : « touchée ».)
                let eligible = |item: u32| !group.cells[item as usize].touched();
                for order in [&self.popular, &self.popular_by_item] {
                    let mut taken = 0;
                    for &item in order.iter() {
                        if taken == n {
                            break;
                        }
                        if !eligible(item) {
                            continue;
                        }
                        taken += 1;
                        if !candidates[associated..].iter().any(|c| c.item == item) {
                            candidates.push(Candidate {
                                item,
                                association: 0.0,
                                because: None,
                                recent: self.recent[item as usize],
                            });
                        }
                    }
                }
                candidates
            })
            .collect();
        // Remise à zéro des seules cases touchées.
        for group in groups.iter_mut() {
            for &j in &group.touched[..group.seen] {
                group.cells[j as usize] = T::EMPTY;
            }
            group.seen = 0;
        }
        for group in groups.iter_mut() {
            for b in bought {
                group.cells[b.item as usize] = T::EMPTY;
            }
        }
        grid
    }

    /// Appelle `visit(voisin, sa fiche, règle)` pour chaque voisin des
    /// articles achetés `bought` qui a au moins `min_together` paniers
    /// communs, la règle étant `(article acheté, rang du voisin)`. Chaque
    /// liste est rangée par effectif commun décroissant : son parcours
    /// s'arrête au premier voisin qui ne compte plus.
    #[inline(always)]
    fn each_rule(
        &self,
        bought: &[Bought],
        min_together: u32,
        mut visit: impl FnMut(usize, &Neighbour, (u32, u32)),
    ) {
        for b in bought {
            for (rank, neighbour) in self.neighbours[b.item as usize].iter().enumerate() {
                if neighbour.together < min_together {
                    break;
                }
                visit(neighbour.item as usize, neighbour, (b.item, rank as u32));
            }
        }
    }

    /// La règle `(article acheté, rang du voisin)`.
    fn rule(&self, (because, rank): (u32, u32)) -> &Neighbour {
        &self.neighbours[because as usize][rank as usize]
    }

    /// Les `n` meilleurs articles, déjà achetés compris : ses réachats
    /// fréquents et récents d'abord, complétés par la découverte.
    pub fn reorder(&self, customer: usize, n: usize) -> Vec<Scored> {
        let mut scored = self.rebuys_top(customer, n);
        if scored.len() < n {
            scored.extend(self.discovery(customer, n - scored.len()));
        }
        scored
    }

    /// Places que la découverte complète dans la liste de réachat
    /// ([`Model::reorder`]) de ce client : `n` moins ses articles achetés.
    pub fn reorder_fill(&self, customer: usize, n: usize) -> usize {
        n.saturating_sub(self.history.customers[customer].len())
    }

    /// Les articles de [`Model::reorder`], la découverte qui complète la
    /// liste étant donnée : `fill`, les [`Model::discovery_items`] du client
    /// pour [`Model::reorder_fill`] places. La recherche de l'oubli τ essaie
    /// quatre valeurs sur les mêmes clients ; la découverte, qui ne dépend
    /// pas de τ, ne se calcule alors qu'une fois par client.
    pub fn reorder_items_with(&self, customer: usize, n: usize, fill: &[u32]) -> Vec<u32> {
        let mut items: Vec<u32> = self
            .rebuys_top(customer, n)
            .into_iter()
            .map(|s| s.item)
            .collect();
        let missing = n - items.len();
        items.extend(fill.iter().take(missing));
        items
    }

    /// Les `n` meilleurs articles déjà achetés du client, fréquents et
    /// récents d'abord : le début de [`Model::reorder`], sans la découverte
    /// qui complète sa liste (ce que l'interface appelle « à racheter »).
    pub fn rebuys_top(&self, customer: usize, n: usize) -> Vec<Scored> {
        top(self.rebuys(customer), n)
    }

    /// Les articles déjà achetés du client, notés par leurs commandes et
    /// l'oubli τ (tous au-dessus de toute note de découverte).
    fn rebuys(&self, customer: usize) -> Vec<Scored> {
        let to = self.history.to;
        self.history.customers[customer]
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
            .collect()
    }
}

/// Vrai si `a` se classe avant `b` : note plus grande, puis article plus
/// petit — l'ordre de `top_by` (`total_cmp`), la comparaison ordinaire des
/// flottants servant d'abord (les notes ne sont jamais NaN ; à égalité, y
/// compris 0 contre −0, `total_cmp` tranche).
#[inline]
fn precedes((score_a, item_a): (f64, u32), (score_b, item_b): (f64, u32)) -> bool {
    score_a > score_b
        || (score_a == score_b
            && score_b.total_cmp(&score_a).then(item_a.cmp(&item_b)) == Ordering::Less)
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
    crate::kernels::sort_by(&mut scored, order);
    scored.truncate(n);
    scored
}

/// Voisins de chaque article, par confiance décroissante (les `NEIGHBOURS`
/// premiers, au moins `min_together` paniers communs), comptés sur les
/// paniers de `history`.
///
/// Article par article : les partenaires d'un article `a` sont comptés en
/// parcourant les paniers qui le contiennent, dans un tableau d'un compteur
/// par article réutilisé d'un article à l'autre (il tient dans le cache),
/// puis ses `NEIGHBOURS` meilleurs sont choisis parmi les articles touchés.
/// Chaque paire est ainsi comptée deux fois (une par article), mais jamais
/// dans une matrice des paires : la mémoire suit les données (une liste de
/// paniers par article, soit une case par ligne de panier), jamais le carré
/// du catalogue, et il n'y a ni matrice à parcourir ni listes à fusionner.
pub fn neighbours(history: &History, min_together: u32) -> Vec<Vec<Neighbour>> {
    // Une seule période : le compte emboîté, sans période avant elle.
    nested_neighbours(&[history], min_together)
        .pop()
        .unwrap_or_default()
}

/// Les voisins de périodes emboîtées, `neighbours` de chacune, dans
/// l'ordre : chaque période commence par tous les paniers de la précédente,
/// dans le même ordre, puis en a d'autres (c'est ce que donne
/// [`History::joined`] : l'apprentissage de la validation, tout
/// l'apprentissage, tout l'historique). Article par article, ses paniers de
/// la première période sont comptés, ses voisins dans cette période
/// choisis, puis le compte continue sur ses paniers de la suivante, et
/// ainsi de suite : les paniers communs ne sont parcourus qu'une fois.
/// Quand les périodes ne s'emboîtent pas ainsi (une période construite à
/// part, dans l'ordre du fichier), chacune est comptée séparément.
pub fn nested_neighbours(periods: &[&History], min_together: u32) -> Vec<Vec<Vec<Neighbour>>> {
    let Some(whole) = periods.last() else {
        return Vec::new();
    };
    // (La dernière période commence évidemment par ses propres paniers.)
    let earlier = &periods[..periods.len() - 1];
    let nested = periods
        .windows(2)
        .all(|w| w[0].baskets.len() <= w[1].baskets.len())
        && earlier.iter().all(|period| {
            period.items == whole.items
                && whole.baskets.get(..period.baskets.len()) == Some(&period.baskets[..])
        });
    if !nested {
        return periods
            .iter()
            .map(|period| neighbours(period, min_together))
            .collect();
    }
    let items = whole.items;
    // Les paniers de chaque article (les listes de la recherche des
    // itemsets), dans la dernière période.
    let containing = tidlists(&whole.baskets, items);
    let mut partners = Partners::new(items);
    let periods: Vec<Period> = periods
        .iter()
        .map(|period| Period::of(period, min_together))
        .collect();
    let mut lists: Vec<Vec<Vec<Neighbour>>> =
        periods.iter().map(|_| Vec::with_capacity(items)).collect();
    for (a, baskets) in containing.iter().enumerate() {
        partners.of_nested(a, baskets, &periods, &mut lists);
    }
    lists
}

/// Effectifs distingués par l'histogramme des partenaires (au-delà : une
/// seule case).
const CAP: usize = 64;

/// Ce que [`nested_neighbours`] lit d'une période.
struct Period<'a> {
    history: &'a History,
    min_together: u32,
}

impl<'a> Period<'a> {
    fn of(history: &'a History, min_together: u32) -> Self {
        Self {
            history,
            min_together: min_together.max(1),
        }
    }

    /// Un article dans moins de `min_together` paniers n'a aucun voisin :
    /// inutile de compter.
    fn lonely(&self, a: usize) -> bool {
        self.history.in_baskets[a] < self.min_together
    }
}

/// Tableaux de travail de [`nested_neighbours`], réutilisés d'un article à
/// l'autre.
struct Partners {
    /// Compteurs des partenaires de l'article en cours ; les articles
    /// touchés sont `touched[..seen]` (une case de plus que d'articles :
    /// l'écriture qui ne compte pas a toujours sa place).
    count: Vec<u32>,
    touched: Vec<u32>,
    seen: usize,
    /// Les partenaires retenus de l'article en cours.
    candidates: Vec<(u32, u32)>,
    histogram: [usize; CAP + 1],
}

impl Partners {
    fn new(items: usize) -> Self {
        Self {
            count: vec![0u32; items],
            touched: vec![0u32; items + 1],
            seen: 0,
            candidates: vec![(0u32, 0u32); items + 1],
            histogram: [0usize; CAP + 1],
        }
    }

    /// Les voisins de l'article `a` dans chacune des périodes emboîtées de
    /// [`nested_neighbours`], ajoutés à `lists` (une liste par période) :
    /// `tids`, ses paniers dans la dernière, dont ceux d'une période sont
    /// ceux d'avant son nombre de paniers.
    ///
    /// Une fonction appelée une fois par article, jamais fondue dans la
    /// boucle qui l'appelle : dans le navigateur, le code WebAssembly d'une
    /// fonction est d'abord compilé vite (et lent), puis recompilé optimisé
    /// quand elle a assez tourné, et seuls ses appels suivants en profitent.
    /// Une boucle sur tout le catalogue en un seul appel tournerait
    /// entièrement dans la première version. (`wasm-opt` fondait pourtant
    /// cette fonction, qui n'a qu'un appelant, malgré `#[inline(never)]` :
    /// `index.html` le lui interdit pour les fonctions de cette taille ;
    /// première mesure sous Node 360 → 300 ms.)
    #[inline(never)]
    fn of_nested(
        &mut self,
        a: usize,
        tids: &[u32],
        periods: &[Period],
        lists: &mut [Vec<Vec<Neighbour>>],
    ) {
        let Some(whole) = periods.last() else {
            return;
        };
        let baskets = &whole.history.baskets;
        let mut counted = 0;
        for (k, period) in periods.iter().enumerate() {
            let list = if whole.lonely(a) || period.lonely(a) {
                Vec::new()
            } else {
                let end = tids.partition_point(|&t| (t as usize) < period.history.baskets.len());
                self.count(baskets, &tids[counted..end]);
                counted = end;
                // Les compteurs servent encore aux périodes suivantes ; la
                // dernière les remet à zéro.
                if k + 1 == periods.len() {
                    self.select::<true>(a, period)
                } else {
                    self.select::<false>(a, period)
                }
            };
            lists[k].push(list);
        }
    }

    /// Ajoute aux compteurs les partenaires des paniers `tids`. Pas fondue
    /// dans [`Partners::of_nested`] : fondue, sa boucle y était 3 % plus
    /// lente (évaluation native, en alternance).
    #[inline(never)]
    fn count(&mut self, baskets: &[Vec<u32>], tids: &[u32]) {
        let Partners {
            count,
            touched,
            seen,
            ..
        } = self;
        for &t in tids {
            for &b in &baskets[t as usize] {
                // Sans branchement : qu'un partenaire soit nouveau est
                // imprévisible.
                let slot = &mut count[b as usize];
                let first = *slot == 0;
                *slot += 1;
                touched[*seen] = b;
                *seen += usize::from(first);
            }
        }
    }

    /// Les voisins de `a` parmi les partenaires comptés, mesurés sur la
    /// période ; `CLEAR` : les compteurs sont remis à zéro au passage (pour
    /// l'article suivant), sinon ils restent pour continuer le compte.
    fn select<const CLEAR: bool>(&mut self, a: usize, period: &Period) -> Vec<Neighbour> {
        let Partners {
            count,
            touched,
            seen,
            candidates,
            histogram,
        } = self;
        let &Period {
            history,
            min_together,
        } = period;
        let (baskets, in_baskets) = (&history.baskets, &history.in_baskets);
        // Confiance décroissante, c'est-à-dire effectif commun décroissant
        // (même antécédent), puis article croissant.
        let order = |x: &(u32, u32), y: &(u32, u32)| y.0.cmp(&x.0).then(x.1.cmp(&y.1));
        let touched = &touched[..*seen];
        if CLEAR {
            *seen = 0;
        }
        // Le seuil : l'effectif du `NEIGHBOURS`-ième meilleur partenaire,
        // lu sur l'histogramme des effectifs (ceux de `CAP` ou plus dans
        // la dernière case). Seuls les partenaires qui l'atteignent sont
        // gardés puis départagés : quelques dizaines, au lieu de
        // centaines d'effectifs 2 ou 3 à trier.
        histogram.fill(0);
        for &b in touched {
            histogram[(count[b as usize] as usize).min(CAP)] += 1;
        }
        // L'article lui-même (compté dans chacun de ses paniers).
        histogram[(count[a] as usize).min(CAP)] -= 1;
        let mut threshold = min_together;
        let mut above = 0;
        for (together, &partners) in histogram.iter().enumerate().rev() {
            if (together as u32) < min_together {
                break;
            }
            above += partners;
            if above >= NEIGHBOURS {
                threshold = together as u32;
                break;
            }
        }
        // Les partenaires au seuil, sans branchement non plus (chaque
        // case est écrite, seule la position avance).
        let mut kept = 0;
        for &b in touched {
            let together = if CLEAR {
                std::mem::take(&mut count[b as usize])
            } else {
                count[b as usize]
            };
            candidates[kept] = (together, b);
            kept += usize::from(b as usize != a && together >= threshold);
        }
        let list = &mut candidates[..kept];
        let list = if list.len() > NEIGHBOURS {
            list.select_nth_unstable_by(NEIGHBOURS - 1, order);
            &mut list[..NEIGHBOURS]
        } else {
            list
        };
        list.sort_unstable_by(order);
        let n = baskets.len().max(1) as f64;
        let na = f64::from(in_baskets[a]);
        list.iter()
            .map(|&(together, b)| {
                let nb = f64::from(in_baskets[b as usize]);
                let c = f64::from(together);
                Neighbour {
                    item: b,
                    together,
                    confidence: c / na,
                    lift: c * n / (na * nb),
                    cosine: c / (na * nb).sqrt(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::basket::pairs::count_pairs;
    use crate::demo::{generate_demo_csv, DemoConfig};
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;
    use std::collections::BTreeMap;

    /// Les quatre notes de la recherche des paramètres.
    const GRID: [Scoring; 4] = [
        (Scorer::BestConfidence, 2),
        (Scorer::BestConfidence, 5),
        (Scorer::SumCosine, 2),
        (Scorer::SumCosine, 5),
    ];

    fn model() -> Model {
        // Un catalogue de longue traîne : des articles seulement populaires
        // restent candidats.
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 500,
            products: 1_500,
            ..Default::default()
        });
        let clean = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        // Jusqu'au dernier jour des données : la popularité récente compte.
        let end = clean.table.invoice_date.iter().max().unwrap() + 1;
        let history = History::build(&clean, i64::MIN, end, 28);
        Model::train(history, Params::default())
    }

    /// Les voisins calculés autrement : toutes les paires comptées par le
    /// noyau de la recherche des itemsets (`count_pairs`, une seconde
    /// implémentation), chaque liste complète triée puis coupée.
    fn neighbours_from_pairs(history: &History, min_together: u32) -> Vec<Vec<Neighbour>> {
        let items = history.items;
        let pairs = count_pairs(&history.baskets, items);
        let mut lists: Vec<Vec<(u32, u32)>> = vec![Vec::new(); items];
        for a in 0..items as u32 {
            for (b, count) in pairs.row(a) {
                if count >= min_together.max(1) {
                    lists[a as usize].push((count, b));
                    lists[b as usize].push((count, a));
                }
            }
        }
        let n = history.baskets.len().max(1) as f64;
        lists
            .into_iter()
            .enumerate()
            .map(|(a, mut list)| {
                list.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
                list.truncate(NEIGHBOURS);
                let na = f64::from(history.in_baskets[a]);
                list.into_iter()
                    .map(|(count, b)| {
                        let nb = f64::from(history.in_baskets[b as usize]);
                        let c = f64::from(count);
                        Neighbour {
                            item: b,
                            together: count,
                            confidence: c / na,
                            lift: c * n / (na * nb),
                            cosine: c / (na * nb).sqrt(),
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Un historique réduit à ses paniers (articles triés, sans doublon).
    fn history_of(baskets: Vec<Vec<u32>>, items: usize) -> History {
        let mut in_baskets = vec![0u32; items];
        for &item in baskets.iter().flatten() {
            in_baskets[item as usize] += 1;
        }
        History {
            from: 0,
            to: 1,
            customers: Vec::new(),
            buyers: vec![0; items],
            recent_buyers: vec![0; items],
            baskets,
            in_baskets,
            price: vec![0.0; items],
            items,
        }
    }

    /// La boutique de démonstration nettoyée, ses première et dernière
    /// dates.
    fn demo_period() -> (crate::clean::CleanTable, i64, i64) {
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 400,
            products: 900,
            ..Default::default()
        });
        let clean = analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean;
        let dates = &clean.table.invoice_date;
        let (first, last) = (*dates.iter().min().unwrap(), *dates.iter().max().unwrap());
        (clean, first, last)
    }

    /// Sur la boutique de démonstration, pour chaque période de la mesure
    /// (une période, sa suite, les deux réunies) : mêmes voisins, au bit
    /// près, que par toutes les paires.
    #[test]
    fn neighbours_are_those_of_all_pairs_counted() {
        let (clean, first, last) = demo_period();
        let cut = first + (last - first) * 2 / 3;
        for (from, to) in [(first, cut), (cut, last + 1), (first, last + 1)] {
            let history = History::build(&clean, from, to, 28);
            let expected = neighbours_from_pairs(&history, MIN_TOGETHER);
            // Des listes pleines (la coupe à `NEIGHBOURS` est exercée) et
            // des articles sans voisin.
            assert!(expected.iter().any(|list| list.len() == NEIGHBOURS));
            assert!(expected.iter().any(Vec::is_empty));
            assert_eq!(neighbours(&history, MIN_TOGETHER), expected);
        }
    }

    proptest::proptest! {
        /// Paniers quelconques (beaucoup d'égalités d'effectif, un article
        /// avec plus de partenaires que `NEIGHBOURS`, des effectifs jusqu'à
        /// plus de cent), effectif minimal quelconque : les voisins de
        /// toutes les paires ; coupés n'importe où, les voisins des premiers
        /// paniers et de tous comptés ensemble ([`nested_neighbours`]) sont
        /// aussi ceux de toutes les paires de chacun.
        #[test]
        fn neighbours_of_random_baskets_are_those_of_all_pairs(
            raw in proptest::collection::vec(
                proptest::collection::btree_set(0u32..60, 0..12), 0..80),
            min_together in 0u32..4,
            repeats in 0usize..150,
            cuts in proptest::collection::vec(0usize..240, 0..3),
        ) {
            let mut baskets: Vec<Vec<u32>> =
                raw.into_iter().map(|b| b.into_iter().collect()).collect();
            // L'article 0 acheté avec tous les autres.
            baskets.push((0..60).collect());
            // Des effectifs au-delà de ceux que l'histogramme distingue.
            for _ in 0..repeats {
                baskets.push(baskets[0].clone());
            }
            let history = history_of(baskets.clone(), 60);
            let expected = neighbours_from_pairs(&history, min_together);
            proptest::prop_assert_eq!(&neighbours(&history, min_together), &expected);
            // Jusqu'à deux périodes de plus, emboîtées (les premiers paniers).
            let mut cuts = cuts;
            cuts.sort_unstable();
            let mut periods: Vec<History> = cuts
                .iter()
                .map(|&cut| history_of(baskets[..cut.min(baskets.len())].to_vec(), 60))
                .collect();
            periods.push(history);
            let nested = nested_neighbours(&periods.iter().collect::<Vec<_>>(), min_together);
            proptest::prop_assert_eq!(nested.len(), periods.len());
            for (lists, period) in nested.iter().zip(&periods) {
                proptest::prop_assert_eq!(lists, &neighbours_from_pairs(period, min_together));
            }
        }
    }

    /// Les voisins de périodes emboîtées (les trois de la mesure :
    /// l'apprentissage de la validation, tout l'apprentissage, tout
    /// l'historique, assemblés par `History::joined`) sont ceux de chaque
    /// période comptée à part ; des périodes construites à part (paniers
    /// dans l'ordre du fichier) aussi, par le repli.
    #[test]
    fn nested_neighbours_are_those_of_each_period() {
        let (clean, first, last) = demo_period();
        let at = |fraction: f64| first + ((last - first) as f64 * fraction) as i64;
        let (one, two) = (at(0.5), at(0.8));
        let earlier = History::build(&clean, first, one, 28);
        let middle = History::build(&clean, one, two, 28);
        let later = History::build(&clean, two, last + 1, 28);
        let learn = History::joined(&clean, &earlier, &middle, 28).expect("assemblable");
        let whole = History::joined(&clean, &learn, &later, 28).expect("assemblable");
        let built = History::build(&clean, first, last + 1, 28);
        for periods in [
            vec![&earlier, &learn, &whole],
            vec![&earlier, &whole],
            vec![&earlier, &learn, &built],
        ] {
            let nested = nested_neighbours(&periods, MIN_TOGETHER);
            assert_eq!(nested.len(), periods.len());
            for (lists, period) in nested.iter().zip(&periods) {
                assert_eq!(lists, &neighbours(period, MIN_TOGETHER));
            }
        }
    }

    /// Les notes d'association écrites naïvement, une règle après l'autre
    /// dans le même ordre (achats, puis voisins) : (article, note, règle),
    /// articles associés par ordre de première rencontre puis tous les
    /// populaires non achetés.
    fn brute_force(model: &Model, customer: usize, (scorer, min): Scoring) -> Vec<Candidate> {
        let bought: Vec<u32> = model.history.customers[customer]
            .iter()
            .map(|b| b.item)
            .collect();
        let mut order: Vec<u32> = Vec::new();
        let mut notes: BTreeMap<u32, (f64, f64, (u32, u32))> = BTreeMap::new();
        for &i in &bought {
            for (rank, n) in model.neighbours[i as usize].iter().enumerate() {
                if bought.contains(&n.item) || n.together < min {
                    continue;
                }
                let value = match scorer {
                    Scorer::BestConfidence => n.confidence,
                    Scorer::SumCosine => n.cosine,
                };
                match notes.get_mut(&n.item) {
                    None => {
                        order.push(n.item);
                        notes.insert(n.item, (value, value, (i, rank as u32)));
                    }
                    Some((note, best, rule)) => {
                        if scorer == Scorer::SumCosine {
                            *note += value;
                        } else if value > *note {
                            *note = value;
                        }
                        if value > *best {
                            *best = value;
                            *rule = (i, rank as u32);
                        }
                    }
                }
            }
        }
        let scale = match scorer {
            Scorer::BestConfidence => 1.0,
            Scorer::SumCosine => notes.values().map(|v| v.0).fold(0.0, f64::max).max(1e-12),
        };
        let mut candidates: Vec<Candidate> = order
            .iter()
            .map(|item| Candidate {
                item: *item,
                association: notes[item].0 / scale,
                because: Some(notes[item].2),
                recent: model.recent[*item as usize],
            })
            .collect();
        for &item in &model.popular {
            if !bought.contains(&item) && !notes.contains_key(&item) {
                candidates.push(Candidate {
                    item,
                    association: 0.0,
                    because: None,
                    recent: model.recent[item as usize],
                });
            }
        }
        candidates
    }

    #[test]
    fn the_grid_gives_each_scoring_as_computed_naively() {
        // Les quatre notes en un passage = chacune calculée seule, à la main
        // (mêmes articles, mêmes notes au bit près, mêmes règles).
        // Un, deux (dans les deux ordres) et trois effectifs minimaux : les
        // trois chemins du parcours des voisins.
        let model = model();
        let three = [
            (Scorer::SumCosine, 5),
            (Scorer::BestConfidence, 3),
            (Scorer::SumCosine, 2),
        ];
        let reversed = [GRID[3], GRID[0]];
        let mut checked = 0;
        for customer in 0..model.history.customers.len() {
            for scorings in [&GRID[..], &three, &reversed, &GRID[1..2]] {
                let grid = model.association_grid(customer, scorings, usize::MAX);
                for (lane, &scoring) in grid.iter().zip(scorings) {
                    assert_eq!(lane, &brute_force(&model, customer, scoring));
                    checked += lane.len();
                }
            }
        }
        assert!(checked > 10_000, "{checked} candidats seulement");
    }

    #[test]
    fn neighbours_given_out_of_order_are_ranked_before_scoring() {
        // Des listes à l'envers : le modèle les range par effectif
        // décroissant, et la notation (qui s'arrête au premier voisin qui
        // ne compte plus) reste celle du calcul naïf sur toutes les règles.
        let trained = model();
        let reversed: Vec<Vec<Neighbour>> = trained
            .neighbours
            .iter()
            .map(|list| list.iter().rev().copied().collect())
            .collect();
        let model = Model::with_neighbours(trained.history.clone(), Params::default(), reversed);
        for (list, original) in model.neighbours.iter().zip(&trained.neighbours) {
            assert!(list.windows(2).all(|w| w[0].together >= w[1].together));
            let mut sorted = list.clone();
            sorted.sort_by_key(|n| n.item);
            let mut expected = original.clone();
            expected.sort_by_key(|n| n.item);
            assert_eq!(sorted, expected);
        }
        for customer in (0..model.history.customers.len()).step_by(3) {
            let grid = model.association_grid(customer, &GRID, usize::MAX);
            for (lane, &scoring) in grid.iter().zip(&GRID) {
                assert_eq!(lane, &brute_force(&model, customer, scoring));
            }
        }
    }

    #[test]
    fn ranking_several_betas_at_once_gives_each_ranking() {
        // Les listes de `rank_items_for` (candidats écartés par la note
        // d'association, classement amorcé par le poids précédent) sont
        // celles de `rank_items`, poids par poids, y compris dans le
        // désordre, sans poids nul, ou avec moins de candidats que `n`.
        let model = model();
        let mut compared = 0;
        for customer in 0..model.history.customers.len() {
            let grid = model.association_scores(customer, &GRID, 10);
            for candidates in &grid {
                for betas in [
                    &[0.0, 0.25, 0.5, 1.0, 2.0][..],
                    &[2.0, 0.0, 0.5],
                    &[0.3, 1.5],
                ] {
                    for n in [1, 3, 10, candidates.len() + 1] {
                        let expected: Vec<Vec<u32>> = betas
                            .iter()
                            .map(|&beta| model.rank_items(candidates, beta, n))
                            .collect();
                        assert_eq!(model.rank_items_for(candidates, betas, n), expected);
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1_000, "{compared} comparaisons seulement");
    }

    /// La découverte (notes sans règles, puis règles des seuls retenus)
    /// est le classement des candidats notés avec leurs règles : mêmes
    /// articles, mêmes notes au bit près, mêmes justifications, pour chaque
    /// façon de noter et plusieurs poids de popularité.
    #[test]
    fn discovery_gives_the_reasons_of_the_full_tally() {
        let mut model = model();
        let mut justified = 0;
        for (scorer, min_together) in GRID {
            for beta in [0.0, 0.5, 2.0] {
                model.params = Params {
                    scorer,
                    min_together,
                    beta,
                    ..model.params
                };
                for customer in 0..model.history.customers.len() {
                    for n in [3, 10] {
                        let candidates = model.associations(customer, scorer, min_together, n);
                        let expected = model.rank(&candidates, beta, n);
                        let found = model.discovery(customer, n);
                        let bits = |list: &[Scored]| -> Vec<(u32, u64, Reason)> {
                            list.iter()
                                .map(|s| (s.item, s.score.to_bits(), s.reason.clone()))
                                .collect()
                        };
                        assert_eq!(bits(&found), bits(&expected), "client {customer}");
                        justified += found
                            .iter()
                            .filter(|s| matches!(s.reason, Reason::Rule { .. }))
                            .count();
                    }
                }
            }
        }
        assert!(justified > 10_000, "{justified} justifications seulement");
    }

    #[test]
    fn the_light_scores_are_the_grid_without_its_reasons() {
        // Mêmes candidats, mêmes notes au bit près, mêmes classements ; seules
        // les justifications manquent.
        let mut model = model();
        let mut checked = 0;
        for customer in 0..model.history.customers.len() {
            for n in [10, usize::MAX] {
                let grid = model.association_grid(customer, &GRID, n);
                let light = model.association_scores(customer, &GRID, n);
                for (grid, light) in grid.iter().zip(&light) {
                    assert_eq!(grid.len(), light.len());
                    for (g, l) in grid.iter().zip(light) {
                        assert_eq!(
                            (g.item, g.association.to_bits()),
                            (l.item, l.association.to_bits())
                        );
                        assert_eq!(g.recent.to_bits(), l.recent.to_bits());
                        assert_eq!(l.because, None);
                    }
                    for beta in [0.0, 0.5, 2.0] {
                        let ranked: Vec<u32> =
                            model.rank(grid, beta, 10).iter().map(|s| s.item).collect();
                        assert_eq!(model.rank_items(light, beta, 10), ranked);
                    }
                    checked += light.len();
                }
            }
        }
        assert!(checked > 10_000, "{checked} candidats seulement");
        for (scorer, min_together) in GRID {
            model.params.scorer = scorer;
            model.params.min_together = min_together;
            for customer in 0..model.history.customers.len() {
                let items: Vec<u32> = model
                    .discovery(customer, 10)
                    .iter()
                    .map(|s| s.item)
                    .collect();
                assert_eq!(model.discovery_items(customer, 10), items);
            }
        }
    }

    #[test]
    fn the_reorder_items_with_a_given_fill_are_those_of_reorder() {
        // La découverte calculée une fois (pour les places qu'elle complète)
        // donne, pour chaque τ, la même liste que `reorder` qui la recalcule.
        let mut model = model();
        let mut filled = 0;
        for tau_days in [14.0, 365.0] {
            model.params.tau_days = tau_days;
            for customer in 0..model.history.customers.len() {
                let places = model.reorder_fill(customer, 10);
                let fill = model.discovery_items(customer, places);
                filled += usize::from(places > 0 && !fill.is_empty());
                let expected: Vec<u32> = model
                    .reorder(customer, 10)
                    .into_iter()
                    .map(|s| s.item)
                    .collect();
                assert_eq!(model.reorder_items_with(customer, 10, &fill), expected);
            }
        }
        assert!(filled > 0, "aucun client dont la liste est complétée");
    }

    #[test]
    fn the_one_pass_ranking_equals_a_full_sort() {
        // Les `n` premiers d'un tri complet (note décroissante, puis article),
        // pour toutes les longueurs de liste.
        let model = model();
        for customer in (0..model.history.customers.len()).step_by(7) {
            let grid = model.association_grid(customer, &GRID, usize::MAX);
            for candidates in &grid {
                for beta in [0.0, 0.25, 2.0] {
                    let mut sorted: Vec<(f64, u32)> = candidates
                        .iter()
                        .map(|c| (c.association + beta * c.recent, c.item))
                        .collect();
                    sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    for n in [0, 1, 3, 10, candidates.len() + 1] {
                        let expected: Vec<u32> = sorted.iter().take(n).map(|&(_, i)| i).collect();
                        assert_eq!(model.rank_items(candidates, beta, n), expected);
                    }
                }
            }
        }
    }

    #[test]
    fn dropping_unreachable_popular_items_keeps_every_ranking() {
        // Les candidats seulement populaires au-delà des `n` premiers (par
        // popularité, par article) ne changent aucun classement de `n`, quel
        // que soit le poids de la popularité, 0 compris.
        let model = model();
        let mut dropped = 0;
        for customer in 0..model.history.customers.len() {
            let all = model.association_grid(customer, &GRID, usize::MAX);
            for n in [1, 10] {
                let kept = model.association_grid(customer, &GRID, n);
                for (all, kept) in all.iter().zip(&kept) {
                    dropped += all.len() - kept.len();
                    for beta in [0.0, 0.25, 0.5, 1.0, 2.0] {
                        assert_eq!(model.rank(all, beta, n), model.rank(kept, beta, n));
                    }
                }
            }
        }
        assert!(dropped > 10_000, "{dropped} candidats écartés seulement");
    }

    #[test]
    fn neighbours_are_the_best_rules_counted_by_brute_force() {
        // Pour chaque article, les règles `i → j` comptées panier par panier
        // (paires de deux paniers au moins), classées par confiance puis
        // effectif puis article, les 40 premières.
        let model = model();
        let history = &model.history;
        let mut together: BTreeMap<(u32, u32), u32> = BTreeMap::new();
        for basket in &history.baskets {
            for &a in basket {
                for &b in basket {
                    if a != b {
                        *together.entry((a, b)).or_default() += 1;
                    }
                }
            }
        }
        let n = history.baskets.len() as f64;
        for item in 0..history.items as u32 {
            let na = f64::from(history.in_baskets[item as usize]);
            let mut expected: Vec<Neighbour> = together
                .range((item, 0)..=(item, u32::MAX))
                .filter(|&(_, &c)| c >= MIN_TOGETHER)
                .map(|(&(_, b), &c)| {
                    let nb = f64::from(history.in_baskets[b as usize]);
                    let c = f64::from(c);
                    Neighbour {
                        item: b,
                        together: c as u32,
                        confidence: c / na,
                        lift: c * n / (na * nb),
                        cosine: c / (na * nb).sqrt(),
                    }
                })
                .collect();
            expected.sort_by(|x, y| {
                y.confidence
                    .total_cmp(&x.confidence)
                    .then(y.together.cmp(&x.together))
                    .then(x.item.cmp(&y.item))
            });
            expected.truncate(NEIGHBOURS);
            assert_eq!(model.neighbours[item as usize], expected, "article {item}");
        }
    }
}
