/**
 * The errors the ApplicationImpersonation steps explain, besides customization's (exchange/customization.ts). Where
 * exchange-facts.md quotes the service, the pattern is built from that exact text (exchange/error-texts.ts).
 */
import { exactText, type KnownError } from '../../core/known-errors.ts';
import { errorText } from '../../exchange/error-texts.ts';
import { impersonationLink } from './sections.ts';

export const IMPERSONATION_ERRORS = {
  impersonationRoleMissing: {
    id: 'impersonation-role-missing',
    pattern: exactText(errorText('role-not-found')),
    type: 'ManagementObjectNotFoundException',
    meaning:
      'ApplicationImpersonation no longer exists in this organization: Microsoft removed it from Exchange Online in February 2025 (MC718754).',
    action:
      'Use RBAC for Applications instead: register the application as a service principal and assign it an application role, optionally scoped to some mailboxes.',
    guide: impersonationLink('errorRoleNotFound'),
  },
  roleGroupExists: {
    id: 'role-group-exists',
    // The exact wording for role groups is unconfirmed; this is Exchange's generic ADObjectAlreadyExistsException text.
    pattern: exactText(errorText('object-already-exists')),
    type: 'ADObjectAlreadyExistsException',
    meaning: 'A role group with this name already exists in the organization (names are not case-sensitive).',
    action: 'Choose another name, or check the existing group with Get-RoleGroup and remove it first if it is yours.',
    guide: impersonationLink('errorAlreadyExists'),
  },
  memberNotFound: {
    id: 'member-not-found',
    pattern: exactText(errorText('member-not-found')),
    type: 'ManagementObjectNotFoundException',
    meaning: 'One of the members is not a recipient in this organization, so Exchange cannot add it.',
    action: 'Check the spelling of each member (use the user principal name, e.g. svc-ews@contoso.onmicrosoft.com) and run the step again.',
    guide: impersonationLink('errorMemberNotFound'),
  },
  nameTooLong: {
    id: 'role-group-name-too-long',
    // Our approximation: PowerShell's ValidateLength wording; Exchange Online's own text for this case is unconfirmed.
    pattern: exactText(
      'Cannot validate argument on parameter \'Name\'. The character length of the <n> argument is too long. Shorten the character length of the argument so it is fewer than or equal to "64" characters, and then try the command again.',
    ),
    type: 'ParameterBindingValidationException',
    meaning: 'Role group names are limited to 64 characters.',
    action: 'Shorten the name to 64 characters or fewer.',
    guide: impersonationLink('nameRoleGroup'),
  },
  roleGroupNotFound: {
    id: 'role-group-not-found',
    pattern: exactText("The operation couldn't be performed because object '<name>' couldn't be found on '<server>'."),
    type: 'ManagementObjectNotFoundException',
    meaning: 'No role group with this name exists: it was removed already, or the name is spelled differently.',
    action: 'List the role groups with Get-RoleGroup and check the name; if it is gone, there is nothing left to remove.',
    guide: impersonationLink('cleanUp'),
  },
} satisfies Record<string, KnownError>;
