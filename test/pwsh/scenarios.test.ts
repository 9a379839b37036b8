/**
 * Every guide's flows (test/flows/<slug>.ts) through the PowerShell executor: real pwsh, the helper module, the
 * stand-in ExchangeOnlineManagement and the bridge to the same simulator the sandbox executor uses. Passing here and
 * in test/server/executors/sandbox-flows.test.ts means both executors give the same results.
 */
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import { FakeClock } from '../support/clock.ts';
import { runGuideFlows, type ScenarioHarness } from '../support/flows.ts';
import { exchangeToken, skipWithoutPwsh, startRig } from '../support/pwsh-rig.ts';

/** A simulator on a fake clock behind the bridge, and a PowerShell executor whose pwsh loads the stand-in module. */
async function pwshHarness(): Promise<ScenarioHarness> {
  const clock = new FakeClock();
  const simulator = new ExchangeSimulator({ now: clock.now, customizationDelayMs: 45_000, propagationDelayMs: 20_000, delegationDelayMs: 30_000 });
  const rig = await startRig((tid, call) => simulator.invoke(tid, call));
  // One token per admin, as a signed-in browser would send until it refreshes.
  const tokens = new Map<string, string>();
  const credentials = (actor: Actor) => {
    if (!tokens.has(actor.oid)) tokens.set(actor.oid, exchangeToken(actor.tid));
    return { actor, exchangeToken: tokens.get(actor.oid)! };
  };
  return { executor: rig.executor, clock, reset: (tid) => simulator.reset(tid), credentials, close: () => rig.close() };
}

await runGuideFlows('real pwsh', pwshHarness, { skip: skipWithoutPwsh });
