/**
 * Get-Mailbox: the tenant's mailboxes, one or all.
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
];
