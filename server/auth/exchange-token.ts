/**
 * What can be read from an admin's Exchange token without verifying it: only Exchange Online can verify it, but its
 * claims say why Exchange would refuse it (audience, scopes, expiry, account). The companion uses this to explain a
 * refused Connect-ExchangeOnline (Exchange itself answers a bare `UnAuthorized`), and `npm run doctor` to check a
 * token before the admin relies on it. Nothing here logs or keeps the token.
 */
import { decodeJwt } from 'jose';
import type { Actor } from '../../src/runbook/types.ts';
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
  let payload;
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

/**
 * Why Exchange Online would refuse this token, each reason with what to do; empty when the claims show nothing wrong.
 * `actor` is the admin signed in to the companion (the token must be theirs); `now` in milliseconds.
 */
export function exchangeTokenProblems(claims: ExchangeTokenClaims | undefined, now: number, actor?: Actor): string[] {
  if (!claims) return ['It is not a JWT access token: the page must send the token it got for https://outlook.office365.com/.default.'];
  const problems: string[] = [];
  if (!claims.audiences.includes(EXCHANGE_AUDIENCE)) {
    problems.push(`It is for ${claims.audiences.join(', ') || 'no audience'}, not for ${EXCHANGE_AUDIENCE}: the page must request the scope ${EXCHANGE_AUDIENCE}/.default.`);
  }
  if (!claims.scopes.includes(EXCHANGE_SCOPE)) {
    // exchange-facts.md, section 5: Exchange.ManageV2 alone is refused; a token can have the right aud and no Exchange scope.
    const had = claims.scopes.length > 0 ? `Its scopes are ${claims.scopes.join(' ')}` : 'It carries no scope';
    problems.push(`${had}, without ${EXCHANGE_SCOPE}: in the app registration add the delegated permission ${EXCHANGE_SCOPE} of Office 365 Exchange Online, grant admin consent, then sign out and in again.`);
  }
  if (claims.exp !== undefined && claims.exp * 1000 <= now) {
    problems.push(`It expired at ${new Date(claims.exp * 1000).toISOString()}: reload the page (or sign in again) so it gets a new one.`);
  }
  if (actor && claims.tid !== undefined && claims.tid !== actor.tid) {
    problems.push(`It is for another tenant (${claims.tid}) than the one you are signed in to (${actor.tid}): sign out, then sign in again.`);
  } else if (actor && ((claims.oid !== undefined && claims.oid !== actor.oid) || (claims.upn !== undefined && claims.upn.toLowerCase() !== actor.upn.toLowerCase()))) {
    problems.push(`It is for another account (${claims.upn ?? claims.oid}) than the one you are signed in as (${actor.upn}): sign out, then sign in again.`);
  }
  return problems;
}
