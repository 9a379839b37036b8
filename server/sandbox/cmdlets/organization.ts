/**
 * Get-OrganizationConfig and Enable-OrganizationCustomization.
 */
import { CmdletError, exoErrors } from '../errors.ts';
import type { CmdletHandler } from './context.ts';
import { seedGuid } from '../tenants/shared.ts';

export const organizationCmdlets: CmdletHandler[] = [
  {
    name: 'Get-OrganizationConfig',
    params: {},
    run: ({ tenant, isDehydrated }) => ({
      Name: tenant.domain,
      DisplayName: tenant.displayName,
      Identity: tenant.domain,
      Guid: seedGuid(`${tenant.domain}/organization`),
      IsDehydrated: isDehydrated,
    }),
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
