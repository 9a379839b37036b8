/**
 * Claims a guide must not make (issue 10): the wait time no Microsoft source gives, the reassurance the delegating
 * refusal does not allow, and a removal dated to one month when it began then and went on (exchange-facts.md, 1).
 * Checked over every file under src/, as the issue's `grep -ri` would: pages, steps, known errors, components.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const src = path.resolve(import.meta.dirname, '..', '..', 'src');
const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|astro|mdx?|css)$/.test(f));

const UNTRACED: Array<{ pattern: RegExp; why: string }> = [
  { pattern: /microsoft says about/i, why: 'no Microsoft source gives a wait time (exchange-facts.md, 3)' },
  { pattern: /nothing is wrong with your permissions/i, why: 'the delegating refusal has two field-reported causes' },
  { pattern: /removed[^.]{0,80}\bin February 2025/i, why: 'the removal began in February 2025: "from February 2025"' },
];

test('no file under src/ makes a claim the facts do not source', () => {
  const found: string[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(src, file), 'utf8');
    for (const { pattern, why } of UNTRACED) {
      const match = pattern.exec(text);
      if (match) found.push(`src/${file}: "${match[0]}" (${why})`);
    }
  }
  assert.deepEqual(found, []);
});
