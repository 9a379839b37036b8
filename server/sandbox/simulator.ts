/**
 * The simulated Exchange Online service: one state per sandbox tenant, cmdlets bound and answered as the real service
 * does (exchange-facts.md), and the customization timeline on an injectable clock.
 *
 * Timeline of a dehydrated tenant after Enable-OrganizationCustomization at time T (a modelling choice: no Microsoft
 * source gives a wait time, so the delays are configurable and short by default, and their order follows the field
 * reports of exchange-facts.md section 3):
 *   IsDehydrated reads True until T + customizationDelay, then False;
 *   writes fail with the dehydrated error until T + customizationDelay + propagationDelay (False is not sufficient);
 *   application role assignments fail with the delegating-assignment error for another delegationDelay (field reports).
 * Role assignments (New-ManagementRoleAssignment, New-RoleGroup -Roles) are also refused to a caller who is not an
 * explicit member of Organization Management, the other reported cause of that error.
 */
import type { CmdletCall, CmdletResult } from '../../src/runbook/core/cmdlets.ts';
import { bind } from './binding.ts';
import { CMDLET_HANDLERS } from './cmdlets/index.ts';
import { CmdletError, exoErrors } from './errors.ts';
import { SEED_VERSION, type TenantState } from './state.ts';
import { SANDBOX_TENANTS } from './tenants/index.ts';
import type { SandboxTenant } from './tenants/shared.ts';

/** Where tenant states live between restarts (the companion keeps them in its run store). */
export interface SimulatorStore {
  load(tid: string): Promise<string | undefined>;
  save(tid: string, json: string): Promise<void>;
}

export interface SimulatorOptions {
  now?: () => number;
  /** From Enable-OrganizationCustomization until IsDehydrated reads False (RUNBOOK_CUSTOMIZATION_DELAY). */
  customizationDelayMs?: number;
  /** After IsDehydrated reads False, how long writes keep failing (RUNBOOK_PROPAGATION_DELAY). */
  propagationDelayMs?: number;
  /** After writes are allowed, how long application role assignments still fail (RUNBOOK_DELEGATION_DELAY). */
  delegationDelayMs?: number;
  store?: SimulatorStore;
  /** The tenants it simulates (default contoso and fabrikam; the load test uses copies of contoso). */
  tenants?: readonly SandboxTenant[];
}

/** Keeps states in memory only (tests, and the default when no store is given). */
export function memoryStore(): SimulatorStore {
  const saved = new Map<string, string>();
  return {
    load: async (tid) => saved.get(tid),
    save: async (tid, json) => void saved.set(tid, json),
  };
}

export class ExchangeSimulator {
  readonly #now: () => number;
  readonly #customizationDelayMs: number;
  readonly #propagationDelayMs: number;
  readonly #delegationDelayMs: number;
  readonly #store: SimulatorStore;
  readonly #tenants: readonly SandboxTenant[];
  /** Each tenant's state, loaded (or seeded) once; a promise so concurrent first calls share one load. */
  readonly #states = new Map<string, Promise<TenantState>>();
  /** Each tenant's last save, so saves reach the store in the order the changes were made. */
  readonly #saving = new Map<string, Promise<void>>();

  constructor(options: SimulatorOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#customizationDelayMs = options.customizationDelayMs ?? 45_000;
    this.#propagationDelayMs = options.propagationDelayMs ?? 20_000;
    this.#delegationDelayMs = options.delegationDelayMs ?? 30_000;
    this.#store = options.store ?? memoryStore();
    this.#tenants = options.tenants ?? SANDBOX_TENANTS;
  }

  /** Whether `tid` is one of the simulated tenants. */
  hasTenant(tid: string): boolean {
    return this.#tenants.some((t) => t.tid === tid);
  }

  /**
   * Runs one cmdlet in tenant `tid` for `caller` (the signed-in admin's UPN, when known); Exchange and binding errors
   * come back as `{ ok: false }`, never thrown.
   */
  async invoke(tid: string, call: CmdletCall, caller?: string): Promise<CmdletResult> {
    const tenant = this.#tenant(tid);
    const handler = CMDLET_HANDLERS.get(String(call.cmdlet).toLowerCase());
    if (!handler) return { ok: false, error: exoErrors.commandNotFound(String(call.cmdlet)) };
    const state = await this.#state(tenant);
    const now = this.#now();
    let changed = false;
    try {
      const bound = bind(handler, call.params ?? {});
      if (handler.write && !this.#writesAllowed(state, now)) throw new CmdletError(exoErrors.dehydrated());
      if (bound.WhatIf === true) return { ok: true, data: null };
      const delegationReadyAt =
        state.customizationEnabledAt === null
          ? null
          : state.customizationEnabledAt +
            this.#customizationDelayMs +
            this.#propagationDelayMs +
            this.#delegationDelayMs;
      const context = {
        tenant,
        state,
        now,
        isDehydrated: this.#isDehydrated(state, now),
        delegationReadyAt,
        changed: () => (changed = true),
        ...(caller === undefined ? {} : { caller }),
      };
      const data = handler.run(context, bound);
      return { ok: true, data };
    } catch (err) {
      if (err instanceof CmdletError) return { ok: false, error: err.error };
      throw err;
    } finally {
      if (changed) await this.#save(tid, state);
    }
  }

  /**
   * Sets the tenant's behaviour switches that its seed leaves off (today: a first Enable-OrganizationCustomization that
   * reports an error yet takes effect), so a rehearsal or a test can meet what admins report.
   */
  async setBehaviour(tid: string, behaviour: Partial<Pick<TenantState, 'firstEnableReportsError'>>): Promise<void> {
    const state = await this.#state(this.#tenant(tid));
    Object.assign(state, behaviour);
    await this.#save(tid, state);
  }

  /** Puts tenant `tid` back to its seed state (POST /api/sandbox/reset). */
  async reset(tid: string): Promise<void> {
    const tenant = this.#tenant(tid);
    const now = this.#now();
    const state: TenantState = { ...tenant.seed(now), resetAt: now };
    this.#states.set(tid, Promise.resolve(state));
    await this.#save(tid, state);
  }

  /** When tenant `tid` was last reset (epoch ms), or null while it never was. */
  async resetAt(tid: string): Promise<number | null> {
    return (await this.#state(this.#tenant(tid))).resetAt ?? null;
  }

  /** The sandbox tenant for `tid`; anything else is a bug in the caller (tokens only carry sandbox tids here). */
  #tenant(tid: string): SandboxTenant {
    const tenant = this.#tenants.find((t) => t.tid === tid);
    if (!tenant) throw new Error(`not a sandbox tenant: ${tid}`);
    return tenant;
  }

  /** The tenant's state: cached, else stored, else freshly seeded (also when stored under an older seed). */
  #state(tenant: SandboxTenant): Promise<TenantState> {
    let state = this.#states.get(tenant.tid);
    if (!state) {
      state = (async () => {
        const stored = parseState(await this.#store.load(tenant.tid));
        if (stored) return stored;
        const seeded = tenant.seed(this.#now());
        await this.#save(tenant.tid, seeded);
        return seeded;
      })();
      this.#states.set(tenant.tid, state);
      // A load the store refused is tried again on the next call instead of being remembered.
      state.catch(() => {
        if (this.#states.get(tenant.tid) === state) this.#states.delete(tenant.tid);
      });
    }
    return state;
  }

  /** Saves the state as it is now, after the tenant's previous save. */
  #save(tid: string, state: TenantState): Promise<void> {
    const json = JSON.stringify(state);
    const previous = this.#saving.get(tid) ?? Promise.resolve();
    const saved = previous.catch(() => {}).then(() => this.#store.save(tid, json));
    this.#saving.set(tid, saved);
    return saved;
  }

  /** What IsDehydrated reads at `now`. */
  #isDehydrated(state: TenantState, now: number): boolean {
    return state.customizationEnabledAt === null || now < state.customizationEnabledAt + this.#customizationDelayMs;
  }

  /** Whether writes that need customization succeed at `now`. */
  #writesAllowed(state: TenantState, now: number): boolean {
    return (
      state.customizationEnabledAt !== null &&
      now >= state.customizationEnabledAt + this.#customizationDelayMs + this.#propagationDelayMs
    );
  }
}

/** A stored state of the current seed version, or undefined (missing, unreadable or older). */
function parseState(json: string | undefined): TenantState | undefined {
  if (json === undefined) return undefined;
  try {
    const state = JSON.parse(json) as TenantState;
    return state.seedVersion === SEED_VERSION ? state : undefined;
  } catch {
    return undefined;
  }
}
