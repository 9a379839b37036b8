/**
 * The one retry loop for writes Exchange refuses while an earlier change is still spreading server by server
 * (customization, role delegation). Which refusals are worth waiting for is the caller's: exchange/ and the guides
 * define them; this file knows none.
 */
import type { CmdletCall, ExchangeSession, ExoError } from './cmdlets.ts';
import { StepFailure } from './failure.ts';
import type { KnownError } from './known-errors.ts';
import { dataOrThrow, echoingSession, explainNext, showRefusal } from './session.ts';
import type { StepContext } from './step.ts';
import { withBackoff } from './wait.ts';

/** A refusal a write can meet while a change spreads: wait and try again, or fail at once. */
export interface PropagationRefusal {
  /** Whether `error` is this refusal. */
  matches(error: ExoError): boolean;
  /**
   * Whether waiting can help: `{ retry, known }` waits (`retry` says why; `known` explains the error if the wait runs
   * out), or throws a StepFailure to fail at once (e.g. the organization is not customized at all). `write` names the
   * refused change ("create the role group"); `explain` says why before any call the judgement makes.
   */
  judge(
    exo: ExchangeSession,
    error: ExoError,
    write: string,
    explain: (why: string) => void,
  ): Promise<{ retry: string; known: KnownError }>;
}

export interface PropagationOptions {
  /** The change, as the output names it when Exchange refuses it, e.g. "create the role group". */
  write: string;
  /** What the step waits for, in the 'wait' lines, e.g. "customization to reach every Exchange server". */
  waitingFor: string;
  /** Explains any other error of the write. */
  knownErrors: readonly KnownError[];
  /** The refusals worth waiting for, checked in order. */
  refusals: readonly PropagationRefusal[];
}

/**
 * Runs `call` (echoed), retrying with backoff while Exchange answers with one of `refusals` and the refusal says
 * waiting can help; each refusal is shown word for word before the wait. Any other error fails at once, explained by
 * `knownErrors`; when the wait runs out, the run fails with the last refusal, explained as that refusal said.
 */
export async function writeThroughPropagation(
  ctx: StepContext,
  call: CmdletCall,
  options: PropagationOptions,
): Promise<unknown> {
  const exo = echoingSession(ctx);
  let last: { error: ExoError; known: KnownError } | undefined;
  const outcome = await withBackoff(ctx, {
    waitingFor: options.waitingFor,
    async check() {
      const result = await exo.invoke(call);
      if (result.ok) return { done: result.data };
      const refusal = options.refusals.find((r) => r.matches(result.error));
      if (!refusal) return { done: dataOrThrow(result, options.knownErrors) };
      showRefusal(ctx, result.error);
      const { retry, known } = await refusal.judge(exo, result.error, options.write, (why) => explainNext(ctx, why));
      last = { error: result.error, known };
      return { retry };
    },
  });
  if ('timedOut' in outcome) throw new StepFailure(last!.error, last!.known);
  return outcome.done;
}
