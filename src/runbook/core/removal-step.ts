/**
 * The shape undo steps share: probe whether the object exists, remove it with one cmdlet, check it is gone.
 */
import type { z } from 'zod';
import { echoingSession, runCall } from './session.ts';
import { runbookFailure } from './failure.ts';
import type { CmdletCall, ExchangeSession } from './cmdlets.ts';
import type { KnownError } from './known-errors.ts';
import type { StepDefinition } from './step.ts';

export interface RemovalSpec<S extends z.ZodType> {
  id: string;
  title: string;
  summary: string;
  params: S;
  guide: string;
  /** What is removed, for messages, e.g. `management scope "X"`. */
  describe(p: z.output<S>): string;
  remove(p: z.output<S>): CmdletCall;
  /** The object, or undefined when it does not exist. */
  find(exo: ExchangeSession, p: z.output<S>): Promise<unknown>;
  knownErrors: KnownError[];
}

/** A removal step from its spec. */
export function removalStep<S extends z.ZodType>(spec: RemovalSpec<S>): StepDefinition<S> {
  return {
    id: spec.id,
    title: spec.title,
    summary: spec.summary,
    params: spec.params,
    irreversible: false,
    readOnly: false,
    guide: spec.guide,
    plan: (p) => [spec.remove(p)],
    async probe(exo, p) {
      if (await spec.find(exo, p)) return { state: 'needed', reason: `The ${spec.describe(p)} exists.` };
      return { state: 'done', reason: `The ${spec.describe(p)} does not exist.` };
    },
    async run(ctx, p) {
      await runCall(ctx, spec.knownErrors, spec.remove(p));
      if (await spec.find(echoingSession(ctx), p)) throw runbookFailure('VerificationFailed', `The removal succeeded, but the ${spec.describe(p)} is still there.`);
      ctx.emit('result', `Removed the ${spec.describe(p)}.`);
      return { removed: true };
    },
    knownErrors: spec.knownErrors,
  };
}
