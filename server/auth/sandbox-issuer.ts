/**
 * The sandbox's own token issuer: signs short-lived RS256 tokens for the demo admins, Entra-shaped (iss per tenant,
 * tid, oid, upn, scp), and publishes its public key as a JWKS so the one verifier checks them like Entra tokens.
 *
 * The key pair is kept in the data folder (mode 0600) rather than regenerated at each start, so a page that was
 * signed in keeps working across a companion restart (the fault suite kills and restarts the server mid-run). It only
 * ever grants access to simulated tenants, and tenant mode never loads it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { Account, SandboxAdmin, SandboxSignInResponse } from '../../src/runbook/api.ts';
import { EXCHANGE_AUDIENCE, EXCHANGE_SCOPE } from './exchange-token.ts';
import type { VerifierOptions } from './verifier.ts';

/** Reserved `.invalid` host: clearly not a real sign-in service. */
const SANDBOX_ISSUER_HOST = 'https://sandbox.runbook.invalid';
const SANDBOX_API_AUDIENCE = 'api://runbook-companion';
const SANDBOX_API_SCOPE = 'access_as_user';
const KEY_FILE = 'sandbox-issuer-key.json';

export interface SandboxIssuer {
  jwks: JSONWebKeySet;
  /** What the verifier needs to accept this issuer's tokens for the given tenants. */
  verifierOptions(allowedTenants: readonly string[]): VerifierOptions;
  /** Signs the admin's tokens, issued at `issuedAt` (seconds; now by default). */
  signIn(admin: SandboxAdmin, issuedAt?: number): Promise<SandboxSignInResponse>;
}

/** Loads (or creates) the signing key in `dataDir` and returns the issuer. */
export async function openSandboxIssuer(dataDir: string, lifetimeMinutes: number): Promise<SandboxIssuer> {
  const { privateKey, publicJwk } = await loadOrCreateKey(dataDir);
  const jwks: JSONWebKeySet = { keys: [publicJwk] };
  const keys = createLocalJWKSet(jwks);
  const issuerFor = (tid: string) => `${SANDBOX_ISSUER_HOST}/${tid}/v2.0`;

  /** Signs one token for `audience` with the admin's identity claims. */
  const sign = (account: Account, audience: string, scp: string, issuedAt: number, expiresAt: number) =>
    new SignJWT({
      tid: account.tid,
      oid: account.oid,
      upn: account.upn,
      preferred_username: account.upn,
      name: account.name,
      scp,
      ver: '2.0',
    })
      .setProtectedHeader({ alg: 'RS256', kid: publicJwk.kid!, typ: 'JWT' })
      .setIssuer(issuerFor(account.tid))
      .setSubject(account.oid)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setNotBefore('0s')
      .setExpirationTime(expiresAt)
      .sign(privateKey);

  return {
    jwks,
    verifierOptions: (allowedTenants) => ({
      audience: SANDBOX_API_AUDIENCE,
      allowedTenants,
      requiredScope: SANDBOX_API_SCOPE,
      issuerFor,
      keysFor: async () => keys,
    }),
    async signIn(admin, issuedAt = Math.floor(Date.now() / 1000)) {
      const account: Account = {
        upn: admin.upn,
        name: admin.name,
        tid: admin.tid,
        oid: sandboxObjectId(admin.upn),
        tenantName: admin.tenant,
      };
      const expiresAt = issuedAt + lifetimeMinutes * 60;
      return {
        accessToken: await sign(account, SANDBOX_API_AUDIENCE, SANDBOX_API_SCOPE, issuedAt, expiresAt),
        exchangeToken: await sign(account, EXCHANGE_AUDIENCE, EXCHANGE_SCOPE, issuedAt, expiresAt),
        expiresOn: new Date(expiresAt * 1000).toISOString(),
        account,
      };
    },
  };
}

/** A stable object id for a demo admin, shaped like an Entra GUID, so their runs survive restarts. */
export function sandboxObjectId(upn: string): string {
  const h = createHash('sha256').update(`runbook-sandbox:${upn.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Reads the private JWK from the data folder, or generates and writes one (atomically, owner-only). */
async function loadOrCreateKey(dataDir: string): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  const file = path.join(dataDir, KEY_FILE);
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(`Cannot read the sandbox signing key ${file}: delete it to have a new one made`, { cause: e });
    const pair = await generateKeyPair('RS256', { extractable: true, modulusLength: 2048 });
    privateJwk = await exportJWK(pair.privateKey);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(privateJwk), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
  const { kty, n, e } = privateJwk;
  const publicJwk: JWK = { kty, n, e };
  publicJwk.kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, publicJwk: { ...publicJwk, alg: 'RS256', use: 'sig' } };
}
