/**
 * create-role-group: a role group with the ApplicationImpersonation role and the accounts the application signs in
 * as. Retries with backoff while customization propagates; verifies the group, its role and its members.
 */
import { z } from 'zod';
import { runbookFailure } from '../../../core/failure.ts';
import { freeText, userPrincipalName } from '../../../core/params.ts';
import { writeThroughPropagation } from '../../../core/propagation.ts';
import {
  asList,
  echoingSession,
  explainNext,
  resolveCall,
  runCall,
  sameName,
  stringList,
} from '../../../core/session.ts';
import type { StepContext, StepDefinition } from '../../../core/step.ts';
import { IMPERSONATION_ROLE, impersonationRoleExists } from '../../../exchange/application-roles.ts';
import { CUSTOMIZATION_ERRORS, CUSTOMIZATION_SPREADING, readIsDehydrated } from '../../../exchange/customization.ts';
import { IMPERSONATION_ERRORS } from '../errors.ts';
import { roleGroupName } from '../params.ts';
import { findRoleGroup, ROLE_REMOVED } from '../queries.ts';
import { impersonationLink } from '../sections.ts';

const params = z
  .object({
    name: roleGroupName.default('EWS Application Impersonation'),
    // No default: whoever is listed can reach every mailbox through EWS, so the admin must name them deliberately.
    // The page pre-fills svc-ews@<your tenant> through suggestParams.
    members: z
      .array(userPrincipalName)
      .min(1, 'must list at least one member')
      .max(50, 'must list at most 50 members')
      .refine((m) => new Set(m.map((x) => x.toLowerCase())).size === m.length, 'must not list a member twice')
      .meta({ description: 'User principal names of the accounts the application signs in as.' }),
    description: freeText(1024).optional(),
  })
  .strict();
type Params = z.output<typeof params>;

const knownErrors = [
  CUSTOMIZATION_ERRORS.dehydrated,
  IMPERSONATION_ERRORS.impersonationRoleMissing,
  IMPERSONATION_ERRORS.roleGroupExists,
  IMPERSONATION_ERRORS.memberNotFound,
  IMPERSONATION_ERRORS.nameTooLong,
];

/** True when a Get-RoleGroup record carries the ApplicationImpersonation role. */
function hasImpersonationRole(group: Record<string, unknown>): boolean {
  return stringList(group.Roles).some((role) => sameName(role, IMPERSONATION_ROLE));
}

/** True when a Get-RoleGroupMember record is the account `upn`. */
function isMember(record: Record<string, unknown>, upn: string): boolean {
  return [record.WindowsLiveID, record.PrimarySmtpAddress, record.UserPrincipalName].some((value) =>
    sameName(value, upn),
  );
}

export const createRoleGroup: StepDefinition<typeof params> = {
  id: 'create-role-group',
  title: 'Create the impersonation role group',
  summary: 'Creates a role group that gives its members the ApplicationImpersonation role.',
  params,
  irreversible: false,
  readOnly: false,
  undo: { step: 'remove-role-group', params: (p) => ({ name: p.name }) },
  guide: impersonationLink('powershellEquivalent'),
  plan: (p: Params) => [
    {
      cmdlet: 'New-RoleGroup',
      params: {
        Name: p.name,
        Roles: [IMPERSONATION_ROLE],
        Members: p.members,
        ...(p.description === undefined ? {} : { Description: p.description }),
      },
    },
  ],
  suggestParams: ({ upn }) => ({ members: [`svc-ews@${upn.slice(upn.indexOf('@') + 1)}`] }),
  async probe(exo, p) {
    const group = await findRoleGroup(exo, p.name);
    if (group && hasImpersonationRole(group)) {
      const members = stringList(group.Members).join(', ') || 'none';
      return {
        state: 'done',
        reason: `A role group named "${p.name}" exists with ${IMPERSONATION_ROLE} (members: ${members}).`,
      };
    }
    if (group) {
      return {
        state: 'blocked',
        reason: `A role group named "${p.name}" exists without ${IMPERSONATION_ROLE}: choose another name, or remove that group first.`,
        guide: impersonationLink('errorAlreadyExists'),
      };
    }
    if (!(await impersonationRoleExists(exo))) return ROLE_REMOVED;
    if (await readIsDehydrated(exo)) {
      return {
        state: 'blocked',
        reason:
          'The organization is not customized yet (IsDehydrated reads True): run “Enable organization customization”, then “Wait until IsDehydrated reads False”.',
        guide: impersonationLink('enableCustomization'),
      };
    }
    return { state: 'needed', reason: `No role group named "${p.name}" exists yet.` };
  },
  async run(ctx, p) {
    await writeThroughPropagation(ctx, resolveCall(createRoleGroup.plan(p)[0]!), {
      write: 'create the role group',
      waitingFor: 'customization to reach every Exchange server',
      knownErrors,
      refusals: [CUSTOMIZATION_SPREADING],
    });
    return verify(ctx, p);
  },
  knownErrors,
};

/** Checks with Get-RoleGroup and Get-RoleGroupMember that the group has the role and every requested member. */
async function verify(ctx: StepContext, p: Params) {
  explainNext(ctx, 'Checking that the new group holds the role and every member:');
  const group = await findRoleGroup(echoingSession(ctx), p.name);
  if (!group || !hasImpersonationRole(group)) {
    throw runbookFailure(
      'VerificationFailed',
      `New-RoleGroup succeeded, but Get-RoleGroup does not show "${p.name}" with ${IMPERSONATION_ROLE}.`,
    );
  }
  const members = asList(await runCall(ctx, [], { cmdlet: 'Get-RoleGroupMember', params: { Identity: p.name } }));
  const missing = p.members.filter((upn) => !members.some((m) => isMember(m, upn)));
  if (missing.length) {
    throw runbookFailure(
      'VerificationFailed',
      `Get-RoleGroupMember does not list ${missing.join(', ')} in "${p.name}".`,
    );
  }
  ctx.emit('result', `Role group "${p.name}" has ${IMPERSONATION_ROLE}; members: ${p.members.join(', ')}.`);
  return { name: p.name, roles: stringList(group.Roles), members: p.members };
}
