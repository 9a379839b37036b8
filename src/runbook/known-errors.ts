/**
 * The Exchange errors the runbook recognises: exact service wording (exchange-facts.md) -> meaning -> next action ->
 * guide section. Steps list the ones they can meet; `matchKnownError` finds the one that explains an error.
 */
import { EXCHANGE_ERRORS } from './exchange-errors.ts';
import { guideLink } from './guide-links.ts';
import type { ExoError, KnownError } from './types.ts';

export const RBAC_FOR_APPLICATIONS_GUIDE = '/guides/rbac-for-applications/';

/** The service's exact wording of error `id`, as the guide quotes it (exchange-errors.ts holds each text once). */
function serviceText(id: (typeof EXCHANGE_ERRORS)[number]['id']): string {
  return EXCHANGE_ERRORS.find((e) => e.id === id)!.text;
}

/**
 * Builds a pattern that finds the service's exact wording anywhere in a message, so context Exchange or a portal puts
 * around it (`Active Directory operation failed on <DC>.`, `Error executing request.`) does not hide it. Each
 * `<placeholder>` and each `...` (an elided part) matches any text, a final period is optional (copies often drop
 * it), and every other character is matched literally, so a quoted text can be used unchanged.
 */
export function exactText(...wordings: string[]): RegExp {
  const alternatives = wordings.map((w) =>
    w.replace(/(?<!\.)\.$/, '').split(/<[a-z][a-z ]*>|\.\.\./).map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s\\S]+?'),
  );
  return new RegExp(`(?:${alternatives.join('|')})`);
}

// Exception names that say nothing: a record of one of these has not told which Exchange error it is.
const GENERIC_EXCEPTION_TYPES = new Set([
  '', 'Exception', 'System.Exception', 'RuntimeException', 'System.Management.Automation.RuntimeException',
  'RemoteException', 'System.Management.Automation.RemoteException', 'CimException', 'Microsoft.Management.Infrastructure.CimException',
]);

/** True when `type` names no particular exception (the V3 module's bare `||<text>` errors often come as these). */
export function isGenericExceptionType(type: string): boolean {
  return GENERIC_EXCEPTION_TYPES.has(type);
}

/** Type prefix of failures the runbook itself reports (not Exchange), e.g. a wait that ran out of time. */
export const RUNBOOK_ERROR_PREFIX = 'Runbook.';

// The current wording and the one attributed to 2012 (unconfirmed: no source found in the 2026-12-01 audit).
const DEHYDRATED_PATTERN = exactText(serviceText('customization-not-enabled'), serviceText('customization-disabled-2012'));

export const KNOWN_ERRORS = {
  dehydrated: {
    id: 'organization-not-customized',
    pattern: DEHYDRATED_PATTERN,
    meaning:
      'Your organization is still "dehydrated": Microsoft keeps its objects consolidated until Enable-OrganizationCustomization has been run, and role groups and management role assignments cannot be created before that.',
    action:
      'Run the enable-customization step once, then the check-dehydrated step until IsDehydrated reads False, then run this step again. No Microsoft source gives a wait time: the 2023 how-to saw 30 minutes to 2 hours, admins report minutes to a day or two.',
    guide: guideLink('errorNotAllowed'),
  },
  customizationPropagating: {
    id: 'customization-propagating',
    pattern: DEHYDRATED_PATTERN,
    meaning:
      'IsDehydrated already reads False, but Exchange still refuses the write: admins report writes failing like this for a while after the flag flips (about an hour in one report). False is necessary, not sufficient.',
    action: 'Wait and run the step again later; the runbook already retried with backoff for as long as it is allowed to wait.',
    guide: guideLink('stillFailing'),
    retryable: true,
  },
  enableMayHaveTakenEffect: {
    id: 'enable-customization-may-have-taken-effect',
    // Any error of Enable-OrganizationCustomization other than "already enabled": the step chooses this explanation.
    pattern: /[\s\S]*/,
    chosenByStep: true,
    meaning:
      'Enable-OrganizationCustomization reported an error. Admins report that a first run can error and still take effect (MicrosoftDocs/microsoft-365-docs#7403), so this does not prove that customization failed.',
    action:
      'Run enable-customization again: if the first run took effect, Exchange now answers "already enabled", which counts as success. Then run check-dehydrated.',
    guide: guideLink('enableCustomization'),
  },
  alreadyEnabled: {
    id: 'already-enabled-for-customization',
    pattern: exactText(serviceText('customization-already-enabled')),
    type: 'InvalidOperationException',
    meaning:
      'Enable-OrganizationCustomization has been run in this organization before (by you, another admin, or an earlier run that reported an error yet took effect); running it again changes nothing.',
    action: 'Nothing to do: continue with the check-dehydrated step.',
    guide: guideLink('errorAlreadyEnabled'),
    treatAsSuccess: true,
  },
  impersonationRoleMissing: {
    id: 'impersonation-role-missing',
    pattern: exactText(serviceText('role-not-found')),
    type: 'ManagementObjectNotFoundException',
    meaning:
      'ApplicationImpersonation no longer exists in this organization: Microsoft removed it from Exchange Online from February 2025 on (MC718754).',
    action:
      'Use RBAC for Applications instead: register the application as a service principal and assign it an application role, optionally scoped to some mailboxes.',
    guide: guideLink('errorRoleNotFound'),
  },
  roleGroupExists: {
    id: 'role-group-exists',
    // The exact wording for role groups is unconfirmed; this is Exchange's generic ADObjectAlreadyExistsException text,
    // found inside the message (Exchange Online puts "Active Directory operation failed on <DC>." before it).
    pattern: exactText(serviceText('object-already-exists')),
    type: 'ADObjectAlreadyExistsException',
    meaning: 'A role group with this name already exists in the organization (names are not case-sensitive).',
    action: 'Choose another name, or check the existing group with Get-RoleGroup and remove it first if it is yours.',
    guide: guideLink('errorAlreadyExists'),
  },
  memberNotFound: {
    id: 'member-not-found',
    // Confirmed for recipient parameters of other cmdlets; for New-RoleGroup -Members the wording is unconfirmed.
    pattern: exactText(serviceText('member-not-found')),
    type: 'ManagementObjectNotFoundException',
    meaning: 'One of the members is not a recipient in this organization, so Exchange cannot add it.',
    action: 'Check the spelling of each member (use the user principal name, e.g. svc-ews@contoso.onmicrosoft.com) and run the step again.',
    guide: guideLink('errorMemberNotFound'),
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
    guide: guideLink('nameRoleGroup'),
  },
  roleGroupNotFound: {
    id: 'role-group-not-found',
    pattern: exactText("The operation couldn't be performed because object '<name>' couldn't be found on '<server>'."),
    type: 'ManagementObjectNotFoundException',
    meaning: 'No role group with this name exists: it was removed already, or the name is spelled differently.',
    action: 'List the role groups with Get-RoleGroup and check the name; if it is gone, there is nothing left to remove.',
    guide: guideLink('cleanUp'),
  },
  customizationWaitTimedOut: {
    id: 'customization-wait-timed-out',
    pattern: /[\s\S]*/,
    chosenByStep: true,
    type: `${RUNBOOK_ERROR_PREFIX}CustomizationWaitTimedOut`,
    meaning:
      'IsDehydrated still reads True. Either Enable-OrganizationCustomization was never run, or it has not taken effect yet: no Microsoft source gives a wait time; the 2023 how-to saw 30 minutes to 2 hours, and admins report anything from minutes to a day or two.',
    action: 'If you have not run enable-customization, run it now. Otherwise run check-dehydrated again later; if it still reads True after a day, run enable-customization again.',
    guide: guideLink('checkDehydrated'),
  },
} satisfies Record<string, KnownError>;

/** True when an error's exception type is `expected` (full name, or just its last segment). */
function typeMatches(actual: string, expected: string): boolean {
  return actual === expected || actual.endsWith(`.${expected}`) || expected.endsWith(`.${actual}`);
}

/**
 * The first known error in `list` that explains `error`, if any: its wording is in the message, and the exception
 * matches where the record names one (a record that names none is judged by its text alone).
 */
export function matchKnownError(list: readonly KnownError[], error: ExoError): KnownError | undefined {
  return list.find(
    (k) => !k.chosenByStep && (!k.type || isGenericExceptionType(error.type) || typeMatches(error.type, k.type)) && k.pattern.test(error.message),
  );
}
