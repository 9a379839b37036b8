/**
 * The RBAC for Applications guide (src/content/docs/guides/rbac-for-applications.mdx): its page and its live steps in
 * the order the page shows them.
 */
import type { Guide } from '../../core/guide.ts';
import { RBAC_PAGE } from './sections.ts';
import { assignApplicationRole } from './steps/assign-application-role.ts';
import { createManagementScope } from './steps/create-management-scope.ts';
import { createServicePrincipal } from './steps/create-service-principal.ts';
import { findImpersonationAssignments } from './steps/find-impersonation-assignments.ts';
import { removeApplicationRoleAssignment, removeManagementScope, removeServicePrincipal } from './steps/removals.ts';
import { testAppAuthorization } from './steps/test-app-authorization.ts';

const authorize = [
  findImpersonationAssignments,
  createServicePrincipal,
  createManagementScope,
  assignApplicationRole,
  testAppAuthorization,
];

export const rbacForApplications = {
  ...RBAC_PAGE,
  steps: [...authorize, removeApplicationRoleAssignment, removeManagementScope, removeServicePrincipal],
  // The clean-up steps undo the guide's work; progress is the authorization itself.
  checklist: authorize,
} satisfies Guide;
