//! Options d'import : encodage, séparateur, ordre des dates, disposition,
//! et options de nettoyage. Chaque choix est gardé dans l'état ; le bouton
//! « Réanalyser » relance l'analyse du fichier déjà lu.

use leptos::prelude::*;
use panier_core::ingest::dates::DateOrder;
use panier_core::ingest::sniff::EncodingChoice;
use panier_core::ingest::{DecimalChoice, Layout};

use crate::i18n::texts;
use crate::state::{AnalysisStatus, AppState};

/// Une liste déroulante dont les valeurs sont des clés textuelles.
#[component]
fn Choice(
    /// Libellé affiché.
    label: Signal<&'static str>,
    /// Identifiant pour les tests.
    test_id: &'static str,
    /// (clé, libellé) de chaque option.
    choices: Signal<Vec<(&'static str, &'static str)>>,
    /// Clé choisie.
    selected: Signal<&'static str>,
    /// Appelée avec la clé choisie.
    on_pick: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select
                data-testid=test_id
                on:change=move |event| on_pick.run(event_target_value(&event))
            >
                {move || {
                    choices
                        .get()
                        .into_iter()
                        .map(|(key, text)| {
                            view! {
                                <option value=key selected=move || selected.get() == key>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

/// Le panneau des options d'import.
#[component]
pub fn ImportOptionsPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let options = state.options;
    let t = move || texts(lang.get());
    let has_file = move || state.inspection.get().is_some();
    let running = move || matches!(state.analysis.get(), AnalysisStatus::Running { .. });

    let encoding = Signal::derive(move || match options.get().import.encoding {
        EncodingChoice::Auto => "auto",
        EncodingChoice::Utf8 => "utf8",
        EncodingChoice::Windows1252 => "windows1252",
        EncodingChoice::Latin1 => "latin1",
    });
    let delimiter = Signal::derive(move || match options.get().import.delimiter {
        Some(',') => ",",
        Some(';') => ";",
        Some('\t') => "tab",
        Some('|') => "|",
        Some(' ') => "space",
        _ => "auto",
    });
    let decimal = Signal::derive(move || match options.get().import.decimal {
        DecimalChoice::Auto => "auto",
        DecimalChoice::Dot => "dot",
        DecimalChoice::Comma => "comma",
    });
    let date_order = Signal::derive(move || match options.get().import.date_order {
        DateOrder::Auto => "auto",
        DateOrder::DayFirst => "day",
        DateOrder::MonthFirst => "month",
    });
    let layout = Signal::derive(move || match options.get().import.layout {
        Layout::Auto => "auto",
        Layout::Transactions => "transactions",
        Layout::BasketPerLine => "baskets",
    });

    view! {
        <details class="panel options" data-testid="import-options">
            <summary>{move || t().options_title}</summary>
            <div class="fields">
                <Choice
                    label=Signal::derive(move || t().encoding_label)
                    test_id="option-encoding"
                    choices=Signal::derive(move || {
                        vec![
                            ("auto", t().auto),
                            ("utf8", "UTF-8"),
                            ("windows1252", "Windows-1252"),
                            ("latin1", "ISO-8859-1 (Latin-1)"),
                        ]
                    })
                    selected=encoding
                    on_pick=Callback::new(move |key: String| {
                        options
                            .update(|o| {
                                o.import.encoding = match key.as_str() {
                                    "utf8" => EncodingChoice::Utf8,
                                    "windows1252" => EncodingChoice::Windows1252,
                                    "latin1" => EncodingChoice::Latin1,
                                    _ => EncodingChoice::Auto,
                                };
                            })
                    })
                />
                <Choice
                    label=Signal::derive(move || t().delimiter_label)
                    test_id="option-delimiter"
                    choices=Signal::derive(move || {
                        vec![
                            ("auto", t().auto),
                            (",", ","),
                            (";", ";"),
                            ("tab", t().tab),
                            ("|", "|"),
                            ("space", t().spaces),
                        ]
                    })
                    selected=delimiter
                    on_pick=Callback::new(move |key: String| {
                        options
                            .update(|o| {
                                o.import.delimiter = match key.as_str() {
                                    "tab" => Some('\t'),
                                    "space" => Some(' '),
                                    "auto" => None,
                                    other => other.chars().next(),
                                };
                            })
                    })
                />
                <Choice
                    label=Signal::derive(move || t().decimal_label)
                    test_id="option-decimal"
                    choices=Signal::derive(move || {
                        vec![("auto", t().auto), ("dot", t().decimal_dot), ("comma", t().decimal_comma)]
                    })
                    selected=decimal
                    on_pick=Callback::new(move |key: String| {
                        options
                            .update(|o| {
                                o.import.decimal = match key.as_str() {
                                    "dot" => DecimalChoice::Dot,
                                    "comma" => DecimalChoice::Comma,
                                    _ => DecimalChoice::Auto,
                                };
                            })
                    })
                />
                <Choice
                    label=Signal::derive(move || t().date_order_label)
                    test_id="option-date-order"
                    choices=Signal::derive(move || {
                        vec![("auto", t().auto), ("day", t().day_first), ("month", t().month_first)]
                    })
                    selected=date_order
                    on_pick=Callback::new(move |key: String| {
                        options
                            .update(|o| {
                                o.import.date_order = match key.as_str() {
                                    "day" => DateOrder::DayFirst,
                                    "month" => DateOrder::MonthFirst,
                                    _ => DateOrder::Auto,
                                };
                            })
                    })
                />
                <Choice
                    label=Signal::derive(move || t().layout_label)
                    test_id="option-layout"
                    choices=Signal::derive(move || {
                        vec![
                            ("auto", t().auto),
                            ("transactions", t().layout_transactions),
                            ("baskets", t().layout_baskets),
                        ]
                    })
                    selected=layout
                    on_pick=Callback::new(move |key: String| {
                        options
                            .update(|o| {
                                o.import.layout = match key.as_str() {
                                    "transactions" => Layout::Transactions,
                                    "baskets" => Layout::BasketPerLine,
                                    _ => Layout::Auto,
                                };
                                o.import.mapping = None;
                            })
                    })
                />
            </div>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="option-drop-duplicates"
                    prop:checked=move || options.get().cleaning.drop_duplicates
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        options.update(|o| o.cleaning.drop_duplicates = checked);
                    }
                />
                {move || t().drop_duplicates}
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="option-drop-implausible-dates"
                    prop:checked=move || options.get().cleaning.drop_implausible_dates
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        options.update(|o| o.cleaning.drop_implausible_dates = checked);
                    }
                />
                {move || t().drop_implausible_dates}
            </label>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || options.get().cleaning.exclude_service_lines
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        options.update(|o| o.cleaning.exclude_service_lines = checked);
                    }
                />
                {move || t().exclude_service}
            </label>
            <Show when=has_file>
                <button
                    type="button"
                    class="button primary"
                    data-testid="reanalyze"
                    disabled=running
                    on:click=move |_| state.reanalyze()
                >
                    {move || t().reanalyze}
                </button>
            </Show>
        </details>
    }
}
