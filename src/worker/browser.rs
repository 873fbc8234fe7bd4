//! Ce que les workers demandent au navigateur : lire un `File` (aussi en
//! [`FileSource`] pour l'automate du worker d'analyse), l'horloge, la
//! taille de leur mémoire.

use js_sys::Uint8Array;
use panier_core::progress::{NoProgress, ProgressSink, Stage};
use panier_core::PanierError;
use wasm_bindgen::{JsCast, JsValue};

use super::machine::FileSource;

/// Lit les octets `start..end` d'un `File` (en une fois, avec
/// `FileReaderSync`, disponible dans les workers seulement).
pub fn read_range(file: &web_sys::File, start: usize, end: usize) -> Result<Vec<u8>, PanierError> {
    let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
    Ok(read_slice(&reader, file, start, end)?.to_vec())
}

/// Les octets `start..end` d'un `File`, dans un tableau JS.
fn read_slice(
    reader: &web_sys::FileReaderSync,
    file: &web_sys::File,
    start: usize,
    end: usize,
) -> Result<Uint8Array, PanierError> {
    let chunk = file
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(unreadable)?;
    let buffer = reader.read_as_array_buffer(&chunk).map_err(unreadable)?;
    Ok(Uint8Array::new(&buffer))
}

/// Taille des morceaux lus dans le `File` : assez gros pour être rapide,
/// assez petit pour que la barre de progression avance sur un gros fichier et
/// que le navigateur n'ait pas à tenir tout le fichier en double.
const READ_CHUNK_BYTES: usize = 64 * 1024 * 1024;

/// Lit les `end` premiers octets du `File` par morceaux, dans un tampon qui a
/// déjà la place du fichier entier : la fin s'y ajoutera sans recopier le
/// début ([`read_rest`]).
pub fn read_prefix(
    file: &web_sys::File,
    end: usize,
    progress: &mut dyn ProgressSink,
) -> Result<Vec<u8>, PanierError> {
    progress.stage_started(Stage::Read);
    let mut bytes = Vec::with_capacity((web_sys::Blob::size(file) as usize).max(end));
    append_until(file, &mut bytes, end, progress)?;
    Ok(bytes)
}

/// Complète `bytes`, le début du fichier, jusqu'à sa fin.
pub fn read_rest(file: &web_sys::File, bytes: &mut Vec<u8>) -> Result<(), PanierError> {
    append_until(
        file,
        bytes,
        web_sys::Blob::size(file) as usize,
        &mut NoProgress,
    )
}

/// Ajoute à `bytes`, les premiers octets du `File`, la suite jusqu'à `end`,
/// par morceaux copiés directement à leur place.
fn append_until(
    file: &web_sys::File,
    bytes: &mut Vec<u8>,
    end: usize,
    progress: &mut dyn ProgressSink,
) -> Result<(), PanierError> {
    let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
    while bytes.len() < end {
        let start = bytes.len();
        let view = read_slice(&reader, file, start, end.min(start + READ_CHUNK_BYTES))?;
        let read = view.length() as usize;
        if read == 0 {
            // Fichier raccourci entre-temps : on s'arrête à ce qui existe.
            break;
        }
        bytes.resize(start + read, 0);
        view.copy_to(&mut bytes[start..]);
        progress.advanced(Stage::Read, bytes.len() as f64 / end.max(1) as f64);
    }
    Ok(())
}

/// Le `File` choisi par l'utilisateur, tel que le lit le worker d'analyse.
impl FileSource for web_sys::File {
    fn name(&self) -> String {
        web_sys::File::name(self)
    }

    fn size(&self) -> usize {
        web_sys::Blob::size(self) as usize
    }

    fn read_range(&self, start: usize, end: usize) -> Result<Vec<u8>, PanierError> {
        read_range(self, start, end)
    }

    fn read_prefix(
        &self,
        end: usize,
        progress: &mut dyn ProgressSink,
    ) -> Result<Vec<u8>, PanierError> {
        read_prefix(self, end, progress)
    }

    fn read_rest(&self, bytes: &mut Vec<u8>) -> Result<(), PanierError> {
        read_rest(self, bytes)
    }
}

/// Traduit une erreur du navigateur (lecture refusée, fichier disparu…).
pub fn unreadable(error: JsValue) -> PanierError {
    let detail = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "erreur du navigateur".into());
    PanierError::Unreadable { detail }
}

/// Taille de la mémoire linéaire WebAssembly du worker.
pub fn wasm_memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|memory| memory.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0, |buffer| u64::from(buffer.byte_length()))
}

/// Horloge du worker (`performance.now()`), en millisecondes.
pub fn now_ms() -> f64 {
    js_sys::global()
        .dyn_into::<web_sys::WorkerGlobalScope>()
        .ok()
        .and_then(|scope| scope.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Vrai quand la page a une origine opaque (iframe « sandbox » sans
/// `allow-same-origin`) : le navigateur y refuse de créer un worker.
pub fn opaque_origin() -> bool {
    web_sys::window().is_some_and(|window| window.origin() == "null")
}

/// Appelle `then` dans `delay_ms` millisecondes (côté page).
pub fn after_ms(delay_ms: i32, then: impl FnOnce() + 'static) {
    let callback = wasm_bindgen::closure::Closure::once_into_js(then);
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            delay_ms,
        );
    }
}

/// Global où un worker lit l'adresse de l'application (posé par
/// [`spawn_worker`]).
const BASE_GLOBAL: &str = "PANIER_BASE";
/// Global où un worker lit son rôle (`""` : le worker d'analyse).
const ROLE_GLOBAL: &str = "PANIER_ROLE";

/// L'adresse du dossier de l'application (`https://hôte/sous/chemin/`) :
/// celle de la page, ou, dans un worker, celle que son créateur lui a
/// donnée. `None` si elle est introuvable.
pub fn app_base() -> Option<String> {
    if let Some(window) = web_sys::window() {
        let href = window.location().href().ok()?;
        return web_sys::Url::new_with_base("./", &href)
            .ok()
            .map(|url| url.href());
    }
    js_sys::Reflect::get(&js_sys::global(), &BASE_GLOBAL.into())
        .ok()?
        .as_string()
}

/// Le rôle de ce worker (`""` : le worker d'analyse).
pub fn worker_role() -> String {
    js_sys::Reflect::get(&js_sys::global(), &ROLE_GLOBAL.into())
        .ok()
        .and_then(|role| role.as_string())
        .unwrap_or_default()
}

/// Lance un worker du programme des workers dans le rôle `role`, **depuis
/// une adresse `blob:`** : un tel worker hérite de la politique de sécurité
/// de son créateur (la page, ou le worker qui le lance), dont `connect-src
/// 'self'` — il ne peut rien envoyer à un autre hôte. Un worker chargé
/// depuis un fichier n'aurait que celle des en-têtes HTTP de ce fichier, et
/// GitHub Pages n'en pose pas. Le code est chargé depuis `base` (adresse
/// absolue : une adresse `blob:` n'a pas de dossier) ; le rôle est aussi
/// dans la requête du script (`worker.js?helper`), ce qui permet aux bancs
/// d'essai de refuser un rôle.
pub fn spawn_worker(base: &str, role: &str) -> Option<web_sys::Worker> {
    web_sys::Worker::new(&worker_script_url(base, role)?).ok()
}

/// L'adresse `blob:` du script de démarrage de [`spawn_worker`] : pose
/// l'adresse de l'application et le rôle, puis charge le code et le module
/// WebAssembly depuis `base`.
pub fn worker_script_url(base: &str, role: &str) -> Option<String> {
    let script = if role.is_empty() {
        format!("{base}worker.js")
    } else {
        format!("{base}worker.js?{role}")
    };
    // Chaînes JavaScript sûres (guillemets, barres obliques inverses).
    let quote = |text: &str| {
        js_sys::JSON::stringify(&JsValue::from_str(text))
            .ok()
            .and_then(|quoted| quoted.as_string())
            .unwrap_or_default()
    };
    let source = format!(
        "self.{BASE_GLOBAL} = {}; self.{ROLE_GLOBAL} = {}; importScripts({}); \
         wasm_bindgen({{ module_or_path: {} }});",
        quote(base),
        quote(role),
        quote(&script),
        quote(&format!("{base}worker_bg.wasm")),
    );
    let parts = js_sys::Array::of1(&source.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
