//! Les vues de l'application, une par fichier.

pub mod import;
pub mod overview;
pub mod placeholder;
pub mod segmentation;
