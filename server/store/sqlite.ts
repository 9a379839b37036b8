/**
 * The run store in one SQLite file (node:sqlite, WAL) in the data folder: run records, their output lines (one row
 * each as they arrive, so a crash keeps everything emitted before it) and the sandbox tenants' state. SQLite's own
 * error codes stay here: a locked file or a full disk leaves as StoreUnavailableError.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunError, RunRecord, RunStatus } from '../../src/runbook/api.ts';
import type { StepOutput } from '../../src/runbook/core/step.ts';
import { StoreUnavailableError, type Store } from './store.ts';

export const DB_FILE = 'runbook.sqlite';

/** The tables. Tokens are never stored: a run keeps who (tid, oid, upn), what, and what happened. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  tid TEXT NOT NULL,
  oid TEXT NOT NULL,
  upn TEXT NOT NULL,
  step TEXT NOT NULL,
  params TEXT NOT NULL,
  script TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'unknown')),
  started_at TEXT NOT NULL,
  ended_at TEXT,
  error TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS runs_by_admin ON runs (tid, oid, started_at DESC);
CREATE TABLE IF NOT EXISTS run_output (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
) STRICT;
CREATE TABLE IF NOT EXISTS sandbox_state (
  tid TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;

// node:sqlite reports SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_IOERR (10), SQLITE_FULL (13), SQLITE_CANTOPEN (14).
const UNAVAILABLE = new Set([5, 6, 10, 13, 14]);

/** SQLite's "cannot now" errors as StoreUnavailableError; anything else (a bug) as it is. */
function mapped(err: unknown): unknown {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number' && UNAVAILABLE.has(e.errcode & 0xff)) {
    return new StoreUnavailableError(`The run store (SQLite) cannot be used right now: ${String(e.message)}`, {
      cause: err,
    });
  }
  return err;
}

/** Runs one synchronous database operation, its SQLite errors mapped. */
async function guarded<T>(operation: () => T): Promise<T> {
  try {
    return operation();
  } catch (err) {
    throw mapped(err);
  }
}

interface RunRow {
  id: string;
  tid: string;
  upn: string;
  step: string;
  params: string;
  script: string;
  status: string;
  started_at: string;
  ended_at: string | null;
  error: string | null;
}

/** Opens (creating if needed) the SQLite store in `dataDir`. */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(path.join(dataDir, DB_FILE));
  // node:sqlite is synchronous: while SQLite waits for another program's lock, no request of any admin is served.
  // So wait only briefly, then answer 503 with Retry-After (the fault suite measured 5 s frozen with 5000).
  db.exec(
    'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 500; PRAGMA foreign_keys = ON;',
  );
  db.exec(SCHEMA);

  const insertRun = db.prepare(`INSERT INTO runs (id, tid, oid, upn, step, params, script, status, started_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`);
  const appendOutput = db.prepare('INSERT INTO run_output (run_id, seq, entry) VALUES (?, ?, ?)');
  const finishRun = db.prepare(
    `UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'running'`,
  );
  const endAbandoned = db.prepare(
    `UPDATE runs SET status = 'unknown', ended_at = ?, error = ? WHERE status = 'running'`,
  );
  const getRun = db.prepare('SELECT * FROM runs WHERE id = ? AND tid = ? AND oid = ?');
  const listRuns = db.prepare(
    'SELECT * FROM runs WHERE tid = ? AND oid = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
  );
  const listRunIds = db.prepare(
    'SELECT id FROM runs WHERE tid = ? AND oid = ? ORDER BY started_at DESC, rowid DESC LIMIT ?',
  );
  const outputOf = db.prepare('SELECT entry FROM run_output WHERE run_id = ? ORDER BY seq');
  const loadState = db.prepare('SELECT state FROM sandbox_state WHERE tid = ?');
  const saveState = db.prepare(`INSERT INTO sandbox_state (tid, state, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (tid) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`);

  /** Row -> API record, with its output lines. */
  const toRecord = (row: RunRow): RunRecord => {
    const record: RunRecord = {
      id: row.id,
      step: row.step,
      params: JSON.parse(row.params) as Record<string, unknown>,
      status: row.status as RunStatus,
      actor: { upn: row.upn, tid: row.tid },
      startedAt: row.started_at,
      endedAt: row.ended_at,
      script: row.script,
      output: outputOf.all(row.id).map((r) => JSON.parse(r.entry as string) as StepOutput),
    };
    if (row.error) record.error = JSON.parse(row.error) as RunError;
    return record;
  };

  return {
    insertRun: (run) =>
      guarded(() => {
        insertRun.run(
          run.id,
          run.actor.tid,
          run.actor.oid,
          run.actor.upn,
          run.step,
          JSON.stringify(run.params),
          run.script,
          run.startedAt,
        );
      }),
    appendOutput: (runId, seq, entry) =>
      guarded(() => {
        appendOutput.run(runId, seq, JSON.stringify(entry));
      }),
    finishRun: (runId, status, endedAt, error) =>
      guarded(() => {
        finishRun.run(status, endedAt, error ? JSON.stringify(error) : null, runId);
      }),
    endAbandonedRuns: (endedAt, error) =>
      guarded(() => {
        endAbandoned.run(endedAt, JSON.stringify(error));
      }),
    getRun: (runId, actor) =>
      guarded(() => {
        const row = getRun.get(runId, actor.tid, actor.oid) as RunRow | undefined;
        return row && toRecord(row);
      }),
    listRuns: (actor, limit) =>
      guarded(() => (listRuns.all(actor.tid, actor.oid, limit) as unknown as RunRow[]).map(toRecord)),
    listRunIds: (actor, limit) =>
      guarded(() => listRunIds.all(actor.tid, actor.oid, limit).map((row) => row.id as string)),
    loadSandboxState: (tid) => guarded(() => (loadState.get(tid) as { state: string } | undefined)?.state),
    saveSandboxState: (tid, json) =>
      guarded(() => {
        saveState.run(tid, json, new Date().toISOString());
      }),
    close: () =>
      guarded(() => {
        if (db.isOpen) db.close();
      }),
  };
}
