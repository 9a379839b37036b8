/**
 * assign-application-role: gives a registered application an Exchange application role, for every mailbox or only
 * those of a management scope. Resolves the service principal with Get-ServicePrincipal -Identity and passes its
 * ObjectId to New-ManagementRoleAssignment -App, as the cmdlet reference documents. Retries through the delegating-
 * assignment refusal of freshly customized organizations, unless the admin is not an explicit member of Organization
 * Management (the other reported cause); verified with Get-ManagementRoleAssignment -Identity; undone by
 * remove-application-role-assignment.
 */
import { z } from 'zod';
import type { PlannedCall } from '../../../core/cmdlets.ts';
import { runbookFailure } from '../../../core/failure.ts';
import { dataOrThrow, echoingSession, explainNext, isNotFound, resolveCall, sameName } from '../../../core/session.ts';
import type { StepDefinition } from '../../../core/step.ts';
import { APPLICATION_ROLE_NAMES } from '../../../exchange/application-roles.ts';
import { CUSTOMIZATION_ERRORS, notCustomizedYet } from '../../../exchange/customization.ts';
import { RBAC_ERRORS } from '../errors.ts';
import { applicationRoleName, managementScopeName, servicePrincipalId } from '../params.ts';
import {
  describeHeld,
  explicitOrganizationManagementMember,
  findManagementScope,
  findRoleAssignment,
  findServicePrincipal,
  grants,
  heldApplicationRoles,
  ORGANIZATION_MANAGEMENT,
  writeWhileRbacSpreads,
} from '../queries.ts';
import { rbacLink } from '../sections.ts';

const params = z
  .object({
    app: servicePrincipalId,
    role: applicationRoleName.default('Application Mail.Read').meta({
      description:
        'The application role to assign; the list shows the common ones, Get-ManagementRole "Application *" lists all.',
      examples: APPLICATION_ROLE_NAMES,
    }),
    scope: managementScopeName
      .optional()
      .meta({ description: 'Management scope that limits the role to some mailboxes; leave empty for all.' }),
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

/** Why an admin who is not an explicit member of Organization Management should not start waiting. */
function notMember(upn: string) {
  return {
    state: 'blocked' as const,
    reason: `Get-RoleGroupMember '${ORGANIZATION_MANAGEMENT}' does not list ${upn}. Admins report that Exchange refuses application role assignments ("You must be assigned a delegating role assignment") to anyone who is not an explicit member, even a Global Administrator or Exchange Administrator in Entra ID, and no wait fixes that. Add yourself to ${ORGANIZATION_MANAGEMENT} (Exchange admin center > Roles > Admin roles), sign in again, then run this step. If you hold the delegating assignment another way, you can run it as is.`,
    guide: rbacLink('delegating'),
  };
}

export const assignApplicationRole: StepDefinition<typeof params> = {
  id: 'assign-application-role',
  title: 'Assign an application role',
  summary:
    'Gives the registered application an Exchange application role, for every mailbox or only those in a management scope.',
  params,
  irreversible: false,
  readOnly: false,
  undo: { step: 'remove-application-role-assignment', params: (p) => ({ name: assignmentName(p) }) },
  guide: rbacLink('assignRole'),
  plan(p: Params): PlannedCall[] {
    const assign: PlannedCall = {
      cmdlet: 'New-ManagementRoleAssignment',
      params: { Name: assignmentName(p), App: { output: 'sp', property: 'ObjectId' }, Role: p.role },
    };
    if (p.scope !== undefined) assign.params.CustomResourceScope = p.scope;
    return [{ cmdlet: 'Get-ServicePrincipal', params: { Identity: p.app }, saveAs: 'sp' }, assign];
  },
  async probe(exo, p) {
    const sp = await findServicePrincipal(exo, p.app);
    if (!sp) {
      return {
        state: 'blocked',
        reason: `Exchange has no service principal for ${p.app}: register the application first with “Register the application in Exchange”.`,
        guide: rbacLink('registerApp'),
      };
    }
    const role = await exo.invoke({ cmdlet: 'Get-ManagementRole', params: { Identity: p.role } });
    if (!role.ok && isNotFound(role.error)) {
      return {
        state: 'blocked',
        reason: `This organization has no role "${p.role}": Get-ManagementRole "Application *" lists the application roles it has.`,
        guide: rbacLink('chooseRole'),
      };
    }
    dataOrThrow(role, []);
    if (p.scope !== undefined && !(await findManagementScope(exo, p.scope))) {
      return {
        state: 'blocked',
        reason: `No management scope named "${p.scope}" exists: create it first with “Create a management scope”.`,
        guide: rbacLink('scope'),
      };
    }
    const held = await heldApplicationRoles(exo, sp);
    if (held.some((a) => grants(a, p.role, p.scope)))
      return { state: 'done', reason: `The application has ${p.role} for ${where(p.scope)}.` };
    const dehydrated = await notCustomizedYet(exo);
    if (dehydrated) return dehydrated;
    if ((await explicitOrganizationManagementMember(exo)) === false) return notMember(exo.upn!);
    const note = held.length ? ` It already holds ${held.map(describeHeld).join(', ')}; assignments add up.` : '';
    return { state: 'needed', reason: `The application does not have ${p.role} for ${where(p.scope)} yet.${note}` };
  },
  async run(ctx, p) {
    const exo = echoingSession(ctx);
    const [lookup, assign] = assignApplicationRole.plan(p) as [PlannedCall, PlannedCall];
    const sp = dataOrThrow(await exo.invoke(resolveCall(lookup)), knownErrors);
    await writeWhileRbacSpreads(ctx, resolveCall(assign, { sp }), knownErrors, 'create the role assignment');
    const name = assignmentName(p);
    explainNext(ctx, `Checking that the assignment "${name}" now exists with this role and scope:`);
    const made = await findRoleAssignment(exo, name);
    const scope =
      typeof made?.CustomResourceScope === 'string' && made.CustomResourceScope !== ''
        ? made.CustomResourceScope
        : undefined;
    if (
      !made ||
      !sameName(made.Role, p.role) ||
      (p.scope === undefined ? scope !== undefined : !sameName(scope, p.scope))
    ) {
      throw runbookFailure(
        'VerificationFailed',
        `New-ManagementRoleAssignment succeeded, but Get-ManagementRoleAssignment does not show "${name}" with ${p.role} for ${where(p.scope)}.`,
      );
    }
    ctx.emit('result', `The application now has ${p.role} for ${where(p.scope)} (assignment "${name}").`, made);
    return { name, app: p.app, role: p.role, scope: p.scope ?? null };
  },
  knownErrors,
};
