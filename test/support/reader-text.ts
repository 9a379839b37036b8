/**
 * Texts a reader sees (verdicts, output, explanations, confirmations, the transcript) name steps by their titles, in
 * quotes, never by their internal ids: these checks fail on an id, and on a quoted name that is no step's title.
 */
import assert from 'node:assert/strict';
import { STEPS } from '../../src/runbook/catalog.ts';

// An id on its own: not inside an anchor such as `#run-create-role-group` or a longer id.
const STEP_ID = new RegExp(`(?<![\\w#/-])(?:${STEPS.map((step) => step.id).join('|')})(?![\\w-])`, 'g');
const TITLES = new Set(STEPS.map((step) => step.title));

/** The step ids `text` names. */
export function stepIdsIn(text: string): string[] {
  return [...text.matchAll(STEP_ID)].map((m) => m[0]);
}

/** Wording a reader must never meet: jargon (issue 11, point 14) and claims no source makes (issue 10). */
const BANNED = [/\bthe writes?\b/i, /microsoft says about/i, /nothing is wrong with your permissions/i];

/**
 * Fails when `text` names a step by its id, quotes a name (“…”) that is no step's title, or uses banned wording.
 */
export function assertReaderText(text: string, where: string): void {
  assert.deepEqual(stepIdsIn(text), [], `${where} names a step by its id: ${text}`);
  for (const banned of BANNED) assert.doesNotMatch(text, banned, `${where}: ${text}`);
  for (const [, name] of text.matchAll(/“([^”]+)”/g))
    assert.ok(TITLES.has(name!), `${where} quotes “${name}”, which is no step's title: ${text}`);
}
