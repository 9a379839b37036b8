/**
 * The shape undo steps share: probe whether the object exists, remove it with one cmdlet, check it is gone. Every
 * removal step of every guide is built here.
 */
import type { z } from 'zod';
import { echoingSession, explainNext, runCall } from './session.ts';
import { runbookFailure } from './failure.ts';
import type { CmdletCall, ExchangeSession } from './cmdlets.ts';
import type { KnownError } from './known-errors.ts';
import type { Confirmation, StepDefinition } from './step.ts';

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
  /** Wording of the verdicts and output lines, where a step says more than "The <what> exists." and the like. */
  texts?: Partial<Record<'present' | 'absent' | 'stillThere' | 'removed', (p: z.output<S>) => string>>;
  /** What the run returns; `{ removed: true }` by default. */
  result?(p: z.output<S>): Record<string, unknown>;
  /** The question asked first, for a removal that takes access away from an account or an application. */
  confirm?(p: z.output<S>): Confirmation;
}

/** A removal step from its spec. */
export function removalStep<S extends z.ZodType>(spec: RemovalSpec<S>): StepDefinition<S> {
  const text = {
    present: (p: z.output<S>) => `The ${spec.describe(p)} exists.`,
    absent: (p: z.output<S>) => `The ${spec.describe(p)} does not exist.`,
    stillThere: (p: z.output<S>) => `The removal succeeded, but the ${spec.describe(p)} is still there.`,
    removed: (p: z.output<S>) => `Removed the ${spec.describe(p)}.`,
    ...spec.texts,
  };
  return {
    id: spec.id,
    title: spec.title,
    summary: spec.summary,
    params: spec.params,
    irreversible: false,
    readOnly: false,
    guide: spec.guide,
    ...(spec.confirm ? { confirm: (p: z.output<S>) => spec.confirm!(p) } : {}),
    plan: (p) => [spec.remove(p)],
    async probe(exo, p) {
      if (await spec.find(exo, p)) return { state: 'needed', reason: text.present(p) };
      return { state: 'done', reason: text.absent(p) };
    },
    async run(ctx, p) {
      await runCall(ctx, spec.knownErrors, spec.remove(p));
      explainNext(ctx, 'Checking that it is gone:');
      if (await spec.find(echoingSession(ctx), p)) throw runbookFailure('VerificationFailed', text.stillThere(p));
      ctx.emit('result', text.removed(p));
      return spec.result?.(p) ?? { removed: true };
    },
    knownErrors: spec.knownErrors,
  };
}
