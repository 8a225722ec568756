//! The service worker that makes the site work offline (`sw.js`, generated at
//! build time by `scripts/post-build.mjs`): registration, and the hand-over
//! to a new deploy, which waits until the user asks for it.
//!
//! A new deploy is never half-applied: its worker installs (precaching every
//! file of the new build) and then waits; the page running the old build
//! keeps being served from the old cache until the user clicks "Reload",
//! which tells the waiting worker to take over and reloads once it has.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    RegistrationOptions, ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
    ServiceWorkerUpdateViaCache,
};

/// The worker's script, relative to the page so the site works under any sub-path.
const SCRIPT_URL: &str = "sw.js";
/// The message the worker in `sw.js` answers with `skipWaiting()`.
const SKIP_WAITING: &str = "folio:skip-waiting";
/// How often a long-lived tab asks the host whether there is a new deploy.
const UPDATE_CHECK_MS: i32 = 60 * 60 * 1000;

/// The page's service-worker container, when this page can have a worker:
/// served over http(s) (not the single-file build on `file://`) by a browser
/// that supports them.
fn container() -> Option<ServiceWorkerContainer> {
    let window = web_sys::window()?;
    let protocol = window.location().protocol().ok()?;
    if protocol != "https:" && protocol != "http:" {
        return None;
    }
    if crate::browser::bundle_fetch::inline_pack().is_some() {
        return None;
    }
    let navigator = window.navigator();
    // Absent on insecure origins (plain http other than localhost).
    if !js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false) {
        return None;
    }
    Some(navigator.service_worker())
}

/// Registers `sw.js`; calls `on_update_ready` when a new deploy has been
/// installed and waits for [`apply_update`]. Does nothing where service
/// workers are unavailable; a failed registration only costs offline use,
/// so it is logged as a warning.
pub fn register(on_update_ready: impl Fn() + 'static) {
    let Some(container) = container() else { return };
    let on_update_ready: Rc<dyn Fn()> = Rc::new(on_update_ready);
    spawn_local(async move {
        let options = RegistrationOptions::new();
        options.set_scope("./");
        // Always ask the host for sw.js itself, whatever its HTTP caching says.
        options.set_update_via_cache(ServiceWorkerUpdateViaCache::None);
        let registration = match JsFuture::from(container.register_with_options(SCRIPT_URL, &options)).await {
            Ok(registration) => registration.unchecked_into::<ServiceWorkerRegistration>(),
            Err(err) => {
                web_sys::console::warn_2(&"Folio will not work offline: no service worker:".into(), &err);
                return;
            }
        };
        watch_for_updates(&registration, on_update_ready);
        check_for_updates_every_hour(registration);
    });
}

/// Calls `on_update_ready` for a worker that is waiting now, is installing
/// now, or starts installing later, unless it is the first one (there is no
/// active worker: nothing to update from).
fn watch_for_updates(registration: &ServiceWorkerRegistration, on_update_ready: Rc<dyn Fn()>) {
    if registration.waiting().is_some() && registration.active().is_some() {
        on_update_ready();
    }
    if let Some(installing) = registration.installing() {
        on_installed(registration, installing, on_update_ready.clone());
    }
    let found = registration.clone();
    let on_update_found = Closure::<dyn Fn()>::new(move || {
        if let Some(installing) = found.installing() {
            on_installed(&found, installing, on_update_ready.clone());
        }
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
}

fn on_installed(registration: &ServiceWorkerRegistration, worker: ServiceWorker, on_update_ready: Rc<dyn Fn()>) {
    let (installing, registration) = (worker.clone(), registration.clone());
    let on_state_change = Closure::<dyn Fn()>::new(move || {
        if installing.state() == ServiceWorkerState::Installed && registration.active().is_some() {
            on_update_ready();
        }
    });
    worker.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
    on_state_change.forget();
}

fn check_for_updates_every_hour(registration: ServiceWorkerRegistration) {
    let Some(window) = web_sys::window() else { return };
    let check = Closure::<dyn Fn()>::new(move || {
        if let Ok(promise) = registration.update() {
            // Offline or host unreachable: try again next hour, quietly.
            spawn_local(async move {
                let _ = JsFuture::from(promise).await;
            });
        }
    });
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        check.as_ref().unchecked_ref(),
        UPDATE_CHECK_MS,
    );
    check.forget();
}

/// Switches to the waiting deploy: the waiting worker takes over, then the
/// page reloads to run the new build from the new cache.
pub fn apply_update() {
    let Some(container) = container() else { return };
    spawn_local(async move {
        let reload = || {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        };
        let waiting = JsFuture::from(container.get_registration())
            .await
            .ok()
            .and_then(|registration| registration.dyn_into::<ServiceWorkerRegistration>().ok())
            .and_then(|registration| registration.waiting());
        let Some(waiting) = waiting else {
            // Another tab already switched: this page only needs the reload.
            return reload();
        };
        let on_controller_change = Closure::once_into_js(reload);
        container.set_oncontrollerchange(Some(on_controller_change.unchecked_ref()));
        let _ = waiting.post_message(&JsValue::from_str(SKIP_WAITING));
    });
}
