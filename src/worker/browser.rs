//! Ce que les workers demandent au navigateur : lire un `File`, l'horloge,
//! la taille de leur mémoire.

use js_sys::Uint8Array;
use panier_core::progress::{ProgressSink, Stage};
use panier_core::PanierError;
use wasm_bindgen::{JsCast, JsValue};

/// Lit les octets `start..end` d'un `File` (en une fois, avec
/// `FileReaderSync`, disponible dans les workers seulement).
pub fn read_range(file: &web_sys::File, start: usize, end: usize) -> Result<Vec<u8>, PanierError> {
    let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
    let chunk = file
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(unreadable)?;
    let buffer = reader.read_as_array_buffer(&chunk).map_err(unreadable)?;
    Ok(Uint8Array::new(&buffer).to_vec())
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
    let reader = web_sys::FileReaderSync::new().map_err(unreadable)?;
    let mut bytes = Vec::with_capacity((file.size() as usize).max(end));
    while bytes.len() < end {
        let start = bytes.len();
        let stop = end.min(start + READ_CHUNK_BYTES);
        let chunk = file
            .slice_with_f64_and_f64(start as f64, stop as f64)
            .map_err(unreadable)?;
        let buffer = reader.read_as_array_buffer(&chunk).map_err(unreadable)?;
        let view = Uint8Array::new(&buffer);
        let read = view.length() as usize;
        if read == 0 {
            // Fichier raccourci entre-temps : on s'arrête à ce qui existe.
            break;
        }
        bytes.resize(start + read, 0);
        view.copy_to(&mut bytes[start..]);
        progress.advanced(Stage::Read, bytes.len() as f64 / end.max(1) as f64);
    }
    Ok(bytes)
}

/// Complète `bytes`, le début du fichier, jusqu'à sa fin.
pub fn read_rest(file: &web_sys::File, bytes: &mut Vec<u8>) -> Result<(), PanierError> {
    let size = file.size() as usize;
    if bytes.len() < size {
        let rest = read_range(file, bytes.len(), size)?;
        bytes.extend_from_slice(&rest);
    }
    Ok(())
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
