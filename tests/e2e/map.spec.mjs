// The corpus map: a canvas of every paper, opened from the results with the
// "Map" toggle and kept in the URL; hover names a paper and a click opens
// it; keys pan and zoom; the query lights its papers up; a shift-drag box
// becomes a filter; points colored by a facet with a legend; the cluster
// list as the map's text.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Explorer } from './explorer.page.mjs';
import { dist, port, shardedDist, startServer } from './offline-server.mjs';
import { seedPapers } from './seed.mjs';

const BASE = '/some/sub/path/';
const seedTitles = seedPapers().map((p) => p.title);

/** The map's palette (src/browser/map_canvas.rs PALETTE), as "r,g,b". */
const PALETTE = ['0,114,178', '230,159,0', '0,158,115', '204,121,167', '86,180,233', '213,94,0', '240,228,66', '120,94,240', '150,150,150'];

/** What the canvas shows: points lit (opaque palette pixels) and dimmed
 * (translucent ones), the box around the lit ones, and one lit pixel in CSS
 * pixels from the canvas's corner. */
async function mapPixels(page) {
  return page.getByTestId('map-points').evaluate((points, palette) => {
    // The points' canvas (WebGL or 2D) read through a 2D copy.
    const canvas = document.createElement('canvas');
    canvas.width = points.width;
    canvas.height = points.height;
    canvas.getContext('2d').drawImage(points, 0, 0);
    const colors = new Set(palette);
    const rgbs = palette.map((c) => c.split(',').map(Number));
    // A dimmed point's colour reads back rounded (the canvas stores it premultiplied).
    const near = (r, g, b) => rgbs.some(([R, G, B]) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) <= 12);
    const ratio = points.width / points.clientWidth;
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const out = { lit: 0, dim: 0, minX: Infinity, maxX: -Infinity, minY: Infinity, maxY: -Infinity, first: null };
    for (let i = 0; i < data.length; i += 4) {
      const rgb = `${data[i]},${data[i + 1]},${data[i + 2]}`;
      const x = (i / 4) % canvas.width;
      const y = Math.floor(i / 4 / canvas.width);
      if (data[i + 3] === 255 && colors.has(rgb)) {
        out.lit += 1;
        out.minX = Math.min(out.minX, x); out.maxX = Math.max(out.maxX, x);
        out.minY = Math.min(out.minY, y); out.maxY = Math.max(out.maxY, y);
        // A point's pixel away from the canvas's edges.
        if (!out.first && x > 4 && y > 4) out.first = { x: x / ratio + 1, y: y / ratio + 1 };
      } else if (Math.abs(data[i + 3] - 0x40) <= 2 && near(data[i], data[i + 1], data[i + 2])) {
        out.dim += 1;
      }
    }
    return out;
  }, PALETTE);
}

/** Waits until the map has drawn its points. */
async function expectDrawn(page) {
  await expect.poll(async () => (await mapPixels(page)).lit).toBeGreaterThan(0);
}

/** Opens the map, its points drawn by `renderer`: WebGL (headless Chromium
 * has it, by SwiftShader) or, for a browser without WebGL, the 2D canvas. */
async function openMap(explorer, renderer = 'webgl') {
  if (renderer === '2d') {
    await explorer.page.addInitScript(() => {
      const get = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return kind.startsWith('webgl') ? null : get.call(this, kind, ...rest);
      };
    });
  }
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.page.getByTestId('map-toggle').click();
  await expect(explorer.page.getByTestId('map-view')).toBeVisible();
  await expect(explorer.page.getByTestId('map-points')).toHaveAttribute('data-renderer', renderer);
  await expectDrawn(explorer.page);
}

for (const renderer of ['webgl', '2d']) {
test(`the map draws every paper and stays open across a reload (${renderer})`, async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer, renderer);
  await expect(page.getByTestId('map-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page).toHaveURL(/[?&]show=map/);
  await page.reload();
  await expect(page.getByTestId('map-view')).toBeVisible();
  await expectDrawn(page);
  await page.getByTestId('map-toggle').click();
  await expect(page.getByTestId('map-view')).toHaveCount(0);
  await expect(page).not.toHaveURL(/show=map/);
  expect(explorer.consoleErrors).toEqual([]);
});

test(`pointing at a point names its paper and a click opens it (${renderer})`, async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer, renderer);
  const { first } = await mapPixels(page);
  const canvas = page.getByTestId('map-canvas');
  await canvas.hover({ position: first });
  const tooltip = page.getByTestId('map-tooltip');
  await expect(tooltip).toBeVisible();
  const title = (await tooltip.textContent()).trim();
  expect(seedTitles).toContain(title);
  await canvas.click({ position: first });
  await expect(explorer.paperView).toBeVisible();
  await expect(page.locator('#paper-title')).toHaveText(title);
  expect(explorer.consoleErrors).toEqual([]);
});

test(`keys zoom and pan the map, and leave the result cursor alone (${renderer})`, async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer, renderer);
  const before = await mapPixels(page);
  const canvas = page.getByTestId('map-canvas');
  await canvas.focus();
  await page.keyboard.press('+');
  await expect.poll(async () => { const p = await mapPixels(page); return p.maxX - p.minX; })
    .toBeGreaterThan(before.maxX - before.minX);
  await page.keyboard.press('0');
  await expect.poll(async () => (await mapPixels(page)).minX).toBe(before.minX);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => (await mapPixels(page)).minX).toBeGreaterThan(before.minX);
  await page.keyboard.press('ArrowDown');
  await expect(explorer.results.first()).toHaveAttribute('aria-current', 'true');
  await page.getByTestId('map-reset').click();
  await expect.poll(async () => (await mapPixels(page)).minX).toBe(before.minX);
  // The wheel zooms too.
  await canvas.hover({ position: { x: 200, y: 150 } });
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => { const p = await mapPixels(page); return p.maxX - p.minX; })
    .not.toBe(before.maxX - before.minX);
});

test(`the query lights up its papers and dims the others (${renderer})`, async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer, renderer);
  const all = await mapPixels(page);
  expect(all.dim).toBe(0);
  await explorer.search.fill('speculative');
  await expect(explorer.count).toHaveText(/^\d+ of 24 papers$/);
  await expect.poll(async () => (await mapPixels(page)).dim).toBeGreaterThan(0);
  const some = await mapPixels(page);
  expect(some.lit).toBeLessThan(all.lit);
  await explorer.search.fill('');
  await expect.poll(async () => (await mapPixels(page)).dim).toBe(0);
});

}

/** Shift-drags a box over the left half of the map. */
async function dragLeftHalf(page) {
  const box = await page.getByTestId('map-canvas').boundingBox();
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 2, box.y + 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 2, { steps: 4 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

test('a shift-drag box filters the results to its region, until cleared', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  await dragLeftHalf(page);
  await expect(explorer.count).toHaveText(/^\d+ of 24 papers$/);
  const shown = Number((await explorer.count.textContent()).split(' ')[0]);
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(24);
  await expect.poll(async () => (await mapPixels(page)).dim).toBeGreaterThan(0);
  // A filter like the others: in the URL, a chip, kept across a reload.
  await expect(page).toHaveURL(/[?&]map=\d+%2C\d+%2C\d+%2C\d+/);
  await expect(page.getByTestId('filter-chip')).toHaveText(['map region ×']);
  await page.reload();
  await expect(explorer.count).toHaveText(`${shown} of 24 papers`);
  await page.getByTestId('filter-chip').click();
  await expect(explorer.count).toHaveText('24 papers');
  await expect(page).not.toHaveURL(/[?&]map=/);
  await page.goBack();
  await expect(explorer.count).toHaveText(`${shown} of 24 papers`);
  await page.getByTestId('map-clear-region').click();
  await expect(explorer.count).toHaveText('24 papers');
});

test('the cluster list is the map as text: activating a cluster filters to it', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  const clusters = page.getByTestId('map-cluster');
  // The seed's 24 papers make a few named clusters (src/engine/map/clusters.rs).
  await expect.poll(() => clusters.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('map-no-clusters')).toHaveCount(0);
  await expect(clusters.first()).not.toHaveText('');
  // The second cluster: a filter to exactly its papers, not the box around them.
  const second = clusters.nth(1);
  const label = (await second.textContent()).trim();
  const papers = Number(await second.locator('xpath=..').locator('.facet-count').textContent());
  // The labels are drawn over a halo of the page's background (white in the
  // light theme; a colour the canvas could not parse once made it black).
  const halo = await page.getByTestId('map-canvas').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let light = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && d[i] > 230 && d[i + 1] > 230 && d[i + 2] > 230) light += 1;
    return light;
  });
  expect(halo).toBeGreaterThan(50);
  // One selection of the map at a time: the cluster replaces a region drawn before.
  await dragLeftHalf(page);
  await expect(page.getByTestId('filter-chip')).toHaveText(['map region ×']);
  await second.click();
  await expect(explorer.count).toHaveText(`${papers} of 24 papers`);
  await expect(page.getByTestId('filter-chip')).toHaveText([`map cluster: ${label} ×`]);
  await expect(page).toHaveURL(/[?&]cluster=1(&|$)/);
  await page.reload();
  await expect(explorer.count).toHaveText(`${papers} of 24 papers`);
  await page.getByTestId('clear-all').click();
  await expect(explorer.count).toHaveText('24 papers');
  await expect(page).not.toHaveURL(/[?&]cluster=/);
});

test("a sharded site fetches the map's shard and draws what the one-file site draws", async ({ page, browser }) => {
  const [whole, sharded] = await Promise.all([startServer(dist, port(50)), startServer(shardedDist, port(51))]);
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const reference = await browser.newPage();
  try {
    await reference.goto(`${whole.origin}${BASE}?show=map`);
    await expectDrawn(reference);
    const expected = await mapPixels(reference);
    await page.goto(`${sharded.origin}${BASE}?show=map`);
    await expectDrawn(page);
    expect(await mapPixels(page)).toEqual(expected);
    expect(requested.filter((p) => p.startsWith(`${BASE}shards/`)).length).toBeGreaterThan(0);
  } finally {
    await reference.close();
    await Promise.all([whole.stop(), sharded.stop()]);
  }
});

test('points colored by a facet come with a legend, kept in the URL', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  const select = page.getByTestId('map-color');
  const groups = await select.locator('option').evaluateAll((options) => options.map((o) => o.value));
  const group = groups.find((g) => g !== 'cluster' && g !== 'none');
  await select.selectOption(group);
  await expect(page.getByTestId('map-legend').locator('li').first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`[?&]color=${group}`));
  await page.reload();
  await expect(page.getByTestId('map-color')).toHaveValue(group);
  await expect(page.getByTestId('map-legend')).toBeVisible();
});

for (const scheme of ['light', 'dark']) {
  test(`the map pane has no serious accessibility violations in ${scheme} mode`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const explorer = new Explorer(page);
    await openMap(explorer);
    await page.getByTestId('map-color').selectOption('model');
    await expect(page.getByTestId('map-legend')).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    await page.screenshot({ path: `artifacts/map-${scheme}.png` });
  });
}
