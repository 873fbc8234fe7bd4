//! Segmentation RFM : Récence, Fréquence, Montant, par client.
//!
//! Pour chaque client, à une date d'observation (par défaut le lendemain du
//! dernier achat, comme la référence) :
//!
//! - **Récence** : jours entiers écoulés depuis son dernier achat (arrondi
//!   à l'entier inférieur, comme `Timedelta.days`) ;
//! - **Fréquence** : nombre de factures distinctes ;
//! - **Montant** : somme des montants de ligne, additionnés dans l'ordre des
//!   lignes avec la compensation de Kahan de `groupby().sum()` de pandas —
//!   un client pile sur une borne de quintile garde ainsi le même score.
//!
//! Puis trois scores de 1 à `k` par quantiles ([`quantile`], la sémantique
//! de `pandas.qcut`), la fréquence étant d'abord remplacée par son rang
//! « first » (égalités départagées par identifiant client croissant), et un
//! segment lu dans une grille R × FM ([`segments`]).
//!
//! Une date d'observation antérieure au dernier achat donne la photo « à
//! cette date » : seuls les achats strictement antérieurs comptent. C'est ce
//! qui permet de comparer deux dates ([`movement`]).

pub mod movement;
pub mod quantile;
pub mod segments;
pub mod stats;

use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::error::PanierError;
use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::table::MISSING;

use quantile::{rank_first, scores, Quantiles};
use segments::fm_score;

/// Secondes dans un jour.
pub const DAY_SECONDS: i64 = 86_400;

/// Paramètres de la segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmOptions {
    /// Nombre de niveaux de score : 3, 4 ou 5 (5 par défaut, comme la référence).
    pub levels: u8,
    /// Date d'observation (secondes depuis 1970, UTC) ; par défaut le dernier
    /// achat + 1 jour.
    pub snapshot: Option<i64>,
}

impl Default for RfmOptions {
    fn default() -> Self {
        Self {
            levels: 5,
            snapshot: None,
        }
    }
}

impl RfmOptions {
    /// Refuse un nombre de niveaux hors de 3 à 5.
    pub fn validate(&self) -> Result<(), PanierError> {
        if !(3..=5).contains(&self.levels) {
            return Err(PanierError::InvalidParameter {
                name: "levels".into(),
                value: self.levels.to_string(),
                expected: "3, 4, 5".into(),
            });
        }
        Ok(())
    }
}

/// Un client, ses trois mesures et ses trois scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRfm {
    /// Identifiant du client, tel que normalisé à l'import (« 12346 »).
    pub customer: String,
    /// Jours entiers depuis le dernier achat.
    pub recency: i64,
    /// Factures distinctes.
    pub frequency: u32,
    /// Somme des montants de ligne.
    pub monetary: f64,
    /// Score de récence (le plus récent : `levels`).
    pub r: u8,
    /// Score de fréquence.
    pub f: u8,
    /// Score de montant.
    pub m: u8,
    /// Premier achat (secondes depuis 1970).
    pub first_purchase: i64,
    /// Dernier achat.
    pub last_purchase: i64,
    /// Unités achetées.
    pub units: f64,
    /// Produits distincts achetés.
    pub products: u32,
}

impl CustomerRfm {
    /// Les trois chiffres accolés, « 555 ».
    pub fn rfm_score(&self) -> String {
        format!("{}{}{}", self.r, self.f, self.m)
    }

    /// R + F + M.
    pub fn rfm_sum(&self) -> u8 {
        self.r + self.f + self.m
    }

    /// (F + M + 1) div 2.
    pub fn fm(&self) -> u8 {
        fm_score(self.f, self.m)
    }

    /// Panier moyen : montant ÷ factures.
    pub fn average_order_value(&self) -> f64 {
        self.monetary / f64::from(self.frequency.max(1))
    }
}

/// La segmentation d'un jeu de transactions à une date d'observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmTable {
    /// Date d'observation (secondes depuis 1970).
    pub snapshot: i64,
    /// Date d'observation par défaut : le lendemain du dernier achat, à la
    /// même heure (celle de la référence). La page y revient quand on
    /// efface la date ou qu'on choisit ce jour-là.
    pub default_snapshot: i64,
    /// Nombre de niveaux de score.
    pub levels: u8,
    /// Clients par identifiant croissant (numérique quand tous le sont).
    pub customers: Vec<CustomerRfm>,
    /// Bornes des classes de récence (en jours).
    pub recency_edges: Quantiles,
    /// Bornes des classes de rang de fréquence.
    pub frequency_edges: Quantiles,
    /// Bornes des classes de montant.
    pub monetary_edges: Quantiles,
    /// Lignes sans date lisible, laissées hors de la segmentation.
    pub rows_without_date: u64,
}

impl RfmTable {
    /// Les clients de chaque segment de `grid` (identifiants, dans l'ordre de
    /// la table) : ce qu'une page hôte lit d'une segmentation.
    pub fn customers_by_segment(
        &self,
        grid: &segments::SegmentGrid,
    ) -> std::collections::BTreeMap<String, Vec<String>> {
        let mut members = std::collections::BTreeMap::<String, Vec<String>>::new();
        for customer in &self.customers {
            members
                .entry(
                    grid.segment_of(customer.r, customer.f, customer.m)
                        .to_string(),
                )
                .or_default()
                .push(customer.customer.clone());
        }
        members
    }

    /// Date d'observation lisible.
    pub fn snapshot_text(&self) -> String {
        format_timestamp(self.snapshot)
    }
}

/// Ce que chaque client a accumulé, avant les scores.
struct Accumulated {
    first: i64,
    last: i64,
    frequency: u32,
    monetary: f64,
    compensation: f64,
    units: f64,
    products: u32,
}

/// Calcule la segmentation RFM de la table nettoyée.
pub fn compute_rfm(clean: &CleanTable, options: &RfmOptions) -> Result<RfmTable, PanierError> {
    options.validate()?;
    let table = &clean.table;
    let missing: Vec<String> = [Role::Customer, Role::InvoiceDate, Role::UnitPrice]
        .into_iter()
        .filter(|role| !table.has(*role))
        .map(|role| role.canonical_name().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(PanierError::RfmUnavailable { missing });
    }
    let dates = &table.invoice_date;
    let rows_without_date = dates.iter().filter(|&&date| date == NO_DATE).count() as u64;
    let (Some(first_date), Some(last_date)) = (
        dates.iter().filter(|&&d| d != NO_DATE).min().copied(),
        dates.iter().filter(|&&d| d != NO_DATE).max().copied(),
    ) else {
        return Err(PanierError::RfmUnavailable {
            missing: vec![Role::InvoiceDate.canonical_name().to_string()],
        });
    };
    let default_snapshot = last_date + DAY_SECONDS;
    let snapshot = options.snapshot.unwrap_or(default_snapshot);
    if snapshot <= first_date {
        return Err(PanierError::SnapshotBeforeData {
            snapshot: format_timestamp(snapshot),
            first_purchase: format_timestamp(first_date),
        });
    }
    let counted = |row: usize| {
        let date = dates[row];
        date != NO_DATE && date < snapshot && table.customer[row] != MISSING
    };

    // Les lignes de chaque client, dans l'ordre d'origine (tri par dénombrement,
    // stable) : une passe par client suffit ensuite pour les factures et
    // produits distincts, et la somme suit l'ordre de pandas.
    let customer_count = table.customers.len();
    let mut starts = vec![0usize; customer_count + 1];
    for row in (0..table.len()).filter(|&row| counted(row)) {
        starts[table.customer[row] as usize + 1] += 1;
    }
    for i in 0..customer_count {
        starts[i + 1] += starts[i];
    }
    let mut cursor = starts.clone();
    let mut rows_by_customer = vec![0u32; starts[customer_count]];
    for row in (0..table.len()).filter(|&row| counted(row)) {
        let customer = table.customer[row] as usize;
        rows_by_customer[cursor[customer]] = row as u32;
        cursor[customer] += 1;
    }

    // Marques « déjà vu pour ce client » : pas de remise à zéro entre clients.
    let mut invoice_seen = vec![u32::MAX; table.invoices.len()];
    let no_invoice = table.invoices.id_of("");
    let mut product_seen = vec![u32::MAX; table.descriptions.len().max(1)];
    let has_description = table.has(Role::Description);
    let mut accumulated: Vec<(u32, Accumulated)> = Vec::new();
    for customer in 0..customer_count {
        let rows = &rows_by_customer[starts[customer]..starts[customer + 1]];
        if rows.is_empty() {
            continue;
        }
        let stamp = customer as u32;
        let mut total = Accumulated {
            first: i64::MAX,
            last: i64::MIN,
            frequency: 0,
            monetary: 0.0,
            compensation: 0.0,
            units: 0.0,
            products: 0,
        };
        for &row in rows {
            let row = row as usize;
            total.first = total.first.min(dates[row]);
            total.last = total.last.max(dates[row]);
            let invoice = table.invoice[row] as usize;
            // Une ligne sans numéro de facture compte dans le montant, pas
            // dans la fréquence (`nunique` de pandas ignore les absents).
            if Some(invoice as u32) != no_invoice && invoice_seen[invoice] != stamp {
                invoice_seen[invoice] = stamp;
                total.frequency += 1;
            }
            if has_description {
                let product = table.description[row] as usize;
                if product_seen[product] != stamp {
                    product_seen[product] = stamp;
                    total.products += 1;
                }
            }
            kahan_add(
                &mut total.monetary,
                &mut total.compensation,
                clean.total_price[row],
            );
            total.units += table.quantity[row];
        }
        accumulated.push((customer as u32, total));
    }
    if accumulated.is_empty() {
        return Err(PanierError::SnapshotBeforeData {
            snapshot: format_timestamp(snapshot),
            first_purchase: format_timestamp(first_date),
        });
    }

    // Ordre de pandas : `groupby` trie les identifiants.
    let numeric: Option<Vec<f64>> = accumulated
        .iter()
        .map(|(id, _)| table.customers.value(*id).parse::<f64>().ok())
        .collect();
    let mut order: Vec<usize> = (0..accumulated.len()).collect();
    match &numeric {
        Some(keys) => order.sort_by(|&a, &b| keys[a].total_cmp(&keys[b])),
        None => order.sort_by(|&a, &b| {
            table
                .customers
                .value(accumulated[a].0)
                .cmp(table.customers.value(accumulated[b].0))
        }),
    }
    let accumulated: Vec<(u32, Accumulated)> = {
        let mut slots: Vec<Option<(u32, Accumulated)>> =
            accumulated.into_iter().map(Some).collect();
        order
            .into_iter()
            .filter_map(|index| slots[index].take())
            .collect()
    };

    let levels = usize::from(options.levels);
    let recency: Vec<f64> = accumulated
        .iter()
        .map(|(_, a)| whole_days(snapshot - a.last) as f64)
        .collect();
    let frequency: Vec<f64> = accumulated
        .iter()
        .map(|(_, a)| f64::from(a.frequency))
        .collect();
    let monetary: Vec<f64> = accumulated.iter().map(|(_, a)| a.monetary).collect();
    let (r_scores, recency_edges) = scores(&recency, levels, true);
    let (f_scores, frequency_edges) = scores(&rank_first(&frequency), levels, false);
    let (m_scores, monetary_edges) = scores(&monetary, levels, false);

    let customers = accumulated
        .into_iter()
        .enumerate()
        .map(|(i, (id, a))| CustomerRfm {
            customer: table.customers.value(id).to_string(),
            recency: recency[i] as i64,
            frequency: a.frequency,
            monetary: a.monetary,
            r: r_scores[i],
            f: f_scores[i],
            m: m_scores[i],
            first_purchase: a.first,
            last_purchase: a.last,
            units: a.units,
            products: a.products,
        })
        .collect();
    Ok(RfmTable {
        snapshot,
        default_snapshot,
        levels: options.levels,
        customers,
        recency_edges,
        frequency_edges,
        monetary_edges,
        rows_without_date,
    })
}

/// Lit une date d'observation saisie : `AAAA-MM-JJ` (minuit) ou
/// `AAAA-MM-JJ HH:MM[:SS]`. Une date illisible est une erreur sur le
/// paramètre `snapshot` ; pour une autre date (début ou fin de période),
/// [`parse_date`] nomme le bon paramètre.
pub fn parse_snapshot(text: &str) -> Result<i64, PanierError> {
    parse_date(text, "snapshot")
}

/// Lit une date saisie pour le paramètre `name` (`snapshot`, `period_from`,
/// `period_to`…) : `AAAA-MM-JJ` (minuit) ou `AAAA-MM-JJ HH:MM[:SS]`, en
/// secondes depuis 1970 (UTC). Une date illisible ou qui n'existe pas
/// (2011-02-30) est refusée, l'erreur nommant `name`.
pub fn parse_date(text: &str, name: &str) -> Result<i64, PanierError> {
    let text = text.trim();
    typed_date(text).ok_or_else(|| PanierError::InvalidParameter {
        name: name.into(),
        value: text.to_string(),
        expected: "2011-12-10, 2011-12-10 12:50".into(),
    })
}

/// Les formes admises d'une date saisie : `AAAA-MM-JJ`, suivie ou non de
/// ` HH:MM`, ` HH:MM:SS` ou `THH:MM` (mois, jour et heures sur un ou deux
/// chiffres). `None` pour toute autre forme, ou une date qui n'existe pas.
fn typed_date(text: &str) -> Option<i64> {
    /// Un nombre de `min` à `max` chiffres au début de `rest`, et la suite.
    fn number(rest: &str, min: usize, max: usize) -> Option<(u32, &str)> {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits < min || digits > max {
            return None;
        }
        Some((rest[..digits].parse().ok()?, &rest[digits..]))
    }
    // Un « + » devant l'année est admis (comme le faisait chrono).
    let (year, rest) = number(text.strip_prefix('+').unwrap_or(text), 4, 4)?;
    let (month, rest) = number(rest.strip_prefix('-')?, 1, 2)?;
    let (day, rest) = number(rest.strip_prefix('-')?, 1, 2)?;
    let (hour, minute, second) = if rest.is_empty() {
        (0, 0, 0)
    } else {
        let (with_seconds, rest) = match rest.strip_prefix('T') {
            Some(rest) => (false, rest),
            None => (true, rest.strip_prefix(' ')?.trim_start()),
        };
        let (hour, rest) = number(rest, 1, 2)?;
        let (minute, rest) = number(rest.strip_prefix(':')?, 1, 2)?;
        let (second, rest) = match rest.strip_prefix(':') {
            Some(rest) if with_seconds => number(rest, 1, 2)?,
            _ => (0, rest),
        };
        if !rest.is_empty() {
            return None;
        }
        // « :60 », une seconde intercalaire, compte comme la dernière
        // seconde de la minute.
        (hour, minute, if second == 60 { 59 } else { second })
    };
    crate::ingest::dates::timestamp(year, month, day, hour, minute, second)
}

/// Jours entiers d'une durée positive, arrondis à l'entier inférieur.
fn whole_days(seconds: i64) -> i64 {
    seconds.div_euclid(DAY_SECONDS)
}

/// Une addition compensée, exactement celle de `group_sum` de pandas.
fn kahan_add(sum: &mut f64, compensation: &mut f64, value: f64) {
    let y = value - *compensation;
    let t = *sum + y;
    *compensation = t - *sum - y;
    if compensation.is_nan() {
        *compensation = 0.0;
    }
    *sum = t;
}

#[cfg(test)]
mod tests;
