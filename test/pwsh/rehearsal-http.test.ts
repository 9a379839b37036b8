/**
 * The rehearsal over HTTP: sandbox mode with RUNBOOK_EXECUTOR=powershell, so each step runs in a real pwsh with the
 * stand-in Exchange module, which reaches the same simulator through the bridge. The bridge accepts only the
 * sandbox's own Exchange tokens; a role group name full of metacharacters arrives in the simulator verbatim.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunRecord } from '../../src/runbook/api.ts';
import { findPwsh } from '../support/pwsh.ts';
import { CONTOSO_ADMIN, CONTOSO_TID, eventually, startServer, type TestServer } from '../server/helpers.ts';

const pwsh = findPwsh();
const NAME = `O'Br"ien $(rm C:\\) \`\`\`id\` ; x\nnext \u2019 $env:P`;

describe('rehearsal through real pwsh over HTTP', { skip: !pwsh }, () => {
  let server: TestServer;
  let token: string;
  let exchangeToken: string;

  before(async () => {
    server = await startServer({
      env: {
        RUNBOOK_EXECUTOR: 'powershell',
        NODE_POWERSHELL: pwsh!,
        RUNBOOK_PSMODULEPATH: path.join(import.meta.dirname, '..', 'fixtures', 'psmodules'),
      },
    });
    ({ accessToken: token, exchangeToken } = await server.signIn(CONTOSO_ADMIN));
  });
  after(() => server.close(true));

  /** Runs a step with the Exchange token and waits for its record. */
  const run = async (step: string, params: unknown = {}) => {
    const started = await server.request('/api/runs', { method: 'POST', token, body: { step, params }, headers: { 'x-exchange-token': exchangeToken } });
    assert.equal(started.status, 202, started.text);
    return eventually(async () => {
      const record = (await server.request(`/api/runs/${started.json.id}`, { token })).json as RunRecord;
      return record.status === 'running' ? undefined : record;
    }, 60_000);
  };

  test('the bridge refuses Exchange tokens for the wrong audience or from another issuer key', async () => {
    assert.equal((await server.request('/api/health')).json.executor, 'powershell');
    const other = await startServer({ env: { RUNBOOK_EXECUTOR: 'powershell', NODE_POWERSHELL: pwsh!, RUNBOOK_PSMODULEPATH: path.join(import.meta.dirname, '..', 'fixtures', 'psmodules') } });
    try {
      const otherToken = (await other.signIn(CONTOSO_ADMIN)).accessToken;
      // Its own companion token (audience api://runbook-companion), then an Exchange token signed by another companion's key.
      for (const [wrong, reason] of [[otherToken, /aud claim/], [exchangeToken, /key this issuer does not publish|signature/]] as const) {
        const reply = await other.request('/api/session/warm', { method: 'POST', token: otherToken, headers: { 'x-exchange-token': wrong } });
        assert.equal(reply.status, 502, reply.text);
        assert.match(reply.json.error.message, /Connect-ExchangeOnline failed/);
        assert.match(reply.json.error.message, reason);
        assert.ok(!reply.text.includes(wrong.split('.')[2]!), 'the token is not echoed');
      }
    } finally {
      await other.close(true);
    }
  });

  test('warm connects; the contoso flow runs through pwsh and the name reaches the simulator verbatim', async () => {
    const warm = await server.request('/api/session/warm', { method: 'POST', token, headers: { 'x-exchange-token': exchangeToken } });
    assert.deepEqual(warm.json, { status: 'ready', executor: 'powershell' });
    assert.equal((await run('enable-customization')).status, 'succeeded');
    assert.equal((await run('check-dehydrated')).status, 'succeeded');
    const members = ['svc-ews@contoso.onmicrosoft.com'];
    const created = await run('create-role-group', { name: NAME, members });
    assert.equal(created.status, 'succeeded', JSON.stringify(created.error));
    const names = JSON.parse(server.companion.store.loadSandboxState(CONTOSO_TID)!).roleGroups.map((g: { name: string }) => g.name);
    assert.ok(names.includes(NAME), `simulator holds ${JSON.stringify(names)}`);
    assert.equal((await run('remove-role-group', { name: NAME })).status, 'succeeded');
  });
});
