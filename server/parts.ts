/**
 * The companion's real parts: the step catalog, the executor chosen by RUNBOOK_EXECUTOR, the sandbox simulator
 * (its tenants persisted in the run store) and the wait policy that fits the executor.
 */
import type { RunError } from '../src/runbook/api.ts';
import { getStep, STEPS } from '../src/runbook/catalog.ts';
import { StepFailure, toRunError } from '../src/runbook/core/failure.ts';
import type { StepDefinition } from '../src/runbook/core/step.ts';
import { SANDBOX_WAIT_POLICY, TENANT_WAIT_POLICY } from '../src/runbook/core/wait.ts';
import type { StepCatalog } from './app.ts';
import { EXCHANGE_AUDIENCE, EXCHANGE_SCOPE, type SandboxIssuer } from './auth/sandbox-issuer.ts';
import { createVerifier } from './auth/verifier.ts';
import type { CompanionParts } from './companion.ts';
import type { Config } from './config.ts';
import { createPowerShellExecutor, powerShellOptionsFromEnv, type PowerShellExecutorOptions } from './executors/powershell.ts';
import { SandboxExecutor } from './executors/sandbox.ts';
import type { Executor } from './executors/types.ts';
import { startExoBridge } from './sandbox/exo-bridge.ts';
import { ExchangeSimulator, sandboxDelaysFromEnv } from './sandbox/simulator.ts';
import { sandboxAdmins } from './sandbox/tenants/index.ts';

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

/**
 * Sandbox mode with RUNBOOK_EXECUTOR=powershell, the rehearsal: real pwsh with the stand-in Exchange module, whose
 * cmdlets reach the same simulator through the bridge, which accepts only Exchange tokens the sandbox signed.
 */
async function rehearsalExecutor(simulator: ExchangeSimulator, issuer: SandboxIssuer, options: PowerShellExecutorOptions): Promise<Executor> {
  const verifyExchange = createVerifier({
    ...issuer.verifierOptions(sandboxAdmins().map((a) => a.tid)),
    audience: EXCHANGE_AUDIENCE,
    requiredScope: EXCHANGE_SCOPE,
  });
  const bridge = await startExoBridge({
    invoke: (tid, call) => simulator.invoke(tid, call),
    verifyExchangeToken: async (token) => ({ tid: (await verifyExchange(token)).tid }),
  });
  const executor = createPowerShellExecutor({ ...options, env: { ...options.env, ...bridge.env } });
  return {
    name: executor.name,
    session: (creds) => executor.session(creds),
    warm: (creds) => executor.warm(creds),
    end: (actor) => executor.end(actor),
    async close() {
      await executor.close();
      await bridge.close();
    },
  };
}

/** The parts for `config`; `env` holds the sandbox delays (RUNBOOK_CUSTOMIZATION_DELAY, _PROPAGATION_DELAY, _DELEGATION_DELAY). */
export function defaultParts(config: Config, env: NodeJS.ProcessEnv = process.env, clock?: Clock): CompanionParts {
  let simulator: ExchangeSimulator | undefined;
  const parts: CompanionParts = {
    steps: CATALOG,
    async executor(store, sandboxIssuer) {
      simulator = new ExchangeSimulator({
        ...sandboxDelaysFromEnv(env),
        store: { load: (tid) => store.loadSandboxState(tid), save: (tid, json) => store.saveSandboxState(tid, json) },
        ...(clock ? { now: clock.now } : {}),
      });
      if (config.executor === 'sandbox') return new SandboxExecutor(simulator);
      const options = powerShellOptionsFromEnv(env);
      if (!sandboxIssuer) return createPowerShellExecutor(options);
      return rehearsalExecutor(simulator, sandboxIssuer, options);
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
