// MiniSearch's answers for `cargo bench --bench quality` (benches/quality.rs),
// which writes DIR/papers.jsonl (title, abstract; the line number is the
// paper's id) and DIR/queries.json, runs this, and judges the answers it
// reads back from DIR/minisearch.json ({query: {top: [ids], hits}}).
//
//   node scripts/bench-quality.mjs DIR
//
// MiniSearch as its peers configure it: title and abstract, title boosted
// 3x, prefix and fuzzy 0.2 on, every word required (AND), and when that
// finds nothing any word (OR). Quotes mean nothing to it.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const MiniSearch = require('../tests/e2e/node_modules/minisearch/dist/cjs/index.cjs');

const dir = process.argv[2];
const papers = fs.readFileSync(path.join(dir, 'papers.jsonl'), 'utf8').split('\n').filter(Boolean).map((line, id) => ({ id, ...JSON.parse(line) }));
const queries = JSON.parse(fs.readFileSync(path.join(dir, 'queries.json'), 'utf8'));

const t = performance.now();
const ms = new MiniSearch({ fields: ['title', 'abstract'], searchOptions: { prefix: true, fuzzy: 0.2, boost: { title: 3 } } });
ms.addAll(papers);
console.error(`MiniSearch: ${papers.length} papers indexed in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const out = {};
for (const q of queries) {
  const text = q.replaceAll('"', ' ');
  let hits = ms.search(text, { combineWith: 'AND' });
  if (hits.length === 0) hits = ms.search(text, { combineWith: 'OR' });
  out[q] = { top: hits.slice(0, 10).map((h) => h.id), hits: hits.length };
}
fs.writeFileSync(path.join(dir, 'minisearch.json'), JSON.stringify(out));
