/**
 * Strings Exchange would not store as sent: ill-formed Unicode (a lone surrogate, which pwsh turns into U+FFFD, so
 * "create role group" made a differently named group and then failed its check, and a description or display name
 * was stored changed while the run said it succeeded), and control characters or line breaks in Exchange names. Each
 * is a 400 naming the field on every endpoint, with nothing run, and the same shared schema refuses it in the page.
 * Well-formed text (emoji, typographic quotes, accents) still passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getStep, parseParams } from '../../src/runbook/catalog.ts';
import type { StepId } from '../../src/runbook/core/step.ts';
import { assertRefused, hostileServer, send, type Hostile } from '../support/security.ts';

let h: Hostile;
before(async () => {
  h = await hostileServer();
});
after(() => h.close());

const SVC = 'svc-ews@contoso.onmicrosoft.com';
const APP = '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93';
const OBJ = 'b81d4e27-6a3c-4f95-8e02-7c9a1d3b5f64';
const FILTER = "CustomAttribute1 -eq 'EWS-Archive'";

/** Each free-form string parameter, with valid values for the step's other parameters. */
const FIELDS: Array<{ step: StepId; field: string; base: Record<string, unknown>; name: boolean }> = [
  { step: 'create-role-group', field: 'name', base: { members: [SVC] }, name: true },
  { step: 'create-role-group', field: 'description', base: { name: 'g', members: [SVC] }, name: false },
  { step: 'remove-role-group', field: 'name', base: {}, name: true },
  { step: 'create-service-principal', field: 'displayName', base: { appId: APP, objectId: OBJ }, name: true },
  { step: 'create-management-scope', field: 'name', base: { filter: FILTER }, name: true },
  { step: 'create-management-scope', field: 'filter', base: { name: 's' }, name: false },
  { step: 'assign-application-role', field: 'scope', base: { app: APP }, name: true },
  { step: 'remove-management-scope', field: 'name', base: {}, name: true },
  { step: 'remove-application-role-assignment', field: 'name', base: {}, name: true },
];

const ILL_FORMED: Array<[string, string]> = [
  ['a lone high surrogate at the end', 'Impersonation \ud83d'],
  ["the finding's value", '😀x\ud83d'],
  ['a lone low surrogate', 'a\udc00b'],
  ['a pair in the wrong order', 'a\ude00\ud83db'],
];
const CONTROLS: Array<[string, string]> = [
  ['LF', 'a\nb'],
  ['CR', 'a\rb'],
  ['CRLF', 'a\r\nb'],
  ['NEL', 'a\u0085b'],
  ['U+2028', 'a\u2028b'],
  ['U+2029', 'a\u2029b'],
  ['NUL', 'a\u0000b'],
  ['ESC', 'a\u001b[31mb'],
  ['DEL', 'a\u007fb'],
  ['tab', 'a\tb'],
];

/** The value a filter field needs around the odd characters to be a filter at all. */
const valueFor = (field: string, text: string) => (field === 'filter' ? `CustomAttribute1 -eq '${text}'` : text);

for (const { step, field, base, name } of FIELDS) {
  const cases = [
    ...ILL_FORMED,
    ...(name ? CONTROLS : CONTROLS.filter(([what]) => !['LF', 'CR', 'CRLF', 'tab', 'U+2028', 'U+2029'].includes(what))),
  ];
  describe(`${step} ${field}`, () => {
    for (const [what, text] of cases) {
      const params = { ...base, [field]: valueFor(field, text) };
      test(`${what}: refused by the shared schema (the page) and by every endpoint`, async () => {
        const page = parseParams(getStep(step)!, params);
        assert.equal(page.ok, false, `the page's check accepts ${JSON.stringify(text)}`);
        assert.equal(!page.ok && page.field, `params.${field}`);
        for (const [path, body] of [
          ['/api/runs', { step, params }],
          [`/api/steps/${step}/preview`, { params }],
          [`/api/steps/${step}/probe`, { params }],
        ] as const) {
          const before = await h.snapshot();
          const reply = await send(h, path, { method: 'POST', token: h.contoso.accessToken, body });
          await assertRefused(h, reply, { status: 400, code: 'invalid_field', field: `params.${field}` }, before);
          assert.match(
            reply.json.error.message,
            /well-formed Unicode|control characters/,
            `${path}: ${reply.json.error.message}`,
          );
        }
      });
    }
  });
}

test('well-formed text is accepted as it is: emoji, typographic quotes, accents (and line breaks in a description)', async () => {
  const name = 'Imp ’Ü😀👍🏽 «x»';
  const ok = await send(h, '/api/steps/create-role-group/preview', {
    method: 'POST',
    token: h.contoso.accessToken,
    body: { params: { name, members: [SVC], description: 'line one\nline two\ttabbed 😀' } },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.json.script.includes('Ü😀👍🏽 «x»'), ok.json.script);
});

test('the message says which character, counted as a reader counts them', () => {
  const check = parseParams(getStep('create-role-group')!, { name: '😀x\ud83d', members: [SVC] });
  assert.deepEqual(check, {
    ok: false,
    field: 'params.name',
    message:
      'params.name: must be well-formed Unicode: U+D83D at character 3 is half of a surrogate pair, which Exchange would store as U+FFFD',
  });
});
