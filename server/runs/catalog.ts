/**
 * The step catalog as the server uses it: look a step up, list them, and explain what a step threw (the run record's
 * error, with the catalog's explanation and guide link when the failure is a known one).
 */
import type { RunError } from '../../src/runbook/api.ts';
import { getStep, STEPS } from '../../src/runbook/catalog.ts';
import type { StepDefinition } from '../../src/runbook/core/step.ts';
import { explainFailure } from './run-step.ts';

export interface StepCatalog {
  get: (id: string) => StepDefinition | undefined;
  list: () => StepDefinition[];
  /** The run record's error for anything a step (or its session) threw, explained when known. */
  explain: (step: StepDefinition, error: unknown) => RunError;
}

/** The guides' steps (src/runbook/catalog.ts). */
export const CATALOG: StepCatalog = { get: getStep, list: () => [...STEPS], explain: explainFailure };
