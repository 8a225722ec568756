#!/usr/bin/env node
// Writes the built site as one self-contained HTML file that opens from
// file:// with no server: the way to email a corpus to a colleague.
//
//   node scripts/single-file.mjs [DIST] [OUT]
//   (defaults: dist/ and dist-single/folio.html; `bash scripts/single-file.sh` builds first)
//
// Chromium refuses fetch() on file://, so nothing is fetched:
// - the app pack (bundle.pack) and the wasm are gzipped and base64-encoded
//   in data blocks; one inline module script (wasm-bindgen's JS glue plus a
//   few lines) decodes them with DecompressionStream, puts the pack's bytes
//   in `window.folioPack`, which the app opens instead of fetching
//   (src/browser/bundle_fetch.rs: the page only ever opens packs), and
//   instantiates the wasm from bytes, replacing Trunk's loader, which would
//   fetch the .wasm file;
// - the CSS is an inline <style>, the icon a data: URL.
// - each worker (the compile worker "Open papers…" runs) is
//   a text data block named after it: its wasm-bindgen glue plus its gzipped
//   wasm, which the app starts from a blob: URL (a page on file:// cannot
//   start a worker from a file).
// Its own Content-Security-Policy allows exactly that script and that style
// by hash, wasm compilation, data: images, a blob: worker, and nothing else
// (no connections). A build with no corpus (`FOLIO_CORPUS=`) has no pack
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
// Base64 has no '<': a data block can never be closed early by corpus text.
const packed = (file) => zlib.gzipSync(read(file), { level: 9 }).toString('base64');
const hasCorpus = fs.existsSync(path.join(dist, 'bundle.pack'));
if (!hasCorpus && fs.existsSync(path.join(dist, 'bundle.json'))) {
  fail(`${dist} has bundle.json but no bundle.pack: write it with \`folio pack\` (the page opens only packs)`);
}
// A sharded pack's head: plain, or gzipped as `folio pack` writes it.
const head = hasCorpus ? read('bundle.pack').subarray(0, 8) : null;
if (head && (head.toString('latin1') === 'FOLIOHED' || (head[0] === 0x1f && head[1] === 0x8b))) {
  fail(`${dist}/bundle.pack is a sharded pack's head: one file needs the one-file pack (folio pack --layout single)`);
}
const pack = hasCorpus ? packed('bundle.pack') : null;
const wasm = packed(wasmFile);
const iconType = iconFile.endsWith('.svg') ? 'image/svg+xml' : 'image/png';
const icon = `data:${iconType};base64,${read(iconFile).toString('base64')}`;

// Each worker (the compile worker): Trunk's no-modules glue
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
// Single-file build: the inlined pack's bytes for the app, then the app
// from the inlined wasm (both gzipped and base64-encoded).
{
  const inlined = async (id) => {
    const block = document.getElementById(id);
    if (!block) return null;
    const text = block.textContent.trim();
    block.remove();
    const gzipped = Uint8Array.fromBase64 ? Uint8Array.fromBase64(text) : Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    const unzipped = new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(unzipped).arrayBuffer());
  };
  const pack = await inlined('folio-pack');
  if (pack) window.folioPack = pack;
  await ${init}({ module_or_path: await inlined('folio-wasm') });
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
${pack === null ? '<meta name="folio-corpus" content="none">' : `<script type="application/octet-stream" id="folio-pack">${pack}</script>`}
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
