// The foundation: the release build loads the seed corpus under a sub-path,
// and a broken bundle gives a clear message instead of a blank page.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { dist } from './offline-server.mjs';
import { seedPapers } from './seed.mjs';
import { Explorer } from './explorer.page.mjs';

test('shows all 24 seed papers under a sub-path with no console errors', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open('/some/sub/path/');
  await explorer.expectLoaded(24);
  const expected = seedPapers().map((p) => p.title);
  expect(expected).toHaveLength(24);
  await explorer.expectTitles(expected);
  await expect(explorer.resultTitles.first()).toHaveText('BiTA: Bi-Directional Tuning for Lossless Acceleration in Large Language Models');
  expect(explorer.consoleErrors).toEqual([]);
});

test('the app loads the pack, not bundle.json; a damaged pack falls back to bundle.json, packed by the compile worker', async ({ page }) => {
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const explorer = new Explorer(page);
  await explorer.open('/some/sub/path/');
  await explorer.expectLoaded(24);
  expect(requested).toContain('/some/sub/path/bundle.pack');
  expect(requested).not.toContain('/some/sub/path/bundle.json');

  expect(requested.filter((p) => p.includes('folio-worker'))).toEqual([]);

  const warnings = [];
  const damaged = await page.context().newPage();
  damaged.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  damaged.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const fallback = new Explorer(damaged);
  await fallback.open('/damaged-pack/');
  await fallback.expectLoaded(24);
  await fallback.expectTitles(seedPapers().map((p) => p.title));
  expect(warnings.join('\n')).toContain('bundle.pack not used (the pack is damaged (checksum mismatch))');
  // The page never indexes: the compile worker turned bundle.json into a pack.
  expect(requested).toContain('/damaged-pack/bundle.json');
  expect(requested).toContain('/damaged-pack/folio-worker_loader.js');
  // That pack is the site's corpus from then on: it exports (and is added to) whole.
  await damaged.getByTestId('corpus-menu').click();
  const download = damaged.waitForEvent('download');
  await damaged.getByTestId('site-corpus').getByRole('button', { name: 'App pack' }).click();
  const pack = fs.readFileSync(await (await download).path());
  const site = fs.readFileSync(path.join(dist, 'bundle.pack'));
  // The same pack version and the same records, byte for byte (their similar
  // papers included). The index section is not compared whole: it holds the
  // corpus map, a t-SNE whose floating point (exp, log) the native compiler
  // and wasm may round differently in the last bit, which its 750 steps
  // amplify (src/engine/map/embed.rs).
  const records = (b) => b.subarray(28 + Number(b.readBigUInt64LE(20)));
  expect(pack.subarray(0, 12).equals(site.subarray(0, 12))).toBe(true);
  expect(records(pack).length).toBeGreaterThan(1000);
  expect(records(pack).equals(records(site))).toBe(true);
  expect(fallback.consoleErrors).toEqual([]);
});

test('a corrupt bundle shows a clear error, not a blank page', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open('/corrupt/');
  await expect(explorer.error).toContainText('The papers could not be loaded');
  await expect(explorer.error).toContainText('bundle.json is damaged');
  await expect(explorer.results).toHaveCount(0);
  expect(explorer.consoleErrors.filter((e) => /panicked|RuntimeError|unreachable/.test(e))).toEqual([]);
});

test('a missing bundle says so', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open('/missing/');
  await expect(explorer.error).toContainText('HTTP 404');
  expect(explorer.consoleErrors.filter((e) => /panicked|RuntimeError|unreachable/.test(e))).toEqual([]);
});
