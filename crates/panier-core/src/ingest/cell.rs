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

/// Une ligne livrée par un lecteur : les champs d'un CSV (décodés à la
/// demande, seulement pour les colonnes qui servent) ou des cellules déjà
/// typées (classeur, paniers).
pub enum Row<'r> {
    /// Champs bruts d'un CSV et leur encodage.
    Fields {
        /// L'enregistrement lu.
        record: super::records::Record<'r>,
        /// Encodage du texte.
        encoding: super::sniff::TextEncoding,
        /// Virgule décimale (fichiers séparés par `;`).
        decimal_comma: bool,
    },
    /// Cellules typées.
    Cells(&'r [Cell<'r>]),
}

impl Row<'_> {
    /// Nombre de champs de la ligne.
    pub fn len(&self) -> usize {
        match self {
            Row::Fields { record, .. } => record.len(),
            Row::Cells(cells) => cells.len(),
        }
    }

    /// Vrai si la ligne n'a aucun champ.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cellule `index`, si elle existe (sans copie pour du texte ASCII ou
    /// UTF-8).
    pub fn cell(&self, index: usize) -> Option<Cell<'_>> {
        match self {
            Row::Fields {
                record, encoding, ..
            } => record
                .get(index)
                .map(|field| Cell::Text(encoding.decode(field))),
            Row::Cells(cells) => cells.get(index).map(|cell| match cell {
                Cell::Text(text) => Cell::Text(Cow::Borrowed(text.as_ref())),
                other => other.clone(),
            }),
        }
    }

    /// Tous les champs en texte (en-têtes, aperçu).
    pub fn texts(&self) -> Vec<String> {
        (0..self.len())
            .map(|index| {
                self.cell(index)
                    .map(|cell| cell.to_text().trim().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }
}
