//! The modal dialog frame the dialogs share (keyboard help, tags, bulk
//! tagging): a box over the dimmed page, named by its heading; a click on
//! the page around it dismisses it.

use leptos::prelude::*;

#[component]
pub fn Dialog(
    /// The heading, which names the dialog for assistive technology.
    title: &'static str,
    /// The dialog's `data-testid`; its heading's id is `<testid>-title`.
    testid: &'static str,
    /// Classes of the box besides `dialog` (e.g. `tag-manager`).
    #[prop(optional)]
    class: &'static str,
    /// Called when the page around the dialog is clicked.
    on_close: Callback<()>,
    /// The dialog's content, below the heading.
    children: Children,
) -> impl IntoView {
    let title_id = format!("{testid}-title");
    let labelled_by = title_id.clone();
    let class = if class.is_empty() { "dialog".to_owned() } else { format!("dialog {class}") };
    view! {
        <div class="overlay" on:click=move |_| on_close.run(())>
            <section class=class role="dialog" aria-modal="true" aria-labelledby=labelled_by
                data-testid=testid on:click=|ev| ev.stop_propagation()>
                <h2 id=title_id>{title}</h2>
                {children()}
            </section>
        </div>
    }
}
