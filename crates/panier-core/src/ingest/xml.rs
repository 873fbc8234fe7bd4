//! Lecteur XML en flux, minimal, pour les parties d'un classeur XLSX.
//!
//! Il découpe le texte en jetons (balise ouvrante, balise fermante, texte)
//! sans rien construire : chaque jeton emprunte au tampon de lecture et n'est
//! valable que jusqu'au jeton suivant. Le tampon ne garde que le jeton en
//! cours : une feuille de 234 Mo se lit avec quelques dizaines de Kio, et un
//! jeton plus long que le plafond (une valeur de cellule de plusieurs Mio,
//! signe d'un fichier piégé) est refusé avant d'être lu en entier.
//!
//! Ce que les classeurs écrivent est compris : préfixes d'espace de noms
//! (`x:c`, comparés par leur nom local), attributs entre apostrophes ou
//! guillemets (un `>` dans une valeur ne ferme pas la balise), entités
//! (`&amp;`, `&#233;`…), sections CDATA, commentaires, instructions de
//! traitement et déclaration de type, sauts de ligne normalisés comme le
//! veut XML 1.0. Rien n'est validé au-delà : les balises mal imbriquées ne
//! sont pas une erreur ici (le lecteur du classeur sait ce qu'il attend).

use std::io::{self, Read};

use crate::error::PanierError;
use crate::ingest::limits::Limit;

/// Octets demandés à la source à chaque lecture.
const CHUNK: usize = 64 * 1024;

/// Un jeton, emprunté au tampon du lecteur.
#[derive(Debug, PartialEq)]
pub enum Token<'a> {
    /// `<nom attributs>` ou `<nom attributs/>` (`empty`). `name` est le nom
    /// local (sans préfixe), `attributes` le texte brut des attributs.
    Open {
        name: &'a [u8],
        attributes: Attributes<'a>,
        empty: bool,
    },
    /// `</nom>` : le nom local.
    Close { name: &'a [u8] },
    /// Texte entre deux balises, brut (entités non résolues).
    Text(&'a [u8]),
    /// Contenu d'une section `<![CDATA[…]]>`, littéral.
    CData(&'a [u8]),
}

/// Lecteur de jetons sur une source d'octets.
pub struct XmlReader<R> {
    source: R,
    buffer: Vec<u8>,
    /// Début du prochain jeton dans `buffer`.
    start: usize,
    /// Fin des octets valides de `buffer`.
    end: usize,
    /// Octets de `buffer[start..end]` déjà parcourus sans trouver la fin du
    /// jeton (la recherche reprend là après une nouvelle lecture).
    scanned: usize,
    eof: bool,
    /// Plus long jeton accepté.
    max_token: usize,
}

/// Ce qui ferme le jeton commençant par ces octets.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Comment,
    CData,
    Declaration,
    Instruction,
    Tag,
}

impl<R: Read> XmlReader<R> {
    /// Lecteur dont aucun jeton ne dépasse `max_token` octets.
    pub fn new(source: R, max_token: u64) -> Self {
        XmlReader {
            source,
            buffer: Vec::new(),
            start: 0,
            end: 0,
            scanned: 0,
            eof: false,
            max_token: usize::try_from(max_token).unwrap_or(usize::MAX),
        }
    }

    /// Le jeton suivant ; `None` à la fin du document. Commentaires,
    /// instructions de traitement et déclarations sont sautés.
    pub fn next_token(&mut self) -> Result<Option<Token<'_>>, PanierError> {
        loop {
            if self.start == self.end && !self.fill()? {
                return Ok(None);
            }
            let kind = self.kind()?;
            let Some(close) = self.find_close(kind)? else {
                continue;
            };
            let token_start = self.start;
            self.scanned = 0;
            if close - token_start > self.max_token {
                return Err(Limit::CellBytes.exceeded((close - token_start) as u64));
            }
            self.start = close;
            if matches!(kind, Kind::Comment | Kind::Declaration | Kind::Instruction) {
                continue;
            }
            let token = &self.buffer[token_start..close];
            return Ok(Some(match kind {
                Kind::Text => Token::Text(token),
                // Sans « <![CDATA[ » ni « ]]> ».
                Kind::CData => Token::CData(&token[9..token.len() - 3]),
                _ => tag(token),
            }));
        }
    }

    /// Nature du jeton qui commence en `start` (lit plus d'octets si ses
    /// premiers octets ne suffisent pas à la dire).
    fn kind(&mut self) -> Result<Kind, PanierError> {
        loop {
            let head = &self.buffer[self.start..self.end];
            match head {
                [b'<', b'!' | b'?', ..] | [b'<'] => {}
                [b'<', ..] => return Ok(Kind::Tag),
                _ => return Ok(Kind::Text),
            }
            let known = [
                (&b"<!--"[..], Kind::Comment),
                (b"<![CDATA[", Kind::CData),
                (b"<!", Kind::Declaration),
                (b"<?", Kind::Instruction),
            ];
            // « <!-- » se reconnaît avant « <! » ; un début trop court pour
            // trancher attend la lecture suivante.
            let mut matched = None;
            let mut undecided = false;
            for (prefix, kind) in known {
                if head.starts_with(prefix) {
                    matched = matched.or(Some(kind));
                } else if prefix.starts_with(head) {
                    undecided = true;
                }
            }
            if !(undecided && self.fill()?) {
                return Ok(matched.unwrap_or(Kind::Tag));
            }
        }
    }

    /// Position qui suit la fin du jeton en cours (exclue pour un texte),
    /// ou `None` après avoir lu plus d'octets (à rechercher de nouveau).
    fn find_close(&mut self, kind: Kind) -> Result<Option<usize>, PanierError> {
        let from = self.start + self.scanned;
        let window = &self.buffer[from..self.end];
        let found = match kind {
            Kind::Text => memchr::memchr(b'<', window),
            Kind::Comment => memchr::memmem::find(window, b"-->").map(|at| at + 3),
            Kind::CData => memchr::memmem::find(window, b"]]>").map(|at| at + 3),
            Kind::Instruction => memchr::memmem::find(window, b"?>").map(|at| at + 2),
            Kind::Declaration | Kind::Tag => {
                tag_end(&self.buffer[self.start..self.end], self.scanned)
                    .map(|at| at + 1 - self.scanned)
            }
        };
        if let Some(at) = found {
            return Ok(Some(from + at));
        }
        // Un texte qui va jusqu'à la fin du document est complet.
        let length = self.end - self.start;
        if matches!(kind, Kind::Text) && self.eof {
            return Ok(Some(self.end));
        }
        // Reprendre la recherche un peu avant la fin (un délimiteur de
        // plusieurs octets coupé entre deux lectures ; pour une balise,
        // l'état des guillemets est recalculé depuis son début).
        self.scanned = match kind {
            Kind::Tag | Kind::Declaration => 0,
            _ => length.saturating_sub(2),
        };
        if !self.fill()? {
            if matches!(kind, Kind::Text) {
                return Ok(Some(self.end));
            }
            return Err(unreadable("the XML ends in the middle of a tag"));
        }
        Ok(None)
    }

    /// Lit plus d'octets ; `false` si la source est épuisée. Refuse un jeton
    /// en cours plus long que le plafond.
    fn fill(&mut self) -> Result<bool, PanierError> {
        if self.eof {
            return Ok(false);
        }
        let pending = self.end - self.start;
        if pending > self.max_token {
            return Err(Limit::CellBytes.exceeded(pending as u64));
        }
        if self.start > 0 {
            self.buffer.copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = pending;
        }
        if self.buffer.len() < self.end + CHUNK {
            self.buffer.resize(self.end + CHUNK, 0);
        }
        loop {
            match self.source.read(&mut self.buffer[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(read) => {
                    self.end += read;
                    return Ok(true);
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(unreadable(error.to_string())),
            }
        }
    }
}

/// Erreur d'un classeur illisible, avec son détail technique.
pub fn unreadable(detail: impl Into<String>) -> PanierError {
    PanierError::UnreadableSpreadsheet {
        detail: detail.into(),
    }
}

/// Position du `>` qui ferme la balise `tag` (qui commence par `<`), hors
/// des valeurs d'attributs entre guillemets ; la recherche commence à
/// `from`, où l'on sait n'être dans aucune valeur (0, ou après un échec
/// complet qui a recommencé au début).
fn tag_end(tag: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        // Le prochain `>`, ou le prochain guillemet qui ouvre une valeur.
        let next = at + memchr::memchr3(b'>', b'"', b'\'', &tag[at..])?;
        let quote = tag[next];
        if quote == b'>' {
            return Some(next);
        }
        // Une valeur entre guillemets : son `>` ne ferme rien.
        at = next + 1 + memchr::memchr(quote, &tag[next + 1..])? + 1;
    }
}

/// Nom local : ce qui suit le dernier `:` du nom qualifié.
fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Découpe une balise complète (`<…>`).
fn tag(raw: &[u8]) -> Token<'_> {
    let inner = &raw[1..raw.len() - 1];
    if let Some(name) = inner.strip_prefix(b"/") {
        return Token::Close {
            name: local(name.trim_ascii()),
        };
    }
    let (inner, empty) = match inner.strip_suffix(b"/") {
        Some(inner) => (inner, true),
        None => (inner, false),
    };
    let name_end = inner
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(inner.len());
    Token::Open {
        name: local(&inner[..name_end]),
        attributes: Attributes(&inner[name_end..]),
        empty,
    }
}

/// Les attributs d'une balise, lus à la demande.
#[derive(Debug, PartialEq, Clone, Copy)]
pub struct Attributes<'a>(&'a [u8]);

impl<'a> Attributes<'a> {
    /// Valeur brute (entités non résolues) du premier attribut de nom local
    /// `wanted`.
    pub fn get(&self, wanted: &[u8]) -> Option<&'a [u8]> {
        self.iter()
            .find(|(name, _)| local(name) == wanted)
            .map(|(_, value)| value)
    }

    /// Valeur d'un attribut de nom qualifié exactement `wanted`.
    pub fn get_qualified(&self, wanted: &[u8]) -> Option<&'a [u8]> {
        self.iter()
            .find(|(name, _)| *name == wanted)
            .map(|(_, value)| value)
    }

    /// Valeurs brutes des attributs de noms locaux `wanted`, en un seul
    /// passage (le premier de chaque nom).
    pub fn pick<const N: usize>(&self, wanted: [&[u8]; N]) -> [Option<&'a [u8]>; N] {
        let mut found = [None; N];
        for (name, value) in self.iter() {
            let name = local(name);
            if let Some(slot) = wanted.iter().position(|w| *w == name) {
                found[slot] = found[slot].or(Some(value));
            }
        }
        found
    }

    /// Paires (nom qualifié, valeur brute).
    fn iter(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> {
        let mut rest = self.0;
        std::iter::from_fn(move || {
            rest = rest.trim_ascii_start();
            let equal = rest.iter().position(|&b| b == b'=')?;
            let name = rest[..equal].trim_ascii();
            let after = rest[equal + 1..].trim_ascii_start();
            let quote = *after.first()?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let close = after[1..].iter().position(|&b| b == quote)?;
            let value = &after[1..1 + close];
            rest = &after[close + 2..];
            Some((name, value))
        })
    }
}

/// Ajoute à `out` le texte `raw` : entités résolues, sauts de ligne `\r\n`
/// et `\r` normalisés en `\n` (XML 1.0), octets invalides en UTF-8
/// remplacés par « � ». Une entité inconnue reste telle quelle.
pub fn push_text(raw: &[u8], out: &mut String) {
    let mut rest = raw;
    while !rest.is_empty() {
        let stop = rest
            .iter()
            .position(|&b| b == b'&' || b == b'\r')
            .unwrap_or(rest.len());
        out.push_str(&String::from_utf8_lossy(&rest[..stop]));
        rest = &rest[stop..];
        match rest.first() {
            Some(b'\r') => {
                out.push('\n');
                rest = rest.strip_prefix(b"\r\n").unwrap_or(&rest[1..]);
            }
            Some(_) => {
                let (decoded, used) = entity(rest);
                match decoded {
                    Some(character) => out.push(character),
                    None => out.push('&'),
                }
                rest = &rest[used..];
            }
            None => {}
        }
    }
}

/// Décode l'entité au début de `raw` (qui commence par `&`) : le caractère
/// et les octets consommés, ou `None` et 1 si ce n'en est pas une.
fn entity(raw: &[u8]) -> (Option<char>, usize) {
    let Some(semicolon) = raw.iter().take(12).position(|&b| b == b';') else {
        return (None, 1);
    };
    let name = &raw[1..semicolon];
    let character = match name {
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"amp" => Some('&'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => {
            let code = match name {
                [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
                    .ok()
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok()),
                [b'#', decimal @ ..] => std::str::from_utf8(decimal)
                    .ok()
                    .and_then(|decimal| decimal.parse().ok()),
                _ => None,
            };
            code.and_then(char::from_u32)
        }
    };
    match character {
        Some(character) => (Some(character), semicolon + 1),
        None => (None, 1),
    }
}

/// Texte d'un attribut, entités résolues.
pub fn attribute_text(raw: &[u8]) -> String {
    let mut out = String::with_capacity(raw.len());
    push_text(raw, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tous les jetons, copiés, d'un document lu par morceaux de `chunk`
    /// octets (les coupures tombent partout).
    fn tokens(document: &[u8], chunk: usize) -> Vec<String> {
        let mut reader = XmlReader::new(Chunked(document, chunk), 1 << 20);
        let mut out = Vec::new();
        while let Some(token) = reader.next_token().expect("XML lisible") {
            out.push(match token {
                Token::Open {
                    name,
                    attributes,
                    empty,
                } => format!(
                    "open {} [{}]{}",
                    String::from_utf8_lossy(name),
                    String::from_utf8_lossy(attributes.0).trim(),
                    if empty { " empty" } else { "" }
                ),
                Token::Close { name } => format!("close {}", String::from_utf8_lossy(name)),
                Token::Text(text) => format!("text {}", String::from_utf8_lossy(text)),
                Token::CData(text) => format!("cdata {}", String::from_utf8_lossy(text)),
            });
        }
        out
    }

    /// Source qui ne donne que `1` octets à la fois.
    struct Chunked<'a>(&'a [u8], usize);

    impl Read for Chunked<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buffer.len()).min(self.0.len());
            buffer[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    const DOCUMENT: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE x><!-- a <comment> -- here --><x:worksheet xmlns:x="urn:x"><x:c r="A1" s='2' t="s"><x:v>12</x:v></x:c><numFmt formatCode="[&gt;100]0;[<=5]&quot;a&quot;" /><t><![CDATA[<b> & ]]]></t></x:worksheet>"#;

    #[test]
    fn tokens_are_the_same_whatever_the_chunk_size() {
        let expected = tokens(DOCUMENT, CHUNK);
        assert_eq!(
            expected,
            [
                "text \n",
                "open worksheet [xmlns:x=\"urn:x\"]",
                "open c [r=\"A1\" s='2' t=\"s\"]",
                "open v []",
                "text 12",
                "close v",
                "close c",
                "open numFmt [formatCode=\"[&gt;100]0;[<=5]&quot;a&quot;\"] empty",
                "open t []",
                "cdata <b> & ]",
                "close t",
                "close worksheet",
            ]
        );
        for chunk in 1..40 {
            assert_eq!(tokens(DOCUMENT, chunk), expected, "morceaux de {chunk}");
        }
    }

    #[test]
    fn attributes_are_found_by_local_name() {
        let attributes = Attributes(br#" r:id="rId3" name='Ventes &amp; co' xml:space="preserve""#);
        assert_eq!(attributes.get(b"id"), Some(&b"rId3"[..]));
        assert_eq!(attributes.get(b"name"), Some(&b"Ventes &amp; co"[..]));
        assert_eq!(
            attributes.get_qualified(b"xml:space"),
            Some(&b"preserve"[..])
        );
        assert_eq!(attributes.get(b"missing"), None);
        assert_eq!(attribute_text(b"Ventes &amp; co"), "Ventes & co");
    }

    #[test]
    fn text_resolves_entities_and_normalizes_line_ends() {
        let mut out = String::new();
        push_text(
            b"a&lt;b&gt;&amp;&quot;&apos;&#233;&#x1F600;&bogus; \r\n x\ry &",
            &mut out,
        );
        assert_eq!(out, "a<b>&\"'é😀&bogus; \n x\ny &");
        let mut out = String::new();
        push_text(b"caf\xe9", &mut out);
        assert_eq!(out, "caf\u{fffd}");
    }

    #[test]
    fn a_token_beyond_the_budget_is_refused() {
        let mut document = b"<t>".to_vec();
        document.resize(10_000, b'a');
        document.extend_from_slice(b"</t>");
        let mut reader = XmlReader::new(&document[..], 1_000);
        assert!(matches!(reader.next_token(), Ok(Some(Token::Open { .. }))));
        match reader.next_token() {
            Err(PanierError::InputLimit { limit, .. }) => assert_eq!(limit, Limit::CellBytes),
            Err(other) => panic!("{other:?}"),
            Ok(token) => panic!("jeton accepté : {:?}", token.map(|_| "…")),
        }
        // Lu par petits morceaux, le jeton est refusé avant d'être entier.
        let mut reader = XmlReader::new(Chunked(&document, 100), 1_000);
        assert!(matches!(reader.next_token(), Ok(Some(Token::Open { .. }))));
        assert!(matches!(
            reader.next_token(),
            Err(PanierError::InputLimit { .. })
        ));
    }

    #[test]
    fn an_unclosed_tag_is_an_error() {
        let mut reader = XmlReader::new(&b"<a><b attr=\"x>"[..], 1 << 20);
        assert!(matches!(reader.next_token(), Ok(Some(Token::Open { .. }))));
        assert!(matches!(
            reader.next_token(),
            Err(PanierError::UnreadableSpreadsheet { .. })
        ));
    }
}
