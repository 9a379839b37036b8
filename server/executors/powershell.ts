/**
 * The tenant executor: one warm pwsh per signed-in admin (tenant id + object id, never shared), connected to
 * Exchange Online with the admin's own delegated token, running the catalog's cmdlets through the helper module.
 * The wire format is in powershell/envelope.ts, the process handling in powershell/pwsh-process.ts.
 */
import { CMDLETS, type Actor, type CmdletCall, type CmdletResult, type ExchangeSession } from '../../src/runbook/types.ts';
import { CallInterruptedError, ExecutorBusyError, SessionStartError, type Executor, type SessionCredentials } from './types.ts';
import { PwshProcess, type PwshProcessOptions } from './powershell/pwsh-process.ts';

export interface PowerShellExecutorOptions {
  /** pwsh executable (default: NODE_POWERSHELL, else `pwsh` on PATH). */
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

/** Reads the executor's settings from the environment; a bad number fails loudly with what was received. */
export function powerShellOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): PowerShellExecutorOptions {
  return {
    executable: env.NODE_POWERSHELL || undefined,
    modulePath: env.RUNBOOK_PSMODULEPATH || undefined,
    idleMs: seconds(env, 'RUNBOOK_PS_IDLE'),
    maxSessions: positiveInteger(env, 'RUNBOOK_PS_MAX'),
    callTimeoutMs: seconds(env, 'RUNBOOK_PS_CALL_TIMEOUT'),
  };
}

/** Reads a positive integer setting, or undefined when it is not set. */
function positiveInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number >= 1, got "${raw}"`);
  return value;
}

/** Reads a duration in seconds and returns milliseconds. */
function seconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = positiveInteger(env, name);
  return value === undefined ? undefined : value * 1000;
}

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Rejects calls the helper would refuse anyway, before a process is involved. */
function checkCall(call: CmdletCall): void {
  if (!(CMDLETS as readonly string[]).includes(call.cmdlet)) throw new TypeError(`cmdlet not on the allow-list: ${call.cmdlet}`);
  for (const name of Object.keys(call.params)) {
    if (!PARAM_NAME.test(name)) throw new TypeError(`invalid parameter name for ${call.cmdlet}: ${JSON.stringify(name)}`);
  }
}

type Settings = Required<Omit<PowerShellExecutorOptions, 'modulePath' | 'env' | 'executable'>> & { process: PwshProcessOptions };

/** One admin's pwsh: started on demand, connected with their latest token, one call at a time. */
class AdminSession {
  readonly #settings: Settings;
  readonly #actor: Actor;
  readonly #onIdle: () => void;
  #token: string | undefined;
  #connectedToken: string | undefined;
  #process: PwshProcess | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #idleTimer: NodeJS.Timeout | undefined;
  #idleSince = Date.now();
  #busy = 0;

  constructor(settings: Settings, actor: Actor, onIdle: () => void) {
    this.#settings = settings;
    this.#actor = actor;
    this.#onIdle = onIdle;
  }

  /** Milliseconds until this session closes for idleness (the full idle time while a call runs). */
  get idleRemainingMs(): number {
    return this.#busy > 0 ? this.#settings.idleMs : Math.max(0, this.#idleSince + this.#settings.idleMs - Date.now());
  }

  /** The live process, if any (tests and the benchmark read its pid and memory). */
  get process(): PwshProcess | undefined {
    return this.#process?.alive ? this.#process : undefined;
  }

  /**
   * Remembers the admin's Exchange token; the next call connects a fresh process when it differs from the connected one.
   * `replace: false` only fills in a missing token (a step holding an older session object must not roll it back).
   */
  setToken(token: string | undefined, replace: boolean): void {
    if (token && (replace || !this.#token)) this.#token = token;
  }

  /** Starts and connects the process now (sign-in), so the first step does not pay for it. */
  warm(): Promise<void> {
    return this.#serial(async () => {
      const failure = await this.#ensureConnected();
      if (failure) throw new SessionStartError('connect-failed', `Connect-ExchangeOnline failed for ${this.#actor.upn}: ${failure.error.message}`);
    });
  }

  /** Runs one cmdlet on this admin's process, starting or reconnecting it first when needed. */
  invoke(call: CmdletCall): Promise<CmdletResult> {
    checkCall(call);
    return this.#serial(async () => {
      const failure = await this.#ensureConnected();
      if (failure) return failure;
      return this.#process!.call({ op: 'cmdlet', cmdlet: call.cmdlet, params: call.params }, this.#settings.callTimeoutMs);
    });
  }

  /** Kills the process; the session can start a new one later. */
  dispose(): void {
    clearTimeout(this.#idleTimer);
    this.#process?.kill();
    this.#process = undefined;
    this.#connectedToken = undefined;
  }

  /** Runs `task` after every earlier task of this admin, and re-arms the idle timer when it is done. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    this.#busy++;
    clearTimeout(this.#idleTimer);
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined).finally(() => {
      if (--this.#busy > 0) return;
      this.#idleSince = Date.now();
      this.#idleTimer = setTimeout(this.#onIdle, this.#settings.idleMs);
      this.#idleTimer.unref();
    });
    return run;
  }

  /**
   * Connects with the current token, first replacing a dead process, or a live one connected with an older token:
   * a connection's ~200 MB stay after Disconnect-ExchangeOnline, so Microsoft advises one process per connection.
   * Returns the connect failure, if any.
   */
  async #ensureConnected(): Promise<Extract<CmdletResult, { ok: false }> | undefined> {
    if (!this.#token) throw new SessionStartError('exchange-token-missing', 'Running steps through PowerShell needs the signed-in admin\'s Exchange token (X-Exchange-Token).');
    if (this.#connectedToken !== undefined && this.#connectedToken !== this.#token) this.#process?.kill();
    if (!this.#process?.alive) {
      this.#process = await PwshProcess.start(this.#settings.process).catch((error: Error) => {
        throw new SessionStartError('powershell-unavailable', error.message);
      });
      this.#connectedToken = undefined;
    }
    if (this.#connectedToken === this.#token) return undefined;
    const token = this.#token;
    const result = await this.#process.call(
      { op: 'connect', params: { AccessToken: token, UserPrincipalName: this.#actor.upn } },
      this.#settings.startTimeoutMs,
    ).catch((error: unknown) => {
      if (!(error instanceof CallInterruptedError)) throw error;
      throw new SessionStartError('connect-failed', `Connect-ExchangeOnline did not finish within ${this.#settings.startTimeoutMs} ms.`);
    });
    // The connect line carried the token: pwsh must not keep it in its history until the next call.
    await this.#process.clearHistory(this.#settings.startTimeoutMs);
    if (!result.ok) return { ok: false, error: { ...result.error, message: result.error.message.replaceAll(token, '[token]') } };
    this.#connectedToken = token;
    return undefined;
  }
}

/** The executor `RUNBOOK_EXECUTOR=powershell` selects (tenant mode's default). */
export class PowerShellExecutor implements Executor {
  readonly name = 'powershell' as const;
  readonly #settings: Settings;
  readonly #sessions = new Map<string, AdminSession>();

  constructor(options: PowerShellExecutorOptions = {}) {
    const startTimeoutMs = options.startTimeoutMs ?? 120_000;
    this.#settings = {
      idleMs: options.idleMs ?? 15 * 60_000,
      maxSessions: options.maxSessions ?? 4,
      callTimeoutMs: options.callTimeoutMs ?? 120_000,
      startTimeoutMs,
      process: {
        executable: options.executable ?? process.env.NODE_POWERSHELL ?? 'pwsh',
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
    return { invoke: async (call) => this.#admin(creds, false).invoke(call) };
  }

  /** Starts and connects the admin's pwsh ahead of the first step. */
  async warm(creds: SessionCredentials): Promise<void> {
    await this.#admin(creds, true).warm();
  }

  /** Ends the admin's pwsh (sign-out). */
  async end(actor: Actor): Promise<void> {
    const key = sessionKey(actor);
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
    return this.#sessions.get(sessionKey(actor))?.process;
  }

  /** Finds or creates the admin's session, within the cap on processes, and hands it the newest token. */
  #admin(creds: SessionCredentials, replaceToken: boolean): AdminSession {
    const key = sessionKey(creds.actor);
    let admin = this.#sessions.get(key);
    if (!admin) {
      if (this.#sessions.size >= this.#settings.maxSessions) {
        const soonest = Math.min(...[...this.#sessions.values()].map((s) => s.idleRemainingMs));
        throw new ExecutorBusyError(
          `All ${this.#settings.maxSessions} PowerShell sessions are in use by other admins; try again shortly (RUNBOOK_PS_MAX raises the cap).`,
          Math.max(1, Math.ceil(soonest / 1000)),
        );
      }
      const created = new AdminSession(this.#settings, creds.actor, () => {
        created.dispose();
        if (this.#sessions.get(key) === created) this.#sessions.delete(key);
      });
      admin = created;
      this.#sessions.set(key, admin);
    }
    admin.setToken(creds.exchangeToken, replaceToken);
    return admin;
  }
}

/** Sessions are per admin: tenant id and object id together. */
function sessionKey(actor: Actor): string {
  return `${actor.tid}/${actor.oid}`;
}

/** Creates the PowerShell executor (the API's executor factory calls this). */
export function createPowerShellExecutor(options: PowerShellExecutorOptions = {}): PowerShellExecutor {
  return new PowerShellExecutor(options);
}
