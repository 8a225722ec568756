// Math in titles and abstracts (tests/fixtures/math/math.jsonl, built by
// scripts/test.sh into target/dist-math): a formula shows as a <math>
// element, is found by its letters however the query writes them and is
// highlighted whole; one that does not parse shows its source; hostile TeX
// renders inert, with no console error and no CSP violation. Formulas are
// rendered by the math worker: offline too, and in the single-file build;
// without it they stay as their source, with one console warning.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { Explorer, expectNothingRan, watchAttacks } from './explorer.page.mjs';
import { copyOf, port, postBuild, root, singleFile, startServer, waitForServiceWorker } from './offline-server.mjs';

const mathDist = path.resolve(root, process.env.FOLIO_MATH_DIST ?? 'target/dist-math');
/** The fixture's papers, straight from the file. */
const papers = fs.readFileSync(path.join(root, 'tests/fixtures/math/math.jsonl'), 'utf8')
  .split('\n').filter(Boolean).map((line) => JSON.parse(line));

async function openMath(page, site = mathDist) {
  expect(fs.existsSync(path.join(mathDist, 'index.html')), `build the math corpus into ${mathDist} (scripts/test.sh does)`).toBe(true);
  const server = await startServer(site, port(18));
  const seen = watchAttacks(page);
  const explorer = new Explorer(page);
  await explorer.open(`${server.origin}/some/sub/path/`);
  await explorer.expectLoaded(papers.length);
  return { server, seen, explorer };
}

test('a title with inline math shows a <math> element whose letters are searchable', async ({ page }) => {
  const { server, seen, explorer } = await openMath(page);
  try {
    const row = explorer.results.filter({ hasText: 'Sparse Recovery with' });
    const title = row.getByTestId('result-title');
    await expect(title.locator('math')).toHaveCount(1);
    await expect(title.locator('math msub')).toHaveText('ℓ1');
    await expect(title).not.toContainText('$');

    for (const query of ['l1 regularization ', 'ℓ1 ', '\\ell_1 ']) {
      await explorer.search.fill(query);
      await expect(explorer.results).toHaveCount(1);
      await expect(title.locator('mark math')).toHaveText('ℓ1');
    }
    await explorer.search.fill('alpha divergence ');
    await expect(explorer.results).toHaveCount(1);
    await expect(explorer.resultTitles.first().locator('mark math')).toHaveText('α');

    // The open paper renders its title and abstract the same way.
    await explorer.search.fill('');
    await title.click();
    await expect(explorer.paperView.getByRole('heading', { level: 2 }).locator('math')).toHaveCount(1);
    const abstract = page.getByTestId('paper-abstract');
    await expect(abstract.locator('math')).toHaveCount(3);
    await expect(abstract.locator('math msqrt')).toHaveCount(1);
    await page.keyboard.press('Escape');

    // A formula that does not parse shows its source; a price is text.
    await explorer.resultTitles.filter({ hasText: 'Attention in' }).click();
    await expect(page.getByTestId('paper-abstract')).toContainText('$\\undefinedmacro{x}$');
    await expect(page.getByTestId('paper-abstract')).toContainText('less than $200 per model');
    await expect(page.getByTestId('paper-abstract').locator('math')).toHaveCount(1);

    expect(seen.dialogs).toEqual([]);
    expect(seen.csp).toEqual([]);
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('hostile TeX in formulas renders inert, with no CSP violation', async ({ page }) => {
  const { server, seen, explorer } = await openMath(page);
  try {
    const row = explorer.results.filter({ hasText: 'Hostile Formulas' });
    await expect(row).toHaveCount(1);
    await row.getByTestId('result-title').click();
    await expect(page.getByTestId('paper-abstract')).toContainText('Markup in TeX stays text');
    await expect(page.getByTestId('paper-abstract')).toContainText('</math><script>window.__folioXss=1</script>');

    await expect(page.locator('img, iframe, object, embed, script:not([src]), [onerror], [onload], [style]')).toHaveCount(0);
    await expect(page.locator('math [href], math a, math script')).toHaveCount(0);
    await expectNothingRan(page, explorer, seen);
  } finally {
    await server.stop();
  }
});

// Formulas are rendered by the math worker (src/bin/folio-math.rs), not the app.

test('formulas render offline after one visit, and in the single-file build', async ({ page }) => {
  const { server, explorer } = await openMath(page);
  const title = explorer.results.filter({ hasText: 'Sparse Recovery with' }).getByTestId('result-title');
  try {
    await expect(title.locator('math msub')).toHaveText('ℓ1');
    await waitForServiceWorker(page);
  } finally {
    await server.stop();
  }
  // The math worker's files were precached with the rest of the site.
  await page.reload();
  await explorer.expectLoaded(papers.length);
  await expect(title.locator('math msub')).toHaveText('ℓ1');

  // The single-file build inlines the math worker and starts it from a blob: URL.
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const file = pathToFileURL(singleFile(mathDist)).href;
  await explorer.open(file);
  await explorer.expectLoaded(papers.length);
  await expect(title.locator('math msub')).toHaveText('ℓ1');
  expect(requests.filter((url) => url !== file && !/^(data|blob):/.test(url) && !url.startsWith(`${file}?`))).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
});

test('without the math worker, formulas stay as their TeX source with one console warning', async ({ page }) => {
  const site = copyOf(mathDist);
  fs.rmSync(path.join(site, 'folio-math_loader.js'));
  postBuild(site);
  const warnings = [];
  page.on('console', (msg) => { if (msg.type() === 'warning') warnings.push(msg.text()); });
  const { server, seen, explorer } = await openMath(page, site);
  try {
    const title = explorer.results.filter({ hasText: 'Sparse Recovery with' }).getByTestId('result-title');
    await expect.poll(() => warnings.filter((w) => /math worker/.test(w))).toHaveLength(1);
    await expect(title).toContainText('$\\ell_1$');
    await explorer.search.fill('l1 regularization ');
    await expect(explorer.results).toHaveCount(1);
    await expect(title.locator('mark', { hasText: '$\\ell_1$' })).toHaveCount(1);
    await title.click();
    await expect(page.getByTestId('paper-abstract')).toContainText('$O(\\sqrt{s \\log p / n})$');
    await expect(page.locator('math')).toHaveCount(0);
    expect(warnings.filter((w) => /math worker/.test(w))).toHaveLength(1);
    expect(seen.dialogs).toEqual([]);
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await server.stop();
    fs.rmSync(site, { recursive: true, force: true });
  }
});

test('the math worker starts once the page is idle when the corpus has formulas, and never for one without', async ({ page }) => {
  const mathRequests = (requests) => requests.filter((url) => url.includes('folio-math'));
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  // No row shows a formula (the query matches nothing), yet the worker
  // comes: the corpus has formulas, so the first row with one will not wait.
  expect(fs.existsSync(path.join(mathDist, 'index.html'))).toBe(true);
  const server = await startServer(mathDist, port(18));
  try {
    const explorer = new Explorer(page);
    await explorer.open(`${server.origin}/some/sub/path/?q=zzqqxxnothing`);
    await expect(explorer.results).toHaveCount(0);
    await expect(page.locator('math')).toHaveCount(0);
    await expect.poll(() => mathRequests(requests).length, { timeout: 10_000 }).toBeGreaterThan(0);
  } finally {
    await server.stop();
  }
  // The seed's abstracts have no formula: no math worker, however long the page stays.
  requests.length = 0;
  const seed = new Explorer(page);
  await seed.open('/some/sub/path/');
  await seed.expectLoaded(24);
  await page.waitForTimeout(2000);
  // The seed's own requests: the math site's worker may still be fetching
  // its wasm as the page leaves it.
  const seedOrigin = new URL(page.url()).origin;
  expect(mathRequests(requests).filter((url) => url.startsWith(`${seedOrigin}/`))).toEqual([]);
});
