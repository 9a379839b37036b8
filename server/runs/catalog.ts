/**
 * The step catalog as the server uses it: look a step up, list them, and explain what a step threw (the run record's
 * error, with the catalog's explanation and guide link when the failure is a known one).
 */
import type { RunError } from '../../src/runbook/api.ts';
import { getStep, STEPS } from '../../src/runbook/catalog.ts';
import { StepFailure, toRunError } from '../../src/runbook/core/failure.ts';
import type { StepDefinition } from '../../src/runbook/core/step.ts';
import { CONNECTION_ERRORS, SESSION_ERRORS } from '../../src/runbook/exchange/connection.ts';
import { ExchangeConnectError } from '../executors/types.ts';

export interface StepCatalog {
  get: (id: string) => StepDefinition | undefined;
  list: () => StepDefinition[];
  /** The run record's error for anything a step (or its session) threw, explained when known. */
  explain: (step: StepDefinition, error: unknown) => RunError;
}

/** What a step threw, as the run record's error: explained when the catalog knows it. */
function explainFailure(step: StepDefinition, error: unknown): RunError {
  if (error instanceof StepFailure) return toRunError(step, error, SESSION_ERRORS);
  if (error instanceof ExchangeConnectError) {
    // Whatever the module's wording, a refused connect is this error; the token's own claims say what to do, if they can.
    const known = CONNECTION_ERRORS.exchangeTokenRefused;
    const action = error.problems.length > 0 ? error.problems.join(' ') : known.action;
    return {
      message: error.error.message,
      type: error.error.type,
      known: known.id,
      explanation: { meaning: known.meaning, action },
      guide: known.guide,
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { message: err.message, type: err.name };
}

/** The guides' steps (src/runbook/catalog.ts). */
export const CATALOG: StepCatalog = { get: getStep, list: () => [...STEPS], explain: explainFailure };
