//! Erreurs présentées à l'utilisateur.
//!
//! Chaque erreur est une valeur qui sait dire, en français et en anglais, ce
//! qui ne va pas **et comment y remédier**. Le pipeline ne panique jamais sur
//! une entrée : dans le navigateur, une panique tuerait l'onglet (ou le
//! worker) sans explication.

use serde::{Deserialize, Serialize};

use crate::ingest::limits::Limit;
use crate::ingest::NumberCause;
use crate::lang::{Lang, Surface};

/// En-têtes cités au plus dans un message (un fichier peut en avoir 10 000).
const HEADERS_SHOWN: usize = 12;
/// Pays cités au plus (le jeu Online Retail en a 38).
const COUNTRIES_SHOWN: usize = 60;

/// Ce qui empêche d'analyser un fichier ou d'appliquer des paramètres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PanierError {
    /// Le fichier ne contient aucun octet (ou seulement des blancs).
    EmptyFile,
    /// Le fichier est binaire : image, PDF, archive… `kind` le nomme.
    NotText {
        /// Format reconnu (« PNG », « PDF »…), ou « binaire ».
        kind: String,
    },
    /// Le fichier n'a qu'une ligne d'en-tête, aucune transaction.
    HeaderOnly,
    /// Des colonnes indispensables sont introuvables.
    MissingColumns {
        /// Rôles manquants (« InvoiceNo », « Quantity »…).
        missing: Vec<String>,
        /// En-têtes effectivement trouvés, pour aider à les faire correspondre.
        found: Vec<String>,
    },
    /// Une même colonne est attribuée à deux rôles.
    DuplicateMapping {
        /// En-tête de la colonne.
        column: String,
        /// Les rôles qui se la disputent.
        roles: Vec<String>,
    },
    /// Le CSV est mal formé à une ligne donnée (guillemet non fermé…).
    MalformedCsv {
        /// Numéro de ligne (1 = en-tête).
        line: u64,
        /// Détail technique de l'analyseur CSV.
        detail: String,
    },
    /// Aucune ligne n'a de quantité ou de prix lisible.
    UnreadableNumbers {
        /// Lignes lues.
        rows_read: u64,
        /// La cause la plus fréquente.
        cause: NumberCause,
        /// Jusqu'à trois valeurs illisibles du fichier.
        examples: Vec<String>,
    },
    /// Une correspondance désigne une colonne qui n'existe pas.
    MappingOutOfRange {
        /// Rôle concerné (nom canonique).
        role: String,
        /// Colonne demandée (à partir de 1).
        column: usize,
        /// Nombre de colonnes du fichier.
        columns: usize,
    },
    /// Aucune ligne ne survit au nettoyage : rien à analyser.
    NoValidRows {
        /// Lignes lues avant nettoyage.
        rows_read: u64,
    },
    /// Le pays demandé n'existe pas dans les données nettoyées.
    UnknownCountry {
        /// Pays demandé.
        requested: String,
        /// Quelques pays présents, pour corriger la saisie.
        available: Vec<String>,
    },
    /// Un paramètre a une valeur absurde.
    InvalidParameter {
        /// Nom du paramètre (`min_support`…).
        name: String,
        /// Valeur reçue.
        value: String,
        /// Plage acceptée, en clair.
        expected: String,
    },
    /// Le fichier n'a pas pu être lu (droits, disque, navigateur).
    Unreadable {
        /// Cause rapportée par le système ou le navigateur.
        detail: String,
    },
    /// Le classeur Excel est illisible (archive tronquée ou corrompue).
    UnreadableSpreadsheet {
        /// Détail technique de la bibliothèque de lecture.
        detail: String,
    },
    /// La feuille demandée n'existe pas dans le classeur.
    UnknownSheet {
        /// Feuille demandée.
        requested: String,
        /// Feuilles présentes.
        available: Vec<String>,
    },
    /// Aucune feuille du classeur ne contient de données.
    EmptyWorkbook,
    /// Erreur interne de Panier (un bogue, pas la faute du fichier).
    Internal {
        /// Détail technique, à joindre à un signalement.
        detail: String,
    },
    /// La segmentation RFM demande des colonnes que le fichier n'a pas.
    RfmUnavailable {
        /// Rôles manquants (noms canoniques : CustomerID, InvoiceDate…).
        missing: Vec<String>,
    },
    /// La date d'observation RFM précède tout achat : aucun client à noter.
    SnapshotBeforeData {
        /// Date d'observation demandée (AAAA-MM-JJ HH:MM:SS).
        snapshot: String,
        /// Premier achat daté des données.
        first_purchase: String,
    },
    /// Aucune transaction dans la période choisie.
    EmptyPeriod,
    /// Aucun panier dans le périmètre choisi.
    NoBaskets,
    /// Le fichier n'a pas de colonne d'articles (désignation ni code) :
    /// ni paniers ni recommandations (la vue d'ensemble et la RFM restent).
    ProductsMissing,
    /// Trop d'itemsets fréquents : la recherche s'est arrêtée au plafond.
    TooManyItemsets {
        /// Plafond atteint.
        cap: u64,
        /// Support minimal appliqué, en paniers.
        min_count: u64,
        /// Support le plus bas (fraction des paniers) auquel les articles et
        /// les paires fréquents tiendraient dans le plafond, quand il est
        /// connu (un plancher : les itemsets plus longs comptent aussi).
        floor: Option<f64>,
    },
    /// Trop de règles : la génération s'est arrêtée au plafond.
    TooManyRules {
        /// Plafond atteint.
        cap: u64,
    },
    /// Le calcul a été arrêté à la demande de l'utilisateur (« Annuler »,
    /// Ctrl-C) ; rien n'en est gardé.
    Cancelled,
    /// L'évaluation des recommandations est impossible sur ces données.
    EvaluationImpossible {
        /// Ce qui manque : `customer_column` (pas de colonne client),
        /// `dates`, `period` (trop courte) ou `customers` (aucun client actif
        /// avant et après la coupure).
        reason: String,
    },
    /// Une sortie n'a pas pu être écrite (droits, disque plein).
    Unwritable {
        /// Cause rapportée par le système.
        detail: String,
    },
    /// Le fichier a été lu comme une seule colonne dont l'en-tête contient
    /// un séparateur : le séparateur choisi (ou détecté) n'est pas le bon.
    SingleColumn {
        /// L'en-tête lu (80 caractères au plus).
        header: String,
        /// Le séparateur qu'on y voit le plus.
        likely: char,
    },
    /// Une colonne attribuée est bien là, mais aucune de ses valeurs ne se
    /// lit (dates dans un format inconnu…).
    UnreadableValues {
        /// En-tête de la colonne.
        column: String,
        /// Rôle attendu (nom canonique : `InvoiceDate`…).
        role: String,
        /// Jusqu'à trois valeurs du fichier.
        examples: Vec<String>,
    },
    /// Le fichier demande plus qu'un budget de lecture ne le permet
    /// ([`crate::ingest::limits`]) : rien n'a été alloué pour lui.
    InputLimit {
        /// Plafond dépassé.
        limit: Limit,
        /// Valeur trouvée (borne inférieure si la lecture s'est arrêtée avant) ;
        /// le plafond est [`Limit::max`].
        found: u64,
    },
    /// La valeur client prédite ([`crate::clv`]) demande des colonnes que le
    /// fichier n'a pas (client, date, montant).
    ClvUnavailable {
        /// Rôles manquants (noms canoniques).
        missing: Vec<String>,
    },
    /// La calibration de la valeur client ne couvre aucune durée : toutes
    /// les données tiennent en un jour (ou la fin de calibration est le
    /// premier jour d'achat), ou la période est trop courte pour être
    /// coupée en apprentissage et test.
    ClvNoTimeSpan,
    /// Trop peu de clients ont racheté pendant la calibration pour ajuster
    /// les modèles de valeur client.
    ClvTooFewRepeatCustomers {
        /// Clients à au moins un achat répété (au montant positif, pour le
        /// modèle de dépense).
        repeat: u64,
        /// Clients de la calibration.
        customers: u64,
        /// Minimum demandé ([`crate::clv::MIN_REPEAT_CUSTOMERS`]).
        needed: u64,
    },
    /// L'ajustement d'un modèle de valeur client n'a pas convergé (ou vers
    /// des paramètres dégénérés : les données ne le déterminent pas).
    ClvNotConverged {
        /// « BG/NBD » ou « Gamma-Gamma ».
        model: String,
    },
    /// La fin de calibration demandée précède tout achat.
    ClvCalibrationBeforeData {
        /// Fin de calibration demandée.
        until: String,
        /// Premier achat daté des données.
        first_purchase: String,
    },
    /// Un fichier de réglages ([`crate::settings`]) ne se lit pas : YAML
    /// malformé, clé inconnue, valeur du mauvais type, version trop récente.
    InvalidSettings {
        /// Ligne en cause, quand le lecteur la connaît.
        line: Option<u64>,
        /// Ce que le lecteur YAML en dit (en anglais, avec la clé en cause).
        detail: String,
    },
}

impl PanierError {
    /// Message complet pour l'utilisateur : ce qui ne va pas, puis que faire.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PanierError::EmptyFile, Lang::Fr) => {
                "Le fichier est vide. Choisissez un export de transactions (CSV ou XLSX) \
                 qui contient des lignes."
                    .into()
            }
            (PanierError::EmptyFile, Lang::En) => {
                "The file is empty. Choose a transactions export (CSV or XLSX) that \
                 contains rows."
                    .into()
            }
            (PanierError::NotText { kind }, Lang::Fr) if kind == "HTML" => {
                "Ce fichier est une page web (HTML), pas un tableau de transactions : le \
                 téléchargement de l'export a sans doute échoué. Relancez l'export depuis votre \
                 outil et enregistrez le fichier CSV ou XLSX."
                    .into()
            }
            (PanierError::NotText { kind }, Lang::En) if kind == "HTML" => {
                "This file is a web page (HTML), not a transactions table: the export download \
                 probably failed. Run the export again from your tool and save the CSV or XLSX \
                 file."
                    .into()
            }
            (PanierError::NotText { kind }, Lang::Fr) => format!(
                "Ce fichier n'est pas un tableau de transactions\u{a0}: il ressemble à un fichier \
                 {}. Exportez vos ventes en CSV (ou XLSX) depuis votre outil, puis \
                 réessayez.",
                if kind == crate::ingest::sniff::BINARY { "binaire" } else { kind.as_str() }
            ),
            (PanierError::NotText { kind }, Lang::En) => format!(
                "This file is not a transactions table: it looks like a {kind} file. Export \
                 your sales as CSV (or XLSX) from your tool and try again."
            ),
            (PanierError::HeaderOnly, Lang::Fr) => {
                "Le fichier ne contient que la ligne d'en-tête, aucune transaction. \
                 Vérifiez que l'export n'a pas été filtré ou tronqué."
                    .into()
            }
            (PanierError::HeaderOnly, Lang::En) => {
                "The file holds only the header line, no transactions. Check that the \
                 export was not filtered or cut short."
                    .into()
            }
            (PanierError::MissingColumns { missing, found }, Lang::Fr) => format!(
                "Colonnes introuvables\u{a0}: {}. Colonnes présentes\u{a0}: {}. Renommez les colonnes \
                 de votre export (par exemple InvoiceNo, Quantity, UnitPrice) ou indiquez \
                 leur rôle à l'étape de correspondance.",
                missing.join(", "),
                preview_list(found, Lang::Fr, HEADERS_SHOWN)
            ),
            (PanierError::MissingColumns { missing, found }, Lang::En) => format!(
                "Columns not found: {}. Columns present: {}. Rename your export's columns \
                 (for example InvoiceNo, Quantity, UnitPrice) or map their roles in the \
                 mapping step.",
                missing.join(", "),
                preview_list(found, Lang::En, HEADERS_SHOWN)
            ),
            (PanierError::DuplicateMapping { column, roles }, Lang::Fr) => format!(
                "La colonne «\u{a0}{column}\u{a0}» est attribuée à plusieurs rôles ({}). Une colonne \
                 peut servir plusieurs rôles de texte, mais un nombre ou une date n'en sert \
                 qu'un\u{a0}: choisissez une autre colonne pour l'un d'eux.",
                roles.join(", ")
            ),
            (PanierError::DuplicateMapping { column, roles }, Lang::En) => format!(
                "The column \"{column}\" is mapped to several roles ({}). A column can serve \
                 several text roles, but a number or a date serves only one: pick another \
                 column for one of them.",
                roles.join(", ")
            ),
            (PanierError::MalformedCsv { line, detail }, Lang::Fr) => format!(
                "Le CSV est mal formé à la ligne {line} ({detail}). Un guillemet non fermé \
                 ou un séparateur inattendu en est souvent la cause\u{a0}: ouvrez le fichier \
                 dans un tableur et réenregistrez-le en CSV."
            ),
            (PanierError::MalformedCsv { line, detail }, Lang::En) => format!(
                "The CSV is malformed at line {line} ({detail}). An unclosed quote or an \
                 unexpected delimiter is the usual cause: open the file in a spreadsheet \
                 and save it again as CSV."
            ),
            (
                PanierError::UnreadableNumbers {
                    rows_read,
                    cause,
                    examples,
                },
                lang,
            ) => {
                let lead = match lang {
                    Lang::Fr => format!(
                        "Aucune des {rows_read} lignes n'a une quantité et un prix unitaire lisibles"
                    ),
                    Lang::En => {
                        format!("None of the {rows_read} rows has a readable quantity and unit price")
                    }
                };
                let colon = crate::numbers::colon(lang);
                format!("{lead}{colon} {}", number_cause_text(*cause, examples, lang))
            }
            (
                PanierError::MappingOutOfRange {
                    role,
                    column,
                    columns,
                },
                Lang::Fr,
            ) => format!(
                "Le rôle {role} pointe vers la colonne {column}, mais le fichier n'en a que \
                 {columns}. Choisissez une colonne existante à l'étape de correspondance."
            ),
            (
                PanierError::MappingOutOfRange {
                    role,
                    column,
                    columns,
                },
                Lang::En,
            ) => format!(
                "The role {role} points to column {column}, but the file has only {columns}. \
                 Pick an existing column in the mapping step."
            ),
            (PanierError::NoValidRows { rows_read }, Lang::Fr) => format!(
                "Aucune des {rows_read} lignes n'est une vente exploitable après nettoyage \
                 (annulations, client absent, quantité ou prix ≤ 0). Vérifiez que les \
                 colonnes Quantité, Prix et Client sont bien remplies."
            ),
            (PanierError::NoValidRows { rows_read }, Lang::En) => format!(
                "None of the {rows_read} rows is a usable sale after cleaning \
                 (cancellations, missing customer, quantity or price ≤ 0). Check that the \
                 Quantity, Price and Customer columns are filled in."
            ),
            (
                PanierError::UnknownCountry {
                    requested,
                    available,
                },
                Lang::Fr,
            ) if available.is_empty() => format!(
                "Impossible de filtrer sur le pays «\u{a0}{requested}\u{a0}»\u{a0}: le fichier n'a \
                 pas de colonne Pays. Indiquez-la à l'étape de correspondance, ou retirez le \
                 filtre de pays."
            ),
            (
                PanierError::UnknownCountry {
                    requested,
                    available,
                },
                Lang::Fr,
            ) => format!(
                "Le pays «\u{a0}{requested}\u{a0}» n'apparaît pas dans les données. Choisissez \
                 l'un des pays présents, ou retirez le filtre de pays\u{a0}: {}.",
                preview_list(available, Lang::Fr, COUNTRIES_SHOWN)
            ),
            (
                PanierError::UnknownCountry {
                    requested,
                    available,
                },
                Lang::En,
            ) if available.is_empty() => format!(
                "Cannot filter on the country \"{requested}\": the file has no country column. \
                 Map one in the mapping step, or clear the country filter."
            ),
            (
                PanierError::UnknownCountry {
                    requested,
                    available,
                },
                Lang::En,
            ) => format!(
                "The country \"{requested}\" does not appear in the data. Pick one of the \
                 countries present, or clear the country filter: {}.",
                preview_list(available, Lang::En, COUNTRIES_SHOWN)
            ),
            (
                PanierError::InvalidParameter {
                    name,
                    value,
                    expected,
                },
                Lang::Fr,
            ) => format!("Valeur invalide pour {name}\u{a0}: {value}. Attendu\u{a0}: {expected}."),
            (
                PanierError::InvalidParameter {
                    name,
                    value,
                    expected,
                },
                Lang::En,
            ) => format!("Invalid value for {name}: {value}. Expected: {expected}."),
            (PanierError::EvaluationImpossible { reason }, Lang::Fr) => format!(
                "Impossible de mesurer la qualité des recommandations ({}). Il faut des dates \
                 lisibles sur plusieurs semaines et des clients qui achètent avant et après la \
                 coupure à 80\u{a0}% de la période.",
                match reason.as_str() {
                    "dates" => "aucune date lisible",
                    "period" => "période trop courte",
                    "customer_column" => "pas de colonne client",
                    _ => "aucun client actif avant et après la coupure",
                }
            ),
            (PanierError::EvaluationImpossible { reason }, Lang::En) => format!(
                "Cannot measure recommendation quality ({}). It needs readable dates over \
                 several weeks and customers buying both before and after the cut at 80% of \
                 the period.",
                match reason.as_str() {
                    "dates" => "no readable date",
                    "period" => "period too short",
                    "customer_column" => "no customer column",
                    _ => "no customer active before and after the cut",
                }
            ),
            (PanierError::EmptyPeriod, Lang::Fr) => "Aucune transaction dans la période \
                 choisie. Élargissez la période ou retirez le filtre de dates."
                .into(),
            (PanierError::EmptyPeriod, Lang::En) => "No transaction in the chosen period. Widen \
                 the period or clear the date filter."
                .into(),
            (PanierError::ProductsMissing, Lang::Fr) => "Les associations et les \
                 recommandations ont besoin d'une colonne produit (désignation ou code \
                 article)\u{a0}; ce fichier n'en a pas. Si elle porte un autre nom, indiquez-la \
                 à l'étape de correspondance. La vue d'ensemble et la segmentation restent \
                 disponibles."
                .into(),
            (PanierError::ProductsMissing, Lang::En) => "Associations and recommendations \
                 need a product column (description or stock code); this file has none. If it \
                 goes by another name, map it in the mapping step. The overview and the \
                 segmentation stay available."
                .into(),
            (PanierError::NoBaskets, Lang::Fr) => "Aucun panier dans ce périmètre\u{a0}: \
                 aucune facture ne correspond au segment ou à la période choisis. Élargissez \
                 le périmètre (tous les clients, une période plus longue)."
                .into(),
            (PanierError::NoBaskets, Lang::En) => "No basket in this scope: no invoice matches \
                 the chosen segment or period. Widen the scope (all customers, a longer period)."
                .into(),
            (
                PanierError::TooManyItemsets {
                    cap,
                    min_count,
                    floor,
                },
                Lang::Fr,
            ) => format!(
                "Plus de {} combinaisons fréquentes à ce support (au moins {} paniers)\u{a0}: \
                 la recherche s'est arrêtée pour ne pas saturer la mémoire. Augmentez le support \
                 minimal{} ou diminuez la taille maximale des combinaisons.",
                count_text(*cap, Lang::Fr),
                count_text(*min_count, Lang::Fr),
                floor
                    .map(|f| format!(" (au moins {}\u{a0}% pour ces données)", percent_text(f, Lang::Fr)))
                    .unwrap_or_default()
            ),
            (
                PanierError::TooManyItemsets {
                    cap,
                    min_count,
                    floor,
                },
                Lang::En,
            ) => format!(
                "More than {} frequent combinations at this support (at least {} baskets): \
                 mining stopped to protect memory. Raise the minimum support{} or lower the \
                 maximum combination size.",
                count_text(*cap, Lang::En),
                count_text(*min_count, Lang::En),
                floor
                    .map(|f| format!(" (at least {}% for this data)", percent_text(f, Lang::En)))
                    .unwrap_or_default()
            ),
            (PanierError::TooManyRules { cap }, Lang::Fr) => format!(
                "Plus de {cap} règles d'association\u{a0}: la génération s'est arrêtée pour ne pas \
                 saturer la mémoire. Augmentez le support, la confiance ou le lift minimal, ou \
                 diminuez la taille maximale des combinaisons."
            ),
            (PanierError::TooManyRules { cap }, Lang::En) => format!(
                "More than {cap} association rules: generation stopped to protect memory. Raise \
                 the minimum support, confidence or lift, or lower the maximum combination size."
            ),
            (PanierError::Cancelled, Lang::Fr) => "Calcul annulé à votre demande\u{a0}: rien \
                 n'en a été gardé, les résultats précédents restent affichés. Relancez-le quand \
                 vous voulez, au besoin avec un support plus élevé pour qu'il soit plus court."
                .into(),
            (PanierError::Cancelled, Lang::En) => "Computation cancelled at your request: \
                 nothing of it was kept, the previous results stay on screen. Run it again \
                 whenever you like, with a higher support if it should be shorter."
                .into(),
            (PanierError::RfmUnavailable { missing }, Lang::Fr) => format!(
                "La segmentation RFM a besoin d'un client, d'une date et d'un montant par \
                 ligne\u{a0}; il manque\u{a0}: {}. Indiquez ces colonnes à l'étape de \
                 correspondance de l'import. L'analyse des paniers reste disponible.",
                preview_list(missing, Lang::Fr, HEADERS_SHOWN)
            ),
            (PanierError::RfmUnavailable { missing }, Lang::En) => format!(
                "RFM segmentation needs a customer, a date and an amount on every line; \
                 missing: {}. Map these columns in the import's mapping step. Basket analysis \
                 stays available.",
                preview_list(missing, Lang::En, HEADERS_SHOWN)
            ),
            (
                PanierError::SnapshotBeforeData {
                    snapshot,
                    first_purchase,
                },
                Lang::Fr,
            ) => format!(
                "La date d'observation {snapshot} précède le premier achat ({first_purchase})\u{a0}: \
                 aucun client n'a encore acheté. Choisissez une date postérieure au premier achat."
            ),
            (
                PanierError::SnapshotBeforeData {
                    snapshot,
                    first_purchase,
                },
                Lang::En,
            ) => format!(
                "The snapshot date {snapshot} is before the first purchase ({first_purchase}): \
                 no customer has bought anything yet. Pick a date after the first purchase."
            ),
            (PanierError::Unreadable { detail }, Lang::Fr) => format!(
                "Le fichier n'a pas pu être lu ({detail}). Vérifiez qu'il existe, qu'il \
                 n'est pas ouvert ailleurs, puis réessayez."
            ),
            (PanierError::Unreadable { detail }, Lang::En) => format!(
                "The file could not be read ({detail}). Check that it exists and is not \
                 locked by another program, then try again."
            ),
            (PanierError::UnreadableSpreadsheet { detail }, Lang::Fr) => format!(
                "Le classeur Excel est illisible ({detail}). Il est peut-être tronqué ou \
                 corrompu : rouvrez-le dans Excel ou LibreOffice et réenregistrez-le en .xlsx, \
                 ou exportez-le en CSV."
            ),
            (PanierError::UnreadableSpreadsheet { detail }, Lang::En) => format!(
                "The Excel workbook cannot be read ({detail}). It may be truncated or \
                 corrupted: open it in Excel or LibreOffice and save it again as .xlsx, or \
                 export it as CSV."
            ),
            (
                PanierError::UnknownSheet {
                    requested,
                    available,
                },
                Lang::Fr,
            ) => format!(
                "La feuille «\u{a0}{requested}\u{a0}» n'existe pas dans ce classeur. Feuilles\u{a0}: {}.",
                preview_list(available, Lang::Fr, COUNTRIES_SHOWN)
            ),
            (
                PanierError::UnknownSheet {
                    requested,
                    available,
                },
                Lang::En,
            ) => format!(
                "The sheet \"{requested}\" does not exist in this workbook. Sheets: {}.",
                preview_list(available, Lang::En, COUNTRIES_SHOWN)
            ),
            (PanierError::EmptyWorkbook, Lang::Fr) => {
                "Aucune feuille de ce classeur ne contient de données. Vérifiez que vous avez \
                 choisi le bon fichier."
                    .into()
            }
            (PanierError::EmptyWorkbook, Lang::En) => {
                "No sheet of this workbook contains data. Check that you picked the right \
                 file."
                    .into()
            }
            (PanierError::Internal { detail }, Lang::Fr) => format!(
                "Panier a rencontré une erreur interne ({detail}). Ce n'est pas la faute de \
                 votre fichier\u{a0}: rechargez la page pour réessayer, et signalez-nous le \
                 problème avec le type de fichier utilisé."
            ),
            (PanierError::Internal { detail }, Lang::En) => format!(
                "Panier hit an internal error ({detail}). It is not your file's fault: reload \
                 the page to try again, and report the problem with the kind of file used."
            ),
            (PanierError::InvalidSettings { line, detail }, Lang::Fr) => format!(
                "Le fichier de réglages ne se lit pas{}\u{a0}: {detail}. Corrigez-le (clés et \
                 valeurs comme dans un fichier exporté par Panier), ou exportez de nouveaux \
                 réglages depuis Panier.",
                line.map(|line| format!(" (ligne {line})")).unwrap_or_default()
            ),
            (PanierError::InvalidSettings { line, detail }, Lang::En) => format!(
                "The settings file cannot be read{}: {detail}. Fix it (keys and values as in \
                 a file exported by Panier), or export new settings from Panier.",
                line.map(|line| format!(" (line {line})")).unwrap_or_default()
            ),
            (PanierError::Unwritable { detail }, Lang::Fr) => format!(
                "Impossible d'écrire le résultat ({detail}). Vérifiez que le dossier de \
                 sortie est accessible en écriture et que le disque n'est pas plein."
            ),
            (PanierError::Unwritable { detail }, Lang::En) => format!(
                "Could not write the output ({detail}). Check that the output folder is \
                 writable and the disk is not full."
            ),
            (PanierError::SingleColumn { header, likely }, Lang::Fr) => format!(
                "Le fichier a été lu comme une seule colonne («\u{a0}{header}\u{a0}»)\u{a0}: le \
                 séparateur de colonnes n'est pas le bon. Choisissez «\u{a0}{}\u{a0}» comme \
                 séparateur dans les options d'import.",
                delimiter_name(*likely, Lang::Fr)
            ),
            (PanierError::SingleColumn { header, likely }, Lang::En) => format!(
                "The file was read as a single column (\"{header}\"): the column delimiter is \
                 wrong. Choose \"{}\" as the delimiter in the import options.",
                delimiter_name(*likely, Lang::En)
            ),
            (
                PanierError::UnreadableValues {
                    column,
                    role,
                    examples,
                },
                Lang::Fr,
            ) => format!(
                "La colonne «\u{a0}{column}\u{a0}» ({role}) est bien là, mais aucune de ses \
                 valeurs ne se lit comme une date (par exemple {}). Choisissez l'ordre des dates \
                 dans les options d'import, ou une autre colonne pour la date.",
                preview_list(examples, Lang::Fr, 3)
            ),
            (
                PanierError::UnreadableValues {
                    column,
                    role,
                    examples,
                },
                Lang::En,
            ) => format!(
                "The column \"{column}\" ({role}) is there, but none of its values reads as a \
                 date (for example {}). Choose the date order in the import options, or another \
                 column for the date.",
                preview_list(examples, Lang::En, 3)
            ),
            (PanierError::InputLimit { limit, found }, lang) => {
                limit_message(*limit, *found, lang)
            }
            (PanierError::ClvUnavailable { missing }, Lang::Fr) => format!(
                "Valeur client prédite impossible\u{a0}: il manque {}. Les modèles de valeur \
                 client suivent chaque client dans le temps et demandent un identifiant client, \
                 une date et un montant par achat. Indiquez ces colonnes à l'étape de \
                 correspondance de l'import\u{a0}; le reste de l'analyse n'en dépend pas.",
                preview_list(missing, Lang::Fr, HEADERS_SHOWN)
            ),
            (PanierError::ClvUnavailable { missing }, Lang::En) => format!(
                "Predicted customer value unavailable: {} missing. Customer-value models follow \
                 each customer over time and need a customer identifier, a date and an amount \
                 per purchase. Map these columns in the import's mapping step; the rest of the \
                 analysis does not depend on it.",
                preview_list(missing, Lang::En, HEADERS_SHOWN)
            ),
            (PanierError::ClvNoTimeSpan, Lang::Fr) => "Valeur client prédite impossible\u{a0}: \
                 les achats retenus ne couvrent pas assez de jours (tout tient en un jour, ou \
                 la fin de calibration est le premier jour d'achat). Les modèles mesurent le \
                 rythme d'achat de chaque client dans le temps\u{a0}: analysez un historique de \
                 plusieurs semaines au moins, ou choisissez une fin de calibration plus tardive."
                .into(),
            (PanierError::ClvNoTimeSpan, Lang::En) => "Predicted customer value unavailable: the \
                 purchases kept do not span enough days (everything falls on one day, or the \
                 calibration end is the first purchase day). The models measure each \
                 customer's buying rhythm over time: analyse a history of several weeks at \
                 least, or choose a later calibration end."
                .into(),
            (
                PanierError::ClvTooFewRepeatCustomers {
                    repeat,
                    customers,
                    needed,
                },
                Lang::Fr,
            ) => format!(
                "Valeur client prédite impossible\u{a0}: {} client(s) sur {} ont racheté \
                 pendant la calibration, il en faut au moins {} pour ajuster les modèles (ils \
                 apprennent de ceux qui reviennent à quel rythme on revient et quand on part). \
                 Analysez une période plus longue, retirez les filtres qui réduisent les \
                 clients, ou choisissez une fin de calibration plus tardive.",
                count_text(*repeat, Lang::Fr),
                count_text(*customers, Lang::Fr),
                count_text(*needed, Lang::Fr)
            ),
            (
                PanierError::ClvTooFewRepeatCustomers {
                    repeat,
                    customers,
                    needed,
                },
                Lang::En,
            ) => format!(
                "Predicted customer value unavailable: {} of {} customers bought again during \
                 the calibration, and the models need at least {} (they learn from returning \
                 customers how often people come back and when they leave). Analyse a longer \
                 period, remove filters that reduce the customers, or choose a later \
                 calibration end.",
                count_text(*repeat, Lang::En),
                count_text(*customers, Lang::En),
                count_text(*needed, Lang::En)
            ),
            (PanierError::ClvNotConverged { model }, Lang::Fr) => format!(
                "Valeur client prédite impossible\u{a0}: l'ajustement du modèle {model} n'a pas \
                 convergé (ces données ne le déterminent pas, par exemple si presque aucun client \
                 ne part ou si tous achètent au même rythme). Essayez une période plus longue ou \
                 un autre périmètre\u{a0}; le reste de l'analyse reste valable."
            ),
            (PanierError::ClvNotConverged { model }, Lang::En) => format!(
                "Predicted customer value unavailable: fitting the {model} model did not \
                 converge (this data does not determine it, for example when almost no customer \
                 leaves or all buy at the same pace). Try a longer period or another scope; the \
                 rest of the analysis remains valid."
            ),
            (
                PanierError::ClvCalibrationBeforeData {
                    until,
                    first_purchase,
                },
                Lang::Fr,
            ) => format!(
                "La fin de calibration ({until}) précède le premier achat ({first_purchase})\u{a0}: \
                 aucun client à prévoir. Choisissez une date après le premier achat, ou laissez-la \
                 vide pour prendre le dernier jour d'achat."
            ),
            (
                PanierError::ClvCalibrationBeforeData {
                    until,
                    first_purchase,
                },
                Lang::En,
            ) => format!(
                "The calibration end ({until}) is before the first purchase \
                 ({first_purchase}): no customer to forecast. Choose a date after the first \
                 purchase, or leave it empty to use the last purchase day."
            ),
        }
    }
}

/// Message d'un budget de lecture dépassé : le plafond nommé, la valeur
/// trouvée, puis que faire.
fn limit_message(limit: Limit, found: u64, lang: Lang) -> String {
    let max = limit.max();
    let (fr_found, en_found) = (bytes_text(found, Lang::Fr), bytes_text(found, Lang::En));
    let (fr_max, en_max) = (bytes_text(max, Lang::Fr), bytes_text(max, Lang::En));
    match (limit, lang) {
        (Limit::WorkbookUnpacked, Lang::Fr) => format!(
            "Ce classeur se décompresse en {fr_found} de données, au-delà de la limite de \
             lecture de Panier ({fr_max})\u{a0}: un classeur aussi gros (ou volontairement \
             gonflé) saturerait la mémoire. Ouvrez-le dans votre tableur, gardez la feuille des \
             transactions et enregistrez-la en CSV, puis importez ce CSV."
        ),
        (Limit::WorkbookUnpacked, Lang::En) => format!(
            "This workbook unpacks to {en_found} of data, beyond Panier's reading limit \
             ({en_max}): a workbook this large (or deliberately inflated) would exhaust memory. \
             Open it in your spreadsheet, keep the transactions sheet and save it as CSV, then \
             import that CSV."
        ),
        (Limit::WorkbookPart, Lang::Fr) => format!(
            "Une partie de ce classeur (styles, liste des feuilles…) se décompresse en \
             {fr_found}, au-delà de la limite de lecture de Panier ({fr_max})\u{a0}: le fichier \
             est abîmé ou gonflé. Enregistrez la feuille des transactions en CSV depuis votre \
             tableur, puis importez ce CSV."
        ),
        (Limit::WorkbookPart, Lang::En) => format!(
            "A part of this workbook (styles, sheet list…) unpacks to {en_found}, beyond \
             Panier's reading limit ({en_max}): the file is damaged or inflated. Save the \
             transactions sheet as CSV from your spreadsheet, then import that CSV."
        ),
        (Limit::SharedStrings, Lang::Fr) => format!(
            "Ce classeur annonce {} textes distincts, au-delà de la limite de lecture de \
             Panier ({})\u{a0}: le fichier est abîmé ou gonflé. Enregistrez la feuille des \
             transactions en CSV depuis votre tableur, puis importez ce CSV.",
            count_text(found, Lang::Fr),
            count_text(max, Lang::Fr)
        ),
        (Limit::SharedStrings, Lang::En) => format!(
            "This workbook declares {} distinct texts, beyond Panier's reading limit ({}): \
             the file is damaged or inflated. Save the transactions sheet as CSV from your \
             spreadsheet, then import that CSV.",
            count_text(found, Lang::En),
            count_text(max, Lang::En)
        ),
        (Limit::CellBytes, Lang::Fr) => format!(
            "Une cellule de ce classeur contient au moins {fr_found} de texte, au-delà de la \
             limite de lecture de Panier ({fr_max} par cellule\u{a0}; Excel lui-même s'arrête \
             à 32\u{a0}767 caractères)\u{a0}: le fichier est abîmé ou gonflé. Réenregistrez-le \
             depuis votre tableur, ou exportez les transactions en CSV."
        ),
        (Limit::CellBytes, Lang::En) => format!(
            "A cell of this workbook holds at least {en_found} of text, beyond Panier's \
             reading limit ({en_max} per cell; Excel itself stops at 32,767 characters): the \
             file is damaged or inflated. Save it again from your spreadsheet, or export the \
             transactions as CSV."
        ),
        (Limit::LineBytes, Lang::Fr) => format!(
            "Une ligne du fichier fait au moins {fr_found}, au-delà de la limite de lecture de \
             Panier ({fr_max} par ligne)\u{a0}: les fins de ligne manquent, ou un guillemet \
             n'est jamais fermé. Ouvrez le fichier dans un tableur et réenregistrez-le en CSV."
        ),
        (Limit::LineBytes, Lang::En) => format!(
            "A line of the file is at least {en_found} long, beyond Panier's reading limit \
             ({en_max} per line): line breaks are missing, or a quote is never closed. Open \
             the file in a spreadsheet and save it again as CSV."
        ),
        (Limit::Columns, Lang::Fr) => format!(
            "Une ligne du fichier a {} colonnes, au-delà de la limite de lecture de Panier \
             ({}, comme Excel). Vérifiez le séparateur de colonnes (options d'import) et que \
             le fichier est bien un tableau de transactions.",
            count_text(found, Lang::Fr),
            count_text(max, Lang::Fr)
        ),
        (Limit::Columns, Lang::En) => format!(
            "A line of the file has {} columns, beyond Panier's reading limit ({}, as in \
             Excel). Check the column delimiter (import options) and that the file is a \
             transactions table.",
            count_text(found, Lang::En),
            count_text(max, Lang::En)
        ),
        (Limit::BrowserFile, Lang::Fr) => format!(
            "Ce fichier fait {fr_found}, au-delà de la limite de lecture de Panier dans un \
             navigateur ({fr_max})\u{a0}: la mémoire d'un onglet n'y suffirait pas. Exportez \
             une période plus courte (ou quelques pays à la fois), ou analysez le fichier \
             entier avec la ligne de commande (panier analyze), qui n'a pas cette limite."
        ),
        (Limit::BrowserFile, Lang::En) => format!(
            "This file is {en_found}, beyond Panier's reading limit in a browser ({en_max}): a \
             tab's memory would not suffice. Export a shorter period (or a few countries at a \
             time), or analyse the whole file with the command line (panier analyze), which \
             has no such limit."
        ),
    }
}

/// Nom lisible d'un séparateur de colonnes.
fn delimiter_name(delimiter: char, lang: Lang) -> String {
    match (delimiter, lang) {
        ('\t', Lang::Fr) => "tabulation".into(),
        ('\t', Lang::En) => "tab".into(),
        (other, _) => other.to_string(),
    }
}

/// Un entier avec séparateur de milliers : `5 000 000` (espace insécable
/// fine) en français, `5,000,000` en anglais.
fn count_text(value: u64, lang: Lang) -> String {
    let digits = value.to_string();
    let separator = match lang {
        Lang::Fr => "\u{202f}",
        Lang::En => ",",
    };
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

/// Une fraction en pourcentage, arrondie **vers le haut** à deux chiffres
/// significatifs (un plancher ne doit pas être annoncé trop bas) : `0,013`
/// pour 0,000125, `2,5` pour 0,025.
fn percent_text(fraction: f64, lang: Lang) -> String {
    let percent = fraction * 100.0;
    let decimals = if percent >= 10.0 {
        0
    } else {
        (1 - percent.log10().floor() as i32).max(0) as usize
    };
    let scale = 10f64.powi(decimals as i32);
    // Arrondi vers le haut, sans gonfler un nombre déjà exact (0,03125 % × 10⁴).
    let rounded = ((percent * scale) - 1e-9).ceil() / scale;
    let text = format!("{rounded:.decimals$}");
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Une taille en octets lisible : `4 Mio` / `4 MiB`, `1,5 Gio` / `1.5 GiB`.
fn bytes_text(bytes: u64, lang: Lang) -> String {
    const UNITS: [(&str, &str); 4] = [("o", "B"), ("Kio", "KiB"), ("Mio", "MiB"), ("Gio", "GiB")];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let (fr, en) = UNITS[unit];
    let number = if unit == 0 || value >= 100.0 || value.fract() < 0.05 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    };
    match lang {
        Lang::Fr => format!("{}\u{a0}{fr}", number.replace('.', ",")),
        Lang::En => format!("{number}\u{a0}{en}"),
    }
}

impl PanierError {
    /// Message pour l'utilisateur d'une interface donnée : l'application
    /// nomme ses réglages (« étape de correspondance », « options
    /// d'import »), la ligne de commande ses options (`--map`,
    /// `--delimiter`…). Une seule rédaction, celle de l'application ; la
    /// table `CLI_WORDING` de ce module en remplace les renvois pour la CLI.
    pub fn message_for(&self, lang: Lang, surface: Surface) -> String {
        let text = self.message(lang);
        match surface {
            Surface::App => text,
            Surface::Cli => CLI_WORDING
                .iter()
                .fold(text, |text, (app, cli)| text.replace(app, cli)),
        }
    }
}

/// Renvois aux réglages de l'application et leur équivalent en ligne de
/// commande (français puis anglais). Les plus longs d'abord : une phrase
/// entière est remplacée avant ses morceaux.
const CLI_WORDING: &[(&str, &str)] = &[
    (
        "Indiquez ces colonnes à l'étape de correspondance de l'import",
        "Indiquez ces colonnes avec --map rôle=colonne",
    ),
    (
        "Indiquez-la à l'étape de correspondance, ou retirez le filtre de pays",
        "Indiquez-la avec --map country=colonne, ou retirez --country",
    ),
    (
        "Choisissez l'ordre des dates dans les options d'import, ou une autre colonne pour la date",
        "Choisissez l'ordre des dates avec --date-order, ou une autre colonne avec --map \
         invoice_date=colonne",
    ),
    ("à l'étape de correspondance", "avec --map rôle=colonne"),
    (
        "choisissez une fin de calibration plus tardive",
        "choisissez une fin de calibration plus tardive (--clv-until)",
    ),
    (
        "Choisissez une date après le premier achat, ou laissez-la vide pour prendre le \
         dernier jour d'achat",
        "Choisissez pour --clv-until une date après le premier achat, ou retirez l'option \
         pour prendre le dernier jour d'achat",
    ),
    ("retirez le filtre de pays", "retirez --country"),
    ("retirez le filtre de dates", "retirez --from et --to"),
    (
        "séparateur décimal (options d'import)",
        "séparateur décimal (--decimal)",
    ),
    (
        "séparateur de colonnes (options d'import)",
        "séparateur de colonnes (--delimiter)",
    ),
    (
        "comme séparateur dans les options d'import",
        "avec --delimiter",
    ),
    (
        "Map these columns in the import's mapping step",
        "Map these columns with --map role=column",
    ),
    (
        "Map one in the mapping step, or clear the country filter",
        "Map one with --map country=column, or drop --country",
    ),
    (
        "Choose the date order in the import options, or another column for the date",
        "Choose the date order with --date-order, or another column with --map \
         invoice_date=column",
    ),
    ("in the mapping step", "with --map role=column"),
    (
        "choose a later calibration end",
        "choose a later calibration end (--clv-until)",
    ),
    (
        "Choose a date after the first purchase, or leave it empty to use the last purchase day",
        "Choose a --clv-until date after the first purchase, or drop the option to use the \
         last purchase day",
    ),
    ("clear the country filter", "drop --country"),
    ("clear the date filter", "drop --from and --to"),
    (
        "decimal separator (import options)",
        "decimal separator (--decimal)",
    ),
    (
        "column delimiter (import options)",
        "column delimiter (--delimiter)",
    ),
    ("as the delimiter in the import options", "with --delimiter"),
];

/// Pourquoi des quantités ou des prix sont illisibles, avec quelques valeurs
/// du fichier, et quoi faire : une phrase par cause (un séparateur décimal ne
/// répare ni une formule sans résultat ni un identifiant pris pour un prix).
pub(crate) fn number_cause_text(cause: NumberCause, examples: &[String], lang: Lang) -> String {
    let quoted = |open: &str, close: &str| {
        examples
            .iter()
            .map(|e| format!("{open}{e}{close}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (fr_examples, en_examples) = if examples.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(" (par exemple {})", quoted("«\u{a0}", "\u{a0}»")),
            format!(" (for example {})", quoted("\"", "\"")),
        )
    };
    match (cause, lang) {
        (NumberCause::Empty, Lang::Fr) => {
            "les champs sont vides ou manquent. Vérifiez que les colonnes \
             Quantité et Prix unitaire sont les bonnes à l'étape de correspondance."
                .into()
        }
        (NumberCause::Empty, Lang::En) => {
            "the fields are empty or missing. Check that the Quantity and \
             Unit price columns are the right ones in the mapping step."
                .into()
        }
        (NumberCause::EmptyCell, Lang::Fr) => "les cellules sont vides. Si elles contiennent des \
             formules, le classeur a été enregistré sans leurs résultats (c'est le cas des \
             fichiers produits par un programme)\u{a0}: ouvrez-le dans Excel ou LibreOffice, \
             enregistrez-le, puis importez-le à nouveau. Sinon, vérifiez les colonnes Quantité \
             et Prix unitaire à l'étape de correspondance."
            .into(),
        (NumberCause::EmptyCell, Lang::En) => "the cells are empty. If they hold formulas, the \
             workbook was saved without their results (as programs that write spreadsheets \
             do): open it in Excel or LibreOffice, save it, and import it again. Otherwise, \
             check the Quantity and Unit price columns in the mapping step."
            .into(),
        (NumberCause::FormulaError, Lang::Fr) => "les cellules contiennent des erreurs de \
             formule (#N/A, #DIV/0!…). Corrigez les formules dans le classeur, ou choisissez \
             d'autres colonnes à l'étape de correspondance."
            .into(),
        (NumberCause::FormulaError, Lang::En) => "the cells hold formula errors (#N/A, \
             #DIV/0!…). Fix the formulas in the workbook, or pick other columns in the mapping \
             step."
            .into(),
        (NumberCause::TooLarge, Lang::Fr) => format!(
            "les valeurs atteignent 10^15 ou plus{fr_examples}, ce qui n'est ni une quantité ni \
             un prix (plutôt un identifiant ou un code). Vérifiez les colonnes Quantité et Prix \
             unitaire à l'étape de correspondance."
        ),
        (NumberCause::TooLarge, Lang::En) => format!(
            "the values reach 10^15 or more{en_examples}, which is no quantity or price (rather \
             an identifier or a code). Check the Quantity and Unit price columns in the mapping \
             step."
        ),
        (NumberCause::Text, Lang::Fr) => format!(
            "les valeurs ne sont pas des nombres{fr_examples}. Vérifiez le séparateur décimal \
             (options d'import) et que les colonnes Quantité et Prix unitaire sont les bonnes à \
             l'étape de correspondance."
        ),
        (NumberCause::Text, Lang::En) => format!(
            "the values are not numbers{en_examples}. Check the decimal separator (import \
             options) and that the Quantity and Unit price columns are the right ones in the \
             mapping step."
        ),
    }
}

impl std::fmt::Display for PanierError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for PanierError {}

/// Liste lisible d'au plus `shown` éléments, chacun coupé à 40 caractères :
/// les en-têtes d'un fichier à 10 000 colonnes ne doivent pas noyer le message.
fn preview_list(items: &[String], lang: Lang, shown: usize) -> String {
    let quote = |text: &str| match lang {
        Lang::Fr => format!("«\u{a0}{text}\u{a0}»"),
        Lang::En => format!("\"{text}\""),
    };
    let mut text = items
        .iter()
        .take(shown)
        .map(|item| {
            let short: String = item.chars().take(40).collect();
            if short.len() < item.len() {
                quote(&format!("{short}…"))
            } else {
                quote(&short)
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > shown {
        text.push_str(&format!(" (+{})", items.len() - shown));
    }
    if text.is_empty() {
        text.push('—');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_says_what_to_do_in_both_languages() {
        let errors = [
            PanierError::EmptyFile,
            PanierError::NotText { kind: "PNG".into() },
            PanierError::HeaderOnly,
            PanierError::MissingColumns {
                missing: vec!["Quantity".into()],
                found: vec!["a".into()],
            },
            PanierError::MalformedCsv {
                line: 3,
                detail: "x".into(),
            },
            PanierError::NoValidRows { rows_read: 5 },
            PanierError::RfmUnavailable {
                missing: vec!["CustomerID".into()],
            },
            PanierError::NoBaskets,
            PanierError::ProductsMissing,
            PanierError::SingleColumn {
                header: "a;b".into(),
                likely: ';',
            },
            PanierError::UnreadableValues {
                column: "Jour".into(),
                role: "InvoiceDate".into(),
                examples: vec!["lundi".into()],
            },
            PanierError::TooManyItemsets {
                cap: 10,
                min_count: 3,
                floor: Some(0.000125),
            },
            PanierError::TooManyRules { cap: 10 },
            PanierError::Cancelled,
            Limit::WorkbookUnpacked.exceeded(3 << 30),
            Limit::WorkbookPart.exceeded(65 << 20),
            Limit::SharedStrings.exceeded(60_000_000),
            Limit::CellBytes.exceeded(5 << 20),
            Limit::LineBytes.exceeded(20 << 20),
            Limit::Columns.exceeded(20_000),
            Limit::BrowserFile.exceeded(3 << 30),
            PanierError::SnapshotBeforeData {
                snapshot: "2010-01-01 00:00:00".into(),
                first_purchase: "2010-12-01 08:26:00".into(),
            },
            PanierError::ClvUnavailable {
                missing: vec!["CustomerID".into()],
            },
            PanierError::ClvNoTimeSpan,
            PanierError::ClvTooFewRepeatCustomers {
                repeat: 3,
                customers: 40,
                needed: 20,
            },
            PanierError::ClvNotConverged {
                model: "BG/NBD".into(),
            },
            PanierError::ClvCalibrationBeforeData {
                until: "1990-01-01 00:00:00".into(),
                first_purchase: "1997-01-01 00:00:00".into(),
            },
        ];
        for error in errors {
            let fr = error.message(Lang::Fr);
            let en = error.message(Lang::En);
            assert_ne!(fr, en);
            assert!(fr.len() > 40 && en.len() > 40, "{fr} / {en}");
        }
    }

    #[test]
    fn limits_are_named_with_readable_sizes() {
        let message = Limit::WorkbookUnpacked.exceeded(3 << 30).message(Lang::Fr);
        assert!(
            message.contains("3\u{a0}Gio") && message.contains("2\u{a0}Gio"),
            "{message}"
        );
        let message = Limit::SharedStrings.exceeded(60_000_000).message(Lang::En);
        assert!(
            message.contains("60,000,000") && message.contains("5,000,000"),
            "{message}"
        );
        let message = Limit::LineBytes
            .exceeded(17 << 20 | 1 << 19)
            .message(Lang::En);
        assert!(message.contains("17.5\u{a0}MiB"), "{message}");
        assert_eq!(bytes_text(512, Lang::Fr), "512\u{a0}o");
        assert_eq!(percent_text(0.000125, Lang::Fr), "0,013");
        assert_eq!(percent_text(2.0 / 64.0, Lang::En), "3.2");
        assert_eq!(percent_text(0.025, Lang::En), "2.5");
        assert_eq!(percent_text(0.5, Lang::En), "50");
        assert_eq!(count_text(16_384, Lang::Fr), "16\u{202f}384");
    }

    #[test]
    fn the_command_line_names_its_own_options() {
        let errors = [
            PanierError::MissingColumns {
                missing: vec!["InvoiceNo".into()],
                found: vec!["a".into()],
            },
            PanierError::UnreadableNumbers {
                rows_read: 3,
                cause: NumberCause::Text,
                examples: vec!["abc".into()],
            },
            PanierError::UnreadableNumbers {
                rows_read: 3,
                cause: NumberCause::EmptyCell,
                examples: vec![],
            },
            PanierError::UnreadableNumbers {
                rows_read: 3,
                cause: NumberCause::FormulaError,
                examples: vec![],
            },
            PanierError::UnreadableNumbers {
                rows_read: 3,
                cause: NumberCause::TooLarge,
                examples: vec!["3E+15".into()],
            },
            PanierError::UnreadableNumbers {
                rows_read: 3,
                cause: NumberCause::Empty,
                examples: vec![],
            },
            PanierError::MappingOutOfRange {
                role: "Quantity".into(),
                column: 9,
                columns: 3,
            },
            PanierError::UnknownCountry {
                requested: "Atlantis".into(),
                available: vec![],
            },
            PanierError::UnknownCountry {
                requested: "Atlantis".into(),
                available: vec!["France".into()],
            },
            PanierError::EmptyPeriod,
            PanierError::RfmUnavailable {
                missing: vec!["CustomerID".into()],
            },
            PanierError::SingleColumn {
                header: "a;b".into(),
                likely: ';',
            },
            PanierError::UnreadableValues {
                column: "Jour".into(),
                role: "InvoiceDate".into(),
                examples: vec!["lundi".into()],
            },
            Limit::Columns.exceeded(20_000),
        ];
        let app_words = [
            "correspondance",
            "options d'import",
            "le filtre",
            "mapping step",
            "import options",
            "country filter",
            "date filter",
        ];
        for error in errors {
            for lang in [Lang::Fr, Lang::En] {
                let cli = error.message_for(lang, Surface::Cli);
                assert!(
                    app_words.iter().all(|word| !cli.contains(word)),
                    "{lang:?} : {cli}"
                );
                assert!(cli.contains("--"), "{lang:?} : {cli}");
                assert_eq!(error.message_for(lang, Surface::App), error.message(lang));
            }
        }
    }

    #[test]
    fn long_header_lists_are_shortened() {
        let found: Vec<String> = (0..10_000).map(|i| format!("col{i}")).collect();
        let message = PanierError::MissingColumns {
            missing: vec!["InvoiceNo".into()],
            found,
        }
        .message(Lang::En);
        assert!(message.len() < 600, "{}", message.len());
        assert!(message.contains("(+9988)"));
    }
}
