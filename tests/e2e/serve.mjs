// A static file server for browser tests: serves dist/ under sub-paths, the
// way a static host would, with variants whose bundle is broken.
//
//   node serve.mjs [--port 4173] [--dist ../../dist]
//
// Mounts:
//   /some/sub/path/  dist/ as built
//   /corrupt/        dist/ with bundle.pack and bundle.json both damaged
//   /missing/        dist/ without bundle.pack nor bundle.json (404)
//   /damaged-pack/   dist/ with one byte of bundle.pack's index flipped
//                    (the app must refuse it and read bundle.json)
//   /                dist/ as built
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const port = Number(arg('port', '4173'));
const dist = path.resolve(here, arg('dist', '../../dist'));

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.webmanifest': 'application/manifest+json',
};

/** bundle.pack with one byte of its index section (after the 28-byte header) flipped. */
function damagedPack() {
  const bytes = fs.readFileSync(path.join(dist, 'bundle.pack'));
  bytes[28 + 100] ^= 0x55;
  return { status: 200, body: bytes };
}

const overrides = {
  '/corrupt/': {
    'bundle.json': () => ({ status: 200, body: '{"schema_version": 1, "papers": [{"id": "x", "title": ' }),
    'bundle.pack': () => ({ status: 200, body: 'FOLIOPAK but cut short' }),
  },
  '/missing/': {
    'bundle.json': () => ({ status: 404, body: 'not found' }),
    'bundle.pack': () => ({ status: 404, body: 'not found' }),
  },
  '/damaged-pack/': { 'bundle.pack': damagedPack },
};
const mounts = ['/some/sub/path/', '/corrupt/', '/missing/', '/damaged-pack/', '/'];

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const mount = mounts.find((m) => url.pathname.startsWith(m));
  if (!mount) return send(res, 404, 'text/plain', 'not found');
  if (url.pathname === mount.slice(0, -1)) {
    res.writeHead(301, { location: mount });
    return res.end();
  }
  let rel = decodeURIComponent(url.pathname.slice(mount.length)) || 'index.html';
  const override = overrides[mount]?.[rel];
  if (override) {
    const { status, body } = override();
    return send(res, status, TYPES['.json'], body);
  }
  const file = path.resolve(dist, rel);
  if (!file.startsWith(dist + path.sep)) return send(res, 403, 'text/plain', 'forbidden');
  fs.readFile(file, (err, data) => {
    if (err) return send(res, 404, 'text/plain', 'not found');
    send(res, 200, TYPES[path.extname(file)] ?? 'application/octet-stream', data);
  });
});
server.listen(port, '127.0.0.1', () => console.log(`serving ${dist} on http://127.0.0.1:${port}/`));
