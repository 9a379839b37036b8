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
export const STAND_IN_MANIFEST = path.join(STAND_IN_MODULES, 'ExchangeOnlineManagement', '3.9.2', 'ExchangeOnlineManagement.psd1');

/** The pwsh the tests use; node-powershell (so the executor) finds it through NODE_POWERSHELL. */
export const pwsh = findPwsh();
if (pwsh) process.env.NODE_POWERSHELL = pwsh;
/** `node:test` option that skips a suite when pwsh is missing. */
export const skipWithoutPwsh = pwsh ? false : 'pwsh not installed (see the warning above)';

export const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
export const FABRIKAM = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';

/** A signed-in admin of a sandbox tenant. */
export function admin(tid: string, oid: string, upn: string): Actor {
  return { tid, oid, upn };
}

/** A token the test verifier accepts for the tenant; the random part lets tests look for it in places it must not be. */
export function exchangeToken(tid: string): string {
  return `test-exchange-token.${tid}.${crypto.randomUUID()}`;
}

/** Accepts the tokens `exchangeToken` makes, like the sandbox issuer's verifier accepts its own. */
export async function verifyTestToken(token: string): Promise<{ tid: string }> {
  const match = /^test-exchange-token\.([0-9a-f-]{36})\.[0-9a-f-]{36}$/.exec(token);
  if (!match) throw new Error('signature verification failed');
  return { tid: match[1]! };
}

/** Everything a pwsh test needs: the bridge, an executor wired to it, and the calls the simulator received. */
export interface Rig {
  bridge: ExoBridge;
  executor: PowerShellExecutor;
  received: Array<{ tid: string; call: CmdletCall }>;
  close(): Promise<void>;
}

/** Starts a bridge in front of `invoke` and an executor whose pwsh loads the stand-in module. */
export async function startRig(
  invoke: (tid: string, call: CmdletCall) => Promise<CmdletResult>,
  options: PowerShellExecutorOptions = {},
  verifyExchangeToken: ExoBridgeOptions['verifyExchangeToken'] = verifyTestToken,
): Promise<Rig> {
  const received: Rig['received'] = [];
  const bridge = await startExoBridge({
    verifyExchangeToken,
    invoke: (tid, call) => {
      received.push({ tid, call });
      return invoke(tid, call);
    },
  });
  const executor = new PowerShellExecutor({ executable: pwsh, modulePath: STAND_IN_MODULES, env: bridge.env, ...options });
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
