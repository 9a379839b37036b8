/**
 * Guards every protected route: verifies the bearer token, applies the caller's rate limit, and keeps the caller
 * (and, if sent, their Exchange token for the executor) on `res.locals` for the request's lifetime only.
 */
import type { RequestHandler, Response } from 'express';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { SessionCredentials } from '../executors/types.ts';
import { HttpError } from '../http/errors.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { actorKey } from './actor.ts';
import { AuthError, type Verify } from './verifier.ts';

const BEARER = /^Bearer (\S+)$/;
// The Exchange token goes to the executor as is, so it must look like a JWT and nothing else (no newline, no quote).
const EXCHANGE_TOKEN = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Verifies `Authorization: Bearer`, then rate-limits per admin. */
export function requireAdmin(verify: Verify, limiter: RateLimiter): RequestHandler {
  return async (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) return next(new AuthError(401, 'missing_token', 'Sign in first: this call needs Authorization: Bearer <token>.'));
    const actor = await verify(match[1]!);
    limiter.take(actorKey(actor));
    const exchangeToken = req.get('x-exchange-token');
    if (exchangeToken !== undefined && (exchangeToken.length > 16_384 || !EXCHANGE_TOKEN.test(exchangeToken))) {
      return next(new HttpError(400, 'invalid_field', 'X-Exchange-Token: must be a JWT access token for https://outlook.office365.com', { field: 'X-Exchange-Token' }));
    }
    const creds: SessionCredentials = { actor };
    if (exchangeToken) creds.exchangeToken = exchangeToken;
    res.locals.creds = creds;
    next();
  };
}

/** The verified caller's credentials (only after `requireAdmin`). */
export function credentialsOf(res: Response): SessionCredentials {
  return res.locals.creds as SessionCredentials;
}

/** The verified caller (only after `requireAdmin`). */
export function actorOf(res: Response): Actor {
  return credentialsOf(res).actor;
}
