/**
 * find-impersonation-assignments: which accounts still hold ApplicationImpersonation, with Microsoft's own command
 * (-GetEffectiveUsers expands role groups into their members; -Delegating:$false leaves out the right to hand the
 * role on), run exactly as the step shows it. Read-only. In organizations where the role is gone, Exchange answers
 * that it cannot find the role, and nothing can hold it any more.
 */
import { z } from 'zod';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { asList, dataOrThrow, echoingSession, isNotFound } from '../../../core/session.ts';
import { IMPERSONATION_ROLE } from '../../../exchange/application-roles.ts';
import type { CmdletCall, ExchangeSession } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z.object({}).strict();
const find: CmdletCall = {
  cmdlet: 'Get-ManagementRoleAssignment',
  params: { Role: IMPERSONATION_ROLE, GetEffectiveUsers: true, Delegating: false },
};
const knownErrors = [RBAC_ERRORS.objectNotFound];

/** What the reader needs from each assignment: who holds it, how, and which account it reaches. */
function summarize(row: Record<string, unknown>) {
  return {
    Name: String(row.Name),
    RoleAssigneeName: String(row.RoleAssigneeName),
    RoleAssigneeType: String(row.RoleAssigneeType),
    EffectiveUserName: String(row.EffectiveUserName ?? row.RoleAssigneeName),
  };
}

/** The leftover assignments, or undefined when Exchange cannot find the role (the organization no longer has it). */
async function leftovers(exo: ExchangeSession) {
  const result = await exo.invoke(find);
  if (!result.ok && isNotFound(result.error)) return undefined;
  return asList(dataOrThrow(result, knownErrors)).map(summarize);
}

const ROLE_GONE =
  'Exchange cannot find ApplicationImpersonation in this organization (Microsoft removed it from Exchange Online from February 2025, MC718754), so no account can hold it any more.';

export const findImpersonationAssignments: StepDefinition<typeof params> = {
  id: 'find-impersonation-assignments',
  title: 'Find what still uses ApplicationImpersonation',
  summary:
    'Lists the accounts that hold the ApplicationImpersonation role, directly or through a role group; changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: rbacLink('findAssignments'),
  plan: () => [find],
  async probe(exo) {
    const found = await leftovers(exo);
    if (found === undefined) {
      return {
        state: 'done',
        reason: `${ROLE_GONE} Applications that relied on it lost their access then: register each one below and give it an application role.`,
      };
    }
    if (!found.length) return { state: 'done', reason: 'No account holds ApplicationImpersonation any more.' };
    const who = [
      ...new Set(
        found.map(
          (a) =>
            `${a.EffectiveUserName} (${a.RoleAssigneeType === 'RoleGroup' ? `through role group ${a.RoleAssigneeName}` : 'directly'})`,
        ),
      ),
    ];
    return {
      state: 'needed',
      reason: `${who.length} account${who.length === 1 ? '' : 's'} still hold${who.length === 1 ? 's' : ''} ApplicationImpersonation: ${who.join(', ')}. Move the applications behind them to RBAC for Applications.`,
    };
  },
  async run(ctx) {
    const assignments = await leftovers(echoingSession(ctx));
    if (assignments === undefined) {
      ctx.emit('result', `${ROLE_GONE} Nothing to list; register the applications that used it as shown below.`);
      return { roleExists: false, assignments: [] };
    }
    ctx.emit(
      'result',
      assignments.length
        ? `${assignments.length} assignment${assignments.length === 1 ? '' : 's'} of ApplicationImpersonation remain.`
        : 'No account holds ApplicationImpersonation any more.',
      assignments,
    );
    return { roleExists: true, assignments };
  },
  knownErrors,
};
