/**
 * assign-application-role: gives a registered application an Exchange application role, for every mailbox or only
 * those of a management scope (New-ManagementRoleAssignment -App). Retries through the delegating-assignment refusal
 * of freshly customized organizations; verified with Get-ManagementRoleAssignment; undone by
 * remove-application-role-assignment.
 */
import { z } from 'zod';
import { APPLICATION_ROLE_NAMES } from '../../../exchange/application-roles.ts';
import { CUSTOMIZATION_ERRORS, notCustomizedYet } from '../../../exchange/customization.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { rbacLink } from '../sections.ts';
import { managementScopeName, servicePrincipalId } from '../params.ts';
import {
  appRoleAssignments, findManagementScope, findServicePrincipal, grants, writeWhileRbacSpreads,
} from '../queries.ts';
import { echoingSession, explainNext } from '../../../core/session.ts';
import { runbookFailure } from '../../../core/failure.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z
  .object({
    app: servicePrincipalId,
    role: z.enum(APPLICATION_ROLE_NAMES).default('Application Mail.Read').meta({ description: 'The application role to assign.' }),
    scope: managementScopeName.optional().meta({ description: 'Management scope that limits the role to some mailboxes; leave empty for all.' }),
  })
  .strict();
type Params = z.output<typeof params>;

/** The assignment's name, derived from the parameters so its undo can name it: role, app id prefix, scope. */
function assignmentName(p: Params): string {
  return `${p.role}-${p.app.slice(0, 8)}${p.scope ? `-${p.scope}` : ''}`.slice(0, 64);
}

/** How the reader sees where a role applies. */
function where(scope: string | undefined): string {
  return scope ? `the mailboxes of scope "${scope}"` : 'every mailbox in the organization';
}

const knownErrors = [
  CUSTOMIZATION_ERRORS.dehydrated,
  CUSTOMIZATION_ERRORS.customizationPropagating,
  RBAC_ERRORS.delegatingAssignment,
  RBAC_ERRORS.assignmentExists,
  RBAC_ERRORS.objectNotFound,
];

export const assignApplicationRole: StepDefinition<typeof params> = {
  id: 'assign-application-role',
  title: 'Assign an application role',
  summary: 'Gives the registered application an Exchange application role, for every mailbox or only those in a management scope.',
  params,
  irreversible: false,
  readOnly: false,
  undo: { step: 'remove-application-role-assignment', params: (p) => ({ name: assignmentName(p) }) },
  guide: rbacLink('assignRole'),
  plan(p: Params): CmdletCall[] {
    const call: CmdletCall = { cmdlet: 'New-ManagementRoleAssignment', params: { Name: assignmentName(p), App: p.app, Role: p.role } };
    if (p.scope !== undefined) call.params.CustomResourceScope = p.scope;
    return [call];
  },
  async probe(exo, p) {
    if (!(await findServicePrincipal(exo, p.app))) {
      return { state: 'blocked', reason: `Exchange has no service principal for ${p.app}: register the application first with “Register the application in Exchange”.`, guide: rbacLink('registerApp') };
    }
    if (p.scope !== undefined && !(await findManagementScope(exo, p.scope))) {
      return { state: 'blocked', reason: `No management scope named "${p.scope}" exists: create it first with “Create a management scope”.`, guide: rbacLink('scope') };
    }
    const held = await appRoleAssignments(exo, p.app);
    if (held.some((a) => grants(a, p.role, p.scope))) return { state: 'done', reason: `The application has ${p.role} for ${where(p.scope)}.` };
    /* eslint-disable @typescript-eslint/no-base-to-string -- Exchange lists the scope by its name */
    const others = held.map((a) => `${String(a.Role)} (${a.CustomResourceScope ? `scope ${String(a.CustomResourceScope)}` : 'all mailboxes'})`);
    /* eslint-enable @typescript-eslint/no-base-to-string */
    const note = others.length ? ` It already holds ${others.join(', ')}; assignments add up.` : '';
    return (await notCustomizedYet(exo)) ?? { state: 'needed', reason: `The application does not have ${p.role} for ${where(p.scope)} yet.${note}` };
  },
  async run(ctx, p) {
    await writeWhileRbacSpreads(ctx, assignApplicationRole.plan(p)[0]!, knownErrors, 'create the role assignment');
    explainNext(ctx, "Checking that the application's assignments now include this role with this scope:");
    const held = await appRoleAssignments(echoingSession(ctx), p.app);
    if (!held.some((a) => grants(a, p.role, p.scope))) {
      throw runbookFailure('VerificationFailed', `New-ManagementRoleAssignment succeeded, but Get-ManagementRoleAssignment does not show ${p.role} for ${p.app}.`);
    }
    ctx.emit('result', `The application now has ${p.role} for ${where(p.scope)} (assignment "${assignmentName(p)}").`);
    return { name: assignmentName(p), app: p.app, role: p.role, scope: p.scope ?? null };
  },
  knownErrors,
};
