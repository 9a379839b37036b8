/**
 * check-impersonation-role: does this organization still have the ApplicationImpersonation role? Read-only.
 * Tenants as in 2023 do; Microsoft removed it from Exchange Online from February 2025 (MC718754), so today's tenants do
 * not, and the reader is sent to RBAC for Applications instead.
 */
import { z } from 'zod';
import { impersonationLink } from '../sections.ts';
import { IMPERSONATION_ERRORS } from '../errors.ts';
import { asList, dataOrThrow, echoingSession, isNotFound, showRefusal } from '../../../core/session.ts';
import { IMPERSONATION_ROLE, impersonationRoleExists } from '../../../exchange/application-roles.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';
import { ROLE_REMOVED } from '../queries.ts';

const params = z.object({}).strict();

const lookup: CmdletCall = { cmdlet: 'Get-ManagementRole', params: { Identity: IMPERSONATION_ROLE } };
const knownErrors = [IMPERSONATION_ERRORS.impersonationRoleMissing];

export const checkImpersonationRole: StepDefinition<typeof params> = {
  id: 'check-impersonation-role',
  title: 'Check that the ApplicationImpersonation role exists',
  summary: 'Looks up the ApplicationImpersonation management role in your organization; changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: impersonationLink('roleStillThere'),
  plan: () => [lookup],
  async probe(exo) {
    if (!(await impersonationRoleExists(exo))) return ROLE_REMOVED;
    return {
      state: 'done',
      reason: 'The ApplicationImpersonation role exists in this organization, so a role group can use it.',
    };
  },
  // The check answers its question either way: a missing role is an answer (the guide is blocked), not a failure.
  async run(ctx) {
    const result = await echoingSession(ctx).invoke(lookup);
    if (!result.ok && isNotFound(result.error)) {
      showRefusal(ctx, result.error);
      ctx.emit(
        'result',
        `${IMPERSONATION_ROLE} does not exist in this organization: Microsoft removed it from Exchange Online from February 2025 (MC718754). Give the application access with RBAC for Applications instead.`,
      );
      return { exists: false };
    }
    const role = asList(dataOrThrow(result, knownErrors))[0] ?? {};
    ctx.emit('result', `${IMPERSONATION_ROLE} exists (RoleType ${String(role.RoleType)}): a role group can use it.`);
    return { exists: true, name: role.Name, roleType: role.RoleType };
  },
  knownErrors,
};
