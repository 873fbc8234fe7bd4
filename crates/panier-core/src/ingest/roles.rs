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
        }
    }

    /// Vrai pour les rôles sans lesquels aucune analyse n'est possible.
    pub fn is_required(self) -> bool {
        self == Role::Invoice
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
            ],
            Role::Country => &["country", "pays", "countryname", "nation"],
        }
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
        }
    }
}

/// Position de chaque rôle dans l'en-tête (`None` : colonne absente).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ColumnMapping {
    positions: [Option<usize>; 8],
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

    /// Attribue une colonne à un rôle en la retirant des autres rôles : ce
    /// qu'attend l'utilisateur qui corrige une correspondance.
    pub fn assign(&mut self, role: Role, column: Option<usize>) {
        if column.is_some() {
            for position in &mut self.positions {
                if *position == column {
                    *position = None;
                }
            }
        }
        self.set(role, column);
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
            let role = Role::ALL.into_iter().find(|role| {
                mapping.position(*role).is_none() && role.synonyms().contains(&key.as_str())
            });
            if let Some(role) = role {
                mapping.set(role, Some(index));
            }
        }
        mapping
    }

    /// Vérifie une correspondance : colonnes existantes, aucune colonne pour
    /// deux rôles, rôles indispensables présents.
    pub fn validate(&self, headers: &[String]) -> Result<(), PanierError> {
        for role in Role::ALL {
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
            if let Some(other) = Role::ALL
                .into_iter()
                .find(|other| *other != role && self.position(*other) == Some(column))
            {
                return Err(PanierError::DuplicateMapping {
                    column: headers[column].clone(),
                    roles: vec![
                        role.canonical_name().to_string(),
                        other.canonical_name().to_string(),
                    ],
                });
            }
        }
        let missing: Vec<String> = Role::ALL
            .into_iter()
            .filter(|role| role.is_required() && self.position(*role).is_none())
            .map(|role| role.canonical_name().to_string())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(PanierError::MissingColumns {
                missing,
                found: headers.to_vec(),
            })
        }
    }
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
    fn assigning_a_column_takes_it_from_its_previous_role() {
        let mut mapping = ColumnMapping::detect(["Ref", "Qty"]);
        assert_eq!(mapping.position(Role::StockCode), Some(0));
        mapping.assign(Role::Invoice, Some(0));
        assert_eq!(mapping.position(Role::Invoice), Some(0));
        assert_eq!(mapping.position(Role::StockCode), None);
        assert!(mapping.validate(&headers(&["Ref", "Qty"])).is_ok());
    }

    #[test]
    fn a_missing_invoice_column_is_named() {
        let mapping = ColumnMapping::detect(["Foo", "Quantity"]);
        let error = mapping
            .validate(&headers(&["Foo", "Quantity"]))
            .unwrap_err();
        assert!(
            matches!(error, PanierError::MissingColumns { ref missing, .. } if missing == &["InvoiceNo"])
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
