/**
 * PowerShell faults as a signed-in admin meets them over HTTP (the executor-level cases, hung cmdlet, killed pwsh,
 * pwsh that cannot start, are in test/pwsh/sessions.test.ts): a step whose cmdlet hangs ends `unknown` with the
 * advice to probe and the next run works; pwsh killed mid-step likewise; a pwsh slow to start still serves the warm-up
 * and the first run with one process; one slower than the start-up limit gets a 503 that says what to do.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunRecord, SandboxSignInResponse } from '../../src/runbook/api.ts';
import type { CmdletCall, CmdletResult } from '../../src/runbook/core/cmdlets.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import type { PowerShellExecutorOptions } from '../../server/executors/powershell.ts';
import { CONTOSO_ADMIN, eventually, readEvents, startServer, type TestServer } from '../support/server.ts';
import { exchangeToken, pwsh, type Rig, skipWithoutPwsh, startRig } from '../support/pwsh-rig.ts';

interface Companion {
  server: TestServer;
  rig: Rig;
  admin: SandboxSignInResponse;
  headers: Record<string, string>;
  hang: { on: boolean };
}

/** A companion whose executor is real pwsh with the stand-in module; `hang.on` makes every cmdlet call hang. */
async function companion(options: PowerShellExecutorOptions): Promise<Companion> {
  const simulator = new ExchangeSimulator();
  const hang = { on: false };
  const invoke = (tid: string, call: CmdletCall): Promise<CmdletResult> =>
    hang.on ? new Promise(() => {}) : simulator.invoke(tid, call);
  const rig = await startRig(invoke, options);
  const server = await startServer({ executor: () => rig.executor });
  const admin = await server.signIn(CONTOSO_ADMIN);
  return { server, rig, admin, hang, headers: { 'x-exchange-token': exchangeToken(admin.account) } };
}

/** Starts `step` and follows it to the end. */
async function run(c: Companion, step: string): Promise<RunRecord> {
  const started = await c.server.request('/api/runs', {
    method: 'POST',
    token: c.admin.accessToken,
    headers: c.headers,
    body: { step },
  });
  assert.equal(started.status, 202, started.text);
  const { events } = await readEvents(
    c.server.port,
    `/api/runs/${started.json.id}/events`,
    c.admin.accessToken,
    {},
    60_000,
  );
  return events.at(-1)!.data as RunRecord;
}

/** What an interrupted run must say to the admin. */
function assertInterrupted(record: RunRecord): void {
  assert.equal(record.status, 'unknown', JSON.stringify(record.error));
  assert.equal(record.error?.type, 'CallInterrupted');
  assert.match(record.error.explanation!.action, /probe/);
}

describe('PowerShell faults over HTTP', { skip: skipWithoutPwsh }, () => {
  let c: Companion;
  before(async () => {
    c = await companion({ callTimeoutMs: 2_000 });
  });
  after(async () => {
    await c?.server.close(true);
    await c?.rig.close();
  });
  const actor = () => ({ tid: c.admin.account.tid, oid: c.admin.account.oid, upn: c.admin.account.upn });

  test('a hung cmdlet: the run ends unknown at the call timeout, then the next run works in a fresh pwsh', async () => {
    assert.equal(
      (
        await c.server.request('/api/session/warm', {
          method: 'POST',
          token: c.admin.accessToken,
          headers: c.headers,
          body: {},
        })
      ).status,
      200,
    );
    const first = c.rig.executor.processOf(actor())!.info.pid;
    c.hang.on = true;
    const started = Date.now();
    assertInterrupted(await run(c, 'check-impersonation-role'));
    assert.ok(Date.now() - started < 15_000, 'cut off near the 2 s call timeout');
    c.hang.on = false;
    assert.equal((await run(c, 'check-impersonation-role')).status, 'succeeded');
    assert.notEqual(c.rig.executor.processOf(actor())!.info.pid, first);
  });

  test('pwsh killed mid-step: the run ends unknown, and the admin can run again at once', async () => {
    c.hang.on = true;
    const started = await c.server.request('/api/runs', {
      method: 'POST',
      token: c.admin.accessToken,
      headers: c.headers,
      body: { step: 'check-impersonation-role' },
    });
    assert.equal(started.status, 202);
    const stream = readEvents(c.server.port, `/api/runs/${started.json.id}/events`, c.admin.accessToken, {}, 60_000);
    const victim = await eventually(() => c.rig.executor.processOf(actor())?.info.pid, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    process.kill(victim, 'SIGKILL');
    assertInterrupted((await stream).events.at(-1)!.data as RunRecord);
    c.hang.on = false;
    assert.equal((await run(c, 'check-impersonation-role')).status, 'succeeded');
  });
});

// The slow pwsh is a /bin/sh wrapper, which Windows cannot start.
describe('a pwsh slow to start', { skip: skipWithoutPwsh || (process.platform === 'win32' && 'needs /bin/sh') }, () => {
  let dir: string;
  let slowPwsh: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-slow-pwsh-'));
    slowPwsh = path.join(dir, 'pwsh');
    writeFileSync(slowPwsh, `#!/bin/sh\nsleep 3\nexec '${pwsh}' "$@"\n`);
    chmodSync(slowPwsh, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('within the start-up limit: warm-up and a run sent meanwhile share one process and succeed', async () => {
    const c = await companion({ executable: slowPwsh, startTimeoutMs: 60_000 });
    try {
      const warm = c.server.request('/api/session/warm', {
        method: 'POST',
        token: c.admin.accessToken,
        headers: c.headers,
        body: {},
      });
      const record = run(c, 'check-impersonation-role');
      assert.equal((await warm).status, 200);
      assert.equal((await record).status, 'succeeded');
      const second = await c.server.request('/api/session/warm', {
        method: 'POST',
        token: c.admin.accessToken,
        headers: c.headers,
        body: {},
      });
      assert.equal(second.status, 200);
    } finally {
      await c.server.close(true);
      await c.rig.close();
    }
  });

  test('beyond the start-up limit: 503 powershell_unavailable pointing at npm run doctor, not a hang', async () => {
    const c = await companion({ executable: slowPwsh, startTimeoutMs: 1_000 });
    try {
      const started = Date.now();
      const warm = await c.server.request('/api/session/warm', {
        method: 'POST',
        token: c.admin.accessToken,
        headers: c.headers,
        body: {},
      });
      assert.equal(warm.status, 503, warm.text);
      assert.equal(warm.json.error.code, 'powershell_unavailable');
      assert.match(warm.json.error.message, /npm run doctor/);
      assert.ok(Date.now() - started < 10_000);
    } finally {
      await c.server.close(true);
      await c.rig.close();
    }
  });
});
