/**
 * The sandbox executor: sessions on the in-process simulator, one per signed-in admin, bound to the admin's tenant.
 */
import type { Actor, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import { actorKey } from '../auth/actor.ts';
import { inspectExchangeToken } from '../auth/exchange-token.ts';
import type { ExchangeSimulator } from '../sandbox/simulator.ts';
import type { Executor, SessionCredentials } from './types.ts';

export class SandboxExecutor implements Executor {
  readonly name = 'sandbox';
  readonly #simulator: ExchangeSimulator;
  readonly #sessions = new Map<string, ExchangeSession>();

  constructor(simulator: ExchangeSimulator) {
    this.#simulator = simulator;
  }

  /**
   * The admin's session; every call runs in the admin's own tenant, whatever the call says. The simulator needs no
   * Exchange token, but one that is sent must be the admin's own, as with the PowerShell executor.
   */
  async session({ actor, exchangeToken }: SessionCredentials): Promise<ExchangeSession> {
    if (exchangeToken !== undefined) inspectExchangeToken(exchangeToken, actor);
    const key = actorKey(actor);
    const existing = this.#sessions.get(key);
    if (existing) return existing;
    if (!this.#simulator.hasTenant(actor.tid)) throw new Error(`no sandbox tenant has the tenant id ${actor.tid}`);
    const session: ExchangeSession = {
      invoke: (call) => this.#simulator.invoke(actor.tid, call, actor.upn),
      upn: actor.upn,
    };
    this.#sessions.set(key, session);
    return session;
  }

  /** Nothing to start: the simulator is in process. */
  async warm(creds: SessionCredentials): Promise<void> {
    await this.session(creds);
  }

  /** Forgets the admin's session. */
  async end(actor: Actor): Promise<void> {
    this.#sessions.delete(actorKey(actor));
  }

  /** Forgets every session. */
  async close(): Promise<void> {
    this.#sessions.clear();
  }
}
