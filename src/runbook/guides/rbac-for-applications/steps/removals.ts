/**
 * The undo steps of the RBAC for Applications guide: remove-application-role-assignment, remove-management-scope and
 * remove-service-principal, in the order a clean-up runs them.
 */
import { z } from 'zod';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { managementScopeName, roleAssignmentName, servicePrincipalId } from '../params.ts';
import { findManagementScope, findRoleAssignment, findServicePrincipal } from '../queries.ts';
import { removalStep } from '../../../core/removal-step.ts';

export const removeApplicationRoleAssignment = removalStep({
  id: 'remove-application-role-assignment',
  title: 'Remove the application role assignment',
  summary: 'Removes one management role assignment, taking that role away from the application.',
  params: z
    .object({ name: roleAssignmentName.meta({ description: 'Name of the management role assignment.' }) })
    .strict(),
  guide: rbacLink('cleanUp'),
  describe: (p) => `role assignment "${p.name}"`,
  remove: (p) => ({ cmdlet: 'Remove-ManagementRoleAssignment', params: { Identity: p.name, Confirm: false } }),
  find: (exo, p) => findRoleAssignment(exo, p.name),
  knownErrors: [RBAC_ERRORS.objectNotFound],
  confirm: (p) => ({
    title: `Remove the role assignment "${p.name}"?`,
    text: 'The application loses the application role this assignment gives it, on the mailboxes of its scope: what it reads or sends through that role stops working. To give it back, assign the role again.',
    action: 'Remove the role assignment',
  }),
});

export const removeManagementScope = removalStep({
  id: 'remove-management-scope',
  title: 'Remove the management scope',
  summary: 'Removes a management scope that no role assignment uses any more.',
  params: z.object({ name: managementScopeName }).strict(),
  guide: rbacLink('cleanUp'),
  describe: (p) => `management scope "${p.name}"`,
  remove: (p) => ({ cmdlet: 'Remove-ManagementScope', params: { Identity: p.name, Confirm: false } }),
  find: (exo, p) => findManagementScope(exo, p.name),
  knownErrors: [RBAC_ERRORS.scopeInUse, RBAC_ERRORS.objectNotFound],
});

export const removeServicePrincipal = removalStep({
  id: 'remove-service-principal',
  title: 'Remove the service principal',
  // Whether Exchange also removes the role assignments left on it is undocumented; the guide removes them first.
  summary:
    "Removes the application's service principal from Exchange; remove its role assignments first (what happens to any left is undocumented).",
  params: z.object({ app: servicePrincipalId }).strict(),
  guide: rbacLink('cleanUp'),
  describe: (p) => `service principal of ${p.app}`,
  remove: (p) => ({ cmdlet: 'Remove-ServicePrincipal', params: { Identity: p.app, Confirm: false } }),
  find: (exo, p) => findServicePrincipal(exo, p.app),
  knownErrors: [RBAC_ERRORS.objectNotFound],
  confirm: (p) => ({
    title: `Remove the service principal of application ${p.app}?`,
    text: 'Exchange forgets the application: the application roles assigned to it stop applying, and it loses the mailbox access they gave it. To give it back, register the application and assign its roles again.',
    action: 'Remove the service principal',
  }),
});
