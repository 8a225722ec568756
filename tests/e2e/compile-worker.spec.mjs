// The compile worker (src/bin/folio-worker.rs) as the app drives it: a
// second wasm beside the app that compiles files off the page's thread,
// reports progress, and answers with the app pack; terminating it stops it.
import { test, expect } from '@playwright/test';
import { Explorer, repoFile } from './explorer.page.mjs';

const BASE = '/some/sub/path/';

/** Runs one job in a fresh worker from the page; resolves with every message. */
function runJob(page, files, { stopAfterProgress = false } = {}) {
  const payload = files.map((f) => ({ name: f.name, text: f.buffer.toString('latin1') }));
  return page.evaluate(async ({ payload, stopAfterProgress }) => {
    const worker = new Worker('folio-worker_loader.js');
    const messages = [];
    return new Promise((resolve, reject) => {
      worker.onerror = (e) => reject(new Error(e.message));
      worker.onmessage = ({ data }) => {
        const message = JSON.parse(data[0]);
        const pack = data[1] instanceof Uint8Array ? Array.from(data[1].subarray(0, 8)) : null;
        messages.push({ ...message, pack });
        if (message.kind === 'ready') {
          const files = payload.map((f) => new File([Uint8Array.from(f.text, (c) => c.charCodeAt(0))], f.name));
          worker.postMessage({ files, base: null });
        }
        if (message.kind === 'done') resolve(messages);
        if (stopAfterProgress && message.kind === 'progress' && message.stage === 'reading') {
          worker.terminate();
          // A terminated worker posts nothing more.
          setTimeout(() => resolve(messages), 1500);
        }
      };
    });
  }, { payload, stopAfterProgress });
}

test('the worker compiles the seed listing into an app pack, reporting each stage', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  const messages = await runJob(page, [repoFile('corpus/000_aec88eee982df8fa.txt')]);
  const stages = messages.filter((m) => m.kind === 'progress').map((m) => m.stage);
  expect(stages).toEqual(expect.arrayContaining(['loading the files', 'reading', 'extracting entities', 'building the search index']));
  const done = messages.at(-1);
  expect(done).toMatchObject({ kind: 'done', papers: 24, before: 0, failure: null, refused: [] });
  expect(String.fromCharCode(...done.pack)).toBe('FOLIOPAK');
  expect(explorer.consoleErrors).toEqual([]);
});

test('a refused file comes back with its reason and no pack; a terminated worker says nothing more', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  const broken = { name: 'x.bib', buffer: Buffer.from('not bibtex at all') };
  const done = (await runJob(page, [broken])).at(-1);
  expect(done).toMatchObject({ kind: 'done', papers: 0, pack: null, refused: ['x.bib: no BibTeX entries found'] });
  expect(done.failure).toBe('nothing was opened: the file was refused');

  const big = ['Title,Abstract Note'];
  for (let i = 0; i < 30000; i++) big.push(`"Paper ${i} on attention ${i * 31}","About model ${i}."`);
  const stopped = await runJob(page, [{ name: 'big.csv', buffer: Buffer.from(big.join('\n')) }], { stopAfterProgress: true });
  expect(stopped.some((m) => m.kind === 'done')).toBe(false);
});
