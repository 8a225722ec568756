//! The corpus map: every paper a point (`browser::map_canvas` draws them),
//! pan (drag, arrow keys) and zoom (wheel, `+`/`-`), points colored by
//! their cluster, a facet group or a tag, the current results lit and the
//! rest dimmed, the title of the pointed paper, a click to open it, a
//! shift-drag box that becomes the view's region filter; and the cluster
//! list, the map as text (activating a cluster filters to it).

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::browser::map_canvas::{css_color, nearest, Camera, Painter, Scene, OTHER, PALETTE};
use crate::browser::shards::expect_fetcher;
use crate::engine::facets::{counts_all, filter_all, DocSet, Selection};
use crate::engine::map::{Layout, Rect};
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

/// What the points are colored by: `cluster` (the default), `none`, or a
/// facet group's key.
pub const BY_CLUSTER: &str = "cluster";
pub const BY_NONE: &str = "none";

/// A press on the canvas being dragged.
#[derive(Clone, Copy)]
struct Drag {
    start: [f64; 2],
    last: [f64; 2],
    /// Shift was held: a box, not a pan.
    boxing: bool,
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
    let region = move || view.with(|v| v.region);

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
        let scene = Scene {
            points: layout.points(),
            colors: &coloring.colors,
            lit: lit.as_deref(),
            clusters: layout.clusters(),
            region: view.with_untracked(|v| v.region),
            dragging: dragging.get_untracked(),
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
    on_cleanup(move || {
        if let Some(Some(handle)) = frame.try_get_value() {
            handle.cancel();
        }
    });
    Effect::new(move |_| {
        if let (Some(points), Some(element)) = (points_canvas.get(), canvas.get()) {
            if painter.with_value(Option::is_none) {
                let made = Painter::new(points, element);
                renderer.set(match &made {
                    Some(p) if p.is_webgl() => "webgl",
                    Some(_) => "2d",
                    None => "none",
                });
                painter.set_value(made);
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
        view.with(|v| v.region);
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
                nearest(layout.points(), lit.as_deref(), &camera.get_untracked(), at, size(), POINT_RADIUS)
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
    let set_region = move |rect: Option<Rect>| {
        view.update(|v| {
            // A box drawn replaces a cluster chosen in the list.
            if rect.is_some() {
                v.cluster = None;
            }
            v.region = rect;
        })
    };

    let on_pointerdown = move |ev: web_sys::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let here = at(&ev);
        drag.set_value(Some(Drag { start: here, last: here, boxing: ev.shift_key(), moved: false }));
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
                if d.boxing {
                    dragging.set(Some((d.start, here)));
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
        let here = at(&ev);
        if d.boxing && d.moved {
            let (w, h) = size();
            set_region(Some(camera.get_untracked().rect(d.start, here, w, h)));
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
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let (w, h) = size();
        let centre = [w / 2.0, h / 2.0];
        let pan =
            |dx: f64, dy: f64| camera.update(|c| *c = c.panned(dx * w * KEY_PAN, dy * h * KEY_PAN, w, h));
        match ev.key().as_str() {
            "ArrowLeft" => pan(1.0, 0.0),
            "ArrowRight" => pan(-1.0, 0.0),
            "ArrowUp" => pan(0.0, 1.0),
            "ArrowDown" => pan(0.0, -1.0),
            "+" | "=" => camera.update(|c| *c = c.zoomed(KEY_ZOOM, centre, w, h)),
            "-" | "_" => camera.update(|c| *c = c.zoomed(1.0 / KEY_ZOOM, centre, w, h)),
            "0" => camera.set(Camera::default()),
            "Enter" => match pointed.get_untracked() {
                Some(doc) => open(doc),
                None => return,
            },
            _ => return,
        }
        // The map's keys, not the result list's (arrows move its cursor).
        ev.prevent_default();
        ev.stop_propagation();
    };

    // The pointed paper's title, at the pointer (its record fetched if need be).
    let tooltip = move || {
        let doc = pointed.get()?;
        fetcher.records.track();
        let title = explorer.with(|e| e.try_paper(doc).map(|p| p.title.clone()));
        if title.is_none() {
            fetcher.fetch_records(&[doc]);
        }
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
    let description = format!(
        "Map of {papers} papers. Drag or use the arrow keys to pan, the wheel or + and - to zoom, \
         shift-drag to filter to a region; Enter opens the paper under the pointer. \
         The cluster list below holds the same groups as text."
    );

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
                <Show when=move || region().is_some()>
                    <button class="button" data-testid="map-clear-region" on:click=move |_| set_region(None)>"Clear region"</button>
                </Show>
                <span class="map-hint muted">"Shift-drag to filter to a region"</span>
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
                    on:pointercancel=move |_| { drag.set_value(None); dragging.set(None); }
                    on:pointerleave=move |_| if drag.get_value().is_none() { pointed.set(None) }
                    on:wheel=on_wheel on:keydown=on_keydown></canvas>
                {tooltip}
            </div>
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
                        // One selection of the map at a time: the cluster replaces a region.
                        view.update(|v| {
                            v.cluster = u16::try_from(i).ok();
                            v.region = None;
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

/// Each point's palette index when colored `by`, and the legend.
fn color(layout: &Layout, by: &str, indexes: &[&crate::engine::facets::FacetIndex]) -> Coloring {
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
