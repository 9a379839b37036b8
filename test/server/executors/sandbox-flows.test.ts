/**
 * Every guide's flows (test/flows/<slug>.ts) against the sandbox executor, on a fake clock with the default demo
 * delays (customization 45 s, propagation 20 s, delegation 30 s), so the waits are real backoff but take no wall time.
 */
import { SandboxExecutor } from '../../../server/executors/sandbox.ts';
import { ExchangeSimulator } from '../../../server/sandbox/simulator.ts';
import { FakeClock } from '../../support/clock.ts';
import { runGuideFlows } from '../../support/flows.ts';

await runGuideFlows('the sandbox executor', async () => {
  const clock = new FakeClock();
  const simulator = new ExchangeSimulator({
    now: clock.now,
    customizationDelayMs: 45_000,
    propagationDelayMs: 20_000,
    delegationDelayMs: 30_000,
  });
  return {
    executor: new SandboxExecutor(simulator),
    clock,
    reset: (tid) => simulator.reset(tid),
    firstEnableReportsError: (tid) => simulator.setBehaviour(tid, { firstEnableReportsError: true }),
  };
});
