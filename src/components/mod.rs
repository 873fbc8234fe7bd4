//! Composants réutilisés par plusieurs vues.

pub mod basket;
pub mod dashboard;
pub mod import_options;
pub mod kpi;
pub mod mapping;
pub mod method;
pub mod plot;
pub mod progress;
pub mod recommend;
pub mod report;
pub mod rfm;
pub mod scope_chips;
pub mod settings;
