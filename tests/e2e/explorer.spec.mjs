// The explorer's view state, keyboard flow, layouts and accessibility, on the
// release build of the seed corpus.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { Explorer, PAGE_ROWS } from './explorer.page.mjs';
import { seedPapers } from './seed.mjs';

const BASE = '/some/sub/path/';
const seed = seedPapers();

test('opening a paper changes the URL, and back/forward restore the view', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.resultTitles.nth(4).click();
  await expect(explorer.paperView.getByRole('heading', { level: 2 })).toHaveText(seed[4].title);
  await expect(page).toHaveURL(/\/some\/sub\/path\/\?paper=t-[0-9a-f]{12}$/);
  const link = page.url();

  await page.goBack();
  await expect(explorer.paperView).toHaveCount(0);
  await page.goForward();
  await expect(explorer.paperView.getByRole('heading', { level: 2 })).toHaveText(seed[4].title);

  // A copied link opens the same view in a fresh page.
  const other = new Explorer(await page.context().newPage());
  await other.open(link);
  await expect(other.paperView.getByRole('heading', { level: 2 })).toHaveText(seed[4].title);
  await expect(other.paperView).toContainText(seed[4].abstract.slice(0, 80));
});

test('a page of rows at first, more while they leave room in the window', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  // Rows with a snippet fill a window 720 px high: one page.
  await expect(explorer.results).toHaveCount(PAGE_ROWS);
  const more = page.getByTestId('show-more');
  await expect(more).toHaveText(`Show more (${PAGE_ROWS} of 24 shown)`);
  // A taller window has room: pages follow until it is full.
  await page.setViewportSize({ width: 1280, height: 2400 });
  await expect.poll(() => explorer.results.count()).toBeGreaterThan(PAGE_ROWS);
  await explorer.expectFilled();
  // A new query starts again from one page, and fills the window again.
  await explorer.search.fill('benchmark');
  await expect(explorer.count).toHaveText('18 of 24 papers');
  await explorer.expectFilled();
  expect(await explorer.results.count()).toBeGreaterThan(PAGE_ROWS);
});

test('the warm-up rehearses the views unseen: every frame shows the view\'s own rows, never fewer', async ({ page }) => {
  // A window that pages of rows fill one after another.
  await page.setViewportSize({ width: 1280, height: 2400 });
  // What each frame shows, from the first: how many rows, the first title.
  await page.addInitScript(() => {
    window.folioFrames = [];
    const sample = () => {
      const rows = document.querySelectorAll('[data-testid=result]');
      if (rows.length) window.folioFrames.push([rows.length, rows[0].querySelector('[data-testid=result-title]').textContent]);
      requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await page.waitForFunction(() => performance.getEntriesByName('folio: rehearsal').length > 0);
  await page.evaluate(() => new Promise((done) => {
    let frames = 0;
    const next = () => (++frames > 3 ? done() : requestAnimationFrame(next));
    requestAnimationFrame(next);
  }));
  const frames = await page.evaluate(() => window.folioFrames);
  expect(frames.length).toBeGreaterThan(3);
  const first = await explorer.resultTitles.first().textContent();
  for (const [i, [rows, title]] of frames.entries()) {
    expect(title, `frame ${i}`).toBe(first);
    if (i > 0) expect(rows, `frame ${i}`).toBeGreaterThanOrEqual(frames[i - 1][0]);
  }
});

test('sort by title is a URL parameter and orders titles alphabetically', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(`${BASE}?sort=title`);
  await explorer.expectLoaded(24);
  const expected = seed.map((p) => p.title).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase(), 'en'));
  await expect(explorer.resultTitles.first()).toHaveText(expected[0]);
  await expect(explorer.resultTitles.last()).toHaveText(expected[PAGE_ROWS - 1]);
  // The rest is pages away: scrolling to the end of the list brings them.
  await page.getByTestId('show-more').scrollIntoViewIfNeeded();
  await explorer.scrollToEnd(24);
  await expect(explorer.resultTitles.last()).toHaveText(expected[23]);
  await expect(page.getByTestId('show-more')).toHaveCount(0);
  await page.getByTestId('sort').selectOption('corpus');
  await expect(page).toHaveURL(/sort=corpus/);
  await expect(explorer.resultTitles.first()).toHaveText(seed[0].title);
});

test('keyboard: / focuses search, j/k move, Enter opens, Esc closes, ? shows the keys', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await page.keyboard.press('/');
  await expect(explorer.search).toBeFocused();
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 300 } });

  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(explorer.results.nth(1)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Enter');
  await expect(explorer.paperView.getByRole('heading', { level: 2 })).toHaveText(seed[1].title);
  await page.keyboard.press('Escape');
  await expect(explorer.paperView).toHaveCount(0);

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help).toContainText('Next / previous result');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
});

test('the theme toggle switches to dark and survives a reload', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  const toggle = page.getByTestId('theme-toggle');
  const before = await page.locator('html').getAttribute('data-theme');
  await toggle.click();
  const after = before === 'dark' ? 'light' : 'dark';
  await expect(page.locator('html')).toHaveAttribute('data-theme', after);
  await page.reload();
  await explorer.expectLoaded(24);
  await expect(page.locator('html')).toHaveAttribute('data-theme', after);
});

for (const scheme of ['light', 'dark']) {
  test(`no serious accessibility violations in ${scheme} mode (screenshot saved)`, async ({ page }, testInfo) => {
    await page.emulateMedia({ colorScheme: scheme });
    const explorer = new Explorer(page);
    await explorer.open(`${BASE}?paper=${await firstPaperId(page)}`);
    await expect(explorer.paperView).toBeVisible();
    await page.getByTestId('overview').locator('summary').click();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`)).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`explorer-${scheme}.png`), fullPage: false });
    await page.screenshot({ path: `artifacts/explorer-${scheme}.png` });
  });
}

test('on a phone the facets live in a drawer and nothing scrolls sideways', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  const filters = page.getByRole('button', { name: 'Filters' });
  await expect(filters).toBeVisible();
  await expect(filters).toHaveAttribute('aria-expanded', 'false');
  await filters.click();
  await expect(filters).toHaveAttribute('aria-expanded', 'true');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: 'artifacts/explorer-phone.png' });
  await context.close();
});

async function firstPaperId(page) {
  await page.goto(BASE);
  const first = page.getByTestId('result').first();
  await expect(first).toBeVisible();
  return first.getAttribute('data-paper-id');
}

test('a typed query goes into the URL with each keystroke, and back from a paper returns to it', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  // The URL is part of what a keystroke changes: written at once, not
  // once typing pauses (read without waiting).
  await explorer.search.pressSequentially('mix');
  expect(await page.evaluate(() => location.search)).toBe('?q=mix');
  await explorer.search.fill('mixtral');
  expect(await page.evaluate(() => location.search)).toBe('?q=mixtral');
  await explorer.resultTitles.first().click();
  await expect(explorer.paperView).toBeVisible();
  await expect(page).toHaveURL(/q=mixtral.*paper=/);
  await page.goBack();
  await expect(explorer.paperView).toHaveCount(0);
  await expect(page).toHaveURL(/\?q=mixtral$/);
  await expect(explorer.search).toHaveValue('mixtral');
  // A reload keeps the query typed last.
  await explorer.search.fill('jailbreaking');
  await expect(page).toHaveURL(/\?q=jailbreaking$/);
  await page.reload();
  await expect(explorer.search).toHaveValue('jailbreaking');
});

test('a keystroke updates the rows and facet values in place instead of making new ones', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.search.fill('lang');
  await expect(explorer.resultTitles.first()).toBeVisible();
  // Marks every row and facet value element, then types one more letter.
  const before = await page.evaluate(() => {
    for (const el of document.querySelectorAll('[data-testid=result], [data-testid=facet-value]')) el.folioMark = true;
    return [...document.querySelectorAll('[data-testid=result]')].map((el) => el.dataset.paperId);
  });
  await explorer.search.pressSequentially('u');
  await expect(page).toHaveURL(/\?q=langu$/);
  const after = await page.evaluate(() => ({
    rows: [...document.querySelectorAll('[data-testid=result]')].map((el) => ({ id: el.dataset.paperId, kept: el.folioMark === true })),
    facetValues: [...document.querySelectorAll('[data-testid=facet-value]')].map((el) => el.folioMark === true),
  }));
  // A paper still shown keeps its row (keyed by paper), and the facet
  // values shown keep their elements (keyed by position, text updated).
  const stayed = after.rows.filter((r) => before.includes(r.id));
  expect(stayed.length).toBeGreaterThan(0);
  expect(stayed.every((r) => r.kept)).toBe(true);
  expect(after.facetValues.length).toBeGreaterThan(0);
  expect(after.facetValues.filter((kept) => kept).length).toBeGreaterThan(after.facetValues.length / 2);
});

test('scrolling to the end of the list renders the next pages once each and keeps the rows', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  // After the warm-up's rehearsal, which makes the rows again.
  await page.waitForFunction(() => performance.getEntriesByName('folio: rehearsal').length > 0);
  const first = await explorer.results.first().elementHandle();
  await page.mouse.move(600, 500);
  await explorer.scrollToEnd(24);
  await expect(page.getByTestId('show-more')).toHaveCount(0);
  // More scrolling with everything shown re-renders nothing.
  await page.mouse.wheel(0, -3000);
  await page.mouse.wheel(0, 3000);
  await expect(explorer.results).toHaveCount(24);
  expect(await first.evaluate((row) => row.isConnected)).toBe(true);
});
