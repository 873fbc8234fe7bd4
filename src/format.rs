//! Mise en forme des nombres selon la langue : « 541 909 » en français,
//! « 541,909 » en anglais.

use panier_core::Lang;

/// Espace fine insécable : séparateur de milliers en français.
const THIN_NBSP: char = '\u{202f}';

/// Entier avec séparateur de milliers.
pub fn count(lang: Lang, value: u64) -> String {
    group_digits(&value.to_string(), thousands_separator(lang))
}

/// Montant à deux décimales, sans symbole monétaire (la devise de l'export
/// n'est pas connue).
pub fn amount(lang: Lang, value: f64) -> String {
    let text = format!("{:.2}", value.abs());
    let (integer, decimals) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if value < 0.0 { "-" } else { "" };
    let decimal_mark = match lang {
        Lang::Fr => ',',
        Lang::En => '.',
    };
    format!(
        "{sign}{}{decimal_mark}{decimals}",
        group_digits(integer, thousands_separator(lang))
    )
}

/// Durée en millisecondes, lisible.
pub fn duration_ms(lang: Lang, ms: f64) -> String {
    if ms >= 1000.0 {
        let seconds = format!("{:.2}", ms / 1000.0);
        match lang {
            Lang::Fr => format!("{} s", seconds.replace('.', ",")),
            Lang::En => format!("{seconds} s"),
        }
    } else {
        format!("{} ms", ms.round())
    }
}

/// Taille de fichier en Mo / MB.
pub fn megabytes(lang: Lang, bytes: u64) -> String {
    let value = format!("{:.1}", bytes as f64 / 1_000_000.0);
    match lang {
        Lang::Fr => format!("{} Mo", value.replace('.', ",")),
        Lang::En => format!("{value} MB"),
    }
}

/// Nombre à `digits` décimales, avec la marque décimale de la langue.
pub fn decimal(lang: Lang, value: f64, digits: usize) -> String {
    let text = format!("{value:.digits$}");
    match lang {
        Lang::Fr => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Part (0 à 1) en pourcentage à une décimale : « 27,6 % » / « 27.6% ».
pub fn percent(lang: Lang, fraction: f64) -> String {
    let value = decimal(lang, fraction * 100.0, 1);
    match lang {
        Lang::Fr => format!("{value}\u{a0}%"),
        Lang::En => format!("{value}%"),
    }
}

fn thousands_separator(lang: Lang) -> char {
    match lang {
        Lang::Fr => THIN_NBSP,
        Lang::En => ',',
    }
}

fn group_digits(digits: &str, separator: char) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_per_language() {
        assert_eq!(count(Lang::En, 541_909), "541,909");
        assert_eq!(count(Lang::Fr, 541_909), "541\u{202f}909");
        assert_eq!(count(Lang::En, 12), "12");
        assert_eq!(count(Lang::En, 1_000_000), "1,000,000");
    }

    #[test]
    fn amounts_use_the_language_decimal_mark() {
        assert_eq!(amount(Lang::En, 8_911_407.904), "8,911,407.90");
        assert_eq!(
            amount(Lang::Fr, 8_911_407.904),
            "8\u{202f}911\u{202f}407,90"
        );
        assert_eq!(amount(Lang::En, -3.5), "-3.50");
    }

    #[test]
    fn percents_follow_the_language() {
        assert_eq!(percent(Lang::En, 0.2757), "27.6%");
        assert_eq!(percent(Lang::Fr, 0.2757), "27,6\u{a0}%");
    }
}
