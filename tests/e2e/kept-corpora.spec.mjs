// Opened corpora are kept in the browser (IndexedDB): a reload with the
// server gone opens the same corpus with its tags, and files added to it
// (offline: the worker is precached) replace it; the corpus menu lists,
// switches, renames, exports (the site's own corpus too) and deletes
// (freeing the storage); a full
// store says so and keeps nothing half-saved (a large corpus's shards,
// which the worker writes, included: so does Cancel once they are
// written). A site built with no corpus is an empty explorer that asks
// for files.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { Explorer, bibEntries, repoFile } from './explorer.page.mjs';
import { dist, emptyDist, port, startServer, waitForServiceWorker } from './offline-server.mjs';

const BASE = '/some/sub/path/';
const BIB = 'tests/fixtures/exports/scholar-srush.bib';
const CSV = 'tests/fixtures/exports/zotero-mambo.csv';
const zoteroRows = (file) => (file.buffer.toString('utf8').match(/^\uFEFF?"[A-Z0-9]{8}",/gm) ?? []).length;

async function openAsNew(explorer, files) {
  await explorer.chooseFiles(files);
  if (await explorer.page.getByTestId('open-choice').isVisible()) await explorer.page.getByTestId('open-new').click();
  await expect(explorer.openReport.dialog.getByTestId('open-kept')).toHaveText(/^Kept in this browser/);
  await explorer.openReport.close.click();
}

const usage = (page) => page.evaluate(async () => (await navigator.storage.estimate()).usage);

/** Tags the paper open in the paper view with `tag`. */
async function tagOpenPaper(page, tag) {
  await page.getByTestId('tag-input').fill(tag);
  await page.getByTestId('tag-input').press('Enter');
}

/** Reloads with no server: the kept corpus of `entries` papers comes back, its tag "kept" on one paper. */
async function expectKeptAfterReload(page, explorer, entries) {
  await page.reload();
  await explorer.expectLoaded(entries);
  await expect(page.getByTestId('corpus-menu')).toHaveText('scholar-srush.bib');
  await expect(explorer.facetValue('tag', 'kept').getByTestId('facet-count')).toHaveText('1');
}

test('an opened corpus is kept: offline reload, tags, adding to it offline, switch, rename, export and delete', async ({ page }) => {
  const server = await startServer(dist, port(31));
  const explorer = new Explorer(page);
  const bib = repoFile(BIB);
  const entries = bibEntries(bib);
  try {
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
    await openAsNew(explorer, [bib]);
    await explorer.expectLoaded(entries);
    await explorer.resultTitles.first().click();
    await tagOpenPaper(page, 'kept');
  } finally {
    await server.stop();
  }

  // No server: the app, the kept corpus and the tag all come from the browser.
  await expectKeptAfterReload(page, explorer, entries);

  // Adding to the kept corpus in view replaces it: still one kept corpus.
  const csv = repoFile(CSV);
  const all = entries + zoteroRows(csv);
  await explorer.chooseFiles([csv]);
  await page.getByTestId('open-add').click();
  await expect(explorer.openReport.summary).toHaveText(`Added ${zoteroRows(csv)} papers: ${all} in all.`);
  await expect(explorer.openReport.dialog.getByTestId('open-kept')).toHaveText(/^Kept in this browser/);
  await explorer.openReport.close.click();

  await page.getByTestId('corpus-menu').click();
  const menu = page.getByTestId('corpus-dialog');
  const kept = menu.getByTestId('kept-corpus');
  await expect(kept).toHaveCount(1);
  await expect(kept).toContainText(`${all} papers`);
  await expect(menu.getByTestId('storage-estimate')).toHaveText(/^This site uses [\d.]+ [MG]B of the [\d.]+ [MG]B this browser allows it\.$/);

  page.once('dialog', (dialog) => dialog.accept('Attention reading list'));
  await kept.getByRole('button', { name: 'Rename…' }).click();
  await expect(kept.getByTestId('kept-name')).toHaveText('Attention reading list');
  await expect(page.getByTestId('corpus-menu')).toHaveText('Attention reading list');

  const json = page.waitForEvent('download');
  await kept.getByRole('button', { name: 'bundle.json' }).click();
  const bundle = JSON.parse(fs.readFileSync(await (await json).path(), 'utf8'));
  expect((await json).suggestedFilename()).toBe('Attention-reading-list.bundle.json');
  expect(bundle.papers).toHaveLength(all);
  const packed = page.waitForEvent('download');
  await kept.getByRole('button', { name: 'App pack' }).click();
  expect(fs.readFileSync(await (await packed).path()).subarray(0, 8).toString()).toBe('FOLIOPAK');

  // Switch to the site's papers and back.
  await menu.getByTestId('site-corpus').getByRole('button', { name: 'Open' }).click();
  await explorer.expectLoaded(24);
  await page.getByTestId('corpus-menu').click();
  await kept.getByRole('button', { name: 'Open' }).click();
  await explorer.expectLoaded(all);

  // Deleting frees its storage and shows the site's papers.
  const before = await usage(page);
  await page.getByTestId('corpus-menu').click();
  await kept.getByRole('button', { name: 'Delete' }).click();
  await expect(kept).toHaveCount(0);
  await explorer.expectLoaded(24);
  await expect.poll(() => usage(page)).toBeLessThan(before);
  await page.reload();
  await explorer.expectLoaded(24);
  expect(explorer.consoleErrors).toEqual([]);
});

/** How many shard files the kept corpora hold (IndexedDB, `browser::corpus_store`). */
const keptShards = (page) => page.evaluate(async () => {
  const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n.endsWith(':corpora'));
  if (!name) return 0;
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  try {
    if (!db.objectStoreNames.contains('shards')) return 0;
    return await new Promise((resolve, reject) => {
      const request = db.transaction('shards').objectStore('shards').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
});

test('a large corpus is kept as a head and shards: offline reload with its tags, search, export, and delete frees the shards', async ({ page }) => {
  const server = await startServer(dist, port(34));
  const explorer = new Explorer(page);
  const bib = repoFile(BIB);
  const entries = bibEntries(bib);
  let title;
  try {
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
    await explorer.shardWhateverIsKept();
    await openAsNew(explorer, [bib]);
    await explorer.expectLoaded(entries);
    expect(await keptShards(page)).toBeGreaterThan(3);
    title = await explorer.resultTitles.first().textContent();
    await explorer.resultTitles.first().click();
    await expect(explorer.paperView.locator('#paper-title')).toHaveText(title);
    await tagOpenPaper(page, 'kept');
    await expect(explorer.facetValue('tag', 'kept').getByTestId('facet-count')).toHaveText('1');
  } finally {
    await server.stop();
  }

  // No server: the head from the store, its shards read from the store as the view asks.
  await expectKeptAfterReload(page, explorer, entries);
  await expect(page.getByTestId('offline-open')).toHaveCount(0);
  const word = title.split(/\W+/).find((w) => w.length > 5);
  await explorer.search.fill(word);
  await expect(explorer.resultTitles.first()).toBeVisible();
  await expect(explorer.resultTitles).toContainText([title]);
  await explorer.resultTitles.filter({ hasText: title }).first().click();
  await expect(explorer.paperView.locator('#paper-title')).toHaveText(title);

  await page.getByTestId('corpus-menu').click();
  const menu = page.getByTestId('corpus-dialog');
  const kept = menu.getByTestId('kept-corpus');
  await expect(kept).toHaveCount(1);
  const json = page.waitForEvent('download');
  await kept.getByRole('button', { name: 'bundle.json' }).click();
  const bundle = JSON.parse(fs.readFileSync(await (await json).path(), 'utf8'));
  expect(bundle.papers).toHaveLength(entries);
  expect(bundle.papers.map((p) => p.title)).toContain(title);
  const packed = page.waitForEvent('download');
  await kept.getByRole('button', { name: 'App pack' }).click();
  expect(fs.readFileSync(await (await packed).path()).subarray(0, 8).toString()).toBe('FOLIOPAK');
  await expect(page.getByTestId('corpus-error')).toBeEmpty();

  // Deleting it deletes its shards.
  const before = await usage(page);
  await kept.getByRole('button', { name: 'Delete' }).click();
  await expect(kept).toHaveCount(0);
  await expect.poll(() => keptShards(page)).toBe(0);
  await expect.poll(() => usage(page)).toBeLessThan(before);
  expect(explorer.consoleErrors).toEqual([]);
});

test('a corpus kept by an earlier version (one file, no shards store) still opens', async ({ page }) => {
  const server = await startServer(dist, port(35));
  try {
    // Before the app ever ran here: the store as version 1 of the database wrote it.
    await page.goto(`${server.origin}${BASE}bundle.json`);
    await page.evaluate(async () => {
      const pack = new Uint8Array(await (await fetch('bundle.pack')).arrayBuffer());
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open('folio:v1:/some/sub/path:corpora', 1);
        request.onupgradeneeded = () => ['corpora', 'packs', 'settings'].forEach((s) => request.result.createObjectStore(s));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction(['corpora', 'packs', 'settings'], 'readwrite');
        tx.objectStore('packs').put(pack, 'c1');
        tx.objectStore('corpora').put({ id: 'c1', name: 'Kept long ago', papers: 24, date: Date.now(), bytes: pack.length }, 'c1');
        tx.objectStore('settings').put('c1', 'current');
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    });
    // Console errors from here (that page's missing icon is not the app's).
    const explorer = new Explorer(page);
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await expect(page.getByTestId('corpus-menu')).toHaveText('Kept long ago');
    await page.getByTestId('corpus-menu').click();
    await expect(page.getByTestId('corpus-dialog').getByTestId('kept-corpus')).toContainText('24 papers');
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('the site\'s own corpus exports from the corpus menu as bundle.json and as its app pack', async ({ page }) => {
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await page.getByTestId('corpus-menu').click();
  const site = page.getByTestId('corpus-dialog').getByTestId('site-corpus');

  // As deployed: the same names, the same bytes as the site's own files.
  const json = page.waitForEvent('download');
  await site.getByRole('button', { name: 'bundle.json' }).click();
  expect((await json).suggestedFilename()).toBe('bundle.json');
  const bundle = JSON.parse(fs.readFileSync(await (await json).path(), 'utf8'));
  expect(bundle).toEqual(JSON.parse(fs.readFileSync(`${dist}/bundle.json`, 'utf8')));
  const packed = page.waitForEvent('download');
  await site.getByRole('button', { name: 'App pack' }).click();
  expect((await packed).suggestedFilename()).toBe('bundle.pack');
  expect(fs.readFileSync(await (await packed).path()).equals(fs.readFileSync(`${dist}/bundle.pack`))).toBe(true);
  await expect(page.getByTestId('corpus-error')).toBeEmpty();
  expect(explorer.consoleErrors).toEqual([]);
});

test('a full store keeps nothing and says so; the papers stay open in the page', async ({ page }) => {
  // The browser's quota, reached: writing a pack fails as a full disk does.
  await page.addInitScript(fillPageStore);
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  const csv = repoFile(CSV);
  await openNotKept(page, explorer, csv);
  await explorer.expectLoaded(zoteroRows(csv));

  await page.getByTestId('corpus-menu').click();
  await expect(page.getByTestId('corpus-dialog').getByTestId('kept-corpus')).toHaveCount(0);
  await page.reload();
  await explorer.expectLoaded(24);
});

/** Opens `file` as a new corpus with the store full: the report says it
 * was not kept and nothing was half-saved; the report is then closed. */
async function openNotKept(page, explorer, file) {
  await explorer.chooseFiles([file]);
  await page.getByTestId('open-new').click();
  await expect(explorer.openReport.dialog.getByTestId('open-kept')).toHaveText(
    /^Not kept: this browser's storage for the site is full\. .*nothing was half-saved/);
  await explorer.openReport.close.click();
}

/** Makes writing a pack's bytes from the page fail as a full disk does (a worker's writes are its own). */
const fillPageStore = () => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (value, key) {
    if (value instanceof Uint8Array) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.call(this, value, key);
  };
};

test('a sharded corpus whose head cannot be kept keeps nothing, not even the shards the worker wrote; its papers stay open', async ({ page }) => {
  await page.addInitScript(fillPageStore);
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.shardWhateverIsKept();
  const bib = repoFile(BIB);
  await openNotKept(page, explorer, bib);
  await explorer.expectLoaded(bibEntries(bib));
  await expect.poll(() => keptShards(page)).toBe(0);
  // Its shards now come from the page's memory.
  const title = await explorer.resultTitles.first().textContent();
  await explorer.search.fill(title.split(/\W+/).find((w) => w.length > 5));
  await expect(explorer.resultTitles).toContainText([title]);
  await page.getByTestId('corpus-menu').click();
  await expect(page.getByTestId('corpus-dialog').getByTestId('kept-corpus')).toHaveCount(0);
  await page.goto(BASE);
  await explorer.expectLoaded(24);
});

test('Cancel once the worker has kept a sharded corpus\'s shards, before the page has its head, deletes them: nothing changes', async ({ page }) => {
  // The worker's last message (the head, its shards kept) held back: as if Cancel came first.
  await page.addInitScript(() => {
    const Native = window.Worker;
    window.Worker = class extends Native {
      set onmessage(handler) {
        super.onmessage = handler && ((event) => {
          if (event.data?.[4]?.id) window.__heldShards = event.data[4].id;
          else handler(event);
        });
      }
      get onmessage() { return super.onmessage; }
    };
  });
  const explorer = new Explorer(page);
  await explorer.open(BASE);
  await explorer.expectLoaded(24);
  await explorer.shardWhateverIsKept();
  await explorer.chooseFiles([repoFile(BIB)]);
  await page.getByTestId('open-new').click();
  await expect.poll(() => page.evaluate(() => window.__heldShards ?? null)).not.toBeNull();
  expect(await keptShards(page)).toBeGreaterThan(3);
  await page.getByTestId('open-cancel').click();
  await expect(page.getByTestId('open-progress')).toBeHidden();
  await expect.poll(() => keptShards(page)).toBe(0);
  await explorer.expectLoaded(24);
  await page.getByTestId('corpus-menu').click();
  await expect(page.getByTestId('corpus-dialog').getByTestId('kept-corpus')).toHaveCount(0);
  expect(explorer.consoleErrors).toEqual([]);
});

test('a site built with no corpus asks for files, opens them and keeps them', async ({ page }) => {
  const server = await startServer(emptyDist, port(32));
  const explorer = new Explorer(page);
  try {
    await explorer.open(`${server.origin}/`);
    await expect(page.getByTestId('empty-site')).toContainText('Explore your own papers');
    const csv = repoFile(CSV);
    // No corpus in view: nothing to add to, so no question.
    await explorer.chooseFiles([csv]);
    await expect(explorer.openReport.summary).toHaveText(`Opened ${zoteroRows(csv)} papers.`);
    await expect(explorer.openReport.dialog.getByTestId('open-kept')).toHaveText(/^Kept in this browser/);
    await explorer.openReport.close.click();
    await explorer.expectLoaded(zoteroRows(csv));
    await page.reload();
    await explorer.expectLoaded(zoteroRows(csv));
    // The site has no papers of its own to export.
    await page.getByTestId('corpus-menu').click();
    const site = page.getByTestId('corpus-dialog').getByTestId('site-corpus');
    await expect(site.getByRole('button', { name: 'Open' })).toBeVisible();
    await expect(site.getByRole('button')).toHaveCount(1);
  } finally {
    await server.stop();
  }
  expect(explorer.consoleErrors).toEqual([]);
});
