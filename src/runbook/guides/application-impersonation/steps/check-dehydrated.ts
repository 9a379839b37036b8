/**
 * check-dehydrated: waits until Get-OrganizationConfig reports IsDehydrated False, polling with backoff. Read-only.
 */
import { z } from 'zod';
import { impersonationLink } from '../sections.ts';
import { CUSTOMIZATION_ERRORS, READ_IS_DEHYDRATED, readIsDehydrated } from '../../../exchange/customization.ts';
import { echoingSession } from '../../../core/session.ts';
import { runbookFailure } from '../../../core/failure.ts';
import { formatDuration, withBackoff } from '../../../core/wait.ts';
import type { StepDefinition } from '../../../core/step.ts';

const params = z.object({}).strict();

export const checkDehydrated: StepDefinition<typeof params> = {
  id: 'check-dehydrated',
  title: 'Wait until IsDehydrated reads False',
  summary: 'Reads IsDehydrated from Get-OrganizationConfig until customization has taken effect; changes nothing.',
  params,
  irreversible: false,
  readOnly: true,
  guide: impersonationLink('checkDehydrated'),
  plan: () => [READ_IS_DEHYDRATED],
  async probe(exo) {
    if (await readIsDehydrated(exo)) {
      return {
        state: 'needed',
        reason: 'IsDehydrated reads True: customization has not taken effect (or has not been enabled).',
      };
    }
    return { state: 'done', reason: 'IsDehydrated reads False: the organization is customized.' };
  },
  async run(ctx) {
    const exo = echoingSession(ctx);
    const outcome = await withBackoff(ctx, {
      waitingFor: 'IsDehydrated to read False',
      check: async () => ((await readIsDehydrated(exo)) ? { retry: 'IsDehydrated reads True' } : { done: true }),
    });
    if ('timedOut' in outcome) {
      throw runbookFailure(
        'CustomizationWaitTimedOut',
        `IsDehydrated still read True after ${formatDuration(outcome.elapsedMs)} of checking.`,
        CUSTOMIZATION_ERRORS.customizationWaitTimedOut,
      );
    }
    ctx.emit(
      'result',
      'IsDehydrated reads False: the organization is customized. Exchange can still refuse new role groups and role assignments for a while; the steps that create them wait and try again by themselves.',
    );
    return { isDehydrated: false };
  },
  knownErrors: [CUSTOMIZATION_ERRORS.customizationWaitTimedOut],
};
