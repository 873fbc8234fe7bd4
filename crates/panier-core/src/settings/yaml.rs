//! Le YAML des réglages, lu et écrit ici, sans dépendance.
//!
//! Pourquoi pas une bibliothèque YAML complète ? Le fichier de réglages est
//! lu aussi par l'application web, sur le fil principal : une bibliothèque
//! YAML complète (lecteur, écrivain, rendu des erreurs) y pesait à elle
//! seule plus que tout le reste de l'interface à télécharger. Ce fichier
//! n'utilise qu'une petite partie de YAML ; ce module lit exactement cette
//! partie, et refuse le reste **avec la ligne et la raison** (jamais une
//! lecture de travers) :
//!
//! - des clés `clé: valeur`, imbriquées par l'indentation (des espaces) ;
//! - des listes en bloc (`- élément`, au même retrait que leur clé ou plus
//!   loin) ou en ligne (`[a, b, "c, d"]`), et `{clé: valeur}` en ligne ;
//! - des valeurs simples, entre guillemets doubles (échappements de YAML et
//!   de JSON), simples (`''` pour une apostrophe) ou sans guillemets ;
//! - `null`, `~` ou rien pour « pas de valeur » ; des commentaires `#`.
//!
//! Refusés avec un message : valeurs sur plusieurs lignes (`|`, `>`),
//! ancres, alias et étiquettes (`&`, `*`, `!`), plusieurs documents,
//! tabulations dans l'indentation, clés répétées, imbrication de plus de
//! [`MAX_DEPTH`] niveaux (un budget : la lecture ne descend jamais plus
//! loin, quelle que soit l'entrée).
//!
//! Une valeur sans guillemets garde son texte jusqu'au moment où le schéma
//! dit ce qu'il attend (comme le fait YAML) : `sheet: 2011` est la feuille
//! « 2011 », `levels: 4` le nombre 4. Le typage lui-même passe par `serde`
//! ([`Settings`](super::Settings) et ses `Deserialize`), donc les messages
//! de type ou de clé inconnue sont ceux de `serde`, situés à leur ligne.
//!
//! L'écriture part de la forme JSON des réglages (`serde_json::Value`, dans
//! l'ordre des champs) et n'écrit que ce que la lecture relit à l'identique ;
//! un test la compare à une bibliothèque YAML complète, dans les deux sens.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// Imbrication maximale (listes et clés) : bien au-delà des 4 niveaux du
/// schéma, bien en deçà de ce que la pile supporte.
pub const MAX_DEPTH: usize = 64;

/// Erreur de lecture : ce qui ne va pas (en anglais, comme les messages de
/// `serde`), et la ligne quand elle est connue.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    /// Ligne en cause, à partir de 1.
    pub line: Option<u64>,
    /// Ce qui ne va pas.
    pub message: String,
}

impl YamlError {
    fn new(line: u64, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }

    /// Situe l'erreur à cette ligne si elle ne l'est pas déjà (la plus
    /// précise, la plus profonde, l'emporte).
    fn at(mut self, line: u64) -> Self {
        self.line.get_or_insert(line);
        self
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

impl de::Error for YamlError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self {
            line: None,
            message: message.to_string(),
        }
    }
}

/// Un nœud lu, avec sa ligne.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    line: u64,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Une valeur simple ; `quoted` : écrite entre guillemets (toujours du
    /// texte, jamais un nombre ni `null`).
    Scalar {
        text: String,
        quoted: bool,
    },
    /// Une clé sans valeur (`clé:`), ou un élément de liste vide (`-`).
    Empty,
    Seq(Vec<Node>),
    Map(Vec<(String, u64, Node)>),
}

/// Lit un document et le donne à `serde` : `T` dit ce qu'il attend.
pub fn from_str<T: de::DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let root = parse(text)?;
    T::deserialize(&root).map_err(|error| error.at(root.line))
}

/// Une ligne utile du fichier : son numéro, son retrait, son texte (sans le
/// retrait ni les espaces de fin ; le commentaire éventuel est encore là).
#[derive(Clone, Copy)]
struct Line<'a> {
    number: u64,
    indent: usize,
    text: &'a str,
}

/// Lit un document (voir le module pour ce qui est lu).
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut started = false;
    for (index, raw) in text.split('\n').enumerate() {
        let number = index as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let body = raw.trim_start_matches(' ');
        let indent = raw.len() - body.len();
        let body = body.trim_end_matches([' ', '\t']);
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if body.starts_with('\t') {
            return Err(YamlError::new(
                number,
                "tab in the indentation (YAML indents with spaces only)",
            ));
        }
        if indent == 0 && body.starts_with('%') && !started {
            continue;
        }
        if indent == 0 && (body == "---" || body.starts_with("--- ")) {
            if started {
                return Err(YamlError::new(
                    number,
                    "a second document (`---`): one settings file holds one document",
                ));
            }
            started = true;
            let rest = body[3..].trim_start_matches(' ');
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            return Err(YamlError::new(number, "content after `---`"));
        }
        if indent == 0 && (body == "..." || body.starts_with("... ")) {
            break;
        }
        started = true;
        lines.push(Line {
            number,
            indent,
            text: body,
        });
    }
    let Some(first) = lines.first().copied() else {
        return Err(YamlError {
            line: None,
            message: "the file is empty".into(),
        });
    };
    let mut parser = Parser { lines, position: 0 };
    let root = parser.block(first.indent, 0)?;
    if let Some(line) = parser.lines.get(parser.position) {
        return Err(YamlError::new(
            line.number,
            "this line does not line up with the ones above it (check its indentation; \
             values on several lines are not supported)",
        ));
    }
    Ok(root)
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    position: usize,
}

/// `- élément` ou `-` seul.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// Ce qui suit la valeur sur sa ligne : rien, ou un commentaire.
fn is_end(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    rest.is_empty() || rest.starts_with('#')
}

/// Une ligne `clé: reste` ? Rend la clé et le reste (après le `:`).
fn split_key(text: &str) -> Option<(String, &str)> {
    if text.starts_with(['"', '\'']) {
        let (key, used) = quoted(text).ok()?;
        let after = text[used..].trim_start_matches(' ');
        let rest = after.strip_prefix(':')?;
        return (rest.is_empty() || rest.starts_with(' ')).then_some((key, rest));
    }
    if text.starts_with(['[', '{', '#']) || is_item(text) {
        return None;
    }
    let bytes = text.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'#' && index > 0 && bytes[index - 1] == b' ' {
            return None;
        }
        if byte == b':' && (index + 1 == bytes.len() || bytes[index + 1] == b' ') {
            let key = text[..index].trim_end_matches(' ');
            return (!key.is_empty()).then(|| (key.to_string(), &text[index + 1..]));
        }
    }
    None
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.position).copied()
    }

    /// Le nœud qui commence à la ligne courante, de retrait `indent`.
    fn block(&mut self, indent: usize, depth: usize) -> Result<Node, YamlError> {
        let Some(line) = self.peek() else {
            return Err(YamlError {
                line: None,
                message: "unexpected end of file".into(),
            });
        };
        if depth > MAX_DEPTH {
            return Err(YamlError::new(
                line.number,
                format!("nested more than {MAX_DEPTH} levels"),
            ));
        }
        if is_item(line.text) {
            self.sequence(indent, depth)
        } else if split_key(line.text).is_some() {
            self.mapping(indent, depth)
        } else {
            self.position += 1;
            let node = inline(line.text, line.number, depth)?;
            self.no_deeper(indent)?;
            Ok(node)
        }
    }

    /// Après une valeur sur une ligne : la ligne suivante ne peut pas être
    /// plus en retrait (ce serait la suite de la valeur, non lue ici).
    fn no_deeper(&self, indent: usize) -> Result<(), YamlError> {
        match self.peek() {
            Some(next) if next.indent > indent => Err(YamlError::new(
                next.number,
                "unexpected indentation (values on several lines are not supported)",
            )),
            _ => Ok(()),
        }
    }

    /// La valeur d'une clé ou d'un élément vide sur sa ligne : ce qui suit,
    /// plus en retrait (ou une liste au même retrait, pour une clé), sinon
    /// rien.
    fn nested(
        &mut self,
        indent: usize,
        line: u64,
        key: bool,
        depth: usize,
    ) -> Result<Node, YamlError> {
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent, depth + 1),
            Some(next) if key && next.indent == indent && is_item(next.text) => {
                self.sequence(indent, depth + 1)
            }
            _ => Ok(Node {
                line,
                kind: Kind::Empty,
            }),
        }
    }

    fn sequence(&mut self, indent: usize, depth: usize) -> Result<Node, YamlError> {
        let start = self.peek().map_or(0, |line| line.number);
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent != indent || !is_item(line.text) {
                break;
            }
            let rest = line.text[1..].trim_start_matches(' ');
            let item = if is_end(rest) {
                self.position += 1;
                self.nested(indent, line.number, false, depth)?
            } else if is_item(rest) || split_key(rest).is_some() {
                // `- - a` ou `- clé: v` : la suite de la ligne ouvre un bloc
                // dont le retrait est sa colonne.
                let column = indent + (line.text.len() - rest.len());
                self.lines[self.position] = Line {
                    number: line.number,
                    indent: column,
                    text: rest,
                };
                self.block(column, depth + 1)?
            } else {
                self.position += 1;
                let node = inline(rest, line.number, depth + 1)?;
                self.no_deeper(indent)?;
                node
            };
            items.push(item);
        }
        Ok(Node {
            line: start,
            kind: Kind::Seq(items),
        })
    }

    fn mapping(&mut self, indent: usize, depth: usize) -> Result<Node, YamlError> {
        let start = self.peek().map_or(0, |line| line.number);
        let mut entries: Vec<(String, u64, Node)> = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent != indent || is_item(line.text) {
                break;
            }
            let Some((key, rest)) = split_key(line.text) else {
                return Err(YamlError::new(line.number, "expected `key: value`"));
            };
            if entries.iter().any(|(known, _, _)| *known == key) {
                return Err(YamlError::new(
                    line.number,
                    format!("duplicate key `{key}`"),
                ));
            }
            let rest = rest.trim_start_matches(' ');
            let value = if is_end(rest) {
                self.position += 1;
                self.nested(indent, line.number, true, depth)?
            } else {
                self.position += 1;
                let node = inline(rest, line.number, depth + 1)?;
                self.no_deeper(indent)?;
                node
            };
            entries.push((key, line.number, value));
        }
        Ok(Node {
            line: start,
            kind: Kind::Map(entries),
        })
    }
}

/// Une valeur écrite sur sa ligne : simple, entre guillemets, ou en ligne
/// (`[…]`, `{…}`), suivie au plus d'un commentaire.
fn inline(text: &str, line: u64, depth: usize) -> Result<Node, YamlError> {
    if text.starts_with(['[', '{']) {
        let mut cursor = Cursor { text, at: 0, line };
        let node = cursor.flow(depth)?;
        if !is_end(&text[cursor.at..]) {
            return Err(YamlError::new(
                line,
                "unexpected text after a closing bracket",
            ));
        }
        return Ok(node);
    }
    if text.starts_with(['"', '\'']) {
        let (value, used) = quoted(text).map_err(|message| YamlError::new(line, message))?;
        if !is_end(&text[used..]) {
            return Err(YamlError::new(
                line,
                "unexpected text after a closing quote",
            ));
        }
        return Ok(Node {
            line,
            kind: Kind::Scalar {
                text: value,
                quoted: true,
            },
        });
    }
    unsupported(text, line)?;
    let end = text.find(" #").unwrap_or(text.len());
    Ok(Node {
        line,
        kind: Kind::Scalar {
            text: text[..end].trim_end_matches([' ', '\t']).to_string(),
            quoted: false,
        },
    })
}

/// Les débuts de valeur que ce lecteur ne suit pas : refusés, nommés.
fn unsupported(text: &str, line: u64) -> Result<(), YamlError> {
    let what = match text.chars().next() {
        Some('|' | '>') => "values on several lines (`|`, `>`) are not supported: write the value on one line, between quotes",
        Some('&' | '*') => "anchors and aliases (`&`, `*`) are not supported",
        Some('!') => "tags (`!`) are not supported",
        Some('@' | '`') => "a value cannot start with `@` or a backquote: put it between quotes",
        Some('?') if text == "?" || text.starts_with("? ") => "complex keys (`?`) are not supported",
        _ => return Ok(()),
    };
    Err(YamlError::new(line, what))
}

/// Une valeur entre guillemets au début de `text` : sa valeur et le nombre
/// d'octets lus (guillemet fermant compris).
fn quoted(text: &str) -> Result<(String, usize), String> {
    let mut chars = text.char_indices();
    let Some((_, quote)) = chars.next() else {
        return Err("expected a quote".into());
    };
    let unclosed = || "unclosed quote (a value must end on its line)".to_string();
    let mut value = String::new();
    if quote == '\'' {
        while let Some((index, c)) = chars.next() {
            if c == '\'' {
                if text[index + 1..].starts_with('\'') {
                    chars.next();
                    value.push('\'');
                } else {
                    return Ok((value, index + 1));
                }
            } else {
                value.push(c);
            }
        }
        return Err(unclosed());
    }
    while let Some((index, c)) = chars.next() {
        match c {
            '"' => return Ok((value, index + 1)),
            '\\' => {
                let Some((_, escape)) = chars.next() else {
                    return Err(unclosed());
                };
                let simple = match escape {
                    '0' => Some('\0'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    't' | '\t' => Some('\t'),
                    'n' => Some('\n'),
                    'v' => Some('\u{b}'),
                    'f' => Some('\u{c}'),
                    'r' => Some('\r'),
                    'e' => Some('\u{1b}'),
                    ' ' => Some(' '),
                    '"' => Some('"'),
                    '/' => Some('/'),
                    '\\' => Some('\\'),
                    'N' => Some('\u{85}'),
                    '_' => Some('\u{a0}'),
                    'L' => Some('\u{2028}'),
                    'P' => Some('\u{2029}'),
                    _ => None,
                };
                if let Some(simple) = simple {
                    value.push(simple);
                    continue;
                }
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    other => return Err(format!("unknown escape `\\{other}`")),
                };
                let mut code = hex(&mut chars, digits)?;
                // Une paire de substitution à la JSON (`\ud83d\ude00`).
                if (0xD800..0xDC00).contains(&code) && escape == 'u' {
                    let rest = chars.as_str();
                    if rest.starts_with("\\u") {
                        chars.next();
                        chars.next();
                        let low = hex(&mut chars, 4)?;
                        if (0xDC00..0xE000).contains(&low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        }
                    }
                }
                value.push(
                    char::from_u32(code)
                        .ok_or_else(|| format!("`\\{escape}` escape of an invalid character"))?,
                );
            }
            c => value.push(c),
        }
    }
    Err(unclosed())
}

fn hex(chars: &mut std::str::CharIndices<'_>, digits: usize) -> Result<u32, String> {
    let mut code = 0u32;
    for _ in 0..digits {
        let digit = chars
            .next()
            .and_then(|(_, c)| c.to_digit(16))
            .ok_or_else(|| "bad hexadecimal digits in an escape".to_string())?;
        code = code * 16 + digit;
    }
    Ok(code)
}

/// Lecture d'une valeur en ligne (`[a, b]`, `{k: v}`), sur une seule ligne.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
    line: u64,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn error(&self, message: &str) -> YamlError {
        YamlError::new(self.line, message)
    }

    /// Une liste ou une table en ligne, le curseur sur `[` ou `{`.
    fn flow(&mut self, depth: usize) -> Result<Node, YamlError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("nested more than {MAX_DEPTH} levels")));
        }
        let map = self.rest().starts_with('{');
        let close = if map { '}' } else { ']' };
        self.at += 1;
        let mut items = Vec::new();
        let mut entries = Vec::new();
        loop {
            self.skip_spaces();
            if self.rest().starts_with(close) {
                self.at += 1;
                break;
            }
            if self.rest().is_empty() || self.rest().starts_with('#') {
                return Err(self.error(&format!(
                    "unclosed `{}` (a list must end on its line)",
                    if map { '{' } else { '[' }
                )));
            }
            if map {
                let key = self.value(true, depth)?;
                let Kind::Scalar { text: key, .. } = key.kind else {
                    return Err(self.error("a key must be a simple value"));
                };
                self.skip_spaces();
                let Some(rest) = self.rest().strip_prefix(':') else {
                    return Err(self.error("expected `:` after a key"));
                };
                self.at = self.text.len() - rest.len();
                self.skip_spaces();
                let value = if self.rest().starts_with([',', '}']) {
                    Node {
                        line: self.line,
                        kind: Kind::Empty,
                    }
                } else {
                    self.value(false, depth)?
                };
                if entries.iter().any(|(known, _, _)| *known == key) {
                    return Err(self.error(&format!("duplicate key `{key}`")));
                }
                entries.push((key, self.line, value));
            } else {
                items.push(self.value(false, depth)?);
            }
            self.skip_spaces();
            if self.rest().is_empty() || self.rest().starts_with('#') {
                continue;
            }
            if let Some(rest) = self.rest().strip_prefix(',') {
                self.at = self.text.len() - rest.len();
            } else if !self.rest().starts_with(close) {
                return Err(self.error(&format!("expected `,` or `{close}`")));
            }
        }
        Ok(Node {
            line: self.line,
            kind: if map {
                Kind::Map(entries)
            } else {
                Kind::Seq(items)
            },
        })
    }

    /// Un élément d'une valeur en ligne ; `key` : une clé, qui s'arrête au
    /// `:`.
    fn value(&mut self, key: bool, depth: usize) -> Result<Node, YamlError> {
        let rest = self.rest();
        if rest.starts_with(['[', '{']) {
            return self.flow(depth + 1);
        }
        if rest.starts_with(['"', '\'']) {
            let (value, used) = quoted(rest).map_err(|message| self.error(&message))?;
            self.at += used;
            return Ok(Node {
                line: self.line,
                kind: Kind::Scalar {
                    text: value,
                    quoted: true,
                },
            });
        }
        unsupported(rest, self.line)?;
        let bytes = rest.as_bytes();
        let mut end = bytes.len();
        for (index, &byte) in bytes.iter().enumerate() {
            let stop = matches!(byte, b',' | b'[' | b']' | b'{' | b'}')
                || (byte == b'#' && index > 0 && bytes[index - 1] == b' ')
                || (key && byte == b':');
            if stop {
                end = index;
                break;
            }
        }
        let text = rest[..end].trim_end_matches([' ', '\t']).to_string();
        if text.is_empty() {
            return Err(self.error("empty value in a list (write `null` or `\"\"`)"));
        }
        self.at += end;
        Ok(Node {
            line: self.line,
            kind: Kind::Scalar {
                text,
                quoted: false,
            },
        })
    }
}

/// Un texte sans guillemets qui veut dire « pas de valeur ».
fn is_null(text: &str) -> bool {
    matches!(text, "null" | "Null" | "NULL" | "~")
}

/// Ce qu'une valeur sans guillemets veut dire quand le schéma accepte tout
/// : un booléen, un nombre (entier, ou flottant fini ; `.inf` et `.nan` de
/// YAML), ou un texte.
enum Plain {
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text,
}

fn plain(text: &str) -> Plain {
    match text {
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    if let Ok(value) = text.parse::<u64>() {
        return Plain::Unsigned(value);
    }
    if let Ok(value) = text.parse::<i64>() {
        return Plain::Signed(value);
    }
    // Chiffres, signe, point, exposant seulement : « inf » ou « nan » écrits
    // sans point restent des textes.
    let looks_numeric = text
        .bytes()
        .all(|byte| byte.is_ascii_digit() || matches!(byte, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.bytes().any(|byte| byte.is_ascii_digit());
    match text.parse::<f64>() {
        Ok(value) if looks_numeric && value.is_finite() => Plain::Float(value),
        _ => Plain::Text,
    }
}

impl<'de> de::Deserializer<'de> for &Node {
    type Error = YamlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        let result = match &self.kind {
            Kind::Empty => visitor.visit_unit(),
            Kind::Scalar { text, quoted: true } => visitor.visit_str(text),
            Kind::Scalar { text, .. } if is_null(text) => visitor.visit_unit(),
            Kind::Scalar { text, .. } => match plain(text) {
                Plain::Bool(value) => visitor.visit_bool(value),
                Plain::Unsigned(value) => visitor.visit_u64(value),
                Plain::Signed(value) => visitor.visit_i64(value),
                Plain::Float(value) => visitor.visit_f64(value),
                Plain::Text => visitor.visit_str(text),
            },
            Kind::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Kind::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
        };
        result.map_err(|error| error.at(self.line))
    }

    /// Un texte : la valeur telle qu'écrite, même si elle ressemble à un
    /// nombre (`sheet: 2011`).
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        match &self.kind {
            Kind::Scalar { text, .. } => visitor.visit_str(text),
            _ => self.deserialize_any(visitor),
        }
        .map_err(|error| error.at(self.line))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, YamlError> {
        match &self.kind {
            Kind::Empty => visitor.visit_none(),
            Kind::Scalar {
                text,
                quoted: false,
            } if is_null(text) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, YamlError> {
        visitor.visit_newtype_struct(self)
    }

    /// Les choix (`encoding: latin1`) : des variantes sans contenu, écrites
    /// comme un texte.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, YamlError> {
        match &self.kind {
            Kind::Scalar { text, .. } => visitor
                .visit_enum(text.as_str().into_deserializer())
                .map_err(|error: YamlError| error.at(self.line)),
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

struct Items<'n>(std::slice::Iter<'n, Node>);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = YamlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, YamlError> {
        match self.0.next() {
            Some(node) => seed
                .deserialize(node)
                .map(Some)
                .map_err(|error| error.at(node.line)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'n> {
    entries: std::slice::Iter<'n, (String, u64, Node)>,
    value: Option<&'n Node>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = YamlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, YamlError> {
        let Some((key, line, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(key.as_str().into_deserializer())
            .map(Some)
            .map_err(|error: YamlError| error.at(*line))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, YamlError> {
        let Some(node) = self.value.take() else {
            return Err(de::Error::custom("a value without its key"));
        };
        seed.deserialize(node).map_err(|error| error.at(node.line))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Écrit une valeur (la forme JSON des réglages) en YAML : tables en bloc,
/// listes en bloc au retrait de leur clé, listes de listes en ligne (une
/// ligne par rangée : la grille des segments se lit comme une grille).
pub fn to_string(value: &serde_json::Value) -> String {
    let mut out = String::new();
    match value {
        serde_json::Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        serde_json::Value::Array(items) if !items.is_empty() => write_items(&mut out, items, 0),
        other => {
            out.push_str(&scalar(other, false));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &serde_json::Map<String, serde_json::Value>, indent: usize) {
    for (key, value) in map {
        out.push_str(&" ".repeat(indent));
        out.push_str(&text(key, false));
        match value {
            serde_json::Value::Object(inner) if !inner.is_empty() => {
                out.push_str(":\n");
                write_map(out, inner, indent + 2);
            }
            serde_json::Value::Array(items) if !items.is_empty() => {
                out.push_str(":\n");
                write_items(out, items, indent);
            }
            other => {
                out.push_str(": ");
                out.push_str(&scalar(other, false));
                out.push('\n');
            }
        }
    }
}

fn write_items(out: &mut String, items: &[serde_json::Value], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        match item {
            serde_json::Value::Object(inner) if !inner.is_empty() => {
                out.push_str("-\n");
                write_map(out, inner, indent + 2);
            }
            other => {
                out.push_str("- ");
                out.push_str(&scalar(other, false));
                out.push('\n');
            }
        }
    }
}

/// Une valeur sur une ligne ; `flow` : à l'intérieur de `[…]`.
fn scalar(value: &serde_json::Value, flow: bool) -> String {
    match value {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(value) => value.to_string(),
        serde_json::Value::Number(value) => value.to_string(),
        serde_json::Value::String(value) => text(value, flow),
        serde_json::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|item| scalar(item, true)).collect();
            format!("[{}]", items.join(", "))
        }
        serde_json::Value::Object(map) => {
            let entries: Vec<String> = map
                .iter()
                .map(|(key, value)| format!("{}: {}", text(key, true), scalar(value, true)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// Un texte : sans guillemets quand il se relit tel quel, par ce lecteur
/// comme par tout lecteur YAML (ni nombre, ni date, ni `null`, ni `yes`…),
/// sinon entre guillemets doubles.
fn text(value: &str, flow: bool) -> String {
    let mut chars = value.chars();
    let Some(first) = chars.next() else {
        return "\"\"".into();
    };
    let needs_quotes = " -?:,[]{}#&*!|>'\"%@`+.~".contains(first)
        || first.is_ascii_digit()
        || value.ends_with([' ', ':'])
        || value.contains(": ")
        || value.contains(" #")
        || (flow && value.contains([',', '[', ']', '{', '}', ':']))
        || value
            .chars()
            .any(|c| c.is_control() || (c.is_whitespace() && c != ' ') || c == '\u{feff}')
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if !needs_quotes {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || (c.is_whitespace() && c != ' ') || c == '\u{feff}' => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests;
