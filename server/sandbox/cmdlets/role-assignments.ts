/**
 * Get-ManagementRoleAssignment, New-ManagementRoleAssignment and Remove-ManagementRoleAssignment. Direct assignments
 * (to users and service principals) are stored; a role group's assignments are derived from the group, as Exchange
 * creates one per role when the group is made. -GetEffectiveUsers expands groups into their members, which is how
 * Microsoft's command finds every account that still holds ApplicationImpersonation.
 */
import { CmdletError, exoErrors } from '../errors.ts';
import type { RoleAssignment, TenantState } from '../state.ts';
import { type SandboxTenant, seedGuid } from '../tenants/shared.ts';
import type { CmdletContext, CmdletHandler } from './context.ts';
import { directoryDn } from './directory.ts';
import { findMailbox, matchesIdentity, str } from './identity.ts';
import { requireScope } from './management-scopes.ts';
import { requireServicePrincipal } from './service-principals.ts';

/** Every assignment: the stored direct ones, then one per role of each role group. */
function allAssignments(tenant: SandboxTenant, state: TenantState): RoleAssignment[] {
  const fromGroups = state.roleGroups.flatMap((g) =>
    g.roles.map((role): RoleAssignment => ({
      name: `${role}-${g.name}`,
      role,
      assigneeType: 'RoleGroup',
      assignee: g.name,
      delegating: false,
      customResourceScope: null,
      guid: seedGuid(`${tenant.domain}/assignment/${g.guid}/${role}`),
      whenCreatedUtc: g.whenCreatedUtc,
    })),
  );
  return [...state.roleAssignments, ...fromGroups];
}

/** The name Exchange shows for an assignee: a mailbox's name, a group's name, a service principal's object id. */
function assigneeName(state: TenantState, a: RoleAssignment): string {
  if (a.assigneeType === 'User')
    return state.mailboxes.find((m) => m.userPrincipalName === a.assignee)?.name ?? a.assignee;
  return a.assignee;
}

/** An assignment as Get-ManagementRoleAssignment shows it; `effectiveUser` is set under -GetEffectiveUsers. */
function showAssignment(state: TenantState, a: RoleAssignment, effectiveUser?: string) {
  return {
    Name: a.name,
    Identity: a.name,
    Role: a.role,
    RoleAssigneeName: assigneeName(state, a),
    RoleAssigneeType: a.assigneeType,
    AssignmentMethod: 'Direct',
    ...(effectiveUser === undefined ? {} : { EffectiveUserName: effectiveUser }),
    CustomResourceScope: a.customResourceScope,
    RecipientWriteScope: a.customResourceScope ? 'CustomRecipientScope' : 'Organization',
    RoleAssignmentDelegationType: a.delegating ? 'DelegatingOrgWide' : 'Regular',
    Enabled: true,
    Guid: a.guid,
    WhenCreatedUTC: a.whenCreatedUtc,
  };
}

/** The accounts an assignment reaches: a group's members, or the assignee itself. */
function effectiveUsers(state: TenantState, a: RoleAssignment): string[] {
  if (a.assigneeType !== 'RoleGroup') return [assigneeName(state, a)];
  const group = state.roleGroups.find((g) => g.name === a.assignee);
  return (group?.members ?? []).map((upn) => state.mailboxes.find((m) => m.userPrincipalName === upn)?.name ?? upn);
}

/** Whether assignment `a` is held by the assignee `identity` names (a user, a role group or a service principal). */
function heldBy(ctx: CmdletContext, identity: string): (a: RoleAssignment) => boolean {
  const { tenant, state } = ctx;
  const mailbox = findMailbox(state.mailboxes, identity);
  if (mailbox) return (a) => a.assigneeType === 'User' && a.assignee === mailbox.userPrincipalName;
  const group = state.roleGroups.find((g) => matchesIdentity(g.name, identity));
  if (group) return (a) => a.assigneeType === 'RoleGroup' && a.assignee === group.name;
  const sp = requireServicePrincipal(tenant, state, identity);
  return (a) => a.assigneeType === 'ServicePrincipal' && a.assignee === sp.objectId;
}

/** The one role `identity` names, or Exchange's not-found error (fabrikam no longer has ApplicationImpersonation). */
function requireRole(ctx: CmdletContext, identity: string): string {
  const role = ctx.state.roles.find((r) => r.name.toLowerCase() === identity.toLowerCase());
  if (!role) throw new CmdletError(exoErrors.objectNotFound(identity, ctx.tenant.server));
  return role.name;
}

/**
 * Refuses to create the assignment `name` to a caller who is not an explicit member of Organization Management, the
 * most reported cause of the delegating-assignment error (an Entra Global Administrator does not pass this check).
 * Used for New-ManagementRoleAssignment and for the assignments New-RoleGroup -Roles creates.
 */
export function requireDelegation(ctx: CmdletContext, name: string): void {
  if (ctx.caller === undefined) return;
  const caller = ctx.caller.toLowerCase();
  const members = ctx.state.roleGroups.find((g) => g.name === 'Organization Management')?.members ?? [];
  if (!members.some((upn) => upn.toLowerCase() === caller))
    throw new CmdletError(exoErrors.noDelegatingAssignment(ctx.tenant.domain, name));
}

/** Creates an assignment of an application role to a service principal (-App), refusing during the delegation lag. */
function assignToApp(
  ctx: CmdletContext,
  role: string,
  app: string,
  name: string | undefined,
  scopeName: string | undefined,
): RoleAssignment {
  // Any role the tenant has whose name starts with "Application " (Get-ManagementRole "Application *" lists them).
  if (!role.startsWith('Application ')) throw new CmdletError(exoErrors.notApplicationRole(role));
  const sp = requireServicePrincipal(ctx.tenant, ctx.state, app);
  const scope = scopeName === undefined ? null : requireScope(ctx.tenant, ctx.state, scopeName).name;
  const assignmentName = name ?? `${role}-${sp.displayName}${scope ? `-${scope}` : ''}`.slice(0, 64);
  requireDelegation(ctx, assignmentName);
  if (ctx.delegationReadyAt === null || ctx.now < ctx.delegationReadyAt) {
    throw new CmdletError(exoErrors.noDelegatingAssignment(ctx.tenant.domain, assignmentName));
  }
  return {
    name: assignmentName,
    role,
    assigneeType: 'ServicePrincipal',
    assignee: sp.objectId,
    delegating: false,
    customResourceScope: scope,
    guid: crypto.randomUUID(),
    whenCreatedUtc: new Date(ctx.now).toISOString(),
  };
}

/** Creates a direct assignment to a user (-User), as admins did for ApplicationImpersonation. */
function assignToUser(
  ctx: CmdletContext,
  role: string,
  user: string,
  name: string | undefined,
  delegating: boolean,
): RoleAssignment {
  const mailbox = findMailbox(ctx.state.mailboxes, user);
  if (!mailbox) throw new CmdletError(exoErrors.recipientNotFound(user));
  const assignmentName = name ?? `${role}-${mailbox.name}${delegating ? '-Delegating' : ''}`.slice(0, 64);
  requireDelegation(ctx, assignmentName);
  return {
    name: assignmentName,
    role,
    assigneeType: 'User',
    assignee: mailbox.userPrincipalName,
    delegating,
    customResourceScope: null,
    guid: crypto.randomUUID(),
    whenCreatedUtc: new Date(ctx.now).toISOString(),
  };
}

export const roleAssignmentCmdlets: CmdletHandler[] = [
  {
    name: 'Get-ManagementRoleAssignment',
    // A subset of the documented parameters (test/fixtures/exchange-cmdlet-parameters.json): the ones the guides use.
    params: {
      Identity: { type: 'string' },
      Role: { type: 'string' },
      RoleAssignee: { type: 'string' },
      GetEffectiveUsers: { type: 'switch' },
      Delegating: { type: 'bool' },
      Enabled: { type: 'bool' },
    },
    run(ctx, bound) {
      const { tenant, state } = ctx;
      const identity = str(bound.Identity);
      const role = str(bound.Role) === undefined ? undefined : requireRole(ctx, str(bound.Role)!);
      const assignee = str(bound.RoleAssignee) === undefined ? undefined : heldBy(ctx, str(bound.RoleAssignee)!);
      const found = allAssignments(tenant, state).filter(
        (a) =>
          (identity === undefined || matchesIdentity(a.name, identity) || a.guid === identity.toLowerCase()) &&
          (role === undefined || a.role === role) &&
          (assignee === undefined || assignee(a)) &&
          (bound.Delegating === undefined || a.delegating === bound.Delegating) &&
          bound.Enabled !== false,
      );
      if (
        identity !== undefined &&
        !identity.includes('*') &&
        !found.length &&
        role === undefined &&
        assignee === undefined
      ) {
        throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
      }
      if (bound.GetEffectiveUsers !== true) return found.map((a) => showAssignment(state, a));
      return found.flatMap((a) => effectiveUsers(state, a).map((user) => showAssignment(state, a, user)));
    },
  },
  {
    name: 'New-ManagementRoleAssignment',
    params: {
      Name: { type: 'string', maxLength: 64 },
      Role: { type: 'string', mandatory: true },
      User: { type: 'string' },
      SecurityGroup: { type: 'string' },
      App: { type: 'string' },
      Policy: { type: 'string' },
      CustomResourceScope: { type: 'string' },
      CustomRecipientWriteScope: { type: 'string' },
      Delegating: { type: 'switch' },
      Force: { type: 'switch' },
    },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const role = requireRole(ctx, str(bound.Role)!);
      const name = str(bound.Name);
      const app = str(bound.App);
      const user = str(bound.User);
      // The sandbox models the two kinds the guides use: to an application (RBAC for Applications) and to a user.
      const assignment =
        app !== undefined
          ? assignToApp(ctx, role, app, name, str(bound.CustomResourceScope))
          : user !== undefined
            ? assignToUser(ctx, role, user, name, bound.Delegating === true)
            : undefined;
      if (!assignment) throw new CmdletError(exoErrors.missingMandatory('New-ManagementRoleAssignment', ['App']));
      if (allAssignments(ctx.tenant, ctx.state).some((a) => a.name.toLowerCase() === assignment.name.toLowerCase())) {
        throw new CmdletError(
          exoErrors.alreadyExists(
            ctx.tenant.domainController,
            directoryDn(ctx.tenant, assignment.name, 'CN=Role Assignments,CN=RBAC,'),
          ),
        );
      }
      ctx.state.roleAssignments.push(assignment);
      ctx.changed();
      return showAssignment(ctx.state, assignment);
    },
  },
  {
    name: 'Remove-ManagementRoleAssignment',
    params: { Identity: { type: 'string', mandatory: true }, Force: { type: 'switch' } },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const identity = str(bound.Identity)!;
      const assignment = ctx.state.roleAssignments.find(
        (a) => a.name.toLowerCase() === identity.toLowerCase() || a.guid === identity.toLowerCase(),
      );
      if (!assignment) throw new CmdletError(exoErrors.objectNotFound(identity, ctx.tenant.server));
      ctx.state.roleAssignments = ctx.state.roleAssignments.filter((a) => a !== assignment);
      ctx.changed();
      return null;
    },
  },
];
