/**
 * How long steps wait for Exchange, and the backoff loop they wait with. Real tenants can take an hour or more to
 * finish customization, so the tenant policy is patient; the sandbox's delays are seconds, so its policy is short.
 */
import { runbookFailure } from './failure.ts';
import { RUNBOOK_ERROR_PREFIX } from './known-errors.ts';
import type { StepContext, WaitPolicy } from './step.ts';

/** Real tenants: checks after 15 s, 30 s, 1, 2, 4, then every 5 minutes, for up to an hour. */
export const TENANT_WAIT_POLICY: WaitPolicy = {
  initialDelayMs: 15_000,
  factor: 2,
  maxDelayMs: 5 * 60_000,
  maxWaitMs: 60 * 60_000,
};

/** Sandbox tenants (customization 45 s + propagation 20 s by default): checks every few seconds for up to 2 minutes. */
export const SANDBOX_WAIT_POLICY: WaitPolicy = {
  initialDelayMs: 2_000,
  factor: 2,
  maxDelayMs: 15_000,
  maxWaitMs: 2 * 60_000,
};

/** What a 'wait' output line carries, so the page can show a countdown. */
export interface WaitData {
  attempt: number;
  elapsedMs: number;
  /** ISO time of the next check. */
  nextCheckAt: string;
  waitingFor: string;
  reason: string;
}

export interface BackoffOptions<T> {
  /** What the step waits for, e.g. "IsDehydrated to read False". */
  waitingFor: string;
  /** One check: `{ done: outcome }` to stop, or `{ retry: reason }` to wait and check again. */
  check(attempt: number): Promise<{ done: T } | { retry: string }>;
}

/**
 * The error type of a run whose wait the admin stopped: not a failure of Exchange's, and nothing was left half done.
 */
export const WAIT_STOPPED_TYPE = `${RUNBOOK_ERROR_PREFIX}WaitStopped`;

/** The failure that ends a run when the admin stops its wait: what it waited for, for how long, the last answer. */
function waitStopped(waitingFor: string, elapsedMs: number, attempt: number, lastReason: string) {
  return runbookFailure(
    'WaitStopped',
    `You stopped waiting for ${waitingFor} after ${formatDuration(elapsedMs)}. At check ${attempt}: ${lastReason}.`,
  );
}

/**
 * Runs `check` until it returns an outcome, sleeping with exponential backoff in between and emitting a 'wait' line
 * before each sleep. Returns `{ timedOut: lastReason, elapsedMs }` when the policy's total wait is used up; throws
 * the WaitStopped failure when the admin stops the wait (`ctx.waitStopped`), between checks, never during one.
 */
export async function withBackoff<T>(
  ctx: StepContext,
  opts: BackoffOptions<T>,
): Promise<{ done: T } | { timedOut: string; elapsedMs: number }> {
  const policy = ctx.waitPolicy ?? TENANT_WAIT_POLICY;
  const now = ctx.now ?? Date.now;
  const started = now();
  let delay = policy.initialDelayMs;
  for (let attempt = 1; ; attempt++) {
    const outcome = await opts.check(attempt);
    if ('done' in outcome) return outcome;
    const elapsedMs = now() - started;
    const remaining = policy.maxWaitMs - elapsedMs;
    if (remaining <= 0) return { timedOut: outcome.retry, elapsedMs };
    const sleepMs = Math.min(delay, policy.maxDelayMs, remaining);
    const data: WaitData = {
      attempt,
      elapsedMs,
      nextCheckAt: new Date(now() + sleepMs).toISOString(),
      waitingFor: opts.waitingFor,
      reason: outcome.retry,
    };
    if (ctx.waitStopped?.aborted) throw waitStopped(opts.waitingFor, elapsedMs, attempt, outcome.retry);
    ctx.emit(
      'wait',
      `Waiting ${formatDuration(sleepMs)} for ${opts.waitingFor} (check ${attempt}: ${outcome.retry})`,
      data,
    );
    try {
      await ctx.sleep(sleepMs);
    } catch (err) {
      if (ctx.waitStopped?.aborted && !ctx.signal.aborted)
        throw waitStopped(opts.waitingFor, now() - started, attempt, outcome.retry);
      throw err;
    }
    delay = Math.min(delay * policy.factor, policy.maxDelayMs);
  }
}

/** "45 s", "2 min 30 s", "1 h 5 min": short enough for an output line. */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}
