//! Lecture d'une archive ZIP en mémoire, juste ce qu'un classeur XLSX demande.
//!
//! Un XLSX est une archive ZIP de parties XML. On lit son répertoire central
//! (la table des matières, à la fin du fichier), puis chaque partie en flux :
//! décompressée au fil de la lecture (deflate, ou stockée telle quelle),
//! jamais plus d'octets que la taille annoncée, et vérifiée par sa somme de
//! contrôle CRC-32 à la fin. Une archive tronquée, abîmée ou qui ment sur ses
//! tailles devient une erreur lisible, jamais une panique ni une allocation
//! démesurée : seules les entrées du répertoire sont gardées en mémoire, et
//! il en tient au plus une par 46 octets du fichier.
//!
//! Ce qui n'existe pas dans un classeur ordinaire est refusé avec un message :
//! archive chiffrée, méthode de compression autre que deflate, archive en
//! plusieurs volumes. Les archives ZIP64 (tailles sur 64 bits) sont lues.

use std::io::{self, Read};

use flate2::bufread::DeflateDecoder;

// Les signatures des blocs d'une archive, communes à cette lecture et à
// l'écriture du classeur des résultats (`workbook`).

/// Signature de la fin du répertoire central.
pub(crate) const END_SIGNATURE: u32 = 0x0605_4b50;
/// Signature du localisateur de la fin du répertoire ZIP64.
const END64_LOCATOR_SIGNATURE: u32 = 0x0706_4b50;
/// Signature de la fin du répertoire ZIP64.
const END64_SIGNATURE: u32 = 0x0606_4b50;
/// Signature d'une entrée du répertoire central.
pub(crate) const CENTRAL_SIGNATURE: u32 = 0x0201_4b50;
/// Signature d'un en-tête local, les quatre premiers octets d'une archive
/// (« PK\x03\x04 »).
pub(crate) const LOCAL_SIGNATURE: u32 = 0x0403_4b50;
/// Taille fixe de la fin du répertoire central (sans commentaire).
const END_LEN: usize = 22;
/// Taille fixe d'une entrée du répertoire central.
const CENTRAL_LEN: usize = 46;
/// Taille fixe d'un en-tête local.
const LOCAL_LEN: usize = 30;

/// Une partie de l'archive, telle que le répertoire central la décrit.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Nom de la partie (« xl/worksheets/sheet1.xml »).
    pub name: String,
    /// Taille annoncée une fois décompressée.
    pub size: u64,
    /// Taille compressée.
    pub compressed_size: u64,
    method: u16,
    flags: u16,
    crc: u32,
    local_offset: u64,
}

/// Archive ouverte sur des octets en mémoire.
#[derive(Debug)]
pub struct Archive<'b> {
    bytes: &'b [u8],
    entries: Vec<Entry>,
}

/// Erreur de lecture de l'archive : le détail technique, en anglais, que le
/// message d'un classeur illisible cite.
fn broken(detail: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, detail.into())
}

/// Lecture des entiers petit-boutistes d'un en-tête, bornée : hors des
/// octets, `None` (archive tronquée) au lieu d'une panique.
fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let raw = bytes.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([raw[0], raw[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let raw = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    let raw = bytes.get(at..at.checked_add(8)?)?;
    let mut word = [0u8; 8];
    word.copy_from_slice(raw);
    Some(u64::from_le_bytes(word))
}

/// Tronqué : le message commun de toutes les lectures hors des octets.
fn truncated() -> io::Error {
    broken("the archive is truncated (its table of contents is incomplete)")
}

impl<'b> Archive<'b> {
    /// Lit le répertoire central de l'archive `bytes`.
    pub fn new(bytes: &'b [u8]) -> io::Result<Self> {
        let end = find_end(bytes).ok_or_else(|| {
            broken("not a complete ZIP archive (end of central directory not found)")
        })?;
        let mut count = u64::from(u16_at(bytes, end + 10).ok_or_else(truncated)?);
        let mut size = u64::from(u32_at(bytes, end + 12).ok_or_else(truncated)?);
        let mut offset = u64::from(u32_at(bytes, end + 16).ok_or_else(truncated)?);
        let disk = u16_at(bytes, end + 4).ok_or_else(truncated)?;
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64 : le localisateur précède immédiatement la fin classique.
            let locator = end.checked_sub(20).ok_or_else(truncated)?;
            if u32_at(bytes, locator) == Some(END64_LOCATOR_SIGNATURE) {
                let at = u64_at(bytes, locator + 8).ok_or_else(truncated)?;
                let at = usize::try_from(at).map_err(|_| truncated())?;
                if u32_at(bytes, at) != Some(END64_SIGNATURE) {
                    return Err(broken("damaged ZIP64 end of central directory"));
                }
                count = u64_at(bytes, at + 32).ok_or_else(truncated)?;
                size = u64_at(bytes, at + 40).ok_or_else(truncated)?;
                offset = u64_at(bytes, at + 48).ok_or_else(truncated)?;
            }
        }
        if disk != 0 {
            return Err(broken("multi-volume ZIP archives are not supported"));
        }
        // Un répertoire plus long que le fichier : tronqué ou mensonger.
        let size = usize::try_from(size).map_err(|_| truncated())?;
        let mut start = usize::try_from(offset).map_err(|_| truncated())?;
        if u32_at(bytes, start) != Some(CENTRAL_SIGNATURE) && count > 0 {
            // Données ajoutées devant l'archive (exécutable auto-extractible,
            // en-tête d'un outil) : le répertoire est juste avant sa fin.
            start = end.checked_sub(size).ok_or_else(truncated)?;
        }
        let directory = bytes
            .get(start..start.checked_add(size).ok_or_else(truncated)?)
            .ok_or_else(truncated)?;
        // Au plus une entrée par 46 octets : le nombre annoncé ne décide pas
        // seul de l'allocation.
        let capacity = usize::try_from(count)
            .unwrap_or(usize::MAX)
            .min(directory.len() / CENTRAL_LEN);
        let mut entries = Vec::with_capacity(capacity);
        let shift = start as i128 - offset as i128;
        let mut at = 0usize;
        for _ in 0..count {
            let (entry, next) = central_entry(directory, at, shift)?;
            entries.push(entry);
            at = next;
        }
        Ok(Archive { bytes, entries })
    }

    /// Les parties de l'archive, dans l'ordre du répertoire.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// La partie nommée `name`, sans tenir compte de la casse ni du sens des
    /// barres obliques (comme Excel).
    pub fn find(&self, name: &str) -> Option<&Entry> {
        let wanted = name.trim_start_matches('/');
        self.entries.iter().find(|entry| {
            entry.name.len() == wanted.len()
                && entry
                    .name
                    .bytes()
                    .zip(wanted.bytes())
                    .all(|(a, b)| normalized(a) == normalized(b))
        })
    }

    /// Ouvre une partie en lecture : ses octets décompressés, au plus sa
    /// taille annoncée, la somme de contrôle vérifiée à la fin.
    pub fn open(&self, entry: &Entry) -> io::Result<PartReader<'b>> {
        if entry.flags & 1 != 0 {
            return Err(broken(format!("{} is encrypted", entry.name)));
        }
        let local = usize::try_from(entry.local_offset).map_err(|_| truncated())?;
        if u32_at(self.bytes, local) != Some(LOCAL_SIGNATURE) {
            return Err(broken(format!("damaged local header for {}", entry.name)));
        }
        let name_len = usize::from(u16_at(self.bytes, local + 26).ok_or_else(truncated)?);
        let extra_len = usize::from(u16_at(self.bytes, local + 28).ok_or_else(truncated)?);
        let data = local + LOCAL_LEN + name_len + extra_len;
        let compressed = usize::try_from(entry.compressed_size).map_err(|_| truncated())?;
        let raw = data
            .checked_add(compressed)
            .and_then(|stop| self.bytes.get(data..stop))
            .ok_or_else(|| broken(format!("{} is truncated", entry.name)))?;
        let source = match entry.method {
            0 => Source::Stored(raw),
            8 => Source::Deflated(Box::new(DeflateDecoder::new(raw))),
            method => {
                return Err(broken(format!(
                    "{} uses compression method {method}, which is not supported (only deflate)",
                    entry.name
                )))
            }
        };
        Ok(PartReader {
            source,
            name: entry.name.clone(),
            remaining: entry.size,
            expected_crc: entry.crc,
            crc: flate2::Crc::new(),
        })
    }
}

/// Vrai si les octets commencent comme une archive ZIP (un en-tête local).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(&LOCAL_SIGNATURE.to_le_bytes())
}

/// Casse et séparateur ignorés pour comparer deux noms de parties.
fn normalized(byte: u8) -> u8 {
    if byte == b'\\' {
        b'/'
    } else {
        byte.to_ascii_lowercase()
    }
}

/// Cherche la fin du répertoire central, en partant de la fin (elle peut
/// être suivie d'un commentaire de 64 Kio au plus).
fn find_end(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(END_LEN)?;
    let first = last.saturating_sub(usize::from(u16::MAX));
    (first..=last)
        .rev()
        .find(|&at| u32_at(bytes, at) == Some(END_SIGNATURE))
}

/// Lit l'entrée du répertoire commençant à `at` ; renvoie l'entrée et la
/// position de la suivante. `shift` corrige les positions d'une archive
/// précédée d'autres données.
fn central_entry(directory: &[u8], at: usize, shift: i128) -> io::Result<(Entry, usize)> {
    if u32_at(directory, at) != Some(CENTRAL_SIGNATURE) {
        return Err(broken("damaged central directory entry"));
    }
    let field16 = |offset: usize| u16_at(directory, at + offset).ok_or_else(truncated);
    let field32 = |offset: usize| u32_at(directory, at + offset).ok_or_else(truncated);
    let flags = field16(8)?;
    let method = field16(10)?;
    let crc = field32(16)?;
    let mut compressed_size = u64::from(field32(20)?);
    let mut size = u64::from(field32(24)?);
    let name_len = usize::from(field16(28)?);
    let extra_len = usize::from(field16(30)?);
    let comment_len = usize::from(field16(32)?);
    let mut local_offset = u64::from(field32(42)?);
    let name_at = at + CENTRAL_LEN;
    let name = directory
        .get(name_at..name_at + name_len)
        .ok_or_else(truncated)?;
    let extra = directory
        .get(name_at + name_len..name_at + name_len + extra_len)
        .ok_or_else(truncated)?;
    // Champ ZIP64 : les valeurs à 0xFFFFFFFF y sont données sur 64 bits,
    // dans cet ordre et seulement celles-là.
    let mut cursor = 0usize;
    while let (Some(id), Some(len)) = (u16_at(extra, cursor), u16_at(extra, cursor + 2)) {
        let body_at = cursor + 4;
        let len = usize::from(len);
        if id == 0x0001 {
            let mut field = body_at;
            for value in [&mut size, &mut compressed_size, &mut local_offset] {
                if *value == 0xFFFF_FFFF && field + 8 <= body_at + len {
                    *value = u64_at(extra, field).ok_or_else(truncated)?;
                    field += 8;
                }
            }
        }
        cursor = body_at + len;
    }
    let local_offset = u64::try_from(i128::from(local_offset) + shift)
        .map_err(|_| broken("damaged central directory entry"))?;
    let entry = Entry {
        name: String::from_utf8_lossy(name).into_owned(),
        size,
        compressed_size,
        method,
        flags,
        crc,
        local_offset,
    };
    Ok((entry, name_at + name_len + extra_len + comment_len))
}

/// Les octets d'une partie, selon sa méthode de compression.
enum Source<'b> {
    Stored(&'b [u8]),
    Deflated(Box<DeflateDecoder<&'b [u8]>>),
}

/// Lecteur d'une partie : jamais plus que la taille annoncée, et une erreur
/// si la partie s'arrête avant ou si sa somme de contrôle est fausse.
pub struct PartReader<'b> {
    source: Source<'b>,
    name: String,
    remaining: u64,
    expected_crc: u32,
    crc: flate2::Crc,
}

impl Read for PartReader<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if buffer.is_empty() {
            return Ok(0);
        }
        // Un octet de plus que le reste annoncé : assez pour voir qu'une
        // partie ment sur sa taille, sans jamais la suivre plus loin.
        let room = usize::try_from(self.remaining.saturating_add(1))
            .unwrap_or(usize::MAX)
            .min(buffer.len());
        let read = match &mut self.source {
            Source::Stored(raw) => raw.read(&mut buffer[..room])?,
            Source::Deflated(decoder) => decoder
                .read(&mut buffer[..room])
                .map_err(|error| broken(format!("{} is damaged ({error})", self.name)))?,
        };
        if read as u64 > self.remaining {
            return Err(broken(format!(
                "{} is larger than its declared size",
                self.name
            )));
        }
        self.remaining -= read as u64;
        self.crc.update(&buffer[..read]);
        if read == 0 {
            if self.remaining > 0 {
                return Err(broken(format!("{} is truncated", self.name)));
            }
            if self.crc.sum() != self.expected_crc {
                return Err(broken(format!("{} is damaged (wrong checksum)", self.name)));
            }
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    /// Archive écrite par une autre bibliothèque (`zip`), avec ses options.
    fn written(parts: &[(&str, &[u8])], options: SimpleFileOptions) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, content) in parts {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    fn read_part(archive: &Archive<'_>, name: &str) -> io::Result<Vec<u8>> {
        let entry = archive.find(name).expect("partie présente");
        let mut out = Vec::new();
        archive.open(entry)?.read_to_end(&mut out)?;
        Ok(out)
    }

    fn parts() -> Vec<(&'static str, Vec<u8>)> {
        vec![
            ("xl/workbook.xml", b"<workbook/>".to_vec()),
            ("xl/worksheets/sheet1.xml", b"<row>1</row>".repeat(5_000)),
            ("[Content_Types].xml", Vec::new()),
        ]
    }

    #[test]
    fn deflated_stored_and_zip64_parts_read_back() {
        let parts = parts();
        let borrowed: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_slice())).collect();
        let options = SimpleFileOptions::default();
        for options in [
            options.compression_method(CompressionMethod::Deflated),
            options.compression_method(CompressionMethod::Stored),
            options
                .compression_method(CompressionMethod::Deflated)
                .large_file(true),
        ] {
            let bytes = written(&borrowed, options);
            let archive = Archive::new(&bytes).expect("archive lisible");
            let names: Vec<&str> = archive.entries().iter().map(|e| e.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    "xl/workbook.xml",
                    "xl/worksheets/sheet1.xml",
                    "[Content_Types].xml"
                ]
            );
            for (name, content) in &parts {
                assert_eq!(&read_part(&archive, name).unwrap(), content, "{name}");
            }
            // Casse et barres obliques inverses ignorées.
            assert_eq!(
                read_part(&archive, "XL\\Workbook.XML").unwrap(),
                b"<workbook/>"
            );
            assert!(archive.find("xl/styles.xml").is_none());
        }
    }

    #[test]
    fn data_before_the_archive_is_skipped() {
        let parts = parts();
        let borrowed: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_slice())).collect();
        let mut bytes = b"#!/bin/sh\nexit 0\n".to_vec();
        bytes.extend(written(&borrowed, SimpleFileOptions::default()));
        let archive = Archive::new(&bytes).expect("archive lisible");
        assert_eq!(
            read_part(&archive, "xl/workbook.xml").unwrap(),
            b"<workbook/>"
        );
    }

    #[test]
    fn a_damaged_part_fails_its_checksum() {
        let content = b"<c><v>1</v></c>".repeat(10);
        let bytes = written(
            &[("a.xml", &content)],
            SimpleFileOptions::default().compression_method(CompressionMethod::Stored),
        );
        let at = bytes.windows(5).position(|w| w == b"<c><v").unwrap();
        let mut damaged = bytes.clone();
        damaged[at + 6] = b'2';
        let archive = Archive::new(&damaged).unwrap();
        let error = read_part(&archive, "a.xml").unwrap_err();
        assert!(error.to_string().contains("checksum"), "{error}");
    }

    #[test]
    fn a_part_larger_than_declared_is_refused() {
        let content = b"0123456789".repeat(100);
        let mut bytes = written(&[("a.xml", &content)], SimpleFileOptions::default());
        // Taille décompressée annoncée par le répertoire : 10 octets.
        let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
        let archive = Archive::new(&bytes).unwrap();
        assert_eq!(archive.entries()[0].size, 10);
        let error = read_part(&archive, "a.xml").unwrap_err();
        assert!(error.to_string().contains("larger than"), "{error}");
    }

    #[test]
    fn encrypted_and_unknown_methods_are_named() {
        let mut bytes = written(&[("a.xml", b"x")], SimpleFileOptions::default());
        let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
        bytes[central + 8] |= 1;
        let archive = Archive::new(&bytes).unwrap();
        let error = read_part(&archive, "a.xml").err().unwrap();
        assert!(error.to_string().contains("encrypted"), "{error}");
        bytes[central + 8] &= !1;
        bytes[central + 10..central + 12].copy_from_slice(&14u16.to_le_bytes());
        let archive = Archive::new(&bytes).unwrap();
        let error = read_part(&archive, "a.xml").err().unwrap();
        assert!(error.to_string().contains("method 14"), "{error}");
    }

    #[test]
    fn every_truncation_is_an_error_never_a_panic() {
        let parts = parts();
        let borrowed: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_slice())).collect();
        let bytes = written(&borrowed, SimpleFileOptions::default());
        for cut in 0..bytes.len() {
            if let Ok(archive) = Archive::new(&bytes[..cut]) {
                // Le répertoire a survécu (fin de fichier intacte) : la
                // lecture des parties ne doit pas paniquer.
                for entry in archive.entries() {
                    if let Ok(mut reader) = archive.open(entry) {
                        let _ = reader.read_to_end(&mut Vec::new());
                    }
                }
            }
        }
    }
}
