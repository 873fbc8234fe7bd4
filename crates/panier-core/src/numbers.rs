//! Les nombres, les montants et les mois comme un lecteur les écrit, dans
//! sa langue : « 1 234,5 », « 2,5× », « 1 234,50 € », « déc. 2010 » en
//! français ; « 1,234.5 », « 2.5× », « €1,234.50 », « Dec 2010 » en anglais.
//!
//! Un seul module pour l'interface, les graphiques et les phrases du cœur :
//! la même valeur s'écrit partout de la même façon. (Les fichiers exportés,
//! eux, gardent les nombres bruts de la référence : voir [`crate::export`].)

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Espace fine insécable : séparateur de milliers en français (et avant
/// « % » ou « € »).
pub const THIN_NBSP: char = '\u{202f}';

/// La devise des montants du fichier. Un export ne la dit presque jamais :
/// elle se devine du pays des clients quand il n'y a pas de doute
/// ([`Currency::guess`]), sinon l'utilisateur la choisit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Currency {
    /// Euro.
    Eur,
    /// Livre sterling.
    Gbp,
    /// Dollar américain.
    Usd,
    /// Franc suisse.
    Chf,
    /// Dollar canadien.
    Cad,
    /// Dollar australien.
    Aud,
    /// Yen.
    Jpy,
    /// Couronne suédoise.
    Sek,
    /// Couronne danoise.
    Dkk,
    /// Couronne norvégienne.
    Nok,
    /// Złoty.
    Pln,
}

impl Currency {
    /// Toutes, dans l'ordre du choix proposé.
    pub const ALL: [Currency; 11] = [
        Currency::Eur,
        Currency::Gbp,
        Currency::Usd,
        Currency::Chf,
        Currency::Cad,
        Currency::Aud,
        Currency::Jpy,
        Currency::Sek,
        Currency::Dkk,
        Currency::Nok,
        Currency::Pln,
    ];

    /// Code ISO 4217 (`EUR`…).
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Usd => "USD",
            Currency::Chf => "CHF",
            Currency::Cad => "CAD",
            Currency::Aud => "AUD",
            Currency::Jpy => "JPY",
            Currency::Sek => "SEK",
            Currency::Dkk => "DKK",
            Currency::Nok => "NOK",
            Currency::Pln => "PLN",
        }
    }

    /// Symbole dans cette langue : « $ » en anglais, « $ US » en français
    /// (où « $ » seul serait ambigu) ; le code pour les couronnes et le
    /// franc suisse.
    pub fn symbol(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Currency::Eur, _) => "€",
            (Currency::Gbp, _) => "£",
            (Currency::Usd, Lang::En) => "$",
            (Currency::Usd, Lang::Fr) => "$\u{a0}US",
            (Currency::Cad, Lang::En) => "CA$",
            (Currency::Cad, Lang::Fr) => "$\u{a0}CA",
            (Currency::Aud, Lang::En) => "A$",
            (Currency::Aud, Lang::Fr) => "$\u{a0}AU",
            (Currency::Jpy, _) => "¥",
            (Currency::Chf, _) => "CHF",
            (Currency::Sek, _) => "SEK",
            (Currency::Dkk, _) => "DKK",
            (Currency::Nok, _) => "NOK",
            (Currency::Pln, _) => "PLN",
        }
    }

    /// Décimales usuelles (aucune pour le yen).
    pub fn decimals(self) -> usize {
        match self {
            Currency::Jpy => 0,
            _ => 2,
        }
    }

    /// La devise d'un pays, par son nom tel qu'on le trouve dans les
    /// exports (anglais ou français).
    pub fn of_country(country: &str) -> Option<Currency> {
        let name = country.trim().to_lowercase();
        const EURO: [&str; 40] = [
            "france",
            "germany",
            "allemagne",
            "spain",
            "espagne",
            "italy",
            "italie",
            "portugal",
            "netherlands",
            "pays-bas",
            "belgium",
            "belgique",
            "austria",
            "autriche",
            "ireland",
            "eire",
            "irlande",
            "finland",
            "finlande",
            "greece",
            "grèce",
            "luxembourg",
            "slovakia",
            "slovaquie",
            "slovenia",
            "slovénie",
            "estonia",
            "estonie",
            "latvia",
            "lettonie",
            "lithuania",
            "lituanie",
            "malta",
            "malte",
            "cyprus",
            "chypre",
            "croatia",
            "croatie",
            "monaco",
            "andorra",
        ];
        if EURO.contains(&name.as_str()) {
            return Some(Currency::Eur);
        }
        Some(match name.as_str() {
            "united kingdom"
            | "uk"
            | "royaume-uni"
            | "england"
            | "angleterre"
            | "scotland"
            | "écosse"
            | "wales"
            | "pays de galles"
            | "northern ireland"
            | "channel islands"
            | "îles anglo-normandes" => Currency::Gbp,
            "usa" | "united states" | "united states of america" | "us" | "états-unis" => {
                Currency::Usd
            }
            "switzerland" | "suisse" => Currency::Chf,
            "canada" => Currency::Cad,
            "australia" | "australie" => Currency::Aud,
            "japan" | "japon" => Currency::Jpy,
            "sweden" | "suède" => Currency::Sek,
            "denmark" | "danemark" => Currency::Dkk,
            "norway" | "norvège" => Currency::Nok,
            "poland" | "pologne" => Currency::Pln,
            _ => return None,
        })
    }

    /// La devise des montants, devinée des pays (nom, lignes) : celle du pays
    /// qui a au moins 80 % des lignes, s'il en a une connue. Sinon (pas de
    /// colonne pays, pays inconnu, ventes partagées), `None` : l'interface
    /// demande.
    pub fn guess<'a>(countries: impl IntoIterator<Item = (&'a str, u64)>) -> Option<Currency> {
        let mut total = 0u64;
        let mut best: Option<(&str, u64)> = None;
        for (name, rows) in countries {
            total += rows;
            if !name.trim().is_empty() && best.is_none_or(|(_, most)| rows > most) {
                best = Some((name, rows));
            }
        }
        let (name, rows) = best?;
        if (rows as f64) < 0.8 * total as f64 {
            return None;
        }
        Currency::of_country(name)
    }
}

fn thousands_separator(lang: Lang) -> char {
    match lang {
        Lang::Fr => THIN_NBSP,
        Lang::En => ',',
    }
}

fn decimal_mark(lang: Lang) -> char {
    match lang {
        Lang::Fr => ',',
        Lang::En => '.',
    }
}

/// Groupe les chiffres d'un entier écrit en base 10 par trois.
fn group_digits(digits: &str, separator: char) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// Entier avec séparateur de milliers : « 541 909 » / « 541,909 ».
pub fn count(lang: Lang, value: u64) -> String {
    group_digits(&value.to_string(), thousands_separator(lang))
}

/// Nombre à `digits` décimales, milliers groupés, marque décimale de la
/// langue : « 1 234,5 » / « 1,234.5 ». Pas de « -0 ».
pub fn decimal(lang: Lang, value: f64, digits: usize) -> String {
    if !value.is_finite() {
        return if value.is_nan() {
            "—".into()
        } else if value > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let text = format!("{:.digits$}", value.abs());
    let (integer, decimals) = match text.split_once('.') {
        Some((integer, decimals)) => (integer, Some(decimals)),
        None => (text.as_str(), None),
    };
    let negative = value < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(integer, thousands_separator(lang)));
    if let Some(decimals) = decimals {
        out.push(decimal_mark(lang));
        out.push_str(decimals);
    }
    out
}

/// Montant à deux décimales sans devise (devise inconnue).
pub fn amount(lang: Lang, value: f64) -> String {
    decimal(lang, value, 2)
}

/// Montant avec sa devise, placée comme dans la langue : « 1 234,50 € »,
/// « €1,234.50 », « -€3.50 », « 1 234,50 CHF », « CHF 1,234.50 ». Sans
/// devise connue : le nombre seul.
pub fn money(lang: Lang, value: f64, currency: Option<Currency>) -> String {
    match currency {
        Some(currency) => with_symbol(
            lang,
            &decimal(lang, value, currency.decimals()),
            currency.symbol(lang),
        ),
        None => amount(lang, value),
    }
}

/// Montant arrondi pour un axe ou une étiquette courte : « 1,6 M€ » /
/// « €1.6M », « 250 k£ » / « £250k ».
pub fn money_short(lang: Lang, value: f64, currency: Option<Currency>) -> String {
    let number = short(lang, value);
    match currency {
        Some(currency) => with_symbol(lang, &number, currency.symbol(lang)),
        None => number,
    }
}

/// Un nombre déjà écrit (« -1 234,50 », « 1,6 M ») et le symbole de sa
/// devise, placés comme dans la langue : après en français, l'unité collée
/// au symbole (« 1,6 M€ ») ; avant en anglais, après le signe (« -£3.50 »),
/// séparé par une espace si c'est un code (« CHF 1,234.50 »).
fn with_symbol(lang: Lang, number: &str, symbol: &str) -> String {
    match lang {
        Lang::Fr => match number.strip_suffix(['k', 'M', 'G']) {
            Some(value) => format!(
                "{}\u{a0}{}{symbol}",
                value.trim_end(),
                &number[value.len()..]
            ),
            None => format!("{number}\u{a0}{symbol}"),
        },
        Lang::En => {
            let (sign, number) = match number.strip_prefix('-') {
                Some(positive) => ("-", positive),
                None => ("", number),
            };
            let gap = if symbol.chars().all(|c| c.is_ascii_uppercase()) {
                "\u{a0}"
            } else {
                ""
            };
            format!("{sign}{symbol}{gap}{number}")
        }
    }
}

/// Nombre court pour un axe : « 1,6 M » / « 1.6M », « 10 k » / « 10k »,
/// « 950 », « 2,5 » / « 2.5 ».
pub fn short(lang: Lang, value: f64) -> String {
    let magnitude = value.abs();
    let (scaled, unit) = if magnitude >= 1e9 {
        (value / 1e9, "G")
    } else if magnitude >= 1e6 {
        (value / 1e6, "M")
    } else if magnitude >= 1e4 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    // Une décimale au plus, seulement si elle compte.
    let whole = (unit.is_empty() && magnitude >= 100.0) || (scaled * 10.0).round() % 10.0 == 0.0;
    let digits = if whole { 0 } else { 1 };
    let number = decimal(lang, scaled, digits);
    match (unit, lang) {
        ("", _) => number,
        (unit, Lang::Fr) => format!("{number}\u{a0}{unit}"),
        (unit, Lang::En) => format!("{number}{unit}"),
    }
}

/// Part (0 à 1) en pourcentage à une décimale : « 27,6 % » / « 27.6% ».
pub fn percent(lang: Lang, fraction: f64) -> String {
    percent_with(lang, fraction, 1)
}

/// Part (0 à 1) en pourcentage à `decimals` décimales : « 33 % » / « 33% ».
pub fn percent_with(lang: Lang, fraction: f64, decimals: usize) -> String {
    let value = decimal(lang, fraction * 100.0, decimals);
    match lang {
        Lang::Fr => format!("{value}\u{a0}%"),
        Lang::En => format!("{value}%"),
    }
}

/// Deux-points typographiques : « mois\u{a0}: » en français (espace
/// insécable avant), « month: » en anglais.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{a0}:",
        Lang::En => ":",
    }
}

/// Un rapport « combien de fois » à une décimale : « 2,5× » / « 2.5× ».
pub fn times(lang: Lang, ratio: f64) -> String {
    format!("{}×", decimal(lang, ratio, 1))
}

/// Le mot au singulier ou au pluriel selon `n` (en français, 0 et 1 sont au
/// singulier ; en anglais, seul 1).
pub fn plural<'a>(lang: Lang, n: u64, one: &'a str, many: &'a str) -> &'a str {
    match (lang, n) {
        (Lang::Fr, 0 | 1) | (Lang::En, 1) => one,
        _ => many,
    }
}

/// « 3 commandes », « 1 order » : le nombre groupé et le mot accordé.
pub fn counted(lang: Lang, n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(lang, n), plural(lang, n, one, many))
}

/// Un mois (1 à 12) d'une année : « déc. 2010 » / « Dec 2010 ».
pub fn month(lang: Lang, year: i32, month: u32) -> String {
    const FR: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    const EN: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let index = (month.clamp(1, 12) - 1) as usize;
    let name = match lang {
        Lang::Fr => FR[index],
        Lang::En => EN[index],
    };
    format!("{name}\u{a0}{year}")
}

/// L'étiquette d'un mois « AAAA-MM » sur un axe : le mois seul (« déc.,
/// janv., févr. ») — « janv. 2011 » entre « déc. » et « févr. » débordait
/// sur ses voisins d'un axe serré ; les graphiques écrivent l'année sur une
/// seconde ligne, sous le premier mois et sous chaque janvier, et
/// l'étendue des mois est dite dans la légende ([`month_span`]).
pub fn month_tick(lang: Lang, key: &str) -> String {
    let label = month_label(lang, key);
    label.split('\u{a0}').next().unwrap_or_default().to_string()
}

/// L'étendue de mois « AAAA-MM » à « AAAA-MM » en mots : « déc. 2010 –
/// déc. 2011 » (un seul mois : ce mois).
pub fn month_span(lang: Lang, first: &str, last: &str) -> String {
    if first == last {
        month_label(lang, first)
    } else {
        format!("{} – {}", month_label(lang, first), month_label(lang, last))
    }
}

/// Un mois écrit « AAAA-MM » (comme dans la vue d'ensemble) en mots ; le
/// texte tel quel s'il n'a pas cette forme.
pub fn month_label(lang: Lang, key: &str) -> String {
    let parsed = key
        .split_once('-')
        .and_then(|(year, month)| Some((year.parse::<i32>().ok()?, month.parse::<u32>().ok()?)));
    match parsed {
        Some((year, number)) if (1..=12).contains(&number) => month(lang, year, number),
        _ => key.to_string(),
    }
}

/// Le jour d'un instant écrit « AAAA-MM-JJ » ou « AAAA-MM-JJ hh:mm:ss » en mots :
/// « 9 déc. 2011 » / « Dec 9, 2011 » (l'heure n'est pas dite) ; le texte tel
/// quel s'il n'a pas cette forme.
pub fn day_label(lang: Lang, stamp: &str) -> String {
    let day = stamp.get(8..10).and_then(|d| d.parse::<u32>().ok());
    match (day, stamp.get(..7)) {
        (Some(day), Some(key)) if month_label(lang, key) != key => {
            let label = month_label(lang, key);
            match lang {
                Lang::Fr => format!("{day}\u{a0}{label}"),
                Lang::En => {
                    let (name, year) = label.split_once('\u{a0}').unwrap_or((&label, ""));
                    format!("{name}\u{a0}{day}, {year}")
                }
            }
        }
        _ => stamp.to_string(),
    }
}

/// Un instant « AAAA-MM-JJ hh:mm:ss » en mots : le jour ([`day_label`]),
/// puis l'heure « hh:mm » si elle n'est pas minuit (un fichier sans heures
/// n'en affiche pas).
pub fn moment_label(lang: Lang, stamp: &str) -> String {
    let day = day_label(lang, stamp);
    match stamp.get(11..16) {
        Some(time) if time != "00:00" && day != stamp => format!("{day}, {time}"),
        _ => day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_decimals_are_grouped_per_language() {
        assert_eq!(count(Lang::En, 541_909), "541,909");
        assert_eq!(count(Lang::Fr, 541_909), "541\u{202f}909");
        assert_eq!(count(Lang::En, 12), "12");
        assert_eq!(count(Lang::En, 1_000_000), "1,000,000");
        assert_eq!(decimal(Lang::Fr, 1234.5, 1), "1\u{202f}234,5");
        assert_eq!(decimal(Lang::En, 1234.5, 1), "1,234.5");
        assert_eq!(decimal(Lang::En, -0.04, 1), "0.0");
        assert_eq!(decimal(Lang::En, -1234.56, 1), "-1,234.6");
        assert_eq!(decimal(Lang::En, f64::INFINITY, 1), "∞");
    }

    #[test]
    fn money_follows_the_language_and_the_currency() {
        let eur = Some(Currency::Eur);
        let gbp = Some(Currency::Gbp);
        assert_eq!(money(Lang::Fr, 1234.5, eur), "1\u{202f}234,50\u{a0}€");
        assert_eq!(money(Lang::En, 1234.5, eur), "€1,234.50");
        assert_eq!(money(Lang::En, -3.5, gbp), "-£3.50");
        assert_eq!(money(Lang::Fr, -3.5, gbp), "-3,50\u{a0}£");
        assert_eq!(
            money(Lang::En, 1234.5, Some(Currency::Chf)),
            "CHF\u{a0}1,234.50"
        );
        assert_eq!(
            money(Lang::Fr, 1234.5, Some(Currency::Chf)),
            "1\u{202f}234,50\u{a0}CHF"
        );
        assert_eq!(money(Lang::En, 1234.4, Some(Currency::Jpy)), "¥1,234");
        assert_eq!(
            money(Lang::Fr, 10.0, Some(Currency::Usd)),
            "10,00\u{a0}$\u{a0}US"
        );
        assert_eq!(money(Lang::En, 8_911_407.904, None), "8,911,407.90");
    }

    #[test]
    fn short_numbers_for_axes() {
        assert_eq!(short(Lang::En, 1_600_000.0), "1.6M");
        assert_eq!(short(Lang::Fr, 1_600_000.0), "1,6\u{a0}M");
        assert_eq!(short(Lang::En, 10_000.0), "10k");
        assert_eq!(short(Lang::Fr, 10_000.0), "10\u{a0}k");
        assert_eq!(short(Lang::En, 950.0), "950");
        assert_eq!(short(Lang::Fr, 2.26), "2,3");
        assert_eq!(short(Lang::En, 2.0), "2");
        assert_eq!(
            money_short(Lang::Fr, 1_600_000.0, Some(Currency::Eur)),
            "1,6\u{a0}M€"
        );
        assert_eq!(
            money_short(Lang::En, 1_600_000.0, Some(Currency::Gbp)),
            "£1.6M"
        );
        assert_eq!(
            money_short(Lang::Fr, 250.0, Some(Currency::Gbp)),
            "250\u{a0}£"
        );
    }

    #[test]
    fn words_agree_and_months_read_as_words() {
        assert_eq!(counted(Lang::Fr, 1, "jour", "jours"), "1 jour");
        assert_eq!(counted(Lang::Fr, 0, "jour", "jours"), "0 jour");
        assert_eq!(counted(Lang::En, 0, "day", "days"), "0 days");
        assert_eq!(counted(Lang::En, 1, "day", "days"), "1 day");
        assert_eq!(counted(Lang::En, 1200, "day", "days"), "1,200 days");
        assert_eq!(times(Lang::Fr, 2.54), "2,5×");
        assert_eq!(times(Lang::En, 2.54), "2.5×");
        assert_eq!(month_label(Lang::Fr, "2010-12"), "déc.\u{a0}2010");
        assert_eq!(month_label(Lang::En, "2011-01"), "Jan\u{a0}2011");
        assert_eq!(month_label(Lang::En, "bad"), "bad");
        assert_eq!(month_tick(Lang::Fr, "2011-03"), "mars");
        assert_eq!(month_tick(Lang::En, "2011-01"), "Jan");
        assert_eq!(
            month_span(Lang::Fr, "2010-12", "2011-12"),
            "déc.\u{a0}2010 – déc.\u{a0}2011"
        );
    }

    #[test]
    fn the_currency_is_guessed_only_without_doubt() {
        // Online Retail : 91 % des lignes au Royaume-Uni.
        assert_eq!(
            Currency::guess([
                ("United Kingdom", 495_478),
                ("Germany", 9_495),
                ("France", 8_557)
            ]),
            Some(Currency::Gbp)
        );
        assert_eq!(
            Currency::guess([("France", 90), ("Belgium", 10)]),
            Some(Currency::Eur)
        );
        // Ventes partagées, pays inconnu, pas de pays : on ne devine pas.
        assert_eq!(Currency::guess([("France", 60), ("USA", 40)]), None);
        assert_eq!(Currency::guess([("Atlantis", 100)]), None);
        assert_eq!(Currency::guess([("", 100)]), None);
        assert_eq!(Currency::guess(std::iter::empty()), None);
        assert_eq!(Currency::of_country("Channel Islands"), Some(Currency::Gbp));
        assert_eq!(Currency::of_country("EIRE"), Some(Currency::Eur));
    }

    #[test]
    fn days_are_written_in_words_without_the_time() {
        assert_eq!(
            day_label(Lang::Fr, "2011-12-09 12:50:00"),
            "9\u{a0}déc.\u{a0}2011"
        );
        assert_eq!(
            day_label(Lang::En, "2011-12-09 12:50:00"),
            "Dec\u{a0}9, 2011"
        );
        assert_eq!(day_label(Lang::En, "1997-01-01"), "Jan\u{a0}1, 1997");
        assert_eq!(day_label(Lang::Fr, "n/a"), "n/a");
        assert_eq!(
            moment_label(Lang::Fr, "2011-12-09 12:50:00"),
            "9\u{a0}déc.\u{a0}2011, 12:50"
        );
        assert_eq!(
            moment_label(Lang::En, "1997-01-01 00:00:00"),
            "Jan\u{a0}1, 1997"
        );
    }
}
