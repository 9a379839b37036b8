/**
 * Read-only queries and verdicts the ApplicationImpersonation steps share.
 */
import type { ExchangeSession } from '../../core/cmdlets.ts';
import { asList, dataOrThrow, isNotFound, sameName } from '../../core/session.ts';
import type { ProbeResult } from '../../core/step.ts';
import { RBAC_PAGE } from '../rbac-for-applications/sections.ts';

/**
 * Why a tenant without the role cannot follow this guide; check-impersonation-role's and create-role-group's probes.
 */
export const ROLE_REMOVED: ProbeResult = {
  state: 'blocked',
  reason:
    'Microsoft removed ApplicationImpersonation from Exchange Online from February 2025 (MC718754), and this organization no longer has it. Grant the application access with RBAC for Applications instead.',
  guide: RBAC_PAGE.path,
};

/** The role group named `name`, or undefined when there is none. */
export async function findRoleGroup(exo: ExchangeSession, name: string): Promise<Record<string, unknown> | undefined> {
  const result = await exo.invoke({ cmdlet: 'Get-RoleGroup', params: { Identity: name } });
  if (!result.ok && isNotFound(result.error)) return undefined;
  return asList(dataOrThrow(result, [])).find((group) => sameName(group.Name, name));
}
