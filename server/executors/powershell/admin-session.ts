/**
 * One admin's pwsh session for the PowerShell executor: started on demand, connected with the admin's latest Exchange
 * token, one call at a time, closed when idle, and given up at once when it never managed to start.
 */
import { type Actor, type CmdletCall, type CmdletResult, CMDLETS } from '../../../src/runbook/core/cmdlets.ts';
import { exchangeTokenProblems, readExchangeToken } from '../../auth/exchange-token.ts';
import { CallInterruptedError, ExchangeConnectError, SessionStartError } from '../types.ts';
import { PwshProcess, type PwshProcessOptions } from './pwsh-process.ts';

/** The executor's settings with defaults applied. */
export interface SessionSettings {
  idleMs: number;
  maxSessions: number;
  callTimeoutMs: number;
  startTimeoutMs: number;
  process: PwshProcessOptions;
}

const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Rejects calls the helper would refuse anyway, before a process is involved. */
function checkCall(call: CmdletCall): void {
  if (!(CMDLETS as readonly string[]).includes(call.cmdlet))
    throw new TypeError(`cmdlet not on the allow-list: ${call.cmdlet}`);
  for (const name of Object.keys(call.params)) {
    if (!PARAM_NAME.test(name))
      throw new TypeError(`invalid parameter name for ${call.cmdlet}: ${JSON.stringify(name)}`);
  }
}

/** One admin's pwsh: started on demand, connected with their latest token, one call at a time. */
export class AdminSession {
  readonly #settings: SessionSettings;
  readonly #actor: Actor;
  readonly #release: () => void;
  #token: string;
  #connectedToken: string | undefined;
  #everConnected = false;
  #process: PwshProcess | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #idleTimer: NodeJS.Timeout | undefined;
  #idleSince = Date.now();
  #busy = 0;

  /** `release` is called when the session is idle for `idleMs`, or as soon as its first start has failed. */
  constructor(settings: SessionSettings, actor: Actor, token: string, release: () => void) {
    this.#settings = settings;
    this.#actor = actor;
    this.#token = token;
    this.#release = release;
    // A session that is created but never called still gives its place back.
    this.#idleTimer = setTimeout(this.#release, settings.idleMs);
    this.#idleTimer.unref();
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
   * Remembers the admin's newest Exchange token; the next call connects a fresh process when it differs from the
   * connected one.
   */
  setToken(token: string): void {
    this.#token = token;
  }

  /** Starts and connects the process now (sign-in), so the first step does not pay for it. */
  warm(): Promise<void> {
    return this.#serial(() => this.#ensureConnected());
  }

  /**
   * Runs one cmdlet on this admin's process, starting or reconnecting it first when needed. A refused connect throws
   * (ExchangeConnectError): it is no answer of the cmdlet, and every step meets it alike.
   */
  invoke(call: CmdletCall): Promise<CmdletResult> {
    checkCall(call);
    return this.#serial(async () => {
      await this.#ensureConnected();
      return this.#process!.call(
        { op: 'cmdlet', cmdlet: call.cmdlet, params: call.params },
        this.#settings.callTimeoutMs,
      );
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
    this.#queue = run
      .catch(() => undefined)
      .finally(() => {
        if (--this.#busy > 0) return;
        // Never connected (pwsh did not start, or Connect-ExchangeOnline refused): nothing to keep a place for.
        if (!this.#everConnected) return this.#release();
        this.#idleSince = Date.now();
        this.#idleTimer = setTimeout(this.#release, this.#settings.idleMs);
        this.#idleTimer.unref();
      });
    return run;
  }

  /**
   * Connects with the current token, first replacing a dead process, or a live one connected with an older token:
   * a connection's ~200 MB stay after Disconnect-ExchangeOnline, so Microsoft advises one process per connection.
   * Throws ExchangeConnectError when Connect-ExchangeOnline refuses the token.
   */
  async #ensureConnected(): Promise<void> {
    if (this.#connectedToken !== undefined && this.#connectedToken !== this.#token) this.#process?.kill();
    if (!this.#process?.alive) {
      this.#process = await PwshProcess.start(this.#settings.process).catch((error: Error) => {
        throw new SessionStartError('powershell-unavailable', error.message);
      });
      this.#connectedToken = undefined;
    }
    if (this.#connectedToken === this.#token) return;
    const token = this.#token;
    const result = await this.#process
      .call(
        { op: 'connect', params: { AccessToken: token, UserPrincipalName: this.#actor.upn } },
        this.#settings.startTimeoutMs,
      )
      .catch((error: unknown) => {
        if (!(error instanceof CallInterruptedError)) throw error;
        throw new SessionStartError(
          'connect-failed',
          `Connect-ExchangeOnline did not finish within ${this.#settings.startTimeoutMs} ms.`,
        );
      });
    // The connect line carried the token: pwsh must not keep it in its history until the next call.
    await this.#process.clearHistory(this.#settings.startTimeoutMs);
    if (!result.ok) {
      const error = { ...result.error, message: result.error.message.replaceAll(token, '[token]') };
      const problems = exchangeTokenProblems(readExchangeToken(token), Date.now(), { actor: this.#actor }).map(
        (p) => p.problem,
      );
      throw new ExchangeConnectError(this.#actor.upn, error, problems);
    }
    this.#connectedToken = token;
    this.#everConnected = true;
  }
}
