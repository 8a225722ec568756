#!/usr/bin/env node
// Trunk post_build hook (see Trunk.toml): finishes the staged site in
// $TRUNK_STAGING_DIR, which Trunk then moves to dist/. Writes only there.
//
//   node scripts/post-build.mjs [DIR]   (default: $TRUNK_STAGING_DIR)
//
// 1. Release builds: drops the exports nothing calls (wasm-streams' classes,
//    which leptos's server_fn brings) with the code only they reach and their
//    JS classes (scripts/wasm-dce.mjs); then the wasm's `name` section
//    (function names for debugging: ~3 MB raw, ~170 KB gzipped), after
//    reading from it what each crate costs for the size report; kept with
//    FOLIO_KEEP_WASM_NAMES=1 (for a profile).
// 2. Moves Trunk's inline loader script into a file, so the page has no inline
//    script and its Content-Security-Policy (a meta tag in index.html) needs no
//    hashes; fixes the SRI hashes of what changed.
// 3. Writes sw.js (template: scripts/post-build-sw.js) with the list of the
//    site's files and one cache version: a hash of their names and contents
//    (every worker's files among them, so files open and formulas render
//    offline too).
// 4. Marks index.html of a site built with no corpus (no bundle.pack nor
//    bundle.json): `<meta name="folio-corpus" content="none">`; a site with
//    a pack preloads it (its download starts with the page's).
//    With FOLIO_OPEN_ORIGINS, lets `?open=URL` fetch from those origins
//    (meta tag and the CSP's connect-src; see allowOpenOrigins).
// 5. Prints the size report (scripts/size-report.mjs).
//
// Run it again on a built dist/ after changing files there (the browser tests
// do, to fake a new deploy): each step is idempotent.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sizeReport, stripNameSection, wasmCodeByCrate, workerOf } from './size-report.mjs';
import { DEAD_CLASSES, dropDeadExports, dropJsClasses, isDeadExport } from './wasm-dce.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SW_FILE = 'sw.js';
const LOADER_PREFIX = 'folio-loader-';

const fail = (message) => {
  console.error(`post-build: ${message}`);
  process.exit(1);
};
const digest = (algorithm, bytes, encoding) => crypto.createHash(algorithm).update(bytes).digest(encoding);
const sri = (bytes) => `sha384-${digest('sha384', bytes, 'base64')}`;

/** Every file under `dir`, as sorted '/'-separated relative paths. */
function listFiles(dir, prefix = '') {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(dir, rel) : [rel];
  }).sort();
}

/** Sets the integrity attribute of the tag referencing `file` in `html`. */
function setIntegrity(html, file, bytes) {
  const tag = new RegExp(`<(link|script)\\b[^>]*(?:href|src)="\\./${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`);
  return html.replace(tag, (whole) => whole.replace(/integrity="[^"]*"/, `integrity="${sri(bytes)}"`));
}

/** Drops the dead exports of each wasm (and their classes from its JS),
 * when it has them and that can be proved safe; else leaves both files. */
function dropDeadCode(dir, files, html) {
  for (const file of files.filter((f) => f.endsWith('_bg.wasm'))) {
    const jsFile = file.replace(/_bg\.wasm$/, '.js');
    if (!files.includes(jsFile)) continue;
    let result = null;
    try {
      result = dropDeadExports(fs.readFileSync(path.join(dir, file)), isDeadExport);
    } catch (err) {
      console.log(`post-build: ${file}: dead exports kept (${err.message})`);
    }
    if (!result) continue;
    const js = dropJsClasses(fs.readFileSync(path.join(dir, jsFile), 'utf8'), DEAD_CLASSES);
    const named = js && result.dropped.find((name) => js.includes(`wasm.${name}`));
    if (!js || named) {
      console.log(`post-build: ${file}: dead exports kept (its JS ${named ? `still calls ${named}` : 'has another shape'})`);
      continue;
    }
    fs.writeFileSync(path.join(dir, file), result.bytes);
    fs.writeFileSync(path.join(dir, jsFile), js);
    html = setIntegrity(setIntegrity(html, file, result.bytes), jsFile, Buffer.from(js));
    console.log(`post-build: ${file}: ${result.dropped.length} dead exports dropped (${(result.freed / 1024).toFixed(1)} KB of code)`);
  }
  return html;
}

function stripWasmNames(dir, files, html) {
  let codeByCrate = null;
  for (const file of files.filter((f) => f.endsWith('.wasm'))) {
    const bytes = fs.readFileSync(path.join(dir, file));
    if (!workerOf(file, files)) codeByCrate = wasmCodeByCrate(bytes) ?? codeByCrate;
    // FOLIO_KEEP_WASM_NAMES=1: kept, for a profile that names functions
    // (`bench-open.mjs --trace` with FOLIO_TRACE_CATEGORIES).
    if (process.env.FOLIO_KEEP_WASM_NAMES) continue;
    const stripped = stripNameSection(bytes);
    if (stripped.length !== bytes.length) {
      fs.writeFileSync(path.join(dir, file), stripped);
      html = setIntegrity(html, file, stripped);
    }
  }
  return { html, codeByCrate };
}

function externalizeLoader(dir, html) {
  const inline = /<script type="module"(?: nonce="[^"]*")?>([\s\S]*?)<\/script>/;
  const match = inline.exec(html);
  if (match) {
    const code = `// Trunk's loader for the app, moved out of index.html by scripts/post-build.mjs.\n${match[1].trim()}\n`;
    const name = `${LOADER_PREFIX}${digest('sha256', code, 'hex').slice(0, 16)}.js`;
    fs.writeFileSync(path.join(dir, name), code);
    html = html.replace(match[0], `<script type="module" src="./${name}" integrity="${sri(Buffer.from(code))}"></script>`);
  }
  const leftover = /<script\b(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/.exec(html);
  if (leftover) fail(`index.html still has an inline script (${leftover[0]}): the Content-Security-Policy would block it`);
  if (!/<meta http-equiv="Content-Security-Policy"/.test(html)) fail('index.html has no Content-Security-Policy meta tag');
  return html;
}

/** A site built with no corpus (scripts/compile-corpus.sh) says so in its
 * index.html: the app then asks for files instead of reporting a missing bundle. */
function markCorpus(dir, html) {
  const none = !fs.existsSync(path.join(dir, 'bundle.pack')) && !fs.existsSync(path.join(dir, 'bundle.json'));
  const meta = '<meta name="folio-corpus" content="none">';
  // A site with a pack starts its download with the page's, not after the
  // wasm has arrived and started (the app's fetch then takes the preloaded
  // response: same URL, mode and credentials).
  const preload = '<link rel="preload" href="bundle.pack" as="fetch" crossorigin>';
  html = html.replace(`  ${meta}\n`, '').replace(meta, '').replace(`  ${preload}\n`, '').replace(preload, '');
  if (none) return html.replace('</head>', `  ${meta}\n  </head>`);
  return fs.existsSync(path.join(dir, 'bundle.pack')) ? html.replace('</head>', `  ${preload}\n  </head>`) : html;
}

/** FOLIO_OPEN_ORIGINS (space-separated origins, e.g. "https://papers.example.org")
 * lets `?open=URL` fetch from those origins too: each is added to the page's
 * Content-Security-Policy `connect-src` and listed in a meta tag the app reads.
 * Unset (the default): the page connects to its own origin only. */
function allowOpenOrigins(html) {
  const origins = (process.env.FOLIO_OPEN_ORIGINS ?? '').split(/\s+/).filter(Boolean);
  html = html.replace(/\s*<meta name="folio-open-origins"[^>]*>/, '');
  if (!origins.length) return html;
  for (const origin of origins) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) fail(`FOLIO_OPEN_ORIGINS: ${origin} is not an origin (scheme://host[:port])`);
  }
  html = html.replace(/connect-src 'self'[^;"]*/, `connect-src 'self' ${origins.join(' ')}`);
  return html.replace('</head>', `  <meta name="folio-open-origins" content="${origins.join(' ')}">\n  </head>`);
}

function writeServiceWorker(dir) {
  // A sharded pack's shards are fetched by query and cached as used (or all
  // on "Make available offline"), never precached; the head names them by
  // the hash of their bytes, so they need no place in the version either.
  const all = listFiles(dir).filter((f) => f !== SW_FILE && !f.startsWith('shards/'));
  const hash = crypto.createHash('sha256');
  for (const file of all) hash.update(`${file}\0${digest('sha256', fs.readFileSync(path.join(dir, file)), 'hex')}\n`);
  const version = hash.digest('hex').slice(0, 16);
  // The app reads bundle.pack when there is one; bundle.json (as large) is
  // then only its online fallback and a download, not worth storing twice.
  const files = all.includes('bundle.pack') ? all.filter((f) => f !== 'bundle.json') : all;
  const template = fs.readFileSync(path.join(here, 'post-build-sw.js'), 'utf8');
  const header = '// Generated by scripts/post-build.mjs from the files of this build; do not edit.\n' +
    `const VERSION = ${JSON.stringify(version)};\n` +
    `const FILES = ${JSON.stringify(files, null, 1).replace(/\n\s*/g, ' ')};\n`;
  fs.writeFileSync(path.join(dir, SW_FILE), header + template.replace(/^(\/\/.*\n)+/, ''));
  return { version, count: files.length };
}

const dir = path.resolve(process.argv[2] ?? process.env.TRUNK_STAGING_DIR ?? fail('usage: post-build.mjs DIR (or run as a Trunk hook)'));
const indexPath = path.join(dir, 'index.html');
if (!fs.existsSync(indexPath)) fail(`${indexPath} does not exist`);
let html = fs.readFileSync(indexPath, 'utf8');

let codeByCrate = null;
if ((process.env.TRUNK_PROFILE ?? 'release') === 'release') {
  html = dropDeadCode(dir, listFiles(dir), html);
  ({ html, codeByCrate } = stripWasmNames(dir, listFiles(dir), html));
}
html = externalizeLoader(dir, html);
html = markCorpus(dir, html);
html = allowOpenOrigins(html);
fs.writeFileSync(indexPath, html);
const sw = writeServiceWorker(dir);
console.log(`post-build: sw.js precaches ${sw.count} files, cache version ${sw.version}`);
console.log(sizeReport(dir, codeByCrate).lines.join('\n'));
