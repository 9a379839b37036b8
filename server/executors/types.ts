/**
 * The seam between the run engine and whatever runs cmdlets: the in-process sandbox or node-powershell + pwsh.
 * Both return an ExchangeSession per signed-in admin; steps never know which one they talk to.
 */
import type { Actor, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';

export type ExecutorName = 'sandbox' | 'powershell';

/** Who the session is for, and (tenant mode / rehearsal) the admin's delegated token for Exchange. Never stored. */
export interface SessionCredentials {
  actor: Actor;
  exchangeToken?: string;
}

export interface Executor {
  readonly name: ExecutorName;
  /** The admin's session, started and connected if needed (one per tid + oid, never shared). */
  session(creds: SessionCredentials): Promise<ExchangeSession>;
  /** Starts and connects the admin's session ahead of the first step, so the first click is fast. */
  warm(creds: SessionCredentials): Promise<void>;
  /** Ends the admin's session (sign-out). */
  end(actor: Actor): Promise<void>;
  /** Disposes every session (shutdown). */
  close(): Promise<void>;
}

/**
 * Thrown by `ExchangeSession.invoke` when a call was cut off (timeout, killed or crashed process): whether the
 * change happened is not known, so the run ends `unknown` and the reader is pointed at the probe.
 */
export class CallInterruptedError extends Error {
  override name = 'CallInterruptedError';
}

/** Thrown when no session can be started now (e.g. the cap on PowerShell processes); the API answers 503. */
export class ExecutorBusyError extends Error {
  override name = 'ExecutorBusyError';
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Thrown when the admin's Exchange session cannot be opened: the request carried no Exchange token, PowerShell is
 * not usable on this machine, or Connect-ExchangeOnline refused. The API answers 400, 503 or 502 respectively.
 */
export class SessionStartError extends Error {
  override name = 'SessionStartError';
  readonly reason: 'exchange-token-missing' | 'powershell-unavailable' | 'connect-failed';
  constructor(reason: SessionStartError['reason'], message: string) {
    super(message);
    this.reason = reason;
  }
}
