//! The corpus map: every placed paper a point (`browser::map_canvas` draws
//! them; the caption counts those with no place), pan (drag, shift and the
//! arrow keys) and zoom (wheel, `+`/`-`), points colored by their cluster,
//! a facet group or a tag, the current results lit and the rest dimmed,
//! the title of the pointed paper, a click to open it, the arrow keys
//! stepping a focus ring from point to point (its title announced), a
//! shift-drag box or lasso (alt-drag: a lasso) that becomes the view's
//! region or lasso filter; and the cluster list, the map as text
//! (activating a cluster filters to it). The canvas is redrawn when its
//! pane is resized (a `ResizeObserver`), and its WebGL context given back
//! when the map leaves the page.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::map_canvas::{
    css_color, nearest, Camera, Drawing, Outline, Painter, Scene, HIDDEN, OTHER, PALETTE,
};
use crate::browser::shards::expect_fetcher;
use crate::engine::facets::{counts_all, filter_all, DocSet, Selection};
use crate::engine::map::{Direction, Layout, Polygon, Rect, LASSO_VERTICES};
use crate::state::{expect_explorer, expect_pane, expect_results, expect_user, expect_view};

/// How near (CSS pixels) the pointer must be to a point to name it.
const POINT_RADIUS: f64 = 8.0;
/// How far (CSS pixels) a press may move and still be a click.
const CLICK_SLOP: f64 = 4.0;
/// Share of the canvas an arrow key pans.
const KEY_PAN: f64 = 0.1;
/// Zoom step of a key or a button.
const KEY_ZOOM: f64 = 1.5;
/// Colored values of a facet group (the rest are grey).
const COLORED: usize = PALETTE.len() - 1;
/// How far (CSS pixels) the pointer moves before a lasso takes a point.
const LASSO_STEP: f64 = 3.0;

/// What the points are colored by: `cluster` (the default), `none`, or a
/// facet group's key.
pub const BY_CLUSTER: &str = "cluster";
pub const BY_NONE: &str = "none";

/// What a drag with shift (or alt) draws.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Box,
    Lasso,
}

/// A press on the canvas being dragged.
#[derive(Clone, Copy)]
struct Drag {
    start: [f64; 2],
    last: [f64; 2],
    /// Shift or alt was held: a selection drawn, not a pan.
    shape: Option<Shape>,
    moved: bool,
}

/// The colors of the points and the legend's rows (color, value, papers).
#[derive(Default, PartialEq)]
struct Coloring {
    colors: Vec<u8>,
    legend: Vec<(u8, String, usize)>,
}

#[component]
pub fn MapView() -> impl IntoView {
    let explorer = expect_explorer();
    let view = expect_view();
    let results = expect_results();
    let user = expect_user();
    let pane = expect_pane();
    let fetcher = expect_fetcher();
    let papers = explorer.with(|e| e.len());

    // The layout, once the explorer holds it (its shard fetched meanwhile).
    let layout = Memo::new(move |_| {
        fetcher.discovery.track();
        match explorer.try_with(|e| e.map().map(|layout| Arc::new(layout.clone())))? {
            Ok(layout) => Some(layout),
            Err(missing) => {
                fetcher.prefetch(missing);
                None
            }
        }
    });
    // The papers the query and filters keep, unless that is all of them.
    let lit = Memo::new(move |_| {
        results.with(|r| {
            (r.len() != papers).then(|| {
                let mut set = DocSet::with_capacity(papers);
                for &doc in r.docs() {
                    set.insert(doc as usize);
                }
                Arc::new(set)
            })
        })
    });
    let color_by =
        move || pane.with(|p| if p.color.is_empty() { BY_CLUSTER.to_owned() } else { p.color.clone() });
    let coloring = Memo::new(move |_| {
        let by = color_by();
        layout.with(|layout| {
            let Some(layout) = layout else { return Arc::new(Coloring::default()) };
            let facets = user.facets.get();
            Arc::new(explorer.with(|e| color(layout, &by, &[e.facets(), &facets])))
        })
    });
    // Groups the points can be colored by: the corpus's and the user's.
    let groups = move || {
        let facets = user.facets.get();
        explorer.with(|e| {
            e.facets()
                .groups()
                .chain(facets.groups())
                .map(|(k, l)| (k.to_owned(), l.to_owned()))
                .collect::<Vec<_>>()
        })
    };

    let camera = RwSignal::new(Camera::default());
    let pointed = RwSignal::new(None::<u32>);
    let pointer_at = RwSignal::new([0.0f64; 2]);
    let drag = StoredValue::new(None::<Drag>);
    let dragging = RwSignal::new(None::<([f64; 2], [f64; 2])>);
    // The lasso being drawn (CSS pixels).
    let lasso_path = RwSignal::new(Vec::<[f64; 2]>::new());
    // What shift-drag draws (alt-drag always draws a lasso).
    let shape = RwSignal::new(Shape::Box);
    // The paper the arrow keys reached, its title announced.
    let focused = RwSignal::new(None::<u32>);
    let selected = move || view.with(|v| v.region.is_some() || v.lasso.is_some());

    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let points_canvas = NodeRef::<leptos::html::Canvas>::new();
    // Bumped when the points, their colours or the lit papers change.
    let version = StoredValue::new(0u64);
    // What draws the points (`webgl`, `2d`, or `none`), for people and tests.
    let renderer = RwSignal::new("");
    let painter = StoredValue::new_local(None::<Painter>);
    let frame_pending = StoredValue::new(false);
    // The frame asked for, cancelled when the map leaves the page (its
    // signals are gone by the time it would be drawn).
    let frame = StoredValue::new_local(None::<AnimationFrameRequestHandle>);
    let draw = move || {
        frame_pending.set_value(false);
        frame.set_value(None);
        let Some(layout) = layout.get_untracked() else { return };
        let lit = lit.get_untracked();
        let coloring = coloring.get_untracked();
        let (region, lasso) = view.with_untracked(|v| (v.region, v.lasso.clone()));
        let path = lasso_path.get_untracked();
        let scene = Scene {
            points: layout.points(),
            colors: &coloring.colors,
            lit: lit.as_deref(),
            clusters: layout.clusters(),
            region: region.map(Outline::Box).or_else(|| lasso.as_ref().map(|l| Outline::Lasso(l.vertices()))),
            dragging: dragging
                .get_untracked()
                .map(|(a, b)| Drawing::Box(a, b))
                .or_else(|| (!path.is_empty()).then_some(Drawing::Lasso(&path))),
            pointed: pointed.get_untracked(),
        };
        let camera = camera.get_untracked();
        let version = version.get_value();
        painter.update_value(|p| {
            if let Some(p) = p {
                p.draw(&scene, &camera, version);
            }
        });
    };
    // One frame per change, drawn when the browser paints next.
    let request = move || {
        if frame_pending.get_value() {
            return;
        }
        frame_pending.set_value(true);
        frame.set_value(request_animation_frame_with_handle(draw).ok());
    };
    // Redraws when the canvas's box changes size without the window's
    // (the pane beside it opened or closed, the layout changed).
    let observer = StoredValue::new_local(None::<(JsValue, Closure<dyn FnMut()>)>);
    on_cleanup(move || {
        if let Some(Some(handle)) = frame.try_get_value() {
            handle.cancel();
        }
        if let Some(Some((observer, _))) = observer.try_update_value(Option::take) {
            let _ = call(&observer, "disconnect", None);
        }
        // Gives the WebGL context back now (see `GlPoints`' Drop).
        painter.try_update_value(Option::take);
    });
    Effect::new(move |_| {
        if let (Some(points), Some(element)) = (points_canvas.get(), canvas.get()) {
            if painter.with_value(Option::is_none) {
                let made = Painter::new(points, element.clone());
                renderer.set(match &made {
                    Some(p) if p.is_webgl() => "webgl",
                    Some(_) => "2d",
                    None => "none",
                });
                painter.set_value(made);
                if observer.with_value(Option::is_none) {
                    observer.set_value(observe_size(&element, move || request()));
                }
            }
        }
        request();
    });
    Effect::new(move |_| {
        layout.track();
        lit.track();
        coloring.track();
        version.update_value(|v| *v += 1);
        request();
    });
    Effect::new(move |_| {
        camera.track();
        pointed.track();
        dragging.track();
        lasso_path.track();
        view.with(|v| (v.region, v.lasso.clone()));
        request();
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| request());
    on_cleanup(move || resize.remove());

    let size = move || painter.with_value(|p| p.as_ref().map_or((1.0, 1.0), Painter::css_size));
    let at = |ev: &web_sys::MouseEvent| [f64::from(ev.offset_x()), f64::from(ev.offset_y())];
    let point_at = move |at: [f64; 2]| {
        layout.with_untracked(|layout| {
            let layout = layout.as_ref()?;
            lit.with_untracked(|lit| {
                nearest(layout, lit.as_deref(), &camera.get_untracked(), at, size(), POINT_RADIUS)
            })
        })
    };
    let open = move |doc: u32| {
        let go = move |id: String| view.update(|v| v.paper = Some(id));
        match explorer.with(|e| e.try_id(doc).map(str::to_owned)) {
            Some(id) => go(id),
            None => leptos::task::spawn_local(async move {
                if let Some(id) = fetcher.ids_of(&[doc]).await.ok().and_then(|mut ids| ids.pop()) {
                    go(id);
                }
            }),
        }
    };
    // One selection of the map at a time: a box or a lasso drawn replaces
    // the other and a cluster chosen in the list; clearing clears both.
    let select = move |region: Option<Rect>, lasso: Option<Polygon>| {
        view.update(|v| {
            if region.is_some() || lasso.is_some() {
                v.cluster = None;
            }
            v.region = region;
            v.lasso = lasso;
        })
    };

    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let here = at(&ev);
        let drawn =
            if ev.alt_key() { Some(Shape::Lasso) } else { ev.shift_key().then(|| shape.get_untracked()) };
        if drawn == Some(Shape::Lasso) {
            lasso_path.set(vec![here]);
            // Alt-click must not open the browser's menu or select text.
            ev.prevent_default();
        }
        drag.set_value(Some(Drag { start: here, last: here, shape: drawn, moved: false }));
        if let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = target.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_pointermove = move |ev: web_sys::PointerEvent| {
        let here = at(&ev);
        pointer_at.set(here);
        match drag.get_value() {
            Some(mut d) => {
                d.moved |= (here[0] - d.start[0]).hypot(here[1] - d.start[1]) > CLICK_SLOP;
                if d.shape == Some(Shape::Box) {
                    dragging.set(Some((d.start, here)));
                } else if d.shape == Some(Shape::Lasso) {
                    let far = lasso_path.with_untracked(|p| {
                        p.last().is_none_or(|l| (here[0] - l[0]).hypot(here[1] - l[1]) >= LASSO_STEP)
                    });
                    if far {
                        lasso_path.update(|p| p.push(here));
                    }
                } else if d.moved {
                    let (w, h) = size();
                    camera.update(|c| *c = c.panned(here[0] - d.last[0], here[1] - d.last[1], w, h));
                }
                d.last = here;
                drag.set_value(Some(d));
            }
            None => {
                let found = point_at(here);
                if pointed.get_untracked() != found {
                    pointed.set(found);
                }
            }
        }
    };
    let on_pointerup = move |ev: web_sys::PointerEvent| {
        let Some(d) = drag.get_value() else { return };
        drag.set_value(None);
        dragging.set(None);
        let mut path = lasso_path.try_update(std::mem::take).unwrap_or_default();
        let here = at(&ev);
        let (w, h) = size();
        let camera = camera.get_untracked();
        if d.shape == Some(Shape::Box) && d.moved {
            select(Some(camera.rect(d.start, here, w, h)), None);
        } else if d.shape == Some(Shape::Lasso) && d.moved {
            path.push(here);
            let units: Vec<[u16; 2]> = path.iter().map(|&p| camera.to_units(p, w, h)).collect();
            // Too thin to enclose anything: nothing selected.
            if let Some(polygon) = Polygon::simplified(&units, LASSO_VERTICES) {
                select(None, Some(polygon));
            }
        } else if !d.moved {
            if let Some(doc) = point_at(here) {
                open(doc);
            }
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let factor = (-ev.delta_y() * 0.002).exp();
        let (w, h) = size();
        let here = at(&ev);
        camera.update(|c| *c = c.zoomed(factor, here, w, h));
    };
    // The arrow keys: from the focused paper to the next one that way
    // (among the lit ones when the query or filters light some), or first
    // to the one nearest the middle of the view; the map follows.
    let step = move |direction: Direction| {
        let (w, h) = size();
        let view_camera = camera.get_untracked();
        let next = layout.with_untracked(|layout| {
            let layout = layout.as_ref()?;
            lit.with_untracked(|lit| {
                let among = |i: usize| lit.as_ref().is_none_or(|l| l.contains(i));
                match focused.get_untracked().filter(|&d| layout.is_placed(d as usize) && among(d as usize)) {
                    Some(from) => layout.step(from as usize, direction, among),
                    None => layout.closest(view_camera.to_units([w / 2.0, h / 2.0], w, h), among),
                }
            })
        })?;
        let point = layout.with_untracked(|l| l.as_ref().map(|l| l.points()[next as usize]))?;
        let [x, y] = view_camera.to_screen(point, w, h);
        let margin = POINT_RADIUS * 2.0;
        if x < margin || y < margin || x > w - margin || y > h - margin {
            camera.update(|c| *c = c.panned(w / 2.0 - x, h / 2.0 - y, w, h));
        }
        let [x, y] = camera.get_untracked().to_screen(point, w, h);
        pointer_at.set([x, y]);
        focused.set(Some(next));
        pointed.set(Some(next));
        Some(())
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let (w, h) = size();
        let centre = [w / 2.0, h / 2.0];
        let pan =
            |dx: f64, dy: f64| camera.update(|c| *c = c.panned(dx * w * KEY_PAN, dy * h * KEY_PAN, w, h));
        let arrow = match ev.key().as_str() {
            "ArrowLeft" => Some(([1.0, 0.0], Direction::Left)),
            "ArrowRight" => Some(([-1.0, 0.0], Direction::Right)),
            "ArrowUp" => Some(([0.0, 1.0], Direction::Up)),
            "ArrowDown" => Some(([0.0, -1.0], Direction::Down)),
            _ => None,
        };
        if ev.ctrl_key() || ev.meta_key() {
            return;
        }
        match (arrow, ev.key().as_str()) {
            (Some(([dx, dy], _)), _) if ev.shift_key() => pan(dx, dy),
            (Some((_, direction)), _) => {
                step(direction);
            }
            (None, "+" | "=") => camera.update(|c| *c = c.zoomed(KEY_ZOOM, centre, w, h)),
            (None, "-" | "_") => camera.update(|c| *c = c.zoomed(1.0 / KEY_ZOOM, centre, w, h)),
            (None, "0") => camera.set(Camera::default()),
            (None, "Enter") => match pointed.get_untracked() {
                Some(doc) => open(doc),
                None => return,
            },
            (None, "Escape") if pointed.get_untracked().is_some() => {
                pointed.set(None);
                focused.set(None);
            }
            _ => return,
        }
        // The map's keys, not the result list's (arrows move its cursor).
        ev.prevent_default();
        ev.stop_propagation();
    };

    // A paper's title (its record fetched if need be).
    let title_of = move |doc: u32| {
        fetcher.records.track();
        let title = explorer.with(|e| e.try_paper(doc).map(|p| p.title.clone()));
        if title.is_none() {
            fetcher.fetch_records(&[doc]);
        }
        title
    };
    // The pointed paper's title, at the pointer.
    let tooltip = move || {
        let doc = pointed.get()?;
        let title = title_of(doc);
        let [x, y] = pointer_at.get_untracked();
        Some(view! {
            <div class="map-tooltip" role="tooltip" id="map-tooltip" data-testid="map-tooltip"
                style:left=format!("{}px", x + 12.0) style:top=format!("{}px", y + 12.0)>
                {title.unwrap_or_else(|| "…".to_owned())}
            </div>
        })
    };
    let zoom_by = move |factor: f64| {
        let (w, h) = size();
        camera.update(|c| *c = c.zoomed(factor, [w / 2.0, h / 2.0], w, h));
    };
    // What the arrow keys reached, for screen readers.
    let announced = move || {
        let doc = focused.get()?;
        (pointed.get() == Some(doc)).then(|| title_of(doc).unwrap_or_default())
    };
    let description = format!(
        "Map of {papers} papers. The arrow keys step from paper to paper and Enter opens it; \
         drag or shift and the arrow keys pan, the wheel or + and - zoom; shift-drag draws a box \
         or a lasso (alt-drag: a lasso) that filters to its papers. \
         The cluster list below holds the same groups as text."
    );
    let caption = move || {
        layout.with(|layout| {
            let layout = layout.as_ref()?;
            let unplaced = layout.unplaced();
            let total = layout.len();
            Some(if unplaced == 0 {
                format!("{total} papers on the map.")
            } else {
                format!(
                    "{} of {total} papers on the map; {unplaced} {} nothing in common with the rest and {} not on it.",
                    total - unplaced,
                    if unplaced == 1 { "has" } else { "have" },
                    if unplaced == 1 { "is" } else { "are" },
                )
            })
        })
    };
    let shape_button = move |this: Shape, label: &'static str, testid: &'static str| {
        view! {
            <button class="button map-shape" data-testid=testid aria-pressed=move || (shape.get() == this).to_string()
                on:click=move |_| shape.set(this)>{label}</button>
        }
    };

    view! {
        <section class="map-view" data-testid="map-view" aria-label="Map of the corpus">
            <div class="map-toolbar">
                <label>"Color by "
                    <select data-testid="map-color" on:change=move |ev| {
                        let by = event_target_value(&ev);
                        pane.update(|p| p.color = if by == BY_CLUSTER { String::new() } else { by });
                    }>
                        <option value=BY_CLUSTER selected=move || color_by() == BY_CLUSTER>"Cluster"</option>
                        <option value=BY_NONE selected=move || color_by() == BY_NONE>"Nothing"</option>
                        {move || groups().into_iter().map(|(key, label)| {
                            let selected = { let key = key.clone(); move || color_by() == key };
                            view! { <option value=key selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <button class="icon-button" aria-label="Zoom in" on:click=move |_| zoom_by(KEY_ZOOM)>"+"</button>
                <button class="icon-button" aria-label="Zoom out" on:click=move |_| zoom_by(1.0 / KEY_ZOOM)>"−"</button>
                <button class="button" data-testid="map-reset" on:click=move |_| camera.set(Camera::default())>"Whole map"</button>
                <span class="map-shapes" role="group" aria-label="Shift-drag draws">
                    {shape_button(Shape::Box, "Box", "map-shape-box")}
                    {shape_button(Shape::Lasso, "Lasso", "map-shape-lasso")}
                </span>
                <Show when=selected>
                    <button class="button" data-testid="map-clear-region" on:click=move |_| select(None, None)>"Clear selection"</button>
                </Show>
                <span class="map-hint muted">{move || match shape.get() {
                    Shape::Box => "Shift-drag a box (alt-drag a lasso) to filter to it",
                    Shape::Lasso => "Shift-drag or alt-drag a lasso to filter to it",
                }}</span>
            </div>
            <div class="map-stage">
                {move || layout.with(|l| l.is_none()).then(|| view! {
                    <p class="map-loading" role="status" data-testid="map-loading">"Loading the map…"</p>
                })}
                <canvas class="map-points" data-testid="map-points" node_ref=points_canvas aria-hidden="true"
                    data-renderer=move || renderer.get()></canvas>
                <canvas class="map-canvas" data-testid="map-canvas" node_ref=canvas tabindex="0"
                    role="img" aria-label=description aria-describedby="map-tooltip"
                    on:pointerdown=on_pointerdown on:pointermove=on_pointermove on:pointerup=on_pointerup
                    on:pointercancel=move |_| { drag.set_value(None); dragging.set(None); lasso_path.set(Vec::new()); }
                    on:pointerleave=move |_| if drag.get_value().is_none() { pointed.set(None) }
                    on:wheel=on_wheel on:keydown=on_keydown></canvas>
                {tooltip}
            </div>
            <p class="map-caption muted" data-testid="map-caption">{caption}</p>
            <p class="visually-hidden" aria-live="polite" data-testid="map-announce">{announced}</p>
            <Legend coloring />
            <ClusterList layout camera />
        </section>
    }
}

/// The colors in use and what each means.
#[component]
fn Legend(
    /// The points' colors and the values they stand for.
    coloring: Memo<Arc<Coloring>>,
) -> impl IntoView {
    move || {
        coloring.with(|c| {
            (!c.legend.is_empty()).then(|| {
                let rows = c
                    .legend
                    .iter()
                    .map(|(color, value, count)| {
                        view! {
                            <li><span class="map-swatch" style:background=css_color(*color)></span>
                                {value.clone()}" "<span class="facet-count">{*count}</span></li>
                        }
                    })
                    .collect_view();
                view! { <ul class="map-legend" data-testid="map-legend" aria-label="Colors">{rows}</ul> }
            })
        })
    }
}

/// The clusters as a list: label and papers; activating one filters the
/// view to its papers and shows it.
#[component]
fn ClusterList(
    /// The map.
    layout: Memo<Option<Arc<Layout>>>,
    /// Moved to show a cluster activated.
    camera: RwSignal<Camera>,
) -> impl IntoView {
    let view = expect_view();
    move || {
        layout.with(|layout| {
            let layout = layout.as_ref()?;
            let clusters = layout.clusters();
            if clusters.is_empty() {
                return Some(view! { <p class="muted" data-testid="map-no-clusters">"This map names no clusters."</p> }.into_any());
            }
            let rows = clusters
                .iter()
                .enumerate()
                .map(|(i, cluster)| {
                    let layout = Arc::clone(layout);
                    let activate = move |_| {
                        if let Some(rect) = layout.bounds(i) {
                            camera.set(Camera::showing(rect));
                        }
                        // One selection of the map at a time: the cluster replaces a region or lasso.
                        view.update(|v| {
                            v.cluster = u16::try_from(i).ok();
                            v.region = None;
                            v.lasso = None;
                        });
                    };
                    view! {
                        <li><button class="link-button" data-testid="map-cluster" on:click=activate>
                            {cluster.label.clone()}
                        </button>" "<span class="facet-count">{cluster.papers}</span></li>
                    }
                })
                .collect_view();
            Some(view! {
                <details class="map-clusters" open>
                    <summary>{format!("Clusters ({})", clusters.len())}</summary>
                    <ol data-testid="map-clusters">{rows}</ol>
                </details>
            }.into_any())
        })
    }
}

/// Each point's palette index when colored `by` ([`HIDDEN`] for a paper
/// with no place), and the legend (papers with no place not counted).
fn color(layout: &Layout, by: &str, indexes: &[&crate::engine::facets::FacetIndex]) -> Coloring {
    let mut coloring = color_placed(layout, by, indexes);
    let mut hidden = vec![0usize; PALETTE.len()];
    for (i, c) in coloring.colors.iter_mut().enumerate() {
        if !layout.is_placed(i) {
            if let Some(n) = hidden.get_mut(usize::from(*c)) {
                *n += 1;
            }
            *c = HIDDEN;
        }
    }
    for (c, _, count) in &mut coloring.legend {
        *count = count.saturating_sub(hidden[usize::from(*c).min(PALETTE.len() - 1)]);
    }
    coloring
}

fn color_placed(layout: &Layout, by: &str, indexes: &[&crate::engine::facets::FacetIndex]) -> Coloring {
    let n = layout.len();
    match by {
        BY_NONE => Coloring { colors: vec![0; n], legend: Vec::new() },
        BY_CLUSTER => {
            let colors =
                (0..n).map(|i| layout.cluster_of(i).map_or(OTHER, |c| (c % COLORED) as u8)).collect();
            Coloring { colors, legend: Vec::new() }
        }
        group => {
            let mut all = DocSet::with_capacity(n);
            all.insert_range(..);
            let none = Selection::default();
            let counts = counts_all(indexes, &all, &none);
            let Some(values) = counts.iter().find(|g| g.key == group).map(|g| g.top(COLORED)) else {
                return Coloring { colors: vec![OTHER; n], legend: Vec::new() };
            };
            let mut colors = vec![OTHER; n];
            let mut legend = Vec::new();
            for (k, value) in values.iter().enumerate() {
                let mut only = Selection::default();
                only.include(group, &value.value);
                let docs = filter_all(indexes, &all, &only);
                for doc in docs.ones().filter(|&d| d < n) {
                    if colors[doc] == OTHER {
                        colors[doc] = k as u8;
                    }
                }
                legend.push((k as u8, value.value.clone(), value.count));
            }
            legend.push((OTHER, "Other".to_owned(), colors.iter().filter(|&&c| c == OTHER).count()));
            Coloring { colors, legend }
        }
    }
}

/// Calls `object[method](argument)`.
fn call(object: &JsValue, method: &str, argument: Option<&JsValue>) -> Result<JsValue, JsValue> {
    let function: js_sys::Function = js_sys::Reflect::get(object, &method.into())?.dyn_into()?;
    match argument {
        Some(argument) => function.call1(object, argument),
        None => function.call0(object),
    }
}

/// A `ResizeObserver` calling `changed` when `element`'s box changes size,
/// and the callback it holds (both kept until it is disconnected); none
/// where the browser has no `ResizeObserver` (the window's resize event
/// still redraws).
fn observe_size(
    element: &web_sys::Element,
    changed: impl Fn() + 'static,
) -> Option<(JsValue, Closure<dyn FnMut()>)> {
    let class: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"ResizeObserver".into()).ok()?.dyn_into().ok()?;
    let callback = Closure::<dyn FnMut()>::new(changed);
    let observer = js_sys::Reflect::construct(&class, &js_sys::Array::of1(callback.as_ref())).ok()?;
    call(&observer, "observe", Some(element)).ok()?;
    Some((observer, callback))
}
