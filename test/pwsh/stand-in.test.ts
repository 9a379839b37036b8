/**
 * The stand-in ExchangeOnlineManagement behaves like the real V3 module where the companion depends on it: cmdlets
 * exist only after Connect (in a tmpEXO_ module, limited by -CommandName), Remove-RoleGroup asks for confirmation
 * (ConfirmImpact High), and Exchange errors are non-terminating records of the real shape.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import {
  CONTOSO, exchangeToken, pwsh, type Rig, skipWithoutPwsh, STAND_IN_MANIFEST, startRig,
} from '../support/pwsh-rig.ts';

// Constant script: the manifest, token and bridge reach it through the environment.
const SCRIPT = `
$ErrorActionPreference = 'Continue'
Import-Module $env:TEST_STAND_IN
$r = [ordered]@{}
$r.beforeConnect = [bool](Get-Command Get-RoleGroup -ErrorAction SilentlyContinue)
Connect-ExchangeOnline -AccessToken $env:TEST_TOKEN -UserPrincipalName admin@contoso.onmicrosoft.com -ShowBanner:$false -CommandName Get-RoleGroup, Remove-RoleGroup
$r.source = (Get-Command Get-RoleGroup).Source
$r.notRequested = [bool](Get-Command New-RoleGroup -ErrorAction SilentlyContinue)
$r.confirmImpact = [string][System.Management.Automation.CommandMetadata]::new((Get-Command Remove-RoleGroup)).ConfirmImpact
try { Remove-RoleGroup -Identity 'x' -ErrorAction Stop; $r.prompted = $false } catch { $r.prompted = $_.Exception.Message }
$Error.Clear()
Get-RoleGroup -Identity 'No such group'
$r.continued = $true
$e = $Error[0]
$r.message = $e.Exception.Message
$r.fqid = $e.FullyQualifiedErrorId
$r.category = [string]$e.CategoryInfo.Category
$r.reason = $e.CategoryInfo.Reason
$r.activity = $e.CategoryInfo.Activity
ConvertTo-Json $r -Compress
`;

describe('the stand-in module', { skip: skipWithoutPwsh }, () => {
  let rig: Rig;
  let result: Record<string, unknown>;
  before(async () => {
    const simulator = new ExchangeSimulator();
    rig = await startRig((tid, call) => simulator.invoke(tid, call));
    const env = { ...process.env, ...rig.bridge.env, TEST_STAND_IN: STAND_IN_MANIFEST, TEST_TOKEN: exchangeToken(CONTOSO) };
    const encoded = Buffer.from(SCRIPT, 'utf16le').toString('base64');
    // Asynchronous: the bridge answering pwsh runs in this very process.
    const run = await promisify(execFile)(pwsh!, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], { encoding: 'utf8', env, timeout: 60_000 });
    const json = run.stdout.split('\n').find((line) => line.startsWith('{'));
    assert.ok(json, `no result from pwsh: ${run.stdout}\n${run.stderr}`);
    result = JSON.parse(json);
  });
  after(() => rig?.close());

  test('Exchange cmdlets exist only after Connect-ExchangeOnline, only those named in -CommandName, in a tmpEXO_ module', () => {
    assert.equal(result.beforeConnect, false);
    assert.match(String(result.source), /^tmpEXO_/);
    assert.equal(result.notRequested, false);
  });

  test('Remove-RoleGroup has ConfirmImpact High: without -Confirm:$false a non-interactive pwsh refuses to prompt', () => {
    assert.equal(result.confirmImpact, 'High');
    assert.match(String(result.prompted), /NonInteractive mode/);
  });

  test('an Exchange error is a non-terminating record shaped like the V3 module\'s', () => {
    assert.equal(result.continued, true);
    assert.match(String(result.message), /^Ex[0-9A-F]{6}\|Microsoft\.Exchange\.Configuration\.Tasks\.ManagementObjectNotFoundException\|The operation couldn't be performed because object 'No such group' couldn't be found on '[^']+'\.$/);
    assert.match(String(result.fqid), /^\[Server=[^,]+,RequestId=[0-9a-f-]{36},TimeStamp=[^\]]+\],Write-ErrorMessage$/);
    assert.deepEqual([result.category, result.reason, result.activity], ['NotSpecified', 'ManagementObjectNotFoundException', 'Get-RoleGroup']);
  });
});
