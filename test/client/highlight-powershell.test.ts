import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenizePowerShell } from '../../src/client/highlight-powershell.ts';
import { renderCall } from '../../src/runbook/core/preview.ts';

test('tokens join back to the exact script', () => {
  const script = renderCall({ cmdlet: 'New-RoleGroup', params: { Name: "O'Brien $(whoami)", Roles: ['ApplicationImpersonation'], Members: ['svc-ews@contoso.onmicrosoft.com'] } })
    + '\n' + renderCall({ cmdlet: 'Remove-RoleGroup', params: { Identity: 'x', Confirm: false } });
  assert.equal(tokenizePowerShell(script).map((t) => t.text).join(''), script);
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
  const script = renderCall({ cmdlet: 'Get-ManagementRoleAssignment', params: { Role: 'ApplicationImpersonation', GetEffectiveUsers: true, Delegating: false, ResultSize: 50 } });
  const kinds = tokenizePowerShell(script).filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, ['cmdlet:Get-ManagementRoleAssignment', 'operator:-', 'parameter:Role', "string:'ApplicationImpersonation'",
    'operator:-', 'parameter:GetEffectiveUsers', 'operator:-', 'parameter:Delegating', 'variable:$false', 'operator:-', 'parameter:ResultSize', 'number:50']);
});

test("a plan's saved outputs and loops: the cmdlet after `$x = ` and inside `{ }` is a cmdlet, the references variables", () => {
  const script = `${renderCall({ cmdlet: 'Get-Mailbox', params: { ResultSize: 50 }, saveAs: 'mailboxes' })}\n${renderCall({
    cmdlet: 'Test-ServicePrincipalAuthorization', params: { Identity: 'x', Resource: { output: 'mailbox', property: 'PrimarySmtpAddress' } },
    forEach: { output: 'mailboxes', as: 'mailbox' },
  })}`;
  const tokens = tokenizePowerShell(script);
  assert.equal(tokens.map((t) => t.text).join(''), script);
  const kinds = tokens.filter((t) => t.kind === 'cmdlet' || t.kind === 'variable').map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, ['variable:$mailboxes', 'cmdlet:Get-Mailbox', 'variable:$mailbox', 'variable:$mailboxes', 'cmdlet:Test-ServicePrincipalAuthorization', 'variable:$mailbox']);
});
