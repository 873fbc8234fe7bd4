//! Valeur client prédite : qui est encore là, combien d'achats, pour
//! combien ?
//!
//! La segmentation RFM ([`crate::rfm`]) décrit le passé ; ce module prévoit
//! l'avenir de chaque client avec les deux modèles de référence du domaine :
//!
//! - [`bgnbd`] — BG/NBD (Fader, Hardie & Lee 2005) : nombre d'achats
//!   attendus et probabilité d'être encore actif ;
//! - [`gamma_gamma`] — Gamma-Gamma (Fader & Hardie 2013) : dépense attendue
//!   par achat ;
//! - la valeur client (CLV) sur un horizon, actualisée au mois ;
//! - [`validation`] — et surtout, ce que ces prévisions auraient valu sur
//!   l'historique de l'utilisateur (apprendre sur 80 % des jours, prévoir
//!   les 20 % suivants, comparer à deux références naïves).
//!
//! ## Des transactions aux profils
//!
//! Une transaction = un client **et un jour calendaire** : plusieurs achats
//! le même jour n'en font qu'un, de montant leur somme (la convention des
//! articles de référence et de `lifetimes`, qui rend le CDNOW publié). Le
//! temps est compté en semaines (jours ÷ 7). À la fin de calibration E
//! (jour compris), chaque client ayant acheté au plus tard ce jour-là est
//! résumé par :
//!
//! - x, la **fréquence** : ses jours d'achat après le premier ;
//! - tₓ, la **récence** : (dernier jour d'achat − premier) ÷ 7 ;
//! - T, l'**ancienneté** : (E − premier jour d'achat) ÷ 7 ;
//! - m̄, le **montant** : moyenne de ses achats répétés (le premier écarté),
//!   0 sans achat répété.
//!
//! Ces conventions redonnent à 3 décimales les paramètres publiés sur
//! CDNOW avec E = 1997-09-30 (T = 38,86 semaines pour un client du
//! 1ᵉʳ janvier, comme le fichier résumé de Hardie) : voir
//! `tests/parity_clv.rs`. Une condition de plus pour les 2 357 clients et la
//! log-vraisemblance −9 582,4 : les achats à 0 $ (8 clients n'ont que
//! celui-là) comptent comme des visites, alors que le nettoyage les retire
//! des ventes ([`crate::clean::CleanTable::free_visits`]) ; sans eux,
//! 2 349 clients et −9 578,2.
//!
//! ## Depuis l'application
//!
//! [`crate::session::Session::clv`] rend (et garde) un [`ClvResult`] pour
//! des [`ClvOptions`] ; [`crate::session::Session::clv_segments`] le résume
//! par segment RFM ; [`crate::session::Session::write_clv`] écrit
//! `clv.csv`. Une [`PanierError`] dit pourquoi la valeur client manque, sans
//! rien changer au reste de la session.
//!
//! ## Valeur client
//!
//! La méthode de `customer_lifetime_value` de `lifetimes` : pour chaque mois
//! i de l'horizon (un mois = 365,25/12 jours), les achats attendus dans ce
//! mois, E[X(tᵢ)] − E[X(tᵢ₋₁)], fois la dépense attendue par achat, actualisés
//! par (1 + d)^i. Par défaut 12 mois et d = 1 % par mois (≈ 12,7 % par an,
//! l'ordre de grandeur du coût du capital d'une petite entreprise et la
//! valeur par défaut de `lifetimes`).
//!
//! Tout se calcule sans panique ni récursion : paramètres hors domaine,
//! données trop pauvres ou ajustement qui ne converge pas donnent une
//! [`PanierError`] qui dit quoi faire, et le reste de l'analyse n'en est pas
//! affecté.

pub mod bgnbd;
pub mod gamma_gamma;
pub mod optimize;
pub mod special;
pub mod validation;

use serde::{Deserialize, Serialize};

use crate::clean::CleanTable;
use crate::error::PanierError;
use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::rfm::segments::SegmentGrid;
use crate::rfm::{RfmTable, DAY_SECONDS};
use crate::table::MISSING;

use bgnbd::{BgNbdFit, BgNbdParams};
use gamma_gamma::GammaGammaFit;
use validation::ClvValidation;

/// Jours dans une semaine : l'unité de temps des modèles.
pub const DAYS_PER_WEEK: f64 = 7.0;
/// Jours dans un mois moyen (365,25 / 12) : le pas de la valeur client.
pub const DAYS_PER_MONTH: f64 = 365.25 / 12.0;
/// Clients à achats répétés demandés au moins pour ajuster les modèles :
/// en dessous, quatre paramètres ne sont pas déterminés par les données.
pub const MIN_REPEAT_CUSTOMERS: usize = 20;

/// Réglages de la valeur client.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClvOptions {
    /// Fin de la calibration (secondes depuis 1970 ; le jour est compris en
    /// entier, l'heure ignorée). `None` : le dernier jour d'achat du
    /// périmètre (la date d'observation RFM par défaut moins un jour) —
    /// tout l'historique sert à prévoir.
    pub calibration_end: Option<i64>,
    /// Horizon des achats attendus, en jours (90 par défaut : un trimestre).
    pub horizon_days: u32,
    /// Horizon de la valeur client, en mois (12 par défaut).
    pub months: u32,
    /// Taux d'actualisation mensuel (0,01 par défaut, voir l'en-tête du
    /// module).
    pub monthly_discount: f64,
}

impl Default for ClvOptions {
    fn default() -> Self {
        Self {
            calibration_end: None,
            horizon_days: 90,
            months: 12,
            monthly_discount: 0.01,
        }
    }
}

impl ClvOptions {
    /// Refuse les valeurs absurdes ; l'erreur nomme la clé du réglage
    /// (`clv_horizon_days`, `clv_months`, `clv_discount`).
    pub fn validate(&self) -> Result<(), PanierError> {
        if !(1..=3650).contains(&self.horizon_days) {
            return Err(PanierError::InvalidParameter {
                name: "clv_horizon_days".into(),
                value: self.horizon_days.to_string(),
                expected: "1 ≤ clv_horizon_days ≤ 3650".into(),
            });
        }
        if !(1..=120).contains(&self.months) {
            return Err(PanierError::InvalidParameter {
                name: "clv_months".into(),
                value: self.months.to_string(),
                expected: "1 ≤ clv_months ≤ 120".into(),
            });
        }
        if !(self.monthly_discount.is_finite() && (0.0..1.0).contains(&self.monthly_discount)) {
            return Err(PanierError::InvalidParameter {
                name: "clv_discount".into(),
                value: self.monthly_discount.to_string(),
                expected: "0 ≤ clv_discount < 1".into(),
            });
        }
        Ok(())
    }
}

/// Le résumé d'un client à la fin de la calibration (temps en semaines).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Achats répétés (jours d'achat après le premier).
    pub x: u32,
    /// Semaines du premier au dernier achat.
    pub t_x: f64,
    /// Semaines du premier achat à la fin de la calibration.
    pub t: f64,
}

/// Prévisions pour un client (une ligne de `clv.csv`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerClv {
    /// Identifiant du client.
    pub customer: String,
    /// Achats répétés pendant la calibration (x).
    pub frequency: u32,
    /// Semaines du premier au dernier achat (tₓ).
    pub recency_weeks: f64,
    /// Semaines du premier achat à la fin de la calibration (T).
    pub t_weeks: f64,
    /// Montant moyen de ses achats répétés (0 sans achat répété).
    pub monetary: f64,
    /// Probabilité d'être encore actif à la fin de la calibration.
    pub p_alive: f64,
    /// Achats attendus dans l'horizon ([`ClvOptions::horizon_days`]).
    pub expected_transactions: f64,
    /// Dépense attendue par achat (Gamma-Gamma).
    pub expected_value: f64,
    /// Valeur client sur [`ClvOptions::months`] mois, actualisée.
    pub clv: f64,
    /// Risque de départ : probabilité de ne passer **aucune** commande dans
    /// l'horizon ([`BgNbdParams::p_no_purchase`]). P(actif) seule ne le dit
    /// pas : le BG/NBD tient pour actif tout client sans achat répété (il ne
    /// part qu'après un achat), même venu une seule fois il y a un an.
    #[serde(default)]
    pub churn_risk: f64,
}

/// La valeur client d'un périmètre : les deux modèles ajustés, les
/// prévisions par client et leur validation sur l'historique.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvResult {
    /// Réglages appliqués.
    pub options: ClvOptions,
    /// Premier jour d'achat du périmètre (AAAA-MM-JJ HH:MM:SS).
    pub first_purchase: String,
    /// Fin de la calibration (minuit du jour compris).
    pub calibration_end: String,
    /// BG/NBD ajusté.
    pub bgnbd: BgNbdFit,
    /// Gamma-Gamma ajusté.
    pub gamma_gamma: GammaGammaFit,
    /// Clients de la calibration, dans l'ordre de la segmentation RFM
    /// (identifiants numériques croissants, sinon ordre alphabétique).
    pub customers: Vec<CustomerClv>,
    /// Clients à au moins un achat répété pendant la calibration.
    pub repeat_customers: usize,
    /// Vérification de l'hypothèse du Gamma-Gamma : corrélation de Pearson
    /// entre la fréquence et le montant moyen chez les clients ajustés
    /// (`None` si l'une des deux ne varie pas). Proche de 0 : hypothèse
    /// plausible ; au-delà de 0,3 en valeur absolue, la dépense attendue est
    /// à prendre avec prudence.
    pub spend_frequency_correlation: Option<f64>,
    /// Somme des achats attendus dans l'horizon.
    pub expected_transactions_total: f64,
    /// Somme des valeurs client.
    pub clv_total: f64,
    /// Ce que les prévisions auraient valu sur l'historique ; une erreur
    /// (période trop courte…) n'empêche pas les prévisions.
    pub validation: Result<ClvValidation, PanierError>,
}

/// Les jours d'achat de chaque client, tirés une fois de la table : les
/// lignes nettoyées, plus les achats gratuits (prix 0) que le nettoyage a
/// retirés des ventes ([`crate::clean::CleanTable::free_visits`]).
#[derive(Debug, Clone)]
pub struct Purchases {
    /// Par client : son nom et ses jours d'achat croissants (jour depuis
    /// 1970, montant du jour).
    pub customers: Vec<(String, Vec<(i64, f64)>)>,
    /// Premier et dernier jour d'achat.
    pub first_day: i64,
    /// Dernier jour d'achat.
    pub last_day: i64,
}

/// Les jours d'achat de chaque client (par identifiant croissant), et le
/// montant de chaque jour, de lignes `(client, jour, montant)`. Les montants
/// d'un même jour s'additionnent dans l'ordre des lignes (l'ordre d'un tri
/// stable par client puis jour, celui de la référence) : les clients sont
/// rangés en deux passages (comptage, puis placement, sans déplacer les
/// lignes d'un même client entre elles), puis les jours de chaque client
/// triés de façon stable — de petits groupes, presque toujours déjà dans
/// l'ordre.
fn days_by_customer(rows: &[(u32, i64, f64)]) -> Vec<(u32, Vec<(i64, f64)>)> {
    let count = rows
        .iter()
        .map(|&(c, _, _)| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut start = vec![0usize; count + 1];
    for &(customer, _, _) in rows {
        start[customer as usize + 1] += 1;
    }
    for c in 1..start.len() {
        start[c] += start[c - 1];
    }
    let mut placed = vec![(0i64, 0.0f64); rows.len()];
    let mut next = start.clone();
    for &(customer, day, amount) in rows {
        placed[next[customer as usize]] = (day, amount);
        next[customer as usize] += 1;
    }
    let mut customers = Vec::new();
    for customer in 0..count {
        let group = &mut placed[start[customer]..start[customer + 1]];
        if group.is_empty() {
            continue;
        }
        group.sort_by_key(|&(day, _)| day);
        let mut days: Vec<(i64, f64)> = Vec::new();
        for &(day, amount) in group.iter() {
            match days.last_mut() {
                Some((d, total)) if *d == day => *total += amount,
                _ => days.push((day, amount)),
            }
        }
        customers.push((customer as u32, days));
    }
    customers
}

impl Purchases {
    /// Regroupe les lignes datées et rattachées à un client par client et
    /// par jour. Clients dans l'ordre de la segmentation RFM.
    pub fn from_table(clean: &CleanTable) -> Result<Self, PanierError> {
        let table = &clean.table;
        let missing: Vec<String> = [Role::Customer, Role::InvoiceDate, Role::UnitPrice]
            .into_iter()
            .filter(|role| !table.has(*role))
            .map(|role| role.canonical_name().to_string())
            .collect();
        if !missing.is_empty() {
            return Err(PanierError::ClvUnavailable { missing });
        }
        let mut rows: Vec<(u32, i64, f64)> = (0..table.len())
            .filter_map(|row| {
                let customer = *table.customer.get(row)?;
                let date = *table.invoice_date.get(row)?;
                let amount = clean.total_price.get(row).copied().unwrap_or(0.0);
                (customer != MISSING && date != NO_DATE).then_some((
                    customer,
                    date.div_euclid(DAY_SECONDS),
                    if amount.is_finite() { amount } else { 0.0 },
                ))
            })
            .collect();
        // Les achats gratuits retirés par le nettoyage restent des visites.
        rows.extend(
            clean
                .free_visits
                .iter()
                .filter(|visit| visit.customer != MISSING && visit.date != NO_DATE)
                .map(|visit| (visit.customer, visit.date.div_euclid(DAY_SECONDS), 0.0)),
        );
        if rows.is_empty() {
            return Err(PanierError::ClvUnavailable {
                missing: vec![Role::InvoiceDate.canonical_name().to_string()],
            });
        }
        let customers = days_by_customer(&rows);
        let first_day = customers
            .iter()
            .filter_map(|(_, days)| days.first().map(|d| d.0))
            .min()
            .unwrap_or(0);
        let last_day = customers
            .iter()
            .filter_map(|(_, days)| days.last().map(|d| d.0))
            .max()
            .unwrap_or(0);
        let mut customers: Vec<(String, Vec<(i64, f64)>)> = customers
            .into_iter()
            .map(|(id, days)| (table.customers.value(id).to_string(), days))
            .collect();
        sort_like_rfm(&mut customers);
        Ok(Self {
            customers,
            first_day,
            last_day,
        })
    }

    /// Profils à la fin de calibration `end` (jour compris) : pour chaque
    /// client ayant acheté au plus tard ce jour-là, son index, son profil
    /// et son montant moyen répété.
    pub fn profiles(&self, end: i64) -> Vec<(usize, Profile, f64)> {
        self.customers
            .iter()
            .enumerate()
            .filter_map(|(index, (_, days))| {
                let first = days.first()?.0;
                if first > end {
                    return None;
                }
                let seen = days.partition_point(|&(day, _)| day <= end);
                let last = days.get(seen.checked_sub(1)?)?.0;
                let repeat = days.get(1..seen).unwrap_or(&[]);
                let monetary = if repeat.is_empty() {
                    0.0
                } else {
                    repeat.iter().map(|d| d.1).sum::<f64>() / repeat.len() as f64
                };
                Some((
                    index,
                    Profile {
                        x: repeat.len() as u32,
                        t_x: (last - first) as f64 / DAYS_PER_WEEK,
                        t: (end - first) as f64 / DAYS_PER_WEEK,
                    },
                    monetary,
                ))
            })
            .collect()
    }

    /// Jours d'achat du client `index` dans `[from, to]`.
    pub fn days_between(&self, index: usize, from: i64, to: i64) -> usize {
        self.customers.get(index).map_or(0, |(_, days)| {
            days.iter().filter(|d| d.0 >= from && d.0 <= to).count()
        })
    }
}

/// L'ordre de `rfm_segments.csv` : identifiants numériques croissants quand
/// tous le sont, sinon ordre des textes.
fn sort_like_rfm<T>(customers: &mut [(String, T)]) {
    let numeric: Option<Vec<f64>> = customers
        .iter()
        .map(|(name, _)| name.parse::<f64>().ok().filter(|v| !v.is_nan()))
        .collect();
    if numeric.is_some() {
        crate::kernels::sort_by(customers, |a, b| {
            let key = |name: &str| name.parse::<f64>().unwrap_or(f64::INFINITY);
            key(&a.0).total_cmp(&key(&b.0)).then_with(|| a.0.cmp(&b.0))
        });
    } else {
        crate::kernels::sort_by(customers, |a, b| a.0.cmp(&b.0));
    }
}

/// Profils regroupés pour l'ajustement : les clients aux mêmes (x, tₓ, T)
/// ne comptent qu'une fois, avec leur nombre en poids (sur des données au
/// jour, beaucoup de clients partagent un profil), triés par x.
pub fn weighted_profiles(profiles: impl Iterator<Item = Profile>) -> Vec<(Profile, f64)> {
    let mut all: Vec<Profile> = profiles.collect();
    crate::kernels::sort_by(&mut all, |a, b| {
        a.x.cmp(&b.x)
            .then(a.t_x.total_cmp(&b.t_x))
            .then(a.t.total_cmp(&b.t))
    });
    let mut grouped: Vec<(Profile, f64)> = Vec::new();
    for profile in all {
        match grouped.last_mut() {
            Some((last, weight)) if *last == profile => *weight += 1.0,
            _ => grouped.push((profile, 1.0)),
        }
    }
    grouped
}

/// Les deux modèles ajustés sur une calibration.
#[derive(Debug, Clone, Copy)]
pub struct Fitted {
    /// BG/NBD.
    pub bgnbd: BgNbdFit,
    /// Gamma-Gamma.
    pub gamma_gamma: GammaGammaFit,
    /// Moyenne observée des montants répétés (repli de la dépense attendue
    /// quand le Gamma-Gamma n'a pas de moyenne, q ≤ 1).
    pub mean_spend: f64,
}

/// Ajuste les deux modèles sur les profils d'une calibration ; les erreurs
/// disent ce qui manque (achats répétés, durée) ou ce qui n'a pas convergé.
pub fn fit_models(profiles: &[(usize, Profile, f64)]) -> Result<Fitted, PanierError> {
    let customers = profiles.len();
    let repeat = profiles.iter().filter(|(_, p, _)| p.x > 0).count();
    if profiles.iter().all(|(_, p, _)| p.t <= 0.0) {
        return Err(PanierError::ClvNoTimeSpan);
    }
    if repeat < MIN_REPEAT_CUSTOMERS {
        return Err(PanierError::ClvTooFewRepeatCustomers {
            repeat: repeat as u64,
            customers: customers as u64,
            needed: MIN_REPEAT_CUSTOMERS as u64,
        });
    }
    let grouped = weighted_profiles(profiles.iter().map(|(_, p, _)| *p));
    let bgnbd = bgnbd::fit(&grouped).ok_or(PanierError::ClvNotConverged {
        model: "BG/NBD".into(),
    })?;
    let spenders: Vec<(f64, f64)> = profiles
        .iter()
        .filter(|(_, p, m)| p.x > 0 && *m > 0.0 && m.is_finite())
        .map(|(_, p, m)| (f64::from(p.x), *m))
        .collect();
    if spenders.len() < MIN_REPEAT_CUSTOMERS {
        return Err(PanierError::ClvTooFewRepeatCustomers {
            repeat: spenders.len() as u64,
            customers: customers as u64,
            needed: MIN_REPEAT_CUSTOMERS as u64,
        });
    }
    let gamma_gamma = gamma_gamma::fit(&spenders).ok_or(PanierError::ClvNotConverged {
        model: "Gamma-Gamma".into(),
    })?;
    let mean_spend = spenders.iter().map(|(_, m)| m).sum::<f64>() / spenders.len() as f64;
    Ok(Fitted {
        bgnbd,
        gamma_gamma,
        mean_spend,
    })
}

/// Valeur client actualisée sur `months` mois (voir l'en-tête du module).
pub fn lifetime_value(
    params: &BgNbdParams,
    profile: &Profile,
    spend: f64,
    months: u32,
    monthly_discount: f64,
) -> f64 {
    let mut value = 0.0;
    let mut previous = 0.0;
    for i in 1..=months {
        let t = f64::from(i) * DAYS_PER_MONTH / DAYS_PER_WEEK;
        let expected = params.expected_transactions(profile, t);
        value += (expected - previous).max(0.0) * spend / (1.0 + monthly_discount).powi(i as i32);
        previous = expected;
    }
    value
}

/// Corrélation de Pearson ; `None` si une série est constante (ou trop
/// courte).
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    let r = sxy / (sxx * syy).sqrt();
    r.is_finite().then_some(r)
}

/// La valeur client du périmètre nettoyé.
pub fn compute_clv(clean: &CleanTable, options: &ClvOptions) -> Result<ClvResult, PanierError> {
    options.validate()?;
    let purchases = Purchases::from_table(clean)?;
    compute_from(&purchases, options)
}

/// Comme [`compute_clv`], sur des jours d'achat déjà regroupés.
pub fn compute_from(purchases: &Purchases, options: &ClvOptions) -> Result<ClvResult, PanierError> {
    compute_reusing(purchases, options, None)
}

/// Comme [`compute_clv`], en reprenant une validation déjà faite sur la même
/// table (elle ne dépend d'aucune option : changer l'horizon ou la fin de
/// calibration ne la refait pas).
pub fn compute_clv_reusing(
    clean: &CleanTable,
    options: &ClvOptions,
    validation: Option<Result<ClvValidation, PanierError>>,
) -> Result<ClvResult, PanierError> {
    options.validate()?;
    let purchases = Purchases::from_table(clean)?;
    compute_reusing(&purchases, options, validation)
}

fn compute_reusing(
    purchases: &Purchases,
    options: &ClvOptions,
    validation: Option<Result<ClvValidation, PanierError>>,
) -> Result<ClvResult, PanierError> {
    options.validate()?;
    let end = options
        .calibration_end
        .map_or(purchases.last_day, |end| end.div_euclid(DAY_SECONDS));
    if end < purchases.first_day {
        return Err(PanierError::ClvCalibrationBeforeData {
            until: format_timestamp(end * DAY_SECONDS),
            first_purchase: format_timestamp(purchases.first_day * DAY_SECONDS),
        });
    }
    let profiles = purchases.profiles(end);
    let fitted = fit_models(&profiles)?;
    let bg = fitted.bgnbd.params;
    let gg = fitted.gamma_gamma.params;
    let horizon = f64::from(options.horizon_days) / DAYS_PER_WEEK;
    let customers: Vec<CustomerClv> = profiles
        .iter()
        .map(|&(index, profile, monetary)| {
            let spend = gg.expected_spend(profile.x, monetary, fitted.mean_spend);
            CustomerClv {
                customer: purchases
                    .customers
                    .get(index)
                    .map(|(name, _)| name.clone())
                    .unwrap_or_default(),
                frequency: profile.x,
                recency_weeks: profile.t_x,
                t_weeks: profile.t,
                monetary,
                p_alive: bg.p_alive(&profile),
                expected_transactions: bg.expected_transactions(&profile, horizon),
                churn_risk: bg.p_no_purchase(&profile, horizon),
                expected_value: spend,
                clv: lifetime_value(
                    &bg,
                    &profile,
                    spend,
                    options.months,
                    options.monthly_discount,
                ),
            }
        })
        .collect();
    let spenders: Vec<(f64, f64)> = profiles
        .iter()
        .filter(|(_, p, m)| p.x > 0 && *m > 0.0)
        .map(|(_, p, m)| (f64::from(p.x), *m))
        .collect();
    Ok(ClvResult {
        options: *options,
        first_purchase: format_timestamp(purchases.first_day * DAY_SECONDS),
        calibration_end: format_timestamp(end * DAY_SECONDS),
        bgnbd: fitted.bgnbd,
        gamma_gamma: fitted.gamma_gamma,
        repeat_customers: profiles.iter().filter(|(_, p, _)| p.x > 0).count(),
        spend_frequency_correlation: pearson(&spenders),
        expected_transactions_total: customers.iter().map(|c| c.expected_transactions).sum(),
        clv_total: customers.iter().map(|c| c.clv).sum(),
        customers,
        validation: validation.unwrap_or_else(|| validation::validate(purchases)),
    })
}

/// Seuil du risque de départ (probabilité de ne rien commander dans
/// l'horizon) à partir duquel un client est dit « probablement inactif ».
pub const LIKELY_INACTIVE: f64 = 0.5;

/// La valeur client d'un segment RFM (ce que la page de segmentation
/// affiche par segment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvSegment {
    /// Nom du segment.
    pub name: String,
    /// Clients du segment présents dans la valeur client.
    pub customers: usize,
    /// Valeur client moyenne.
    pub mean_clv: f64,
    /// Somme des valeurs client.
    pub total_clv: f64,
    /// P(actif) moyenne.
    pub mean_p_alive: f64,
    /// Part des clients probablement inactifs : plus de chances de ne rien
    /// commander dans l'horizon que d'y commander (risque de départ ≥
    /// [`LIKELY_INACTIVE`]). P(actif) ne suffit pas : le BG/NBD tient pour
    /// actif tout client sans achat répété.
    pub likely_inactive_share: f64,
    /// Achats attendus dans l'horizon, en moyenne par client.
    pub mean_expected_transactions: f64,
}

/// La valeur client par segment de `grid`, dans l'ordre de
/// [`SegmentGrid::segment_names`] ; un client de la valeur client absent
/// de la segmentation (achats seulement gratuits) n'est compté nulle part.
pub fn clv_by_segment(result: &ClvResult, rfm: &RfmTable, grid: &SegmentGrid) -> Vec<ClvSegment> {
    let by_name: std::collections::HashMap<&str, &CustomerClv> = result
        .customers
        .iter()
        .map(|c| (c.customer.as_str(), c))
        .collect();
    let mut segments: Vec<ClvSegment> = grid
        .segment_names()
        .into_iter()
        .map(|name| ClvSegment {
            name,
            customers: 0,
            mean_clv: 0.0,
            total_clv: 0.0,
            mean_p_alive: 0.0,
            likely_inactive_share: 0.0,
            mean_expected_transactions: 0.0,
        })
        .collect();
    for customer in &rfm.customers {
        let Some(clv) = by_name.get(customer.customer.as_str()) else {
            continue;
        };
        let name = grid.segment_of(customer.r, customer.f, customer.m);
        let Some(segment) = segments.iter_mut().find(|s| s.name == name) else {
            continue;
        };
        segment.customers += 1;
        segment.total_clv += clv.clv;
        segment.mean_p_alive += clv.p_alive;
        segment.mean_expected_transactions += clv.expected_transactions;
        if clv.churn_risk >= LIKELY_INACTIVE {
            segment.likely_inactive_share += 1.0;
        }
    }
    for segment in &mut segments {
        let n = segment.customers.max(1) as f64;
        segment.mean_clv = segment.total_clv / n;
        segment.mean_p_alive /= n;
        segment.mean_expected_transactions /= n;
        segment.likely_inactive_share /= n;
    }
    segments
}

#[cfg(test)]
mod tests;
