/**
 * Deeply nested bodies (arrays or objects, 2,000 to 30,000 levels, all under the 64 kB limit) on every endpoint that
 * takes a body: 400 `invalid_field` naming the path to the value nested too deeply, in time linear in the body (no
 * stack overflow, no 500, no quadratic walk), and no state change. Before this, 8,000 levels answered 500 and 6,000
 * levels held the server for ~0.7 s per request while its RSS grew by hundreds of MiB.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertRefused, hostileServer, send, type Hostile } from '../support/security.ts';

let h: Hostile;
before(async () => {
  h = await hostileServer();
});
after(() => h.close());

const LIMIT = 32;
/** `levels` nested arrays or objects holding 1. */
const nested = (levels: number, kind: 'arrays' | 'objects') =>
  kind === 'arrays' ? `${'['.repeat(levels)}1${']'.repeat(levels)}` : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
/** The path the 400 names: the containers down to the one that opens level LIMIT + 1. */
const deepField = (prefix: string[], kind: 'arrays' | 'objects') =>
  [...prefix, ...Array.from({ length: LIMIT - prefix.length }, () => (kind === 'arrays' ? '0' : 'a'))].join('.');

/** Each endpoint with a body, and how the deep value sits in it. */
const ENDPOINTS: Array<{ path: string; auth: boolean; body: (deep: string) => string; prefix: string[] }> = [
  {
    path: '/api/runs',
    auth: true,
    body: (d) =>
      `{"step":"create-role-group","params":{"name":"x","members":["svc-ews@contoso.onmicrosoft.com"],"description":${d}}}`,
    prefix: ['params', 'description'],
  },
  {
    path: '/api/steps/create-role-group/preview',
    auth: true,
    body: (d) => `{"params":{"name":${d}}}`,
    prefix: ['params', 'name'],
  },
  {
    path: '/api/steps/create-role-group/probe',
    auth: true,
    body: (d) => `{"params":{"members":[${d}]}}`,
    prefix: ['params', 'members', '0'],
  },
  { path: '/api/sandbox/sign-in', auth: false, body: (d) => `{"user":${d}}`, prefix: ['user'] },
  { path: '/api/sandbox/reset', auth: true, body: (d) => `{"x":${d}}`, prefix: ['x'] },
  { path: '/api/session/warm', auth: true, body: (d) => d, prefix: [] },
];

for (const endpoint of ENDPOINTS) {
  describe(`${endpoint.path}: deep bodies are 400 naming the field`, () => {
    for (const kind of ['arrays', 'objects'] as const) {
      for (const levels of kind === 'arrays' ? [LIMIT + 1, 2_000, 8_000, 30_000] : [LIMIT + 1, 2_000, 6_000, 10_000]) {
        test(`${levels} levels of ${kind}`, async () => {
          const body = endpoint.body(nested(levels, kind));
          assert.ok(body.length < 64 * 1024, 'under the body limit');
          const before = await h.snapshot();
          const started = performance.now();
          const reply = await send(h, endpoint.path, {
            method: 'POST',
            body,
            ...(endpoint.auth ? { token: h.contoso.accessToken } : {}),
          });
          const ms = performance.now() - started;
          await assertRefused(
            h,
            reply,
            { status: 400, code: 'invalid_field', field: deepField(endpoint.prefix, kind) },
            before,
          );
          assert.match(reply.json.error.message, /nested more than 32 levels deep/);
          // Linear: a 60 kB body is read in well under a millisecond; the bound leaves room for a loaded machine.
          assert.ok(ms < 250, `answered in ${ms.toFixed(0)} ms`);
        });
      }
    }
  });
}

test("32 levels are still read (and judged by the step's own rules), 33 are not", async () => {
  // The body and params are two levels; 30 arrays more make 32.
  const at = await send(h, '/api/steps/create-role-group/preview', {
    method: 'POST',
    token: h.contoso.accessToken,
    body: `{"params":{"name":"x","members":["svc-ews@contoso.onmicrosoft.com"],"description":${nested(LIMIT - 2, 'arrays')}}}`,
  });
  assert.deepEqual([at.status, at.json.error.field], [400, 'params.description'], at.text);
  assert.doesNotMatch(at.json.error.message, /nested/);
  const over = await send(h, '/api/steps/create-role-group/preview', {
    method: 'POST',
    token: h.contoso.accessToken,
    body: `{"params":{"name":"x","members":["svc-ews@contoso.onmicrosoft.com"],"description":${nested(LIMIT - 1, 'arrays')}}}`,
  });
  assert.match(over.json.error.message, /nested more than 32 levels deep/);
});

test('brackets and quotes inside strings do not count as nesting', async () => {
  const description = `${'['.repeat(40)}"{\\"${'{'.repeat(40)}`;
  const reply = await send(h, '/api/steps/create-role-group/preview', {
    method: 'POST',
    token: h.contoso.accessToken,
    body: JSON.stringify({ params: { name: 'x', members: ['svc-ews@contoso.onmicrosoft.com'], description } }),
  });
  assert.equal(reply.status, 200, reply.text);
});
