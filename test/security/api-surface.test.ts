/**
 * One API surface: every other spelling of an API path (letter case, trailing slash, doubled slashes, percent-encoded
 * or double-encoded characters, dot segments, a backslash) is an API request like any other: it answers 404
 * `not_found` when signed in (401 before, like any unknown API path; never the endpoint's answer), with the API's
 * headers (`Cache-Control: no-store`, the deny-all policy), and the cross-site guards apply to it. Before this,
 * `/API/health`, `/Api/config` and `/API/transcript` were served with the page's headers, and
 * `Sec-Fetch-Site: cross-site` without an Origin got 200 there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RequestOptions } from '../support/server.ts';
import { hostileServer, send, type Hostile } from '../support/security.ts';

let h: Hostile;
before(async () => {
  h = await hostileServer();
});
after(() => h.close());

/** Every odd spelling of `canonical` (a path under /api/). */
function variants(canonical: string): string[] {
  const rest = canonical.slice('/api/'.length);
  const [first, ...others] = rest.split('/');
  const tail = others.length > 0 ? `/${others.join('/')}` : '';
  const upperFirst = `${first![0]!.toUpperCase()}${first!.slice(1)}`;
  return [
    `/API/${rest}`,
    `/Api/${rest}`,
    `/aPi/${rest}`,
    `/api/${first!.toUpperCase()}${tail}`,
    `/api/${upperFirst}${tail}`,
    `${canonical}/`,
    `/${canonical}`,
    `/api//${rest}`,
    `/api///${rest}`,
    `/%61pi/${rest}`,
    `/%41PI/${rest}`,
    `/api/%${first!.charCodeAt(0).toString(16)}${first!.slice(1)}${tail}`,
    `/api%2F${rest}`,
    `/api%2f${rest}`,
    `${canonical}%2F`,
    `/%2561pi/${rest}`,
    `/./api/${rest}`,
    `/api/./${rest}`,
    `/api/x/../${rest}`,
    `/x/../api/${rest}`,
    `/api\\${rest}`,
  ];
}

const ENDPOINTS: Array<[string, (x: Hostile) => RequestOptions]> = [
  ['/api/health', () => ({})],
  ['/api/config', () => ({})],
  ['/api/steps', (x) => ({ token: x.contoso.accessToken })],
  ['/api/runs', (x) => ({ token: x.contoso.accessToken })],
  ['/api/transcript', (x) => ({ token: x.contoso.accessToken })],
  ['/api/sandbox/sign-in', () => ({ method: 'POST', body: { user: 'admin@contoso.onmicrosoft.com' } })],
  ['/api/steps/check-dehydrated/probe', (x) => ({ method: 'POST', token: x.contoso.accessToken, body: {} })],
];

/** The API's own headers, which the site's pages do not get. */
function assertApiHeaders(reply: { headers: Record<string, unknown> }, what: string, json = true): void {
  assert.equal(reply.headers['cache-control'], 'no-store', `${what}: Cache-Control`);
  assert.equal(
    reply.headers['content-security-policy'],
    "default-src 'none'; frame-ancestors 'none'",
    `${what}: the API's policy`,
  );
  if (json) assert.match(String(reply.headers['content-type']), /^application\/json/, `${what}: JSON`);
}

for (const [canonical, options] of ENDPOINTS) {
  describe(`${canonical} spelled otherwise`, () => {
    test('the canonical path answers, with the API headers', async () => {
      const reply = await send(h, canonical, options(h));
      assert.equal(reply.status, 200, reply.text);
      assertApiHeaders(reply, canonical, canonical !== '/api/transcript');
    });
    for (const path of variants(canonical)) {
      test(`${path}: 404 not_found with the API headers; cross-site refused`, async () => {
        // Signed in, so what answers is the routing, not the sign-in check.
        const signedIn = { ...options(h), token: h.contoso.accessToken };
        const reply = await send(h, path, signedIn);
        assert.deepEqual(
          [reply.status, reply.json?.error?.code],
          [404, 'not_found'],
          `${path}: ${reply.status} ${reply.text.slice(0, 200)}`,
        );
        assertApiHeaders(reply, path);
        const anonymous = await send(h, path, { ...options(h), token: undefined });
        assert.ok(
          [401, 404].includes(anonymous.status),
          `${path} without a token: ${anonymous.status} ${anonymous.text.slice(0, 200)}`,
        );
        assertApiHeaders(anonymous, path);
        const foreignHeaders: Array<Record<string, string>> = [
          { 'sec-fetch-site': 'cross-site' },
          { origin: 'https://evil.example' },
        ];
        for (const headers of foreignHeaders) {
          const foreign = await send(h, path, { ...signedIn, headers });
          assert.deepEqual(
            [foreign.status, foreign.json?.error?.code],
            [403, 'forbidden_origin'],
            `${path} ${JSON.stringify(headers)}: ${foreign.text.slice(0, 200)}`,
          );
          assertApiHeaders(foreign, path);
        }
      });
    }
  });
}

test('/api itself and /API are API answers too, and refused cross-site', async () => {
  for (const path of ['/api', '/API', '/Api/']) {
    const reply = await send(h, path, { token: h.contoso.accessToken });
    assert.deepEqual([reply.status, reply.json?.error?.code], [404, 'not_found'], path);
    assertApiHeaders(reply, path);
    const foreign = await send(h, path, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(foreign.status, 403, path);
  }
});

test('pages whose names only begin with "api" stay pages', async () => {
  const reply = await send(h, '/apiary/');
  assert.equal(reply.status, 404);
  assert.notEqual(reply.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'");
});
