/**
 * Every guide's flows (test/flows/<slug>.ts) through the PowerShell executor: real pwsh, the helper module, the
 * stand-in ExchangeOnlineManagement and the bridge to the same simulator the sandbox executor uses. Passing here and
 * in test/server/executors/sandbox-flows.test.ts means both executors give the same results. Each guide's flows run
 * with the stand-in writing Exchange's errors in each of the module's two shapes (`Ex<code>|<type>|<text>`,
 * `||<text>`).
 */
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import { FakeClock } from '../support/clock.ts';
import { runGuideFlows, type ScenarioHarness } from '../support/flows.ts';
import { ERROR_SHAPES, exchangeToken, skipWithoutPwsh, startRig, type ErrorShape } from '../support/pwsh-rig.ts';

/** A simulator on a fake clock behind the bridge, and a PowerShell executor whose pwsh loads the stand-in module. */
async function pwshHarness(shape: ErrorShape): Promise<ScenarioHarness> {
  const clock = new FakeClock();
  const simulator = new ExchangeSimulator({
    now: clock.now,
    customizationDelayMs: 45_000,
    propagationDelayMs: 20_000,
    delegationDelayMs: 30_000,
  });
  const rig = await startRig((tid, call, caller) => simulator.invoke(tid, call, caller), {
    env: { RUNBOOK_STANDIN_ERROR_SHAPE: shape },
  });
  // One token per admin, as a signed-in browser would send until it refreshes.
  const tokens = new Map<string, string>();
  const credentials = (actor: Actor) => {
    if (!tokens.has(actor.oid)) tokens.set(actor.oid, exchangeToken(actor));
    return { actor, exchangeToken: tokens.get(actor.oid)! };
  };
  return {
    executor: rig.executor,
    clock,
    reset: (tid) => simulator.reset(tid),
    credentials,
    close: () => rig.close(),
    firstEnableReportsError: (tid) => simulator.setBehaviour(tid, { firstEnableReportsError: true }),
  };
}

for (const shape of ERROR_SHAPES) {
  await runGuideFlows(`real pwsh, errors in the ${shape} shape`, () => pwshHarness(shape), { skip: skipWithoutPwsh });
}
