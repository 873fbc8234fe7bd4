//! Dates : reconnaître le format d'une colonne, puis la lire.
//!
//! Formats acceptés :
//! - ISO : `2011-12-09`, `2011-12-09 12:50`, `2011-12-09 12:50:00`, `2011-12-09T12:50:00` ;
//! - jour et mois : `12/9/2011 12:50`, `9/12/2011 12:50`, `09-12-2011`, `09.12.2011`,
//!   avec ou sans heure, avec ou sans secondes, avec `AM`/`PM` ;
//! - numéros de série Excel (`40886.5347`) et vraies dates de classeur ;
//! - dates compactes `AAAAMMJJ` (`19970101`, journaux de caisse et de CDNOW),
//!   éventuellement suivies de l'heure `HHMMSS` (`19970101083000`).
//!
//! Jour d'abord ou mois d'abord ? Les données décident : une valeur dont le
//! premier nombre dépasse 12 prouve « jour d'abord », une dont le second
//! dépasse 12 prouve « mois d'abord ». Sans preuve, on suppose « mois
//! d'abord » pour les barres obliques (format américain des exports anglais,
//! comme le fichier UCI) et « jour d'abord » pour les tirets et les points
//! (formats européens), et le rapport dit ce qui a été supposé.
//!
//! Une date est stockée en secondes depuis le 1970-01-01 00:00, sans fuseau
//! horaire : les exports n'en donnent pas, et seules les différences comptent.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Valeur réservée aux dates absentes ou illisibles.
pub const NO_DATE: i64 = i64::MIN;

/// Ordre jour/mois imposé par l'utilisateur, ou laissé aux données.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Les mêmes mots que les options de la CLI et le fichier de réglages.
#[serde(rename_all = "kebab-case")]
pub enum DateOrder {
    /// Décidé d'après les données.
    #[default]
    Auto,
    /// `9/12/2011` = 9 décembre.
    DayFirst,
    /// `12/9/2011` = 9 décembre.
    MonthFirst,
}

/// Ce que la détection a conclu sur la colonne de dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFormat {
    /// Ordre jour/mois retenu pour les dates qui ne commencent pas par l'année.
    pub order: DateOrder,
    /// Vrai si aucune valeur ne permettait de trancher : l'ordre est supposé.
    pub assumed: bool,
    /// Vrai si au moins une valeur a la forme « jour/mois/année » ou
    /// « mois/jour/année » (sinon l'ordre ne joue aucun rôle).
    pub has_day_month: bool,
    /// Exemple de valeur lue, pour le rapport.
    pub example: String,
}

/// Nombres d'une date texte, avant de savoir lequel est le jour.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// Année en tête : année, mois, jour, heure, minute, seconde.
    YearFirst([u32; 6]),
    /// Année en troisième : a, b, année, heure, minute, seconde ; séparateur
    /// de date (`/`, `-` ou `.`).
    DayMonth([u32; 6], u8),
    /// Numéro de série Excel.
    Serial(f64),
}

/// Découpe une date texte en nombres. `None` si ce n'est pas une date.
fn shape(text: &str) -> Option<Shape> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // Date compacte AAAAMMJJ (et HHMMSS) : huit ou quatorze chiffres, année
    // de 1900 à 2199, mois et jour plausibles. Aucun numéro de série Excel
    // n'a plus de sept chiffres avant la virgule.
    if (text.len() == 8 || text.len() == 14) && text.bytes().all(|b| b.is_ascii_digit()) {
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().ok();
        let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
        let (hour, minute, second) = if text.len() == 14 {
            (number(8..10)?, number(10..12)?, number(12..14)?)
        } else {
            (0, 0, 0)
        };
        return ((1900..2200).contains(&year)
            && (1..=12).contains(&month)
            && (1..=31).contains(&day))
        .then_some(Shape::YearFirst([year, month, day, hour, minute, second]));
    }
    // Numéro de série Excel : un nombre seul, plausible (1900 à 9999).
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') && !text.contains("..") {
        let dots = text.bytes().filter(|&b| b == b'.').count();
        if dots <= 1 {
            let value: f64 = text.parse().ok()?;
            // Au-delà de 10 000 (1927) : un petit nombre seul est une quantité,
            // pas une date.
            return (10_000.0..2_958_466.0)
                .contains(&value)
                .then_some(Shape::Serial(value));
        }
    }
    // « pm », « PM » : comparé sans recopier le texte.
    let suffix = text
        .as_bytes()
        .get(text.len().saturating_sub(2)..)
        .unwrap_or_default();
    let pm = suffix.eq_ignore_ascii_case(b"PM");
    let am = suffix.eq_ignore_ascii_case(b"AM");
    let body = if pm || am {
        &text[..text.len() - 2]
    } else {
        text
    };
    let body = body.trim().trim_end_matches('Z');

    let mut numbers = [0u32; 6];
    let mut count = 0;
    let mut digits = 0;
    let mut first_len = 0;
    let mut date_separator = 0u8;
    for byte in body.bytes() {
        match byte {
            b'0'..=b'9' => {
                if count >= 6 {
                    return None;
                }
                numbers[count] = numbers[count]
                    .checked_mul(10)?
                    .checked_add(u32::from(byte - b'0'))?;
                digits += 1;
            }
            b'-' | b'/' | b'.' | b' ' | b'T' | b':' => {
                if digits == 0 {
                    // Deux séparateurs de suite : seul « date  heure » est admis.
                    if byte == b' ' {
                        continue;
                    }
                    return None;
                }
                if count == 0 {
                    first_len = digits;
                    date_separator = byte;
                }
                // Fractions de seconde : on s'arrête aux secondes.
                if count == 5 && byte == b'.' {
                    count += 1;
                    digits = 0;
                    break;
                }
                count += 1;
                digits = 0;
            }
            _ => return None,
        }
    }
    if digits > 0 {
        if count == 0 {
            first_len = digits;
        }
        count += 1;
    }
    if count < 3 {
        return None;
    }
    if pm || am {
        let hour = &mut numbers[3];
        if *hour > 12 || count < 5 {
            return None;
        }
        if pm && *hour < 12 {
            *hour += 12;
        } else if am && *hour == 12 {
            *hour = 0;
        }
    }
    if first_len == 4 {
        Some(Shape::YearFirst(numbers))
    } else if first_len <= 2 && matches!(date_separator, b'/' | b'-' | b'.') {
        let year = &mut numbers[2];
        // Années sur deux chiffres : 00–69 → 2000–2069, 70–99 → 1970–1999.
        if *year < 100 {
            *year += if *year < 70 { 2000 } else { 1900 };
        }
        Some(Shape::DayMonth(numbers, date_separator))
    } else {
        None
    }
}

/// Construit la date ; `None` si elle n'existe pas au calendrier.
pub(crate) fn timestamp(
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = date.and_hms_opt(hour, minute, second)?;
    Some(time.and_utc().timestamp())
}

/// Convertit un numéro de série Excel (système 1900) en secondes, à la
/// seconde près (les classeurs stockent 08:26 comme 0,3513888…).
pub fn excel_serial_to_timestamp(serial: f64) -> Option<i64> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // 25 569 jours séparent le 30/12/1899 du 01/01/1970.
    let seconds = ((serial - 25_569.0) * 86_400.0).round();
    Some(seconds as i64)
}

/// Détecte le format d'après toutes les valeurs distinctes de la colonne.
pub fn detect<'a>(values: impl IntoIterator<Item = &'a str>, forced: DateOrder) -> DateFormat {
    let mut day_first_proof = false;
    let mut month_first_proof = false;
    let mut has_day_month = false;
    let mut slash = false;
    let mut example = String::new();
    for value in values {
        let Some(shape) = shape(value) else { continue };
        // Une valeur illisible dans les deux ordres (32/13/2010) ne prouve rien
        // et ne sert pas d'exemple.
        if let Shape::DayMonth([a, b, y, ..], _) = shape {
            if timestamp(y, a, b, 0, 0, 0).is_none() && timestamp(y, b, a, 0, 0, 0).is_none() {
                continue;
            }
        }
        if example.is_empty() {
            example = value.trim().to_string();
        }
        if let Shape::DayMonth(numbers, separator) = shape {
            has_day_month = true;
            slash |= separator == b'/';
            day_first_proof |= numbers[0] > 12 && numbers[1] <= 12;
            month_first_proof |= numbers[1] > 12 && numbers[0] <= 12;
        }
    }
    let (order, assumed) = match forced {
        DateOrder::DayFirst | DateOrder::MonthFirst => (forced, false),
        DateOrder::Auto => match (day_first_proof, month_first_proof) {
            (true, false) => (DateOrder::DayFirst, false),
            (false, true) => (DateOrder::MonthFirst, false),
            // Sans preuve (ou avec des preuves contradictoires), la convention
            // du séparateur décide ; le rapport le signale.
            _ if slash => (DateOrder::MonthFirst, has_day_month),
            _ => (DateOrder::DayFirst, has_day_month),
        },
    };
    DateFormat {
        order,
        assumed,
        has_day_month,
        example,
    }
}

/// Lit une date selon le format détecté ; `None` si illisible.
pub fn parse(text: &str, format: &DateFormat) -> Option<i64> {
    match shape(text)? {
        Shape::YearFirst([y, m, d, h, min, s]) => timestamp(y, m, d, h, min, s),
        Shape::DayMonth([a, b, y, h, min, s], _) => match format.order {
            DateOrder::MonthFirst => timestamp(y, a, b, h, min, s),
            _ => timestamp(y, b, a, h, min, s),
        },
        Shape::Serial(serial) => excel_serial_to_timestamp(serial),
    }
}

/// Date lisible (`2011-12-09 12:50:00`) d'un horodatage interne.
pub fn format_timestamp(timestamp: i64) -> String {
    if timestamp == NO_DATE {
        return String::new();
    }
    stamp(timestamp, Precision::Second).unwrap_or_default()
}

/// Jusqu'où écrire une date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// `AAAA-MM-JJ`.
    Day,
    /// `AAAA-MM-JJ HH:MM`.
    Minute,
    /// `AAAA-MM-JJ HH:MM:SS`.
    Second,
}

/// Écrit un horodatage (secondes depuis 1970, UTC) exactement comme les
/// formats `%Y-%m-%d[ %H:%M[:%S]]` de chrono, sans sa machine de formats
/// (≈ 11 Ko de WebAssembly, et plus lente) : l'année sur quatre chiffres,
/// hors de 0–9999 avec son signe et au moins quatre chiffres. `None` : hors
/// du calendrier de chrono.
pub fn stamp(timestamp: i64, precision: Precision) -> Option<String> {
    use chrono::{Datelike, Timelike};
    use std::fmt::Write;
    let at = chrono::DateTime::from_timestamp(timestamp, 0)?.naive_utc();
    let year = at.year();
    let mut out = if (0..10_000).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    };
    // L'écriture dans une String ne peut pas échouer.
    let _ = write!(out, "-{:02}-{:02}", at.month(), at.day());
    let _ = match precision {
        Precision::Day => Ok(()),
        Precision::Minute => write!(out, " {:02}:{:02}", at.hour(), at.minute()),
        Precision::Second => write!(
            out,
            " {:02}:{:02}:{:02}",
            at.hour(),
            at.minute(),
            at.second()
        ),
    };
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, s)
            .unwrap()
            .and_utc()
            .timestamp()
    }

    proptest::proptest! {
        /// Mêmes textes que les formats de chrono, années négatives ou à
        /// plus de quatre chiffres comprises.
        #[test]
        fn stamps_are_written_as_chrono_writes_them(
            timestamp in proptest::prop_oneof![
                -8_000_000_000_000_000i64..8_000_000_000_000_000,
                -100_000_000_000i64..300_000_000_000,
                0i64..4_000_000_000,
            ]
        ) {
            let expected = chrono::DateTime::from_timestamp(timestamp, 0).map(|at| at.naive_utc());
            for (precision, format) in [
                (Precision::Day, "%Y-%m-%d"),
                (Precision::Minute, "%Y-%m-%d %H:%M"),
                (Precision::Second, "%Y-%m-%d %H:%M:%S"),
            ] {
                proptest::prop_assert_eq!(
                    stamp(timestamp, precision),
                    expected.map(|at| at.format(format).to_string())
                );
            }
        }
    }

    #[test]
    fn stamps_at_the_edges_of_four_digit_years() {
        for (y, text) in [
            (1, "0001-01-01"),
            (9999, "9999-01-01"),
            (10_000, "+10000-01-01"),
            (-1, "-0001-01-01"),
        ] {
            let at = NaiveDate::from_ymd_opt(y, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc()
                .timestamp();
            assert_eq!(stamp(at, Precision::Day).as_deref(), Some(text));
        }
        assert_eq!(format_timestamp(NO_DATE), "");
    }

    fn auto(values: &[&str]) -> DateFormat {
        detect(values.iter().copied(), DateOrder::Auto)
    }

    #[test]
    fn iso_dates_with_or_without_time() {
        let format = auto(&["2011-12-09 12:50:00"]);
        assert!(!format.has_day_month);
        assert_eq!(
            parse("2011-12-09 12:50:00", &format),
            Some(at(2011, 12, 9, 12, 50, 0))
        );
        assert_eq!(
            parse("2011-12-09T12:50:07", &format),
            Some(at(2011, 12, 9, 12, 50, 7))
        );
        assert_eq!(
            parse("2011-12-09 12:50", &format),
            Some(at(2011, 12, 9, 12, 50, 0))
        );
        assert_eq!(parse("2011-12-09", &format), Some(at(2011, 12, 9, 0, 0, 0)));
        assert_eq!(parse("2011/12/09", &format), Some(at(2011, 12, 9, 0, 0, 0)));
        assert_eq!(
            parse("2011-12-09 12:50:07.250", &format),
            Some(at(2011, 12, 9, 12, 50, 7))
        );
    }

    #[test]
    fn compact_dates_are_year_month_day() {
        let format = auto(&["19970101", "19971231"]);
        assert!(!format.has_day_month);
        assert_eq!(parse("19970101", &format), Some(at(1997, 1, 1, 0, 0, 0)));
        assert_eq!(
            parse("20111209125007", &format),
            Some(at(2011, 12, 9, 12, 50, 7))
        );
        // Ni mois 13, ni jour 32, ni année 0042, ni nombre de neuf chiffres.
        for value in ["19971301", "19970132", "00420101", "199701011"] {
            assert_eq!(parse(value, &format), None, "{value}");
        }
        // Un numéro de série Excel reste un numéro de série.
        assert_eq!(
            parse("40886.5", &auto(&["40886.5"])),
            Some(at(2011, 12, 9, 12, 0, 0))
        );
    }

    #[test]
    fn month_first_is_proven_by_a_second_field_above_twelve() {
        let format = auto(&["12/1/2010 8:26", "12/13/2010 9:00"]);
        assert_eq!(format.order, DateOrder::MonthFirst);
        assert!(!format.assumed);
        assert_eq!(
            parse("12/1/2010 8:26", &format),
            Some(at(2010, 12, 1, 8, 26, 0))
        );
    }

    #[test]
    fn day_first_is_proven_by_a_first_field_above_twelve() {
        let format = auto(&["01/02/2011 10:00", "25/12/2011 10:00"]);
        assert_eq!(format.order, DateOrder::DayFirst);
        assert!(!format.assumed);
        assert_eq!(
            parse("01/02/2011 10:00", &format),
            Some(at(2011, 2, 1, 10, 0, 0))
        );
    }

    #[test]
    fn without_proof_the_separator_convention_is_assumed_and_said() {
        let slash = auto(&["01/02/2011"]);
        assert_eq!((slash.order, slash.assumed), (DateOrder::MonthFirst, true));
        let dot = auto(&["01.02.2011"]);
        assert_eq!((dot.order, dot.assumed), (DateOrder::DayFirst, true));
        assert_eq!(parse("01.02.2011", &dot), Some(at(2011, 2, 1, 0, 0, 0)));
        let dash = auto(&["09-12-2011 14:05"]);
        assert_eq!(
            parse("09-12-2011 14:05", &dash),
            Some(at(2011, 12, 9, 14, 5, 0))
        );
    }

    #[test]
    fn the_user_can_force_the_order() {
        let forced = detect(["25/12/2011"], DateOrder::MonthFirst);
        assert_eq!(forced.order, DateOrder::MonthFirst);
        assert!(!forced.assumed);
        // 25e mois : illisible, et non pas deviné.
        assert_eq!(parse("25/12/2011", &forced), None);
    }

    #[test]
    fn am_pm_and_two_digit_years() {
        let format = auto(&["12/1/10 8:26 PM"]);
        assert_eq!(
            parse("12/1/10 8:26 PM", &format),
            Some(at(2010, 12, 1, 20, 26, 0))
        );
        assert_eq!(
            parse("12/1/10 12:05 AM", &format),
            Some(at(2010, 12, 1, 0, 5, 0))
        );
    }

    #[test]
    fn excel_serials_are_read_to_the_second() {
        let format = auto(&["40513.35138888889"]);
        assert_eq!(
            parse("40513.35138888889", &format),
            Some(at(2010, 12, 1, 8, 26, 0))
        );
        assert_eq!(
            excel_serial_to_timestamp(40886.5347222222),
            Some(at(2011, 12, 9, 12, 50, 0))
        );
        assert_eq!(excel_serial_to_timestamp(-3.0), None);
    }

    #[test]
    fn garbage_is_not_a_date() {
        let format = auto(&[]);
        for text in [
            "",
            "abc",
            "12",
            "2011-13-45",
            "31/02/2011",
            "1/2",
            "12:30",
            "--",
            "9999999999/1/1",
        ] {
            assert_eq!(parse(text, &format), None, "{text}");
        }
    }

    #[test]
    fn timestamps_format_back_to_iso() {
        assert_eq!(
            format_timestamp(at(2011, 12, 9, 12, 50, 0)),
            "2011-12-09 12:50:00"
        );
        assert_eq!(format_timestamp(NO_DATE), "");
    }
}
