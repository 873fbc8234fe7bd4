//! Colonnes brutes : ce que les lecteurs remplissent ligne après ligne, avant
//! toute conversion.
//!
//! Les textes sont gardés **en octets bruts**, encodés par dictionnaire :
//! une valeur distincte n'est décodée (Latin-1, UTF-8…), convertie (nombre,
//! date, client) et normalisée qu'une fois, à la fin, dans `RawColumns::finish`.
//! Sur Online Retail, cela fait quelques milliers de décodages au lieu de
//! trois millions.
//!
//! Parce qu'elles ne dépendent pas encore de l'encodage, des colonnes brutes
//! lues sur deux morceaux d'un même fichier se mettent bout à bout
//! ([`RawColumns::append`]) : c'est ce qui permet de lire les deux moitiés
//! d'un gros CSV en parallèle (voir [`super::split`]).

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::cell::Cell;
use super::dates::{self, DateFormat, DateOrder, NO_DATE};
use super::records::Record;
use super::roles::{BasketKey, ColumnMapping, Role};
use super::sniff::TextEncoding;
use super::{
    normalise_customer, parse_ascii_number, parse_number, within_magnitude, NumberCause,
    NumberTrouble,
};
use crate::scan::{gather, gather_into, in_blocks, remap_in_place};
use crate::table::{ByteDictionary, Dictionary, TransactionTable, MISSING};

/// Une colonne de texte en cours de lecture.
///
/// Les lignes d'une même facture répètent facture, date, client et pays : la
/// dernière valeur vue évite alors le hachage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct RawColumn {
    dictionary: ByteDictionary,
    ids: Vec<u32>,
    #[serde(skip)]
    last: Option<u32>,
    /// Cellules numériques d'un classeur, par motif binaire exact.
    #[serde(skip)]
    numbers: FxHashMap<u64, u32>,
}

impl RawColumn {
    fn push_bytes(&mut self, value: &[u8], repeats: bool) {
        let id = match self.last {
            Some(id) if repeats && self.dictionary.value(id) == value => id,
            _ => {
                let id = self.dictionary.intern(value);
                self.last = Some(id);
                id
            }
        };
        self.ids.push(id);
    }

    /// Une valeur numérique garde sa valeur exacte : son écriture décimale la
    /// plus courte se relit à l'identique.
    fn push_number(&mut self, value: f64) {
        let dictionary = &mut self.dictionary;
        let id = *self
            .numbers
            .entry(value.to_bits())
            .or_insert_with(|| dictionary.intern(format!("{value}").as_bytes()));
        self.ids.push(id);
    }

    /// Ajoute les lignes d'une autre colonne (lue plus loin dans le fichier) :
    /// ses valeurs nouvelles prennent la suite du dictionnaire, comme si tout
    /// avait été lu d'un trait.
    fn append(&mut self, other: RawColumn) {
        let remap: Vec<u32> = other
            .dictionary
            .values()
            .map(|value| self.dictionary.intern(value))
            .collect();
        gather_into(&other.ids, &remap, &mut self.ids);
        self.last = None;
    }

    /// Décode chaque valeur distincte une fois, réécrite par `rewrite` (deux
    /// valeurs qui deviennent égales fusionnent) : dictionnaire de texte et
    /// identifiants des lignes.
    fn decode(
        self,
        encoding: TextEncoding,
        rewrite: impl Fn(&str) -> &str,
    ) -> (Dictionary, Vec<u32>) {
        let mut decoded = Dictionary::default();
        let remap: Vec<u32> = self
            .dictionary
            .values()
            .map(|raw| decoded.intern(rewrite(&encoding.decode(raw))))
            .collect();
        let mut ids = self.ids;
        remap_in_place(&mut ids, &remap);
        (decoded, ids)
    }
}

/// Un nombre dont le texte n'est pas en ASCII (espace insécable, chiffre
/// exotique…) : il ne se lit qu'une fois l'encodage connu.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct DeferredNumber {
    /// Ligne de la table.
    row: usize,
    /// Prix unitaire (sinon quantité).
    price: bool,
    /// Octets du champ.
    raw: Box<[u8]>,
}

/// Les colonnes d'un fichier en cours de lecture ; seules celles qui ont un
/// rôle sont gardées.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawColumns {
    mapping: ColumnMapping,
    width: usize,
    /// Une colonne brute par rôle de texte présent, dans l'ordre de `Role::ALL`.
    columns: Vec<(Role, usize, RawColumn)>,
    /// Quantités lues (NaN : illisible ou différée), si la colonne existe.
    quantity: Option<(usize, Vec<f64>)>,
    /// Prix unitaires lus (NaN : illisible ou différé), si la colonne existe
    /// — ou, sans colonne de prix, les montants (`price_from_amount`).
    unit_price: Option<(usize, Vec<f64>)>,
    /// Vrai si `unit_price` contient des montants de ligne, dont le prix se
    /// déduit en divisant par la quantité.
    #[serde(default)]
    price_from_amount: bool,
    /// Nombres à lire une fois l'encodage connu.
    deferred: Vec<DeferredNumber>,
    rows: usize,
    rows_ragged: u64,
    /// Quantités et prix illisibles, par cause.
    #[serde(default)]
    numbers_unread: NumberTrouble,
}

/// Comptes établis en construisant la table.
pub(super) struct BuildCounts {
    pub rows_unparseable: u64,
    pub rows_ragged: u64,
    pub dates_unparseable: u64,
    pub date_format: Option<DateFormat>,
    /// Quelques valeurs de date illisibles (non vides), pour les messages.
    pub unreadable_dates: Vec<String>,
    /// Quantités et prix illisibles, par cause.
    pub numbers: NumberTrouble,
    /// Commandes de plusieurs lignes dont le total, répété sur chaque ligne,
    /// a été réparti entre elles (0 : des montants de ligne).
    pub order_totals: u64,
}

impl RawColumns {
    /// Colonnes vides pour une correspondance et une largeur d'en-tête.
    pub fn new(mapping: ColumnMapping, width: usize) -> Self {
        let columns = Role::MAPPABLE
            .into_iter()
            .filter(|role| !role.is_number())
            .filter_map(|role| Some((role, mapping.position(role)?, RawColumn::default())))
            .collect();
        let numbers = |role| {
            mapping
                .position(role)
                .map(|position| (position, Vec::new()))
        };
        Self {
            mapping,
            width,
            columns,
            quantity: numbers(Role::Quantity),
            unit_price: numbers(Role::UnitPrice).or_else(|| numbers(Role::Amount)),
            price_from_amount: mapping.position(Role::UnitPrice).is_none()
                && mapping.position(Role::Amount).is_some(),
            deferred: Vec::new(),
            rows: 0,
            rows_ragged: 0,
            numbers_unread: NumberTrouble::default(),
        }
    }

    /// Prévoit la place de `rows` lignes dans chaque colonne : sans cela,
    /// chaque colonne grandit par doublements, en recopiant à chaque fois ce
    /// qu'elle contient (le navigateur n'a pas d'équivalent de `mremap`).
    pub fn reserve(&mut self, rows: usize) {
        for (_, _, column) in &mut self.columns {
            column.ids.reserve(rows);
        }
        for (_, values) in [&mut self.quantity, &mut self.unit_price]
            .into_iter()
            .flatten()
        {
            values.reserve(rows);
        }
    }

    /// Correspondance colonnes → rôles de ces colonnes.
    pub fn mapping(&self) -> ColumnMapping {
        self.mapping
    }

    /// Vrai si les deux lectures ont la même correspondance et la même
    /// largeur d'en-tête : leurs lignes peuvent se mettre bout à bout.
    pub fn same_shape(&self, other: &RawColumns) -> bool {
        self.mapping == other.mapping && self.width == other.width
    }

    /// Nombre de lignes lues.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// Vrai si aucune ligne n'a été lue.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Facture, date, client et pays se répètent sur les lignes d'une même
    /// facture : comparer à la valeur précédente évite le hachage.
    fn repeats(role: Role) -> bool {
        matches!(
            role,
            Role::Invoice | Role::InvoiceDate | Role::Customer | Role::Country
        )
    }

    /// Ajoute une ligne de CSV : champs bruts, sans décodage.
    pub fn push_record(&mut self, record: &Record<'_>, decimal_comma: bool) {
        if record.len() != self.width {
            self.rows_ragged += 1;
        }
        // Les nombres sont lus tout de suite : ils changent à chaque ligne, un
        // dictionnaire n'y gagnerait rien. NaN marque l'illisible : 8 octets
        // par ligne au lieu de 16.
        let row = self.rows;
        for (price, number) in [(false, &mut self.quantity), (true, &mut self.unit_price)] {
            let Some((position, values)) = number else {
                continue;
            };
            let value = match record.get(*position) {
                None => {
                    self.numbers_unread.note(NumberCause::Empty, None);
                    f64::NAN
                }
                Some(field) if field.is_ascii() => parse_ascii_number(field, decimal_comma)
                    .unwrap_or_else(|| {
                        // Champ ASCII, donc UTF-8 valide.
                        let text = std::str::from_utf8(field).unwrap_or_default();
                        self.numbers_unread.note_text(text, decimal_comma);
                        f64::NAN
                    }),
                Some(field) => {
                    self.deferred.push(DeferredNumber {
                        row,
                        price,
                        raw: field.into(),
                    });
                    f64::NAN
                }
            };
            values.push(value);
        }
        for (role, position, column) in &mut self.columns {
            let field = record.get(*position).unwrap_or_default();
            column.push_bytes(field, Self::repeats(*role));
        }
        self.rows += 1;
    }

    /// Ajoute une ligne de cellules typées (classeur, paniers), déjà en UTF-8.
    pub fn push_cells(&mut self, cells: &[Cell<'_>]) {
        if cells.len() != self.width {
            self.rows_ragged += 1;
        }
        for (position, values) in [&mut self.quantity, &mut self.unit_price]
            .into_iter()
            .flatten()
        {
            let trouble = &mut self.numbers_unread;
            let value = match cells.get(*position) {
                Some(Cell::Number(value)) => within_magnitude(*value).or_else(|| {
                    trouble.note(NumberCause::TooLarge, Some(&value.to_string()));
                    None
                }),
                Some(Cell::Text(text)) => parse_number(text, false).or_else(|| {
                    trouble.note_text(text, false);
                    None
                }),
                None | Some(Cell::Empty) => {
                    trouble.note(NumberCause::EmptyCell, None);
                    None
                }
                Some(Cell::Error) => {
                    trouble.note(NumberCause::FormulaError, None);
                    None
                }
                Some(other @ (Cell::DateTime(_) | Cell::Bool(_))) => {
                    trouble.note(NumberCause::Text, Some(&other.to_text()));
                    None
                }
            };
            values.push(value.unwrap_or(f64::NAN));
        }
        for (role, position, column) in &mut self.columns {
            let repeats = Self::repeats(*role);
            match cells.get(*position) {
                Some(Cell::Text(text)) => column.push_bytes(text.as_bytes(), repeats),
                Some(Cell::Number(value) | Cell::DateTime(value)) => column.push_number(*value),
                Some(other) => column.push_bytes(other.to_text().as_bytes(), repeats),
                None => column.push_bytes(b"", repeats),
            }
        }
        self.rows += 1;
    }

    /// Retire les grands tableaux (identifiants de chaque colonne de texte,
    /// puis quantités et prix) pour les passer d'un worker à l'autre par
    /// copie directe ; [`RawColumns::restore_arrays`] les remet.
    pub fn take_arrays(&mut self) -> (Vec<Vec<u32>>, Vec<Vec<f64>>) {
        let ids = self
            .columns
            .iter_mut()
            .map(|(_, _, column)| std::mem::take(&mut column.ids))
            .collect();
        let numbers = [&mut self.quantity, &mut self.unit_price]
            .into_iter()
            .flatten()
            .map(|(_, values)| std::mem::take(values))
            .collect();
        (ids, numbers)
    }

    /// Remet les tableaux retirés par [`RawColumns::take_arrays`] ; faux (et
    /// rien n'est remis) s'ils ne correspondent pas à ces colonnes.
    pub fn restore_arrays(&mut self, ids: Vec<Vec<u32>>, numbers: Vec<Vec<f64>>) -> bool {
        let rows = self.rows;
        let number_columns =
            usize::from(self.quantity.is_some()) + usize::from(self.unit_price.is_some());
        let fits = ids.len() == self.columns.len()
            && numbers.len() == number_columns
            && ids.iter().all(|column| column.len() == rows)
            && numbers.iter().all(|column| column.len() == rows)
            && ids.iter().zip(&self.columns).all(|(ids, (_, _, column))| {
                ids.iter()
                    .all(|&id| (id as usize) < column.dictionary.len())
            });
        if !fits {
            return false;
        }
        for ((_, _, column), ids) in self.columns.iter_mut().zip(ids) {
            column.ids = ids;
        }
        let mut numbers = numbers.into_iter();
        for (_, values) in [&mut self.quantity, &mut self.unit_price]
            .into_iter()
            .flatten()
        {
            *values = numbers.next().unwrap_or_default();
        }
        true
    }

    /// Met bout à bout les lignes lues plus loin dans le même fichier (même
    /// correspondance) : le résultat est celui d'une lecture d'un trait.
    pub fn append(&mut self, other: RawColumns) {
        debug_assert_eq!(self.mapping, other.mapping);
        let offset = self.rows;
        for ((_, _, column), (_, _, later)) in self.columns.iter_mut().zip(other.columns) {
            column.append(later);
        }
        for (mine, theirs) in [
            (&mut self.quantity, other.quantity),
            (&mut self.unit_price, other.unit_price),
        ] {
            if let (Some((_, mine)), Some((_, theirs))) = (mine, theirs) {
                mine.extend(theirs);
            }
        }
        self.deferred
            .extend(other.deferred.into_iter().map(|number| DeferredNumber {
                row: number.row + offset,
                ..number
            }));
        self.rows += other.rows;
        self.rows_ragged += other.rows_ragged;
        self.numbers_unread.merge(other.numbers_unread);
    }

    /// Convertit les colonnes brutes en table typée : décodage des valeurs
    /// distinctes dans `encoding`, dates lues au format détecté sur toute la
    /// colonne, lignes aux nombres illisibles écartées et comptées.
    pub(super) fn finish(
        self,
        encoding: TextEncoding,
        date_order: DateOrder,
        decimal_comma: bool,
    ) -> (TransactionTable, BuildCounts) {
        let rows = self.rows;
        let mut table = TransactionTable::default();
        let mut date_format = None;
        // Sans colonne de quantité, chaque ligne compte pour une unité ; sans
        // prix, les montants sont inconnus (le rapport le dit).
        table.quantity = self.quantity.map_or_else(|| vec![1.0; rows], |(_, q)| q);
        table.unit_price = self.unit_price.map_or_else(|| vec![0.0; rows], |(_, p)| p);
        let mut numbers_unread = self.numbers_unread;
        for number in self.deferred {
            let text = encoding.decode(&number.raw);
            let value = parse_number(&text, decimal_comma);
            if value.is_none() {
                numbers_unread.note_text(&text, decimal_comma);
            }
            let column = if number.price {
                &mut table.unit_price
            } else {
                &mut table.quantity
            };
            column[number.row] = value.unwrap_or(f64::NAN);
        }
        let mut dates_unparseable = 0;
        let mut unreadable_dates = Vec::new();
        // Colonnes absentes du fichier : une seule valeur vide (ou aucun
        // client, aucune date) pour toutes les lignes.
        let mapping = self.mapping;
        let present = |role| mapping.position(role).is_some();
        let single = |value: &str| {
            let mut dictionary = Dictionary::default();
            let id = dictionary.intern(value);
            (dictionary, vec![id; rows])
        };
        if !present(Role::StockCode) {
            (table.stock_codes, table.stock_code) = single("");
        }
        if !present(Role::Description) {
            (table.descriptions, table.description) = single("");
        }
        if !present(Role::Country) {
            (table.countries, table.country) = single("");
        }
        if !present(Role::Customer) {
            table.customer = vec![MISSING; rows];
        }
        if !present(Role::InvoiceDate) {
            table.invoice_date = vec![NO_DATE; rows];
        }
        table.present[Role::Quantity as usize] = present(Role::Quantity);
        table.present[Role::UnitPrice as usize] = present(Role::UnitPrice) || present(Role::Amount);
        table.present[Role::Amount as usize] = self.price_from_amount;
        // L'heure d'une colonne à part complète la date de la même ligne : elle
        // est décodée d'abord, la date la reprend.
        let mut columns = self.columns;
        let time = columns
            .iter()
            .position(|(role, _, _)| *role == Role::Time)
            .map(|index| columns.remove(index).2.decode(encoding, str::trim));
        table.present[Role::Time as usize] = time.is_some();
        for (role, _, column) in columns {
            table.present[role as usize] = true;
            match role {
                Role::Invoice => {
                    (table.invoices, table.invoice) = column.decode(encoding, str::trim)
                }
                Role::StockCode => {
                    (table.stock_codes, table.stock_code) = column.decode(encoding, str::trim)
                }
                // La désignation brute est gardée : le nettoyage la normalise
                // et le rapport compte les variantes.
                Role::Description => {
                    (table.descriptions, table.description) = column.decode(encoding, |v| v)
                }
                Role::Country => {
                    (table.countries, table.country) = column.decode(encoding, str::trim)
                }
                Role::Quantity | Role::UnitPrice | Role::Amount | Role::Time => {}
                Role::Customer => {
                    let (customers, ids) = column.decode(encoding, normalise_customer);
                    let empty = customers.id_of("");
                    let missing: Vec<u32> = (0..customers.len() as u32)
                        .map(|id| if Some(id) == empty { MISSING } else { id })
                        .collect();
                    let mut ids = ids;
                    remap_in_place(&mut ids, &missing);
                    table.customer = ids;
                    table.customers = customers;
                }
                Role::InvoiceDate => {
                    let (values, ids) = column.decode(encoding, |v| v);
                    let (values, ids) = match &time {
                        Some((times, time_ids)) => with_time(&values, &ids, times, time_ids),
                        None => (values, ids),
                    };
                    let format = dates::detect(values.values(), date_order);
                    let converted: Vec<i64> = values
                        .values()
                        .map(|v| {
                            let parsed = dates::parse(v, &format);
                            if parsed.is_none()
                                && !v.trim().is_empty()
                                && unreadable_dates.len() < 3
                            {
                                unreadable_dates.push(v.trim().chars().take(40).collect());
                            }
                            parsed.unwrap_or(NO_DATE)
                        })
                        .collect();
                    table.invoice_date = gather(&ids, &converted);
                    date_format = Some(format);
                }
            }
        }
        if !present(Role::Invoice) && mapping.basket_key() == Some(BasketKey::CustomerDay) {
            (table.invoices, table.invoice) = customer_day_baskets(&table);
        }
        let mut order_totals = 0;
        if self.price_from_amount {
            if present(Role::Invoice) {
                order_totals =
                    spread_order_totals(&table.invoice, &table.invoices, &mut table.unit_price);
            }
            // Prix = montant ÷ quantité (une unité sans quantité). Une
            // quantité nulle donne un prix nul : la ligne sera écartée par
            // la règle « quantité ≤ 0 », pas comptée comme illisible.
            for (price, &quantity) in table.unit_price.iter_mut().zip(&table.quantity) {
                if quantity == 0.0 && !price.is_nan() {
                    *price = 0.0;
                } else {
                    *price /= quantity;
                }
            }
        }
        // Lignes dont la quantité ou le prix est illisible : écartées et comptées.
        let (quantity, price) = (&table.quantity, &table.unit_price);
        let mut rows_unparseable = 0u64;
        in_blocks(rows, &mut |block| {
            for row in block {
                rows_unparseable += u64::from(quantity[row].is_nan() || price[row].is_nan());
            }
        });
        if rows_unparseable > 0 {
            let keep: Vec<bool> = quantity
                .iter()
                .zip(price)
                .map(|(q, p)| !q.is_nan() && !p.is_nan())
                .collect();
            table.retain_rows(&keep);
        }
        // Dates vides ou illisibles, parmi les lignes gardées seulement.
        if date_format.is_some() {
            let dates = &table.invoice_date;
            in_blocks(dates.len(), &mut |block| {
                dates_unparseable += dates[block].iter().filter(|&&d| d == NO_DATE).count() as u64;
            });
        }
        let counts = BuildCounts {
            rows_unparseable,
            rows_ragged: self.rows_ragged,
            dates_unparseable,
            date_format,
            unreadable_dates,
            numbers: numbers_unread,
            order_totals,
        };
        (table, counts)
    }
}

/// Part des commandes de plusieurs lignes (en %) dont toutes les lignes
/// portent le même montant, au-delà de laquelle ce montant est le total de
/// la commande : des montants de ligne ne coïncident presque jamais tous.
const ORDER_TOTAL_SHARE: u64 = 95;
/// Commandes de plusieurs lignes demandées au moins pour en juger.
const ORDER_TOTAL_EVIDENCE: u64 = 3;

/// Un montant qui répète le total de la commande sur chacune de ses lignes
/// (exports de boutiques en ligne) compterait ce total autant de fois que la
/// commande a de lignes. Reconnu quand presque toutes les commandes de
/// plusieurs lignes ont un seul montant, il est réparti à parts égales entre
/// les lignes : le chiffre d'affaires de la commande est exact, celui de
/// chaque produit devient une estimation (l'avertissement le dit).
///
/// `amounts` : les montants de chaque ligne (NaN : illisible), modifiés sur
/// place. Rend le nombre de commandes de plusieurs lignes ainsi reconnues
/// (0 si les montants sont ceux des lignes, et alors rien ne change).
fn spread_order_totals(invoice: &[u32], invoices: &Dictionary, amounts: &mut [f64]) -> u64 {
    let no_invoice = invoices.id_of("");
    let mut lines = vec![0u32; invoices.len()];
    let mut first = vec![0.0f64; invoices.len()];
    let mut constant = vec![true; invoices.len()];
    for (&id, &amount) in invoice.iter().zip(amounts.iter()) {
        if amount.is_nan() || Some(id) == no_invoice {
            continue;
        }
        let i = id as usize;
        if lines[i] == 0 {
            first[i] = amount;
        } else if amount != first[i] {
            constant[i] = false;
        }
        lines[i] += 1;
    }
    let (mut several, mut repeated) = (0u64, 0u64);
    for (&n, &same) in lines.iter().zip(&constant) {
        if n >= 2 {
            several += 1;
            repeated += u64::from(same);
        }
    }
    if several < ORDER_TOTAL_EVIDENCE || repeated * 100 < several * ORDER_TOTAL_SHARE {
        return 0;
    }
    for (&id, amount) in invoice.iter().zip(amounts.iter_mut()) {
        if !amount.is_nan() && Some(id) != no_invoice {
            *amount /= f64::from(lines[id as usize]);
        }
    }
    repeated
}

/// Dates complétées par l'heure d'une autre colonne : chaque couple (date,
/// heure) distinct devient une valeur `date heure` (la date seule si l'heure
/// est vide ; une date vide reste vide, une heure seule n'est pas une date),
/// lue ensuite comme toute date.
/// Les couples distincts sont peu nombreux : un dictionnaire par couple, pas
/// par ligne.
fn with_time(
    dates: &Dictionary,
    date_ids: &[u32],
    times: &Dictionary,
    time_ids: &[u32],
) -> (Dictionary, Vec<u32>) {
    let mut combined = Dictionary::default();
    let mut pair_ids: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    let mut text = String::new();
    let ids = date_ids
        .iter()
        .zip(time_ids)
        .map(|(&date, &time)| {
            *pair_ids.entry((date, time)).or_insert_with(|| {
                let (date, time) = (dates.value(date).trim(), times.value(time));
                text.clear();
                text.push_str(date);
                if !date.is_empty() && !time.is_empty() {
                    text.push(' ');
                }
                if !date.is_empty() {
                    text.push_str(time);
                }
                combined.intern(&text)
            })
        })
        .collect();
    (combined, ids)
}

/// Paniers « un client, un jour » d'un fichier sans numéro de facture : la
/// clé de chaque ligne est `AAAA-MM-JJ client` (elle commence par un chiffre,
/// jamais par le « C » d'une annulation). Une ligne sans client ou sans date
/// lisible n'appartient à aucun panier : clé vide.
fn customer_day_baskets(table: &TransactionTable) -> (Dictionary, Vec<u32>) {
    let mut dictionary = Dictionary::default();
    let mut key = String::new();
    let ids = table
        .customer
        .iter()
        .zip(&table.invoice_date)
        .map(|(&customer, &date)| {
            key.clear();
            if customer != MISSING && date != NO_DATE {
                let day = date.div_euclid(crate::rfm::DAY_SECONDS);
                let text = dates::format_timestamp(day * crate::rfm::DAY_SECONDS);
                key.push_str(text.get(..10).unwrap_or(&text));
                key.push(' ');
                key.push_str(table.customers.value(customer));
            }
            dictionary.intern(&key)
        })
        .collect();
    (dictionary, ids)
}
