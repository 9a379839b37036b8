/**
 * What can be read from an admin's Exchange token (`X-Exchange-Token`) without verifying it: only Exchange Online can
 * verify it, but its claims say why Exchange would refuse it (audience, scopes, expiry) and whose it is (tenant,
 * account). The API refuses a token with a problem before any PowerShell process starts or is reused
 * (`inspectExchangeToken`), so one admin's session never acts, or is recorded, with someone else's token and the
 * admin learns what to grant instead of a bare `UnAuthorized`; the PowerShell executor explains a refused
 * Connect-ExchangeOnline with the same problems, and `npm run doctor` checks a token with them. Nothing here logs or
 * keeps the token.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';

/** The resource the delegated token is for (scope `https://outlook.office365.com/.default`). */
export const EXCHANGE_AUDIENCE = 'https://outlook.office365.com';
/**
 * The application id of Office 365 Exchange Online, which Entra may put in `aud` instead of the URL. Microsoft
 * documents it as Exchange Online's service principal ("Configure Exchange Server to use Hybrid Modern Auth",
 * learn.microsoft.com/microsoft-365/enterprise/configure-exchange-server-for-hybrid-modern-authentication:
 * `Get-MgServicePrincipal -Filter "AppId eq '00000002-0000-0ff1-ce00-000000000000'"`).
 */
const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
/** The delegated permission Exchange Online checks (exchange-facts.md, section 5). */
export const EXCHANGE_SCOPE = 'Exchange.Manage';

const FIELD = 'X-Exchange-Token';
const MAX_LENGTH = 16_384;
// Three base64url segments: the token goes to pwsh as is, so nothing else (no newline, no quote) may pass.
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

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
    audiences: (typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? [])).filter(
      (aud) => typeof aud === 'string',
    ),
    scopes: typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [],
  };
  const upn = text(payload.upn) ?? text(payload.preferred_username);
  if (text(payload.tid)) claims.tid = text(payload.tid)!.toLowerCase();
  if (text(payload.oid)) claims.oid = text(payload.oid);
  if (upn) claims.upn = upn;
  if (typeof payload.exp === 'number') claims.exp = payload.exp;
  return claims;
}

/** One reason Exchange Online would refuse a token (or the companion must), with what to do about it. */
export interface TokenProblem {
  check: 'token' | 'audience' | 'scope' | 'expiry' | 'tenant' | 'account';
  problem: string;
}

/** A claim value quoted for a message: short, and only printable ASCII, so nothing odd is echoed back. */
function quoted(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/**
 * Why Exchange Online would refuse this token, or why it is not the signed-in admin's; empty when the claims show
 * nothing wrong. `actor` is the admin signed in to the companion (the token must be theirs: same tid and oid),
 * `tenants` the tenant ids the companion accepts; `now` in ms.
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
  if (!claims.audiences.some((aud) => aud.replace(/\/+$/, '') === EXCHANGE_AUDIENCE || aud === EXCHANGE_APP_ID)) {
    problems.push({
      check: 'audience',
      problem: `It is for ${quoted(claims.audiences.join(', ')) || 'no audience'}, not for ${EXCHANGE_AUDIENCE}: request the scope ${EXCHANGE_AUDIENCE}/.default for it.`,
    });
  }
  if (!claims.scopes.includes(EXCHANGE_SCOPE)) {
    // exchange-facts.md, section 5: Exchange.ManageV2 alone is refused; a token can have the right aud and no Exchange
    // scope.
    const had = claims.scopes.length > 0 ? `Its scopes are ${quoted(claims.scopes.join(' '))}` : 'It carries no scope';
    problems.push({
      check: 'scope',
      problem: `${had}, without ${EXCHANGE_SCOPE}: in the app registration add the delegated permission ${EXCHANGE_SCOPE} of Office 365 Exchange Online, grant admin consent, then sign out and in again.`,
    });
  }
  if (claims.exp === undefined) {
    problems.push({
      check: 'expiry',
      problem: 'It has no expiry (exp), so it is no access token Entra issued: sign in again.',
    });
  } else if (claims.exp * 1000 <= now) {
    problems.push({
      check: 'expiry',
      problem: `It expired on ${new Date(claims.exp * 1000).toISOString()}: reload the page (or sign in again) so it gets a new one.`,
    });
  }
  const { actor, tenants } = expected;
  if (tenants && (claims.tid === undefined || !tenants.includes(claims.tid))) {
    problems.push({
      check: 'tenant',
      problem: `It is for tenant ${quoted(claims.tid ?? '(none)')}, which the companion does not accept (RUNBOOK_ENTRA_TENANT_IDS: ${tenants.join(', ')}).`,
    });
  } else if (actor && claims.tid !== actor.tid.toLowerCase()) {
    problems.push({
      check: 'tenant',
      problem: `It is for ${claims.tid === undefined ? 'no tenant' : `another tenant (${quoted(claims.tid)})`} than the one you are signed in to (${actor.tid}): sign out, then sign in again.`,
    });
  } else if (actor && claims.oid !== actor.oid) {
    // The object id decides (a upn can be renamed); without one the token names no account at all.
    problems.push({
      check: 'account',
      problem: `It is for ${claims.oid === undefined ? 'no account (no oid)' : `another account (${quoted(claims.upn ?? claims.oid)})`} than the one you are signed in as (${actor.upn}): sign out, then sign in again.`,
    });
  }
  return problems;
}

/** A refused Exchange token: the status, a stable code, and a message that says what to fix. */
export class ExchangeTokenError extends Error {
  override name = 'ExchangeTokenError';
  readonly status: 400 | 401 | 403;
  readonly code: string;
  readonly field = FIELD;
  constructor(status: 400 | 401 | 403, code: string, message: string) {
    super(`${FIELD}: ${message}`);
    this.status = status;
    this.code = code;
  }
}

/** The API's answer to each kind of problem. */
const REFUSALS: Record<TokenProblem['check'], [401 | 403, string]> = {
  token: [401, 'exchange_token_unreadable'],
  audience: [401, 'exchange_token_audience'],
  tenant: [403, 'exchange_token_other_admin'],
  account: [403, 'exchange_token_other_admin'],
  expiry: [401, 'exchange_token_expired'],
  scope: [403, 'exchange_token_scope'],
};
// Which problem a refusal names first, when a token has several: whose it is, then whether Exchange would take it.
const ORDER: ReadonlyArray<TokenProblem['check']> = ['token', 'tenant', 'account', 'audience', 'expiry', 'scope'];

/** Refuses a header value that is not shaped like a JWT, before anything reads it. */
export function checkExchangeTokenShape(token: string): void {
  if (token.length > MAX_LENGTH || !COMPACT_JWT.test(token)) {
    throw new ExchangeTokenError(400, 'invalid_field', `must be a JWT access token for ${EXCHANGE_AUDIENCE}`);
  }
}

/**
 * Checks that `token` is `actor`'s own delegated Exchange Online token that Exchange would accept now; throws an
 * ExchangeTokenError naming the problem and what to do otherwise.
 */
export function inspectExchangeToken(token: string, actor: Actor, now: number = Date.now()): void {
  checkExchangeTokenShape(token);
  const problems = exchangeTokenProblems(readExchangeToken(token), now, { actor });
  const first = ORDER.map((check) => problems.find((p) => p.check === check)).find((p) => p !== undefined);
  if (!first) return;
  const [status, code] = REFUSALS[first.check];
  throw new ExchangeTokenError(status, code, first.problem);
}
