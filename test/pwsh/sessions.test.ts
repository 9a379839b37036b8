/**
 * Session lifecycle through real pwsh: timeouts kill, crashes recover, admins never share a process, the cap
 * answers busy, idle sessions close, a new token reconnects, and the token never shows where it must not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CmdletCall, CmdletResult } from '../../src/runbook/core/cmdlets.ts';
import {
  CallInterruptedError,
  ExchangeConnectError,
  ExecutorBusyError,
  SessionStartError,
} from '../../server/executors/types.ts';
import { PowerShellExecutor } from '../../server/executors/powershell.ts';
import { processTree } from '../../server/executors/powershell/process-tree.ts';
import { running } from '../support/process.ts';
import {
  admin,
  CONTOSO,
  exchangeToken,
  FABRIKAM,
  type Rig,
  skipWithoutPwsh,
  STAND_IN_MANIFEST,
  startRig,
  verifyTestToken,
} from '../support/pwsh-rig.ts';

const contosoAdmin = admin(CONTOSO, 'oid-contoso-admin', 'admin@contoso.onmicrosoft.com');
const fabrikamAdmin = admin(FABRIKAM, 'oid-fabrikam-admin', 'admin@fabrikam.onmicrosoft.com');
const mailbox = (identity: string): CmdletCall => ({ cmdlet: 'Get-Mailbox', params: { Identity: identity } });

/** A tenant where Get-Mailbox 'hang' never answers and everything else says which tenant answered. */
async function simulator(tid: string, call: CmdletCall): Promise<CmdletResult> {
  if (call.params.Identity === 'hang') return new Promise(() => undefined);
  return { ok: true, data: { tid, identity: call.params.Identity ?? null } };
}

describe('PowerShell sessions', { skip: skipWithoutPwsh }, () => {
  let rig: Rig;
  const verified: string[] = [];
  before(async () => {
    rig = await startRig(simulator, { callTimeoutMs: 3000, maxSessions: 2 }, async (token) => {
      verified.push(token);
      return verifyTestToken(token);
    });
  });
  after(() => rig?.close());

  test('the stand-in module from test/fixtures is the ExchangeOnlineManagement that pwsh loads', async () => {
    await rig.executor.warm({ actor: contosoAdmin, exchangeToken: exchangeToken(contosoAdmin) });
    const info = rig.executor.processOf(contosoAdmin)!.info;
    assert.equal(info.exoPath, STAND_IN_MANIFEST);
    assert.equal(info.exoStandIn, true);
    assert.equal(info.exoVersion, '3.9.2');
    assert.match(info.pwsh, /^7\.6\./);
  });

  test('two admins never share a process, and each reaches only its own tenant', async () => {
    await rig.executor.warm({ actor: fabrikamAdmin, exchangeToken: exchangeToken(fabrikamAdmin) });
    const a = rig.executor.processOf(contosoAdmin)!;
    const b = rig.executor.processOf(fabrikamAdmin)!;
    assert.notEqual(a.info.pid, b.info.pid);
    assert.equal(processTree(a.pid!).filter((pid) => processTree(b.pid!).includes(pid)).length, 0);
    const contoso = await rig.executor.session({ actor: contosoAdmin });
    const fabrikam = await rig.executor.session({ actor: fabrikamAdmin });
    assert.deepEqual(await contoso.invoke(mailbox('admin')), { ok: true, data: { tid: CONTOSO, identity: 'admin' } });
    assert.deepEqual(await fabrikam.invoke(mailbox('admin')), { ok: true, data: { tid: FABRIKAM, identity: 'admin' } });
  });

  test('beyond the cap a third admin gets ExecutorBusyError with a Retry-After', async () => {
    const third = admin(CONTOSO, 'oid-third', 'third@contoso.onmicrosoft.com');
    await assert.rejects(
      rig.executor.session({ actor: third, exchangeToken: exchangeToken(third) }),
      (error: unknown) => {
        assert.ok(error instanceof ExecutorBusyError);
        assert.ok(error.retryAfterSeconds >= 1);
        return true;
      },
    );
    await rig.executor.end(fabrikamAdmin);
    await rig.executor.session({ actor: third, exchangeToken: exchangeToken(third) });
    await rig.executor.end(third);
  });

  test('a hung cmdlet is killed at the timeout (whole process tree) and the next call works in a new process', async () => {
    const exo = await rig.executor.session({ actor: contosoAdmin });
    const before = rig.executor.processOf(contosoAdmin)!;
    const tree = processTree(before.pid!);
    const started = Date.now();
    await assert.rejects(exo.invoke(mailbox('hang')), CallInterruptedError);
    assert.ok(Date.now() - started < 6000, 'interrupted close to the 3 s timeout');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(tree.filter(running), [], 'no process of the killed tree survives');
    assert.deepEqual(await exo.invoke(mailbox('after')), { ok: true, data: { tid: CONTOSO, identity: 'after' } });
    assert.notEqual(rig.executor.processOf(contosoAdmin)!.info.pid, before.info.pid);
  });

  test('pwsh killed mid-step gives CallInterruptedError, then the admin gets a fresh process', async () => {
    const exo = await rig.executor.session({ actor: contosoAdmin });
    const victim = rig.executor.processOf(contosoAdmin)!;
    const call = exo.invoke(mailbox('hang'));
    setTimeout(() => process.kill(victim.info.pid, 'SIGKILL'), 300);
    await assert.rejects(call, CallInterruptedError);
    assert.deepEqual(await exo.invoke(mailbox('recovered')), {
      ok: true,
      data: { tid: CONTOSO, identity: 'recovered' },
    });
  });

  test('pwsh dying while idle does not crash Node, and the next call recovers', async () => {
    const exo = await rig.executor.session({ actor: contosoAdmin });
    process.kill(rig.executor.processOf(contosoAdmin)!.info.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(await exo.invoke(mailbox('idle-crash')), {
      ok: true,
      data: { tid: CONTOSO, identity: 'idle-crash' },
    });
  });

  test('an unchanged token reuses the connection; a new Exchange token connects in a fresh process', async () => {
    const exo = await rig.executor.session({ actor: contosoAdmin });
    await exo.invoke(mailbox('warm'));
    const pid = rig.executor.processOf(contosoAdmin)!.info.pid;
    await exo.invoke(mailbox('same token'));
    assert.equal(rig.executor.processOf(contosoAdmin)!.info.pid, pid, 'the same token keeps its process');
    verified.length = 0;
    const fresh = exchangeToken(contosoAdmin);
    await (await rig.executor.session({ actor: contosoAdmin, exchangeToken: fresh })).invoke(mailbox('new token'));
    // Connect and the cmdlet each present the new token (Exchange checks the token on every call).
    assert.deepEqual([...new Set(verified)], [fresh]);
    assert.notEqual(rig.executor.processOf(contosoAdmin)!.info.pid, pid);
    assert.equal(running(pid), false, 'the process of the old connection is gone');
  });

  test('the token is in no command line, environment, node-powershell history or error text', async (t) => {
    const token = exchangeToken(contosoAdmin);
    const exo = await rig.executor.session({ actor: contosoAdmin, exchangeToken: token });
    await exo.invoke(mailbox('after connect'));
    const proc = rig.executor.processOf(contosoAdmin)!;
    assert.ok(verified.includes(token), 'this token was used to connect');
    assert.equal(proc.commandsRetained, 0);
    // Another process's command line and environment are read from /proc, which only Linux has.
    if (process.platform !== 'linux') t.diagnostic('command lines and environments not checked: /proc is Linux only');
    else {
      for (const pid of processTree(proc.pid!)) {
        assert.ok(!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(token), `cmdline of ${pid}`);
        assert.ok(!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(token), `environ of ${pid}`);
      }
    }
    // A verifier that quotes the token in its complaint: the error the step sees must not.
    const leaky = await startRig(simulator, {}, async (t) => {
      throw new Error(`token ${t} has a bad signature`);
    });
    try {
      const refused = (e: Error) =>
        e instanceof ExchangeConnectError &&
        e.reason === 'connect-failed' &&
        /bad signature/.test(e.message) &&
        !e.message.includes(token) &&
        !JSON.stringify(e.error).includes(token);
      await assert.rejects(
        (await leaky.executor.session({ actor: contosoAdmin, exchangeToken: token })).invoke(mailbox('x')),
        refused,
      );
      await assert.rejects(leaky.executor.warm({ actor: contosoAdmin, exchangeToken: token }), refused);
    } finally {
      await leaky.close();
    }
  });

  test('with DEBUG=* (node-powershell logs commands through debug) neither the token nor any command is printed', () => {
    const script = `
      import { startRig, admin, exchangeToken, CONTOSO } from ${JSON.stringify(pathToFileURL(path.join(import.meta.dirname, '..', 'support', 'pwsh-rig.ts')).href)};
      const rig = await startRig(async () => ({ ok: true, data: null }));
      const actor = admin(CONTOSO, 'oid-debug', 'admin@contoso.onmicrosoft.com');
      const token = exchangeToken(actor);
      await rig.executor.warm({ actor, exchangeToken: token });
      await (await rig.executor.session({ actor })).invoke({ cmdlet: 'Get-Mailbox', params: {} });
      await rig.close();
      console.log('TOKEN:' + token);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DEBUG: '*' },
    });
    const token = /TOKEN:(\S+)/.exec(r.stdout)?.[1];
    assert.ok(token, `exit ${r.status}: ${r.stderr}${r.stdout.slice(-500)}`);
    const printed = r.stdout.replace(`TOKEN:${token}`, '') + r.stderr;
    assert.match(printed, /shell process started/, 'debug output was on');
    assert.ok(!printed.includes(token));
    assert.ok(!printed.includes('Invoke-CompanionStep'), 'no command was printed');
  });

  test('an idle session is closed after RUNBOOK_PS_IDLE', async () => {
    const quick = await startRig(simulator, { idleMs: 1000 });
    try {
      await quick.executor.warm({ actor: contosoAdmin, exchangeToken: exchangeToken(contosoAdmin) });
      const pid = quick.executor.processOf(contosoAdmin)!.info.pid;
      await new Promise((resolve) => setTimeout(resolve, 1800));
      assert.equal(quick.executor.processOf(contosoAdmin), undefined);
      assert.equal(running(pid), false);
    } finally {
      await quick.close();
    }
  });

  test('a pwsh that cannot start fails the call with a message instead of crashing Node', async () => {
    const saved = process.env.NODE_POWERSHELL;
    delete process.env.NODE_POWERSHELL; // node-powershell would prefer it over the executable option
    const broken = new PowerShellExecutor({ executable: '/nonexistent/pwsh' });
    try {
      await assert.rejects(
        broken.warm({ actor: contosoAdmin, exchangeToken: exchangeToken(contosoAdmin) }),
        (e: Error) =>
          e instanceof SessionStartError &&
          e.reason === 'powershell-unavailable' &&
          /PowerShell did not start \(\/nonexistent\/pwsh\)/.test(e.message),
      );
    } finally {
      process.env.NODE_POWERSHELL = saved;
      await broken.close();
    }
  });

  test('without an Exchange token the call says so and no process is started', async () => {
    const tokenless = admin(CONTOSO, 'oid-tokenless', 'tokenless@contoso.onmicrosoft.com');
    await assert.rejects(
      rig.executor.session({ actor: tokenless }),
      (e: Error) => e instanceof SessionStartError && e.reason === 'exchange-token-missing',
    );
    assert.equal(rig.executor.processOf(tokenless), undefined);
  });

  test('close() kills every session', async () => {
    const pid = rig.executor.processOf(contosoAdmin)!.info.pid;
    await rig.executor.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(running(pid), false);
  });
});
