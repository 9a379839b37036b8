/**
 * The stand-in ExchangeOnlineManagement declares exactly the parameters Microsoft's cmdlet references document for
 * Exchange Online (test/fixtures/exchange-cmdlet-parameters.json): no more, no fewer, switches as switches, booleans
 * as booleans, the required ones mandatory, and ShouldProcess where the reference lists -Confirm and -WhatIf. Read
 * through Get-Command in real pwsh after Connect-ExchangeOnline, as the companion sees the cmdlets.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import {
  admin,
  CONTOSO,
  exchangeToken,
  pwsh,
  type Rig,
  skipWithoutPwsh,
  STAND_IN_MANIFEST,
  startRig,
} from '../support/pwsh-rig.ts';

interface DocumentedParameter {
  type: string;
  required?: boolean;
}
interface DocumentedCmdlet {
  reference: string;
  parameters: Record<string, DocumentedParameter>;
  shouldProcess: boolean;
  standInDeviations?: Array<{ parameter: string; field: 'required'; standIn: boolean; why: string }>;
}
interface DeclaredParameter {
  type: string;
  mandatory: boolean;
}

const TABLE_PATH = path.resolve(import.meta.dirname, '..', 'fixtures', 'exchange-cmdlet-parameters.json');
const DOCUMENTED = (JSON.parse(readFileSync(TABLE_PATH, 'utf8')) as { cmdlets: Record<string, DocumentedCmdlet> })
  .cmdlets;

// Constant script: the cmdlet names, manifest, token and bridge reach it through the environment.
const SCRIPT = `
$ErrorActionPreference = 'Stop'
Import-Module $env:TEST_STAND_IN
$names = $env:TEST_CMDLETS -split ','
Connect-ExchangeOnline -AccessToken $env:TEST_TOKEN -UserPrincipalName admin@contoso.onmicrosoft.com -ShowBanner:$false -CommandName $names
$common = [System.Management.Automation.PSCmdlet]::CommonParameters
$result = [ordered]@{}
foreach ($name in $names + @('Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation')) {
  $command = Get-Command -Name $name
  $parameters = [ordered]@{}
  foreach ($key in $command.Parameters.Keys) {
    if ($common -contains $key) { continue }
    $meta = $command.Parameters[$key]
    # Mandatory in every parameter set (a parameter mandatory in its own set only is optional for the cmdlet).
    $everywhere = @($meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ParameterSetName -eq '__AllParameterSets' -and $_.Mandatory })
    $parameters[$key] = [ordered]@{ type = $meta.ParameterType.FullName; mandatory = $everywhere.Count -gt 0 }
  }
  $result[$name] = $parameters
}
ConvertTo-Json $result -Depth 5 -Compress
`;

/** What a documented type must be in the stand-in; undefined where any binding type will do (Exchange's own types). */
function requiredType(documented: string): string | undefined {
  if (documented === 'SwitchParameter') return 'System.Management.Automation.SwitchParameter';
  if (documented === 'Boolean') return 'System.Boolean';
  if (documented === 'UInt32') return 'System.UInt32';
  if (documented.endsWith('[]') || documented === 'MultiValuedProperty') return 'System.String[]';
  return undefined;
}

describe('the stand-in module declares the documented parameters', { skip: skipWithoutPwsh }, () => {
  let rig: Rig;
  let declared: Record<string, Record<string, DeclaredParameter>>;
  const moduleCmdlets = ['Connect-ExchangeOnline', 'Disconnect-ExchangeOnline', 'Get-ConnectionInformation'];
  const tenantCmdlets = Object.keys(DOCUMENTED).filter((name) => !moduleCmdlets.includes(name));

  before(async () => {
    const simulator = new ExchangeSimulator();
    rig = await startRig((tid, call) => simulator.invoke(tid, call));
    const env = {
      ...process.env,
      ...rig.bridge.env,
      TEST_STAND_IN: STAND_IN_MANIFEST,
      TEST_TOKEN: exchangeToken(admin(CONTOSO, 'oid-stand-in', 'admin@contoso.onmicrosoft.com')),
      TEST_CMDLETS: tenantCmdlets.join(','),
    };
    const encoded = Buffer.from(SCRIPT, 'utf16le').toString('base64');
    // Asynchronous: the bridge answering Connect runs in this very process.
    const run = await promisify(execFile)(pwsh!, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    const json = run.stdout.split('\n').find((line) => line.startsWith('{'));
    assert.ok(json, `no result from pwsh: ${run.stdout}\n${run.stderr}`);
    declared = JSON.parse(json);
  });
  after(() => rig?.close());

  test('the table covers every cmdlet the companion may run, and cites its reference', async () => {
    const { CMDLETS } = await import('../../src/runbook/core/cmdlets.ts');
    assert.deepEqual([...CMDLETS].sort(), [...tenantCmdlets].sort());
    for (const [name, cmdlet] of Object.entries(DOCUMENTED)) {
      assert.match(
        cmdlet.reference,
        /^https:\/\/learn\.microsoft\.com\/powershell\/module\/exchangepowershell\/[a-z-]+$/,
        name,
      );
    }
  });

  for (const [name, documented] of Object.entries(DOCUMENTED)) {
    test(`${name}: the documented parameter names, no more and no fewer`, () => {
      assert.deepEqual(Object.keys(declared[name] ?? {}).sort(), Object.keys(documented.parameters).sort());
    });

    test(`${name}: switches, booleans and lists typed as documented; mandatory as documented; ShouldProcess ${documented.shouldProcess}`, () => {
      const params = declared[name]!;
      for (const [param, doc] of Object.entries(documented.parameters)) {
        const expected = requiredType(doc.type);
        if (expected) assert.equal(params[param]?.type, expected, `-${param} is ${doc.type} in the reference`);
        const deviation = documented.standInDeviations?.find((d) => d.parameter === param && d.field === 'required');
        assert.equal(
          params[param]?.mandatory,
          deviation ? deviation.standIn : doc.required === true,
          `-${param} mandatory`,
        );
      }
      assert.equal('WhatIf' in params && 'Confirm' in params, documented.shouldProcess);
    });
  }
});
