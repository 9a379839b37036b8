/**
 * The contract shared by the browser, the companion server and both executors.
 * A step is data plus small async functions over an `ExchangeSession`; executors only know how to run one cmdlet.
 */
import type { z } from 'zod';

/** Every step of every guide; the API, the pages and the tests use these ids. */
export const STEP_IDS = [
  'check-impersonation-role',
  'create-role-group',
  'enable-customization',
  'check-dehydrated',
  'remove-role-group',
  'find-impersonation-assignments',
  'create-service-principal',
  'create-management-scope',
  'assign-application-role',
  'test-app-authorization',
  'remove-application-role-assignment',
  'remove-management-scope',
  'remove-service-principal',
] as const;
export type StepId = (typeof STEP_IDS)[number];

/** The cmdlets the companion may run; the PowerShell helper module allow-lists exactly these. */
export const CMDLETS = [
  'Get-OrganizationConfig',
  'Enable-OrganizationCustomization',
  'Get-ManagementRole',
  'Get-ManagementRoleAssignment',
  'New-ManagementRoleAssignment',
  'Remove-ManagementRoleAssignment',
  'Get-RoleGroup',
  'Get-RoleGroupMember',
  'New-RoleGroup',
  'Remove-RoleGroup',
  'Get-ServicePrincipal',
  'New-ServicePrincipal',
  'Remove-ServicePrincipal',
  'Get-ManagementScope',
  'New-ManagementScope',
  'Remove-ManagementScope',
  'Test-ServicePrincipalAuthorization',
  'Get-Mailbox',
] as const;
export type Cmdlet = (typeof CMDLETS)[number];

/** A parameter value as it travels to a cmdlet: JSON-safe, no script blocks. A `true` on a switch means `-Switch`. */
export type CmdletValue = string | number | boolean | null | string[];

/** One cmdlet invocation as data. Never rendered into PowerShell text except for the human-readable preview. */
export interface CmdletCall {
  cmdlet: Cmdlet;
  params: Record<string, CmdletValue>;
}

/**
 * A value that an earlier call of the same plan produced, e.g. `$sp.ObjectId`: the call saved as `output` (or the
 * object a `forEach` is at), then its `property`. Only plans hold these; a run resolves them before it invokes.
 */
export interface OutputRef {
  output: string;
  property: string;
}

/** One call of a step's plan: what the preview shows and the run executes, in that order. */
export interface PlannedCall {
  cmdlet: Cmdlet;
  params: Record<string, CmdletValue | OutputRef>;
  /** Keeps the call's output in `$<saveAs>` for later calls (`$sp = Get-ServicePrincipal ...`). */
  saveAs?: string;
  /** Runs the call once per object of an earlier output, as `$<as>`: `foreach ($m in $mailboxes) { ... }`. */
  forEach?: { output: string; as: string };
}

/**
 * An error as Exchange reported it, normalized by the executor: `message` is the service's text without the V3
 * module's `Ex94914C|<type>|` or `||` prefix (context Exchange itself writes first, such as `Active Directory
 * operation failed on <DC>.`, stays), `type` the exception's name as far as the record tells it (full or short).
 */
export interface ExoError {
  message: string;
  type: string;
  fqid?: string;
  category?: string;
  reason?: string;
}

export type CmdletResult = { ok: true; data: unknown } | { ok: false; error: ExoError };

/** What a step's functions use to talk to Exchange: one call at a time, on the signed-in admin's own session. */
export interface ExchangeSession {
  invoke(call: CmdletCall): Promise<CmdletResult>;
  /** Who the session is signed in as (the verified token's UPN), where the executor knows it. */
  readonly upn?: string;
}

/** The verified caller. `tid` + `oid` identify an admin; `upn` is for display and Connect-ExchangeOnline. */
export interface Actor {
  tid: string;
  oid: string;
  upn: string;
  name?: string;
}

export type ProbeState = 'done' | 'needed' | 'blocked';
export interface ProbeResult {
  state: ProbeState;
  reason: string;
  /** Optional link (guide anchor or page) that says where to go instead, for `blocked`. */
  guide?: string;
}

/** A known Exchange error: how to recognise it, what it means, what to do, where the guide explains it. */
export interface KnownError {
  id: string;
  /**
   * Matched against `ExoError.message` anywhere in it (context before or after the service's text still matches);
   * exact service wording wherever exchange-facts.md quotes it.
   */
  pattern: RegExp;
  /** Exception type name (last segment is enough), checked when the error names one (not a bare System.Exception). */
  type?: string;
  meaning: string;
  action: string;
  /** Guide URL with anchor, e.g. `/guides/application-impersonation/#...`. */
  guide: string;
  /** When true the step counts as succeeded (e.g. "already enabled for customization"). */
  treatAsSuccess?: boolean;
  /** When true the step may be retried with backoff (propagation lag after customization). */
  retryable?: boolean;
  /** When true the text never selects it (its pattern matches anything): only a step that knows the context names it. */
  chosenByStep?: boolean;
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
  /** How long and how often steps that wait may poll; defaults to the real-tenant policy (see wait-policy.ts). */
  waitPolicy?: WaitPolicy;
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
