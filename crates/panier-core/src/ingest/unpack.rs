//! Contrôle d'un classeur XLSX avant de l'ouvrir : ce que sa décompression
//! demanderait, vérifié sans rien allouer pour lui.
//!
//! Un XLSX est une archive ZIP de parties XML. La lecture garde en mémoire,
//! entières, la table des chaînes partagées (`sharedStrings.xml`, en
//! réservant la place annoncée par son attribut `uniqueCount`), les
//! styles et la liste des feuilles ; la feuille elle-même est lue en flux,
//! mais chaque valeur y est d'abord copiée entière. Une archive de 1 Mo peut
//! se décompresser en 1 Go (le rapport de compression de deflate va jusqu'à
//! 1 032:1) : ces quantités sont donc vérifiées ici, avant la lecture.
//!
//! - Les tailles décompressées **annoncées** par le répertoire central de
//!   l'archive suffisent pour les totaux : la lecture d'une partie refuse de
//!   produire plus d'octets que l'entrée n'en annonce ; une archive qui ment
//!   échoue à la lecture au lieu d'enfler.
//! - La table des chaînes est parcourue en flux (mémoire constante) : nombre
//!   de chaînes, attribut `uniqueCount`, plus longue valeur.
//! - Une feuille n'est parcourue que si son rapport de compression est
//!   suspect (> 100:1 ; un XML de tableur ordinaire se compresse de 5 à
//!   20 fois, la feuille d'Online Retail 9 fois) : lire deux fois une feuille
//!   honnête de 234 Mo coûterait une seconde pour rien.

use std::io::Read;

use crate::ingest::archive::Archive;

use crate::error::PanierError;
use crate::ingest::limits::{Limit, MAX_CELL_BYTES, MAX_WORKBOOK_PART};

/// Rapport de compression au-delà duquel une feuille est parcourue avant
/// d'être lue.
const SUSPICIOUS_RATIO: u64 = 100;

/// Vérifie les budgets de lecture du classeur `bytes`. Une archive que la
/// lecture ne sait pas ouvrir passe : la lecture dira pourquoi elle
/// est illisible, avec son propre message.
pub fn check(bytes: &[u8]) -> Result<(), PanierError> {
    let Ok(archive) = Archive::new(bytes) else {
        return Ok(());
    };
    let mut unpacked = 0u64;
    let mut to_scan = Vec::new();
    for (index, entry) in archive.entries().iter().enumerate() {
        let name = entry.name.to_ascii_lowercase();
        // Images, macros, imprimantes : la lecture ne les ouvre pas.
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let size = entry.size;
        unpacked = unpacked.saturating_add(size);
        let shared_strings = name.ends_with("sharedstrings.xml");
        let worksheet = name.contains("worksheets/");
        if !worksheet && !shared_strings && size > MAX_WORKBOOK_PART {
            // Styles, liste des feuilles… sont chargés entiers.
            return Err(Limit::WorkbookPart.exceeded(size));
        }
        let suspicious = size / entry.compressed_size.max(1) > SUSPICIOUS_RATIO;
        if shared_strings || (size > MAX_CELL_BYTES && suspicious) {
            to_scan.push((index, shared_strings));
        }
    }
    Limit::WorkbookUnpacked.check(unpacked)?;
    for (index, shared_strings) in to_scan {
        // Une entrée illisible sera signalée par la lecture.
        if let Ok(mut entry) = archive.open(&archive.entries()[index]) {
            scan(&mut entry, shared_strings)?;
        }
    }
    Ok(())
}

/// Parcourt une partie XML en flux : plus longue suite d'octets sans `<`
/// (une valeur, ou une balise et ses attributs) et, pour la table des
/// chaînes, nombre d'éléments `<si>` et attribut `uniqueCount` de `<sst>`.
/// S'arrête au premier plafond dépassé, sans décompresser la suite.
fn scan(part: &mut impl Read, shared_strings: bool) -> Result<(), PanierError> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut run = 0u64;
    let mut tag = TagName::default();
    let mut strings = 0u64;
    let mut sst = SstHead::default();
    loop {
        let read = match part.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            // Archive abîmée : la lecture le dira.
            Err(_) => break,
        };
        for &byte in &buffer[..read] {
            if byte == b'<' {
                run = 0;
                tag = TagName::Reading(Vec::new());
                continue;
            }
            run += 1;
            if run > MAX_CELL_BYTES {
                return Err(Limit::CellBytes.exceeded(run));
            }
            if !shared_strings {
                continue;
            }
            if let TagName::Reading(name) = &mut tag {
                if matches!(byte, b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n') {
                    let local = name.rsplit(|&b| b == b':').next().unwrap_or_default();
                    if local == b"si" {
                        strings += 1;
                        Limit::SharedStrings.check(strings)?;
                    } else if local == b"sst" && matches!(sst, SstHead::Waiting) {
                        sst = SstHead::Reading(Vec::new());
                    }
                    tag = TagName::Done;
                } else if name.len() < 32 {
                    name.push(byte);
                } else {
                    tag = TagName::Done;
                }
            }
            if let SstHead::Reading(head) = &mut sst {
                if byte == b'>' || head.len() >= 4096 {
                    if let Some(declared) = unique_count(head) {
                        Limit::SharedStrings.check(declared)?;
                    }
                    sst = SstHead::Done;
                } else {
                    head.push(byte);
                }
            }
        }
    }
    Ok(())
}

/// Nom de la balise en cours de lecture (juste après `<`).
#[derive(Default)]
enum TagName {
    /// Pas de balise ouverte, ou nom déjà traité.
    #[default]
    Done,
    /// Octets du nom lus jusqu'ici (32 au plus : au-delà, ce n'est ni `si`
    /// ni `sst`).
    Reading(Vec<u8>),
}

/// Attributs de la balise `<sst …>` (tête de la table des chaînes).
#[derive(Default)]
enum SstHead {
    /// Balise pas encore rencontrée.
    #[default]
    Waiting,
    /// Attributs lus jusqu'ici (4 Kio au plus).
    Reading(Vec<u8>),
    /// Attributs traités.
    Done,
}

/// Valeur de l'attribut `uniqueCount="…"` parmi les attributs d'une balise.
fn unique_count(attributes: &[u8]) -> Option<u64> {
    let key = b"uniqueCount=";
    let at = attributes
        .windows(key.len())
        .position(|window| window == key)?;
    let rest = attributes.get(at + key.len() + 1..)?;
    let digits = rest.iter().take_while(|byte| byte.is_ascii_digit());
    let mut value = 0u64;
    for &digit in digits {
        value = value
            .saturating_mul(10)
            .saturating_add(u64::from(digit - b'0'));
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn an_announced_string_count_beyond_the_budget_is_refused_before_reading() {
        let bytes = archive(&[(
            "xl/sharedStrings.xml",
            b"<x:sst xmlns:x=\"s\" count=\"9\" uniqueCount=\"4000000000\"><x:si><x:t>a</x:t></x:si></x:sst>",
        )]);
        assert_eq!(
            limit_of(check(&bytes)),
            Some((Limit::SharedStrings, 4_000_000_000))
        );
    }

    #[test]
    fn too_many_strings_are_counted_and_refused() {
        let mut xml = b"<sst>".to_vec();
        for _ in 0..=crate::ingest::limits::MAX_SHARED_STRINGS {
            xml.extend_from_slice(b"<si/>");
        }
        let bytes = archive(&[("xl/sharedStrings.xml", &xml)]);
        assert_eq!(
            limit_of(check(&bytes)),
            Some((
                Limit::SharedStrings,
                crate::ingest::limits::MAX_SHARED_STRINGS + 1
            ))
        );
    }

    #[test]
    fn one_huge_value_in_a_suspicious_sheet_is_refused_early() {
        let mut xml = b"<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>".to_vec();
        xml.resize(xml.len() + 64 * 1024 * 1024, b'a');
        xml.extend_from_slice(b"</t></is></c></row></sheetData></worksheet>");
        let bytes = archive(&[("xl/worksheets/sheet1.xml", &xml)]);
        assert!(bytes.len() < 1024 * 1024, "{}", bytes.len());
        assert_eq!(
            limit_of(check(&bytes)),
            Some((Limit::CellBytes, MAX_CELL_BYTES + 1))
        );
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

    #[test]
    fn unique_count_is_read_among_attributes() {
        assert_eq!(unique_count(b" count=\"5\" uniqueCount=\"12\""), Some(12));
        assert_eq!(unique_count(b" count=\"5\""), None);
    }
}
