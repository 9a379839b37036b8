/**
 * The scenario suites (test/scenarios/seed-flow.ts, rbac-flow.ts) through the PowerShell executor: real pwsh, the
 * helper module, the stand-in ExchangeOnlineManagement and the bridge to the same simulator the sandbox executor uses.
 * Passing here and in test/server/*-scenarios.test.ts means both executors give the same results. Each suite runs with
 * the stand-in writing Exchange's errors in each of the module's two shapes (`Ex<code>|<type>|<text>` and `||<text>`).
 */
import { describe } from 'node:test';
import type { Actor } from '../../src/runbook/types.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import { FakeClock } from '../scenarios/fake-clock.ts';
import { runRbacScenarios } from '../scenarios/rbac-flow.ts';
import { runScenarios, type ScenarioHarness } from '../scenarios/seed-flow.ts';
import { ERROR_SHAPES, exchangeToken, skipWithoutPwsh, startRig, type ErrorShape } from './support.ts';

/** A simulator on a fake clock behind the bridge, and a PowerShell executor whose pwsh loads the stand-in module. */
async function pwshHarness(shape: ErrorShape): Promise<ScenarioHarness> {
  const clock = new FakeClock();
  const simulator = new ExchangeSimulator({ now: clock.now, customizationDelayMs: 45_000, propagationDelayMs: 20_000, delegationDelayMs: 30_000 });
  const rig = await startRig((tid, call, caller) => simulator.invoke(tid, call, caller), { env: { RUNBOOK_STANDIN_ERROR_SHAPE: shape } });
  // One token per admin, as a signed-in browser would send until it refreshes.
  const tokens = new Map<string, string>();
  const credentials = (actor: Actor) => {
    if (!tokens.has(actor.oid)) tokens.set(actor.oid, exchangeToken(actor.tid));
    return { actor, exchangeToken: tokens.get(actor.oid)! };
  };
  return {
    executor: rig.executor, clock, reset: (tid) => simulator.reset(tid), credentials, close: rig.close,
    firstEnableReportsError: (tid) => simulator.setBehaviour(tid, { firstEnableReportsError: true }),
  };
}

for (const shape of ERROR_SHAPES) {
  describe(`seed flow through real pwsh, errors in the ${shape} shape`, { skip: skipWithoutPwsh }, () => runScenarios(() => pwshHarness(shape)));
  describe(`RBAC for Applications flow through real pwsh, errors in the ${shape} shape`, { skip: skipWithoutPwsh }, () => runRbacScenarios(() => pwshHarness(shape)));
}
