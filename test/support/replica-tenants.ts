/**
 * Many independent copies of the `contoso` sandbox tenant, one per simulated admin, for the load test and the
 * benchmark. The real sandbox has one admin per tenant, and the seed flow changes tenant-wide state (customization),
 * so 50 admins in one tenant would step on each other. Each replica gets its own tenant id and admin, and its own
 * simulator (seeded as contoso in 2023), reached through the normal parts seam: sign-in, token verification (the
 * tenant allow-list is built from the admins), the run engine, reset and the HTTP API are the companion's own code.
 */
import { createHash } from 'node:crypto';
import type { SandboxAdmin } from '../../src/runbook/api.ts';
import type { CompanionParts } from '../../server/companion.ts';
import { SandboxExecutor } from '../../server/executors/sandbox.ts';
import type { Executor, SessionCredentials } from '../../server/executors/types.ts';
import { ExchangeSimulator, type SimulatorOptions } from '../../server/sandbox/simulator.ts';

export const CONTOSO_TID = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';

/** A stable, GUID-shaped tenant id for replica `index`. */
export function replicaTid(index: number): string {
  const h = createHash('sha256').update(`runbook-replica:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The admins of `count` replicas: admin-01@contoso.onmicrosoft.com ... each in its own tenant. */
export function replicaAdmins(count: number): SandboxAdmin[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return {
      upn: `admin-${n}@contoso.onmicrosoft.com`,
      name: `Replica Admin ${n}`,
      tenant: `contoso-${n}`,
      tid: replicaTid(i + 1),
      description: 'A copy of contoso as in 2023, for load tests',
    };
  });
}

/**
 * Replaces the sandbox tenants in `parts` with `count` contoso replicas (their states in memory: the test's data
 * folder still holds the run records). `simulator` sets the delays and clock of every replica.
 */
export function withReplicaTenants(parts: CompanionParts, count: number, simulator: Omit<SimulatorOptions, 'store'> = {}): CompanionParts {
  const admins = replicaAdmins(count);
  const simulators = new Map(admins.map((a) => [a.tid, new ExchangeSimulator(simulator)]));
  const simulatorOf = (tid: string) => {
    const found = simulators.get(tid);
    if (!found) throw new Error(`no replica tenant has the tenant id ${tid}`);
    return found;
  };
  const executor = (): Executor => {
    const sessions = new Map<string, SandboxExecutor>();
    const of = (tid: string) => {
      let e = sessions.get(tid);
      if (!e) sessions.set(tid, (e = new SandboxExecutor(simulatorOf(tid))));
      return e;
    };
    // Each replica's simulator holds the contoso seed, so the call runs there as contoso's admin (the simulator needs
    // no Exchange token; the API has already checked any that was sent against the replica admin).
    const asContoso = (creds: SessionCredentials): SessionCredentials => ({ actor: { ...creds.actor, tid: CONTOSO_TID } });
    return {
      name: 'sandbox',
      session: (creds) => of(creds.actor.tid).session(asContoso(creds)),
      warm: (creds) => of(creds.actor.tid).warm(asContoso(creds)),
      end: (actor) => of(actor.tid).end({ ...actor, tid: CONTOSO_TID }),
      close: async () => { await Promise.all([...sessions.values()].map((e) => e.close())); },
    };
  };
  return {
    ...parts,
    executor,
    sandbox: { admins, reset: (_store, tid) => simulatorOf(tid).reset(CONTOSO_TID) },
  };
}
