/**
 * Forged, tampered and misplaced tokens against every protected endpoint: no token, wrong scheme, alg:none,
 * HS256 signed with the public key (key confusion), a foreign key under the right kid, an embedded `jwk`, tampered
 * claims, another tenant, wrong audience or issuer, expired, not yet valid, missing claims or scope, a token of
 * another companion, the Exchange token replayed as the API token. Each: 401 (403 for scope) with the exact code,
 * WWW-Authenticate, nothing echoed, and nothing changed (POST /api/runs asks for the irreversible step).
 */
import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, createPublicKey, createSign } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { openSandboxIssuer } from '../../server/auth/sandbox-issuer.ts';
import { decodeParts, FABRIKAM_TID, type RequestOptions, signWithSandboxKey, tempDataDir } from '../support/server.ts';
import { assertRefused, CONTOSO_TID, type Expected, type Hostile, hostileServer, send } from '../support/security.ts';

let h: Hostile;
const tokens = new Map<string, string | undefined>();
/** Header values sent instead of `Bearer <token>`, by case name. */
const rawAuthorization = new Map<string, string>();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The case table: name -> what the companion must answer. Tokens are built in `before` (they need the server). */
const CASES: Array<[string, Expected]> = [
  ['no Authorization header', { status: 401, code: 'missing_token' }],
  ['Basic scheme', { status: 401, code: 'missing_token' }],
  ['two bearer tokens', { status: 401, code: 'missing_token' }],
  ['bearer with two spaces', { status: 401, code: 'missing_token' }],
  ['token only in the query string', { status: 401, code: 'missing_token' }],
  ['not a JWT', { status: 401, code: 'invalid_token' }],
  ['alg none, empty signature', { status: 401, code: 'invalid_token' }],
  ['alg none, some signature', { status: 401, code: 'invalid_token' }],
  ['HS256 with the public key as PEM (key confusion)', { status: 401, code: 'invalid_token' }],
  ['HS256 with the public JWK as secret (key confusion)', { status: 401, code: 'invalid_token' }],
  ['RS512 with the right key', { status: 401, code: 'invalid_token' }],
  ['PS256 with the right key', { status: 401, code: 'invalid_token' }],
  ['tampered upn, signature kept', { status: 401, code: 'invalid_token' }],
  ['tampered oid (another admin), signature kept', { status: 401, code: 'invalid_token' }],
  ['tampered tid (fabrikam), signature kept', { status: 401, code: 'invalid_token' }],
  ['signature of another token', { status: 401, code: 'invalid_token' }],
  ["a foreign key under the issuer's kid", { status: 401, code: 'invalid_token' }],
  ['a foreign key embedded in the header (jwk)', { status: 401, code: 'invalid_token' }],
  ['a foreign key set by URL (jku)', { status: 401, code: 'invalid_token' }],
  ['unknown critical header', { status: 401, code: 'invalid_token' }],
  ['token of another companion (its own sandbox key)', { status: 401, code: 'invalid_token' }],
  ['the Exchange token replayed as the API token (wrong audience)', { status: 401, code: 'invalid_token' }],
  ['wrong audience', { status: 401, code: 'invalid_token' }],
  ['wrong issuer (real Entra host)', { status: 401, code: 'invalid_token' }],
  ['issuer of the other tenant', { status: 401, code: 'invalid_token' }],
  ['tenant not allowed', { status: 401, code: 'tenant_not_allowed' }],
  ['tid not a string', { status: 401, code: 'invalid_token' }],
  ['expired an hour ago', { status: 401, code: 'invalid_token' }],
  ['not valid for another hour', { status: 401, code: 'invalid_token' }],
  ['issued in the future beyond tolerance, no exp', { status: 401, code: 'invalid_token' }],
  ['no oid', { status: 401, code: 'invalid_token' }],
  ['no upn', { status: 401, code: 'invalid_token' }],
  ['no scope', { status: 403, code: 'insufficient_scope' }],
  ['another scope', { status: 403, code: 'insufficient_scope' }],
  // Node's HTTP parser refuses headers over 16 kB before the app sees them.
  ['over 16 kB', { status: 431 }],
];

/** Protected endpoints, each called as the page would (POST /api/runs asks for the irreversible step). */
const ENDPOINTS: Array<[string, (x: Hostile) => RequestOptions & { path: string }]> = [
  ['GET /api/runs', () => ({ path: '/api/runs' })],
  ['POST /api/runs', () => ({ path: '/api/runs', method: 'POST', body: { step: 'enable-customization' } })],
  ['GET /api/steps', () => ({ path: '/api/steps' })],
  ['POST probe', () => ({ path: '/api/steps/check-dehydrated/probe', method: 'POST', body: {} })],
  ['GET a run', (x) => ({ path: `/api/runs/${x.contosoRun.id}` })],
  ["GET a run's events", (x) => ({ path: `/api/runs/${x.contosoRun.id}/events` })],
  ['GET transcript', () => ({ path: '/api/transcript?format=json' })],
  ['POST sandbox reset', () => ({ path: '/api/sandbox/reset', method: 'POST', body: {} })],
  ['POST session warm', () => ({ path: '/api/session/warm', method: 'POST', body: {} })],
];

before(async () => {
  h = await hostileServer();
  const good = h.contoso.accessToken;
  const { header, payload } = decodeParts(good);
  const [gh, gp, gs] = good.split('.') as [string, string, string];
  const now = Math.floor(Date.now() / 1000);
  const sign = (p: JWTPayload, hdr: Record<string, unknown> = {}) =>
    signWithSandboxKey(h.server.dataDir, p, { kid: header.kid, typ: 'JWT', ...hdr });
  // The issuer's own private key, used with an algorithm the companion must not accept.
  const privateJwk = JSON.parse(readFileSync(path.join(h.server.dataDir, 'sandbox-issuer-key.json'), 'utf8')) as JWK;
  // jose refuses to sign an unknown critical header, so this one is signed by hand.
  const rawSign = (hdr: Record<string, unknown>) => {
    const input = `${b64(hdr)}.${gp}`;
    return `${input}.${createSign('sha256')
      .update(input)
      .sign(createPrivateKey({ key: privateJwk, format: 'jwk' }))
      .toString('base64url')}`;
  };
  const signAs = async (alg: string) =>
    new SignJWT(payload).setProtectedHeader({ alg, kid: String(header.kid) }).sign(await importJWK(privateJwk, alg));
  const claims = (changes: Record<string, unknown>) => {
    const p: Record<string, unknown> = { ...payload, ...changes };
    for (const [k, v] of Object.entries(changes)) if (v === undefined) delete p[k];
    return p;
  };
  const hs256 = (secret: string | Buffer) => {
    const head = b64({ alg: 'HS256', typ: 'JWT', kid: header.kid });
    return `${head}.${gp}.${createHmac('sha256', secret).update(`${head}.${gp}`).digest('base64url')}`;
  };
  const publicJwk = (await send(h, '/api/sandbox/.well-known/jwks.json')).json.keys[0];
  const publicPem = createPublicKey({ key: publicJwk, format: 'jwk' }).export({
    type: 'spki',
    format: 'pem',
  }) as string;
  const foreign = await generateKeyPair('RS256', { extractable: true });
  const foreignJwk = await exportJWK(foreign.publicKey);
  const foreignSign = (hdr: Record<string, unknown>) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...hdr }).sign(foreign.privateKey);
  const otherDir = tempDataDir();
  const otherCompanion = await openSandboxIssuer(otherDir, 60);
  const otherCompanionToken = (
    await otherCompanion.signIn({ upn: payload.upn, name: 'x', tenant: 'contoso', tid: CONTOSO_TID, description: '' })
  ).accessToken;

  const set = (name: string, token: string | undefined) => tokens.set(name, token);
  set('no Authorization header', undefined);
  rawAuthorization.set('Basic scheme', `Basic ${Buffer.from('admin:password').toString('base64')}`);
  rawAuthorization.set('two bearer tokens', `Bearer ${good} ${good}`);
  rawAuthorization.set('bearer with two spaces', `Bearer  ${good}`);
  set('token only in the query string', undefined);
  set('not a JWT', 'not-a-token');
  set('alg none, empty signature', `${b64({ alg: 'none', typ: 'JWT' })}.${gp}.`);
  set('alg none, some signature', `${b64({ alg: 'none', typ: 'JWT' })}.${gp}.${gs}`);
  set('HS256 with the public key as PEM (key confusion)', hs256(publicPem));
  set('HS256 with the public JWK as secret (key confusion)', hs256(JSON.stringify(publicJwk)));
  set('RS512 with the right key', await signAs('RS512'));
  set('PS256 with the right key', await signAs('PS256'));
  set('tampered upn, signature kept', `${gh}.${b64(claims({ upn: 'admin@fabrikam.onmicrosoft.com' }))}.${gs}`);
  set('tampered oid (another admin), signature kept', `${gh}.${b64(claims({ oid: h.fabrikam.account.oid }))}.${gs}`);
  set('tampered tid (fabrikam), signature kept', `${gh}.${b64(claims({ tid: FABRIKAM_TID }))}.${gs}`);
  set('signature of another token', `${gh}.${gp}.${h.fabrikam.accessToken.split('.')[2]}`);
  set("a foreign key under the issuer's kid", await foreignSign({ kid: header.kid }));
  set('a foreign key embedded in the header (jwk)', await foreignSign({ jwk: foreignJwk }));
  set('a foreign key set by URL (jku)', await foreignSign({ kid: 'attacker', jku: 'http://127.0.0.1:9/jwks.json' }));
  set(
    'unknown critical header',
    rawSign({ alg: 'RS256', typ: 'JWT', kid: header.kid, crit: ['x-unknown'], 'x-unknown': 1 }),
  );
  set('token of another companion (its own sandbox key)', otherCompanionToken);
  rmSync(otherDir, { recursive: true, force: true });
  set('the Exchange token replayed as the API token (wrong audience)', h.contoso.exchangeToken);
  set('wrong audience', await sign(claims({ aud: 'api://another-app' })));
  set(
    'wrong issuer (real Entra host)',
    await sign(claims({ iss: `https://login.microsoftonline.com/${CONTOSO_TID}/v2.0` })),
  );
  set(
    'issuer of the other tenant',
    await sign(claims({ iss: `https://sandbox.runbook.invalid/${FABRIKAM_TID}/v2.0` })),
  );
  set(
    'tenant not allowed',
    await sign(
      claims({
        tid: '11111111-2222-4333-8444-555555555555',
        iss: 'https://sandbox.runbook.invalid/11111111-2222-4333-8444-555555555555/v2.0',
      }),
    ),
  );
  set('tid not a string', await sign(claims({ tid: 42 })));
  set('expired an hour ago', await sign(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })));
  set('not valid for another hour', await sign(claims({ nbf: now + 3600 })));
  set('issued in the future beyond tolerance, no exp', await sign(claims({ iat: now + 3600, exp: undefined })));
  set('no oid', await sign(claims({ oid: undefined })));
  set('no upn', await sign(claims({ upn: undefined, preferred_username: undefined })));
  set('no scope', await sign(claims({ scp: undefined })));
  set('another scope', await sign(claims({ scp: 'access_as_admin' })));
  set('over 16 kB', await sign(claims({ padding: 'p'.repeat(17_000) })));
  for (const [name] of CASES) assert.ok(tokens.has(name) || rawAuthorization.has(name), `case ${name} has a token`);
});
after(() => h.close());

describe('forged and misplaced tokens on every protected endpoint', () => {
  for (const [name, expected] of CASES) {
    for (const [endpoint, call] of ENDPOINTS) {
      test(`${name}: ${endpoint}`, async () => {
        const { path, ...options } = call(h);
        const token = tokens.get(name);
        const headers: Record<string, string> = {};
        const raw = rawAuthorization.get(name);
        if (raw) headers.authorization = raw;
        const query =
          name === 'token only in the query string'
            ? `${path.includes('?') ? '&' : '?'}access_token=${h.contoso.accessToken}`
            : '';
        const before = await h.snapshot();
        const reply = await send(h, `${path}${query}`, { ...options, headers, ...(token ? { token } : {}) });
        const secrets = [token, raw].filter((t): t is string => !!t).map((t) => t.split('.').at(-1)!);
        await assertRefused(h, reply, expected, before, secrets);
        if (expected.status === 401)
          assert.match(String(reply.headers['www-authenticate']), /^Bearer error="invalid_token"/);
      });
    }
  }
});
