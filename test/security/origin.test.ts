/**
 * Who may talk to the companion: spoofed Host values (DNS rebinding), foreign Origins, cross-site form posts (CSRF)
 * and another admin of the same tenant. Each case: the exact 4xx, nothing leaked, nothing changed.
 */
import { after, before, describe, test } from 'node:test';
import { decodeParts, type RequestOptions, signWithSandboxKey } from '../support/server.ts';
import { assertRefused, type Expected, type Hostile, hostileServer, send, sendRaw } from '../support/security.ts';

let h: Hostile;
before(async () => {
  h = await hostileServer();
});
after(() => h.close());

/** Endpoints a hostile page would aim at, public and protected, reads and writes. */
const ENDPOINTS: Array<[string, (x: Hostile) => RequestOptions & { path: string }]> = [
  ['GET /api/health', () => ({ path: '/api/health' })],
  ['GET /api/config', () => ({ path: '/api/config' })],
  [
    'POST /api/sandbox/sign-in',
    () => ({ path: '/api/sandbox/sign-in', method: 'POST', body: { user: 'admin@contoso.onmicrosoft.com' } }),
  ],
  ['GET /api/runs', (x) => ({ path: '/api/runs', token: x.contoso.accessToken })],
  [
    'POST /api/runs (irreversible step)',
    (x) => ({
      path: '/api/runs',
      method: 'POST',
      token: x.contoso.accessToken,
      body: { step: 'enable-customization' },
    }),
  ],
  [
    'POST /api/sandbox/reset',
    (x) => ({ path: '/api/sandbox/reset', method: 'POST', token: x.fabrikam.accessToken, body: {} }),
  ],
];

/** Registers `value(port)` x every endpoint, sent with `header`. */
function matrix(
  title: string,
  header: 'host' | 'origin',
  values: Array<(port: number) => string>,
  expected: Expected,
): void {
  describe(title, () => {
    for (const value of values) {
      for (const [name, call] of ENDPOINTS) {
        test(`${value(4321)} -> ${name}`, async () => {
          const { path, ...options } = call(h);
          const before = await h.snapshot();
          const reply = await send(h, path, { ...options, headers: { [header]: value(h.server.port) } });
          await assertRefused(h, reply, expected, before);
        });
      }
    }
  });
}

matrix(
  'DNS rebinding and spoofed Host values: 403 forbidden_host',
  'host',
  [
    () => 'evil.example',
    (p) => `evil.example:${p}`,
    (p) => `127.0.0.1.evil.example:${p}`,
    (p) => `localhost.evil.example:${p}`,
    () => '127.0.0.1',
    () => '127.0.0.1:1',
    () => 'localhost:80',
    (p) => `0.0.0.0:${p}`,
    (p) => `2130706433:${p}`,
    (p) => `0x7f000001:${p}`,
    (p) => `127.1:${p}`,
    (p) => `localhost.:${p}`,
    (p) => `user@127.0.0.1:${p}`,
    (p) => `127.0.0.1:${p}.evil.example`,
    (p) => `127.0.0.1:${p} evil.example`,
    (p) => `[::ffff:127.0.0.1]:${p}`,
  ],
  { status: 403, code: 'forbidden_host' },
);

// Node's HTTP client fills in an empty Host itself, so this one goes over a raw socket.
test('an empty Host: 403 forbidden_host', async () => {
  const before = await h.snapshot();
  const { status, text } = await sendRaw(
    h.server.port,
    'POST /api/runs HTTP/1.1\r\nHost: \r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
  );
  const body = text.slice(text.indexOf('\r\n\r\n') + 4);
  await assertRefused(
    h,
    { status, headers: {}, text: body, json: JSON.parse(body) },
    { status: 403, code: 'forbidden_host' },
    before,
  );
});

matrix(
  'foreign and look-alike Origins: 403 forbidden_origin',
  'origin',
  [
    () => 'http://evil.example',
    () => 'null',
    (p) => `http://127.0.0.1:${p}.evil.example`,
    (p) => `https://127.0.0.1:${p}`,
    (p) => `http://127.0.0.1:${p + 1}`,
    (p) => `http://localhost:${p}`,
    (p) => `http://127.0.0.1:${p}/`,
    () => 'file://',
    () => 'chrome-extension://abcdefghijklmnop',
    (p) => `HTTP://127.0.0.1:${p}`,
    () => 'http://127.0.0.1',
    (p) => `http://[::1]:${p}`,
  ],
  { status: 403, code: 'forbidden_origin' },
);

/** What a foreign page can send without a CORS preflight (a form post or a no-cors fetch), per endpoint. */
const CSRF: Array<[string, (x: Hostile) => Record<string, string>, Expected]> = [
  [
    'text/plain from a foreign Origin',
    () => ({ origin: 'http://evil.example', 'content-type': 'text/plain' }),
    { status: 403, code: 'forbidden_origin' },
  ],
  [
    'form-urlencoded from a foreign Origin',
    () => ({ origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }),
    { status: 403, code: 'forbidden_origin' },
  ],
  [
    'multipart from a foreign Origin',
    () => ({ origin: 'http://evil.example', 'content-type': 'multipart/form-data; boundary=x' }),
    { status: 403, code: 'forbidden_origin' },
  ],
  [
    'text/plain from a sandboxed frame (Origin null)',
    () => ({ origin: 'null', 'content-type': 'text/plain' }),
    { status: 403, code: 'forbidden_origin' },
  ],
  [
    'text/plain, no Origin, Sec-Fetch-Site cross-site',
    () => ({ 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }),
    { status: 403, code: 'forbidden_origin' },
  ],
  [
    'text/plain with no Origin at all',
    () => ({ 'content-type': 'text/plain' }),
    { status: 415, code: 'unsupported_media_type' },
  ],
  [
    'form-urlencoded with no Origin at all',
    () => ({ 'content-type': 'application/x-www-form-urlencoded' }),
    { status: 415, code: 'unsupported_media_type' },
  ],
  [
    'multipart with no Origin at all',
    () => ({ 'content-type': 'multipart/form-data; boundary=x' }),
    { status: 415, code: 'unsupported_media_type' },
  ],
  [
    'text/plain dressed as JSON in a parameter',
    () => ({ 'content-type': 'text/plain; a=application/json' }),
    { status: 415, code: 'unsupported_media_type' },
  ],
  [
    'a JSON-like vendor type',
    () => ({ 'content-type': 'application/vnd.evil+json' }),
    { status: 415, code: 'unsupported_media_type' },
  ],
];
const CSRF_TARGETS: Array<[string, string, (x: Hostile) => string | undefined, unknown]> = [
  ['POST /api/runs', '/api/runs', (x) => x.contoso.accessToken, { step: 'enable-customization' }],
  ['POST /api/sandbox/reset', '/api/sandbox/reset', (x) => x.fabrikam.accessToken, {}],
  ['POST /api/session/warm', '/api/session/warm', (x) => x.contoso.accessToken, {}],
  ['POST /api/sandbox/sign-in', '/api/sandbox/sign-in', () => undefined, { user: 'admin@contoso.onmicrosoft.com' }],
];
describe('CSRF: cross-site form posts never reach a handler', () => {
  for (const [name, headers, expected] of CSRF) {
    for (const [target, path, token, body] of CSRF_TARGETS) {
      test(`${name} -> ${target}`, async () => {
        const before = await h.snapshot();
        const t = token(h);
        const reply = await send(h, path, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: headers(h),
          ...(t ? { token: t } : {}),
        });
        await assertRefused(h, reply, expected, before);
      });
    }
  }
});

describe('another admin of the same tenant (own token, another oid)', () => {
  let intruder: string;
  before(async () => {
    const { header, payload } = decodeParts(h.contoso.accessToken);
    intruder = await signWithSandboxKey(
      h.server.dataDir,
      { ...payload, oid: crypto.randomUUID(), upn: 'intruder@contoso.onmicrosoft.com' },
      { kid: header.kid },
    );
  });
  const reads: Array<[string, (x: Hostile) => string]> = [
    ['the run', (x) => `/api/runs/${x.contosoRun.id}`],
    ['its events', (x) => `/api/runs/${x.contosoRun.id}/events`],
  ];
  for (const [name, path] of reads) {
    test(`404 for ${name}`, async () => {
      const before = await h.snapshot();
      await assertRefused(h, await send(h, path(h), { token: intruder }), { status: 404, code: 'unknown_run' }, before);
    });
  }
  test("the run list and the transcript hold none of the other admin's runs", async () => {
    const list = await send(h, '/api/runs', { token: intruder });
    const transcript = await send(h, '/api/transcript?format=json', { token: intruder });
    const markdown = await send(h, '/api/transcript?format=md', { token: intruder });
    for (const reply of [list, transcript, markdown]) {
      if (reply.status !== 200 || reply.text.includes(h.contosoRun.id))
        throw new Error(`leaked: ${reply.status} ${reply.text.slice(0, 200)}`);
    }
  });
});
