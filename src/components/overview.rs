//! The overview: a corpus summary and a small bar chart of the top values of
//! each facet for the current results, drawn as SVG by the app.

use leptos::prelude::*;

use crate::state::expect_results;

/// Bars per chart.
const TOP: usize = 5;
const BAR_HEIGHT: usize = 18;
const CHART_WIDTH: usize = 240;

#[component]
pub fn Overview() -> impl IntoView {
    let results = expect_results();
    let open = RwSignal::new(false);
    view! {
        <details class="overview" data-testid="overview" prop:open=move || open.get()
            on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary>"Overview"</summary>
            <Show when=move || open.get()>
                <div class="charts">
                    {move || results.with(|r| r.facets.iter().map(|group| {
                        let top = group.top(TOP);
                        let max = top.iter().map(|v| v.count).max().unwrap_or(1).max(1);
                        let height = top.len() * (BAR_HEIGHT + 4);
                        view! {
                            <figure class="chart">
                                <figcaption>{group.label.clone()}</figcaption>
                                <svg role="img" aria-label=format!("Top {} by papers", group.label.to_lowercase())
                                    width=CHART_WIDTH height=height viewBox=format!("0 0 {CHART_WIDTH} {height}")>
                                    {top.iter().enumerate().map(|(i, v)| {
                                        let y = i * (BAR_HEIGHT + 4);
                                        let w = (v.count * (CHART_WIDTH - 40) / max).max(1);
                                        view! {
                                            <g>
                                                <title>{format!("{}: {}", v.value, v.count)}</title>
                                                <rect class="bar" x="0" y=y width=w height=BAR_HEIGHT rx="3" />
                                                <text class="bar-label" x="4" y=y + BAR_HEIGHT - 5>{v.value.clone()}</text>
                                                <text class="bar-count" x=CHART_WIDTH - 4 y=y + BAR_HEIGHT - 5 text-anchor="end">{v.count}</text>
                                            </g>
                                        }
                                    }).collect_view()}
                                </svg>
                            </figure>
                        }
                    }).collect_view())}
                </div>
            </Show>
        </details>
    }
}
