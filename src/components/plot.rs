//! Un `<canvas>` dessiné par plotters (plotters-canvas), partagé par tous
//! les graphiques de l'application : le texte passe par le canvas, aucune
//! police n'est téléchargée.
//!
//! Chaque graphique se télécharge en PNG (le canvas tel qu'il est) et en SVG
//! (le même dessin rejoué sur le backend SVG de plotters : un fichier
//! vectoriel, net à toute taille, qu'on peut retoucher). Le dessin ne
//! connaît qu'un backend, [`ChartBackend`], qui est l'un ou l'autre.

use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;

/// Le backend d'un graphique : le canvas de la page, ou un SVG en mémoire
/// (pour le téléchargement).
pub enum ChartBackend<'a> {
    /// Le `<canvas>` affiché.
    Canvas(CanvasBackend),
    /// Un document SVG écrit dans une chaîne.
    Svg(SVGBackend<'a>),
}

/// Erreur d'un des deux backends.
#[derive(Debug)]
pub struct ChartError(String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

/// L'erreur d'un backend, dans le type commun.
fn common<E: std::error::Error + Send + Sync>(
    error: DrawingErrorKind<E>,
) -> DrawingErrorKind<ChartError> {
    match error {
        DrawingErrorKind::DrawingError(error) => {
            DrawingErrorKind::DrawingError(ChartError(error.to_string()))
        }
        DrawingErrorKind::FontError(error) => DrawingErrorKind::FontError(error),
    }
}

/// Même appel sur le backend, quel qu'il soit.
macro_rules! both {
    ($self:expr, $backend:ident => $call:expr) => {
        match $self {
            ChartBackend::Canvas($backend) => $call.map_err(common),
            ChartBackend::Svg($backend) => $call.map_err(common),
        }
    };
}

impl DrawingBackend for ChartBackend<'_> {
    type ErrorType = ChartError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            ChartBackend::Canvas(backend) => backend.get_size(),
            ChartBackend::Svg(backend) => backend.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.ensure_prepared())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.present())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.fill_polygon(vert, style))
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.draw_text(text, style, pos))
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.estimate_text_size(text, style))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<ChartError>> {
        both!(self, backend => backend.blit_bitmap(pos, size, src))
    }
}

/// Le même dessin en SVG, aux dimensions du canvas.
fn render_svg<F>(width: u32, height: u32, draw: &F) -> String
where
    F: Fn(&DrawingArea<ChartBackend<'_>, Shift>),
{
    let mut svg = String::new();
    {
        let root = ChartBackend::Svg(SVGBackend::with_string(&mut svg, (width, height)))
            .into_drawing_area();
        let _ = root.fill(&WHITE);
        draw(&root);
        let _ = root.present();
    }
    svg
}

/// Police des graphiques : celle du système, rendue par le canvas.
pub use panier_charts::FONT;

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
    F: Fn(&DrawingArea<ChartBackend<'_>, Shift>) + 'static,
{
    let draw = std::rc::Rc::new(draw);
    let for_svg = draw.clone();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let Some(element) = canvas.get() else {
            return;
        };
        let Some(backend) = CanvasBackend::with_canvas_object(element) else {
            return;
        };
        let root = ChartBackend::Canvas(backend).into_drawing_area();
        let _ = root.fill(&WHITE);
        draw(&root);
        let _ = root.present();
    });
    // « Image (PNG) » : le graphique tel qu'il est dessiné, à joindre à un
    // rapport ou à une présentation.
    let name = format!("{testid}.png");
    let save = move |_| {
        // L'image passe par un `Blob`, comme les autres téléchargements :
        // une adresse `data:` cliquée juste après un changement de vue
        // n'était pas toujours téléchargée par Chromium.
        let png = canvas
            .get_untracked()
            .and_then(|element| element.to_data_url().ok())
            .and_then(|url| {
                let base64 = url.split_once(',')?.1.to_string();
                web_sys::window()?.atob(&base64).ok()
            });
        if let Some(binary) = png {
            let bytes: Vec<u8> = binary.chars().map(|c| c as u32 as u8).collect();
            crate::state::download_bytes(&bytes, "image/png", &name);
        }
    };
    // « Image (SVG) » : le dessin rejoué en vectoriel.
    let svg_name = format!("{testid}.svg");
    let save_svg = move |_| {
        let svg = render_svg(width, height, &*for_svg);
        crate::state::download_bytes(svg.as_bytes(), "image/svg+xml", &svg_name);
    };
    let lang = move || {
        use_context::<crate::state::AppState>()
            .map(|state| state.lang.get())
            .unwrap_or_default()
    };
    let png_label = move || crate::i18n::texts(lang()).save_png;
    let svg_label = move || crate::i18n::texts(lang()).save_svg;
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
        <span class="plot-saves">
            <button type="button" class="link small plot-save" data-testid=format!("{testid}-png") on:click=save>
                {png_label}
            </button>
            <button type="button" class="link small plot-save" data-testid=format!("{testid}-svg") on:click=save_svg>
                {svg_label}
            </button>
        </span>
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

/// Ce qui a une bulle dans un graphique : un point, ou un rectangle (une
/// case, une barre), en pixels du canvas, et son texte.
#[derive(Debug, Clone, PartialEq)]
pub struct TipPoint {
    /// Abscisse du centre (pixels du canvas).
    pub x: f64,
    /// Ordonnée du centre (pixels du canvas).
    pub y: f64,
    /// Demi-largeur et demi-hauteur d'un rectangle ; (0, 0) pour un point.
    pub half: (f64, f64),
    /// Ce que dit la bulle.
    pub text: String,
}

impl TipPoint {
    /// Un point.
    pub fn point(x: f64, y: f64, text: String) -> Self {
        Self {
            x,
            y,
            half: (0.0, 0.0),
            text,
        }
    }

    /// Distance de (x, y) à ce point ou à ce rectangle (0 dedans).
    fn distance(&self, x: f64, y: f64) -> f64 {
        let dx = ((self.x - x).abs() - self.half.0).max(0.0);
        let dy = ((self.y - y).abs() - self.half.1).max(0.0);
        dx.hypot(dy)
    }
}

/// Distance (pixels du canvas) en deçà de laquelle un point est désigné.
const TIP_REACH: f64 = 14.0;

/// Bulle d'information d'un nuage de points, d'un graphe, d'une carte ou de
/// barres : la souris ou le doigt désignent le point (ou la case, la barre)
/// le plus proche (à moins de 14 pixels), le
/// clavier (←/→ sur le graphique, qui prend le focus) les parcourt de gauche
/// à droite. `points` dit où sont les points et ce que dit leur bulle.
#[component]
pub fn PointTooltip<P>(
    /// Largeur du canvas en pixels.
    width: u32,
    /// Hauteur du canvas en pixels.
    height: u32,
    /// Identifiant de test de la bulle.
    #[prop(into)]
    testid: String,
    /// Les points, dans l'ordre du clavier (de gauche à droite).
    points: P,
    /// Le graphique.
    children: Children,
) -> impl IntoView
where
    P: Fn() -> Vec<TipPoint> + Send + Sync + 'static,
{
    let points = Memo::new(move |_| points());
    let hover = RwSignal::new(None::<usize>);
    let on_move = move |event: leptos::ev::PointerEvent| {
        let Some(canvas) = event.target().and_then(|target| {
            wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlCanvasElement>(target).ok()
        }) else {
            return;
        };
        let scale = f64::from(width) / f64::from(canvas.client_width().max(1));
        let (x, y) = (
            f64::from(event.offset_x()) * scale,
            f64::from(event.offset_y()) * scale,
        );
        let nearest = points.with(|points| {
            points
                .iter()
                .enumerate()
                .map(|(i, p)| (i, p.distance(x, y)))
                .filter(|(_, distance)| *distance <= TIP_REACH)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        });
        hover.set(nearest);
    };
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let count = points.with(Vec::len);
        if count == 0 {
            return;
        }
        let next = match (event.key().as_str(), hover.get_untracked()) {
            ("ArrowRight", None) => 0,
            ("ArrowRight", Some(index)) => (index + 1).min(count - 1),
            ("ArrowLeft", None) => count - 1,
            ("ArrowLeft", Some(index)) => index.saturating_sub(1),
            ("Home", _) => 0,
            ("End", _) => count - 1,
            ("Escape", _) => {
                hover.set(None);
                return;
            }
            _ => return,
        };
        event.prevent_default();
        hover.set(Some(next));
    };
    let tip = move || {
        let index = hover.get()?;
        let point = points.with(|points| points.get(index).cloned())?;
        let left = point.x / f64::from(width.max(1)) * 100.0;
        let top = point.y / f64::from(height.max(1)) * 100.0;
        Some(view! {
            <div class="plot-tooltip point" role="status" data-testid=testid.clone()
                style=format!("left: {left:.1}%; top: {top:.1}%")>
                {point.text}
            </div>
        })
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
            {tip}
        </div>
    }
}
