/**
 * Get-RoleGroup, Get-RoleGroupMember, New-RoleGroup and Remove-RoleGroup.
 */
import { randomUUID } from 'node:crypto';
import { CmdletError, exoErrors } from '../errors.ts';
import type { Mailbox, RoleGroup, TenantState } from '../state.ts';
import type { SandboxTenant } from '../tenants/shared.ts';
import type { CmdletHandler } from './context.ts';
import { directoryDn } from './directory.ts';
import { findMailbox, isWildcard, list, matchesIdentity, str } from './identity.ts';
import { requireDelegation } from './role-assignments.ts';

const BUILT_IN = new Set(['organization management', 'recipient management', 'view-only organization management']);

/** The mailbox behind a member's UPN (members are stored by UPN). */
function memberMailbox(state: TenantState, upn: string): Mailbox | undefined {
  return state.mailboxes.find((m) => m.userPrincipalName === upn);
}

/** A role group as Get-RoleGroup shows it (members and managers by name, as Exchange lists them). */
function showRoleGroup(state: TenantState, g: RoleGroup) {
  const names = (upns: string[]) => upns.map((upn) => memberMailbox(state, upn)?.name ?? upn);
  return {
    Name: g.name,
    Identity: g.name,
    DisplayName: g.displayName,
    Description: g.description,
    Guid: g.guid,
    Roles: g.roles,
    Members: names(g.members),
    ManagedBy: names(g.managedBy),
    RoleGroupType: g.roleGroupType,
    WhenCreatedUTC: g.whenCreatedUtc,
  };
}

/** A member as Get-RoleGroupMember shows it. */
function showMember(m: Mailbox) {
  return {
    Name: m.name,
    DisplayName: m.displayName,
    Alias: m.alias,
    PrimarySmtpAddress: m.primarySmtpAddress,
    WindowsLiveID: m.userPrincipalName,
    RecipientType: 'UserMailbox',
    RecipientTypeDetails: m.recipientTypeDetails,
    Guid: m.guid,
  };
}

/** The one role group `identity` names literally (by name, any case, or GUID), or the not-found error. */
function requireGroup(tenant: SandboxTenant, state: TenantState, identity: string): RoleGroup {
  const wanted = identity.toLowerCase();
  const group = state.roleGroups.find((g) => g.name.toLowerCase() === wanted || g.guid === wanted);
  if (!group) throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
  return group;
}

/** Resolves recipient identities to member UPNs, failing on the first unknown one as Exchange does. */
function resolveRecipients(state: TenantState, identities: string[]): string[] {
  return identities.map((identity) => {
    const mailbox = findMailbox(state.mailboxes, identity);
    if (!mailbox) throw new CmdletError(exoErrors.recipientNotFound(identity));
    return mailbox.userPrincipalName;
  });
}

export const roleGroupCmdlets: CmdletHandler[] = [
  {
    name: 'Get-RoleGroup',
    params: { Identity: { type: 'string' }, ResultSize: { type: 'any' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity) ?? '*';
      if (isWildcard(identity))
        return state.roleGroups.filter((g) => matchesIdentity(g.name, identity)).map((g) => showRoleGroup(state, g));
      return [showRoleGroup(state, requireGroup(tenant, state, identity))];
    },
  },
  {
    name: 'Get-RoleGroupMember',
    params: { Identity: { type: 'string', mandatory: true }, ResultSize: { type: 'any' } },
    run({ tenant, state }, bound) {
      const group = requireGroup(tenant, state, str(bound.Identity)!);
      return group.members.flatMap((upn) => {
        const mailbox = memberMailbox(state, upn);
        return mailbox ? [showMember(mailbox)] : [];
      });
    },
  },
  {
    name: 'New-RoleGroup',
    params: {
      Name: { type: 'string', mandatory: true, maxLength: 64 },
      Roles: { type: 'string[]' },
      Members: { type: 'string[]' },
      ManagedBy: { type: 'string[]' },
      Description: { type: 'string' },
      DisplayName: { type: 'string', maxLength: 256 },
      Force: { type: 'switch' },
    },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const { tenant, state } = ctx;
      const name = str(bound.Name)!;
      const roles = list(bound.Roles).map((identity) => {
        const role = state.roles.find((r) => matchesIdentity(r.name, identity));
        if (!role) throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
        return role.name;
      });
      const members = resolveRecipients(state, list(bound.Members));
      const managedBy = resolveRecipients(state, list(bound.ManagedBy));
      if (state.roleGroups.some((g) => g.name.toLowerCase() === name.toLowerCase())) {
        throw new CmdletError(exoErrors.alreadyExists(tenant.domainController, directoryDn(tenant, name)));
      }
      // Each role becomes an assignment named <role>-<group> (as in the admin center's refusals in the field).
      for (const role of roles) requireDelegation(ctx, `${role}-${name}`);
      const group: RoleGroup = {
        name,
        displayName: str(bound.DisplayName) ?? name,
        description: str(bound.Description) ?? '',
        roles: [...new Set(roles)],
        members: [...new Set(members)],
        managedBy: [...new Set(managedBy)],
        guid: randomUUID(),
        whenCreatedUtc: new Date(ctx.now).toISOString(),
        roleGroupType: 'Standard',
      };
      state.roleGroups.push(group);
      ctx.changed();
      return showRoleGroup(state, group);
    },
  },
  {
    name: 'Remove-RoleGroup',
    params: {
      Identity: { type: 'string', mandatory: true },
      BypassSecurityGroupManagerCheck: { type: 'switch' },
      Force: { type: 'switch' },
    },
    shouldProcess: true,
    write: true,
    run(ctx, bound) {
      const group = requireGroup(ctx.tenant, ctx.state, str(bound.Identity)!);
      // Our wording: Exchange refuses to remove built-in role groups; its exact text is unconfirmed.
      if (BUILT_IN.has(group.name.toLowerCase())) {
        throw new CmdletError({
          message: `The role group "${group.name}" is a built-in role group and can't be removed.`,
          type: 'System.InvalidOperationException',
          category: 'NotSpecified',
          reason: 'InvalidOperationException',
        });
      }
      ctx.state.roleGroups = ctx.state.roleGroups.filter((g) => g !== group);
      ctx.changed();
      return null;
    },
  },
];
