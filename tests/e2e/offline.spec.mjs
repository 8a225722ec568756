// Offline and new deploys: after one visit the site works with the server
// gone (papers and the user's tags), and a new deploy is offered, never
// half-applied, with only this deployment's old caches removed.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { Explorer } from './explorer.page.mjs';
import { seedPapers } from './seed.mjs';
import { copyOf, dist, packBundle, port, postBuild, startServer, waitForServiceWorker } from './offline-server.mjs';

const BASE = '/some/sub/path/';
const titles = seedPapers().map((p) => p.title);

test('after one visit the papers load with the server stopped, at any view URL', async ({ page }) => {
  const server = await startServer(dist, port(11));
  const explorer = new Explorer(page);
  try {
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
  } finally {
    await server.stop();
  }
  await expect(page.request.get(`${server.origin}${BASE}`)).rejects.toThrow();

  await page.reload();
  await explorer.expectLoaded(24);
  await explorer.expectTitles(titles);

  // A shared link to a view (query string) opens offline too.
  await explorer.open(`${server.origin}${BASE}?q=mixtral`);
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  expect(explorer.consoleErrors).toEqual([]);
});

test('tags and notes in localStorage survive going offline and reloading', async ({ page }) => {
  const server = await startServer(dist, port(12));
  const explorer = new Explorer(page);
  try {
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
    await explorer.resultTitles.first().click();
    await page.getByTestId('tag-input').fill('offline/kept');
    await page.getByTestId('tag-input').press('Enter');
    await expect(page.getByTestId('tag')).toHaveText(['offline/kept×']);
  } finally {
    await server.stop();
  }
  await page.reload();
  await expect(explorer.paperView).toBeVisible();
  await expect(page.getByTestId('tag')).toHaveText(['offline/kept×']);
  await expect(explorer.facetValue('tag', 'offline/kept').getByTestId('facet-count')).toHaveText('1');
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('user-data')));
  expect(stored).toHaveLength(1);
});

test('a new deploy is offered and applied only when the user clicks Reload', async ({ page }) => {
  const site = copyOf(dist);
  const server = await startServer(site, port(13));
  const explorer = new Explorer(page);
  const origin = server.origin;
  try {
    await explorer.open(`${origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    // Caches this deployment must leave alone: another app's, another Folio site's.
    const others = ['another-app-v1', `folio:${origin}/elsewhere/:0123456789abcdef`];
    await page.evaluate(async (names) => { for (const n of names) await caches.open(n); }, others);
    const [oldCache] = await page.evaluate(() => caches.keys().then((k) => k.filter((n) => n.includes('/some/sub/path/'))));

    // Deploy: a changed bundle, then the post-build step as the build runs it.
    const bundlePath = path.join(site, 'bundle.json');
    const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
    // Same length, plain ASCII: the bundle's highlight spans stay valid.
    const retitled = `Second deploy: ${titles[0]}`.slice(0, titles[0].length);
    bundle.papers[0].title = retitled;
    fs.writeFileSync(bundlePath, JSON.stringify(bundle));
    packBundle(site);
    postBuild(site);

    // The reload finds the new worker; the page still runs the old build, whole.
    await page.reload();
    // The new worker first precaches the whole new build (seconds on a busy machine).
    await expect(page.getByTestId('update-banner')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId('update-banner')).toContainText('new version');
    await explorer.expectLoaded(24);
    await expect(explorer.resultTitles.first()).toHaveText(titles[0]);

    await page.getByTestId('update-reload').click();
    await expect(explorer.resultTitles.first()).toHaveText(retitled);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    const cacheNames = await page.evaluate(() => caches.keys());
    expect(cacheNames).not.toContain(oldCache);
    expect(cacheNames.filter((n) => n.startsWith(`folio:${origin}/some/sub/path/:`))).toHaveLength(1);
    for (const other of others) expect(cacheNames).toContain(other);
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await server.stop();
    fs.rmSync(site, { recursive: true, force: true });
  }
});

test('the manifest makes the site installable from its sub-path', async ({ page }) => {
  const server = await startServer(dist, port(14));
  try {
    await page.goto(`${server.origin}${BASE}`);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifestUrl = new URL(href, `${server.origin}${BASE}`).href;
    const response = await page.request.get(manifestUrl);
    expect(response.ok()).toBe(true);
    const manifest = await response.json();
    expect(manifest.start_url).toBe('./');
    expect(manifest.scope).toBe('./');
    expect(manifest.display).toBe('standalone');
    const sizes = manifest.icons.map((icon) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['any', '192x192', '512x512']));
    for (const icon of manifest.icons) {
      const image = await page.request.get(new URL(icon.src, manifestUrl).href);
      expect(image.ok(), icon.src).toBe(true);
      expect(image.headers()['content-type']).toBe(icon.type);
    }
  } finally {
    await server.stop();
  }
});
