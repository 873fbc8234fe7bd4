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
    view! {
        <canvas
            class="plot"
            node_ref=canvas
            width=width
            height=height
            role="img"
            aria-label=move || label.get()
            data-testid=testid
        ></canvas>
    }
}
