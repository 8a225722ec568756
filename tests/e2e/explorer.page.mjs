// Page object for the explorer: what a person sees and does, by role and test id.
import { expect } from '@playwright/test';

/** Result rows rendered before "Show more" (PAGE in src/components/result_list.rs). */
export const PAGE_ROWS = 12;

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

  async expectLoaded(n) {
    await expect(this.count).toHaveText(`${n} papers`);
    await expect(this.results).toHaveCount(Math.min(n, PAGE_ROWS));
  }

  /** The results are these titles, in order: the first page, then all of them through "Show more". */
  async expectTitles(titles) {
    await expect(this.resultTitles).toHaveText(titles.slice(0, PAGE_ROWS));
    for (let shown = PAGE_ROWS; shown < titles.length; shown += PAGE_ROWS) {
      // A click without scrolling (scrolling to the button loads the next page by itself).
      await this.page.getByTestId('show-more').dispatchEvent('click');
      await expect(this.resultTitles).toHaveCount(Math.min(titles.length, shown + PAGE_ROWS));
    }
    await expect(this.resultTitles).toHaveText(titles);
  }

  facetGroup(key) {
    return this.page.getByTestId(`facet-${key}`);
  }

  facetValue(key, value) {
    return this.facetGroup(key).locator(`[data-testid="facet-value"][data-value="${value}"]`);
  }
}
