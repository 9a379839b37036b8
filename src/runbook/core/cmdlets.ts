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
  /**
   * The properties a reader looks at, shown as `| Format-List <names>` after the call in the preview, the echo and the
   * transcript (as an admin would type it). Display only: executors get `cmdlet` and `params`, and return whole
   * objects.
   */
  show?: string[];
}

/**
 * A value that an earlier call of the same plan produced, e.g. `$sp.ObjectId`: the call saved as `output` (or the
 * object a `forEach` is at), then its `property`. Only plans hold these; a run resolves them before it invokes.
 */
export interface OutputRef {
  output: string;
  property: string;
}

/** One call of a step's plan: what the preview shows and the run executes, in that order. */
export interface PlannedCall {
  cmdlet: Cmdlet;
  params: Record<string, CmdletValue | OutputRef>;
  /** Keeps the call's output in `$<saveAs>` for later calls (`$sp = Get-ServicePrincipal ...`). */
  saveAs?: string;
  /** Runs the call once per object of an earlier output, as `$<as>`: `foreach ($m in $mailboxes) { ... }`. */
  forEach?: { output: string; as: string };
  /** As CmdletCall's `show`: `| Format-List <names>` in the preview and the echo. */
  show?: string[];
}

/**
 * An error as Exchange reported it, normalized by the executor: `message` is the service's text without the V3
 * module's `Ex94914C|<type>|` or `||` prefix (context Exchange itself writes first, such as `Active Directory
 * operation failed on <DC>.`, stays), `type` the exception's name as far as the record tells it (full or short).
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
  /** Who the session is signed in as (the verified token's UPN), where the executor knows it. */
  readonly upn?: string;
}

/** The verified caller. `tid` + `oid` identify an admin; `upn` is for display and Connect-ExchangeOnline. */
export interface Actor {
  tid: string;
  oid: string;
  upn: string;
  name?: string;
}
