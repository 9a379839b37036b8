/**
 * Tenant mode: the same verifier checks Entra-shaped tokens against keys found by OpenID discovery of the allowed
 * tenant's issuer; the config endpoint tells the browser how to sign in (no secrets); sandbox routes do not exist;
 * the X-Exchange-Token reaches the executor and is never written to the database.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { SessionCredentials } from '../../server/executors/types.ts';
import { CONTOSO_TID } from '../support/server.ts';
import { AUDIENCE, CLIENT_ID, startTenantServer, type TenantServer } from '../support/tenant-server.ts';

describe('tenant mode', () => {
  let server: TenantServer;
  const seen: SessionCredentials[] = [];

  before(async () => {
    server = await startTenantServer({
      executor: (inner) => ({
        ...inner,
        name: inner.name,
        session: (creds) => (seen.push(creds), inner.session(creds)),
        warm: inner.warm.bind(inner),
        end: inner.end.bind(inner),
        close: inner.close.bind(inner),
      }),
    });
  });
  after(() => server.close());

  test('config tells the browser how to sign in with Entra, and nothing secret', async () => {
    const reply = await server.request('/api/config');
    assert.equal(reply.json.mode, 'tenant');
    assert.equal(reply.json.sandbox, undefined);
    assert.deepEqual(reply.json.entra, {
      clientId: CLIENT_ID,
      authority: `${server.idpOrigin}/${CONTOSO_TID}`,
      knownAuthorities: ['login.example.test'],
      companionScope: `${AUDIENCE}/access_as_user`,
      exchangeScope: 'https://outlook.office365.com/.default',
      allowedTenants: [CONTOSO_TID],
    });
  });

  test('sandbox sign-in, JWKS and reset do not exist', async () => {
    assert.equal(
      (
        await server.request('/api/sandbox/sign-in', {
          method: 'POST',
          body: { user: 'admin@contoso.onmicrosoft.com' },
        })
      ).status,
      401,
    );
    assert.equal((await server.request('/api/sandbox/.well-known/jwks.json')).status, 401);
  });

  test('an Entra token found through discovery is accepted; a wrong audience or issuer is not', async () => {
    assert.equal((await server.request('/api/runs', { token: await server.apiToken() })).status, 200);
    assert.equal(
      (await server.request('/api/runs', { token: await server.apiToken({ aud: 'api://other' }) })).status,
      401,
    );
    assert.equal(
      (
        await server.request('/api/runs', {
          token: await server.apiToken({ iss: `https://login.microsoftonline.com/${CONTOSO_TID}/v2.0` }),
        })
      ).status,
      401,
    );
    assert.equal(
      (
        await server.request('/api/runs', {
          token: await server.apiToken({ tid: '99999999-0000-0000-0000-000000000000' }),
        })
      ).status,
      401,
    );
  });

  test('the Exchange token reaches the executor and is never stored', async () => {
    const exchangeToken = await server.exchangeToken({ marker: 'x-exchange-secret-123' });
    const token = await server.apiToken();
    const started = await server.request('/api/runs', {
      method: 'POST',
      token,
      body: { step: 'check-impersonation-role' },
      headers: { 'x-exchange-token': exchangeToken },
    });
    assert.equal(started.status, 202, started.text);
    for (
      let i = 0;
      i < 100 && (await server.request(`/api/runs/${started.json.id}`, { token })).json.status === 'running';
      i++
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(seen.at(-1)?.exchangeToken, exchangeToken);
    assert.equal(seen.at(-1)?.actor.upn, 'alice@contoso.test');
    for (const file of readdirSync(server.dataDir)) {
      const bytes = readFileSync(path.join(server.dataDir, file));
      assert.ok(!bytes.includes(exchangeToken.split('.')[1]!), `${file} holds no Exchange token`);
      assert.ok(!bytes.includes(token.split('.')[2]!), `${file} holds no access token`);
    }
  });
});
