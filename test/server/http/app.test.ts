/**
 * HTTP hygiene: security headers, Host/Origin checks, body limits, malformed and unknown input, error shape,
 * rate limit. Every refusal is the right 4xx with `{"error": {code, message, field?}}` and no stack trace.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { SessionStartError } from '../../../server/executors/types.ts';
import { DB_FILE } from '../../../server/store/sqlite.ts';
import { CONTOSO_ADMIN, type Reply, startServer, tempDataDir, type TestServer } from '../../support/server.ts';

/** The error shape every refusal shares, without internals. */
function assertApiError(reply: Reply, status: number, code?: string, field?: string): void {
  assert.equal(reply.status, status, reply.text);
  assert.equal(typeof reply.json?.error?.message, 'string', reply.text);
  if (code) assert.equal(reply.json.error.code, code);
  if (field !== undefined) assert.equal(reply.json.error.field, field, reply.json.error.message);
  assert.doesNotMatch(reply.text, /\bat .*\.ts:\d+|node_modules|Error: /, 'no stack trace or internals');
}

describe('HTTP hygiene', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startServer({ env: { RUNBOOK_ALLOWED_ORIGINS: 'https://docs.example.com' } });
    token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
  });
  after(() => server.close(true));

  test('security headers on API responses, site pages and errors', async () => {
    for (const path of ['/api/health', '/', '/no-such-page', '/api/runs']) {
      const reply = await server.request(path);
      assert.equal(reply.headers['x-content-type-options'], 'nosniff', path);
      assert.match(String(reply.headers['content-security-policy']), /frame-ancestors 'none'/, path);
      assert.equal(reply.headers['referrer-policy'], 'no-referrer', path);
      assert.equal(reply.headers['x-powered-by'], undefined, path);
    }
    const api = await server.request('/api/health');
    assert.equal(api.headers['cache-control'], 'no-store');
  });

  test('site pages go out compressed; API answers, event streams included, never do', async () => {
    const siteDir = tempDataDir();
    writeFileSync(
      path.join(siteDir, 'index.html'),
      `<!doctype html><title>t</title>${'<p>A guide paragraph.</p>'.repeat(800)}`,
    );
    const site = await startServer({ siteDir });
    try {
      const page = await site.request('/', { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(page.status, 200);
      assert.equal(page.headers['content-encoding'], 'gzip');
      assert.match(String(page.headers.vary), /Accept-Encoding/);
      const plain = await site.request('/', { headers: { 'accept-encoding': 'identity' } });
      assert.equal(plain.headers['content-encoding'], undefined);
      const { accessToken } = await site.signIn(CONTOSO_ADMIN);
      const run = await site.request('/api/runs', {
        method: 'POST',
        token: accessToken,
        body: { step: 'check-impersonation-role', params: {} },
      });
      assert.equal(run.status, 202, run.text);
      for (const api of ['/api/config', `/api/runs/${run.json.id}`, `/api/runs/${run.json.id}/events`]) {
        const reply = await site.request(api, { token: accessToken, headers: { 'accept-encoding': 'gzip, br' } });
        assert.equal(reply.status, 200, api);
        assert.equal(reply.headers['content-encoding'], undefined, api);
      }
    } finally {
      await site.close(true);
    }
  });

  test('the site policy allows its inline scripts by hash, never unsafe-inline scripts', async () => {
    const csp = String((await server.request('/')).headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    assert.doesNotMatch(scriptSrc, /unsafe-inline/);
    assert.match(scriptSrc, /'self'/);
  });

  test('health and config need no sign-in and hold no secrets', async () => {
    const health = await server.request('/api/health');
    assert.deepEqual(health.json, { status: 'ok', mode: 'sandbox', executor: 'sandbox' });
    const config = await server.request('/api/config');
    assert.equal(config.json.mode, 'sandbox');
    const upns = config.json.sandbox.admins.map((a: { upn: string }) => a.upn);
    assert.ok(upns.includes('admin@contoso.onmicrosoft.com') && upns.includes('admin@fabrikam.onmicrosoft.com'));
    assert.doesNotMatch(config.text, /secret|private|"d":/i);
    assert.deepEqual(
      config.json.sandbox.delays,
      { customizationSeconds: 45, propagationSeconds: 20, delegationSeconds: 30 },
      'the page can say how long the sandbox takes',
    );
  });

  test('403 for a foreign Host (DNS rebinding)', async () => {
    for (const host of [
      'evil.example.com',
      `evil.example.com:${server.port}`,
      '127.0.0.1:1',
      `127.0.0.1.nip.io:${server.port}`,
    ]) {
      assertApiError(await server.request('/api/health', { headers: { host } }), 403, 'forbidden_host');
    }
    assert.equal((await server.request('/api/health', { headers: { host: `localhost:${server.port}` } })).status, 200);
  });

  test('403 for a cross-site Origin, on reads and writes alike, with no state change', async () => {
    for (const origin of [
      'https://evil.example.com',
      'null',
      `http://localhost:${server.port + 1}`,
      'https://docs.example.com.evil.com',
    ]) {
      assertApiError(await server.request('/api/runs', { token, headers: { origin } }), 403, 'forbidden_origin');
      assertApiError(
        await server.request('/api/runs', {
          method: 'POST',
          token,
          headers: { origin },
          body: { step: 'check-dehydrated' },
        }),
        403,
        'forbidden_origin',
      );
    }
    assert.deepEqual((await server.request('/api/runs', { token })).json, [], 'no run was started');
  });

  test('403 for a cross-site request without Origin (Sec-Fetch-Site)', async () => {
    assertApiError(
      await server.request('/api/runs', { token, headers: { 'sec-fetch-site': 'cross-site' } }),
      403,
      'forbidden_origin',
    );
  });

  test('own origin passes; an allowed origin gets CORS headers and preflight', async () => {
    assert.equal((await server.request('/api/runs', { token, headers: { origin: server.origin } })).status, 200);
    const allowed = await server.request('/api/runs', { token, headers: { origin: 'https://docs.example.com' } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers['access-control-allow-origin'], 'https://docs.example.com');
    const preflight = await server.request('/api/runs', {
      method: 'OPTIONS',
      headers: { origin: 'https://docs.example.com', 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 204);
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
  });

  test('413 for a body over 64 kB', async () => {
    const body = { step: 'create-role-group', params: { name: 'x'.repeat(70_000) } };
    assertApiError(await server.request('/api/runs', { method: 'POST', token, body }), 413, 'body_too_large');
  });

  test('400 for malformed JSON', async () => {
    for (const body of ['{"step":', '{"step": "check-dehydrated",}', "{'step': 1}", 'nul']) {
      assertApiError(await server.request('/api/runs', { method: 'POST', token, body }), 400, 'malformed_json');
    }
  });

  test('415 for a compressed body (the size limit must bound what is parsed)', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = gzipSync(JSON.stringify({ step: 'check-dehydrated' }));
    assertApiError(
      await server.request('/api/runs', { method: 'POST', token, body, headers: { 'content-encoding': 'gzip' } }),
      415,
      'unsupported_encoding',
    );
  });

  test('415 for a body that is not declared JSON (cross-site form shape)', async () => {
    assertApiError(
      await server.request('/api/runs', {
        method: 'POST',
        token,
        body: '{"step":"check-dehydrated"}',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
    );
  });

  test('400 naming the field for wrong types, missing and unknown fields, at every level', async () => {
    const cases: Array<[unknown, string]> = [
      [[], 'body'],
      [{}, 'step'],
      [{ step: 42 }, 'step'],
      [{ step: 'check-dehydrated', extra: true }, 'extra'],
      [{ step: 'check-dehydrated', params: { verbose: true } }, 'params.verbose'],
      [{ step: 'check-dehydrated', params: null }, 'params'],
      [{ step: 'check-dehydrated', params: [] }, 'params'],
      [
        {
          step: 'create-role-group',
          params: { name: 'Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'], member: 'x' },
        },
        'params.member',
      ],
      [
        { step: 'create-role-group', params: { name: '', members: ['svc-ews@contoso.onmicrosoft.com'] } },
        'params.name',
      ],
      [
        { step: 'create-role-group', params: { name: 'x'.repeat(65), members: ['svc-ews@contoso.onmicrosoft.com'] } },
        'params.name',
      ],
      [{ step: 'create-role-group', params: { name: 'Impersonation', members: ['not a upn'] } }, 'params.members.0'],
      [
        { step: 'create-role-group', params: { name: 'Impersonation', members: 'svc-ews@contoso.onmicrosoft.com' } },
        'params.members',
      ],
      [
        {
          step: 'create-role-group',
          params: { name: 'Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'], __proto__x: 1 },
        },
        'params.__proto__x',
      ],
    ];
    for (const [body, field] of cases) {
      const reply = await server.request('/api/runs', { method: 'POST', token, body });
      assertApiError(reply, 400, 'invalid_field', field);
      assert.ok(
        reply.json.error.message.startsWith(`${field}:`),
        `message names ${field}: ${reply.json.error.message}`,
      );
    }
    const proto = await server.request('/api/runs', {
      method: 'POST',
      token,
      body: '{"step":"check-dehydrated","params":{"__proto__":{"admin":true}}}',
    });
    assertApiError(proto, 400, 'invalid_field', 'params.__proto__');
  });

  test('404 for an unknown step, an unknown endpoint and malformed run ids', async () => {
    assertApiError(
      await server.request('/api/runs', { method: 'POST', token, body: { step: 'format-c' } }),
      404,
      'unknown_step',
    );
    assertApiError(
      await server.request('/api/steps/..%2F..%2Fetc%2Fpasswd/preview', { method: 'POST', token, body: {} }),
      404,
    );
    assertApiError(await server.request('/api/nothing-here', { token }), 404, 'not_found');
    for (const id of [
      '..%2F..%2Fetc%2Fpasswd',
      "1' OR '1'='1",
      '00000000-0000-0000-0000-000000000000',
      'x'.repeat(300),
    ]) {
      assertApiError(await server.request(`/api/runs/${encodeURIComponent(id)}`, { token }), 404, 'unknown_run');
    }
  });

  test('400 for bad query parameters, naming them', async () => {
    assertApiError(await server.request('/api/runs?limit=0', { token }), 400, 'invalid_field', 'limit');
    assertApiError(await server.request('/api/runs?limit=abc', { token }), 400, 'invalid_field', 'limit');
    assertApiError(await server.request('/api/runs?offset=1', { token }), 400, 'invalid_field', 'offset');
    assertApiError(await server.request('/api/transcript?format=pdf', { token }), 400, 'invalid_field', 'format');
  });

  test('400 for an X-Exchange-Token that is not a JWT', async () => {
    assertApiError(
      await server.request('/api/runs', { token, headers: { 'x-exchange-token': 'abc"; rm -rf /' } }),
      400,
      'invalid_field',
      'X-Exchange-Token',
    );
  });
});

describe('rate limit', () => {
  test('429 with Retry-After once an admin exceeds the allowance; other admins are unaffected', async () => {
    const server = await startServer({ env: { RUNBOOK_RATE_LIMIT: '30' } });
    try {
      const contoso = (await server.signIn(CONTOSO_ADMIN)).accessToken;
      const fabrikam = (await server.signIn('admin@fabrikam.onmicrosoft.com')).accessToken;
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await server.request('/api/runs', { token: contoso })).status);
      assert.deepEqual(statuses.slice(0, 6), [200, 200, 200, 200, 200, 200], 'a burst of a fifth of the minute passes');
      const limited = await server.request('/api/runs', { token: contoso });
      assertApiError(limited, 429, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) >= 1);
      assert.equal((await server.request('/api/runs', { token: fabrikam })).status, 200);
    } finally {
      await server.close(true);
    }
  });
});

describe('faults inside the companion', () => {
  /** A server whose executor's sessions fail with `error`. */
  const failingSessions = (error: Error) =>
    startServer({
      executor: (inner) => ({
        name: inner.name,
        session: async () => {
          throw error;
        },
        warm: async () => {
          throw error;
        },
        end: (actor) => inner.end(actor),
        close: () => inner.close(),
      }),
    });

  test('a bug answers 500 with a generic message, no stack and no internals', async () => {
    const server = await failingSessions(
      new TypeError("Cannot read properties of undefined (reading 'x') at /home/admin/secret-path/key.ts:3"),
    );
    try {
      const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
      const reply = await server.request('/api/steps/check-dehydrated/probe', { method: 'POST', token, body: {} });
      assertApiError(reply, 500, 'internal');
      assert.doesNotMatch(reply.text, /secret-path|undefined/);
    } finally {
      await server.close(true);
    }
  });

  test('an executor that cannot start or connect answers 503/502 with its message for the admin', async () => {
    const cases = [
      [
        new SessionStartError(
          'powershell-unavailable',
          'PowerShell did not start (pwsh): is PowerShell 7.6 installed there?',
        ),
        503,
        'powershell_unavailable',
      ],
      [
        new SessionStartError(
          'connect-failed',
          'Connect-ExchangeOnline failed for admin@contoso.onmicrosoft.com: token rejected',
        ),
        502,
        'exchange_connect_failed',
      ],
    ] as const;
    for (const [error, status, code] of cases) {
      const server = await failingSessions(error);
      try {
        const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
        for (const [path, body] of [
          ['/api/steps/check-dehydrated/probe', {}],
          ['/api/session/warm', undefined],
        ] as const) {
          const reply = await server.request(path, { method: 'POST', token, body });
          assertApiError(reply, status, code);
          assert.ok(reply.json.error.message.startsWith(error.message), reply.json.error.message);
        }
      } finally {
        await server.close(true);
      }
    }
  });

  test('a locked database answers 503 with Retry-After, changes nothing, and the next try succeeds', async () => {
    const server = await startServer();
    const locker = new DatabaseSync(path.join(server.dataDir, DB_FILE));
    try {
      const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
      locker.exec('BEGIN IMMEDIATE');
      const reply = await server.request('/api/runs', {
        method: 'POST',
        token,
        body: { step: 'check-impersonation-role' },
      });
      assertApiError(reply, 503, 'store_unavailable');
      assert.ok(Number(reply.headers['retry-after']) > 0);
      locker.exec('ROLLBACK');
      assert.deepEqual((await server.request('/api/runs', { token })).json, [], 'no half-made run');
      assert.equal(
        (await server.request('/api/runs', { method: 'POST', token, body: { step: 'check-impersonation-role' } }))
          .status,
        202,
        'no stale in-flight lock',
      );
    } finally {
      locker.close();
      await server.close(true);
    }
  });
});
