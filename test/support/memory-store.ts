/**
 * A run store that keeps everything in memory: a second implementation of `server/store/store.ts`, to show (and test)
 * that nothing but the composition root knows the store is SQLite. Records leave as copies, as from a database.
 * `unavailable` makes every call fail as a store that cannot be reached does.
 */
import type { RunRecord } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { StepOutput } from '../../src/runbook/core/step.ts';
import { StoreUnavailableError, type Store } from '../../server/store/store.ts';

interface Row {
  record: RunRecord;
  oid: string;
  output: Map<number, StepOutput>;
}

export interface MemoryStore extends Store {
  /** While true, every call rejects with StoreUnavailableError. */
  unavailable: boolean;
  /** Whether `close` was called. */
  readonly closed: boolean;
}

/** An empty in-memory store. */
export function memoryStore(): MemoryStore {
  const runs = new Map<string, Row>();
  const sandbox = new Map<string, string>();
  let closed = false;

  const mine = (row: Row, actor: Actor) => row.record.actor.tid === actor.tid && row.oid === actor.oid;
  const copy = (row: Row): RunRecord =>
    structuredClone({
      ...row.record,
      output: [...row.output.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry),
    });

  const store: MemoryStore = {
    unavailable: false,
    get closed() {
      return closed;
    },
    async insertRun(run) {
      check();
      if (runs.has(run.id)) throw new Error(`run ${run.id} exists already`);
      runs.set(run.id, {
        oid: run.actor.oid,
        output: new Map(),
        record: {
          id: run.id,
          step: run.step,
          params: structuredClone(run.params),
          status: 'running',
          actor: { upn: run.actor.upn, tid: run.actor.tid },
          startedAt: run.startedAt,
          endedAt: null,
          script: run.script,
          output: [],
        },
      });
    },
    async appendOutput(runId, seq, entry) {
      check();
      const row = runs.get(runId);
      if (!row) throw new Error(`no run ${runId}`);
      if (row.output.has(seq)) throw new Error(`run ${runId} has line ${seq} already`);
      row.output.set(seq, structuredClone(entry));
    },
    async finishRun(runId, status, endedAt, error) {
      check();
      const row = runs.get(runId);
      if (!row || row.record.status !== 'running') return;
      Object.assign(row.record, { status, endedAt }, error ? { error: structuredClone(error) } : {});
    },
    async endAbandonedRuns(endedAt, error) {
      check();
      for (const row of runs.values()) {
        if (row.record.status === 'running')
          Object.assign(row.record, { status: 'unknown', endedAt, error: structuredClone(error) });
      }
    },
    async getRun(runId, actor) {
      check();
      const row = runs.get(runId);
      return row && mine(row, actor) ? copy(row) : undefined;
    },
    async listRuns(actor, limit) {
      check();
      // Newest first; among runs started in the same millisecond, the later inserted first (as SQLite's rowid).
      return [...runs.values()]
        .filter((row) => mine(row, actor))
        .reverse()
        .sort((a, b) => b.record.startedAt.localeCompare(a.record.startedAt))
        .slice(0, limit)
        .map(copy);
    },
    async listRunIds(actor, limit) {
      return (await store.listRuns(actor, limit)).map((run) => run.id);
    },
    async loadSandboxState(tid) {
      check();
      return sandbox.get(tid);
    },
    async saveSandboxState(tid, json) {
      check();
      sandbox.set(tid, json);
    },
    async close() {
      closed = true;
    },
  };
  /** Fails the call when the store is "down", or used after close (a bug the SQLite store would throw on too). */
  function check(): void {
    if (closed) throw new Error('the store is closed');
    if (store.unavailable) throw new StoreUnavailableError('The in-memory test store is set unavailable.');
  }
  return store;
}
