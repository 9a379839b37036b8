/**
 * The copyable preview must be valid PowerShell that passes every value through verbatim: checked against real pwsh
 * for a corpus of hostile strings, and for the create-role-group step's own preview.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getStep, previewScript } from '../../../src/runbook/catalog.ts';
import { quoteString, renderCall, renderScript } from '../../../src/runbook/core/preview.ts';
import type { CmdletCall } from '../../../src/runbook/core/cmdlets.ts';
import { findPwsh, runPwsh } from '../../support/pwsh.ts';

const NASTY = [
  "'",
  "''",
  '"',
  '$(Get-Date)',
  '${env:HOME}',
  '$env:PATH',
  '`',
  '`n',
  'a`',
  ';',
  '; Remove-Item -Recurse ~',
  '|',
  '&',
  '& calc',
  '#',
  '<# comment #>',
  '@(1,2)',
  '@{a=1}',
  '--%',
  '-Name',
  'x\ny',
  'x\r\ny',
  '\t',
  '\n',
  '\u2018',
  '\u2019',
  '\u201A',
  '\u201B',
  'it\u2019s $(whoami) `"; \'',
  '\u0000',
  '\u0007bell',
  '\u001b[31mred',
  '\u007f',
  '\u2028\u2029',
  '😀 emoji',
  'ünïcödé',
  '',
  ' leading and trailing ',
  '\\',
  'C:\\path\\',
  '"@\n',
  "'@\n",
  '@"\nhere\n"@',
];

/** A stand-in for a cmdlet that prints the values it was bound, as JSON. */
const CAPTURE = `function New-RoleGroup { param($Name, [string[]]$Roles, [string[]]$Members, $Description)
  [Console]::Out.WriteLine((ConvertTo-Json -Compress -Depth 3 -InputObject ([ordered]@{ Name = $Name; Members = @($Members); Description = $Description }))) }
[Console]::OutputEncoding = [Text.UTF8Encoding]::new($false)
`;

describe('quoteString', () => {
  it('single-quotes plain text and doubles every kind of single quote', () => {
    assert.equal(quoteString("it's"), "'it''s'");
    assert.equal(quoteString('it\u2019s'), "'it\u2019\u2019s'");
    assert.equal(quoteString('$(x)'), "'$(x)'");
  });
  it("parenthesizes '--%', which PowerShell treats as stop-parsing even when quoted", () => {
    assert.equal(quoteString('--%'), "('--%')");
  });
  it('spells control characters as [char] casts', () => {
    assert.equal(quoteString('a\u0000b'), "('a' + [char]0x00 + 'b')");
  });
});

describe('renderCall', () => {
  it('renders switches, $false, arrays and $null', () => {
    const call: CmdletCall = {
      cmdlet: 'Remove-RoleGroup',
      params: { Identity: 'x', Confirm: false, BypassSecurityGroupManagerCheck: true },
    };
    assert.equal(renderCall(call), "Remove-RoleGroup -Identity 'x' -Confirm:$false -BypassSecurityGroupManagerCheck");
    assert.equal(
      renderCall({ cmdlet: 'New-RoleGroup', params: { Name: 'n', Members: ['a', 'b'], Description: null } }),
      "New-RoleGroup -Name 'n' -Members 'a','b' -Description $null",
    );
  });
  it('refuses a parameter name that is not a plain identifier', () => {
    assert.throws(
      () => renderCall({ cmdlet: 'Get-RoleGroup', params: { 'Identity; rm': 'x' } }),
      /invalid parameter name/,
    );
  });
  it('shows the properties a reader checks as | Format-List, and refuses one that is not a plain identifier', () => {
    assert.equal(
      renderCall({ cmdlet: 'Get-OrganizationConfig', params: {}, show: ['IsDehydrated'] }),
      'Get-OrganizationConfig | Format-List IsDehydrated',
    );
    assert.throws(
      () => renderCall({ cmdlet: 'Get-OrganizationConfig', params: {}, show: ['x; rm'] }),
      /invalid property name/,
    );
  });
});

describe('preview round-trips through real PowerShell', () => {
  const pwsh = findPwsh();

  it('passes every hostile string through verbatim', { skip: !pwsh && 'no pwsh' }, () => {
    const calls: CmdletCall[] = NASTY.map((s) => ({
      cmdlet: 'New-RoleGroup',
      params: { Name: s, Members: [s, 'x'], Description: s },
    }));
    const lines = runPwsh(pwsh!, CAPTURE + renderScript(calls))
      .trim()
      .split('\n');
    assert.equal(
      lines.length,
      NASTY.length,
      'one output line per call: no value ended a statement early or ran a command',
    );
    lines.forEach((line, i) => {
      const got = JSON.parse(line) as { Name: string; Members: string[]; Description: string };
      assert.deepEqual(
        got,
        { Name: NASTY[i], Members: [NASTY[i], 'x'], Description: NASTY[i] },
        `value #${i} ${JSON.stringify(NASTY[i])}`,
      );
    });
  });

  it("passes the create-role-group step's own preview through verbatim", { skip: !pwsh && 'no pwsh' }, () => {
    const params = {
      name: `Imp'ers"on $(Get-Date) \`n; \u2019x #next`,
      members: ["o'brien@contoso.onmicrosoft.com"],
      description: '$(whoami)\nnext line',
    };
    const script = previewScript(getStep('create-role-group')!, params);
    const got = JSON.parse(runPwsh(pwsh!, CAPTURE + script).trim());
    assert.deepEqual(got, { Name: params.name, Members: params.members, Description: params.description });
  });
});
