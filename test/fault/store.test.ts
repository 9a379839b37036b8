/**
 * The run store under faults: another program holding an exclusive lock on the SQLite file, and a full disk (a real
 * one: a tiny tmpfs mounted for the test, which needs root; without it the test is skipped, loudly). Writes get a
 * clear 503 with Retry-After and nothing half-made, reads keep working, the companion recovers once the fault is gone,
 * and SQLite's integrity check passes afterwards.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, test } from 'node:test';
import type { RunRecord } from '../../src/runbook/api.ts';
import { clientFor } from '../support/api-client.ts';
import { checkStore } from '../support/store-check.ts';
import { CONTOSO_ADMIN, eventually, gated, startServer, type TestServer } from '../support/server.ts';

/** Asserts the 503 the API gives when the store cannot be written. */
function assertStoreUnavailable(reply: { status: number; json: any; headers: Record<string, unknown> }): void {
  assert.equal(reply.status, 503, JSON.stringify(reply.json));
  assert.equal(reply.json.error.code, 'store_unavailable');
  assert.match(reply.json.error.message, /Nothing was changed/);
  assert.ok(Number(reply.headers['retry-after']) > 0);
}

describe('SQLite file locked by another program', () => {
  test('writes get 503 store_unavailable, reads go on, and it recovers when the lock is released', async () => {
    const server = await startServer();
    const holder = new DatabaseSync(path.join(server.dataDir, 'runbook.sqlite'));
    try {
      const admin = clientFor(server.port, CONTOSO_ADMIN, (await server.signIn(CONTOSO_ADMIN)).accessToken);
      await admin.run('check-impersonation-role');
      const before = (await admin.get('/api/runs')).json;
      holder.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      // node:sqlite waits for the lock synchronously, so every other request waits with it: it must be brief.
      const [refused, health] = await Promise.all([
        admin.post('/api/runs', { step: 'check-impersonation-role' }),
        (async () => {
          await new Promise((r) => setImmediate(r));
          return admin.get('/api/health');
        })(),
      ]);
      const waited = Date.now() - started;
      assertStoreUnavailable(refused);
      assert.equal(health.status, 200);
      console.log(`  locked store: 503 and the health check answered within ${waited} ms`);
      assert.ok(waited < 2_500, `the companion froze for ${waited} ms waiting for the lock`);
      assert.deepEqual((await admin.get('/api/runs')).json, before, 'reads still work (WAL) and nothing was added');
      holder.exec('ROLLBACK');
      assert.equal((await admin.run('check-impersonation-role')).status, 'succeeded');
      assert.equal((await admin.get('/api/runs')).json.length, before.length + 1);
    } finally {
      holder.close();
      await server.close();
    }
    assert.deepEqual(checkStore(server.dataDir), { integrity: 'ok', running: 0 });
    rmSync(server.dataDir, { recursive: true, force: true });
  });
});

/** Mounts a tmpfs of `size` at a fresh folder; undefined when this machine does not allow it (not Linux, not root). */
function tinyDisk(size: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

/** Writes zeros into `file` until the disk is full. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096);
  try {
    for (let i = 0; i < 1_000_000; i++) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
}

const disk = tinyDisk('2m');
if (!disk)
  console.warn(
    '\n!!! SKIPPING the disk-full test: cannot mount a tmpfs here (needs Linux, root and mount permission).\n',
  );

describe('disk full', { skip: disk ? false : 'cannot mount a tmpfs here' }, () => {
  const filler = () => path.join(disk!, 'filler');
  after(() => {
    execFileSync('umount', [disk!]);
    rmSync(disk!, { recursive: true, force: true });
  });

  /** A companion with its data on the tiny disk (Exchange calls held when asked), and a signed-in admin. */
  const start = async (name: string) => {
    let gate!: ReturnType<typeof gated>;
    const server = await startServer({
      dataDir: path.join(disk!, name),
      executor: (configured) => (gate = gated(configured)).executor,
    });
    const admin = clientFor(server.port, CONTOSO_ADMIN, (await server.signIn(CONTOSO_ADMIN)).accessToken);
    return { server, gate, admin };
  };
  /** Stops the companion, frees the disk, and checks the file. */
  const finish = async (server: TestServer) => {
    await server.close();
    try {
      unlinkSync(filler());
    } catch {
      /* already freed */
    }
    assert.deepEqual(checkStore(server.dataDir), { integrity: 'ok', running: 0 });
  };

  test('starting a run gets 503 store_unavailable, no run is half-made, and it recovers when space is freed', async () => {
    const { server, admin } = await start('start');
    try {
      await admin.run('check-impersonation-role');
      const before = (await admin.get('/api/runs')).json;
      fillDisk(filler());
      const big = {
        step: 'create-role-group',
        params: { name: 'Full disk', members: ['svc-ews@contoso.onmicrosoft.com'], description: 'd'.repeat(1000) },
      };
      // SQLite may still fit a row in pages it holds; the first refused write must come quickly, and never a 500.
      let refused;
      for (let i = 0; i < 50 && !refused; i++) {
        const reply = await admin.post('/api/runs', big);
        assert.ok(reply.status === 202 || reply.status === 503, `${reply.status} ${reply.text}`);
        if (reply.status === 503) refused = reply;
        else await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(refused, 'the full disk was reported');
      assertStoreUnavailable(refused);
      unlinkSync(filler());
      assert.equal((await admin.run('check-impersonation-role')).status, 'succeeded');
      const runs = (await admin.get('/api/runs?limit=100')).json as Array<{ id: string; status: string }>;
      assert.ok(runs.length > before.length, 'recorded again');
      assert.equal(
        await eventually(() => (runs.some((r) => r.status === 'running') ? undefined : true)),
        true,
        'no run is left running',
      );
    } finally {
      await finish(server);
    }
  });

  test('a run whose end cannot be recorded (disk filled mid-run) is recorded once space is freed, not left running', async () => {
    const { server, gate, admin } = await start('mid-run');
    try {
      await admin.run('check-impersonation-role'); // seeds the simulated tenant, so the held run writes nothing else
      gate.hold();
      const id = await admin.start('check-impersonation-role');
      await eventually(() => (gate.waiting() > 0 ? true : undefined));
      fillDisk(filler());
      gate.release();
      await eventually(async () =>
        (await admin.post('/api/runs', { step: 'check-impersonation-role' })).status === 503 ? true : undefined,
      );
      const endedBefore = new Date().toISOString();
      unlinkSync(filler());
      const run = await eventually(async () => {
        const r = (await admin.get(`/api/runs/${id}`)).json as RunRecord;
        return r.status === 'running' ? undefined : r;
      }, 10_000);
      assert.equal(run.status, 'succeeded');
      assert.ok(run.endedAt! <= endedBefore, 'recorded with the time it ended, not the time it was written');
    } finally {
      await finish(server);
    }
  });
});
