/**
 * Reading the organization's EWS policy and judging it: EwsEnabled and EwsAllowedAppIDs as Get-OrganizationConfig
 * -RetrieveEwsOperationAccessPolicy returns them, whether an application may use EWS under them, and the lists the
 * allow and remove steps write. Ids are compared as Exchange compares GUIDs, without regard to case.
 */
import type { CmdletCall, ExchangeSession } from '../../core/cmdlets.ts';
import { runbookFailure } from '../../core/failure.ts';
import type { KnownError } from '../../core/known-errors.ts';
import { asList, dataOrThrow, echoingSession, runCall } from '../../core/session.ts';
import type { ProbeResult, StepContext } from '../../core/step.ts';
import { EWS_ERRORS } from './errors.ts';
import { ewsLink } from './sections.ts';

/**
 * The read the first step shows and every EWS step repeats before and after it writes, shown as Microsoft's read-back
 * (`| Format-List EwsEnabled,EwsAllowedAppIDs`).
 */
export const READ_POLICY: CmdletCall = {
  cmdlet: 'Get-OrganizationConfig',
  params: { RetrieveEwsOperationAccessPolicy: true },
  show: ['EwsEnabled', 'EwsAllowedAppIDs'],
};

/** The two settings as the organization has them. */
export interface EwsPolicy {
  /** EwsEnabled: True, False, or null (never set). */
  enabled: boolean | null;
  /** EwsAllowedAppIDs split into its ids, in the order it holds them. */
  appIds: string[];
}

/**
 * The ids in EwsAllowedAppIDs, however it comes back: one comma-separated string, a list holding that one string (as
 * field reports describe the read-back), a list of ids, or nothing.
 */
export function parseAppIds(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  return parts
    .flatMap((part) => String(part).split(','))
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

/** Reads EwsEnabled and EwsAllowedAppIDs (on `exo` as given: echoing or not). */
export async function readPolicy(exo: ExchangeSession, knownErrors: readonly KnownError[]): Promise<EwsPolicy> {
  const config = asList(dataOrThrow(await exo.invoke(READ_POLICY), knownErrors))[0];
  if (!config || !('EwsEnabled' in config)) {
    throw runbookFailure(
      'UnexpectedOutput',
      'Get-OrganizationConfig -RetrieveEwsOperationAccessPolicy returned no EwsEnabled value.',
    );
  }
  const enabled = config.EwsEnabled;
  if (enabled !== null && typeof enabled !== 'boolean') {
    throw runbookFailure(
      'UnexpectedOutput',
      `Get-OrganizationConfig returned EwsEnabled ${JSON.stringify(enabled)}, not True, False or empty.`,
    );
  }
  return { enabled, appIds: parseAppIds(config.EwsAllowedAppIDs) };
}

/** True when `list` holds `id`. */
export function listHolds(list: readonly string[], id: string): boolean {
  return list.some((x) => x.toLowerCase() === id.toLowerCase());
}

/** True when both lists hold the same ids (order and repeats aside). */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.every((id) => listHolds(b, id)) && b.every((id) => listHolds(a, id));
}

/** The list with `app` added at the end, unless it is there already. */
export function withApp(list: readonly string[], app: string): string[] {
  return listHolds(list, app) ? [...list] : [...list, app];
}

/** The list without `app`. */
export function withoutApp(list: readonly string[], app: string): string[] {
  return list.filter((id) => id.toLowerCase() !== app.toLowerCase());
}

/** EwsEnabled as PowerShell prints it. */
export function showEnabled(enabled: boolean | null): string {
  return enabled === null ? 'empty ($null, never set)' : enabled ? 'True' : 'False';
}

/** The list as the reader can copy it into the next step's form, or a word for an empty one. */
export function showList(ids: readonly string[]): string {
  return ids.length ? ids.join(',') : 'empty';
}

/** Whether the application may use EWS under `policy`, and why, in one or two sentences. */
export function judgeApplication(policy: EwsPolicy, app: string): { allowed: boolean; reason: string } {
  const listed = listHolds(policy.appIds, app);
  const count = `${policy.appIds.length} id${policy.appIds.length === 1 ? '' : 's'}`;
  if (policy.enabled === null) {
    return {
      allowed: true,
      reason:
        'EwsEnabled is empty (never set), so the allow list has no effect and the organization does not limit EWS to listed applications: the application may use EWS as far as these two settings go. Since 1 October 2026 Microsoft sets an empty EwsEnabled to False (MC1227454).',
    };
  }
  if (policy.enabled === false) {
    return {
      allowed: false,
      reason: `EwsEnabled reads False: EWS is off for the whole organization, whatever the allow list holds (${count}; the application is ${listed ? '' : 'not '}among them).`,
    };
  }
  if (listed)
    return {
      allowed: true,
      reason: `EwsEnabled reads True and the application is in EwsAllowedAppIDs (${count}): it may use EWS.`,
    };
  if (!policy.appIds.length) {
    return {
      allowed: true,
      reason:
        'EwsEnabled reads True and EwsAllowedAppIDs is empty, which the Set-OrganizationConfig reference calls not restricting access by application id: the application may use EWS as far as these two settings go. One 2026 field script reports every EWS request blocked in this state instead; an application in the list is sure to keep EWS.',
    };
  }
  return {
    allowed: false,
    reason: `EwsEnabled reads True and EwsAllowedAppIDs holds ${count}, but not this application: Exchange refuses its EWS requests.`,
  };
}

/**
 * The probe's verdict when the organization's list is neither the one in the form nor what the step makes of it
 * (`target`): writing would change other ids.
 */
export function listDiffers(
  policy: EwsPolicy,
  current: readonly string[],
  target: readonly string[],
): ProbeResult | undefined {
  if (sameIds(policy.appIds, current) || sameIds(policy.appIds, target)) return undefined;
  return {
    state: 'blocked',
    reason: `EwsAllowedAppIDs reads ${showList(policy.appIds)}, which is not the list in the form (${showList(current)}). Copy the list as it reads now into "The allow list as it reads now": the step writes the whole list.`,
    guide: ewsLink('listChanged'),
  };
}

/** What the probe adds while the confirmation is not ticked. */
export function confirmHint(confirm: boolean): string {
  return confirm ? '' : ' Tick "Confirm the tenant-wide change" to run it.';
}

/**
 * The write both list-changing steps make: refused unless confirmed; the list read first and compared with the form's
 * or with what the write makes of it, `target` (a step run again after it succeeded); nothing is written when it is
 * neither. Then `call`, echoed; then the policy read back for the step to verify.
 */
export async function writePolicy(
  ctx: StepContext,
  p: { current: readonly string[]; confirm: boolean },
  target: readonly string[],
  call: CmdletCall,
  knownErrors: readonly KnownError[],
): Promise<{ before: EwsPolicy; after: EwsPolicy }> {
  if (!p.confirm) {
    throw runbookFailure(
      'NotConfirmed',
      'Not confirmed: "Confirm the tenant-wide change" was not ticked, so nothing was run.',
      EWS_ERRORS.notConfirmed,
    );
  }
  const exo = echoingSession(ctx);
  const before = await readPolicy(exo, knownErrors);
  if (!sameIds(before.appIds, p.current) && !sameIds(before.appIds, target)) {
    throw runbookFailure(
      'AllowListChanged',
      `EwsAllowedAppIDs reads ${showList(before.appIds)}, not ${showList(p.current)} as in the form: nothing was written.`,
      EWS_ERRORS.allowListChanged,
    );
  }
  await runCall(ctx, knownErrors, call);
  return { before, after: await readPolicy(exo, knownErrors) };
}
