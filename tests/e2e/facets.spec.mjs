// Facets on the seed: counts match the bundle (counted here from the bundle's
// JSON, not by the app's code), and OR within a group, AND across groups and
// NOT behave as documented.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Explorer, PAGE_ROWS, expectFacetsMade } from './explorer.page.mjs';

const BASE = '/some/sub/path/';
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), process.env.FOLIO_DIST ?? '../../dist');
const bundle = JSON.parse(fs.readFileSync(path.join(dist, 'bundle.json'), 'utf8'));

/** Papers (ids) per value of an entity kind, from the bundle's JSON. */
function papersByEntity(kind) {
  const map = new Map();
  for (const paper of bundle.papers) {
    for (const entity of paper.entities ?? []) {
      if (entity.kind !== kind) continue;
      if (!map.has(entity.name)) map.set(entity.name, new Set());
      map.get(entity.name).add(paper.id);
    }
  }
  return map;
}

test('model and benchmark counts equal the number of papers naming them in the bundle', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  for (const kind of ['model', 'benchmark']) {
    const expected = papersByEntity(kind);
    expect(expected.size).toBeGreaterThan(0);
    const group = explorer.facetGroup(kind);
    // "Show N more" pages through the long groups.
    const more = group.getByTestId('facet-show-more');
    while (await more.count()) await more.click();
    for (const [name, ids] of expected) {
      await expect(explorer.facetValue(kind, name).getByTestId('facet-count')).toHaveText(String(ids.size));
    }
  }
});

test('values combine with OR within a group, AND across groups, and can be excluded', async ({ page }) => {
  const models = papersByEntity('model');
  const benchmarks = papersByEntity('benchmark');
  const [m1, m2] = [...models.entries()].sort((a, b) => b[1].size - a[1].size);
  const [b1] = [...benchmarks.entries()].sort((a, b) => b[1].size - a[1].size);
  const union = new Set([...m1[1], ...m2[1]]);
  const both = [...union].filter((id) => b1[1].has(id));
  const excluded = bundle.papers.filter((p) => !m1[1].has(p.id));
  const shows = (n) => (n === 24 ? '24 papers' : `${n} of 24 papers`);

  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.facetValue('model', m1[0]).getByRole('checkbox').check();
  await expect(explorer.count).toHaveText(shows(m1[1].size));
  await explorer.facetValue('model', m2[0]).getByRole('checkbox').check();
  await expect(explorer.count).toHaveText(shows(union.size));
  // The other model values still count as if their own group were unselected.
  await expect(explorer.facetValue('model', m1[0]).getByTestId('facet-count')).toHaveText(String(m1[1].size));
  await explorer.facetValue('benchmark', b1[0]).getByRole('checkbox').check();
  await expect(explorer.count).toHaveText(shows(both.length));
  await expect(page).toHaveURL(/f=model/);

  await page.getByTestId('clear-all').click();
  await expect(explorer.count).toHaveText('24 papers');
  await explorer.facetValue('model', m1[0]).getByRole('button', { name: `Exclude ${m1[0]}` }).click();
  await expect(explorer.count).toHaveText(`${excluded.length} of 24 papers`);
  await expect(page.getByTestId('filter-chip')).toHaveText([`not model: ${m1[0]} ×`]);
  await page.reload();
  await expect(explorer.count).toHaveText(`${excluded.length} of 24 papers`);
});

test('the paper view shows entities, links and similar papers, and highlights an entity on hover', async ({ page }) => {
  const paper = bundle.papers.find((p) => (p.links ?? []).length && (p.entities ?? []).length);
  const explorer = new Explorer(page);
  await explorer.open(`${BASE}?paper=${paper.id}`);
  await expect(explorer.paperView).toBeVisible();
  await expect(page.getByTestId('paper-link').first()).toContainText(paper.links[0].url);
  await expect(page.getByTestId('similar-paper')).toHaveCount(paper.similar.length);
  const entity = paper.entities.find((e) => e.spans.some(([field]) => field === 'a'));
  await page.getByTestId('entity-chip').filter({ hasText: entity.name }).first().hover();
  const marks = page.getByTestId('paper-abstract').locator('mark');
  const expected = entity.spans.filter(([f]) => f === 'a').map(([, s, e]) => Buffer.from(paper.abstract, 'utf8').subarray(s, e).toString('utf8'));
  await expect(marks).toHaveText(expected);
});

/** The text of a paper's spans of one field, from the bundle's byte offsets. */
function spanTexts(paper, entity, field) {
  const text = Buffer.from(field === 't' ? paper.title : paper.abstract, 'utf8');
  return entity.spans.filter(([f]) => f === field).map(([, s, e]) => text.subarray(s, e).toString('utf8'));
}

/** A model named in the abstract of a paper among the first rows, with that paper. */
function modelOnFirstPage() {
  for (const paper of bundle.papers.slice(0, PAGE_ROWS)) {
    const entity = (paper.entities ?? []).find((e) => e.kind === 'model' && e.spans.some(([f]) => f === 'a'));
    if (entity) return { paper, entity };
  }
  throw new Error('no model named on the first page of the seed');
}

test('result rows carry entity chips; pointing at one shows where each paper names it, clicking filters', async ({ page }) => {
  const { paper, entity } = modelOnFirstPage();
  const naming = papersByEntity('model').get(entity.name);
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  const row = page.locator(`[data-testid="result"][data-paper-id="${paper.id}"]`);
  const chip = row.getByTestId('entity-chip').and(page.locator('[data-mention-group="model"]')).filter({ hasText: entity.name }).first();
  await expect(chip).toHaveText(entity.name);
  await expect(row.locator('mark')).toHaveCount(0);

  await chip.hover();
  await expect(row).toHaveClass(/naming/);
  const mentions = new Set(spanTexts(paper, entity, 'a'));
  const marks = await row.getByTestId('result-snippet').locator('mark').allTextContents();
  expect(marks.length).toBeGreaterThan(0);
  for (const mark of marks) expect(mentions).toContain(mark);
  // Rows of papers that do not name it stay as they were.
  const others = page.locator('[data-testid="result"]:not(.naming)');
  await expect(others).toHaveCount(PAGE_ROWS - bundle.papers.slice(0, PAGE_ROWS).filter((p) => naming.has(p.id)).length);
  await expect(others.locator('mark')).toHaveCount(0);
  await page.mouse.move(1, 1);
  await expect(row).not.toHaveClass(/naming/);

  await chip.click();
  await expect(page.getByTestId('filter-chip')).toHaveText([`model: ${entity.name} ×`]);
  await expect(explorer.count).toHaveText(`${naming.size} of 24 papers`);
});

test('pointing at a facet value highlights where the open paper and the results name it', async ({ page }) => {
  const { paper, entity } = modelOnFirstPage();
  const explorer = new Explorer(page);
  await explorer.open(`${BASE}?paper=${paper.id}`);
  await expect(explorer.paperView).toBeVisible();
  const abstract = page.getByTestId('paper-abstract');
  await expect(abstract.locator('mark')).toHaveCount(0);
  // Long groups show their top values; the filter box finds the rest.
  await expectFacetsMade(page);
  const filter = explorer.facetGroup('model').getByRole('searchbox');
  if (await filter.count()) await filter.fill(entity.name);
  await explorer.facetValue('model', entity.name).hover();
  await expect(abstract.locator('mark')).toHaveText(spanTexts(paper, entity, 'a'));
  await expect(page.locator(`[data-testid="result"][data-paper-id="${paper.id}"]`)).toHaveClass(/naming/);
  // Keyboard users get the same by focusing the value's checkbox.
  await page.mouse.move(1, 1);
  await expect(abstract.locator('mark')).toHaveCount(0);
  await explorer.facetValue('model', entity.name).getByRole('checkbox').focus();
  await expect(abstract.locator('mark')).toHaveText(spanTexts(paper, entity, 'a'));
});
