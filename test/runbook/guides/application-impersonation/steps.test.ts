/**
 * Step behaviour the seed flow does not reach: waits that run out, verification that does not hold, and probes of
 * unusual states. Runs the steps on the simulator with a fake clock.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStep } from '../../../../src/runbook/catalog.ts';
import { impersonationLink } from '../../../../src/runbook/guides/application-impersonation/sections.ts';
import type { CmdletCall, ExchangeSession } from '../../../../src/runbook/core/cmdlets.ts';
import { ExchangeSimulator } from '../../../../server/sandbox/simulator.ts';
import { FakeClock } from '../../../support/clock.ts';
import { runOn } from '../../../support/flows.ts';

const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const FABRIKAM = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';
const group = { name: 'EWS Application Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'] };

/** A simulator on a fake clock and a session on it for `tid`. */
function setup(tid: string, delays: { customizationDelayMs: number; propagationDelayMs: number }) {
  const clock = new FakeClock();
  const sim = new ExchangeSimulator({ now: clock.now, ...delays });
  const exo: ExchangeSession = { invoke: (call: CmdletCall) => sim.invoke(tid, call) };
  return { clock, exo };
}

describe('check-dehydrated', () => {
  it('gives up after the policy bound with an explanation when customization never happens', async () => {
    const { clock, exo } = setup(CONTOSO, { customizationDelayMs: 45_000, propagationDelayMs: 20_000 });
    const started = clock.now();
    const r = await runOn(getStep('check-dehydrated')!, exo, {}, clock);
    assert.equal(r.status, 'failed');
    assert.equal(clock.now() - started, 120_000, 'waited exactly the sandbox bound');
    assert.deepEqual(r.error && [r.error.type, r.error.message, r.error.known], [
      'Runbook.CustomizationWaitTimedOut',
      'IsDehydrated still read True after 2 min of checking.',
      'customization-wait-timed-out',
    ]);
    assert.match(r.error!.explanation!.action, /run “Enable organization customization”/);
  });
});

describe('create-role-group', () => {
  it('fails with the propagation explanation when writes stay refused past the bound', async () => {
    const { clock, exo } = setup(CONTOSO, { customizationDelayMs: 0, propagationDelayMs: 10 * 60_000 });
    await exo.invoke({ cmdlet: 'Enable-OrganizationCustomization', params: {} });
    const r = await runOn(getStep('create-role-group')!, exo, group, clock);
    assert.equal(r.status, 'failed');
    assert.equal(r.error!.known, 'customization-propagating');
    assert.match(r.error!.message, /^The command you tried to run isn't currently allowed in your organization\./);
    assert.ok(r.output.filter((o) => o.kind === 'wait').length >= 5);
  });

  it('blocks when a group of that name exists without the role', async () => {
    const { exo } = setup(FABRIKAM, { customizationDelayMs: 0, propagationDelayMs: 0 });
    await exo.invoke({ cmdlet: 'New-RoleGroup', params: { Name: 'Pre' } });
    const step = getStep('create-role-group')!;
    assert.deepEqual(
      await step.probe(exo, step.params.parse({ name: 'Pre', members: ['svc-ews@fabrikam.onmicrosoft.com'] })),
      {
        state: 'blocked',
        reason:
          'A role group named "Pre" exists without ApplicationImpersonation: choose another name, or remove that group first.',
        guide: impersonationLink('errorAlreadyExists'),
      },
    );
  });

  it('fails verification when a requested member is not in the group afterwards', async () => {
    const { clock, exo } = setup(CONTOSO, { customizationDelayMs: 0, propagationDelayMs: 0 });
    await exo.invoke({ cmdlet: 'Enable-OrganizationCustomization', params: {} });
    // A session on which Get-RoleGroupMember comes back empty: the step must notice, not trust New-RoleGroup.
    const forgetful: ExchangeSession = {
      invoke: (call) =>
        call.cmdlet === 'Get-RoleGroupMember' ? Promise.resolve({ ok: true, data: null }) : exo.invoke(call),
    };
    const r = await runOn(getStep('create-role-group')!, forgetful, group, clock);
    assert.equal(r.status, 'failed');
    assert.equal(r.error!.type, 'Runbook.VerificationFailed');
    assert.match(r.error!.message, /does not list svc-ews@contoso\.onmicrosoft\.com/);
  });

  it('accepts one member returned as a single object (PowerShell unrolls one-element lists)', async () => {
    const { clock, exo } = setup(CONTOSO, { customizationDelayMs: 0, propagationDelayMs: 0 });
    await exo.invoke({ cmdlet: 'Enable-OrganizationCustomization', params: {} });
    const unrolling: ExchangeSession = {
      async invoke(call) {
        const r = await exo.invoke(call);
        return r.ok && Array.isArray(r.data) && r.data.length === 1 ? { ok: true, data: r.data[0] } : r;
      },
    };
    const r = await runOn(getStep('create-role-group')!, unrolling, group, clock);
    assert.equal(r.status, 'succeeded', JSON.stringify(r.error));
  });
});
