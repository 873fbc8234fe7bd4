//! Textes de la vue d'ensemble (indicateurs, graphiques, filtre global), en
//! français et en anglais.

use panier_core::Lang;

/// Textes fixes de la vue d'ensemble.
pub struct OverviewTexts {
    pub filter_title: &'static str,
    pub filter_country: &'static str,
    pub all_countries: &'static str,
    pub filter_from: &'static str,
    pub filter_to: &'static str,
    pub filter_apply: &'static str,
    pub filter_clear: &'static str,
    pub filter_hint: &'static str,
    pub filter_reversed: &'static str,
    pub filter_busy: &'static str,
    pub filter_kept: &'static str,
    pub kpi_aov: &'static str,
    pub currency_label: &'static str,
    pub partial_months: &'static str,
    pub incomplete_month: &'static str,
    pub currency_auto: &'static str,
    pub currency_unknown: &'static str,
    pub kpi_items_per_order: &'static str,
    pub kpi_returning: &'static str,
    pub monthly_revenue: &'static str,
    pub new_vs_returning: &'static str,
    pub new_customers: &'static str,
    pub returning_customers: &'static str,
    pub top_countries: &'static str,
    pub top_products: &'static str,
    pub col_name: &'static str,
    pub col_revenue: &'static str,
    pub col_orders: &'static str,
    pub col_units: &'static str,
}

const FR: OverviewTexts = OverviewTexts {
    filter_title: "Filtre global",
    filter_country: "Pays",
    all_countries: "Tous les pays",
    filter_from: "Du",
    filter_to: "au",
    filter_apply: "Appliquer",
    filter_clear: "Tout afficher",
    filter_hint: "Toutes les vues (segmentation, paniers, recommandations) suivent ce filtre.",
    filter_reversed:
        "La date de début est après la date de fin : inversez-les pour appliquer le filtre.",
    filter_busy: "Application du filtre…",
    filter_kept: "Les chiffres affichés sont toujours ceux du filtre précédent.",
    kpi_aov: "Panier moyen",
    currency_label: "Devise des montants",
    incomplete_month: " (mois incomplet)",
    partial_months:
        "En clair\u{a0}: mois incomplet (le fichier commence ou s'arrête en cours de mois).",
    currency_auto: "Automatique",
    currency_unknown: "non reconnue d'après les pays",
    kpi_items_per_order: "Produits par commande",
    kpi_returning: "Clients revenus",
    monthly_revenue: "Chiffre d'affaires par mois",
    new_vs_returning: "Clients nouveaux et revenus, par mois",
    new_customers: "nouveaux",
    returning_customers: "revenus",
    top_countries: "Les 10 premiers pays",
    top_products: "Les 10 premiers produits",
    col_name: "Nom",
    col_revenue: "Chiffre d'affaires",
    col_orders: "Commandes",
    col_units: "Unités",
};

const EN: OverviewTexts = OverviewTexts {
    filter_title: "Global filter",
    filter_country: "Country",
    all_countries: "All countries",
    filter_from: "From",
    filter_to: "to",
    filter_apply: "Apply",
    filter_clear: "Show everything",
    filter_hint: "Every view (segmentation, baskets, recommendations) follows this filter.",
    filter_reversed: "The start date is after the end date: swap them to apply the filter.",
    filter_busy: "Applying the filter…",
    filter_kept: "The figures shown are still those of the previous filter.",
    kpi_aov: "Average order value",
    currency_label: "Currency of amounts",
    incomplete_month: " (incomplete month)",
    partial_months: "Lighter bars: incomplete month (the file starts or ends mid-month).",
    currency_auto: "Automatic",
    currency_unknown: "not recognised from the countries",
    kpi_items_per_order: "Products per order",
    kpi_returning: "Returning customers",
    monthly_revenue: "Revenue by month",
    new_vs_returning: "New and returning customers by month",
    new_customers: "new",
    returning_customers: "returning",
    top_countries: "Top 10 countries",
    top_products: "Top 10 products",
    col_name: "Name",
    col_revenue: "Revenue",
    col_orders: "Orders",
    col_units: "Units",
};

/// Les textes de la vue d'ensemble dans la langue demandée.
pub fn overview_texts(lang: Lang) -> &'static OverviewTexts {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}
