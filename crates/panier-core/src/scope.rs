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
    clean.free_visits.retain(|visit| visit.country == id);
    table.retain_rows(&keep);
    retain_by_mask(&mut clean.total_price, &keep);
    retain_by_mask(&mut clean.is_service_line, &keep);
    Ok(name)
}

/// Bornes d'une période choisie par jours : du premier instant du jour de
/// `from` au premier instant du lendemain du jour de `to`, exclu. Le dernier
/// jour compte donc **en entier** (« du 1ᵉʳ juin au 31 août » garde le 31
/// août jusqu'à 23 h 59), quelle que soit l'heure portée par `to`.
///
/// C'est la seule règle de période de Panier : filtre global, périmètre des
/// paniers, CLI (`--from`, `--to`) et page.
pub fn day_bounds(from: Option<i64>, to: Option<i64>) -> (Option<i64>, Option<i64>) {
    let day = crate::rfm::DAY_SECONDS;
    (
        from.map(|f| f.div_euclid(day) * day),
        to.map(|t| (t.div_euclid(day) + 1) * day),
    )
}

/// Vrai si `date` tombe dans la période `from`..=`to` (jours entiers, voir
/// [`day_bounds`]) ; bornes facultatives.
pub fn in_days(date: i64, from: Option<i64>, to: Option<i64>) -> bool {
    let (start, end) = day_bounds(from, to);
    start.is_none_or(|s| date >= s) && end.is_none_or(|e| date < e)
}

/// Ne garde que les lignes datées du jour `from` au jour `to` compris
/// (bornes facultatives, voir [`day_bounds`]). Une période vide est une
/// erreur qui dit quoi faire.
pub fn filter_period(
    clean: &mut CleanTable,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<(), PanierError> {
    let table = &mut clean.table;
    let (start, end) = day_bounds(from, to);
    let keep: Vec<bool> = table
        .invoice_date
        .iter()
        .map(|&d| {
            d != crate::ingest::dates::NO_DATE
                && start.is_none_or(|s| d >= s)
                && end.is_none_or(|e| d < e)
        })
        .collect();
    if !keep.iter().any(|&k| k) {
        return Err(PanierError::EmptyPeriod);
    }
    clean.free_visits.retain(|visit| {
        start.is_none_or(|s| visit.date >= s) && end.is_none_or(|e| visit.date < e)
    });
    table.retain_rows(&keep);
    retain_by_mask(&mut clean.total_price, &keep);
    retain_by_mask(&mut clean.is_service_line, &keep);
    Ok(())
}
