/**
 * The lists that must stay equal, each assertion naming both sides: the cmdlets the companion may run (CMDLETS in
 * src/runbook/core/cmdlets.ts) against the PowerShell helper's allow-list, the sandbox's handlers and the stand-in
 * module's exports; and each guide's steps (guide.ts, page order) against the RunStep components of its MDX page.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { GUIDES, STEP_IDS } from '../../src/runbook/catalog.ts';
import { CMDLETS } from '../../src/runbook/core/cmdlets.ts';
import { CMDLET_HANDLERS } from '../../server/sandbox/cmdlets/index.ts';
import { readDoc } from '../support/docs-source.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const HELPER = 'server/pwsh/CompanionStep.psm1';
const STAND_IN = 'test/fixtures/psmodules/ExchangeOnlineManagement/3.9.2/ExchangeOnlineManagement.psm1';

/** The single-quoted names inside the first `<start> ... )` of a PowerShell source. */
function quotedList(source: string, start: string): string[] {
  const at = source.indexOf(start);
  assert.ok(at >= 0, `no "${start}" found`);
  const body = source.slice(at + start.length, source.indexOf(')', at + start.length));
  return [...body.matchAll(/'([A-Za-z-]+)'/g)].map((m) => m[1]!);
}

describe('the cmdlet lists', () => {
  it(`the allow-list in ${HELPER} is exactly CMDLETS of src/runbook/core/cmdlets.ts`, () => {
    const allowed = quotedList(read(HELPER), '$script:AllowedCmdlets = @(');
    assert.deepEqual(
      allowed,
      [...CMDLETS],
      `${HELPER} $script:AllowedCmdlets (actual) vs CMDLETS in src/runbook/core/cmdlets.ts (expected)`,
    );
  });
  it('the sandbox simulates exactly CMDLETS (server/sandbox/cmdlets/index.ts)', () => {
    assert.deepEqual(
      [...CMDLET_HANDLERS.values()].map((h) => h.name).sort(),
      [...CMDLETS].sort(),
      'CMDLET_HANDLERS of server/sandbox/cmdlets/index.ts (actual) vs CMDLETS in src/runbook/core/cmdlets.ts (expected)',
    );
  });
  it(`the stand-in module (${STAND_IN}) exports exactly CMDLETS after Connect-ExchangeOnline`, () => {
    const exported = quotedList(read(STAND_IN), 'Export-ModuleMember -Function @(');
    assert.deepEqual(
      exported.sort(),
      [...CMDLETS].sort(),
      `${STAND_IN} Export-ModuleMember (actual) vs CMDLETS in src/runbook/core/cmdlets.ts (expected)`,
    );
  });
});

describe('each guide against its page', () => {
  for (const guide of GUIDES) {
    const page = `guides/${guide.slug}.mdx`;
    it(`${guide.slug}: the RunStep components of src/content/docs/${page} are guide.steps, in the same order`, () => {
      const onPage = [...readDoc(page).matchAll(/<RunStep id="([a-z-]+)"/g)].map((m) => m[1]!);
      assert.deepEqual(
        onPage,
        guide.steps.map((s) => s.id),
        `RunStep ids in src/content/docs/${page} (actual) vs steps of src/runbook/guides/${guide.slug}/guide.ts (expected)`,
      );
    });
    it(`${guide.slug}: the page's checklist follows its own steps, and the guide has test flows`, () => {
      assert.match(
        readDoc(page),
        new RegExp(`<StepChecklist guide="${guide.slug}"`),
        `src/content/docs/${page} has no checklist for ${guide.slug}`,
      );
      const ids = guide.steps.map((s) => s.id);
      const checklist = (guide.checklist ?? guide.steps).map((s) => s.id);
      assert.deepEqual(
        checklist,
        ids.filter((id) => checklist.includes(id)),
        `checklist of ${guide.slug}/guide.ts vs its steps: not a subset in page order`,
      );
      assert.ok(
        existsSync(path.join(ROOT, 'test', 'flows', `${guide.slug}.ts`)),
        `test/flows/${guide.slug}.ts is missing`,
      );
    });
  }
  it('no step belongs to two guides, and every step belongs to one', () => {
    assert.deepEqual(
      GUIDES.flatMap((g) => g.steps.map((s) => s.id)),
      [...STEP_IDS],
    );
    assert.equal(new Set(STEP_IDS).size, STEP_IDS.length, `duplicate step ids: ${STEP_IDS.join(', ')}`);
  });
});
