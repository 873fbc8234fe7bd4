//! Contrôle d'un classeur XLSX avant de l'ouvrir : ce que sa décompression
//! demanderait, d'après son répertoire central, sans rien décompresser.
//!
//! Une archive de 1 Mo peut se décompresser en 1 Go (le rapport de
//! compression de deflate va jusqu'à 1 032:1). Les tailles décompressées
//! **annoncées** par le répertoire central suffisent : la lecture d'une
//! partie ([`archive`](crate::ingest::archive)) refuse de produire plus
//! d'octets que l'entrée n'en annonce ; une archive qui ment échoue à la
//! lecture au lieu d'enfler. Ce qui ne se voit qu'en lisant est vérifié en
//! lisant, au fil du flux : le nombre de textes partagés (et l'attribut
//! `uniqueCount` qui l'annonce) par [`xlsx`](crate::ingest::xlsx), la
//! longueur d'une valeur ou d'une balise par [`xml`](crate::ingest::xml)
//! (une cellule de 256 Mo est refusée après 4 Mio décompressés).

use crate::error::PanierError;
use crate::ingest::archive::Archive;
use crate::ingest::limits::{Limit, MAX_WORKBOOK_PART};

/// Vérifie les budgets de décompression du classeur dont `archive` est le
/// répertoire central, avant d'en lire la moindre partie.
pub fn check(archive: &Archive<'_>) -> Result<(), PanierError> {
    let mut unpacked = 0u64;
    for entry in archive.entries() {
        let name = entry.name.to_ascii_lowercase();
        // Images, macros, imprimantes : la lecture ne les ouvre pas.
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        unpacked = unpacked.saturating_add(entry.size);
        let shared_strings = name.ends_with("sharedstrings.xml");
        let worksheet = name.contains("worksheets/");
        // Styles, liste des feuilles, relations : quelques Kio d'ordinaire.
        if !worksheet && !shared_strings && entry.size > MAX_WORKBOOK_PART {
            return Err(Limit::WorkbookPart.exceeded(entry.size));
        }
    }
    Limit::WorkbookUnpacked.check(unpacked)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Les budgets de l'archive `bytes` (lisible).
    fn check(bytes: &[u8]) -> Result<(), PanierError> {
        super::check(&Archive::new(bytes).expect("archive lisible"))
    }
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    /// Archive de parties `(nom, contenu)` compressées par deflate.
    pub(crate) fn archive(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
        for (name, content) in parts {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn limit_of(result: Result<(), PanierError>) -> Option<(Limit, u64)> {
        match result {
            Err(PanierError::InputLimit { limit, found, .. }) => Some((limit, found)),
            Ok(()) => None,
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn ordinary_parts_pass() {
        let bytes = archive(&[
            ("xl/workbook.xml", b"<workbook/>"),
            (
                "xl/sharedStrings.xml",
                b"<sst uniqueCount=\"2\"><si><t>a</t></si><si><t>b</t></si></sst>",
            ),
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
        ]);
        assert_eq!(limit_of(check(&bytes)), None);
    }

    #[test]
    fn a_huge_styles_part_is_refused_from_its_declared_size() {
        let mut xml = b"<styleSheet>".to_vec();
        xml.resize(MAX_WORKBOOK_PART as usize + 1, b' ');
        let bytes = archive(&[("xl/styles.xml", &xml)]);
        assert_eq!(
            limit_of(check(&bytes)),
            Some((Limit::WorkbookPart, MAX_WORKBOOK_PART + 1))
        );
    }

    /// Archive dont le répertoire central annonce `declared` octets pour
    /// chaque entrée (le contenu réel est minuscule).
    fn with_declared_sizes(parts: &[(&str, &[u8])], declared: u32) -> Vec<u8> {
        let mut bytes = archive(parts);
        let mut at = 0;
        while let Some(found) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
            let header = at + found;
            bytes[header + 24..header + 28].copy_from_slice(&declared.to_le_bytes());
            at = header + 4;
        }
        bytes
    }

    #[test]
    fn the_total_declared_size_is_checked_without_unpacking() {
        let parts: [(&str, &[u8]); 2] = [
            ("xl/worksheets/sheet1.xml", b"<worksheet/>"),
            ("xl/worksheets/sheet2.xml", b"<worksheet/>"),
        ];
        let bytes = with_declared_sizes(&parts, 0xC000_0000);
        assert_eq!(
            limit_of(check(&bytes)),
            Some((Limit::WorkbookUnpacked, 2 * 0xC000_0000))
        );
        // Sous le plafond, rien à redire (la lecture s'arrêtera à la taille
        // annoncée).
        let bytes = with_declared_sizes(&parts, 0x1000_0000);
        assert_eq!(limit_of(check(&bytes)), None);
    }
}
