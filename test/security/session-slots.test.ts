/**
 * PowerShell session places (RUNBOOK_PS_MAX) go only to sessions that started: a call without an Exchange token
 * never takes one, and a session whose start failed (pwsh missing, Connect-ExchangeOnline refusing the token) gives
 * its place back at once. Before this, three tokenless probes by three admins filled the cap and a fourth admin with a
 * valid token got 503 executor_busy for the idle timeout (15 minutes).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import type { SandboxSignInResponse } from '../../src/runbook/api.ts';
import { PowerShellExecutor } from '../../server/executors/powershell.ts';
import { ExecutorBusyError, SessionStartError } from '../../server/executors/types.ts';
import { CONTOSO_ADMIN, decodeParts, signWithSandboxKey, startServer, type TestServer } from '../support/server.ts';
import { admin, CONTOSO, exchangeToken, pwsh, skipWithoutPwsh, STAND_IN_MODULES } from '../support/pwsh-rig.ts';

const PROBE = '/api/steps/check-impersonation-role/probe';

describe('PowerShell session places over HTTP (cap of 2)', { skip: skipWithoutPwsh }, () => {
  let server: TestServer;
  let contoso: SandboxSignInResponse;
  /** A companion token of another contoso admin `n`, signed by the sandbox issuer like a real sign-in. */
  let otherAdmin: (n: number) => Promise<{ api: string; oid: string; upn: string }>;
  before(async () => {
    server = await startServer({
      env: {
        RUNBOOK_EXECUTOR: 'powershell',
        RUNBOOK_PSMODULEPATH: STAND_IN_MODULES,
        NODE_POWERSHELL: pwsh!,
        RUNBOOK_PS_MAX: '2',
      },
    });
    contoso = await server.signIn(CONTOSO_ADMIN);
    const { header, payload } = decodeParts(contoso.accessToken);
    otherAdmin = async (n) => {
      const oid = `0000000${n}-0000-4000-8000-00000000000${n}`;
      const upn = `admin${n}@contoso.onmicrosoft.com`;
      return {
        oid,
        upn,
        api: await signWithSandboxKey(
          server.dataDir,
          { ...payload, oid, sub: oid, upn, preferred_username: upn },
          { kid: header.kid, typ: 'JWT' },
        ),
      };
    };
  });
  after(() => server?.close(true));

  const probe = (token: string, headers: Record<string, string> = {}) =>
    server.request(PROBE, { method: 'POST', token, body: {}, headers });

  test('tokenless probes of two admins, twice each, answer 400 and leave both places free', async () => {
    for (const n of [1, 2, 1, 2]) {
      const reply = await probe((await otherAdmin(n)).api);
      assert.deepEqual([reply.status, reply.json.error.code], [400, 'exchange_token_required'], reply.text);
    }
    const own = await probe(contoso.accessToken, { 'x-exchange-token': contoso.exchangeToken });
    assert.equal(own.status, 200, `a third admin with a valid token is served: ${own.text}`);
    // Signing out frees contoso's place (and, in the sandbox, retires its tokens: sign in again).
    await server.request('/api/session/end', { method: 'POST', token: contoso.accessToken, body: {} });
    contoso = await server.signIn(CONTOSO_ADMIN);
  });

  test('sessions whose Connect-ExchangeOnline refused the token give their place back', async () => {
    // Right claims, wrong signature: only the bridge (as Exchange Online would) can tell, after pwsh has started.
    const { privateKey } = await generateKeyPair('RS256');
    const exchange = decodeParts(contoso.exchangeToken).payload;
    for (const n of [3, 4]) {
      const other = await otherAdmin(n);
      const forged = await new SignJWT({ ...exchange, oid: other.oid, sub: other.oid, upn: other.upn })
        .setProtectedHeader({ alg: 'RS256', kid: 'k' })
        .sign(privateKey);
      const reply = await server.request('/api/session/warm', {
        method: 'POST',
        token: other.api,
        body: {},
        headers: { 'x-exchange-token': forged },
      });
      assert.deepEqual([reply.status, reply.json.error.code], [502, 'exchange_connect_failed'], reply.text);
    }
    const own = await probe(contoso.accessToken, { 'x-exchange-token': contoso.exchangeToken });
    assert.equal(own.status, 200, `the places of the failed starts are free again: ${own.text}`);
  });
});

describe('PowerShell session places in the executor', () => {
  test('a pwsh that cannot start gives its place back: the next admin meets the same cause, not "busy"', async () => {
    const saved = process.env.NODE_POWERSHELL;
    delete process.env.NODE_POWERSHELL;
    const executor = new PowerShellExecutor({ executable: '/nonexistent/pwsh', maxSessions: 1 });
    try {
      for (const oid of ['oid-a', 'oid-b']) {
        const actor = admin(CONTOSO, oid, `${oid}@contoso.onmicrosoft.com`);
        await assert.rejects(executor.warm({ actor, exchangeToken: exchangeToken(actor) }), (e: unknown) => {
          assert.ok(!(e instanceof ExecutorBusyError), `${oid}: ${(e as Error).message}`);
          return e instanceof SessionStartError && e.reason === 'powershell-unavailable';
        });
      }
    } finally {
      if (saved !== undefined) process.env.NODE_POWERSHELL = saved;
      await executor.close();
    }
  });

  test('a call without a token is refused before it takes a place', async () => {
    const executor = new PowerShellExecutor({ executable: '/nonexistent/pwsh', maxSessions: 1 });
    try {
      for (const oid of ['oid-c', 'oid-d']) {
        await assert.rejects(
          executor.session({ actor: admin(CONTOSO, oid, `${oid}@contoso.onmicrosoft.com`) }),
          (e: unknown) => e instanceof SessionStartError && e.reason === 'exchange-token-missing',
        );
      }
    } finally {
      await executor.close();
    }
  });
});
