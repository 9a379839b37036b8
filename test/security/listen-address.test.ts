/**
 * Where the companion listens: HOST set to anything but loopback would put its API, the sandbox sign-in (tokens for
 * the asking) and, in tenant mode, PowerShell sessions connected to a real tenant on the network. So it is refused at
 * start, saying what it would expose, unless RUNBOOK_ALLOW_NETWORK=1 or --allow-network asks for it; with the opt-in
 * the companion warns before it listens. Nothing here listens beyond loopback: the refusals happen before any listen,
 * and the opt-in case uses a documentation address (192.0.2.1, RFC 5737) this machine cannot bind.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { tempDataDir } from '../support/server.ts';

const MAIN = path.join(import.meta.dirname, '..', '..', 'server', 'main.ts');
const UNBINDABLE = '192.0.2.1';

/** Runs main.ts with `env` added until it exits (it never gets to listen here); its exit code and output. */
function runMain(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const dataDir = tempDataDir();
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, PORT: '0', RUNBOOK_DATA_DIR: dataDir, RUNBOOK_ALLOW_NETWORK: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    output += c;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, output });
    }),
  );
}

/** The configuration problems for `env` and `argv`, none when accepted. */
function problems(env: NodeJS.ProcessEnv, argv: string[] = []): string[] {
  try {
    loadConfig(env, argv);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
}

test('every address beyond loopback is refused without the opt-in, naming what it would expose', () => {
  for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.20', 'fe80::1', '::ffff:10.0.0.5', 'my-laptop.example']) {
    const found = problems({ HOST: host });
    assert.equal(found.length, 1, `${host}: ${JSON.stringify(found)}`);
    assert.ok(found[0]!.startsWith(`HOST: received "${host}", expected a loopback address`), found[0]);
    assert.match(found[0]!, /reachable from other machines: its API, the sandbox sign-in .* PowerShell sessions/);
    assert.match(found[0]!, /RUNBOOK_ALLOW_NETWORK=1 \(or pass --allow-network\)/);
  }
});

test('loopback needs no opt-in', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '::ffff:127.0.0.1']) {
    assert.deepEqual(problems({ HOST: host }), [], host);
  }
});

test('the opt-in is explicit: RUNBOOK_ALLOW_NETWORK=1 or --allow-network, nothing vaguer', () => {
  assert.deepEqual(problems({ HOST: '0.0.0.0', RUNBOOK_ALLOW_NETWORK: '1' }), []);
  assert.deepEqual(problems({ HOST: '0.0.0.0' }, ['--allow-network']), []);
  assert.equal(problems({ HOST: '0.0.0.0', RUNBOOK_ALLOW_NETWORK: '0' }).length, 1);
  assert.match(
    problems({ HOST: '0.0.0.0', RUNBOOK_ALLOW_NETWORK: 'yes' }).join('\n'),
    /^RUNBOOK_ALLOW_NETWORK: received "yes"/m,
  );
});

test('main.ts refuses a network HOST at start: exit 2, the reason, no stack trace', async () => {
  const { code, output } = await runMain({ HOST: UNBINDABLE });
  assert.equal(code, 2, output);
  assert.match(output, /HOST: received "192\.0\.2\.1", expected a loopback address/);
  assert.match(output, /reachable from other machines/);
  assert.doesNotMatch(output, /\bat .+:\d+:\d+\)?/, 'no stack trace');
  assert.doesNotMatch(output, /Runbook at|Cannot listen/, 'it never tried to listen');
});

test('with the opt-in, main.ts warns what the address exposes before it listens', async () => {
  for (const [env, args] of [
    [{ HOST: UNBINDABLE, RUNBOOK_ALLOW_NETWORK: '1' }, []],
    [{ HOST: UNBINDABLE }, ['--allow-network']],
  ] as const) {
    const { output } = await runMain(env, [...args]);
    const warning = output.indexOf('WARNING: listening on 192.0.2.1 makes the companion reachable from other machines');
    assert.ok(warning >= 0, output);
    // This machine has no such address, so the listen itself fails, after the warning.
    assert.ok(output.indexOf('Cannot listen on 192.0.2.1') > warning, output);
  }
});
