// A real reference-manager export in the explorer (tests/fixtures/exports/
// scholar-srush.bib: Google Scholar BibTeX, 47 entries, not one abstract):
// every entry is a paper, findable by its title and its authors, and shown
// without an empty abstract block.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { Explorer, PAGE_ROWS } from './explorer.page.mjs';
import { bibDist, port, startServer } from './offline-server.mjs';

test('a BibTeX export without abstracts is explored by title and author', async ({ page }) => {
  expect(fs.existsSync(path.join(bibDist, 'index.html')), `build the export into ${bibDist} (scripts/test.sh does)`).toBe(true);
  const server = await startServer(bibDist, port(17));
  try {
    const explorer = new Explorer(page);
    await explorer.open(`${server.origin}/some/sub/path/`);
    await explorer.expectLoaded(47);
    // Rows without a snippet are short: more than a page of them follow
    // one another until the window is full.
    expect(await explorer.results.count()).toBeGreaterThan(PAGE_ROWS);

    const title = 'Efficiently Modeling Long Sequences with Structured State Spaces';
    await explorer.search.fill('efficiently modeling long sequences');
    await expect(explorer.resultTitles.first()).toHaveText(title);
    await explorer.search.fill('author:Goel');
    const result = explorer.resultTitles.filter({ hasText: title });
    await expect(result).toHaveCount(1);

    await result.click();
    await expect(explorer.paperView.getByRole('heading', { level: 2 })).toHaveText(/Structured State Spaces/);
    await expect(explorer.paperView.getByTestId('paper-abstract')).toHaveCount(0);
    await expect(explorer.paperView).toContainText('Albert Gu');
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await server.stop();
  }
});
