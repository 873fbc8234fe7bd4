//! Matrice des mouvements entre segments, entre deux dates d'observation.

use leptos::prelude::*;
use panier_core::ingest::dates::format_timestamp;
use panier_core::rfm::segments::segment_label;
use panier_core::rfm::{parse_snapshot, DAY_SECONDS};
use panier_core::Lang;

use crate::format;
use crate::i18n::segmentation::segmentation_texts;
use crate::state::AppState;

/// Date `AAAA-MM-JJ` d'un instant, pour un `<input type="date">`.
pub fn date_only(timestamp: i64) -> String {
    format_timestamp(timestamp).chars().take(10).collect()
}

/// Choix des deux dates, matrice, et clients de la case choisie.
#[component]
pub fn SegmentMovement(lang: RwSignal<Lang>, snapshot: Signal<Option<i64>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let cell = RwSignal::new(None::<(Option<String>, Option<String>)>);
    // Par défaut : 90 jours avant l'observation, et l'observation.
    Effect::new(move |_| {
        if let Some(snapshot) = snapshot.get() {
            from.set(date_only(snapshot - 90 * DAY_SECONDS));
            to.set(date_only(snapshot));
        }
    });
    let compare = move |_| {
        cell.set(None);
        if let (Ok(a), Ok(b)) = (
            parse_snapshot(&from.get_untracked()),
            parse_snapshot(&to.get_untracked()),
        ) {
            state.compute_movement(a, b);
        }
    };
    let matrix = move || {
        let lang = lang.get();
        let t = segmentation_texts(lang);
        let movement = state.movement.get()?;
        let movement = match movement.as_ref() {
            Ok(movement) => movement.clone(),
            Err(error) => {
                return Some(
                    view! { <p class="error-text" role="alert">{error.message(lang)}</p> }
                        .into_any(),
                )
            }
        };
        let grid = state.grid.get();
        let m = movement.matrix(&grid);
        let name = move |n: &Option<String>, absent: &'static str| {
            n.as_deref()
                .map_or(absent.to_string(), |n| segment_label(n, lang))
        };
        let header =
            m.to.iter()
                .map(|n| view! { <th scope="col">{name(n, t.movement_gone)}</th> })
                .collect_view();
        let body = m.from.iter().enumerate().map(|(i, a)| {
            let cells = m.to.iter().enumerate().map(|(j, b)| {
                let count = m.counts[i][j];
                let key = (a.clone(), b.clone());
                let stay = a == b && a.is_some();
                view! {
                    <td class="num" class:stay=stay class:empty=count == 0>
                        {(count > 0).then(|| view! {
                            <button class="link" on:click=move |_| cell.set(Some(key.clone()))>{format::count(lang, u64::from(count))}</button>
                        })}
                    </td>
                }
            }).collect_view();
            view! { <tr><th scope="row">{name(a, t.movement_new)}</th>{cells}</tr> }
        }).collect_view();
        let chosen = cell.get().map(|(a, b)| {
            let ids: Vec<String> = movement.customers_in(&grid, &a, &b).into_iter().map(|c| c.customer.clone()).collect();
            let shown = ids.iter().take(200).map(|id| {
                let open = id.clone();
                view! { <li><button class="link" on:click=move |_| state.open_customer(open.clone())>{id.clone()}</button></li> }
            }).collect_view();
            view! {
                <div class="movement-customers" data-testid="movement-customers">
                    <p>{format::count(lang, ids.len() as u64)} " " {t.movement_cell} " " <strong>{name(&a, t.movement_new)}</strong> " → " <strong>{name(&b, t.movement_gone)}</strong></p>
                    <ul class="chips">{shown}</ul>
                </div>
            }
        });
        Some(view! {
            <p class="muted small">{format::day_label(lang, &date_only(movement.from_snapshot))} " → " {format::day_label(lang, &date_only(movement.to_snapshot))}</p>
            <div class="table-scroll" tabindex="0">
                <table class="data movement" data-testid="movement-matrix">
                    <thead><tr><th>{t.movement_corner}</th>{header}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {chosen}
        }.into_any())
    };
    view! {
        <p class="muted small">{move || segmentation_texts(lang.get()).movement_help}</p>
        <div class="filters">
            <label>{move || segmentation_texts(lang.get()).movement_from} " "
                <input type="date" data-testid="movement-from" prop:value=from on:change=move |e| from.set(event_target_value(&e)) />
            </label>
            <label>{move || segmentation_texts(lang.get()).movement_to} " "
                <input type="date" data-testid="movement-to" prop:value=to on:change=move |e| to.set(event_target_value(&e)) />
            </label>
            <button class="button" data-testid="movement-compute" on:click=compare>{move || segmentation_texts(lang.get()).movement_compute}</button>
        </div>
        {matrix}
    }
}
