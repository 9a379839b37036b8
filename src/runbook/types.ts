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
 * An error as Exchange reported it, normalized by the executor: `message` is the service's text without the
 * V3 module's `Ex94914C|<type>|` prefix, `type` the exception's full type name.
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
  /** Matched against `ExoError.message`; exact service wording wherever exchange-facts.md quotes it. */
  pattern: RegExp;
  /** Exception type name (last segment is enough), checked when present. */
  type?: string;
  meaning: string;
  action: string;
  /** Guide URL with anchor, e.g. `/guides/application-impersonation/#...`. */
  guide: string;
  /** When true the step counts as succeeded (e.g. "already enabled for customization"). */
  treatAsSuccess?: boolean;
  /** When true the step may be retried with backoff (propagation lag after customization). */
  retryable?: boolean;
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
  /**
   * For a change that takes effect some time after it succeeded: what the card says while the probe does not show it
   * yet (the verdict follows the admin's successful run instead of reading "Needed").
   */
  pendingAfterRun?: string;
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
