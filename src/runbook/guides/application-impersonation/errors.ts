/**
 * The errors the ApplicationImpersonation steps explain, besides customization's (exchange/customization.ts). Where
 * exchange-facts.md quotes the service, the pattern is built from that exact text (exchange/error-texts.ts).
 */
import { type KnownError, ownWording } from '../../core/known-errors.ts';
import { quoted } from '../../exchange/error-texts.ts';
import { alreadyExists, notFound } from '../../exchange/objects.ts';
import { impersonationLink } from './sections.ts';

export const IMPERSONATION_ERRORS = {
  impersonationRoleMissing: {
    id: 'impersonation-role-missing',
    title: 'Role not found',
    ...quoted('role-not-found'),
    type: 'ManagementObjectNotFoundException',
    meaning:
      'ApplicationImpersonation no longer exists in this organization: Microsoft removed it from Exchange Online from February 2025 (MC718754).',
    action:
      'Use RBAC for Applications instead: register the application as a service principal and assign it an application role, optionally scoped to some mailboxes.',
    guide: impersonationLink('errorRoleNotFound'),
  },
  roleGroupExists: alreadyExists({
    id: 'role-group-exists',
    title: 'Role group already exists',
    // The exact wording for role groups is unconfirmed: Exchange's generic ADObjectAlreadyExistsException text, found
    // inside the message (Exchange Online puts "Active Directory operation failed on <DC>." before it).
    meaning: 'A role group with this name already exists in the organization (names are not case-sensitive).',
    action: 'Choose another name, or check the existing group with Get-RoleGroup and remove it first if it is yours.',
    guide: impersonationLink('errorAlreadyExists'),
  }),
  memberNotFound: {
    id: 'member-not-found',
    title: 'Member not found',
    // Confirmed for recipient parameters of other cmdlets; for New-RoleGroup -Members the wording is unconfirmed.
    ...quoted('member-not-found'),
    type: 'ManagementObjectNotFoundException',
    meaning: 'One of the members is not a recipient in this organization, so Exchange cannot add it.',
    action:
      'Check the spelling of each member (use the user principal name, e.g. svc-ews@contoso.onmicrosoft.com) and run the step again.',
    guide: impersonationLink('errorMemberNotFound'),
  },
  nameTooLong: {
    id: 'role-group-name-too-long',
    title: 'Role group name too long',
    // Our approximation: PowerShell's ValidateLength wording; Exchange Online's own text for this case is unconfirmed.
    ...ownWording(
      'powershell',
      'Cannot validate argument on parameter \'Name\'. The character length of the <n> argument is too long. Shorten the character length of the argument so it is fewer than or equal to "64" characters, and then try the command again.',
    ),
    type: 'ParameterBindingValidationException',
    meaning: 'Role group names are limited to 64 characters.',
    action: 'Shorten the name to 64 characters or fewer.',
    guide: impersonationLink('nameRoleGroup'),
  },
  roleGroupNotFound: notFound({
    id: 'role-group-not-found',
    title: 'Role group not found',
    meaning: 'No role group with this name exists: it was removed already, or the name is spelled differently.',
    action:
      'List the role groups with Get-RoleGroup and check the name; if it is gone, there is nothing left to remove.',
    guide: impersonationLink('cleanUp'),
  }),
} satisfies Record<string, KnownError>;
