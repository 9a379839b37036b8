/**
 * Organization customization, which every guide that writes RBAC objects meets: a "dehydrated" organization refuses
 * writes until Enable-OrganizationCustomization has run and taken effect, and keeps refusing some for a while after
 * IsDehydrated reads False. Its errors are explained in the ApplicationImpersonation guide, the page that walks
 * through customization.
 */
import { quoted } from './error-texts.ts';
import type { ExchangeSession } from '../core/cmdlets.ts';
import { runbookFailure, StepFailure } from '../core/failure.ts';
import { type KnownError, RUNBOOK_ERROR_PREFIX } from '../core/known-errors.ts';
import type { PropagationRefusal } from '../core/propagation.ts';
import { asList, dataOrThrow } from '../core/session.ts';
import type { ProbeResult } from '../core/step.ts';
import { impersonationLink } from '../guides/application-impersonation/sections.ts';

// The current wording and the 2012 one, still quoted in forum posts and old scripts' logs.
const DEHYDRATED = quoted('customization-not-enabled', 'customization-disabled-2012');

export const CUSTOMIZATION_ERRORS = {
  dehydrated: {
    id: 'organization-not-customized',
    title: 'Customization not enabled',
    ...DEHYDRATED,
    meaning:
      'Your organization is still "dehydrated": Microsoft keeps its objects consolidated until Enable-OrganizationCustomization has been run, and role groups cannot be created before that.',
    action:
      'Run the enable-customization step once, then the check-dehydrated step until IsDehydrated reads False (Microsoft says about 60 minutes; it can take longer), then create the role group again.',
    guide: impersonationLink('errorNotAllowed'),
  },
  customizationPropagating: {
    id: 'customization-propagating',
    title: 'Still refused after customization',
    ...DEHYDRATED,
    meaning:
      'IsDehydrated already reads False, but the change has not reached every Exchange server yet: writes can keep failing with this error for a while after customization.',
    action:
      'Wait and run the step again later; the runbook already retried with backoff for as long as it is allowed to wait.',
    guide: impersonationLink('stillFailing'),
    retryable: true,
  },
  alreadyEnabled: {
    id: 'already-enabled-for-customization',
    title: 'Customization already enabled',
    ...quoted('customization-already-enabled'),
    type: 'InvalidOperationException',
    meaning: 'Customization was enabled before (by you or another admin); running it again changes nothing.',
    action: 'Nothing to do: continue with the check-dehydrated step.',
    guide: impersonationLink('errorAlreadyEnabled'),
    treatAsSuccess: true,
  },
  customizationWaitTimedOut: {
    id: 'customization-wait-timed-out',
    title: 'IsDehydrated still reads True',
    pattern: /[\s\S]*/,
    wording: { source: 'runbook' },
    type: `${RUNBOOK_ERROR_PREFIX}CustomizationWaitTimedOut`,
    meaning:
      'IsDehydrated still reads True. Either Enable-OrganizationCustomization was never run, or it has not taken effect yet: Microsoft says about 60 minutes, admins report anything up to 24-48 hours.',
    action:
      'If you have not run enable-customization, run it now. Otherwise run check-dehydrated again later; if it still reads True after a day, run enable-customization again.',
    guide: impersonationLink('checkDehydrated'),
  },
} satisfies Record<string, KnownError>;

/** Reads `IsDehydrated` from Get-OrganizationConfig. */
export async function readIsDehydrated(exo: ExchangeSession): Promise<boolean> {
  const config = asList(dataOrThrow(await exo.invoke({ cmdlet: 'Get-OrganizationConfig', params: {} }), []))[0];
  const value = config?.IsDehydrated;
  if (typeof value !== 'boolean') {
    throw runbookFailure(
      'UnexpectedOutput',
      `Get-OrganizationConfig returned no IsDehydrated value (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

/** A `blocked` verdict while the organization is not customized (IsDehydrated True), else undefined. */
export async function notCustomizedYet(exo: ExchangeSession): Promise<ProbeResult | undefined> {
  if (!(await readIsDehydrated(exo))) return undefined;
  return {
    state: 'blocked',
    reason:
      'The organization is not customized yet (IsDehydrated reads True): run enable-customization, then check-dehydrated, from the ApplicationImpersonation guide.',
    guide: impersonationLink('enableCustomization'),
  };
}

/**
 * The dehydrated error on a write, for writeThroughPropagation: worth waiting for once IsDehydrated reads False (the
 * customization is still spreading); while it reads True the organization is not customized and the write fails at once.
 */
export const CUSTOMIZATION_SPREADING: PropagationRefusal = {
  matches: (error) => CUSTOMIZATION_ERRORS.dehydrated.pattern.test(error.message),
  async judge(exo, error) {
    if (await readIsDehydrated(exo)) throw new StepFailure(error, CUSTOMIZATION_ERRORS.dehydrated);
    return {
      retry: 'IsDehydrated reads False, but Exchange still refuses the write',
      known: CUSTOMIZATION_ERRORS.customizationPropagating,
    };
  },
};
