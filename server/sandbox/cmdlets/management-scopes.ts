/**
 * Get-ManagementScope, New-ManagementScope and Remove-ManagementScope, and which mailboxes a scope holds: its OPATH
 * recipient filter evaluated against each mailbox's attributes (the same parser the step validates with).
 */
import { FilterSyntaxError, matchesFilter, parseFilter } from '../../../src/runbook/exchange/opath.ts';
import { CmdletError, exoErrors } from '../errors.ts';
import type { Mailbox, ManagementScope, TenantState } from '../state.ts';
import type { SandboxTenant } from '../tenants/shared.ts';
import type { CmdletHandler } from './context.ts';
import { directoryDn } from './directory.ts';
import { isWildcard, matchesIdentity, str } from './identity.ts';
import { mailboxProperty } from './mailboxes.ts';

/** A scope as Get-ManagementScope shows it. */
function showScope(scope: ManagementScope) {
  return {
    Name: scope.name,
    Identity: scope.name,
    RecipientFilter: scope.recipientFilter,
    ScopeRestrictionType: 'RecipientScope',
    Exclusive: false,
    Guid: scope.guid,
    WhenCreatedUTC: scope.whenCreatedUtc,
  };
}

/** Whether `scope`'s filter selects mailbox `m`. */
export function scopeContains(scope: ManagementScope, m: Mailbox): boolean {
  return matchesFilter(parseFilter(scope.recipientFilter), (property) => mailboxProperty(m, property));
}

/** The one scope `identity` names (by name, any case, or GUID), or Exchange's not-found error. */
export function requireScope(tenant: SandboxTenant, state: TenantState, identity: string): ManagementScope {
  const scope = state.managementScopes.find(
    (s) => s.name.toLowerCase() === identity.toLowerCase() || s.guid === identity.toLowerCase(),
  );
  if (!scope) throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
  return scope;
}

export const managementScopeCmdlets: CmdletHandler[] = [
  {
    name: 'Get-ManagementScope',
    params: { Identity: { type: 'string' }, Exclusive: { type: 'bool' }, Orphan: { type: 'switch' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity) ?? '*';
      if (isWildcard(identity))
        return state.managementScopes.filter((s) => matchesIdentity(s.name, identity)).map(showScope);
      return [showScope(requireScope(tenant, state, identity))];
    },
  },
  {
    name: 'New-ManagementScope',
    params: {
      Name: { type: 'string', mandatory: true, maxLength: 64 },
      // Mandatory here: the sandbox models recipient scopes only (no -RecipientRoot or server scopes).
      RecipientRestrictionFilter: { type: 'string', mandatory: true },
      RecipientRoot: { type: 'string' },
      Exclusive: { type: 'switch' },
      Force: { type: 'switch' },
    },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const { tenant, state } = ctx;
      const name = str(bound.Name)!;
      const filter = str(bound.RecipientRestrictionFilter)!;
      try {
        parseFilter(filter);
      } catch (error) {
        if (error instanceof FilterSyntaxError) throw new CmdletError(exoErrors.invalidFilter(error.message));
        throw error;
      }
      if (state.managementScopes.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
        throw new CmdletError(
          exoErrors.alreadyExists(tenant.domainController, directoryDn(tenant, name, 'CN=Scopes,CN=RBAC,')),
        );
      }
      const scope: ManagementScope = {
        name,
        recipientFilter: filter,
        guid: crypto.randomUUID(),
        whenCreatedUtc: new Date(ctx.now).toISOString(),
      };
      state.managementScopes.push(scope);
      ctx.changed();
      return showScope(scope);
    },
  },
  {
    name: 'Remove-ManagementScope',
    params: { Identity: { type: 'string', mandatory: true } },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const scope = requireScope(ctx.tenant, ctx.state, str(bound.Identity)!);
      const users = ctx.state.roleAssignments.filter((a) => a.customResourceScope === scope.name).map((a) => a.name);
      if (users.length) throw new CmdletError(exoErrors.scopeInUse(scope.name, users));
      ctx.state.managementScopes = ctx.state.managementScopes.filter((s) => s !== scope);
      ctx.changed();
      return null;
    },
  },
];
