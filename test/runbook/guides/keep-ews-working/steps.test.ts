/**
 * EWS step behaviour the flows do not reach: every shape EwsAllowedAppIDs may come back in, the verdict for each
 * combination of the two settings, a write Exchange did not keep, an empty list while EwsEnabled reads True, output
 * the runbook cannot read, the errors it explains, and the countdown.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainError, getStep } from '../../../../src/runbook/catalog.ts';
import type { CmdletCall, CmdletResult, ExchangeSession } from '../../../../src/runbook/core/cmdlets.ts';
import {
  countdownText,
  daysUntilRetirement,
  fallbackText,
  showCountdown,
} from '../../../../src/runbook/guides/keep-ews-working/countdown.ts';
import { judgeApplication, parseAppIds } from '../../../../src/runbook/guides/keep-ews-working/queries.ts';
import { exoErrors } from '../../../../server/sandbox/errors.ts';
import { FakeClock } from '../../../support/clock.ts';
import { runOn } from '../../../support/flows.ts';

const APP = '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93';
const ROOM = '953955a3-107b-48fe-9c24-e5c9b959af4d';

/**
 * A session whose organization has `config` (what Get-OrganizationConfig returns) and keeps what Set-OrganizationConfig
 * writes, unless `ignoreWrites`; every call is recorded.
 */
function organization(config: Record<string, unknown>, options: { ignoreWrites?: boolean } = {}) {
  const calls: CmdletCall[] = [];
  const exo: ExchangeSession = {
    async invoke(call): Promise<CmdletResult> {
      calls.push(call);
      if (call.cmdlet === 'Set-OrganizationConfig' && !options.ignoreWrites) {
        if ('EwsEnabled' in call.params) config.EwsEnabled = call.params.EwsEnabled;
        if ('EwsAllowedAppIDs' in call.params) config.EwsAllowedAppIDs = call.params.EwsAllowedAppIDs;
      }
      return { ok: true, data: call.cmdlet === 'Get-OrganizationConfig' ? { ...config } : null };
    },
  };
  return { exo, calls };
}

describe('reading EwsAllowedAppIDs', () => {
  it('takes one string, a list holding it, a list of ids, or nothing', () => {
    assert.deepEqual(parseAppIds(`${ROOM},${APP}`), [ROOM, APP]);
    assert.deepEqual(parseAppIds([`${ROOM}, ${APP}`]), [ROOM, APP]);
    assert.deepEqual(parseAppIds([ROOM, APP]), [ROOM, APP]);
    for (const empty of [null, undefined, '', [], [''], ' , '])
      assert.deepEqual(parseAppIds(empty), [], JSON.stringify(empty));
  });

  it('fails with what it got when EwsEnabled is missing or not a Boolean', async () => {
    for (const config of [{ IsDehydrated: false }, { EwsEnabled: 'yes' }]) {
      const r = await runOn(getStep('read-ews-policy')!, organization(config).exo, {}, new FakeClock());
      assert.equal(r.status, 'failed');
      assert.equal(r.error!.type, 'Runbook.UnexpectedOutput');
      assert.match(r.error!.message, /EwsEnabled/);
    }
  });
});

describe('the verdict on one application', () => {
  const judge = (enabled: boolean | null, appIds: string[]) => judgeApplication({ enabled, appIds }, APP);
  it('allows it with EwsEnabled True and the id listed, or with the list or EwsEnabled not set', () => {
    assert.equal(judge(true, [ROOM, APP.toUpperCase()]).allowed, true);
    assert.equal(judge(true, [ROOM]).allowed, false);
    assert.equal(judge(false, [APP]).allowed, false);
    assert.equal(judge(null, []).allowed, true);
  });
  it('reads an empty list while EwsEnabled reads True as the reference does: no restriction by application id', () => {
    const verdict = judge(true, []);
    assert.equal(verdict.allowed, true);
    assert.match(verdict.reason, /the Set-OrganizationConfig reference calls not restricting access by application id/);
    assert.match(verdict.reason, /One 2026 field script reports every EWS request blocked/);
  });
  it('says the list has no effect while EwsEnabled is empty, and what Microsoft did to such organizations', () => {
    assert.match(
      judge(null, [ROOM]).reason,
      /the allow list has no effect.*Since 1 October 2026 Microsoft sets an empty EwsEnabled to False \(MC1227454\)/,
    );
  });
});

describe('allow-ews-application', () => {
  it('fails verification when the organization does not show the list it wrote', async () => {
    const { exo, calls } = organization({ EwsEnabled: false, EwsAllowedAppIDs: [ROOM] }, { ignoreWrites: true });
    const r = await runOn(
      getStep('allow-ews-application')!,
      exo,
      { app: APP, current: [ROOM], confirm: true },
      new FakeClock(),
    );
    assert.equal(r.status, 'failed');
    assert.equal(r.error!.type, 'Runbook.VerificationFailed');
    assert.equal(
      r.error!.message,
      `Set-OrganizationConfig succeeded, but EwsEnabled reads False and EwsAllowedAppIDs ${ROOM}, not True and ${ROOM},${APP}.`,
    );
    assert.deepEqual(
      calls.map((c) => c.cmdlet),
      ['Get-OrganizationConfig', 'Set-OrganizationConfig', 'Get-OrganizationConfig'],
    );
  });

  it('writes the same list again, harmlessly, when the application is allowed already', async () => {
    const { exo, calls } = organization({ EwsEnabled: true, EwsAllowedAppIDs: [`${ROOM},${APP}`] });
    const step = getStep('allow-ews-application')!;
    const p = { app: APP, current: [ROOM, APP], confirm: true };
    assert.equal((await step.probe(exo, step.params.parse(p))).state, 'done');
    const r = await runOn(step, exo, p, new FakeClock());
    assert.equal(r.status, 'succeeded');
    assert.deepEqual(calls.find((c) => c.cmdlet === 'Set-OrganizationConfig')!.params, {
      EwsEnabled: true,
      EwsAllowedAppIDs: `${ROOM},${APP}`,
    });
    assert.equal(
      r.output.filter((o) => o.kind === 'warning').length,
      0,
      'EwsEnabled was True: nothing tenant-wide to warn about',
    );
  });
});

describe('remove-ews-application', () => {
  it('warns that emptying the list while EwsEnabled reads True lifts the restriction for every application', async () => {
    const { exo } = organization({ EwsEnabled: true, EwsAllowedAppIDs: [APP] });
    const step = getStep('remove-ews-application')!;
    const verdict = await step.probe(exo, step.params.parse({ app: APP, current: [APP], confirm: true }));
    assert.equal(verdict.state, 'needed');
    assert.match(
      verdict.reason,
      /keeps the 0 other ids\. The list would be empty \(\$null\) while EwsEnabled reads True, .*every EWS application in the organization may use EWS again/,
    );
  });
  it('says the list has no effect while EwsEnabled reads False', async () => {
    const { exo } = organization({ EwsEnabled: false, EwsAllowedAppIDs: [`${ROOM},${APP}`] });
    const step = getStep('remove-ews-application')!;
    const verdict = await step.probe(exo, step.params.parse({ app: APP, current: [ROOM, APP] }));
    assert.match(verdict.reason, /EwsEnabled reads False, so the list has no effect now/);
    assert.match(verdict.reason, /Tick "Confirm the tenant-wide change" to run it\.$/);
  });
});

describe('check-ews-mailboxes', () => {
  it('fails at once on an error other than a missing mailbox, unexplained', async () => {
    const denied = { message: 'Access denied.', type: 'System.UnauthorizedAccessException' };
    const exo: ExchangeSession = { invoke: async () => ({ ok: false, error: denied }) };
    const r = await runOn(getStep('check-ews-mailboxes')!, exo, {}, new FakeClock());
    assert.equal(r.status, 'failed');
    assert.deepEqual(r.error, denied);
  });
  it('shows a mailbox whose EwsEnabled is not set as such', async () => {
    const exo: ExchangeSession = {
      invoke: async () => ({
        ok: true,
        data: { PrimarySmtpAddress: 'room@fabrikam.onmicrosoft.com', EwsEnabled: null },
      }),
    };
    const r = await runOn(getStep('check-ews-mailboxes')!, exo, {}, new FakeClock());
    assert.ok(
      r.output.some(
        (o) =>
          o.text ===
          "room@fabrikam.onmicrosoft.com: EwsEnabled empty (not set on the mailbox: the organization's settings decide)",
      ),
    );
  });
});

describe('known errors', () => {
  it("explains PowerShell's refusal of a parameter the module does not know", () => {
    const error = exoErrors.parameterNotFound('Get-OrganizationConfig', 'RetrieveEwsOperationAccessPolicy');
    assert.equal(
      error.message,
      "A parameter cannot be found that matches parameter name 'RetrieveEwsOperationAccessPolicy'.",
    );
    for (const id of ['read-ews-policy', 'allow-ews-application', 'remove-ews-application']) {
      const known = explainError(getStep(id)!, error);
      assert.equal(known?.id, 'ews-parameter-not-found', id);
      assert.equal(known.guide, '/guides/keep-ews-working/#error-a-parameter-cannot-be-found');
    }
  });
  it("explains Exchange's not-found error for a mailbox", () => {
    const known = explainError(
      getStep('check-ews-mailboxes')!,
      exoErrors.objectNotFound('nobody@fabrikam.onmicrosoft.com', 'SIMPR02'),
    );
    assert.equal(known?.id, 'ews-mailbox-not-found');
  });
});

describe('the countdown', () => {
  const day = (y: number, m: number, d: number) => new Date(y, m - 1, d, 15, 30);
  it('counts calendar days to 1 April 2027 in the reader’s own time zone', () => {
    assert.equal(daysUntilRetirement(day(2026, 12, 3)), 119);
    assert.equal(daysUntilRetirement(day(2027, 3, 31)), 1);
    assert.equal(daysUntilRetirement(day(2027, 4, 1)), 0);
    assert.equal(daysUntilRetirement(day(2027, 4, 3)), -2);
    // Across the switch to summer time in Europe (28 March 2027) a day is still a day.
    assert.equal(daysUntilRetirement(day(2027, 3, 27)), 5);
  });
  it('words the days left, the day itself and the days since', () => {
    assert.equal(
      countdownText(day(2026, 12, 3)),
      'Exchange Online retires EWS on 1 April 2027, with no exceptions (MC1227454). Today, 3 December 2026, that is 119 days away.',
    );
    assert.match(countdownText(day(2027, 3, 31)), /^Exchange Online retires EWS tomorrow, 1 April 2027/);
    assert.match(
      countdownText(day(2027, 4, 1)),
      /retires EWS today, 1 April 2027.*the allow list keeps no application working any more\.$/,
    );
    assert.match(
      countdownText(day(2027, 4, 2)),
      /retired EWS on 1 April 2027, 1 day ago .*Move the application to Microsoft Graph\.$/,
    );
  });
  it('words the text without JavaScript for the day the page was updated, which stays true', () => {
    assert.equal(
      fallbackText('2026-12-03'),
      'Exchange Online retires EWS on 1 April 2027, with no exceptions (MC1227454). On 3 December 2026, when this page was last updated, that was 119 days away.',
    );
  });
  it('replaces the paragraph it finds, and leaves a page without one alone', () => {
    const paragraph = { textContent: 'fallback' };
    showCountdown({ querySelector: () => paragraph } as unknown as ParentNode, day(2027, 1, 1));
    assert.equal(paragraph.textContent, countdownText(day(2027, 1, 1)));
    assert.doesNotThrow(() => showCountdown({ querySelector: () => null } as unknown as ParentNode));
  });
});
