// What the browser benchmarks share (bench-browser, bench-open,
// bench-shards): the repository root, Playwright's Chromium, command-line
// options, percentiles, and the timed typing of the search box.
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const { chromium } = createRequire(path.join(root, 'tests/e2e/package.json'))('@playwright/test');

/** The value of `--name VALUE` on the command line, else `fallback`. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};

export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.round((s.length - 1) * p)] : 0;
};

/** Typing sequences: every prefix is a keystroke. */
export const TYPING = ['machine translation', 'speculative decoding', 'graph neural'];

/** Runs in the page: types each of `TYPING` a character at a time, then
 * clears the box; returns each keystroke's time to the next painted frame
 * (ms). */
export async function typeEachKey({ TYPING }) {
  const input = document.querySelector('[data-testid=search]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const keys = [];
  for (const text of TYPING) {
    for (let i = 1; i <= text.length; i++) {
      const t = performance.now();
      input.value = text.slice(0, i);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      await frame();
      keys.push(performance.now() - t);
    }
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await frame();
  }
  return keys;
}
