//! Composants réutilisés par plusieurs vues.

pub mod kpi;
pub mod progress;
