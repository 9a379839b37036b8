/**
 * What a sandbox tenant remembers between calls and restarts. Stored as JSON through the simulator's store; a stored
 * state from an older seed (different `seedVersion`) is replaced by the current seed, since sandbox data is disposable.
 */

/** Bump when the seed or the shape below changes, so stored tenants are re-seeded instead of misread. */
export const SEED_VERSION = 1;

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

export interface TenantState {
  seedVersion: number;
  /** When Enable-OrganizationCustomization ran (epoch ms), or null while it never has. */
  customizationEnabledAt: number | null;
  roles: ManagementRole[];
  roleGroups: RoleGroup[];
  mailboxes: Mailbox[];
}
