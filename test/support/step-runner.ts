/**
 * A minimal run engine for the scenario suite: validates parameters, runs one step on a session with a given clock,
 * and returns what a run record would hold (status, output, result, explained error); and probes. Both check the
 * texts a reader would see (no step ids, test/support/reader-text.ts).
 */
import type { RunError } from '../../src/runbook/api.ts';
import { StepFailure, toRunError } from '../../src/runbook/core/failure.ts';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { ProbeResult, StepDefinition, StepOutput, WaitPolicy } from '../../src/runbook/core/step.ts';
import { assertReaderText } from './reader-text.ts';
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
  let run: StepRun;
  try {
    run = { status: 'succeeded', result: await step.run(ctx, params), output };
  } catch (err) {
    if (!(err instanceof StepFailure)) throw err;
    run = { status: 'failed', output, error: toRunError(step, err) };
  }
  // Every flow, through every executor, checks what the reader would see of this run.
  for (const line of output) assertReaderText(line.text, `${step.id}'s ${line.kind} line`);
  const explanation = run.error?.explanation;
  if (explanation) assertReaderText(`${explanation.meaning} ${explanation.action}`, `${step.id}'s explanation`);
  return run;
}

/** Probes `step` on `exo` and checks the verdict's wording as a reader would see it. */
export async function probeStep(step: StepDefinition, exo: ExchangeSession, rawParams: unknown): Promise<ProbeResult> {
  const verdict = await step.probe(exo, step.params.parse(rawParams));
  assertReaderText(verdict.reason, `${step.id}'s verdict`);
  return verdict;
}
