//! Nuage 3D des clients : Récence, Montant (vertical), Fréquence.
//!
//! plotters projette les axes et les points sur un `<canvas>` ; les
//! coordonnées projetées de chaque point sont gardées pour retrouver, sans
//! redessiner, le point sous la souris (survol) ou sous le doigt (clic).
//! Glisser tourne la vue (souris, stylet ou toucher, par les Pointer
//! Events), la molette zoome, les flèches du clavier tournent aussi.

use std::sync::Arc;

use leptos::prelude::*;
use panier_core::rfm::segments::segment_label;
use panier_core::Lang;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use super::{css, RfmModel};
use crate::components::plot::FONT;
use crate::format;
use crate::i18n::segmentation::segmentation_texts;
use crate::state::AppState;

const WIDTH: u32 = 720;
const HEIGHT: u32 = 520;
/// Rayon de recherche du point survolé, en pixels du canvas.
const HIT_RADIUS: i32 = 7;
const INITIAL: View3d = View3d {
    yaw: 0.75,
    pitch: 0.35,
    scale: 0.85,
};

/// Orientation et zoom de la vue.
#[derive(Debug, Clone, Copy, PartialEq)]
struct View3d {
    yaw: f64,
    pitch: f64,
    scale: f64,
}

/// Point survolé : indice du client et position (pixels CSS dans le cadre).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Hover {
    index: usize,
    x: f64,
    y: f64,
}

/// Valeur portée sur un axe (logarithmique si demandé).
fn axis_value(value: f64, log: bool) -> f64 {
    if log {
        value.max(1e-9).log10()
    } else {
        value
    }
}

/// Étendue d'un axe avec une petite marge.
fn span(values: impl Iterator<Item = f64>) -> std::ops::Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let pad = ((hi - lo) * 0.02).max(1e-6);
    (lo - pad)..(hi + pad)
}

/// Le nuage 3D interactif, sa légende et son infobulle.
#[component]
pub fn RfmScatter(
    model: Memo<Option<Arc<RfmModel>>>,
    lang: RwSignal<Lang>,
    log_scale: RwSignal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let view3d = RwSignal::new(INITIAL);
    let hidden = RwSignal::new(Vec::<String>::new());
    let hover = RwSignal::new(None::<Hover>);
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // Coordonnées projetées de chaque client (None : masqué), et compteur
    // de dessins exposé au banc d'essai (data-draws, data-draw-ms).
    let projected = StoredValue::new(Vec::<Option<(i32, i32)>>::new());
    let draws = StoredValue::new(0u64);
    let drag = StoredValue::new(None::<(f64, f64, f64)>);

    let selected = move || {
        state
            .customer_sheet
            .with(|open| open.as_ref().map(|(c, _)| c.clone()))
    };

    Effect::new(move |_| {
        let (Some(model), Some(element)) = (model.get(), canvas.get()) else {
            return;
        };
        let view = view3d.get();
        let log = log_scale.get();
        let hidden = hidden.get();
        let selected = selected();
        let lang = lang.get();
        let started = js_sys::Date::now();
        let Some(backend) = CanvasBackend::with_canvas_object(element.clone()) else {
            return;
        };
        let root = backend.into_drawing_area();
        let _ = root.fill(&WHITE);
        let t = segmentation_texts(lang);
        let customers = &model.table.customers;
        let x_range = span(customers.iter().map(|c| c.recency as f64));
        let y_range = span(customers.iter().map(|c| axis_value(c.monetary, log)));
        let z_range = span(
            customers
                .iter()
                .map(|c| axis_value(f64::from(c.frequency), log)),
        );
        let Ok(mut chart) = ChartBuilder::on(&root).margin(16).build_cartesian_3d(
            x_range.clone(),
            y_range.clone(),
            z_range.clone(),
        ) else {
            return;
        };
        chart.with_projection(|mut builder| {
            builder.yaw = view.yaw;
            builder.pitch = view.pitch;
            builder.scale = view.scale;
            builder.into_matrix()
        });
        let unlog = move |v: &f64| format::short(lang, if log { 10f64.powf(*v) } else { *v });
        let _ = chart
            .configure_axes()
            .light_grid_style(BLACK.mix(0.08))
            .max_light_lines(3)
            .label_style((FONT, 11))
            .x_formatter(&|v| format::short(lang, *v))
            .y_formatter(&unlog)
            .z_formatter(&unlog)
            .draw();
        // Noms des axes au bout de la rangée de graduations de chacun :
        // plotters écrit les graduations de la récence (x) le long de
        // l'arête z = fin, celles de la fréquence (z) le long de l'arête
        // x = fin. (Placés au bout de leur propre axe, les noms tombaient à
        // côté des graduations de l'autre.)
        let axis_names = [
            (t.axis_recency, (x_range.start, y_range.start, z_range.end)),
            (t.axis_monetary, (x_range.start, y_range.end, z_range.start)),
            (
                t.axis_frequency,
                (x_range.end, y_range.start, z_range.start),
            ),
        ];
        let _ = chart.draw_series(axis_names.into_iter().map(|(name, at)| {
            Text::new(name.to_string(), at, (FONT, 13).into_font().color(&BLACK))
        }));

        let spec = chart.as_coord_spec();
        let hidden_index: Vec<bool> = model
            .names
            .iter()
            .map(|name| hidden.contains(name))
            .collect();
        let points: Vec<Option<(i32, i32)>> = customers
            .iter()
            .zip(&model.segment)
            .map(|(c, &s)| {
                if hidden_index[usize::from(s)] {
                    return None;
                }
                Some(spec.translate(&(
                    c.recency as f64,
                    axis_value(c.monetary, log),
                    axis_value(f64::from(c.frequency), log),
                )))
            })
            .collect();
        let styles: Vec<ShapeStyle> = (0..model.names.len())
            .map(|i| model.colour(i).mix(0.75).filled())
            .collect();
        for (point, &segment) in points.iter().zip(&model.segment) {
            if let Some(point) = point {
                let _ = root.draw(&Circle::new(*point, 2, styles[usize::from(segment)]));
            }
        }
        if let Some(index) = selected
            .as_deref()
            .and_then(|id| customers.iter().position(|c| c.customer == id))
        {
            if let Some(point) = points[index] {
                let _ = root.draw(&Circle::new(point, 7, BLACK.stroke_width(2)));
            }
        }
        let _ = root.present();
        projected.set_value(points);
        draws.update_value(|n| *n += 1);
        let _ = element.set_attribute("data-draws", &draws.get_value().to_string());
        let _ = element.set_attribute(
            "data-draw-ms",
            &format!("{:.2}", js_sys::Date::now() - started),
        );
    });

    // La molette zoome : écouteur non passif, pour empêcher la page de défiler.
    Effect::new(move |_| {
        let Some(element) = canvas.get() else { return };
        let on_wheel =
            Closure::<dyn Fn(web_sys::WheelEvent)>::new(move |event: web_sys::WheelEvent| {
                event.prevent_default();
                let factor = (-event.delta_y() * 0.0015).exp();
                view3d.update(|v| v.scale = (v.scale * factor).clamp(0.3, 3.0));
            });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = element.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            on_wheel.as_ref().unchecked_ref(),
            &options,
        );
        // L'écouteur vit aussi longtemps que le canvas.
        on_wheel.forget();
    });

    // Position du pointeur en pixels du canvas (qui peut être affiché réduit).
    let to_canvas = move |event: &web_sys::PointerEvent| -> Option<(f64, f64, f64)> {
        let element = canvas.get_untracked()?;
        let rect = element.get_bounding_client_rect();
        let ratio = f64::from(WIDTH) / rect.width().max(1.0);
        Some((
            (f64::from(event.client_x()) - rect.left()) * ratio,
            (f64::from(event.client_y()) - rect.top()) * ratio,
            ratio,
        ))
    };
    let nearest = move |x: f64, y: f64| -> Option<usize> {
        projected.with_value(|points| {
            points
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let (px, py) = (*p)?;
                    let d = (f64::from(px) - x).powi(2) + (f64::from(py) - y).powi(2);
                    (d <= f64::from(HIT_RADIUS * HIT_RADIUS)).then_some((i, d))
                })
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        })
    };
    let on_down = move |event: web_sys::PointerEvent| {
        if let Some(target) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = target.set_pointer_capture(event.pointer_id());
        }
        drag.set_value(Some((
            f64::from(event.client_x()),
            f64::from(event.client_y()),
            0.0,
        )));
    };
    let on_move = move |event: web_sys::PointerEvent| {
        if let Some((x0, y0, moved)) = drag.get_value() {
            let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
            let (dx, dy) = (x - x0, y - y0);
            drag.set_value(Some((x, y, moved + dx.abs() + dy.abs())));
            hover.set(None);
            view3d.update(|v| {
                v.yaw += dx * 0.01;
                v.pitch = (v.pitch + dy * 0.01).clamp(-1.5, 1.5);
            });
            return;
        }
        let Some((x, y, ratio)) = to_canvas(&event) else {
            return;
        };
        hover.set(nearest(x, y).map(|index| Hover {
            index,
            x: x / ratio,
            y: y / ratio,
        }));
    };
    let on_up = move |event: web_sys::PointerEvent| {
        let Some((_, _, moved)) = drag.get_value() else {
            return;
        };
        drag.set_value(None);
        // Un appui sans déplacement est un clic : il sélectionne le point.
        if moved < 4.0 {
            let Some((x, y, _)) = to_canvas(&event) else {
                return;
            };
            if let (Some(index), Some(model)) = (nearest(x, y), model.get_untracked()) {
                state.open_customer(model.table.customers[index].customer.clone());
            }
        }
    };
    let on_key = move |event: web_sys::KeyboardEvent| {
        let step = 0.08;
        let handled = match event.key().as_str() {
            "ArrowLeft" => {
                view3d.update(|v| v.yaw -= step);
                true
            }
            "ArrowRight" => {
                view3d.update(|v| v.yaw += step);
                true
            }
            "ArrowUp" => {
                view3d.update(|v| v.pitch = (v.pitch - step).clamp(-1.5, 1.5));
                true
            }
            "ArrowDown" => {
                view3d.update(|v| v.pitch = (v.pitch + step).clamp(-1.5, 1.5));
                true
            }
            "+" | "=" => {
                view3d.update(|v| v.scale = (v.scale * 1.1).min(3.0));
                true
            }
            "-" => {
                view3d.update(|v| v.scale = (v.scale / 1.1).max(0.3));
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    };

    let tooltip = move || {
        let (hover, model, lang) = (hover.get()?, model.get()?, lang.get());
        let t = segmentation_texts(lang);
        let c = model.table.customers.get(hover.index)?;
        let segment = model.names[usize::from(model.segment[hover.index])].clone();
        Some(view! {
            <div class="tooltip" data-testid="scatter-tooltip"
                style=format!("left: {:.0}px; top: {:.0}px", hover.x + 12.0, hover.y + 12.0)>
                <strong>{c.customer.clone()}</strong> " · " {segment_label(&segment, lang)}<br/>
                {t.col_recency} " " {c.recency} " · " {t.col_frequency} " " {c.frequency} " · "
                {t.col_monetary} " " {format::money(lang, c.monetary)}<br/>
                "R " {c.r} " · F " {c.f} " · M " {c.m}
            </div>
        })
    };

    let legend = move || {
        let (Some(model), lang) = (model.get(), lang.get()) else {
            return ().into_any();
        };
        let counts = model.counts();
        model
            .names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let name = name.clone();
                let toggled = name.clone();
                let is_hidden = move || hidden.with(|h| h.contains(&toggled));
                let toggle = {
                    let name = name.clone();
                    move |_| hidden.update(|h| {
                        if let Some(at) = h.iter().position(|n| *n == name) {
                            h.remove(at);
                        } else {
                            h.push(name.clone());
                        }
                    })
                };
                view! {
                    <li>
                        <button
                            class="legend-item"
                            class:off=is_hidden.clone()
                            aria-pressed=move || (!is_hidden()).to_string()
                            data-segment=name.clone()
                            on:click=toggle
                        >
                            <span class="swatch" style=format!("background: {}", css(model.colour(i)))></span>
                            {segment_label(&name, lang)} " (" {format::count(lang, u64::from(counts[i]))} ")"
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <div class="scatter">
            <div class="scatter-frame">
                <canvas
                    node_ref=canvas
                    width=WIDTH
                    height=HEIGHT
                    tabindex="0"
                    role="img"
                    aria-label=move || segmentation_texts(lang.get()).scatter_help
                    data-testid="rfm-scatter"
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointerleave=move |_| hover.set(None)
                    on:keydown=on_key
                ></canvas>
                {tooltip}
            </div>
            <div class="scatter-side">
                <p class="muted small">{move || segmentation_texts(lang.get()).legend_hint}</p>
                <ul class="legend" data-testid="scatter-legend">{legend}</ul>
                <button class="button small-button" on:click=move |_| view3d.set(INITIAL)>
                    {move || segmentation_texts(lang.get()).reset_view}
                </button>
            </div>
        </div>
    }
}
