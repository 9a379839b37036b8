import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const docsDir = path.join(root, 'src/content/docs');
const sources = [
  path.join(root, 'README.md'),
  ...readdirSync(docsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mdx') || f.endsWith('.md'))
    .map((f) => path.join(docsDir, f)),
];

/** Every screenshot file a page or the README refers to: `<Screenshot name>` (both themes) and literal paths. */
function referencedScreenshots(): Array<{ source: string; file: string }> {
  const refs: Array<{ source: string; file: string }> = [];
  for (const source of sources) {
    const text = readFileSync(source, 'utf8');
    const rel = path.relative(root, source);
    for (const [, name] of text.matchAll(/<Screenshot\s+name="([^"]+)"/g)) {
      for (const theme of ['light', 'dark']) refs.push({ source: rel, file: `${name}-${theme}.png` });
    }
    for (const [, file] of text.matchAll(/\/screenshots\/([\w.-]+\.png)/g)) refs.push({ source: rel, file: file! });
  }
  return refs;
}

test('every screenshot the guide and the README show exists in public/screenshots and is a PNG', () => {
  const refs = referencedScreenshots();
  assert.ok(
    refs.some((r) => r.source === 'README.md'),
    'the README shows at least one screenshot',
  );
  assert.ok(
    refs.some((r) => r.source.endsWith('.mdx')),
    'the guide shows at least one screenshot',
  );
  const missing = refs.filter(({ file }) => !existsSync(path.join(root, 'public/screenshots', file)));
  assert.deepEqual(missing, [], 'run `npm run screenshots` and commit public/screenshots/');
  for (const { file } of refs) {
    const head = readFileSync(path.join(root, 'public/screenshots', file)).subarray(0, 8);
    assert.deepEqual([...head], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file} is a PNG`);
  }
});

test('every <Screenshot> on a page has a caption, and a picture of a step card names the step it shows', () => {
  const problems: string[] = [];
  for (const source of sources.filter((f) => f.endsWith('.mdx'))) {
    const text = readFileSync(source, 'utf8');
    const steps = new Set([...text.matchAll(/<RunStep\s+id="([^"]+)"/g)].map(([, id]) => id));
    for (const [tag] of text.matchAll(/<Screenshot\b[^>]*\/>/g)) {
      const name = /name="([^"]+)"/.exec(tag)?.[1];
      const where = `${path.relative(root, source)}: ${name}`;
      if (!/caption="[^"]*\S[^"]*"/.test(tag)) problems.push(`${where} has no caption`);
      // A picture of a card (its alt says "The ... step") must name that card, so the page hides it beside the live
      // one.
      const step = /step="([^"]+)"/.exec(tag)?.[1];
      if (step !== undefined && !steps.has(step)) problems.push(`${where} depicts ${step}, which is not on the page`);
      if (step === undefined && /alt="The [^"]*\bstep\b/.test(tag)) problems.push(`${where} shows a step but no step=`);
    }
  }
  assert.deepEqual(problems, []);
});
