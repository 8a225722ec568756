//! The classifier's and the similar-papers scan's time at 100k papers, in
//! wasm as the app runs them (issue 17: a recommendation under 200 ms,
//! similar papers under 50 ms in the browser), and natively for
//! comparison. Synthetic vectors (clustered; the time depends on the
//! papers and dimensions, not on what the vectors say).
//!
//! A binary of its own (not an example: examples build with the
//! dev-dependencies, which do not build for wasm32), not part of the site.
//! Natively: `cargo run --release --bin folio-discovery-timing [PAPERS]`.
//! In wasm, under Node (the release profile of the app's wasm):
//!
//! ```sh
//! (source scripts/toolchain.sh && folio_wasm_env &&
//!  cargo build --release --offline --target wasm32-unknown-unknown --bin folio-discovery-timing)
//! wasm-bindgen --target nodejs --out-dir target/discovery-timing \
//!   target/wasm32-unknown-unknown/release/folio-discovery-timing.wasm
//! node -e 'require("./target/discovery-timing/folio-discovery-timing.js").run(100000)'
//! ```

use folio::engine::discover::{Classifier, Vectors};

const DIMS: usize = 128;
const LIKED: usize = 5;
const ROUNDS: usize = 5;

#[cfg(target_arch = "wasm32")]
mod platform {
    pub fn now_ms() -> f64 {
        js_sys::Date::now()
    }
    pub fn say(line: &str) {
        web_sys::console::log_1(&line.into());
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod platform {
    use std::sync::OnceLock;
    use std::time::Instant;
    pub fn now_ms() -> f64 {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
    }
    pub fn say(line: &str) {
        println!("{line}");
    }
}

/// `papers` unit vectors around 100 seeded directions.
fn synthetic(papers: usize) -> Vectors {
    let mut rng = fastrand::Rng::with_seed(17);
    let centres: Vec<Vec<f32>> =
        (0..100).map(|_| (0..DIMS).map(|_| rng.f32() * 2.0 - 1.0).collect()).collect();
    let mut floats = Vec::with_capacity(papers * DIMS);
    for i in 0..papers {
        floats.extend(centres[i % 100].iter().map(|x| x + 0.5 * (rng.f32() * 2.0 - 1.0)));
    }
    Vectors::quantize(DIMS, &floats)
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Times, over [`ROUNDS`] rounds, training on [`LIKED`] papers and ranking
/// every paper (the top 20 kept), and one paper's similar-papers scan.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen)]
pub fn run(papers: u32) {
    let papers = papers as usize;
    let t = platform::now_ms();
    let vectors = synthetic(papers);
    platform::say(&format!(
        "{papers} synthetic vectors ({DIMS} dimensions) in {:.0} ms",
        platform::now_ms() - t
    ));
    let (mut train, mut rank, mut scan) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let like: Vec<usize> = (0..LIKED).map(|k| (round * 7919 + k * 100) % papers).collect();
        let t = platform::now_ms();
        let Some(model) = Classifier::default().train(&vectors, &like, &[]) else { return };
        let trained = platform::now_ms();
        let mut scores: Vec<(usize, f32)> = model.probabilities(&vectors).into_iter().enumerate().collect();
        scores.select_nth_unstable_by(20, |a, b| b.1.total_cmp(&a.1));
        let ranked = platform::now_ms();
        let similar = vectors.nearest(like[0], 20);
        let scanned = platform::now_ms();
        train.push(trained - t);
        rank.push(ranked - trained);
        scan.push(scanned - ranked);
        assert!(similar.len() == 20);
    }
    let (train, rank, scan) = (median(train), median(rank), median(scan));
    platform::say(&format!(
        "median of {ROUNDS}: train {train:.0} ms + rank {rank:.0} ms = a recommendation in {:.0} ms; similar papers (scan) {scan:.0} ms",
        train + rank
    ));
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    run(std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(100_000));
}
