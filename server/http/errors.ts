/**
 * Every error leaves as `{"error": {"code", "message", "field"?}}` with the right status; never a stack trace.
 * Unexpected errors are logged here (they never carry tokens: handlers don't put them in errors) and answered 500.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiError } from '../../src/runbook/api.ts';
import { ExchangeTokenError } from '../auth/exchange-token.ts';
import { AuthError } from '../auth/verifier.ts';
import { CallInterruptedError, ExecutorBusyError, SessionStartError } from '../executors/types.ts';
import { RunInFlightError } from '../runs/errors.ts';
import { StoreUnavailableError } from '../store/store.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    options: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = options.field;
    this.headers = options.headers ?? {};
  }
}

/** Errors body-parser raises, by its `type`, as the API reports them. */
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.too.large': [413, 'body_too_large', 'The request body is larger than 64 kB.'],
  'entity.parse.failed': [400, 'malformed_json', 'The request body is not valid JSON.'],
  'entity.verify.failed': [400, 'malformed_json', 'The request body is not valid JSON.'],
  'encoding.unsupported': [
    415,
    'unsupported_encoding',
    "The request body's Content-Encoding is not supported; send it uncompressed.",
  ],
  'charset.unsupported': [415, 'unsupported_charset', 'The request body must be UTF-8 JSON.'],
  'request.aborted': [400, 'request_aborted', 'The request body was cut off.'],
  'request.size.invalid': [400, 'request_size_invalid', 'The request body does not match its Content-Length.'],
};

/** Maps any thrown value to the API's error shape. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  if (err instanceof AuthError) {
    const headers: Record<string, string> =
      err.status === 401
        ? {
            'WWW-Authenticate': `Bearer error="${err.code === 'insufficient_scope' ? 'insufficient_scope' : 'invalid_token'}"`,
          }
        : {};
    return new HttpError(err.status, err.code, err.message, { headers });
  }
  if (err instanceof ExchangeTokenError) return new HttpError(err.status, err.code, err.message, { field: err.field });
  if (err instanceof RunInFlightError) return new HttpError(409, 'run_in_flight', err.message);
  if (err instanceof StoreUnavailableError) {
    return new HttpError(
      503,
      'store_unavailable',
      'The run store (SQLite in the data folder) cannot be written right now: check the disk and that no other program holds the file. Nothing was changed.',
      { headers: { 'Retry-After': '5' } },
    );
  }
  if (err instanceof ExecutorBusyError) {
    return new HttpError(503, 'executor_busy', err.message, {
      headers: { 'Retry-After': String(err.retryAfterSeconds) },
    });
  }
  if (err instanceof CallInterruptedError) {
    return new HttpError(503, 'call_interrupted', 'The call to Exchange was cut off before it answered; try again.', {
      headers: { 'Retry-After': '5' },
    });
  }
  if (err instanceof SessionStartError) {
    if (err.reason === 'exchange-token-missing')
      return new HttpError(400, 'exchange_token_required', err.message, { field: 'X-Exchange-Token' });
    if (err.reason === 'powershell-unavailable')
      return new HttpError(
        503,
        'powershell_unavailable',
        `${err.message} Run npm run doctor on the companion's machine.`,
      );
    return new HttpError(502, 'exchange_connect_failed', err.message);
  }
  const e = err as { type?: unknown; status?: unknown };
  const body = typeof e.type === 'string' ? BODY_ERRORS[e.type] : undefined;
  if (body) return new HttpError(body[0], body[1], body[2]);
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
    return new HttpError(e.status, 'bad_request', 'The request could not be read.');
  return new HttpError(500, 'internal', 'Something went wrong inside the companion; its console has the details.');
}

/** The last middleware: writes the error response (or ends a stream already under way). */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const http = toHttpError(err);
  if (http.status >= 500 && http.code === 'internal')
    console.error(`[companion] ${req.method} ${req.path} failed:`, err);
  if (res.headersSent) {
    res.end();
    return;
  }
  const body: ApiError = { error: { code: http.code, message: http.message } };
  if (http.field !== undefined) body.error.field = http.field;
  res.status(http.status).set(http.headers).json(body);
};

/** 404 for any /api path no route matched. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(new HttpError(404, 'not_found', 'No API endpoint answers this method and path; see the README\'s "HTTP API".'));
};
