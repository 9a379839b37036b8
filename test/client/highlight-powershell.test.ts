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
