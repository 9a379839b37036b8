/**
 * What a step's wait box says about how long the wait takes: on this sandbox (the delays the companion simulates,
 * from /api/config) beside what a real tenant does (exchange-facts.md, section 3: no Microsoft source gives a time).
 */
import type { ConfigResponse } from '../runbook/api.ts';
import type { StepId } from '../runbook/core/step.ts';

const LEAVE =
  'You can leave this page: the companion keeps checking, and this step picks the wait up again when you come back.';

/** A real tenant's customization wait, as far as it is known. */
const REAL_DEHYDRATED =
  'On a real tenant no Microsoft source gives a time: the 2023 how-to says 30 minutes to 2 hours, and admins ' +
  'report anything from minutes to a day or two.';
/** A real tenant's lag after IsDehydrated reads False. */
const REAL_PROPAGATION =
  'On a real tenant, writes can keep failing for a while after IsDehydrated reads False (field reports: up to ' +
  'about an hour), so the companion retries with growing pauses.';
/** A real tenant's delegating-assignment refusal after customization. */
const REAL_DELEGATION =
  ' Admins report 40 to 60 minutes of "You must be assigned a delegating role assignment" on a freshly ' +
  'customized tenant.';

/** "45 s", "2 min", "1 min 30 s". */
function seconds(total: number): string {
  if (total < 60) return `${total} s`;
  const rest = total % 60;
  return `${Math.floor(total / 60)} min${rest ? ` ${rest} s` : ''}`;
}

/** The explanation shown under the ticking clock while `step` waits. */
export function waitExplanation(step: StepId, config: ConfigResponse | undefined): string {
  const delays = config?.mode === 'sandbox' ? config.sandbox?.delays : undefined;
  const sandbox = (text: string) =>
    delays ? `${text} (a delay the sandbox adds so you can practise the wait, not Microsoft's timing). ` : '';
  if (step === 'check-dehydrated') {
    const here =
      delays &&
      sandbox(
        `On this sandbox, IsDehydrated reads False ${seconds(delays.customizationSeconds)} after ` +
          'Enable-OrganizationCustomization ran',
      );
    return `${here ?? ''}${REAL_DEHYDRATED} ${LEAVE}`;
  }
  const delegation = step === 'assign-application-role';
  const here =
    delays &&
    sandbox(
      `On this sandbox, writes are refused for ${seconds(delays.propagationSeconds)} after IsDehydrated ` +
        `reads False${delegation ? `, and application role assignments for ${seconds(delays.delegationSeconds)} more` : ''}`,
    );
  return `${here ?? ''}${REAL_PROPAGATION}${delegation ? REAL_DELEGATION : ''} ${LEAVE}`;
}
