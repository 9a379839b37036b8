/**
 * The simulated Exchange Online: every error text exactly as exchange-facts.md (or pwsh 7.6) words it, the
 * customization timeline on a fake clock, persistence through the store, reset and tenant isolation.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CmdletCall, CmdletResult, ExoError } from '../../../src/runbook/core/cmdlets.ts';
import { ExchangeSimulator, memoryStore, type SimulatorStore } from '../../../server/sandbox/simulator.ts';
import { sandboxAdmins } from '../../../server/sandbox/tenants/index.ts';
import { FakeClock } from '../../support/clock.ts';

const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const FABRIKAM = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';
const CONTOSO_SERVER = 'SIMPR01MB0001.namprd01.prod.outlook.com';
const FABRIKAM_SERVER = 'SIMPR02MB0002.eurprd02.prod.outlook.com';
const DEHYDRATED =
  "The command you tried to run isn't currently allowed in your organization. To run this command, you first need to run the command: Enable-OrganizationCustomization.";

let clock: FakeClock;
let sim: ExchangeSimulator;
beforeEach(() => {
  clock = new FakeClock();
  sim = new ExchangeSimulator({ now: clock.now, customizationDelayMs: 45_000, propagationDelayMs: 20_000 });
});

/** The data of a call that must succeed. */
async function ok(tid: string, cmdlet: CmdletCall['cmdlet'], params: CmdletCall['params'] = {}): Promise<unknown> {
  const r: CmdletResult = await sim.invoke(tid, { cmdlet, params });
  if (!r.ok) assert.fail(`${cmdlet} failed: ${r.error.message}`);
  return r.data;
}
/** The error of a call that must fail. */
async function fail(tid: string, cmdlet: string, params: CmdletCall['params'] = {}): Promise<ExoError> {
  const r = await sim.invoke(tid, { cmdlet: cmdlet as CmdletCall['cmdlet'], params });
  if (r.ok) assert.fail(`${cmdlet} should have failed`);
  return r.error;
}
const isDehydrated = async (tid: string) =>
  ((await ok(tid, 'Get-OrganizationConfig')) as { IsDehydrated: boolean }).IsDehydrated;
const roleGroupNames = async (tid: string) =>
  ((await ok(tid, 'Get-RoleGroup')) as Array<{ Name: string }>).map((g) => g.Name);

describe('Exchange errors, word for word', () => {
  it('refuses writes in a dehydrated organization', async () => {
    assert.deepEqual(await fail(CONTOSO, 'New-RoleGroup', { Name: 'g', Roles: ['ApplicationImpersonation'] }), {
      message: DEHYDRATED,
      type: 'Microsoft.Exchange.Configuration.Tasks.InvalidOperationInDehydratedContextException',
      category: 'NotSpecified',
      reason: 'InvalidOperationInDehydratedContextException',
    });
  });
  it('answers a second Enable-OrganizationCustomization with InvalidOperationException', async () => {
    await ok(CONTOSO, 'Enable-OrganizationCustomization');
    for (const tid of [CONTOSO, FABRIKAM]) {
      const e = await fail(tid, 'Enable-OrganizationCustomization');
      assert.equal(e.message, 'This operation is not required. Organization is already enabled for customization.');
      assert.equal(e.type, 'System.InvalidOperationException');
    }
  });
  it('has no ApplicationImpersonation on fabrikam: the generic not-found form', async () => {
    const expected = {
      message: `The operation couldn't be performed because object 'ApplicationImpersonation' couldn't be found on '${FABRIKAM_SERVER}'.`,
      type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
      category: 'NotSpecified',
      reason: 'ManagementObjectNotFoundException',
    };
    assert.deepEqual(await fail(FABRIKAM, 'Get-ManagementRole', { Identity: 'ApplicationImpersonation' }), expected);
    assert.deepEqual(
      await fail(FABRIKAM, 'New-RoleGroup', { Name: 'g', Roles: ['ApplicationImpersonation'] }),
      expected,
    );
    assert.deepEqual(
      await ok(FABRIKAM, 'Get-ManagementRole', { Identity: 'ApplicationImp*' }),
      [],
      'a wildcard finds nothing, without error',
    );
    const [role] = (await ok(CONTOSO, 'Get-ManagementRole', { Identity: 'applicationimpersonation' })) as Array<{
      Name: string;
      RoleType: string;
    }>;
    assert.deepEqual([role!.Name, role!.RoleType], ['ApplicationImpersonation', 'ApplicationImpersonation']);
  });
  it('refuses an unknown member', async () => {
    const e = await fail(FABRIKAM, 'New-RoleGroup', {
      Name: 'g',
      Members: ['svc-ews@fabrikam.onmicrosoft.com', 'ghost@fabrikam.onmicrosoft.com'],
    });
    assert.equal(
      e.message,
      'Couldn\'t find object "ghost@fabrikam.onmicrosoft.com". Please make sure that it was spelled correctly or specify a different object.',
    );
    assert.equal(e.type, 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
    assert.ok(!(await roleGroupNames(FABRIKAM)).includes('g'), 'nothing was created');
  });
  it('refuses a duplicate name (any case) with the directory object already existing, after the DC as Exchange Online does', async () => {
    await ok(FABRIKAM, 'New-RoleGroup', { Name: 'Apps, Inc.', Members: ['svc-ews'] });
    const e = await fail(FABRIKAM, 'New-RoleGroup', { Name: 'APPS, INC.' });
    assert.equal(
      e.message,
      "Active Directory operation failed on EURPR02A002DC002.EURPR02A002.prod.outlook.com. The object 'CN=APPS\\, INC.,OU=fabrikam.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=EURPR02A002,DC=PROD,DC=OUTLOOK,DC=COM' already exists.",
    );
    assert.equal(e.type, 'Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException');
  });
  it('validates the name length like PowerShell (our approximation of Exchange)', async () => {
    const e = await fail(FABRIKAM, 'New-RoleGroup', { Name: 'n'.repeat(65) });
    assert.equal(
      e.message,
      'Cannot validate argument on parameter \'Name\'. The character length of the 65 argument is too long. Shorten the character length of the argument so it is fewer than or equal to "64" characters, and then try the command again.',
    );
    assert.deepEqual(
      [e.type, e.fqid, e.category],
      [
        'System.Management.Automation.ParameterBindingValidationException',
        'ParameterArgumentValidationError,New-RoleGroup',
        'InvalidData',
      ],
    );
    assert.equal(
      (await fail(FABRIKAM, 'New-RoleGroup', { Name: '' })).message,
      "Cannot bind argument to parameter 'Name' because it is an empty string.",
    );
    await ok(FABRIKAM, 'New-RoleGroup', { Name: 'n'.repeat(64) });
  });
  it('binds parameters like PowerShell: unknown, ambiguous, missing, repeated, wrong type', async () => {
    assert.deepEqual(await fail(FABRIKAM, 'Get-RoleGroup', { Identityy: 'x' }), {
      message: "A parameter cannot be found that matches parameter name 'Identityy'.",
      type: 'System.Management.Automation.ParameterBindingException',
      fqid: 'NamedParameterNotFound,Get-RoleGroup',
      category: 'InvalidArgument',
      reason: 'ParameterBindingException',
    });
    assert.equal(
      (await fail(FABRIKAM, 'New-RoleGroup', { Name: 'x', M: ['a'] })).message,
      "Parameter cannot be processed because the parameter name 'M' is ambiguous. Possible matches include: -Members -ManagedBy.",
    );
    assert.equal(
      (await fail(FABRIKAM, 'Remove-RoleGroup', { Confirm: false })).message,
      'Cannot process command because of one or more missing mandatory parameters: Identity.',
    );
    assert.match(
      (await fail(FABRIKAM, 'Get-RoleGroup', { Identity: 'a', identity: 'b' })).message,
      /^Cannot bind parameter because parameter 'Identity' is specified more than once\./,
    );
    assert.equal(
      (await fail(FABRIKAM, 'New-RoleGroup', { Name: ['a', 'b'] })).message,
      "Cannot process argument transformation on parameter 'Name'. Cannot convert value to type System.String.",
    );
    assert.match(
      (await fail(FABRIKAM, 'Remove-RoleGroup', { Identity: 'x', Confirm: 'no' })).message,
      /Boolean parameters accept only Boolean values and numbers/,
    );
    assert.equal(
      (await fail(FABRIKAM, 'Get-RoleGroup', { OutBuffer: 'x' })).message,
      'Cannot process argument transformation on parameter \'OutBuffer\'. Cannot convert value "x" to type "System.Int32". Error: "The input string \'x\' was not in a correct format."',
    );
    assert.equal(
      (await fail(FABRIKAM, 'New-RoleGroup', { Name: 'x', DisplayName: 'd'.repeat(257) })).type,
      'System.Management.Automation.ParameterBindingValidationException',
    );
    assert.match(
      (await fail(FABRIKAM, 'Get-Frobnicate')).message,
      /^The term 'Get-Frobnicate' is not recognized as a name of a cmdlet/,
    );
  });
  it('accepts unambiguous prefixes, any case, common parameters and their aliases', async () => {
    await ok(FABRIKAM, 'New-RoleGroup', {
      nAmE: 'p',
      Memb: ['svc-ews'],
      Descr: 'd',
      ea: 'Stop',
      Verbose: false,
      Confirm: false,
    });
    const [group] = (await ok(FABRIKAM, 'Get-RoleGroup', { Identity: 'P' })) as Array<{
      Name: string;
      Description: string;
      Members: string[];
    }>;
    assert.deepEqual([group!.Name, group!.Description, group!.Members], ['p', 'd', ['svc-ews']]);
  });
  it('changes nothing with -WhatIf', async () => {
    await ok(FABRIKAM, 'New-RoleGroup', { Name: 'w', WhatIf: true });
    assert.ok(!(await roleGroupNames(FABRIKAM)).includes('w'));
  });
  it('reports a missing role group on Get, GetMember and Remove; keeps built-in groups', async () => {
    const expected = `The operation couldn't be performed because object 'nope' couldn't be found on '${CONTOSO_SERVER}'.`;
    assert.equal((await fail(CONTOSO, 'Get-RoleGroup', { Identity: 'nope' })).message, expected);
    assert.equal((await fail(CONTOSO, 'Get-RoleGroupMember', { Identity: 'nope' })).message, expected);
    assert.equal(
      (await fail(FABRIKAM, 'Remove-RoleGroup', { Identity: 'nope' })).message,
      expected.replace(CONTOSO_SERVER, FABRIKAM_SERVER),
    );
    assert.equal(
      (await fail(FABRIKAM, 'Remove-RoleGroup', { Identity: 'Organization Management' })).type,
      'System.InvalidOperationException',
    );
  });
});

describe('role groups and mailboxes', () => {
  it('creates, lists members by UPN and removes a role group', async () => {
    const created = (await ok(FABRIKAM, 'New-RoleGroup', {
      Name: 'Readers',
      Roles: ['mail recipients'],
      Members: ['svc-ews@fabrikam.onmicrosoft.com'],
    })) as Record<string, unknown>;
    assert.deepEqual([created.Name, created.Roles, created.Members], ['Readers', ['Mail Recipients'], ['svc-ews']]);
    const members = (await ok(FABRIKAM, 'Get-RoleGroupMember', { Identity: 'readers' })) as Array<
      Record<string, unknown>
    >;
    assert.deepEqual(
      members.map((m) => m.WindowsLiveID),
      ['svc-ews@fabrikam.onmicrosoft.com'],
    );
    assert.equal(await ok(FABRIKAM, 'Remove-RoleGroup', { Identity: 'Readers', Confirm: false }), null);
    assert.ok(!(await roleGroupNames(FABRIKAM)).includes('Readers'));
  });
  it('lists mailboxes with the attributes scopes select by', async () => {
    const all = (await ok(FABRIKAM, 'Get-Mailbox')) as Array<Record<string, unknown>>;
    assert.ok(all.length >= 5);
    assert.ok(all.some((m) => m.CustomAttribute1 === 'EWS-Archive') && all.some((m) => m.CustomAttribute1 === ''));
    const [svc] = (await ok(CONTOSO, 'Get-Mailbox', { Identity: 'SVC-EWS@contoso.onmicrosoft.com' })) as Array<
      Record<string, unknown>
    >;
    assert.equal(svc!.UserPrincipalName, 'svc-ews@contoso.onmicrosoft.com');
  });
  it('Get-Mailbox -Filter selects by OPATH, -ResultSize bounds the answer, a filter it cannot read is refused', async () => {
    const scoped = (await ok(FABRIKAM, 'Get-Mailbox', { Filter: "CustomAttribute1 -eq 'EWS-Archive'" })) as Array<
      Record<string, unknown>
    >;
    assert.deepEqual(
      scoped.map((m) => m.PrimarySmtpAddress),
      ['diego.siciliani@fabrikam.onmicrosoft.com', 'lynne.robbins@fabrikam.onmicrosoft.com'],
    );
    const first = (await ok(FABRIKAM, 'Get-Mailbox', {
      Filter: "RecipientTypeDetails -eq 'UserMailbox'",
      ResultSize: 2,
    })) as unknown[];
    assert.equal(first.length, 2);
    assert.match(
      (await fail(FABRIKAM, 'Get-Mailbox', { Filter: "CustomAttribute1 -eq 'EWS" })).message,
      /^Invalid filter syntax: /,
    );
  });
  it('keeps tenants apart', async () => {
    await ok(FABRIKAM, 'New-RoleGroup', { Name: 'Only fabrikam' });
    assert.ok(!(await roleGroupNames(CONTOSO)).includes('Only fabrikam'));
    assert.equal(
      (await fail(FABRIKAM, 'New-RoleGroup', { Name: 'x', Members: ['svc-ews@contoso.onmicrosoft.com'] })).type,
      'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    );
  });
  it('refuses a tenant id that is not a sandbox tenant', async () => {
    await assert.rejects(
      sim.invoke('00000000-0000-0000-0000-000000000000', { cmdlet: 'Get-Mailbox', params: {} }),
      /not a sandbox tenant/,
    );
  });
});

describe('the customization timeline (contoso, delays 45 s + 20 s)', () => {
  it('reads dehydrated until 45 s after enabling, refuses writes until 65 s', async () => {
    assert.equal(await isDehydrated(CONTOSO), true);
    await clock.sleep(3_600_000);
    assert.equal(await isDehydrated(CONTOSO), true, 'never enabled: stays dehydrated');
    await ok(CONTOSO, 'Enable-OrganizationCustomization');
    await clock.sleep(44_999);
    assert.equal(await isDehydrated(CONTOSO), true);
    await clock.sleep(1);
    assert.equal(await isDehydrated(CONTOSO), false);
    await clock.sleep(19_999);
    assert.equal((await fail(CONTOSO, 'New-RoleGroup', { Name: 'g' })).message, DEHYDRATED, 'propagation lag');
    await clock.sleep(1);
    await ok(CONTOSO, 'New-RoleGroup', { Name: 'g', Roles: ['ApplicationImpersonation'] });
  });
});

describe('persistence and reset', () => {
  it('survives a restart through the store, and reset restores the seed', async () => {
    const store: SimulatorStore = memoryStore();
    const first = new ExchangeSimulator({ now: clock.now, store, customizationDelayMs: 0, propagationDelayMs: 0 });
    await first.invoke(CONTOSO, { cmdlet: 'Enable-OrganizationCustomization', params: {} });
    await first.invoke(CONTOSO, { cmdlet: 'New-RoleGroup', params: { Name: 'kept' } });
    const second = new ExchangeSimulator({ now: clock.now, store, customizationDelayMs: 0, propagationDelayMs: 0 });
    const groups = await second.invoke(CONTOSO, { cmdlet: 'Get-RoleGroup', params: { Identity: 'kept' } });
    assert.equal(groups.ok, true);
    await second.reset(CONTOSO);
    assert.equal((await second.invoke(CONTOSO, { cmdlet: 'Get-RoleGroup', params: { Identity: 'kept' } })).ok, false);
    const third = new ExchangeSimulator({ now: clock.now, store });
    const config = await third.invoke(CONTOSO, { cmdlet: 'Get-OrganizationConfig', params: {} });
    assert.deepEqual(
      config.ok && (config.data as { IsDehydrated: boolean }).IsDehydrated,
      true,
      'the reset was persisted',
    );
  });
  it('re-seeds a tenant stored by an older seed version or unreadable', async () => {
    for (const stored of ['{"seedVersion":0,"roleGroups":[]}', 'not json']) {
      const fresh = new ExchangeSimulator({ store: { load: async () => stored, save: async () => {} } });
      assert.equal(
        (await fresh.invoke(FABRIKAM, { cmdlet: 'Get-RoleGroup', params: { Identity: 'Organization Management' } })).ok,
        true,
      );
    }
  });
});

describe('sandboxAdmins', () => {
  it('lists the demo admins for the sign-in picker, including an Entra admin outside Organization Management', () => {
    assert.deepEqual(
      sandboxAdmins().map((a) => [a.upn, a.tenant, a.tid]),
      [
        ['admin@contoso.onmicrosoft.com', 'contoso', CONTOSO],
        ['admin@fabrikam.onmicrosoft.com', 'fabrikam', FABRIKAM],
        ['globaladmin@fabrikam.onmicrosoft.com', 'fabrikam', FABRIKAM],
      ],
    );
    assert.match(sandboxAdmins()[2]!.description, /not an explicit member of Organization Management/);
    for (const a of sandboxAdmins()) assert.ok(a.name && a.description);
  });
});
