/**
 * The EWS guide's flows, driven through an Executor like the other guides' flows, for any executor (the sandbox one in
 * test/server/executors/sandbox-flows.test.ts, real pwsh + stand-in module in test/pwsh/scenarios.test.ts).
 *   fabrikam (December 2026): EwsEnabled False and Microsoft's pre-populated list -> the archiver is refused -> a stale
 *            list and a missing confirmation write nothing -> allowed, keeping both pre-populated ids, EwsEnabled True
 *            -> one of its mailboxes has EWS off -> the undo restores the list exactly.
 *   contoso (2023): EwsEnabled empty, so nothing is restricted; allowing would restrict EWS to the list, and says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getStep, previewScript } from '../../src/runbook/catalog.ts';
import type { Actor, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { StepId } from '../../src/runbook/core/step.ts';
import { CONTOSO_EWS_CONNECTOR } from '../../server/sandbox/tenants/contoso.ts';
import { FABRIKAM_ARCHIVER, FABRIKAM_PREPOPULATED_EWS_APPS } from '../../server/sandbox/tenants/fabrikam.ts';
import { CONTOSO, FABRIKAM, runOn, type ScenarioHarness, type StepRun } from '../support/flows.ts';

const ARCHIVER = FABRIKAM_ARCHIVER.appId;
/** fabrikam's list as Microsoft pre-populated it, and as Get-OrganizationConfig returns it: one string. */
const PREPOPULATED = FABRIKAM_PREPOPULATED_EWS_APPS.map((a) => a.appId);
const PREPOPULATED_TEXT = PREPOPULATED.join(',');
const at = (alias: string) => `${alias}@fabrikam.onmicrosoft.com`;

/** Registers this guide's scenarios against the executor `makeHarness` builds. */
export default function keepEwsWorkingFlows(makeHarness: () => Promise<ScenarioHarness>): void {
  let h: ScenarioHarness;
  const sessionOf = (actor: Actor): Promise<ExchangeSession> => h.executor.session(h.credentials?.(actor) ?? { actor });
  /** Runs step `id` as `actor`. */
  const run = async (actor: Actor, id: StepId, params: unknown = {}): Promise<StepRun> =>
    runOn(getStep(id)!, await sessionOf(actor), params, h.clock);
  /** Probes step `id` as `actor`. */
  const probe = async (actor: Actor, id: StepId, params: unknown = {}) => {
    const step = getStep(id)!;
    return step.probe(await sessionOf(actor), step.params.parse(params));
  };
  /** EwsEnabled and EwsAllowedAppIDs exactly as the executor returns them. */
  const organization = async (actor: Actor) => {
    const result = await (
      await sessionOf(actor)
    ).invoke({
      cmdlet: 'Get-OrganizationConfig',
      params: { RetrieveEwsOperationAccessPolicy: true },
    });
    assert.ok(result.ok, JSON.stringify(result));
    const config = (Array.isArray(result.data) ? result.data[0] : result.data) as Record<string, unknown>;
    return { EwsEnabled: config.EwsEnabled, EwsAllowedAppIDs: config.EwsAllowedAppIDs };
  };
  /** Asserts a run succeeded and returns its result. */
  const succeeded = <T>(r: StepRun): T => {
    assert.equal(r.status, 'succeeded', JSON.stringify(r.error));
    return r.result as T;
  };
  /** Asserts a run failed with an explained error `known` whose message matches. */
  const failedWith = (r: StepRun, known: string, message: RegExp) => {
    assert.equal(r.status, 'failed', `expected failure, got ${JSON.stringify(r.result)}`);
    assert.equal(r.error!.known, known, r.error!.message);
    assert.match(r.error!.message, message);
    assert.ok(r.error!.explanation?.meaning && r.error!.explanation.action, 'explained');
    assert.ok(r.error!.guide?.startsWith('/guides/keep-ews-working/#'), 'with a link to the guide');
  };
  /** The Set-OrganizationConfig lines a run echoed. */
  const writes = (r: StepRun) =>
    r.output.filter((o) => o.kind === 'command' && o.text.startsWith('Set-OrganizationConfig')).map((o) => o.text);

  const allow = { app: ARCHIVER, current: PREPOPULATED, confirm: true };

  before(async () => {
    h = await makeHarness();
    await h.reset(CONTOSO.tid);
    await h.reset(FABRIKAM.tid);
  });
  after(async () => h.close?.());

  describe('fabrikam (December 2026): keep the archiver on EWS with the allow list', () => {
    it('reads EwsEnabled False and the pre-populated list, and judges the archiver refused', async () => {
      assert.deepEqual(await organization(FABRIKAM), { EwsEnabled: false, EwsAllowedAppIDs: [PREPOPULATED_TEXT] });
      const verdict = await probe(FABRIKAM, 'read-ews-policy', { app: ARCHIVER });
      assert.equal(verdict.state, 'needed');
      assert.match(
        verdict.reason,
        /^EwsEnabled reads False: EWS is off for the whole organization, .*\(2 ids; the application is not among them\)/,
      );
      const r = await run(FABRIKAM, 'read-ews-policy', { app: ARCHIVER });
      assert.deepEqual(succeeded(r), {
        ewsEnabled: false,
        ewsAllowedAppIds: PREPOPULATED,
        app: ARCHIVER,
        allowed: false,
      });
      assert.ok(
        r.output.some((o) => o.kind === 'result' && o.text === `EwsAllowedAppIDs: ${PREPOPULATED_TEXT}`),
        'the list as one copyable string',
      );
    });

    it('names what changes tenant-wide before anything is written', async () => {
      const verdict = await probe(FABRIKAM, 'allow-ews-application', { ...allow, confirm: false });
      assert.equal(verdict.state, 'needed');
      assert.match(
        verdict.reason,
        /sets EwsEnabled to True for the whole organization: EWS comes back for the 2 other applications already in the list/,
      );
      assert.match(verdict.reason, /Tick "Confirm the tenant-wide change" to run it\.$/);
      assert.equal(
        previewScript(getStep('allow-ews-application')!, allow),
        `Set-OrganizationConfig -EwsEnabled $true -EwsAllowedAppIDs '${PREPOPULATED_TEXT},${ARCHIVER}'`,
      );
    });

    it("writes nothing without the confirmation, or with a list that is not the organization's", async () => {
      const unconfirmed = await run(FABRIKAM, 'allow-ews-application', { ...allow, confirm: false });
      failedWith(unconfirmed, 'ews-change-not-confirmed', /^Not confirmed/);
      assert.equal(unconfirmed.output.length, 0, 'not even a read');
      const stale = { ...allow, current: PREPOPULATED.slice(0, 1) };
      assert.equal((await probe(FABRIKAM, 'allow-ews-application', stale)).state, 'blocked');
      const r = await run(FABRIKAM, 'allow-ews-application', stale);
      failedWith(r, 'ews-allow-list-changed', /^EwsAllowedAppIDs reads .+ as in the form: nothing was written\.$/);
      assert.deepEqual(writes(r), []);
      assert.deepEqual(await organization(FABRIKAM), { EwsEnabled: false, EwsAllowedAppIDs: [PREPOPULATED_TEXT] });
    });

    it('allows the archiver, keeping every id that was there, and EwsEnabled reads True', async () => {
      const r = await run(FABRIKAM, 'allow-ews-application', allow);
      const result = succeeded<{ ewsEnabled: boolean; ewsAllowedAppIds: string[] }>(r);
      assert.deepEqual(
        writes(r),
        [previewScript(getStep('allow-ews-application')!, allow)],
        'runs exactly what it shows',
      );
      assert.deepEqual(result.ewsAllowedAppIds, [...PREPOPULATED, ARCHIVER]);
      assert.ok(r.output.some((o) => o.kind === 'warning' && /EWS is back for the 2 other applications/.test(o.text)));
      assert.deepEqual(await organization(FABRIKAM), {
        EwsEnabled: true,
        EwsAllowedAppIDs: [`${PREPOPULATED_TEXT},${ARCHIVER}`],
      });
      assert.equal(
        (await probe(FABRIKAM, 'allow-ews-application', { ...allow, current: result.ewsAllowedAppIds })).state,
        'done',
      );
      assert.equal(
        (await probe(FABRIKAM, 'allow-ews-application', allow)).state,
        'done',
        'the form as it was run: done, so Undo is offered',
      );
      succeeded(await run(FABRIKAM, 'allow-ews-application', allow)); // run again with the same form: harmless
      assert.deepEqual(await organization(FABRIKAM), {
        EwsEnabled: true,
        EwsAllowedAppIDs: [`${PREPOPULATED_TEXT},${ARCHIVER}`],
      });
      const verdict = await probe(FABRIKAM, 'read-ews-policy', { app: ARCHIVER });
      assert.deepEqual(verdict, {
        state: 'done',
        reason: 'EwsEnabled reads True and the application is in EwsAllowedAppIDs (3 ids): it may use EWS.',
      });
    });

    it("finds the archiver's mailbox whose own EWS is off, and an address that is no mailbox", async () => {
      const mailboxes = [at('diego.siciliani'), at('lynne.robbins')];
      const verdict = await probe(FABRIKAM, 'check-ews-mailboxes', { mailboxes });
      assert.equal(verdict.state, 'blocked');
      assert.match(verdict.reason, /^EWS is off for lynne\.robbins@fabrikam\.onmicrosoft\.com: /);
      const r = await run(FABRIKAM, 'check-ews-mailboxes', { mailboxes });
      assert.deepEqual(succeeded(r), {
        rows: [
          { Mailbox: mailboxes[0], EwsEnabled: true },
          { Mailbox: mailboxes[1], EwsEnabled: false },
        ],
        ewsOff: [mailboxes[1]],
      });
      assert.equal(
        r.output.filter((o) => o.kind === 'command').length,
        2,
        'one Get-CASMailbox per mailbox, each shown',
      );
      failedWith(
        await run(FABRIKAM, 'check-ews-mailboxes', { mailboxes: [at('nobody')] }),
        'ews-mailbox-not-found',
        /^The operation couldn't be performed because object 'nobody@fabrikam\.onmicrosoft\.com' couldn't be found/,
      );
      const all = succeeded<{ rows: unknown[] }>(await run(FABRIKAM, 'check-ews-mailboxes'));
      assert.equal(all.rows.length, 6, 'every mailbox, bounded by -ResultSize');
    });

    it('undoes the allow by removing exactly the archiver: the list reads as before', async () => {
      const step = getStep('allow-ews-application')!;
      const undo = { step: step.undo!.step, params: step.undo!.params(step.params.parse(allow)) };
      assert.equal(undo.step, 'remove-ews-application');
      const verdict = await probe(FABRIKAM, undo.step, undo.params);
      assert.equal(verdict.state, 'needed');
      assert.match(
        verdict.reason,
        /removes the application from EwsAllowedAppIDs and keeps the 2 other ids\. The application loses EWS/,
      );
      const r = await run(FABRIKAM, undo.step, undo.params);
      succeeded(r);
      assert.deepEqual(writes(r), [`Set-OrganizationConfig -EwsAllowedAppIDs '${PREPOPULATED_TEXT}'`]);
      assert.deepEqual(await organization(FABRIKAM), { EwsEnabled: true, EwsAllowedAppIDs: [PREPOPULATED_TEXT] });
      assert.equal((await probe(FABRIKAM, undo.step, { ...undo.params, current: PREPOPULATED })).state, 'done');
    });
  });

  describe('contoso (2023): EWS unrestricted', () => {
    const connector = CONTOSO_EWS_CONNECTOR.appId;

    it('reads an empty EwsEnabled and no list: the list has no effect, the application may use EWS', async () => {
      const verdict = await probe(CONTOSO, 'read-ews-policy', { app: connector });
      assert.equal(verdict.state, 'done');
      assert.match(verdict.reason, /^EwsEnabled is empty \(never set\), so the allow list has no effect/);
      assert.deepEqual(succeeded(await run(CONTOSO, 'read-ews-policy')), { ewsEnabled: null, ewsAllowedAppIds: [] });
    });

    it('says that allowing would restrict EWS to the list for the whole organization', async () => {
      const verdict = await probe(CONTOSO, 'allow-ews-application', { app: connector });
      assert.equal(verdict.state, 'done');
      assert.match(
        verdict.reason,
        /only the applications in the list may use EWS, so every other EWS application in the organization loses it/,
      );
    });

    it('finds EWS on for every mailbox', async () => {
      assert.equal((await probe(CONTOSO, 'check-ews-mailboxes')).state, 'done');
    });
  });
}
