// Discovery in the app (issue 17): "Recommended for <tag>" from the tag
// manager and the sort, each row with its reasons and "Not interested"
// (undoable, kept with the user's data); the similar papers the pack ships.
import { test, expect } from '@playwright/test';
import { Explorer } from './explorer.page.mjs';
import { port, shardedDist, startServer } from './offline-server.mjs';
import { seedPapers } from './seed.mjs';

const BASE = '/some/sub/path/';
const KEY = 'folio:v1:/some/sub/path:user-data';
const seed = seedPapers();
const titles = seed.map((p) => p.title);

/** Alignment: five seed papers tagged, found by a word of their title. */
const LIKED = ['Nudging', 'SALMON', 'Zephyr', 'Self-Reference', 'Moral Value Alignment'];
/** The seed papers on alignment and safety (their text says so), read from the raw file. */
const ON_SUBJECT = seed
  .filter((p) => /align|safety|preference|reward|truthful|jailbreak/i.test(`${p.title} ${p.abstract}`))
  .map((p) => p.title);

async function tagByTitle(explorer, word, tag) {
  const { page } = explorer;
  await explorer.search.fill(word);
  await explorer.resultTitles.filter({ hasText: word }).first().click();
  await expect(explorer.paperView).toBeVisible();
  await page.getByTestId('tag-input').fill(tag);
  await page.getByTestId('tag-input').press('Enter');
  await expect(page.getByTestId('tag').filter({ hasText: tag })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(explorer.paperView).toBeHidden();
}

async function tagFive(explorer) {
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  for (const word of LIKED) await tagByTitle(explorer, word, 'alignment');
  await explorer.search.fill('');
  await explorer.expectLoaded(24);
}

test('five papers tagged on one subject: the tag manager recommends more on it, with reasons', async ({ page }) => {
  const explorer = new Explorer(page);
  await tagFive(explorer);
  await page.getByTestId('open-tags').click();
  await page.getByRole('button', { name: 'Recommended for alignment' }).click();
  await expect(page.getByTestId('tag-manager')).toBeHidden();
  await expect(page.getByTestId('recommend-banner')).toContainText('Recommended for “alignment”');
  await expect(page).toHaveURL(/[?&]for=alignment/);
  // The tagged papers are left out; the first rows are on the subject.
  await expect(explorer.count).toHaveText('19 of 24 papers');
  const first = await explorer.resultTitles.allTextContents();
  for (const word of LIKED) expect(first.join('\n')).not.toContain(word);
  const onSubject = first.slice(0, 3).filter((t) => ON_SUBJECT.includes(t));
  expect(onSubject.length, `the first rows: ${first.slice(0, 3).join(' | ')}`).toBeGreaterThanOrEqual(2);
  // Each row says why: words it shares with the tag and the tagged papers nearest to it.
  const row = explorer.results.first();
  await expect(row.getByTestId('reason-terms')).not.toBeEmpty();
  await expect(row.getByTestId('reason-paper').first()).toBeVisible();
  const near = (await row.getByTestId('reason-paper').allTextContents()).map((t) => t.trim());
  for (const title of near) expect(LIKED.some((word) => title.includes(word)), title).toBe(true);
  // The order survives a reload (it is in the URL).
  await page.reload();
  await expect(page.getByTestId('recommend-banner')).toBeVisible();
  await expect(explorer.resultTitles).toHaveText(first);
  expect(explorer.consoleErrors).toEqual([]);
});

test('"Not interested" sets a recommendation aside, is undone, and is kept with the user data', async ({ page }) => {
  const explorer = new Explorer(page);
  await tagFive(explorer);
  await page.getByTestId('sort').selectOption('for:alignment');
  await expect(page.getByTestId('recommend-banner')).toBeVisible();
  await expect(explorer.count).toHaveText('19 of 24 papers');
  const top = (await explorer.resultTitles.first().textContent()).trim();
  await explorer.results.first().getByTestId('not-interested').click();
  await expect(explorer.count).toHaveText('18 of 24 papers');
  await expect(explorer.resultTitles.first()).not.toHaveText(top);
  await expect(page.getByTestId('not-interested-status')).toContainText(top);
  const stored = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), KEY));
  expect(Object.values(stored.data.papers).filter((p) => p.not_interested)).toHaveLength(1);
  await page.getByTestId('not-interested-undo').click();
  await expect(explorer.count).toHaveText('19 of 24 papers');
  await expect(explorer.resultTitles.first()).toHaveText(top);
  // Marked again, it stays marked across a reload, and shows on the paper.
  await explorer.results.first().getByTestId('not-interested').click();
  await expect(explorer.count).toHaveText('18 of 24 papers');
  await page.reload();
  await expect(explorer.count).toHaveText('18 of 24 papers');
  await page.getByTestId('recommend-close').click();
  await expect(page.getByTestId('recommend-banner')).toHaveCount(0);
  await expect(explorer.count).toHaveText('24 papers');
  await explorer.search.fill(top);
  await explorer.resultTitles.filter({ hasText: top }).first().click();
  await expect(page.getByTestId('paper-not-interested')).toHaveAttribute('aria-pressed', 'true');
  expect(explorer.consoleErrors).toEqual([]);
});

test('similar papers are the pack\'s list: seed papers, each opening', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView).toBeVisible();
  const similar = page.getByTestId('similar-paper');
  await expect(similar.first()).toBeVisible();
  const shown = (await similar.allTextContents()).map((t) => t.trim());
  expect(shown.length).toBeGreaterThan(0);
  expect(shown.length).toBeLessThanOrEqual(5);
  for (const title of shown) expect(titles).toContain(title);
  await similar.first().getByRole('button').click();
  await expect(page.locator('#paper-title')).toHaveText(shown[0]);
});

test('a sharded site fetches the vectors and recommends what the one-file site does', async ({ page, browser }) => {
  const explorer = new Explorer(page);
  await tagFive(explorer);
  const data = await page.evaluate((key) => localStorage.getItem(key), KEY);
  await page.getByTestId('sort').selectOption('for:alignment');
  await expect(page.getByTestId('reason-terms').first()).toBeVisible();
  const rows = async (p) => p.evaluate(() => [...document.querySelectorAll('[data-testid="result"]')].map((row) => [
    row.querySelector('[data-testid="result-title"]').textContent,
    row.querySelector('[data-testid="reasons"]')?.textContent,
  ]));
  const expected = await rows(page);
  const sharded = await startServer(shardedDist, port(52));
  const other = await browser.newPage();
  try {
    const requested = [];
    other.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await other.addInitScript(([key, value]) => localStorage.setItem(key, value), [KEY, data]);
    await other.goto(`${sharded.origin}${BASE}?for=alignment`);
    await expect(other.getByTestId('recommend-banner')).toBeVisible();
    await expect(other.getByTestId('result-count')).toHaveText('19 of 24 papers');
    await expect.poll(() => rows(other)).toEqual(expected);
    expect(requested.filter((p) => p.startsWith(`${BASE}shards/`)).length).toBeGreaterThan(0);
  } finally {
    await other.close();
    await sharded.stop();
  }
});
