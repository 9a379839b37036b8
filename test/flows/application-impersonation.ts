/**
 * The ApplicationImpersonation guide's flows, driven through an Executor (not HTTP), for any executor: the sandbox one
 * (test/server/executors/sandbox-flows.test.ts) and the PowerShell one (real pwsh + stand-in module,
 * test/pwsh/scenarios.test.ts) run the same suite; both find it through GUIDES (test/support/flows.ts).
 *   contoso: create fails (dehydrated) -> enable -> enable again (already enabled = success) -> wait for
 *            IsDehydrated False -> create (retrying through propagation) -> duplicate fails -> remove.
 *   fabrikam: the role is gone: check blocked, create fails with Exchange's not-found error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getStep } from '../../src/runbook/catalog.ts';
import { impersonationLink } from '../../src/runbook/guides/application-impersonation/sections.ts';
import type { RunError } from '../../src/runbook/api.ts';
import type { Actor, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { StepId } from '../../src/runbook/core/step.ts';
import { CONTOSO, FABRIKAM, probeOn, runOn, type ScenarioHarness, type StepRun } from '../support/flows.ts';
import type { WaitData } from '../../src/runbook/core/wait.ts';

export const DEHYDRATED_TEXT =
  "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.";
export const ALREADY_ENABLED_TEXT =
  'This operation is not required. Organization is already enabled for customization.';
const ROLE_NOT_FOUND =
  /^The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on '[^']+'\.$/;
/** A role group name full of PowerShell metacharacters that must survive both executors verbatim. */
export const NASTY_NAME = `Imp'ers"on $(Get-Date) \`n; ’x #next`;

/** Registers this guide's scenarios against the executor `makeHarness` builds. */
export default function applicationImpersonationFlows(makeHarness: () => Promise<ScenarioHarness>): void {
  let h: ScenarioHarness;
  const sessionOf = (actor: Actor): Promise<ExchangeSession> => h.executor.session(h.credentials?.(actor) ?? { actor });
  /** Runs step `id` as `actor`. */
  const run = async (actor: Actor, id: StepId, params: unknown = {}): Promise<StepRun> =>
    runOn(getStep(id)!, await sessionOf(actor), params, h.clock);
  /** Probes step `id` as `actor`. */
  const probe = async (actor: Actor, id: StepId, params: unknown = {}) => {
    return probeOn(getStep(id)!, await sessionOf(actor), params);
  };
  /** Asserts a failed run with exactly `message` (or matching it) explained by known error `known`. */
  const assertFailed = (r: StepRun, message: string | RegExp, known: string): RunError => {
    assert.equal(r.status, 'failed', `expected failure, got ${JSON.stringify(r.result)}`);
    if (typeof message === 'string') assert.equal(r.error!.message, message);
    else assert.match(r.error!.message, message);
    assert.equal(r.error!.known, known);
    assert.ok(
      r.error!.explanation?.meaning && r.error!.explanation.action && r.error!.guide,
      'explained, with a guide link',
    );
    return r.error!;
  };
  const members = ['svc-ews@contoso.onmicrosoft.com'];
  const group = { name: 'EWS Application Impersonation', members };

  before(async () => {
    h = await makeHarness();
    await h.reset(CONTOSO.tid);
    await h.reset(FABRIKAM.tid);
  });
  after(async () => h.close?.());

  describe('contoso (as in 2023): the whole seed flow', () => {
    it('finds ApplicationImpersonation', async () => {
      assert.equal((await probe(CONTOSO, 'check-impersonation-role')).state, 'done');
      assert.equal((await run(CONTOSO, 'check-impersonation-role')).status, 'succeeded');
    });

    it('blocks and then fails the role group with the exact dehydrated error', async () => {
      const verdict = await probe(CONTOSO, 'create-role-group', group);
      assert.equal(verdict.state, 'blocked');
      assert.match(
        verdict.reason,
        /run “Enable organization customization”, then “Wait until IsDehydrated reads False”/,
      );
      const error = assertFailed(
        await run(CONTOSO, 'create-role-group', group),
        DEHYDRATED_TEXT,
        'organization-not-customized',
      );
      assert.equal(error.guide, impersonationLink('errorNotAllowed'));
    });

    it('enables customization, and a second run counts as success with the explanation', async () => {
      assert.equal((await probe(CONTOSO, 'enable-customization')).state, 'needed');
      const first = await run(CONTOSO, 'enable-customization');
      assert.equal(first.status, 'succeeded');
      assert.deepEqual(first.result, { alreadyEnabled: false });
      const second = await run(CONTOSO, 'enable-customization');
      assert.equal(second.status, 'succeeded');
      assert.deepEqual(second.result, { alreadyEnabled: true });
      // Exchange's words on a line of their own, the runbook's reading of them on the next.
      assert.deepEqual(
        second.output.map((o) => o.kind),
        ['command', 'error', 'result'],
      );
      assert.equal(second.output[1]!.text, ALREADY_ENABLED_TEXT);
      assert.match(second.output[2]!.text, /Nothing to do/);
      assert.ok(!second.output[2]!.text.includes(ALREADY_ENABLED_TEXT));
    });

    it('waits with backoff until IsDehydrated reads False', async () => {
      assert.equal((await probe(CONTOSO, 'check-dehydrated')).state, 'needed');
      const started = h.clock.now();
      const r = await run(CONTOSO, 'check-dehydrated');
      assert.equal(r.status, 'succeeded');
      const waits = r.output.filter((o) => o.kind === 'wait').map((o) => o.data as WaitData);
      assert.ok(waits.length >= 2, `waited ${waits.length} times`);
      waits.forEach((w, i) => {
        assert.equal(w.attempt, i + 1);
        assert.equal(w.waitingFor, 'IsDehydrated to read False');
        assert.ok(Date.parse(w.nextCheckAt) > started && w.elapsedMs >= 0);
      });
      assert.ok(waits.at(-1)!.elapsedMs > waits[0]!.elapsedMs, 'elapsed time grows');
      assert.equal((await probe(CONTOSO, 'check-dehydrated')).state, 'done');
      assert.equal((await probe(CONTOSO, 'create-role-group', group)).state, 'needed');
    });

    it('creates the role group, retrying while customization propagates, and verifies it', async () => {
      const r = await run(CONTOSO, 'create-role-group', group);
      assert.equal(r.status, 'succeeded', JSON.stringify(r.error));
      const waits = r.output.filter((o) => o.kind === 'wait').map((o) => o.data as WaitData);
      assert.ok(waits.length >= 1, 'writes were still refused right after IsDehydrated turned False');
      assert.equal(waits[0]!.reason, 'IsDehydrated reads False, but Exchange still refuses to create the role group');
      // Each refusal is shown in Exchange's words, and the extra check it triggers says why it runs.
      const refused = r.output.findIndex((o) => o.kind === 'error');
      assert.equal(r.output[refused]!.text, DEHYDRATED_TEXT);
      assert.equal(r.output[refused - 1]!.text.startsWith('New-RoleGroup'), true);
      assert.match(r.output[refused + 1]!.text, /^Reading IsDehydrated, to tell/);
      assert.equal(r.output[refused + 2]!.text, 'Get-OrganizationConfig | Format-List IsDehydrated');
      assert.deepEqual(r.result, { name: group.name, roles: ['ApplicationImpersonation'], members });
      assert.ok(
        r.output.some((o) => o.kind === 'command' && o.text.startsWith('Get-RoleGroupMember')),
        'verified the members',
      );
      assert.deepEqual(await probe(CONTOSO, 'create-role-group', group), {
        state: 'done',
        reason:
          'A role group named "EWS Application Impersonation" exists with ApplicationImpersonation (members: svc-ews).',
      });
    });

    it('refuses a duplicate name, whatever its case', async () => {
      const r = await run(CONTOSO, 'create-role-group', { ...group, name: group.name.toUpperCase() });
      // Exchange Online puts "Active Directory operation failed on <DC>." first; the text is found inside the message.
      assertFailed(
        r,
        /^Active Directory operation failed on [\w.]+\. The object 'CN=EWS APPLICATION IMPERSONATION,OU=contoso\.onmicrosoft\.com,.+' already exists\.$/,
        'role-group-exists',
      );
    });

    it('refuses an unknown member with the exact Exchange text', async () => {
      const r = await run(CONTOSO, 'create-role-group', {
        name: 'Other group',
        members: ['nobody@contoso.onmicrosoft.com'],
      });
      assertFailed(
        r,
        'Couldn\'t find object "nobody@contoso.onmicrosoft.com". Please make sure that it was spelled correctly or specify a different object.',
        'member-not-found',
      );
    });

    it('keeps a name full of PowerShell metacharacters verbatim', async () => {
      const created = await run(CONTOSO, 'create-role-group', {
        name: NASTY_NAME,
        members,
        description: '$(whoami); `"\'',
      });
      assert.equal(created.status, 'succeeded', JSON.stringify(created.error));
      assert.equal((created.result as { name: string }).name, NASTY_NAME);
      assert.equal((await probe(CONTOSO, 'remove-role-group', { name: NASTY_NAME })).state, 'needed');
      assert.equal((await run(CONTOSO, 'remove-role-group', { name: NASTY_NAME })).status, 'succeeded');
    });

    it('removes the role group (the undo) and then finds it gone', async () => {
      assert.equal((await probe(CONTOSO, 'remove-role-group', { name: group.name })).state, 'needed');
      const r = await run(CONTOSO, 'remove-role-group', { name: group.name });
      assert.equal(r.status, 'succeeded', JSON.stringify(r.error));
      assert.equal((await probe(CONTOSO, 'remove-role-group', { name: group.name })).state, 'done');
      assertFailed(
        await run(CONTOSO, 'remove-role-group', { name: group.name }),
        /^The operation couldn't be performed because object 'EWS Application Impersonation' couldn't be found on '[^']+'\.$/,
        'role-group-not-found',
      );
    });
  });

  describe('contoso with a first Enable-OrganizationCustomization that errors yet takes effect (as reported)', () => {
    it('fails the first run with the text verbatim and the report, then counts the second run\'s "already enabled" as success', async () => {
      await h.reset(CONTOSO.tid);
      await h.firstEnableReportsError(CONTOSO.tid);
      const first = await run(CONTOSO, 'enable-customization');
      const error = assertFailed(
        first,
        /^The sandbox simulates a first Enable-OrganizationCustomization that reports an error/,
        'enable-customization-may-have-taken-effect',
      );
      assert.match(error.explanation!.meaning, /can error and still take effect/);
      const second = await run(CONTOSO, 'enable-customization');
      assert.deepEqual([second.status, second.result], ['succeeded', { alreadyEnabled: true }]);
      assert.equal((await run(CONTOSO, 'check-dehydrated')).status, 'succeeded');
      await h.reset(CONTOSO.tid);
    });
  });

  describe('fabrikam (as in 2026): ApplicationImpersonation is gone', () => {
    const fabrikamGroup = { name: 'EWS Application Impersonation', members: ['svc-ews@fabrikam.onmicrosoft.com'] };

    it('blocks the check with the reason and where to go instead', async () => {
      const verdict = await probe(FABRIKAM, 'check-impersonation-role');
      assert.equal(verdict.state, 'blocked');
      assert.match(verdict.reason, /from Exchange Online from February 2025 \(MC718754\)/);
      assert.equal(verdict.guide, '/guides/rbac-for-applications/');
      // The check answers its question: the role is missing, which is an answer, not a failure.
      const check = await run(FABRIKAM, 'check-impersonation-role');
      assert.equal(check.status, 'succeeded');
      assert.deepEqual(check.result, { exists: false });
      assert.match(check.output.find((o) => o.kind === 'error')!.text, ROLE_NOT_FOUND);
      assert.match(check.output.at(-1)!.text, /^ApplicationImpersonation does not exist in this organization/);
    });

    it('fails the role group the way Exchange reports a missing object', async () => {
      assert.equal((await probe(FABRIKAM, 'create-role-group', fabrikamGroup)).state, 'blocked');
      const error = assertFailed(
        await run(FABRIKAM, 'create-role-group', fabrikamGroup),
        ROLE_NOT_FOUND,
        'impersonation-role-missing',
      );
      assert.equal(error.guide, impersonationLink('errorRoleNotFound'));
    });

    it('is customized already: enable says so and counts as success, no waiting', async () => {
      assert.equal((await probe(FABRIKAM, 'enable-customization')).state, 'done');
      const enable = await run(FABRIKAM, 'enable-customization');
      assert.deepEqual([enable.status, enable.result], ['succeeded', { alreadyEnabled: true }]);
      const check = await run(FABRIKAM, 'check-dehydrated');
      assert.equal(check.status, 'succeeded');
      assert.equal(check.output.filter((o) => o.kind === 'wait').length, 0);
    });
  });
}
