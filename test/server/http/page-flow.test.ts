/**
 * The seed guide over the HTTP API, as the page drives it: sign in, probe, POST /api/runs, follow the events, read
 * the record. Sandbox delays are the defaults (45 s customization, 20 s propagation) on a virtual clock, so the
 * waits happen in full but take no real time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunRecord } from '../../../src/runbook/api.ts';
import { CONTOSO_ADMIN, FABRIKAM_ADMIN, readEvents, startServer, type TestServer } from '../../support/server.ts';

const DEHYDRATED_TEXT =
  "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.";
const ALREADY_ENABLED_TEXT = 'This operation is not required. Organization is already enabled for customization.';
const ROLE_NOT_FOUND =
  /^The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on '[^']+'\.$/;

describe('seed flow over HTTP', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { RUNBOOK_CUSTOMIZATION_DELAY: '45', RUNBOOK_PROPAGATION_DELAY: '20' } });
  });
  after(() => server.close(true));

  /** Signs in as `user` and returns helpers bound to that admin. */
  const as = async (user: string) => {
    const token = (await server.signIn(user)).accessToken;
    return {
      probe: async (step: string, params: unknown = {}) => {
        const reply = await server.request(`/api/steps/${step}/probe`, { method: 'POST', token, body: { params } });
        assert.equal(reply.status, 200, reply.text);
        return reply.json as { state: string; reason: string; guide?: string };
      },
      /** Starts the step, follows its events to the end, and checks the stream against the stored record. */
      run: async (step: string, params: unknown = {}) => {
        const started = await server.request('/api/runs', { method: 'POST', token, body: { step, params } });
        assert.equal(started.status, 202, started.text);
        const { events } = await readEvents(server.port, `/api/runs/${started.json.id}/events`, token);
        const end = events.at(-1)!;
        assert.equal(end.event, 'end');
        const record = (await server.request(`/api/runs/${started.json.id}`, { token })).json as RunRecord;
        assert.deepEqual(end.data, record, 'the end event carries the stored record');
        return record;
      },
    };
  };

  /** A failed run with the exact text and the catalog's explanation. */
  const assertFailed = (run: RunRecord, message: string | RegExp, known: string) => {
    assert.equal(run.status, 'failed', JSON.stringify(run));
    if (typeof message === 'string') assert.equal(run.error!.message, message);
    else assert.match(run.error!.message, message);
    assert.equal(run.error!.known, known);
    assert.ok(run.error!.explanation!.meaning && run.error!.explanation!.action && run.error!.guide);
  };

  test('contoso: dehydrated error -> enable -> already enabled -> IsDehydrated False -> create -> duplicate -> remove', async () => {
    const admin = await as(CONTOSO_ADMIN);
    const group = { name: 'EWS Application Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'] };

    assert.equal((await admin.probe('check-impersonation-role')).state, 'done');
    assert.equal((await admin.probe('create-role-group', group)).state, 'blocked');
    assertFailed(await admin.run('create-role-group', group), DEHYDRATED_TEXT, 'organization-not-customized');

    assert.equal((await admin.run('enable-customization')).status, 'succeeded');
    const again = await admin.run('enable-customization');
    assert.equal(again.status, 'succeeded', 'already enabled counts as success');
    assert.ok(
      again.output.some((o) => o.kind === 'error' && o.text === ALREADY_ENABLED_TEXT),
      JSON.stringify(again.output),
    );

    const wait = await admin.run('check-dehydrated');
    assert.equal(wait.status, 'succeeded');
    assert.ok(wait.output.filter((o) => o.kind === 'wait').length >= 2, 'waited with backoff, each wait streamed');
    assert.equal((await admin.probe('check-dehydrated')).state, 'done');

    const created = await admin.run('create-role-group', group);
    assert.equal(created.status, 'succeeded', JSON.stringify(created.error));
    assert.ok(
      created.output.some((o) => o.kind === 'wait'),
      'retried while customization propagated',
    );
    assert.equal((await admin.probe('create-role-group', group)).state, 'done');

    assertFailed(
      await admin.run('create-role-group', group),
      /^Active Directory operation failed on [\w.]+\. The object 'CN=EWS Application Impersonation,.+' already exists\.$/,
      'role-group-exists',
    );

    assert.equal((await admin.run('remove-role-group', { name: group.name })).status, 'succeeded');
    assert.equal((await admin.probe('remove-role-group', { name: group.name })).state, 'done');
  });

  test('fabrikam: the role is gone; check blocked with where to go, create fails as a missing object', async () => {
    const admin = await as(FABRIKAM_ADMIN);
    const verdict = await admin.probe('check-impersonation-role');
    assert.equal(verdict.state, 'blocked');
    assert.equal(verdict.guide, '/guides/rbac-for-applications/');
    const check = await admin.run('check-impersonation-role');
    assert.equal(check.status, 'succeeded', 'the check answered its question: the role is gone');
    assert.ok(
      check.output.some((o) => o.kind === 'error' && ROLE_NOT_FOUND.test(o.text)),
      JSON.stringify(check.output),
    );
    assertFailed(
      await admin.run('create-role-group', {
        name: 'EWS Application Impersonation',
        members: ['svc-ews@fabrikam.onmicrosoft.com'],
      }),
      ROLE_NOT_FOUND,
      'impersonation-role-missing',
    );
    const enable = await admin.run('enable-customization');
    assert.equal(enable.status, 'succeeded');
    assert.ok(enable.output.some((o) => o.text.startsWith(ALREADY_ENABLED_TEXT)));
  });

  test('sandbox reset puts the tenant back to its 2023 state (dehydrated again)', async () => {
    const admin = await as(CONTOSO_ADMIN);
    assert.equal((await admin.probe('check-dehydrated')).state, 'done');
    const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
    assert.equal((await server.request('/api/sandbox/reset', { method: 'POST', token })).status, 200);
    assert.equal((await admin.probe('check-dehydrated')).state, 'needed');
  });
});
