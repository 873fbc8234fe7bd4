//! Le classeur des résultats d'une session ([`crate::workbook`]) : la
//! session rassemble ce qu'elle a calculé (ou le calcule), la mise en
//! feuilles est l'affaire du module `workbook`.

use std::io::Write;

use crate::error::PanierError;
use crate::numbers::Currency;
use crate::recommend::evaluation::Quality;
use crate::rfm::segments::{segment_label, SegmentGrid};
use crate::workbook::{write_workbook, Contents, CsvSheet, Table, Value};
use crate::Lang;

use super::{unwritable, Session};

/// Ce que l'on demande au classeur.
#[derive(Debug, Clone)]
pub struct WorkbookRequest<'a> {
    /// Grille des segments (celle que l'utilisateur a éditée).
    pub grid: &'a SegmentGrid,
    /// Langue des libellés et des justifications.
    pub lang: Lang,
    /// Devise des montants (`None` : celle devinée du fichier).
    pub currency: Option<Currency>,
    /// Articles recommandés par client.
    pub per_customer: usize,
    /// `recommendations.csv` déjà écrit (la CLI l'a) ; `None` : la session
    /// le produit.
    pub recommendations: Option<&'a [u8]>,
    /// Date de création du classeur (secondes Unix) : le cœur n'a pas
    /// d'horloge (dans le navigateur, c'est celle de JavaScript).
    pub created: Option<i64>,
}

/// Libellés du classeur, dans les deux langues.
struct Labels {
    period: &'static str,
    rows_read: &'static str,
    rows: &'static str,
    customers: &'static str,
    orders: &'static str,
    revenue: &'static str,
    aov: &'static str,
    returning: &'static str,
    products: &'static str,
    countries: &'static str,
    country_filter: &'static str,
    currency: &'static str,
    cleaning: &'static str,
    step: &'static str,
    removed: &'static str,
    left: &'static str,
    warnings: &'static str,
    segments: &'static str,
    segment: &'static str,
    share: &'static str,
    revenue_share: &'static str,
    mean_recency: &'static str,
    mean_frequency: &'static str,
    mean_monetary: &'static str,
    customers_sheet: &'static str,
    clv_sheet: &'static str,
    rules_sheet: &'static str,
    recommendations_sheet: &'static str,
    quality: &'static str,
    list: &'static str,
    who: &'static str,
    hit: &'static str,
    precision: &'static str,
    coverage: &'static str,
    discovery: &'static str,
    reorder: &'static str,
    model: &'static str,
    all_time: &'static str,
    recent: &'static str,
}

const FR: Labels = Labels {
    period: "Période",
    rows_read: "Lignes lues",
    rows: "Lignes analysées",
    customers: "Clients",
    orders: "Commandes",
    revenue: "Chiffre d'affaires",
    aov: "Panier moyen",
    returning: "Clients revenus (au moins 2 commandes)",
    products: "Produits",
    countries: "Pays",
    country_filter: "Pays retenu",
    currency: "Devise",
    cleaning: "Nettoyage",
    step: "Étape",
    removed: "Lignes retirées",
    left: "Lignes restantes",
    warnings: "À savoir",
    segments: "Segments",
    segment: "Segment",
    share: "Part des clients",
    revenue_share: "Part du chiffre d'affaires",
    mean_recency: "Dernier achat il y a (jours, moyenne)",
    mean_frequency: "Commandes par client (moyenne)",
    mean_monetary: "Dépense par client (moyenne)",
    customers_sheet: "Clients",
    clv_sheet: "Valeur client",
    rules_sheet: "Règles",
    recommendations_sheet: "Recommandations",
    quality: "Qualité",
    list: "Liste",
    who: "Recommandé par",
    hit: "Au moins 1 bon sur 10",
    precision: "Bons articles sur 10",
    coverage: "Couverture",
    discovery: "Découverte",
    reorder: "Réachat",
    model: "Panier",
    all_time: "Meilleures ventes (toute la période)",
    recent: "Meilleures ventes (28 derniers jours)",
};

const EN: Labels = Labels {
    period: "Period",
    rows_read: "Rows read",
    rows: "Rows analysed",
    customers: "Customers",
    orders: "Orders",
    revenue: "Revenue",
    aov: "Average order value",
    returning: "Returning customers (2 orders or more)",
    products: "Products",
    countries: "Countries",
    country_filter: "Country shown",
    currency: "Currency",
    cleaning: "Cleaning",
    step: "Step",
    removed: "Rows removed",
    left: "Rows left",
    warnings: "Good to know",
    segments: "Segments",
    segment: "Segment",
    share: "Share of customers",
    revenue_share: "Share of revenue",
    mean_recency: "Last purchase (days ago, mean)",
    mean_frequency: "Orders per customer (mean)",
    mean_monetary: "Spend per customer (mean)",
    customers_sheet: "Customers",
    clv_sheet: "Customer value",
    rules_sheet: "Rules",
    recommendations_sheet: "Recommendations",
    quality: "Quality",
    list: "List",
    who: "Recommended by",
    hit: "At least 1 right of 10",
    precision: "Right items of 10",
    coverage: "Coverage",
    discovery: "Discovery",
    reorder: "Reorder",
    model: "Panier",
    all_time: "Best sellers (whole period)",
    recent: "Best sellers (last 28 days)",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

fn text(value: impl Into<String>) -> Value {
    Value::Text(value.into())
}

impl Session {
    /// Écrit le classeur de tous les résultats : synthèse, nettoyage,
    /// segments, clients, valeur client prédite, règles (si la dernière recherche en a donné),
    /// recommandations et leur qualité (si les dates le permettent). Une
    /// analyse impossible (pas de client, pas de date) laisse seulement sa
    /// feuille de côté.
    pub fn write_workbook(
        &mut self,
        request: &WorkbookRequest,
        out: impl Write,
    ) -> Result<(), PanierError> {
        let lang = request.lang;
        let l = labels(lang);
        let overview = self.overview().clone();
        let currency = request.currency.or(overview.currency);
        let report = self.report().clone();

        let mut summary = Vec::new();
        if let (Some(from), Some(to)) = (&report.date_min, &report.date_max) {
            let day = |stamp: &str| stamp.get(..10).unwrap_or(stamp).to_string();
            summary.push((
                l.period.into(),
                text(format!("{} → {}", day(from), day(to))),
            ));
        }
        summary.push((l.rows_read.into(), Value::Count(report.import.rows_read)));
        summary.push((l.rows.into(), Value::Count(report.rows)));
        summary.push((l.customers.into(), Value::Count(report.customers)));
        summary.push((l.orders.into(), Value::Count(report.invoices)));
        if let Some(revenue) = report.revenue {
            summary.push((l.revenue.into(), Value::Money(revenue)));
            summary.push((l.aov.into(), Value::Money(overview.average_order_value)));
        }
        if report.customers > 0 {
            summary.push((l.returning.into(), Value::Share(overview.returning_share)));
        }
        summary.push((l.products.into(), Value::Count(report.products)));
        summary.push((l.countries.into(), Value::Count(report.countries)));
        if let Some(country) = &report.country {
            summary.push((l.country_filter.into(), text(country.clone())));
        }
        if let Some(currency) = currency {
            summary.push((l.currency.into(), text(currency.code())));
        }

        // Nettoyage : l'entonnoir, puis ce qui mérite l'attention.
        let mut cleaning = Table {
            name: l.cleaning.into(),
            header: vec![l.step.into(), l.removed.into(), l.left.into()],
            rows: Vec::new(),
        };
        let mut previous: Option<u64> = None;
        for (step, rows) in report.cleaning.funnel() {
            let removed =
                previous.map_or(text(""), |before| Value::Count(before.saturating_sub(rows)));
            cleaning
                .rows
                .push(vec![text(step.label(lang)), removed, Value::Count(rows)]);
            previous = Some(rows);
        }
        if !report.warnings.is_empty() {
            cleaning.rows.push(Vec::new());
            cleaning.rows.push(vec![text(l.warnings)]);
            for warning in &report.warnings {
                cleaning.rows.push(vec![text(warning.message(lang))]);
            }
        }
        let mut tables = vec![cleaning];

        // Segments et clients, si la segmentation est possible.
        let mut rfm_csv = Vec::new();
        if let Ok(stats) = self.segment_stats(request.grid) {
            tables.push(Table {
                name: l.segments.into(),
                header: [
                    l.segment,
                    l.customers,
                    l.share,
                    l.revenue,
                    l.revenue_share,
                    l.orders,
                    l.aov,
                    l.mean_recency,
                    l.mean_frequency,
                    l.mean_monetary,
                ]
                .map(String::from)
                .to_vec(),
                rows: stats
                    .iter()
                    .map(|s| {
                        vec![
                            text(segment_label(&s.name, lang)),
                            Value::Count(u64::from(s.customers)),
                            Value::Share(s.share),
                            Value::Money(s.revenue),
                            Value::Share(s.revenue_share),
                            Value::Count(s.orders),
                            Value::Money(s.average_order_value),
                            Value::Decimal(s.mean_recency),
                            Value::Decimal(s.mean_frequency),
                            Value::Money(s.mean_monetary),
                        ]
                    })
                    .collect(),
            });
            self.write_rfm(request.grid, &mut rfm_csv)?;
        }
        // La valeur client prédite, si les données s'y prêtent.
        let mut clv_csv = Vec::new();
        if self.write_clv(&mut clv_csv).is_err() {
            clv_csv.clear();
        }
        let mut rules_csv = Vec::new();
        if self.has_rules() {
            self.write_rules(&mut rules_csv)?;
        }
        let mut own_recommendations = Vec::new();
        let recommendations = match request.recommendations {
            Some(csv) => csv,
            None => {
                // Sans date ni client, pas de recommandation par client :
                // la feuille manque, le reste du classeur vaut.
                if self
                    .write_recommendations(request.per_customer, lang, &mut own_recommendations)
                    .is_err()
                {
                    own_recommendations.clear();
                }
                &own_recommendations
            }
        };
        let mut csvs = Vec::new();
        if !rfm_csv.is_empty() {
            csvs.push(CsvSheet {
                name: l.customers_sheet,
                csv: &rfm_csv,
                money: &["Monetary"],
                shares: &[],
            });
        }
        if !clv_csv.is_empty() {
            csvs.push(CsvSheet {
                name: l.clv_sheet,
                csv: &clv_csv,
                money: &["monetary", "expected_value", "clv"],
                shares: &["p_alive"],
            });
        }
        if !rules_csv.is_empty() {
            csvs.push(CsvSheet {
                name: l.rules_sheet,
                csv: &rules_csv,
                money: &[],
                shares: &[
                    "antecedent support",
                    "consequent support",
                    "support",
                    "confidence",
                ],
            });
        }
        if !recommendations.is_empty() {
            csvs.push(CsvSheet {
                name: l.recommendations_sheet,
                csv: recommendations,
                money: &[],
                shares: &[],
            });
        }

        let mut after = Vec::new();
        if let Ok(evaluation) = self.evaluation().clone() {
            let mut quality = Table {
                name: l.quality.into(),
                header: [l.list, l.who, l.hit, l.precision, l.coverage]
                    .map(String::from)
                    .to_vec(),
                rows: Vec::new(),
            };
            for (list, comparison) in [
                (l.discovery, evaluation.discovery),
                (l.reorder, evaluation.reorder),
            ] {
                for (who, q) in [
                    (l.model, comparison.model),
                    (l.all_time, comparison.baseline_all_time),
                    (l.recent, comparison.baseline_recent),
                ] {
                    let Quality {
                        hit_rate_at_10,
                        precision_at_10,
                        coverage,
                    } = q;
                    quality.rows.push(vec![
                        text(list),
                        text(who),
                        Value::Share(hit_rate_at_10),
                        Value::Share(precision_at_10),
                        Value::Share(coverage),
                    ]);
                }
            }
            after.push(quality);
        }

        let contents = Contents {
            lang,
            currency,
            summary,
            tables,
            csvs,
            after,
            created: request.created,
        };
        write_workbook(&contents, out).map_err(unwritable)
    }
}
