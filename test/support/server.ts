/**
 * Test harness for the companion over real HTTP: a server on port 0 with its own data folder, raw requests (so tests
 * control Host, Origin and every other header), SSE reading, sandbox sign-in, and a gate that holds Exchange calls.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { SandboxSignInResponse } from '../../src/runbook/api.ts';
import { createHttpServer } from '../../server/http/server.ts';
import { createCompanion, type Companion, type Overrides } from '../../server/compose.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { CallInterruptedError, type Executor } from '../../server/executors/types.ts';
import { FakeClock } from './clock.ts';

export const CONTOSO_ADMIN = 'admin@contoso.onmicrosoft.com';
export const FABRIKAM_ADMIN = 'admin@fabrikam.onmicrosoft.com';
export const CONTOSO_TID = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
export const FABRIKAM_TID = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface RequestOptions {
  method?: string;
  token?: string;
  /** A value to send as JSON, or a string/Buffer sent as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestServer {
  companion: Companion;
  config: Config;
  port: number;
  origin: string;
  dataDir: string;
  request(pathname: string, options?: RequestOptions): Promise<Reply>;
  signIn(user: string): Promise<SandboxSignInResponse>;
  /** Stops the server and the companion (graceful, as on SIGTERM); keeps the data folder unless `removeData`. */
  close(removeData?: boolean): Promise<void>;
}

/**
 * The companion's own overrides (e.g. `executor` to wrap the configured one in a gate), plus the data folder and
 * environment. The clock is a virtual one unless given, so sandbox delays take no real time; event streams send
 * their heartbeat every 200 ms.
 */
export interface StartOptions extends Overrides {
  /** Reuse a data folder (restart tests); a fresh temporary one otherwise. */
  dataDir?: string;
  env?: Record<string, string>;
  /** The built site to serve, instead of `dist/`. */
  siteDir?: string;
}

/** A fresh temporary data folder. */
export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'runbook-test-'));
}

/** Starts a companion on 127.0.0.1:0 in sandbox mode. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const { dataDir = tempDataDir(), env, siteDir, ...overrides } = options;
  const config = loadConfig({ RUNBOOK_DATA_DIR: dataDir, PORT: '0', ...env }, []);
  if (siteDir) config.siteDir = siteDir;
  const companion = await createCompanion(config, {
    clock: new FakeClock(Date.now()),
    sseHeartbeatMs: 200,
    ...overrides,
  });
  const server = createHttpServer(companion.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const request = (pathname: string, opts: RequestOptions = {}) => rawRequest(port, pathname, opts);
  return {
    companion,
    config,
    port,
    origin,
    dataDir,
    request,
    async signIn(user) {
      const reply = await request('/api/sandbox/sign-in', { method: 'POST', body: { user } });
      if (reply.status !== 200) throw new Error(`sign-in failed: ${reply.status} ${reply.text}`);
      return reply.json as SandboxSignInResponse;
    },
    async close(removeData = false) {
      server.close();
      await companion.close();
      server.closeAllConnections();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One HTTP request with full control of the headers. */
export function rawRequest(port: number, pathname: string, opts: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    payload =
      typeof opts.body === 'string' || Buffer.isBuffer(opts.body)
        ? Buffer.from(opts.body as string)
        : Buffer.from(JSON.stringify(opts.body));
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method: opts.method ?? 'GET', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode!, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export interface SseEvent {
  event: string;
  id?: string;
  data: any;
}

/** Reads an SSE stream to its end (or until `timeoutMs`), returning its events and the response headers. */
export function readEvents(
  port: number,
  pathname: string,
  token: string,
  headers: Record<string, string> = {},
  timeoutMs = 10_000,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; events: SseEvent[]; comments: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, ...headers },
      },
      (res) => {
        let buffer = '';
        const events: SseEvent[] = [];
        let comments = 0;
        const timer = setTimeout(() => {
          req.destroy();
          reject(new Error(`SSE stream did not end within ${timeoutMs} ms: ${buffer}`));
        }, timeoutMs);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments += 1;
              const m = /^(\w+): ?(.*)$/.exec(line);
              if (m) fields[m[1]!] = m[2]!;
            }
            if (fields.event)
              events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data ?? 'null') });
          }
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode!, headers: res.headers, events, comments });
        });
      },
    );
    req.on('error', reject);
  });
}

/** Signs an arbitrary token with the sandbox issuer's own private key (read from the data folder). */
export async function signWithSandboxKey(
  dataDir: string,
  payload: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwk = JSON.parse(readFileSync(path.join(dataDir, 'sandbox-issuer-key.json'), 'utf8')) as JWK;
  const key = (await importJWK(jwk, 'RS256')) as CryptoKey;
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...header }).sign(key);
}

/** Decodes a JWT's header and payload without verifying (for building tampered variants). */
export function decodeParts(token: string): { header: Record<string, unknown>; payload: Record<string, any> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p!, 'base64url').toString()),
  };
}

/**
 * Holds every Exchange call of the wrapped executor until released (a run "in flight" for as long as a test wants),
 * after letting `hold(passing)`'s first `passing` calls through. Closing the executor cuts held calls off with
 * CallInterruptedError, as the PowerShell executor does.
 */
export function gated(inner: Executor): {
  executor: Executor;
  hold(passing?: number): void;
  release(): void;
  waiting(): number;
} {
  let gate: Promise<void> | undefined;
  let open = () => {};
  let cut = (_err: Error) => {};
  let waiting = 0;
  let passing = 0;
  const executor: Executor = {
    name: inner.name,
    async session(creds) {
      const session = await inner.session(creds);
      return {
        async invoke(call) {
          if (gate && passing > 0) passing -= 1;
          else if (gate) {
            waiting += 1;
            await gate;
            waiting -= 1;
          }
          return session.invoke(call);
        },
      };
    },
    warm: (creds) => inner.warm(creds),
    end: (actor) => inner.end(actor),
    async close() {
      cut(new CallInterruptedError('the executor closed'));
      await inner.close();
    },
  };
  return {
    executor,
    hold(pass = 0) {
      passing = pass;
      gate = new Promise((resolve, reject) => {
        open = resolve;
        cut = reject;
      });
      gate.catch(() => {}); // rejected on close even when no call is held
    },
    release() {
      gate = undefined;
      open();
    },
    waiting: () => waiting,
  };
}

/** Polls `check` every 20 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
