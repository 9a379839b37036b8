/**
 * The Exchange error texts the guide explains, worded exactly as the service writes them (shared/exchange-facts.md).
 * The guide and the errors page quote each one verbatim (tests check that), and step definitions can build their
 * `KnownError.pattern` from `text` instead of retyping it. `<...>` marks a part that varies per tenant or object.
 */
import type { ImpersonationSection } from '../guides/application-impersonation/sections.ts';

export interface ExchangeErrorText {
  /** Stable id, also the heading id on the errors page. */
  id: string;
  /** The service's wording, character for character. */
  text: string;
  /** Exception type or FailureCategory the text comes with, where known. */
  type?: string;
  /** The guide section that explains it. */
  section: ImpersonationSection;
  /** False where exchange-facts.md marks the wording as unconfirmed for this exact situation. */
  confirmed: boolean;
}

export const EXCHANGE_ERRORS = [
  {
    id: 'customization-not-enabled',
    text: "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.",
    type: 'Cmdlet-InvalidOperationInDehydratedContextException',
    section: 'errorNotAllowed',
    confirmed: true,
  },
  {
    id: 'customization-disabled-2012',
    text: 'This operation is not allowed for the organization with disabled customizations. To enable this operation, you need to execute Enable-OrganizationCustomization task first.',
    section: 'errorDisabledCustomizations',
    confirmed: true,
  },
  {
    id: 'customization-already-enabled',
    text: 'This operation is not required. Organization is already enabled for customization.',
    type: 'System.InvalidOperationException',
    section: 'errorAlreadyEnabled',
    confirmed: true,
  },
  {
    id: 'role-not-found',
    text: "The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on '<server>'.",
    type: 'ManagementObjectNotFoundException',
    section: 'errorRoleNotFound',
    confirmed: false,
  },
  {
    id: 'object-already-exists',
    text: "The object 'CN=<name>,...' already exists.",
    type: 'ADObjectAlreadyExistsException',
    section: 'errorAlreadyExists',
    confirmed: false,
  },
  {
    id: 'member-not-found',
    text: 'Couldn\'t find object "<x>". Please make sure that it was spelled correctly or specify a different object.',
    type: 'ManagementObjectNotFoundException',
    section: 'errorMemberNotFound',
    confirmed: true,
  },
  {
    // Connect-ExchangeOnline's whole answer when Exchange Online refuses the access token (exchange-facts.md, section 5).
    id: 'connect-unauthorized',
    text: 'UnAuthorized',
    section: 'errorUnauthorized',
    confirmed: true,
  },
  {
    id: 'no-delegating-assignment',
    text: "You don't have access to create, change, or remove the ... management role assignment. You must be assigned a delegating role assignment ...",
    section: 'stillFailing',
    confirmed: false,
  },
] as const satisfies readonly ExchangeErrorText[];

export type ExchangeErrorId = (typeof EXCHANGE_ERRORS)[number]['id'];

/** The service's exact wording of error `id`, as the pages quote it (this file holds each text once). */
export function errorText(id: ExchangeErrorId): string {
  return EXCHANGE_ERRORS.find((e) => e.id === id)!.text;
}
