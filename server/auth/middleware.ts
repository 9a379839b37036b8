/**
 * Guards every protected route: verifies the bearer token, applies the caller's rate limit, and keeps the caller
 * (and, if sent, their Exchange token for the executor) on `res.locals` for the request's lifetime only. Routes that
 * hand the Exchange token to an executor take it through `sessionCredentials`, which inspects it first.
 */
import type { RequestHandler, Response } from 'express';
import { decodeJwt } from 'jose';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { SessionCredentials } from '../executors/types.ts';
import type { RateLimiter } from '../http/rate-limit.ts';
import { actorKey } from './actor.ts';
import { checkExchangeTokenShape, inspectExchangeToken } from './exchange-token.ts';
import type { SignOuts } from './sign-outs.ts';
import { AuthError, type Verify } from './verifier.ts';

const BEARER = /^Bearer (\S+)$/;

/**
 * Verifies `Authorization: Bearer`, refuses (sandbox mode) a token issued before the admin signed out, then
 * rate-limits per admin.
 */
export function requireAdmin(verify: Verify, limiter: RateLimiter, signOuts?: SignOuts): RequestHandler {
  return async (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match)
      return next(new AuthError(401, 'missing_token', 'Sign in first: this call needs Authorization: Bearer <token>.'));
    const actor = await verify(match[1]!);
    if (signOuts?.revoked(actorKey(actor), decodeJwt(match[1]!).iat)) {
      return next(new AuthError(401, 'signed_out', 'This token was issued before you signed out; sign in again.'));
    }
    limiter.take(actorKey(actor));
    const exchangeToken = req.get('x-exchange-token');
    if (exchangeToken !== undefined) checkExchangeTokenShape(exchangeToken);
    const creds: SessionCredentials = { actor };
    if (exchangeToken) creds.exchangeToken = exchangeToken;
    res.locals.creds = creds;
    next();
  };
}

/**
 * The verified caller's credentials for an executor (only after `requireAdmin`): an Exchange token that is not the
 * caller's own, for another audience, expired or without Exchange.Manage is refused here, before any session starts.
 */
export function sessionCredentials(res: Response): SessionCredentials {
  const creds = res.locals.creds as SessionCredentials;
  if (creds.exchangeToken !== undefined) inspectExchangeToken(creds.exchangeToken, creds.actor);
  return creds;
}

/** The verified caller (only after `requireAdmin`). */
export function actorOf(res: Response): Actor {
  return (res.locals.creds as SessionCredentials).actor;
}
