/**
 * The companion's real parts: the step catalog, the executor chosen by RUNBOOK_EXECUTOR, the sandbox simulator
 * (its tenants persisted in the run store) and the wait policy that fits the executor.
 */
import type { RunError } from '../src/runbook/api.ts';
import { getStep, STEPS } from '../src/runbook/catalog.ts';
import { StepFailure, toRunError } from '../src/runbook/step-failure.ts';
import type { StepDefinition } from '../src/runbook/types.ts';
import { SANDBOX_WAIT_POLICY, TENANT_WAIT_POLICY } from '../src/runbook/wait-policy.ts';
import type { StepCatalog } from './app.ts';
import type { CompanionParts } from './companion.ts';
import type { Config } from './config.ts';
import { SandboxExecutor } from './executors/sandbox.ts';
import { ExchangeSimulator, sandboxDelaysFromEnv } from './sandbox/simulator.ts';
import { sandboxAdmins } from './sandbox/tenants.ts';

/** A clock shared by the simulator and the steps' waits; tests pass a virtual one so long delays take no time. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** What a step threw, as the run record's error: explained when the catalog knows it. */
export function explainFailure(step: StepDefinition, error: unknown): RunError {
  if (error instanceof StepFailure) return toRunError(step, error);
  const err = error instanceof Error ? error : new Error(String(error));
  return { message: err.message, type: err.name };
}

export const CATALOG: StepCatalog = { get: getStep, list: () => [...STEPS], explain: explainFailure };

/** The parts for `config`; `env` holds the sandbox delays (RUNBOOK_CUSTOMIZATION_DELAY, RUNBOOK_PROPAGATION_DELAY). */
export function defaultParts(config: Config, env: NodeJS.ProcessEnv = process.env, clock?: Clock): CompanionParts {
  let simulator: ExchangeSimulator | undefined;
  const parts: CompanionParts = {
    steps: CATALOG,
    executor(store) {
      simulator = new ExchangeSimulator({
        ...sandboxDelaysFromEnv(env),
        store: { load: (tid) => store.loadSandboxState(tid), save: (tid, json) => store.saveSandboxState(tid, json) },
        ...(clock ? { now: clock.now } : {}),
      });
      if (config.executor === 'powershell') {
        throw new Error('RUNBOOK_EXECUTOR=powershell: the PowerShell executor is not part of this build yet; use RUNBOOK_EXECUTOR=sandbox.');
      }
      return new SandboxExecutor(simulator);
    },
    waitPolicy: config.executor === 'sandbox' ? SANDBOX_WAIT_POLICY : TENANT_WAIT_POLICY,
  };
  if (config.mode === 'sandbox') {
    parts.sandbox = { admins: sandboxAdmins(), reset: (_store, tid) => simulator!.reset(tid) };
  }
  if (clock) {
    parts.now = clock.now;
    parts.sleep = clock.sleep;
  }
  return parts;
}
