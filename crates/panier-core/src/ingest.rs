//! Import : des octets d'un fichier à la [`TransactionTable`] typée.
//!
//! Étapes, chacune tolérante aux exports réels :
//! 1. reconnaître les fichiers qui ne sont pas du texte (image, PDF…) ;
//! 2. détecter l'encodage (UTF-8 avec ou sans BOM, sinon Windows-1252, qui
//!    couvre l'ISO-8859-1 des exports « Latin-1 ») ;
//! 3. deviner le séparateur (`,` `;` tabulation `|`) sur l'en-tête ;
//! 4. reconnaître les colonnes par leur nom, sans tenir compte de la casse ni
//!    des espaces ;
//! 5. lire chaque ligne une fois et la ranger en colonnes typées.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error::PanierError;
use crate::progress::{ProgressSink, Stage};
use crate::table::{TransactionTable, MISSING};

/// Encodage reconnu du fichier source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TextEncoding {
    /// UTF-8 sans BOM.
    Utf8,
    /// UTF-8 précédé de l'indicateur d'ordre des octets (exports Excel).
    Utf8Bom,
    /// Windows-1252, sur-ensemble imprimable de l'ISO-8859-1.
    Windows1252,
}

/// Ce que l'import a détecté, pour le rapport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportFacts {
    /// Encodage reconnu.
    pub encoding: TextEncoding,
    /// Séparateur de champs retenu.
    pub delimiter: char,
    /// Lignes de données lues (hors en-tête).
    pub rows_read: u64,
    /// Lignes écartées faute de pouvoir lire leur quantité ou leur prix.
    pub rows_unparseable: u64,
}

/// Rôle d'une colonne dans l'analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Numéro de facture (commande).
    Invoice,
    /// Code article.
    StockCode,
    /// Désignation de l'article.
    Description,
    /// Quantité.
    Quantity,
    /// Date de facture.
    InvoiceDate,
    /// Prix unitaire.
    UnitPrice,
    /// Identifiant client.
    Customer,
    /// Pays.
    Country,
}

impl Role {
    /// Tous les rôles, dans l'ordre des colonnes Online Retail.
    pub const ALL: [Role; 8] = [
        Role::Invoice,
        Role::StockCode,
        Role::Description,
        Role::Quantity,
        Role::InvoiceDate,
        Role::UnitPrice,
        Role::Customer,
        Role::Country,
    ];

    /// Nom de colonne canonique (celui du jeu Online Retail).
    pub fn canonical_name(self) -> &'static str {
        match self {
            Role::Invoice => "InvoiceNo",
            Role::StockCode => "StockCode",
            Role::Description => "Description",
            Role::Quantity => "Quantity",
            Role::InvoiceDate => "InvoiceDate",
            Role::UnitPrice => "UnitPrice",
            Role::Customer => "CustomerID",
            Role::Country => "Country",
        }
    }

    /// Noms reconnus, déjà normalisés (minuscules, sans espace ni ponctuation).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Invoice => &[
                "invoiceno",
                "invoice",
                "invoiceid",
                "invoicenumber",
                "orderid",
                "order",
                "facture",
                "nfacture",
                "numerofacture",
                "ncommande",
                "commande",
            ],
            Role::StockCode => &[
                "stockcode",
                "sku",
                "productcode",
                "productid",
                "itemcode",
                "codearticle",
                "reference",
            ],
            Role::Description => &[
                "description",
                "product",
                "productname",
                "item",
                "itemname",
                "designation",
                "libelle",
                "article",
                "produit",
            ],
            Role::Quantity => &["quantity", "qty", "quantite", "qte"],
            Role::InvoiceDate => &["invoicedate", "date", "orderdate", "datefacture"],
            Role::UnitPrice => &[
                "unitprice",
                "price",
                "prixunitaire",
                "prix",
                "pu",
                "unitcost",
            ],
            Role::Customer => &[
                "customerid",
                "customer",
                "clientid",
                "client",
                "idclient",
                "customerno",
                "nclient",
            ],
            Role::Country => &["country", "pays"],
        }
    }
}

/// Position de chaque rôle dans l'en-tête (`None` : colonne absente).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ColumnRoles {
    positions: [Option<usize>; 8],
}

impl ColumnRoles {
    /// Colonne tenant le rôle, si elle existe.
    pub fn position(&self, role: Role) -> Option<usize> {
        self.positions[role as usize]
    }

    /// Reconnaît les rôles d'après les noms d'en-tête. Le premier en-tête qui
    /// correspond l'emporte ; un en-tête ne sert qu'un rôle.
    pub fn detect<'a>(headers: impl IntoIterator<Item = &'a str>) -> ColumnRoles {
        let mut roles = ColumnRoles::default();
        for (index, header) in headers.into_iter().enumerate() {
            let key = normalise_header(header);
            if let Some(role) = Role::ALL.into_iter().find(|role| {
                roles.position(*role).is_none() && role.synonyms().contains(&key.as_str())
            }) {
                roles.positions[role as usize] = Some(index);
            }
        }
        roles
    }
}

/// « N° Commande » → « ncommande » : minuscules, accents retirés, sans espace
/// ni ponctuation.
fn normalise_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter_map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => Some('e'),
            'à' | 'â' | 'À' => Some('a'),
            'î' | 'ï' => Some('i'),
            'ô' => Some('o'),
            'û' | 'ù' => Some('u'),
            'ç' => Some('c'),
            '°' | 'º' => None,
            c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Reconnaît les signatures de fichiers binaires courants.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG"),
        (b"\xff\xd8\xff", "JPEG"),
        (b"GIF8", "GIF"),
        (b"%PDF", "PDF"),
        (b"PK\x03\x04", "ZIP/XLSX"),
        (b"\xd0\xcf\x11\xe0", "XLS"),
        (b"\x1f\x8b", "GZIP"),
    ];
    if let Some((_, kind)) = SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
    {
        return Some(kind);
    }
    // Un octet nul dans les premiers kilo-octets : ce n'est pas du texte.
    let head = &bytes[..bytes.len().min(8192)];
    head.contains(&0).then_some("binaire")
}

/// Décode les octets en texte UTF-8 : emprunt sans copie si le fichier est
/// déjà en UTF-8, sinon transcodage depuis Windows-1252.
pub fn decode_text(bytes: &[u8]) -> Result<(Cow<'_, str>, TextEncoding), PanierError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(PanierError::EmptyFile);
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(PanierError::NotText { kind: kind.into() });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok((Cow::Borrowed(text), TextEncoding::Utf8Bom)),
            Err(_) => {
                let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(rest);
                Ok((text, TextEncoding::Utf8Bom))
            }
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok((Cow::Borrowed(text), TextEncoding::Utf8)),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text, TextEncoding::Windows1252))
        }
    }
}

/// Devine le séparateur d'après la première ligne : celui qui y apparaît le
/// plus souvent hors guillemets, la virgule à égalité.
pub fn sniff_delimiter(text: &str) -> char {
    let first_line = text.lines().next().unwrap_or("");
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0), ('|', 0)];
    let mut in_quotes = false;
    for c in first_line.chars() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == c) {
                entry.1 += 1;
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(',', |(d, _)| *d)
}

/// Lit un nombre tel que l'écrivent les exports : espaces tolérés, virgule
/// décimale acceptée quand le séparateur de champs est `;`.
fn parse_number(field: &str, decimal_comma: bool) -> Option<f64> {
    let trimmed = field.trim();
    let value = if decimal_comma && trimmed.contains(',') {
        trimmed.replace(',', ".").parse::<f64>().ok()?
    } else {
        trimmed.parse::<f64>().ok()?
    };
    value.is_finite().then_some(value)
}

/// Normalise un identifiant client : « 17850.0 » (export via un tableur) et
/// « 17850 » désignent le même client.
fn normalise_customer(field: &str) -> &str {
    let trimmed = field.trim();
    match trimmed.strip_suffix(".0") {
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => digits,
        _ => trimmed,
    }
}

/// Lit un fichier de transactions (octets bruts) en table typée.
///
/// Les lignes dont la quantité ou le prix est illisible sont écartées et
/// comptées dans [`ImportFacts::rows_unparseable`] : jamais de chiffre faux en
/// silence.
pub fn read_transactions(
    bytes: &[u8],
    progress: &mut dyn ProgressSink,
) -> Result<(TransactionTable, ImportFacts), PanierError> {
    progress.stage_started(Stage::Parse);
    let (text, encoding) = decode_text(bytes)?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| csv_error(&error))?
        .iter()
        .map(str::to_string)
        .collect();
    let roles = ColumnRoles::detect(headers.iter().map(String::as_str));
    let required = [Role::Invoice, Role::Quantity, Role::UnitPrice];
    let missing: Vec<String> = required
        .iter()
        .filter(|role| roles.position(**role).is_none())
        .map(|role| role.canonical_name().to_string())
        .collect();
    if !missing.is_empty() {
        return Err(PanierError::MissingColumns {
            missing,
            found: headers,
        });
    }
    let column = |role: Role| roles.position(role);
    let (invoice_col, quantity_col, price_col) = (
        column(Role::Invoice).unwrap_or_default(),
        column(Role::Quantity).unwrap_or_default(),
        column(Role::UnitPrice).unwrap_or_default(),
    );
    let decimal_comma = delimiter == ';';
    let total_bytes = text.len().max(1) as f64;
    let mut table = TransactionTable::default();
    let mut facts = ImportFacts {
        encoding,
        delimiter,
        rows_read: 0,
        rows_unparseable: 0,
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => return Err(csv_error(&error)),
        }
        facts.rows_read += 1;
        if facts.rows_read.is_multiple_of(65_536) {
            let position = record.position().map_or(0, |p| p.byte()) as f64;
            progress.advanced(Stage::Parse, position / total_bytes);
        }
        let field = |col: Option<usize>| col.and_then(|c| record.get(c)).unwrap_or("");
        let quantity = parse_number(field(Some(quantity_col)), decimal_comma);
        let unit_price = parse_number(field(Some(price_col)), decimal_comma);
        let (Some(quantity), Some(unit_price)) = (quantity, unit_price) else {
            facts.rows_unparseable += 1;
            continue;
        };
        let customer = normalise_customer(field(column(Role::Customer)));
        table
            .invoice
            .push(table.invoices.intern(field(Some(invoice_col)).trim()));
        table.stock_code.push(
            table
                .stock_codes
                .intern(field(column(Role::StockCode)).trim()),
        );
        table
            .description
            .push(table.descriptions.intern(field(column(Role::Description))));
        table.quantity.push(quantity);
        table.unit_price.push(unit_price);
        table.customer.push(if customer.is_empty() {
            MISSING
        } else {
            table.customers.intern(customer)
        });
        table
            .country
            .push(table.countries.intern(field(column(Role::Country)).trim()));
    }
    if facts.rows_read == 0 {
        return Err(PanierError::HeaderOnly);
    }
    progress.advanced(Stage::Parse, 1.0);
    Ok((table, facts))
}

/// Traduit une erreur de la bibliothèque csv en erreur utilisateur.
fn csv_error(error: &csv::Error) -> PanierError {
    let line = error.position().map_or(1, |p| p.line());
    PanierError::MalformedCsv {
        line,
        detail: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    #[test]
    fn latin1_bytes_are_decoded_as_windows_1252() {
        let (text, encoding) = decode_text(b"a,b\n\xa3 5,x\n").expect("décodable");
        assert_eq!(encoding, TextEncoding::Windows1252);
        assert!(text.contains("£ 5"));
    }

    #[test]
    fn utf8_bom_is_detected_and_stripped() {
        let (text, encoding) = decode_text("\u{feff}a,b\n1,2\n".as_bytes()).expect("décodable");
        assert_eq!(encoding, TextEncoding::Utf8Bom);
        assert!(text.starts_with("a,b"));
    }

    #[test]
    fn binary_files_are_refused_with_their_kind() {
        let error = decode_text(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
        assert_eq!(error, PanierError::NotText { kind: "PNG".into() });
        assert_eq!(decode_text(b"  \n ").unwrap_err(), PanierError::EmptyFile);
    }

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), ';');
        assert_eq!(sniff_delimiter("a\tb\n"), '\t');
        assert_eq!(sniff_delimiter("\"x;y\",b,c\n"), ',');
        assert_eq!(sniff_delimiter("single"), ',');
    }

    #[test]
    fn french_headers_are_recognised() {
        let roles = ColumnRoles::detect([
            "N° Commande",
            "Code article",
            "Désignation",
            "Quantité",
            "Date",
            "Prix unitaire",
            "Client",
            "Pays",
        ]);
        for (index, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(roles.position(role), Some(index), "{role:?}");
        }
    }

    #[test]
    fn missing_required_columns_are_named() {
        let error = read_transactions(b"InvoiceNo,Foo\n1,2\n", &mut NoProgress).unwrap_err();
        match error {
            PanierError::MissingColumns { missing, found } => {
                assert_eq!(missing, vec!["Quantity", "UnitPrice"]);
                assert_eq!(found, vec!["InvoiceNo", "Foo"]);
            }
            other => panic!("erreur inattendue : {other:?}"),
        }
    }

    #[test]
    fn semicolon_files_take_decimal_commas() {
        let bytes = "Facture;Quantité;Prix unitaire;Client\n1;2;2,50;17850.0\n".as_bytes();
        let (table, facts) = read_transactions(bytes, &mut NoProgress).expect("lisible");
        assert_eq!(facts.delimiter, ';');
        assert_eq!(table.unit_price, vec![2.5]);
        assert_eq!(table.customers.value(table.customer[0]), "17850");
    }

    #[test]
    fn unreadable_numbers_are_counted_not_guessed() {
        let bytes = b"InvoiceNo,Quantity,UnitPrice\n1,abc,2\n2,3,4\n";
        let (table, facts) = read_transactions(bytes, &mut NoProgress).expect("lisible");
        assert_eq!(facts.rows_read, 2);
        assert_eq!(facts.rows_unparseable, 1);
        assert_eq!(table.len(), 1);
    }

    #[test]
    fn header_only_file_is_reported() {
        let error = read_transactions(b"InvoiceNo,Quantity,UnitPrice\n", &mut NoProgress);
        assert_eq!(error.unwrap_err(), PanierError::HeaderOnly);
    }
}
