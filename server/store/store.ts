/**
 * The run store's interface: run records (with their output lines) and the sandbox tenants' state. The composition
 * root picks the implementation (SQLite in the data folder, `sqlite.ts`; an in-memory double in tests); the run
 * engine, the HTTP routes and the sandbox simulator only know this interface. Every method is async, so a store
 * behind a network (PostgreSQL for a team's shared companion) fits as well as the synchronous node:sqlite.
 */
import type { RunError, RunRecord, RunStatus } from '../../src/runbook/api.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { StepId, StepOutput } from '../../src/runbook/core/step.ts';

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
  insertRun(run: NewRun): Promise<void>;
  /** Output line `seq` (from 1) of a run; lines are read back in `seq` order. */
  appendOutput(runId: string, seq: number, entry: StepOutput): Promise<void>;
  /** Records how a run ended; a run that is no longer `running` is left as it is. */
  finishRun(runId: string, status: Exclude<RunStatus, 'running'>, endedAt: string, error?: RunError): Promise<void>;
  /** Records every run still `running` (left so by a process that stopped) as `unknown` with `error`; once at start. */
  endAbandonedRuns(endedAt: string, error: RunError): Promise<void>;
  /** The run if it belongs to `actor`; undefined for unknown ids and other admins' runs alike. */
  getRun(runId: string, actor: Actor): Promise<RunRecord | undefined>;
  /** The actor's runs, newest first. */
  listRuns(actor: Actor, limit: number): Promise<RunRecord[]>;
  /** The ids of the actor's runs, newest first (a transcript then reads the runs one at a time). */
  listRunIds(actor: Actor, limit: number): Promise<string[]>;
  /** The sandbox simulator's persisted state for one tenant (JSON text), if any. */
  loadSandboxState(tid: string): Promise<string | undefined>;
  saveSandboxState(tid: string, json: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store cannot take a write (or a read) right now: its file is locked by another program, the disk is full, or
 * the database cannot be reached. The API answers 503 with Retry-After; nothing was changed.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}
