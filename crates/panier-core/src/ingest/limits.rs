//! Budgets de lecture : ce qu'un fichier peut demander, au plus, avant
//! qu'aucune mémoire ne lui soit donnée.
//!
//! Un fichier de quelques mégaoctets peut en demander des milliers : un XLSX
//! est une archive compressée (un « bombe » de 1 Mo se décompresse en 1 Go),
//! sa table de chaînes annonce elle-même sa taille (`uniqueCount`), et une
//! ligne de CSV sans fin de ligne peut occuper tout le fichier. Chaque
//! quantité pilotée par l'entrée a donc ici un plafond, vérifié **avant**
//! d'allouer ; le dépasser donne [`PanierError::InputLimit`], un message qui
//! nomme le plafond, la valeur trouvée et que faire.
//!
//! Les plafonds sont larges pour un vrai export (Excel lui-même s'arrête à
//! 16 384 colonnes et 32 767 caractères par cellule) et assez bas pour qu'un
//! onglet de navigateur (4 Go d'adresses en wasm32) survive toujours.

use serde::{Deserialize, Serialize};

use crate::error::PanierError;

/// Ce qui est plafonné.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Limit {
    /// Taille décompressée des parties XML d'un classeur (octets).
    WorkbookUnpacked,
    /// Taille décompressée d'une partie chargée entière (styles, liste des
    /// feuilles…) d'un classeur (octets).
    WorkbookPart,
    /// Nombre de chaînes de la table partagée d'un classeur.
    SharedStrings,
    /// Taille d'une valeur (cellule, chaîne partagée, attribut) d'un classeur
    /// (octets de XML).
    CellBytes,
    /// Longueur d'une ligne de texte (octets).
    LineBytes,
    /// Nombre de colonnes d'une ligne.
    Columns,
    /// Taille d'un fichier lu dans le navigateur (octets).
    BrowserFile,
}

/// Plafond de la taille décompressée des parties XML d'un classeur : 2 Gio.
/// La feuille d'Online Retail (541 909 lignes) en fait 234 Mo.
pub const MAX_WORKBOOK_UNPACKED: u64 = 2 << 30;
/// Plafond d'une partie de classeur chargée entière (styles, liste des
/// feuilles…) : 64 Mio (quelques Ko dans un classeur ordinaire).
pub const MAX_WORKBOOK_PART: u64 = 64 << 20;
/// Plafond du nombre de chaînes partagées : 5 millions (une feuille Excel a
/// au plus 1 048 576 lignes ; chaque chaîne coûte ~50 octets de mémoire).
pub const MAX_SHARED_STRINGS: u64 = 5_000_000;
/// Plafond d'une valeur de classeur : 4 Mio de XML (Excel s'arrête à
/// 32 767 caractères par cellule).
pub const MAX_CELL_BYTES: u64 = 4 << 20;
/// Plafond d'une ligne de texte : 16 Mio.
pub const MAX_LINE_BYTES: u64 = 16 << 20;
/// Plafond du nombre de colonnes : 16 384, comme Excel (de A à XFD).
pub const MAX_COLUMNS: u64 = 16_384;

/// Plafond de la taille d'un fichier lu dans le navigateur : 1,5 Gio (le plus
/// gros fichier mesuré qui passe est dans BENCHMARKS.md). Un onglet n'a que 4 Gio de mémoire wasm, et le fichier y
/// est d'abord copié entier, puis ses colonnes et la table nettoyée : au-delà,
/// la lecture manquerait de mémoire et le worker s'arrêterait sans un mot.
/// La ligne de commande, elle, n'a pas cette limite.
pub const MAX_BROWSER_FILE_BYTES: u64 = 3 << 29;

impl Limit {
    /// Valeur du plafond.
    pub fn max(self) -> u64 {
        match self {
            Limit::WorkbookUnpacked => MAX_WORKBOOK_UNPACKED,
            Limit::WorkbookPart => MAX_WORKBOOK_PART,
            Limit::SharedStrings => MAX_SHARED_STRINGS,
            Limit::CellBytes => MAX_CELL_BYTES,
            Limit::LineBytes => MAX_LINE_BYTES,
            Limit::Columns => MAX_COLUMNS,
            Limit::BrowserFile => MAX_BROWSER_FILE_BYTES,
        }
    }

    /// Erreur « plafond dépassé » pour la valeur trouvée (`found`, au moins
    /// une borne inférieure quand la lecture s'est arrêtée avant la fin).
    pub fn exceeded(self, found: u64) -> PanierError {
        PanierError::InputLimit { limit: self, found }
    }

    /// `Ok` si `found` ne dépasse pas le plafond.
    pub fn check(self, found: u64) -> Result<(), PanierError> {
        if found > self.max() {
            Err(self.exceeded(found))
        } else {
            Ok(())
        }
    }
}
