/**
 * The run store's contract (server/store/store.ts), run against both implementations: SQLite in a data folder and
 * the in-memory double (test/support/memory-store.ts). Then the seam itself: the whole companion over HTTP on the
 * in-memory store (a seed-flow run, its events, the transcript, a sandbox reset, a 503 when the store is down),
 * with no SQLite file ever created, so a second store really is one new file.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunRecord } from '../../../src/runbook/api.ts';
import type { Actor } from '../../../src/runbook/core/cmdlets.ts';
import type { StepOutput } from '../../../src/runbook/core/step.ts';
import { INTERRUPTED_ERROR } from '../../../server/runs/errors.ts';
import { DB_FILE, openSqliteStore } from '../../../server/store/sqlite.ts';
import type { NewRun, Store } from '../../../server/store/store.ts';
import { clientFor } from '../../support/api-client.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { CONTOSO_ADMIN, CONTOSO_TID, readEvents, startServer, tempDataDir } from '../../support/server.ts';

const ALICE: Actor = {
  tid: CONTOSO_TID,
  oid: '00000000-0000-0000-0000-00000000a11c',
  upn: 'alice@contoso.onmicrosoft.com',
};
const BOB: Actor = { ...ALICE, oid: '00000000-0000-0000-0000-000000000b0b', upn: 'bob@contoso.onmicrosoft.com' };
const FAILED = { message: 'Exchange said no.', type: 'ManagementObjectNotFoundException' };

/** A new run of `actor`. */
const newRun = (id: string, actor: Actor, startedAt: string): NewRun => ({
  id,
  actor,
  startedAt,
  step: 'check-dehydrated',
  params: { a: [1, { b: 'c' }] },
  script: 'Get-OrganizationConfig',
});
const line = (text: string): StepOutput => ({ at: '2026-12-01T10:00:00.000Z', kind: 'info', text });

const folders: string[] = [];
after(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const implementations: Array<[string, () => Store]> = [
  [
    'SQLite',
    () => {
      const dir = tempDataDir();
      folders.push(dir);
      return openSqliteStore(dir);
    },
  ],
  ['in memory', () => memoryStore()],
];

for (const [name, open] of implementations) {
  describe(`the ${name} store`, () => {
    test('keeps a run with its params, script and output in seq order, for its own admin only', async () => {
      const store = open();
      await store.insertRun(newRun('r1', ALICE, '2026-12-01T10:00:00.000Z'));
      for (const seq of [2, 1, 3]) await store.appendOutput('r1', seq, line(`line ${seq}`));
      const run = await store.getRun('r1', ALICE);
      assert.deepEqual(run, {
        id: 'r1',
        step: 'check-dehydrated',
        params: { a: [1, { b: 'c' }] },
        status: 'running',
        actor: { upn: ALICE.upn, tid: ALICE.tid },
        startedAt: '2026-12-01T10:00:00.000Z',
        endedAt: null,
        script: 'Get-OrganizationConfig',
        output: [line('line 1'), line('line 2'), line('line 3')],
      } satisfies RunRecord);
      assert.equal(await store.getRun('r1', BOB), undefined, 'another admin of the same tenant sees nothing');
      assert.equal(await store.getRun('nope', ALICE), undefined);
      run.output.length = 0;
      assert.equal((await store.getRun('r1', ALICE))!.output.length, 3, 'a record read is a copy');
      await store.close();
    });

    test('records the end once: a run no longer running is left as it is', async () => {
      const store = open();
      await store.insertRun(newRun('r1', ALICE, '2026-12-01T10:00:00.000Z'));
      await store.finishRun('r1', 'failed', '2026-12-01T10:00:05.000Z', FAILED);
      await store.finishRun('r1', 'succeeded', '2026-12-01T10:00:09.000Z');
      const run = await store.getRun('r1', ALICE);
      assert.deepEqual([run!.status, run!.endedAt, run!.error], ['failed', '2026-12-01T10:00:05.000Z', FAILED]);
      await store.close();
    });

    test('ends the runs a stopped process left running as unknown, and only those', async () => {
      const store = open();
      await store.insertRun(newRun('left', ALICE, '2026-12-01T10:00:00.000Z'));
      await store.insertRun(newRun('done', ALICE, '2026-12-01T10:00:01.000Z'));
      await store.finishRun('done', 'succeeded', '2026-12-01T10:00:02.000Z');
      await store.endAbandonedRuns('2026-12-01T11:00:00.000Z', INTERRUPTED_ERROR);
      const left = await store.getRun('left', ALICE);
      assert.deepEqual(
        [left!.status, left!.endedAt, left!.error],
        ['unknown', '2026-12-01T11:00:00.000Z', INTERRUPTED_ERROR],
      );
      const done = await store.getRun('done', ALICE);
      assert.deepEqual([done!.status, done!.error], ['succeeded', undefined]);
      await store.close();
    });

    test("lists an admin's runs newest first (ties: the later one first), up to the limit", async () => {
      const store = open();
      await store.insertRun(newRun('old', ALICE, '2026-12-01T09:00:00.000Z'));
      await store.insertRun(newRun('tie-1', ALICE, '2026-12-01T10:00:00.000Z'));
      await store.insertRun(newRun('tie-2', ALICE, '2026-12-01T10:00:00.000Z'));
      await store.insertRun(newRun('bobs', BOB, '2026-12-01T11:00:00.000Z'));
      assert.deepEqual(
        (await store.listRuns(ALICE, 10)).map((r) => r.id),
        ['tie-2', 'tie-1', 'old'],
      );
      assert.deepEqual(
        (await store.listRuns(ALICE, 2)).map((r) => r.id),
        ['tie-2', 'tie-1'],
      );
      assert.deepEqual(
        (await store.listRuns(BOB, 10)).map((r) => r.id),
        ['bobs'],
      );
      await store.close();
    });

    test('keeps one sandbox state per tenant, the last saved', async () => {
      const store = open();
      assert.equal(await store.loadSandboxState(CONTOSO_TID), undefined);
      await store.saveSandboxState(CONTOSO_TID, '{"v":1}');
      await store.saveSandboxState(CONTOSO_TID, '{"v":2}');
      assert.equal(await store.loadSandboxState(CONTOSO_TID), '{"v":2}');
      assert.equal(await store.loadSandboxState('another'), undefined);
      await store.close();
    });
  });
}

describe('the companion on the in-memory store', () => {
  test('runs steps, streams and lists them, resets the sandbox, and answers 503 while the store is down', async () => {
    const store = memoryStore();
    const server = await startServer({ store });
    try {
      const admin = clientFor(server.port, CONTOSO_ADMIN, (await server.signIn(CONTOSO_ADMIN)).accessToken);
      assert.equal((await admin.run('enable-customization')).status, 'succeeded');
      const id = await admin.start('check-dehydrated');
      const { events } = await readEvents(server.port, `/api/runs/${id}/events`, admin.token);
      const end = events.at(-1)!;
      assert.equal(end.event, 'end');
      assert.equal((end.data as RunRecord).status, 'succeeded');
      assert.deepEqual(
        (end.data as RunRecord).output.map((o) => o.text),
        events.filter((e) => e.event === 'output').map((e) => e.data.text),
        'the stream and the stored record hold the same lines',
      );
      assert.deepEqual(
        ((await admin.get('/api/runs')).json as RunRecord[]).map((r) => r.step),
        ['check-dehydrated', 'enable-customization'],
      );
      assert.match((await admin.get('/api/transcript?format=md')).text, /^## Wait until IsDehydrated reads False$/m);
      assert.ok(await store.loadSandboxState(CONTOSO_TID), 'the simulator keeps the tenant in the injected store');

      store.unavailable = true;
      const refused = await admin.post('/api/runs', { step: 'check-impersonation-role' });
      assert.equal(refused.status, 503);
      assert.equal(refused.json.error.code, 'store_unavailable');
      store.unavailable = false;
      assert.equal((await admin.run('check-impersonation-role')).status, 'succeeded', 'no stale in-flight lock');

      assert.equal((await admin.post('/api/sandbox/reset', {})).status, 200);
      const state = JSON.parse((await store.loadSandboxState(CONTOSO_TID))!) as {
        customizationEnabledAt: number | null;
      };
      assert.equal(state.customizationEnabledAt, null, 'the reset was saved through the injected store');
      assert.equal(existsSync(path.join(server.dataDir, DB_FILE)), false, 'no SQLite file was created');
    } finally {
      await server.close(true);
    }
    assert.equal(store.closed, true, 'the companion closes the store it was given');
  });
});
