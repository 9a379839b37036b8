/**
 * check-impersonation-role: does this organization still have the ApplicationImpersonation role? Read-only.
 * Tenants as in 2023 do; Microsoft removed it from Exchange Online from February 2025 (MC718754), so today's tenants do
 * not, and the reader is sent to RBAC for Applications instead.
 */
import { z } from 'zod';
import { guideLink } from '../guide-links.ts';
import { KNOWN_ERRORS, RBAC_FOR_APPLICATIONS_GUIDE } from '../known-errors.ts';
import { asList, IMPERSONATION_ROLE, impersonationRoleExists, runCall } from '../step-runtime.ts';
import type { CmdletCall, ProbeResult, StepDefinition } from '../types.ts';

const params = z.object({}).strict();

/** Why a tenant without the role cannot follow the impersonation guide; shared with create-role-group's probe. */
export const ROLE_REMOVED: ProbeResult = {
  state: 'blocked',
  reason:
    'Microsoft removed ApplicationImpersonation from Exchange Online from February 2025 (MC718754), and this organization no longer has it. Grant the application access with RBAC for Applications instead.',
  guide: RBAC_FOR_APPLICATIONS_GUIDE,
};

const lookup: CmdletCall = { cmdlet: 'Get-ManagementRole', params: { Identity: IMPERSONATION_ROLE } };
const knownErrors = [KNOWN_ERRORS.impersonationRoleMissing];

export const checkImpersonationRole: StepDefinition<typeof params> = {
  id: 'check-impersonation-role',
  title: 'Check that the ApplicationImpersonation role exists',
  summary: 'Looks up the ApplicationImpersonation management role in your organization; changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: guideLink('roleStillThere'),
  plan: () => [lookup],
  async probe(exo) {
    if (!(await impersonationRoleExists(exo))) return ROLE_REMOVED;
    return { state: 'done', reason: 'The ApplicationImpersonation role exists in this organization, so a role group can use it.' };
  },
  async run(ctx) {
    const role = asList(await runCall(ctx, knownErrors, lookup))[0] ?? {};
    ctx.emit('result', `${IMPERSONATION_ROLE} exists (RoleType ${String(role.RoleType)}).`);
    return { name: role.Name, roleType: role.RoleType };
  },
  knownErrors,
};
