// Search in the browser: as-you-type results with highlights, typos,
// suggestions for zero results, the most-words fallback, and "why this
// result".
import { test, expect } from '@playwright/test';
import { Explorer } from './explorer.page.mjs';
import { seedPapers } from './seed.mjs';

const BASE = '/some/sub/path/';
const seed = seedPapers();
const jailbreak = seed.find((p) => p.title.startsWith('Jailbreaking')).title;

test('typing searches on every keystroke and highlights the matches', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.search.pressSequentially('jailbrek');
  await expect(explorer.resultTitles.first()).toHaveText(jailbreak);
  await expect(explorer.resultTitles.first().locator('mark')).toHaveText(['Jailbreaking']);
  await expect(page).toHaveURL(/\?q=jailbrek$/);
  await expect(explorer.count).toContainText('of 24 papers');
});

test('a query in the URL restores the search, and opening a result explains it', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(`${BASE}?q=mixtral`);
  await expect(explorer.search).toHaveValue('mixtral');
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView.locator('mark').first()).toHaveText('Mixtral');
  const why = page.getByTestId('why');
  await why.locator('summary').click();
  await expect(why.locator('tbody')).toContainText('title');
});

test('zero results offer a spelling suggestion that runs on click', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(`${BASE}?q=${encodeURIComponent('xjailbreaking galignment')}`);
  await expect(page.getByTestId('no-results')).toBeVisible();
  const suggestion = page.getByTestId('suggestion').getByRole('button');
  await expect(suggestion).toHaveText('jailbreaking alignment');
  await suggestion.click();
  await expect(explorer.search).toHaveValue('jailbreaking alignment');
  await expect(explorer.resultTitles.first()).toHaveText(jailbreak);
});

test('a question no paper fully answers shows the papers with most of its words, and says so', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(`${BASE}?q=${encodeURIComponent('which experts does mixtral route tokens to for cooking')}`);
  await expect(page.getByTestId('fewer-words')).toHaveText('No paper has all the words; showing those with most of them.');
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  await expect(page.getByTestId('no-results')).toHaveCount(0);
  // A query whose words are all in some paper is not flagged.
  await explorer.search.fill('mixtral experts');
  await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
  await expect(page.getByTestId('fewer-words')).toHaveCount(0);
});

// The app folds text with the browser's own Unicode normalization
// (src/browser/unicode.rs), the compiler with the Rust crate: both fold
// accents away, so a query with accents finds the plain spelling.
test('accents and case fold away in the browser as in the compiler', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  for (const query of ['MÏXTRÂL', 'mixtra\u0301l', 'Mixtrål']) {
    await explorer.search.fill(query);
    await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
    await expect(explorer.resultTitles.first().locator('mark')).toHaveText(['Mixtral']);
  }
});
