// Browser benchmark of the sharded pack (issue 16), in Debian's headless
// Chromium, on a modelled network. Prints figures; asserts nothing.
//
//   node scripts/bench-shards.mjs [--sizes 24,100000] [--layouts auto,single] [--mbit 20] [--latency 40] [--queries 6]
//
// For each size it compiles real papers with all their metadata (the first
// N records of acl-anthology-64k then paperlists-87k, as `cargo bench
// --bench pack_bytes` does; 24 is the seed; past the 152,079 real papers,
// e.g. 1000000, the deterministic synthetic corpus of N papers made of
// their pieces, benches/common/synthetic.rs, read from
// $FOLIO_SYNTHETIC_DIR/papers-N.jsonl, default /tmp/folio-1m, and written
// there first by `cargo bench --bench pack_bytes -- --write-synthetic N
// FILE` when missing; run a 1M measure under `flock /tmp/folio-1m.lock`:
// its compile takes 10+ minutes and 10 GiB) into a copy of dist/ with
// `folio compile --pack-layout auto` (sharded above 8 MB), serves it on
// loopback, and measures with the network slowed by the DevTools protocol
// (--mbit down and up, --latency ms per request), counting bytes as served
// (the test server does not compress):
//   - first paint: navigation -> the first rows shown with their records
//     (bytes and ms);
//   - first query: typed after first paint -> its results shown, for each
//     query of a set, each in a fresh page (bytes and ms more, and bytes
//     from the navigation, which do not depend on when the count between
//     paint and query was read); and ->
//     every facet group made and counted (the results do not wait for the facet
//     shards their counts read: those groups say "Counting…" meanwhile);
//   - keystroke to paint with warm shards: the typing sequences of
//     bench-browser.mjs typed once, each keystroke waiting for its results
//     and rows (so every shard they read is held), then again, timed
//     (p50/p95 over `--key-passes` passes, 3 by default; the six slowest
//     keystrokes named);
//   - memory: wasm linear memory at the end, and the peak resident set
//     (VmHWM) of the page's renderer process; each site in its own browser.
// `--layouts auto,single` measures the same corpus as one file too (today's
// whole pack: all of it before the first paint; its first queries fetch
// nothing, so they are not repeated in fresh pages).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import readline from 'node:readline';
import { TYPING, arg, chromium, pct, root, typeEachKey } from './bench-common.mjs';

const sizes = arg('sizes', '24,100000').split(',').map(Number);
const layouts = arg('layouts', 'auto').split(',');
const mbit = Number(arg('mbit', '20'));
const latency = Number(arg('latency', '40'));
const KEY_PASSES = Number(arg('key-passes', '3'));
const corpusDir = process.env.FOLIO_CORPUS_DIR ?? path.resolve(root, '../shared/corpus');
const work = process.env.FOLIO_BENCH_DIR ?? '/tmp/folio-bench';
const port = Number(process.env.FOLIO_BENCH_PORT ?? 4191);
const folio = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release/folio');
fs.mkdirSync(work, { recursive: true });

// `--queries N`: the first N of them only (each loads the site afresh).
const FIRST_QUERIES = ['machine translation', 'transformer', 'lerning rate', '"large language models"', 'GPT-4', 'year:2020..2022 neural']
  .slice(0, Number(arg('queries', '6')));
// The list's first page (`PAGE` in src/components/result_list.rs): the first
// paint is that many rows shown with their records.
const ROWS = 6;
const mb = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

/** More papers than the real corpora hold: the synthetic corpus. */
const REAL_PAPERS = 152_079;
const syntheticDir = process.env.FOLIO_SYNTHETIC_DIR ?? '/tmp/folio-1m';

async function corpusFile(size) {
  if (size <= 24) return path.join(root, 'corpus/000_aec88eee982df8fa.txt');
  if (size > REAL_PAPERS) {
    const out = path.join(syntheticDir, `papers-${size}.jsonl`);
    if (!fs.existsSync(out)) {
      execFileSync(process.env.FOLIO_NATIVE_CARGO ?? 'cargo', ['bench', '--bench', 'pack_bytes', '--', '--write-synthetic', String(size), out], { cwd: root, stdio: 'inherit' });
    }
    return out;
  }
  const out = path.join(work, `papers-${size}.jsonl`);
  if (fs.existsSync(out)) return out;
  const sink = fs.createWriteStream(out);
  let n = 0;
  for (const file of ['acl-anthology-64k.jsonl.gz', 'paperlists-87k.jsonl.gz']) {
    const lines = readline.createInterface({ input: fs.createReadStream(path.join(corpusDir, file)).pipe(zlib.createGunzip()) });
    for await (const line of lines) {
      if (n >= size) break;
      if (!line.trim()) continue;
      sink.write(line + '\n');
      n++;
    }
  }
  await new Promise((resolve) => sink.end(resolve));
  return out;
}

function siteFor(size, corpus, layout) {
  const dir = path.join(work, layout === 'single' ? `single-${size}` : `sharded-${size}`);
  // FOLIO_BENCH_REUSE=1: the corpus this script compiled before, as it is
  // (a 1M compile takes 10+ minutes), with the app of today's dist/.
  if (process.env.FOLIO_BENCH_REUSE && fs.existsSync(path.join(dir, 'bundle.pack'))) {
    const corpusFiles = new Set(['bundle.json', 'bundle.pack', 'shards']);
    for (const file of fs.readdirSync(dir)) if (!corpusFiles.has(file)) fs.rmSync(path.join(dir, file), { recursive: true, force: true });
    for (const file of fs.readdirSync(path.join(root, 'dist'))) {
      if (!corpusFiles.has(file)) fs.cpSync(path.join(root, 'dist', file), path.join(dir, file), { recursive: true });
    }
    execFileSync(process.execPath, [path.join(root, 'scripts/post-build.mjs'), dir], { stdio: 'ignore' });
    return siteFiles(dir, 0);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(root, 'dist'), dir, { recursive: true });
  for (const stale of ['bundle.json', 'bundle.pack', 'shards']) fs.rmSync(path.join(dir, stale), { recursive: true, force: true });
  const t = Date.now();
  execFileSync(folio, ['compile', corpus, '--quiet', '--out', path.join(dir, 'bundle.json'), '--pack', path.join(dir, 'bundle.pack'), '--pack-layout', layout], { stdio: ['ignore', 'ignore', 'inherit'] });
  execFileSync(process.execPath, [path.join(root, 'scripts/post-build.mjs'), dir], { stdio: 'ignore' });
  return siteFiles(dir, Date.now() - t);
}

function siteFiles(dir, compileMs) {
  const shardDir = path.join(dir, 'shards');
  const shards = fs.existsSync(shardDir) ? fs.readdirSync(shardDir).map((f) => fs.statSync(path.join(shardDir, f)).size) : [];
  return { dir, compileMs, pack: fs.statSync(path.join(dir, 'bundle.pack')).size, shards };
}

/** The pids of the running processes and their command lines. */
function processes() {
  const out = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      out.push([Number(entry), fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8')]);
    } catch { /* ended meanwhile */ }
  }
  return out;
}

/** Peak resident set (VmHWM, bytes) of the renderer processes of the
 * browser launched with `marker` among its arguments. */
function rendererPeak(marker) {
  const browser = processes().find(([, cmd]) => cmd.includes(marker) && !cmd.includes('--type='));
  if (!browser) return 0;
  const pid = browser[0];
  let peak = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer')) continue;
      let parent = Number(entry);
      while (parent > 1 && parent !== pid) parent = Number(/PPid:\s+(\d+)/.exec(fs.readFileSync(`/proc/${parent}/status`, 'utf8'))[1]);
      if (parent !== pid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'));
      peak = Math.max(peak, Number(hwm?.[1] ?? 0) * 1024);
    } catch { /* the process ended meanwhile */ }
  }
  return peak;
}

/** A page on the modelled network that counts the bytes it receives. */
async function openPage(browser) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const throughput = (mbit * 1e6) / 8;
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency, downloadThroughput: throughput, uploadThroughput: throughput });
  const counter = { bytes: 0, requests: 0 };
  cdp.on('Network.loadingFinished', (e) => { counter.bytes += e.encodedDataLength; counter.requests++; });
  // The moment the first rows are shown with their records.
  await page.addInitScript((rows) => {
    new MutationObserver((_, observer) => {
      const shown = document.querySelectorAll('[data-testid=result]').length;
      const total = document.querySelector('[data-testid=result-count]');
      if (total && shown >= Math.min(rows, parseInt(total.textContent.replace(/\D/g, ''), 10) || 0) && shown > 0 &&
          !document.querySelector('[data-testid=result-pending]')) {
        window.folioPaintedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, ROWS);
  return { context, page, counter };
}

const settled = () => !document.querySelector('[data-testid=shard-waiting], [data-testid=result-pending]');
/** Every facet group made and counted too. */
const counted = () => !document.querySelector('[data-testid=shard-waiting], [data-testid=result-pending], [data-testid=facet-counting], [data-testid=facet-panel][aria-busy=true]');

async function firstPaint(page, counter) {
  await page.goto(`http://127.0.0.1:${port}/some/sub/path/`);
  await page.waitForFunction(() => window.folioPaintedAt !== undefined, null, { timeout: 600_000, polling: 20 });
  return { ms: await page.evaluate(() => window.folioPaintedAt), bytes: counter.bytes, requests: counter.requests };
}

/** Types `query` at once and waits until its results are shown; ms and bytes. */
async function runQuery(page, counter, query) {
  const before = counter.bytes;
  const t = await page.evaluate((q) => {
    const input = document.querySelector('[data-testid=search]');
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return performance.now();
  }, query);
  // The results change to the query's (the waiting notice comes and goes).
  await page.waitForTimeout(30);
  await page.waitForFunction(settled, null, { timeout: 120_000, polling: 10 });
  const done = await page.evaluate(() => performance.now());
  const shown = { ms: done - t, bytes: counter.bytes - before };
  await page.waitForFunction(counted, null, { timeout: 120_000, polling: 10 });
  const all = await page.evaluate(() => performance.now());
  return { ...shown, countedMs: all - t, countedBytes: counter.bytes - before };
}

async function measure(size, layout) {
  const site = siteFor(size, await corpusFile(size), layout);
  const server = spawn(process.execPath, [path.join(root, 'tests/e2e/serve.mjs'), '--port', String(port), '--dist', site.dir], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  // A switch Chromium ignores, to find this browser's processes.
  const marker = `--folio-bench=${process.pid}-${size}`;
  const browser = await chromium.launch({
    executablePath: process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium',
    args: [marker, '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const layout = site.shards.length ? `head ${mb(site.pack)} + ${site.shards.length} shards (${mb(site.shards.reduce((a, b) => a + b, 0))})` : `one file ${mb(site.pack)}`;
    console.log(`\n## ${size} papers: ${layout}; compiled in ${(site.compileMs / 1000).toFixed(1)} s; network ${mbit} Mbit/s, ${latency} ms per request`);
    const { context, page, counter } = await openPage(browser);
    const paint = await firstPaint(page, counter);
    console.log(`first paint: ${mb(paint.bytes)} in ${paint.requests} requests, ${(paint.ms / 1000).toFixed(2)} s`);
    const first = [];
    for (const query of site.shards.length ? FIRST_QUERIES : []) {
      const fresh = await openPage(browser);
      const painted = await firstPaint(fresh.page, fresh.counter);
      first.push({ query, painted: painted.bytes, ...(await runQuery(fresh.page, fresh.counter, query)) });
      await fresh.context.close();
    }
    for (const q of first) {
      console.log(`first query ${JSON.stringify(q.query).padEnd(26)} ${mb(q.bytes).padStart(9)} more, ${q.ms.toFixed(0).padStart(5)} ms; counted ${mb(q.countedBytes).padStart(9)}, ${q.countedMs.toFixed(0).padStart(5)} ms`);
    }
    const bytes = first.map((q) => q.bytes);
    const ms = first.map((q) => q.ms);
    if (first.length) {
      console.log(`first query: median ${mb(pct(bytes, 0.5))}, largest ${mb(Math.max(...bytes))}; median ${pct(ms, 0.5).toFixed(0)} ms, slowest ${Math.max(...ms).toFixed(0)} ms`);
      const all = first.map((q) => q.countedBytes);
      console.log(`first query, every facet counted: median ${mb(pct(all, 0.5))}, largest ${mb(Math.max(...all))}; median ${pct(first.map((q) => q.countedMs), 0.5).toFixed(0)} ms`);
      // From the navigation: what the page fetched between its first paint
      // and the query typed (read a little after the paint) counts as
      // either, so this sum does not depend on that gap.
      const whole = first.map((q) => q.painted + q.bytes);
      console.log(`first paint + first query's results, from the navigation: median ${mb(pct(whole, 0.5))}, largest ${mb(Math.max(...whole))}`);
    }
    await page.evaluate(async ({ TYPING }) => {
      const input = document.querySelector('[data-testid=search]');
      const settled = () => !document.querySelector('[data-testid=shard-waiting], [data-testid=result-pending], [data-testid=facet-counting]');
      const pause = (ms) => new Promise((r) => setTimeout(r, ms));
      for (const text of TYPING) {
        for (let i = 0; i <= text.length; i++) {
          input.value = text.slice(0, i);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await pause(20);
          for (let waited = 0; !settled() && waited < 60_000; waited += 20) await pause(20);
        }
      }
    }, { TYPING });
    // Typed KEY_PASSES times: one pass is 51 keystrokes, and its p95 (the
    // third slowest) moved by 15 ms between runs of one build.
    const keys = [];
    await page.evaluate(() => performance.clearMeasures());
    for (let pass = 0; pass < KEY_PASSES; pass++) keys.push(...(await page.evaluate(typeEachKey, { TYPING })));
    console.log(`keystroke to paint, warm shards (${keys.length} keystrokes, ${KEY_PASSES} passes): p50 ${pct(keys, 0.5).toFixed(1)} ms, p95 ${pct(keys, 0.95).toFixed(1)} ms`);
    // The engine's part in the page: the app's own measure of each answer
    // (the exploration in wasm, before the views change the page).
    const engine = await page.evaluate(() => performance.getEntriesByName('folio: view: answer').map((e) => e.duration));
    console.log(`  the engine's answers in the page: p50 ${pct(engine, 0.5).toFixed(1)} ms, p95 ${pct(engine, 0.95).toFixed(1)} ms, max ${pct(engine, 1).toFixed(1)} ms (${engine.length})`);
    // The slowest keystrokes, by what was typed (in the order typeEachKey types them).
    const typed = TYPING.flatMap((text) => [...text].map((_, i) => text.slice(0, i + 1)));
    const slowest = keys.map((ms, i) => [ms, typed[i % typed.length]]).sort((a, b) => b[0] - a[0]).slice(0, 6);
    console.log(`  slowest: ${slowest.map(([ms, text]) => `${JSON.stringify(text)} ${ms.toFixed(1)}`).join(', ')}`);
    const wasm = await page.evaluate(() => window.wasmBindings.folioWasmMemoryBytes());
    console.log(`memory: wasm ${(wasm / 2 ** 20).toFixed(0)} MiB; renderer peak RSS ${(rendererPeak(marker) / 2 ** 20).toFixed(0)} MiB`);
    await context.close();
  } finally {
    await browser.close();
    server.kill();
  }
}

if (!fs.existsSync(path.join(root, 'dist/index.html'))) {
  console.error('no dist/: run `bash scripts/build.sh` first');
  process.exit(2);
}
execFileSync(process.env.FOLIO_NATIVE_CARGO ?? 'cargo', ['build', '--release', '--quiet', '--bin', 'folio'], { cwd: root, stdio: 'inherit' });
for (const size of sizes) {
  const synthetic = size > REAL_PAPERS && fs.existsSync(path.join(syntheticDir, `papers-${size}.jsonl`));
  if (size > 24 && !synthetic && !fs.existsSync(path.join(corpusDir, 'paperlists-87k.jsonl.gz'))) {
    console.log(`\nskipping ${size} papers: no real corpora in ${corpusDir} (set FOLIO_CORPUS_DIR)`);
    continue;
  }
  for (const layout of layouts) await measure(size, layout);
}
