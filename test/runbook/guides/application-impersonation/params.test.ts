/**
 * Each step's parameter schema: defaults, limits, formats, unknown fields; parseParams names field and rule as the API
 * does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStep, parseParams } from '../../../../src/runbook/catalog.ts';
import type { StepId } from '../../../../src/runbook/core/step.ts';

/** parseParams for step `id`. */
const check = (id: StepId, raw: unknown) => parseParams(getStep(id)!, raw);
const svc = 'svc-ews@contoso.onmicrosoft.com';

describe('create-role-group parameters', () => {
  it('defaults the name and keeps members and description', () => {
    assert.deepEqual(check('create-role-group', { members: [svc] }), {
      ok: true,
      params: { name: 'EWS Application Impersonation', members: [svc] },
    });
  });
  it('accepts a name of exactly 64 characters and refuses 65', () => {
    assert.equal(check('create-role-group', { name: 'n'.repeat(64), members: [svc] }).ok, true);
    assert.deepEqual(check('create-role-group', { name: 'n'.repeat(65), members: [svc] }), {
      ok: false,
      field: 'params.name',
      message: 'params.name: must be at most 64 characters (the Exchange limit for role group names)',
    });
  });
  it('refuses an empty or blank name', () => {
    assert.deepEqual(check('create-role-group', { name: '', members: [svc] }), {
      ok: false,
      field: 'params.name',
      message: 'params.name: must not be empty',
    });
    assert.equal(check('create-role-group', { name: '   ', members: [svc] }).ok, false);
  });
  it('keeps a name full of metacharacters verbatim', () => {
    const name = `a'b"c $(d) \`e; \u2019f #g 😀`;
    assert.deepEqual(check('create-role-group', { name, members: [svc] }), {
      ok: true,
      params: { name, members: [svc] },
    });
  });
  it('refuses a name with a line break or control character, or ill-formed Unicode, saying which character', () => {
    assert.deepEqual(check('create-role-group', { name: 'a\rb', members: [svc] }), {
      ok: false,
      field: 'params.name',
      message: 'params.name: must not contain control characters or line breaks (U+000D at character 2)',
    });
    for (const name of ['a\nb', 'a\u2028b', 'a\u0085b', 'a\u0000', 'a\tb'])
      assert.equal(check('create-role-group', { name, members: [svc] }).ok, false, JSON.stringify(name));
    assert.deepEqual(check('create-role-group', { name: 'x\udc00', members: [svc] }), {
      ok: false,
      field: 'params.name',
      message:
        'params.name: must be well-formed Unicode: U+DC00 at character 2 is half of a surrogate pair, which Exchange would store as U+FFFD',
    });
  });
  it('requires at least one member, at most 50, each a UPN, none twice', () => {
    assert.deepEqual(check('create-role-group', {}), {
      ok: false,
      field: 'params.members',
      message: 'params.members: Invalid input: expected array, received undefined',
    });
    assert.equal(check('create-role-group', { members: [] }).ok, false);
    assert.deepEqual(check('create-role-group', { members: ['svc-ews'] }), {
      ok: false,
      field: 'params.members.0',
      message: 'params.members.0: must be a user principal name such as svc-ews@contoso.onmicrosoft.com',
    });
    for (const bad of ['a@b', '@contoso.com', 'a b@contoso.com', 'a@-contoso.com', `${'a'.repeat(65)}@contoso.com`]) {
      assert.equal(check('create-role-group', { members: [bad] }).ok, false, bad);
    }
    assert.equal(check('create-role-group', { members: ["o'brien@contoso.onmicrosoft.com"] }).ok, true);
    const many = Array.from({ length: 51 }, (_, i) => `u${i}@contoso.onmicrosoft.com`);
    assert.equal(check('create-role-group', { members: many.slice(0, 50) }).ok, true);
    assert.equal(check('create-role-group', { members: many }).ok, false);
    assert.deepEqual(check('create-role-group', { members: [svc, svc.toUpperCase()] }), {
      ok: false,
      field: 'params.members',
      message: 'params.members: must not list a member twice',
    });
  });
  it('limits the description to 1024 characters of well-formed text (line breaks allowed, other controls not)', () => {
    assert.equal(check('create-role-group', { members: [svc], description: 'd'.repeat(1024) }).ok, true);
    assert.equal(check('create-role-group', { members: [svc], description: 'd'.repeat(1025) }).ok, false);
    assert.equal(check('create-role-group', { members: [svc], description: 'one\r\ntwo\tthree' }).ok, true);
    assert.equal(check('create-role-group', { members: [svc], description: 'bell\u0007' }).ok, false);
    assert.equal(check('create-role-group', { members: [svc], description: '\ud83d' }).ok, false);
  });
  it('rejects unknown fields, naming them', () => {
    assert.deepEqual(check('create-role-group', { members: [svc], role: 'Mail Recipients' }), {
      ok: false,
      field: 'params.role',
      message: 'params.role: unknown field; remove it',
    });
  });
  it('suggests the service account of the signed-in tenant, never applies it', () => {
    assert.deepEqual(getStep('create-role-group')!.suggestParams!({ upn: 'admin@fabrikam.onmicrosoft.com' }), {
      members: ['svc-ews@fabrikam.onmicrosoft.com'],
    });
  });
});

describe('remove-role-group parameters', () => {
  it('requires the name, with the same limits', () => {
    assert.deepEqual(check('remove-role-group', {}), {
      ok: false,
      field: 'params.name',
      message: 'params.name: Invalid input: expected string, received undefined',
    });
    assert.equal(check('remove-role-group', { name: 'n'.repeat(65) }).ok, false);
    assert.deepEqual(check('remove-role-group', { name: 'x' }), { ok: true, params: { name: 'x' } });
  });
});

describe('steps without parameters', () => {
  for (const id of ['check-impersonation-role', 'enable-customization', 'check-dehydrated'] as const) {
    it(`${id} takes none and rejects any field`, () => {
      assert.deepEqual(check(id, {}), { ok: true, params: {} });
      assert.deepEqual(check(id, undefined), { ok: true, params: {} });
      assert.equal(check(id, { name: 'x' }).ok, false);
    });
  }
});
