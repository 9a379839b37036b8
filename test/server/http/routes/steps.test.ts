/**
 * Step parameters at the HTTP edge: a bad OPATH filter or GUID is a 400 naming the field and the problem, on probe,
 * preview and run alike, before anything reaches Exchange; and the message is parseParams' own, word for word, so the
 * catalog's parameter tests check what the API really sends.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getStep, parseParams } from '../../../../src/runbook/catalog.ts';
import { FABRIKAM_ADMIN, startServer, type TestServer } from '../../../support/server.ts';

describe('step parameters over HTTP', () => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startServer();
    token = (await server.signIn(FABRIKAM_ADMIN)).accessToken;
  });
  after(() => server.close(true));

  /** The 400 `body` gets at `pathname`: its field and message. */
  const refusal = async (pathname: string, body: unknown) => {
    const reply = await server.request(pathname, { method: 'POST', token, body });
    assert.equal(reply.status, 400, reply.text);
    assert.equal(reply.json.error.code, 'invalid_field');
    return { field: reply.json.error.field as string, message: reply.json.error.message as string };
  };

  test('an unbalanced quote or an unknown operator in a scope filter is refused with where and what', async () => {
    for (const pathname of ['/api/steps/create-management-scope/probe', '/api/steps/create-management-scope/preview']) {
      const quote = await refusal(pathname, { params: { name: 'S', filter: "Department -eq 'Sales" } });
      assert.equal(quote.field, 'params.filter');
      assert.match(quote.message, /unbalanced quote: the ' at character 16 is never closed/);
    }
    const operator = await refusal('/api/runs', {
      step: 'create-management-scope',
      params: { name: 'S', filter: "Department -match 'Sa'" },
    });
    assert.equal(operator.field, 'params.filter');
    assert.match(operator.message, /unknown operator "-match" at character 12/);
    const runs = await server.request('/api/runs', { token });
    assert.deepEqual(runs.json, [], 'nothing ran');
  });

  test('a value that is not a GUID is refused, naming the field', async () => {
    const bad = await refusal('/api/runs', {
      step: 'assign-application-role',
      params: { app: 'Fabrikam Mail Archiver' },
    });
    assert.equal(bad.field, 'params.app');
    assert.match(bad.message, /must be a GUID/);
  });

  test('the API answers with exactly the field and message parseParams reports', async () => {
    const cases: Array<[string, unknown]> = [
      ['create-role-group', { name: 'n'.repeat(65), members: ['svc-ews@fabrikam.onmicrosoft.com'] }],
      ['create-role-group', {}],
      ['create-role-group', { members: ['svc-ews@fabrikam.onmicrosoft.com'], role: 'x' }],
      ['create-service-principal', { appId: 'not-a-guid' }],
      ['create-management-scope', { name: 'S', filter: "Department -eq 'Sales" }],
      ['assign-application-role', { app: '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93', role: 'Mail.Read' }],
      ['enable-customization', { force: true }],
    ];
    for (const [id, params] of cases) {
      const expected = parseParams(getStep(id)!, params);
      assert.equal(expected.ok, false, id);
      assert.deepEqual(
        await refusal(`/api/steps/${id}/preview`, { params }),
        { field: expected.field, message: expected.message },
        id,
      );
    }
  });
});
