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
  /** What is unconfirmed about it, for the errors page (unconfirmed texts only). */
  unconfirmed?: string;
}

export const EXCHANGE_ERRORS = [
  {
    id: 'customization-not-enabled',
    text: "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
    type: 'Cmdlet-InvalidOperationInDehydratedContextException',
    guide: impersonationLink('errorNotAllowed'),
    confirmed: true,
  },
  {
    id: 'customization-disabled-2012',
    text: 'This operation is not allowed for the organization with disabled customizations. To enable this operation, you need to execute Enable-OrganizationCustomization task first.',
    guide: impersonationLink('errorDisabledCustomizations'),
    confirmed: true,
  },
  {
    id: 'customization-already-enabled',
    text: 'This operation is not required. Organization is already enabled for customization.',
    type: 'System.InvalidOperationException',
    guide: impersonationLink('errorAlreadyEnabled'),
    confirmed: true,
  },
  {
    id: 'role-not-found',
    text: "The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on '<server>'.",
    type: 'ManagementObjectNotFoundException',
    guide: impersonationLink('errorRoleNotFound'),
    confirmed: false,
    unconfirmed:
      "this is Exchange's generic wording for a missing object; the exact text a tenant returns today for this role has not been captured.",
  },
  {
    id: 'object-already-exists',
    text: "The object 'CN=<name>,...' already exists.",
    type: 'ADObjectAlreadyExistsException',
    guide: impersonationLink('errorAlreadyExists'),
    confirmed: false,
    unconfirmed: "Exchange's generic text for a duplicate directory object; the exact text for each kind of object (role group, service principal, scope, assignment) is unconfirmed.",
  },
  {
    id: 'member-not-found',
    text: 'Couldn\'t find object "<x>". Please make sure that it was spelled correctly or specify a different object.',
    type: 'ManagementObjectNotFoundException',
    guide: impersonationLink('errorMemberNotFound'),
    confirmed: true,
  },
  {
    // Connect-ExchangeOnline's whole answer when Exchange Online refuses the access token (exchange-facts.md, section 5).
    id: 'connect-unauthorized',
    text: 'UnAuthorized',
    guide: impersonationLink('errorUnauthorized'),
    confirmed: true,
  },
  {
    id: 'no-delegating-assignment',
    text: "You don't have access to create, change, or remove the ... management role assignment. You must be assigned a delegating role assignment ...",
    guide: impersonationLink('stillFailing'),
    confirmed: false,
    unconfirmed: 'field reports, with parts elided; not a confirmed wording.',
  },
] as const satisfies readonly ExchangeErrorText[];

export type ExchangeErrorId = (typeof EXCHANGE_ERRORS)[number]['id'];

/** The service's exact wording of error `id`, as the pages quote it (this file holds each text once). */
function errorText(id: ExchangeErrorId): string {
  return EXCHANGE_ERRORS.find((e) => e.id === id)!.text;
}

/** The pattern and wording of a known error that matches the quoted texts `ids` (any of them). */
export function quoted(...ids: ExchangeErrorId[]): Pick<KnownError, 'pattern' | 'wording'> {
  return { pattern: exactText(...ids.map(errorText)), wording: { quotes: ids } };
}
