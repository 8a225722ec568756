// Drops exports of a wasm-bindgen module that nothing calls, with the code
// only they reach and their JS classes (scripts/post-build.mjs, step 1).
//
// leptos always builds server_fn for the browser, whose streaming bodies
// export wasm-streams' IntoUnderlying{ByteSource,Sink,Source} classes to JS;
// a client-side app never makes one, but exported functions are kept by the
// linker. Here their exports are removed, every function no longer reachable
// from the remaining exports, the table and the start function gets an
// `unreachable` body (indices stay, so nothing else changes), and the
// classes leave the JS. Anything unexpected (an opcode this reader does not
// know, an element segment it cannot read, a JS file that still names a
// dropped export, a module that does not validate) leaves both files as they
// were: the step only ever removes code it has proved dead.
import { wasmSections } from './size-report.mjs';

/** Classes whose exports are dropped: every export named `[__wbg_]<class lowercased>_*`. */
export const DEAD_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];

class Reader {
  constructor(bytes, at) {
    this.bytes = bytes;
    this.at = at;
  }
  byte() {
    return this.bytes[this.at++];
  }
  u() {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = this.bytes[this.at++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (b < 0x80) return value;
    }
  }
  s() {
    while (this.bytes[this.at++] & 0x80);
  }
  name() {
    const length = this.u();
    const text = Buffer.from(this.bytes.subarray(this.at, this.at + length)).toString('utf8');
    this.at += length;
    return text;
  }
}

const uleb = (n) => {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return Buffer.from(out);
};
const section = (id, body) => Buffer.concat([Buffer.from([id]), uleb(body.length), body]);

/** Reads one instruction's immediates at `r`, after its opcode `op`; calls
 * `onFunction(index)` for each function it names. Throws on an unknown opcode. */
function skipImmediates(r, op, onFunction) {
  if (op === 0x02 || op === 0x03 || op === 0x04) {
    const b = r.bytes[r.at];
    if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) r.at++;
    else r.s();
  } else if (op === 0x0c || op === 0x0d) r.u();
  else if (op === 0x0e) {
    const n = r.u();
    for (let k = 0; k <= n; k++) r.u();
  } else if (op === 0x10 || op === 0x12 || op === 0xd2) onFunction(r.u());
  else if (op === 0x11 || op === 0x13) {
    r.u();
    r.u();
  } else if (op === 0x1c) {
    const n = r.u();
    r.at += n;
  } else if ((op >= 0x20 && op <= 0x26)) r.u();
  else if (op >= 0x28 && op <= 0x3e) {
    r.u();
    r.u();
  } else if (op === 0x3f || op === 0x40) r.u();
  else if (op === 0x41 || op === 0x42) r.s();
  else if (op === 0x43) r.at += 4;
  else if (op === 0x44) r.at += 8;
  else if (op === 0xd0) r.at++;
  else if (op === 0xfc) {
    const sub = r.u();
    if (sub <= 7) return;
    if (sub === 8) { r.u(); r.u(); }
    else if (sub === 9 || sub === 11 || sub === 13 || (sub >= 15 && sub <= 17)) r.u();
    else if (sub === 10 || sub === 12 || sub === 14) { r.u(); r.u(); }
    else throw new Error(`unknown opcode 0xfc ${sub}`);
  } else if (
    !(op <= 0x01 || op === 0x05 || op === 0x0b || op === 0x0f || op === 0x1a || op === 0x1b ||
      (op >= 0x45 && op <= 0xc4) || op === 0xd1)
  ) {
    throw new Error(`unknown opcode 0x${op.toString(16)}`);
  }
}

/** Reads a constant expression up to its `end`, noting the functions it names. */
function constExpr(r, onFunction) {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    skipImmediates(r, op, onFunction);
  }
}

/** The module without the exports `isDead(name)` and the code only they
 * reach, or null when there is nothing to drop (or it cannot be proved). */
export function dropDeadExports(bytes, isDead) {
  const sections = wasmSections(bytes);
  const find = (id) => sections.find((s) => s.id === id);
  const roots = [];
  let imported = 0;
  const imports = find(2);
  if (imports) {
    const r = new Reader(bytes, imports.start);
    for (let i = r.u(); i > 0; i--) {
      r.name();
      r.name();
      const kind = r.byte();
      if (kind === 0) { imported++; r.u(); }
      else if (kind === 1) { r.byte(); const flags = r.byte(); r.u(); if (flags & 1) r.u(); }
      else if (kind === 2) { const flags = r.byte(); r.u(); if (flags & 1) r.u(); }
      else if (kind === 3) r.at += 2;
      else if (kind === 4) { r.byte(); r.u(); }
      else throw new Error(`unknown import kind ${kind}`);
    }
  }
  const exportSection = find(7);
  if (!exportSection) return null;
  const kept = [];
  const dropped = [];
  {
    const r = new Reader(bytes, exportSection.start);
    for (let i = r.u(); i > 0; i--) {
      const begin = r.at;
      const name = r.name();
      const kind = r.byte();
      const index = r.u();
      if (kind === 0 && isDead(name)) dropped.push(name);
      else {
        kept.push(bytes.subarray(begin, r.at));
        if (kind === 0) roots.push(index);
      }
    }
  }
  if (!dropped.length) return null;
  const start = find(8);
  if (start) roots.push(new Reader(bytes, start.start).u());
  const globals = find(6);
  if (globals) {
    const r = new Reader(bytes, globals.start);
    for (let i = r.u(); i > 0; i--) {
      r.byte();
      r.byte();
      constExpr(r, (f) => roots.push(f));
    }
  }
  const elements = find(9);
  if (elements) {
    const r = new Reader(bytes, elements.start);
    for (let i = r.u(); i > 0; i--) {
      const flags = r.u();
      if (flags > 7) throw new Error(`unknown element segment ${flags}`);
      // Per the spec: 2 and 6 name a table; 0, 2, 4 and 6 have an offset;
      // all but 0 and 4 an element kind; 4 to 7 list expressions.
      if (flags === 2 || flags === 6) r.u();
      if (!(flags & 1)) constExpr(r, () => {});
      if (flags !== 0 && flags !== 4) r.byte();
      for (let n = r.u(); n > 0; n--) {
        if (flags & 4) constExpr(r, (f) => roots.push(f));
        else roots.push(r.u());
      }
    }
  }
  const code = find(10);
  const bodies = [];
  const calls = [];
  {
    const r = new Reader(bytes, code.start);
    for (let i = r.u(); i > 0; i--) {
      const size = r.u();
      const end = r.at + size;
      bodies.push(bytes.subarray(r.at, end));
      const named = [];
      for (let locals = r.u(); locals > 0; locals--) {
        r.u();
        r.byte();
      }
      while (r.at < end) skipImmediates(r, r.byte(), (f) => named.push(f));
      if (r.at !== end) throw new Error('a function body was misread');
      calls.push(named);
    }
  }
  const live = new Set();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop();
    if (live.has(f)) continue;
    live.add(f);
    if (f >= imported) stack.push(...(calls[f - imported] ?? []));
  }
  const UNREACHABLE = Buffer.from([0x00, 0x00, 0x0b]);
  let freed = 0;
  const newBodies = bodies.map((body, i) => {
    if (live.has(imported + i) || body.length <= UNREACHABLE.length) return body;
    freed += body.length - UNREACHABLE.length;
    return UNREACHABLE;
  });
  const parts = [bytes.subarray(0, 8)];
  for (const s of sections) {
    if (s === exportSection) parts.push(section(7, Buffer.concat([uleb(kept.length), ...kept])));
    else if (s === code) {
      parts.push(section(10, Buffer.concat([uleb(newBodies.length), ...newBodies.flatMap((b) => [uleb(b.length), b])])));
    } else parts.push(bytes.subarray(s.headerStart, s.end));
  }
  const out = Buffer.concat(parts);
  new WebAssembly.Module(out); // throws if the result does not validate
  return { bytes: out, dropped, freed };
}

/** wasm-bindgen's JS without the classes `names` (and their finalization
 * registries), or null if it does not have exactly that shape. */
export function dropJsClasses(js, names) {
  for (const name of names) {
    // `export class` in an ES module; `class` then `exports.X = X;` in a
    // worker's no-modules script.
    const cls = new RegExp(
      `[ \\t]*(export )?class ${name} \\{[\\s\\S]*?\\n[ \\t]*if \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n([ \\t]*exports\\.${name} = ${name};\\n)?`,
    );
    const registry = new RegExp(`[ \\t]*const ${name}Finalization = [^;]*;\\n`);
    if (!cls.test(js) || !registry.test(js)) return null;
    js = js.replace(cls, '').replace(registry, '');
  }
  return js;
}

/** The dead classes' exports, in a wasm-bindgen module. */
export const isDeadExport = (name) =>
  DEAD_CLASSES.some((cls) => new RegExp(`^(__wbg_)?${cls.toLowerCase()}_`).test(name));
