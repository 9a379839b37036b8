/**
 * Read-only queries the RBAC for Applications steps share: the service principal, the management scope, the role
 * assignments of an application, each answering "not there" as undefined or an empty list instead of an error; and
 * the retry of writes through the lags of a freshly customized organization.
 */
import { guideLink } from './guide-links.ts';
import { KNOWN_ERRORS } from './known-errors.ts';
import { RBAC_KNOWN_ERRORS } from './rbac-known-errors.ts';
import { StepFailure } from './step-failure.ts';
import { asList, dataOrThrow, echoingSession, isNotFound, readIsDehydrated, sameName } from './step-runtime.ts';
import type { CmdletCall, ExchangeSession, ExoError, KnownError, ProbeResult, StepContext } from './types.ts';
import { withBackoff } from './wait-policy.ts';

type Row = Record<string, unknown>;

/** Runs a Get- call; Exchange's not-found error becomes an empty list. */
async function getOrEmpty(exo: ExchangeSession, call: CmdletCall): Promise<Row[]> {
  const result = await exo.invoke(call);
  if (!result.ok && isNotFound(result.error)) return [];
  return asList(dataOrThrow(result, []));
}

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
  return asList(dataOrThrow(await exo.invoke({ cmdlet: 'Test-ServicePrincipalAuthorization', params: { Identity: String(sp.ObjectId) } }), []));
}

/** True when row `a` of Test-ServicePrincipalAuthorization grants `role` with exactly `scope` (undefined = every mailbox). */
export function grants(a: Row, role: string, scope: string | undefined): boolean {
  if (!sameName(a.RoleName, role)) return false;
  return scope === undefined ? sameName(a.ScopeType, 'Organization') : sameName(a.AllowedResourceScope, scope);
}

/** How the reader sees one held role: `Application Mail.Read (scope EWS-Archive mailboxes)` or `(all mailboxes)`. */
export function describeHeld(a: Row): string {
  const where = sameName(a.ScopeType, 'Organization') ? 'all mailboxes' : `${String(a.ScopeType)} ${String(a.AllowedResourceScope)}`;
  return `${String(a.RoleName)} (${where})`;
}

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
  return asList(result.data).some((m) => [m.WindowsLiveID, m.PrimarySmtpAddress, m.UserPrincipalName].some((v) => sameName(v, upn)));
}

/** The role group whose explicit members hold the delegating assignments of the application roles. */
export const ORGANIZATION_MANAGEMENT = 'Organization Management';

/**
 * Runs a write that a freshly customized organization may still refuse, retrying with backoff while it does: the
 * dehydrated error once IsDehydrated reads False (customization still spreading) and the delegating-assignment error
 * (admins report 40-60 minutes of it), unless Get-RoleGroupMember shows the admin is not an explicit member of
 * Organization Management, the other reported cause, which no wait fixes. Any other error, or the dehydrated one while
 * IsDehydrated reads True, fails at once. Every call it makes is echoed.
 */
export async function writeThroughPropagation(ctx: StepContext, call: CmdletCall, knownErrors: readonly KnownError[]): Promise<unknown> {
  const exo = echoingSession(ctx);
  let refusal: { error: ExoError; known: KnownError } | undefined;
  let memberChecked = false;
  const outcome = await withBackoff(ctx, {
    waitingFor: 'Exchange to accept the change (customization and role delegation spread server by server)',
    async check() {
      const result = await exo.invoke(call);
      if (result.ok) return { done: result.data };
      if (RBAC_KNOWN_ERRORS.delegatingAssignment.pattern.test(result.error.message)) {
        if (!memberChecked) {
          memberChecked = true;
          if ((await explicitOrganizationManagementMember(exo)) === false) throw new StepFailure(result.error, RBAC_KNOWN_ERRORS.notOrganizationManagementMember);
        }
        refusal = { error: result.error, known: RBAC_KNOWN_ERRORS.delegatingAssignment };
        return { retry: 'Exchange does not count the delegating role assignment yet' };
      }
      if (!KNOWN_ERRORS.dehydrated.pattern.test(result.error.message)) return { done: dataOrThrow(result, knownErrors) };
      if (await readIsDehydrated(exo)) throw new StepFailure(result.error, KNOWN_ERRORS.dehydrated);
      refusal = { error: result.error, known: KNOWN_ERRORS.customizationPropagating };
      return { retry: 'IsDehydrated reads False, but Exchange still refuses the write' };
    },
  });
  if ('timedOut' in outcome) throw new StepFailure(refusal!.error, refusal!.known);
  return outcome.done;
}

/**
 * A `blocked` verdict while the organization is not customized (IsDehydrated True), else undefined. For management
 * role assignments, which Microsoft documents as needing customization.
 */
export async function notCustomizedYet(exo: ExchangeSession): Promise<ProbeResult | undefined> {
  if (!(await readIsDehydrated(exo))) return undefined;
  return {
    state: 'blocked',
    reason: 'The organization is not customized yet (IsDehydrated reads True): run enable-customization, then check-dehydrated, from the ApplicationImpersonation guide.',
    guide: guideLink('enableCustomization'),
  };
}

/**
 * A note for steps whose need of customization is not documented (New-ServicePrincipal, New-ManagementScope:
 * exchange-facts.md section 7 marks it unconfirmed): empty when IsDehydrated reads False.
 */
export async function customizationNote(exo: ExchangeSession): Promise<string> {
  if (!(await readIsDehydrated(exo))) return '';
  return ' The organization is not customized yet (IsDehydrated reads True). Microsoft documents customization as needed for role groups and management role assignments; whether this step needs it too is unconfirmed, so if Exchange refuses it, run enable-customization first.';
}
