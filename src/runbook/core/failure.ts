/**
 * How a step fails: a `StepFailure` carries the error as Exchange (or the runbook) reported it and, when the step
 * already knows, the explanation. The run engine turns it into the run record's `error` with `toRunError`.
 */
import type { RunError } from '../api.ts';
import { type KnownError, matchKnownError, RUNBOOK_ERROR_PREFIX } from './known-errors.ts';
import type { ExoError } from './cmdlets.ts';
import type { StepDefinition } from './step.ts';

export class StepFailure extends Error {
  override name = 'StepFailure';
  readonly error: ExoError;
  /** Set when the step chose the explanation itself (the same text can mean different things in context). */
  readonly known?: KnownError;
  constructor(error: ExoError, known?: KnownError) {
    super(error.message);
    this.error = error;
    if (known) this.known = known;
  }
}

/** A failure the runbook itself detects (a wait that ran out, a verification that did not hold). */
export function runbookFailure(kind: string, message: string, known?: KnownError): StepFailure {
  return new StepFailure({ message, type: `${RUNBOOK_ERROR_PREFIX}${kind}` }, known);
}

/**
 * The run record's `error` for a failure of `step`: the service text, its type, and the explanation when known.
 * `sessionErrors` are the ones any step can meet whatever it runs (exchange/connection.ts).
 */
export function toRunError(
  step: StepDefinition,
  failure: StepFailure,
  sessionErrors: readonly KnownError[] = [],
): RunError {
  const known = failure.known ?? matchKnownError([...step.knownErrors, ...sessionErrors], failure.error);
  const { message, type } = failure.error;
  if (!known) return { message, type };
  // A quote unconfirmed for this case is, as far as anyone knows, Exchange's usual wording of it; a message holding a
  // confirmed quote of the error is Exchange's exact words.
  const said = known.wording;
  const wording =
    'quotes' in said ? (said.exact || said.confirmed?.test(message) ? 'exchange' : 'generic') : said.source;
  return {
    message,
    type,
    known: known.id,
    wording,
    explanation: { meaning: known.meaning, action: known.action },
    guide: known.guide,
  };
}
