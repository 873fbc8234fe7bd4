//! Cible `ingest` : des octets quelconques donnés à l'import et au pipeline.
//!
//! Le pipeline ne doit jamais paniquer (dans le navigateur, une panique tue
//! le worker sans explication) et toute erreur doit avoir un message dans les
//! deux langues.

#![no_main]

use libfuzzer_sys::fuzz_target;
use panier_core::ingest::{inspect, Layout};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::{Lang, PanierError};

/// Un message d'erreur est toujours dit, en français comme en anglais.
fn check(error: &PanierError) {
    assert!(!error.message(Lang::Fr).is_empty(), "{error:?}");
    assert!(!error.message(Lang::En).is_empty(), "{error:?}");
}

fuzz_target!(|data: &[u8]| {
    let detected = AnalysisOptions::default();
    let mut baskets = AnalysisOptions::default();
    baskets.import.layout = Layout::BasketPerLine;
    for options in [&detected, &baskets] {
        if let Err(error) = analyze(data, options, &mut NoProgress) {
            check(&error);
        }
    }
    if let Err(error) = inspect(data, &detected.import) {
        check(&error);
    }
});
