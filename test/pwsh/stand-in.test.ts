/**
 * The stand-in ExchangeOnlineManagement behaves like the real V3 module where the companion depends on it: cmdlets
 * exist only after Connect (in a tmpEXO_ module, limited by -CommandName), Remove-RoleGroup asks for confirmation
 * (ConfirmImpact High), and Exchange errors are non-terminating records in both shapes the real module writes
 * (RUNBOOK_STANDIN_ERROR_SHAPE=coded: `Ex<code>|<type>|<text>`; bare: `||<text>`, the name only in Reason and the
 * FQID), and the companion's envelope reads both back to the same service text and exception name.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';
import { toExoError } from '../../server/executors/powershell/envelope.ts';
import { ExchangeSimulator } from '../../server/sandbox/simulator.ts';
import {
  admin,
  CONTOSO,
  exchangeToken,
  pwsh,
  skipWithoutPwsh,
  STAND_IN_MANIFEST,
  startRig,
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
$r.type = $e.Exception.GetType().FullName
$r.fqid = $e.FullyQualifiedErrorId
$r.category = [string]$e.CategoryInfo.Category
$r.reason = $e.CategoryInfo.Reason
$r.activity = $e.CategoryInfo.Activity
# The shape is read at each error, so one session can answer in both.
$env:RUNBOOK_STANDIN_ERROR_SHAPE = if ($env:RUNBOOK_STANDIN_ERROR_SHAPE -eq 'bare') { 'coded' } else { 'bare' }
$Error.Clear()
Get-RoleGroup -Identity 'No such group'
$r.otherShape = $Error[0].Exception.Message
ConvertTo-Json $r -Compress
`;

const NOT_FOUND =
  "The operation couldn't be performed because object 'No such group' couldn't be found on 'SIMPR01MB0001.namprd01.prod.outlook.com'.";
const SERVER_ID = String.raw`\[Server=[^,]+,RequestId=[0-9a-f-]{36},TimeStamp=[^\]]+\]`;

/** Runs SCRIPT against a fresh simulator with the stand-in in error shape `shape`. */
async function runScript(shape: 'coded' | 'bare'): Promise<Record<string, unknown>> {
  const simulator = new ExchangeSimulator();
  const rig = await startRig((tid, call) => simulator.invoke(tid, call));
  try {
    const env = {
      ...process.env,
      ...rig.bridge.env,
      TEST_STAND_IN: STAND_IN_MANIFEST,
      TEST_TOKEN: exchangeToken(admin(CONTOSO, 'oid-stand-in', 'admin@contoso.onmicrosoft.com')),
      RUNBOOK_STANDIN_ERROR_SHAPE: shape,
    };
    const encoded = Buffer.from(SCRIPT, 'utf16le').toString('base64');
    // Asynchronous: the bridge answering pwsh runs in this very process.
    const run = await promisify(execFile)(pwsh!, ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded], {
      encoding: 'utf8',
      env,
      timeout: 60_000,
    });
    const json = run.stdout.split('\n').find((line) => line.startsWith('{'));
    assert.ok(json, `no result from pwsh: ${run.stdout}\n${run.stderr}`);
    return JSON.parse(json);
  } finally {
    await rig.close();
  }
}

describe('the stand-in module', { skip: skipWithoutPwsh }, () => {
  let coded: Record<string, unknown>;
  let bare: Record<string, unknown>;
  before(async () => {
    [coded, bare] = [await runScript('coded'), await runScript('bare')];
  });

  test('Exchange cmdlets exist only after Connect-ExchangeOnline, only those named in -CommandName, in a tmpEXO_ module', () => {
    assert.equal(coded.beforeConnect, false);
    assert.match(String(coded.source), /^tmpEXO_/);
    assert.equal(coded.notRequested, false);
  });

  test('Remove-RoleGroup has ConfirmImpact High: without -Confirm:$false a non-interactive pwsh refuses to prompt', () => {
    assert.equal(coded.confirmImpact, 'High');
    assert.match(String(coded.prompted), /NonInteractive mode/);
  });

  test('coded shape: a non-terminating record, message Ex<code>|<type>|<text>, an exception of that type', () => {
    assert.equal(coded.continued, true);
    assert.match(
      String(coded.message),
      /^Ex[0-9A-F]{6}\|Microsoft\.Exchange\.Configuration\.Tasks\.ManagementObjectNotFoundException\|/,
    );
    assert.equal(String(coded.message).slice(String(coded.message).indexOf('|', 9) + 1), NOT_FOUND);
    assert.match(String(coded.type), /(^|\.)ManagementObjectNotFoundException$/);
    assert.match(String(coded.fqid), new RegExp(`^${SERVER_ID},Write-ErrorMessage$`));
    assert.deepEqual(
      [coded.category, coded.reason, coded.activity],
      ['NotSpecified', 'ManagementObjectNotFoundException', 'Get-RoleGroup'],
    );
  });

  test('bare shape: message ||<text>, a plain exception, the name only in CategoryInfo.Reason and the FQID', () => {
    assert.equal(bare.continued, true);
    assert.equal(bare.message, `||${NOT_FOUND}`);
    assert.equal(bare.type, 'System.Exception');
    assert.match(
      String(bare.fqid),
      new RegExp(
        `^${SERVER_ID} \\[FailureCategory=Cmdlet-ManagementObjectNotFoundException\\] [0-9A-F]{8},Write-ErrorMessage$`,
      ),
    );
    assert.deepEqual(
      [bare.category, bare.reason, bare.activity],
      ['NotSpecified', 'ManagementObjectNotFoundException', 'Get-RoleGroup'],
    );
  });

  test('the shape is read at each error: one session answers in the other shape after the variable changes', () => {
    assert.equal(coded.otherShape, `||${NOT_FOUND}`);
    assert.match(String(bare.otherShape), /^Ex[0-9A-F]{6}\|Microsoft\./);
  });

  test('the companion reads both shapes back to the same service text and exception name', () => {
    for (const record of [coded, bare]) {
      const error = toExoError(record);
      assert.equal(error.message, NOT_FOUND);
      assert.match(error.type, /(^|\.)ManagementObjectNotFoundException$/);
    }
  });
});
