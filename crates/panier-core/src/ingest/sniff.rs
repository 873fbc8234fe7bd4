//! Reconnaître ce qu'est un fichier avant de le lire : binaire ou texte,
//! classeur Excel, encodage du texte, séparateur des champs, et format « un
//! panier par ligne ».

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::PanierError;
use crate::scan::{count_matching, utf8_blocks};

/// Encodage du texte : détecté, ou imposé par l'utilisateur.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Les mêmes mots que les options de la CLI et le fichier de réglages.
#[serde(rename_all = "kebab-case")]
pub enum EncodingChoice {
    /// Détecter.
    #[default]
    Auto,
    /// UTF-8 (avec ou sans BOM).
    Utf8,
    /// Windows-1252 (« ANSI » d'Excel sous Windows).
    Windows1252,
    /// ISO-8859-1 strict (Latin-1).
    Latin1,
}

/// Encodage retenu pour lire le texte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    /// UTF-8 valide.
    Utf8,
    /// UTF-8 précédé d'un BOM (exports Excel « CSV UTF-8 »).
    Utf8Bom,
    /// UTF-8 avec des octets invalides, remplacés par « � » (et comptés).
    Utf8Lossy,
    /// Windows-1252, sur-ensemble imprimable de l'ISO-8859-1.
    Windows1252,
    /// ISO-8859-1 strict.
    Latin1,
    /// UTF-16 petit-boutiste (export « Texte Unicode » d'Excel), avec ou
    /// sans BOM ; transcodé en UTF-8 avant la lecture.
    Utf16Le,
    /// UTF-16 gros-boutiste, avec ou sans BOM ; transcodé en UTF-8 avant la
    /// lecture.
    Utf16Be,
}

impl TextEncoding {
    /// Décode un champ : sans copie quand il est en ASCII ou en UTF-8 valide.
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Cow<'a, str> {
        match self {
            // Fichier déjà vérifié : la validation directe est plus rapide que
            // le décodage avec remplacement.
            // UTF-16 : les champs viennent du texte déjà transcodé en UTF-8.
            TextEncoding::Utf8
            | TextEncoding::Utf8Bom
            | TextEncoding::Utf16Le
            | TextEncoding::Utf16Be => std::str::from_utf8(bytes)
                .map_or_else(|_| String::from_utf8_lossy(bytes), Cow::Borrowed),
            TextEncoding::Utf8Lossy => String::from_utf8_lossy(bytes),
            // L'ASCII est identique dans tous ces encodages.
            _ if bytes.is_ascii() => Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default()),
            TextEncoding::Windows1252 => {
                Cow::Owned(bytes.iter().map(|&b| windows_1252(b)).collect())
            }
            TextEncoding::Latin1 => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }
}

impl From<TextEncoding> for EncodingChoice {
    /// Le choix qui redonne cet encodage sans nouvelle détection complète.
    fn from(encoding: TextEncoding) -> Self {
        match encoding {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom | TextEncoding::Utf8Lossy => {
                EncodingChoice::Utf8
            }
            TextEncoding::Windows1252 => EncodingChoice::Windows1252,
            TextEncoding::Latin1 => EncodingChoice::Latin1,
            // Reconnu (et transcodé) avant tout choix d'encodage.
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => EncodingChoice::Auto,
        }
    }
}

/// Reconnaît les signatures de fichiers binaires courants (le ZIP, donc le
/// XLSX, est traité à part).
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
        (b"%PDF", "PDF"),
        (b"\xd0\xcf\x11\xe0", "XLS (Excel 97-2003)"),
        (b"\x1f\x8b", "GZIP"),
        (b"Rar!", "RAR"),
        (b"7z\xbc\xaf", "7-Zip"),
    ];
    if let Some((_, kind)) = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Some(kind);
    }
    // Une page web enregistrée à la place d'un export (téléchargement raté).
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let head: Vec<u8> = bytes[start..bytes.len().min(start + 16)].to_ascii_lowercase();
    if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") {
        return Some("HTML");
    }
    // Un octet nul dans les premiers kilo-octets : ce n'est pas du texte. Le
    // mot est traduit par le message d'erreur.
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then_some(BINARY)
}

/// Nature « binaire » générique d'un fichier, traduite dans les messages.
pub const BINARY: &str = "binary";

/// Transcode un texte UTF-16 (avec BOM, comme l'export « Texte Unicode »
/// d'Excel) en UTF-8 ; `None` si le fichier n'est pas en UTF-16.
pub fn utf16_to_utf8(bytes: &[u8]) -> Option<(Vec<u8>, TextEncoding)> {
    let kind = if bytes.starts_with(b"\xff\xfe") {
        TextEncoding::Utf16Le
    } else if bytes.starts_with(b"\xfe\xff") {
        TextEncoding::Utf16Be
    } else {
        utf16_without_bom(bytes)?
    };
    // Le BOM de cet ordre d'octets est retiré ; sans BOM, l'ordre est celui
    // qu'on vient de reconnaître.
    let (bom, big_endian): (&[u8], bool) = match kind {
        TextEncoding::Utf16Be => (b"\xfe\xff", true),
        _ => (b"\xff\xfe", false),
    };
    let body = bytes.strip_prefix(bom).unwrap_or(bytes);
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(body.len() / 2 * 3 / 2);
    // Une moitié de paire de substitution seule, ou un octet orphelin à la
    // fin, devient « � » (comme le décodeur du navigateur).
    let mut last = None;
    text.extend(
        char::decode_utf16(units.inspect(|&unit| last = Some(unit)))
            .map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)),
    );
    // Une moitié haute suivie de l'octet orphelin : une seule séquence
    // incomplète, un seul « � ».
    let open_pair = last.is_some_and(|unit| (0xD800..0xDC00).contains(&unit));
    if body.len() % 2 == 1 && !open_pair {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Some((text.into_bytes(), kind))
}

/// Caractère d'un octet en Windows-1252, tel que le navigateur le décode
/// (norme WHATWG) : l'ISO-8859-1, sauf 0x80–0x9F où sont rangés « € »,
/// les guillemets typographiques, « Œ »… ; les cinq places libres de ce bloc
/// restent les caractères de contrôle de même numéro.
pub fn windows_1252(byte: u8) -> char {
    const BLOCK: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9F => char::from_u32(u32::from(BLOCK[usize::from(byte - 0x80)]))
            .unwrap_or(char::REPLACEMENT_CHARACTER),
        _ => char::from(byte),
    }
}

/// Reconnaît un texte UTF-16 sans BOM à ses octets nuls : un tableau de
/// transactions est surtout fait de caractères ASCII, dont l'octet de poids
/// fort est nul — un octet sur deux, toujours à la même place. Sur les
/// 4 096 premiers octets : plus de 30 % des paires ont un zéro du même côté
/// et quasiment aucune de l'autre. Un texte à un octet par caractère n'a
/// jamais d'octet nul ; un fichier binaire en a des deux côtés.
fn utf16_without_bom(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let clear = |zeros: usize, other: usize| zeros * 10 > pairs * 3 && other * 50 <= pairs;
    if clear(odd, even) {
        Some(TextEncoding::Utf16Le)
    } else if clear(even, odd) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Choisit l'encodage du texte et renvoie aussi le nombre d'octets invalides
/// (remplacés) et la position où commence le texte (après un éventuel BOM).
pub fn detect_encoding(
    bytes: &[u8],
    choice: EncodingChoice,
) -> Result<(TextEncoding, u64, usize), PanierError> {
    let bom = check_text(bytes)?;
    let text = &bytes[bom..];
    // Un encodage à un octet imposé n'a rien à vérifier.
    match choice {
        EncodingChoice::Windows1252 => return Ok((TextEncoding::Windows1252, 0, bom)),
        EncodingChoice::Latin1 => return Ok((TextEncoding::Latin1, 0, bom)),
        EncodingChoice::Auto | EncodingChoice::Utf8 => {}
    }
    let (encoding, replaced) = decide_encoding(choice, bom, utf8_census(text));
    Ok((encoding, replaced, bom))
}

/// Vérifie qu'un fichier est du texte non vide ; renvoie la longueur de son
/// BOM UTF-8 (0 ou 3).
pub fn check_text(bytes: &[u8]) -> Result<usize, PanierError> {
    let bom = if bytes.starts_with(b"\xef\xbb\xbf") {
        3
    } else {
        0
    };
    // Un BOM seul (ou suivi de blancs) est un fichier vide.
    if bytes[bom..].iter().all(|b| b.is_ascii_whitespace()) {
        return Err(PanierError::EmptyFile);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(PanierError::NotText { kind: kind.into() });
    }
    Ok(bom)
}

/// Encodage du début d'un fichier lu en deux moitiés, pour lire son en-tête
/// (la décision pour tout le fichier attend la fin :
/// [`decide_split_encoding`]).
pub fn first_part_encoding(
    choice: EncodingChoice,
    bom: usize,
    first: (Utf8Census, bool),
) -> TextEncoding {
    decide_encoding(choice, bom, first.0).0
}

/// Décision d'après le bilan UTF-8 du texte (encodage à un octet non imposé) :
/// encodage, et octets remplacés.
fn decide_encoding(choice: EncodingChoice, bom: usize, invalid: Utf8Census) -> (TextEncoding, u64) {
    let encoding = match choice {
        EncodingChoice::Windows1252 => TextEncoding::Windows1252,
        EncodingChoice::Latin1 => TextEncoding::Latin1,
        EncodingChoice::Utf8 if invalid.invalid == 0 && bom > 0 => TextEncoding::Utf8Bom,
        EncodingChoice::Utf8 if invalid.invalid == 0 => TextEncoding::Utf8,
        EncodingChoice::Utf8 => TextEncoding::Utf8Lossy,
        EncodingChoice::Auto if invalid.invalid == 0 && bom > 0 => TextEncoding::Utf8Bom,
        EncodingChoice::Auto if invalid.invalid == 0 => TextEncoding::Utf8,
        // Un fichier majoritairement en UTF-8 avec quelques octets abîmés
        // reste de l'UTF-8 : le lire en Windows-1252 transformerait chaque
        // « é » correct en « Ã© ».
        EncodingChoice::Auto if bom > 0 || invalid.valid_multibyte > invalid.invalid => {
            TextEncoding::Utf8Lossy
        }
        EncodingChoice::Auto => TextEncoding::Windows1252,
    };
    let replaced = if encoding == TextEncoding::Utf8Lossy {
        invalid.invalid
    } else {
        0
    };
    (encoding, replaced)
}

/// Bilan UTF-8 du début d'un fichier lu en deux moitiés, et vrai si son
/// échantillon suffit à conclure (comme pour le fichier entier, voir
/// `utf8_census`) ; sinon, c'est un recensement complet, qui s'ajoute à
/// celui de la fin ([`full_census`]).
pub fn first_part_census(text: &[u8]) -> (Utf8Census, bool) {
    let sample = count_invalid_utf8(&text[..text.len().min(CENSUS_SAMPLE)]);
    if sample.is_conclusive() {
        (sample, true)
    } else {
        (count_invalid_utf8(text), false)
    }
}

/// Recensement complet, pour la fin d'un fichier lu en deux moitiés.
pub fn full_census(text: &[u8]) -> Utf8Census {
    count_invalid_utf8(text)
}

/// Encodage d'un fichier lu en deux moitiés coupées à une fin de ligne
/// (aucune séquence UTF-8 ne chevauche la coupe) : la même décision que sur
/// le fichier entier ([`detect_encoding`]).
pub fn decide_split_encoding(
    choice: EncodingChoice,
    bom: usize,
    first: (Utf8Census, bool),
    tail: Utf8Census,
) -> (TextEncoding, u64) {
    let census = match first {
        (sample, true) => sample,
        (census, false) => Utf8Census {
            valid_multibyte: census.valid_multibyte + tail.valid_multibyte,
            invalid: census.invalid + tail.invalid,
        },
    };
    decide_encoding(choice, bom, census)
}

/// Bilan de validité UTF-8 d'un texte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Utf8Census {
    /// Séquences multi-octets valides (caractères non ASCII bien encodés).
    pub valid_multibyte: u64,
    /// Séquences invalides.
    pub invalid: u64,
}

impl Utf8Census {
    /// Vrai si ce bilan désigne clairement un encodage à un octet : plus
    /// d'octets invalides que de caractères UTF-8 valides.
    fn is_conclusive(&self) -> bool {
        self.invalid > 0 && self.valid_multibyte <= self.invalid
    }
}

/// Taille de l'échantillon qui suffit à reconnaître du Windows-1252.
const CENSUS_SAMPLE: usize = 4 * 1024 * 1024;

/// Bilan UTF-8 du texte, au moindre coût. Cas courant : UTF-8 valide,
/// vérifié en une passe rapide. Sinon, les 4 premiers Mo suffisent quand ils
/// désignent clairement Windows-1252 (un Latin-1 de 45 Mo n'a pas à être
/// recensé en entier) ; dans les autres cas (UTF-8 abîmé, défaut au-delà de
/// l'échantillon), recensement complet pour compter exactement les octets
/// remplacés.
fn utf8_census(text: &[u8]) -> Utf8Census {
    if utf8_blocks(text).all(|block| simdutf8::basic::from_utf8(block).is_ok()) {
        return Utf8Census {
            valid_multibyte: 0,
            invalid: 0,
        };
    }
    let sample = count_invalid_utf8(&text[..text.len().min(CENSUS_SAMPLE)]);
    if sample.is_conclusive() {
        sample
    } else {
        count_invalid_utf8(text)
    }
}

/// Caractères non ASCII d'un texte UTF-8 valide : un octet de tête (≥ 0xC0)
/// par caractère. Compter des octets se vectorise ; décoder des `char`, non.
fn non_ascii_chars(valid: &[u8]) -> u64 {
    count_matching(valid, |byte| byte >= 0xC0)
}

/// Recensement UTF-8, bloc par bloc (voir [`crate::scan`]).
fn count_invalid_utf8(bytes: &[u8]) -> Utf8Census {
    utf8_blocks(bytes)
        .map(count_invalid_utf8_block)
        .fold(Utf8Census::default(), |total, block| Utf8Census {
            valid_multibyte: total.valid_multibyte + block.valid_multibyte,
            invalid: total.invalid + block.invalid,
        })
}

#[inline(never)]
fn count_invalid_utf8_block(mut bytes: &[u8]) -> Utf8Census {
    let mut census = Utf8Census {
        valid_multibyte: 0,
        invalid: 0,
    };
    loop {
        match simdutf8::compat::from_utf8(bytes) {
            Ok(_) => {
                census.valid_multibyte += non_ascii_chars(bytes);
                return census;
            }
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                census.valid_multibyte += non_ascii_chars(valid);
                census.invalid += 1;
                let skip = error.error_len().unwrap_or(rest.len()).max(1);
                bytes = &rest[skip.min(rest.len())..];
                if bytes.is_empty() {
                    return census;
                }
            }
        }
    }
}

/// Virgule décimale d'après les nombres du début du texte (64 Kio) :
/// `Some(true)` si plus de champs s'écrivent `12,5` ou `12,50` (une virgule,
/// un ou deux chiffres après) que `12.5` ou `12.50`, `Some(false)` dans le
/// cas contraire, `None` sans indice (égalité, ou aucun tel nombre). Trois
/// chiffres après le séparateur (`1,234`) ne disent rien : milliers ou
/// décimales ?
pub fn sniff_decimal_comma(text: &[u8], delimiter: u8) -> Option<bool> {
    let sample = &text[..text.len().min(64 * 1024)];
    let (mut commas, mut dots) = (0usize, 0usize);
    let fields =
        sample.split(|&b| b == b'\n' || b == delimiter || (delimiter == WHITESPACE && b == b'\t'));
    for field in fields {
        // Du premier au dernier chiffre : guillemets, devise et blancs autour
        // ne comptent pas.
        let (Some(first), Some(last)) = (
            field.iter().position(u8::is_ascii_digit),
            field.iter().rposition(u8::is_ascii_digit),
        ) else {
            continue;
        };
        let core = &field[first..=last];
        let mut separators = core.iter().enumerate().filter(|(_, b)| !b.is_ascii_digit());
        // Un seul séparateur, suivi d'un ou deux chiffres : décimal sans doute.
        if let (Some((at, &separator)), None) = (separators.next(), separators.next()) {
            let tail = core.len() - at - 1;
            if (1..=2).contains(&tail) {
                match separator {
                    b',' => commas += 1,
                    b'.' => dots += 1,
                    _ => {}
                }
            }
        }
    }
    match commas.cmp(&dots) {
        std::cmp::Ordering::Greater => Some(true),
        std::cmp::Ordering::Less => Some(false),
        std::cmp::Ordering::Equal => None,
    }
}

/// Séparateurs de champs essayés, par ordre de préférence à égalité.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Séparateur « blancs » : une suite d'espaces ou de tabulations sépare les
/// champs (exports en colonnes alignées, comme le journal de CDNOW). C'est
/// ainsi que l'option de séparateur « espace » (`' '`) est comprise.
pub const WHITESPACE: u8 = b' ';

/// Nombre de champs d'une ligne séparée par des blancs : mots hors
/// guillemets, les blancs de tête et de fin ne comptant pas.
fn whitespace_field_count(line: &[u8]) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    let mut in_word = false;
    for &byte in line {
        if byte == b'"' {
            in_quotes = !in_quotes;
        }
        let blank = !in_quotes && (byte == b' ' || byte == b'\t');
        if !blank && !in_word {
            count += 1;
        }
        in_word = !blank;
    }
    count
}

/// Réécrit un texte séparé par des blancs en texte séparé par des
/// tabulations : blancs de tête et de fin de ligne retirés, chaque suite
/// d'espaces ou de tabulations (hors guillemets) remplacée par une seule
/// tabulation. Les fins de ligne et tout le reste sont gardés tels quels
/// (octets ASCII : valable dans tous les encodages à un octet et en UTF-8).
pub fn whitespace_to_tabs(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for line in text.split_inclusive(|&b| b == b'\n') {
        let (body, end) = match line.iter().rposition(|&b| b != b'\r' && b != b'\n') {
            Some(last) => line.split_at(last + 1),
            None => (&line[..0], line),
        };
        let mut in_quotes = false;
        let mut pending_blank = false;
        for &byte in body.iter().skip_while(|&&b| b == b' ' || b == b'\t') {
            if byte == b'"' {
                in_quotes = !in_quotes;
            }
            if !in_quotes && (byte == b' ' || byte == b'\t') {
                pending_blank = true;
                continue;
            }
            if pending_blank {
                out.push(b'\t');
                pending_blank = false;
            }
            out.push(byte);
        }
        out.extend_from_slice(end);
    }
    out
}

/// Nombre de champs d'une ligne pour un séparateur, hors guillemets.
fn field_count(line: &[u8], delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut count = 1;
    for &byte in line {
        if byte == b'"' {
            in_quotes = !in_quotes;
        } else if byte == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

/// Devine le séparateur sur les premières lignes : celui qui donne le même
/// nombre de champs (plus d'un) au plus grand nombre de lignes, puis le plus
/// de champs. Renvoie aussi la part de lignes de largeur irrégulière, qui
/// trahit le format « un panier par ligne ».
pub fn sniff_delimiter(text: &[u8]) -> (u8, f64) {
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.is_empty())
        .take(50)
        .collect();
    let mut best = (b',', 0usize, 0usize, 1.0f64, 1usize);
    for delimiter in DELIMITERS {
        let counts: Vec<usize> = lines.iter().map(|l| field_count(l, delimiter)).collect();
        let Some(&header_width) = counts.first() else {
            continue;
        };
        if header_width < 2 && counts.iter().all(|&c| c < 2) {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == header_width).count();
        let ragged = 1.0 - consistent as f64 / counts.len() as f64;
        let widest = counts.iter().copied().max().unwrap_or(0);
        if (consistent, widest) > (best.1, best.2) {
            best = (delimiter, consistent, widest, ragged, header_width);
        }
    }
    // Aucun séparateur usuel ne découpe l'en-tête : des colonnes séparées
    // par des blancs, si presque toutes les lignes ont le même nombre de
    // mots (au moins deux) que l'en-tête.
    if best.4 < 2 && !lines.is_empty() {
        let counts: Vec<usize> = lines.iter().map(|l| whitespace_field_count(l)).collect();
        let header_width = counts[0];
        let consistent = counts.iter().filter(|&&c| c == header_width).count();
        if header_width >= 2 && consistent * 10 >= counts.len() * 9 {
            return (WHITESPACE, 1.0 - consistent as f64 / counts.len() as f64);
        }
    }
    (best.0, best.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_decodes_every_byte_like_encoding_rs() {
        for byte in 0..=255u8 {
            let raw = [byte];
            let (expected, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&raw);
            assert_eq!(
                windows_1252(byte).to_string(),
                expected,
                "octet {byte:#04x}"
            );
        }
    }

    proptest::proptest! {
        /// UTF-16 transcodé comme le fait encoding_rs (le décodeur des
        /// navigateurs) : BOM retiré, paires de substitution, moitiés seules
        /// et octet orphelin remplacés.
        #[test]
        fn utf16_is_transcoded_like_encoding_rs(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64),
            big_endian in proptest::prelude::any::<bool>(),
            surrogates in proptest::collection::vec(0xD7F0u16..0xE010, 0..8),
        ) {
            let mut bytes: Vec<u8> = if big_endian { b"\xfe\xff".to_vec() } else { b"\xff\xfe".to_vec() };
            bytes.extend(&body);
            for unit in surrogates {
                bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
            }
            let encoding = if big_endian { encoding_rs::UTF_16BE } else { encoding_rs::UTF_16LE };
            let (expected, _) = encoding.decode_with_bom_removal(&bytes);
            let (found, _) = utf16_to_utf8(&bytes).expect("BOM présent");
            proptest::prop_assert_eq!(String::from_utf8(found).unwrap(), expected.into_owned());
        }
    }

    #[test]
    fn encodings_are_detected() {
        assert_eq!(
            detect_encoding("a,b\né,1\n".as_bytes(), EncodingChoice::Auto).unwrap(),
            (TextEncoding::Utf8, 0, 0)
        );
        assert_eq!(
            detect_encoding("\u{feff}a\n".as_bytes(), EncodingChoice::Auto).unwrap(),
            (TextEncoding::Utf8Bom, 0, 3)
        );
        assert_eq!(
            detect_encoding(b"a,b\n\xa3 5,x\n", EncodingChoice::Auto)
                .unwrap()
                .0,
            TextEncoding::Windows1252
        );
    }

    #[test]
    fn mostly_utf8_with_a_broken_byte_stays_utf8() {
        let bytes = "é,è,à,ç\n".repeat(10) + "x\u{0}";
        let mut bytes = bytes.into_bytes();
        bytes.pop();
        bytes.pop();
        bytes.extend_from_slice(b"\xff\n");
        assert_eq!(
            detect_encoding(&bytes, EncodingChoice::Auto).unwrap(),
            (TextEncoding::Utf8Lossy, 1, 0)
        );
    }

    #[test]
    fn a_latin1_byte_far_into_an_ascii_file_is_still_seen() {
        let mut bytes = "a,b\n".repeat(2_000_000).into_bytes();
        bytes.extend_from_slice(b"\xa3,x\n");
        assert_eq!(
            detect_encoding(&bytes, EncodingChoice::Auto).unwrap().0,
            TextEncoding::Windows1252
        );
    }

    #[test]
    fn the_user_can_force_an_encoding() {
        let (encoding, _, _) = detect_encoding(b"caf\xe9\n", EncodingChoice::Latin1).unwrap();
        assert_eq!(encoding.decode(b"caf\xe9"), "café");
        assert_eq!(TextEncoding::Windows1252.decode(b"\x80"), "€");
        assert_eq!(TextEncoding::Latin1.decode(b"\xa3"), "£");
    }

    #[test]
    fn binary_files_are_named() {
        assert_eq!(
            detect_encoding(b"\x89PNG\r\n", EncodingChoice::Auto).unwrap_err(),
            PanierError::NotText { kind: "PNG".into() }
        );
        assert_eq!(
            detect_encoding(b" \n\t", EncodingChoice::Auto).unwrap_err(),
            PanierError::EmptyFile
        );
    }

    #[test]
    fn delimiters_are_sniffed_on_consistent_lines() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2,5;3\n4;5;6\n").0, b';');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n").0, b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n").0, b'|');
        assert_eq!(sniff_delimiter(b"\"x;y\",b,c\n1,2,3\n").0, b',');
        assert_eq!(sniff_delimiter(b"single\nvalue\n").0, b',');
    }

    #[test]
    fn whitespace_columns_are_recognised_and_rewritten() {
        let text = b"customer_id date number_of_cds dollar_value\n  0001   19970101  2   29.33\r\n0002\t19970112 1 \"11 77\"\n";
        assert_eq!(sniff_delimiter(text).0, WHITESPACE);
        assert_eq!(
            whitespace_to_tabs(text),
            b"customer_id\tdate\tnumber_of_cds\tdollar_value\n0001\t19970101\t2\t29.33\r\n0002\t19970112\t1\t\"11 77\"\n"
        );
        // Une phrase par ligne n'est pas un tableau.
        assert_ne!(
            sniff_delimiter(b"hello world\nthis is a note\nbye\n").0,
            WHITESPACE
        );
        // Un vrai CSV garde sa virgule, même avec des espaces dans les valeurs.
        assert_eq!(sniff_delimiter(b"a,b c\n1,2 3\n").0, b',');
    }

    #[test]
    fn utf16_is_recognised_with_or_without_bom() {
        let text = "Client;Montant\n0001;29,33 €\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, kind) in [
            (le.clone(), TextEncoding::Utf16Le),
            (be.clone(), TextEncoding::Utf16Be),
        ] {
            let (utf8, found) = utf16_to_utf8(&bytes).expect("UTF-16");
            assert_eq!((utf8.as_slice(), found), (text.as_bytes(), kind));
        }
        let mut with_bom = b"\xff\xfe".to_vec();
        with_bom.extend_from_slice(&le);
        assert_eq!(
            utf16_to_utf8(&with_bom),
            Some((text.as_bytes().to_vec(), TextEncoding::Utf16Le))
        );
        assert_eq!(utf16_to_utf8(text.as_bytes()), None);
        assert_eq!(
            utf16_to_utf8(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0"),
            None
        );
    }

    #[test]
    fn basket_lines_are_ragged() {
        let (delimiter, ragged) =
            sniff_delimiter(b"milk,bread\nbeer\neggs,milk,butter,jam\ncoffee,tea,sugar\nwine\n");
        assert_eq!(delimiter, b',');
        assert!(ragged > 0.5, "{ragged}");
    }
}
