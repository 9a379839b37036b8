import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutPowerShell, powerShellHtml, tokenizePowerShell } from '../../src/client/highlight-powershell.ts';
import { renderCall } from '../../src/runbook/core/preview.ts';

test('tokens join back to the exact script', () => {
  const script =
    renderCall({
      cmdlet: 'New-RoleGroup',
      params: {
        Name: "O'Brien $(whoami)",
        Roles: ['ApplicationImpersonation'],
        Members: ['svc-ews@contoso.onmicrosoft.com'],
      },
    }) +
    '\n' +
    renderCall({ cmdlet: 'Remove-RoleGroup', params: { Identity: 'x', Confirm: false } });
  assert.equal(
    tokenizePowerShell(script)
      .map((t) => t.text)
      .join(''),
    script,
  );
});

test('a value with $(...) and doubled quotes stays one string token', () => {
  const script = renderCall({ cmdlet: 'New-RoleGroup', params: { Name: "a'b $(Remove-Item x) -Force" } });
  const kinds = tokenizePowerShell(script).filter((t) => t.kind !== 'plain');
  assert.deepEqual(kinds, [
    { kind: 'cmdlet', text: 'New-RoleGroup' },
    { kind: 'operator', text: '-' },
    { kind: 'parameter', text: 'Name' },
    { kind: 'string', text: "'a''b $(Remove-Item x) -Force'" },
  ]);
});

test('switches, $false and numbers get their own kinds', () => {
  const script = renderCall({
    cmdlet: 'Get-ManagementRoleAssignment',
    params: { Role: 'ApplicationImpersonation', GetEffectiveUsers: true, Delegating: false, ResultSize: 50 },
  });
  const kinds = tokenizePowerShell(script)
    .filter((t) => t.kind !== 'plain')
    .map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, [
    'cmdlet:Get-ManagementRoleAssignment',
    'operator:-',
    'parameter:Role',
    "string:'ApplicationImpersonation'",
    'operator:-',
    'parameter:GetEffectiveUsers',
    'operator:-',
    'parameter:Delegating',
    'variable:$false',
    'operator:-',
    'parameter:ResultSize',
    'number:50',
  ]);
});

test('the layout wraps only between units: never inside a -Parameter or at a hyphen of a value', () => {
  const script = renderCall({
    cmdlet: 'New-RoleGroup',
    params: { Name: 'EWS Application Impersonation', Members: ['svc-ews@contoso.onmicrosoft.com', 'b@x.com'] },
  });
  const [line, ...rest] = layoutPowerShell(script);
  assert.equal(rest.length, 0);
  const units = line!.map((u) => ('space' in u ? `[${u.space}]` : u.tokens.map((t) => t.text).join('')));
  assert.deepEqual(units, [
    'New-RoleGroup',
    '[ ]',
    '-Name',
    '[ ]',
    "'EWS",
    '[ ]',
    'Application',
    '[ ]',
    "Impersonation'",
    '[ ]',
    '-Members',
    '[ ]',
    "'svc-ews@",
    '[]',
    "contoso.onmicrosoft.com',",
    '[]',
    "'b@",
    '[]',
    "x.com'",
  ]);
});

test('the built preview escapes every value and keeps the script text exactly', () => {
  const script =
    renderCall({ cmdlet: 'New-RoleGroup', params: { Name: '<img src=x onerror=alert(1)> & "q"' } }) +
    '\n' +
    renderCall({ cmdlet: 'Get-RoleGroup', params: {} });
  const html = powerShellHtml(script);
  assert.doesNotMatch(html, /<img/);
  const text = html
    .replace(/<wbr>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  assert.equal(text, script);
});

test("a plan's saved outputs and loops: the cmdlet after `$x = ` and inside `{ }` is a cmdlet, the references variables", () => {
  const script = `${renderCall({ cmdlet: 'Get-Mailbox', params: { ResultSize: 50 }, saveAs: 'mailboxes' })}\n${renderCall(
    {
      cmdlet: 'Test-ServicePrincipalAuthorization',
      params: { Identity: 'x', Resource: { output: 'mailbox', property: 'PrimarySmtpAddress' } },
      forEach: { output: 'mailboxes', as: 'mailbox' },
    },
  )}`;
  const tokens = tokenizePowerShell(script);
  assert.equal(tokens.map((t) => t.text).join(''), script);
  const kinds = tokens.filter((t) => t.kind === 'cmdlet' || t.kind === 'variable').map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, [
    'variable:$mailboxes',
    'cmdlet:Get-Mailbox',
    'variable:$mailbox',
    'variable:$mailboxes',
    'cmdlet:Test-ServicePrincipalAuthorization',
    'variable:$mailbox',
  ]);
});
