/**
 * Get-OrganizationConfig, Set-OrganizationConfig and Enable-OrganizationCustomization. The EWS settings follow the
 * Set-OrganizationConfig reference: EwsEnabled is a Boolean (True or False once written; $null, not configured, in a
 * tenant that never wrote it); EwsAllowedAppIDs is one String, "AppId1,AppId2,...", kept as it was written, and $null
 * (or an empty string) clears it. Get-OrganizationConfig shows the list only with -RetrieveEwsOperationAccessPolicy
 * (MC1227454 reads it back that way; field reports say it reads empty without).
 */
import { CmdletError, exoErrors } from '../errors.ts';
import type { CmdletHandler } from './context.ts';
import { str } from './identity.ts';
import { seedGuid } from '../tenants/shared.ts';

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
    // Only the EWS parameters the runbook uses (the stand-in declares all the reference's). Whether the service needs
    // customization for them is unconfirmed; the sandbox does not (they are organization settings, not RBAC objects).
    params: { EwsEnabled: { type: 'bool' }, EwsAllowedAppIDs: { type: 'string' } },
    shouldProcess: true,
    run(ctx, bound) {
      if (typeof bound.EwsEnabled === 'boolean') ctx.state.ews.enabled = bound.EwsEnabled;
      const appIds = str(bound.EwsAllowedAppIDs);
      if (appIds !== undefined) ctx.state.ews.allowedAppIds = appIds === '' ? null : appIds;
      if ('EwsEnabled' in bound || appIds !== undefined) ctx.changed();
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
