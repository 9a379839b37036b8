/**
 * What the sandbox tenants hold for RBAC for Applications: the application roles every Exchange Online organization
 * has, the delegating assignments of those roles to Organization Management, and an Entra ID application waiting to
 * be registered.
 */
import { APPLICATION_ROLES } from '../../src/runbook/application-roles.ts';
import type { EntraApplication, ManagementRole, RoleAssignment, TenantState } from './state.ts';
import { seedGuid } from './seed-guid.ts';

/** The application fabrikam's admin authorizes in the RBAC guide; the guide quotes these ids (a test keeps them equal). */
export const FABRIKAM_ARCHIVER: EntraApplication = {
  displayName: 'Fabrikam Mail Archiver',
  appId: '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93',
  servicePrincipalObjectId: 'b81d4e27-6a3c-4f95-8e02-7c9a1d3b5f64',
  applicationObjectId: 'e4c07a91-2f5b-4d38-a6e1-93b8c0d2f715',
};

/** Contoso's EWS application, the one that used svc-ews with ApplicationImpersonation. */
export const CONTOSO_EWS_CONNECTOR: EntraApplication = {
  displayName: 'Contoso EWS Connector',
  appId: '9a1e5c3b-27d4-4b86-8f0e-6c2d1a7b3e58',
  servicePrincipalObjectId: '5d2b8f41-0c6e-4a97-b3d5-1e8f2a6c9b07',
  applicationObjectId: 'c7f39e02-5a1d-4c68-9b24-8d0e3f1a6c52',
};

/** The application roles as Get-ManagementRole lists them (RoleType spelled by the sandbox; the real values are unconfirmed). */
export const APPLICATION_MANAGEMENT_ROLES: ManagementRole[] = APPLICATION_ROLES.map((role) => ({
  name: role.name,
  roleType: role.name.replace(/[ .]/g, ''),
  description: `This role grants an application ${role.permissions.join(', ')} on the mailboxes in its scope.`,
}));

const SEEDED_AT = '2019-03-12T09:00:00.0000000Z';

/** A seeded assignment with a stable GUID. */
function assignment(domain: string, fields: Omit<RoleAssignment, 'guid' | 'whenCreatedUtc'>): RoleAssignment {
  return { ...fields, guid: seedGuid(`${domain}/assignment/${fields.name}`), whenCreatedUtc: SEEDED_AT };
}

/** Organization Management may hand out every application role (Microsoft's default). */
function delegatingApplicationAssignments(domain: string): RoleAssignment[] {
  return APPLICATION_ROLES.map((role) =>
    assignment(domain, {
      name: `${role.name}-Organization Management-Delegating`, role: role.name, assigneeType: 'RoleGroup',
      assignee: 'Organization Management', delegating: true, customResourceScope: null,
    }),
  );
}

type RbacState = Pick<TenantState, 'entraApplications' | 'servicePrincipals' | 'managementScopes' | 'roleAssignments'>;

/**
 * The RBAC part of a tenant's seed: only built-in assignments. No seed holds a custom ApplicationImpersonation
 * assignment: contoso is dehydrated, and a dehydrated organization cannot have made one (creating a role assignment
 * needs customization). Running the ApplicationImpersonation guide there creates the leftovers the RBAC guide finds.
 */
export function rbacSeed(domain: string, app: EntraApplication, impersonation: boolean): RbacState {
  return {
    entraApplications: [app],
    servicePrincipals: [],
    managementScopes: [],
    roleAssignments: [...(impersonation ? [impersonationDelegating(domain)] : []), ...delegatingApplicationAssignments(domain)],
  };
}

/** Organization Management may hand out ApplicationImpersonation where the role exists (built in, delegating only). */
function impersonationDelegating(domain: string): RoleAssignment {
  return assignment(domain, {
    name: 'ApplicationImpersonation-Organization Management-Delegating', role: 'ApplicationImpersonation', assigneeType: 'RoleGroup',
    assignee: 'Organization Management', delegating: true, customResourceScope: null,
  });
}
