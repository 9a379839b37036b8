/**
 * Get-ServicePrincipal, New-ServicePrincipal and Remove-ServicePrincipal: registering an Entra ID application in
 * Exchange (RBAC for Applications). New-ServicePrincipal checks the ids against the tenant's Entra applications, so
 * the usual mistake (the app registration's object id instead of the enterprise application's) is caught.
 */
import { CmdletError, exoErrors } from '../errors.ts';
import type { ServicePrincipal, TenantState } from '../state.ts';
import type { SandboxTenant } from '../tenants/shared.ts';
import type { CmdletHandler } from './context.ts';
import { isWildcard, matchesIdentity, str } from './identity.ts';
import { directoryDn } from './directory.ts';

/** A service principal as Get-ServicePrincipal shows it. */
function showServicePrincipal(sp: ServicePrincipal) {
  return {
    DisplayName: sp.displayName,
    AppId: sp.appId,
    ObjectId: sp.objectId,
    Identity: sp.objectId,
    WhenCreatedUTC: sp.whenCreatedUtc,
  };
}

/** The service principals `identity` names (object id, app id or display name; `*` wildcards allowed). */
function matching(state: TenantState, identity: string): ServicePrincipal[] {
  return state.servicePrincipals.filter((sp) =>
    [sp.objectId, sp.appId, sp.displayName].some((v) => matchesIdentity(v, identity)),
  );
}

/** The one service principal `identity` names, or Exchange's not-found error. */
export function requireServicePrincipal(tenant: SandboxTenant, state: TenantState, identity: string): ServicePrincipal {
  const found = isWildcard(identity) ? [] : matching(state, identity);
  if (!found.length) throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
  return found[0]!;
}

export const servicePrincipalCmdlets: CmdletHandler[] = [
  {
    name: 'Get-ServicePrincipal',
    params: { Identity: { type: 'string' }, Organization: { type: 'string' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity) ?? '*';
      if (isWildcard(identity)) return matching(state, identity).map(showServicePrincipal);
      return [showServicePrincipal(requireServicePrincipal(tenant, state, identity))];
    },
  },
  {
    name: 'New-ServicePrincipal',
    params: {
      AppId: { type: 'string', mandatory: true },
      ObjectId: { type: 'string', mandatory: true },
      DisplayName: { type: 'string', maxLength: 256 },
    },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const { tenant, state } = ctx;
      const appId = str(bound.AppId)!;
      const objectId = str(bound.ObjectId)!;
      const app = state.entraApplications.find((a) => a.appId.toLowerCase() === appId.toLowerCase());
      if (!app) throw new CmdletError(exoErrors.appNotInEntra(appId));
      if (app.servicePrincipalObjectId.toLowerCase() !== objectId.toLowerCase())
        throw new CmdletError(exoErrors.notEnterpriseAppObjectId(objectId, appId));
      if (state.servicePrincipals.some((sp) => sp.appId === app.appId)) {
        throw new CmdletError(
          exoErrors.alreadyExists(tenant.domainController, directoryDn(tenant, app.servicePrincipalObjectId)),
        );
      }
      const sp: ServicePrincipal = {
        displayName: str(bound.DisplayName) || app.displayName,
        appId: app.appId,
        objectId: app.servicePrincipalObjectId,
        whenCreatedUtc: new Date(ctx.now).toISOString(),
      };
      state.servicePrincipals.push(sp);
      ctx.changed();
      return showServicePrincipal(sp);
    },
  },
  {
    name: 'Remove-ServicePrincipal',
    params: { Identity: { type: 'string', mandatory: true } },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const sp = requireServicePrincipal(ctx.tenant, ctx.state, str(bound.Identity)!);
      ctx.state.servicePrincipals = ctx.state.servicePrincipals.filter((x) => x !== sp);
      // The sandbox's choice: it removes the principal's role assignments with it, so none is left pointing at nothing.
      // What Exchange does with them is undocumented (exchange-facts.md section 7); the guide removes them first.
      ctx.state.roleAssignments = ctx.state.roleAssignments.filter(
        (a) => !(a.assigneeType === 'ServicePrincipal' && a.assignee === sp.objectId),
      );
      ctx.changed();
      return null;
    },
  },
];
