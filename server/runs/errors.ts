/**
 * What the run engine raises and records, in its own words: the HTTP layer maps RunInFlightError to 409, and the two
 * "interrupted" errors are what a run's record says when nobody knows whether its change was made.
 */
import type { RunError } from '../../src/runbook/api.ts';

/** What a run in flight when the companion stopped is recorded as (at shutdown, or by the next start). */
export const INTERRUPTED_ERROR: RunError = {
  message: 'The companion stopped while this step was running, so whether the change was made is not known.',
  type: 'CompanionInterrupted',
  explanation: {
    meaning: 'The step was cut off before Exchange answered.',
    action:
      'Run the check (probe) for this step to see the current state, then run the step again if it is still needed.',
  },
};

/** What a run whose Exchange call was cut off (timeout, killed or crashed PowerShell) is recorded as. */
export const INTERRUPTED_CALL_ERROR: RunError = {
  message: 'The call to Exchange was cut off (timed out or its PowerShell process ended) before it answered.',
  type: 'CallInterrupted',
  explanation: {
    meaning: 'The change may or may not have been made.',
    action: 'Run the check (probe) for this step to see the current state before running it again.',
  },
};

/** The admin already has a run in flight: one at a time per admin. */
export class RunInFlightError extends Error {
  override name = 'RunInFlightError';
  readonly runId: string;
  constructor(runId: string) {
    super(`You already have a run in flight (${runId}); wait for it to end before starting another.`);
    this.runId = runId;
  }
}
