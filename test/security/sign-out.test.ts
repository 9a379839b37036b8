/**
 * Sign-out (POST /api/session/end) in sandbox mode, where the companion issued the tokens: every token of that admin
 * issued before the sign-out is refused from then on (401 `signed_out`), on every protected endpoint; signing in
 * again, even within the same second, gives a token that works; other admins are not affected. Before this, the old
 * tokens kept working until they expired (60 minutes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SandboxSignInResponse } from '../../src/runbook/api.ts';
import { CONTOSO_ADMIN, FABRIKAM_ADMIN, startServer, type RequestOptions, type TestServer } from '../support/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer({ env: { RUNBOOK_RATE_LIMIT: '100000' } });
});
after(() => server.close(true));

/** The protected calls the page makes, each as it makes them. */
const CALLS: Array<[string, RequestOptions & { path: string }]> = [
  ['GET /api/runs', { path: '/api/runs' }],
  ['GET /api/steps', { path: '/api/steps' }],
  ['POST probe', { path: '/api/steps/check-dehydrated/probe', method: 'POST', body: {} }],
  ['POST /api/runs', { path: '/api/runs', method: 'POST', body: { step: 'check-impersonation-role' } }],
  ['GET transcript', { path: '/api/transcript?format=json' }],
  ['POST session warm', { path: '/api/session/warm', method: 'POST', body: {} }],
  ['POST sandbox reset', { path: '/api/sandbox/reset', method: 'POST', body: {} }],
  ['POST session end', { path: '/api/session/end', method: 'POST', body: {} }],
];

/** A call as `session`'s admin. */
const call = (session: SandboxSignInResponse, { path, ...options }: RequestOptions & { path: string }) =>
  server.request(path, {
    ...options,
    token: session.accessToken,
    headers: { 'x-exchange-token': session.exchangeToken },
  });

describe("after sign-out, the admin's earlier tokens are refused", () => {
  let earlier: SandboxSignInResponse;
  let current: SandboxSignInResponse;
  let other: SandboxSignInResponse;
  before(async () => {
    earlier = await server.signIn(CONTOSO_ADMIN);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // a token from an earlier second, too
    current = await server.signIn(CONTOSO_ADMIN);
    other = await server.signIn(FABRIKAM_ADMIN);
    assert.equal((await call(current, { path: '/api/runs' })).status, 200);
    const ended = await call(current, { path: '/api/session/end', method: 'POST', body: {} });
    assert.deepEqual([ended.status, ended.json], [200, { status: 'ended' }]);
  });

  for (const [name, request] of CALLS) {
    test(`${name}: 401 signed_out for the token used to sign out and for an older one`, async () => {
      for (const session of [current, earlier]) {
        const reply = await call(session, request);
        assert.deepEqual([reply.status, reply.json?.error?.code], [401, 'signed_out'], `${name}: ${reply.text}`);
        assert.match(String(reply.headers['www-authenticate']), /^Bearer error="invalid_token"/);
      }
    });
  }

  test('another admin is not signed out', async () => {
    assert.equal((await call(other, { path: '/api/runs' })).status, 200);
  });

  test('signing in again at once gives a token that works, until the next sign-out', async () => {
    const again = await server.signIn(CONTOSO_ADMIN);
    assert.equal((await call(again, { path: '/api/runs' })).status, 200, 'the new token works');
    assert.equal((await call(current, { path: '/api/runs' })).status, 401, 'the old one still does not');
    assert.equal((await call(again, { path: '/api/session/end', method: 'POST', body: {} })).status, 200);
    assert.equal((await call(again, { path: '/api/runs' })).json.error.code, 'signed_out');
    const third = await server.signIn(CONTOSO_ADMIN);
    assert.equal((await call(third, { path: '/api/runs' })).status, 200);
  });
});
