/**
 * remove-role-group: removes a role group by name (the undo of create-role-group) and checks it is gone.
 */
import { z } from 'zod';
import { removalStep } from '../../../core/removal-step.ts';
import { CUSTOMIZATION_ERRORS } from '../../../exchange/customization.ts';
import { IMPERSONATION_ERRORS } from '../errors.ts';
import { roleGroupName } from '../params.ts';
import { findRoleGroup } from '../queries.ts';
import { impersonationLink } from '../sections.ts';

export const removeRoleGroup = removalStep({
  id: 'remove-role-group',
  title: 'Remove the role group',
  summary: 'Removes the role group and with it the role assignments it grants to its members.',
  params: z.object({ name: roleGroupName }).strict(),
  guide: impersonationLink('cleanUp'),
  describe: (p) => `role group "${p.name}"`,
  remove: (p) => ({ cmdlet: 'Remove-RoleGroup', params: { Identity: p.name, Confirm: false } }),
  find: (exo, p) => findRoleGroup(exo, p.name),
  knownErrors: [IMPERSONATION_ERRORS.roleGroupNotFound, CUSTOMIZATION_ERRORS.dehydrated],
  texts: {
    present: (p) => `A role group named "${p.name}" exists.`,
    absent: (p) => `No role group named "${p.name}" exists.`,
    stillThere: (p) => `Remove-RoleGroup succeeded, but Get-RoleGroup still finds "${p.name}".`,
    removed: (p) => `Role group "${p.name}" removed; Get-RoleGroup no longer finds it.`,
  },
  result: (p) => ({ name: p.name, removed: true }),
  confirm: (p) => ({
    title: `Remove the role group "${p.name}"?`,
    text: `Its members lose the ApplicationImpersonation role it grants them: an application signing in as one of them can no longer act as other mailbox users through EWS. To give it back, create the role group again.`,
    action: 'Remove the role group',
  }),
});
