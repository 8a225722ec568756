// In-browser benchmark of the release build, beside MiniSearch, in Debian's
// headless Chromium. Prints figures; asserts nothing.
//
//   node scripts/bench-browser.mjs [--sizes 24,10000,100000] [--runs 5]
//     [--quiet 500] [--profile] [--interactions-only]
//   (FOLIO_BENCH_REUSE=1: keep the corpora compiled by an earlier run;
//   FOLIO_DIST=DIR: measure that build instead of dist/)
//
// For each corpus size it compiles a corpus with `folio compile` (the seed,
// or real papers from ../shared/corpus written as listing text: the first N
// papers of acl-anthology-64k then paperlists-87k whose title and abstract
// fit the listing format), serves a copy of dist/ with that bundle, and
// measures in the page:
// The pack is one file (`--pack-layout single`): this measures the engine on
// the whole corpus; scripts/bench-shards.mjs measures the sharded pack.
//   - load: app pack (bundle.pack) downloaded -> explorer ready and painted
//     (indexes copied from the pack, first page of results rendered);
//   - Folio engine per query (search + facets + order, no rendering), p50/p95
//     per query class (the classes of benches/search.rs);
//   - interaction to its last change: a keystroke in the search box, and a
//     facet toggle, until the frame after its last DOM change or its URL
//     write, p50/p95, the first keystroke after load apart (and whether
//     the app's warm-up was done by then); the main thread's own work up
//     to the first frame (its task and that frame's rendering, without the
//     wait for the frame) and how many interactions were done in that
//     frame; the floor of these figures (an interaction that changes one
//     attribute); the longest task (measured first, before the engine runs
//     and before MiniSearch is in the page; bench-common.mjs);
//   - MiniSearch 7.2 (prefix and fuzzy on) over the same titles and
//     abstracts and queries: index build and p50/p95, and Folio's ratio;
//   - memory: wasm linear memory and the JS heap.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import readline from 'node:readline';
import { TYPING, arg, chromium, interactionsSettled, pct, printSettled, root, typeEachKey } from './bench-common.mjs';

const sizes = arg('sizes', '24,10000,100000').split(',').map(Number);
const runs = Number(arg('runs', '5'));
// Quiet time (ms) after which an interaction counts as settled: longer than
// any pause the app waits before a change (docs/benchmarks.md).
const quietMs = Number(arg('quiet', '500'));
// `--profile`: also trace the typing with the DevTools protocol and print
// where the main thread's time goes (script, style, layout, paint) and the
// functions that take it.
const profile = process.argv.includes('--profile');
const corpusDir = process.env.FOLIO_CORPUS_DIR ?? path.resolve(root, '../shared/corpus');
// Corpora, bundles and sites are written here (FOLIO_BENCH_DIR); the site is
// served on FOLIO_BENCH_PORT, so that two runs can go side by side.
const work = process.env.FOLIO_BENCH_DIR ?? '/tmp/folio-bench';
// FOLIO_DIST: measure another build of the app (default: dist/).
const dist = path.resolve(process.env.FOLIO_DIST ?? path.join(root, 'dist'));
fs.mkdirSync(work, { recursive: true });

const QUERIES = {
  'single word': ['language ', 'robot ', 'translation ', 'graph ', 'diffusion '],
  'prefix mid-typing': ['transl', 'reinfor', 'segmenta', 'lang', 'neur'],
  typo: ['trnaslation ', 'reinforcment ', 'segmentaton ', 'difusion ', 'attenton '],
  phrase: ['"machine translation"', '"large language models"', '"reinforcement learning"', '"graph neural network"', '"named entity recognition"'],
  identifier: ['GPT-4 ', 'BERT ', 'Llama-2-70B-Chat ', 'MT-Bench ', 'ResNet-50 '],
  'qualifier/operator': ['title:translation ', 'author:smith ', 'year:2020..2022 neural ', '-neural translation ', 'lora OR adapter '],
  question: ['safety fine-tuning of open chat models ', 'how do robots learn to grasp unknown objects ', 'can large language models reason about graphs ', 'why do transformers fail at length generalization ', 'which benchmark measures hallucination in summarization ', 'pedestrian intent prediction for self-driving cars from lidar '],
};
const fmt = (x) => x.toFixed(2).padStart(8);

async function* realPapers() {
  for (const file of ['acl-anthology-64k.jsonl.gz', 'paperlists-87k.jsonl.gz']) {
    const lines = readline.createInterface({ input: fs.createReadStream(path.join(corpusDir, file)).pipe(zlib.createGunzip()) });
    for await (const line of lines) yield JSON.parse(line);
  }
}

async function corpusFile(size) {
  if (size <= 24) return path.join(root, 'corpus/000_aec88eee982df8fa.txt');
  const out = path.join(work, `corpus-${size}.txt`);
  if (fs.existsSync(out)) return out;
  const lines = [];
  const seen = new Set();
  for await (const p of realPapers()) {
    const title = String(p.title ?? '').replace(/\s+/g, ' ').trim();
    const abs = String(p.abstract ?? '').replace(/\s+/g, ' ').trim();
    const key = title.toLowerCase();
    if (title.length < 10 || title.length >= 200 || abs.length < 200 || seen.has(key) || /^subscribe/i.test(title)) continue;
    seen.add(key);
    lines.push(title, abs);
    if (lines.length / 2 >= size) break;
  }
  fs.writeFileSync(out, lines.join('\n') + '\n');
  return out;
}

function siteFor(size, corpus) {
  const dir = path.join(work, `dist-${size}`);
  const pack = path.join(dir, 'bundle.pack');
  // FOLIO_BENCH_REUSE=1: the corpus compiled by an earlier run, today's app.
  const reuse = process.env.FOLIO_BENCH_REUSE === '1' && fs.existsSync(pack);
  if (reuse) {
    for (const f of fs.readdirSync(dir)) if (!f.startsWith('bundle.')) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    fs.cpSync(dist, dir, { recursive: true, filter: (f) => !path.basename(f).startsWith('bundle.') });
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(dist, dir, { recursive: true });
  }
  // FOLIO_BENCH_WASM_NAMES=1: the app's wasm as wasm-bindgen wrote it,
  // before scripts/post-build.mjs strips its function names, so that a
  // profile names the Rust functions (the page's integrity checks go).
  if (process.env.FOLIO_BENCH_WASM_NAMES === '1') {
    const built = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'wasm-bindgen/release');
    for (const f of fs.readdirSync(dir)) {
      const m = f.match(/^folio-app-[0-9a-f]+(\.js|_bg\.wasm)$/);
      if (m) fs.copyFileSync(path.join(built, `folio-app${m[1]}`), path.join(dir, f));
    }
    const html = path.join(dir, 'index.html');
    fs.writeFileSync(html, fs.readFileSync(html, 'utf8').replace(/ integrity="[^"]*"/g, ''));
  }
  const t = Date.now();
  if (!reuse) execFileSync(path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release/folio'), ['compile', corpus, '--out', path.join(dir, 'bundle.json'), '--pack', path.join(dir, 'bundle.pack'), '--pack-layout', 'single'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const bytes = fs.statSync(path.join(dir, 'bundle.json')).size;
  const packBytes = fs.statSync(path.join(dir, 'bundle.pack')).size;
  // Served from the site itself: the app's CSP allows no inline script.
  fs.copyFileSync(path.join(root, 'tests/e2e/node_modules/minisearch/dist/umd/index.js'), path.join(dir, 'minisearch.js'));
  return { dir, compileMs: Date.now() - t, bytes, packBytes };
}

async function measure(browser, size) {
  const corpus = await corpusFile(size);
  const site = siteFor(size, corpus);
  const port = Number(process.env.FOLIO_BENCH_PORT ?? 4190);
  const server = spawn('node', [path.join(root, 'tests/e2e/serve.mjs'), '--port', String(port), '--dist', site.dir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  try {
    const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // The moment the explorer first shows its result count.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-testid=result-count]')) {
          window.folioReadyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    const t0 = Date.now();
    await page.goto(`http://127.0.0.1:${port}/some/sub/path/`);
    await page.getByTestId('result-count').waitFor({ timeout: 600_000 });
    const load = await page.evaluate(() => {
      const b = performance.getEntriesByType('resource').find((e) => e.name.endsWith('bundle.pack'));
      return { bundleArrived: b.responseEnd, ready: window.folioReadyAt };
    });
    const papers = await page.evaluate(() => document.querySelector('[data-testid=result-count]').textContent);
    console.log(`\n## ${papers} (${(site.bytes / 1e6).toFixed(1)} MB bundle.json, ${(site.packBytes / 1e6).toFixed(1)} MB bundle.pack, compiled in ${(site.compileMs / 1000).toFixed(1)} s)`);
    console.log(`page load to ready: ${Date.now() - t0} ms; pack arrived -> explorer ready: ${(load.ready - load.bundleArrived).toFixed(0)} ms`);

    // Interactions, rendering included; first, on the app alone
    // (MiniSearch's index would add its garbage collections to the app's
    // frames). Each to its last change, the first keystroke after load
    // apart; then as before, back to back to the next frame.
    printSettled(await page.evaluate(interactionsSettled, { TYPING, toggles: 12, quietMs }));
    if (profile) await profileTyping(page);
    if (process.argv.includes('--interactions-only')) return await context.close();
    const keys = await page.evaluate(typeEachKey, { TYPING });
    const toggles = await page.evaluate(async () => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const toggles = [];
      for (let i = 0; i < 12; i++) {
        const box = document.querySelector('[data-testid=facet-value] input[type=checkbox]');
        if (!box) break;
        const t = performance.now();
        box.click();
        await frame();
        toggles.push(performance.now() - t);
      }
      return toggles;
    });
    console.log(`back to back, to the next frame (the older figure): keystroke p50 ${pct(keys, 0.5).toFixed(1)} ms, p95 ${pct(keys, 0.95).toFixed(1)} ms; facet toggle p50 ${pct(toggles, 0.5).toFixed(1)} ms, p95 ${pct(toggles, 0.95).toFixed(1)} ms`);
    // Engine only, Folio and MiniSearch, same queries.
    const folio = await page.evaluate(({ QUERIES, runs }) => {
      const out = {};
      for (const [cls, qs] of Object.entries(QUERIES)) {
        const times = [];
        for (const q of qs) for (let i = 0; i < runs; i++) {
          const t = performance.now();
          window.wasmBindings.folioBenchExplore(q);
          times.push(performance.now() - t);
        }
        out[cls] = times;
      }
      return out;
    }, { QUERIES, runs });
    await page.addScriptTag({ url: 'minisearch.js' });
    const mini = await page.evaluate(async ({ QUERIES, runs }) => {
      const bundle = await (await fetch('bundle.json')).json();
      const t = performance.now();
      const ms = new MiniSearch({ fields: ['title', 'abstract'], searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3 }, combineWith: 'AND' } });
      ms.addAll(bundle.papers.map((p, i) => ({ id: i, title: p.title, abstract: p.abstract })));
      const build = performance.now() - t;
      const out = {};
      for (const [cls, qs] of Object.entries(QUERIES)) {
        const times = [];
        for (const q of qs) for (let i = 0; i < runs; i++) {
          const s = performance.now();
          ms.search(q);
          times.push(performance.now() - s);
        }
        out[cls] = times;
      }
      return { build, out };
    }, { QUERIES, runs });
    console.log(`MiniSearch index build: ${mini.build.toFixed(0)} ms`);
    console.log(`${'query class'.padEnd(20)} ${'Folio p50'.padStart(9)} ${'p95'.padStart(8)} ${'Mini p50'.padStart(9)} ${'p95'.padStart(8)} ${'p95 ratio'.padStart(10)}`);
    let allF = [], allM = [];
    for (const cls of Object.keys(QUERIES)) {
      const f = folio[cls], m = mini.out[cls];
      allF = allF.concat(f); allM = allM.concat(m);
      console.log(`${cls.padEnd(20)} ${fmt(pct(f, 0.5))} ${fmt(pct(f, 0.95))} ${fmt(pct(m, 0.5))} ${fmt(pct(m, 0.95))} ${(pct(f, 0.95) / Math.max(pct(m, 0.95), 1e-3)).toFixed(2).padStart(10)}`);
    }
    console.log(`${'all'.padEnd(20)} ${fmt(pct(allF, 0.5))} ${fmt(pct(allF, 0.95))} ${fmt(pct(allM, 0.5))} ${fmt(pct(allM, 0.95))} ${(pct(allF, 0.95) / Math.max(pct(allM, 0.95), 1e-3)).toFixed(2).padStart(10)}  (Folio/MiniSearch; below 1 = Folio faster)`);

    const memory = await page.evaluate(() => ({ wasm: window.wasmBindings.folioWasmMemoryBytes(), js: performance.memory?.usedJSHeapSize ?? 0 }));
    console.log(`memory: wasm ${(memory.wasm / 2 ** 20).toFixed(0)} MiB, JS heap ${(memory.js / 2 ** 20).toFixed(0)} MiB (after MiniSearch was loaded too)`);
    await context.close();
  } finally {
    server.kill();
  }
}

/** Traces one more pass of the interactions (DevTools protocol) and prints
 * the main thread's time per interaction by kind (self time of trace
 * events), the longest task, and the functions with the most self time
 * (a CPU profile; wasm functions by their names in the binary). */
async function profileTyping(page) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute,blink.user_timing', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.start');
  const answer = await page.evaluate(interactionsSettled, { TYPING, toggles: 12, quietMs });
  const { profile: cpu } = await cdp.send('Profiler.stop');
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  const interactions = answer.keys.length + answer.toggles.length + TYPING.length;
  void interactions;
  // The renderer's main thread.
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  // Only what happens between an interaction and its last change.
  const spans = [];
  for (const e of events.filter((e) => e.name === 'folio-interaction').sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'b') spans.push([e.ts, Infinity]);
    else if (e.ph === 'e' && spans.length) spans[spans.length - 1][1] = e.ts;
  }
  const within = (e) => spans.some(([a, b]) => e.ts >= a && e.ts < b);
  const mine = events.filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur != null && within(e)).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  let longest = 0;
  for (const e of mine) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    if (stack.length) stack[stack.length - 1].selfDur -= e.dur;
    else if (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') longest = Math.max(longest, e.dur);
    e.selfDur = e.dur;
    stack.push(e);
  }
  for (const e of mine) self.set(e.name, (self.get(e.name) ?? 0) + e.selfDur);
  const kinds = {
    script: ['FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'RunMicrotasks', 'v8.run', 'V8.Execute', 'EvaluateScript', 'v8.callFunction', 'FireIdleCallback', 'XHRReadyStateChange', 'HandlePostMessage', 'V8.GCScavenger', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'BlinkGC.AtomicPhase'],
    'style recalc': ['UpdateLayoutTree', 'RecalculateStyles', 'ScheduleStyleRecalculation', 'ParseAuthorStyleSheet'],
    layout: ['Layout', 'UpdateLayerTree', 'IntersectionObserverController::computeIntersections'],
    'paint and commit': ['Paint', 'PrePaint', 'Layerize', 'CompositeLayers', 'UpdateLayer', 'Commit', 'PaintImage', 'RasterTask'],
  };
  const ms = (us) => (us / 1000 / Math.max(spans.length, 1)).toFixed(2);
  const spanMs = spans.reduce((a, [x, y]) => a + (y - x), 0) / 1000 / Math.max(spans.length, 1);
  console.log(`profile: ${spans.length} interactions traced (mean ${spanMs.toFixed(1)} ms each to the last change); main thread per interaction, self time of what started within:`);
  let counted = 0;
  for (const [kind, names] of Object.entries(kinds)) {
    const us = names.reduce((a, n) => a + (self.get(n) ?? 0), 0);
    counted += us;
    console.log(`  ${kind.padEnd(18)} ${ms(us).padStart(7)} ms  (${names.filter((n) => self.get(n)).map((n) => `${n} ${ms(self.get(n))}`).join(', ')})`);
  }
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  const rest = [...self.entries()].filter(([n]) => !Object.values(kinds).flat().includes(n)).sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`  ${'other'.padEnd(18)} ${ms(all - counted).padStart(7)} ms  (${rest.map(([n, us]) => `${n} ${ms(us)}`).join(', ')})`);
  console.log(`  longest task in the trace: ${(longest / 1000).toFixed(1)} ms`);
  // Self time per function of the CPU profile.
  const dt = new Map();
  const ids = cpu.samples ?? [];
  let ts = cpu.startTime;
  for (let i = 0; i < ids.length; i++) {
    ts += cpu.timeDeltas[i];
    if (within({ ts })) dt.set(ids[i], (dt.get(ids[i]) ?? 0) + (cpu.timeDeltas[i + 1] ?? 0));
  }
  const byName = new Map();
  for (const node of cpu.nodes) {
    const name = node.callFrame.functionName || `(anonymous ${node.callFrame.url.split('/').pop()})`;
    byName.set(name, (byName.get(name) ?? 0) + (dt.get(node.id) ?? 0));
  }
  // Each sample by what it is inside: the engine (any folio::engine
  // frame), the History API, the reactive graph and views (leptos, tachys,
  // reactive_graph, the app's components: DOM calls they make included),
  // the garbage collector, the browser's own work ((program): style,
  // layout, paint, parsing), or the benchmark's own script.
  const parent = new Map();
  const nodes = new Map(cpu.nodes.map((n) => [n.id, n]));
  for (const n of cpu.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const kindOf = (id) => {
    const leaf = nodes.get(id).callFrame.functionName;
    if (leaf === '(program)' || leaf === '(garbage collector)' || leaf === '(idle)') return leaf;
    let kind = 'benchmark and other script';
    for (let at = id; at != null; at = parent.get(at)) {
      const name = nodes.get(at).callFrame.functionName;
      if (name.includes('::engine::')) return 'engine (folio::engine)';
      if (name === 'pushState' || name === 'replaceState') return 'History API';
      if (/reactive_graph|tachys|leptos|folio\[[0-9a-f]+\]::(components|state|browser)|wasm_bindgen|js_sys/.test(name)) kind = 'reactive graph and views (DOM calls included)';
    }
    return kind;
  };
  const byKind = new Map();
  for (const [id, us] of dt) byKind.set(kindOf(id), (byKind.get(kindOf(id)) ?? 0) + us);
  console.log('  CPU profile per interaction, by what the time is inside (ms):');
  for (const [kind, us] of [...byKind.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1])) console.log(`    ${ms(us).padStart(7)}  ${kind}`);
  const top = [...byName.entries()].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log('  functions by self time per interaction (ms):');
  for (const [name, us] of top) console.log(`    ${ms(us).padStart(7)}  ${name.slice(0, 110)}`);
  await cdp.detach();
}

if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('no dist/: run `bash scripts/build.sh` first');
  process.exit(2);
}
execFileSync(process.env.FOLIO_NATIVE_CARGO ?? 'cargo', ['build', '--release', '--quiet', '--bin', 'folio'], { cwd: root, stdio: 'inherit' });
const browser = await chromium.launch({
  executablePath: process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
});
try {
  for (const size of sizes) {
    if (size > 24 && !fs.existsSync(path.join(corpusDir, 'paperlists-87k.jsonl.gz'))) {
      console.log(`\nskipping ${size} papers: no real corpora in ${corpusDir} (set FOLIO_CORPUS_DIR)`);
      continue;
    }
    await measure(browser, size);
  }
} finally {
  await browser.close();
}
