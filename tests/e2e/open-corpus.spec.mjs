// Bringing one's own papers (issue 15): files opened with "Open papers…" or
// dropped on the page are compiled in a Web Worker (progress, Cancel),
// opened as a new corpus or added to the one in view (duplicates merged as
// `folio compile` merges them), with what was refused and every warning
// listed and copyable; a refused file changes nothing; tags follow paper ids.
import { test, expect } from '@playwright/test';
import { Explorer, bibEntries, repoFile } from './explorer.page.mjs';

const BASE = '/some/sub/path/';
const SEED = 'corpus/000_aec88eee982df8fa.txt';
const BIB = 'tests/fixtures/exports/scholar-srush.bib';
const CSV = 'tests/fixtures/exports/zotero-mambo.csv';

/** Entries of a BibTeX file, counted from its text (not through the compiler). */
/** Rows of a Zotero CSV export: each starts with its quoted 8-character item key. */
const zoteroRows = (file) => (file.buffer.toString('utf8').match(/^\uFEFF?"[A-Z0-9]{8}",/gm) ?? []).length;
/** A file no reader can take: binary bytes. */
const BROKEN = { name: 'thesis.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n\u0000\u0001 binary') };

/** Opens a CSV of 40,000 papers as a new corpus (enough for the compile
 * to take a while) and presses Cancel once the worker reports papers read. */
async function openAndCancel(page, explorer) {
  const lines = ['Title,Abstract Note'];
  for (let i = 0; i < 40000; i++) lines.push(`"Paper number ${i} on sparse attention ${i * 7919}","We study model ${i} on benchmark ${i % 97}."`);
  await explorer.chooseFiles([{ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) }]);
  await page.getByTestId('open-new').click();
  await expect(page.getByTestId('open-progress')).toBeVisible();
  await expect(page.getByTestId('open-counts')).toContainText('papers read');
  await page.getByTestId('open-cancel').click();
}

async function loaded(page) {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  return explorer;
}

test('a BibTeX export without abstracts opens as a new corpus, with the worker\'s progress shown', async ({ page }) => {
  const explorer = await loaded(page);
  const bib = repoFile(BIB);
  await explorer.watchProgress();
  await explorer.chooseFiles([bib]);
  await expect(page.getByTestId('open-choice')).toContainText('scholar-srush.bib');
  await page.getByTestId('open-new').click();

  const report = explorer.openReport;
  await expect(report.summary).toHaveText(`Opened ${bibEntries(bib)} papers.`);
  const stages = (await explorer.progressSeen()).map((p) => p.stage);
  expect(stages).toContain('reading');
  expect(stages).toContain('building the search index');
  expect((await explorer.progressSeen()).some((p) => /papers read/.test(p.counts))).toBe(true);
  await report.close.click();

  await explorer.expectLoaded(bibEntries(bib));
  // Searchable by title though no paper has an abstract.
  await explorer.search.fill('attention');
  await expect(explorer.resultTitles.first()).toContainText(/attention/i);
  expect(explorer.consoleErrors).toEqual([]);
});

test('dropped files are added to the corpus in view: duplicates merge, a broken file is refused and listed', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const explorer = await loaded(page);
  const csv = repoFile(CSV, 'zotero.csv');
  await explorer.dropFiles([repoFile(SEED, 'seed-again.txt'), csv, BROKEN]);
  await expect(page.getByTestId('open-add')).toHaveText('Add to these 24 papers');
  await page.getByTestId('open-add').click();

  const report = explorer.openReport;
  const rows = zoteroRows(csv);
  await expect(report.summary).toHaveText(`Added ${rows} papers: ${24 + rows} in all.`);
  await expect(report.refused).toHaveCount(1);
  await expect(report.refused.first()).toContainText('thesis.pdf: binary data (NUL byte): not a text corpus (nothing of it was added)');
  // Each seed paper again is a duplicate, said with file and line.
  const duplicates = report.diagnostics.filter({ hasText: 'duplicate of the paper at' });
  await expect(duplicates).toHaveCount(24);
  await expect(duplicates.first()).toHaveText(/^seed-again\.txt:\d+: warning: duplicate of the paper at corpus\/000_aec88eee982df8fa\.txt:\d+ \(same title\): merged into it$/);
  await expect(report.diagnostics.filter({ hasText: 'thesis.pdf' })).toHaveText([/^thesis\.pdf(:\d+)?: error: binary data/]);

  await report.dialog.getByTestId('copy-diagnostics').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n')).toEqual(await report.diagnostics.allTextContents());
  await report.close.click();
  await explorer.expectLoaded(24 + rows);
  expect(explorer.consoleErrors).toEqual([]);
});

test('a file that cannot be read is refused and changes nothing', async ({ page }) => {
  const explorer = await loaded(page);
  await explorer.search.fill('mixtral');
  await explorer.dropFiles([BROKEN]);
  await page.getByTestId('open-new').click();
  await expect(explorer.openReport.summary).toHaveText(
    'Nothing changed: nothing was opened: the file was refused.');
  await expect(explorer.openReport.refused).toHaveText(['thesis.pdf: binary data (NUL byte): not a text corpus (nothing of it was added)']);
  await explorer.openReport.close.click();
  await expect(explorer.search).toHaveValue('mixtral');
  await explorer.search.fill('');
  await explorer.expectLoaded(24);
});

test('Cancel stops the worker and keeps the corpus in view', async ({ page }) => {
  const explorer = await loaded(page);
  await openAndCancel(page, explorer);
  await expect(page.getByTestId('open-progress')).toBeHidden();
  await expect(explorer.openReport.dialog).toBeHidden();
  await explorer.expectLoaded(24);
  expect(explorer.consoleErrors).toEqual([]);
});

test('what the worker sends while Cancel ends it is not heard', async ({ page }) => {
  // A worker's messages can race its end: here it is ended a second after
  // Cancel asks, and goes on reporting meanwhile.
  await page.addInitScript(() => {
    const terminate = Worker.prototype.terminate;
    Worker.prototype.terminate = function () { setTimeout(() => terminate.call(this), 1000); };
  });
  const explorer = await loaded(page);
  await openAndCancel(page, explorer);
  await expect(page.getByTestId('open-progress')).toBeHidden();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId('open-progress')).toBeHidden();
  await expect(explorer.openReport.dialog).toBeHidden();
  await explorer.expectLoaded(24);
  expect(explorer.consoleErrors).toEqual([]);
});

test('tags stay with their papers when another corpus holding them is opened', async ({ page }) => {
  const explorer = await loaded(page);
  await explorer.resultTitles.first().click();
  const title = await page.getByTestId('paper-view').getByRole('heading').first().textContent();
  await page.getByTestId('tag-input').fill('keep');
  await page.getByTestId('tag-input').press('Enter');

  // A new corpus: the BibTeX export and the seed listing under another name.
  await explorer.chooseFiles([repoFile(BIB), repoFile(SEED, 'my-listing.txt')]);
  await page.getByTestId('open-new').click();
  await expect(explorer.openReport.summary).toHaveText(/^Opened \d+ papers\.$/);
  await explorer.openReport.close.click();
  await expect(explorer.paperView).toBeHidden();
  await expect(explorer.facetValue('tag', 'keep').getByTestId('facet-count')).toHaveText('1');
  await explorer.facetValue('tag', 'keep').getByRole('checkbox').check();
  await expect(explorer.resultTitles).toHaveText([title.trim()]);
  expect(explorer.consoleErrors).toEqual([]);
});
