/**
 * Get-Mailbox and Get-CASMailbox: the tenant's mailboxes, one or all, and their client access settings (of which the
 * sandbox keeps EwsEnabled).
 */
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

/** How many results -ResultSize allows: a number, or every one for "Unlimited" (and when it is not given). */
function resultSize(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return Infinity;
}

export const mailboxCmdlets: CmdletHandler[] = [
  {
    name: 'Get-Mailbox',
    params: { Identity: { type: 'string' }, ResultSize: { type: 'any' } },
    run({ tenant, state }, bound) {
      const identity = str(bound.Identity);
      if (identity === undefined) return state.mailboxes.map(showMailbox);
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
