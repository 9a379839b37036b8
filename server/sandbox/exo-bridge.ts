/**
 * The sandbox tenants, reachable from pwsh: a small HTTP listener on 127.0.0.1 (random port) that the stand-in
 * ExchangeOnlineManagement module (test/fixtures/psmodules) calls. `/connect` checks the Exchange token the way
 * Exchange Online would and opens a bridge session for its tenant; `/cmdlet` checks the session's token again (Exchange
 * Online's REST calls each carry the token, so one that expired mid-session is refused) and runs the call on the
 * simulator. Tenant behaviour is therefore written once, in TypeScript, and rehearsals through real pwsh meet exactly
 * the sandbox. The Exchange-shaped test service (test/fixtures/exchange-online) serves the same protocol with its own
 * token check. Every request must carry the per-process secret, so other local programs cannot drive the sandbox.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CmdletCall, type CmdletResult, CMDLETS, type CmdletValue } from '../../src/runbook/core/cmdlets.ts';

export interface ExoBridgeOptions {
  /**
   * Runs one cmdlet on a sandbox tenant for the signed-in admin `caller`, the checked UPN (the simulator's entry
   * point).
   */
  invoke(tid: string, call: CmdletCall, caller?: string): Promise<CmdletResult>;
  /**
   * Checks an Exchange token for `Connect-ExchangeOnline -UserPrincipalName <upn>` (signature, issuer, audience, scope,
   * expiry, user) and returns its tenant; throws with the refusal text pwsh shows (the token is blanked out of it).
   */
  verifyExchangeToken(token: string, upn: string): Promise<{ tid: string }>;
}

export interface ExoBridge {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** The environment the stand-in module reads (give it to the PowerShell executor's `env`). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const SECRET_HEADER = 'x-runbook-bridge-secret';

/** Starts the bridge on a random port of 127.0.0.1. */
export async function startExoBridge(options: ExoBridgeOptions): Promise<ExoBridge> {
  const secret = randomBytes(32).toString('base64url');
  // Bridge session id -> what Connect was given; kept in memory only, for the per-call check.
  const sessions = new Map<string, { token: string; upn: string; tid: string }>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, 500, failure(`Sandbox bridge failed: ${(error as Error).message}`)),
    );
  });

  /** Routes one request after checking the secret. */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || !hasSecret(req.headers[SECRET_HEADER], secret))
      return send(res, 403, failure('Forbidden.'));
    const body = await readJson(req);
    if (req.url === '/connect') return send(res, 200, await connect(body));
    if (req.url === '/cmdlet') return send(res, 200, await cmdlet(body));
    send(res, 404, failure(`No bridge route ${req.url}`));
  }

  /** Checks the token like Exchange Online would: the tenant it is for, or the refusal (never quoting the token). */
  async function check(token: string, upn: string): Promise<{ tid: string } | CmdletResult> {
    try {
      return await options.verifyExchangeToken(token, upn);
    } catch (error) {
      return failure((error as Error).message.replaceAll(token, '[token]'), 'System.UnauthorizedAccessException');
    }
  }

  /** Opens a session for the token's tenant. */
  async function connect(body: Record<string, unknown>): Promise<unknown> {
    if (typeof body.token !== 'string' || body.token === '')
      return failure('Connect-ExchangeOnline needs -AccessToken.');
    const upn = typeof body.upn === 'string' ? body.upn : '';
    const checked = await check(body.token, upn);
    if (!('tid' in checked)) return checked;
    const session = randomUUID();
    sessions.set(session, { token: body.token, upn, tid: checked.tid });
    return { ok: true, session, tenantId: checked.tid };
  }

  /** Runs one cmdlet for the tenant of the caller's bridge session, once its token still passes the check. */
  async function cmdlet(body: Record<string, unknown>): Promise<unknown> {
    const connected = typeof body.session === 'string' ? sessions.get(body.session) : undefined;
    if (!connected) return failure('Not connected: run Connect-ExchangeOnline first.');
    if (!(CMDLETS as readonly unknown[]).includes(body.cmdlet))
      return failure(`The sandbox has no cmdlet ${String(body.cmdlet)}.`);
    if (typeof body.params !== 'object' || body.params === null || Array.isArray(body.params))
      return failure('params must be an object.');
    const checked = await check(connected.token, connected.upn);
    if (!('tid' in checked)) return checked;
    return options.invoke(
      connected.tid,
      { cmdlet: body.cmdlet as CmdletCall['cmdlet'], params: body.params as Record<string, CmdletValue> },
      connected.upn,
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    env: { RUNBOOK_EXO_BRIDGE_URL: url, RUNBOOK_EXO_BRIDGE_SECRET: secret },
    close: () =>
      new Promise((resolve) => {
        sessions.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A failed answer in the simulator's own shape. */
function failure(message: string, type = 'System.InvalidOperationException'): CmdletResult {
  return { ok: false, error: { message, type } };
}

/** Compares the secret in constant time. */
function hasSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Reads a JSON object body of at most 1 MB. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body over 1 MB');
    chunks.push(chunk);
  }
  const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Writes a JSON answer. */
function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
