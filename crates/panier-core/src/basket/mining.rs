//! Itemsets fréquents : paramètres, recodage des articles, choix du mineur,
//! limite du nombre d'itemsets, résultat.
//!
//! Avant de miner, les articles trop rares pour être fréquents sont retirés
//! et les autres recodés 0, 1, 2… du plus fréquent au moins fréquent : les
//! paniers raccourcissent et l'arbre FP est plus compact. Le résultat est
//! remis en identifiants d'articles, chaque itemset trié par nom.

use serde::{Deserialize, Serialize};

use super::pairs::count_pairs;
pub use super::pairs::PairCounts;
use super::{apriori, eclat, fpgrowth, Baskets};
use crate::error::PanierError;
use crate::progress::{NoProgress, ProgressSink, Stage};

/// Support minimal : en fraction des paniers (0,02 = 2 %) ou en nombre de
/// paniers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum MinSupport {
    /// Fraction des paniers, dans ]0, 1].
    Fraction(f64),
    /// Nombre de paniers, au moins 1.
    Count(u32),
}

impl MinSupport {
    /// Le plus petit nombre de paniers `c` tel que `c / n ≥ support` en
    /// flottants — la comparaison exacte de mlxtend.
    pub fn min_count(self, baskets: usize) -> Result<u32, PanierError> {
        match self {
            MinSupport::Count(count) if count >= 1 => Ok(count),
            MinSupport::Fraction(f) if f > 0.0 && f <= 1.0 => {
                let n = baskets as f64;
                let mut count = (f * n).ceil().max(1.0) as u64;
                while count > 1 && (count - 1) as f64 / n >= f {
                    count -= 1;
                }
                while (count as f64) / n < f {
                    count += 1;
                }
                Ok(count.min(u64::from(u32::MAX)) as u32)
            }
            other => Err(PanierError::InvalidParameter {
                name: "min_support".into(),
                value: match other {
                    MinSupport::Count(c) => c.to_string(),
                    MinSupport::Fraction(f) => f.to_string(),
                },
                expected: "0 < min_support ≤ 1 (0.02 = 2%), ≥ 1".into(),
            }),
        }
    }
}

/// Algorithme de recherche des itemsets fréquents (tous donnent les mêmes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Les mêmes mots que les options de la CLI et le fichier de réglages.
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// Le plus rapide pour ces données : Apriori tant que les paires
    /// fréquentes sont peu nombreuses (supports usuels), FP-growth au-delà
    /// (supports bas, itemsets longs).
    #[default]
    Auto,
    /// Apriori, niveau par niveau (l'algorithme du cahier des charges).
    Apriori,
    /// FP-growth, par arbres de préfixes.
    FpGrowth,
    /// Eclat, en profondeur par intersections de listes de paniers.
    Eclat,
}

impl Algorithm {
    /// Son nom usuel (« FP-growth »), pour l'affichage.
    pub fn label(self) -> &'static str {
        match self {
            Algorithm::Auto => "automatique / automatic",
            Algorithm::Apriori => "Apriori",
            Algorithm::FpGrowth => "FP-growth",
            Algorithm::Eclat => "Eclat",
        }
    }
}

/// Au-delà de ce nombre de paires fréquentes, `Auto` choisit FP-growth
/// (mesuré sur Online Retail : 1 747 paires à 0,5 %, Apriori 35 ms contre
/// 71 ms ; 62 929 paires à 0,1 %, FP-growth 0,5 s contre 2,6 s).
const AUTO_PAIRS_FOR_FP_GROWTH: usize = 5_000;

/// Plafond par défaut du nombre d'itemsets.
pub const DEFAULT_MAX_ITEMSETS: usize = 1_000_000;

/// Paramètres de la recherche.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MiningOptions {
    /// Support minimal.
    pub min_support: MinSupport,
    /// Taille maximale d'un itemset (`None` : sans limite).
    pub max_len: Option<usize>,
    /// Au-delà, la recherche s'arrête avec un message.
    pub max_itemsets: usize,
    /// Algorithme.
    pub algorithm: Algorithm,
}

impl Default for MiningOptions {
    fn default() -> Self {
        Self {
            min_support: MinSupport::Fraction(0.02),
            max_len: None,
            max_itemsets: DEFAULT_MAX_ITEMSETS,
            algorithm: Algorithm::default(),
        }
    }
}

/// Paniers recodés pour les mineurs : articles fréquents seulement, codés du
/// plus au moins fréquent, chaque panier trié par code.
pub struct Coded {
    /// Paniers recodés (les paniers sans article fréquent sont vides).
    pub transactions: Vec<Vec<u32>>,
    /// Support minimal en nombre de paniers.
    pub min_count: u32,
    /// Taille maximale d'un itemset.
    pub max_len: usize,
    /// Nombre d'articles fréquents (codes 0..items).
    pub items: usize,
}

impl Coded {
    /// Liste des paniers de chaque article codé.
    pub fn tidlists(&self) -> Vec<Vec<u32>> {
        super::tidlist::tidlists(&self.transactions, self.items)
    }

    /// Effectif de chaque paire d'articles, compté en un passage sur les
    /// paniers (voir [`super::pairs`]) : bien moins cher que d'intersecter
    /// les listes de toutes les paires, dont la plupart ne sont pas
    /// fréquentes.
    pub fn pair_counts(&self) -> PairCounts {
        count_pairs(&self.transactions, self.items)
    }
}

/// Début commun d'Apriori et d'Eclat : émet chaque article (déjà fréquent)
/// et renvoie les listes de paniers de chacun.
pub fn emit_items(coded: &Coded, emit: &mut Emit<'_>) -> Result<Vec<Vec<u32>>, Halt> {
    let tids = coded.tidlists();
    for (item, list) in tids.iter().enumerate() {
        emit.itemset(&[item as u32], list.len() as u32)?;
    }
    Ok(tids)
}

/// Émet les paires fréquentes (i, j > i) d'après leurs comptes ; s'il faut
/// aller au-delà des paires, renvoie aussi chaque `j` avec la liste des
/// paniers de (i, j).
pub fn frequent_pairs_from(
    coded: &Coded,
    pairs: &PairCounts,
    tids: &[Vec<u32>],
    i: u32,
    emit: &mut Emit<'_>,
) -> Result<Vec<(u32, Vec<u32>)>, Halt> {
    let mut extensions = Vec::new();
    let mut scratch = Vec::new();
    for (j, count) in pairs.row(i) {
        if count >= coded.min_count {
            emit.itemset(&[i, j], count)?;
            if coded.max_len > 2 {
                super::tidlist::intersect(&tids[i as usize], &tids[j as usize], &mut scratch);
                extensions.push((j, scratch.clone()));
            }
        }
    }
    Ok(extensions)
}

/// Partenaires fréquents de chaque article codé : les `j > i` tels que la
/// paire `(i, j)` est fréquente, croissants. Un candidat qui contient deux
/// articles dont la paire n'est pas fréquente ne peut pas l'être : Apriori
/// et Eclat ne forment donc que des candidats pris dans ces listes (mémoire
/// et travail proportionnels aux paires fréquentes, jamais au carré d'un
/// groupe d'extensions).
pub fn frequent_partners(coded: &Coded, pairs: &PairCounts) -> Vec<Vec<u32>> {
    (0..coded.items as u32)
        .map(|i| {
            pairs
                .row(i)
                .filter(|&(_, count)| count >= coded.min_count)
                .map(|(j, _)| j)
                .collect()
        })
        .collect()
}

/// Pourquoi un mineur s'arrête avant la fin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Halt {
    /// Le plafond d'itemsets est atteint.
    Cap,
    /// Le puits d'avancement a demandé d'arrêter (annulation).
    Cancelled,
}

/// Itemsets émis (recherche) ou parcourus (génération des règles) entre
/// deux questions au puits d'avancement (« faut-il continuer ? ») : à 0,1 %
/// sur Online Retail, quelques millisecondes de calcul.
pub const ITEMSETS_PER_CHECK: usize = 4_096;

/// Collecte des itemsets émis par un mineur, jusqu'au plafond, en demandant
/// régulièrement au puits d'avancement s'il faut continuer.
pub struct Emit<'a> {
    found: &'a mut Vec<(Vec<u32>, u32)>,
    cap: usize,
    sink: &'a mut dyn ProgressSink,
    /// Candidats examinés (intersections de listes) depuis la dernière
    /// question au puits.
    examined: usize,
}

impl Emit<'_> {
    /// Enregistre un itemset (codes) et son effectif ; `Err` au plafond ou
    /// si le puits demande d'arrêter.
    pub fn itemset(&mut self, codes: &[u32], count: u32) -> Result<(), Halt> {
        if self.found.len() >= self.cap {
            return Err(Halt::Cap);
        }
        self.found.push((codes.to_vec(), count));
        if self.found.len().is_multiple_of(ITEMSETS_PER_CHECK)
            && !self.sink.keep_going(Stage::Baskets)
        {
            return Err(Halt::Cancelled);
        }
        Ok(())
    }

    /// Compte un candidat examiné (fréquent ou non) et, tous les
    /// [`ITEMSETS_PER_CHECK`], demande au puits s'il faut continuer : une
    /// recherche qui examine beaucoup de candidats sans en trouver reste
    /// annulable.
    pub fn examined(&mut self) -> Result<(), Halt> {
        self.examined += 1;
        if self.examined >= ITEMSETS_PER_CHECK {
            self.examined = 0;
            if !self.sink.keep_going(Stage::Baskets) {
                return Err(Halt::Cancelled);
            }
        }
        Ok(())
    }
}

/// Un itemset fréquent : ses articles (triés par nom) et le nombre de
/// paniers qui les contiennent tous.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Itemset {
    /// Identifiants d'articles (voir [`FrequentItemsets::items`]), triés par nom.
    pub items: Vec<u32>,
    /// Paniers qui contiennent l'itemset.
    pub count: u32,
}

/// Les itemsets fréquents d'un jeu de paniers (dans l'ordre où le mineur
/// les trouve ; [`FrequentItemsets::reference_order`] donne celui de la
/// référence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrequentItemsets {
    /// Nombre de paniers (dénominateur du support).
    pub baskets: u32,
    /// Support minimal appliqué, en nombre de paniers.
    pub min_count: u32,
    /// Nom de chaque article.
    pub items: Vec<String>,
    /// Les itemsets.
    pub itemsets: Vec<Itemset>,
    /// L'algorithme effectivement employé.
    pub algorithm: Algorithm,
}

impl FrequentItemsets {
    /// Support d'un effectif : effectif ÷ paniers (la division de mlxtend).
    pub fn support(&self, count: u32) -> f64 {
        f64::from(count) / f64::from(self.baskets)
    }

    /// Noms des articles d'une liste d'identifiants.
    pub fn names<'a>(&'a self, items: &'a [u32]) -> impl Iterator<Item = &'a str> + 'a {
        items.iter().map(|&i| self.items[i as usize].as_str())
    }

    /// Indices des itemsets dans l'ordre de la référence : taille
    /// croissante, support décroissant, puis clé JSON.
    pub fn reference_order(&self) -> Vec<usize> {
        let keys: Vec<String> = self
            .itemsets
            .iter()
            .map(|s| itemset_key(self.names(&s.items)))
            .collect();
        let mut order: Vec<usize> = (0..self.itemsets.len()).collect();
        crate::kernels::sort_by(&mut order, |&a, &b| {
            let (x, y) = (&self.itemsets[a], &self.itemsets[b]);
            x.items
                .len()
                .cmp(&y.items.len())
                .then(y.count.cmp(&x.count))
                .then_with(|| keys[a].cmp(&keys[b]))
        });
        order
    }

    /// Nombre d'itemsets de chaque taille (indice 0 : taille 1).
    pub fn count_by_length(&self) -> Vec<usize> {
        let longest = self
            .itemsets
            .iter()
            .map(|s| s.items.len())
            .max()
            .unwrap_or(0);
        let mut counts = vec![0; longest];
        for itemset in &self.itemsets {
            counts[itemset.items.len() - 1] += 1;
        }
        counts
    }
}

/// Clé d'un itemset comme la référence l'écrit : tableau JSON des noms triés,
/// `["a", "b"]` (séparateur « , », caractères non ASCII laissés tels quels).
pub fn itemset_key<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = names
        .map(|name| serde_json::to_string(name).unwrap_or_default())
        .collect();
    format!("[{}]", quoted.join(", "))
}

/// Cherche les itemsets fréquents des paniers.
pub fn mine(baskets: &Baskets, options: &MiningOptions) -> Result<FrequentItemsets, PanierError> {
    mine_with(baskets, options, &mut NoProgress)
}

/// Cherche les itemsets fréquents des paniers, en demandant régulièrement à
/// `sink` s'il faut continuer (`Err(Cancelled)` sinon).
pub fn mine_with(
    baskets: &Baskets,
    options: &MiningOptions,
    sink: &mut dyn ProgressSink,
) -> Result<FrequentItemsets, PanierError> {
    if baskets.is_empty() {
        return Err(PanierError::NoBaskets);
    }
    let min_count = options.min_support.min_count(baskets.len())?;
    let max_len = options.max_len.unwrap_or(usize::MAX);
    if max_len == 0 {
        return Err(PanierError::InvalidParameter {
            name: "max_len".into(),
            value: "0".into(),
            expected: "≥ 1".into(),
        });
    }
    // Articles fréquents, du plus au moins fréquent (à égalité, par nom).
    let mut counts = vec![0u32; baskets.items.len()];
    for basket in &baskets.transactions {
        for &item in basket {
            counts[item as usize] += 1;
        }
    }
    let mut frequent: Vec<u32> = (0..baskets.items.len() as u32)
        .filter(|&i| counts[i as usize] >= min_count)
        .collect();
    frequent.sort_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| baskets.items[a as usize].cmp(&baskets.items[b as usize]))
    });
    let mut code_of = vec![u32::MAX; baskets.items.len()];
    for (code, &item) in frequent.iter().enumerate() {
        code_of[item as usize] = code as u32;
    }
    let coded = Coded {
        transactions: baskets
            .transactions
            .iter()
            .map(|basket| {
                let mut codes: Vec<u32> = basket
                    .iter()
                    .map(|&i| code_of[i as usize])
                    .filter(|&c| c != u32::MAX)
                    .collect();
                codes.sort_unstable();
                codes
            })
            .collect(),
        min_count,
        max_len,
        items: frequent.len(),
    };
    let mut found = Vec::new();
    let pairs =
        (options.algorithm != Algorithm::FpGrowth && max_len >= 2).then(|| coded.pair_counts());
    if let Some(pairs) = &pairs {
        // Articles et paires fréquents se comptent avant toute recherche :
        // s'ils dépassent déjà le plafond, rien n'est alloué pour eux, et le
        // support le plus bas qui tiendrait est calculé.
        let known = coded.items + pairs.frequent(min_count);
        if known > options.max_itemsets {
            return Err(PanierError::TooManyItemsets {
                cap: options.max_itemsets as u64,
                min_count: u64::from(min_count),
                floor: support_floor(&counts, &frequent, pairs, options.max_itemsets)
                    .map(|count| f64::from(count) / baskets.len() as f64),
            });
        }
    }
    let mut emit = Emit {
        found: &mut found,
        cap: options.max_itemsets,
        sink,
        examined: 0,
    };
    let algorithm = match (options.algorithm, &pairs) {
        (Algorithm::Auto, Some(pairs)) if pairs.frequent(min_count) > AUTO_PAIRS_FOR_FP_GROWTH => {
            Algorithm::FpGrowth
        }
        (Algorithm::Auto, _) => Algorithm::Apriori,
        (chosen, _) => chosen,
    };
    let outcome = match algorithm {
        Algorithm::Apriori | Algorithm::Auto => apriori::mine(&coded, pairs.as_ref(), &mut emit),
        Algorithm::FpGrowth => fpgrowth::mine(&coded, &mut emit),
        Algorithm::Eclat => eclat::mine(&coded, pairs.as_ref(), &mut emit),
    };
    match outcome {
        Ok(()) => {}
        Err(Halt::Cancelled) => return Err(PanierError::Cancelled),
        Err(Halt::Cap) => {
            return Err(PanierError::TooManyItemsets {
                cap: options.max_itemsets as u64,
                min_count: u64::from(min_count),
                floor: None,
            })
        }
    }

    // Codes → identifiants d'articles, triés par nom.
    let mut rank = vec![0u32; baskets.items.len()];
    let mut by_name: Vec<u32> = (0..baskets.items.len() as u32).collect();
    crate::kernels::sort_by(&mut by_name, |&a, &b| {
        baskets.items[a as usize].cmp(&baskets.items[b as usize])
    });
    for (r, &item) in by_name.iter().enumerate() {
        rank[item as usize] = r as u32;
    }
    let itemsets: Vec<Itemset> = found
        .into_iter()
        .map(|(codes, count)| {
            let mut items: Vec<u32> = codes.iter().map(|&c| frequent[c as usize]).collect();
            items.sort_unstable_by_key(|&i| rank[i as usize]);
            Itemset { items, count }
        })
        .collect();
    Ok(FrequentItemsets {
        baskets: baskets.len() as u32,
        min_count,
        items: baskets.items.clone(),
        itemsets,
        algorithm,
    })
}

/// Plus petit effectif `c` tel que les articles et les paires d'effectif au
/// moins `c` tiennent dans `cap` itemsets : un plancher du support (les
/// itemsets plus longs peuvent demander davantage). `counts` : effectif de
/// chaque article ; `frequent` : l'article de chaque code ; `pairs` : paires
/// des articles codés. Histogramme de taille « nombre de paniers » au plus :
/// mémoire proportionnelle aux données.
fn support_floor(counts: &[u32], frequent: &[u32], pairs: &PairCounts, cap: usize) -> Option<u32> {
    let top = counts.iter().copied().max().unwrap_or(0) as usize;
    let mut at = vec![0usize; top + 2];
    for &item in frequent {
        at[counts[item as usize] as usize] += 1;
    }
    for a in 0..frequent.len() as u32 {
        for (_, count) in pairs.row(a) {
            if count > 0 {
                at[(count as usize).min(top + 1)] += 1;
            }
        }
    }
    // Du plus grand effectif au plus petit : le dernier qui tient encore.
    let mut total = 0usize;
    let mut floor = None;
    for count in (1..at.len()).rev() {
        total += at[count];
        if total > cap {
            break;
        }
        floor = Some(count as u32);
    }
    floor.map(|count| count.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::StopAt;
    use proptest::prelude::*;

    /// Énumération exhaustive : chaque sous-ensemble des articles, compté
    /// sur chaque panier.
    fn brute_force(baskets: &Baskets, min_count: u32, max_len: usize) -> Vec<(Vec<String>, u32)> {
        let n = baskets.items.len();
        let mut found = Vec::new();
        for mask in 1u32..(1 << n) {
            let members: Vec<u32> = (0..n as u32).filter(|i| mask & (1 << i) != 0).collect();
            if members.len() > max_len {
                continue;
            }
            let count = baskets
                .transactions
                .iter()
                .filter(|t| members.iter().all(|m| t.contains(m)))
                .count() as u32;
            if count >= min_count {
                let mut names: Vec<String> = members
                    .iter()
                    .map(|&m| baskets.items[m as usize].clone())
                    .collect();
                names.sort();
                found.push((names, count));
            }
        }
        found.sort();
        found
    }

    fn as_names(result: &FrequentItemsets) -> Vec<(Vec<String>, u32)> {
        let mut found: Vec<(Vec<String>, u32)> = result
            .itemsets
            .iter()
            .map(|s| (result.names(&s.items).map(String::from).collect(), s.count))
            .collect();
        found.sort();
        found
    }

    const ALGORITHMS: [Algorithm; 4] = [
        Algorithm::Auto,
        Algorithm::Apriori,
        Algorithm::FpGrowth,
        Algorithm::Eclat,
    ];

    #[test]
    fn a_textbook_example() {
        let baskets = Baskets::from_names(&[
            vec!["bread", "milk"],
            vec!["bread", "diaper", "beer", "eggs"],
            vec!["milk", "diaper", "beer", "cola"],
            vec!["bread", "milk", "diaper", "beer"],
            vec!["bread", "milk", "diaper", "cola"],
        ]);
        for algorithm in ALGORITHMS {
            let options = MiningOptions {
                min_support: MinSupport::Fraction(0.6),
                algorithm,
                ..Default::default()
            };
            let result = mine(&baskets, &options).unwrap();
            assert_eq!(result.min_count, 3);
            assert_eq!(
                as_names(&result),
                brute_force(&baskets, 3, 9),
                "{algorithm:?}"
            );
            // Ordre de la référence : taille, support décroissant, nom.
            let first = &result.itemsets[result.reference_order()[0]];
            let first: Vec<&str> = result.names(&first.items).collect();
            assert_eq!(first, ["bread"]);
            assert_eq!(result.count_by_length(), vec![4, 4]);
        }
    }

    #[test]
    fn min_count_is_the_exact_float_threshold() {
        // 0.07 × 100 = 7.000000000000001 en flottant : 7/100 = 0.07 passe quand même.
        assert_eq!(MinSupport::Fraction(0.07).min_count(100).unwrap(), 7);
        assert_eq!(MinSupport::Fraction(0.02).min_count(18_532).unwrap(), 371);
        assert_eq!(MinSupport::Fraction(1.0).min_count(10).unwrap(), 10);
        assert!(MinSupport::Fraction(0.0).min_count(10).is_err());
        assert!(MinSupport::Fraction(1.5).min_count(10).is_err());
        assert_eq!(MinSupport::Count(5).min_count(10).unwrap(), 5);
    }

    #[test]
    fn every_miner_stops_when_the_sink_says_so() {
        // 16 articles dans chaque panier : 65 535 itemsets fréquents, soit
        // au moins 15 questions au puits si rien ne l'arrête.
        let items: Vec<String> = (0..16).map(|i| format!("article {i:02}")).collect();
        let baskets = Baskets::from_names(&vec![items; 3]);
        for algorithm in ALGORITHMS {
            let options = MiningOptions {
                min_support: MinSupport::Count(1),
                algorithm,
                ..Default::default()
            };
            let mut sink = StopAt {
                stop_at: usize::MAX,
                asked: 0,
            };
            let all = mine_with(&baskets, &options, &mut sink).expect("itemsets");
            assert_eq!(all.itemsets.len(), 65_535);
            // Une question par tranche d'itemsets trouvés, plus (Apriori,
            // Eclat) une par tranche de candidats examinés.
            assert!(
                sink.asked >= 65_535 / ITEMSETS_PER_CHECK
                    && sink.asked <= 2 * 65_535 / ITEMSETS_PER_CHECK + 1,
                "{algorithm:?}: {}",
                sink.asked
            );
            // Arrêt à la deuxième question : le mineur rend la main aussitôt,
            // sans résultat.
            let mut sink = StopAt {
                stop_at: 2,
                asked: 0,
            };
            assert_eq!(
                mine_with(&baskets, &options, &mut sink).map(|m| m.itemsets.len()),
                Err(PanierError::Cancelled),
                "{algorithm:?}"
            );
            assert_eq!(sink.asked, 2, "{algorithm:?}");
        }
    }

    #[test]
    fn the_cap_stops_mining_with_a_message() {
        let baskets = Baskets::from_names(&vec![vec!["a", "b", "c", "d"]; 3]);
        for algorithm in ALGORITHMS {
            let options = MiningOptions {
                min_support: MinSupport::Count(1),
                max_itemsets: 5,
                algorithm,
                ..Default::default()
            };
            assert!(matches!(
                mine(&baskets, &options),
                Err(PanierError::TooManyItemsets { cap: 5, .. })
            ));
        }
    }

    #[test]
    fn too_many_pairs_are_refused_before_mining_with_the_lowest_support_that_fits() {
        // 60 paniers de deux articles tous différents (60 paires d'effectif
        // 1), plus 4 paniers {x, y} : à l'effectif 1, 122 articles et 61
        // paires ; à l'effectif 2, seuls x, y et {x, y}.
        let mut names: Vec<Vec<String>> = (0..60)
            .map(|i| vec![format!("a{i}"), format!("b{i}")])
            .collect();
        names.extend((0..4).map(|_| vec!["x".to_string(), "y".to_string()]));
        let baskets = Baskets::from_names(&names);
        for algorithm in [Algorithm::Auto, Algorithm::Apriori, Algorithm::Eclat] {
            let options = MiningOptions {
                min_support: MinSupport::Count(1),
                max_itemsets: 100,
                algorithm,
                ..Default::default()
            };
            match mine(&baskets, &options) {
                Err(PanierError::TooManyItemsets {
                    cap: 100,
                    min_count: 1,
                    floor: Some(floor),
                }) => assert_eq!(floor, 2.0 / 64.0),
                other => panic!("{algorithm:?}: {other:?}"),
            }
            // Au plancher annoncé, la recherche passe.
            let options = MiningOptions {
                min_support: MinSupport::Count(2),
                ..options
            };
            assert_eq!(mine(&baskets, &options).unwrap().itemsets.len(), 3);
        }
    }

    #[test]
    fn item_keys_are_written_like_python_json() {
        assert_eq!(itemset_key(["a", "b"].into_iter()), r#"["a", "b"]"#);
        assert_eq!(
            itemset_key(["crème \"brûlée\""].into_iter()),
            r#"["crème \"brûlée\""]"#
        );
    }

    proptest! {
        /// Sur de petites bases aléatoires, chaque mineur trouve exactement
        /// les itemsets de l'énumération exhaustive, avec les mêmes effectifs.
        #[test]
        fn every_miner_equals_brute_force(
            raw in prop::collection::vec(prop::collection::vec(0u8..9, 0..7), 1..40),
            min_count in 1u32..6,
            max_len in 1usize..6,
        ) {
            let names: Vec<Vec<String>> = raw
                .iter()
                .map(|b| b.iter().map(|i| format!("item {i}")).collect())
                .collect();
            let baskets = Baskets::from_names(&names);
            let expected = brute_force(&baskets, min_count, max_len);
            for algorithm in ALGORITHMS {
                let options = MiningOptions {
                    min_support: MinSupport::Count(min_count),
                    max_len: Some(max_len),
                    algorithm,
                    ..Default::default()
                };
                let result = mine(&baskets, &options).unwrap();
                prop_assert_eq!(as_names(&result), expected.clone(), "{:?}", algorithm);
            }
        }
    }
}
