/**
 * The common Exchange Online application roles of RBAC for Applications: Microsoft's long-standing table
 * (learn.microsoft.com/exchange/permissions-exo/application-rbac) and the permissions each one grants. 2026 scripts
 * citing the same table list more (MailboxFolder, MailboxItem, MailboxConfigItem, MailTips, SMTP.SendAsApp; unconfirmed
 * from a primary source), so the assign step accepts any role `Get-ManagementRole "Application *"` returns and offers
 * these as suggestions. Shared by that step, the sandbox (its roles and Test-ServicePrincipalAuthorization answers)
 * and the guide's table (a test keeps them equal).
 * And the role they replaced, ApplicationImpersonation, which Microsoft removed from Exchange Online from February
 * 2025 (MC718754).
 */
import type { ExchangeSession } from '../core/cmdlets.ts';
import { asList, dataOrThrow, isNotFound, sameName } from '../core/session.ts';

export interface ApplicationRole {
  name: string;
  /** What Test-ServicePrincipalAuthorization reports as GrantedPermissions. */
  permissions: string[];
  /** True for the one role that works only over EWS, which Exchange Online retires on 2027-04-01 (MC1227454). */
  ews?: boolean;
}

export const APPLICATION_ROLES = [
  { name: 'Application Mail.Read', permissions: ['Mail.Read'] },
  { name: 'Application Mail.ReadBasic', permissions: ['Mail.ReadBasic'] },
  { name: 'Application Mail.ReadWrite', permissions: ['Mail.ReadWrite'] },
  { name: 'Application Mail.Send', permissions: ['Mail.Send'] },
  { name: 'Application MailboxSettings.Read', permissions: ['MailboxSettings.Read'] },
  { name: 'Application MailboxSettings.ReadWrite', permissions: ['MailboxSettings.ReadWrite'] },
  { name: 'Application Calendars.Read', permissions: ['Calendars.Read'] },
  { name: 'Application Calendars.ReadWrite', permissions: ['Calendars.ReadWrite'] },
  { name: 'Application Contacts.Read', permissions: ['Contacts.Read'] },
  { name: 'Application Contacts.ReadWrite', permissions: ['Contacts.ReadWrite'] },
  { name: 'Application Mail Full Access', permissions: ['Mail.ReadWrite', 'Mail.Send'] },
  {
    name: 'Application Exchange Full Access',
    permissions: [
      'Mail.ReadWrite',
      'Mail.Send',
      'MailboxSettings.ReadWrite',
      'Calendars.ReadWrite',
      'Contacts.ReadWrite',
    ],
  },
  { name: 'Application EWS.AccessAsApp', permissions: ['EWS.AccessAsApp'], ews: true },
] as const satisfies readonly ApplicationRole[];

export type ApplicationRoleName = (typeof APPLICATION_ROLES)[number]['name'];

/** The common role names, the assign step's suggestions. */
export const APPLICATION_ROLE_NAMES = APPLICATION_ROLES.map((r) => r.name) as [
  ApplicationRoleName,
  ...ApplicationRoleName[],
];

/** The application role called `name` (case-insensitive), if it is one. */
export function findApplicationRole(name: string): ApplicationRole | undefined {
  return APPLICATION_ROLES.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

/** The management role EWS applications used before RBAC for Applications. */
export const IMPERSONATION_ROLE = 'ApplicationImpersonation';

/** Whether the ApplicationImpersonation role exists in the organization (Get-ManagementRole, not error text). */
export async function impersonationRoleExists(exo: ExchangeSession): Promise<boolean> {
  const result = await exo.invoke({ cmdlet: 'Get-ManagementRole', params: { Identity: IMPERSONATION_ROLE } });
  if (!result.ok && isNotFound(result.error)) return false;
  return asList(dataOrThrow(result, [])).some((role) => sameName(role.Name, IMPERSONATION_ROLE));
}
