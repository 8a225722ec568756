//! The app's side of the math worker (`src/bin/folio-math.rs`): formulas
//! rendered as MathML off the app's own wasm (the TeX parser and renderer
//! live only in the worker). Started when the first formula asks, or
//! early when a corpus has formulas ([`start_early`]); answers
//! are kept per formula source for the page's life, so a formula shown
//! again (a new highlight, a reopened paper) renders at once. A worker that
//! cannot start or stops leaves every formula as its source text, with one
//! console warning.

use std::cell::RefCell;
use std::collections::HashMap;

use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, MessageEvent, Worker};

use super::compile_worker::{new_worker, stop_reason};

/// The worker's binary (its script: `folio-math_loader.js`).
pub const WORKER: &str = "folio-math";

/// Who waits for a formula's tree.
type Waiter = Box<dyn FnOnce(&JsValue)>;

#[derive(Default)]
enum State {
    #[default]
    Off,
    /// Started; formulas asked before it said "ready".
    Starting(Worker, Vec<String>),
    Ready(Worker),
    Failed,
}

#[derive(Default)]
struct Math {
    state: State,
    /// The worker's answer per formula source: its tree, or null (does not render).
    answers: HashMap<String, JsValue>,
    waiting: HashMap<String, Vec<Waiter>>,
}

thread_local! {
    static MATH: RefCell<Math> = RefCell::default();
}

/// Calls `then` with the MathML tree of the formula `source` (delimiters
/// included) as the worker sent it (see `src/bin/folio-math.rs`): at once
/// when already known, else when the worker answers; never when the
/// formula does not render or the worker failed.
pub fn render(source: &str, then: impl FnOnce(&JsValue) + 'static) {
    let known = MATH.with(|math| math.borrow().answers.get(source).cloned());
    if let Some(tree) = known {
        // Called outside the borrow: `then` may ask for more.
        if !tree.is_null() {
            then(&tree);
        }
        return;
    }
    MATH.with(|math| {
        let mut math = math.borrow_mut();
        if matches!(math.state, State::Failed) {
            return;
        }
        let first = !math.waiting.contains_key(source);
        math.waiting.entry(source.to_owned()).or_default().push(Box::new(then));
        if first {
            ask(&mut math, source);
        }
    });
}

/// Starts the worker if it is not started yet, with no formula asked
/// (the app does it once idle after loading a corpus with formulas, so
/// that the first rows with one do not wait for the worker to load).
pub fn start_early() {
    MATH.with(|math| {
        let mut math = math.borrow_mut();
        if matches!(math.state, State::Off) {
            match start() {
                Ok(worker) => math.state = State::Starting(worker, Vec::new()),
                Err(reason) => fail(&mut math, &reason),
            }
        }
    });
}

fn ask(math: &mut Math, source: &str) {
    match &mut math.state {
        State::Off => match start() {
            Ok(worker) => math.state = State::Starting(worker, vec![source.to_owned()]),
            Err(reason) => fail(math, &reason),
        },
        State::Starting(_, queue) => queue.push(source.to_owned()),
        State::Ready(worker) => {
            let _ = worker.post_message(&JsValue::from_str(source));
        }
        State::Failed => {}
    }
}

/// Gives up: formulas stay as their source text.
fn fail(math: &mut Math, reason: &str) {
    if let State::Starting(worker, _) | State::Ready(worker) = &math.state {
        worker.terminate();
    }
    math.state = State::Failed;
    math.waiting.clear();
    web_sys::console::warn_1(&format!("Formulas are shown as TeX: the math worker {reason}.").into());
}

fn start() -> Result<Worker, String> {
    let worker = new_worker(WORKER).map_err(|err| format!("could not start ({err:?})"))?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| answered(event.data()));
    let on_error = Closure::<dyn FnMut(Event)>::new(|event: Event| {
        event.prevent_default();
        MATH.with(|math| fail(&mut math.borrow_mut(), &format!("stopped ({})", stop_reason(&event))));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // The worker lives as long as the page.
    on_message.forget();
    on_error.forget();
    Ok(worker)
}

fn answered(data: JsValue) {
    if data.as_string().as_deref() == Some("ready") {
        return MATH.with(|math| {
            let mut math = math.borrow_mut();
            if let State::Starting(worker, queue) = std::mem::take(&mut math.state) {
                for source in queue {
                    let _ = worker.post_message(&JsValue::from_str(&source));
                }
                math.state = State::Ready(worker);
            }
        });
    }
    let Some(answer) = data.dyn_ref::<Array>() else { return };
    let Some(source) = answer.get(0).as_string() else { return };
    let tree = answer.get(1);
    let waiters = MATH.with(|math| {
        let mut math = math.borrow_mut();
        math.answers.insert(source.clone(), tree.clone());
        math.waiting.remove(&source).unwrap_or_default()
    });
    if !tree.is_null() {
        for then in waiters {
            then(&tree);
        }
    }
}
