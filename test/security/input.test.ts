/**
 * Adversarial input, as tables: malformed JSON, wrong types, oversized bodies and fields, unknown fields at every
 * level (prototype keys included), path traversal and odd ids, CR/LF header injection. Each case gets exactly the
 * expected 4xx (naming the field where there is one), never a 500, leaks nothing, and changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RequestOptions } from '../support/server.ts';
import { assertRefused, type Expected, type Hostile, hostileServer, send, sendRaw } from '../support/security.ts';

interface Case {
  name: string;
  path: string | ((h: Hostile) => string);
  options?: (h: Hostile) => RequestOptions;
  expected: Expected;
}

let h: Hostile;
before(async () => {
  h = await hostileServer();
});
after(() => h.close());

/** Registers one test per case. */
function cases(title: string, list: Case[]): void {
  describe(title, () => {
    for (const c of list) {
      test(c.name, async () => {
        const before = await h.snapshot();
        const reply = await send(h, typeof c.path === 'string' ? c.path : c.path(h), c.options?.(h) ?? {});
        await assertRefused(h, reply, c.expected, before);
      });
    }
  });
}

const SVC = 'svc-ews@contoso.onmicrosoft.com';
const contoso = (h: Hostile) => h.contoso.accessToken;
/** The endpoints that take a JSON body, with what a valid call carries besides the part under test. */
const BODY_ENDPOINTS: Array<{ path: string; auth: boolean }> = [
  { path: '/api/runs', auth: true },
  { path: '/api/steps/create-role-group/preview', auth: true },
  { path: '/api/steps/create-role-group/probe', auth: true },
  { path: '/api/sandbox/sign-in', auth: false },
  { path: '/api/sandbox/reset', auth: true },
  { path: '/api/session/warm', auth: true },
];
/** A POST of `body` (sent as is when a string) to `path`, signed in as contoso's admin when `auth`. */
const post =
  (body: unknown, auth = true) =>
  (x: Hostile): RequestOptions => ({ method: 'POST', body, ...(auth ? { token: contoso(x) } : {}) });

const MALFORMED = [
  '{',
  '}',
  '{"step":}',
  '{"step":"check-impersonation-role"',
  '[1,2',
  "{'step':'x'}",
  '{"a":1,}',
  'NaN',
  'null',
  '1',
  '"text"',
  'true',
  '{"step":"x"}}',
  '\u0000',
  '{"step":"\\u00"}',
  '<xml/>',
];
cases(
  'malformed JSON: 400 malformed_json on every endpoint',
  BODY_ENDPOINTS.flatMap(({ path, auth }) =>
    MALFORMED.map((body) => ({
      name: `${path} ${JSON.stringify(body)}`,
      path,
      options: post(body, auth),
      expected: { status: 400, code: 'malformed_json' },
    })),
  ),
);

cases(
  'oversized bodies: 413 on every endpoint',
  BODY_ENDPOINTS.map(({ path, auth }) => ({
    name: `${path} 70 kB`,
    path,
    options: post(
      { step: 'create-role-group', params: { name: 'x', members: [SVC], description: 'd'.repeat(70_000) } },
      auth,
    ),
    expected: { status: 413, code: 'body_too_large' },
  })),
);

/** Parameter values for create-role-group that break a rule, with the field named in the 400. */
const BAD_CREATE_PARAMS: Array<[string, unknown, string]> = [
  ['name is a number', { name: 1, members: [SVC] }, 'params.name'],
  ['name is null', { name: null, members: [SVC] }, 'params.name'],
  ['name is a boolean', { name: true, members: [SVC] }, 'params.name'],
  ['name is an array', { name: ['x'], members: [SVC] }, 'params.name'],
  ['name is an object', { name: { $gt: '' }, members: [SVC] }, 'params.name'],
  ['name is empty', { name: '', members: [SVC] }, 'params.name'],
  ['name is only spaces', { name: '   ', members: [SVC] }, 'params.name'],
  ['name is 65 characters', { name: 'n'.repeat(65), members: [SVC] }, 'params.name'],
  ['name is 10 000 characters', { name: 'n'.repeat(10_000), members: [SVC] }, 'params.name'],
  ['members missing', { name: 'x' }, 'params.members'],
  ['members is a string', { name: 'x', members: SVC }, 'params.members'],
  ['members is empty', { name: 'x', members: [] }, 'params.members'],
  ['members has a number', { name: 'x', members: [1] }, 'params.members.0'],
  ['members has null', { name: 'x', members: [null] }, 'params.members.0'],
  ['member is not a UPN', { name: 'x', members: ['svc-ews'] }, 'params.members.0'],
  ['member carries a command', { name: 'x', members: [`${SVC}'; Remove-Mailbox -Identity x`] }, 'params.members.0'],
  ['member has a trailing newline', { name: 'x', members: [`${SVC}\n`] }, 'params.members.0'],
  [
    'member has 65 characters before the @',
    { name: 'x', members: [`${'a'.repeat(65)}@contoso.onmicrosoft.com`] },
    'params.members.0',
  ],
  ['member over 113 characters', { name: 'x', members: [`a@${'b'.repeat(120)}.com`] }, 'params.members.0'],
  ['second member bad', { name: 'x', members: [SVC, 'bad'] }, 'params.members.1'],
  [
    '51 members',
    { name: 'x', members: Array.from({ length: 51 }, (_, i) => `u${i}@contoso.onmicrosoft.com`) },
    'params.members',
  ],
  ['a member twice (case differs)', { name: 'x', members: [SVC, SVC.toUpperCase()] }, 'params.members'],
  ['description is a number', { name: 'x', members: [SVC], description: 5 }, 'params.description'],
  ['description is an object', { name: 'x', members: [SVC], description: {} }, 'params.description'],
  [
    'description over 1024 characters',
    { name: 'x', members: [SVC], description: 'd'.repeat(1025) },
    'params.description',
  ],
  ['unknown parameter', { name: 'x', members: [SVC], role: 'Organization Management' }, 'params.role'],
  ['typo of members', { name: 'x', member: [SVC] }, 'params.members'],
  [
    '__proto__ parameter',
    JSON.parse(`{"name":"x","members":["${SVC}"],"__proto__":{"polluted":true}}`),
    'params.__proto__',
  ],
  ['constructor parameter', { name: 'x', members: [SVC], constructor: { prototype: {} } }, 'params.constructor'],
  ['params is a string', 'name=x', 'params'],
  ['params is an array', [{ name: 'x', members: [SVC] }], 'params'],
  ['params is a number', 7, 'params'],
  ['params is null', null, 'params'],
];

cases(
  'wrong, oversized and unknown parameters of create-role-group: 400 naming the field',
  BAD_CREATE_PARAMS.flatMap(([name, params, field]) => [
    {
      name: `POST /api/runs: ${name}`,
      path: '/api/runs',
      options: post({ step: 'create-role-group', params }),
      expected: { status: 400, code: 'invalid_field', field },
    },
    {
      name: `preview: ${name}`,
      path: '/api/steps/create-role-group/preview',
      options: post({ params }),
      expected: { status: 400, code: 'invalid_field', field },
    },
    {
      name: `probe: ${name}`,
      path: '/api/steps/create-role-group/probe',
      options: post({ params }),
      expected: { status: 400, code: 'invalid_field', field },
    },
  ]),
);

/** Bodies that break the envelope (not the step's parameters). */
const BAD_ENVELOPES: Array<[string, string, unknown, string]> = [
  ['/api/runs', 'step missing', { params: {} }, 'step'],
  ['/api/runs', 'step is a number', { step: 1 }, 'step'],
  ['/api/runs', 'step is null', { step: null }, 'step'],
  ['/api/runs', 'step is an array', { step: ['enable-customization'] }, 'step'],
  ['/api/runs', 'step is an object', { step: { id: 'enable-customization' } }, 'step'],
  ['/api/runs', 'step over 64 characters', { step: 's'.repeat(65) }, 'step'],
  ['/api/runs', 'body is an array', [{ step: 'enable-customization' }], 'body'],
  ['/api/runs', 'unknown top-level field', { step: 'enable-customization', dryRun: false }, 'dryRun'],
  [
    '/api/runs',
    'unknown field on a step without parameters',
    { step: 'enable-customization', params: { force: true } },
    'params.force',
  ],
  [
    '/api/runs',
    '__proto__ at top level',
    JSON.parse('{"step":"enable-customization","__proto__":{"admin":true}}'),
    '__proto__',
  ],
  ['/api/runs', 'remove-role-group without a name', { step: 'remove-role-group', params: {} }, 'params.name'],
  [
    '/api/runs',
    'remove-role-group name too long',
    { step: 'remove-role-group', params: { name: 'r'.repeat(65) } },
    'params.name',
  ],
  [
    '/api/runs',
    'remove-role-group extra field',
    { step: 'remove-role-group', params: { name: 'x', identity: 'y' } },
    'params.identity',
  ],
  ['/api/steps/check-dehydrated/preview', 'unknown top-level field', { params: {}, step: 'x' }, 'step'],
  ['/api/steps/check-dehydrated/probe', 'unknown parameter', { params: { tenant: 'fabrikam' } }, 'params.tenant'],
  ['/api/steps/remove-role-group/probe', 'name is a number', { params: { name: 0 } }, 'params.name'],
  [
    '/api/steps/remove-role-group/preview',
    'nested unknown field',
    { params: { name: 'x', nested: { deep: 1 } } },
    'params.nested',
  ],
  ['/api/sandbox/reset', 'any field', { tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002' }, 'tid'],
  ['/api/session/warm', 'any field', { exchangeToken: 'x' }, 'exchangeToken'],
];
cases(
  'wrong types and unknown fields in the envelope: 400 naming the field',
  BAD_ENVELOPES.map(([path, name, body, field]) => ({
    name: `${path}: ${name}`,
    path,
    options: post(body),
    expected: { status: 400, code: 'invalid_field', field },
  })),
);

const BAD_SIGN_INS: Array<[string, unknown, string]> = [
  ['user missing', {}, 'user'],
  ['user is a number', { user: 1 }, 'user'],
  ['user is an array', { user: ['admin@contoso.onmicrosoft.com'] }, 'user'],
  ['user is empty', { user: '' }, 'user'],
  ['user over 256 characters', { user: `${'a'.repeat(300)}@contoso.onmicrosoft.com` }, 'user'],
  ['user is not a demo admin', { user: 'svc-ews@contoso.onmicrosoft.com' }, 'user'],
  ['user with CR/LF and a header', { user: 'admin@contoso.onmicrosoft.com\r\nSet-Cookie: a=b' }, 'user'],
  ['user with a NUL', { user: 'admin@contoso.onmicrosoft.com\u0000' }, 'user'],
  ['unknown field', { user: 'admin@contoso.onmicrosoft.com', tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002' }, 'tid'],
];
cases(
  'sandbox sign-in: 400 naming the field',
  BAD_SIGN_INS.map(([name, body, field]) => ({
    name,
    path: '/api/sandbox/sign-in',
    options: post(body, false),
    expected: { status: 400, code: 'invalid_field', field },
  })),
);

/** Step ids that are no step: traversal, prototype names, encodings. */
const ODD_STEP_IDS = [
  'nope',
  '..%2F..%2Fserver%2Fmain.ts',
  '%2e%2e',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'ENABLE-CUSTOMIZATION',
  'enable-customization%00',
  'enable-customization%20',
  'enable-customization%0d%0aSet-Cookie:%20a=b',
  '%27%3B%20Remove-Mailbox',
  'x'.repeat(2000),
  '%F0%9F%92%A5',
];
cases(
  'odd step ids: 404 unknown_step',
  ODD_STEP_IDS.flatMap((id) =>
    ['preview', 'probe'].map((action) => ({
      name: `${action} ${id.slice(0, 60)}`,
      path: `/api/steps/${id}/${action}`,
      options: post({}),
      expected: { status: 404, code: 'unknown_step' },
    })),
  ),
);

/** Run ids that are not the caller's run: other admin's, traversal, case, encodings, SQL. */
const ODD_RUN_IDS: Array<[string, (h: Hostile) => string]> = [
  ["fabrikam admin's run", (x) => x.fabrikamRun.id],
  ['own id in upper case', (x) => x.contosoRun.id.toUpperCase()],
  ['own id with a NUL', (x) => `${x.contosoRun.id}%00`],
  ['own id with CR/LF and a header', (x) => `${x.contosoRun.id}%0d%0aSet-Cookie:%20a=b`],
  ['own id with a trailing slash-encoded path', (x) => `${x.contosoRun.id}%2F..`],
  ['own id with a SQL tail', (x) => `${x.contosoRun.id}'%20OR%20'1'='1`],
  ['SQL injection', () => "'%20OR%201=1--"],
  ['traversal', () => '..%2F..%2F..%2Fetc%2Fpasswd'],
  ['dot dot', () => '%2e%2e'],
  ['random UUID', () => crypto.randomUUID()],
  ['empty-looking', () => '%20'],
  ['long', () => 'a'.repeat(3000)],
  ['prototype name', () => '__proto__'],
  ['wildcard', () => '*'],
];
cases(
  'odd and foreign run ids: 404 unknown_run, same as a run that does not exist',
  ODD_RUN_IDS.flatMap(([name, id]) =>
    ['', '/events'].map((suffix) => ({
      name: `GET /api/runs/:id${suffix}: ${name}`,
      path: (x: Hostile) => `/api/runs/${id(x)}${suffix}`,
      options: (x: Hostile) => ({ token: contoso(x) }),
      expected: { status: 404, code: 'unknown_run' },
    })),
  ),
);

cases(
  'malformed percent-encoding in ids: 400',
  ['/api/runs/%E0%A4%A', '/api/runs/%zz', '/api/steps/%E0%A4%A/preview'].map((path) => ({
    name: path,
    path,
    options: (x: Hostile) => ({
      method: path.endsWith('preview') ? 'POST' : 'GET',
      token: contoso(x),
      ...(path.endsWith('preview') ? { body: {} } : {}),
    }),
    expected: { status: 400, code: 'bad_request' },
  })),
);

/** Paths that try to reach files outside the built site. */
const TRAVERSALS = [
  '/..%2f..%2fpackage.json',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/..%5c..%5cpackage.json',
  '/guides/..%2f..%2f..%2fserver%2fmain.ts',
  '/_astro/..%2f..%2f.runbook%2frunbook.sqlite',
  '/%2e%2e%2f.runbook/sandbox-issuer-key.json',
];
describe('path traversal out of the site: 404, no file content', () => {
  for (const path of TRAVERSALS) {
    test(path, async () => {
      const before = await h.snapshot();
      const reply = await send(h, path);
      await assertRefused(h, reply, { status: 404 }, before, [
        '"exchange-online-runbook"',
        'root:x:0:0',
        'SQLite format',
        '"kty"',
      ]);
    });
  }
});

describe('header injection and request-line tricks over raw sockets: 400 (403 for another host), never a header', () => {
  const raws: Array<[string, (host: string, token: string) => string, number?]> = [
    [
      'bare CR in a header value',
      (host) => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-A: a\rSet-Cookie: b=c\r\n\r\n`,
    ],
    [
      'bare LF in a header value',
      (host) => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-A: a\nSet-Cookie: b=c\r\n\r\n`,
    ],
    ['NUL in a header value', (host) => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nX-A: a\u0000b\r\n\r\n`],
    [
      'CR inside Authorization',
      (host, token) => `GET /api/runs HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\rX-Evil: 1\r\n\r\n`,
    ],
    [
      'obs-fold continuation of Authorization',
      (host, token) => `GET /api/runs HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer\r\n ${token}\r\n\r\n`,
    ],
    [
      'CR inside X-Exchange-Token',
      (host, token) =>
        `POST /api/session/warm HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nX-Exchange-Token: a.b.c\rX: y\r\nContent-Length: 0\r\n\r\n`,
    ],
    [
      'CR inside Origin',
      (host) =>
        `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nOrigin: http://${host}\rAccess-Control-Allow-Origin: *\r\n\r\n`,
    ],
    [
      'Content-Length and Transfer-Encoding together (smuggling)',
      (host, token) =>
        `POST /api/runs HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ],
    [
      'non-numeric Content-Length',
      (host, token) =>
        `POST /api/runs HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1e3\r\n\r\n{}`,
    ],
    ['space in a header name', (host) => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nSet Cookie: a\r\n\r\n`],
    ['no Host header', () => 'GET /api/health HTTP/1.1\r\n\r\n'],
    [
      'two Host headers, own then foreign',
      (host) => `GET /api/health HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\n\r\n`,
    ],
    [
      'absolute-form target naming another host',
      (host) => `GET http://evil.example/api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`,
      403,
    ],
    [
      'absolute-form POST to another host',
      (host, token) =>
        `POST http://evil.example/api/runs HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 31\r\n\r\n{"step":"enable-customization"}`,
      403,
    ],
  ];
  for (const [name, build, status = 400] of raws) {
    test(name, async () => {
      const before = await h.snapshot();
      const reply = await sendRaw(h.server.port, build(`127.0.0.1:${h.server.port}`, h.contoso.accessToken));
      await assertRefused(
        h,
        { status: reply.status, headers: {}, text: reply.text, json: undefined },
        { status },
        before,
      );
      const head = reply.text.split('\r\n\r\n')[0]!;
      for (const header of ['set-cookie', 'x-evil', 'access-control-allow-origin'])
        assert.ok(!head.toLowerCase().includes(`${header}:`), `no ${header} in: ${head}`);
    });
  }
  const encoded: Array<[string, string]> = [
    ['CR/LF in a run id', '/api/runs/x%0d%0aSet-Cookie:%20a=b'],
    ['CR/LF in a step id', '/api/steps/x%0d%0aX-Evil:%201/probe'],
    ['CR/LF in a query value', '/api/runs?limit=1%0d%0aSet-Cookie:%20a=b'],
    ['CR/LF in the transcript format', '/api/transcript?format=md%0d%0aX-Evil:%201'],
  ];
  for (const [name, path] of encoded) {
    test(name, async () => {
      const before = await h.snapshot();
      const method = path.endsWith('/probe') ? 'POST' : 'GET';
      const reply = await send(h, path, {
        method,
        token: h.contoso.accessToken,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      const expected: Expected = path.includes('?')
        ? { status: 400, code: 'invalid_field', field: path.includes('limit') ? 'limit' : 'format' }
        : { status: 404, code: path.includes('/runs/') ? 'unknown_run' : 'unknown_step' };
      await assertRefused(h, reply, expected, before);
      assert.equal(reply.headers['x-evil'], undefined);
    });
  }
});
