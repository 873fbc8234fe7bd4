//! Recommandations de ventes croisées et de montée en gamme, par produit,
//! par client et par segment, et leur qualité mesurée sur l'historique.
//!
//! - [`history`] : l'historique d'achat d'une période ;
//! - [`model`] : associations entre articles + popularité récente ;
//! - [`evaluation`] : découpage dans le temps, choix des paramètres en
//!   validation, succès@10, précision@10, couverture contre deux références ;
//! - ici : les recommandations que l'interface et la CLI montrent.

pub mod evaluation;
pub mod history;
pub mod model;

use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::ingest::dates::NO_DATE;
use model::{Model, Neighbour, Params, Reason};

/// Un article recommandé, lisible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Rang (1 = le meilleur).
    pub rank: usize,
    /// Article.
    pub item: String,
    /// Note.
    pub score: f64,
    /// Justification.
    pub reason: Why,
}

/// Justification lisible d'une recommandation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Why {
    /// Acheté avec `because` : `together` paniers, confiance, lift.
    BoughtWith {
        /// Article déjà acheté (ou choisi).
        because: String,
        /// Paniers qui contiennent les deux.
        together: u32,
        /// Part des paniers de `because` qui contiennent l'article.
        confidence: f64,
        /// Combien de fois plus souvent que le hasard.
        lift: f64,
    },
    /// Populaire ces dernières semaines.
    Trending,
    /// Déjà acheté, souvent ou récemment.
    Rebuy {
        /// Commandes qui le contenaient.
        orders: u32,
        /// Jours depuis le dernier achat.
        days_ago: i64,
    },
    /// Très acheté par son segment, et pas encore par lui.
    SegmentFavourite {
        /// Segment du client.
        segment: String,
        /// Clients du segment qui l'ont acheté.
        buyers: u32,
    },
    /// Acheté par des clients semblables de meilleurs segments, plus cher
    /// que ce que le client achète d'habitude.
    BetterCustomersBuy {
        /// Clients semblables (meilleurs segments) qui l'achètent.
        buyers: u32,
        /// Prix moyen de l'article.
        price: f64,
        /// Prix unitaire moyen des articles du client.
        usual_price: f64,
    },
    /// Même famille, plus cher (montée en gamme).
    Upsell {
        /// Article de départ.
        from: String,
        /// Prix moyen de l'article de départ.
        from_price: f64,
        /// Prix moyen de l'article proposé.
        price: f64,
    },
}

/// Classement des ventes croisées d'un produit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum RankBy {
    /// Lift × confiance : fort et fréquent à la fois.
    #[default]
    LiftTimesConfidence,
    /// Lift : combien de fois plus que le hasard.
    Lift,
    /// Confiance : part des commandes du produit qui contiennent l'article.
    Confidence,
    /// Commandes communes.
    Together,
}

/// Le modèle appris sur tout l'historique, prêt à recommander.
pub struct Recommender {
    model: Model,
    names: Vec<String>,
    /// Les clients qui ont un historique, dans l'ordre de
    /// `recommendations.csv` (identifiants numériques par valeur, puis les
    /// autres par texte) : rangés une fois ici, pas à chaque part du fichier.
    file_order: Vec<u32>,
}

impl Recommender {
    /// Apprend sur toutes les lignes datées.
    /// Sans aucune date (paniers seuls), tout l'historique sert, sans
    /// popularité récente.
    pub fn train(clean: &CleanTable, params: Params) -> Option<Self> {
        if clean.table.is_empty() {
            return None;
        }
        let dates = &clean.table.invoice_date;
        let first = dates.iter().filter(|&&d| d != NO_DATE).min().copied();
        let last = dates.iter().filter(|&&d| d != NO_DATE).max().copied();
        let history = match (first, last) {
            (Some(first), Some(last)) => {
                history::History::build(clean, first, last + 1, evaluation::RECENT_DAYS)
            }
            _ => history::History::build(clean, i64::MIN, i64::MAX, 0),
        };
        Some(Self::with_model(clean, Model::train(history, params)))
    }

    /// Le modèle `model`, appris sur l'historique de [`Recommender::train`]
    /// (tout l'historique daté ; par exemple celui que garde
    /// [`evaluation::evaluate_and_keep`]), prêt à recommander aux clients de
    /// `clean`.
    pub fn with_model(clean: &CleanTable, model: Model) -> Self {
        let history = &model.history;
        let names = clean
            .table
            .descriptions
            .values()
            .map(String::from)
            .collect();
        let mut file_order: Vec<(f64, &str, u32)> = clean
            .table
            .customers
            .values()
            .enumerate()
            .filter(|(i, c)| {
                !c.is_empty()
                    && history
                        .customers
                        .get(*i)
                        .is_some_and(|items| !items.is_empty())
            })
            .map(|(i, c)| (c.parse::<f64>().unwrap_or(f64::NAN), c, i as u32))
            .collect();
        crate::kernels::sort_by(&mut file_order, |a, b| {
            a.0.total_cmp(&b.0).then(a.1.cmp(b.1))
        });
        let file_order = file_order.into_iter().map(|(_, _, id)| id).collect();
        Self {
            model,
            names,
            file_order,
        }
    }

    fn name(&self, item: u32) -> String {
        self.names[item as usize].clone()
    }

    fn readable(&self, rank: usize, scored: model::Scored) -> Recommendation {
        let reason = match scored.reason {
            Reason::Rule { because, rule } => Why::BoughtWith {
                because: self.name(because),
                together: rule.together,
                confidence: rule.confidence,
                lift: rule.lift,
            },
            Reason::Trending => Why::Trending,
            Reason::Rebuy { orders, days_ago } => Why::Rebuy { orders, days_ago },
        };
        Recommendation {
            rank,
            item: self.name(scored.item),
            score: scored.score,
            reason,
        }
    }

    /// Identifiant d'un article par son nom.
    fn item(&self, name: &str) -> Option<u32> {
        self.names.iter().position(|n| n == name).map(|i| i as u32)
    }

    /// Les articles le plus associés à un produit, classés par `rank_by`
    /// (lift × confiance par défaut).
    pub fn cross_sell(&self, product: &str, n: usize, rank_by: RankBy) -> Vec<Recommendation> {
        let Some(item) = self.item(product) else {
            return Vec::new();
        };
        let mut neighbours: Vec<Neighbour> = self.model.neighbours[item as usize].clone();
        let score = |r: &Neighbour| match rank_by {
            RankBy::LiftTimesConfidence => r.lift * r.confidence,
            RankBy::Lift => r.lift,
            RankBy::Confidence => r.confidence,
            RankBy::Together => f64::from(r.together),
        };
        crate::kernels::sort_by(&mut neighbours, |a, b| {
            score(b).total_cmp(&score(a)).then(a.item.cmp(&b.item))
        });
        neighbours
            .into_iter()
            .take(n)
            .enumerate()
            .map(|(i, rule)| Recommendation {
                rank: i + 1,
                item: self.name(rule.item),
                score: score(&rule),
                reason: Why::BoughtWith {
                    because: product.to_string(),
                    together: rule.together,
                    confidence: rule.confidence,
                    lift: rule.lift,
                },
            })
            .collect()
    }

    /// Montée en gamme d'un produit : articles associés ou de la même
    /// famille (un mot significatif de la désignation en commun), plus chers.
    pub fn upsell(&self, product: &str, n: usize) -> Vec<Recommendation> {
        let Some(item) = self.item(product) else {
            return Vec::new();
        };
        let price = self.model.history.price[item as usize];
        let words = family_words(product);
        let mut candidates: Vec<(u32, f64)> = (0..self.names.len() as u32)
            .filter(|&j| j != item && self.model.history.in_baskets[j as usize] > 0)
            .filter(|&j| self.model.history.price[j as usize] > price * 1.05)
            .filter_map(|j| {
                let shared = family_words(&self.names[j as usize])
                    .iter()
                    .filter(|w| words.contains(w))
                    .count();
                let associated = self.model.neighbours[item as usize]
                    .iter()
                    .any(|nb| nb.item == j);
                (shared > 0 || associated).then(|| {
                    let popularity = f64::from(self.model.history.in_baskets[j as usize]).ln_1p();
                    (
                        j,
                        shared as f64 + f64::from(u8::from(associated)) + 0.1 * popularity,
                    )
                })
            })
            .collect();
        crate::kernels::sort_by(&mut candidates, |a, b| {
            b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
        });
        candidates
            .into_iter()
            .take(n)
            .enumerate()
            .map(|(i, (j, score))| Recommendation {
                rank: i + 1,
                item: self.name(j),
                score,
                reason: Why::Upsell {
                    from: product.to_string(),
                    from_price: price,
                    price: self.model.history.price[j as usize],
                },
            })
            .collect()
    }

    /// Une liste du modèle pour un client, lisible (vide s'il est inconnu).
    fn list_for(
        &self,
        clean: &CleanTable,
        customer: &str,
        list: impl FnOnce(&Model, usize) -> Vec<model::Scored>,
    ) -> Vec<Recommendation> {
        let Some(id) = clean.table.customers.id_of(customer) else {
            return Vec::new();
        };
        list(&self.model, id as usize)
            .into_iter()
            .enumerate()
            .map(|(i, s)| self.readable(i + 1, s))
            .collect()
    }

    /// Découverte pour un client (articles jamais achetés).
    pub fn for_customer(
        &self,
        clean: &CleanTable,
        customer: &str,
        n: usize,
    ) -> Vec<Recommendation> {
        self.list_for(clean, customer, |model, id| model.discovery(id, n))
    }

    /// À racheter pour un client : ses articles déjà achetés, fréquents et
    /// récents d'abord — rien d'autre (la liste de réachat que mesure la
    /// qualité est complétée par la découverte, déjà proposée à part).
    pub fn reorder_for_customer(
        &self,
        clean: &CleanTable,
        customer: &str,
        n: usize,
    ) -> Vec<Recommendation> {
        self.list_for(clean, customer, |model, id| model.rebuys_top(id, n))
    }

    /// Montée en gamme pour un client : parmi les clients de meilleurs
    /// segments (`better`), les 50 qui partagent le plus d'articles avec lui
    /// sont ses semblables ; on propose ce qu'ils achètent, qu'il n'a pas
    /// acheté, et qui coûte plus que le prix moyen de ses articles.
    pub fn upsell_for_customer(
        &self,
        clean: &CleanTable,
        customer: &str,
        better: &[u32],
        n: usize,
    ) -> Vec<Recommendation> {
        let Some(id) = clean.table.customers.id_of(customer) else {
            return Vec::new();
        };
        let history = &self.model.history;
        let mine = &history.customers[id as usize];
        if mine.is_empty() {
            return Vec::new();
        }
        let usual_price = mine
            .iter()
            .map(|b| history.price[b.item as usize])
            .sum::<f64>()
            / mine.len() as f64;
        let mut similar: Vec<(usize, u32)> = better
            .iter()
            .filter(|&&c| c != id)
            .map(|&c| {
                let shared = history.customers[c as usize]
                    .iter()
                    .filter(|b| history.has_bought(id as usize, b.item))
                    .count();
                (shared, c)
            })
            .filter(|&(shared, _)| shared > 0)
            .collect();
        crate::kernels::sort_by(&mut similar, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        similar.truncate(50);
        let mut buyers: rustc_hash::FxHashMap<u32, u32> = Default::default();
        for (_, c) in &similar {
            for b in &history.customers[*c as usize] {
                if !history.has_bought(id as usize, b.item)
                    && history.price[b.item as usize] > usual_price
                {
                    *buyers.entry(b.item).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(u32, u32)> = buyers.into_iter().collect();
        crate::kernels::sort_by(&mut ranked, |a, b| {
            let score = |(item, count): (u32, u32)| {
                f64::from(count) * (history.price[item as usize] / usual_price.max(1e-9)).ln_1p()
            };
            score(*b).total_cmp(&score(*a)).then(a.0.cmp(&b.0))
        });
        ranked
            .into_iter()
            .take(n)
            .enumerate()
            .map(|(i, (item, count))| Recommendation {
                rank: i + 1,
                item: self.name(item),
                score: f64::from(count),
                reason: Why::BetterCustomersBuy {
                    buyers: count,
                    price: history.price[item as usize],
                    usual_price,
                },
            })
            .collect()
    }

    /// Les articles les plus achetés par des clients (nombre d'acheteurs).
    pub fn best_sellers_among(&self, customers: &[u32], n: usize) -> Vec<(String, u32)> {
        let mut buyers = vec![0u32; self.names.len()];
        for &c in customers {
            for b in &self.model.history.customers[c as usize] {
                buyers[b.item as usize] += 1;
            }
        }
        let mut order: Vec<u32> = (0..self.names.len() as u32)
            .filter(|&i| buyers[i as usize] > 0)
            .collect();
        crate::kernels::sort_by(&mut order, |&a, &b| {
            buyers[b as usize].cmp(&buyers[a as usize]).then(a.cmp(&b))
        });
        order
            .into_iter()
            .take(n)
            .map(|i| (self.name(i), buyers[i as usize]))
            .collect()
    }
}

/// Mots qui désignent une famille de produits : au moins 4 lettres, hors
/// couleurs et tailles (une « tasse rose » et une « tasse verte » sont de la
/// même famille).
fn family_words(name: &str) -> Vec<String> {
    const IGNORED: &[&str] = &[
        "red", "pink", "blue", "green", "white", "black", "ivory", "cream", "purple", "yellow",
        "small", "large", "jumbo", "mini", "set", "of", "the", "with", "design", "vintage", "pack",
    ];
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !IGNORED.contains(w))
        .map(String::from)
        .collect()
}

impl Why {
    /// La justification en une phrase, nombres et accords dans la langue
    /// ([`crate::numbers`]) : « 2,5 fois plus souvent que le hasard »,
    /// « il y a 1 jour ».
    pub fn text(&self, lang: crate::Lang) -> String {
        self.text_in(lang, None)
    }

    /// Comme [`Why::text`], les prix dans leur devise (« 12,50 € » ;
    /// `None` : le nombre seul, comme dans `recommendations.csv`).
    pub fn text_in(&self, lang: crate::Lang, currency: Option<crate::numbers::Currency>) -> String {
        use crate::numbers::{count, counted, decimal, percent};
        let money = |value: f64| match currency {
            Some(_) => crate::numbers::money(lang, value, currency),
            None => decimal(lang, value, 2),
        };
        use crate::Lang::{En, Fr};
        match (self, lang) {
            (Why::BoughtWith { because, together, confidence, lift }, Fr) => format!(
                "acheté avec « {because} » dans {}\u{a0}; {} des commandes de « {because} » le contiennent\u{a0}; {} fois plus souvent que le hasard",
                counted(Fr, u64::from(*together), "commande", "commandes"),
                percent(Fr, *confidence),
                decimal(Fr, *lift, 1),
            ),
            (Why::BoughtWith { because, together, confidence, lift }, En) => format!(
                "bought with \"{because}\" in {}; {} of orders with \"{because}\" contain it; {} times more often than chance",
                counted(En, u64::from(*together), "order", "orders"),
                percent(En, *confidence),
                decimal(En, *lift, 1),
            ),
            (Why::Trending, Fr) => "très acheté ces dernières semaines".into(),
            (Why::Trending, En) => "bought a lot in recent weeks".into(),
            (Why::Rebuy { orders, days_ago }, Fr) => format!(
                "déjà acheté dans {}, la dernière il y a {}",
                counted(Fr, u64::from(*orders), "commande", "commandes"),
                counted(Fr, (*days_ago).max(0) as u64, "jour", "jours"),
            ),
            (Why::Rebuy { orders, days_ago }, En) => format!(
                "already bought in {}, the last one {} ago",
                counted(En, u64::from(*orders), "order", "orders"),
                counted(En, (*days_ago).max(0) as u64, "day", "days"),
            ),
            (Why::SegmentFavourite { segment, buyers }, Fr) => format!(
                "acheté par {} du segment « {segment} »",
                counted(Fr, u64::from(*buyers), "client", "clients"),
            ),
            (Why::SegmentFavourite { segment, buyers }, En) => format!(
                "bought by {} of the \"{segment}\" segment",
                counted(En, u64::from(*buyers), "customer", "customers"),
            ),
            (Why::BetterCustomersBuy { buyers, price, usual_price }, Fr) => format!(
                "acheté par {} semblables de meilleurs segments\u{a0}; {} contre {} en moyenne pour leurs articles",
                counted(Fr, u64::from(*buyers), "client", "clients"),
                money(*price),
                money(*usual_price),
            ),
            (Why::BetterCustomersBuy { buyers, price, usual_price }, En) => format!(
                "bought by {} similar customers in better segments; {} against {} on average for their items",
                count(En, u64::from(*buyers)),
                money(*price),
                money(*usual_price),
            ),
            (Why::Upsell { from, from_price, price }, Fr) => format!(
                "même famille que « {from} », plus cher ({} au lieu de {})",
                money(*price),
                money(*from_price),
            ),
            (Why::Upsell { from, from_price, price }, En) => format!(
                "same family as \"{from}\", higher price ({} instead of {})",
                money(*price),
                money(*from_price),
            ),
        }
    }
}

impl Recommender {
    /// Produits dont le nom contient `text` (sans casse), les plus achetés
    /// d'abord.
    pub fn suggest(&self, text: &str, n: usize) -> Vec<String> {
        let text = text.trim().to_lowercase();
        let popularity = &self.model.history.in_baskets;
        let mut found: Vec<u32> = (0..self.names.len() as u32)
            .filter(|&i| popularity[i as usize] > 0)
            .filter(|&i| self.names[i as usize].to_lowercase().contains(&text))
            .collect();
        crate::kernels::sort_by(&mut found, |&a, &b| {
            popularity[b as usize]
                .cmp(&popularity[a as usize])
                .then(a.cmp(&b))
        });
        found.into_iter().take(n).map(|i| self.name(i)).collect()
    }

    /// Recommandations d'un client ; sans aucune association applicable,
    /// ce que son segment achète le plus et qu'il n'a pas acheté.
    pub fn for_customer_or_segment(
        &self,
        clean: &CleanTable,
        customer: &str,
        segment: &str,
        segment_customers: &[u32],
        n: usize,
    ) -> (Vec<Recommendation>, bool) {
        let list = self.for_customer(clean, customer, n);
        if list
            .iter()
            .any(|r| matches!(r.reason, Why::BoughtWith { .. }))
        {
            return (list, false);
        }
        let Some(id) = clean.table.customers.id_of(customer) else {
            return (list, false);
        };
        let fallback: Vec<Recommendation> = self
            .best_sellers_among(segment_customers, n + 200)
            .into_iter()
            .filter(|(name, _)| {
                self.item(name)
                    .is_none_or(|item| !self.model.history.has_bought(id as usize, item))
            })
            .take(n)
            .enumerate()
            .map(|(i, (item, buyers))| Recommendation {
                rank: i + 1,
                item,
                score: f64::from(buyers),
                reason: Why::SegmentFavourite {
                    segment: segment.to_string(),
                    buyers,
                },
            })
            .collect();
        (fallback, true)
    }
}

/// Écrit `recommendations.csv` : pour chaque client, ses `n` articles à
/// découvrir (customer, rank, item, score, reason).
pub fn write_recommendations_csv(
    clean: &CleanTable,
    recommender: &Recommender,
    n: usize,
    lang: crate::Lang,
    out: impl std::io::Write,
) -> csv::Result<()> {
    write_recommendations_part(clean, recommender, n, lang, (0, 1), out)
}

/// Écrit la part `index` sur `parts` de `recommendations.csv` : les clients,
/// dans l'ordre du fichier, en `parts` tranches consécutives de même taille
/// (à un client près) ; l'en-tête avec la première. Les parts mises bout à
/// bout, dans l'ordre, donnent le fichier entier : la CLI en écrit deux à
/// la fois, sur deux cœurs.
pub fn write_recommendations_part(
    clean: &CleanTable,
    recommender: &Recommender,
    n: usize,
    lang: crate::Lang,
    (index, parts): (usize, usize),
    out: impl std::io::Write,
) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    if index == 0 {
        writer.write_record(["customer", "rank", "item", "score", "reason"])?;
    }
    let ids = &recommender.file_order;
    let parts = parts.max(1);
    let chunk = |part: usize| (ids.len() * part.min(parts)) / parts;
    for &id in &ids[chunk(index)..chunk(index + 1)] {
        let customer = clean.table.customers.value(id);
        for (rank, scored) in recommender
            .model
            .discovery(id as usize, n)
            .into_iter()
            .enumerate()
        {
            let r = recommender.readable(rank + 1, scored);
            writer.write_record([
                customer.to_string(),
                r.rank.to_string(),
                r.item,
                format!("{:.6}", r.score),
                r.reason.text(lang),
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Les prix d'une justification dans la devise affichée ; sans devise
    /// (recommendations.csv), le nombre seul, comme avant.
    #[test]
    fn reasons_write_prices_in_the_displayed_currency() {
        let why = Why::Upsell {
            from: "mug".into(),
            from_price: 2.5,
            price: 12.5,
        };
        assert_eq!(
            why.text(crate::Lang::Fr),
            "même famille que « mug », plus cher (12,50 au lieu de 2,50)"
        );
        assert_eq!(
            why.text_in(crate::Lang::En, Some(crate::numbers::Currency::Gbp)),
            "same family as \"mug\", higher price (£12.50 instead of £2.50)"
        );
    }

    use super::*;
    use crate::demo::{generate_demo_csv, DemoConfig};
    use crate::pipeline::{analyze, AnalysisOptions};
    use crate::progress::NoProgress;

    fn demo() -> CleanTable {
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 600,
            ..Default::default()
        });
        analyze(&bytes, &AnalysisOptions::default(), &mut NoProgress)
            .unwrap()
            .clean
    }

    #[test]
    fn ranking_items_alone_gives_the_full_ranking_order() {
        // La recherche des paramètres classe sans justification : même
        // ordre que le classement complet, pour chaque client, chaque note,
        // chaque poids de popularité (égalités comprises).
        let clean = demo();
        let history = history::History::build(&clean, i64::MIN, i64::MAX, 28);
        let customers = history.customers.len();
        let model = Model::train(history, Params::default());
        for customer in (0..customers).step_by(7) {
            for scorer in [model::Scorer::BestConfidence, model::Scorer::SumCosine] {
                let candidates = model.associations(customer, scorer, 2, 10);
                for beta in [0.0, 0.25, 2.0] {
                    let full: Vec<u32> = model
                        .rank(&candidates, beta, 10)
                        .into_iter()
                        .map(|s| s.item)
                        .collect();
                    assert_eq!(model.rank_items(&candidates, beta, 10), full);
                }
            }
        }
    }

    #[test]
    fn discovery_never_proposes_what_the_customer_bought() {
        let clean = demo();
        let recommender = Recommender::train(&clean, Params::default()).unwrap();
        let customer = clean
            .table
            .customers
            .values()
            .find(|c| !c.is_empty())
            .unwrap()
            .to_string();
        let list = recommender.for_customer(&clean, &customer, 10);
        assert_eq!(list.len(), 10);
        let id = clean.table.customers.id_of(&customer).unwrap();
        let bought: Vec<&str> = (0..clean.table.len())
            .filter(|&r| clean.table.customer[r] == id)
            .map(|r| clean.table.descriptions.value(clean.table.description[r]))
            .collect();
        for r in &list {
            assert!(!bought.contains(&r.item.as_str()), "{} déjà acheté", r.item);
        }
        assert!(list.windows(2).all(|w| w[0].score >= w[1].score));
        // Le réachat commence par ce qu'il a déjà acheté.
        let reorder = recommender.reorder_for_customer(&clean, &customer, 10);
        assert!(matches!(reorder[0].reason, Why::Rebuy { .. }));
        assert!(bought.contains(&reorder[0].item.as_str()));
    }

    #[test]
    fn parts_written_on_two_threads_make_the_whole_file() {
        let clean = demo();
        let recommender = Recommender::train(&clean, Params::default()).unwrap();
        let mut whole = Vec::new();
        write_recommendations_csv(&clean, &recommender, 10, crate::Lang::En, &mut whole).unwrap();
        assert!(whole.len() > 10_000);
        for parts in [1, 2, 3, 7] {
            let written: Vec<Vec<u8>> = std::thread::scope(|threads| {
                let handles: Vec<_> = (0..parts)
                    .map(|index| {
                        let (clean, recommender) = (&clean, &recommender);
                        threads.spawn(move || {
                            let mut part = Vec::new();
                            write_recommendations_part(
                                clean,
                                recommender,
                                10,
                                crate::Lang::En,
                                (index, parts),
                                &mut part,
                            )
                            .unwrap();
                            part
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            assert_eq!(written.concat(), whole, "{parts} parts");
        }
    }

    #[test]
    fn cross_sell_and_upsell_explain_themselves() {
        let clean = demo();
        let recommender = Recommender::train(&clean, Params::default()).unwrap();
        let product = recommender.best_sellers_among(
            &(0..clean.table.customers.len() as u32).collect::<Vec<_>>(),
            1,
        )[0]
        .0
        .clone();
        let cross = recommender.cross_sell(&product, 5, RankBy::default());
        assert!(!cross.is_empty());
        for r in &cross {
            assert_ne!(r.item, product);
            let Why::BoughtWith {
                because,
                confidence,
                ..
            } = &r.reason
            else {
                panic!()
            };
            assert_eq!(because, &product);
            assert!(*confidence > 0.0 && *confidence <= 1.0);
            assert!(r
                .reason
                .text(crate::Lang::En)
                .contains("more often than chance"));
        }
        for r in recommender.upsell(&product, 5) {
            let Why::Upsell {
                from_price, price, ..
            } = r.reason
            else {
                panic!()
            };
            assert!(price > from_price);
        }
        assert!(recommender
            .cross_sell("no such product", 5, RankBy::Lift)
            .is_empty());
        let by_lift = recommender.cross_sell(&product, 5, RankBy::Lift);
        assert!(by_lift.windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn the_evaluation_compares_with_both_baselines() {
        let clean = demo();
        let evaluation = evaluation::evaluate(&clean).unwrap();
        assert!(evaluation.customers > 50);
        for list in [&evaluation.discovery, &evaluation.reorder] {
            for q in [list.model, list.baseline_all_time, list.baseline_recent] {
                assert!((0.0..=1.0).contains(&q.hit_rate_at_10));
                assert!(q.precision_at_10 <= q.hit_rate_at_10 + 1e-12);
            }
        }
        // Le test commence après la validation, qui commence après le début.
        let s = &evaluation.split;
        assert!(s.learn_from < s.validation_from && s.validation_from < s.test_from);
    }

    #[test]
    fn baskets_without_dates_still_give_cross_sell() {
        let text = "bread,milk\nbread,milk,eggs\nmilk,eggs\nbread,milk\nbread,butter\n";
        let mut options = AnalysisOptions::default();
        options.import.layout = crate::ingest::Layout::BasketPerLine;
        let clean = analyze(text.as_bytes(), &options, &mut NoProgress)
            .unwrap()
            .clean;
        let recommender = Recommender::train(
            &clean,
            Params {
                min_together: 1,
                ..Default::default()
            },
        )
        .unwrap();
        let cross = recommender.cross_sell("bread", 5, RankBy::Together);
        assert_eq!(cross[0].item, "milk");
        assert_eq!(recommender.suggest("MI", 5), ["milk"]);
    }

    #[test]
    fn family_words_ignore_colours_and_sizes() {
        assert_eq!(
            family_words("pink regency teacup and saucer"),
            ["regency", "teacup", "saucer"]
        );
        assert_eq!(family_words("jumbo bag red"), Vec::<String>::new());
    }
}
