// The seed corpus read straight from the raw file, independently of the
// compiler, so browser tests compare the app against the source text.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** [{title, abstract}] in file order: two header lines, then title/abstract pairs. */
export function seedPapers() {
  const lines = fs.readFileSync(path.join(root, 'corpus/000_aec88eee982df8fa.txt'), 'utf8').split('\n');
  const papers = [];
  for (let i = 2; i + 1 < lines.length; i += 2) {
    papers.push({ title: lines[i].replace(/^Subscribe/, ''), abstract: lines[i + 1] });
  }
  return papers;
}
