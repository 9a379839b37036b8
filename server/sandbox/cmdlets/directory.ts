/**
 * Distinguished names the sandbox reports for directory objects of a tenant (in "already exists" errors).
 */
import type { SandboxTenant } from '../tenants/shared.ts';

/** The DN of an object named `name` in the tenant's organization unit, under an optional container path. */
export function directoryDn(tenant: SandboxTenant, name: string, containers = ''): string {
  return `CN=${escapeRdn(name)},${containers}OU=${tenant.domain},OU=Microsoft Exchange Hosted Organizations,DC=${tenant.forest},DC=PROD,DC=OUTLOOK,DC=COM`;
}

/** Escapes a value for a distinguished name's CN, as Active Directory does (RFC 4514). */
function escapeRdn(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, '\\$&')
    .replace(/[\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ');
}
