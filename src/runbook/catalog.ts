/**
 * The step catalog: every guide (GUIDES) and, derived from them, every runnable step by id, their summaries for
 * `GET /api/steps`, parameter validation with the API's messages, the copyable preview, and error explanations.
 * Imported by the server and the browser.
 */
import { z } from 'zod';
import type { StepSummary } from './api.ts';
import type { ExoError } from './core/cmdlets.ts';
import type { Guide } from './core/guide.ts';
import { type KnownError, matchKnownError } from './core/known-errors.ts';
import { renderScript } from './core/preview.ts';
import type { StepDefinition } from './core/step.ts';
import { problemText, validate } from './core/validation.ts';
import { applicationImpersonation } from './guides/application-impersonation/guide.ts';
import { keepEwsWorking } from './guides/keep-ews-working/guide.ts';
import { rbacForApplications } from './guides/rbac-for-applications/guide.ts';

/** Every guide, in the order the site lists them. A new guide is one folder under guides/ and one entry here. */
export const GUIDES: readonly Guide[] = [applicationImpersonation, rbacForApplications, keepEwsWorking];

/** Every step of every guide, in page order. */
export const STEPS: readonly StepDefinition[] = GUIDES.flatMap((guide) => guide.steps);

/** Every step id, in page order. */
export const STEP_IDS: readonly string[] = STEPS.map((step) => step.id);

const byId = new Map<string, StepDefinition>(STEPS.map((step) => [step.id, step]));
for (const step of STEPS) {
  if (!/^[a-z]+(-[a-z]+)*$/.test(step.id)) throw new Error(`Step id "${step.id}" is not kebab-case.`);
  if (STEPS.filter((other) => other.id === step.id).length > 1) throw new Error(`Two steps have the id "${step.id}".`);
  if (step.undo && !byId.has(step.undo.step)) {
    throw new Error(`Step "${step.id}" is undone by "${step.undo.step}", which no guide has.`);
  }
}

/** The step with this id, or undefined (the API answers 404). */
export function getStep(id: string): StepDefinition | undefined {
  return byId.get(id);
}

/**
 * The summary `GET /api/steps` lists, with the parameters as JSON Schema (input side: defaults are optional; a rule
 * JSON Schema cannot express, such as a refinement, is left out rather than failing).
 */
export function summarize(step: StepDefinition): StepSummary {
  const summary: StepSummary = {
    id: step.id,
    title: step.title,
    summary: step.summary,
    irreversible: step.irreversible,
    readOnly: step.readOnly,
    guide: step.guide,
    params: z.toJSONSchema(step.params, { io: 'input', unrepresentable: 'any' }),
  };
  if (step.irreversibleNote) summary.irreversibleNote = step.irreversibleNote;
  if (step.undo) summary.undo = step.undo.step;
  return summary;
}

/** Summaries of every step, in page order. */
export function listSteps(): StepSummary[] {
  return STEPS.map(summarize);
}

export type ParamsCheck = { ok: true; params: Record<string, unknown> } | { ok: false; field: string; message: string };

/**
 * Validates raw parameters (missing = `{}`, defaults applied) exactly as the API does: on failure the first offending
 * field and the message the API sends (core/validation.ts).
 */
export function parseParams(step: StepDefinition, raw: unknown): ParamsCheck {
  const checked = validate(step.params, raw === undefined ? {} : raw, 'params');
  if (checked.ok) return { ok: true, params: checked.data as Record<string, unknown> };
  return { ok: false, field: checked.problem.field, message: problemText(checked.problem) };
}

/** The PowerShell a reader can copy for `params` (validated first; throws a ZodError on bad input). */
export function previewScript(step: StepDefinition, params: unknown): string {
  return renderScript(step.plan(step.params.parse(params ?? {})));
}

/** The catalog's explanation of an Exchange error this step can meet, if it knows one. */
export function explainError(step: StepDefinition, error: ExoError): KnownError | undefined {
  return matchKnownError(step.knownErrors, error);
}
