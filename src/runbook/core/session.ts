/**
 * What step modules share: running one call with its echo and error handling, and reading cmdlet output that may be
 * one object, a list, or nothing.
 */
import type { CmdletCall, CmdletResult, ExchangeSession, ExoError } from './cmdlets.ts';
import { StepFailure } from './failure.ts';
import { type KnownError, matchKnownError } from './known-errors.ts';
import { renderCall } from './preview.ts';
import type { StepContext } from './step.ts';

/**
 * The run's session, echoing every call as a 'command' line once Exchange has answered it, so the output lists exactly
 * what ran. A call cut off before its answer (timeout, process gone, shutdown) is listed as a 'warning' instead: it
 * may or may not have run.
 */
export function echoingSession(ctx: StepContext): ExchangeSession {
  return {
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
export async function runCall(ctx: StepContext, knownErrors: readonly KnownError[], call: CmdletCall): Promise<unknown> {
  return dataOrThrow(await echoingSession(ctx).invoke(call), knownErrors);
}

/** The data of a successful result; a failed one becomes a StepFailure explained by `knownErrors`. */
export function dataOrThrow(result: CmdletResult, knownErrors: readonly KnownError[]): unknown {
  if (result.ok) return result.data;
  throw new StepFailure(result.error, matchKnownError(knownErrors, result.error));
}

/** True for Exchange's "couldn't be found" errors (ManagementObjectNotFoundException). */
export function isNotFound(error: ExoError): boolean {
  return /(^|\.)ManagementObjectNotFoundException$/.test(error.type);
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
