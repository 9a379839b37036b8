/**
 * The RBAC steps' parameters as the API validates them: each bad input gets a message that names the field and the
 * rule (GUIDs, names, OPATH filters, the role enum).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStep, parseParams, previewScript } from '../../../../src/runbook/catalog.ts';
import { APPLICATION_ROLE_NAMES } from '../../../../src/runbook/exchange/application-roles.ts';
import { authorizationTable } from '../../../../src/runbook/guides/rbac-for-applications/steps/test-app-authorization.ts';
import { formatTable } from '../../../../src/runbook/core/table.ts';

const APP = '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93';
const OBJECT = 'b81d4e27-6a3c-4f95-8e02-7c9a1d3b5f64';
/** The validation message for `raw` on step `id`, or 'ok'. */
const check = (id: string, raw: unknown) => {
  const r = parseParams(getStep(id)!, raw);
  return r.ok ? 'ok' : r.message;
};

describe('create-service-principal parameters', () => {
  const good = { appId: APP, objectId: OBJECT, displayName: 'Fabrikam Mail Archiver' };
  it('accepts GUIDs in either case', () =>
    assert.equal(check('create-service-principal', { ...good, appId: APP.toUpperCase() }), 'ok'));
  it('refuses a value that is not a GUID, naming the field', () => {
    assert.equal(
      check('create-service-principal', { ...good, appId: '3f6a2c1e8b4d4e7a9c215d0b7e4f1a93' }),
      'params.appId: must be a GUID such as 6f1c2a0e-3d4b-4c5a-9e8f-0a1b2c3d4e5f (8-4-4-4-12 hexadecimal digits)',
    );
    assert.match(
      check('create-service-principal', { ...good, objectId: `${OBJECT}x` }),
      /^params\.objectId: must be a GUID/,
    );
  });
  it('refuses the application id as object id', () => {
    assert.equal(
      check('create-service-principal', { ...good, objectId: APP }),
      "params.objectId: must be the enterprise application's object id, which differs from the application id",
    );
  });
  it('limits the display name to 1-256 characters', () => {
    assert.equal(
      check('create-service-principal', { ...good, displayName: 'x'.repeat(257) }),
      'params.displayName: must be at most 256 characters (the Exchange limit for service principal display names)',
    );
    assert.equal(
      check('create-service-principal', { ...good, displayName: '' }),
      'params.displayName: must not be empty',
    );
    assert.equal(
      check('create-service-principal', { appId: APP, objectId: OBJECT }),
      'params.displayName: Invalid input: expected string, received undefined',
    );
  });
});

describe('create-management-scope parameters', () => {
  it('names the filter problem: unbalanced quote, unknown operator', () => {
    assert.equal(
      check('create-management-scope', { name: 'x', filter: "Department -eq 'Sales" }),
      "params.filter: has an unbalanced quote: the ' at character 16 is never closed",
    );
    assert.equal(
      check('create-management-scope', { name: 'x', filter: "Department -contains 'Sales'" }),
      'params.filter: uses the unknown operator "-contains" at character 12 (known: -eq -ne -like -notlike -and -or -not)',
    );
  });
  it('requires both a name of 1-64 characters and a filter', () => {
    assert.equal(
      check('create-management-scope', { name: 'n'.repeat(65), filter: "Department -eq 'x'" }),
      'params.name: must be at most 64 characters (the Exchange limit for management scope names)',
    );
    assert.equal(
      check('create-management-scope', { name: 'x' }),
      'params.filter: Invalid input: expected string, received undefined',
    );
  });
  it('previews the filter as one single-quoted literal', () => {
    assert.equal(
      previewScript(getStep('create-management-scope')!, {
        name: 'Archive',
        filter: "CustomAttribute1 -eq 'EWS-Archive'",
      }),
      "New-ManagementScope -Name 'Archive' -RecipientRestrictionFilter 'CustomAttribute1 -eq ''EWS-Archive'''",
    );
  });
});

describe('assign-application-role parameters', () => {
  it('defaults the role to Application Mail.Read and derives the assignment name', () => {
    // The service principal is resolved first; -App takes the ObjectId Get-ServicePrincipal returns (cmdlet reference).
    assert.equal(
      previewScript(getStep('assign-application-role')!, { app: APP, scope: 'EWS-Archive mailboxes' }),
      `$sp = Get-ServicePrincipal -Identity '${APP}'\nNew-ManagementRoleAssignment -Name 'Application Mail.Read-3f6a2c1e-EWS-Archive mailboxes' -App $sp.ObjectId -Role 'Application Mail.Read' -CustomResourceScope 'EWS-Archive mailboxes'`,
    );
    assert.equal(
      previewScript(getStep('assign-application-role')!, { app: APP }),
      `$sp = Get-ServicePrincipal -Identity '${APP}'\nNew-ManagementRoleAssignment -Name 'Application Mail.Read-3f6a2c1e' -App $sp.ObjectId -Role 'Application Mail.Read'`,
    );
  });
  it('suggests the common application roles, accepts any "Application " role, and refuses others', () => {
    assert.equal(APPLICATION_ROLE_NAMES.length, 13);
    assert.ok(APPLICATION_ROLE_NAMES.includes('Application EWS.AccessAsApp'));
    assert.equal(check('assign-application-role', { app: APP, role: 'Application MailboxFolder.Read' }), 'ok');
    assert.equal(
      check('assign-application-role', { app: APP, role: 'ApplicationImpersonation' }),
      'params.role: must be an application role, whose name starts with "Application " (Get-ManagementRole "Application *" lists them)',
    );
  });
  it('undoes with the same derived name', () => {
    const step = getStep('assign-application-role')!;
    assert.deepEqual(step.undo!.params(step.params.parse({ app: APP, role: 'Application Mail.Send' })), {
      name: 'Application Mail.Send-3f6a2c1e',
    });
  });
});

describe('find-impersonation-assignments', () => {
  it("previews Microsoft's command exactly", () => {
    assert.equal(
      previewScript(getStep('find-impersonation-assignments')!, {}),
      "Get-ManagementRoleAssignment -Role 'ApplicationImpersonation' -GetEffectiveUsers -Delegating:$false",
    );
  });
});

describe('test-app-authorization table', () => {
  const row = {
    Mailbox: 'a@x',
    RoleName: 'Application Mail.Read',
    GrantedPermissions: 'Mail.Read',
    AllowedResourceScope: 'S',
    ScopeType: 'CustomRecipientScope',
  };
  it('is Mailbox and InScope, with the one grant named above it', () => {
    const table = authorizationTable([
      { ...row, InScope: true },
      { ...row, Mailbox: 'bb@x', InScope: false },
    ]);
    assert.deepEqual(table, {
      caption:
        'RoleName Application Mail.Read (GrantedPermissions Mail.Read), AllowedResourceScope S (ScopeType CustomRecipientScope)',
      columns: ['Mailbox', 'InScope'],
      rows: [
        ['a@x', true],
        ['bb@x', false],
      ],
    });
    assert.equal(
      formatTable(table),
      `${table.caption}:\nMailbox InScope\n------- -------\na@x     True\nbb@x    False`,
    );
  });
  it('names the role and scope per row when the rows differ in them', () => {
    const table = authorizationTable([
      { ...row, InScope: true },
      { ...row, RoleName: 'Application Mail.Send', InScope: false },
    ]);
    assert.equal(table.caption, undefined);
    assert.deepEqual(table.columns, ['Mailbox', 'InScope', 'RoleName', 'AllowedResourceScope']);
  });
});
