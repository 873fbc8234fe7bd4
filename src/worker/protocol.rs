//! Messages échangés entre l'interface et le Web Worker.
//!
//! Le fil principal n'envoie que des **commandes** (analyser ce `File`, ou la
//! démo) et ne reçoit que des **événements** (avancement, rapport, erreur).
//! Aucune donnée brute ne traverse la frontière : le `File` est transmis tel
//! quel (le navigateur le clone sans copier son contenu) et c'est le worker
//! qui le lit.

use gloo_worker::Codec;
use panier_core::basket::analysis::{BasketRequest, BasketSummary};
use panier_core::basket::query::{RulePage, RuleQuery};
use panier_core::clv::{ClvOptions, ClvResult, ClvSegment};
use panier_core::customer::CustomerPurchases;
use panier_core::ingest::Inspection;
use panier_core::numbers::Currency;
use panier_core::overview::Overview;
use panier_core::pipeline::AnalysisOptions;
use panier_core::progress::Stage;
use panier_core::recommend::evaluation::Evaluation;
use panier_core::recommend::RankBy;
use panier_core::rfm::movement::Movement;
use panier_core::rfm::segments::SegmentGrid;
use panier_core::rfm::stats::{RfmCharts, SegmentStats};
use panier_core::rfm::{RfmOptions, RfmTable};
use panier_core::session::{CustomerAdvice, ProductAdvice, Scope, SegmentAdvice, SegmentChoice};
use panier_core::summary::Report;
use panier_core::{Lang, PanierError};
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// Version du protocole entre la page et le worker : la page la compare à
/// celle que le worker annonce ([`WorkerEvent::Hello`]) et refuse un worker
/// d'une autre version (resté en cache d'une ancienne publication).
pub const PROTOCOL_VERSION: u32 = 5;

/// Ce que l'interface demande au worker, le fichier passé tel que la page le
/// donne : un `web_sys::File` (voir [`Command`]).
pub type WorkerCommand = Command<web_sys::File>;

/// Ce que l'interface demande au worker. `F` est le fichier à analyser : un
/// `web_sys::File` dans le navigateur ([`WorkerCommand`]), un faux fichier
/// dans les tests natifs de l'automate du worker (`super::machine`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound(serialize = "F: JsCast", deserialize = "F: JsCast"))]
pub enum Command<F> {
    /// Premier message : le worker répond par [`WorkerEvent::Hello`] dès qu'il
    /// est chargé ; sans réponse, la page dit qu'il n'a pas pu se charger.
    Hello,
    /// Analyser un fichier choisi ou déposé par l'utilisateur.
    AnalyzeFile {
        /// Le fichier lui-même, passé par clonage structuré (sans copie des octets).
        #[serde(with = "js_value")]
        file: F,
        /// Paramètres de l'analyse.
        options: AnalysisOptions,
    },
    /// Générer les données de démonstration puis les analyser.
    AnalyzeDemo {
        /// Paramètres de l'analyse.
        options: AnalysisOptions,
    },
    /// Réanalyser le dernier fichier (gardé par le worker) avec d'autres
    /// options : correspondance des colonnes, encodage, dates…
    Reanalyze {
        /// Nouveaux paramètres.
        options: AnalysisOptions,
    },
    /// Changer de périmètre (pays, période) sans relire le fichier : la
    /// réponse est une analyse complète, ou [`WorkerEvent::ScopeRefused`]
    /// (périmètre vide…) et l'analyse affichée reste valable.
    SetScope(Scope),
    /// Produire `rfm_segments.csv` avec cette grille.
    ExportRfm(SegmentGrid),
    /// Produire le CSV des données nettoyées de la dernière analyse.
    ExportCleaned,
    /// Prédire la valeur des clients (BG/NBD, Gamma-Gamma) avec ces réglages,
    /// et la résumer par segment de cette grille.
    ComputeClv {
        /// Réglages (fin de la calibration, horizons, actualisation).
        options: ClvOptions,
        /// Grille des segments affichée.
        grid: SegmentGrid,
    },
    /// Recalculer la segmentation RFM (niveaux, date d'observation).
    ComputeRfm {
        /// Paramètres de la segmentation.
        options: RfmOptions,
    },
    /// Positions des clients à deux dates d'observation.
    Movement {
        /// Niveaux de score.
        levels: u8,
        /// Première date (secondes depuis 1970).
        from: i64,
        /// Seconde date.
        to: i64,
    },
    /// Fiche d'un client : commandes et produits préférés.
    CustomerPurchases {
        /// Identifiant du client.
        customer: String,
    },
    /// Chercher itemsets et règles avec d'autres paramètres.
    MineBaskets {
        /// Numéro de la demande, renvoyé avec le résultat (une demande
        /// annulée est reconnue et ignorée).
        id: u32,
        /// Paramètres.
        request: BasketRequest,
        /// Seulement les paniers des clients de ce segment RFM (résolu par
        /// le worker selon sa segmentation courante).
        segment: Option<SegmentChoice>,
    },
    /// Indicateurs par segment de la segmentation courante, selon cette
    /// grille (réponse : [`WorkerEvent::SegmentStats`]).
    SegmentStats(SegmentGrid),
    /// Arrête la recherche `id` (« Annuler ») : le worker des paniers qui
    /// la calcule est terminé sur-le-champ ; la réponse est un
    /// [`WorkerEvent::BasketsMined`] en [`PanierError::Cancelled`], et la
    /// dernière analyse des paniers reste celle d'avant.
    CancelMining(u32),
    /// Une page de règles (recherche, filtres, tri).
    QueryRules {
        /// Demande.
        query: RuleQuery,
    },
    /// Mesurer la qualité des recommandations (découpage dans le temps).
    Evaluate,
    /// Recommandations pour un produit, un client ou un segment.
    Recommend(RecommendRequest),
    /// Produits dont le nom contient ce texte (pour choisir un produit).
    SuggestProducts(String),
    /// Produire `recommendations.csv`, justifications dans cette langue.
    ExportRecommendations(Lang),
    /// Produire `frequent_itemsets.csv`.
    ExportItemsets,
    /// Produire `association_rules.csv`.
    ExportRules,
    /// Produire le classeur de tous les résultats (`panier.xlsx`).
    ExportWorkbook {
        /// Grille des segments affichée.
        grid: SegmentGrid,
        /// Langue des libellés et des justifications.
        lang: Lang,
        /// Devise choisie (`None` : celle devinée du fichier).
        currency: Option<Currency>,
    },
}

/// Pour qui recommander. Le worker résout lui-même le segment du client,
/// les clients du segment et ceux des meilleurs segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RecommendRequest {
    /// Un produit : ventes croisées (dans l'ordre demandé) et montée en gamme.
    Product(String, RankBy),
    /// Un client, selon la grille des segments affichée.
    Customer {
        /// Identifiant du client.
        customer: String,
        /// La grille R × FM de la page.
        grid: SegmentGrid,
    },
    /// Un segment : ses meilleures ventes.
    Segment(SegmentChoice),
}

/// Source analysée, pour l'affichage et les métadonnées.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Nom du fichier (ou de la démo).
    pub name: String,
    /// Taille en octets.
    pub size_bytes: u64,
}

/// Durée d'une étape, mesurée dans le worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTiming {
    /// Étape mesurée.
    pub stage: Stage,
    /// Durée en millisecondes.
    pub ms: f64,
}

/// Résultat complet d'une analyse, tel que l'interface l'affiche.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisResult {
    /// Fichier analysé.
    pub source: SourceInfo,
    /// Rapport du pipeline.
    pub report: Report,
    /// Options de l'analyse, périmètre compris, telles que le worker les a
    /// appliquées.
    pub options: AnalysisOptions,
    /// Durée de chaque étape.
    pub timings: Vec<StageTiming>,
    /// Mémoire WebAssembly du worker après l'analyse, en octets : elle ne
    /// rétrécit jamais, c'est donc le pic.
    pub wasm_memory_bytes: u64,
    /// Mémoire WebAssembly du second worker, qui lit la seconde moitié des
    /// gros CSV (0 s'il n'a pas servi).
    pub helper_memory_bytes: u64,
    /// Segmentation RFM avec les options de l'analyse, ou pourquoi elle est
    /// impossible (colonnes manquantes…).
    pub rfm: RfmOutcome,
    /// Paniers au support de l'analyse, ou pourquoi ils manquent.
    pub baskets: Result<BasketSummary, PanierError>,
    /// Indicateurs de la vue d'ensemble.
    pub overview: Overview,
}

/// Une segmentation calculée par le worker, et sa durée.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmOutcome {
    /// La table, ou l'erreur qui l'empêche.
    pub result: Result<RfmTable, PanierError>,
    /// Sa carte R × F et ses histogrammes (`None` avec une erreur).
    pub charts: Option<RfmCharts>,
    /// Durée du calcul dans le worker, en millisecondes.
    pub ms: f64,
}

/// La valeur client calculée par le worker, par segment, et sa durée.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvOutcome {
    /// Les prévisions, ou pourquoi elles sont impossibles.
    pub result: Result<ClvResult, PanierError>,
    /// La valeur par segment (vide si la segmentation ou la valeur client
    /// est impossible).
    pub segments: Vec<ClvSegment>,
    /// Durée du calcul dans le worker, en millisecondes.
    pub ms: f64,
}

/// Ce que le worker renvoie à l'interface.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WorkerEvent {
    /// Le worker est chargé ; sa version du protocole.
    Hello(u32),
    /// Avancement : étape en cours et fraction accomplie (0 à 1).
    Progress {
        /// Étape en cours.
        stage: Stage,
        /// Fraction accomplie de cette étape.
        fraction: f64,
    },
    /// Aperçu du fichier (en-têtes, premières lignes, colonnes reconnues),
    /// envoyé avant l'analyse pour l'étape de correspondance.
    Inspected(Box<Inspection>),
    /// Analyse terminée.
    Finished(Box<AnalysisResult>),
    /// Fichier produit par le worker, prêt à télécharger.
    Download {
        /// Contenu CSV (UTF-8), passé sans copie.
        #[serde(with = "js_value")]
        blob: web_sys::Blob,
        /// Nom de fichier proposé.
        name: String,
    },
    /// Analyse impossible : message FR/EN pour l'utilisateur.
    Failed(PanierError),
    /// Segmentation recalculée.
    RfmComputed(Box<RfmOutcome>),
    /// Valeur client calculée.
    ClvComputed(Box<ClvOutcome>),
    /// Positions des clients aux deux dates.
    MovementComputed(Box<Result<Movement, PanierError>>),
    /// Fiche d'un client (`None` : client inconnu de la dernière analyse).
    CustomerPurchases(Box<Option<CustomerPurchases>>),
    /// Indicateurs par segment, et la grille qui les a donnés.
    SegmentStats {
        /// La grille demandée.
        grid: SegmentGrid,
        /// Un indicateur par segment de la grille, ou l'erreur.
        stats: Box<Result<Vec<SegmentStats>, PanierError>>,
    },
    /// Itemsets et règles de la demande `id`.
    BasketsMined {
        /// Numéro de la demande.
        id: u32,
        /// Résumé, ou l'erreur (plafond, périmètre vide…).
        result: Box<Result<BasketSummary, PanierError>>,
        /// Mémoire WebAssembly du worker après le calcul (octets).
        wasm_memory_bytes: u64,
    },
    /// Une page de règles.
    Rules(Box<RulePage>),
    /// Qualité mesurée des recommandations, et durée du calcul (ms).
    Evaluated(Box<Result<Evaluation, PanierError>>, f64),
    /// Recommandations pour un produit.
    ProductAdvised(Box<ProductAdvice>),
    /// Recommandations pour un client (`advice` vide : client inconnu de la
    /// segmentation courante).
    CustomerAdvised {
        /// Le client demandé.
        customer: String,
        /// Ses recommandations.
        advice: Option<Box<CustomerAdvice>>,
    },
    /// Recommandations pour un segment.
    SegmentAdvised(Box<SegmentAdvice>),
    /// Périmètre refusé (vide, à l'envers, pays inconnu) : l'analyse
    /// affichée reste celle du périmètre précédent.
    ScopeRefused(PanierError),
    /// Produits proposés pour un texte saisi.
    ProductSuggestions(Vec<String>),
    /// Une demande de recommandation a échoué : le message s'affiche dans
    /// sa section, le reste de l'analyse reste à l'écran.
    RecommendFailed(PanierError),
}

/// Les objets JS d'un message (le `File` à lire, le `Blob` à télécharger)
/// ne passent pas par postcard : [`JsCodec`] les met à côté des octets,
/// dans le même tableau JS, et le message n'en garde que le rang. Le
/// navigateur les clone sans copier leur contenu.
mod js_value {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::cell::RefCell;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        /// Les objets JS du message en cours d'encodage ou de décodage.
        pub(super) static TABLE: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
    }

    pub fn serialize<S: Serializer, T: JsCast>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let index = TABLE.with_borrow_mut(|table| {
            table.push(value.as_ref().clone());
            table.len() - 1
        });
        u32::try_from(index)
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: JsCast>(
        deserializer: D,
    ) -> Result<T, D::Error> {
        let index = u32::deserialize(deserializer)? as usize;
        let value = TABLE
            .with_borrow_mut(|table| {
                table
                    .get_mut(index)
                    .map(|slot| std::mem::replace(slot, JsValue::UNDEFINED))
            })
            .ok_or_else(|| D::Error::custom("objet JS absent du message"))?;
        value
            .dyn_into::<T>()
            .map_err(|_| D::Error::custom("objet JS d'un autre type que prévu"))
    }
}

/// Un message tel qu'il passe entre la page et le worker : la valeur, ou
/// pourquoi elle n'a pas pu être lue.
///
/// Sa lecture n'échoue jamais : un message malformé (worker d'une autre
/// version resté en cache, bogue) devient `Err(détail)`, que le worker
/// renvoie à la page comme [`WorkerEvent::Failed`] et que la page affiche,
/// au lieu d'une panique dans le décodage de gloo-worker (qui doit rendre
/// une valeur, jamais une erreur). Le message est le dernier champ de
/// l'enveloppe de gloo-worker (numéro du destinataire, puis message) :
/// l'échec de sa lecture ne dérange pas celle de l'enveloppe.
#[derive(Debug)]
pub struct Wire<T>(Result<T, String>);

impl<T> From<T> for Wire<T> {
    fn from(value: T) -> Self {
        Self(Ok(value))
    }
}

impl<T> Wire<T> {
    /// Le message lu, ou pourquoi il ne l'a pas été.
    pub fn into_inner(self) -> Result<T, String> {
        self.0
    }
}

impl<T: Serialize> Serialize for Wire<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(value) => value.serialize(serializer),
            // Un message illisible n'est jamais renvoyé tel quel : seul
            // `From` en fabrique à envoyer.
            Err(detail) => Err(serde::ser::Error::custom(format!(
                "message illisible non transmissible : {detail}"
            ))),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Wire<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Self(
            T::deserialize(deserializer).map_err(|error| error.to_string()),
        ))
    }
}

/// Encodage des messages : un tableau JS `[octets postcard, objets JS…]`.
///
/// Tout le message (enveloppe de gloo-worker comprise) tient en un seul
/// tampon binaire : des milliers de lignes de clients se décodent en
/// quelques millisecondes, et une seule lecture (postcard) est compilée pour
/// chaque type de message — c'est autant de code en moins à télécharger.
/// Les objets JS (voir `js_value`) suivent les octets, passés tels quels
/// par clonage structuré.
///
/// Les commandes et les événements voyagent dans un [`Wire`], dont la
/// lecture n'échoue jamais.
pub struct JsCodec;

impl Codec for JsCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        js_value::TABLE.with_borrow_mut(Vec::clear);
        // Nos messages sont des types du projet, toujours sérialisables : un
        // échec serait un bogue de programmation, pas une entrée utilisateur.
        let bytes = postcard::to_allocvec(&input).expect("message du worker sérialisable");
        let message = js_sys::Array::new();
        message.push(&js_sys::Uint8Array::from(bytes.as_slice()));
        for value in js_value::TABLE.with_borrow_mut(std::mem::take) {
            message.push(&value);
        }
        message.into()
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        // Seule l'enveloppe de gloo-worker (numéro du destinataire, sorte de
        // message) peut encore être illisible ici : un message étranger à
        // gloo-worker. Sans valeur à rendre, on lève une exception JS (le
        // message est ignoré, l'erreur va dans la console) plutôt que de
        // paniquer, ce qui arrêterait le module WebAssembly.
        let unreadable = |detail: &str| -> ! {
            wasm_bindgen::throw_str(&format!("message de worker illisible : {detail}"))
        };
        let Some(message) = input.dyn_ref::<js_sys::Array>() else {
            unreadable("pas un tableau")
        };
        let Some(bytes) = message
            .get(0)
            .dyn_ref::<js_sys::Uint8Array>()
            .map(|b| b.to_vec())
        else {
            unreadable("pas d'octets")
        };
        js_value::TABLE.with_borrow_mut(|table| {
            table.clear();
            table.extend(message.iter().skip(1));
        });
        let decoded = postcard::from_bytes(&bytes);
        js_value::TABLE.with_borrow_mut(Vec::clear);
        decoded.unwrap_or_else(|error| unreadable(&error.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use panier_core::basket::analysis::analyze_baskets;
    use panier_core::demo::{generate_demo_csv, DemoConfig};
    use panier_core::overview::overview;
    use panier_core::pipeline::analyze;
    use panier_core::progress::NoProgress;
    use panier_core::rfm::compute_rfm;
    use panier_core::rfm::stats::rfm_charts;

    #[test]
    fn a_malformed_message_is_read_as_an_error_not_a_panic() {
        use serde::de::value::{Error, StrDeserializer};
        // L'enveloppe de gloo-worker : numéro du destinataire, puis le
        // message, ici une commande inconnue (numéro de variante hors liste).
        let envelope = postcard::to_allocvec(&(3u32, 200u32)).expect("encodable");
        let (id, command): (u32, Wire<WorkerCommand>) =
            postcard::from_bytes(&envelope).expect("l'enveloppe reste lisible");
        assert_eq!(id, 3);
        assert!(command.into_inner().is_err());
        // Une commande inconnue, par son nom.
        let unknown = Wire::<WorkerCommand>::deserialize(StrDeserializer::<Error>::new("Explode"))
            .expect("jamais d'échec");
        let detail = unknown.into_inner().expect_err("commande inconnue");
        assert!(detail.contains("Explode"), "{detail}");
        // Les commandes correctes se lisent toujours.
        let hello = Wire::<WorkerCommand>::deserialize(StrDeserializer::<Error>::new("Hello"))
            .expect("jamais d'échec");
        assert!(matches!(hello.into_inner(), Ok(Command::Hello)));
        // Côté page : un `Hello` sans numéro de version (autre forme, autre
        // version du worker) est une erreur, pas une panique.
        let old = Wire::<WorkerEvent>::deserialize(StrDeserializer::<Error>::new("Hello"))
            .expect("jamais d'échec");
        assert!(old.into_inner().is_err());
        let bytes = postcard::to_allocvec(&Wire::from(WorkerEvent::Hello(2))).expect("encodable");
        let hello: Wire<WorkerEvent> = postcard::from_bytes(&bytes).expect("jamais d'échec");
        assert_eq!(hello.into_inner(), Ok(WorkerEvent::Hello(2)));
        // Un message illisible ne se renvoie pas tel quel : une erreur, pas
        // une panique.
        let unreadable: Wire<WorkerEvent> = postcard::from_bytes(&[250]).expect("jamais d'échec");
        assert!(postcard::to_allocvec(&unreadable).is_err());
    }

    #[test]
    fn a_csv_tail_survives_its_binary_encoding() {
        use panier_core::ingest::split::{read_tail, HEAD_BYTES};
        // La fin d'un CSV lue par le second worker passe d'un worker à l'autre
        // encodée par postcard (dictionnaires compris) : relue, puis
        // réencodée, elle donne les mêmes octets.
        let bytes = generate_demo_csv(&DemoConfig {
            customers: 300,
            ..DemoConfig::default()
        });
        let mid = bytes.len() / 2;
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        let tail = read_tail(head, &bytes[mid..], mid, &Default::default()).expect("fin lisible");
        let encoded = postcard::to_allocvec(&tail).expect("encodable");
        let back: panier_core::ingest::split::CsvTail =
            postcard::from_bytes(&encoded).expect("décodable");
        assert_eq!(postcard::to_allocvec(&back).unwrap(), encoded);
    }

    #[test]
    fn a_whole_analysis_survives_its_binary_encoding() {
        let options = AnalysisOptions::default();
        let bytes = generate_demo_csv(&DemoConfig::default());
        let output = analyze(&bytes, &options, &mut NoProgress).expect("démo lisible");
        let result = AnalysisResult {
            source: SourceInfo {
                name: "demo.csv".into(),
                size_bytes: bytes.len() as u64,
            },
            report: output.report.clone(),
            options: options.clone(),
            timings: vec![StageTiming {
                stage: Stage::Parse,
                ms: 1.5,
            }],
            wasm_memory_bytes: 1 << 20,
            helper_memory_bytes: 0,
            rfm: {
                let result = compute_rfm(&output.clean, &options.rfm);
                RfmOutcome {
                    charts: result.as_ref().ok().map(rfm_charts),
                    result,
                    ms: 2.0,
                }
            },
            baskets: analyze_baskets(&output.clean, &options.basket_request(), &|| 0.0)
                .map(|outcome| outcome.summary),
            overview: overview(&output.clean),
        };
        // postcard remplace ici le codec de la page : le résultat y devient un
        // tampon d'octets, relu à l'identique.
        let event = WorkerEvent::Finished(Box::new(result));
        let bytes = postcard::to_allocvec(&event).expect("encodable");
        let back: WorkerEvent = postcard::from_bytes(&bytes).expect("décodable");
        assert_eq!(back, event);
    }
}
