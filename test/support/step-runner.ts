/**
 * A minimal run engine for the scenario suite: validates parameters, runs one step on a session with a given clock,
 * and returns what a run record would hold (status, output, result, explained error).
 */
import type { RunError } from '../../src/runbook/api.ts';
import { StepFailure, toRunError } from '../../src/runbook/core/failure.ts';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { StepDefinition, StepOutput, WaitPolicy } from '../../src/runbook/core/step.ts';
import { SANDBOX_WAIT_POLICY } from '../../src/runbook/core/wait.ts';

export interface Clock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface StepRun {
  status: 'succeeded' | 'failed';
  result?: unknown;
  output: StepOutput[];
  error?: RunError;
}

/** Runs `step` with `rawParams` on `exo`; a StepFailure becomes a failed run, anything else is thrown. */
export async function runStep(
  step: StepDefinition,
  exo: ExchangeSession,
  rawParams: unknown,
  clock: Clock,
  waitPolicy: WaitPolicy = SANDBOX_WAIT_POLICY,
): Promise<StepRun> {
  const params = step.params.parse(rawParams);
  const output: StepOutput[] = [];
  const ctx = {
    exo,
    emit: (kind: StepOutput['kind'], text: string, data?: unknown) =>
      void output.push({ at: new Date(clock.now()).toISOString(), kind, text, ...(data === undefined ? {} : { data }) }),
    sleep: clock.sleep,
    now: clock.now,
    signal: new AbortController().signal,
    waitPolicy,
  };
  try {
    return { status: 'succeeded', result: await step.run(ctx, params), output };
  } catch (err) {
    if (err instanceof StepFailure) return { status: 'failed', output, error: toRunError(step, err) };
    throw err;
  }
}
