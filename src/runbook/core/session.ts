/**
 * What step modules share: running one call with its echo and error handling, and reading cmdlet output that may be
 * one object, a list, or nothing.
 */
import type { CmdletCall, CmdletResult, CmdletValue, ExchangeSession, ExoError, PlannedCall } from './cmdlets.ts';
import { runbookFailure, StepFailure } from './failure.ts';
import { isGenericExceptionType, type KnownError, matchKnownError } from './known-errors.ts';
import { isOutputRef, renderCall } from './preview.ts';
import type { StepContext } from './step.ts';

/**
 * The run's session, echoing every call as a 'command' line once Exchange has answered it, so the output lists exactly
 * what ran. A call cut off before its answer (timeout, process gone, shutdown) is listed as a 'warning' instead: it
 * may or may not have run.
 */
export function echoingSession(ctx: StepContext): ExchangeSession {
  const session: ExchangeSession = {
    async invoke(call: CmdletCall) {
      let result: CmdletResult;
      try {
        result = await ctx.exo.invoke(call);
      } catch (err) {
        ctx.emit('warning', `No answer to ${renderCall(call)}: the call was cut off, so it may or may not have run.`);
        throw err;
      }
      ctx.emit('command', renderCall(call));
      return result;
    },
  };
  return ctx.exo.upn === undefined ? session : { ...session, upn: ctx.exo.upn };
}

/** What the calls of a plan saved so far (`saveAs`), and the object a `forEach` is at, by variable name. */
export type PlanOutputs = Record<string, unknown>;

/** The value of one OutputRef: the property of the one object the named output holds. */
function resolveRef(outputs: PlanOutputs, ref: { output: string; property: string }): CmdletValue {
  const objects = asList(outputs[ref.output]);
  const value = objects.length === 1 ? objects[0]![ref.property] : undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw runbookFailure(
    'UnexpectedOutput',
    `$${ref.output}.${ref.property} has no single value (got ${JSON.stringify(objects.map((o) => o[ref.property]))}).`,
  );
}

/** The concrete calls of a planned one: once per object of its `forEach` output, else once; references resolved. */
export function expandCall(call: PlannedCall, outputs: PlanOutputs): CmdletCall[] {
  const resolve = (scope: PlanOutputs): CmdletCall => ({
    cmdlet: call.cmdlet,
    params: Object.fromEntries(
      Object.entries(call.params).map(([name, value]) => [name, isOutputRef(value) ? resolveRef(scope, value) : value]),
    ),
    ...(call.show ? { show: call.show } : {}),
  });
  if (!call.forEach) return [resolve(outputs)];
  const { output, as } = call.forEach;
  return asList(outputs[output]).map((item) => resolve({ ...outputs, [as]: item }));
}

/** The one concrete call of a planned call without `forEach`. */
export function resolveCall(call: PlannedCall, outputs: PlanOutputs = {}): CmdletCall {
  if (call.forEach) throw new TypeError(`${call.cmdlet} runs once per object; use expandCall`);
  return expandCall(call, outputs)[0]!;
}

/** Says, before the next call, why the runbook makes it (a check beyond the step's own command). */
export function explainNext(ctx: Pick<StepContext, 'emit'>, why: string): void {
  ctx.emit('info', why);
}

/** Puts Exchange's refusal of a call in the output word for word, apart from the runbook's own lines. */
export function showRefusal(ctx: Pick<StepContext, 'emit'>, error: ExoError): void {
  ctx.emit('error', error.message, { type: error.type });
}

/** Runs `call` with its echo; returns its data, or throws a StepFailure explained by `knownErrors`. */
export async function runCall(
  ctx: StepContext,
  knownErrors: readonly KnownError[],
  call: CmdletCall,
): Promise<unknown> {
  return dataOrThrow(await echoingSession(ctx).invoke(call), knownErrors);
}

/** The data of a successful result; a failed one becomes a StepFailure explained by `knownErrors`. */
export function dataOrThrow(result: CmdletResult, knownErrors: readonly KnownError[]): unknown {
  if (result.ok) return result.data;
  throw new StepFailure(result.error, matchKnownError(knownErrors, result.error));
}

// Exchange's "not found" wordings (exchange-facts.md sections 2 and 4), wherever they stand in the message.
const NOT_FOUND_TEXTS = [/couldn't be found on '/, /Couldn't find object "/];

/**
 * True for Exchange's "couldn't be found" errors: a ManagementObjectNotFoundException, or, when the record names no
 * exception (a bare `||<text>` without Reason), one of the not-found wordings in the text.
 */
export function isNotFound(error: ExoError): boolean {
  if (/(^|\.)ManagementObjectNotFoundException$/.test(error.type)) return true;
  return isGenericExceptionType(error.type) && NOT_FOUND_TEXTS.some((text) => text.test(error.message));
}

/**
 * Cmdlet output as a list of records. PowerShell unrolls a one-element list into the element and returns nothing
 * for an empty one, so both executors' output is normalised here rather than trusted to keep its shape.
 */
export function asList(data: unknown): Record<string, unknown>[] {
  const items = Array.isArray(data) ? data : data === null || data === undefined ? [] : [data];
  return items.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null);
}

/** A property that should hold a list of strings (e.g. a role group's Roles), however the executor shaped it. */
export function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return items.map(String);
}

/** Case-insensitive comparison, as Exchange compares names and addresses. */
export function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Runs a Get- call; Exchange's not-found error becomes an empty list. */
export async function getOrEmpty(exo: ExchangeSession, call: CmdletCall): Promise<Record<string, unknown>[]> {
  const result = await exo.invoke(call);
  if (!result.ok && isNotFound(result.error)) return [];
  return asList(dataOrThrow(result, []));
}
