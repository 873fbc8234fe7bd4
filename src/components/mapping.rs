//! Étape de correspondance : une liste par rôle, l'aperçu des premières
//! lignes, et la feuille du classeur quand il y en a plusieurs.

use leptos::prelude::*;
use panier_core::ingest::roles::Role;
use panier_core::ingest::sniff::TextEncoding;
use panier_core::ingest::SourceFormat;

use crate::i18n::{role_label, texts};
use crate::state::{AnalysisStatus, AppState};

/// Description courte du format reconnu (« CSV, UTF-8, séparateur ; »).
fn describe_format(format: &SourceFormat) -> String {
    match format {
        SourceFormat::Csv {
            encoding,
            delimiter,
        } => {
            let delimiter = match *delimiter {
                '\t' => "⇥".to_string(),
                ' ' => "␣".to_string(),
                other => other.to_string(),
            };
            let encoding = match encoding {
                TextEncoding::Utf8 => "UTF-8",
                TextEncoding::Utf8Bom => "UTF-8 (BOM)",
                TextEncoding::Utf8Lossy => "UTF-8 (!)",
                TextEncoding::Windows1252 => "Windows-1252",
                TextEncoding::Latin1 => "ISO-8859-1",
                TextEncoding::Utf16Le => "UTF-16 LE",
                TextEncoding::Utf16Be => "UTF-16 BE",
            };
            format!("CSV · {encoding} · «\u{a0}{delimiter}\u{a0}»")
        }
        SourceFormat::Xlsx { sheet, .. } => format!("XLSX · {sheet}"),
        SourceFormat::BasketPerLine => "CSV · 1 panier / ligne".into(),
    }
}

/// Le panneau de correspondance des colonnes.
#[component]
pub fn ColumnMappingPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let t = move || texts(lang.get());
    let running = move || matches!(state.analysis.get(), AnalysisStatus::Running { .. });
    // Ouvert d'office quand l'analyse a échoué (colonne manquante…).
    let failed = move || matches!(state.analysis.get(), AnalysisStatus::Failed(_));

    move || {
        let inspection = state.inspection.get()?;
        let headers = inspection.headers.clone();
        let sheets = match &inspection.format {
            SourceFormat::Xlsx { sheets, sheet } if sheets.len() > 1 => {
                Some((sheets.clone(), sheet.clone()))
            }
            _ => None,
        };
        let role_rows = Role::MAPPABLE
            .into_iter()
            .map(|role| {
                let headers = headers.clone();
                let detected = inspection.mapping;
                let current = detected.position(role);
                view! {
                    <tr>
                        <th scope="row">
                            {move || role_label(lang.get(), role)}
                            <span class="muted small">
                                " · "
                                {move || if role.is_required() { t().required } else { t().optional }}
                            </span>
                        </th>
                        <td>
                            <select
                                data-testid=format!("mapping-{}", role.key())
                                aria-label=move || role_label(lang.get(), role)
                                on:change=move |event| {
                                    let column = event_target_value(&event).parse::<usize>().ok();
                                    let mut mapping = state
                                        .options
                                        .get_untracked()
                                        .import
                                        .mapping
                                        .unwrap_or(detected);
                                    mapping.assign(role, column);
                                    // La correspondance choisie à la main remplace
                                    // les colonnes nommées (réglages importés).
                                    state.options.update(|o| {
                                        o.import.mapping = Some(mapping);
                                        o.import.columns.clear();
                                    });
                                }
                            >
                                <option value="" selected=current.is_none()>
                                    {move || t().no_column}
                                </option>
                                {headers
                                    .iter()
                                    .enumerate()
                                    .map(|(index, header)| {
                                        view! {
                                            <option value=index.to_string() selected=current == Some(index)>
                                                {format!("{} · {}", index + 1, header)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let preview_head = headers
            .iter()
            .map(|header| view! { <th>{header.clone()}</th> })
            .collect_view();
        let preview_rows = inspection
            .preview
            .iter()
            .map(|row| {
                let cells = row
                    .iter()
                    .map(|cell| view! { <td>{cell.clone()}</td> })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <details class="panel mapping" data-testid="mapping-panel" open=failed>
                <summary>
                    {move || t().mapping_title} " — "
                    <span class="muted" data-testid="import-format">{describe_format(&inspection.format)}</span>
                </summary>
                <p class="muted small">{move || t().mapping_intro}</p>
                {sheets
                    .map(|(sheets, current)| {
                        view! {
                            <label class="field">
                                <span>{move || t().sheet_label}</span>
                                <select
                                    data-testid="sheet"
                                    on:change=move |event| {
                                        let sheet = event_target_value(&event);
                                        state
                                            .options
                                            .update(|o| {
                                                o.import.sheet = Some(sheet);
                                                o.import.mapping = None;
                                            });
                                    }
                                >
                                    {sheets
                                        .into_iter()
                                        .map(|sheet| {
                                            let selected = sheet == current;
                                            view! {
                                                <option value=sheet.clone() selected=selected>
                                                    {sheet.clone()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                        }
                    })}
                <table class="roles">
                    <tbody>{role_rows}</tbody>
                </table>
                <button
                    type="button"
                    class="button primary"
                    data-testid="apply-mapping"
                    disabled=running
                    on:click=move |_| state.reanalyze()
                >
                    {move || t().reanalyze}
                </button>
                <h2>{move || t().preview_title}</h2>
                <div class="table-scroll" tabindex="0">
                    <table class="preview" data-testid="preview">
                        <thead>
                            <tr>{preview_head}</tr>
                        </thead>
                        <tbody>{preview_rows}</tbody>
                    </table>
                </div>
            </details>
        })
    }
}
