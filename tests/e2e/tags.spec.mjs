// Tags, notes and reading state: persistence across reloads and tabs, and
// safety when storage fails, holds garbage, or an import is malformed.
import { test, expect } from '@playwright/test';
import { Explorer } from './explorer.page.mjs';
import { seedPapers } from './seed.mjs';

const BASE = '/some/sub/path/';
const KEY = 'folio:v1:/some/sub/path:user-data';
const seed = seedPapers();

async function openFirstPaper(explorer) {
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView).toBeVisible();
}

async function addTag(page, tag) {
  await page.getByTestId('tag-input').fill(tag);
  await page.getByTestId('tag-input').press('Enter');
}

test('a tag, a star and a note survive a reload and show in the facets', async ({ page }) => {
  const explorer = new Explorer(page);
  await openFirstPaper(explorer);
  await addTag(page, 'reading/now');
  await page.getByTestId('star').click();
  await page.getByTestId('note').fill('check the tree decoding');
  await page.getByTestId('note').blur();
  await expect(page.getByTestId('tag')).toHaveText(['reading/now×']);

  await page.reload();
  await expect(explorer.paperView).toBeVisible();
  await expect(page.getByTestId('tag')).toHaveText(['reading/now×']);
  await expect(page.getByTestId('star')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('note')).toHaveValue('check the tree decoding');
  await expect(explorer.facetValue('tag', 'reading').getByTestId('facet-count')).toHaveText('1');
  await expect(explorer.facetValue('tag', 'reading/now').getByTestId('facet-count')).toHaveText('1');
  await expect(explorer.facetValue('state', 'starred').getByTestId('facet-count')).toHaveText('1');

  const stored = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), KEY));
  expect(stored.app).toBe('folio');
  expect(Object.values(stored.data.papers)[0].tags).toEqual(['reading/now']);
});

test('a tag added in one tab appears in another', async ({ page, context }) => {
  const first = new Explorer(page);
  await openFirstPaper(first);
  const second = new Explorer(await context.newPage());
  await second.open(BASE);
  await second.expectLoaded(24);

  await addTag(page, 'cite');
  await expect(second.facetValue('tag', 'cite').getByTestId('facet-count')).toHaveText('1');
  // The second tab adds its own tag; the first tab's tag is kept.
  await second.resultTitles.nth(1).click();
  await addTag(second.page, 'drop');
  await expect(first.facetValue('tag', 'drop').getByTestId('facet-count')).toHaveText('1');
  await expect(first.facetValue('tag', 'cite').getByTestId('facet-count')).toHaveText('1');
});

test('when storage is full the user is told, and nothing is lost in the tab', async ({ page }) => {
  await page.addInitScript(() => {
    const real = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (key.includes('user-data')) throw new DOMException('full', 'QuotaExceededError');
      return real.call(this, key, value);
    };
  });
  const explorer = new Explorer(page);
  await openFirstPaper(explorer);
  await addTag(page, 'important');
  await expect(page.getByTestId('save-error')).toContainText('storage for this site is full');
  await expect(page.getByTestId('save-error').getByRole('button', { name: 'Export your data' })).toBeVisible();
  await expect(page.getByTestId('tag')).toHaveText(['important×']);
  await expect(explorer.facetValue('tag', 'important').getByTestId('facet-count')).toHaveText('1');
});

test('a corrupt stored value is set aside and reported, never overwritten', async ({ page }) => {
  await page.addInitScript((key) => {
    if (!sessionStorage.getItem('seeded')) {
      localStorage.setItem(key, '{"app":"folio","version":2,"data":{"papers":{"p":{"tags":"oops"');
      sessionStorage.setItem('seeded', '1');
    }
  }, KEY);
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await expect(page.getByTestId('load-problem')).toContainText('could not be read');
  const aside = await page.evaluate((key) => Object.keys(localStorage).filter((k) => k.startsWith(`${key}:set-aside:`)), KEY);
  expect(aside).toHaveLength(1);
  const kept = await page.evaluate((k) => localStorage.getItem(k), aside[0]);
  expect(kept).toContain('"tags":"oops"');
});

test('a malformed import is refused and changes nothing', async ({ page }) => {
  const explorer = new Explorer(page);
  await openFirstPaper(explorer);
  await addTag(page, 'keep');
  await page.getByTestId('open-tags').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"not": "folio"}') });
  await expect(page.getByTestId('tags-error')).toContainText('Nothing was imported');
  await expect(page.getByTestId('import-preview')).toHaveCount(0);
  await expect(page.getByTestId('tag-row')).toHaveCount(1);
});

test('a valid import shows a preview and merges', async ({ page }) => {
  const explorer = new Explorer(page);
  await openFirstPaper(explorer);
  const id = await explorer.results.first().getAttribute('data-paper-id');
  await addTag(page, 'mine');
  const incoming = { app: 'folio', kind: 'user-data', version: 2, data: { papers: { [id]: { tags: ['theirs'], read: true } } } };
  await page.getByTestId('open-tags').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'ok.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(incoming)) });
  await expect(page.getByTestId('import-preview')).toContainText('1 papers change; 1 tags added; new tags: theirs; 1 read marks');
  await page.getByTestId('import-apply').click();
  await expect(page.getByTestId('tag-row')).toHaveCount(2);
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('tag-row')).toHaveCount(1);
});

test('bulk tagging names the count and tags all 24 results', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await page.getByTestId('bulk-tag').click();
  await page.getByTestId('bulk-tag-input').fill('llm');
  await expect(page.getByTestId('bulk-confirm')).toHaveText('Tag 24 papers with “llm”');
  await page.getByTestId('bulk-confirm').click();
  await expect(explorer.facetValue('tag', 'llm').getByTestId('facet-count')).toHaveText('24');
  await explorer.facetValue('tag', 'llm').getByRole('checkbox').check();
  await expect(explorer.count).toHaveText('24 papers');
  await expect(page).toHaveURL(/f=tag%3Allm/);
});

test('t opens the selected paper and focuses its tag input', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await page.keyboard.press('j');
  await page.keyboard.press('t');
  await expect(explorer.paperView.getByRole('heading', { level: 2 })).toHaveText(seed[1].title);
  await expect(page.getByTestId('tag-input')).toBeFocused();
});
