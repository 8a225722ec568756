// A hostile corpus (tests/fixtures/hostile/): titles and abstracts full of
// <script>, <img onerror>, iframes and javascript: URLs must render as inert
// text, run nothing, and break no Content-Security-Policy rule, both in the
// served site and in the single-file build.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect } from '@playwright/test';
import { Explorer, expectNothingRan, watchAttacks } from './explorer.page.mjs';
import { hostileDist, port, root, singleFile, startServer } from './offline-server.mjs';

/** The fixture's [{title, abstract}], straight from the file. */
const lines = fs.readFileSync(path.join(root, 'tests/fixtures/hostile/hostile.txt'), 'utf8').split('\n').filter(Boolean);
const papers = [];
for (let i = 0; i + 1 < lines.length; i += 2) papers.push({ title: lines[i], abstract: lines[i + 1] });

async function expectInert(page, explorer, seen) {
  await explorer.expectLoaded(papers.length);
  await expect(explorer.resultTitles).toHaveText(papers.map((p) => p.title), { useInnerText: true });
  await expect(page.locator('img, iframe, object, embed, [onerror], [onload], [onmouseover]')).toHaveCount(0);

  for (const [index, paper] of papers.entries()) {
    await explorer.resultTitles.nth(index).click();
    await expect(page.getByTestId('paper-abstract')).toHaveText(paper.abstract, { useInnerText: true });
    await page.keyboard.press('Escape');
  }
  await expectNothingRan(page, explorer, seen);
}

test('hostile titles and abstracts render as inert text with no CSP violation', async ({ page }) => {
  expect(fs.existsSync(path.join(hostileDist, 'index.html')), `build the hostile corpus into ${hostileDist} (scripts/test.sh does)`).toBe(true);
  const server = await startServer(hostileDist, port(15));
  try {
    const seen = watchAttacks(page);
    const explorer = new Explorer(page);
    await explorer.open(`${server.origin}/some/sub/path/`);
    await expectInert(page, explorer, seen);
  } finally {
    await server.stop();
  }
});

test('the single-file build of a hostile corpus keeps it inside its data block', async ({ page }) => {
  const seen = watchAttacks(page);
  const explorer = new Explorer(page);
  await explorer.open(pathToFileURL(singleFile(hostileDist)).href);
  await expectInert(page, explorer, seen);
});
