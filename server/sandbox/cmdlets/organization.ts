/**
 * Get-OrganizationConfig, Set-OrganizationConfig and Enable-OrganizationCustomization. The EWS settings follow
 * Set-OrganizationConfig's reference and MC1227454: EwsEnabled is True, False or $null; EwsAllowedAppIDs is kept as
 * the one comma-separated string it was written as, and Get-OrganizationConfig shows it only with
 * -RetrieveEwsOperationAccessPolicy (a field report; the reference does not document that switch).
 */
import type { CmdletValue } from '../../../src/runbook/core/cmdlets.ts';
import { CmdletError, exoErrors } from '../errors.ts';
import type { CmdletHandler } from './context.ts';
import { seedGuid } from '../tenants/shared.ts';

/** EwsEnabled as PowerShell binds a nullable Boolean: True, False, $null, or a number; anything else is refused. */
function nullableBoolean(value: CmdletValue): boolean | null {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw new CmdletError(
    exoErrors.cannotConvert(
      'Set-OrganizationConfig',
      'EwsEnabled',
      `Cannot convert value "${Array.isArray(value) ? 'System.Object[]' : 'System.String'}" to type "System.Boolean". Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.`,
    ),
  );
}

/**
 * What EwsAllowedAppIDs stores for the values given: the one string they make, joined with commas when several were
 * passed (the sandbox's choice; the reference's example passes one string), or null for $null or an empty string.
 */
function storedAppIds(values: string[]): string | null {
  const joined = values.join(',');
  return joined === '' ? null : joined;
}

export const organizationCmdlets: CmdletHandler[] = [
  {
    name: 'Get-OrganizationConfig',
    params: { RetrieveEwsOperationAccessPolicy: { type: 'switch' } },
    run: ({ tenant, state, isDehydrated }, bound) => ({
      Name: tenant.domain,
      DisplayName: tenant.displayName,
      Identity: tenant.domain,
      Guid: seedGuid(`${tenant.domain}/organization`),
      IsDehydrated: isDehydrated,
      EwsEnabled: state.ews.enabled,
      // One multi-valued property holding the one string it was written as (read back "as a single element").
      ...(bound.RetrieveEwsOperationAccessPolicy === true
        ? { EwsAllowedAppIDs: state.ews.allowedAppIds === null ? [] : [state.ews.allowedAppIds] }
        : {}),
    }),
  },
  {
    name: 'Set-OrganizationConfig',
    // Only the EWS parameters the runbook uses. Whether the service needs customization for them is unconfirmed;
    // the sandbox does not (they are organization settings, not RBAC objects).
    params: { EwsEnabled: { type: 'any' }, EwsAllowedAppIDs: { type: 'string[]' } },
    shouldProcess: true,
    run(ctx, bound) {
      const enabled = 'EwsEnabled' in bound ? nullableBoolean(bound.EwsEnabled) : undefined;
      const appIds = Array.isArray(bound.EwsAllowedAppIDs) ? storedAppIds(bound.EwsAllowedAppIDs) : undefined;
      if (enabled !== undefined) ctx.state.ews.enabled = enabled;
      if (appIds !== undefined) ctx.state.ews.allowedAppIds = appIds;
      if (enabled !== undefined || appIds !== undefined) ctx.changed();
      return null;
    },
  },
  {
    name: 'Enable-OrganizationCustomization',
    params: {},
    shouldProcess: true,
    run(ctx) {
      // A second run fails, whether or not the first has taken effect yet.
      if (ctx.state.customizationEnabledAt !== null) throw new CmdletError(exoErrors.alreadyEnabled());
      ctx.state.customizationEnabledAt = ctx.now;
      ctx.changed();
      // As reported: the first run may error and still take effect (state.ts, firstEnableReportsError).
      if (ctx.state.firstEnableReportsError) throw new CmdletError(exoErrors.enableErroredButTookEffect());
      return null;
    },
  },
];
