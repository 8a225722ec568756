// Page object for the explorer: what a person sees and does, by role and test id.
import { expect } from '@playwright/test';

export class Explorer {
  constructor(page) {
    this.page = page;
    this.consoleErrors = [];
    page.on('console', (msg) => { if (msg.type() === 'error') this.consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => this.consoleErrors.push(String(err)));
    this.papers = page.getByTestId('paper');
    this.paperTitles = page.locator('[data-testid="paper"] .paper-title');
    this.count = page.getByTestId('paper-count');
    this.error = page.getByRole('alert');
  }

  async open(path) {
    await this.page.goto(path);
  }

  async expectLoaded(n) {
    await expect(this.count).toHaveText(`${n} papers`);
    await expect(this.papers).toHaveCount(n);
  }
}
