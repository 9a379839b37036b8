/**
 * How the runbook talks to Exchange: one cmdlet call at a time, as data, on the signed-in admin's own session.
 * Shared by the browser, the companion server and both executors.
 */

/** The cmdlets the companion may run; the PowerShell helper module allow-lists exactly these. */
export const CMDLETS = [
  'Get-OrganizationConfig',
  'Set-OrganizationConfig',
  'Enable-OrganizationCustomization',
  'Get-ManagementRole',
  'Get-ManagementRoleAssignment',
  'New-ManagementRoleAssignment',
  'Remove-ManagementRoleAssignment',
  'Get-RoleGroup',
  'Get-RoleGroupMember',
  'New-RoleGroup',
  'Remove-RoleGroup',
  'Get-ServicePrincipal',
  'New-ServicePrincipal',
  'Remove-ServicePrincipal',
  'Get-ManagementScope',
  'New-ManagementScope',
  'Remove-ManagementScope',
  'Test-ServicePrincipalAuthorization',
  'Get-Mailbox',
  'Get-CASMailbox',
] as const;
export type Cmdlet = (typeof CMDLETS)[number];

/**
 * The parameters of those cmdlets that are Booleans rather than switches: `true` on one of them is written `-Name
 * $true` in the preview (a switch is just `-Name`, which a Boolean parameter refuses for want of an argument).
 */
export const BOOLEAN_PARAMETERS: Partial<Record<Cmdlet, readonly string[]>> = {
  'Set-OrganizationConfig': ['EwsEnabled'],
  'Get-ManagementRoleAssignment': ['Delegating', 'Enabled'],
};

/** A parameter value as it travels to a cmdlet: JSON-safe, no script blocks. A `true` on a switch means `-Switch`. */
export type CmdletValue = string | number | boolean | null | string[];

/** One cmdlet invocation as data. Never rendered into PowerShell text except for the human-readable preview. */
export interface CmdletCall {
  cmdlet: Cmdlet;
  params: Record<string, CmdletValue>;
}

/**
 * An error as Exchange reported it, normalized by the executor: `message` is the service's text without the
 * V3 module's `Ex94914C|<type>|` prefix, `type` the exception's full type name.
 */
export interface ExoError {
  message: string;
  type: string;
  fqid?: string;
  category?: string;
  reason?: string;
}

export type CmdletResult = { ok: true; data: unknown } | { ok: false; error: ExoError };

/** What a step's functions use to talk to Exchange: one call at a time, on the signed-in admin's own session. */
export interface ExchangeSession {
  invoke(call: CmdletCall): Promise<CmdletResult>;
}

/** The verified caller. `tid` + `oid` identify an admin; `upn` is for display and Connect-ExchangeOnline. */
export interface Actor {
  tid: string;
  oid: string;
  upn: string;
  name?: string;
}
