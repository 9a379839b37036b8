/**
 * The companion process killed outright (SIGKILL: no shutdown code runs) while a run is in flight, then started again
 * on the same data folder: finished records are intact, the run in flight reads `unknown` with the explanation, its
 * output up to the kill is kept, the page's event stream resumes with the final record, the simulated tenant kept its
 * state, the admin can run again, and SQLite's integrity check passes.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import type { RunRecord } from '../../src/runbook/api.ts';
import { clientFor, signIn, type AdminClient } from '../support/api-client.ts';
import { startChild, type ChildServer } from '../support/child-server.ts';
import { checkStore } from '../support/store-check.ts';
import { CONTOSO_ADMIN, eventually, FABRIKAM_ADMIN, readEvents, tempDataDir } from '../support/server.ts';

/** Starts `server/main.ts` on the data folder, with sandbox delays long enough that a wait is still in progress. */
const startCompanion = (dataDir: string) =>
  startChild('server/main.ts', {
    PORT: '0',
    RUNBOOK_DATA_DIR: dataDir,
    RUNBOOK_CUSTOMIZATION_DELAY: '600',
    RUNBOOK_PROPAGATION_DELAY: '600',
  });

/** Opens the run's event stream and collects what arrives until the connection ends (however it ends). */
function follow(port: number, id: string, token: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const req = http.get(
      { host: '127.0.0.1', port, path: `/api/runs/${id}/events`, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('close', () => resolve(text));
      },
    );
    req.on('error', () => resolve(text));
  });
}

test('SIGKILL with a run in flight: records intact, the run unknown, the stream resumes, no corruption', async () => {
  const dataDir = tempDataDir();
  let server: ChildServer | undefined;
  try {
    server = await startCompanion(dataDir);
    const contoso = await signIn(server.port, CONTOSO_ADMIN);
    const fabrikam = await signIn(server.port, FABRIKAM_ADMIN);
    await fabrikam.run('check-impersonation-role');
    await fabrikam.run('enable-customization');
    await contoso.run('check-impersonation-role');
    assert.equal((await contoso.run('enable-customization')).status, 'succeeded');
    const finished = async (a: AdminClient) => (await a.get('/api/runs')).json as RunRecord[];
    const before = { contoso: await finished(contoso), fabrikam: await finished(fabrikam) };

    const id = await contoso.start('check-dehydrated');
    // In flight for sure: it has checked once and is waiting for IsDehydrated to turn False.
    const live = await eventually(async () => {
      const run = (await contoso.get(`/api/runs/${id}`)).json as RunRecord;
      return run.output.some((o) => o.kind === 'wait') ? run : undefined;
    }, 15_000);
    assert.equal(live.status, 'running');
    const stream = follow(server.port, id, contoso.token);
    await new Promise((r) => setTimeout(r, 100));
    await server.kill();
    const cut = await stream;
    assert.doesNotMatch(cut, /event: end/, 'the stream was cut off, not ended');

    server = await startCompanion(dataDir);
    // The page's token still works (the sandbox signing key is in the data folder).
    const again = clientFor(server.port, CONTOSO_ADMIN, contoso.token);
    const fabrikamAgain = clientFor(server.port, FABRIKAM_ADMIN, fabrikam.token);
    const run = (await again.get(`/api/runs/${id}`)).json as RunRecord;
    assert.equal(run.status, 'unknown');
    assert.equal(run.error?.type, 'CompanionInterrupted');
    assert.match(run.error.explanation!.action, /probe/);
    assert.ok(run.endedAt);
    assert.deepEqual(run.output.slice(0, live.output.length), live.output, 'output up to the kill is kept');
    assert.ok(run.output.some((o) => o.kind === 'wait'));

    // As the page does on reconnect: the stream answers at once with the final record.
    const resumed = await readEvents(server.port, `/api/runs/${id}/events`, contoso.token, {
      'last-event-id': String(live.output.length),
    });
    assert.equal(resumed.events.at(-1)?.event, 'end');
    assert.deepEqual(resumed.events.at(-1)?.data, run);

    const after = { contoso: await finished(again), fabrikam: await finished(fabrikamAgain) };
    assert.deepEqual(
      after.contoso.filter((r) => r.id !== id),
      before.contoso,
      'finished records unchanged',
    );
    assert.deepEqual(after.fabrikam, before.fabrikam);
    assert.equal(after.contoso[0]!.id, id, 'the interrupted run is listed, newest first');

    const enableAgain = await again.run('enable-customization');
    assert.ok(
      enableAgain.output.some((o) =>
        o.text.startsWith('This operation is not required. Organization is already enabled for customization.'),
      ),
      'the tenant remembers that customization was enabled',
    );
    assert.equal((await again.run('check-impersonation-role')).status, 'succeeded', 'no stale in-flight lock');

    await server.stop();
    server = undefined;
    assert.deepEqual(checkStore(dataDir), { integrity: 'ok', running: 0 });
  } finally {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
