/**
 * The simulated Exchange Online service: one state per sandbox tenant, cmdlets bound and answered as the real service
 * does (exchange-facts.md), and the customization timeline on an injectable clock.
 *
 * Timeline of a dehydrated tenant after Enable-OrganizationCustomization at time T:
 *   IsDehydrated reads True until T + customizationDelay, then False;
 *   writes fail with the dehydrated error until T + customizationDelay + propagationDelay (the real service's lag);
 *   application role assignments fail with the delegating-assignment error for another delegationDelay (field reports).
 */
import type { CmdletCall, CmdletResult, CmdletValue } from '../../src/runbook/core/cmdlets.ts';
import { bind } from './binding.ts';
import { CMDLET_HANDLERS } from './cmdlets/index.ts';
import { CmdletError, exoErrors } from './errors.ts';
import { SEED_VERSION, type TenantState } from './state.ts';
import { findSandboxTenant } from './tenants/index.ts';
import type { SandboxTenant } from './tenants/shared.ts';

/** Where tenant states live between restarts (the companion keeps them in SQLite with the run records). */
export interface SimulatorStore {
  load(tid: string): string | undefined;
  save(tid: string, json: string): void;
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
}

/** The delays from `RUNBOOK_CUSTOMIZATION_DELAY`, `_PROPAGATION_DELAY`, `_DELEGATION_DELAY` (seconds; defaults 45, 20, 30). */
export function sandboxDelaysFromEnv(
  env: Record<string, string | undefined>,
): Required<Pick<SimulatorOptions, 'customizationDelayMs' | 'propagationDelayMs' | 'delegationDelayMs'>> {
  const seconds = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback * 1000;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds >= 0, got "${raw}"`);
    return value * 1000;
  };
  return {
    customizationDelayMs: seconds('RUNBOOK_CUSTOMIZATION_DELAY', 45),
    propagationDelayMs: seconds('RUNBOOK_PROPAGATION_DELAY', 20),
    delegationDelayMs: seconds('RUNBOOK_DELEGATION_DELAY', 30),
  };
}

/** Keeps states in memory only (tests, and the default when no store is given). */
export function memoryStore(): SimulatorStore {
  const saved = new Map<string, string>();
  return { load: (tid) => saved.get(tid), save: (tid, json) => void saved.set(tid, json) };
}

export class ExchangeSimulator {
  readonly #now: () => number;
  readonly #customizationDelayMs: number;
  readonly #propagationDelayMs: number;
  readonly #delegationDelayMs: number;
  readonly #store: SimulatorStore;
  readonly #states = new Map<string, TenantState>();

  constructor(options: SimulatorOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#customizationDelayMs = options.customizationDelayMs ?? 45_000;
    this.#propagationDelayMs = options.propagationDelayMs ?? 20_000;
    this.#delegationDelayMs = options.delegationDelayMs ?? 30_000;
    this.#store = options.store ?? memoryStore();
  }

  /** Runs one cmdlet in tenant `tid`; Exchange and binding errors come back as `{ ok: false }`, never thrown. */
  async invoke(tid: string, call: CmdletCall): Promise<CmdletResult> {
    const tenant = this.#tenant(tid);
    const handler = CMDLET_HANDLERS.get(String(call.cmdlet).toLowerCase());
    if (!handler) return { ok: false, error: exoErrors.commandNotFound(String(call.cmdlet)) };
    const state = this.#state(tenant);
    const now = this.#now();
    let changed = false;
    try {
      const bound = bind(handler, (call.params ?? {}) as Record<string, CmdletValue>);
      if (handler.write && !this.#writesAllowed(state, now)) throw new CmdletError(exoErrors.dehydrated());
      if (bound.WhatIf === true) return { ok: true, data: null };
      const delegationReadyAt = state.customizationEnabledAt === null
        ? null
        : state.customizationEnabledAt + this.#customizationDelayMs + this.#propagationDelayMs + this.#delegationDelayMs;
      const context = { tenant, state, now, isDehydrated: this.#isDehydrated(state, now), delegationReadyAt, changed: () => (changed = true) };
      const data = handler.run(context, bound);
      return { ok: true, data };
    } catch (err) {
      if (err instanceof CmdletError) return { ok: false, error: err.error };
      throw err;
    } finally {
      if (changed) this.#store.save(tid, JSON.stringify(state));
    }
  }

  /** Puts tenant `tid` back to its seed state (POST /api/sandbox/reset). */
  reset(tid: string): void {
    const tenant = this.#tenant(tid);
    const state = tenant.seed(this.#now());
    this.#states.set(tid, state);
    this.#store.save(tid, JSON.stringify(state));
  }

  /** The sandbox tenant for `tid`; anything else is a bug in the caller (tokens only carry sandbox tids here). */
  #tenant(tid: string): SandboxTenant {
    const tenant = findSandboxTenant(tid);
    if (!tenant) throw new Error(`not a sandbox tenant: ${tid}`);
    return tenant;
  }

  /** The tenant's state: cached, else stored, else freshly seeded (also when stored under an older seed). */
  #state(tenant: SandboxTenant): TenantState {
    const cached = this.#states.get(tenant.tid);
    if (cached) return cached;
    const stored = parseState(this.#store.load(tenant.tid));
    const state = stored ?? tenant.seed(this.#now());
    this.#states.set(tenant.tid, state);
    if (!stored) this.#store.save(tenant.tid, JSON.stringify(state));
    return state;
  }

  /** What IsDehydrated reads at `now`. */
  #isDehydrated(state: TenantState, now: number): boolean {
    return state.customizationEnabledAt === null || now < state.customizationEnabledAt + this.#customizationDelayMs;
  }

  /** Whether writes that need customization succeed at `now`. */
  #writesAllowed(state: TenantState, now: number): boolean {
    return state.customizationEnabledAt !== null && now >= state.customizationEnabledAt + this.#customizationDelayMs + this.#propagationDelayMs;
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
