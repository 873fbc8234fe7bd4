//! Un `<canvas>` dessiné par plotters (plotters-canvas), partagé par tous
//! les graphiques de l'application : le texte passe par le canvas, aucune
//! police n'est téléchargée.

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

/// Police des graphiques : celle du système, rendue par le canvas.
pub const FONT: &str = "sans-serif";

/// Un `<canvas>` redessiné par `draw` chaque fois que les signaux qu'il lit
/// changent.
#[component]
pub fn PlotCanvas<F>(
    /// Largeur en pixels du canvas.
    width: u32,
    /// Hauteur en pixels.
    height: u32,
    /// Description pour les lecteurs d'écran.
    #[prop(into)]
    label: Signal<String>,
    /// Identifiant de test.
    #[prop(into)]
    testid: String,
    /// Dessin (lit des signaux : il est rejoué quand ils changent).
    draw: F,
) -> impl IntoView
where
    F: Fn(&DrawingArea<CanvasBackend, Shift>) + 'static,
{
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let Some(element) = canvas.get() else {
            return;
        };
        let Some(backend) = CanvasBackend::with_canvas_object(element) else {
            return;
        };
        let root = backend.into_drawing_area();
        let _ = root.fill(&WHITE);
        draw(&root);
        let _ = root.present();
    });
    // « Image (PNG) » : le graphique tel qu'il est dessiné, à joindre à un
    // rapport ou à une présentation.
    let name = format!("{testid}.png");
    let save = move |_| {
        if let Some(url) = canvas
            .get_untracked()
            .and_then(|element| element.to_data_url().ok())
        {
            crate::state::download_url(&url, &name);
        }
    };
    let png_label = move || {
        let lang = use_context::<crate::state::AppState>()
            .map(|state| state.lang.get())
            .unwrap_or_default();
        crate::i18n::texts(lang).save_png
    };
    view! {
        <canvas
            class="plot"
            node_ref=canvas
            width=width
            height=height
            role="img"
            aria-label=move || label.get()
            data-testid=testid.clone()
        ></canvas>
        <button type="button" class="link small plot-save" data-testid=format!("{testid}-png") on:click=save>
            {png_label}
        </button>
    }
}

/// Bulle d'information d'un graphique en barres : la souris, le doigt
/// (événements de pointeur) ou le clavier (←/→ sur le graphique, qui prend
/// le focus) désignent une barre, et la bulle dit sa valeur. La géométrie
/// est celle que les graphiques en barres passent à plotters : `left` et
/// `right` (en pixels du canvas) bornent la zone des barres, `bars` barres
/// réparties à égalité.
#[component]
pub fn BarTooltip<T>(
    /// Nombre de barres.
    bars: usize,
    /// Largeur du canvas en pixels.
    width: u32,
    /// Bord gauche de la zone des barres (pixels du canvas).
    left: u32,
    /// Bord droit de la zone des barres (pixels du canvas).
    right: u32,
    /// Identifiant de test de la bulle.
    #[prop(into)]
    testid: String,
    /// Le texte de la bulle pour une barre.
    text: T,
    /// Le graphique.
    children: Children,
) -> impl IntoView
where
    T: Fn(usize) -> String + Send + Sync + 'static,
{
    let hover = RwSignal::new(None::<usize>);
    // Position de la bulle, en fraction de la largeur du graphique affiché.
    let at = move |index: usize| {
        let plot = f64::from(right.saturating_sub(left).max(1));
        let centre = f64::from(left) + (index as f64 + 0.5) * plot / bars.max(1) as f64;
        centre / f64::from(width.max(1)) * 100.0
    };
    let on_move = move |event: leptos::ev::PointerEvent| {
        let Some(canvas) = event.target().and_then(|target| {
            wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlCanvasElement>(target).ok()
        }) else {
            return;
        };
        let shown = f64::from(canvas.client_width().max(1));
        let x = f64::from(event.offset_x()) * f64::from(width) / shown;
        let plot = f64::from(right.saturating_sub(left).max(1));
        let slot = ((x - f64::from(left)) / plot * bars as f64).floor();
        hover.set((slot >= 0.0 && slot < bars as f64).then_some(slot as usize));
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        if bars == 0 {
            return;
        }
        let next = match (event.key().as_str(), hover.get_untracked()) {
            ("ArrowRight", None) => 0,
            ("ArrowRight", Some(index)) => (index + 1).min(bars - 1),
            ("ArrowLeft", None) => bars - 1,
            ("ArrowLeft", Some(index)) => index.saturating_sub(1),
            ("Home", _) => 0,
            ("End", _) => bars - 1,
            ("Escape", _) => {
                hover.set(None);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        hover.set(Some(next));
    };
    view! {
        <div
            class="plot-wrap"
            role="group"
            tabindex="0"
            on:pointermove=on_move
            on:pointerdown=on_move
            on:pointerleave=move |_| hover.set(None)
            on:keydown=on_key
            on:blur=move |_| hover.set(None)
        >
            {children()}
            {move || hover.get().map(|index| view! {
                <div class="plot-tooltip" role="status" data-testid=testid.clone()
                    style=format!("left: {:.1}%", at(index))>
                    {text(index)}
                </div>
            })}
        </div>
    }
}
