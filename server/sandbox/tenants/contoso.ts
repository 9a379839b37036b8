/**
 * contoso: Exchange Online as it was in 2023. Not customized yet (dehydrated) and ApplicationImpersonation still
 * exists; its EWS application waits to be registered. It holds no custom ApplicationImpersonation assignment: a
 * dehydrated organization cannot have made one (creating a role assignment needs customization), so the seed keeps
 * dehydrated, the premise of the ApplicationImpersonation guide, and running that guide creates the leftovers the RBAC
 * guide then finds. EWS is unrestricted: EwsEnabled was never set ($null) and no allow list was ever written.
 */
import type { EntraApplication, ManagementRole, RoleAssignment } from '../state.ts';
import { assignment, COMMON_ROLES, type SandboxTenant, tenantState } from './shared.ts';

const DOMAIN = 'contoso.onmicrosoft.com';

/** Contoso's EWS application, the one that used svc-ews with ApplicationImpersonation. */
export const CONTOSO_EWS_CONNECTOR: EntraApplication = {
  displayName: 'Contoso EWS Connector',
  appId: '9a1e5c3b-27d4-4b86-8f0e-6c2d1a7b3e58',
  servicePrincipalObjectId: '5d2b8f41-0c6e-4a97-b3d5-1e8f2a6c9b07',
  applicationObjectId: 'c7f39e02-5a1d-4c68-9b24-8d0e3f1a6c52',
};

const IMPERSONATION_ROLE: ManagementRole = {
  name: 'ApplicationImpersonation',
  roleType: 'ApplicationImpersonation',
  description:
    'This role enables applications to impersonate users in an organization in order to perform tasks on behalf of the user.',
};

/** Organization Management may hand out ApplicationImpersonation where the role exists (built in, delegating only). */
function impersonationDelegating(domain: string): RoleAssignment {
  return assignment(domain, {
    name: 'ApplicationImpersonation-Organization Management-Delegating',
    role: 'ApplicationImpersonation',
    assigneeType: 'RoleGroup',
    assignee: 'Organization Management',
    delegating: true,
    customResourceScope: null,
  });
}

export const CONTOSO: SandboxTenant = {
  name: 'contoso',
  tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001',
  domain: DOMAIN,
  displayName: 'Contoso',
  description: 'As in 2023: not customized yet (dehydrated), ApplicationImpersonation still available',
  server: 'SIMPR01MB0001.namprd01.prod.outlook.com',
  forest: 'NAMPR01A001',
  domainController: 'NAMPR01A001DC001.NAMPR01A001.prod.outlook.com',
  admins: [{ upn: 'admin@contoso.onmicrosoft.com', name: 'Contoso Admin', explicitMember: true }],
  seed: () =>
    tenantState({
      domain: DOMAIN,
      customizationEnabledAt: null,
      roles: [IMPERSONATION_ROLE, ...COMMON_ROLES],
      mailboxes: [
        ['admin', 'Contoso Admin', 'UserMailbox', 'IT', ''],
        ['svc-ews', 'EWS Service Account', 'UserMailbox', 'IT', ''],
        ['alex.wilber', 'Alex Wilber', 'UserMailbox', 'Sales', 'EWS-Archive'],
        ['megan.bowen', 'Megan Bowen', 'UserMailbox', 'Marketing', ''],
        ['finance', 'Finance', 'SharedMailbox', 'Finance', 'EWS-Archive'],
        ['boardroom', 'Boardroom', 'RoomMailbox', '', ''],
      ],
      app: CONTOSO_EWS_CONNECTOR,
      assignments: [impersonationDelegating(DOMAIN)],
      ews: { enabled: null, allowedAppIds: null },
    }),
};
