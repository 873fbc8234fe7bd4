//! Rôles des colonnes : reconnaître « InvoiceNo », « Facture » ou
//! « N° commande » comme la même chose, et vérifier une correspondance
//! choisie à la main.

use serde::{Deserialize, Serialize};

use crate::error::PanierError;

/// Rôle d'une colonne dans l'analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Numéro de facture (commande). Indispensable.
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
    /// Montant de la ligne (ou de la commande) : à défaut de prix unitaire,
    /// le prix se déduit du montant et de la quantité (une unité sans
    /// colonne de quantité).
    Amount,
    /// Heure de la vente, dans une colonne à part de la date (exports de
    /// caisse : `Date` et `Time`) : elle complète la date.
    Time,
}

impl Role {
    /// Tous les rôles qu'une colonne peut tenir : ceux de la table
    /// ([`Role::ALL`]), puis le montant et l'heure.
    pub const MAPPABLE: [Role; 10] = {
        let mut roles = [Role::Time; 10];
        let mut index = 0;
        while index < Role::ALL.len() {
            roles[index] = Role::ALL[index];
            index += 1;
        }
        roles[Role::ALL.len()] = Role::Amount;
        roles
    };

    /// Les rôles des colonnes de la table (et du fichier nettoyé), dans
    /// l'ordre des colonnes Online Retail.
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

    /// Nom de colonne canonique (celui du jeu Online Retail), utilisé aussi
    /// pour l'export du fichier nettoyé.
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
            Role::Amount => "Amount",
            Role::Time => "InvoiceTime",
        }
    }

    /// Vrai pour le numéro de facture, qui forme les paniers : indispensable,
    /// sauf si un client et une date le remplacent
    /// ([`ColumnMapping::basket_key`]).
    pub fn is_required(self) -> bool {
        self == Role::Invoice
    }

    /// Rôles lus comme des nombres.
    pub fn is_number(self) -> bool {
        matches!(self, Role::Quantity | Role::UnitPrice | Role::Amount)
    }

    /// Noms reconnus, déjà normalisés (minuscules, sans accents, espaces ni
    /// ponctuation). Online Retail I et II, et synonymes courants FR/EN.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Role::Invoice => &[
                "invoiceno",
                "invoice",
                "invoiceid",
                "invoicenumber",
                "invoicenum",
                "orderid",
                "orderno",
                "ordernumber",
                "order",
                "transactionid",
                "transaction",
                "basket",
                "basketid",
                "receipt",
                "receiptid",
                "facture",
                "nfacture",
                "numfacture",
                "numerofacture",
                "nofacture",
                "ncommande",
                "nocommande",
                "numcommande",
                "numerocommande",
                "commande",
                "idcommande",
                "ticket",
                "nticket",
                "ticketnumber",
                "ticketno",
                "numeroticket",
                "receiptnumber",
                "receiptno",
                "transactionnumber",
                "transactionno",
            ],
            Role::StockCode => &[
                "stockcode",
                "sku",
                "productcode",
                "productid",
                "itemcode",
                "itemid",
                "articlecode",
                "codearticle",
                "codeproduit",
                "refarticle",
                "reference",
                "ref",
                "ean",
            ],
            Role::Description => &[
                "description",
                "productname",
                "product",
                "itemname",
                "item",
                "itemdescription",
                "designation",
                "libelle",
                "article",
                "produit",
                "nomproduit",
                "nomarticle",
            ],
            Role::Quantity => &[
                "quantity", "qty", "quantite", "qte", "qt", "units", "nombre",
            ],
            Role::InvoiceDate => &[
                "invoicedate",
                "date",
                "orderdate",
                "transactiondate",
                "purchasedate",
                "datetime",
                "datefacture",
                "datecommande",
                "dateachat",
                "day",
                "jour",
                "datevente",
                "saledate",
            ],
            Role::UnitPrice => &[
                "unitprice",
                "price",
                "priceeach",
                "unitcost",
                "prixunitaire",
                "prix",
                "pu",
                "prixunit",
                "tarif",
            ],
            Role::Customer => &[
                "customerid",
                "customer",
                "customerno",
                "customernumber",
                "clientid",
                "client",
                "idclient",
                "nclient",
                "noclient",
                "numclient",
                "numeroclient",
                "codeclient",
                "membernumber",
                "memberno",
                "memberid",
                "member",
                "loyaltyid",
                "loyaltynumber",
                "cardnumber",
                "numeromembre",
                "numerocarte",
                // Boutiques en ligne : le client est son adresse e-mail.
                "email",
                "customeremail",
                "billingemail",
                "emailaddress",
                "courriel",
                "emailclient",
            ],
            Role::Country => &["country", "pays", "countryname", "nation"],
            Role::Amount => &[
                "amount",
                "lineamount",
                "linetotal",
                "total",
                "totalprice",
                "totalamount",
                "ordertotal",
                "ordervalue",
                "sales",
                "salesamount",
                "revenue",
                "dollarvalue",
                "value",
                "montant",
                "montantttc",
                "montantht",
                "totalttc",
                "totalht",
                "chiffredaffaires",
            ],
            Role::Time => &[
                "time",
                "invoicetime",
                "ordertime",
                "transactiontime",
                "saletime",
                "hour",
                "heure",
                "heurevente",
                "heurefacture",
            ],
        }
    }

    /// Le rôle d'une clé stable ([`Role::key`]) : `customer` → client.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::MAPPABLE.into_iter().find(|role| role.key() == key)
    }

    /// Clé stable du rôle (`invoice`, `stock_code`…), pour l'interface et les fichiers.
    pub fn key(self) -> &'static str {
        match self {
            Role::Invoice => "invoice",
            Role::StockCode => "stock_code",
            Role::Description => "description",
            Role::Quantity => "quantity",
            Role::InvoiceDate => "invoice_date",
            Role::UnitPrice => "unit_price",
            Role::Customer => "customer",
            Role::Country => "country",
            Role::Amount => "amount",
            Role::Time => "invoice_time",
        }
    }
}

/// Colonne désignée par `wanted` : en-tête exact, puis sans la casse ni les
/// blancs de bord, puis numéro à partir de 1.
pub fn find_column(headers: &[String], wanted: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h == wanted)
        .or_else(|| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(wanted.trim()))
        })
        .or_else(|| {
            wanted
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|&n| (1..=headers.len()).contains(&n))
                .map(|n| n - 1)
        })
}

/// Position de chaque rôle dans l'en-tête (`None` : colonne absente).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnMapping {
    positions: [Option<usize>; 10],
}

impl ColumnMapping {
    /// Colonne tenant le rôle, si elle existe.
    pub fn position(&self, role: Role) -> Option<usize> {
        self.positions[role as usize]
    }

    /// Attribue (ou retire, avec `None`) une colonne à un rôle.
    pub fn set(&mut self, role: Role, column: Option<usize>) {
        self.positions[role as usize] = column;
    }

    /// Attribue une colonne à un rôle en la retirant des rôles qui ne
    /// peuvent pas la partager : ce qu'attend l'utilisateur qui corrige une
    /// correspondance. Des rôles de texte partagent volontiers une colonne
    /// (le client qui sert aussi de panier) ; un nombre ou une date ne sert
    /// qu'un rôle (voir [`ColumnMapping::validate`]).
    pub fn assign(&mut self, role: Role, column: Option<usize>) {
        if column.is_some() {
            for other in Role::MAPPABLE {
                if other != role
                    && self.position(other) == column
                    && (Self::exclusive(role) || Self::exclusive(other))
                {
                    self.set(other, None);
                }
            }
        }
        self.set(role, column);
    }

    /// Rôles qui ne partagent pas leur colonne : les nombres et la date.
    fn exclusive(role: Role) -> bool {
        role.is_number() || role == Role::InvoiceDate || role == Role::Time
    }

    /// Reconnaît les rôles d'après les noms d'en-tête. Le premier en-tête qui
    /// correspond l'emporte ; un en-tête ne sert qu'un rôle.
    pub fn detect<'a>(headers: impl IntoIterator<Item = &'a str>) -> ColumnMapping {
        let mut mapping = ColumnMapping::default();
        for (index, header) in headers.into_iter().enumerate() {
            let key = normalise_header(header);
            if key.is_empty() {
                continue;
            }
            let role = Role::MAPPABLE.into_iter().find(|role| {
                mapping.position(*role).is_none() && role.synonyms().contains(&key.as_str())
            });
            if let Some(role) = role {
                mapping.set(role, Some(index));
            }
        }
        mapping
    }

    /// Vérifie une correspondance : colonnes existantes, colonnes partagées
    /// seulement entre rôles de texte, de quoi former les paniers.
    ///
    /// Une colonne peut tenir plusieurs rôles de texte (le numéro de client
    /// qui sert aussi de panier, le code qui sert aussi de désignation) ; un
    /// nombre ou une date ne sert qu'un rôle. Sans numéro de facture, un
    /// client et une date suffisent : un panier est alors ce qu'un client a
    /// acheté un même jour ([`ColumnMapping::basket_key`]).
    pub fn validate(&self, headers: &[String]) -> Result<(), PanierError> {
        for role in Role::MAPPABLE {
            let Some(column) = self.position(role) else {
                continue;
            };
            if column >= headers.len() {
                return Err(PanierError::MappingOutOfRange {
                    role: role.canonical_name().to_string(),
                    column: column + 1,
                    columns: headers.len(),
                });
            }
            if let Some(other) = Role::MAPPABLE.into_iter().find(|other| {
                *other != role
                    && self.position(*other) == Some(column)
                    && (Self::exclusive(role) || Self::exclusive(*other))
            }) {
                return Err(PanierError::DuplicateMapping {
                    column: headers[column].clone(),
                    roles: vec![
                        role.canonical_name().to_string(),
                        other.canonical_name().to_string(),
                    ],
                });
            }
        }
        if self.basket_key().is_none() {
            // Une seule colonne dont l'en-tête contient un séparateur : le
            // fichier a été découpé avec le mauvais séparateur.
            if let [header] = headers {
                let likely = [';', ',', '\t', '|']
                    .into_iter()
                    .max_by_key(|&d| header.matches(d).count())
                    .filter(|&d| header.contains(d));
                if let Some(likely) = likely {
                    return Err(PanierError::SingleColumn {
                        header: header.chars().take(80).collect(),
                        likely,
                    });
                }
            }
            return Err(PanierError::MissingColumns {
                missing: vec![format!(
                    "{} / {} + {}",
                    Role::Invoice.canonical_name(),
                    Role::Customer.canonical_name(),
                    Role::InvoiceDate.canonical_name()
                )],
                found: headers.to_vec(),
            });
        }
        Ok(())
    }

    /// Ce qui forme un panier : le numéro de facture s'il y en a un, sinon
    /// le client et le jour ; `None` si rien ne le permet.
    pub fn basket_key(&self) -> Option<BasketKey> {
        if self.position(Role::Invoice).is_some() {
            Some(BasketKey::Invoice)
        } else if self.position(Role::Customer).is_some()
            && self.position(Role::InvoiceDate).is_some()
        {
            Some(BasketKey::CustomerDay)
        } else {
            None
        }
    }
}

/// Ce qui forme un panier (une « facture » de la table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BasketKey {
    /// Le numéro de facture (ou de commande, de ticket) du fichier.
    #[default]
    Invoice,
    /// Faute de numéro de facture : les achats d'un client un même jour
    /// (exports de caisse, journaux de fidélité).
    CustomerDay,
}

/// « N° Commande » → « ncommande » : minuscules, accents retirés, sans espace
/// ni ponctuation.
pub fn normalise_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter_map(|c| {
            let folded = match c {
                'à' | 'â' | 'ä' | 'À' | 'Â' | 'Ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
                'î' | 'ï' | 'Î' | 'Ï' => 'i',
                'ô' | 'ö' | 'Ô' | 'Ö' => 'o',
                'ù' | 'û' | 'ü' | 'Ù' | 'Û' | 'Ü' => 'u',
                'ç' | 'Ç' => 'c',
                c => c,
            };
            folded
                .is_ascii_alphanumeric()
                .then(|| folded.to_ascii_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn online_retail_one_and_two_are_recognised() {
        let one = ColumnMapping::detect([
            "InvoiceNo",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "UnitPrice",
            "CustomerID",
            "Country",
        ]);
        let two = ColumnMapping::detect([
            "Invoice",
            "StockCode",
            "Description",
            "Quantity",
            "InvoiceDate",
            "Price",
            "Customer ID",
            "Country",
        ]);
        for (index, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(one.position(role), Some(index), "I {role:?}");
            assert_eq!(two.position(role), Some(index), "II {role:?}");
        }
    }

    #[test]
    fn french_headers_are_recognised_whatever_the_case_and_spaces() {
        let mapping = ColumnMapping::detect([
            " N° Commande ",
            "Code article",
            "DÉSIGNATION",
            "Quantité",
            "Date",
            "Prix unitaire",
            "Client",
            "Pays",
        ]);
        for (index, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(mapping.position(role), Some(index), "{role:?}");
        }
    }

    #[test]
    fn a_column_mapped_twice_is_refused() {
        let mut mapping = ColumnMapping::detect(["InvoiceNo", "Qty"]);
        mapping.set(Role::UnitPrice, Some(1));
        let error = mapping
            .validate(&headers(&["InvoiceNo", "Qty"]))
            .unwrap_err();
        assert!(
            matches!(error, PanierError::DuplicateMapping { ref column, .. } if column == "Qty")
        );
    }

    #[test]
    fn text_roles_share_a_column_numbers_and_dates_take_it() {
        let mut mapping = ColumnMapping::detect(["Ref", "Qty"]);
        assert_eq!(mapping.position(Role::StockCode), Some(0));
        // Deux rôles de texte : la colonne sert aux deux.
        mapping.assign(Role::Invoice, Some(0));
        assert_eq!(mapping.position(Role::Invoice), Some(0));
        assert_eq!(mapping.position(Role::StockCode), Some(0));
        assert!(mapping.validate(&headers(&["Ref", "Qty"])).is_ok());
        // Un nombre prend la colonne pour lui seul.
        mapping.assign(Role::UnitPrice, Some(0));
        assert_eq!(mapping.position(Role::UnitPrice), Some(0));
        assert_eq!(mapping.position(Role::Invoice), None);
        assert_eq!(mapping.position(Role::StockCode), None);
        // … et un rôle de texte la reprend.
        mapping.assign(Role::Invoice, Some(1));
        assert_eq!(mapping.position(Role::Quantity), None);
    }

    #[test]
    fn a_missing_invoice_column_is_named() {
        let mapping = ColumnMapping::detect(["Foo", "Quantity"]);
        let error = mapping
            .validate(&headers(&["Foo", "Quantity"]))
            .unwrap_err();
        assert!(
            matches!(error, PanierError::MissingColumns { ref missing, .. }
                if missing == &["InvoiceNo / CustomerID + InvoiceDate"])
        );
    }

    #[test]
    fn a_single_column_with_a_delimiter_inside_names_the_delimiter() {
        let header = "InvoiceNo;StockCode;Quantity".to_string();
        let mapping = ColumnMapping::detect([header.as_str()]);
        assert_eq!(
            mapping.validate(std::slice::from_ref(&header)),
            Err(PanierError::SingleColumn {
                header,
                likely: ';'
            })
        );
    }

    #[test]
    fn out_of_range_columns_are_refused() {
        let mut mapping = ColumnMapping::default();
        mapping.set(Role::Invoice, Some(5));
        assert!(matches!(
            mapping.validate(&headers(&["a"])),
            Err(PanierError::MappingOutOfRange {
                column: 6,
                columns: 1,
                ..
            })
        ));
    }
}
