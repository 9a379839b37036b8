/**
 * What a step is: data plus small async functions over an `ExchangeSession` (core/cmdlets.ts); executors only know
 * how to run one cmdlet. Knows no guide: the guides' folders define the steps, the catalog lists them.
 */
import type { z } from 'zod';
import type { CmdletCall, ExchangeSession } from './cmdlets.ts';
import type { KnownError } from './known-errors.ts';

/** A step's id, e.g. `create-role-group`: kebab-case, unique across every guide (the catalog checks both). */
export type StepId = string;

type ProbeState = 'done' | 'needed' | 'blocked';
export interface ProbeResult {
  state: ProbeState;
  reason: string;
  /** Optional link (guide anchor or page) that says where to go instead, for `blocked`. */
  guide?: string;
}

/** Output lines a running step emits; they stream over SSE and are stored with the run. */
export interface StepOutput {
  at: string;
  kind: 'info' | 'command' | 'result' | 'warning' | 'error' | 'wait';
  text: string;
  data?: unknown;
}

/** What a step's `run` gets: the session, an output sink, a clock for waiting, and an abort signal. */
export interface StepContext {
  exo: ExchangeSession;
  emit(kind: StepOutput['kind'], text: string, data?: unknown): void;
  /** Sleeps `ms` (injectable in tests); rejects when the run is aborted. */
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
  /** The clock `sleep` advances (injectable in tests); defaults to `Date.now`. */
  now?: () => number;
  /** How long and how often steps that wait may poll; defaults to the real-tenant policy (see core/wait.ts). */
  waitPolicy?: WaitPolicy;
  /**
   * Aborted when the admin asks to stop waiting (POST /api/runs/:id/stop): `sleep` then rejects and the wait loop
   * ends the run as stopped. Unlike `signal`, it never cuts a cmdlet call short.
   */
  waitStopped?: AbortSignal;
}

/** Exponential backoff bounds for steps that wait for Exchange (customization, propagation). */
export interface WaitPolicy {
  /** Delay before the second check. */
  initialDelayMs: number;
  /** Each delay is the previous one times this. */
  factor: number;
  /** Cap on a single delay. */
  maxDelayMs: number;
  /** Total time after which the step gives up and fails with an explanation. */
  maxWaitMs: number;
}

/** One runnable step of a guide. Parameters are one zod schema, validated at the edge, typed everywhere. */
export interface StepDefinition<S extends z.ZodType = z.ZodType> {
  /** Unique across the catalog (checked when it loads); the API, the pages and the tests use it. */
  id: StepId;
  title: string;
  /** One sentence: what the step does to the tenant. */
  summary: string;
  params: S;
  /** True when no undo exists and the change cannot be taken back (enable-customization). */
  irreversible: boolean;
  /** What the confirmation dialog says cannot be undone (irreversible steps only). */
  irreversibleNote?: string;
  /** Read-only, never changes anything. */
  readOnly: boolean;
  /** The step that undoes this one, with its parameters derived from this step's. */
  undo?: { step: StepId; params(p: z.output<S>): Record<string, unknown> };
  /** Guide section this step belongs to. */
  guide: string;
  /** The invocations the change makes, as data; the preview is rendered from this. */
  plan(p: z.output<S>): CmdletCall[];
  /** Read-only check of the current state. */
  probe(exo: ExchangeSession, p: z.output<S>): Promise<ProbeResult>;
  /** Makes the change (or, for read-only steps, the check) and verifies it; throws a StepFailure on failure. */
  run(ctx: StepContext, p: z.output<S>): Promise<unknown>;
  knownErrors: KnownError[];
  /**
   * Suggested parameter values for the signed-in admin (the page pre-fills the form with them); never applied
   * server-side, because values such as who receives a role must be the admin's deliberate choice.
   */
  suggestParams?(account: { upn: string }): Partial<z.input<S>>;
}
