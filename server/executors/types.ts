/**
 * The seam between the run engine and whatever runs cmdlets: the in-process sandbox or node-powershell + pwsh.
 * Both return an ExchangeSession per signed-in admin; steps never know which one they talk to.
 */
import type { Actor, ExchangeSession, ExoError } from '../../src/runbook/core/cmdlets.ts';

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

/**
 * Connect-ExchangeOnline refused the admin's Exchange token: `error` is the module's answer as it came (`UnAuthorized`
 * from Exchange Online, which says no more), `problems` what the token's own claims show is wrong with it, each with
 * what to do (server/auth/exchange-token.ts). Runs that meet it fail with both; the API answers 502.
 */
export class ExchangeConnectError extends SessionStartError {
  override name = 'ExchangeConnectError';
  readonly error: ExoError;
  readonly problems: string[];
  constructor(upn: string, error: ExoError, problems: string[]) {
    const next =
      problems.length > 0
        ? problems.join(' ')
        : "Sign out and sign in again; if it keeps failing, check the app registration's Exchange.Manage permission and your Exchange role.";
    super('connect-failed', `Connect-ExchangeOnline failed for ${upn}: ${error.message.replace(/\.?$/, '.')} ${next}`);
    this.error = error;
    this.problems = problems;
  }
}
