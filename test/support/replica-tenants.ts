/**
 * Many independent copies of the `contoso` sandbox tenant, one per simulated admin, for the load test and the
 * benchmark. The real sandbox has one admin per tenant, and the seed flow changes tenant-wide state (customization),
 * so 50 admins in one tenant would step on each other. Each replica is a sandbox tenant of its own (its own tenant id
 * and admin, seeded as contoso in 2023), handed to the companion through its `sandboxTenants` override: sign-in,
 * token verification (the tenant allow-list is built from the admins), the simulator, the run engine, reset and the
 * HTTP API are the companion's own code.
 */
import { createHash } from 'node:crypto';
import type { SandboxAdmin } from '../../src/runbook/api.ts';
import { findSandboxTenant, sandboxAdmins } from '../../server/sandbox/tenants/index.ts';
import type { SandboxTenant } from '../../server/sandbox/tenants/shared.ts';

const CONTOSO_TID = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';

/** A stable, GUID-shaped tenant id for replica `index`. */
function replicaTid(index: number): string {
  const h = createHash('sha256').update(`runbook-replica:${index}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** `count` copies of contoso as in 2023: contoso-01 ... with admin-01@contoso.onmicrosoft.com ... */
export function replicaTenants(count: number): SandboxTenant[] {
  const contoso = findSandboxTenant(CONTOSO_TID)!;
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    const upn = `admin-${n}@contoso.onmicrosoft.com`;
    return {
      ...contoso,
      name: `contoso-${n}`,
      tid: replicaTid(i + 1),
      description: 'A copy of contoso as in 2023, for load tests',
      admins: [{ upn, name: `Replica Admin ${n}`, explicitMember: true }],
      // The replica's admin is an explicit member of Organization Management, as contoso's own admin is.
      seed: (now: number) => {
        const state = contoso.seed(now);
        state.roleGroups.find((g) => g.name === 'Organization Management')!.members.push(upn);
        return state;
      },
    };
  });
}

/** The admins of `count` replicas, one per tenant. */
export function replicaAdmins(count: number): SandboxAdmin[] {
  return sandboxAdmins(replicaTenants(count));
}
