// Helpers for the offline, single-file, hostile-corpus and DOI-link tests, which run
// their own static servers (serve.mjs) so they can stop them or serve a
// changed copy of the build, each on its own port.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');

/** The build under test (FOLIO_DIST, as in playwright.config.mjs). */
export const dist = path.resolve(here, process.env.FOLIO_DIST ?? '../../dist');
/** The build of the hostile corpus (scripts/test.sh makes it). */
export const hostileDist = path.resolve(here, process.env.FOLIO_HOSTILE_DIST ?? '../../target/dist-hostile');
/** The build of the corpus whose DOIs need escaping in a link (scripts/test.sh makes it). */
export const doiDist = path.resolve(here, process.env.FOLIO_DOI_DIST ?? '../../target/dist-doi');
/** The build of a real Google Scholar BibTeX export without abstracts (scripts/test.sh makes it). */
export const bibDist = path.resolve(here, process.env.FOLIO_BIB_DIST ?? '../../target/dist-bib');

/** A build with no corpus of its own (`FOLIO_CORPUS=`; scripts/test.sh makes it). */
export const emptyDist = path.resolve(here, process.env.FOLIO_EMPTY_DIST ?? '../../target/dist-empty');

/** A port of this test's own, clear of the shared server's (FOLIO_E2E_PORT). */
/** The seed as a sharded pack with small shards (scripts/test.sh makes it). */
export const shardedDist = path.resolve(here, process.env.FOLIO_SHARDED_DIST ?? '../../target/dist-sharded');
export const port = (offset) => Number(process.env.FOLIO_E2E_PORT ?? 4173) + offset;

/** Starts `node serve.mjs` on `dir`; resolves once it listens. */
export async function startServer(dir, serverPort) {
  const child = spawn(process.execPath, [path.join(here, 'serve.mjs'), '--port', String(serverPort), '--dist', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
    child.stdout.on('data', (chunk) => { if (String(chunk).includes('serving')) resolve(); });
  });
  return {
    origin: `http://127.0.0.1:${serverPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}

/** Temporary folders this test process made, removed when it exits. */
const temporary = [];
process.on('exit', () => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder under the system's temporary folder, removed at exit. */
function temporaryFolder(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** A private copy of a build, to change as a new deploy would. */
export function copyOf(dir) {
  const copy = temporaryFolder('folio-deploy-');
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Regenerates sw.js (and the rest of the post-build step) after changing files in `dir`. */
export function postBuild(dir) {
  execFileSync(process.execPath, [path.join(root, 'scripts/post-build.mjs'), dir], { stdio: 'pipe' });
}

/** Rewrites `dir`/bundle.pack (and a sharded pack's shards/) from
 * `dir`/bundle.json with the native CLI, as the build does; `options` are
 * `folio pack`'s (e.g. the layout). */
export function packBundle(dir, options = []) {
  const folio = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'release/folio');
  execFileSync(folio, ['pack', path.join(dir, 'bundle.json'), '--out', path.join(dir, 'bundle.pack'), ...options], { stdio: 'pipe' });
}

/** Writes the single-file build of `dir`; returns its path. */
export function singleFile(dir) {
  const out = path.join(temporaryFolder('folio-single-'), 'folio.html');
  execFileSync(process.execPath, [path.join(root, 'scripts/single-file.mjs'), dir, out], { stdio: 'pipe' });
  return out;
}

/** Waits until a service worker controls the page (the site is then cached). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}
