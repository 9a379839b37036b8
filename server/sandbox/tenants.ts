/**
 * The sandbox tenants: `contoso` as Exchange Online was in 2023 (dehydrated, ApplicationImpersonation available) and
 * `fabrikam` as it is in 2026 (customized long ago, the role removed). Each has an admin, the service account
 * svc-ews and a few mailboxes whose attributes let management scopes select some and not others.
 */
import type { SandboxAdmin } from '../../src/runbook/api.ts';
import { APPLICATION_MANAGEMENT_ROLES, CONTOSO_EWS_CONNECTOR, FABRIKAM_ARCHIVER, rbacSeed } from './rbac-seed.ts';
import { seedGuid } from './seed-guid.ts';
import { type EntraApplication, type Mailbox, type ManagementRole, type RoleGroup, SEED_VERSION, type TenantState } from './state.ts';

export { seedGuid };

export interface SandboxTenant {
  name: 'contoso' | 'fabrikam';
  tid: string;
  domain: string;
  displayName: string;
  /** One line for the sign-in picker. */
  description: string;
  /** Server name in "couldn't be found on '<server>'" errors. */
  server: string;
  /** Directory forest in distinguished names, e.g. NAMPR01A001. */
  forest: string;
  /** Domain controller named in "Active Directory operation failed on <DC>." */
  domainController: string;
  /** The demo admins; `explicitMember` false models an Entra admin who is not in Organization Management itself. */
  admins: Array<{ upn: string; name: string; explicitMember: boolean; description?: string }>;
  /** The tenant's state as first seen (or after a reset) at time `now`. */
  seed(now: number): TenantState;
}

type MailboxSeed = [alias: string, displayName: string, type: Mailbox['recipientTypeDetails'], department: string, customAttribute1: string];

/** Mailbox records for `domain`. */
function mailboxes(domain: string, seeds: MailboxSeed[]): Mailbox[] {
  return seeds.map(([alias, displayName, recipientTypeDetails, department, customAttribute1]) => ({
    name: alias,
    alias,
    displayName,
    userPrincipalName: `${alias}@${domain}`,
    primarySmtpAddress: `${alias}@${domain}`,
    recipientTypeDetails,
    department,
    customAttribute1,
    guid: seedGuid(`${domain}/mailbox/${alias}`),
  }));
}

const COMMON_ROLES: ManagementRole[] = [
  { name: 'Mail Recipients', roleType: 'MailRecipients', description: 'This role enables administrators to manage existing mailboxes, mail users, and mail contacts.' },
  { name: 'Role Management', roleType: 'RoleManagement', description: 'This role enables administrators to manage management role groups, role assignment policies, and management roles.' },
  { name: 'View-Only Configuration', roleType: 'ViewOnlyConfiguration', description: 'This role enables administrators to view all of the non-recipient Exchange configuration settings.' },
  { name: 'Organization Client Access', roleType: 'OrganizationClientAccess', description: 'This role enables administrators to manage client access settings at the organizational level.' },
];
const IMPERSONATION_ROLE: ManagementRole = {
  name: 'ApplicationImpersonation',
  roleType: 'ApplicationImpersonation',
  description: 'This role enables applications to impersonate users in an organization in order to perform tasks on behalf of the user.',
};

/** The built-in role groups every tenant has; `admin@` is an explicit member of Organization Management. */
function builtInRoleGroups(domain: string, createdUtc: string): RoleGroup[] {
  const group = (name: string, roles: string[], members: string[]): RoleGroup => ({
    name, displayName: name, description: `Built-in role group "${name}".`, roles, members, managedBy: [],
    guid: seedGuid(`${domain}/rolegroup/${name}`), whenCreatedUtc: createdUtc, roleGroupType: 'Standard',
  });
  return [
    group('Organization Management', COMMON_ROLES.map((r) => r.name), [`admin@${domain}`]),
    group('Recipient Management', ['Mail Recipients'], []),
    group('View-Only Organization Management', ['View-Only Configuration'], []),
  ];
}

/** Seeds a tenant's state; `app` is the Entra ID application waiting to be registered (rbac-seed.ts). */
function tenantState(
  domain: string, customizationEnabledAt: number | null, roles: ManagementRole[], seeds: MailboxSeed[], app: EntraApplication,
): TenantState {
  const impersonation = roles.some((r) => r.name === IMPERSONATION_ROLE.name);
  return {
    seedVersion: SEED_VERSION,
    customizationEnabledAt,
    firstEnableReportsError: false,
    roles: [...roles, ...APPLICATION_MANAGEMENT_ROLES],
    roleGroups: builtInRoleGroups(domain, '2019-03-12T09:00:00.0000000Z'),
    mailboxes: mailboxes(domain, seeds),
    ...rbacSeed(domain, app, impersonation),
  };
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

export const SANDBOX_TENANTS: readonly SandboxTenant[] = [
  {
    name: 'contoso',
    tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001',
    domain: 'contoso.onmicrosoft.com',
    displayName: 'Contoso',
    description: 'As in 2023: not customized yet (dehydrated), ApplicationImpersonation still available',
    server: 'SIMPR01MB0001.namprd01.prod.outlook.com',
    forest: 'NAMPR01A001',
    domainController: 'NAMPR01A001DC001.NAMPR01A001.prod.outlook.com',
    admins: [{ upn: 'admin@contoso.onmicrosoft.com', name: 'Contoso Admin', explicitMember: true }],
    seed: () =>
      tenantState('contoso.onmicrosoft.com', null, [IMPERSONATION_ROLE, ...COMMON_ROLES], [
        ['admin', 'Contoso Admin', 'UserMailbox', 'IT', ''],
        ['svc-ews', 'EWS Service Account', 'UserMailbox', 'IT', ''],
        ['alex.wilber', 'Alex Wilber', 'UserMailbox', 'Sales', 'EWS-Archive'],
        ['megan.bowen', 'Megan Bowen', 'UserMailbox', 'Marketing', ''],
        ['finance', 'Finance', 'SharedMailbox', 'Finance', 'EWS-Archive'],
        ['boardroom', 'Boardroom', 'RoomMailbox', '', ''],
      ], CONTOSO_EWS_CONNECTOR),
  },
  {
    name: 'fabrikam',
    tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002',
    domain: 'fabrikam.onmicrosoft.com',
    displayName: 'Fabrikam',
    description: 'As in 2026: customized, ApplicationImpersonation removed from Exchange Online',
    server: 'SIMPR02MB0002.eurprd02.prod.outlook.com',
    forest: 'EURPR02A002',
    domainController: 'EURPR02A002DC002.EURPR02A002.prod.outlook.com',
    admins: [
      { upn: 'admin@fabrikam.onmicrosoft.com', name: 'Fabrikam Admin', explicitMember: true },
      {
        upn: 'globaladmin@fabrikam.onmicrosoft.com', name: 'Fabrikam Global Admin', explicitMember: false,
        description: 'As in 2026, signed in as an Entra Global Administrator who is not an explicit member of Organization Management',
      },
    ],
    // Customized a year before the sandbox first saw it, so IsDehydrated reads False and writes are allowed.
    seed: (now) =>
      tenantState('fabrikam.onmicrosoft.com', now - YEAR_MS, COMMON_ROLES, [
        ['admin', 'Fabrikam Admin', 'UserMailbox', 'IT', ''],
        ['svc-ews', 'EWS Service Account', 'UserMailbox', 'IT', ''],
        ['diego.siciliani', 'Diego Siciliani', 'UserMailbox', 'Sales', 'EWS-Archive'],
        ['lynne.robbins', 'Lynne Robbins', 'UserMailbox', 'Finance', 'EWS-Archive'],
        ['isaiah.langer', 'Isaiah Langer', 'UserMailbox', 'Sales', ''],
        ['helpdesk', 'Helpdesk', 'SharedMailbox', 'IT', ''],
      ], FABRIKAM_ARCHIVER),
  },
];

/** The sandbox tenant with this tenant id, if any. */
export function findSandboxTenant(tid: string): SandboxTenant | undefined {
  return SANDBOX_TENANTS.find((t) => t.tid === tid);
}

/** The demo admins for the sign-in picker (`/api/config`). */
export function sandboxAdmins(): SandboxAdmin[] {
  return SANDBOX_TENANTS.flatMap((t) => t.admins.map((a) => ({ upn: a.upn, name: a.name, tenant: t.name, tid: t.tid, description: a.description ?? t.description })));
}
