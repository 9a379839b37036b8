/**
 * The admin's Exchange session and sandbox tenant: warm the session after sign-in so the first click is fast, end it
 * at sign-out so its PowerShell process does not hold a place until the idle timeout, and (sandbox mode) put one's
 * own simulated tenant back to its starting state.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { actorKey } from '../../auth/actor.ts';
import { actorOf, sessionCredentials } from '../../auth/middleware.ts';
import type { SignOuts } from '../../auth/sign-outs.ts';
import type { Executor } from '../../executors/types.ts';
import type { RunEngine } from '../../runs/engine.ts';
import { apiRouter } from '../api-path.ts';
import { HttpError } from '../errors.ts';
import { parseOrThrow } from '../validate.ts';

const NoFields = z.strictObject({});

export interface SessionRouteDeps {
  executor: Executor;
  engine: Pick<RunEngine, 'inFlight'>;
  /** Sandbox mode only: puts a simulated tenant back to its starting state, and retires tokens at sign-out. */
  sandbox?: { reset(tid: string): Promise<void>; signOuts: SignOuts } | undefined;
}

/** `POST /api/session/warm`, `POST /api/session/end` and `POST /api/sandbox/reset`. */
export function sessionRoutes(deps: SessionRouteDeps): Router {
  const router = apiRouter();
  router.post('/api/session/warm', async (req, res) => {
    parseOrThrow(NoFields, req.body ?? {});
    await deps.executor.warm(sessionCredentials(res));
    res.json({ status: 'ready', executor: deps.executor.name });
  });
  router.post('/api/session/end', async (req, res) => {
    parseOrThrow(NoFields, req.body ?? {});
    const actor = actorOf(res);
    await deps.executor.end(actor);
    // Sandbox mode: the companion issued the admin's tokens, so it can refuse them from now on.
    deps.sandbox?.signOuts.record(actorKey(actor));
    res.json({ status: 'ended' });
  });

  const { sandbox } = deps;
  if (!sandbox) return router;
  router.post('/api/sandbox/reset', async (req, res) => {
    parseOrThrow(NoFields, req.body ?? {});
    const actor = actorOf(res);
    const running = deps.engine.inFlight(actor);
    if (running)
      throw new HttpError(
        409,
        'run_in_flight',
        `Your run ${running} is still in flight; wait for it to end before resetting the tenant.`,
      );
    await sandbox.reset(actor.tid);
    res.json({ status: 'reset', tid: actor.tid });
  });
  return router;
}
