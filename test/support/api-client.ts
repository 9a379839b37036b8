/**
 * A signed-in admin's view of a running companion, as the page drives it: sign in, start a step, follow its event
 * stream to the end, read records. Shared by the fault and load tests and the benchmark.
 */
import type { RunRecord, SandboxSignInResponse } from '../../src/runbook/api.ts';
import { rawRequest, readEvents, type Reply } from './server.ts';

export interface AdminClient {
  upn: string;
  token: string;
  get(pathname: string): Promise<Reply>;
  post(pathname: string, body: unknown): Promise<Reply>;
  /** Starts `step` (202 expected) and returns the run id. */
  start(step: string, params?: unknown): Promise<string>;
  /** Starts `step`, follows its events to `end`, and returns the final record the stream carried. */
  run(step: string, params?: unknown): Promise<RunRecord>;
}

/** Signs in as `upn` on the companion at `port`. */
export async function signIn(port: number, upn: string): Promise<AdminClient> {
  const reply = await rawRequest(port, '/api/sandbox/sign-in', { method: 'POST', body: { user: upn } });
  if (reply.status !== 200) throw new Error(`sign-in of ${upn} answered ${reply.status}: ${reply.text}`);
  return clientFor(port, upn, (reply.json as SandboxSignInResponse).accessToken);
}

/** A client using an existing token. */
export function clientFor(port: number, upn: string, token: string): AdminClient {
  const get = (pathname: string) => rawRequest(port, pathname, { token });
  const post = (pathname: string, body: unknown) => rawRequest(port, pathname, { method: 'POST', token, body });
  const start = async (step: string, params: unknown = {}) => {
    const reply = await post('/api/runs', { step, params });
    if (reply.status !== 202) throw new Error(`${upn}: POST /api/runs ${step} answered ${reply.status}: ${reply.text}`);
    return reply.json.id as string;
  };
  return {
    upn,
    token,
    get,
    post,
    start,
    async run(step, params) {
      const id = await start(step, params);
      const { status, events } = await readEvents(port, `/api/runs/${id}/events`, token, {}, 60_000);
      const end = events.at(-1);
      if (status !== 200 || end?.event !== 'end')
        throw new Error(`${upn}: events of ${step} ended without a record (${status})`);
      return end.data as RunRecord;
    },
  };
}

/** Milliseconds `task` took, with its result. */
export async function timed<T>(task: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await task();
  return [performance.now() - started, value];
}
