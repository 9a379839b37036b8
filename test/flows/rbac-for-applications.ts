/**
 * The RBAC for Applications flows, driven through an Executor like application-impersonation.ts, for any executor (the
 * sandbox one in test/server/executors/sandbox-flows.test.ts, real pwsh + stand-in module in
 * test/pwsh/scenarios.test.ts).
 *   fabrikam (the guide): no impersonation left -> register the app (the app registration's object id is refused) ->
 *            scope on CustomAttribute1 -> assign Application Mail.Read with the scope -> InScope True for exactly the
 *            scoped mailboxes -> scope in use cannot go -> clean up with the undo steps.
 *   fabrikam's Global Administrator, not an explicit member of Organization Management: told so by the probe, and the
 *            run fails at once instead of waiting (the other reported cause of the delegating-assignment refusal).
 *   contoso: dehydrated, so no custom impersonation assignment yet; after customization the seed guide's role group
 *            is found, and the assignment is retried through the delegating-assignment refusal until it succeeds.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getStep } from '../../src/runbook/catalog.ts';
import type { Actor, ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import type { StepId } from '../../src/runbook/core/step.ts';
import type { WaitData } from '../../src/runbook/core/wait.ts';
import { CONTOSO_EWS_CONNECTOR } from '../../server/sandbox/tenants/contoso.ts';
import { FABRIKAM_ARCHIVER } from '../../server/sandbox/tenants/fabrikam.ts';
import {
  CONTOSO,
  FABRIKAM,
  FABRIKAM_GLOBAL_ADMIN as GLOBAL_ADMIN,
  probeOn,
  runOn,
  type ScenarioHarness,
  type StepRun,
} from '../support/flows.ts';

const SCOPE = { name: 'EWS-Archive mailboxes', filter: "CustomAttribute1 -eq 'EWS-Archive'" };
const IN_SCOPE = ['diego.siciliani@fabrikam.onmicrosoft.com', 'lynne.robbins@fabrikam.onmicrosoft.com'];
const OUT_OF_SCOPE = ['admin', 'svc-ews', 'isaiah.langer', 'helpdesk'].map((a) => `${a}@fabrikam.onmicrosoft.com`);

/** Registers this guide's scenarios against the executor `makeHarness` builds. */
export default function rbacForApplicationsFlows(makeHarness: () => Promise<ScenarioHarness>): void {
  let h: ScenarioHarness;
  const sessionOf = (actor: Actor): Promise<ExchangeSession> => h.executor.session(h.credentials?.(actor) ?? { actor });
  /** Runs step `id` as `actor`. */
  const run = async (actor: Actor, id: StepId, params: unknown = {}): Promise<StepRun> =>
    runOn(getStep(id)!, await sessionOf(actor), params, h.clock);
  /** Probes step `id` as `actor`. */
  const probe = async (actor: Actor, id: StepId, params: unknown = {}) => {
    return probeOn(getStep(id)!, await sessionOf(actor), params);
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
    assert.ok(
      r.error!.explanation?.meaning && r.error!.explanation.action && r.error!.guide?.startsWith('/guides/'),
      'explained, with a guide link',
    );
  };

  const app = FABRIKAM_ARCHIVER;
  const register = { appId: app.appId, objectId: app.servicePrincipalObjectId, displayName: app.displayName };
  const assign = { app: app.appId, role: 'Application Mail.Read', scope: SCOPE.name };

  before(async () => {
    h = await makeHarness();
    await h.reset(CONTOSO.tid);
    await h.reset(FABRIKAM.tid);
  });
  after(async () => h.close?.());

  describe('fabrikam (as in 2026): authorize an application for the scoped mailboxes only', () => {
    it('finds no ApplicationImpersonation assignment, honestly: the role itself is gone', async () => {
      const verdict = await probe(FABRIKAM, 'find-impersonation-assignments');
      assert.equal(verdict.state, 'done');
      assert.match(verdict.reason, /cannot find ApplicationImpersonation in this organization .*MC718754/);
      assert.deepEqual(succeeded(await run(FABRIKAM, 'find-impersonation-assignments')), {
        roleExists: false,
        assignments: [],
      });
    });

    it("refuses the app registration's object id and explains the difference", async () => {
      const r = await run(FABRIKAM, 'create-service-principal', { ...register, objectId: app.applicationObjectId });
      failedWith(
        r,
        'not-enterprise-application-object-id',
        new RegExp(`^The object id '${app.applicationObjectId}' is not the object id of the enterprise application`),
      );
      assert.equal(
        r.error!.guide,
        '/guides/rbac-for-applications/#error-the-object-id-is-not-the-enterprise-applications',
      );
    });

    it('registers the application, verifies it, and refuses a second registration', async () => {
      assert.equal((await probe(FABRIKAM, 'create-service-principal', register)).state, 'needed');
      assert.equal((await probe(FABRIKAM, 'assign-application-role', assign)).state, 'blocked');
      assert.deepEqual(succeeded(await run(FABRIKAM, 'create-service-principal', register)), {
        displayName: app.displayName,
        appId: app.appId,
        objectId: app.servicePrincipalObjectId,
      });
      assert.equal((await probe(FABRIKAM, 'create-service-principal', register)).state, 'done');
      // Exchange Online puts the domain controller's words first; the known error is found inside the message.
      failedWith(
        await run(FABRIKAM, 'create-service-principal', register),
        'service-principal-exists',
        /^Active Directory operation failed on [\w.]+\. The object 'CN=b81d4e27-.+' already exists\.$/,
      );
    });

    it('creates the management scope on CustomAttribute1', async () => {
      assert.equal((await probe(FABRIKAM, 'assign-application-role', assign)).state, 'blocked', 'no scope yet');
      // Before the scope exists, the check names exactly the mailboxes the filter selects (Get-Mailbox -Filter).
      const before = await probe(FABRIKAM, 'create-management-scope', SCOPE);
      assert.equal(before.state, 'needed');
      assert.match(before.reason, new RegExp(`The filter selects 2 mailboxes today: ${IN_SCOPE.join(', ')}\\.$`));
      for (const mailbox of OUT_OF_SCOPE) assert.ok(!before.reason.includes(mailbox), `${mailbox} is not selected`);
      const none = await probe(FABRIKAM, 'create-management-scope', {
        name: 'Nobody',
        filter: "CustomAttribute1 -eq 'No-Such-Value'",
      });
      assert.match(none.reason, /The filter selects no mailbox today/);
      const all = await probe(FABRIKAM, 'create-management-scope', {
        name: 'Everyone',
        filter: "RecipientTypeDetails -eq 'UserMailbox'",
      });
      assert.match(all.reason, /The filter selects \d+ mailboxes today: admin@fabrikam/);
      assert.deepEqual(succeeded(await run(FABRIKAM, 'create-management-scope', SCOPE)), SCOPE);
      assert.equal((await probe(FABRIKAM, 'create-management-scope', SCOPE)).state, 'done');
      const other = await probe(FABRIKAM, 'create-management-scope', {
        name: SCOPE.name,
        filter: "Department -eq 'Sales'",
      });
      assert.equal(other.state, 'blocked');
    });

    it("tells fabrikam's Global Administrator, not an explicit member of Organization Management, before any wait", async () => {
      const verdict = await probe(GLOBAL_ADMIN, 'assign-application-role', assign);
      assert.equal(verdict.state, 'blocked');
      assert.match(
        verdict.reason,
        /^Get-RoleGroupMember 'Organization Management' does not list globaladmin@fabrikam\.onmicrosoft\.com\./,
      );
      assert.equal(
        verdict.guide,
        '/guides/rbac-for-applications/#error-you-must-be-assigned-a-delegating-role-assignment',
      );
      const r = await run(GLOBAL_ADMIN, 'assign-application-role', assign);
      failedWith(
        r,
        'not-organization-management-member',
        /^You don't have access to create, change, or remove the "fabrikam\.onmicrosoft\.com\\Application Mail\.Read-3f6a2c1e-EWS-Archive mailboxes" management role assignment\./,
      );
      assert.equal(r.output.filter((o) => o.kind === 'wait').length, 0, 'no waiting: no wait fixes this cause');
      assert.ok(
        r.output.some(
          (o) => o.kind === 'command' && o.text === "Get-RoleGroupMember -Identity 'Organization Management'",
        ),
        'the check it ran is shown',
      );
      assert.doesNotMatch(JSON.stringify(r.error), /nothing is wrong with your permissions/i);
    });

    it('assigns Application Mail.Read limited to the scope', async () => {
      assert.equal((await probe(FABRIKAM, 'test-app-authorization', { app: app.appId })).state, 'needed');
      assert.equal((await probe(FABRIKAM, 'assign-application-role', assign)).state, 'needed');
      const r = await run(FABRIKAM, 'assign-application-role', assign);
      assert.equal(succeeded<{ scope: string }>(r).scope, SCOPE.name);
      // The service principal is resolved first, and -App gets the ObjectId it returned.
      const commands = r.output.filter((o) => o.kind === 'command').map((o) => o.text);
      assert.equal(commands[0], `Get-ServicePrincipal -Identity '${app.appId}'`);
      assert.match(
        commands[1]!,
        new RegExp(
          `^New-ManagementRoleAssignment -Name '[^']+' -App '${app.servicePrincipalObjectId}' -Role 'Application Mail\\.Read'`,
        ),
      );
      assert.equal(r.output.filter((o) => o.kind === 'wait').length, 0, 'customized a year ago: no waiting');
      assert.equal((await probe(FABRIKAM, 'assign-application-role', assign)).state, 'done');
      const unscoped = await probe(FABRIKAM, 'assign-application-role', { app: app.appId });
      assert.equal(unscoped.state, 'needed', 'the scoped grant is not an organization-wide one');
      assert.match(unscoped.reason, /assignments add up/);
    });

    it('shows the application can reach exactly the scoped mailboxes', async () => {
      const r = await run(FABRIKAM, 'test-app-authorization', { app: app.appId });
      const result = succeeded<{ rows: Array<Record<string, unknown>>; inScope: string[]; outOfScope: string[] }>(r);
      assert.deepEqual(result.inScope.sort(), IN_SCOPE);
      assert.deepEqual(result.outOfScope.sort(), OUT_OF_SCOPE.sort());
      for (const row of result.rows) {
        assert.deepEqual(
          { ...row, Mailbox: undefined },
          {
            Mailbox: undefined,
            RoleName: 'Application Mail.Read',
            GrantedPermissions: 'Mail.Read',
            AllowedResourceScope: SCOPE.name,
            ScopeType: 'CustomRecipientScope',
            InScope: IN_SCOPE.includes(String(row.Mailbox)),
          },
        );
      }
      assert.equal(
        r.output.filter((o) => o.kind === 'command' && o.text.startsWith('Test-ServicePrincipalAuthorization')).length,
        6,
        'one test per mailbox, each shown',
      );
      const one = succeeded<{ rows: Array<{ InScope: boolean }> }>(
        await run(FABRIKAM, 'test-app-authorization', { app: app.servicePrincipalObjectId, resource: OUT_OF_SCOPE[2] }),
      );
      assert.deepEqual(
        one.rows.map((row) => row.InScope),
        [false],
      );
    });

    it('refuses to remove a scope that an assignment uses', async () => {
      failedWith(
        await run(FABRIKAM, 'remove-management-scope', { name: SCOPE.name }),
        'management-scope-in-use',
        /^The management scope 'EWS-Archive mailboxes' can't be removed/,
      );
    });

    it('cleans up with the undo steps, in reverse order', async () => {
      const undo = (id: StepId, params: unknown) => {
        const step = getStep(id)!;
        return { step: step.undo!.step, params: step.undo!.params(step.params.parse(params)) };
      };
      for (const { step, params } of [
        undo('assign-application-role', assign),
        undo('create-management-scope', SCOPE),
        undo('create-service-principal', register),
      ]) {
        assert.equal((await probe(FABRIKAM, step, params)).state, 'needed', step);
        succeeded(await run(FABRIKAM, step, params));
        assert.equal((await probe(FABRIKAM, step, params)).state, 'done', step);
      }
      assert.equal((await probe(FABRIKAM, 'create-service-principal', register)).state, 'needed');
    });
  });

  describe('contoso (as in 2023): no custom assignment while dehydrated, then a freshly customized tenant', () => {
    const connector = {
      appId: CONTOSO_EWS_CONNECTOR.appId,
      objectId: CONTOSO_EWS_CONNECTOR.servicePrincipalObjectId,
      displayName: CONTOSO_EWS_CONNECTOR.displayName,
    };

    it('finds no account holding ApplicationImpersonation: a dehydrated organization cannot have assigned it', async () => {
      const verdict = await probe(CONTOSO, 'find-impersonation-assignments');
      assert.deepEqual(verdict, { state: 'done', reason: 'No account holds ApplicationImpersonation any more.' });
    });

    it('lets the registration be tried while dehydrated, saying the need of customization is unconfirmed; Exchange refuses it', async () => {
      const verdict = await probe(CONTOSO, 'create-service-principal', connector);
      assert.equal(verdict.state, 'needed');
      assert.match(verdict.reason, /whether this step needs it too is unconfirmed/);
      failedWith(
        await run(CONTOSO, 'create-service-principal', connector),
        'organization-not-customized',
        /Enable-OrganizationCustomization\.$/,
      );
    });

    it("after customization, finds the seed guide's role group, then retries the assignment through the delegating refusal", async () => {
      succeeded(await run(CONTOSO, 'enable-customization'));
      succeeded(await run(CONTOSO, 'check-dehydrated'));
      succeeded(
        await run(CONTOSO, 'create-role-group', {
          name: 'EWS Application Impersonation',
          members: ['svc-ews@contoso.onmicrosoft.com'],
        }),
      );
      const found = await probe(CONTOSO, 'find-impersonation-assignments');
      assert.equal(found.state, 'needed');
      assert.match(
        found.reason,
        /^1 account still holds ApplicationImpersonation: svc-ews \(through role group EWS Application Impersonation\)/,
      );
      succeeded(await run(CONTOSO, 'create-service-principal', connector));
      const r = await run(CONTOSO, 'assign-application-role', { app: connector.appId });
      succeeded(r);
      const waits = r.output.filter((o) => o.kind === 'wait').map((o) => o.data as WaitData);
      assert.ok(waits.length >= 1, 'the first attempts were refused');
      assert.ok(
        waits.every((w) => /delegating role assignment/.test(w.reason)),
        JSON.stringify(waits),
      );
      const checked = r.output.filter((o) => o.kind === 'command' && o.text.startsWith('Get-RoleGroupMember'));
      assert.equal(checked.length, 1, 'membership checked once, before the first wait');
      const authorized = succeeded<{ inScope: string[]; outOfScope: string[] }>(
        await run(CONTOSO, 'test-app-authorization', { app: connector.appId }),
      );
      assert.equal(authorized.outOfScope.length, 0, 'an unscoped role reaches every mailbox');
    });
  });
}
