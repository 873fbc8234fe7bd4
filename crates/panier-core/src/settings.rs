//! Les réglages qui voyagent : le `config.yaml` du cahier des charges.
//!
//! Un seul schéma ([`Settings`]) pour l'application et la CLI : l'application
//! l'exporte et l'importe (YAML), la CLI le lit (`--config FICHIER`, ses
//! options l'emportent) et écrit à côté de ses sorties celui qu'elle a
//! utilisé. Les mêmes réglages donnent donc, d'un côté comme de l'autre, les
//! mêmes `rfm_segments.csv` et `association_rules.csv`.
//!
//! Le fichier est fait pour être lu et modifié à la main : des mots plutôt
//! que des codes (`encoding: latin1`, les mêmes que les options de la CLI),
//! des dates `AAAA-MM-JJ`, les colonnes par leur en-tête (le fichier vaut
//! pour tous les exports de même forme), et seulement ce qui s'écarte des
//! valeurs par défaut pour la grille des segments. Les clés inconnues sont
//! refusées (une faute de frappe ne passe pas inaperçue) ; une clé absente
//! prend sa valeur par défaut.
//!
//! Lecture et écriture par [`yaml`] : la petite partie de YAML que ce
//! fichier utilise, lue sans dépendance (l'application la télécharge), avec
//! un budget d'imbrication et des erreurs situées (ligne) ; le reste de YAML
//! est refusé avec sa raison.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::basket::mining::Algorithm;
use crate::basket::ItemKey;
use crate::clean::CleaningOptions;
use crate::clv::ClvOptions;
use crate::error::PanierError;
use crate::ingest::dates::{stamp, DateOrder, Precision};
use crate::ingest::roles::Role;
use crate::ingest::sniff::EncodingChoice;
use crate::ingest::{DecimalChoice, ImportOptions, Layout};
use crate::numbers::Currency;
use crate::pipeline::{AnalysisOptions, BasketSettings};
use crate::rfm::segments::SegmentGrid;
use crate::rfm::{parse_date, RfmOptions, DAY_SECONDS};

/// Version du schéma écrite dans chaque fichier ; un fichier d'une version
/// plus récente est refusé avec un message (plutôt que lu de travers).
pub const SETTINGS_VERSION: u32 = 1;

/// Taille maximale d'un fichier de réglages (quelques Ko en pratique) : un
/// fichier plus gros n'en est pas un, et n'est pas lu.
pub const MAX_SETTINGS_BYTES: usize = 1 << 20;

/// Nom du fichier que la CLI écrit à côté de ses sorties, et que
/// l'application propose au téléchargement.
pub const SETTINGS_FILE: &str = "settings.yaml";

/// Tous les réglages d'une analyse.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Version du schéma ([`SETTINGS_VERSION`]).
    pub version: u32,
    /// Lecture du fichier.
    #[serde(default)]
    pub import: ImportSettings,
    /// Nettoyage.
    #[serde(default)]
    pub cleaning: CleaningSettings,
    /// Filtre global : pays et période.
    #[serde(default)]
    pub filter: FilterSettings,
    /// Segmentation RFM.
    #[serde(default)]
    pub rfm: RfmSettings,
    /// Analyse des paniers.
    #[serde(default)]
    pub baskets: BasketFileSettings,
    /// Recommandations.
    #[serde(default)]
    pub recommendations: RecommendationSettings,
    /// Valeur client prédite.
    #[serde(default)]
    pub clv: ClvSettings,
    /// Affichage (devise des montants).
    #[serde(default)]
    pub display: DisplaySettings,
}

/// Affichage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisplaySettings {
    /// Devise des montants (`eur`, `gbp`, `usd`, `chf`…) ; absente :
    /// devinée du pays des clients quand il n'y a pas de doute.
    pub currency: Option<Currency>,
}

/// Lecture du fichier.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportSettings {
    /// `auto`, `utf8`, `windows1252`, `latin1`.
    pub encoding: EncodingChoice,
    /// Séparateur de champs imposé ; absent : détecté.
    pub delimiter: Option<char>,
    /// Feuille du classeur XLSX ; absente : la première qui a des données.
    pub sheet: Option<String>,
    /// `auto`, `day-first`, `month-first`.
    pub date_order: DateOrder,
    /// `auto`, `dot`, `comma`.
    pub decimal: DecimalChoice,
    /// `auto`, `transactions`, `basket-per-line`.
    pub layout: Layout,
    /// Colonne de chaque rôle, par son en-tête (ou son numéro à partir de 1) ;
    /// `null` retire le rôle. Un rôle absent garde la colonne reconnue.
    pub columns: BTreeMap<String, Option<String>>,
}

/// Nettoyage (tout désactivé par défaut, comme la référence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CleaningSettings {
    /// Retirer les doublons exacts.
    pub drop_duplicates: bool,
    /// Retirer les lignes aux dates invraisemblables.
    pub drop_implausible_dates: bool,
    /// Garder les lignes de service (frais de port…) hors des paniers.
    pub exclude_service_lines: bool,
}

/// Filtre global.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FilterSettings {
    /// Pays retenu.
    pub country: Option<String>,
    /// Premier jour retenu (`AAAA-MM-JJ`).
    pub from: Option<String>,
    /// Dernier jour retenu, en entier (`AAAA-MM-JJ`).
    pub to: Option<String>,
}

/// Segmentation RFM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RfmSettings {
    /// Niveaux de score : 3, 4 ou 5.
    pub levels: u8,
    /// Date d'observation (`AAAA-MM-JJ` ou `AAAA-MM-JJ HH:MM`) ; absente : le
    /// lendemain du dernier achat.
    pub snapshot: Option<String>,
    /// Noms des segments de la grille R × FM, seulement s'ils diffèrent de la
    /// grille par défaut : une ligne par score de récence, **de la plus haute
    /// (clients récents) à 1**, chaque ligne de FM = 1 à `levels`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<Vec<Vec<String>>>,
}

impl Default for RfmSettings {
    fn default() -> Self {
        Self {
            levels: RfmOptions::default().levels,
            snapshot: None,
            segments: None,
        }
    }
}

/// Analyse des paniers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BasketFileSettings {
    /// `description` ou `stock-code`.
    pub item: ItemKey,
    /// Support minimal des itemsets (fraction des paniers, 0.02 = 2 %).
    pub min_support: f64,
    /// Taille maximale des itemsets ; absente : sans limite.
    pub max_len: Option<usize>,
    /// Confiance minimale des règles (0 à 1).
    pub min_confidence: f64,
    /// Lift minimal des règles.
    pub min_lift: f64,
    /// `auto`, `apriori`, `fp-growth`, `eclat` (tous donnent les mêmes résultats).
    pub algorithm: Algorithm,
    /// Articles retirés des paniers.
    pub drop_items: Vec<String>,
}

impl BasketFileSettings {
    /// Les réglages des paniers de ces options.
    fn of(options: &AnalysisOptions) -> Self {
        Self {
            item: options.basket.item,
            min_support: options.min_support,
            max_len: options.basket.max_len,
            min_confidence: options.basket.min_confidence,
            min_lift: options.basket.min_lift,
            algorithm: options.basket.algorithm,
            drop_items: options.drop_items.clone(),
        }
    }
}

impl Default for BasketFileSettings {
    fn default() -> Self {
        Self::of(&AnalysisOptions::default())
    }
}

/// Valeur client prédite ([`crate::clv`]). Les options de la CLI portent
/// les mêmes noms, préfixés : `--clv-until`, `--clv-horizon-days`,
/// `--clv-months`, `--clv-discount`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClvSettings {
    /// Fin de la calibration (`AAAA-MM-JJ`, jour compris) ; absente : le
    /// dernier jour d'achat.
    pub until: Option<String>,
    /// Horizon des achats attendus, en jours.
    pub horizon_days: u32,
    /// Horizon de la valeur client, en mois.
    pub months: u32,
    /// Taux d'actualisation mensuel (0.01 = 1 % par mois).
    pub discount: f64,
}

impl ClvSettings {
    /// Les réglages de ces options.
    fn of(options: &ClvOptions) -> Self {
        Self {
            until: options.calibration_end.map(write_date),
            horizon_days: options.horizon_days,
            months: options.months,
            discount: options.monthly_discount,
        }
    }
}

impl Default for ClvSettings {
    fn default() -> Self {
        Self::of(&ClvOptions::default())
    }
}

/// Recommandations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RecommendationSettings {
    /// Produits recommandés par client (`recommendations.csv`).
    pub per_customer: usize,
}

impl Default for RecommendationSettings {
    fn default() -> Self {
        Self { per_customer: 10 }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            import: ImportSettings::default(),
            cleaning: CleaningSettings::default(),
            filter: FilterSettings::default(),
            rfm: RfmSettings::default(),
            baskets: BasketFileSettings::default(),
            recommendations: RecommendationSettings::default(),
            clv: ClvSettings::default(),
            display: DisplaySettings::default(),
        }
    }
}

/// Une date (secondes depuis 1970) comme on l'écrit dans le fichier :
/// `AAAA-MM-JJ` à minuit, `AAAA-MM-JJ HH:MM[:SS]` sinon.
fn write_date(timestamp: i64) -> String {
    let precision = if timestamp.rem_euclid(DAY_SECONDS) == 0 {
        Precision::Day
    } else if timestamp.rem_euclid(60) == 0 {
        Precision::Minute
    } else {
        Precision::Second
    };
    stamp(timestamp, precision).unwrap_or_else(|| timestamp.to_string())
}

impl Settings {
    /// Les réglages d'une analyse telle que l'application (ou la CLI) l'a
    /// paramétrée. `headers` (l'en-tête du fichier) sert à écrire les colonnes
    /// par leur nom quand la correspondance a été choisie à la main ; `grid`,
    /// la grille des segments si elle a été modifiée.
    pub fn from_analysis(
        options: &AnalysisOptions,
        grid: Option<&SegmentGrid>,
        headers: &[String],
        per_customer: usize,
    ) -> Settings {
        let import = &options.import;
        let columns = import
            .mapping
            .map(|mapping| {
                Role::MAPPABLE
                    .into_iter()
                    .map(|role| {
                        let column = mapping.position(role).map(|index| {
                            let header = headers.get(index).map(String::as_str);
                            // Un en-tête vide ou répété ne désigne pas une
                            // colonne : son numéro, si.
                            match header {
                                Some(name)
                                    if !name.trim().is_empty()
                                        && headers.iter().filter(|h| *h == name).count() == 1
                                        && name.parse::<usize>().is_err() =>
                                {
                                    name.to_string()
                                }
                                _ => (index + 1).to_string(),
                            }
                        });
                        (role.key().to_string(), column)
                    })
                    .collect()
            })
            // Sans correspondance choisie à la main : les colonnes nommées
            // (réglages importés, `--map`), ou rien (reconnues).
            .unwrap_or_else(|| import.columns.clone());
        let segments = grid
            .filter(|grid| **grid != SegmentGrid::default_for(grid.levels()))
            .map(|grid| {
                (1..=grid.levels())
                    .rev()
                    .map(|r| {
                        (1..=grid.levels())
                            .map(|fm| grid.segment(r, fm).to_string())
                            .collect()
                    })
                    .collect()
            });
        Settings {
            version: SETTINGS_VERSION,
            import: ImportSettings {
                encoding: import.encoding,
                delimiter: import.delimiter,
                sheet: import.sheet.clone(),
                date_order: import.date_order,
                decimal: import.decimal,
                layout: import.layout,
                columns,
            },
            cleaning: CleaningSettings {
                drop_duplicates: options.cleaning.drop_duplicates,
                drop_implausible_dates: options.cleaning.drop_implausible_dates,
                exclude_service_lines: options.cleaning.exclude_service_lines,
            },
            filter: FilterSettings {
                country: options.country.clone(),
                from: options.period_from.map(write_date),
                to: options.period_to.map(write_date),
            },
            rfm: RfmSettings {
                levels: options.rfm.levels,
                snapshot: options.rfm.snapshot.map(write_date),
                segments,
            },
            baskets: BasketFileSettings::of(options),
            recommendations: RecommendationSettings { per_customer },
            clv: ClvSettings::of(&options.clv),
            display: DisplaySettings::default(),
        }
    }

    /// Les options d'analyse de ces réglages, vérifiées (dates lisibles,
    /// valeurs dans leurs plages). `today` borne les dates plausibles (il
    /// vient de l'horloge de qui analyse, pas du fichier).
    pub fn analysis_options(&self, today: Option<i64>) -> Result<AnalysisOptions, PanierError> {
        let date = |text: &Option<String>, name: &str| {
            text.as_deref()
                .map(|text| parse_date(text, name))
                .transpose()
        };
        let options = AnalysisOptions {
            import: ImportOptions {
                encoding: self.import.encoding,
                delimiter: self.import.delimiter,
                sheet: self.import.sheet.clone(),
                date_order: self.import.date_order,
                mapping: None,
                layout: self.import.layout,
                decimal: self.import.decimal,
                columns: self.import.columns.clone(),
            },
            cleaning: CleaningOptions {
                drop_duplicates: self.cleaning.drop_duplicates,
                exclude_service_lines: self.cleaning.exclude_service_lines,
                drop_implausible_dates: self.cleaning.drop_implausible_dates,
                today,
            },
            country: self.filter.country.clone(),
            period_from: date(&self.filter.from, "period_from")?,
            period_to: date(&self.filter.to, "period_to")?,
            min_support: self.baskets.min_support,
            drop_items: self.baskets.drop_items.clone(),
            rfm: RfmOptions {
                levels: self.rfm.levels,
                snapshot: date(&self.rfm.snapshot, "snapshot")?,
            },
            basket: BasketSettings {
                item: self.baskets.item,
                max_len: self.baskets.max_len,
                min_confidence: self.baskets.min_confidence,
                min_lift: self.baskets.min_lift,
                algorithm: self.baskets.algorithm,
            },
            clv: ClvOptions {
                calibration_end: date(&self.clv.until, "clv_until")?,
                horizon_days: self.clv.horizon_days,
                months: self.clv.months,
                monthly_discount: self.clv.discount,
            },
        };
        options.validate()?;
        options.import.check_columns()?;
        if self.recommendations.per_customer == 0 {
            return Err(PanierError::InvalidParameter {
                name: "per_customer".into(),
                value: "0".into(),
                expected: "≥ 1".into(),
            });
        }
        self.segment_grid()?;
        Ok(options)
    }

    /// La grille des segments : celle du fichier, ou la grille par défaut
    /// pour ce nombre de niveaux. Une grille qui n'a pas `levels` lignes de
    /// `levels` noms, ou un nom vide, est refusée.
    pub fn segment_grid(&self) -> Result<SegmentGrid, PanierError> {
        let levels = self.rfm.levels;
        let mut grid = SegmentGrid::default_for(levels);
        let Some(rows) = &self.rfm.segments else {
            return Ok(grid);
        };
        let size = usize::from(levels);
        let invalid = |value: String| PanierError::InvalidParameter {
            name: "segments".into(),
            value,
            expected: format!("{size} × {size} (levels)"),
        };
        if rows.len() != size {
            return Err(invalid(format!("{} rows", rows.len())));
        }
        for (row, names) in rows.iter().enumerate() {
            if names.len() != size {
                return Err(invalid(format!("{} names in row {}", names.len(), row + 1)));
            }
            let r = levels - row as u8;
            for (column, name) in names.iter().enumerate() {
                if !grid.set(r, column as u8 + 1, name) {
                    return Err(PanierError::InvalidParameter {
                        name: "segments".into(),
                        value: format!("\"{name}\" (R{r}, FM{})", column + 1),
                        expected: "a segment name".into(),
                    });
                }
            }
        }
        Ok(grid)
    }

    /// Lit un fichier de réglages YAML. Une erreur dit où (ligne, colonne)
    /// et quoi ; une version plus récente que celle de ce Panier est
    /// refusée.
    pub fn from_yaml(text: &str) -> Result<Settings, PanierError> {
        if text.len() > MAX_SETTINGS_BYTES {
            return Err(PanierError::InvalidSettings {
                line: None,
                detail: format!(
                    "{} bytes, more than {MAX_SETTINGS_BYTES}: not a settings file",
                    text.len()
                ),
            });
        }
        let settings: Settings =
            yaml::from_str(text).map_err(|error| PanierError::InvalidSettings {
                line: error.line,
                detail: error.message,
            })?;
        if settings.version > SETTINGS_VERSION || settings.version == 0 {
            return Err(PanierError::InvalidSettings {
                line: None,
                detail: format!(
                    "version {} (this Panier reads version {SETTINGS_VERSION})",
                    settings.version
                ),
            });
        }
        Ok(settings)
    }

    /// Le fichier YAML de ces réglages, avec un en-tête qui dit ce qu'il est.
    pub fn to_yaml(&self) -> String {
        let body = match serde_json::to_value(self) {
            Ok(value) => yaml::to_string(&value),
            // Rien dans ces types ne peut échouer à s'écrire ; si cela
            // arrivait, le fichier le dirait plutôt que d'être vide.
            Err(error) => format!("# error: {error}\n"),
        };
        format!(
            "# Réglages Panier / Panier settings — panier analyze FICHIER --config {SETTINGS_FILE}\n{body}"
        )
    }
}

pub mod yaml;

#[cfg(test)]
mod tests;
