/**
 * Read-only queries the RBAC for Applications steps share: the service principal, the management scope, the role
 * assignments of an application, each answering "not there" as undefined or an empty list instead of an error; and
 * the retry of writes through the lags of a freshly customized organization.
 */
import type { CmdletCall, ExchangeSession } from '../../core/cmdlets.ts';
import type { KnownError } from '../../core/known-errors.ts';
import { type PropagationRefusal, writeThroughPropagation } from '../../core/propagation.ts';
import { getOrEmpty, sameName } from '../../core/session.ts';
import type { StepContext } from '../../core/step.ts';
import { CUSTOMIZATION_SPREADING } from '../../exchange/customization.ts';
import { RBAC_ERRORS } from './errors.ts';

type Row = Record<string, unknown>;

/** The service principal `id` names (application id or object id), or undefined. */
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

/** The non-delegating role assignments held by service principal `app` (empty when it is not registered). */
export async function appRoleAssignments(exo: ExchangeSession, app: string): Promise<Row[]> {
  const rows = await getOrEmpty(exo, {
    cmdlet: 'Get-ManagementRoleAssignment',
    params: { RoleAssignee: app, Delegating: false },
  });
  return rows.filter((a) => a.RoleAssigneeType === 'ServicePrincipal');
}

/** True when assignment `a` grants `role` with exactly `scope` (undefined = the whole organization). */
export function grants(a: Row, role: string, scope: string | undefined): boolean {
  const assigned =
    typeof a.CustomResourceScope === 'string' && a.CustomResourceScope !== '' ? a.CustomResourceScope : undefined;
  return sameName(a.Role, role) && (scope === undefined ? assigned === undefined : sameName(assigned, scope));
}

/** The delegating-assignment refusal, for writeThroughPropagation: admins report 40-60 minutes of it after customization. */
const DELEGATION_SPREADING: PropagationRefusal = {
  matches: (error) => RBAC_ERRORS.delegatingAssignment.pattern.test(error.message),
  judge: async () => ({
    retry: 'Exchange does not count the delegating role assignment yet',
    known: RBAC_ERRORS.delegatingAssignment,
  }),
};

/**
 * Runs a write that a freshly customized organization may still refuse, retrying with backoff while it does: the
 * dehydrated error once IsDehydrated reads False (customization still spreading) and the delegating-assignment error.
 * Any other error, or the dehydrated one while IsDehydrated reads True, fails at once.
 */
export function writeWhileRbacSpreads(
  ctx: StepContext,
  call: CmdletCall,
  knownErrors: readonly KnownError[],
): Promise<unknown> {
  return writeThroughPropagation(ctx, call, {
    waitingFor: 'Exchange to accept the change (customization and role delegation spread server by server)',
    knownErrors,
    refusals: [DELEGATION_SPREADING, CUSTOMIZATION_SPREADING],
  });
}
