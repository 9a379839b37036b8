/**
 * Server-Sent Events for one run: replays the output emitted so far (after `Last-Event-ID`), then streams live
 * output, then `status` and `end` (the full record), then closes. A finished run gets `end` at once.
 * Comment lines keep idle connections (and proxies) from timing out.
 */
import type { Request, Response } from 'express';
import type { RunRecord } from '../../src/runbook/api.ts';
import type { RunEngine } from '../runs/engine.ts';

export interface SseOptions {
  heartbeatMs: number;
}

/** Open streams, so shutdown can end them. */
export type StreamSet = Set<Response>;

/** Writes one event; JSON never contains a raw newline, so `data:` is always one line. */
function send(res: Response, event: string, data: unknown, id?: number): void {
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The id of the last output line the client already has (EventSource sends it on reconnect). */
function lastEventId(req: Request): number {
  const raw = req.get('last-event-id');
  return raw && /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

/**
 * Streams the run of `record` to `res`. A live run's lines come from the engine, which replays those emitted before
 * the subscription, so none falls between the record read from the store and the live events; `reload` reads the
 * final record at the end.
 */
export function streamRun(
  req: Request,
  res: Response,
  record: RunRecord,
  engine: Pick<RunEngine, 'subscribe'>,
  streams: StreamSet,
  reload: () => Promise<RunRecord | undefined>,
  options: SseOptions,
): void {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 3000\n\n');

  const end = (final: RunRecord) => {
    send(res, 'end', final);
    res.end();
  };
  /** The final record from the store (the one in hand if the store cannot give it). */
  const endWithReload = () => {
    reload().then(
      (final) => end(final ?? record),
      () => end(record),
    );
  };
  const unsubscribe =
    record.status === 'running'
      ? engine.subscribe(
          record.id,
          (e) => {
            if (e.event === 'output') send(res, 'output', e.data, e.seq);
            else if (e.event === 'status') send(res, 'status', e.data);
            else endWithReload();
          },
          lastEventId(req),
        )
      : undefined;
  if (!unsubscribe) {
    // Not live here: finished already (read again, it may have ended since the record was read), or never was.
    if (record.status === 'running') return endWithReload();
    return end(record);
  }

  streams.add(res);
  send(res, 'status', { status: 'running' });
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), options.heartbeatMs);
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    streams.delete(res);
  });
}
