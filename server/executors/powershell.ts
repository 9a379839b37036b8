/**
 * The tenant executor: one warm pwsh per signed-in admin (tenant id + object id, never shared), connected to
 * Exchange Online with the admin's own delegated token, running the catalog's cmdlets through the helper module.
 * One admin's session is powershell/admin-session.ts, one process powershell/pwsh-process.ts, the wire format
 * powershell/envelope.ts.
 */
import type { Actor, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import { actorKey } from '../auth/actor.ts';
import { inspectExchangeToken } from '../auth/exchange-token.ts';
import { ExecutorBusyError, SessionStartError, type Executor, type SessionCredentials } from './types.ts';
import { AdminSession, type SessionSettings } from './powershell/admin-session.ts';
import type { PwshProcess } from './powershell/pwsh-process.ts';
import { findPwsh } from './powershell/find-pwsh.ts';

export interface PowerShellExecutorOptions {
  /** pwsh executable (default: what find-pwsh.ts finds; the companion passes its configuration's NODE_POWERSHELL). */
  executable?: string;
  /** Module folders searched first (RUNBOOK_PSMODULEPATH), e.g. the stand-in ExchangeOnlineManagement. */
  modulePath?: string;
  /** Extra environment for every pwsh (the sandbox bridge's address and secret in rehearsals). */
  env?: Record<string, string>;
  /** A session unused this long is closed (RUNBOOK_PS_IDLE, seconds; default 15 minutes). */
  idleMs?: number;
  /** At most this many pwsh processes at once (RUNBOOK_PS_MAX; default 4). */
  maxSessions?: number;
  /** A cmdlet running longer is killed and its run ends `unknown` (RUNBOOK_PS_CALL_TIMEOUT, seconds; default 120). */
  callTimeoutMs?: number;
  /** Start-up (spawn + helper import) and Connect-ExchangeOnline each get this long (default 120 s). */
  startTimeoutMs?: number;
}

/** The executor `RUNBOOK_EXECUTOR=powershell` selects (tenant mode's default). */
export class PowerShellExecutor implements Executor {
  readonly name = 'powershell' as const;
  readonly #settings: SessionSettings;
  readonly #sessions = new Map<string, AdminSession>();

  constructor(options: PowerShellExecutorOptions = {}) {
    const startTimeoutMs = options.startTimeoutMs ?? 120_000;
    this.#settings = {
      idleMs: options.idleMs ?? 15 * 60_000,
      maxSessions: options.maxSessions ?? 4,
      callTimeoutMs: options.callTimeoutMs ?? 120_000,
      startTimeoutMs,
      process: {
        executable: options.executable ?? findPwsh().executable,
        modulePath: options.modulePath,
        env: options.env,
        startTimeoutMs,
      },
    };
  }

  /** The admin's session; its pwsh is started and connected on the first call if `warm` did not already. */
  async session(creds: SessionCredentials): Promise<ExchangeSession> {
    this.#admin(creds, true);
    // Looked up per call: after an idle close the admin gets a new session, counted against the cap like any other.
    return { invoke: async (call) => this.#admin(creds, false).invoke(call), upn: creds.actor.upn };
  }

  /** Starts and connects the admin's pwsh ahead of the first step. */
  async warm(creds: SessionCredentials): Promise<void> {
    await this.#admin(creds, true).warm();
  }

  /** Ends the admin's pwsh (sign-out). */
  async end(actor: Actor): Promise<void> {
    const key = actorKey(actor);
    this.#sessions.get(key)?.dispose();
    this.#sessions.delete(key);
  }

  /** Kills every pwsh (shutdown). */
  async close(): Promise<void> {
    for (const admin of this.#sessions.values()) admin.dispose();
    this.#sessions.clear();
  }

  /** The admin's live pwsh, if one runs (for tests and the benchmark). */
  processOf(actor: Actor): PwshProcess | undefined {
    return this.#sessions.get(actorKey(actor))?.process;
  }

  /**
   * Finds or creates the admin's session, within the cap on processes, and (`replaceToken`, a new request) hands it
   * the request's token once it is checked to be this admin's own Exchange token. Only a request with a token can
   * create a session: one that cannot start never takes a place under the cap.
   */
  #admin(creds: SessionCredentials, replaceToken: boolean): AdminSession {
    const key = actorKey(creds.actor);
    if (replaceToken && creds.exchangeToken !== undefined) inspectExchangeToken(creds.exchangeToken, creds.actor);
    const admin = this.#sessions.get(key);
    if (!admin) {
      if (!creds.exchangeToken) {
        throw new SessionStartError(
          'exchange-token-missing',
          "Running steps through PowerShell needs the signed-in admin's Exchange token (X-Exchange-Token).",
        );
      }
      if (this.#sessions.size >= this.#settings.maxSessions) {
        const soonest = Math.min(...[...this.#sessions.values()].map((s) => s.idleRemainingMs));
        throw new ExecutorBusyError(
          `All ${this.#settings.maxSessions} PowerShell sessions are in use by other admins; try again shortly (RUNBOOK_PS_MAX raises the cap).`,
          Math.max(1, Math.ceil(soonest / 1000)),
        );
      }
      // Called when the session goes idle, and at once when its first start fails: the place is given back.
      const created = new AdminSession(this.#settings, creds.actor, creds.exchangeToken, () => {
        created.dispose();
        if (this.#sessions.get(key) === created) this.#sessions.delete(key);
      });
      this.#sessions.set(key, created);
      return created;
    }
    if (replaceToken && creds.exchangeToken) admin.setToken(creds.exchangeToken);
    return admin;
  }
}

/** Creates the PowerShell executor (the API's executor factory calls this). */
export function createPowerShellExecutor(options: PowerShellExecutorOptions = {}): PowerShellExecutor {
  return new PowerShellExecutor(options);
}
