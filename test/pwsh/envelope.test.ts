/** The Node side of the wire format: what goes to pwsh is only base64, and errors come back normalized. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CMDLETS } from '../../src/runbook/core/cmdlets.ts';
import { COMPANION_MODULE } from '../../server/executors/powershell/pwsh-process.ts';
import {
  ENVELOPE_MARKER,
  asPipelineOutput,
  parseEnvelope,
  requestLine,
  toExoError,
} from '../../server/executors/powershell/envelope.ts';

test('a request line is the constant command name and one single-quoted base64 argument', () => {
  const line = requestLine({
    op: 'cmdlet',
    cmdlet: 'New-RoleGroup',
    params: { Name: "'; Remove-Item -Recurse ~ #\n$(x)`" },
  });
  assert.match(line, /^Invoke-CompanionStep '[A-Za-z0-9+/]+={0,2}'$/);
  const b64 = line.slice("Invoke-CompanionStep '".length, -1);
  assert.deepEqual(JSON.parse(Buffer.from(b64, 'base64').toString('utf8')).params, {
    Name: "'; Remove-Item -Recurse ~ #\n$(x)`",
  });
});

test('the V3 message form is split into the service text and the exception type', () => {
  const error = toExoError({
    message:
      'Ex94914C|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|Couldn\'t find object "x".',
    type: '<1f2e>.ManagementObjectNotFoundException',
    fqid: '[Server=SA1PR01MB0001,RequestId=1,TimeStamp=x],Write-ErrorMessage',
    category: 'NotSpecified',
    reason: 'ManagementObjectNotFoundException',
  });
  assert.deepEqual(error, {
    message: 'Couldn\'t find object "x".',
    type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException',
    fqid: '[Server=SA1PR01MB0001,RequestId=1,TimeStamp=x],Write-ErrorMessage',
    category: 'NotSpecified',
    reason: 'ManagementObjectNotFoundException',
  });
});

test('the bare form "||<text>": the text as written, the type from CategoryInfo.Reason', () => {
  const error = toExoError({
    message:
      "||Active Directory operation failed on DC1.EURPR01A001.prod.outlook.com. The object 'CN=x,OU=y' already exists.",
    type: 'System.Exception',
    fqid: '[Server=SA1PR01MB0001,RequestId=1,TimeStamp=x],Write-ErrorMessage',
    category: 'NotSpecified',
    reason: 'ADObjectAlreadyExistsException',
  });
  assert.equal(
    error.message,
    "Active Directory operation failed on DC1.EURPR01A001.prod.outlook.com. The object 'CN=x,OU=y' already exists.",
  );
  assert.equal(error.type, 'ADObjectAlreadyExistsException');
});

test("the type from the FQID's FailureCategory when Reason names no exception (Remote PowerShell: CimException)", () => {
  const fqid =
    '[Server=Y,RequestId=1,TimeStamp=7/5/2019] [FailureCategory=Cmdlet-InvalidOperationInDehydratedContextException] FDC3D516,Microsoft.X';
  assert.equal(
    toExoError({ message: 'text', fqid, reason: 'CimException' }).type,
    'InvalidOperationInDehydratedContextException',
  );
  assert.equal(
    toExoError({ message: '||text', fqid, reason: '' }).type,
    'InvalidOperationInDehydratedContextException',
  );
  // The prefix's full name wins over the short ones.
  assert.equal(
    toExoError({ message: 'Ex0A1B2C|Microsoft.Exchange.Foo.BarException|text', fqid, reason: 'BarException' }).type,
    'Microsoft.Exchange.Foo.BarException',
  );
});

test("a reason naming the record's own exception keeps its full type name; none at all falls back to it", () => {
  assert.equal(
    toExoError({
      message: 'x',
      type: 'System.Management.Automation.ParameterBindingException',
      reason: 'ParameterBindingException',
    }).type,
    'System.Management.Automation.ParameterBindingException',
  );
  assert.equal(toExoError({ message: '||x', type: 'System.Exception', reason: 'Exception' }).type, 'System.Exception');
  assert.equal(
    toExoError({ message: '|Microsoft.Exchange.Management.Tasks.RecipientTaskException|x' }).type,
    'Microsoft.Exchange.Management.Tasks.RecipientTaskException',
  );
  assert.equal(toExoError({ message: '|Microsoft.Exchange.Management.Tasks.RecipientTaskException|x' }).message, 'x');
});

test('a message without the V3 prefix keeps its text and the exception type', () => {
  assert.deepEqual(toExoError({ message: 'Ex|not|v3 but has pipes', type: 'System.ArgumentException', fqid: '' }), {
    message: 'Ex|not|v3 but has pipes',
    type: 'System.ArgumentException',
  });
});

test('the envelope is found among other output, and no envelope means undefined', () => {
  const stdout = `\u001b[?1hWARNING: banner\n${ENVELOPE_MARKER}{"ok":true,"data":{"Name":"x"}}\n`;
  assert.deepEqual(parseEnvelope(stdout), { ok: true, data: { Name: 'x' } });
  assert.deepEqual(parseEnvelope(`${ENVELOPE_MARKER}{"ok":true}`), { ok: true, data: null });
  assert.equal(parseEnvelope('Shell process exited.'), undefined);
});

test('pipeline output: nothing is null, one object is itself, several stay an array', () => {
  assert.equal(asPipelineOutput([]), null);
  assert.equal(asPipelineOutput(undefined), null);
  assert.deepEqual(asPipelineOutput([{ a: 1 }]), { a: 1 });
  assert.deepEqual(asPipelineOutput([1, 2]), [1, 2]);
  assert.deepEqual(asPipelineOutput({ a: [1] }), { a: [1] });
});

test("the helper module's allow-list is exactly the catalog's CMDLETS", () => {
  const source = readFileSync(COMPANION_MODULE, 'utf8');
  const block = /\$script:AllowedCmdlets = @\(([^)]*)\)/.exec(source)?.[1] ?? '';
  assert.deepEqual(
    [...block.matchAll(/'([A-Za-z-]+)'/g)].map((m) => m[1]),
    [...CMDLETS],
  );
});
