/**
 * A run in flight when the companion stops ends `unknown`, never lost and never left `running`: after a graceful
 * stop (SIGTERM path) and after a crash (the store simply stops being written), a restart on the same data folder
 * shows the run `unknown` with an explanation, keeps the output it had, and lets the admin start a new run.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { RunRecord } from '../../../src/runbook/api.ts';
import { CallInterruptedError } from '../../../server/executors/types.ts';
import { CONTOSO_ADMIN, eventually, gated, startServer, tempDataDir, type TestServer } from '../../support/server.ts';

/**
 * Starts a server whose Exchange calls are held, and a run blocked inside its second call: creating contoso's role
 * group is refused (dehydrated), and the check of IsDehydrated that follows never answers.
 */
async function serverWithBlockedRun(
  dataDir: string,
): Promise<{ server: TestServer; gate: ReturnType<typeof gated>; token: string; id: string }> {
  let gate!: ReturnType<typeof gated>;
  const server = await startServer({
    dataDir,
    executor: (configured) => (gate = gated(configured)).executor,
  });
  const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
  gate.hold(1);
  const reply = await server.request('/api/runs', {
    method: 'POST',
    token,
    body: { step: 'create-role-group', params: { members: ['svc-ews@contoso.onmicrosoft.com'] } },
  });
  assert.equal(reply.status, 202);
  await eventually(() => (gate.waiting() > 0 ? true : undefined));
  return { server, gate, token, id: reply.json.id };
}

/** Restarts on `dataDir` and reads the run. */
async function afterRestart(
  dataDir: string,
  id: string,
): Promise<{ server: TestServer; run: RunRecord; token: string }> {
  const server = await startServer({ dataDir });
  const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
  const reply = await server.request(`/api/runs/${id}`, { token });
  assert.equal(reply.status, 200, `the old token's admin still owns the run: ${reply.text}`);
  return { server, run: reply.json, token };
}

/** What every interrupted run must look like after the restart. */
function assertInterrupted(run: RunRecord): void {
  assert.equal(run.status, 'unknown');
  assert.ok(run.endedAt);
  assert.equal(run.error?.type, 'CompanionInterrupted');
  assert.match(run.error.explanation!.action, /probe/);
  assert.deepEqual(
    run.output.slice(0, 3).map((line) => line.kind),
    ['command', 'error', 'info'],
    'output emitted before the stop is kept',
  );
  assert.ok(
    !run.output.some((line) => line.kind === 'command' && line.text.startsWith('Get-OrganizationConfig')),
    'the call that never answered is not listed as run',
  );
}

test('graceful stop with a run in flight: recorded unknown, readable after restart, the same token still works', async () => {
  const dataDir = tempDataDir();
  try {
    const first = await serverWithBlockedRun(dataDir);
    const events = await fetch(`${first.server.origin}/api/runs/${first.id}/events`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    await first.server.close();
    const stream = await events.text();
    assert.match(
      stream,
      /event: end\ndata: .*"status":"unknown"/,
      'the open event stream got the outcome before closing',
    );
    const second = await afterRestart(dataDir, first.id);
    assertInterrupted(second.run);
    assert.equal(
      (await second.server.request('/api/runs', { token: first.token })).status,
      200,
      'sandbox key persisted: old token valid',
    );
    const again = await second.server.request('/api/runs', {
      method: 'POST',
      token: second.token,
      body: { step: 'check-impersonation-role' },
    });
    assert.equal(again.status, 202, 'no stale in-flight lock survives the restart');
    await second.server.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('crash with a run in flight (nothing recorded at stop): the restart marks it unknown', async () => {
  const dataDir = tempDataDir();
  try {
    const first = await serverWithBlockedRun(dataDir);
    // As after SIGKILL: the database is simply no longer written by this process.
    await first.server.companion.store.close();
    const second = await afterRestart(dataDir, first.id);
    assertInterrupted(second.run);
    await second.server.close();
    first.gate.release();
    await first.server.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a call cut off mid-run (PowerShell timed out or died) ends the run unknown, pointing at the probe', async () => {
  const server = await startServer({
    executor: (inner) => ({
      name: inner.name,
      session: async () => ({
        invoke: async () => {
          throw new CallInterruptedError('PowerShell stopped before the cmdlet finished');
        },
      }),
      warm: (creds) => inner.warm(creds),
      end: (actor) => inner.end(actor),
      close: () => inner.close(),
    }),
  });
  try {
    const token = (await server.signIn(CONTOSO_ADMIN)).accessToken;
    const started = await server.request('/api/runs', {
      method: 'POST',
      token,
      body: { step: 'enable-customization' },
    });
    const run = await eventually(async () => {
      const record = (await server.request(`/api/runs/${started.json.id}`, { token })).json as RunRecord;
      return record.status === 'running' ? undefined : record;
    });
    assert.equal(run.status, 'unknown');
    assert.equal(run.error?.type, 'CallInterrupted');
    assert.match(run.error.explanation!.action, /probe/);
    assert.equal(
      (await server.request('/api/runs', { method: 'POST', token, body: { step: 'check-impersonation-role' } })).status,
      202,
      'the admin can go on',
    );
  } finally {
    await server.close(true);
  }
});
