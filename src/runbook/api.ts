/**
 * Shapes of the companion's HTTP API (see README "HTTP API"), shared by the server and the browser client.
 */
import type { ProbeResult, StepId, StepOutput } from './core/step.ts';

export type Mode = 'sandbox' | 'tenant';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'unknown';

/** Every error response: `{"error": {...}}` with a 4xx/5xx status. `field` names the offending input, when one. */
export interface ApiError {
  error: { code: string; message: string; field?: string };
}

export interface HealthResponse {
  status: 'ok';
  mode: Mode;
  executor: 'sandbox' | 'powershell';
}

export interface SandboxAdmin {
  upn: string;
  name: string;
  tenant: string;
  tid: string;
  /** One line for the picker, e.g. "As in 2023: dehydrated, ApplicationImpersonation still available". */
  description: string;
  /** Values the forms can take from this tenant ("Use the sandbox's values"), keyed by a field's `carry`. */
  practiceValues?: Record<string, string>;
}

/**
 * How long the sandbox's simulated Exchange takes, in seconds (RUNBOOK_CUSTOMIZATION_DELAY, _PROPAGATION_DELAY,
 * _DELEGATION_DELAY): the page shows them beside what a real tenant takes.
 */
export interface SandboxDelays {
  /** From Enable-OrganizationCustomization until IsDehydrated reads False. */
  customizationSeconds: number;
  /** After that, how long writes keep failing as if still dehydrated. */
  propagationSeconds: number;
  /** After that, how long application role assignments keep failing with the delegating-assignment refusal. */
  delegationSeconds: number;
}

/** What the browser needs to sign in; never a secret. */
export interface ConfigResponse {
  mode: Mode;
  executor: 'sandbox' | 'powershell';
  sandbox?: { admins: SandboxAdmin[]; delays?: SandboxDelays };
  entra?: {
    clientId: string;
    authority: string;
    knownAuthorities: string[];
    /** Scope for the companion API, e.g. `api://<app id>/access_as_user`. */
    companionScope: string;
    /** Scope for Exchange, `https://outlook.office365.com/.default`. */
    exchangeScope: string;
    /** Tenant ids the companion accepts. */
    allowedTenants: string[];
  };
}

export interface Account {
  upn: string;
  name: string;
  tid: string;
  oid: string;
  /** Display name of the tenant, e.g. "contoso". */
  tenantName: string;
}

/** "admin@contoso.onmicrosoft.com" -> "contoso": the label admins know their tenant by (Entra tokens carry no name). */
export function tenantNameFromUpn(upn: string): string {
  return upn.split('@')[1]?.split('.')[0] ?? upn;
}

/** `POST /api/sandbox/sign-in`: a short-lived token for the companion, and one for the (simulated) Exchange. */
export interface SandboxSignInResponse {
  accessToken: string;
  exchangeToken: string;
  expiresOn: string;
  account: Account;
}

export interface StepSummary {
  id: StepId;
  title: string;
  summary: string;
  irreversible: boolean;
  irreversibleNote?: string;
  readOnly: boolean;
  guide: string;
  undo?: StepId;
  /** JSON Schema of the parameters (from the step's zod schema). */
  params: Record<string, unknown>;
}

export interface PreviewResponse {
  script: string;
}

export type ProbeResponse = ProbeResult;

/** A failure, explained when it is one of the catalog's known errors. */
export interface RunError {
  message: string;
  type: string;
  /** Id of the known error that matched, if any. */
  known?: string;
  /**
   * Where the matched error's text comes from (the errors page marks the same): Exchange's own wording as quoted,
   * Exchange's generic form, PowerShell's, the sandbox's own (the real text unconfirmed), or the runbook's report.
   * The page says on the sandbox whose words it shows, and never passes the sandbox's own off as Exchange's.
   */
  wording?: 'exchange' | 'generic' | 'powershell' | 'sandbox' | 'runbook';
  explanation?: { meaning: string; action: string };
  guide?: string;
}

export interface RunRecord {
  id: string;
  step: StepId;
  params: Record<string, unknown>;
  status: RunStatus;
  actor: { upn: string; tid: string };
  startedAt: string;
  endedAt: string | null;
  /** The exact PowerShell the step runs, as shown in the preview. */
  script: string;
  output: StepOutput[];
  error?: RunError;
  /**
   * Sandbox mode: the practice tenant was put back to its starting state at this time, after the run started, so the
   * run no longer describes the tenant (the page does not offer it as "you did this"). The record itself is unchanged.
   */
  tenantResetAt?: string;
}

/** `POST /api/runs` answers 202 with this. */
export interface RunAccepted {
  id: string;
  status: RunStatus;
}

/**
 * `GET /api/runs/:id/events` (Server-Sent Events): `event: output` (data: StepOutput), `event: status`
 * (data: {status}), and a final `event: end` (data: RunRecord), after which the stream closes.
 */
export type RunEvent =
  | { event: 'output'; data: StepOutput }
  | { event: 'status'; data: { status: RunStatus } }
  | { event: 'end'; data: RunRecord };
