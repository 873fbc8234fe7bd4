//! # panier-core
//!
//! Le cœur analytique de Panier, sans aucune dépendance web : il compile et se
//! teste nativement en quelques secondes, et sert à la fois le Web Worker de
//! l'application et l'outil en ligne de commande `panier`.
//!
//! Un module par étape du pipeline, chacune prenant la sortie typée de la
//! précédente :
//!
//! | module | rôle |
//! |---|---|
//! | [`ingest`] | octets → [`table::TransactionTable`] (encodage, séparateur, colonnes) |
//! | [`clean`] | règles de nettoyage comptées, désignations normalisées, montants |
//! | [`scope`] | restriction du périmètre (pays) |
//! | [`summary`] | indicateurs de synthèse ([`summary::Report`]) |
//! | [`overview`] | vue d'ensemble : indicateurs, mois, meilleurs pays et produits |
//! | [`rfm`] | Récence, Fréquence, Montant, scores par quantiles, segments |
//! | [`customer`] | fiche d'un client : commandes, produits préférés |
//! | [`basket`] | paniers, itemsets fréquents (Apriori, FP-growth, Eclat), règles |
//! | [`recommend`] | ventes croisées, montée en gamme, qualité mesurée |
//! | [`clv`] | valeur client prédite : BG/NBD, Gamma-Gamma, validation |
//! | [`pipeline`] | point d'entrée unique : octets + options → rapport |
//! | [`export`] | fichiers produits, aux formats de la référence |
//! | [`workbook`] | le classeur XLSX des résultats, une feuille par résultat |
//! | [`demo`] | données de démonstration réalistes et déterministes |
//!
//! Transversaux : [`error`] (messages FR/EN qui disent quoi faire),
//! [`warning`] (avertissements du rapport),
//! [`progress`] (avancement transmis au worker ou à la CLI), [`lang`],
//! [`scan`] (gros tampons parcourus par blocs, pour le moteur WebAssembly).
//!
//! ```
//! use panier_core::{demo, pipeline, progress::NoProgress};
//!
//! let bytes = demo::generate_demo_csv(&demo::DemoConfig { customers: 200, ..Default::default() });
//! let report = pipeline::analyze(&bytes, &Default::default(), &mut NoProgress).unwrap();
//! assert!(report.report.customers > 100);
//! ```

pub mod basket;
pub mod clean;
pub mod clv;
pub mod customer;
pub mod demo;
pub mod error;
pub mod export;
pub mod ingest;
pub mod kernels;
pub mod lang;
pub mod numbers;
pub mod overview;
pub mod pipeline;
pub mod progress;
pub mod recommend;
pub mod rfm;
pub mod scan;
pub mod scope;
pub mod session;
pub mod settings;
pub mod summary;
pub mod table;
pub mod warning;
pub mod workbook;

pub use error::PanierError;
pub use lang::{Lang, Surface};
