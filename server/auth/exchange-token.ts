/**
 * The admin's Exchange token (`X-Exchange-Token`), read before any PowerShell session starts or is reused. The
 * signature is not checked here: Exchange Online verifies its own tokens. What is checked is what Exchange would only
 * answer with a bare `UnAuthorized` (audience, expiry, the Exchange.Manage scope; exchange-facts.md, section 5), and
 * that the token belongs to the admin the verified API token names (`tid` and `oid`), so one admin's session never
 * acts with someone else's token and the run records always name who really acted.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';

/** The resource the delegated token is for (scope `https://outlook.office365.com/.default`). */
export const EXCHANGE_AUDIENCE = 'https://outlook.office365.com';
/**
 * The application id of Office 365 Exchange Online, which Entra may put in `aud` instead of the URL. Microsoft
 * documents this id as Exchange Online's service principal ("Configure Exchange Server to use Hybrid Modern Auth",
 * learn.microsoft.com/microsoft-365/enterprise/configure-exchange-server-for-hybrid-modern-authentication:
 * `Get-MgServicePrincipal -Filter "AppId eq '00000002-0000-0ff1-ce00-000000000000'"`).
 */
export const EXCHANGE_APP_ID = '00000002-0000-0ff1-ce00-000000000000';
/** The delegated permission Exchange Online checks (exchange-facts.md, section 5). */
export const EXCHANGE_SCOPE = 'Exchange.Manage';

const FIELD = 'X-Exchange-Token';
const MAX_LENGTH = 16_384;
// Three base64url segments: the token goes to pwsh as is, so nothing else (no newline, no quote) may pass.
const COMPACT_JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const GRANT = `In the app registration's API permissions, add the delegated permission ${EXCHANGE_SCOPE} of Office 365 Exchange `
  + 'Online and grant admin consent, then sign in again.';

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

/** Refuses a header value that is not shaped like a JWT, before anything reads it. */
export function checkExchangeTokenShape(token: string): void {
  if (token.length > MAX_LENGTH || !COMPACT_JWT.test(token)) {
    throw new ExchangeTokenError(400, 'invalid_field', `must be a JWT access token for ${EXCHANGE_AUDIENCE}`);
  }
}

/**
 * Checks that `token` is a delegated Exchange Online token of `actor` that Exchange would accept now; throws an
 * ExchangeTokenError naming what is wrong and what to do otherwise.
 */
export function inspectExchangeToken(token: string, actor: Actor, now: number = Date.now()): void {
  checkExchangeTokenShape(token);
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new ExchangeTokenError(401, 'exchange_token_unreadable', 'is not a readable JWT; sign in again to get a new Exchange token.');
  }
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audiences.some((aud) => aud.replace(/\/+$/, '') === EXCHANGE_AUDIENCE || aud === EXCHANGE_APP_ID)) {
    throw new ExchangeTokenError(401, 'exchange_token_audience',
      `is for ${audiences.length > 0 ? `the audience ${describe(audiences.join(', '))}` : 'no audience'}, not for Exchange Online `
      + `(${EXCHANGE_AUDIENCE}); request it with the scope ${EXCHANGE_AUDIENCE}/.default.`);
  }
  const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined;
  if (tid !== actor.tid.toLowerCase() || claims.oid !== actor.oid) {
    throw new ExchangeTokenError(403, 'exchange_token_other_admin',
      tid !== actor.tid.toLowerCase()
        ? 'belongs to another tenant than the one you signed in to; sign out and sign in again, so both tokens come from the same sign-in.'
        : 'belongs to another user than the one you signed in as; sign out and sign in again, so both tokens come from the same sign-in.');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    throw new ExchangeTokenError(401, 'exchange_token_expired',
      typeof claims.exp === 'number' ? 'has expired; sign in again (the page renews it by itself while it stays open).' : 'has no expiry (exp); sign in again.');
  }
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  if (!scopes.includes(EXCHANGE_SCOPE)) {
    throw new ExchangeTokenError(403, 'exchange_token_scope',
      `lacks the scope ${EXCHANGE_SCOPE} (it has ${scopes.length > 0 ? describe(scopes.join(' ')) : 'none'}), so Exchange would refuse it with UnAuthorized. ${GRANT}`);
  }
}

/** A claim value quoted for a message: short, and only printable ASCII, so nothing odd is echoed back. */
function describe(value: string): string {
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 120 ? `${clean.slice(0, 117)}...` : clean);
}
