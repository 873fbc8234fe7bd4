//! Les vues de l'application, une par fichier.

pub mod import;
pub mod overview;
pub mod privacy;
pub mod recommendations;
pub mod segmentation;
