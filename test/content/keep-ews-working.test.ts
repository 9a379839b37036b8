/**
 * The EWS guide agrees with the data it describes: the sandbox's ids, the countdown's date, the texts it quotes (the
 * runbook's own message exactly as a step writes it, PowerShell's as the sandbox writes it), a live step for each of
 * its steps in page order, what it marks unconfirmed, and the links that lead a reader here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStep } from '../../src/runbook/catalog.ts';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import { keepEwsWorking } from '../../src/runbook/guides/keep-ews-working/guide.ts';
import { exoErrors } from '../../server/sandbox/errors.ts';
import { FABRIKAM_ARCHIVER, FABRIKAM_PREPOPULATED_EWS_APPS } from '../../server/sandbox/tenants/fabrikam.ts';
import { FakeClock } from '../support/clock.ts';
import { fencedBlocks, readDoc } from '../support/docs-source.ts';
import { runOn } from '../support/flows.ts';

const guide = readDoc('guides/keep-ews-working.mdx');
const [room, crm] = FABRIKAM_PREPOPULATED_EWS_APPS;

describe('keep-ews-working.mdx', () => {
  it('is the page of the guide in the catalog, under its title', () => {
    assert.equal(keepEwsWorking.path, '/guides/keep-ews-working/');
    assert.match(guide, new RegExp(`^---\\ntitle: ${keepEwsWorking.title}\\n`));
  });

  it('embeds every step of the guide, in the order of the catalog, and follows them in its checklist', () => {
    const ids = [...guide.matchAll(/<RunStep id="([a-z-]+)"/g)].map((m) => m[1]);
    assert.deepEqual(
      ids,
      keepEwsWorking.steps.map((s) => s.id),
    );
    assert.ok(guide.includes('<StepChecklist guide="keep-ews-working" />'));
  });

  it('counts the days from the day it was last updated', () => {
    const updated = /^lastUpdated: (\d{4}-\d{2}-\d{2})$/m.exec(guide)![1];
    assert.ok(guide.includes(`<Countdown updated="${updated}" />`), 'the text without JavaScript is for lastUpdated');
  });

  it("names the sandbox's applications as the sandbox seeds them", () => {
    for (const app of [room, crm, FABRIKAM_ARCHIVER]) {
      assert.ok(guide.includes(`**${app.displayName}**`), app.displayName);
      assert.ok(guide.includes(`\`${app.appId}\``), app.appId);
    }
  });

  it("quotes the runbook's own refusal exactly as the allow step writes it", async () => {
    const exo: ExchangeSession = {
      invoke: async () => ({
        ok: true,
        data: { EwsEnabled: false, EwsAllowedAppIDs: [`${room.appId},${crm.appId}`] },
      }),
    };
    const r = await runOn(
      getStep('allow-ews-application')!,
      exo,
      { app: FABRIKAM_ARCHIVER.appId, current: [room.appId], confirm: true },
      new FakeClock(),
    );
    assert.equal(r.error?.known, 'ews-allow-list-changed');
    assert.ok(
      fencedBlocks(guide).some((b) => b.code === r.error!.message),
      r.error.message,
    );
  });

  it("quotes PowerShell's refusal of an unknown parameter as the sandbox writes it, and marks it unconfirmed", () => {
    const text = exoErrors.parameterNotFound('Get-OrganizationConfig', 'RetrieveEwsOperationAccessPolicy').message;
    const block = fencedBlocks(guide).find((b) => b.code === text);
    assert.ok(block, text);
    assert.match(guide.slice(block.offset, block.offset + 600), /\*unconfirmed\* by a capture/);
  });

  it("quotes the Set-OrganizationConfig reference's rules for the two settings word for word", () => {
    for (const sentence of [
      'When EwsEnabled is $true, only applications specified by this parameter can access EWS.',
      'When EwsEnabled is $false, all EWS access is blocked regardless of this parameter.',
      'When EwsEnabled is blank ($null; not configured), this parameter has no effect.',
      'stop restricting access by app ID',
    ])
      assert.ok(guide.includes(sentence), sentence);
  });

  it('marks what no source settles as unconfirmed or contradicted', () => {
    assert.match(
      guide,
      /\| `True` \| empty \(`\$null`\) \| yes, .*reports every EWS request blocked in this state instead \(\*unconfirmed\*\) \|/,
    );
    assert.match(guide, /does not list that switch/);
    assert.match(guide, /is contradicted:/);
  });

  it("is linked from the landing page, the first guide's status notice and the RBAC guide's EWS.AccessAsApp caution", () => {
    assert.match(readDoc('index.mdx'), /link: \/guides\/keep-ews-working\/\n/);
    const notice = /:::caution\[Status in November 2026[\s\S]*?\n:::/.exec(
      readDoc('guides/application-impersonation.mdx'),
    )![0];
    assert.match(notice, /\]\(\/guides\/keep-ews-working\/\)/);
    const caution = /:::caution\[EWS\.AccessAsApp buys months, not years\][\s\S]*?\n:::/.exec(
      readDoc('guides/rbac-for-applications.mdx'),
    )![0];
    assert.match(caution, /\]\(\/guides\/keep-ews-working\/\)/);
  });
});
