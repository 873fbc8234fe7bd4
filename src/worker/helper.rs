//! Le second worker : il lit la seconde moitié des gros CSV pendant que le
//! worker d'analyse lit la première (voir `panier_core::ingest::split`).
//!
//! C'est le même programme que le worker d'analyse, chargé avec `?helper`
//! dans son adresse, mais il parle un petit protocole à lui, sans
//! gloo-worker : les grands tableaux de la fin lue (identifiants, quantités,
//! prix : une dizaine de Mo pour Online Retail) passent d'un worker à l'autre
//! **par transfert** (`postMessage` avec liste de transfert), sans les deux
//! copies du clonage structuré.
//!
//! | message | sens | contenu |
//! |---|---|---|
//! | prêt | second → analyse | `{ready}`, une fois sa lecture répétée (code optimisé par le navigateur) |
//! | demande | analyse → second | `{request, file, mid, head, options}` : `mid`, où couper ; `head`, le début du fichier, déjà lu |
//! | fin lue | second → analyse | `{request, tail, ids, numbers, memory}`, tampons transférés ; `tail` vide si la fin n'a pas pu être lue |
//!
//! Le worker d'analyse n'envoie rien avant « prêt ». Si le second worker
//! plante, son événement `error` le dit au worker d'analyse, qui lit alors
//! tout le fichier lui-même : aucune analyse n'attend une réponse qui ne
//! viendra pas.

use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use panier_core::ingest::split::{self, CsvTail};
use panier_core::ingest::ImportOptions;
use panier_core::pipeline::warm_up_demo;
use wasm_bindgen::{JsCast, JsValue};

use super::browser::read_range;
use super::machine::{TailReader, TailRequest, WorkerMessage};
use super::nested::{self, started_as, Nested, News};

/// Marque du second worker dans l'adresse de son chargeur.
const ROLE: &str = "helper";

/// Vrai si ce worker est le second worker.
pub fn is_helper() -> bool {
    started_as(ROLE)
}

/// Côté second worker : répète la lecture d'une fin de fichier (le
/// navigateur en optimise le code), se dit prêt, puis répond aux demandes.
/// Une réponse refusée laisse le worker d'analyse sans réponse : il lira
/// alors le fichier lui-même en voyant l'erreur.
pub fn serve() {
    nested::serve(answer, rehearse);
}

/// Répond à une demande : la réponse (numéro de la demande, fin lue) et
/// les tampons à transférer. `None` si le message n'est pas une demande.
fn answer(message: &JsValue) -> Option<(Object, Array)> {
    let request = Reflect::get(message, &"request".into()).ok()?;
    request.as_f64()?;
    let (reply, transfer) = encode_tail(read_tail(message));
    let _ = Reflect::set(&reply, &"request".into(), &request);
    Some((reply, transfer))
}

/// Lit la seconde moitié du fichier de la demande ; `None` si ce n'est pas
/// un CSV de transactions à lire en deux, ou si la lecture échoue.
fn read_tail(message: &JsValue) -> Option<CsvTail> {
    let field = |name: &str| Reflect::get(message, &name.into()).ok();
    let file: web_sys::File = field("file")?.dyn_into().ok()?;
    let head = field("head")?.dyn_into::<Uint8Array>().ok()?.to_vec();
    let options: ImportOptions = serde_wasm_bindgen::from_value(field("options")?).ok()?;
    let size = file.size() as usize;
    // La coupe décidée par le worker d'analyse (sinon, celle du cœur).
    let mid = match field("mid").and_then(|mid| mid.as_f64()) {
        Some(mid) => mid as usize,
        None => split::split_point(size)?,
    };
    // Un classeur ou une liste de paniers n'a pas de seconde moitié à lire :
    // inutile de lire 20 Mo pour rien.
    if !split::worth_reading_tail(&head, &options) {
        return None;
    }
    let from_mid = read_range(&file, mid, size).ok()?;
    split::read_tail(&head, &from_mid, mid, &options)
}

/// Répète la lecture d'une fin de fichier sur une petite démo, avec son
/// encodage et son décodage, pour que le navigateur en optimise le code avant
/// le vrai fichier.
pub fn rehearse() {
    let bytes = warm_up_demo();
    let mid = bytes.len() / 2;
    for _ in 0..REHEARSALS {
        let tail = split::read_tail(&bytes, &bytes[mid..], mid, &ImportOptions::default());
        let (message, _) = encode_tail(tail);
        let _ = decode_tail(&message);
    }
}

/// Répétitions de la lecture d'une fin de fichier : assez pour que le
/// navigateur optimise chaque fonction qui sert à chaque ligne.
const REHEARSALS: usize = 4;

/// La fin lue, en message : ses grands tableaux dans des tableaux typés à
/// transférer, le reste (dictionnaires, bilans) encodé par postcard.
fn encode_tail(tail: Option<CsvTail>) -> (Object, Array) {
    let message = Object::new();
    let transfer = Array::new();
    let Some(mut tail) = tail else {
        return (message, transfer);
    };
    let (ids, numbers) = tail.take_arrays();
    let Ok(rest) = postcard::to_allocvec(&tail) else {
        return (message, transfer);
    };
    let rest = Uint8Array::from(&rest[..]);
    transfer.push(&rest.buffer());
    let id_arrays: Array = ids
        .iter()
        .map(|ids| {
            let array = Uint32Array::from(&ids[..]);
            transfer.push(&array.buffer());
            array
        })
        .collect();
    let number_arrays: Array = numbers
        .iter()
        .map(|values| {
            let array = Float64Array::from(&values[..]);
            transfer.push(&array.buffer());
            array
        })
        .collect();
    let _ = Reflect::set(&message, &"tail".into(), &rest);
    let _ = Reflect::set(&message, &"ids".into(), &id_arrays);
    let _ = Reflect::set(&message, &"numbers".into(), &number_arrays);
    (message, transfer)
}

/// La fin lue, relue d'un message ; `None` si elle manque ou ne se relit pas
/// (tableaux de mauvaise longueur, identifiants hors dictionnaire) : le
/// fichier est alors relu d'un trait.
fn decode_tail(message: &JsValue) -> Option<CsvTail> {
    let field = |name: &str| Reflect::get(message, &name.into()).ok();
    let rest = field("tail")?.dyn_into::<Uint8Array>().ok()?;
    let mut tail: CsvTail = postcard::from_bytes(&rest.to_vec()).ok()?;
    let ids: Vec<Vec<u32>> = Array::from(&field("ids")?)
        .iter()
        .map(|array| array.dyn_into::<Uint32Array>().map(|a| a.to_vec()))
        .collect::<Result<_, _>>()
        .ok()?;
    let numbers: Vec<Vec<f64>> = Array::from(&field("numbers")?)
        .iter()
        .map(|array| array.dyn_into::<Float64Array>().map(|a| a.to_vec()))
        .collect::<Result<_, _>>()
        .ok()?;
    tail.restore_arrays(ids, numbers).then_some(tail)
}

/// Côté worker d'analyse : le second worker (le lâcher le termine).
pub struct Helper(Nested);

impl Helper {
    /// Lance le second worker ; `on_event` reçoit ce qu'il fait savoir
    /// ([`WorkerMessage::HelperReady`], [`WorkerMessage::TailRead`],
    /// [`WorkerMessage::HelperCrashed`]).
    /// `None` si l'on est soi-même le second worker ou que le navigateur ne
    /// permet pas de lancer un worker depuis un worker.
    pub fn spawn(on_event: impl Fn(WorkerMessage) + 'static) -> Option<Self> {
        if is_helper() {
            return None;
        }
        Nested::spawn(ROLE, move |news, _| match news {
            News::Ready => on_event(WorkerMessage::HelperReady),
            News::Crashed => on_event(WorkerMessage::HelperCrashed),
            News::Reply(data, wasm_memory_bytes) => {
                let Some(request) = Reflect::get(&data, &"request".into())
                    .ok()
                    .and_then(|request| request.as_f64())
                else {
                    return;
                };
                on_event(WorkerMessage::TailRead {
                    request: request as u64,
                    tail: decode_tail(&data).map(Box::new),
                    wasm_memory_bytes,
                });
            }
        })
        .map(Helper)
    }
}

impl TailReader<web_sys::File> for Helper {
    /// Demande la fin du fichier ; le début (au plus [`split::HEAD_BYTES`])
    /// part par transfert.
    fn read_tail(&self, request: TailRequest<'_, web_sys::File>) -> bool {
        let Ok(options) = serde_wasm_bindgen::to_value(request.options) else {
            return false;
        };
        let message = Object::new();
        let head = Uint8Array::from(request.head);
        let _ = Reflect::set(
            &message,
            &"request".into(),
            &(request.request as f64).into(),
        );
        let _ = Reflect::set(&message, &"file".into(), request.file);
        let _ = Reflect::set(&message, &"mid".into(), &(request.mid as f64).into());
        let _ = Reflect::set(&message, &"head".into(), &head);
        let _ = Reflect::set(&message, &"options".into(), &options);
        self.0.post(&message, &Array::of1(&head.buffer()))
    }
}
