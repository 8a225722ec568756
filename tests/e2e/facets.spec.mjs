// Facets on the seed: counts match the bundle (counted here from the bundle's
// JSON, not by the app's code), and OR within a group, AND across groups and
// NOT behave as documented.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Explorer } from './explorer.page.mjs';

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
    const showAll = group.getByRole('button', { name: /Show all/ });
    if (await showAll.count()) await showAll.click();
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

  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.facetValue('model', m1[0]).getByRole('checkbox').check();
  await expect(explorer.results).toHaveCount(m1[1].size);
  await explorer.facetValue('model', m2[0]).getByRole('checkbox').check();
  await expect(explorer.results).toHaveCount(union.size);
  // The other model values still count as if their own group were unselected.
  await expect(explorer.facetValue('model', m1[0]).getByTestId('facet-count')).toHaveText(String(m1[1].size));
  await explorer.facetValue('benchmark', b1[0]).getByRole('checkbox').check();
  await expect(explorer.results).toHaveCount(both.length);
  await expect(page).toHaveURL(/f=model/);

  await page.getByTestId('clear-all').click();
  await expect(explorer.results).toHaveCount(24);
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
