//! Point d'entrée du Web Worker d'analyse (construit par Trunk avec
//! `data-type="worker"`).

use gloo_worker::Registrable;
use panier_web::worker::analysis_worker::{install_panic_hook, AnalysisWorker};
use panier_web::worker::protocol::JsCodec;
use panier_web::worker::{helper, miner};

fn main() {
    install_panic_hook();
    // Le même programme sert de second worker (voir `worker::helper`) et de
    // worker des paniers (voir `worker::miner`).
    if helper::is_helper() {
        helper::serve();
    } else if miner::is_miner() {
        miner::serve();
    } else {
        AnalysisWorker::registrar().encoding::<JsCodec>().register();
    }
}
