/**
 * enable-customization: runs Enable-OrganizationCustomization once. Irreversible; "already enabled" counts as success.
 * Any other error fails with the text as Exchange wrote it and the field report that a first run can error yet take
 * effect (MicrosoftDocs/microsoft-365-docs#7403): running the step again then answers "already enabled".
 */
import { z } from 'zod';
import { impersonationLink } from '../sections.ts';
import { CUSTOMIZATION_ERRORS, readIsDehydrated } from '../../../exchange/customization.ts';
import { echoingSession, showRefusal } from '../../../core/session.ts';
import { StepFailure } from '../../../core/failure.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z.object({}).strict();
const enable: CmdletCall = { cmdlet: 'Enable-OrganizationCustomization', params: {} };
const knownErrors = [CUSTOMIZATION_ERRORS.alreadyEnabled, CUSTOMIZATION_ERRORS.enableMayHaveTakenEffect];

export const enableCustomization: StepDefinition<typeof params> = {
  id: 'enable-customization',
  title: 'Enable organization customization',
  summary: 'Runs Enable-OrganizationCustomization, which lets the organization create its own role groups.',
  params,
  irreversible: true,
  irreversibleNote:
    'Enable-OrganizationCustomization permanently expands the objects Microsoft keeps consolidated for your organization. There is no command that undoes it.',
  readOnly: false,
  pendingAfterRun:
    'Customization takes effect after a while (no Microsoft source gives a wait time; admins report minutes to a day or two): IsDehydrated still reads True. Wait for it with “Wait until IsDehydrated reads False”.',
  guide: impersonationLink('enableCustomization'),
  confirm: () => ({
    title: 'Enable organization customization? This cannot be undone',
    text: enableCustomization.irreversibleNote!,
    action: 'Enable customization',
  }),
  plan: () => [enable],
  async probe(exo) {
    if (!(await readIsDehydrated(exo))) {
      return { state: 'done', reason: 'IsDehydrated reads False: customization is already enabled.' };
    }
    return {
      state: 'needed',
      reason:
        'IsDehydrated reads True: customization has not been enabled, or was enabled recently and has not taken effect yet (no Microsoft source gives a wait time; admins report minutes to a day or two). Running it again is harmless.',
    };
  },
  async run(ctx) {
    const result = await echoingSession(ctx).invoke(enable);
    if (!result.ok) {
      if (!CUSTOMIZATION_ERRORS.alreadyEnabled.pattern.test(result.error.message))
        throw new StepFailure(result.error, CUSTOMIZATION_ERRORS.enableMayHaveTakenEffect);
      showRefusal(ctx, result.error);
      ctx.emit(
        'result',
        `Exchange's way of saying there was nothing to do: ${CUSTOMIZATION_ERRORS.alreadyEnabled.meaning} ${CUSTOMIZATION_ERRORS.alreadyEnabled.action}`,
        {
          known: CUSTOMIZATION_ERRORS.alreadyEnabled.id,
          guide: CUSTOMIZATION_ERRORS.alreadyEnabled.guide,
        },
      );
      return { alreadyEnabled: true };
    }
    ctx.emit(
      'result',
      'Customization requested. It takes effect after a while (no Microsoft source gives a wait time; the 2023 how-to saw 30 minutes to 2 hours, admins report minutes to a day or two): wait for it with “Wait until IsDehydrated reads False”.',
    );
    return { alreadyEnabled: false };
  },
  knownErrors,
};
