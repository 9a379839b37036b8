/**
 * Test-ServicePrincipalAuthorization: what RBAC for Applications grants a service principal, one row per role
 * assignment, and with -Resource whether that mailbox is in each assignment's scope ("Not Run" without it).
 */
import { findApplicationRole } from '../../../src/runbook/exchange/application-roles.ts';
import { CmdletError, exoErrors } from '../errors.ts';
import type { CmdletHandler } from './context.ts';
import { findMailbox, str } from './identity.ts';
import { requireScope, scopeContains } from './management-scopes.ts';
import { requireServicePrincipal } from './service-principals.ts';

export const authorizationCmdlets: CmdletHandler[] = [
  {
    name: 'Test-ServicePrincipalAuthorization',
    params: { Identity: { type: 'string', mandatory: true }, Resource: { type: 'string' } },
    shouldProcess: true,
    run({ tenant, state }, bound) {
      const sp = requireServicePrincipal(tenant, state, str(bound.Identity)!);
      const resource = str(bound.Resource);
      const mailbox = resource === undefined ? undefined : findMailbox(state.mailboxes, resource);
      if (resource !== undefined && !mailbox) throw new CmdletError(exoErrors.recipientNotFound(resource));
      return state.roleAssignments
        .filter((a) => a.assigneeType === 'ServicePrincipal' && a.assignee === sp.objectId && !a.delegating)
        .map((a) => {
          const scope = a.customResourceScope === null ? undefined : requireScope(tenant, state, a.customResourceScope);
          return {
            RoleName: a.role,
            GrantedPermissions: (
              findApplicationRole(a.role)?.permissions ?? [a.role.replace(/^Application /, '')]
            ).join(', '),
            AllowedResourceScope: scope?.name ?? 'Organization',
            ScopeType: scope ? 'CustomRecipientScope' : 'Organization',
            // Without -Resource the scope membership check is not run (cmdlet reference, Example 2).
            InScope: mailbox ? (scope ? scopeContains(scope, mailbox) : true) : 'Not Run',
          };
        });
    },
  },
];
