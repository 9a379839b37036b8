/**
 * The SQLite store's own part: it knows SQLite's error codes, so a file locked by another program leaves as
 * StoreUnavailableError (which the API answers 503) while a bug such as a duplicate id stays what it is (a 500), and
 * a restart finds the data where the last process left it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { DB_FILE, openSqliteStore } from '../../../server/store/sqlite.ts';
import { StoreUnavailableError, type NewRun } from '../../../server/store/store.ts';
import { tempDataDir } from '../../support/server.ts';

const run = (id: string): NewRun => ({
  id,
  step: 'check-dehydrated',
  params: {},
  script: 'Get-OrganizationConfig',
  startedAt: '2026-12-01T10:00:00.000Z',
  actor: {
    tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001',
    oid: '00000000-0000-0000-0000-00000000a11c',
    upn: 'alice@contoso.onmicrosoft.com',
  },
});

test('a locked file is StoreUnavailableError; a duplicate id is not', async () => {
  const dir = tempDataDir();
  const store = openSqliteStore(dir);
  const holder = new DatabaseSync(path.join(dir, DB_FILE));
  try {
    holder.exec('BEGIN EXCLUSIVE');
    await assert.rejects(
      store.insertRun(run('r1')),
      (err: Error) => err instanceof StoreUnavailableError && /database is locked/.test(err.message),
    );
    holder.exec('ROLLBACK');
    await store.insertRun(run('r1'));
    await assert.rejects(
      store.insertRun(run('r1')),
      (err: Error) => !(err instanceof StoreUnavailableError) && /UNIQUE constraint failed/.test(err.message),
    );
  } finally {
    holder.close();
    await store.close();
  }
  const reopened = openSqliteStore(dir);
  assert.equal((await reopened.getRun('r1', run('r1').actor))?.status, 'running', 'kept across a reopen');
  await reopened.close();
  rmSync(dir, { recursive: true, force: true });
});
