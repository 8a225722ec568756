// The single-file build (scripts/single-file.mjs): one HTML file that opens
// from file:// with no server and no fetch, papers and search included.
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { Explorer } from './explorer.page.mjs';
import { seedPapers } from './seed.mjs';
import { dist, singleFile } from './offline-server.mjs';

const seed = seedPapers();

test('the single-file build opens from file:// and shows and searches the papers', async ({ page }) => {
  const file = pathToFileURL(singleFile(dist)).href;
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  const explorer = new Explorer(page);
  await explorer.open(file);
  await explorer.expectLoaded(24);
  await explorer.expectTitles(seed.map((p) => p.title));

  await explorer.search.pressSequentially('mixtral');
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView).toBeVisible();

  // Nothing but the file itself (and data: URLs) was ever requested.
  expect(requests.filter((url) => url !== file && !url.startsWith('data:') && !url.startsWith(`${file}?`))).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
});
