//! Éditeur de la grille R × FM : une case par combinaison de scores, un nom
//! de segment par case, choisi dans la liste ou tapé.

use leptos::prelude::*;
use panier_core::rfm::segments::{segment_label, DefaultSegment, SegmentGrid};
use panier_core::Lang;

use crate::i18n::segmentation::segmentation_texts;
use crate::state::AppState;

/// La grille des segments, modifiable case par case.
#[component]
pub fn GridEditor(lang: RwSignal<Lang>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let grid = state.grid;
    let rows = move || {
        let (current, lang) = (grid.get(), lang.get());
        let k = current.levels();
        (1..=k)
            .rev()
            .map(|r| {
                let cells = (1..=k)
                    .map(|fm| {
                        let name = current.segment(r, fm).to_string();
                        let shown = segment_label(&name, lang);
                        let on_change = move |event| {
                            let typed = event_target_value(&event);
                            // Un nom affiché en français redevient son nom canonique.
                            let canonical = DefaultSegment::ALL
                                .into_iter()
                                .find(|s| s.label(lang) == typed.trim() || s.name() == typed.trim())
                                .map_or(typed.clone(), |s| s.name().to_string());
                            grid.update(|g| {
                                g.set(r, fm, &canonical);
                            });
                        };
                        view! {
                            <td>
                                <input
                                    class="grid-cell"
                                    list="segment-names"
                                    prop:value=shown
                                    aria-label=format!("R{r} FM{fm}")
                                    data-cell=format!("{r}-{fm}")
                                    on:change=on_change
                                />
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{r}</th>{cells}</tr> }
            })
            .collect_view()
    };
    let header = move || {
        let k = grid.with(SegmentGrid::levels);
        (1..=k)
            .map(|fm| view! { <th scope="col">{fm}</th> })
            .collect_view()
    };
    let options = move || {
        let lang = lang.get();
        let mut names: Vec<String> = DefaultSegment::ALL
            .iter()
            .map(|s| s.label(lang).to_string())
            .collect();
        for name in grid.with(SegmentGrid::segment_names) {
            let label = segment_label(&name, lang);
            if !names.contains(&label) {
                names.push(label);
            }
        }
        names
            .into_iter()
            .map(|name| view! { <option value=name></option> })
            .collect_view()
    };
    view! {
        <div class="grid-editor">
            <p class="muted small">{move || segmentation_texts(lang.get()).grid_help}</p>
            <datalist id="segment-names">{options}</datalist>
            <div class="table-scroll" tabindex="0">
                <table class="segment-grid" data-testid="segment-grid">
                    <thead><tr><th>{move || segmentation_texts(lang.get()).grid_corner}</th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button
                class="button"
                data-testid="grid-reset"
                prop:disabled=move || grid.with(SegmentGrid::is_default)
                on:click=move |_| grid.update(|g| *g = SegmentGrid::default_for(g.levels()))
            >
                {move || segmentation_texts(lang.get()).grid_reset}
            </button>
        </div>
    }
}
