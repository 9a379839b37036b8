/**
 * Tenant mode: the same verifier checks Entra-shaped tokens against keys found by OpenID discovery of the allowed
 * tenant's issuer; the config endpoint tells the browser how to sign in (no secrets); sandbox routes do not exist;
 * the X-Exchange-Token reaches the executor and is never written to the database.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createCompanion, type Companion } from '../../server/compose.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { SessionCredentials } from '../../server/executors/types.ts';
import { FakeClock } from '../support/clock.ts';
import { CONTOSO_TID, rawRequest, tempDataDir } from '../support/server.ts';

const CLIENT_ID = 'aaaaaaaa-0000-0000-0000-000000000001';
const AUDIENCE = 'api://companion';

describe('tenant mode', () => {
  let idp: http.Server;
  let idpOrigin: string;
  let signingKey: CryptoKey;
  let companion: Companion;
  let server: http.Server;
  let port: number;
  let dataDir: string;
  const seen: SessionCredentials[] = [];

  before(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    // A stand-in for login.microsoftonline.com: discovery and JWKS for one tenant.
    idp = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === `/${CONTOSO_TID}/v2.0/.well-known/openid-configuration`) {
        res.end(JSON.stringify({ issuer: `${idpOrigin}/${CONTOSO_TID}/v2.0`, jwks_uri: `${idpOrigin}/keys` }));
      } else if (req.url === '/keys') res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    idpOrigin = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

    dataDir = tempDataDir();
    const base = loadConfig({
      RUNBOOK_DATA_DIR: dataDir, PORT: '0', RUNBOOK_EXECUTOR: 'sandbox', RUNBOOK_ENTRA_CLIENT_ID: CLIENT_ID,
      RUNBOOK_ENTRA_TENANT_ID: CONTOSO_TID, RUNBOOK_API_AUDIENCE: AUDIENCE, RUNBOOK_ENTRA_AUTHORITY: 'https://login.example.test',
    }, ['--tenant']);
    // Plain http for the stand-in only; the configuration itself refuses http authorities (MSAL does too).
    const config: Config = { ...base, entra: { ...base.entra!, authorityHost: idpOrigin, authority: `${idpOrigin}/${CONTOSO_TID}` } };
    companion = await createCompanion(config, {
      clock: new FakeClock(Date.now()),
      executor: (inner) => ({
        name: inner.name, session: (creds) => (seen.push(creds), inner.session(creds)), warm: inner.warm.bind(inner), end: inner.end.bind(inner), close: inner.close.bind(inner),
      }),
    });
    server = http.createServer(companion.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.close();
    await companion.close();
    server.closeAllConnections();
    idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** An Entra-shaped v2 access token. */
  const entraToken = (claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: `${idpOrigin}/${CONTOSO_TID}/v2.0`, aud: AUDIENCE, iat: now, exp: now + 600,
      tid: CONTOSO_TID, oid: '00000000-0000-0000-0000-0000000a11ce', upn: 'alice@contoso.test', name: 'Alice', scp: 'access_as_user', ver: '2.0',
      ...claims,
    }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(signingKey);
  };

  test('config tells the browser how to sign in with Entra, and nothing secret', async () => {
    const reply = await rawRequest(port, '/api/config');
    assert.equal(reply.json.mode, 'tenant');
    assert.equal(reply.json.sandbox, undefined);
    assert.deepEqual(reply.json.entra, {
      clientId: CLIENT_ID, authority: `${idpOrigin}/${CONTOSO_TID}`, knownAuthorities: ['login.example.test'],
      companionScope: `${AUDIENCE}/access_as_user`, exchangeScope: 'https://outlook.office365.com/.default', allowedTenants: [CONTOSO_TID],
    });
  });

  test('sandbox sign-in, JWKS and reset do not exist', async () => {
    assert.equal((await rawRequest(port, '/api/sandbox/sign-in', { method: 'POST', body: { user: 'admin@contoso.onmicrosoft.com' } })).status, 401);
    assert.equal((await rawRequest(port, '/api/sandbox/.well-known/jwks.json')).status, 401);
  });

  test('an Entra token found through discovery is accepted; a wrong audience or issuer is not', async () => {
    assert.equal((await rawRequest(port, '/api/runs', { token: await entraToken() })).status, 200);
    assert.equal((await rawRequest(port, '/api/runs', { token: await entraToken({ aud: 'api://other' }) })).status, 401);
    assert.equal((await rawRequest(port, '/api/runs', { token: await entraToken({ iss: `https://login.microsoftonline.com/${CONTOSO_TID}/v2.0` }) })).status, 401);
    assert.equal((await rawRequest(port, '/api/runs', { token: await entraToken({ tid: '99999999-0000-0000-0000-000000000000' }) })).status, 401);
  });

  test('the Exchange token reaches the executor and is never stored', async () => {
    const exchangeToken = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('{"aud":"https://outlook.office365.com","marker":"x-exchange-secret-123"}').toString('base64url')}.c2lnbmF0dXJl`;
    const token = await entraToken();
    const started = await rawRequest(port, '/api/runs', { method: 'POST', token, body: { step: 'check-impersonation-role' }, headers: { 'x-exchange-token': exchangeToken } });
    assert.equal(started.status, 202, started.text);
    for (let i = 0; i < 100 && (await rawRequest(port, `/api/runs/${started.json.id}`, { token })).json.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(seen.at(-1)?.exchangeToken, exchangeToken);
    assert.equal(seen.at(-1)?.actor.upn, 'alice@contoso.test');
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(path.join(dataDir, file));
      assert.ok(!bytes.includes(exchangeToken.split('.')[1]!), `${file} holds no Exchange token`);
      assert.ok(!bytes.includes(token.split('.')[2]!), `${file} holds no access token`);
    }
  });
});
