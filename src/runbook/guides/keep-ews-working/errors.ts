/**
 * The errors the EWS steps explain. exchange-facts.md quotes no Exchange text about the EWS settings, so these are
 * PowerShell's own wording, Exchange's generic form, or failures the runbook reports itself.
 */
import { type KnownError, ownWording, RUNBOOK_ERROR_PREFIX } from '../../core/known-errors.ts';
import { notFound } from '../../exchange/objects.ts';
import { ewsLink } from './sections.ts';

export const EWS_ERRORS = {
  allowListChanged: {
    id: 'ews-allow-list-changed',
    title: 'The EWS allow list has changed',
    pattern: /[\s\S]*/,
    chosenByStep: true,
    wording: { source: 'runbook' },
    type: `${RUNBOOK_ERROR_PREFIX}AllowListChanged`,
    meaning:
      "EwsAllowedAppIDs in your organization no longer holds exactly the ids in the form. Writing the list replaces it as a whole, so writing the form's list would drop (or bring back) an application: the runbook wrote nothing.",
    action:
      'Run "Read the organization\'s EWS policy" again, copy EwsAllowedAppIDs as it reads now into the form, and run the step again.',
    guide: ewsLink('listChanged'),
  },
  notConfirmed: {
    id: 'ews-change-not-confirmed',
    title: 'EWS change not confirmed',
    pattern: /[\s\S]*/,
    chosenByStep: true,
    wording: { source: 'runbook' },
    type: `${RUNBOOK_ERROR_PREFIX}NotConfirmed`,
    meaning:
      "The step changes the EWS policy of the whole organization, and the form's confirmation was not ticked: the runbook ran nothing.",
    action: 'Read what the verdict says changes, tick "Confirm the tenant-wide change", and run the step again.',
    guide: ewsLink('tenantWide'),
  },
  parameterMissing: {
    id: 'ews-parameter-not-found',
    title: 'EWS allow list: parameter not found',
    // PowerShell's own wording (NamedParameterNotFound); that a module from before the allow list answers exactly
    // this for its parameters is our expectation, not a capture.
    ...ownWording('powershell', "A parameter cannot be found that matches parameter name '<name>'."),
    type: 'ParameterBindingException',
    meaning:
      'Your Exchange Online PowerShell session does not know this parameter. EwsAllowedAppIDs and -RetrieveEwsOperationAccessPolicy arrived with the EWS retirement (2025-2026); a module or a tenant from before it does not have them.',
    action:
      'Update the module (Update-Module ExchangeOnlineManagement), restart the companion and run the step again. If the parameter is still missing, your tenant may not have the allow list yet: check the Message center (MC1227454).',
    guide: ewsLink('parameterMissing'),
  },
  // Exchange's generic "couldn't be found" form; the exact text Get-CASMailbox writes for a missing mailbox is
  // unconfirmed.
  mailboxNotFound: notFound({
    id: 'ews-mailbox-not-found',
    title: 'Mailbox not found (Get-CASMailbox)',
    meaning: 'Exchange has no mailbox with this address in your organization.',
    action:
      'Check the spelling of the address (the primary SMTP address or the user principal name) and run the step again.',
    guide: ewsLink('mailboxes'),
  }),
} satisfies Record<string, KnownError>;
