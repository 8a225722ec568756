#!/usr/bin/env node
// The build's size report: wasm, JS, CSS and bundle, raw and gzipped, the
// app's wasm+JS against its budget, and what the big parts of the wasm cost.
//
//   node scripts/size-report.mjs [DIR]   (default: dist/)
//
// scripts/post-build.mjs prints it on every Trunk build, with the per-crate
// costs read from the wasm's name section before it strips that section.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The app itself (wasm + JS, gzipped) must stay under this. */
export const BUDGET_GZIP_BYTES = 400 * 1024;

const gzipSize = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);

/** Reads a LEB128 unsigned integer at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/** The sections of a wasm module: [{id, name (custom sections), start, end}]. */
export function wasmSections(bytes) {
  const sections = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    let name = '';
    if (id === 0) {
      const [length, nameStart] = leb(bytes, start);
      name = Buffer.from(bytes.subarray(nameStart, nameStart + length)).toString('utf8');
    }
    sections.push({ id, name, headerStart: at, start, end: start + size });
    at = start + size;
  }
  return sections;
}

/** The module without its `name` custom section (function names for debugging). */
export function stripNameSection(bytes) {
  const parts = [bytes.subarray(0, 8)];
  for (const s of wasmSections(bytes)) {
    if (!(s.id === 0 && s.name === 'name')) parts.push(bytes.subarray(s.headerStart, s.end));
  }
  return Buffer.concat(parts);
}

/** The crate a demangled function name belongs to ("<alloc::vec::Vec<T> as ..>::f" -> alloc). */
function crateOf(name) {
  const m = /^[<&\s]*(?:mut\s+|dyn\s+|\[|\(|)*([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/.exec(name);
  return m ? m[1] : name.startsWith('__wbg') || name.startsWith('__wbindgen') ? 'wasm-bindgen glue' : 'other';
}

/**
 * Code bytes per crate, from the name section (absent once stripped):
 * [{crate, bytes}] largest first, or null.
 */
export function wasmCodeByCrate(bytes) {
  const sections = wasmSections(bytes);
  const names = sections.find((s) => s.id === 0 && s.name === 'name');
  const code = sections.find((s) => s.id === 10);
  if (!names || !code) return null;
  let imported = 0;
  const imports = sections.find((s) => s.id === 2);
  if (imports) {
    let [count, at] = leb(bytes, imports.start);
    for (let i = 0; i < count; i++) {
      for (let k = 0; k < 2; k++) { const [len, next] = leb(bytes, at); at = next + len; }
      const kind = bytes[at++];
      if (kind === 0) { imported++; at = leb(bytes, at)[1]; }
      else if (kind === 1) { at++; const flags = bytes[at++]; at = leb(bytes, at)[1]; if (flags & 1) at = leb(bytes, at)[1]; }
      else if (kind === 2) { const flags = bytes[at++]; at = leb(bytes, at)[1]; if (flags & 1) at = leb(bytes, at)[1]; }
      else if (kind === 3) { at += 2; }
      else if (kind === 4) { at++; at = leb(bytes, at)[1]; }
    }
  }
  const functionNames = new Map();
  // Skip the section's own name ("name"), then read its subsections.
  const [nameLength, afterLength] = leb(bytes, names.start);
  let at = afterLength + nameLength;
  while (at < names.end) {
    const kind = bytes[at];
    const [size, start] = leb(bytes, at + 1);
    if (kind === 1) {
      let [count, p] = leb(bytes, start);
      for (let i = 0; i < count; i++) {
        const [index, q] = leb(bytes, p);
        const [len, r] = leb(bytes, q);
        functionNames.set(index, Buffer.from(bytes.subarray(r, r + len)).toString('utf8'));
        p = r + len;
      }
    }
    at = start + size;
  }
  const perCrate = new Map();
  let [count, p] = leb(bytes, code.start);
  for (let i = 0; i < count; i++) {
    const [size, bodyStart] = leb(bytes, p);
    const crate = crateOf(functionNames.get(imported + i) ?? '');
    perCrate.set(crate, (perCrate.get(crate) ?? 0) + size);
    p = bodyStart + size;
  }
  return [...perCrate].map(([crate, size]) => ({ crate, bytes: size })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * The site's Web Workers, by name: each `data-type="worker"` link of
 * index.html, for which Trunk writes NAME_loader.js, NAME.js and
 * NAME_bg.wasm (the compile worker folio-worker). Loaded only when
 * needed: not in the app's budget.
 */
export const workerNames = (files) => files.map((f) => /^(.+)_loader\.js$/.exec(f)?.[1]).filter(Boolean).sort();

/** The worker (of `workerNames(files)`) whose file `file` is, or undefined. */
export const workerOf = (file, files) =>
  workerNames(files).find((name) => [`${name}_loader.js`, `${name}.js`, `${name}_bg.wasm`].includes(file));

function kindOf(file, files) {
  if (workerOf(file, files)) return 'worker';
  if (file.endsWith('.wasm')) return 'wasm';
  if (file.endsWith('.js') && file !== 'sw.js') return 'js';
  if (file.endsWith('.css')) return 'css';
  if (file === 'bundle.json') return 'bundle';
  return 'other';
}

/** The report's lines for the built site in `dir`; `codeByCrate` from before stripping, if known. */
export function sizeReport(dir, codeByCrate = null) {
  const files = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  const rows = files.map((file) => {
    const bytes = fs.readFileSync(path.join(dir, file));
    return { file, kind: kindOf(file, files), raw: bytes.length, gzip: gzipSize(bytes), bytes };
  });
  const lines = ['size report (raw, gzip -9):'];
  for (const r of rows) lines.push(`  ${r.kind.padEnd(6)} ${kb(r.raw)} ${kb(r.gzip)}  ${r.file}`);
  const sum = (kinds, key) => rows.filter((r) => kinds.includes(r.kind)).reduce((n, r) => n + r[key], 0);
  const app = sum(['wasm', 'js'], 'gzip');
  const verdict = app <= BUDGET_GZIP_BYTES ? 'within' : 'OVER';
  lines.push(`  app (wasm+JS) ${kb(sum(['wasm', 'js'], 'raw'))} raw, ${kb(app).trim()} gzipped: ${verdict} the ${BUDGET_GZIP_BYTES / 1024} KB budget`);
  for (const name of workerNames(files)) {
    const own = rows.filter((r) => workerOf(r.file, files) === name);
    const total = (key) => own.reduce((n, r) => n + r[key], 0);
    lines.push(`  worker ${name.padEnd(14)} ${kb(total('raw'))} raw, ${kb(total('gzip')).trim()} gzipped (loaded only when needed)`);
  }
  lines.push(`  everything    ${kb(sum(['wasm', 'js', 'css', 'bundle', 'other', 'worker'], 'raw'))} raw, ${kb(sum(['wasm', 'js', 'css', 'bundle', 'other', 'worker'], 'gzip')).trim()} gzipped`);
  const wasm = rows.find((r) => r.kind === 'wasm');
  const byCrate = codeByCrate ?? (wasm ? wasmCodeByCrate(wasm.bytes) : null);
  if (wasm) {
    const sections = wasmSections(wasm.bytes);
    const code = sections.find((s) => s.id === 10);
    const data = sections.find((s) => s.id === 11);
    if (code && data) {
      lines.push(`  wasm parts: code ${kb(code.end - code.start).trim()} (${kb(gzipSize(wasm.bytes.subarray(code.start, code.end))).trim()} gz), ` +
        `data ${kb(data.end - data.start).trim()} (${kb(gzipSize(wasm.bytes.subarray(data.start, data.end))).trim()} gz)`);
    }
  }
  if (byCrate) {
    const total = byCrate.reduce((n, c) => n + c.bytes, 0);
    lines.push('  wasm code by crate (raw bytes of function bodies):');
    for (const c of byCrate.slice(0, 12)) {
      lines.push(`    ${c.crate.padEnd(24)} ${kb(c.bytes)}  ${((100 * c.bytes) / total).toFixed(1).padStart(5)}%`);
    }
  }
  return { lines, appGzip: app, withinBudget: app <= BUDGET_GZIP_BYTES };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = path.resolve(process.argv[2] ?? path.join(here, '..', 'dist'));
  const { lines, withinBudget } = sizeReport(dir);
  console.log(lines.join('\n'));
  process.exit(withinBudget ? 0 : 1);
}
