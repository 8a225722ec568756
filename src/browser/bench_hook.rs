//! Hooks for the in-browser benchmarks (`scripts/bench-browser.mjs`): the
//! page calls the engine directly to time it without rendering, and reads
//! the wasm memory size, exported through wasm-bindgen
//! (`window.wasmBindings`); and the app's own work named in the page's
//! performance timeline ([`measure`]) for traces and `scripts/bench-open.mjs`.

use std::cell::RefCell;
use std::sync::PoisonError;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;

use crate::engine::facets::FacetIndex;
use crate::engine::query::parse;
use crate::engine::search::{search, SearchOptions};
use crate::engine::tags::UserData;
use crate::engine::view_state::ViewState;
use crate::state::SharedExplorer;

/// Names the time from `start` (`performance.now()`) to now in the page's
/// performance timeline as `folio: {name}`, for traces and
/// `scripts/bench-open.mjs`.
pub fn measure(name: &str, start: f64) {
    let Some(performance) = gloo::utils::window().performance() else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"start".into(), &start.into());
    let _ = js_sys::Reflect::set(&options, &"end".into(), &performance.now().into());
    if let Some(measure) = super::method(&performance, "measure") {
        let _ = measure.call2(&performance, &format!("folio: {name}").into(), &options);
    }
}

/// `performance.now()` (0 where the page has no clock).
pub fn now() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

thread_local! {
    static EXPLORER: RefCell<Option<SharedExplorer>> = const { RefCell::new(None) };
}

/// Makes the loaded corpus available to the benchmark hooks.
pub fn register(explorer: SharedExplorer) {
    EXPLORER.with(|slot| *slot.borrow_mut() = Some(explorer));
}

/// One interaction's engine work for `query` (search, facet filtering and
/// counting, ordering); returns the number of results.
#[wasm_bindgen(js_name = folioBenchExplore)]
pub fn bench_explore(query: &str) -> u32 {
    EXPLORER.with(|slot| {
        let Some(explorer) = slot.borrow().clone() else { return 0 };
        let explorer = explorer.read().unwrap_or_else(PoisonError::into_inner);
        let state = ViewState { query: query.to_owned(), ..Default::default() };
        let user = UserData::default();
        let facets = FacetIndex::new(explorer.len());
        explorer.explore(&state, &user, &facets).len() as u32
    })
}

/// The search alone for `query`; returns the number of hits.
#[wasm_bindgen(js_name = folioBenchSearch)]
pub fn bench_search(query: &str) -> u32 {
    EXPLORER.with(|slot| {
        let Some(explorer) = slot.borrow().clone() else { return 0 };
        let explorer = explorer.read().unwrap_or_else(PoisonError::into_inner);
        search(explorer.search_index(), &parse(query), &SearchOptions::default()).len() as u32
    })
}

/// Bytes of wasm linear memory in use by the app.
#[wasm_bindgen(js_name = folioWasmMemoryBytes)]
pub fn wasm_memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65536) as f64
}

/// Milliseconds per frame of the corpus map (`browser::map_canvas`) with
/// `points` synthetic papers (clustered, seeded) on a 1200 x 800 canvas,
/// half of them lit and the rest dimmed, panned and zoomed a little each
/// frame: the mean of `frames` frames, drawn back to back (each waited
/// for: WebGL draws later otherwise). `webgl` false draws the points
/// without WebGL, as a browser without it does; true, with WebGL where the
/// browser has it.
#[wasm_bindgen(js_name = folioBenchMapFrame)]
pub fn bench_map_frame(points: u32, frames: u32, webgl: bool) -> f64 {
    use crate::browser::map_canvas::{Camera, Painter, Scene, PALETTE};
    use crate::engine::facets::DocSet;

    let canvas = || {
        let canvas = gloo::utils::document()
            .create_element("canvas")
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())?;
        canvas.set_width(1200);
        canvas.set_height(800);
        Some(canvas)
    };
    let (Some(points_canvas), Some(overlay)) = (canvas(), canvas()) else { return f64::NAN };
    if !webgl {
        // A 2D context taken first: the canvas then has no WebGL.
        let _ = points_canvas.get_context("2d");
    }
    let Some(mut painter) = Painter::new(points_canvas, overlay) else { return f64::NAN };
    // A seeded generator (xorshift): blobs of papers around 40 centres.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let centres: Vec<[f64; 2]> = (0..40).map(|_| [next() * 0.8 + 0.1, next() * 0.8 + 0.1]).collect();
    let n = points as usize;
    let mut xy = Vec::with_capacity(n);
    let mut colors = Vec::with_capacity(n);
    let mut lit = DocSet::with_capacity(n);
    for i in 0..n {
        let c = centres[i % centres.len()];
        let spread = |v: f64, r: f64| ((v + (r - 0.5) * 0.12).clamp(0.0, 1.0) * 65535.0) as u16;
        xy.push([spread(c[0], next() + next() - 0.5), spread(c[1], next() + next() - 0.5)]);
        colors.push((i % centres.len() % (PALETTE.len() - 1)) as u8);
        if i % 2 == 0 {
            lit.insert(i);
        }
    }
    let scene = Scene {
        points: &xy,
        colors: &colors,
        lit: Some(&lit),
        clusters: &[],
        region: None,
        dragging: None,
        pointed: Some(0),
    };
    let start = now();
    for frame in 0..frames.max(1) {
        let t = f64::from(frame) / f64::from(frames.max(1));
        let camera = Camera { center: [0.4 + 0.2 * t, 0.5], zoom: 1.0 + t };
        painter.draw(&scene, &camera, 1);
        painter.finish();
    }
    (now() - start) / f64::from(frames.max(1))
}
