//! Cible `ingest` : des octets quelconques donnés à l'import et au pipeline.
//!
//! Le pipeline ne doit jamais paniquer (dans le navigateur, une panique tue
//! le worker sans explication) et toute erreur doit avoir un message dans les
//! deux langues, pour l'application comme pour la ligne de commande.
//!
//! Outre les options par défaut et la liste de paniers, le premier octet
//! choisit un jeu d'options non par défaut (séparateur « espaces » ou `;`,
//! virgule ou point décimal imposé, paniers « client + jour », une colonne
//! pour deux rôles de texte, dates invraisemblables retirées) : les chemins
//! du ticket 15 sont ainsi parcourus eux aussi.

#![no_main]

use libfuzzer_sys::fuzz_target;
use panier_core::ingest::roles::{ColumnMapping, Role};
use panier_core::ingest::{inspect, DecimalChoice, Layout};
use panier_core::pipeline::{analyze, AnalysisOptions};
use panier_core::progress::NoProgress;
use panier_core::{Lang, PanierError, Surface};

/// Un message d'erreur est toujours dit, en français comme en anglais, dans
/// l'application comme en ligne de commande.
fn check(error: &PanierError) {
    for lang in [Lang::Fr, Lang::En] {
        assert!(!error.message(lang).is_empty(), "{error:?}");
        assert!(!error.message_for(lang, Surface::Cli).is_empty(), "{error:?}");
    }
}

/// Options non par défaut choisies par un octet.
fn chosen(selector: u8) -> AnalysisOptions {
    let mut options = AnalysisOptions::default();
    match selector % 6 {
        0 => options.import.delimiter = Some(' '),
        1 => {
            options.import.delimiter = Some(';');
            options.import.decimal = DecimalChoice::Comma;
        }
        2 => options.import.decimal = DecimalChoice::Dot,
        3 => {
            // Client et date, sans facture : paniers « un client, un jour ».
            let mut mapping = ColumnMapping::default();
            mapping.set(Role::Customer, Some(0));
            mapping.set(Role::InvoiceDate, Some(1));
            mapping.set(Role::Description, Some(2));
            mapping.set(Role::Amount, Some(3));
            options.import.mapping = Some(mapping);
        }
        4 => {
            // Une colonne pour le client et le panier.
            let mut mapping = ColumnMapping::default();
            mapping.set(Role::Customer, Some(0));
            mapping.set(Role::Invoice, Some(0));
            mapping.set(Role::Description, Some(1));
            options.import.mapping = Some(mapping);
        }
        _ => {
            options.cleaning.drop_implausible_dates = true;
            options.cleaning.today = Some(1_764_720_000);
        }
    }
    options
}

fuzz_target!(|data: &[u8]| {
    let detected = AnalysisOptions::default();
    let mut baskets = AnalysisOptions::default();
    baskets.import.layout = Layout::BasketPerLine;
    let other = chosen(data.first().copied().unwrap_or(0));
    for options in [&detected, &baskets, &other] {
        if let Err(error) = analyze(data, options, &mut NoProgress) {
            check(&error);
        }
    }
    for import in [&detected.import, &other.import] {
        if let Err(error) = inspect(data, import) {
            check(&error);
        }
    }
});
