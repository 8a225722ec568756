// A sharded pack in the browser (issue 16): the seed cut into a head and
// small shards (scripts/test.sh builds target/dist-sharded) shows exactly
// what the one-file site shows, fetches only the shards a view needs, says
// which parts are missing offline, and works offline once "Make available
// offline" has kept all of it.
import fs from 'node:fs';
import { test, expect } from '@playwright/test';
import { Explorer, PAGE_ROWS, expectFacetsMade } from './explorer.page.mjs';
import path from 'node:path';
import { copyOf, dist, packBundle, port, postBuild, shardedDist, startServer, waitForServiceWorker } from './offline-server.mjs';

const BASE = '/some/sub/path/';
// Words, a typo, a phrase, an entity, a qualifier with words, no match.
const QUERIES = ['', 'mixtral', 'lerning', '"language models"', 'model:llama', 'instruction tuning', 'year:2023 reasoning', 'zzqx'];
const isShard = (url) => new URL(url).pathname.startsWith(`${BASE}shards/`);

/** `bytes` as the page says them (engine::open::byte_size). */
const byteSize = (bytes) => {
  if (bytes < 999_500) return `${Math.floor((bytes + 500) / 1000)} kB`;
  const tenths = Math.floor((bytes + 50_000) / 100_000);
  return `${Math.floor(tenths / 10)}.${tenths % 10} MB`;
};

/** The current results exported as BibTeX from the tag manager. */
async function exported(page) {
  await page.getByTestId('open-tags').click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Results as BibTeX' }).click();
  return fs.readFileSync(await (await download).path(), 'utf8');
}

/** Waits until the page shows the answer for its view (no shard awaited,
 * the facet panel's groups made, every facet group counted). */
async function settled(page) {
  await expectFacetsMade(page);
  await expect(page.getByTestId('shard-waiting')).toHaveCount(0);
  await expect(page.getByTestId('result-pending')).toHaveCount(0);
  await expect(page.getByTestId('facet-counting')).toHaveCount(0);
}

/** What the page shows: the count, the rows (title and snippet) and every facet value's count. */
async function shown(page) {
  await settled(page);
  return page.evaluate(() => ({
    count: document.querySelector('[data-testid="result-count"]')?.textContent,
    rows: [...document.querySelectorAll('[data-testid="result"]')].map((row) => [
      row.querySelector('[data-testid="result-title"]').textContent,
      row.querySelector('[data-testid="result-snippet"]').textContent,
    ]),
    facets: [...document.querySelectorAll('[data-testid="facet-value"]')].map((v) => v.textContent),
    empty: document.querySelector('[data-testid="no-results"]')?.textContent ?? null,
  }));
}

test('the sharded site shows what the one-file site shows, for every kind of query', async ({ page, browser }) => {
  const [whole, sharded] = await Promise.all([startServer(dist, port(40)), startServer(shardedDist, port(41))]);
  const reference = await browser.newPage();
  try {
    for (const query of QUERIES) {
      const view = `${BASE}?q=${encodeURIComponent(query)}`;
      await reference.goto(`${whole.origin}${view}`);
      await expect(reference.getByTestId('result-count')).toBeVisible();
      const expected = await shown(reference);
      await page.goto(`${sharded.origin}${view}`);
      await expect(page.getByTestId('result-count')).toBeVisible();
      expect(await shown(page), `query ${JSON.stringify(query)}`).toEqual(expected);
    }
    // Typing in place (the results wait for their shards, then answer).
    const explorer = new Explorer(page);
    await page.goto(`${sharded.origin}${BASE}`);
    await explorer.search.fill('mixture of experts');
    await reference.goto(`${whole.origin}${BASE}?q=${encodeURIComponent('mixture of experts')}`);
    await expect(reference.getByTestId('result-count')).toBeVisible();
    expect(await shown(page)).toEqual(await shown(reference));
    // The open paper and its similar papers, each from its own record shard.
    await explorer.resultTitles.first().click();
    await expect(explorer.paperView).toBeVisible();
    await expect(page.getByTestId('paper-abstract')).not.toBeEmpty();
    await expect(page.getByTestId('similar-paper').first()).not.toHaveText('…');
    // Every similar paper's title comes in, those named in id shards not yet
    // held too (their id shard, then their record shard), as the one-file site's.
    await new Explorer(reference).resultTitles.first().click();
    const similar = (p) => p.getByTestId('similar-paper').allTextContents();
    await expect(reference.getByTestId('similar-paper').first()).toBeVisible();
    const expectedSimilar = await similar(reference);
    await expect.poll(() => similar(page)).toEqual(expectedSimilar);
    // An export of the results reads every result's record: all fetched first.
    await page.goto(`${sharded.origin}${BASE}?q=model`);
    await settled(page);
    await reference.goto(`${whole.origin}${BASE}?q=model`);
    await expect(reference.getByTestId('result-count')).toBeVisible();
    const text = await exported(page);
    expect(text).not.toContain('not loaded');
    expect(text).toBe(await exported(reference));
    expect((text.match(/^@/gm) ?? []).length).toBeGreaterThan(PAGE_ROWS);
    expect(explorer.consoleErrors).toEqual([]);
  } finally {
    await reference.close();
    await Promise.all([whole.stop(), sharded.stop()]);
  }
});

test('a view fetches only the shards it needs', async ({ page }) => {
  const server = await startServer(shardedDist, port(42));
  const fetched = [];
  page.on('request', (request) => { if (isShard(request.url())) fetched.push(request.url()); });
  try {
    const explorer = new Explorer(page);
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await settled(page);
    const total = fetched.length;
    // First paint: the head and the record shards of the first rows only.
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(PAGE_ROWS);
    expect(new Set(fetched).size).toBe(fetched.length);
    await explorer.search.fill('mixtral');
    await expect(explorer.resultTitles.first()).toHaveText('Mixtral of Experts');
    await settled(page);
    expect(fetched.length).toBeGreaterThan(total);
    expect(new Set(fetched).size, 'no shard is fetched twice').toBe(fetched.length);
  } finally {
    await server.stop();
  }
});

test('a first query shows its rows before the facet lists arrive: their groups say they are counting, then fill in', async ({ browser }) => {
  // The seed with authors (it has none): enough of them that their paper
  // lists go to facet shards, as the authors' do at 100k papers; as one
  // file, and cut small.
  const withAuthors = (from, layout) => {
    const dir = copyOf(from);
    const bundlePath = path.join(dir, 'bundle.json');
    const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
    bundle.papers.forEach((paper, i) => {
      const shared = Array.from({ length: 40 }, (_, j) => j).filter((j) => (i + j) % 3 === 0).map((j) => `Member ${j}`);
      paper.authors = [...shared, ...Array.from({ length: 80 }, (_, k) => `Author ${i}-${k}`)];
    });
    fs.writeFileSync(bundlePath, JSON.stringify(bundle));
    packBundle(dir, layout);
    postBuild(dir);
    return dir;
  };
  const oneFile = withAuthors(dist, ['--layout', 'single']);
  const site = withAuthors(shardedDist, ['--layout', 'sharded', '--shard-size', '256']);
  const [whole, sharded] = await Promise.all([startServer(oneFile, port(48)), startServer(site, port(47))]);
  // No service worker: every shard request reaches the routes below.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  try {
    // The facet shards: what the page fetches once it has been quiet
    // after its first paint (nothing else is fetched then).
    const probe = await context.newPage();
    const seen = [];
    probe.on('request', (request) => { if (isShard(request.url())) seen.push(request.url()); });
    await probe.goto(`${sharded.origin}${BASE}`);
    await new Explorer(probe).expectLoaded(24);
    await settled(probe);
    const painted = seen.length;
    await expect.poll(() => seen.length, { timeout: 20_000 }).toBeGreaterThan(painted);
    await probe.waitForTimeout(1_000);
    const facetShards = new Set(seen.slice(painted));
    await probe.close();

    // A fresh page whose facet shards are held back until released.
    const page = await context.newPage();
    const explorer = new Explorer(page);
    const fetched = [];
    page.on('request', (request) => { if (isShard(request.url())) fetched.push(request.url()); });
    let release;
    const released = new Promise((resolve) => { release = resolve; });
    const held = [];
    await page.route((url) => facetShards.has(url.href), async (route) => {
      held.push(route.request().url());
      await released;
      await route.continue();
    });
    await page.goto(`${sharded.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await explorer.search.fill('language');
    // The rows and the total, while the facet lists are held back.
    const reference = await browser.newPage();
    await reference.goto(`${whole.origin}${BASE}?q=language`);
    await expect(reference.getByTestId('result-count')).toBeVisible();
    const expected = await shown(reference);
    await expect(page.getByTestId('result-count')).toHaveText(expected.count);
    await expect(page.getByTestId('result-pending')).toHaveCount(0);
    await expect(explorer.results).toHaveCount(expected.rows.length);
    const titles = await page.getByTestId('result-title').allTextContents();
    expect(titles).toEqual(expected.rows.map(([title]) => title));
    expect(held.length, 'the facet lists were asked for, not given').toBeGreaterThan(0);
    // The groups whose lists are held back say they are counting.
    const busy = page.getByTestId('facet-panel').locator('[aria-busy="true"]');
    await expect(busy.first()).toBeVisible();
    await expect(busy.first().getByTestId('facet-counting')).toHaveText('Counting…');
    expect(await page.getByTestId('facet-panel').locator('[aria-busy="false"]').count(), 'the other groups are counted').toBeGreaterThan(0);
    // Once they arrive, the same counts as the one-file site's.
    release();
    await expect(busy).toHaveCount(0);
    expect(await shown(page)).toEqual(expected);
    expect(new Set(fetched).size, 'no shard is fetched twice').toBe(fetched.length);
    // Blocked service workers register as nothing, which the page reads.
    expect(explorer.consoleErrors.filter((e) => !e.includes("reading 'waiting'"))).toEqual([]);
    await reference.close();
  } finally {
    await context.close();
    await Promise.all([whole.stop(), sharded.stop()]);
    for (const dir of [oneFile, site]) fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('offline, the missing parts are named; once made available offline, all of it works with no network', async ({ page }) => {
  let server = await startServer(shardedDist, port(43));
  const explorer = new Explorer(page);
  const origin = server.origin;
  try {
    await explorer.open(`${origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
    await settled(page);
    await server.stop();
    // No query has been run: no postings shard is on this device yet.
    await explorer.search.fill('mixtral');
    await expect(page.getByTestId('shard-problem')).toContainText('offline');

    server = await startServer(shardedDist, port(43));
    await explorer.search.fill('');
    await page.getByTestId('offline-open').click();
    await expect(page.getByTestId('offline-state')).toContainText('parts)');
    // Sizes as served: the shard files' bytes (gzipped), not their plain
    // bytes, which are more than twice as many.
    const served = fs.readdirSync(path.join(shardedDist, 'shards'))
      .reduce((sum, name) => sum + fs.statSync(path.join(shardedDist, 'shards', name)).size, 0);
    await expect(page.getByTestId('offline-state')).toContainText(` of ${byteSize(served)} of this corpus`);
    await page.getByTestId('offline-download').click();
    await expect(page.getByTestId('offline-outcome')).toContainText('Done');
    await expect(page.getByTestId('offline-state')).toContainText(`All of this corpus (${byteSize(served)})`);
  } finally {
    await server.stop();
  }
  await expect(page.request.get(`${origin}${BASE}`)).rejects.toThrow();
  await page.reload();
  await explorer.expectLoaded(24);
  for (const query of ['mixtral', '"language models"', 'lerning']) {
    await explorer.search.fill(query);
    await settled(page);
    await expect(explorer.results.first()).toBeVisible();
  }
  await expect(page.getByTestId('shard-problem')).toHaveCount(0);
  await explorer.resultTitles.first().click();
  await expect(page.getByTestId('paper-abstract')).not.toBeEmpty();
});

test('a new deploy swaps head and shards whole: the old page says what it lacks, the reload shows the new one', async ({ page }) => {
  const site = copyOf(shardedDist);
  const server = await startServer(site, port(44));
  const explorer = new Explorer(page);
  try {
    await explorer.open(`${server.origin}${BASE}`);
    await explorer.expectLoaded(24);
    await waitForServiceWorker(page);
    await settled(page);

    // Deploy: one title changed, the pack cut again (its old shards
    // removed from the host), then the post-build step.
    const bundlePath = path.join(site, 'bundle.json');
    const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8'));
    const last = bundle.papers[bundle.papers.length - 1];
    const retitled = `Second deploy: ${last.title}`.slice(0, last.title.length);
    last.title = retitled;
    fs.writeFileSync(bundlePath, JSON.stringify(bundle));
    packBundle(site, ['--layout', 'sharded', '--shard-size', '3000']);
    postBuild(site);

    // The reload finds the new build; the page still runs the old one,
    // whose shards not kept here (the last paper's record: not shown at
    // first) are gone from the host.
    await page.reload();
    await expect(page.getByTestId('update-banner')).toBeVisible({ timeout: 15_000 });
    await explorer.search.fill(last.title);
    await expect(page.getByTestId('shard-problem')).toContainText('updated');
    const reloaded = page.waitForEvent('load');
    await page.getByTestId('update-reload').click();
    await reloaded;
    await explorer.open(`${server.origin}${BASE}?paper=${encodeURIComponent(last.id)}`);
    await expect(page.getByTestId('paper-view').locator('#paper-title')).toHaveText(retitled);
    await expect(page.getByTestId('shard-problem')).toHaveCount(0);
  } finally {
    await server.stop();
    fs.rmSync(site, { recursive: true, force: true });
  }
});

test('tags on a sharded site: after a reload the tag facet and filter equal the one-file site\'s, a paper link opens, the tag manager lists them', async ({ page, browser }) => {
  const [whole, sharded] = await Promise.all([startServer(dist, port(45)), startServer(shardedDist, port(46))]);
  const reference = await browser.newPage();
  const sites = [[reference, whole], [page, sharded]];
  const explorers = sites.map(([p]) => new Explorer(p));
  try {
    // The same papers tagged on both sites (each origin keeps its own
    // tags): two from their paper view, a query's results in bulk.
    let mixtralId;
    for (const [i, [p, server]] of sites.entries()) {
      const explorer = explorers[i];
      await explorer.open(`${server.origin}${BASE}`);
      await explorer.expectLoaded(24);
      await settled(p);
      for (const row of [1, 4]) {
        await explorer.resultTitles.nth(row).click();
        await expect(explorer.paperView).toBeVisible();
        await p.getByTestId('tag-input').fill('to-read');
        await p.getByTestId('tag-input').press('Enter');
        await expect(p.getByTestId('tag-editor')).toContainText('to-read');
        await p.getByRole('button', { name: 'Close paper (Esc)' }).click();
      }
      await explorer.search.fill('mixture of experts');
      await settled(p);
      await p.getByTestId('bulk-tag').click();
      await p.getByTestId('bulk-tag-input').fill('moe');
      await p.getByTestId('bulk-confirm').click();
      await expect(p.getByText('papers changed')).toBeVisible();
      await explorer.search.fill('mixtral');
      await settled(p);
      await explorer.resultTitles.first().click();
      mixtralId = await p.locator('.paper-id').textContent();
    }
    // Reloaded: the head knows the tagged papers once their id shards are in.
    const views = ['', '?q=tag%3Ato-read', '?q=tag%3Amoe%20language', '?q=tag%3Aunread'];
    for (const view of views) {
      for (const [p, server] of sites) {
        await p.goto(`${server.origin}${BASE}${view}`);
        await expect(p.getByTestId('result-count')).toBeVisible();
      }
      const expected = await shown(reference);
      expect(expected.facets.length).toBeGreaterThan(0);
      expect(await shown(page), `view ${view}`).toEqual(expected);
    }
    for (const [i, [p, server]] of sites.entries()) {
      await p.goto(`${server.origin}${BASE}`);
      await settled(p);
      await explorers[i].facetValue('tag', 'to-read').locator('input[type=checkbox]').check();
      await expect(p.getByTestId('result-count')).toHaveText('2 of 24 papers');
    }
    expect(await shown(page)).toEqual(await shown(reference));
    // The tag manager counts the tagged papers as the one-file site does.
    const tagRows = async (p) => {
      await p.getByTestId('open-tags').click();
      const rows = p.getByTestId('tag-row');
      await expect(rows).toHaveCount(2);
      return rows.evaluateAll((rows) => rows.map((r) => [r.dataset.tag, r.querySelector('.facet-count').textContent]));
    };
    const tags = await tagRows(reference);
    expect(tags.find(([tag]) => tag === 'to-read')).toEqual(['to-read', '2']);
    expect(await tagRows(page)).toEqual(tags);
    // A link naming a paper opens it, in a fresh page, once its id shard is in.
    const fresh = await page.context().newPage();
    await fresh.goto(`${sharded.origin}${BASE}?paper=${encodeURIComponent(mixtralId)}`);
    await expect(fresh.getByTestId('paper-view').locator('#paper-title')).toHaveText('Mixtral of Experts');
    await expect(fresh.locator('.paper-id')).toHaveText(mixtralId);
    await expect(fresh.getByTestId('tag-editor')).toContainText('moe');
    await fresh.close();
    expect(explorers[1].consoleErrors).toEqual([]);
  } finally {
    await reference.close();
    await Promise.all([whole.stop(), sharded.stop()]);
  }
});
