/**
 * What the guides' flows (test/flows/<slug>.ts) run against: a harness around one executor, and the sandbox
 * admins. `runGuideFlows` registers every guide's flows by iterating GUIDES, so a new guide's flows run through both
 * executors (test/server/executors/sandbox-flows.test.ts, test/pwsh/scenarios.test.ts) without touching either file;
 * a guide without a flows file fails there. `runOn` runs a step the way the run engine does (server/runs/run-step.ts);
 * it and `probeOn` check the texts a reader would see (no step ids).
 */
import { describe } from 'node:test';
import { GUIDES } from '../../src/runbook/catalog.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { RunError } from '../../src/runbook/api.ts';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { ProbeResult, StepDefinition, StepOutput, WaitPolicy } from '../../src/runbook/core/step.ts';
import { SANDBOX_WAIT_POLICY } from '../../src/runbook/core/wait.ts';
import type { Executor, SessionCredentials } from '../../server/executors/types.ts';
import { runStep } from '../../server/runs/run-step.ts';
import type { FakeClock } from './clock.ts';
import { assertReaderText } from './reader-text.ts';

export interface ScenarioHarness {
  executor: Executor;
  /** The clock the simulator behind the executor reads; `sleep` advances it, so waits are instant. */
  clock: FakeClock;
  /** Puts a sandbox tenant back to its seed state. */
  reset(tid: string): Promise<void> | void;
  /** Turns on a first Enable-OrganizationCustomization that errors yet takes effect (simulator.setBehaviour). */
  firstEnableReportsError(tid: string): Promise<void> | void;
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
/** fabrikam's Entra Global Administrator, who is not an explicit member of Organization Management. */
export const FABRIKAM_GLOBAL_ADMIN = {
  tid: FABRIKAM.tid,
  oid: 'scenario-globaladmin-fabrikam',
  upn: 'globaladmin@fabrikam.onmicrosoft.com',
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
  // Every flow, through every executor, checks what the reader would see of this run (test/support/reader-text.ts).
  for (const line of output) assertReaderText(line.text, `${step.id}'s ${line.kind} line`);
  if (outcome.status === 'succeeded') return { status: 'succeeded', result: outcome.result, output };
  const explanation = outcome.error?.explanation;
  if (explanation) assertReaderText(`${explanation.meaning} ${explanation.action}`, `${step.id}'s explanation`);
  return { status: outcome.status, output, error: outcome.error };
}

/** Probes `step` on `exo` and checks the verdict's wording as a reader would see it. */
export async function probeOn(step: StepDefinition, exo: ExchangeSession, rawParams: unknown): Promise<ProbeResult> {
  const verdict = await step.probe(exo, step.params.parse(rawParams));
  assertReaderText(verdict.reason, `${step.id}'s verdict`);
  return verdict;
}
