/**
 * The sandbox executor: one session per admin, always bound to the admin's own tenant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SandboxExecutor } from '../../../server/executors/sandbox.ts';
import { ExchangeSimulator } from '../../../server/sandbox/simulator.ts';

const contosoAdmin = { tid: 'a0c0e7d1-5c3b-4f2a-9b1e-2023c0de0001', oid: 'o1', upn: 'admin@contoso.onmicrosoft.com' };
const fabrikamAdmin = { tid: 'f0fab41c-2d6e-4a8b-8c3d-2026c0de0002', oid: 'o2', upn: 'admin@fabrikam.onmicrosoft.com' };

describe('SandboxExecutor', () => {
  it("runs each admin's calls in that admin's tenant only", async () => {
    const executor = new SandboxExecutor(new ExchangeSimulator());
    const fabrikam = await executor.session({ actor: fabrikamAdmin });
    assert.equal((await fabrikam.invoke({ cmdlet: 'New-RoleGroup', params: { Name: 'mine' } })).ok, true);
    const contoso = await executor.session({ actor: contosoAdmin });
    assert.equal((await contoso.invoke({ cmdlet: 'Get-RoleGroup', params: { Identity: 'mine' } })).ok, false);
    assert.equal((await fabrikam.invoke({ cmdlet: 'Get-RoleGroup', params: { Identity: 'mine' } })).ok, true);
  });
  it('keeps one session per admin until it ends', async () => {
    const executor = new SandboxExecutor(new ExchangeSimulator());
    const first = await executor.session({ actor: contosoAdmin });
    assert.equal(await executor.session({ actor: contosoAdmin }), first);
    assert.notEqual(await executor.session({ actor: { ...contosoAdmin, oid: 'o3' } }), first);
    await executor.end(contosoAdmin);
    assert.notEqual(await executor.session({ actor: contosoAdmin }), first);
  });
  it('refuses an actor from a tenant that is not a sandbox tenant', async () => {
    const executor = new SandboxExecutor(new ExchangeSimulator());
    await assert.rejects(
      executor.session({ actor: { tid: 'not-a-sandbox', oid: 'x', upn: 'a@b.c' } }),
      /no sandbox tenant/,
    );
  });
});
