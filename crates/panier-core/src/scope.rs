//! Périmètre d'analyse, le filtre global que toutes les vues suivent :
//! restreindre les données nettoyées à un pays et à une période.

use crate::clean::CleanTable;
use crate::error::PanierError;
use crate::table::retain_by_mask;

/// Ne garde que les lignes du pays demandé (casse et espaces ignorés).
///
/// Renvoie le nom du pays tel qu'il figure dans les données.
pub fn filter_country(clean: &mut CleanTable, requested: &str) -> Result<String, PanierError> {
    let wanted = requested.trim().to_lowercase();
    let table = &mut clean.table;
    let Some((id, name)) = table
        .countries
        .values()
        .enumerate()
        .find(|(_, name)| name.to_lowercase() == wanted)
        .map(|(id, name)| (id as u32, name.to_string()))
    else {
        let mut available: Vec<String> = table
            .countries
            .values()
            .filter(|name| !name.is_empty())
            .map(str::to_string)
            .collect();
        available.sort();
        return Err(PanierError::UnknownCountry {
            requested: requested.to_string(),
            available,
        });
    };
    let keep: Vec<bool> = table.country.iter().map(|&c| c == id).collect();
    table.retain_rows(&keep);
    retain_by_mask(&mut clean.total_price, &keep);
    retain_by_mask(&mut clean.is_service_line, &keep);
    Ok(name)
}

/// Ne garde que les lignes datées de `[from, to[` (bornes facultatives).
/// Une période vide est une erreur qui dit quoi faire.
pub fn filter_period(
    clean: &mut CleanTable,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<(), PanierError> {
    let table = &mut clean.table;
    let keep: Vec<bool> = table
        .invoice_date
        .iter()
        .map(|&d| {
            d != crate::ingest::dates::NO_DATE
                && from.is_none_or(|f| d >= f)
                && to.is_none_or(|t| d < t)
        })
        .collect();
    if !keep.iter().any(|&k| k) {
        return Err(PanierError::EmptyPeriod);
    }
    table.retain_rows(&keep);
    retain_by_mask(&mut clean.total_price, &keep);
    retain_by_mask(&mut clean.is_service_line, &keep);
    Ok(())
}
