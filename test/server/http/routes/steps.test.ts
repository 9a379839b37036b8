/**
 * The RBAC steps' input checks at the HTTP edge: a bad OPATH filter or GUID is a 400 naming the field and the problem,
 * on probe, preview and run alike, before anything reaches Exchange.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FABRIKAM_ADMIN, startServer, type TestServer } from '../../../support/server.ts';

describe('RBAC parameters over HTTP', () => {
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
    const operator = await refusal('/api/runs', { step: 'create-management-scope', params: { name: 'S', filter: "Department -match 'Sa'" } });
    assert.equal(operator.field, 'params.filter');
    assert.match(operator.message, /unknown operator "-match" at character 12/);
    const runs = await server.request('/api/runs', { token });
    assert.deepEqual(runs.json, [], 'nothing ran');
  });

  test('a value that is not a GUID is refused, naming the field', async () => {
    const bad = await refusal('/api/runs', { step: 'assign-application-role', params: { app: 'Fabrikam Mail Archiver' } });
    assert.equal(bad.field, 'params.app');
    assert.match(bad.message, /must be a GUID/);
  });
});
