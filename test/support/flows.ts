/**
 * What the guides' flows (test/flows/<slug>.ts) run against: a harness around one executor, and the two sandbox
 * admins. `runGuideFlows` registers every guide's flows by iterating GUIDES, so a new guide's flows run through both
 * executors (test/server/executors/sandbox-flows.test.ts, test/pwsh/scenarios.test.ts) without touching either file;
 * a guide without a flows file fails there. `runOn` runs a step the way the run engine does (server/runs/run-step.ts).
 */
import { describe } from 'node:test';
import { GUIDES } from '../../src/runbook/catalog.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { RunError } from '../../src/runbook/api.ts';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { StepDefinition, StepOutput, WaitPolicy } from '../../src/runbook/core/step.ts';
import { SANDBOX_WAIT_POLICY } from '../../src/runbook/core/wait.ts';
import type { Executor, SessionCredentials } from '../../server/executors/types.ts';
import { runStep } from '../../server/runs/run-step.ts';
import type { FakeClock } from './clock.ts';

export interface ScenarioHarness {
  executor: Executor;
  /** The clock the simulator behind the executor reads; `sleep` advances it, so waits are instant. */
  clock: FakeClock;
  /** Puts a sandbox tenant back to its seed state. */
  reset(tid: string): Promise<void> | void;
  /** Credentials for an admin's session (e.g. with an Exchange token); defaults to `{ actor }`. */
  credentials?(actor: Actor): SessionCredentials;
  close?(): Promise<void>;
}

/** What a flows file exports by default: registers its scenarios against the executor `makeHarness` builds. */
export type GuideFlows = (makeHarness: () => Promise<ScenarioHarness>) => void;

export const CONTOSO = {
  tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001',
  oid: 'scenario-admin-contoso',
  upn: 'admin@contoso.onmicrosoft.com',
};
export const FABRIKAM = {
  tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002',
  oid: 'scenario-admin-fabrikam',
  upn: 'admin@fabrikam.onmicrosoft.com',
};

/** Registers the flows of every guide in GUIDES, each in its own suite named after the guide and `through`. */
export async function runGuideFlows(
  through: string,
  makeHarness: () => Promise<ScenarioHarness>,
  options: { skip?: boolean | string } = {},
): Promise<void> {
  for (const guide of GUIDES) {
    const flows = ((await import(`../flows/${guide.slug}.ts`)) as { default: GuideFlows }).default;
    describe(`${guide.title}: flows through ${through}`, options, () => flows(makeHarness));
  }
}

/** What a run record would hold: how it ended, its output, and its result or explained error. */
export interface StepRun {
  status: 'succeeded' | 'failed' | 'unknown';
  result?: unknown;
  output: StepOutput[];
  error?: RunError;
}

/** Runs `step` with `rawParams` (validated first) on `exo`, in the engine's context on `clock`. */
export async function runOn(
  step: StepDefinition,
  exo: ExchangeSession,
  rawParams: unknown,
  clock: FakeClock,
  waitPolicy: WaitPolicy = SANDBOX_WAIT_POLICY,
): Promise<StepRun> {
  const output: StepOutput[] = [];
  const emit = (kind: StepOutput['kind'], text: string, data?: unknown) =>
    void output.push({ at: new Date(clock.now()).toISOString(), kind, text, ...(data === undefined ? {} : { data }) });
  const params = step.params.parse(rawParams) as Record<string, unknown>;
  const signal = new AbortController().signal;
  const outcome = await runStep(step, params, { exo, emit, now: clock.now, sleep: clock.sleep, signal, waitPolicy });
  if (outcome.status === 'succeeded') return { status: 'succeeded', result: outcome.result, output };
  return { status: outcome.status, output, error: outcome.error };
}
