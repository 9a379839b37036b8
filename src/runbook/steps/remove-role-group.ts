/**
 * remove-role-group: removes a role group by name (the undo of create-role-group) and checks it is gone.
 */
import { z } from 'zod';
import { guideLink } from '../guide-links.ts';
import { KNOWN_ERRORS } from '../known-errors.ts';
import { roleGroupName } from '../params.ts';
import { echoingSession, findRoleGroup, resolveCall, runCall } from '../step-runtime.ts';
import { runbookFailure } from '../step-failure.ts';
import type { StepDefinition } from '../types.ts';

const params = z.object({ name: roleGroupName }).strict();
const knownErrors = [KNOWN_ERRORS.roleGroupNotFound, KNOWN_ERRORS.dehydrated];

export const removeRoleGroup: StepDefinition<typeof params> = {
  id: 'remove-role-group',
  title: 'Remove the role group',
  summary: 'Removes the role group and with it the role assignments it grants to its members.',
  params,
  irreversible: false,
  readOnly: false,
  guide: guideLink('cleanUp'),
  plan: (p) => [{ cmdlet: 'Remove-RoleGroup', params: { Identity: p.name, Confirm: false } }],
  async probe(exo, p) {
    if (await findRoleGroup(exo, p.name)) return { state: 'needed', reason: `A role group named "${p.name}" exists.` };
    return { state: 'done', reason: `No role group named "${p.name}" exists.` };
  },
  async run(ctx, p) {
    await runCall(ctx, knownErrors, resolveCall(removeRoleGroup.plan(p)[0]!));
    if (await findRoleGroup(echoingSession(ctx), p.name)) {
      throw runbookFailure('VerificationFailed', `Remove-RoleGroup succeeded, but Get-RoleGroup still finds "${p.name}".`);
    }
    ctx.emit('result', `Role group "${p.name}" removed; Get-RoleGroup no longer finds it.`);
    return { name: p.name, removed: true };
  },
  knownErrors,
};
