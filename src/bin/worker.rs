//! Point d'entrée du Web Worker d'analyse (construit par Trunk avec
//! `data-type="worker"`).

use gloo_worker::Registrable;
use panier_web::worker::analysis_worker::AnalysisWorker;
use panier_web::worker::protocol::JsCodec;

fn main() {
    console_error_panic_hook::set_once();
    AnalysisWorker::registrar().encoding::<JsCodec>().register();
}
