/**
 * The security suite's harness: one companion (sandbox mode, in process, rate limit raised so hundreds of hostile
 * requests are judged on their content, not their number), two signed-in admins with a finished run each, and the
 * checks every adversarial case ends with: the exact status (and error code / field), never a 500, nothing leaked in
 * the body (stack, token, internal path), and no state change (run records, in-flight runs, simulated tenants).
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import type { RunRecord, SandboxSignInResponse } from '../../src/runbook/api.ts';
import { ROOT } from './child-server.ts';
import {
  CONTOSO_ADMIN,
  CONTOSO_TID,
  FABRIKAM_ADMIN,
  FABRIKAM_TID,
  type Reply,
  type RequestOptions,
  type StartOptions,
  startServer,
  type TestServer,
} from './server.ts';

export interface Hostile {
  server: TestServer;
  contoso: SandboxSignInResponse;
  fabrikam: SandboxSignInResponse;
  /** A finished run of each admin. */
  contosoRun: RunRecord;
  fabrikamRun: RunRecord;
  /** The records and tenants as they are before any hostile case. */
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

export interface Expected {
  status: number;
  /** The API error code; omitted for answers Node's HTTP parser gives before the app sees the request. */
  code?: string;
  field?: string;
}

/** Starts the harness. */
export async function hostileServer(options: StartOptions = {}): Promise<Hostile> {
  const server = await startServer({ ...options, env: { RUNBOOK_RATE_LIMIT: '1000000', ...options.env } });
  const contoso = await server.signIn(CONTOSO_ADMIN);
  const fabrikam = await server.signIn(FABRIKAM_ADMIN);
  const finish = async (token: string) => {
    const started = await server.request('/api/runs', {
      method: 'POST',
      token,
      body: { step: 'check-impersonation-role' },
    });
    assert.equal(started.status, 202, started.text);
    for (let i = 0; i < 250; i++) {
      const run = (await server.request(`/api/runs/${started.json.id}`, { token })).json as RunRecord;
      if (run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the setup run did not finish');
  };
  const contosoRun = await finish(contoso.accessToken);
  const fabrikamRun = await finish(fabrikam.accessToken);
  const { store, engine } = server.companion;
  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        [contoso, fabrikam].map(async ({ account }) => {
          const actor = { tid: account.tid, oid: account.oid, upn: account.upn };
          return {
            runs: await store.listRuns(actor, 1000),
            inFlight: engine.inFlight(actor) ?? null,
            tenant: (await store.loadSandboxState(account.tid)) ?? null,
          };
        }),
      ),
    );
  return { server, contoso, fabrikam, contosoRun, fabrikamRun, snapshot, close: () => server.close(true) };
}

/** Secrets and internals that must never appear in a response. */
function forbiddenTexts(h: Hostile, extra: string[]): string[] {
  const signatures = [h.contoso, h.fabrikam]
    .flatMap((s) => [s.accessToken, s.exchangeToken])
    .map((t) => t.split('.')[2]!);
  return [
    ...signatures,
    ...extra.filter((t) => t.length >= 16),
    ROOT,
    h.server.dataDir,
    os.tmpdir() + '/',
    'node_modules',
    'server/',
    '.ts:',
  ];
}

/** Asserts the reply is the expected refusal, leaks nothing, and left the state as `before`. */
export async function assertRefused(
  h: Hostile,
  reply: Reply,
  expected: Expected,
  before: string,
  secrets: string[] = [],
): Promise<void> {
  const what = `${reply.status} ${reply.text.slice(0, 300)}`;
  assert.notEqual(reply.status, 500, what);
  assert.equal(reply.status, expected.status, what);
  if (expected.code !== undefined) {
    assert.equal(reply.json?.error?.code, expected.code, what);
    assert.equal(typeof reply.json.error.message, 'string');
    assert.deepEqual(Object.keys(reply.json), ['error'], 'nothing but the error');
  }
  if (expected.field !== undefined) {
    assert.equal(reply.json.error.field, expected.field, what);
    assert.ok(
      reply.json.error.message.startsWith(`${expected.field}: `),
      `the message names the field: ${reply.json.error.message}`,
    );
  }
  assert.doesNotMatch(reply.text, /\bat .+:\d+:\d+\)?/, 'no stack trace');
  for (const text of forbiddenTexts(h, secrets))
    assert.ok(!reply.text.includes(text), `the body must not contain ${text.slice(0, 40)}`);
  assert.equal(reply.headers['set-cookie'], undefined, 'no cookie is ever set');
  assert.equal(await h.snapshot(), before, 'no state change');
}

/** One request through the harness's server (Host defaults to the companion's own). */
export function send(h: Hostile, pathname: string, options: RequestOptions = {}): Promise<Reply> {
  return h.server.request(pathname, options);
}

/** Writes `raw` bytes on a fresh connection and returns the status line's code and everything answered. */
export function sendRaw(
  port: number,
  raw: string | Buffer,
  timeoutMs = 5_000,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms: ${text}`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.on('error', () => {
      /* a reset after the answer is fine */
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.end(raw);
  });
}

export { CONTOSO_TID, FABRIKAM_TID };
