/**
 * allow-ews-application: keeps an application's EWS working until 1 April 2027. Sets EwsEnabled to True and writes
 * EwsAllowedAppIDs as the list the reader copied from the first step plus the application, since the parameter takes
 * one comma-separated string and replaces the list. Refuses to write when the organization's list is not the reader's,
 * needs the tenant-wide change confirmed, verifies by reading back; undone by remove-ews-application.
 */
import { z } from 'zod';
import { runbookFailure } from '../../../core/failure.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';
import { EWS_ERRORS } from '../errors.ts';
import { applicationId, confirmation, currentAllowList } from '../params.ts';
import {
  confirmHint,
  type EwsPolicy,
  judgeApplication,
  listDiffers,
  listHolds,
  readPolicy,
  sameIds,
  showEnabled,
  showList,
  withApp,
  writePolicy,
} from '../queries.ts';
import { ewsLink } from '../sections.ts';

const params = z.object({ app: applicationId, current: currentAllowList, confirm: confirmation }).strict();
type Params = z.output<typeof params>;

const knownErrors = [EWS_ERRORS.parameterMissing, EWS_ERRORS.allowListChanged, EWS_ERRORS.notConfirmed];

/** "2 other applications already in the list". */
function others(policy: EwsPolicy, app: string): string {
  const count = policy.appIds.filter((id) => id.toLowerCase() !== app.toLowerCase()).length;
  return `${count} other application${count === 1 ? '' : 's'} already in the list`;
}

/** What running the step changes for the whole organization, given the policy as it reads now. */
function tenantWideChange(policy: EwsPolicy, app: string): string {
  const them = others(policy, app);
  if (policy.enabled === null) {
    return `Running it sets EwsEnabled, never set until now, to True: from then on only the applications in the list may use EWS, so every other EWS application in the organization loses it (the list would hold this one and the ${them}).`;
  }
  if (policy.enabled === false) {
    return `Running it sets EwsEnabled to True for the whole organization: EWS comes back for the ${them} as well as for this one.`;
  }
  if (!policy.appIds.length) {
    return 'Running it starts restricting EWS by application id: with this application the only one in the list, every other EWS application in the organization loses EWS.';
  }
  return `Running it adds the application to EwsAllowedAppIDs and keeps the ${them}; EwsEnabled stays True.`;
}

/** The one write: EwsEnabled True, and the list as the form has it plus the application, as one string. */
function write(p: Params): CmdletCall {
  return {
    cmdlet: 'Set-OrganizationConfig',
    params: { EwsEnabled: true, EwsAllowedAppIDs: withApp(p.current, p.app).join(',') },
  };
}

export const allowEwsApplication: StepDefinition<typeof params> = {
  id: 'allow-ews-application',
  title: 'Allow the application to use EWS',
  summary: 'Sets EwsEnabled to True and adds the application to EwsAllowedAppIDs, keeping every id already there.',
  params,
  irreversible: false,
  readOnly: false,
  undo: {
    step: 'remove-ews-application',
    params: (p) => ({ app: p.app, current: withApp(p.current, p.app), confirm: true }),
  },
  guide: ewsLink('allow'),
  plan: (p: Params) => [write(p)],
  async probe(exo, p) {
    const policy = await readPolicy(exo, knownErrors);
    const differs = listDiffers(policy, p.current, withApp(p.current, p.app));
    if (differs) return differs;
    if (policy.enabled === true && listHolds(policy.appIds, p.app)) {
      return {
        state: 'done',
        reason: `EwsEnabled reads True and the application is in EwsAllowedAppIDs (${showList(policy.appIds)}): it may use EWS.`,
      };
    }
    const verdict = judgeApplication(policy, p.app);
    if (verdict.allowed) return { state: 'done', reason: `${verdict.reason} ${tenantWideChange(policy, p.app)}` };
    return { state: 'needed', reason: `${verdict.reason} ${tenantWideChange(policy, p.app)}${confirmHint(p.confirm)}` };
  },
  async run(ctx, p) {
    const expected = withApp(p.current, p.app);
    const { before, after } = await writePolicy(ctx, p, expected, write(p), knownErrors);
    if (after.enabled !== true || !sameIds(after.appIds, expected)) {
      throw runbookFailure(
        'VerificationFailed',
        `Set-OrganizationConfig succeeded, but EwsEnabled reads ${showEnabled(after.enabled)} and EwsAllowedAppIDs ${showList(after.appIds)}, not True and ${showList(expected)}.`,
      );
    }
    if (before.enabled === false) {
      ctx.emit('warning', `EwsEnabled was False and reads True now: EWS is back for the ${others(before, p.app)} too.`);
    } else if (before.enabled === null) {
      ctx.emit(
        'warning',
        'EwsEnabled was empty and reads True now: from now on only the applications in the list may use EWS.',
      );
    } else if (!before.appIds.length) {
      ctx.emit('warning', 'EwsAllowedAppIDs was empty: from now on only the applications in the list may use EWS.');
    }
    ctx.emit(
      'result',
      `EwsEnabled reads True and EwsAllowedAppIDs holds ${after.appIds.length} ids, ${p.app} among them: ${showList(after.appIds)}. Exchange can take a while to apply a new list to every server (up to 24 hours, by a field report).`,
      { EwsEnabled: after.enabled, EwsAllowedAppIDs: after.appIds },
    );
    return {
      app: p.app,
      ewsEnabled: after.enabled,
      ewsAllowedAppIds: after.appIds,
      before: { ewsEnabled: before.enabled, ewsAllowedAppIds: before.appIds },
    };
  },
  knownErrors,
};
