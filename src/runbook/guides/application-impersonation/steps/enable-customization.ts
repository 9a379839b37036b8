/**
 * enable-customization: runs Enable-OrganizationCustomization once. Irreversible; "already enabled" counts as success.
 */
import { z } from 'zod';
import { impersonationLink } from '../sections.ts';
import { CUSTOMIZATION_ERRORS, readIsDehydrated } from '../../../exchange/customization.ts';
import { dataOrThrow, echoingSession, showRefusal } from '../../../core/session.ts';
import type { CmdletCall } from '../../../core/cmdlets.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z.object({}).strict();
const enable: CmdletCall = { cmdlet: 'Enable-OrganizationCustomization', params: {} };
const knownErrors = [CUSTOMIZATION_ERRORS.alreadyEnabled];

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
    'Customization takes effect after a while (Microsoft says about 60 minutes; it can take longer): IsDehydrated still reads True. Wait for it with “Wait until IsDehydrated reads False”.',
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
        'IsDehydrated reads True: customization has not been enabled, or was enabled recently and has not taken effect yet (this can take an hour or more). Running it again is harmless.',
    };
  },
  async run(ctx) {
    const result = await echoingSession(ctx).invoke(enable);
    if (!result.ok) {
      if (!CUSTOMIZATION_ERRORS.alreadyEnabled.pattern.test(result.error.message)) dataOrThrow(result, []);
      showRefusal(ctx, result.error);
      ctx.emit('result', `Exchange's way of saying there was nothing to do: ${CUSTOMIZATION_ERRORS.alreadyEnabled.meaning} ${CUSTOMIZATION_ERRORS.alreadyEnabled.action}`, {
        known: CUSTOMIZATION_ERRORS.alreadyEnabled.id,
        guide: CUSTOMIZATION_ERRORS.alreadyEnabled.guide,
      });
      return { alreadyEnabled: true };
    }
    ctx.emit(
      'result',
      'Customization requested. It takes effect after a while (Microsoft says about 60 minutes): wait for it with “Wait until IsDehydrated reads False”.',
    );
    return { alreadyEnabled: false };
  },
  knownErrors,
};
