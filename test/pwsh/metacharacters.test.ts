/**
 * The injection corpus: every nasty string reaches the simulator exactly as the step sent it, comes back unchanged,
 * and nothing in it is executed (payloads that would create a canary file if PowerShell ever evaluated them).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ExchangeSession } from '../../src/runbook/core/cmdlets.ts';
import { ENVELOPE_MARKER } from '../../server/executors/powershell/envelope.ts';
import { admin, CONTOSO, exchangeToken, pwsh, type Rig, skipWithoutPwsh, startRig } from '../support/pwsh-rig.ts';

const canaryDir = mkdtempSync(path.join(os.tmpdir(), 'runbook-canary-'));
const canary = (n: number) => path.join(canaryDir, `canary-${n}`);

/**
 * Strings that break naive quoting in PowerShell, JSON, HTTP or the console. (No lone surrogate: it cannot arrive,
 * the API's JSON body is UTF-8, where it has already become U+FFFD.)
 */
const CORPUS: string[] = [
  "O'Brien",
  "it''s",
  "'",
  "''",
  '"',
  '""',
  'a"b\'c',
  '\u2018left single\u2019',
  '\u201Cleft double\u201D',
  '\u201A\u201B\u201E\u201F',
  '\uFF02fullwidth\uFF07',
  '\u02BCmodifier apostrophe',
  '`',
  '``',
  '`n`r`t`0',
  'x`',
  '`$(whoami)',
  '$',
  '$$',
  '$null',
  '$true',
  '$env:RUNBOOK_EXO_BRIDGE_SECRET',
  '${env:HOME}',
  '$PSVersionTable',
  '@(1,2)',
  '@{a=1}',
  '@args',
  '$args[0]',
  `$(New-Item -ItemType File -Path ${canary(1)})`,
  `"; New-Item -ItemType File -Path ${canary(2)}; "`,
  `'; New-Item -ItemType File -Path ${canary(3)}; '`,
  `\u2019; New-Item -ItemType File -Path ${canary(4)}; \u2018`,
  `\u201D; New-Item -ItemType File -Path ${canary(5)}; \u201C`,
  `x\nNew-Item -ItemType File -Path ${canary(6)}`,
  `x\r\nNew-Item -ItemType File -Path ${canary(7)}`,
  `x\rNew-Item -ItemType File -Path ${canary(8)}`,
  `| Out-File ${canary(9)}`,
  `& { New-Item -ItemType File -Path ${canary(10)} }`,
  `; touch ${canary(11)}`,
  `\`$(touch ${canary(12)})`,
  `@'\n$(New-Item -ItemType File -Path ${canary(13)})\n'@`,
  '<# comment',
  '#> x',
  '# not a comment',
  '--% stop parsing',
  '-Confirm:$true',
  '-WhatIf',
  '&&',
  '||',
  '2>&1',
  '> out.txt',
  '{0} {1}',
  '%s%n',
  '\\',
  'C:\\Windows\\System32',
  '\t tab',
  'a\u0000b',
  '\u0000',
  '\u0007bell',
  '\u001b[31mred\u001b[0m',
  '\u0085NEL',
  '\u2028LS\u2029PS',
  '\uFEFFbom',
  '\u200Bzero width',
  '\u202Eright-to-left',
  'caf\u00E9 cafe\u0301',
  '\u65E5\u672C\u8A9E',
  '\uD83D\uDE00 emoji',
  `${ENVELOPE_MARKER}{"ok":false,"error":{"message":"forged"}}`,
  '2026-01-01T00:00:00Z',
  '0x10',
  '1e3',
  'True',
  'null',
  ' leading and trailing ',
  'x'.repeat(10 * 1024),
  `${'\u2019$(x);`'.repeat(2000)}`,
];

describe('metacharacter corpus through real pwsh', { skip: skipWithoutPwsh }, () => {
  let rig: Rig;
  let exo: ExchangeSession;
  before(async () => {
    rig = await startRig(async (_tid, call) => ({ ok: true, data: { received: call.params } }));
    const actor = admin(CONTOSO, 'oid-corpus', 'admin@contoso.onmicrosoft.com');
    exo = await rig.executor.session({ actor, exchangeToken: exchangeToken(actor) });
  });
  after(() => rig?.close());

  test(`the corpus has at least 50 strings (${CORPUS.length})`, () => {
    assert.ok(CORPUS.length >= 50);
  });

  test('each string reaches the simulator verbatim as a role group name and comes back unchanged', async () => {
    for (const value of CORPUS) {
      rig.received.length = 0;
      const result = await exo.invoke({ cmdlet: 'New-RoleGroup', params: { Name: value, Description: value } });
      assert.deepEqual(
        rig.received.map((r) => r.call),
        [{ cmdlet: 'New-RoleGroup', params: { Name: value, Description: value } }],
        JSON.stringify(value).slice(0, 80),
      );
      assert.deepEqual(
        result,
        { ok: true, data: { received: { Name: value, Description: value } } },
        JSON.stringify(value).slice(0, 80),
      );
    }
  });

  test('the whole corpus as one string array stays the same array (no splitting, no flattening)', async () => {
    rig.received.length = 0;
    const members = CORPUS.filter((s) => s.length < 1000);
    const result = await exo.invoke({ cmdlet: 'New-RoleGroup', params: { Name: 'corpus', Members: members } });
    assert.deepEqual(rig.received[0]?.call.params, { Name: 'corpus', Members: members });
    assert.deepEqual(result, { ok: true, data: { received: { Name: 'corpus', Members: members } } });
  });

  test('nothing was executed: no canary file exists', () => {
    assert.deepEqual(readdirSync(canaryDir), []);
  });

  test('control: the canary payload is live when PowerShell text is built from the value (what the executor never does)', () => {
    const payload = CORPUS.find((s) => s.startsWith('$(New-Item'))!;
    spawnSync(pwsh!, ['-NoProfile', '-NonInteractive', '-Command', `Write-Output "${payload}"`], { stdio: 'ignore' });
    assert.ok(existsSync(canary(1)), 'the $(...) payload creates its canary when interpolated');
  });
});
