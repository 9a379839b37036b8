/**
 * Every simulated cmdlet by name: exactly CMDLETS of src/runbook/core/cmdlets.ts (test/runbook/lists.test.ts).
 */
import { authorizationCmdlets } from './authorization.ts';
import type { CmdletHandler } from './context.ts';
import { mailboxCmdlets } from './mailboxes.ts';
import { organizationCmdlets } from './organization.ts';
import { roleGroupCmdlets } from './role-groups.ts';
import { managementScopeCmdlets } from './management-scopes.ts';
import { roleAssignmentCmdlets } from './role-assignments.ts';
import { roleCmdlets } from './roles.ts';
import { servicePrincipalCmdlets } from './service-principals.ts';

export const CMDLET_HANDLERS: ReadonlyMap<string, CmdletHandler> = new Map(
  [
    ...organizationCmdlets,
    ...roleCmdlets,
    ...roleGroupCmdlets,
    ...mailboxCmdlets,
    ...servicePrincipalCmdlets,
    ...managementScopeCmdlets,
    ...roleAssignmentCmdlets,
    ...authorizationCmdlets,
  ].map((h) => [h.name.toLowerCase(), h]),
);
