/**
 * A companion in tenant mode over real HTTP, with a stand-in for login.microsoftonline.com (OpenID discovery and
 * JWKS for contoso's tenant id, over plain http on 127.0.0.1) whose key signs Entra-shaped v2 tokens: the companion's
 * own (`apiToken`) and Exchange ones (`exchangeToken`, aud https://outlook.office365.com, scp Exchange.Manage).
 * The executor is the sandbox simulator, unless `executor` wraps or replaces it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createHttpServer } from '../../server/http/server.ts';
import { createCompanion, type Companion } from '../../server/compose.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { Executor } from '../../server/executors/types.ts';
import { FakeClock } from './clock.ts';
import { CONTOSO_TID, rawRequest, tempDataDir, type Reply, type RequestOptions } from './server.ts';

export const CLIENT_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
export const AUDIENCE = 'api://companion';
/** Alice and Bob, two admins of contoso's tenant. */
export const ALICE = { oid: '00000000-0000-0000-0000-0000000a11ce', upn: 'alice@contoso.test', name: 'Alice' };
export const BOB = { oid: '00000000-0000-0000-0000-000000000b0b', upn: 'bob@contoso.test', name: 'Bob' };

export interface TenantServer {
  companion: Companion;
  config: Config;
  port: number;
  dataDir: string;
  idpOrigin: string;
  request(pathname: string, options?: RequestOptions): Promise<Reply>;
  /** A companion token for `who` (Alice by default); `claims` override or (undefined) remove claims. */
  apiToken(claims?: Record<string, unknown>, who?: typeof ALICE): Promise<string>;
  /** An Exchange token for `who` (Alice by default), signed by the same issuer as Entra would. */
  exchangeToken(claims?: Record<string, unknown>, who?: typeof ALICE): Promise<string>;
  close(): Promise<void>;
}

/** Starts the stand-in IdP and the companion (tenant mode, contoso's tenant allowed). */
export async function startTenantServer(
  options: { executor?: (simulated: Executor) => Executor } = {},
): Promise<TenantServer> {
  const pair = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let idpOrigin = '';
  const idp = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === `/${CONTOSO_TID}/v2.0/.well-known/openid-configuration`) {
      res.end(JSON.stringify({ issuer: `${idpOrigin}/${CONTOSO_TID}/v2.0`, jwks_uri: `${idpOrigin}/keys` }));
    } else if (req.url === '/keys') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  idpOrigin = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

  const dataDir = tempDataDir();
  const base = loadConfig(
    {
      RUNBOOK_DATA_DIR: dataDir,
      PORT: '0',
      RUNBOOK_EXECUTOR: 'sandbox',
      RUNBOOK_ENTRA_CLIENT_ID: CLIENT_ID,
      RUNBOOK_ENTRA_TENANT_ID: CONTOSO_TID,
      RUNBOOK_API_AUDIENCE: AUDIENCE,
      RUNBOOK_ENTRA_AUTHORITY: 'https://login.example.test',
    },
    ['--tenant'],
  );
  // Plain http for the stand-in only; the configuration itself refuses http authorities (MSAL does too).
  const config: Config = {
    ...base,
    entra: { ...base.entra!, authorityHost: idpOrigin, authority: `${idpOrigin}/${CONTOSO_TID}` },
  };
  const companion = await createCompanion(config, {
    clock: new FakeClock(Date.now()),
    ...(options.executor ? { executor: options.executor } : {}),
  });
  const server = createHttpServer(companion.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  /** Signs an Entra-shaped v2 token. */
  const sign = (
    defaults: Record<string, unknown>,
    claims: Record<string, unknown>,
    who: typeof ALICE,
    key: CryptoKey = pair.privateKey,
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: `${idpOrigin}/${CONTOSO_TID}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 600,
      tid: CONTOSO_TID,
      oid: who.oid,
      upn: who.upn,
      name: who.name,
      ver: '2.0',
      ...defaults,
      ...claims,
    };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete payload[k];
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key);
  };
  return {
    companion,
    config,
    port,
    dataDir,
    idpOrigin,
    request: (pathname, opts) => rawRequest(port, pathname, opts),
    apiToken: (claims = {}, who = ALICE) => sign({ aud: AUDIENCE, scp: 'access_as_user' }, claims, who),
    exchangeToken: (claims = {}, who = ALICE) =>
      sign({ aud: 'https://outlook.office365.com', scp: 'Exchange.Manage' }, claims, who),
    async close() {
      server.close();
      await companion.close();
      server.closeAllConnections();
      idp.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
