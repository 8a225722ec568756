// Page object for the explorer: what a person sees and does, by role and test id.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A file of the repository, as Playwright's file payload ({name, mimeType, buffer}). */
export function repoFile(rel, name = path.basename(rel)) {
  return { name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(root, rel)) };
}

/** The entries of a BibTeX file given as `repoFile` gives it (`@string`, `@comment` and `@preamble` aside). */
export const bibEntries = (file) => (file.buffer.toString('utf8').match(/^@(?!string|comment|preamble)\w+\s*\{/gim) ?? []).length;

/** Result rows rendered per page (PAGE in src/components/result_list.rs). */
export const PAGE_ROWS = 6;
/** Room (px) below the last row in the window for another page to follow
 * at once (ROOM in src/components/result_list.rs). */
export const ROOM_PX = 96;

/** The facet panel's groups are made (a task after the first frame): a
 * group found missing before then may only not be made yet. */
export async function expectFacetsMade(page) {
  await expect(page.getByTestId('facet-panel')).toHaveAttribute('aria-busy', 'false');
}

/** Records what would show an attack (a dialog) or a CSP violation on `page`. */
export function watchAttacks(page) {
  const seen = { dialogs: [], csp: [] };
  page.on('dialog', async (dialog) => { seen.dialogs.push(dialog.message()); await dialog.dismiss(); });
  page.on('console', (msg) => { if (/Content Security Policy|Refused to/i.test(msg.text())) seen.csp.push(msg.text()); });
  return seen;
}

/** Nothing ran: every link is http(s) or a same-page view, no injected script set its flag, no dialog, no CSP violation, no console error. */
export async function expectNothingRan(page, explorer, seen) {
  const hrefs = await page.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const href of hrefs) expect(href, 'every link is http(s) or a same-page view').toMatch(/^(https?:\/\/|\?|#)/);
  expect(await page.evaluate(() => window.__folioXss)).toBeUndefined();
  expect(seen.dialogs).toEqual([]);
  expect(seen.csp).toEqual([]);
  expect(explorer.consoleErrors).toEqual([]);
}

export class Explorer {
  constructor(page) {
    this.page = page;
    this.consoleErrors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') this.consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => this.consoleErrors.push(String(err)));
    this.results = page.getByTestId('result');
    this.resultTitles = page.getByTestId('result-title');
    this.count = page.getByTestId('result-count');
    this.search = page.getByRole('searchbox', { name: 'Search papers' });
    this.error = page.getByRole('alert');
    this.paperView = page.getByTestId('paper-view');
  }

  async open(path) {
    await this.page.goto(path);
  }

  /** Every corpus opened from now on is kept as a head and shards, as a
   * 100k-paper one is (the app's `SHARD_THRESHOLD_KEY` set to 0). */
  async shardWhateverIsKept() {
    await this.page.evaluate(() => localStorage.setItem('folio:kept-shard-threshold', '0'));
  }

  /** `n` papers, and their first pages shown: as many as fill the window. */
  async expectLoaded(n) {
    await expect(this.count).toHaveText(`${n} papers`);
    await expectFacetsMade(this.page);
    await this.expectFilled();
    // Whole pages of rows, each row's paper in (not "Loading…").
    await expect.poll(async () => {
      const rows = await this.results.count();
      const pages = rows === n || (rows < n && rows % PAGE_ROWS === 0);
      return rows >= Math.min(n, PAGE_ROWS) && pages && (await this.page.getByTestId('result-pending').count()) === 0;
    }).toBe(true);
  }

  /** Scrolls to the end of the list, again while pages follow, until
   * `n` rows are shown. */
  async scrollToEnd(n) {
    await expect.poll(async () => {
      await this.page.mouse.wheel(0, 4000);
      return this.results.count();
    }).toBe(n);
  }

  /** The rows leave no room for another in the window: every result is
   * shown, or "Show more" is less than ROOM_PX above the window's bottom
   * (or below it). Pages follow one another until then. */
  async expectFilled() {
    await expect.poll(() => this.page.evaluate((room) => {
      const more = document.querySelector('[data-testid=show-more]');
      return !more || more.getBoundingClientRect().top >= innerHeight - room;
    }, ROOM_PX)).toBe(true);
  }

  /** The results are these titles, in order: the first pages (as many as
   * fill the window), then all of them through "Show more". */
  async expectTitles(titles) {
    await this.expectFilled();
    const first = await this.resultTitles.count();
    await expect(this.resultTitles).toHaveText(titles.slice(0, first));
    for (let shown = first; shown < titles.length; shown += PAGE_ROWS) {
      // A click without scrolling (scrolling to the button loads the next page by itself).
      await this.page.getByTestId('show-more').dispatchEvent('click');
      await expect(this.resultTitles).toHaveCount(Math.min(titles.length, shown + PAGE_ROWS));
    }
    await expect(this.resultTitles).toHaveText(titles);
  }

  /** Picks `files` ({name, mimeType, buffer}) with the "Open papers…" button's file chooser. */
  async chooseFiles(files) {
    const chooser = this.page.waitForEvent('filechooser');
    await this.page.getByTestId('open-papers').first().click();
    await (await chooser).setFiles(files);
  }

  /** Drags `files` over the page and drops them, as from a file manager. */
  async dropFiles(files, target = 'body') {
    const payload = files.map((f) => ({ name: f.name, bytes: f.buffer.toString('base64') }));
    const dataTransfer = await this.page.evaluateHandle((files) => {
      const transfer = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.bytes), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], f.name));
      }
      return transfer;
    }, payload);
    await this.page.dispatchEvent(target, 'dragover', { dataTransfer });
    await expect(this.page.getByTestId('drop-zone')).toBeVisible();
    await this.page.dispatchEvent(target, 'drop', { dataTransfer });
    await expect(this.page.getByTestId('drop-zone')).toBeHidden();
  }

  /** Records every stage the progress dialog shows from now on (read with `progressSeen`). */
  async watchProgress() {
    await this.page.evaluate(() => {
      window.__folioProgress = [];
      const seen = () => {
        const stage = document.querySelector('[data-testid="open-stage"]')?.textContent;
        const counts = document.querySelector('[data-testid="open-counts"]')?.textContent;
        if (stage) window.__folioProgress.push({ stage, counts });
      };
      new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  }

  async progressSeen() {
    return this.page.evaluate(() => window.__folioProgress);
  }

  /** The report of the last open: its summary, refused files and diagnostics. */
  get openReport() {
    const report = this.page.getByTestId('open-report');
    return {
      dialog: report,
      summary: report.getByTestId('open-summary'),
      refused: report.getByTestId('open-refused').locator('li'),
      diagnostics: report.getByTestId('diagnostics').locator('li'),
      close: report.getByTestId('open-report-close'),
    };
  }

  facetGroup(key) {
    return this.page.getByTestId(`facet-${key}`);
  }

  facetValue(key, value) {
    return this.facetGroup(key).locator(`[data-testid="facet-value"][data-value="${value}"]`);
  }
}
