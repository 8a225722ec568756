//! Reactive glue: the app-wide handles components share through context.
//!
//! The URL is the source of truth for the view: `ViewContext` is read from it
//! on load and on back/forward, and written back by one effect. The user's
//! data lives in `UserContext` and is written to storage by one effect.

use std::sync::{Arc, PoisonError, RwLock};

use leptos::prelude::*;

use crate::browser::{bench_hook, bundle_fetch, corpus_store, shards, url_state, user_store};
use crate::engine::explorer::{Exploration, Explorer};
use crate::engine::facets::FacetIndex;
use crate::engine::tags::{merge_three_way, TagStore, UserData};
use crate::engine::view_state::ViewState;

/// An explorer the page shares: the components read it, the shard fetcher
/// adds the shards of a sharded pack to it (`browser::shards`).
pub type SharedExplorer = Arc<RwLock<Explorer>>;

/// The loaded corpus and its indexes, for the components under the
/// explorer view (a handle, `Copy`; gone with the view).
#[derive(Clone, Copy)]
pub struct ExplorerHandle(StoredValue<SharedExplorer>);

impl ExplorerHandle {
    /// Runs `f` on the explorer. Never call [`ExplorerHandle::with_mut`]
    /// inside: one reader or one writer at a time.
    pub fn with<T>(&self, f: impl FnOnce(&Explorer) -> T) -> T {
        self.0.with_value(|e| f(&e.read().unwrap_or_else(PoisonError::into_inner)))
    }

    /// Runs `f` on the explorer unless the view it belonged to is gone
    /// (after an await: another corpus may have opened meanwhile).
    pub fn try_with<T>(&self, f: impl FnOnce(&Explorer) -> T) -> Option<T> {
        self.0.try_with_value(|e| f(&e.read().unwrap_or_else(PoisonError::into_inner)))
    }

    /// Runs `f` on the explorer to change it (shards added, the cache's
    /// bookkeeping), unless the view it belonged to is gone.
    pub fn try_with_mut<T>(&self, f: impl FnOnce(&mut Explorer) -> T) -> Option<T> {
        self.0.try_with_value(|e| f(&mut e.write().unwrap_or_else(PoisonError::into_inner)))
    }

    /// The shared explorer itself (for the benchmark hooks).
    pub fn shared(&self) -> SharedExplorer {
        self.0.get_value()
    }
}

/// What the page shows: the corpus being loaded, the corpus in view, or why
/// none could be loaded.
#[derive(Clone)]
pub enum CorpusState {
    Loading,
    Loaded(SharedExplorer),
    Failed(String),
    /// The site has no corpus of its own and none is kept: ask for files.
    Empty,
}

/// Where the corpus in view came from: how to read its bytes again, to add
/// files to it or export it.
#[derive(Clone)]
pub enum CorpusOrigin {
    /// The site's own corpus (`bundle.pack`, `bundle.json` or the inlined bundle).
    Site,
    /// A corpus kept in this browser (`browser::corpus_store`), by id.
    Kept(String),
    /// Files opened but not kept (the store was full or refused): the app
    /// pack the compile worker made (a sharded one as its files in one
    /// buffer, `engine::open::FILES_MAGIC`), until the page is left.
    Unsaved(js_sys::Uint8Array),
}

/// The corpus in view, app-wide (the root component, the header's
/// "Open papers…" and corpus menu, and the opener share it). Replacing it
/// remounts the explorer with a fresh view.
#[derive(Clone, Copy)]
pub struct CorpusContext {
    pub state: RwSignal<CorpusState>,
    /// The corpus's name, for people: the site's, or the files opened.
    pub name: RwSignal<String>,
    /// Bumped when the kept corpora change (the menu lists them again).
    pub kept_changed: RwSignal<u32>,
    origin: StoredValue<CorpusOrigin, LocalStorage>,
}

/// The name of the corpus a site is built with.
pub const SITE_CORPUS: &str = "This site's papers";

impl CorpusContext {
    /// Shows `explorer` in place of whatever was in view, on a fresh view
    /// (the old query, filters and paper named another corpus).
    pub fn show(&self, explorer: Explorer, name: String, origin: CorpusOrigin) {
        url_state::write(&ViewState::default(), true);
        self.show_in_view(explorer, name, origin);
    }

    /// Shows `explorer` on the view the URL holds (a reload).
    fn show_in_view(&self, explorer: Explorer, name: String, origin: CorpusOrigin) {
        self.origin.set_value(origin);
        self.name.set(name);
        self.state.set(CorpusState::Loaded(Arc::new(RwLock::new(explorer))));
    }

    /// The papers in view, if any (0 while loading or after a failure).
    pub fn papers(&self) -> usize {
        self.state.with(|s| match s {
            CorpusState::Loaded(explorer) => explorer.read().map_or(0, |e| e.len()),
            _ => 0,
        })
    }

    /// The id of the kept corpus in view, if it is one.
    pub fn kept_id(&self) -> Option<String> {
        self.origin.with_value(|o| match o {
            CorpusOrigin::Kept(id) => Some(id.clone()),
            _ => None,
        })
    }

    /// Records where the corpus in view now lives (it was kept, or could not be).
    pub fn set_origin(&self, origin: CorpusOrigin) {
        self.origin.set_value(origin);
        self.kept_changed.update(|n| *n += 1);
    }

    /// The bytes of the corpus in view (a pack or a bundle), to add files
    /// to it or export it.
    pub async fn bytes(&self) -> Result<js_sys::Uint8Array, String> {
        match self.origin.get_value() {
            CorpusOrigin::Site => bundle_fetch::site_corpus_bytes().await.map_err(|e| e.to_string()),
            CorpusOrigin::Kept(id) => match corpus_store::whole(&id).await {
                Ok(Some(pack)) => Ok(pack),
                Ok(None) => Err("it is no longer kept in this browser".to_owned()),
                Err(err) => Err(corpus_store::describe(&err)),
            },
            // A copy: the worker takes the bytes it is given.
            CorpusOrigin::Unsaved(pack) => Ok(pack.slice(0, pack.length())),
        }
    }

    /// Shows the kept corpus `id` (remembered as the one in view), on a
    /// fresh view or (`fresh` false: a reload) the URL's.
    pub async fn open_kept(&self, id: &str, name: String, fresh: bool) -> Result<(), String> {
        let explorer = corpus_store::explorer(id).await?;
        let _ = corpus_store::set_current(Some(id)).await;
        let origin = CorpusOrigin::Kept(id.to_owned());
        match fresh {
            true => self.show(explorer, name, origin),
            false => self.show_in_view(explorer, name, origin),
        }
        Ok(())
    }

    /// Shows the site's own corpus (remembered as the one in view), or
    /// the empty explorer of a site without one.
    pub async fn open_site(&self) -> Result<(), String> {
        if !bundle_fetch::site_has_corpus() {
            let _ = corpus_store::set_current(None).await;
            url_state::write(&ViewState::default(), true);
            self.origin.set_value(CorpusOrigin::Site);
            self.name.set(SITE_CORPUS.to_owned());
            self.state.set(CorpusState::Empty);
            return Ok(());
        }
        let explorer = bundle_fetch::load_explorer().await.map_err(|e| e.to_string())?;
        let _ = corpus_store::set_current(None).await;
        self.show(explorer, SITE_CORPUS.to_owned(), CorpusOrigin::Site);
        Ok(())
    }
}

/// Provides the corpus context and loads the corpus in view when the page
/// was left: a kept one, else the site's own.
pub fn provide_corpus_state() -> CorpusContext {
    let corpus = CorpusContext {
        state: RwSignal::new(CorpusState::Loading),
        name: RwSignal::new(SITE_CORPUS.to_owned()),
        kept_changed: RwSignal::new(0),
        origin: StoredValue::new_local(CorpusOrigin::Site),
    };
    leptos::task::spawn_local(async move {
        if let Ok(Some(id)) = corpus_store::current().await {
            let name = corpus_store::list().await.ok().and_then(|all| all.into_iter().find(|c| c.id == id));
            match name {
                Some(kept) => match corpus.open_kept(&id, kept.name, false).await {
                    Ok(()) => return,
                    Err(reason) => web_sys::console::warn_1(
                        &format!("the kept corpus was not opened ({reason}); opening the site's").into(),
                    ),
                },
                None => {
                    web_sys::console::warn_1(&"the kept corpus in view is gone; opening the site's".into())
                }
            }
        }
        if !bundle_fetch::site_has_corpus() {
            return corpus.state.set(CorpusState::Empty);
        }
        match bundle_fetch::load_explorer().await {
            Ok(explorer) => corpus.state.set(CorpusState::Loaded(Arc::new(RwLock::new(explorer)))),
            Err(err) => corpus.state.set(CorpusState::Failed(err.to_string())),
        }
    });
    provide_context(corpus);
    corpus
}

pub fn expect_corpus() -> CorpusContext {
    expect_context::<CorpusContext>()
}

/// The shareable view state (query, filters, sort, open paper).
#[derive(Clone, Copy)]
pub struct ViewContext(pub RwSignal<ViewState>);

/// What the explorer answered for the current view.
#[derive(Clone, Copy)]
pub struct ResultsContext(pub ReadSignal<Arc<Exploration>>);

/// The keyboard cursor in the result list (index into the results).
#[derive(Clone, Copy)]
pub struct CursorContext(pub RwSignal<usize>);

/// Shows the answer to another query and at once the view's own again,
/// before the next frame ([`rehearse`]).
#[derive(Clone, Copy)]
pub struct RehearsalContext(pub Callback<()>);

/// What the rehearsal shows for a moment: rows and facet values unlike the
/// whole corpus's.
const REHEARSAL_QUERY: &str = "learning mod";

thread_local! {
    static REHEARSING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the results change for a [`rehearse`] only: what a new answer
/// resets (the pages of rows shown) stays.
pub fn rehearsing() -> bool {
    REHEARSING.with(std::cell::Cell::get)
}

/// The facet value (group key, value) whose mentions in the papers' text
/// are highlighted: set while a facet value or an entity chip is hovered or
/// focused.
#[derive(Clone, Copy)]
pub struct HoverContext(pub RwSignal<Option<(String, String)>>);

/// How the page shows the view (the map or not, what colors it), kept in
/// the URL beside the view state (`url_state::Pane`).
#[derive(Clone, Copy)]
pub struct PaneContext(pub RwSignal<url_state::Pane>);

/// The user's tags, notes and reading state, and how saving them goes.
#[derive(Clone, Copy)]
pub struct UserContext {
    pub store: RwSignal<TagStore>,
    /// Written by a newer Folio, or storage unusable: never written.
    pub read_only: RwSignal<bool>,
    /// A problem found when loading (shown until dismissed).
    pub load_problem: RwSignal<Option<String>>,
    /// Why the last save failed, if it did (cleared by the next success).
    pub save_error: RwSignal<Option<String>>,
    /// Facet groups of the user's data.
    pub facets: Memo<Arc<FacetIndex>>,
    /// Asks the paper view to focus its tag input (the `t` key); the
    /// editor clears it once done, even if it mounts after the request.
    pub focus_tag_input: RwSignal<bool>,
}

impl UserContext {
    /// Applies one change to the store (the save effect persists it).
    pub fn change<T>(&self, change: impl FnOnce(&mut TagStore, u64) -> T) -> T {
        let now = user_store::now();
        let mut result = None;
        self.store.update(|store| result = Some(change(store, now)));
        result.expect("update runs the closure")
    }
}

/// Runs `f` once the next frame is painted.
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(f, std::time::Duration::ZERO));
}

/// Provides every context for the explorer and keeps the URL and storage in sync.
pub fn provide_explorer_state(explorer: SharedExplorer) {
    let explorer = ExplorerHandle(StoredValue::new(explorer));
    let view = RwSignal::new(url_state::read());
    let fetcher = shards::provide(explorer);
    let user = provide_user_state(explorer, fetcher);
    // The answer for the view in effect: computed when the view, the user's
    // data or the shards held change; a sharded pack's explorer may first
    // need shards, fetched meanwhile (the previous answer stays, the page
    // says it is searching), and answers once they are in, its facet
    // groups whose lists are in facet shards not held yet still counting
    // (shown so) until those arrive.
    let start = bench_hook::now();
    let first = user.store.with_untracked(|store| {
        let facets = user.facets.get_untracked();
        view.with_untracked(|state| {
            explorer.try_with_mut(|e| match e.try_explore(state, store.data(), &facets) {
                // Complete, or its facet groups still counting (the effect
                // below then asks for what they wait for).
                Ok(exploration) => {
                    let complete = exploration.counts_complete();
                    (exploration, complete)
                }
                // Until its shards are in: the corpus as a whole (from the
                // head), without the user's facets (they may wait for the
                // ids of their papers too).
                Err(_) => {
                    let nobody = UserData::default();
                    (e.explore(&ViewState::default(), &nobody, &FacetIndex::new(e.len())), false)
                }
            })
        })
    });
    let (first, complete) = first.expect("the explorer is provided just above");
    bench_hook::measure("view: first answer", start);
    let results = RwSignal::new(Arc::new(first));
    // The one writer of the URL, created before the answer's effect so that
    // it runs first, before the interaction changes the page: a History call
    // makes Chromium update styles at once, which costs little on a page not
    // yet changed and milliseconds in the middle of the interaction's DOM
    // changes. Typing replaces the entry, keystroke by keystroke (the URL is
    // part of what a keystroke changes); anything else pushes one.
    let previous = StoredValue::new(view.get_untracked());
    Effect::new(move |_| {
        let state = view.get();
        let typing = previous.with_value(|old| old.query != state.query && old.paper == state.paper);
        url_state::write(&state, !typing);
        previous.set_value(state);
    });
    Effect::new(move |ran: Option<()>| {
        fetcher.index.track();
        let user_facets = user.facets.get();
        if ran.is_none() && complete {
            // The answer above is this view's: subscribe only (the first
            // view's engine work is done once).
            user.store.track();
            view.track();
            return;
        }
        let start = bench_hook::now();
        let answer = user.store.with(|store| {
            view.with(|state| explorer.try_with_mut(|e| e.try_explore(state, store.data(), &user_facets)))
        });
        bench_hook::measure("view: answer", start);
        match answer {
            Some(Ok(exploration)) => {
                fetcher.answered();
                // The rows are in; facet groups still counting fill in when
                // the shards they wait for arrive (this effect runs again),
                // fetched after the rows' records.
                fetcher.fetch_after_rows(exploration.counts_wait_for().to_vec());
                if results.with_untracked(|old| **old != exploration) {
                    results.set(Arc::new(exploration));
                }
            }
            Some(Err(missing)) => fetcher.fetch(missing),
            None => {}
        }
    });
    let pane = RwSignal::new(url_state::read_pane());
    Effect::new(move |_| url_state::set_pane(pane.get()));
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        let state = url_state::read();
        previous.set_value(state.clone());
        view.set(state);
        pane.set(url_state::read_pane());
    });
    // Another corpus opened: this explorer's signals are disposed with it.
    on_cleanup(move || popstate.remove());
    provide_context(explorer);
    provide_context(ViewContext(view));
    provide_context(ResultsContext(results.read_only()));
    provide_context(RehearsalContext(Callback::new(move |()| rehearse(explorer, view, user, results))));
    provide_context(CursorContext(RwSignal::new(0)));
    provide_context(HoverContext(RwSignal::new(None)));
    provide_context(PaneContext(pane));
}

/// Shows the answer to [`REHEARSAL_QUERY`] and, in the microtasks of the
/// same task, the view's own answer again: nothing of it is painted, but
/// the views' update code (rows replaced and moved, facet values changed)
/// has run once, so that the first keystroke does not wait for V8 to
/// compile it (about 5 ms at 100k papers). The rows are made again (keyed
/// by paper), so not once the focus is in the list; not for a sharded
/// pack, whose rows would fetch their records, nor when the answer is the
/// same.
fn rehearse(
    explorer: ExplorerHandle,
    view: RwSignal<ViewState>,
    user: UserContext,
    results: RwSignal<Arc<Exploration>>,
) {
    if explorer.try_with(Explorer::is_sharded) != Some(false) {
        return;
    }
    // Nor once the reader is at a row (its elements are made again: the
    // focus would go).
    let at_row = gloo::utils::document()
        .active_element()
        .is_some_and(|element| element.closest(".result-list").ok().flatten().is_some());
    if at_row {
        return;
    }
    let Some(own) = results.try_get_untracked() else { return };
    let facets = user.facets.get_untracked();
    let answer = user.store.with_untracked(|store| {
        view.with_untracked(|state| {
            let state = ViewState { query: REHEARSAL_QUERY.to_owned(), ..state.clone() };
            explorer.try_with_mut(|e| e.try_explore(&state, store.data(), &facets))
        })
    });
    let Some(Ok(other)) = answer else { return };
    if other == *own {
        return;
    }
    // Named in the page's timeline (its views' work follows, in microtasks).
    bench_hook::measure("rehearsal", bench_hook::now());
    let other = Arc::new(other);
    REHEARSING.with(|r| r.set(true));
    results.set(Arc::clone(&other));
    // After the effects that show it (queued first), before any frame;
    // unless a real answer came meanwhile. The flag goes after the
    // effects that show the view's answer again.
    leptos::task::spawn_local(async move {
        if results.try_with_untracked(|r| Arc::ptr_eq(r, &other)) == Some(true) {
            results.try_set(own);
        }
        leptos::task::spawn_local(async { REHEARSING.with(|r| r.set(false)) });
    });
}

fn provide_user_state(explorer: ExplorerHandle, fetcher: shards::Fetcher) -> UserContext {
    let key = user_store::key();
    let loaded = user_store::load(&key);
    let store = RwSignal::new(TagStore::new(loaded.data));
    // A sharded pack's head knows the user's papers once their id shards
    // are in (the results ask for them, and wait): until then the facets
    // are made again as shards come in (and the results do not use them).
    let facets = Memo::new_with_compare(
        move |_| {
            let facets = store.with(|s| explorer.with(|e| e.try_user_facets(s.data())));
            Arc::new(facets.unwrap_or_else(|_| {
                fetcher.index.track();
                store.with(|s| explorer.with(|e| e.user_facets(s.data())))
            }))
        },
        |old, new| !matches!((old, new), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    let user = UserContext {
        store,
        read_only: RwSignal::new(loaded.read_only),
        load_problem: RwSignal::new(loaded.problem),
        save_error: RwSignal::new(None),
        facets,
        focus_tag_input: RwSignal::new(false),
    };
    // What storage holds now, so that loading or another tab's change is not written back.
    let saved = StoredValue::new(store.with_untracked(|s| s.data().clone()));
    {
        let key = key.clone();
        Effect::new(move |_| {
            let data: UserData = store.with(|s| s.data().clone());
            if user.read_only.get_untracked() || saved.with_value(|s| *s == data) {
                return;
            }
            match user_store::save(&key, &data) {
                Ok(()) => {
                    saved.set_value(data);
                    user.save_error.set(None);
                }
                Err(reason) => user.save_error.set(Some(reason)),
            }
        });
    }
    // Another tab saved: merge three ways (what this tab last saved, what it
    // holds now, what the other tab saved), so neither tab's change is lost;
    // the save effect then writes the merge if it differs from theirs.
    let listener = user_store::on_other_tab_change(key, move |theirs| {
        let base = saved.get_value();
        saved.set_value(theirs.clone());
        store.update(|s| {
            let merged = merge_three_way(&base, s.data(), &theirs);
            s.replace(merged);
        });
    });
    // Removed (dropped) with the explorer, when another corpus is opened.
    StoredValue::new_local(listener);
    provide_context(user);
    user
}

pub fn expect_explorer() -> ExplorerHandle {
    expect_context::<ExplorerHandle>()
}

pub fn expect_view() -> RwSignal<ViewState> {
    expect_context::<ViewContext>().0
}

pub fn expect_results() -> ReadSignal<Arc<Exploration>> {
    expect_context::<ResultsContext>().0
}

pub fn expect_cursor() -> RwSignal<usize> {
    expect_context::<CursorContext>().0
}

pub fn expect_hover() -> RwSignal<Option<(String, String)>> {
    expect_context::<HoverContext>().0
}

pub fn expect_pane() -> RwSignal<url_state::Pane> {
    expect_context::<PaneContext>().0
}

pub fn expect_user() -> UserContext {
    expect_context::<UserContext>()
}
