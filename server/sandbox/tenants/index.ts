/**
 * The sandbox tenants: `contoso` as Exchange Online was in 2023 (dehydrated, ApplicationImpersonation available) and
 * `fabrikam` as it is in 2026 (customized long ago, the role removed). Each has an admin, the service account
 * svc-ews and a few mailboxes whose attributes let management scopes select some and not others. Seeds are grouped by
 * tenant (contoso.ts, fabrikam.ts), with what every tenant has in shared.ts.
 */
import type { SandboxAdmin } from '../../../src/runbook/api.ts';
import { CONTOSO } from './contoso.ts';
import { FABRIKAM } from './fabrikam.ts';
import type { SandboxTenant } from './shared.ts';

export const SANDBOX_TENANTS: readonly SandboxTenant[] = [CONTOSO, FABRIKAM];

/** The sandbox tenant with this tenant id, if any. */
export function findSandboxTenant(tid: string): SandboxTenant | undefined {
  return SANDBOX_TENANTS.find((t) => t.tid === tid);
}

/** The demo admins of `tenants` for the sign-in picker (`/api/config`), with their tenant's practice values. */
export function sandboxAdmins(tenants: readonly SandboxTenant[] = SANDBOX_TENANTS): SandboxAdmin[] {
  return tenants.flatMap((t) =>
    t.admins.map((a) => {
      const admin: SandboxAdmin = {
        upn: a.upn,
        name: a.name,
        tenant: t.name,
        tid: t.tid,
        description: a.description ?? t.description,
      };
      if (t.practiceValues) admin.practiceValues = t.practiceValues;
      return admin;
    }),
  );
}
