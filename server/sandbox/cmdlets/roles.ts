/**
 * Get-ManagementRole: the roles the tenant has (fabrikam's list no longer holds ApplicationImpersonation).
 */
import { CmdletError, exoErrors } from '../errors.ts';
import type { ManagementRole } from '../state.ts';
import type { CmdletHandler } from './context.ts';
import { isWildcard, matchesIdentity, str } from './identity.ts';

/** A role as Get-ManagementRole shows it. */
function showRole(role: ManagementRole) {
  return {
    Name: role.name,
    Identity: role.name,
    RoleType: role.roleType,
    IsRootRole: true,
    Description: role.description,
  };
}

export const roleCmdlets: CmdletHandler[] = [
  {
    name: 'Get-ManagementRole',
    params: { Identity: { type: 'string' }, RoleType: { type: 'string' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity) ?? '*';
      const roleType = str(bound.RoleType);
      const roles = state.roles.filter(
        (r) => matchesIdentity(r.name, identity) && (!roleType || matchesIdentity(r.roleType, roleType)),
      );
      if (!roles.length && !isWildcard(identity))
        throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
      return roles.map(showRole);
    },
  },
];
