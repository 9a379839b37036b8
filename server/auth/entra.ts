/**
 * Tenant mode: where Entra ID (or the test IdP) publishes its keys. OpenID discovery of each allowed tenant's issuer
 * gives the jwks_uri; jose's remote key set caches and refreshes the keys (key rollover) from there.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { EntraConfig } from '../config.ts';
import type { VerifierOptions } from './verifier.ts';

/** Verifier options for Entra access tokens (v2: the API registration needs `accessTokenAcceptedVersion: 2`). */
export function entraVerifierOptions(entra: EntraConfig): VerifierOptions {
  const issuerFor = (tid: string) => `${entra.authorityHost}/${tid}/v2.0`;
  const cache = new Map<string, Promise<JWTVerifyGetKey>>();
  return {
    audience: entra.apiAudience,
    allowedTenants: entra.tenantIds,
    requiredScope: entra.apiScope.slice(entra.apiScope.lastIndexOf('/') + 1),
    issuerFor,
    keysFor(tid) {
      let keys = cache.get(tid);
      if (!keys) {
        keys = discoverKeys(issuerFor(tid));
        cache.set(tid, keys);
        // A failed discovery is retried on the next request instead of being remembered.
        keys.catch(() => cache.delete(tid));
      }
      return keys;
    },
  };
}

/** Fetches the issuer's discovery document, checks it names the same issuer, and returns its key set. */
async function discoverKeys(issuer: string): Promise<JWTVerifyGetKey> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`discovery of ${issuer} answered ${response.status}`);
  const meta = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  if (meta.issuer !== issuer) throw new Error(`discovery of ${issuer} names another issuer: ${String(meta.issuer)}`);
  if (typeof meta.jwks_uri !== 'string') throw new Error(`discovery of ${issuer} has no jwks_uri`);
  return createRemoteJWKSet(new URL(meta.jwks_uri));
}
