/**
 * The Exchange error texts the guides explain, worded exactly as the service writes them (shared/exchange-facts.md),
 * each held once. The guide sections and the errors page quote each one verbatim (tests check that), and known errors
 * build their pattern from them with `quoted(id)` instead of retyping them. `<...>` marks a part that varies per
 * tenant or object, `...` a part the sources elide.
 */
import { exactText, type KnownError } from '../core/known-errors.ts';
import { impersonationLink } from '../guides/application-impersonation/sections.ts';

export interface ExchangeErrorText {
  /** Stable id, also an anchor on the errors page (where the text is quoted). */
  id: string;
  /** The service's wording, character for character. */
  text: string;
  /** Exception type or FailureCategory the text comes with, where known. */
  type?: string;
  /** Link to the guide section that quotes and explains it. */
  guide: string;
  /** False where exchange-facts.md marks the wording as unconfirmed for this exact situation. */
  confirmed: boolean;
  /** Where the wording comes from (a capture, a reference, a field report). */
  source: string;
  /** What is unconfirmed about it, for the errors page (unconfirmed texts only). */
  unconfirmed?: string;
}

// Not listed because no text is known (exchange-facts.md section 7): the admin center's errors on a dehydrated
// organization (the 2023 how-to's screenshots are not transcribed; "Exception has been thrown by the target of an
// invocation" is a field report, unconfirmed), and the error a first Enable-OrganizationCustomization can report
// while still taking effect (MicrosoftDocs/microsoft-365-docs#7403 does not quote it).
export const EXCHANGE_ERRORS = [
  {
    id: 'customization-not-enabled',
    text: "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
    type: 'Cmdlet-InvalidOperationInDehydratedContextException',
    guide: impersonationLink('errorNotAllowed'),
    confirmed: true,
    source: 'Remote PowerShell and V3 captures, e.g. azure/simuland#17 (test/fixtures/exchange-captures/).',
  },
  {
    id: 'customization-disabled-2012',
    text: 'This operation is not allowed for the organization with disabled customizations. To enable this operation, you need to execute Enable-OrganizationCustomization task first.',
    guide: impersonationLink('errorDisabledCustomizations'),
    // exchange-facts.md section 3: attributed to 2012, no source found in the 2026-12-01 audit.
    confirmed: false,
    source: 'Attributed to 2012 in older write-ups; no source was found in the 2026-12-01 audit.',
    unconfirmed: 'attributed to 2012 in older write-ups, but no source for it was found in the 2026-12-01 audit.',
  },
  {
    id: 'customization-already-enabled',
    text: 'This operation is not required. Organization is already enabled for customization.',
    type: 'System.InvalidOperationException',
    guide: impersonationLink('errorAlreadyEnabled'),
    confirmed: true,
    source:
      'MicrosoftDocs/office-docs-powershell#6497 (test/fixtures/exchange-captures/rps-already-enabled-2020.json).',
  },
  {
    id: 'role-not-found',
    text: "The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on '<server>'.",
    type: 'ManagementObjectNotFoundException',
    guide: impersonationLink('errorRoleNotFound'),
    confirmed: false,
    source:
      "Exchange's generic not-found form (captures in test/fixtures/exchange-captures/); for this role today, not captured.",
    unconfirmed:
      "this is Exchange's generic wording for a missing object; the exact text a tenant returns today for this role has not been captured.",
  },
  {
    id: 'object-already-exists',
    text: "The object 'CN=<name>,...' already exists.",
    type: 'ADObjectAlreadyExistsException',
    guide: impersonationLink('errorAlreadyExists'),
    confirmed: false,
    source:
      'Microsoft troubleshooting of mail-enabled public folder synchronization, with "Active Directory operation failed on <DC>." before it; for role groups, not captured.',
    unconfirmed:
      "Exchange's generic text for a duplicate directory object; the exact text for each kind of object (role group, service principal, scope, assignment) is unconfirmed.",
  },
  {
    id: 'member-not-found',
    text: 'Couldn\'t find object "<x>". Please make sure that it was spelled correctly or specify a different object.',
    type: 'ManagementObjectNotFoundException',
    guide: impersonationLink('errorMemberNotFound'),
    // Confirmed for recipient parameters of other cmdlets (Set-DistributionGroup, Set-OrganizationConfig), not for
    // New-RoleGroup -Members.
    confirmed: false,
    source:
      'Microsoft Q&A 2108696 (Set-DistributionGroup, test/fixtures/exchange-captures/); for New-RoleGroup -Members, not captured.',
    unconfirmed:
      'confirmed for recipient parameters of other cmdlets (Set-DistributionGroup, Set-OrganizationConfig); that New-RoleGroup -Members answers with it is not.',
  },
  {
    // Connect-ExchangeOnline's whole answer when Exchange Online refuses the access token
    // (exchange-facts.md, section 5).
    id: 'connect-unauthorized',
    text: 'UnAuthorized',
    guide: impersonationLink('errorUnauthorized'),
    confirmed: true,
    source:
      'Field reports (2026, module 3.9.2): a token for Exchange without an Exchange scope in scp (exchange-facts.md, section 5).',
  },
  {
    id: 'no-delegating-assignment',
    text: 'You don\'t have access to create, change, or remove the "<tenant>.onmicrosoft.com\\<assignment name>" management role assignment. You must be assigned a delegating role assignment to the management role or its parent in the hierarchy without a scope restriction.',
    guide: impersonationLink('stillFailing'),
    confirmed: true,
    source:
      'Microsoft Q&A copies 1034923 and 1336420 (test/fixtures/exchange-captures/); the quoted object is the assignment, not the role.',
  },
] as const satisfies readonly ExchangeErrorText[];

export type ExchangeErrorId = (typeof EXCHANGE_ERRORS)[number]['id'];

/** The service's exact wording of error `id`, as the pages quote it (this file holds each text once). */
function errorText(id: ExchangeErrorId): string {
  return EXCHANGE_ERRORS.find((e) => e.id === id)!.text;
}

/** The pattern and wording of a known error that matches the quoted texts `ids` (any of them). */
export function quoted(...ids: ExchangeErrorId[]): Pick<KnownError, 'pattern' | 'wording'> {
  const confirmedIds = ids.filter((id) => EXCHANGE_ERRORS.find((e) => e.id === id)!.confirmed);
  const exact = confirmedIds.length === ids.length;
  const wording = {
    quotes: ids,
    exact,
    ...(!exact && confirmedIds.length ? { confirmed: exactText(...confirmedIds.map(errorText)) } : {}),
  };
  return { pattern: exactText(...ids.map(errorText)), wording };
}
