// The single-file build (scripts/single-file.mjs): one HTML file that opens
// from file:// with no server and no fetch, papers and search included (its
// app pack inlined), exports them, and opens a person's own files (the
// compile worker is inlined too).
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { Explorer, repoFile } from './explorer.page.mjs';
import { seedPapers } from './seed.mjs';
import { dist, singleFile } from './offline-server.mjs';

const seed = seedPapers();

/** Opens the single-file build of dist/ from file://, recording every request. */
async function openSingleFile(page) {
  const file = pathToFileURL(singleFile(dist)).href;
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const explorer = new Explorer(page);
  await explorer.open(file);
  await explorer.expectLoaded(24);
  return { file, requests, explorer };
}

test('the single-file build opens from file:// and shows and searches the papers', async ({ page }) => {
  const { file, requests, explorer } = await openSingleFile(page);
  await explorer.expectTitles(seed.map((p) => p.title));

  await explorer.search.pressSequentially('mixtral');
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView).toBeVisible();

  // Nothing but the file itself (and data: URLs) was ever requested.
  expect(requests.filter((url) => url !== file && !url.startsWith('data:') && !url.startsWith(`${file}?`))).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
});

test('the single-file build opens a person\'s file from file://: the compile worker is inlined', async ({ page }) => {
  const { file, requests, explorer } = await openSingleFile(page);
  // Its own papers export as bundle.json (the inlined pack, converted by the
  // worker); the pack stays inlined for what follows.
  await page.getByTestId('corpus-menu').click();
  const json = page.waitForEvent('download');
  await page.getByTestId('site-corpus').getByRole('button', { name: 'bundle.json' }).click();
  const bundle = JSON.parse(fs.readFileSync(await (await json).path(), 'utf8'));
  expect(bundle.papers.map((p) => p.title)).toEqual(JSON.parse(fs.readFileSync(`${dist}/bundle.json`, 'utf8')).papers.map((p) => p.title));
  await page.getByTestId('corpus-dialog').getByRole('button', { name: 'Close' }).click();

  const csv = repoFile('tests/fixtures/exports/zotero-mambo.csv');
  await explorer.chooseFiles([csv]);
  await page.getByTestId('open-add').click();
  const rows = (csv.buffer.toString('utf8').match(/^\uFEFF?"[A-Z0-9]{8}",/gm) ?? []).length;
  await expect(explorer.openReport.summary).toHaveText(`Added ${rows} papers: ${24 + rows} in all.`);
  // Kept in the browser from file:// too.
  await expect(page.getByTestId('open-kept')).toHaveText(/^Kept in this browser/);
  await explorer.openReport.close.click();
  await explorer.expectLoaded(24 + rows);
  // The worker came from the page itself (a blob: URL), nothing from the network.
  expect(requests.filter((url) => url !== file && !/^(data|blob):/.test(url) && !url.startsWith(`${file}?`))).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
  // Opened again from the browser's store on the next visit.
  await page.reload();
  await explorer.expectLoaded(24 + rows);
});
