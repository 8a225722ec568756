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

/** Runs in the page (pass it to `page.evaluate` with `{ TYPING, toggles,
 * quietMs }`): every keystroke of `TYPING` (the box cleared between words),
 * then `toggles` clicks on the first facet value's checkbox, each timed two
 * ways:
 * - `paint`: to the next painted frame (the older figure, kept for
 *   comparison): a change made after that frame is not counted;
 * - `settled`: to the last change the interaction makes to the page: the
 *   frame painted after the last DOM mutation (a MutationObserver on the
 *   whole document: nodes, attributes, text) or the last History call (the
 *   URL), whichever is later, once nothing has changed for `quietMs`
 *   (which must exceed any pause the app waits before writing the URL, so
 *   that a delayed write is counted, not missed).
 * Also the longest main-thread task seen during them (Long Tasks API:
 * tasks of 50 ms or more; 0 when none was that long). */
export async function interactionsSettled({ TYPING, toggles, quietMs }) {
  const now = () => performance.now();
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  const rec = { seq: 0, lastChange: 0, lastPaint: 0, lastUrl: 0, urlCalls: 0 };
  const observer = new MutationObserver(() => {
    const seq = ++rec.seq;
    rec.lastChange = now();
    requestAnimationFrame(() => setTimeout(() => {
      if (seq === rec.seq) rec.lastPaint = now();
    }, 0));
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const wrap = (name) => {
    const original = history[name];
    history[name] = function (...args) {
      const result = original.apply(this, args);
      rec.lastUrl = now();
      rec.lastChange = rec.lastUrl;
      rec.urlCalls++;
      return result;
    };
    return () => { history[name] = original; };
  };
  const unwrap = [wrap('replaceState'), wrap('pushState')];
  let longest = 0;
  const tasks = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest = Math.max(longest, e.duration);
  });
  tasks.observe({ type: 'longtask' });
  // One interaction: `act` changes the page; times to its first frame and
  // to its last change, and the main thread's own work for it up to that
  // first frame: its task (the app's effects run as microtasks queued by
  // `act`, before this function's next one) plus the frame's rendering
  // (from the frame's animation callbacks to the task after its paint),
  // without the wait for the frame between them (the browser's, not the
  // app's: headless Chromium draws soon after a change, a browser with a
  // display on its next 60 Hz tick).
  async function time(act) {
    await pause(quietMs);
    rec.seq = 0; rec.lastPaint = 0; rec.lastUrl = 0; rec.urlCalls = 0;
    const t = now();
    rec.lastChange = t;
    act();
    await Promise.resolve();
    const task = now() - t;
    let frameStart = 0;
    await new Promise((r) => requestAnimationFrame(() => { frameStart = now(); setTimeout(r, 0); }));
    const paint = now() - t;
    const work = task + (t + paint - frameStart);
    while (now() - rec.lastChange < quietMs || (rec.seq && !rec.lastPaint)) await pause(20);
    const settled = Math.max(rec.lastPaint, rec.lastUrl, t + paint) - t;
    // For a trace of the run (bench-browser --profile): the interaction's span.
    performance.measure('folio-interaction', { start: t, end: t + settled });
    return { at: t, paint, settled, work, firstFrame: settled <= paint + 0.5, url: rec.lastUrl ? rec.lastUrl - t : null, urlCalls: rec.urlCalls, mutations: rec.seq };
  }
  const input = document.querySelector('[data-testid=search]');
  const type = (text) => () => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const keys = [];
  for (const text of TYPING) {
    for (let i = 1; i <= text.length; i++) keys.push({ text: text.slice(0, i), ...(await time(type(text.slice(0, i)))) });
    await time(type(''));
  }
  const clicks = [];
  for (let i = 0; i < toggles; i++) {
    const box = document.querySelector('[data-testid=facet-value] input[type=checkbox]');
    if (!box) break;
    clicks.push(await time(() => box.click()));
  }
  // The floor of these figures: an interaction that changes one attribute
  // and nothing else (the wait for the next frame and the frame itself).
  const floor = [];
  for (let i = 0; i < 20; i++) floor.push(await time(() => { document.body.dataset.folioBench = String(i); }));
  delete document.body.dataset.folioBench;
  await pause(100);
  tasks.disconnect();
  observer.disconnect();
  unwrap.forEach((f) => f());
  // The app's warm-up after its first paint (bench-browser: whether the
  // first keystroke came before it was done).
  const warm = performance.getEntriesByName('folio: warm-up')[0];
  // Its steps, one task each: the longest is the longest task it adds.
  const steps = performance.getEntriesByName('folio: warm-up step').map((e) => e.duration);
  const warmUp = warm ? { start: warm.startTime, end: warm.startTime + warm.duration, steps: steps.length, longestStep: Math.max(0, ...steps) } : null;
  return { keys, toggles: clicks, floor, longest, warmUp };
}

/** Prints the figures of `interactionsSettled`'s answer. */
export function printSettled({ keys, toggles, floor, longest, warmUp }) {
  const f = (xs, key) => `p50 ${pct(xs.map((x) => x[key]), 0.5).toFixed(1)} / p95 ${pct(xs.map((x) => x[key]), 0.95).toFixed(1)} ms`;
  const first = keys[0];
  const later = keys.slice(1);
  console.log(`keystroke to its last change (DOM painted, URL written): ${f(keys, 'settled')}; to the next frame (older figure): ${f(keys, 'paint')}`);
  console.log(`  first keystroke after load (${JSON.stringify(first.text)}): ${first.settled.toFixed(1)} ms to its last change (${first.paint.toFixed(1)} to the next frame); later keystrokes ${f(later, 'settled')}`);
  if (warmUp) console.log(`  the app's warm-up ran ${warmUp.start.toFixed(0)} to ${warmUp.end.toFixed(0)} ms after the page started, ${warmUp.steps} steps (a task each), the longest ${warmUp.longestStep.toFixed(1)} ms; the first keystroke came at ${first.at.toFixed(0)} ms`);
  const urls = keys.filter((k) => k.url != null).map((k) => k.url);
  console.log(`  URL written by ${urls.length} of ${keys.length} keystrokes, p50 ${pct(urls, 0.5).toFixed(1)} / p95 ${pct(urls, 0.95).toFixed(1)} ms after the key`);
  if (toggles.length) console.log(`facet toggle to its last change: ${f(toggles, 'settled')}; to the next frame (older figure): ${f(toggles, 'paint')}`);
  // Inside one frame: the main thread's own work up to the first frame
  // (the wait for that frame left out), and how many interactions made
  // their last change in that frame.
  const inFirst = (xs) => `${xs.filter((x) => x.firstFrame).length} of ${xs.length}`;
  console.log(`main-thread work to the first frame (its task and the frame's rendering, not the wait for the frame): keystroke ${f(keys, 'work')}, facet toggle ${f(toggles, 'work')}; last change in that first frame: keystrokes ${inFirst(keys)}, toggles ${inFirst(toggles)}`);
  if (floor?.length) console.log(`  floor (one attribute changed, nothing else): to its last change ${f(floor, 'settled')}, work ${f(floor, 'work')}`);
  console.log(`longest main-thread task during them: ${longest ? `${longest.toFixed(0)} ms` : 'none of 50 ms or more'}`);
  const slow = [...keys].sort((a, b) => b.settled - a.settled).slice(0, 5);
  console.log(`  slowest keystrokes, to the last change (to the first frame; work to it; mutation batches): ${slow.map((k) => `${JSON.stringify(k.text)} ${k.settled.toFixed(1)} (${k.paint.toFixed(1)}; ${k.work.toFixed(1)}; ${k.mutations})`).join(', ')}`);
}
