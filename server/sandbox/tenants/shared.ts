/**
 * What every sandbox tenant is built from: stable GUIDs, the built-in roles and role groups, the application roles of
 * RBAC for Applications with their delegating assignments to Organization Management, mailbox records, and the
 * `SandboxTenant` shape. contoso.ts and fabrikam.ts hold what differs between the tenants.
 */
import { createHash } from 'node:crypto';
import { APPLICATION_ROLES } from '../../../src/runbook/exchange/application-roles.ts';
import {
  type EntraApplication,
  type EwsPolicy,
  type Mailbox,
  type ManagementRole,
  type RoleAssignment,
  type RoleGroup,
  SEED_VERSION,
  type TenantState,
} from '../state.ts';

export interface SandboxTenant {
  /** Short name, e.g. `contoso`. */
  name: string;
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
  /** Values the guides' forms can take from this tenant ("Use the sandbox's values"), keyed by the fields' `carry`. */
  practiceValues?: Record<string, string>;
  /** The tenant's state as first seen (or after a reset) at time `now`. */
  seed(now: number): TenantState;
}

/** A stable GUID derived from `text`, so seeded objects keep their ids across resets. */
export function seedGuid(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type MailboxSeed = [
  alias: string,
  displayName: string,
  type: Mailbox['recipientTypeDetails'],
  department: string,
  customAttribute1: string,
];

/**
 * Mailbox records for `domain`. EWS is on for every mailbox (Get-CASMailbox shows EwsEnabled True, the sandbox's
 * choice for a mailbox nobody changed) except the aliases in `ewsOff`.
 */
function mailboxes(domain: string, seeds: MailboxSeed[], ewsOff: readonly string[] = []): Mailbox[] {
  return seeds.map(([alias, displayName, recipientTypeDetails, department, customAttribute1]) => ({
    name: alias,
    alias,
    displayName,
    userPrincipalName: `${alias}@${domain}`,
    primarySmtpAddress: `${alias}@${domain}`,
    recipientTypeDetails,
    department,
    customAttribute1,
    ewsEnabled: !ewsOff.includes(alias),
    guid: seedGuid(`${domain}/mailbox/${alias}`),
  }));
}

export const COMMON_ROLES: ManagementRole[] = [
  {
    name: 'Mail Recipients',
    roleType: 'MailRecipients',
    description: 'This role enables administrators to manage existing mailboxes, mail users, and mail contacts.',
  },
  {
    name: 'Role Management',
    roleType: 'RoleManagement',
    description:
      'This role enables administrators to manage management role groups, role assignment policies, and management roles.',
  },
  {
    name: 'View-Only Configuration',
    roleType: 'ViewOnlyConfiguration',
    description: 'This role enables administrators to view all of the non-recipient Exchange configuration settings.',
  },
  {
    name: 'Organization Client Access',
    roleType: 'OrganizationClientAccess',
    description: 'This role enables administrators to manage client access settings at the organizational level.',
  },
];

/**
 * The application roles as Get-ManagementRole lists them (RoleType spelled by the sandbox; the real values are
 * unconfirmed).
 */
const APPLICATION_MANAGEMENT_ROLES: ManagementRole[] = APPLICATION_ROLES.map((role) => ({
  name: role.name,
  roleType: role.name.replace(/[ .]/g, ''),
  description: `This role grants an application ${role.permissions.join(', ')} on the mailboxes in its scope.`,
}));

const SEEDED_AT = '2019-03-12T09:00:00.0000000Z';

/** The built-in role groups every tenant has; `admin@` is an explicit member of Organization Management. */
function builtInRoleGroups(domain: string): RoleGroup[] {
  const group = (name: string, roles: string[], members: string[]): RoleGroup => ({
    name,
    displayName: name,
    description: `Built-in role group "${name}".`,
    roles,
    members,
    managedBy: [],
    guid: seedGuid(`${domain}/rolegroup/${name}`),
    whenCreatedUtc: SEEDED_AT,
    roleGroupType: 'Standard',
  });
  return [
    group(
      'Organization Management',
      COMMON_ROLES.map((r) => r.name),
      [`admin@${domain}`],
    ),
    group('Recipient Management', ['Mail Recipients'], []),
    group('View-Only Organization Management', ['View-Only Configuration'], []),
  ];
}

/** A seeded assignment with a stable GUID. */
export function assignment(domain: string, fields: Omit<RoleAssignment, 'guid' | 'whenCreatedUtc'>): RoleAssignment {
  return { ...fields, guid: seedGuid(`${domain}/assignment/${fields.name}`), whenCreatedUtc: SEEDED_AT };
}

/** Organization Management may hand out every application role (Microsoft's default). */
function delegatingApplicationAssignments(domain: string): RoleAssignment[] {
  return APPLICATION_ROLES.map((role) =>
    assignment(domain, {
      name: `${role.name}-Organization Management-Delegating`,
      role: role.name,
      assigneeType: 'RoleGroup',
      assignee: 'Organization Management',
      delegating: true,
      customResourceScope: null,
    }),
  );
}

/** What a tenant's seed varies on. */
export interface TenantSeed {
  domain: string;
  /** When customization was enabled (epoch ms), or null for a dehydrated tenant. */
  customizationEnabledAt: number | null;
  /** The tenant's own management roles; every tenant gets the application roles on top. */
  roles: ManagementRole[];
  mailboxes: MailboxSeed[];
  /** The Entra ID application waiting to be registered in Exchange. */
  app: EntraApplication;
  /** Role assignments the tenant has besides the delegating ones for the application roles. */
  assignments?: RoleAssignment[];
  /** The organization's EWS settings (EwsEnabled, EwsAllowedAppIDs). */
  ews: EwsPolicy;
  /** Aliases of the mailboxes whose own EwsEnabled reads False. */
  ewsOffMailboxes?: string[];
}

/** A tenant's state from what varies between tenants and what every tenant has. */
export function tenantState(seed: TenantSeed): TenantState {
  return {
    seedVersion: SEED_VERSION,
    customizationEnabledAt: seed.customizationEnabledAt,
    firstEnableReportsError: false,
    roles: [...seed.roles, ...APPLICATION_MANAGEMENT_ROLES],
    roleGroups: builtInRoleGroups(seed.domain),
    mailboxes: mailboxes(seed.domain, seed.mailboxes, seed.ewsOffMailboxes),
    entraApplications: [seed.app],
    servicePrincipals: [],
    managementScopes: [],
    roleAssignments: [...(seed.assignments ?? []), ...delegatingApplicationAssignments(seed.domain)],
    ews: { ...seed.ews },
  };
}
