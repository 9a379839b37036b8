/**
 * What can be read from an admin's Exchange token without verifying it: only Exchange Online can verify it, but its
 * claims say why Exchange would refuse it (audience, scopes, expiry, account). The companion uses this to explain a
 * refused Connect-ExchangeOnline (Exchange itself answers a bare `UnAuthorized`), and `npm run doctor` to check a
 * token before the admin relies on it. Nothing here logs or keeps the token.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import { EXCHANGE_AUDIENCE, EXCHANGE_SCOPE } from './sandbox-issuer.ts';

/** The claims of an Exchange token that decide whether Exchange Online accepts it. */
export interface ExchangeTokenClaims {
  audiences: string[];
  scopes: string[];
  tid?: string;
  oid?: string;
  upn?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

/** The token's claims, or undefined when it is not a JWT. */
export function readExchangeToken(token: string): ExchangeTokenClaims | undefined {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch {
    return undefined;
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const claims: ExchangeTokenClaims = {
    audiences: typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []),
    scopes: typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [],
  };
  const upn = text(payload.upn) ?? text(payload.preferred_username);
  if (text(payload.tid)) claims.tid = text(payload.tid)!.toLowerCase();
  if (text(payload.oid)) claims.oid = text(payload.oid);
  if (upn) claims.upn = upn;
  if (typeof payload.exp === 'number') claims.exp = payload.exp;
  return claims;
}

/** One reason Exchange Online would refuse a token, with what to do about it. */
export interface TokenProblem {
  check: 'token' | 'audience' | 'scope' | 'expiry' | 'tenant' | 'account';
  problem: string;
}

/**
 * Why Exchange Online would refuse this token; empty when the claims show nothing wrong. `actor` is the admin signed
 * in to the companion (the token must be theirs), `tenants` the tenant ids the companion accepts; `now` in ms.
 */
export function exchangeTokenProblems(
  claims: ExchangeTokenClaims | undefined,
  now: number,
  expected: { actor?: Actor; tenants?: readonly string[] } = {},
): TokenProblem[] {
  if (!claims)
    return [
      {
        check: 'token',
        problem:
          'It is not a JWT access token: the page must send the token it got for https://outlook.office365.com/.default.',
      },
    ];
  const problems: TokenProblem[] = [];
  if (!claims.audiences.includes(EXCHANGE_AUDIENCE)) {
    problems.push({
      check: 'audience',
      problem: `It is for ${claims.audiences.join(', ') || 'no audience'}, not for ${EXCHANGE_AUDIENCE}: request the scope ${EXCHANGE_AUDIENCE}/.default for it.`,
    });
  }
  if (!claims.scopes.includes(EXCHANGE_SCOPE)) {
    // exchange-facts.md, section 5: Exchange.ManageV2 alone is refused; a token can have the right aud and no Exchange scope.
    const had = claims.scopes.length > 0 ? `Its scopes are ${claims.scopes.join(' ')}` : 'It carries no scope';
    problems.push({
      check: 'scope',
      problem: `${had}, without ${EXCHANGE_SCOPE}: in the app registration add the delegated permission ${EXCHANGE_SCOPE} of Office 365 Exchange Online, grant admin consent, then sign out and in again.`,
    });
  }
  if (claims.exp !== undefined && claims.exp * 1000 <= now) {
    problems.push({
      check: 'expiry',
      problem: `It expired at ${new Date(claims.exp * 1000).toISOString()}: reload the page (or sign in again) so it gets a new one.`,
    });
  }
  const { actor, tenants } = expected;
  if (tenants && (claims.tid === undefined || !tenants.includes(claims.tid))) {
    problems.push({
      check: 'tenant',
      problem: `It is for tenant ${claims.tid ?? '(none)'}, which the companion does not accept (RUNBOOK_ENTRA_TENANT_IDS: ${tenants.join(', ')}).`,
    });
  } else if (actor && claims.tid !== undefined && claims.tid !== actor.tid) {
    problems.push({
      check: 'tenant',
      problem: `It is for another tenant (${claims.tid}) than the one you are signed in to (${actor.tid}): sign out, then sign in again.`,
    });
  } else if (
    actor &&
    ((claims.oid !== undefined && claims.oid !== actor.oid) ||
      (claims.upn !== undefined && claims.upn.toLowerCase() !== actor.upn.toLowerCase()))
  ) {
    problems.push({
      check: 'account',
      problem: `It is for another account (${claims.upn ?? claims.oid}) than the one you are signed in as (${actor.upn}): sign out, then sign in again.`,
    });
  }
  return problems;
}
