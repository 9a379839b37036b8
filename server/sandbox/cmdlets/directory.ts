/**
 * Distinguished names the sandbox reports for directory objects of a tenant (in "already exists" errors).
 */
import type { SandboxTenant } from '../tenants/shared.ts';
import { escapeRdn } from './role-groups.ts';

/** The DN of an object named `name` in the tenant's organization unit, under an optional container path. */
export function directoryDn(tenant: SandboxTenant, name: string, containers = ''): string {
  return `CN=${escapeRdn(name)},${containers}OU=${tenant.domain},OU=Microsoft Exchange Hosted Organizations,DC=${tenant.forest},DC=PROD,DC=OUTLOOK,DC=COM`;
}
