/**
 * Property-based fuzz of the step parameter schemas over HTTP (fast-check): any value the API accepts reaches the
 * executor verbatim (a recording executor wraps the sandbox one and keeps every cmdlet call), and any value it rejects
 * gets a 400 naming the field, with no run started and no call made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { CmdletCall } from '../../src/runbook/core/cmdlets.ts';
import type { Executor } from '../../server/executors/types.ts';
import { eventually } from '../support/server.ts';
import { type Hostile, hostileServer, send } from '../support/security.ts';

/** Wraps `inner` so every cmdlet call any session makes is kept, in order. */
function recording(inner: Executor): { executor: Executor; calls: CmdletCall[] } {
  const calls: CmdletCall[] = [];
  return {
    calls,
    executor: {
      name: inner.name,
      async session(creds) {
        const session = await inner.session(creds);
        return {
          invoke: (call) => {
            calls.push(structuredClone(call));
            return session.invoke(call);
          },
        };
      },
      warm: (creds) => inner.warm(creds),
      end: (actor) => inner.end(actor),
      close: () => inner.close(),
    },
  };
}

// Characters PowerShell treats specially, quotes of every kind, control characters, and plain ones.
const NASTY = [
  "'",
  '"',
  '`',
  '$',
  '(',
  ')',
  '{',
  '}',
  ';',
  '|',
  '&',
  '<',
  '>',
  '#',
  '@',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
  '\u00a0',
  '\u200b',
  'a',
  'Z',
  '0',
  ' ',
  '-',
  '\\',
  '%',
  '\ud83d\udca5',
];
const nastyString = (maxLength: number) => fc.string({ unit: fc.constantFrom(...NASTY), minLength: 1, maxLength });
const anyString = (maxLength: number) => fc.string({ unit: 'binary', maxLength });
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Role group names the schema allows: 1-64 UTF-16 units, not only spaces, well-formed, no control character or line
 * break.
 */
// eslint-disable-next-line no-control-regex -- the characters names may not hold
const NAME_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- the characters free text may not hold
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const validName = fc
  .oneof(nastyString(64), anyString(64))
  .filter(
    (s) => s.length >= 1 && s.length <= 64 && s.trim().length > 0 && !LONE_SURROGATE.test(s) && !NAME_CONTROLS.test(s),
  );
const LOCAL = [..."abcXYZ019'._!#^~+-"];
const upn = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...LOCAL), minLength: 1, maxLength: 30 }),
    fc.constantFrom('contoso.onmicrosoft.com', 'fabrikam.onmicrosoft.com', 'x-1.example'),
  )
  .map(([local, domain]) => `${local}@${domain}`);
const validMembers = fc.uniqueArray(upn, { minLength: 1, maxLength: 5, selector: (u) => u.toLowerCase() });
const validDescription = fc.option(
  fc
    .oneof(nastyString(200), anyString(1024))
    .filter((s) => s.length <= 1024 && !LONE_SURROGATE.test(s) && !TEXT_CONTROLS.test(s)),
  { nil: undefined },
);
const notAString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

let h: Hostile;
let calls: CmdletCall[];
before(async () => {
  h = await hostileServer({
    executor: (configured) => {
      const r = recording(configured);
      calls = r.calls;
      return r.executor;
    },
  });
});
after(() => h.close());

/** Starts `step` with `params` as contoso's admin, waits for the end, and returns the calls the run made. */
async function runAndRecord(step: string, params: unknown): Promise<CmdletCall[]> {
  const from = calls.length;
  const started = await send(h, '/api/runs', { method: 'POST', token: h.contoso.accessToken, body: { step, params } });
  assert.equal(started.status, 202, started.text);
  await eventually(async () =>
    (await send(h, `/api/runs/${started.json.id}`, { token: h.contoso.accessToken })).json.status === 'running'
      ? undefined
      : true,
  );
  return calls.slice(from);
}

describe('accepted parameters reach the executor verbatim', () => {
  test('create-role-group: Name, Members and Description arrive exactly as sent', async () => {
    await fc.assert(
      fc.asyncProperty(validName, validMembers, validDescription, async (name, members, description) => {
        const params = { name, members, ...(description === undefined ? {} : { description }) };
        const made = await runAndRecord('create-role-group', params);
        const create = made.find((c) => c.cmdlet === 'New-RoleGroup');
        assert.ok(create, `New-RoleGroup was called: ${JSON.stringify(made)}`);
        assert.deepEqual(create.params, {
          Name: name,
          Roles: ['ApplicationImpersonation'],
          Members: members,
          ...(description === undefined ? {} : { Description: description }),
        });
      }),
      { numRuns: 60 },
    );
  });

  test('remove-role-group: Identity arrives exactly as sent', async () => {
    await fc.assert(
      fc.asyncProperty(validName, async (name) => {
        const made = await runAndRecord('remove-role-group', { name });
        assert.ok(made.length > 0, 'the step called Exchange');
        for (const call of made) if (call.params && 'Identity' in call.params) assert.equal(call.params.Identity, name);
      }),
      { numRuns: 40 },
    );
  });

  test('preview renders every accepted name without losing a character', async () => {
    await fc.assert(
      fc.asyncProperty(validName, async (name) => {
        const reply = await send(h, '/api/steps/remove-role-group/preview', {
          method: 'POST',
          token: h.contoso.accessToken,
          body: { params: { name } },
        });
        assert.equal(reply.status, 200, reply.text);
        assert.equal(typeof reply.json.script, 'string');
      }),
      { numRuns: 60 },
    );
  });
});

/** A bad value for one field of create-role-group, and the field the 400 must name. */
const invalidCreate = fc.oneof(
  fc
    .oneof(
      notAString,
      fc.constant(''),
      fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), minLength: 1, maxLength: 8 }),
      fc.string({ minLength: 65, maxLength: 200 }),
      fc
        .tuple(validName, fc.constantFrom('\ud83d', '\udc00', '\n', '\r', '\u0085', '\u2028', '\u0000'))
        .map(([n, odd]) => `${n.slice(0, 63)}${odd}`),
    )
    .map((name) => ({ params: { name, members: ['svc-ews@contoso.onmicrosoft.com'] }, field: 'params.name' })),
  fc
    .oneof(
      notAString.filter((v) => !Array.isArray(v)),
      fc.constant([]),
      fc.array(upn, { minLength: 51, maxLength: 60 }),
    )
    .map((members) => ({ params: { name: 'g', members }, field: 'params.members' })),
  fc
    .tuple(
      validMembers,
      fc.nat(),
      fc.oneof(
        notAString,
        fc.string({ maxLength: 40 }).filter((s) => !/^[A-Za-z0-9'._!#^~+-]{1,64}@[A-Za-z0-9-.]+$/.test(s)),
      ),
    )
    .map(([members, at, bad]) => {
      const i = at % (members.length + 1);
      return {
        params: { name: 'g', members: [...members.slice(0, i), bad, ...members.slice(i)] },
        field: `params.members.${i}`,
      };
    }),
  fc.oneof(notAString, fc.string({ minLength: 1025, maxLength: 1100 })).map((description) => ({
    params: { name: 'g', members: ['svc-ews@contoso.onmicrosoft.com'], description },
    field: 'params.description',
  })),
  fc
    .string({ minLength: 1, maxLength: 20 })
    .filter((k) => !['name', 'members', 'description'].includes(k))
    .map((key) => ({
      params: Object.fromEntries([
        ['name', 'g'],
        ['members', ['svc-ews@contoso.onmicrosoft.com']],
        [key, 1],
      ]),
      field: `params.${key}`,
    })),
);

describe('rejected parameters get a 400 naming the field, and nothing runs', () => {
  for (const endpoint of ['/api/runs', '/api/steps/create-role-group/probe', '/api/steps/create-role-group/preview']) {
    test(`create-role-group via ${endpoint}`, async () => {
      await fc.assert(
        fc.asyncProperty(invalidCreate, async ({ params, field }) => {
          const before = await h.snapshot();
          const from = calls.length;
          const body = endpoint === '/api/runs' ? { step: 'create-role-group', params } : { params };
          const reply = await send(h, endpoint, { method: 'POST', token: h.contoso.accessToken, body });
          assert.equal(reply.status, 400, reply.text);
          assert.equal(reply.json.error.code, 'invalid_field');
          assert.equal(reply.json.error.field, field, reply.text);
          assert.ok(reply.json.error.message.startsWith(`${field}: `), reply.json.error.message);
          assert.equal(calls.length, from, 'no cmdlet was called');
          assert.equal(await h.snapshot(), before, 'no run was recorded');
        }),
        { numRuns: 80 },
      );
    });
  }
});
