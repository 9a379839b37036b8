/**
 * The step catalog: every runnable step by id, their summaries for `GET /api/steps`, parameter validation with
 * messages that name the field, the copyable preview, and error explanations. Imported by the server and the browser.
 */
import { z } from 'zod';
import type { StepSummary } from './api.ts';
import { matchKnownError } from './known-errors.ts';
import { renderScript } from './powershell-preview.ts';
import { checkDehydrated } from './steps/check-dehydrated.ts';
import { checkImpersonationRole } from './steps/check-impersonation-role.ts';
import { createRoleGroup } from './steps/create-role-group.ts';
import { enableCustomization } from './steps/enable-customization.ts';
import { removeRoleGroup } from './steps/remove-role-group.ts';
import { assignApplicationRole } from './steps/assign-application-role.ts';
import { createManagementScope } from './steps/create-management-scope.ts';
import { createServicePrincipal } from './steps/create-service-principal.ts';
import { findImpersonationAssignments } from './steps/find-impersonation-assignments.ts';
import { removeApplicationRoleAssignment, removeManagementScope, removeServicePrincipal } from './steps/rbac-removals.ts';
import { testAppAuthorization } from './steps/test-app-authorization.ts';
import type { ExoError, KnownError, StepDefinition } from './types.ts';

/** Every step in guide order. */
export const STEPS: readonly StepDefinition[] = [
  checkImpersonationRole, enableCustomization, checkDehydrated, createRoleGroup, removeRoleGroup,
  // The RBAC for Applications guide (issue 6).
  findImpersonationAssignments, createServicePrincipal, createManagementScope, assignApplicationRole, testAppAuthorization,
  removeApplicationRoleAssignment, removeManagementScope, removeServicePrincipal,
];

const byId = new Map<string, StepDefinition>(STEPS.map((step) => [step.id, step]));

/** The step with this id, or undefined (the API answers 404). */
export function getStep(id: string): StepDefinition | undefined {
  return byId.get(id);
}

/** The summary `GET /api/steps` lists, with the parameters as JSON Schema (input side: defaults are optional). */
function summarize(step: StepDefinition): StepSummary {
  return {
    id: step.id,
    title: step.title,
    summary: step.summary,
    irreversible: step.irreversible,
    ...(step.irreversibleNote ? { irreversibleNote: step.irreversibleNote } : {}),
    readOnly: step.readOnly,
    guide: step.guide,
    ...(step.undo ? { undo: step.undo.step } : {}),
    params: z.toJSONSchema(step.params, { io: 'input' }),
  };
}

/** Summaries of every step, in guide order. */
export function listSteps(): StepSummary[] {
  return STEPS.map(summarize);
}

export type ParamsCheck = { ok: true; params: Record<string, unknown> } | { ok: false; field: string; message: string };

/** Validates raw parameters (defaults applied); on failure names the first offending field and the rule it broke. */
export function parseParams(step: StepDefinition, raw: unknown): ParamsCheck {
  const parsed = step.params.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, params: parsed.data as Record<string, unknown> };
  const issue = parsed.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const field = ['params', ...issue.path.map(String), ...keys.slice(0, 1)].join('.');
  const message =
    issue.code === 'unrecognized_keys' ? `unknown field ${keys.map((k) => `"${k}"`).join(', ')}`
    : issue.code === 'invalid_type' && valueAt(raw, issue.path) === undefined ? 'is required'
    : issue.message;
  return { ok: false, field, message: `${field} ${message}` };
}

/** The value at `path` inside `root`, or undefined. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** The PowerShell a reader can copy for `params` (validated first; throws a ZodError on bad input). */
export function previewScript(step: StepDefinition, params: unknown): string {
  return renderScript(step.plan(step.params.parse(params ?? {})));
}

/** The catalog's explanation of an Exchange error this step can meet, if it knows one. */
export function explainError(step: StepDefinition, error: ExoError): KnownError | undefined {
  return matchKnownError(step.knownErrors, error);
}
