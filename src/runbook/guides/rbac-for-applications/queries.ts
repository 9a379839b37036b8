/**
 * Read-only queries the RBAC for Applications steps share: the service principal, the management scope, the role
 * assignments and what an application holds, each answering "not there" as undefined or an empty list instead of an
 * error; whether the admin is an explicit member of Organization Management; and the retry of writes through the
 * lags of a freshly customized organization.
 */
import type { CmdletCall, ExchangeSession } from '../../core/cmdlets.ts';
import { StepFailure } from '../../core/failure.ts';
import type { KnownError } from '../../core/known-errors.ts';
import { type PropagationRefusal, writeThroughPropagation } from '../../core/propagation.ts';
import { asList, dataOrThrow, getOrEmpty, sameName } from '../../core/session.ts';
import type { StepContext } from '../../core/step.ts';
import { CUSTOMIZATION_SPREADING, readIsDehydrated } from '../../exchange/customization.ts';
import { RBAC_ERRORS } from './errors.ts';

type Row = Record<string, unknown>;

/**
 * The service principal `id` names (application id or object id), as Get-ServicePrincipal -Identity returns it, or
 * undefined. Its ObjectId is what New-ManagementRoleAssignment -App takes (cmdlet reference).
 */
export async function findServicePrincipal(exo: ExchangeSession, id: string): Promise<Row | undefined> {
  const rows = await getOrEmpty(exo, { cmdlet: 'Get-ServicePrincipal', params: { Identity: id } });
  return rows.find((sp) => sameName(sp.AppId, id) || sameName(sp.ObjectId, id));
}

/** The management scope named `name`, or undefined. */
export async function findManagementScope(exo: ExchangeSession, name: string): Promise<Row | undefined> {
  const rows = await getOrEmpty(exo, { cmdlet: 'Get-ManagementScope', params: { Identity: name } });
  return rows.find((scope) => sameName(scope.Name, name));
}

/** The role assignment named `name`, or undefined. */
export async function findRoleAssignment(exo: ExchangeSession, name: string): Promise<Row | undefined> {
  const rows = await getOrEmpty(exo, { cmdlet: 'Get-ManagementRoleAssignment', params: { Identity: name } });
  return rows.find((a) => sameName(a.Name, name));
}

/**
 * What service principal `sp` holds, one row per role assignment: Test-ServicePrincipalAuthorization without
 * -Resource (RoleName, GrantedPermissions, AllowedResourceScope, ScopeType; InScope "Not Run"). That cmdlet is
 * documented for service principals; Get-ManagementRoleAssignment -RoleAssignee is documented for role groups,
 * policies, users and groups only.
 */
export async function heldApplicationRoles(exo: ExchangeSession, sp: Row): Promise<Row[]> {
  return asList(
    dataOrThrow(
      await exo.invoke({ cmdlet: 'Test-ServicePrincipalAuthorization', params: { Identity: String(sp.ObjectId) } }),
      [],
    ),
  );
}

/**
 * True when row `a` of Test-ServicePrincipalAuthorization grants `role` with exactly `scope` (undefined = every
 * mailbox).
 */
export function grants(a: Row, role: string, scope: string | undefined): boolean {
  if (!sameName(a.RoleName, role)) return false;
  return scope === undefined ? sameName(a.ScopeType, 'Organization') : sameName(a.AllowedResourceScope, scope);
}

/** How the reader sees one held role: `Application Mail.Read (scope EWS-Archive mailboxes)`, or `(all mailboxes)`. */
export function describeHeld(a: Row): string {
  const scope = String(a.AllowedResourceScope);
  const where = sameName(a.ScopeType, 'Organization')
    ? 'all mailboxes'
    : sameName(a.ScopeType, 'CustomRecipientScope')
      ? `scope ${scope}`
      : sameName(a.ScopeType, 'AdministrativeUnit')
        ? `administrative unit ${scope}`
        : `${String(a.ScopeType)} ${scope}`;
  return `${String(a.RoleName)} (${where})`;
}

/** The role group whose explicit members hold the delegating assignments of the application roles. */
export const ORGANIZATION_MANAGEMENT = 'Organization Management';

/**
 * Whether the signed-in admin is an explicit member of Organization Management (Get-RoleGroupMember); undefined when
 * the session does not say who it is or the list cannot be read. Being Global Administrator or Exchange Administrator
 * in Entra ID does not make one an explicit member (exchange-facts.md section 7).
 */
export async function explicitOrganizationManagementMember(exo: ExchangeSession): Promise<boolean | undefined> {
  if (exo.upn === undefined) return undefined;
  const result = await exo.invoke({ cmdlet: 'Get-RoleGroupMember', params: { Identity: ORGANIZATION_MANAGEMENT } });
  if (!result.ok) return undefined;
  const upn = exo.upn;
  return asList(result.data).some((m) =>
    [m.WindowsLiveID, m.PrimarySmtpAddress, m.UserPrincipalName].some((v) => sameName(v, upn)),
  );
}

/**
 * The delegating-assignment refusal, for writeThroughPropagation. Admins report two causes: the admin is not an
 * explicit member of Organization Management (no wait fixes that: checked once, on the first refusal, and the write
 * fails at once), and 40-60 minutes after customization (worth waiting for).
 */
function delegationSpreading(): PropagationRefusal {
  let memberChecked = false;
  return {
    matches: (error) => RBAC_ERRORS.delegatingAssignment.pattern.test(error.message),
    async judge(exo, error, write, explain) {
      if (!memberChecked) {
        memberChecked = true;
        if (exo.upn !== undefined) {
          explain(
            `Checking whether ${exo.upn} is an explicit member of ${ORGANIZATION_MANAGEMENT}, the most common cause of this refusal:`,
          );
        }
        if ((await explicitOrganizationManagementMember(exo)) === false)
          throw new StepFailure(error, RBAC_ERRORS.notOrganizationManagementMember);
      }
      return {
        retry: `Exchange does not count the delegating role assignment yet, so it refuses to ${write}`,
        known: RBAC_ERRORS.delegatingAssignment,
      };
    },
  };
}

/**
 * Runs a write that a freshly customized organization may still refuse, retrying with backoff while it does: the
 * dehydrated error once IsDehydrated reads False (customization still spreading) and the delegating-assignment error,
 * unless the admin is not an explicit member of Organization Management. Any other error, or the dehydrated one
 * while IsDehydrated reads True, fails at once. Every call it makes is echoed.
 */
export function writeWhileRbacSpreads(
  ctx: StepContext,
  call: CmdletCall,
  knownErrors: readonly KnownError[],
  write: string,
): Promise<unknown> {
  return writeThroughPropagation(ctx, call, {
    write,
    waitingFor: 'Exchange to accept the change (customization and role delegation spread server by server)',
    knownErrors,
    refusals: [delegationSpreading(), CUSTOMIZATION_SPREADING],
  });
}

/**
 * A note for steps whose need of customization is not documented (New-ServicePrincipal, New-ManagementScope:
 * exchange-facts.md section 7 marks it unconfirmed): empty when IsDehydrated reads False.
 */
export async function customizationNote(exo: ExchangeSession): Promise<string> {
  if (!(await readIsDehydrated(exo))) return '';
  return ' The organization is not customized yet (IsDehydrated reads True). Microsoft documents customization as needed for role groups and management role assignments; whether this step needs it too is unconfirmed, so if Exchange refuses it, run “Enable organization customization” (in the ApplicationImpersonation guide) first.';
}
