// Result links for papers whose ids need escaping (tests/fixtures/doi/): a
// DOI with `#` and `%`, one with `&` and `=`. Clicking a result opens the
// paper; the link's href opened in a new page, and the URL the app wrote
// reloaded, open the same paper.
import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { Explorer } from './explorer.page.mjs';
import { doiDist, port, root, startServer } from './offline-server.mjs';

/** The fixture's papers, straight from the file. */
const papers = fs.readFileSync(path.join(root, 'tests/fixtures/doi/doi.jsonl'), 'utf8')
  .split('\n').filter(Boolean).map((line) => JSON.parse(line));

const heading = (explorer) => explorer.paperView.getByRole('heading', { level: 2 });

test('a paper whose DOI holds # and % opens from its result link, clicked or opened anew', async ({ page, context }) => {
  expect(fs.existsSync(path.join(doiDist, 'index.html')), `build the DOI corpus into ${doiDist} (scripts/test.sh does)`).toBe(true);
  expect(papers.some((p) => p.doi.includes('#') && p.doi.includes('%'))).toBe(true);
  const server = await startServer(doiDist, port(16));
  try {
    const explorer = new Explorer(page);
    const base = `${server.origin}/some/sub/path/`;
    await explorer.open(base);
    await explorer.expectLoaded(papers.length);
    for (const paper of papers) {
      const id = `doi:${paper.doi}`;
      const row = explorer.results.filter({ hasText: paper.title });
      await expect(row).toHaveAttribute('data-paper-id', id);
      const link = row.getByTestId('result-title');

      await link.click();
      await expect(heading(explorer)).toHaveText(paper.title);
      await expect.poll(() => new URL(page.url()).searchParams.get('paper')).toBe(id);
      await page.reload();
      await expect(heading(explorer)).toHaveText(paper.title);
      await page.keyboard.press('Escape');
      await expect(explorer.paperView).toHaveCount(0);

      const href = await link.getAttribute('href');
      expect(new URLSearchParams(href.slice(1)).get('paper'), `the href ${href}`).toBe(id);
      const other = await context.newPage();
      const opened = new Explorer(other);
      await other.goto(new URL(href, base).href);
      await expect(heading(opened)).toHaveText(paper.title);
      expect(opened.consoleErrors).toEqual([]);
      await other.close();
    }
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await server.stop();
  }
});
