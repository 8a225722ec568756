// `?open=URL` opens a corpus file, bundle or app pack from the site's own
// origin as a new corpus (kept like any opened one); a URL on another site
// is refused with nothing fetched and nothing changed.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { Explorer, bibEntries, repoFile } from './explorer.page.mjs';
import { copyOf, dist, port, startServer } from './offline-server.mjs';

const BIB = 'tests/fixtures/exports/scholar-srush.bib';

test('?open= opens a file or a pack of this site, and refuses another site\'s', async ({ page }) => {
  const site = copyOf(dist);
  const bib = repoFile(BIB);
  fs.mkdirSync(path.join(site, 'papers'));
  fs.writeFileSync(path.join(site, 'papers/refs.bib'), bib.buffer);
  const server = await startServer(site, port(33));
  const explorer = new Explorer(page);
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await explorer.open(`${server.origin}/?open=papers/refs.bib`);
    await expect(explorer.openReport.summary).toHaveText(`Opened ${bibEntries(bib)} papers.`);
    await expect(explorer.openReport.dialog.getByTestId('open-kept')).toHaveText(/^Kept in this browser/);
    await explorer.openReport.close.click();
    await explorer.expectLoaded(bibEntries(bib));
    await expect(page).not.toHaveURL(/open=/);

    // The site's own pack opens as it is (no compile).
    await explorer.open(`${server.origin}/?open=bundle.pack`);
    await expect(explorer.openReport.summary).toHaveText('Opened 24 papers.');
    await explorer.openReport.close.click();
    await explorer.expectLoaded(24);
    await expect(page.getByTestId('corpus-menu')).toHaveText('bundle.pack');

    await explorer.open(`${server.origin}/?open=${encodeURIComponent('https://example.org/refs.bib')}`);
    await expect(explorer.openReport.summary).toHaveText(
      /^Nothing changed: https:\/\/example\.org\/refs\.bib is on another site \(https:\/\/example\.org\); this site opens only its own files/);
    await explorer.openReport.close.click();
    await explorer.expectLoaded(24);
  } finally {
    await server.stop();
  }
  expect(requests.filter((url) => !url.startsWith(server.origin))).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
});
