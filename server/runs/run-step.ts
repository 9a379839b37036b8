/**
 * Running one step, the one way: the context every step gets (session, output sink, clock, abort signal, wait
 * policy) and how its end reads in the run record. The run engine runs every step through here, and the scenario
 * tests (test/flows) run theirs through here too, so they test the engine's own context.
 */
import type { RunError, RunStatus } from '../../src/runbook/api.ts';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import { StepFailure, toRunError } from '../../src/runbook/core/failure.ts';
import type { StepContext, StepDefinition, StepOutput, WaitPolicy } from '../../src/runbook/core/step.ts';
import { CONNECTION_ERRORS, SESSION_ERRORS } from '../../src/runbook/exchange/connection.ts';
import { CallInterruptedError, ExchangeConnectError } from '../executors/types.ts';
import { INTERRUPTED_CALL_ERROR, INTERRUPTED_ERROR } from './errors.ts';

export interface StepRunOptions {
  exo: ExchangeSession;
  emit: (kind: StepOutput['kind'], text: string, data?: unknown) => void;
  now: () => number;
  /** Sleeps `ms`; rejects when `signal` is aborted. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  signal: AbortSignal;
  /** Aborted when the admin stops waiting: a wait ends between its checks (never mid-cmdlet). */
  waitStopped?: AbortSignal;
  /** Defaults to the real-tenant policy (src/runbook/core/wait.ts). */
  waitPolicy?: WaitPolicy;
  /** The run record's error for what the step threw; `explainFailure` by default. */
  explain?: (step: StepDefinition, error: unknown) => RunError;
}

/** How a run ended: its result, or its status and the record's error. */
export type StepOutcome =
  { status: 'succeeded'; result: unknown } | { status: Exclude<RunStatus, 'running' | 'succeeded'>; error: RunError };

/** What a step threw, as the run record's error: explained when the catalog knows it. */
export function explainFailure(step: StepDefinition, error: unknown): RunError {
  if (error instanceof StepFailure) return toRunError(step, error, SESSION_ERRORS);
  if (error instanceof ExchangeConnectError) {
    // Whatever the module's wording, a refused connect is this error; the token's own claims say what to do, if they
    // can.
    const known = CONNECTION_ERRORS.exchangeTokenRefused;
    const action = error.problems.length > 0 ? error.problems.join(' ') : known.action;
    return {
      message: error.error.message,
      type: error.error.type,
      known: known.id,
      explanation: { meaning: known.meaning, action },
      guide: known.guide,
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { message: err.message, type: err.name };
}

/**
 * How a run that threw `error` ends: `unknown` when it was stopped (shutdown) or its call was cut off, since the
 * change may or may not have been made; otherwise `failed`, explained.
 */
export function failedOutcome(
  step: StepDefinition,
  error: unknown,
  signal: AbortSignal,
  explain = explainFailure,
): StepOutcome {
  if (signal.aborted) return { status: 'unknown', error: INTERRUPTED_ERROR };
  if (error instanceof CallInterruptedError) return { status: 'unknown', error: INTERRUPTED_CALL_ERROR };
  return { status: 'failed', error: explain(step, error) };
}

/** Runs `step` with already validated `params` in the engine's context, and says how it ended. */
export async function runStep(
  step: StepDefinition,
  params: Record<string, unknown>,
  options: StepRunOptions,
): Promise<StepOutcome> {
  const { exo, emit, now, sleep, signal, waitPolicy, waitStopped } = options;
  const sleepUntil = waitStopped ? AbortSignal.any([signal, waitStopped]) : signal;
  const ctx: StepContext = { exo, emit, sleep: (ms) => sleep(ms, sleepUntil), signal, now };
  if (waitPolicy) ctx.waitPolicy = waitPolicy;
  if (waitStopped) ctx.waitStopped = waitStopped;
  try {
    return { status: 'succeeded', result: await step.run(ctx, params) };
  } catch (error) {
    return failedOutcome(step, error, signal, options.explain);
  }
}
