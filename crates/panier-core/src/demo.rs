//! Générateur de données de démonstration au format « Online Retail ».
//!
//! Le but : qu'un utilisateur voie un tableau de bord complet en un clic, sans
//! fichier à lui, et que ce jeu de données exerce *vraiment* le pipeline. On
//! produit donc des transactions réalistes et déterministes (graine fixe) :
//!
//! - un catalogue de quelques centaines de produits regroupés en **thèmes**
//!   (tasses « regency », sacs « jumbo »…) achetés ensemble, ce qui donne de
//!   vraies règles d'association ; certains produits existent en plusieurs
//!   **tailles** à des prix croissants, pour la montée en gamme (upsell) ;
//! - quelques milliers de clients aux comportements variés (achat unique,
//!   fidèles, perdus de vue, gros acheteurs) qui alimentent la segmentation RFM ;
//! - une année de dates avec une saisonnalité marquée (pic avant Noël) ;
//! - les **pièges** des exports réels : annulations « C… », clients absents,
//!   quantités et prix nuls ou négatifs, frais de port, doublons exacts,
//!   espaces parasites et casse incohérente.
//!
//! Le résultat est une suite d'octets CSV que le chemin d'import lit exactement
//! comme un fichier déposé par l'utilisateur.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::ingest::dates::{stamp, Precision};

/// Graine par défaut : la même démo pour tout le monde, d'une version à l'autre.
pub const DEFAULT_SEED: u64 = 2011;

/// En-tête produit, identique à celui du fichier UCI « Online Retail ».
pub const HEADER: [&str; 8] = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
];

/// Réglages du générateur. `Default` donne la démo proposée dans l'application.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    /// Graine du générateur pseudo-aléatoire : même graine, mêmes octets.
    pub seed: u64,
    /// Nombre de clients identifiés à simuler.
    pub customers: usize,
    /// Taille du catalogue : au-delà des ~250 produits des thèmes, des
    /// produits de longue traîne sont ajoutés jusqu'à ce nombre (grandes
    /// boutiques de 20 000 à 100 000 références) ; 0 : le catalogue des
    /// thèmes seul (la démo de l'application).
    pub products: usize,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED,
            customers: 3_000,
            products: 0,
        }
    }
}

impl DemoConfig {
    /// Une grande boutique : `products` références et environ `rows` lignes
    /// (46 lignes par client, comme la démo).
    pub fn large(products: usize, rows: usize) -> Self {
        Self {
            customers: (rows / 46).max(1),
            products,
            ..Self::default()
        }
    }
}

/// Un thème du catalogue : des produits pensés pour être achetés ensemble.
struct Theme {
    /// Variantes (couleurs, motifs) qui déclinent chaque modèle du thème.
    variants: &'static [&'static str],
    /// Modèles : gabarit de désignation (`{}` reçoit la variante) et prix de base.
    models: &'static [(&'static str, f64)],
    /// Tailles proposées (désignation préfixée, multiplicateur de prix) ; vide
    /// si le thème n'a qu'une taille.
    sizes: &'static [(&'static str, f64)],
}

/// Le catalogue : chaque thème croise ses variantes et ses modèles.
const THEMES: &[Theme] = &[
    Theme {
        variants: &["GREEN", "PINK", "ROSES", "BLUE"],
        models: &[
            ("{} REGENCY TEACUP AND SAUCER", 2.95),
            ("REGENCY TEA PLATE {}", 1.65),
            ("REGENCY MILK JUG {}", 3.25),
        ],
        sizes: &[],
    },
    Theme {
        variants: &[
            "RED RETROSPOT",
            "PINK POLKADOT",
            "BAROQUE BLACK WHITE",
            "STRAWBERRY",
            "VINTAGE DOILY",
            "WOODLAND",
        ],
        models: &[
            ("JUMBO BAG {}", 1.95),
            ("LUNCH BAG {}", 1.65),
            ("CHARLOTTE BAG {}", 0.85),
        ],
        sizes: &[],
    },
    Theme {
        variants: &["SPACEBOY", "DOLLY GIRL", "RED RETROSPOT", "POLKADOT BLUE"],
        models: &[
            ("{} LUNCH BOX", 1.95),
            ("CHILDRENS CUTLERY {}", 4.15),
            ("{} CHILDRENS BOWL", 1.25),
            ("{} CHILDRENS CUP", 1.25),
        ],
        sizes: &[],
    },
    Theme {
        variants: &["50'S CHRISTMAS", "VINTAGE CHRISTMAS", "SCANDINAVIAN"],
        models: &[
            ("PAPER CHAIN KIT {}", 2.95),
            ("{} GIFT WRAP", 0.42),
            ("{} TREE DECORATION", 0.85),
            ("{} ADVENT CALENDAR", 2.95),
        ],
        sizes: &[],
    },
    Theme {
        variants: &["RETROSPOT", "PINK PAISLEY", "TEATIME FAIRY", "SWEETHEART"],
        models: &[
            ("PACK OF 72 {} CAKE CASES", 0.55),
            ("{} CAKE TIN", 4.95),
            ("{} BAKING SET", 4.95),
        ],
        sizes: &[("SMALL ", 0.6), ("", 1.0), ("LARGE ", 1.7)],
    },
    Theme {
        variants: &["WHITE", "RED", "IVORY"],
        models: &[
            ("{} HANGING HEART T-LIGHT HOLDER", 2.55),
            ("{} METAL LANTERN", 3.75),
            ("{} WICKER HEART", 1.45),
        ],
        sizes: &[("SMALL ", 0.7), ("", 1.0), ("LARGE ", 1.6)],
    },
    Theme {
        variants: &["RED", "GREEN", "PINK", "IVORY", "CHOCOLATE", "ORANGE"],
        models: &[
            ("ALARM CLOCK BAKELIKE {}", 3.75),
            ("{} KITCHEN SCALES", 8.50),
        ],
        sizes: &[],
    },
    Theme {
        variants: &[
            "UNION FLAG",
            "KEEP CALM",
            "HEARTS",
            "RED RETROSPOT",
            "NEW ENGLAND",
        ],
        models: &[
            ("DOORMAT {}", 7.95),
            ("{} HOT WATER BOTTLE", 4.25),
            ("{} CUSHION COVER", 3.75),
        ],
        sizes: &[],
    },
    Theme {
        variants: &["BASIL", "MINT", "THYME", "ROSEMARY", "PARSLEY", "CHIVES"],
        models: &[("HERB MARKER {}", 0.65), ("{} GROW YOUR OWN KIT", 2.10)],
        sizes: &[],
    },
    Theme {
        variants: &["ENGLISH ROSE", "DAISY", "BIRD", "APPLES"],
        models: &[
            ("{} NOTEBOOK", 1.65),
            ("{} GARDEN TOOL SET", 5.95),
            ("{} WATERING CAN", 2.95),
            ("{} PICNIC BASKET", 8.95),
        ],
        sizes: &[("SMALL ", 0.65), ("", 1.0)],
    },
    Theme {
        variants: &["PANTRY", "VINTAGE", "FRENCH KITCHEN"],
        models: &[
            ("{} STORAGE JAR", 3.95),
            ("{} CHOPPING BOARD", 5.95),
            ("{} SCISSORS", 2.10),
            ("{} APRON", 4.95),
        ],
        sizes: &[("SMALL ", 0.6), ("", 1.0), ("JUMBO ", 2.2)],
    },
    Theme {
        variants: &["SPOTTY", "PARTY", "JUBILEE"],
        models: &[
            ("{} BUNTING", 4.95),
            ("{} PAPER PLATES", 0.85),
            ("{} PAPER CUPS", 0.65),
            ("{} NAPKINS", 0.85),
            ("{} BALLOONS", 0.42),
        ],
        sizes: &[],
    },
];

/// Lignes de service que l'on trouve dans les exports réels (frais de port,
/// frais bancaires, saisies manuelles) : elles faussent les paniers.
const SERVICE_LINES: &[(&str, &str, f64)] = &[
    ("POST", "POSTAGE", 18.00),
    ("DOT", "DOTCOM POSTAGE", 11.08),
    ("C2", "CARRIAGE", 50.00),
    ("M", "Manual", 2.55),
    ("BANK CHARGES", "Bank Charges", 15.00),
];

/// Pays et poids relatifs : une boutique britannique qui exporte un peu.
const COUNTRIES: &[(&str, u32)] = &[
    ("United Kingdom", 860),
    ("Germany", 30),
    ("France", 28),
    ("EIRE", 10),
    ("Spain", 9),
    ("Belgium", 8),
    ("Netherlands", 6),
    ("Switzerland", 7),
    ("Portugal", 6),
    ("Italy", 5),
    ("Norway", 4),
    ("Australia", 4),
    ("Sweden", 3),
    ("Denmark", 3),
    ("Japan", 2),
];

/// Poids saisonnier par mois (janvier = indice 0) : pic de septembre à novembre.
const MONTH_WEIGHT: [f64; 12] = [
    0.65, 0.7, 0.85, 0.8, 0.9, 0.9, 0.85, 0.9, 1.3, 1.5, 1.8, 1.0,
];

/// Tailles de lot usuelles pour un grossiste de cadeaux.
const PACK_SIZES: &[u32] = &[1, 2, 3, 4, 6, 6, 8, 10, 12, 12, 12, 24, 24, 48];

/// Un produit du catalogue généré.
#[derive(Debug, Clone)]
struct Product {
    stock_code: String,
    description: String,
    price: f64,
    theme: usize,
}

/// Comportement d'achat d'un client simulé.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Behaviour {
    /// Une seule commande dans l'année.
    OneOff,
    /// Quelques commandes espacées.
    Occasional,
    /// Commandes régulières toute l'année.
    Loyal,
    /// Actif en début de période puis disparu.
    Lapsed,
    /// Gros volumes, commandes fréquentes.
    BigSpender,
}

/// Un client simulé : identifiant, pays, thèmes préférés, comportement.
struct Customer {
    id: Option<u32>,
    country: &'static str,
    favourite_themes: Vec<usize>,
    behaviour: Behaviour,
}

/// Une facture (ou une annulation) avant numérotation.
struct Invoice {
    when: NaiveDateTime,
    customer: usize,
    lines: Vec<Line>,
    cancellation: bool,
}

/// Une ligne de facture telle qu'elle sera écrite dans le CSV.
#[derive(Clone)]
struct Line {
    stock_code: String,
    description: String,
    quantity: i64,
    price: f64,
}

/// Première et dernière date de la période simulée (celles du jeu UCI).
fn period() -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(2010, 12, 1).expect("date valide"),
        NaiveDate::from_ymd_opt(2011, 12, 9).expect("date valide"),
    )
}

/// Construit le catalogue : variantes × modèles × tailles de chaque thème.
fn build_catalogue() -> Vec<Product> {
    let mut products = Vec::new();
    let mut code = 20_700u32;
    for (theme_index, theme) in THEMES.iter().enumerate() {
        for &(model, base_price) in theme.models {
            code += 1;
            for (variant_index, variant) in theme.variants.iter().enumerate() {
                // Comme dans l'export UCI : un code numérique par modèle et une
                // lettre par variante (85123A, 85123B…).
                let letter = char::from(b'A' + variant_index as u8);
                let name = model.replace("{}", variant);
                let sizes: &[(&str, f64)] = if theme.sizes.is_empty() {
                    &[("", 1.0)]
                } else {
                    theme.sizes
                };
                for (size_index, &(size, factor)) in sizes.iter().enumerate() {
                    let stock_code = if sizes.len() == 1 {
                        format!("{code}{letter}")
                    } else {
                        format!("{code}{letter}{}", size_index + 1)
                    };
                    products.push(Product {
                        stock_code,
                        description: format!("{size}{name}"),
                        price: round_cents(base_price * factor),
                        theme: theme_index,
                    });
                }
            }
        }
    }
    products
}

/// Mots des produits de longue traîne (désignations à la Online Retail).
const TAIL_ADJECTIVES: &[&str] = &[
    "VINTAGE", "RETRO", "RUSTIC", "FLORAL", "STRIPED", "SPOTTY", "GLASS", "WOODEN", "ENAMEL",
    "CERAMIC", "METAL", "PAPER", "FELT", "WICKER", "GINGHAM", "PAISLEY",
];
const TAIL_NOUNS: &[&str] = &[
    "CANDLE", "COASTER", "BUNTING", "TIN", "JAR", "FRAME", "CLOCK", "HOOK", "CUSHION", "TRAY",
    "BASKET", "BOWL", "JUG", "DOORSTOP", "NOTEBOOK", "TAG",
];

/// Complète le catalogue jusqu'à `products` références : chaque produit de
/// longue traîne appartient à un thème (la structure de co-achat demeure),
/// avec un code `L000001` et un prix de 0,29 à 24,95.
fn extend_catalogue(rng: &mut ChaCha8Rng, catalogue: &mut Vec<Product>, products: usize) {
    let mut n = 0usize;
    while catalogue.len() < products {
        n += 1;
        let adjective = TAIL_ADJECTIVES[n % TAIL_ADJECTIVES.len()];
        let noun = TAIL_NOUNS[(n / TAIL_ADJECTIVES.len()) % TAIL_NOUNS.len()];
        catalogue.push(Product {
            stock_code: format!("L{n:06}"),
            description: format!("{adjective} {noun} N°{n}"),
            price: round_cents(rng.random_range(0.29..24.95)),
            theme: n % THEMES.len(),
        });
    }
}

/// Arrondit au centime, comme un prix affiché.
fn round_cents(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Tire une date de la période en respectant la saisonnalité ; pas de commande
/// le samedi (comme dans les données UCI).
fn seasonal_date(rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDateTime {
    let span = (to - from).num_days().max(0);
    loop {
        let day = from + Duration::days(rng.random_range(0..=span));
        if day.weekday() == Weekday::Sat {
            continue;
        }
        let weight = MONTH_WEIGHT[day.month0() as usize];
        if rng.random::<f64>() * 1.8 < weight {
            let minutes = rng.random_range(7 * 60 + 30..19 * 60);
            return day
                .and_hms_opt(minutes / 60, minutes % 60, 0)
                .expect("heure valide");
        }
    }
}

/// Génère les octets CSV de la démo (UTF-8, en-tête Online Retail, dates ISO).
pub fn generate_demo_csv(config: &DemoConfig) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut catalogue = build_catalogue();
    extend_catalogue(&mut rng, &mut catalogue, config.products);
    let customers = build_customers(&mut rng, config.customers);
    let mut invoices = build_invoices(&mut rng, &catalogue, &customers);
    add_cancellations(&mut rng, &mut invoices);
    // Les numéros de facture suivent l'ordre chronologique, comme dans un vrai
    // système de caisse ; le tri est stable pour rester déterministe.
    crate::kernels::sort_by_key(&mut invoices, |invoice| invoice.when);
    write_csv(&mut rng, &invoices, &customers)
}

/// Crée la clientèle : comportements, pays, thèmes préférés, et une part de
/// commandes « invité » sans identifiant client.
fn build_customers(rng: &mut ChaCha8Rng, count: usize) -> Vec<Customer> {
    let country_weights =
        WeightedIndex::new(COUNTRIES.iter().map(|c| c.1)).expect("poids de pays valides");
    let behaviours = [
        (Behaviour::OneOff, 34),
        (Behaviour::Occasional, 30),
        (Behaviour::Loyal, 19),
        (Behaviour::Lapsed, 12),
        (Behaviour::BigSpender, 5),
    ];
    let behaviour_weights =
        WeightedIndex::new(behaviours.iter().map(|b| b.1)).expect("poids valides");
    let mut ids: Vec<u32> = (12_346..12_346 + count as u32 * 2).collect();
    // Identifiants non contigus, comme dans un vrai CRM.
    ids.retain(|_| rng.random_bool(0.5));
    let mut customers: Vec<Customer> = ids
        .into_iter()
        .take(count)
        .map(|id| {
            let theme_count = rng.random_range(1..=3);
            let favourite_themes = (0..theme_count)
                .map(|_| rng.random_range(0..THEMES.len()))
                .collect();
            Customer {
                id: Some(id),
                country: COUNTRIES[country_weights.sample(rng)].0,
                favourite_themes,
                behaviour: behaviours[behaviour_weights.sample(rng)].0,
            }
        })
        .collect();
    // Les clients « invités » (sans CustomerID) : un piège classique.
    for _ in 0..count / 2 {
        customers.push(Customer {
            id: None,
            country: "United Kingdom",
            favourite_themes: vec![rng.random_range(0..THEMES.len())],
            behaviour: Behaviour::OneOff,
        });
    }
    customers
}

/// Crée les factures de chaque client selon son comportement.
fn build_invoices(
    rng: &mut ChaCha8Rng,
    catalogue: &[Product],
    customers: &[Customer],
) -> Vec<Invoice> {
    let (start, end) = period();
    // Popularité globale de type Zipf : quelques best-sellers, une longue traîne.
    let popularity: Vec<f64> = (0..catalogue.len())
        .map(|rank| 1.0 / (1.0 + rank as f64).powf(0.9))
        .collect();
    let mut shuffled: Vec<usize> = (0..catalogue.len()).collect();
    for i in (1..shuffled.len()).rev() {
        shuffled.swap(i, rng.random_range(0..=i));
    }
    let global = WeightedIndex::new(&popularity).expect("poids valides");
    let by_theme: Vec<Vec<usize>> = (0..THEMES.len())
        .map(|t| {
            (0..catalogue.len())
                .filter(|&p| catalogue[p].theme == t)
                .collect()
        })
        .collect();

    let mut invoices = Vec::new();
    for (customer_index, customer) in customers.iter().enumerate() {
        let (count, from, to) = match customer.behaviour {
            Behaviour::OneOff => (1, start, end),
            Behaviour::Occasional => (rng.random_range(2..=4), start, end),
            Behaviour::Loyal => (rng.random_range(5..=16), start, end),
            Behaviour::Lapsed => (
                rng.random_range(2..=8),
                start,
                start + Duration::days(rng.random_range(60..180)),
            ),
            Behaviour::BigSpender => (rng.random_range(8..=30), start, end),
        };
        let volume = if customer.behaviour == Behaviour::BigSpender {
            rng.random_range(4..=12)
        } else {
            1
        };
        for _ in 0..count {
            let when = seasonal_date(rng, from, to);
            let mut chosen: Vec<usize> = Vec::new();
            let line_count = 1 + (rng.random::<f64>().powi(2) * 24.0) as usize;
            while chosen.len() < line_count {
                let product = if rng.random_bool(0.65) {
                    // Achat thématique : l'article vient d'un thème préféré,
                    // ce qui crée la structure de co-achat.
                    let theme = *customer
                        .favourite_themes
                        .choose(rng)
                        .expect("au moins un thème");
                    *by_theme[theme].choose(rng).expect("thème non vide")
                } else {
                    shuffled[global.sample(rng)]
                };
                if !chosen.contains(&product) {
                    chosen.push(product);
                }
            }
            let lines = chosen
                .into_iter()
                .map(|p| {
                    let product = &catalogue[p];
                    let quantity = i64::from(*PACK_SIZES.choose(rng).expect("tailles")) * volume;
                    // Remise de gros au-delà de 100 unités.
                    let price = if quantity >= 100 {
                        round_cents(product.price * 0.85)
                    } else {
                        product.price
                    };
                    Line {
                        stock_code: product.stock_code.clone(),
                        description: product.description.clone(),
                        quantity,
                        price,
                    }
                })
                .collect();
            let mut invoice = Invoice {
                when,
                customer: customer_index,
                lines,
                cancellation: false,
            };
            add_service_lines(rng, customer, &mut invoice);
            invoices.push(invoice);
        }
    }
    invoices
}

/// Ajoute frais de port et lignes de service, comme dans les exports réels.
fn add_service_lines(rng: &mut ChaCha8Rng, customer: &Customer, invoice: &mut Invoice) {
    let service = |index: usize| {
        let (code, description, price) = SERVICE_LINES[index];
        Line {
            stock_code: code.to_string(),
            description: description.to_string(),
            quantity: 1,
            price,
        }
    };
    if customer.country != "United Kingdom" && rng.random_bool(0.7) {
        invoice.lines.push(service(0));
    }
    if customer.id.is_none() && rng.random_bool(0.5) {
        invoice.lines.push(service(1));
    }
    if rng.random_bool(0.004) {
        invoice.lines.push(service(2));
    }
    if rng.random_bool(0.004) {
        invoice.lines.push(service(3));
    }
    if rng.random_bool(0.002) {
        invoice.lines.push(service(4));
    }
}

/// Annule une partie des factures : une facture « C… » plus tardive reprend
/// quelques lignes en quantités négatives.
fn add_cancellations(rng: &mut ChaCha8Rng, invoices: &mut Vec<Invoice>) {
    let last_moment = period().1.and_hms_opt(19, 0, 0).expect("heure valide");
    let mut cancellations = Vec::new();
    for invoice in invoices.iter() {
        if !rng.random_bool(0.03) {
            continue;
        }
        let take = rng.random_range(1..=invoice.lines.len().min(3));
        let lines = invoice.lines[..take]
            .iter()
            .map(|line| Line {
                quantity: -line.quantity,
                ..line.clone()
            })
            .collect();
        cancellations.push(Invoice {
            // L'annulation suit l'achat, sans sortir de la période.
            when: (invoice.when + Duration::hours(rng.random_range(1..24 * 20))).min(last_moment),
            customer: invoice.customer,
            lines,
            cancellation: true,
        });
    }
    invoices.extend(cancellations);
}

/// Écrit les factures en CSV et y sème les derniers pièges : doublons exacts,
/// espaces et casse, ajustements de stock, prix nuls, dette irrécouvrable.
fn write_csv(rng: &mut ChaCha8Rng, invoices: &[Invoice], customers: &[Customer]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(invoices.len() * 600));
    writer.write_record(HEADER).expect("écriture en mémoire");
    let mut number = 536_365u32;
    for invoice in invoices {
        number += 1;
        let customer = &customers[invoice.customer];
        let invoice_no = if invoice.cancellation {
            format!("C{number}")
        } else {
            number.to_string()
        };
        let date = stamp(invoice.when.and_utc().timestamp(), Precision::Second).unwrap_or_default();
        let customer_id = customer.id.map(|id| id.to_string()).unwrap_or_default();
        for line in &invoice.lines {
            let description = disguise_description(rng, &line.description);
            // Un article offert de temps en temps : prix 0 (piège « prix ≤ 0 »).
            let price = if !invoice.cancellation && rng.random_bool(0.001) {
                0.0
            } else {
                line.price
            };
            let record = [
                invoice_no.clone(),
                line.stock_code.clone(),
                description,
                line.quantity.to_string(),
                date.clone(),
                format_price(price),
                customer_id.clone(),
                customer.country.to_string(),
            ];
            writer.write_record(&record).expect("écriture en mémoire");
            // Doublon exact, ligne saisie deux fois.
            if rng.random_bool(0.008) {
                writer.write_record(&record).expect("écriture en mémoire");
            }
        }
        // Ajustement de stock sans client, quantité négative ou nulle, prix 0.
        if rng.random_bool(0.01) {
            number += 1;
            let quantity = if rng.random_bool(0.8) {
                -rng.random_range(1..200i64)
            } else {
                0
            };
            let reason = ["damaged", "check", "?", "lost", "wet damaged"]
                .choose(rng)
                .expect("motifs");
            writer
                .write_record([
                    number.to_string(),
                    invoice.lines[0].stock_code.clone(),
                    reason.to_string(),
                    quantity.to_string(),
                    date.clone(),
                    "0".to_string(),
                    String::new(),
                    "United Kingdom".to_string(),
                ])
                .expect("écriture en mémoire");
        }
        // Dette irrécouvrable : facture « A », prix négatif.
        if rng.random_bool(0.0003) {
            number += 1;
            writer
                .write_record([
                    format!("A{number}"),
                    "B".to_string(),
                    "Adjust bad debt".to_string(),
                    "1".to_string(),
                    date.clone(),
                    "-11062.06".to_string(),
                    String::new(),
                    "United Kingdom".to_string(),
                ])
                .expect("écriture en mémoire");
        }
    }
    writer.into_inner().expect("écriture en mémoire")
}

/// Altère parfois une désignation comme le font les saisies réelles : espaces
/// en trop au début ou à la fin, casse mélangée.
fn disguise_description(rng: &mut ChaCha8Rng, description: &str) -> String {
    let roll: f64 = rng.random();
    if roll < 0.02 {
        format!("{description} ")
    } else if roll < 0.03 {
        format!(" {description}")
    } else if roll < 0.04 {
        title_case(description)
    } else {
        description.to_string()
    }
}

/// « PINK REGENCY » → « Pink Regency ».
fn title_case(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_string() + &chars.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Prix sans zéros inutiles, comme l'export d'origine (2.55, 0.85, 18).
fn format_price(price: f64) -> String {
    let text = format!("{price:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_a_few_hundred_products_with_unique_codes() {
        let catalogue = build_catalogue();
        assert!(
            (200..=600).contains(&catalogue.len()),
            "{}",
            catalogue.len()
        );
        let mut codes: Vec<&str> = catalogue.iter().map(|p| p.stock_code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), catalogue.len(), "codes article en double");
    }

    #[test]
    fn price_formatting_drops_trailing_zeros() {
        assert_eq!(format_price(2.55), "2.55");
        assert_eq!(format_price(18.0), "18");
        assert_eq!(format_price(0.5), "0.5");
        assert_eq!(format_price(0.0), "0");
    }

    #[test]
    fn title_case_keeps_words() {
        assert_eq!(title_case("PINK REGENCY TEACUP"), "Pink Regency Teacup");
    }
}
