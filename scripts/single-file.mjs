#!/usr/bin/env node
// Writes the built site as one self-contained HTML file that opens from
// file:// with no server: the way to email a corpus to a colleague.
//
//   node scripts/single-file.mjs [DIST] [OUT]
//   (defaults: dist/ and dist-single/folio.html; `bash scripts/single-file.sh` builds first)
//
// Chromium refuses fetch() on file://, so nothing is fetched:
// - the bundle is a <script type="application/json" id="folio-bundle"> data
//   block, which the app reads instead of fetching (src/browser/bundle_fetch.rs);
// - the wasm is gzipped and base64-encoded in a data block; one inline module
//   script (wasm-bindgen's JS glue plus a few lines) decodes it with
//   DecompressionStream and instantiates it from bytes, replacing Trunk's
//   loader, which would fetch the .wasm file;
// - the CSS is an inline <style>, the icon a data: URL.
// - each worker (the compile worker "Open papers…" runs, the math worker) is
//   a text data block named after it: its wasm-bindgen glue plus its gzipped
//   wasm, which the app starts from a blob: URL (a page on file:// cannot
//   start a worker from a file).
// Its own Content-Security-Policy allows exactly that script and that style
// by hash, wasm compilation, data: images, a blob: worker, and nothing else
// (no connections). A build with no corpus (`FOLIO_CORPUS=`) has no bundle
// block and says so, as the served site does.
// There is no service worker and no manifest: a file needs neither.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { workerNames } from './size-report.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const out = path.resolve(process.argv[3] ?? path.join(root, 'dist-single', 'folio.html'));

const fail = (message) => {
  console.error(`single-file: ${message}`);
  process.exit(1);
};
const read = (file) => {
  const full = path.join(dist, file);
  if (!fs.existsSync(full)) fail(`${full} is missing: build the site first (bash scripts/build.sh)`);
  return fs.readFileSync(full);
};
const hash = (text) => `'sha256-${crypto.createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const attr = (html, pattern, what) => pattern.exec(html)?.[1] ?? fail(`index.html has no ${what}`);

const index = read('index.html').toString('utf8');
const loaderFile = attr(index, /<script type="module" src="\.\/([^"]+)"/, 'loader script (did scripts/post-build.mjs run?)');
const loader = read(loaderFile).toString('utf8');
const glueFile = attr(loader, /from '\.\/([^']+\.js)'/, 'wasm-bindgen glue import in the loader');
const wasmFile = attr(loader, /module_or_path: '\.\/([^']+\.wasm)'/, 'wasm path in the loader');
const cssFile = attr(index, /<link rel="stylesheet" href="\.\/([^"]+)"/, 'stylesheet');
const iconFile = attr(index, /<link rel="icon"[^>]*? href="\.\/([^"]+)"/, 'icon');

const glue = read(glueFile).toString('utf8');
const init = attr(glue, /export \{[^}]*\b(\w+) as default\b[^}]*\};?/, 'default export in the wasm-bindgen glue');
const css = read(cssFile).toString('utf8');
// JSON never needs a raw '<' (only inside strings, where \u003c means the same),
// so the data block can never be closed early by corpus text.
const hasCorpus = fs.existsSync(path.join(dist, 'bundle.json'));
const bundle = hasCorpus ? read('bundle.json').toString('utf8').replace(/</g, '\\u003c') : null;
const wasm = zlib.gzipSync(read(wasmFile), { level: 9 }).toString('base64');
const iconType = iconFile.endsWith('.svg') ? 'image/svg+xml' : 'image/png';
const icon = `data:${iconType};base64,${read(iconFile).toString('base64')}`;

// Each worker (the compile worker, the math worker): Trunk's no-modules glue
// defines `wasm_bindgen`, which takes the module's bytes.
const workers = workerNames(fs.readdirSync(dist)).map((name) => {
  const workerGlue = read(`${name}.js`).toString('utf8');
  const workerWasm = zlib.gzipSync(read(`${name}_bg.wasm`), { level: 9 }).toString('base64');
  const text = `${workerGlue}
// Single-file build: the worker's wasm, inlined and gzipped.
(async () => {
  const gzipped = Uint8Array.from(atob('${workerWasm}'), (c) => c.charCodeAt(0));
  const unzipped = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  await wasm_bindgen({ module_or_path: await new Response(unzipped).arrayBuffer() });
})();
`;
  return { name, text };
});

for (const [name, text] of [[glueFile, glue], [cssFile, css], ...workers.map((w) => [`${w.name}.js`, w.text])]) {
  if (/<\/(script|style)|<!--/i.test(text)) fail(`${name} contains a sequence that would end its inline element`);
}

const script = `${glue}
// Single-file build: instantiate the app from the inlined, gzipped wasm.
{
  const packed = document.getElementById('folio-wasm').textContent.trim();
  const gzipped = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const unzipped = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
  await ${init}({ module_or_path: await new Response(unzipped).arrayBuffer() });
}
`;

const csp = [
  "default-src 'none'",
  `script-src ${hash(script)} 'wasm-unsafe-eval'`,
  `style-src ${hash(css)}`,
  'img-src data:',
  'worker-src blob:',
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const meta = [...index.matchAll(/<meta (?:name="(?:viewport|description|theme-color)")[^>]*>/g)].map((m) => m[0]);
const title = attr(index, /(<title>[^<]*<\/title>)/, 'title');
const noscript = attr(index, /(<noscript>[\s\S]*?<\/noscript>)/, 'noscript');

const html = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
${meta.join('\n')}
${title}
<link rel="icon" href="${icon}">
<style>${css}</style>
${bundle === null ? '<meta name="folio-corpus" content="none">' : `<script type="application/json" id="folio-bundle">${bundle}</script>`}
${workers.map((w) => `<script type="text/plain" id="${w.name}">${w.text}</script>\n`).join('')}<script type="application/octet-stream" id="folio-wasm">${wasm}</script>
<script type="module">${script}</script>
</head>
<body>
${noscript}
</body>
</html>
`;

fs.mkdirSync(path.dirname(out), { recursive: true });
const temp = `${out}.tmp-${process.pid}`;
fs.writeFileSync(temp, html);
fs.renameSync(temp, out);
console.log(`single-file: wrote ${out} (${(Buffer.byteLength(html) / 1024).toFixed(1)} KB; wasm ${wasmFile} gzipped and inlined)`);
