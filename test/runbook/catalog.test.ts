/**
 * The catalog as the API serves it: ids, flags, JSON Schema, previews; and error explanations matched against the
 * simulator's exact texts (so the catalog and the sandbox cannot drift apart).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { explainError, getStep, listSteps, previewScript, STEP_IDS, STEPS } from '../../src/runbook/catalog.ts';
import { assertReaderText, stepIdsIn } from '../support/reader-text.ts';
import { IMPERSONATION_SECTIONS } from '../../src/runbook/guides/application-impersonation/sections.ts';

import type { CmdletCall, ExoError } from '../../src/runbook/core/cmdlets.ts';
import type { StepId } from '../../src/runbook/core/step.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import { CUSTOMIZATION_ERRORS } from '../../src/runbook/exchange/customization.ts';
import { IMPERSONATION_ERRORS } from '../../src/runbook/guides/application-impersonation/errors.ts';

const CONTOSO = 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001';
const FABRIKAM = 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002';

/** The error the simulator answers `call` with in tenant `tid`. */
async function errorOf(sim: ExchangeSimulator, tid: string, call: CmdletCall): Promise<ExoError> {
  const r = await sim.invoke(tid, call);
  if (r.ok) assert.fail(`${call.cmdlet} should fail`);
  return r.error;
}

describe('listSteps', () => {
  const steps = listSteps();
  it('lists every step id once, guide by guide in page order, with their flags', () => {
    assert.deepEqual(
      steps.map((s) => s.id),
      [
        'check-impersonation-role',
        'create-role-group',
        'enable-customization',
        'check-dehydrated',
        'remove-role-group',
        'find-impersonation-assignments',
        'create-service-principal',
        'create-management-scope',
        'assign-application-role',
        'test-app-authorization',
        'remove-application-role-assignment',
        'remove-management-scope',
        'remove-service-principal',
        'read-ews-policy',
        'allow-ews-application',
        'check-ews-mailboxes',
        'remove-ews-application',
      ],
    );
    assert.deepEqual([...steps.map((s) => s.id)].sort(), [...STEP_IDS].sort());
    assert.deepEqual(
      steps.filter((s) => s.irreversible).map((s) => s.id),
      ['enable-customization'],
    );
    assert.match(steps.find((s) => s.irreversible)!.irreversibleNote!, /no command that undoes it/);
    assert.deepEqual(
      steps.filter((s) => s.readOnly).map((s) => s.id),
      [
        'check-impersonation-role',
        'check-dehydrated',
        'find-impersonation-assignments',
        'test-app-authorization',
        'read-ews-policy',
        'check-ews-mailboxes',
      ],
    );
    assert.equal(steps.find((s) => s.id === 'create-role-group')!.undo, 'remove-role-group');
    assert.equal(steps.find((s) => s.id === 'create-service-principal')!.undo, 'remove-service-principal');
    assert.equal(steps.find((s) => s.id === 'create-management-scope')!.undo, 'remove-management-scope');
    assert.equal(steps.find((s) => s.id === 'assign-application-role')!.undo, 'remove-application-role-assignment');
    assert.equal(steps.find((s) => s.id === 'allow-ews-application')!.undo, 'remove-ews-application');
    for (const s of steps)
      assert.match(s.guide, /^\/guides\/(application-impersonation|rbac-for-applications|keep-ews-working)\/#[a-z-]+$/);
  });
  it('describes parameters as closed JSON Schemas with their limits', () => {
    for (const s of steps) assert.equal(s.params.additionalProperties, false, s.id);
    const create = steps.find((s) => s.id === 'create-role-group')!.params as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
    };
    assert.deepEqual(create.required, ['members']);
    assert.equal(create.properties.name!.maxLength, 64);
    assert.equal(create.properties.name!.default, 'EWS Application Impersonation');
    assert.equal(create.properties.description!.maxLength, 1024);
  });
  it('answers unknown ids with undefined', () => {
    assert.equal(getStep('new-mailbox'), undefined);
  });
});

describe('previewScript', () => {
  const preview = (id: StepId, p: unknown) => previewScript(getStep(id)!, p);
  it('renders the change each step makes', () => {
    assert.equal(
      preview('create-role-group', { members: ['svc-ews@contoso.onmicrosoft.com'] }),
      "New-RoleGroup -Name 'EWS Application Impersonation' -Roles 'ApplicationImpersonation' -Members 'svc-ews@contoso.onmicrosoft.com'",
    );
    assert.equal(
      preview('remove-role-group', { name: "O'Neil" }),
      "Remove-RoleGroup -Identity 'O''Neil' -Confirm:$false",
    );
    assert.equal(preview('enable-customization', {}), 'Enable-OrganizationCustomization');
    assert.equal(preview('check-impersonation-role', {}), "Get-ManagementRole -Identity 'ApplicationImpersonation'");
    assert.equal(preview('check-dehydrated', {}), 'Get-OrganizationConfig | Format-List IsDehydrated');
  });
  it('refuses invalid parameters instead of rendering them', () => {
    assert.throws(() => preview('remove-role-group', { name: 'x', extra: 1 }));
  });
});

describe("explainError on the simulator's exact texts", () => {
  const sim = new ExchangeSimulator();
  const create = getStep('create-role-group')!;
  const newGroup = (params: CmdletCall['params']): CmdletCall => ({ cmdlet: 'New-RoleGroup', params });

  it('explains each error create-role-group can meet', async () => {
    const withRole = { Name: 'g', Roles: ['ApplicationImpersonation'] };
    assert.equal(
      explainError(create, await errorOf(sim, CONTOSO, newGroup(withRole)))?.id,
      'organization-not-customized',
    );
    assert.equal(
      explainError(create, await errorOf(sim, FABRIKAM, newGroup(withRole)))?.id,
      'impersonation-role-missing',
    );
    assert.equal(
      explainError(create, await errorOf(sim, FABRIKAM, newGroup({ Name: 'g', Members: ['ghost'] })))?.id,
      'member-not-found',
    );
    assert.equal(
      explainError(create, await errorOf(sim, FABRIKAM, newGroup({ Name: 'Organization Management' })))?.id,
      'role-group-exists',
    );
    assert.equal(
      explainError(create, await errorOf(sim, FABRIKAM, newGroup({ Name: 'n'.repeat(65) })))?.id,
      'role-group-name-too-long',
    );
  });
  it('explains "already enabled" as success, and a missing group on removal', async () => {
    const known = explainError(
      getStep('enable-customization')!,
      await errorOf(sim, FABRIKAM, { cmdlet: 'Enable-OrganizationCustomization', params: {} }),
    );
    assert.equal(known?.treatAsSuccess, true);
    const missing = await errorOf(sim, FABRIKAM, { cmdlet: 'Remove-RoleGroup', params: { Identity: 'nope' } });
    assert.equal(explainError(getStep('remove-role-group')!, missing)?.id, 'role-group-not-found');
  });
  it('matches the 2012 wording of the dehydrated error too, inside context, and not lookalikes', () => {
    const old =
      'This operation is not allowed for the organization with disabled customizations. To enable this operation, you need to execute Enable-OrganizationCustomization task first.';
    assert.equal(explainError(create, { message: old, type: 'X' })?.id, 'organization-not-customized');
    // Context before or after the service's text (a portal's wrapper, a second sentence) does not hide it.
    assert.equal(
      explainError(create, { message: `Error executing request. ${old} And more.`, type: 'X' })?.id,
      'organization-not-customized',
    );
    assert.equal(
      explainError(create, { message: old.replace('disabled customizations', 'enabled customizations'), type: 'X' }),
      undefined,
    );
    assert.equal(explainError(create, { message: 'Something else went wrong.', type: 'System.Exception' }), undefined);
  });
  it('judges a record that names no exception by its text, one that names another exception not at all', () => {
    const duplicate =
      "Active Directory operation failed on DC1.NAMPR01A001.prod.outlook.com. The object 'CN=EWS,OU=contoso.onmicrosoft.com,DC=X' already exists.";
    assert.equal(explainError(create, { message: duplicate, type: 'System.Exception' })?.id, 'role-group-exists');
    assert.equal(
      explainError(create, { message: duplicate, type: 'ADObjectAlreadyExistsException' })?.id,
      'role-group-exists',
    );
    assert.equal(explainError(create, { message: duplicate, type: 'System.ArgumentException' }), undefined);
  });
  it("does not take another object's not-found error for the missing role", () => {
    const other = {
      message: "The operation couldn't be performed because object 'Mail Recipients' couldn't be found on 'X'.",
      type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    };
    assert.equal(explainError(create, other), undefined);
  });
  it('links every explanation to a declared anchor or the RBAC guide', () => {
    const anchors = new Set<string>(Object.values(IMPERSONATION_SECTIONS));
    for (const k of [...Object.values(CUSTOMIZATION_ERRORS), ...Object.values(IMPERSONATION_ERRORS)]) {
      const [path, anchor] = k.guide.split('#');
      assert.ok(
        path === '/guides/rbac-for-applications/' ||
          (path === '/guides/application-impersonation/' && anchors.has(anchor!)),
        k.guide,
      );
    }
  });
});

describe('reader-facing texts name steps by title', () => {
  it('no step id in any prose literal of the catalog, the client or the transcript (ids stand alone, in code)', () => {
    const roots = ['src/runbook', 'src/client', 'src/components', 'server/runs'];
    const files = roots.flatMap((root) =>
      readdirSync(root, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.(ts|astro)$/.test(e.name))
        .map((e) => path.join(e.parentPath, e.name)),
    );
    const offenders: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !/^\s*(\/\/|\*|\/\*\*)/.test(line))
        .join('\n');
      for (const [literal] of code.matchAll(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\\n]|\\.)*"/g)) {
        // A literal that is only an id (`id: 'create-role-group'`) is code; one with words around an id is prose.
        if (/\s/.test(literal) && stepIdsIn(literal).length) offenders.push(`${file}: ${literal}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('every static text of every step, and every question it asks, passes the reader-text check', () => {
    const sample = { name: 'EWS Application Impersonation', app: '3f6a2c1e-8b4d-4e7a-9c21-5d0b7e4f1a93' } as never;
    for (const step of STEPS) {
      const schema = JSON.stringify(z.toJSONSchema(step.params, { io: 'input' }));
      const question = step.confirm?.(sample);
      const texts = [
        step.title,
        step.summary,
        step.irreversibleNote,
        step.pendingAfterRun,
        schema,
        question?.title,
        question?.text,
        question?.action,
        ...step.knownErrors.flatMap((known) => [known.meaning, known.action]),
      ];
      for (const text of texts) if (text) assertReaderText(text, step.id);
    }
  });
});
