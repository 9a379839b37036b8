/**
 * The step catalog over HTTP: list, preview (the PowerShell a reader can copy) and probe (read-only state check).
 */
import type { Request, Router } from 'express';
import { z } from 'zod';
import type { PreviewResponse, ProbeResponse } from '../../../src/runbook/api.ts';
import { summarize } from '../../../src/runbook/catalog.ts';
import { renderScript } from '../../../src/runbook/core/preview.ts';
import { StepFailure } from '../../../src/runbook/core/failure.ts';
import type { StepDefinition } from '../../../src/runbook/core/step.ts';
import { sessionCredentials } from '../../auth/middleware.ts';
import type { Executor } from '../../executors/types.ts';
import type { StepCatalog } from '../../runs/catalog.ts';
import { apiRouter } from '../api-path.ts';
import { HttpError } from '../errors.ts';
import { parseOrThrow } from '../validate.ts';

const ParamsBody = z.strictObject({ params: z.unknown().optional() });

export interface StepRouteDeps {
  steps: StepCatalog;
  executor: Executor;
}

/** The step named in the path, or 404. */
export function stepOr404(steps: StepCatalog, id: unknown): StepDefinition {
  const step = typeof id === 'string' ? steps.get(id) : undefined;
  if (!step) throw new HttpError(404, 'unknown_step', 'No step with this id; GET /api/steps lists them.');
  return step;
}

/** The step's parameters from a `{params}` body (missing = `{}`), validated by the step's schema. */
export function stepParams(step: StepDefinition, body: unknown): Record<string, unknown> {
  const { params } = parseOrThrow(ParamsBody, body ?? {});
  return parseOrThrow(step.params, params === undefined ? {} : params, 'params') as Record<string, unknown>;
}

/** `GET /api/steps`, `POST /api/steps/:id/preview`, `POST /api/steps/:id/probe` (all behind sign-in). */
export function stepRoutes(deps: StepRouteDeps): Router {
  const router = apiRouter();
  router.get('/api/steps', (_req, res) => {
    res.json(deps.steps.list().map(summarize));
  });

  router.post('/api/steps/:id/preview', (req: Request<{ id: string }>, res) => {
    const step = stepOr404(deps.steps, req.params.id);
    const body: PreviewResponse = { script: renderScript(step.plan(stepParams(step, req.body))) };
    res.json(body);
  });

  router.post('/api/steps/:id/probe', async (req: Request<{ id: string }>, res) => {
    const step = stepOr404(deps.steps, req.params.id);
    const params = stepParams(step, req.body);
    let result: ProbeResponse;
    try {
      result = await step.probe(await deps.executor.session(sessionCredentials(res)), params);
    } catch (err) {
      // Exchange's own answer is the admin's to see; executor errors are mapped by the error handler.
      if (err instanceof StepFailure) {
        const { message, explanation } = deps.steps.explain(step, err);
        throw new HttpError(
          502,
          'probe_failed',
          `The check failed: ${message}${explanation ? ` (${explanation.action})` : ''}`,
        );
      }
      throw err;
    }
    res.json(result);
  });
  return router;
}
