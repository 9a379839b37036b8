/**
 * The token matrix: only a token signed by the issuer's key, for this API, from an allowed tenant, unexpired and
 * RS256 gets through; everything else is 401 (a missing scope is 403). Checked on a protected route over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import {
  CONTOSO_ADMIN,
  CONTOSO_TID,
  decodeParts,
  signWithSandboxKey,
  startServer,
  type TestServer,
} from '../../support/server.ts';

const ISSUER = `https://sandbox.runbook.invalid/${CONTOSO_TID}/v2.0`;
const OTHER_TID = '11111111-2222-3333-4444-555555555555';

describe('token verification', () => {
  let server: TestServer;
  let good: string;
  let claims: Record<string, any>;
  let kid: string;

  before(async () => {
    server = await startServer();
    const signIn = await server.signIn(CONTOSO_ADMIN);
    good = signIn.accessToken;
    const parts = decodeParts(good);
    claims = parts.payload;
    kid = String(parts.header.kid);
  });
  after(() => server.close(true));

  /** GET /api/runs with this Authorization header value. */
  const call = (authorization?: string) =>
    server.request('/api/runs', authorization === undefined ? {} : { headers: { authorization } });
  /** A token with the good one's claims, some replaced, signed with the sandbox key. */
  const forged = (changes: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    signWithSandboxKey(server.dataDir, { ...claims, ...changes }, { kid, ...header });

  test('a valid sandbox token is accepted', async () => {
    const reply = await call(`Bearer ${good}`);
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json, []);
  });

  test('the token carries the Entra-shaped claims of the demo admin', () => {
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, 'api://runbook-companion');
    assert.equal(claims.tid, CONTOSO_TID);
    assert.equal(claims.upn, CONTOSO_ADMIN);
    assert.match(claims.oid, /^[0-9a-f-]{36}$/);
    assert.ok(claims.exp - claims.iat <= 3600, 'short-lived');
  });

  const rejected: Array<[string, () => Promise<string | undefined>]> = [
    ['no Authorization header', async () => undefined],
    ['a non-Bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a bearer value that is not a JWT', async () => 'Bearer not-a-token'],
    [
      'a tampered payload (upn changed, signature kept)',
      async () => {
        const [h, , s] = good.split('.');
        const payload = Buffer.from(JSON.stringify({ ...claims, upn: 'attacker@contoso.onmicrosoft.com' })).toString(
          'base64url',
        );
        return `Bearer ${h}.${payload}.${s}`;
      },
    ],
    ['a wrong audience', async () => `Bearer ${await forged({ aud: 'api://someone-else' })}`],
    [
      'the Exchange token (audience outlook.office365.com)',
      async () => `Bearer ${(await server.signIn(CONTOSO_ADMIN)).exchangeToken}`,
    ],
    [
      'a wrong issuer',
      async () => `Bearer ${await forged({ iss: 'https://login.microsoftonline.com/' + CONTOSO_TID + '/v2.0' })}`,
    ],
    [
      'an expired token',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        return `Bearer ${await forged({ iat: now - 7200, nbf: now - 7200, exp: now - 600 })}`;
      },
    ],
    [
      'a token from a tenant not on the allow-list',
      async () =>
        `Bearer ${await forged({ tid: OTHER_TID, iss: `https://sandbox.runbook.invalid/${OTHER_TID}/v2.0` })}`,
    ],
    [
      "an allowed tenant id under another tenant's issuer",
      async () => `Bearer ${await forged({ tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002' })}`,
    ],
    [
      'alg none (unsigned)',
      async () => {
        const h = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return `Bearer ${h}.${p}.`;
      },
    ],
    [
      'alg none with a junk signature',
      async () => {
        const h = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const p = Buffer.from(JSON.stringify(claims)).toString('base64url');
        return `Bearer ${h}.${p}.AAAA`;
      },
    ],
    [
      'HS256 keyed with the public JWKS (algorithm confusion)',
      async () => {
        const jwks = (await server.request('/api/sandbox/.well-known/jwks.json')).json;
        const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
        return `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid }).sign(secret)}`;
      },
    ],
    [
      'signed by another key under the same kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return `Bearer ${await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(privateKey)}`;
      },
    ],
    ['a token without an oid claim', async () => `Bearer ${await forged({ oid: undefined })}`],
    [
      'a token not yet valid (nbf in an hour)',
      async () => `Bearer ${await forged({ nbf: Math.floor(Date.now() / 1000) + 3600 })}`,
    ],
  ];
  for (const [name, make] of rejected) {
    test(`401 for ${name}`, async () => {
      const reply = await call(await make());
      assert.equal(reply.status, 401, reply.text);
      assert.ok(reply.json.error.code, 'error code present');
      assert.match(String(reply.headers['www-authenticate']), /^Bearer/);
      assert.doesNotMatch(reply.text, /eyJ/, 'never echoes a token');
    });
  }

  test('403 for a valid token without the access_as_user scope', async () => {
    const reply = await call(`Bearer ${await forged({ scp: 'Mail.Read' })}`);
    assert.equal(reply.status, 403, reply.text);
    assert.equal(reply.json.error.code, 'insufficient_scope');
  });

  test('the JWKS publishes only a public RS256 key', async () => {
    const { keys } = (await server.request('/api/sandbox/.well-known/jwks.json')).json;
    assert.equal(keys.length, 1);
    assert.equal(keys[0].alg, 'RS256');
    assert.equal(keys[0].kid, kid);
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(keys[0][secret], undefined, `no ${secret}`);
  });

  test('sign-in refuses users who are not demo admins, naming the field', async () => {
    const reply = await server.request('/api/sandbox/sign-in', {
      method: 'POST',
      body: { user: 'ceo@contoso.onmicrosoft.com' },
    });
    assert.equal(reply.status, 400);
    assert.equal(reply.json.error.field, 'user');
  });
});
