/**
 * What a sandbox tenant remembers between calls and restarts. Stored as JSON through the simulator's store; a stored
 * state from an older seed (different `seedVersion`) is replaced by the current seed, since sandbox data is disposable.
 */

/** Bump when the seed or the shape below changes, so stored tenants are re-seeded instead of misread. */
export const SEED_VERSION = 3;

export interface Mailbox {
  name: string;
  alias: string;
  displayName: string;
  userPrincipalName: string;
  primarySmtpAddress: string;
  recipientTypeDetails: 'UserMailbox' | 'SharedMailbox' | 'RoomMailbox';
  /** A user attribute (Get-User shows it, Get-Mailbox does not); management scope filters can select by it. */
  department: string;
  customAttribute1: string;
  /** Get-CASMailbox's EwsEnabled: True, False, or null (not set on the mailbox). */
  ewsEnabled: boolean | null;
  guid: string;
}

export interface ManagementRole {
  name: string;
  roleType: string;
  description: string;
}

export interface RoleGroup {
  name: string;
  displayName: string;
  description: string;
  roles: string[];
  /** Members by user principal name (the mailbox's stable key here). */
  members: string[];
  managedBy: string[];
  guid: string;
  whenCreatedUtc: string;
  roleGroupType: 'Standard' | 'Linked';
}

/** An application in Microsoft Entra ID that an admin may register in Exchange (RBAC for Applications). */
export interface EntraApplication {
  displayName: string;
  /** Application (client) id: the same in every tenant the app is used in. */
  appId: string;
  /**
   * Object id of the enterprise application (the service principal in this tenant): what New-ServicePrincipal needs.
   */
  servicePrincipalObjectId: string;
  /** Object id of the app registration: a different GUID, and the usual mistake. */
  applicationObjectId: string;
}

/** An application registered in Exchange with New-ServicePrincipal. */
export interface ServicePrincipal {
  displayName: string;
  appId: string;
  objectId: string;
  whenCreatedUtc: string;
}

export interface ManagementScope {
  name: string;
  recipientFilter: string;
  guid: string;
  whenCreatedUtc: string;
}

/** A management role assignment made directly (role groups' assignments are derived from the groups). */
export interface RoleAssignment {
  name: string;
  role: string;
  assigneeType: 'User' | 'RoleGroup' | 'ServicePrincipal';
  /** UPN for a user, name for a role group, object id for a service principal. */
  assignee: string;
  delegating: boolean;
  customResourceScope: string | null;
  guid: string;
  whenCreatedUtc: string;
}

/**
 * The organization's EWS settings (Set-OrganizationConfig, MC1227454). `enabled` is EwsEnabled: True, False, or null
 * (never set). `allowedAppIds` is EwsAllowedAppIDs exactly as it was last written: the service keeps the one
 * comma-separated string it was given (null when never written, or written empty), and reads it back unchanged.
 */
export interface EwsPolicy {
  enabled: boolean | null;
  allowedAppIds: string | null;
}

export interface TenantState {
  seedVersion: number;
  /** When Enable-OrganizationCustomization ran (epoch ms), or null while it never has. */
  customizationEnabledAt: number | null;
  /**
   * When true, the first Enable-OrganizationCustomization reports an error yet takes effect, as admins report
   * (MicrosoftDocs/microsoft-365-docs#7403); a second run then answers "already enabled". Seeded false.
   */
  firstEnableReportsError: boolean;
  roles: ManagementRole[];
  roleGroups: RoleGroup[];
  mailboxes: Mailbox[];
  entraApplications: EntraApplication[];
  servicePrincipals: ServicePrincipal[];
  managementScopes: ManagementScope[];
  roleAssignments: RoleAssignment[];
  ews: EwsPolicy;
  /**
   * When an admin last put the tenant back to its seed (POST /api/sandbox/reset), epoch ms; absent while never reset.
   * Runs that started before it describe a tenant that is gone: the run list says so (RunRecord.tenantResetAt).
   */
  resetAt?: number;
}
