/** Calls to the companion's API with the signed-in admin's tokens, and run events read as a fetch stream. */
import type { ApiError, RunEvent } from '../runbook/api.ts';
import { authHeaders, getTokens } from './auth/session.ts';
import { companionDown } from './config.ts';
import { createSseParser } from './sse.ts';

/** An error answer of the companion, with its status and the field it names. */
export class CompanionError extends Error {
  readonly status: number;
  readonly field: string | undefined;
  constructor(status: number, message: string, field?: string) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** Sends an authenticated request and returns the response, throwing a CompanionError for error statuses. */
async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = {
    Accept: 'application/json',
    ...authHeaders(await getTokens()),
    ...(init.body ? { 'Content-Type': 'application/json' } : {}),
  };
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
    });
  } catch {
    throw new CompanionError(0, companionDown());
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiError | null;
    throw new CompanionError(
      res.status,
      body?.error.message ?? `The companion answered ${res.status}.`,
      body?.error.field,
    );
  }
  return res;
}

/** GETs or POSTs JSON. */
export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await send(path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
  return (await res.json()) as T;
}

/** Downloads a response as a Blob (the transcript). */
export async function download(path: string): Promise<Blob> {
  return (await send(path, { headers: { Accept: '*/*' } })).blob();
}

/** Streams a run's events until the server ends the stream or `signal` aborts. */
export async function streamRunEvents(
  runId: string,
  onEvent: (event: RunEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const res = await send(`/api/runs/${encodeURIComponent(runId)}/events`, {
    headers: { Accept: 'text/event-stream' },
    signal,
  });
  const parse = createSseParser((event, data) => onEvent({ event, data: JSON.parse(data) as unknown } as RunEvent));
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    parse(value);
  }
}
