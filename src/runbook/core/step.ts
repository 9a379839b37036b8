/**
 * What a step is: data plus small async functions over an `ExchangeSession` (core/cmdlets.ts); executors only know
 * how to run one cmdlet. Knows no guide: the guides' folders define the steps, the catalog lists them.
 */
import type { z } from 'zod';
import type { ExchangeSession, PlannedCall } from './cmdlets.ts';
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

/**
 * Output lines a running step emits; they stream over SSE and are stored with the run. Exchange's own words are only
 * ever in `error` lines (a refusal, verbatim) and `command` lines (what ran); every other kind is the runbook's:
 * `info` says why the next command runs, `wait` and `result` say what the runbook makes of the answers, `warning` marks
 * a call that got no answer.
 */
export interface StepOutput {
  at: string;
  kind: 'info' | 'command' | 'result' | 'warning' | 'error' | 'wait';
  text: string;
  data?: unknown;
}

/** A result line's table (`StepOutput.data.table`): the page shows it as a table, the text keeps the same rows. */
export interface ResultTable {
  /** One line above the table, e.g. what every row has in common. */
  caption?: string;
  columns: string[];
  /** One value per column; booleans are PowerShell's True / False. */
  rows: Array<Array<string | boolean>>;
}

/** What the page asks before a step runs, naming what it takes away or cannot undo. */
export interface Confirmation {
  /**
   * The dialog's title, a question naming the object, e.g. `Remove the role group "EWS Application Impersonation"?`.
   */
  title: string;
  /** What the admin loses or cannot take back. */
  text: string;
  /** The confirming button, e.g. "Remove the role group". */
  action: string;
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
  /**
   * For a change that takes effect some time after it succeeded: what the card says while the probe does not show it
   * yet (the verdict follows the admin's successful run instead of reading "Needed").
   */
  pendingAfterRun?: string;
  /**
   * Asks first (steps that take access away from an account or application, and irreversible ones). The page does not
   * ask when the probe shows the tenant in the wanted state already, so running the step again changes nothing.
   */
  confirm?(p: z.output<S>): Confirmation;
  /** The step that undoes this one, with its parameters derived from this step's. */
  undo?: { step: StepId; params(p: z.output<S>): Record<string, unknown> };
  /** Guide section this step belongs to. */
  guide: string;
  /** The step's main calls, as data: the preview renders exactly these, and the run executes them in this order. */
  plan(p: z.output<S>): PlannedCall[];
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
