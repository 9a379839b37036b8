/**
 * The sandbox's RBAC for Applications cmdlets: application roles, service principals, scopes and who is in them,
 * role assignments (incl. Microsoft's leftover-impersonation query) and Test-ServicePrincipalAuthorization; and that
 * the steps explain each error the simulator gives them.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { explainError, getStep } from '../../../src/runbook/catalog.ts';
import { APPLICATION_ROLES } from '../../../src/runbook/exchange/application-roles.ts';
import type { CmdletCall, ExoError } from '../../../src/runbook/core/cmdlets.ts';
import { FABRIKAM_ARCHIVER } from '../../../server/sandbox/tenants/fabrikam.ts';
import { ExchangeSimulator } from '../../../server/sandbox/simulator.ts';
import { FakeClock } from '../../support/clock.ts';

const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const FABRIKAM = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';
const APP = FABRIKAM_ARCHIVER.appId;
const DOMAIN = '@fabrikam.onmicrosoft.com';

let clock: FakeClock;
let sim: ExchangeSimulator;
beforeEach(() => {
  clock = new FakeClock();
  sim = new ExchangeSimulator({
    now: clock.now,
    customizationDelayMs: 45_000,
    propagationDelayMs: 20_000,
    delegationDelayMs: 30_000,
  });
});

/** Cmdlet output as a list (one object comes back as itself). */
function asArray(data: unknown): unknown[] {
  return Array.isArray(data) ? data : data === null || data === undefined ? [] : [data];
}

/** The data of a call that must succeed. */
async function ok(tid: string, cmdlet: CmdletCall['cmdlet'], params: CmdletCall['params'] = {}): Promise<unknown> {
  const r = await sim.invoke(tid, { cmdlet, params });
  if (!r.ok) assert.fail(`${cmdlet} failed: ${r.error.message}`);
  return r.data;
}
/** The error of a call that must fail. */
async function fail(tid: string, cmdlet: CmdletCall['cmdlet'], params: CmdletCall['params'] = {}): Promise<ExoError> {
  const r = await sim.invoke(tid, { cmdlet, params });
  if (r.ok) assert.fail(`${cmdlet} should have failed`);
  return r.error;
}
/** Registers fabrikam's app and gives it `role` with an optional scope filter. */
async function authorize(role: string, filter?: string): Promise<void> {
  await ok(FABRIKAM, 'New-ServicePrincipal', {
    AppId: APP,
    ObjectId: FABRIKAM_ARCHIVER.servicePrincipalObjectId,
    DisplayName: 'Archiver',
  });
  if (filter) await ok(FABRIKAM, 'New-ManagementScope', { Name: 'Scope', RecipientRestrictionFilter: filter });
  await ok(FABRIKAM, 'New-ManagementRoleAssignment', {
    App: APP,
    Role: role,
    ...(filter ? { CustomResourceScope: 'Scope' } : {}),
  });
}
/** InScope per mailbox alias for fabrikam's app. */
async function inScope(): Promise<Record<string, boolean[]>> {
  const out: Record<string, boolean[]> = {};
  for (const alias of ['admin', 'svc-ews', 'diego.siciliani', 'lynne.robbins', 'isaiah.langer', 'helpdesk']) {
    const rows = (await ok(FABRIKAM, 'Test-ServicePrincipalAuthorization', {
      Identity: APP,
      Resource: `${alias}${DOMAIN}`,
    })) as Array<{ InScope: boolean }>;
    out[alias] = rows.map((r) => r.InScope);
  }
  return out;
}

describe('application roles', () => {
  it('lists the 13 application roles with Get-ManagementRole "Application *", in both tenants', async () => {
    for (const tid of [CONTOSO, FABRIKAM]) {
      const roles = (await ok(tid, 'Get-ManagementRole', { Identity: 'Application *' })) as Array<{ Name: string }>;
      assert.deepEqual(
        roles.map((r) => r.Name),
        APPLICATION_ROLES.map((r) => r.name),
      );
    }
  });
});

describe('scope decisions (Test-ServicePrincipalAuthorization -Resource)', () => {
  it('puts exactly the mailboxes the filter selects in scope', async () => {
    await authorize('Application Mail.Read', "CustomAttribute1 -eq 'EWS-Archive'");
    assert.deepEqual(await inScope(), {
      admin: [false],
      'svc-ews': [false],
      'diego.siciliani': [true],
      'lynne.robbins': [true],
      'isaiah.langer': [false],
      helpdesk: [false],
    });
  });
  it('evaluates -or, -and and -like over Department and RecipientTypeDetails', async () => {
    await authorize(
      'Application Calendars.Read',
      "(Department -eq 'Sales' -or Department -like 'Fin*') -and RecipientTypeDetails -ne 'SharedMailbox'",
    );
    const result = await inScope();
    assert.deepEqual(
      Object.keys(result).filter((k) => result[k]![0]),
      ['diego.siciliani', 'lynne.robbins', 'isaiah.langer'],
    );
  });
  it('puts every mailbox in scope of an unscoped role, and reports each role of the app', async () => {
    await authorize('Application EWS.AccessAsApp');
    assert.ok(Object.values(await inScope()).every((v) => v[0] === true));
    // Without -Resource the scope membership check is not run (cmdlet reference, Example 2).
    assert.deepEqual(
      await ok(FABRIKAM, 'Test-ServicePrincipalAuthorization', {
        Identity: FABRIKAM_ARCHIVER.servicePrincipalObjectId,
      }),
      [
        {
          RoleName: 'Application EWS.AccessAsApp',
          GrantedPermissions: 'EWS.AccessAsApp',
          AllowedResourceScope: 'Organization',
          ScopeType: 'Organization',
          InScope: 'Not Run',
        },
      ],
    );
  });
  it('answers an unknown mailbox or service principal with Exchange errors', async () => {
    await authorize('Application Mail.Read');
    assert.match(
      (await fail(FABRIKAM, 'Test-ServicePrincipalAuthorization', { Identity: APP, Resource: 'ghost' })).message,
      /^Couldn't find object "ghost"/,
    );
    assert.match(
      (await fail(FABRIKAM, 'Test-ServicePrincipalAuthorization', { Identity: 'Nobody' })).message,
      /^The operation couldn't be performed because object 'Nobody'/,
    );
  });
});

describe('service principals', () => {
  it('refuses unknown apps and the app registration object id, with explanations', async () => {
    const step = getStep('create-service-principal')!;
    const unknown = await fail(FABRIKAM, 'New-ServicePrincipal', {
      AppId: '00000000-0000-4000-8000-000000000000',
      ObjectId: FABRIKAM_ARCHIVER.servicePrincipalObjectId,
    });
    assert.equal(explainError(step, unknown)?.id, 'application-not-in-entra');
    const wrong = await fail(FABRIKAM, 'New-ServicePrincipal', {
      AppId: APP,
      ObjectId: FABRIKAM_ARCHIVER.applicationObjectId,
    });
    assert.equal(explainError(step, wrong)?.id, 'not-enterprise-application-object-id');
  });
  it('finds the principal by app id, object id or display name; removal takes its assignments along', async () => {
    await authorize('Application Mail.Read');
    for (const id of [APP, FABRIKAM_ARCHIVER.servicePrincipalObjectId, 'archiver']) {
      assert.equal(
        ((await ok(FABRIKAM, 'Get-ServicePrincipal', { Identity: id })) as Array<{ AppId: string }>)[0]!.AppId,
        APP,
      );
    }
    await ok(FABRIKAM, 'Remove-ServicePrincipal', { Identity: APP });
    assert.deepEqual(
      await ok(FABRIKAM, 'Get-ManagementRoleAssignment', { Role: 'Application Mail.Read', Delegating: false }),
      [],
    );
  });
});

describe('management scopes', () => {
  it('refuses a filter it cannot parse, duplicates, and removal while in use', async () => {
    const bad = await fail(FABRIKAM, 'New-ManagementScope', {
      Name: 'S',
      RecipientRestrictionFilter: "Department -eq 'Sales",
    });
    assert.equal(
      bad.message,
      "Invalid filter syntax: the filter has an unbalanced quote: the ' at character 16 is never closed.",
    );
    await authorize('Application Mail.Read', "Department -eq 'Sales'");
    const dup = await fail(FABRIKAM, 'New-ManagementScope', {
      Name: 'SCOPE',
      RecipientRestrictionFilter: "Department -eq 'x'",
    });
    assert.equal(explainError(getStep('create-management-scope')!, dup)?.id, 'management-scope-exists');
    const inUse = await fail(FABRIKAM, 'Remove-ManagementScope', { Identity: 'Scope' });
    assert.equal(
      inUse.message,
      "The management scope 'Scope' can't be removed because management role assignments use it: Application Mail.Read-Archiver-Scope.",
    );
    assert.equal(explainError(getStep('remove-management-scope')!, inUse)?.id, 'management-scope-in-use');
  });
});

describe('role assignments', () => {
  it("finds contoso's impersonation with Microsoft's command, role groups expanded into members", async () => {
    const query = { Role: 'ApplicationImpersonation', GetEffectiveUsers: true, Delegating: false };
    const names = async () =>
      asArray(await ok(CONTOSO, 'Get-ManagementRoleAssignment', query)).map(
        (a) => (a as { EffectiveUserName: string }).EffectiveUserName,
      );
    // Dehydrated, so no custom assignment can exist yet; only the built-in delegating one does.
    assert.deepEqual(await names(), []);
    const all = asArray(await ok(CONTOSO, 'Get-ManagementRoleAssignment', { Role: 'ApplicationImpersonation' }));
    assert.deepEqual(
      all.map((a) => (a as { RoleAssignmentDelegationType: string }).RoleAssignmentDelegationType),
      ['DelegatingOrgWide'],
    );
    await ok(CONTOSO, 'Enable-OrganizationCustomization');
    await clock.sleep(65_000);
    await ok(CONTOSO, 'New-RoleGroup', {
      Name: 'EWS Impersonation',
      Roles: ['ApplicationImpersonation'],
      Members: ['alex.wilber', 'megan.bowen'],
    });
    assert.deepEqual(await names(), ['alex.wilber', 'megan.bowen']);
  });
  it('answers the same query on fabrikam with the not-found error: the role is gone', async () => {
    const e = await fail(FABRIKAM, 'Get-ManagementRoleAssignment', {
      Role: 'ApplicationImpersonation',
      GetEffectiveUsers: true,
      Delegating: false,
    });
    assert.equal(
      e.message,
      "The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on 'SIMPR02MB0002.eurprd02.prod.outlook.com'.",
    );
  });
  it('refuses application role assignments until delegation has caught up after customization', async () => {
    await ok(CONTOSO, 'Enable-OrganizationCustomization');
    await clock.sleep(65_000);
    const connector = {
      AppId: '9a1e5c3b-27d4-4b86-8f0e-6c2d1a7b3e58',
      ObjectId: '5d2b8f41-0c6e-4a97-b3d5-1e8f2a6c9b07',
    };
    await ok(CONTOSO, 'New-ServicePrincipal', connector);
    const refused = await fail(CONTOSO, 'New-ManagementRoleAssignment', {
      Name: 'Read-Connector',
      App: connector.AppId,
      Role: 'Application Mail.Read',
    });
    // It quotes the assignment, <tenant>\<name>, not the role (exchange-facts.md section 7).
    assert.equal(
      refused.message,
      'You don\'t have access to create, change, or remove the "contoso.onmicrosoft.com\\Read-Connector" management role assignment. You must be assigned a delegating role assignment to the management role or its parent in the hierarchy without a scope restriction.',
    );
    assert.equal(explainError(getStep('assign-application-role')!, refused)?.id, 'no-delegating-role-assignment');
    await clock.sleep(30_000);
    await ok(CONTOSO, 'New-ManagementRoleAssignment', { App: connector.AppId, Role: 'Application Mail.Read' });
  });
  it('refuses every role assignment to an admin who is not an explicit member of Organization Management, at any time', async () => {
    await ok(FABRIKAM, 'New-ServicePrincipal', { AppId: APP, ObjectId: FABRIKAM_ARCHIVER.servicePrincipalObjectId });
    const asGlobalAdmin = (cmdlet: CmdletCall['cmdlet'], params: CmdletCall['params']) =>
      sim.invoke(FABRIKAM, { cmdlet, params }, 'globaladmin' + DOMAIN);
    const app = await asGlobalAdmin('New-ManagementRoleAssignment', {
      Name: 'Read-Archiver',
      App: APP,
      Role: 'Application Mail.Read',
    });
    assert.ok(
      !app.ok &&
        app.error.message.startsWith(
          'You don\'t have access to create, change, or remove the "fabrikam.onmicrosoft.com\\Read-Archiver" management role assignment.',
        ),
    );
    const group = await asGlobalAdmin('New-RoleGroup', { Name: 'Helpdesk Recipients', Roles: ['Mail Recipients'] });
    assert.ok(
      !group.ok && group.error.message.includes('"fabrikam.onmicrosoft.com\\Mail Recipients-Helpdesk Recipients"'),
      'New-RoleGroup -Roles creates <role>-<group>',
    );
    // The explicit member may, and a caller the executor did not name is not judged.
    assert.ok(
      (
        await sim.invoke(
          FABRIKAM,
          {
            cmdlet: 'New-ManagementRoleAssignment',
            params: { Name: 'Read-Archiver', App: APP, Role: 'Application Mail.Read' },
          },
          'admin' + DOMAIN,
        )
      ).ok,
    );
  });
  it('accepts any application role the tenant has, beyond the common table', async () => {
    await ok(FABRIKAM, 'New-ServicePrincipal', { AppId: APP, ObjectId: FABRIKAM_ARCHIVER.servicePrincipalObjectId });
    const roles = asArray(await ok(FABRIKAM, 'Get-ManagementRole', { Identity: 'Application *' }));
    assert.ok(roles.length >= APPLICATION_ROLES.length);
  });
  it('takes application roles only with -App, and refuses an unknown scope', async () => {
    await ok(FABRIKAM, 'New-ServicePrincipal', { AppId: APP, ObjectId: FABRIKAM_ARCHIVER.servicePrincipalObjectId });
    assert.match(
      (await fail(FABRIKAM, 'New-ManagementRoleAssignment', { App: APP, Role: 'Mail Recipients' })).message,
      /isn't an application role/,
    );
    const scope = await fail(FABRIKAM, 'New-ManagementRoleAssignment', {
      App: APP,
      Role: 'Application Mail.Read',
      CustomResourceScope: 'Nope',
    });
    assert.equal(explainError(getStep('assign-application-role')!, scope)?.id, 'rbac-object-not-found');
  });
});
