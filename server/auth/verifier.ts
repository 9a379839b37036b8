/**
 * The one token verifier, for sandbox and Entra tokens alike: RS256 signature against the issuer's keys, issuer,
 * audience, expiry, tenant allow-list and scope. Everything it rejects becomes a 401 (403 for a missing scope).
 */
import { decodeJwt, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';

export interface VerifierOptions {
  audience: string;
  /** Tenant ids whose tokens are accepted (lower case). */
  allowedTenants: readonly string[];
  /** A delegated scope the token's `scp` must include, e.g. `access_as_user`. */
  requiredScope: string;
  /** The issuer a tenant's tokens must carry, e.g. `https://login.microsoftonline.com/<tid>/v2.0`. */
  issuerFor(tid: string): string;
  /** The tenant's signing keys (JWKS). May reject when the issuer cannot be reached. */
  keysFor(tid: string): Promise<JWTVerifyGetKey>;
}

export class AuthError extends Error {
  override name = 'AuthError';
  readonly status: 401 | 403 | 503;
  readonly code: string;
  constructor(status: 401 | 403 | 503, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export type Verify = (token: string) => Promise<Actor>;

// Three base64url segments, none empty: an unsigned (`alg: none`) token has an empty third segment.
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const MAX_TOKEN_LENGTH = 16_384;
// Entra and the sandbox issuer both sign with RS256; accepting anything else invites algorithm confusion.
const ALGORITHMS = ['RS256'];
const CLOCK_TOLERANCE_SECONDS = 60;

/** Builds the verifier; the returned function resolves to the caller or rejects with an AuthError. */
export function createVerifier(options: VerifierOptions): Verify {
  return async (token) => {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      throw new AuthError(401, 'invalid_token', 'The bearer token is not a signed JWT.');
    }
    const tid = unverifiedTenant(token);
    if (!options.allowedTenants.includes(tid)) {
      throw new AuthError(401, 'tenant_not_allowed', 'Tokens from this tenant are not accepted by this companion.');
    }
    let keys: JWTVerifyGetKey;
    try {
      keys = await options.keysFor(tid);
    } catch {
      throw new AuthError(
        503,
        'issuer_unavailable',
        "The sign-in service's keys could not be fetched; try again shortly.",
      );
    }
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuerFor(tid),
        audience: options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iat', 'tid', 'oid'],
      }));
    } catch (e) {
      throw new AuthError(401, 'invalid_token', describeJoseError(e));
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
    if (!scopes.includes(options.requiredScope)) {
      throw new AuthError(403, 'insufficient_scope', `The token lacks the scope ${options.requiredScope}.`);
    }
    const upn = typeof payload.upn === 'string' ? payload.upn : payload.preferred_username;
    if (String(payload.tid).toLowerCase() !== tid || typeof payload.oid !== 'string' || typeof upn !== 'string') {
      throw new AuthError(401, 'invalid_token', 'The token does not identify a user (tid, oid, upn).');
    }
    const actor: Actor = { tid, oid: payload.oid, upn };
    if (typeof payload.name === 'string') actor.name = payload.name;
    return actor;
  };
}

/**
 * Remembers tokens already verified (by their exact text) until they expire, so a page polling or streaming does
 * not pay an RSA verification per request. Bounded: the oldest entries go first. Failures are never remembered.
 */
export function withVerifiedCache(verify: Verify, maxEntries = 1_000, now: () => number = Date.now): Verify {
  const cache = new Map<string, { actor: Actor; expiresAt: number }>();
  return async (token) => {
    const hit = cache.get(token);
    if (hit && hit.expiresAt > now()) return hit.actor;
    cache.delete(token);
    const actor = await verify(token);
    const { exp } = decodeJwt(token);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(token, { actor, expiresAt: (exp ?? 0) * 1000 });
    return actor;
  };
}

/** The `tid` claim before verification, only to pick the issuer and keys; verification then checks it. */
function unverifiedTenant(token: string): string {
  try {
    const { tid } = decodeJwt(token);
    if (typeof tid === 'string') return tid.toLowerCase();
  } catch {
    /* falls through */
  }
  throw new AuthError(401, 'invalid_token', 'The bearer token has no readable tenant (tid) claim.');
}

/** A user-facing reason that says what was wrong without echoing the token. */
function describeJoseError(e: unknown): string {
  if (e instanceof errors.JWTExpired) return 'The token has expired; sign in again.';
  if (e instanceof errors.JWTClaimValidationFailed) return `The token's ${e.claim} claim is not accepted here.`;
  if (e instanceof errors.JOSEAlgNotAllowed) return 'The token is not signed with RS256.';
  if (e instanceof errors.JWSSignatureVerificationFailed) return "The token's signature does not verify.";
  if (e instanceof errors.JWKSNoMatchingKey) return 'The token is signed with a key this issuer does not publish.';
  return 'The token could not be verified.';
}
