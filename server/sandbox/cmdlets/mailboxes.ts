/**
 * Get-Mailbox: the tenant's mailboxes, one, all, or those an OPATH -Filter selects, at most -ResultSize of them.
 * Get-CASMailbox: their client access settings, of which the sandbox keeps EwsEnabled.
 */
import { FilterSyntaxError, matchesFilter, parseFilter } from '../../../src/runbook/exchange/opath.ts';
import { CmdletError, exoErrors } from '../errors.ts';
import type { Mailbox } from '../state.ts';
import type { CmdletHandler } from './context.ts';
import { findMailbox, str } from './identity.ts';

/** A mailbox as Get-Mailbox shows it (Department is a user attribute: Get-User has it, Get-Mailbox does not). */
function showMailbox(m: Mailbox) {
  return {
    Name: m.name,
    Identity: m.name,
    Alias: m.alias,
    DisplayName: m.displayName,
    UserPrincipalName: m.userPrincipalName,
    PrimarySmtpAddress: m.primarySmtpAddress,
    RecipientTypeDetails: m.recipientTypeDetails,
    CustomAttribute1: m.customAttribute1,
    Guid: m.guid,
  };
}

/** A mailbox as Get-CASMailbox shows it: who it is, and whether EWS may reach it (True, False, or not set). */
function showCasMailbox(m: Mailbox) {
  return {
    Name: m.name,
    Identity: m.name,
    DisplayName: m.displayName,
    PrimarySmtpAddress: m.primarySmtpAddress,
    EwsEnabled: m.ewsEnabled,
    Guid: m.guid,
  };
}

/** The value a filter reads for `property` on mailbox `m`; properties the sandbox does not keep read as unset. */
export function mailboxProperty(m: Mailbox, property: string): string | undefined {
  const values: Record<string, string> = {
    Alias: m.alias,
    Name: m.name,
    DisplayName: m.displayName,
    PrimarySmtpAddress: m.primarySmtpAddress,
    UserPrincipalName: m.userPrincipalName,
    RecipientTypeDetails: m.recipientTypeDetails,
    RecipientType: 'UserMailbox',
    Department: m.department,
    CustomAttribute1: m.customAttribute1,
  };
  return values[property];
}

/** The mailboxes OPATH filter `text` selects, or the sandbox's refusal of a filter it cannot read. */
function mailboxesMatching(mailboxes: Mailbox[], text: string): Mailbox[] {
  let node;
  try {
    node = parseFilter(text);
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new CmdletError(exoErrors.invalidFilter(err.message));
    throw err;
  }
  return mailboxes.filter((m) => matchesFilter(node, (property) => mailboxProperty(m, property)));
}

/** -ResultSize: a count, or Unlimited (anything that is not a positive count reads as Unlimited here). */
function resultSize(value: unknown): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : Infinity;
}

export const mailboxCmdlets: CmdletHandler[] = [
  {
    name: 'Get-Mailbox',
    params: { Identity: { type: 'string' }, Filter: { type: 'string' }, ResultSize: { type: 'any' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity);
      const filter = str(bound.Filter);
      const size = resultSize(bound.ResultSize);
      if (identity === undefined && filter !== undefined)
        return mailboxesMatching(state.mailboxes, filter).slice(0, size).map(showMailbox);
      if (identity === undefined) return state.mailboxes.slice(0, size).map(showMailbox);
      const mailbox = findMailbox(state.mailboxes, identity);
      if (!mailbox) throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
      return [showMailbox(mailbox)];
    },
  },
  {
    name: 'Get-CASMailbox',
    params: { Identity: { type: 'string' }, ResultSize: { type: 'any' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity);
      if (identity === undefined) return state.mailboxes.slice(0, resultSize(bound.ResultSize)).map(showCasMailbox);
      const mailbox = findMailbox(state.mailboxes, identity);
      if (!mailbox) throw new CmdletError(exoErrors.objectNotFound(identity, tenant.server));
      return [showCasMailbox(mailbox)];
    },
  },
];
