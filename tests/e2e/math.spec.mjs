// Math in titles and abstracts (tests/fixtures/math/math.jsonl, built by
// scripts/test.sh into target/dist-math): a formula shows as a <math>
// element, is found by its letters however the query writes them and is
// highlighted whole; one that does not parse shows its source; hostile TeX
// renders inert, with no console error and no CSP violation. Formulas are
// rendered by the app in the task that shows them (a keystroke's formulas
// are on the page with its rows): offline too, and in the single-file build.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { Explorer, expectNothingRan, watchAttacks } from './explorer.page.mjs';
import { port, root, singleFile, startServer, waitForServiceWorker } from './offline-server.mjs';

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

test('formulas render offline after one visit, and in the single-file build', async ({ page }) => {
  const { server, explorer } = await openMath(page);
  const title = explorer.results.filter({ hasText: 'Sparse Recovery with' }).getByTestId('result-title');
  try {
    await expect(title.locator('math msub')).toHaveText('ℓ1');
    await waitForServiceWorker(page);
  } finally {
    await server.stop();
  }
  await page.reload();
  await explorer.expectLoaded(papers.length);
  await expect(title.locator('math msub')).toHaveText('ℓ1');

  // The single-file build renders them the same way.
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const file = pathToFileURL(singleFile(mathDist)).href;
  await explorer.open(file);
  await explorer.expectLoaded(papers.length);
  await expect(title.locator('math msub')).toHaveText('ℓ1');
  expect(requests.filter((url) => url !== file && !/^(data|blob):/.test(url) && !url.startsWith(`${file}?`))).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
});

test('a keystroke\'s formulas are MathML in the task that answers it, not a message later', async ({ page }) => {
  // The page opens on a query that shows no paper: no formula has been
  // rendered before the keystroke (a renderer that remembers them would
  // otherwise answer a formula seen before at once, however it works).
  const server = await startServer(mathDist, port(18));
  try {
    const explorer = new Explorer(page);
    await explorer.open(`${server.origin}/some/sub/path/?q=zzqqxxnothing`);
    // The corpus is open and answered the query (no row while loading either).
    await expect(page.getByTestId('no-results')).toBeVisible();
    await expect(explorer.results).toHaveCount(0);
    await expect(page.locator('math')).toHaveCount(0);
    // The box changed and every task the app queues for it run (its
    // effects are microtasks): what the page holds then, before any other
    // task (a worker's answer would be one), is what the first frame shows.
    const shown = await page.evaluate(async () => {
      const input = document.querySelector('[data-testid=search]');
      input.value = 'l1 regularization';
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      const row = [...document.querySelectorAll('[data-testid=result]')].find((r) => r.textContent.includes('Sparse Recovery with'));
      return { rows: document.querySelectorAll('[data-testid=result]').length, math: row ? row.querySelectorAll('math').length : -1, source: row ? row.querySelectorAll('.math-source').length : -1 };
    });
    expect(shown.rows).toBe(1);
    expect(shown.math).toBeGreaterThan(0);
    expect(shown.source).toBe(0);
    // No file of the site is there for math alone.
    expect(fs.readdirSync(mathDist).filter((f) => /math/.test(f))).toEqual([]);
  } finally {
    await server.stop();
  }
});
