// Page object for the explorer: what a person sees and does, by role and test id.
import { expect } from '@playwright/test';

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
    await expect(this.results).toHaveCount(n);
  }

  facetGroup(key) {
    return this.page.getByTestId(`facet-${key}`);
  }

  facetValue(key, value) {
    return this.facetGroup(key).locator(`[data-testid="facet-value"][data-value="${value}"]`);
  }
}
