/**
 * Runs: start one, read one, follow one (SSE), list mine, and my transcript. A caller only ever sees its own runs:
 * another admin's run id answers 404, exactly like an id that does not exist.
 */
import type { Response, Router } from 'express';
import { z } from 'zod';
import { type RunRecord, type SandboxAdmin, tenantNameFromUpn } from '../../../src/runbook/api.ts';
import type { Config } from '../../config.ts';
import type { Executor } from '../../executors/types.ts';
import type { Actor } from '../../../src/runbook/core/cmdlets.ts';
import { actorKey } from '../../auth/actor.ts';
import { actorOf, sessionCredentials } from '../../auth/middleware.ts';
import type { StepCatalog } from '../../runs/catalog.ts';
import type { RunEngine } from '../../runs/engine.ts';
import {
  transcriptHead,
  transcriptPieces,
  transcriptRun,
  type TranscriptRun,
  type TranscriptSetting,
} from '../../runs/transcript.ts';
import type { Store } from '../../store/store.ts';
import { apiRouter } from '../api-path.ts';
import { HttpError } from '../errors.ts';
import { streamRun, type StreamSet } from '../sse.ts';
import { createTurns, type Turns } from '../turns.ts';
import { parseOrThrow } from '../validate.ts';
import { stepOr404, stepParams } from './steps.ts';

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const StartBody = z.strictObject({
  step: z.string().max(64, 'must be at most 64 characters'),
  params: z.unknown().optional(),
});
const ListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'must be a whole number from 1 to 100')
    .optional(),
});
const NoFields = z.strictObject({});
const TranscriptQuery = z.strictObject({ format: z.enum(['md', 'json'], 'must be md or json').optional() });
const MAX_SSE_STREAMS_PER_ADMIN = 8;
const TRANSCRIPT_RUNS = 1000;
// Runs rendered per turn of the event loop across all transcripts being written (a maximum-size run takes ~1 ms).
const TRANSCRIPT_PIECES_PER_TURN = 1;

/** Resolves once the client has read what is buffered, or has gone away. */
function drained(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes `pieces`, each in its own turn (shared by every transcript being written), waiting while the client's buffer
 * is full: a large transcript never holds the companion, or its memory, for more than one run at a time, and ten of
 * them at once still leave room for everyone else's requests. Stops when the client goes away.
 */
async function writePieces(res: Response, pieces: AsyncIterator<string>, turns: Turns): Promise<void> {
  for (;;) {
    await turns.next();
    if (res.destroyed) return;
    const piece = await pieces.next();
    if (piece.done) return void res.end();
    if (!res.write(piece.value)) await drained(res);
  }
}

export interface RunRouteDeps {
  store: Store;
  engine: RunEngine;
  steps: StepCatalog;
  streams: StreamSet;
  sseHeartbeatMs: number;
  /** What the transcript says the runs ran on, and the sandbox tenants' names. */
  config: Pick<Config, 'mode'>;
  executor: Pick<Executor, 'name'>;
  /** Sandbox mode: the demo admins, and when a practice tenant was last reset (runs before it are marked). */
  sandbox?: { admins: SandboxAdmin[]; resetAt?: (tid: string) => Promise<number | null> } | undefined;
}

/**
 * `POST /api/runs`, `GET /api/runs`, `GET /api/runs/:id`, `POST /api/runs/:id/stop`, `GET /api/runs/:id/events`,
 * `GET /api/transcript`.
 */
export function runRoutes(deps: RunRouteDeps): Router {
  const { store, engine } = deps;
  const router = apiRouter();
  const streamsPerAdmin = new Map<string, number>();
  const transcriptTurns = createTurns(TRANSCRIPT_PIECES_PER_TURN);

  /** Marks the runs that started before the actor's practice tenant was last reset (sandbox mode only). */
  const markReset = async (actor: Actor, runs: RunRecord[]): Promise<RunRecord[]> => {
    const resetAt = await deps.sandbox?.resetAt?.(actor.tid);
    if (resetAt == null) return runs;
    const at = new Date(resetAt).toISOString();
    return runs.map((run) => (Date.parse(run.startedAt) < resetAt ? { ...run, tenantResetAt: at } : run));
  };

  /** The caller's run, or 404 for malformed, unknown and foreign ids alike. */
  const ownRun = async (id: string, actor: Actor): Promise<RunRecord> => {
    const run = RUN_ID.test(id) ? await store.getRun(id, actor) : undefined;
    if (!run) throw new HttpError(404, 'unknown_run', 'No run with this id among yours.');
    return (await markReset(actor, [run]))[0]!;
  };

  router.post('/api/runs', async (req, res) => {
    const { step: stepId, params } = parseOrThrow(StartBody, req.body ?? {});
    const step = stepOr404(deps.steps, stepId);
    const accepted = await engine.start(sessionCredentials(res), step, stepParams(step, { params }));
    res.status(202).location(`/api/runs/${accepted.id}`).json(accepted);
  });

  router.get('/api/runs', async (req, res) => {
    const { limit = 20 } = parseOrThrow(ListQuery, req.query);
    const actor = actorOf(res);
    res.json(await markReset(actor, await store.listRuns(actor, limit)));
  });

  router.get('/api/runs/:id', async (req, res) => {
    res.json(await ownRun(req.params.id, actorOf(res)));
  });

  router.post('/api/runs/:id/stop', async (req, res) => {
    parseOrThrow(NoFields, req.body ?? {});
    const actor = actorOf(res);
    const record = await ownRun(req.params.id, actor);
    if (record.status !== 'running' || !engine.stopWaiting(actor, record.id)) {
      throw new HttpError(409, 'run_ended', `This run has already ended (${record.status}); there is no wait to stop.`);
    }
    res.status(202).json({ id: record.id, status: 'running' });
  });

  router.get('/api/runs/:id/events', async (req, res) => {
    const actor = actorOf(res);
    const record = await ownRun(req.params.id, actor);
    const key = actorKey(actor);
    const open = streamsPerAdmin.get(key) ?? 0;
    if (open >= MAX_SSE_STREAMS_PER_ADMIN) {
      throw new HttpError(
        429,
        'too_many_streams',
        `At most ${MAX_SSE_STREAMS_PER_ADMIN} event streams per admin; close one first.`,
        { headers: { 'Retry-After': '5' } },
      );
    }
    streamsPerAdmin.set(key, open + 1);
    res.on('close', () => {
      const n = (streamsPerAdmin.get(key) ?? 1) - 1;
      if (n > 0) streamsPerAdmin.set(key, n);
      else streamsPerAdmin.delete(key);
    });
    streamRun(req, res, record, engine, deps.streams, () => store.getRun(record.id, actor), {
      heartbeatMs: deps.sseHeartbeatMs,
    });
  });

  router.get('/api/transcript', async (req, res) => {
    const { format = 'md' } = parseOrThrow(TranscriptQuery, req.query);
    const actor = actorOf(res);
    // The request's own origin (its Host passed the guard) makes the links absolute, as a record read elsewhere needs.
    const setting: TranscriptSetting = {
      origin: `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`,
      tenant: {
        id: actor.tid,
        name: deps.sandbox?.admins.find((a) => a.tid === actor.tid)?.tenant ?? tenantNameFromUpn(actor.upn),
      },
      mode: deps.config.mode,
      executor: deps.executor.name,
      steps: deps.steps.list(),
    };
    const ids = (await store.listRunIds(actor, TRANSCRIPT_RUNS)).reverse();
    /** The runs, read from the store one at a time as the transcript is written. */
    async function* runs(): AsyncGenerator<TranscriptRun> {
      for (const id of ids) {
        const run = await store.getRun(id, actor);
        if (run) yield transcriptRun(run, setting);
      }
    }
    res.type(format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8');
    const head = transcriptHead(actor, ids.length, setting, new Date());
    await writePieces(res, transcriptPieces(format, head, runs(), setting), transcriptTurns);
  });
  return router;
}
