/**
 * Shared set-up for the pwsh tests: finds pwsh (support/pwsh.ts: NODE_POWERSHELL, else where it is installed), skips
 * loudly without it (but fails under CI=true), and starts the sandbox bridge in front of a simulator with the stand-in
 * module first.
 */
import path from 'node:path';
import type { Actor, CmdletCall, CmdletResult } from '../../src/runbook/core/cmdlets.ts';
import { startExoBridge, type ExoBridge, type ExoBridgeOptions } from '../../server/sandbox/exo-bridge.ts';
import { PowerShellExecutor, type PowerShellExecutorOptions } from '../../server/executors/powershell.ts';
import { findPwsh } from './pwsh.ts';

export const STAND_IN_MODULES = path.resolve(import.meta.dirname, '..', 'fixtures', 'psmodules');
export const STAND_IN_MANIFEST = path.join(
  STAND_IN_MODULES,
  'ExchangeOnlineManagement',
  '3.9.2',
  'ExchangeOnlineManagement.psd1',
);

/** The pwsh the tests use; node-powershell (so the executor) finds it through NODE_POWERSHELL. */
export const pwsh = findPwsh();
if (pwsh) process.env.NODE_POWERSHELL = pwsh;
/** `node:test` option that skips a suite when pwsh is missing. */
export const skipWithoutPwsh = pwsh ? false : 'pwsh not installed (see the warning above)';

export const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
export const FABRIKAM = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';

/**
 * The two shapes the stand-in writes Exchange errors in (RUNBOOK_STANDIN_ERROR_SHAPE): `Ex<code>|<type>|<text>`,
 * `||<text>`.
 */
export const ERROR_SHAPES = ['coded', 'bare'] as const;
export type ErrorShape = (typeof ERROR_SHAPES)[number];

/** A signed-in admin of a sandbox tenant. */
export function admin(tid: string, oid: string, upn: string): Actor {
  return { tid, oid, upn };
}

const TEST_KID = 'test-exchange-token';

/**
 * An Exchange token of `actor` the test verifier accepts, shaped like the real one (aud, tid, oid, scp, exp), so the
 * executor's own inspection passes; the random signature lets tests look for it in places it must not be. `claims`
 * changes or (undefined) removes claims.
 */
export function exchangeToken(actor: Actor, claims: Record<string, unknown> = {}): string {
  const payload: Record<string, unknown> = {
    aud: 'https://outlook.office365.com',
    tid: actor.tid,
    oid: actor.oid,
    upn: actor.upn,
    scp: 'Exchange.Manage',
    exp: Math.floor(Date.now() / 1000) + 3600,
    ...claims,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete payload[k];
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${b64({ alg: 'RS256', kid: TEST_KID })}.${b64(payload)}.${Buffer.from(crypto.randomUUID()).toString('base64url')}`;
}

/** Accepts the tokens `exchangeToken` makes, like the sandbox issuer's verifier accepts its own. */
export async function verifyTestToken(token: string): Promise<{ tid: string }> {
  const [header, payload] = token.split('.').map((part) => {
    try {
      return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  });
  if (header?.kid !== TEST_KID || typeof payload?.tid !== 'string') throw new Error('signature verification failed');
  return { tid: payload.tid };
}

/** Everything a pwsh test needs: the bridge, an executor wired to it, and the calls the simulator received. */
export interface Rig {
  bridge: ExoBridge;
  executor: PowerShellExecutor;
  received: Array<{ tid: string; call: CmdletCall }>;
  close(): Promise<void>;
}

/**
 * Starts a bridge in front of `invoke` and an executor whose pwsh loads the stand-in module (`options.env` adds to the
 * bridge's).
 */
export async function startRig(
  invoke: (tid: string, call: CmdletCall, caller?: string) => Promise<CmdletResult>,
  options: PowerShellExecutorOptions = {},
  verifyExchangeToken: ExoBridgeOptions['verifyExchangeToken'] = verifyTestToken,
): Promise<Rig> {
  const received: Rig['received'] = [];
  const bridge = await startExoBridge({
    verifyExchangeToken,
    invoke: (tid, call, caller) => {
      received.push({ tid, call });
      return invoke(tid, call, caller);
    },
  });
  const executor = new PowerShellExecutor({
    executable: pwsh,
    modulePath: STAND_IN_MODULES,
    ...options,
    env: { ...bridge.env, ...options.env },
  });
  return {
    bridge,
    executor,
    received,
    close: async () => {
      await executor.close();
      await bridge.close();
    },
  };
}
