/**
 * The one way a zod failure becomes a message: the first problem, naming the field (`params.members.0`) and the rule
 * it broke, as the HTTP API answers it (`{"error": {"code": "invalid_field", "field", "message"}}`), the catalog's
 * parseParams reports it and the browser shows it next to the field. Unknown keys are refused at every level, also
 * where a schema would strip them silently (a typo like `member` for `members` must not pass as "no members").
 */
import type { z } from 'zod';

/** What is wrong with one field of the input. */
export interface FieldProblem {
  /** Dotted path, e.g. `params.members.0`; `body` for the input as a whole. */
  field: string;
  /** The rule broken, e.g. "must be at most 64 characters (the Exchange limit for role group names)". */
  message: string;
}

const UNKNOWN_FIELD = 'unknown field; remove it';

/** `params.members.0` style field names. */
function fieldName(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.') || 'body';
}

/** The field an issue is about (prefixed, e.g. with `params`) and what is wrong with it. */
export function describeIssue(issue: z.core.$ZodIssue, prefix = ''): FieldProblem {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  if (keys.length > 0) return { field: fieldName(prefix, [...issue.path, keys[0]!]), message: UNKNOWN_FIELD };
  return { field: fieldName(prefix, issue.path), message: issue.message };
}

/** The sentence the API sends: `params.name: must be at most 64 characters (...)`. */
export function problemText(problem: FieldProblem): string {
  return `${problem.field}: ${problem.message}`;
}

export type Validation<T> = { ok: true; data: T } | { ok: false; problem: FieldProblem };

/** Parses `input` with `schema`: the data (defaults applied), or the first problem, unknown keys included. */
export function validate<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): Validation<z.output<S>> {
  const result = schema.safeParse(input);
  if (!result.success) return { ok: false, problem: describeIssue(result.error.issues[0]!, prefix) };
  const dropped = droppedKey(input, result.data, []);
  if (dropped) return { ok: false, problem: { field: fieldName(prefix, dropped), message: UNKNOWN_FIELD } };
  return { ok: true, data: result.data };
}

/** The path of a key present in the input but gone from the parsed output (zod strips unknown keys by default). */
function droppedKey(input: unknown, output: unknown, path: PropertyKey[]): PropertyKey[] | undefined {
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null) return undefined;
  if (Array.isArray(input)) {
    if (!Array.isArray(output)) return undefined;
    for (const [i, item] of input.entries()) {
      const dropped = droppedKey(item, output[i], [...path, i]);
      if (dropped) return dropped;
    }
    return undefined;
  }
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(output, key)) return [...path, key];
    const [inner, outer] = [(input as Record<string, unknown>)[key], (output as Record<string, unknown>)[key]];
    const dropped = droppedKey(inner, outer, [...path, key]);
    if (dropped) return dropped;
  }
  return undefined;
}
