//! Avertissements du rapport : ce que l'import a supposé, écarté ou relevé,
//! dit en clair dans les deux langues, avec quoi faire.

use serde::{Deserialize, Serialize};

use crate::clean::{CleaningRule, EXTREME_QUANTITY};
use crate::error::number_cause_text;
use crate::ingest::dates::DateOrder;
use crate::ingest::roles::BasketKey;
use crate::ingest::{NumberCause, SourceFormat};
use crate::lang::Lang;
use crate::summary::{Analysis, Report};

/// Un avertissement du rapport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Warning {
    /// L'ordre jour/mois n'a pas pu être prouvé par les données.
    AssumedDateOrder {
        /// Ordre supposé.
        order: DateOrder,
        /// Exemple de date du fichier.
        example: String,
    },
    /// Lignes écartées : quantité ou prix illisible.
    UnparseableRows {
        /// Lignes écartées.
        rows: u64,
        /// La cause la plus fréquente.
        cause: NumberCause,
        /// Jusqu'à trois valeurs illisibles du fichier.
        examples: Vec<String>,
    },
    /// Lignes dont la date est illisible ou vide.
    UnparseableDates(u64),
    /// Octets invalides remplacés (UTF-8 abîmé).
    ReplacedBytes(u64),
    /// Lignes de largeur différente de l'en-tête.
    RaggedRows(u64),
    /// Règle de nettoyage sautée faute de colonne.
    SkippedRule(CleaningRule),
    /// Analyse impossible faute de colonnes.
    Disabled {
        /// Analyse concernée.
        analysis: Analysis,
        /// Colonnes manquantes.
        missing: Vec<String>,
    },
    /// Quantités extrêmes.
    ExtremeQuantities {
        /// Nombre de lignes.
        count: u64,
        /// Plus grande quantité absolue.
        largest: f64,
        /// Facture où elle apparaît.
        invoice: String,
    },
    /// Annulations sans achat correspondant.
    UnmatchedCancellations(u64),
    /// Prix unitaires dérisoires (0,001…).
    TinyPrices(u64),
    /// Lignes de service dans les ventes (frais de port…).
    ServiceLines(u64),
    /// Doublons exacts gardés.
    ExactDuplicates(u64),
    /// Pas de numéro de facture : un panier est ce qu'un client achète un
    /// même jour.
    BasketsPerCustomerDay,
    /// Le montant est le total de la commande, répété sur chaque ligne :
    /// compté une fois par commande, réparti entre ses lignes.
    OrderTotalsSpread {
        /// Commandes de plusieurs lignes concernées.
        orders: u64,
    },
    /// Lignes aux dates invraisemblables (avant 1990, ou plus d'un an après
    /// aujourd'hui).
    ImplausibleDates {
        /// Nombre de lignes.
        count: u64,
        /// Une de ces dates.
        example: String,
        /// Vrai si la règle de nettoyage les a retirées.
        dropped: bool,
    },
    /// Lignes sans numéro de facture : réunies en un seul panier.
    EmptyInvoices(u64),
    /// Articles qui n'en sont pas (« none », « ? », vide…).
    PlaceholderItems {
        /// Lignes nettoyées concernées.
        count: u64,
        /// Les valeurs rencontrées.
        examples: Vec<String>,
    },
}

/// Tous les avertissements d'un rapport, du plus important au plus anodin.
pub fn warnings_for(report: &Report) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let import = &report.import;
    if let Some(format) = &import.date_format {
        if format.assumed {
            warnings.push(Warning::AssumedDateOrder {
                order: format.order,
                example: format.example.clone(),
            });
        }
    }
    if import.basket_key == BasketKey::CustomerDay {
        warnings.push(Warning::BasketsPerCustomerDay);
    }
    if import.order_totals > 0 {
        warnings.push(Warning::OrderTotalsSpread {
            orders: import.order_totals,
        });
    }
    for disabled in &report.disabled {
        warnings.push(Warning::Disabled {
            analysis: disabled.analysis,
            missing: disabled.missing.clone(),
        });
    }
    // Une liste de paniers n'a ni client ni prix par nature : les règles
    // sautées n'y apprennent rien de plus que les analyses désactivées.
    if import.format != SourceFormat::BasketPerLine {
        for rule in &report.cleaning.skipped_rules {
            warnings.push(Warning::SkippedRule(*rule));
        }
    }
    if import.rows_unparseable > 0 {
        warnings.push(Warning::UnparseableRows {
            rows: import.rows_unparseable,
            cause: import.unreadable_numbers.cause(),
            examples: import.unreadable_numbers.examples.clone(),
        });
    }
    let counted = [
        (
            import.dates_unparseable,
            Warning::UnparseableDates as fn(u64) -> Warning,
        ),
        (import.replaced_bytes, Warning::ReplacedBytes),
        (import.rows_ragged, Warning::RaggedRows),
    ];
    warnings.extend(
        counted
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| w(n)),
    );
    let anomalies = &report.anomalies;
    if let (true, Some(example)) = (
        anomalies.implausible_dates > 0,
        &anomalies.implausible_date_example,
    ) {
        warnings.push(Warning::ImplausibleDates {
            count: anomalies.implausible_dates,
            example: example.clone(),
            dropped: report.cleaning.after_drop_implausible_dates
                < report.cleaning.after_drop_price_le_0,
        });
    }
    if anomalies.empty_invoices > 0 {
        warnings.push(Warning::EmptyInvoices(anomalies.empty_invoices));
    }
    if anomalies.placeholder_items > 0 {
        warnings.push(Warning::PlaceholderItems {
            count: anomalies.placeholder_items,
            examples: anomalies.placeholder_examples.clone(),
        });
    }
    if anomalies.extreme_quantities > 0 {
        if let Some((largest, invoice)) = &anomalies.largest_quantity {
            warnings.push(Warning::ExtremeQuantities {
                count: anomalies.extreme_quantities,
                largest: *largest,
                invoice: invoice.clone(),
            });
        }
    }
    let counted = [
        (
            anomalies.unmatched_cancellations,
            Warning::UnmatchedCancellations as fn(u64) -> Warning,
        ),
        (anomalies.tiny_prices, Warning::TinyPrices),
        (anomalies.service_lines, Warning::ServiceLines),
        (report.cleaning.exact_duplicates, Warning::ExactDuplicates),
    ];
    warnings.extend(
        counted
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| w(n)),
    );
    warnings
}

/// Valeurs citées entre guillemets droits (une valeur vide se voit : "").
fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|value| format!("\"{value}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn rule_name(rule: CleaningRule, lang: Lang) -> &'static str {
    match (rule, lang) {
        (CleaningRule::Cancelled, Lang::Fr) => "retrait des annulations",
        (CleaningRule::Cancelled, Lang::En) => "cancellation removal",
        (CleaningRule::MissingCustomer, Lang::Fr) => "retrait des lignes sans client",
        (CleaningRule::MissingCustomer, Lang::En) => "removal of rows without customer",
        (CleaningRule::QuantityNotPositive, Lang::Fr) => "retrait des quantités ≤ 0",
        (CleaningRule::QuantityNotPositive, Lang::En) => "removal of quantities ≤ 0",
        (CleaningRule::PriceNotPositive, Lang::Fr) => "retrait des prix ≤ 0",
        (CleaningRule::PriceNotPositive, Lang::En) => "removal of prices ≤ 0",
    }
}

fn analysis_name(analysis: Analysis, lang: Lang) -> &'static str {
    match (analysis, lang) {
        (Analysis::Revenue, Lang::Fr) => "Chiffre d'affaires",
        (Analysis::Revenue, Lang::En) => "Revenue",
        (Analysis::Rfm, Lang::Fr) => "Segmentation RFM",
        (Analysis::Rfm, Lang::En) => "RFM segmentation",
        (Analysis::Baskets, Lang::Fr) => "Analyse des paniers",
        (Analysis::Baskets, Lang::En) => "Basket analysis",
    }
}

impl Warning {
    /// Le nombre que dit l'avertissement (lignes, ou commandes), 0 s'il n'en
    /// dit pas.
    fn count(&self) -> u64 {
        use Warning::*;
        match self {
            UnparseableRows { rows, .. } => *rows,
            UnparseableDates(n)
            | ReplacedBytes(n)
            | RaggedRows(n)
            | UnmatchedCancellations(n)
            | TinyPrices(n)
            | ServiceLines(n)
            | ExactDuplicates(n)
            | EmptyInvoices(n) => *n,
            ExtremeQuantities { count, .. }
            | ImplausibleDates { count, .. }
            | PlaceholderItems { count, .. } => *count,
            OrderTotalsSpread { orders } => *orders,
            AssumedDateOrder { .. } | SkippedRule(_) | Disabled { .. } | BasketsPerCustomerDay => 0,
        }
    }

    /// Message pour l'utilisateur ; les nombres s'écrivent dans la langue
    /// ([`crate::numbers`] : « 135 080 lignes »).
    pub fn message(&self, lang: Lang) -> String {
        use crate::numbers::{count, decimal};
        use Warning::*;
        // Le nombre de lignes (ou de commandes) en cause, écrit une fois.
        let n = count(lang, self.count());
        match (self, lang) {
            (AssumedDateOrder { order, example }, Lang::Fr) => format!(
                "Aucune date ne permet de trancher entre jour/mois et mois/jour (ex. «\u{a0}{example}\u{a0}») : \
                 Panier a supposé {}. Changez l'ordre des dates dans les options d'import si c'est faux.",
                if *order == DateOrder::DayFirst { "jour d'abord" } else { "mois d'abord" }
            ),
            (AssumedDateOrder { order, example }, Lang::En) => format!(
                "No date settles day/month versus month/day (e.g. \"{example}\"): Panier assumed {}. \
                 Change the date order in the import options if this is wrong.",
                if *order == DateOrder::DayFirst { "day first" } else { "month first" }
            ),
            (
                UnparseableRows {
                    cause, examples, ..
                },
                lang,
            ) => {
                let lead = match lang {
                    Lang::Fr => format!("{n} lignes écartées, quantité ou prix illisible"
            ),
                    Lang::En => format!("{n} rows left out, unreadable quantity or price"
            ),
                };
                let colon = crate::numbers::colon(lang);
                format!("{lead}{colon} {}", number_cause_text(*cause, examples, lang))
            }
            (UnparseableDates(_), Lang::Fr) => format!(
                "{n} lignes ont une date vide ou illisible : elles comptent dans les ventes mais pas \
                 dans la récence RFM."
            ),
            (UnparseableDates(_), Lang::En) => format!(
                "{n} rows have an empty or unreadable date: they count in sales but not in RFM recency."
            ),
            (ReplacedBytes(_), Lang::Fr) => format!(
                "{n} octets invalides en UTF-8 ont été remplacés par «\u{a0}�\u{a0}». Si le texte paraît \
                 abîmé, choisissez l'encodage Windows-1252 dans les options d'import."
            ),
            (ReplacedBytes(_), Lang::En) => format!(
                "{n} invalid UTF-8 bytes were replaced with \"�\". If text looks garbled, pick the \
                 Windows-1252 encoding in the import options."
            ),
            (RaggedRows(_), Lang::Fr) => format!(
                "{n} lignes n'ont pas le même nombre de champs que l'en-tête : les champs manquants \
                 sont lus comme vides. Vérifiez le séparateur."
            ),
            (RaggedRows(_), Lang::En) => format!(
                "{n} rows do not have as many fields as the header: missing fields are read as \
                 empty. Check the delimiter."
            ),
            (SkippedRule(rule), Lang::Fr) => format!(
                "Règle sautée faute de colonne : {}.",
                rule_name(*rule, lang)
            ),
            (SkippedRule(rule), Lang::En) => format!(
                "Rule skipped for lack of a column: {}.",
                rule_name(*rule, lang)
            ),
            // Accords et listes en toutes lettres : « il manque les colonnes
            // CustomerID, InvoiceDate et Quantity » (plus de « (s) »).
            (Disabled { analysis, missing }, Lang::Fr) => {
                let columns = lang.list(missing);
                let (noun, pronoun, names) = if missing.len() == 1 {
                    ("la colonne", "la", "un autre nom")
                } else {
                    ("les colonnes", "les", "d'autres noms")
                };
                format!(
                    "{} indisponible\u{a0}: il manque {noun} {columns}. Si le fichier {pronoun} \
                     contient sous {names}, indiquez-{pronoun} à l'étape de correspondance.",
                    analysis_name(*analysis, lang)
                )
            }
            (Disabled { analysis, missing }, Lang::En) => {
                let columns = lang.list(missing);
                let (noun, pronoun) = if missing.len() == 1 {
                    ("column is", "it")
                } else {
                    ("columns are", "them")
                };
                format!(
                    "{} unavailable: the {columns} {noun} missing. If the file holds {pronoun} \
                     under another name, map {pronoun} in the mapping step.",
                    analysis_name(*analysis, lang)
                )
            }
            (ExtremeQuantities { largest, invoice, .. }, Lang::Fr) => format!(
                "{n} lignes ont une quantité d'au moins {extreme_f} (jusqu'à {largest_f} \
                 sur la facture {invoice}) : erreur de saisie ou vente en gros ? Vérifiez-les.",
                extreme_f = decimal(lang, EXTREME_QUANTITY, 0),
                largest_f = decimal(lang, *largest, 0)
            ),
            (ExtremeQuantities { largest, invoice, .. }, Lang::En) => format!(
                "{n} rows have a quantity of at least {extreme_f} (up to {largest_f} on \
                 invoice {invoice}): typo or wholesale? Check them.",
                extreme_f = decimal(lang, EXTREME_QUANTITY, 0),
                largest_f = decimal(lang, *largest, 0)
            ),
            (UnmatchedCancellations(_), Lang::Fr) => format!(
                "{n} lignes d'annulation ne correspondent à aucun achat du même client pour le même \
                 article (achat antérieur à l'export ?)."
            ),
            (UnmatchedCancellations(_), Lang::En) => format!(
                "{n} cancellation rows match no purchase of the same item by the same customer \
                 (bought before the export started?)."
            ),
            (TinyPrices(_), Lang::Fr) => format!(
                "{n} lignes ont un prix unitaire positif mais inférieur à 0,01 : ajustements \
                 comptables plutôt que ventes ?"
            ),
            (TinyPrices(_), Lang::En) => format!(
                "{n} rows have a positive unit price below 0.01: accounting adjustments rather \
                 than sales?"
            ),
            (ServiceLines(_), Lang::Fr) => format!(
                "{n} lignes de service (frais de port POST, DOT, frais bancaires…) restent dans les \
                 ventes. Cochez «\u{a0}Garder les lignes de service (frais de port…) hors des paniers\u{a0}» \
                 dans les options d'import."
            ),
            (ServiceLines(_), Lang::En) => format!(
                "{n} service lines (POST, DOT postage, bank charges…) remain in the sales. Tick \
                 \"Keep service lines (postage…) out of baskets\" in the import options."
            ),
            (ExactDuplicates(_), Lang::Fr) => format!(
                "{n} lignes sont des doublons exacts d'une autre ligne ; elles sont gardées. \
                 Cochez «\u{a0}Retirer les doublons exacts\u{a0}» dans les options d'import pour les \
                 écarter."
            ),
            (ImplausibleDates { example, dropped: false, .. }, Lang::Fr) => format!(
                "{n} lignes ont une date invraisemblable (avant 1990 ou plus d'un an après \
                 aujourd'hui, par exemple {example})\u{a0}: elles faussent la récence RFM et la \
                 période. Cochez «\u{a0}Retirer les dates invraisemblables\u{a0}» dans les \
                 options d'import, ou corrigez-les à la source."
            ),
            (ImplausibleDates { example, dropped: false, .. }, Lang::En) => format!(
                "{n} rows have an implausible date (before 1990 or more than a year from \
                 today, e.g. {example}): they distort RFM recency and the period. Tick \
                 \"Drop implausible dates\" in the import options, or fix them at the source."
            ),
            (ImplausibleDates { example, dropped: true, .. }, Lang::Fr) => format!(
                "{n} lignes aux dates invraisemblables (par exemple {example}) ont été \
                 retirées, comme demandé."
            ),
            (ImplausibleDates { example, dropped: true, .. }, Lang::En) => format!(
                "{n} rows with implausible dates (e.g. {example}) were removed, as asked."
            ),
            (EmptyInvoices(_), Lang::Fr) => format!(
                "{n} lignes n'ont pas de numéro de facture\u{a0}: elles comptent dans les ventes \
                 et les montants, mais dans aucun panier ni dans la fréquence d'achat. Vérifiez la colonne de \
                 facture à l'étape de correspondance."
            ),
            (EmptyInvoices(_), Lang::En) => format!(
                "{n} rows have no invoice number: they count in sales and amounts, but in no \
                 basket and not in purchase frequency. Check the invoice column in the mapping \
                 step."
            ),
            (PlaceholderItems { examples, .. }, Lang::Fr) => format!(
                "{n} lignes ont un article qui n'en est pas ({})\u{a0}: retirez-le des paniers \
                 avec «\u{a0}Articles à retirer\u{a0}» (page Recommandations).",
                quoted(examples)
            ),
            (PlaceholderItems { examples, .. }, Lang::En) => format!(
                "{n} rows have an item that is not one ({}): leave it out of baskets with \
                 \"Items to remove\" (Recommendations page).",
                quoted(examples)
            ),
            (OrderTotalsSpread { .. }, Lang::Fr) => format!(
                "La colonne de montant répète le total de la commande sur chacune de ses lignes \
                 ({n} commandes de plusieurs lignes)\u{a0}: Panier compte ce total une fois \
                 par commande, réparti à parts égales entre ses lignes. Le chiffre d'affaires est \
                 exact\u{a0}; celui de chaque produit est une estimation."
            ),
            (OrderTotalsSpread { .. }, Lang::En) => format!(
                "The amount column repeats the order total on each of its lines ({n} orders \
                 with several lines): Panier counts this total once per order, split equally \
                 between its lines. Revenue is exact; revenue per product is an estimate."
            ),
            (BasketsPerCustomerDay, Lang::Fr) => "Le fichier n'a pas de numéro de facture\u{a0}: \
                 un panier est ici l'ensemble des achats d'un client un même jour. Si le fichier \
                 a une colonne de commande ou de ticket sous un autre nom, indiquez-la à l'étape \
                 de correspondance."
                .into(),
            (BasketsPerCustomerDay, Lang::En) => "The file has no invoice number: a basket is \
                 here everything a customer bought on one day. If the file has an order or \
                 receipt column under another name, map it in the mapping step."
                .into(),
            (ExactDuplicates(_), Lang::En) => format!(
                "{n} rows are exact duplicates of another row; they are kept. Tick \
                 \"Drop exact duplicates\" in the import options to remove them."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// « Il manque la colonne X » / « les colonnes X, Y et Z » : accords et
    /// listes en toutes lettres, dans les deux langues.
    #[test]
    fn disabled_analyses_are_said_in_plain_grammar() {
        let one = Warning::Disabled {
            analysis: Analysis::Baskets,
            missing: vec!["Description".into()],
        };
        assert_eq!(
            one.message(Lang::Fr),
            "Analyse des paniers indisponible\u{a0}: il manque la colonne Description. Si le \
             fichier la contient sous un autre nom, indiquez-la à l'étape de correspondance."
        );
        let three = Warning::Disabled {
            analysis: Analysis::Rfm,
            missing: vec![
                "CustomerID".into(),
                "InvoiceDate".into(),
                "UnitPrice".into(),
            ],
        };
        assert_eq!(
            three.message(Lang::En),
            "RFM segmentation unavailable: the CustomerID, InvoiceDate and UnitPrice columns \
             are missing. If the file holds them under another name, map them in the mapping \
             step."
        );
    }
}
