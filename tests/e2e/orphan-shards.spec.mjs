// Shards with no corpus description (a tab closed while its compile worker
// wrote a large corpus's shards) are deleted when the app next starts, once
// idle (`browser::corpus_store::delete_orphan_shards`); a kept corpus's
// shards stay, and so do those of a corpus another tab is writing (it holds
// the corpus's Web Lock) until that tab is gone.
import { test, expect } from '@playwright/test';
import { Explorer, bibEntries, repoFile } from './explorer.page.mjs';

const BASE = '/some/sub/path/';
const BIB = 'tests/fixtures/exports/scholar-srush.bib';

/** The site's corpora database (IndexedDB), opened in the page: a script put in every page. */
function openCorpora() {
  window.__openCorpora = async () => {
    const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n.endsWith(':corpora'));
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return { db, name };
  };
}

/** The kept shards' keys, counted by corpus id: `{ id: count }`. */
const shardsById = (page) => page.evaluate(async () => {
  const { db } = await window.__openCorpora();
  try {
    const keys = await new Promise((resolve, reject) => {
      const request = db.transaction('shards').objectStore('shards').getAllKeys();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const counts = {};
    for (const key of keys) {
      const id = key.split('/')[0];
      counts[id] = (counts[id] ?? 0) + 1;
    }
    return counts;
  } finally {
    db.close();
  }
});

/** Writes shards for corpus ids that have no description, as a closed tab's worker left them. */
const writeOrphans = (page, ids) => page.evaluate(async (ids) => {
  const { db } = await window.__openCorpora();
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction('shards', 'readwrite');
      for (const id of ids) {
        for (const path of ['shards/0a1b2c3d4e5f6a7b.bin', 'shards/ffeeddccbbaa9988.bin']) {
          tx.objectStore('shards').put(new Uint8Array([1, 2, 3]), `${id}/${path}`);
        }
      }
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}, ids);

test('shards of no kept corpus are deleted on the next start, a kept corpus\'s and a corpus being written stay', async ({ page, context }) => {
  await context.addInitScript(openCorpora);
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.shardWhateverIsKept();
  const bib = repoFile(BIB);
  await explorer.chooseFiles([bib]);
  await page.getByTestId('open-new').click();
  await expect(explorer.openReport.dialog.getByTestId('open-kept')).toHaveText(/^Kept in this browser/);
  await explorer.openReport.close.click();
  const kept = await shardsById(page);
  const [keptId] = Object.keys(kept);
  expect(Object.keys(kept)).toHaveLength(1);
  expect(kept[keptId]).toBeGreaterThan(3);

  // Orphans before and after the kept corpus's keys, and one a second tab is writing.
  await writeOrphans(page, ['a0-orphan', 'c1-writing', 'zz-orphan']);
  const writer = await context.newPage();
  // Not the app (which would tidy the store itself): a file of the same origin.
  await writer.goto(`${BASE}bundle.json`);
  await writer.evaluate(async () => {
    const { db, name } = await window.__openCorpora();
    db.close();
    await new Promise((resolve) => {
      navigator.locks.request(`${name}/c1-writing`, () => {
        resolve();
        return new Promise(() => {});
      });
    });
  });
  expect(await shardsById(page)).toEqual({ ...kept, 'a0-orphan': 2, 'c1-writing': 2, 'zz-orphan': 2 });

  await page.reload();
  await explorer.expectLoaded(bibEntries(bib));
  await expect.poll(() => shardsById(page), { timeout: 20_000 }).toEqual({ ...kept, 'c1-writing': 2 });
  // The kept corpus still opens, its shards read from the store.
  await expect(page.getByTestId('corpus-menu')).toHaveText('scholar-srush.bib');

  // Its writer gone, the half-written corpus is deleted on the next start.
  await writer.close();
  await page.reload();
  await explorer.expectLoaded(bibEntries(bib));
  await expect.poll(() => shardsById(page), { timeout: 20_000 }).toEqual(kept);
  expect(explorer.consoleErrors).toEqual([]);
});
