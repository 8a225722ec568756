// "Results as …" in the Tags dialog: the compile worker writes the current
// results (in their order) with the user's tags and notes in a reference
// manager's format; the page itself carries no writer.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import { Explorer } from './explorer.page.mjs';

/** Clicks "Results as LABEL" in the Tags dialog; resolves to the download's name and text. */
async function exportResults(page, label) {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: `Results as ${label}` }).click();
  return { name: (await download).suggestedFilename(), text: fs.readFileSync(await (await download).path(), 'utf8') };
}

test('the current results export in each format, in their order, with their tags', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open('/some/sub/path/');
  await explorer.expectLoaded(24);
  await explorer.search.fill('mixtral');
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  const titles = await explorer.resultTitles.allTextContents();
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView).toBeVisible();
  await page.getByTestId('tag-input').fill('moe-reading');
  await page.getByTestId('tag-input').press('Enter');
  await expect(page.getByTestId('tag')).toHaveText(['moe-reading×']);

  await page.getByTestId('open-tags').click();
  const csl = await exportResults(page, 'CSL-JSON');
  expect(csl.name).toBe('folio-papers.json');
  const items = JSON.parse(csl.text);
  expect(items.map((item) => item.title)).toEqual(titles);
  expect(items[0].keyword).toBe('moe-reading');
  const bib = await exportResults(page, 'BibTeX');
  expect(bib.name).toBe('folio-papers.bib');
  expect(bib.text.match(/^@\w+\{/gm)).toHaveLength(titles.length);
  expect(bib.text).toContain('keywords = {moe-reading}');
  const ris = await exportResults(page, 'RIS');
  expect(ris.text.match(/^TY {2}- /gm)).toHaveLength(titles.length);
  const csv = await exportResults(page, 'CSV');
  expect(csv.text.split('\n')[1]).toContain('Mixtral of Experts');
  await expect(page.getByTestId('tags-error')).toHaveCount(0);
  expect(explorer.consoleErrors).toEqual([]);
});
