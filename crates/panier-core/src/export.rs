//! Exports : les fichiers produits par Panier, aux colonnes et formats de
//! nombres des sorties de référence (pandas), pour qu'ils se comparent ligne
//! à ligne.

use std::io::Write;

use crate::basket::mining::{itemset_key, FrequentItemsets};
use crate::basket::query::sorted_by_reference;
use crate::basket::rules::RuleSet;
use crate::clean::CleanTable;
use crate::clv::ClvResult;
use crate::ingest::dates::format_timestamp;
use crate::ingest::roles::Role;
use crate::rfm::segments::SegmentGrid;
use crate::rfm::RfmTable;
use crate::table::MISSING;

/// Écrit un flottant comme `repr()` de Python, que pandas utilise pour ses
/// CSV : `90.0`, `3.75`, `1e-05`, `inf`.
pub fn python_float(value: f64) -> String {
    let mut text = String::new();
    push_python_float(&mut text, value);
    text
}

/// [`python_float`], écrit à la fin de `out` (sans allocation dans le cas
/// courant).
pub fn push_python_float(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    if value.is_nan() {
        out.push_str("nan");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-4..1e16).contains(&magnitude) {
        // Notation scientifique : mantisse la plus courte, exposant sur deux
        // chiffres au moins (1e-05, 1.5e+16).
        let text = format!("{value:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let sign = if exponent < 0 { '-' } else { '+' };
        let _ = write!(out, "{mantissa}e{sign}{:02}", exponent.abs());
        return;
    }
    let start = out.len();
    let _ = write!(out, "{value}");
    if !out[start..].contains('.') {
        out.push_str(".0");
    }
}

/// Plafond des textes de flottants gardés par [`FloatTexts`] : au-delà,
/// les valeurs nouvelles sont mises en forme à chaque fois (la mémoire ne
/// suit pas un fichier dont chaque montant est différent).
const FLOAT_TEXTS: usize = 1 << 16;

/// Les flottants déjà mis en forme par [`push_python_float`] : dans un export,
/// les prix et les montants de ligne se répètent (quelques milliers de
/// valeurs pour 400 000 lignes d'Online Retail), et copier un texte coûte
/// moins que le refaire.
#[derive(Default)]
struct FloatTexts {
    known: rustc_hash::FxHashMap<u64, Box<str>>,
}

impl FloatTexts {
    /// Écrit `value` à la fin de `out`, comme [`push_python_float`].
    fn push(&mut self, out: &mut String, value: f64) {
        if let Some(text) = self.known.get(&value.to_bits()) {
            out.push_str(text);
            return;
        }
        let start = out.len();
        push_python_float(out, value);
        if self.known.len() < FLOAT_TEXTS {
            self.known.insert(value.to_bits(), out[start..].into());
        }
    }
}

/// En-tête du fichier nettoyé (celui de la référence) : les noms canoniques
/// des rôles, puis le montant de ligne.
pub fn cleaned_header() -> Vec<&'static str> {
    Role::ALL
        .iter()
        .map(|role| role.canonical_name())
        .chain(["TotalPrice"])
        .collect()
}

/// Écrit les transactions nettoyées en CSV UTF-8.
pub fn write_cleaned_csv(clean: &CleanTable, out: impl Write) -> csv::Result<()> {
    let table = &clean.table;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(cleaned_header())?;
    let integer_quantities = table
        .quantity
        .iter()
        .all(|q| q.fract() == 0.0 && q.abs() < 1e15);
    // Les lignes d'une facture partagent leur date : on ne la met en forme
    // qu'une fois.
    let mut last_date: Option<(i64, String)> = None;
    // Les trois nombres de la ligne, écrits bout à bout dans un même texte
    // réutilisé (aucune allocation par ligne).
    let mut numbers = String::new();
    let mut floats = FloatTexts::default();
    for row in 0..table.len() {
        let timestamp = table.invoice_date[row];
        if last_date
            .as_ref()
            .is_none_or(|(last, _)| *last != timestamp)
        {
            last_date = Some((timestamp, format_timestamp(timestamp)));
        }
        let date = last_date.as_ref().map_or("", |(_, text)| text.as_str());
        let customer = match table.customer[row] {
            MISSING => "",
            id => table.customers.value(id),
        };
        numbers.clear();
        let quantity = table.quantity[row];
        if integer_quantities {
            use std::fmt::Write as _;
            let _ = write!(numbers, "{}", quantity as i64);
        } else {
            floats.push(&mut numbers, quantity);
        }
        let quantity_end = numbers.len();
        floats.push(&mut numbers, table.unit_price[row]);
        let price_end = numbers.len();
        floats.push(&mut numbers, clean.total_price[row]);
        writer.write_record([
            table.invoices.value(table.invoice[row]),
            table.stock_codes.value(table.stock_code[row]),
            table.descriptions.value(table.description[row]),
            &numbers[..quantity_end],
            date,
            &numbers[quantity_end..price_end],
            customer,
            table.countries.value(table.country[row]),
            &numbers[price_end..],
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// En-tête de `rfm_segments.csv`, celui de la référence.
pub const RFM_HEADER: [&str; 11] = [
    "CustomerID",
    "Recency",
    "Frequency",
    "Monetary",
    "R_Score",
    "F_Score",
    "M_Score",
    "RFM_Score",
    "RFM_Sum",
    "FM_Score",
    "Segment",
];

/// Écrit la segmentation (un client par ligne, segments selon `grid`) en
/// CSV UTF-8, aux colonnes de la référence.
pub fn write_rfm_csv(table: &RfmTable, grid: &SegmentGrid, out: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(RFM_HEADER)?;
    for c in &table.customers {
        writer.write_record([
            c.customer.clone(),
            c.recency.to_string(),
            c.frequency.to_string(),
            python_float(c.monetary),
            c.r.to_string(),
            c.f.to_string(),
            c.m.to_string(),
            c.rfm_score(),
            c.rfm_sum().to_string(),
            c.fm().to_string(),
            grid.segment_of(c.r, c.f, c.m).to_string(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// En-tête de `clv.csv` : les colonnes de `lifetimes` (fréquence, récence et
/// ancienneté en semaines), puis les prévisions.
pub const CLV_HEADER: [&str; 9] = [
    "customer",
    "frequency",
    "recency_weeks",
    "T_weeks",
    "monetary",
    "p_alive",
    "expected_transactions",
    "expected_value",
    "clv",
];

/// Écrit `clv.csv` : un client par ligne, dans l'ordre de
/// `rfm_segments.csv`, les nombres comme `repr()` de Python.
pub fn write_clv_csv(result: &ClvResult, out: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(CLV_HEADER)?;
    for c in &result.customers {
        writer.write_record([
            c.customer.clone(),
            c.frequency.to_string(),
            python_float(c.recency_weeks),
            python_float(c.t_weeks),
            python_float(c.monetary),
            python_float(c.p_alive),
            python_float(c.expected_transactions),
            python_float(c.expected_value),
            python_float(c.clv),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// En-tête de `association_rules.csv`, celui de la référence.
pub const RULES_HEADER: [&str; 13] = [
    "antecedents",
    "consequents",
    "antecedent support",
    "consequent support",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "zhangs_metric",
    "jaccard",
    "certainty",
    "kulczynski",
];

/// Écrit les itemsets fréquents (`itemsets,length,support`), dans l'ordre de
/// la référence.
pub fn write_itemsets_csv(itemsets: &FrequentItemsets, out: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["itemsets", "length", "support"])?;
    for index in itemsets.reference_order() {
        let itemset = &itemsets.itemsets[index];
        writer.write_record([
            itemset_key(itemsets.names(&itemset.items)),
            itemset.items.len().to_string(),
            python_float(itemsets.support(itemset.count)),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// Écrit les règles et toutes leurs mesures, dans l'ordre de la référence
/// (lift, confiance, antécédent, conséquent).
pub fn write_rules_csv(rules: &RuleSet, out: impl Write) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(RULES_HEADER)?;
    for index in sorted_by_reference(rules) {
        let rule = &rules.rules[index];
        let (antecedent, consequent) = rules.sides(rule);
        let m = rules.metrics(rule);
        let mut record = vec![
            itemset_key(rules.itemsets.names(&antecedent)),
            itemset_key(rules.itemsets.names(&consequent)),
        ];
        record.extend(
            [
                m.antecedent_support,
                m.consequent_support,
                m.support,
                m.confidence,
                m.lift,
                m.leverage,
                m.conviction,
                m.zhangs_metric,
                m.jaccard,
                m.certainty,
                m.kulczynski,
            ]
            .map(python_float),
        );
        writer.write_record(record)?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_written_like_python_repr() {
        assert_eq!(python_float(90.0), "90.0");
        assert_eq!(python_float(3.75), "3.75");
        assert_eq!(python_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(python_float(1e-5), "1e-05");
        assert_eq!(python_float(0.0001), "0.0001");
        assert_eq!(python_float(1.5e16), "1.5e+16");
        assert_eq!(python_float(-2.0), "-2.0");
        assert_eq!(python_float(f64::INFINITY), "inf");
        assert_eq!(python_float(0.0), "0.0");
    }
}
