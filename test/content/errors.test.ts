/**
 * The errors reference page (reference/errors.mdx) is generated from the catalog (src/components/known-errors.ts):
 * every known error of every guide once, under the guide that explains it; every quoted Exchange text exact, with its
 * old anchor; every wording the facts do not confirm marked so.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorsPage } from '../../src/components/known-errors.ts';
import { GUIDES, STEPS } from '../../src/runbook/catalog.ts';
import type { KnownError } from '../../src/runbook/core/known-errors.ts';
import { SESSION_ERRORS } from '../../src/runbook/exchange/connection.ts';
import { EXCHANGE_ERRORS } from '../../src/runbook/exchange/error-texts.ts';
import { ERRORS_SOURCE, fencedBlocks, readDoc } from '../support/docs-source.ts';

const groups = errorsPage();
const entries = groups.flatMap((g) => g.entries);
// Every step's known errors, and the session's, which any step can meet.
const known = new Map<string, KnownError>(
  [...STEPS.flatMap((step) => step.knownErrors), ...SESSION_ERRORS].map((k) => [k.id, k] as const),
);

/** A sample of `text` with each `<placeholder>` and `...` filled in, as the service would write it. */
const sample = (text: string) => text.replace(/<[a-z]+>/g, 'Sample').replaceAll('...', 'elided part');

test('the page source is the component: no hand-written entries to drift from the catalog', () => {
  const source = readDoc(ERRORS_SOURCE);
  assert.match(source, /^<KnownErrors \/>$/m);
  assert.deepEqual(fencedBlocks(source), []);
  assert.doesNotMatch(source, /^#+ /m);
});

test('every known error of every step is listed once, under the guide whose page explains it', () => {
  assert.deepEqual(entries.map((e) => e.id).sort(), [...known.keys()].sort());
  for (const group of groups) {
    const guide = GUIDES.find((g) => g.slug === group.guide.slug)!;
    for (const entry of group.entries)
      assert.ok(entry.guide.startsWith(guide.path), `${entry.id} (${entry.guide}) is under ${guide.slug}`);
  }
  for (const entry of entries) {
    const error = known.get(entry.id)!;
    assert.equal(entry.meaning, error.meaning);
    assert.equal(entry.action, error.action);
    assert.ok(entry.steps.length > 0, `${entry.id} names the steps that meet it`);
  }
});

test('every Exchange text is quoted exactly and keeps its anchor; every id on the page is unique', () => {
  const ids = [
    ...groups.map((g) => g.guide.slug),
    ...entries.map((e) => e.id),
    ...entries.flatMap((e) => e.texts.flatMap((t) => t.anchor ?? [])),
  ];
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'duplicate ids',
  );
  for (const quote of EXCHANGE_ERRORS) {
    const quoting = entries.filter((e) => e.texts.some((t) => t.text === quote.text));
    assert.ok(quoting.length > 0, `${quote.id} is quoted on the page`);
    assert.ok(ids.includes(quote.id), `the anchor #${quote.id} still exists`);
    const anchored = entries.find((e) => e.id === quote.id || e.texts.some((t) => t.anchor === quote.id))!;
    assert.ok(
      anchored.texts.some((t) => t.text === quote.text),
      `#${quote.id} is where the text is quoted`,
    );
    for (const entry of quoting) {
      const shown = entry.texts.find((t) => t.text === quote.text)!;
      assert.equal(
        shown.quotedAt ?? entry.guide,
        quote.guide,
        `${entry.id} links ${quote.id} to the section that quotes it`,
      );
    }
  }
});

test('exact quotes are called exact; everything the facts do not confirm is called unconfirmed', () => {
  for (const entry of entries) {
    for (const text of entry.texts) {
      const quote = EXCHANGE_ERRORS.find((q) => q.text === text.text);
      if (quote?.confirmed) {
        assert.equal(text.unconfirmed, false, `${entry.id}: ${quote.id}`);
        assert.equal(text.source, "Exchange's exact text.");
      } else {
        assert.equal(text.unconfirmed, true, `${entry.id}: ${text.text}`);
        assert.match(text.source, /^Unconfirmed: \S/);
      }
    }
    const wording = known.get(entry.id)!.wording;
    if ('source' in wording && wording.source === 'sandbox') assert.match(entry.texts[0]!.source, /sandbox's wording/);
    if ('source' in wording && wording.source === 'runbook') assert.match(entry.note!, /runbook reports this itself/);
  }
});

test("each error's pattern matches the texts the page shows for it", () => {
  for (const entry of entries) {
    const error = known.get(entry.id)!;
    for (const text of entry.texts)
      assert.match(sample(text.text), error.pattern, `${entry.id} does not match what the page shows`);
  }
});
