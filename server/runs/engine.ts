/**
 * The run engine: starts a step in the background on the admin's own Exchange session, streams its output to
 * subscribers and into the store, and records how it ended. One run in flight per admin; a second start raises
 * RunInFlightError. It knows the store's interface and the executor's, never HTTP.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import type { RunAccepted, RunError, RunStatus } from '../../src/runbook/api.ts';
import { renderScript } from '../../src/runbook/core/preview.ts';
import type { Actor } from '../../src/runbook/core/cmdlets.ts';
import type { StepContext, StepDefinition, StepOutput, WaitPolicy } from '../../src/runbook/core/step.ts';
import { actorKey } from '../auth/actor.ts';
import type { Executor, SessionCredentials } from '../executors/types.ts';
import type { Store } from '../store/store.ts';
import { INTERRUPTED_ERROR, RunInFlightError } from './errors.ts';
import { failedOutcome, runStep, type StepOutcome } from './run-step.ts';

/** What subscribers of a live run receive; `seq` numbers output lines from 1 (SSE event ids). */
type LiveEvent =
  | { event: 'output'; seq: number; data: StepOutput }
  | { event: 'status'; data: { status: RunStatus } }
  | { event: 'end' };

type Listener = (e: LiveEvent) => void;

export interface RunEngineOptions {
  store: Store;
  executor: Executor;
  /** Turns whatever a step threw into the run record's error, explained when the catalog knows it. */
  explain: (step: StepDefinition, error: unknown) => RunError;
  /** Clock and sleep handed to steps (tests inject fast ones). */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  waitPolicy?: WaitPolicy;
}

export interface RunEngine {
  /** Records and starts a run; rejects with RunInFlightError when the admin already has one in flight. */
  start(creds: SessionCredentials, step: StepDefinition, params: Record<string, unknown>): Promise<RunAccepted>;
  /**
   * Listens to a live run: first the output lines after `afterSeq` emitted so far (synchronously, from memory), then
   * live events. Returns the unsubscribe function, or undefined when the run is not live here.
   */
  subscribe(runId: string, listener: Listener, afterSeq?: number): (() => void) | undefined;
  /** The id of the admin's run in flight, if any. */
  inFlight(actor: Actor): string | undefined;
  /**
   * Asks `actor`'s run `runId` to stop waiting: its wait loop ends it at the current pause (or after the check under
   * way), recorded failed with type Runbook.WaitStopped. False when that run is not the actor's run in flight.
   */
  stopWaiting(actor: Actor, runId: string): boolean;
  /** Signals every run in flight to stop (shutdown); steps see it through `ctx.signal` and `ctx.sleep`. */
  abortAll(): void;
  /** Waits up to `graceMs` for runs to be recorded, then records the stragglers `unknown`. */
  drain(graceMs?: number): Promise<void>;
}

interface LiveRun {
  id: string;
  controller: AbortController;
  /** Aborted by stopWaiting: interrupts the step's sleeps only, never a cmdlet call. */
  stopWaiting: AbortController;
  listeners: Set<Listener>;
  settled: Promise<void>;
  /** Every line emitted so far, so a subscriber never misses one between reading the record and subscribing. */
  output: StepOutput[];
  /** Output lines still being written to the store; the end is recorded after them. */
  writes: Array<Promise<void>>;
}

/** How often an outcome the store refused is written again. */
const RECORD_RETRY_MS = 2_000;

/** Creates the engine over a store and an executor. */
export function createRunEngine(options: RunEngineOptions): RunEngine {
  const { store, executor } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal }));
  const byActor = new Map<string, LiveRun>();
  const byId = new Map<string, LiveRun>();
  let stopping = false;

  /** Sends one event to one listener; a broken listener never stops the run. */
  const deliver = (listener: Listener, e: LiveEvent) => {
    try {
      listener(e);
    } catch (err) {
      console.error('[companion] run listener failed:', err);
    }
  };
  /** Sends one event to every listener. */
  const publish = (run: LiveRun, e: LiveEvent) => {
    for (const listener of run.listeners) deliver(listener, e);
  };

  // Outcomes the store could not take (disk full, file locked), retried until it can: a record must not stay
  // `running` for the rest of the process's life while nothing runs it any more.
  const unrecorded = new Map<string, () => Promise<void>>();
  let retryTimer: NodeJS.Timeout | undefined;
  let retrying: Promise<void> | undefined;
  /** Writes the outcomes still owed to the store, oldest first, until one fails (one pass at a time). */
  const retryUnrecorded = () =>
    (retrying ??= (async () => {
      for (const [id, write] of unrecorded) {
        try {
          await write();
        } catch {
          return;
        }
        unrecorded.delete(id);
      }
      clearInterval(retryTimer);
      retryTimer = undefined;
    })().finally(() => {
      retrying = undefined;
    }));
  /** Records how a run ended, or keeps it for the retry timer when the store refuses. */
  const recordEnd = async (id: string, status: Exclude<RunStatus, 'running'>, error: RunError | undefined) => {
    const endedAt = new Date(now()).toISOString();
    const write = () => store.finishRun(id, status, endedAt, error);
    try {
      await write();
    } catch (err) {
      console.error(
        `[companion] could not record the end of run ${id} (retrying every ${RECORD_RETRY_MS / 1000} s):`,
        (err as Error).message,
      );
      unrecorded.set(id, write);
      retryTimer ??= setInterval(() => void retryUnrecorded(), RECORD_RETRY_MS).unref();
    }
  };

  /** Executes the step and records its outcome; never rejects. */
  const execute = async (
    run: LiveRun,
    creds: SessionCredentials,
    step: StepDefinition,
    params: Record<string, unknown>,
  ) => {
    let seq = 0;
    /** Stores one output line and streams it. */
    const emit: StepContext['emit'] = (kind, text, data) => {
      const entry: StepOutput = { at: new Date(now()).toISOString(), kind, text };
      if (data !== undefined) entry.data = data;
      seq += 1;
      run.output.push(entry);
      // The reader still sees the line live if the store refuses it; the record will lack it. Never break a change
      // half-way for a log line.
      run.writes.push(
        store.appendOutput(run.id, seq, entry).catch((err: unknown) => {
          console.error(`[companion] could not store output of run ${run.id}:`, (err as Error).message);
        }),
      );
      publish(run, { event: 'output', seq, data: entry });
    };
    const signal = run.controller.signal;
    let outcome: StepOutcome;
    try {
      const exo = await executor.session(creds);
      const waitPolicy = options.waitPolicy ? { waitPolicy: options.waitPolicy } : {};
      const waitStopped = run.stopWaiting.signal;
      outcome = await runStep(step, params, {
        exo,
        emit,
        now,
        sleep,
        signal,
        waitStopped,
        explain: options.explain,
        ...waitPolicy,
      });
    } catch (err) {
      // The session could not be had (or came apart): the step never ran.
      outcome = failedOutcome(step, err, signal, options.explain);
    }
    const status = outcome.status;
    await Promise.all(run.writes);
    await recordEnd(run.id, status, 'error' in outcome ? outcome.error : undefined);
    byActor.delete(actorKey(creds.actor));
    byId.delete(run.id);
    publish(run, { event: 'status', data: { status } });
    publish(run, { event: 'end' });
    run.listeners.clear();
  };

  return {
    async start(creds, step, params) {
      const key = actorKey(creds.actor);
      const busy = byActor.get(key);
      if (busy) throw new RunInFlightError(busy.id);
      const id = randomUUID();
      const script = renderScript(step.plan(params));
      const run: LiveRun = {
        id,
        controller: new AbortController(),
        stopWaiting: new AbortController(),
        listeners: new Set(),
        settled: Promise.resolve(),
        output: [],
        writes: [],
      };
      // Held before the record is written, so a second start meanwhile is refused; released if the write fails.
      byActor.set(key, run);
      try {
        await store.insertRun({
          id,
          step: step.id,
          params,
          script,
          actor: creds.actor,
          startedAt: new Date(now()).toISOString(),
        });
      } catch (err) {
        byActor.delete(key);
        throw err;
      }
      byId.set(id, run);
      if (stopping) run.controller.abort(new Error('The companion is shutting down.'));
      run.settled = execute(run, creds, step, params);
      return { id, status: 'running' };
    },
    subscribe(runId, listener, afterSeq = 0) {
      const run = byId.get(runId);
      if (!run) return undefined;
      run.output.forEach((data, i) => {
        if (i + 1 > afterSeq) deliver(listener, { event: 'output', seq: i + 1, data });
      });
      run.listeners.add(listener);
      return () => run.listeners.delete(listener);
    },
    inFlight(actor) {
      return byActor.get(actorKey(actor))?.id;
    },
    stopWaiting(actor, runId) {
      const run = byActor.get(actorKey(actor));
      if (run?.id !== runId) return false;
      run.stopWaiting.abort();
      return true;
    },
    abortAll() {
      stopping = true;
      for (const run of byId.values()) run.controller.abort(new Error('The companion is shutting down.'));
    },
    async drain(graceMs = 5_000) {
      const grace = sleepFor(graceMs, undefined, { ref: false });
      await Promise.race([Promise.all([...byId.values()].map((r) => r.settled)), grace]);
      // Last try for outcomes the store refused; what still fails is marked unknown by the next start.
      await retryUnrecorded();
      clearInterval(retryTimer);
      // Runs a step never let go of (ignoring the abort signal) are recorded unknown now, as a restart would.
      for (const run of byId.values()) {
        try {
          await store.finishRun(run.id, 'unknown', new Date(now()).toISOString(), INTERRUPTED_ERROR);
        } catch {
          /* the next start marks it */
        }
        publish(run, { event: 'status', data: { status: 'unknown' } });
        publish(run, { event: 'end' });
      }
    },
  };
}
