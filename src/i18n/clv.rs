//! Textes de la valeur client prédite (page de segmentation), en français et
//! en anglais.

use panier_core::Lang;

/// Textes fixes de la valeur client.
pub struct ClvTexts {
    pub title: &'static str,
    pub intro: &'static str,
    pub running: &'static str,
    pub unavailable: &'static str,
    pub horizon: &'static str,
    pub days: &'static str,
    pub expected_orders: &'static str,
    pub value_12: &'static str,
    pub likely_inactive: &'static str,
    pub col_segment: &'static str,
    pub col_customers: &'static str,
    pub col_mean_clv: &'static str,
    pub col_inactive: &'static str,
    pub col_orders: &'static str,
    pub chart_title: &'static str,
    pub chart_caption: &'static str,
    pub check_title: &'static str,
    pub check_lead: &'static str,
    pub check_detail: &'static str,
    pub check_unavailable: &'static str,
    /// Verdict quand le modèle fait mieux que le rythme passé.
    pub verdict_better: &'static str,
    /// Verdict quand il fait moins bien (saisonnalité, le plus souvent).
    pub verdict_worse: &'static str,
    /// Durée de l'horizon dans un en-tête : « {n} j » / « {n} days ».
    pub within: &'static str,
    /// L'horizon saisi est hors bornes.
    pub horizon_invalid: &'static str,
    /// Sous le tableau par segment : comment lire les deux dernières colonnes
    /// (elles semblaient se contredire) et la valeur des clients d'un achat.
    pub segments_note: &'static str,
    pub tip_group: &'static str,
    pub tip_predicted: &'static str,
    pub tip_actual: &'static str,
    pub method: &'static str,
    pub method_fit: &'static str,
    pub method_correlation: &'static str,
    pub computed_in: &'static str,
    pub col_expected: &'static str,
    pub col_value: &'static str,
    pub col_churn: &'static str,
}

static FR: ClvTexts = ClvTexts {
    title: "Valeur client prédite",
    intro:
        "Qui est encore actif, combien de commandes passera-t-il, que vaudra-t-il\u{a0}? Panier \
            apprend le rythme d'achat de vos clients et leur dépense habituelle sur votre \
            historique, puis le prolonge.",
    running: "Calcul de la valeur client…",
    unavailable: "Valeur client indisponible",
    horizon: "Commandes attendues sur",
    days: "jours",
    expected_orders: "Commandes attendues",
    value_12: "Valeur prédite sur 12 mois",
    likely_inactive: "Clients sans commande probable dans l'horizon",
    col_segment: "Segment",
    col_customers: "Clients",
    col_mean_clv: "Valeur moyenne (12 mois)",
    col_inactive: "Sans commande probable",
    col_orders: "Commandes attendues par client",
    chart_title: "Prévu et réel, par habitude d'achat",
    chart_caption: "Panier a appris sur les premiers 80\u{a0}% de vos jours et prévu les \
                    derniers 20\u{a0}%\u{a0}: pour chaque groupe de clients (achats répétés \
                    pendant l'apprentissage), les commandes prévues et réelles par client.",
    check_title: "Ces prévisions auraient-elles été justes\u{a0}?",
    check_lead: "Sur votre historique, Panier se trompe en moyenne de",
    check_detail: "commande par client, contre {naive} en prolongeant simplement le rythme \
                   passé de chaque client, et {none} en ne prévoyant aucun retour.",
    check_unavailable: "La vérification sur votre historique est impossible\u{a0}:",
    verdict_better: "Verdict\u{a0}: le modèle fait mieux que le simple prolongement du rythme \
                     passé\u{a0}; ses prévisions sont utilisables client par client.",
    verdict_worse: "Verdict\u{a0}: le simple prolongement du rythme passé fait un peu mieux sur \
                    vos données (des ventes qui varient avec les saisons, le plus souvent, ce \
                    que le modèle ne voit pas)\u{a0}: lisez ces prévisions comme un ordre de \
                    grandeur et un classement des clients, pas comme un chiffre exact.",
    within: "{n}\u{a0}j",
    horizon_invalid: "Saisissez un nombre de jours entre 1 et 3\u{a0}650.",
    segments_note:
        "«\u{a0}Sans commande probable\u{a0}»\u{a0}: plus d'une chance sur deux de ne passer \
                    aucune commande dans l'horizon. La moyenne des commandes attendues peut \
                    pourtant approcher 1\u{a0}: quelques clients du segment en passeront \
                    plusieurs. Un client qui n'a acheté qu'une fois est valorisé avec la dépense \
                    habituelle de l'ensemble des clients, pas avec son seul achat.",
    tip_group: "achats répétés",
    tip_predicted: "prévu",
    tip_actual: "réel",
    method: "Modèles BG/NBD (Fader, Hardie & Lee 2005) pour les achats et le départ, \
             Gamma-Gamma (Fader & Hardie 2013) pour la dépense par achat, ajustés au maximum \
             de vraisemblance (Nelder–Mead). Un achat par client et par jour, temps en \
             semaines ; valeur sur 12 mois actualisée à 1\u{a0}% par mois. Vérification\u{a0}: \
             apprentissage sur 80\u{a0}% des jours, test sur les 20\u{a0}% suivants, erreur \
             absolue moyenne par client. Risque de départ\u{a0}: probabilité de ne passer aucune \
             commande dans l'horizon (le BG/NBD tient pour actif tout client sans achat \
             répété\u{a0}; ce risque, lui, tient compte du temps écoulé).",
    method_fit: "Paramètres",
    method_correlation:
        "Corrélation fréquence / dépense (hypothèse du Gamma-Gamma, proche de 0 attendu)",
    computed_in: "Calculée en",
    col_expected: "Commandes attendues",
    col_value: "Valeur prédite",
    col_churn: "Risque de départ",
};

static EN: ClvTexts = ClvTexts {
    title: "Predicted customer value",
    intro: "Who is still active, how many orders will they place, what will they be worth? \
            Panier learns your customers' buying rhythm and usual spend from your history, \
            then projects it forward.",
    running: "Computing customer value…",
    unavailable: "Customer value unavailable",
    horizon: "Expected orders over",
    days: "days",
    expected_orders: "Expected orders",
    value_12: "Predicted value over 12 months",
    likely_inactive: "Customers unlikely to order in the horizon",
    col_segment: "Segment",
    col_customers: "Customers",
    col_mean_clv: "Mean value (12 months)",
    col_inactive: "Unlikely to order",
    col_orders: "Expected orders per customer",
    chart_title: "Predicted and actual, by buying habit",
    chart_caption: "Panier learned from the first 80% of your days and predicted the last \
                    20%: for each group of customers (repeat purchases while learning), \
                    predicted and actual orders per customer.",
    check_title: "Would these predictions have been right?",
    check_lead: "On your history, Panier is off by",
    check_detail: "orders per customer on average, against {naive} by simply extending each \
                   customer's past rhythm, and {none} by predicting no return at all.",
    check_unavailable: "The check on your history is not possible:",
    verdict_better: "Verdict: the model beats simply extending the past rhythm; its \
                     predictions can be used customer by customer.",
    verdict_worse: "Verdict: simply extending the past rhythm does slightly better on your \
                    data (sales that vary with the seasons, most often, which the model does \
                    not see): read these predictions as an order of magnitude and a ranking of \
                    customers, not as exact figures.",
    within: "{n} days",
    horizon_invalid: "Enter a number of days between 1 and 3,650.",
    segments_note: "“Unlikely to order”: more than one chance in two of placing no order \
                    within the horizon. The mean of expected orders can still come close to 1: \
                    a few customers of the segment will place several. A customer who bought \
                    only once is valued at the usual spend of all customers, not at that single \
                    purchase.",
    tip_group: "repeat purchases",
    tip_predicted: "predicted",
    tip_actual: "actual",
    method: "BG/NBD model (Fader, Hardie & Lee 2005) for purchases and drop-out, Gamma-Gamma \
             (Fader & Hardie 2013) for spend per purchase, fitted by maximum likelihood \
             (Nelder–Mead). One purchase per customer and day, time in weeks; 12-month value \
             discounted at 1% a month. Check: learn on 80% of the days, test on the next 20%, \
             mean absolute error per customer. Churn risk: probability of placing no order within \
             the horizon (the BG/NBD counts every customer without a repeat purchase as \
             active; this risk accounts for the time elapsed).",
    method_fit: "Parameters",
    method_correlation: "Frequency / spend correlation (Gamma-Gamma assumption, expected near 0)",
    computed_in: "Computed in",
    col_expected: "Expected orders",
    col_value: "Predicted value",
    col_churn: "Churn risk",
};

/// Les textes de la valeur client dans une langue.
pub fn clv_texts(lang: Lang) -> &'static ClvTexts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// L'horizon dans un en-tête : « 90\u{a0}j » / « 90 days ».
pub fn within(lang: Lang, days: u32) -> String {
    clv_texts(lang).within.replace("{n}", &days.to_string())
}
