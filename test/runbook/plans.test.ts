/**
 * A step runs what it shows: every step of every guide, run on the sandbox, (1) echoes every call it makes as a
 * 'command' line of its output (which the run record and the transcript keep), and (2) makes the calls of its plan,
 * which is what the preview renders, in the plan's order: a `$sp = ...` output feeds the later `$sp.ObjectId`, a
 * `foreach` becomes one call per object.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getStep, STEP_IDS } from '../../src/runbook/catalog.ts';
import type { Actor, CmdletCall, CmdletResult, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import { renderCall } from '../../src/runbook/core/preview.ts';
import { expandCall, type PlanOutputs } from '../../src/runbook/core/session.ts';
import { SandboxExecutor } from '../../server/executors/sandbox.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import { FABRIKAM_ARCHIVER, FABRIKAM_PREPOPULATED_EWS_APPS } from '../../server/sandbox/tenants/fabrikam.ts';
import { FakeClock } from '../support/clock.ts';
import { CONTOSO, FABRIKAM, runOn, type StepRun } from '../support/flows.ts';

const GROUP = { name: 'EWS Application Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'] };
const APP = FABRIKAM_ARCHIVER.appId;
const SCOPE = { name: 'EWS-Archive mailboxes', filter: "CustomAttribute1 -eq 'EWS-Archive'" };
const ASSIGN = { app: APP, role: 'Application Mail.Read', scope: SCOPE.name };
const EWS_LIST = FABRIKAM_PREPOPULATED_EWS_APPS.map((a) => a.appId);

/** Every step in an order in which each one succeeds, on the tenant where it belongs. */
const SCRIPT: Array<[Actor, string, Record<string, unknown>]> = [
  [CONTOSO, 'check-impersonation-role', {}],
  [CONTOSO, 'enable-customization', {}],
  [CONTOSO, 'check-dehydrated', {}],
  [CONTOSO, 'create-role-group', GROUP],
  [CONTOSO, 'find-impersonation-assignments', {}],
  [CONTOSO, 'remove-role-group', { name: GROUP.name }],
  [FABRIKAM, 'find-impersonation-assignments', {}],
  [
    FABRIKAM,
    'create-service-principal',
    { appId: APP, objectId: FABRIKAM_ARCHIVER.servicePrincipalObjectId, displayName: FABRIKAM_ARCHIVER.displayName },
  ],
  [FABRIKAM, 'create-management-scope', SCOPE],
  [FABRIKAM, 'assign-application-role', ASSIGN],
  [FABRIKAM, 'test-app-authorization', { app: APP }],
  [FABRIKAM, 'test-app-authorization', { app: APP, resource: 'diego.siciliani@fabrikam.onmicrosoft.com' }],
  [FABRIKAM, 'remove-application-role-assignment', { name: 'Application Mail.Read-3f6a2c1e-EWS-Archive mailboxes' }],
  [FABRIKAM, 'remove-management-scope', { name: SCOPE.name }],
  [FABRIKAM, 'remove-service-principal', { app: APP }],
  [FABRIKAM, 'read-ews-policy', { app: APP }],
  [FABRIKAM, 'allow-ews-application', { app: APP, current: EWS_LIST, confirm: true }],
  [FABRIKAM, 'check-ews-mailboxes', { mailboxes: ['diego.siciliani@fabrikam.onmicrosoft.com'] }],
  [FABRIKAM, 'check-ews-mailboxes', {}],
  [FABRIKAM, 'remove-ews-application', { app: APP, current: [...EWS_LIST, APP], confirm: true }],
];

interface Recorded {
  call: CmdletCall;
  result: CmdletResult;
}

/** Wraps a session so every call it receives, and the answer, is recorded. */
function recording(exo: ExchangeSession, log: Recorded[]): ExchangeSession {
  return {
    ...(exo.upn === undefined ? {} : { upn: exo.upn }),
    async invoke(call) {
      const result = await exo.invoke(call);
      log.push({ call, result });
      return result;
    },
  };
}

/** Two calls are the same when cmdlet and parameters (names and values) are. */
function same(a: CmdletCall, b: CmdletCall): boolean {
  return a.cmdlet === b.cmdlet && JSON.stringify(a.params) === JSON.stringify(b.params);
}

describe('every step runs what its preview shows, and shows every call it runs', () => {
  const runs: Array<{ id: string; params: Record<string, unknown>; run: StepRun; log: Recorded[] }> = [];

  before(async () => {
    const clock = new FakeClock();
    const executor = new SandboxExecutor(
      new ExchangeSimulator({
        now: clock.now,
        customizationDelayMs: 45_000,
        propagationDelayMs: 20_000,
        delegationDelayMs: 30_000,
      }),
    );
    for (const [actor, id, params] of SCRIPT) {
      const log: Recorded[] = [];
      const exo = recording(await executor.session({ actor }), log);
      runs.push({ id, params, run: await runOn(getStep(id)!, exo, params, clock), log });
    }
  });

  it('covers every step of every guide, each succeeding', () => {
    assert.deepEqual([...new Set(runs.map((r) => r.id))].sort(), [...STEP_IDS].sort());
    for (const r of runs) assert.equal(r.run.status, 'succeeded', `${r.id}: ${JSON.stringify(r.run.error)}`);
  });

  it('echoes every call a run makes as a command line, in order, and no other', () => {
    for (const r of runs) {
      const commands = r.run.output.filter((o) => o.kind === 'command').map((o) => o.text);
      assert.deepEqual(
        commands,
        r.log.map((entry) => renderCall(entry.call)),
        r.id,
      );
    }
  });

  it("makes the plan's calls, in the plan's order, with the plan's outputs resolved", () => {
    for (const r of runs) {
      const step = getStep(r.id)!;
      const plan = step.plan(step.params.parse(r.params));
      const outputs: PlanOutputs = {};
      let at = 0;
      for (const planned of plan) {
        for (const expected of expandCall(planned, outputs)) {
          const found = r.log.findIndex((entry, i) => i >= at && same(entry.call, expected));
          assert.ok(
            found >= 0,
            `${r.id} never ran ${renderCall(expected)} (in order); it ran:\n${r.log.map((e) => renderCall(e.call)).join('\n')}`,
          );
          at = found + 1;
          if (planned.saveAs && r.log[found]!.result.ok)
            outputs[planned.saveAs] = (r.log[found]!.result as { data: unknown }).data;
        }
      }
    }
  });

  it('renders references and loops in the preview as PowerShell a reader can paste', () => {
    const assign = getStep('assign-application-role')!;
    assert.match(
      assign.plan(assign.params.parse(ASSIGN)).map(renderCall).join('\n'),
      /^\$sp = Get-ServicePrincipal -Identity '3f6a2c1e-[^']+'\nNew-ManagementRoleAssignment -Name '[^']+' -App \$sp\.ObjectId -Role 'Application Mail\.Read' -CustomResourceScope 'EWS-Archive mailboxes'$/,
    );
    const test = getStep('test-app-authorization')!;
    assert.equal(
      test
        .plan(test.params.parse({ app: APP }))
        .map(renderCall)
        .join('\n'),
      `$mailboxes = Get-Mailbox -ResultSize 50\nforeach ($mailbox in $mailboxes) { Test-ServicePrincipalAuthorization -Identity '${APP}' -Resource $mailbox.PrimarySmtpAddress }`,
    );
  });
});
