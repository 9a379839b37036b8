/**
 * The rehearsal over HTTP: the companion in sandbox mode with RUNBOOK_EXECUTOR=powershell and the stand-in module
 * runs the seed guide through real pwsh, with the sandbox's own signed Exchange tokens checked at Connect; a role group
 * name full of metacharacters reaches the simulator verbatim.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { RunRecord, SandboxSignInResponse } from '../../src/runbook/api.ts';
import { processTree } from '../../server/executors/powershell/process-tree.ts';
import { CONTOSO_ADMIN, CONTOSO_TID, readEvents, startServer, type TestServer } from '../support/server.ts';
import { pwsh, skipWithoutPwsh, STAND_IN_MODULES } from '../support/pwsh-rig.ts';

const NASTY_NAME = `O'Br"ien $(rm C:\\) \`\`\`id\` ; x #next \u2019 $env:P`;

describe('rehearsal: the companion with the PowerShell executor on the sandbox', { skip: skipWithoutPwsh }, () => {
  let server: TestServer;
  let admin: SandboxSignInResponse;
  /** Headers of the signed-in admin's requests. */
  const exchange = () => ({ 'x-exchange-token': admin.exchangeToken });

  /** Starts a run and reads its event stream to the end; returns the final record. */
  async function run(step: string, params: unknown = {}): Promise<RunRecord> {
    const started = await server.request('/api/runs', {
      method: 'POST',
      token: admin.accessToken,
      headers: exchange(),
      body: { step, params },
    });
    assert.equal(started.status, 202, started.text);
    const { events } = await readEvents(
      server.port,
      `/api/runs/${started.json.id}/events`,
      admin.accessToken,
      {},
      60_000,
    );
    return events.find((e) => e.event === 'end')!.data as RunRecord;
  }

  before(async () => {
    server = await startServer({
      env: { RUNBOOK_EXECUTOR: 'powershell', RUNBOOK_PSMODULEPATH: STAND_IN_MODULES, NODE_POWERSHELL: pwsh! },
    });
    admin = await server.signIn(CONTOSO_ADMIN);
  });
  after(() => server?.close(true));

  test('health names the powershell executor, and warming needs the Exchange token', async () => {
    assert.equal((await server.request('/api/health')).json.executor, 'powershell');
    const missing = await server.request('/api/session/warm', { method: 'POST', token: admin.accessToken, body: {} });
    assert.deepEqual(
      [missing.status, missing.json.error.code, missing.json.error.field],
      [400, 'exchange_token_required', 'X-Exchange-Token'],
    );
  });

  test('a token that is not for Exchange (the companion token) is refused before Connect, with what to request', async () => {
    const wrong = await server.request('/api/session/warm', {
      method: 'POST',
      token: admin.accessToken,
      headers: { 'x-exchange-token': admin.accessToken },
      body: {},
    });
    assert.deepEqual(
      [wrong.status, wrong.json.error.code, wrong.json.error.field],
      [401, 'exchange_token_audience', 'X-Exchange-Token'],
      wrong.text,
    );
    assert.match(
      wrong.json.error.message,
      /^X-Exchange-Token: It is for api:\/\/runbook-companion, not for https:\/\/outlook\.office365\.com: request the scope https:\/\/outlook\.office365\.com\/\.default/,
    );
    assert.ok(!wrong.text.includes(admin.accessToken));
  });

  test("Connect refuses an Exchange token signed by another companion's sandbox key", async () => {
    const other = await startServer({
      env: { RUNBOOK_EXECUTOR: 'powershell', RUNBOOK_PSMODULEPATH: STAND_IN_MODULES, NODE_POWERSHELL: pwsh! },
    });
    try {
      const otherAdmin = await other.signIn(CONTOSO_ADMIN);
      const reply = await other.request('/api/session/warm', {
        method: 'POST',
        token: otherAdmin.accessToken,
        headers: exchange(),
        body: {},
      });
      assert.equal(reply.status, 502, reply.text);
      assert.match(
        reply.json.error.message,
        /Connect-ExchangeOnline failed.*(key this issuer does not publish|signature)/,
      );
      assert.ok(!reply.text.includes(admin.exchangeToken.split('.')[2]!), 'the token is not echoed');
    } finally {
      await other.close(true);
    }
  });

  test("warms the admin's pwsh, then runs the seed guide with the same outcomes as the sandbox", async () => {
    const warm = await server.request('/api/session/warm', {
      method: 'POST',
      token: admin.accessToken,
      headers: exchange(),
      body: {},
    });
    assert.deepEqual(warm.json, { status: 'ready', executor: 'powershell' });
    const group = { name: 'EWS Application Impersonation', members: ['svc-ews@contoso.onmicrosoft.com'] };
    assert.equal((await run('check-impersonation-role')).status, 'succeeded');
    const dehydrated = await run('create-role-group', group);
    assert.equal(dehydrated.status, 'failed');
    assert.equal(
      dehydrated.error?.message,
      "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
    );
    assert.equal((await run('enable-customization')).status, 'succeeded');
    assert.equal((await run('check-dehydrated')).status, 'succeeded');
    const created = await run('create-role-group', group);
    assert.equal(created.status, 'succeeded', JSON.stringify(created.error));
    assert.equal((await run('remove-role-group', { name: group.name })).status, 'succeeded');

    const nasty = await run('create-role-group', { ...group, name: NASTY_NAME });
    assert.equal(nasty.status, 'succeeded', JSON.stringify(nasty.error));
    const names = JSON.parse((await server.companion.store.loadSandboxState(CONTOSO_TID))!).roleGroups.map(
      (g: { name: string }) => g.name,
    );
    assert.ok(names.includes(NASTY_NAME), `simulator holds ${JSON.stringify(names)}`);
    assert.equal((await run('remove-role-group', { name: NASTY_NAME })).status, 'succeeded');
  });

  // Counting pwsh processes reads their command lines from /proc.
  test(
    "ending the session (sign-out) kills the admin's pwsh at once",
    { skip: process.platform !== 'linux' && 'reads /proc: Linux only' },
    async () => {
      assert.equal(pwshChildren().length, 1, 'the warm session');
      const ended = await server.request('/api/session/end', { method: 'POST', token: admin.accessToken, body: {} });
      assert.deepEqual([ended.status, ended.json], [200, { status: 'ended' }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(pwshChildren(), []);
    },
  );
});

/** Live pwsh processes started by this test process (the companion runs in it). */
function pwshChildren(): number[] {
  return processTree(process.pid).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return (
        stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z' &&
        readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(pwsh!)
      );
    } catch {
      return false;
    }
  });
}
