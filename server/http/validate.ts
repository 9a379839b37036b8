/**
 * Input validation at the edge: zod schemas, and a 400 that names the first offending field and the rule it broke, as
 * src/runbook/core/validation.ts words it (unknown JSON fields refused at every level).
 */
import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { problemText, validate } from '../../src/runbook/core/validation.ts';
import { HttpError } from './errors.ts';

/** Parses `input` with `schema`; throws a 400 naming the field (prefixed with `prefix`, e.g. `params`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const checked = validate(schema, input, prefix);
  if (checked.ok) return checked.data;
  throw new HttpError(400, 'invalid_field', problemText(checked.problem), { field: checked.problem.field });
}

/**
 * A request that carries a body must say it is JSON: a cross-site form can send text/plain without a preflight,
 * and must not reach a handler.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    return next(
      new HttpError(
        415,
        'unsupported_media_type',
        'Send the request body as JSON with Content-Type: application/json.',
      ),
    );
  }
  next();
};
