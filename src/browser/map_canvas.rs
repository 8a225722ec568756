//! The corpus map drawn into two `<canvas>` elements, one over the other:
//! every paper's point drawn by WebGL from the layout's arrays
//! (`browser::map_gl`), or where there is no WebGL written into one pixel
//! buffer (no object per point) put on a 2D canvas at once; over them the
//! cluster labels, the box or lasso being drawn or in effect and the
//! pointed paper's ring. Papers with no place on the map are not drawn.
//! The camera (centre and zoom over the map's unit square) turns map units
//! into canvas pixels and back, for panning, zooming, pointing, boxes and
//! lassos.

use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

use super::map_gl::GlPoints;
use crate::engine::facets::DocSet;
use crate::engine::map::{Cluster, Layout, Rect};

/// Map units across the square (a point's coordinate is 0..=UNIT).
const UNIT: f64 = 65535.0;
/// The square's share of the canvas's shorter side at zoom 1.
const FIT: f64 = 0.94;
pub const MIN_ZOOM: f64 = 0.5;
pub const MAX_ZOOM: f64 = 256.0;

/// Colors of points (RGB), by palette index:
/// a colour-blind-safe qualitative palette (Okabe and Ito), then grey for
/// "other".
pub const PALETTE: [[u8; 3]; 9] = [
    [0, 114, 178],
    [230, 159, 0],
    [0, 158, 115],
    [204, 121, 167],
    [86, 180, 233],
    [213, 94, 0],
    [240, 228, 66],
    [120, 94, 240],
    [150, 150, 150],
];
/// The palette index of "no value" (grey).
pub const OTHER: u8 = (PALETTE.len() - 1) as u8;
/// The colour of a point not drawn (a paper with no place on the map).
pub const HIDDEN: u8 = u8::MAX;

/// `PALETTE[index]` as a CSS colour.
pub fn css_color(index: u8) -> String {
    let [r, g, b] = PALETTE[usize::from(index).min(PALETTE.len() - 1)];
    format!("rgb({r} {g} {b})")
}

/// Where the map is looked at from: the map point at the canvas's centre
/// (in units of the square, 0..1) and how far it is zoomed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub center: [f64; 2],
    pub zoom: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Camera { center: [0.5, 0.5], zoom: 1.0 }
    }
}

impl Camera {
    /// Canvas pixels per unit of the square, on a `width` x `height` canvas.
    fn scale(&self, width: f64, height: f64) -> f64 {
        width.min(height) * FIT * self.zoom
    }

    /// Where map point `point` is on the canvas.
    pub fn to_screen(&self, point: [u16; 2], width: f64, height: f64) -> [f64; 2] {
        let s = self.scale(width, height);
        [
            (f64::from(point[0]) / UNIT - self.center[0]) * s + width / 2.0,
            (f64::from(point[1]) / UNIT - self.center[1]) * s + height / 2.0,
        ]
    }

    /// The map point (units of the square, unclamped) under canvas point `at`.
    pub fn to_map(&self, at: [f64; 2], width: f64, height: f64) -> [f64; 2] {
        let s = self.scale(width, height);
        [(at[0] - width / 2.0) / s + self.center[0], (at[1] - height / 2.0) / s + self.center[1]]
    }

    /// Moved by `dx`, `dy` canvas pixels (the map follows a drag).
    pub fn panned(&self, dx: f64, dy: f64, width: f64, height: f64) -> Camera {
        let s = self.scale(width, height);
        let clamp = |c: f64| c.clamp(-0.25, 1.25);
        Camera { center: [clamp(self.center[0] - dx / s), clamp(self.center[1] - dy / s)], zoom: self.zoom }
    }

    /// Zoomed by `factor` keeping canvas point `at` over the same map point.
    pub fn zoomed(&self, factor: f64, at: [f64; 2], width: f64, height: f64) -> Camera {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let before = self.to_map(at, width, height);
        let moved = Camera { center: self.center, zoom };
        let after = moved.to_map(at, width, height);
        Camera {
            center: [self.center[0] + before[0] - after[0], self.center[1] + before[1] - after[1]],
            zoom,
        }
    }

    /// The map point (map units, clamped to the square) under canvas point `at`.
    pub fn to_units(&self, at: [f64; 2], width: f64, height: f64) -> [u16; 2] {
        self.to_map(at, width, height).map(|x| (x.clamp(0.0, 1.0) * UNIT).round() as u16)
    }

    /// The map rectangle between canvas points `a` and `b` (in any order),
    /// clamped to the square.
    pub fn rect(&self, a: [f64; 2], b: [f64; 2], width: f64, height: f64) -> Rect {
        let (a, b) = (self.to_map(a, width, height), self.to_map(b, width, height));
        let unit = |x: f64| (x.clamp(0.0, 1.0) * UNIT).round() as u16;
        Rect {
            min: [unit(a[0].min(b[0])), unit(a[1].min(b[1]))],
            max: [unit(a[0].max(b[0])), unit(a[1].max(b[1]))],
        }
    }

    /// The camera that shows `rect` whole.
    pub fn showing(rect: Rect) -> Camera {
        let span = |axis: usize| f64::from(rect.max[axis].saturating_sub(rect.min[axis])) / UNIT;
        let widest = span(0).max(span(1)).max(1.0 / MAX_ZOOM);
        let mid = |axis: usize| (f64::from(rect.min[axis]) + f64::from(rect.max[axis])) / 2.0 / UNIT;
        Camera { center: [mid(0), mid(1)], zoom: (0.9 / widest).clamp(MIN_ZOOM, MAX_ZOOM) }
    }
}

/// A point's side in CSS pixels: larger when there are few papers, and as
/// the map is zoomed in.
pub fn point_size(papers: usize, zoom: f64) -> f64 {
    let base = (7.0 - 1.2 * (papers.max(1) as f64).log10()).clamp(2.0, 6.0);
    (base * zoom.max(1.0).powf(0.3)).min(10.0)
}

/// A selection of the map in effect, outlined over the points.
#[derive(Debug, Clone, Copy)]
pub enum Outline<'a> {
    /// A box (map units).
    Box(Rect),
    /// A lasso's vertices (map units).
    Lasso(&'a [[u16; 2]]),
}

/// A selection being drawn, in canvas CSS pixels.
#[derive(Debug, Clone, Copy)]
pub enum Drawing<'a> {
    /// A box's two corners.
    Box([f64; 2], [f64; 2]),
    /// The lasso's path so far.
    Lasso(&'a [[f64; 2]]),
}

/// What one frame shows.
pub struct Scene<'a> {
    pub points: &'a [[u16; 2]],
    /// Each point's palette index ([`HIDDEN`]: not drawn).
    pub colors: &'a [u8],
    /// The papers the current query and filters keep (the others are
    /// dimmed); `None`: every paper.
    pub lit: Option<&'a DocSet>,
    pub clusters: &'a [Cluster],
    /// The map selection in effect (a box or a lasso), outlined.
    pub region: Option<Outline<'a>>,
    /// The box or lasso being drawn.
    pub dragging: Option<Drawing<'a>>,
    /// The pointed or focused paper, ringed.
    pub pointed: Option<u32>,
}

/// Two canvases, one over the other: the points (WebGL, or a pixel buffer
/// put on a 2D canvas), and over them the labels, boxes and ring (2D).
pub struct Painter {
    points: Points,
    points_canvas: HtmlCanvasElement,
    canvas: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    width: u32,
    height: u32,
}

/// How the points are drawn.
enum Points {
    Gl(GlPoints),
    /// RGBA bytes, row by row, put on the canvas's 2D context.
    Raster {
        context: CanvasRenderingContext2d,
        pixels: Vec<u8>,
    },
}

/// Alpha of a dimmed point (papers outside the current results).
pub const DIM_ALPHA: u8 = 0x40;

impl Painter {
    /// A painter of the points on `points_canvas` (WebGL where the
    /// browser has it, else 2D) and the rest on `canvas` over it, unless
    /// the browser gives them no context.
    pub fn new(points_canvas: HtmlCanvasElement, canvas: HtmlCanvasElement) -> Option<Painter> {
        let context_2d = |c: &HtmlCanvasElement| {
            c.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        };
        let points = match GlPoints::new(&points_canvas) {
            Some(gl) => Points::Gl(gl),
            None => Points::Raster { context: context_2d(&points_canvas)?, pixels: Vec::new() },
        };
        let context = context_2d(&canvas)?;
        Some(Painter { points, points_canvas, canvas, context, width: 0, height: 0 })
    }

    /// Whether the points are drawn by WebGL.
    pub fn is_webgl(&self) -> bool {
        matches!(self.points, Points::Gl(_))
    }

    /// Waits until the points are drawn (WebGL draws later otherwise).
    pub fn finish(&self) {
        if let Points::Gl(gl) = &self.points {
            gl.finish();
        }
    }

    /// The canvas's size in CSS pixels (what pointer events measure).
    pub fn css_size(&self) -> (f64, f64) {
        let (w, h) = (f64::from(self.canvas.client_width()), f64::from(self.canvas.client_height()));
        if w > 0.0 && h > 0.0 {
            (w, h)
        } else {
            (f64::from(self.canvas.width()), f64::from(self.canvas.height()))
        }
    }

    /// Sizes the backing store to the element's size times the device pixel ratio.
    fn fit(&mut self) -> f64 {
        let ratio = gloo::utils::window().device_pixel_ratio().clamp(1.0, 3.0);
        let (w, h) = self.css_size();
        let (width, height) = (((w * ratio).round() as u32).max(1), ((h * ratio).round() as u32).max(1));
        if (width, height) != (self.width, self.height) {
            for canvas in [&self.canvas, &self.points_canvas] {
                canvas.set_width(width);
                canvas.set_height(height);
            }
            self.width = width;
            self.height = height;
        }
        ratio
    }

    /// Draws `scene` seen by `camera`; `version` changes whenever its
    /// points, colours or lit papers do (WebGL uploads them again then).
    pub fn draw(&mut self, scene: &Scene<'_>, camera: &Camera, version: u64) {
        let ratio = self.fit();
        let (width, height) = (self.width, self.height);
        let (w, h) = (f64::from(width), f64::from(height));
        let side = point_size(scene.points.len(), camera.zoom) * ratio;
        match &mut self.points {
            Points::Gl(gl) => {
                gl.upload(version, scene.points, scene.colors, scene.lit);
                gl.draw(camera.center, camera.scale(w, h), side.round().max(1.0), width, height);
            }
            Points::Raster { context, pixels } => {
                raster(pixels, scene, camera, side, width as usize, height as usize);
                let bytes = Clamped(pixels.as_slice());
                if let Ok(image) = ImageData::new_with_u8_clamped_array_and_sh(bytes, width, height) {
                    let _ = context.put_image_data(&image, 0.0, 0.0);
                }
            }
        }
        self.context.clear_rect(0.0, 0.0, w, h);
        self.overlay(scene, camera, ratio);
    }

    /// Labels, the region, the box being drawn and the pointed paper's ring.
    fn overlay(&self, scene: &Scene<'_>, camera: &Camera, ratio: f64) {
        let ctx = &self.context;
        let (w, h) = (f64::from(self.width), f64::from(self.height));
        let style = gloo::utils::window().get_computed_style(&self.canvas).ok().flatten();
        let read = |name: &str, fallback: &str| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| fallback.to_owned())
        };
        let text = read("color", "#1c1e21");
        let halo = read("caret-color", "#ffffff");
        ctx.set_line_join("round");
        if let Some(region) = scene.region {
            ctx.set_stroke_style_str(&text);
            ctx.set_line_width(1.5 * ratio);
            let _ = ctx.set_line_dash(&js_sys::Array::of2(&(6.0 * ratio).into(), &(4.0 * ratio).into()));
            match region {
                Outline::Box(rect) => {
                    let a = camera.to_screen(rect.min, w, h);
                    let b = camera.to_screen(rect.max, w, h);
                    ctx.stroke_rect(a[0], a[1], b[0] - a[0], b[1] - a[1]);
                }
                Outline::Lasso(vertices) => {
                    let screen: Vec<[f64; 2]> = vertices.iter().map(|&v| camera.to_screen(v, w, h)).collect();
                    path(ctx, &screen, true);
                }
            }
            let _ = ctx.set_line_dash(&js_sys::Array::new());
        }
        // Labels, largest clusters first, none over another.
        ctx.set_font(&format!("600 {}px system-ui, sans-serif", (12.0 * ratio).round()));
        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        let mut order: Vec<&Cluster> = scene.clusters.iter().filter(|c| !c.label.is_empty()).collect();
        order.sort_by(|a, b| b.papers.cmp(&a.papers));
        let mut placed: Vec<[f64; 4]> = Vec::new();
        for cluster in order {
            let [x, y] = camera.to_screen(cluster.center, w, h);
            let width = ctx.measure_text(&cluster.label).map_or(0.0, |m| m.width());
            let line = 16.0 * ratio;
            let rect = [x - width / 2.0, y - line / 2.0, x + width / 2.0, y + line / 2.0];
            if rect[2] < 0.0 || rect[0] > w || rect[3] < 0.0 || rect[1] > h {
                continue;
            }
            if placed.iter().any(|p| p[0] < rect[2] && rect[0] < p[2] && p[1] < rect[3] && rect[1] < p[3]) {
                continue;
            }
            placed.push(rect);
            ctx.set_stroke_style_str(&halo);
            ctx.set_line_width(3.0 * ratio);
            let _ = ctx.stroke_text(&cluster.label, x, y);
            ctx.set_fill_style_str(&text);
            let _ = ctx.fill_text(&cluster.label, x, y);
        }
        ctx.set_stroke_style_str(&text);
        ctx.set_line_width(ratio);
        match scene.dragging {
            Some(Drawing::Box(a, b)) => {
                ctx.stroke_rect(a[0] * ratio, a[1] * ratio, (b[0] - a[0]) * ratio, (b[1] - a[1]) * ratio)
            }
            Some(Drawing::Lasso(points)) => {
                let device: Vec<[f64; 2]> = points.iter().map(|p| [p[0] * ratio, p[1] * ratio]).collect();
                path(ctx, &device, false);
            }
            None => {}
        }
        if let Some(point) = scene.pointed.and_then(|doc| scene.points.get(doc as usize)) {
            let [x, y] = camera.to_screen(*point, w, h);
            ctx.set_stroke_style_str(&text);
            ctx.set_line_width(2.0 * ratio);
            ctx.begin_path();
            let radius = (point_size(scene.points.len(), camera.zoom) / 2.0 + 4.0) * ratio;
            let _ = ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU);
            ctx.stroke();
        }
    }
}

/// Strokes the line through `points` (device pixels), back to the first
/// when `closed`.
fn path(ctx: &CanvasRenderingContext2d, points: &[[f64; 2]], closed: bool) {
    let Some(first) = points.first() else { return };
    ctx.begin_path();
    ctx.move_to(first[0], first[1]);
    for p in &points[1..] {
        ctx.line_to(p[0], p[1]);
    }
    if closed {
        ctx.close_path();
    }
    ctx.stroke();
}

/// The points of `scene` written into `pixels` (RGBA, `width` x
/// `height`), squares of `side` device pixels, dimmed ones first.
fn raster(pixels: &mut Vec<u8>, scene: &Scene<'_>, camera: &Camera, side: f64, width: usize, height: usize) {
    pixels.clear();
    pixels.resize(width * height * 4, 0);
    let (w, h) = (width as f64, height as f64);
    let s = camera.scale(w, h) / UNIT;
    // Squares are drawn from their top-left corner: centred on the point.
    let ox = w / 2.0 - camera.center[0] * UNIT * s - side / 2.0;
    let oy = h / 2.0 - camera.center[1] * UNIT * s - side / 2.0;
    let size = side.round().max(1.0) as usize;
    for pass in [false, true] {
        if pass && scene.lit.is_none() {
            break;
        }
        for (i, point) in scene.points.iter().enumerate() {
            let lit = scene.lit.is_none_or(|lit| lit.contains(i));
            if scene.lit.is_some() && lit != pass {
                continue;
            }
            let x = f64::from(point[0]) * s + ox;
            let y = f64::from(point[1]) * s + oy;
            if x < 0.0 || y < 0.0 || x >= w || y >= h {
                continue;
            }
            let color = scene.colors.get(i).copied().unwrap_or(OTHER);
            if color == HIDDEN {
                continue;
            }
            let index = usize::from(color).min(PALETTE.len() - 1);
            let [r, g, b] = PALETTE[index];
            let pixel = [r, g, b, if lit { 0xff } else { DIM_ALPHA }];
            let (x, y) = (x as usize, y as usize);
            for row in y..(y + size).min(height) {
                let at = (row * width + x) * 4;
                let end = (row * width + (x + size).min(width)) * 4;
                for px in pixels[at..end].chunks_exact_mut(4) {
                    px.copy_from_slice(&pixel);
                }
            }
        }
    }
}

/// The placed paper of `layout` whose point is nearest to canvas point
/// `at` (CSS pixels), if one is within `radius` pixels; lit papers win over
/// dimmed ones.
pub fn nearest(
    layout: &Layout,
    lit: Option<&DocSet>,
    camera: &Camera,
    at: [f64; 2],
    size: (f64, f64),
    radius: f64,
) -> Option<u32> {
    let mut best: Option<(bool, f64, u32)> = None;
    for (i, point) in layout.points().iter().enumerate() {
        if !layout.is_placed(i) {
            continue;
        }
        let [x, y] = camera.to_screen(*point, size.0, size.1);
        let d = (x - at[0]).powi(2) + (y - at[1]).powi(2);
        if d > radius * radius {
            continue;
        }
        let lit = lit.is_none_or(|l| l.contains(i));
        let better = match best {
            None => true,
            Some((best_lit, best_d, _)) => (lit && !best_lit) || (lit == best_lit && d < best_d),
        };
        if better {
            best = Some((lit, d, i as u32));
        }
    }
    best.map(|(_, _, i)| i)
}
