//! Une cellule lue dans un fichier, quelle que soit sa source (CSV ou XLSX).
//!
//! Le CSV ne connaît que du texte ; un classeur Excel donne aussi des nombres
//! et de vraies dates. Les deux lecteurs livrent des lignes de [`Cell`] au
//! même constructeur de table.

use std::borrow::Cow;

/// Valeur d'une cellule.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// Cellule vide.
    Empty,
    /// Texte (toujours en UTF-8, déjà décodé).
    Text(Cow<'a, str>),
    /// Nombre.
    Number(f64),
    /// Date et heure Excel : nombre de jours depuis le 30/12/1899 (système
    /// 1900), partie décimale = heure du jour.
    DateTime(f64),
    /// Booléen.
    Bool(bool),
    /// Erreur de formule Excel (#N/A, #DIV/0!…).
    Error,
}

impl Cell<'_> {
    /// Texte de la cellule tel qu'un tableur l'afficherait à peu près, pour
    /// l'aperçu et les colonnes de texte (codes, désignations).
    pub fn to_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty | Cell::Error => Cow::Borrowed(""),
            Cell::Text(text) => Cow::Borrowed(text.as_ref()),
            Cell::Number(value) | Cell::DateTime(value) => {
                // 17850.0 → « 17850 » : les identifiants saisis comme nombres
                // ne doivent pas porter de décimale.
                if value.fract() == 0.0 && value.abs() < 1e15 {
                    Cow::Owned(format!("{}", *value as i64))
                } else {
                    Cow::Owned(value.to_string())
                }
            }
            Cell::Bool(value) => Cow::Borrowed(if *value { "TRUE" } else { "FALSE" }),
        }
    }
}
