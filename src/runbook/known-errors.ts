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
 * Builds an anchored pattern from the service's exact wording; each `<placeholder>` and each `...` (an elided part)
 * matches any text. Every other character is matched literally, so a quoted text can be used unchanged.
 */
export function exactText(...wordings: string[]): RegExp {
  const alternatives = wordings.map((w) =>
    w.split(/<[a-z]+>|\.\.\./).map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('[\\s\\S]+'),
  );
  return new RegExp(`^\\s*(?:${alternatives.join('|')})\\s*$`);
}

/** Type prefix of failures the runbook itself reports (not Exchange), e.g. a wait that ran out of time. */
export const RUNBOOK_ERROR_PREFIX = 'Runbook.';

// The current wording and the 2012 one, still quoted in forum posts and old scripts' logs.
const DEHYDRATED_PATTERN = exactText(serviceText('customization-not-enabled'), serviceText('customization-disabled-2012'));

export const KNOWN_ERRORS = {
  dehydrated: {
    id: 'organization-not-customized',
    pattern: DEHYDRATED_PATTERN,
    meaning:
      'Your organization is still "dehydrated": Microsoft keeps its objects consolidated until Enable-OrganizationCustomization has been run, and role groups cannot be created before that.',
    action:
      'Run the enable-customization step once, then the check-dehydrated step until IsDehydrated reads False (Microsoft says about 60 minutes; it can take longer), then create the role group again.',
    guide: guideLink('errorNotAllowed'),
  },
  customizationPropagating: {
    id: 'customization-propagating',
    pattern: DEHYDRATED_PATTERN,
    meaning:
      'IsDehydrated already reads False, but the change has not reached every Exchange server yet: writes can keep failing with this error for a while after customization.',
    action: 'Wait and run the step again later; the runbook already retried with backoff for as long as it is allowed to wait.',
    guide: guideLink('stillFailing'),
    retryable: true,
  },
  alreadyEnabled: {
    id: 'already-enabled-for-customization',
    pattern: exactText(serviceText('customization-already-enabled')),
    type: 'InvalidOperationException',
    meaning: 'Customization was enabled before (by you or another admin); running it again changes nothing.',
    action: 'Nothing to do: continue with the check-dehydrated step.',
    guide: guideLink('errorAlreadyEnabled'),
    treatAsSuccess: true,
  },
  impersonationRoleMissing: {
    id: 'impersonation-role-missing',
    pattern: exactText(serviceText('role-not-found')),
    type: 'ManagementObjectNotFoundException',
    meaning:
      'ApplicationImpersonation no longer exists in this organization: Microsoft removed it from Exchange Online in February 2025 (MC718754).',
    action:
      'Use RBAC for Applications instead: register the application as a service principal and assign it an application role, optionally scoped to some mailboxes.',
    guide: guideLink('errorRoleNotFound'),
  },
  roleGroupExists: {
    id: 'role-group-exists',
    // The exact wording for role groups is unconfirmed; this is Exchange's generic ADObjectAlreadyExistsException text.
    pattern: exactText(serviceText('object-already-exists')),
    type: 'ADObjectAlreadyExistsException',
    meaning: 'A role group with this name already exists in the organization (names are not case-sensitive).',
    action: 'Choose another name, or check the existing group with Get-RoleGroup and remove it first if it is yours.',
    guide: guideLink('errorAlreadyExists'),
  },
  memberNotFound: {
    id: 'member-not-found',
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
    type: `${RUNBOOK_ERROR_PREFIX}CustomizationWaitTimedOut`,
    meaning:
      'IsDehydrated still reads True. Either Enable-OrganizationCustomization was never run, or it has not taken effect yet: Microsoft says about 60 minutes, admins report anything up to 24-48 hours.',
    action: 'If you have not run enable-customization, run it now. Otherwise run check-dehydrated again later; if it still reads True after a day, run enable-customization again.',
    guide: guideLink('checkDehydrated'),
  },
  exchangeTokenRefused: {
    id: 'exchange-token-refused',
    pattern: exactText(serviceText('connect-unauthorized')),
    meaning:
      'Exchange Online refused the Exchange token this session connects with (Connect-ExchangeOnline -AccessToken), so nothing was run. Exchange does not say why.',
    action:
      'Reload the page (or sign in again) so the companion gets a fresh token, then run the step again. If it keeps failing, the app registration needs the delegated permission Exchange.Manage of Office 365 Exchange Online with admin consent, and your account an Exchange role that allows these cmdlets (Organization Management).',
    guide: guideLink('errorUnauthorized'),
  },
} satisfies Record<string, KnownError>;

/** Errors any step can meet, whatever it runs: they come from the session, not from the step's cmdlets. */
export const SESSION_ERRORS: readonly KnownError[] = [KNOWN_ERRORS.exchangeTokenRefused];

/** True when an error's exception type is `expected` (full name, or just its last segment). */
function typeMatches(actual: string, expected: string): boolean {
  return actual === expected || actual.endsWith(`.${expected}`) || expected.endsWith(`.${actual}`);
}

/** The first known error in `list` that explains `error`, if any. */
export function matchKnownError(list: readonly KnownError[], error: ExoError): KnownError | undefined {
  return list.find((k) => (!k.type || typeMatches(error.type, k.type)) && k.pattern.test(error.message));
}
