/**
 * Organization customization, which every guide that writes RBAC objects meets: a "dehydrated" organization refuses
 * writes until Enable-OrganizationCustomization has run and taken effect, and keeps refusing some for a while after
 * IsDehydrated reads False. Its errors are explained in the ApplicationImpersonation guide, the page that walks
 * through customization.
 */
import { quoted } from './error-texts.ts';
import type { CmdletCall, ExchangeSession } from '../core/cmdlets.ts';
import { runbookFailure, StepFailure } from '../core/failure.ts';
import { type KnownError, RUNBOOK_ERROR_PREFIX } from '../core/known-errors.ts';
import type { PropagationRefusal } from '../core/propagation.ts';
import { asList, dataOrThrow } from '../core/session.ts';
import type { ProbeResult } from '../core/step.ts';
import { impersonationLink } from '../guides/application-impersonation/sections.ts';

// The current wording and the one attributed to 2012 (unconfirmed: no source found in the 2026-12-01 audit).
const DEHYDRATED = quoted('customization-not-enabled', 'customization-disabled-2012');

export const CUSTOMIZATION_ERRORS = {
  dehydrated: {
    id: 'organization-not-customized',
    title: 'Customization not enabled',
    ...DEHYDRATED,
    meaning:
      'Your organization is still "dehydrated": Microsoft keeps its objects consolidated until Enable-OrganizationCustomization has been run, and role groups and management role assignments cannot be created before that.',
    action:
      'Run “Enable organization customization” once, then “Wait until IsDehydrated reads False”, then run this step again. No Microsoft source gives a wait time: the 2023 how-to saw 30 minutes to 2 hours, admins report minutes to a day or two.',
    guide: impersonationLink('errorNotAllowed'),
  },
  customizationPropagating: {
    id: 'customization-propagating',
    title: 'Still refused after customization',
    ...DEHYDRATED,
    meaning:
      'IsDehydrated already reads False, but Exchange still refuses to create the object: admins report changes failing like this for a while after the flag flips (about an hour in one report). False is necessary, not sufficient.',
    action:
      'Wait and run the step again later; the runbook already retried with backoff for as long as it is allowed to wait.',
    guide: impersonationLink('stillFailing'),
    retryable: true,
  },
  enableMayHaveTakenEffect: {
    id: 'enable-customization-may-have-taken-effect',
    title: 'Enable-OrganizationCustomization reported an error',
    wording: {
      source: 'runbook',
      note: 'Not an Exchange text: the runbook reports this itself for any error of Enable-OrganizationCustomization but "already enabled": the field report (MicrosoftDocs/microsoft-365-docs#7403) does not quote the error, so no text is matched.',
    },
    // Any error of Enable-OrganizationCustomization other than "already enabled": the step chooses this explanation.
    pattern: /[\s\S]*/,
    chosenByStep: true,
    meaning:
      'Enable-OrganizationCustomization reported an error. Admins report that a first run can error and still take effect (MicrosoftDocs/microsoft-365-docs#7403), so this does not prove that customization failed.',
    action:
      'Run “Enable organization customization” again: if the first run took effect, Exchange now answers "already enabled", which counts as success. Then run “Wait until IsDehydrated reads False”.',
    guide: impersonationLink('enableCustomization'),
  },
  alreadyEnabled: {
    id: 'already-enabled-for-customization',
    title: 'Customization already enabled',
    ...quoted('customization-already-enabled'),
    type: 'InvalidOperationException',
    meaning:
      'Enable-OrganizationCustomization has been run in this organization before (by you, another admin, or an earlier run that reported an error yet took effect); running it again changes nothing.',
    action: 'Nothing to do: continue with “Wait until IsDehydrated reads False”.',
    guide: impersonationLink('errorAlreadyEnabled'),
    treatAsSuccess: true,
  },
  customizationWaitTimedOut: {
    id: 'customization-wait-timed-out',
    title: 'IsDehydrated still reads True',
    pattern: /[\s\S]*/,
    chosenByStep: true,
    wording: { source: 'runbook' },
    type: `${RUNBOOK_ERROR_PREFIX}CustomizationWaitTimedOut`,
    meaning:
      'IsDehydrated still reads True. Either Enable-OrganizationCustomization was never run, or it has not taken effect yet: no Microsoft source gives a wait time; the 2023 how-to saw 30 minutes to 2 hours, and admins report anything from minutes to a day or two.',
    action:
      'If you have not run “Enable organization customization”, run it now. Otherwise run “Wait until IsDehydrated reads False” again later; if it still reads True after a day, run “Enable organization customization” again.',
    guide: impersonationLink('checkDehydrated'),
  },
} satisfies Record<string, KnownError>;

/** The check of customization, as admins type it (and as the 2023 how-to has it, with `fl` for Format-List). */
export const READ_IS_DEHYDRATED: CmdletCall = { cmdlet: 'Get-OrganizationConfig', params: {}, show: ['IsDehydrated'] };

/** Reads `IsDehydrated` from Get-OrganizationConfig. */
export async function readIsDehydrated(exo: ExchangeSession): Promise<boolean> {
  const config = asList(dataOrThrow(await exo.invoke(READ_IS_DEHYDRATED), []))[0];
  const value = config?.IsDehydrated;
  if (typeof value !== 'boolean') {
    throw runbookFailure(
      'UnexpectedOutput',
      `Get-OrganizationConfig returned no IsDehydrated value (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

/**
 * A `blocked` verdict while the organization is not customized (IsDehydrated True), else undefined. For role groups
 * and management role assignments, which Microsoft documents as needing customization.
 */
export async function notCustomizedYet(exo: ExchangeSession): Promise<ProbeResult | undefined> {
  if (!(await readIsDehydrated(exo))) return undefined;
  return {
    state: 'blocked',
    reason:
      'The organization is not customized yet (IsDehydrated reads True): run “Enable organization customization”, then “Wait until IsDehydrated reads False”, from the ApplicationImpersonation guide.',
    guide: impersonationLink('enableCustomization'),
  };
}

/**
 * The dehydrated error on a write, for writeThroughPropagation: worth waiting for once IsDehydrated reads False (the
 * customization is still spreading); while it reads True the organization is not customized and the write fails at
 * once.
 */
export const CUSTOMIZATION_SPREADING: PropagationRefusal = {
  matches: (error) => CUSTOMIZATION_ERRORS.dehydrated.pattern.test(error.message),
  async judge(exo, error, write, explain) {
    explain(
      'Reading IsDehydrated, to tell an organization that was never customized from one whose customization is still spreading:',
    );
    if (await readIsDehydrated(exo)) throw new StepFailure(error, CUSTOMIZATION_ERRORS.dehydrated);
    return {
      retry: `IsDehydrated reads False, but Exchange still refuses to ${write}`,
      known: CUSTOMIZATION_ERRORS.customizationPropagating,
    };
  },
};
