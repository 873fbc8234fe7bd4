//! Nettoyage : les règles du cahier des charges, dans l'ordre, chacune comptée.
//!
//! 1. retirer les annulations (facture commençant par « C ») ;
//! 2. retirer les lignes sans client ;
//! 3. garder les quantités > 0 ;
//! 4. garder les prix unitaires > 0 ;
//! 5. (option, désactivée par défaut : la référence les garde) retirer les
//!    lignes aux dates invraisemblables (avant 1990, ou plus d'un an après
//!    aujourd'hui) ;
//! 6. (option, désactivée par défaut comme dans la référence) retirer les
//!    doublons exacts.
//!
//! Puis la désignation est débarrassée de ses espaces de bord et mise en
//! minuscules, et le montant de ligne vaut quantité × prix unitaire. L'ordre
//! compte : le rapport donne le nombre de lignes restant après chaque règle,
//! exactement comme le pipeline pandas de référence. Une règle dont la
//! colonne manque est sautée, et le rapport le dit.
//!
//! Le nettoyage relève aussi les anomalies qui méritent l'œil de
//! l'utilisateur (quantités extrêmes, annulations sans achat, prix
//! dérisoires, dates invraisemblables, factures sans numéro, articles
//! « NONE » ou « ? ») et compte les lignes de service (frais de port…).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};

use crate::ingest::dates::{format_timestamp, NO_DATE};
use crate::ingest::roles::Role;
use crate::scan::{gather, in_blocks};
use crate::table::{Dictionary, TransactionTable, MISSING};
use crate::Lang;

/// Codes article des lignes de service des exports Online Retail : frais de
/// port, frais bancaires, saisies manuelles, dons… Ce ne sont pas des
/// produits, et ils faussent l'analyse des paniers.
pub const SERVICE_CODES: &[&str] = &[
    "POST",
    "DOT",
    "M",
    "C2",
    "D",
    "S",
    "B",
    "BANK CHARGES",
    "AMAZONFEE",
    "CRUK",
    "PADS",
];

/// Quantité à partir de laquelle une ligne est signalée comme extrême.
pub const EXTREME_QUANTITY: f64 = 10_000.0;

/// Prix unitaire positif en dessous duquel une ligne est signalée (0,001…).
pub const TINY_PRICE: f64 = 0.01;

/// Réglages du nettoyage (tous désactivés par défaut, comme la référence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CleaningOptions {
    /// Retirer les doublons exacts (lignes identiques en tout point).
    pub drop_duplicates: bool,
    /// Garder les lignes de service hors de l'analyse des paniers.
    pub exclude_service_lines: bool,
    /// Retirer les lignes aux dates invraisemblables ([`plausible_dates`]).
    #[serde(default)]
    pub drop_implausible_dates: bool,
    /// Aujourd'hui (secondes depuis 1970), donné par l'interface qui a une
    /// horloge ; borne les dates plausibles à un an plus tard. `None` : la
    /// borne est le 1er janvier 2100.
    #[serde(default)]
    pub today: Option<i64>,
}

/// Première date plausible d'une vente : le 1er janvier 1990.
pub const EARLIEST_PLAUSIBLE_DATE: i64 = 631_152_000;
/// Borne haute sans horloge : le 1er janvier 2100.
pub const LATEST_PLAUSIBLE_DATE: i64 = 4_102_444_800;

/// Dates plausibles `[début, fin)` : de 1990 à un an après aujourd'hui. Une
/// ligne datée 9999-12-31 (valeur « sans fin » des bases de données) fausse
/// toutes les récences de plusieurs millions de jours : elle est signalée,
/// et retirée si l'utilisateur le demande.
pub fn plausible_dates(options: &CleaningOptions) -> (i64, i64) {
    let latest = options.today.map_or(LATEST_PLAUSIBLE_DATE, |today| {
        today.saturating_add(366 * 86_400)
    });
    (EARLIEST_PLAUSIBLE_DATE, latest)
}

/// Désignations qui ne nomment pas un article (une fois nettoyées) : des
/// valeurs de remplissage de caisse ou d'export.
pub const PLACEHOLDER_ITEMS: &[&str] = &[
    "",
    "none",
    "null",
    "nan",
    "n/a",
    "na",
    "?",
    "??",
    "???",
    "-",
    "--",
    "unknown",
    "inconnu",
    "undefined",
    "sans",
    "aucun",
];

/// Une règle de nettoyage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CleaningRule {
    /// Annulations (facture « C… »).
    Cancelled,
    /// Client absent.
    MissingCustomer,
    /// Quantité ≤ 0.
    QuantityNotPositive,
    /// Prix unitaire ≤ 0.
    PriceNotPositive,
}

/// Lignes restantes après chaque règle, dans l'ordre d'application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CleaningCounts {
    /// Lignes lues et analysables.
    pub raw_rows: u64,
    /// Après retrait des annulations.
    pub after_drop_cancelled: u64,
    /// Après retrait des lignes sans client.
    pub after_drop_missing_customer: u64,
    /// Après retrait des quantités ≤ 0.
    pub after_drop_qty_le_0: u64,
    /// Après retrait des prix ≤ 0.
    pub after_drop_price_le_0: u64,
    /// Après retrait des doublons exacts (égal au précédent si l'option est
    /// désactivée).
    pub after_drop_duplicates: u64,
    /// Doublons exacts parmi les lignes nettoyées (retirés ou non).
    pub exact_duplicates: u64,
    /// Règles sautées faute de colonne.
    pub skipped_rules: Vec<CleaningRule>,
    /// Après retrait des dates invraisemblables (égal à
    /// `after_drop_price_le_0` si l'option est désactivée).
    #[serde(default)]
    pub after_drop_implausible_dates: u64,
}

/// Une étape du nettoyage telle que le rapport la montre (l'entonnoir des
/// lignes), de la lecture aux doublons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleaningStep {
    /// Lignes lues.
    Read,
    /// Annulations retirées.
    Cancelled,
    /// Lignes sans client retirées.
    MissingCustomer,
    /// Quantités ≤ 0 retirées.
    Quantity,
    /// Prix ≤ 0 retirés.
    Price,
    /// Dates invraisemblables retirées (si l'option est cochée).
    ImplausibleDates,
    /// Doublons exacts retirés (si l'option est cochée).
    Duplicates,
}

impl CleaningStep {
    /// Libellé de l'étape, pour l'application et le classeur.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (CleaningStep::Read, Lang::Fr) => "Lignes lues",
            (CleaningStep::Read, Lang::En) => "Rows read",
            (CleaningStep::Cancelled, Lang::Fr) => "Annulations retirées",
            (CleaningStep::Cancelled, Lang::En) => "Cancellations removed",
            (CleaningStep::MissingCustomer, Lang::Fr) => "Lignes sans client retirées",
            (CleaningStep::MissingCustomer, Lang::En) => "Rows without customer removed",
            (CleaningStep::Quantity, Lang::Fr) => "Quantités ≤ 0 retirées",
            (CleaningStep::Quantity, Lang::En) => "Quantities ≤ 0 removed",
            (CleaningStep::Price, Lang::Fr) => "Prix ≤ 0 retirés",
            (CleaningStep::Price, Lang::En) => "Prices ≤ 0 removed",
            (CleaningStep::ImplausibleDates, Lang::Fr) => "Dates invraisemblables retirées",
            (CleaningStep::ImplausibleDates, Lang::En) => "Implausible dates removed",
            (CleaningStep::Duplicates, Lang::Fr) => "Doublons exacts retirés",
            (CleaningStep::Duplicates, Lang::En) => "Exact duplicates removed",
        }
    }
}

impl CleaningCounts {
    /// L'entonnoir : chaque étape et les lignes qui restent après elle. Les
    /// étapes facultatives (dates invraisemblables, doublons) n'y sont que
    /// si elles ont retiré des lignes ; une règle sautée faute de colonne
    /// n'y est pas (un avertissement le dit) : pas de « −0 ligne » trompeur.
    pub fn funnel(&self) -> Vec<(CleaningStep, u64)> {
        let ran = |rule: CleaningRule| !self.skipped_rules.contains(&rule);
        let mut steps = vec![(CleaningStep::Read, self.raw_rows)];
        for (rule, step, rows) in [
            (
                CleaningRule::Cancelled,
                CleaningStep::Cancelled,
                self.after_drop_cancelled,
            ),
            (
                CleaningRule::MissingCustomer,
                CleaningStep::MissingCustomer,
                self.after_drop_missing_customer,
            ),
            (
                CleaningRule::QuantityNotPositive,
                CleaningStep::Quantity,
                self.after_drop_qty_le_0,
            ),
            (
                CleaningRule::PriceNotPositive,
                CleaningStep::Price,
                self.after_drop_price_le_0,
            ),
        ] {
            if ran(rule) {
                steps.push((step, rows));
            }
        }
        // Un rapport d'avant cette étape (champ absent, 0) : pas d'étape.
        let dates = if self.after_drop_implausible_dates == 0 {
            self.after_drop_price_le_0
        } else {
            self.after_drop_implausible_dates
        };
        if dates < self.after_drop_price_le_0 {
            steps.push((CleaningStep::ImplausibleDates, dates));
        }
        if self.after_drop_duplicates < dates {
            steps.push((CleaningStep::Duplicates, self.after_drop_duplicates));
        }
        steps
    }
}

/// Anomalies relevées, pour les avertissements du rapport.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Anomalies {
    /// Lignes de quantité absolue ≥ [`EXTREME_QUANTITY`].
    pub extreme_quantities: u64,
    /// La plus grande quantité absolue vue, et sa facture.
    pub largest_quantity: Option<(f64, String)>,
    /// Lignes d'annulation dont le client n'a jamais acheté l'article.
    pub unmatched_cancellations: u64,
    /// Lignes au prix unitaire positif mais inférieur à [`TINY_PRICE`].
    pub tiny_prices: u64,
    /// Lignes de service parmi les lignes nettoyées.
    pub service_lines: u64,
    /// Lignes datées hors des dates plausibles ([`plausible_dates`]).
    #[serde(default)]
    pub implausible_dates: u64,
    /// Une date invraisemblable du fichier, pour le message.
    #[serde(default)]
    pub implausible_date_example: Option<String>,
    /// Lignes sans numéro de facture (comptées dans les montants, dans aucun
    /// panier ni dans la fréquence).
    #[serde(default)]
    pub empty_invoices: u64,
    /// Lignes nettoyées dont l'article est une valeur de remplissage
    /// ([`PLACEHOLDER_ITEMS`]).
    #[serde(default)]
    pub placeholder_items: u64,
    /// Ces valeurs, telles que nettoyées (au plus cinq).
    #[serde(default)]
    pub placeholder_examples: Vec<String>,
}

/// Table nettoyée : seules les ventes valides, désignations normalisées, et
/// le montant de chaque ligne.
#[derive(Debug, Clone, Default)]
pub struct CleanTable {
    /// Les transactions retenues (désignations en minuscules, sans espaces de bord).
    pub table: TransactionTable,
    /// Montant de chaque ligne : quantité × prix unitaire.
    pub total_price: Vec<f64>,
    /// Vrai pour les lignes de service (frais de port…).
    pub is_service_line: Vec<bool>,
    /// Achats gratuits : lignes retirées **seulement** parce que leur prix
    /// vaut exactement 0 (un cadeau, un échantillon, un bon d'achat), avec
    /// un client et une date. Hors des ventes, mais une visite du client :
    /// la valeur client prédite ([`crate::clv`]) les compte comme des
    /// transactions de montant nul (la référence CDNOW compte ainsi 2 357
    /// clients, dont 8 au seul achat à 0 $).
    pub free_visits: Vec<FreeVisit>,
}

/// Une ligne gratuite gardée pour la valeur client (voir
/// [`CleanTable::free_visits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreeVisit {
    /// Client (identifiant du dictionnaire de la table).
    pub customer: u32,
    /// Date (secondes depuis 1970).
    pub date: i64,
    /// Pays (identifiant du dictionnaire), pour le filtre par pays.
    pub country: u32,
}

/// Applique les règles de nettoyage, compte les lignes après chacune, et
/// relève les anomalies.
pub fn clean(
    mut table: TransactionTable,
    options: &CleaningOptions,
) -> (CleanTable, CleaningCounts, Anomalies) {
    let cancelled = cancelled_invoices(&table);
    let mut anomalies = find_anomalies(&table, &cancelled);
    let (earliest, latest) = plausible_dates(options);
    let implausible = |date: i64| date != NO_DATE && (date < earliest || date >= latest);
    if table.has(Role::InvoiceDate) {
        for &date in &table.invoice_date {
            if implausible(date) {
                anomalies.implausible_dates += 1;
                if anomalies.implausible_date_example.is_none() {
                    anomalies.implausible_date_example = Some(format_timestamp(date));
                }
            }
        }
    }
    if table.has(Role::Invoice) {
        if let Some(empty) = table.invoices.id_of("") {
            anomalies.empty_invoices =
                table.invoice.iter().filter(|&&id| id == empty).count() as u64;
        }
    }
    let drop_dates = options.drop_implausible_dates && table.has(Role::InvoiceDate);
    let mut skipped_rules = Vec::new();
    let (has_customer, has_quantity, has_price) = (
        table.has(Role::Customer),
        table.has(Role::Quantity),
        table.has(Role::UnitPrice),
    );
    // Sans numéro de facture (paniers client × jour), pas d'annulation
    // « C… » à reconnaître : la règle est sautée, et dite.
    if !table.has(Role::Invoice) {
        skipped_rules.push(CleaningRule::Cancelled);
    }
    if !has_customer {
        skipped_rules.push(CleaningRule::MissingCustomer);
    }
    if !has_quantity {
        skipped_rules.push(CleaningRule::QuantityNotPositive);
    }
    if !has_price {
        skipped_rules.push(CleaningRule::PriceNotPositive);
    }
    let mut counts = CleaningCounts {
        raw_rows: table.len() as u64,
        skipped_rules,
        ..CleaningCounts::default()
    };
    let mut keep = vec![true; table.len()];
    let mut free_visits = Vec::new();
    let has_date = table.has(Role::InvoiceDate);
    in_blocks(table.len(), &mut |rows| {
        for row in rows {
            // Chaque règle ne voit que les lignes gardées par les précédentes.
            if cancelled[table.invoice[row] as usize] {
                keep[row] = false;
                continue;
            }
            counts.after_drop_cancelled += 1;
            if has_customer && table.customer[row] == MISSING {
                keep[row] = false;
                continue;
            }
            counts.after_drop_missing_customer += 1;
            if has_quantity && table.quantity[row] <= 0.0 {
                keep[row] = false;
                continue;
            }
            counts.after_drop_qty_le_0 += 1;
            if has_price && table.unit_price[row] <= 0.0 {
                keep[row] = false;
                let date = table.invoice_date.get(row).copied().unwrap_or(NO_DATE);
                if table.unit_price[row] == 0.0
                    && has_customer
                    && has_date
                    && date != NO_DATE
                    && !(drop_dates && implausible(date))
                {
                    free_visits.push(FreeVisit {
                        customer: table.customer[row],
                        date,
                        country: table.country.get(row).copied().unwrap_or(MISSING),
                    });
                }
                continue;
            }
            counts.after_drop_price_le_0 += 1;
            if drop_dates && implausible(table.invoice_date[row]) {
                keep[row] = false;
                continue;
            }
            counts.after_drop_implausible_dates += 1;
        }
    });
    table.retain_rows(&keep);
    normalise_descriptions(&mut table);
    if table.has(Role::Description) {
        let placeholder: Vec<bool> = table
            .descriptions
            .values()
            .map(|value| PLACEHOLDER_ITEMS.contains(&value))
            .collect();
        let mut seen = vec![false; placeholder.len()];
        for &id in &table.description {
            if placeholder[id as usize] {
                anomalies.placeholder_items += 1;
                if !seen[id as usize] && anomalies.placeholder_examples.len() < 5 {
                    seen[id as usize] = true;
                    anomalies
                        .placeholder_examples
                        .push(table.descriptions.value(id).to_string());
                }
            }
        }
    }

    let duplicates = exact_duplicates(&table);
    counts.exact_duplicates = duplicates.iter().filter(|d| **d).count() as u64;
    if options.drop_duplicates && counts.exact_duplicates > 0 {
        let keep: Vec<bool> = duplicates.iter().map(|d| !d).collect();
        table.retain_rows(&keep);
    }
    counts.after_drop_duplicates = table.len() as u64;

    let mut total_price = Vec::with_capacity(table.len());
    in_blocks(table.len(), &mut |rows| {
        total_price.extend(rows.map(|row| table.quantity[row] * table.unit_price[row]));
    });
    let service: Vec<bool> = table
        .stock_codes
        .values()
        .map(|code| SERVICE_CODES.iter().any(|s| s.eq_ignore_ascii_case(code)))
        .collect();
    let is_service_line: Vec<bool> = gather(&table.stock_code, &service);
    anomalies.service_lines = is_service_line.iter().filter(|s| **s).count() as u64;
    (
        CleanTable {
            table,
            total_price,
            is_service_line,
            free_visits,
        },
        counts,
        anomalies,
    )
}

/// Réécrit le dictionnaire des désignations en version nettoyée : deux
/// variantes (« Pink Cup » et « PINK CUP  ») deviennent une seule valeur.
fn normalise_descriptions(table: &mut TransactionTable) {
    let mut cleaned = Dictionary::default();
    let remap: Vec<u32> = table
        .descriptions
        .values()
        .map(|raw| cleaned.intern(&raw.trim().to_lowercase()))
        .collect();
    for id in &mut table.description {
        *id = remap[*id as usize];
    }
    table.descriptions = cleaned;
}

/// Marque les lignes identiques en tout point à une ligne précédente (comme
/// `DataFrame.duplicated()` de pandas).
///
/// Deux lignes identiques ont la même facture et le même code article : les
/// lignes sont d'abord regroupées par facture (tri par dénombrement, en temps
/// linéaire) ; dans chaque facture, seules les lignes d'un code qui y revient
/// sont candidates (le plus souvent, aucune) et sont triées par empreinte
/// 64 bits ; les clés complètes ne se comparent qu'entre lignes de même
/// empreinte.
fn exact_duplicates(table: &TransactionTable) -> Vec<bool> {
    let key = |row: usize| {
        (
            table.invoice[row],
            table.stock_code[row],
            table.description[row],
            table.quantity[row].to_bits(),
            table.invoice_date[row],
            table.unit_price[row].to_bits(),
            table.customer[row],
            table.country[row],
        )
    };
    let fingerprint = |row: usize| {
        let mut hasher = FxHasher::default();
        key(row).hash(&mut hasher);
        hasher.finish()
    };
    // Début de chaque facture dans `by_invoice`, puis les lignes rangées par
    // facture, dans l'ordre du fichier.
    let invoices = table
        .invoice
        .iter()
        .max()
        .map_or(0, |&last| last as usize + 1);
    let mut starts = vec![0usize; invoices + 1];
    in_blocks(table.len(), &mut |rows| {
        for &invoice in &table.invoice[rows] {
            starts[invoice as usize + 1] += 1;
        }
    });
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut next = starts.clone();
    let mut by_invoice = vec![0u32; table.len()];
    in_blocks(table.len(), &mut |rows| {
        for row in rows {
            let invoice = table.invoice[row] as usize;
            by_invoice[next[invoice]] = row as u32;
            next[invoice] += 1;
        }
    });
    let mut duplicate = vec![false; table.len()];
    let mut order: Vec<(u64, u32)> = Vec::new();
    // Pour chaque code article : la facture où il a été compté en dernier, et
    // son nombre de lignes dans cette facture.
    let codes = table
        .stock_code
        .iter()
        .max()
        .map_or(0, |&last| last as usize + 1);
    let mut seen_in = vec![(u32::MAX, 0u32); codes];
    in_blocks(starts.len().saturating_sub(1), &mut |invoices| {
        for invoice in invoices {
            let rows = &by_invoice[starts[invoice]..starts[invoice + 1]];
            if rows.len() < 2 {
                continue;
            }
            // Deux lignes identiques ont le même code article : seules les
            // lignes d'un code qui revient dans la facture sont candidates (le
            // plus souvent, il n'y en a aucune).
            let mut repeated = false;
            for &row in rows {
                let seen = &mut seen_in[table.stock_code[row as usize] as usize];
                if seen.0 == invoice as u32 {
                    seen.1 += 1;
                    repeated = true;
                } else {
                    *seen = (invoice as u32, 1);
                }
            }
            if !repeated {
                continue;
            }
            order.clear();
            order.extend(
                rows.iter()
                    .filter(|&&row| seen_in[table.stock_code[row as usize] as usize].1 > 1)
                    .map(|&row| (fingerprint(row as usize), row)),
            );
            order.sort_unstable();
            let mut start = 0;
            while start < order.len() {
                let mut end = start + 1;
                while end < order.len() && order[end].0 == order[start].0 {
                    end += 1;
                }
                // Dans un groupe de même empreinte (trié par indice), une ligne
                // est un doublon si une ligne antérieure a la même clé complète.
                for later in start + 1..end {
                    let row = order[later].1 as usize;
                    duplicate[row] = order[start..later]
                        .iter()
                        .any(|&(_, earlier)| key(earlier as usize) == key(row));
                }
                start = end;
            }
        }
    });
    duplicate
}

/// Pour chaque facture du dictionnaire : vrai si c'est une annulation (« C… »).
fn cancelled_invoices(table: &TransactionTable) -> Vec<bool> {
    table
        .invoices
        .values()
        .map(|invoice| invoice.starts_with('C'))
        .collect()
}

/// Relève les anomalies sur la table brute (avant nettoyage).
fn find_anomalies(table: &TransactionTable, cancelled: &[bool]) -> Anomalies {
    let mut anomalies = Anomalies::default();
    // Paires (client, article) des annulations : peu nombreuses, elles seules
    // sont cherchées parmi les achats.
    let mut cancelled_pairs = FxHashSet::default();
    in_blocks(table.len(), &mut |rows| {
        for row in rows {
            let quantity = table.quantity[row];
            if table.has(Role::Quantity) && quantity.abs() >= EXTREME_QUANTITY {
                anomalies.extreme_quantities += 1;
            }
            if table.has(Role::Quantity)
                && anomalies
                    .largest_quantity
                    .as_ref()
                    .is_none_or(|(largest, _)| quantity.abs() > *largest)
            {
                let invoice = table.invoices.value(table.invoice[row]).to_string();
                anomalies.largest_quantity = Some((quantity.abs(), invoice));
            }
            let price = table.unit_price[row];
            if table.has(Role::UnitPrice) && price > 0.0 && price < TINY_PRICE {
                anomalies.tiny_prices += 1;
            }
            if cancelled[table.invoice[row] as usize] && table.customer[row] != MISSING {
                cancelled_pairs.insert((table.customer[row], table.stock_code[row]));
            }
        }
    });
    if table.has(Role::Customer) && table.has(Role::StockCode) && !cancelled_pairs.is_empty() {
        // Seuls les achats des clients qui ont annulé sont cherchés dans les
        // paires : un tableau par client évite une recherche par ligne.
        let mut cancels = vec![false; table.customers.len()];
        for &(customer, _) in &cancelled_pairs {
            if let Some(flag) = cancels.get_mut(customer as usize) {
                *flag = true;
            }
        }
        let mut purchased = FxHashSet::default();
        in_blocks(table.len(), &mut |rows| {
            for row in rows {
                let customer = table.customer[row];
                if cancels.get(customer as usize).copied().unwrap_or(true)
                    && !cancelled[table.invoice[row] as usize]
                    && table.quantity[row] > 0.0
                {
                    let pair = (customer, table.stock_code[row]);
                    if cancelled_pairs.contains(&pair) {
                        purchased.insert(pair);
                    }
                }
            }
        });
        let mut unmatched = 0;
        in_blocks(table.len(), &mut |rows| {
            unmatched += rows
                .filter(|&row| {
                    cancelled[table.invoice[row] as usize]
                        && table.customer[row] != MISSING
                        && !purchased.contains(&(table.customer[row], table.stock_code[row]))
                })
                .count() as u64;
        });
        anomalies.unmatched_cancellations = unmatched;
    }
    anomalies
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{read_transactions, ImportOptions};
    use crate::progress::NoProgress;

    fn table(csv: &str) -> TransactionTable {
        read_transactions(csv.as_bytes(), &ImportOptions::default(), &mut NoProgress)
            .expect("lisible")
            .0
    }

    /// Une règle sautée faute de colonne n'est pas une étape de
    /// l'entonnoir (elle y paraissait avec « −0 ligne »).
    #[test]
    fn the_funnel_leaves_out_rules_skipped_for_lack_of_a_column() {
        let csv = "InvoiceNo,Description,Quantity\n1,cup,1\n2,cup,-1\n";
        let (_, counts, _) = clean(table(csv), &CleaningOptions::default());
        let steps: Vec<(CleaningStep, u64)> = counts.funnel();
        assert_eq!(
            steps,
            [
                (CleaningStep::Read, 2),
                (CleaningStep::Cancelled, 2),
                (CleaningStep::Quantity, 1)
            ]
        );
    }

    /// Sans numéro de facture (paniers client × jour), la règle des
    /// annulations est sautée : elle n'a rien pu reconnaître.
    #[test]
    fn without_invoices_the_cancellation_rule_is_skipped() {
        let csv = "customer,date,amount\n1,2011-01-01,5\n2,2011-01-02,0\n";
        let (_, counts, _) = clean(table(csv), &CleaningOptions::default());
        assert!(counts.skipped_rules.contains(&CleaningRule::Cancelled));
        assert!(!counts
            .funnel()
            .iter()
            .any(|(step, _)| *step == CleaningStep::Cancelled));
    }

    #[test]
    fn rules_apply_in_order_and_each_is_counted() {
        let csv = "InvoiceNo,StockCode,Description,Quantity,UnitPrice,CustomerID\n\
                   C1,A,  cup ,1,1,10\n\
                   2,A,cup,1,1,\n\
                   3,A,Cup,-1,1,11\n\
                   4,A,CUP ,2,0,12\n\
                   5,B, Plate,3,1.5,13\n\
                   6,A,cup,2,2,14\n\
                   6,A,cup,2,2,14\n";
        let (clean, counts, _) = clean(table(csv), &CleaningOptions::default());
        assert_eq!(
            (
                counts.raw_rows,
                counts.after_drop_cancelled,
                counts.after_drop_missing_customer,
                counts.after_drop_qty_le_0,
                counts.after_drop_price_le_0,
                counts.exact_duplicates,
                counts.after_drop_duplicates
            ),
            (7, 6, 5, 4, 3, 1, 3)
        );
        assert_eq!(clean.total_price, vec![4.5, 4.0, 4.0]);
        let names: Vec<&str> = clean
            .table
            .description
            .iter()
            .map(|&id| clean.table.descriptions.value(id))
            .collect();
        assert_eq!(names, vec!["plate", "cup", "cup"]);
    }

    #[test]
    fn duplicate_detection_equals_brute_force_on_random_tables() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..50 {
            let rows = rng.random_range(0..200);
            let mut table = TransactionTable::default();
            for _ in 0..rows {
                // Peu de valeurs possibles : beaucoup de doublons.
                table.invoice.push(rng.random_range(0..3));
                table.stock_code.push(rng.random_range(0..2));
                table.description.push(0);
                table.quantity.push(f64::from(rng.random_range(1..3)));
                table.invoice_date.push(0);
                table.unit_price.push(1.5);
                table.customer.push(rng.random_range(0..2));
                table.country.push(0);
            }
            let brute: Vec<bool> = (0..rows)
                .map(|row| {
                    (0..row).any(|earlier| {
                        table.invoice[earlier] == table.invoice[row]
                            && table.stock_code[earlier] == table.stock_code[row]
                            && table.quantity[earlier] == table.quantity[row]
                            && table.customer[earlier] == table.customer[row]
                    })
                })
                .collect();
            assert_eq!(exact_duplicates(&table), brute);
        }
    }

    #[test]
    fn duplicates_are_dropped_only_on_request() {
        let csv = "InvoiceNo,Quantity,UnitPrice,CustomerID\n1,1,1,1\n1,1,1,1\n1,2,1,1\n";
        let options = CleaningOptions {
            drop_duplicates: true,
            ..CleaningOptions::default()
        };
        let (clean, counts, _) = clean(table(csv), &options);
        assert_eq!(counts.after_drop_price_le_0, 3);
        assert_eq!(counts.after_drop_duplicates, 2);
        assert_eq!(clean.table.len(), 2);
    }

    #[test]
    fn rules_without_their_column_are_skipped_and_said() {
        let csv = "InvoiceNo,Description\n1,cup\nC2,cup\n";
        let (clean, counts, _) = clean(table(csv), &CleaningOptions::default());
        assert_eq!(clean.table.len(), 1);
        assert_eq!(
            counts.skipped_rules,
            vec![
                CleaningRule::MissingCustomer,
                CleaningRule::QuantityNotPositive,
                CleaningRule::PriceNotPositive
            ]
        );
    }

    #[test]
    fn anomalies_and_service_lines_are_found() {
        let csv = "InvoiceNo,StockCode,Quantity,UnitPrice,CustomerID\n\
                   1,A,80995,2.08,10\n\
                   C2,A,-80995,2.08,10\n\
                   C3,Z,-1,1,10\n\
                   4,POST,1,18,10\n\
                   5,B,1,0.001,11\n";
        let (_, _, anomalies) = clean(table(csv), &CleaningOptions::default());
        assert_eq!(anomalies.extreme_quantities, 2);
        assert_eq!(anomalies.largest_quantity, Some((80995.0, "1".into())));
        assert_eq!(anomalies.unmatched_cancellations, 1);
        assert_eq!(anomalies.tiny_prices, 1);
        // « B » (dette irrécouvrable) et « POST » sont des lignes de service.
        assert_eq!(anomalies.service_lines, 2);
    }
}
