// Benchmark of opening a person's own files in the browser (issue 15): the
// compile worker of the release build in Debian's headless Chromium, beside
// the native CLI on the same input. Prints figures; asserts nothing.
//
//   node scripts/bench-open.mjs [--sizes 10000,100000]
//
// For each size it writes the first N real papers of ../shared/corpus
// (FOLIO_CORPUS_DIR; acl-anthology-64k then paperlists-87k, as JSON Lines,
// as a person's export would be) and measures:
//   - native: `folio compile FILE --out --pack` wall time and peak RSS
//     (/usr/bin/time), the release CLI in target/release (`--pack-layout
//     auto`: sharded past 8 MB of records, as the worker does);
//   - browser: "Open papers…" with that file as a new corpus, from the click
//     to the report on screen (worker start, file read, compile, pack, the
//     app opening the pack); the worker's peak wasm memory (it reports its
//     memory with every message); the page's main-thread long tasks
//     (PerformanceObserver "longtask": count over 50 ms and the longest)
//     from the click until the corpus is kept (IndexedDB), the worker
//     ended (the page ends it once idle) and a second after;
//   - reopen: a reload, which opens the kept corpus (a large one is a head
//     and shards read from IndexedDB as the view asks): time to the first
//     screen of results, and the long tasks meanwhile.
// Each long task is named by the app's own `performance.measure` entries
// (`folio: head: facets` (one per slice of values), `folio: show`,
// `folio: view: first answer`, `folio: view: answer`, `folio: warm-up
// step`, ...; see `browser::bench_hook::measure`) that fall inside it,
// and every such entry over 10 ms is listed. `--trace FILE` also writes a Chromium trace
// (devtools.timeline, and FOLIO_TRACE_CATEGORIES, comma-separated: e.g.
// `disabled-by-default-v8.cpu_profiler` for samples, named with a dist
// built with FOLIO_KEEP_WASM_NAMES=1; `disabled-by-default-v8.gc`) of the
// open, from the click to the corpus kept.
// Targets (issue 15) at 100k: under 3x the native time, under 1 GiB, no
// main-thread task over 50 ms.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import readline from 'node:readline';

import { arg, chromium, root } from './bench-common.mjs';

const sizes = arg('sizes', '10000,100000').split(',').map(Number);
const trace = arg('trace', '');
const corpusDir = process.env.FOLIO_CORPUS_DIR ?? path.resolve(root, '../shared/corpus');
const work = process.env.FOLIO_BENCH_DIR ?? '/tmp/folio-bench';
const port = Number(process.env.FOLIO_BENCH_PORT ?? 4290);
const dist = path.resolve(process.env.FOLIO_DIST ?? path.join(root, 'dist'));
const folio = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release/folio');
fs.mkdirSync(work, { recursive: true });

for (const need of [path.join(corpusDir, 'acl-anthology-64k.jsonl.gz'), path.join(dist, 'index.html'), folio]) {
  if (!fs.existsSync(need)) {
    console.log(`bench-open: ${need} is missing (real corpora in FOLIO_CORPUS_DIR, a release build in dist/, the release CLI); skipped`);
    process.exit(0);
  }
}

async function corpusFile(size) {
  const out = path.join(work, `open-${size}.jsonl`);
  if (fs.existsSync(out)) return out;
  const lines = [];
  for (const file of ['acl-anthology-64k.jsonl.gz', 'paperlists-87k.jsonl.gz']) {
    const input = readline.createInterface({ input: fs.createReadStream(path.join(corpusDir, file)).pipe(zlib.createGunzip()) });
    for await (const line of input) {
      if (line.trim()) lines.push(line);
      if (lines.length >= size) break;
    }
    if (lines.length >= size) break;
  }
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  return out;
}

function native(file) {
  // FOLIO_BENCH_NATIVE=off: the browser alone (the native column then reads NaN).
  if (process.env.FOLIO_BENCH_NATIVE === 'off') return { seconds: NaN, peakMiB: NaN };
  const started = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-f', '%M', folio, 'compile', file, '--out', path.join(work, 'open.json'),
    '--pack', path.join(work, 'open.pack'), '--pack-layout', 'auto', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const report = String(run.stderr);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const kb = Number(report.trim().split('\n').pop());
  return { seconds, peakMiB: kb / 1024 };
}

async function browser(file) {
  const server = spawn(process.execPath, [path.join(root, 'tests/e2e/serve.mjs'), '--port', String(port), '--dist', dist], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => server.stdout.on('data', (c) => { if (String(c).includes('serving')) resolve(); }));
  const browser = await chromium.launch({
    executablePath: process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      window.__bench = { longTasks: [], workerPeak: 0 };
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration }); })
        .observe({ type: 'longtask', buffered: true });
      const Native = window.Worker;
      window.Worker = class extends Native {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', (e) => { window.__bench.workerPeak = Math.max(window.__bench.workerPeak, Number(e.data?.[2] ?? 0)); });
        }
        terminate() {
          window.__bench.ended = performance.now();
          super.terminate();
        }
      };
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByTestId('result-count').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-papers').first().click();
    await (await chooser).setFiles(file);
    const start = await page.evaluate(() => performance.now());
    if (trace) await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', ...(process.env.FOLIO_TRACE_CATEGORIES ?? '').split(',').filter(Boolean)] });
    await page.getByTestId('open-new').click();
    await page.getByTestId('open-summary').waitFor({ timeout: 30 * 60_000 });
    const end = await page.evaluate(() => performance.now());
    const summary = await page.getByTestId('open-summary').textContent();
    const papers = summary.match(/Opened (\d+) papers/)?.[1];
    await page.getByTestId('result').first().waitFor();
    await page.getByTestId('open-kept').waitFor({ timeout: 10 * 60_000 });
    const kept = await page.evaluate(() => performance.now());
    // The page ends the worker once idle (its memory freed meanwhile).
    await page.waitForFunction(() => window.__bench.ended !== undefined, null, { timeout: 60_000 });
    await page.waitForTimeout(1000);
    if (trace) await browser.stopTracing();
    const bench = await page.evaluate(() => window.__bench);
    const measures = await page.evaluate(() => performance.getEntriesByType('measure')
      .filter((m) => m.name.startsWith('folio:')).map((m) => ({ name: m.name.slice(7), start: m.startTime, duration: m.duration })));
    const during = bench.longTasks.filter((t) => t.start >= start);
    // A long task's name: the app's measures inside it.
    const named = (t) => measures.filter((m) => m.start >= t.start - 1 && m.start + m.duration <= t.start + t.duration + 1)
      .map((m) => `${m.name} ${m.duration.toFixed(0)} ms`).join(' + ');
    // Reopened from the browser's store.
    await page.reload();
    await page.getByTestId('result-count').filter({ hasText: `${papers} papers` }).waitFor({ timeout: 10 * 60_000 });
    await page.getByTestId('result-title').first().waitFor();
    const reopen = await page.evaluate(() => ({ at: performance.now(), tasks: window.__bench.longTasks }));
    return {
      seconds: (end - start) / 1000,
      keptSeconds: (kept - start) / 1000,
      summary,
      peakMiB: bench.workerPeak / 2 ** 20,
      longTasks: during.length,
      longest: during.reduce((m, t) => Math.max(m, t.duration), 0),
      // Each long task: when it started, in seconds from the report on screen, and how long it took.
      tasks: during.map((t) => `${((t.start - end) / 1000).toFixed(2)} s: ${t.duration.toFixed(0)} ms${named(t) ? ` (${named(t)})` : ''}`),
      measures: measures.filter((m) => m.start >= start && m.duration >= 10).map((m) => `${m.name} ${m.duration.toFixed(0)} ms`),
      endedSeconds: (bench.ended - end) / 1000,
      reopenSeconds: reopen.at / 1000,
      reopenTasks: reopen.tasks.length,
      reopenLongest: reopen.tasks.reduce((m, t) => Math.max(m, t.duration), 0),
    };
  } finally {
    await browser.close();
    server.kill();
  }
}

console.log('open in the browser (compile worker) vs native `folio compile --pack`, same JSON Lines input');
console.log('papers    native s  native MiB   browser s  ratio  worker MiB  long tasks (>50 ms, longest)  kept s  reopen s  reopen long tasks  report');
for (const size of sizes) {
  const file = await corpusFile(size);
  const n = native(file);
  const b = await browser(file);
  console.log(`${String(size).padStart(6)}  ${n.seconds.toFixed(1).padStart(9)}  ${n.peakMiB.toFixed(0).padStart(10)}  ${b.seconds.toFixed(1).padStart(10)}  ` +
    `${(b.seconds / n.seconds).toFixed(2).padStart(5)}  ${b.peakMiB.toFixed(0).padStart(10)}  ${String(b.longTasks).padStart(5)}, ${b.longest.toFixed(0)} ms` +
    `  ${b.keptSeconds.toFixed(1).padStart(6)}  ${b.reopenSeconds.toFixed(1).padStart(8)}  ${String(b.reopenTasks).padStart(5)}, ${b.reopenLongest.toFixed(0)} ms  ${b.summary}`);
  console.log(`        long tasks of the open (start from the report on screen: duration): ${b.tasks.join(', ') || 'none'}; the worker ended at ${b.endedSeconds.toFixed(2)} s`);
  console.log(`        the app's steps over 10 ms: ${b.measures.join(', ') || 'none'}`);
}
