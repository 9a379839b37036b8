/**
 * remove-ews-application: takes one application off EwsAllowedAppIDs and keeps every other id (the undo of
 * allow-ews-application, and a step of its own for an application that has moved to Microsoft Graph). Leaves
 * EwsEnabled as it is. Needs the change confirmed and the list as it reads now; verifies by reading back.
 */
import { z } from 'zod';
import { runbookFailure } from '../../../core/failure.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';
import { EWS_ERRORS } from '../errors.ts';
import { allowListWithApp, applicationId, confirmation } from '../params.ts';
import {
  confirmHint,
  listDiffers,
  listHolds,
  readPolicy,
  sameIds,
  showEnabled,
  showList,
  withoutApp,
  writePolicy,
} from '../queries.ts';
import { ewsLink } from '../sections.ts';

const params = z.object({ app: applicationId, current: allowListWithApp, confirm: confirmation }).strict();
type Params = z.output<typeof params>;

const knownErrors = [EWS_ERRORS.parameterMissing, EWS_ERRORS.allowListChanged, EWS_ERRORS.notConfirmed];

/** The value the list is written as: the ids left, or $null when none is left. */
function remaining(p: Params): string | null {
  const left = withoutApp(p.current, p.app);
  return left.length ? left.join(',') : null;
}

/** The one write: the list as the form has it, without the application. */
function write(p: Params): CmdletCall {
  return { cmdlet: 'Set-OrganizationConfig', params: { EwsAllowedAppIDs: remaining(p) } };
}

export const removeEwsApplication: StepDefinition<typeof params> = {
  id: 'remove-ews-application',
  title: 'Remove the application from the allow list',
  summary: 'Takes the application off EwsAllowedAppIDs and keeps every other id; EwsEnabled stays as it is.',
  params,
  irreversible: false,
  readOnly: false,
  guide: ewsLink('remove'),
  plan: (p: Params) => [write(p)],
  async probe(exo, p) {
    const policy = await readPolicy(exo, knownErrors);
    const differs = listDiffers(policy, p.current, withoutApp(p.current, p.app));
    if (differs) return differs;
    if (!listHolds(policy.appIds, p.app))
      return { state: 'done', reason: 'The application is not in EwsAllowedAppIDs.' };
    const left = withoutApp(policy.appIds, p.app).length;
    const effect =
      policy.enabled === true
        ? left
          ? 'The application loses EWS once Exchange applies the change.'
          : 'The list would be empty ($null) while EwsEnabled reads True, which the Set-OrganizationConfig reference calls no longer restricting EWS by application id: every EWS application in the organization may use EWS again (one 2026 field script reports them all blocked instead).'
        : `EwsEnabled reads ${showEnabled(policy.enabled)}, so the list has no effect now; it takes effect if EwsEnabled is set to True.`;
    return {
      state: 'needed',
      reason: `Running it removes the application from EwsAllowedAppIDs and keeps the ${left} other id${left === 1 ? '' : 's'}. ${effect}${confirmHint(p.confirm)}`,
    };
  },
  async run(ctx, p) {
    const expected = withoutApp(p.current, p.app);
    const { after } = await writePolicy(ctx, p, expected, write(p), knownErrors);
    if (!sameIds(after.appIds, expected)) {
      throw runbookFailure(
        'VerificationFailed',
        `Set-OrganizationConfig succeeded, but EwsAllowedAppIDs reads ${showList(after.appIds)}, not ${showList(expected)}.`,
      );
    }
    ctx.emit(
      'result',
      `${p.app} is no longer in EwsAllowedAppIDs, which holds ${after.appIds.length} id${after.appIds.length === 1 ? '' : 's'}: ${showList(after.appIds)}. EwsEnabled reads ${showEnabled(after.enabled)}.`,
      { EwsEnabled: after.enabled, EwsAllowedAppIDs: after.appIds },
    );
    return { app: p.app, ewsEnabled: after.enabled, ewsAllowedAppIds: after.appIds };
  },
  knownErrors,
};
