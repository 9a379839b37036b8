/**
 * Input validation at the edge: zod schemas, and a 400 that names the first offending field and the rule it broke.
 * Unknown JSON fields are refused at every level, including inside a step's parameters whose schema would
 * otherwise strip them silently (a typo like `member` for `members` must not pass as "no members").
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpError } from './errors.ts';

type Path = ReadonlyArray<PropertyKey>;

/** `params.members.0` style field names. */
function fieldName(prefix: string, path: Path): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.');
}

/** Parses `input` with `schema`; throws a 400 naming the field (prefixed with `prefix`, e.g. `params`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const field = fieldName(prefix, keys.length > 0 ? [...issue.path, keys[0]!] : issue.path);
    const message = keys.length > 0 ? 'unknown field; remove it' : issue.message;
    throw new HttpError(400, 'invalid_field', `${field || 'body'}: ${message}`, { field: field || 'body' });
  }
  rejectDroppedKeys(input, result.data, [], prefix);
  return result.data;
}

/**
 * Finds an object key present in the input but gone from the parsed output (zod strips unknown keys by default),
 * and throws a 400 naming it.
 */
function rejectDroppedKeys(input: unknown, output: unknown, path: PropertyKey[], prefix: string): void {
  if (typeof input !== 'object' || input === null || typeof output !== 'object' || output === null) return;
  if (Array.isArray(input)) {
    if (Array.isArray(output)) input.forEach((item, i) => rejectDroppedKeys(item, output[i], [...path, i], prefix));
    return;
  }
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(output, key)) {
      const field = fieldName(prefix, [...path, key]);
      throw new HttpError(400, 'invalid_field', `${field}: unknown field; remove it`, { field });
    }
    rejectDroppedKeys((input as Record<string, unknown>)[key], (output as Record<string, unknown>)[key], [...path, key], prefix);
  }
}

/**
 * A request that carries a body must say it is JSON: a cross-site form can send text/plain without a preflight,
 * and must not reach a handler.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    return next(new HttpError(415, 'unsupported_media_type', 'Send the request body as JSON with Content-Type: application/json.'));
  }
  next();
};
