// The corpus map: a canvas of every paper, opened from the results with the
// "Map" toggle and kept in the URL; hover names a paper and a click opens
// it; keys pan, zoom and step from paper to paper; the query lights its
// papers up; a shift-drag box or a lasso becomes a filter; points colored
// by a facet with a legend; the cluster list as the map's text; the canvas
// follows its pane's size and gives its WebGL context back when closed.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Explorer, PAGE_ROWS } from './explorer.page.mjs';
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
  // Shift and an arrow pan (the arrows alone step from paper to paper).
  await page.keyboard.press('Shift+ArrowLeft');
  await expect.poll(async () => (await mapPixels(page)).minX).toBeGreaterThan(before.minX);
  await page.keyboard.press('Shift+ArrowDown');
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

test(`the arrow keys step a ring from paper to paper, announced, and Enter opens it (${renderer})`, async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer, renderer);
  const canvas = page.getByTestId('map-canvas');
  const announce = page.getByTestId('map-announce');
  await expect(announce).toHaveAttribute('aria-live', 'polite');
  await canvas.focus();
  // The first arrow reaches the paper nearest the middle of the view.
  await page.keyboard.press('ArrowRight');
  await expect(announce).not.toHaveText('');
  const first = (await announce.textContent()).trim();
  expect(seedTitles).toContain(first);
  await expect(page.getByTestId('map-tooltip')).toHaveText(first);
  // Every arrow goes to another paper, or stays when there is none that way.
  const seen = new Set([first]);
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'ArrowUp']) {
    await page.keyboard.press(key);
    const title = (await announce.textContent()).trim();
    expect(seedTitles).toContain(title);
    seen.add(title);
  }
  expect(seen.size).toBeGreaterThan(1);
  // The result list's cursor did not move.
  await expect(explorer.results.first()).toHaveAttribute('aria-current', 'true');
  const last = (await announce.textContent()).trim();
  await page.keyboard.press('Enter');
  await expect(explorer.paperView).toBeVisible();
  await expect(page.locator('#paper-title')).toHaveText(last);
  expect(explorer.consoleErrors).toEqual([]);
});

}

test('with a query, the arrow keys step among the lit papers only', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  await explorer.search.fill('speculative');
  await expect(explorer.count).toHaveText(/^\d+ of 24 papers$/);
  const lit = await explorer.resultTitles.allTextContents();
  expect(lit.length).toBeLessThan(PAGE_ROWS);
  await page.getByTestId('map-canvas').focus();
  const announce = page.getByTestId('map-announce');
  for (const key of ['ArrowLeft', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowUp', 'ArrowLeft']) {
    await page.keyboard.press(key);
    await expect(announce).not.toHaveText('');
    expect(lit.map((t) => t.trim())).toContain((await announce.textContent()).trim());
  }
  // Escape leaves the paper: nothing announced, no ring's tooltip.
  await page.keyboard.press('Escape');
  await expect(announce).toHaveText('');
  await expect(page.getByTestId('map-tooltip')).toHaveCount(0);
});

test('the keyboard help lists the map keys', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  // From the map: its keys leave `?` to the page.
  await page.getByTestId('map-canvas').focus();
  await page.keyboard.press('?');
  const keys = page.getByTestId('map-keys');
  await expect(keys).toBeVisible();
  await expect(keys).toContainText('Step to the nearest paper that way');
  await expect(keys).toContainText('Pan the map');
  await expect(keys).toContainText('lasso');
});

/** Every paper is on the seed's map, and the caption says so. */
test('the caption counts the papers on the map', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  await expect(page.getByTestId('map-caption')).toHaveText('24 papers on the map.');
});

test('a paper with nothing in common with the rest is not drawn, and the caption counts it', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  // No word of it is in another paper: its vector is zero, it has no place.
  const lone = '@article{lone2026,\n  title = {Qwertyuiop zyxwvutsr plonkified},\n  abstract = {Glimmerwocks frobnicate vorpally.},\n  year = {2026}\n}\n';
  await explorer.dropFiles([{ name: 'lone.bib', mimeType: 'application/x-bibtex', buffer: Buffer.from(lone) }]);
  await page.getByTestId('open-add').click();
  await explorer.openReport.close.click();
  await explorer.expectLoaded(25);
  await page.getByTestId('map-toggle').click();
  await expectDrawn(page);
  await expect(page.getByTestId('map-caption'))
    .toHaveText('24 of 25 papers on the map; 1 has nothing in common with the rest and is not on it.');
  // Nothing drawn where its point would be (the map's top left corner).
  const atCorner = await page.getByTestId('map-points').evaluate((points) => {
    const canvas = document.createElement('canvas');
    canvas.width = points.width;
    canvas.height = points.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(points, 0, 0);
    const side = Math.min(points.width, points.height) * 0.94;
    const [x, y] = [points.width / 2 - side / 2, points.height / 2 - side / 2].map(Math.round);
    const d = ctx.getImageData(x - 6, y - 6, 13, 13).data;
    let drawn = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) drawn += 1;
    return drawn;
  });
  expect(atCorner).toBe(0);
  // The lit papers of a search for it: none drawn.
  await explorer.search.fill('plonkified');
  await expect(explorer.count).toHaveText('1 of 25 papers');
  await expect.poll(async () => (await mapPixels(page)).lit).toBe(0);
  expect(explorer.consoleErrors).toEqual([]);
});

test('a resize of the pane alone redraws the map at its new size', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  const backing = () => page.getByTestId('map-points').evaluate((c) => ({
    width: c.width, expected: Math.round(c.clientWidth * Math.min(Math.max(devicePixelRatio, 1), 3)),
  }));
  const before = await backing();
  expect(before.width).toBe(before.expected);
  // Narrower by script: no window resize event.
  await page.getByTestId('map-view').evaluate((el) => { el.style.width = `${Math.round(el.clientWidth / 2)}px`; });
  await expect.poll(async () => { const b = await backing(); return b.width === b.expected && b.width < before.width; }).toBe(true);
  const overlay = await page.getByTestId('map-canvas').evaluate((c) => c.width);
  expect(overlay).toBe((await backing()).width);
  await expectDrawn(page);
});

test('closing the map gives its WebGL context back: opened 20 times, no context is lost to the limit', async ({ page }) => {
  await page.addInitScript(() => {
    window.__gl = { made: 0, lost: 0 };
    const get = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
      const context = get.call(this, kind, ...rest);
      if (kind.startsWith('webgl') && context && !this.__counted) { this.__counted = true; window.__gl.made += 1; }
      return context;
    };
    const extension = WebGLRenderingContext.prototype.getExtension;
    WebGLRenderingContext.prototype.getExtension = function (name) {
      const ext = extension.call(this, name);
      if (name === 'WEBGL_lose_context' && ext && !ext.__counted) {
        ext.__counted = true;
        const lose = ext.loseContext.bind(ext);
        ext.loseContext = () => { window.__gl.lost += 1; lose(); };
      }
      return ext;
    };
  });
  const warnings = [];
  page.on('console', (msg) => { if (/WebGL/i.test(msg.text())) warnings.push(msg.text()); });
  const explorer = new Explorer(page);
  await openMap(explorer);
  const toggle = page.getByTestId('map-toggle');
  for (let i = 0; i < 20; i += 1) {
    await toggle.click();
    await expect(page.getByTestId('map-view')).toHaveCount(0);
    await toggle.click();
    await expect(page.getByTestId('map-points')).toHaveAttribute('data-renderer', 'webgl');
  }
  await expectDrawn(page);
  const gl = await page.evaluate(() => window.__gl);
  expect(gl.made).toBe(21);
  expect(gl.lost).toBe(20);
  expect(warnings).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
});

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

/** Drags a lasso through `corners` (fractions of the canvas), `steps`
 * pointer moves between each two, holding shift or alt. */
async function dragLasso(page, corners, modifier = 'Shift', steps = 6) {
  const box = await page.getByTestId('map-canvas').boundingBox();
  const at = ([fx, fy]) => [box.x + fx * box.width, box.y + fy * box.height];
  await page.keyboard.down(modifier);
  await page.mouse.move(...at(corners[0]));
  await page.mouse.down();
  for (const corner of [...corners.slice(1), corners[0]]) await page.mouse.move(...at(corner), { steps });
  await page.mouse.up();
  await page.keyboard.up(modifier);
}

/** Shift-drags a box between two corners (fractions of the canvas). */
async function dragBox(page, [a, b]) {
  const box = await page.getByTestId('map-canvas').boundingBox();
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + a[0] * box.width, box.y + a[1] * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + b[0] * box.width, box.y + b[1] * box.height, { steps: 8 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
}

const shownOf = async (explorer) => {
  const text = (await explorer.count.textContent()).trim();
  return Number(text.split(' ')[0]);
};

test('a lasso filters the results to exactly the papers inside it, until cleared', async ({ page }) => {
  const explorer = new Explorer(page);
  await openMap(explorer);
  const lassoButton = page.getByTestId('map-shape-lasso');
  await expect(page.getByTestId('map-shape-box')).toHaveAttribute('aria-pressed', 'true');
  // Keyboard reachable: Enter presses the button, and only the button (the
  // page's Enter, "open the current result", leaves it alone).
  await lassoButton.focus();
  await page.keyboard.press('Enter');
  await expect(lassoButton).toHaveAttribute('aria-pressed', 'true');
  await expect(page).not.toHaveURL(/[?&]paper=/);
  // The left 60% of the map, as a box, then as a lasso through its corners.
  const rect = [[0.003, 0.003], [0.6, 0.997]];
  const corners = [[0.003, 0.003], [0.6, 0.003], [0.6, 0.997], [0.003, 0.997]];
  // Shift-drag draws a lasso now: the rectangle's corners make a rectangle.
  await dragLasso(page, corners);
  await expect(explorer.count).toHaveText(/^\d+ of 24 papers$/);
  const inLasso = await shownOf(explorer);
  await expect(page).toHaveURL(/[?&]lasso=[A-Za-z0-9_-]+(&|$)/);
  await expect(page.getByTestId('filter-chip')).toHaveText(['map lasso ×']);
  await expect.poll(async () => (await mapPixels(page)).dim).toBeGreaterThan(0);
  // The same rectangle as a box: the same papers.
  await page.getByTestId('map-shape-box').click();
  await dragBox(page, rect);
  await expect(page.getByTestId('filter-chip')).toHaveText(['map region ×'], { timeout: 5000 });
  await expect(page).not.toHaveURL(/[?&]lasso=/);
  expect(await shownOf(explorer)).toBe(inLasso);
  expect(inLasso).toBeGreaterThan(0);
  expect(inLasso).toBeLessThan(24);
  // Half of it, the triangle below its diagonal, holds fewer (alt-drag: a
  // lasso whatever the toolbar says), and replaces the box.
  await dragLasso(page, [[0.003, 0.003], [0.6, 0.997], [0.003, 0.997]], 'Alt');
  await expect(page.getByTestId('filter-chip')).toHaveText(['map lasso ×']);
  await expect(page).not.toHaveURL(/[?&]map=/);
  const inTriangle = await shownOf(explorer);
  expect(inTriangle).toBeLessThan(inLasso);
  // In the URL, kept across a reload, removed by its chip, back with Back.
  const url = page.url();
  await page.reload();
  await expect(explorer.count).toHaveText(`${inTriangle} of 24 papers`);
  expect(page.url()).toBe(url);
  await page.getByTestId('filter-chip').click();
  await expect(explorer.count).toHaveText('24 papers');
  await page.goBack();
  await expect(explorer.count).toHaveText(`${inTriangle} of 24 papers`);
  // A cluster replaces it; the clear button clears it.
  await page.getByTestId('map-cluster').first().click();
  await expect(page).not.toHaveURL(/[?&]lasso=/);
  await expect(page.getByTestId('filter-chip')).toHaveText([/^map cluster: /]);
  await page.getByTestId('clear-all').click();
  // (The cluster moved the view to it.)
  await page.getByTestId('map-reset').click();
  await dragLasso(page, corners, 'Alt');
  await expect(explorer.count).toHaveText(`${inLasso} of 24 papers`);
  await page.getByTestId('map-clear-region').click();
  await expect(explorer.count).toHaveText('24 papers');
  // A malformed lasso in a link is ignored.
  await page.goto(`${BASE}?show=map&lasso=AAAA!`);
  await expect(explorer.count).toHaveText('24 papers');
  expect(explorer.consoleErrors).toEqual([]);
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
