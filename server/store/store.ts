/**
 * Run records and the sandbox tenants' state, in one SQLite file (node:sqlite, WAL) in the data folder.
 * Output lines are appended one row each as they arrive, so a crash keeps everything emitted before it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { RunError, RunRecord, RunStatus } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { StepId, StepOutput } from '../../src/runbook/core/step.ts';
import { SCHEMA } from './schema.ts';

export const DB_FILE = 'runbook.sqlite';

/** What a run in flight at the last stop is recorded as, after a restart. */
export const INTERRUPTED_ERROR: RunError = {
  message: 'The companion stopped while this step was running, so whether the change was made is not known.',
  type: 'CompanionInterrupted',
  explanation: {
    meaning: 'The step was cut off before Exchange answered.',
    action: 'Run the check (probe) for this step to see the current state, then run the step again if it is still needed.',
  },
};

/** A new run as the engine starts it. */
export interface NewRun {
  id: string;
  step: StepId;
  params: Record<string, unknown>;
  script: string;
  actor: Actor;
  startedAt: string;
}

export interface Store {
  insertRun(run: NewRun): void;
  appendOutput(runId: string, seq: number, entry: StepOutput): void;
  finishRun(runId: string, status: Exclude<RunStatus, 'running'>, endedAt: string, error?: RunError): void;
  /** The run if it belongs to `actor`; undefined for unknown ids and other admins' runs alike. */
  getRun(runId: string, actor: Actor): RunRecord | undefined;
  /** The actor's runs, newest first. */
  listRuns(actor: Actor, limit: number): RunRecord[];
  /** The sandbox simulator's persisted state for one tenant (JSON text), if any. */
  loadSandboxState(tid: string): string | undefined;
  saveSandboxState(tid: string, json: string): void;
  deleteSandboxState(tid: string): void;
  close(): void;
}

interface RunRow {
  id: string; tid: string; upn: string; step: string; params: string; script: string;
  status: string; started_at: string; ended_at: string | null; error: string | null;
}

/** Opens (creating if needed) the store in `dataDir`, and marks runs left `running` by a previous process `unknown`. */
export function openStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const db = new DatabaseSync(path.join(dataDir, DB_FILE));
  // node:sqlite is synchronous: while SQLite waits for another program's lock, no request of any admin is served.
  // So wait only briefly, then answer 503 with Retry-After (the fault suite measured 5 s frozen with 5000).
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 500; PRAGMA foreign_keys = ON;');
  db.exec(SCHEMA);
  db.prepare(`UPDATE runs SET status = 'unknown', ended_at = ?, error = ? WHERE status = 'running'`)
    .run(new Date().toISOString(), JSON.stringify(INTERRUPTED_ERROR));

  const insertRun = db.prepare(`INSERT INTO runs (id, tid, oid, upn, step, params, script, status, started_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)`);
  const appendOutput = db.prepare('INSERT INTO run_output (run_id, seq, entry) VALUES (?, ?, ?)');
  const finishRun = db.prepare(`UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ? AND status = 'running'`);
  const getRun = db.prepare('SELECT * FROM runs WHERE id = ? AND tid = ? AND oid = ?');
  const listRuns = db.prepare('SELECT * FROM runs WHERE tid = ? AND oid = ? ORDER BY started_at DESC, rowid DESC LIMIT ?');
  const outputOf = db.prepare('SELECT entry FROM run_output WHERE run_id = ? ORDER BY seq');
  const loadState = db.prepare('SELECT state FROM sandbox_state WHERE tid = ?');
  const saveState = db.prepare(`INSERT INTO sandbox_state (tid, state, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (tid) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`);
  const deleteState = db.prepare('DELETE FROM sandbox_state WHERE tid = ?');

  /** Row -> API record, with its output lines. */
  const toRecord = (row: RunRow): RunRecord => {
    const record: RunRecord = {
      id: row.id,
      step: row.step as StepId,
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
    insertRun(run) {
      insertRun.run(run.id, run.actor.tid, run.actor.oid, run.actor.upn, run.step, JSON.stringify(run.params), run.script, run.startedAt);
    },
    appendOutput(runId, seq, entry) {
      appendOutput.run(runId, seq, JSON.stringify(entry));
    },
    finishRun(runId, status, endedAt, error) {
      finishRun.run(status, endedAt, error ? JSON.stringify(error) : null, runId);
    },
    getRun(runId, actor) {
      const row = getRun.get(runId, actor.tid, actor.oid) as RunRow | undefined;
      return row && toRecord(row);
    },
    listRuns(actor, limit) {
      return (listRuns.all(actor.tid, actor.oid, limit) as unknown as RunRow[]).map(toRecord);
    },
    loadSandboxState(tid) {
      return (loadState.get(tid) as { state: string } | undefined)?.state;
    },
    saveSandboxState(tid, json) {
      saveState.run(tid, json, new Date().toISOString());
    },
    deleteSandboxState(tid) {
      deleteState.run(tid);
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}
